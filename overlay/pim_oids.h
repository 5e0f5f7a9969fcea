/* pim_oids.h - the project's object identifiers, in one place.
 *
 * Arc 2.25.303586913736191762808327319970460715176 is UUID-derived and
 * needs no registration.  Sub-arcs: .1 attribute types, .2 object
 * classes, .3 extended operations, .4 controls, .5 configuration
 * attributes, .6 configuration object classes.  A number, once given,
 * is never reused.
 */
#ifndef PIM_OIDS_H
#define PIM_OIDS_H

#define PIM_OID_ARC		"2.25.303586913736191762808327319970460715176"
#define PIM_OID_AT		PIM_OID_ARC ".1"
#define PIM_OID_OC		PIM_OID_ARC ".2"
#define PIM_OID_EXOP		PIM_OID_ARC ".3"
#define PIM_OID_CFG_AT		PIM_OID_ARC ".5"
#define PIM_OID_CFG_OC		PIM_OID_ARC ".6"

/* Extended operations: one OID per verb. */
#define PIM_EXOP_ACTIVATE	PIM_OID_EXOP ".1"
#define PIM_EXOP_DEACTIVATE	PIM_OID_EXOP ".2"
#define PIM_EXOP_ASSIGN		PIM_OID_EXOP ".3"
#define PIM_EXOP_REMOVE		PIM_OID_EXOP ".4"
#define PIM_EXOP_EXTEND		PIM_OID_EXOP ".5"
#define PIM_EXOP_APPROVE	PIM_OID_EXOP ".6"
#define PIM_EXOP_DENY		PIM_OID_EXOP ".7"
#define PIM_EXOP_CANCEL		PIM_OID_EXOP ".8"
#define PIM_EXOP_REVIEW_CREATE	PIM_OID_EXOP ".9"
#define PIM_EXOP_REVIEW_MODIFY	PIM_OID_EXOP ".10"
#define PIM_EXOP_REVIEW_DELETE	PIM_OID_EXOP ".11"
#define PIM_EXOP_REVIEW_DECIDE	PIM_OID_EXOP ".12"
#define PIM_EXOP_REVIEW_APPLY	PIM_OID_EXOP ".13"
#define PIM_EXOP_REVIEW_STOP	PIM_OID_EXOP ".14"

#endif /* PIM_OIDS_H */
