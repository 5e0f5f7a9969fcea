/* pim_test_util.h - helpers the unit tests and the fuzzers share.
 *
 * Header-only (static inline), so that the fuzzers, which clang builds
 * by explicit rules outside automake, need no object of their own.
 */
#ifndef PIM_TEST_UTIL_H
#define PIM_TEST_UTIL_H

#include <string.h>
#include <lber.h>

/* A berval over the C string s (not a copy). */
static inline struct berval
pim_t_bv( const char *s )
{
	struct berval b;

	b.bv_val = (char *)s;
	b.bv_len = strlen( s );
	return b;
}

/* Are all len bytes at p zero (a struct the decoder left untouched)? */
static inline int
pim_t_is_zero( const void *p, size_t len )
{
	const unsigned char *c = p;
	size_t i;

	for ( i = 0; i < len; i++ ) {
		if ( c[i] != 0 )
			return 0;
	}
	return 1;
}

/* The same bytes (either may point anywhere). */
static inline int
pim_t_bv_same( const struct berval *a, const struct berval *b )
{
	return a->bv_len == b->bv_len &&
		( a->bv_len == 0 || memcmp( a->bv_val, b->bv_val, a->bv_len ) == 0 );
}

/* A decoded string: present, it is min..max bytes long, lies inside
 * the input in and holds no NUL byte; absent, it is NULL and empty. */
static inline int
pim_t_str_ok( const struct berval *bv, int present, const struct berval *in,
	ber_len_t min, ber_len_t max )
{
	if ( !present )
		return bv->bv_val == NULL && bv->bv_len == 0;
	if ( bv->bv_len < min || bv->bv_len > max )
		return 0;
	if ( bv->bv_len == 0 )
		return 1;
	return bv->bv_val >= in->bv_val &&
		bv->bv_val + bv->bv_len <= in->bv_val + in->bv_len &&
		memchr( bv->bv_val, 0, bv->bv_len ) == NULL;
}

#endif /* PIM_TEST_UTIL_H */
