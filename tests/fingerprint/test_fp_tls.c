/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <stdbool.h>

#include "test_fp_util.h"
#include "test_fp_ch.h"
#include "fp_internal.h"
#include "fp_tls.h"
#include "test_main.h"

static void test_ja4_ja3(void **state)
{
	static struct fp_tls_ch ch;
	static struct fp_tls out;
	uint8_t hs[512];
	size_t n = build_ch(hs, "h2");

	(void)state;
	assert_int_equal(fp_tls_parse_ch(hs, n, &ch), 0);
	assert_true(ch.has_sni);
	assert_string_equal(ch.sni.s, "example.com");
	assert_int_equal(ch.n_ciphers, 4);
	fp_tls_fingerprint(&ch, 't', &out);
	assert_string_equal(out.ja4, CH_JA4);
	assert_string_equal(out.ja4_r, CH_JA4_R);
	assert_string_equal(out.ja4_o, CH_JA4_O);
	assert_string_equal(out.ja4_ro, CH_JA4_RO);
	assert_string_equal(out.ja3_string, CH_JA3_STR);
	assert_string_equal(out.ja3, CH_JA3);
	assert_int_equal(out.n_alpn, 2);
	assert_string_equal(out.alpn[1].s, "http/1.1");
	fp_tls_fingerprint(&ch, 'q', &out);
	assert_int_equal(out.ja4[0], 'q');
}

/* The specification's examples for the ALPN part. */
static void test_alpn_code(void **state)
{
	static const struct {
		const char *v;
		size_t len;
		const char *want;
	} c[] = {
		{ "", 0, "00" }, { "h2", 2, "h2" }, { "http/1.1", 8, "h1" },
		{ "h", 1, "hh" }, { "\xab", 1, "ab" }, { "\xab\xcd", 2, "ad" },
		{ "0\xab", 2, "3b" }, { "01\xab\xcd", 4, "3d" },
		{ "0\xab" "1", 3, "01" }, { "_x", 2, "58" },
		{ "\xba\xad", 2, "bd" },
	};
	char out[3];

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fp_ja4_alpn((const uint8_t *)c[i].v, c[i].len, out);
		assert_string_equal(out, c[i].want);
	}
}

static void test_grease(void **state)
{
	(void)state;
	assert_true(fp_tls_is_grease(0x0a0a));
	assert_true(fp_tls_is_grease(0xfafa));
	assert_false(fp_tls_is_grease(0x0a1a));
	assert_false(fp_tls_is_grease(0x1301));
}

/* Every truncation of a valid hello is rejected or parsed, never overread
 * (ASan catches the latter). */
static void test_truncated(void **state)
{
	static struct fp_tls_ch ch;
	uint8_t hs[512];
	size_t n = build_ch(hs, "h2");

	(void)state;
	for (size_t i = 0; i < n; i++) {
		uint8_t *copy = malloc(i ? i : 1);

		memcpy(copy, hs, i);
		assert_int_equal(fp_tls_parse_ch(copy, i, &ch), -EINVAL);
		free(copy);
	}
	hs[0] = 2;
	assert_int_equal(fp_tls_parse_ch(hs, n, &ch), -EINVAL);
}

/* No signature_algorithms: the extension string ends without "_". */
static void test_no_sigalgs(void **state)
{
	static struct fp_tls_ch ch;
	static struct fp_tls out;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.legacy_version = 0x0301;
	ch.n_ciphers = 1;
	ch.ciphers[0] = 0x002f;
	ch.n_ext = 2;
	ch.ext[0] = 0x000a;
	ch.ext[1] = 0xff01;
	fp_tls_fingerprint(&ch, 't', &out);
	assert_string_equal(out.ja4_r, "t10i010200_002f_000a,ff01");
	/* no extensions besides SNI: zero hash in JA4 and JA4_o */
	ch.n_ext = 1;
	ch.ext[0] = 0x0000;
	ch.has_sni = true;
	fp_tls_fingerprint(&ch, 't', &out);
	assert_string_equal(out.ja4 + 24, "000000000000");
	assert_string_equal(out.ja4_o + 24, "000000000000");
	assert_string_equal(out.ja4_ro, "t10d010100_002f_0000");
}

/* An SSLv2-compatible CLIENT-HELLO announcing TLS 1.0 with RC4, export
 * and SSL 2.0 cipher specs (RFC 5246 E.2): the JA4 FoxIO's ja4.py prints
 * (tshark sees no cipher suites, extensions, SNI or ALPN in it). */
static size_t build_v2(uint8_t *b, uint16_t version)
{
	static const uint32_t specs[] = {
		0x000039, 0x00002f, 0x000005, 0x000004, 0x010080, 0x020080,
		0x000003, 0x0000ff,
	};
	size_t o = 2;

	b[o++] = 1;
	o += put16(b + o, version);
	o += put16(b + o, (uint16_t)(3 * (sizeof(specs) / sizeof(specs[0]))));
	o += put16(b + o, 0);
	o += put16(b + o, 16);
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		b[o++] = (uint8_t)(specs[i] >> 16);
		o += put16(b + o, (uint16_t)specs[i]);
	}
	for (int i = 0; i < 16; i++)
		b[o++] = (uint8_t)i;
	put16(b, (uint16_t)(0x8000 | (o - 2)));
	return o;
}

static void test_sslv2_hello(void **state)
{
	static struct fp_tls_ch ch;
	static struct fp_tls out;
	uint8_t rec[128];
	size_t n = build_v2(rec, 0x0301);

	(void)state;
	assert_true(fp_tls_sslv2_start(rec, n));
	assert_int_equal(fp_tls_parse_sslv2(rec + 2, n - 2, &ch), 0);
	assert_true(ch.sslv2);
	assert_int_equal(ch.n_v2, 8);
	assert_int_equal(ch.n_ciphers, 0);
	memset(&out, 0, sizeof(out));
	fp_tls_fingerprint(&ch, 't', &out);
	assert_string_equal(out.ja4, "t10i000000_000000000000_000000000000");
	assert_string_equal(out.ja4_o, out.ja4);
	assert_string_equal(out.ja4_r, "t10i000000__");
	assert_string_equal(out.ja4_ro, "t10i000000__");
	assert_string_equal(out.ja3, "");
	assert_int_equal(out.flags, FP_TLS_SSLV2_HELLO | FP_TLS_SSLV2_CIPHERS |
			FP_TLS_RC4 | FP_TLS_EXPORT | FP_TLS_TLS10_MAX);
	/* SSL 3.0 and SSL 2.0 hellos */
	n = build_v2(rec, 0x0300);
	assert_int_equal(fp_tls_parse_sslv2(rec + 2, n - 2, &ch), 0);
	fp_tls_fingerprint(&ch, 't', &out);
	assert_string_equal(out.ja4, "ts3i000000_000000000000_000000000000");
	assert_true(out.flags & FP_TLS_SSL3_MAX);
	n = build_v2(rec, 0x0002);
	assert_int_equal(fp_tls_parse_sslv2(rec + 2, n - 2, &ch), 0);
	fp_tls_fingerprint(&ch, 't', &out);
	assert_string_equal(out.ja4, "ts2i000000_000000000000_000000000000");
	/* malformed: cipher specs not a multiple of 3, truncated, bad type */
	n = build_v2(rec, 0x0301);
	rec[6] = 0x17;
	assert_int_equal(fp_tls_parse_sslv2(rec + 2, n - 2, &ch), -EINVAL);
	n = build_v2(rec, 0x0301);
	assert_int_equal(fp_tls_parse_sslv2(rec + 2, 20, &ch), -EINVAL);
	rec[2] = 2;
	assert_false(fp_tls_sslv2_start(rec, n));
	/* a TLS record is not an SSLv2 one */
	assert_false(fp_tls_sslv2_start((const uint8_t *)"\x16\x03\x01\x00"
				"\x40\x01", 6));
}

/* Weak suites and versions are flagged on normal hellos too. */
static void test_tls_flags(void **state)
{
	(void)state;
	assert_int_equal(fp_tls_suite_flags(0x0005), FP_TLS_RC4);
	assert_int_equal(fp_tls_suite_flags(0x0003), FP_TLS_RC4 |
			FP_TLS_EXPORT);
	assert_int_equal(fp_tls_suite_flags(0x0014), FP_TLS_EXPORT);
	assert_int_equal(fp_tls_suite_flags(0x003b), FP_TLS_NULL);
	assert_int_equal(fp_tls_suite_flags(0x1301), 0);
	assert_int_equal(fp_tls_suite_flags(0xc02f), 0);
}

TEST_MAIN(
	cmocka_unit_test(test_ja4_ja3),
	cmocka_unit_test(test_alpn_code),
	cmocka_unit_test(test_grease),
	cmocka_unit_test(test_truncated),
	cmocka_unit_test(test_no_sigalgs),
	cmocka_unit_test(test_sslv2_hello),
	cmocka_unit_test(test_tls_flags))
