/* pim_event.c - one funnel for everything PIM does or refuses.
 *
 * Every event (its kinds are pim_event_kinds.h's table) passes through
 * pim_event(), which writes one stats-level log line with who, what and
 * why, and one record of the audit trail in the directory
 * (pim_audit.c).  Keeping one funnel is what lets the audit trail see
 * every event.  What an event causes besides (an expiry warning, an
 * alert's count) is the caller's to say: the funnel never decides it
 * from the event's name.  Alerts are logged at LDAP_DEBUG_ANY as well,
 * so that they reach syslog whatever the log level.
 */
#include "pim.h"

/* Copy val into out as a log value that cannot forge a line or end its
 * quotes early: a quote, a backslash and every control byte become \xx
 * (hex).  Returns the length written; out is always terminated. */
size_t
pim_log_escape( const char *val, size_t vlen, char *out, size_t size )
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;

	if ( size == 0 )
		return 0;
	for ( i = 0; i < vlen && n + 1 < size; i++ ) {
		unsigned char ch = val[i];

		if ( ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\' ) {
			if ( n + 4 >= size )
				break;
			out[n++] = '\\';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		} else {
			out[n++] = ch;
		}
	}
	out[n] = '\0';
	return n;
}

/* Append " name=\"value\"" (or name=value when unquoted) to buf, the
 * value escaped (pim_log_escape). */
static void
pim_event_field( char *buf, size_t size, size_t *len, const char *name,
	const char *val, int vlen, int quoted )
{
	char esc[1024];
	int n;

	if ( val == NULL || *len >= size )
		return;
	(void)pim_log_escape( val, vlen < 0 ? 0 : (size_t)vlen, esc,
		sizeof( esc ) );
	n = snprintf( buf + *len, size - *len, quoted ? " %s=\"%s\"" :
		" %s=%s", name, esc );
	if ( n > 0 )
		*len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

static void
pim_event_bv( char *buf, size_t size, size_t *len, const char *name,
	const struct berval *bv )
{
	if ( bv != NULL && !BER_BVISNULL( bv ) )
		pim_event_field( buf, size, len, name, bv->bv_val,
			(int)bv->bv_len, 1 );
}

static void
pim_event_time( char *buf, size_t size, size_t *len, const char *name,
	time_t t )
{
	char tb[PIM_GENTIME_BUFSIZE];

	if ( t != 0 && pim_gentime_format( t, tb, sizeof( tb ) ) == 0 )
		pim_event_field( buf, size, len, name, tb, (int)strlen( tb ), 0 );
}

const struct berval pim_actor_self = BER_BVC( "pim" );

/* A refusal: the event ev (its ev_result and ev_text are the answer)
 * goes on the record before the client hears of it, so that no refusal
 * is ever answered unrecorded. */
int
pim_refuse_send( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_event_info *ev )
{
	pim_event( op, pi, ev );
	rs->sr_err = ev->ev_result;
	rs->sr_text = ev->ev_text;
	send_ldap_result( op, rs );
	return rs->sr_err;
}

void
pim_event( Operation *op, pim_info *pi, const pim_event_info *ev )
{
	char buf[2048], refused[48];
	const char *name = pim_event_kind_name( ev->ev_kind );
	const struct berval *about = ev->ev_id ? ev->ev_id : ev->ev_dn;
	size_t len = 0;
	static const struct berval anonymous = BER_BVC( "anonymous" );
	/* nobody named: the requester, an unauthenticated client, or (the
	 * timer's events, with no client) PIM itself */
	const struct berval *by = ev->ev_by ? ev->ev_by :
		!BER_BVISEMPTY( &op->o_ndn ) ? &op->o_ndn :
		op->o_conn != NULL && !BER_BVISEMPTY( &op->o_conn->c_peer_name ) ?
		&anonymous : NULL;

	if ( ev->ev_kind == PIM_EK_REFUSED ) {
		snprintf( refused, sizeof( refused ), "%s %s", name,
			ev->ev_action ? ev->ev_action : "request" );
		name = refused;
	}
	buf[0] = '\0';
	pim_event_bv( buf, sizeof( buf ), &len, "role", ev->ev_role );
	pim_event_bv( buf, sizeof( buf ), &len, "principal", ev->ev_principal );
	if ( about != NULL && !BER_BVISNULL( about ) )
		pim_event_field( buf, sizeof( buf ), &len, "id",
			about->bv_val, (int)about->bv_len, 0 );
	pim_event_time( buf, sizeof( buf ), &len, "start", ev->ev_start );
	pim_event_time( buf, sizeof( buf ), &len, "until", ev->ev_end );
	if ( by != NULL )
		pim_event_bv( buf, sizeof( buf ), &len, "by", by );
	else
		pim_event_field( buf, sizeof( buf ), &len, "by", "pim", 3, 1 );
	pim_event_bv( buf, sizeof( buf ), &len, "reason", ev->ev_reason );
	pim_event_bv( buf, sizeof( buf ), &len, "ticket", ev->ev_ticket );
	if ( ev->ev_alert != NULL )
		pim_event_field( buf, sizeof( buf ), &len, "alert",
			ev->ev_alert, (int)strlen( ev->ev_alert ), 0 );
	pim_event_bv( buf, sizeof( buf ), &len, "ref", ev->ev_ref );
	if ( ev->ev_result != LDAP_SUCCESS || ev->ev_alert != NULL ) {
		char rc[16];

		snprintf( rc, sizeof( rc ), "%d", ev->ev_result );
		if ( ev->ev_result != LDAP_SUCCESS )
			pim_event_field( buf, sizeof( buf ), &len, "err", rc,
				(int)strlen( rc ), 0 );
		pim_event_field( buf, sizeof( buf ), &len, "text", ev->ev_text,
			ev->ev_text ? (int)strlen( ev->ev_text ) : 0, 1 );
	}
	if ( ev->ev_alert != NULL )
		Debug( LDAP_DEBUG_ANY, "%s pim: WARNING: %s%s\n",
			op->o_log_prefix, name, buf );
	else
		Debug( LDAP_DEBUG_STATS, "%s pim: %s%s\n", op->o_log_prefix,
			name, buf );
	/* A refusal that reached no PIM database has nowhere to go. */
	if ( pi == NULL )
		return;
	/* every refusal, of either door, is of kind PIM_EK_REFUSED: counted
	 * here, once, for cn=Monitor */
	if ( ev->ev_result != LDAP_SUCCESS && ev->ev_kind == PIM_EK_REFUSED )
		pim_monitor_refused( pi, name + sizeof( "refused" ),
			ev->ev_result );
	pim_audit_event( op, pi, ev, name, by );
}
