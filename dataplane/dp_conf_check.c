/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordon-dataplane --check-config (see dp_conf_check.h). Each check reads
 * a file the way the dataplane will at start, with the same code, so a
 * configuration that passes here fails at start only for what depends on
 * the machine then: the EAL's options (DPDK checks them when it starts),
 * ports, memory, cordond being there.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>

#include "det_ioc.h"
#include "dp_conf_check.h"
#include "dp_lkg.h"
#include "endpoint.h"
#include "policy_file.h"
#include "policy_validate.h"
#include "policy_verify.h"
#include "wire_tls.h"

#define CHK "cordon-dataplane: check-config: "

static int
dcc_control(const struct dp_conf *conf, FILE *out)
{
	struct wire_tls_files f = {
		.cert = conf->tls_cert,
		.key = conf->tls_key[0] ? conf->tls_key : NULL,
		.ca = conf->tls_ca,
	};
	nng_tls_config *tls = NULL;
	char host[256], port[16], err[512];
	nng_url *url = NULL;
	int rv;

	if (conf->control_url[0] == '\0') {
		fprintf(out, CHK "control: none (--no-control)\n");
		return 0;
	}
	rv = nng_url_parse(&url, conf->control_url);
	if (rv != 0) {
		fprintf(out, CHK "--control %s: %s\n", conf->control_url,
			nng_strerror(rv));
		return 1;
	}
	nng_url_free(url);
	if (strncmp(conf->control_url, "tls+tcp://", 10) != 0) {
		fprintf(out, CHK "control: %s\n", conf->control_url);
		return 0;
	}
	if (conf->tls_server_name[0] != '\0')
		f.server_name = conf->tls_server_name;
	else if (wire_tls_url_host(conf->control_url, host, sizeof(host),
				   port, sizeof(port)) == 0)
		f.server_name = host;
	if (wire_tls_config(false, &f, &tls, err, sizeof(err)) < 0) {
		fprintf(out, CHK "--control %s: %s\n", conf->control_url, err);
		return 1;
	}
	nng_tls_config_free(tls);
	fprintf(out, CHK "control: %s, certificate %s, CA %s, server name "
		"%s\n", conf->control_url, conf->tls_cert, conf->tls_ca,
		f.server_name ? f.server_name : "(none)");
	return 0;
}

static int
dcc_policy(const struct dp_conf *conf, FILE *out)
{
	Cordon__Policy *pol = NULL;
	char err[512];
	int rc;

	if (conf->policy_file[0] == '\0')
		return 0;
	rc = policy_file_load(conf->policy_file, &pol, err, sizeof(err));
	if (rc == 0) {
		rc = policy_validate(pol, err, sizeof(err));
		if (rc == 0)
			fprintf(out, CHK "policy %s: version %" PRIu64 ", %zu "
				"rules, %zu devices\n", conf->policy_file,
				pol->version, pol->n_rules, pol->n_devices);
		cordon__policy__free_unpacked(pol, NULL);
	}
	if (rc < 0) {
		fprintf(out, CHK "--policy %s: %s\n", conf->policy_file, err);
		return 1;
	}
	return 0;
}

static int
dcc_state(const struct dp_conf *conf, const struct policy_verify_keyring *kr,
	  FILE *out)
{
	struct policy_verify_out v;
	char path[PATH_MAX + 32], err[512];
	int rc;

	if (conf->state_dir[0] == '\0')
		return 0;
	if (endpoint_dir_usable(conf->state_dir, err, sizeof(err)) < 0) {
		fprintf(out, CHK "--state-dir %s: %s\n", conf->state_dir, err);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/last-known-good.policy",
		 conf->state_dir);
	if (access(path, F_OK) != 0) {
		fprintf(out, CHK "state directory %s: usable, no "
			"last-known-good policy yet\n", conf->state_dir);
		return 0;
	}
	if (kr->n == 0) {
		fprintf(out, CHK "state directory %s: %s is not used without "
			"--pubkey\n", conf->state_dir, path);
		return 0;
	}
	memset(&v, 0, sizeof(v));
	rc = dp_lkg_load(path, kr, &v, err, sizeof(err));
	if (rc < 0) {
		/* The dataplane refuses to start on it, as it would here. */
		fprintf(out, CHK "last-known-good policy %s: %s\n", path, err);
		return 1;
	}
	fprintf(out, CHK "state directory %s: last-known-good policy version "
		"%" PRIu64 ", signature good\n", conf->state_dir, v.version);
	policy_verify_out_free(&v);
	return 0;
}

/* The indicators file loads, as it will at start. */
static int
dcc_indicators(const struct dp_conf *conf, FILE *out)
{
	struct det_ioc *ioc;
	char err[512];
	uint32_t n = 0;

	if (conf->indicators_file[0] == '\0')
		return 0;
	ioc = det_ioc_load(conf->indicators_file, 0, err, sizeof(err));
	if (ioc == NULL) {
		fprintf(out, CHK "--indicators %s\n", err);
		return 1;
	}
	for (int t = 0; t < DET_IOC_NTYPES; t++)
		n += det_ioc_count(ioc, (enum det_ioc_type)t);
	fprintf(out, CHK "indicators %s: %" PRIu32 " loaded\n",
		conf->indicators_file, n);
	det_ioc_free(ioc);
	return 0;
}

int
dp_conf_check(const struct dp_conf *conf, FILE *out)
{
	struct policy_verify_keyring kr;
	char err[512];
	int bad = 0;

	fprintf(out, CHK "options: id %s, %u flows, %u devices", conf->id,
		conf->flows, conf->devices);
	if (conf->device_retire_s != 0)
		fprintf(out, ", forgotten after %u s unheard\n",
			conf->device_retire_s);
	else
		fprintf(out, ", never forgotten\n");
	if (conf->heap_keep_mb != 0)
		fprintf(out, CHK "heap: keeps up to %u MiB freed between "
			"policy builds\n", conf->heap_keep_mb);
	else
		fprintf(out, CHK "heap: glibc's defaults\n");
	bad += dcc_control(conf, out);
	if (conf->control_url[0] != '\0')
		fprintf(out, CHK "reports: every %u ms (unless cordond says "
			"otherwise), up to %u kept while cordond does not take "
			"them (%u s)\n",
			conf->report_interval_ms, conf->report_queue,
			(uint32_t)((uint64_t)conf->report_interval_ms *
				   conf->report_queue / 1000));
	bad += dcc_policy(conf, out);
	policy_verify_keyring_init(&kr);
	if (conf->pubkey_file[0] != '\0') {
		if (policy_verify_keyring_add_pem(&kr, conf->pubkey_file,
						  err, sizeof(err)) < 0) {
			fprintf(out, CHK "--pubkey %s: %s\n",
				conf->pubkey_file, err);
			bad++;
		} else {
			fprintf(out, CHK "pubkey %s: an Ed25519 public key\n",
				conf->pubkey_file);
		}
	}
	bad += dcc_state(conf, &kr, out);
	policy_verify_keyring_free(&kr);
	bad += dcc_indicators(conf, out);
	fprintf(out, CHK "EAL options: checked by DPDK when it starts\n");
	if (bad)
		fprintf(out, "cordon-dataplane: configuration has %d "
			"problem%s\n", bad, bad > 1 ? "s" : "");
	else
		fprintf(out, "cordon-dataplane: configuration OK\n");
	return bad;
}
