/* pimctl_notify.c - "pimctl notify": the audit trail, delivered.
 *
 *	pimctl notify [--config FILE] [--once] [--from-start]
 * follows the audit trail the way "pimctl watch" does (the records
 * after the last one handled, asked for every poll-interval: the
 * sequence numbers are dense and only grow, so that is a complete feed
 * in order), works out who hears of each event (pimctl_notify_route.c)
 * and delivers it by mail and to webhooks (pimctl_notify_send.c).
 *
 * Exactly once, across restarts: the cursor - the last sequence number
 * fully handled - is kept in the state file, replaced atomically after
 * each event (pimctl_notify_state.c), and a restart resumes after it.
 * "Fully handled" means every delivery succeeded, or failed its whole
 * retry budget: an event that cannot be delivered is logged as failed
 * at error level and the cursor moves on, so that one dead webhook does
 * not hold up everybody's notifications for ever.  The one window left
 * is a crash (or SIGKILL) after a delivery and before the state file
 * is replaced: that event is delivered again.  SIGTERM and SIGINT stop
 * between events, or in a retry's backoff (the event is then tried
 * again, whole, at the next start).
 *
 * The first start (no state file) begins at the current end of the
 * trail - what is there is history - unless --from-start.
 *
 * The overlay has no way for a client to record an alert (alerts are
 * PIM's own records), so a failure is logged at error level (stderr and,
 * with "syslog yes", syslog), and --once exits with status 68.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "pimctl_notify.h"

#define BATCH		200	/* records asked for per poll */
#define DEFAULT_CONFIG	"/etc/ldap/pim-notify.conf"

typedef struct notify_run {
	pimctl		*nn_pc;
	nt_conf		nn_conf;
	unsigned long	nn_seen;	/* the cursor */
	int		nn_got;		/* records this poll */
	int		nn_undelivered;	/* events given up on */
	int		nn_ldap_rc;	/* a lookup failed: stop, try again */
	int		nn_fatal;	/* the state file cannot be written */
	nt_role		*nn_roles;	/* roles' settings, read this poll */
} notify_run;

static volatile sig_atomic_t nt_stop;

static void
on_signal( int sig )
{
	nt_stop = 1;
}

void
nt_log( const nt_conf *nc, int prio, const char *fmt, ... )
{
	char msg[2048];
	va_list ap;

	va_start( ap, fmt );
	vsnprintf( msg, sizeof( msg ), fmt, ap );
	va_end( ap );
	fprintf( stderr, "%s: notify: %s%s\n", PIMCTL_PROG,
		prio <= LOG_ERR ? "ERROR: " : "", msg );
	if ( nc && nc->nc_syslog ) {
		syslog( prio, "%s", msg );
	}
}

/* Sleep for secs, or until a signal asks to stop. */
static void
nap( double secs )
{
	struct timespec ts;

	if ( nt_stop || secs <= 0 ) {
		return;
	}
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)( ( secs - (double)ts.tv_sec ) * 1e9 );
	nanosleep( &ts, NULL );
}

/* One delivery of an event: the mail (url NULL) or one webhook. */
typedef struct delivery {
	const char	*d_url;
	int		d_done;
	char		d_err[256];
} delivery;

static int
deliver_once( notify_run *nn, delivery *d, const nt_strs *to,
	const char *msg, const char *json )
{
	if ( d->d_url == NULL ) {
		return nt_send_mail( &nn->nn_conf, to, msg, d->d_err,
			sizeof( d->d_err ) );
	}
	return nt_send_webhook( &nn->nn_conf, d->d_url, json, d->d_err,
		sizeof( d->d_err ) );
}

/* Each delivery until it succeeds, nc_retries attempts at most, the
 * ones still due after a backoff that doubles (retry-delay up to
 * retry-max-delay).  Returns the number that failed for good, or -1
 * when a signal stopped it (nothing is marked then). */
static int
deliver_all( notify_run *nn, const pimctl_rec *r, delivery *d, int n,
	const nt_strs *to, const char *msg, const char *json )
{
	const nt_conf *nc = &nn->nn_conf;
	double backoff = nc->nc_retry_delay;
	int attempt, i, left = n;

	for ( attempt = 1; left > 0 && attempt <= nc->nc_retries; attempt++ ) {
		if ( attempt > 1 ) {
			nap( backoff );
			backoff = backoff * 2 > nc->nc_retry_max ?
				nc->nc_retry_max : backoff * 2;
			if ( nt_stop ) {
				return -1;
			}
		}
		for ( i = 0; i < n; i++ ) {
			if ( d[i].d_done ) {
				continue;
			}
			if ( deliver_once( nn, &d[i], to, msg, json ) == 0 ) {
				d[i].d_done = 1;
				left--;
				continue;
			}
			nt_log( nc, LOG_WARNING, "event %lu (%s): %s %s: attempt %d"
				" of %d failed: %s", r->r_seq, r->r_f[PIM_CH_EVENT],
				d[i].d_url ? "webhook" : "mail",
				d[i].d_url ? d[i].d_url : nc->nc_smtp_url, attempt,
				nc->nc_retries, d[i].d_err );
		}
	}
	return left;
}

/* After the budget: the failure, visibly, and the event marked failed
 * in the log (the cursor moves on). */
static void
report_undelivered( notify_run *nn, const pimctl_rec *r, delivery *d, int n )
{
	const nt_conf *nc = &nn->nn_conf;
	int i;

	for ( i = 0; i < n; i++ ) {
		if ( !d[i].d_done ) {
			nt_log( nc, LOG_ERR, "event %lu (%s) FAILED: %s %s undelivered"
				" after %d attempts: %s; moving on", r->r_seq,
				r->r_f[PIM_CH_EVENT], d[i].d_url ? "webhook" : "mail",
				d[i].d_url ? d[i].d_url : nc->nc_smtp_url,
				nc->nc_retries, d[i].d_err );
		}
	}
	nn->nn_undelivered++;
}

/* The event's deliveries: the mail when there is somebody to send it
 * to, each webhook.  Returns 0 handled, -1 stopped by a signal; the
 * text and the JSON body are made once, so that retries send the same. */
static int
notify_event( notify_run *nn, const pimctl_rec *r, const nt_strs *to )
{
	const nt_conf *nc = &nn->nn_conf;
	const nt_role *nr = nt_conf_role( nc, r->r_f[PIM_CH_ROLE] );
	delivery *d = ber_memcalloc( nc->nc_webhooks.s_n + 1, sizeof( *d ) );
	char *subject = nt_expand( nt_role_subject( nc, nr ), r );
	char *body = nt_expand( nt_role_body( nc, nr ), r );
	char *json = nt_webhook_json( nc, r, to ), *msg = NULL;
	int n = 0, i, left, rc = 0;

	if ( d == NULL || subject == NULL || body == NULL || json == NULL ) {
		nt_log( nc, LOG_ERR, "event %lu: out of memory", r->r_seq );
		rc = -1;
		goto done;
	}
	if ( nc->nc_smtp_url && to->s_n > 0 ) {
		if ( ( msg = nt_mail_message( nc, r, to, subject, body ) ) == NULL ) {
			rc = -1;
			goto done;
		}
		d[n++].d_url = NULL;
	}
	for ( i = 0; i < nc->nc_webhooks.s_n; i++ ) {
		d[n++].d_url = nc->nc_webhooks.s_v[i];
	}
	left = deliver_all( nn, r, d, n, to, msg, json );
	if ( left < 0 ) {
		rc = -1;
	} else if ( left > 0 ) {
		report_undelivered( nn, r, d, n );
	} else {
		nt_log( nc, LOG_INFO, "event %lu (%s) delivered: %d recipient(s),"
			" %d webhook(s)", r->r_seq, r->r_f[PIM_CH_EVENT],
			msg ? to->s_n : 0, nc->nc_webhooks.s_n );
	}
done:
	free( msg );	/* open_memstream's */
	ber_memfree( json );
	ber_memfree( body );
	ber_memfree( subject );
	ber_memfree( d );
	return rc;
}

/* pimctl_trail_walk's callback: one record, then the cursor after it.
 * Non-zero stops the walk: a signal, a lookup that failed (the record
 * is tried again), or a cursor that cannot be kept. */
static int
notify_one( pimctl *pc, pimctl_rec *r, void *arg )
{
	notify_run *nn = arg;
	nt_strs to = { NULL, 0 };
	const nt_role *nr = NULL;
	int on = 0, rc;

	if ( r->r_seq <= nn->nn_seen ) {
		return 0;	/* never twice */
	}
	if ( nt_stop ) {
		return 1;
	}
	if ( r->r_seq > nn->nn_seen + 1 ) {
		/* the trail is dense: only retention takes records away */
		nt_log( &nn->nn_conf, LOG_ERR, "records %lu to %lu were removed"
			" from the trail (retention) before they were delivered",
			nn->nn_seen + 1, r->r_seq - 1 );
	}
	rc = nt_role_settings( pc, &nn->nn_conf, &nn->nn_roles,
		r->r_f[PIM_CH_ROLE], &nr );
	if ( rc == 0 ) {
		rc = nt_route( pc, &nn->nn_conf, nr, r, &to, &on );
	}
	if ( rc != 0 ) {
		nn->nn_ldap_rc = rc;
		goto done;
	}
	if ( on && notify_event( nn, r, &to ) != 0 ) {
		rc = 1;
		goto done;
	}
	if ( nt_state_write( pc, nn->nn_conf.nc_state_file, r->r_seq ) != 0 ) {
		nn->nn_fatal = 1;
		rc = 1;
		goto done;
	}
	nn->nn_seen = r->r_seq;
	nn->nn_got++;
done:
	nt_strs_free( &to );
	return rc;
}

static int
is_down( int rc )
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR ||
		rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_TIMEOUT;
}

/* Connect again after the server went away; quiet until it answers.
 * Returns 0, or -1 when a signal asked to stop meanwhile. */
static int
reconnect( notify_run *nn )
{
	pimctl *pc = nn->nn_pc;
	int saved = dup( STDERR_FILENO ), devnull = open( "/dev/null", O_WRONLY );
	int rc = -1;

	nt_log( &nn->nn_conf, LOG_WARNING, "connection lost; reconnecting" );
	while ( !nt_stop ) {
		if ( pc->pc_ld ) {
			ldap_unbind_ext_s( pc->pc_ld, NULL, NULL );
			pc->pc_ld = NULL;
		}
		nap( nn->nn_conf.nc_poll > 0.2 ? nn->nn_conf.nc_poll : 0.2 );
		if ( devnull >= 0 ) dup2( devnull, STDERR_FILENO );
		rc = pimctl_connect( pc );
		if ( saved >= 0 ) dup2( saved, STDERR_FILENO );
		if ( rc == 0 ) {
			nt_log( &nn->nn_conf, LOG_NOTICE, "reconnected" );
			break;
		}
		rc = -1;
	}
	if ( devnull >= 0 ) close( devnull );
	if ( saved >= 0 ) close( saved );
	return rc;
}

/* Where to begin: after the state file's cursor, else (first start)
 * after the current end of the trail, or before its start. */
static int
start_cursor( notify_run *nn, const char *base )
{
	pimctl *pc = nn->nn_pc;
	const char *file = nn->nn_conf.nc_state_file;
	int found, rc;

	rc = nt_state_read( pc, file, &nn->nn_seen, &found );
	if ( rc != 0 || found ) {
		return rc;
	}
	nn->nn_seen = 0;
	if ( !pc->pc_args.a_from_start ) {
		rc = pimctl_trail_last( pc, base, &nn->nn_seen );
		if ( rc != LDAP_SUCCESS ) {
			return pimctl_trail_error( pc, rc );
		}
	}
	/* kept now: events from here on are owed, even across a restart */
	return nt_state_write( pc, file, nn->nn_seen );
}

/* Is there a record with a sequence number >= seq?  One search with a
 * size limit of one (indexed: "index pimAuditSeq eq"). */
static int
exists_from( pimctl *pc, const char *base, unsigned long seq, int *found )
{
	char filter[96], *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL;
	int rc, err = LDAP_SUCCESS;

	*found = 0;
	snprintf( filter, sizeof( filter ),
		"(&(objectClass=pimAuditRecord)(pimAuditSeq>=%lu))", seq );
	rc = ldap_search_ext_s( pc->pc_ld, base, LDAP_SCOPE_SUBTREE, filter,
		attrs, 0, NULL, NULL, NULL, 1, &res );
	if ( res != NULL ) {
		rc = ldap_parse_result( pc->pc_ld, res, &err, NULL, NULL, NULL,
			NULL, 0 );
		if ( rc == LDAP_SUCCESS ) {
			rc = err == LDAP_SIZELIMIT_EXCEEDED ? LDAP_SUCCESS : err;
		}
		*found = ldap_count_entries( pc->pc_ld, res ) > 0;
	}
	ldap_msgfree( res );
	return rc;
}

/* The window after the cursor was empty.  If later records exist, the
 * ones after the cursor were removed by the trail's retention while
 * the notifier was away longer than the retention period: say so at
 * error level and go on at the lowest record left - waiting for them
 * would wait for ever.  Returns an LDAP result code. */
static int
skip_removed( notify_run *nn, const char *base )
{
	pimctl *pc = nn->nn_pc;
	unsigned long last, first;
	int rc, found;

	rc = exists_from( pc, base, nn->nn_seen + BATCH + 1, &found );
	if ( rc != LDAP_SUCCESS || !found ) {
		return rc;	/* caught up: the usual case, one search */
	}
	if ( ( rc = pimctl_trail_last( pc, base, &last ) ) != LDAP_SUCCESS ||
		( rc = pimctl_trail_first( pc, base, last, &first ) ) != LDAP_SUCCESS )
	{
		return rc;
	}
	if ( first <= nn->nn_seen + 1 ) {
		return LDAP_SUCCESS;	/* appeared meanwhile: the next poll */
	}
	nt_log( &nn->nn_conf, LOG_ERR, "records %lu to %lu were removed from the"
		" trail (retention) before they were delivered; going on at %lu",
		nn->nn_seen + 1, first - 1, first );
	if ( nt_state_write( pc, nn->nn_conf.nc_state_file, first - 1 ) != 0 ) {
		nn->nn_fatal = 1;
		return LDAP_SUCCESS;
	}
	nn->nn_seen = first - 1;
	return LDAP_SUCCESS;
}

/* An LDAP failure: -1 to go on after a reconnect, else the exit status
 * (a failure that is not the server going away; --once; a signal). */
static int
ldap_trouble( notify_run *nn, int rc )
{
	pimctl *pc = nn->nn_pc;

	if ( !is_down( rc ) || pc->pc_args.a_once ) {
		return pimctl_trail_error( pc, rc );
	}
	return reconnect( nn ) == 0 ? -1 : PIMCTL_EX_OK;
}

/* Poll until stopped (--once: until the end of the trail).  Returns
 * the exit status. */
static int
notify_loop( notify_run *nn, const char *base )
{
	pimctl *pc = nn->nn_pc;
	unsigned long before;
	int rc, failed;

	while ( !nt_stop ) {
		nn->nn_got = 0;
		nn->nn_ldap_rc = 0;
		nt_roles_forget( &nn->nn_roles );	/* read afresh */
		before = nn->nn_seen;
		rc = pimctl_trail_walk( pc, base, nn->nn_seen + 1,
			nn->nn_seen + BATCH, NULL, notify_one, nn, &failed );
		if ( !nn->nn_fatal && !failed && !nn->nn_ldap_rc &&
			nn->nn_got == 0 && !nt_stop )
		{
			failed = ( rc = skip_removed( nn, base ) ) != LDAP_SUCCESS;
		}
		if ( nn->nn_fatal ) {
			return PIMCTL_EX_CLIENT;
		}
		if ( failed || nn->nn_ldap_rc ) {
			rc = ldap_trouble( nn, failed ? rc : nn->nn_ldap_rc );
			if ( rc != -1 ) {
				return rc;
			}
			continue;
		}
		if ( nn->nn_got < BATCH && nn->nn_seen == before + nn->nn_got ) {
			if ( pc->pc_args.a_once ) {
				break;
			}
			nap( nn->nn_conf.nc_poll );	/* caught up */
		}
	}
	return nn->nn_undelivered && pc->pc_args.a_once ?
		PIMCTL_EX_UNDELIVERED : PIMCTL_EX_OK;
}

static void
catch_signals( void )
{
	struct sigaction sa;

	memset( &sa, 0, sizeof( sa ) );
	sa.sa_handler = on_signal;	/* no SA_RESTART: naps end at once */
	sigemptyset( &sa.sa_mask );
	sigaction( SIGTERM, &sa, NULL );
	sigaction( SIGINT, &sa, NULL );
	sigaction( SIGHUP, &sa, NULL );
	signal( SIGPIPE, SIG_IGN );
}

int
pimctl_cmd_notify( pimctl *pc, int argc, char **argv )
{
	notify_run nn;
	const char *file = pc->pc_args.a_config ? pc->pc_args.a_config :
		DEFAULT_CONFIG, *base;
	int rc, curl = 0;

	memset( &nn, 0, sizeof( nn ) );
	nn.nn_pc = pc;
	if ( ( rc = nt_conf_read( pc, file, &nn.nn_conf ) ) != 0 ) {
		goto done;
	}
	if ( nn.nn_conf.nc_syslog ) {
		openlog( "pimctl-notify", LOG_PID, LOG_DAEMON );
	}
	if ( nt_send_init() != 0 ) {
		pimctl_error( pc, "cannot initialize libcurl" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	curl = 1;
	if ( ( rc = pimctl_connect( pc ) ) != 0 ||
		( rc = pimctl_get_base( pc, &base ) ) != 0 )
	{
		goto done;
	}
	/* a reconnect binds with the password already read */
	pc->pc_pwfile = NULL;
	pc->pc_want_pw = 0;
	if ( ( rc = start_cursor( &nn, base ) ) != 0 ) {
		goto done;
	}
	catch_signals();
	nt_log( &nn.nn_conf, LOG_NOTICE, "following the audit trail after"
		" record %lu", nn.nn_seen );
	rc = notify_loop( &nn, base );
	nt_log( &nn.nn_conf, LOG_NOTICE, "stopped after record %lu", nn.nn_seen );
done:
	if ( curl ) {
		nt_send_done();
	}
	nt_roles_forget( &nn.nn_roles );
	nt_conf_free( &nn.nn_conf );
	return rc;
}
