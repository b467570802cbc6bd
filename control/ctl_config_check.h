/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond --check-config: everything cordond would read or need at start,
 * checked without starting it (nothing listens, nothing is created or
 * written): the endpoints, the runtime and state directories, the store
 * and the signing key in it, the TLS files, the MUD context, trust anchors
 * and directory. For operators and the systemd unit's ExecStartPre.
 */

#ifndef CORDON_CTL_CONFIG_CHECK_H
#define CORDON_CTL_CONFIG_CHECK_H

#include <stdbool.h>
#include <stdio.h>

/* cordond's options after parsing and defaults; NULL or "": not given. */
struct ctl_config_check {
	const char *rundir;
	const char *statedir;
	const char *dp_url;
	const char *cli_url;
	const char *tls_cert;
	const char *tls_key;
	const char *tls_ca;
	const char *mud_context;
	const char *mud_ca;
	const char *mud_dir;
	bool mud_accept_unsigned;
};

/* One line per finding to out. Returns 0 when the configuration is
 * usable, else the count of problems (positive). */
int ctl_config_check(const struct ctl_config_check *c, FILE *out);

#endif /* CORDON_CTL_CONFIG_CHECK_H */
