/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A cordonctl command's exit codes for argument vectors: a table of cases
 * run by one function, through cli_run() as cordonctl runs it (--help
 * included). Include after cmocka.h and cli.h.
 */

#ifndef CORDON_TEST_CLI_CASES_H
#define CORDON_TEST_CLI_CASES_H

#define CLI_CASE_ARGS 8

struct cli_case {
	int rc;				/* the exit code */
	char *argv[CLI_CASE_ARGS];	/* NULL-terminated */
};

static inline void
cli_cases_run(struct cli *c, const struct cli_cmd *cmd,
	      const struct cli_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *argv[CLI_CASE_ARGS];
		int argc = 0;

		while (v[i].argv[argc] != NULL) {
			argv[argc] = v[i].argv[argc];
			argc++;
		}
		argv[argc] = NULL;
		print_message("case %zu: %s %s\n", i, cmd->name,
			      argc > 1 ? argv[1] : "");
		assert_int_equal(cli_run(c, cmd, argc, argv), v[i].rc);
	}
}

#define CLI_CASES_RUN(c, cmd, v) \
	cli_cases_run((c), (cmd), (v), sizeof(v) / sizeof((v)[0]))

#endif /* CORDON_TEST_CLI_CASES_H */
