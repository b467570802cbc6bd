/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: cordon-dataplane's own command line (what follows the
 * EAL's "--"), as main.c hands it to dp_conf_parse(), then, when it names
 * only files in the scratch directory fuzz-dp-conf.d/ (fuzz_argv.h), to
 * dp_conf_check() as --check-config does (no EAL). The input is the words, split at NUL or
 * newline; argv[0] is the program's name.
 *
 * Checks: the parse returns 0 or a negative errno; a failure has a
 * message, which names a word of the command line, not the program; a
 * success has no message, every number in its documented range, every
 * string terminated, and the TLS options agreeing with the URL; parsing
 * the same argv again (a second run of getopt_long() in one process, as
 * the unit tests do) gives the same result byte for byte. dp_conf_check()
 * counts its problems as it says them. ASan's leak check covers all.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_conf.h"
#include "dp_conf_check.h"
#include "dp_idle.h"
#include "fuzz_argv.h"

#define PROG "cordon-dataplane"
#define FAIL(...) FUZZ_FAIL("fuzz_dp_conf", __VA_ARGS__)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const links[] = {
		"home.yaml", FUZZ_SRC_ROOT "/examples/home.yaml",
		"gw0.conf", FUZZ_SRC_ROOT "/examples/dataplane-gw0.conf",
		"home.txtpb", FUZZ_SRC_ROOT "/tests/data/policy/home.txtpb",
		"missing", FUZZ_SRC_ROOT "/no/such/file",
		NULL,
	};

	(void)argc;
	(void)argv;
	/* The defaults come from these: the same in every run. */
	setenv("CORDON_RUNDIR", "/run/fuzz", 1);
	fuzz_scratch_init("dp-conf", links);
	return 0;
}

#define STR_OK(f) (memchr(c->f, '\0', sizeof(c->f)) != NULL)

static void
check_conf(const struct dp_conf *c)
{
	bool tls = strncmp(c->control_url, "tls+tcp", 7) == 0;

	if (!STR_OK(control_url) || !STR_OK(id) || !STR_OK(policy_file) ||
	    !STR_OK(pubkey_file) || !STR_OK(state_dir) || !STR_OK(tls_cert) ||
	    !STR_OK(tls_key) || !STR_OK(tls_ca) || !STR_OK(tls_server_name) ||
	    !STR_OK(indicators_file))
		FAIL("a string of the conf is not terminated");
	if (c->burst < 1 || c->burst > 64 || c->report_interval_ms < 100 ||
	    c->report_interval_ms > 60000 || c->report_queue < 4 ||
	    c->report_queue > 65536 || c->idle_sleep_us > DP_IDLE_MAX_US ||
	    c->flows < 1024 || c->flows > (1u << 28) || c->devices < 16 ||
	    c->devices > (1u << 24) || c->heap_keep_mb > 1024 ||
	    c->mac_ageing_s < 1 || c->mac_ageing_s > 86400 ||
	    c->dns_ttl_floor_s > 86400 || c->dns_bindings < 64 ||
	    c->dns_bindings > (1u << 24) || c->behaviour_interval_s < 1 ||
	    c->behaviour_interval_s > 86400 || c->rx_desc < 64 ||
	    c->rx_desc > 32768 || c->tx_desc < 64 || c->tx_desc > 32768 ||
	    (c->mbufs != 0 && c->mbufs < 1024) || c->mbufs > (1u << 26) ||
	    c->exit_after_s > (1u << 30) || c->detect_devices < 16 ||
	    c->detect_devices > (1u << 20) ||
	    c->detect_learn_ms > 366ull * 86400 * 1000 ||
	    c->device_retire_s > 366u * 86400)
		FAIL("a number of the conf is out of its range");
	if (c->help)
		return;
	if (c->control_url[0] != '\0' && strstr(c->control_url, "://") == NULL)
		FAIL("control URL '%s' taken", c->control_url);
	if (tls && (c->tls_cert[0] == '\0' || c->tls_ca[0] == '\0'))
		FAIL("a TLS URL without its files taken");
	if (!tls && (c->tls_cert[0] || c->tls_key[0] || c->tls_ca[0] ||
		     c->tls_server_name[0]))
		FAIL("TLS files without a TLS URL taken");
	if (!c->detect && c->indicators_file[0] != '\0')
		FAIL("--indicators with --no-detect taken");
}

/* --check-config on c, if everything it would read is in the scratch
 * directory. */
static void
check_files(const struct dp_conf *c)
{
	struct fuzz_out o;
	const char *last;
	int bad;

	if (c->help || c->version || !fuzz_path_ok(c->policy_file) ||
	    !fuzz_path_ok(c->pubkey_file) || !fuzz_path_ok(c->state_dir) ||
	    !fuzz_path_ok(c->tls_cert) || !fuzz_path_ok(c->tls_key) ||
	    !fuzz_path_ok(c->tls_ca) || !fuzz_path_ok(c->indicators_file))
		return;
	fuzz_out_begin(&o);
	bad = dp_conf_check(c, stdout);
	fuzz_out_end(&o);
	if (bad < 0)
		FAIL("dp_conf_check() returned %d", bad);
	if (!fuzz_out_verdict(&o, "cordon-dataplane", bad, &last))
		FAIL("dp_conf_check() returned %d, ended with '%s'", bad, last);
	free(o.text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_conf c1, c2;
	char err1[256], err2[256];
	struct fuzz_argv a;
	char **v1, **v2;
	int rc1, rc2;

	if (fuzz_argv_split(&a, PROG, data, size) < 0)
		return -1;
	v1 = fuzz_argv_copy(&a);
	v2 = fuzz_argv_copy(&a);
	rc1 = dp_conf_parse(a.argc, v1, &c1, err1, sizeof(err1));
	rc2 = dp_conf_parse(a.argc, v2, &c2, err2, sizeof(err2));
	if (rc1 > 0 || rc1 < -4095)
		FAIL("returned %d", rc1);
	if (rc1 != rc2 || strcmp(err1, err2) != 0)
		FAIL("the same argv again: %d '%s', then %d '%s'", rc1, err1,
		     rc2, err2);
	if (rc1 < 0) {
		if (err1[0] == '\0')
			FAIL("failed (%d) without a message", rc1);
		/* The word at fault, not the program's name. */
		if (strstr(err1, "'" PROG "'") != NULL &&
		    !fuzz_argv_has(&a, PROG))
			FAIL("the message names argv[0]: %s", err1);
	} else {
		if (err1[0] != '\0')
			FAIL("succeeded with a message: %s", err1);
		if (memcmp(&c1, &c2, sizeof(c1)) != 0)
			FAIL("the same argv again: another conf");
		check_conf(&c1);
		check_files(&c1);
	}
	free(v1);
	free(v2);
	fuzz_argv_free(&a);
	return 0;
}
