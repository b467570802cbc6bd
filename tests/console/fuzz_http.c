/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: the bytes a browser or an attacker sends to the
 * console's socket, through libmicrohttpd into the console's handlers
 * (cons_http.c's routing, session, CSRF, origin and body checks, then
 * cons_api.c's routes). The first byte picks the HTTPS handler (TLS left
 * out: it is libmicrohttpd's and GnuTLS's) or the plain-HTTP redirector;
 * the rest goes over a socketpair to a daemon run in this thread.
 *
 * http_harness.h's sessions have fixed ids and CSRF tokens (admin: a..a /
 * b..b, viewer: c..c / d..d), so inputs can reach the routes behind a
 * login; cordond is away (calls time out at once), as when it restarts.
 *
 * Checks: every answer of ours carries the security headers; every route
 * answers; a redirect goes to https://; each connection ends when the
 * client goes and its request is freed (ASan leak check).
 */

#include "http_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_harness hh;

static bool
has(const char *hdrs, const char *s)
{
	return strstr(hdrs, s) != NULL;
}

static void
check_answer(char *out, bool redirect)
{
	const char *body, *h;

	if (out[0] == '\0')
		return;
	if (strncmp(out, "HTTP/1.", 7) != 0)
		abort();
	body = strstr(out, "\r\n\r\n");
	if (body != NULL && strstr(body, "{\"error\":\"no answer\"}") != NULL) {
		fprintf(stderr, "a route left the request unanswered\n");
		abort();
	}
	h = hh_headers(out);
	if (h == NULL)
		return;		/* cut short by the close */
	if (redirect) {
		if (strncmp(h + 9, "308", 3) == 0 &&
		    !has(h, "\r\nLocation: https://"))
			abort();
		return;
	}
	/* libmicrohttpd's own answers (malformed requests) are HTML
	 * without any of these; every one of ours has a Cache-Control. */
	if (!has(h, "\r\nContent-Type: application/json") &&
	    !has(h, "\r\nSet-Cookie:") && !has(h, "\r\nCache-Control:"))
		return;
	if (!has(h, "\r\nContent-Security-Policy: ") ||
	    !has(h, "\r\nX-Content-Type-Options: nosniff\r\n") ||
	    !has(h, "\r\nX-Frame-Options: DENY\r\n")) {
		fprintf(stderr, "an answer without the security headers:\n%s\n",
			h);
		abort();
	}
}

/* The users file and its directory go at the end. */
static void
at_exit(void)
{
	hh_fini(&hh);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 20];
	bool redirect;

	if (hh.srv == NULL) {
		if (hh_init(&hh) < 0)
			abort();
		atexit(at_exit);
	}
	if (size < 1 || size > 256 * 1024)
		return 0;
	redirect = data[0] & 1;
	/* -1: a request that never ends */
	if (hh_request(&hh, redirect, data + 1, size - 1, out,
		       sizeof(out)) < 0)
		abort();
	check_answer(out, redirect);
	return 0;
}
