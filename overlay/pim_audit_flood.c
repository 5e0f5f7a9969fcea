/* pim_audit_flood.c - refusals of clients that did not bind, aggregated.
 *
 * Anybody who can reach the port can send refused requests, and each
 * would otherwise append a record that retention keeps for a year.  So
 * the refusals of unauthenticated clients are counted per client
 * address and kind of event: the first of each PIM_FLOOD_WINDOW is
 * recorded, the others only counted, and the next recorded one says
 * how many it stands for.  A bound client's refusals are recorded one
 * by one: it has an identity the records name, and its writes are the
 * site's to limit.
 *
 * The table is fixed in size and lives in memory (a restart forgets
 * it); when every slot is in use the least recently started window is
 * taken over.  fl_mutex is a leaf lock.
 */
#include "pim_audit.h"

struct pim_flood_slot {
	char		fs_key[96];	/* "<address> <event>"; "" : free */
	time_t		fs_start;	/* the window's start */
	unsigned	fs_count;	/* refusals counted, not recorded */
};

struct pim_flood {
	ldap_pvt_thread_mutex_t	fl_mutex;
	struct pim_flood_slot	fl_slots[PIM_FLOOD_SLOTS];
};

void
pim_flood_init( struct pim_audit *au )
{
	au->au_flood = ch_calloc( 1, sizeof( *au->au_flood ) );
	ldap_pvt_thread_mutex_init( &au->au_flood->fl_mutex );
}

void
pim_flood_destroy( struct pim_audit *au )
{
	if ( au->au_flood == NULL )
		return;
	ldap_pvt_thread_mutex_destroy( &au->au_flood->fl_mutex );
	ch_free( au->au_flood );
	au->au_flood = NULL;
}

/* "IP=192.0.2.1:40312" -> "IP=192.0.2.1": the port changes with every
 * connection, the address does not. */
static void
pim_flood_key( const struct berval *peer, const char *event, char *key,
	size_t size )
{
	ber_len_t len = peer->bv_len;
	char *colon = NULL;
	ber_len_t i;

	for ( i = 0; i < peer->bv_len; i++ ) {
		if ( peer->bv_val[i] == ':' )
			colon = &peer->bv_val[i];
	}
	if ( colon != NULL && strncmp( peer->bv_val, "IP=", 3 ) == 0 )
		len = colon - peer->bv_val;
	snprintf( key, size, "%.*s %s", (int)len, peer->bv_val, event );
}

int
pim_flood_admit( struct pim_audit *au, const struct berval *peer,
	const char *event, time_t now, unsigned *stands_for )
{
	struct pim_flood *fl = au->au_flood;
	struct pim_flood_slot *s, *oldest = NULL;
	char key[sizeof( s->fs_key )];
	int i, admit = 1;

	*stands_for = 0;
	if ( fl == NULL || peer == NULL || BER_BVISEMPTY( peer ) )
		return 1;
	pim_flood_key( peer, event, key, sizeof( key ) );
	ldap_pvt_thread_mutex_lock( &fl->fl_mutex );
	for ( i = 0; i < PIM_FLOOD_SLOTS; i++ ) {
		s = &fl->fl_slots[i];
		if ( s->fs_key[0] != '\0' && strcmp( s->fs_key, key ) == 0 )
			break;
		if ( oldest == NULL || s->fs_key[0] == '\0' ||
			( oldest->fs_key[0] != '\0' && s->fs_start < oldest->fs_start ) )
			oldest = s;
	}
	if ( i < PIM_FLOOD_SLOTS && now < s->fs_start + PIM_FLOOD_WINDOW ) {
		s->fs_count++;		/* within its window: counted only */
		admit = 0;
	} else {
		if ( i < PIM_FLOOD_SLOTS )
			*stands_for = s->fs_count;	/* the last window's */
		else
			s = oldest;
		snprintf( s->fs_key, sizeof( s->fs_key ), "%s", key );
		s->fs_start = now;
		s->fs_count = 0;
	}
	ldap_pvt_thread_mutex_unlock( &fl->fl_mutex );
	return admit;
}
