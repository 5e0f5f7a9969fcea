/* pimctl_otp.c - one-time codes for roles that require MFA.
 *
 * --otp CODE sends field [11].  Without it, a request goes out with no
 * code; when the server refuses it because a code is needed, and
 * standard input is a terminal, pimctl asks for the code (no echo) and
 * sends the request once more with it.  A refusal of a request that
 * carried a code is final: a wrong code is not asked for again.  A code
 * asked for and accepted is kept as if given with --otp, so that the
 * next roles of "activate ROLE1 ROLE2 ..." send it too (the server takes
 * one code for several requests on one connection).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pimctl.h"

/* What a refusal that asks for a code says, in any case. */
static const char *const otp_words[] = {
	"one-time", "one time", "otp", "mfa", "second factor", "totp", NULL
};

/* A code into req: 1..PIM_MAX_OTP printable characters, no spaces. */
static int
set_code( pimctl *pc, const char *what, const char *code, pim_request *req )
{
	const unsigned char *p;

	if ( *code == '\0' || strlen( code ) > PIM_MAX_OTP ) {
		pimctl_error( pc, "%s: the code must have 1 to %d characters",
			what, PIM_MAX_OTP );
		return PIMCTL_EX_USAGE;
	}
	for ( p = (const unsigned char *)code; *p; p++ ) {
		if ( !isgraph( *p ) ) {
			pimctl_error( pc, "%s: the code must not contain spaces"
				" or control characters", what );
			return PIMCTL_EX_USAGE;
		}
	}
	req->pr_otp = pimctl_bv( code );
	req->pr_fields |= PIM_F_OTP;
	return 0;
}

/* --otp CODE, if given, into req. */
int
pimctl_otp_option( pimctl *pc, pim_request *req )
{
	if ( pc->pc_args.a_otp == NULL ) {
		return 0;
	}
	return set_code( pc, "--otp", pc->pc_args.a_otp, req );
}

static int
contains_word( const char *text, const char *word )
{
	size_t n = strlen( word );

	for ( ; *text; text++ ) {
		if ( strncasecmp( text, word, n ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

/* Does the refusal say that a one-time code is needed?  A result that
 * can mean "authenticate more" or "not allowed as asked", and a
 * diagnostic that speaks of the code.  Not unwillingToPerform (a server
 * that cannot verify codes at all: asking for one would not help), nor
 * other (a role whose pimMFARequired value is unreadable). */
static int
asks_for_code( const pimctl_result *res )
{
	int i;

	switch ( res->r_err ) {
	case LDAP_STRONG_AUTH_REQUIRED:
	case LDAP_INAPPROPRIATE_AUTH:
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_INSUFFICIENT_ACCESS:
	case LDAP_CONSTRAINT_VIOLATION:
		break;
	default:
		return 0;
	}
	if ( res->r_info == NULL ) {
		return 0;
	}
	for ( i = 0; otp_words[i]; i++ ) {
		if ( contains_word( res->r_info, otp_words[i] ) ) {
			return 1;
		}
	}
	return 0;
}

/* Ask for the code; 0 with req carrying it (*code to free), -1 when
 * none was given, else the exit status of a malformed one. */
static int
prompt_code( pimctl *pc, pim_request *req, char **code )
{
	*code = pimctl_read_secret( "One-time code: " );
	if ( *code == NULL || **code == '\0' ) {
		pimctl_error( pc, "no one-time code given" );
		return -1;
	}
	return set_code( pc, "one-time code", *code, req );
}

/* pimctl_exop(), with the code asked for once if the server wants it.
 * Without a code given, the first refusal stands (its exit status). */
int
pimctl_exop_otp( pimctl *pc, enum pim_verb verb, pim_request *req,
	pim_response *rsp, struct berval **rspdata )
{
	pimctl_result res;
	char *code = NULL;
	int rc;

	rc = pimctl_exop_try( pc, verb, req, rsp, rspdata, &res );
	if ( rc == -1 && !( req->pr_fields & PIM_F_OTP ) &&
		asks_for_code( &res ) )
	{
		if ( !isatty( STDIN_FILENO ) ) {
			rc = pimctl_result_report( pc, &res );
			pimctl_error( pc, "give the one-time code with --otp CODE" );
		} else {
			pimctl_error( pc, "%s", res.r_info );
			rc = prompt_code( pc, req, &code );
			if ( rc == -1 ) {
				rc = pimctl_exit_code( res.r_err );
			} else if ( rc == 0 ) {
				pimctl_result_free( &res );
				rc = pimctl_exop_try( pc, verb, req, rsp, rspdata, &res );
				if ( rc == 0 ) {
					pimctl_free_secret( pc->pc_args.a_otp );
					pc->pc_args.a_otp = code;
					code = NULL;
				}
			}
			req->pr_otp = pimctl_bv( NULL );
			req->pr_fields &= ~PIM_F_OTP;
		}
	}
	if ( rc == -1 ) {
		rc = pimctl_result_report( pc, &res );
	}
	pimctl_result_free( &res );
	pimctl_free_secret( code );
	return rc;
}
