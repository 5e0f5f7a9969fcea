/* pimctl_policy.c - "pimctl policy show ROLE" and "policy set ROLE N=V...".
 *
 * A role's policy is a set of attributes on its entry (class pimRole);
 * an attribute that is not there takes the overlay's default.  "show"
 * reads them; "set" is one plain LDAP modify of the role, which the
 * server validates (only PIM administrators may change a policy):
 * VALUE "default" becomes a replace with no values, which removes the
 * attribute if it is there and is no error if it is not.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"
#include "pim_time.h"

enum setting_type { ST_DURATION, ST_BOOL, ST_NUMBER, ST_DNS };

static const struct setting {
	const char		*s_name;
	const char		*s_attr;
	enum setting_type	s_type;
} settings[] = {
	{ "max",		"pimMaxDuration",		ST_DURATION },
	{ "min",		"pimMinDuration",		ST_DURATION },
	{ "justification",	"pimJustificationRequired",	ST_BOOL },
	{ "justification-max",	"pimJustificationMaxLength",	ST_NUMBER },
	{ "ticket",		"pimTicketRequired",		ST_BOOL },
	{ "mfa",		"pimMFARequired",		ST_BOOL },
	{ "approval",		"pimApprovalRequired",		ST_BOOL },
	{ "approvers",		"pimApprover",			ST_DNS },
	{ "approvals",		"pimApprovalsNeeded",		ST_NUMBER },
	{ "request-lifetime",	"pimRequestLifetime",		ST_DURATION },
	{ "eligible-max",	"pimEligibleMaxDuration",	ST_DURATION },
	{ "eligible-permanent",	"pimEligiblePermanentAllowed",	ST_BOOL },
	{ "active-max",		"pimActiveMaxDuration",		ST_DURATION },
	{ "active-permanent",	"pimActivePermanentAllowed",	ST_BOOL },
};
#define NSETTINGS	( (int)( sizeof( settings ) / sizeof( settings[0] ) ) )

#define DEFAULT_WORD	"default"

/* ------------------------------------------------------------------ */
/* policy show */

static const char *const show_columns[] = { "SETTING", "ATTRIBUTE", "VALUE" };

static int
add_line( pimctl_table *t, const char *name, const char *attr,
	const char *value )
{
	char *cells[3];

	cells[0] = ber_strdup( name );
	cells[1] = ber_strdup( attr );
	cells[2] = ber_strdup( value );
	if ( !cells[0] || !cells[1] || !cells[2] ) {
		ber_memfree( cells[0] );
		ber_memfree( cells[1] );
		ber_memfree( cells[2] );
		return -1;
	}
	return pimctl_table_add( t, cells );
}

/* One line per setting, and one more per further value. */
static int
show_entry( pimctl *pc, LDAPMessage *e, pimctl_table *t )
{
	struct berval **vals;
	int i, j, rc = 0;

	for ( i = 0; rc == 0 && i < NSETTINGS; i++ ) {
		vals = ldap_get_values_len( pc->pc_ld, e, settings[i].s_attr );
		if ( vals == NULL || vals[0] == NULL ) {
			rc = add_line( t, settings[i].s_name, settings[i].s_attr,
				"(default)" );
		}
		for ( j = 0; rc == 0 && vals && vals[j]; j++ ) {
			rc = add_line( t, j ? "" : settings[i].s_name,
				j ? "" : settings[i].s_attr, vals[j]->bv_val );
		}
		ber_bvecfree( vals );
	}
	return rc;
}

static int
policy_show( pimctl *pc, const char *role_name )
{
	char *attrs[NSETTINGS + 2];
	LDAPMessage *res = NULL, *e = NULL;
	pimctl_table t;
	char *role = NULL, *dn = NULL;
	int i, rc;

	for ( i = 0; i < NSETTINGS; i++ ) {
		attrs[i] = (char *)settings[i].s_attr;
	}
	attrs[i++] = "objectClass";
	attrs[i] = NULL;
	pimctl_table_init( &t, 3, show_columns );

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
	printf( "Policy of \"%s\":\n", dn ? dn : role );
	pimctl_table_print( &t, "  " );
done:
	pimctl_table_free( &t );
	ldap_memfree( dn );
	ldap_msgfree( res );
	ber_memfree( role );
	return rc;
}

/* ------------------------------------------------------------------ */
/* policy set: the command line */

typedef struct change {
	const struct setting	*c_setting;
	int			c_default;
	char			**c_values;	/* owned, NULL-terminated */
	int			c_n;
} change;

static const struct setting *
find_setting( const char *name, size_t len )
{
	int i;

	for ( i = 0; i < NSETTINGS; i++ ) {
		if ( ( strlen( settings[i].s_name ) == len &&
			strncasecmp( settings[i].s_name, name, len ) == 0 ) ||
			( strlen( settings[i].s_attr ) == len &&
			strncasecmp( settings[i].s_attr, name, len ) == 0 ) )
		{
			return &settings[i];
		}
	}
	return NULL;
}

static int
add_value( change *c, const char *s, size_t len )
{
	char **v = ber_memrealloc( c->c_values,
		( c->c_n + 2 ) * sizeof( char * ) );

	if ( v == NULL ) {
		return -1;
	}
	c->c_values = v;
	v[c->c_n] = ber_strndup( s, len );
	if ( v[c->c_n] == NULL ) {
		return -1;
	}
	v[++c->c_n] = NULL;
	return 0;
}

/* TRUE or FALSE, as the Boolean syntax wants them. */
static const char *
boolean_value( const char *s )
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	int i;

	for ( i = 0; yes[i]; i++ ) {
		if ( strcasecmp( s, yes[i] ) == 0 ) {
			return "TRUE";
		}
		if ( strcasecmp( s, no[i] ) == 0 ) {
			return "FALSE";
		}
	}
	return NULL;
}

/* A decimal number, without leading zeros (the Integer syntax). */
static int
number_value( const char *s, char *buf, size_t size )
{
	const char *p;

	for ( p = s; *p; p++ ) {
		if ( !isdigit( (unsigned char)*p ) ) {
			return -1;
		}
	}
	while ( *s == '0' && s[1] ) {
		s++;
	}
	if ( p == s || strlen( s ) > 9 ) {
		return -1;
	}
	snprintf( buf, size, "%s", s );
	return 0;
}

static int
trimmed( const char **s, size_t *len )
{
	while ( *len && isspace( (unsigned char)**s ) ) {
		( *s )++;
		( *len )--;
	}
	while ( *len && isspace( (unsigned char)( *s )[*len - 1] ) ) {
		( *len )--;
	}
	return *len > 0;
}

/* One ';'-separated part of an approvers list: names separated by
 * unescaped commas, then at most one DN, which runs to the part's end
 * (a DN has commas of its own). */
static int
approver_part( pimctl *pc, change *c, const char *s, size_t len )
{
	size_t i = 0, start;
	const char *item;
	size_t n;

	while ( i <= len ) {
		start = i;
		while ( i < len && s[i] != ',' ) {
			i += ( s[i] == '\\' && i + 1 < len ) ? 2 : 1;
		}
		item = s + start;
		n = i - start;
		if ( memchr( item, '=', n ) ) {
			/* a DN: the rest of the part */
			n = len - start;
			i = len;
		}
		if ( !trimmed( &item, &n ) ) {
			pimctl_error( pc, "approvers: an empty name in the list" );
			return PIMCTL_EX_USAGE;
		}
		if ( add_value( c, item, n ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			return PIMCTL_EX_CLIENT;
		}
		i++;
	}
	return 0;
}

static int
approver_list( pimctl *pc, change *c, const char *value )
{
	const char *semi;
	int rc;

	do {
		semi = strchr( value, ';' );
		rc = approver_part( pc, c, value,
			semi ? (size_t)( semi - value ) : strlen( value ) );
		value = semi + 1;
	} while ( rc == 0 && semi );
	return rc;
}

/* VALUE of one setting, checked and in the form the server stores. */
static int
parse_value( pimctl *pc, change *c, const char *value )
{
	const struct setting *st = c->c_setting;
	char buf[16];
	const char *v = value;
	long secs;

	switch ( st->s_type ) {
	case ST_DURATION:
		if ( pim_duration_parse( value, strlen( value ), &secs ) != 0 ) {
			pimctl_error( pc, "%s: bad duration '%s' (use e.g. 90s, 30m,"
				" 8h, 1d, 1h30m)", st->s_name, value );
			return PIMCTL_EX_USAGE;
		}
		break;
	case ST_BOOL:
		if ( ( v = boolean_value( value ) ) == NULL ) {
			pimctl_error( pc, "%s: '%s' is not TRUE or FALSE",
				st->s_name, value );
			return PIMCTL_EX_USAGE;
		}
		break;
	case ST_NUMBER:
		if ( number_value( value, buf, sizeof( buf ) ) != 0 ) {
			pimctl_error( pc, "%s: '%s' is not a number", st->s_name,
				value );
			return PIMCTL_EX_USAGE;
		}
		v = buf;
		break;
	case ST_DNS:
		return approver_list( pc, c, value );
	}
	if ( add_value( c, v, strlen( v ) ) != 0 ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	return 0;
}

/* One NAME=VALUE into changes (approvers= again adds to the list). */
static int
parse_assignment( pimctl *pc, const char *arg, change *changes, int *n )
{
	const char *eq = strchr( arg, '=' ), *value;
	const struct setting *st;
	change *c = NULL;
	int i;

	st = eq ? find_setting( arg, eq - arg ) : NULL;
	if ( eq == NULL || st == NULL ) {
		pimctl_error( pc, "'%s': expected NAME=VALUE with NAME one of"
			" max, min, justification, justification-max, ticket, mfa,"
			" approval, approvers, approvals, request-lifetime,"
			" eligible-max, eligible-permanent, active-max,"
			" active-permanent", arg );
		return PIMCTL_EX_USAGE;
	}
	value = eq + 1;
	for ( i = 0; i < *n; i++ ) {
		if ( changes[i].c_setting == st ) {
			c = &changes[i];
		}
	}
	if ( c && ( st->s_type != ST_DNS || c->c_default ||
		strcasecmp( value, DEFAULT_WORD ) == 0 ) )
	{
		pimctl_error( pc, "%s given twice", st->s_name );
		return PIMCTL_EX_USAGE;
	}
	if ( c == NULL ) {
		c = &changes[( *n )++];
		c->c_setting = st;
	}
	if ( *value == '\0' ) {
		pimctl_error( pc, "%s: empty value (\"%s=%s\" removes it)",
			st->s_name, st->s_name, DEFAULT_WORD );
		return PIMCTL_EX_USAGE;
	}
	if ( strcasecmp( value, DEFAULT_WORD ) == 0 ) {
		c->c_default = 1;
		return 0;
	}
	return parse_value( pc, c, value );
}

/* ------------------------------------------------------------------ */
/* policy set: names, the modify, the report */

/* Drop values that repeat an earlier one (a name and the DN it stands
 * for), which the server would refuse. */
static void
dedupe( change *c )
{
	int i, j, n = 0;

	for ( i = 0; i < c->c_n; i++ ) {
		for ( j = 0; j < n; j++ ) {
			if ( strcasecmp( c->c_values[j], c->c_values[i] ) == 0 ) {
				break;
			}
		}
		if ( j < n ) {
			ber_memfree( c->c_values[i] );
		} else {
			c->c_values[n++] = c->c_values[i];
		}
	}
	c->c_values[n] = NULL;
	c->c_n = n;
}

/* Approver names to DNs (DNs stay, once checked). */
static int
resolve_approvers( pimctl *pc, change *c )
{
	LDAPDN ldn = NULL;
	char *dn;
	int i, rc;

	for ( i = 0; i < c->c_n; i++ ) {
		if ( strchr( c->c_values[i], '=' ) ) {
			if ( ldap_str2dn( c->c_values[i], &ldn,
				LDAP_DN_FORMAT_LDAPV3 ) != LDAP_SUCCESS )
			{
				pimctl_error( pc, "approvers: '%s' is not a DN",
					c->c_values[i] );
				return PIMCTL_EX_USAGE;
			}
			ldap_dnfree( ldn );
			continue;
		}
		rc = pimctl_resolve_approver( pc, c->c_values[i], &dn );
		if ( rc != 0 ) {
			return rc;
		}
		ber_memfree( c->c_values[i] );
		c->c_values[i] = dn;
	}
	dedupe( c );
	return 0;
}

static int
modify( pimctl *pc, const char *dn, LDAPMod **mods )
{
	LDAPMessage *res = NULL;
	char *matched = NULL, *info = NULL, **refs = NULL;
	int rc, err, msgid;

	pimctl_verbose( pc, "modify \"%s\"", dn );
	rc = ldap_modify_ext( pc->pc_ld, dn, mods, NULL, NULL, &msgid );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, NULL, rc );
	}
	rc = ldap_result( pc->pc_ld, msgid, LDAP_MSG_ALL, NULL, &res );
	if ( rc <= 0 ) {
		ldap_get_option( pc->pc_ld, LDAP_OPT_RESULT_CODE, &err );
		return pimctl_ld_error( pc, NULL, rc == 0 ? LDAP_TIMEOUT : err );
	}
	rc = ldap_parse_result( pc->pc_ld, res, &err, &matched, &info, &refs,
		NULL, 1 );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, NULL, rc );
	}
	rc = 0;
	if ( err != LDAP_SUCCESS ) {
		rc = pimctl_ldap_error( pc, NULL, err, matched, info, refs );
	}
	ldap_memfree( matched );
	ldap_memfree( info );
	ldap_memvfree( (void **)refs );
	return rc;
}

/* updated the policy of "ROLE":
 *   max = 4h
 *   approvers = uid=a,ou=people,dc=example,dc=com; cn=Approvers,...
 *   min = (default) */
static void
print_changes( const char *role, const change *changes, int n )
{
	int i, j;

	printf( "updated the policy of \"%s\":\n", role );
	for ( i = 0; i < n; i++ ) {
		printf( "  %s = ", changes[i].c_setting->s_name );
		if ( changes[i].c_default ) {
			printf( "(default)" );
		}
		for ( j = 0; !changes[i].c_default && j < changes[i].c_n; j++ ) {
			printf( "%s%s", j ? "; " : "", changes[i].c_values[j] );
		}
		putchar( '\n' );
	}
}

static int
apply( pimctl *pc, const char *role, change *changes, int n )
{
	LDAPMod mods[NSETTINGS], *modp[NSETTINGS + 1];
	int i, rc = 0;

	for ( i = 0; i < n; i++ ) {
		if ( changes[i].c_setting->s_type == ST_DNS &&
			!changes[i].c_default )
		{
			rc = resolve_approvers( pc, &changes[i] );
			if ( rc != 0 ) {
				return rc;
			}
		}
		mods[i].mod_op = LDAP_MOD_REPLACE;
		mods[i].mod_type = (char *)changes[i].c_setting->s_attr;
		mods[i].mod_values = changes[i].c_default ? NULL :
			changes[i].c_values;
		modp[i] = &mods[i];
	}
	modp[n] = NULL;
	rc = modify( pc, role, modp );
	if ( rc == 0 ) {
		print_changes( role, changes, n );
	}
	return rc;
}

static int
policy_set( pimctl *pc, const char *role_name, int argc, char **argv )
{
	change changes[NSETTINGS];
	char *role = NULL;
	int i, n = 0, rc = 0;

	memset( changes, 0, sizeof( changes ) );
	if ( argc == 0 ) {
		pimctl_error( pc, "set: expected ROLE NAME=VALUE..." );
		return PIMCTL_EX_USAGE;
	}
	for ( i = 0; rc == 0 && i < argc; i++ ) {
		rc = parse_assignment( pc, argv[i], changes, &n );
	}
	if ( rc == 0 ) {
		rc = pimctl_connect( pc );
	}
	if ( rc == 0 ) {
		rc = pimctl_resolve_role( pc, role_name, &role );
	}
	if ( rc == 0 ) {
		rc = apply( pc, role, changes, n );
	}
	for ( i = 0; i < n; i++ ) {
		ber_memvfree( (void **)changes[i].c_values );
	}
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
		return policy_set( pc, argv[1], argc - 2, argv + 2 );
	}
	pimctl_error( pc, "unknown policy command '%s' (show or set)",
		argv[0] );
	return PIMCTL_EX_USAGE;
}
