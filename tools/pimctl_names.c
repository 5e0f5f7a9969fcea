/* pimctl_names.c - the search base, the caller's DN, and names to DNs.
 *
 * People type "User Administrator" and "demo", not DNs.  A ROLE or USER
 * argument that contains '=' is taken as a DN; anything else is looked
 * up under the search base and must match exactly one entry, so that a
 * typo or an ambiguous name never acts on the wrong entry.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pimctl.h"

/* Most candidate DNs listed when a name is ambiguous. */
#define PIMCTL_MAX_LISTED	10

/* RFC 4515 section 3: a value in a filter escapes '*', '(', ')', '\'
 * and NUL as \XX.  *out is allocated with ber_memalloc(). */
int
pimctl_filter_escape( const char *in, char **out )
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s;
	char *p;

	p = *out = ber_memalloc( 3 * strlen( in ) + 1 );
	if ( p == NULL ) {
		return -1;
	}
	for ( s = (const unsigned char *)in; *s; s++ ) {
		if ( strchr( "*()\\", *s ) ) {
			*p++ = '\\';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 0x0f];
		} else {
			*p++ = (char)*s;
		}
	}
	*p = '\0';
	return 0;
}

/* A subtree or base search with no size limit of ours.  Returns 0, or
 * the exit status after printing the error.  *res is set whenever the
 * server answered, even on error (a size limit still returns entries);
 * the caller frees it. */
int
pimctl_search( pimctl *pc, const char *base, int scope, const char *filter,
	char **attrs, LDAPMessage **res )
{
	char *matched = NULL, *info = NULL, **refs = NULL;
	int rc, err;

	*res = NULL;
	pimctl_verbose( pc, "search base=\"%s\" filter=\"%s\"", base, filter );
	rc = ldap_search_ext_s( pc->pc_ld, base, scope, filter, attrs, 0,
		NULL, NULL, NULL, 0, res );
	if ( *res == NULL ) {
		return pimctl_ld_error( pc, "search", rc );
	}
	rc = ldap_parse_result( pc->pc_ld, *res, &err, &matched, &info, &refs,
		NULL, 0 );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, "search", rc );
	}
	rc = 0;
	if ( err != LDAP_SUCCESS ) {
		rc = pimctl_ldap_error( pc, "search", err, matched, info, refs );
	}
	ldap_memfree( matched );
	ldap_memfree( info );
	ldap_memvfree( (void **)refs );
	return rc;
}

/* The first namingContexts value of the root DSE. */
static int
base_from_root_dse( pimctl *pc, char **base )
{
	char *attrs[] = { "namingContexts", NULL };
	LDAPMessage *res = NULL, *e;
	struct berval **vals = NULL;
	int rc;

	*base = NULL;
	rc = pimctl_search( pc, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs,
		&res );
	if ( rc != 0 ) {
		goto done;
	}
	e = ldap_first_entry( pc->pc_ld, res );
	if ( e ) {
		vals = ldap_get_values_len( pc->pc_ld, e, attrs[0] );
	}
	if ( vals && vals[0] && vals[0]->bv_len ) {
		*base = ber_strdup( vals[0]->bv_val );
	}
done:
	ber_bvecfree( vals );
	ldap_msgfree( res );
	return rc;
}

/* -b, else ldap.conf BASE, else the server's first naming context. */
int
pimctl_get_base( pimctl *pc, const char **base )
{
	int rc = 0;

	if ( pc->pc_base == NULL && pc->pc_base_opt ) {
		pc->pc_base = ber_strdup( pc->pc_base_opt );
	}
	if ( pc->pc_base == NULL ) {
		ldap_get_option( pc->pc_ld, LDAP_OPT_DEFBASE, &pc->pc_base );
		if ( pc->pc_base && *pc->pc_base == '\0' ) {
			ber_memfree( pc->pc_base );
			pc->pc_base = NULL;
		}
	}
	if ( pc->pc_base == NULL ) {
		rc = base_from_root_dse( pc, &pc->pc_base );
		if ( rc != 0 ) {
			return rc;
		}
	}
	if ( pc->pc_base == NULL ) {
		pimctl_error( pc, "no search base: give -b BASE, or set BASE"
			" in ldap.conf" );
		return PIMCTL_EX_USAGE;
	}
	*base = pc->pc_base;
	return 0;
}

/* The caller's own DN, from the Who am I? operation (RFC 4532). */
int
pimctl_whoami( pimctl *pc, char **dn )
{
	struct berval *authzid = NULL;
	int rc;

	*dn = NULL;
	rc = ldap_whoami_s( pc->pc_ld, &authzid, NULL, NULL );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, "whoami", rc );
	}
	if ( authzid == NULL || authzid->bv_len <= 3 ||
		strncasecmp( authzid->bv_val, "dn:", 3 ) != 0 )
	{
		if ( authzid && authzid->bv_len ) {
			pimctl_error( pc, "your identity \"%s\" is not a DN",
				authzid->bv_val );
		} else {
			pimctl_error( pc, "you are anonymous: bind with -D or -Y%s",
				strcmp( pc->pc_cmd, "roles" ) == 0 ?
				", or name a user with --for" : "" );
		}
		rc = PIMCTL_EX_NAME;
		goto done;
	}
	*dn = ber_strdup( authzid->bv_val + 3 );
	pimctl_verbose( pc, "whoami: %s", *dn );
done:
	ber_bvfree( authzid );
	return rc;
}

static void
list_candidates( pimctl *pc, LDAPMessage *res )
{
	LDAPMessage *e;
	char *dn;
	int n = 0;

	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		if ( n++ == PIMCTL_MAX_LISTED ) {
			fprintf( stderr, "\t...\n" );
			break;
		}
		dn = ldap_get_dn( pc->pc_ld, e );
		fprintf( stderr, "\t%s\n", dn ? dn : "?" );
		ldap_memfree( dn );
	}
}

/* The one entry filter matches under the base. */
static int
resolve_unique( pimctl *pc, const char *kind, const char *name,
	const char *base, const char *filter, char **dn )
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL;
	int rc, n;

	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter, attrs, &res );
	n = res ? ldap_count_entries( pc->pc_ld, res ) : 0;
	if ( n > 1 ) {
		pimctl_error( pc, "%s \"%s\" is ambiguous: %s%d entries match"
			" under \"%s\":", kind, name, rc ? "at least " : "", n,
			base );
		list_candidates( pc, res );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 0 && n == 0 ) {
		pimctl_error( pc, "no %s named \"%s\" under \"%s\"", kind, name,
			base );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 0 ) {
		*dn = ldap_get_dn( pc->pc_ld, ldap_first_entry( pc->pc_ld, res ) );
		pimctl_verbose( pc, "%s \"%s\" is %s", kind, name,
			*dn ? *dn : "?" );
		if ( *dn == NULL ) {
			rc = pimctl_ld_error( pc, "search", LDAP_DECODING_ERROR );
		}
	}
	ldap_msgfree( res );
	return rc;
}

enum name_kind { NAME_ROLE, NAME_USER, NAME_APPROVER };

/* Users by uid or cn, not the PIM entries and groups that carry the
 * same cn. */
#define USER_FILTER	"(&(|(uid=%1$s)(cn=%1$s))" \
	"(!(objectClass=pimRole))(!(objectClass=pimEligibility))" \
	"(!(objectClass=pimActivation))" \
	"(!(objectClass=groupOfNames))" \
	"(!(objectClass=groupOfUniqueNames)))"
#define GROUP_FILTER	"(&(|(objectClass=groupOfNames)" \
	"(objectClass=groupOfUniqueNames))(cn=%1$s))"

/* The filter that finds a name of this kind; value is escaped. */
static char *
name_filter( enum name_kind kind, const char *value )
{
	size_t len = 4 * strlen( value ) + 512;
	char *filter = ber_memalloc( len );

	if ( filter == NULL ) {
		return NULL;
	}
	switch ( kind ) {
	case NAME_USER:
		snprintf( filter, len, USER_FILTER, value );
		break;
	case NAME_APPROVER:
		snprintf( filter, len, "(|" USER_FILTER GROUP_FILTER ")", value );
		break;
	default:
		snprintf( filter, len, "(&(objectClass=pimRole)(cn=%s))", value );
		break;
	}
	return filter;
}

static const char *const kind_names[] = { "role", "user", "user or group" };

/* Take name as a DN when it contains '=', else look it up. */
static int
resolve( pimctl *pc, enum name_kind kind, const char *name, char **dn )
{
	const char *base, *what = kind_names[kind];
	char *value = NULL, *filter = NULL;
	int rc;

	*dn = NULL;
	if ( strchr( name, '=' ) ) {
		*dn = ber_strdup( name );
		return 0;
	}
	if ( *name == '\0' ) {
		pimctl_error( pc, "empty %s name", what );
		return PIMCTL_EX_USAGE;
	}
	rc = pimctl_get_base( pc, &base );
	if ( rc != 0 ) {
		return rc;
	}
	if ( pimctl_filter_escape( name, &value ) != 0 ||
		( filter = name_filter( kind, value ) ) == NULL )
	{
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
	} else {
		rc = resolve_unique( pc, what, name, base, filter, dn );
	}
	ber_memfree( value );
	ber_memfree( filter );
	return rc;
}

int
pimctl_resolve_role( pimctl *pc, const char *name, char **dn )
{
	return resolve( pc, NAME_ROLE, name, dn );
}

int
pimctl_resolve_user( pimctl *pc, const char *name, char **dn )
{
	return resolve( pc, NAME_USER, name, dn );
}

/* An approver: a user, or a group whose members approve. */
int
pimctl_resolve_approver( pimctl *pc, const char *name, char **dn )
{
	return resolve( pc, NAME_APPROVER, name, dn );
}

/* The role of the request (activation) with this id: its pimRoleDN. */
int
pimctl_find_request( pimctl *pc, const char *id, char **role )
{
	char *attrs[] = { "pimRoleDN", NULL };
	LDAPMessage *res = NULL, *e;
	const char *base;
	char *value = NULL, *filter = NULL;
	size_t len;
	int rc, n;

	*role = NULL;
	rc = pimctl_get_base( pc, &base );
	if ( rc != 0 ) {
		return rc;
	}
	if ( pimctl_filter_escape( id, &value ) != 0 ||
		( filter = ber_memalloc( len = strlen( value ) + 64 ) ) == NULL )
	{
		pimctl_error( pc, "out of memory" );
		ber_memfree( value );
		return PIMCTL_EX_CLIENT;
	}
	snprintf( filter, len, "(&(objectClass=pimActivation)(pimId=%s))",
		value );
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter, attrs, &res );
	n = res ? ldap_count_entries( pc->pc_ld, res ) : 0;
	e = n == 1 ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( n > 1 ) {
		pimctl_error( pc, "request id \"%s\" is ambiguous: %d entries"
			" match under \"%s\":", id, n, base );
		list_candidates( pc, res );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 0 && e == NULL ) {
		pimctl_error( pc, "no request with id \"%s\" under \"%s\" (or"
			" not readable: give --role ROLE)", id, base );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 0 ) {
		*role = pimctl_first_value( pc->pc_ld, e, "pimRoleDN" );
		if ( *role == NULL ) {
			pimctl_error( pc, "request \"%s\" names no role (pimRoleDN"
				" not readable: give --role ROLE)", id );
			rc = PIMCTL_EX_NAME;
		} else {
			pimctl_verbose( pc, "request \"%s\" is for role \"%s\"",
				id, *role );
		}
	}
	ldap_msgfree( res );
	ber_memfree( value );
	ber_memfree( filter );
	return rc;
}

/* The display name of e's first value of attr (a DN), allocated
 * (ber_memfree), or NULL when e has none. */
char *
pimctl_display_attr( pimctl *pc, pimctl_names *ns, LDAPMessage *e,
	const char *attr )
{
	char *dn = pimctl_first_value( pc->pc_ld, e, attr );
	const char *name;

	if ( dn == NULL ) {
		return NULL;
	}
	name = pimctl_display_name( pc, ns, dn );
	ber_memfree( dn );
	return name ? ber_strdup( name ) : NULL;
}
