/* pimctl_mfa.c - "pimctl mfa enroll|status|remove USER": the TOTP tokens
 * the server checks one-time codes against.
 *
 * The entries follow the schema of OpenLDAP's otp overlay, so that the
 * same token also serves binds with password+code where otp is on:
 *
 *	USER                        + oathTOTPUser, oathTOTPToken: TOKEN
 *	TOKEN  cn=totp-<USER's RDN value>,BASE   device + oathTOTPToken:
 *	       oathSecret, oathTOTPParams: PARAMS, owner: USER
 *	PARAMS cn=totp-sha1-6-30,BASE       device + oathTOTPParams:
 *	       SHA-1, 6 digits, 30 s, a window of 1 step
 *
 * (not cn=<USER's name>: pimctl finds users by uid or cn, and the token
 * would make the name ambiguous).  BASE is --base, by default ou=otp under the search base, and is
 * created when missing.  The entries are written with the caller's
 * own rights: an administrator's, as the directory's ACLs say.  These
 * ACLs should keep oathSecret from everybody else: the server reads
 * it internally.
 *
 * enroll prints the otpauth:// URI that authenticator apps take (the
 * secret in base32): it is the secret, to be handed to the user only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pimctl.h"
#include "pim_time.h"

#define MFA_SECRET_LEN	20	/* RFC 4226 R6 recommends 160 bits */
#define MFA_PARAMS_CN	"totp-sha1-6-30"
#define MFA_ISSUER	"PIM"
#define MFA_TOKEN_PREFIX "totp-"

/* What an enrollment needs from the parameters entry. */
typedef struct mfa_params {
	const char	*mp_alg;	/* "SHA1", ... */
	char		*mp_digits;	/* owned */
	char		*mp_period;	/* owned */
} mfa_params;

static const struct {
	const char	*oid, *name;
} mfa_algs[] = {
	{ "1.2.840.113549.2.7", "SHA1" },
	{ "1.2.840.113549.2.8", "SHA224" },
	{ "1.2.840.113549.2.9", "SHA256" },
	{ "1.2.840.113549.2.10", "SHA384" },
	{ "1.2.840.113549.2.11", "SHA512" },
	{ NULL, NULL }
};

static const char *
alg_name( const char *oid )
{
	int i;

	for ( i = 0; oid && mfa_algs[i].oid; i++ ) {
		if ( strcmp( oid, mfa_algs[i].oid ) == 0 ) {
			return mfa_algs[i].name;
		}
	}
	return NULL;
}

/* --- LDAP writes ----------------------------------------------------- */

static int
add_entry( pimctl *pc, const char *dn, LDAPMod **mods )
{
	int rc;

	pimctl_verbose( pc, "add \"%s\"", dn );
	rc = ldap_add_ext_s( pc->pc_ld, dn, mods, NULL, NULL );
	return rc == LDAP_SUCCESS ? 0 : pimctl_ld_error( pc, "add", rc );
}

static int
modify_entry( pimctl *pc, const char *dn, LDAPMod **mods )
{
	int rc;

	pimctl_verbose( pc, "modify \"%s\"", dn );
	rc = ldap_modify_ext_s( pc->pc_ld, dn, mods, NULL, NULL );
	return rc == LDAP_SUCCESS ? 0 : pimctl_ld_error( pc, "modify", rc );
}

/* One entry by DN: 0 and *res, 1 if there is none, or an exit status. */
static int
read_entry( pimctl *pc, const char *dn, char **attrs, LDAPMessage **res,
	LDAPMessage **e )
{
	int rc;

	*e = NULL;
	rc = ldap_search_ext_s( pc->pc_ld, dn, LDAP_SCOPE_BASE,
		"(objectClass=*)", attrs, 0, NULL, NULL, NULL, 1, res );
	if ( rc == LDAP_NO_SUCH_OBJECT ) {
		ldap_msgfree( *res );
		*res = NULL;
		return 1;
	}
	if ( rc != LDAP_SUCCESS ) {
		ldap_msgfree( *res );
		*res = NULL;
		return pimctl_ld_error( pc, "search", rc );
	}
	*e = ldap_first_entry( pc->pc_ld, *res );
	return *e ? 0 : 1;
}

/* The first value of attr of the entry at dn (NULL: none); an exit
 * status if it cannot be read. */
static int
read_value( pimctl *pc, const char *dn, const char *attr, char **val )
{
	char *attrs[] = { (char *)attr, NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	*val = NULL;
	rc = read_entry( pc, dn, attrs, &res, &e );
	if ( rc == 0 ) {
		*val = pimctl_first_value( pc->pc_ld, e, attr );
	}
	ldap_msgfree( res );
	return rc < 0 || rc > 1 ? rc : 0;
}

/* --- names ----------------------------------------------------------- */

/* "TYPE=value,parent" with value escaped as RFC 4514 wants. */
static char *
child_dn( const char *type, const char *value, const char *parent )
{
	LDAPAVA ava, *avas[2] = { &ava, NULL };
	char *rdn = NULL, *dn;
	size_t len;

	memset( &ava, 0, sizeof( ava ) );
	ava.la_attr.bv_val = (char *)type;
	ava.la_attr.bv_len = strlen( type );
	ava.la_value.bv_val = (char *)value;
	ava.la_value.bv_len = strlen( value );
	ava.la_flags = LDAP_AVA_STRING;
	if ( ldap_rdn2str( avas, &rdn, LDAP_DN_FORMAT_LDAPV3 ) != LDAP_SUCCESS ) {
		return NULL;
	}
	len = strlen( rdn ) + strlen( parent ) + 2;
	dn = ber_memalloc( len );
	if ( dn ) {
		snprintf( dn, len, "%s,%s", rdn, parent );
	}
	ldap_memfree( rdn );
	return dn;
}

/* The container: --base, or ou=otp under the search base. */
static int
container_dn( pimctl *pc, char **base )
{
	const char *search_base;
	int rc;

	if ( pc->pc_args.a_base ) {
		*base = ber_strdup( pc->pc_args.a_base );
		return *base ? 0 : PIMCTL_EX_CLIENT;
	}
	rc = pimctl_get_base( pc, &search_base );
	if ( rc != 0 ) {
		return rc;
	}
	*base = child_dn( "ou", "otp", search_base );
	return *base ? 0 : PIMCTL_EX_CLIENT;
}

/* --- enroll ---------------------------------------------------------- */

/* Create the container if it is missing and is an ou. */
static int
ensure_container( pimctl *pc, const char *base )
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL }, *ou;
	char *oc_vals[] = { "organizationalUnit", NULL }, *ou_vals[2];
	LDAPMod oc = { LDAP_MOD_ADD, "objectClass", { oc_vals } };
	LDAPMod oum = { LDAP_MOD_ADD, "ou", { ou_vals } };
	LDAPMod *mods[] = { &oc, &oum, NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	rc = read_entry( pc, base, attrs, &res, &e );
	ldap_msgfree( res );
	if ( rc != 1 ) {
		return rc;
	}
	if ( strncasecmp( base, "ou=", 3 ) != 0 ) {
		pimctl_error( pc, "the token container \"%s\" does not exist", base );
		return PIMCTL_EX_NAME;
	}
	ou = pimctl_rdn_value( base );
	ou_vals[0] = ou;
	ou_vals[1] = NULL;
	rc = ou ? add_entry( pc, base, mods ) : PIMCTL_EX_CLIENT;
	ber_memfree( ou );
	return rc;
}

/* The shared parameters entry, created when missing.  An existing one
 * keeps its values: they are read back for the URI. */
static int
ensure_params( pimctl *pc, const char *dn )
{
	char *oc_vals[] = { "device", "oathTOTPParams", NULL };
	char *cn_vals[] = { MFA_PARAMS_CN, NULL };
	char *len_vals[] = { "6", NULL }, *period_vals[] = { "30", NULL };
	char *window_vals[] = { "1", NULL };
	char *alg_vals[] = { "1.2.840.113549.2.7", NULL };
	char *desc_vals[] = { "TOTP parameters: HMAC-SHA-1, 6 digits, 30 s", NULL };
	LDAPMod m[] = {
		{ LDAP_MOD_ADD, "objectClass", { oc_vals } },
		{ LDAP_MOD_ADD, "cn", { cn_vals } },
		{ LDAP_MOD_ADD, "oathOTPLength", { len_vals } },
		{ LDAP_MOD_ADD, "oathHMACAlgorithm", { alg_vals } },
		{ LDAP_MOD_ADD, "oathTOTPTimeStepPeriod", { period_vals } },
		{ LDAP_MOD_ADD, "oathTOTPTimeStepWindow", { window_vals } },
		{ LDAP_MOD_ADD, "description", { desc_vals } },
	};
	LDAPMod *mods[] = { &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6],
		NULL };
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	rc = read_entry( pc, dn, attrs, &res, &e );
	ldap_msgfree( res );
	return rc == 1 ? add_entry( pc, dn, mods ) : rc;
}

static void
params_free( mfa_params *mp )
{
	ber_memfree( mp->mp_digits );
	ber_memfree( mp->mp_period );
}

static int
read_params( pimctl *pc, const char *dn, mfa_params *mp )
{
	char *attrs[] = { "oathHMACAlgorithm", "oathOTPLength",
		"oathTOTPTimeStepPeriod", NULL };
	LDAPMessage *res = NULL, *e;
	char *oid = NULL;
	int rc;

	memset( mp, 0, sizeof( *mp ) );
	rc = read_entry( pc, dn, attrs, &res, &e );
	if ( rc == 0 ) {
		oid = pimctl_first_value( pc->pc_ld, e, attrs[0] );
		mp->mp_alg = alg_name( oid );
		mp->mp_digits = pimctl_first_value( pc->pc_ld, e, attrs[1] );
		mp->mp_period = pimctl_first_value( pc->pc_ld, e, attrs[2] );
	}
	if ( rc == 0 && ( !mp->mp_alg || !mp->mp_digits || !mp->mp_period ) ) {
		pimctl_error( pc, "the parameters entry \"%s\" is incomplete or "
			"names an unknown HMAC algorithm", dn );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 1 ) {
		pimctl_error( pc, "cannot read the parameters entry \"%s\"", dn );
		rc = PIMCTL_EX_NAME;
	}
	ber_memfree( oid );
	ldap_msgfree( res );
	return rc;
}

static int
random_secret( pimctl *pc, unsigned char *buf, size_t len )
{
	ssize_t n = -1;
	size_t got = 0;
	int fd = open( "/dev/urandom", O_RDONLY | O_CLOEXEC );

	while ( fd >= 0 && got < len &&
		( n = read( fd, buf + got, len - got ) ) > 0 )
	{
		got += (size_t)n;
	}
	if ( fd >= 0 ) {
		close( fd );
	}
	if ( got < len ) {
		pimctl_error( pc, "cannot read /dev/urandom" );
		return PIMCTL_EX_CLIENT;
	}
	return 0;
}

/* The token entry, holding the secret. */
static int
add_token( pimctl *pc, const char *dn, const char *cn, const char *user,
	const char *params, const unsigned char *secret )
{
	char *oc_vals[] = { "device", "oathTOTPToken", NULL };
	char *cn_vals[] = { (char *)cn, NULL };
	char *owner_vals[] = { (char *)user, NULL };
	char *params_vals[] = { (char *)params, NULL };
	char tbuf[PIM_GENTIME_BUFSIZE], *time_vals[] = { tbuf, NULL };
	struct berval sbv = { MFA_SECRET_LEN, (char *)secret };
	struct berval *secret_vals[] = { &sbv, NULL };
	LDAPMod m[] = {
		{ LDAP_MOD_ADD, "objectClass", { oc_vals } },
		{ LDAP_MOD_ADD, "cn", { cn_vals } },
		{ LDAP_MOD_ADD, "owner", { owner_vals } },
		{ LDAP_MOD_ADD, "oathTOTPParams", { params_vals } },
		{ LDAP_MOD_ADD, "oathSecretTime", { time_vals } },
		{ LDAP_MOD_ADD | LDAP_MOD_BVALUES, "oathSecret", { NULL } },
	};
	LDAPMod *mods[] = { &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], NULL };

	m[5].mod_bvalues = secret_vals;
	pim_gentime_format( time( NULL ), tbuf, sizeof( tbuf ) );
	return add_entry( pc, dn, mods );
}

/* Point the user at the token. */
static int
link_user( pimctl *pc, const char *user, const char *token )
{
	char *oc_vals[] = { "oathTOTPUser", NULL };
	char *token_vals[] = { (char *)token, NULL };
	LDAPMod oc = { LDAP_MOD_ADD, "objectClass", { oc_vals } };
	LDAPMod tm = { LDAP_MOD_ADD, "oathTOTPToken", { token_vals } };
	LDAPMod *mods[] = { &oc, &tm, NULL };

	return modify_entry( pc, user, mods );
}

static void
base32( const unsigned char *in, size_t len, char *out )
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned long acc = 0;
	int bits = 0;
	size_t i;

	for ( i = 0; i < len; i++ ) {
		acc = ( acc << 8 ) | in[i];
		bits += 8;
		while ( bits >= 5 ) {
			*out++ = alphabet[( acc >> ( bits - 5 ) ) & 0x1f];
			bits -= 5;
		}
	}
	if ( bits > 0 ) {
		*out++ = alphabet[( acc << ( 5 - bits ) ) & 0x1f];
	}
	*out = '\0';
}

/* RFC 3986: everything but the unreserved characters as %XX, appended
 * at out (room for three bytes per byte of s); returns the end. */
static char *
uri_escape( char *out, const char *s )
{
	for ( ; *s; s++ ) {
		unsigned char ch = (unsigned char)*s;

		if ( ( ch >= 'A' && ch <= 'Z' ) || ( ch >= 'a' && ch <= 'z' ) ||
			( ch >= '0' && ch <= '9' ) || strchr( "-._~", ch ) )
		{
			*out++ = (char)ch;
		} else {
			out += sprintf( out, "%%%02X", ch );
		}
	}
	*out = '\0';
	return out;
}

/* The otpauth:// URI, which holds the secret: the caller wipes and frees
 * it (ber_memfree); NULL when out of memory. */
static char *
format_uri( const char *account, const unsigned char *secret,
	const mfa_params *mp )
{
	char b32[( MFA_SECRET_LEN * 8 + 4 ) / 5 + 1];
	size_t size = 3 * strlen( account ) + sizeof( b32 ) +
		strlen( mp->mp_alg ) + strlen( mp->mp_digits ) +
		strlen( mp->mp_period ) + 128;
	char *uri = ber_memalloc( size ), *p;

	if ( uri == NULL ) {
		return NULL;
	}
	base32( secret, MFA_SECRET_LEN, b32 );
	p = uri + sprintf( uri, "otpauth://totp/" MFA_ISSUER ":" );
	p = uri_escape( p, account );
	snprintf( p, size - ( p - uri ), "?secret=%s&issuer=" MFA_ISSUER
		"&algorithm=%s&digits=%s&period=%s", b32, mp->mp_alg,
		mp->mp_digits, mp->mp_period );
	memset( b32, 0, sizeof( b32 ) );
	return uri;
}

/* The URI's line, then its QR code: on a terminal unless --no-qr, and
 * anywhere with --qr.  A code that cannot be drawn is said, not fatal:
 * the URI is there. */
static int
print_uri( pimctl *pc, const char *account, const unsigned char *secret,
	const mfa_params *mp )
{
	unsigned long long given = pc->pc_args.a_given;
	char *uri = format_uri( account, secret, mp );
	int qr;

	if ( uri == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	printf( "%s\n", uri );
	qr = ( given & PIMCTL_OPTBIT( OPT_QR ) ) || isatty( STDOUT_FILENO );
	if ( qr && !( given & PIMCTL_OPTBIT( OPT_NO_QR ) ) &&
		pimctl_qr_print( stdout, uri,
			( given & PIMCTL_OPTBIT( OPT_ASCII ) ) != 0 ) != 0 ) {
		pimctl_error( pc, "cannot draw the URI as a QR code" );
	}
	memset( uri, 0, strlen( uri ) );
	ber_memfree( uri );
	return 0;
}

/* Is the user enrolled already?  0 no, 1 yes (said), or an exit status. */
static int
enrolled_already( pimctl *pc, const char *user )
{
	char *token = NULL;
	int rc = read_value( pc, user, "oathTOTPToken", &token );

	if ( rc == 0 && token ) {
		pimctl_error( pc, "\"%s\" has a TOTP token already (%s): "
			"\"pimctl mfa remove\" it first", user, token );
		rc = 1;
	}
	ber_memfree( token );
	return rc;
}

/* Container, parameters, token, and the user's link to it; a token
 * whose user could not be linked is taken back. */
static int
enroll_entries( pimctl *pc, const char *user, const char *name,
	const char *base, const unsigned char *secret, mfa_params *mp,
	char **token )
{
	char *params = child_dn( "cn", MFA_PARAMS_CN, base );
	char *cn = ber_memalloc( strlen( name ) + sizeof( MFA_TOKEN_PREFIX ) );
	int rc = params && cn ? 0 : PIMCTL_EX_CLIENT;

	*token = NULL;
	if ( rc == 0 ) {
		sprintf( cn, MFA_TOKEN_PREFIX "%s", name );
		*token = child_dn( "cn", cn, base );
		rc = *token ? 0 : PIMCTL_EX_CLIENT;
	}
	if ( rc == 0 ) {
		rc = ensure_container( pc, base );
	}
	if ( rc == 0 ) {
		rc = ensure_params( pc, params );
	}
	if ( rc == 0 ) {
		rc = read_params( pc, params, mp );
	}
	if ( rc == 0 ) {
		rc = add_token( pc, *token, cn, user, params, secret );
	}
	if ( rc == 0 ) {
		rc = link_user( pc, user, *token );
		if ( rc != 0 ) {
			ldap_delete_ext_s( pc->pc_ld, *token, NULL, NULL );
		}
	}
	ber_memfree( params );
	ber_memfree( cn );
	return rc;
}

static int
mfa_enroll( pimctl *pc, const char *user )
{
	unsigned char secret[MFA_SECRET_LEN];
	char *base = NULL, *name = NULL, *token = NULL;
	mfa_params mp = { NULL, NULL, NULL };
	int rc;

	rc = enrolled_already( pc, user );
	if ( rc == 1 ) {
		return LDAP_ALREADY_EXISTS;
	}
	if ( rc == 0 ) {
		rc = container_dn( pc, &base );
	}
	if ( rc == 0 ) {
		rc = random_secret( pc, secret, sizeof( secret ) );
	}
	name = pimctl_rdn_value( user );
	if ( rc == 0 && name == NULL ) {
		rc = PIMCTL_EX_CLIENT;
	}
	if ( rc == 0 ) {
		rc = enroll_entries( pc, user, name, base, secret, &mp, &token );
	}
	if ( rc == 0 ) {
		printf( "enrolled \"%s\": TOTP token %s\n"
			"Give this URI (the secret) to the user only, for an"
			" authenticator app:\n", user, token );
		rc = print_uri( pc, name, secret, &mp );
	}
	memset( secret, 0, sizeof( secret ) );
	params_free( &mp );
	ber_memfree( base );
	ber_memfree( name );
	ber_memfree( token );
	return rc;
}

/* --- status ---------------------------------------------------------- */

static void
print_field( const char *name, const char *value )
{
	printf( "  %-12s %s\n", name, value ? value : "-" );
}

static void
print_token( pimctl *pc, LDAPMessage *e, const char *period )
{
	char *last = pimctl_first_value( pc->pc_ld, e, "oathTOTPLastTimeStep" );
	char buf[PIMCTL_TIMEBUF + 48], tbuf[PIMCTL_TIMEBUF];
	time_t t;

	pimctl_read_time( pc->pc_ld, e, "oathSecretTime", &t, tbuf,
		sizeof( tbuf ), "-" );
	print_field( "enrolled:", tbuf );
	if ( last && period && atol( period ) > 0 ) {
		snprintf( buf, sizeof( buf ), "%s (time step %s)",
			pimctl_time_str( (time_t)( atoll( last ) * atol( period ) ),
			tbuf, sizeof( tbuf ) ), last );
		print_field( "last used:", buf );
	} else {
		print_field( "last used:", last ? last : "never" );
	}
	ber_memfree( last );
}

static void
print_params( pimctl *pc, LDAPMessage *e, char **period )
{
	char *oid = pimctl_first_value( pc->pc_ld, e, "oathHMACAlgorithm" );
	char *digits = pimctl_first_value( pc->pc_ld, e, "oathOTPLength" );
	char *window = pimctl_first_value( pc->pc_ld, e,
		"oathTOTPTimeStepWindow" );
	const char *name = alg_name( oid );

	*period = pimctl_first_value( pc->pc_ld, e, "oathTOTPTimeStepPeriod" );
	print_field( "algorithm:", name ? name : oid );
	print_field( "digits:", digits );
	print_field( "period:", *period );
	print_field( "window:", window ? window : "0" );
	ber_memfree( oid );
	ber_memfree( digits );
	ber_memfree( window );
}

/* The token at dn and its parameters, never the secret. */
static int
show_token( pimctl *pc, const char *dn )
{
	char *tattrs[] = { "oathTOTPParams", "oathTOTPLastTimeStep",
		"oathSecretTime", NULL };
	char *pattrs[] = { "oathHMACAlgorithm", "oathOTPLength",
		"oathTOTPTimeStepPeriod", "oathTOTPTimeStepWindow", NULL };
	LDAPMessage *tres = NULL, *pres = NULL, *te, *pe = NULL;
	char *params = NULL, *period = NULL;
	int rc;

	rc = read_entry( pc, dn, tattrs, &tres, &te );
	if ( rc == 1 ) {
		print_field( "token:", "(missing or not readable)" );
		return 0;
	}
	if ( rc == 0 ) {
		params = pimctl_first_value( pc->pc_ld, te, "oathTOTPParams" );
		print_field( "parameters:", params );
		if ( params && read_entry( pc, params, pattrs, &pres, &pe ) == 0 ) {
			print_params( pc, pe, &period );
		}
		print_token( pc, te, period );
	}
	ber_memfree( params );
	ber_memfree( period );
	ldap_msgfree( tres );
	ldap_msgfree( pres );
	return rc;
}

static int
mfa_status( pimctl *pc, const char *user )
{
	char *token = NULL;
	int rc = read_value( pc, user, "oathTOTPToken", &token );

	if ( rc != 0 ) {
		return rc;
	}
	printf( "%s\n", user );
	print_field( "token:", token ? token : "none (not enrolled)" );
	if ( token ) {
		rc = show_token( pc, token );
	}
	ber_memfree( token );
	return rc;
}

/* --- remove ---------------------------------------------------------- */

/* Unlink the user first: from then on no code of the token counts. */
static int
mfa_remove( pimctl *pc, const char *user )
{
	char *oc_vals[] = { "oathTOTPUser", NULL };
	LDAPMod oc = { LDAP_MOD_DELETE, "objectClass", { oc_vals } };
	LDAPMod tm = { LDAP_MOD_DELETE, "oathTOTPToken", { NULL } };
	LDAPMod *mods[] = { &tm, &oc, NULL };
	char *token = NULL;
	int rc = read_value( pc, user, "oathTOTPToken", &token );

	if ( rc == 0 && token == NULL ) {
		pimctl_error( pc, "\"%s\" has no TOTP token", user );
		return LDAP_NO_SUCH_ATTRIBUTE;
	}
	if ( rc == 0 ) {
		rc = modify_entry( pc, user, mods );
	}
	if ( rc == 0 ) {
		rc = ldap_delete_ext_s( pc->pc_ld, token, NULL, NULL );
		rc = rc == LDAP_SUCCESS || rc == LDAP_NO_SUCH_OBJECT ? 0 :
			pimctl_ld_error( pc, "delete", rc );
	}
	if ( rc == 0 ) {
		printf( "removed the TOTP token of \"%s\" (%s)\n", user, token );
	}
	ber_memfree( token );
	return rc;
}

int
pimctl_cmd_mfa( pimctl *pc, int argc, char **argv )
{
	static const struct {
		const char	*verb;
		int		(*run)( pimctl *pc, const char *user );
	} verbs[] = {
		{ "enroll", mfa_enroll },
		{ "status", mfa_status },
		{ "remove", mfa_remove },
		{ NULL, NULL }
	};
	char *user = NULL;
	int i, rc;

	for ( i = 0; verbs[i].verb && strcmp( verbs[i].verb, argv[0] ); i++ )
		;
	if ( verbs[i].verb == NULL ) {
		pimctl_error( pc, "unknown action '%s': enroll, status or remove",
			argv[0] );
		return PIMCTL_EX_USAGE;
	}
	if ( pc->pc_args.a_base && verbs[i].run != mfa_enroll ) {
		pimctl_error( pc, "--base is for enroll" );
		return PIMCTL_EX_USAGE;
	}
	if ( ( pc->pc_args.a_given & ( PIMCTL_OPTBIT( OPT_QR ) |
		PIMCTL_OPTBIT( OPT_NO_QR ) | PIMCTL_OPTBIT( OPT_ASCII ) ) ) &&
		verbs[i].run != mfa_enroll ) {
		pimctl_error( pc, "--qr, --no-qr and --ascii are for enroll" );
		return PIMCTL_EX_USAGE;
	}
	if ( ( pc->pc_args.a_given & PIMCTL_OPTBIT( OPT_QR ) ) &&
		( pc->pc_args.a_given & PIMCTL_OPTBIT( OPT_NO_QR ) ) ) {
		pimctl_error( pc, "--qr and --no-qr exclude each other" );
		return PIMCTL_EX_USAGE;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_resolve_user( pc, argv[1], &user );
	}
	if ( rc == 0 ) {
		rc = verbs[i].run( pc, user );
	}
	ber_memfree( user );
	return rc;
}
