/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The console's HTTP side, on libmicrohttpd (see README.md for why):
 * an HTTPS daemon with a thread per connection, and optionally a plain
 * HTTP one that only redirects to it. Every request goes through one
 * route table; a route says whether it needs a session and the admin role,
 * and every POST needs a session's CSRF token (X-CSRF-Token) and a JSON
 * body (Content-Type: application/json), except the login itself, which
 * is held to a same-origin check and the JSON body. Every answer carries
 * the same security headers (CSP without inline script, HSTS, nosniff,
 * frame-ancestors 'none', no referrer, no-store).
 */

#ifndef CORDON_CONS_HTTP_H
#define CORDON_CONS_HTTP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cons_auth.h"
#include "cons_client.h"
#include "cons_history.h"
#include "util_time.h"

#define CONS_BODY_MAX (64u << 10)
#define CONS_SSE_MAX 16

struct cons_conf {
	char listen[256];		/* ADDR:PORT of the HTTPS server */
	char redirect[256];		/* ADDR:PORT of the redirector, or "" */
	char cert[PATH_MAX];		/* PEM certificate (chain) */
	char key[PATH_MAX];		/* PEM key; "": in cert */
	char users[PATH_MAX];
	char ctl_url[PATH_MAX + 16];
	char metrics_token_file[PATH_MAX];
	char chartjs[PATH_MAX];
	uint32_t timeout_ms;		/* for cordond */
	uint32_t metrics_devices;	/* per-device series at most */
	uint32_t sample_ms;		/* device history sampling */
	unsigned int scrypt_log2n;
	bool verbose;
};

struct cons_server {
	struct cons_conf conf;
	struct MHD_Daemon *https;
	struct MHD_Daemon *redirector;
	uint16_t https_port;
	uint16_t redirect_port;
	struct cons_auth auth;
	struct cons_client cl;
	struct cons_history hist;
	char metrics_token[256];	/* "": sessions only */
	char *tls_cert;			/* PEM, kept while serving */
	char *tls_key;
	char *chartjs;			/* Chart.js from libjs-chart.js */
	size_t chartjs_len;
	volatile bool stopping;
	/* counters (atomic) */
	uint64_t responses[6];		/* by class: [2] 2xx ... [5] 5xx */
	uint64_t csrf_refused;
	uint64_t role_refused;
	uint64_t sse_streams;
	uint64_t sse_now;
};

struct cons_req {
	struct cons_server *srv;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	char addr[64];			/* client address, for throttling */
	char *body;
	size_t body_len;
	bool body_too_large;
	bool has_session;
	struct cons_session sess;
	bool answered;
};

int cons_http_start(struct cons_server *s, char *err, size_t errlen);
void cons_http_stop(struct cons_server *s);

/* --- answers (each returns 0, or -1 if the answer could not be queued) --- */
int cons_send_json(struct cons_req *r, unsigned int status, json_t *body);
int __attribute__((format(printf, 3, 4)))
cons_send_error(struct cons_req *r, unsigned int status, const char *fmt,
		...);
int cons_send_redirect(struct cons_req *r, unsigned int status,
		       const char *location);
int cons_send_bytes(struct cons_req *r, unsigned int status,
		    const char *type, const void *data, size_t len,
		    bool cacheable, const char *set_cookie);
/* A file to save (Content-Disposition: attachment), filename plain. */
int cons_send_download(struct cons_req *r, const char *type, const void *data,
		       size_t len, const char *filename);
/* An answer whose body a callback produces as it goes (server-sent
 * events), or any built by hand; see MHD_create_response_from_callback.
 * It gets the security headers (CSP, HSTS, nosniff, no-store, ...) that
 * it does not carry yet. */
struct MHD_Response;
int cons_send_response(struct cons_req *r, unsigned int status,
		       struct MHD_Response *resp);

/* A query argument, or NULL. */
const char *cons_arg(struct cons_req *r, const char *name);
/* 400 unless every query argument is one of names (NULL-terminated). */
bool cons_args_only(struct cons_req *r, const char *const *names);
/* A request header, or NULL. */
const char *cons_header(struct cons_req *r, const char *name);


#endif /* CORDON_CONS_HTTP_H */
