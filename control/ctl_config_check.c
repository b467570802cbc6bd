/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond --check-config (see ctl_config_check.h). Files are read with the
 * code cordond uses at start; the store is opened read-only and checked
 * with SQLite's quick_check instead of being opened (which would create
 * or migrate it).
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nng/nng.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ctl_config_check.h"
#include "ctl_mud.h"
#include "ctl_state.h"
#include "endpoint.h"
#include "policy_sign.h"
#include "wire_tls.h"

#define CHK "cordond: check-config: "

static bool
ccc_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int
ccc_url(const char *opt, const char *url, FILE *out)
{
	nng_url *u = NULL;
	int rv = nng_url_parse(&u, url);

	if (rv != 0) {
		fprintf(out, CHK "%s %s: %s\n", opt, url, nng_strerror(rv));
		return 1;
	}
	nng_url_free(u);
	return 0;
}

static int
ccc_dir(const char *what, const char *dir, FILE *out)
{
	char err[PATH_MAX + 64];

	if (endpoint_dir_usable(dir, err, sizeof(err)) < 0) {
		fprintf(out, CHK "%s %s: %s\n", what, dir, err);
		return 1;
	}
	return 0;
}

/* The store: read-only, quick_check (ctl_store_verify_file()); a missing
 * one is made at start. */
static int
ccc_store(const char *statedir, FILE *out)
{
	char path[PATH_MAX + 32], err[512];
	struct policy_sign_key key;
	struct ctl_store_space sp;
	int bad = 0;

	snprintf(path, sizeof(path), "%s/%s", statedir, CTL_STATE_DB);
	if (access(path, F_OK) != 0) {
		fprintf(out, CHK "state directory %s: usable, no store yet "
			"(made at start)\n", statedir);
	} else if (ctl_store_verify_file(path, err, sizeof(err)) < 0) {
		fprintf(out, CHK "store %s\n", err);
		bad++;
	} else if (ctl_store_file_space(path, &sp, err, sizeof(err)) < 0) {
		fprintf(out, CHK "store %s\n", err);
		bad++;
	} else {
		fprintf(out, CHK "store %s: ok, %.1f MiB (%.1f MiB of it free "
			"pages); %s\n", path, (double)sp.bytes / (1u << 20),
			(double)sp.free_bytes / (1u << 20), sp.shrinks ?
			"gives freed pages back" : "only stops growing: "
			"cordond --compact makes it give freed pages back");
	}

	snprintf(path, sizeof(path), "%s/%s", statedir, POLICY_SIGN_PRIV_NAME);
	if (access(path, F_OK) != 0) {
		fprintf(out, CHK "no signing key (%s): policies go out "
			"unsigned\n", path);
	} else if (policy_sign_key_load(path, &key, err, sizeof(err)) < 0) {
		fprintf(out, CHK "signing key %s: %s\n", path, err);
		bad++;
	} else {
		policy_sign_key_free(&key);
		fprintf(out, CHK "signing key %s: ok\n", path);
	}
	return bad;
}

static int
ccc_tls(const struct ctl_config_check *c, FILE *out)
{
	struct wire_tls_files f = {
		.cert = c->tls_cert,
		.key = ccc_set(c->tls_key) ? c->tls_key : NULL,
		.ca = c->tls_ca,
	};
	nng_tls_config *tls = NULL;
	char err[512];

	if (wire_tls_config(true, &f, &tls, err, sizeof(err)) < 0) {
		fprintf(out, CHK "--dataplane-url %s: %s\n", c->dp_url, err);
		return 1;
	}
	nng_tls_config_free(tls);
	fprintf(out, CHK "TLS: certificate %s, CA %s: ok\n", c->tls_cert,
		c->tls_ca);
	return 0;
}

/* Trust anchors: readable, and at least one PEM certificate in them. */
static int
ccc_ca(const char *path, FILE *out)
{
	FILE *f = fopen(path, "r");
	X509 *x;
	int n = 0;

	if (f == NULL) {
		fprintf(out, CHK "MUD trust anchors %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		X509_free(x);
		n++;
	}
	fclose(f);
	if (n == 0) {
		fprintf(out, CHK "MUD trust anchors %s: no PEM certificate in "
			"it\n", path);
		return 1;
	}
	fprintf(out, CHK "MUD trust anchors %s: %d certificate%s\n", path, n,
		n > 1 ? "s" : "");
	return 0;
}

static int
ccc_mud(const struct ctl_config_check *c, FILE *out)
{
	struct ctl_mud_context ctx;
	const char *ca = c->mud_ca;
	bool unsigned_ok = c->mud_accept_unsigned;
	char err[512];
	struct stat st;
	int bad = 0;

	memset(&ctx, 0, sizeof(ctx));
	if (ccc_set(c->mud_context)) {
		if (ctl_mud_context_load(c->mud_context, &ctx, err,
					 sizeof(err)) < 0) {
			fprintf(out, CHK "--mud-context %s: %s\n",
				c->mud_context, err);
			bad++;
		} else {
			fprintf(out, CHK "MUD context %s: ok\n",
				c->mud_context);
			if (!ccc_set(ca))
				ca = ctx.ca_file;
			unsigned_ok = unsigned_ok || ctx.accept_unsigned;
		}
	}
	if (ccc_set(ca))
		bad += ccc_ca(ca, out);
	else
		fprintf(out, CHK "no MUD trust anchors: %s\n", unsigned_ok ?
			"unsigned MUD files are accepted" :
			"every MUD file is refused (it needs a signature)");
	if (ccc_set(c->mud_dir) && stat(c->mud_dir, &st) == 0 &&
	    !S_ISDIR(st.st_mode)) {
		fprintf(out, CHK "--mud-dir %s: not a directory\n", c->mud_dir);
		bad++;
	}
	ctl_mud_context_free(&ctx);
	return bad;
}

int
ctl_config_check(const struct ctl_config_check *c, FILE *out)
{
	int bad = 0;

	bad += ccc_url("--dataplane-url", c->dp_url, out);
	bad += ccc_url("--ctl-url", c->cli_url, out);
	fprintf(out, CHK "endpoints: dataplanes %s, cordonctl %s\n",
		c->dp_url, c->cli_url);
	bad += ccc_dir("runtime directory", c->rundir, out);
	if (ccc_dir("state directory", c->statedir, out) == 0)
		bad += ccc_store(c->statedir, out);
	else
		bad++;
	if (wire_tls_url(c->dp_url))
		bad += ccc_tls(c, out);
	bad += ccc_mud(c, out);
	if (bad)
		fprintf(out, "cordond: configuration has %d problem%s\n", bad,
			bad > 1 ? "s" : "");
	else
		fprintf(out, "cordond: configuration OK\n");
	return bad;
}
