/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Vendor discovery protocols (fp_disc.c) with hand-built packets. */

#include <stdio.h>

#include "test_fp_util.h"
#include "test_fp_fix.h"

/* TP-Link's autokey XOR: each cipher byte keys the next one. */
static size_t tplink_encrypt(uint8_t *out, const char *json)
{
	uint8_t key = 171;
	size_t n = strlen(json);

	for (size_t i = 0; i < n; i++) {
		out[i] = (uint8_t)json[i] ^ key;
		key = out[i];
	}
	return n;
}

static const char sysinfo[] =
	"{\"system\":{\"get_sysinfo\":{\"sw_ver\":\"1.5.4 Build 180815 "
	"Rel.121440\",\"hw_ver\":\"2.0\",\"type\":\"IOT.SMARTPLUGSWITCH\","
	"\"model\":\"HS110(FR)\",\"rssi\":-62,\"dev_name\":\"Wi-Fi Smart "
	"Plug With Energy Monitoring\",\"alias\":\"lamp\"}}}";

static bool has_item(const struct fp_disc *d, const char *item)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->item[i], item))
			return true;
	return false;
}

static void test_tplink_udp(void **state)
{
	uint8_t pay[600];
	size_t n = tplink_encrypt(pay, sysinfo);
	const struct fp_disc *d;

	(void)state;
	assert_int_equal(udp(0xc0a8010a, 0xc0a80102, 9999, 51000, pay, n), 1);
	assert_int_equal(c.obs[0].kind, FP_OBS_DISCOVERY);
	d = &c.obs[0].u.disc;
	assert_string_equal(d->proto, "tplink");
	assert_true(has_item(d, "tplink.model=HS110(FR)"));
	assert_true(has_item(d, "tplink.type=IOT.SMARTPLUGSWITCH"));
	assert_true(has_item(d, "tplink.sw_ver=1.5.4 Build 180815 Rel.121440"));
	assert_true(has_item(d, "tplink.hw_ver=2.0"));
	assert_false(has_item(d, "tplink.alias=lamp"));	/* user's words */
	/* the app's query (to port 9999) says nothing about its sender */
	n = tplink_encrypt(pay, "{\"system\":{\"get_sysinfo\":{}}}");
	assert_int_equal(udp(0xc0a80102, 0xffffffff, 51000, 9999, pay, n), 0);
}

static void test_tplink_tcp(void **state)
{
	struct t_tcp t = { .sport = 9999, .dport = 40000, .seq = 1,
		.flags = 0x18, .win = 100 };
	uint8_t pay[600];
	size_t n = tplink_encrypt(pay + 4, sysinfo);

	(void)state;
	put32(pay, (uint32_t)n);
	assert_int_equal(frame_obs(build_tcp4(frame, 0xc0a8010a, 0xc0a80102,
			&t, pay, n + 4)), 1);
	assert_true(has_item(&c.obs[0].u.disc, "tplink.model=HS110(FR)"));
}

static size_t tlv(uint8_t *b, uint8_t t, const char *v)
{
	size_t l = strlen(v);

	b[0] = t;
	put16(b + 1, (uint16_t)l);
	memcpy(b + 3, v, l);
	return 3 + l;
}

static void test_ubnt(void **state)
{
	uint8_t pay[300];
	size_t o = 4;

	(void)state;
	pay[0] = 2;
	pay[1] = 6;
	o += tlv(pay + o, 0x0b, "gw");
	o += tlv(pay + o, 0x0c, "UGW3");
	o += tlv(pay + o, 0x03, "UniFiSecurityGateway.ER-e120.v4.3.33");
	o += tlv(pay + o, 0x16, "4.3.33.4936086");
	o += tlv(pay + o, 0x42, "ignored");
	put16(pay + 2, (uint16_t)(o - 4));
	assert_int_equal(udp(0xc0a80101, 0xffffffff, 34085, 10001, pay, o), 1);
	assert_string_equal(c.obs[0].u.disc.proto, "ubnt");
	assert_int_equal(c.obs[0].u.disc.n, 4);
	assert_true(has_item(&c.obs[0].u.disc, "ubnt.platform=UGW3"));
	assert_true(has_item(&c.obs[0].u.disc, "ubnt.version=4.3.33.4936086"));
	/* a TLV running past the header's length: nothing reported */
	put16(pay + 2, (uint16_t)(o - 8));
	assert_int_equal(udp(0xc0a80101, 0xffffffff, 34085, 10001, pay, o), 0);
	/* a 4-byte discovery request neither */
	assert_int_equal(udp(0xc0a80102, 0xffffffff, 40000, 10001,
			"\x01\x00\x00\x00", 4), 0);
}

static void test_tuya(void **state)
{
	uint8_t pay[200];
	const char *json = "{\"ip\":\"192.168.1.5\",\"gwId\":\"abc\","
		"\"productKey\":\"keyabc123\",\"version\":\"3.1\"}";
	size_t jl = strlen(json), o = 0;

	(void)state;
	o += put32(pay + o, 0x000055aa);
	o += put32(pay + o, 0);
	o += put32(pay + o, 0x13);
	o += put32(pay + o, (uint32_t)(jl + 12));
	o += put32(pay + o, 0);
	memcpy(pay + o, json, jl);
	o += jl;
	o += put32(pay + o, 0x12345678);	/* CRC, not checked */
	o += put32(pay + o, 0x0000aa55);
	assert_int_equal(udp(0xc0a80105, 0xffffffff, 49154, 6666, pay, o), 1);
	assert_true(has_item(&c.obs[0].u.disc, "tuya.broadcast=plain"));
	assert_true(has_item(&c.obs[0].u.disc, "tuya.productKey=keyabc123"));
	assert_true(has_item(&c.obs[0].u.disc, "tuya.version=3.1"));
	/* 6667: encrypted, only the frame markers are read */
	assert_int_equal(udp(0xc0a80105, 0xffffffff, 63145, 6667, pay, o), 1);
	assert_int_equal(c.obs[0].u.disc.n, 1);
	assert_true(has_item(&c.obs[0].u.disc, "tuya.broadcast=encrypted"));
	/* no end marker: not Tuya */
	pay[o - 1] = 0;
	assert_int_equal(udp(0xc0a80105, 0xffffffff, 63145, 6667, pay, o), 0);
}

static void test_eq3max(void **state)
{
	static const uint8_t hello[19] = "eQ3Max*\0**********I";
	uint8_t ans[26];

	(void)state;
	memcpy(ans, "eQ3MaxApKEQ0523864>I", 20);
	ans[20] = 0;
	ans[21] = 0x09;
	ans[22] = 0x7f;
	ans[23] = 0x2c;
	ans[24] = 0x01;
	ans[25] = 0x13;
	assert_int_equal(udp(0xc0a80116, 0xc0a80117, 23272, 23272, ans, 26), 1);
	assert_true(has_item(&c.obs[0].u.disc, "eq3.model=MAX! Cube"));
	assert_true(has_item(&c.obs[0].u.disc, "eq3.firmware=1.1.3"));
	/* the app's hello is not about its sender */
	assert_int_equal(udp(0xc0a80117, 0xffffffff, 23272, 23272,
			hello, sizeof(hello)), 0);
}

static void test_smarter(void **state)
{
	static const uint8_t info[4] = { 101, 2, 22, 126 };

	(void)state;
	assert_int_equal(udp(0xc0a80120, 0xc0a80102, 2081, 50000, info, 4), 1);
	assert_true(has_item(&c.obs[0].u.disc, "smarter.model=SmarterCoffee"));
	assert_true(has_item(&c.obs[0].u.disc, "smarter.firmware=22"));
	/* an unknown device type is not theirs */
	assert_int_equal(udp(0xc0a80120, 0xc0a80102, 2081, 50000,
			"\x65\x07\x16\x7e", 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FP_FIX_TEST(test_tplink_udp),
		FP_FIX_TEST(test_tplink_tcp),
		FP_FIX_TEST(test_ubnt),
		FP_FIX_TEST(test_tuya),
		FP_FIX_TEST(test_eq3max),
		FP_FIX_TEST(test_smarter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
