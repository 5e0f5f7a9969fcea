/* pimctl_roles.c - "pimctl roles": my eligible and active roles.
 *
 * One subtree search for the caller's eligibility and activation
 * entries (the caller's DN from Who am I?), printed as two sections:
 *
 *	Eligible roles:
 *	  ROLE                START                 END
 *	  User Administrator  2025-02-26 16:43:25Z  permanent
 *
 *	Active roles:
 *	  ROLE                STATE   START                 END                   ID
 *	  User Administrator  active  2026-11-26 04:00:00Z  2026-11-26 12:00:00Z  1b4e...
 *
 * An eligibility of a group the user is in is listed with the group
 * under THROUGH ("eligible through cn=ops"), as is an activation made
 * through one.  For the caller's own roles the server shows exactly
 * the groups the caller is in, nested ones too; with --for USER (an
 * administrator's view) those of the groups that list USER directly.
 *
 * Active roles lists activations that are pending, approved, scheduled
 * or active (all of them with --all).  Rows are sorted by role, then
 * start; columns are separated by two spaces; a missing time is "-",
 * except the end of an active (or approved, or scheduled) one, which
 * is "permanent" (an administrator's permanent active assignment); an
 * empty section says "  (none)".
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "pimctl.h"

/* "(pimEligibleThrough=G)..." for each group listing dn directly (an
 * empty string for none), or NULL on an error (reported). */
static char *
direct_groups( pimctl *pc, const char *base, const char *dn )
{
	static char *no_attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL, *e;
	char *value = NULL, *f = NULL, *out = ber_strdup( "" ), *gdn, *g;
	size_t len;

	if ( out == NULL || pimctl_filter_escape( dn, &value ) != 0 )
		goto fail;
	len = 2 * strlen( value ) + 64;
	if ( ( f = ber_memalloc( len ) ) == NULL )
		goto fail;
	snprintf( f, len, "(|(member=%s)(uniqueMember=%s))", value, value );
	if ( pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, f, no_attrs, &res ) != 0 )
		goto fail;
	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		gdn = ldap_get_dn( pc->pc_ld, e );
		g = NULL;
		if ( gdn == NULL || pimctl_filter_escape( gdn, &g ) != 0 ||
			( len = strlen( out ) + strlen( g ) + 32,
			( f = ber_memrealloc( f, len ) ) == NULL ) ) {
			ldap_memfree( gdn );
			ber_memfree( g );
			goto fail;
		}
		snprintf( f, len, "%s(pimEligibleThrough=%s)", out, g );
		ber_memfree( out );
		out = ber_strdup( f );
		ldap_memfree( gdn );
		ber_memfree( g );
		if ( out == NULL )
			goto fail;
	}
	ber_memfree( f );
	ber_memfree( value );
	ldap_msgfree( res );
	return out;
fail:
	pimctl_error( pc, "cannot find the groups of %s", dn );
	ber_memfree( f );
	ber_memfree( value );
	ber_memfree( out );
	ldap_msgfree( res );
	return NULL;
}

/* The search filter for dn's eligibilities and activations, and those
 * of the groups through (NULL: whatever the server shows the caller). */
static char *
roles_filter( const char *dn, const char *through )
{
	char *value = NULL, *filter = NULL;
	size_t len;

	if ( pimctl_filter_escape( dn, &value ) != 0 ) {
		return NULL;
	}
	if ( through == NULL ) {
		through = "(&(objectClass=pimEligibility)(pimEligibleThrough=*))";
	}
	len = strlen( value ) + strlen( through ) + 128;
	filter = ber_memalloc( len );
	if ( filter ) {
		snprintf( filter, len, "(&(|(objectClass=pimEligibility)"
			"(objectClass=pimActivation))(|(pimPrincipal=%s)%s))",
			value, through );
	}
	ber_memfree( value );
	return filter;
}

/* The two sections: what the table view shows of each. */
static void
sections_init( pimctl *pc, pimctl_table *eligible, pimctl_table *active )
{
	static const int hidden[] = { PIMCTL_AS_PRINCIPAL, PIMCTL_AS_KIND,
		PIMCTL_AS_BY, PIMCTL_AS_REASON };
	size_t i;

	pimctl_table_init( eligible, pc, PIMCTL_AS_NCOLS, pimctl_as_columns );
	pimctl_table_init( active, pc, PIMCTL_AS_NCOLS, pimctl_as_columns );
	for ( i = 0; i < sizeof( hidden ) / sizeof( hidden[0] ); i++ ) {
		pimctl_table_hide( eligible, hidden[i] );
		pimctl_table_hide( active, hidden[i] );
	}
	pimctl_table_hide( eligible, PIMCTL_AS_STATE );
	pimctl_table_hide( eligible, PIMCTL_AS_ID );
}

/* Search, and print what came back even when the search ended early
 * (a size limit): the exit status still says it did. */
static int
list_roles( pimctl *pc, const char *base, const char *dn )
{
	static const int keys[] = { PIMCTL_AS_ROLE, PIMCTL_AS_START };
	pimctl_table eligible, active;
	pimctl_section s[2] = {
		{ &eligible, "Eligible roles", NULL },
		{ &active, "Active roles", NULL }
	};
	LDAPMessage *res = NULL;
	char *through = NULL, *filter = NULL;
	int rc, rc2, ended = pc->pc_args.a_all ?
		PIMCTL_AS_EXPIRED | PIMCTL_AS_OTHER : 0;

	sections_init( pc, &eligible, &active );
	if ( pc->pc_args.a_for &&
		( through = direct_groups( pc, base, dn ) ) == NULL ) {
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	filter = roles_filter( dn, through );
	if ( filter == NULL ) {
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter,
		pimctl_as_attrs, &res );
	if ( res == NULL || ( rc != 0 && ldap_count_entries( pc->pc_ld,
		res ) <= 0 ) )
	{
		goto done;
	}
	/* an ended entry goes to the section of its kind */
	rc2 = pimctl_as_collect( pc, res, PIMCTL_AS_ELIGIBILITIES |
		PIMCTL_AS_ELIGIBLE | ended, &eligible );
	if ( rc2 == 0 ) {
		rc2 = pimctl_as_collect( pc, res, PIMCTL_AS_ACTIVATIONS |
			PIMCTL_AS_ACTIVE | ended, &active );
	}
	if ( rc2 == 0 ) {
		pimctl_table_sort( &eligible, keys, 2 );
		pimctl_table_sort( &active, keys, 2 );
		pimctl_as_hide_unused( &eligible );
		pimctl_as_hide_unused( &active );
		rc2 = pimctl_output( pc, s, 2 );
	}
	if ( rc2 != 0 ) {
		rc = rc2;
	}
done:
	pimctl_table_free( &eligible );
	pimctl_table_free( &active );
	ldap_msgfree( res );
	ber_memfree( filter );
	ber_memfree( through );
	return rc;
}

int
pimctl_cmd_roles( pimctl *pc, int argc, char **argv )
{
	const char *base;
	char *dn = NULL;
	int rc = pimctl_connect( pc );

	if ( rc != 0 ) {
		return rc;
	} else if ( pc->pc_args.a_for ) {
		rc = pimctl_resolve_user( pc, pc->pc_args.a_for, &dn );
	} else {
		rc = pimctl_whoami( pc, &dn );
	}
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc == 0 ) {
		rc = list_roles( pc, base, dn );
	}
	ber_memfree( dn );
	return rc;
}
