/* pimctl_table.c - tables whose columns line up.
 *
 * A header line and rows, each cell padded to its column's widest
 * value, columns separated by two spaces, the last column not padded
 * (no trailing blanks).  Widths count characters, not bytes, so that
 * UTF-8 names line up.
 *
 * The cells are what the directory said (pimctl.h, pimctl_column);
 * this file renders them for people: times in one format, DNs as
 * names, text cut to the column's width, a list one value per line.
 * pimctl_output.c renders the same cells for programs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"
#include "pim_time.h"

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
pimctl_table_init( pimctl_table *t, pimctl *pc, int ncols,
	const pimctl_column *cols )
{
	memset( t, 0, sizeof( *t ) );
	t->t_pc = pc;
	t->t_ncols = ncols < PIMCTL_MAXCOLS ? ncols : PIMCTL_MAXCOLS;
	t->t_cols = cols;
	t->t_names.ns_full = pc->pc_args.a_dn;
}

/* Leave column col out of the table view (JSON and CSV keep it): a
 * section to which it does not apply. */
void
pimctl_table_hide( pimctl_table *t, int col )
{
	t->t_hide |= 1UL << col;
}

/* Add a row of t_ncols cells, which the table now owns (NULL: absent).
 * Returns 0, or -1 when out of memory (the cells are freed then too). */
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

/* How a DN cell reads: the entry's name (its DN with --dn), looked up
 * once per DN; a value that is no DN ("pim", "anonymous") as it is. */
const char *
pimctl_table_name( pimctl_table *t, const char *dn )
{
	const char *name;

	if ( dn == NULL || strchr( dn, '=' ) == NULL ) {
		return dn;
	}
	name = pimctl_display_name( t->t_pc, &t->t_names, dn );
	return name ? name : dn;
}

static int
shown( const pimctl_table *t, int col )
{
	return t->t_cols[col].col_head != NULL && !( t->t_hide & ( 1UL << col ) );
}

/* Line line (0 first) of a cell as the table shows it, owned; NULL when
 * a list has no such line. */
static char *
render( pimctl_table *t, int row, int col, int line )
{
	const pimctl_column *c = &t->t_cols[col];
	const char *v = t->t_cells[(size_t)row * t->t_ncols + col], *nl;
	char buf[PIMCTL_TIMEBUF], *one, *out;
	time_t when;
	int i;

	if ( v == NULL ) {
		return line ? NULL : ber_strdup( c->col_none ? c->col_none : "-" );
	}
	if ( !( c->col_flags & PIMCTL_COL_LIST ) ) {
		if ( line ) {
			return NULL;
		}
	} else {
		for ( i = 0; i < line && v; i++ ) {
			v = strchr( v, '\n' );
			v = v ? v + 1 : NULL;
		}
		if ( v == NULL ) {
			return NULL;
		}
	}
	nl = ( c->col_flags & PIMCTL_COL_LIST ) ? strchr( v, '\n' ) : NULL;
	one = nl ? ber_strndup( v, nl - v ) : ber_strdup( v );
	if ( one == NULL ) {
		return NULL;
	}
	if ( ( c->col_flags & PIMCTL_COL_TIME ) &&
		pim_gentime_parse( one, strlen( one ), &when ) == 0 )
	{
		ber_memfree( one );
		return ber_strdup( pimctl_time_str( when, buf, sizeof( buf ) ) );
	}
	if ( c->col_flags & PIMCTL_COL_DN ) {
		out = ber_strdup( pimctl_table_name( t, one ) );
	} else {
		out = pimctl_text_clip( one, c->col_width );
	}
	ber_memfree( one );
	return out;
}

/* The lines of the table view: the heading, then each row's (a row
 * with a list takes one line per value).  lines[n * ncols + col]. */
typedef struct lines {
	char	**l_cells;
	int	l_n;
	int	l_cap;
} lines;

static char **
line_add( lines *l, int ncols )
{
	char **c;

	if ( l->l_n == l->l_cap ) {
		int cap = l->l_cap ? 2 * l->l_cap : 16;

		c = ber_memrealloc( l->l_cells, (size_t)cap * ncols * sizeof( *c ) );
		if ( c == NULL ) {
			return NULL;
		}
		l->l_cells = c;
		l->l_cap = cap;
	}
	c = &l->l_cells[(size_t)l->l_n++ * ncols];
	memset( c, 0, ncols * sizeof( *c ) );
	return c;
}

/* How many lines row takes: one, or one per value of its longest list. */
static int
row_lines( const pimctl_table *t, int row )
{
	const char *v;
	int col, n, most = 1;

	for ( col = 0; col < t->t_ncols; col++ ) {
		v = t->t_cells[(size_t)row * t->t_ncols + col];
		if ( !shown( t, col ) || v == NULL ||
			!( t->t_cols[col].col_flags & PIMCTL_COL_LIST ) )
		{
			continue;
		}
		for ( n = 1; ( v = strchr( v, '\n' ) ) != NULL; v++ ) {
			n++;
		}
		if ( n > most ) {
			most = n;
		}
	}
	return most;
}

/* Row row as lines; 0, or -1 when out of memory. */
static int
render_row( pimctl_table *t, int row, lines *l )
{
	char **c;
	int col, line, n = row_lines( t, row );

	for ( line = 0; line < n; line++ ) {
		if ( ( c = line_add( l, t->t_ncols ) ) == NULL ) {
			return -1;
		}
		for ( col = 0; col < t->t_ncols; col++ ) {
			if ( shown( t, col ) ) {
				c[col] = render( t, row, col, line );
			}
		}
	}
	return 0;
}

static void
print_line( const pimctl_table *t, char **c, const int *w, int last,
	const char *indent )
{
	int col, pad;

	fputs( indent, stdout );
	for ( col = 0; col <= last; col++ ) {
		const char *s = c[col] ? c[col] : "";

		if ( !shown( t, col ) ) {
			continue;
		}
		if ( col == last ) {
			printf( "%s\n", s );
			break;
		}
		pad = w[col] - pimctl_text_width( s );
		printf( "%s%*s  ", s, pad > 0 ? pad : 0, "" );
	}
}

/* The heading and the rows, each line after indent. */
void
pimctl_table_print( pimctl_table *t, const char *indent )
{
	lines l = { NULL, 0, 0 };
	int w[PIMCTL_MAXCOLS], row, col, n, last = -1, i;
	char **c;

	if ( ( c = line_add( &l, t->t_ncols ) ) == NULL ) {
		return;
	}
	for ( col = 0; col < t->t_ncols; col++ ) {
		if ( shown( t, col ) ) {
			c[col] = ber_strdup( t->t_cols[col].col_head );
			last = col;
		}
	}
	for ( row = 0; row < t->t_nrows; row++ ) {
		if ( render_row( t, row, &l ) != 0 ) {
			break;
		}
	}
	for ( col = 0; col < t->t_ncols; col++ ) {
		w[col] = 0;
		for ( i = 0; i < l.l_n; i++ ) {
			c = &l.l_cells[(size_t)i * t->t_ncols];
			n = c[col] ? pimctl_text_width( c[col] ) : 0;
			if ( n > w[col] ) {
				w[col] = n;
			}
		}
	}
	for ( i = 0; last >= 0 && i < l.l_n; i++ ) {
		print_line( t, &l.l_cells[(size_t)i * t->t_ncols], w, last, indent );
	}
	for ( i = 0; i < l.l_n * t->t_ncols; i++ ) {
		ber_memfree( l.l_cells[i] );
	}
	ber_memfree( l.l_cells );
}

void
pimctl_table_free( pimctl_table *t )
{
	size_t i, n = (size_t)t->t_nrows * t->t_ncols;

	for ( i = 0; i < n; i++ ) {
		ber_memfree( t->t_cells[i] );
	}
	ber_memfree( t->t_cells );
	pimctl_names_free( &t->t_names );
	memset( t, 0, sizeof( *t ) );
}

/* --- sorting ------------------------------------------------------------ */

/* qsort has no argument for the table: pimctl sorts one at a time. */
static pimctl_table *sort_table;
static const int *sort_keys;
static int sort_nkeys;

static int
cell_cmp( pimctl_table *t, int col, const char *x, const char *y )
{
	int flags = t->t_cols[col].col_flags;
	time_t a = 0, b = 0;

	if ( flags & PIMCTL_COL_TIME ) {
		if ( x == NULL || pim_gentime_parse( x, strlen( x ), &a ) != 0 ) {
			a = 0;
		}
		if ( y == NULL || pim_gentime_parse( y, strlen( y ), &b ) != 0 ) {
			b = 0;
		}
		return ( a > b ) - ( a < b );
	}
	if ( flags & PIMCTL_COL_NUMBER ) {
		a = x ? strtol( x, NULL, 10 ) : 0;
		b = y ? strtol( y, NULL, 10 ) : 0;
		return ( a > b ) - ( a < b );
	}
	if ( flags & PIMCTL_COL_DN ) {
		x = pimctl_table_name( t, x );
		y = pimctl_table_name( t, y );
	}
	return strcasecmp( x ? x : "", y ? y : "" );
}

static int
row_cmp( const void *a, const void *b )
{
	char *const *x = a, *const *y = b;
	int i, c = 0;

	for ( i = 0; c == 0 && i < sort_nkeys; i++ ) {
		c = cell_cmp( sort_table, sort_keys[i], x[sort_keys[i]],
			y[sort_keys[i]] );
	}
	return c;
}

/* Sort the rows by the columns keys[0], then keys[1]...: times in time
 * order, numbers in number order, DNs by the names the table shows. */
void
pimctl_table_sort( pimctl_table *t, const int *keys, int nkeys )
{
	if ( t->t_nrows < 2 ) {
		return;
	}
	sort_table = t;
	sort_keys = keys;
	sort_nkeys = nkeys;
	qsort( t->t_cells, t->t_nrows, t->t_ncols * sizeof( char * ), row_cmp );
	sort_table = NULL;
}
