/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: cordonctl's commands, as cordonctl.c hands them to
 * cli_run() after its global options: the input is the words (split at
 * NUL or newline), the first the command. Every command parses its
 * arguments before it asks cordond, and there is no cordond here (an ipc
 * socket that does not exist), so what is fuzzed is that parsing and what
 * a command does when cordond cannot be reached. keygen (it writes key
 * files) is left out, and so is a word that could name a file outside
 * the working directory (absolute, "~", ".."): policy and MUD files are
 * read, never written.
 *
 * Checks: the exit code is one of cli.h's; a usage error (2) and an
 * unreachable cordond (3) say so; a failure (1) says something; success
 * (0) only for --help and the offline checks (policy check, mud check),
 * because with cordond away nothing else can have taken effect; the same
 * argv again gives the same exit and output. ASan's leak check covers
 * all, nng's sockets included.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz_argv.h"

#define FAIL(...) FUZZ_FAIL("fuzz_cli", __VA_ARGS__)
#define URL "ipc://fuzz-cli.d/no-cordond.sock"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const links[] = {
		"home.yaml", FUZZ_SRC_ROOT "/examples/home.yaml",
		"context.yaml",
		FUZZ_SRC_ROOT "/examples/mud-context-luminaire.yaml",
		"luminaire.json", FUZZ_SRC_ROOT
		"/../shared/testdata/mud/cisco-luminaire/Luminaire_150.json",
		NULL,
	};

	(void)argc;
	(void)argv;
	fuzz_scratch_init("cli", links);
	return 0;
}

/* cli_run() on a copy of argv (from the command on), output caught. */
static int
run(const struct fuzz_argv *a, const struct cli_cmd *cmd, struct fuzz_out *o)
{
	struct cli c = { .timeout_ms = 1000 };
	char **v = fuzz_argv_copy(a);
	int rc;

	snprintf(c.url, sizeof(c.url), "%s", URL);
	fuzz_out_begin(o);
	rc = cli_run(&c, cmd, a->argc - 1, v + 1);
	fuzz_out_end(o);
	if (c.open)
		nng_close(c.sock);
	free(v);
	return rc;
}

/* Is this command line one that needs no cordond: --help anywhere, or
 * policy check, mud check? */
static bool
offline(const struct fuzz_argv *a)
{
	for (int i = 1; i < a->argc; i++)
		if (strcmp(a->argv[i], "--help") == 0 ||
		    strcmp(a->argv[i], "-h") == 0)
			return true;
	return a->argc > 2 && strcmp(a->argv[2], "check") == 0 &&
		(strcmp(a->argv[1], "policy") == 0 ||
		 strcmp(a->argv[1], "mud") == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cli_cmd *cmd;
	struct fuzz_out o1, o2;
	struct fuzz_argv a;
	int rc1, rc2;

	if (fuzz_argv_split(&a, "cordonctl", data, size) < 0)
		return -1;
	cmd = a.argc > 1 ? cli_find(NULL, a.argv[1]) : NULL;
	for (int i = 1; cmd != NULL && i < a.argc; i++)
		if (a.argv[i][0] == '/' || a.argv[i][0] == '~' ||
		    strstr(a.argv[i], "..") != NULL)
			cmd = NULL;
	if (cmd == NULL || cmd == &cli_keygen_cmd) {
		fuzz_argv_free(&a);
		return -1;
	}
	rc1 = run(&a, cmd, &o1);
	rc2 = run(&a, cmd, &o2);
	if (rc1 != rc2 || strcmp(o1.text, o2.text) != 0)
		FAIL("the same argv again: %d '%s', then %d '%s'", rc1, o1.text,
		     rc2, o2.text);
	switch (rc1) {
	case CLI_EXIT_OK:
		if (!offline(&a))
			FAIL("exit 0 without cordond: '%s'", o1.text);
		break;
	case CLI_EXIT_FAILED:
		if (o1.len == 0)
			FAIL("exit 1 without a word");
		break;
	case CLI_EXIT_USAGE:
		if (strstr(o1.text, "cordonctl: ") == NULL)
			FAIL("exit 2 without a usage error: '%s'", o1.text);
		break;
	case CLI_EXIT_UNREACHABLE:
		if (strstr(o1.text, "cannot reach cordond at " URL) == NULL)
			FAIL("exit 3 without saying so: '%s'", o1.text);
		break;
	default:
		FAIL("exit %d", rc1);
	}
	free(o1.text);
	free(o2.text);
	fuzz_argv_free(&a);
	return 0;
}
