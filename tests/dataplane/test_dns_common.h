/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* DNS message builder for the dns_snoop and policy DNS tests (cmocka). */

#ifndef CORDON_TEST_DNS_COMMON_H
#define CORDON_TEST_DNS_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---------- message builder ---------- */

struct msg {
	uint8_t b[4096];
	size_t n;
};

static inline void
put8(struct msg *m, uint8_t v)
{
	assert_true(m->n < sizeof(m->b));
	m->b[m->n++] = v;
}

static inline void
put16(struct msg *m, uint16_t v)
{
	put8(m, (uint8_t)(v >> 8));
	put8(m, (uint8_t)v);
}

static inline void
put32(struct msg *m, uint32_t v)
{
	put16(m, (uint16_t)(v >> 16));
	put16(m, (uint16_t)v);
}

/* One label, without the name's end. */
static inline void
put_label(struct msg *m, const char *label)
{
	put8(m, (uint8_t)strlen(label));
	for (const char *p = label; *p != '\0'; p++)
		put8(m, (uint8_t)*p);
}

/* Dotted name as labels; returns its offset. */
static inline size_t
put_name(struct msg *m, const char *name)
{
	size_t at = m->n;
	const char *p = name;

	while (*p != '\0') {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		put8(m, (uint8_t)l);
		for (size_t i = 0; i < l; i++)
			put8(m, (uint8_t)p[i]);
		p += l + (dot != NULL);
	}
	put8(m, 0);
	return at;
}

static inline void
put_ptr(struct msg *m, size_t off)
{
	put16(m, (uint16_t)(0xc000 | off));
}

static inline void
hdr(struct msg *m, uint16_t flags, uint16_t qd, uint16_t an)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
}

/* Header (response, NOERROR) and question; returns the qname offset. */
static inline size_t
start(struct msg *m, const char *qname, uint16_t an, uint16_t qtype)
{
	size_t q;

	hdr(m, 0x8180, 1, an);
	q = put_name(m, qname);
	put16(m, qtype);
	put16(m, 1);
	return q;
}

/* Record fields after the owner name. */
static inline void
rr_tail(struct msg *m, uint16_t type, uint32_t ttl, const void *rd,
	uint16_t rdlen)
{
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	put16(m, rdlen);
	for (uint16_t i = 0; i < rdlen; i++)
		put8(m, ((const uint8_t *)rd)[i]);
}

static inline void
rr_a(struct msg *m, const char *owner, uint32_t ttl, uint8_t a, uint8_t b,
     uint8_t c, uint8_t d)
{
	const uint8_t ip[4] = { a, b, c, d };

	put_name(m, owner);
	rr_tail(m, 1, ttl, ip, 4);
}

static inline void
rr_cname(struct msg *m, const char *owner, uint32_t ttl, const char *target)
{
	size_t len_at;

	put_name(m, owner);
	put16(m, 5);
	put16(m, 1);
	put32(m, ttl);
	len_at = m->n;
	put16(m, 0);
	size_t t0 = m->n;

	put_name(m, target);
	m->b[len_at] = (uint8_t)((m->n - t0) >> 8);
	m->b[len_at + 1] = (uint8_t)(m->n - t0);
}

#endif /* CORDON_TEST_DNS_COMMON_H */
