/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli_policy.h"
#include "ctl_compile.h"
#include "ctl_mud.h"
#include "ctl_pbjson.h"
#include "ctl_policy_yaml.h"
#include "policy_validate.h"
#include "util_mac.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

static const char policy_help[] =
	"usage: cordonctl policy check FILE [--json]\n"
	"\n"
	"Compile a YAML policy file and validate the result with the\n"
	"dataplane's validator, without a daemon. Errors are printed as\n"
	"FILE:LINE:COLUMN: message. --json prints the compiled policy.\n"
	"Exit status: 0 valid, 1 invalid, 2 usage.\n";

static const char mud_help[] =
	"usage: cordonctl mud check FILE [--context CTX.yaml] [--device MAC]"
	" [--json]\n"
	"\n"
	"Compile a MUD file (RFC 8520) and print, as JSON, the Cordon rules\n"
	"it becomes. The context (see examples/README.md) gives the local\n"
	"networks, controllers, my-controller, DNS names, known peers and\n"
	"signature trust anchors. If it names a CA file, FILE.p7s must be a\n"
	"valid detached CMS signature (unless accept-unsigned and there is\n"
	"no .p7s). Exit status: 0 valid, 1 invalid, 2 usage.\n";

static int
usage(const char *help, const char *what, const char *arg)
{
	fprintf(stderr, "%s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "");
	fputs(help, stderr);
	return EXIT_USAGE;
}

static int
print_json(json_t *j)
{
	char *s;

	if (!j)
		return -ENOMEM;
	s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return -ENOMEM;
	puts(s);
	free(s);
	return 0;
}

int
cli_policy_check(int argc, char **argv)
{
	const char *file = NULL;
	Cordon__Policy *pol = NULL;
	char err[1024];
	int json = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(policy_help, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(policy_help, "unknown option",
				argv[i]);
		} else if (file) {
			return usage(policy_help, "unexpected argument",
				argv[i]);
		} else {
			file = argv[i];
		}
	}
	if (!file)
		return usage(policy_help, "FILE missing", NULL);
	if (ctl_pol_compile_file(file, NULL, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_INVALID;
	}
	if (json) {
		if (print_json(ctl_pbjson(&pol->base))) {
			ctl_cmp_policy_free(pol);
			return EXIT_INVALID;
		}
	} else {
		printf("%s: ok: %zu segments, %zu device assignments, %zu "
			"rules, %zu local networks, %zu quarantined\n", file,
			pol->n_segments, pol->n_devices, pol->n_rules,
			pol->n_local_networks, pol->n_quarantined);
	}
	ctl_cmp_policy_free(pol);
	return 0;
}

/* Signature policy: see mud_help. Returns a status string or NULL. */
static const char *
check_signature(const char *file, const struct ctl_mud_context *ctx,
		char *err, size_t errlen)
{
	char sig[4096];

	if (!ctx->ca_file)
		return "not checked (no ca-file in the context)";
	if (snprintf(sig, sizeof(sig), "%s.p7s", file) >= (int)sizeof(sig)) {
		snprintf(err, errlen, "%s: name too long", file);
		return NULL;
	}
	if (access(sig, F_OK)) {
		if (ctx->accept_unsigned)
			return "unsigned (accepted)";
		snprintf(err, errlen, "%.400s: no signature (.p7s) and "
			"unsigned MUD files are not accepted", file);
		return NULL;
	}
	if (ctl_mud_sig_verify(file, sig, ctx->ca_file, err, errlen))
		return NULL;
	return "verified";
}

int
cli_mud_check(int argc, char **argv)
{
	const char *file = NULL, *ctxf = NULL, *macs = NULL, *sig;
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	Cordon__Policy *pol = NULL;
	uint8_t mac[6];
	char err[1024], ms[18];
	json_t *o = NULL, *rules;
	size_t k;
	int i, rc = EXIT_INVALID;

	memset(&ctx, 0, sizeof(ctx));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(mud_help, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			/* JSON is the only output format. */
		} else if (!strcmp(argv[i], "--context") ||
				!strcmp(argv[i], "--device")) {
			if (i + 1 >= argc)
				return usage(mud_help, "needs a value:",
					argv[i]);
			if (argv[i][2] == 'c')
				ctxf = argv[++i];
			else
				macs = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(mud_help, "unknown option", argv[i]);
		} else if (file) {
			return usage(mud_help, "unexpected argument",
				argv[i]);
		} else {
			file = argv[i];
		}
	}
	if (!file)
		return usage(mud_help, "FILE missing", NULL);
	if (macs && util_mac_parse(macs, mac))
		return usage(mud_help, "--device: not a MAC:", macs);
	if (ctxf && ctl_mud_context_load(ctxf, &ctx, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_INVALID;
	}
	sig = check_signature(file, &ctx, err, sizeof(err));
	if (!sig) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	pol = ctl_cmp_policy_new();
	if (!pol)
		goto out;
	if (ctl_mud_compile_file(file, &ctx, macs ? mac : NULL, 100, pol,
			&res, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	o = json_object();
	rules = json_array();
	if (!o || !rules) {
		json_decref(rules);
		goto out;
	}
	util_mac_format(macs ? mac : ctx.device_mac, ms);
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "mud_url", json_string(res.mud_url));
	json_object_set_new(o, "device", json_string(ms));
	json_object_set_new(o, "signature", json_string(sig));
	json_object_set_new(o, "aces", json_integer(res.n_aces));
	json_object_set_new(o, "duplicates", json_integer(res.n_duplicates));
	json_object_set_new(o, "unresolved", json_integer(res.n_unresolved));
	json_object_set_new(o, "widened", json_integer(res.n_widened));
	if (res.note[0])
		json_object_set_new(o, "note", json_string(res.note));
	for (k = 0; k < pol->n_rules; k++)
		json_array_append_new(rules, ctl_pbjson(&pol->rules[k]->base));
	json_object_set_new(o, "rules", rules);
	if (print_json(o) == 0)
		rc = 0;
	o = NULL;
out:
	json_decref(o);
	ctl_cmp_policy_free(pol);
	ctl_mud_context_free(&ctx);
	return rc;
}
