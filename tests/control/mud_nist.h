/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_TEST_MUD_NIST_H
#define CORDON_TEST_MUD_NIST_H

/*
 * The nist-mud lab, shared by test_mud (reference evaluator) and
 * test_policy_eal (the dataplane's classifier): hosts, the traffic cases
 * of EXPECTATIONS.txt, and contexts built from nist-mud's own files.
 * Include after cmocka.h; testdata must be defined by the includer.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_compile.h"
#include "ctl_mud.h"
#include "util_mac.h"

/* A policy around MUD rules: one LAN segment that allows by default. */
static inline Cordon__Policy *
lan_policy(const struct ctl_mud_context *ctx)
{
	Cordon__Policy *p = ctl_cmp_policy_new();
	size_t i;

	assert_non_null(p);
	assert_non_null(ctl_cmp_add_segment(p, 1, "lan",
		CORDON__ACTION__ACTION_ALLOW, CORDON__ACTION__ACTION_ALLOW));
	assert_non_null(ctl_cmp_add_segment(p, 2, "quarantine",
		CORDON__ACTION__ACTION_DENY, CORDON__ACTION__ACTION_ALLOW));
	p->default_segment = 1;
	p->quarantine_segment = 2;
	for (i = 0; ctx && i < ctx->n_local_nets; i++)
		assert_int_equal(ctl_cmp_add_local_net(p,
			&ctx->local_nets[i]), 0);
	return p;
}
struct host {
	uint8_t mac[6];
	uint8_t ip[4];
};

static const struct {
	const char *name;
	const char *ip;
} dns_table[] = {
	{ "www.nist.local", "203.0.113.10" },
	{ "www.antd.local", "203.0.113.20" },
	{ "www.nist.gov", "203.0.113.30" },
};

/* Host ids: 1..9 lab hosts, NIST/ANTD/EXT13 web servers, ROUTER. */
enum { NIST = 100, ANTD, GOV, EXT13, ROUTER };

static inline void
mkhost(int id, const uint8_t lab_macs[10], struct host *h)
{
	static const uint8_t gw[6] = { 2, 0, 0, 0, 0, 0xfe };
	const char *ip = NULL;

	memset(h, 0, sizeof(*h));
	if (id < 10) {
		uint8_t ip4[4] = { 10, 0, 0, (uint8_t)id };

		memcpy(h->ip, ip4, 4);
		if (lab_macs[id]) {
			h->mac[5] = lab_macs[id];
		} else {
			h->mac[0] = 2;
			h->mac[5] = (uint8_t)id;
		}
		return;
	}
	memcpy(h->mac, gw, 6);	/* off-LAN: behind the gateway */
	switch (id) {
	case NIST: ip = "203.0.113.10"; break;
	case ANTD: ip = "203.0.113.20"; break;
	case GOV: ip = "203.0.113.30"; break;
	case EXT13: ip = "203.0.113.13"; break;
	default: ip = "192.0.2.8"; break;
	}
	assert_int_equal(inet_pton(AF_INET, ip, h->ip), 1);
}

struct nist_case {
	const char *what;
	int from, to;
	uint8_t proto;
	uint16_t port;
	int allow;
};

struct nist_test {
	const char *dir;
	const char *mudfile;
	uint8_t macs[10];	/* last MAC byte of h0..h9, 0: not a MUD host */
	const char *extra_class;	/* controller mapping the lab added */
	const char *extra_addr;
	struct nist_case cases[12];
};

#define TCP 6
#define UDP 17
#define ICMP 1

/* nist-mud's controller tests run the same cases on two MUD files. */
#define NIST_CONTROLLER_CASES \
	{ "testNonIotHostHttpGetExpectPass", 4, NIST, TCP, 80, 1 }, \
	{ "testUdpSameManPingExpectPass", 1, 2, UDP, 4000, 1 }, \
	{ "testUdpControllerPingExpectPass", 1, 7, UDP, 8002, 1 }, \
	{ "testLocalNetPingExpectPass", 1, 4, UDP, 8000, 1 }, \
	{ "testUdpPingExpectFail", 1, 4, UDP, 9999, 0 }, \
	{ "testHttpGetExpectPass", 1, NIST, TCP, 80, 1 }, \
	{ "testHttpGetExpectFail", 1, ANTD, TCP, 80, 0 },

static const struct nist_test nist_tests[] = {
	{ "mud-tcp-direction-test", "mudfile-tcp-direction-test.json",
		{ 0, 0x41 }, NULL, NULL, {
		{ "testTcpGetFromDeviceExpectSuccess", 4, 1, TCP, 8000, 1 },
		{ "testTcpGetFromDeviceExpectFail", 5, 1, TCP, 800, 0 },
		{ "testDeviceTcpGetFromLocalNetworkExpectFail", 1, 3, TCP,
			8000, 0 },
		{ "testDeviceTcpGetFromLocalNetworkExpectPass", 1, 3, TCP,
			800, 1 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-mfg-test", "mudfile-mfg-test.json",
		{ 0, 0x21, 0x22, 0x23 }, NULL, NULL, {
		{ "testTcpGetExpectPass (h1 -> hairbrush 8010)", 1, 3, TCP,
			8010, 1 },
		{ "hairbrush may not open tcp to the toaster", 3, 1, TCP,
			8010, 0 },
		{ "testUdpManufacturerPingExpectPass1 (toothbrush)", 1, 2,
			UDP, 8008, 1 },
		{ "testUdpManufacturerPingExpectFail (not that mfg)", 1, 3,
			UDP, 8008, 0 },
		{ "plain LAN host", 1, 4, TCP, 8010, 0 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-model-test", "mudfile-model-test.json",
		{ 0, 0x71, 0x72, 0x73 }, NULL, NULL, {
		{ "testTcpGetExpectPass", 1, 3, TCP, 8010, 1 },
		{ "testTcpGetExpectFail (h2 -> 10.0.0.1:8010)", 2, 1, TCP,
			8010, 0 },
		{ "testUdpManufacturerPingExpectPass", 1, 2, UDP, 8008, 1 },
		{ "testUdpManufacturerPingExpectFail", 1, 3, UDP, 8008, 0 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-same-manufacturer-test", "mudfile-same-manufacturer-test.json",
		{ 0, 0x81, 0x82, 0x83 }, NULL, NULL, {
		{ "testTcpGetExpectPass (h1 -> h3)", 1, 3, TCP, 8010, 1 },
		{ "testTcpGetExpectPass (h3 -> h1)", 3, 1, TCP, 8010, 1 },
		{ "testUdpManufacturerPingExpectPass", 2, 1, UDP, 8008, 1 },
		{ "testUdpManufacturerPingExpectPass1", 1, 2, UDP, 8008, 1 },
		{ "testUdpManufacturerPingExpectFail (h5 -> h1)", 5, 1, UDP,
			8008, 0 },
		{ "testUdpManufacturerPingExpectFail (h1 -> h5)", 1, 5, UDP,
			8008, 0 },
		{ "testIcmpPingExpectPass", 1, 3, ICMP, 0, 1 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-local-and-same-mfg-test",
		"mudfile-local-and-same-mfg-test.json",
		{ 0, 0x51, 0x52, 0x53 }, NULL, NULL, {
		{ "testUdpManufacturerPingExpectPass", 2, 1, UDP, 8008, 1 },
		{ "testUdpLocalNetworkPingExpectFail", 1, 4, UDP, 8008, 0 },
		{ "testIcmpPingExpectPass", 1, 3, ICMP, 0, 1 },
		{ "testHttpGetExpectPass", 1, NIST, TCP, 443, 1 },
		{ "testHttpGetExpectFail", 1, ANTD, TCP, 443, 0 },
		{ "local host opens the device's port 80", 4, 1, TCP, 80, 1 },
		{ "device may not open local port 80", 1, 4, TCP, 80, 0 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-local-networks-test", "mudfile-local-networks-test.json",
		{ 0, 0x91 }, NULL, NULL, {
		{ "testContactLocalHostFromPrinterExpectFail", 1, 3, TCP, 80,
			0 },
		{ "testContactPrinterFromLocalHostExpectPass", 3, 1, TCP, 80,
			1 },
		{ "testContactPrinterFromRouterHostExpectFail", ROUTER, 1,
			TCP, 80, 0 },
		{ "testContactExternalHostFromPrinterExpectPass", 1, NIST,
			TCP, 800, 1 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-mycontrollerclass-test", "mudfile-mycontrollerclass-test.json",
		{ 0, 0x31, 0x32, 0x33 }, NULL, NULL, {
		NIST_CONTROLLER_CASES
		{ "not my controller", 1, 6, UDP, 8002, 0 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-logging-test", "mudfile-mylogging-test.nist.local.json",
		{ 0, 0xd1, 0xd2, 0xd3 }, NULL, NULL, {
		NIST_CONTROLLER_CASES
		{ NULL, 0, 0, 0, 0, 0 } } },
	/* controller.nist.local is not in the shipped mapping; the lab
	 * registered it at 10.0.0.7 (testHttpGetExpectPass fetches it). */
	{ "mud-controllerclass-test", "mudfile-controllerclass-test.json",
		{ 0, 0xc1 }, "https://controller.nist.local", "10.0.0.7", {
		{ "testHttpGetExpectPass", 1, 7, TCP, 80, 1 },
		{ "testHttpGetExpectFail", 1, NIST, TCP, 80, 0 },
		{ "testUdpPingExpectFail", 1, 4, UDP, 8000, 0 },
		{ NULL, 0, 0, 0, 0, 0 } } },
	{ "mud-dns-test", "mudfile-dns-test.json", { 0, 0xa1, 0xa2, 0xa3 },
		NULL, NULL, {
		{ "testNonIotHostHttpGetExpectPass", 4, EXT13, TCP, 80, 1 },
		{ "testHttpGetExpectPass (h1 -> 203.0.113.13 fails)", 1,
			EXT13, TCP, 80, 0 },
		{ "device -> www.nist.local", 1, NIST, TCP, 80, 1 },
		{ NULL, 0, 0, 0, 0, 0 } } },
};

/* The mud-url a "file://X" association names, read from X. */
static inline char *
assoc_url(const char *dir, const char *url)
{
	char path[8192];
	json_t *j, *u;
	char *out;

	if (strncmp(url, "file:", 5))
		return strdup(url);
	url += 5;
	while (*url == '/')
		url++;
	snprintf(path, sizeof(path), "%s/%s%s", dir, url,
		strstr(url, ".json") ? "" : ".json");
	j = json_load_file(path, 0, NULL);
	if (!j)
		return NULL;
	u = json_object_get(json_object_get(j, "ietf-mud:mud"), "mud-url");
	out = json_is_string(u) ? strdup(json_string_value(u)) : NULL;
	json_decref(j);
	return out;
}

/* The lab's context for test nt, whose files are in dir: its controller
 * classes, local networks, device associations and the extra controller
 * the lab registered. */
static inline void
nist_context(const char *dir, const struct nist_test *nt,
	struct ctl_mud_context *ctx)
{
	char path[8192];
	struct dirent *de;
	json_t *j, *m, *c, *v;
	size_t i, k;
	DIR *d;

	memset(ctx, 0, sizeof(*ctx));
	snprintf(path, sizeof(path), "%s/controllerclass-mapping.json", dir);
	j = json_load_file(path, 0, NULL);
	assert_non_null(j);
	m = json_object_get(j, "controllerclass-mapping");
	json_array_foreach(json_object_get(m, "local-networks"), i, v) {
		ctx->local_nets = realloc(ctx->local_nets,
			(ctx->n_local_nets + 1) * sizeof(*ctx->local_nets));
		assert_int_equal(ctl_cmp_parse_cidr(json_string_value(v), 0,
			&ctx->local_nets[ctx->n_local_nets++]), 0);
	}
	json_array_foreach(json_object_get(m, "controller"), i, c) {
		struct ctl_cidr a[8];
		size_t n = 0;

		json_array_foreach(json_object_get(c, "address-list"), k, v) {
			assert_true(n < 8);
			assert_int_equal(ctl_cmp_parse_cidr(
				json_string_value(v), 0, &a[n++]), 0);
		}
		assert_int_equal(ctl_mud_context_add_addrs(&ctx->controllers,
			&ctx->n_controllers, json_string_value(
				json_object_get(c, "uri")), a, n), 0);
	}
	json_decref(j);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		json_t *mp;
		char *url;

		if (strncmp(de->d_name, "device-association", 18))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		j = json_load_file(path, 0, NULL);
		assert_non_null(j);
		mp = json_object_get(j, "mapping");
		url = assoc_url(dir, json_string_value(json_object_get(mp,
			"mud-url")));
		assert_non_null(url);
		json_array_foreach(json_object_get(mp, "device-id"), i, v) {
			uint8_t mac[6];

			assert_int_equal(util_mac_parse(
				json_string_value(v), mac), 0);
			assert_int_equal(ctl_mud_context_add_peer(ctx, mac,
				url), 0);
		}
		free(url);
		json_decref(j);
	}
	closedir(d);
	if (nt->extra_class) {
		struct ctl_cidr a;

		assert_int_equal(ctl_cmp_parse_cidr(nt->extra_addr, 0, &a), 0);
		assert_int_equal(ctl_mud_context_add_addrs(&ctx->controllers,
			&ctx->n_controllers, nt->extra_class, &a, 1), 0);
	}
}

#endif /* CORDON_TEST_MUD_NIST_H */
