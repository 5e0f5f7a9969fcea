# lags.awk - expiry lags from slapd's "pim: expired" log lines.
#
#   awk -v end=EPOCH -v n=TOTAL -v cap=SECONDS -f lags.awk < lines
#
# Each line starts with slapd's time stamp, hex seconds "." hex
# fraction (nanoseconds with 8 digits, microseconds with 5).  The lines
# are in log order, which is the order of removal, so the lags come
# sorted.  Of n activations that ended at end, those with no line were
# still not removed after cap seconds: a percentile that falls among
# them is printed as ">cap".  Prints "removed p50 p99 max".

function hex( s,    i, v ) {
	v = 0
	s = tolower( s )
	for ( i = 1; i <= length( s ); i++ )
		v = v * 16 + index( "0123456789abcdef", substr( s, i, 1 ) ) - 1
	return v
}

function stamp( s,    dot, frac ) {
	dot = index( s, "." )
	frac = substr( s, dot + 1 )
	return hex( substr( s, 1, dot - 1 ) ) + \
		hex( frac ) / ( length( frac ) >= 8 ? 1e9 : 1e6 )
}

function pct( p,    i ) {
	i = int( p * ( n - 1 ) + 0.5 ) + 1
	return i <= count ? sprintf( "%.3f", lag[i] ) : ">" cap
}

{ lag[++count] = stamp( $1 ) - end }

END {
	if ( n < 1 )
		n = count
	printf "%d %s %s %s\n", count, pct( 0.5 ), pct( 0.99 ), pct( 1 )
}
