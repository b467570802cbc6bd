/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Line-oriented protocols: SSDP (UPnP over UDP 1900) and HTTP/1.x requests
 * on any TCP port. Only the headers present in the first segment are read;
 * that is where Host and User-Agent live in practice.
 */

#include <strings.h>

#include "fp_internal.h"

static const char *const methods[] = {
	"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
	"PATCH ", "TRACE ",
};

/* Header "Name: value" at line [p, e): copy value if name matches. */
static bool header(const uint8_t *p, size_t l, const char *name, char *out,
		size_t cap)
{
	size_t nl = strlen(name), i;

	if (l <= nl || p[nl] != ':' || strncasecmp((const char *)p, name, nl))
		return false;
	i = nl + 1;
	while (i < l && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (l > i && (p[l - 1] == ' ' || p[l - 1] == '\t'))
		l--;
	fp_cstr_set(out, cap, p + i, l - i);
	return true;
}

/* Split the request/status line and headers into t. */
static void parse_lines(const uint8_t *p, size_t len, struct fp_text *t,
		bool request)
{
	size_t off = 0, line = 0;

	while (off < len) {
		size_t s = off, e;

		while (off < len && p[off] != '\n')
			off++;
		e = off;
		if (off < len)
			off++;
		if (e > s && p[e - 1] == '\r')
			e--;
		if (line++ == 0) {
			if (request) {
				size_t a = s, b;

				while (a < e && p[a] != ' ')
					a++;
				fp_cstr_set(t->method, sizeof(t->method),
						p + s, a - s);
				b = ++a;
				while (b < e && p[b] != ' ')
					b++;
				if (a < e)
					fp_cstr_set(t->uri, sizeof(t->uri),
							p + a, b - a);
			} else {
				fp_cstr_set(t->status, sizeof(t->status),
						p + s, e - s);
			}
			continue;
		}
		if (e == s)
			break;		/* end of headers */
		if (header(p + s, e - s, "Host", t->host, sizeof(t->host)) ||
				header(p + s, e - s, "User-Agent",
					t->user_agent, sizeof(t->user_agent)) ||
				header(p + s, e - s, "Server", t->server,
					sizeof(t->server)) ||
				header(p + s, e - s, "ST", t->st,
					sizeof(t->st)) ||
				header(p + s, e - s, "NT", t->nt,
					sizeof(t->nt)) ||
				header(p + s, e - s, "USN", t->usn,
					sizeof(t->usn)) ||
				header(p + s, e - s, "Location", t->location,
					sizeof(t->location)))
			continue;
	}
}

void fp_ssdp_process(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	size_t len = pk->pay_len;
	struct fp_obs *o;
	bool req;

	if (len < 12)
		return;
	if (!memcmp(p, "M-SEARCH ", 9) || !memcmp(p, "NOTIFY ", 7))
		req = true;
	else if (!memcmp(p, "HTTP/1.", 7))
		req = false;
	else
		return;
	o = fp_obs_begin(em, pk, FP_OBS_SSDP);
	parse_lines(p, len, &o->u.text, req);
	fp_obs_deliver(em, o);
}

bool fp_http_process(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	size_t len = pk->pay_len, eol;
	struct fp_obs *o;
	bool m = false;

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		size_t ml = strlen(methods[i]);

		if (len > ml && !memcmp(p, methods[i], ml)) {
			m = true;
			break;
		}
	}
	if (!m)
		return false;
	/* The request line must end in " HTTP/1.x". */
	for (eol = 0; eol < len && p[eol] != '\n'; eol++)
		;
	if (eol >= len || eol < 10)
		return false;
	if (p[eol - 1] == '\r')
		eol--;
	if (memcmp(p + eol - 8, "HTTP/1.", 7))
		return false;
	o = fp_obs_begin(em, pk, FP_OBS_HTTP);
	parse_lines(p, len, &o->u.text, true);
	fp_obs_deliver(em, o);
	return true;
}
