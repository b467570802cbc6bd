/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_TEST_DET_UTIL_H
#define CORDON_TEST_DET_UTIL_H

/*
 * Events for the detector tests, and an alert recorder. Times in
 * microseconds from T0; addresses IPv4 10.9.0.x (LAN) or 198.18.x.y.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "det.h"

#define T0 1700000000000000ull
#define MS 1000ull
#define SEC 1000000ull

static const uint8_t DEV_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t DEV_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t GWMAC[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 };

struct rec {
	int n;
	struct det_alert a[64];
	struct det_engine *e;	/* det_test()'s engine */
};

static inline void
rec_cb(const struct det_alert *a, void *arg)
{
	struct rec *r = arg;

	if (r->n < 64)
		r->a[r->n] = *a;
	r->n++;
}

static inline int
rec_count(const struct rec *r, enum det_detector d)
{
	int n = 0;

	for (int i = 0; i < r->n && i < 64; i++)
		if (r->a[i].detector == d)
			n++;
	return n;
}

static inline void
v4(uint8_t a[16], uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = x;
	a[13] = y;
	a[14] = z;
	a[15] = w;
}

static inline struct det_ev
ev_make(uint8_t kind, uint64_t ts, const uint8_t mac[6], uint8_t proto,
	const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
	uint16_t dport)
{
	struct det_ev e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.ts_us = ts;
	e.proto = proto;
	memcpy(e.mac, mac, 6);
	memcpy(e.peer_mac, GWMAC, 6);
	memcpy(e.src, src, 16);
	memcpy(e.dst, dst, 16);
	e.sport = sport;
	e.dport = dport;
	return e;
}

/* An event of DEV_A (10.9.0.10) to dst:dport. */
static inline struct det_ev
ev_a(uint8_t kind, uint64_t ts, uint8_t proto, uint16_t sport,
	const uint8_t dst[16], uint16_t dport)
{
	uint8_t src[16];

	v4(src, 10, 9, 0, 10);
	return ev_make(kind, ts, DEV_A, proto, src, sport, dst, dport);
}

/* The same to the IPv4 address x.y.z.w. */
static inline struct det_ev
ev_a4(uint8_t kind, uint64_t ts, uint8_t proto, uint16_t sport,
      uint8_t x, uint8_t y, uint8_t z, uint8_t w, uint16_t dport)
{
	uint8_t dst[16];

	v4(dst, x, y, z, w);
	return ev_a(kind, ts, proto, sport, dst, dport);
}

/* @n copies of @ev, @step us apart from @start. */
static inline void
ev_repeat(struct det_engine *e, struct det_ev *ev, int n, uint64_t start,
	  uint64_t step)
{
	for (int i = 0; i < n; i++) {
		ev->ts_us = start + (uint64_t)i * step;
		det_event(e, ev);
	}
}

/* A new flow from DEV_A (10.9.0.10) to dst:dport, then its outcome. */
static inline void
flow(struct det_engine *e, uint64_t ts, uint8_t proto, const uint8_t dst[16],
	uint16_t sport, uint16_t dport, uint8_t outcome)
{
	struct det_ev ev = ev_a(DET_EV_FLOW_NEW, ts, proto, sport, dst, dport);

	det_event(e, &ev);
	if (outcome == 0)
		return;
	ev.kind = outcome;
	ev.ts_us = ts + 1 * MS;
	det_event(e, &ev);
}

static inline struct det_engine *
engine(struct det_config *c, struct rec *r)
{
	struct det_engine *e;

	memset(r, 0, sizeof(*r));
	e = det_engine_create(c, rec_cb, r);
	assert_non_null(e);
	return e;
}

/* An engine with the default configuration. */
static inline struct det_engine *
engine_default(struct rec *r)
{
	struct det_config c;

	det_config_default(&c);
	return engine(&c, r);
}

/*
 * DET_TEST(fn) { ... } defines a test whose body sees r, the alerts, and
 * e, a default engine that alerts into r; list it as det_test(fn). The
 * engine is destroyed after the test whatever its outcome.
 */
static inline int
det_test_setup(void **state)
{
	struct rec *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return -1;
	r->e = engine_default(r);
	*state = r;
	return 0;
}

static inline int
det_test_teardown(void **state)
{
	struct rec *r = *state;

	det_engine_destroy(r->e);
	free(r);
	return 0;
}

#define DET_TEST(fn) \
	static void fn##_body(struct rec *r, struct det_engine *e); \
	static void fn(void **state) \
	{ \
		struct rec *r = *state; \
		\
		fn##_body(r, r->e); \
	} \
	static void fn##_body(struct rec *r, struct det_engine *e)

#define det_test(fn) \
	cmocka_unit_test_setup_teardown(fn, det_test_setup, det_test_teardown)

#endif
