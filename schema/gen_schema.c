/* gen_schema.c - print the PIM schema as pim.schema or pim.ldif.
 *
 * Usage: gen_schema schema|ldif
 *
 * The one definition lives in overlay/pim_schema_defs.h, which the module
 * registers at load time; this program only re-formats it, and the
 * schema-drift test fails when the shipped files differ from its output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_schema_defs.h"

#define SCHEMA_WIDTH	78	/* .schema lines, tabs counted as 8 */
#define LDIF_WIDTH	76	/* RFC 2849 folding, as OpenLDAP's ldif.c */
#define TOKEN_MAX	1024

static void
print_header( const char *file )
{
	printf( "# %s - generated from overlay/pim_schema_defs.h by "
		"schema/gen_schema.\n", file );
	printf( "# Do not edit: change the table and regenerate (make check "
		"fails on\n# drift).  The pim module registers these same "
		"definitions when it\n# is loaded.\n" );
	printf( "#\n# memberOf is not defined here: PIM writes it on users, and the\n"
		"# module registers it as slapo-memberof does.  A server that uses\n"
		"# this file instead of loading the module (moduleload pim.la, the\n"
		"# recommended way, also on consumers) must define memberOf too,\n"
		"# for example by loading memberof.la, or it cannot take users'\n"
		"# memberOf values by replication.\n" );
}

/* A new line starts before each of these clauses. */
static const char *const clause_keywords[] = {
	"NAME", "DESC", "OBSOLETE", "SUP", "EQUALITY", "ORDERING", "SUBSTR", "SYNTAX",
	"USAGE", "MUST", "MAY", NULL
};

static int
is_clause_keyword( const char *tok )
{
	int i;

	for ( i = 0; clause_keywords[i] != NULL; i++ ) {
		if ( strcmp( tok, clause_keywords[i] ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

/* Copy the next token of *p into tok: a quoted string (with its
 * quotes) counts as one.  Returns its length, 0 at the end. */
static size_t
next_token( const char **p, char *tok )
{
	const char *s = *p, *e;
	size_t len;

	while ( *s == ' ' ) {
		s++;
	}
	if ( *s == '\0' ) {
		*p = s;
		return 0;
	}
	if ( *s == '\'' ) {
		e = strchr( s + 1, '\'' );
		e = e ? e + 1 : s + strlen( s );
	} else {
		for ( e = s; *e != '\0' && *e != ' '; e++ )
			;
	}
	len = (size_t)( e - s );
	if ( len >= TOKEN_MAX ) {
		fprintf( stderr, "gen_schema: token too long in %s\n", *p );
		exit( EXIT_FAILURE );
	}
	memcpy( tok, s, len );
	tok[len] = '\0';
	*p = e;
	return len;
}

/* Print one definition after its keyword: the OID on the first line,
 * each clause on a continuation line that starts with a tab, over-long
 * lists wrapped with a second tab.  Quoted strings are never broken or
 * moved off their keyword's line: slapd joins a continuation line by
 * turning its first whitespace character into a space, and a DESC is
 * easier to read whole. */
static void
print_definition( const char *keyword, const char *def )
{
	char tok[TOKEN_MAX];
	size_t col, len;
	int depth = 0, after_quoted = 0;

	printf( "%s", keyword );
	col = strlen( keyword );
	while ( ( len = next_token( &def, tok ) ) != 0 ) {
		/* slapd has no escape inside a qdstring: a quote in a DESC
		 * ends it early and the module fails to load.  Whatever
		 * follows a quoted string must start a clause, close the
		 * list or be the next quoted name. */
		if ( after_quoted && tok[0] != '\'' && strcmp( tok, ")" ) != 0 &&
			!is_clause_keyword( tok ) )
		{
			fprintf( stderr, "gen_schema: a quote inside a quoted "
				"string, before \"%s\" in %s\n", tok, keyword );
			exit( EXIT_FAILURE );
		}
		after_quoted = tok[0] == '\'';
		if ( depth == 1 && is_clause_keyword( tok ) ) {
			printf( "\n\t%s", tok );
			col = 8 + len;
		} else if ( col + 1 + len > SCHEMA_WIDTH && tok[0] != '\'' &&
			strcmp( tok, "$" ) != 0 && strcmp( tok, ")" ) != 0 )
		{
			printf( "\n\t\t%s", tok );
			col = 16 + len;
		} else {
			printf( " %s", tok );
			col += 1 + len;
		}
		if ( strcmp( tok, "(" ) == 0 ) {
			depth++;
		} else if ( strcmp( tok, ")" ) == 0 ) {
			depth--;
		}
	}
	printf( "\n" );
}

static void
print_schema( void )
{
	int i;

	print_header( "pim.schema" );
	for ( i = 0; pim_attribute_defs[i].sd_name != NULL; i++ ) {
		printf( "\n" );
		print_definition( "attributetype", pim_attribute_defs[i].sd_def );
	}
	for ( i = 0; pim_objectclass_defs[i].sd_name != NULL; i++ ) {
		printf( "\n" );
		print_definition( "objectclass", pim_objectclass_defs[i].sd_def );
	}
}

/* The definitions are printable ASCII that needs no base64 in LDIF
 * (RFC 2849 SAFE-STRING); refuse to emit anything else silently. */
static void
check_safe( const char *value )
{
	const char *s;

	for ( s = value; *s != '\0'; s++ ) {
		if ( *s < 0x20 || *s > 0x7e ) {
			fprintf( stderr, "gen_schema: unsafe character in %s\n",
				value );
			exit( EXIT_FAILURE );
		}
	}
	if ( value[0] == ' ' || value[0] == ':' || value[0] == '<' ) {
		fprintf( stderr, "gen_schema: unsafe start of %s\n", value );
		exit( EXIT_FAILURE );
	}
}

/* "attr: value", folded: no line longer than LDIF_WIDTH, continuation
 * lines starting with one space. */
static void
print_ldif_line( const char *attr, const char *value )
{
	char line[8192];
	size_t len, pos, take;
	int n;

	check_safe( value );
	n = snprintf( line, sizeof( line ), "%s: %s", attr, value );
	if ( n < 0 || (size_t)n >= sizeof( line ) ) {
		fprintf( stderr, "gen_schema: definition too long: %s\n", value );
		exit( EXIT_FAILURE );
	}
	len = (size_t)n;
	take = len < LDIF_WIDTH ? len : LDIF_WIDTH;
	printf( "%.*s\n", (int)take, line );
	for ( pos = take; pos < len; pos += take ) {
		take = len - pos < LDIF_WIDTH - 1 ? len - pos : LDIF_WIDTH - 1;
		printf( " %.*s\n", (int)take, line + pos );
	}
}

static void
print_ldif( void )
{
	int i;

	print_header( "pim.ldif" );
	printf( "dn: cn=pim,cn=schema,cn=config\n" );
	printf( "objectClass: olcSchemaConfig\n" );
	printf( "cn: pim\n" );
	for ( i = 0; pim_attribute_defs[i].sd_name != NULL; i++ ) {
		print_ldif_line( "olcAttributeTypes",
			pim_attribute_defs[i].sd_def );
	}
	for ( i = 0; pim_objectclass_defs[i].sd_name != NULL; i++ ) {
		print_ldif_line( "olcObjectClasses",
			pim_objectclass_defs[i].sd_def );
	}
}

int
main( int argc, char **argv )
{
	if ( argc != 2 ) {
		goto usage;
	}
	if ( strcmp( argv[1], "schema" ) == 0 ) {
		print_schema();
	} else if ( strcmp( argv[1], "ldif" ) == 0 ) {
		print_ldif();
	} else {
		goto usage;
	}
	/* A full disk must not leave a truncated file looking generated. */
	if ( fflush( stdout ) != 0 || ferror( stdout ) ) {
		perror( "gen_schema: stdout" );
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;

usage:
	fprintf( stderr, "usage: gen_schema schema|ldif\n" );
	return 2;
}
