/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl keygen: the policy signing key, in cordond's state directory. */

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "endpoint.h"
#include "policy_sign.h"

static int
cli_keygen_run(struct cli *c, int argc, char **argv)
{
	const char *dir_s = NULL;
	bool force = false;
	const struct cli_opt opts[] = {
		{ "--dir", NULL, &dir_s, NULL },
		{ "--force", NULL, NULL, &force },
		{ NULL, NULL, NULL, NULL },
	};
	char dir[PATH_MAX] = "", err[512];
	int rc;

	rc = cli_args(c, "keygen", argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (dir_s != NULL) {
		if (strlen(dir_s) >= sizeof(dir))
			return cli_usage_error("keygen: --dir: too long");
		strcpy(dir, dir_s);
	}
	if (dir[0] == '\0' && endpoint_statedir(dir, sizeof(dir)) < 0)
		return cli_usage_error("keygen: state directory path too long");
	rc = endpoint_mkdir(dir);
	if (rc < 0) {
		fprintf(stderr, "cordonctl: keygen: %s: %s\n", dir,
			strerror(-rc));
		return CLI_EXIT_FAILED;
	}
	rc = policy_sign_keygen(dir, force, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "cordonctl: keygen: %s\n", err);
		return CLI_EXIT_FAILED;
	}
	printf("policy signing key in %s/%s; give %s/%s to the dataplanes "
	       "(--pubkey); restart cordond to sign with it\n", dir,
	       POLICY_SIGN_PRIV_NAME, dir, POLICY_SIGN_PUB_NAME);
	return CLI_EXIT_OK;
}

CLI_COMMAND(keygen, "[--dir DIR] [--force]", "make the policy signing key",
	"Make an Ed25519 key pair in cordond's state directory (or DIR):\n"
	"cordond signs every policy version with it, and dataplanes given\n"
	"the public key (--pubkey) refuse anything else. An existing key\n"
	"is replaced only with --force.");
