/* pim_review_rules.c - the pure rules of access reviews (see the header).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pim_review_rules.h"
#include "pim_time.h"

/* One table: every name of every set, in the order of its enum. */
static const char *const pim_rv_names[PIM_RVN_NSETS][8] = {
	[PIM_RVN_RECUR] = { "once", "weekly", "monthly", "quarterly",
		"semiannual", "annual", NULL },
	[PIM_RVN_SCOPE] = { "eligible", "active", "both", NULL },
	[PIM_RVN_WHO] = { "self", "named", "approvers", "manager", NULL },
	[PIM_RVN_DEFAULT] = { "none", "remove", "approve", "recommendation",
		NULL },
	[PIM_RVN_REC] = { "none", "approve", "deny", NULL },
	[PIM_RVN_DECISION] = { "approve", "deny", "dontKnow", NULL },
	[PIM_RVN_STATE] = { "open", "closed", "applied", NULL },
	[PIM_RVN_OUTCOME] = { "removed", "revoked", "kept", "gone", "failed",
		NULL },
};

int
pim_rv_parse( enum pim_rv_set set, const char *s, size_t len )
{
	int i;

	if ( (unsigned)set >= PIM_RVN_NSETS || s == NULL )
		return -1;
	for ( i = 0; pim_rv_names[set][i] != NULL; i++ ) {
		if ( strlen( pim_rv_names[set][i] ) == len &&
			strncasecmp( pim_rv_names[set][i], s, len ) == 0 )
			return i;
	}
	return -1;
}

const char *
pim_rv_name( enum pim_rv_set set, int v )
{
	int i;

	if ( (unsigned)set >= PIM_RVN_NSETS || v < 0 )
		return "?";
	for ( i = 0; i <= v; i++ ) {
		if ( pim_rv_names[set][i] == NULL )
			return "?";
	}
	return pim_rv_names[set][v];
}

int
pim_recur_parse( const char *s, size_t len, enum pim_recur *r,
	long *interval )
{
	int v = pim_rv_parse( PIM_RVN_RECUR, s, len );
	long secs;

	if ( v >= 0 ) {
		*r = (enum pim_recur)v;
		*interval = v == PIM_RECUR_WEEKLY ? 7L * 86400 : 0;
		return 0;
	}
	if ( pim_duration_parse( s, len, &secs ) != 0 || secs < 1 )
		return -1;
	*r = PIM_RECUR_INTERVAL;
	*interval = secs;
	return 0;
}

static int
pim_months_of( enum pim_recur r )
{
	switch ( r ) {
	case PIM_RECUR_MONTHLY: return 1;
	case PIM_RECUR_QUARTERLY: return 3;
	case PIM_RECUR_SEMIANNUAL: return 6;
	case PIM_RECUR_ANNUAL: return 12;
	default: return 0;
	}
}

static int
pim_leap( long y )
{
	return ( y % 4 == 0 && y % 100 != 0 ) || y % 400 == 0;
}

static int
pim_month_days( long y, int m )	/* m 0..11 */
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };

	return m == 1 && pim_leap( y ) ? 29 : days[m];
}

/* Days from 1970-01-01 to y-m-d (m 0..11, d 1..31), proleptic
 * Gregorian: no timegm(), which is neither C nor POSIX. */
static long
pim_days_from_civil( long y, int m, int d )
{
	long era, yoe, doy, doe, mp = ( m + 10 ) % 12;

	y -= m < 2;
	era = ( y >= 0 ? y : y - 399 ) / 400;
	yoe = y - era * 400;
	doy = ( 153 * mp + 2 ) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* start + months calendar months, clamped to the month's last day. */
static int
pim_add_months( time_t start, long months, time_t *t )
{
	struct tm tm;
	long y, m, secs;
	int d;

	if ( gmtime_r( &start, &tm ) == NULL )
		return -1;
	m = tm.tm_mon + months;
	y = tm.tm_year + 1900L + m / 12;
	m %= 12;
	if ( y > 9999 )
		return -1;
	d = tm.tm_mday;
	if ( d > pim_month_days( y, (int)m ) )
		d = pim_month_days( y, (int)m );
	secs = tm.tm_hour * 3600L + tm.tm_min * 60L + tm.tm_sec;
	*t = (time_t)pim_days_from_civil( y, (int)m, d ) * 86400 + secs;
	return 0;
}

int
pim_schedule_at( const pim_schedule *sc, long k, time_t *t )
{
	int months = pim_months_of( sc->sc_recur );
	time_t at;

	if ( k < 0 || ( sc->sc_max > 0 && k >= sc->sc_max ) )
		return -1;
	if ( sc->sc_recur == PIM_RECUR_ONCE ) {
		if ( k > 0 )
			return -1;
		at = sc->sc_start;
	} else if ( months > 0 ) {
		if ( k > 12L * 10000 || pim_add_months( sc->sc_start,
			k * months, &at ) != 0 )
			return -1;
	} else {
		if ( sc->sc_interval <= 0 ||
			k > ( PIM_TIME_MAX - sc->sc_start ) / sc->sc_interval )
			return -1;
		at = sc->sc_start + (time_t)k * sc->sc_interval;
	}
	if ( at > PIM_TIME_MAX || ( sc->sc_until != 0 && at > sc->sc_until ) )
		return -1;
	*t = at;
	return 0;
}

long
pim_schedule_min_period( const pim_schedule *sc )
{
	int months = pim_months_of( sc->sc_recur );

	if ( sc->sc_recur == PIM_RECUR_ONCE )
		return 0;
	if ( months > 0 )	/* the shortest months: February and its
				 * neighbours (28 + 31 + 30 ... days) */
		return months == 1 ? 28L * 86400 : months == 3 ? 89L * 86400 :
			months == 6 ? 181L * 86400 : 365L * 86400;
	return sc->sc_interval;
}

void
pim_schedule_due( const pim_schedule *sc, long k, time_t now, int *open,
	long *j, time_t *t )
{
	time_t at, next;
	long i = k < 0 ? 0 : k;

	*open = 0;
	*j = i;
	*t = 0;
	/* a fixed interval far behind: jump close to now, not step */
	if ( ( sc->sc_recur == PIM_RECUR_INTERVAL ||
		sc->sc_recur == PIM_RECUR_WEEKLY ) && sc->sc_interval > 0 &&
		now > sc->sc_start ) {
		long behind = ( now - sc->sc_start ) / sc->sc_interval;

		if ( behind > i + 1 )
			i = behind - 1;
	}
	if ( pim_schedule_at( sc, i, &at ) != 0 )
		return;
	if ( at > now ) {
		*j = i;
		*t = at;
		return;
	}
	/* the latest occurrence that has started */
	while ( pim_schedule_at( sc, i + 1, &next ) == 0 && next <= now ) {
		i++;
		at = next;
	}
	if ( now < at + sc->sc_duration ) {
		*open = 1;
		*j = i;
		*t = at;
		return;
	}
	if ( pim_schedule_at( sc, i + 1, &next ) == 0 ) {
		*j = i + 1;
		*t = next;
	} else {
		*j = i + 1;
	}
}

static long
pim_days_ago( const pim_rv_facts *f, time_t t )
{
	return t >= f->rf_now ? 0 : (long)( ( f->rf_now - t ) / 86400 );
}

enum pim_rv_rec
pim_rv_recommend( const pim_rv_facts *f, char *why, size_t size )
{
	long days = f->rf_days > 0 ? f->rf_days : PIM_RV_DEFAULT_DAYS;
	time_t limit = f->rf_now - (time_t)days * 86400;

	if ( f->rf_last_bind != 0 && f->rf_last_bind < limit ) {
		snprintf( why, size, "no bind in %ld days",
			pim_days_ago( f, f->rf_last_bind ) );
		return PIM_REC_DENY;
	}
	if ( f->rf_active ) {
		if ( f->rf_last_bind == 0 ) {
			snprintf( why, size, "no bind times kept" );
			return PIM_REC_NONE;
		}
		snprintf( why, size, "bound %ld days ago",
			pim_days_ago( f, f->rf_last_bind ) );
		return PIM_REC_APPROVE;
	}
	if ( f->rf_last_activation != 0 ) {
		long ago = pim_days_ago( f, f->rf_last_activation );

		if ( f->rf_last_activation >= limit ) {
			snprintf( why, size, "activated %ld days ago", ago );
			return PIM_REC_APPROVE;
		}
		snprintf( why, size, "no activation in %ld days", ago );
		return PIM_REC_DENY;
	}
	if ( f->rf_since != 0 && f->rf_since < limit ) {
		snprintf( why, size, "never activated in %ld days of "
			"eligibility", pim_days_ago( f, f->rf_since ) );
		return PIM_REC_DENY;
	}
	snprintf( why, size, "eligible for %ld days, not yet activated",
		f->rf_since != 0 ? pim_days_ago( f, f->rf_since ) : 0L );
	return PIM_REC_NONE;
}

int
pim_rv_inactive( const pim_rv_facts *f )
{
	long days = f->rf_days > 0 ? f->rf_days : PIM_RV_DEFAULT_DAYS;
	time_t limit = f->rf_now - (time_t)days * 86400;
	time_t act = f->rf_active ? f->rf_since : f->rf_last_activation;

	if ( act != 0 && act >= limit )
		return 0;
	if ( f->rf_last_bind != 0 && f->rf_last_bind >= limit )
		return 0;
	return 1;
}
