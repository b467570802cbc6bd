/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "cons_api.h"
#include "cons_http.h"
#include "util_file.h"

#define COOKIE_NAME "__Host-cordon_session"
#define PATH_MAX_LEN 256

/* No inline script or style anywhere; data: only for Chart.js's canvas. */
static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; "
	"frame-ancestors 'none'; base-uri 'none'";

static void
add_security_headers(struct MHD_Response *resp, bool cacheable)
{
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "Strict-Transport-Security",
				"max-age=31536000");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
				"same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
				"same-origin");
	MHD_add_response_header(resp, "Cache-Control", cacheable ?
				"private, max-age=300" : "no-store");
}

int
cons_send_response(struct cons_req *r, unsigned int status,
		   struct MHD_Response *resp)
{
	enum MHD_Result rc;

	if (resp == NULL)
		return -1;
	/* Every answer carries them, one built by hand too. */
	if (MHD_get_response_header(resp, "Content-Security-Policy") == NULL)
		add_security_headers(resp, false);
	rc = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	if (status >= 100 && status < 600)
		__atomic_add_fetch(&r->srv->responses[status / 100], 1,
				   __ATOMIC_RELAXED);
	r->answered = true;
	return rc == MHD_YES ? 0 : -1;
}

int
cons_send_bytes(struct cons_req *r, unsigned int status, const char *type,
		const void *data, size_t len, bool cacheable,
		const char *set_cookie)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, (void *)data,
					       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return -1;
	MHD_add_response_header(resp, "Content-Type", type);
	add_security_headers(resp, cacheable);
	if (set_cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", set_cookie);
	return cons_send_response(r, status, resp);
}

int
cons_send_download(struct cons_req *r, const char *type, const void *data,
		   size_t len, const char *filename)
{
	struct MHD_Response *resp;
	char cd[128];

	resp = MHD_create_response_from_buffer(len, (void *)data,
					       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return -1;
	snprintf(cd, sizeof(cd), "attachment; filename=\"%.80s\"", filename);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Disposition", cd);
	return cons_send_response(r, 200, resp);
}

int
cons_send_json(struct cons_req *r, unsigned int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	int rc;

	json_decref(body);
	if (s == NULL)
		return cons_send_bytes(r, 500, "application/json",
				       "{\"error\":\"out of memory\"}", 25,
				       false, NULL);
	rc = cons_send_bytes(r, status, "application/json", s, strlen(s),
			     false, NULL);
	free(s);
	return rc;
}

int
cons_send_error(struct cons_req *r, unsigned int status, const char *fmt,
		...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->srv->conf.verbose)
		fprintf(stderr, "cordon-console: %s %s: %u %s\n", r->method,
			r->path, status, msg);
	return cons_send_json(r, status, json_pack("{ss}", "error", msg));
}

int
cons_send_redirect(struct cons_req *r, unsigned int status,
		   const char *location)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, (void *)"",
					       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return -1;
	MHD_add_response_header(resp, "Location", location);
	return cons_send_response(r, status, resp);
}

const char *
cons_arg(struct cons_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *
cons_header(struct cons_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct args_check {
	const char *const *names;
	const char *bad;
	unsigned int n;
};

static enum MHD_Result
args_cb(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	struct args_check *c = cls;

	(void)kind;
	(void)value;
	c->n++;
	for (size_t i = 0; c->names[i] != NULL; i++)
		if (strcmp(c->names[i], key) == 0)
			return MHD_YES;
	c->bad = key;
	return MHD_NO;
}

bool
cons_args_only(struct cons_req *r, const char *const *names)
{
	struct args_check c = { .names = names };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, args_cb, &c);
	if (c.bad != NULL) {
		cons_send_error(r, 400, "unknown query parameter '%.40s'",
				c.bad);
		return false;
	}
	return true;
}

/* Printable ASCII, not too long, no dot segments. */
static bool
path_ok(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n > PATH_MAX_LEN || p[0] != '/' || strstr(p, "..") ||
	    strstr(p, "//"))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
			return false;
	return true;
}

/* The POST came from our own pages: an Origin, if any, is this host. */
static bool
same_origin(struct cons_req *r)
{
	const char *origin = cons_header(r, "Origin");
	const char *host = cons_header(r, "Host");
	char want[320];

	if (origin == NULL)
		return true;	/* not a browser's cross-site request */
	if (host == NULL)
		return false;
	snprintf(want, sizeof(want), "https://%s", host);
	return strcmp(origin, want) == 0;
}

/* Is the body JSON? If not, the 415 is sent. */
static bool
json_body(struct cons_req *r)
{
	const char *ct = cons_header(r, "Content-Type");
	size_t n = strlen("application/json");

	if (ct != NULL && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';'))
		return true;
	cons_send_error(r, 415, "the body must be application/json");
	return false;
}

static bool
bearer_ok(struct cons_req *r)
{
	const char *h = cons_header(r, "Authorization");

	return r->srv->metrics_token[0] != '\0' && h != NULL &&
		strncmp(h, "Bearer ", 7) == 0 &&
		cons_token_equal(h + 7, r->srv->metrics_token);
}

static void
find_session(struct cons_req *r)
{
	const char *id = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						     COOKIE_NAME);

	r->has_session = id != NULL &&
		cons_auth_session(&r->srv->auth, id, util_time_now_ms(),
				  &r->sess);
}

static void
client_addr(struct cons_req *r)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(r->addr, sizeof(r->addr), "?");
	ci = MHD_get_connection_info(r->conn,
				     MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  r->addr, sizeof(r->addr));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  r->addr, sizeof(r->addr));
}

static void
dispatch(struct cons_req *r)
{
	const struct cons_route *rt;
	bool known = false, post;

	if (!path_ok(r->path)) {
		cons_send_error(r, 400, "bad path");
		return;
	}
	if (strcmp(r->method, "HEAD") == 0)
		rt = cons_api_find("GET", r->path, &known);
	else
		rt = cons_api_find(r->method, r->path, &known);
	if (rt == NULL) {
		if (known)
			cons_send_error(r, 405, "method %s not allowed here",
					r->method);
		else
			cons_send_error(r, 404, "no such page");
		return;
	}
	post = strcmp(r->method, "POST") == 0;
	if (r->body_too_large) {
		cons_send_error(r, 413, "body larger than %u bytes",
				CONS_BODY_MAX);
		return;
	}
	find_session(r);
	switch (rt->access) {
	case CONS_PUBLIC:
		break;
	case CONS_PAGE:
		if (!r->has_session) {
			cons_send_redirect(r, 303, "/login");
			return;
		}
		break;
	case CONS_METRICS:
		if (!r->has_session && !bearer_ok(r)) {
			struct MHD_Response *resp;

			resp = MHD_create_response_from_buffer(
				13, (void *)"unauthorized\n",
				MHD_RESPMEM_PERSISTENT);
			if (resp == NULL)
				return;
			MHD_add_response_header(resp, "WWW-Authenticate",
						"Bearer realm=\"cordon\"");
			MHD_add_response_header(resp, "Content-Type",
						"text/plain");
			cons_send_response(r, 401, resp);
			return;
		}
		break;
	case CONS_LOGIN:
		if (!same_origin(r)) {
			__atomic_add_fetch(&r->srv->csrf_refused, 1,
					   __ATOMIC_RELAXED);
			cons_send_error(r, 403, "cross-origin request refused");
			return;
		}
		if (!json_body(r))
			return;
		break;
	case CONS_API:
	case CONS_ADMIN:
		if (!r->has_session) {
			cons_send_error(r, 401, "log in first");
			return;
		}
		if (rt->access == CONS_ADMIN &&
		    r->sess.role != CONS_ROLE_ADMIN) {
			char actor[64];

			__atomic_add_fetch(&r->srv->role_refused, 1,
					   __ATOMIC_RELAXED);
			snprintf(actor, sizeof(actor), "console:%s",
				 r->sess.user);
			cons_audit(r, actor, "forbidden", NULL,
				   json_pack("{ss}", "path", r->path));
			cons_send_error(r, 403, "the %s role may only look",
					cons_role_name(r->sess.role));
			return;
		}
		break;
	}
	if (post && rt->access != CONS_LOGIN) {
		const char *tok = cons_header(r, "X-CSRF-Token");

		/* Session-bound token, same origin, JSON only: a form on
		 * another site can do none of the three. */
		if (!r->has_session || tok == NULL ||
		    !cons_token_equal(tok, r->sess.csrf) || !same_origin(r)) {
			char actor[64];

			__atomic_add_fetch(&r->srv->csrf_refused, 1,
					   __ATOMIC_RELAXED);
			snprintf(actor, sizeof(actor), "console:%s",
				 r->has_session ? r->sess.user : "-");
			cons_audit(r, actor, "csrf_refused", NULL,
				   json_pack("{ss}", "path", r->path));
			cons_send_error(r, 403, "missing or wrong CSRF token");
			return;
		}
		if (!json_body(r))
			return;
	}
	rt->fn(r);
	if (!r->answered)
		cons_send_error(r, 500, "no answer");
}

static enum MHD_Result
https_handler(void *cls, struct MHD_Connection *conn, const char *url,
	      const char *method, const char *version,
	      const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct cons_server *s = cls;
	struct cons_req *r = *con_cls;

	(void)version;
	if (r == NULL) {
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			return MHD_NO;
		r->srv = s;
		r->conn = conn;
		r->method = method;
		r->path = url;
		client_addr(r);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!r->body_too_large &&
		    r->body_len + *upload_size <= CONS_BODY_MAX) {
			char *b = realloc(r->body, r->body_len + *upload_size +
					  1);

			if (b == NULL)
				return MHD_NO;
			memcpy(b + r->body_len, upload_data, *upload_size);
			r->body = b;
			r->body_len += *upload_size;
			r->body[r->body_len] = '\0';
		} else {
			r->body_too_large = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "POST") != 0) {
		cons_send_error(r, 405, "method not allowed");
		return MHD_YES;
	}
	dispatch(r);
	return r->answered ? MHD_YES : MHD_NO;
}

static void
request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct cons_req *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	free(r->body);
	free(r);
	*con_cls = NULL;
}

/* Plain HTTP: everything goes to the same path over HTTPS. */
static enum MHD_Result
redirect_handler(void *cls, struct MHD_Connection *conn, const char *url,
		 const char *method, const char *version,
		 const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct cons_server *s = cls;
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       "Host");
	struct MHD_Response *resp;
	char h[256], loc[700];
	enum MHD_Result rc;
	bool ok = host != NULL && strlen(host) < sizeof(h);
	unsigned int status = 308;

	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = s;
		return MHD_YES;
	}
	*upload_size = 0;
	if (ok) {
		char *colon;

		strcpy(h, host);
		/* Keep the host, drop its port: [v6]:p, name:p, a.b.c.d:p */
		colon = h[0] == '[' ? strchr(h, ']') : h;
		colon = colon != NULL ? strchr(colon, ':') : NULL;
		if (colon != NULL)
			*colon = '\0';
		for (const char *p = h; *p && ok; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				(*p >= '0' && *p <= '9') || *p == '.' ||
				*p == '-' || *p == ':' || *p == '[' || *p == ']';
		ok = ok && h[0] != '\0' && path_ok(url);
	}
	if (ok) {
		snprintf(loc, sizeof(loc), "https://%s:%u%s", h, s->https_port,
			 url);
		resp = MHD_create_response_from_buffer(0, (void *)"",
						       MHD_RESPMEM_PERSISTENT);
	} else {
		status = 400;
		resp = MHD_create_response_from_buffer(
			30, (void *)"use HTTPS; bad Host or path.\n",
			MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL)
		return MHD_NO;
	if (status == 308)
		MHD_add_response_header(resp, "Location", loc);
	MHD_add_response_header(resp, "Content-Type", "text/plain");
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* "ADDR:PORT", "[V6]:PORT" or ":PORT" (all of IPv4). */
static int
parse_listen(const char *spec, struct sockaddr_storage *ss, char *err,
	     size_t errlen)
{
	char host[128];
	const char *colon;
	unsigned long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	colon = strrchr(spec, ':');
	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host))
		goto bad;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || colon[1] == '\0' || port > 65535)
		goto bad;
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']')
			goto bad;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			goto bad;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		if (host[0] == '\0')
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			goto bad;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
	}
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not ADDR:PORT ([V6]:PORT for IPv6)",
		 spec);
	return -EINVAL;
}

static unsigned int
daemon_flags(const struct sockaddr_storage *ss)
{
	return MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_POLL | MHD_USE_ERROR_LOG |
		(ss->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
}

static uint16_t
daemon_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di;

	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	return di != NULL ? di->port : 0;
}

static void __attribute__((format(printf, 2, 0)))
mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct cons_server *s = cls;

	if (!s->conf.verbose)
		return;
	fputs("cordon-console: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int
cons_http_start(struct cons_server *s, char *err, size_t errlen)
{
	struct sockaddr_storage ss, rs;
	char *cert = NULL, *key = NULL, ferr[PATH_MAX + 64];
	size_t len;
	int rc;

	rc = parse_listen(s->conf.listen, &ss, err, errlen);
	if (rc < 0)
		return rc;
	if (s->conf.redirect[0] != '\0') {
		rc = parse_listen(s->conf.redirect, &rs, err, errlen);
		if (rc < 0)
			return rc;
	}
	/* The certificate and key are read once, before serving. */
	rc = util_file_read(s->conf.cert, 1u << 20, &cert, &len, ferr,
			   sizeof(ferr));
	if (rc == 0)
		rc = util_file_read(s->conf.key[0] ? s->conf.key : s->conf.cert,
				   1u << 20, &key, &len, ferr, sizeof(ferr));
	if (rc < 0) {
		snprintf(err, errlen, "%s", ferr);
		goto out;
	}
	if (strstr(cert, "-----BEGIN CERTIFICATE-----") == NULL ||
	    strstr(key, "PRIVATE KEY-----") == NULL) {
		snprintf(err, errlen, "%s: no PEM certificate and key "
			 "(scripts/make-certs.sh --console makes them)",
			 s->conf.key[0] ? s->conf.key : s->conf.cert);
		rc = -EINVAL;
		goto out;
	}
	s->https = MHD_start_daemon(daemon_flags(&ss) | MHD_USE_TLS, 0, NULL,
		NULL, https_handler, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_HTTPS_MEM_CERT, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key,
		MHD_OPTION_HTTPS_PRIORITIES,
		"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE",
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)24,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128u << 10),
		MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
		MHD_OPTION_END);
	if (s->https == NULL) {
		snprintf(err, errlen, "cannot serve HTTPS on %s (address in "
			 "use, or the certificate and key do not match)",
			 s->conf.listen);
		rc = -EADDRNOTAVAIL;
		goto out;
	}
	s->https_port = daemon_port(s->https);
	if (s->conf.redirect[0] != '\0') {
		s->redirector = MHD_start_daemon(daemon_flags(&rs), 0, NULL,
			NULL, redirect_handler, s,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&rs,
			MHD_OPTION_CONNECTION_LIMIT, (unsigned int)32,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
			MHD_OPTION_END);
		if (s->redirector == NULL) {
			snprintf(err, errlen, "cannot listen on %s",
				 s->conf.redirect);
			MHD_stop_daemon(s->https);
			s->https = NULL;
			rc = -EADDRNOTAVAIL;
			goto out;
		}
		s->redirect_port = daemon_port(s->redirector);
	}
	rc = 0;
out:
	/* libmicrohttpd may refer to them while it serves. */
	s->tls_cert = cert;
	s->tls_key = key;
	if (rc < 0)
		cons_http_stop(s);
	return rc;
}

void
cons_http_stop(struct cons_server *s)
{
	s->stopping = true;
	if (s->redirector != NULL)
		MHD_stop_daemon(s->redirector);
	if (s->https != NULL)
		MHD_stop_daemon(s->https);
	s->redirector = s->https = NULL;
	if (s->tls_key != NULL)
		OPENSSL_cleanse(s->tls_key, strlen(s->tls_key));
	free(s->tls_key);
	free(s->tls_cert);
	s->tls_key = s->tls_cert = NULL;
}
