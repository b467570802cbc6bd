/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordon-dataplane's own options: everything after the EAL's "--". */

#ifndef CORDON_DP_CONF_H
#define CORDON_DP_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct dp_conf {
	char control_url[PATH_MAX + 16];	/* empty: standalone */
	char id[128];
	char policy_file[PATH_MAX];
	char pubkey_file[PATH_MAX];	/* required signature; "" none */
	char state_dir[PATH_MAX];	/* last-known-good policy; "" none */
	/* tls+tcp:// control URL: PEM files, and the name cordond's
	 * certificate must carry ("" : the URL's host) */
	char tls_cert[PATH_MAX];
	char tls_key[PATH_MAX];		/* "": in tls_cert */
	char tls_ca[PATH_MAX];
	char tls_server_name[256];
	uint32_t report_interval_ms;
	uint32_t report_queue;		/* reports kept until acknowledged */
	uint32_t burst;
	uint32_t idle_sleep_us;		/* dp_idle.h; 0: busy-poll */
	uint32_t flows;			/* flow table entries, all workers */
	uint32_t devices;		/* device table size */
	uint32_t heap_keep_mb;		/* util_heap_keep(); 0: glibc's own */
	uint32_t mac_ageing_s;
	uint32_t device_retire_s;	/* forget devices unheard this long; 0 */
	uint32_t dns_ttl_floor_s;	/* least lifetime of a DNS binding */
	uint32_t dns_bindings;		/* DNS binding table size */
	uint32_t mbufs;			/* 0: sized from ports and queues */
	uint32_t rx_desc;
	uint32_t tx_desc;
	uint32_t exit_after_s;		/* 0: run until signalled */
	uint32_t behaviour_interval_s;
	bool fingerprint;		/* inventory taps on */
	bool detect;			/* threat detection inline */
	uint32_t detect_devices;	/* device states of the engine */
	uint64_t detect_learn_ms;	/* envelope learning window; 0: none */
	char indicators_file[PATH_MAX];	/* det_ioc.h's format; "" none */
	bool help;
	bool version;			/* --version: print it, exit */
	bool fail_open;			/* no usable LKG: bridge, not drop */
	bool check_config;		/* check, print, exit (dp_conf_check) */
};

/*
 * Parse argv (argv[0] is the program name) into conf, starting from the
 * defaults. Returns 0, or -EINVAL with a one-line message in err.
 */
int dp_conf_parse(int argc, char **argv, struct dp_conf *conf, char *err,
		  size_t errlen);

void dp_conf_usage(FILE *f, const char *prog);

#endif /* CORDON_DP_CONF_H */
