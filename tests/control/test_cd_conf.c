/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's command line (cd_conf.c): what it refuses and what it says,
 * stderr caught in memory.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cd_conf.h"
#include "test_main.h"

static struct cd_conf c;
static char said[1024];

/* Parse "cordond" and the arguments up to NULL into c; stderr in said. */
static int
parse(const char *first, ...)
{
	char *argv[32] = { "cordond" }, *text = NULL;
	FILE *f, *saved = stderr;
	const char *a = first;
	size_t len = 0;
	int argc = 1, rc;
	va_list ap;

	va_start(ap, first);
	for (; a != NULL; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	stderr = f;
	rc = cd_conf_parse(argc, argv, &c);
	stderr = saved;
	assert_int_equal(fclose(f), 0);
	snprintf(said, sizeof(said), "%s", text);
	free(text);
	return rc;
}

static void
test_values(void **state)
{
	(void)state;
	setenv("CORDON_RUNDIR", "/run/x", 1);
	setenv("CORDON_STATE_DIR", "/var/x", 1);
	assert_int_equal(parse(NULL), 0);
	assert_string_equal(said, "");
	assert_string_equal(c.rundir, "/run/x");
	assert_string_equal(c.dp_url, "ipc:///run/x/dataplane.sock");
	assert_string_equal(c.mud_dir, "/var/x/mud");
	assert_int_equal(parse("-r", "/run/y", "--mud-context", "ctx.yaml",
			       "-v", NULL), 0);
	assert_string_equal(c.cli_url, "ipc:///run/y/ctl.sock");
	assert_string_equal(c.mud_context, "ctx.yaml");
	assert_true(c.verbose);
}

/* An empty value is refused, naming its option: --rundir "" put the
 * sockets in /, found by fuzz_cd_conf. */
static void
test_empty(void **state)
{
	static const char *const opts[] = {
		"--rundir", "--state-dir", "--mud-context", "--mud-dir",
		"--mud-ca", "--restore", "--tls-cert", "--dataplane-url",
		"--report-interval",
	};
	char want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		assert_int_equal(parse(opts[i], "", NULL), -EINVAL);
		snprintf(want, sizeof(want), "cordond: %s: must not be "
			 "empty\n", opts[i]);
		assert_string_equal(said, want);
	}
	assert_int_equal(parse("-r", "", NULL), -EINVAL);
	assert_string_equal(said, "cordond: --rundir: must not be empty\n");
	assert_int_equal(parse("--state-dir=", NULL), -EINVAL);
	assert_string_equal(said, "cordond: --state-dir: must not be "
			    "empty\n");
}

/* The option at fault, not the program's name (util_opt_refused()). */
static void
test_unknown(void **state)
{
	char w[] = "-zv";

	(void)state;
	assert_int_equal(parse(w, NULL), -EINVAL);
	assert_string_equal(said, "cordond: unknown option '-z' (see "
			    "--help)\n");
	assert_int_equal(parse("--bogus", NULL), -EINVAL);
	assert_string_equal(said, "cordond: unknown option '--bogus' (see "
			    "--help)\n");
	assert_int_equal(parse("--rundir", NULL), -EINVAL);
	assert_string_equal(said, "cordond: option '--rundir' needs a "
			    "value\n");
}

/* --ids-above: a floor for a restore's ids, nothing else. */
static void
test_ids_above(void **state)
{
	static const char *const bad[] = {
		"0", "-1", "12x", "", "4611686018427387905",
		"18446744073709551616",
	};

	(void)state;
	assert_int_equal(parse("--restore", "b.db", "--ids-above",
			       "4611686018427387904", NULL), 0);
	assert_int_equal(c.ids_above, 1ull << 62);
	assert_int_equal(parse("--restore", "b.db", NULL), 0);
	assert_int_equal(c.ids_above, 0);
	assert_int_equal(parse("--ids-above", "7", NULL), -EINVAL);
	assert_string_equal(said, "cordond: --ids-above goes with --restore "
			    "FILE\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse("--restore", "b.db", "--ids-above",
				       bad[i], NULL), -EINVAL);
		assert_non_null(strstr(said, "--ids-above"));
	}
}

TEST_MAIN(
	cmocka_unit_test(test_values),
	cmocka_unit_test(test_empty),
	cmocka_unit_test(test_unknown),
	cmocka_unit_test(test_ids_above))
