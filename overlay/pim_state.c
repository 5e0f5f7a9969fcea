/* pim_state.c - the life of an activation (see pim_state.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pim_state.h"

static const char *const pim_state_names[PIM_ST_COUNT] = {
	"pending", "approved", "scheduled", "active", "expired",
	"deactivated", "revoked", "denied", "cancelled", "timed-out", "granted"
};

#define X	-1	/* not allowed */

/* pim_transitions[from][event] = to, or X. */
static const signed char pim_transitions[PIM_ST_COUNT][PIM_EV_COUNT] = {
	/*		approve-now	approve-later	deny		cancel
	 *		timeout		start		expire		deactivate
	 *		revoke		extend		grant */
	[PIM_ST_PENDING] = { PIM_ST_ACTIVE, PIM_ST_APPROVED, PIM_ST_DENIED,
		PIM_ST_CANCELLED, PIM_ST_TIMED_OUT, X, X, X, PIM_ST_REVOKED, X,
		PIM_ST_GRANTED },
	[PIM_ST_APPROVED] = { X, X, X, PIM_ST_CANCELLED, X, PIM_ST_ACTIVE,
		X, X, PIM_ST_REVOKED, X, X },
	[PIM_ST_SCHEDULED] = { X, X, X, PIM_ST_CANCELLED, X, PIM_ST_ACTIVE,
		X, X, PIM_ST_REVOKED, X, X },
	[PIM_ST_ACTIVE] = { X, X, X, X, X, X, PIM_ST_EXPIRED,
		PIM_ST_DEACTIVATED, PIM_ST_REVOKED, PIM_ST_ACTIVE, X },
	[PIM_ST_EXPIRED] = { X, X, X, X, X, X, X, X, X, X, X },
	[PIM_ST_DEACTIVATED] = { X, X, X, X, X, X, X, X, X, X, X },
	[PIM_ST_REVOKED] = { X, X, X, X, X, X, X, X, X, X, X },
	[PIM_ST_DENIED] = { X, X, X, X, X, X, X, X, X, X, X },
	[PIM_ST_CANCELLED] = { X, X, X, X, X, X, X, X, X, X, X },
	[PIM_ST_TIMED_OUT] = { X, X, X, X, X, X, X, X, X, X, X },
	[PIM_ST_GRANTED] = { X, X, X, X, X, X, X, X, X, X, X },
};

int
pim_state_next( enum pim_state from, enum pim_event ev, enum pim_state *to )
{
	if ( (unsigned)from >= PIM_ST_COUNT || (unsigned)ev >= PIM_EV_COUNT ||
		pim_transitions[from][ev] == X )
		return -1;
	*to = (enum pim_state)pim_transitions[from][ev];
	return 0;
}

const char *
pim_state_name( enum pim_state st )
{
	return (unsigned)st < PIM_ST_COUNT ? pim_state_names[st] : "unknown";
}

int
pim_state_parse( const struct berval *bv, enum pim_state *st )
{
	int i;

	for ( i = 0; bv != NULL && i < PIM_ST_COUNT; i++ ) {
		if ( bv->bv_len == strlen( pim_state_names[i] ) &&
			strncasecmp( bv->bv_val, pim_state_names[i], bv->bv_len ) == 0 )
		{
			*st = (enum pim_state)i;
			return 0;
		}
	}
	return -1;
}

time_t
pim_state_next_look( enum pim_state st, time_t start, time_t end,
	time_t expiry )
{
	switch ( st ) {
	case PIM_ST_ACTIVE:	return end;
	case PIM_ST_PENDING:	return expiry;
	case PIM_ST_APPROVED:
	case PIM_ST_SCHEDULED:	return start;
	default:		return 0;
	}
}

int
pim_state_is_open( enum pim_state st )
{
	return (unsigned)st < PIM_ST_COUNT &&
		( PIM_STATES_OPEN & PIM_STATE_BIT( st ) ) != 0;
}

int
pim_state_name_in( const char *name, unsigned states )
{
	struct berval bv;
	enum pim_state st;

	if ( name == NULL )
		return 0;
	bv.bv_val = (char *)name;
	bv.bv_len = strlen( name );
	return pim_state_parse( &bv, &st ) == 0 &&
		( states & PIM_STATE_BIT( st ) ) != 0;
}

int
pim_state_filter( unsigned states, char *buf, size_t size )
{
	size_t len = 0;
	int i, n;

	n = snprintf( buf, size, "(|" );
	if ( n < 0 || (size_t)n >= size )
		return -1;
	len = n;
	for ( i = 0; i < PIM_ST_COUNT; i++ ) {
		if ( !( states & PIM_STATE_BIT( i ) ) )
			continue;
		n = snprintf( buf + len, size - len, "(pimState=%s)",
			pim_state_names[i] );
		if ( n < 0 || (size_t)n >= size - len )
			return -1;
		len += n;
	}
	if ( len + 2 > size )
		return -1;
	buf[len++] = ')';
	buf[len] = '\0';
	return (int)len;
}
