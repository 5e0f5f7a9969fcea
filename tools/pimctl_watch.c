/* pimctl_watch.c - "pimctl watch": follow the audit trail live.
 *
 *	pimctl watch [--exec CMD] [--json]
 * prints each event as it is recorded, from the moment it starts, and
 * with --exec runs CMD (through /bin/sh -c) once per event, one at a
 * time and in order, with the event's fields in the environment:
 * PIM_SEQ, PIM_TIME, PIM_EVENT, PIM_ACTOR, PIM_PRINCIPAL, PIM_ROLE,
 * PIM_ID, PIM_START, PIM_END, PIM_REASON, PIM_TICKET, PIM_RESULT,
 * PIM_TEXT, PIM_PEER, PIM_CONNECTION, PIM_ALERT, PIM_REF, PIM_ANCHOR_SEQ,
 * PIM_ANCHOR_HASH, PIM_PREV_HASH, and PIM_DN (the record's DN).
 *
 * Why polling: the trail's sequence numbers are dense and only grow, so
 * "the records after the last one seen", asked for every half second,
 * is a complete and exactly-once feed by construction - and it survives
 * a server restart with nothing more than a reconnect, resuming after
 * the last sequence number printed.  A persistent search or a syncrepl
 * session would have to be re-established and de-duplicated by
 * sequence number anyway.  Each poll is one indexed search.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pimctl.h"
#include "pimctl_trail.h"

#define POLL_NS		500000000L	/* half a second */
#define BATCH		200		/* records asked for per poll */

typedef struct watch_state {
	unsigned long	ws_seen;	/* the last sequence number handled */
	pimctl_names	ws_names;
	int		ws_got;		/* records this poll */
} watch_state;

static void
nap( void )
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep( &ts, NULL );
}

/* CMD with the event in the environment; waits for it, so that events
 * reach it in order. */
static void
run_exec( pimctl *pc, const pimctl_rec *r )
{
	char name[64];
	pid_t pid;
	int i, status;

	fflush( stdout );
	pid = fork();
	if ( pid < 0 ) {
		pimctl_error( pc, "--exec: cannot fork" );
		return;
	}
	if ( pid == 0 ) {
		for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
			if ( r->r_f[i] ) {
				setenv( pimctl_rec_envname( i, name, sizeof( name ) ),
					r->r_f[i], 1 );
			}
		}
		if ( r->r_dn ) {
			setenv( "PIM_DN", r->r_dn, 1 );
		}
		execl( "/bin/sh", "sh", "-c", pc->pc_args.a_exec, (char *)NULL );
		_exit( 127 );
	}
	while ( waitpid( pid, &status, 0 ) < 0 ) {
		;
	}
	if ( WIFEXITED( status ) && WEXITSTATUS( status ) != 0 ) {
		pimctl_verbose( pc, "--exec: event %lu: exit status %d", r->r_seq,
			WEXITSTATUS( status ) );
	}
}

static int
watch_one( pimctl *pc, pimctl_rec *r, void *arg )
{
	watch_state *ws = arg;

	if ( r->r_seq <= ws->ws_seen ) {
		return 0;	/* never twice */
	}
	if ( pc->pc_args.a_json ) {
		pimctl_rec_json_line( pc, r );
		fflush( stdout );
	} else {
		pimctl_rec_line( pc, &ws->ws_names, r );
	}
	if ( pc->pc_args.a_exec ) {
		run_exec( pc, r );
	}
	ws->ws_seen = r->r_seq;
	ws->ws_got++;
	return 0;
}

/* Connect again after the server went away; quiet after the first
 * complaint, until it answers. */
static void
reconnect( pimctl *pc )
{
	int saved = dup( STDERR_FILENO ), devnull, rc;

	fprintf( stderr, "%s: watch: connection lost; reconnecting\n",
		PIMCTL_PROG );
	devnull = open( "/dev/null", O_WRONLY );
	for ( ;; ) {
		if ( pc->pc_ld ) {
			ldap_unbind_ext_s( pc->pc_ld, NULL, NULL );
			pc->pc_ld = NULL;
		}
		nap();
		if ( devnull >= 0 ) {
			dup2( devnull, STDERR_FILENO );
		}
		rc = pimctl_connect( pc );
		if ( saved >= 0 ) {
			dup2( saved, STDERR_FILENO );
		}
		if ( rc == 0 ) {
			break;
		}
	}
	fprintf( stderr, "%s: watch: reconnected\n", PIMCTL_PROG );
	if ( devnull >= 0 ) {
		close( devnull );
	}
	if ( saved >= 0 ) {
		close( saved );
	}
}

int
pimctl_cmd_watch( pimctl *pc, int argc, char **argv )
{
	watch_state ws;
	const char *base;
	int rc, failed;

	memset( &ws, 0, sizeof( ws ) );
	ws.ws_names.ns_full = pc->pc_args.a_dn;
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc != 0 ) {
		return rc;
	}
	/* a reconnect binds with the password already read */
	pc->pc_pwfile = NULL;
	pc->pc_want_pw = 0;

	/* from now on: what is already there is history */
	rc = pimctl_trail_last( pc, base, &ws.ws_seen );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_trail_error( pc, rc );
	}
	pimctl_verbose( pc, "watching after record %lu", ws.ws_seen );
	for ( ;; ) {
		ws.ws_got = 0;
		rc = pimctl_trail_walk( pc, base, ws.ws_seen + 1,
			ws.ws_seen + BATCH, NULL, watch_one, &ws, &failed );
		if ( failed ) {
			if ( rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR ||
				rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY ||
				rc == LDAP_TIMEOUT )
			{
				reconnect( pc );
				continue;
			}
			rc = pimctl_trail_error( pc, rc );
			break;
		}
		if ( ws.ws_got < BATCH ) {
			nap();	/* caught up */
		}
	}
	pimctl_names_free( &ws.ws_names );
	return rc;
}
