/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_TEST_FP_UTIL_H
#define CORDON_TEST_FP_UTIL_H

/* Hand-built packets and an observation collector for the unit tests. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fp.h"

#define COLLECT_MAX 16

struct collect {
	int n;
	struct fp_obs obs[COLLECT_MAX];
};

static inline void collect_cb(const struct fp_obs *o, void *arg)
{
	struct collect *c = arg;

	if (c->n < COLLECT_MAX)
		c->obs[c->n] = *o;
	c->n++;
}

static const uint8_t T_SRC_MAC[6] = { 0x00, 0x11, 0x32, 0x17, 0x49, 0xf0 };
static const uint8_t T_DST_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static inline size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static inline size_t put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 4;
}

/* Ethernet header (with n_vlan 802.1Q/802.1ad tags, outermost first). */
static inline size_t build_eth(uint8_t *b, uint16_t et, int n_vlan,
		const uint16_t *vids)
{
	size_t o = 0;

	memcpy(b, T_DST_MAC, 6);
	memcpy(b + 6, T_SRC_MAC, 6);
	o = 12;
	for (int i = 0; i < n_vlan; i++) {
		o += put16(b + o, i == 0 && n_vlan > 1 ? 0x88a8 : 0x8100);
		o += put16(b + o, vids[i]);
	}
	o += put16(b + o, et);
	return o;
}

struct t_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opt;
	size_t optlen;		/* multiple of 4 */
	uint8_t ttl;
	uint16_t ipid;
	bool df;
};

/* Ethernet + IPv4 + UDP frame around a payload; returns frame length. */
static inline size_t build_udp4(uint8_t *b, uint32_t src, uint32_t dst,
		uint16_t sport, uint16_t dport, const void *pay, size_t len)
{
	size_t o = build_eth(b, 0x0800, 0, NULL), ip = o;

	memset(b + o, 0, 28);
	b[o] = 0x45;
	put16(b + o + 2, (uint16_t)(28 + len));
	b[o + 8] = 64;
	b[o + 9] = 17;
	put32(b + o + 12, src);
	put32(b + o + 16, dst);
	o += 20;
	put16(b + o, sport);
	put16(b + o + 2, dport);
	put16(b + o + 4, (uint16_t)(8 + len));
	o += 8;
	if (len != 0)	/* pay may be NULL: memcpy(x, NULL, 0) is UB */
		memcpy(b + o, pay, len);
	(void)ip;
	return o + len;
}

static inline size_t build_tcp4(uint8_t *b, uint32_t src, uint32_t dst,
		const struct t_tcp *t, const void *pay, size_t len)
{
	size_t o = build_eth(b, 0x0800, 0, NULL);
	size_t th = 20 + t->optlen;

	memset(b + o, 0, 20 + th);
	b[o] = 0x45;
	put16(b + o + 2, (uint16_t)(20 + th + len));
	put16(b + o + 4, t->ipid);
	if (t->df)
		b[o + 6] = 0x40;
	b[o + 8] = t->ttl ? t->ttl : 64;
	b[o + 9] = 6;
	put32(b + o + 12, src);
	put32(b + o + 16, dst);
	o += 20;
	put16(b + o, t->sport);
	put16(b + o + 2, t->dport);
	put32(b + o + 4, t->seq);
	put32(b + o + 8, t->ack);
	b[o + 12] = (uint8_t)((th / 4) << 4);
	b[o + 13] = t->flags;
	put16(b + o + 14, t->win);
	if (t->optlen)
		memcpy(b + o + 20, t->opt, t->optlen);
	o += th;
	if (len != 0)	/* pay may be NULL: memcpy(x, NULL, 0) is UB */
		memcpy(b + o, pay, len);
	return o + len;
}

/* A file named name in dir with the given text (test fixtures). */
static inline void t_write_file(const char *dir, const char *name,
		const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
