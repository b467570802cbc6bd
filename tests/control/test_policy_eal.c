/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Compiled YAML and MUD policies through the dataplane's own classifier
 * (policy_build + policy_classify_burst, needs the EAL): the examples
 * decide flows as their comments say, and every NIST case that
 * test_mud checks with its reference evaluator comes out the same here.
 * Arguments: the source root and the peer test data directory.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_memory.h>

#include "ctl_compile.h"
#include "ctl_mud.h"
#include "ctl_policy_yaml.h"
#include "policy.h"
#include "test_main.h"


#include "mud_nist.h"
#include "mud_luminaire.h"
#include "pol_example.h"
#include "../dataplane/test_eal.h"

static struct policy_ctx *
build(const Cordon__Policy *p)
{
	struct policy_build_opts o = { .socket_id = SOCKET_ID_ANY };
	struct policy_ctx *ctx = NULL;
	char err[512];

	if (policy_build(p, &o, &ctx, err, sizeof(err)))
		fail_msg("policy_build: %s", err);
	return ctx;
}

static int
classify(const struct policy_ctx *ctx, const uint8_t smac[6],
		const char *sip, const uint8_t dmac[6], const char *dip,
		uint8_t proto, uint16_t port, struct policy_result *res)
{
	struct policy_query q;
	const struct policy_query *qp = &q;

	memset(&q, 0, sizeof(q));
	memcpy(q.src_mac, smac, 6);
	memcpy(q.dst_mac, dmac, 6);
	q.family = AF_INET;
	q.ip_proto = proto;
	q.dst_port = port;
	assert_int_equal(inet_pton(AF_INET, sip, &q.src.v4), 1);
	assert_int_equal(inet_pton(AF_INET, dip, &q.dst.v4), 1);
	policy_classify_burst(ctx, &qp, 1, res);
	return res->action == POLICY_ALLOW;
}

static const uint8_t hue[6] = { 0x00, 0x17, 0x88, 0x01, 0x02, 0x03 };
static const uint8_t cam[6] = { 0x02, 0, 0, 0, 0, 0x21 };
static const uint8_t laptop[6] = { 0x3c, 0x22, 0xfb, 0x12, 0x34, 0x56 };
static const uint8_t printer[6] = { 0xb8, 0x27, 0xeb, 0, 0, 0x10 };
static const uint8_t guest[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint8_t gw[6] = { 0x02, 0, 0, 0, 0, 0xfe };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void
test_home(void **state)
{
	static const struct ctl_pol_inv_device devs[] = {
		{ { 0x00, 0x17, 0x88, 0x01, 0x02, 0x03 }, 0, "Philips",
			"bridge", 90, NULL, "hue" },
		{ { 0x02, 0, 0, 0, 0, 0x21 }, 0, "Acme", "camera", 90, NULL,
			"cam" },
	};
	const struct ctl_pol_inventory inv = { devs, 2, NULL };
	static const struct {
		const uint8_t *src;
		const char *sip;
		const uint8_t *dst;
		const char *dip;
		uint8_t proto;
		uint16_t port;
		int allow;
	} c[] = {
		{ hue, "192.168.1.20", gw, "1.1.1.1", 6, 443, 1 },
		{ hue, "192.168.1.20", gw, "1.1.1.1", 6, 80, 0 },
		{ hue, "192.168.1.20", laptop, "192.168.1.50", 6, 443, 0 },
		{ hue, "192.168.1.20", gw, "192.168.1.1", 17, 53, 1 },
		{ cam, "192.168.1.21", gw, "1.1.1.1", 6, 8883, 1 },
		/* NTP from the pool by name only: no answer learned here */
		{ cam, "192.168.1.21", gw, "1.1.1.1", 17, 123, 0 },
		{ laptop, "192.168.1.50", hue, "192.168.1.20", 6, 80, 1 },
		{ laptop, "192.168.1.50", gw, "8.8.8.8", 6, 22, 1 },
		{ laptop, "192.168.1.50", printer, "192.168.1.30", 6, 631, 1 },
		{ guest, "192.168.1.99", gw, "8.8.8.8", 6, 443, 1 },
		{ guest, "192.168.1.99", gw, "8.8.8.8", 17, 443, 1 },
		{ guest, "192.168.1.99", gw, "8.8.8.8", 6, 22, 0 },
		{ guest, "192.168.1.99", hue, "192.168.1.20", 6, 80, 0 },
		{ guest, "192.168.1.99", gw, "192.168.1.1", 17, 67, 1 },
		{ guest, "192.168.1.99", gw, "192.168.1.1", 17, 123, 0 },
		/* DHCP before the device has an address, and the answer */
		{ guest, "0.0.0.0", bcast, "255.255.255.255", 17, 67, 1 },
		{ gw, "192.168.1.1", bcast, "255.255.255.255", 17, 68, 1 },
		{ gw, "192.168.1.1", bcast, "255.255.255.255", 17, 69, 0 },
	};
	struct policy_result res;
	struct policy_ctx *ctx;
	Cordon__Policy *p;
	size_t i;

	(void)state;
	p = pol_example("home", &inv);
	ctx = build(p);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (classify(ctx, c[i].src, c[i].sip, c[i].dst, c[i].dip,
				c[i].proto, c[i].port, &res) != c[i].allow)
			fail_msg("home case %zu: %s (rule %u)", i,
				c[i].allow ? "denied" : "allowed",
				res.rule_id);
	/* segments: hue by OUI and camera by type are in iot (2) */
	classify(ctx, hue, "192.168.1.20", cam, "192.168.1.21", 6, 1, &res);
	assert_int_equal(res.src_segment, 2);
	assert_int_equal(res.dst_segment, 2);
	classify(ctx, guest, "192.168.1.99", laptop, "192.168.1.50", 6, 1,
		&res);
	assert_int_equal(res.src_segment, 3);
	assert_int_equal(res.dst_segment, 1);
	policy_free(ctx);
	ctl_cmp_policy_free(p);
	printf("home.yaml: %zu flows as its comments say\n", i);
}

static void
test_examples_build(void **state)
{
	static const char *const ex[] = { "enterprise", "isp-cpe" };
	/* enterprise: 2 exact MACs + camera (type) + printer (type beats
	 * the lab prefix); isp-cpe: set-top box (OUI) + plug and camera
	 * (type) */
	static const size_t want_devices[] = { 4, 3 };
	static const struct ctl_pol_inv_device devs[] = {
		{ { 0x00, 0x1a, 0xc3, 0, 0, 1 }, 0, NULL, NULL, 0, NULL,
			"stb" },
		{ { 0x02, 0, 0, 0, 0, 2 }, 30, "Axis", "camera", 90, NULL,
			"cam" },
		{ { 0x02, 0, 0, 0, 0, 3 }, 0, "Tuya", "plug", 90, NULL,
			"plug" },
		{ { 0x00, 0x1b, 0x17, 0, 0, 4 }, 0, NULL, "printer", 90, NULL,
			"prn" },
	};
	const struct ctl_pol_inventory inv = { devs, 4, NULL };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		Cordon__Policy *p = pol_example(ex[i], &inv);

		assert_int_equal(p->n_devices, want_devices[i]);
		policy_free(build(p));
		ctl_cmp_policy_free(p);
	}
}

static void
test_luminaire(void **state)
{
	/* hosts: 0 the luminaire, 1 the gateway, 2 another LAN host */
	static const uint8_t other[6] = { 2, 0, 0, 0, 0, 9 };
	static const struct {
		int src;
		const char *sip;
		int dst;
		const char *dip;
		uint8_t proto;
		uint16_t port;
		int allow;
	} cases[] = {
		{ 0, "10.1.1.50", 1, "172.12.212.10", 6, 443, 1 },
		{ 0, "10.1.1.50", 1, "172.12.212.11", 6, 443, 0 },
		{ 1, "172.12.212.10", 0, "10.1.1.50", 6, 443, 0 },
		{ 0, "10.1.1.50", 1, "10.1.1.4", 17, 5684, 1 },
		{ 0, "10.1.1.50", 2, "10.1.1.9", 17, 5683, 1 },
		{ 2, "10.1.1.9", 0, "10.1.1.50", 17, 5683, 0 },
		{ 0, "10.1.1.50", 1, "8.8.8.8", 17, 53, 1 },
		{ 0, "10.1.1.50", 1, "8.8.8.8", 6, 53, 0 },
		/* the other host is untouched by the luminaire's rules */
		{ 2, "10.1.1.9", 1, "8.8.8.8", 6, 22, 1 },
	};
	const uint8_t *hosts[3] = { NULL, gw, other };
	struct ctl_mud_context mctx;
	char path[4096];
	struct policy_result res;
	struct policy_ctx *ctx;
	Cordon__Policy *p;

	(void)state;
	p = luminaire_policy(&mctx, NULL, path);
	ctx = build(p);
	hosts[0] = mctx.device_mac;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint8_t *s = hosts[cases[i].src], *t = hosts[cases[i].dst];

		if (classify(ctx, s, cases[i].sip, t, cases[i].dip,
				cases[i].proto, cases[i].port, &res) !=
				cases[i].allow)
			fail_msg("case %zu: %s -> %s %u/%u: not %s", i,
				cases[i].sip, cases[i].dip, cases[i].proto,
				cases[i].port, cases[i].allow ? "allowed" :
				"denied");
		if (i == 0)
			assert_int_equal(res.rule_id, 1);
	}
	policy_free(ctx);
	ctl_cmp_policy_free(p);
	ctl_mud_context_free(&mctx);
}

static void
test_nist_dataplane(void **state)
{
	size_t t, k;
	int n = 0;

	(void)state;
	for (t = 0; t < sizeof(nist_tests) / sizeof(nist_tests[0]); t++) {
		const struct nist_test *nt = &nist_tests[t];
		struct ctl_mud_context mctx;
		char dir[4096], path[8192], err[1024];
		const struct nist_case *c;
		struct policy_ctx *ctx;
		Cordon__Policy *p;
		struct host dev;

		snprintf(dir, sizeof(dir), "%s/mud/nist-mud/%s", test_data_dir,
			nt->dir);
		snprintf(path, sizeof(path), "%s/%s", dir, nt->mudfile);
		nist_context(dir, nt, &mctx);
		/* The dataplane cannot match names yet: resolve them. */
		for (k = 0; k < sizeof(dns_table) / sizeof(dns_table[0]);
				k++) {
			struct ctl_cidr a;

			assert_int_equal(ctl_cmp_parse_cidr(dns_table[k].ip, 0,
				&a), 0);
			assert_int_equal(ctl_mud_context_add_addrs(&mctx.dns,
				&mctx.n_dns, dns_table[k].name, &a, 1), 0);
		}
		mkhost(1, nt->macs, &dev);
		p = lan_policy(&mctx);
		if (ctl_mud_compile_file(path, &mctx, dev.mac, 100, p, NULL,
				err, sizeof(err)))
			fail_msg("%s", err);
		ctx = build(p);
		for (c = nt->cases; c->what; c++) {
			struct policy_query q;
			const struct policy_query *qp = &q;
			struct policy_result res;
			struct host a, b;

			mkhost(c->from, nt->macs, &a);
			mkhost(c->to, nt->macs, &b);
			memset(&q, 0, sizeof(q));
			memcpy(q.src_mac, a.mac, 6);
			memcpy(q.dst_mac, b.mac, 6);
			q.family = AF_INET;
			q.ip_proto = c->proto;
			q.dst_port = c->port;
			memcpy(&q.src.v4, a.ip, 4);
			memcpy(&q.dst.v4, b.ip, 4);
			policy_classify_burst(ctx, &qp, 1, &res);
			if ((res.action == POLICY_ALLOW) != c->allow)
				fail_msg("%s %s: %s by rule %u", nt->dir,
					c->what, res.action ? "allowed" :
					"denied", res.rule_id);
			n++;
		}
		policy_free(ctx);
		ctl_cmp_policy_free(p);
		ctl_mud_context_free(&mctx);
	}
	printf("NIST through the dataplane classifier: %d cases as "
		"expected\n", n);
}

TEST_EAL_MAIN("tctlpol",
	cmocka_unit_test(test_home),
	cmocka_unit_test(test_examples_build),
	cmocka_unit_test(test_luminaire),
	cmocka_unit_test(test_nist_dataplane))
