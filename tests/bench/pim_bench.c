/* pim_bench.c - activation round trips against plain member modifies.
 *
 * Against one running slapd (with the pim overlay and the demo
 * directory), measures in the same run:
 *   - an activate extended operation's round trip (the deactivate that
 *     follows each one is measured too, and not counted in the first);
 *   - a plain modify that adds a member value to an ordinary group (and
 *     the modify that deletes it again).
 * and prints the median, p99 and their ratio.  A program that prints
 * figures: it asserts nothing.
 *
 *   pim_bench -H URI [-n ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_oids.h"

#define BASE	"dc=example,dc=com"
#define ROLE	"cn=User Administrator,ou=roles," BASE
#define DEMO	"uid=demo,ou=people," BASE
#define ADMIN	"uid=admin,ou=people," BASE
#define MANAGER	"cn=Manager," BASE
#define GROUP	"cn=bench plain group,ou=roles," BASE

static double
now_us( void )
{
	struct timespec ts;

	clock_gettime( CLOCK_MONOTONIC, &ts );
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static LDAP *
bind_as( const char *uri, const char *dn, const char *pw )
{
	LDAP *ld;
	int v3 = LDAP_VERSION3, rc;
	struct berval cred;

	if ( ldap_initialize( &ld, uri ) != LDAP_SUCCESS )
		return NULL;
	ldap_set_option( ld, LDAP_OPT_PROTOCOL_VERSION, &v3 );
	cred.bv_val = (char *)pw;
	cred.bv_len = strlen( pw );
	rc = ldap_sasl_bind_s( ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL );
	if ( rc != LDAP_SUCCESS ) {
		fprintf( stderr, "bind %s: %s\n", dn, ldap_err2string( rc ) );
		ldap_unbind_ext_s( ld, NULL, NULL );
		return NULL;
	}
	return ld;
}

static int
exop( LDAP *ld, const char *oid, enum pim_verb verb, pim_request *req )
{
	struct berval data, *rdata = NULL;
	char *roid = NULL;
	int rc;

	if ( pim_request_encode( verb, req, &data ) != 0 )
		return LDAP_ENCODING_ERROR;
	rc = ldap_extended_operation_s( ld, oid, &data, NULL, NULL, &roid, &rdata );
	ber_memfree( data.bv_val );
	ldap_memfree( roid );
	ber_bvfree( rdata );
	return rc;
}

static int
modify_member( LDAP *ld, int op )
{
	char *vals[] = { DEMO, NULL };
	LDAPMod mod = { op, "member", { vals } };
	LDAPMod *mods[] = { &mod, NULL };

	return ldap_modify_ext_s( ld, GROUP, mods, NULL, NULL );
}

static int
cmp_double( const void *a, const void *b )
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct( double *v, int n, double p )
{
	int i = (int)( p * ( n - 1 ) + 0.5 );

	return v[i];
}

static int
setup( LDAP *admin, LDAP *manager )
{
	pim_request req;
	char *oc[] = { "groupOfNames", NULL }, *cn[] = { "bench plain group", NULL };
	char *member[] = { "cn=pim," BASE, NULL };
	LDAPMod m1 = { LDAP_MOD_ADD, "objectClass", { oc } };
	LDAPMod m2 = { LDAP_MOD_ADD, "cn", { cn } };
	LDAPMod m3 = { LDAP_MOD_ADD, "member", { member } };
	LDAPMod *mods[] = { &m1, &m2, &m3, NULL };
	int rc;

	memset( &req, 0, sizeof( req ) );
	ber_str2bv( ROLE, 0, 0, &req.pr_role );
	ber_str2bv( DEMO, 0, 0, &req.pr_principal );
	req.pr_fields = PIM_F_PRINCIPAL | PIM_F_KIND;
	req.pr_kind = PIM_KIND_ELIGIBLE;
	rc = exop( admin, PIM_EXOP_ASSIGN, PIM_VERB_ASSIGN, &req );
	if ( rc != LDAP_SUCCESS && rc != LDAP_ALREADY_EXISTS ) {
		fprintf( stderr, "assign: %s\n", ldap_err2string( rc ) );
		return -1;
	}
	rc = ldap_add_ext_s( manager, GROUP, mods, NULL, NULL );
	if ( rc != LDAP_SUCCESS && rc != LDAP_ALREADY_EXISTS ) {
		fprintf( stderr, "add group: %s\n", ldap_err2string( rc ) );
		return -1;
	}
	return 0;
}

static void
report( const char *what, double *v, int n )
{
	qsort( v, n, sizeof( double ), cmp_double );
	printf( "%-34s %10.0f %10.0f %10.0f\n", what, pct( v, n, 0.5 ),
		pct( v, n, 0.99 ), v[n - 1] );
}

int
main( int argc, char **argv )
{
	const char *uri = NULL;
	int n = 200, i, c;
	LDAP *demo, *admin, *manager;
	double *act, *deact, *add, *del, t0, a50, m50;
	pim_request req;

	while ( ( c = getopt( argc, argv, "H:n:" ) ) != -1 ) {
		if ( c == 'H' )
			uri = optarg;
		else if ( c == 'n' )
			n = atoi( optarg );
		else
			return 64;
	}
	if ( uri == NULL || n < 2 ) {
		fprintf( stderr, "usage: pim_bench -H URI [-n ROUNDS]\n" );
		return 64;
	}
	demo = bind_as( uri, DEMO, "demo-secret" );
	admin = bind_as( uri, ADMIN, "admin-secret" );
	manager = bind_as( uri, MANAGER, "manager-secret" );
	if ( !demo || !admin || !manager || setup( admin, manager ) )
		return 1;
	act = calloc( n, sizeof( double ) );
	deact = calloc( n, sizeof( double ) );
	add = calloc( n, sizeof( double ) );
	del = calloc( n, sizeof( double ) );

	memset( &req, 0, sizeof( req ) );
	ber_str2bv( ROLE, 0, 0, &req.pr_role );
	ber_str2bv( "benchmark", 0, 0, &req.pr_justification );
	req.pr_fields = PIM_F_DURATION | PIM_F_JUSTIFICATION;
	req.pr_duration = 3600;
	for ( i = 0; i < n; i++ ) {
		pim_request d;

		t0 = now_us();
		if ( exop( demo, PIM_EXOP_ACTIVATE, PIM_VERB_ACTIVATE, &req ) != LDAP_SUCCESS )
			return 1;
		act[i] = now_us() - t0;
		memset( &d, 0, sizeof( d ) );
		d.pr_role = req.pr_role;
		t0 = now_us();
		if ( exop( demo, PIM_EXOP_DEACTIVATE, PIM_VERB_DEACTIVATE, &d ) != LDAP_SUCCESS )
			return 1;
		deact[i] = now_us() - t0;

		t0 = now_us();
		if ( modify_member( manager, LDAP_MOD_ADD ) != LDAP_SUCCESS )
			return 1;
		add[i] = now_us() - t0;
		t0 = now_us();
		if ( modify_member( manager, LDAP_MOD_DELETE ) != LDAP_SUCCESS )
			return 1;
		del[i] = now_us() - t0;
	}

	printf( "%d rounds, one client, same slapd (microseconds)\n", n );
	printf( "%-34s %10s %10s %10s\n", "", "median", "p99", "max" );
	report( "activate (extended operation)", act, n );
	report( "deactivate (extended operation)", deact, n );
	report( "modify: add a member value", add, n );
	report( "modify: delete a member value", del, n );
	a50 = act[n / 2];
	m50 = add[n / 2];
	printf( "ratio: plain modify median / activate median = %.2f "
		"(activation throughput relative to a plain member modify)\n", m50 / a50 );

	ldap_unbind_ext_s( demo, NULL, NULL );
	ldap_unbind_ext_s( admin, NULL, NULL );
	ldap_unbind_ext_s( manager, NULL, NULL );
	free( act ); free( deact ); free( add ); free( del );
	return 0;
}
