/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Known-bad indicators: the file format and loader (det_ioc.h), lookups,
 * and the detector that matches them against the devices' new flows, DNS
 * questions and TLS fingerprints.
 *
 * Everything lives in one block allocated at load: the entries, their
 * strings, and one open-addressing hash table keyed by (type, value),
 * where CIDRs are keyed by (length, masked address) and looked up once per
 * prefix length present.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "det_internal.h"
#include "det_ioc.h"

struct det_ioc {
	uint32_t n;
	uint32_t counts[DET_IOC_NTYPES];
	struct det_ioc_entry *e;	/* [n] */
	uint32_t *slot;			/* entry index + 1, 0 empty */
	uint32_t mask;
	uint8_t plens[129];		/* CIDR prefix lengths in use, desc */
	uint8_t n_plens;
	char *strings;
};

static const char *const type_names[DET_IOC_NTYPES] = { "ip", "cidr",
	"name", "ja3", "ja4" };

const char *
det_ioc_type_name(enum det_ioc_type t)
{
	return (unsigned int)t < DET_IOC_NTYPES ? type_names[t] : "?";
}

static uint64_t
det_ioc_key(enum det_ioc_type t, const void *v, size_t n, uint8_t plen)
{
	uint64_t seed = (uint64_t)t << 8 | plen;

	return det_hash(v, n, seed);
}

static const struct det_ioc_entry *
det_ioc_find(const struct det_ioc *ioc, enum det_ioc_type t, const void *v,
		size_t n, uint8_t plen)
{
	uint64_t h;

	if (ioc == NULL || ioc->n == 0)
		return NULL;
	h = det_ioc_key(t, v, n, plen);
	for (uint32_t i = (uint32_t)h & ioc->mask; ioc->slot[i] != 0;
			i = (i + 1) & ioc->mask) {
		const struct det_ioc_entry *x = &ioc->e[ioc->slot[i] - 1];

		if (x->type != t)
			continue;
		if (t == DET_IOC_IP || t == DET_IOC_CIDR) {
			if (x->plen == plen && memcmp(x->addr, v, 16) == 0)
				return x;
		} else if (strlen(x->value) == n &&
				memcmp(x->value, v, n) == 0) {
			return x;
		}
	}
	return NULL;
}

static bool
det_ioc_insert(struct det_ioc *ioc, uint32_t idx)
{
	const struct det_ioc_entry *x = &ioc->e[idx];
	bool addr = x->type == DET_IOC_IP || x->type == DET_IOC_CIDR;
	uint64_t h = addr ? det_ioc_key(x->type, x->addr, 16, x->plen) :
		det_ioc_key(x->type, x->value, strlen(x->value), 0);
	uint32_t i;

	if (det_ioc_find(ioc, x->type, addr ? (const void *)x->addr :
			(const void *)x->value, addr ? 16 : strlen(x->value),
			x->plen) != NULL)
		return false;		/* a repeat: keep the first */
	for (i = (uint32_t)h & ioc->mask; ioc->slot[i] != 0;
			i = (i + 1) & ioc->mask)
		;
	ioc->slot[i] = idx + 1;
	return true;
}

static bool
det_is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* t13d1516h2_8daaf6152771_02713d6af862: FoxIO's JA4 (TLS client). */
static bool
det_is_ja4(const char *s, size_t n)
{
	if (n != 36 || s[10] != '_' || s[23] != '_')
		return false;
	if ((s[0] != 't' && s[0] != 'q' && s[0] != 'd') ||
			(s[3] != 'd' && s[3] != 'i'))
		return false;
	for (int i = 4; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	for (int i = 1; i < 10; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return det_is_hex(s + 11, 12) && det_is_hex(s + 24, 12);
}

/* A DNS name: labels of 1-63 [a-z0-9-_], at most 253 in all, two labels
 * at least. Lower-cased into out. */
static bool
det_is_name(const char *s, size_t n, char *out)
{
	size_t lab = 0, labels = 1;

	if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)s[i]);

		if (c == '.') {
			if (lab == 0)
				return false;
			lab = 0;
			labels++;
		} else if (isalnum((unsigned char)c) || c == '-' || c == '_') {
			if (++lab > 63)
				return false;
		} else {
			return false;
		}
		out[i] = c;
	}
	out[n] = '\0';
	return labels >= 2;
}

/* Classify and fill x from value (v, n); returns NULL or the reason. */
static const char *
det_ioc_value(struct det_ioc_entry *x, const char *v, size_t n, char *norm)
{
	char buf[256];
	const char *slash;

	if (n >= sizeof(buf))
		return "value longer than 255 characters";
	memcpy(buf, v, n);
	buf[n] = '\0';
	memset(x->addr, 0, 16);
	slash = memchr(buf, '/', n);
	if (slash != NULL) {
		char *end;
		long plen;
		int fam, max;
		uint8_t a[16];

		buf[slash - buf] = '\0';
		plen = strtol(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1)
			return "bad CIDR prefix length";
		if (inet_pton(AF_INET, buf, a) == 1) {
			fam = 4;
			max = 32;
			x->addr[10] = x->addr[11] = 0xff;
			memcpy(x->addr + 12, a, 4);
		} else if (inet_pton(AF_INET6, buf, a) == 1) {
			fam = 6;
			max = 128;
			memcpy(x->addr, a, 16);
		} else {
			return "bad CIDR address";
		}
		if (plen < 0 || plen > max)
			return fam == 4 ? "CIDR prefix length over 32" :
				"CIDR prefix length over 128";
		x->plen = (uint8_t)(fam == 4 ? plen + 96 : plen);
		for (int b = x->plen; b < 128; b++)
			if (x->addr[b / 8] & (0x80 >> (b % 8)))
				return "CIDR has host bits set";
		x->type = DET_IOC_CIDR;
		snprintf(norm, 256, "%.200s/%ld", buf, plen);
		return NULL;
	}
	if (inet_pton(AF_INET, buf, x->addr + 12) == 1) {
		x->addr[10] = x->addr[11] = 0xff;
		x->type = DET_IOC_IP;
		x->plen = 128;
		snprintf(norm, 256, "%s", buf);
		return NULL;
	}
	if (inet_pton(AF_INET6, buf, x->addr) == 1) {
		x->type = DET_IOC_IP;
		x->plen = 128;
		snprintf(norm, 256, "%s", buf);
		return NULL;
	}
	if (strchr(buf, ':') != NULL)
		return "bad IPv6 address";
	if (n == 32 && det_is_hex(buf, n)) {
		for (size_t i = 0; i < n; i++)
			norm[i] = (char)tolower((unsigned char)buf[i]);
		norm[n] = '\0';
		x->type = DET_IOC_JA3;
		return NULL;
	}
	if (det_is_ja4(buf, n)) {
		memcpy(norm, buf, n + 1);
		x->type = DET_IOC_JA4;
		return NULL;
	}
	{
		bool dotted = true;

		for (size_t i = 0; i < n; i++)
			if (!isdigit((unsigned char)buf[i]) && buf[i] != '.')
				dotted = false;
		if (dotted)
			return "bad IPv4 address";
	}
	if (n > 2 && buf[0] == '*' && buf[1] == '.') {
		memmove(buf, buf + 2, n - 1);
		n -= 2;
	}
	if (det_is_name(buf, n, norm)) {
		x->type = DET_IOC_NAME;
		return NULL;
	}
	return "not an IP, CIDR, DNS name, JA3 or JA4";
}

#define IOC_ERR(...) do { \
		snprintf(err, errlen, __VA_ARGS__); \
		goto fail; \
	} while (0)

struct det_ioc *
det_ioc_parse(const char *name, const char *text, size_t len, uint32_t max,
		char *err, size_t errlen)
{
	struct det_ioc *ioc = calloc(1, sizeof(*ioc));
	uint32_t lines = 0, cap = 0, slots = 16;
	size_t off = 0, sp = 0;
	bool seen[129] = { false };

	if (max == 0)
		max = DET_IOC_MAX_DEFAULT;
	if (ioc == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	/* Upper bounds first, so everything is allocated once. */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			cap++;
	cap++;
	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: binary data (a NUL byte)", name);
		free(ioc);
		return NULL;
	}
	ioc->e = calloc(cap, sizeof(*ioc->e));
	/* a normalised value is never longer than it was written */
	ioc->strings = malloc(len + 3 * (size_t)cap + 1);
	if (ioc->e == NULL || ioc->strings == NULL)
		IOC_ERR("%s: out of memory", name);
	while (off < len) {
		const char *l = text + off, *nl = memchr(l, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - l) : len - off;
		const char *tok[2];
		size_t tl[2], p = 0, rest;
		char norm[256];
		struct det_ioc_entry *x;
		const char *why;
		int nt = 0;

		off += ll + 1;
		lines++;
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		while (p < ll && isblank((unsigned char)l[p]))
			p++;
		if (p == ll || l[p] == '#')
			continue;
		while (nt < 2 && p < ll) {
			tok[nt] = l + p;
			while (p < ll && !isblank((unsigned char)l[p]))
				p++;
			tl[nt] = (size_t)(l + p - tok[nt]);
			nt++;
			while (p < ll && isblank((unsigned char)l[p]))
				p++;
		}
		if (nt < 2)
			IOC_ERR("%s:%u: no source after the value (VALUE SOURCE "
				"[COMMENT])", name, lines);
		if (ioc->n >= max)
			IOC_ERR("%s:%u: more than %u indicators", name, lines,
					max);
		for (size_t i = 0; i < ll; i++)
			if ((unsigned char)l[i] < 0x20 && l[i] != '\t')
				IOC_ERR("%s:%u: control character", name,
						lines);
		x = &ioc->e[ioc->n];
		why = det_ioc_value(x, tok[0], tl[0], norm);
		if (why != NULL)
			IOC_ERR("%s:%u: %.*s: %s", name, lines,
				(int)(tl[0] > 80 ? 80 : tl[0]), tok[0], why);
		rest = ll - p;
		x->line = lines;
		x->value = ioc->strings + sp;
		memcpy(ioc->strings + sp, norm, strlen(norm) + 1);
		sp += strlen(norm) + 1;
		x->source = ioc->strings + sp;
		memcpy(ioc->strings + sp, tok[1], tl[1]);
		sp += tl[1];
		ioc->strings[sp++] = '\0';
		x->comment = ioc->strings + sp;
		memcpy(ioc->strings + sp, l + p, rest);
		sp += rest;
		ioc->strings[sp++] = '\0';
		ioc->n++;
	}
	while (slots < ioc->n * 2)
		slots <<= 1;
	ioc->slot = calloc(slots, sizeof(*ioc->slot));
	if (ioc->slot == NULL)
		IOC_ERR("%s: out of memory", name);
	ioc->mask = slots - 1;
	for (uint32_t i = 0; i < ioc->n; i++) {
		if (!det_ioc_insert(ioc, i))
			continue;	/* repeated: the first line wins */
		ioc->counts[ioc->e[i].type]++;
		if (ioc->e[i].type == DET_IOC_CIDR)
			seen[ioc->e[i].plen] = true;
	}
	for (int p = 128; p >= 0; p--)
		if (seen[p])
			ioc->plens[ioc->n_plens++] = (uint8_t)p;
	return ioc;
fail:
	det_ioc_free(ioc);
	return NULL;
}

struct det_ioc *
det_ioc_load(const char *path, uint32_t max, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct det_ioc *ioc = NULL;
	char *buf = NULL;
	long sz;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
			fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (sz > (long)256 << 20) {
		snprintf(err, errlen, "%s: larger than 256 MiB", path);
		goto out;
	}
	buf = malloc((size_t)sz + 1);
	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	ioc = det_ioc_parse(path, buf, (size_t)sz, max, err, errlen);
out:
	free(buf);
	fclose(f);
	return ioc;
}

void
det_ioc_free(struct det_ioc *ioc)
{
	if (ioc == NULL)
		return;
	free(ioc->e);
	free(ioc->slot);
	free(ioc->strings);
	free(ioc);
}

uint32_t
det_ioc_count(const struct det_ioc *ioc, enum det_ioc_type t)
{
	return ioc && (unsigned int)t < DET_IOC_NTYPES ? ioc->counts[t] : 0;
}

const struct det_ioc_entry *
det_ioc_match_addr(const struct det_ioc *ioc, const uint8_t addr[16])
{
	const struct det_ioc_entry *x;
	bool v4 = det_addr_is_v4(addr);

	if (ioc == NULL)
		return NULL;
	x = det_ioc_find(ioc, DET_IOC_IP, addr, 16, 128);
	if (x != NULL)
		return x;
	for (uint8_t i = 0; i < ioc->n_plens; i++) {
		uint8_t p = ioc->plens[i], m[16];

		if (v4 != (p >= 96))
			continue;
		memcpy(m, addr, 16);
		for (int b = p; b < 128; b++)
			m[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
		x = det_ioc_find(ioc, DET_IOC_CIDR, m, 16, p);
		if (x != NULL)
			return x;
	}
	return NULL;
}

const struct det_ioc_entry *
det_ioc_match_name(const struct det_ioc *ioc, const char *name)
{
	char buf[256];
	size_t n = 0;

	if (ioc == NULL || ioc->counts[DET_IOC_NAME] == 0 || name == NULL)
		return NULL;
	while (name[n] && n < sizeof(buf) - 1) {
		buf[n] = (char)tolower((unsigned char)name[n]);
		n++;
	}
	while (n > 0 && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	/* the name, then every parent with two labels or more */
	for (const char *p = buf; p != NULL; ) {
		const struct det_ioc_entry *x = det_ioc_find(ioc, DET_IOC_NAME,
				p, strlen(p), 0);

		if (x != NULL)
			return x;
		p = strchr(p, '.');
		if (p != NULL)
			p++;
	}
	return NULL;
}

const struct det_ioc_entry *
det_ioc_match_hash(const struct det_ioc *ioc, enum det_ioc_type t,
		const char *value)
{
	char buf[64];
	size_t n = 0;

	if (ioc == NULL || value == NULL || (t != DET_IOC_JA3 &&
			t != DET_IOC_JA4))
		return NULL;
	while (value[n] && n < sizeof(buf) - 1) {
		buf[n] = t == DET_IOC_JA3 ?
			(char)tolower((unsigned char)value[n]) : value[n];
		n++;
	}
	buf[n] = '\0';
	return det_ioc_find(ioc, t, buf, n, 0);
}

/* ---- the detector ---- */

static void
det_ioc_raise(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		const struct det_ioc_entry *x, const char *seen,
		const struct det_ev *ev)
{
	struct det_evidence evd;

	if (!det_armed(e, dv, DET_INDICATOR, ts)) {
		e->st.suppressed[DET_INDICATOR]++;
		return;
	}
	det_ev_init(&evd, "a known-bad indicator", x->value, 1, 1, 0);
	if (ev != NULL)
		det_ev_add(&evd, ev->ts_us, ev->proto, ev->src, ev->sport,
				ev->dst, ev->dport);
	det_ev_detail(&evd, "type=%s seen=\"%.60s\" source=\"%.40s\" "
			"line=%u comment=\"%.80s\"", det_ioc_type_name(x->type),
			seen, x->source, x->line, x->comment);
	det_raise(e, dv, DET_INDICATOR, ts, ts, &evd);
}

void
det_ioc_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	const struct det_ioc_entry *x;
	char ab[48];

	if (e->ioc == NULL || !e->c.enabled[DET_INDICATOR])
		return;
	x = det_ioc_match_addr(e->ioc, ev->dst);
	if (x != NULL)
		det_ioc_raise(e, dv, ev->ts_us, x,
				det_addr_str(ev->dst, ab, sizeof(ab)), ev);
}

void
det_ioc_name(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		const char *name, const uint8_t src[16], const uint8_t dst[16])
{
	const struct det_ioc_entry *x;
	struct det_ev ev;

	if (e->ioc == NULL || !e->c.enabled[DET_INDICATOR])
		return;
	x = det_ioc_match_name(e->ioc, name);
	if (x == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.ts_us = ts;
	ev.proto = 17;
	ev.dport = 53;
	if (src != NULL)
		memcpy(ev.src, src, 16);
	if (dst != NULL)
		memcpy(ev.dst, dst, 16);
	det_ioc_raise(e, dv, ts, x, name, &ev);
}

void
det_ioc_facet(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		enum det_facet f, const char *value)
{
	const struct det_ioc_entry *x = NULL;

	if (e->ioc == NULL || !e->c.enabled[DET_INDICATOR])
		return;
	if (f == DET_FACET_JA3)
		x = det_ioc_match_hash(e->ioc, DET_IOC_JA3, value);
	else if (f == DET_FACET_JA4)
		x = det_ioc_match_hash(e->ioc, DET_IOC_JA4, value);
	if (x != NULL)
		det_ioc_raise(e, dv, ts, x, value, NULL);
}
