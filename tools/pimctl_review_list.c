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

#include "pimctl.h"
#include "pim_time.h"

#define MAXCELLS	8
#define WHY_WIDTH	40	/* characters of a recommendation's reason */

/* A row, and what sorts it: the time first (0 for none), then the
 * string. */
typedef struct rv_row {
	time_t	r_time;
	char	*r_sort;	/* owned */
	char	*r_cells[MAXCELLS];
} rv_row;

/* Fill row from entry e; 0, or an exit status. */
typedef int (*rv_read_fn)( pimctl *pc, pimctl_names *ns, LDAPMessage *e,
	rv_row *row );

/* One listing: what to search for, and how a row reads. */
typedef struct rv_listing {
	const char		*l_title;
	const char		*l_filter;
	char			**l_attrs;
	int			l_ncols;
	const char *const	*l_columns;
	rv_read_fn		l_read;
} rv_listing;

static char *
read_time( pimctl *pc, LDAPMessage *e, const char *attr, time_t *t )
{
	char buf[PIMCTL_TIMEBUF];
	time_t dummy;

	pimctl_read_time( pc->pc_ld, e, attr, t ? t : &dummy, buf,
		sizeof( buf ), "-" );
	return ber_strdup( buf );
}

static char *
number( long n )
{
	char buf[24];

	if ( n < 0 ) {
		return ber_strdup( "?" );
	}
	snprintf( buf, sizeof( buf ), "%ld", n );
	return ber_strdup( buf );
}

/* --- definitions ----------------------------------------------------- */

static const char *const def_columns[] = {
	"ID", "NAME", "RECURRENCE", "NEXT OPEN"
};
static char *def_attrs[] = {
	"pimId", "cn", "pimReviewRecurrence", "pimReviewNextOpen", NULL
};

static int
read_def( pimctl *pc, pimctl_names *ns, LDAPMessage *e, rv_row *row )
{
	LDAP *ld = pc->pc_ld;
	char **c = row->r_cells;

	c[0] = pimctl_first_value( ld, e, "pimId" );
	c[1] = pimctl_first_value( ld, e, "cn" );
	c[2] = pimctl_first_value( ld, e, "pimReviewRecurrence" );
	if ( c[2] == NULL ) {
		c[2] = ber_strdup( "once" );	/* the server's default */
	}
	c[3] = read_time( pc, e, "pimReviewNextOpen", NULL );
	row->r_sort = ber_strdup( c[1] ? c[1] : c[0] ? c[0] : "" );
	return 0;
}

/* --- instances ------------------------------------------------------- */

static const char *const inst_columns[] = {
	"ID", "NAME", "STATE", "OPENED", "CLOSES", "ITEMS", "UNDECIDED"
};
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
read_inst( pimctl *pc, pimctl_names *ns, LDAPMessage *e, rv_row *row )
{
	LDAP *ld = pc->pc_ld;
	char **c = row->r_cells, *dn;
	const char *base;
	long items = -1, undecided = -1;
	int rc;

	c[0] = pimctl_first_value( ld, e, "pimId" );
	c[1] = pimctl_first_value( ld, e, "cn" );
	c[2] = pimctl_first_value( ld, e, "pimState" );
	c[3] = read_time( pc, e, "pimStartTime", &row->r_time );
	c[4] = read_time( pc, e, "pimEndTime", NULL );
	rc = pimctl_get_base( pc, &base );
	dn = ldap_get_dn( ld, e );
	if ( rc == 0 && dn ) {
		count_items( pc, base, dn, &items, &undecided );
	}
	ldap_memfree( dn );
	c[5] = number( items );
	c[6] = number( undecided );
	row->r_sort = ber_strdup( c[0] ? c[0] : "" );
	return rc;
}

/* --- items ----------------------------------------------------------- */

static const char *const item_columns[] = {
	"ITEM", "PRINCIPAL", "ROLE", "KIND", "RECOMMENDATION", "DECISION",
	"BY", "OUTCOME"
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
read_item( pimctl *pc, pimctl_names *ns, LDAPMessage *e, rv_row *row )
{
	LDAP *ld = pc->pc_ld;
	char **c = row->r_cells;

	c[0] = pimctl_first_value( ld, e, "pimId" );
	c[1] = pimctl_display_attr( pc, ns, e, "pimPrincipal" );
	c[2] = pimctl_display_attr( pc, ns, e, "pimRoleDN" );
	c[3] = pimctl_first_value( ld, e, "pimReviewAssignmentKind" );
	c[4] = recommendation( ld, e );
	c[5] = pimctl_first_value( ld, e, "pimReviewDecision" );
	c[6] = pimctl_display_attr( pc, ns, e, "pimReviewDecidedBy" );
	c[7] = pimctl_first_value( ld, e, "pimReviewOutcome" );
	row->r_sort = ber_strdup( c[0] ? c[0] : "" );
	return 0;
}

/* --- the table ------------------------------------------------------- */

static int
row_cmp( const void *a, const void *b )
{
	const rv_row *x = a, *y = b;
	int c = ( x->r_time > y->r_time ) - ( x->r_time < y->r_time );

	if ( c == 0 ) {
		c = strcmp( x->r_sort ? x->r_sort : "", y->r_sort ? y->r_sort : "" );
	}
	return c;
}

static void
free_row( rv_row *row )
{
	int i;

	ber_memfree( row->r_sort );
	for ( i = 0; i < MAXCELLS; i++ ) {
		ber_memfree( row->r_cells[i] );
	}
	memset( row, 0, sizeof( *row ) );
}

/* The entries of res as rows, sorted, into t. */
static int
tabulate( pimctl *pc, const rv_listing *l, LDAPMessage *res,
	pimctl_table *t )
{
	pimctl_names ns = { NULL, 0, 0, pc->pc_args.a_dn };
	rv_row *rows;
	LDAPMessage *e;
	int n = 0, i, rc = 0;

	rows = ber_memcalloc( ldap_count_entries( pc->pc_ld, res ) + 1,
		sizeof( *rows ) );
	if ( rows == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	for ( e = ldap_first_entry( pc->pc_ld, res ); rc == 0 && e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		rc = l->l_read( pc, &ns, e, &rows[n++] );
	}
	qsort( rows, n, sizeof( *rows ), row_cmp );
	for ( i = 0; i < n; i++ ) {
		/* the table takes the cells, or frees them when it cannot */
		if ( rc == 0 && pimctl_table_add( t, rows[i].r_cells ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			rc = PIMCTL_EX_CLIENT;
		} else if ( rc != 0 ) {
			free_row( &rows[i] );
		}
		ber_memfree( rows[i].r_sort );
	}
	ber_memfree( rows );
	pimctl_names_free( &ns );
	return rc;
}

/* Search and print one listing, even when the search ended early (a
 * size limit): the exit status still says it did. */
static int
list_one( pimctl *pc, const char *base, const rv_listing *l )
{
	pimctl_table t;
	LDAPMessage *res = NULL;
	int rc, rc2;

	pimctl_table_init( &t, l->l_ncols, l->l_columns );
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, l->l_filter,
		l->l_attrs, &res );
	if ( res == NULL || ( rc != 0 &&
		ldap_count_entries( pc->pc_ld, res ) <= 0 ) )
	{
		goto done;
	}
	rc2 = tabulate( pc, l, res, &t );
	if ( rc2 != 0 ) {
		rc = rc2;
		goto done;
	}
	printf( "%s:\n", l->l_title );
	if ( t.t_nrows == 0 ) {
		printf( "  (none)\n" );
	} else {
		pimctl_table_print( &t, "  " );
	}
done:
	pimctl_table_free( &t );
	ldap_msgfree( res );
	return rc;
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
	static const rv_listing defs = { "Access reviews", PIMCTL_RV_DEFINITION,
		def_attrs, 4, def_columns, read_def };
	static const rv_listing insts = { "Instances", PIMCTL_RV_INSTANCE,
		inst_attrs, 7, inst_columns, read_inst };
	const char *base;
	int rc, rc2;

	rc = connect_base( pc, &base );
	if ( rc != 0 ) {
		return rc;
	}
	rc = list_one( pc, base, &defs );
	putchar( '\n' );
	rc2 = list_one( pc, base, &insts );
	return rc ? rc : rc2;
}

/* Items of the filter (ANDed with the item class). */
static int
list_items( pimctl *pc, const char *base, const char *title,
	const char *cond )
{
	rv_listing items = { title, NULL, item_attrs, 8, item_columns,
		read_item };
	char *filter;
	size_t len = strlen( cond ) + 64;
	int rc;

	filter = ber_memalloc( len );
	if ( filter == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	snprintf( filter, len, "(&" PIMCTL_RV_ITEM "%s)", cond );
	items.l_filter = filter;
	rc = list_one( pc, base, &items );
	ber_memfree( filter );
	return rc;
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

static const char *const rp_columns[] = {
	"PRINCIPAL", "ROLE", "KIND", "REVIEWERS", "RECOMMENDATION",
	"DECISION", "BY", "WHEN", "REASON", "OUTCOME"
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

/* A JSON string, or null. */
static void
json_str( const char *s )
{
	if ( s == NULL ) {
		fputs( "null", stdout );
		return;
	}
	putchar( '"' );
	for ( ; *s; s++ ) {
		unsigned char c = (unsigned char)*s;

		if ( c == '"' || c == '\\' ) {
			printf( "\\%c", c );
		} else if ( c < 0x20 || c == 0x7f ) {
			printf( "\\u%04x", c );
		} else {
			putchar( c );
		}
	}
	putchar( '"' );
}

/* A CSV field: quoted when it has a comma, quote, CR or LF. */
static void
csv_field( const char *s, int first )
{
	if ( !first ) {
		putchar( ',' );
	}
	if ( s == NULL ) {
		return;
	}
	if ( strpbrk( s, ",\"\r\n" ) == NULL ) {
		fputs( s, stdout );
		return;
	}
	putchar( '"' );
	for ( ; *s; s++ ) {
		if ( *s == '"' ) {
			putchar( '"' );
		}
		putchar( *s );
	}
	putchar( '"' );
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

static void
report_json( const char *id, const char *dn, char **inst,
	const rp_counts *c, const rp_item *items, int n )
{
	char tbuf[32];
	int i, j, k;

	printf( "{\n  \"instance\": {\"id\": " );
	json_str( id );
	printf( ", \"dn\": " );
	json_str( dn );
	for ( i = 0; i < RI_N; i++ ) {
		printf( ", \"%s\": ", ri_json[i] );
		json_str( i == RI_START || i == RI_END ?
			iso_time( inst[i], tbuf, sizeof( tbuf ) ) : inst[i] );
	}
	printf( "},\n  \"counts\": {\"items\": %ld, \"decided\": %ld,"
		" \"defaulted\": %ld, \"undecided\": %ld", c->c_items,
		c->c_decided, c->c_defaulted, c->c_undecided );
	for ( i = 0; i < RP_NOUTCOMES; i++ ) {
		printf( ", \"%s\": %ld", rp_outcomes[i], c->c_out[i] );
	}
	printf( "},\n  \"items\": [" );
	for ( k = 0; k < n; k++ ) {
		const rp_item *it = &items[k];

		printf( "%s\n    {\"dn\": ", k ? "," : "" );
		json_str( it->i_dn );
		for ( i = 0; i < RT_N; i++ ) {
			printf( ", \"%s\": ", rt_json[i] );
			json_str( i == RT_WHEN ? iso_time( it->i_f[i], tbuf,
				sizeof( tbuf ) ) : it->i_f[i] );
			if ( i != RT_KIND ) {
				continue;
			}
			printf( ", \"reviewers\": [" );
			for ( j = 0; it->i_reviewers && it->i_reviewers[j]; j++ ) {
				char *r = ber_strndup( it->i_reviewers[j]->bv_val,
					it->i_reviewers[j]->bv_len );

				printf( "%s", j ? ", " : "" );
				json_str( r ? r : "" );
				ber_memfree( r );
			}
			putchar( ']' );
		}
		putchar( '}' );
	}
	printf( "%s]\n}\n", n ? "\n  " : "" );
}

static void
report_csv( pimctl *pc, const rp_item *items, int n )
{
	char tbuf[32], *revs;
	int i, k;

	for ( i = 0; i < RT_N; i++ ) {
		csv_field( rt_json[i], i == 0 );
		if ( i == RT_KIND ) {
			csv_field( "reviewers", 0 );
		}
	}
	putchar( '\n' );
	for ( k = 0; k < n; k++ ) {
		const rp_item *it = &items[k];

		for ( i = 0; i < RT_N; i++ ) {
			csv_field( i == RT_WHEN ? iso_time( it->i_f[i], tbuf,
				sizeof( tbuf ) ) : it->i_f[i], i == 0 );
			if ( i == RT_KIND ) {
				revs = reviewers( pc, NULL, it, ";" );
				csv_field( revs, 0 );
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
	pimctl_table_init( &t, RP_NCOLS, rp_columns );
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
	if ( pc->pc_args.a_json && pc->pc_args.a_csv ) {
		pimctl_error( pc, "--json and --csv exclude each other" );
		return PIMCTL_EX_USAGE;
	}
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
		report_json( id, dn, inst, &counts, items, n );
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
