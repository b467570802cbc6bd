/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include "test_fp_util.h"
#include "test_main.h"

static uint8_t frame[1500], bootp[600];

/* BOOTP request with the given options area (after the magic cookie). */
static size_t build_bootp(const uint8_t *opts, size_t n)
{
	memset(bootp, 0, 240);
	bootp[0] = 1;
	bootp[1] = 1;
	bootp[2] = 6;
	put32(bootp + 4, 0xdeadbeef);
	memcpy(bootp + 28, T_SRC_MAC, 6);
	put32(bootp + 236, 0x63825363);
	memcpy(bootp + 240, opts, n);
	return 240 + n;
}

static void test_request(void **state)
{
	static const uint8_t opts[] = {
		53, 1, 3,
		61, 7, 1, 0x00, 0x11, 0x32, 0x17, 0x49, 0xf0,
		12, 5, 'n', 'a', 's', '1', 0,
		60, 8, 'M', 'S', 'F', 'T', ' ', '5', '.', '0',
		57, 2, 0x05, 0xdc,
		50, 4, 10, 16, 1, 4,
		81, 7, 0, 0, 0, 'h', 'o', 's', 't',
		161, 5, 'h', 't', 't', 'p', 's',
		0, 0,		/* pads are not options */
		55, 4, 1, 3, 6, 15,
		255,
	};
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	const struct fp_dhcp *d;
	size_t n = build_bootp(opts, sizeof(opts));

	(void)state;
	n = build_udp4(frame, 0, 0xffffffff, 68, 67, bootp, n);
	assert_int_equal(fp_process_frame(ctx, frame, n, 1, collect_cb, &c), 1);
	assert_int_equal(c.obs[0].kind, FP_OBS_DHCP);
	d = &c.obs[0].u.dhcp;
	assert_int_equal(d->msg_type, 3);
	assert_int_equal(d->xid, 0xdeadbeef);
	assert_memory_equal(d->client_mac, T_SRC_MAC, 6);
	assert_int_equal(d->n_options, 10);
	assert_int_equal(d->options[0], 53);
	assert_int_equal(d->options[8], 55);
	assert_int_equal(d->options[9], 255);
	assert_int_equal(d->n_params, 4);
	assert_int_equal(d->params[3], 15);
	assert_int_equal(d->hostname.len, 5);	/* trailing NUL kept */
	assert_memory_equal(d->hostname.s, "nas1", 5);
	assert_string_equal(d->vendor_class.s, "MSFT 5.0");
	assert_int_equal(d->client_id.len, 7);
	assert_int_equal(d->max_msg_size, 1500);
	assert_true(d->has_requested_addr);
	assert_int_equal(d->requested_addr[3], 4);
	assert_string_equal(d->fqdn.s, "host");
	assert_string_equal(d->mud_url.s, "https");
	fp_ctx_destroy(ctx);
}

/* Option 52: more options in the file and sname fields. */
static void test_overload(void **state)
{
	static const uint8_t opts[] = { 53, 1, 1, 52, 1, 3, 255 };
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	const struct fp_dhcp *d;
	size_t n = build_bootp(opts, sizeof(opts));

	(void)state;
	/* file (108..235): option 55; sname (44..107): option 12 */
	memcpy(bootp + 108, (const uint8_t[]){ 55, 2, 1, 3, 255 }, 5);
	memcpy(bootp + 44, (const uint8_t[]){ 12, 2, 'a', 'b', 255 }, 5);
	n = build_udp4(frame, 0, 0xffffffff, 68, 67, bootp, n);
	fp_process_frame(ctx, frame, n, 1, collect_cb, &c);
	assert_int_equal(c.n, 1);
	d = &c.obs[0].u.dhcp;
	assert_int_equal(d->n_params, 2);
	assert_string_equal(d->hostname.s, "ab");
	assert_int_equal(d->n_options, 7);	/* 53 52 255 55 255 12 255 */
	fp_ctx_destroy(ctx);
}

/* Options running off the end, bad cookie, short packets. */
static void test_malformed(void **state)
{
	static const uint8_t opts[] = { 53, 1, 1, 55, 200, 1, 3 };
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	size_t n = build_bootp(opts, sizeof(opts));

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		size_t fl = build_udp4(frame, 0, 0xffffffff, 68, 67, bootp, cut);

		fp_process_frame(ctx, frame, fl, 1, collect_cb, &c);
	}
	assert_int_equal(c.n, (int)(n - 240 + 1));	/* from 240 bytes on */
	assert_int_equal(c.obs[0].u.dhcp.n_options, 0);
	assert_int_equal(c.obs[COLLECT_MAX - 1].u.dhcp.n_params, 0);
	bootp[236] = 0;
	memset(&c, 0, sizeof(c));
	n = build_udp4(frame, 0, 0xffffffff, 68, 67, bootp, n);
	fp_process_frame(ctx, frame, n, 1, collect_cb, &c);
	assert_int_equal(c.n, 0);
	fp_ctx_destroy(ctx);
}

static void test_dhcpv6(void **state)
{
	static const uint8_t msg[] = {
		1, 0x12, 0x34, 0x56,			/* SOLICIT, xid */
		0, 1, 0, 4, 0, 3, 0, 1,			/* client id */
		0, 6, 0, 4, 0, 23, 0, 24,		/* ORO 23 24 */
		0, 16, 0, 10, 0, 0, 0x9f, 0x08, 0, 4, 'd', 'h', 'c', 'p',
		0, 112, 0, 3, 'u', 'r', 'l',		/* MUD URL */
		0, 3, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 14, 0, 0,			/* IA_NA { rapid? } */
	};
	static struct collect c;
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	const struct fp_dhcpv6 *d;
	uint8_t f6[200];
	size_t o = build_eth(f6, 0x86dd, 0, NULL);

	(void)state;
	memset(f6 + o, 0, 48);
	f6[o] = 0x60;
	put16(f6 + o + 4, (uint16_t)(8 + sizeof(msg)));
	f6[o + 6] = 17;
	f6[o + 7] = 1;
	f6[o + 8] = 0xfe;
	f6[o + 9] = 0x80;
	f6[o + 24] = 0xff;
	f6[o + 25] = 0x02;
	f6[o + 39] = 2;
	put16(f6 + o + 40, 546);
	put16(f6 + o + 42, 547);
	put16(f6 + o + 44, (uint16_t)(8 + sizeof(msg)));
	memcpy(f6 + o + 48, msg, sizeof(msg));
	fp_process_frame(ctx, f6, o + 48 + sizeof(msg), 1, collect_cb, &c);
	assert_int_equal(c.n, 1);
	d = &c.obs[0].u.dhcpv6;
	assert_int_equal(c.obs[0].kind, FP_OBS_DHCPV6);
	assert_int_equal(d->msg_type, 1);
	assert_int_equal(d->xid, 0x123456);
	assert_int_equal(d->n_oro, 2);
	assert_int_equal(d->oro[1], 24);
	assert_int_equal(d->vendor_enterprise, 40712);
	assert_string_equal(d->vendor_class.s, "dhcp");
	assert_string_equal(d->mud_url.s, "url");
	/* 1 6 16 112 3, then 14 inside the IA_NA */
	assert_int_equal(d->n_options, 6);
	assert_int_equal(d->options[5], 14);
	fp_ctx_destroy(ctx);
}

TEST_MAIN(
	cmocka_unit_test(test_request),
	cmocka_unit_test(test_overload),
	cmocka_unit_test(test_malformed),
	cmocka_unit_test(test_dhcpv6))
