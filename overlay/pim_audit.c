/* pim_audit.c - the audit trail in the directory: one record per event.
 *
 * Every event that passes through pim_event() becomes one entry
 *	pimAuditSeq=<n>,<audit container>
 * of class pimAuditRecord, written as a PIM internal operation, so
 * that syncprov replicates it and accesslog sees it like any other
 * write.  The sequence number makes the order total; each record
 * carries the previous record's hash and its own (pim_chain.c), so that
 * a record changed, removed or inserted behind PIM's back breaks the
 * chain, which "pimctl audit verify" walks.
 *
 * The next sequence number and the previous hash live in memory, under
 * au_mutex, and are recovered from the directory the first time the
 * trail is used after the database opens: the highest sequence present
 * is found by probing "(pimAuditSeq>=N)" with a size limit of one
 * (cheap with "index pimAuditSeq eq"), then that record is read for its
 * hash.
 *
 * Nobody changes the trail through LDAP, administrators included
 * (pim_audit_intercept); only retention removes records, and it leaves
 * an anchor record behind (pim_audit_timer.c).
 *
 * pim_event() is called from many places: client operations (also
 * while pi_member_mutex or pi_request_mutex is held), response
 * callbacks after a write, and the timer task.  So au_mutex is always
 * the innermost lock, nothing here calls back into the engine, and no
 * Entry from pim_entry_get() is held across a write.
 */
#include "pim_audit.h"
#include <sys/time.h>

static int pim_audit_recover( Operation *op, pim_info *pi );

void
pim_audit_init( pim_info *pi )
{
	struct pim_audit *au = ch_calloc( 1, sizeof( *au ) );

	ldap_pvt_thread_mutex_init( &au->au_mutex );
	pim_alert_init( au );
	pim_flood_init( au );
	pi->pi_audit = au;
	pi->pi_audit_retention = PIM_AUDIT_RETENTION;
	pi->pi_expiry_warning = PIM_EXPIRY_WARNING;
	memcpy( pi->pi_alerts, pim_alert_defaults, sizeof( pi->pi_alerts ) );
}

void
pim_audit_destroy( pim_info *pi )
{
	struct pim_audit *au = pi->pi_audit;

	if ( au == NULL )
		return;
	pim_alert_destroy( au );
	pim_flood_destroy( au );
	ldap_pvt_thread_mutex_destroy( &au->au_mutex );
	ch_free( au->au_dn.bv_val );
	ch_free( au->au_ndn.bv_val );
	ch_free( au );
	pi->pi_audit = NULL;
	ch_free( pi->pi_audit_container.bv_val );
	ch_free( pi->pi_naudit_container.bv_val );
	BER_BVZERO( &pi->pi_audit_container );
	BER_BVZERO( &pi->pi_naudit_container );
}

/* The database opens: fix where the trail lives (pim-audit-container,
 * or cn=audit under the PIM container), and forget the head, which the
 * next use recovers from the directory. */
void
pim_audit_start( pim_info *pi )
{
	struct pim_audit *au = pi->pi_audit;
	struct berval rdn = BER_BVC( "cn=audit" );

	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	ch_free( au->au_dn.bv_val );
	ch_free( au->au_ndn.bv_val );
	if ( !BER_BVISEMPTY( &pi->pi_naudit_container ) ) {
		ber_dupbv( &au->au_dn, &pi->pi_audit_container );
		ber_dupbv( &au->au_ndn, &pi->pi_naudit_container );
	} else {
		build_new_dn( &au->au_dn, &pi->pi_container, &rdn, NULL );
		build_new_dn( &au->au_ndn, &pi->pi_ncontainer, &rdn, NULL );
	}
	au->au_ready = 0;
	au->au_retention_next = 0;
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
}

/* The last sequence number written (recovered first if need be). */
int
pim_audit_head( Operation *op, pim_info *pi, unsigned long *seq )
{
	struct pim_audit *au = pi->pi_audit;
	int rc = LDAP_SUCCESS;

	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	if ( !au->au_ready )
		rc = pim_audit_recover( op, pi );
	*seq = au->au_seq;
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
	return rc;
}

struct berval *
pim_audit_where( pim_info *pi )
{
	return &pi->pi_audit->au_ndn;
}

/* Is ndn the audit container or inside it? */
int
pim_audit_covers( pim_info *pi, struct berval *ndn )
{
	struct pim_audit *au = pi->pi_audit;

	return au != NULL && !BER_BVISEMPTY( &au->au_ndn ) &&
		dnIsSuffix( ndn, &au->au_ndn );
}

/* The record's DN, on op->o_tmpmemctx. */
int
pim_audit_record_dn( Operation *op, pim_info *pi, unsigned long seq,
	struct berval *ndn )
{
	char buf[64];
	struct berval rdn;

	/* a normalized DN keeps the attribute type's own spelling */
	rdn.bv_val = buf;
	rdn.bv_len = snprintf( buf, sizeof( buf ), "pimAuditSeq=%lu", seq );
	build_new_dn( ndn, &pi->pi_audit->au_ndn, &rdn, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* --- recovering the head --------------------------------------------- */

static int
pim_audit_found( Operation *op, Entry *e, void *arg )
{
	*(int *)arg = 1;
	return LDAP_SUCCESS;
}

typedef struct pim_audit_prober {
	Operation	*ap_op;
	pim_info	*ap_pi;
} pim_audit_prober;

/* pim_seq_probe_fn over an internal search of the trail. */
static int
pim_audit_probe( void *arg, unsigned long seq, int le, int *found )
{
	static AttributeName no_attrs[] = {
		{ BER_BVC( LDAP_NO_ATTRS ), NULL, 0, NULL },
		{ BER_BVNULL, NULL, 0, NULL }
	};
	pim_audit_prober *ap = arg;
	char filter[PIM_SEQ_FILTER_SIZE];
	int rc;

	*found = 0;
	pim_seq_probe_filter( seq, le, filter, sizeof( filter ) );
	rc = pim_internal_search_ext( ap->ap_op, ap->ap_pi,
		&ap->ap_pi->pi_audit->au_ndn, LDAP_SCOPE_ONELEVEL, filter,
		no_attrs, 1, pim_audit_found, found );
	return rc == LDAP_SUCCESS ? 0 : LDAP_OTHER;
}

static int
pim_audit_highest( Operation *op, pim_info *pi, unsigned long *seq )
{
	pim_audit_prober ap = { op, pi };

	return pim_seq_highest( pim_audit_probe, &ap, seq );
}

/* The lowest sequence number present, at most last (0: none). */
int
pim_audit_lowest( Operation *op, pim_info *pi, unsigned long last,
	unsigned long *seq )
{
	pim_audit_prober ap = { op, pi };

	return pim_seq_lowest( pim_audit_probe, &ap, last, seq );
}

/* Caller holds au_mutex. */
static int
pim_audit_recover( Operation *op, pim_info *pi )
{
	struct pim_audit *au = pi->pi_audit;
	unsigned long seq = 0;
	struct berval ndn, *h;
	Entry *e = NULL;
	int rc;

	rc = pim_audit_highest( op, pi, &seq );
	if ( rc != LDAP_SUCCESS )
		return rc;
	au->au_seq = seq;
	strcpy( au->au_prev, pim_chain_genesis );
	if ( seq > 0 ) {
		pim_audit_record_dn( op, pi, seq, &ndn );
		rc = pim_entry_get( op, pi, &ndn, &e );
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
		if ( rc != LDAP_SUCCESS )
			return rc;
		h = pim_entry_val( e, pim_ad_audit_hash );
		if ( h != NULL && h->bv_len == PIM_CHAIN_HEXLEN ) {
			memcpy( au->au_prev, h->bv_val, PIM_CHAIN_HEXLEN );
			au->au_prev[PIM_CHAIN_HEXLEN] = '\0';
		} else {
			/* the chain is broken there already; verify will say so,
			 * and what follows still chains onto something fixed */
			Debug( LDAP_DEBUG_ANY, "pim: audit: record %lu has no "
				"usable hash\n", seq );
		}
		pim_entry_release( op, pi, e );
	}
	au->au_ready = 1;
	Debug( LDAP_DEBUG_STATS, "pim: audit trail %s: next record %lu\n",
		au->au_dn.bv_val, seq + 1 );
	return LDAP_SUCCESS;
}

/* --- the container ---------------------------------------------------- */

/* Create the container on first use: a pimAuditLog when it is named
 * cn=..., an organizationalUnit when ou=...; anything else the
 * administrator creates. */
static int
pim_audit_create_container( Operation *op, pim_info *pi )
{
	struct pim_audit *au = pi->pi_audit;
	Entry *e;
	LDAPRDN rdn = NULL;
	char *p = NULL;
	struct berval type, val, desc = BER_BVC(
		"PIM audit trail: written only by PIM, removed only by retention" );
	ObjectClass *oc = NULL;
	AttributeDescription *ad = NULL;
	const char *text;

	if ( ldap_bv2rdn_x( &au->au_dn, &rdn, &p, LDAP_DN_FORMAT_LDAP,
		op->o_tmpmemctx ) != LDAP_SUCCESS )
		return LDAP_INVALID_DN_SYNTAX;
	type = rdn[0]->la_attr;
	val = rdn[0]->la_value;
	if ( slap_bv2ad( &type, &ad, &text ) == LDAP_SUCCESS ) {
		if ( ad == slap_schema.si_ad_cn )
			oc = pim_oc_audit_log;
		else if ( strcasecmp( ad->ad_cname.bv_val, "ou" ) == 0 )
			oc = oc_find( "organizationalUnit" );
	}
	if ( oc == NULL ) {
		ldap_rdnfree_x( rdn, op->o_tmpmemctx );
		Debug( LDAP_DEBUG_ANY, "pim: audit: cannot create the audit "
			"container %s: name it cn=... or ou=..., or create it\n",
			au->au_dn.bv_val );
		return LDAP_NO_SUCH_OBJECT;
	}
	e = entry_alloc();
	ber_dupbv( &e->e_name, &au->au_dn );
	ber_dupbv( &e->e_nname, &au->au_ndn );
	attr_merge_one( e, slap_schema.si_ad_objectClass, &oc->soc_cname, NULL );
	attr_merge_normalize_one( e, ad, &val, op->o_tmpmemctx );
	if ( oc == pim_oc_audit_log )
		attr_merge_normalize_one( e, slap_schema.si_ad_description, &desc,
			op->o_tmpmemctx );
	ldap_rdnfree_x( rdn, op->o_tmpmemctx );
	return pim_internal_add( op, pi, e );
}

/* --- writing a record --------------------------------------------------- */

void
pim_audit_rec_str( pim_audit_rec *r, int field, const char *s )
{
	if ( s != NULL )
		ber_str2bv( s, 0, 0, &r->ar_f[field] );
}

/* "YYYYMMDDHHMMSS.uuuuuuZ": seconds alone would not order the events
 * of one second for people; the sequence number orders them for sure. */
static void
pim_audit_now( char *buf, size_t size )
{
	struct timeval tv;
	struct tm tm;

	gettimeofday( &tv, NULL );
	gmtime_r( &tv.tv_sec, &tm );
	snprintf( buf, size, "%04d%02d%02d%02d%02d%02d.%06dZ",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, (int)( tv.tv_usec % 1000000 ) );
}

/* The entry for r, whose every field (sequence, time and previous hash
 * included) is set, with its hash. */
static Entry *
pim_audit_entry( Operation *op, pim_info *pi, pim_audit_rec *r,
	const char *hash )
{
	struct pim_audit *au = pi->pi_audit;
	Entry *e = entry_alloc();
	struct berval rdn, bv;
	char rdnbuf[64];
	int i;

	rdn.bv_val = rdnbuf;
	rdn.bv_len = snprintf( rdnbuf, sizeof( rdnbuf ), "pimAuditSeq=%s",
		r->ar_f[PIM_CH_SEQ].bv_val );
	build_new_dn( &e->e_name, &au->au_dn, &rdn, NULL );
	if ( dnNormalize( 0, NULL, NULL, &e->e_name, &e->e_nname, NULL )
		!= LDAP_SUCCESS )
	{
		entry_free( e );
		return NULL;
	}
	attr_merge_one( e, slap_schema.si_ad_objectClass,
		&pim_oc_audit_record->soc_cname, NULL );
	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		if ( !BER_BVISEMPTY( &r->ar_f[i] ) )
			attr_merge_normalize_one( e, pim_ad_audit[i], &r->ar_f[i],
				op->o_tmpmemctx );
	}
	ber_str2bv( hash, PIM_CHAIN_HEXLEN, 0, &bv );
	attr_merge_normalize_one( e, pim_ad_audit_hash, &bv, op->o_tmpmemctx );
	return e;
}

static void
pim_audit_hash( pim_audit_rec *r, char *hash )
{
	pim_chain_rec cr;
	int i;

	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		cr.cr_f[i].cv_val = BER_BVISEMPTY( &r->ar_f[i] ) ? NULL :
			r->ar_f[i].bv_val;
		cr.cr_f[i].cv_len = r->ar_f[i].bv_len;
	}
	pim_chain_hash( &cr, hash );
}

/* Stamp r with the next sequence number, the time and the chain, and
 * write it.  Caller holds au_mutex. */
static int
pim_audit_write( Operation *op, pim_info *pi, pim_audit_rec *r,
	unsigned long seq, char *hash )
{
	struct pim_audit *au = pi->pi_audit;
	char seqbuf[24], timebuf[80];
	Entry *e;

	snprintf( seqbuf, sizeof( seqbuf ), "%lu", seq );
	pim_audit_rec_str( r, PIM_CH_SEQ, seqbuf );
	pim_audit_now( timebuf, sizeof( timebuf ) );
	pim_audit_rec_str( r, PIM_CH_TIME, timebuf );
	pim_audit_rec_str( r, PIM_CH_PREV, au->au_prev );
	pim_audit_hash( r, hash );
	e = pim_audit_entry( op, pi, r, hash );
	if ( e == NULL )
		return LDAP_OTHER;
	return pim_internal_add( op, pi, e );	/* frees e */
}

/* Append r to the trail; *seq (if not NULL) gets its number.  A missing
 * container is created, and a sequence number somebody else took (a
 * record replicated from another provider, a head recovered from an
 * edited database) makes the head be recovered again. */
int
pim_audit_append( Operation *op, pim_info *pi, pim_audit_rec *r,
	unsigned long *seq )
{
	struct pim_audit *au = pi->pi_audit;
	char hash[PIM_CHAIN_HEXLEN + 1];
	int rc = LDAP_SUCCESS, tries;

	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	if ( BER_BVISEMPTY( &au->au_ndn ) ) {
		rc = LDAP_UNAVAILABLE;
		goto done;
	}
	for ( tries = 0; tries < 3; tries++ ) {
		if ( !au->au_ready ) {
			rc = pim_audit_recover( op, pi );
			if ( rc != LDAP_SUCCESS )
				break;
		}
		rc = pim_audit_write( op, pi, r, au->au_seq + 1, hash );
		if ( rc == LDAP_SUCCESS ) {
			au->au_seq++;
			memcpy( au->au_prev, hash, sizeof( au->au_prev ) );
			if ( seq != NULL )
				*seq = au->au_seq;
			break;
		}
		if ( rc == LDAP_NO_SUCH_OBJECT )
			rc = pim_audit_create_container( op, pi );
		else if ( rc == LDAP_ALREADY_EXISTS )
			au->au_ready = 0;
		else
			break;
		if ( rc != LDAP_SUCCESS && rc != LDAP_ALREADY_EXISTS )
			break;
	}
done:
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
	if ( rc != LDAP_SUCCESS )
		Debug( LDAP_DEBUG_ANY, "%s pim: audit: cannot record \"%s\" in "
			"%s (%d)\n", op->o_log_prefix,
			r->ar_f[PIM_CH_EVENT].bv_val ? r->ar_f[PIM_CH_EVENT].bv_val : "",
			au->au_dn.bv_val ? au->au_dn.bv_val : "(closed)", rc );
	return rc;
}

/* --- events ------------------------------------------------------------- */

/* A DN field in pretty form: the form slapadd gives DN values, so that
 * a record survives slapcat and slapadd byte for byte.  Empty when it
 * is not a DN. */
static void
pim_audit_dn_field( Operation *op, pim_audit_rec *r, int field,
	const struct berval *dn )
{
	struct berval in;

	if ( dn == NULL || BER_BVISEMPTY( dn ) )
		return;
	in = *dn;
	if ( dnPretty( NULL, &in, &r->ar_f[field], op->o_tmpmemctx )
		!= LDAP_SUCCESS )
		BER_BVZERO( &r->ar_f[field] );
}

static void
pim_audit_time_field( pim_audit_rec *r, int field, time_t t, char *buf,
	size_t size )
{
	if ( t != 0 && pim_gentime_format( t, buf, size ) == 0 )
		pim_audit_rec_str( r, field, buf );
}

/* A record echoes what a client sent (the DN of a refused write, a
 * reason): at most this many bytes of it, cut at a character's start,
 * so that no request makes a record larger than a few kilobytes. */
#define PIM_AUDIT_FIELD_MAX	1024

static void
pim_audit_bv_field( pim_audit_rec *r, int field, const struct berval *bv )
{
	ber_len_t len;

	if ( bv == NULL || BER_BVISNULL( bv ) )
		return;
	r->ar_f[field] = *bv;
	if ( bv->bv_len <= PIM_AUDIT_FIELD_MAX )
		return;
	len = PIM_AUDIT_FIELD_MAX;
	while ( len > 0 && ( (unsigned char)bv->bv_val[len] & 0xc0 ) == 0x80 )
		len--;
	r->ar_f[field].bv_len = len;
}

void
pim_audit_event( Operation *op, pim_info *pi, const pim_event_info *ev,
	const char *name, const struct berval *by )
{
	pim_audit_rec r;
	char start[PIM_GENTIME_BUFSIZE], end[PIM_GENTIME_BUFSIZE];
	char result[16], conn[24], text[512];
	struct berval actor, *peer = NULL;
	unsigned stands_for = 0;
	int i;

	/* a read-only consumer gets the provider's trail by replication */
	if ( pi->pi_db == NULL || pi->pi_audit == NULL ||
		SLAP_SINGLE_SHADOW( pi->pi_db ) )
		return;
	if ( op->o_conn != NULL && !BER_BVISEMPTY( &op->o_conn->c_peer_name ) )
		peer = &op->o_conn->c_peer_name;
	/* an unauthenticated client's refusals: one record per address,
	 * event and window (pim_audit_flood.c) */
	if ( ev->ev_result != LDAP_SUCCESS && BER_BVISEMPTY( &op->o_ndn ) &&
		peer != NULL && !pim_flood_admit( pi->pi_audit, peer,
		name, slap_get_time(), &stands_for ) )
		return;

	memset( &r, 0, sizeof( r ) );
	pim_audit_rec_str( &r, PIM_CH_EVENT, name );
	/* nobody named: PIM itself, unless a client without a bind asked */
	if ( by != NULL && !BER_BVISEMPTY( by ) )
		actor = *by;
	else if ( op->o_conn != NULL && !BER_BVISEMPTY( &op->o_conn->c_peer_name ) )
		ber_str2bv( "anonymous", 0, 0, &actor );
	else
		ber_str2bv( "pim", 0, 0, &actor );
	r.ar_f[PIM_CH_ACTOR] = actor;
	pim_audit_dn_field( op, &r, PIM_CH_PRINCIPAL, ev->ev_principal );
	pim_audit_dn_field( op, &r, PIM_CH_ROLE, ev->ev_role );
	pim_audit_bv_field( &r, PIM_CH_ID, ev->ev_id ? ev->ev_id : ev->ev_dn );
	pim_audit_time_field( &r, PIM_CH_START, ev->ev_start, start, sizeof( start ) );
	pim_audit_time_field( &r, PIM_CH_END, ev->ev_end, end, sizeof( end ) );
	pim_audit_bv_field( &r, PIM_CH_REASON, ev->ev_reason );
	pim_audit_bv_field( &r, PIM_CH_TICKET, ev->ev_ticket );
	if ( ev->ev_result != LDAP_SUCCESS ) {
		snprintf( result, sizeof( result ), "%d", ev->ev_result );
		pim_audit_rec_str( &r, PIM_CH_RESULT, result );
	}
	if ( stands_for > 0 ) {
		snprintf( text, sizeof( text ), "%s (and %u more like it from "
			"this address within %d seconds of the last one recorded, "
			"not recorded one by one)", ev->ev_text ? ev->ev_text : "",
			stands_for, PIM_FLOOD_WINDOW );
		pim_audit_rec_str( &r, PIM_CH_TEXT, text );
	} else if ( ev->ev_text != NULL && *ev->ev_text ) {
		pim_audit_rec_str( &r, PIM_CH_TEXT, ev->ev_text );
	}
	if ( op->o_conn != NULL && !BER_BVISEMPTY( &op->o_conn->c_peer_name ) ) {
		r.ar_f[PIM_CH_PEER] = op->o_conn->c_peer_name;
		snprintf( conn, sizeof( conn ), "%lu", op->o_connid );
		pim_audit_rec_str( &r, PIM_CH_CONN, conn );
	}
	pim_audit_rec_str( &r, PIM_CH_ALERT, ev->ev_alert );
	pim_audit_bv_field( &r, PIM_CH_REF, ev->ev_ref );

	(void)pim_audit_append( op, pi, &r, NULL );

	for ( i = PIM_CH_PRINCIPAL; i <= PIM_CH_ROLE; i++ ) {
		if ( !BER_BVISNULL( &r.ar_f[i] ) )
			op->o_tmpfree( r.ar_f[i].bv_val, op->o_tmpmemctx );
	}
	/* after the event's own record: an alert it raises comes next */
	pim_alert_count( op, pi, ev, &actor );
}

/* --- LDAP writes under the container ------------------------------------ */

#define PIM_AUDIT_READ_ONLY "the audit trail cannot be changed through " \
	"LDAP: only PIM writes it, and only retention removes records"

static int
pim_audit_refuse( Operation *op, SlapReply *rs, pim_info *pi )
{
	pim_event_info e = { .ev_kind = PIM_EK_REFUSED, .ev_action = "write",
		.ev_dn = &op->o_req_ndn,
		.ev_result = LDAP_UNWILLING_TO_PERFORM,
		.ev_text = PIM_AUDIT_READ_ONLY };

	return pim_refuse_send( op, rs, pi, &e );
}

/* Adds, modifies, deletes and renames of the container or anything in
 * it are refused for everybody; renaming an ancestor would move the
 * trail, and a rename into it would plant an entry there.  PIM's own
 * writes and replicated ones never get here (pim_pass_through). */
int
pim_audit_intercept( Operation *op, SlapReply *rs, pim_info *pi )
{
	struct berval *where = pim_audit_where( pi );
	int hit;

	if ( BER_BVISEMPTY( where ) )
		return SLAP_CB_CONTINUE;
	hit = dnIsSuffix( &op->o_req_ndn, where );
	if ( !hit && op->o_tag == LDAP_REQ_MODRDN ) {
		hit = dnIsSuffix( where, &op->o_req_ndn ) ||
			( op->orr_nnewSup != NULL &&
			dnIsSuffix( op->orr_nnewSup, where ) );
	}
	if ( !hit )
		return SLAP_CB_CONTINUE;
	if ( op->o_tag == LDAP_REQ_MODIFY ) {
		int rc = pim_alert_dismiss_door( op, rs, pi );

		if ( rc != SLAP_CB_CONTINUE )
			return rc;
	}
	return pim_audit_refuse( op, rs, pi );
}

/* --- the timer's first run ---------------------------------------------- */

void
pim_audit_open( Operation *op, pim_info *pi )
{
	struct pim_audit *au = pi->pi_audit;

	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	if ( !au->au_ready && !BER_BVISEMPTY( &au->au_ndn ) )
		(void)pim_audit_recover( op, pi );
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
	pim_audit_retention_schedule( pi, slap_get_time() );
	pim_audit_warnings_recover( op, pi );
}
