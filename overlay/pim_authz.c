/* pim_authz.c - who is a PIM administrator, and what is a group.
 *
 * Administrators are configured with pim-admin: each value is either a
 * user's DN or a group's DN.  The database's rootdn is always an
 * administrator.  A group counts its members and, through groups that
 * are its members, theirs, to pim-group-depth levels (3 by default):
 * the walk goes up from the user, one indexed search per level for the
 * groups that hold the DNs of the level below (index member and
 * uniqueMember eq), at most PIM_GROUP_FANOUT groups per level, each
 * group once, so that a cycle ends and the cost of a check is bounded
 * by the depth whatever the size of the groups.  Only administrators
 * assign eligibility, change role policy or act on somebody else's
 * activation.
 *
 * Groups are groups: a DN named as administrator or approver counts as
 * a group only if its entry has a group object class (groupOfNames or
 * groupOfMembers on member, groupOfUniqueNames on uniqueMember), and
 * then only its values of that attribute count.  Anything else is a
 * single identity, whatever attributes it carries: member values on a
 * user's entry (an extensibleObject) make nobody an administrator.
 */
#include "pim.h"

/* Does a hold the DN ndn?  For uniqueMember, whose values may carry an
 * optional "#'bits'B" UID suffix, the DN part must match. */
int
pim_attr_has_dn( Attribute *a, struct berval *ndn )
{
	unsigned i;

	if ( a == NULL || BER_BVISEMPTY( ndn ) )
		return 0;
	for ( i = 0; i < a->a_numvals; i++ ) {
		struct berval *v = a->a_nvals ? &a->a_nvals[i] : &a->a_vals[i];
		ber_len_t len = v->bv_len;

		if ( a->a_desc == pim_ad_unique_member ) {
			char *hash = memchr( v->bv_val, '#', v->bv_len );
			if ( hash != NULL )
				len = hash - v->bv_val;
		}
		if ( len == ndn->bv_len && memcmp( v->bv_val, ndn->bv_val, len ) == 0 )
			return 1;
	}
	return 0;
}

int
pim_entry_has_member( Entry *group, struct berval *ndn )
{
	return pim_attr_has_dn( attr_find( group->e_attrs, pim_ad_member ), ndn ) ||
		pim_attr_has_dn( attr_find( group->e_attrs, pim_ad_unique_member ), ndn );
}

/* The attribute whose values are group's members, or NULL when group is
 * no group. */
AttributeDescription *
pim_group_member_ad( Entry *group )
{
	if ( is_entry_objectclass_or_sub( group, pim_oc_group_of_names ) ||
		( pim_oc_group_of_members != NULL &&
		is_entry_objectclass_or_sub( group, pim_oc_group_of_members ) ) )
		return pim_ad_member;
	if ( is_entry_objectclass_or_sub( group, pim_oc_group_of_unique_names ) )
		return pim_ad_unique_member;
	return NULL;
}

int
pim_group_has_member( Entry *group, struct berval *ndn )
{
	AttributeDescription *ad = pim_group_member_ad( group );

	return ad != NULL &&
		pim_attr_has_dn( attr_find( group->e_attrs, ad ), ndn );
}

/* Is ndn one of targets, or a direct member of one that is a group? */
static int
pim_dn_in_direct( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray targets )
{
	int i, found = 0;

	for ( i = 0; !found && targets && !BER_BVISNULL( &targets[i] ); i++ ) {
		Entry *e = NULL;

		if ( dn_match( ndn, &targets[i] ) )
			return 1;
		if ( pim_entry_get( op, pi, &targets[i], &e ) != LDAP_SUCCESS )
			continue;
		found = pim_group_has_member( e, ndn );
		pim_entry_release( op, pi, e );
	}
	return found;
}

/* Is the DN ndn (normalized) one of list's? */
int
pim_bvarray_has( BerVarray list, struct berval *ndn )
{
	int i;

	for ( i = 0; list != NULL && !BER_BVISNULL( &list[i] ); i++ ) {
		if ( dn_match( &list[i], ndn ) )
			return 1;
	}
	return 0;
}

/* One level of the walk up: the groups holding a DN of ns_below.  All
 * three arrays are op->o_tmpmemctx's and the walk's to free. */
typedef struct pim_nest {
	BerVarray	ns_below;	/* the level below */
	BerVarray	ns_found;	/* the groups holding one of them */
	BerVarray	ns_seen;	/* every DN walked */
	int		ns_no_roles;	/* PIM roles pass nothing on */
} pim_nest;

static int
pim_nest_entry( Operation *op, Entry *e, void *arg )
{
	pim_nest *ns = arg;
	struct berval dup;
	int i;

	/* the filter matched a value: a group counts through its own
	 * class's attribute only */
	for ( i = 0; !BER_BVISNULL( &ns->ns_below[i] ); i++ ) {
		if ( pim_group_has_member( e, &ns->ns_below[i] ) )
			break;
	}
	if ( BER_BVISNULL( &ns->ns_below[i] ) ||
		pim_bvarray_has( ns->ns_seen, &e->e_nname ) ||
		( ns->ns_no_roles && is_entry_objectclass_or_sub( e, pim_oc_role ) ) )
		return LDAP_SUCCESS;
	ber_dupbv_x( &dup, &e->e_nname, op->o_tmpmemctx );
	ber_bvarray_add_x( &ns->ns_found, &dup, op->o_tmpmemctx );
	ber_dupbv_x( &dup, &e->e_nname, op->o_tmpmemctx );
	ber_bvarray_add_x( &ns->ns_seen, &dup, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* "(&(|(objectClass=<each group class>))(|(member=<dn>)(uniqueMember=<dn>)...))"
 * for the DNs of below (op->o_tmpmemctx). */
static char *
pim_nest_filter( Operation *op, BerVarray below )
{
	static const char head[] = "(&(|(objectClass=groupOfNames)"
		"(objectClass=groupOfUniqueNames)%s)(|";
	const char *gom = pim_oc_group_of_members ?
		"(objectClass=groupOfMembers)" : "";
	struct berval esc;
	size_t len = sizeof( head ) + strlen( gom ) + 3, off;
	char *f;
	int i;

	for ( i = 0; !BER_BVISNULL( &below[i] ); i++ )
		len += 3 * below[i].bv_len + sizeof( "(member=)(uniqueMember=)" );
	f = op->o_tmpalloc( len, op->o_tmpmemctx );
	off = snprintf( f, len, head, gom );
	for ( i = 0; !BER_BVISNULL( &below[i] ); i++ ) {
		if ( filter_escape_value_x( &below[i], &esc, op->o_tmpmemctx ) != 0 )
			continue;
		off += snprintf( f + off, len - off, "(member=%s)(uniqueMember=%s)",
			esc.bv_val, esc.bv_val );
		op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	}
	snprintf( f + off, len - off, "))" );
	return f;
}

/* Does a target group hold one of dns? */
static int
pim_targets_hold( Operation *op, pim_info *pi, BerVarray targets,
	BerVarray dns )
{
	int i, found = 0;

	for ( i = 0; !found && dns && !BER_BVISNULL( &dns[i] ); i++ )
		found = pim_dn_in_direct( op, pi, &dns[i], targets );
	return found;
}

static void
pim_nest_start( Operation *op, pim_nest *ns, struct berval *ndn, int no_roles )
{
	struct berval dup;

	memset( ns, 0, sizeof( *ns ) );
	ns->ns_no_roles = no_roles;
	ber_dupbv_x( &dup, ndn, op->o_tmpmemctx );
	ber_bvarray_add_x( &ns->ns_below, &dup, op->o_tmpmemctx );
	ber_dupbv_x( &dup, ndn, op->o_tmpmemctx );
	ber_bvarray_add_x( &ns->ns_seen, &dup, op->o_tmpmemctx );
}

/* One level up: ns_below becomes the groups that hold it.  0 when the
 * walk ends there (nothing above, or a search failed). */
static int
pim_nest_up( Operation *op, pim_info *pi, pim_nest *ns )
{
	char *filter = pim_nest_filter( op, ns->ns_below );
	int rc;

	rc = pim_internal_search_within( op, pi, &pi->pi_db->be_nsuffix[0],
		LDAP_SCOPE_SUBTREE, filter, PIM_GROUP_FANOUT, pim_nest_entry, ns );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	ber_bvarray_free_x( ns->ns_below, op->o_tmpmemctx );
	ns->ns_below = ns->ns_found;
	ns->ns_found = NULL;
	return rc == LDAP_SUCCESS && ns->ns_below != NULL;
}

static void
pim_nest_free( Operation *op, pim_nest *ns )
{
	ber_bvarray_free_x( ns->ns_below, op->o_tmpmemctx );
	ber_bvarray_free_x( ns->ns_found, op->o_tmpmemctx );
	ber_bvarray_free_x( ns->ns_seen, op->o_tmpmemctx );
}

/* ndn is in no target directly: walk up from it, a level at a time. */
static int
pim_dn_in_nested( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray targets, int no_roles )
{
	pim_nest ns;
	int level, found = 0;

	pim_nest_start( op, &ns, ndn, no_roles );
	for ( level = 2; !found && level <= pi->pi_group_depth; level++ ) {
		if ( !pim_nest_up( op, pi, &ns ) )
			break;
		found = pim_targets_hold( op, pi, targets, ns.ns_below );
	}
	pim_nest_free( op, &ns );
	return found;
}

static int
pim_dn_in_walk( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray targets, int no_roles )
{
	if ( BER_BVISEMPTY( ndn ) || targets == NULL )
		return 0;
	if ( pim_dn_in_direct( op, pi, ndn, targets ) )
		return 1;
	return pi->pi_group_depth > 1 &&
		pim_dn_in_nested( op, pi, ndn, targets, no_roles );
}

/* Is ndn one of targets, or a member of one that is a group, directly
 * or through nested groups (see the file comment)? */
int
pim_dn_in( Operation *op, pim_info *pi, struct berval *ndn, BerVarray targets )
{
	return pim_dn_in_walk( op, pi, ndn, targets, 0 );
}

/* The same, for eligibility through a group: the membership must be the
 * directory's own, so the walk does not pass through a PIM role (an
 * activation of one would otherwise make its holder eligible for more,
 * and its end would not reach what that allowed). */
int
pim_dn_in_groups( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray targets )
{
	return pim_dn_in_walk( op, pi, ndn, targets, 1 );
}

/* ndn and every group holding it, directly or nested (to pim-group-depth
 * levels, not through PIM roles): whose members change when ndn's
 * membership does.  *out is op->o_tmpmemctx's, the caller's to free. */
void
pim_group_ancestors( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray *out )
{
	pim_nest ns;
	int level;

	pim_nest_start( op, &ns, ndn, 1 );
	for ( level = 2; level <= pi->pi_group_depth; level++ ) {
		if ( !pim_nest_up( op, pi, &ns ) )
			break;
	}
	*out = ns.ns_seen;
	ns.ns_seen = NULL;
	pim_nest_free( op, &ns );
}

/* Is the requester one of ndns, or a member of one that is a group?
 * The database's rootdn always is. */
int
pim_requester_in( Operation *op, pim_info *pi, BerVarray ndns )
{
	BackendDB *saved = op->o_bd;
	int isroot;

	if ( BER_BVISEMPTY( &op->o_ndn ) )
		return 0;
	op->o_bd = pi->pi_db;
	isroot = be_isroot( op );
	op->o_bd = saved;
	return isroot || pim_dn_in( op, pi, &op->o_ndn, ndns );
}

int
pim_is_admin( Operation *op, pim_info *pi )
{
	return pim_requester_in( op, pi, pi->pi_nadmins );
}

/* Auditors (pim-auditor) read everything under the container, as
 * administrators do, and change nothing. */
int
pim_is_auditor( Operation *op, pim_info *pi )
{
	return pim_requester_in( op, pi, pi->pi_nauditors );
}

/* Every PIM action is somebody's: an anonymous request gets
 * strongAuthRequired and *text. */
int
pim_need_user( Operation *op, const char **text )
{
	if ( BER_BVISEMPTY( &op->o_ndn ) ) {
		*text = "PIM operations need an authenticated user";
		return LDAP_STRONG_AUTH_REQUIRED;
	}
	return LDAP_SUCCESS;
}
