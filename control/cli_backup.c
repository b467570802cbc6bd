/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl backup [FILE]: an online backup of cordond's store. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* FILE as an absolute path (cordond writes it, from its own directory):
 * its directory must exist, the file itself need not. */
static int
cli_backup_abs(const char *file, char *out, size_t len)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == file)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
	if (base[0] == '\0' || realpath(dir, real) == NULL)
		return -ENOENT;
	if ((size_t)snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "",
			     base) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int
cli_backup_run(struct cli *c, int argc, char **argv)
{
	Cordon__Backup b = CORDON__BACKUP__INIT;
	struct wire_msg reply;
	char path[PATH_MAX], *file;
	int rc;

	rc = cli_args(c, "backup", argc, argv, NULL, &file, 1);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (file != NULL && cli_backup_abs(file, path, sizeof(path)) < 0) {
		fprintf(stderr, "cordonctl: backup: %s: no such directory\n",
			file);
		return CLI_EXIT_FAILED;
	}
	b.path = file != NULL ? path : (char *)"";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_BACKUP, &b.base,
		      CORDON__MSG_TYPE__MSG_BACKUP_REPLY, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (c->json)
		cli_print_json(reply.payload);
	else
		printf("store backed up to %s\n",
		       ((const Cordon__Backup *)(void *)reply.payload)->path);
	wire_msg_free(&reply);
	return CLI_EXIT_OK;
}

CLI_COMMAND(backup, "[FILE] [--json]", "an online backup of cordond's store",
	"An online backup of cordond's store (SQLite's backup API), taken\n"
	"while cordond runs, written by cordond to FILE (mode 0600), or\n"
	"without FILE to STATE-DIR/backups/ (the newest 3 are kept; cordond\n"
	"also takes one every --backup-interval). Restore one with\n"
	"`cordond --restore FILE` while cordond is stopped.");
