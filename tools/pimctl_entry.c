/* pimctl_entry.c - values of search entries, and DNs as people know them.
 *
 * The server stores pimRoleDN and pimPrincipal normalized
 * ("cn=user administrator,ou=roles,..."); people know a role by the
 * name its group was given.  pimctl_display_name() reads the entry a
 * DN names (once per DN) to print it as the entry spells it, and falls
 * back to the stored value when the entry cannot be read.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"
#include "pim_time.h"

/* The first value of attr, or NULL; free with ber_memfree(). */
char *
pimctl_first_value( LDAP *ld, LDAPMessage *e, const char *attr )
{
	struct berval **vals = ldap_get_values_len( ld, e, attr );
	char *val = NULL;

	if ( vals && vals[0] ) {
		val = ber_strndup( vals[0]->bv_val, vals[0]->bv_len );
	}
	ber_bvecfree( vals );
	return val;
}

int
pimctl_count_values( LDAP *ld, LDAPMessage *e, const char *attr )
{
	struct berval **vals = ldap_get_values_len( ld, e, attr );
	int n = vals ? ldap_count_values_len( vals ) : 0;

	ber_bvecfree( vals );
	return n;
}

/* Whether attr has value, case-insensitively (any value if value is
 * NULL). */
int
pimctl_has_value( LDAP *ld, LDAPMessage *e, const char *attr,
	const char *value )
{
	struct berval **vals = ldap_get_values_len( ld, e, attr );
	int i, found = 0;

	for ( i = 0; vals && vals[i]; i++ ) {
		if ( value == NULL || ( vals[i]->bv_len == strlen( value ) &&
			strncasecmp( vals[i]->bv_val, value, vals[i]->bv_len ) == 0 ) )
		{
			found = 1;
		}
	}
	ber_bvecfree( vals );
	return found;
}

/* A time attribute: *t for sorting and filtering (0 when absent), buf
 * for printing (the raw value if it does not parse, absent if it is
 * not there). */
void
pimctl_read_time( LDAP *ld, LDAPMessage *e, const char *attr, time_t *t,
	char *buf, size_t size, const char *absent )
{
	char *val = pimctl_first_value( ld, e, attr );

	*t = 0;
	if ( val == NULL ) {
		snprintf( buf, size, "%s", absent );
	} else if ( pim_gentime_parse( val, strlen( val ), t ) == 0 ) {
		pimctl_time_str( *t, buf, size );
	} else {
		snprintf( buf, size, "%s", val );
	}
	ber_memfree( val );
}

/* "cn=User Administrator,ou=roles,..." -> "User Administrator"; the
 * DN itself when its first RDN value is not a string. */
char *
pimctl_rdn_value( const char *dn )
{
	LDAPDN ldn = NULL;
	char *name = NULL;

	if ( ldap_str2dn( dn, &ldn, LDAP_DN_FORMAT_LDAPV3 ) == LDAP_SUCCESS &&
		ldn && ldn[0] && ldn[0][0] &&
		!( ldn[0][0]->la_flags & LDAP_AVA_BINARY ) )
	{
		name = ber_strndup( ldn[0][0]->la_value.bv_val,
			ldn[0][0]->la_value.bv_len );
	}
	ldap_dnfree( ldn );
	return name ? name : ber_strdup( dn );
}

/* The DN as its entry spells it, or NULL when it cannot be read. */
static char *
entry_dn( pimctl *pc, const char *dn )
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL, *e;
	char *real = NULL;
	int rc;

	rc = ldap_search_ext_s( pc->pc_ld, dn, LDAP_SCOPE_BASE,
		"(objectClass=*)", attrs, 0, NULL, NULL, NULL, 1, &res );
	e = rc == LDAP_SUCCESS ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( e ) {
		real = ldap_get_dn( pc->pc_ld, e );
	} else {
		pimctl_verbose( pc, "cannot read \"%s\": %s", dn,
			ldap_err2string( rc ) );
	}
	ldap_msgfree( res );
	return real;
}

/* How to print dn: its entry's first RDN value, or with ns_full the
 * entry's DN.  The string belongs to ns; NULL only when out of memory. */
const char *
pimctl_display_name( pimctl *pc, pimctl_names *ns, const char *dn )
{
	pimctl_name *n;
	char *real;
	int i;

	for ( i = 0; i < ns->ns_n; i++ ) {
		if ( strcasecmp( ns->ns_names[i].n_dn, dn ) == 0 ) {
			return ns->ns_names[i].n_display;
		}
	}
	if ( ns->ns_n == ns->ns_cap ) {
		int cap = ns->ns_cap ? 2 * ns->ns_cap : 8;

		n = ber_memrealloc( ns->ns_names, cap * sizeof( *n ) );
		if ( n == NULL ) {
			return NULL;
		}
		ns->ns_names = n;
		ns->ns_cap = cap;
	}
	n = &ns->ns_names[ns->ns_n];
	real = entry_dn( pc, dn );
	n->n_dn = ber_strdup( dn );
	if ( ns->ns_full ) {
		n->n_display = real ? real : ber_strdup( dn );
		real = NULL;
	} else {
		n->n_display = pimctl_rdn_value( real ? real : dn );
	}
	ldap_memfree( real );
	if ( n->n_dn == NULL || n->n_display == NULL ) {
		ber_memfree( n->n_dn );
		ber_memfree( n->n_display );
		return NULL;
	}
	ns->ns_n++;
	return n->n_display;
}

void
pimctl_names_free( pimctl_names *ns )
{
	int i;

	for ( i = 0; i < ns->ns_n; i++ ) {
		ber_memfree( ns->ns_names[i].n_dn );
		ber_memfree( ns->ns_names[i].n_display );
	}
	ber_memfree( ns->ns_names );
	memset( ns, 0, sizeof( *ns ) );
}
