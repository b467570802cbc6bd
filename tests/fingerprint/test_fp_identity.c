/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_fp_util.h"
#include "fp_identity.h"
#include "fp_oui.h"
#include "test_main.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	test_mkdtemp(dir, "fp-id");
	write_file("oui.csv",
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-L,001132,\"Synology Incorporated\",\"Taipei, TW\"\n"
		"MA-L,A860B6,\"Apple, Inc.\",1 Infinite Loop\n");
	write_file("mam.csv",
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-M,A860B60,Small Maker Ltd,Somewhere\n");
	write_file("signatures.txt",
		"# comment\n"
		"dhcp_vendor|prefix|MSFT 5.0|os=Windows,type=computer|70|test\n"
		"dhcp_hostname|prefix|DESKTOP-|os=Windows|45|test\n"
		"mdns_txt|kv|model|model=$|65|test\n"
		"mdns_txt|prefix|model=iMac|vendor=Apple|65|test\n"
		"this line is malformed\n"
		"http_ua|contains|curl/|software=curl|60|test\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(dir);
	return 0;
}

static struct fp_identity *make(uint32_t max)
{
	char sig[128];
	struct fp_identity_config cfg = {
		.signatures = sig, .oui_dir = dir, .max_devices = max,
	};

	snprintf(sig, sizeof(sig), "%s/signatures.txt", dir);
	return fp_identity_create(&cfg);
}

static void test_oui(void **state)
{
	struct fp_oui *db = fp_oui_load(dir);
	const uint8_t syn[6] = { 0x00, 0x11, 0x32, 1, 2, 3 };
	const uint8_t small[6] = { 0xa8, 0x60, 0xb6, 0x01, 2, 3 };
	const uint8_t apple[6] = { 0xa8, 0x60, 0xb6, 0x11, 2, 3 };
	const uint8_t local[6] = { 0x02, 0x11, 0x32, 1, 2, 3 };

	(void)state;
	assert_non_null(db);
	assert_int_equal(fp_oui_count(db), 3);
	assert_string_equal(fp_oui_lookup(db, syn), "Synology Incorporated");
	assert_string_equal(fp_oui_lookup(db, small), "Small Maker Ltd");
	assert_string_equal(fp_oui_lookup(db, apple), "Apple, Inc.");
	assert_null(fp_oui_lookup(db, local));
	fp_oui_free(db);
}

static void test_windows(void **state)
{
	static struct fp_obs o;
	struct fp_identity *id = make(0);
	const struct fp_device *d;
	const char *v;
	uint8_t c;

	(void)state;
	assert_non_null(id);
	assert_int_equal(fp_identity_rule_count(id), 5);
	memset(&o, 0, sizeof(o));
	o.kind = FP_OBS_DHCP;
	o.has_mac = 1;
	o.ts_us = 5;
	memcpy(o.mac, T_SRC_MAC, 6);	/* 00:11:32 Synology */
	o.u.dhcp.op = 1;
	memcpy(o.u.dhcp.vendor_class.s, "MSFT 5.0", 9);
	o.u.dhcp.vendor_class.len = 8;
	memcpy(o.u.dhcp.hostname.s, "DESKTOP-1234", 13);
	o.u.dhcp.hostname.len = 12;
	assert_int_equal(fp_identity_add(id, &o), 0);
	d = fp_identity_get(id, T_SRC_MAC);
	assert_non_null(d);
	v = fp_device_attr(d, FP_ATTR_OS, &c);
	assert_string_equal(v, "Windows");
	assert_int_equal(c, 84);	/* 1 - 0.30 * 0.55 */
	v = fp_device_attr(d, FP_ATTR_VENDOR, &c);
	assert_string_equal(v, "Synology");	/* legal suffix dropped */
	assert_int_equal(c, 60);
	assert_string_equal(d->hostname, "DESKTOP-1234");
	assert_int_equal(d->n_ev, 4);
	/* the same observation again adds no evidence */
	assert_int_equal(fp_identity_add(id, &o), 0);
	assert_int_equal(d->n_ev, 4);
	assert_int_equal(d->n_obs, 2);
	/* server-side and multicast-sourced observations are not about us */
	o.kind = FP_OBS_TCP_SYNACK;
	assert_int_equal(fp_identity_add(id, &o), -ENOENT);
	assert_int_equal(d->n_ev, 4);
	assert_int_equal(d->n_obs, 3);
	o.kind = FP_OBS_HTTP;
	o.mac[0] = 0x01;
	assert_int_equal(fp_identity_add(id, &o), -ENOENT);
	fp_identity_destroy(id);
}

static void test_mdns_model(void **state)
{
	static struct fp_obs o;
	struct fp_identity *id = make(0);
	const uint8_t mac[6] = { 0xa8, 0x60, 0xb6, 0x11, 2, 3 };
	const struct fp_device *d;
	json_t *j;
	uint8_t c;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.kind = FP_OBS_MDNS;
	o.has_mac = 1;
	memcpy(o.mac, mac, 6);
	o.u.dns.n_txt = 1;
	strcpy(o.u.dns.txt[0], "model=iMac17,1");
	fp_identity_add(id, &o);
	d = fp_identity_get(id, mac);
	assert_string_equal(fp_device_attr(d, FP_ATTR_MODEL, &c), "iMac17,1");
	assert_int_equal(c, 65);
	/* OUI "Apple, Inc." and the rule's "Apple" are one vendor */
	assert_string_equal(fp_device_attr(d, FP_ATTR_VENDOR, &c), "Apple");
	assert_int_equal(c, 86);	/* 1 - 0.40 * 0.35 */
	assert_null(fp_device_attr(d, FP_ATTR_OS, &c));
	assert_int_equal(c, 0);
	j = fp_json_device(d);
	assert_string_equal(json_string_value(json_object_get(
			json_object_get(j, "model"), "value")), "iMac17,1");
	assert_true(json_is_null(json_object_get(j, "os")));
	assert_int_equal(json_array_size(json_object_get(j, "evidence")), 3);
	json_decref(j);
	fp_identity_destroy(id);
}

static void test_bounded(void **state)
{
	static struct fp_obs o;
	struct fp_identity *id = make(8);
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
	assert_true(n >= 1 && n < 8);
	o.mac[5] = 49;
	assert_non_null(fp_identity_get(id, o.mac));
	fp_identity_destroy(id);
}

TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_oui),
	cmocka_unit_test(test_windows),
	cmocka_unit_test(test_mdns_model),
	cmocka_unit_test(test_bounded))
