/* pim_version.h - which slapd the module was built for.
 *
 * The module is compiled against slapd's private headers (struct
 * Operation, Entry, BackendDB...), whose layout may change with any
 * release: loaded into another slapd it would read and write the wrong
 * fields.  So it loads only into the slapd whose version it was built
 * for.  Pure code, unit-tested.
 */
#ifndef PIM_VERSION_H
#define PIM_VERSION_H

#include <stddef.h>

/* The version slapd's Versionstr names, into buf (NUL-terminated):
 * "@(#) $OpenLDAP: slapd 2.5.13+dfsg-5 (Feb  8 2023 01:56:12) $..." (a
 * build with mkversion, as Debian's) or "OpenLDAP 2.5.13 Standalone
 * LDAP Server (slapd)".  0, or -1 when it names none. */
int pim_version_of_slapd( const char *versionstr, char *buf, size_t size );

/* 1 if a module built for built may load into a slapd of version
 * running: the same version, exactly. */
int pim_version_matches( const char *built, const char *running );

#endif /* PIM_VERSION_H */
