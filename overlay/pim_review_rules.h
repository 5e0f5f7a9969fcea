/* pim_review_rules.h - the pure rules of access reviews.
 *
 * The names of every review setting and state (one table), the schedule
 * arithmetic of recurring reviews and the recommendation PIM makes for
 * an item.  No slapd dependency: the unit tests cover it directly, and
 * pimctl shares the names.
 */
#ifndef PIM_REVIEW_RULES_H
#define PIM_REVIEW_RULES_H

#include <stddef.h>
#include <time.h>

/* The sets of names a review uses; each value of a set is its index in
 * it (the enums below). */
enum pim_rv_set {
	PIM_RVN_RECUR,		/* pimReviewRecurrence (but an interval) */
	PIM_RVN_SCOPE,		/* pimReviewAssignmentKind */
	PIM_RVN_WHO,		/* pimReviewReviewerKind */
	PIM_RVN_DEFAULT,	/* pimReviewDefaultDecision */
	PIM_RVN_REC,		/* pimReviewRecommendation */
	PIM_RVN_DECISION,	/* pimReviewDecision: enum pim_decision */
	PIM_RVN_STATE,		/* pimState of instances and items */
	PIM_RVN_OUTCOME,	/* pimReviewOutcome */
	PIM_RVN_NSETS
};

enum pim_recur { PIM_RECUR_ONCE, PIM_RECUR_WEEKLY, PIM_RECUR_MONTHLY,
	PIM_RECUR_QUARTERLY, PIM_RECUR_SEMIANNUAL, PIM_RECUR_ANNUAL,
	PIM_RECUR_INTERVAL };	/* written as a duration, such as 90d */
enum pim_rv_scope { PIM_RVS_ELIGIBLE, PIM_RVS_ACTIVE, PIM_RVS_BOTH };
enum pim_rv_who { PIM_RVW_SELF, PIM_RVW_NAMED, PIM_RVW_APPROVERS,
	PIM_RVW_MANAGER };
enum pim_rv_default { PIM_RVD_NONE, PIM_RVD_REMOVE, PIM_RVD_APPROVE,
	PIM_RVD_RECOMMENDATION };
enum pim_rv_rec { PIM_REC_NONE, PIM_REC_APPROVE, PIM_REC_DENY };
enum pim_rv_state { PIM_RVST_OPEN, PIM_RVST_CLOSED, PIM_RVST_APPLIED };
enum pim_rv_outcome { PIM_RVO_REMOVED, PIM_RVO_REVOKED, PIM_RVO_KEPT,
	PIM_RVO_GONE, PIM_RVO_FAILED };

/* The value of name s (len bytes, case-insensitive) in set, or -1. */
int pim_rv_parse( enum pim_rv_set set, const char *s, size_t len );
/* The name of value v in set; "?" for none. */
const char *pim_rv_name( enum pim_rv_set set, int v );

/* A review's schedule.  Occurrence k (from 0) of a calendar recurrence
 * is k steps of months after the start, on the same day of the month,
 * or the month's last day when it has fewer (a review started on 31
 * January recurs on 28 or 29 February, then 31 March); of an interval
 * or weekly recurrence, start + k * interval. */
typedef struct pim_schedule {
	enum pim_recur	sc_recur;
	long		sc_interval;	/* PIM_RECUR_INTERVAL: seconds */
	time_t		sc_start;
	long		sc_duration;	/* how long each instance is open */
	time_t		sc_until;	/* no occurrence after; 0: never */
	long		sc_max;		/* occurrences at most; 0: no limit */
} pim_schedule;

/* pimReviewRecurrence: a name, or a duration (pim_duration_parse) of at
 * least one second.  0, or -1. */
int pim_recur_parse( const char *s, size_t len, enum pim_recur *r,
	long *interval );
/* Occurrence k: 0 and *t, or -1 when there is none (beyond sc_max or
 * sc_until, past year 9999, k < 0, once and k > 0). */
int pim_schedule_at( const pim_schedule *sc, long k, time_t *t );
/* The shortest time between two occurrences (0 for a one-time review):
 * an instance must close before the next opens. */
long pim_schedule_min_period( const pim_schedule *sc );
/* What is due at now, occurrences before k being done: *open = 1 when
 * occurrence *j (>= k) has started and its window (sc_duration) has not
 * ended (the latest such: missed ones are skipped); else *open = 0 and
 * *j, *t are the next occurrence to come (*t = 0: no more). */
void pim_schedule_due( const pim_schedule *sc, long k, time_t now,
	int *open, long *j, time_t *t );

/* What the directory knows of one assignment under review. */
typedef struct pim_rv_facts {
	time_t	rf_now;
	time_t	rf_since;		/* the assignment's start; 0 unknown */
	time_t	rf_last_activation;	/* 0: none known */
	time_t	rf_last_bind;		/* 0: the site keeps no bind times */
	int	rf_active;		/* an active assignment */
	long	rf_days;		/* the inactivity threshold */
} pim_rv_facts;
#define PIM_RV_DEFAULT_DAYS	30
#define PIM_RV_WHY_SIZE		96

/* The recommendation, and why in words ("no activation in 90 days",
 * "activated 3 days ago") into why (PIM_RV_WHY_SIZE suffices). */
enum pim_rv_rec pim_rv_recommend( const pim_rv_facts *f, char *why,
	size_t size );
/* Has the principal neither activated (an active assignment counts
 * from its start) nor bound within rf_days? */
int pim_rv_inactive( const pim_rv_facts *f );

#endif /* PIM_REVIEW_RULES_H */
