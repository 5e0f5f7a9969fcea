/* pim_kind.c - role kinds: which attribute PIM writes on a role, and in
 * what form.
 *
 * A role is an entry with pimRole; its kind follows from its object
 * classes: the first kind in the instance's own list (pim-role-kind),
 * then the built-in ones below, whose class the entry has.  A DN kind
 * writes the principal's DN (and memberOf on the principal); a uid kind
 * writes the principal's uid, which is what RFC 2307 clients (nslcd,
 * SSSD) read in memberUid and sudo-ldap in sudoUser.
 *
 * Provenance is the same for every kind: pimManagedMember holds the
 * principal's DN, whatever value the kind's attribute received.  A uid
 * kind's value is found from the principal's entry when it is needed;
 * when the entry is gone (a delete: pim_door2_after.c keeps the uid it had)
 * the hint set with pim_kind_hint() stands in for it.
 *
 * An RFC 2307bis group (groupOfNames with the auxiliary posixGroup) is
 * of the DN kind member; where pim-memberuid-sync asks, its memberUid is
 * kept in step as the role's mirror (pim_kind_mirror): every value PIM
 * gives or takes in member, it gives or takes as the principal's uid in
 * memberUid, in the same write, so that member-reading and
 * memberUid-reading clients see the same members.
 *
 * The built-in kinds are resolved once per db_open (the classes of a
 * schema that is not loaded are left out); an instance's own kinds when
 * its directive is read, so that a wrong name is refused there.
 */
#include "pim_door2.h"	/* pim_mods_touch */

#define PIM_SYNTAX_DN		"1.3.6.1.4.1.1466.115.121.1.12"
#define PIM_SYNTAX_NAME_UID	"1.3.6.1.4.1.1466.115.121.1.34"

static const struct {
	const char	*bk_class, *bk_attr;
	pim_value_form	bk_form;
} pim_builtin_kinds[] = {
	{ "groupOfNames",	"member",	PIM_FORM_DN },
	{ "groupOfUniqueNames",	"uniqueMember",	PIM_FORM_DN },
	{ "groupOfMembers",	"member",	PIM_FORM_DN },
	{ "posixGroup",		"memberUid",	PIM_FORM_UID },
	{ "sudoRole",		"sudoUser",	PIM_FORM_UID },
};
#define PIM_NBUILTIN_KINDS \
	( sizeof( pim_builtin_kinds ) / sizeof( pim_builtin_kinds[0] ) )

static pim_role_kind pim_kinds[PIM_NBUILTIN_KINDS];
static unsigned pim_nkinds;
AttributeDescription *pim_ad_uid;

/* Does oc (or a superclass) require ad? */
static int
pim_oc_requires( ObjectClass *oc, AttributeDescription *ad )
{
	int i;

	for ( ; oc != NULL; oc = oc->soc_sups ? oc->soc_sups[0] : NULL ) {
		for ( i = 0; oc->soc_required && oc->soc_required[i]; i++ )
			if ( oc->soc_required[i] == ad->ad_type )
				return 1;
	}
	return 0;
}

/* A kind from its three names; text is set on failure. */
int
pim_kind_make( const char *class, const char *attr, const char *form,
	pim_role_kind *k, const char **text )
{
	AttributeDescription *ad = NULL;

	memset( k, 0, sizeof( *k ) );
	k->rk_oc = oc_find( class );
	if ( k->rk_oc == NULL ) {
		*text = "no such object class";
		return 1;
	}
	if ( slap_str2ad( attr, &ad, text ) != LDAP_SUCCESS )
		return 1;
	if ( strcasecmp( form, "dn" ) == 0 ) {
		k->rk_form = PIM_FORM_DN;
		const char *syn = ad->ad_type->sat_syntax->ssyn_oid;

		if ( strcmp( syn, PIM_SYNTAX_DN ) != 0 &&
			strcmp( syn, PIM_SYNTAX_NAME_UID ) != 0 )
		{
			*text = "a dn kind needs an attribute of DN syntax";
			return 1;
		}
	} else if ( strcasecmp( form, "uid" ) == 0 ) {
		k->rk_form = PIM_FORM_UID;
	} else {
		*text = "the value form is dn or uid";
		return 1;
	}
	k->rk_ad = ad;
	k->rk_required = pim_oc_requires( k->rk_oc, ad );
	return 0;
}

int
pim_kinds_resolve( void )
{
	const char *text = NULL;
	unsigned i;

	pim_ad_uid = NULL;
	if ( slap_str2ad( "uid", &pim_ad_uid, &text ) != LDAP_SUCCESS )
		pim_ad_uid = NULL;
	pim_nkinds = 0;
	for ( i = 0; i < PIM_NBUILTIN_KINDS; i++ ) {
		if ( oc_find( pim_builtin_kinds[i].bk_class ) == NULL )
			continue;	/* that schema is not loaded */
		if ( pim_kind_make( pim_builtin_kinds[i].bk_class,
			pim_builtin_kinds[i].bk_attr, pim_builtin_kinds[i].bk_form ==
			PIM_FORM_DN ? "dn" : "uid", &pim_kinds[pim_nkinds], &text ) == 0 )
			pim_nkinds++;
	}
	return 0;
}

const pim_role_kind *
pim_kind_find( pim_info *pi, Entry *role )
{
	unsigned i;

	for ( i = 0; i < pi->pi_nkinds; i++ )
		if ( is_entry_objectclass_or_sub( role, pi->pi_kinds[i].rk_oc ) )
			return &pi->pi_kinds[i];
	for ( i = 0; i < pim_nkinds; i++ )
		if ( is_entry_objectclass_or_sub( role, pim_kinds[i].rk_oc ) )
			return &pim_kinds[i];
	return NULL;
}

/* The uid kind that mirrors primary on role (see the file comment), or
 * NULL: a DN kind's role that is also a posixGroup, where the instance
 * keeps memberUid in step. */
const pim_role_kind *
pim_kind_mirror( pim_info *pi, Entry *role, const pim_role_kind *primary )
{
	unsigned i;

	if ( !pi->pi_memberuid_sync || primary == NULL ||
		primary->rk_form != PIM_FORM_DN )
		return NULL;
	for ( i = 0; i < pim_nkinds; i++ ) {
		if ( pim_kinds[i].rk_form == PIM_FORM_UID &&
			strcasecmp( pim_kinds[i].rk_oc->soc_cname.bv_val,
				"posixGroup" ) == 0 &&
			is_entry_objectclass_or_sub( role, pim_kinds[i].rk_oc ) )
			return &pim_kinds[i];
	}
	return NULL;
}

/* Does ml change the attribute of any kind whose class role has (its
 * own kind's, or another a second class gives it: memberUid on an RFC
 * 2307bis group)?  Each is membership some client reads. */
int
pim_kind_mods_touch( pim_info *pi, Entry *role, Modifications *ml )
{
	unsigned i;

	for ( i = 0; i < pi->pi_nkinds; i++ )
		if ( is_entry_objectclass_or_sub( role, pi->pi_kinds[i].rk_oc ) &&
			pim_mods_touch( ml, pi->pi_kinds[i].rk_ad ) )
			return 1;
	for ( i = 0; i < pim_nkinds; i++ )
		if ( is_entry_objectclass_or_sub( role, pim_kinds[i].rk_oc ) &&
			pim_mods_touch( ml, pim_kinds[i].rk_ad ) )
			return 1;
	return 0;
}

/* The role's kind, and its mirror (NULL: none; mirror may be NULL). */
int
pim_role_kinds_of( Operation *op, pim_info *pi, struct berval *role,
	const pim_role_kind **kind, const pim_role_kind **mirror )
{
	Entry *e = NULL;
	int rc;

	*kind = NULL;
	if ( mirror != NULL )
		*mirror = NULL;
	rc = pim_entry_get( op, pi, role, &e );
	if ( rc != LDAP_SUCCESS )
		return rc;
	*kind = pim_kind_find( pi, e );
	if ( mirror != NULL )
		*mirror = pim_kind_mirror( pi, e, *kind );
	pim_entry_release( op, pi, e );
	return *kind ? LDAP_SUCCESS : LDAP_OBJECT_CLASS_VIOLATION;
}

int
pim_role_kind_of( Operation *op, pim_info *pi, struct berval *role,
	const pim_role_kind **kind )
{
	return pim_role_kinds_of( op, pi, role, kind, NULL );
}

/* Is ad the attribute of some kind (the attributes read-time enforcement
 * and the door look at)? */
int
pim_is_kind_attr( pim_info *pi, AttributeDescription *ad )
{
	unsigned i;

	for ( i = 0; pi != NULL && i < pi->pi_nkinds; i++ )
		if ( ad->ad_type == pi->pi_kinds[i].rk_ad->ad_type )
			return 1;
	for ( i = 0; i < pim_nkinds; i++ )
		if ( ad->ad_type == pim_kinds[i].rk_ad->ad_type )
			return 1;
	return 0;
}

/* --- the value a principal has in a uid kind ----------------------------- */

/* The uid a deleted principal had, for the operation that deletes it:
 * its entry is gone by the time PIM removes what it gave. */
typedef struct pim_uid_hint {
	OpExtra		uh_oe;
	struct berval	uh_ndn, uh_uid;	/* not owned */
} pim_uid_hint;

static int pim_uid_hint_key;

void
pim_kind_hint( Operation *op, struct berval *ndn, struct berval *uid,
	void *storage )
{
	pim_uid_hint *uh = storage;

	if ( ndn == NULL ) {
		LDAP_SLIST_REMOVE( &op->o_extra, &uh->uh_oe, OpExtra, oe_next );
		return;
	}
	memset( uh, 0, sizeof( *uh ) );
	uh->uh_oe.oe_key = &pim_uid_hint_key;
	uh->uh_ndn = *ndn;
	uh->uh_uid = *uid;
	LDAP_SLIST_INSERT_HEAD( &op->o_extra, &uh->uh_oe, oe_next );
}

size_t
pim_kind_hint_size( void )
{
	return sizeof( pim_uid_hint );
}

static struct berval *
pim_hinted_uid( Operation *op, struct berval *ndn )
{
	OpExtra *oe;

	LDAP_SLIST_FOREACH( oe, &op->o_extra, oe_next ) {
		pim_uid_hint *uh = (pim_uid_hint *)oe;

		if ( oe->oe_key == &pim_uid_hint_key && dn_match( &uh->uh_ndn, ndn ) )
			return &uh->uh_uid;
	}
	return NULL;
}

/* The uid of the entry ndn, on o_tmpmemctx; NULL when it has none. */
int
pim_principal_uid( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *uid )
{
	Entry *e = NULL;
	Attribute *a;
	struct berval *hint;

	BER_BVZERO( uid );
	if ( pim_ad_uid == NULL )
		return LDAP_NO_SUCH_ATTRIBUTE;
	if ( pim_entry_get( op, pi, ndn, &e ) == LDAP_SUCCESS ) {
		a = attr_find( e->e_attrs, pim_ad_uid );
		if ( a != NULL && a->a_numvals > 0 )
			ber_dupbv_x( uid, &a->a_vals[0], op->o_tmpmemctx );
		pim_entry_release( op, pi, e );
	} else if ( ( hint = pim_hinted_uid( op, ndn ) ) != NULL ) {
		ber_dupbv_x( uid, hint, op->o_tmpmemctx );
	}
	return BER_BVISNULL( uid ) ? LDAP_NO_SUCH_ATTRIBUTE : LDAP_SUCCESS;
}

/* May uid stand as a uid kind's value?  Clients read more than names
 * there: sudo-ldap takes "ALL", "%group", "%:group", "#uid", "+netgroup"
 * and "!negation" in sudoUser as tokens that match many users, so a
 * user whose uid looks like one (a rename is enough) would hand the
 * rule to all of them.  Only a plain name is written: a letter, digit
 * or '_' first, then letters, digits, '.', '_', '-', '@' or a final
 * '$' (machine accounts); never ALL. */
int
pim_uid_is_plain( const struct berval *uid )
{
	ber_len_t i;

	if ( uid == NULL || uid->bv_len == 0 || uid->bv_len > 256 ||
		( uid->bv_len == 3 && strncasecmp( uid->bv_val, "ALL", 3 ) == 0 ) )
		return 0;
	if ( !isalnum( (unsigned char)uid->bv_val[0] ) && uid->bv_val[0] != '_' )
		return 0;
	for ( i = 1; i < uid->bv_len; i++ ) {
		unsigned char c = uid->bv_val[i];

		if ( isalnum( c ) || c == '.' || c == '_' || c == '-' || c == '@' ||
			( c == '$' && i == uid->bv_len - 1 ) )
			continue;
		return 0;
	}
	return 1;
}

/* in as kind's attribute holds it, on o_tmpmemctx (a copy where the
 * attribute's equality has no normalizer). */
int
pim_kind_normalize( Operation *op, const pim_role_kind *kind,
	struct berval *in, struct berval *out )
{
	BER_BVZERO( out );
	if ( attr_normalize_one( kind->rk_ad, in, out, op->o_tmpmemctx ) !=
		LDAP_SUCCESS )
		return LDAP_INVALID_SYNTAX;
	if ( BER_BVISNULL( out ) )
		ber_dupbv_x( out, in, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* The value user has in kind's attribute: the DN itself (not copied), or
 * the uid, both forms on o_tmpmemctx.  Release with pim_value_free. */
int
pim_kind_value( Operation *op, pim_info *pi, const pim_role_kind *kind,
	struct berval *user, pim_value *v )
{
	struct berval uid;
	int rc;

	memset( v, 0, sizeof( *v ) );
	if ( kind->rk_form == PIM_FORM_DN ) {
		v->pv_val = v->pv_nval = *user;
		return LDAP_SUCCESS;
	}
	rc = pim_principal_uid( op, pi, user, &uid );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( pim_kind_normalize( op, kind, &uid, &v->pv_nval ) != LDAP_SUCCESS ) {
		op->o_tmpfree( uid.bv_val, op->o_tmpmemctx );
		return LDAP_INVALID_SYNTAX;
	}
	v->pv_val = uid;
	v->pv_owned = 1;
	return LDAP_SUCCESS;
}

void
pim_value_free( Operation *op, pim_value *v )
{
	if ( !v->pv_owned )
		return;
	op->o_tmpfree( v->pv_val.bv_val, op->o_tmpmemctx );
	op->o_tmpfree( v->pv_nval.bv_val, op->o_tmpmemctx );
	v->pv_owned = 0;
}

/* --- the directive --------------------------------------------------------- */

/* "class attribute form", as the directive takes it (ch_malloc'ed). */
char *
pim_kind_unparse( const pim_role_kind *k )
{
	size_t len = strlen( k->rk_oc->soc_cname.bv_val ) +
		k->rk_ad->ad_cname.bv_len + sizeof( "  uid" );
	char *s = ch_malloc( len );

	snprintf( s, len, "%s %s %s", k->rk_oc->soc_cname.bv_val,
		k->rk_ad->ad_cname.bv_val, k->rk_form == PIM_FORM_DN ? "dn" : "uid" );
	return s;
}

/* --- from a uid back to its principal ------------------------------------- */

/* The entry in the database whose uid is v (normalized by a uid kind's
 * attribute), on o_tmpmemctx: LDAP_NO_SUCH_OBJECT when none has it,
 * LDAP_CONSTRAINT_VIOLATION when several do (the value names nobody in
 * particular, so PIM cannot act for it). */
int
pim_uid_principal( Operation *op, pim_info *pi, struct berval *v,
	struct berval *ndn )
{
	BerVarray found = NULL;
	char *filter;
	int rc, n;

	BER_BVZERO( ndn );
	if ( pim_ad_uid == NULL )
		return LDAP_NO_SUCH_OBJECT;
	if ( ( filter = pim_filter_eq( op, "uid", v ) ) == NULL )
		return LDAP_OTHER;
	rc = pim_internal_search_ext( op, pi, &pi->pi_db->be_nsuffix[0],
		LDAP_SCOPE_SUBTREE, filter, NULL, 2, pim_collect_ndn, &found );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	for ( n = 0; found != NULL && !BER_BVISNULL( &found[n] ); n++ )
		;
	if ( rc == LDAP_SIZELIMIT_EXCEEDED || n > 1 )
		rc = LDAP_CONSTRAINT_VIOLATION;
	else if ( rc == LDAP_SUCCESS && n == 0 )
		rc = LDAP_NO_SUCH_OBJECT;
	if ( rc == LDAP_SUCCESS )
		ber_dupbv_x( ndn, &found[0], op->o_tmpmemctx );
	ber_bvarray_free_x( found, op->o_tmpmemctx );
	return rc;
}
