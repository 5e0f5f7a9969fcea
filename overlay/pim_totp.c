/* pim_totp.c - time-based one-time passwords (RFC 6238 over RFC 4226).
 *
 * Verification computes every candidate step and compares each in
 * constant time, so that how long a check takes says nothing about how
 * close a guess came.  Steps at or below the last used one never
 * verify: that is the replay guard the otp overlay's binds share.
 */
#include <string.h>

#include <nettle/hmac.h>

#include "pim_totp.h"

static const struct {
	const char		*oid;
	const char		*name;
	enum pim_totp_hash	hash;
} pim_totp_hashes[] = {
	/* RFC 8018 B.1; what oathHMACAlgorithm holds */
	{ "1.2.840.113549.2.7", "SHA1", PIM_TOTP_SHA1 },
	{ "1.2.840.113549.2.8", "SHA224", PIM_TOTP_SHA224 },
	{ "1.2.840.113549.2.9", "SHA256", PIM_TOTP_SHA256 },
	{ "1.2.840.113549.2.10", "SHA384", PIM_TOTP_SHA384 },
	{ "1.2.840.113549.2.11", "SHA512", PIM_TOTP_SHA512 },
	{ NULL, NULL, PIM_TOTP_SHA1 }
};

static const uint32_t pim_totp_pow10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000
};

int
pim_totp_hash_from_oid( const char *oid, size_t len, enum pim_totp_hash *h )
{
	int i;

	for ( i = 0; pim_totp_hashes[i].oid != NULL; i++ ) {
		if ( strlen( pim_totp_hashes[i].oid ) == len &&
			memcmp( pim_totp_hashes[i].oid, oid, len ) == 0 )
		{
			*h = pim_totp_hashes[i].hash;
			return 0;
		}
	}
	return -1;
}

const char *
pim_totp_hash_name( enum pim_totp_hash h )
{
	int i;

	for ( i = 0; pim_totp_hashes[i].oid != NULL; i++ ) {
		if ( pim_totp_hashes[i].hash == h )
			return pim_totp_hashes[i].name;
	}
	return "unknown";
}

int
pim_totp_params_check( const pim_totp_params *p, const char **text )
{
	if ( p->tp_hash < PIM_TOTP_SHA1 || p->tp_hash > PIM_TOTP_SHA512 ) {
		*text = "unsupported HMAC algorithm";
		return -1;
	}
	if ( p->tp_digits < PIM_TOTP_MIN_DIGITS ||
		p->tp_digits > PIM_TOTP_MAX_DIGITS )
	{
		*text = "a code must have 6 to 8 digits";
		return -1;
	}
	if ( p->tp_period < 1 || p->tp_period > PIM_TOTP_MAX_PERIOD ) {
		*text = "the time step period must be 1 to 86400 seconds";
		return -1;
	}
	if ( p->tp_window < 0 || p->tp_window > PIM_TOTP_MAX_WINDOW ) {
		*text = "the time step window must be 0 to 10 steps";
		return -1;
	}
	return 0;
}

int64_t
pim_totp_step( time_t now, long period )
{
	if ( now < 0 || period < 1 )
		return -1;
	return (int64_t)now / period;
}

void
pim_totp_wipe( void *p, size_t len )
{
	volatile unsigned char *v = p;

	while ( len-- > 0 )
		*v++ = 0;
}

/* HMAC(key, msg) into digest; returns the digest's length. */
static size_t
pim_totp_hmac( enum pim_totp_hash h, const unsigned char *key,
	size_t keylen, const uint8_t msg[8], uint8_t *digest )
{
	union {
		struct hmac_sha1_ctx	sha1;
		struct hmac_sha224_ctx	sha224;
		struct hmac_sha256_ctx	sha256;
		struct hmac_sha384_ctx	sha384;
		struct hmac_sha512_ctx	sha512;
	} ctx;
	size_t len = 0;

#define PIM_TOTP_HMAC( alg, size ) \
	hmac_##alg##_set_key( &ctx.alg, keylen, key ); \
	hmac_##alg##_update( &ctx.alg, 8, msg ); \
	hmac_##alg##_digest( &ctx.alg, (size), digest ); \
	len = (size)

	switch ( h ) {
	case PIM_TOTP_SHA1: PIM_TOTP_HMAC( sha1, SHA1_DIGEST_SIZE ); break;
	case PIM_TOTP_SHA224: PIM_TOTP_HMAC( sha224, SHA224_DIGEST_SIZE ); break;
	case PIM_TOTP_SHA256: PIM_TOTP_HMAC( sha256, SHA256_DIGEST_SIZE ); break;
	case PIM_TOTP_SHA384: PIM_TOTP_HMAC( sha384, SHA384_DIGEST_SIZE ); break;
	case PIM_TOTP_SHA512: PIM_TOTP_HMAC( sha512, SHA512_DIGEST_SIZE ); break;
	}
#undef PIM_TOTP_HMAC
	/* the keyed state is as good as the key */
	pim_totp_wipe( &ctx, sizeof( ctx ) );
	return len;
}

int
pim_totp_hotp( const unsigned char *key, size_t keylen,
	enum pim_totp_hash h, int digits, uint64_t counter, char *out )
{
	uint8_t msg[8], digest[SHA512_DIGEST_SIZE];
	uint32_t bin;
	size_t len, off;
	int i;

	if ( key == NULL || keylen == 0 || digits < 1 ||
		digits > PIM_TOTP_MAX_DIGITS ||
		h < PIM_TOTP_SHA1 || h > PIM_TOTP_SHA512 )
		return -1;
	for ( i = 7; i >= 0; i-- ) {
		msg[i] = counter & 0xff;
		counter >>= 8;
	}
	len = pim_totp_hmac( h, key, keylen, msg, digest );

	/* RFC 4226 5.3: dynamic truncation */
	off = digest[len - 1] & 0x0f;
	bin = ( (uint32_t)( digest[off] & 0x7f ) << 24 ) |
		( (uint32_t)digest[off + 1] << 16 ) |
		( (uint32_t)digest[off + 2] << 8 ) |
		(uint32_t)digest[off + 3];
	bin %= pim_totp_pow10[digits];
	for ( i = digits - 1; i >= 0; i-- ) {
		out[i] = (char)( '0' + bin % 10 );
		bin /= 10;
	}
	out[digits] = '\0';
	pim_totp_wipe( digest, sizeof( digest ) );
	return 0;
}

/* 1 if the n bytes at a and b are equal, in time that depends on n
 * only. */
static unsigned
pim_totp_equal( const char *a, const char *b, size_t n )
{
	unsigned diff = 0;
	size_t i;

	for ( i = 0; i < n; i++ )
		diff |= (unsigned char)( a[i] ^ b[i] );
	return 1 & ( ( diff - 1 ) >> 8 );
}

static int
pim_totp_code_ok( const pim_totp_params *p, const char *code, size_t len )
{
	size_t i;

	if ( code == NULL || len != (size_t)p->tp_digits )
		return 0;
	for ( i = 0; i < len; i++ ) {
		if ( code[i] < '0' || code[i] > '9' )
			return 0;
	}
	return 1;
}

enum pim_totp_result
pim_totp_verify( const unsigned char *key, size_t keylen,
	const pim_totp_params *p, time_t now, int64_t last,
	const char *code, size_t codelen, int64_t *step )
{
	char want[PIM_TOTP_MAX_DIGITS + 1];
	int64_t t = pim_totp_step( now, p->tp_period ), s, found = -1;
	unsigned ok = 0, used = 0, near = 0;
	int d, reach = p->tp_window + PIM_TOTP_SKEW_STEPS;
	const char *text;

	if ( pim_totp_params_check( p, &text ) != 0 ||
		!pim_totp_code_ok( p, code, codelen ) )
		return PIM_TOTP_MALFORMED;
	if ( t < 0 )
		return PIM_TOTP_WRONG;

	for ( d = -reach; d <= reach; d++ ) {
		unsigned eq, inside, fresh;

		s = t + d;
		if ( s < 0 ||
			pim_totp_hotp( key, keylen, p->tp_hash, p->tp_digits,
				(uint64_t)s, want ) != 0 )
			continue;
		eq = pim_totp_equal( want, code, codelen );
		inside = ( d >= -p->tp_window && d <= p->tp_window );
		fresh = ( s > last );
		/* the first fresh match inside the window wins */
		if ( eq & inside & fresh & !ok )
			found = s;
		ok |= eq & inside & fresh;
		used |= eq & !fresh;
		near |= eq;
	}
	pim_totp_wipe( want, sizeof( want ) );

	if ( ok ) {
		*step = found;
		return PIM_TOTP_OK;
	}
	if ( used )
		return PIM_TOTP_REPLAY;
	return near ? PIM_TOTP_SKEW : PIM_TOTP_WRONG;
}
