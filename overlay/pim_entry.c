/* pim_entry.c - PIM's entries: their identifiers and DNs, reading and
 * writing their values, and the time stamps they carry.
 *
 * Every PIM entry is "pimId=<UUID>,<container>"; the helpers here are
 * the only place that name is built, so that a door that is given an
 * identifier and a search that finds an entry agree on it.
 */
#include "pim.h"

void
pim_merge_str( Operation *op, Entry *e, AttributeDescription *ad,
	const char *s )
{
	struct berval bv;

	ber_str2bv( s, 0, 0, &bv );
	attr_merge_normalize_one( e, ad, &bv, op->o_tmpmemctx );
}

/* "pimId=<id>,<container>" and its normalized form, allocated on ctx
 * (NULL: the heap, for entries). */
static void
pim_entry_dn( pim_info *pi, struct berval *id, struct berval *dn,
	struct berval *ndn, void *ctx )
{
	char buf[PIM_MAX_ID + sizeof( "pimId=" )];
	struct berval rdn;

	/* id may point into a BER buffer: no NUL after it */
	rdn.bv_len = snprintf( buf, sizeof( buf ), "pimId=%.*s",
		(int)id->bv_len, id->bv_val );
	rdn.bv_val = buf;
	build_new_dn( dn, &pi->pi_container, &rdn, ctx );
	if ( ndn != NULL && dnNormalize( 0, NULL, NULL, dn, ndn, ctx ) != LDAP_SUCCESS )
		BER_BVZERO( ndn );	/* cannot happen: an RDN of a UUID string */
}

/* The normalized DN of the PIM entry with identifier id, on
 * op->o_tmpmemctx. */
void
pim_activation_ndn( Operation *op, pim_info *pi, struct berval *id,
	struct berval *ndn )
{
	struct berval dn;

	pim_entry_dn( pi, id, &dn, ndn, op->o_tmpmemctx );
	op->o_tmpfree( dn.bv_val, op->o_tmpmemctx );
}

/* A new PIM entry "pimId=<id>,<container>" of class oc. */
Entry *
pim_entry_new( Operation *op, pim_info *pi, const char *oc, struct berval *id )
{
	Entry *e = entry_alloc();

	pim_entry_dn( pi, id, &e->e_name, &e->e_nname, NULL );
	pim_merge_str( op, e, slap_schema.si_ad_objectClass, oc );
	attr_merge_normalize_one( e, pim_ad_id, id, op->o_tmpmemctx );
	return e;
}

/* Fetch an entry from the database under the overlay (no ACLs).  The
 * caller releases it with pim_entry_release() on the same op, before
 * any internal write. */
int
pim_entry_get( Operation *op, pim_info *pi, struct berval *ndn, Entry **ep )
{
	BackendDB *saved = op->o_bd;
	int rc;

	op->o_bd = pi->pi_db;
	rc = be_entry_get_rw( op, ndn, NULL, NULL, 0, ep );
	op->o_bd = saved;
	if ( rc != LDAP_SUCCESS )
		*ep = NULL;
	return rc;
}

void
pim_entry_release( Operation *op, pim_info *pi, Entry *e )
{
	BackendDB *saved = op->o_bd;

	if ( e == NULL )
		return;
	op->o_bd = pi->pi_db;
	(void)be_entry_release_r( op, e );
	op->o_bd = saved;
}

struct berval *
pim_entry_nval( Entry *e, AttributeDescription *ad )
{
	Attribute *a = attr_find( e->e_attrs, ad );

	if ( a == NULL || a->a_numvals == 0 )
		return NULL;
	return a->a_nvals ? &a->a_nvals[0] : &a->a_vals[0];
}

struct berval *
pim_entry_val( Entry *e, AttributeDescription *ad )
{
	Attribute *a = attr_find( e->e_attrs, ad );

	if ( a == NULL || a->a_numvals == 0 )
		return NULL;
	return &a->a_vals[0];
}

/* 0 and *t set; 1 if absent; -1 if present but unparsable. */
int
pim_entry_time( Entry *e, AttributeDescription *ad, time_t *t )
{
	struct berval *bv = pim_entry_val( e, ad );

	if ( bv == NULL )
		return 1;
	return pim_gentime_parse( bv->bv_val, bv->bv_len, t ) == 0 ? 0 : -1;
}

/* Add the GeneralizedTime t as a value of ad to e. */
void
pim_entry_merge_time( Operation *op, Entry *e, AttributeDescription *ad,
	time_t t )
{
	char buf[PIM_GENTIME_BUFSIZE];
	struct berval bv;

	if ( pim_gentime_format( t, buf, sizeof( buf ) ) )
		(void)pim_gentime_format( t < 0 ? 0 : PIM_TIME_MAX, buf,
			sizeof( buf ) );
	ber_str2bv( buf, 0, 0, &bv );
	attr_merge_normalize_one( e, ad, &bv, op->o_tmpmemctx );
}

/* pim_entry_fn that collects entry DNs into the BerVarray *arg, on
 * op->o_tmpmemctx (free with ber_bvarray_free_x). */
int
pim_collect_ndn( Operation *op, Entry *e, void *arg )
{
	struct berval dn;

	ber_dupbv_x( &dn, &e->e_nname, op->o_tmpmemctx );
	ber_bvarray_add_x( (BerVarray *)arg, &dn, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* Now, to the second, from the precise clock: time(), which
 * slap_get_time() is, reads a coarse clock that may lag a few
 * milliseconds, and at an activation's end those are a window in which
 * a read would still see its values. */
time_t
pim_now_precise( void )
{
	struct timeval tv;

	gettimeofday( &tv, NULL );
	return tv.tv_sec;
}

/* Now, rounded up to the second: an activation that starts now is
 * stored with whole seconds, and computing its end from the second now
 * is in would cut up to a second off what was granted.  *floor, when
 * asked for, is the same reading rounded down: the start to store, so
 * that a start and an end never come from two readings a slow check
 * apart. */
time_t
pim_now_ceil( time_t *floor )
{
	struct timeval tv;

	gettimeofday( &tv, NULL );
	if ( floor != NULL )
		*floor = tv.tv_sec;
	return tv.tv_sec + ( tv.tv_usec > 0 );
}

/* A new entry identifier.  lutil_uuidstr's sequence counter is not
 * locked, and two threads in the same microsecond can get the same
 * string: PIM's own calls take turns here, and callers that create
 * entries still retry on alreadyExists (slapd's own callers do not take
 * this lock). */
static ldap_pvt_thread_mutex_t pim_id_mutex;
static int pim_id_mutex_ready;

void
pim_id_init( void )
{
	if ( !pim_id_mutex_ready ) {
		ldap_pvt_thread_mutex_init( &pim_id_mutex );
		pim_id_mutex_ready = 1;
	}
}

ber_len_t
pim_new_id( char *buf, size_t size )
{
	ber_len_t len;

	ldap_pvt_thread_mutex_lock( &pim_id_mutex );
	len = lutil_uuidstr( buf, size );
	ldap_pvt_thread_mutex_unlock( &pim_id_mutex );
	return len;
}
