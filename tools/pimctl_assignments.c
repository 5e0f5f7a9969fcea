/* pimctl_assignments.c - "pimctl assignments": everybody's eligibilities,
 * active assignments and activations, and how one such entry reads as
 * a row (pimctl roles shows the caller's with the same columns).
 *
 *	pimctl assignments [ROLE...] [--eligible | --active | --expired |
 *		--all] [--principal USER]
 * searches the subtree of the search base for eligibility and
 * activation entries, of the named roles and principal when given:
 *	  ROLE                PRINCIPAL  KIND               STATE    START  END  ASSIGNED BY  REASON  ID
 *	  User Administrator  demo       eligible           current  ...    ...  admin        -       elig-demo
 *	  User Administrator  demo       active assignment  active   ...    ...  admin        on call 1b4e...
 *	  User Administrator  demo       activation         active   ...    ...  -            change  0f8c...
 * What it lists is what the server lets the caller read: it runs with
 * the caller's bind, and the directory's ACLs decide (an administrator
 * sees everybody's, a user perhaps only their own).
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
#include "pim_state.h"

#define REASON_WIDTH	32	/* characters of the justification shown */

const pimctl_column pimctl_as_columns[PIMCTL_AS_NCOLS] = {
	{ "ROLE",	"role",		PIMCTL_COL_DN, 0, NULL },
	{ "PRINCIPAL",	"principal",	PIMCTL_COL_DN, 0, NULL },
	{ "KIND",	"kind",		0, 0, NULL },
	{ "STATE",	"state",	0, 0, NULL },
	{ "START",	"start",	PIMCTL_COL_TIME, 0, NULL },
	{ "END",	"end",		PIMCTL_COL_TIME, 0, NULL },
	{ "ASSIGNED BY", "assigned_by",	PIMCTL_COL_DN, 0, NULL },
	{ "REASON",	"reason",	0, REASON_WIDTH, NULL },
	{ "ID",		"id",		0, 0, NULL },
	{ "THROUGH",	"through",	PIMCTL_COL_DN, 0, NULL },
};

char *pimctl_as_attrs[] = {
	"objectClass", "pimRoleDN", "pimPrincipal", "pimState", "pimStartTime",
	"pimEndTime", "pimId", "pimAssignedBy", "pimJustification",
	"pimEligibilityRef", "pimEligibleThrough", "pimRequestFor", NULL
};


static time_t
time_of( const char *v )
{
	time_t t;

	if ( v == NULL || pim_gentime_parse( v, strlen( v ), &t ) != 0 ) {
		return 0;
	}
	return t;
}

/* An eligibility has no state of its own: it is current, yet to
 * start, or over. */
static int
eligibility_state( char **c, time_t now )
{
	time_t start = time_of( c[PIMCTL_AS_START] );
	time_t end = time_of( c[PIMCTL_AS_END] );
	const char *state = "current";
	int which = PIMCTL_AS_ELIGIBLE;

	if ( end && end <= now ) {
		state = "expired";
		which = PIMCTL_AS_EXPIRED;
	} else if ( start > now ) {
		state = "scheduled";
	}
	c[PIMCTL_AS_STATE] = ber_strdup( state );
	if ( c[PIMCTL_AS_END] == NULL ) {
		c[PIMCTL_AS_END] = ber_strdup( "permanent" );
	}
	return which;
}

/* No end: a permanent active assignment, or a request whose clock
 * starts when it is approved. */
static int
activation_state( char **c )
{
	const char *state = c[PIMCTL_AS_STATE];

	/* with no end: permanent, once it is no longer a mere request */
	if ( c[PIMCTL_AS_END] == NULL && pim_state_name_in( state,
		PIM_STATES_OPEN & ~PIM_STATE_BIT( PIM_ST_PENDING ) ) )
	{
		c[PIMCTL_AS_END] = ber_strdup( "permanent" );
	}
	if ( pim_state_name_in( state, PIM_STATES_OPEN ) ) {
		return PIMCTL_AS_ACTIVE;
	}
	return pim_state_name_in( state, PIM_STATES_ENDED_ACTIVE ) ?
		PIMCTL_AS_EXPIRED : PIMCTL_AS_OTHER;
}

/* Entry e as cells[PIMCTL_AS_NCOLS] (owned by the caller); returns
 * which PIMCTL_AS_* it is (its kind and its class), or 0 for an entry without a role (nothing
 * filled in then). */
int
pimctl_as_read( pimctl *pc, LDAPMessage *e, time_t now, char **c )
{
	LDAP *ld = pc->pc_ld;
	int activation;

	memset( c, 0, PIMCTL_AS_NCOLS * sizeof( *c ) );
	c[PIMCTL_AS_ROLE] = pimctl_first_value( ld, e, "pimRoleDN" );
	if ( c[PIMCTL_AS_ROLE] == NULL ) {
		return 0;
	}
	/* by its class, or by its state if the class is hidden */
	activation = pimctl_has_value( ld, e, "objectClass", "pimActivation" ) ||
		pimctl_has_value( ld, e, "pimState", NULL );
	c[PIMCTL_AS_PRINCIPAL] = pimctl_first_value( ld, e, "pimPrincipal" );
	c[PIMCTL_AS_START] = pimctl_first_value( ld, e, "pimStartTime" );
	c[PIMCTL_AS_END] = pimctl_first_value( ld, e, "pimEndTime" );
	/* the overlay records who made an eligibility or an active
	 * assignment; an activation was its principal's own request */
	c[PIMCTL_AS_BY] = pimctl_first_value( ld, e, "pimAssignedBy" );
	c[PIMCTL_AS_REASON] = pimctl_first_value( ld, e, "pimJustification" );
	c[PIMCTL_AS_ID] = pimctl_first_value( ld, e, "pimId" );
	/* the group an eligibility is of, or an activation was made through */
	c[PIMCTL_AS_THROUGH] = pimctl_first_value( ld, e, "pimEligibleThrough" );
	if ( !activation ) {
		c[PIMCTL_AS_KIND] = ber_strdup( "eligible" );
		return PIMCTL_AS_ELIGIBILITIES | eligibility_state( c, now );
	}
	/* an activation is made under an eligibility; an administrator's
	 * active assignment stands on its own */
	c[PIMCTL_AS_KIND] = ber_strdup(
		pimctl_has_value( ld, e, "pimRequestFor", NULL ) ?
			"eligibility request" :
		pimctl_has_value( ld, e, "pimEligibilityRef", NULL ) ?
			"activation" : "active assignment" );
	c[PIMCTL_AS_STATE] = pimctl_first_value( ld, e, "pimState" );
	return PIMCTL_AS_ACTIVATIONS | activation_state( c );
}

/* The table view shows THROUGH only when a row is through a group:
 * most sites have none. */
void
pimctl_as_hide_unused( pimctl_table *t )
{
	int i;

	for ( i = 0; i < t->t_nrows; i++ ) {
		if ( t->t_cells[i * t->t_ncols + PIMCTL_AS_THROUGH] != NULL )
			return;
	}
	pimctl_table_hide( t, PIMCTL_AS_THROUGH );
}

/* Add the entries of res to t whose kind and class are both in which. */
int
pimctl_as_collect( pimctl *pc, LDAPMessage *res, int which, pimctl_table *t )
{
	char *c[PIMCTL_AS_NCOLS];
	LDAPMessage *e;
	time_t now = time( NULL );
	int i, got;

	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		got = pimctl_as_read( pc, e, now, c );
		if ( ( got & which & PIMCTL_AS_ANYKIND ) &&
			( got & which & ~PIMCTL_AS_ANYKIND ) )
		{
			if ( pimctl_table_add( t, c ) != 0 ) {
				pimctl_error( pc, "out of memory" );
				return PIMCTL_EX_CLIENT;
			}
			continue;
		}
		for ( i = 0; i < PIMCTL_AS_NCOLS; i++ ) {
			ber_memfree( c[i] );
		}
	}
	return 0;
}

/* --- the command -------------------------------------------------------- */

/* Which the options ask for; -1 after a usage error. */
static int
wanted( pimctl *pc )
{
	pimctl_args *a = &pc->pc_args;
	int n = a->a_eligible + a->a_active + a->a_expired + a->a_all;

	if ( n > 1 ) {
		pimctl_error( pc, "--eligible, --active, --expired and --all"
			" exclude each other" );
		return -1;
	}
	if ( a->a_all ) {
		return PIMCTL_AS_ANYKIND | PIMCTL_AS_ELIGIBLE | PIMCTL_AS_ACTIVE |
			PIMCTL_AS_EXPIRED | PIMCTL_AS_OTHER;
	}
	if ( a->a_expired ) {
		return PIMCTL_AS_ANYKIND | PIMCTL_AS_EXPIRED;
	}
	if ( a->a_eligible ) {
		return PIMCTL_AS_ANYKIND | PIMCTL_AS_ELIGIBLE;
	}
	if ( a->a_active ) {
		return PIMCTL_AS_ANYKIND | PIMCTL_AS_ACTIVE;
	}
	return PIMCTL_AS_ANYKIND | PIMCTL_AS_ELIGIBLE | PIMCTL_AS_ACTIVE;
}

/* "(attr=value)", value escaped, appended to *f. */
static int
append_eq( char **f, const char *attr, const char *value )
{
	char *esc = NULL, *out;
	size_t len;

	if ( pimctl_filter_escape( value, &esc ) != 0 ) {
		return -1;
	}
	len = ( *f ? strlen( *f ) : 0 ) + strlen( attr ) + strlen( esc ) + 4;
	out = ber_memrealloc( *f, len );
	if ( out != NULL ) {
		if ( *f == NULL ) {
			out[0] = '\0';
		}
		snprintf( out + strlen( out ), len - strlen( out ), "(%s=%s)",
			attr, esc );
		*f = out;
	}
	ber_memfree( esc );
	return out ? 0 : -1;
}

/* The roles, resolved first so that a typo lists nothing rather than
 * everything, as "(|(pimRoleDN=...)...)"; *f NULL for every role. */
static int
roles_clause( pimctl *pc, int argc, char **argv, char **f )
{
	char *dn = NULL, *or = NULL;
	int i, rc = 0;

	*f = NULL;
	for ( i = 0; rc == 0 && i < argc; i++ ) {
		rc = pimctl_resolve_role( pc, argv[i], &dn );
		if ( rc == 0 && append_eq( &or, "pimRoleDN", dn ) != 0 ) {
			rc = -1;
		}
		ber_memfree( dn );
		dn = NULL;
	}
	if ( rc == 0 && or != NULL ) {
		*f = ber_memalloc( strlen( or ) + 4 );
		if ( *f == NULL ) {
			rc = -1;
		} else {
			sprintf( *f, "(|%s)", or );
		}
	}
	ber_memfree( or );
	if ( rc < 0 ) {
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
	}
	return rc;
}

static int
build_filter( pimctl *pc, int argc, char **argv, char **filter )
{
	static const char classes[] =
		"(|(objectClass=pimEligibility)(objectClass=pimActivation))";
	char *roles = NULL, *who = NULL, *dn = NULL;
	size_t len;
	int rc;

	*filter = NULL;
	rc = roles_clause( pc, argc, argv, &roles );
	if ( rc == 0 && pc->pc_args.a_principal ) {
		rc = pimctl_resolve_user( pc, pc->pc_args.a_principal, &dn );
		if ( rc == 0 && append_eq( &who, "pimPrincipal", dn ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			rc = PIMCTL_EX_CLIENT;
		}
	}
	if ( rc != 0 ) {
		goto done;
	}
	len = sizeof( classes ) + ( roles ? strlen( roles ) : 0 ) +
		( who ? strlen( who ) : 0 ) + 8;
	*filter = ber_memalloc( len );
	if ( *filter == NULL ) {
		pimctl_error( pc, "out of memory" );
		rc = PIMCTL_EX_CLIENT;
		goto done;
	}
	snprintf( *filter, len, "(&%s%s%s)", classes, roles ? roles : "",
		who ? who : "" );
done:
	ber_memfree( roles );
	ber_memfree( who );
	ber_memfree( dn );
	return rc;
}

int
pimctl_cmd_assignments( pimctl *pc, int argc, char **argv )
{
	static const int keys[] = { PIMCTL_AS_ROLE, PIMCTL_AS_PRINCIPAL,
		PIMCTL_AS_START };
	pimctl_table t;
	LDAPMessage *res = NULL;
	const char *base;
	char *filter = NULL;
	int which = wanted( pc ), rc, rc2;

	if ( which < 0 ) {
		return PIMCTL_EX_USAGE;
	}
	pimctl_table_init( &t, pc, PIMCTL_AS_NCOLS, pimctl_as_columns );
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc == 0 ) {
		rc = build_filter( pc, argc, argv, &filter );
	}
	if ( rc != 0 ) {
		goto done;
	}
	/* what a search that ended early (a size limit) found is still
	 * listed; the exit status says it ended early */
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter,
		pimctl_as_attrs, &res );
	if ( res == NULL || ( rc != 0 &&
		ldap_count_entries( pc->pc_ld, res ) <= 0 ) )
	{
		goto done;
	}
	rc2 = pimctl_as_collect( pc, res, which, &t );
	if ( rc2 == 0 ) {
		pimctl_table_sort( &t, keys, 3 );
		pimctl_as_hide_unused( &t );
		rc2 = pimctl_output_one( pc, &t, "Assignments", NULL );
	}
	if ( rc2 != 0 ) {
		rc = rc2;
	}
done:
	pimctl_table_free( &t );
	ldap_msgfree( res );
	ber_memfree( filter );
	return rc;
}
