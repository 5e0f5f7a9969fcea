/* check_main.c - run every unit test suite. */
#include <stdlib.h>

#include "check_pim.h"

int
main( void )
{
	SRunner *sr;
	int failed;

	sr = srunner_create( pim_time_suite() );
	srunner_add_suite( sr, pim_codec_suite() );
	srunner_add_suite( sr, pim_policy_suite() );
	srunner_add_suite( sr, pim_state_suite() );
	srunner_add_suite( sr, pim_totp_suite() );
	srunner_add_suite( sr, pim_review_suite() );
	srunner_add_suite( sr, pim_chain_suite() );
	srunner_add_suite( sr, pim_version_suite() );
	srunner_add_suite( sr, pim_timer_key_suite() );

	srunner_run_all( sr, CK_NORMAL );
	failed = srunner_ntests_failed( sr );
	srunner_free( sr );

	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
