/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Line-oriented protocols: SSDP (UPnP over UDP 1900) and HTTP/1.x requests
 * and responses on any TCP port. Only the headers present in the first
 * segment are read; that is where Host, User-Agent and Server live in
 * practice. A response's first segment may also hold the start of a UPnP
 * device description (UPnP Device Architecture 2.0, 2.3) or of an HNAP
 * GetDeviceSettings answer, whose manufacturer, model, firmware and device
 * type are read from it.
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

/* <tag>text</tag> anywhere in [p, p+len): the text, trimmed. */
static void xml_tag(const uint8_t *p, size_t len, const char *tag, char *out,
		size_t cap)
{
	size_t tl = strlen(tag);

	for (size_t i = 0; i + tl + 2 < len; i++) {
		size_t s, e;

		if (p[i] != '<' || p[i + 1 + tl] != '>' ||
				strncasecmp((const char *)p + i + 1, tag, tl))
			continue;
		s = i + tl + 2;
		for (e = s; e < len && p[e] != '<'; e++)
			;
		if (e >= len)
			return;		/* cut by the segment end */
		while (s < e && (p[s] == ' ' || p[s] == '\r' || p[s] == '\n' ||
					p[s] == '\t'))
			s++;
		while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\r' ||
					p[e - 1] == '\n' || p[e - 1] == '\t'))
			e--;
		fp_cstr_set(out, cap, p + s, e - s);
		return;
	}
}

bool fp_http_response(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	size_t len = pk->pay_len;
	struct fp_obs *o;
	struct fp_text *t;

	if (len < 12 || memcmp(p, "HTTP/1.", 7))
		return false;
	o = fp_obs_begin(em, pk, FP_OBS_HTTP);
	t = &o->u.text;
	parse_lines(p, len, t, false);
	xml_tag(p, len, "manufacturer", t->manufacturer,
			sizeof(t->manufacturer));
	/* D-Link's HNAP (GetDeviceSettings) names them VendorName,
	 * ModelName, ModelDescription, FirmwareVersion; tags are matched
	 * without regard to case */
	if (!t->manufacturer[0])
		xml_tag(p, len, "VendorName", t->manufacturer,
				sizeof(t->manufacturer));
	xml_tag(p, len, "modelName", t->model_name, sizeof(t->model_name));
	xml_tag(p, len, "modelNumber", t->model_number,
			sizeof(t->model_number));
	xml_tag(p, len, "modelDescription", t->model_desc,
			sizeof(t->model_desc));
	xml_tag(p, len, "friendlyName", t->friendly_name,
			sizeof(t->friendly_name));
	xml_tag(p, len, "deviceType", t->device_type, sizeof(t->device_type));
	xml_tag(p, len, "firmwareVersion", t->firmware, sizeof(t->firmware));
	/* Only what names the server is worth an observation. */
	if (t->server[0] || t->manufacturer[0] || t->model_name[0] ||
			t->device_type[0])
		fp_obs_deliver(em, o);
	return true;
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
