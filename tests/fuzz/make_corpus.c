/* make_corpus.c - write the fuzzers' seed corpus (tests/fuzz/corpus).
 *
 *     make fuzz-corpus        (or: make_corpus DIR)
 *
 * Valid requests come from pim_request_encode() itself, so the seeds
 * follow the codec if the protocol changes; the malformed ones are built
 * by hand, one flaw each, next to a valid form, so that the fuzzer
 * starts at every branch of the decoders.  Files are written, never
 * deleted: crash reproducers added by hand (crash-*) stay.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lber.h>

#include "pim_codec.h"
#include "pim_policy.h"
#include "pim_time.h"

#define T_2024	((time_t) 1704067200)	/* 2024-01-01T00:00:00Z */
#define T_2025	((time_t) 1735689600)

static const char *root;

static void
die( const char *what, const char *path )
{
	fprintf( stderr, "make_corpus: %s %s: %s\n", what, path,
		strerror( errno ) );
	exit( 1 );
}

static void
put( const char *target, const char *name, const void *p, size_t len )
{
	char path[PATH_MAX];
	FILE *f;

	snprintf( path, sizeof( path ), "%s/%s", root, target );
	if ( mkdir( path, 0755 ) != 0 && errno != EEXIST ) {
		die( "cannot create", path );
	}
	snprintf( path, sizeof( path ), "%s/%s/%s", root, target, name );
	f = fopen( path, "wb" );
	if ( f == NULL ) {
		die( "cannot write", path );
	}
	if ( len && fwrite( p, 1, len, f ) != len ) {
		die( "cannot write", path );
	}
	if ( fclose( f ) != 0 ) {
		die( "cannot write", path );
	}
}

static void
put_str( const char *target, const char *name, const char *s )
{
	put( target, name, s, strlen( s ) );
}

/* ------------------------------------------------------------------ */
/* Requests and responses through the encoder */

static struct berval
bv( const char *s )
{
	struct berval b;

	b.bv_val = (char *)s;
	b.bv_len = strlen( s );
	return b;
}

static void
put_request( const char *name, enum pim_verb verb, const pim_request *req )
{
	struct berval out;

	if ( pim_request_encode( verb, req, &out ) != 0 ) {
		fprintf( stderr, "make_corpus: %s: encoder refused\n", name );
		exit( 1 );
	}
	put( "fuzz_request", name, out.bv_val, out.bv_len );
	ber_memfree( out.bv_val );
}

static void
put_response( const char *name, const pim_response *rsp )
{
	struct berval out;

	if ( pim_response_encode( rsp, &out ) != 0 ) {
		fprintf( stderr, "make_corpus: %s: encoder refused\n", name );
		exit( 1 );
	}
	put( "fuzz_response", name, out.bv_val, out.bv_len );
	ber_memfree( out.bv_val );
}

static void
base( pim_request *r )
{
	memset( r, 0, sizeof( *r ) );
	r->pr_role = bv( "cn=User Administrator,ou=roles,dc=example,dc=com" );
}

/* SEQUENCE { role of len bytes }, in long-form lengths. */
static void
put_long_role( const char *name, size_t len )
{
	static unsigned char buf[PIM_MAX_DN + 16];
	size_t n = 0;

	buf[n++] = 0x30;
	buf[n++] = 0x82;
	buf[n++] = (unsigned char)( ( len + 4 ) >> 8 );
	buf[n++] = (unsigned char)( len + 4 );
	buf[n++] = 0x04;
	buf[n++] = 0x82;
	buf[n++] = (unsigned char)( len >> 8 );
	buf[n++] = (unsigned char)len;
	memset( buf + n, 'a', len );
	put( "fuzz_request", name, buf, n + len );
}

/* fuzz_request also builds a request for the encoder from its input
 * (see recipe() there): a header, then strings separated by 0xff. */
static void
put_recipe( const char *name, unsigned fields, enum pim_verb verb,
	const char *strings, size_t slen )
{
	unsigned char buf[256];
	long long start = T_2024, end = T_2025;
	size_t n = 0;
	int i;

	buf[n++] = (unsigned char)fields;
	buf[n++] = (unsigned char)( fields >> 8 );
	buf[n++] = (unsigned char)verb;
	for ( i = 0; i < 4; i++ ) {		/* duration: 2h */
		buf[n++] = (unsigned char)( 7200 >> ( 8 * i ) );
	}
	for ( i = 0; i < 8; i++ ) {
		buf[n++] = (unsigned char)( start >> ( 8 * i ) );
	}
	for ( i = 0; i < 8; i++ ) {
		buf[n++] = (unsigned char)( end >> ( 8 * i ) );
	}
	buf[n++] = PIM_KIND_ACTIVE;
	buf[n++] = 1;		/* permanent */
	buf[n++] = 0;		/* flags */
	buf[n++] = 0;		/* spare */
	memcpy( buf + n, strings, slen );
	put( "fuzz_request", name, buf, n + slen );
}

#define STRS( s )	s, sizeof( s ) - 1

static void
recipes( void )
{
	put_recipe( "recipe-activate", PIM_F_PRINCIPAL | PIM_F_DURATION |
		PIM_F_JUSTIFICATION | PIM_F_TICKET | PIM_F_START | PIM_F_OTP,
		PIM_VERB_ACTIVATE, STRS( "cn=r,dc=example\xff" "uid=u\xff"
		"\xff" "reason\xff" "CHG-1\xff" "123456" ) );
	put_recipe( "recipe-assign", PIM_F_PRINCIPAL | PIM_F_START |
		PIM_F_END | PIM_F_KIND, PIM_VERB_ASSIGN,
		STRS( "cn=r,dc=example\xff" "uid=u" ) );
	put_recipe( "recipe-extend", PIM_F_ID | PIM_F_DURATION | PIM_F_END,
		PIM_VERB_EXTEND, STRS( "cn=r,dc=example\xff\xff" "id-1" ) );
}

static void
valid_requests( void )
{
	static char dn[PIM_MAX_DN + 1];
	pim_request r;

	base( &r );
	put_request( "activate-minimal", PIM_VERB_ACTIVATE, &r );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_DURATION | PIM_F_JUSTIFICATION |
		PIM_F_TICKET | PIM_F_START;
	r.pr_principal = bv( "uid=demo,ou=people,dc=example,dc=com" );
	r.pr_duration = 7200;
	r.pr_justification = bv( "onboarding the new hires \xc3\xa9t\xc3\xa9" );
	r.pr_ticket = bv( "CHG-1234" );
	r.pr_start = T_2024;
	put_request( "activate-full", PIM_VERB_ACTIVATE, &r );
	r.pr_fields = PIM_F_DURATION | PIM_F_JUSTIFICATION | PIM_F_TICKET;
	r.pr_duration = PIM_DURATION_MAX;
	r.pr_justification = bv( "" );
	r.pr_ticket = bv( "" );
	put_request( "activate-max-duration-empty-texts", PIM_VERB_ACTIVATE, &r );
	r.pr_fields = PIM_F_DURATION;
	r.pr_duration = 128;	/* INTEGER needs a leading 0x00 */
	put_request( "activate-duration-128", PIM_VERB_ACTIVATE, &r );

	base( &r );
	put_request( "deactivate-minimal", PIM_VERB_DEACTIVATE, &r );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_ID;
	r.pr_principal = bv( "uid=demo,ou=people,dc=example,dc=com" );
	r.pr_id = bv( "5f0c6a52-7a4e-4c55-9a63-1b9d0ab3e6c1" );
	put_request( "deactivate-full", PIM_VERB_DEACTIVATE, &r );

	base( &r );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_KIND;
	r.pr_principal = bv( "uid=demo,ou=people,dc=example,dc=com" );
	put_request( "assign-eligible-minimal", PIM_VERB_ASSIGN, &r );
	r.pr_fields |= PIM_F_PERMANENT | PIM_F_JUSTIFICATION;
	r.pr_permanent = 1;
	r.pr_justification = bv( "standing duty" );
	put_request( "assign-eligible-permanent", PIM_VERB_ASSIGN, &r );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_DURATION | PIM_F_JUSTIFICATION |
		PIM_F_START | PIM_F_END | PIM_F_KIND;
	r.pr_kind = PIM_KIND_ACTIVE;
	r.pr_duration = 3600;
	r.pr_start = T_2024;
	r.pr_end = T_2025;
	put_request( "assign-active-full", PIM_VERB_ASSIGN, &r );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_KIND | PIM_F_PERMANENT;
	r.pr_permanent = 0;
	put_request( "assign-permanent-false", PIM_VERB_ASSIGN, &r );

	base( &r );
	r.pr_fields = PIM_F_PRINCIPAL;
	r.pr_principal = bv( "uid=demo,ou=people,dc=example,dc=com" );
	put_request( "remove-minimal", PIM_VERB_REMOVE, &r );
	r.pr_fields |= PIM_F_KIND;
	r.pr_kind = PIM_KIND_ACTIVE;
	put_request( "remove-active", PIM_VERB_REMOVE, &r );

	base( &r );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_ID | PIM_F_DURATION |
		PIM_F_JUSTIFICATION | PIM_F_END | PIM_F_OTP;
	r.pr_principal = bv( "uid=demo,ou=people,dc=example,dc=com" );
	r.pr_id = bv( "5f0c6a52-7a4e-4c55-9a63-1b9d0ab3e6c1" );
	r.pr_duration = 1800;
	r.pr_justification = bv( "still migrating" );
	r.pr_end = T_2025;
	r.pr_otp = bv( "123456" );
	put_request( "extend-full", PIM_VERB_EXTEND, &r );
	r.pr_fields = PIM_F_ID;
	put_request( "cancel-id", PIM_VERB_CANCEL, &r );
	r.pr_fields = PIM_F_ID | PIM_F_JUSTIFICATION;
	r.pr_justification = bv( "looks right" );
	put_request( "approve-id-reason", PIM_VERB_APPROVE, &r );
	r.pr_justification = bv( "" );
	put_request( "deny-id-empty-reason", PIM_VERB_DENY, &r );

	base( &r );
	r.pr_fields = PIM_F_DURATION | PIM_F_OTP;
	r.pr_duration = 3600;
	r.pr_otp = bv( "1234567890123456" );	/* the longest */
	put_request( "activate-otp-16", PIM_VERB_ACTIVATE, &r );

	/* The longest DN the decoder takes (long-form length 0x82), and
	 * one byte more, by hand: the encoder would refuse it. */
	memset( dn, 'a', PIM_MAX_DN );
	dn[PIM_MAX_DN] = '\0';
	base( &r );
	r.pr_role = bv( dn );
	put_request( "activate-role-4096", PIM_VERB_ACTIVATE, &r );
	put_long_role( "bad-role-4097", PIM_MAX_DN + 1 );
}

static void
valid_responses( void )
{
	pim_response s;

	memset( &s, 0, sizeof( s ) );
	put_response( "empty", &s );
	s.ps_fields = PIM_RF_ID | PIM_RF_START | PIM_RF_END | PIM_RF_STATE |
		PIM_RF_COUNT;
	s.ps_id = bv( "5f0c6a52-7a4e-4c55-9a63-1b9d0ab3e6c1" );
	s.ps_start = T_2024;
	s.ps_end = T_2025;
	s.ps_state = bv( "active" );
	s.ps_count = 2;
	put_response( "full", &s );
	s.ps_fields = PIM_RF_COUNT;
	s.ps_count = INT_MAX;
	put_response( "count-max", &s );
	s.ps_count = 0;
	put_response( "count-zero", &s );
	s.ps_fields = PIM_RF_STATE | PIM_RF_END;
	s.ps_state = bv( "deactivated" );
	put_response( "end-state", &s );
}

/* ------------------------------------------------------------------ */
/* Malformed BER, by hand: one flaw each */

#define ROLE	"\x04\x0b" "cn=r,dc=ex" "\x65"	/* an 11-byte DN */
#define PRINC	"\x80\x06" "uid=du"

struct raw_seed {
	const char	*rs_name;
	const char	*rs_bytes;
	size_t		rs_len;
};
#define RAW( name, bytes )	{ name, bytes, sizeof( bytes ) - 1 }

/* Whole values, for flaws in the outer SEQUENCE itself. */
static const struct raw_seed raw_request_values[] = {
	RAW( "bad-empty", "" ),
	RAW( "bad-not-sequence", "\x31\x0d" ROLE ),
	RAW( "bad-truncated", "\x30\x0d" "\x04\x0b" "cn=r" ),
	RAW( "bad-trailing", "\x30\x0d" ROLE "\x00" ),
	RAW( "bad-indefinite", "\x30\x80" ROLE "\x00\x00" ),
	RAW( "bad-huge-length", "\x30\x84\xff\xff\xff\xff" ROLE ),
	RAW( "bad-length-past-end", "\x30\x0d\x04\x7f" "cn=r,dc=ex" "\x65" ),
	RAW( "ber-long-lengths", "\x30\x81\x18" "\x04\x81\x0b" "cn=r,dc=ex"
		"\x65" "\x80\x82\x00\x06" "uid=du" ),
};

/* SEQUENCE contents: the generator adds the SEQUENCE around them. */
static const struct raw_seed raw_request_bodies[] = {
	RAW( "bad-seq-empty", "" ),
	RAW( "bad-no-role", PRINC ),
	RAW( "bad-role-empty", "\x04\x00" ),
	RAW( "bad-role-nul", "\x04\x03" "a\x00" "b" ),
	RAW( "bad-role-constructed", "\x24\x0b" "cn=r,dc=ex" "\x65" ),
	RAW( "bad-unknown-tag", ROLE "\x8b\x01\x00" ),
	RAW( "bad-constructed-field", ROLE "\xa0\x06" "uid=du" ),
	RAW( "bad-high-tag", ROLE "\x9f\x00\x06" "uid=du" ),
	RAW( "bad-order", ROLE "\x82\x01\x3c" PRINC ),
	RAW( "bad-twice", ROLE PRINC PRINC ),
	RAW( "assign-principal-kind", ROLE PRINC "\x87\x01\x01" ),
	RAW( "bad-kind-2", ROLE PRINC "\x87\x01\x02" ),
	RAW( "bad-kind-empty", ROLE PRINC "\x87\x00" ),
	RAW( "ber-boolean-01", ROLE PRINC "\x87\x01\x00" "\x88\x01\x01" ),
	RAW( "bad-boolean-long", ROLE PRINC "\x87\x01\x00" "\x88\x02\x00\xff" ),
	RAW( "bad-end-and-permanent", ROLE PRINC "\x86\x0f" "20250101000000Z"
		"\x87\x01\x00" "\x88\x01\xff" ),
	RAW( "bad-duration-zero", ROLE "\x82\x01\x00" ),
	RAW( "bad-duration-negative", ROLE "\x82\x01\xff" ),
	RAW( "bad-duration-nonminimal", ROLE "\x82\x02\x00\x3c" ),
	RAW( "bad-duration-5-bytes", ROLE "\x82\x05\x00\xff\xff\xff\xff" ),
	RAW( "bad-duration-over-max", ROLE "\x82\x04\x7f\xff\xff\xff" ),
	RAW( "time-fraction", ROLE "\x85\x13" "20240101120000.123Z" ),
	RAW( "time-minutes", ROLE "\x85\x0d" "202401011200Z" ),
	RAW( "bad-time-feb30", ROLE "\x85\x0f" "20240230000000Z" ),
	RAW( "bad-time-offset", ROLE "\x85\x13" "20240101000000+0100" ),
	RAW( "bad-ticket-nul", ROLE "\x84\x04" "CH\x00" "G" ),
	RAW( "bad-id-empty", ROLE "\x81\x00" ),
	RAW( "bad-otp-17", ROLE "\x8b\x11" "12345678901234567" ),
	RAW( "bad-otp-empty", ROLE "\x8b\x00" ),
	RAW( "bad-state-in-request", ROLE "\x81\x01" "x" "\x89\x06" "active" ),
	RAW( "bad-tag-12", ROLE "\x8c\x01" "x" ),
};

static const struct raw_seed raw_response_values[] = {
	RAW( "bad-empty", "" ),
	RAW( "bad-trailing", "\x30\x00\x00" ),
};

static const struct raw_seed raw_response_bodies[] = {
	RAW( "bad-request-field", PRINC ),
	RAW( "bad-role-element", ROLE ),
	RAW( "bad-count-negative", "\x8a\x01\xff" ),
	RAW( "bad-count-5-bytes", "\x8a\x05\x00\x80\x00\x00\x00" ),
	RAW( "count-4-bytes", "\x8a\x04\x7f\xff\xff\xff" ),
	RAW( "bad-state-empty", "\x89\x00" ),
	RAW( "bad-state-33", "\x89\x21" "123456789012345678901234567890123" ),
	RAW( "bad-order", "\x89\x06" "active" "\x8a\x01\x01" "\x81\x01" "x" ),
	RAW( "bad-twice", "\x81\x01" "x" "\x81\x01" "y" ),
};

#define NELEMS( a )	( sizeof( a ) / sizeof( ( a )[0] ) )

/* Write SEQUENCE { body }, with a short or long-form length as needed. */
static void
put_wrapped( const char *target, const struct raw_seed *rs )
{
	unsigned char buf[512];
	size_t n = 0;

	if ( rs->rs_len + 3 > sizeof( buf ) ) {
		fprintf( stderr, "make_corpus: %s: too long\n", rs->rs_name );
		exit( 1 );
	}
	buf[n++] = 0x30;
	if ( rs->rs_len >= 0x80 ) {
		buf[n++] = 0x81;
	}
	buf[n++] = (unsigned char)rs->rs_len;
	memcpy( buf + n, rs->rs_bytes, rs->rs_len );
	put( target, rs->rs_name, buf, n + rs->rs_len );
}

static void
raw_seeds( void )
{
	size_t i;

	for ( i = 0; i < NELEMS( raw_request_values ); i++ ) {
		put( "fuzz_request", raw_request_values[i].rs_name,
			raw_request_values[i].rs_bytes,
			raw_request_values[i].rs_len );
	}
	for ( i = 0; i < NELEMS( raw_request_bodies ); i++ ) {
		put_wrapped( "fuzz_request", &raw_request_bodies[i] );
	}
	for ( i = 0; i < NELEMS( raw_response_values ); i++ ) {
		put( "fuzz_response", raw_response_values[i].rs_name,
			raw_response_values[i].rs_bytes,
			raw_response_values[i].rs_len );
	}
	for ( i = 0; i < NELEMS( raw_response_bodies ); i++ ) {
		put_wrapped( "fuzz_response", &raw_response_bodies[i] );
	}
}

/* ------------------------------------------------------------------ */
/* Text seeds */

static const char *const time_seeds[][2] = {
	{ "dur-seconds", "90" },
	{ "dur-hours", "2h" },
	{ "dur-all-units", "1d2h3m4s" },
	{ "dur-upper", "1H30M" },
	{ "dur-zero", "0s" },
	{ "dur-max", "3660d" },
	{ "dur-over-max", "316224001" },
	{ "dur-bad-order", "30m1h" },
	{ "dur-bad-repeat", "1h1h" },
	{ "dur-bad-trailing-number", "1h30" },
	{ "dur-bad-sign", "-5m" },
	{ "gt-canonical", "20240101120000Z" },
	{ "gt-minutes", "202401011200Z" },
	{ "gt-fraction", "20240101120000.5Z" },
	{ "gt-leap-day", "20240229235959Z" },
	{ "gt-bad-not-leap", "20230229000000Z" },
	{ "gt-bad-century", "21000229000000Z" },
	{ "gt-leap-400", "20000229000000Z" },
	{ "gt-last", "99991231235959Z" },
	{ "gt-epoch", "19700101000000Z" },
	{ "gt-bad-before-epoch", "19691231235959Z" },
	{ "gt-bad-second-60", "20241231235960Z" },
	{ "gt-bad-lower-z", "20240101120000z" },
	{ "gt-bad-comma", "20240101120000,5Z" },
	{ "gt-bad-empty-fraction", "20240101120000.Z" },
	{ "gt-bad-offset", "20240101120000+0000" },
	{ "ut-now", "now" },
	{ "ut-relative", "+1h30m" },
	{ "ut-bad-relative", "+" },
	{ "ut-iso", "2024-01-01T12:00:00Z" },
	{ "ut-iso-minutes-lower", "2024-01-01t12:00z" },
	{ "ut-bad-iso-space", "2024-01-01 12:00Z" },
};

/* A policy seed in fuzz_policy's format: the requested duration, then
 * "<'a' + attribute>=<value>" lines (pairs end at -1), then the
 * justification (NULL: none). */
static void
policy_seed( const char *name, const char *duration, const char *just, ... )
{
	char buf[1024];
	const char *v;
	size_t n;
	va_list ap;
	int i;

	n = (size_t)snprintf( buf, sizeof( buf ), "%s", duration );
	va_start( ap, just );
	while ( ( i = va_arg( ap, int ) ) >= 0 ) {
		v = va_arg( ap, const char * );
		n += (size_t)snprintf( buf + n, sizeof( buf ) - n, "\n%c=%s",
			'a' + i, v );
	}
	va_end( ap );
	if ( just != NULL ) {
		n += (size_t)snprintf( buf + n, sizeof( buf ) - n, "\n%s", just );
	}
	if ( n >= sizeof( buf ) ) {
		fprintf( stderr, "make_corpus: %s: too long\n", name );
		exit( 1 );
	}
	put( "fuzz_policy", name, buf, n );
}

static void
policy_seeds( void )
{
	policy_seed( "defaults", "2h", "onboarding", -1 );
	policy_seed( "defaults-none", "2h", NULL, -1 );
	policy_seed( "all-set", "1h", "onboarding the new hires",
		PIM_POLICY_MAX, "8h", PIM_POLICY_MIN, "15m",
		PIM_POLICY_JREQ, "TRUE", PIM_POLICY_JMAX, "500",
		PIM_POLICY_TICKET, "TRUE", PIM_POLICY_MFA, "FALSE",
		PIM_POLICY_APPROVAL, "true", PIM_POLICY_APPROVALS, "2",
		PIM_POLICY_LIFETIME, "24h", PIM_POLICY_ELIG_MAX, "365d",
		PIM_POLICY_ELIG_PERM, "FALSE", PIM_POLICY_ACT_MAX, "30d",
		PIM_POLICY_ACT_PERM, "TRUE", -1 );
	policy_seed( "not-required-empty", "0", "",
		PIM_POLICY_MAX, "4h", PIM_POLICY_JREQ, "false", -1 );
	policy_seed( "required-empty", "30m", "", PIM_POLICY_JREQ, "TRUE", -1 );
	policy_seed( "ticket-required-none", "30m", NULL,
		PIM_POLICY_TICKET, "TRUE", -1 );
	policy_seed( "too-long", "1h", "six c\xc3\xa9rs",
		PIM_POLICY_JMAX, "5", -1 );
	policy_seed( "utf8-mixed", "1h",
		"\xe2\x82\xac \xf0\x9f\x94\x91 \xed\x9f\xbf \xef\xbf\xbd", -1 );
	policy_seed( "utf8-bad-surrogate", "1h", "\xed\xa0\x80", -1 );
	policy_seed( "utf8-bad-overlong", "1h", "\xc0\xaf \xe0\x80\xaf", -1 );
	policy_seed( "utf8-bad-above-max", "1h", "\xf4\x90\x80\x80", -1 );
	policy_seed( "utf8-bad-truncated", "1h", "abc\xe2\x82", -1 );
	policy_seed( "control-c1", "1h", "ab\xc2\x85", -1 );
	policy_seed( "control-tab", "1h", "a\tb", -1 );
	policy_seed( "control-del", "1h", "a\x7f", -1 );
	policy_seed( "negative", "-1h", "ok", -1 );
	policy_seed( "over-max", "9h", "ok", -1 );
	policy_seed( "under-min", "5m", "ok", PIM_POLICY_MIN, "15m", -1 );
	policy_seed( "bad-max-syntax", "1h", "ok", PIM_POLICY_MAX, "8 h", -1 );
	policy_seed( "bad-min-syntax", "1h", "ok",
		PIM_POLICY_MIN, "15\xc2\xa0m", -1 );
	policy_seed( "bad-boolean", "1h", "ok", PIM_POLICY_JREQ, "yes", -1 );
	policy_seed( "bad-count-zero-lead", "1h", "ok", PIM_POLICY_JMAX, "0500", -1 );
	policy_seed( "bad-count-sign", "1h", "ok", PIM_POLICY_APPROVALS, "+5", -1 );
	policy_seed( "bad-two-errors", "1h", "ok", PIM_POLICY_MIN, "x",
		PIM_POLICY_ACT_PERM, "maybe", -1 );
	policy_seed( "incoherent-min-over-max", "1h", "ok",
		PIM_POLICY_MAX, "1h", PIM_POLICY_MIN, "2h", -1 );
	policy_seed( "incoherent-max-zero", "0", "ok", PIM_POLICY_MAX, "0s", -1 );
	policy_seed( "incoherent-jmax-zero", "1h", "ok", PIM_POLICY_JMAX, "0", -1 );
	policy_seed( "incoherent-jmax-big", "1h", "ok", PIM_POLICY_JMAX, "8193", -1 );
	policy_seed( "incoherent-approvals", "1h", "ok",
		PIM_POLICY_APPROVALS, "33", -1 );
	policy_seed( "incoherent-lifetime", "1h", "ok",
		PIM_POLICY_LIFETIME, "0", -1 );
	policy_seed( "incoherent-active-max", "1h", "ok",
		PIM_POLICY_ACT_MAX, "0s", -1 );
	policy_seed( "jmax-limit", "1h", "ok", PIM_POLICY_JMAX, "8192", -1 );
	policy_seed( "max-ten-years", "3660d", "x",
		PIM_POLICY_MAX, "3660d", PIM_POLICY_MIN, "3660d",
		PIM_POLICY_JREQ, "FALSE", PIM_POLICY_JMAX, "1", -1 );
	policy_seed( "permanent-refused", "0", "ok",
		PIM_POLICY_ELIG_PERM, "FALSE", PIM_POLICY_ACT_PERM, "FALSE", -1 );
	policy_seed( "assignment-too-long", "31d", "ok",
		PIM_POLICY_MAX, "3660d", PIM_POLICY_ELIG_MAX, "30d",
		PIM_POLICY_ACT_MAX, "30d", -1 );
}

static void
text_seeds( void )
{
	size_t i;

	for ( i = 0; i < NELEMS( time_seeds ); i++ ) {
		put_str( "fuzz_time", time_seeds[i][0], time_seeds[i][1] );
	}
	/* With a NUL inside: the GeneralizedTime parsers take a length. */
	put( "fuzz_time", "ut-nul-inside", "now\0junk", 8 );
	policy_seeds();
}

int
main( int argc, char **argv )
{
	if ( argc != 2 ) {
		fprintf( stderr, "usage: make_corpus DIR\n" );
		return 2;
	}
	root = argv[1];
	if ( mkdir( root, 0755 ) != 0 && errno != EEXIST ) {
		die( "cannot create", root );
	}
	valid_requests();
	recipes();
	valid_responses();
	raw_seeds();
	text_seeds();
	return 0;
}
