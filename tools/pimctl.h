/* pimctl.h - shared declarations of pimctl, the PIM command-line client.
 *
 * pimctl follows the ldap-utils conventions: the same global options
 * (-H -D -w -W -y -x -Y -U -X -R -O -Q -I -Z -b -v), ldap.conf and
 * .ldaprc defaults through libldap, errors printed the way ldapsearch
 * prints them, and the server's result code as the exit status.
 */
#ifndef PIMCTL_H
#define PIMCTL_H

#include <stdio.h>
#include <time.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_policy.h"

#define PIMCTL_PROG	"pimctl"

/* Exit status.  A refusal by the server exits with the LDAP result
 * code it sent (1..254); the codes below are pimctl's own. */
#define PIMCTL_EX_OK		0
#define PIMCTL_EX_USAGE		64	/* bad command line (EX_USAGE) */
#define PIMCTL_EX_NAME		65	/* a name matches no entry or several */
#define PIMCTL_EX_CLIENT	255	/* client-side failure: libldap error,
					 * server unreachable, unreadable file */
#define PIMCTL_EX_BROKEN	66	/* audit verify: the chain is broken */
#define PIMCTL_EX_UNREADABLE	67	/* audit verify: no record is readable */
#define PIMCTL_EX_UNDELIVERED	68	/* notify --once: an event could not be
					 * delivered within its retry budget */

/* Subcommand options: one code each, so that one table serves every
 * subcommand and each subcommand says which of them it takes. */
enum pimctl_optcode {
	OPT_HELP = 256,
	OPT_VERSION,
	OPT_ALL,
	OPT_DN,
	OPT_DURATION,
	OPT_REASON,
	OPT_TICKET,
	OPT_START,
	OPT_END,
	OPT_FOR,
	OPT_ID,
	OPT_PERMANENT,
	OPT_ELIGIBLE,
	OPT_ACTIVE,
	OPT_OTP,
	OPT_UNTIL,
	OPT_MINE,
	OPT_ROLE,
	OPT_SINCE,
	OPT_USER,
	OPT_EVENT,
	OPT_LDIF,
	OPT_JSON,
	OPT_EXEC,
	OPT_STALE,
	OPT_MAX_PERMANENT,
	OPT_MAX_SHARE,
	OPT_BASE,
	OPT_NO_REFERRALS,
	/* review create and set: the settings of a review definition */
	OPT_KIND,
	OPT_INACTIVE_DAYS,
	OPT_REVIEWERS,
	OPT_REVIEWER,
	OPT_FALLBACK,
	OPT_RECURRENCE,
	OPT_INSTANCES,
	OPT_REQUIRE_REASON,
	OPT_NO_REQUIRE_REASON,
	OPT_DEFAULT,
	OPT_AUTO_APPLY,
	OPT_NO_AUTO_APPLY,
	OPT_REMINDER,
	OPT_SHOW_RECS,
	OPT_HIDE_RECS,
	OPT_DESCRIPTION,
	OPT_CSV,
	OPT_EXPIRED,
	OPT_PRINCIPAL,
	/* mfa enroll: the URI as a QR code */
	OPT_QR,
	OPT_NO_QR,
	OPT_ASCII,
	OPT_CONFIG,
	OPT_ONCE,
	OPT_FROM_START,
	OPT_MAX
};

/* More than 32 codes: a long long, which has 64 bits everywhere. */
#define PIMCTL_OPTBIT(code)	(1ULL << ((code) - OPT_HELP))
typedef char pimctl_optbits_fit[ OPT_MAX - OPT_HELP <= 64 ? 1 : -1 ];

/* The options that set a review definition's settings (review create
 * and review set); --role, --start, --end and --duration are shared
 * with the other commands. */
#define PIMCTL_REVIEW_SETTINGS ( PIMCTL_OPTBIT( OPT_ROLE ) | \
	PIMCTL_OPTBIT( OPT_START ) | PIMCTL_OPTBIT( OPT_END ) | \
	PIMCTL_OPTBIT( OPT_DURATION ) | PIMCTL_OPTBIT( OPT_KIND ) | \
	PIMCTL_OPTBIT( OPT_INACTIVE_DAYS ) | PIMCTL_OPTBIT( OPT_REVIEWERS ) | \
	PIMCTL_OPTBIT( OPT_REVIEWER ) | PIMCTL_OPTBIT( OPT_FALLBACK ) | \
	PIMCTL_OPTBIT( OPT_RECURRENCE ) | PIMCTL_OPTBIT( OPT_INSTANCES ) | \
	PIMCTL_OPTBIT( OPT_REQUIRE_REASON ) | \
	PIMCTL_OPTBIT( OPT_NO_REQUIRE_REASON ) | PIMCTL_OPTBIT( OPT_DEFAULT ) | \
	PIMCTL_OPTBIT( OPT_AUTO_APPLY ) | PIMCTL_OPTBIT( OPT_NO_AUTO_APPLY ) | \
	PIMCTL_OPTBIT( OPT_REMINDER ) | PIMCTL_OPTBIT( OPT_SHOW_RECS ) | \
	PIMCTL_OPTBIT( OPT_HIDE_RECS ) | PIMCTL_OPTBIT( OPT_DESCRIPTION ) )

/* The values of an option that may be given more than once, in order;
 * they point into argv, the array is owned (NULL-terminated). */
typedef struct pimctl_list {
	const char	**l_vals;
	int		l_n;
} pimctl_list;

/* What the subcommand options said.  Strings point into argv. */
typedef struct pimctl_args {
	int		a_all;
	int		a_dn;
	const char	*a_duration;
	const char	*a_reason;
	const char	*a_ticket;
	const char	*a_start;
	const char	*a_end;
	const char	*a_for;
	const char	*a_id;
	int		a_permanent;
	int		a_eligible;
	int		a_active;
	char		*a_otp;		/* owned: argv's copy is blanked */
	const char	*a_until;
	int		a_mine;
	const char	*a_role;
	/* audit, alerts, watch */
	const char	*a_since;
	const char	*a_user;
	const char	*a_event;
	int		a_ldif;
	int		a_json;
	int		a_csv;
	int		a_expired;	/* assignments */
	const char	*a_principal;
	const char	*a_exec;
	const char	*a_stale;
	const char	*a_max_permanent;
	const char	*a_max_share;
	const char	*a_base;
	/* notify */
	const char	*a_config;
	int		a_once;
	int		a_from_start;
	/* review create and set */
	pimctl_list	a_roles;	/* every --role */
	pimctl_list	a_reviewers;
	pimctl_list	a_fallbacks;
	const char	*a_kind;
	const char	*a_inactive_days;
	const char	*a_reviewers_kind;
	const char	*a_recurrence;
	const char	*a_instances;
	const char	*a_default;
	const char	*a_reminder;
	const char	*a_description;
	/* which subcommand options were given: PIMCTL_OPTBIT()s, for the
	 * on/off pairs and for commands whose actions take different
	 * options */
	unsigned long long	a_given;
} pimctl_args;

typedef struct pimctl {
	/* global options; strings point into argv, except pc_passwd */
	const char	*pc_uri;
	const char	*pc_binddn;
	const char	*pc_base_opt;
	const char	*pc_pwfile;
	const char	*pc_sasl_mech;
	const char	*pc_sasl_authcid;
	const char	*pc_sasl_authzid;
	const char	*pc_sasl_realm;
	const char	*pc_sasl_secprops;
	unsigned	pc_sasl_flags;
	struct berval	pc_passwd;	/* owned; wiped before it is freed */
	int		pc_want_pw;	/* -W */
	int		pc_authmethod;	/* -1 until decided */
	int		pc_use_tls;	/* 0, 1 (-Z) or 2 (-ZZ) */
	int		pc_verbose;
	int		pc_no_referrals;	/* --no-referrals */
	int		pc_nettimeout;	/* -o nettimeout=: seconds; 0: not given */
	int		pc_debug;	/* -d: libldap's and liblber's level */
	int		pc_debug_set;

	/* the subcommand */
	const char	*pc_cmd;
	pimctl_args	pc_args;

	/* state */
	LDAP		*pc_ld;
	char		*pc_base;	/* owned; resolved on first use */
} pimctl;

/* A subcommand: argc/argv are its positional arguments only. */
typedef struct pimctl_command {
	const char	*cmd_name;
	int		(*cmd_run)( pimctl *pc, int argc, char **argv );
	int		cmd_min_args;
	int		cmd_max_args;	/* -1: no limit */
	const char	*cmd_argnames;	/* "ROLE", "USER ROLE" */
	unsigned long long cmd_options;	/* PIMCTL_OPTBIT()s it accepts */
	const char	*cmd_synopsis;
	const char	*cmd_summary;
	const char	*cmd_help;	/* its options, one per line */
} pimctl_command;

/* pimctl.c */
const char *pimctl_option_name( int code );

/* pimctl_conn.c */
int pimctl_connect( pimctl *pc );
char *pimctl_read_secret( const char *prompt );
void pimctl_free_secret( char *s );

/* pimctl_output.c */
int pimctl_exit_code( int rc );
int pimctl_ldap_error( pimctl *pc, const char *what, int rc,
	const char *matched, const char *info, char **refs );
int pimctl_ld_error( pimctl *pc, const char *what, int rc );
void pimctl_error( pimctl *pc, const char *fmt, ... )
	__attribute__(( format( printf, 2, 3 ) ));
void pimctl_verbose( pimctl *pc, const char *fmt, ... )
	__attribute__(( format( printf, 2, 3 ) ));
#define PIMCTL_TIMEBUF	24	/* "YYYY-MM-DD HH:MM:SSZ" */
const char *pimctl_time_str( time_t t, char *buf, size_t size );
int pimctl_parse_time( pimctl *pc, const char *opt, const char *s,
	time_t now, time_t *t );
int pimctl_parse_duration( pimctl *pc, const char *opt, const char *s,
	long *secs );

/* pimctl_names.c */
int pimctl_filter_escape( const char *in, char **out );
int pimctl_get_base( pimctl *pc, const char **base );
int pimctl_whoami( pimctl *pc, char **dn );
int pimctl_resolve_role( pimctl *pc, const char *name, char **dn );
int pimctl_resolve_user( pimctl *pc, const char *name, char **dn );
int pimctl_search( pimctl *pc, const char *base, int scope,
	const char *filter, char **attrs, LDAPMessage **res );
int pimctl_resolve_approver( pimctl *pc, const char *name, char **dn );
int pimctl_find_request( pimctl *pc, const char *id, char **role );

/* pimctl_entry.c - reading entries, and DNs as people know them */
char *pimctl_first_value( LDAP *ld, LDAPMessage *e, const char *attr );
int pimctl_count_values( LDAP *ld, LDAPMessage *e, const char *attr );
int pimctl_has_value( LDAP *ld, LDAPMessage *e, const char *attr,
	const char *value );
void pimctl_read_time( LDAP *ld, LDAPMessage *e, const char *attr,
	time_t *t, char *buf, size_t size, const char *absent );
char *pimctl_rdn_value( const char *dn );

typedef struct pimctl_name {
	char	*n_dn;		/* as stored (maybe normalized) */
	char	*n_display;	/* first RDN value, or the entry's own DN */
} pimctl_name;

typedef struct pimctl_names {
	pimctl_name	*ns_names;
	int		ns_n;
	int		ns_cap;
	int		ns_full;	/* whole DNs (--dn) */
} pimctl_names;

const char *pimctl_display_name( pimctl *pc, pimctl_names *ns,
	const char *dn );
char *pimctl_display_attr( pimctl *pc, pimctl_names *ns, LDAPMessage *e,
	const char *attr );
void pimctl_names_free( pimctl_names *ns );

/* pimctl_table.c - one listing, shown as a table, JSON or CSV.
 *
 * A command describes its columns once; the table view, --json and
 * --csv are all made from the same cells, so that the three never say
 * different things.  A cell is a string as read from the directory
 * (NULL when absent); the column's flags say how each output shows it. */
#define PIMCTL_COL_NUMBER	0x01	/* JSON: a number */
#define PIMCTL_COL_TIME		0x02	/* a GeneralizedTime: the table shows
					 * it as pimctl_time_str(), JSON and
					 * CSV as RFC 3339 and KEY_epoch; a
					 * cell that is no time (such as
					 * "permanent") only in the table */
#define PIMCTL_COL_DN		0x04	/* the table and KEY: its name (or its
					 * DN with --dn); KEY_dn: the DN */
#define PIMCTL_COL_LIST		0x08	/* values separated by newlines: one
					 * line each in the table, a JSON
					 * array, CSV joined by newlines */
#define PIMCTL_COL_BOOL		0x10	/* "TRUE"/"FALSE": JSON true/false */
#define PIMCTL_COL_RAW		0x20	/* JSON and CSV: as stored, and no
					 * KEY_epoch or KEY_dn (audit) */

typedef struct pimctl_column {
	const char	*col_head;	/* table heading; NULL: not in the table */
	const char	*col_key;	/* JSON key, CSV heading; NULL: table only */
	int		col_flags;
	int		col_width;	/* table: characters at most (0: any) */
	const char	*col_none;	/* table: an absent cell (NULL: "-") */
} pimctl_column;

#define PIMCTL_MAXCOLS	32

typedef struct pimctl_table {
	pimctl		*t_pc;
	int		t_ncols;
	const pimctl_column *t_cols;
	char		**t_cells;	/* t_nrows * t_ncols, owned */
	int		t_nrows;
	int		t_cap;
	unsigned long	t_hide;		/* columns the table view leaves out */
	pimctl_names	t_names;	/* names of the DN cells */
} pimctl_table;

/* One section of a command's output: the table view prints each under
 * its title; --json makes one array of all their rows, --csv one header
 * and all their rows (the sections share their columns). */
typedef struct pimctl_section {
	pimctl_table	*s_table;
	const char	*s_title;	/* NULL: no title, and no indent */
	const char	*s_empty;	/* no rows: NULL prints "  (none)" */
} pimctl_section;

int pimctl_text_width( const char *s );
char *pimctl_text_clip( const char *s, int maxchars );
void pimctl_table_init( pimctl_table *t, pimctl *pc, int ncols,
	const pimctl_column *cols );
void pimctl_table_hide( pimctl_table *t, int col );
int pimctl_table_add( pimctl_table *t, char **cells );
const char *pimctl_table_name( pimctl_table *t, const char *dn );
void pimctl_table_print( pimctl_table *t, const char *indent );
void pimctl_table_sort( pimctl_table *t, const int *keys, int nkeys );
void pimctl_table_free( pimctl_table *t );

/* pimctl_output.c: --json and --csv */
struct json_object;
struct json_object *pimctl_table_json_row( pimctl_table *t, int row );
int pimctl_json_print( pimctl *pc, struct json_object *o, int pretty );
int pimctl_output( pimctl *pc, const pimctl_section *s, int n );
int pimctl_output_one( pimctl *pc, pimctl_table *t, const char *title,
	const char *empty );
void pimctl_csv_field( FILE *fp, const char *s, int first );

/* pimctl_assignments.c - an eligibility or activation entry as a row,
 * the columns of "assignments" and of "roles" */
enum {
	PIMCTL_AS_ROLE, PIMCTL_AS_PRINCIPAL, PIMCTL_AS_KIND, PIMCTL_AS_STATE,
	PIMCTL_AS_START, PIMCTL_AS_END, PIMCTL_AS_BY, PIMCTL_AS_REASON,
	PIMCTL_AS_ID, PIMCTL_AS_THROUGH, PIMCTL_AS_NCOLS
};
#define PIMCTL_AS_ELIGIBLE	0x01	/* an eligibility that has not ended */
#define PIMCTL_AS_ACTIVE	0x02	/* pending, approved, scheduled, active */
#define PIMCTL_AS_EXPIRED	0x04	/* expired, deactivated, revoked; an
					 * eligibility whose end has passed */
#define PIMCTL_AS_OTHER		0x08	/* denied, cancelled... */
#define PIMCTL_AS_ELIGIBILITIES	0x10	/* of the kind eligible */
#define PIMCTL_AS_ACTIVATIONS	0x20	/* activations, active assignments */
#define PIMCTL_AS_ANYKIND	0x30
extern const pimctl_column pimctl_as_columns[PIMCTL_AS_NCOLS];
void pimctl_as_hide_unused( pimctl_table *t );
extern char *pimctl_as_attrs[];
int pimctl_as_read( pimctl *pc, LDAPMessage *e, time_t now, char **cells );
int pimctl_as_collect( pimctl *pc, LDAPMessage *res, int which,
	pimctl_table *t );

/* pimctl_exop.c */
typedef struct pimctl_result {
	int	r_err;		/* the LDAP result code, or a libldap error */
	char	*r_matched;
	char	*r_info;
	char	**r_refs;
} pimctl_result;

int pimctl_open( pimctl *pc );
int pimctl_exop( pimctl *pc, enum pim_verb verb, const pim_request *req,
	pim_response *rsp, struct berval **rspdata );
int pimctl_exop_try( pimctl *pc, enum pim_verb verb,
	const pim_request *req, pim_response *rsp, struct berval **rspdata,
	pimctl_result *res );
int pimctl_result_report( pimctl *pc, pimctl_result *res );
void pimctl_result_free( pimctl_result *res );
struct berval pimctl_bv( const char *s );
void pimctl_print_span( const pim_response *rsp, const pim_request *req,
	int show_start );
int pimctl_state_is( const pim_response *rsp, const char *state );
int pimctl_check_id( pimctl *pc, const char *id );

/* pimctl_otp.c */
int pimctl_otp_option( pimctl *pc, pim_request *req );
int pimctl_exop_otp( pimctl *pc, enum pim_verb verb, pim_request *req,
	pim_response *rsp, struct berval **rspdata );

/* pimctl_activate.c */
int pimctl_resolve_role_for( pimctl *pc, const char *role_name,
	pim_request *req, char **role, char **user );
void pimctl_print_for( const char *user );

/* pimctl_policy.c - the settings of a role's policy */
enum pimctl_setting_type {
	PIMCTL_ST_DURATION, PIMCTL_ST_BOOL, PIMCTL_ST_NUMBER, PIMCTL_ST_DNS,
	PIMCTL_ST_WORDS		/* a list of plain values, "a,b" or "a;b" */
};

typedef struct pimctl_setting {
	const char			*s_name;	/* "max" */
	const char			*s_attr;	/* "pimMaxDuration" */
	enum pimctl_setting_type	s_type;
} pimctl_setting;

/* The policy attributes and pimApprover. */
/* the policy attributes, approvers, and the three notification settings */
#define PIMCTL_NSETTINGS	( PIM_POLICY_NATTRS + 4 )
extern const pimctl_setting pimctl_settings[PIMCTL_NSETTINGS];

/* pimctl_policy_set.c */
int pimctl_policy_set( pimctl *pc, const char *role_name, int argc,
	char **argv );

/* subcommands */
int pimctl_cmd_roles( pimctl *pc, int argc, char **argv );
int pimctl_cmd_assignments( pimctl *pc, int argc, char **argv );
int pimctl_cmd_activate( pimctl *pc, int argc, char **argv );
int pimctl_cmd_deactivate( pimctl *pc, int argc, char **argv );
int pimctl_cmd_assign( pimctl *pc, int argc, char **argv );
int pimctl_cmd_unassign( pimctl *pc, int argc, char **argv );
int pimctl_cmd_extend( pimctl *pc, int argc, char **argv );
int pimctl_cmd_requests( pimctl *pc, int argc, char **argv );
int pimctl_cmd_approve( pimctl *pc, int argc, char **argv );
int pimctl_cmd_deny( pimctl *pc, int argc, char **argv );
int pimctl_cmd_cancel( pimctl *pc, int argc, char **argv );
int pimctl_cmd_policy( pimctl *pc, int argc, char **argv );
int pimctl_cmd_audit( pimctl *pc, int argc, char **argv );
int pimctl_cmd_alerts( pimctl *pc, int argc, char **argv );
int pimctl_cmd_watch( pimctl *pc, int argc, char **argv );
int pimctl_cmd_notify( pimctl *pc, int argc, char **argv );
int pimctl_cmd_mfa( pimctl *pc, int argc, char **argv );
/* pimctl_qr.c: text as a terminal QR code (UTF-8 half blocks, or ASCII) */
int pimctl_qr_print( FILE *fp, const char *text, int ascii );
int pimctl_cmd_review( pimctl *pc, int argc, char **argv );
int pimctl_cmd_reviews( pimctl *pc, int argc, char **argv );

/* pimctl_review_list.c - the tables of access reviews */
#define PIMCTL_RV_DEFINITION	"(objectClass=pimReviewDefinition)"
#define PIMCTL_RV_INSTANCE	"(objectClass=pimReviewInstance)"
#define PIMCTL_RV_ITEM		"(objectClass=pimReviewItem)"

int pimctl_review_find( pimctl *pc, const char *what, const char *filter,
	const char *id, char **dn );
int pimctl_review_list( pimctl *pc );
int pimctl_review_show( pimctl *pc, const char *id );
int pimctl_review_report( pimctl *pc, const char *id );
int pimctl_review_items( pimctl *pc );

#endif /* PIMCTL_H */
