/* fuzz_time.c - libFuzzer target: durations and times (pim_time.h).
 *
 * Each input goes through every parser: pim_duration_parse() and
 * pim_gentime_parse() on an exact-size heap copy (they take a length
 * and must not look past it), pim_usertime_parse() on an exact-size
 * NUL-terminated copy.  Each parser is compared with a small reference
 * written here from the header's grammar (differential fuzzing: a
 * disagreement is a logic bug, not only a memory one), and whatever
 * parses must format and parse back to the same value.  The first nine
 * bytes also drive the formatters with arbitrary values into output
 * buffers of arbitrary (exact) size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pim_time.h"

int LLVMFuzzerTestOneInput( const uint8_t *data, size_t size );

#define FUZZ_CHECK( cond ) do { \
	if ( !( cond ) ) { \
		fprintf( stderr, "fuzz_time: check failed: %s (line %d)\n", \
			#cond, __LINE__ ); \
		abort(); \
	} \
} while ( 0 )

/* 2023-11-14T22:13:20Z; "+DURATION" adds at most ten years to it. */
#define FUZZ_NOW	((time_t) 1700000000)

/* Exactly size bytes (plus the NUL if asked): ASan reports any read
 * past them, even of the byte a NUL would have been. */
static char *
dup_exact( const uint8_t *data, size_t size, int nul )
{
	char *p = malloc( size + ( nul ? 1 : 0 ) );

	if ( p == NULL && size + ( nul ? 1 : 0 ) > 0 ) {
		abort();
	}
	if ( size ) {
		memcpy( p, data, size );
	}
	if ( nul ) {
		p[size] = '\0';
	}
	return p;
}

static int
digit( char c )
{
	return c >= '0' && c <= '9';
}

/* --- reference duration parser --------------------------------------- */

/* Either digits alone (seconds) or digits+unit pairs, units d h m s in
 * strictly descending order, either case; total at most the maximum. */
static int
ref_duration( const char *s, size_t len, long *secs )
{
	static const char units[] = "dhms";
	static const long mult[] = { 86400, 3600, 60, 1 };
	unsigned long long total = 0, n;
	size_t i = 0;
	int last = -1, u, bare = 1;

	if ( len == 0 ) {
		return -1;
	}
	while ( i < len ) {
		if ( !digit( s[i] ) ) {
			return -1;
		}
		for ( n = 0; i < len && digit( s[i] ); i++ ) {
			n = n * 10 + (unsigned)( s[i] - '0' );
			if ( n > PIM_DURATION_MAX ) {
				return -1;
			}
		}
		if ( i == len ) {
			if ( !bare ) {
				return -1;
			}
			*secs = (long)n;
			return 0;
		}
		bare = 0;
		for ( u = 0; u < 4; u++ ) {
			if ( s[i] == units[u] || s[i] == units[u] - 'a' + 'A' ) {
				break;
			}
		}
		if ( u == 4 || u <= last ) {
			return -1;
		}
		last = u;
		i++;
		total += n * (unsigned long long)mult[u];
		if ( total > PIM_DURATION_MAX ) {
			return -1;
		}
	}
	*secs = (long)total;
	return 0;
}

static void
check_duration_parse( const char *s, size_t len )
{
	char *buf = malloc( PIM_DURATION_BUFSIZE );
	long secs = -7, ref = -9, back = -11;
	int rc, n;

	rc = pim_duration_parse( s, len, &secs );
	FUZZ_CHECK( rc == ref_duration( s, len, &ref ) );
	if ( rc != 0 ) {
		FUZZ_CHECK( rc == -1 && secs == -7 );
		free( buf );
		return;
	}
	FUZZ_CHECK( secs == ref );
	n = pim_duration_format( secs, buf, PIM_DURATION_BUFSIZE );
	FUZZ_CHECK( n > 0 && (size_t)n == strlen( buf ) );
	FUZZ_CHECK( pim_duration_parse( buf, (size_t)n, &back ) == 0 );
	FUZZ_CHECK( back == secs );
	free( buf );
}

/* --- reference GeneralizedTime parser ---------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (the "days from
 * civil" algorithm), independent of timegm(). */
static long long
days_from_civil( long long y, unsigned m, unsigned d )
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = ( y >= 0 ? y : y - 399 ) / 400;
	yoe = (unsigned)( y - era * 400 );
	doy = ( 153 * ( m + ( m > 2 ? -3 : 9 ) ) + 2 ) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int
num( const char *s, int n )
{
	int i, v = 0;

	for ( i = 0; i < n; i++ ) {
		if ( !digit( s[i] ) ) {
			return -1;
		}
		v = v * 10 + ( s[i] - '0' );
	}
	return v;
}

/* YYYYMMDDHHMM then "Z", "SSZ" or "SS.<digits>Z"; fills the canonical
 * 15-character form too. */
static int
ref_gentime( const char *s, size_t len, time_t *t, char canon[16] )
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec = 0, leap;
	size_t i;

	if ( len < 13 || s[len - 1] != 'Z' ) {
		return -1;
	}
	if ( len == 13 ) {
		sec = 0;
	} else if ( len == 15 ) {
		sec = num( s + 12, 2 );
	} else if ( len >= 17 && s[14] == '.' ) {
		sec = num( s + 12, 2 );
		for ( i = 15; i < len - 1; i++ ) {
			if ( !digit( s[i] ) ) {
				return -1;
			}
		}
	} else {
		return -1;
	}
	y = num( s, 4 ); mo = num( s + 4, 2 ); d = num( s + 6, 2 );
	h = num( s + 8, 2 ); mi = num( s + 10, 2 );
	if ( y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
		h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 )
	{
		return -1;
	}
	leap = ( y % 4 == 0 && y % 100 != 0 ) || y % 400 == 0;
	if ( d > mdays[mo - 1] + ( mo == 2 && leap ) ) {
		return -1;
	}
	*t = (time_t)( days_from_civil( y, (unsigned)mo, (unsigned)d ) * 86400 +
		h * 3600 + mi * 60 + sec );
	memcpy( canon, s, 12 );
	canon[12] = len == 13 ? '0' : s[12];
	canon[13] = len == 13 ? '0' : s[13];
	canon[14] = 'Z';
	canon[15] = '\0';
	return 0;
}

static void
check_gentime_parse( const char *s, size_t len )
{
	char *buf = malloc( PIM_GENTIME_BUFSIZE ), canon[16];
	time_t t = -7, ref = -9, back = -11;
	int rc;

	rc = pim_gentime_parse( s, len, &t );
	FUZZ_CHECK( rc == ref_gentime( s, len, &ref, canon ) );
	if ( rc != 0 ) {
		FUZZ_CHECK( rc == -1 && t == -7 );
		free( buf );
		return;
	}
	FUZZ_CHECK( t == ref );
	FUZZ_CHECK( pim_gentime_format( t, buf, PIM_GENTIME_BUFSIZE ) == 0 );
	FUZZ_CHECK( strcmp( buf, canon ) == 0 );
	FUZZ_CHECK( pim_gentime_parse( buf, PIM_GENTIME_BUFSIZE - 1, &back ) == 0 );
	FUZZ_CHECK( back == t );
	free( buf );
}

/* --- pim_usertime_parse ------------------------------------------------ */

/* "YYYY-MM-DDTHH:MM[:SS]Z" (T and Z in either case) as GeneralizedTime. */
static int
ref_iso8601( const char *s, size_t len, time_t *t )
{
	char g[16], canon[16];

	if ( ( len != 17 && len != 20 ) || s[4] != '-' || s[7] != '-' ||
		( s[10] != 'T' && s[10] != 't' ) || s[13] != ':' ||
		( s[len - 1] != 'Z' && s[len - 1] != 'z' ) ||
		( len == 20 && s[16] != ':' ) )
	{
		return -1;
	}
	memcpy( g, s, 4 );
	memcpy( g + 4, s + 5, 2 );
	memcpy( g + 6, s + 8, 2 );
	memcpy( g + 8, s + 11, 2 );
	memcpy( g + 10, s + 14, 2 );
	if ( len == 20 ) {
		memcpy( g + 12, s + 17, 2 );
	}
	g[len == 20 ? 14 : 12] = 'Z';
	return ref_gentime( g, len == 20 ? 15 : 13, t, canon );
}

static int
ref_usertime( const char *s, time_t now, time_t *t )
{
	size_t len = strlen( s );
	char canon[16];
	long secs;

	if ( strcmp( s, "now" ) == 0 ) {
		*t = now;
		return 0;
	}
	if ( s[0] == '+' ) {
		if ( ref_duration( s + 1, len - 1, &secs ) != 0 ) {
			return -1;
		}
		*t = now + secs;
		return 0;
	}
	if ( len > 4 && s[4] == '-' ) {
		return ref_iso8601( s, len, t );
	}
	return ref_gentime( s, len, t, canon );
}

static void
check_usertime_parse( const char *s )
{
	time_t t = -7, ref = -9;
	int rc;

	rc = pim_usertime_parse( s, FUZZ_NOW, &t );
	FUZZ_CHECK( rc == ref_usertime( s, FUZZ_NOW, &ref ) );
	FUZZ_CHECK( rc == 0 ? t == ref : rc == -1 );
}

/* --- the formatters with arbitrary values ------------------------------ */

static void
check_duration_format( long secs, size_t bufsize )
{
	char big[PIM_DURATION_BUFSIZE], *buf = malloc( bufsize );
	long back;
	int n, want;

	want = pim_duration_format( secs, big, sizeof( big ) );
	FUZZ_CHECK( ( want < 0 ) == ( secs < 0 || secs > PIM_DURATION_MAX ) );
	n = pim_duration_format( secs, buf, bufsize );
	if ( want < 0 || (size_t)want >= bufsize ) {
		FUZZ_CHECK( n == -1 );
	} else {
		FUZZ_CHECK( n == want && strcmp( buf, big ) == 0 );
		FUZZ_CHECK( pim_duration_parse( buf, (size_t)n, &back ) == 0 &&
			back == secs );
	}
	free( buf );
}

static void
check_gentime_format( time_t t, size_t bufsize )
{
	char *buf = malloc( bufsize );
	time_t back;
	struct tm tm;
	int ok;

	ok = t >= 0 && bufsize >= PIM_GENTIME_BUFSIZE &&
		gmtime_r( &t, &tm ) != NULL && tm.tm_year + 1900 <= 9999;
	if ( pim_gentime_format( t, buf, bufsize ) != 0 ) {
		FUZZ_CHECK( !ok );
	} else {
		FUZZ_CHECK( ok && strlen( buf ) == PIM_GENTIME_BUFSIZE - 1 );
		FUZZ_CHECK( pim_gentime_parse( buf, strlen( buf ), &back ) == 0 &&
			back == t );
	}
	free( buf );
}

static void
check_formats( const uint8_t *data, size_t size )
{
	int64_t v;
	size_t bufsize;

	if ( size < 9 ) {
		return;
	}
	memcpy( &v, data, sizeof( v ) );
	bufsize = data[8] % 48;
	check_duration_format( (long)v, bufsize );
	/* Small values too: most 64-bit patterns are far out of range. */
	check_duration_format( (long)( v % ( PIM_DURATION_MAX + 2 ) ), bufsize );
	check_gentime_format( (time_t)v, bufsize );
	check_gentime_format( (time_t)( v % 253402300800LL ), bufsize );
}

int
LLVMFuzzerTestOneInput( const uint8_t *data, size_t size )
{
	char *s;

	s = dup_exact( data, size, 0 );
	check_duration_parse( s, size );
	check_gentime_parse( s, size );
	free( s );

	s = dup_exact( data, size, 1 );
	check_usertime_parse( s );
	free( s );

	check_formats( data, size );
	return 0;
}
