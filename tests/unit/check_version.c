/* check_version.c - the slapd version guard's parsing and rule. */
#include "check_pim.h"
#include "pim_version.h"

START_TEST( test_version_mkversion )
{
	char buf[64];

	ck_assert_int_eq( pim_version_of_slapd( "@(#) $OpenLDAP: slapd "
		"2.5.13+dfsg-5 (Feb  8 2023 01:56:12) $\n\tDebian OpenLDAP "
		"Maintainers\n", buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "2.5.13+dfsg-5" );
}
END_TEST

START_TEST( test_version_plain )
{
	char buf[64];

	ck_assert_int_eq( pim_version_of_slapd( "OpenLDAP 2.6.7 Standalone "
		"LDAP Server (slapd)", buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "2.6.7" );
}
END_TEST

START_TEST( test_version_none )
{
	char buf[8];

	ck_assert_int_eq( pim_version_of_slapd( "something else", buf,
		sizeof( buf ) ), -1 );
	ck_assert_int_eq( pim_version_of_slapd( NULL, buf, sizeof( buf ) ), -1 );
	/* too long for buf: no truncated version that might match */
	ck_assert_int_eq( pim_version_of_slapd( "@(#) $OpenLDAP: slapd "
		"2.5.13+dfsg-5 (x) $", buf, sizeof( buf ) ), -1 );
	ck_assert_int_eq( pim_version_of_slapd( "@(#) $OpenLDAP: slapd  (x)",
		buf, sizeof( buf ) ), -1 );
}
END_TEST

START_TEST( test_version_rule )
{
	ck_assert( pim_version_matches( "2.5.13+dfsg-5", "2.5.13+dfsg-5" ) );
	ck_assert( !pim_version_matches( "2.5.13+dfsg-5", "2.5.13+dfsg-5+deb12u1" ) );
	ck_assert( !pim_version_matches( "2.5.13+dfsg-5", "2.5.13" ) );
	ck_assert( !pim_version_matches( "", "" ) );
	ck_assert( !pim_version_matches( NULL, "2.5.13" ) );
}
END_TEST

Suite *
pim_version_suite( void )
{
	Suite *s = suite_create( "version" );
	TCase *tc = tcase_create( "guard" );

	tcase_add_test( tc, test_version_mkversion );
	tcase_add_test( tc, test_version_plain );
	tcase_add_test( tc, test_version_none );
	tcase_add_test( tc, test_version_rule );
	suite_add_tcase( s, tc );
	return s;
}
