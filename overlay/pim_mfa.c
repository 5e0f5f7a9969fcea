/* pim_mfa.c - the second factor on activation.
 *
 * A role with pimMFARequired TRUE needs a one-time code with each
 * activation.  Until this server verifies codes against the directory's
 * OATH tokens, such activations are refused: failing closed is the only
 * honest answer.
 */
#include "pim.h"

int
pim_mfa_check( Operation *op, pim_info *pi, struct berval *user,
	struct berval *code, const char **text )
{
	*text = "this role requires a one-time code, and this server cannot "
		"verify one yet";
	return LDAP_UNWILLING_TO_PERFORM;
}
