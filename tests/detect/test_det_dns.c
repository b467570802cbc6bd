/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* NXDOMAIN bursts, generated-looking names, registrable domains. */

#include <stdio.h>

#include "det_dga.h"
#include "test_det_util.h"
#include "test_main.h"

size_t det_registrable(const char *name, char *out, size_t cap);

static void
registrable(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(det_registrable("www.Example.COM.", out, sizeof(out)),
			 11);
	assert_string_equal(out, "example.com");
	det_registrable("a.b.bbc.co.uk", out, sizeof(out));
	assert_string_equal(out, "bbc.co.uk");
	assert_int_equal(det_registrable("printer.local", out, sizeof(out)), 0);
	assert_int_equal(det_registrable("4.3.2.1.in-addr.arpa", out,
					 sizeof(out)), 0);
	assert_int_equal(det_registrable("wpad", out, sizeof(out)), 0);
	det_registrable("107.18.31.83.zen.spamhaus.org", out, sizeof(out));
	assert_string_equal(out, "spamhaus.org");
}

static bool
gen(const char *l)
{
	struct det_dga_score s;

	det_dga_judge(l, strlen(l), &s);
	return s.generated;
}

static void
dga_scores(void **state)
{
	/* names of real services: English-like or too short to judge */
	static const char *const benign[] = { "google", "amazonaws",
		"cloudfront", "akamaiedge", "tplinkcloud", "msftconnecttest",
		"spotify", "blinkforhome", "allegionengage", "googlevideo",
		"doubleclick", "immedia-semi", "meethue", "xiaomi", "gstatic",
		"windowsupdate", "ringcentral", "sonos", "duerbot-open",
		"bcebos", "spamhaus", "cymru", "testing", "apple",
		"smartthings", "samsungiotcloud", "wyzecam", "ezvizlife",
		"hik-connect", "hicloud", "playstation", "nintendo" };
	/* as DGAs make them: random letters (Conficker, Cryptolocker,
	 * Ramnit style), and a hash as a name */
	static const char *const dga[] = { "xkqjzwvbrtpl", "vtjqmrbrcfylqf",
		"jqkxhdgbwvfut", "qwxzvkjhgfdp", "rjzkvtwqxmnb",
		"3f9a0c7d2e1b4a6c8d0e" };

	(void)state;
	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++) {
		if (gen(benign[i]))
			fprintf(stderr, "judged generated: %s\n", benign[i]);
		assert_false(gen(benign[i]));
	}
	for (size_t i = 0; i < sizeof(dga) / sizeof(dga[0]); i++) {
		if (!gen(dga[i]))
			fprintf(stderr, "judged human: %s\n", dga[i]);
		assert_true(gen(dga[i]));
	}
	/* honest limits: short labels and dictionary DGAs pass */
	assert_false(gen("xkqjz"));
	assert_false(gen("windowgardenhorse"));
}

static void
nx(struct det_engine *e, uint64_t ts, const char *name)
{
	det_dns_answer(e, DEV_A, 0, ts, name, 3, NULL, 0);
}

DET_TEST(nxdomain_burst)
{
	char name[64];

	/* a DNSBL client: 200 NXDOMAINs under one zone; search-list junk */
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "%d.1.168.192.zen.spamhaus.org", i);
		nx(e, T0 + (uint64_t)i * 100 * MS, name);
		snprintf(name, sizeof(name), "host%d.lan", i);
		nx(e, T0 + (uint64_t)i * 100 * MS, name);
	}
	/* 8 mistyped names: 9 domains with spamhaus.org */
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "typo%d.example", i);
		nx(e, T0 + 30 * SEC + (uint64_t)i * SEC, name);
	}
	assert_int_equal(r->n, 0);
	nx(e, T0 + 60 * SEC, "another.example.net");
	assert_int_equal(rec_count(r, DET_DNS_NXDOMAIN), 1);
	assert_int_equal(rec_count(r, DET_DNS_DGA), 0);
}

DET_TEST(dga_burst)
{
	static const char *const names[] = { "xkqjzwvbrtpl.com",
		"vtjqmrbrcfylqf.net", "jqkxhdgbwvfut.org", "qwxzvkjhgfdp.info",
		"rjzkvtwqxmnb.com" };

	for (int i = 0; i < 4; i++)
		nx(e, T0 + (uint64_t)i * SEC, names[i]);
	/* answered ones do not count */
	det_dns_answer(e, DEV_A, 0, T0 + 5 * SEC, "zzqxwvkjtrbn.com", 0, NULL,
		       0);
	assert_int_equal(r->n, 0);
	nx(e, T0 + 6 * SEC, names[4]);
	assert_int_equal(rec_count(r, DET_DNS_DGA), 1);
}

TEST_MAIN(
	cmocka_unit_test(registrable),
	cmocka_unit_test(dga_scores),
	det_test(nxdomain_burst),
	det_test(dga_burst))
