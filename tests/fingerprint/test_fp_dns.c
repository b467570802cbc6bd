/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include "test_fp_util.h"
#include "test_main.h"

static uint8_t frame[1500];

static int run(const uint8_t *msg, size_t len, uint16_t port,
		struct collect *c)
{
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	size_t n = build_udp4(frame, 0x0a000001, 0x0a000002, port, 53, msg,
			len);
	int rc;

	if (port == 5353)
		put16(frame + 14 + 20 + 2, 5353);
	memset(c, 0, sizeof(*c));
	rc = fp_process_frame(ctx, frame, n, 1, collect_cb, c);
	fp_ctx_destroy(ctx);
	return rc;
}

/* One message of kind parsed: what it says. */
static const struct fp_dns *run_one(const uint8_t *msg, size_t len,
		uint16_t port, enum fp_obs_kind kind)
{
	static struct collect c;

	assert_int_equal(run(msg, len, port, &c), 1);
	assert_int_equal(c.obs[0].kind, kind);
	return &c.obs[0].u.dns;
}

/* example.com A, answered with a CNAME chain and an A record, all names
 * compressed. */
static void test_answer(void **state)
{
	static const uint8_t msg[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
		/* www.example.com CNAME cdn.example.com */
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0x0e, 0x10, 0, 6,
		3, 'c', 'd', 'n', 0xc0, 16,
		/* cdn.example.com A 192.0.2.7 */
		0xc0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7,
	};
	const struct fp_dns *d;

	(void)state;
	d = run_one(msg, sizeof(msg), 40000, FP_OBS_DNS_ANSWER);
	assert_int_equal(d->id, 0x1234);
	assert_int_equal(d->n_q, 1);
	assert_string_equal(d->q[0].name, "www.example.com");
	assert_int_equal(d->q[0].type, 1);
	assert_int_equal(d->n_rr, 2);
	assert_int_equal(d->rr[0].type, 5);
	assert_string_equal(d->rr[0].data, "cdn.example.com");
	assert_int_equal(d->rr[0].ttl, 3600);
	assert_string_equal(d->rr[1].name, "cdn.example.com");
	assert_int_equal(d->rr[1].addr.family, 4);
	assert_memory_equal(d->rr[1].addr.a, ((uint8_t[]){ 192, 0, 2, 7 }),
			4);
	assert_int_equal(d->rr[1].ttl, 60);
}

/* Pointer loops and forward pointers end the parse, they never loop. */
static void test_pointer_loop(void **state)
{
	static const uint8_t self[] = {
		0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		0xc0, 12, 0, 1, 0, 1,
	};
	static const uint8_t pair[] = {
		0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0,
		1, 'a', 0xc0, 18, 0, 1, 0, 1,
		1, 'b', 0xc0, 12, 0, 1, 0, 1,
	};
	static const uint8_t fwd[] = {
		0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		0xc0, 14, 1, 'x', 0, 0, 1, 0, 1,
	};
	static struct collect c;

	(void)state;
	assert_int_equal(run(self, sizeof(self), 40000, &c), 1);
	assert_int_equal(c.obs[0].u.dns.n_q, 0);
	assert_int_equal(run(pair, sizeof(pair), 40000, &c), 1);
	assert_int_equal(c.obs[0].u.dns.n_q, 0);
	assert_int_equal(run(fwd, sizeof(fwd), 40000, &c), 1);
	assert_int_equal(c.obs[0].u.dns.n_q, 0);
}

/* Every truncation parses without reading past the end (ASan). */
static void test_truncation(void **state)
{
	static const uint8_t msg[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		1, 'a', 0, 0, 28, 0, 1,
		0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 1, 0, 16,
		0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	static struct collect c;

	(void)state;
	for (size_t i = 0; i <= sizeof(msg); i++) {
		uint8_t *m = malloc(i ? i : 1);

		memcpy(m, msg, i);
		run(m, i, 40000, &c);
		if (i < 12)
			assert_int_equal(c.n, 0);
		else
			assert_int_equal(c.n, 1);
		free(m);
	}
	assert_int_equal(c.obs[0].u.dns.n_rr, 1);
	assert_int_equal(c.obs[0].u.dns.rr[0].addr.family, 6);
}

static void test_mdns(void **state)
{
	static const uint8_t msg[] = {
		0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
		4, 'J', 'o', 'h', 'n', 12, '_', 'd', 'e', 'v', 'i', 'c', 'e',
		'-', 'i', 'n', 'f', 'o', 4, '_', 't', 'c', 'p', 5, 'l', 'o',
		'c', 'a', 'l', 0, 0, 16, 0x80, 1, 0, 0, 0x11, 0x94, 0, 26,
		14, 'm', 'o', 'd', 'e', 'l', '=', 'i', 'M', 'a', 'c', '1', '7',
		',', '1', 10, 'o', 's', 'x', 'v', 'e', 'r', 's', '=', '1', '7',
	};
	const struct fp_dns *d;

	(void)state;
	d = run_one(msg, sizeof(msg), 5353, FP_OBS_MDNS);
	assert_string_equal(d->rr[0].name, "John._device-info._tcp.local");
	assert_int_equal(d->n_txt, 2);
	assert_string_equal(d->txt[0], "model=iMac17,1");
	assert_string_equal(d->txt[1], "osxvers=17");
	assert_string_equal(d->rr[0].data, "model=iMac17,1; osxvers=17");
}

/* DNS over TCP: a message split over segments, two in one segment. */
static void test_tcp(void **state)
{
	static const uint8_t q[] = {
		0, 22, 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 2, 'b', 'c', 0, 0, 1, 0, 1,
	};
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	struct t_tcp t = { .sport = 40000, .dport = 53, .seq = 100,
		.flags = 0x18, .win = 100 };
	uint8_t two[2 * sizeof(q)];
	size_t n;

	(void)state;
	memset(&c, 0, sizeof(c));
	n = build_tcp4(frame, 1, 2, &t, q, 5);
	fp_process_frame(ctx, frame, n, 1, collect_cb, &c);
	assert_int_equal(c.n, 0);
	t.seq = 105;
	n = build_tcp4(frame, 1, 2, &t, q + 5, sizeof(q) - 5);
	fp_process_frame(ctx, frame, n, 1, collect_cb, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.obs[0].kind, FP_OBS_DNS_QUERY);
	assert_string_equal(c.obs[0].u.dns.q[0].name, "a.bc");
	memcpy(two, q, sizeof(q));
	memcpy(two + sizeof(q), q, sizeof(q));
	two[sizeof(q) + 3] = 0x35;
	t.seq = (uint32_t)(100 + sizeof(q));
	n = build_tcp4(frame, 1, 2, &t, two, sizeof(two));
	fp_process_frame(ctx, frame, n, 1, collect_cb, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.obs[2].u.dns.id, 0x1235);
	fp_ctx_destroy(ctx);
}

TEST_MAIN(
	cmocka_unit_test(test_answer),
	cmocka_unit_test(test_pointer_loop),
	cmocka_unit_test(test_truncation),
	cmocka_unit_test(test_mdns),
	cmocka_unit_test(test_tcp))
