/* pimctl_alerts.c - "pimctl alerts": what deserves an administrator's
 * attention, and dismissing it.
 *
 *	pimctl alerts [--all] [--dn] [--stale D] [--max-permanent N]
 *		[--max-share P]
 * lists the open alerts, one table:
 *	  ID                    WHEN                  ALERT                 PRINCIPAL  ROLE     DETAILS
 *	  42                    2026-01-05 09:14:02Z  activation-frequency  demo       Backups  6 activations ...
 *	  no-mfa:3f9a0c1e       -                     no-mfa                -          Backups  does not require ...
 * Two sources:
 *  - alerts the server raised (pim_audit_alert.c), which are "alert"
 *    records of the audit trail; their ID is the record's sequence
 *    number;
 *  - scans of the directory as it is now, made here: roles that do not
 *    require MFA, or approval; roles with more than N permanent active
 *    assignments that are also more than P% of the role's assignments;
 *    eligibility not used (no activation started) for D.  Their ID is
 *    the kind and a digest of what they are about, stable from one run
 *    to the next, so that a dismissal sticks.
 * An alert stays open until an "alert dismissed" record names it; --all
 * lists dismissed ones too.
 *
 *	pimctl alerts dismiss ID --reason TEXT
 * asks the server to record the dismissal: a modify of the audit
 * container that adds pimAuditRef and pimAuditReason, which the overlay
 * turns into an "alert dismissed" event (administrators only) without
 * changing the container.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <nettle/sha2.h>

#include "pimctl.h"
#include "pimctl_trail.h"
#include "pim_time.h"

#define STALE_DEFAULT		( 90L * 86400 )
#define MAX_PERMANENT_DEFAULT	2
#define MAX_SHARE_DEFAULT	50

/* The table says "(dismissed)" in the details; programs get the details
 * as they are and a flag. */
static const pimctl_column columns[] = {
	{ "ID",		"id",		0, 0, NULL },
	{ "WHEN",	"when",		PIMCTL_COL_TIME, 0, NULL },
	{ "ALERT",	"alert",	0, 0, NULL },
	{ "PRINCIPAL",	"principal",	PIMCTL_COL_DN, 0, NULL },
	{ "ROLE",	"role",		PIMCTL_COL_DN, 0, NULL },
	{ "DETAILS",	NULL,		0, 0, NULL },
	{ NULL,		"details",	0, 0, NULL },
	{ NULL,		"dismissed",	PIMCTL_COL_BOOL, 0, NULL },
};
#define NCOLS	( (int)( sizeof( columns ) / sizeof( columns[0] ) ) )

typedef struct alerts_run {
	pimctl_table	ar_table;
	char		**ar_dismissed;	/* refs of "alert dismissed" records */
	int		ar_ndismissed;
	pimctl_rec	*ar_alerts;	/* "alert" records, in order */
	int		ar_nalerts;
	const char	*ar_base;
} alerts_run;

/* --- what the trail says ------------------------------------------------ */

static int
collect( pimctl *pc, pimctl_rec *r, void *arg )
{
	alerts_run *ar = arg;
	const char *ev = r->r_f[PIM_CH_EVENT];
	void *p;

	if ( ev && strcasecmp( ev, "alert dismissed" ) == 0 && r->r_f[PIM_CH_REF] ) {
		p = ber_memrealloc( ar->ar_dismissed,
			( ar->ar_ndismissed + 1 ) * sizeof( char * ) );
		if ( p == NULL ) {
			return PIMCTL_EX_CLIENT;
		}
		ar->ar_dismissed = p;
		ar->ar_dismissed[ar->ar_ndismissed++] = ber_strdup( r->r_f[PIM_CH_REF] );
	} else if ( ev && strcasecmp( ev, "alert" ) == 0 ) {
		p = ber_memrealloc( ar->ar_alerts,
			( ar->ar_nalerts + 1 ) * sizeof( pimctl_rec ) );
		if ( p == NULL ) {
			return PIMCTL_EX_CLIENT;
		}
		ar->ar_alerts = p;
		ar->ar_alerts[ar->ar_nalerts++] = *r;
		memset( r, 0, sizeof( *r ) );	/* kept: the walk frees nothing */
	}
	return 0;
}

static int
dismissed( alerts_run *ar, const char *id )
{
	int i;

	for ( i = 0; i < ar->ar_ndismissed; i++ ) {
		if ( strcasecmp( ar->ar_dismissed[i], id ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

/* One row; id, kind and text are copied; when is a GeneralizedTime,
 * principal and role DNs. */
static int
row( pimctl *pc, alerts_run *ar, const char *id, const char *when,
	const char *kind, const char *principal, const char *role,
	const char *text )
{
	char *c[NCOLS], *details;
	int gone = dismissed( ar, id );

	if ( gone && !pc->pc_args.a_all ) {
		return 0;
	}
	details = text ? pimctl_text_clip( text, 0 ) : NULL;
	if ( gone && details ) {
		char *d = ber_memalloc( strlen( details ) + 16 );

		if ( d ) {
			sprintf( d, "(dismissed) %s", details );
		}
		ber_memfree( details );
		details = d;
	}
	c[0] = ber_strdup( id );
	c[1] = when ? ber_strdup( when ) : NULL;
	c[2] = ber_strdup( kind );
	c[3] = principal ? ber_strdup( principal ) : NULL;
	c[4] = role ? ber_strdup( role ) : NULL;
	c[5] = details;
	c[6] = text ? ber_strdup( text ) : NULL;
	c[7] = ber_strdup( gone ? "TRUE" : "FALSE" );
	return pimctl_table_add( &ar->ar_table, c ) == 0 ? 0 : PIMCTL_EX_CLIENT;
}

static int
stored_alerts( pimctl *pc, alerts_run *ar )
{
	unsigned long last = 0, first = 0;
	int i, rc, failed = 0;

	rc = pimctl_trail_last( pc, ar->ar_base, &last );
	if ( rc == LDAP_SUCCESS ) {
		rc = pimctl_trail_first( pc, ar->ar_base, last, &first );
	}
	if ( rc == LDAP_SUCCESS && last != 0 ) {
		rc = pimctl_trail_walk( pc, ar->ar_base, first, last,
			"(|(pimAuditEvent=alert)(pimAuditEvent=alert dismissed))",
			collect, ar, &failed );
		if ( !failed && rc != 0 ) {
			return rc;
		}
	}
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_trail_error( pc, rc );
	}
	for ( i = 0; rc == 0 && i < ar->ar_nalerts; i++ ) {
		pimctl_rec *r = &ar->ar_alerts[i];

		rc = row( pc, ar, r->r_f[PIM_CH_SEQ], r->r_f[PIM_CH_TIME],
			r->r_f[PIM_CH_ALERT] ? r->r_f[PIM_CH_ALERT] : "alert",
			r->r_f[PIM_CH_PRINCIPAL], r->r_f[PIM_CH_ROLE],
			r->r_f[PIM_CH_TEXT] );
	}
	return rc;
}

/* --- scans ------------------------------------------------------------------ */

/* "kind:" and 8 hex digits of SHA-256 over the lowercased subject. */
static void
scan_id( const char *kind, const char *a, const char *b, char *out,
	size_t size )
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char low[1024];
	size_t i;

	sha256_init( &ctx );
	for ( i = 0; a && a[i] && i < sizeof( low ); i++ ) {
		low[i] = (char)tolower( (unsigned char)a[i] );
	}
	sha256_update( &ctx, i, (uint8_t *)low );
	sha256_update( &ctx, 1, (const uint8_t *)"\n" );
	for ( i = 0; b && b[i] && i < sizeof( low ); i++ ) {
		low[i] = (char)tolower( (unsigned char)b[i] );
	}
	sha256_update( &ctx, i, (uint8_t *)low );
	sha256_digest( &ctx, sizeof( d ), d );
	snprintf( out, size, "%s:%02x%02x%02x%02x", kind, d[0], d[1], d[2], d[3] );
}

static int
is_true( LDAP *ld, LDAPMessage *e, const char *attr )
{
	return pimctl_has_value( ld, e, attr, "TRUE" );
}

static int
scan_roles( pimctl *pc, alerts_run *ar )
{
	char *attrs[] = { "pimMFARequired", "pimApprovalRequired", NULL };
	LDAPMessage *res = NULL, *e;
	char id[64], *dn;
	int rc;

	rc = pimctl_search( pc, ar->ar_base, LDAP_SCOPE_SUBTREE,
		"(objectClass=pimRole)", attrs, &res );
	for ( e = res ? ldap_first_entry( pc->pc_ld, res ) : NULL; e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		dn = ldap_get_dn( pc->pc_ld, e );
		if ( dn == NULL ) {
			continue;
		}
		if ( !is_true( pc->pc_ld, e, "pimMFARequired" ) ) {
			scan_id( "no-mfa", dn, NULL, id, sizeof( id ) );
			rc = rc ? rc : row( pc, ar, id, NULL, "no-mfa", NULL, dn,
				pimctl_has_value( pc->pc_ld, e, "pimMFARequired", NULL ) ?
				"activation does not require a one-time code" :
				"activation does not require a one-time code (unless "
				"the server's default, pim-mfa-required, is on)" );
		}
		if ( !is_true( pc->pc_ld, e, "pimApprovalRequired" ) ) {
			scan_id( "no-approval", dn, NULL, id, sizeof( id ) );
			rc = rc ? rc : row( pc, ar, id, NULL, "no-approval", NULL, dn,
				pimctl_has_value( pc->pc_ld, e, "pimApprovalRequired", NULL ) ?
				"activation does not require approval" :
				"activation does not require approval (unless the "
				"server's default, pim-approval-required, is on)" );
		}
		ldap_memfree( dn );
	}
	ldap_msgfree( res );
	return rc;
}

/* Counting per role (or per principal and role): a small list. */
typedef struct tally {
	char	*t_key;		/* lowercased */
	char	*t_role;
	char	*t_principal;
	long	t_a, t_b;
} tally;

typedef struct tallies {
	tally	*ts;
	int	n;
} tallies;

static tally *
tally_get( tallies *ts, const char *principal, const char *role )
{
	char key[2048];
	size_t i;
	int k;

	snprintf( key, sizeof( key ), "%s\n%s", principal ? principal : "",
		role ? role : "" );
	for ( i = 0; key[i]; i++ ) {
		key[i] = (char)tolower( (unsigned char)key[i] );
	}
	for ( k = 0; k < ts->n; k++ ) {
		if ( strcmp( ts->ts[k].t_key, key ) == 0 ) {
			return &ts->ts[k];
		}
	}
	tally *p = ber_memrealloc( ts->ts, ( ts->n + 1 ) * sizeof( tally ) );
	if ( p == NULL ) {
		return NULL;
	}
	ts->ts = p;
	memset( &p[ts->n], 0, sizeof( tally ) );
	p[ts->n].t_key = ber_strdup( key );
	p[ts->n].t_role = role ? ber_strdup( role ) : NULL;
	p[ts->n].t_principal = principal ? ber_strdup( principal ) : NULL;
	return &p[ts->n++];
}

static void
tallies_free( tallies *ts )
{
	int k;

	for ( k = 0; k < ts->n; k++ ) {
		ber_memfree( ts->ts[k].t_key );
		ber_memfree( ts->ts[k].t_role );
		ber_memfree( ts->ts[k].t_principal );
	}
	ber_memfree( ts->ts );
	memset( ts, 0, sizeof( *ts ) );
}

/* For each entry of filter, add to its role's tally (a, or b). */
static int
count_by_role( pimctl *pc, alerts_run *ar, tallies *ts, const char *filter,
	int use_b, int by_principal )
{
	char *attrs[] = { "pimRoleDN", "pimPrincipal", NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	rc = pimctl_search( pc, ar->ar_base, LDAP_SCOPE_SUBTREE, filter, attrs,
		&res );
	for ( e = res ? ldap_first_entry( pc->pc_ld, res ) : NULL; e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		char *role = pimctl_first_value( pc->pc_ld, e, "pimRoleDN" );
		char *who = by_principal ?
			pimctl_first_value( pc->pc_ld, e, "pimPrincipal" ) : NULL;
		tally *t = role ? tally_get( ts, who, role ) : NULL;

		if ( t ) {
			*( use_b ? &t->t_b : &t->t_a ) += 1;
		}
		ber_memfree( role );
		ber_memfree( who );
	}
	ldap_msgfree( res );
	return rc;
}

static int
scan_permanent( pimctl *pc, alerts_run *ar, long max, long share )
{
	tallies ts = { NULL, 0 };
	char id[64], text[256];
	int k, rc;

	/* a: permanent active assignments; b: all assignments */
	rc = count_by_role( pc, ar, &ts, "(&(objectClass=pimActivation)"
		"(pimState=active)(!(pimEligibilityRef=*))(!(pimEndTime=*)))", 0, 0 );
	if ( rc == 0 ) {
		rc = count_by_role( pc, ar, &ts, "(|(objectClass=pimEligibility)"
			"(&(objectClass=pimActivation)(pimState=active)"
			"(!(pimEligibilityRef=*))))", 1, 0 );
	}
	for ( k = 0; rc == 0 && k < ts.n; k++ ) {
		tally *t = &ts.ts[k];
		long pct = t->t_b ? 100 * t->t_a / t->t_b : 0;

		if ( t->t_a <= max || pct <= share ) {
			continue;
		}
		scan_id( "permanent-assignments", t->t_role, NULL, id, sizeof( id ) );
		snprintf( text, sizeof( text ), "%ld permanent active assignments, "
			"%ld%% of the role's %ld assignments (more than %ld and "
			"more than %ld%%)", t->t_a, pct, t->t_b, max, share );
		rc = row( pc, ar, id, NULL, "permanent-assignments", NULL,
			t->t_role, text );
	}
	tallies_free( &ts );
	return rc;
}

static int
scan_stale( pimctl *pc, alerts_run *ar, long stale )
{
	tallies used = { NULL, 0 };
	char *attrs[] = { "pimRoleDN", "pimPrincipal", "createTimestamp",
		"pimStartTime", NULL };
	char cutoff[PIM_GENTIME_BUFSIZE], filter[256], id[64], text[256];
	char dur[PIM_DURATION_BUFSIZE];
	LDAPMessage *res = NULL, *e;
	time_t now = time( NULL ), since;
	char tb[PIMCTL_TIMEBUF];
	int rc;

	pim_gentime_format( now - stale, cutoff, sizeof( cutoff ) );
	if ( pim_duration_format( stale, dur, sizeof( dur ) ) < 0 ) {
		snprintf( dur, sizeof( dur ), "%lds", stale );
	}
	/* who activated what within the period */
	snprintf( filter, sizeof( filter ), "(&(objectClass=pimActivation)"
		"(pimEligibilityRef=*)(pimStartTime>=%s)(|(pimState=active)"
		"(pimState=expired)(pimState=deactivated)(pimState=revoked)))",
		cutoff );
	rc = count_by_role( pc, ar, &used, filter, 0, 1 );
	if ( rc == 0 ) {
		rc = pimctl_search( pc, ar->ar_base, LDAP_SCOPE_SUBTREE,
			"(objectClass=pimEligibility)", attrs, &res );
	}
	for ( e = rc == 0 && res ? ldap_first_entry( pc->pc_ld, res ) : NULL;
		e && rc == 0; e = ldap_next_entry( pc->pc_ld, e ) )
	{
		char *role = pimctl_first_value( pc->pc_ld, e, "pimRoleDN" );
		char *who = pimctl_first_value( pc->pc_ld, e, "pimPrincipal" );
		time_t created = 0, start = 0;
		int k, fresh = 0;

		pimctl_read_time( pc->pc_ld, e, "createTimestamp", &created, tb,
			sizeof( tb ), "" );
		pimctl_read_time( pc->pc_ld, e, "pimStartTime", &start, tb,
			sizeof( tb ), "" );
		since = start > created ? start : created;
		/* eligibility younger than the period is not stale yet */
		if ( role == NULL || who == NULL || since > now - stale ) {
			fresh = 1;
		}
		for ( k = 0; !fresh && k < used.n; k++ ) {
			char key[2048];
			size_t i;

			snprintf( key, sizeof( key ), "%s\n%s", who, role );
			for ( i = 0; key[i]; i++ ) {
				key[i] = (char)tolower( (unsigned char)key[i] );
			}
			fresh = strcmp( used.ts[k].t_key, key ) == 0;
		}
		if ( !fresh ) {
			scan_id( "stale-eligibility", who, role, id, sizeof( id ) );
			snprintf( text, sizeof( text ), "eligible, but no activation "
				"for %s", dur );
			rc = row( pc, ar, id, NULL, "stale-eligibility", who, role,
				text );
		}
		ber_memfree( role );
		ber_memfree( who );
	}
	ldap_msgfree( res );
	tallies_free( &used );
	return rc;
}

/* --- the command ---------------------------------------------------------- */

static int
alerts_list( pimctl *pc, const char *base )
{
	alerts_run ar;
	long stale = STALE_DEFAULT, max = MAX_PERMANENT_DEFAULT,
		share = MAX_SHARE_DEFAULT;
	char *end;
	int i, rc, rc2;

	if ( pc->pc_args.a_stale && pimctl_parse_duration( pc, "--stale",
		pc->pc_args.a_stale, &stale ) != 0 )
		return PIMCTL_EX_USAGE;
	if ( pc->pc_args.a_max_permanent ) {
		max = strtol( pc->pc_args.a_max_permanent, &end, 10 );
		if ( *end || max < 0 ) {
			pimctl_error( pc, "--max-permanent: not a count" );
			return PIMCTL_EX_USAGE;
		}
	}
	if ( pc->pc_args.a_max_share ) {
		share = strtol( pc->pc_args.a_max_share, &end, 10 );
		if ( ( *end && strcmp( end, "%" ) != 0 ) || share < 0 || share > 100 ) {
			pimctl_error( pc, "--max-share: not a percentage (0-100)" );
			return PIMCTL_EX_USAGE;
		}
	}
	memset( &ar, 0, sizeof( ar ) );
	ar.ar_base = base;
	pimctl_table_init( &ar.ar_table, pc, NCOLS, columns );

	rc = stored_alerts( pc, &ar );
	if ( rc == 0 ) {
		rc = scan_roles( pc, &ar );
	}
	if ( rc == 0 ) {
		rc = scan_permanent( pc, &ar, max, share );
	}
	if ( rc == 0 ) {
		rc = scan_stale( pc, &ar, stale );
	}
	/* what was found is listed even when a search failed */
	rc2 = pimctl_output_one( pc, &ar.ar_table,
		ar.ar_table.t_nrows == 0 ? NULL :
		pc->pc_args.a_all ? "All alerts" : "Open alerts",
		"No open alerts." );
	rc = rc ? rc : rc2;
	pimctl_table_free( &ar.ar_table );
	for ( i = 0; i < ar.ar_ndismissed; i++ ) {
		ber_memfree( ar.ar_dismissed[i] );
	}
	ber_memfree( ar.ar_dismissed );
	for ( i = 0; i < ar.ar_nalerts; i++ ) {
		pimctl_rec_free( &ar.ar_alerts[i] );
	}
	ber_memfree( ar.ar_alerts );
	return rc;
}

/* The audit container: the parent of a record, else the pimAuditLog
 * under the base. */
static int
find_container( pimctl *pc, const char *base, char **dn )
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	*dn = NULL;
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE,
		"(objectClass=pimAuditLog)", attrs, &res );
	e = res ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( e ) {
		*dn = ldap_get_dn( pc->pc_ld, e );
	}
	ldap_msgfree( res );
	if ( *dn == NULL && rc == 0 ) {
		rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE,
			"(objectClass=pimAuditRecord)", attrs, &res );
		e = res ? ldap_first_entry( pc->pc_ld, res ) : NULL;
		if ( e ) {
			char *rdn = ldap_get_dn( pc->pc_ld, e ), *comma;

			comma = rdn ? strchr( rdn, ',' ) : NULL;
			*dn = comma ? ber_strdup( comma + 1 ) : NULL;
			ldap_memfree( rdn );
		}
		ldap_msgfree( res );
	}
	if ( *dn == NULL && rc == 0 ) {
		pimctl_error( pc, "no audit trail under \"%s\" (see -b)", base );
		rc = PIMCTL_EX_NAME;
	}
	return rc;
}

static int
alerts_dismiss( pimctl *pc, const char *base, const char *id )
{
	char *container = NULL, *refv[2], *reasonv[2];
	LDAPMod ref, reason, *mods[3];
	int rc;

	if ( pc->pc_args.a_reason == NULL || *pc->pc_args.a_reason == '\0' ) {
		pimctl_error( pc, "dismiss needs --reason" );
		return PIMCTL_EX_USAGE;
	}
	rc = find_container( pc, base, &container );
	if ( rc != 0 ) {
		return rc;
	}
	refv[0] = (char *)id;
	refv[1] = NULL;
	reasonv[0] = (char *)pc->pc_args.a_reason;
	reasonv[1] = NULL;
	ref.mod_op = LDAP_MOD_ADD;
	ref.mod_type = "pimAuditRef";
	ref.mod_values = refv;
	reason.mod_op = LDAP_MOD_ADD;
	reason.mod_type = "pimAuditReason";
	reason.mod_values = reasonv;
	mods[0] = &ref;
	mods[1] = &reason;
	mods[2] = NULL;
	pimctl_verbose( pc, "modify \"%s\": add pimAuditRef %s", container, id );
	rc = ldap_modify_ext_s( pc->pc_ld, container, mods, NULL, NULL );
	if ( rc != LDAP_SUCCESS ) {
		rc = pimctl_ld_error( pc, "dismiss", rc );
	} else {
		printf( "dismissed alert %s\n", id );
	}
	ber_memfree( container );
	return rc;
}

int
pimctl_cmd_alerts( pimctl *pc, int argc, char **argv )
{
	const char *base;
	int rc;

	if ( argc > 0 && strcmp( argv[0], "dismiss" ) != 0 ) {
		pimctl_error( pc, "unknown argument '%s' (did you mean dismiss?)",
			argv[0] );
		return PIMCTL_EX_USAGE;
	}
	if ( argc == 1 ) {
		pimctl_error( pc, "dismiss needs the alert's ID" );
		return PIMCTL_EX_USAGE;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc != 0 ) {
		return rc;
	}
	return argc == 2 ? alerts_dismiss( pc, base, argv[1] ) :
		alerts_list( pc, base );
}
