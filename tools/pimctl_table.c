/* pimctl_table.c - tables whose columns line up.
 *
 * A header line and rows, each cell padded to its column's widest
 * value, columns separated by two spaces, the last column not padded
 * (no trailing blanks).  Widths count characters, not bytes, so that
 * UTF-8 names line up.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "pimctl.h"

#define MAXCOLS	16

/* Characters on the screen (UTF-8 lead bytes). */
int
pimctl_text_width( const char *s )
{
	int n = 0;

	for ( ; *s; s++ ) {
		n += ( *s & 0xc0 ) != 0x80;
	}
	return n;
}

/* A copy of s fit for one cell: control characters (a newline in a
 * justification) become spaces, and beyond maxchars characters it is
 * cut to maxchars - 3 and "..." (maxchars <= 0: no limit). */
char *
pimctl_text_clip( const char *s, int maxchars )
{
	size_t len = strlen( s ), i, cut = len;
	int chars = 0;
	char *out;

	if ( maxchars > 3 && pimctl_text_width( s ) > maxchars ) {
		for ( i = 0; i < len; i++ ) {
			if ( ( s[i] & 0xc0 ) != 0x80 && chars++ == maxchars - 3 ) {
				cut = i;
				break;
			}
		}
	}
	out = ber_memalloc( cut + 4 );
	if ( out == NULL ) {
		return NULL;
	}
	for ( i = 0; i < cut; i++ ) {
		unsigned char c = (unsigned char)s[i];

		out[i] = ( c < 0x20 || c == 0x7f ) ? ' ' : (char)c;
	}
	strcpy( out + cut, cut < len ? "..." : "" );
	return out;
}

void
pimctl_table_init( pimctl_table *t, int ncols, const char *const *head )
{
	memset( t, 0, sizeof( *t ) );
	t->t_ncols = ncols < MAXCOLS ? ncols : MAXCOLS;
	t->t_head = head;
}

/* Add a row of t_ncols cells, which the table now owns (a NULL cell
 * prints as "-").  Returns 0, or -1 when out of memory (the cells are
 * freed then too). */
int
pimctl_table_add( pimctl_table *t, char **cells )
{
	char **c;
	int i;

	if ( t->t_nrows == t->t_cap ) {
		int cap = t->t_cap ? 2 * t->t_cap : 8;

		c = ber_memrealloc( t->t_cells,
			(size_t)cap * t->t_ncols * sizeof( *c ) );
		if ( c == NULL ) {
			for ( i = 0; i < t->t_ncols; i++ ) {
				ber_memfree( cells[i] );
			}
			return -1;
		}
		t->t_cells = c;
		t->t_cap = cap;
	}
	c = &t->t_cells[(size_t)t->t_nrows * t->t_ncols];
	for ( i = 0; i < t->t_ncols; i++ ) {
		c[i] = cells[i];
	}
	t->t_nrows++;
	return 0;
}

static const char *
cell( const pimctl_table *t, int row, int col )
{
	const char *s;

	if ( row < 0 ) {
		return t->t_head[col];
	}
	s = t->t_cells[(size_t)row * t->t_ncols + col];
	return s ? s : "-";
}

static void
print_row( const pimctl_table *t, int row, const int *w, const char *indent )
{
	int col, pad;

	fputs( indent, stdout );
	for ( col = 0; col < t->t_ncols; col++ ) {
		const char *s = cell( t, row, col );

		if ( col == t->t_ncols - 1 ) {
			printf( "%s\n", s );
			break;
		}
		pad = w[col] - pimctl_text_width( s );
		printf( "%s%*s  ", s, pad > 0 ? pad : 0, "" );
	}
}

/* The header and the rows, each line after indent. */
void
pimctl_table_print( const pimctl_table *t, const char *indent )
{
	int w[MAXCOLS], row, col, n;

	for ( col = 0; col < t->t_ncols; col++ ) {
		w[col] = 0;
		for ( row = -1; row < t->t_nrows; row++ ) {
			n = pimctl_text_width( cell( t, row, col ) );
			if ( n > w[col] ) {
				w[col] = n;
			}
		}
	}
	for ( row = -1; row < t->t_nrows; row++ ) {
		print_row( t, row, w, indent );
	}
}

void
pimctl_table_free( pimctl_table *t )
{
	size_t i, n = (size_t)t->t_nrows * t->t_ncols;

	for ( i = 0; i < n; i++ ) {
		ber_memfree( t->t_cells[i] );
	}
	ber_memfree( t->t_cells );
	memset( t, 0, sizeof( *t ) );
}
