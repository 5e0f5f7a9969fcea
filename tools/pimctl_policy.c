/* pimctl_policy.c - "pimctl policy show ROLE" and "policy set ROLE N=V...".
 *
 * A role's policy is a set of attributes on its entry (class pimRole);
 * an attribute that is not there takes the overlay's default.  "show"
 * reads them all and prints each, or "(default)":
 *
 *	Policy of "cn=User Administrator,ou=roles,dc=example,dc=com":
 *	  SETTING             ATTRIBUTE                    VALUE
 *	  max                 pimMaxDuration               4h
 *	  min                 pimMinDuration               (default)
 *	  ...
 *	  approvers           pimApprover                  uid=alice,ou=people,...
 *	                                                   cn=Approvers,ou=groups,...
 *
 * "set" is in pimctl_policy_set.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"

/* The policy attributes (pim_policy_attrs.h), with pimApprover, which
 * is none (a list of DNs), where "policy show" always listed it, and
 * the role's notification settings last. */
#define PIMCTL_ST_OF_DURATION	PIMCTL_ST_DURATION
#define PIMCTL_ST_OF_BOOL	PIMCTL_ST_BOOL
#define PIMCTL_ST_OF_COUNT	PIMCTL_ST_NUMBER
#define PIMCTL_SETTING( e, name, kind, dflt, attr, setting, ... ) \
	{ setting, attr, PIMCTL_ST_OF_##kind },
const pimctl_setting pimctl_settings[] = {
	PIM_POLICY_ATTRS_A( PIMCTL_SETTING )
	PIM_POLICY_ATTRS_B( PIMCTL_SETTING )
	{ "approvers",		"pimApprover",			PIMCTL_ST_DNS },
	PIM_POLICY_ATTRS_C( PIMCTL_SETTING )
	PIM_POLICY_ATTRS_D( PIMCTL_SETTING )
	/* what pimctl notify reads from the role (pimctl-notify(1)) */
	{ "notify-events",	"pimNotifyEvents",		PIMCTL_ST_WORDS },
	{ "notify-recipients",	"pimNotifyRecipient",		PIMCTL_ST_WORDS },
	{ "notify-critical-only", "pimNotifyCriticalOnly",	PIMCTL_ST_BOOL },
};
#undef PIMCTL_SETTING
_Static_assert( sizeof( pimctl_settings ) / sizeof( pimctl_settings[0] ) ==
	PIMCTL_NSETTINGS, "PIMCTL_NSETTINGS" );

/* ------------------------------------------------------------------ */
/* policy show */

/* --json and --csv: one object per setting, "values" an array (null:
 * the setting is not there, the overlay's default applies). */
static const pimctl_column show_columns[] = {
	{ "SETTING",	"setting",	0, 0, NULL },
	{ "ATTRIBUTE",	"attribute",	0, 0, NULL },
	{ "VALUE",	"values",	PIMCTL_COL_LIST, 0, "(default)" },
};

/* Its values, one per line; NULL for none (or out of memory, which
 * the caller tells by the setting's value being there). */
static char *
joined( struct berval **vals )
{
	size_t len = 1;
	char *out;
	int j;

	for ( j = 0; vals && vals[j]; j++ ) {
		len += vals[j]->bv_len + 1;
	}
	if ( j == 0 || ( out = ber_memalloc( len ) ) == NULL ) {
		return NULL;
	}
	for ( j = 0, len = 0; vals[j]; j++ ) {
		if ( j ) {
			out[len++] = '\n';
		}
		memcpy( out + len, vals[j]->bv_val, vals[j]->bv_len );
		len += vals[j]->bv_len;
	}
	out[len] = '\0';
	return out;
}

/* One row per setting; a list of its values. */
static int
show_entry( pimctl *pc, LDAPMessage *e, pimctl_table *t )
{
	struct berval **vals;
	char *cells[3];
	int i, rc = 0;

	for ( i = 0; rc == 0 && i < PIMCTL_NSETTINGS; i++ ) {
		vals = ldap_get_values_len( pc->pc_ld, e, pimctl_settings[i].s_attr );
		cells[0] = ber_strdup( pimctl_settings[i].s_name );
		cells[1] = ber_strdup( pimctl_settings[i].s_attr );
		cells[2] = joined( vals );
		if ( !cells[0] || !cells[1] || ( !cells[2] && vals && vals[0] ) ) {
			ber_memfree( cells[0] );
			ber_memfree( cells[1] );
			ber_memfree( cells[2] );
			rc = -1;
		} else {
			rc = pimctl_table_add( t, cells );
		}
		ber_bvecfree( vals );
	}
	return rc;
}

static int
policy_show( pimctl *pc, const char *role_name )
{
	char *attrs[PIMCTL_NSETTINGS + 2];
	LDAPMessage *res = NULL, *e = NULL;
	pimctl_table t;
	char *role = NULL, *dn = NULL, *title = NULL;
	int i, rc;

	for ( i = 0; i < PIMCTL_NSETTINGS; i++ ) {
		attrs[i] = (char *)pimctl_settings[i].s_attr;
	}
	attrs[i++] = "objectClass";
	attrs[i] = NULL;
	pimctl_table_init( &t, pc, 3, show_columns );

	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_resolve_role( pc, role_name, &role );
	}
	if ( rc == 0 ) {
		rc = pimctl_search( pc, role, LDAP_SCOPE_BASE, "(objectClass=*)",
			attrs, &res );
	}
	if ( rc == 0 && ( e = ldap_first_entry( pc->pc_ld, res ) ) == NULL ) {
		pimctl_error( pc, "cannot read \"%s\"", role );
		rc = PIMCTL_EX_NAME;
	}
	if ( rc != 0 ) {
		goto done;
	}
	if ( pimctl_count_values( pc->pc_ld, e, "objectClass" ) > 0 &&
		!pimctl_has_value( pc->pc_ld, e, "objectClass", "pimRole" ) )
	{
		pimctl_error( pc, "\"%s\" is not a PIM role (no pimRole object"
			" class)", role );
		rc = PIMCTL_EX_NAME;
		goto done;
	}
	if ( show_entry( pc, e, &t ) != 0 ) {
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	dn = ldap_get_dn( pc->pc_ld, e );
	title = ber_memalloc( strlen( dn ? dn : role ) + 16 );
	if ( title == NULL ) {
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	sprintf( title, "Policy of \"%s\"", dn ? dn : role );
	rc = pimctl_output_one( pc, &t, title, NULL );
done:
	pimctl_table_free( &t );
	ber_memfree( title );
	ldap_memfree( dn );
	ldap_msgfree( res );
	ber_memfree( role );
	return rc;
}

int
pimctl_cmd_policy( pimctl *pc, int argc, char **argv )
{
	if ( strcmp( argv[0], "show" ) == 0 ) {
		if ( argc != 2 ) {
			pimctl_error( pc, "show: expected ROLE" );
			return PIMCTL_EX_USAGE;
		}
		return policy_show( pc, argv[1] );
	}
	if ( strcmp( argv[0], "set" ) == 0 ) {
		return pimctl_policy_set( pc, argv[1], argc - 2, argv + 2 );
	}
	pimctl_error( pc, "unknown policy command '%s' (show or set)",
		argv[0] );
	return PIMCTL_EX_USAGE;
}
