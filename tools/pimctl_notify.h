/* pimctl_notify.h - "pimctl notify", shared by its files:
 *
 *   pimctl_notify.c        the loop: follow the trail, retry, the cursor
 *   pimctl_notify_conf.c   the configuration file
 *   pimctl_notify_state.c  the cursor's state file, written atomically
 *   pimctl_notify_role.c   a role's settings: its entry's over the file's
 *   pimctl_notify_route.c  who hears of an event: addresses from LDAP
 *   pimctl_notify_text.c   templates, and the webhook's JSON body
 *   pimctl_notify_send.c   delivery with libcurl: SMTP and HTTP POST
 */
#ifndef PIMCTL_NOTIFY_H
#define PIMCTL_NOTIFY_H

#include "pimctl.h"
#include "pimctl_trail.h"

/* A list of strings, each owned (ber_strdup), NULL-terminated. */
typedef struct nt_strs {
	char	**s_v;
	int	s_n;
} nt_strs;

int nt_strs_add( nt_strs *l, const char *s );
int nt_strs_has( const nt_strs *l, const char *s );	/* case-insensitive */
void nt_strs_free( nt_strs *l );

/* Per-role settings, and (nr_name NULL) the overlay-wide defaults that
 * every role starts from.  All strings owned. */
typedef struct nt_role {
	char		*nr_name;	/* a role DN (normalized) or a cn */
	int		nr_is_dn;
	nt_strs		nr_events;	/* events that notify; none set: inherit */
	int		nr_events_set;
	nt_strs		nr_mail_to;	/* extra recipients of each event */
	int		nr_critical;	/* administrators hear of each
					 * activation: -1 inherit, 0, 1 */
	int		nr_critical_only; /* and nothing but critical notices
					 * go out: -1 inherit, 0, 1 */
	char		*nr_subject;	/* NULL: inherit */
	char		*nr_body;
	struct nt_role	*nr_next;
} nt_role;

typedef struct nt_conf {
	char		*nc_state_file;
	double		nc_poll;		/* seconds between polls */
	/* mail */
	char		*nc_smtp_url;
	int		nc_smtp_starttls;	/* 1: required */
	char		*nc_smtp_user;
	char		*nc_smtp_password;	/* read from the file; wiped */
	char		*nc_mail_from;
	/* webhooks */
	nt_strs		nc_webhooks;
	char		*nc_webhook_text;	/* template of "text" */
	double		nc_timeout;		/* per transfer, seconds */
	/* PIM administrators */
	nt_strs		nc_admin_mail;
	nt_strs		nc_admin_groups;
	/* retries */
	int		nc_retries;		/* attempts per delivery */
	double		nc_retry_delay;		/* the first backoff */
	double		nc_retry_max;		/* the longest backoff */
	int		nc_syslog;
	nt_role		nc_defaults;		/* events, subject, body... */
	nt_role		*nc_roles;		/* in file order */
} nt_conf;

/* pimctl_notify_conf.c */
int nt_conf_read( pimctl *pc, const char *file, nt_conf *nc );
void nt_conf_free( nt_conf *nc );
/* The settings for one role: the first matching section, NULL: none. */
const nt_role *nt_conf_role( const nt_conf *nc, const char *role_dn );
int nt_event_on( const nt_conf *nc, const nt_role *nr, const char *event );
int nt_role_critical( const nt_conf *nc, const nt_role *nr );
int nt_role_critical_only( const nt_conf *nc, const nt_role *nr );
const char *nt_role_subject( const nt_conf *nc, const nt_role *nr );
const char *nt_role_body( const nt_conf *nc, const nt_role *nr );
int nt_dn_equal( const char *a, const char *b );

/* pimctl_notify_role.c: the settings of a role (*out, owned by *cache;
 * NULL for a record about no role): the role entry's pimNotify
 * attributes over the file's section and defaults.  Returns 0 or an
 * LDAP result code (try again later). */
int nt_role_settings( pimctl *pc, const nt_conf *nc, nt_role **cache,
	const char *role_dn, const nt_role **out );
void nt_roles_forget( nt_role **cache );

/* pimctl_notify_state.c: the last sequence number fully handled */
int nt_state_read( pimctl *pc, const char *file, unsigned long *seq,
	int *found );
int nt_state_write( pimctl *pc, const char *file, unsigned long seq );

/* pimctl_notify_route.c: the event's recipients (owned by the caller),
 * deduplicated; an LDAP failure to read them is returned (> 0) so that
 * the event is tried again, not sent to fewer people. */
int nt_route( pimctl *pc, const nt_conf *nc, const nt_role *nr,
	const pimctl_rec *r, nt_strs *to, int *on );

/* pimctl_notify_text.c: tmpl with {field}s replaced (ber_memalloc'ed,
 * NULL: out of memory) */
char *nt_expand( const char *tmpl, const pimctl_rec *r );
char *nt_webhook_json( const nt_conf *nc, const pimctl_rec *r,
	const nt_strs *to );
char *nt_mail_message( const nt_conf *nc, const pimctl_rec *r,
	const nt_strs *to, const char *subject, const char *body );
const char *nt_event_key( const char *event, char *buf, size_t size );

/* pimctl_notify_send.c: 0 delivered, else a message in err */
int nt_send_init( void );
void nt_send_done( void );
int nt_send_mail( const nt_conf *nc, const nt_strs *to, const char *msg,
	char *err, size_t errsize );
int nt_send_webhook( const nt_conf *nc, const char *url, const char *json,
	char *err, size_t errsize );

/* pimctl_notify.c: a line on stderr, and in syslog when configured */
void nt_log( const nt_conf *nc, int prio, const char *fmt, ... )
	__attribute__(( format( printf, 3, 4 ) ));

#endif /* PIMCTL_NOTIFY_H */
