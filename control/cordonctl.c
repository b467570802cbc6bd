/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl: the operator CLI. One request to cordond per invocation
 * (events --follow asks again). Global options here; the commands are in
 * cli_<command>.c, listed in cli.c's cli_commands[].
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>

#include "cli.h"
#include "endpoint.h"
#include "util_opt.h"

static const struct util_opt cordonctl_opts[] = {
	{ "socket", 's', "URL", "cordond's CLI endpoint (default "
	  "ipc://RUNDIR/ctl.sock;\nRUNDIR is $CORDON_RUNDIR, else "
	  "/run/cordon for root,\nelse $XDG_RUNTIME_DIR/cordon)" },
	{ "timeout", 't', "MS", "how long to wait for cordond, 1..600000 "
	  "(default 5000)" },
	{ "json", 'j', NULL, "JSON output instead of tables" },
	{ "help", 'h', NULL, "this text; COMMAND --help for a command's" },
	{ "version", 'V', NULL, "cordonctl's version" },
	{ NULL, 0, NULL, NULL },
};

static void
cordonctl_usage(FILE *f)
{
	fprintf(f, "Usage: cordonctl [global options] COMMAND [command "
		"options]\n\nOperate Cordon through cordond.\n\n"
		"Commands:\n");
	for (const struct cli_cmd *const *t = cli_commands; *t != NULL; t++)
		fprintf(f, "  %-10s %-26s %s\n", (*t)->name,
			strlen((*t)->args) > 26 ? "[...]" : (*t)->args,
			(*t)->summary);
	fprintf(f, "\nGlobal options:\n");
	util_opt_help(f, cordonctl_opts);
	fprintf(f, "\nExit codes: 0 success, 1 cordond reported an error or "
		"the request failed,\n2 usage error, 3 cordond unreachable or "
		"silent.\n");
}

int
main(int argc, char **argv)
{
	struct util_opt_parser p;
	struct cli c = { .timeout_ms = 5000 };
	const struct cli_cmd *cmd;
	char rundir[PATH_MAX], *end;
	int o, rc;

	/* Stop at the command: its options are its own. */
	util_opt_init(&p, cordonctl_opts, true);
	while ((o = util_opt_next(&p, argc, argv)) != -1) {
		switch (o) {
		case 's':
			if (strstr(optarg, "://") == NULL ||
			    strlen(optarg) >= sizeof(c.url))
				return cli_usage_error("--socket: '%s' is not "
						       "an nng URL", optarg);
			strcpy(c.url, optarg);
			break;
		case 't': {
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    v < 1 || v > 600000)
				return cli_usage_error("--timeout: '%s' is not "
						       "a number in 1..600000",
						       optarg);
			c.timeout_ms = (uint32_t)v;
			break;
		}
		case 'j':
			c.json = true;
			break;
		case 'h':
			cordonctl_usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("cordonctl %s\n", CORDON_VERSION);
			return CLI_EXIT_OK;
		default:
			return util_opt_bad("cordonctl", o, argv);
		}
	}
	if (optind >= argc) {
		cordonctl_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	cmd = cli_find(NULL, argv[optind]);
	if (cmd == NULL)
		return cli_usage_error("unknown command '%s'", argv[optind]);

	if (c.url[0] == '\0' &&
	    (endpoint_rundir(rundir, sizeof(rundir)) < 0 ||
	     endpoint_default_url(rundir, ENDPOINT_CTL_SOCK, c.url,
				  sizeof(c.url)) < 0)) {
		fprintf(stderr, "cordonctl: runtime directory path too long\n");
		return CLI_EXIT_USAGE;
	}

	rc = cli_run(&c, cmd, argc - optind, argv + optind);
	if (c.open)
		nng_close(c.sock);
	return rc;
}
