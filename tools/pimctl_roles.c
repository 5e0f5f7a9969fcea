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
 * Rows are sorted by role, then start; columns are separated by two
 * spaces; a missing time is "-"; an empty section says "  (none)".
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

static char *
first_value( LDAP *ld, LDAPMessage *e, const char *attr )
{
	struct berval **vals = ldap_get_values_len( ld, e, attr );
	char *val = NULL;

	if ( vals && vals[0] ) {
		val = ber_strndup( vals[0]->bv_val, vals[0]->bv_len );
	}
	ber_bvecfree( vals );
	return val;
}

/* Whether attr has value (any value if value is NULL). */
static int
has_value( LDAP *ld, LDAPMessage *e, const char *attr, const char *value )
{
	struct berval **vals = ldap_get_values_len( ld, e, attr );
	int i, found = 0;

	for ( i = 0; vals && vals[i]; i++ ) {
		if ( value == NULL || strcasecmp( vals[i]->bv_val, value ) == 0 ) {
			found = 1;
		}
	}
	ber_bvecfree( vals );
	return found;
}

/* "cn=User Administrator,ou=roles,..." -> "User Administrator". */
static char *
role_display( const char *dn, int full )
{
	LDAPDN ldn = NULL;
	char *name = NULL;

	if ( !full && ldap_str2dn( dn, &ldn, LDAP_DN_FORMAT_LDAPV3 ) ==
		LDAP_SUCCESS && ldn && ldn[0] && ldn[0][0] &&
		!( ldn[0][0]->la_flags & LDAP_AVA_BINARY ) )
	{
		name = ber_strndup( ldn[0][0]->la_value.bv_val,
			ldn[0][0]->la_value.bv_len );
	}
	ldap_dnfree( ldn );
	return name ? name : ber_strdup( dn );
}

/* The role's DN as its entry spells it: the server may store pimRoleDN
 * normalized ("cn=user administrator,..."), and people know their
 * roles by the name the group was given.  Falls back to the stored
 * value when the role cannot be read. */
static char *
role_entry_dn( pimctl *pc, const char *dn )
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL, *e;
	char *real = NULL;
	int rc;

	rc = ldap_search_ext_s( pc->pc_ld, dn, LDAP_SCOPE_BASE,
		"(objectClass=*)", attrs, 0, NULL, NULL, NULL, 1, &res );
	e = rc == LDAP_SUCCESS ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( e ) {
		real = ldap_get_dn( pc->pc_ld, e );
	} else {
		pimctl_verbose( pc, "cannot read role \"%s\": %s", dn,
			ldap_err2string( rc ) );
	}
	ldap_msgfree( res );
	return real ? real : ber_strdup( dn );
}

/* The display name of row's role, from an earlier row of the same role
 * (in either table) or from the directory. */
static char *
role_name( pimctl *pc, const role_table *tables, int ntables,
	const role_row *row )
{
	const role_row *r;
	char *dn, *name;
	int i, j;

	for ( i = 0; i < ntables; i++ ) {
		for ( j = 0; j < tables[i].rt_n; j++ ) {
			r = &tables[i].rt_rows[j];
			if ( r->rr_role && strcasecmp( r->rr_dn, row->rr_dn ) == 0 ) {
				return ber_strdup( r->rr_role );
			}
		}
	}
	dn = role_entry_dn( pc, row->rr_dn );
	name = role_display( dn, pc->pc_args.a_dn );
	ber_memfree( dn );
	return name;
}

static int
name_roles( pimctl *pc, role_table *tables, int ntables )
{
	role_row *row;
	int i, j;

	for ( i = 0; i < ntables; i++ ) {
		for ( j = 0; j < tables[i].rt_n; j++ ) {
			row = &tables[i].rt_rows[j];
			row->rr_role = role_name( pc, tables, ntables, row );
			if ( row->rr_role == NULL ) {
				pimctl_error( pc, "out of memory" );
				return PIMCTL_EX_CLIENT;
			}
		}
	}
	return 0;
}

/* A time attribute: *t for sorting and filtering, buf for printing
 * (the raw value if it does not parse, "-" if absent). */
static void
read_time( LDAP *ld, LDAPMessage *e, const char *attr, time_t *t,
	char *buf, size_t size, const char *absent )
{
	char *val = first_value( ld, e, attr );

	*t = 0;
	if ( val == NULL ) {
		snprintf( buf, size, "%s", absent );
	} else if ( pim_gentime_parse( val, strlen( val ), t ) == 0 ) {
		pimctl_time_str( *t, buf, size );
	} else {
		snprintf( buf, size, "%s", val );
	}
	ber_memfree( val );
}

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

	row->rr_dn = first_value( ld, e, "pimRoleDN" );
	if ( row->rr_dn == NULL ) {
		return 1;
	}
	row->rr_id = first_value( ld, e, "pimId" );
	read_time( ld, e, "pimStartTime", &row->rr_start, row->rr_start_str,
		sizeof( row->rr_start_str ), "-" );
	read_time( ld, e, "pimEndTime", &row->rr_end, row->rr_end_str,
		sizeof( row->rr_end_str ), activation ? "-" : "permanent" );
	if ( !activation ) {
		return !pc->pc_args.a_all && row->rr_end &&
			row->rr_end <= time( NULL );
	}
	row->rr_state = first_value( ld, e, "pimState" );
	if ( row->rr_state == NULL ) {
		row->rr_state = ber_strdup( "?" );
	}
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
		activation = has_value( pc->pc_ld, e, "objectClass",
				"pimActivation" ) ||
			has_value( pc->pc_ld, e, "pimState", NULL );
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

/* Columns as characters on the screen, not bytes: UTF-8 role names
 * still line up. */
static int
width( const char *s )
{
	int n = 0;

	for ( ; *s; s++ ) {
		n += ( *s & 0xc0 ) != 0x80;
	}
	return n;
}

static void
print_cell( const char *s, int w )
{
	int pad = w - width( s );

	printf( "%s%*s  ", s, pad > 0 ? pad : 0, "" );
}

static int
max_width( const role_table *t, int w, int state )
{
	int i, n;

	for ( i = 0; i < t->rt_n; i++ ) {
		n = width( state ? t->rt_rows[i].rr_state : t->rt_rows[i].rr_role );
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
