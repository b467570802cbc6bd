/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: cordond's command line, as cordond.c hands it to
 * cd_conf_parse(), then, when every file and directory it names is in
 * the scratch directory fuzz-cd-conf.d/ (fuzz_argv.h), to cd_conf_check()
 * as --check-config does. The input is the words, split at NUL or
 * newline; argv[0] is "cordond". cd_conf_parse() exits 0 for --help and
 * --version: exit() is wrapped (-Wl,--wrap=exit) to come back here.
 *
 * Checks: 0 or a negative errno; a failure says why on stderr, naming a
 * word of the command line, not the program; a success says nothing and
 * holds a configuration cordond may run: URLs, directories, ranges, the
 * TLS, listener, retention and one-action rules of cd_conf.h; the same
 * argv parsed again gives the same configuration; an exit is status 0
 * with the usage or the version printed; cd_conf_check() counts its
 * problems as it says them. ASan's leak check covers all.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_conf.h"
#include "fuzz_argv.h"
#include "wire_tls.h"

#define PROG "cordond"
#define FAIL(...) FUZZ_FAIL("fuzz_cd_conf", __VA_ARGS__)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));

static jmp_buf in_parse;
static bool parsing;
static int exit_status;

/* cd_conf_parse()'s exit(): back to the parse's caller. */
void
__wrap_exit(int status)
{
	if (!parsing)
		__real_exit(status);
	parsing = false;
	exit_status = status;
	longjmp(in_parse, 1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const links[] = {
		"context.yaml",
		FUZZ_SRC_ROOT "/examples/mud-context-luminaire.yaml",
		"home.yaml", FUZZ_SRC_ROOT "/examples/home.yaml",
		"missing", FUZZ_SRC_ROOT "/no/such/file",
		NULL,
	};

	(void)argc;
	(void)argv;
	fuzz_scratch_init("cd-conf", links);
	/* The defaults, in the scratch directory: the same every run. */
	setenv("CORDON_RUNDIR", "fuzz-cd-conf.d/dir", 1);
	setenv("CORDON_STATE_DIR", "fuzz-cd-conf.d/state", 1);
	return 0;
}

/* Parse argv (a copy: getopt_long() permutes it) with its output caught;
 * *exited when it called exit(). */
static int
parse(const struct fuzz_argv *a, struct cd_conf *c, struct fuzz_out *o,
      bool *exited)
{
	char **v = fuzz_argv_copy(a);
	volatile int rc = 0;

	*exited = false;
	optind = 0;
	fuzz_out_begin(o);
	if (setjmp(in_parse) == 0) {
		parsing = true;
		rc = cd_conf_parse(a->argc, v, c);
		parsing = false;
	} else {
		*exited = true;
	}
	fuzz_out_end(o);
	free(v);
	return rc;
}

#define STR_OK(f) (memchr(c->f, '\0', sizeof(c->f)) != NULL)

static void
check_conf(const struct cd_conf *c)
{
	bool tls = wire_tls_url(c->dp_url);

	if (!STR_OK(rundir) || !STR_OK(statedir) || !STR_OK(dp_url) ||
	    !STR_OK(cli_url) || !STR_OK(mud_dir) || !STR_OK(mud_ca) ||
	    !STR_OK(mud_context))
		FAIL("a string of the conf is not terminated");
	if (c->rundir[0] == '\0' || c->statedir[0] == '\0' ||
	    c->mud_dir[0] == '\0')
		FAIL("a directory left empty");
	if (strstr(c->dp_url, "://") == NULL ||
	    strstr(c->cli_url, "://") == NULL)
		FAIL("URL '%s' or '%s' taken", c->dp_url, c->cli_url);
	if ((c->report_interval_ms != 0 && (c->report_interval_ms < 100 ||
					    c->report_interval_ms > 60000)) ||
	    c->inventory_refresh_s < 1 || c->inventory_refresh_s > 86400 ||
	    c->prompt_timeout_s < 1 || c->prompt_timeout_s > 604800 ||
	    c->prompt_max_per_device < 1 || c->prompt_max_per_device > 256 ||
	    c->backup_interval_s > 31 * 86400 || c->policy_keep > 1000000)
		FAIL("a number of the conf is out of its range");
	if (c->report_retention_ms > 3650ull * 86400 * 1000 ||
	    c->device_retention_ms > 3650ull * 86400 * 1000 ||
	    c->event_retention_ms > 3650ull * 86400 * 1000 ||
	    c->alert_retention_ms > 3650ull * 86400 * 1000 ||
	    c->dataplane_retention_ms > 3650ull * 86400 * 1000)
		FAIL("a retention beyond 3650d");
	if (c->device_retention_ms != 0 &&
	    c->device_retention_ms < 2000ull * c->inventory_refresh_s)
		FAIL("device retention under twice the inventory refresh");
	if ((c->restore != NULL) + c->compact + c->check_config > 1)
		FAIL("two of --restore, --compact, --check-config taken");
	if (wire_tls_url(c->cli_url))
		FAIL("a tls+tcp --ctl-url taken");
	if (tls && (c->tls_cert == NULL || c->tls_ca == NULL))
		FAIL("a tls+tcp --dataplane-url without its files taken");
	if (!tls && (c->tls_cert || c->tls_key || c->tls_ca ||
		     c->tls_id_optional))
		FAIL("TLS options without a tls+tcp --dataplane-url taken");
	if (!c->insecure_listen && (cd_conf_url_exposed(c->dp_url) ||
				    cd_conf_url_exposed(c->cli_url)))
		FAIL("an exposed plain listener taken without "
		     "--insecure-listen");
}

/* --check-config on c, if all it reads is in the scratch directory. */
static void
check_files(const struct cd_conf *c)
{
	struct fuzz_out o;
	const char *last;
	int bad;

	if (!fuzz_path_ok(c->rundir) || !fuzz_path_ok(c->statedir) ||
	    !fuzz_path_ok(c->mud_dir) || !fuzz_path_ok(c->mud_ca) ||
	    !fuzz_path_ok(c->mud_context) || !fuzz_path_ok(c->tls_cert) ||
	    !fuzz_path_ok(c->tls_key) || !fuzz_path_ok(c->tls_ca))
		return;
	fuzz_out_begin(&o);
	bad = cd_conf_check(c, stdout);
	fuzz_out_end(&o);
	if (bad < 0)
		FAIL("cd_conf_check() returned %d", bad);
	if (!fuzz_out_verdict(&o, "cordond", bad, &last))
		FAIL("cd_conf_check() returned %d, ended with '%s'", bad, last);
	free(o.text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cd_conf c1, c2;
	struct fuzz_out o1, o2;
	struct fuzz_argv a;
	bool ex1, ex2;
	int rc1, rc2;

	if (fuzz_argv_split(&a, PROG, data, size) < 0)
		return -1;
	rc1 = parse(&a, &c1, &o1, &ex1);
	rc2 = parse(&a, &c2, &o2, &ex2);
	if (ex1 != ex2 || rc1 != rc2 || strcmp(o1.text, o2.text) != 0)
		FAIL("the same argv again: %d%s '%s', then %d%s '%s'", rc1,
		     ex1 ? " (exit)" : "", o1.text, rc2, ex2 ? " (exit)" : "",
		     o2.text);
	if (ex1) {
		if (exit_status != 0)
			FAIL("exit(%d)", exit_status);
		if (strncmp(o1.text, "Usage: cordond", 14) != 0 &&
		    strncmp(o1.text, "cordond ", 8) != 0)
			FAIL("exit(0) without the usage or the version: '%s'",
			     o1.text);
	} else if (rc1 > 0 || rc1 < -4095) {
		FAIL("returned %d", rc1);
	} else if (rc1 < 0) {
		if (strncmp(o1.text, PROG ": ", strlen(PROG) + 2) != 0 ||
		    o1.text[strlen(o1.text) - 1] != '\n')
			FAIL("failed (%d) without a message: '%s'", rc1,
			     o1.text);
		/* The word at fault, not the program's name. */
		if (strstr(o1.text, "'" PROG "'") != NULL &&
		    !fuzz_argv_has(&a, PROG))
			FAIL("the message names argv[0]: %s", o1.text);
	} else {
		if (o1.len != 0)
			FAIL("succeeded, saying '%s'", o1.text);
		if (memcmp(&c1, &c2, sizeof(c1)) != 0)
			FAIL("the same argv again: another conf");
		check_conf(&c1);
		check_files(&c1);
	}
	free(o1.text);
	free(o2.text);
	fuzz_argv_free(&a);
	return 0;
}
