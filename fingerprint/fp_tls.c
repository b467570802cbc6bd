/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * ClientHello parsing, JA4 (FoxIO technical_details/JA4.md, TLS client
 * fingerprint only) and JA3 (Salesforce). Hashes come from OpenSSL.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "fp_internal.h"
#include "fp_tls.h"

bool fp_tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/*
 * A list of 16-bit values after a length of lenb (1 or 2) bytes, clipped
 * to the extension's len: appended to out, up to FP_TLS_MAX_LIST.
 */
static void rd_list16(const uint8_t *d, size_t len, size_t lenb,
		uint16_t *out, uint16_t *n_out)
{
	size_t n, off;

	if (len < lenb)
		return;
	n = lenb == 2 ? fp_rd16(d) : d[0];
	if (n + lenb > len)
		n = len - lenb;
	for (off = lenb; off + 2 <= lenb + n && *n_out < FP_TLS_MAX_LIST;
			off += 2)
		out[(*n_out)++] = fp_rd16(d + off);
}

static int parse_ext(struct fp_tls_ch *ch, uint16_t type, const uint8_t *d,
		size_t len)
{
	size_t off, n;

	switch (type) {
	case 0x0000:	/* server_name */
		ch->has_sni = true;
		if (len < 2)
			break;
		n = fp_rd16(d);
		off = 2;
		if (n + 2 > len)
			n = len - 2;
		while (off + 3 <= 2 + n) {
			uint8_t nt = d[off];
			size_t nl = fp_rd16(d + off + 1);

			off += 3;
			if (off + nl > 2 + n)
				break;
			if (nt == 0 && ch->sni.len == 0) {
				fp_str_set(&ch->sni, d + off, nl);
				break;
			}
			off += nl;
		}
		break;
	case 0x0010:	/* ALPN */
		if (len < 2)
			break;
		n = fp_rd16(d);
		if (n + 2 > len)
			n = len - 2;
		off = 2;
		while (off < 2 + n) {
			size_t pl = d[off++];

			if (off + pl > 2 + n)
				break;
			if (ch->n_alpn == 0 && pl > 0) {
				ch->alpn0_len = (uint8_t)pl;
				memcpy(ch->alpn0, d + off, pl);
			}
			if (pl > 0 && ch->n_alpn < 8)
				fp_str_set(&ch->alpn[ch->n_alpn++], d + off, pl);
			off += pl;
		}
		break;
	case 0x000d:	/* signature_algorithms */
		rd_list16(d, len, 2, ch->sigalgs, &ch->n_sigalgs);
		break;
	case 0x000a:	/* supported_groups */
		rd_list16(d, len, 2, ch->groups, &ch->n_groups);
		break;
	case 0x000b:	/* ec_point_formats: one byte each */
		if (len < 1)
			break;
		n = d[0];
		if (n + 1 > len)
			n = len - 1;
		for (off = 1; off < 1 + n && ch->n_pf < FP_TLS_MAX_LIST; off++)
			ch->pf[ch->n_pf++] = d[off];
		break;
	case 0x002b:	/* supported_versions */
		rd_list16(d, len, 1, ch->versions, &ch->n_versions);
		break;
	default:
		break;
	}
	return 0;
}

int fp_tls_parse_ch(const uint8_t *hs, size_t len, struct fp_tls_ch *ch)
{
	size_t blen, off, n, end;

	memset(ch, 0, sizeof(*ch));
	if (len < 4 || hs[0] != 1)
		return -EINVAL;
	blen = fp_rd24(hs + 1);
	if (blen + 4 > len)
		return -EINVAL;
	hs += 4;
	if (blen < 2 + 32 + 1)
		return -EINVAL;
	ch->legacy_version = fp_rd16(hs);
	off = 34;
	n = hs[off++];			/* session id */
	if (off + n > blen)
		return -EINVAL;
	off += n;
	if (off + 2 > blen)
		return -EINVAL;
	n = fp_rd16(hs + off);		/* cipher suites */
	off += 2;
	if (off + n > blen || (n & 1))
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2)
		if (ch->n_ciphers < FP_TLS_MAX_CIPHERS)
			ch->ciphers[ch->n_ciphers++] = fp_rd16(hs + off + i);
	off += n;
	if (off + 1 > blen)
		return -EINVAL;
	n = hs[off++];			/* compression methods */
	if (off + n > blen)
		return -EINVAL;
	off += n;
	if (off + 2 > blen)
		return 0;		/* no extensions at all */
	n = fp_rd16(hs + off);
	off += 2;
	end = off + n;
	if (end > blen)
		end = blen;		/* keep what is there */
	while (off + 4 <= end) {
		uint16_t type = fp_rd16(hs + off);
		size_t el = fp_rd16(hs + off + 2);

		off += 4;
		if (off + el > end)
			break;
		if (ch->n_ext < FP_TLS_MAX_EXT)
			ch->ext[ch->n_ext++] = type;
		parse_ext(ch, type, hs + off, el);
		off += el;
	}
	return 0;
}

bool fp_tls_sslv2_start(const uint8_t *p, size_t n)
{
	uint16_t rl, v;

	if (n < 5 || !(p[0] & 0x80) || p[2] != 1)
		return false;
	rl = (uint16_t)(((p[0] & 0x7f) << 8) | p[1]);
	v = fp_rd16(p + 3);
	return rl >= 9 + 3 + 16 &&
		(v == 0x0002 || (v >= 0x0300 && v <= 0x0303));
}

int fp_tls_parse_sslv2(const uint8_t *m, size_t len, struct fp_tls_ch *ch)
{
	size_t csl, sil, chl;

	memset(ch, 0, sizeof(*ch));
	if (len < 9 || m[0] != 1)
		return -EINVAL;
	csl = fp_rd16(m + 3);
	sil = fp_rd16(m + 5);
	chl = fp_rd16(m + 7);
	if (csl == 0 || csl % 3 || 9 + csl + sil + chl > len ||
			(sil != 0 && sil != 16) || chl < 16 || chl > 32)
		return -EINVAL;
	ch->sslv2 = true;
	ch->legacy_version = fp_rd16(m + 1);
	for (size_t i = 0; i < csl && ch->n_v2 < FP_TLS_MAX_CIPHERS; i += 3)
		ch->v2_specs[ch->n_v2++] = fp_rd24(m + 9 + i);
	return 0;
}

size_t fp_tls_flag_names(uint8_t flags, const char **out, size_t cap)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ FP_TLS_SSLV2_HELLO, "sslv2-hello" },
		{ FP_TLS_SSLV2_CIPHERS, "sslv2-ciphers" },
		{ FP_TLS_SSL3_MAX, "ssl3-max" },
		{ FP_TLS_TLS10_MAX, "tls1.0-max" },
		{ FP_TLS_EXPORT, "export-ciphers" },
		{ FP_TLS_RC4, "rc4-ciphers" },
		{ FP_TLS_NULL, "null-ciphers" },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < cap;
			i++)
		if (flags & names[i].bit)
			out[n++] = names[i].name;
	return n;
}

const char *fp_tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0002: return "SSL 2.0";
	case 0x0300: return "SSL 3.0";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	default: return "unknown";
	}
}

uint8_t fp_tls_suite_flags(uint16_t c)
{
	uint8_t f = 0;

	switch (c) {	/* IANA TLS Cipher Suites registry */
	case 0x0004: case 0x0005: case 0x0018: case 0x0020: case 0x0024:
	case 0x0066: case 0x008a: case 0x008e: case 0x0092: case 0xc002:
	case 0xc007: case 0xc00c: case 0xc011: case 0xc016: case 0xc033:
		f |= FP_TLS_RC4;
		break;
	case 0x0003: case 0x0017: case 0x0028: case 0x002b: case 0x0060:
	case 0x0064:
		f |= FP_TLS_RC4 | FP_TLS_EXPORT;
		break;
	case 0x0006: case 0x0008: case 0x000b: case 0x000e: case 0x0011:
	case 0x0014: case 0x0019: case 0x0026: case 0x0027: case 0x0029:
	case 0x002a: case 0x0061: case 0x0062: case 0x0063: case 0x0065:
		f |= FP_TLS_EXPORT;
		break;
	case 0x0001: case 0x0002: case 0x002c: case 0x002d: case 0x002e:
	case 0x003b: case 0x00b0: case 0x00b1: case 0x00b4: case 0x00b5:
	case 0x00b8: case 0x00b9: case 0xc001: case 0xc006: case 0xc00b:
	case 0xc010: case 0xc015: case 0xc039: case 0xc03a: case 0xc03b:
		f |= FP_TLS_NULL;
		break;
	default:
		break;
	}
	return f;
}

static bool is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		(c >= 'a' && c <= 'z');
}

void fp_ja4_alpn(const uint8_t *v, size_t len, char out[3])
{
	static const char hx[] = "0123456789abcdef";

	if (len == 0) {
		out[0] = '0';
		out[1] = '0';
	} else if (is_alnum(v[0]) && is_alnum(v[len - 1])) {
		out[0] = (char)v[0];
		out[1] = (char)v[len - 1];
	} else {
		/* Spec: first and last characters of the hex of the value. */
		out[0] = hx[v[0] >> 4];
		out[1] = hx[v[len - 1] & 0xf];
	}
	out[2] = '\0';
}

static const char *ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default: return "00";
	}
}

static void sha256_12(const char *s, size_t len, char out[13])
{
	static const char hx[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (len == 0) {
		memcpy(out, "000000000000", 13);
		return;
	}
	EVP_Digest(s, len, md, &mdlen, EVP_sha256(), NULL);
	for (int i = 0; i < 6; i++) {
		out[2 * i] = hx[md[i] >> 4];
		out[2 * i + 1] = hx[md[i] & 0xf];
	}
	out[12] = '\0';
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/*
 * Appends v to buf as "xxxx,yyyy" (hex, JA4) or "1-2" (decimal, JA3);
 * returns the new length (bounded by cap).
 */
static size_t list_str(char *buf, size_t pos, size_t cap, const uint16_t *v,
		size_t n, bool hex)
{
	for (size_t i = 0; i < n && pos + (hex ? 6 : 7) < cap; i++) {
		int w = hex ? snprintf(buf + pos, cap - pos, "%s%04x",
				i ? "," : "", v[i]) :
			snprintf(buf + pos, cap - pos, "%s%u", i ? "-" : "",
				v[i]);

		pos += (size_t)w;
	}
	return pos;
}

/* Copies v without its GREASE values; returns how many were kept. */
static size_t degrease(const uint16_t *v, size_t n, uint16_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!fp_tls_is_grease(v[i]))
			out[k++] = v[i];
	return k;
}

/* One JA3 field: decimal values without GREASE, '-'-joined, then ','. */
static size_t ja3_field(char *buf, size_t pos, size_t cap, const uint16_t *v,
		size_t n, bool last)
{
	uint16_t tmp[FP_TLS_MAX_CIPHERS];

	pos = list_str(buf, pos, cap, tmp, degrease(v, n, tmp), false);
	if (!last && pos + 1 < cap)
		pos += (size_t)snprintf(buf + pos, cap - pos, ",");
	return pos;
}

/* Builds "ciphers" and "exts[_sigalgs]" strings, sorted or original. */
static void ja4_parts(const struct fp_tls_ch *ch, bool sorted, char *cs,
		size_t cscap, char *es, size_t escap)
{
	uint16_t c[FP_TLS_MAX_CIPHERS], e[FP_TLS_MAX_EXT], s[FP_TLS_MAX_LIST];
	size_t nc, ne = 0, ns, pos;

	nc = degrease(ch->ciphers, ch->n_ciphers, c);
	for (size_t i = 0; i < ch->n_ext; i++) {
		uint16_t t = ch->ext[i];

		if (fp_tls_is_grease(t))
			continue;
		if (sorted && (t == 0x0000 || t == 0x0010))
			continue;
		e[ne++] = t;
	}
	ns = degrease(ch->sigalgs, ch->n_sigalgs, s);
	if (sorted) {
		qsort(c, nc, sizeof(c[0]), cmp_u16);
		qsort(e, ne, sizeof(e[0]), cmp_u16);
	}
	cs[0] = '\0';
	list_str(cs, 0, cscap, c, nc, true);
	es[0] = '\0';
	pos = list_str(es, 0, escap, e, ne, true);
	if (ns > 0) {
		if (pos + 1 < escap) {
			es[pos++] = '_';
			es[pos] = '\0';
		}
		list_str(es, pos, escap, s, ns, true);
	}
}

/* SSLv2-compatible hello: what FoxIO's ja4.py prints for one. It reads
 * tshark's fields, and tshark gives such a hello a handshake type and
 * version but no cipher suites (its specs are 3-byte "cipherspec"s), no
 * extensions, no SNI and no ALPN: counts 00, zero hashes, empty raw lists.
 * tshark gives no JA3 either. The version is the hello's own. */
static void sslv2_fingerprint(const struct fp_tls_ch *ch, char proto,
		struct fp_tls *out)
{
	char a[16];

	snprintf(a, sizeof(a), "%c%si000000", proto,
			ja4_version(ch->legacy_version));
	snprintf(out->ja4, sizeof(out->ja4), "%s_000000000000_000000000000",
			a);
	snprintf(out->ja4_o, sizeof(out->ja4_o), "%s", out->ja4);
	snprintf(out->ja4_r, sizeof(out->ja4_r), "%s__", a);
	snprintf(out->ja4_ro, sizeof(out->ja4_ro), "%s__", a);
	out->ja3[0] = '\0';
	out->ja3_string[0] = '\0';
	out->legacy_version = ch->legacy_version;
	out->max_version = ch->legacy_version;
	out->flags = FP_TLS_SSLV2_HELLO;
	for (size_t i = 0; i < ch->n_v2; i++) {
		uint32_t s = ch->v2_specs[i];

		if (s >> 16) {
			/* SSL 2.0 cipher kinds: 01 and 02 are RC4 (02 at
			 * 40 bits), 02 04 are export grade (RFC 6176) */
			out->flags |= FP_TLS_SSLV2_CIPHERS;
			if ((s >> 16) == 1 || (s >> 16) == 2)
				out->flags |= FP_TLS_RC4;
			if ((s >> 16) == 2 || (s >> 16) == 4)
				out->flags |= FP_TLS_EXPORT;
		} else {
			out->flags |= fp_tls_suite_flags((uint16_t)s);
		}
	}
}

void fp_tls_fingerprint(const struct fp_tls_ch *ch, char proto,
		struct fp_tls *out)
{
	char a[16], alpn[3], hb[13], hc[13];
	char cs[FP_RAW_MAX / 2], es[FP_RAW_MAX / 2];
	uint16_t ver = ch->legacy_version;
	size_t nc = 0, ne = 0, pos;
	bool empty_c;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	uint16_t tmp[FP_TLS_MAX_LIST];

	if (ch->sslv2) {
		sslv2_fingerprint(ch, proto, out);
		goto flags;
	}
	if (ch->n_versions > 0) {
		uint16_t best = 0;

		for (size_t i = 0; i < ch->n_versions; i++)
			if (!fp_tls_is_grease(ch->versions[i]) &&
					ch->versions[i] > best)
				best = ch->versions[i];
		if (best)
			ver = best;
	}
	for (size_t i = 0; i < ch->n_ciphers; i++)
		nc += !fp_tls_is_grease(ch->ciphers[i]);
	for (size_t i = 0; i < ch->n_ext; i++)
		ne += !fp_tls_is_grease(ch->ext[i]);
	fp_ja4_alpn(ch->alpn0, ch->alpn0_len, alpn);
	snprintf(a, sizeof(a), "%c%s%c%02u%02u%s", proto, ja4_version(ver),
			ch->has_sni ? 'd' : 'i',
			(unsigned)(nc > 99 ? 99 : nc),
			(unsigned)(ne > 99 ? 99 : ne), alpn);

	ja4_parts(ch, true, cs, sizeof(cs), es, sizeof(es));
	sha256_12(cs, strlen(cs), hb);
	sha256_12(es, strlen(es), hc);
	snprintf(out->ja4, sizeof(out->ja4), "%s_%s_%s", a, hb, hc);
	snprintf(out->ja4_r, sizeof(out->ja4_r), "%s_%s_%s", a, cs, es);
	empty_c = hc[0] == '0' && !strcmp(hc, "000000000000");
	ja4_parts(ch, false, cs, sizeof(cs), es, sizeof(es));
	sha256_12(cs, strlen(cs), hb);
	/* FoxIO's tools print a zero hash for JA4_o too when the extension
	 * list without SNI/ALPN is empty (JA4_ro still lists 0000/0010). */
	if (empty_c)
		memcpy(hc, "000000000000", 13);
	else
		sha256_12(es, strlen(es), hc);
	snprintf(out->ja4_o, sizeof(out->ja4_o), "%s_%s_%s", a, hb, hc);
	snprintf(out->ja4_ro, sizeof(out->ja4_ro), "%s_%s_%s", a, cs, es);

	/* JA3: version,ciphers,extensions,groups,point formats (decimal). */
	pos = (size_t)snprintf(out->ja3_string, sizeof(out->ja3_string), "%u,",
			ch->legacy_version);
	pos = ja3_field(out->ja3_string, pos, sizeof(out->ja3_string),
			ch->ciphers, ch->n_ciphers, false);
	pos = ja3_field(out->ja3_string, pos, sizeof(out->ja3_string),
			ch->ext, ch->n_ext, false);
	pos = ja3_field(out->ja3_string, pos, sizeof(out->ja3_string),
			ch->groups, ch->n_groups, false);
	for (size_t i = 0; i < ch->n_pf; i++)
		tmp[i] = ch->pf[i];
	ja3_field(out->ja3_string, pos, sizeof(out->ja3_string), tmp,
			ch->n_pf, true);
	EVP_Digest(out->ja3_string, strlen(out->ja3_string), md, &mdlen,
			EVP_md5(), NULL);
	for (unsigned int i = 0; i < 16 && i < mdlen; i++)
		snprintf(out->ja3 + 2 * i, 3, "%02x", md[i]);

	out->sni = ch->sni;
	out->legacy_version = ch->legacy_version;
	out->n_alpn = ch->n_alpn;
	for (size_t i = 0; i < ch->n_alpn; i++)
		out->alpn[i] = ch->alpn[i];
	out->n_versions = 0;
	for (size_t i = 0; i < ch->n_versions && i < 16; i++)
		out->versions[out->n_versions++] = ch->versions[i];
	out->max_version = ver;
	out->flags = 0;
	for (size_t i = 0; i < ch->n_ciphers; i++)
		out->flags |= fp_tls_suite_flags(ch->ciphers[i]);
flags:
	if (out->max_version <= 0x0300)
		out->flags |= FP_TLS_SSL3_MAX;
	else if (out->max_version == 0x0301)
		out->flags |= FP_TLS_TLS10_MAX;
}
