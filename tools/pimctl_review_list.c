/* pimctl_review_list.c - the tables of access reviews, and finding a
 * review entry by its id.
 *
 * Definitions, instances and items all sit flat in the PIM container;
 * pimctl finds them by objectClass under the search base, so that it
 * needs to know no more of the server's layout than the other listings
 * do.  What a caller sees is the server's business: it shows reviewers
 * only their own items, administrators everything.
 *
 *	Access reviews:
 *	  ID        NAME                           RECURRENCE  NEXT OPEN
 *	  7c1e0a2b  User Administrator, quarterly  quarterly   2027-04-04 09:00:00Z
 *
 *	Instances:
 *	  ID           NAME                           STATE  OPENED  CLOSES  ITEMS  UNDECIDED
 *	  7c1e0a2b-r0  User Administrator, quarterly  open   ...     ...     12     4
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#include "pimctl.h"
#include "pim_time.h"

#define WHY_WIDTH	40	/* characters of a recommendation's reason */

/* Fill cells from entry e; 0, or an exit status. */
typedef int (*rv_read_fn)( pimctl *pc, LDAPMessage *e, char **cells );

/* One listing: what to search for, how a row reads, its order, and
 * which of its command's columns its table view leaves out. */
typedef struct rv_listing {
	const char		*l_filter;
	char			**l_attrs;
	rv_read_fn		l_read;
	const int		*l_keys;
	int			l_nkeys;
	const int		*l_hide;	/* ended by -1 */
} rv_listing;

static char *
number( long n )
{
	char buf[24];

	if ( n < 0 ) {
		return NULL;	/* not counted: "?" in the table, null in JSON */
	}
	snprintf( buf, sizeof( buf ), "%ld", n );
	return ber_strdup( buf );
}

/* --- "reviews": definitions and instances, one schema ------------------ */

enum { RV_ID, RV_TYPE, RV_NAME, RV_RECURRENCE, RV_NEXT, RV_STATE,
	RV_OPENED, RV_CLOSES, RV_ITEMS, RV_UNDECIDED, RV_NCOLS };

static const pimctl_column rv_columns[RV_NCOLS] = {
	{ "ID",		"id",		0, 0, NULL },
	{ NULL,		"type",		0, 0, NULL },
	{ "NAME",	"name",		0, 0, NULL },
	{ "RECURRENCE",	"recurrence",	0, 0, NULL },
	{ "NEXT OPEN",	"next_open",	PIMCTL_COL_TIME, 0, NULL },
	{ "STATE",	"state",	0, 0, NULL },
	{ "OPENED",	"opened",	PIMCTL_COL_TIME, 0, NULL },
	{ "CLOSES",	"closes",	PIMCTL_COL_TIME, 0, NULL },
	{ "ITEMS",	"items",	PIMCTL_COL_NUMBER, 0, "?" },
	{ "UNDECIDED",	"undecided",	PIMCTL_COL_NUMBER, 0, "?" },
};

static char *def_attrs[] = {
	"pimId", "cn", "pimReviewRecurrence", "pimReviewNextOpen", NULL
};

static int
read_def( pimctl *pc, LDAPMessage *e, char **c )
{
	LDAP *ld = pc->pc_ld;

	c[RV_ID] = pimctl_first_value( ld, e, "pimId" );
	c[RV_TYPE] = ber_strdup( "definition" );
	c[RV_NAME] = pimctl_first_value( ld, e, "cn" );
	c[RV_RECURRENCE] = pimctl_first_value( ld, e, "pimReviewRecurrence" );
	if ( c[RV_RECURRENCE] == NULL ) {
		c[RV_RECURRENCE] = ber_strdup( "once" );	/* the server's default */
	}
	c[RV_NEXT] = pimctl_first_value( ld, e, "pimReviewNextOpen" );
	return 0;
}

static char *inst_attrs[] = {
	"pimId", "cn", "pimState", "pimStartTime", "pimEndTime", NULL
};

/* How many items of instance dn the caller sees, and how many of them
 * nobody has decided; -1 when they cannot be counted (said with -v:
 * the table is still worth printing). */
static void
count_items( pimctl *pc, const char *base, const char *dn, long *items,
	long *undecided )
{
	char *attrs[] = { "pimReviewDecision", NULL };
	LDAPMessage *res = NULL, *e;
	char *value = NULL, *filter = NULL;
	size_t len;
	int rc;

	*items = *undecided = -1;
	if ( pimctl_filter_escape( dn, &value ) != 0 ||
		( filter = ber_memalloc( len = strlen( value ) + 64 ) ) == NULL )
	{
		goto done;
	}
	snprintf( filter, len, "(&" PIMCTL_RV_ITEM "(pimReviewInstanceRef=%s))",
		value );
	rc = ldap_search_ext_s( pc->pc_ld, base, LDAP_SCOPE_SUBTREE, filter,
		attrs, 0, NULL, NULL, NULL, 0, &res );
	if ( rc != LDAP_SUCCESS ) {
		pimctl_verbose( pc, "cannot count the items of \"%s\": %s", dn,
			ldap_err2string( rc ) );
		goto done;
	}
	*items = *undecided = 0;
	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		++*items;
		if ( !pimctl_has_value( pc->pc_ld, e, "pimReviewDecision", NULL ) ) {
			++*undecided;
		}
	}
done:
	ldap_msgfree( res );
	ber_memfree( value );
	ber_memfree( filter );
}

static int
read_inst( pimctl *pc, LDAPMessage *e, char **c )
{
	LDAP *ld = pc->pc_ld;
	char *dn;
	const char *base;
	long items = -1, undecided = -1;
	int rc;

	c[RV_ID] = pimctl_first_value( ld, e, "pimId" );
	c[RV_TYPE] = ber_strdup( "instance" );
	c[RV_NAME] = pimctl_first_value( ld, e, "cn" );
	c[RV_STATE] = pimctl_first_value( ld, e, "pimState" );
	c[RV_OPENED] = pimctl_first_value( ld, e, "pimStartTime" );
	c[RV_CLOSES] = pimctl_first_value( ld, e, "pimEndTime" );
	rc = pimctl_get_base( pc, &base );
	dn = ldap_get_dn( ld, e );
	if ( rc == 0 && dn ) {
		count_items( pc, base, dn, &items, &undecided );
	}
	ldap_memfree( dn );
	c[RV_ITEMS] = number( items );
	c[RV_UNDECIDED] = number( undecided );
	return rc;
}

/* --- items -------------------------------------------------------------- */

enum { IT_ID, IT_PRINCIPAL, IT_ROLE, IT_KIND, IT_REC_SHOWN, IT_REC,
	IT_REC_WHY, IT_DECISION, IT_BY, IT_OUTCOME, IT_NCOLS };

/* The table shows the recommendation with its reason cut short;
 * programs get the two whole. */
static const pimctl_column item_columns[IT_NCOLS] = {
	{ "ITEM",	"id",		0, 0, NULL },
	{ "PRINCIPAL",	"principal",	PIMCTL_COL_DN, 0, NULL },
	{ "ROLE",	"role",		PIMCTL_COL_DN, 0, NULL },
	{ "KIND",	"kind",		0, 0, NULL },
	{ "RECOMMENDATION", NULL,	0, 0, NULL },
	{ NULL,		"recommendation", 0, 0, NULL },
	{ NULL,		"recommendation_reason", 0, 0, NULL },
	{ "DECISION",	"decision",	0, 0, NULL },
	{ "BY",		"decided_by",	PIMCTL_COL_DN, 0, NULL },
	{ "OUTCOME",	"outcome",	0, 0, NULL },
};

static char *item_attrs[] = {
	"pimId", "pimPrincipal", "pimRoleDN", "pimReviewAssignmentKind",
	"pimReviewRecommendation", "pimReviewRecommendationReason",
	"pimReviewDecision", "pimReviewDecidedBy", "pimReviewOutcome", NULL
};

/* "deny (no activation in 90 days)", its reason cut to WHY_WIDTH. */
static char *
recommendation( LDAP *ld, LDAPMessage *e )
{
	char *rec = pimctl_first_value( ld, e, "pimReviewRecommendation" );
	char *why = pimctl_first_value( ld, e, "pimReviewRecommendationReason" );
	char *clip = NULL, *out = rec;
	size_t len;

	if ( rec && why && *why &&
		( clip = pimctl_text_clip( why, WHY_WIDTH ) ) != NULL &&
		( out = ber_memalloc( len = strlen( rec ) + strlen( clip ) + 4 ) )
			!= NULL )
	{
		snprintf( out, len, "%s (%s)", rec, clip );
		ber_memfree( rec );
	} else if ( out == NULL ) {
		out = rec;	/* out of memory: the reason goes */
	}
	ber_memfree( clip );
	ber_memfree( why );
	return out;
}

static int
read_item( pimctl *pc, LDAPMessage *e, char **c )
{
	LDAP *ld = pc->pc_ld;

	c[IT_ID] = pimctl_first_value( ld, e, "pimId" );
	c[IT_PRINCIPAL] = pimctl_first_value( ld, e, "pimPrincipal" );
	c[IT_ROLE] = pimctl_first_value( ld, e, "pimRoleDN" );
	c[IT_KIND] = pimctl_first_value( ld, e, "pimReviewAssignmentKind" );
	c[IT_REC_SHOWN] = recommendation( ld, e );
	c[IT_REC] = pimctl_first_value( ld, e, "pimReviewRecommendation" );
	c[IT_REC_WHY] = pimctl_first_value( ld, e,
		"pimReviewRecommendationReason" );
	c[IT_DECISION] = pimctl_first_value( ld, e, "pimReviewDecision" );
	c[IT_BY] = pimctl_first_value( ld, e, "pimReviewDecidedBy" );
	c[IT_OUTCOME] = pimctl_first_value( ld, e, "pimReviewOutcome" );
	return 0;
}

/* --- the listings ------------------------------------------------------- */

/* Search, and add what came back to t, sorted, even when the search
 * ended early (a size limit): the exit status still says it did. */
static int
fill( pimctl *pc, const char *base, const rv_listing *l, pimctl_table *t )
{
	LDAPMessage *res = NULL, *e;
	char *c[PIMCTL_MAXCOLS];
	int rc, rc2 = 0, i;

	for ( i = 0; l->l_hide && l->l_hide[i] >= 0; i++ ) {
		pimctl_table_hide( t, l->l_hide[i] );
	}
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, l->l_filter,
		l->l_attrs, &res );
	for ( e = res ? ldap_first_entry( pc->pc_ld, res ) : NULL;
		rc2 == 0 && e; e = ldap_next_entry( pc->pc_ld, e ) )
	{
		memset( c, 0, sizeof( c ) );
		rc2 = l->l_read( pc, e, c );
		/* the table takes the cells, or frees them when it cannot */
		if ( pimctl_table_add( t, c ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			rc2 = PIMCTL_EX_CLIENT;
		}
	}
	pimctl_table_sort( t, l->l_keys, l->l_nkeys );
	ldap_msgfree( res );
	return rc2 ? rc2 : rc;
}

static int
connect_base( pimctl *pc, const char **base )
{
	int rc = pimctl_connect( pc );

	return rc ? rc : pimctl_get_base( pc, base );
}

/* "pimctl reviews": the definitions, then the instances. */
int
pimctl_review_list( pimctl *pc )
{
	static const int def_keys[] = { RV_NAME, RV_ID };
	static const int def_hide[] = { RV_STATE, RV_OPENED, RV_CLOSES,
		RV_ITEMS, RV_UNDECIDED, -1 };
	static const int inst_keys[] = { RV_OPENED, RV_ID };
	static const int inst_hide[] = { RV_RECURRENCE, RV_NEXT, -1 };
	static const rv_listing defs = { PIMCTL_RV_DEFINITION, def_attrs,
		read_def, def_keys, 2, def_hide };
	static const rv_listing insts = { PIMCTL_RV_INSTANCE, inst_attrs,
		read_inst, inst_keys, 2, inst_hide };
	pimctl_table td, ti;
	pimctl_section s[2] = {
		{ &td, "Access reviews", NULL },
		{ &ti, "Instances", NULL }
	};
	const char *base;
	int rc, rc2;

	pimctl_table_init( &td, pc, RV_NCOLS, rv_columns );
	pimctl_table_init( &ti, pc, RV_NCOLS, rv_columns );
	rc = connect_base( pc, &base );
	if ( rc == 0 ) {
		rc = fill( pc, base, &defs, &td );
		rc2 = fill( pc, base, &insts, &ti );
		rc = rc ? rc : rc2;
		rc2 = pimctl_output( pc, s, 2 );
		rc = rc ? rc : rc2;
	}
	pimctl_table_free( &td );
	pimctl_table_free( &ti );
	return rc;
}

/* Items of the filter (ANDed with the item class). */
static int
list_items( pimctl *pc, const char *base, const char *title,
	const char *cond )
{
	static const int keys[] = { IT_ID };
	rv_listing items = { NULL, item_attrs, read_item, keys, 1, NULL };
	pimctl_table t;
	char *filter;
	size_t len = strlen( cond ) + 64;
	int rc, rc2;

	filter = ber_memalloc( len );
	if ( filter == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	snprintf( filter, len, "(&" PIMCTL_RV_ITEM "%s)", cond );
	items.l_filter = filter;
	pimctl_table_init( &t, pc, IT_NCOLS, item_columns );
	rc = fill( pc, base, &items, &t );
	rc2 = pimctl_output_one( pc, &t, title, NULL );
	pimctl_table_free( &t );
	ber_memfree( filter );
	return rc ? rc : rc2;
}

/* "pimctl review show INSTANCE": the items of one instance. */
int
pimctl_review_show( pimctl *pc, const char *id )
{
	const char *base;
	char *dn = NULL, *value = NULL, *cond = NULL, *title = NULL;
	size_t len;
	int rc;

	rc = connect_base( pc, &base );
	if ( rc == 0 ) {
		rc = pimctl_review_find( pc, "access review instance",
			PIMCTL_RV_INSTANCE, id, &dn );
	}
	if ( rc != 0 ) {
		goto done;
	}
	if ( pimctl_filter_escape( dn, &value ) != 0 ||
		( cond = ber_memalloc( len = strlen( value ) + 32 ) ) == NULL ||
		( title = ber_memalloc( strlen( id ) + 32 ) ) == NULL )
	{
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	snprintf( cond, len, "(pimReviewInstanceRef=%s)", value );
	snprintf( title, strlen( id ) + 32, "Items of %s", id );
	rc = list_items( pc, base, title, cond );
done:
	ber_memfree( dn );
	ber_memfree( value );
	ber_memfree( cond );
	ber_memfree( title );
	return rc;
}

/* "pimctl review items": the open items the caller may see. */
int
pimctl_review_items( pimctl *pc )
{
	const char *base;
	int rc = connect_base( pc, &base );

	return rc ? rc : list_items( pc, base, "Open review items",
		"(pimState=open)" );
}

/* --- the report of one instance -------------------------------------- */

/* "pimctl review report INSTANCE [--json | --csv]": the instance, what
 * its items add up to, then each item.  The table shows names (or DNs
 * with --dn); --json and --csv the DNs as the server gives them, and
 * times in ISO 8601 UTC.  A reviewer who may not read the instance
 * still gets its items; its own fields are then absent. */

enum { RI_NAME, RI_STATE, RI_START, RI_END, RI_ENDEDBY, RI_REASON,
	RI_DEFINITION, RI_N };
static char *ri_attrs[] = {
	"cn", "pimState", "pimStartTime", "pimEndTime", "pimEndedBy",
	"pimDecisionReason", "pimReviewDefinitionRef", NULL
};
static const char *const ri_json[RI_N] = {
	"name", "state", "start", "end", "endedBy", "reason", "definition"
};

enum { RT_ID, RT_PRINCIPAL, RT_ROLE, RT_KIND, RT_REC, RT_RECWHY,
	RT_DECISION, RT_BY, RT_WHEN, RT_REASON, RT_OUTCOME, RT_STATE, RT_N };
static char *rt_attrs[] = {
	"pimId", "pimPrincipal", "pimRoleDN", "pimReviewAssignmentKind",
	"pimReviewRecommendation", "pimReviewRecommendationReason",
	"pimReviewDecision", "pimReviewDecidedBy", "pimReviewDecisionTime",
	"pimDecisionReason", "pimReviewOutcome", "pimState", "pimReviewer",
	NULL
};
/* the JSON names and CSV columns; reviewers go after the kind */
static const char *const rt_json[RT_N] = {
	"id", "principal", "role", "kind", "recommendation",
	"recommendationReason", "decision", "decidedBy", "decisionTime",
	"reason", "outcome", "state"
};

static const char *const rp_outcomes[] = {
	"removed", "revoked", "kept", "gone", "failed"
};
#define RP_NOUTCOMES	5

/* the report's table view: its cells are made for it (names, times) */
static const pimctl_column rp_columns[] = {
	{ "PRINCIPAL", NULL, 0, 0, NULL }, { "ROLE", NULL, 0, 0, NULL },
	{ "KIND", NULL, 0, 0, NULL }, { "REVIEWERS", NULL, 0, 0, NULL },
	{ "RECOMMENDATION", NULL, 0, 0, NULL },
	{ "DECISION", NULL, 0, 0, NULL }, { "BY", NULL, 0, 0, NULL },
	{ "WHEN", NULL, 0, 0, NULL }, { "REASON", NULL, 0, 0, NULL },
	{ "OUTCOME", NULL, 0, 0, NULL }
};
#define RP_NCOLS	10

typedef struct rp_item {
	char		*i_dn;		/* ldap_memfree */
	char		*i_f[RT_N];	/* first values, owned */
	struct berval	**i_reviewers;	/* ldap_value_free_len */
	LDAPMessage	*i_e;
} rp_item;

typedef struct rp_counts {
	long	c_items, c_decided, c_defaulted, c_undecided;
	long	c_out[RP_NOUTCOMES];
} rp_counts;

/* A GeneralizedTime as ISO 8601 UTC; as stored when it is not one. */
static const char *
iso_time( const char *val, char *buf, size_t size )
{
	struct tm tm;
	time_t t;

	if ( val == NULL ) {
		return NULL;
	}
	if ( pim_gentime_parse( val, strlen( val ), &t ) != 0 ||
		gmtime_r( &t, &tm ) == NULL ||
		strftime( buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm ) == 0 )
	{
		return val;
	}
	return buf;
}

static char *
read_time( pimctl *pc, LDAPMessage *e, const char *attr, time_t *t )
{
	char buf[PIMCTL_TIMEBUF];
	time_t dummy;

	pimctl_read_time( pc->pc_ld, e, attr, t ? t : &dummy, buf,
		sizeof( buf ), "-" );
	return ber_strdup( buf );
}

static json_object *
jstr( const char *s )
{
	return s ? json_object_new_string( s ) : NULL;
}

/* The reviewers joined by sep, each as display() would show it (ns
 * NULL: the DNs); NULL for none. */
static char *
reviewers( pimctl *pc, pimctl_names *ns, const rp_item *it,
	const char *sep )
{
	char *out = NULL, *dn, *p;
	const char *name;
	size_t len = 0, n;
	int i;

	for ( i = 0; it->i_reviewers && it->i_reviewers[i]; i++ ) {
		dn = ber_strndup( it->i_reviewers[i]->bv_val,
			it->i_reviewers[i]->bv_len );
		name = dn && ns ? pimctl_display_name( pc, ns, dn ) : dn;
		if ( name == NULL ) {
			name = dn;
		}
		n = name ? strlen( name ) : 0;
		p = ber_memrealloc( out, len + n + strlen( sep ) + 1 );
		if ( p != NULL && name != NULL ) {
			out = p;
			len += snprintf( out + len, n + strlen( sep ) + 1, "%s%s",
				len ? sep : "", name );
		} else if ( p != NULL ) {
			out = p;
			out[len] = '\0';
		}
		ber_memfree( dn );
	}
	return out;
}

static int
item_cmp( const void *a, const void *b )
{
	const rp_item *x = a, *y = b;

	return strcmp( x->i_f[RT_ID] ? x->i_f[RT_ID] : "",
		y->i_f[RT_ID] ? y->i_f[RT_ID] : "" );
}

static void
count_item( rp_counts *c, const rp_item *it )
{
	int i;

	c->c_items++;
	if ( it->i_f[RT_DECISION] == NULL ) {
		c->c_undecided++;
	} else if ( it->i_f[RT_BY] != NULL ) {
		c->c_decided++;
	} else {
		c->c_defaulted++;
	}
	for ( i = 0; it->i_f[RT_OUTCOME] && i < RP_NOUTCOMES; i++ ) {
		if ( strcasecmp( it->i_f[RT_OUTCOME], rp_outcomes[i] ) == 0 ) {
			c->c_out[i]++;
		}
	}
}

static json_object *
report_item( const rp_item *it )
{
	json_object *o = json_object_new_object(), *a;
	char tbuf[32], *r;
	int i, j;

	json_object_object_add( o, "dn", jstr( it->i_dn ) );
	for ( i = 0; i < RT_N; i++ ) {
		json_object_object_add( o, rt_json[i], jstr( i == RT_WHEN ?
			iso_time( it->i_f[i], tbuf, sizeof( tbuf ) ) : it->i_f[i] ) );
		if ( i != RT_KIND ) {
			continue;
		}
		a = json_object_new_array();
		for ( j = 0; it->i_reviewers && it->i_reviewers[j]; j++ ) {
			r = ber_strndup( it->i_reviewers[j]->bv_val,
				it->i_reviewers[j]->bv_len );
			json_object_array_add( a, json_object_new_string( r ? r : "" ) );
			ber_memfree( r );
		}
		json_object_object_add( o, "reviewers", a );
	}
	return o;
}

static int
report_json( pimctl *pc, const char *id, const char *dn, char **inst,
	const rp_counts *c, const rp_item *items, int n )
{
	json_object *top = json_object_new_object(), *o, *a;
	char tbuf[32];
	int i, k, rc;

	o = json_object_new_object();
	json_object_object_add( o, "id", jstr( id ) );
	json_object_object_add( o, "dn", jstr( dn ) );
	for ( i = 0; i < RI_N; i++ ) {
		json_object_object_add( o, ri_json[i], jstr( i == RI_START ||
			i == RI_END ? iso_time( inst[i], tbuf, sizeof( tbuf ) ) :
			inst[i] ) );
	}
	json_object_object_add( top, "instance", o );
	o = json_object_new_object();
	json_object_object_add( o, "items", json_object_new_int64( c->c_items ) );
	json_object_object_add( o, "decided",
		json_object_new_int64( c->c_decided ) );
	json_object_object_add( o, "defaulted",
		json_object_new_int64( c->c_defaulted ) );
	json_object_object_add( o, "undecided",
		json_object_new_int64( c->c_undecided ) );
	for ( i = 0; i < RP_NOUTCOMES; i++ ) {
		json_object_object_add( o, rp_outcomes[i],
			json_object_new_int64( c->c_out[i] ) );
	}
	json_object_object_add( top, "counts", o );
	a = json_object_new_array();
	for ( k = 0; k < n; k++ ) {
		json_object_array_add( a, report_item( &items[k] ) );
	}
	json_object_object_add( top, "items", a );
	rc = pimctl_json_print( pc, top, 1 );
	json_object_put( top );
	return rc;
}

static void
report_csv( pimctl *pc, const rp_item *items, int n )
{
	char tbuf[32], *revs;
	int i, k;

	for ( i = 0; i < RT_N; i++ ) {
		pimctl_csv_field( stdout, rt_json[i], i == 0 );
		if ( i == RT_KIND ) {
			pimctl_csv_field( stdout, "reviewers", 0 );
		}
	}
	putchar( '\n' );
	for ( k = 0; k < n; k++ ) {
		const rp_item *it = &items[k];

		for ( i = 0; i < RT_N; i++ ) {
			pimctl_csv_field( stdout, i == RT_WHEN ? iso_time( it->i_f[i], tbuf,
				sizeof( tbuf ) ) : it->i_f[i], i == 0 );
			if ( i == RT_KIND ) {
				revs = reviewers( pc, NULL, it, ";" );
				pimctl_csv_field( stdout, revs, 0 );
				ber_memfree( revs );
			}
		}
		putchar( '\n' );
	}
}

/* One line of the header block, when there is something to say. */
static void
header_line( const char *label, const char *value )
{
	if ( value != NULL ) {
		printf( "  %-10s %s\n", label, value );
	}
}

static int
report_table( pimctl *pc, pimctl_names *ns, const char *id, char **inst,
	const rp_counts *c, const rp_item *items, int n )
{
	char buf[PIMCTL_TIMEBUF], line[256], *by;
	const char *name = NULL;
	pimctl_table t;
	time_t when;
	int k, rc = 0;

	printf( "Access review instance %s\n", id );
	header_line( "name:", inst[RI_NAME] );
	header_line( "state:", inst[RI_STATE] );
	if ( inst[RI_START] &&
		pim_gentime_parse( inst[RI_START], strlen( inst[RI_START] ),
			&when ) == 0 )
	{
		header_line( "opened:", pimctl_time_str( when, buf,
			sizeof( buf ) ) );
	} else {
		header_line( "opened:", inst[RI_START] );
	}
	if ( inst[RI_END] &&
		pim_gentime_parse( inst[RI_END], strlen( inst[RI_END] ),
			&when ) == 0 )
	{
		pimctl_time_str( when, buf, sizeof( buf ) );
	} else {
		snprintf( buf, sizeof( buf ), "%s",
			inst[RI_END] ? inst[RI_END] : "" );
	}
	if ( inst[RI_END] ) {
		header_line( inst[RI_STATE] &&
			strcasecmp( inst[RI_STATE], "open" ) == 0 ?
			"closes:" : "closed:", buf );
	}
	if ( inst[RI_ENDEDBY] ) {
		name = pimctl_display_name( pc, ns, inst[RI_ENDEDBY] );
	}
	header_line( "ended by:", name ? name : inst[RI_ENDEDBY] );
	header_line( "reason:", inst[RI_REASON] );
	snprintf( line, sizeof( line ), "%ld (decided %ld, defaulted %ld,"
		" undecided %ld)", c->c_items, c->c_decided, c->c_defaulted,
		c->c_undecided );
	header_line( "items:", line );
	snprintf( line, sizeof( line ), "removed %ld, revoked %ld, kept %ld,"
		" gone %ld, failed %ld", c->c_out[0], c->c_out[1], c->c_out[2],
		c->c_out[3], c->c_out[4] );
	header_line( "outcomes:", line );

	printf( "\nItems:\n" );
	if ( n == 0 ) {
		printf( "  (none)\n" );
		return 0;
	}
	pimctl_table_init( &t, pc, RP_NCOLS, rp_columns );
	for ( k = 0; rc == 0 && k < n; k++ ) {
		const rp_item *it = &items[k];
		char *cells[RP_NCOLS];

		by = NULL;
		if ( it->i_f[RT_BY] ) {
			name = pimctl_display_name( pc, ns, it->i_f[RT_BY] );
			by = ber_strdup( name ? name : it->i_f[RT_BY] );
		} else if ( it->i_f[RT_DECISION] ) {
			by = ber_strdup( "default" );
		}
		cells[0] = pimctl_display_attr( pc, ns, it->i_e, "pimPrincipal" );
		cells[1] = pimctl_display_attr( pc, ns, it->i_e, "pimRoleDN" );
		cells[2] = it->i_f[RT_KIND] ? ber_strdup( it->i_f[RT_KIND] ) : NULL;
		cells[3] = reviewers( pc, ns, it, ", " );
		cells[4] = recommendation( pc->pc_ld, it->i_e );
		cells[5] = it->i_f[RT_DECISION] ?
			ber_strdup( it->i_f[RT_DECISION] ) : NULL;
		cells[6] = by;
		cells[7] = read_time( pc, it->i_e, "pimReviewDecisionTime", NULL );
		cells[8] = it->i_f[RT_REASON] ?
			pimctl_text_clip( it->i_f[RT_REASON], WHY_WIDTH ) : NULL;
		cells[9] = it->i_f[RT_OUTCOME] ?
			ber_strdup( it->i_f[RT_OUTCOME] ) : NULL;
		if ( pimctl_table_add( &t, cells ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			rc = PIMCTL_EX_CLIENT;
		}
	}
	if ( rc == 0 ) {
		pimctl_table_print( &t, "  " );
	}
	pimctl_table_free( &t );
	return rc;
}

/* The fields of the instance at dn, all NULL when it is not readable
 * (a reviewer's case: said with -v). */
static void
read_instance( pimctl *pc, const char *dn, char **inst )
{
	LDAPMessage *res = NULL, *e;
	int i, rc;

	rc = ldap_search_ext_s( pc->pc_ld, dn, LDAP_SCOPE_BASE,
		PIMCTL_RV_INSTANCE, ri_attrs, 0, NULL, NULL, NULL, 0, &res );
	e = rc == LDAP_SUCCESS ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( e == NULL ) {
		pimctl_verbose( pc, "cannot read the instance \"%s\": %s", dn,
			ldap_err2string( rc ) );
	}
	for ( i = 0; e && i < RI_N; i++ ) {
		inst[i] = pimctl_first_value( pc->pc_ld, e, ri_attrs[i] );
	}
	ldap_msgfree( res );
}

int
pimctl_review_report( pimctl *pc, const char *id )
{
	pimctl_names ns = { NULL, 0, 0, pc->pc_args.a_dn };
	rp_counts counts;
	rp_item *items = NULL;
	LDAPMessage *res = NULL, *e;
	const char *base;
	char *dn = NULL, *value = NULL, *filter = NULL, *inst[RI_N];
	size_t len;
	int rc, rc2 = 0, n = 0, i, k;

	memset( &counts, 0, sizeof( counts ) );
	memset( inst, 0, sizeof( inst ) );
	rc = connect_base( pc, &base );
	if ( rc == 0 ) {
		rc = pimctl_review_find( pc, "access review instance",
			PIMCTL_RV_INSTANCE, id, &dn );
	}
	if ( rc != 0 ) {
		goto done;
	}
	if ( pimctl_filter_escape( dn, &value ) != 0 ||
		( filter = ber_memalloc( len = strlen( value ) + 64 ) ) == NULL )
	{
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	snprintf( filter, len, "(&" PIMCTL_RV_ITEM "(pimReviewInstanceRef=%s))",
		value );
	read_instance( pc, dn, inst );

	/* what a search that ended early (a size limit) found is still
	 * reported; the exit status says it ended early */
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter, rt_attrs,
		&res );
	if ( res == NULL || ( rc != 0 &&
		ldap_count_entries( pc->pc_ld, res ) <= 0 ) )
	{
		goto done;
	}
	items = ber_memcalloc( ldap_count_entries( pc->pc_ld, res ) + 1,
		sizeof( *items ) );
	if ( items == NULL ) {
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		rp_item *it = &items[n++];

		it->i_e = e;
		it->i_dn = ldap_get_dn( pc->pc_ld, e );
		for ( i = 0; i < RT_N; i++ ) {
			it->i_f[i] = pimctl_first_value( pc->pc_ld, e, rt_attrs[i] );
		}
		it->i_reviewers = ldap_get_values_len( pc->pc_ld, e,
			"pimReviewer" );
		count_item( &counts, it );
	}
	qsort( items, n, sizeof( *items ), item_cmp );

	if ( pc->pc_args.a_json ) {
		rc2 = report_json( pc, id, dn, inst, &counts, items, n );
	} else if ( pc->pc_args.a_csv ) {
		report_csv( pc, items, n );
	} else {
		rc2 = report_table( pc, &ns, id, inst, &counts, items, n );
	}
	if ( rc2 != 0 ) {
		rc = rc2;
	}
done:
	for ( k = 0; items && k < n; k++ ) {
		ldap_memfree( items[k].i_dn );
		for ( i = 0; i < RT_N; i++ ) {
			ber_memfree( items[k].i_f[i] );
		}
		ldap_value_free_len( items[k].i_reviewers );
	}
	for ( i = 0; i < RI_N; i++ ) {
		ber_memfree( inst[i] );
	}
	ber_memfree( items );
	ldap_msgfree( res );
	ber_memfree( dn );
	ber_memfree( value );
	ber_memfree( filter );
	pimctl_names_free( &ns );
	return rc;
}

/* --- finding an entry by id ------------------------------------------ */

/* A reviewer may read their items but not the instance (slapo-pim(5),
 * ACCESS CONTROL): the instance DN is then the pimReviewInstanceRef of
 * one of its items, whose ids begin with the instance's and "-".  The
 * ref's own RDN value must be id, so that a definition's id, which
 * begins every item id too, never passes for an instance.  NULL when
 * no readable item says. */
static char *
instance_from_items( pimctl *pc, const char *base, const char *value,
	const char *id )
{
	char *attrs[] = { "pimReviewInstanceRef", NULL };
	LDAPMessage *res = NULL, *e;
	char *f, *ref, *rdn, *dn = NULL;
	size_t len = strlen( value ) + 64;

	f = ber_memalloc( len );
	if ( f == NULL ) {
		return NULL;
	}
	snprintf( f, len, "(&" PIMCTL_RV_ITEM "(pimId=%s-*))", value );
	pimctl_verbose( pc, "search base=\"%s\" filter=\"%s\"", base, f );
	(void)ldap_search_ext_s( pc->pc_ld, base, LDAP_SCOPE_SUBTREE, f, attrs,
		0, NULL, NULL, NULL, 0, &res );
	for ( e = res ? ldap_first_entry( pc->pc_ld, res ) : NULL;
		e && dn == NULL; e = ldap_next_entry( pc->pc_ld, e ) )
	{
		ref = pimctl_first_value( pc->pc_ld, e, "pimReviewInstanceRef" );
		rdn = ref ? pimctl_rdn_value( ref ) : NULL;
		if ( rdn && strcasecmp( rdn, id ) == 0 ) {
			dn = ref;
			ref = NULL;
		}
		ber_memfree( rdn );
		ber_memfree( ref );
	}
	ldap_msgfree( res );
	ber_memfree( f );
	return dn;
}

/* The DN of the review entry with this pimId that filter (an
 * objectClass condition) matches under the base. */
int
pimctl_review_find( pimctl *pc, const char *what, const char *filter,
	const char *id, char **dn )
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL, *e;
	const char *base;
	char *value = NULL, *f = NULL;
	size_t len;
	int rc, n;

	*dn = NULL;
	rc = pimctl_get_base( pc, &base );
	if ( rc != 0 ) {
		return rc;
	}
	if ( pimctl_filter_escape( id, &value ) != 0 ||
		( f = ber_memalloc( len = strlen( value ) + strlen( filter ) + 32 ) )
			== NULL )
	{
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	snprintf( f, len, "(&%s(pimId=%s))", filter, value );
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, f, attrs, &res );
	n = res ? ldap_count_entries( pc->pc_ld, res ) : 0;
	e = n == 1 ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( rc == 0 && n == 0 && strcmp( filter, PIMCTL_RV_INSTANCE ) == 0 &&
		( *dn = instance_from_items( pc, base, value, id ) ) != NULL )
	{
		pimctl_verbose( pc, "%s \"%s\" is %s (from its items)", what, id,
			*dn );
	} else if ( n > 1 ) {
		/* ids are unique in one PIM container: two containers under
		 * the base, and -b should name one */
		pimctl_error( pc, "%s id \"%s\" is ambiguous: %d entries match"
			" under \"%s\" (give -b)", what, id, n, base );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 0 && e == NULL ) {
		pimctl_error( pc, "no %s with id \"%s\" under \"%s\" (or not"
			" readable)", what, id, base );
		rc = PIMCTL_EX_NAME;
	} else if ( rc == 0 ) {
		*dn = ldap_get_dn( pc->pc_ld, e );
		if ( *dn == NULL ) {
			rc = pimctl_ld_error( pc, "search", LDAP_DECODING_ERROR );
		} else {
			pimctl_verbose( pc, "%s \"%s\" is %s", what, id, *dn );
		}
	}
done:
	ldap_msgfree( res );
	ber_memfree( value );
	ber_memfree( f );
	return rc;
}
