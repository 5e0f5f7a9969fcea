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
display( pimctl *pc, pimctl_names *ns, LDAPMessage *e, const char *attr )
{
	char *dn = pimctl_first_value( pc->pc_ld, e, attr );
	const char *name;

	if ( dn == NULL ) {
		return NULL;
	}
	name = pimctl_display_name( pc, ns, dn );
	ber_memfree( dn );
	return name ? ber_strdup( name ) : NULL;
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
	c[1] = display( pc, ns, e, "pimPrincipal" );
	c[2] = display( pc, ns, e, "pimRoleDN" );
	c[3] = pimctl_first_value( ld, e, "pimReviewAssignmentKind" );
	c[4] = recommendation( ld, e );
	c[5] = pimctl_first_value( ld, e, "pimReviewDecision" );
	c[6] = display( pc, ns, e, "pimReviewDecidedBy" );
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
