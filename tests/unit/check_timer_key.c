/* check_timer_key.c - the timer's compact key for "pimId=<UUID>,<container>"
 * (overlay/pim_timer_key.h): a round trip is byte-exact, and only the
 * DNs the decoding writes are encoded. */
#include <string.h>

#include "check_pim.h"
#include "pim_timer_key.h"

#define NCONT		"cn=pim,dc=example,dc=com"
#define UUID		"0a1b2c3d-4e5f-1000-8000-abcdef012345"
#define DN		"pimId=" UUID "," NCONT

static int
enc( const char *dn, unsigned char key[PIM_TKEY_SIZE] )
{
	return pim_tkey_encode( dn, strlen( dn ), NCONT, strlen( NCONT ), key );
}

START_TEST( test_tkey_round_trip )
{
	static const unsigned char want[PIM_TKEY_SIZE] = {
		0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x10, 0x00,
		0x80, 0x00, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45 };
	unsigned char key[PIM_TKEY_SIZE];
	char buf[sizeof( DN ) + 8];

	ck_assert_uint_eq( pim_tkey_dn_len( strlen( NCONT ) ), strlen( DN ) );
	ck_assert_int_eq( enc( DN, key ), 1 );
	ck_assert_mem_eq( key, want, PIM_TKEY_SIZE );
	memset( buf, 'x', sizeof( buf ) );
	pim_tkey_decode( key, NCONT, strlen( NCONT ), buf );
	ck_assert_str_eq( buf, DN );
	ck_assert_int_eq( buf[strlen( DN ) + 1], 'x' );	/* nothing past the NUL */
}
END_TEST

/* Every key decodes to a DN that encodes back to the same key. */
START_TEST( test_tkey_every_byte )
{
	unsigned char key[PIM_TKEY_SIZE], back[PIM_TKEY_SIZE];
	char buf[sizeof( DN )];
	unsigned seed = 12345;
	int n, i;

	for ( n = 0; n < 4096; n++ ) {
		for ( i = 0; i < PIM_TKEY_SIZE; i++ ) {
			seed = seed * 1103515245u + 12345u;
			key[i] = n < 256 ? (unsigned char)n : (unsigned char)( seed >> 16 );
		}
		pim_tkey_decode( key, NCONT, strlen( NCONT ), buf );
		ck_assert_uint_eq( strlen( buf ), strlen( DN ) );
		ck_assert_int_eq( enc( buf, back ), 1 );
		ck_assert_mem_eq( key, back, PIM_TKEY_SIZE );
	}
}
END_TEST

/* What the decoding would not write back byte for byte stays a DN. */
START_TEST( test_tkey_refused )
{
	static const char *const other[] = {
		"pimid=" UUID "," NCONT,		/* not the canonical type name */
		"PIMID=" UUID "," NCONT,
		"pimId=0A1B2C3D-4e5f-1000-8000-abcdef012345," NCONT,	/* upper case */
		"pimId=0a1b2c3d-4e5f-1000-8000-abcdef01234g," NCONT,	/* not hex */
		"pimId=0a1b2c3d04e5f-1000-8000-abcdef012345," NCONT,	/* no dash */
		"pimId=0a1b2c3-d4e5f-1000-8000-abcdef012345," NCONT,	/* dash moved */
		"pimId=0a1b2c3d-4e5f-1000-8000-abcdef0123456," NCONT,	/* too long */
		"pimId=0a1b2c3d-4e5f-1000-8000-abcdef01234," NCONT,	/* too short */
		"pimId=a0000001," NCONT,		/* a door-2 identifier */
		"pimId=" UUID ",cn=pim,dc=example,dc=org",	/* another container */
		"pimId=" UUID ",cn=pim,dc=example,dc=co",
		"pimId=" UUID ",cn=pim,dc=example,dc=comm",
		"pimId=" UUID "+cn=x," NCONT,		/* a multi-valued RDN */
		"pimId=" UUID ";" NCONT,
		"cn=" UUID "," NCONT,
		"pimId=" UUID,
		"",
	};
	unsigned char key[PIM_TKEY_SIZE];
	size_t i;

	for ( i = 0; i < sizeof( other ) / sizeof( other[0] ); i++ )
		ck_assert_msg( enc( other[i], key ) == 0, "encoded: %s", other[i] );
	/* a DN that a container of its own length would match */
	ck_assert_int_eq( pim_tkey_encode( DN, strlen( DN ), "", 0, key ), 0 );
	ck_assert_int_eq( pim_tkey_encode( NULL, 0, NCONT, strlen( NCONT ), key ), 0 );
	ck_assert_int_eq( pim_tkey_encode( DN, strlen( DN ), NULL, 0, key ), 0 );
	/* the length is the DN's, not the string's */
	ck_assert_int_eq( pim_tkey_encode( DN, strlen( DN ) - 1, NCONT,
		strlen( NCONT ), key ), 0 );
}
END_TEST

Suite *
pim_timer_key_suite( void )
{
	Suite *s = suite_create( "timer_key" );
	TCase *tc = tcase_create( "core" );

	tcase_add_test( tc, test_tkey_round_trip );
	tcase_add_test( tc, test_tkey_every_byte );
	tcase_add_test( tc, test_tkey_refused );
	suite_add_tcase( s, tc );
	return s;
}
