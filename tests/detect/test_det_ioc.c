/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Indicators: the file format, its errors, lookups, the detector. */

#include <stdio.h>

#include "det_ioc.h"
#include "test_det_util.h"
#include "test_main.h"

static const char good[] =
	"# value source comment\n"
	"198.51.100.23\tfeodo\tDridex C2\n"
	"  203.0.113.0/24   spamhaus  hijacked range\r\n"
	"\n"
	"2001:db8:bad::/48 advisory-7\n"
	"Evil.Example  urlhaus  and what is under it\n"
	"*.c2.example  urlhaus\n"
	"E7D705A3286E19EA42F587B344EE6865 sslbl JA3\n"
	"t13d1516h2_8daaf6152771_02713d6af862 ja4db a JA4\n"
	"198.51.100.23 other-feed a repeat\n";

static void
parse_and_match(void **state)
{
	char err[256];
	struct det_ioc *ioc;
	const struct det_ioc_entry *x;
	uint8_t a[16];

	(void)state;
	ioc = det_ioc_parse("good", good, sizeof(good) - 1, 0, err, sizeof(err));
	assert_non_null(ioc);
	assert_int_equal(det_ioc_count(ioc, DET_IOC_IP), 1);
	assert_int_equal(det_ioc_count(ioc, DET_IOC_CIDR), 2);
	assert_int_equal(det_ioc_count(ioc, DET_IOC_NAME), 2);
	v4(a, 198, 51, 100, 23);
	x = det_ioc_match_addr(ioc, a);
	assert_non_null(x);
	assert_string_equal(x->source, "feodo");
	assert_string_equal(x->comment, "Dridex C2");
	v4(a, 203, 0, 113, 200);
	assert_non_null(det_ioc_match_addr(ioc, a));
	v4(a, 203, 0, 114, 1);
	assert_null(det_ioc_match_addr(ioc, a));
	memset(a, 0, 16);
	a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8; a[4] = 0x0b;
	a[5] = 0xad; a[15] = 1;
	assert_non_null(det_ioc_match_addr(ioc, a));
	assert_non_null(det_ioc_match_name(ioc, "www.EVIL.example."));
	assert_non_null(det_ioc_match_name(ioc, "evil.example"));
	assert_null(det_ioc_match_name(ioc, "notevil.example"));
	assert_non_null(det_ioc_match_name(ioc, "a.c2.example"));
	assert_non_null(det_ioc_match_hash(ioc, DET_IOC_JA3,
			"e7d705a3286e19ea42f587b344ee6865"));
	assert_non_null(det_ioc_match_hash(ioc, DET_IOC_JA4,
			"t13d1516h2_8daaf6152771_02713d6af862"));
	assert_null(det_ioc_match_hash(ioc, DET_IOC_JA4,
			"t13d1516h2_8daaf6152771_02713d6af863"));
	det_ioc_free(ioc);
}

static void
errors(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "198.51.100.23\n", "bad:1: no source" },
		{ "# c\n10.0.0.0/33 feed\n", "bad:2: 10.0.0.0/33: CIDR prefix "
		  "length over 32" },
		{ "10.0.0.1/8 feed\n", "bad:1: 10.0.0.1/8: CIDR has host bits "
		  "set" },
		{ "300.1.2.3 feed\n", "bad:1: 300.1.2.3: bad IPv4 address" },
		{ "2001:db8::zz feed\n", "bad:1: 2001:db8::zz: bad IPv6 "
		  "address" },
		{ "exa$mple.com feed\n", "bad:1: exa$mple.com: not an IP, CIDR, "
		  "DNS name, JA3 or JA4" },
		{ "localhost feed\n", "bad:1: localhost: not an IP" },
		{ "10.0.0.0/x feed\n", "bad:1: 10.0.0.0/x: bad CIDR prefix" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct det_ioc *ioc = det_ioc_parse("bad", bad[i].text,
				strlen(bad[i].text), 0, err, sizeof(err));

		assert_null(ioc);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			fprintf(stderr, "got '%s', want '%s'\n", err,
				bad[i].want);
		assert_int_equal(strncmp(err, bad[i].want, strlen(bad[i].want)),
				 0);
	}
	assert_null(det_ioc_parse("nul", "1.2.3.4 a\0b\n", 11, 0, err,
				  sizeof(err)));
	assert_null(det_ioc_parse("max", "1.2.3.4 a\n1.2.3.5 a\n", 20, 1, err,
				  sizeof(err)));
	assert_non_null(strstr(err, "more than 1"));
	assert_null(det_ioc_load("/nonexistent/ioc.txt", 0, err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

DET_TEST(detector)
{
	struct det_ioc *ioc;
	char err[256];
	uint8_t d[16], s[16];

	ioc = det_ioc_parse("good", good, sizeof(good) - 1, 0, err, sizeof(err));
	det_engine_set_ioc(e, ioc);
	v4(d, 198, 18, 0, 1);
	flow(e, T0, 6, d, 40000, 443, 0);
	assert_int_equal(r->n, 0);
	v4(d, 203, 0, 113, 7);
	flow(e, T0 + SEC, 6, d, 40001, 443, 0);
	assert_int_equal(rec_count(r, DET_INDICATOR), 1);
	assert_string_equal(r->a[0].ev.key, "203.0.113.0/24");
	v4(s, 10, 9, 0, 10);
	det_dns_query(e, DEV_B, 0, T0 + 2 * SEC, "x.evil.example", s, d);
	det_facet(e, DEV_B, 0, T0 + 3 * SEC, DET_FACET_JA3,
		  "e7d705a3286e19ea42f587b344ee6865");
	assert_int_equal(rec_count(r, DET_INDICATOR), 2);
	det_ioc_free(ioc);
}

TEST_MAIN(
	cmocka_unit_test(parse_and_match),
	cmocka_unit_test(errors),
	det_test(detector))
