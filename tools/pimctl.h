/* pimctl.h - shared declarations of pimctl, the PIM command-line client.
 *
 * pimctl follows the ldap-utils conventions: the same global options
 * (-H -D -w -W -y -x -Y -U -X -R -O -Q -I -Z -b -v), ldap.conf and
 * .ldaprc defaults through libldap, errors printed the way ldapsearch
 * prints them, and the server's result code as the exit status.
 */
#ifndef PIMCTL_H
#define PIMCTL_H

#include <time.h>
#include <ldap.h>

#include "pim_codec.h"

#define PIMCTL_PROG	"pimctl"

/* Exit status.  A refusal by the server exits with the LDAP result
 * code it sent (1..254); the codes below are pimctl's own. */
#define PIMCTL_EX_OK		0
#define PIMCTL_EX_USAGE		64	/* bad command line (EX_USAGE) */
#define PIMCTL_EX_NAME		65	/* a name matches no entry or several */
#define PIMCTL_EX_CLIENT	255	/* client-side failure: libldap error,
					 * server unreachable, unreadable file */

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
	OPT_MAX
};

#define PIMCTL_OPTBIT(code)	(1UL << ((code) - OPT_HELP))

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
	int		cmd_max_args;
	const char	*cmd_argnames;	/* "ROLE", "USER ROLE" */
	unsigned long	cmd_options;	/* PIMCTL_OPTBIT()s it accepts */
	const char	*cmd_synopsis;
	const char	*cmd_summary;
	const char	*cmd_help;	/* its options, one per line */
} pimctl_command;

/* pimctl_conn.c */
int pimctl_connect( pimctl *pc );

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

/* pimctl_exop.c */
int pimctl_exop( pimctl *pc, enum pim_verb verb, const pim_request *req,
	pim_response *rsp, struct berval **rspdata );
struct berval pimctl_bv( const char *s );
void pimctl_print_span( const pim_response *rsp, const pim_request *req,
	int show_start );

/* subcommands */
int pimctl_cmd_roles( pimctl *pc, int argc, char **argv );
int pimctl_cmd_activate( pimctl *pc, int argc, char **argv );
int pimctl_cmd_deactivate( pimctl *pc, int argc, char **argv );
int pimctl_cmd_assign( pimctl *pc, int argc, char **argv );
int pimctl_cmd_unassign( pimctl *pc, int argc, char **argv );

#endif /* PIMCTL_H */
