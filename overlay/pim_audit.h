/* pim_audit.h - what the files of the audit trail share.
 *
 *   pim_audit.c        the writer: records, their chain, the container
 *   pim_audit_alert.c  the alerts PIM raises itself, and dismissals
 *   pim_audit_timer.c  retention and expiry warnings, on the expiry timer
 *   pim_audit_flood.c  unauthenticated clients' refusals, aggregated
 * The canonical form and hash of a record are pure code (pim_chain.c),
 * shared with pimctl, which verifies the chain.
 */
#ifndef PIM_AUDIT_H
#define PIM_AUDIT_H

#include "pim.h"

/* One record's fields before it is written: BER_BVNULL or empty means
 * absent.  The values need only outlive pim_audit_append(). */
typedef struct pim_audit_rec {
	struct berval	ar_f[PIM_CH_NFIELDS];
} pim_audit_rec;

/* An alert kind's in-memory counts (pim_audit_alert.c). */
typedef struct pim_alert_track pim_alert_track;
#define PIM_ALERT_BUCKETS	64

/* Runtime state of one instance's audit trail. */
struct pim_audit {
	/* Serializes appends: the next sequence number and the previous
	 * hash are taken, the record written and the head moved under it,
	 * so that sequence order, time order and chain order agree.  Held
	 * across one internal add (and, once, the head's recovery); never
	 * held while taking another PIM mutex, so it is always innermost. */
	ldap_pvt_thread_mutex_t	au_mutex;
	int			au_ready;	/* head recovered */
	unsigned long		au_seq;		/* last written; 0: none */
	char			au_prev[PIM_CHAIN_HEXLEN + 1];
	struct berval		au_dn;		/* the container, fixed while */
	struct berval		au_ndn;		/* the database is open */
	time_t			au_retention_next;	/* the pass to run */

	/* alert counts, under their own mutex (no I/O under it) */
	ldap_pvt_thread_mutex_t	au_alert_mutex;
	pim_alert_track		*au_alerts[PIM_ALERT_BUCKETS];
	unsigned		au_alert_adds;

	struct pim_flood	*au_flood;	/* pim_audit_flood.c's own */
};

/* pim_audit_flood.c: an unauthenticated client's refusals, one record
 * per address and event per window.  pim_flood_admit says whether this
 * one is recorded; *stands_for, how many the last window counted
 * without recording. */
#define PIM_FLOOD_WINDOW	60	/* seconds */
#define PIM_FLOOD_SLOTS		512
void pim_flood_init( struct pim_audit *au );
void pim_flood_destroy( struct pim_audit *au );
int pim_flood_admit( struct pim_audit *au, const struct berval *peer,
	const char *event, time_t now, unsigned *stands_for );

/* pim_audit.c */
void pim_audit_rec_str( pim_audit_rec *r, int field, const char *s );
int pim_audit_append( Operation *op, pim_info *pi, pim_audit_rec *r,
	unsigned long *seq );
struct berval *pim_audit_where( pim_info *pi );
int pim_audit_record_dn( Operation *op, pim_info *pi, unsigned long seq,
	struct berval *ndn );
int pim_audit_lowest( Operation *op, pim_info *pi, unsigned long last,
	unsigned long *seq );
int pim_audit_head( Operation *op, pim_info *pi, unsigned long *seq );

/* pim_audit_alert.c */
void pim_alert_init( struct pim_audit *au );
void pim_alert_destroy( struct pim_audit *au );
void pim_alert_count( Operation *op, pim_info *pi, const pim_event_info *ev,
	const struct berval *actor );	/* by ev->ev_counts */
int pim_alert_dismiss_door( Operation *op, SlapReply *rs, pim_info *pi );

/* pim_audit_timer.c */
void pim_audit_retention_schedule( pim_info *pi, time_t when );
void pim_audit_warnings_recover( Operation *op, pim_info *pi );

#endif /* PIM_AUDIT_H */
