/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl policy check|apply|show|history|diff|rollback|push: the policy
 * cordond makes, stores and hands out (docs/policy-versions.md). check
 * needs no daemon.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ctl_compile.h"
#include "ctl_policy_yaml.h"
#include "ctl_table.h"
#include "policy_file.h"
#include "policy_validate.h"
#include "util_file.h"

/* The one FILE or VERSION argument of a subcommand. */
static int
cli_policy_arg(struct cli *c, const char *what, int argc, char **argv,
	       const char *name, char **arg)
{
	int rc = cli_args(c, what, argc, argv, NULL, arg, 1);

	if (rc == CLI_EXIT_OK && *arg == NULL)
		return cli_usage_error("%s: %s missing", what, name);
	return rc;
}

int
cli_policy_check(struct cli *c, int argc, char **argv)
{
	Cordon__Policy *pol = NULL;
	char err[1024], *file;
	int rc = cli_policy_arg(c, "policy check", argc, argv, "FILE", &file);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (ctl_pol_compile_file(file, NULL, &pol, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return CLI_EXIT_FAILED;
	}
	if (c->json)
		cli_print_json(&pol->base);
	else
		printf("%s: ok: %zu segments, %zu device assignments, %zu "
		       "rules, %zu local networks, %zu quarantined\n", file,
		       pol->n_segments, pol->n_devices, pol->n_rules,
		       pol->n_local_networks, pol->n_quarantined);
	ctl_cmp_policy_free(pol);
	return CLI_EXIT_OK;
}

static int
cli_policy_apply(struct cli *c, int argc, char **argv)
{
	Cordon__PolicyApply a = CORDON__POLICY_APPLY__INIT;
	char err[PATH_MAX + 64], *file, *src;
	size_t len;
	int rc = cli_policy_arg(c, "policy apply", argc, argv, "FILE", &file);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (util_file_read(file, CLI_FILE_MAX, &src, &len, err,
			   sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: %s\n", err);
		return CLI_EXIT_FAILED;
	}
	a.source = src;
	a.name = file;
	a.applied_by = (char *)"cordonctl";
	rc = cli_change(c, CORDON__MSG_TYPE__MSG_POLICY_APPLY, &a.base, file);
	free(src);
	return rc;
}

static int
cli_policy_show(const void *reply, const void *req)
{
	const Cordon__Policy *p = reply;
	size_t n_v4 = 0, n_v6 = 0;

	(void)req;
	for (size_t i = 0; i < p->n_local_networks; i++)
		if (p->local_networks[i]->addr.len == 4)
			n_v4++;
		else
			n_v6++;
	printf("policy %" PRIu64 "%s%s\n", p->version,
	       p->comment[0] ? ": " : "", p->comment);
	printf("  segments        %zu (default %u, quarantine %u)\n",
	       p->n_segments, p->default_segment, p->quarantine_segment);
	printf("  devices         %zu assigned, %zu quarantined\n",
	       p->n_devices, p->n_quarantined);
	printf("  rules           %zu\n", p->n_rules);
	printf("  local networks  %zu IPv4, %zu IPv6\n", n_v4, n_v6);
	return CLI_EXIT_OK;
}

static int
cli_policy_history_show(const Cordon__PolicyHistory *h)
{
	static const char *const head[] = {
		">VERSION", "CREATED (UTC)", "BY", ">RULES", ">DEVICES",
		">QUAR", "SIGNED", "IN FORCE SINCE (UTC)", ">ROLLBACK OF",
		"CONTENT", "COMMENT", NULL,
	};
	struct ctl_table t;

	ctl_table_init(&t, head);
	for (size_t i = 0; i < h->n_versions; i++) {
		const Cordon__PolicyVersion *v = h->versions[i];
		char when[32], applied[32];
		const char *row[] = {
			ctl_fmt_u64(v->version),
			cli_fmt_time(v->created_unix_ms, when, false),
			v->applied_by,
			ctl_fmt_u64(v->rules),
			ctl_fmt_u64(v->devices),
			ctl_fmt_u64(v->quarantined),
			v->is_signed ? "yes" : "no",
			v->applied_unix_ms ? cli_fmt_time(v->applied_unix_ms,
							  applied, false) :
			"not yet",
			v->rollback_of ? ctl_fmt_u64(v->rollback_of) : "",
			/* --policy-keep: no rollback to it, no diff */
			v->pruned_unix_ms ? "pruned" : "kept",
			v->comment,
		};

		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
	if (h->n_versions < h->total)
		printf("(%zu of %" PRIu64 " versions; --last N, --all, "
		       "--before VERSION for more)\n", h->n_versions, h->total);
	return CLI_EXIT_OK;
}

/* The history pages cordond hands out, at most (as its CD_HISTORY_MAX). */
#define CLI_HISTORY_PAGE 1000
/* --all: pages kept, at most (a million versions). */
#define CLI_HISTORY_PAGES 1000

/*
 * policy history [--last N | --all] [--before VERSION]: a page, newest
 * first, as `git log -n`; --all walks every page (before_version of the
 * last one seen) and prints them as one.
 */
static int
cli_policy_history(struct cli *c, int argc, char **argv)
{
	const char *last = NULL, *before = NULL;
	bool all = false;
	const struct cli_opt opts[] = {
		{ "--last", "-n", &last, NULL },
		{ "--all", NULL, NULL, &all },
		{ "--before", NULL, &before, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__PolicyHistoryRequest req = CORDON__POLICY_HISTORY_REQUEST__INIT;
	Cordon__PolicyHistory merged = CORDON__POLICY_HISTORY__INIT;
	struct wire_msg *pages = NULL;
	size_t n_pages = 0;
	uint64_t v;
	int rc;

	rc = cli_args(c, "policy history", argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (last != NULL && all)
		return cli_usage_error("policy history: --last or --all, not "
				       "both");
	if (last != NULL) {
		if (cli_u64(last, &v) < 0 || v == 0 || v > CLI_HISTORY_PAGE)
			return cli_usage_error("policy history: --last takes "
					       "1 to %d", CLI_HISTORY_PAGE);
		req.limit = (uint32_t)v;
	}
	if (before != NULL && (cli_u64(before, &req.before_version) < 0 ||
			       req.before_version == 0 ||
			       req.before_version > INT64_MAX))
		return cli_usage_error("policy history: --before takes a "
				       "version");
	if (all)
		req.limit = CLI_HISTORY_PAGE;
	pages = calloc(all ? CLI_HISTORY_PAGES : 1, sizeof(*pages));
	if (pages == NULL) {
		fprintf(stderr, "cordonctl: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	do {
		const Cordon__PolicyHistory *h;

		rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY_HISTORY,
			      &req.base,
			      CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY,
			      &pages[n_pages]);
		if (rc != CLI_EXIT_OK)
			goto out;
		h = (const Cordon__PolicyHistory *)pages[n_pages++].payload;
		merged.total = h->total;
		if (h->n_versions < req.limit)
			break;
		req.before_version = h->versions[h->n_versions - 1]->version;
	} while (all && n_pages < CLI_HISTORY_PAGES);
	merged.versions = CLI_PAGES_JOIN(pages, n_pages, false,
					 Cordon__PolicyHistory, versions,
					 &merged.n_versions);
	if (merged.versions == NULL) {
		rc = CLI_EXIT_FAILED;
		goto out;
	}
	if (c->json)
		cli_print_json(&merged.base);
	else
		rc = cli_policy_history_show(&merged);
	free(merged.versions);
out:
	for (size_t i = 0; i < n_pages; i++)
		wire_msg_free(&pages[i]);
	free(pages);
	return rc;
}

static int
cli_policy_diff_show(const void *reply, const void *req)
{
	(void)req;
	fputs(((const Cordon__PolicyDiff *)reply)->diff, stdout);
	return CLI_EXIT_OK;
}

static int
cli_policy_diff(struct cli *c, int argc, char **argv)
{
	Cordon__PolicyDiffRequest r = CORDON__POLICY_DIFF_REQUEST__INIT;
	char *pos[2];
	int rc;

	rc = cli_args(c, "policy diff", argc, argv, NULL, pos, 2);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (pos[0] == NULL || cli_u64(pos[0], &r.from_version) < 0 ||
	    (pos[1] != NULL && cli_u64(pos[1], &r.to_version) < 0))
		return cli_usage_error("policy diff: FROM [TO] versions");
	return cli_query(c, CORDON__MSG_TYPE__MSG_POLICY_DIFF, &r.base,
			 CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY,
			 cli_policy_diff_show);
}

static int
cli_policy_rollback(struct cli *c, int argc, char **argv)
{
	Cordon__PolicyRollback r = CORDON__POLICY_ROLLBACK__INIT;
	char *version;
	int rc = cli_policy_arg(c, "policy rollback", argc, argv, "VERSION",
				&version);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (cli_u64(version, &r.version) < 0 || r.version == 0)
		return cli_usage_error("policy rollback: '%s' is not a version",
				       version);
	r.applied_by = (char *)"cordonctl";
	return cli_change(c, CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK, &r.base,
			  "rollback");
}

static int
cli_policy_push(struct cli *c, int argc, char **argv)
{
	Cordon__Policy *pol = NULL;
	char err[256], *file;
	int rc = cli_policy_arg(c, "policy push", argc, argv, "FILE", &file);

	if (rc != CLI_EXIT_OK)
		return rc;
	/* The dataplane's own loader and validator: refuse early. */
	if (policy_file_load(file, &pol, err, sizeof(err)) < 0) {
		/* The loader's message names the file. */
		fprintf(stderr, "cordonctl: %s\n", err);
		return CLI_EXIT_FAILED;
	}
	if (policy_validate(pol, err, sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: %s: %s\n", file, err);
		cordon__policy__free_unpacked(pol, NULL);
		return CLI_EXIT_FAILED;
	}
	rc = cli_change(c, CORDON__MSG_TYPE__MSG_POLICY, &pol->base, file);
	cordon__policy__free_unpacked(pol, NULL);
	return rc;
}

static const struct cli_cmd cli_policy_subs[] = {
	{ "check", "FILE [--json]", "check a YAML policy (no daemon needed)",
	"Compile a YAML policy file and validate the result with the\n"
	"dataplane's validator, without a daemon. Errors are printed as\n"
	"FILE:LINE:COLUMN: message; see examples/README.md for the format.\n"
	"--json prints the compiled policy.\n"
	"Exit status: 0 valid, 1 invalid, 2 usage.",
	.run = cli_policy_check },
	{ "apply", "FILE", "make a YAML policy the next version",
	"Make a YAML policy the next version: cordond compiles it with what\n"
	"it knows of the devices, the MUD files bound to them and the\n"
	"quarantine, stores it (signed when it has a key) and hands it out.\n"
	"A file that does not compile changes nothing (exit 1).",
	.run = cli_policy_apply },
	{ "show", "[--json]", "the policy cordond hands out",
	"The policy cordond hands out (--json: all of it).",
	.ask = CLI_ASK(POLICY_GET, policy_get, POLICY, cli_policy_show) },
	{ "history", "[--last N | --all] [--before VERSION] [--json]",
	"the latest versions, newest first",
	"The latest 20 versions (--last N: N, up to 1000; --all: every one;\n"
	"--before VERSION: those older than VERSION), newest first: when, by\n"
	"whom, its rule, device and quarantine counts, whether it is signed,\n"
	"since when a dataplane has had it in force, rollbacks. A line says\n"
	"when there are more; the JSON's \"total\" counts them all.",
	.run = cli_policy_history },
	{ "diff", "FROM [TO]", "what changed in the source from FROM to TO",
	"What changed in the source from version FROM to TO (default:\n"
	"the latest), as a unified diff.", .run = cli_policy_diff },
	{ "rollback", "VERSION", "VERSION's source as a new version",
	"The source of VERSION, compiled again as a new version with\n"
	"today's devices, MUD files and quarantine.",
	.run = cli_policy_rollback },
	{ "push", "FILE", "give cordond a compiled policy",
	"Give cordond a compiled policy (a binary cordon.Policy, e.g. from\n"
	"protoc --encode=cordon.Policy). It is checked here and by cordond\n"
	"with the dataplane's own validator; connected dataplanes apply it\n"
	"at once. Its version is raised above the current one if needed.",
	.run = cli_policy_push },
	{ .name = NULL },
};

CLI_GROUP(policy, "check, apply, show, diff, history, rollback, push",
	"The policy cordond makes from YAML, stores version by version and\n"
	"hands out (docs/policy-versions.md).");
