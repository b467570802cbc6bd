/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* LLDP: the mandatory TLVs, system name, and the RFC 8520 MUD URL TLV;
 * malformed LLDPDUs are refused, never read past. */

#include "test_fp_util.h"
#include "fp_identity.h"
#include "test_main.h"

#define MUD_URL "https://lighting.example.com/.well-known/mud/v1/bulb"

static uint8_t frame[1600];

static size_t tlv(uint8_t *b, uint8_t type, const void *v, size_t len)
{
	put16(b, (uint16_t)((type << 9) | len));
	memcpy(b + 2, v, len);
	return 2 + len;
}

/* A well-formed LLDPDU: chassis (MAC), port, TTL 120, name, MUD URL. */
static size_t build_lldp(uint8_t *b, const char *url, bool end)
{
	uint8_t chassis[7] = { 4 }, port[] = { 5, 'e', 't', 'h', '0' };
	uint8_t ttl[2] = { 0, 120 }, org[512];
	size_t o = 0, ul = url ? strlen(url) : 0;

	memcpy(chassis + 1, T_SRC_MAC, 6);
	o += tlv(b + o, 1, chassis, sizeof(chassis));
	o += tlv(b + o, 2, port, sizeof(port));
	o += tlv(b + o, 3, ttl, 2);
	o += tlv(b + o, 5, "bulb-7", 6);
	o += tlv(b + o, 6, "Bulb OS 2.1", 11);
	/* another organisation's TLV (802.1, port VLAN id) is skipped */
	o += tlv(b + o, 127, (uint8_t[]){ 0x00, 0x80, 0xc2, 1, 0, 10 }, 6);
	if (url) {
		org[0] = 0x00;
		org[1] = 0x00;
		org[2] = 0x5e;
		org[3] = 1;
		memcpy(org + 4, url, ul);
		o += tlv(b + o, 127, org, 4 + ul);
	}
	if (end)
		o += tlv(b + o, 0, "", 0);
	return o;
}

static size_t lldp_frame(const char *url, int n_vlan, const uint16_t *vids)
{
	size_t o = build_eth(frame, 0x88cc, n_vlan, vids);

	frame[0] = 0x01;	/* nearest-bridge group address */
	frame[1] = 0x80;
	frame[2] = 0xc2;
	frame[3] = 0x00;
	frame[4] = 0x00;
	frame[5] = 0x0e;
	return o + build_lldp(frame + o, url, true);
}

static void test_mud_url(void **state)
{
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	const struct fp_lldp *l;
	struct fp_stats st;
	size_t n = lldp_frame(MUD_URL, 0, NULL);

	(void)state;
	assert_int_equal(fp_interest(frame, n), FP_INTEREST_YES);
	assert_int_equal(fp_process_frame(ctx, frame, n, 5, collect_cb, &c), 1);
	assert_int_equal(c.obs[0].kind, FP_OBS_LLDP);
	assert_string_equal(fp_obs_kind_name(FP_OBS_LLDP), "lldp");
	assert_memory_equal(c.obs[0].mac, T_SRC_MAC, 6);
	l = &c.obs[0].u.lldp;
	assert_int_equal(l->chassis_subtype, 4);
	assert_int_equal(l->chassis_id.len, 6);
	assert_memory_equal(l->chassis_id.s, T_SRC_MAC, 6);
	assert_int_equal(l->port_subtype, 5);
	assert_string_equal(l->port_id.s, "eth0");
	assert_int_equal(l->ttl, 120);
	assert_string_equal(l->system_name.s, "bulb-7");
	assert_string_equal(l->system_desc.s, "Bulb OS 2.1");
	assert_string_equal(l->mud_url.s, MUD_URL);
	fp_ctx_stats(ctx, &st);
	assert_int_equal(st.malformed, 0);
	fp_ctx_destroy(ctx);
}

static void test_vlan_and_no_end(void **state)
{
	static struct collect c;
	const uint16_t vid[1] = { 42 };
	struct fp_lldp l;
	size_t n = lldp_frame(NULL, 1, vid);
	struct fp_ctx *ctx = fp_ctx_create(NULL);

	(void)state;
	assert_int_equal(fp_process_frame(ctx, frame, n, 5, collect_cb, &c), 1);
	assert_int_equal(c.obs[0].vlan, 42);
	assert_int_equal(c.obs[0].u.lldp.mud_url.len, 0);
	fp_ctx_destroy(ctx);
	/* Without the End TLV, ending exactly after a TLV, it is fine. */
	n = build_lldp(frame, MUD_URL, false);
	assert_int_equal(fp_lldp_parse(frame, n, &l), 0);
	assert_string_equal(l.mud_url.s, MUD_URL);
	/* Minimum-size padding after End is zeros: ignored. */
	n = build_lldp(frame, NULL, true);
	memset(frame + n, 0, 20);
	assert_int_equal(fp_lldp_parse(frame, n + 20, &l), 0);
}

static void test_malformed(void **state)
{
	uint8_t b[1024], org[8] = { 0x00, 0x00, 0x5e, 1 };
	struct fp_lldp l;
	static struct collect c;
	struct fp_ctx *ctx;
	struct fp_stats st;
	size_t n, o;

	(void)state;
	n = build_lldp(b, MUD_URL, true);
	/* Every truncation: refused or parsed, never read past. */
	for (size_t k = 0; k < n; k++) {
		uint8_t *cut = malloc(k ? k : 1);

		memcpy(cut, b, k);
		(void)fp_lldp_parse(cut, k, &l);
		free(cut);
	}
	assert_int_equal(fp_lldp_parse(b, 7, &l), -EINVAL);
	/* A TLV longer than the frame. */
	o = tlv(b, 1, "\x04\x00\x11\x32\x17\x49\xf0", 7);
	put16(b + o, (uint16_t)((2 << 9) | 300));
	assert_int_equal(fp_lldp_parse(b, o + 10, &l), -EINVAL);
	/* Mandatory TLVs out of order. */
	o = tlv(b, 2, "\x05x", 2);
	o += tlv(b + o, 1, "\x04\x00\x11\x32\x17\x49\xf0", 7);
	o += tlv(b + o, 3, "\x00\x78", 2);
	assert_int_equal(fp_lldp_parse(b, o, &l), -EINVAL);
	/* A chassis id without an id, a short TTL, a short org TLV. */
	o = tlv(b, 1, "\x04", 1);
	assert_int_equal(fp_lldp_parse(b, o, &l), -EINVAL);
	o = tlv(b, 1, "\x04\x01", 2);
	o += tlv(b + o, 2, "\x05x", 2);
	o += tlv(b + o, 3, "\x00", 1);
	assert_int_equal(fp_lldp_parse(b, o, &l), -EINVAL);
	o = tlv(b, 1, "\x04\x01", 2);
	o += tlv(b + o, 2, "\x05x", 2);
	o += tlv(b + o, 3, "\x00\x78", 2);
	o += tlv(b + o, 127, org, 3);
	assert_int_equal(fp_lldp_parse(b, o, &l), -EINVAL);
	/* MUD subtype with an empty URL: no URL. */
	o = tlv(b, 1, "\x04\x01", 2);
	o += tlv(b + o, 2, "\x05x", 2);
	o += tlv(b + o, 3, "\x00\x78", 2);
	o += tlv(b + o, 127, org, 4);
	assert_int_equal(fp_lldp_parse(b, o, &l), 0);
	assert_int_equal(l.mud_url.len, 0);
	/* Only the mandatory ones: too few without End. */
	o = tlv(b, 1, "\x04\x01", 2);
	o += tlv(b + o, 2, "\x05x", 2);
	assert_int_equal(fp_lldp_parse(b, o, &l), -EINVAL);
	/* A bad frame through the context counts as malformed. */
	ctx = fp_ctx_create(NULL);
	n = build_eth(frame, 0x88cc, 0, NULL);
	n += tlv(frame + n, 2, "\x05x", 2);
	assert_true(fp_process_frame(ctx, frame, n, 1, collect_cb, &c) < 0);
	assert_int_equal(c.n, 0);
	fp_ctx_stats(ctx, &st);
	assert_int_equal(st.malformed, 1);
	fp_ctx_destroy(ctx);
	/* An over-long URL is cut at FP_STR_MAX - 1, NUL-terminated. */
	{
		char url[400];

		memset(url, 'a', sizeof(url) - 1);
		url[sizeof(url) - 1] = '\0';
		n = build_lldp(b, url, true);
		assert_int_equal(fp_lldp_parse(b, n, &l), 0);
		assert_int_equal(l.mud_url.len, FP_STR_MAX - 1);
		assert_int_equal(strlen(l.mud_url.s), FP_STR_MAX - 1);
	}
}

/* The device's identity takes the URL, its source and its name. */
static void test_identity(void **state)
{
	struct fp_identity_config cfg = { 0 };
	struct fp_identity *id = fp_identity_create(&cfg);
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	static struct collect c;
	const struct fp_device *d;
	json_t *j;
	size_t n = lldp_frame(MUD_URL, 0, NULL);

	(void)state;
	assert_non_null(id);
	assert_int_equal(fp_process_frame(ctx, frame, n, 5, collect_cb, &c), 1);
	assert_int_equal(fp_identity_add(id, &c.obs[0]), 0);
	d = fp_identity_get(id, T_SRC_MAC);
	assert_non_null(d);
	assert_string_equal(d->mud_url, MUD_URL);
	assert_string_equal(d->mud_source, "lldp");
	assert_string_equal(d->hostname, "bulb-7");
	j = fp_json_device(d);
	{
		json_t *ev = json_object_get(j, "evidence");
		json_t *last = json_array_get(ev, json_array_size(ev) - 1);

		assert_string_equal(json_string_value(json_object_get(last,
			"source")), "lldp_mud");
		assert_string_equal(json_string_value(json_object_get(last,
			"attribute")), "mud_url");
		assert_string_equal(json_string_value(json_object_get(last,
			"value")), MUD_URL);
	}
	json_decref(j);
	fp_identity_destroy(id);
	fp_ctx_destroy(ctx);
}

TEST_MAIN(
	cmocka_unit_test(test_mud_url),
	cmocka_unit_test(test_vlan_and_no_end),
	cmocka_unit_test(test_malformed),
	cmocka_unit_test(test_identity))
