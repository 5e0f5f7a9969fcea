/* pimctl.c - command line, subcommand dispatch and help of pimctl.
 *
 * Global options may come before or after the subcommand, as in
 * "pimctl -H ldap://h activate ROLE -x -D dn -W": the first pass reads
 * options up to the subcommand, the second reads the rest, where the
 * global options and the subcommand's own long options mix freely with
 * the positional arguments.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

#define B( code )	PIMCTL_OPTBIT( code )

static const pimctl_command commands[] = {
	{ "roles", pimctl_cmd_roles, 0, 0, "",
		B( OPT_ALL ) | B( OPT_DN ) | B( OPT_FOR ) | B( OPT_JSON ) | B( OPT_CSV ),
		"roles [--all] [--dn] [--for USER] [--json | --csv]",
		"list my eligible and active roles",
		"  --all         also list ended activations and eligibilities\n"
		"  --dn          print role DNs instead of role names\n"
		"  --for USER    list USER's roles instead of mine\n"
		"  --json        print a JSON array of objects instead (pimctl(1))\n"
		"  --csv         print CSV instead: a header line, then one line per"
			" row\n" },
	{ "assignments", pimctl_cmd_assignments, 0, -1, "[ROLE...]",
		B( OPT_ELIGIBLE ) | B( OPT_ACTIVE ) | B( OPT_EXPIRED ) |
			B( OPT_ALL ) | B( OPT_PRINCIPAL ) | B( OPT_DN ) | B( OPT_JSON ) | B( OPT_CSV ),
		"assignments [ROLE...] [--eligible | --active | --expired | --all]"
			" [--principal USER] [--dn] [--json | --csv]",
		"list everybody's eligibilities, assignments and activations",
		"  ROLE...       only these roles (default: every role)\n"
		"  --eligible    only eligibilities that have not ended\n"
		"  --active      only active assignments and activations that have"
			" not\n"
		"                ended (pending, approved, scheduled, active)\n"
		"                (default: both of these)\n"
		"  --expired     only ended ones: expired, deactivated or revoked,"
			" and\n"
		"                eligibilities whose end has passed\n"
		"  --all         everything, denied and cancelled requests too\n"
		"  --principal USER\n"
		"                only USER's\n"
		"  --dn          print DNs instead of names\n"
		"  --json        print a JSON array of objects instead (pimctl(1))\n"
		"  --csv         print CSV instead: a header line, then one line per"
			" row\n"
		"What is listed is what the server lets the caller read.\n" },
	{ "activate", pimctl_cmd_activate, 1, -1, "ROLE...",
		B( OPT_DURATION ) | B( OPT_REASON ) | B( OPT_TICKET ) |
			B( OPT_START ) | B( OPT_OTP ) | B( OPT_FOR ),
		"activate ROLE... [--duration D] [--reason TEXT] [--ticket T]"
			" [--start TIME] [--otp CODE] [--for USER]",
		"activate roles I am eligible for (or request them)",
		"  --duration D  how long, e.g. 2h, 90m, 1h30m (default: the"
			" role's maximum)\n"
		"  --reason TEXT justification\n"
		"  --ticket T    change or incident ticket\n"
		"  --start TIME  start later: now, +DURATION, YYYYMMDDHHMMSSZ or\n"
		"                YYYY-MM-DDTHH:MM:SSZ\n"
		"  --otp CODE    one-time code, for roles that require MFA (asked"
			" for\n"
		"                on the terminal when the server wants one)\n"
		"  --for USER    activate on behalf of USER\n"
		"Several ROLEs share the options, the justification and the one-time\n"
		"code; each is decided on its own policy, and the exit status is that\n"
		"of the first refusal.\n" },
	{ "deactivate", pimctl_cmd_deactivate, 1, -1, "ROLE...",
		B( OPT_ID ) | B( OPT_FOR ),
		"deactivate ROLE... [--id ID] [--for USER]",
		"end activations of roles before they expire",
		"  --id ID       end only the activation with this id\n"
		"  --for USER    end USER's activation instead of mine\n" },
	{ "extend", pimctl_cmd_extend, 1, 1, "ROLE",
		B( OPT_DURATION ) | B( OPT_UNTIL ) | B( OPT_ID ) |
			B( OPT_REASON ) | B( OPT_OTP ) | B( OPT_FOR ) |
			B( OPT_ELIGIBLE ),
		"extend ROLE (--duration D | --until TIME) [--id ID]"
			" [--reason TEXT] [--otp CODE] [--for USER] [--eligible]",
		"give my active activation of a role a later end",
		"  --duration D  end D from now, e.g. 4h\n"
		"  --until TIME  the new end: +DURATION, YYYYMMDDHHMMSSZ or\n"
		"                YYYY-MM-DDTHH:MM:SSZ\n"
		"  --id ID       extend the activation with this id\n"
		"  --reason TEXT justification\n"
		"  --otp CODE    one-time code, for roles that require MFA\n"
		"  --for USER    extend USER's activation instead of mine\n"
		"  --eligible    ask for my eligibility to be extended (it ends\n"
		"                soon) or renewed (it ended lately); the role's\n"
		"                approvers decide; --duration counts from its end\n" },
	{ "requests", pimctl_cmd_requests, 0, 0, "",
		B( OPT_MINE ) | B( OPT_ALL ) | B( OPT_DN ) | B( OPT_JSON ) | B( OPT_CSV ),
		"requests [--mine [--all]] [--dn] [--json | --csv]",
		"list the pending requests I may approve, or my own requests",
		"  --mine        my own requests instead (pending, approved,\n"
		"                scheduled, active)\n"
		"  --all         with --mine: ended ones too\n"
		"  --dn          print role and user DNs instead of names\n"
		"  --json        print a JSON array of objects instead (pimctl(1))\n"
		"  --csv         print CSV instead: a header line, then one line per"
			" row\n" },
	{ "approve", pimctl_cmd_approve, 1, 1, "ID",
		B( OPT_REASON ) | B( OPT_ROLE ),
		"approve ID [--reason TEXT] [--role ROLE]",
		"approve a pending request (its ID as requests lists it)",
		"  --reason TEXT why\n"
		"  --role ROLE   the request's role (default: read from the"
			" request)\n" },
	{ "deny", pimctl_cmd_deny, 1, 1, "ID",
		B( OPT_REASON ) | B( OPT_ROLE ),
		"deny ID --reason TEXT [--role ROLE]",
		"deny a pending request",
		"  --reason TEXT why (required)\n"
		"  --role ROLE   the request's role (default: read from the"
			" request)\n" },
	{ "cancel", pimctl_cmd_cancel, 1, 1, "ID",
		B( OPT_ROLE ),
		"cancel ID [--role ROLE]",
		"cancel my request that is pending, approved or scheduled",
		"  --role ROLE   the request's role (default: read from the"
			" request)\n" },
	{ "assign", pimctl_cmd_assign, 2, 2, "USER ROLE",
		B( OPT_ELIGIBLE ) | B( OPT_ACTIVE ) | B( OPT_START ) |
			B( OPT_END ) | B( OPT_DURATION ) | B( OPT_PERMANENT ) |
			B( OPT_REASON ),
		"assign [--eligible | --active] USER ROLE [--start TIME]"
			" [--end TIME | --duration D | --permanent] [--reason TEXT]",
		"make USER eligible for ROLE, or assign it active",
		"  --eligible    an eligible assignment (the default)\n"
		"  --active      an active assignment: USER holds ROLE without"
			" activating;\n"
		"                needs --end, --duration or --permanent\n"
		"  --start TIME  when it starts (default: now)\n"
		"  --end TIME    when it ends\n"
		"  --duration D  ends D after its start\n"
		"  --permanent   never ends\n"
		"  --reason TEXT why\n"
		"                (an eligible assignment without --end, --duration"
			" or\n"
		"                --permanent: the server's policy decides)\n" },
	{ "unassign", pimctl_cmd_unassign, 2, 2, "USER ROLE",
		B( OPT_ELIGIBLE ) | B( OPT_ACTIVE ),
		"unassign [--eligible | --active] USER ROLE",
		"remove USER's eligible (or active) assignment to ROLE",
		"  --eligible    remove the eligible assignment (the default)\n"
		"  --active      revoke the active assignment\n" },
	{ "policy", pimctl_cmd_policy, 2, -1, "show ROLE, or set ROLE NAME=VALUE...",
		B( OPT_JSON ) | B( OPT_CSV ),
		"policy show ROLE [--json | --csv] | policy set ROLE NAME=VALUE...",
		"show or change a role's policy",
		"  show ROLE     print each policy setting of ROLE, or (default)\n"
		"  --json, --csv show: a JSON array of objects, or CSV\n"
		"  set ROLE NAME=VALUE...\n"
		"                change settings (PIM administrators only);"
			" VALUE\n"
		"                \"default\" removes a setting.  NAMEs and"
			" VALUEs:\n"
		"  max, min, request-lifetime,     a duration (8h, 1h30m)\n"
		"    eligible-max, active-max\n"
		"  justification, ticket, mfa,     TRUE or FALSE (or yes/no,"
			" on/off)\n"
		"    approval, eligible-permanent,\n"
		"    active-permanent, active-self-extend,\n"
		"    emergency, notify-critical-only\n"
		"  justification-max, approvals    a number\n"
		"  approvers                       users and groups, by name or"
			" DN,\n"
		"                                  separated by commas; a DN runs"
			" to\n"
		"                                  the next ';' (or approvers="
			" again)\n"
		"  notify-events, notify-recipients  words or mail addresses,\n"
		"                                  separated by ',' or ';'"
			" (pimctl-notify(1))\n" },
	{ "audit", pimctl_cmd_audit, 0, 1, "[verify]",
		B( OPT_SINCE ) | B( OPT_UNTIL ) | B( OPT_USER ) | B( OPT_ROLE ) |
			B( OPT_EVENT ) | B( OPT_LDIF ) | B( OPT_JSON ) | B( OPT_DN ) |
			B( OPT_CSV ),
		"audit [--since T] [--until T] [--user U] [--role R] [--event E]"
			" [--ldif | --json | --csv] [--dn] | audit verify",
		"list the audit trail, or verify its hash chain",
		"  --since T     records from T on: a time, or a duration ago (2h)\n"
		"  --until T     records up to T\n"
		"  --user U      records whose principal or actor is U\n"
		"  --role R      records about role R\n"
		"  --event E     records of event E (activated, refused*, alert...)\n"
		"  --ldif        every field, as LDIF\n"
		"  --json        every field, as a JSON array\n"
		"  --csv         every field, as CSV (the keys of --json)\n"
		"  --dn          print DNs instead of names\n"
		"  verify        walk the whole chain; name the first record that\n"
		"                was changed, removed or inserted (exit status 66)\n" },
	{ "alerts", pimctl_cmd_alerts, 0, 2, "[dismiss ID]",
		B( OPT_ALL ) | B( OPT_DN ) | B( OPT_REASON ) | B( OPT_STALE ) |
			B( OPT_MAX_PERMANENT ) | B( OPT_MAX_SHARE ) | B( OPT_JSON ) | B( OPT_CSV ),
		"alerts [--all] [--stale D] [--max-permanent N] [--max-share P]"
			" [--json | --csv] | alerts dismiss ID --reason TEXT",
		"list open alerts, or dismiss one",
		"  --all         list dismissed alerts too\n"
		"  --dn          print DNs instead of names\n"
		"  --stale D     eligibility unused for D is stale (default 90d)\n"
		"  --max-permanent N, --max-share P\n"
		"                a role with more than N permanent active"
			" assignments\n"
		"                that are more than P percent of its assignments\n"
		"                (default 2, 50)\n"
		"  --json        print a JSON array of objects instead (pimctl(1))\n"
		"  --csv         print CSV instead: a header line, then one line per"
			" row\n"
		"  dismiss ID --reason TEXT\n"
		"                dismiss alert ID (PIM administrators only)\n" },
	{ "watch", pimctl_cmd_watch, 0, 0, "",
		B( OPT_EXEC ) | B( OPT_JSON ) | B( OPT_DN ),
		"watch [--exec CMD] [--json] [--dn]",
		"follow the audit trail live, event by event",
		"  --exec CMD    run CMD (with /bin/sh) for each event, its fields in\n"
		"                PIM_EVENT, PIM_ACTOR, PIM_PRINCIPAL, PIM_ROLE,"
			" PIM_ID,\n"
		"                PIM_SEQ, PIM_TIME, ... (see pimctl(1))\n"
		"  --json        one JSON object per line\n"
		"  --dn          print DNs instead of names\n" },
	{ "notify", pimctl_cmd_notify, 0, 0, "",
		B( OPT_CONFIG ) | B( OPT_ONCE ) | B( OPT_FROM_START ),
		"notify [--config FILE] [--once] [--from-start]",
		"deliver the audit trail's events by mail and webhooks",
		"  --config FILE the notifier's settings (default\n"
		"                /etc/ldap/pim-notify.conf; see pimctl(1), NOTIFY)\n"
		"  --once        deliver what is due, then exit (status 68 when an\n"
		"                event could not be delivered)\n"
		"  --from-start  first start (no state file): from the trail's\n"
		"                first record, not its current end\n"
		"Each event is delivered once, in order, across restarts: the\n"
		"state file keeps the last one handled.\n" },
	{ "mfa", pimctl_cmd_mfa, 2, 2, "enroll, status or remove, and USER",
		B( OPT_BASE ) | B( OPT_QR ) | B( OPT_NO_QR ) | B( OPT_ASCII ),
		"mfa enroll USER [--base DN] [--qr | --no-qr] [--ascii]"
			" | mfa status USER | mfa remove USER",
		"enroll, show or remove a user's TOTP token (MFA)",
		"  enroll USER   create USER's token (administrators): prints the\n"
		"                otpauth:// URI with the secret, for the user only,\n"
		"                and on a terminal the URI as a QR code\n"
		"  --base DN     where the token entries go (default: ou=otp under\n"
		"                the search base, created if missing)\n"
		"  --qr          print the QR code even when standard output is"
			" not a\n"
		"                terminal\n"
		"  --no-qr       never print the QR code\n"
		"  --ascii       draw the QR code with # and spaces instead of"
			" UTF-8\n"
		"                half blocks\n"
		"  status USER   show USER's token and when it was last used\n"
		"  remove USER   remove USER's token (then enroll again)\n" },
	{ "reviews", pimctl_cmd_reviews, 0, 0, "",
		B( OPT_DN ) | B( OPT_JSON ) | B( OPT_CSV ),
		"reviews [--dn] [--json | --csv]",
		"list access review definitions and their instances",
		"  --dn          print DNs instead of names\n"
		"                (definitions: ID, NAME, RECURRENCE, NEXT OPEN;\n"
		"                instances: ID, NAME, STATE, OPENED, CLOSES, ITEMS,\n"
		"                UNDECIDED)\n"
		"  --json        print a JSON array of objects instead (pimctl(1))\n"
		"  --csv         print CSV instead: a header line, then one line per"
			" row\n" },
	{ "review", pimctl_cmd_review, 1, 3, "an action: create, set, delete,"
			" show, report, items, decide, accept, apply or stop",
		PIMCTL_REVIEW_SETTINGS | B( OPT_REASON ) | B( OPT_DN ) |
			B( OPT_JSON ) | B( OPT_CSV ),
		"review create NAME [SETTINGS] | review set ID SETTINGS\n"
		"                      | review delete ID"
			" | review show INSTANCE [--dn] [--json | --csv]\n"
		"                      | review report INSTANCE"
			" [--json | --csv] [--dn]\n"
		"                      | review items [--dn] [--json | --csv]"
			" | review apply ID\n"
		"                      | review decide ITEM approve|deny|dontknow"
			" [--reason TEXT]\n"
		"                      | review accept INSTANCE [--reason TEXT]\n"
		"                      | review stop INSTANCE [--reason TEXT]",
		"manage, decide and apply access reviews",
		"  create NAME   define a review (PIM administrators); prints"
			" its id\n"
		"  set ID        change the given settings of review ID (each"
			" replaces\n"
		"                that setting's values)\n"
		"  delete ID     delete review ID (none of its instances open)\n"
		"  show INSTANCE the items of an instance (ids as reviews lists"
			" them)\n"
		"  report INSTANCE\n"
		"                the audit view of an instance: its state and"
			" counts,\n"
		"                then each item with its reviewers, decision,"
			" who\n"
		"                decided (or \"default\"), when, why and the"
			" outcome\n"
		"  --json, --csv report: one JSON object, or CSV (a header line,"
			" then\n"
		"                one line per item); DNs and ISO 8601 times;\n"
		"                show, items: a JSON array of objects, or CSV\n"
		"  items         the open items I may decide (administrators:"
			" all)\n"
		"  decide ITEM approve|deny|dontknow\n"
		"                decide one item; --reason TEXT says why\n"
		"  accept INSTANCE\n"
		"                take PIM's recommendation on each of my open"
			" items\n"
		"  apply ID      carry out the decisions of an instance or one"
			" item\n"
		"  stop INSTANCE close an open instance now\n"
		"  --dn          show, report, items: print DNs instead of names\n"
		"SETTINGS (create and set):\n"
		"  --description TEXT\n"
		"  --role ROLE   a role in scope (repeat; default: every role)\n"
		"  --kind K      eligible, active or both (default)\n"
		"  --inactive-days N\n"
		"                unused for N days: PIM recommends deny"
			" (default 30)\n"
		"  --reviewers W self (default), named, approvers or manager\n"
		"  --reviewer WHO, --fallback WHO\n"
		"                a reviewer, a fallback reviewer: a user or group"
			" by\n"
		"                name or DN (repeat)\n"
		"  --start TIME  the first opening (default: now)\n"
		"  --recurrence R\n"
		"                once (default), weekly, monthly, quarterly,\n"
		"                semiannual, annual or an interval such as 90d\n"
		"  --duration D  how long each instance is open (default 7d)\n"
		"  --end TIME    no instance opens after TIME\n"
		"  --instances N at most N instances\n"
		"  --require-reason, --no-require-reason\n"
		"                whether a decision needs --reason\n"
		"  --default V   unreviewed items at the close: none (default),"
			" remove,\n"
		"                approve or recommendation\n"
		"  --auto-apply, --no-auto-apply\n"
		"                apply the results at the close (default: no)\n"
		"  --reminder D  remind reviewers D before the close\n"
		"  --show-recommendations, --hide-recommendations\n"
		"                whether reviewers see PIM's recommendation"
			" (default:\n"
		"                shown)\n" },
	{ NULL, NULL, 0, 0, NULL, 0, NULL, NULL, NULL }
};

static const char global_help[] =
	"Global options (before or after COMMAND):\n"
	"  -H URI        LDAP URI(s) of the server (default: ldap.conf URI)\n"
	"  -D binddn     bind DN\n"
	"  -w passwd     bind password\n"
	"  -W            prompt for the bind password\n"
	"  -y file       read the bind password from file (its whole content)\n"
	"  -x            simple authentication (default: SASL, or simple with"
		" -D)\n"
	"  -Y mech       SASL mechanism\n"
	"  -U authcid    SASL authentication identity\n"
	"  -X authzid    SASL authorization identity\n"
	"  -R realm      SASL realm\n"
	"  -O props      SASL security properties\n"
	"  -Q            SASL quiet mode: never prompt\n"
	"  -I            SASL interactive mode: always prompt\n"
	"  -Z            StartTLS, go on if it fails; -ZZ: require it\n"
	"  -b base       search base for names and roles (default: ldap.conf"
		" BASE,\n"
	"                else the server's first naming context)\n"
	"  -v            verbose\n"
	"  -o nettimeout=SECONDS\n"
	"                give up on a server that does not connect or answer"
		" within\n"
	"                SECONDS (\"none\": wait for ever, the default)\n"
	"  -d level      libldap's and liblber's debug level (to standard"
		" error)\n"
	"  --no-referrals  do not follow a read-only consumer's referral of a\n"
	"                write to its provider (followed once, and said, by default)\n"
	"  --help        print help and exit\n"
	"  --version     print the version and exit\n";

static const char names_help[] =
	"ROLE and USER are DNs, or names looked up under the search base:\n"
	"a role by cn among pimRole entries, a user by uid or cn.\n";

static const char global_shortopts[] = "H:D:w:Wy:xY:U:X:R:O:QIZb:vo:d:";

static const struct option all_longopts[] = {
	{ "help",	no_argument,		NULL, OPT_HELP },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "all",	no_argument,		NULL, OPT_ALL },
	{ "dn",		no_argument,		NULL, OPT_DN },
	{ "duration",	required_argument,	NULL, OPT_DURATION },
	{ "reason",	required_argument,	NULL, OPT_REASON },
	{ "ticket",	required_argument,	NULL, OPT_TICKET },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "end",	required_argument,	NULL, OPT_END },
	{ "for",	required_argument,	NULL, OPT_FOR },
	{ "id",		required_argument,	NULL, OPT_ID },
	{ "permanent",	no_argument,		NULL, OPT_PERMANENT },
	{ "eligible",	no_argument,		NULL, OPT_ELIGIBLE },
	{ "active",	no_argument,		NULL, OPT_ACTIVE },
	{ "otp",	required_argument,	NULL, OPT_OTP },
	{ "until",	required_argument,	NULL, OPT_UNTIL },
	{ "mine",	no_argument,		NULL, OPT_MINE },
	{ "role",	required_argument,	NULL, OPT_ROLE },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "user",	required_argument,	NULL, OPT_USER },
	{ "event",	required_argument,	NULL, OPT_EVENT },
	{ "ldif",	no_argument,		NULL, OPT_LDIF },
	{ "json",	no_argument,		NULL, OPT_JSON },
	{ "exec",	required_argument,	NULL, OPT_EXEC },
	{ "stale",	required_argument,	NULL, OPT_STALE },
	{ "max-permanent", required_argument,	NULL, OPT_MAX_PERMANENT },
	{ "max-share",	required_argument,	NULL, OPT_MAX_SHARE },
	{ "base",	required_argument,	NULL, OPT_BASE },
	{ "no-referrals", no_argument,		NULL, OPT_NO_REFERRALS },
	{ "kind",	required_argument,	NULL, OPT_KIND },
	{ "inactive-days", required_argument,	NULL, OPT_INACTIVE_DAYS },
	{ "reviewers",	required_argument,	NULL, OPT_REVIEWERS },
	{ "reviewer",	required_argument,	NULL, OPT_REVIEWER },
	{ "fallback",	required_argument,	NULL, OPT_FALLBACK },
	{ "recurrence",	required_argument,	NULL, OPT_RECURRENCE },
	{ "instances",	required_argument,	NULL, OPT_INSTANCES },
	{ "require-reason", no_argument,	NULL, OPT_REQUIRE_REASON },
	{ "no-require-reason", no_argument,	NULL, OPT_NO_REQUIRE_REASON },
	{ "default",	required_argument,	NULL, OPT_DEFAULT },
	{ "auto-apply",	no_argument,		NULL, OPT_AUTO_APPLY },
	{ "no-auto-apply", no_argument,		NULL, OPT_NO_AUTO_APPLY },
	{ "reminder",	required_argument,	NULL, OPT_REMINDER },
	{ "show-recommendations", no_argument,	NULL, OPT_SHOW_RECS },
	{ "hide-recommendations", no_argument,	NULL, OPT_HIDE_RECS },
	{ "description", required_argument,	NULL, OPT_DESCRIPTION },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "expired",	no_argument,		NULL, OPT_EXPIRED },
	{ "principal",	required_argument,	NULL, OPT_PRINCIPAL },
	{ "qr",		no_argument,		NULL, OPT_QR },
	{ "no-qr",	no_argument,		NULL, OPT_NO_QR },
	{ "ascii",	no_argument,		NULL, OPT_ASCII },
	{ "config",	required_argument,	NULL, OPT_CONFIG },
	{ "once",	no_argument,		NULL, OPT_ONCE },
	{ "from-start",	no_argument,		NULL, OPT_FROM_START },
	{ NULL,		0,			NULL, 0 }
};

#define NLONGOPTS	( sizeof( all_longopts ) / sizeof( all_longopts[0] ) )

/* The long name of an option code (without "--"), for messages. */
const char *
pimctl_option_name( int code )
{
	size_t i;

	for ( i = 0; all_longopts[i].name; i++ ) {
		if ( all_longopts[i].val == code ) {
			return all_longopts[i].name;
		}
	}
	return "?";
}

static void
usage_global( FILE *fp )
{
	const pimctl_command *cmd;

	fprintf( fp, "Usage: %s [OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n\n"
		"Privileged Identity Management for OpenLDAP: activate roles"
		" just in time.\n\nCommands:\n", PIMCTL_PROG );
	for ( cmd = commands; cmd->cmd_name; cmd++ ) {
		fprintf( fp, "  %-12s  %s\n", cmd->cmd_name, cmd->cmd_summary );
	}
	fprintf( fp, "\n%s\n%s\n\"%s COMMAND --help\" describes a command.\n",
		global_help, names_help, PIMCTL_PROG );
}

static void
usage_command( const pimctl_command *cmd, FILE *fp )
{
	fprintf( fp, "Usage: %s [OPTIONS] %s\n\n%c%s.\n\nOptions:\n%s\n%s\n%s",
		PIMCTL_PROG, cmd->cmd_synopsis, toupper( cmd->cmd_summary[0] ),
		cmd->cmd_summary + 1, cmd->cmd_help, names_help, global_help );
}

static int usage_error( const pimctl_command *cmd, const char *fmt, ... )
	__attribute__(( format( printf, 2, 3 ) ));

/* Complain about the command line; returns the exit status to use. */
static int
usage_error( const pimctl_command *cmd, const char *fmt, ... )
{
	va_list ap;

	fprintf( stderr, "%s: ", PIMCTL_PROG );
	if ( cmd ) {
		fprintf( stderr, "%s: ", cmd->cmd_name );
	}
	va_start( ap, fmt );
	vfprintf( stderr, fmt, ap );
	va_end( ap );
	fprintf( stderr, "\nTry '%s%s%s --help'.\n", PIMCTL_PROG,
		cmd ? " " : "", cmd ? cmd->cmd_name : "" );
	return PIMCTL_EX_USAGE;
}

/* An authentication option; refuses to mix simple and SASL. */
static int
set_authmethod( pimctl *pc, const pimctl_command *cmd, int method, int c )
{
	char opt[3] = { '-', (char)c, '\0' };

#ifndef HAVE_SASL_SASL_H
	if ( method == LDAP_AUTH_SASL ) {
		return usage_error( cmd, "%s: not built with SASL support", opt );
	}
#endif
	if ( pc->pc_authmethod != -1 && pc->pc_authmethod != method ) {
		return usage_error( cmd,
			"%s: incompatible with the previous authentication choice",
			opt );
	}
	pc->pc_authmethod = method;
	return 0;
}

/* -w: keep a copy, and blank the argument so that ps does not show it. */
static int
set_password( pimctl *pc, char *arg )
{
	if ( pc->pc_passwd.bv_val ) {
		memset( pc->pc_passwd.bv_val, 0, pc->pc_passwd.bv_len );
		ber_memfree( pc->pc_passwd.bv_val );
	}
	pc->pc_passwd.bv_len = strlen( arg );
	pc->pc_passwd.bv_val = ber_strdup( arg );
	memset( arg, '*', pc->pc_passwd.bv_len );
	if ( pc->pc_passwd.bv_val == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	return 0;
}

/* -o NAME=VALUE, as ldap-utils take it; pimctl knows nettimeout. */
static int
set_ldap_option( pimctl *pc, const pimctl_command *cmd, const char *arg )
{
	static const char name[] = "nettimeout=";
	const char *v = arg + sizeof( name ) - 1;
	char *end;
	long secs;

	if ( strncasecmp( arg, name, sizeof( name ) - 1 ) != 0 ) {
		return usage_error( cmd, "-o %s: unknown option (pimctl knows"
			" nettimeout=SECONDS)", arg );
	}
	if ( strcasecmp( v, "none" ) == 0 ) {
		pc->pc_nettimeout = 0;
		return 0;
	}
	secs = strtol( v, &end, 10 );
	if ( *v == '\0' || *end != '\0' || secs < 1 || secs > 86400 ) {
		return usage_error( cmd, "-o nettimeout: \"%s\" is not a number"
			" of seconds from 1 to 86400, or none", v );
	}
	pc->pc_nettimeout = (int)secs;
	return 0;
}

/* -d LEVEL: a number, as ldap-utils take it (0x... in hexadecimal). */
static int
set_debug( pimctl *pc, const pimctl_command *cmd, const char *arg )
{
	char *end;
	long level = strtol( arg, &end, 0 );

	if ( *arg == '\0' || *end != '\0' || level < -1 || level > 0xffff ) {
		return usage_error( cmd, "-d: \"%s\" is not a debug level", arg );
	}
	pc->pc_debug = (int)level;
	pc->pc_debug_set = 1;
	return 0;
}

/* Returns 0 when c was a global option and is now recorded, -1 when it
 * is not a global option, or an exit status. */
static int
global_option( pimctl *pc, const pimctl_command *cmd, int c, char *arg )
{
	switch ( c ) {
	case 'H': pc->pc_uri = arg; break;
	case OPT_NO_REFERRALS: pc->pc_no_referrals = 1; break;
	case 'D': pc->pc_binddn = arg; break;
	case 'w': return set_password( pc, arg );
	case 'W': pc->pc_want_pw = 1; break;
	case 'y': pc->pc_pwfile = arg; break;
	case 'x': return set_authmethod( pc, cmd, LDAP_AUTH_SIMPLE, c );
	case 'Y': pc->pc_sasl_mech = arg; goto sasl;
	case 'U': pc->pc_sasl_authcid = arg; goto sasl;
	case 'X': pc->pc_sasl_authzid = arg; goto sasl;
	case 'R': pc->pc_sasl_realm = arg; goto sasl;
	case 'O': pc->pc_sasl_secprops = arg; goto sasl;
	case 'Q': pc->pc_sasl_flags = LDAP_SASL_QUIET; goto sasl;
	case 'I': pc->pc_sasl_flags = LDAP_SASL_INTERACTIVE; goto sasl;
	case 'Z': pc->pc_use_tls++; break;
	case 'b': pc->pc_base_opt = arg; break;
	case 'v': pc->pc_verbose++; break;
	case 'o': return set_ldap_option( pc, cmd, arg );
	case 'd': return set_debug( pc, cmd, arg );
	default: return -1;
	}
	return 0;

sasl:
	return set_authmethod( pc, cmd, LDAP_AUTH_SASL, c );
}

/* --otp: a copy, and the argument blanked, as for -w. */
static int
set_otp( pimctl *pc, char *arg )
{
	pimctl_free_secret( pc->pc_args.a_otp );
	pc->pc_args.a_otp = strdup( arg );
	memset( arg, '*', strlen( arg ) );
	if ( pc->pc_args.a_otp == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	return 0;
}

/* A repeated option: one more value of l. */
static int
list_add( pimctl *pc, pimctl_list *l, const char *arg )
{
	const char **v = ber_memrealloc( l->l_vals,
		( l->l_n + 2 ) * sizeof( *v ) );

	if ( v == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	v[l->l_n++] = arg;
	v[l->l_n] = NULL;
	l->l_vals = v;
	return 0;
}

static int
subcommand_option( pimctl *pc, int c, char *arg )
{
	pimctl_args *a = &pc->pc_args;

	switch ( c ) {
	case OPT_ALL: a->a_all = 1; break;
	case OPT_DN: a->a_dn = 1; break;
	case OPT_DURATION: a->a_duration = arg; break;
	case OPT_REASON: a->a_reason = arg; break;
	case OPT_TICKET: a->a_ticket = arg; break;
	case OPT_START: a->a_start = arg; break;
	case OPT_END: a->a_end = arg; break;
	case OPT_FOR: a->a_for = arg; break;
	case OPT_ID: a->a_id = arg; break;
	case OPT_PERMANENT: a->a_permanent = 1; break;
	case OPT_ELIGIBLE: a->a_eligible = 1; break;
	case OPT_ACTIVE: a->a_active = 1; break;
	case OPT_OTP: return set_otp( pc, arg );
	case OPT_UNTIL: a->a_until = arg; break;
	case OPT_MINE: a->a_mine = 1; break;
	case OPT_ROLE: a->a_role = arg; return list_add( pc, &a->a_roles, arg );
	case OPT_SINCE: a->a_since = arg; break;
	case OPT_USER: a->a_user = arg; break;
	case OPT_EVENT: a->a_event = arg; break;
	case OPT_LDIF: a->a_ldif = 1; break;
	case OPT_JSON: a->a_json = 1; break;
	case OPT_CSV: a->a_csv = 1; break;
	case OPT_EXPIRED: a->a_expired = 1; break;
	case OPT_PRINCIPAL: a->a_principal = arg; break;
	case OPT_EXEC: a->a_exec = arg; break;
	case OPT_STALE: a->a_stale = arg; break;
	case OPT_MAX_PERMANENT: a->a_max_permanent = arg; break;
	case OPT_MAX_SHARE: a->a_max_share = arg; break;
	case OPT_BASE: a->a_base = arg; break;
	case OPT_CONFIG: a->a_config = arg; break;
	case OPT_ONCE: a->a_once = 1; break;
	case OPT_FROM_START: a->a_from_start = 1; break;
	case OPT_KIND: a->a_kind = arg; break;
	case OPT_INACTIVE_DAYS: a->a_inactive_days = arg; break;
	case OPT_REVIEWERS: a->a_reviewers_kind = arg; break;
	case OPT_REVIEWER: return list_add( pc, &a->a_reviewers, arg );
	case OPT_FALLBACK: return list_add( pc, &a->a_fallbacks, arg );
	case OPT_RECURRENCE: a->a_recurrence = arg; break;
	case OPT_INSTANCES: a->a_instances = arg; break;
	case OPT_DEFAULT: a->a_default = arg; break;
	case OPT_REMINDER: a->a_reminder = arg; break;
	case OPT_DESCRIPTION: a->a_description = arg; break;
	/* the on/off pairs: a_given says which */
	case OPT_QR: case OPT_NO_QR: case OPT_ASCII:
	case OPT_REQUIRE_REASON: case OPT_NO_REQUIRE_REASON:
	case OPT_AUTO_APPLY: case OPT_NO_AUTO_APPLY:
	case OPT_SHOW_RECS: case OPT_HIDE_RECS:
		break;
	default:
		return -1;
	}
	return 0;
}

/* getopt's '?' and ':' returns, in words. */
static int
getopt_error( const pimctl_command *cmd, int c, char **argv )
{
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *what = argv[optind - 1];

	/* optopt is the letter of a short option, the code of a long one
	 * (or 0 for an unknown long one, which argv still names) */
	if ( optopt > 0 && optopt < OPT_HELP ) {
		what = shortopt;
	}

	if ( c == ':' ) {
		return usage_error( cmd, "option %s needs an argument", what );
	}
	return usage_error( cmd, "unknown option %s", what );
}

/* The long options cmd takes (NULL: before the subcommand). */
static void
command_longopts( const pimctl_command *cmd, struct option *out )
{
	size_t i, n = 0;

	for ( i = 0; all_longopts[i].name; i++ ) {
		int code = all_longopts[i].val;

		if ( code == OPT_HELP || code == OPT_VERSION ||
			code == OPT_NO_REFERRALS ||
			( cmd && ( cmd->cmd_options & PIMCTL_OPTBIT( code ) ) ) )
		{
			out[n++] = all_longopts[i];
		}
	}
	memset( &out[n], 0, sizeof( out[n] ) );
}

/* Read options from argv[1] on, until the first non-option when cmd is
 * NULL.  Returns -1 to go on, or an exit status (after --help, or on a
 * usage error). */
static int
parse_options( pimctl *pc, const pimctl_command *cmd, int argc, char **argv )
{
	struct option longopts[NLONGOPTS];
	char shortopts[sizeof( global_shortopts ) + 2];
	int c, rc;

	snprintf( shortopts, sizeof( shortopts ), "%s:%s",
		cmd ? "" : "+", global_shortopts );
	command_longopts( cmd, longopts );
	optind = 0;	/* glibc: start afresh, argv may be a new vector */
	opterr = 0;
	while ( ( c = getopt_long( argc, argv, shortopts, longopts, NULL ) )
		!= -1 )
	{
		if ( c == '?' || c == ':' ) {
			return getopt_error( cmd, c, argv );
		}
		if ( c == OPT_HELP ) {
			cmd ? usage_command( cmd, stdout ) : usage_global( stdout );
			return PIMCTL_EX_OK;
		}
		if ( c == OPT_VERSION ) {
			printf( "%s %s\n", PIMCTL_PROG, PACKAGE_VERSION );
			return PIMCTL_EX_OK;
		}
		rc = global_option( pc, cmd, c, optarg );
		if ( rc == -1 ) {
			rc = subcommand_option( pc, c, optarg );
			if ( rc == 0 && c >= OPT_HELP && c < OPT_MAX ) {
				pc->pc_args.a_given |= PIMCTL_OPTBIT( c );
			}
		}
		if ( rc > 0 ) {
			return rc;
		}
	}
	return -1;
}

/* Checks that need the whole command line, and the ldap-utils default
 * of the authentication method. */
static int
check_global( pimctl *pc, const pimctl_command *cmd )
{
	if ( pc->pc_passwd.bv_val && ( pc->pc_pwfile || pc->pc_want_pw ) ) {
		return usage_error( cmd, "%s incompatible with -w",
			pc->pc_pwfile ? "-y" : "-W" );
	}
	if ( pc->pc_pwfile && pc->pc_want_pw ) {
		return usage_error( cmd, "%s incompatible with -y", "-W" );
	}
	if ( pc->pc_args.a_json && pc->pc_args.a_csv ) {
		return usage_error( cmd, "--json and --csv exclude each other" );
	}
	if ( pc->pc_authmethod == -1 ) {
#ifdef HAVE_SASL_SASL_H
		pc->pc_authmethod = pc->pc_binddn ?
			LDAP_AUTH_SIMPLE : LDAP_AUTH_SASL;
#else
		pc->pc_authmethod = LDAP_AUTH_SIMPLE;
#endif
	}
	return -1;
}

static const pimctl_command *
find_command( const char *name )
{
	const pimctl_command *cmd;

	for ( cmd = commands; cmd->cmd_name; cmd++ ) {
		if ( strcmp( cmd->cmd_name, name ) == 0 ) {
			return cmd;
		}
	}
	return NULL;
}

/* "pimctl help [COMMAND]" is "pimctl [COMMAND] --help". */
static int
help_command( int argc, char **argv )
{
	const pimctl_command *cmd;

	if ( argc < 2 ) {
		usage_global( stdout );
		return PIMCTL_EX_OK;
	}
	cmd = find_command( argv[1] );
	if ( cmd == NULL ) {
		return usage_error( NULL, "unknown command '%s'", argv[1] );
	}
	usage_command( cmd, stdout );
	return PIMCTL_EX_OK;
}

/* Parse the whole command line.  Returns -1 with *cmdp, *argcp and
 * *argvp set to the subcommand and its positional arguments, or an exit
 * status. */
static int
parse_command_line( pimctl *pc, int argc, char **argv,
	const pimctl_command **cmdp, int *argcp, char ***argvp )
{
	const pimctl_command *cmd;
	int rc, n;

	rc = parse_options( pc, NULL, argc, argv );
	if ( rc != -1 ) {
		return rc;
	}
	if ( optind >= argc ) {
		return usage_error( NULL, "no command given" );
	}
	argc -= optind;
	argv += optind;
	if ( strcmp( argv[0], "help" ) == 0 ) {
		return help_command( argc, argv );
	}
	cmd = find_command( argv[0] );
	if ( cmd == NULL ) {
		return usage_error( NULL, "unknown command '%s'", argv[0] );
	}
	pc->pc_cmd = cmd->cmd_name;
	rc = parse_options( pc, cmd, argc, argv );
	if ( rc != -1 ) {
		return rc;
	}
	n = argc - optind;
	if ( n < cmd->cmd_min_args ) {
		return usage_error( cmd, "expected %s", cmd->cmd_argnames );
	}
	if ( cmd->cmd_max_args >= 0 && n > cmd->cmd_max_args ) {
		return usage_error( cmd, "unexpected argument '%s'",
			argv[optind + cmd->cmd_max_args] );
	}
	*cmdp = cmd;
	*argcp = n;
	*argvp = argv + optind;
	return check_global( pc, cmd );
}

static void
pimctl_destroy( pimctl *pc )
{
	if ( pc->pc_ld ) {
		ldap_unbind_ext_s( pc->pc_ld, NULL, NULL );
	}
	if ( pc->pc_passwd.bv_val ) {
		memset( pc->pc_passwd.bv_val, 0, pc->pc_passwd.bv_len );
		ber_memfree( pc->pc_passwd.bv_val );
	}
	ber_memfree( pc->pc_base );
	pimctl_free_secret( pc->pc_args.a_otp );
	ber_memfree( pc->pc_args.a_roles.l_vals );
	ber_memfree( pc->pc_args.a_reviewers.l_vals );
	ber_memfree( pc->pc_args.a_fallbacks.l_vals );
}

int
main( int argc, char **argv )
{
	pimctl pc;
	const pimctl_command *cmd = NULL;
	char **args = NULL;
	int nargs = 0, rc;

	memset( &pc, 0, sizeof( pc ) );
	pc.pc_authmethod = -1;
	pc.pc_sasl_flags = LDAP_SASL_AUTOMATIC;

	rc = parse_command_line( &pc, argc, argv, &cmd, &nargs, &args );
	if ( rc == -1 ) {
		/* it connects once its own options are known to be good */
		rc = cmd->cmd_run( &pc, nargs, args );
	}

	pimctl_destroy( &pc );
	return rc;
}
