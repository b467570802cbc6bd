/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp_conf.h"
#include "test_main.h"

/* The configuration parsed last and the error it gave. */
static struct dp_conf c;
static char err[256];

/* Parse "cordon-dataplane" and the arguments up to NULL into c. */
static int
parse(const char *first, ...)
{
	char *argv[32] = { "cordon-dataplane" };
	int argc = 1;
	va_list ap;
	char *a = (char *)first;

	va_start(ap, first);
	for (; a != NULL; a = va_arg(ap, char *))
		argv[argc++] = a;
	va_end(ap);
	return dp_conf_parse(argc, argv, &c, err, sizeof(err));
}

static void
test_defaults(void **state)
{
	(void)state;
	setenv("CORDON_RUNDIR", "/run/x", 1);
	assert_int_equal(parse(NULL), 0);
	assert_string_equal(c.control_url, "ipc:///run/x/dataplane.sock");
	assert_int_equal(c.burst, 64);
	assert_int_equal(c.idle_sleep_us, 0);
	assert_int_equal(c.report_interval_ms, 1000);
	assert_int_equal(c.report_queue, 256);
	assert_int_equal(c.dns_ttl_floor_s, 60);
	assert_int_equal(c.dns_bindings, 65536);
	assert_int_equal(c.device_retire_s, 86400);
	assert_int_equal(c.heap_keep_mb, 64);
	assert_true(c.id[0] != '\0');
	assert_false(c.help);
}

static void
test_values(void **state)
{
	(void)state;
	assert_int_equal(parse("--control", "tcp://10.0.0.1:7000",
			       "-i", "gw-7", "--burst", "16",
			       "--report-interval", "250", "--devices",
			       "4096", "--exit-after", "3", "-p", "p.bin",
			       "--dns-ttl-floor", "0", "--dns-bindings", "1000",
			       "--idle-sleep", "250", "--heap-keep", "0",
			       "--report-queue", "4", NULL),
			 0);
	assert_int_equal(c.report_queue, 4);
	assert_int_equal(c.idle_sleep_us, 250);
	assert_int_equal(c.heap_keep_mb, 0);
	assert_int_equal(c.dns_ttl_floor_s, 0);
	assert_int_equal(c.dns_bindings, 1000);
	assert_string_equal(c.control_url, "tcp://10.0.0.1:7000");
	assert_string_equal(c.id, "gw-7");
	assert_int_equal(c.burst, 16);
	assert_int_equal(c.report_interval_ms, 250);
	assert_int_equal(c.devices, 4096);
	assert_int_equal(c.exit_after_s, 3);
	assert_string_equal(c.policy_file, "p.bin");
	assert_int_equal(parse("--no-control", NULL), 0);
	assert_string_equal(c.control_url, "");
	assert_int_equal(parse("-h", NULL), 0);
	assert_true(c.help);
}

static void
test_errors(void **state)
{
	static const struct {
		const char *args[3];
		const char *msg;
	} cases[] = {
		{ { "--burst", "0" }, "--burst: '0' is not a number in 1..64" },
		{ { "--burst", "65" }, "1..64" },
		{ { "--idle-sleep", "10001" },
		  "--idle-sleep: '10001' is not a number in 0..10000" },
		{ { "--idle-sleep", "1ms" }, "'1ms'" },
		{ { "--flows", "10" }, "1024..268435456" },
		{ { "--heap-keep", "1025" },
		  "--heap-keep: '1025' is not a number in 0..1024" },
		{ { "--heap-keep", "64M" }, "'64M'" },
		{ { "--burst", "12x" }, "'12x'" },
		{ { "--burst", "-1" }, "'-1'" },
		{ { "--report-interval", "99" }, "100..60000" },
		{ { "--report-queue", "3" },
		  "--report-queue: '3' is not a number in 4..65536" },
		{ { "--report-queue", "65537" }, "4..65536" },
		{ { "--control", "/tmp/sock" }, "not an nng URL" },
		{ { "--id", "" }, "must not be empty" },
		{ { "--bogus" }, "unknown option '--bogus'" },
		{ { "--burst" }, "needs a value" },
		{ { "stray" }, "unexpected argument 'stray'" },
		{ { "--devices", "99999999999" }, "16..16777216" },
		{ { "--mac-ageing", "0" }, "1..86400" },
		{ { "--dns-ttl-floor", "86401" }, "0..86400" },
		{ { "--dns-bindings", "63" }, "64..16777216" },
		{ { "--device-retire", "500ms" }, "1s..366d" },
		{ { "--device-retire", "367d" }, "1s..366d" },
		{ { "--device-retire", "-1h" }, "'-1h'" },
		{ { "--device-retire", "1x" }, "'1x'" },
		{ { "--device-retire", "" }, "not a duration" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[4] = { "cordon-dataplane" };
		int argc = 1;

		for (int k = 0; k < 3 && cases[i].args[k]; k++)
			argv[argc++] = (char *)cases[i].args[k];
		assert_int_equal(dp_conf_parse(argc, argv, &c, err,
					       sizeof(err)), -22);
		if (strstr(err, cases[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err,
				 cases[i].msg);
	}
}

/*
 * An unknown short option in a cluster ("-zh"): named as itself, and the
 * parse after it starts afresh rather than at the rest of that cluster
 * (getopt_long()'s pointer into the old argv), as fuzz_dp_conf found.
 */
static void
test_cluster(void **state)
{
	char w1[] = "-zh", w2[] = "-hz", w3[] = "-:h";
	char w4[] = "-\xc3\xa9h";

	(void)state;
	assert_int_equal(parse(w1, NULL), -EINVAL);
	assert_int_equal(parse("-i", "gw-7", NULL), 0);
	assert_string_equal(c.id, "gw-7");
	assert_false(c.help);
	assert_int_equal(parse(w1, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-z' (see --help)");
	assert_int_equal(parse(w2, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-z' (see --help)");
	assert_int_equal(parse(w3, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-:' (see --help)");
	assert_int_equal(parse(w4, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-\\xc3' (see --help)");
	assert_int_equal(parse("--help=x", NULL), -EINVAL);
	assert_string_equal(err, "unknown option '--help=x' (see --help)");
	assert_int_equal(parse("--no-control", NULL), 0);
	assert_false(c.help);
}

/* --device-retire: a duration in whole seconds, or 0 for never. */
static void
test_device_retire(void **state)
{
	(void)state;
	assert_int_equal(parse("--device-retire", "0", NULL), 0);
	assert_int_equal(c.device_retire_s, 0);
	assert_int_equal(parse("--device-retire", "90m", NULL), 0);
	assert_int_equal(c.device_retire_s, 5400);
	assert_int_equal(parse("--device-retire", "7d", NULL), 0);
	assert_int_equal(c.device_retire_s, 7 * 86400);
	assert_int_equal(parse("--device-retire", "2s", NULL), 0);
	assert_int_equal(c.device_retire_s, 2);
}

static void
test_tls(void **state)
{
	(void)state;
	assert_int_equal(parse("--control", "tls+tcp://gw:7450",
			       "--tls-cert", "a.crt", "--tls-key", "a.key",
			       "--tls-ca", "ca.crt", "--tls-server-name",
			       "cordond.lan", NULL), 0);
	assert_string_equal(c.tls_cert, "a.crt");
	assert_string_equal(c.tls_key, "a.key");
	assert_string_equal(c.tls_ca, "ca.crt");
	assert_string_equal(c.tls_server_name, "cordond.lan");
	/* The key may be in the certificate file. */
	assert_int_equal(parse("--control", "tls+tcp://gw:7450",
			       "--tls-cert", "a.pem", "--tls-ca", "ca.crt",
			       NULL), 0);
	assert_string_equal(c.tls_key, "");
	/* A TLS URL needs a certificate and a CA. */
	assert_int_equal(parse("--control", "tls+tcp://gw:7450",
			       NULL), -EINVAL);
	assert_non_null(strstr(err, "needs --tls-cert and --tls-ca"));
	assert_int_equal(parse("--control", "tls+tcp://gw:7450",
			       "--tls-cert", "a.pem", NULL), -EINVAL);
	/* And the files need a TLS URL. */
	assert_int_equal(parse("--control", "tcp://gw:7450",
			       "--tls-ca", "ca.crt", NULL), -EINVAL);
	assert_non_null(strstr(err, "need a tls+tcp://"));
	assert_int_equal(parse("--no-control", "--tls-cert", "a.pem",
			       NULL), -EINVAL);
	assert_int_equal(parse("--tls-cert", NULL), -EINVAL);
}

TEST_MAIN(
	cmocka_unit_test(test_defaults),
	cmocka_unit_test(test_values),
	cmocka_unit_test(test_errors),
	cmocka_unit_test(test_cluster),
	cmocka_unit_test(test_device_retire),
	cmocka_unit_test(test_tls))
