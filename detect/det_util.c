/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Small helpers of the detectors: hashing, address classes, names.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "det_internal.h"

uint64_t
det_hash(const void *p, size_t n, uint64_t seed)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	/* FNV-1a, then a finaliser so low bits are usable as an index */
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

bool
det_addr_is_v4(const uint8_t a[16])
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };

	return memcmp(a, pfx, 12) == 0;
}

bool
det_addr_is_zero(const uint8_t a[16])
{
	static const uint8_t z[16];

	if (det_addr_is_v4(a))
		return memcmp(a + 12, z, 4) == 0;
	return memcmp(a, z, 16) == 0;
}

bool
det_addr_is_local(const uint8_t a[16])
{
	if (det_addr_is_v4(a)) {
		const uint8_t *v = a + 12;

		return v[0] == 10 || v[0] == 127 ||
			(v[0] == 172 && (v[1] & 0xf0) == 16) ||
			(v[0] == 192 && v[1] == 168) ||
			(v[0] == 169 && v[1] == 254) ||
			(v[0] == 100 && (v[1] & 0xc0) == 64);
	}
	return (a[0] & 0xfe) == 0xfc ||			/* ULA */
		(a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||	/* link-local */
		(memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0);
}

bool
det_addr_is_group(const uint8_t a[16])
{
	if (det_addr_is_v4(a))
		return (a[12] & 0xf0) == 0xe0 || a[15] == 255 ||
			(a[12] == 255 && a[13] == 255);
	return a[0] == 0xff;
}

const char *
det_addr_str(const uint8_t a[16], char *buf, size_t len)
{
	if (det_addr_is_v4(a))
		inet_ntop(AF_INET, a + 12, buf, (socklen_t)len);
	else
		inet_ntop(AF_INET6, a, buf, (socklen_t)len);
	return buf;
}

const char *
det_proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 0: return "arp";
	default:
		snprintf(buf, len, "ip%u", proto);
		return buf;
	}
}

/* Second-level labels used under country codes (co.uk, com.au, ...). */
static bool
det_generic_sld(const char *l, size_t n)
{
	static const char *const g[] = { "co", "com", "net", "org", "gov",
		"edu", "ac", "or", "ne", "go", "gob", "mil", "nic", "ltd",
		"plc", "sch", "gen", "biz", "info" };

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (strlen(g[i]) == n && memcmp(g[i], l, n) == 0)
			return true;
	return false;
}

size_t
det_registrable(const char *name, char *out, size_t cap)
{
	static const char *const local[] = { "local", "lan", "home", "arpa",
		"internal", "localdomain", "localhost", "intranet", "corp",
		"private" };
	size_t n = strlen(name), start, lab[3] = { 0 }, nl = 0, i;
	char buf[256];

	if (n == 0 || n >= sizeof(buf) || cap < 2)
		return 0;
	for (i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	/* the starts of the last three labels */
	for (i = n; i > 0 && nl < 3; i--)
		if (buf[i - 1] == '.')
			lab[nl++] = i;
	if (nl == 0)
		return 0;		/* one label: a search-list probe */
	for (size_t k = 0; k < sizeof(local) / sizeof(local[0]); k++)
		if (strcmp(buf + lab[0], local[k]) == 0)
			return 0;
	start = nl >= 2 ? lab[1] : 0;
	if (n - lab[0] == 2 && nl >= 2 && det_generic_sld(buf + lab[1],
			lab[0] - 1 - lab[1]))
		start = nl >= 3 ? lab[2] : 0;
	if (n - start + 1 > cap)
		return 0;
	memcpy(out, buf + start, n - start + 1);
	return n - start;
}

uint32_t
det_rate_add(struct det_rate *r, uint64_t now_us, uint64_t win_us,
		uint32_t n)
{
	/* buckets of one window: the estimate is the current bucket and the
	 * part of the previous one still inside the window */
	uint64_t half = win_us ? win_us : 1, el;

	if (now_us >= r->start_us + half) {
		/* one bucket on: the current becomes the previous; more than
		 * one: both are stale */
		if (now_us >= r->start_us + 2 * half)
			r->prev = 0;
		else
			r->prev = r->cur;
		r->cur = 0;
		r->start_us = now_us - (now_us - r->start_us) % half;
		if (r->start_us > now_us)
			r->start_us = now_us;
	}
	r->cur += n;
	el = now_us - r->start_us;
	/* the previous bucket, weighted by how much of it the window holds */
	return r->cur + (uint32_t)((uint64_t)r->prev * (half - el) / half);
}

int64_t
det_parse_duration(const char *s)
{
	char *end;
	double v;
	int64_t mul = 1000;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || v < 0 || v > 1e9)
		return -1;
	if (*end == 's' || *end == '\0')
		mul = 1000;
	else if (*end == 'm' && end[1] == 's')
		mul = 1, end++;
	else if (*end == 'm')
		mul = 60000;
	else if (*end == 'h')
		mul = 3600000;
	else if (*end == 'd')
		mul = 86400000;
	else
		return -1;
	if (*end != '\0' && end[1] != '\0')
		return -1;
	return (int64_t)(v * (double)mul);
}
