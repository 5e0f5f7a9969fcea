/* pim_through.c - eligibility through a group.
 *
 * An eligibility whose pimPrincipal is a group (groupOfNames,
 * groupOfUniqueNames, groupOfMembers; never a PIM role) makes each of
 * its members eligible, within the role's policy.  It carries the group
 * in pimEligibleThrough too, so that the group eligibilities of a role
 * are one indexed search away, and an activation made through it
 * records the user in pimPrincipal and the group in pimEligibleThrough.
 *
 * Membership counts as pim_dn_in_groups() sees it: direct, or nested to
 * pim-group-depth levels, never through a PIM role.  It is checked when
 * the activation is asked for, again when it starts (a scheduled or an
 * approved one) and when it is extended; and when a group's membership
 * shrinks (a member deleted from it, the group deleted), every open
 * activation through it or a group above it is checked at once, and
 * revoked when its principal is no longer in the group.
 */
#include "pim.h"

static const struct berval pim_why_left = BER_BVC( "no longer a member of "
	"the group it was eligible through" );

/* One group eligibility of the role, as read (o_tmpmemctx). */
typedef struct pim_through_elig {
	struct berval	tg_ndn, tg_group;
	time_t		tg_start, tg_end;
} pim_through_elig;

typedef struct pim_through_list {
	pim_through_elig *tl_v;
	int		tl_n, tl_max;
} pim_through_list;

static int
pim_through_collect( Operation *op, Entry *e, void *arg )
{
	pim_through_list *tl = arg;
	pim_through_elig *tg;
	struct berval *g = pim_entry_nval( e, pim_ad_through );

	if ( g == NULL )
		return LDAP_SUCCESS;
	if ( tl->tl_n == tl->tl_max ) {
		tl->tl_max = tl->tl_max ? 2 * tl->tl_max : 8;
		tl->tl_v = op->o_tmprealloc( tl->tl_v,
			tl->tl_max * sizeof( *tl->tl_v ), op->o_tmpmemctx );
	}
	tg = &tl->tl_v[tl->tl_n];
	if ( pim_entry_time( e, pim_ad_start, &tg->tg_start ) < 0 ||
		pim_entry_time( e, pim_ad_end, &tg->tg_end ) < 0 )
		return LDAP_SUCCESS;	/* unreadable: allows nothing */
	ber_dupbv_x( &tg->tg_ndn, &e->e_nname, op->o_tmpmemctx );
	ber_dupbv_x( &tg->tg_group, g, op->o_tmpmemctx );
	tl->tl_n++;
	return LDAP_SUCCESS;
}

static void
pim_through_list_free( Operation *op, pim_through_list *tl )
{
	int i;

	for ( i = 0; i < tl->tl_n; i++ ) {
		op->o_tmpfree( tl->tl_v[i].tg_ndn.bv_val, op->o_tmpmemctx );
		op->o_tmpfree( tl->tl_v[i].tg_group.bv_val, op->o_tmpmemctx );
	}
	if ( tl->tl_v != NULL )
		op->o_tmpfree( tl->tl_v, op->o_tmpmemctx );
}

/* es found no eligibility of principal's own: the role's group
 * eligibilities of which principal is a member, chosen as
 * pim_eligibility_find chooses (the valid one that lasts longest).
 * Fills es, and es_through with the group. */
int
pim_through_find( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, pim_elig_scan *es )
{
	pim_through_list tl = { NULL, 0, 0 };
	struct berval targets[2] = { BER_BVNULL, BER_BVNULL };
	const char *text;
	int i, rc;

	rc = pim_search_principal_role( op, pi, "pimEligibility", NULL, role,
		"(pimEligibleThrough=*)",
		pim_through_collect, &tl );
	for ( i = 0; rc == LDAP_SUCCESS && i < tl.tl_n; i++ ) {
		pim_through_elig *tg = &tl.tl_v[i];

		if ( es->es_valid && ( es->es_end == 0 ||
			( tg->tg_end != 0 && tg->tg_end <= es->es_end ) ) )
			continue;	/* no better than the one chosen */
		targets[0] = tg->tg_group;
		if ( !pim_dn_in_groups( op, pi, principal, targets ) )
			continue;
		es->es_found = 1;
		if ( pim_eligibility_check_window( es->es_now, tg->tg_start,
			tg->tg_end, &text ) ) {
			if ( !es->es_valid ) {
				es->es_rc = LDAP_INSUFFICIENT_ACCESS;
				es->es_text = text;
			}
			continue;
		}
		pim_elig_scan_free( op, es );
		ber_dupbv_x( &es->es_ndn, &tg->tg_ndn, op->o_tmpmemctx );
		ber_dupbv_x( &es->es_through, &tg->tg_group, op->o_tmpmemctx );
		es->es_valid = 1;
		es->es_end = tg->tg_end;
	}
	pim_through_list_free( op, &tl );
	return rc;
}

/* --- leaving a group ----------------------------------------------------- */

/* Is any activation open through a group?  Lets a site without group
 * eligibility skip the rest: one size-limited search. */
int
pim_through_any_open( Operation *op, pim_info *pi )
{
	BerVarray list = NULL;
	int rc, any;

	rc = pim_internal_search_ext( op, pi, &pi->pi_ncontainer,
		LDAP_SCOPE_SUBTREE, "(&(objectClass=pimActivation)"
		"(pimEligibleThrough=*)" PIM_FILTER_OPEN ")", slap_anlist_no_attrs,
		1, pim_collect_ndn, &list );
	any = list != NULL || rc != LDAP_SUCCESS;
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return any;
}

/* The open activations through one of groups, and each one's principal
 * and group (three parallel arrays, o_tmpmemctx). */
typedef struct pim_through_open {
	BerVarray	to_ndn, to_principal, to_group;
} pim_through_open;

static int
pim_through_open_entry( Operation *op, Entry *e, void *arg )
{
	pim_through_open *to = arg;
	struct berval *p = pim_entry_nval( e, pim_ad_principal ),
		*g = pim_entry_nval( e, pim_ad_through ), v;

	if ( p == NULL || g == NULL )
		return LDAP_SUCCESS;
	ber_dupbv_x( &v, &e->e_nname, op->o_tmpmemctx );
	ber_bvarray_add_x( &to->to_ndn, &v, op->o_tmpmemctx );
	ber_dupbv_x( &v, p, op->o_tmpmemctx );
	ber_bvarray_add_x( &to->to_principal, &v, op->o_tmpmemctx );
	ber_dupbv_x( &v, g, op->o_tmpmemctx );
	ber_bvarray_add_x( &to->to_group, &v, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* "(&(objectClass=pimActivation)OPEN(|(pimEligibleThrough=G)...))" */
static char *
pim_through_open_filter( Operation *op, BerVarray groups )
{
	size_t len = sizeof( "(&(objectClass=pimActivation)" PIM_FILTER_OPEN
		"(|))" ), off;
	char *f, *one;
	int i;

	for ( i = 0; !BER_BVISNULL( &groups[i] ); i++ )
		len += 3 * groups[i].bv_len + sizeof( "(pimEligibleThrough=)" );
	f = op->o_tmpalloc( len, op->o_tmpmemctx );
	off = snprintf( f, len, "(&(objectClass=pimActivation)" PIM_FILTER_OPEN
		"(|" );
	for ( i = 0; !BER_BVISNULL( &groups[i] ); i++ ) {
		if ( ( one = pim_filter_eq( op, "pimEligibleThrough",
			&groups[i] ) ) == NULL )
			continue;
		off += snprintf( f + off, len - off, "%s", one );
		op->o_tmpfree( one, op->o_tmpmemctx );
	}
	snprintf( f + off, len - off, "))" );
	return f;
}

/* The open activations filter finds: each whose principal is no
 * longer in its group is revoked, by by (NULL: PIM's own doing). */
static int
pim_through_check( Operation *op, pim_info *pi, const char *filter,
	struct berval *by )
{
	pim_through_open to = { NULL, NULL, NULL };
	struct berval target[2] = { BER_BVNULL, BER_BVNULL };
	int i, rc;

	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_through_open_entry, &to );
	for ( i = 0; rc == LDAP_SUCCESS && to.to_ndn &&
		!BER_BVISNULL( &to.to_ndn[i] ); i++ )
	{
		target[0] = to.to_group[i];
		if ( pim_dn_in_groups( op, pi, &to.to_principal[i], target ) )
			continue;
		rc = pim_activation_finish( op, pi, &to.to_ndn[i], PIM_EV_REVOKE,
			by, (struct berval *)&pim_why_left, NULL );
		if ( rc == LDAP_NO_SUCH_OBJECT )
			rc = LDAP_SUCCESS;	/* ended meanwhile */
	}
	ber_bvarray_free_x( to.to_ndn, op->o_tmpmemctx );
	ber_bvarray_free_x( to.to_principal, op->o_tmpmemctx );
	ber_bvarray_free_x( to.to_group, op->o_tmpmemctx );
	return rc;
}

/* groups' membership shrank (each is a group, or the deleted entry, and
 * the groups above it): the open activations through one of them. */
int
pim_through_recheck( Operation *op, pim_info *pi, BerVarray groups,
	struct berval *by )
{
	char *filter;
	int rc;

	if ( groups == NULL )
		return LDAP_SUCCESS;
	filter = pim_through_open_filter( op, groups );
	rc = pim_through_check( op, pi, filter, by );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	return rc;
}

/* At startup: every open activation through a group, since a group may
 * have lost members while PIM could not follow (a crash between the
 * group's write and the revocation). */
int
pim_through_recheck_all( Operation *op, pim_info *pi )
{
	return pim_through_check( op, pi, "(&(objectClass=pimActivation)"
		"(pimEligibleThrough=*)" PIM_FILTER_OPEN ")", NULL );
}
