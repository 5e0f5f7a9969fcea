/* pim_modlist.c - modification lists on the stack.
 *
 * PIM's internal modifies are short (a state swap, a value, a time
 * stamp): a pim_modlist holds them in a fixed array with their values,
 * so that building one allocates nothing that has to be freed.
 */
#include "pim.h"

void
pim_mod_init( Modifications *mod, short op, short flags,
	AttributeDescription *ad, struct berval *vals, struct berval *nvals )
{
	memset( mod, 0, sizeof( *mod ) );
	mod->sml_op = op;
	mod->sml_flags = flags;
	mod->sml_desc = ad;
	mod->sml_type = ad->ad_cname;
	mod->sml_values = vals;
	mod->sml_nvalues = nvals;
	mod->sml_numvals = 0;
	if ( vals != NULL ) {
		while ( !BER_BVISNULL( &vals[mod->sml_numvals] ) )
			mod->sml_numvals++;
	}
}

/* Append one modification of ad with the single value v (copied into
 * the list's own storage; v may be a temporary). */
void
pim_ml_add( pim_modlist *ml, short op, AttributeDescription *ad,
	struct berval *v )
{
	int n = ml->ml_n++;

	assert( n < PIM_ML_MAX );
	if ( v != NULL ) {
		ml->ml_vals[n][0] = *v;
		BER_BVZERO( &ml->ml_vals[n][1] );
	}
	pim_mod_init( &ml->ml_mods[n], op, ad == pim_ad_member_of ?
		SLAP_MOD_INTERNAL : 0, ad, v ? ml->ml_vals[n] : NULL,
		v ? ml->ml_vals[n] : NULL );
	if ( n > 0 )
		ml->ml_mods[n - 1].sml_next = &ml->ml_mods[n];
}

void
pim_ml_time( pim_modlist *ml, short op, AttributeDescription *ad, time_t t )
{
	struct berval bv;
	int n = ml->ml_n;

	/* callers refuse times past PIM_TIME_MAX before writing; never
	 * write an unformatted buffer all the same */
	if ( pim_gentime_format( t, ml->ml_tbuf[n], sizeof( ml->ml_tbuf[n] ) ) )
		(void)pim_gentime_format( t < 0 ? 0 : PIM_TIME_MAX, ml->ml_tbuf[n],
			sizeof( ml->ml_tbuf[n] ) );
	ber_str2bv( ml->ml_tbuf[n], 0, 0, &bv );
	pim_ml_add( ml, op, ad, &bv );
}

void
pim_ml_str( pim_modlist *ml, short op, AttributeDescription *ad,
	const char *s )
{
	struct berval bv;

	ber_str2bv( s, 0, 0, &bv );
	pim_ml_add( ml, op, ad, &bv );
}

Modifications *
pim_ml_head( pim_modlist *ml )
{
	return ml->ml_n ? &ml->ml_mods[0] : NULL;
}
