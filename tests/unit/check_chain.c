/* check_chain.c - known answers for the audit chain's hash.
 *
 * The overlay that writes a record and pimctl that verifies it link the
 * same pim_chain.c, so a change to the canonical form would pass every
 * round-trip test and still break every trail already stored.  These
 * hashes were computed from the form pim_chain.h describes, outside this
 * code (Python's hashlib over the bytes spelled out below); they must
 * never change.
 */
#include <string.h>

#include "check_pim.h"
#include "pim_chain.h"

static void
set( pim_chain_rec *r, enum pim_chain_field f, const char *v )
{
	r->cr_f[f].cv_val = v;
	r->cr_f[f].cv_len = strlen( v );
}

/* "pim-audit-1\n" alone: a record with no field at all. */
START_TEST( test_chain_empty )
{
	pim_chain_rec r;
	char hex[PIM_CHAIN_HEXLEN + 1];

	memset( &r, 0, sizeof( r ) );
	pim_chain_hash( &r, hex );
	ck_assert_str_eq( hex,
		"dd3a24154b762e0a07c8580efba5240fca38200fc956892b01ec799ff277dbb4" );
}
END_TEST

/* "pim-audit-1\n" "pimAuditSeq:1:7\n" "pimAuditTime:15:20261203054500Z\n"
 * ... "pimAuditReason:19:ticket: 42\nline two\n" ...
 * "pimAuditPrevHash:64:000...0\n": fields in enum order whatever order
 * they are set in, byte lengths, a newline inside a value. */
START_TEST( test_chain_record )
{
	pim_chain_rec r;
	char hex[PIM_CHAIN_HEXLEN + 1];

	memset( &r, 0, sizeof( r ) );
	set( &r, PIM_CH_PREV, pim_chain_genesis );
	set( &r, PIM_CH_REASON, "ticket: 42\nline two" );
	set( &r, PIM_CH_ID, "a1b2c3" );
	set( &r, PIM_CH_ROLE, "cn=User Administrator,ou=roles,dc=example,dc=com" );
	set( &r, PIM_CH_ACTOR, "uid=demo,ou=people,dc=example,dc=com" );
	set( &r, PIM_CH_EVENT, "activated" );
	set( &r, PIM_CH_TIME, "20261203054500Z" );
	set( &r, PIM_CH_SEQ, "7" );
	pim_chain_hash( &r, hex );
	ck_assert_str_eq( hex,
		"4c3c00c1ad99a9f6d1ad7260e2bfb7bad8bf085d887653163af6e255cbf62051" );

	/* one byte of one field changes the hash */
	set( &r, PIM_CH_SEQ, "8" );
	pim_chain_hash( &r, hex );
	ck_assert_str_ne( hex,
		"4c3c00c1ad99a9f6d1ad7260e2bfb7bad8bf085d887653163af6e255cbf62051" );
}
END_TEST

/* The attribute names are part of the hashed form. */
START_TEST( test_chain_names )
{
	static const char *const names[PIM_CH_NFIELDS] = {
		"pimAuditSeq", "pimAuditTime", "pimAuditEvent", "pimAuditActor",
		"pimAuditPrincipal", "pimAuditRole", "pimAuditId",
		"pimAuditStart", "pimAuditEnd", "pimAuditReason",
		"pimAuditTicket", "pimAuditResult", "pimAuditText",
		"pimAuditPeer", "pimAuditConnection", "pimAuditAlert",
		"pimAuditRef", "pimAuditAnchorSeq", "pimAuditAnchorHash",
		"pimAuditPrevHash" };
	int i;

	for ( i = 0; i < PIM_CH_NFIELDS; i++ )
		ck_assert_str_eq( pim_chain_attr[i], names[i] );
	ck_assert_uint_eq( strlen( pim_chain_genesis ), PIM_CHAIN_HEXLEN );
	ck_assert_int_eq( (int)strspn( pim_chain_genesis, "0" ), PIM_CHAIN_HEXLEN );
}
END_TEST

/* A trail holding records first..last (none when last is 0). */
typedef struct fake_trail {
	unsigned long	ft_first, ft_last;
	int		ft_probes, ft_fail_at;
} fake_trail;

static int
fake_probe( void *arg, unsigned long seq, int le, int *found )
{
	fake_trail *ft = arg;

	if ( ++ft->ft_probes == ft->ft_fail_at )
		return 80;
	*found = ft->ft_last != 0 &&
		( le ? ft->ft_first <= seq : seq <= ft->ft_last );
	return 0;
}

START_TEST( test_chain_ends )
{
	static const unsigned long cases[][2] = {
		{ 0, 0 }, { 1, 1 }, { 1, 2 }, { 1, 1000 }, { 5, 5 },
		{ 999, 1024 }, { 1025, 1025 }, { 70000, 123457 }
	};
	fake_trail ft;
	unsigned long hi, lo;
	char filter[PIM_SEQ_FILTER_SIZE];
	size_t i;

	for ( i = 0; i < sizeof( cases ) / sizeof( cases[0] ); i++ ) {
		memset( &ft, 0, sizeof( ft ) );
		ft.ft_first = cases[i][0];
		ft.ft_last = cases[i][1];
		ck_assert_int_eq( pim_seq_highest( fake_probe, &ft, &hi ), 0 );
		ck_assert_uint_eq( hi, ft.ft_last );
		/* about 2 log2(n) probes: 2 * 17 + 2 for n < 2^17 */
		ck_assert_int_le( ft.ft_probes, 36 );
		ck_assert_int_eq( pim_seq_lowest( fake_probe, &ft, hi, &lo ), 0 );
		ck_assert_uint_eq( lo, ft.ft_first );
	}
	/* a failed probe's code comes back */
	memset( &ft, 0, sizeof( ft ) );
	ft.ft_first = 1;
	ft.ft_last = 100;
	ft.ft_fail_at = 3;
	ck_assert_int_eq( pim_seq_highest( fake_probe, &ft, &hi ), 80 );
	pim_seq_probe_filter( 42, 1, filter, sizeof( filter ) );
	ck_assert_str_eq( filter, "(&(objectClass=pimAuditRecord)(pimAuditSeq<=42))" );
	pim_seq_probe_filter( 7, 0, filter, sizeof( filter ) );
	ck_assert_str_eq( filter, "(&(objectClass=pimAuditRecord)(pimAuditSeq>=7))" );
}
END_TEST

Suite *
pim_chain_suite( void )
{
	Suite *s = suite_create( "chain" );
	TCase *tc = tcase_create( "known answers" );

	tcase_add_test( tc, test_chain_empty );
	tcase_add_test( tc, test_chain_record );
	tcase_add_test( tc, test_chain_names );
	tcase_add_test( tc, test_chain_ends );
	suite_add_tcase( s, tc );
	return s;
}
