/* pim_codec.h - BER encoding and decoding of the PIM extended operations.
 *
 * Pure code: depends on liblber only, so that the overlay, pimctl and the
 * unit tests share it.  Every verb uses one request shape (see
 * docs/protocol.md); a verb states which optional fields it allows and
 * which it requires, and the decoder refuses anything else.
 *
 * PimRequest ::= SEQUENCE {
 *     role          LDAPDN,
 *     principal     [0] LDAPDN            OPTIONAL,
 *     activationId  [1] OCTET STRING      OPTIONAL,
 *     duration      [2] INTEGER (1..MAX)  OPTIONAL,  -- seconds
 *     justification [3] OCTET STRING      OPTIONAL,
 *     ticket        [4] OCTET STRING      OPTIONAL,
 *     startTime     [5] GeneralizedTime   OPTIONAL,
 *     endTime       [6] GeneralizedTime   OPTIONAL,
 *     kind          [7] ENUMERATED { eligible(0), active(1) } OPTIONAL,
 *     permanent     [8] BOOLEAN           OPTIONAL,
 *     otp           [11] OCTET STRING     OPTIONAL,  -- TOTP code
 *     decision      [12] ENUMERATED { approve(0), deny(1), dontKnow(2) }
 *                                         OPTIONAL,  -- review verbs
 *     recommended   [13] BOOLEAN          OPTIONAL,
 *     settings      [14] OCTET STRING     OPTIONAL }  -- LDIF lines
 *
 * The review verbs use the same shape: role is then the target (the
 * review entry acted on, or for reviewCreate any DN of the database),
 * and justification the reason of a decision.
 *
 * PimResponse ::= SEQUENCE {
 *     activationId  [1] OCTET STRING      OPTIONAL,
 *     startTime     [5] GeneralizedTime   OPTIONAL,
 *     endTime       [6] GeneralizedTime   OPTIONAL,
 *     state         [9] OCTET STRING      OPTIONAL,
 *     count         [10] INTEGER          OPTIONAL }
 *
 * Optional fields appear in ascending tag order, at most once each.
 * INTEGERs use the minimal encoding X.690 requires; BOOLEAN is one
 * octet, any non-zero value TRUE (the encoder writes DER's 0xFF).
 * Strings must not contain NUL bytes; role, principal, activationId and
 * state must not be empty, while an empty justification or ticket is
 * left for the policy to judge.  endTime and permanent exclude each
 * other by presence (even permanent FALSE).  count is 0 .. 2^31-1.
 */
#ifndef PIM_CODEC_H
#define PIM_CODEC_H

#include <time.h>
#include <lber.h>

/* A macro's value as a string literal, for diagnostics naming a limit. */
#define PIM_STR_(x)	#x
#define PIM_STR(x)	PIM_STR_(x)

/* Size limits the decoder enforces (bytes).  Policy limits, such as the
 * 500-character justification, are checked later and separately; these
 * only bound what a request may carry at all. */
#define PIM_MAX_REQUEST		65536
#define PIM_MAX_DN		4096
#define PIM_MAX_ID		128	/* an activation id, at both doors */
#define PIM_MAX_TEXT		8192	/* justification */
#define PIM_MAX_TICKET		256
#define PIM_MAX_STATE		32
#define PIM_MAX_OTP		16
#define PIM_MAX_SETTINGS	16384	/* a review definition's LDIF */

/* Context tags of the optional fields. */
#define PIM_TAG_PRINCIPAL	((ber_tag_t) 0x80U)	/* [0] primitive */
#define PIM_TAG_ID		((ber_tag_t) 0x81U)
#define PIM_TAG_DURATION	((ber_tag_t) 0x82U)
#define PIM_TAG_JUSTIFICATION	((ber_tag_t) 0x83U)
#define PIM_TAG_TICKET		((ber_tag_t) 0x84U)
#define PIM_TAG_START		((ber_tag_t) 0x85U)
#define PIM_TAG_END		((ber_tag_t) 0x86U)
#define PIM_TAG_KIND		((ber_tag_t) 0x87U)
#define PIM_TAG_PERMANENT	((ber_tag_t) 0x88U)
#define PIM_TAG_STATE		((ber_tag_t) 0x89U)
#define PIM_TAG_COUNT		((ber_tag_t) 0x8aU)
#define PIM_TAG_OTP		((ber_tag_t) 0x8bU)
#define PIM_TAG_DECISION	((ber_tag_t) 0x8cU)
#define PIM_TAG_RECOMMENDED	((ber_tag_t) 0x8dU)
#define PIM_TAG_SETTINGS	((ber_tag_t) 0x8eU)

/* Field bits: which fields a request carries, allows or requires. */
#define PIM_F_PRINCIPAL		0x001U
#define PIM_F_ID		0x002U
#define PIM_F_DURATION		0x004U
#define PIM_F_JUSTIFICATION	0x008U
#define PIM_F_TICKET		0x010U
#define PIM_F_START		0x020U
#define PIM_F_END		0x040U
#define PIM_F_KIND		0x080U
#define PIM_F_PERMANENT		0x100U
#define PIM_F_OTP		0x800U	/* bit 11, like its tag */
#define PIM_F_DECISION		0x1000U
#define PIM_F_RECOMMENDED	0x2000U
#define PIM_F_SETTINGS		0x4000U

enum pim_verb {
	PIM_VERB_ACTIVATE = 0,
	PIM_VERB_DEACTIVATE,
	PIM_VERB_ASSIGN,
	PIM_VERB_REMOVE,
	PIM_VERB_EXTEND,
	PIM_VERB_APPROVE,
	PIM_VERB_DENY,
	PIM_VERB_CANCEL,
	PIM_VERB_REVIEW_CREATE,
	PIM_VERB_REVIEW_MODIFY,
	PIM_VERB_REVIEW_DELETE,
	PIM_VERB_REVIEW_DECIDE,
	PIM_VERB_REVIEW_APPLY,
	PIM_VERB_REVIEW_STOP,
	PIM_VERB_COUNT
};

enum pim_kind { PIM_KIND_ELIGIBLE = 0, PIM_KIND_ACTIVE = 1 };

/* A reviewer's decision on an access review item (field [12]). */
enum pim_decision { PIM_DECISION_APPROVE = 0, PIM_DECISION_DENY = 1,
	PIM_DECISION_DONTKNOW = 2 };

/* A decoded request.  The bervals point into the buffer that was
 * decoded (no copies): the request lives no longer than that buffer.
 * An absent field has bv_val == NULL; pr_fields says which are present. */
typedef struct pim_request {
	unsigned	pr_fields;
	struct berval	pr_role;
	struct berval	pr_principal;
	struct berval	pr_id;
	long		pr_duration;	/* seconds */
	struct berval	pr_justification;
	struct berval	pr_ticket;
	time_t		pr_start;
	time_t		pr_end;
	int		pr_kind;	/* enum pim_kind */
	int		pr_permanent;	/* 0 or 1 */
	struct berval	pr_otp;		/* a one-time code */
	int		pr_decision;	/* enum pim_decision */
	int		pr_recommended;	/* 0 or 1 */
	struct berval	pr_settings;	/* LDIF attribute lines */
} pim_request;

#define PIM_RF_ID	0x01U
#define PIM_RF_START	0x02U
#define PIM_RF_END	0x04U
#define PIM_RF_STATE	0x08U
#define PIM_RF_COUNT	0x10U

typedef struct pim_response {
	unsigned	ps_fields;	/* PIM_RF_* */
	struct berval	ps_id;
	time_t		ps_start;
	time_t		ps_end;
	struct berval	ps_state;
	long		ps_count;
} pim_response;

/* The fields each verb allows and requires (a table, so that the
 * overlay, pimctl and docs/protocol.md agree). */
unsigned pim_verb_allowed( enum pim_verb verb );
unsigned pim_verb_required( enum pim_verb verb );
const char *pim_verb_name( enum pim_verb verb );

/* Encode into *out, allocated with ber_memalloc(); the caller frees it
 * with ber_memfree( out->bv_val ).  Returns 0, or -1 (with *out empty)
 * on a request that breaks the limits above or the verb's field rules:
 * the encoder decodes its own output, so it never emits what
 * pim_request_decode() would refuse. */
int pim_request_encode( enum pim_verb verb, const pim_request *req,
	struct berval *out );

/* Decode *in for verb.  Returns LDAP_SUCCESS (0, *text set to NULL) or
 * LDAP_PROTOCOL_ERROR (2) with *text set to a static diagnostic naming
 * the verb and what is wrong (truncated, trailing data, field not
 * allowed, out of order, too long, bad time, duration out of range,
 * missing required field), e.g. "activate request: field [4] ticket
 * longer than 256 bytes".  LDAP_NO_MEMORY if the one small allocation
 * a decode makes fails.  On error *req is left zeroed.  text may be
 * NULL.  Every read stays inside in; the input is never modified. */
int pim_request_decode( enum pim_verb verb, const struct berval *in,
	pim_request *req, const char **text );

int pim_response_encode( const pim_response *rsp, struct berval *out );
int pim_response_decode( const struct berval *in, pim_response *rsp,
	const char **text );

#endif /* PIM_CODEC_H */
