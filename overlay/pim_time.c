/* pim_time.c - durations and points in time, as people and LDAP write them.
 *
 * Everything here is UTC.  Parsers never trust a terminating NUL: they
 * take an explicit length because the input usually points into a BER
 * buffer or an attribute value.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE	/* timegm() */
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pim_time.h"

#define PIM_YEAR_MIN	1970
#define PIM_YEAR_MAX	9999

/* Units in descending order: a duration must use them in this order. */
static const struct {
	char	pu_unit;
	long	pu_secs;
} pim_units[] = {
	{ 'd', 24L * 3600 },
	{ 'h', 3600L },
	{ 'm', 60L },
	{ 's', 1L },
};
#define PIM_NUNITS	( (int)( sizeof( pim_units ) / sizeof( pim_units[0] ) ) )

/* isdigit() depends on the locale and misbehaves on negative chars. */
static int
pim_isdigit( char c )
{
	return c >= '0' && c <= '9';
}

static int
pim_unit_index( char c )
{
	int i;

	if ( c >= 'A' && c <= 'Z' ) {
		c = (char)( c - 'A' + 'a' );
	}
	for ( i = 0; i < PIM_NUNITS; i++ ) {
		if ( pim_units[i].pu_unit == c ) {
			return i;
		}
	}
	return -1;
}

/* Read a run of digits at s[*pos].  Values above PIM_DURATION_MAX are
 * refused as soon as they appear, which also rules out overflow. */
static int
pim_duration_number( const char *s, size_t len, size_t *pos, long *n )
{
	size_t i = *pos;
	long v = 0;

	if ( i >= len || !pim_isdigit( s[i] ) ) {
		return -1;
	}
	for ( ; i < len && pim_isdigit( s[i] ); i++ ) {
		v = v * 10 + ( s[i] - '0' );
		if ( v > PIM_DURATION_MAX ) {
			return -1;
		}
	}
	*pos = i;
	*n = v;
	return 0;
}

int
pim_duration_parse( const char *s, size_t len, long *secs )
{
	size_t pos = 0;
	long total = 0, n;
	int last = -1, u;

	if ( s == NULL || secs == NULL || len == 0 ) {
		return -1;
	}

	while ( pos < len ) {
		if ( pim_duration_number( s, len, &pos, &n ) != 0 ) {
			return -1;
		}
		if ( pos == len ) {
			/* A bare number is seconds, but only on its own:
			 * "1h30" is more likely a typo than 1h30s. */
			if ( last >= 0 ) {
				return -1;
			}
			*secs = n;
			return 0;
		}
		u = pim_unit_index( s[pos++] );
		if ( u < 0 || u <= last ) {
			return -1;
		}
		last = u;
		if ( n > ( PIM_DURATION_MAX - total ) / pim_units[u].pu_secs ) {
			return -1;
		}
		total += n * pim_units[u].pu_secs;
	}
	*secs = total;
	return 0;
}

int
pim_duration_format( long secs, char *buf, size_t bufsize )
{
	char tmp[PIM_DURATION_BUFSIZE];
	size_t len = 0;
	int i, n;

	if ( buf == NULL || secs < 0 || secs > PIM_DURATION_MAX ) {
		return -1;
	}
	if ( secs == 0 ) {
		len = (size_t)snprintf( tmp, sizeof( tmp ), "0s" );
	}
	for ( i = 0; i < PIM_NUNITS && secs > 0; i++ ) {
		long q = secs / pim_units[i].pu_secs;

		if ( q == 0 ) {
			continue;
		}
		secs -= q * pim_units[i].pu_secs;
		n = snprintf( tmp + len, sizeof( tmp ) - len, "%ld%c",
			q, pim_units[i].pu_unit );
		if ( n < 0 || (size_t)n >= sizeof( tmp ) - len ) {
			return -1;
		}
		len += (size_t)n;
	}
	if ( len >= bufsize ) {
		return -1;
	}
	memcpy( buf, tmp, len + 1 );
	return (int)len;
}

static int
pim_is_leap( int year )
{
	return ( year % 4 == 0 && year % 100 != 0 ) || year % 400 == 0;
}

static int
pim_days_in_month( int year, int month )
{
	static const int days[12] =
		{ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if ( month == 2 && pim_is_leap( year ) ) {
		return 29;
	}
	return days[month - 1];
}

/* n decimal digits at s, or -1. */
static int
pim_digits( const char *s, int n )
{
	int i, v = 0;

	for ( i = 0; i < n; i++ ) {
		if ( !pim_isdigit( s[i] ) ) {
			return -1;
		}
		v = v * 10 + ( s[i] - '0' );
	}
	return v;
}

/* What follows the minutes: "Z", "SSZ" or "SS.fffZ".  Sets *sec. */
static int
pim_gentime_tail( const char *s, size_t len, int *sec )
{
	size_t i;

	if ( len == 1 && s[0] == 'Z' ) {
		*sec = 0;
		return 0;
	}
	if ( len < 3 || ( *sec = pim_digits( s, 2 ) ) < 0 ) {
		return -1;
	}
	if ( len == 3 ) {
		return s[2] == 'Z' ? 0 : -1;
	}
	/* A fraction needs at least one digit; its value is dropped,
	 * since PIM works to the second. */
	if ( s[2] != '.' || len < 5 || s[len - 1] != 'Z' ) {
		return -1;
	}
	for ( i = 3; i < len - 1; i++ ) {
		if ( !pim_isdigit( s[i] ) ) {
			return -1;
		}
	}
	return 0;
}

int
pim_gentime_parse( const char *s, size_t len, time_t *t )
{
	struct tm tm;
	int year, mon, day, hour, min, sec;

	if ( s == NULL || t == NULL || len < 13 ) {
		return -1;
	}
	year = pim_digits( s, 4 );
	mon = pim_digits( s + 4, 2 );
	day = pim_digits( s + 6, 2 );
	hour = pim_digits( s + 8, 2 );
	min = pim_digits( s + 10, 2 );
	if ( pim_gentime_tail( s + 12, len - 12, &sec ) != 0 ) {
		return -1;
	}
	if ( year < PIM_YEAR_MIN || year > PIM_YEAR_MAX ||
		mon < 1 || mon > 12 ||
		day < 1 || day > pim_days_in_month( year, mon ) ||
		hour < 0 || hour > 23 || min < 0 || min > 59 ||
		sec < 0 || sec > 59 )
	{
		return -1;
	}

	memset( &tm, 0, sizeof( tm ) );
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	*t = timegm( &tm );
	return 0;
}

int
pim_gentime_format( time_t t, char *buf, size_t bufsize )
{
	struct tm tm;
	int n;

	if ( buf == NULL || bufsize < PIM_GENTIME_BUFSIZE || t < 0 ) {
		return -1;
	}
	if ( gmtime_r( &t, &tm ) == NULL ||
		tm.tm_year + 1900 > PIM_YEAR_MAX )
	{
		return -1;
	}
	n = snprintf( buf, bufsize, "%04d%02d%02d%02d%02d%02dZ",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		tm.tm_hour, tm.tm_min, tm.tm_sec );
	return n == PIM_GENTIME_BUFSIZE - 1 ? 0 : -1;
}

/* "YYYY-MM-DDTHH:MM[:SS]Z": rewrite into GeneralizedTime and let the
 * one parser judge the values. */
static int
pim_iso8601_parse( const char *s, size_t len, time_t *t )
{
	char g[PIM_GENTIME_BUFSIZE];
	size_t n = 0;

	if ( len != 17 && len != 20 ) {
		return -1;
	}
	if ( s[4] != '-' || s[7] != '-' || ( s[10] != 'T' && s[10] != 't' ) ||
		s[13] != ':' || ( s[len - 1] != 'Z' && s[len - 1] != 'z' ) )
	{
		return -1;
	}
	if ( len == 20 && s[16] != ':' ) {
		return -1;
	}
	memcpy( g + n, s, 4 ); n += 4;
	memcpy( g + n, s + 5, 2 ); n += 2;
	memcpy( g + n, s + 8, 2 ); n += 2;
	memcpy( g + n, s + 11, 2 ); n += 2;
	memcpy( g + n, s + 14, 2 ); n += 2;
	if ( len == 20 ) {
		memcpy( g + n, s + 17, 2 ); n += 2;
	}
	g[n++] = 'Z';
	return pim_gentime_parse( g, n, t );
}

int
pim_usertime_parse( const char *s, time_t now, time_t *t )
{
	size_t len;
	long secs;

	if ( s == NULL || t == NULL ) {
		return -1;
	}
	len = strlen( s );
	if ( strcmp( s, "now" ) == 0 ) {
		*t = now;
		return 0;
	}
	if ( s[0] == '+' ) {
		if ( pim_duration_parse( s + 1, len - 1, &secs ) != 0 ) {
			return -1;
		}
		*t = now + secs;
		return 0;
	}
	if ( len > 4 && s[4] == '-' ) {
		return pim_iso8601_parse( s, len, t );
	}
	return pim_gentime_parse( s, len, t );
}
