/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordond's command line: what `cordond --help` lists. */

#ifndef CORDON_CD_CONF_H
#define CORDON_CD_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct cd_conf {
	char rundir[PATH_MAX];
	char statedir[PATH_MAX];
	char dp_url[PATH_MAX + 16];
	char cli_url[PATH_MAX + 16];
	uint32_t report_interval_ms;
	uint32_t inventory_refresh_s;
	char mud_dir[PATH_MAX];
	char mud_ca[PATH_MAX];
	char mud_context[PATH_MAX];
	bool mud_accept_unsigned;
	uint32_t prompt_timeout_s;	/* cd_prompt.c */
	uint32_t prompt_max_per_device;
	uint64_t probation_ms;	/* 0: detector quarantines wait for an operator */
	bool verbose;
	bool check_config;	/* cd_conf_check(), then exit */
	const char *restore;	/* --restore FILE: restore, then exit */
	uint64_t ids_above;	/* --ids-above N: restored ids above N */
	bool compact;		/* --compact: rewrite the store, then exit */
	bool insecure_listen;	/* plain tcp:// beyond loopback allowed */
	bool tls_id_optional;	/* dataplanes that cannot prove their id */
	uint32_t backup_interval_s;	/* 0: no scheduled backups */
	/* cd_retention.c; 0: every row kept */
	uint64_t report_retention_ms;
	uint64_t device_retention_ms;	/* since a dataplane last listed it */
	uint64_t event_retention_ms;
	uint64_t alert_retention_ms;
	uint64_t policy_keep;		/* versions whose content is kept */
	/* A dataplane away this long is forgotten (the registry). */
	uint64_t dataplane_retention_ms;
	/* tls+tcp:// dataplane endpoint: PEM files (see wire_tls.h) */
	const char *tls_cert;
	const char *tls_key;
	const char *tls_ca;
};

/*
 * Parse cordond's options into c, with the defaults filled in (runtime
 * and state directories, endpoint URLs, --mud-dir). --help prints the
 * usage and exits 0. A bad option prints why and returns -EINVAL.
 */
int cd_conf_parse(int argc, char **argv, struct cd_conf *c);
void cd_conf_usage(FILE *f);

/* Is url a listener anyone on the network may reach without TLS: tcp://
 * (tcp4://, tcp6://, ws://) on anything but a loopback address? */
bool cd_conf_url_exposed(const char *url);

/*
 * --check-config: c and everything it names checked (ctl_config_check.h),
 * one line a finding on out. 0 when usable, else the count of problems.
 */
int cd_conf_check(const struct cd_conf *c, FILE *out);

#endif /* CORDON_CD_CONF_H */
