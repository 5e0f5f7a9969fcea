/* pim_totp.h - time-based one-time passwords (RFC 6238 over RFC 4226).
 *
 * Pure code with no slapd dependency, shared by the overlay and the
 * unit tests.  The HMAC comes from nettle, the library Debian's slapd
 * (and its otp overlay) already links.
 *
 * The parameters mirror the OATH-LDAP schema of OpenLDAP's otp overlay:
 * oathHMACAlgorithm, oathOTPLength, oathTOTPTimeStepPeriod and
 * oathTOTPTimeStepWindow; the last used step is oathTOTPLastTimeStep.
 */
#ifndef PIM_TOTP_H
#define PIM_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum pim_totp_hash {
	PIM_TOTP_SHA1, PIM_TOTP_SHA224, PIM_TOTP_SHA256, PIM_TOTP_SHA384,
	PIM_TOTP_SHA512
};

#define PIM_TOTP_MIN_DIGITS	6	/* RFC 4226 R4 */
#define PIM_TOTP_MAX_DIGITS	8	/* what a 31-bit value gives fully */
#define PIM_TOTP_MAX_PERIOD	86400L
/* A wider window would make a guessed code likelier to match than the
 * lockout expects. */
#define PIM_TOTP_MAX_WINDOW	10
/* Steps beyond the window that are still recognized, to tell a code
 * from a device whose clock is off from a wrong one.  Such a code is
 * refused all the same. */
#define PIM_TOTP_SKEW_STEPS	10

typedef struct pim_totp_params {
	enum pim_totp_hash	tp_hash;
	int			tp_digits;	/* 6..8 */
	long			tp_period;	/* seconds, 1..86400 */
	int			tp_window;	/* steps accepted either side */
} pim_totp_params;

/* How a code compares with the token. */
enum pim_totp_result {
	PIM_TOTP_OK,		/* matches a step in the window, unused */
	PIM_TOTP_WRONG,		/* matches nothing near now */
	PIM_TOTP_SKEW,		/* matches a step outside the window */
	PIM_TOTP_REPLAY,	/* matches a step already used */
	PIM_TOTP_MALFORMED	/* not digits, or not tp_digits of them */
};

/* An HMAC algorithm OID (RFC 8018, as in oathHMACAlgorithm): 0 and *h
 * set, or -1 if unknown. */
int pim_totp_hash_from_oid( const char *oid, size_t len,
	enum pim_totp_hash *h );
const char *pim_totp_hash_name( enum pim_totp_hash h );

/* 0 if p is usable, else -1 and *text says why. */
int pim_totp_params_check( const pim_totp_params *p, const char **text );

/* The time step of now (RFC 6238 T, with T0 = 0); -1 before 1970. */
int64_t pim_totp_step( time_t now, long period );

/* The HOTP value of counter as tp_digits decimal digits and a NUL into
 * out (at least PIM_TOTP_MAX_DIGITS + 1 bytes).  0, or -1 on bad
 * arguments. */
int pim_totp_hotp( const unsigned char *key, size_t keylen,
	enum pim_totp_hash h, int digits, uint64_t counter, char *out );

/* Compare code with the steps around now.  last is the last step used
 * (-1: none).  On PIM_TOTP_OK *step is the step the code belongs to:
 * the caller records it as the new last step.  Every candidate step is
 * computed and compared in constant time, whatever matches. */
enum pim_totp_result pim_totp_verify( const unsigned char *key,
	size_t keylen, const pim_totp_params *p, time_t now, int64_t last,
	const char *code, size_t codelen, int64_t *step );

/* Overwrite memory that held a secret or a code, in a way the compiler
 * keeps. */
void pim_totp_wipe( void *p, size_t len );

#endif /* PIM_TOTP_H */
