/* pim_config.c - slapd.conf directives and their cn=config twins.
 *
 *   pim-container DN                  where eligibility and activation
 *                                     entries live (required)
 *   pim-admin DN                      a PIM administrator: user or group
 *                                     (repeatable)
 *   pim-placeholder DN                member value that keeps an emptied
 *                                     role valid (the container)
 *   pim-mfa-token-base DN             where MFA tokens must be (ou=otp
 *                                     under the suffix)
 *   pim-group-depth 3                 levels of nested groups followed
 *                                     for administrators, auditors,
 *                                     approvers and reviewers
 * and the overlay-wide defaults of every role policy attribute, one
 * directive each (see pim_policy.h and slapo-pim(5)):
 *   pim-max-duration 8h, pim-min-duration 0s,
 *   pim-justification-required on, pim-justification-max-length 500,
 *   pim-ticket-required off, pim-mfa-required off,
 *   pim-approval-required off, pim-approvals-needed 1,
 *   pim-request-lifetime 24h, pim-eligible-max-duration 0s (no limit),
 *   pim-eligible-permanent-allowed on, pim-active-max-duration 180d,
 *   pim-active-permanent-allowed off
 * the lockout after wrong one-time codes (pim_mfa.c):
 *   pim-mfa-max-failures 5            wrong codes that lock a user's
 *                                     MFA activations out (0: never)
 *   pim-mfa-failure-window 5m         within which they count
 *   pim-mfa-lockout 15m               for how long
 * and the audit trail (pim_audit*.c; see slapo-pim(5), AUDIT):
 *   pim-audit-container DN, pim-audit-retention 365d,
 *   pim-alert-activations 5, pim-alert-activations-window 1d,
 *   pim-alert-role-writes 0, pim-alert-role-writes-window 1h,
 *   pim-alert-mfa-failures 2, pim-alert-mfa-failures-window 15m,
 *   pim-expiry-warning 15m
 */
#include "pim.h"

enum {
	PIM_CF_CONTAINER = 1,
	PIM_CF_ADMIN,
	PIM_CF_PLACEHOLDER,
	PIM_CF_MFA_MAX_FAILURES,
	PIM_CF_MFA_WINDOW,
	PIM_CF_MFA_LOCKOUT,
	PIM_CF_MFA_TOKEN_BASE,
	PIM_CF_MAX_OPEN,
	PIM_CF_AUDITOR,
	PIM_CF_READ_ACCESS,
	PIM_CF_PURGE_DELAY,
	PIM_CF_PEER_GRACE,
	PIM_CF_GROUP_DEPTH,
	PIM_CF_ROLE_KIND,
	PIM_CF_EMERGENCY_JMIN,
	PIM_CF_ELIG_EXTEND_WINDOW,
	PIM_CF_ELIG_RENEW_WINDOW,
	PIM_CF_MEMBERUID_SYNC,
	/* policy attribute i is PIM_CF_POLICY + i */
	PIM_CF_POLICY = 32
};

static ConfigDriver pim_cf_gen;

/* The overlay's durations that are no policy attribute: where each is
 * kept, and its default (*def). */
static long *
pim_cf_duration( pim_info *pi, int type, long *def )
{
	switch ( type ) {
	case PIM_CF_PURGE_DELAY:
		*def = 0;
		return &pi->pi_purge_delay;
	case PIM_CF_PEER_GRACE:
		*def = PIM_PEER_GRACE;
		return &pi->pi_peer_grace;
	case PIM_CF_ELIG_EXTEND_WINDOW:
		*def = PIM_ELIG_EXTEND_WINDOW;
		return &pi->pi_elig_extend_window;
	default:
		assert( type == PIM_CF_ELIG_RENEW_WINDOW );
		*def = PIM_ELIG_RENEW_WINDOW;
		return &pi->pi_elig_renew_window;
	}
}
static ConfigDriver pim_cf_role_kind;
static ConfigDriver pim_cf_audit;	/* the audit trail's directives */

/* pim_cf_audit's cases; the alert kind k is added to the last two */
enum {
	PIM_CFA_CONTAINER = 1,
	PIM_CFA_RETENTION,
	PIM_CFA_EXPIRY_WARNING,
	PIM_CFA_ALERT_COUNT = 8,
	PIM_CFA_ALERT_WINDOW = 16
};


#define PIM_CFG_AT( n, name, desc, rest ) \
	"( " PIM_OID_CFG_AT "." #n " NAME '" name "' DESC '" desc "' " rest " )"

/* One directive: every value goes through pim_cf_gen. */
#define PIM_CFG( dname, dwhat, type, at ) \
	{ .name = dname, .what = dwhat, .min_args = 2, .max_args = 2, \
	  .arg_type = (type), .arg_item = (void *)pim_cf_gen, .attribute = at }

#define PIM_CFG_A( dname, dwhat, type, at ) \
	{ .name = dname, .what = dwhat, .min_args = 2, .max_args = 2, \
	  .arg_type = (type), .arg_item = (void *)pim_cf_audit, .attribute = at }

#define PIM_CF_DN	( ARG_DN | ARG_QUOTE | ARG_MAGIC )
#define PIM_AT_DUR	"EQUALITY caseIgnoreMatch SYNTAX OMsDirectoryString SINGLE-VALUE"
#define PIM_AT_BOOL	"EQUALITY booleanMatch SYNTAX OMsBoolean SINGLE-VALUE"
#define PIM_AT_INT	"EQUALITY integerMatch SYNTAX OMsInteger SINGLE-VALUE"

/* The directive of policy attribute PIM_POLICY_##e, from its row in
 * pim_policy_attrs.h: slapd parses its argument by kind (a duration is
 * a string that pim_cf_policy_set reads), and pim_cf_gen finds the
 * attribute as c->type - PIM_CF_POLICY.  A NOCFG row gives nothing. */
#define PIM_CF_ARG_DURATION	ARG_MAGIC
#define PIM_CF_ARG_BOOL		( ARG_ON_OFF | ARG_MAGIC )
#define PIM_CF_ARG_COUNT	( ARG_INT | ARG_MAGIC )
#define PIM_CF_AT_DURATION	PIM_AT_DUR
#define PIM_CF_AT_BOOL		PIM_AT_BOOL
#define PIM_CF_AT_COUNT		PIM_AT_INT
#define PIM_CF_IF_CFG( ... )	__VA_ARGS__
#define PIM_CF_IF_NOCFG( ... )
#define PIM_CFG_POLICY( e, name, kind, dflt, attr, setting, err, cfg, \
	dname, dwhat, n, at, desc ) \
	PIM_CF_IF_##cfg( PIM_CFG( dname, dwhat, \
		PIM_CF_ARG_##kind | ( PIM_CF_POLICY + PIM_POLICY_##e ), \
		PIM_CFG_AT( n, at, desc, PIM_CF_AT_##kind ) ), )
/* Its cn=config attribute in olcPimConfig's MAY list. */
#define PIM_CFG_POLICY_MAY( e, name, kind, dflt, attr, setting, err, cfg, \
	dname, dwhat, n, at, desc ) \
	PIM_CF_IF_##cfg( at " $ " )

/* OIDs .1 to .7 were given first; never renumber. */
static ConfigTable pim_cfg[] = {
	PIM_CFG( "pim-container", "dn", PIM_CF_DN | PIM_CF_CONTAINER,
		PIM_CFG_AT( 1, "olcPimContainer",
			"Container of PIM eligibility and activation entries",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN SINGLE-VALUE" ) ),
	PIM_CFG( "pim-admin", "dn", PIM_CF_DN | PIM_CF_ADMIN,
		PIM_CFG_AT( 2, "olcPimAdmin",
			"PIM administrator: a user DN or a group DN",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN" ) ),
	PIM_POLICY_ATTRS_A( PIM_CFG_POLICY )
	PIM_CFG( "pim-placeholder", "dn", PIM_CF_DN | PIM_CF_PLACEHOLDER,
		PIM_CFG_AT( 7, "olcPimPlaceholder",
			"Member value that keeps a role group valid when PIM removes its last member",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN SINGLE-VALUE" ) ),
	PIM_POLICY_ATTRS_B( PIM_CFG_POLICY )
	PIM_POLICY_ATTRS_C( PIM_CFG_POLICY )
	PIM_CFG( "pim-mfa-token-base", "dn", PIM_CF_DN | PIM_CF_MFA_TOKEN_BASE,
		PIM_CFG_AT( 30, "olcPimMFATokenBase",
			"Where TOTP tokens (and their parameters) must be for MFA "
			"activations; default ou=otp under the database suffix",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN SINGLE-VALUE" ) ),
	PIM_CFG( "pim-auditor", "dn", PIM_CF_DN | PIM_CF_AUDITOR,
		PIM_CFG_AT( 32, "olcPimAuditor",
			"A PIM auditor, who reads every PIM entry and the audit "
			"trail: a user or a group (repeatable)",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN" ) ),
	PIM_CFG( "pim-read-access", "pim|acl",
		ARG_STRING | ARG_MAGIC | PIM_CF_READ_ACCESS,
		PIM_CFG_AT( 33, "olcPimReadAccess",
			"pim: PIM limits reads under its containers to who may "
			"see each entry; acl: the access controls of the site alone decide",
			"EQUALITY caseIgnoreMatch SYNTAX OMsDirectoryString SINGLE-VALUE" ) ),
	PIM_CFG( "pim-purge-delay", "duration", ARG_MAGIC | PIM_CF_PURGE_DELAY,
		PIM_CFG_AT( 34, "olcPimPurgeDelay",
			"How long after an activation ends the timer removes its "
			"values (reads stop seeing them at the end)", PIM_AT_DUR ) ),
	PIM_CFG( "pim-peer-grace", "duration", ARG_MAGIC | PIM_CF_PEER_GRACE,
		PIM_CFG_AT( 35, "olcPimPeerGrace",
			"Multi-provider: how long after its end another provider "
			"expires an activation its own provider has not", PIM_AT_DUR ) ),
	PIM_CFG( "pim-eligibility-extend-window", "duration",
		ARG_MAGIC | PIM_CF_ELIG_EXTEND_WINDOW,
		PIM_CFG_AT( 41, "olcPimEligibilityExtendWindow",
			"How long before its end a user may ask for an eligibility "
			"to be extended (0s: never)", PIM_AT_DUR ) ),
	PIM_CFG( "pim-eligibility-renew-window", "duration",
		ARG_MAGIC | PIM_CF_ELIG_RENEW_WINDOW,
		PIM_CFG_AT( 42, "olcPimEligibilityRenewWindow",
			"How long after its end a user may ask for an eligibility "
			"to be renewed (0s: never)", PIM_AT_DUR ) ),
	PIM_CFG( "pim-memberuid-sync", "on|off",
		ARG_ON_OFF | ARG_MAGIC | PIM_CF_MEMBERUID_SYNC,
		PIM_CFG_AT( 43, "olcPimMemberUidSync",
			"Whether a role that is a groupOfNames and a posixGroup "
			"(RFC 2307bis) gets memberUid in step with member",
			PIM_AT_BOOL ) ),
	PIM_CFG( "pim-group-depth", "levels",
		ARG_INT | ARG_MAGIC | PIM_CF_GROUP_DEPTH,
		PIM_CFG_AT( 36, "olcPimGroupDepth",
			"Levels of groups followed from a configured group to a "
			"user (1: members only)", PIM_AT_INT ) ),
	{ .name = "pim-role-kind", .what = "class attribute dn|uid",
	  .min_args = 4, .max_args = 4, .arg_type = ARG_MAGIC | PIM_CF_ROLE_KIND,
	  .arg_item = (void *)pim_cf_role_kind,
	  .attribute = PIM_CFG_AT( 37, "olcPimRoleKind",
		"A role kind besides the built-in ones: the object class, the "
		"attribute PIM writes, and its value (the DN or the uid) "
		"(repeatable)",
		"EQUALITY caseIgnoreMatch SYNTAX OMsDirectoryString" ) },
	PIM_CFG( "pim-max-open-requests", "count",
		ARG_INT | ARG_MAGIC | PIM_CF_MAX_OPEN,
		PIM_CFG_AT( 31, "olcPimMaxOpenRequests",
			"Most open requests (pending, approved, scheduled) one "
			"principal may have at once (0: no limit)", PIM_AT_INT ) ),
	PIM_CFG( "pim-emergency-justification-min", "count",
		ARG_INT | ARG_MAGIC | PIM_CF_EMERGENCY_JMIN,
		PIM_CFG_AT( 40, "olcPimEmergencyJustificationMin",
			"Fewest characters of the justification of an activation "
			"of an emergency role", PIM_AT_INT ) ),
	PIM_POLICY_ATTRS_D( PIM_CFG_POLICY )
	PIM_CFG( "pim-mfa-max-failures", "count",
		ARG_INT | ARG_MAGIC | PIM_CF_MFA_MAX_FAILURES,
		PIM_CFG_AT( 17, "olcPimMFAMaxFailures",
			"Wrong one-time codes within the failure window that lock "
			"out the MFA activations of a user (0: never)", PIM_AT_INT ) ),
	PIM_CFG( "pim-mfa-failure-window", "duration",
		ARG_MAGIC | PIM_CF_MFA_WINDOW,
		PIM_CFG_AT( 18, "olcPimMFAFailureWindow",
			"Time within which wrong one-time codes count, such as 5m",
			PIM_AT_DUR ) ),
	PIM_CFG( "pim-mfa-lockout", "duration", ARG_MAGIC | PIM_CF_MFA_LOCKOUT,
		PIM_CFG_AT( 19, "olcPimMFALockout",
			"How long the MFA activations of a user stay locked out, "
			"such as 15m", PIM_AT_DUR ) ),
	/* the audit trail, its alerts and expiry warnings (pim_audit*.c) */
	PIM_CFG_A( "pim-audit-container", "dn", PIM_CF_DN | PIM_CFA_CONTAINER,
		PIM_CFG_AT( 20, "olcPimAuditContainer",
			"Container of the audit trail (default: cn=audit under the PIM container)",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN SINGLE-VALUE" ) ),
	PIM_CFG_A( "pim-audit-retention", "duration",
		ARG_MAGIC | PIM_CFA_RETENTION,
		PIM_CFG_AT( 21, "olcPimAuditRetention",
			"How long audit records are kept, such as 365d", PIM_AT_DUR ) ),
	PIM_CFG_A( "pim-alert-activations", "count",
		ARG_INT | ARG_MAGIC | ( PIM_CFA_ALERT_COUNT + PIM_ALERT_ACTIVATIONS ),
		PIM_CFG_AT( 22, "olcPimAlertActivations",
			"Alert when a user activates a role more often than this "
			"within the window", PIM_AT_INT ) ),
	PIM_CFG_A( "pim-alert-activations-window", "duration",
		ARG_MAGIC | ( PIM_CFA_ALERT_WINDOW + PIM_ALERT_ACTIVATIONS ),
		PIM_CFG_AT( 23, "olcPimAlertActivationsWindow",
			"Window of the activation alert, such as 1d (0s: no alert)",
			PIM_AT_DUR ) ),
	PIM_CFG_A( "pim-alert-role-writes", "count",
		ARG_INT | ARG_MAGIC | ( PIM_CFA_ALERT_COUNT + PIM_ALERT_ROLE_WRITES ),
		PIM_CFG_AT( 24, "olcPimAlertRoleWrites",
			"Alert when a user tries to change a role around PIM more "
			"often than this within the window", PIM_AT_INT ) ),
	PIM_CFG_A( "pim-alert-role-writes-window", "duration",
		ARG_MAGIC | ( PIM_CFA_ALERT_WINDOW + PIM_ALERT_ROLE_WRITES ),
		PIM_CFG_AT( 25, "olcPimAlertRoleWritesWindow",
			"Window of the role-write alert, such as 1h (0s: no alert)",
			PIM_AT_DUR ) ),
	PIM_CFG_A( "pim-alert-mfa-failures", "count",
		ARG_INT | ARG_MAGIC | ( PIM_CFA_ALERT_COUNT + PIM_ALERT_MFA ),
		PIM_CFG_AT( 26, "olcPimAlertMFAFailures",
			"Alert when a user gives more wrong one-time codes than "
			"this within the window", PIM_AT_INT ) ),
	PIM_CFG_A( "pim-alert-mfa-failures-window", "duration",
		ARG_MAGIC | ( PIM_CFA_ALERT_WINDOW + PIM_ALERT_MFA ),
		PIM_CFG_AT( 27, "olcPimAlertMFAFailuresWindow",
			"Window of the MFA failure alert, such as 15m (0s: no alert)",
			PIM_AT_DUR ) ),
	PIM_CFG_A( "pim-expiry-warning", "duration",
		ARG_MAGIC | PIM_CFA_EXPIRY_WARNING,
		PIM_CFG_AT( 28, "olcPimExpiryWarning",
			"Time before an activation ends when an expiring event is "
			"recorded, such as 15m (0s: none)", PIM_AT_DUR ) ),
	{ .name = NULL, .arg_type = ARG_IGNORED }
};

static ConfigOCs pim_ocs[] = {
	{ .co_def = "( " PIM_OID_CFG_OC ".1 NAME 'olcPimConfig' "
		"DESC 'Privileged Identity Management overlay configuration' "
		"SUP olcOverlayConfig "
		"MAY ( olcPimContainer $ olcPimAdmin $ "
		PIM_POLICY_ATTRS_A( PIM_CFG_POLICY_MAY )
		"olcPimPlaceholder $ "
		PIM_POLICY_ATTRS_B( PIM_CFG_POLICY_MAY )
		PIM_POLICY_ATTRS_C( PIM_CFG_POLICY_MAY )
		PIM_POLICY_ATTRS_D( PIM_CFG_POLICY_MAY )
		"olcPimMFATokenBase $ olcPimMaxOpenRequests $ olcPimAuditor $ "
		"olcPimReadAccess $ olcPimPurgeDelay $ olcPimPeerGrace $ "
		"olcPimGroupDepth $ olcPimRoleKind $ "
		"olcPimEmergencyJustificationMin $ "
		"olcPimEligibilityExtendWindow $ olcPimEligibilityRenewWindow $ "
		"olcPimMemberUidSync $ "
		"olcPimMFAMaxFailures $ "
		"olcPimMFAFailureWindow $ olcPimMFALockout $ "
		"olcPimAuditContainer $ olcPimAuditRetention $ "
		"olcPimAlertActivations $ olcPimAlertActivationsWindow $ "
		"olcPimAlertRoleWrites $ olcPimAlertRoleWritesWindow $ "
		"olcPimAlertMFAFailures $ olcPimAlertMFAFailuresWindow $ "
		"olcPimExpiryWarning ) )",
		.co_type = Cft_Overlay, .co_table = pim_cfg },
	{ .co_def = NULL }
};

static void
pim_cf_free_dn( struct berval *dn, struct berval *ndn )
{
	ch_free( dn->bv_val );
	ch_free( ndn->bv_val );
	BER_BVZERO( dn );
	BER_BVZERO( ndn );
}

/* Without pim-placeholder, the container's DN keeps an emptied role
 * valid. */
void
pim_placeholder_default( pim_info *pi )
{
	pim_cf_free_dn( &pi->pi_placeholder, &pi->pi_nplaceholder );
	if ( !BER_BVISNULL( &pi->pi_container ) ) {
		ber_dupbv( &pi->pi_placeholder, &pi->pi_container );
		ber_dupbv( &pi->pi_nplaceholder, &pi->pi_ncontainer );
	}
}

/* --- the policy defaults ------------------------------------------- */

/* The defaults are checked together once a whole change is applied (a
 * cn=config cleanup, or db_open for slapd.conf), so that the order in
 * which related values are given does not matter.  A change that leaves
 * them incoherent is undone. */
static int
pim_cf_check_defaults( ConfigArgs *c )
{
	slap_overinst *on = (slap_overinst *)c->bi;
	pim_info *pi = on->on_bi.bi_private;
	const char *text = NULL;
	int rc = 0;

	if ( pim_policy_validate( &pi->pi_defaults, &text ) != LDAP_SUCCESS ) {
		if ( pi->pi_defaults_saved )
			pi->pi_defaults = pi->pi_defaults_prev;
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "pim: %s", text );
		Debug( LDAP_DEBUG_CONFIG, "%s: %s\n", c->log, c->cr_msg );
		rc = LDAP_CONSTRAINT_VIOLATION;	/* what cn=config answers */
	}
	pi->pi_defaults_saved = 0;
	return rc;
}

/* Remember the defaults before the first change of a batch. */
static void
pim_cf_defaults_will_change( ConfigArgs *c, pim_info *pi )
{
	if ( !pi->pi_defaults_saved ) {
		pi->pi_defaults_prev = pi->pi_defaults;
		pi->pi_defaults_saved = 1;
	}
	config_push_cleanup( c, pim_cf_check_defaults );
}

static int
pim_cf_policy_emit( ConfigArgs *c, pim_info *pi, int i )
{
	char buf[PIM_DURATION_BUFSIZE];
	struct berval bv;
	long v = pim_policy_get( &pi->pi_defaults, i );

	if ( pim_policy_attr_kind( i ) != PIM_PK_DURATION ) {
		c->value_int = (int)v;
		return 0;
	}
	if ( pim_duration_format( v, buf, sizeof( buf ) ) < 0 )
		return 1;
	ber_str2bv( buf, 0, 0, &bv );
	return value_add_one( &c->rvalue_vals, &bv );
}

static int
pim_cf_policy_set( ConfigArgs *c, pim_info *pi, int i )
{
	long v = c->value_int;

	if ( pim_policy_attr_kind( i ) == PIM_PK_DURATION &&
		pim_duration_parse( c->argv[1], strlen( c->argv[1] ), &v ) )
	{
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\" is not a "
			"duration (such as 8h, 90m or 1h30m)", c->argv[0], c->argv[1] );
		return 1;
	}
	if ( i == PIM_POLICY_MAX && v == 0 ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\": the "
			"maximum must be at least 1 second", c->argv[0], c->argv[1] );
		return 1;
	}
	if ( i == PIM_POLICY_JMAX && ( v < 1 || v > PIM_MAX_TEXT ) ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> must be "
			"between 1 and %d", c->argv[0], PIM_MAX_TEXT );
		return 1;
	}
	pim_cf_defaults_will_change( c, pi );
	pim_policy_put( &pi->pi_defaults, i, v );
	return 0;
}

static int
pim_cf_policy_delete( ConfigArgs *c, pim_info *pi, int i )
{
	pim_policy builtin;

	pim_policy_defaults( &builtin );
	pim_cf_defaults_will_change( c, pi );
	pim_policy_put( &pi->pi_defaults, i, pim_policy_get( &builtin, i ) );
	return 0;
}

/* --- the MFA lockout --------------------------------------------------- */

static long *
pim_cf_mfa_duration( pim_info *pi, int type )
{
	return type == PIM_CF_MFA_WINDOW ? &pi->pi_mfa_failure_window :
		&pi->pi_mfa_lockout;
}

static int
pim_cf_mfa_emit( ConfigArgs *c, pim_info *pi )
{
	char buf[PIM_DURATION_BUFSIZE];
	struct berval bv;

	if ( c->type == PIM_CF_MFA_MAX_FAILURES ) {
		c->value_int = pi->pi_mfa_max_failures;
		return 0;
	}
	if ( pim_duration_format( *pim_cf_mfa_duration( pi, c->type ), buf,
		sizeof( buf ) ) < 0 )
		return 1;
	ber_str2bv( buf, 0, 0, &bv );
	return value_add_one( &c->rvalue_vals, &bv );
}

static int
pim_cf_mfa_set( ConfigArgs *c, pim_info *pi )
{
	long v;

	if ( c->type == PIM_CF_MFA_MAX_FAILURES ) {
		if ( c->value_int < 0 ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> must "
				"be 0 (no lockout) or more", c->argv[0] );
			return 1;
		}
		pi->pi_mfa_max_failures = c->value_int;
		return 0;
	}
	/* a window or a lockout of 0s would turn the lockout off unsaid */
	if ( pim_duration_parse( c->argv[1], strlen( c->argv[1] ), &v ) ||
		v < 1 )
	{
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\" is not "
			"a duration of at least 1s (such as 5m or 1h)", c->argv[0],
			c->argv[1] );
		return 1;
	}
	*pim_cf_mfa_duration( pi, c->type ) = v;
	return 0;
}

static int
pim_cf_mfa_delete( ConfigArgs *c, pim_info *pi )
{
	switch ( c->type ) {
	case PIM_CF_MFA_MAX_FAILURES:
		pi->pi_mfa_max_failures = PIM_MFA_MAX_FAILURES;
		break;
	case PIM_CF_MFA_WINDOW:
		pi->pi_mfa_failure_window = PIM_MFA_FAILURE_WINDOW;
		break;
	default:
		pi->pi_mfa_lockout = PIM_MFA_LOCKOUT;
		break;
	}
	return 0;
}

/* --- DNs ------------------------------------------------------------ */

static int
pim_cf_emit( ConfigArgs *c, pim_info *pi )
{
	switch ( c->type ) {
	case PIM_CF_CONTAINER:
		if ( BER_BVISNULL( &pi->pi_container ) )
			return 1;
		value_add_one( &c->rvalue_vals, &pi->pi_container );
		value_add_one( &c->rvalue_nvals, &pi->pi_ncontainer );
		return 0;
	case PIM_CF_ADMIN:
		if ( pi->pi_admins == NULL )
			return 1;
		value_add( &c->rvalue_vals, pi->pi_admins );
		value_add( &c->rvalue_nvals, pi->pi_nadmins );
		return 0;
	case PIM_CF_AUDITOR:
		if ( pi->pi_auditors == NULL )
			return 1;
		value_add( &c->rvalue_vals, pi->pi_auditors );
		value_add( &c->rvalue_nvals, pi->pi_nauditors );
		return 0;
	case PIM_CF_READ_ACCESS:
		c->value_string = ch_strdup( pi->pi_read_acl ? "acl" : "pim" );
		return 0;
	case PIM_CF_PLACEHOLDER:
		if ( BER_BVISNULL( &pi->pi_placeholder ) )
			return 1;
		value_add_one( &c->rvalue_vals, &pi->pi_placeholder );
		value_add_one( &c->rvalue_nvals, &pi->pi_nplaceholder );
		return 0;
	case PIM_CF_MAX_OPEN:
		c->value_int = pi->pi_max_open;
		return 0;
	case PIM_CF_EMERGENCY_JMIN:
		if ( pi->pi_emergency_jmin == PIM_EMERGENCY_JMIN )
			return 1;	/* the default: not set */
		c->value_int = pi->pi_emergency_jmin;
		return 0;
	case PIM_CF_MEMBERUID_SYNC:
		if ( !pi->pi_memberuid_sync )
			return 1;	/* the default: not set */
		c->value_int = 1;
		return 0;
	case PIM_CF_GROUP_DEPTH:
		if ( pi->pi_group_depth == PIM_GROUP_DEPTH )
			return 1;	/* the default: not set */
		c->value_int = pi->pi_group_depth;
		return 0;
	case PIM_CF_PURGE_DELAY:
	case PIM_CF_PEER_GRACE:
	case PIM_CF_ELIG_EXTEND_WINDOW:
	case PIM_CF_ELIG_RENEW_WINDOW: {
		char buf[PIM_DURATION_BUFSIZE];
		struct berval bv;
		long def, v = *pim_cf_duration( pi, c->type, &def );

		if ( v == def || pim_duration_format( v, buf, sizeof( buf ) ) < 0 )
			return 1;	/* the default: not set */
		ber_str2bv( buf, 0, 0, &bv );
		return value_add_one( &c->rvalue_vals, &bv );
	}
	case PIM_CF_MFA_TOKEN_BASE:
		if ( BER_BVISNULL( &pi->pi_mfa_token_base ) )
			return 1;
		value_add_one( &c->rvalue_vals, &pi->pi_mfa_token_base );
		value_add_one( &c->rvalue_nvals, &pi->pi_nmfa_token_base );
		return 0;
	case PIM_CF_MFA_MAX_FAILURES:
	case PIM_CF_MFA_WINDOW:
	case PIM_CF_MFA_LOCKOUT:
		return pim_cf_mfa_emit( c, pi );
	}
	return pim_cf_policy_emit( c, pi, c->type - PIM_CF_POLICY );
}

/* Delete one value (c->valx, or all when -1) of a repeatable DN
 * directive (pim-admin, pim-auditor) kept in *dns and *ndns. */
static void
pim_cf_delete_dns( ConfigArgs *c, BerVarray *dns, BerVarray *ndns )
{
	int i;

	if ( c->valx < 0 || *dns == NULL ) {
		ber_bvarray_free( *dns );
		ber_bvarray_free( *ndns );
		*dns = *ndns = NULL;
		return;
	}
	for ( i = 0; i < c->valx && !BER_BVISNULL( &( *dns )[i] ); i++ )
		;
	if ( BER_BVISNULL( &( *dns )[i] ) )
		return;
	pim_cf_free_dn( &( *dns )[i], &( *ndns )[i] );
	for ( ; !BER_BVISNULL( &( *dns )[i + 1] ); i++ ) {
		( *dns )[i] = ( *dns )[i + 1];
		( *ndns )[i] = ( *ndns )[i + 1];
	}
	BER_BVZERO( &( *dns )[i] );
	BER_BVZERO( &( *ndns )[i] );
	if ( i == 0 ) {
		ch_free( *dns );
		ch_free( *ndns );
		*dns = *ndns = NULL;
	}
}

static int
pim_cf_delete( ConfigArgs *c, pim_info *pi )
{
	switch ( c->type ) {
	case PIM_CF_CONTAINER:
		pim_cf_free_dn( &pi->pi_container, &pi->pi_ncontainer );
		return 0;
	case PIM_CF_ADMIN:
		pim_cf_delete_dns( c, &pi->pi_admins, &pi->pi_nadmins );
		return 0;
	case PIM_CF_AUDITOR:
		pim_cf_delete_dns( c, &pi->pi_auditors, &pi->pi_nauditors );
		return 0;
	case PIM_CF_READ_ACCESS:
		pi->pi_read_acl = 0;
		return 0;
	case PIM_CF_PLACEHOLDER:
		pim_placeholder_default( pi );
		return 0;
	case PIM_CF_MFA_TOKEN_BASE:
		pim_cf_free_dn( &pi->pi_mfa_token_base, &pi->pi_nmfa_token_base );
		return 0;
	case PIM_CF_MAX_OPEN:
		pi->pi_max_open = PIM_MAX_OPEN_REQUESTS;
		return 0;
	case PIM_CF_EMERGENCY_JMIN:
		pi->pi_emergency_jmin = PIM_EMERGENCY_JMIN;
		return 0;
	case PIM_CF_MEMBERUID_SYNC:
		pi->pi_memberuid_sync = 0;
		return 0;
	case PIM_CF_GROUP_DEPTH:
		pi->pi_group_depth = PIM_GROUP_DEPTH;
		if ( pi->pi_db != NULL && pi->pi_task != NULL )
			pim_timer_add_through( pi, slap_get_time() );
		return 0;
	case PIM_CF_PURGE_DELAY:
	case PIM_CF_PEER_GRACE:
	case PIM_CF_ELIG_EXTEND_WINDOW:
	case PIM_CF_ELIG_RENEW_WINDOW: {
		long def, *field = pim_cf_duration( pi, c->type, &def );

		*field = def;
		return 0;
	}
	case PIM_CF_MFA_MAX_FAILURES:
	case PIM_CF_MFA_WINDOW:
	case PIM_CF_MFA_LOCKOUT:
		return pim_cf_mfa_delete( c, pi );
	}
	return pim_cf_policy_delete( c, pi, c->type - PIM_CF_POLICY );
}

static int
pim_cf_set( ConfigArgs *c, pim_info *pi )
{
	switch ( c->type ) {
	case PIM_CF_CONTAINER:
		pim_cf_free_dn( &pi->pi_container, &pi->pi_ncontainer );
		pi->pi_container = c->value_dn;
		pi->pi_ncontainer = c->value_ndn;
		return 0;
	case PIM_CF_ADMIN:
		ber_bvarray_add( &pi->pi_admins, &c->value_dn );
		ber_bvarray_add( &pi->pi_nadmins, &c->value_ndn );
		return 0;
	case PIM_CF_AUDITOR:
		ber_bvarray_add( &pi->pi_auditors, &c->value_dn );
		ber_bvarray_add( &pi->pi_nauditors, &c->value_ndn );
		return 0;
	case PIM_CF_READ_ACCESS: {
		int rc = 0;

		if ( strcasecmp( c->value_string, "pim" ) == 0 ) {
			pi->pi_read_acl = 0;
		} else if ( strcasecmp( c->value_string, "acl" ) == 0 ) {
			pi->pi_read_acl = 1;
		} else {
			snprintf( c->cr_msg, sizeof( c->cr_msg ),
				"pim-read-access: pim or acl" );
			rc = 1;
		}
		ch_free( c->value_string );
		c->value_string = NULL;
		return rc;
	}
	case PIM_CF_PLACEHOLDER:
		pim_cf_free_dn( &pi->pi_placeholder, &pi->pi_nplaceholder );
		pi->pi_placeholder = c->value_dn;
		pi->pi_nplaceholder = c->value_ndn;
		return 0;
	case PIM_CF_MFA_TOKEN_BASE:
		pim_cf_free_dn( &pi->pi_mfa_token_base, &pi->pi_nmfa_token_base );
		pi->pi_mfa_token_base = c->value_dn;
		pi->pi_nmfa_token_base = c->value_ndn;
		return 0;
	case PIM_CF_PURGE_DELAY:
	case PIM_CF_PEER_GRACE:
	case PIM_CF_ELIG_EXTEND_WINDOW:
	case PIM_CF_ELIG_RENEW_WINDOW: {
		long def, v;

		if ( pim_duration_parse( c->argv[1], strlen( c->argv[1] ), &v ) ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\" is "
				"not a duration (such as 0s or 1m)", c->argv[0],
				c->argv[1] );
			return 1;
		}
		*pim_cf_duration( pi, c->type, &def ) = v;
		return 0;
	}
	case PIM_CF_MAX_OPEN:
		if ( c->value_int < 0 ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ),
				"pim-max-open-requests: a count (0: no limit)" );
			return 1;
		}
		pi->pi_max_open = c->value_int;
		return 0;
	case PIM_CF_EMERGENCY_JMIN:
		if ( c->value_int < 0 || c->value_int > PIM_MAX_TEXT ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ),
				"pim-emergency-justification-min: 0 to %d characters",
				PIM_MAX_TEXT );
			return 1;
		}
		pi->pi_emergency_jmin = c->value_int;
		return 0;
	case PIM_CF_MEMBERUID_SYNC:
		pi->pi_memberuid_sync = c->value_int != 0;
		return 0;
	case PIM_CF_GROUP_DEPTH:
		if ( c->value_int < 1 || c->value_int > PIM_GROUP_DEPTH_MAX ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ),
				"pim-group-depth: 1 (members only) to %d levels",
				PIM_GROUP_DEPTH_MAX );
			return 1;
		}
		pi->pi_group_depth = c->value_int;
		/* fewer levels may leave members out: look again */
		if ( pi->pi_db != NULL && pi->pi_task != NULL )
			pim_timer_add_through( pi, slap_get_time() );
		return 0;
	case PIM_CF_MFA_MAX_FAILURES:
	case PIM_CF_MFA_WINDOW:
	case PIM_CF_MFA_LOCKOUT:
		return pim_cf_mfa_set( c, pi );
	}
	return pim_cf_policy_set( c, pi, c->type - PIM_CF_POLICY );
}

static int
pim_cf_gen( ConfigArgs *c )
{
	slap_overinst *on = (slap_overinst *)c->bi;
	pim_info *pi = on->on_bi.bi_private;
	int rc;

	if ( c->op == SLAP_CONFIG_EMIT )
		return pim_cf_emit( c, pi );
	/* The timer, the reconciliation and every stored DN hang on the
	 * container: it is fixed while the database is open. */
	if ( c->type == PIM_CF_CONTAINER && pi->pi_db != NULL ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> cannot change "
			"while the database is open; change it offline and restart",
			c->argv ? c->argv[0] : "pim-container" );
		Debug( LDAP_DEBUG_CONFIG, "%s: %s\n", c->log, c->cr_msg );
		return 1;
	}
	if ( c->op == LDAP_MOD_DELETE )
		return pim_cf_delete( c, pi );
	rc = pim_cf_set( c, pi );
	if ( rc )
		Debug( LDAP_DEBUG_CONFIG, "%s: %s\n", c->log, c->cr_msg );
	return rc;
}

/* --- role kinds ---------------------------------------------------------- */

static int
pim_cf_role_kind( ConfigArgs *c )
{
	slap_overinst *on = (slap_overinst *)c->bi;
	pim_info *pi = on->on_bi.bi_private;
	const char *text = NULL;
	struct berval bv;
	unsigned i;

	switch ( c->op ) {
	case SLAP_CONFIG_EMIT:
		for ( i = 0; i < pi->pi_nkinds; i++ ) {
			bv.bv_val = pim_kind_unparse( &pi->pi_kinds[i] );
			bv.bv_len = strlen( bv.bv_val );
			ber_bvarray_add( &c->rvalue_vals, &bv );
		}
		return pi->pi_nkinds == 0;
	case LDAP_MOD_DELETE:
		if ( c->valx < 0 ) {
			pi->pi_nkinds = 0;
		} else if ( (unsigned)c->valx < pi->pi_nkinds ) {
			memmove( &pi->pi_kinds[c->valx], &pi->pi_kinds[c->valx + 1],
				( pi->pi_nkinds - c->valx - 1 ) * sizeof( pi->pi_kinds[0] ) );
			pi->pi_nkinds--;
		}
		return 0;
	}
	if ( pi->pi_nkinds == PIM_MAX_ROLE_KINDS ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> at most %d kinds",
			c->argv[0], PIM_MAX_ROLE_KINDS );
	} else if ( pim_kind_make( c->argv[1], c->argv[2], c->argv[3],
		&pi->pi_kinds[pi->pi_nkinds], &text ) != 0 )
	{
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> %s %s: %s",
			c->argv[0], c->argv[1], c->argv[2], text );
	} else {
		pi->pi_nkinds++;
		return 0;
	}
	Debug( LDAP_DEBUG_CONFIG, "%s: %s\n", c->log, c->cr_msg );
	return 1;
}

/* --- the audit trail ------------------------------------------------- */

/* The duration a case of pim_cf_audit sets, and its default. */
static long *
pim_cfa_duration( pim_info *pi, int type, long *dflt )
{
	if ( type == PIM_CFA_RETENTION ) {
		*dflt = PIM_AUDIT_RETENTION;
		return &pi->pi_audit_retention;
	}
	if ( type == PIM_CFA_EXPIRY_WARNING ) {
		*dflt = PIM_EXPIRY_WARNING;
		return &pi->pi_expiry_warning;
	}
	*dflt = pim_alert_defaults[type - PIM_CFA_ALERT_WINDOW].ar_window;
	return &pi->pi_alerts[type - PIM_CFA_ALERT_WINDOW].ar_window;
}

static int
pim_cfa_emit( ConfigArgs *c, pim_info *pi )
{
	char buf[PIM_DURATION_BUFSIZE];
	struct berval bv;
	long dflt;

	if ( c->type == PIM_CFA_CONTAINER ) {
		if ( BER_BVISEMPTY( &pi->pi_audit_container ) )
			return 1;
		value_add_one( &c->rvalue_vals, &pi->pi_audit_container );
		value_add_one( &c->rvalue_nvals, &pi->pi_naudit_container );
		return 0;
	}
	if ( c->type >= PIM_CFA_ALERT_COUNT && c->type < PIM_CFA_ALERT_WINDOW ) {
		c->value_int = pi->pi_alerts[c->type - PIM_CFA_ALERT_COUNT].ar_count;
		return 0;
	}
	if ( pim_duration_format( *pim_cfa_duration( pi, c->type, &dflt ), buf,
		sizeof( buf ) ) < 0 )
		return 1;
	ber_str2bv( buf, 0, 0, &bv );
	return value_add_one( &c->rvalue_vals, &bv );
}

static int
pim_cfa_delete( ConfigArgs *c, pim_info *pi )
{
	long dflt, *dur;

	if ( c->type == PIM_CFA_CONTAINER ) {
		pim_cf_free_dn( &pi->pi_audit_container, &pi->pi_naudit_container );
	} else if ( c->type >= PIM_CFA_ALERT_COUNT && c->type < PIM_CFA_ALERT_WINDOW ) {
		int k = c->type - PIM_CFA_ALERT_COUNT;

		pi->pi_alerts[k].ar_count = pim_alert_defaults[k].ar_count;
	} else {
		dur = pim_cfa_duration( pi, c->type, &dflt );
		*dur = dflt;
		if ( c->type == PIM_CFA_RETENTION )
			pim_audit_retention_changed( pi );
	}
	return 0;
}

static int
pim_cfa_set( ConfigArgs *c, pim_info *pi )
{
	long v, dflt;

	if ( c->type == PIM_CFA_CONTAINER ) {
		pim_cf_free_dn( &pi->pi_audit_container, &pi->pi_naudit_container );
		pi->pi_audit_container = c->value_dn;
		pi->pi_naudit_container = c->value_ndn;
		return 0;
	}
	if ( c->type >= PIM_CFA_ALERT_COUNT && c->type < PIM_CFA_ALERT_WINDOW ) {
		if ( c->value_int < 0 || c->value_int > 10000 ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> must be "
				"between 0 and 10000", c->argv[0] );
			return 1;
		}
		pi->pi_alerts[c->type - PIM_CFA_ALERT_COUNT].ar_count = c->value_int;
		return 0;
	}
	if ( pim_duration_parse( c->argv[1], strlen( c->argv[1] ), &v ) ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\" is not a "
			"duration (such as 365d, 15m or 1h30m)", c->argv[0], c->argv[1] );
		return 1;
	}
	if ( c->type == PIM_CFA_RETENTION && v < 1 ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> must be at "
			"least 1 second", c->argv[0] );
		return 1;
	}
	*pim_cfa_duration( pi, c->type, &dflt ) = v;
	if ( c->type == PIM_CFA_RETENTION )
		pim_audit_retention_changed( pi );
	return 0;
}

static int
pim_cf_audit( ConfigArgs *c )
{
	slap_overinst *on = (slap_overinst *)c->bi;
	pim_info *pi = on->on_bi.bi_private;
	int rc;

	if ( c->op == SLAP_CONFIG_EMIT )
		return pim_cfa_emit( c, pi );
	/* the head of the chain was recovered from where the trail is */
	if ( c->type == PIM_CFA_CONTAINER && pi->pi_db != NULL ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> cannot change "
			"while the database is open; change it offline and restart",
			c->argv ? c->argv[0] : "pim-audit-container" );
		Debug( LDAP_DEBUG_CONFIG, "%s: %s\n", c->log, c->cr_msg );
		return 1;
	}
	if ( c->op == LDAP_MOD_DELETE )
		return pim_cfa_delete( c, pi );
	rc = pim_cfa_set( c, pi );
	if ( rc )
		Debug( LDAP_DEBUG_CONFIG, "%s: %s\n", c->log, c->cr_msg );
	return rc;
}

int
pim_config_register( slap_overinst *on )
{
	on->on_bi.bi_cf_ocs = pim_ocs;
	return config_register_schema( pim_cfg, pim_ocs );
}
