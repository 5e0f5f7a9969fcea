/* pim_door2.h - what the files of door 2 share.
 *
 *   pim_door2.c   the hooks: add, modify, delete, rename
 *   pim_door2_attrs.c       which attributes and modifications concern PIM
 *   pim_door2_after.c       what waits for the backend's result: effects of a
 *                     write, and the read-time window's notes
 *   pim_door2_fixup.c       other overlays' fix-ups of PIM roles
 */
#ifndef PIM_DOOR2_H
#define PIM_DOOR2_H

#include "pim.h"

/* pim_door2.c: refuse a door-2 write: record, set rs, send */
int pim_refuse( Operation *op, SlapReply *rs, int rc, const char *text );

/* pim_door2_attrs.c */
int pim_same_type( AttributeDescription *ad, AttributeDescription *base );
int pim_is_policy_attr( AttributeDescription *ad );
int pim_is_notify_attr( AttributeDescription *ad );
int pim_is_pim_attr( AttributeDescription *ad );
int pim_is_member_attr( AttributeDescription *ad );
int pim_is_pim_type( pim_info *pi, AttributeDescription *ad );
int pim_has_options( AttributeDescription *ad );
int pim_mods_touch_role( pim_info *pi, Modifications *ml );
int pim_mods_touch_policy( Modifications *ml );
int pim_mods_touch_notify( Modifications *ml );
int pim_mods_touch( Modifications *ml, AttributeDescription *ad );
int pim_mods_have_options( pim_info *pi, Modifications *ml );
int pim_entry_has_options( pim_info *pi, Entry *e );
extern const char pim_options_text[];

/* pim_door2_after.c: effects that wait for the backend. */
typedef enum {
	PIM_AFTER_ELIGIBILITY_ADDED,
	PIM_AFTER_ELIGIBILITY_DELETED,
	PIM_AFTER_ELIGIBILITY_CHANGED,
	PIM_AFTER_ACTIVATION_DELETED,
	PIM_AFTER_PRINCIPAL_DELETED,	/* pa_principal: the entry */
	PIM_AFTER_PRINCIPAL_RENAMED,	/* ... and pa_subtree */
	PIM_AFTER_PRINCIPAL_UID_CHANGED, /* pa_principal: the entry */
	PIM_AFTER_MEMBER_FIXUP,		/* pa_principal left pa_role, for
					 * pa_new (or nobody) */
	PIM_AFTER_REVIEW_CHANGED,	/* pa_principal: a review definition
					 * added, changed or deleted; pa_event:
					 * which */
	PIM_AFTER_GROUP_SHRANK		/* pa_groups: a group that lost
					 * members (or went) and those above */
} pim_after_kind;

typedef struct pim_after {
	slap_callback	pa_cb;
	pim_info	*pa_pi;
	pim_after_kind	pa_kind;
	struct berval	pa_principal;	/* o_tmpmemctx copies */
	struct berval	pa_role;
	int		pa_subtree;	/* a rename moved entries below too */
	struct berval	pa_new;
	struct berval	pa_uid;		/* the principal's uid before the write
					 * (a delete, a rename, a uid change) */
	BerVarray	pa_groups;	/* o_tmpmemctx */
	enum pim_event_kind pa_event;	/* PIM_AFTER_REVIEW_CHANGED's */
} pim_after;
void pim_modrdn_new_ndn( Operation *op, struct berval *out );
void pim_after_keep_uid( Operation *op, pim_after *pa, Entry *e );
pim_after *pim_after_push_dns( Operation *op, pim_info *pi,
	pim_after_kind kind, struct berval *principal, struct berval *role );
int pim_after_push( Operation *op, pim_info *pi, pim_after_kind kind,
	Entry *e );
void pim_window_watch( Operation *op, pim_info *pi );

/* pim_door2_fixup.c */
int pim_mods_fixup( Operation *op, pim_info *pi, Modifications *ml,
	AttributeDescription *mad );
void pim_fixup_push( Operation *op, pim_info *pi, Modifications *ml,
	AttributeDescription *mad );

#endif /* PIM_DOOR2_H */
