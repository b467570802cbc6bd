/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* p0f raw signatures of hand-built SYNs; expected strings are what
 * p0f 3.09b prints for the same packets. */

#include <unistd.h>

#include "test_fp_util.h"
#include "fp_internal.h"
#include "fp_p0f.h"
#include "test_main.h"

static uint8_t frame[256];

static const uint8_t linux_opts[] = {
	2, 4, 0x05, 0xb4,		/* MSS 1460 */
	4, 2,				/* SACK permitted */
	8, 10, 0, 0, 0x30, 0x39, 0, 0, 0, 0,	/* TS 12345, 0 */
	1,				/* NOP */
	3, 3, 7,			/* WS 7 */
};

/* A SYN from port sport to 443 (no DF, IP ID 0). */
static struct t_tcp syn443(uint16_t sport, uint32_t seq, uint16_t win,
		const uint8_t *opt, size_t optlen, uint8_t ttl)
{
	struct t_tcp t = {
		.sport = sport, .dport = 443, .seq = seq, .flags = 0x02,
		.win = win, .opt = opt, .optlen = optlen, .ttl = ttl,
	};

	return t;
}

/* Linux's SYN: linux_opts, DF, IP ID 1. */
static struct t_tcp linux_syn(uint32_t seq)
{
	struct t_tcp t = syn443(1001, seq, 64240, linux_opts,
			sizeof(linux_opts), 64);

	t.ipid = 1;
	t.df = true;
	return t;
}

static void sig_of(const struct t_tcp *t, uint16_t syn_mss, char *out)
{
	struct fp_p0f_pkt p;
	size_t n = build_tcp4(frame, 0x0a000001, 0x0a000002, t, NULL, 0);

	assert_int_equal(fp_p0f_extract(frame + 14, n - 14, &p), 0);
	fp_p0f_sig(&p, syn_mss, out, 256);
}

/* t's raw signature is want. */
static void expect_sig(const struct t_tcp *t, uint16_t syn_mss,
		const char *want)
{
	char sig[256];

	sig_of(t, syn_mss, sig);
	assert_string_equal(sig, want);
}

static void test_linux_syn(void **state)
{
	struct t_tcp t = linux_syn(0);

	(void)state;
	expect_sig(&t, 0,
		"4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+,seq-:0");
	/* SYN+ACK: window multiple of the peer's (SYN's) MSS */
	t.flags = 0x12;
	t.ack = 1;
	t.win = 65160;
	t.df = false;
	expect_sig(&t, 1460, "4:64+0:0:1460:mss*45,7:mss,sok,ts,nop,ws:seq-:0");
}

static void test_quirks(void **state)
{
	static const uint8_t opts[] = { 2, 4, 0x05, 0xb4, 3, 3, 15, 0 };
	struct t_tcp t = syn443(1002, 7, 4096, opts, sizeof(opts), 50);

	(void)state;
	t.ack = 0x01020304;
	/* id-: no DF and zero ID; ack+ as p0f tests it; exws; eol+0 */
	expect_sig(&t, 0,
		"4:50+14:0:1460:4096,15:mss,ws,eol+0:id-,ack+,exws:0");
	/* p0f only looks at the low bit of the first ACK byte */
	t.ack = 0x02020304;
	expect_sig(&t, 0, "4:50+14:0:1460:4096,15:mss,ws,eol+0:id-,exws:0");
	/* TTL too far from any initial value */
	t.ttl = 200;
	expect_sig(&t, 0, "4:200+?:0:1460:4096,15:mss,ws,eol+0:id-,exws:0");
}

static void test_bad_options(void **state)
{
	/* MSS with a wrong length byte, then an option running past the end */
	static const uint8_t opts[] = { 2, 5, 0x05, 0xb4, 1, 8, 10, 0 };
	struct t_tcp t = syn443(1003, 9, 512, opts, sizeof(opts), 64);

	(void)state;
	t.ipid = 3;
	expect_sig(&t, 0, "4:64+0:0:1460:512,0:mss,nop,ts:bad:0");
}

static void test_not_for_p0f(void **state)
{
	struct t_tcp t = { .sport = 1, .dport = 2, .flags = 0x03 };
	struct fp_p0f_pkt p;
	size_t n = build_tcp4(frame, 1, 2, &t, NULL, 0);

	(void)state;
	/* SYN+FIN */
	assert_int_equal(fp_p0f_extract(frame + 14, n - 14, &p), -EINVAL);
	/* truncated: the IP header claims more than there is */
	t.flags = 0x02;
	n = build_tcp4(frame, 1, 2, &t, NULL, 0);
	assert_int_equal(fp_p0f_extract(frame + 14, n - 15, &p), -EINVAL);
	assert_int_equal(fp_p0f_extract(frame + 14, 10, &p), -EINVAL);
}

static void test_database(void **state)
{
	struct t_tcp t = linux_syn(5);
	struct fp_p0f_db *db;
	struct fp_p0f_pkt p;
	char label[96];
	bool generic = false;
	size_t n;

	(void)state;
	if (access("/etc/p0f/p0f.fp", R_OK) != 0)
		skip();
	db = fp_p0f_db_load("/etc/p0f/p0f.fp");
	assert_non_null(db);
	n = build_tcp4(frame, 1, 2, &t, NULL, 0);
	assert_int_equal(fp_p0f_extract(frame + 14, n - 14, &p), 0);
	assert_true(fp_p0f_db_match(db, true, &p, 0, label, sizeof(label),
				&generic));
	assert_non_null(strstr(label, ":Linux:"));
	fp_p0f_db_free(db);
}

TEST_MAIN(
	cmocka_unit_test(test_linux_syn),
	cmocka_unit_test(test_quirks),
	cmocka_unit_test(test_bad_options),
	cmocka_unit_test(test_not_for_p0f),
	cmocka_unit_test(test_database))
