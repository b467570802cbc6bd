/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Link/network decoding: VLAN and QinQ, IPv6 extension headers,
 * fragments, tunnels, truncation, and the fp_interest() pre-filter. */

#include "test_fp_util.h"
#include "fp_internal.h"
#include "test_main.h"

static uint8_t frame[1600];

static const uint8_t dns_q[] = {
	0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	1, 'a', 2, 'b', 'c', 0, 0, 1, 0, 1,
};

/* IPv4/UDP/53 query behind n VLAN tags. */
static size_t vlan_frame(int tags, const uint16_t *vids)
{
	size_t o = build_eth(frame, 0x0800, tags, vids);
	size_t n = build_udp4(frame + 500, 0x0a000001, 0x0a000002, 40000, 53,
			dns_q, sizeof(dns_q));

	memmove(frame + o, frame + 500 + 14, n - 14);
	return o + n - 14;
}

static void test_vlan(void **state)
{
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	uint16_t vids[2] = { 100, 200 };
	size_t n;

	(void)state;
	n = vlan_frame(1, vids);
	assert_int_equal(fp_process_frame(ctx, frame, n, 1, collect_cb, &c),
			1);
	assert_int_equal(c.obs[0].vlan, 100);
	assert_string_equal(c.obs[0].u.dns.q[0].name, "a.bc");
	n = vlan_frame(2, vids);	/* 802.1ad outer, 802.1Q inner */
	assert_int_equal(fp_process_frame(ctx, frame, n, 1, collect_cb, &c),
			1);
	assert_int_equal(c.obs[1].vlan, 200);
	assert_int_equal(fp_interest(frame, n), FP_INTEREST_YES);
	fp_ctx_destroy(ctx);
}

/* IPv6 with hop-by-hop and destination options before UDP. */
static void test_ipv6_ext(void **state)
{
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	size_t o = build_eth(frame, 0x86dd, 0, NULL), ip = o;
	size_t plen = 8 + 16 + 8 + sizeof(dns_q);

	(void)state;
	memset(frame + o, 0, 40 + 24);
	frame[o] = 0x60;
	put16(frame + o + 4, (uint16_t)plen);
	frame[o + 6] = 0;		/* hop-by-hop */
	frame[o + 7] = 64;
	frame[o + 8] = 0x20;
	frame[o + 23] = 1;
	frame[o + 24] = 0x20;
	frame[o + 39] = 2;
	o += 40;
	frame[o] = 60;			/* next: destination options */
	frame[o + 1] = 0;		/* 8 bytes */
	o += 8;
	frame[o] = 17;
	frame[o + 1] = 1;		/* 16 bytes */
	o += 16;
	put16(frame + o, 40000);
	put16(frame + o + 2, 53);
	put16(frame + o + 4, (uint16_t)(8 + sizeof(dns_q)));
	memcpy(frame + o + 8, dns_q, sizeof(dns_q));
	o += 8 + sizeof(dns_q);
	assert_int_equal(fp_process_frame(ctx, frame, o, 1, collect_cb, &c),
			1);
	assert_int_equal(c.obs[0].src.family, 6);
	assert_int_equal(c.obs[0].src.a[15], 1);
	/* a fragment header with offset: no transport layer */
	frame[ip + 40] = 44;
	frame[ip + 48] = 17;
	frame[ip + 50] = 0x01;		/* offset 32 */
	assert_int_equal(fp_process_frame(ctx, frame, o, 1, collect_cb, &c),
			0);
	fp_ctx_destroy(ctx);
}

/* VXLAN and GRE: the inner packet is what counts. */
static void test_tunnels(void **state)
{
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	uint8_t inner[200], vx[220];
	size_t in = build_udp4(inner, 0xc0a80001, 0xc0a80002, 40000, 53,
			dns_q, sizeof(dns_q));
	size_t n;

	(void)state;
	memset(vx, 0, 8);
	vx[0] = 0x08;
	memcpy(vx + 8, inner, in);
	n = build_udp4(frame, 0x0a000001, 0x0a000002, 5555, 4789, vx, in + 8);
	assert_int_equal(fp_process_frame(ctx, frame, n, 1, collect_cb, &c),
			1);
	assert_int_equal(c.obs[0].src.a[0], 192);
	/* GRE carrying IPv4 */
	n = build_udp4(frame, 0x0a000001, 0x0a000002, 1, 2, NULL, 0);
	frame[14 + 9] = 47;
	put16(frame + 14 + 2, (uint16_t)(20 + 4 + in - 14));
	frame[34] = 0;
	frame[35] = 0;
	put16(frame + 36, 0x0800);
	memcpy(frame + 38, inner + 14, in - 14);
	assert_int_equal(fp_process_frame(ctx, frame, 38 + in - 14, 1,
				collect_cb, &c), 1);
	assert_int_equal(c.obs[1].dst.a[0], 192);
	fp_ctx_destroy(ctx);
}

/* Every prefix of a frame decodes or is rejected; nothing overreads. */
static void test_truncation(void **state)
{
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	uint16_t vids[2] = { 1, 2 };
	size_t n = vlan_frame(2, vids);

	(void)state;
	for (size_t i = 0; i <= n; i++) {
		uint8_t *p = malloc(i ? i : 1);

		memcpy(p, frame, i);
		fp_process_frame(ctx, p, i, 1, NULL, NULL);
		fp_interest(p, i);
		free(p);
	}
	/* IHL larger than the packet */
	frame[22] = 0x4f;	/* two tags: IP header at 22 */
	assert_true(fp_process_frame(ctx, frame, n, 1, NULL, NULL) < 0);
	fp_ctx_destroy(ctx);
}

static void test_interest(void **state)
{
	struct t_tcp t = { .sport = 40000, .dport = 443, .seq = 1,
		.flags = 0x02, .win = 100 };
	static const uint8_t data[] = { 1, 2, 3, 4 };
	static const uint8_t tls[] = { 22, 3, 1, 0, 10, 1 };
	size_t n;

	(void)state;
	n = build_tcp4(frame, 1, 2, &t, NULL, 0);
	assert_int_equal(fp_interest(frame, n), FP_INTEREST_YES);
	t.flags = 0x10;
	n = build_tcp4(frame, 1, 2, &t, NULL, 0);
	assert_int_equal(fp_interest(frame, n), 0);
	t.flags = 0x18;
	n = build_tcp4(frame, 1, 2, &t, data, sizeof(data));
	assert_int_equal(fp_interest(frame, n), FP_INTEREST_FLOW_START);
	n = build_tcp4(frame, 1, 2, &t, tls, sizeof(tls));
	assert_int_equal(fp_interest(frame, n), FP_INTEREST_YES);
	n = build_udp4(frame, 1, 2, 5000, 5001, data, sizeof(data));
	assert_int_equal(fp_interest(frame, n), 0);
	n = build_udp4(frame, 1, 2, 68, 67, data, sizeof(data));
	assert_int_equal(fp_interest(frame, n), FP_INTEREST_YES);
}

TEST_MAIN(
	cmocka_unit_test(test_vlan),
	cmocka_unit_test(test_ipv6_ext),
	cmocka_unit_test(test_tunnels),
	cmocka_unit_test(test_truncation),
	cmocka_unit_test(test_interest))
