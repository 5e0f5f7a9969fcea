/* pim_mfa.c - the second factor on activation: TOTP codes checked
 * against the directory's OATH tokens.
 *
 * The tokens are those of OpenLDAP's own otp overlay, so that a site
 * that already asks for codes on bind enrolls its users once:
 *   user   oathTOTPUser, oathTOTPToken: DN of the token
 *   token  oathTOTPToken, oathSecret, oathTOTPParams: DN of the
 *          parameters, oathTOTPLastTimeStep: the last step used
 *   params oathTOTPParams, oathOTPLength, oathHMACAlgorithm,
 *          oathTOTPTimeStepPeriod, oathTOTPTimeStepWindow
 * The schema is otp's (moduleload otp.la before pim); it is looked up
 * when a role first needs a code, never registered here.  otp reads a
 * drift only from the parameters, whose class does not allow one, so
 * no drift is applied here either.
 *
 * Replay: a code's step must be above oathTOTPLastTimeStep, and using it
 * moves the value up with one modify that deletes the old value and
 * adds the new one.  If a bind or another activation moved it meanwhile,
 * the delete fails and the code is checked again against the new value:
 * the same code never succeeds twice.
 *
 * One code, several roles: a code redeemed on a connection may be given
 * again on that same connection, by the same user, for the same token,
 * while its step is the token's last and for at most one period after
 * (pimctl activate ROLE1 ROLE2 ... sends one code for all).  The grant
 * is kept in memory and names the connection, so a code seen elsewhere
 * is still a replay.
 *
 * Wrong codes are counted per user, in memory: pi_mfa_max_failures of
 * them within pi_mfa_failure_window lock that user's MFA activations
 * out for pi_mfa_lockout.  The code itself is never stored or logged.
 */
#include "pim.h"
#include "pim_totp.h"

/* A user's recent wrong codes. */
typedef struct pim_mfa_fail {
	struct pim_mfa_fail	*mf_next;
	struct berval		mf_ndn;		/* ch_malloc */
	time_t			mf_first;	/* first failure of the window */
	int			mf_count;
	time_t			mf_until;	/* locked out until; 0: not */
} pim_mfa_fail;

/* The otp overlay's schema. */
typedef struct pim_oath_schema {
	AttributeDescription	*os_token, *os_params, *os_secret, *os_length,
				*os_alg, *os_period, *os_window, *os_last;
	ObjectClass		*os_oc_token, *os_oc_params;
} pim_oath_schema;

/* A code redeemed on a connection (see the file comment). */
typedef struct pim_mfa_grant {
	struct pim_mfa_grant	*mg_next;
	struct berval		mg_user, mg_token;	/* ch_malloc */
	int64_t			mg_step;
	unsigned long		mg_connid;
	time_t			mg_until;
} pim_mfa_grant;

struct pim_mfa {
	ldap_pvt_thread_mutex_t	mm_mutex;	/* guards what follows */
	pim_mfa_fail		*mm_fails;
	pim_mfa_grant		*mm_grants;
	pim_oath_schema		mm_schema;	/* fixed once resolved */
	int			mm_resolved;
};

/* One look at a token: what is needed to check a code and to move its
 * last step up. */
typedef struct pim_mfa_look {
	struct berval		ml_token;	/* normalized DN */
	pim_totp_params		ml_params;
	enum pim_totp_result	ml_result;
	int64_t			ml_step;	/* the code's, if it verified */
	int64_t			ml_last;	/* -1: none */
	int			ml_again;	/* a replay of the last step */
	char			ml_lastbuf[32];	/* the stored value */
} pim_mfa_look;

/* Several activations racing on one token are told apart by the
 * compare-and-swap; a loser looks again, and with the same code it is
 * a replay.  More tries than this means the token is being hammered. */
#define PIM_MFA_TRIES	4

/* --- grants: one code for several roles on a connection -------------- */

/* Drop the grants that ended by now (all of them if all).  Caller holds
 * mm_mutex, or is the last user of mm. */
static void
pim_mfa_grants_prune( struct pim_mfa *mm, time_t now, int all )
{
	pim_mfa_grant **gp = &mm->mm_grants, *g;

	while ( ( g = *gp ) != NULL ) {
		if ( all || g->mg_until <= now ) {
			*gp = g->mg_next;
			ch_free( g->mg_user.bv_val );
			ch_free( g->mg_token.bv_val );
			ch_free( g );
		} else {
			gp = &g->mg_next;
		}
	}
}

static pim_mfa_grant *
pim_mfa_grant_find( struct pim_mfa *mm, struct berval *user,
	struct berval *token, unsigned long connid )
{
	pim_mfa_grant *g;

	for ( g = mm->mm_grants; g != NULL; g = g->mg_next ) {
		if ( g->mg_connid == connid && dn_match( &g->mg_user, user ) &&
			dn_match( &g->mg_token, token ) )
			return g;
	}
	return NULL;
}

/* The code of step was redeemed on op's connection: remember it for
 * one period. */
static void
pim_mfa_grant_note( Operation *op, pim_info *pi, struct berval *user,
	struct berval *token, int64_t step, long period, time_t now )
{
	struct pim_mfa *mm = pi->pi_mfa;
	pim_mfa_grant *g;

	ldap_pvt_thread_mutex_lock( &mm->mm_mutex );
	pim_mfa_grants_prune( mm, now, 0 );
	g = pim_mfa_grant_find( mm, user, token, op->o_connid );
	if ( g == NULL ) {
		g = ch_calloc( 1, sizeof( *g ) );
		ber_dupbv( &g->mg_user, user );
		ber_dupbv( &g->mg_token, token );
		g->mg_connid = op->o_connid;
		g->mg_next = mm->mm_grants;
		mm->mm_grants = g;
	}
	g->mg_step = step;
	g->mg_until = now + period;
	ldap_pvt_thread_mutex_unlock( &mm->mm_mutex );
}

/* May the code of step, already used, serve op once more? */
static int
pim_mfa_granted( Operation *op, pim_info *pi, struct berval *user,
	struct berval *token, int64_t step, time_t now )
{
	struct pim_mfa *mm = pi->pi_mfa;
	pim_mfa_grant *g;
	int ok;

	ldap_pvt_thread_mutex_lock( &mm->mm_mutex );
	pim_mfa_grants_prune( mm, now, 0 );
	g = pim_mfa_grant_find( mm, user, token, op->o_connid );
	ok = g != NULL && g->mg_step == step;
	ldap_pvt_thread_mutex_unlock( &mm->mm_mutex );
	return ok;
}

void
pim_mfa_init( pim_info *pi )
{
	pi->pi_mfa = ch_calloc( 1, sizeof( struct pim_mfa ) );
	ldap_pvt_thread_mutex_init( &pi->pi_mfa->mm_mutex );
	pi->pi_mfa_max_failures = PIM_MFA_MAX_FAILURES;
	pi->pi_mfa_failure_window = PIM_MFA_FAILURE_WINDOW;
	pi->pi_mfa_lockout = PIM_MFA_LOCKOUT;
}

void
pim_mfa_destroy( pim_info *pi )
{
	pim_mfa_fail *f, *next;

	if ( pi->pi_mfa == NULL )
		return;
	for ( f = pi->pi_mfa->mm_fails; f != NULL; f = next ) {
		next = f->mf_next;
		ch_free( f->mf_ndn.bv_val );
		ch_free( f );
	}
	pim_mfa_grants_prune( pi->pi_mfa, 0, 1 );
	ldap_pvt_thread_mutex_destroy( &pi->pi_mfa->mm_mutex );
	ch_free( pi->pi_mfa );
	pi->pi_mfa = NULL;
}

/* --- the otp overlay's schema ---------------------------------------- */

static int
pim_oath_resolve( pim_oath_schema *os )
{
	struct {
		const char		*name;
		AttributeDescription	**adp;
	} ads[] = {
		{ "oathTOTPToken", &os->os_token },
		{ "oathTOTPParams", &os->os_params },
		{ "oathSecret", &os->os_secret },
		{ "oathOTPLength", &os->os_length },
		{ "oathHMACAlgorithm", &os->os_alg },
		{ "oathTOTPTimeStepPeriod", &os->os_period },
		{ "oathTOTPTimeStepWindow", &os->os_window },
		{ "oathTOTPLastTimeStep", &os->os_last },
		{ NULL, NULL }
	};
	const char *text;
	int i;

	for ( i = 0; ads[i].name != NULL; i++ ) {
		*ads[i].adp = NULL;
		if ( slap_str2ad( ads[i].name, ads[i].adp, &text ) != LDAP_SUCCESS )
			return -1;
	}
	os->os_oc_token = oc_find( "oathTOTPToken" );
	os->os_oc_params = oc_find( "oathTOTPParams" );
	return os->os_oc_token && os->os_oc_params ? 0 : -1;
}

/* The schema, or NULL while otp.la is not loaded (it may be added
 * through cn=config later: a miss is not remembered). */
static pim_oath_schema *
pim_mfa_schema( struct pim_mfa *mm )
{
	pim_oath_schema *os = NULL;

	ldap_pvt_thread_mutex_lock( &mm->mm_mutex );
	if ( !mm->mm_resolved && pim_oath_resolve( &mm->mm_schema ) == 0 )
		mm->mm_resolved = 1;
	if ( mm->mm_resolved )
		os = &mm->mm_schema;
	ldap_pvt_thread_mutex_unlock( &mm->mm_mutex );
	return os;
}

/* --- the failure table ----------------------------------------------- */

static int
pim_mfa_fail_stale( pim_info *pi, pim_mfa_fail *f, time_t now )
{
	if ( f->mf_until != 0 )
		return now >= f->mf_until;
	return now - f->mf_first >= pi->pi_mfa_failure_window;
}

/* The record of ndn, if any; stale records are dropped on the way, so
 * that the table holds only users who failed recently.  Called with
 * mm_mutex held. */
static pim_mfa_fail *
pim_mfa_fail_find( pim_info *pi, struct berval *ndn, time_t now )
{
	pim_mfa_fail **fp = &pi->pi_mfa->mm_fails, *f, *found = NULL;

	while ( ( f = *fp ) != NULL ) {
		if ( pim_mfa_fail_stale( pi, f, now ) ) {
			*fp = f->mf_next;
			ch_free( f->mf_ndn.bv_val );
			ch_free( f );
			continue;
		}
		if ( dn_match( &f->mf_ndn, ndn ) )
			found = f;
		fp = &f->mf_next;
	}
	return found;
}

/* Seconds of lockout left for ndn; 0 if not locked out. */
static long
pim_mfa_locked( pim_info *pi, struct berval *ndn, time_t now )
{
	pim_mfa_fail *f;
	long left = 0;

	ldap_pvt_thread_mutex_lock( &pi->pi_mfa->mm_mutex );
	f = pim_mfa_fail_find( pi, ndn, now );
	if ( f != NULL && f->mf_until > now )
		left = (long)( f->mf_until - now );
	ldap_pvt_thread_mutex_unlock( &pi->pi_mfa->mm_mutex );
	return left;
}

/* Count one wrong code.  Returns the count in the current window;
 * *until is set when this failure starts a lockout. */
static int
pim_mfa_fail_count( pim_info *pi, struct berval *ndn, time_t now,
	time_t *until )
{
	pim_mfa_fail *f;
	int n;

	*until = 0;
	if ( pi->pi_mfa_max_failures <= 0 )
		return 0;
	ldap_pvt_thread_mutex_lock( &pi->pi_mfa->mm_mutex );
	f = pim_mfa_fail_find( pi, ndn, now );
	if ( f == NULL ) {
		f = ch_calloc( 1, sizeof( *f ) );
		ber_dupbv( &f->mf_ndn, ndn );
		f->mf_first = now;
		f->mf_next = pi->pi_mfa->mm_fails;
		pi->pi_mfa->mm_fails = f;
	}
	n = ++f->mf_count;
	if ( n >= pi->pi_mfa_max_failures && f->mf_until == 0 ) {
		f->mf_until = now + pi->pi_mfa_lockout;
		*until = f->mf_until;
		PIM_MON_ADD( &pi->pi_mon_mfa_lockouts );	/* cn=Monitor */
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_mfa->mm_mutex );
	return n;
}

/* A good code clears the user's count (a lockout that another request
 * started meanwhile stays). */
static void
pim_mfa_fail_clear( pim_info *pi, struct berval *ndn, time_t now )
{
	pim_mfa_fail *f;

	ldap_pvt_thread_mutex_lock( &pi->pi_mfa->mm_mutex );
	f = pim_mfa_fail_find( pi, ndn, now );
	if ( f != NULL )
		f->mf_first = now - pi->pi_mfa_failure_window;	/* stale */
	ldap_pvt_thread_mutex_unlock( &pi->pi_mfa->mm_mutex );
}

/* --- reading the token ----------------------------------------------- */

/* Tokens live where the site keeps them: a user's entry names its
 * token, and whoever may write under the user's entry (a user
 * administrator, the user) could otherwise make a token with a secret
 * of their choosing and point the entry at it.  So the token and its
 * parameters must be within pim-mfa-token-base (by default ou=otp under
 * the database's first suffix, where pimctl mfa enroll puts them), and
 * a token its holder may write is no second factor
 * (pim_mfa_token_writable). */
static int
pim_mfa_in_base( Operation *op, pim_info *pi, struct berval *dn )
{
	static const struct berval ou = BER_BVC( "ou=otp" );
	struct berval base;
	int in;

	if ( !BER_BVISEMPTY( &pi->pi_nmfa_token_base ) )
		return dnIsSuffix( dn, &pi->pi_nmfa_token_base );
	build_new_dn( &base, &pi->pi_db->be_nsuffix[0], (struct berval *)&ou,
		op->o_tmpmemctx );
	in = dnIsSuffix( dn, &base );
	op->o_tmpfree( base.bv_val, op->o_tmpmemctx );
	return in;
}

/* The DN of user's TOTP token into *token (o_tmpmemctx). */
static int
pim_mfa_token_dn( Operation *op, pim_info *pi, pim_oath_schema *os,
	struct berval *user, struct berval *token, const char **text )
{
	Entry *e = NULL;
	struct berval *v;

	BER_BVZERO( token );
	if ( pim_entry_get( op, pi, user, &e ) == LDAP_SUCCESS &&
		( v = pim_entry_nval( e, os->os_token ) ) != NULL )
		ber_dupbv_x( token, v, op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	if ( BER_BVISNULL( token ) ) {
		*text = "this role requires MFA, and you have no TOTP token "
			"(oathTOTPToken): an administrator enrolls one "
			"(pimctl mfa enroll)";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( !pim_mfa_in_base( op, pi, token ) ) {
		op->o_tmpfree( token->bv_val, op->o_tmpmemctx );
		BER_BVZERO( token );
		*text = "your TOTP token (oathTOTPToken) is outside the "
			"server's token base (pim-mfa-token-base): an "
			"administrator enrolls one there (pimctl mfa enroll)";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	return LDAP_SUCCESS;
}

/* May the requester (the token's holder) change the token's secret or
 * its parameters?  Then the code proves nothing a password does not. */
static int
pim_mfa_token_writable( Operation *op, pim_info *pi, pim_oath_schema *os,
	Entry *token )
{
	BackendDB *saved = op->o_bd;
	int w;

	op->o_bd = pi->pi_db;
	w = access_allowed( op, token, os->os_secret, NULL, ACL_WRITE, NULL ) ||
		access_allowed( op, token, os->os_params, NULL, ACL_WRITE, NULL );
	op->o_bd = saved;
	return w;
}

/* An integer attribute of e: 0, 1 if absent, -1 if unreadable. */
static int
pim_mfa_long( Entry *e, AttributeDescription *ad, long *v )
{
	struct berval *bv = pim_entry_val( e, ad );

	if ( bv == NULL )
		return 1;
	return lutil_atol( v, bv->bv_val ) == 0 ? 0 : -1;
}

/* The parameters entry at ndn into *p. */
static int
pim_mfa_params( Operation *op, pim_info *pi, pim_oath_schema *os,
	struct berval *ndn, pim_totp_params *p, const char **text )
{
	Entry *e = NULL;
	struct berval *alg;
	long digits, period, window = 0;
	int rc = LDAP_OTHER;

	*text = "the TOTP token's parameters entry (oathTOTPParams) is "
		"missing or incomplete";
	if ( pim_entry_get( op, pi, ndn, &e ) != LDAP_SUCCESS ||
		!is_entry_objectclass_or_sub( e, os->os_oc_params ) )
		goto done;
	alg = pim_entry_val( e, os->os_alg );
	if ( alg == NULL ||
		pim_mfa_long( e, os->os_length, &digits ) != 0 ||
		pim_mfa_long( e, os->os_period, &period ) != 0 ||
		pim_mfa_long( e, os->os_window, &window ) < 0 )
		goto done;
	if ( pim_totp_hash_from_oid( alg->bv_val, alg->bv_len,
		&p->tp_hash ) != 0 )
	{
		*text = "the TOTP token's HMAC algorithm (oathHMACAlgorithm) "
			"is not supported";
		goto done;
	}
	/* out of int's range is out of the check's range too */
	p->tp_digits = digits < 0 || digits > INT_MAX ? -1 : (int)digits;
	p->tp_period = period;
	p->tp_window = window < 0 || window > INT_MAX ? -1 : (int)window;
	if ( pim_totp_params_check( p, text ) == 0 )
		rc = LDAP_SUCCESS;
done:
	pim_entry_release( op, pi, e );
	return rc;
}

/* Read the token and check code against it; the secret is used where
 * the backend holds it and never copied. */
static int
pim_mfa_look_at( Operation *op, pim_info *pi, pim_oath_schema *os,
	struct berval *code, time_t now, pim_mfa_look *ml, const char **text )
{
	Entry *e = NULL;
	struct berval *secret, *pdn, *last;
	long l = -1;
	int rc = LDAP_OTHER;

	*text = "the TOTP token entry is missing or incomplete";
	if ( pim_entry_get( op, pi, &ml->ml_token, &e ) != LDAP_SUCCESS ||
		!is_entry_objectclass_or_sub( e, os->os_oc_token ) )
		goto done;
	secret = pim_entry_val( e, os->os_secret );
	pdn = pim_entry_nval( e, os->os_params );
	last = pim_entry_nval( e, os->os_last );
	if ( secret == NULL || secret->bv_len == 0 || pdn == NULL )
		goto done;
	if ( !pim_mfa_in_base( op, pi, pdn ) ) {
		*text = "the TOTP token's parameters (oathTOTPParams) are outside "
			"the server's token base (pim-mfa-token-base)";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	if ( pim_mfa_token_writable( op, pi, os, e ) ) {
		*text = "you may change your own TOTP token, so its codes are no "
			"second factor: the token's access controls must keep its "
			"holder from writing it (see slapo-pim(5), MULTI-FACTOR "
			"AUTHENTICATION)";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	if ( last != NULL && ( lutil_atol( &l, last->bv_val ) != 0 || l < 0 ||
		last->bv_len >= sizeof( ml->ml_lastbuf ) ) )
	{
		*text = "the TOTP token's last time step is unreadable";
		goto done;
	}
	ml->ml_last = l;
	if ( last != NULL )
		memcpy( ml->ml_lastbuf, last->bv_val, last->bv_len + 1 );
	rc = pim_mfa_params( op, pi, os, pdn, &ml->ml_params, text );
	if ( rc == LDAP_SUCCESS )
		ml->ml_result = pim_totp_verify(
			(const unsigned char *)secret->bv_val, secret->bv_len,
			&ml->ml_params, now, ml->ml_last, code->bv_val,
			code->bv_len, &ml->ml_step );
	/* a replay: is it the code of the last step itself, the one a grant
	 * may cover? */
	if ( rc == LDAP_SUCCESS && ml->ml_result == PIM_TOTP_REPLAY &&
		ml->ml_last >= 0 )
	{
		int64_t s = -1;

		ml->ml_again = pim_totp_verify(
			(const unsigned char *)secret->bv_val, secret->bv_len,
			&ml->ml_params, now, ml->ml_last - 1, code->bv_val,
			code->bv_len, &s ) == PIM_TOTP_OK && s == ml->ml_last;
	}
done:
	pim_entry_release( op, pi, e );
	return rc;
}

/* --- using a code ---------------------------------------------------- */

/* Move oathTOTPLastTimeStep from what ml saw to the code's step, only
 * if it still is what ml saw. */
static int
pim_mfa_advance( Operation *op, pim_info *pi, pim_oath_schema *os,
	pim_mfa_look *ml )
{
	pim_modlist mods = { .ml_n = 0 };
	struct berval old;
	char buf[32];

	if ( ml->ml_last >= 0 ) {
		ber_str2bv( ml->ml_lastbuf, 0, 0, &old );
		pim_ml_add( &mods, LDAP_MOD_DELETE, os->os_last, &old );
	}
	snprintf( buf, sizeof( buf ), "%lld", (long long)ml->ml_step );
	/* with no old value, a racing add makes the value two: refused */
	pim_ml_str( &mods, LDAP_MOD_ADD, os->os_last, buf );
	return pim_internal_modify( op, pi, &ml->ml_token, pim_ml_head( &mods ) );
}

static int
pim_mfa_lost_race( int rc )
{
	return rc == LDAP_NO_SUCH_ATTRIBUTE || rc == LDAP_TYPE_OR_VALUE_EXISTS ||
		rc == LDAP_CONSTRAINT_VIOLATION;
}

/* Through the event funnel, so that the log and the audit trail (and
 * its "mfa failure" alert) see every wrong code and every lockout: the
 * user, what was wrong and the count in the window, never the code. */
static void
pim_mfa_event( Operation *op, pim_info *pi, struct berval *user,
	enum pim_event_kind kind, const char *why, int failures, time_t until,
	int rc, const char *text )
{
	char buf[96];
	struct berval reason = { 0, buf };
	pim_event_info e = { .ev_kind = kind, .ev_principal = user,
		.ev_counts = kind == PIM_EK_MFA_FAILURE ? PIM_COUNTS_MFA_FAILURE :
			PIM_COUNTS_NOTHING,
		.ev_end = until, .ev_reason = &reason, .ev_result = rc,
		.ev_text = text };
	int n;

	/* without a lockout (pim-mfa-max-failures 0) nothing is counted */
	n = failures > 0 ? snprintf( buf, sizeof( buf ), "%s; %d wrong "
		"one-time code%s in the window", why, failures,
		failures == 1 ? "" : "s" ) : snprintf( buf, sizeof( buf ), "%s",
		why );
	reason.bv_len = n < 0 ? 0 : (size_t)n < sizeof( buf ) ? (size_t)n :
		sizeof( buf ) - 1;
	pim_event( op, pi, &e );
}

/* The refusal of a code that did not verify; it counts as a failure. */
static int
pim_mfa_refuse( Operation *op, pim_info *pi, struct berval *user,
	pim_mfa_look *ml, time_t now, const char **text )
{
	static const char *const why[] = { "accepted", "wrong",
		"outside the window", "replayed", "malformed" };
	static const char *const digits[] = {
		"the one-time code must have 6 digits",
		"the one-time code must have 7 digits",
		"the one-time code must have 8 digits" };
	time_t until;
	int n;

	/* One text for every code that does not verify: saying that a code
	 * is right for a nearby time step, or was right and is used up,
	 * would tell a guesser that it guessed right.  The audit record
	 * keeps the reason for the administrators. */
	switch ( ml->ml_result ) {
	case PIM_TOTP_MALFORMED:
		/* params were checked: 6 to 8 digits */
		*text = digits[ml->ml_params.tp_digits - PIM_TOTP_MIN_DIGITS];
		break;
	default:
		*text = "wrong one-time code";
		break;
	}
	n = pim_mfa_fail_count( pi, user, now, &until );
	pim_mfa_event( op, pi, user, PIM_EK_MFA_FAILURE, why[ml->ml_result], n, 0,
		LDAP_INVALID_CREDENTIALS, *text );
	if ( until != 0 )
		pim_mfa_event( op, pi, user, PIM_EK_MFA_LOCKOUT, "locked out", n,
			until, LDAP_UNWILLING_TO_PERFORM,
			"too many wrong one-time codes" );
	return LDAP_INVALID_CREDENTIALS;
}

/* Check code against the token and use it up. */
static int
pim_mfa_redeem( Operation *op, pim_info *pi, pim_oath_schema *os,
	struct berval *user, struct berval *token, struct berval *code,
	time_t now, const char **text )
{
	pim_mfa_look ml;
	int i, rc;

	for ( i = 0; i < PIM_MFA_TRIES; i++ ) {
		memset( &ml, 0, sizeof( ml ) );
		ml.ml_token = *token;
		rc = pim_mfa_look_at( op, pi, os, code, now, &ml, text );
		if ( rc != LDAP_SUCCESS )
			return rc;
		if ( ml.ml_result == PIM_TOTP_REPLAY && ml.ml_again &&
			pim_mfa_granted( op, pi, user, token, ml.ml_last, now ) )
			return LDAP_SUCCESS;
		if ( ml.ml_result != PIM_TOTP_OK )
			return pim_mfa_refuse( op, pi, user, &ml, now, text );
		rc = pim_mfa_advance( op, pi, os, &ml );
		if ( rc == LDAP_SUCCESS ) {
			/* the activation's own event follows */
			pim_mfa_fail_clear( pi, user, now );
			pim_mfa_grant_note( op, pi, user, token, ml.ml_step,
				ml.ml_params.tp_period, now );
			return LDAP_SUCCESS;
		}
		if ( !pim_mfa_lost_race( rc ) ) {
			*text = "cannot record the use of the one-time code";
			return LDAP_OTHER;
		}
	}
	*text = "the TOTP token is busy: try again";
	return LDAP_BUSY;
}

/* The text of a lockout, on op's memory: it lives until the result is
 * sent. */
static const char *
pim_mfa_locked_text( Operation *op, long left )
{
	static const char fmt[] = "too many wrong one-time codes: "
		"activations of roles that require MFA are refused for %ld "
		"more seconds";
	size_t len = sizeof( fmt ) + 24;
	char *buf = op->o_tmpalloc( len, op->o_tmpmemctx );

	snprintf( buf, len, fmt, left );
	return buf;
}

/* Called for roles whose policy says pimMFARequired: user (the
 * principal, normalized) must give a fresh code of their TOTP token.
 * The checks run from what no code can fix to the code itself, so that
 * pimctl asks for a code only when one would help. */
int
pim_mfa_check( Operation *op, pim_info *pi, struct berval *user,
	struct berval *code, const char **text )
{
	pim_oath_schema *os = pim_mfa_schema( pi->pi_mfa );
	time_t now = slap_get_time();
	struct berval token;
	long left;
	int rc;

	if ( os == NULL ) {
		*text = "this role requires a one-time code, and this server "
			"cannot verify one: the otp overlay's schema is missing "
			"(moduleload otp.la before the pim module)";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	left = pim_mfa_locked( pi, user, now );
	if ( left > 0 ) {
		*text = pim_mfa_locked_text( op, left );
		return LDAP_UNWILLING_TO_PERFORM;
	}
	rc = pim_mfa_token_dn( op, pi, os, user, &token, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( code == NULL || BER_BVISEMPTY( code ) ) {
		*text = "this role requires a one-time code (MFA): give the "
			"current code of your TOTP token";
		rc = LDAP_STRONG_AUTH_REQUIRED;
	} else {
		rc = pim_mfa_redeem( op, pi, os, user, &token, code, now, text );
	}
	op->o_tmpfree( token.bv_val, op->o_tmpmemctx );
	return rc;
}
