/* pimctl_policy_set.c - "pimctl policy set ROLE NAME=VALUE...".
 *
 * One plain LDAP modify of the role, which the server validates (only
 * PIM administrators may change a policy; the message of a refusal is
 * printed and its result code is the exit status).  Each NAME=VALUE is
 * checked here first, so that a typo never reaches the server: VALUE
 * "default" becomes a replace with no values, which removes the
 * attribute if it is there and is no error if it is not; any other
 * value replaces the attribute's values.  approvers= takes names and
 * DNs, resolved to DNs (a user by uid or cn, a group by cn).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"
#include "pim_time.h"

#define DEFAULT_WORD	"default"

/* The command line */

typedef struct change {
	const pimctl_setting	*c_setting;
	int			c_default;
	char			**c_values;	/* owned, NULL-terminated */
	int			c_n;
} change;

static const pimctl_setting *
find_setting( const char *name, size_t len )
{
	int i;

	for ( i = 0; i < PIMCTL_NSETTINGS; i++ ) {
		if ( ( strlen( pimctl_settings[i].s_name ) == len &&
			strncasecmp( pimctl_settings[i].s_name, name, len ) == 0 ) ||
			( strlen( pimctl_settings[i].s_attr ) == len &&
			strncasecmp( pimctl_settings[i].s_attr, name, len ) == 0 ) )
		{
			return &pimctl_settings[i];
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

/* "a,b;c": each part, trimmed, one value. */
static int
word_list( pimctl *pc, change *c, const char *value )
{
	const char *p = value, *end;
	size_t len;

	while ( *p != '\0' ) {
		p += strspn( p, " \t,;" );
		len = strcspn( p, ",;" );
		for ( end = p + len; end > p && ( end[-1] == ' ' || end[-1] == '\t' );
			end-- )
			;
		if ( end > p && add_value( c, p, end - p ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			return PIMCTL_EX_CLIENT;
		}
		p += len;
	}
	if ( c->c_n == 0 ) {
		pimctl_error( pc, "%s: an empty list", c->c_setting->s_name );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}

/* The settings' names, for a usage message (static buffer). */
static const char *
setting_names( void )
{
	static char buf[512];
	size_t off = 0;
	int i;

	for ( i = 0; i < PIMCTL_NSETTINGS && off < sizeof( buf ); i++ )
		off += snprintf( buf + off, sizeof( buf ) - off, "%s%s",
			i ? ", " : "", pimctl_settings[i].s_name );
	return buf;
}

/* VALUE of one setting, checked and in the form the server stores. */
static int
parse_value( pimctl *pc, change *c, const char *value )
{
	const pimctl_setting *st = c->c_setting;
	char buf[16];
	const char *v = value;
	long secs;

	switch ( st->s_type ) {
	case PIMCTL_ST_DURATION:
		if ( pim_duration_parse( value, strlen( value ), &secs ) != 0 ) {
			pimctl_error( pc, "%s: bad duration '%s' (use e.g. 90s, 30m,"
				" 8h, 1d, 1h30m)", st->s_name, value );
			return PIMCTL_EX_USAGE;
		}
		break;
	case PIMCTL_ST_BOOL:
		if ( ( v = boolean_value( value ) ) == NULL ) {
			pimctl_error( pc, "%s: '%s' is not TRUE or FALSE",
				st->s_name, value );
			return PIMCTL_EX_USAGE;
		}
		break;
	case PIMCTL_ST_NUMBER:
		if ( number_value( value, buf, sizeof( buf ) ) != 0 ) {
			pimctl_error( pc, "%s: '%s' is not a number", st->s_name,
				value );
			return PIMCTL_EX_USAGE;
		}
		v = buf;
		break;
	case PIMCTL_ST_DNS:
		return approver_list( pc, c, value );
	case PIMCTL_ST_WORDS:
		return word_list( pc, c, value );
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
	const pimctl_setting *st;
	change *c = NULL;
	int i;

	st = eq ? find_setting( arg, eq - arg ) : NULL;
	if ( eq == NULL || st == NULL ) {
		pimctl_error( pc, "'%s': expected NAME=VALUE with NAME one of"
			" %s", arg, setting_names() );
		return PIMCTL_EX_USAGE;
	}
	value = eq + 1;
	for ( i = 0; i < *n; i++ ) {
		if ( changes[i].c_setting == st ) {
			c = &changes[i];
		}
	}
	if ( c && ( ( st->s_type != PIMCTL_ST_DNS &&
		st->s_type != PIMCTL_ST_WORDS ) || c->c_default ||
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
/* Names, the modify, the report */

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
	LDAPMod mods[PIMCTL_NSETTINGS], *modp[PIMCTL_NSETTINGS + 1];
	int i, rc = 0;

	for ( i = 0; i < n; i++ ) {
		if ( changes[i].c_setting->s_type == PIMCTL_ST_DNS &&
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

int
pimctl_policy_set( pimctl *pc, const char *role_name, int argc, char **argv )
{
	change changes[PIMCTL_NSETTINGS];
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
