/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl's command table (cli.c): every command and subcommand answers
 * --help with its usage and exit 0, refuses an unknown option with exit
 * 2, and one that needs cordond exits 3 when there is none. No daemon;
 * stdout and stderr go to a temporary file, read back.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "test_main.h"


/* Run argv through the table with stdout and stderr captured into out. */
static int
run(char *out, size_t len, int argc, char **argv)
{
	struct cli c = { .timeout_ms = 1000 };
	const struct cli_cmd *cmd = cli_find(NULL, argv[0]);
	FILE *cap = tmpfile();
	int so = dup(1), se = dup(2), rc;
	size_t n;

	assert_non_null(cmd);
	assert_non_null(cap);
	snprintf(c.url, sizeof(c.url), "ipc:///nonexistent/cordon-test.sock");
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(cap), 1);
	dup2(fileno(cap), 2);
	rc = cli_run(&c, cmd, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	if (c.open)
		nng_close(c.sock);
	rewind(cap);
	n = fread(out, 1, len - 1, cap);
	out[n] = '\0';
	fclose(cap);
	return rc;
}

/* cordonctl NAME [SUB] ARGS... */
static int
run_words(char *out, size_t len, const char *words)
{
	char buf[4608], *argv[16], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *t = strtok_r(buf, " ", &save); t && argc < 15;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	return run(out, len, argc, argv);
}

static void
test_help_everywhere(void **state)
{
	char out[8192], group[8192], words[128];
	int n = 0;

	(void)state;
	for (const struct cli_cmd *const *t = cli_commands; *t; t++) {
		snprintf(words, sizeof(words), "%s --help", (*t)->name);
		assert_int_equal(run_words(out, sizeof(out), words), 0);
		assert_non_null(strstr(out, "Usage: cordonctl"));
		assert_non_null(strstr(out, (*t)->help));
		memcpy(group, out, sizeof(group));
		n++;
		for (const struct cli_cmd *s = (*t)->subs; s && s->name;
		     s++) {
			/* The group's help lists it. */
			assert_non_null(strstr(group, s->summary));
			snprintf(words, sizeof(words), "%s %s -h", (*t)->name,
				 s->name);
			assert_int_equal(run_words(out, sizeof(out), words),
					 0);
			assert_non_null(strstr(out, s->help));
			n++;
		}
	}
	assert_true(n >= 20);
}

/* Each command line of cmds exits with code, saying what. */
static void
expect_exits(const char *const *cmds, size_t n, int code, const char *what)
{
	char out[4096];

	for (size_t i = 0; i < n; i++) {
		int rc = run_words(out, sizeof(out), cmds[i]);

		if (rc != code)
			fail_msg("cordonctl %s: exit %d, not %d:\n%s", cmds[i],
				 rc, code, out);
		if (strstr(out, what) == NULL)
			fail_msg("cordonctl %s: no \"%s\" in:\n%s", cmds[i],
				 what, out);
	}
}

static void
test_usage_errors(void **state)
{
	static const char *const bad[] = {
		"status --frobnicate", "stats a b", "devices x",
		"device", "device nonsense", "flows --limit 0",
		"flows --device", "flows --dataplane", "policy",
		"policy frobnicate", "policy apply", "policy rollback x",
		"policy diff", "policy check", "quarantine",
		"quarantine 01:00:5e:00:00:01:02", "release --reason x",
		"events --since x", "events --last 0", "events --last 1001",
		"events --last 5 --all", "events --since 3 --last 5",
		"events --since 3 --all", "events --before 0",
		"events --before 9 --follow", "alerts --since x",
		"alerts --last 0", "alerts --last 5 --all",
		"alerts --since 3 --before 9", "alerts --before 9 --follow",
		"alerts --device nope", "alerts --device", "alerts x",
		"mud", "mud import f",
		"mud import f --device 01:00:5e:00:00:01", "mud remove nope",
		"mud check f --device nope", "keygen --dir",
	};

	(void)state;
	expect_exits(bad, sizeof(bad) / sizeof(bad[0]), CLI_EXIT_USAGE,
		     "cordonctl: ");
}

/* Well-formed requests: cordond is not there. */
static void
test_unreachable(void **state)
{
	static const char *const ok[] = {
		"status", "stats", "devices", "device 02:00:00:00:00:07",
		"flows --device 02:00:00:00:00:07 --limit 5", "policy show",
		"policy history", "policy diff 1 2", "policy rollback 3",
		"quarantine 02:00:00:00:00:07 --reason r",
		"release 02:00:00:00:00:07", "events --since 4", "events",
		"events --last 1000", "events --all", "events --before 9",
		"events --follow", "alerts",
		"alerts --all --device 02:00:00:00:00:07",
		"alerts --since 4 --follow",
		"alerts --last 3 --before 9", "mud list",
		"mud remove 02:00:00:00:00:07",
	};

	(void)state;
	expect_exits(ok, sizeof(ok) / sizeof(ok[0]), CLI_EXIT_UNREACHABLE,
		     "cannot reach cordond");
}

/* Offline checks need no daemon. */
static void
test_offline(void **state)
{
	char out[65536], words[4200];

	(void)state;
	snprintf(words, sizeof(words), "policy check %s/examples/home.yaml",
		 test_src_root);
	assert_int_equal(run_words(out, sizeof(out), words), 0);
	assert_non_null(strstr(out, ": ok: "));
	snprintf(words, sizeof(words), "policy check %s/tests/data/"
		 "policy-yaml/invalid/bad-vlan.yaml", test_src_root);
	assert_int_equal(run_words(out, sizeof(out), words), 1);
	assert_non_null(strstr(out, "bad-vlan.yaml:"));
	assert_int_equal(run_words(out, sizeof(out),
				   "mud check /nonexistent/f.json"), 1);
}

TEST_MAIN(
	cmocka_unit_test(test_help_everywhere),
	cmocka_unit_test(test_usage_errors),
	cmocka_unit_test(test_unreachable),
	cmocka_unit_test(test_offline))
