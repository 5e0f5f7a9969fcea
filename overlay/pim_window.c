/* pim_window.c - when a PIM value may be seen: the read-time window.
 *
 * The purge removes a membership value at most about a second after its
 * activation ends, and a consumer or a peer provider removes it only
 * when the removal replicates to it.  Until then the stored value would
 * still compare TRUE.  So every server that loads the module keeps, in
 * memory, the window of every (role, principal) pair that PIM activations
 * back, from the activation entries it sees written (its own writes,
 * clients' and replicated ones alike) and rebuilt from the directory
 * when the database opens; reads then see a value PIM added only while
 * an active activation of that pair has not reached its end
 * (pim_window_open).  Static values are the site's and always seen.
 *
 * The index: a hash table of pairs, each with a list of the active
 * activations that back it (each a node with its end), and a second hash
 * table of those same nodes by activation, each naming its pair, so that
 * a write of one finds what it changes.  Pairs are a hash table rather
 * than a tree because every compare of a membership value looks one up:
 * with a hundred thousand pairs a tree walk was some seventeen cache
 * misses, a chain is one or two.  A pair whose last activation ended
 * stays in the table, closed, so that a value the purge has not removed
 * yet is known to be stale.  pi_win_lock (a reader/writer lock, a leaf)
 * guards it; reads take it shared.  Until the first build is done every
 * PIM value is treated as closed: a second without a just-in-time
 * privilege at startup, never one too many.
 */
#include "pim.h"
#include "pim_timer_key.h"
#include "ldap_avl.h"

/* An activation, as the window names it: the 16 bytes of its UUID when
 * its DN is PIM's own "pimId=<UUID>,<container>" (pim_timer_key.h:
 * the round trip cannot change a DN), the DN itself otherwise. */
typedef struct pim_win_id {
	union {
		unsigned char	wi_key[PIM_TKEY_SIZE];
		struct berval	wi_dn;		/* ch_malloc */
	} wi_u;
	unsigned char	wi_wide;	/* wi_dn holds the DN */
} pim_win_id;

/* The roles PIM activations are known to have held (never forgotten
 * while the database is open): a memberOf value of one of them is
 * looked at, of any other group it is the site's.
 *
 * Each also keeps the memo of the last look at its entry that found
 * every PIM value open: those values, byte for byte, and the earliest
 * end among their pairs.  A look at a role of a thousand members is a
 * thousand pair lookups, most of them cache misses (what made a read of
 * a large role some 13% slower than without the overlay); while the
 * memo holds, it is one comparison of the entry's pimManagedMember with
 * the memo's bytes instead.  It holds while no pair of the role has
 * been written since (a write of any frees it: pim_win_role_bump) and
 * the clock is before that earliest end; a value, an order or a count
 * that differs is simply the slow path.  So the memo never says "open"
 * of a value the lookups would call closed. */
typedef struct pim_win_memo {
	time_t		wm_until;	/* the earliest w_until; FOREVER */
	unsigned	wm_n;		/* values */
	size_t		wm_len;		/* bytes in wm_bytes */
	/* per value its length (4 bytes, native order), then its bytes */
	unsigned char	wm_bytes[];
} pim_win_memo;

typedef struct pim_win_role {
	struct berval	wr_dn;		/* first: the tree compares bervals */
	unsigned long	wr_gen;		/* writes of its pairs */
	pim_win_memo	*wr_memo;	/* ch_malloc, or NULL */
} pim_win_role;

/* Fewest values worth a memo, and the most bytes all memos may hold (a
 * memo is the size of the values it holds; past the cap roles are
 * simply looked up value by value). */
#define PIM_WIN_MEMO_MIN	16
#define PIM_WIN_MEMO_CAP	( 16UL << 20 )

/* A pair.  Its key is most of the window's memory per activation, so
 * it holds what is not shared: the role is its record (one per role),
 * and the principal's DN is split at its first comma into the bytes
 * before it, kept here, and the rest, its parent, kept once for all the
 * principals of that parent (pi_win_parents: ou=people, most often).
 * The split is at a byte, so it is exact: a DN is equal to the pair's
 * principal when it is those bytes, a comma and that parent, whatever
 * the comma means.  A principal with no comma has no parent (NULL). */
typedef struct pim_win {
	struct pim_win	*w_next;	/* the hash chain */
	struct pim_win_act *w_acts;	/* the activations that back it */
	time_t		w_until;	/* open until; PIM_WIN_FOREVER, or 0 */
	pim_win_role	*w_role;
	struct berval	*w_parent;	/* in pi_win_parents, or NULL */
	/* a DN in a request is bounded by slapd's PDU limit, far below
	 * 4 GiB */
	unsigned	w_rdnlen;
	char		w_rdn[];	/* the principal up to its first comma */
} pim_win;

#define PIM_WIN_FOREVER	((time_t)-1)	/* a permanent activation backs it */
#define PIM_WIN_MIN_BUCKETS	64

/* An active activation: one node, in its pair's list and in the
 * second hash table (by activation), so that a write of it finds what
 * it changes. */
typedef struct pim_win_act {
	struct pim_win_act *wa_hnext;	/* the table's chain */
	struct pim_win_act *wa_next;	/* its pair's other activations */
	pim_win		*wa_win;
	time_t		wa_end;		/* 0: permanent */
	pim_win_id	wa_act;
} pim_win_act;

static int
pim_bv_cmp( const struct berval *x, const struct berval *y )
{
	if ( x->bv_len != y->bv_len )
		return x->bv_len < y->bv_len ? -1 : 1;
	return memcmp( x->bv_val, y->bv_val, x->bv_len );
}

/* act's name; *id borrows act's bytes when the key does not fit (a
 * probe), pim_win_id_keep makes it the window's own. */
static void
pim_win_id_of( pim_info *pi, struct berval *act, pim_win_id *id )
{
	memset( id, 0, sizeof( *id ) );
	if ( !pim_tkey_encode( act->bv_val, act->bv_len,
		pi->pi_key_ncontainer.bv_val, pi->pi_key_ncontainer.bv_len,
		id->wi_u.wi_key ) ) {
		id->wi_wide = 1;
		id->wi_u.wi_dn = *act;
	}
}

static void
pim_win_id_keep( pim_win_id *id )
{
	if ( id->wi_wide )
		ber_dupbv( &id->wi_u.wi_dn, &id->wi_u.wi_dn );
}

static void
pim_win_id_free( pim_win_id *id )
{
	if ( id->wi_wide )
		ch_free( id->wi_u.wi_dn.bv_val );
}

static int
pim_win_id_cmp( const pim_win_id *x, const pim_win_id *y )
{
	if ( x->wi_wide != y->wi_wide )
		return x->wi_wide < y->wi_wide ? -1 : 1;
	if ( x->wi_wide )
		return pim_bv_cmp( &x->wi_u.wi_dn, &y->wi_u.wi_dn );
	return memcmp( x->wi_u.wi_key, y->wi_u.wi_key, PIM_TKEY_SIZE );
}

static void
pim_win_act_free( pim_win_act *wa )
{
	pim_win_id_free( &wa->wa_act );
	ch_free( wa );
}

/* The pair's hash, eight bytes at a time (a multiply and a shift per
 * word: byte-at-a-time FNV was most of the cost of a compare's lookup):
 * the role's part, then the principal's, so that the principals of one
 * role hash the role once (pim_window_open_many).  Only this file sees
 * the values, so the function may change. */
#define PIM_WIN_K	0x9e3779b97f4a7c15ULL

static unsigned long long
pim_win_mix( unsigned long long h, struct berval *bv )
{
	const char *p = bv->bv_val;
	ber_len_t n = bv->bv_len;
	unsigned long long w;

	for ( ; n >= 8; n -= 8, p += 8 ) {
		memcpy( &w, p, 8 );
		h = ( h ^ w ) * PIM_WIN_K;
		h ^= h >> 31;
	}
	w = (unsigned long long)bv->bv_len << 56;	/* the tail, and the length */
	memcpy( &w, p, n );
	h = ( h ^ w ) * PIM_WIN_K;
	return h ^ ( h >> 29 );
}

static unsigned
pim_win_hash_role( struct berval *role )
{
	unsigned long long x = pim_win_mix( PIM_WIN_K, role );

	return (unsigned)( x >> 32 ) ^ (unsigned)x;
}

static unsigned
pim_win_hash_principal( unsigned h, struct berval *principal )
{
	unsigned long long x = pim_win_mix( h, principal );

	return (unsigned)( x >> 32 ) ^ (unsigned)x;
}

static unsigned
pim_win_hash( struct berval *role, struct berval *principal )
{
	return pim_win_hash_principal( pim_win_hash_role( role ), principal );
}

/* Is w the pair (role, principal)?  Byte for byte (see pim_win). */
static int
pim_win_is( const pim_win *w, struct berval *role, struct berval *principal )
{
	const struct berval *pa = w->w_parent;
	ber_len_t n = w->w_rdnlen;

	if ( pa == NULL ? principal->bv_len != n :
		principal->bv_len != n + 1 + pa->bv_len )
		return 0;
	if ( memcmp( w->w_rdn, principal->bv_val, n ) != 0 )
		return 0;
	if ( pa != NULL && ( principal->bv_val[n] != ',' ||
		memcmp( principal->bv_val + n + 1, pa->bv_val, pa->bv_len ) != 0 ) )
		return 0;
	return w->w_role->wr_dn.bv_len == role->bv_len &&
		memcmp( w->w_role->wr_dn.bv_val, role->bv_val, role->bv_len ) == 0;
}

/* The pair (role, principal), both normalized, or NULL; h is their
 * pim_win_hash.  Caller holds the lock, shared or not. */
static pim_win *
pim_win_find( pim_info *pi, struct berval *role, struct berval *principal,
	unsigned h )
{
	pim_win *w;

	if ( pi->pi_win == NULL )
		return NULL;
	for ( w = pi->pi_win[h & pi->pi_win_mask]; w != NULL; w = w->w_next )
		if ( pim_win_is( w, role, principal ) )
			return w;
	return NULL;
}

/* w's principal, into *buf (ch_realloc'ed, *size its size). */
static void
pim_win_principal( const pim_win *w, char **buf, size_t *size,
	struct berval *principal )
{
	size_t len = w->w_rdnlen +
		( w->w_parent ? 1 + w->w_parent->bv_len : 0 );

	if ( len + 1 > *size ) {
		*size = len + 1;
		*buf = ch_realloc( *buf, *size );
	}
	memcpy( *buf, w->w_rdn, w->w_rdnlen );
	if ( w->w_parent != NULL ) {
		( *buf )[w->w_rdnlen] = ',';
		memcpy( *buf + w->w_rdnlen + 1, w->w_parent->bv_val,
			w->w_parent->bv_len );
	}
	principal->bv_val = *buf;
	principal->bv_len = len;
}

/* Double the buckets when the pairs outnumber them (and make the first
 * ones).  Caller holds the lock exclusively. */
static void
pim_win_grow( pim_info *pi )
{
	unsigned long i, n = pi->pi_win ? pi->pi_win_mask + 1UL : 0;
	unsigned long nn = n ? n * 2 : PIM_WIN_MIN_BUCKETS;
	pim_win **nb, *w, *next;
	struct berval principal;
	char *buf = NULL;
	size_t size = 0;
	unsigned h;

	if ( pi->pi_win != NULL && pi->pi_win_count < n )
		return;
	nb = ch_calloc( nn, sizeof( *nb ) );
	/* (no hash kept in the pair: it is made again, once per doubling) */
	for ( i = 0; i < n; i++ ) {
		for ( w = pi->pi_win[i]; w != NULL; w = next ) {
			next = w->w_next;
			pim_win_principal( w, &buf, &size, &principal );
			h = pim_win_hash( &w->w_role->wr_dn, &principal );
			w->w_next = nb[h & ( nn - 1 )];
			nb[h & ( nn - 1 )] = w;
		}
	}
	ch_free( buf );
	ch_free( pi->pi_win );
	pi->pi_win = nb;
	pi->pi_win_mask = (unsigned)( nn - 1 );
}

static int
pim_win_parent_cmp( const void *a, const void *b )
{
	return pim_bv_cmp( a, b );
}

static void
pim_win_parent_free( void *arg )
{
	ber_bvfree( arg );
}

/* The parent record of bytes, added if it is new (kept until the
 * database closes, as the roles).  Caller holds the lock exclusively. */
static struct berval *
pim_win_parent( pim_info *pi, struct berval *bytes )
{
	struct berval *pa = ldap_avl_find( pi->pi_win_parents, bytes,
		pim_win_parent_cmp );

	if ( pa == NULL ) {
		pa = ber_dupbv( NULL, bytes );
		ldap_avl_insert( &pi->pi_win_parents, pa, pim_win_parent_cmp,
			ldap_avl_dup_error );
	}
	return pa;
}

/* The pair of wr's role and principal, added closed if it is new.
 * Caller holds the lock exclusively. */
static pim_win *
pim_win_get( pim_info *pi, pim_win_role *wr, struct berval *principal )
{
	unsigned h = pim_win_hash( &wr->wr_dn, principal );
	pim_win *w = pim_win_find( pi, &wr->wr_dn, principal, h );
	char *comma;
	ber_len_t n = principal->bv_len;

	if ( w != NULL )
		return w;
	pim_win_grow( pi );
	comma = memchr( principal->bv_val, ',', principal->bv_len );
	if ( comma != NULL )
		n = comma - principal->bv_val;
	/* (the bytes start where the struct's tail padding does) */
	w = ch_calloc( 1, offsetof( pim_win, w_rdn ) + n );
	w->w_role = wr;
	w->w_rdnlen = (unsigned)n;
	memcpy( w->w_rdn, principal->bv_val, n );
	if ( comma != NULL ) {
		struct berval rest;

		rest.bv_val = comma + 1;
		rest.bv_len = principal->bv_len - n - 1;
		w->w_parent = pim_win_parent( pi, &rest );
	}
	w->w_next = pi->pi_win[h & pi->pi_win_mask];
	pi->pi_win[h & pi->pi_win_mask] = w;
	pi->pi_win_count++;
	return w;
}

/* w_until from the references, so that a read is one comparison. */
static void
pim_win_until( pim_win *w )
{
	pim_win_act *wa;

	w->w_until = 0;
	for ( wa = w->w_acts; wa != NULL && w->w_until != PIM_WIN_FOREVER;
		wa = wa->wa_next ) {
		if ( wa->wa_end == 0 )
			w->w_until = PIM_WIN_FOREVER;
		else if ( wa->wa_end > w->w_until )
			w->w_until = wa->wa_end;
	}
}

static int
pim_win_role_cmp( const void *a, const void *b )
{
	return pim_bv_cmp( a, b );
}

static void
pim_win_role_free( void *arg )
{
	pim_win_role *wr = arg;

	ch_free( wr->wr_memo );
	ch_free( wr->wr_dn.bv_val );
	ch_free( wr );
}

static pim_win_role *
pim_win_role_find( pim_info *pi, struct berval *role )
{
	return ldap_avl_find( pi->pi_win_roles, role, pim_win_role_cmp );
}

static void
pim_win_memo_drop( pim_info *pi, pim_win_role *wr )
{
	if ( wr->wr_memo == NULL )
		return;
	pi->pi_win_memo_bytes -= wr->wr_memo->wm_len;
	ch_free( wr->wr_memo );
	wr->wr_memo = NULL;
}

/* A pair of wr's role is written: its memo goes, and a look that
 * started before will not keep one.  Caller holds the lock
 * exclusively. */
static void
pim_win_role_bump( pim_info *pi, pim_win_role *wr )
{
	wr->wr_gen++;
	pim_win_memo_drop( pi, wr );
}

/* The record of role, made if it is new, for a pair of it about to be
 * written (pim_win_role_bump).  Caller holds the lock exclusively. */
static pim_win_role *
pim_win_role_touch( pim_info *pi, struct berval *role )
{
	pim_win_role *wr = pim_win_role_find( pi, role );

	if ( wr == NULL ) {
		wr = ch_calloc( 1, sizeof( *wr ) );
		ber_dupbv( &wr->wr_dn, role );
		ldap_avl_insert( &pi->pi_win_roles, wr, pim_win_role_cmp,
			ldap_avl_dup_error );
	}
	pim_win_role_bump( pi, wr );
	return wr;
}

/* A pair and the activations in its list. */
static void
pim_win_free( pim_win *w )
{
	pim_win_act *wa, *next;

	for ( wa = w->w_acts; wa != NULL; wa = next ) {
		next = wa->wa_next;
		pim_win_act_free( wa );
	}
	ch_free( w );
}

static void
pim_win_free_all( pim_info *pi )
{
	unsigned long i;
	pim_win *w, *next;

	ch_free( pi->pi_wact );		/* its nodes are the pairs' */
	pi->pi_wact = NULL;
	pi->pi_wact_mask = 0;
	pi->pi_wact_count = 0;

	for ( i = 0; pi->pi_win != NULL && i <= pi->pi_win_mask; i++ ) {
		for ( w = pi->pi_win[i]; w != NULL; w = next ) {
			next = w->w_next;
			pim_win_free( w );
		}
	}
	ch_free( pi->pi_win );
	pi->pi_win = NULL;
	pi->pi_win_mask = 0;
	pi->pi_win_count = 0;
}

void
pim_window_init( pim_info *pi )
{
	ldap_pvt_thread_rdwr_init( &pi->pi_win_lock );
	pi->pi_win = NULL;
	pi->pi_win_mask = 0;
	pi->pi_win_count = 0;
	pi->pi_wact = NULL;
	pi->pi_wact_mask = 0;
	pi->pi_wact_count = 0;
	pi->pi_win_ready = 0;
	pi->pi_win_roles = NULL;
	pi->pi_win_parents = NULL;
	pi->pi_win_memo_bytes = 0;
}

/* Forget every pair, role and memo, and treat every PIM value as closed
 * until the build is done: a database that opens again is read afresh,
 * since what was written while it was closed was not watched. */
void
pim_window_reset( pim_info *pi )
{
	ldap_pvt_thread_rdwr_wlock( &pi->pi_win_lock );
	pi->pi_win_ready = 0;
	pim_win_free_all( pi );		/* (its pairs name the records) */
	ldap_avl_free( pi->pi_win_roles, pim_win_role_free );
	pi->pi_win_roles = NULL;
	ldap_avl_free( pi->pi_win_parents, pim_win_parent_free );
	pi->pi_win_parents = NULL;
	pi->pi_win_memo_bytes = 0;
	ldap_pvt_thread_rdwr_wunlock( &pi->pi_win_lock );
}

void
pim_window_destroy( pim_info *pi )
{
	pim_window_reset( pi );
	ldap_pvt_thread_rdwr_destroy( &pi->pi_win_lock );
}

/* The activations' table: a chain per bucket, as the pairs'. */
static unsigned
pim_win_id_hash( const pim_win_id *id )
{
	struct berval bv;
	unsigned long long x;

	if ( id->wi_wide ) {
		bv = id->wi_u.wi_dn;
	} else {
		bv.bv_val = (char *)id->wi_u.wi_key;
		bv.bv_len = PIM_TKEY_SIZE;
	}
	x = pim_win_mix( PIM_WIN_K, &bv );
	return (unsigned)( x >> 32 ) ^ (unsigned)x;
}

/* Where act's node is linked in its chain (the slot to unlink it
 * from), or NULL.  Caller holds the lock. */
static pim_win_act **
pim_wact_slot( pim_info *pi, pim_win_id *act )
{
	pim_win_act **slot;

	if ( pi->pi_wact == NULL )
		return NULL;
	slot = &pi->pi_wact[pim_win_id_hash( act ) & pi->pi_wact_mask];
	for ( ; *slot != NULL; slot = &( *slot )->wa_hnext )
		if ( pim_win_id_cmp( &( *slot )->wa_act, act ) == 0 )
			return slot;
	return NULL;
}

/* Link wa into the table, doubling its buckets when the activations
 * outnumber them.  Caller holds the lock exclusively. */
static void
pim_wact_insert( pim_info *pi, pim_win_act *wa )
{
	unsigned long i, n = pi->pi_wact ? pi->pi_wact_mask + 1UL : 0;
	pim_win_act **nb, *x, *next;
	unsigned h;

	if ( pi->pi_wact == NULL || pi->pi_wact_count >= n ) {
		unsigned long nn = n ? n * 2 : PIM_WIN_MIN_BUCKETS;

		nb = ch_calloc( nn, sizeof( *nb ) );
		for ( i = 0; i < n; i++ ) {
			for ( x = pi->pi_wact[i]; x != NULL; x = next ) {
				next = x->wa_hnext;
				h = pim_win_id_hash( &x->wa_act ) & ( nn - 1 );
				x->wa_hnext = nb[h];
				nb[h] = x;
			}
		}
		ch_free( pi->pi_wact );
		pi->pi_wact = nb;
		pi->pi_wact_mask = (unsigned)( nn - 1 );
	}
	h = pim_win_id_hash( &wa->wa_act ) & pi->pi_wact_mask;
	wa->wa_hnext = pi->pi_wact[h];
	pi->pi_wact[h] = wa;
	pi->pi_wact_count++;
}

/* Take act out of its pair (its pair may change: a principal's
 * rename).  Caller holds the lock exclusively. */
static void
pim_win_drop( pim_info *pi, pim_win_id *act )
{
	pim_win_act **slot = pim_wact_slot( pi, act ), *wa, **p;
	pim_win *w;

	if ( slot == NULL )
		return;
	wa = *slot;
	*slot = wa->wa_hnext;
	pi->pi_wact_count--;
	w = wa->wa_win;
	for ( p = &w->w_acts; *p != NULL; p = &( *p )->wa_next ) {
		if ( *p == wa ) {
			*p = wa->wa_next;
			break;
		}
	}
	pim_win_until( w );
	pim_win_act_free( wa );
	pim_win_role_bump( pi, w->w_role );
}

/* What an activation entry says now: active (role, principal, end), or
 * nothing.  Called after every successful write of an activation entry
 * (e NULL: it was deleted). */
void
pim_window_note( pim_info *pi, struct berval *act, Entry *e )
{
	struct berval *role = NULL, *principal = NULL;
	enum pim_state st = PIM_ST_PENDING;
	time_t end = 0;
	pim_win_id id;
	pim_win *w;

	if ( e != NULL ) {
		role = pim_entry_nval( e, pim_ad_role );
		principal = pim_entry_nval( e, pim_ad_principal );
		if ( pim_state_parse( pim_entry_val( e, pim_ad_state ), &st ) ||
			pim_entry_time( e, pim_ad_end, &end ) < 0 )
			st = PIM_ST_PENDING;	/* unreadable: backs nothing */
	}
	pim_win_id_of( pi, act, &id );
	ldap_pvt_thread_rdwr_wlock( &pi->pi_win_lock );
	pim_win_drop( pi, &id );
	if ( st == PIM_ST_ACTIVE && role != NULL && principal != NULL ) {
		w = pim_win_get( pi, pim_win_role_touch( pi, role ), principal );
		{
			pim_win_act *wa = ch_calloc( 1, sizeof( *wa ) );

			wa->wa_act = id;
			pim_win_id_keep( &wa->wa_act );
			wa->wa_end = end;
			wa->wa_win = w;
			wa->wa_next = w->w_acts;
			w->w_acts = wa;
			pim_wact_insert( pi, wa );
		}
		pim_win_until( w );
	}
	ldap_pvt_thread_rdwr_wunlock( &pi->pi_win_lock );
}

int
pim_window_open( pim_info *pi, struct berval *role, struct berval *principal,
	time_t now )
{
	return pim_window_state( pi, role, principal, now, NULL );
}

/* The window of (role, principal) and, when known is not NULL and the
 * window is not open, whether PIM activations ever held role: one look
 * under the lock. */
int
pim_window_state( pim_info *pi, struct berval *role, struct berval *principal,
	time_t now, int *known )
{
	unsigned h = pim_win_hash( role, principal );
	pim_win *w;
	int open = PIM_WIN_UNKNOWN;

	ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
	if ( !pi->pi_win_ready ) {	/* (under the lock: pim_window_reset) */
		ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
		if ( known != NULL )
			*known = 1;
		return PIM_WIN_CLOSED;
	}
	w = pim_win_find( pi, role, principal, h );
	if ( w != NULL )
		open = w->w_until == PIM_WIN_FOREVER || w->w_until > now ?
			PIM_WIN_OPEN : PIM_WIN_CLOSED;
	if ( known != NULL && open != PIM_WIN_OPEN )
		*known = pim_win_role_find( pi, role ) != NULL;
	ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	return open;
}

/* The windows of n principals of one role, for a look at a role entry:
 * open[i] is set when principals[i]'s window is open; 1 when all are.
 * From the role's memo when it holds these very values (see
 * pim_win_memo); else the role is hashed once and the lock taken once
 * per PIM_WIN_BATCH principals (not held across a whole large role, so
 * that a write waits little), and a look that found every one open
 * leaves a memo when no pair of the role was written meanwhile. */
#define PIM_WIN_BATCH	256

/* Does the memo hold exactly these values?  Caller holds the lock. */
static int
pim_win_memo_holds( const pim_win_memo *wm, struct berval *vals,
	unsigned n, time_t now )
{
	const unsigned char *p = wm->wm_bytes, *end = p + wm->wm_len;
	unsigned i, len;

	if ( wm->wm_n != n ||
		( wm->wm_until != PIM_WIN_FOREVER && wm->wm_until <= now ) )
		return 0;
	for ( i = 0; i < n; i++ ) {
		if ( (size_t)( end - p ) < sizeof( len ) )
			return 0;
		memcpy( &len, p, sizeof( len ) );
		p += sizeof( len );
		if ( len != vals[i].bv_len || (size_t)( end - p ) < len ||
			memcmp( p, vals[i].bv_val, len ) != 0 )
			return 0;
		p += len;
	}
	return p == end;
}

/* Keep a memo of vals, all open until until, if role's pairs are as they
 * were at generation gen.  Takes the lock exclusively. */
static void
pim_win_memo_keep( pim_info *pi, struct berval *role, unsigned long gen,
	struct berval *vals, unsigned n, time_t until )
{
	pim_win_role *wr;
	pim_win_memo *wm;
	unsigned char *p;
	size_t len = 0;
	unsigned i, l;

	for ( i = 0; i < n; i++ )
		len += sizeof( l ) + vals[i].bv_len;
	ldap_pvt_thread_rdwr_wlock( &pi->pi_win_lock );
	wr = pim_win_role_find( pi, role );
	if ( wr == NULL || wr->wr_gen != gen || pi->pi_win_memo_bytes -
		( wr->wr_memo ? wr->wr_memo->wm_len : 0 ) + len > PIM_WIN_MEMO_CAP )
		goto done;	/* (the role's old memo makes room for its new) */
	pim_win_memo_drop( pi, wr );
	wm = ch_malloc( sizeof( *wm ) + len );
	wm->wm_until = until;
	wm->wm_n = n;
	wm->wm_len = len;
	for ( p = wm->wm_bytes, i = 0; i < n; i++ ) {
		l = (unsigned)vals[i].bv_len;
		memcpy( p, &l, sizeof( l ) );
		memcpy( p + sizeof( l ), vals[i].bv_val, l );
		p += sizeof( l ) + l;
	}
	wr->wr_memo = wm;
	pi->pi_win_memo_bytes += len;
done:
	ldap_pvt_thread_rdwr_wunlock( &pi->pi_win_lock );
}

/* The earlier of two w_until values, FOREVER being the latest. */
static time_t
pim_win_earlier( time_t a, time_t b )
{
	if ( a == PIM_WIN_FOREVER )
		return b;
	if ( b == PIM_WIN_FOREVER )
		return a;
	return a < b ? a : b;
}

int
pim_window_open_many( pim_info *pi, struct berval *role,
	struct berval *principals, unsigned n, time_t now, unsigned char *open )
{
	unsigned hr, i, end;
	unsigned long gen;
	int all, known;
	time_t until = PIM_WIN_FOREVER;
	pim_win_role *wr;
	pim_win *w;

	memset( open, 0, n );
	ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
	/* closed until the build is done */
	wr = pi->pi_win_ready ? pim_win_role_find( pi, role ) : NULL;
	known = wr != NULL;
	gen = known ? wr->wr_gen : 0;
	all = known && wr->wr_memo != NULL &&
		pim_win_memo_holds( wr->wr_memo, principals, n, now );
	ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	if ( all || !known ) {	/* all open, or none of a role never held */
		memset( open, all, n );
		return all || n == 0;
	}
	hr = pim_win_hash_role( role );
	for ( all = 1, i = 0; i < n; ) {
		end = n - i > PIM_WIN_BATCH ? i + PIM_WIN_BATCH : n;
		ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
		for ( ; i < end; i++ ) {
			w = pim_win_find( pi, role, &principals[i],
				pim_win_hash_principal( hr, &principals[i] ) );
			open[i] = w != NULL && ( w->w_until == PIM_WIN_FOREVER ||
				w->w_until > now );
			if ( open[i] )
				until = pim_win_earlier( until, w->w_until );
			else
				all = 0;
		}
		ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	}
	/* (any write since the first look moved the generation on) */
	if ( all && n >= PIM_WIN_MEMO_MIN )
		pim_win_memo_keep( pi, role, gen, principals, n, until );
	return all;
}

int
pim_window_role_known( pim_info *pi, struct berval *role )
{
	int known;

	/* until the build is done, any role may be one: closed */
	ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
	known = !pi->pi_win_ready || pim_win_role_find( pi, role ) != NULL;
	ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	return known;
}

int
pim_window_empty( pim_info *pi )
{
	/* read without the lock: a stale answer only costs a callback */
	return pi->pi_win_ready && pi->pi_win_count == 0;
}

/* For cn=Monitor: a walk of every pair under the shared lock, which
 * readers share and a write of an activation waits out. */
unsigned long
pim_window_active( pim_info *pi, time_t now )
{
	unsigned long n = 0;
	unsigned b;
	pim_win *w;
	pim_win_act *wa;

	ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
	for ( b = 0; pi->pi_win != NULL && b <= pi->pi_win_mask; b++ ) {
		for ( w = pi->pi_win[b]; w != NULL; w = w->w_next ) {
			for ( wa = w->w_acts; wa != NULL; wa = wa->wa_next )
				if ( wa->wa_end == 0 || wa->wa_end > now )
					n++;
		}
	}
	ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	return n;
}

/* --- the build ------------------------------------------------------------ */

static int
pim_window_build_entry( Operation *op, Entry *e, void *arg )
{
	pim_window_note( arg, &e->e_nname, e );
	return LDAP_SUCCESS;
}

/* Every active activation, once, when the database opens (on every
 * server: consumers too).  A run-queue task of its own, so that it
 * runs on shadows, where the timer does not. */
static void *
pim_window_task( void *ctx, void *arg )
{
	struct re_s *rtask = arg;
	pim_info *pi = rtask->arg;
	Connection conn = { 0 };
	OperationBuffer opbuf;
	Operation *op;
	int rc;

	op = pim_task_op( pi, ctx, &conn, &opbuf );
	if ( !pi->pi_win_ready ) {
		rc = pim_internal_search( op, pi, &pi->pi_ncontainer,
			"(&(objectClass=pimActivation)(pimState=active))",
			pim_window_build_entry, pi );
		if ( rc == LDAP_SUCCESS ) {
			ldap_pvt_thread_rdwr_wlock( &pi->pi_win_lock );
			pi->pi_win_ready = 1;
			ldap_pvt_thread_rdwr_wunlock( &pi->pi_win_lock );
		} else
			Debug( LDAP_DEBUG_ANY, "pim: cannot read the active "
				"activations (%d): PIM values stay hidden; retrying\n", rc );
	}
	pim_role_follow( pi );

	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( ldap_pvt_runqueue_isrunning( &slapd_rq, rtask ) )
		ldap_pvt_runqueue_stoptask( &slapd_rq, rtask );
	/* from now on every few seconds, for pim_role_follow */
	rtask->interval.tv_sec = PIM_ROLE_CHECK;
	ldap_pvt_runqueue_resched( &slapd_rq, rtask, 0 );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	return NULL;
}

/* A consumer promoted to a provider online (cn=config removes its
 * olcSyncrepl and olcUpdateRef), or a provider demoted: the timer, and
 * with it the audit trail and the reconciliation, start or stop here,
 * since slapd does not reopen the database.  Until they run, PIM actions
 * are refused (pim_door1.c), never performed unaudited. */
void
pim_role_follow( pim_info *pi )
{
	int shadow = SLAP_SINGLE_SHADOW( pi->pi_db ) != 0;

	if ( !shadow && pi->pi_task == NULL ) {
		Debug( LDAP_DEBUG_ANY, "pim: %s is writable now: the timer, the "
			"audit trail and the reconciliation start\n",
			pi->pi_container.bv_val );
		(void)pim_timer_start( pi );
	} else if ( shadow && pi->pi_task != NULL && pim_timer_stop_idle( pi ) ) {
		Debug( LDAP_DEBUG_ANY, "pim: %s is a read-only consumer now: "
			"the timer stopped\n", pi->pi_container.bv_val );
	}
}

void
pim_window_start( pim_info *pi )
{
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	pi->pi_win_task = ldap_pvt_runqueue_insert( &slapd_rq, 1,
		pim_window_task, pi, "pim_window_task", pi->pi_container.bv_val );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
}

void
pim_window_stop( pim_info *pi )
{
	pim_task_remove( &pi->pi_win_task );
}
