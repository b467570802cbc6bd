/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl quarantine and release: hold a device in quarantine, or not. */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int
cli_quarantine_common(struct cli *c, int argc, char **argv, bool release)
{
	const char *name = release ? "release" : "quarantine";
	const char *reason = "";
	const struct cli_opt opts[] = {
		{ "--reason", NULL, &reason, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__Quarantine q = CORDON__QUARANTINE__INIT;
	uint8_t mac[6];
	char *mac_s;
	int rc;

	rc = cli_mac_arg(c, name, argc, argv, release ? NULL : opts, &mac_s,
			 mac, &q.mac);
	if (rc == CLI_EXIT_OK && strlen(reason) > CLI_TEXT_MAX)
		rc = cli_usage_error("%s: --reason: at most %d characters",
				     name, CLI_TEXT_MAX);
	if (rc != CLI_EXIT_OK)
		return rc;
	q.reason = (char *)reason;
	q.release = release;
	q.by = (char *)"cordonctl";
	return cli_change(c, CORDON__MSG_TYPE__MSG_QUARANTINE, &q.base, mac_s);
}

static int
cli_quarantine_run(struct cli *c, int argc, char **argv)
{
	return cli_quarantine_common(c, argc, argv, false);
}

static int
cli_release_run(struct cli *c, int argc, char **argv)
{
	return cli_quarantine_common(c, argc, argv, true);
}

CLI_COMMAND(quarantine, "MAC [--reason R]", "hold a device in quarantine",
	"Put the device in the policy's quarantine segment, which allows\n"
	"only what it lists. A new policy version is made and handed out at\n"
	"once; the device's existing flows are checked again at their next\n"
	"packet. Stored durably; `cordonctl release MAC` undoes it.");

CLI_COMMAND(release, "MAC", "let a device out of quarantine",
	"Undo `cordonctl quarantine MAC`: a new policy version without it.");
