/* pimctl_notify_send.c - delivery, with libcurl.
 *
 * Mail: one SMTP transaction per event, every recipient in it
 * (smtp:// with optional STARTTLS, or smtps://), the message as
 * nt_mail_message() made it.  Webhooks: an HTTP POST of the JSON body
 * to each URL; any 2xx answer is delivered.  libcurl speaks both
 * protocols and TLS (GnuTLS, as slapd), so none of that is ours.  One
 * attempt each: the caller retries.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "pimctl_notify.h"

int
nt_send_init( void )
{
	return curl_global_init( CURL_GLOBAL_DEFAULT ) == CURLE_OK ? 0 : -1;
}

void
nt_send_done( void )
{
	curl_global_cleanup();
}

/* The upload of the message, from memory. */
typedef struct upload {
	const char	*u_data;
	size_t		u_left;
} upload;

static size_t
read_upload( char *buf, size_t size, size_t nitems, void *arg )
{
	upload *u = arg;
	size_t n = size * nitems;

	if ( n > u->u_left ) {
		n = u->u_left;
	}
	memcpy( buf, u->u_data, n );
	u->u_data += n;
	u->u_left -= n;
	return n;
}

/* A webhook's answer is not ours to print. */
static size_t
discard( char *buf, size_t size, size_t nitems, void *arg )
{
	return size * nitems;
}

static void
common_options( CURL *c, const nt_conf *nc, char *errbuf )
{
	curl_easy_setopt( c, CURLOPT_NOSIGNAL, 1L );
	curl_easy_setopt( c, CURLOPT_ERRORBUFFER, errbuf );
	curl_easy_setopt( c, CURLOPT_TIMEOUT_MS, (long)( nc->nc_timeout * 1000 ) );
	curl_easy_setopt( c, CURLOPT_CONNECTTIMEOUT_MS,
		(long)( nc->nc_timeout * 1000 ) );
}

/* The outcome of a transfer, in err. */
static int
outcome( CURLcode cc, const char *errbuf, char *err, size_t errsize )
{
	if ( cc == CURLE_OK ) {
		return 0;
	}
	snprintf( err, errsize, "%s", errbuf[0] ? errbuf : curl_easy_strerror( cc ) );
	return -1;
}

int
nt_send_mail( const nt_conf *nc, const nt_strs *to, const char *msg,
	char *err, size_t errsize )
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL, *l;
	upload u = { msg, strlen( msg ) };
	CURL *c = curl_easy_init();
	CURLcode cc = CURLE_OUT_OF_MEMORY;
	int i;

	if ( c == NULL ) {
		goto done;
	}
	for ( i = 0; i < to->s_n; i++ ) {
		if ( ( l = curl_slist_append( rcpt, to->s_v[i] ) ) == NULL ) {
			goto done;
		}
		rcpt = l;
	}
	common_options( c, nc, errbuf );
	curl_easy_setopt( c, CURLOPT_URL, nc->nc_smtp_url );
	curl_easy_setopt( c, CURLOPT_MAIL_FROM, nc->nc_mail_from );
	curl_easy_setopt( c, CURLOPT_MAIL_RCPT, rcpt );
	if ( nc->nc_smtp_starttls ) {
		/* required: a server that does not offer it fails */
		curl_easy_setopt( c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL );
	}
	if ( nc->nc_smtp_user ) {
		curl_easy_setopt( c, CURLOPT_USERNAME, nc->nc_smtp_user );
		curl_easy_setopt( c, CURLOPT_PASSWORD,
			nc->nc_smtp_password ? nc->nc_smtp_password : "" );
	}
	curl_easy_setopt( c, CURLOPT_READFUNCTION, read_upload );
	curl_easy_setopt( c, CURLOPT_READDATA, &u );
	curl_easy_setopt( c, CURLOPT_UPLOAD, 1L );
	cc = curl_easy_perform( c );
done:
	curl_slist_free_all( rcpt );
	if ( c ) {
		curl_easy_cleanup( c );
	}
	return outcome( cc, errbuf, err, errsize );
}

int
nt_send_webhook( const nt_conf *nc, const char *url, const char *json,
	char *err, size_t errsize )
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL;
	CURL *c = curl_easy_init();
	CURLcode cc = CURLE_OUT_OF_MEMORY;
	long status = 0;

	if ( c == NULL ) {
		goto done;
	}
	hdrs = curl_slist_append( NULL, "Content-Type: application/json" );
	if ( hdrs == NULL ) {
		goto done;
	}
	common_options( c, nc, errbuf );
	curl_easy_setopt( c, CURLOPT_URL, url );
	curl_easy_setopt( c, CURLOPT_HTTPHEADER, hdrs );
	curl_easy_setopt( c, CURLOPT_POSTFIELDS, json );
	curl_easy_setopt( c, CURLOPT_WRITEFUNCTION, discard );
	curl_easy_setopt( c, CURLOPT_USERAGENT, "pimctl-notify/" PACKAGE_VERSION );
	cc = curl_easy_perform( c );
	if ( cc == CURLE_OK ) {
		curl_easy_getinfo( c, CURLINFO_RESPONSE_CODE, &status );
		if ( status < 200 || status > 299 ) {
			snprintf( errbuf, sizeof( errbuf ), "HTTP status %ld", status );
			cc = CURLE_HTTP_RETURNED_ERROR;
		}
	}
done:
	curl_slist_free_all( hdrs );
	if ( c ) {
		curl_easy_cleanup( c );
	}
	return outcome( cc, errbuf, err, errsize );
}
