/* pimctl_notify_role.c - a role's notification settings: the role
 * entry's pimNotify attributes over the configuration file's.
 *
 * Each of the three settings is taken, for a role, from the first of
 *   1. the role entry: pimNotifyEvents, pimNotifyRecipient,
 *      pimNotifyCriticalOnly, when it has the attribute.  The directory
 *      wins: it is the role's policy, replicated, seen by everybody who
 *      reads the role, and changed only by PIM administrators (the
 *      overlay refuses anybody else's write);
 *   2. the file's "role NAME" section, when it sets it ("events",
 *      "mail-to", "critical-only" and "critical");
 *   3. the file's defaults, before its first "role" line.
 * The defaults' "mail-to" is added to every notice whatever the role
 * says (an archive address), and subject and body come from the file
 * only.
 *
 * Role entries are read once per poll (nt_roles_forget at its start),
 * so that a burst of a role's events costs one search and a change of
 * its settings is seen at the next poll.
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

/* The names pimNotifyEvents (and "events") may hold: the classes that
 * stand for several, and the trail's events (pim_event_kinds.h) with
 * dashes for spaces.  Anything else matches nothing; said with
 * --verbose. */
static const char *const event_classes[] = { "all", "none", "assignment", NULL };

static int
known_event( const char *key )
{
	char name[64];
	int i;

	for ( i = 0; event_classes[i]; i++ ) {
		if ( strcasecmp( event_classes[i], key ) == 0 ) {
			return 1;
		}
	}
	for ( i = 0; i < PIM_EK_COUNT; i++ ) {
		nt_event_key( pim_event_kind_name( (enum pim_event_kind)i ), name,
			sizeof( name ) );
		if ( strcasecmp( name, key ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

static int
copy_strs( nt_strs *dst, const nt_strs *src )
{
	int i;

	for ( i = 0; i < src->s_n; i++ ) {
		if ( nt_strs_add( dst, src->s_v[i] ) ) {
			return LDAP_NO_MEMORY;
		}
	}
	return 0;
}

/* The file's section for the role (NULL: none), copied into eff. */
static int
from_conf( nt_role *eff, const nt_role *conf )
{
	eff->nr_critical = -1;
	eff->nr_critical_only = -1;
	if ( conf == NULL ) {
		return 0;
	}
	eff->nr_events_set = conf->nr_events_set;
	eff->nr_critical = conf->nr_critical;
	eff->nr_critical_only = conf->nr_critical_only;
	if ( copy_strs( &eff->nr_events, &conf->nr_events ) ||
		copy_strs( &eff->nr_mail_to, &conf->nr_mail_to ) )
	{
		return LDAP_NO_MEMORY;
	}
	return 0;
}

/* pimNotifyEvents: the set, each value in the file's spelling
 * ("eligibility added" as "eligibility-added"). */
static int
dir_events( pimctl *pc, nt_role *eff, struct berval **vals )
{
	char key[64], *v;
	int i;

	nt_strs_free( &eff->nr_events );
	eff->nr_events_set = 1;
	for ( i = 0; vals[i]; i++ ) {
		if ( ( v = ber_strndup( vals[i]->bv_val, vals[i]->bv_len ) ) == NULL ) {
			return LDAP_NO_MEMORY;
		}
		nt_event_key( v, key, sizeof( key ) );
		ber_memfree( v );
		if ( !known_event( key ) ) {
			pimctl_verbose( pc, "notify: %s: pimNotifyEvents: unknown"
				" event \"%s\" (matches nothing)", eff->nr_name, key );
		}
		if ( nt_strs_add( &eff->nr_events, key ) ) {
			return LDAP_NO_MEMORY;
		}
	}
	return 0;
}

/* pimNotifyRecipient: the role's extra recipients, instead of the
 * file's; a value that would break the headers is left out. */
static int
dir_recipients( pimctl *pc, nt_role *eff, struct berval **vals )
{
	char *v;
	int i, rc = 0;

	nt_strs_free( &eff->nr_mail_to );
	for ( i = 0; vals[i] && rc == 0; i++ ) {
		if ( ( v = ber_strndup( vals[i]->bv_val, vals[i]->bv_len ) ) == NULL ) {
			return LDAP_NO_MEMORY;
		}
		if ( *v == '\0' || strpbrk( v, "\r\n,<> \t" ) ) {
			pimctl_verbose( pc, "notify: %s: pimNotifyRecipient \"%s\""
				" is no address: left out", eff->nr_name, v );
		} else if ( !nt_strs_has( &eff->nr_mail_to, v ) &&
			nt_strs_add( &eff->nr_mail_to, v ) )
		{
			rc = LDAP_NO_MEMORY;
		}
		ber_memfree( v );
	}
	return rc;
}

/* pimNotifyCriticalOnly: both halves of "critical" at once. */
static void
dir_critical( nt_role *eff, struct berval **vals )
{
	int yes = vals[0]->bv_len == sizeof( "TRUE" ) - 1 &&
		strncasecmp( vals[0]->bv_val, "TRUE", vals[0]->bv_len ) == 0;

	eff->nr_critical = yes;
	eff->nr_critical_only = yes;
}

/* The role entry's attributes over what eff holds.  A role that is
 * gone has none; any other failure is returned, so that the event is
 * tried again rather than sent by the wrong settings. */
static int
from_dir( pimctl *pc, nt_role *eff )
{
	char *attrs[] = { "pimNotifyEvents", "pimNotifyRecipient",
		"pimNotifyCriticalOnly", NULL };
	LDAPMessage *res = NULL, *e;
	struct berval **vals;
	int rc, err = LDAP_SUCCESS;

	pimctl_verbose( pc, "notify: reading the settings of %s", eff->nr_name );
	rc = ldap_search_ext_s( pc->pc_ld, eff->nr_name, LDAP_SCOPE_BASE,
		"(objectClass=*)", attrs, 0, NULL, NULL, NULL, 0, &res );
	if ( res != NULL ) {
		rc = ldap_parse_result( pc->pc_ld, res, &err, NULL, NULL, NULL,
			NULL, 0 );
		if ( rc == LDAP_SUCCESS ) {
			rc = err;
		}
	}
	if ( rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_INVALID_DN_SYNTAX ) {
		rc = LDAP_SUCCESS;
	}
	e = rc == LDAP_SUCCESS && res ? ldap_first_entry( pc->pc_ld, res ) : NULL;
	if ( e && ( vals = ldap_get_values_len( pc->pc_ld, e,
		"pimNotifyEvents" ) ) != NULL )
	{
		rc = dir_events( pc, eff, vals );
		ber_bvecfree( vals );
	}
	if ( e && rc == 0 && ( vals = ldap_get_values_len( pc->pc_ld, e,
		"pimNotifyRecipient" ) ) != NULL )
	{
		rc = dir_recipients( pc, eff, vals );
		ber_bvecfree( vals );
	}
	if ( e && rc == 0 && ( vals = ldap_get_values_len( pc->pc_ld, e,
		"pimNotifyCriticalOnly" ) ) != NULL )
	{
		dir_critical( eff, vals );
		ber_bvecfree( vals );
	}
	ldap_msgfree( res );
	return rc;
}

static void
role_drop( nt_role *nr )
{
	ber_memfree( nr->nr_name );
	nt_strs_free( &nr->nr_events );
	nt_strs_free( &nr->nr_mail_to );
	ber_memfree( nr );
}

void
nt_roles_forget( nt_role **cache )
{
	nt_role *nr, *next;

	for ( nr = *cache; nr; nr = next ) {
		next = nr->nr_next;
		role_drop( nr );
	}
	*cache = NULL;
}

/* The settings of role_dn (NULL: a record about no role, which the
 * file's defaults decide: *out NULL). */
int
nt_role_settings( pimctl *pc, const nt_conf *nc, nt_role **cache,
	const char *role_dn, const nt_role **out )
{
	nt_role *nr;
	int rc;

	*out = NULL;
	if ( role_dn == NULL ) {
		return 0;
	}
	for ( nr = *cache; nr; nr = nr->nr_next ) {
		if ( nt_dn_equal( nr->nr_name, role_dn ) ) {
			*out = nr;
			return 0;
		}
	}
	if ( ( nr = ber_memcalloc( 1, sizeof( *nr ) ) ) == NULL ||
		( nr->nr_name = ber_strdup( role_dn ) ) == NULL )
	{
		ber_memfree( nr );
		return LDAP_NO_MEMORY;
	}
	nr->nr_is_dn = 1;
	rc = from_conf( nr, nt_conf_role( nc, role_dn ) );
	if ( rc == 0 ) {
		rc = from_dir( pc, nr );
	}
	if ( rc != 0 ) {
		role_drop( nr );
		return rc;
	}
	nr->nr_next = *cache;
	*cache = nr;
	*out = nr;
	return 0;
}
