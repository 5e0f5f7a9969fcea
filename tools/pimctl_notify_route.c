/* pimctl_notify_route.c - who hears of an event.
 *
 *   requested, eligibility requested
 *                           the role's approvers (pimApprover: users, or
 *                           groups whose members are), never the
 *                           requester; a role without approvers: the
 *                           PIM administrators, so that somebody does
 *   approved, denied, timed-out, cancelled, scheduled, activated,
 *   extended, cut, expiring, deactivated, expired, revoked,
 *   eligibility expiring    the principal (the requester)
 *   eligibility added, removed, changed, extended, renewed
 *                           the PIM administrators and the principal
 *   activated, when it is an active assignment (the activation carries
 *   pimAssignedBy) or the role is critical
 *                           the PIM administrators too
 *   alert, and any other event turned on
 *                           the PIM administrators
 * and, for every event, the role's extra recipients (pimNotifyRecipient,
 * else its section's "mail-to") and the defaults' "mail-to".  A role
 * that is critical-only (pimNotifyCriticalOnly, "critical-only") sends
 * its critical notices only: requests for approval, activations (to the
 * administrators as to a critical role's) and alerts.  The
 * PIM administrators are "admin-mail" and the members of each
 * "admin-group".  An address is an entry's "mail"; a group (member or
 * uniqueMember values) stands for its members, three levels deep.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pimctl_notify.h"
#include "pim_event_kinds.h"

#define GROUP_DEPTH	3

/* The kind of r's event (pim_event_kinds.h); PIM_EK_COUNT for a
 * record that names none. */
static enum pim_event_kind
rec_kind( const pimctl_rec *r )
{
	const char *ev = r->r_f[PIM_CH_EVENT];
	enum pim_event_kind k;

	if ( ev == NULL || pim_event_kind_parse( ev, strlen( ev ), &k ) != 0 ) {
		return PIM_EK_COUNT;
	}
	return k;
}

/* Is r's event one that audience (PIM_EKA_*) hears of? */
static int
heard_by( const pimctl_rec *r, unsigned audience )
{
	return ( pim_event_kind_audience( rec_kind( r ) ) & audience ) != 0;
}

/* A search's result code; *res is the caller's to free. */
static int
nt_search( pimctl *pc, const char *base, int scope, const char *filter,
	char **attrs, LDAPMessage **res )
{
	int rc, err = LDAP_SUCCESS;

	*res = NULL;
	pimctl_verbose( pc, "notify: search base=\"%s\" filter=\"%s\"", base,
		filter );
	rc = ldap_search_ext_s( pc->pc_ld, base, scope, filter, attrs, 0,
		NULL, NULL, NULL, 0, res );
	if ( *res == NULL ) {
		return rc;
	}
	rc = ldap_parse_result( pc->pc_ld, *res, &err, NULL, NULL, NULL,
		NULL, 0 );
	return rc != LDAP_SUCCESS ? rc : err;
}

/* Add every value of attr of e to to. */
static int
add_values( LDAP *ld, LDAPMessage *e, const char *attr, nt_strs *to )
{
	struct berval **vals = ldap_get_values_len( ld, e, attr );
	int i, rc = 0;

	for ( i = 0; vals && vals[i] && rc == 0; i++ ) {
		char *s = ber_strndup( vals[i]->bv_val, vals[i]->bv_len );

		if ( s == NULL ) {
			rc = LDAP_NO_MEMORY;
		} else if ( strpbrk( s, "\r\n,<>" ) ) {
			;	/* no address: it would break the headers */
		} else if ( !nt_strs_has( to, s ) && nt_strs_add( to, s ) ) {
			rc = LDAP_NO_MEMORY;
		}
		ber_memfree( s );
	}
	ber_bvecfree( vals );
	return rc;
}

static int add_dn( pimctl *pc, const char *dn, const char *except,
	int depth, nt_strs *to );

/* The members of a group, each added as add_dn does. */
static int
add_members( pimctl *pc, LDAPMessage *e, const char *except, int depth,
	nt_strs *to )
{
	static const char *const attrs[] = { "member", "uniqueMember", NULL };
	struct berval **vals;
	int i, j, rc = 0;

	for ( i = 0; attrs[i] && rc == 0; i++ ) {
		vals = ldap_get_values_len( pc->pc_ld, e, attrs[i] );
		for ( j = 0; vals && vals[j] && rc == 0; j++ ) {
			char *m = ber_strndup( vals[j]->bv_val, vals[j]->bv_len );

			rc = m ? add_dn( pc, m, except, depth + 1, to ) :
				LDAP_NO_MEMORY;
			ber_memfree( m );
		}
		ber_bvecfree( vals );
	}
	return rc;
}

/* The addresses of dn: its mail, or its members' (a group).  except
 * (a DN, or NULL) is left out.  An entry that is gone is no error. */
static int
add_dn( pimctl *pc, const char *dn, const char *except, int depth,
	nt_strs *to )
{
	char *attrs[] = { "mail", "member", "uniqueMember", NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	if ( depth > GROUP_DEPTH || ( except && nt_dn_equal( dn, except ) ) ) {
		return 0;
	}
	rc = nt_search( pc, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, &res );
	if ( rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_INVALID_DN_SYNTAX ) {
		rc = 0;
		goto done;
	}
	if ( rc != LDAP_SUCCESS ) {
		goto done;
	}
	e = ldap_first_entry( pc->pc_ld, res );
	if ( e ) {
		rc = add_values( pc->pc_ld, e, "mail", to );
		if ( rc == 0 ) {
			rc = add_members( pc, e, except, depth, to );
		}
	}
done:
	ldap_msgfree( res );
	return rc;
}

static int
add_admins( pimctl *pc, const nt_conf *nc, nt_strs *to )
{
	int i, rc = 0;

	for ( i = 0; i < nc->nc_admin_mail.s_n && rc == 0; i++ ) {
		if ( !nt_strs_has( to, nc->nc_admin_mail.s_v[i] ) &&
			nt_strs_add( to, nc->nc_admin_mail.s_v[i] ) )
		{
			rc = LDAP_NO_MEMORY;
		}
	}
	for ( i = 0; i < nc->nc_admin_groups.s_n && rc == 0; i++ ) {
		rc = add_dn( pc, nc->nc_admin_groups.s_v[i], NULL, 0, to );
	}
	return rc;
}

/* The role's approvers (pimApprover), the requester left out. */
static int
add_approvers( pimctl *pc, const nt_conf *nc, const pimctl_rec *r,
	nt_strs *to )
{
	char *attrs[] = { "pimApprover", NULL };
	LDAPMessage *res = NULL, *e;
	struct berval **vals = NULL;
	int i, rc;

	rc = nt_search( pc, r->r_f[PIM_CH_ROLE], LDAP_SCOPE_BASE,
		"(objectClass=*)", attrs, &res );
	if ( rc == LDAP_NO_SUCH_OBJECT ) {
		rc = 0;
	}
	e = rc == 0 ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( e ) {
		vals = ldap_get_values_len( pc->pc_ld, e, "pimApprover" );
	}
	for ( i = 0; vals && vals[i] && rc == 0; i++ ) {
		char *dn = ber_strndup( vals[i]->bv_val, vals[i]->bv_len );

		rc = dn ? add_dn( pc, dn, r->r_f[PIM_CH_PRINCIPAL], 0, to ) :
			LDAP_NO_MEMORY;
		ber_memfree( dn );
	}
	if ( rc == 0 && ( vals == NULL || vals[0] == NULL ) ) {
		rc = add_admins( pc, nc, to );
	}
	ber_bvecfree( vals );
	ldap_msgfree( res );
	return rc;
}

/* Is the activation r names an active assignment (pimAssignedBy)? */
static int
is_assignment( pimctl *pc, const pimctl_rec *r, int *yes )
{
	char filter[256], *attrs[] = { "pimAssignedBy", NULL }, *id = NULL;
	const char *base;
	LDAPMessage *res = NULL, *e;
	int rc;

	*yes = 0;
	if ( r->r_f[PIM_CH_ID] == NULL ) {
		return 0;
	}
	if ( ( rc = pimctl_get_base( pc, &base ) ) != 0 ) {
		return LDAP_OTHER;
	}
	if ( pimctl_filter_escape( r->r_f[PIM_CH_ID], &id ) != 0 ) {
		return LDAP_NO_MEMORY;
	}
	snprintf( filter, sizeof( filter ),
		"(&(objectClass=pimActivation)(pimId=%s))", id );
	rc = nt_search( pc, base, LDAP_SCOPE_SUBTREE, filter, attrs, &res );
	if ( rc == LDAP_SUCCESS ) {
		for ( e = ldap_first_entry( pc->pc_ld, res ); e;
			e = ldap_next_entry( pc->pc_ld, e ) )
		{
			*yes |= pimctl_count_values( pc->pc_ld, e, "pimAssignedBy" ) > 0;
		}
	}
	ber_memfree( id );
	ldap_msgfree( res );
	return rc;
}

/* The principal's events: the workflow's outcomes and the activation's
 * life. */
static int
for_principal( const pimctl_rec *r )
{
	return heard_by( r, PIM_EKA_PRINCIPAL );
}

/* An assignment's change: the principal and the PIM administrators. */
static int
is_eligibility_change( const pimctl_rec *r )
{
	return heard_by( r, PIM_EKA_ELIGIBILITY );
}

/* A critical notice, as Entra's "critical emails only" has it: one that
 * somebody must act on or that an administrator must see - a request
 * waiting for approval, the activation of a (critical) role, an alert.
 * Reminders and outcomes (approved, expiring, expired, an eligibility's
 * changes, ...) are not. */
static int
is_critical_notice( const pimctl_rec *r )
{
	return heard_by( r, PIM_EKA_CRITICAL );
}

/* Does r notify at all?  Its event is on for the role, or it is the
 * activation of a critical role (which the administrators hear of
 * whatever the events say); and a critical-only role's notice is a
 * critical one. */
static int
is_on( const nt_conf *nc, const nt_role *nr, const pimctl_rec *r,
	int critical )
{
	if ( r->r_f[PIM_CH_EVENT] == NULL ) {
		return 0;
	}
	if ( !nt_event_on( nc, nr, r->r_f[PIM_CH_EVENT] ) && !critical ) {
		return 0;
	}
	return !nt_role_critical_only( nc, nr ) || is_critical_notice( r );
}

/* Who hears of r, by the role's settings nr (nt_role_settings; NULL:
 * the defaults): *on says whether r notifies at all, to the addresses.
 * Returns 0 or an LDAP result code (try again later). */
int
nt_route( pimctl *pc, const nt_conf *nc, const nt_role *nr,
	const pimctl_rec *r, nt_strs *to, int *on )
{
	const char *principal = r->r_f[PIM_CH_PRINCIPAL];
	int admins = 0, assigned = 0, rc = 0, i;
	int critical = nt_role_critical( nc, nr ) &&
		rec_kind( r ) == PIM_EK_ACTIVATED;

	*on = is_on( nc, nr, r, critical );
	if ( !*on ) {
		return 0;
	}
	if ( heard_by( r, PIM_EKA_APPROVERS ) && r->r_f[PIM_CH_ROLE] )
	{
		rc = add_approvers( pc, nc, r, to );
	} else if ( for_principal( r ) || is_eligibility_change( r ) ) {
		if ( principal ) {
			rc = add_dn( pc, principal, NULL, GROUP_DEPTH, to );
		}
		if ( rc == 0 && rec_kind( r ) == PIM_EK_ACTIVATED ) {
			rc = is_assignment( pc, r, &assigned );
		}
		admins = critical || assigned || is_eligibility_change( r );
	} else {
		admins = 1;	/* alerts, and what else was turned on */
	}
	if ( rc == 0 && admins ) {
		rc = add_admins( pc, nc, to );
	}
	for ( i = 0; rc == 0 && nr && i < nr->nr_mail_to.s_n; i++ ) {
		if ( !nt_strs_has( to, nr->nr_mail_to.s_v[i] ) &&
			nt_strs_add( to, nr->nr_mail_to.s_v[i] ) )
		{
			rc = LDAP_NO_MEMORY;
		}
	}
	for ( i = 0; rc == 0 && i < nc->nc_defaults.nr_mail_to.s_n; i++ ) {
		const char *m = nc->nc_defaults.nr_mail_to.s_v[i];

		if ( !nt_strs_has( to, m ) && nt_strs_add( to, m ) ) {
			rc = LDAP_NO_MEMORY;
		}
	}
	return rc;
}
