/* pim_event_kinds.c - the event kinds' names (see pim_event_kinds.h). */
#include <string.h>

#include "pim_event_kinds.h"

static const struct {
	const char	*name;
	size_t		len;
	unsigned	audience;
} pim_event_kinds[PIM_EK_COUNT] = {
#define PIM_EK_ROW( k, name, aud )	{ name, sizeof( name ) - 1, aud },
	PIM_EVENT_KINDS( PIM_EK_ROW )
#undef PIM_EK_ROW
};

const char *
pim_event_kind_name( enum pim_event_kind k )
{
	return (unsigned)k < PIM_EK_COUNT ? pim_event_kinds[k].name : "unknown";
}

unsigned
pim_event_kind_audience( enum pim_event_kind k )
{
	return (unsigned)k < PIM_EK_COUNT ? pim_event_kinds[k].audience : 0;
}

int
pim_event_kind_parse( const char *name, size_t len, enum pim_event_kind *k )
{
	size_t rlen = pim_event_kinds[PIM_EK_REFUSED].len;
	int i;

	if ( name == NULL )
		return -1;
	/* "refused <action>": the action is the refused verb's name */
	if ( len > rlen + 1 && memcmp( name, "refused ", rlen + 1 ) == 0 ) {
		*k = PIM_EK_REFUSED;
		return 0;
	}
	for ( i = 0; i < PIM_EK_COUNT; i++ ) {
		if ( pim_event_kinds[i].len == len &&
			memcmp( pim_event_kinds[i].name, name, len ) == 0 )
		{
			*k = (enum pim_event_kind)i;
			return 0;
		}
	}
	return -1;
}

enum pim_event_kind
pim_event_kind_of_end( enum pim_state to )
{
	switch ( to ) {
	case PIM_ST_EXPIRED:		return PIM_EK_EXPIRED;
	case PIM_ST_DEACTIVATED:	return PIM_EK_DEACTIVATED;
	case PIM_ST_REVOKED:		return PIM_EK_REVOKED;
	case PIM_ST_DENIED:		return PIM_EK_DENIED;
	case PIM_ST_CANCELLED:		return PIM_EK_CANCELLED;
	case PIM_ST_TIMED_OUT:		return PIM_EK_TIMED_OUT;
	default:			return PIM_EK_COUNT;
	}
}
