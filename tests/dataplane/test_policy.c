/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * policy_build / policy_classify_burst: hand-written semantics, a plain
 * reference evaluator compared over random policies and queries, and the
 * build/classify cost of large policies. Starts the EAL in-process.
 */

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_memory.h>

#include "policy_file.h"
#include "test_eal.h"
#include "policy_ref.h"
#include "test_policy_common.h"
#include "test_rand.h"
#include "util_asan.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct policy_ctx *
build_ok(struct tp *t)
{
	return tq_build(t, NULL);
}

static struct policy_result
classify1(const struct policy_ctx *ctx, const struct policy_query *q)
{
	const struct policy_query *qp[1] = { q };
	struct policy_result r;

	memset(&r, 0xa5, sizeof(r));
	policy_classify_burst(ctx, qp, 1, &r);
	return r;
}

/* ---- semantics -------------------------------------------------------- */

#define CAM1 "02:00:00:00:00:01"
#define LAPTOP "02:00:00:00:00:02"
#define NAS "02:00:00:00:00:03"
#define PRINTER "02:00:00:00:00:04"
#define QUAR "02:00:00:00:00:66"
#define UNKNOWN "02:00:00:00:00:77"
#define SERVER "02:00:00:00:00:88"
#define GW "02:00:00:00:00:fe"

static struct tp *
semantic_policy(void)
{
	struct tp *t = tp_new(8, 16, 32);
	Cordon__Rule *r;

	t->pol.version = 42;
	tp_seg(t, 1, 0, 1);		/* default: deny, l2 allow */
	tp_seg(t, 2, 0, 1);		/* cameras */
	tp_seg(t, 3, 1, 1);		/* trusted */
	tp_seg(t, 99, 0, 0);		/* quarantine */
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 99;
	tp_local(t, "192.168.0.0/16");
	tp_local(t, "10.0.0.0/8");
	tp_local(t, "fd00::/8");
	tp_dev(t, CAM1, 0, 2)->name = "cam1";
	tp_dev(t, LAPTOP, 0, 3);
	tp_dev(t, GW, 0, 1);
	tp_dev(t, NAS, 10, 3);
	tp_dev(t, PRINTER, 0, 0);
	tp_dev(t, QUAR, 0, 3);
	tp_quar(t, QUAR);

	r = tp_rule(t, 1, 10, ep_seg(t, 2), ep_internet(t), 6, 1, 0);
	tp_ports(t, r, 443, 443);
	tp_rule(t, 2, 5, ep_seg(t, 2), ep_cidr(t, "8.8.8.8/32"), 0, 0, 0);
	r = tp_rule(t, 3, 1, ep_seg(t, 3), ep_dev(t, CAM1), 6, 0, 0);
	tp_ports(t, r, 23, 23);
	/* Quarantine: DHCP and DNS to the gateway only. */
	r = tp_rule(t, 4, 1, ep_seg(t, 99), ep_dev(t, GW), 17, 1, 0);
	tp_ports(t, r, 67, 68);
	tp_ports(t, r, 53, 53);
	r = tp_rule(t, 5, 1, ep_dev(t, CAM1), ep_local(t), 6, 1, 1);
	tp_ports(t, r, 8080, 8080);
	r = tp_rule(t, 6, 1, ep_dev(t, PRINTER), ep_cidr(t, "192.168.1.50/32"),
		6, 1, 2);
	tp_ports(t, r, 9100, 9100);
	tp_rule(t, 7, 1, ep_seg(t, 1), ep_cidr(t, "fd00::53/128"), 0, 1, 0);
	tp_rule(t, 8, 1, ep_seg(t, 2), ep_local(t), 1, 1, 0);
	tp_rule(t, 9, 30, ep_seg(t, 1), ep_cidr(t, "203.0.113.0/24"), 6, 1, 0);
	tp_rule(t, 10, 30, ep_seg(t, 1), ep_cidr(t, "203.0.113.0/24"), 6, 0,
		0);
	r = tp_rule(t, 11, 29, ep_seg(t, 1), ep_cidr(t, "203.0.113.7/32"), 6,
		0, 0);
	tp_ports(t, r, 22, 22);
	tp_rule(t, 12, 0, ep_seg(t, 1), ep_dns(t, "example.com"), 0, 1, 0);
	/* Device rules do not follow a device into quarantine. */
	tp_rule(t, 13, 0, ep_dev(t, QUAR), ep_any(t), 0, 1, 0);
	return t;
}

/* A packet and the answer a policy owes it: action, rule and segments. */
struct pcase {
	const char *smac, *dmac;
	uint16_t vlan;
	const char *src, *dst;
	uint8_t proto;
	uint16_t port;
	int action;
	uint32_t rule, sseg, dseg;
};

static void
pcase_query(struct policy_query *q, const struct pcase *c)
{
	tq_set(q, c->smac, c->dmac, c->vlan, c->src, c->dst, c->proto,
		c->port);
}

/* ctx gives case i of name, c, the answer it wants; *q is its query. */
static void
pcase_check(const struct policy_ctx *ctx, const char *name, size_t i,
		const struct pcase *c, struct policy_query *q)
{
	struct policy_result r;

	pcase_query(q, c);
	r = classify1(ctx, q);
	if (r.action != c->action || r.rule_id != c->rule ||
			r.src_segment != c->sseg || r.dst_segment != c->dseg)
		fail_msg("%s case %zu (%s -> %s %u/%u): got action %u rule %u "
			"seg %u->%u, want %d %u %u->%u", name, i, c->src,
			c->dst, c->proto, c->port, r.action, r.rule_id,
			r.src_segment, r.dst_segment, c->action, c->rule,
			c->sseg, c->dseg);
}

static const struct pcase sem_cases[] = {
	/* cameras: internet 443 only, 8.8.8.8 denied first (priority) */
	{ CAM1, GW, 0, "10.0.0.5", "1.2.3.4", 6, 443, 1, 1, 2, 1 },
	{ CAM1, GW, 0, "10.0.0.5", "1.2.3.4", 6, 80, 0, 0, 2, 1 },
	{ CAM1, GW, 0, "10.0.0.5", "1.2.3.4", 17, 443, 0, 0, 2, 1 },
	{ CAM1, GW, 0, "10.0.0.5", "192.168.5.5", 6, 443, 0, 0, 2, 1 },
	{ CAM1, GW, 0, "10.0.0.5", "8.8.8.8", 6, 443, 0, 2, 2, 1 },
	{ CAM1, GW, 0, "fd00::5", "2001:db8::1", 6, 443, 1, 1, 2, 1 },
	{ CAM1, GW, 0, "fd00::5", "fd00::9", 6, 443, 0, 0, 2, 1 },
	/* trusted: default allow, but not telnet to the camera */
	{ LAPTOP, CAM1, 0, "192.168.1.10", "192.168.1.20", 6, 23, 0, 3, 3, 2 },
	{ LAPTOP, CAM1, 0, "192.168.1.10", "192.168.1.20", 6, 22, 1, 0, 3, 2 },
	/* quarantine beats the device's assignment (segment 3) */
	{ QUAR, GW, 0, "0.0.0.0", "255.255.255.255", 17, 67, 1, 4, 99, 1 },
	{ QUAR, GW, 0, "192.168.1.66", "192.168.1.1", 17, 53, 1, 4, 99, 1 },
	{ QUAR, GW, 0, "192.168.1.66", "192.168.1.1", 6, 53, 0, 0, 99, 1 },
	{ QUAR, GW, 0, "192.168.1.66", "192.168.1.1", 6, 80, 0, 0, 99, 1 },
	{ QUAR, LAPTOP, 0, "192.168.1.66", "192.168.1.10", 17, 53, 0, 0, 99,
		3 },
	{ QUAR, GW, 0, "192.168.1.66", "1.2.3.4", 6, 443, 0, 0, 99, 1 },
	/* INITIATOR_DST: local hosts may open cam1:8080, not the reverse */
	{ UNKNOWN, CAM1, 0, "192.168.1.30", "192.168.1.20", 6, 8080, 1, 5, 1,
		2 },
	{ CAM1, UNKNOWN, 0, "192.168.1.20", "192.168.1.30", 6, 8080, 0, 0, 2,
		1 },
	{ GW, CAM1, 0, "8.8.4.4", "192.168.1.20", 6, 8080, 0, 0, 1, 2 },
	/* INITIATOR_EITHER: printer <-> server on 9100 both ways */
	{ PRINTER, SERVER, 0, "192.168.1.40", "192.168.1.50", 6, 9100, 1, 6,
		1, 1 },
	{ SERVER, PRINTER, 0, "192.168.1.50", "192.168.1.40", 6, 9100, 1, 6,
		1, 1 },
	{ SERVER, PRINTER, 0, "192.168.1.50", "192.168.1.40", 6, 9101, 0, 0,
		1, 1 },
	{ PRINTER, SERVER, 0, "192.168.1.40", "192.168.1.51", 6, 9100, 0, 0,
		1, 1 },
	/* protocol any, IPv6 */
	{ UNKNOWN, GW, 0, "fd00::77", "fd00::53", 17, 53, 1, 7, 1, 1 },
	{ UNKNOWN, GW, 0, "fd00::77", "fd00::53", 58, 0, 1, 7, 1, 1 },
	{ UNKNOWN, GW, 0, "fd00::77", "fd00::54", 17, 53, 0, 0, 1, 1 },
	/* icmp to local only */
	{ CAM1, GW, 0, "10.0.0.5", "192.168.1.1", 1, 0, 1, 8, 2, 1 },
	{ CAM1, GW, 0, "10.0.0.5", "1.1.1.1", 1, 0, 0, 0, 2, 1 },
	/* priority ties: file order; lower priority value first */
	{ UNKNOWN, GW, 0, "192.168.1.30", "203.0.113.5", 6, 80, 1, 9, 1, 1 },
	{ UNKNOWN, GW, 0, "192.168.1.30", "203.0.113.7", 6, 22, 0, 11, 1, 1 },
	{ UNKNOWN, GW, 0, "192.168.1.30", "203.0.113.7", 6, 23, 1, 9, 1, 1 },
	/* VLAN-specific assignment */
	{ NAS, GW, 10, "192.168.1.3", "1.2.3.4", 6, 80, 1, 0, 3, 1 },
	{ NAS, GW, 0, "192.168.1.3", "1.2.3.4", 6, 80, 0, 0, 1, 1 },
	{ NAS, GW, 20, "192.168.1.3", "1.2.3.4", 6, 80, 0, 0, 1, 1 },
	/* dns_name rules never match yet */
	{ UNKNOWN, GW, 0, "192.168.1.30", "93.184.216.34", 6, 80, 0, 0, 1, 1 },
};

static void
test_semantics(void **state)
{
	struct tp *t = semantic_policy();
	struct policy_ctx *ctx = build_ok(t);
	const struct policy_query *qp[64];
	struct policy_query q[64];
	struct policy_result res[64];
	struct policy_device_info di;
	struct policy_info info;
	uint8_t mac[6];
	uint32_t seg, dev;
	size_t i, n = sizeof(sem_cases) / sizeof(sem_cases[0]);

	(void)state;
	assert_true(n <= 64);
	/* One at a time and as one burst: same answers. */
	for (i = 0; i < n; i++) {
		pcase_check(ctx, "semantics", i, &sem_cases[i], &q[i]);
		qp[i] = &q[i];
	}
	policy_classify_burst(ctx, qp, (uint32_t)n, res);
	for (i = 0; i < n; i++) {
		assert_int_equal(res[i].action, sem_cases[i].action);
		assert_int_equal(res[i].rule_id, sem_cases[i].rule);
	}

	/* Devices: index = assignment order; unknown MAC. */
	tp_parse_mac(CAM1, mac);
	assert_int_equal(policy_device_lookup(ctx, mac, 0, &seg, &dev), 0);
	assert_int_equal(seg, 2);
	assert_int_equal(dev, 0);
	assert_int_equal(res[0].src_dev, 0);
	assert_int_equal(res[0].dst_dev, 2);	/* GW */
	assert_int_equal(policy_device_info(ctx, 0, &di), 0);
	assert_string_equal(di.name, "cam1");
	assert_int_equal(di.segment, 2);
	tp_parse_mac(NAS, mac);
	assert_int_equal(policy_device_lookup(ctx, mac, 10, &seg, &dev), 0);
	assert_int_equal(seg, 3);
	assert_int_equal(dev, 3);
	assert_int_equal(policy_device_lookup(ctx, mac, 11, &seg, &dev), 0);
	assert_int_equal(seg, 1);
	tp_parse_mac(UNKNOWN, mac);
	assert_int_equal(policy_device_lookup(ctx, mac, 0, &seg, &dev),
		-ENOENT);
	assert_int_equal(seg, 1);
	assert_int_equal(dev, POLICY_DEV_UNKNOWN);
	assert_int_equal(res[15].src_dev, POLICY_DEV_UNKNOWN);
	assert_int_equal(res[14].src_dev, 5);	/* quarantined, still known */

	/* L2 */
	tp_parse_mac(CAM1, mac);
	assert_int_equal(policy_l2_action(ctx, mac, 0), POLICY_ALLOW);
	tp_parse_mac(QUAR, mac);
	assert_int_equal(policy_l2_action(ctx, mac, 0), POLICY_DENY);
	assert_int_equal(policy_device_lookup(ctx, mac, 0, &seg, NULL), 0);
	assert_int_equal(seg, 99);
	q[0].family = 0;	/* not IP: the sender's l2_action */
	assert_int_equal(classify1(ctx, &q[0]).action, POLICY_ALLOW);
	assert_int_equal(classify1(ctx, &q[9]).action, POLICY_ALLOW);
	q[9].family = 0;
	assert_int_equal(classify1(ctx, &q[9]).action, POLICY_DENY);

	policy_get_info(ctx, &info);
	assert_int_equal(info.version, 42);
	assert_int_equal(info.n_rules, 13);
	assert_int_equal(info.n_devices, 6);
	assert_int_equal(info.n_dns_rules, 1);
	assert_int_equal(info.n_dns_names, 1);
	assert_int_equal(policy_dns_name_id(ctx, "example.com"), 1);
	assert_int_equal(policy_dns_name_id(ctx, "example.org"), 0);
	assert_true(info.epoch != 0);
	assert_int_equal(info.epoch, policy_epoch(ctx));
	printf("semantics: %zu cases; acl4 %u entries/%u fields, acl6 %u/%u, "
		"%zu bytes\n", n, info.n_acl4_entries, info.n_acl4_fields,
		info.n_acl6_entries, info.n_acl6_fields, info.mem_bytes);
	policy_free(ctx);
	tp_free(t);
}

static void
test_epochs_and_errors(void **state)
{
	struct tp *t = semantic_policy();
	struct policy_ctx *a = build_ok(t), *b = build_ok(t), *c = NULL;
	char err[256] = "";

	(void)state;
	assert_true(policy_epoch(b) > policy_epoch(a));
	t->pol.rules[0]->dst_ports[0]->lo = 1000;
	assert_int_equal(policy_build(&t->pol, NULL, &c, err, sizeof(err)),
		-EINVAL);
	assert_null(c);
	assert_non_null(strstr(err, "rule 1: dst_ports 1000-443: lo > hi"));
	policy_free(a);
	policy_free(b);
	tp_free(t);
}

static struct policy_ctx *
build_prev(struct tp *t, const struct policy_ctx *prev, struct policy_info *info)
{
	struct policy_build_opts o = { .socket_id = SOCKET_ID_ANY,
		.prev = prev };
	struct policy_ctx *ctx = tq_build(t, &o);

	policy_get_info(ctx, info);
	return ctx;
}

/*
 * ctx answers every semantic case as a fresh build of t does, and CAM1's
 * 443 to the internet as *cam1 says.
 */
static void
check_as_fresh(const struct policy_ctx *ctx, struct tp *t,
		const struct pcase *cam1)
{
	struct policy_ctx *fresh = build_ok(t);
	size_t i, n = sizeof(sem_cases) / sizeof(sem_cases[0]);
	struct policy_query q;
	struct policy_result r, f;

	for (i = 0; i < n; i++) {
		const struct pcase *c = &sem_cases[i];

		pcase_query(&q, c);
		r = classify1(ctx, &q);
		f = classify1(fresh, &q);
		if (r.action != f.action || r.rule_id != f.rule_id ||
				r.src_segment != f.src_segment ||
				r.dst_segment != f.dst_segment)
			fail_msg("case %zu: got %u/%u, a fresh build %u/%u", i,
				r.action, r.rule_id, f.action, f.rule_id);
	}
	pcase_query(&q, cam1);
	r = classify1(ctx, &q);
	assert_int_equal(r.action, cam1->action);
	assert_int_equal(r.rule_id, cam1->rule);
	assert_int_equal(r.src_segment, cam1->sseg);
	policy_free(fresh);
}

/*
 * A version whose rte_acl input is unchanged shares the tries of the one
 * before (opts.prev); any change to what the tries match rebuilds the
 * classes it touches; shared tries outlive the version that built them.
 */
static void
test_acl_reuse(void **state)
{
	struct tp *t = semantic_policy();
	struct policy_info ia, ib, ic, id, ie;
	struct policy_ctx *a, *b, *c, *d, *e;
	/* CAM1 -> internet 443 after each change */
	const struct pcase allow1 = { CAM1, GW, 0, "10.0.0.5", "1.2.3.4", 6,
		443, 1, 1, 2, 1 };
	const struct pcase deny1 = { CAM1, GW, 0, "10.0.0.5", "1.2.3.4", 6,
		443, 0, 1, 2, 1 };
	const struct pcase quar = { CAM1, GW, 0, "10.0.0.5", "1.2.3.4", 6,
		443, 0, 0, 99, 1 };

	(void)state;
	a = build_prev(t, NULL, &ia);
	assert_int_equal(ia.n_acl_reused, 0);
	assert_true(ia.n_acl_ctx >= 2);

	/* The same policy: every trie kept. */
	b = build_prev(t, a, &ib);
	assert_int_equal(ib.n_acl_reused, ib.n_acl_ctx);
	assert_true(ib.epoch != ia.epoch);
	check_as_fresh(b, t, &allow1);

	/* An action is not in the tries: kept, and the new action rules. */
	t->pol.rules[0]->action = CORDON__ACTION__ACTION_DENY;
	c = build_prev(t, b, &ic);
	assert_int_equal(ic.n_acl_reused, ic.n_acl_ctx);
	check_as_fresh(c, t, &deny1);

	/* Quarantining an assigned device moves it, not the tries. */
	tp_quar(t, CAM1);
	d = build_prev(t, c, &id);
	assert_int_equal(id.n_acl_reused, id.n_acl_ctx);
	check_as_fresh(d, t, &quar);

	/* A port is in the tries: its class is built again. */
	t->pol.rules[0]->dst_ports[0]->lo = 444;
	t->pol.rules[0]->dst_ports[0]->hi = 444;
	e = build_prev(t, d, &ie);
	assert_true(ie.n_acl_reused < ie.n_acl_ctx);
	assert_true(ie.n_acl_reused > 0);

	/* The builders go first; the sharers still classify. */
	policy_free(a);
	policy_free(b);
	policy_free(c);
	check_as_fresh(e, t, &quar);
	policy_free(d);
	check_as_fresh(e, t, &quar);
	policy_free(e);
	tp_free(t);
}

/* Policies with no rules, or rules for one family only. */
static void
test_edge_policies(void **state)
{
	struct tp *t = tp_new(4, 4, 4);
	struct policy_ctx *ctx;
	struct policy_query q;

	(void)state;
	tp_seg(t, 1, 1, 0);
	tp_seg(t, 2, 0, 0);
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 2;
	ctx = build_ok(t);
	tq_set(&q, CAM1, GW, 0, "10.0.0.1", "10.0.0.2", 6, 80);
	assert_int_equal(classify1(ctx, &q).action, POLICY_ALLOW);
	assert_int_equal(classify1(ctx, &q).src_dev, POLICY_DEV_UNKNOWN);
	policy_free(ctx);

	tp_rule(t, 1, 0, ep_any(t), ep_cidr(t, "fd00::/8"), 0, 0, 0);
	ctx = build_ok(t);
	assert_int_equal(classify1(ctx, &q).action, POLICY_ALLOW);
	tq_set(&q, CAM1, GW, 0, "fd00::1", "fd00::2", 6, 80);
	assert_int_equal(classify1(ctx, &q).action, POLICY_DENY);
	assert_int_equal(classify1(ctx, &q).rule_id, 1);
	policy_free(ctx);
	tp_free(t);
}

/* The shipped examples (tests/data/policy, encoded by protoc at build). */

static const struct pcase home_cases[] = {
	/* camera: DNS to the router, HTTPS out, nothing lateral */
	{ "02:00:00:00:03:01", "02:00:00:00:00:01", 0, "192.168.1.31",
		"192.168.1.1", 17, 53, 1, 2, 3, 1 },
	{ "02:00:00:00:03:01", "02:00:00:00:00:01", 0, "192.168.1.31",
		"52.1.2.3", 6, 443, 1, 11, 3, 1 },
	{ "02:00:00:00:03:01", "02:00:00:00:01:01", 0, "192.168.1.31",
		"192.168.1.10", 6, 22, 0, 10, 3, 2 },
	/* laptop opens RTSP on the camera; the camera cannot open it back */
	{ "02:00:00:00:01:01", "02:00:00:00:03:02", 0, "192.168.1.10",
		"192.168.1.32", 6, 554, 1, 12, 2, 3 },
	{ "02:00:00:00:03:02", "02:00:00:00:01:01", 0, "192.168.1.32",
		"192.168.1.10", 6, 554, 0, 10, 3, 2 },
	/* quarantined plug: DHCP yes, anything else no */
	{ "02:00:00:00:09:09", "02:00:00:00:00:01", 0, "0.0.0.0",
		"255.255.255.255", 17, 67, 1, 1, 99, 1 },
	{ "02:00:00:00:09:09", "02:00:00:00:00:01", 0, "192.168.1.99",
		"8.8.8.8", 6, 443, 0, 0, 99, 1 },
	/* unknown device: guests, web only, IPv6 too */
	{ "02:aa:00:00:00:01", "02:00:00:00:00:01", 0, "fd00::77",
		"2001:db8::1", 6, 443, 1, 20, 1, 1 },
	{ "02:aa:00:00:00:01", "02:00:00:00:00:01", 0, "fd00::77",
		"2001:db8::1", 6, 22, 0, 0, 1, 1 },
};

static const struct pcase office_cases[] = {
	/* the phone is staff on VLAN 10 (SMB out denied), voip on 30 */
	{ "02:00:00:01:00:01", "02:00:00:00:00:01", 10, "10.0.10.5",
		"52.1.2.3", 6, 445, 0, 4, 10, 40 },
	{ "02:00:00:01:00:01", "02:00:00:00:00:01", 10, "10.0.10.5",
		"52.1.2.3", 6, 443, 1, 0, 10, 40 },
	{ "02:00:00:01:00:01", "02:00:00:00:00:01", 30, "2001:db8:100::30",
		"2001:db8:100::5060", 17, 15000, 1, 2, 30, 40 },
	{ "02:00:00:01:00:01", "02:00:00:00:00:01", 30, "10.0.30.5",
		"52.1.2.3", 6, 443, 0, 0, 30, 40 },
	/* printer <-> print server, either way */
	{ "02:00:00:02:00:01", "02:00:00:00:00:01", 0, "10.2.0.9",
		"10.1.0.5", 6, 9100, 1, 1, 20, 40 },
	{ "02:00:00:00:00:01", "02:00:00:02:00:01", 0, "10.1.0.5",
		"10.2.0.9", 6, 9100, 1, 1, 40, 20 },
	{ "02:00:00:00:00:01", "02:00:00:02:00:01", 0, "10.1.0.6",
		"10.2.0.9", 6, 9100, 0, 0, 40, 20 },
	{ "02:00:00:00:00:01", "02:00:00:02:00:01", 0, "10.1.0.6",
		"10.2.0.9", 1, 0, 1, 5, 40, 20 },
	/* dns_name rule is dormant */
	{ "02:00:00:02:00:01", "02:00:00:00:00:01", 0, "10.2.0.9",
		"52.1.2.3", 6, 443, 0, 0, 20, 40 },
};

static void
check_cases(const struct policy_ctx *ctx, const char *name,
		const struct pcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct policy_query q;

		pcase_check(ctx, name, i, &c[i], &q);
	}
}

/* gen_policy.py: device i allowed to its service and port only. */
static void
check_gen(const struct policy_ctx *ctx, uint32_t n_dev, uint32_t n_quar)
{
	uint32_t i, allowed = 0;

	for (i = 0; i < n_dev; i++) {
		struct policy_query q;
		struct policy_result r;
		int ok = i < n_dev - n_quar;

		memset(&q, 0, sizeof(q));
		q.src_mac[0] = 2;
		q.src_mac[4] = (uint8_t)(i >> 8);
		q.src_mac[5] = (uint8_t)i;
		q.dst_mac[0] = 2;
		q.dst_mac[1] = 0xff;
		q.dst_mac[5] = 1;
		q.family = AF_INET;
		q.ip_proto = 6;
		q.src.v4 = htonl(0x0a640000u | i);
		q.dst.v4 = htonl(0x0ac80000u | i);
		q.dst_port = (uint16_t)(1000 + i % 1000);
		r = classify1(ctx, &q);
		assert_int_equal(r.action, ok);
		assert_int_equal(r.src_dev, i + 1);	/* gateway is 0 */
		allowed += r.action;
		q.dst_port++;
		assert_int_equal(classify1(ctx, &q).action, POLICY_DENY);
	}
	assert_int_equal(allowed, n_dev - n_quar);
}

static void
test_examples(void **state)
{
	int i;

	(void)state;
	/* meson passes the encoded examples (tests/dataplane/meson.build). */
	if (test_argc < 2)
		fail_msg("give the encoded example policies as arguments");
	for (i = 1; i < test_argc; i++) {
		const char *f = test_argv[i];
		Cordon__Policy *pol = NULL;
		struct policy_ctx *ctx = NULL;
		struct policy_info info;
		char err[256] = "";

		if (policy_file_load(f, &pol, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		if (policy_build(pol, NULL, &ctx, err, sizeof(err)) != 0)
			fail_msg("%s: %s", f, err);
		policy_get_info(ctx, &info);
		assert_true(info.n_rules > 0);
		if (strstr(f, "home.bin") != NULL)
			check_cases(ctx, f, home_cases, sizeof(home_cases) /
				sizeof(home_cases[0]));
		else if (strstr(f, "office.bin") != NULL)
			check_cases(ctx, f, office_cases,
				sizeof(office_cases) / sizeof(office_cases[0]));
		else if (strstr(f, "gen1000.bin") != NULL)
			check_gen(ctx, 1000, 10);
		else
			fail_msg("unexpected example %s", f);
		printf("example %s: %u segments, %u devices, %u rules, "
			"%u dns rules, build %.1f ms\n", f, info.n_segments,
			info.n_devices, info.n_rules, info.n_dns_rules,
			info.build_ms);
		policy_free(ctx);
		cordon__policy__free_unpacked(pol, NULL);
	}
}

/*
 * Valid mutants of the semantics policy (random byte flips that still
 * decode and validate) build, and agree with the reference evaluator on
 * the semantics queries.
 */
static void
test_mutants(void **state)
{
	struct tp *t = semantic_policy();
	size_t n = cordon__policy__get_packed_size(&t->pol);
	size_t nq = sizeof(sem_cases) / sizeof(sem_cases[0]);
	uint8_t *buf = malloc(n), *mut = malloc(n);
	uint64_t rng = 0xfeedfacecafebeefull;
	uint32_t i, built = 0, diffs = 0;
	size_t j;

	(void)state;
	assert_non_null(buf);
	assert_non_null(mut);
	cordon__policy__pack(&t->pol, buf);
	for (i = 0; i < 3000 && built < 300; i++) {
		Cordon__Policy *pol;
		struct policy_ctx *ctx = NULL;
		char err[256] = "";
		uint32_t k;

		memcpy(mut, buf, n);
		for (k = 0; k < 2; k++) {
			rng = rng * 6364136223846793005ull +
				1442695040888963407ull;
			mut[(rng >> 33) % n] = (uint8_t)(rng >> 20);
		}
		pol = cordon__policy__unpack(NULL, n, mut);
		if (pol == NULL)
			continue;
		if (policy_validate(pol, err, sizeof(err)) != 0) {
			cordon__policy__free_unpacked(pol, NULL);
			continue;
		}
		if (policy_build(pol, NULL, &ctx, err, sizeof(err)) != 0)
			fail_msg("valid mutant %u does not build: %s", i, err);
		built++;
		for (j = 0; j < nq; j++) {
			const struct pcase *c = &sem_cases[j];
			struct policy_query q;
			struct policy_result r, ref;

			pcase_query(&q, c);
			r = classify1(ctx, &q);
			ref = ref_eval(pol, &q);
			diffs += r.action != ref.action ||
				r.rule_id != ref.rule_id ||
				r.src_segment != ref.src_segment ||
				r.dst_segment != ref.dst_segment;
		}
		policy_free(ctx);
		cordon__policy__free_unpacked(pol, NULL);
	}
	printf("mutants: %u tried, %u valid and built, %u differences\n", i,
		built, diffs);
	assert_true(built > 50);
	assert_int_equal(diffs, 0);
	free(buf);
	free(mut);
	tp_free(t);
}

/* ---- random policies -------------------------------------------------- */

static uint32_t
rnd(void)
{
	return (uint32_t)(test_rand() >> 32);
}

static uint32_t
rndn(uint32_t n)
{
	return rnd() % n;
}

#define N_MACS 24
#define N_ADDR4 24
#define N_ADDR6 24

struct rnd_world {
	uint8_t macs[N_MACS][6];
	uint8_t a4[N_ADDR4][4];
	uint8_t a6[N_ADDR6][16];
	uint32_t seg_ids[8];
	uint32_t n_seg;
};

static void
rnd_addr4(uint8_t a[4])
{
	static const uint8_t bases[][2] = {
		{ 10, 0 }, { 10, 1 }, { 192, 168 }, { 8, 8 }, { 203, 0 },
	};
	uint32_t b = rndn(5);

	a[0] = bases[b][0];
	a[1] = bases[b][1];
	a[2] = (uint8_t)rndn(4);
	a[3] = (uint8_t)rndn(256);
}

static void
rnd_addr6(uint8_t a[16])
{
	uint32_t i;

	memset(a, 0, 16);
	if (rndn(2)) {
		a[0] = 0xfd;
	} else {
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0d;
		a[3] = 0xb8;
	}
	a[7] = (uint8_t)rndn(3);
	for (i = 12; i < 16; i++)
		a[i] = (uint8_t)rndn(4);
	a[15] = (uint8_t)rnd();
}

static Cordon__Cidr *
rnd_cidr(struct tp *t, const struct rnd_world *w, int fam)
{
	Cordon__Cidr *c = tp_alloc(t, sizeof(*c));

	cordon__cidr__init(c);
	if (fam == 4) {
		c->addr = tp_bytes(t, w->a4[rndn(N_ADDR4)], 4);
		c->prefix_len = rndn(4) == 0 ? 32 : rndn(33);
	} else {
		c->addr = tp_bytes(t, w->a6[rndn(N_ADDR6)], 16);
		c->prefix_len = rndn(4) == 0 ? 128 : rndn(129);
	}
	return c;
}

static Cordon__Endpoint *
rnd_ep(struct tp *t, const struct rnd_world *w, int *fam)
{
	Cordon__Endpoint *e;
	uint32_t k = rndn(16);

	if (k < 2)
		return ep_any(t);
	if (k < 6)
		return ep_seg(t, w->seg_ids[rndn(w->n_seg)]);
	if (k < 9)
		return ep_dev_raw(t, w->macs[rndn(N_MACS)]);
	if (k < 13) {
		if (*fam == 0)
			*fam = rndn(2) ? 4 : 6;
		e = tp_ep(t, CORDON__ENDPOINT__KIND_CIDR);
		e->cidr = rnd_cidr(t, w, *fam);
		return e;
	}
	if (k == 13)
		return ep_internet(t);
	if (k == 14)
		return ep_local(t);
	return ep_dns(t, rndn(2) ? "a.example" : "*.example");
}

static struct tp *
rnd_policy(struct rnd_world *w, uint32_t n_rules)
{
	struct tp *t = tp_new(8, N_MACS * 2, n_rules);
	static const uint8_t protos[] = { 0, 0, 1, 6, 6, 17, 17, 58 };
	uint32_t i, j;

	w->n_seg = 2 + rndn(6);
	for (i = 0; i < w->n_seg; i++) {
		uint32_t id;

		do {
			id = 1 + rndn(1000);
			for (j = 0; j < i && w->seg_ids[j] != id; j++)
				;
		} while (j < i);
		w->seg_ids[i] = id;
		tp_seg(t, id, (int)rndn(2), (int)rndn(2));
	}
	t->pol.default_segment = w->seg_ids[rndn(w->n_seg)];
	t->pol.quarantine_segment = w->seg_ids[rndn(w->n_seg)];
	for (i = 0; i < N_MACS; i++) {
		w->macs[i][0] = 0x02;
		w->macs[i][1] = (uint8_t)rnd();
		w->macs[i][2] = 0;
		w->macs[i][3] = 0;
		w->macs[i][4] = (uint8_t)rnd();
		w->macs[i][5] = (uint8_t)i;
	}
	for (i = 0; i < N_ADDR4; i++)
		rnd_addr4(w->a4[i]);
	for (i = 0; i < N_ADDR6; i++)
		rnd_addr6(w->a6[i]);
	/* Devices: most MACs, some also on VLANs 1..3, a few unnamed. */
	for (i = 0; i < N_MACS - 6; i++) {
		uint32_t s = rndn(5) == 0 ? 0 : w->seg_ids[rndn(w->n_seg)];

		if (rndn(4) != 0)
			tp_dev_raw(t, w->macs[i], 0, s);
		if (rndn(3) == 0)
			tp_dev_raw(t, w->macs[i], 1 + rndn(3),
				w->seg_ids[rndn(w->n_seg)]);
	}
	for (i = 0; i < rndn(3); i++)
		t->pol.quarantined[t->pol.n_quarantined++] =
			tp_bytes(t, w->macs[rndn(N_MACS)], 6);
	for (i = 0; i < rndn(5); i++) {
		int fam = rndn(2) ? 4 : 6;

		t->pol.local_networks[t->pol.n_local_networks++] =
			rnd_cidr(t, w, fam);
	}
	for (i = 0; i < n_rules; i++) {
		Cordon__Endpoint *s, *d;
		Cordon__Rule *r;
		int fam = 0;

		s = rnd_ep(t, w, &fam);
		d = rnd_ep(t, w, &fam);
		r = tp_rule(t, 1 + rndn(n_rules * 2), rndn(n_rules / 2 + 1),
			s, d, protos[rndn(sizeof(protos))], (int)rndn(2),
			(int)rndn(3));
		if ((r->ip_proto == 6 || r->ip_proto == 17) && rndn(3)) {
			uint32_t k, nr = 1 + rndn(3);

			for (k = 0; k < nr; k++) {
				uint32_t lo = rndn(40), hi = lo + rndn(20);

				tp_ports(t, r, lo, hi);
			}
		}
	}
	return t;
}

static void
rnd_query(const struct rnd_world *w, struct policy_query *q)
{
	static const uint8_t protos[] = { 1, 6, 6, 17, 17, 58, 47 };

	memset(q, 0, sizeof(*q));
	if (rndn(8) == 0) {
		q->src_mac[0] = 0x06;
		q->src_mac[5] = (uint8_t)rnd();
	} else {
		memcpy(q->src_mac, w->macs[rndn(N_MACS)], 6);
	}
	memcpy(q->dst_mac, w->macs[rndn(N_MACS)], 6);
	q->vlan = rndn(3) == 0 ? (uint16_t)rndn(5) : 0;
	q->ip_proto = protos[rndn(sizeof(protos))];
	if (q->ip_proto == 6 || q->ip_proto == 17)
		q->dst_port = (uint16_t)rndn(70);
	switch (rndn(20)) {
	case 0:
		q->family = 0;	/* not IP */
		break;
	case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
		q->family = AF_INET6;
		memcpy(q->src.v6, w->a6[rndn(N_ADDR6)], 16);
		memcpy(q->dst.v6, w->a6[rndn(N_ADDR6)], 16);
		if (rndn(4) == 0)
			q->dst.v6[15] ^= (uint8_t)rnd();
		break;
	default:
		q->family = AF_INET;
		memcpy(&q->src.v4, w->a4[rndn(N_ADDR4)], 4);
		memcpy(&q->dst.v4, w->a4[rndn(N_ADDR4)], 4);
		if (rndn(4) == 0)
			((uint8_t *)&q->dst.v4)[3] ^= (uint8_t)rnd();
		break;
	}
}

/* Under the sanitizers fewer: each build of the bigger policies maps
 * rte_acl's 8 MiB build pools, whose shadow ASan writes (28 s of 45). */
#define RND_POLICIES (UTIL_ASAN ? 60 : 250)
#define RND_QUERIES 500
#define RND_BURST 32

static void
test_reference(void **state)
{
	uint64_t total = 0, diffs = 0, allowed = 0, by_rule = 0, by_l2 = 0;
	uint32_t p, i, j;

	(void)state;
	for (p = 0; p < RND_POLICIES; p++) {
		struct rnd_world w;
		struct tp *t = rnd_policy(&w, 1 + rndn(p < RND_POLICIES / 5 ?
						   10 : 200));
		struct policy_ctx *ctx = build_ok(t);
		struct policy_query q[RND_BURST];
		const struct policy_query *qp[RND_BURST];
		struct policy_result res[RND_BURST];
		struct policy_info info;

		policy_get_info(ctx, &info);
		if (getenv("TP_VERBOSE"))
			printf("policy %u: %u rules, %u+%u entries, %u/%u fields, "
				"build %.1f ms, %zu bytes\n", p, info.n_rules,
				info.n_acl4_entries, info.n_acl6_entries,
				info.n_acl4_fields, info.n_acl6_fields,
				info.build_ms, info.mem_bytes);
		for (i = 0; i < RND_QUERIES; i += RND_BURST) {
			for (j = 0; j < RND_BURST; j++) {
				rnd_query(&w, &q[j]);
				qp[j] = &q[j];
			}
			policy_classify_burst(ctx, qp, RND_BURST, res);
			for (j = 0; j < RND_BURST; j++) {
				struct policy_result ref;
				bool same = ref_agrees(&t->pol, &q[j], &res[j],
						       &ref);

				total++;
				allowed += ref.action == POLICY_ALLOW;
				by_rule += ref.rule_id != 0;
				by_l2 += q[j].family == 0;
				if (same)
					continue;
				if (diffs++ < 5)
					printf("DIFF policy %u query %u: ref "
						"%u/%u seg %u->%u, got %u/%u "
						"seg %u->%u\n", p, i + j,
						ref.action, ref.rule_id,
						ref.src_segment,
						ref.dst_segment,
						res[j].action, res[j].rule_id,
						res[j].src_segment,
						res[j].dst_segment);
			}
		}
		policy_free(ctx);
		tp_free(t);
	}
	printf("reference: %u policies, %" PRIu64 " queries, %" PRIu64
		" differences (%" PRIu64 " allowed, %" PRIu64 " decided by a "
		"rule, %" PRIu64 " non-IP)\n", p, total, diffs, allowed,
		by_rule, by_l2);
	assert_true(total >= (uint64_t)RND_POLICIES * 400);
	assert_true(by_rule > total / 10);
	assert_int_equal(diffs, 0);
}

/*
 * Worst case: random rules over a tiny world (every field constrained by
 * some rule, everything overlapping). Only with TP_RANDOM_SCALE=N.
 */
static void
test_scale_random(void **state)
{
	const char *env = getenv("TP_RANDOM_SCALE");
	struct rnd_world w;
	struct policy_ctx *ctx;
	struct policy_info info;
	struct tp *t;

	(void)state;
	if (env == NULL)
		skip();
	t = rnd_policy(&w, (uint32_t)atoi(env));
	ctx = build_ok(t);
	policy_get_info(ctx, &info);
	printf("random %u rules: build %.1f ms, %.2f MiB, %u ctx, acl4 %u "
		"entries, acl6 %u\n", info.n_rules, info.build_ms,
		info.mem_bytes / 1048576.0, info.n_acl_ctx,
		info.n_acl4_entries, info.n_acl6_entries);
	policy_free(ctx);
	tp_free(t);
}

/* ---- scale ------------------------------------------------------------ */

/*
 * The gen_policy.py scheme: device i has MAC 02:00:00:ii:ii:ii and may open
 * TCP to its own service 10.200.(i>>8).(i&255)/32, port 1000 + i % 5000;
 * everything else hits the default deny.
 */
static struct tp *
scale_policy(uint32_t n_rules)
{
	struct tp *t = tp_new(4, n_rules, n_rules);
	uint32_t i;

	tp_seg(t, 1, 0, 1);
	tp_seg(t, 2, 0, 0);
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 2;
	tp_local(t, "10.0.0.0/8");
	for (i = 0; i < n_rules; i++) {
		uint8_t mac[6] = { 2, 0, 0, (uint8_t)(i >> 16),
			(uint8_t)(i >> 8), (uint8_t)i };
		char dst[32];
		Cordon__Rule *r;

		tp_dev_raw(t, mac, 0, 1);
		snprintf(dst, sizeof(dst), "10.200.%u.%u/32", (i >> 8) & 255,
			i & 255);
		r = tp_rule(t, i + 1, 100, ep_dev_raw(t, mac),
			ep_cidr(t, dst), 6, 1, 0);
		tp_ports(t, r, 1000 + i % 5000, 1000 + i % 5000);
	}
	return t;
}

/*
 * A mix closer to compiled MUD/YAML policy: 16 segments, devices opening
 * to cloud CIDRs on a port, segments to the internet on port ranges,
 * segment to segment, device <-> device either way, local hosts opening
 * device services (INITIATOR_DST), some IPv6.
 */
static struct tp *
mixed_policy(uint32_t n_rules)
{
	struct tp *t = tp_new(20, n_rules, n_rules);
	uint32_t i;

	for (i = 1; i <= 16; i++)
		tp_seg(t, i, i & 1, 1);
	tp_seg(t, 99, 0, 0);
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 99;
	tp_local(t, "10.0.0.0/8");
	tp_local(t, "192.168.0.0/16");
	tp_local(t, "fd00::/8");
	for (i = 0; i < n_rules; i++) {
		uint8_t mac[6] = { 2, 0, 0, (uint8_t)(i >> 16),
			(uint8_t)(i >> 8), (uint8_t)i };
		uint8_t mac2[6] = { 2, 0, 1, (uint8_t)(i >> 16),
			(uint8_t)(i >> 8), (uint8_t)i };
		uint32_t seg = 1 + i % 16, kind = i % 12;
		char cidr[64];
		Cordon__Rule *r;

		tp_dev_raw(t, mac, 0, seg);
		if (kind < 5) {
			snprintf(cidr, sizeof(cidr), "%u.%u.%u.0/%u",
				20 + i % 200, (i >> 4) & 255, i & 255,
				20 + i % 5);
			r = tp_rule(t, i + 1, 100 + i % 50, ep_dev_raw(t, mac),
				ep_cidr(t, cidr), 6, 1, 0);
			tp_ports(t, r, 443, 443);
		} else if (kind < 7) {
			r = tp_rule(t, i + 1, 200, ep_seg(t, seg),
				ep_internet(t), 17, i & 1, 0);
			tp_ports(t, r, 1000 + i % 3000, 1100 + i % 3000);
		} else if (kind < 8) {
			tp_rule(t, i + 1, 150, ep_seg(t, seg),
				ep_seg(t, 1 + (i / 16) % 16), 0, 1, 0);
		} else if (kind < 10) {
			r = tp_rule(t, i + 1, 120, ep_dev_raw(t, mac),
				ep_dev_raw(t, mac2), 6, 1, 2);
			tp_ports(t, r, 8000 + i % 100, 8000 + i % 100);
		} else if (kind < 11) {
			r = tp_rule(t, i + 1, 110, ep_dev_raw(t, mac),
				ep_local(t), 6, 1, 1);
			tp_ports(t, r, 80, 80);
			tp_ports(t, r, 443, 443);
		} else {
			snprintf(cidr, sizeof(cidr), "2001:db8:%x::/48", i);
			r = tp_rule(t, i + 1, 100, ep_dev_raw(t, mac),
				ep_cidr(t, cidr), 17, 1, 0);
			tp_ports(t, r, 53, 53);
		}
	}
	return t;
}

static void
test_scale_mixed(void **state)
{
	uint32_t sizes[3] = { 10, 1000, 10000 };

	if (getenv("TP_MIXED") != NULL)
		sizes[2] = (uint32_t)atoi(getenv("TP_MIXED"));

	size_t s;

	(void)state;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct tp *t = mixed_policy(sizes[s]);
		struct policy_ctx *ctx = build_ok(t);
		struct policy_query q[1024];
		const struct policy_query *qp[1024];
		struct policy_result res[32];
		struct policy_info info;
		uint32_t i, b, rounds = UTIL_ASAN ? 20 : 100;
		double t0, ns, ns6;

		policy_get_info(ctx, &info);
		for (i = 0; i < 1024; i++) {
			uint32_t d = rndn(sizes[s]);

			memset(&q[i], 0, sizeof(q[i]));
			q[i].src_mac[0] = 2;
			q[i].src_mac[3] = (uint8_t)(d >> 16);
			q[i].src_mac[4] = (uint8_t)(d >> 8);
			q[i].src_mac[5] = (uint8_t)d;
			q[i].dst_mac[0] = 2;
			q[i].dst_mac[2] = (uint8_t)rndn(2);
			q[i].dst_mac[5] = (uint8_t)rnd();
			q[i].family = AF_INET;
			q[i].ip_proto = rndn(2) ? 6 : 17;
			q[i].src.v4 = htonl(0x0a000000u | rndn(1u << 24));
			q[i].dst.v4 = htonl(rnd());
			q[i].dst_port = (uint16_t)rndn(9000);
			qp[i] = &q[i];
		}
		t0 = now_ms();
		for (b = 0; b < rounds; b++)
			for (i = 0; i < 1024; i += 32)
				policy_classify_burst(ctx, qp + i, 32, res);
		ns = (now_ms() - t0) * 1e6 / (rounds * 1024.0);
		/* The same flows over IPv6 (2001:db8:x::/48 rules). */
		for (i = 0; i < 1024; i++) {
			uint32_t x = rndn(sizes[s]);

			q[i].family = AF_INET6;
			memset(q[i].src.v6, 0, 16);
			memset(q[i].dst.v6, 0, 16);
			q[i].src.v6[0] = 0xfd;
			q[i].src.v6[15] = (uint8_t)rnd();
			q[i].dst.v6[0] = 0x20;
			q[i].dst.v6[1] = 0x01;
			q[i].dst.v6[2] = 0x0d;
			q[i].dst.v6[3] = 0xb8;
			q[i].dst.v6[4] = (uint8_t)(x >> 8);
			q[i].dst.v6[5] = (uint8_t)x;
			q[i].dst.v6[15] = 1;
		}
		t0 = now_ms();
		for (b = 0; b < rounds; b++)
			for (i = 0; i < 1024; i += 32)
				policy_classify_burst(ctx, qp + i, 32, res);
		ns6 = (now_ms() - t0) * 1e6 / (rounds * 1024.0);
		printf("mixed %5u rules: build %.1f ms, classify %.1f ns/query "
			"(IPv6 %.1f) in bursts of 32, ctx %.2f MiB, %u ctx, acl4 "
			"%u entries/%u fields, acl6 %u/%u\n", sizes[s],
			info.build_ms, ns, ns6, info.mem_bytes / 1048576.0,
			info.n_acl_ctx, info.n_acl4_entries,
			info.n_acl4_fields, info.n_acl6_entries,
			info.n_acl6_fields);
		policy_free(ctx);
		tp_free(t);
	}
}

static void
scale_query(struct policy_query *q, uint32_t dev, bool allowed)
{
	memset(q, 0, sizeof(*q));
	q->src_mac[0] = 2;
	q->src_mac[3] = (uint8_t)(dev >> 16);
	q->src_mac[4] = (uint8_t)(dev >> 8);
	q->src_mac[5] = (uint8_t)dev;
	q->dst_mac[0] = 2;
	q->dst_mac[5] = 0xfe;
	q->family = AF_INET;
	q->ip_proto = 6;
	q->src.v4 = htonl(0x0a010000u | (dev & 0xffff));
	q->dst.v4 = htonl(0x0ac80000u | (dev & 0xffff));
	q->dst_port = (uint16_t)(1000 + dev % 5000 + (allowed ? 0 : 1));
}

static void
test_scale(void **state)
{
	static const uint32_t sizes[] = { 10, 1000, 10000 };
	size_t s;

	(void)state;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint32_t n = sizes[s], i, b, allowed = 0;
		struct tp *t = scale_policy(n);
		struct policy_ctx *ctx;
		struct policy_query q[1024];
		const struct policy_query *qp[1024];
		struct policy_result res[32];
		struct policy_info info;
		double t0, build_ms, ns;
		uint32_t rounds = UTIL_ASAN ? 20 : 200;

		t0 = now_ms();
		ctx = build_ok(t);
		build_ms = now_ms() - t0;
		policy_get_info(ctx, &info);
		for (i = 0; i < 1024; i++) {
			scale_query(&q[i], rndn(n), i & 1);
			qp[i] = &q[i];
		}
		t0 = now_ms();
		for (b = 0; b < rounds; b++) {
			for (i = 0; i < 1024; i += 32) {
				policy_classify_burst(ctx, qp + i, 32, res);
				allowed += res[0].action + res[1].action;
			}
		}
		ns = (now_ms() - t0) * 1e6 / (rounds * 1024.0);
		/* Half the queries are allowed: check the verdicts. */
		for (i = 0; i < 32; i++) {
			policy_classify_burst(ctx, qp + i * 32, 32, res);
			for (b = 0; b < 32; b++)
				assert_int_equal(res[b].action, b & 1);
		}
		assert_int_equal(allowed, rounds * 32);
		printf("scale %5u rules: build %.1f ms (policy_build %.1f), "
			"classify %.1f ns/query in bursts of 32, ctx %.2f MiB, "
			"acl4 %u entries %u fields\n", n, build_ms,
			info.build_ms, ns, info.mem_bytes / 1048576.0,
			info.n_acl4_entries, info.n_acl4_fields);
		if (n == 10000) {
			/* A max_size rte_acl cannot meet fails cleanly. */
			struct policy_build_opts o = {
				.socket_id = SOCKET_ID_ANY,
				.acl_max_size = 64 << 10,
			};
			struct policy_ctx *c2 = NULL;
			char err[256] = "";
			int ret = policy_build(&t->pol, &o, &c2, err,
				sizeof(err));

			printf("max_size 64 KiB: %d %s\n", ret, err);
			assert_true(ret < 0);
			assert_null(c2);
			assert_non_null(strstr(err, "rte_acl_build"));
		}
		policy_free(ctx);
		tp_free(t);
	}
}

TEST_EAL_MAIN("tpol",
	cmocka_unit_test(test_semantics),
	cmocka_unit_test(test_epochs_and_errors),
	cmocka_unit_test(test_acl_reuse),
	cmocka_unit_test(test_edge_policies),
	cmocka_unit_test(test_examples),
	cmocka_unit_test(test_reference),
	cmocka_unit_test(test_mutants),
	cmocka_unit_test(test_scale),
	cmocka_unit_test(test_scale_mixed),
	cmocka_unit_test(test_scale_random))
