/* pim_version.c - which slapd the module was built for (see
 * pim_version.h). */
#include <string.h>

#include "pim_version.h"

/* The token after prefix in s, up to a blank, into buf. */
static int
pim_version_token( const char *s, const char *prefix, char *buf, size_t size )
{
	const char *p = strstr( s, prefix ), *end;
	size_t n;

	if ( p == NULL )
		return -1;
	p += strlen( prefix );
	for ( end = p; *end != '\0' && *end != ' ' && *end != '\t' &&
		*end != '\n'; end++ )
		;
	n = (size_t)( end - p );
	if ( n == 0 || n >= size )
		return -1;
	memcpy( buf, p, n );
	buf[n] = '\0';
	return 0;
}

int
pim_version_of_slapd( const char *versionstr, char *buf, size_t size )
{
	if ( versionstr == NULL || size == 0 )
		return -1;
	if ( pim_version_token( versionstr, ": slapd ", buf, size ) == 0 )
		return 0;
	if ( strncmp( versionstr, "OpenLDAP ", 9 ) == 0 )
		return pim_version_token( versionstr, "OpenLDAP ", buf, size );
	return -1;
}

int
pim_version_matches( const char *built, const char *running )
{
	return built != NULL && running != NULL && *built != '\0' &&
		strcmp( built, running ) == 0;
}
