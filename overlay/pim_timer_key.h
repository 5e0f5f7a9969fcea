/* pim_timer_key.h - the timer's compact key for a PIM entry's DN.
 *
 * Pure code (no slapd dependency), shared by pim_timer.c and the unit
 * tests.  Most timer events look at a PIM entry that pim_entry.c named
 * "pimId=<UUID>,<container>" with an identifier from lutil_uuidstr; in
 * normalized form (dnNormalize: the attribute type's canonical name,
 * the value through pimId's caseIgnoreIA5Match) that is
 *
 *   "pimId=" + 36 lower-case characters 8-4-4-4-12 + "," + container
 *
 * The heap keeps such a DN as the UUID's 16 bytes and writes it back
 * when the event fires.  The encoding accepts exactly what the decoding
 * writes, byte for byte, so the round trip cannot change a DN: any
 * other DN (an identifier that is not a UUID, upper case, another
 * container, another attribute) is refused, and the caller keeps the
 * DN itself.
 */
#ifndef PIM_TIMER_KEY_H
#define PIM_TIMER_KEY_H

#include <stddef.h>
#include <string.h>

#define PIM_TKEY_SIZE		16	/* the UUID's bytes */
#define PIM_TKEY_PREFIX		"pimId="
#define PIM_TKEY_PREFIX_LEN	( sizeof( PIM_TKEY_PREFIX ) - 1 )
#define PIM_TKEY_UUID_LEN	36
/* "pimId=<UUID>," */
#define PIM_TKEY_HEAD_LEN	( PIM_TKEY_PREFIX_LEN + PIM_TKEY_UUID_LEN + 1 )

/* The length of the DN a key stands for, in a container of ncont_len
 * bytes (without the NUL). */
static inline size_t
pim_tkey_dn_len( size_t ncont_len )
{
	return PIM_TKEY_HEAD_LEN + ncont_len;
}

/* A lower-case hexadecimal digit's value, or -1. */
static inline int
pim_tkey_hex( char c )
{
	if ( c >= '0' && c <= '9' )
		return c - '0';
	if ( c >= 'a' && c <= 'f' )
		return c - 'a' + 10;
	return -1;
}

/* Where the UUID's dashes are (as lutil_uuidstr writes them). */
static inline int
pim_tkey_is_dash_at( size_t i )
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

/* 1 and key[] when ndn (ndn_len bytes, normalized) is exactly
 * "pimId=<lower-case UUID>,<ncont>"; 0 otherwise (key[] is then
 * undefined). */
static inline int
pim_tkey_encode( const char *ndn, size_t ndn_len, const char *ncont,
	size_t ncont_len, unsigned char key[PIM_TKEY_SIZE] )
{
	const char *u;
	size_t i, k = 0;

	if ( ndn == NULL || ncont == NULL || ncont_len == 0 ||
		ndn_len != pim_tkey_dn_len( ncont_len ) ||
		memcmp( ndn, PIM_TKEY_PREFIX, PIM_TKEY_PREFIX_LEN ) != 0 ||
		ndn[PIM_TKEY_HEAD_LEN - 1] != ',' ||
		memcmp( ndn + PIM_TKEY_HEAD_LEN, ncont, ncont_len ) != 0 )
		return 0;
	u = ndn + PIM_TKEY_PREFIX_LEN;
	for ( i = 0; i < PIM_TKEY_UUID_LEN; ) {
		int hi, lo;

		if ( pim_tkey_is_dash_at( i ) ) {
			if ( u[i++] != '-' )
				return 0;
			continue;
		}
		hi = pim_tkey_hex( u[i] );
		lo = pim_tkey_hex( u[i + 1] );
		if ( hi < 0 || lo < 0 )
			return 0;
		key[k++] = (unsigned char)( hi << 4 | lo );
		i += 2;
	}
	return 1;
}

/* Write the DN key stands for into buf, which holds at least
 * pim_tkey_dn_len( ncont_len ) + 1 bytes, with a NUL after it. */
static inline void
pim_tkey_decode( const unsigned char key[PIM_TKEY_SIZE], const char *ncont,
	size_t ncont_len, char *buf )
{
	static const char hex[] = "0123456789abcdef";
	char *u = buf + PIM_TKEY_PREFIX_LEN;
	size_t i, k = 0;

	memcpy( buf, PIM_TKEY_PREFIX, PIM_TKEY_PREFIX_LEN );
	for ( i = 0; i < PIM_TKEY_UUID_LEN; ) {
		if ( pim_tkey_is_dash_at( i ) ) {
			u[i++] = '-';
			continue;
		}
		u[i++] = hex[key[k] >> 4];
		u[i++] = hex[key[k] & 0xf];
		k++;
	}
	buf[PIM_TKEY_HEAD_LEN - 1] = ',';
	memcpy( buf + PIM_TKEY_HEAD_LEN, ncont, ncont_len );
	buf[PIM_TKEY_HEAD_LEN + ncont_len] = '\0';
}

#endif /* PIM_TIMER_KEY_H */
