/* pimctl_qr.c - a QR code on the terminal, for "pimctl mfa enroll".
 *
 * libqrencode makes the matrix; this file only draws it.  Two forms:
 *   UTF-8   one character per module column and two module rows, with
 *           the half blocks U+2580 (upper), U+2584 (lower) and U+2588
 *           (full): a square-looking code half as tall as ASCII
 *   ASCII   "##" per dark module and two spaces per light one, for
 *           terminals and fonts without the blocks
 * The UTF-8 form draws the light modules and the quiet zone, as
 * "qrencode -t UTF8" does: on the usual dark terminal background the
 * code then reads dark on light.  The ASCII form draws the dark ones.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include <qrencode.h>

#include "pimctl.h"

#define QR_QUIET	2	/* modules of quiet zone around the code */

/* Is the module at (x, y) dark?  Outside the matrix: the quiet zone. */
static int
qr_dark( const QRcode *qr, int x, int y )
{
	if ( x < 0 || y < 0 || x >= qr->width || y >= qr->width ) {
		return 0;
	}
	return qr->data[y * qr->width + x] & 1;
}

static void
qr_print_utf8( FILE *fp, const QRcode *qr )
{
	static const char *const glyph[4] = {
		"\xe2\x96\x88",	/* both light: full block */
		"\xe2\x96\x84",	/* top dark: lower half */
		"\xe2\x96\x80",	/* bottom dark: upper half */
		" "		/* both dark */
	};
	int x, y;

	for ( y = -QR_QUIET; y < qr->width + QR_QUIET; y += 2 ) {
		for ( x = -QR_QUIET; x < qr->width + QR_QUIET; x++ ) {
			fputs( glyph[qr_dark( qr, x, y ) |
				qr_dark( qr, x, y + 1 ) << 1], fp );
		}
		fputc( '\n', fp );
	}
}

static void
qr_print_ascii( FILE *fp, const QRcode *qr )
{
	int x, y;

	for ( y = -QR_QUIET; y < qr->width + QR_QUIET; y++ ) {
		for ( x = -QR_QUIET; x < qr->width + QR_QUIET; x++ ) {
			fputs( qr_dark( qr, x, y ) ? "##" : "  ", fp );
		}
		fputc( '\n', fp );
	}
}

/* text as a QR code on fp (error correction M, 8-bit data, any
 * version); 0, or -1 when libqrencode cannot encode it. */
int
pimctl_qr_print( FILE *fp, const char *text, int ascii )
{
	QRcode *qr = QRcode_encodeString8bit( text, 0, QR_ECLEVEL_M );

	if ( qr == NULL ) {
		return -1;
	}
	if ( ascii ) {
		qr_print_ascii( fp, qr );
	} else {
		qr_print_utf8( fp, qr );
	}
	/* the matrix is the secret too */
	memset( qr->data, 0, (size_t)qr->width * qr->width );
	QRcode_free( qr );
	return 0;
}
