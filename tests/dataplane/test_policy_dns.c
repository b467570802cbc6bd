/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dns_name rules end to end in the classifier (needs the EAL: rte_acl):
 * a policy with exact and wildcard names, a binding table fed with DNS
 * responses as the worker would, and a clock the test moves. A flow to an
 * address is denied until the device received an answer naming it,
 * allowed afterwards for that device only, and denied again once the
 * binding expired.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_memory.h>

#include "dns_snoop.h"
#include "policy.h"
#include "test_dns_common.h"
#include "test_policy_common.h"
#include "test_eal.h"

#define DEV_A "02:00:00:00:00:0a"
#define DEV_B "02:00:00:00:00:0b"
#define GW "02:00:00:00:00:fe"

static uint32_t fake_now = 1000;

static uint32_t
fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

/* Rule ids. */
enum {
	R_DNS = 1,
	R_API = 2,
	R_WILD = 3,
	R_BLOCKED = 4,
	R_PUSH = 5,
	R_API_DUP = 6,
};

static struct tp *
dns_policy(void)
{
	struct tp *t = tp_new(4, 8, 16);
	Cordon__Rule *r;

	t->pol.version = 7;
	tp_seg(t, 1, 0, 1);		/* default deny */
	tp_seg(t, 2, 0, 1);		/* the gateway's */
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 1;
	tp_local(t, "192.168.0.0/16");
	tp_dev(t, DEV_A, 0, 1);
	tp_dev(t, DEV_B, 0, 1);
	tp_dev(t, GW, 0, 2);

	r = tp_rule(t, R_DNS, 0, ep_any(t), ep_any(t), 17, 1, 0);
	tp_ports(t, r, 53, 53);
	r = tp_rule(t, R_API, 10, ep_seg(t, 1), ep_dns(t, "api.example.com"),
		6, 1, 0);
	tp_ports(t, r, 443, 443);
	tp_rule(t, R_WILD, 20, ep_seg(t, 1), ep_dns(t, "*.wild.example"), 6,
		1, 0);
	/* Before the wildcard: one name of it is denied. */
	tp_rule(t, R_BLOCKED, 5, ep_seg(t, 1),
		ep_dns(t, "Blocked.Wild.Example."), 0, 0, 0);
	/* Remote push servers may open flows to the devices. */
	tp_rule(t, R_PUSH, 10, ep_dns(t, "push.example.net"), ep_seg(t, 1),
		6, 1, 0);
	/* Same name spelled differently: same id, later rank. */
	r = tp_rule(t, R_API_DUP, 30, ep_seg(t, 1),
		ep_dns(t, "API.example.com."), 6, 1, 0);
	tp_ports(t, r, 8443, 8443);
	return t;
}

static struct policy_ctx *
build_with(struct tp *t, const struct dns_table *dns)
{
	struct policy_build_opts o = {
		.socket_id = SOCKET_ID_ANY,
		.dns = dns,
	};

	return tq_build(t, &o);
}

static struct policy_result
classify(const struct policy_ctx *ctx, const char *smac, const char *dmac,
	 const char *src, const char *dst, uint8_t proto, uint16_t port)
{
	struct policy_query q;
	const struct policy_query *qp[1] = { &q };
	struct policy_result r;

	tq_set(&q, smac, dmac, 0, src, dst, proto, port);
	memset(&r, 0xa5, sizeof(r));
	policy_classify_burst(ctx, qp, 1, &r);
	return r;
}

#define EXPECT(ctx, smac, dmac, src, dst, proto, port, act, rule) do {	\
	struct policy_result r_ = classify(ctx, smac, dmac, src, dst,	\
					   proto, port);		\
	if (r_.action != (act) || r_.rule_id != (rule))			\
		fail_msg("line %d: %s -> %s %u/%u: got %u rule %u, "	\
			 "want %d rule %d", __LINE__, src, dst, proto,	\
			 port, r_.action, r_.rule_id, (int)(act),	\
			 (int)(rule));					\
} while (0)

/* The device with MAC `mac` receives the answer "qname A ip" (ttl). */
static void
answer_a(struct dns_table *t, const struct policy_ctx *ctx, const char *mac,
	 const char *qname, uint32_t ttl, uint8_t a, uint8_t b, uint8_t c,
	 uint8_t d)
{
	struct msg m;
	uint8_t mc[6];

	tp_parse_mac(mac, mc);
	start(&m, qname, 1, 1);
	rr_a(&m, qname, ttl, a, b, c, d);
	assert_int_equal(dns_snoop(t, mc, 0, m.b, m.n, fake_now,
				   policy_dns_relevant, (void *)ctx), 0);
}

static struct dns_table *
table(void)
{
	struct dns_table_params prm = {
		.capacity = 4096,
		.ttl_floor_s = 60,
		.clock = fake_clock,
	};
	struct dns_table *t = dns_table_create(&prm);

	assert_non_null(t);
	return t;
}

/* Each test's DNS table, the policy and the classifier built on both
 * (cmocka setup and teardown; a test may rebuild ctx). */
static struct dns_table *dns;
static struct tp *t;
static struct policy_ctx *ctx;

static int
pdns_setup(void **state)
{
	(void)state;
	dns = table();
	t = dns_policy();
	ctx = build_with(t, dns);
	return ctx != NULL ? 0 : -1;
}

static int
pdns_teardown(void **state)
{
	(void)state;
	policy_free(ctx);
	tp_free(t);
	dns_table_free(dns);
	return 0;
}

static void
test_exact_name(void **state)
{
	struct policy_info info;

	(void)state;
	fake_now = 1000;
	policy_get_info(ctx, &info);
	assert_int_equal(info.n_dns_rules, 5);
	assert_int_equal(info.n_dns_names, 4);	/* API.example.com. = api */
	assert_int_equal(policy_dns_name_id(ctx, "API.EXAMPLE.COM"),
			 policy_dns_name_id(ctx, "api.example.com"));
	assert_true(policy_dns_active(ctx));

	/* Before any answer: the segment default. */
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 0, 0);
	answer_a(dns, ctx, DEV_A, "api.example.com", 300, 93, 184, 216, 34);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 1,
	       R_API);
	/* The same name's other rule (ports 8443), and a port neither has. */
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 8443, 1,
	       R_API_DUP);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 80, 0, 0);
	/* B did not receive the answer. */
	EXPECT(ctx, DEV_B, GW, "192.168.1.11", "93.184.216.34", 6, 443, 0, 0);
	/* Another address of A. */
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.35", 6, 443, 0, 0);

	/* Expiry: TTL 300 at 1000. */
	fake_now = 1299;
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 1,
	       R_API);
	fake_now = 1300;
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 0, 0);
	/* A short TTL is floored to 60. */
	answer_a(dns, ctx, DEV_A, "api.example.com", 1, 93, 184, 216, 34);
	fake_now = 1359;
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 1,
	       R_API);
	fake_now = 1360;
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 0, 0);

	/* Bindings outlive the policy: a new ctx sees them at once. */
	fake_now = 2000;
	answer_a(dns, ctx, DEV_A, "api.example.com", 300, 93, 184, 216, 34);
	policy_free(ctx);
	ctx = build_with(t, dns);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 1,
	       R_API);
	/* Without a table, dns_name rules never match. */
	policy_free(ctx);
	ctx = build_with(t, NULL);
	assert_false(policy_dns_active(ctx));
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "93.184.216.34", 6, 443, 0, 0);
}

static void
test_wildcard_and_ranks(void **state)
{
	uint32_t ids[8];
	uint32_t wild = policy_dns_name_id(ctx, "*.wild.example");
	uint32_t blocked = policy_dns_name_id(ctx, "blocked.wild.example");

	(void)state;
	fake_now = 1000;
	assert_true(wild != 0 && blocked != 0 && wild != blocked);
	/* Name -> ids: exact plus every covering wildcard. */
	assert_int_equal(policy_dns_name_ids(ctx, "a.b.wild.example", 16, ids,
					     8), 1);
	assert_int_equal(ids[0], wild);
	assert_int_equal(policy_dns_name_ids(ctx, "blocked.wild.example", 20,
					     ids, 8), 2);
	assert_int_equal(ids[0], blocked);
	assert_int_equal(ids[1], wild);
	assert_int_equal(policy_dns_name_ids(ctx, "wild.example", 12, ids, 8),
			 0);
	assert_int_equal(policy_dns_name_ids(ctx, "xwild.example", 13, ids, 8),
			 0);
	assert_int_equal(policy_dns_name_ids(ctx, "api.example.com", 15, ids,
					     8), 1);
	assert_int_equal(policy_dns_name_ids(ctx, "api.example.com", 15, ids,
					     0), 0);

	answer_a(dns, ctx, DEV_A, "x.y.wild.example", 300, 5, 5, 5, 5);
	answer_a(dns, ctx, DEV_A, "wild.example", 300, 5, 5, 5, 6);
	answer_a(dns, ctx, DEV_A, "blocked.wild.example", 300, 5, 5, 5, 7);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.5", 6, 22, 1, R_WILD);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.5", 17, 22, 0, 0);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.6", 6, 22, 0, 0);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.7", 6, 22, 0,
	       R_BLOCKED);
	EXPECT(ctx, DEV_B, GW, "192.168.1.11", "5.5.5.5", 6, 22, 0, 0);

	/* One address, two names: the best rule over its names wins. */
	answer_a(dns, ctx, DEV_A, "api.example.com", 300, 5, 5, 5, 5);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.5", 6, 443, 1, R_API);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.5", 6, 22, 1, R_WILD);
	answer_a(dns, ctx, DEV_A, "blocked.wild.example", 300, 5, 5, 5, 5);
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "5.5.5.5", 6, 22, 0,
	       R_BLOCKED);
}

static void
test_src_name_cname_v6(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x44 };
	struct msg m;
	uint8_t mc[6];
	uint32_t gen;

	(void)state;
	fake_now = 1000;
	/* src_name: what the responder (A) was told about the initiator. */
	EXPECT(ctx, GW, DEV_A, "7.7.7.7", "192.168.1.10", 6, 5228, 0, 0);
	answer_a(dns, ctx, DEV_A, "push.example.net", 300, 7, 7, 7, 7);
	EXPECT(ctx, GW, DEV_A, "7.7.7.7", "192.168.1.10", 6, 5228, 1, R_PUSH);
	EXPECT(ctx, GW, DEV_B, "7.7.7.7", "192.168.1.11", 6, 5228, 0, 0);
	/* It is not a dst_name for A's own flows. */
	EXPECT(ctx, DEV_A, GW, "192.168.1.10", "7.7.7.7", 6, 5228, 0, 0);

	/* CNAME: the question name binds the end of the chain. */
	tp_parse_mac(DEV_B, mc);
	start(&m, "api.example.com", 2, 1);
	rr_cname(&m, "api.example.com", 3600, "edge.cdn.test");
	rr_a(&m, "edge.cdn.test", 120, 9, 9, 9, 9);
	gen = dns_table_gen(dns);
	assert_int_equal(dns_snoop(dns, mc, 0, m.b, m.n, fake_now,
				   policy_dns_relevant, ctx), 0);
	assert_int_equal(dns_table_gen(dns), gen + 1);
	EXPECT(ctx, DEV_B, GW, "192.168.1.11", "9.9.9.9", 6, 443, 1, R_API);
	fake_now = 1120;
	EXPECT(ctx, DEV_B, GW, "192.168.1.11", "9.9.9.9", 6, 443, 0, 0);

	/* AAAA. */
	start(&m, "api.example.com", 1, 28);
	put_name(&m, "api.example.com");
	rr_tail(&m, 28, 300, v6, 16);
	assert_int_equal(dns_snoop(dns, mc, 0, m.b, m.n, fake_now,
				   policy_dns_relevant, ctx), 0);
	EXPECT(ctx, DEV_B, GW, "fd00::11", "2001:db8::44", 6, 443, 1, R_API);
	EXPECT(ctx, DEV_A, GW, "fd00::10", "2001:db8::44", 6, 443, 0, 0);

	/* Names the policy does not use do not move the generation. */
	gen = dns_table_gen(dns);
	answer_a(dns, ctx, DEV_A, "unrelated.org", 300, 1, 1, 1, 1);
	assert_int_equal(dns_table_gen(dns), gen);
	answer_a(dns, ctx, DEV_A, "z.wild.example", 300, 1, 1, 1, 1);
	assert_int_equal(dns_table_gen(dns), gen + 1);
}

/* Bursts with many name variants (more keys than one rte_acl call takes)
 * give the same answers as queries one at a time. */
static void
test_burst_variants(void **state)
{
	struct policy_query q[200];
	const struct policy_query *qp[200];
	struct policy_result res[200];
	char ip[32];
	unsigned int i;

	(void)state;
	fake_now = 1000;
	/* 8.8.0.x: four names each (up to 4 x 4 variants with the src side,
	 * which gets the push name for the reverse direction). */
	for (i = 0; i < 50; i++) {
		answer_a(dns, ctx, DEV_A, "api.example.com", 300, 8, 8, 0,
			 (uint8_t)i);
		answer_a(dns, ctx, DEV_A, "blocked.wild.example", 300, 8, 8, 0,
			 (uint8_t)i);
		answer_a(dns, ctx, DEV_A, "q.wild.example", 300, 8, 8, 0,
			 (uint8_t)i);
		answer_a(dns, ctx, DEV_A, "push.example.net", 300, 8, 8, 0,
			 (uint8_t)i);
	}
	for (i = 0; i < 200; i++) {
		snprintf(ip, sizeof(ip), "8.8.0.%u", i % 64);
		if (i % 3 == 0)
			tq_set(&q[i], GW, DEV_A, 0, ip, "192.168.1.10", 6,
			       5228);
		else
			tq_set(&q[i], DEV_A, GW, 0, "192.168.1.10", ip, 6,
			       i % 3 == 1 ? 443 : 22);
		qp[i] = &q[i];
	}
	policy_classify_burst(ctx, qp, 200, res);
	for (i = 0; i < 200; i++) {
		const struct policy_query *one[1] = { &q[i] };
		struct policy_result r;
		unsigned int x = i % 64;

		policy_classify_burst(ctx, one, 1, &r);
		assert_int_equal(res[i].action, r.action);
		assert_int_equal(res[i].rule_id, r.rule_id);
		if (x >= 50)
			assert_int_equal(r.rule_id, 0);
		else if (i % 3 == 0)
			assert_int_equal(r.rule_id, R_PUSH);
		else	/* the blocked name outranks the others */
			assert_int_equal(r.rule_id, R_BLOCKED);
	}
}

TEST_EAL_MAIN("tdns",
	cmocka_unit_test_setup_teardown(test_exact_name, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_wildcard_and_ranks, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_src_name_cname_v6, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_burst_variants, pdns_setup,
		pdns_teardown))
