/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Device identity: evidence from each kind of observation, the conflict
 * rules of fingerprint/README.md ("Combining evidence"), fixed memory.
 * Signatures are written for the test; the shipped ones are test_fp_sig's.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "test_fp_util.h"
#include "fp_behav.h"
#include "fp_identity.h"
#include "fp_internal.h"
#include "fp_oui.h"
#include "test_main.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	t_write_file(dir, name, text);
}

static const char sigs[] =
	"# test signatures\n"
	"rule dhcp_vendor prefix MSFT 5.0\n"
	"\tos Windows\n\ttype computer @25\n\tgeneric\n\tconf 50\n"
	"\tfrom test\n\texample MSFT 5.0\n"
	"rule hostname re ^DESKTOP-\n"
	"\tos Windows\n\ttype computer\n\tconf 70\n\tfrom test\n"
	"\texample DESKTOP-1\n"
	"rule hostname re ^(C\\d{3})$\n"
	"\tif vendor=TP-Link\n\ttype camera\n\tmodel Tapo $1\n\tconf 85\n"
	"\tfrom test\n\texample C200\n"
	"rule hostname re ^plug\n"
	"\ttype plug\n\tconf 60\n\tfrom test\n\texample plug1\n"
	"rule oui re ^TP-LINK\n"
	"\tvendor TP-Link\n\tconf 60\n\tfrom test\n\texample TP-LINK X\n"
	"rule oui prefix Synology\n"
	"\ttype nas\n\tconf 40\n\tfrom test\n\texample Synology\n"
	"rule oui prefix Espressif\n"
	"\tvendor Espressif @20\n\tgeneric\n\tfrom test\n"
	"\texample Espressif Inc.\n"
	"rule mdns_txt re ^model=(.+)\n"
	"\tmodel $1\n\tconf 65\n\tfrom test\n\texample model=iMac17,1\n"
	"rule mdns_txt re ^model=iMac\n"
	"\tvendor Apple\n\tconf 65\n\tfrom test\n\texample model=iMac1\n"
	"rule mdns_service exact _hue._tcp\n"
	"\ttype hub\n\tconf 80\n\tfrom test\n\texample _hue._tcp\n"
	"rule domain domain cloud.test\n"
	"\tvendor Cloudco\n\ttype camera\n\tconf 70\n\tfrom test\n"
	"\texample a.cloud.test\n"
	"rule http_server prefix EmWeb\n"
	"\ttype printer\n\tconf 65\n\tfrom test\n\texample EmWeb/R6\n"
	"rule service exact tcp/9100\n"
	"\ttype printer\n\tconf 70\n\tfrom test\n\texample tcp/9100\n"
	"rule behaviour exact upload-stream\n"
	"\ttype camera\n\tconf 45\n\tfrom test\n\texample upload-stream\n"
	"rule discovery re ^tplink\\.model=(.+)$\n"
	"\tvendor TP-Link\n\tmodel $1\n\tconf 90\n\tfrom test\n"
	"\texample tplink.model=HS110\n"
	"rule hostname re ^(HS1\\d\\d)\n"
	"\ttype plug\n\tconf 80\n\tfrom test\n\texample HS110\n";

static int setup(void **state)
{
	(void)state;
	test_mkdtemp(dir, "fp-id");
	write_file("oui.csv",
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-L,001132,\"Synology Incorporated\",\"Taipei, TW\"\n"
		"MA-L,A860B6,\"Apple, Inc.\",1 Infinite Loop\n"
		"MA-L,50C7BF,\"TP-LINK TECHNOLOGIES CO.,LTD.\",Shenzhen\n"
		"MA-L,F4CFA2,Espressif Inc.,Shanghai\n");
	write_file("mam.csv",
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-M,A860B60,Small Maker Ltd,Somewhere\n");
	write_file("manuf",
		"# Wireshark manuf\n"
		"00:11:32\tSynology\tSomeone Else\n"
		"9C:53:22\tTP-Link\tTP-Link Corporation Limited\n"
		"00:50:C2:00:10:00/36\tTiny\tTiny Maker\t# a comment\n"
		"01:00:0C:CC:CC:CC\tCDP\n");
	write_file("test.sig", sigs);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(dir);
	return 0;
}

/* Each test's identity table and scratch observation: a fresh table per
 * test (cmocka setup and teardown), room for 8 devices in test_bounded. */
static struct fp_identity *id;
static struct fp_obs o;

static struct fp_identity *make(uint32_t max)
{
	char sig[128], manuf[128];
	struct fp_identity_config cfg = {
		.signatures = sig, .oui_dir = dir, .manuf = manuf,
		.max_devices = max,
	};

	snprintf(sig, sizeof(sig), "%s/test.sig", dir);
	snprintf(manuf, sizeof(manuf), "%s/manuf", dir);
	return fp_identity_create(&cfg);
}


static int id_fresh(uint32_t max)
{
	id = make(max);
	memset(&o, 0, sizeof(o));
	return id ? 0 : -1;
}

static int id_setup(void **state)
{
	(void)state;
	return id_fresh(0);
}

static int id_setup_small(void **state)
{
	(void)state;
	return id_fresh(8);
}

static int id_teardown(void **state)
{
	(void)state;
	fp_identity_destroy(id);
	id = NULL;
	return 0;
}

/* The README's formula: specific clues combined, generic ones at half
 * weight when any candidate has a specific clue; odds against the field. */
static uint8_t expect(double spec_w, double gen_w, double spec_o,
		double gen_o)
{
	bool any = spec_w > 0 || spec_o > 0;
	double g = any ? 0.5 : 1.0;
	double sw = 1 - (1 - spec_w) * (1 - g * gen_w);
	double so = 1 - (1 - spec_o) * (1 - g * gen_o);
	double ow = sw / (1 - sw), oo = so > 0 ? so / (1 - so) : 0;

	return (uint8_t)lrint(100 * ow / (1 + ow + oo));
}

/* floats in the library, doubles here: a point of rounding either way */
#define assert_conf(c, e) assert_in_range((c), (e) > 0 ? (e) - 1 : 0, (e) + 1)

static const char *attr(const struct fp_device *d, int a, uint8_t *c)
{
	return fp_device_attr(d, a, c);
}

/* o becomes an observation of kind k from mac. */
static void obs_init(enum fp_obs_kind k, const uint8_t mac[6])
{
	memset(&o, 0, sizeof(o));
	o.kind = k;
	o.has_mac = 1;
	o.ts_us = 1000000;
	memcpy(o.mac, mac, 6);
}

/* A DNS query from mac for name. */
static void dns_query(const uint8_t mac[6], const char *name)
{
	obs_init(FP_OBS_DNS_QUERY, mac);
	o.u.dns.n_q = 1;
	strcpy(o.u.dns.q[0].name, name);
	fp_identity_add(id, &o);
}

/* o becomes an mDNS message (qr) carrying the Hue bridge's SRV record in
 * section (1: answer, 2: authority). */
static void mdns_hue(uint8_t qr, uint8_t section)
{
	o.kind = FP_OBS_MDNS;
	o.u.dns.qr = qr;
	o.u.dns.n_rr = 1;
	strcpy(o.u.dns.rr[0].name, "Hue._hue._tcp.local");
	o.u.dns.rr[0].type = 33;
	o.u.dns.rr[0].section = section;
}

/* A DHCP request from mac naming itself name; o is left holding it. */
static void dhcp_hostname(const uint8_t mac[6], const char *name)
{
	obs_init(FP_OBS_DHCP, mac);
	o.u.dhcp.op = 1;
	fp_str_set(&o.u.dhcp.hostname, (const uint8_t *)name, strlen(name));
	fp_identity_add(id, &o);
}

static void test_oui(void **state)
{
	struct fp_oui *db = fp_oui_load(dir);
	const uint8_t syn[6] = { 0x00, 0x11, 0x32, 1, 2, 3 };
	const uint8_t small[6] = { 0xa8, 0x60, 0xb6, 0x01, 2, 3 };
	const uint8_t apple[6] = { 0xa8, 0x60, 0xb6, 0x11, 2, 3 };
	const uint8_t local[6] = { 0x02, 0x11, 0x32, 1, 2, 3 };
	const uint8_t tapo[6] = { 0x9c, 0x53, 0x22, 1, 2, 3 };
	const uint8_t tiny[6] = { 0x00, 0x50, 0xc2, 0x00, 0x10, 0x03 };
	char p[128];

	(void)state;
	assert_non_null(db);
	assert_int_equal(fp_oui_count(db), 5);
	assert_string_equal(fp_oui_lookup(db, syn), "Synology Incorporated");
	assert_string_equal(fp_oui_lookup(db, small), "Small Maker Ltd");
	assert_string_equal(fp_oui_lookup(db, apple), "Apple, Inc.");
	assert_null(fp_oui_lookup(db, local));
	assert_null(fp_oui_lookup(db, tapo));
	/* manuf adds what the registry copy lacks, and only that */
	snprintf(p, sizeof(p), "%s/manuf", dir);
	assert_int_equal(fp_oui_load_manuf(db, p), 2);
	assert_string_equal(fp_oui_lookup(db, tapo),
			"TP-Link Corporation Limited");
	assert_string_equal(fp_oui_lookup(db, tiny), "Tiny Maker");
	assert_string_equal(fp_oui_lookup(db, syn), "Synology Incorporated");
	assert_int_equal(fp_oui_load_manuf(db, "/nonexistent"), 0);
	fp_oui_free(db);
}

/* A specific clue beats generic ones; every rival lowers the winner. */
static void test_conflicts(void **state)
{
	const struct fp_device *d;
	uint8_t c;

	(void)state;
	assert_non_null(id);
	assert_int_equal(fp_identity_rule_count(id), 16);
	obs_init(FP_OBS_DHCP, T_SRC_MAC);	/* 00:11:32 Synology */
	o.u.dhcp.op = 1;
	fp_str_set(&o.u.dhcp.vendor_class, (const uint8_t *)"MSFT 5.0", 8);
	assert_int_equal(fp_identity_add(id, &o), 0);
	d = fp_identity_get(id, T_SRC_MAC);
	assert_non_null(d);
	/* generic only: computer (MSFT 5.0, 25) against nas (OUI, 40) */
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "nas");
	assert_conf(c, expect(0, 0.40, 0, 0.25));
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "Synology");
	assert_int_equal(c, 55);
	/* a specific clue (the host name) turns it */
	fp_str_set(&o.u.dhcp.hostname, (const uint8_t *)"DESKTOP-1234", 12);
	assert_int_equal(fp_identity_add(id, &o), 0);
	assert_string_equal(d->hostname, "DESKTOP-1234");
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "computer");
	assert_conf(c, expect(0.70, 0.25, 0, 0.40));
	assert_string_equal(attr(d, FP_ATTR_OS, &c), "Windows");
	assert_conf(c, expect(0.70, 0.50, 0, 0));
	assert_string_equal(fp_device_attr_second(d, FP_ATTR_TYPE, &c), "nas");
	/* the same observation again adds nothing but hits */
	uint16_t n_ev = d->n_ev;

	assert_int_equal(fp_identity_add(id, &o), 0);
	assert_int_equal(d->n_ev, n_ev);
	/* two specific clues that disagree: both lose confidence */
	dhcp_hostname((const uint8_t[6]){ 0x02, 0, 0, 0, 0, 9 },
			"plug1");
	mdns_hue(1, 1);
	fp_identity_add(id, &o);
	d = fp_identity_get(id, o.mac);
	assert_true(d->random_mac);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "hub");
	assert_conf(c, expect(0.80, 0, 0.60, 0));
	assert_true(c < 70);
}

/* Names a phone or computer contacts are its apps', not its vendor. */
static void test_cloud_names(void **state)
{
	const uint8_t iot[6] = { 0x02, 0, 0, 0, 0, 1 };
	const struct fp_device *d;
	uint8_t c;

	(void)state;
	obs_init(FP_OBS_DNS_QUERY, iot);
	o.u.dns.n_q = 2;
	strcpy(o.u.dns.q[0].name, "a.cloud.test");
	o.u.dns.q[0].type = 1;
	strcpy(o.u.dns.q[1].name, "b.cloud.test");
	o.u.dns.q[1].type = 28;
	fp_identity_add(id, &o);
	d = fp_identity_get(id, iot);
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "Cloudco");
	assert_int_equal(c, 70);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "camera");
	/* one rule, one clue: the second name is a hit, not more evidence */
	assert_int_equal(d->n_ev, 2);
	assert_int_equal(d->ev[0].hits, 2);
	assert_string_equal(d->ev[0].seen, "a.cloud.test");
	/* the same names from a Windows PC */
	dhcp_hostname(T_SRC_MAC, "DESKTOP-1");
	dns_query(T_SRC_MAC, "a.cloud.test");
	d = fp_identity_get(id, T_SRC_MAC);
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "Synology");
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "computer");
}

/* "if vendor=": a short host name means a model only on that brand. */
static void test_if_vendor(void **state)
{
	const uint8_t tplink[6] = { 0x50, 0xc7, 0xbf, 1, 2, 3 };
	const struct fp_device *d;
	uint8_t c;

	(void)state;
	dhcp_hostname(tplink, "C200");
	d = fp_identity_get(id, tplink);
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "TP-Link");
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "camera");
	assert_string_equal(attr(d, FP_ATTR_MODEL, &c), "Tapo C200");
	memcpy(o.mac, T_SRC_MAC, 6);
	fp_identity_add(id, &o);
	d = fp_identity_get(id, T_SRC_MAC);
	assert_null(attr(d, FP_ATTR_MODEL, &c));
}

/* A module maker's OUI yields to any brand clue. */
static void test_module_oui(void **state)
{
	const uint8_t esp[6] = { 0xf4, 0xcf, 0xa2, 1, 2, 3 };
	const struct fp_device *d;
	uint8_t c;

	(void)state;
	obs_init(FP_OBS_TCP_SYN, esp);
	fp_identity_add(id, &o);
	d = fp_identity_get(id, esp);
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "Espressif");
	assert_int_equal(c, 20);
	dns_query(esp, "x.cloud.test");
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "Cloudco");
	assert_conf(c, expect(0.70, 0, 0, 0.20));
}

/* Only what a device says about itself counts. */
static void test_about_sender(void **state)
{
	const uint8_t router[6] = { 0x02, 0, 0, 0, 0, 0x21 };
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
	const struct fp_device *d;
	uint8_t c;

	(void)state;
	/* an HTTP response from the Internet, forwarded by the router */
	obs_init(FP_OBS_HTTP, router);
	strcpy(o.u.text.status, "HTTP/1.1 200 OK");
	strcpy(o.u.text.server, "EmWeb/R6");
	o.src.family = 4;
	memcpy(o.src.a, (uint8_t[]){ 93, 184, 216, 34 }, 4);
	assert_int_equal(fp_identity_add(id, &o), -ENOENT);
	d = fp_identity_get(id, router);
	assert_null(attr(d, FP_ATTR_TYPE, &c));
	/* the same from a LAN address is the printer's own */
	memcpy(o.src.a, (uint8_t[]){ 192, 168, 1, 9 }, 4);
	assert_int_equal(fp_identity_add(id, &o), 0);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "printer");
	/* SYN+ACK: a service only when answered from a LAN address */
	obs_init(FP_OBS_TCP_SYNACK, mac);
	o.sport = 9100;
	o.src.family = 4;
	memcpy(o.src.a, (uint8_t[]){ 8, 8, 8, 8 }, 4);
	assert_int_equal(fp_identity_add(id, &o), -ENOENT);
	memcpy(o.src.a, (uint8_t[]){ 10, 1, 2, 3 }, 4);
	assert_int_equal(fp_identity_add(id, &o), 0);
	d = fp_identity_get(id, mac);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "printer");
	assert_int_equal(d->n_svc, 1);
	/* mDNS: a query's answers are other devices' (known answers), its
	 * authority records are its own (a probe) */
	obs_init(FP_OBS_MDNS, (const uint8_t[6]){ 0x02, 0, 0, 0, 0, 7 });
	mdns_hue(0, 1);
	fp_identity_add(id, &o);
	d = fp_identity_get(id, o.mac);
	assert_null(attr(d, FP_ATTR_TYPE, &c));
	o.u.dns.rr[0].section = 2;
	fp_identity_add(id, &o);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "hub");
	/* a sleep proxy answering for another host (address records that
	 * are not the sender's) says nothing about itself */
	obs_init(FP_OBS_MDNS, (const uint8_t[6]){ 0x02, 0, 0, 0, 0, 8 });
	o.src.family = 4;
	memcpy(o.src.a, (uint8_t[]){ 192, 168, 1, 8 }, 4);
	mdns_hue(1, 1);
	o.u.dns.n_rr = 2;
	strcpy(o.u.dns.rr[1].name, "hue.local");
	o.u.dns.rr[1].type = 1;
	o.u.dns.rr[1].section = 3;
	o.u.dns.rr[1].addr.family = 4;
	memcpy(o.u.dns.rr[1].addr.a, (uint8_t[]){ 192, 168, 1, 9 }, 4);
	fp_identity_add(id, &o);
	d = fp_identity_get(id, o.mac);
	assert_null(attr(d, FP_ATTR_TYPE, &c));
	memcpy(o.u.dns.rr[1].addr.a, (uint8_t[]){ 192, 168, 1, 8 }, 4);
	fp_identity_add(id, &o);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "hub");
}

static void test_discovery_and_tls(void **state)
{
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x31 };
	const struct fp_device *d;
	uint8_t c;
	json_t *j, *t;

	(void)state;
	obs_init(FP_OBS_DISCOVERY, mac);
	strcpy(o.u.disc.proto, "tplink");
	o.u.disc.n = 1;
	strcpy(o.u.disc.item[0], "tplink.model=HS110(FR)");
	fp_identity_add(id, &o);
	d = fp_identity_get(id, mac);
	assert_string_equal(attr(d, FP_ATTR_MODEL, &c), "HS110(FR)");
	/* the model also went through the host-name rules */
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "plug");
	assert_string_equal(attr(d, FP_ATTR_VENDOR, &c), "TP-Link");
	/* TLS hygiene: TLS 1.0 only with RC4 on offer */
	obs_init(FP_OBS_TLS, mac);
	o.u.tls.max_version = 0x0301;
	o.u.tls.flags = FP_TLS_RC4 | FP_TLS_TLS10_MAX;
	fp_identity_add(id, &o);
	assert_int_equal(fp_device_tls_flags(d), FP_TLS_RC4 |
			FP_TLS_TLS10_MAX);
	/* a later TLS 1.2 hello: no longer "1.0 only"; RC4 stays on record */
	o.u.tls.max_version = 0x0303;
	o.u.tls.flags = 0;
	fp_identity_add(id, &o);
	assert_int_equal(fp_device_tls_flags(d), FP_TLS_RC4);
	j = fp_json_device(d);
	t = json_object_get(j, "tls");
	assert_int_equal(json_integer_value(json_object_get(t, "hellos")), 2);
	assert_string_equal(json_string_value(json_object_get(t,
					"max_version")), "TLS 1.2");
	assert_string_equal(json_string_value(json_array_get(
			json_object_get(t, "obsolete"), 0)), "rc4-ciphers");
	assert_string_equal(json_string_value(json_object_get(
			json_object_get(j, "model"), "value")), "HS110(FR)");
	json_decref(j);
}

/* A camera's sustained upload earns the behaviour clue. */
static void test_shape(void **state)
{
	const uint8_t cam[6] = { 0x02, 0, 0, 0, 0, 0x41 };
	const uint8_t phone[6] = { 0x02, 0, 0, 0, 0, 0x42 };
	struct fp_addr a = { .family = 4, .a = { 192, 168, 1, 20 } };
	struct fp_addr b = { .family = 4, .a = { 192, 168, 1, 21 } };
	struct fp_behav_summary s = { 0 };
	const struct fp_device *d;
	uint8_t c;

	(void)state;
	for (uint64_t sec = 0; sec < 15; sec++)
		for (int i = 0; i < 40; i++)
			fp_identity_traffic(id, cam, phone, &a, &b, 1200,
					sec * 1000000 + (uint64_t)i * 1000 + 1);
	fp_identity_traffic(id, cam, phone, &a, &b, 60, 16000000);
	d = fp_identity_get(id, cam);
	assert_non_null(d);
	assert_int_equal(d->shape.up_secs, 15);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "camera");
	assert_int_equal(c, 45);
	assert_int_equal(d->ev[d->n_ev - 1].source, FP_EV_BEHAVIOUR);
	/* the phone was only ever a destination: not a device of its own */
	assert_null(fp_identity_get(id, phone));
	/* the dataplane's interval summaries lead to the same */
	s.start_us = 1;
	s.interval_us = 60000000;
	s.bytes_out = 60ull * 50000;
	s.bytes_in = 1000;
	s.pkts_out = 3000;
	fp_identity_behaviour(id, phone, &s);
	d = fp_identity_get(id, phone);
	assert_string_equal(attr(d, FP_ATTR_TYPE, &c), "camera");
	/* a gateway sends the Internet's packets from its MAC: a forwarder,
	 * whose download is everyone's and earns no shape */
	const uint8_t gw[6] = { 0x02, 0, 0, 0, 0, 0x43 };

	for (uint64_t sec = 0; sec < 15; sec++)
		for (int i = 0; i < 40; i++) {
			struct fp_addr far = { .family = 4,
				.a = { 93, 184, (uint8_t)sec, (uint8_t)i } };

			fp_identity_traffic(id, gw, cam, &far, &a, 1200,
					sec * 1000000 + (uint64_t)i * 1000 + 1);
		}
	fp_identity_traffic(id, gw, cam, &b, &a, 60, 16000000);
	d = fp_identity_get(id, gw);
	assert_true(d->shape.forwarder);
	assert_true(d->shape.up_secs >= 10);
	assert_null(attr(d, FP_ATTR_TYPE, &c));	/* no upload-stream */
}

static void test_bad_signatures(void **state)
{
	char sig[128], err[256];
	struct fp_identity_config cfg = { .signatures = sig, .err = err,
		.err_cap = sizeof(err) };

	(void)state;
	write_file("bad.sig", "rule hostname prefix X\n\ttype toaster\n");
	snprintf(sig, sizeof(sig), "%s/bad.sig", dir);
	assert_null(fp_identity_create(&cfg));
	assert_non_null(strstr(err, "bad.sig:2:"));
	assert_non_null(strstr(err, "toaster"));
}

static void test_bounded(void **state)
{
	int n = 0;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.kind = FP_OBS_HTTP;
	o.has_mac = 1;
	for (int i = 0; i < 50; i++) {
		o.mac[5] = (uint8_t)i;
		o.ts_us = 100 + (uint64_t)i;
		assert_int_equal(fp_identity_add(id, &o), 0);
		assert_non_null(fp_identity_get(id, o.mac));
	}
	for (int i = 0; i < 50; i++) {
		o.mac[5] = (uint8_t)i;
		n += fp_identity_get(id, o.mac) != NULL;
	}
	assert_true(n >= 1 && n < 16);	/* at least 16 slots */
	o.mac[5] = 49;
	assert_non_null(fp_identity_get(id, o.mac));
}

/* Many times the table's size through it: each device is found while it
 * is among the newer half, forgotten once it is among the older, and the
 * table never holds more than it may. */
static void count_dev(const struct fp_device *d, void *arg)
{
	(void)d;
	(*(uint32_t *)arg)++;
}

static void test_churn(void **state)
{
	const uint32_t cap = 1000, total = 5 * 1000 + 300;
	uint32_t n = 0;

	(void)state;
	fp_identity_destroy(id);
	id = make(cap);
	assert_non_null(id);
	memset(&o, 0, sizeof(o));
	o.kind = FP_OBS_HTTP;
	o.has_mac = 1;
	o.mac[0] = 0x02;
	for (uint32_t i = 0; i < total; i++) {
		o.mac[3] = (uint8_t)(i >> 16);
		o.mac[4] = (uint8_t)(i >> 8);
		o.mac[5] = (uint8_t)i;
		o.ts_us = 1000 + i;
		assert_int_equal(fp_identity_add(id, &o), 0);
		assert_non_null(fp_identity_get(id, o.mac));
	}
	for (uint32_t i = 0; i < total; i++) {
		const struct fp_device *d;

		o.mac[3] = (uint8_t)(i >> 16);
		o.mac[4] = (uint8_t)(i >> 8);
		o.mac[5] = (uint8_t)i;
		d = fp_identity_get(id, o.mac);
		if (i >= total - cap / 2 + 1)	/* since the last prune */
			assert_non_null(d);
		if (i < total - cap)
			assert_null(d);
		if (d != NULL)
			assert_memory_equal(d->mac, o.mac, 6);
	}
	fp_identity_foreach(id, count_dev, &n);
	assert_true(n > cap / 2 && n < cap);
}

/*
 * A table of a dataplane's default 65,536 devices in 256 MiB of address
 * space, as on a CPE with strict overcommit: creation takes the index, not
 * every record (it took 556 MB), and records come as devices do. In a
 * child, whose address space is limited. Not under ASan, whose shadow
 * memory is itself terabytes of address space.
 */
static void test_lazy_records(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
	(void)state;
	skip();
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	(void)state;
	skip();
#endif
#endif
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 256u << 20, 256u << 20 };
		struct fp_identity *big;
		int bad = 0;

		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(2);
		big = make(65536);
		if (big == NULL)
			_exit(3);
		memset(&o, 0, sizeof(o));
		o.kind = FP_OBS_HTTP;
		o.has_mac = 1;
		o.mac[0] = 0x02;
		/* 3,000 devices: twelve blocks, 26 MB. */
		for (uint32_t i = 0; i < 3000; i++) {
			o.mac[4] = (uint8_t)(i >> 8);
			o.mac[5] = (uint8_t)i;
			o.ts_us = 1 + i;
			bad += fp_identity_add(big, &o) != 0 ||
				fp_identity_get(big, o.mac) == NULL;
		}
		fp_identity_destroy(big);
		_exit(bad ? 4 : 0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* More evidence than a device holds: counted, and still weighed. */
static void test_evidence_bound(void **state)
{
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x51 };
	const struct fp_device *d;
	json_t *j;

	(void)state;
	obs_init(FP_OBS_MDNS, mac);
	o.u.dns.qr = 1;
	o.u.dns.n_rr = 1;
	o.u.dns.n_txt = 1;
	for (int i = 0; i < FP_DEV_MAX_EV + 10; i++) {
		snprintf(o.u.dns.txt[0], sizeof(o.u.dns.txt[0]),
				"model=m%d", i);
		fp_identity_add(id, &o);
	}
	d = fp_identity_get(id, mac);
	assert_int_equal(d->n_ev, FP_DEV_MAX_EV);
	assert_int_equal(d->ev_dropped, 10);
	j = fp_json_device(d);
	assert_int_equal(json_integer_value(json_object_get(j,
					"evidence_dropped")), 10);
	json_decref(j);
}

/* What devices say is made printable, valid UTF-8 before it is kept. */
static void test_utf8(void **state)
{
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x61 };
	const struct fp_device *d;

	(void)state;
	obs_init(FP_OBS_DHCP, mac);
	o.u.dhcp.op = 1;
	/* "plug" + a lone continuation byte + a control + "é" (valid) */
	fp_str_set(&o.u.dhcp.hostname,
			(const uint8_t *)"plug\x80\x01\xc3\xa9", 8);
	fp_identity_add(id, &o);
	d = fp_identity_get(id, mac);
	assert_string_equal(d->hostname, "plug?\xc3\xa9");
	assert_string_equal(d->ev[0].seen, "plug?\xc3\xa9");
}

#define ID_TEST(t) cmocka_unit_test_setup_teardown(t, id_setup, id_teardown)

TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_oui),
	ID_TEST(test_conflicts),
	ID_TEST(test_cloud_names),
	ID_TEST(test_if_vendor),
	ID_TEST(test_module_oui),
	ID_TEST(test_about_sender),
	ID_TEST(test_discovery_and_tls),
	ID_TEST(test_shape),
	cmocka_unit_test(test_bad_signatures),
	cmocka_unit_test_setup_teardown(test_bounded, id_setup_small,
		id_teardown),
	ID_TEST(test_churn),
	cmocka_unit_test(test_lazy_records),
	ID_TEST(test_evidence_bound),
	ID_TEST(test_utf8))
