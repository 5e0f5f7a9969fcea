/* pim_door2_fixup.c - other overlays' fix-ups of PIM roles.
 *
 * slapo-refint and slapo-memberof (with memberof-refint) repair group
 * members after an entry is deleted or renamed, with internal writes
 * as the rootdn.  On a PIM role those writes are recognised here and
 * let through, and provenance (pimManagedMember) follows afterwards.
 */
#include "pim_door2.h"

static int
pim_dn_exists( Operation *op, pim_info *pi, struct berval *ndn )
{
	Entry *e = NULL;

	if ( pim_entry_get( op, pi, ndn, &e ) != LDAP_SUCCESS )
		return 0;
	pim_entry_release( op, pi, e );
	return 1;
}

/* A fix-up of slapo-refint or slapo-memberof (or an administrator's by
 * hand) after a member's entry was deleted or renamed: on mad, only
 * deletes of values whose entries are gone and adds of values whose
 * entries exist (the new DN, or the placeholder refint leaves in an
 * emptied group), at least one delete, and otherwise only operational
 * attributes (modifiersName); or, while the rename of an entry is in
 * flight, only the add of its new DN (slapo-memberof adds the new value
 * and deletes the old one in two writes).  Such a write goes to the
 * backend as it is: it changes no privilege a live entry holds. */
int
pim_mods_fixup( Operation *op, pim_info *pi, Modifications *ml,
	AttributeDescription *mad )
{
	int deletes = 0, renamed = 0;
	unsigned i;

	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( is_at_operational( ml->sml_desc->ad_type ) )
			continue;
		if ( ml->sml_desc != mad || ml->sml_values == NULL )
			return 0;
		for ( i = 0; i < ml->sml_numvals; i++ ) {
			struct berval *v = ml->sml_nvalues ? &ml->sml_nvalues[i] :
				&ml->sml_values[i];

			if ( ml->sml_op == LDAP_MOD_DELETE ||
				ml->sml_op == SLAP_MOD_SOFTDEL ) {
				if ( pim_dn_exists( op, pi, v ) )
					return 0;
				deletes++;
			} else if ( ml->sml_op == LDAP_MOD_ADD ||
				ml->sml_op == SLAP_MOD_SOFTADD ) {
				if ( !dn_match( v, &pi->pi_nplaceholder ) &&
					!pim_dn_exists( op, pi, v ) )
					return 0;
				renamed += pim_rename_names( pi, v, 1 );
			} else {
				return 0;
			}
		}
	}
	return deletes > 0 || renamed > 0;
}

/* After a fix-up went through: a deleted value PIM had given leaves
 * pimManagedMember too, and the new DN it was renamed to (the fix-up's
 * added value) is PIM's in its place. */
void
pim_fixup_push( Operation *op, pim_info *pi, Modifications *ml,
	AttributeDescription *mad )
{
	struct berval *added = NULL;
	Modifications *m;
	unsigned i;

	for ( m = ml; m != NULL; m = m->sml_next ) {
		if ( m->sml_desc == mad && ( m->sml_op == LDAP_MOD_ADD ||
			m->sml_op == SLAP_MOD_SOFTADD ) && m->sml_numvals == 1 )
			added = m->sml_nvalues ? &m->sml_nvalues[0] : &m->sml_values[0];
	}
	for ( m = ml; m != NULL; m = m->sml_next ) {
		if ( m->sml_desc != mad || ( m->sml_op != LDAP_MOD_DELETE &&
			m->sml_op != SLAP_MOD_SOFTDEL ) )
			continue;
		for ( i = 0; i < m->sml_numvals; i++ ) {
			struct berval *v = m->sml_nvalues ? &m->sml_nvalues[i] :
				&m->sml_values[i];
			pim_after *pa;

			/* a rename in flight: PIM's own follow moves its values */
			if ( pim_rename_names( pi, v, 0 ) )
				continue;
			pa = pim_after_push_dns( op, pi, PIM_AFTER_MEMBER_FIXUP, v,
				&op->o_req_ndn );
			if ( added != NULL && !dn_match( added, &pi->pi_nplaceholder ) )
				ber_dupbv_x( &pa->pa_new, added, op->o_tmpmemctx );
		}
	}
}

