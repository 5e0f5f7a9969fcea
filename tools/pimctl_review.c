/* pimctl_review.c - "pimctl review": define, decide and apply access
 * reviews.
 *
 * Each action is one PIM extended operation whose first field is its
 * target: the search base for reviewCreate (it routes the request to
 * the database that holds PIM), else the review entry acted on, found
 * by its pimId under the search base.  The settings of create and set
 * travel as LDIF attribute lines ("attr: value", or "attr:: base64"
 * for a value that is not LDIF-safe), which libldap's ldif_put_wrap()
 * writes; the server checks them as it checks a plain LDAP write of
 * the definition, so pimctl checks here only what it can name better:
 * the enumerated values, times, durations and numbers of its options.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pimctl.h"	/* first: ldif.h needs lber.h's types */
#include <ldif.h>
#include "pim_time.h"
#include "pim_review_rules.h"

#define OBIT( code )	PIMCTL_OPTBIT( code )

#define INST_OR_ITEM	"(|" PIMCTL_RV_INSTANCE PIMCTL_RV_ITEM ")"

/* --- the settings: LDIF lines ---------------------------------------- */

typedef struct settings {
	struct berval	s_ldif;		/* owned */
	size_t		s_cap;
	int		s_n;		/* lines */
} settings;

/* Append "attr: value" (or base64) to s. */
static int
settings_put( pimctl *pc, settings *s, const char *attr, const char *val )
{
	char *line, *p;
	size_t len;

	/* LDIF_LINE_WIDTH_MAX: one line per value, no folding */
	line = ldif_put_wrap( LDIF_PUT_VALUE, attr, val, strlen( val ),
		LDIF_LINE_WIDTH_MAX );
	if ( line == NULL ) {
		goto nomem;
	}
	len = strlen( line );
	if ( s->s_ldif.bv_len + len + 1 > s->s_cap ) {
		size_t cap = 2 * ( s->s_cap + len ) + 64;

		p = ber_memrealloc( s->s_ldif.bv_val, cap );
		if ( p == NULL ) {
			ber_memfree( line );
			goto nomem;
		}
		s->s_ldif.bv_val = p;
		s->s_cap = cap;
	}
	memcpy( s->s_ldif.bv_val + s->s_ldif.bv_len, line, len + 1 );
	s->s_ldif.bv_len += len;
	s->s_n++;
	ber_memfree( line );
	return 0;

nomem:
	pimctl_error( pc, "out of memory" );
	return PIMCTL_EX_CLIENT;
}

/* One of the names of set, as the server spells it. */
static int
put_name( pimctl *pc, settings *s, const char *opt, enum pim_rv_set set,
	const char *arg, const char *attr, const char *choices )
{
	int v;

	if ( arg == NULL ) {
		return 0;
	}
	v = pim_rv_parse( set, arg, strlen( arg ) );
	if ( v < 0 ) {
		pimctl_error( pc, "%s: '%s' is not %s", opt, arg, choices );
		return PIMCTL_EX_USAGE;
	}
	return settings_put( pc, s, attr, pim_rv_name( set, v ) );
}

/* A whole number from 1 to max. */
static int
put_number( pimctl *pc, settings *s, const char *opt, const char *arg,
	long max, const char *attr )
{
	char buf[24], *end;
	long n;

	if ( arg == NULL ) {
		return 0;
	}
	errno = 0;
	n = strtol( arg, &end, 10 );
	if ( *arg < '0' || *arg > '9' || *end != '\0' || errno != 0 ||
		n < 1 || n > max )
	{
		pimctl_error( pc, "%s: '%s' is not a number from 1 to %ld", opt,
			arg, max );
		return PIMCTL_EX_USAGE;
	}
	snprintf( buf, sizeof( buf ), "%ld", n );
	return settings_put( pc, s, attr, buf );
}

/* A duration, canonically (90m -> 1h30m). */
static int
put_duration( pimctl *pc, settings *s, const char *opt, const char *arg,
	const char *attr )
{
	char buf[PIM_DURATION_BUFSIZE];
	long secs;
	int rc;

	if ( arg == NULL ) {
		return 0;
	}
	rc = pimctl_parse_duration( pc, opt, arg, &secs );
	if ( rc == 0 && pim_duration_format( secs, buf, sizeof( buf ) ) < 0 ) {
		pimctl_error( pc, "%s: duration '%s' out of range", opt, arg );
		rc = PIMCTL_EX_USAGE;
	}
	return rc ? rc : settings_put( pc, s, attr, buf );
}

/* A time as the user writes it, as GeneralizedTime. */
static int
put_time( pimctl *pc, settings *s, const char *opt, const char *arg,
	const char *attr )
{
	char buf[PIM_GENTIME_BUFSIZE];
	time_t t;
	int rc;

	if ( arg == NULL ) {
		return 0;
	}
	rc = pimctl_parse_time( pc, opt, arg, time( NULL ), &t );
	if ( rc == 0 && pim_gentime_format( t, buf, sizeof( buf ) ) < 0 ) {
		pimctl_error( pc, "%s: time '%s' out of range", opt, arg );
		rc = PIMCTL_EX_USAGE;
	}
	return rc ? rc : settings_put( pc, s, attr, buf );
}

/* A name, or an interval written as a duration. */
static int
put_recurrence( pimctl *pc, settings *s, const char *arg )
{
	char buf[PIM_DURATION_BUFSIZE];
	enum pim_recur r;
	long interval;

	if ( arg == NULL ) {
		return 0;
	}
	if ( pim_recur_parse( arg, strlen( arg ), &r, &interval ) != 0 ) {
		pimctl_error( pc, "--recurrence: '%s' is not once, weekly,"
			" monthly, quarterly, semiannual, annual or an interval"
			" such as 90d", arg );
		return PIMCTL_EX_USAGE;
	}
	if ( r != PIM_RECUR_INTERVAL ) {
		return settings_put( pc, s, "pimReviewRecurrence",
			pim_rv_name( PIM_RVN_RECUR, r ) );
	}
	if ( pim_duration_format( interval, buf, sizeof( buf ) ) < 0 ) {
		pimctl_error( pc, "--recurrence: interval '%s' out of range",
			arg );
		return PIMCTL_EX_USAGE;
	}
	return settings_put( pc, s, "pimReviewRecurrence", buf );
}

/* An on/off pair of options: TRUE, FALSE, or nothing. */
static int
put_bool( pimctl *pc, settings *s, int on, int off, const char *attr )
{
	unsigned long long given = pc->pc_args.a_given;

	if ( ( given & OBIT( on ) ) && ( given & OBIT( off ) ) ) {
		pimctl_error( pc, "--%s and --%s exclude each other",
			pimctl_option_name( on ), pimctl_option_name( off ) );
		return PIMCTL_EX_USAGE;
	}
	if ( given & OBIT( on ) ) {
		return settings_put( pc, s, attr, "TRUE" );
	}
	if ( given & OBIT( off ) ) {
		return settings_put( pc, s, attr, "FALSE" );
	}
	return 0;
}

/* Every setting that needs no lookup: all of them checked before
 * pimctl connects, so that a typo costs no bind. */
static int
settings_scalars( pimctl *pc, settings *s )
{
	pimctl_args *a = &pc->pc_args;
	int rc = 0;

	if ( a->a_description ) {
		rc = settings_put( pc, s, "description", a->a_description );
	}
	if ( rc == 0 ) {
		rc = put_name( pc, s, "--kind", PIM_RVN_SCOPE, a->a_kind,
			"pimReviewAssignmentKind", "eligible, active or both" );
	}
	if ( rc == 0 ) {
		rc = put_number( pc, s, "--inactive-days", a->a_inactive_days,
			36600, "pimReviewInactiveDays" );
	}
	if ( rc == 0 ) {
		rc = put_name( pc, s, "--reviewers", PIM_RVN_WHO,
			a->a_reviewers_kind, "pimReviewReviewerKind",
			"self, named, approvers or manager" );
	}
	if ( rc == 0 ) {
		rc = put_time( pc, s, "--start", a->a_start, "pimReviewStartTime" );
	}
	if ( rc == 0 ) {
		rc = put_recurrence( pc, s, a->a_recurrence );
	}
	if ( rc == 0 ) {
		rc = put_duration( pc, s, "--duration", a->a_duration,
			"pimReviewDuration" );
	}
	if ( rc == 0 ) {
		rc = put_time( pc, s, "--end", a->a_end, "pimReviewEndTime" );
	}
	if ( rc == 0 ) {
		rc = put_number( pc, s, "--instances", a->a_instances, 100000,
			"pimReviewMaxInstances" );
	}
	if ( rc == 0 ) {
		rc = put_bool( pc, s, OPT_REQUIRE_REASON, OPT_NO_REQUIRE_REASON,
			"pimReviewJustificationRequired" );
	}
	if ( rc == 0 ) {
		rc = put_name( pc, s, "--default", PIM_RVN_DEFAULT, a->a_default,
			"pimReviewDefaultDecision",
			"none, remove, approve or recommendation" );
	}
	if ( rc == 0 ) {
		rc = put_bool( pc, s, OPT_AUTO_APPLY, OPT_NO_AUTO_APPLY,
			"pimReviewAutoApply" );
	}
	if ( rc == 0 ) {
		rc = put_duration( pc, s, "--reminder", a->a_reminder,
			"pimReviewReminder" );
	}
	if ( rc == 0 ) {
		rc = put_bool( pc, s, OPT_SHOW_RECS, OPT_HIDE_RECS,
			"pimReviewShowRecommendations" );
	}
	return rc;
}

/* The DNs of a repeated option; resolve turns a name into a DN (and
 * takes one with '=' as it is). */
static int
put_dns( pimctl *pc, settings *s, const pimctl_list *l, const char *attr,
	int (*resolve)( pimctl *, const char *, char ** ) )
{
	char *dn = NULL;
	int i, rc = 0;

	for ( i = 0; rc == 0 && i < l->l_n; i++ ) {
		rc = resolve( pc, l->l_vals[i], &dn );
		if ( rc == 0 ) {
			rc = settings_put( pc, s, attr, dn );
		}
		ber_memfree( dn );
		dn = NULL;
	}
	return rc;
}

/* Roles, reviewers and fallback reviewers: lookups, once connected.
 * A reviewer may be a group (its members review), as an approver may. */
static int
settings_dns( pimctl *pc, settings *s )
{
	pimctl_args *a = &pc->pc_args;
	int rc;

	rc = put_dns( pc, s, &a->a_roles, "pimReviewScopeRole",
		pimctl_resolve_role );
	if ( rc == 0 ) {
		rc = put_dns( pc, s, &a->a_reviewers, "pimReviewer",
			pimctl_resolve_approver );
	}
	if ( rc == 0 ) {
		rc = put_dns( pc, s, &a->a_fallbacks, "pimReviewFallbackReviewer",
			pimctl_resolve_approver );
	}
	return rc;
}

/* --- the actions ----------------------------------------------------- */

/* An id as the protocol and the directory carry it. */
static int
check_id( pimctl *pc, const char *id )
{
	if ( *id == '\0' ) {
		pimctl_error( pc, "empty access review id" );
		return PIMCTL_EX_USAGE;
	}
	if ( strlen( id ) > PIM_MAX_ID ) {
		pimctl_error( pc, "access review id longer than %d bytes",
			PIM_MAX_ID );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}

/* Connect and find the entry of id (one of filter's objectClasses). */
static int
connect_find( pimctl *pc, const char *what, const char *filter,
	const char *id, char **dn )
{
	int rc = check_id( pc, id );

	*dn = NULL;
	if ( rc == 0 ) {
		rc = pimctl_connect( pc );
	}
	if ( rc == 0 ) {
		rc = pimctl_review_find( pc, what, filter, id, dn );
	}
	return rc;
}

/* With -v, the settings as they go (the server's errors name their
 * attributes, not pimctl's options). */
static void
settings_verbose( pimctl *pc, const settings *s )
{
	pimctl_verbose( pc, "settings:\n%.*s", (int)s->s_ldif.bv_len,
		s->s_ldif.bv_val ? s->s_ldif.bv_val : "" );
}

/* Send verb on target; *count from the response (-1 when it has
 * none). */
static int
review_exop( pimctl *pc, enum pim_verb verb, pim_request *req,
	const char *target, long *count )
{
	pim_response rsp;
	struct berval *data = NULL;
	int rc;

	req->pr_role = pimctl_bv( target );
	rc = pimctl_exop( pc, verb, req, &rsp, &data );
	if ( count ) {
		*count = ( rsp.ps_fields & PIM_RF_COUNT ) ? rsp.ps_count : -1;
	}
	ber_bvfree( data );
	return rc;
}

static int
review_create( pimctl *pc, int argc, char **argv )
{
	settings s = { { 0, NULL }, 0, 0 };
	pim_request req;
	pim_response rsp;
	struct berval *data = NULL;
	const char *base;
	int rc;

	memset( &req, 0, sizeof( req ) );
	if ( *argv[1] == '\0' ) {
		pimctl_error( pc, "an access review needs a NAME" );
		return PIMCTL_EX_USAGE;
	}
	rc = settings_put( pc, &s, "cn", argv[1] );
	if ( rc == 0 ) {
		rc = settings_scalars( pc, &s );
	}
	if ( rc == 0 ) {
		rc = pimctl_connect( pc );
	}
	if ( rc == 0 ) {
		rc = settings_dns( pc, &s );
	}
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc != 0 ) {
		goto done;
	}
	settings_verbose( pc, &s );
	req.pr_role = pimctl_bv( base );
	req.pr_settings = s.s_ldif;
	req.pr_fields |= PIM_F_SETTINGS;
	rc = pimctl_exop( pc, PIM_VERB_REVIEW_CREATE, &req, &rsp, &data );
	if ( rc == 0 && ( rsp.ps_fields & PIM_RF_ID ) ) {
		printf( "created access review %s: %.*s\n", argv[1],
			(int)rsp.ps_id.bv_len, rsp.ps_id.bv_val );
	} else if ( rc == 0 ) {
		printf( "created access review %s\n", argv[1] );
	}
done:
	ber_bvfree( data );
	ber_memfree( s.s_ldif.bv_val );
	return rc;
}

static int
review_set( pimctl *pc, int argc, char **argv )
{
	settings s = { { 0, NULL }, 0, 0 };
	pim_request req;
	char *dn = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = settings_scalars( pc, &s );
	if ( rc == 0 && s.s_n == 0 && pc->pc_args.a_roles.l_n == 0 &&
		pc->pc_args.a_reviewers.l_n == 0 &&
		pc->pc_args.a_fallbacks.l_n == 0 )
	{
		pimctl_error( pc, "set: give at least one setting (see"
			" '%s review --help')", PIMCTL_PROG );
		rc = PIMCTL_EX_USAGE;
	}
	if ( rc == 0 ) {
		rc = connect_find( pc, "access review", PIMCTL_RV_DEFINITION,
			argv[1], &dn );
	}
	if ( rc == 0 ) {
		rc = settings_dns( pc, &s );
	}
	if ( rc == 0 ) {
		settings_verbose( pc, &s );
		req.pr_settings = s.s_ldif;
		req.pr_fields |= PIM_F_SETTINGS;
		rc = review_exop( pc, PIM_VERB_REVIEW_MODIFY, &req, dn, NULL );
	}
	if ( rc == 0 ) {
		printf( "changed access review %s\n", argv[1] );
	}
	ber_memfree( dn );
	ber_memfree( s.s_ldif.bv_val );
	return rc;
}

static int
review_delete( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	char *dn = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = connect_find( pc, "access review", PIMCTL_RV_DEFINITION,
		argv[1], &dn );
	if ( rc == 0 ) {
		rc = review_exop( pc, PIM_VERB_REVIEW_DELETE, &req, dn, NULL );
	}
	if ( rc == 0 ) {
		printf( "deleted access review %s\n", argv[1] );
	}
	ber_memfree( dn );
	return rc;
}

static void
set_reason( pimctl *pc, pim_request *req )
{
	if ( pc->pc_args.a_reason ) {
		req->pr_justification = pimctl_bv( pc->pc_args.a_reason );
		req->pr_fields |= PIM_F_JUSTIFICATION;
	}
}

static int
review_decide( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	char *dn = NULL;
	int rc, v;

	memset( &req, 0, sizeof( req ) );
	v = pim_rv_parse( PIM_RVN_DECISION, argv[2], strlen( argv[2] ) );
	if ( v < 0 ) {
		pimctl_error( pc, "decide: '%s' is not approve, deny or dontknow",
			argv[2] );
		return PIMCTL_EX_USAGE;
	}
	req.pr_decision = v;
	req.pr_fields |= PIM_F_DECISION;
	set_reason( pc, &req );
	rc = connect_find( pc, "access review item", PIMCTL_RV_ITEM, argv[1],
		&dn );
	if ( rc == 0 ) {
		rc = review_exop( pc, PIM_VERB_REVIEW_DECIDE, &req, dn, NULL );
	}
	if ( rc == 0 ) {
		printf( "decided %s: %s\n", argv[1],
			pim_rv_name( PIM_RVN_DECISION, v ) );
	}
	ber_memfree( dn );
	return rc;
}

/* Every open item of the instance that the caller reviews takes PIM's
 * recommendation (the server says how many). */
static int
review_accept( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	char *dn = NULL;
	long n = -1;
	int rc;

	memset( &req, 0, sizeof( req ) );
	req.pr_recommended = 1;
	req.pr_fields |= PIM_F_RECOMMENDED;
	set_reason( pc, &req );
	rc = connect_find( pc, "access review instance", PIMCTL_RV_INSTANCE,
		argv[1], &dn );
	if ( rc == 0 ) {
		rc = review_exop( pc, PIM_VERB_REVIEW_DECIDE, &req, dn, &n );
	}
	if ( rc == 0 && n >= 0 ) {
		printf( "took the recommendation on %ld item%s\n", n,
			n == 1 ? "" : "s" );
	} else if ( rc == 0 ) {
		printf( "took the recommendations of %s\n", argv[1] );
	}
	ber_memfree( dn );
	return rc;
}

static int
review_apply( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	char *dn = NULL;
	long n = -1;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = connect_find( pc, "access review instance or item", INST_OR_ITEM,
		argv[1], &dn );
	if ( rc == 0 ) {
		rc = review_exop( pc, PIM_VERB_REVIEW_APPLY, &req, dn, &n );
	}
	if ( rc == 0 && n >= 0 ) {
		printf( "applied %s: %ld removed or revoked\n", argv[1], n );
	} else if ( rc == 0 ) {
		printf( "applied %s\n", argv[1] );
	}
	ber_memfree( dn );
	return rc;
}

static int
review_stop( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	char *dn = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	set_reason( pc, &req );
	rc = connect_find( pc, "access review instance", PIMCTL_RV_INSTANCE,
		argv[1], &dn );
	if ( rc == 0 ) {
		rc = review_exop( pc, PIM_VERB_REVIEW_STOP, &req, dn, NULL );
	}
	if ( rc == 0 ) {
		printf( "stopped access review %s\n", argv[1] );
	}
	ber_memfree( dn );
	return rc;
}

static int
review_show( pimctl *pc, int argc, char **argv )
{
	int rc = check_id( pc, argv[1] );

	return rc ? rc : pimctl_review_show( pc, argv[1] );
}

static int
review_report( pimctl *pc, int argc, char **argv )
{
	int rc = check_id( pc, argv[1] );

	return rc ? rc : pimctl_review_report( pc, argv[1] );
}

static int
review_items( pimctl *pc, int argc, char **argv )
{
	return pimctl_review_items( pc );
}

/* --- dispatch -------------------------------------------------------- */

static const struct review_action {
	const char		*ra_name;
	int			(*ra_run)( pimctl *pc, int argc, char **argv );
	int			ra_nargs;	/* after the action's name */
	const char		*ra_argnames;
	unsigned long long	ra_options;	/* besides the global ones */
} actions[] = {
	{ "create", review_create, 1, "NAME", PIMCTL_REVIEW_SETTINGS },
	{ "set", review_set, 1, "ID", PIMCTL_REVIEW_SETTINGS },
	{ "delete", review_delete, 1, "ID", 0 },
	{ "show", review_show, 1, "INSTANCE",
		OBIT( OPT_DN ) | OBIT( OPT_JSON ) | OBIT( OPT_CSV ) },
	{ "report", review_report, 1, "INSTANCE",
		OBIT( OPT_DN ) | OBIT( OPT_JSON ) | OBIT( OPT_CSV ) },
	{ "items", review_items, 0, "",
		OBIT( OPT_DN ) | OBIT( OPT_JSON ) | OBIT( OPT_CSV ) },
	{ "decide", review_decide, 2, "ITEM and approve, deny or dontknow",
		OBIT( OPT_REASON ) },
	{ "accept", review_accept, 1, "INSTANCE", OBIT( OPT_REASON ) },
	{ "apply", review_apply, 1, "ID (an instance or an item)", 0 },
	{ "stop", review_stop, 1, "INSTANCE", OBIT( OPT_REASON ) },
	{ NULL, NULL, 0, NULL, 0 }
};

/* The first option given that action does not take, or 0. */
static int
stray_option( pimctl *pc, const struct review_action *ra )
{
	unsigned long long stray = pc->pc_args.a_given & ~ra->ra_options;
	int code;

	for ( code = OPT_HELP; stray && code < OPT_MAX; code++ ) {
		if ( stray & OBIT( code ) ) {
			return code;
		}
	}
	return 0;
}

int
pimctl_cmd_review( pimctl *pc, int argc, char **argv )
{
	const struct review_action *ra;
	int stray;

	for ( ra = actions; ra->ra_name && strcmp( ra->ra_name, argv[0] );
		ra++ )
		;
	if ( ra->ra_name == NULL ) {
		pimctl_error( pc, "unknown review action '%s': create, set,"
			" delete, show, report, items, decide, accept, apply or stop",
			argv[0] );
		return PIMCTL_EX_USAGE;
	}
	if ( argc - 1 < ra->ra_nargs ) {
		pimctl_error( pc, "%s: expected %s", ra->ra_name,
			ra->ra_argnames );
		return PIMCTL_EX_USAGE;
	}
	if ( argc - 1 > ra->ra_nargs ) {
		pimctl_error( pc, "%s: unexpected argument '%s'",
			ra->ra_name, argv[ra->ra_nargs + 1] );
		return PIMCTL_EX_USAGE;
	}
	stray = stray_option( pc, ra );
	if ( stray ) {
		pimctl_error( pc, "%s does not take --%s", ra->ra_name,
			pimctl_option_name( stray ) );
		return PIMCTL_EX_USAGE;
	}
	return ra->ra_run( pc, argc, argv );
}

int
pimctl_cmd_reviews( pimctl *pc, int argc, char **argv )
{
	int rc = pimctl_review_list( pc );

	/* and what waits for the caller: a reviewer sees no definitions
	 * or instances, only their items (--json and --csv: one schema,
	 * the items are "review items --json") */
	if ( rc == 0 && !pc->pc_args.a_json && !pc->pc_args.a_csv ) {
		putchar( '\n' );
		rc = pimctl_review_items( pc );
	}
	return rc;
}
