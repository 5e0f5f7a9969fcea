/* pimctl_notify_state.c - the notifier's cursor, kept in a file.
 *
 * The file holds one line: the sequence number of the last audit record
 * fully handled.  It is replaced, never rewritten in place: a temporary
 * file next to it is written and fsync'ed, renamed over it, and the
 * directory fsync'ed, so that after a crash or power loss the file is
 * either the old cursor or the new one, never a torn one.  A torn or
 * empty file would send the notifier back to the head (skipping
 * events) or to the start (repeating them); a file that does not parse
 * is an error instead.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pimctl_notify.h"

/* *found says whether the file exists; *seq is its cursor. */
int
nt_state_read( pimctl *pc, const char *file, unsigned long *seq, int *found )
{
	char buf[64], *end;
	FILE *fp;
	int rc = 0;

	*found = 0;
	*seq = 0;
	if ( ( fp = fopen( file, "r" ) ) == NULL ) {
		if ( errno == ENOENT ) {
			return 0;
		}
		pimctl_error( pc, "state file %s: %s", file, strerror( errno ) );
		return PIMCTL_EX_CLIENT;
	}
	if ( fgets( buf, sizeof( buf ), fp ) == NULL ) {
		buf[0] = '\0';
	}
	fclose( fp );
	errno = 0;
	*seq = strtoul( buf, &end, 10 );
	if ( errno || end == buf || ( *end && *end != '\n' ) ) {
		pimctl_error( pc, "state file %s: not a sequence number (remove"
			" it to start from the current end of the trail)", file );
		rc = PIMCTL_EX_CLIENT;
	}
	*found = 1;
	return rc;
}

/* The directory of file, fsync'ed: the rename is durable only then. */
static void
sync_dir( const char *file )
{
	char *copy = strdup( file );
	int fd;

	if ( copy == NULL ) {
		return;
	}
	fd = open( dirname( copy ), O_RDONLY | O_DIRECTORY );
	if ( fd >= 0 ) {
		(void)fsync( fd );
		close( fd );
	}
	free( copy );
}

int
nt_state_write( pimctl *pc, const char *file, unsigned long seq )
{
	char tmp[4096], line[32];
	int fd = -1, n, rc = PIMCTL_EX_CLIENT;

	if ( snprintf( tmp, sizeof( tmp ), "%s.tmp", file ) >= (int)sizeof( tmp ) ) {
		pimctl_error( pc, "state file %s: name too long", file );
		return rc;
	}
	n = snprintf( line, sizeof( line ), "%lu\n", seq );
	fd = open( tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600 );
	if ( fd < 0 || write( fd, line, n ) != n || fsync( fd ) != 0 ) {
		goto done;
	}
	if ( close( fd ) != 0 ) {
		fd = -1;
		goto done;
	}
	fd = -1;
	if ( rename( tmp, file ) != 0 ) {
		goto done;
	}
	sync_dir( file );
	rc = 0;
done:
	if ( rc != 0 ) {
		pimctl_error( pc, "state file %s: %s", file, strerror( errno ) );
		if ( fd >= 0 ) {
			close( fd );
		}
		unlink( tmp );
	}
	return rc;
}
