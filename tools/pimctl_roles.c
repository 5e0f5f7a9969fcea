/* pimctl_roles.c - "pimctl roles": my eligible and active roles.
 *
 * One subtree search for the caller's eligibility and activation
 * entries (the caller's DN from Who am I?), printed as two sections:
 *
 *	Eligible roles:
 *	  ROLE                START                 END
 *	  User Administrator  2025-02-26 16:43:25Z  permanent
 *
 *	Active roles:
 *	  ROLE                STATE   START                 END                   ID
 *	  User Administrator  active  2026-11-26 04:00:00Z  2026-11-26 12:00:00Z  1b4e...
 *
 * Active roles lists activations that are pending, approved, scheduled
 * or active (all of them with --all).  Rows are sorted by role, then
 * start; columns are separated by two spaces; a missing time is "-",
 * except the end of an active (or approved, or scheduled) one, which
 * is "permanent" (an administrator's permanent active assignment); an
 * empty section says "  (none)".
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

#define TIME_WIDTH	20	/* strlen( "YYYY-MM-DD HH:MM:SSZ" ) */

typedef struct role_row {
	char	*rr_dn;	/* pimRoleDN as stored (maybe normalized) */
	char	*rr_role;	/* RDN value of the role, or its DN */
	char	*rr_state;	/* NULL for an eligibility */
	char	*rr_id;
	time_t	rr_start;	/* 0 when absent */
	time_t	rr_end;
	char	rr_start_str[PIMCTL_TIMEBUF];
	char	rr_end_str[PIMCTL_TIMEBUF];
} role_row;

typedef struct role_table {
	role_row	*rt_rows;
	int		rt_n;
	int		rt_cap;
} role_table;

static const char *const attrs_wanted[] = {
	"objectClass", "pimRoleDN", "pimState", "pimStartTime",
	"pimEndTime", "pimId", NULL
};

/* Activation states listed without --all: the ones still to come or
 * in force. */
static const char *const live_states[] = {
	"active", "scheduled", "pending", "approved", NULL
};

static int
is_live_state( const char *state )
{
	int i;

	for ( i = 0; live_states[i]; i++ ) {
		if ( strcasecmp( state, live_states[i] ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

/* What an activation without pimEndTime shows as its end. */
static const char *
no_end( const char *state )
{
	if ( strcasecmp( state, "active" ) == 0 ||
		strcasecmp( state, "scheduled" ) == 0 ||
		strcasecmp( state, "approved" ) == 0 )
	{
		return "permanent";
	}
	return "-";
}

/* Display names for the roles of both tables (pimRoleDN may be stored
 * normalized: the role entry says how its name is spelt). */
static int
name_roles( pimctl *pc, role_table *tables, int ntables )
{
	pimctl_names ns = { NULL, 0, 0, pc->pc_args.a_dn };
	const char *name;
	role_row *row;
	int i, j, rc = 0;

	for ( i = 0; rc == 0 && i < ntables; i++ ) {
		for ( j = 0; rc == 0 && j < tables[i].rt_n; j++ ) {
			row = &tables[i].rt_rows[j];
			name = pimctl_display_name( pc, &ns, row->rr_dn );
			row->rr_role = name ? ber_strdup( name ) : NULL;
			if ( row->rr_role == NULL ) {
				pimctl_error( pc, "out of memory" );
				rc = PIMCTL_EX_CLIENT;
			}
		}
	}
	pimctl_names_free( &ns );
	return rc;
}

static role_row *
table_add( role_table *t )
{
	role_row *rows;

	if ( t->rt_n == t->rt_cap ) {
		t->rt_cap = t->rt_cap ? 2 * t->rt_cap : 8;
		rows = ber_memrealloc( t->rt_rows, t->rt_cap * sizeof( *rows ) );
		if ( rows == NULL ) {
			return NULL;
		}
		t->rt_rows = rows;
	}
	rows = &t->rt_rows[t->rt_n++];
	memset( rows, 0, sizeof( *rows ) );
	return rows;
}

static void
table_free( role_table *t )
{
	int i;

	for ( i = 0; i < t->rt_n; i++ ) {
		ber_memfree( t->rt_rows[i].rr_dn );
		ber_memfree( t->rt_rows[i].rr_role );
		ber_memfree( t->rt_rows[i].rr_state );
		ber_memfree( t->rt_rows[i].rr_id );
	}
	ber_memfree( t->rt_rows );
}

/* Fill row from entry e; returns 0 to keep the row, 1 to drop it (an
 * ended one without --all, or one without a role). */
static int
read_row( pimctl *pc, LDAPMessage *e, role_row *row, int activation )
{
	LDAP *ld = pc->pc_ld;

	row->rr_dn = pimctl_first_value( ld, e, "pimRoleDN" );
	if ( row->rr_dn == NULL ) {
		return 1;
	}
	row->rr_id = pimctl_first_value( ld, e, "pimId" );
	pimctl_read_time( ld, e, "pimStartTime", &row->rr_start, row->rr_start_str,
		sizeof( row->rr_start_str ), "-" );
	if ( !activation ) {
		pimctl_read_time( ld, e, "pimEndTime", &row->rr_end,
			row->rr_end_str, sizeof( row->rr_end_str ), "permanent" );
		return !pc->pc_args.a_all && row->rr_end &&
			row->rr_end <= time( NULL );
	}
	row->rr_state = pimctl_first_value( ld, e, "pimState" );
	if ( row->rr_state == NULL ) {
		row->rr_state = ber_strdup( "?" );
	}
	/* no end: a permanent active assignment, or a request whose clock
	 * starts at approval */
	pimctl_read_time( ld, e, "pimEndTime", &row->rr_end, row->rr_end_str,
		sizeof( row->rr_end_str ), no_end( row->rr_state ) );
	return !pc->pc_args.a_all && !is_live_state( row->rr_state );
}

/* Sort the entries of res into the two tables. */
static int
collect( pimctl *pc, LDAPMessage *res, role_table *eligible,
	role_table *active )
{
	LDAPMessage *e;
	role_table *t;
	role_row *row;
	int activation;

	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		/* by its class, or by its state if the class is hidden */
		activation = pimctl_has_value( pc->pc_ld, e, "objectClass",
				"pimActivation" ) ||
			pimctl_has_value( pc->pc_ld, e, "pimState", NULL );
		t = activation ? active : eligible;
		row = table_add( t );
		if ( row == NULL ) {
			pimctl_error( pc, "out of memory" );
			return PIMCTL_EX_CLIENT;
		}
		if ( read_row( pc, e, row, activation ) ) {
			ber_memfree( row->rr_dn );
			ber_memfree( row->rr_state );
			ber_memfree( row->rr_id );
			t->rt_n--;
		}
	}
	return 0;
}

static int
row_cmp( const void *a, const void *b )
{
	const role_row *x = a, *y = b;
	int c = strcasecmp( x->rr_role, y->rr_role );

	if ( c == 0 ) {
		c = ( x->rr_start > y->rr_start ) - ( x->rr_start < y->rr_start );
	}
	return c;
}

static void
print_cell( const char *s, int w )
{
	int pad = w - pimctl_text_width( s );

	printf( "%s%*s  ", s, pad > 0 ? pad : 0, "" );
}

static int
max_width( const role_table *t, int w, int state )
{
	int i, n;

	for ( i = 0; i < t->rt_n; i++ ) {
		n = pimctl_text_width( state ? t->rt_rows[i].rr_state :
			t->rt_rows[i].rr_role );
		if ( n > w ) {
			w = n;
		}
	}
	return w;
}

static void
print_eligible( const role_table *t, int rw )
{
	int i;

	printf( "Eligible roles:\n" );
	if ( t->rt_n == 0 ) {
		printf( "  (none)\n" );
		return;
	}
	printf( "  " );
	print_cell( "ROLE", rw );
	print_cell( "START", TIME_WIDTH );
	printf( "END\n" );
	for ( i = 0; i < t->rt_n; i++ ) {
		const role_row *r = &t->rt_rows[i];

		printf( "  " );
		print_cell( r->rr_role, rw );
		print_cell( r->rr_start_str, TIME_WIDTH );
		printf( "%s\n", r->rr_end_str );
	}
}

static void
print_active( const role_table *t, int rw )
{
	int i, sw = max_width( t, 5, 1 );

	printf( "Active roles:\n" );
	if ( t->rt_n == 0 ) {
		printf( "  (none)\n" );
		return;
	}
	printf( "  " );
	print_cell( "ROLE", rw );
	print_cell( "STATE", sw );
	print_cell( "START", TIME_WIDTH );
	print_cell( "END", TIME_WIDTH );
	printf( "ID\n" );
	for ( i = 0; i < t->rt_n; i++ ) {
		const role_row *r = &t->rt_rows[i];

		printf( "  " );
		print_cell( r->rr_role, rw );
		print_cell( r->rr_state, sw );
		print_cell( r->rr_start_str, TIME_WIDTH );
		print_cell( r->rr_end_str, TIME_WIDTH );
		printf( "%s\n", r->rr_id ? r->rr_id : "-" );
	}
}

/* The search filter for dn's eligibilities and activations. */
static char *
roles_filter( const char *dn )
{
	char *value = NULL, *filter = NULL;
	size_t len;

	if ( pimctl_filter_escape( dn, &value ) != 0 ) {
		return NULL;
	}
	len = strlen( value ) + 128;
	filter = ber_memalloc( len );
	if ( filter ) {
		snprintf( filter, len, "(&(|(objectClass=pimEligibility)"
			"(objectClass=pimActivation))(pimPrincipal=%s))", value );
	}
	ber_memfree( value );
	return filter;
}

/* Search, and print what came back even when the search ended early
 * (a size limit): the exit status still says it did. */
static int
list_roles( pimctl *pc, const char *base, const char *dn )
{
	role_table tables[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	role_table *eligible = &tables[0], *active = &tables[1];
	LDAPMessage *res = NULL;
	char *filter = roles_filter( dn );
	int rc, rw;

	if ( filter == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter,
		(char **)attrs_wanted, &res );
	if ( res == NULL || ( rc != 0 && ldap_count_entries( pc->pc_ld,
		res ) <= 0 ) )
	{
		goto done;
	}
	if ( collect( pc, res, eligible, active ) != 0 ||
		name_roles( pc, tables, 2 ) != 0 )
	{
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	if ( eligible->rt_n > 1 ) {
		qsort( eligible->rt_rows, eligible->rt_n, sizeof( role_row ),
			row_cmp );
	}
	if ( active->rt_n > 1 ) {
		qsort( active->rt_rows, active->rt_n, sizeof( role_row ), row_cmp );
	}
	rw = max_width( active, max_width( eligible, 4, 0 ), 0 );
	print_eligible( eligible, rw );
	putchar( '\n' );
	print_active( active, rw );
done:
	table_free( eligible );
	table_free( active );
	ldap_msgfree( res );
	ber_memfree( filter );
	return rc;
}

int
pimctl_cmd_roles( pimctl *pc, int argc, char **argv )
{
	const char *base;
	char *dn = NULL;
	int rc = pimctl_connect( pc );

	if ( rc != 0 ) {
		return rc;
	} else if ( pc->pc_args.a_for ) {
		rc = pimctl_resolve_user( pc, pc->pc_args.a_for, &dn );
	} else {
		rc = pimctl_whoami( pc, &dn );
	}
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc == 0 ) {
		rc = list_roles( pc, base, dn );
	}
	ber_memfree( dn );
	return rc;
}
