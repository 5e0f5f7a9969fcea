/* pim_filter.c - the search filters PIM builds.
 *
 * Every value that goes into a filter is escaped here (a DN or a
 * justification may hold "*" or ")"), so that no caller can build a
 * filter that matches more than it names.
 */
#include "pim.h"

/* "(ATTR=VALUE)" with VALUE escaped, on op->o_tmpmemctx: the one place
 * a filter takes a value from data. */
char *
pim_filter_eq( Operation *op, const char *attr, struct berval *value )
{
	struct berval esc;
	char *f;
	size_t len;

	if ( filter_escape_value_x( value, &esc, op->o_tmpmemctx ) != 0 )
		return NULL;
	len = strlen( attr ) + esc.bv_len + sizeof( "(=)" );
	f = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( f, len, "(%s=%s)", attr, esc.bv_val );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	return f;
}

/* pim_filter_principal_role's and pim_filter_holder_role's: which is
 * the clause that names the principal. */
static char *
pim_filter_build( Operation *op, const char *oc, struct berval *principal,
	int holder, struct berval *role, const char *extra )
{
	struct berval ep = BER_BVC( "" ), er = BER_BVC( "" );
	char *buf, *who;
	size_t len;

	if ( principal != NULL )
		filter_escape_value_x( principal, &ep, op->o_tmpmemctx );
	if ( role != NULL )
		filter_escape_value_x( role, &er, op->o_tmpmemctx );
	if ( extra == NULL )
		extra = "";

	len = 2 * ep.bv_len + 96;
	who = op->o_tmpalloc( len, op->o_tmpmemctx );
	if ( principal == NULL )
		who[0] = '\0';
	else if ( holder )
		snprintf( who, len, "(|(&(pimPrincipal=%s)(!(pimEligibleThrough=*)))"
			"(pimEligibleThrough=%s))", ep.bv_val, ep.bv_val );
	else
		snprintf( who, len, "(pimPrincipal=%s)", ep.bv_val );
	len = strlen( oc ) + strlen( who ) + er.bv_len + strlen( extra ) + 64;
	buf = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( buf, len, "(&(objectClass=%s)%s%s%s%s%s)", oc, who,
		role ? "(pimRoleDN=" : "", er.bv_val, role ? ")" : "", extra );

	op->o_tmpfree( who, op->o_tmpmemctx );
	if ( principal != NULL )
		op->o_tmpfree( ep.bv_val, op->o_tmpmemctx );
	if ( role != NULL )
		op->o_tmpfree( er.bv_val, op->o_tmpmemctx );
	return buf;
}

/* "(&(objectClass=OC)(pimPrincipal=P)(pimRoleDN=R)EXTRA)" with P and R
 * escaped; either may be NULL to leave it out.  On op->o_tmpmemctx. */
char *
pim_filter_principal_role( Operation *op, const char *oc,
	struct berval *principal, struct berval *role, const char *extra )
{
	return pim_filter_build( op, oc, principal, 0, role, extra );
}

/* The same for the activations whose eligibility P holds: P's own made
 * under P's eligibility, or, when P is a group, its members' made
 * through it (pimEligibleThrough).  An eligibility's end, removal or
 * cut reaches exactly these. */
char *
pim_filter_holder_role( Operation *op, struct berval *principal,
	struct berval *role, const char *extra )
{
	return pim_filter_build( op, "pimActivation", principal, 1, role,
		extra );
}

/* Every oc entry under the container of principal and role (either
 * NULL: any) that also matches extra (NULL: nothing more), to fn. */
int
pim_search_principal_role( Operation *op, pim_info *pi, const char *oc,
	struct berval *principal, struct berval *role, const char *extra,
	pim_entry_fn *fn, void *arg )
{
	char *filter;
	int rc;

	filter = pim_filter_principal_role( op, oc, principal, role, extra );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter, fn, arg );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	return rc;
}
