/* pim_time.h - durations and points in time, as people and LDAP write them.
 *
 * Pure code, shared by the overlay, pimctl and the unit tests.
 */
#ifndef PIM_TIME_H
#define PIM_TIME_H

#include <stddef.h>
#include <time.h>

/* Longest duration anything in PIM accepts: ten years, so that
 * now + duration never overflows a 64-bit time_t nor GeneralizedTime. */
#define PIM_DURATION_MAX	(10L * 366 * 24 * 3600)

/* Parse a duration: a plain number of seconds ("90"), or one or more
 * number+unit pairs in descending unit order with no repeats ("90s",
 * "30m", "2h", "1d", "1h30m", "1d2h3m4s").  Units: d h m s (lower
 * case; upper case accepted too).  No sign, no spaces, no empty string;
 * a bare number only on its own ("1h30" is refused).  Zero ("0", "0s")
 * parses: callers that need a positive duration check for it.
 * len is the length of s (s need not be NUL-terminated).  Returns 0 and
 * sets *secs, or -1 (leaving *secs alone) for anything malformed or
 * above PIM_DURATION_MAX. */
int pim_duration_parse( const char *s, size_t len, long *secs );

/* Print secs (0 .. PIM_DURATION_MAX) canonically: "0s", "45s", "2h",
 * "1h30m", "1d2h3m4s".  Returns the length written, or -1 if buf is too
 * small (PIM_DURATION_BUFSIZE always suffices) or secs is out of range. */
#define PIM_DURATION_BUFSIZE	32
int pim_duration_format( long secs, char *buf, size_t bufsize );

/* GeneralizedTime in the form the directory stores: "YYYYMMDDHHMMSSZ".
 * Parsing also accepts a fraction (".123": a dot and one or more digits,
 * ignored) before the Z and minutes-precision "YYYYMMDDHHMMZ"; nothing
 * else (no offsets, no comma fraction, no hours-only form, no leap
 * second 60, upper-case Z only).  Years 1970..9999.  Returns 0, or -1
 * on anything malformed (including impossible dates such as Feb 30).
 * Formatting writes the canonical 15-character form and returns 0, or
 * -1 if t is before 1970 or after 9999 or bufsize is too small. */
#define PIM_GENTIME_BUFSIZE	16	/* 15 chars + NUL */
/* The last second a GeneralizedTime of that form holds: 99991231235959Z. */
#define PIM_TIME_MAX		((time_t)253402300799LL)
int pim_gentime_parse( const char *s, size_t len, time_t *t );
int pim_gentime_format( time_t t, char *buf, size_t bufsize );

/* A time a person types (pimctl --start/--end): "now", "+DURATION"
 * (relative to now), GeneralizedTime, or ISO 8601 UTC
 * "YYYY-MM-DDTHH:MM[:SS]Z" (the T and Z may be lower case).  s is
 * NUL-terminated.  Returns 0 or -1. */
int pim_usertime_parse( const char *s, time_t now, time_t *t );

#endif /* PIM_TIME_H */
