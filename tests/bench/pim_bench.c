/* pim_bench.c - the figures behind the quality gates: a program that
 * measures and prints, and asserts nothing.  tests/bench/run.sh drives
 * it against slapd servers it prepares (see there).
 *
 *   pim_bench setup -H URI -c CLIENTS
 *	create CLIENTS users (uid=bench-client-N, password "bench") and
 *	make each eligible for ROLE (assign extended operation as
 *	uid=admin), once per server.
 *   pim_bench write -H URI -c CLIENTS -t SECONDS
 *	CLIENTS threads, one connection each.  In alternating slices, the
 *	threads either activate ROLE (extended operation) and deactivate
 *	it again, or add their own DN to PLAIN's member and delete it
 *	again; each activation and each add is timed.
 *   pim_bench check -H URI -P PLAIN_URI -m MEMBERS -t SECONDS
 *	group checks as an application makes them, on a server with the
 *	overlay (-H) and one without it (-P), in alternating blocks:
 *	ldap_compare_ext_s() of member on ROLE, a search for
 *	(&(uid=...)(memberOf=ROLE)) under ou=people, and a read of ROLE's
 *	member values (a base search).
 *
 * Results are lines "RESULT key=value ...", latencies in microseconds.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_oids.h"

#define BASE	"dc=example,dc=com"
#define PEOPLE	"ou=people," BASE
#define ROLE	"cn=bench role 0,ou=roles," BASE
#define PLAIN	"cn=bench plain group,ou=roles," BASE
#define ADMIN	"uid=admin," PEOPLE
#define OTHER	"uid=other," PEOPLE
#define MANAGER	"cn=Manager," BASE
#define MAXCLIENTS	64
/* alternate the two sides often, so that a neighbour's load on this
 * shared machine falls on both alike */
#define SLICE_US	1e6
#define CHECK_BLOCK	100

static double
now_us( void )
{
	struct timespec ts;

	clock_gettime( CLOCK_MONOTONIC, &ts );
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The wall clock, which activation ends are stated in. */
static double
wall_us( void )
{
	struct timespec ts;

	clock_gettime( CLOCK_REALTIME, &ts );
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* --- samples --------------------------------------------------------- */

typedef struct samples {
	double	*v;
	size_t	n, cap;
	double	busy_us;	/* wall time the series was measured over */
} samples;

static void
samples_add( samples *s, double x )
{
	if ( s->n == s->cap ) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc( s->v, s->cap * sizeof( double ) );
		if ( s->v == NULL ) {
			perror( "realloc" );
			exit( 1 );
		}
	}
	s->v[s->n++] = x;
}

static void
samples_merge( samples *into, samples *from )
{
	size_t i;

	for ( i = 0; i < from->n; i++ )
		samples_add( into, from->v[i] );
	from->n = 0;
}

static int
cmp_double( const void *a, const void *b )
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct( samples *s, double p )
{
	size_t i = (size_t)( p * ( s->n - 1 ) + 0.5 );

	return s->n ? s->v[i] : NAN;
}

/* The mean of the fastest fraction of the (sorted) samples: a
 * neighbour's load on a shared machine lands in the slow tail, and
 * moves a median that sits between two scheduling modes. */
static double
mean_of( samples *s, double fraction )
{
	double sum = 0;
	size_t i, n = (size_t)( s->n * fraction + 0.5 );

	for ( i = 0; i < n; i++ )
		sum += s->v[i];
	return n ? sum / n : NAN;
}

/* One RESULT line: throughput over the measured wall time (ops/s), and
 * the latency distribution. */
static void
report( const char *what, int clients, samples *s )
{
	qsort( s->v, s->n, sizeof( double ), cmp_double );
	printf( "RESULT what=%s clients=%d ops=%zu tput=%.1f mean=%.1f "
		"tmean=%.1f p50=%.1f p99=%.1f max=%.1f\n", what, clients, s->n,
		s->busy_us > 0 ? s->n / ( s->busy_us / 1e6 ) : 0.0,
		mean_of( s, 1.0 ), mean_of( s, 0.9 ), pct( s, 0.5 ), pct( s, 0.99 ),
		pct( s, 1.0 ) );
}

/* --- LDAP ------------------------------------------------------------ */

static LDAP *
bind_as( const char *uri, const char *dn, const char *pw )
{
	LDAP *ld;
	int v3 = LDAP_VERSION3, rc;
	struct berval cred;

	if ( ldap_initialize( &ld, uri ) != LDAP_SUCCESS )
		return NULL;
	ldap_set_option( ld, LDAP_OPT_PROTOCOL_VERSION, &v3 );
	ber_str2bv( pw, 0, 0, &cred );
	rc = ldap_sasl_bind_s( ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL );
	if ( rc != LDAP_SUCCESS ) {
		fprintf( stderr, "bind %s: %s\n", dn, ldap_err2string( rc ) );
		ldap_unbind_ext_s( ld, NULL, NULL );
		return NULL;
	}
	return ld;
}

static void
client_dn( int i, char *buf, size_t len )
{
	snprintf( buf, len, "uid=bench-client-%d," PEOPLE, i );
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
activate( LDAP *ld )
{
	pim_request req;

	memset( &req, 0, sizeof( req ) );
	ber_str2bv( ROLE, 0, 0, &req.pr_role );
	ber_str2bv( "benchmark", 0, 0, &req.pr_justification );
	req.pr_fields = PIM_F_DURATION | PIM_F_JUSTIFICATION;
	req.pr_duration = 3600;
	return exop( ld, PIM_EXOP_ACTIVATE, PIM_VERB_ACTIVATE, &req );
}

static int
deactivate( LDAP *ld )
{
	pim_request req;

	memset( &req, 0, sizeof( req ) );
	ber_str2bv( ROLE, 0, 0, &req.pr_role );
	return exop( ld, PIM_EXOP_DEACTIVATE, PIM_VERB_DEACTIVATE, &req );
}

static int
modify_member( LDAP *ld, const char *group, const char *dn, int op )
{
	char *vals[] = { (char *)dn, NULL };
	LDAPMod mod = { op, "member", { vals } };
	LDAPMod *mods[] = { &mod, NULL };

	return ldap_modify_ext_s( ld, group, mods, NULL, NULL );
}

/* --- setup ----------------------------------------------------------- */

static int
add_client( LDAP *manager, int i )
{
	char dn[256], uid[64];
	char *oc[] = { "inetOrgPerson", NULL }, *uidv[] = { uid, NULL };
	char *sn[] = { "client", NULL }, *pw[] = { "bench", NULL };
	LDAPMod m[] = {
		{ LDAP_MOD_ADD, "objectClass", { oc } },
		{ LDAP_MOD_ADD, "uid", { uidv } },
		{ LDAP_MOD_ADD, "cn", { uidv } },
		{ LDAP_MOD_ADD, "sn", { sn } },
		{ LDAP_MOD_ADD, "userPassword", { pw } } };
	LDAPMod *mods[] = { &m[0], &m[1], &m[2], &m[3], &m[4], NULL };

	client_dn( i, dn, sizeof( dn ) );
	snprintf( uid, sizeof( uid ), "bench-client-%d", i );
	return ldap_add_ext_s( manager, dn, mods, NULL, NULL );
}

static int
assign( LDAP *admin, int i )
{
	pim_request req;
	char dn[256];

	client_dn( i, dn, sizeof( dn ) );
	memset( &req, 0, sizeof( req ) );
	ber_str2bv( ROLE, 0, 0, &req.pr_role );
	ber_str2bv( dn, 0, 0, &req.pr_principal );
	req.pr_fields = PIM_F_PRINCIPAL | PIM_F_KIND;
	req.pr_kind = PIM_KIND_ELIGIBLE;
	return exop( admin, PIM_EXOP_ASSIGN, PIM_VERB_ASSIGN, &req );
}

static int
cmd_setup( const char *uri, int clients )
{
	LDAP *manager = bind_as( uri, MANAGER, "manager-secret" );
	LDAP *admin = bind_as( uri, ADMIN, "admin-secret" );
	int i, rc;

	if ( manager == NULL || admin == NULL )
		return 1;
	for ( i = 0; i < clients; i++ ) {
		rc = add_client( manager, i );
		if ( rc == LDAP_SUCCESS || rc == LDAP_ALREADY_EXISTS )
			rc = assign( admin, i );
		if ( rc != LDAP_SUCCESS && rc != LDAP_ALREADY_EXISTS ) {
			fprintf( stderr, "setup client %d: %s\n", i, ldap_err2string( rc ) );
			return 1;
		}
	}
	ldap_unbind_ext_s( manager, NULL, NULL );
	ldap_unbind_ext_s( admin, NULL, NULL );
	return 0;
}

/* --- write: activations against plain member modifies --------------- */

enum side { SIDE_ACTIVATE, SIDE_MODIFY };

typedef struct writer {
	pthread_t	w_tid;
	LDAP		*w_client;	/* bound as the client: activates */
	LDAP		*w_admin;	/* bound as uid=admin: plain modify */
	char		w_dn[256];
	enum side	w_side;
	double		w_until;
	samples		w_lat;		/* activate, or member add */
	samples		w_undo;		/* deactivate, or member delete */
	long		w_refused;	/* activations refused, not counted */
	int		w_err;
} writer;

/* One activate + deactivate, or one member add + delete: a steady
 * state in which every grant is taken back, on both sides. */
static int
write_pair( writer *w )
{
	int act = w->w_side == SIDE_ACTIVATE, rc;
	double t0 = now_us();

	rc = act ? activate( w->w_client ) :
		modify_member( w->w_admin, PLAIN, w->w_dn, LDAP_MOD_ADD );
	samples_add( &w->w_lat, now_us() - t0 );
	if ( rc != LDAP_SUCCESS )
		return rc;
	t0 = now_us();
	rc = act ? deactivate( w->w_client ) :
		modify_member( w->w_admin, PLAIN, w->w_dn, LDAP_MOD_DELETE );
	samples_add( &w->w_undo, now_us() - t0 );
	return rc;
}

/* An activation refused with alreadyExists is the server's pimId
 * colliding with another's made at the same time: counted and shown,
 * not fatal to the measurement. */
static void *
writer_main( void *arg )
{
	writer *w = arg;

	while ( now_us() < w->w_until && w->w_err == LDAP_SUCCESS ) {
		w->w_err = write_pair( w );
		if ( w->w_err == LDAP_ALREADY_EXISTS && w->w_side == SIDE_ACTIVATE ) {
			w->w_refused++;
			w->w_lat.n--;	/* its latency is not an activation's */
			w->w_err = LDAP_SUCCESS;
		}
	}
	return NULL;
}

/* Run one slice of side with every writer; its samples go to *into
 * (the first operation of each pair) and *undo (the second). */
static int
write_slice( writer *w, int clients, enum side side, samples *into,
	samples *undo )
{
	double t0 = now_us();
	int i, err = 0;

	for ( i = 0; i < clients; i++ ) {
		w[i].w_side = side;
		w[i].w_until = t0 + SLICE_US;
		pthread_create( &w[i].w_tid, NULL, writer_main, &w[i] );
	}
	for ( i = 0; i < clients; i++ ) {
		pthread_join( w[i].w_tid, NULL );
		samples_merge( into, &w[i].w_lat );
		samples_merge( undo, &w[i].w_undo );
		if ( w[i].w_err != LDAP_SUCCESS ) {
			fprintf( stderr, "client %d: %s\n", i, ldap_err2string( w[i].w_err ) );
			err = 1;
		}
	}
	into->busy_us += now_us() - t0;
	return err;
}

static int
cmd_write( const char *uri, int clients, double seconds )
{
	writer w[MAXCLIENTS];
	samples s[4] = { { 0 } };	/* activate, deactivate, add, delete */
	int i, slices = (int)( seconds * 1e6 / SLICE_US + 0.5 );
	long refused = 0;

	memset( w, 0, sizeof( w ) );
	for ( i = 0; i < clients; i++ ) {
		client_dn( i, w[i].w_dn, sizeof( w[i].w_dn ) );
		w[i].w_client = bind_as( uri, w[i].w_dn, "bench" );
		w[i].w_admin = bind_as( uri, ADMIN, "admin-secret" );
		if ( w[i].w_client == NULL || w[i].w_admin == NULL )
			return 1;
	}
	for ( i = 0; i < ( slices > 0 ? slices : 1 ); i++ ) {
		/* which side goes first alternates too */
		enum side first = i % 2 ? SIDE_MODIFY : SIDE_ACTIVATE;

		if ( write_slice( w, clients, first, &s[2 * first], &s[2 * first + 1] ) ||
			write_slice( w, clients, !first, &s[2 * !first], &s[2 * !first + 1] ) )
			return 1;
	}
	/* throughput: pairs per second of their side's slices, reported
	 * with the first operation of the pair (the second has none) */
	for ( i = 0; i < clients; i++ )
		refused += w[i].w_refused;
	if ( refused > 0 )
		printf( "RESULT what=refused clients=%d count=%ld\n", clients, refused );
	report( "activate", clients, &s[0] );
	report( "deactivate", clients, &s[1] );
	report( "modify", clients, &s[2] );
	report( "modify-delete", clients, &s[3] );
	for ( i = 0; i < clients; i++ ) {
		ldap_unbind_ext_s( w[i].w_client, NULL, NULL );
		ldap_unbind_ext_s( w[i].w_admin, NULL, NULL );
	}
	for ( i = 0; i < 4; i++ )
		free( s[i].v );
	return 0;
}

/* --- check: group checks with and without the overlay ---------------- */

static int
check_compare( LDAP *ld, int member )
{
	char dn[256];
	struct berval v;
	int rc;

	snprintf( dn, sizeof( dn ), "uid=u%07d," PEOPLE, member );
	ber_str2bv( dn, 0, 0, &v );
	rc = ldap_compare_ext_s( ld, ROLE, "member", &v, NULL, NULL );
	return rc == LDAP_COMPARE_TRUE ? LDAP_SUCCESS : rc;
}

static int
check_search( LDAP *ld, int member )
{
	char filter[256];
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL;
	int rc, n;

	snprintf( filter, sizeof( filter ), "(&(uid=u%07d)(memberOf=" ROLE "))",
		member );
	rc = ldap_search_ext_s( ld, PEOPLE, LDAP_SCOPE_SUBTREE, filter, attrs,
		0, NULL, NULL, NULL, 0, &res );
	n = res ? ldap_count_entries( ld, res ) : 0;
	ldap_msgfree( res );
	return rc == LDAP_SUCCESS && n != 1 ? LDAP_NO_RESULTS_RETURNED : rc;
}

/* A read of the whole role, as an application that lists a group's
 * members does (and as slapd's ACL group check fetches it): a base
 * search returning member, which must hold every one of the members. */
static int check_members;

static int
check_read( LDAP *ld, int member )
{
	char *attrs[] = { "member", NULL };
	LDAPMessage *res = NULL, *e;
	struct berval **vals;
	int rc, n = 0;

	(void)member;
	rc = ldap_search_ext_s( ld, ROLE, LDAP_SCOPE_BASE, "(objectClass=*)", attrs,
		0, NULL, NULL, NULL, 0, &res );
	if ( rc == LDAP_SUCCESS && ( e = ldap_first_entry( ld, res ) ) != NULL &&
		( vals = ldap_get_values_len( ld, e, "member" ) ) != NULL ) {
		n = ldap_count_values_len( vals );
		ldap_value_free_len( vals );
	}
	ldap_msgfree( res );
	return rc == LDAP_SUCCESS && n < check_members ? LDAP_NO_RESULTS_RETURNED : rc;
}

typedef int (check_fn)( LDAP *ld, int member );

/* CHECK_BLOCK checks in a row on ld; returns an LDAP error or 0. */
static int
check_block( LDAP *ld, check_fn *fn, int members, int *next, samples *s )
{
	double t0 = now_us(), t;
	int i, rc;

	for ( i = 0; i < CHECK_BLOCK; i++ ) {
		t = now_us();
		rc = fn( ld, *next );
		samples_add( s, now_us() - t );
		if ( rc != LDAP_SUCCESS )
			return rc;
		*next = ( *next + 1 ) % members;
	}
	s->busy_us += now_us() - t0;
	return 0;
}

static int
cmd_check( const char *uri, const char *plain_uri, int members, double seconds )
{
	LDAP *ld[2];
	/* compare pim, plain; search pim, plain; read pim, plain */
	samples s[6] = { { 0 } };
	check_fn *fn[3] = { check_compare, check_search, check_read };
	const char *names[6] = { "compare-pim", "compare-plain", "search-pim",
		"search-plain", "read-pim", "read-plain" };
	double until = now_us() + seconds * 1e6;
	int i, k, rc, next[6] = { 0 }, round = 0;

	ld[0] = bind_as( uri, OTHER, "other-secret" );
	ld[1] = bind_as( plain_uri, OTHER, "other-secret" );
	if ( ld[0] == NULL || ld[1] == NULL || members < 1 )
		return 1;
	check_members = members;
	while ( now_us() < until ) {
		for ( k = 0; k < 6; k++ ) {
			/* alternate which server goes first */
			i = ( k & ~1 ) | ( ( k & 1 ) ^ ( round & 1 ) );
			rc = check_block( ld[i & 1], fn[i >> 1], members, &next[i], &s[i] );
			if ( rc != 0 ) {
				fprintf( stderr, "%s: %s\n", names[i], ldap_err2string( rc ) );
				return 1;
			}
		}
		round++;
	}
	for ( i = 0; i < 6; i++ ) {
		report( names[i], 1, &s[i] );
		free( s[i].v );
	}
	ldap_unbind_ext_s( ld[0], NULL, NULL );
	ldap_unbind_ext_s( ld[1], NULL, NULL );
	return 0;
}

/* --- window: no TRUE answer at or after an activation's end ----------- */

/* ROUNDS activations of 2 s by client 0, each followed by compares as
 * another user from its call until 1.5 s past its end: how many answer
 * TRUE at or after the end (read-time enforcement's target: none), and
 * the latest such answer. */
static int
cmd_window( const char *uri, int rounds )
{
	LDAP *client, *reader;
	char dn[256];
	struct berval v;
	long late = 0, checks = 0;
	double worst = 0;
	int r, rc;

	client_dn( 0, dn, sizeof( dn ) );
	client = bind_as( uri, dn, "bench" );
	reader = bind_as( uri, OTHER, "other-secret" );
	if ( client == NULL || reader == NULL )
		return 1;
	ber_str2bv( dn, 0, 0, &v );
	for ( r = 0; r < rounds; r++ ) {
		pim_request req;
		double end;

		pim_response rsp;
		struct berval data, *rdata = NULL;
		char *roid = NULL;
		const char *text = NULL;

		memset( &req, 0, sizeof( req ) );
		ber_str2bv( ROLE, 0, 0, &req.pr_role );
		ber_str2bv( "benchmark window", 0, 0, &req.pr_justification );
		req.pr_fields = PIM_F_DURATION | PIM_F_JUSTIFICATION;
		req.pr_duration = 2;
		if ( pim_request_encode( PIM_VERB_ACTIVATE, &req, &data ) != 0 )
			return 1;
		rc = ldap_extended_operation_s( client, PIM_EXOP_ACTIVATE, &data,
			NULL, NULL, &roid, &rdata );
		ber_memfree( data.bv_val );
		ldap_memfree( roid );
		memset( &rsp, 0, sizeof( rsp ) );
		if ( rc != LDAP_SUCCESS || rdata == NULL ||
			pim_response_decode( rdata, &rsp, &text ) != LDAP_SUCCESS ||
			!( rsp.ps_fields & PIM_RF_END ) ) {
			fprintf( stderr, "window: activate: %s\n", ldap_err2string( rc ) );
			return 1;
		}
		/* the end the server gave it (whole seconds) */
		end = (double)rsp.ps_end * 1e6;
		ber_bvfree( rdata );
		while ( wall_us() < end + 1.5e6 ) {
			double t = wall_us();

			rc = ldap_compare_ext_s( reader, ROLE, "member", &v, NULL, NULL );
			checks++;
			if ( rc == LDAP_COMPARE_TRUE && t >= end ) {
				late++;
				if ( t - end > worst )
					worst = t - end;
			}
		}
		(void)deactivate( client );
	}
	printf( "RESULT what=window rounds=%d checks=%ld late=%ld worst_ms=%.1f\n",
		rounds, checks, late, worst / 1000 );
	ldap_unbind_ext_s( client, NULL, NULL );
	ldap_unbind_ext_s( reader, NULL, NULL );
	return 0;
}

/* --- main ------------------------------------------------------------ */

static int
usage( void )
{
	fprintf( stderr, "usage: pim_bench setup -H URI -c CLIENTS\n"
		"       pim_bench write -H URI -c CLIENTS -t SECONDS\n"
		"       pim_bench check -H URI -P PLAIN_URI -m MEMBERS -t SECONDS\n"
		"       pim_bench window -H URI -c ROUNDS\n" );
	return 64;
}

int
main( int argc, char **argv )
{
	const char *cmd, *uri = NULL, *plain = NULL;
	int c, clients = 1, members = 1;
	double seconds = 4;

	if ( argc < 2 )
		return usage();
	cmd = argv[1];
	optind = 2;
	while ( ( c = getopt( argc, argv, "H:P:c:m:t:" ) ) != -1 ) {
		switch ( c ) {
		case 'H': uri = optarg; break;
		case 'P': plain = optarg; break;
		case 'c': clients = atoi( optarg ); break;
		case 'm': members = atoi( optarg ); break;
		case 't': seconds = atof( optarg ); break;
		default: return usage();
		}
	}
	if ( uri == NULL || clients < 1 || clients > MAXCLIENTS )
		return usage();
	setvbuf( stdout, NULL, _IOLBF, 0 );
	if ( strcmp( cmd, "setup" ) == 0 )
		return cmd_setup( uri, clients );
	if ( strcmp( cmd, "write" ) == 0 )
		return cmd_write( uri, clients, seconds );
	if ( strcmp( cmd, "check" ) == 0 && plain != NULL )
		return cmd_check( uri, plain, members, seconds );
	if ( strcmp( cmd, "window" ) == 0 )
		return cmd_window( uri, clients );
	return usage();
}
