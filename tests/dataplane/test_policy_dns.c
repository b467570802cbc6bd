/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dns_name rules end to end in the classifier (needs the EAL: rte_acl):
 * a policy with exact and wildcard names, a binding table fed with DNS
 * responses as the worker would, and a clock the test moves. A flow to an
 * address is denied until the device received an answer naming it,
 * allowed afterwards for that device only, and denied again once the
 * binding expired. Then random policies with names, against the
 * reference (policy_ref.h).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
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
#include "policy_ref.h"
#include "test_dns_common.h"
#include "test_policy_common.h"
#include "test_eal.h"
#include "test_rand.h"
#include "util_asan.h"

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

/*
 * An address whose names match more rules than a fixed handful: the one
 * that decides is the best rank over all of them. Here the name's fifth
 * match (the exact name, then four suffixes) denies, and outranks them.
 */
static void
test_many_names(void **state)
{
	static const char *const wild[] = {
		"*.a.b.example.com", "*.b.example.com", "*.example.com",
	};
	struct tp *m = tp_new(4, 8, 16);
	struct policy_ctx *c;

	(void)state;
	fake_now = 1000;
	tp_seg(m, 1, 0, 1);
	tp_seg(m, 2, 1, 1);
	m->pol.default_segment = 1;
	m->pol.quarantine_segment = 1;
	tp_local(m, "192.168.0.0/16");
	tp_dev(m, DEV_A, 0, 1);
	tp_dev(m, GW, 0, 2);
	tp_rule(m, 10, 20, ep_seg(m, 1), ep_dns(m, "x.a.b.example.com"), 6,
		1, 0);
	for (uint32_t i = 0; i < RTE_DIM(wild); i++)
		tp_rule(m, 11 + i, 30 + i, ep_seg(m, 1), ep_dns(m, wild[i]),
			6, 1, 0);
	tp_rule(m, 20, 1, ep_seg(m, 1), ep_dns(m, "*.com"), 6, 0, 0);
	c = build_with(m, dns);
	assert_non_null(c);
	EXPECT(c, DEV_A, GW, "192.168.1.10", "8.8.4.4", 6, 443, POLICY_DENY,
	       0);
	answer_a(dns, c, DEV_A, "x.a.b.example.com", 300, 8, 8, 4, 4);
	EXPECT(c, DEV_A, GW, "192.168.1.10", "8.8.4.4", 6, 443, POLICY_DENY,
	       20);
	/* Without the "*.com" rule the exact name decides. */
	m->pol.n_rules--;
	policy_free(c);
	c = build_with(m, dns);
	assert_non_null(c);
	EXPECT(c, DEV_A, GW, "192.168.1.10", "8.8.4.4", 6, 443, POLICY_ALLOW,
	       10);
	policy_free(c);
	tp_free(m);
}

/* ---- random policies with names, against the reference --------------- */

#define RN_MACS 5
#define RN_ADDRS 6

/* Names a policy is written with and DNS gives, nested so that wildcards
 * overlap; the variants add case, a trailing dot and a label. */
static const char *const rn_names[] = {
	"example.com", "api.example.com", "cdn.example.com",
	"x.cdn.example.com", "a.b.example.net", "b.example.net",
	"example.net", "iot.vendor.example",
};

static const char *const rn_macs[RN_MACS] = {
	DEV_A, DEV_B, GW, "02:00:00:00:00:0c", "02:00:00:00:00:0d",
};

static const char *const rn_addrs[2][RN_ADDRS] = {
	{ "192.168.1.10", "192.168.1.11", "8.8.4.4", "8.8.8.8",
	  "203.0.113.7", "198.51.100.1" },
	{ "fd00::10", "fd00::11", "2001:db8::1", "2001:db8::2",
	  "2001:db8:1::7", "2606:4700::1" },
};

static uint32_t
rn(uint32_t n)
{
	return (uint32_t)(test_rand() >> 33) % n;
}

static Cordon__Endpoint *
rn_dns_ep(struct tp *m)
{
	char buf[128];
	const char *base = rn_names[rn(RTE_DIM(rn_names))];

	switch (rn(5)) {
	case 0: case 1:
		snprintf(buf, sizeof(buf), "*.%s", base);
		break;
	case 2:		/* spelled otherwise, the same name */
		snprintf(buf, sizeof(buf), "%s.", base);
		buf[0] = (char)(buf[0] - 'a' + 'A');
		break;
	default:
		snprintf(buf, sizeof(buf), "%s", base);
		break;
	}
	return ep_dns(m, buf);
}

static Cordon__Endpoint *
rn_ep(struct tp *m)
{
	switch (rn(8)) {
	case 0:
		return ep_any(m);
	case 1:
		return ep_seg(m, 1 + rn(3));
	case 2:
		return ep_dev(m, rn_macs[rn(RN_MACS)]);
	case 3:
		return ep_internet(m);
	case 4:
		return ep_local(m);
	default:
		return rn_dns_ep(m);
	}
}

static struct tp *
rn_policy(void)
{
	struct tp *m = tp_new(4, 8, 24);
	const uint32_t n_rules = 1 + rn(20);

	for (uint32_t s = 1; s <= 3; s++)
		tp_seg(m, s, (int)rn(2), 1);
	m->pol.default_segment = 1;
	m->pol.quarantine_segment = 3;
	tp_local(m, "192.168.0.0/16");
	tp_local(m, "fd00::/8");
	for (uint32_t i = 0; i < RN_MACS - 1; i++)
		tp_dev(m, rn_macs[i], 0, 1 + rn(3));
	for (uint32_t i = 0; i < n_rules; i++) {
		/* Half of them with a name on each side, some on both. */
		Cordon__Endpoint *src = rn(4) == 0 ? rn_dns_ep(m) : rn_ep(m);
		Cordon__Rule *r = tp_rule(m, 1 + i, rn(8), src, rn_ep(m),
			(uint32_t[]){ 0, 6, 17 }[rn(3)], (int)rn(2),
			(int)rn(3));

		if (r->ip_proto != 0 && rn(2)) {
			const uint32_t lo = 400 + rn(100);

			tp_ports(m, r, lo, lo + rn(60));
		}
	}
	return m;
}

/* Up to 24 (device, address) pairs, each told 1..4 names. */
static void
rn_bind(struct ref_dns *d, struct dns_table *tb)
{
	const uint32_t n = rn(25);

	d->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		char names[DNS_BIND_NAMES][64];
		const char *np[DNS_BIND_NAMES];
		union policy_addr a;
		uint8_t mac[6];
		const int f = rn(2);
		uint32_t k = 0, want = 1 + rn(DNS_BIND_NAMES);

		for (uint32_t tries = 0; k < want && tries < 16; tries++) {
			uint32_t j;

			snprintf(names[k], sizeof(names[k]), "%s%s",
				 rn(3) == 0 ? "w." : "",
				 rn_names[rn(RTE_DIM(rn_names))]);
			for (j = 0; j < k && strcmp(names[j], names[k]); j++)
				;
			if (j == k) {
				np[k] = names[k];
				k++;
			}
		}
		tp_parse_mac(rn_macs[rn(RN_MACS)], mac);
		assert_int_equal(inet_pton(f ? AF_INET6 : AF_INET,
			rn_addrs[f][rn(RN_ADDRS)], &a), 1);
		ref_dns_bind(d, tb, fake_now, mac, 0, f ? AF_INET6 : AF_INET,
			     &a, np, k);
	}
}

static void
rn_query(struct policy_query *q, const struct ref_dns *d)
{
	const int f = rn(2);

	tq_set(q, rn_macs[rn(RN_MACS)], rn_macs[rn(RN_MACS)], 0,
	       rn_addrs[f][rn(RN_ADDRS)], rn_addrs[f][rn(RN_ADDRS)],
	       (uint8_t)(uint32_t[]){ 6, 17, 1 }[rn(3)], 0);
	if (q->ip_proto != 1)
		q->dst_port = (uint16_t)(390 + rn(160));
	/* Mostly to or from an address a device was told names of. */
	if (d->n != 0 && rn(4) != 0) {
		const struct ref_dns_binding *b = &d->b[rn(d->n)];
		const char *other = rn_addrs[b->family == AF_INET6][rn(
			RN_ADDRS)];

		q->family = (uint8_t)b->family;
		if (rn(2)) {
			memcpy(q->src_mac, b->mac, 6);
			memcpy(&q->dst, &b->addr, sizeof(b->addr));
			inet_pton(b->family, other, &q->src);
		} else {
			memcpy(q->dst_mac, b->mac, 6);
			memcpy(&q->src, &b->addr, sizeof(b->addr));
			inet_pton(b->family, other, &q->dst);
		}
	}
}

#define RN_POLICIES (UTIL_ASAN ? 40 : 200)
#define RN_QUERIES 256

static void
test_reference_names(void **state)
{
	static struct ref_dns d;
	uint64_t total = 0, diffs = 0, by_name = 0;

	(void)state;
	fake_now = 1000;
	for (uint32_t p = 0; p < RN_POLICIES; p++) {
		struct dns_table *tb = table();
		struct tp *m = rn_policy();
		struct policy_ctx *c;
		struct policy_query q[RN_QUERIES];
		const struct policy_query *qp[RN_QUERIES];
		struct policy_result res[RN_QUERIES];
		struct dns_stats st;

		rn_bind(&d, tb);
		dns_table_stats(tb, &st);
		assert_int_equal(st.evicted, 0);
		c = build_with(m, tb);
		assert_non_null(c);
		for (uint32_t i = 0; i < RN_QUERIES; i++) {
			rn_query(&q[i], &d);
			qp[i] = &q[i];
		}
		policy_classify_burst(c, qp, RN_QUERIES, res);
		for (uint32_t i = 0; i < RN_QUERIES; i++) {
			struct policy_result want, none;

			total++;
			none = ref_eval(&m->pol, &q[i]);
			if (ref_agrees_dns(&m->pol, &q[i], &d, &res[i],
					   &want)) {
				by_name += want.rule_id != none.rule_id;
				continue;
			}
			if (diffs++ < 5)
				printf("DIFF policy %u query %u: ref %u/%u, "
				       "got %u/%u\n", p, i, want.action,
				       want.rule_id, res[i].action,
				       res[i].rule_id);
		}
		policy_free(c);
		tp_free(m);
		dns_table_free(tb);
	}
	printf("names: %" PRIu64 " queries, %" PRIu64 " decided otherwise "
	       "for the names, %" PRIu64 " differences\n", total, by_name,
	       diffs);
	assert_int_equal(diffs, 0);
	/* The names must have decided a good share, or this tests little. */
	assert_true(by_name > total / 20);
}

TEST_EAL_MAIN("tdns",
	cmocka_unit_test_setup_teardown(test_exact_name, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_wildcard_and_ranks, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_src_name_cname_v6, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_burst_variants, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_many_names, pdns_setup,
		pdns_teardown),
	cmocka_unit_test_setup_teardown(test_reference_names, pdns_setup,
		pdns_teardown))
