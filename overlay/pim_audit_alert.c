/* pim_audit_alert.c - the alerts PIM raises itself, and their dismissal.
 *
 * Three kinds, each "more than ar_count events within ar_window", of
 * the events whose caller says they count (pim_event_info's ev_counts):
 *   activation-frequency  activations, per user and role
 *   role-write            writes to a PIM role refused because they went
 *                         around PIM, per user and role
 *   mfa-failures          wrong one-time codes, per user
 * An alert is an event of its own ("alert", with pimAuditAlert naming
 * the kind) in the audit trail, and a warning in slapd's log at
 * LDAP_DEBUG_ANY, which reaches syslog whatever the log level.  One key
 * raises at most one alert per window, so a burst is one alert, not a
 * flood.  The counts live in memory only: a restart forgets them.
 *
 * The scans of "pimctl alerts" (roles without MFA or approval,
 * permanent active assignments, stale eligibility) look at the
 * directory as it is, so they live in pimctl.
 *
 * Dismissal: an administrator's modify of the audit container that
 * adds exactly one pimAuditRef (the alert's sequence number, or the id
 * pimctl gives a scan finding) and one pimAuditReason.  The container is
 * not changed: PIM records an "alert dismissed" event instead and
 * answers success.
 */
#include "pim_audit.h"

/* The last ar_count + 1 times of one key's events, in a ring. */
struct pim_alert_track {
	pim_alert_track	*at_next;
	int		at_kind;
	struct berval	at_key;		/* ch_malloc */
	time_t		*at_times;
	int		at_cap, at_n, at_head;
	time_t		at_alerted;	/* the last alert; 0: none */
};

/* Entra's baseline, roughly: a burst of activations, any attempt on a
 * role behind PIM's back, a few wrong codes in a row. */
const pim_alert_rule pim_alert_defaults[PIM_ALERT_N] = {
	[PIM_ALERT_ACTIVATIONS] = { 5, 86400 },
	[PIM_ALERT_ROLE_WRITES] = { 0, 3600 },
	[PIM_ALERT_MFA] = { 2, 900 }
};

static const char *const pim_alert_names[PIM_ALERT_N] = {
	"activation-frequency", "role-write", "mfa-failures"
};

/* Scan findings pimctl may ask to dismiss: "<kind>:<subject digest>". */
static const char *const pim_scan_kinds[] = {
	"no-mfa", "no-approval", "permanent-assignments", "stale-eligibility",
	NULL
};

void
pim_alert_init( struct pim_audit *au )
{
	ldap_pvt_thread_mutex_init( &au->au_alert_mutex );
}

static void
pim_alert_track_free( pim_alert_track *at )
{
	ch_free( at->at_key.bv_val );
	ch_free( at->at_times );
	ch_free( at );
}

void
pim_alert_destroy( struct pim_audit *au )
{
	pim_alert_track *at, *next;
	int i;

	for ( i = 0; i < PIM_ALERT_BUCKETS; i++ ) {
		for ( at = au->au_alerts[i]; at != NULL; at = next ) {
			next = at->at_next;
			pim_alert_track_free( at );
		}
		au->au_alerts[i] = NULL;
	}
	ldap_pvt_thread_mutex_destroy( &au->au_alert_mutex );
}

static unsigned
pim_alert_bucket( int kind, struct berval *key )
{
	unsigned h = (unsigned)kind * 31u;
	ber_len_t i;

	for ( i = 0; i < key->bv_len; i++ )
		h = h * 33u + (unsigned char)key->bv_val[i];
	return h % PIM_ALERT_BUCKETS;
}

/* Forget keys with nothing in their window.  Caller holds the mutex. */
static void
pim_alert_sweep( pim_info *pi, time_t now )
{
	struct pim_audit *au = pi->pi_audit;
	pim_alert_track **pp, *at;
	int i;

	for ( i = 0; i < PIM_ALERT_BUCKETS; i++ ) {
		for ( pp = &au->au_alerts[i]; ( at = *pp ) != NULL; ) {
			long w = pi->pi_alerts[at->at_kind].ar_window;
			int newest = ( at->at_head + at->at_cap - 1 ) % at->at_cap;

			if ( at->at_n == 0 || ( at->at_times[newest] <= now - w &&
				at->at_alerted <= now - w ) )
			{
				*pp = at->at_next;
				pim_alert_track_free( at );
			} else {
				pp = &at->at_next;
			}
		}
	}
}

static pim_alert_track *
pim_alert_find( pim_info *pi, int kind, struct berval *key, int cap )
{
	struct pim_audit *au = pi->pi_audit;
	unsigned b = pim_alert_bucket( kind, key );
	pim_alert_track *at;

	for ( at = au->au_alerts[b]; at != NULL; at = at->at_next ) {
		if ( at->at_kind == kind && bvmatch( &at->at_key, key ) )
			break;
	}
	if ( at != NULL && at->at_cap != cap ) {
		/* the threshold changed: start this key's count afresh */
		ch_free( at->at_times );
		at->at_times = ch_calloc( cap, sizeof( time_t ) );
		at->at_cap = cap;
		at->at_n = at->at_head = 0;
	}
	if ( at == NULL ) {
		at = ch_calloc( 1, sizeof( *at ) );
		at->at_kind = kind;
		ber_dupbv( &at->at_key, key );
		at->at_times = ch_calloc( cap, sizeof( time_t ) );
		at->at_cap = cap;
		at->at_next = au->au_alerts[b];
		au->au_alerts[b] = at;
	}
	return at;
}

/* Count one event at now; 1 when it raises an alert. */
static int
pim_alert_tick( pim_info *pi, int kind, struct berval *key, time_t now )
{
	struct pim_audit *au = pi->pi_audit;
	pim_alert_rule rule = pi->pi_alerts[kind];
	pim_alert_track *at;
	int fire = 0, oldest;

	ldap_pvt_thread_mutex_lock( &au->au_alert_mutex );
	if ( ++au->au_alert_adds % 256 == 0 )
		pim_alert_sweep( pi, now );
	at = pim_alert_find( pi, kind, key, rule.ar_count + 1 );
	/* the ring keeps the last ar_count + 1 times: once full, the
	 * oldest of them tells whether they all fall within the window */
	at->at_times[at->at_head] = now;
	at->at_head = ( at->at_head + 1 ) % at->at_cap;
	if ( at->at_n < at->at_cap )
		at->at_n++;
	oldest = at->at_n < at->at_cap ? 0 : at->at_head;
	if ( at->at_n == at->at_cap && now - at->at_times[oldest] < rule.ar_window &&
		( at->at_alerted == 0 || now - at->at_alerted >= rule.ar_window ) )
	{
		at->at_alerted = now;
		fire = 1;
	}
	ldap_pvt_thread_mutex_unlock( &au->au_alert_mutex );
	return fire;
}

static void
pim_alert_raise( Operation *op, pim_info *pi, int kind,
	const struct berval *principal, const struct berval *role )
{
	static const char *const what[PIM_ALERT_N] = {
		"activations of the role", "attempts to change the role outside PIM",
		"wrong one-time codes"
	};
	pim_alert_rule rule = pi->pi_alerts[kind];
	char text[256], window[PIM_DURATION_BUFSIZE];
	pim_event_info e = { .ev_kind = PIM_EK_ALERT, .ev_alert = pim_alert_names[kind],
		.ev_principal = principal, .ev_role = role,
		.ev_by = &pim_actor_self,
		.ev_text = text };

	if ( pim_duration_format( rule.ar_window, window, sizeof( window ) ) < 0 )
		snprintf( window, sizeof( window ), "%lds", rule.ar_window );
	snprintf( text, sizeof( text ), "%d %s within %s (the threshold is "
		"more than %d)", rule.ar_count + 1, what[kind], window,
		rule.ar_count );
	pim_event( op, pi, &e );
}

/* An emergency role was activated (or extended; what says which): an
 * "emergency" event and an alert, both logged at the highest level,
 * every time - the break-glass path is loud by design. */
void
pim_alert_emergency( Operation *op, pim_info *pi, const char *what,
	const struct berval *principal, const struct berval *role,
	const struct berval *id, const struct berval *reason )
{
	char text[128];
	pim_event_info e = { .ev_kind = PIM_EK_EMERGENCY, .ev_alert = "emergency",
		.ev_principal = principal, .ev_role = role, .ev_id = id,
		.ev_reason = reason, .ev_text = text };

	snprintf( text, sizeof( text ), "emergency role %s without approval",
		what );
	pim_event( op, pi, &e );
	e.ev_kind = PIM_EK_ALERT;
	e.ev_by = &pim_actor_self;
	pim_event( op, pi, &e );
}

void
pim_alert_count( Operation *op, pim_info *pi, const pim_event_info *ev,
	const struct berval *actor )
{
	const struct berval *principal = NULL, *role = NULL;
	struct berval key;
	char *p;
	int kind, fire;

	switch ( ev->ev_counts ) {
	case PIM_COUNTS_ACTIVATION:
		kind = PIM_ALERT_ACTIVATIONS;
		principal = ev->ev_principal;
		role = ev->ev_role;
		break;
	case PIM_COUNTS_ROLE_WRITE:
		kind = PIM_ALERT_ROLE_WRITES;
		principal = actor;
		role = ev->ev_role;
		break;
	case PIM_COUNTS_MFA_FAILURE:
		kind = PIM_ALERT_MFA;
		principal = ev->ev_principal ? ev->ev_principal : actor;
		break;
	default:
		return;
	}
	if ( pi->pi_alerts[kind].ar_window <= 0 || principal == NULL ||
		BER_BVISEMPTY( principal ) ||
		( kind != PIM_ALERT_MFA && ( role == NULL || BER_BVISEMPTY( role ) ) ) )
		return;

	/* the key: principal, and role where the kind counts per role */
	key.bv_len = principal->bv_len + 1 + ( role ? role->bv_len : 0 );
	key.bv_val = p = op->o_tmpalloc( key.bv_len + 1, op->o_tmpmemctx );
	memcpy( p, principal->bv_val, principal->bv_len );
	p += principal->bv_len;
	*p++ = '\n';
	if ( role != NULL ) {
		memcpy( p, role->bv_val, role->bv_len );
		p += role->bv_len;
	}
	*p = '\0';
	fire = pim_alert_tick( pi, kind, &key, slap_get_time() );
	op->o_tmpfree( key.bv_val, op->o_tmpmemctx );
	if ( fire )
		pim_alert_raise( op, pi, kind, principal,
			kind == PIM_ALERT_MFA ? NULL : role );
}

/* --- dismissal ------------------------------------------------------------ */

static int
pim_alert_door_refuse( Operation *op, SlapReply *rs, pim_info *pi, int rc,
	const char *text )
{
	pim_event_info e = { .ev_kind = PIM_EK_REFUSED, .ev_action = "dismiss",
		.ev_dn = &op->o_req_ndn, .ev_result = rc, .ev_text = text };

	return pim_refuse_send( op, rs, pi, &e );
}

/* A dismissal names an alert record or a scan finding.  0 when ref is
 * one; otherwise the result code, with *text. */
static int
pim_alert_ref_check( Operation *op, pim_info *pi, struct berval *ref,
	const char **text )
{
	struct berval ndn, *ev;
	unsigned long seq;
	char num[24], *end;
	Entry *e = NULL;
	int i, rc;

	if ( ref->bv_len > 0 && ref->bv_len < sizeof( num ) &&
		isdigit( (unsigned char)ref->bv_val[0] ) )
	{
		/* a request's values are not NUL-terminated */
		memcpy( num, ref->bv_val, ref->bv_len );
		num[ref->bv_len] = '\0';
		seq = strtoul( num, &end, 10 );
		if ( *end != '\0' ) {
			*text = "pimAuditRef: not an alert id";
			return LDAP_UNWILLING_TO_PERFORM;
		}
		pim_audit_record_dn( op, pi, seq, &ndn );
		rc = pim_entry_get( op, pi, &ndn, &e );
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
		ev = e ? pim_entry_val( e, pim_ad_audit[PIM_CH_EVENT] ) : NULL;
		rc = ev != NULL && ev->bv_len == STRLENOF( "alert" ) &&
			strncasecmp( ev->bv_val, "alert", ev->bv_len ) == 0;
		pim_entry_release( op, pi, e );
		if ( !rc ) {
			*text = "pimAuditRef: no alert with this sequence number";
			return LDAP_NO_SUCH_OBJECT;
		}
		return LDAP_SUCCESS;
	}
	for ( i = 0; pim_scan_kinds[i] != NULL; i++ ) {
		size_t n = strlen( pim_scan_kinds[i] );

		if ( ref->bv_len > n + 1 && ref->bv_len < 256 &&
			strncasecmp( ref->bv_val, pim_scan_kinds[i], n ) == 0 &&
			ref->bv_val[n] == ':' )
			return LDAP_SUCCESS;
	}
	*text = "pimAuditRef: not an alert id";
	return LDAP_UNWILLING_TO_PERFORM;
}

int
pim_alert_dismiss_door( Operation *op, SlapReply *rs, pim_info *pi )
{
	Modifications *ml;
	struct berval *ref = NULL, *reason = NULL;
	const char *text = NULL;
	int rc;

	if ( !dn_match( &op->o_req_ndn, pim_audit_where( pi ) ) )
		return SLAP_CB_CONTINUE;
	for ( ml = op->orm_modlist; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_op != LDAP_MOD_ADD || ml->sml_numvals != 1 )
			return SLAP_CB_CONTINUE;
		if ( ml->sml_desc == pim_ad_audit[PIM_CH_REF] && ref == NULL )
			ref = &ml->sml_values[0];
		else if ( ml->sml_desc == pim_ad_audit[PIM_CH_REASON] && reason == NULL )
			reason = &ml->sml_values[0];
		else
			return SLAP_CB_CONTINUE;
	}
	if ( ref == NULL )
		return SLAP_CB_CONTINUE;
	{
		Entry *e = NULL;

		(void)pim_entry_get( op, pi, &op->o_req_ndn, &e );
		rc = pim_door_controls( op, rs, e );
		pim_entry_release( op, pi, e );
		if ( rc != LDAP_SUCCESS )
			return pim_alert_door_refuse( op, rs, pi, rc, rs->sr_text );
	}
	if ( !pim_is_admin( op, pi ) )
		return pim_alert_door_refuse( op, rs, pi, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may dismiss alerts" );
	if ( reason == NULL || BER_BVISEMPTY( reason ) )
		return pim_alert_door_refuse( op, rs, pi, LDAP_CONSTRAINT_VIOLATION,
			"a dismissal needs a reason (pimAuditReason)" );
	rc = pim_alert_ref_check( op, pi, ref, &text );
	if ( rc != LDAP_SUCCESS )
		return pim_alert_door_refuse( op, rs, pi, rc, text );
	{
		pim_event_info e = { .ev_kind = PIM_EK_ALERT_DISMISSED, .ev_ref = ref,
			.ev_reason = reason };

		pim_event( op, pi, &e );
	}
	rs->sr_err = LDAP_SUCCESS;
	send_ldap_result( op, rs );
	return LDAP_SUCCESS;
}
