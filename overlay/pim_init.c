/* pim_init.c - module entry point, overlay registration, and the life of
 * an overlay instance.
 *
 * Loading the module registers the schema and the extended operations
 * (so that a replica that only loads it has both); configuring the
 * overlay on a database makes that database's PIM container live.
 */
#include "pim.h"
#include "pim_version.h"

slap_overinst pim_overlay;

/* An instance's runtime, made and unmade in one place: the locks of
 * pim.h's lock order, and each part's own state.  pim_db_open and
 * pim_db_close start and stop what runs (the timer, the window, the
 * monitor entries) in between. */
static pim_info *
pim_instance_new( slap_overinst *on )
{
	pim_info *pi = ch_calloc( 1, sizeof( pim_info ) );

	pim_policy_defaults( &pi->pi_defaults );
	pi->pi_on = on;
	ldap_pvt_thread_mutex_init( &pi->pi_request_mutex );
	ldap_pvt_thread_mutex_init( &pi->pi_member_mutex );
	ldap_pvt_thread_mutex_init( &pi->pi_rename_mutex );
	pim_audit_init( pi );
	pim_timer_init( pi );
	pim_window_init( pi );
	pim_mfa_init( pi );
	pi->pi_max_open = PIM_MAX_OPEN_REQUESTS;
	pi->pi_emergency_jmin = PIM_EMERGENCY_JMIN;
	pi->pi_group_depth = PIM_GROUP_DEPTH;
	pi->pi_peer_grace = PIM_PEER_GRACE;
	pi->pi_elig_extend_window = PIM_ELIG_EXTEND_WINDOW;
	pi->pi_elig_renew_window = PIM_ELIG_RENEW_WINDOW;
	return pi;
}

static void
pim_instance_free( pim_info *pi )
{
	pim_timer_destroy( pi );
	pim_window_destroy( pi );
	pim_mfa_destroy( pi );
	pim_monitor_destroy( pi );
	pim_audit_destroy( pi );
	ldap_pvt_thread_mutex_destroy( &pi->pi_request_mutex );
	ldap_pvt_thread_mutex_destroy( &pi->pi_member_mutex );
	ldap_pvt_thread_mutex_destroy( &pi->pi_rename_mutex );
	ch_free( pi->pi_container.bv_val );
	ch_free( pi->pi_ncontainer.bv_val );
	ch_free( pi->pi_key_ncontainer.bv_val );
	ch_free( pi->pi_placeholder.bv_val );
	ch_free( pi->pi_nplaceholder.bv_val );
	ch_free( pi->pi_mfa_token_base.bv_val );
	ch_free( pi->pi_nmfa_token_base.bv_val );
	ber_bvarray_free( pi->pi_admins );
	ber_bvarray_free( pi->pi_nadmins );
	ber_bvarray_free( pi->pi_auditors );
	ber_bvarray_free( pi->pi_nauditors );
	ch_free( pi );
}

static int
pim_db_init( BackendDB *be, ConfigReply *cr )
{
	slap_overinst *on = (slap_overinst *)be->bd_info;
	pim_info *pi;

	if ( SLAP_ISGLOBALOVERLAY( be ) ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: configure the overlay "
			"on the database that holds the roles, not globally" );
		return 1;
	}
	pi = pim_instance_new( on );
	on->on_bi.bi_private = pi;
	return 0;
}

static int
pim_db_check( BackendDB *be, pim_info *pi, ConfigReply *cr )
{
	const char *text = NULL;
	int i;

	if ( BER_BVISNULL( &pi->pi_ncontainer ) ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: pim-container "
			"(olcPimContainer) is required" );
		return 1;
	}
	for ( i = 0; be->be_nsuffix && !BER_BVISNULL( &be->be_nsuffix[i] ); i++ ) {
		if ( dnIsSuffix( &pi->pi_ncontainer, &be->be_nsuffix[i] ) )
			break;
	}
	if ( be->be_nsuffix == NULL || BER_BVISNULL( &be->be_nsuffix[i] ) ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: pim-container \"%s\" "
			"is not inside this database", pi->pi_container.bv_val );
		return 1;
	}
	if ( pim_policy_validate( &pi->pi_defaults, &text ) != LDAP_SUCCESS ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: default policy: %s "
			"(check the pim-* policy directives)", text );
		return 1;
	}
	pi->pi_defaults_saved = 0;
	/* Each provider numbers its own records: two sharing one container
	 * would take each other's sequence numbers and break both chains. */
	if ( SLAP_MULTIPROVIDER( be ) && BER_BVISEMPTY( &pi->pi_audit_container ) ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: with multi-provider "
			"replication every provider needs an audit container of its "
			"own: set pim-audit-container (such as cn=audit-<serverID>,"
			"<the PIM container>)" );
		return 1;
	}
	/* plain syncrepl between providers replaces whole entries: two
	 * providers writing one role at once can lose a value */
	if ( SLAP_MULTIPROVIDER( be ) && !overlay_is_inst( be->bd_self, "accesslog" ) )
		Debug( LDAP_DEBUG_ANY, "pim: WARNING: %s: multi-provider "
			"replication without slapo-accesslog on the database: use "
			"delta-syncrepl (syncdata=accesslog), or concurrent changes "
			"of one role on two providers can lose a member value\n",
			pi->pi_container.bv_val );
	if ( BER_BVISEMPTY( &be->be_rootndn ) ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: the database needs "
			"a rootdn: PIM makes its own writes as the rootdn" );
		return 1;
	}
	return pim_schema_resolve( cr );
}

static int
pim_db_open( BackendDB *be, ConfigReply *cr )
{
	slap_overinst *on = (slap_overinst *)be->bd_info;
	pim_info *pi = on->on_bi.bi_private;
	int rc;

	/* cn=config reopens an overlay whose olcDisabled goes back to
	 * FALSE without closing it first: it is open already */
	if ( pi->pi_db != NULL )
		return 0;
	/* slaptest and the other tools run the same checks as slapd, so
	 * that a configuration they accept is one slapd opens */
	rc = pim_db_check( be, pi, cr );
	if ( rc ) {
		Debug( LDAP_DEBUG_ANY, "%s\n", cr->msg );
		return rc;
	}
	if ( slapMode & SLAP_TOOL_MODE )
		return 0;
	if ( BER_BVISNULL( &pi->pi_nplaceholder ) )
		pim_placeholder_default( pi );
	pi->pi_db = be->bd_self;
	if ( BER_BVISNULL( &pi->pi_key_ncontainer ) )	/* a reopen keeps it */
		ber_dupbv( &pi->pi_key_ncontainer, &pi->pi_ncontainer );
	/* every server, consumers too, enforces the window at read time and
	 * keeps its audit container private */
	pim_audit_start( pi );
	pim_window_reset( pi );	/* a reopen reads the window afresh */
	pim_window_start( pi );
	pim_monitor_start( pi );	/* when there is a monitor database */

	/* A read-only consumer neither materializes nor purges: the
	 * provider's writes arrive by replication (and pim_role_follow
	 * starts the timer if it becomes a provider). */
	if ( SLAP_SINGLE_SHADOW( be ) )
		return 0;
	return pim_timer_start( pi );
}

static int
pim_db_close( BackendDB *be, ConfigReply *cr )
{
	slap_overinst *on = (slap_overinst *)be->bd_info;
	pim_info *pi = on->on_bi.bi_private;

	if ( pi != NULL ) {
		pim_timer_stop( pi );
		pim_window_stop( pi );
		pim_monitor_stop( pi );
		pi->pi_db = NULL;	/* closed: writes pass, a reopen opens */
	}
	return 0;
}

static int
pim_db_destroy( BackendDB *be, ConfigReply *cr )
{
	slap_overinst *on = (slap_overinst *)be->bd_info;
	pim_info *pi = on->on_bi.bi_private;

	if ( pi == NULL )
		return 0;
	pim_timer_stop( pi );
	pim_window_stop( pi );
	pim_instance_free( pi );
	on->on_bi.bi_private = NULL;
	return 0;
}

static int
pim_initialize( void )
{
	int rc;

	pim_id_init();
	rc = pim_schema_register();
	if ( rc )
		return rc;
	rc = pim_extop_register();
	if ( rc )
		return rc;

	pim_overlay.on_bi.bi_type = "pim";
	pim_overlay.on_bi.bi_flags = SLAPO_BFLAG_SINGLE | SLAPO_BFLAG_DBONLY;
	pim_overlay.on_bi.bi_db_init = pim_db_init;
	pim_overlay.on_bi.bi_db_open = pim_db_open;
	pim_overlay.on_bi.bi_db_close = pim_db_close;
	pim_overlay.on_bi.bi_db_destroy = pim_db_destroy;
	pim_overlay.on_bi.bi_op_add = pim_op_add;
	pim_overlay.on_bi.bi_op_modify = pim_op_modify;
	pim_overlay.on_bi.bi_op_delete = pim_op_delete;
	pim_overlay.on_bi.bi_op_modrdn = pim_op_modrdn;
	pim_overlay.on_bi.bi_op_search = pim_op_search;
	pim_overlay.on_bi.bi_op_compare = pim_op_compare;
	pim_overlay.on_bi.bi_entry_get_rw = pim_entry_get_rw;
	pim_overlay.on_bi.bi_entry_release_rw = pim_entry_release_rw;

	rc = pim_config_register( &pim_overlay );
	if ( rc )
		return rc;
	return overlay_register( &pim_overlay );
}

#if SLAPD_OVER_PIM == SLAPD_MOD_DYNAMIC
int init_module( int argc, char *argv[] );

/* Refuse to load into a slapd other than the one the module was built
 * for (see pim_version.h); the message names both versions. */
static int
pim_version_check( void )
{
	char running[64];

	if ( pim_version_of_slapd( Versionstr, running, sizeof( running ) ) != 0 ) {
		Debug( LDAP_DEBUG_ANY, "pim: this module was built for slapd %s, "
			"and cannot tell this slapd's version from \"%.60s\": not "
			"loaded\n", PIM_SLAPD_VERSION, Versionstr );
		return -1;
	}
	if ( !pim_version_matches( PIM_SLAPD_VERSION, running ) ) {
		Debug( LDAP_DEBUG_ANY, "pim: this module was built for slapd %s "
			"and this slapd is %s: not loaded (rebuild the module, or "
			"install the slapo-pim built for this slapd)\n",
			PIM_SLAPD_VERSION, running );
		return -1;
	}
	return 0;
}

int
init_module( int argc, char *argv[] )
{
	if ( pim_version_check() != 0 )
		return -1;
	return pim_initialize();
}
#endif
