/* pim_config.c - slapd.conf directives and their cn=config twins.
 *
 *   pim-container DN                  where eligibility and activation
 *                                     entries live (required)
 *   pim-admin DN                      a PIM administrator: user or group
 *                                     (repeatable)
 *   pim-max-duration DURATION         default role maximum (8h)
 *   pim-min-duration DURATION         default role minimum (0s)
 *   pim-justification-required on|off (on)
 *   pim-justification-max-length N    (500)
 *   pim-placeholder DN                member value that keeps an emptied
 *                                     role valid (the container)
 */
#include "pim.h"

enum {
	PIM_CF_CONTAINER = 1,
	PIM_CF_ADMIN,
	PIM_CF_MAX_DURATION,
	PIM_CF_MIN_DURATION,
	PIM_CF_JUSTIFICATION_REQUIRED,
	PIM_CF_JUSTIFICATION_MAX,
	PIM_CF_PLACEHOLDER,
	PIM_CF_LAST
};

static ConfigDriver pim_cf_gen;

#define PIM_CFG_AT( n, name, desc, rest ) \
	"( " PIM_OID_CFG_AT "." #n " NAME '" name "' DESC '" desc "' " rest " )"

/* One directive: every value goes through pim_cf_gen. */
#define PIM_CFG( dname, dwhat, type, at ) \
	{ .name = dname, .what = dwhat, .min_args = 2, .max_args = 2, \
	  .arg_type = (type), .arg_item = (void *)pim_cf_gen, .attribute = at }

static ConfigTable pim_cfg[] = {
	PIM_CFG( "pim-container", "dn", ARG_DN|ARG_QUOTE|ARG_MAGIC|PIM_CF_CONTAINER,
		PIM_CFG_AT( 1, "olcPimContainer",
			"Container of PIM eligibility and activation entries",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN SINGLE-VALUE" ) ),
	PIM_CFG( "pim-admin", "dn", ARG_DN|ARG_QUOTE|ARG_MAGIC|PIM_CF_ADMIN,
		PIM_CFG_AT( 2, "olcPimAdmin",
			"PIM administrator: a user DN or a group DN",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN" ) ),
	PIM_CFG( "pim-max-duration", "duration", ARG_MAGIC|PIM_CF_MAX_DURATION,
		PIM_CFG_AT( 3, "olcPimMaxDuration",
			"Default longest activation, such as 8h",
			"EQUALITY caseIgnoreMatch SYNTAX OMsDirectoryString SINGLE-VALUE" ) ),
	PIM_CFG( "pim-min-duration", "duration", ARG_MAGIC|PIM_CF_MIN_DURATION,
		PIM_CFG_AT( 4, "olcPimMinDuration",
			"Default shortest activation, such as 15m",
			"EQUALITY caseIgnoreMatch SYNTAX OMsDirectoryString SINGLE-VALUE" ) ),
	PIM_CFG( "pim-justification-required", "on|off", ARG_ON_OFF|ARG_MAGIC|PIM_CF_JUSTIFICATION_REQUIRED,
		PIM_CFG_AT( 5, "olcPimJustificationRequired",
			"Whether activations need a justification by default",
			"EQUALITY booleanMatch SYNTAX OMsBoolean SINGLE-VALUE" ) ),
	PIM_CFG( "pim-justification-max-length", "characters", ARG_INT|ARG_MAGIC|PIM_CF_JUSTIFICATION_MAX,
		PIM_CFG_AT( 6, "olcPimJustificationMaxLength",
			"Default longest justification, in characters",
			"EQUALITY integerMatch SYNTAX OMsInteger SINGLE-VALUE" ) ),
	PIM_CFG( "pim-placeholder", "dn", ARG_DN|ARG_QUOTE|ARG_MAGIC|PIM_CF_PLACEHOLDER,
		PIM_CFG_AT( 7, "olcPimPlaceholder",
			"Member value that keeps a role group valid when PIM removes its last member",
			"EQUALITY distinguishedNameMatch SYNTAX OMsDN SINGLE-VALUE" ) ),
	{ .name = NULL, .arg_type = ARG_IGNORED }
};

static ConfigOCs pim_ocs[] = {
	{ .co_def = "( " PIM_OID_CFG_OC ".1 NAME 'olcPimConfig' "
		"DESC 'Privileged Identity Management overlay configuration' "
		"SUP olcOverlayConfig "
		"MAY ( olcPimContainer $ olcPimAdmin $ olcPimMaxDuration $ "
		"olcPimMinDuration $ olcPimJustificationRequired $ "
		"olcPimJustificationMaxLength $ olcPimPlaceholder ) )",
		.co_type = Cft_Overlay, .co_table = pim_cfg },
	{ .co_def = NULL }
};

static void pim_cf_free_dn( struct berval *dn, struct berval *ndn );
static void pim_cf_defaults_will_change( ConfigArgs *c, pim_info *pi );

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

static void
pim_cf_free_dn( struct berval *dn, struct berval *ndn )
{
	ch_free( dn->bv_val );
	ch_free( ndn->bv_val );
	BER_BVZERO( dn );
	BER_BVZERO( ndn );
}

static int
pim_cf_emit_duration( ConfigArgs *c, long secs )
{
	char buf[PIM_DURATION_BUFSIZE];
	struct berval bv;

	bv.bv_len = pim_duration_format( secs, buf, sizeof( buf ) );
	bv.bv_val = buf;
	return value_add_one( &c->rvalue_vals, &bv );
}

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
	case PIM_CF_MAX_DURATION:
		return pim_cf_emit_duration( c, pi->pi_defaults.pp_max_duration );
	case PIM_CF_MIN_DURATION:
		return pim_cf_emit_duration( c, pi->pi_defaults.pp_min_duration );
	case PIM_CF_JUSTIFICATION_REQUIRED:
		c->value_int = pi->pi_defaults.pp_justification_required;
		return 0;
	case PIM_CF_JUSTIFICATION_MAX:
		c->value_int = (int)pi->pi_defaults.pp_justification_max;
		return 0;
	case PIM_CF_PLACEHOLDER:
		if ( BER_BVISNULL( &pi->pi_placeholder ) )
			return 1;
		value_add_one( &c->rvalue_vals, &pi->pi_placeholder );
		value_add_one( &c->rvalue_nvals, &pi->pi_nplaceholder );
		return 0;
	}
	return 1;
}

/* Delete one value (c->valx, or all when -1) of pim-admin. */
static void
pim_cf_delete_admin( ConfigArgs *c, pim_info *pi )
{
	int i;

	if ( c->valx < 0 ) {
		ber_bvarray_free( pi->pi_admins );
		ber_bvarray_free( pi->pi_nadmins );
		pi->pi_admins = pi->pi_nadmins = NULL;
		return;
	}
	for ( i = 0; i < c->valx && !BER_BVISNULL( &pi->pi_admins[i] ); i++ )
		;
	if ( BER_BVISNULL( &pi->pi_admins[i] ) )
		return;
	pim_cf_free_dn( &pi->pi_admins[i], &pi->pi_nadmins[i] );
	for ( ; !BER_BVISNULL( &pi->pi_admins[i + 1] ); i++ ) {
		pi->pi_admins[i] = pi->pi_admins[i + 1];
		pi->pi_nadmins[i] = pi->pi_nadmins[i + 1];
	}
	BER_BVZERO( &pi->pi_admins[i] );
	BER_BVZERO( &pi->pi_nadmins[i] );
	if ( i == 0 ) {
		ch_free( pi->pi_admins );
		ch_free( pi->pi_nadmins );
		pi->pi_admins = pi->pi_nadmins = NULL;
	}
}

static int
pim_cf_delete( ConfigArgs *c, pim_info *pi )
{
	pim_policy defaults;

	pim_policy_defaults( &defaults );
	switch ( c->type ) {
	case PIM_CF_CONTAINER:
		pim_cf_free_dn( &pi->pi_container, &pi->pi_ncontainer );
		break;
	case PIM_CF_ADMIN:
		pim_cf_delete_admin( c, pi );
		break;
	case PIM_CF_MAX_DURATION:
		pim_cf_defaults_will_change( c, pi );
		pi->pi_defaults.pp_max_duration = defaults.pp_max_duration;
		break;
	case PIM_CF_MIN_DURATION:
		pim_cf_defaults_will_change( c, pi );
		pi->pi_defaults.pp_min_duration = defaults.pp_min_duration;
		break;
	case PIM_CF_JUSTIFICATION_REQUIRED:
		pi->pi_defaults.pp_justification_required =
			defaults.pp_justification_required;
		break;
	case PIM_CF_JUSTIFICATION_MAX:
		pi->pi_defaults.pp_justification_max = defaults.pp_justification_max;
		break;
	case PIM_CF_PLACEHOLDER:
		pim_placeholder_default( pi );
		break;
	}
	return 0;
}

/* The default minimum and maximum are checked together once a whole
 * change is applied (a cn=config cleanup, or db_open for slapd.conf), so
 * that the order in which they are given does not matter.  A change that
 * leaves them incoherent is undone. */
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
pim_cf_set_duration( ConfigArgs *c, pim_info *pi, int is_max )
{
	long secs;

	if ( pim_duration_parse( c->argv[1], strlen( c->argv[1] ), &secs ) ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\" is not a "
			"duration (such as 8h, 90m or 1h30m)", c->argv[0], c->argv[1] );
		return 1;
	}
	if ( is_max && secs == 0 ) {
		snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> \"%s\": the "
			"maximum must be at least 1 second", c->argv[0], c->argv[1] );
		return 1;
	}
	pim_cf_defaults_will_change( c, pi );
	if ( is_max )
		pi->pi_defaults.pp_max_duration = secs;
	else
		pi->pi_defaults.pp_min_duration = secs;
	return 0;
}

static int
pim_cf_set( ConfigArgs *c, pim_info *pi )
{
	switch ( c->type ) {
	case PIM_CF_CONTAINER:
		pim_cf_free_dn( &pi->pi_container, &pi->pi_ncontainer );
		pi->pi_container = c->value_dn;
		pi->pi_ncontainer = c->value_ndn;
		break;
	case PIM_CF_ADMIN:
		ber_bvarray_add( &pi->pi_admins, &c->value_dn );
		ber_bvarray_add( &pi->pi_nadmins, &c->value_ndn );
		break;
	case PIM_CF_MAX_DURATION:
		return pim_cf_set_duration( c, pi, 1 );
	case PIM_CF_MIN_DURATION:
		return pim_cf_set_duration( c, pi, 0 );
	case PIM_CF_JUSTIFICATION_REQUIRED:
		pi->pi_defaults.pp_justification_required = c->value_int;
		break;
	case PIM_CF_JUSTIFICATION_MAX:
		if ( c->value_int < 1 || c->value_int > PIM_MAX_TEXT ) {
			snprintf( c->cr_msg, sizeof( c->cr_msg ), "<%s> must be "
				"between 1 and %d", c->argv[0], PIM_MAX_TEXT );
			return 1;
		}
		pi->pi_defaults.pp_justification_max = c->value_int;
		break;
	case PIM_CF_PLACEHOLDER:
		pim_cf_free_dn( &pi->pi_placeholder, &pi->pi_nplaceholder );
		pi->pi_placeholder = c->value_dn;
		pi->pi_nplaceholder = c->value_ndn;
		break;
	}
	return 0;
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

int
pim_config_register( slap_overinst *on )
{
	on->on_bi.bi_cf_ocs = pim_ocs;
	return config_register_schema( pim_cfg, pim_ocs );
}
