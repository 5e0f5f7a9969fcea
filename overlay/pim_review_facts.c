/* pim_review_facts.c - what the directory knows of an assignment under
 * review: the last activation of the role by the principal, the last
 * successful bind, the principal's manager.
 *
 * The last activations come from two searches per open (or close), not
 * one per item: the activation entries (those PIM has not purged) and
 * the audit trail's "activated" records (which outlive them), folded
 * into one tree keyed by principal and role.  The bind time and the
 * manager are read from the principal's entry, one read per item.
 */
#include "pim_review.h"

/* One (principal, role) pair and its latest activation. */
typedef struct pim_rv_last {
	struct berval	rl_key;		/* "<principal>\n<role>", normalized */
	time_t		rl_when;
} pim_rv_last;

struct pim_rv_history {
	Avlnode		*rh_tree;	/* pim_rv_last, keys and nodes on the
					 * heap (the tree's own nodes are) */
	time_t		rh_now;
	AttributeDescription *rh_bind[2];	/* pwdLastSuccess,
						 * authTimestamp; NULL:
						 * not in the schema */
	AttributeDescription *rh_manager;
};

static int
pim_rv_last_cmp( const void *a, const void *b )
{
	const pim_rv_last *x = a, *y = b;

	return ber_bvcmp( &x->rl_key, &y->rl_key );
}

/* key on the heap: the caller frees it (ch_free) */
static void
pim_rv_key( struct berval *principal, struct berval *role,
	struct berval *key )
{
	key->bv_len = principal->bv_len + 1 + role->bv_len;
	key->bv_val = ch_malloc( key->bv_len + 1 );
	memcpy( key->bv_val, principal->bv_val, principal->bv_len );
	key->bv_val[principal->bv_len] = '\n';
	memcpy( key->bv_val + principal->bv_len + 1, role->bv_val, role->bv_len );
	key->bv_val[key->bv_len] = '\0';
}

static void
pim_rv_note( Operation *op, pim_rv_history *h, struct berval *principal,
	struct berval *role, time_t when )
{
	pim_rv_last probe, *rl;

	if ( principal == NULL || role == NULL || when <= 0 || when > h->rh_now )
		return;
	pim_rv_key( principal, role, &probe.rl_key );
	rl = ldap_avl_find( h->rh_tree, &probe, pim_rv_last_cmp );
	if ( rl != NULL ) {
		ch_free( probe.rl_key.bv_val );
		if ( when > rl->rl_when )
			rl->rl_when = when;
		return;
	}
	rl = ch_malloc( sizeof( *rl ) );
	rl->rl_key = probe.rl_key;
	rl->rl_when = when;
	(void)ldap_avl_insert( &h->rh_tree, rl, pim_rv_last_cmp, ldap_avl_dup_error );
}

/* An activation entry that became active at its start. */
static int
pim_rv_note_activation( Operation *op, Entry *e, void *arg )
{
	time_t start;

	if ( pim_entry_time( e, pim_ad_start, &start ) == 0 )
		pim_rv_note( op, arg, pim_entry_nval( e, pim_ad_principal ),
			pim_entry_nval( e, pim_ad_role ), start );
	return LDAP_SUCCESS;
}

/* An "activated" audit record. */
static int
pim_rv_note_record( Operation *op, Entry *e, void *arg )
{
	time_t when;

	if ( pim_entry_time( e, pim_ad_audit[PIM_CH_START], &when ) != 0 &&
		pim_entry_time( e, pim_ad_audit[PIM_CH_TIME], &when ) != 0 )
		return LDAP_SUCCESS;
	pim_rv_note( op, arg, pim_entry_nval( e, pim_ad_audit[PIM_CH_PRINCIPAL] ),
		pim_entry_nval( e, pim_ad_audit[PIM_CH_ROLE] ), when );
	return LDAP_SUCCESS;
}

static AttributeDescription *
pim_rv_ad( const char *name )
{
	AttributeDescription *ad = NULL;
	const char *text;

	return slap_str2ad( name, &ad, &text ) == LDAP_SUCCESS ? ad : NULL;
}

pim_rv_history *
pim_rv_history_load( Operation *op, pim_info *pi )
{
	pim_rv_history *h = op->o_tmpcalloc( 1, sizeof( *h ), op->o_tmpmemctx );
	struct berval *base = &pi->pi_db->be_nsuffix[0];
	int rc;

	h->rh_now = slap_get_time();
	h->rh_bind[0] = slap_schema.si_ad_pwdLastSuccess;
	h->rh_bind[1] = pim_rv_ad( "authTimestamp" );
	h->rh_manager = pim_rv_ad( "manager" );
	/* (activations that never started have no start before now) */
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer,
		"(&(objectClass=pimActivation)(|(pimState=active)"
		"(pimState=expired)(pimState=deactivated)(pimState=revoked)))",
		pim_rv_note_activation, h );
	if ( rc == LDAP_SUCCESS )
		rc = pim_internal_search( op, pi, base,
			"(&(objectClass=pimAuditRecord)(pimAuditEvent=activated))",
			pim_rv_note_record, h );
	if ( rc != LDAP_SUCCESS )
		Debug( LDAP_DEBUG_ANY, "pim: review: cannot read the activation "
			"history (%d): recommendations may miss activations\n", rc );
	return h;
}

static void
pim_rv_last_free( void *p )
{
	pim_rv_last *rl = p;

	ch_free( rl->rl_key.bv_val );
	ch_free( rl );
}

void
pim_rv_history_free( Operation *op, pim_rv_history *h )
{
	if ( h == NULL )
		return;
	ldap_avl_free( h->rh_tree, pim_rv_last_free );
	op->o_tmpfree( h, op->o_tmpmemctx );
}

/* The principal's last bind and manager. */
static void
pim_rv_principal_facts( Operation *op, pim_info *pi, pim_rv_history *h,
	struct berval *principal, pim_rv_facts *f, struct berval *manager )
{
	Entry *e = NULL;
	struct berval *bv;
	time_t t;
	int i;

	if ( manager != NULL )
		BER_BVZERO( manager );
	if ( pim_entry_get( op, pi, principal, &e ) != LDAP_SUCCESS )
		return;
	for ( i = 0; i < 2; i++ ) {
		if ( h->rh_bind[i] == NULL ||
			( bv = pim_entry_val( e, h->rh_bind[i] ) ) == NULL )
			continue;
		if ( pim_gentime_parse( bv->bv_val, bv->bv_len, &t ) == 0 &&
			t > f->rf_last_bind )
			f->rf_last_bind = t;
	}
	if ( manager != NULL && h->rh_manager != NULL &&
		( bv = pim_entry_nval( e, h->rh_manager ) ) != NULL )
		ber_dupbv_x( manager, bv, op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
}

void
pim_rv_history_facts( Operation *op, pim_info *pi, pim_rv_history *h,
	struct berval *principal, struct berval *role, pim_rv_facts *f,
	struct berval *manager )
{
	pim_rv_last probe, *rl;

	pim_rv_key( principal, role, &probe.rl_key );
	rl = ldap_avl_find( h->rh_tree, &probe, pim_rv_last_cmp );
	ch_free( probe.rl_key.bv_val );
	f->rf_last_activation = rl ? rl->rl_when : 0;
	f->rf_last_bind = 0;
	pim_rv_principal_facts( op, pi, h, principal, f, manager );
}
