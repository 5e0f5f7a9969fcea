/* check_pim.h - the unit test suites, one per pure-logic module. */
#ifndef CHECK_PIM_H
#define CHECK_PIM_H

#include <check.h>

Suite *pim_time_suite( void );
Suite *pim_codec_suite( void );
Suite *pim_policy_suite( void );
Suite *pim_state_suite( void );
Suite *pim_totp_suite( void );
Suite *pim_review_suite( void );
Suite *pim_chain_suite( void );
Suite *pim_version_suite( void );
Suite *pim_timer_key_suite( void );

#endif /* CHECK_PIM_H */
