/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl mud check|import|list|remove: MUD files (RFC 8520) bound to
 * devices. check needs no daemon.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "ctl_mud.h"
#include "ctl_pbjson.h"
#include "ctl_table.h"
#include "util_file.h"
#include "util_mac.h"

/* The context's signature policy. A status string, or NULL: refused. */
static const char *
cli_mud_check_signature(const char *file, const struct ctl_mud_context *ctx,
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

/* A rule's endpoint, in a word: "dns:NAME", "10.0.0.0/8", "local"... */
static const char *
cli_mud_endpoint(json_t *e, char *buf, size_t len)
{
	const char *k;
	json_t *v;

	json_object_foreach(e, k, v) {
		if (json_is_string(v))
			snprintf(buf, len, "%s:%s", k, json_string_value(v));
		else if (json_is_true(v))
			snprintf(buf, len, "%s", k);
		else if (json_is_object(v) && json_object_get(v, "addr"))
			snprintf(buf, len, "%s/%" JSON_INTEGER_FORMAT,
				 json_string_value(json_object_get(v, "addr")),
				 json_integer_value(
					 json_object_get(v, "prefix_len")));
		else
			continue;
		return buf;
	}
	return "any";
}

/* mud check without --json: the summary, then the rules as a table. */
static void
cli_mud_check_print(json_t *o)
{
	static const char *const head[] = {
		">ID", ">PRIO", "ACTION", ">PROTO", "PORTS", "TO", "COMMENT",
		NULL,
	};
	const char *keys[] = { "file", "mud_url", "device", "signature",
			       "aces", "duplicates", "unresolved", "widened",
			       "note", NULL };
	struct ctl_table t;
	size_t i;
	json_t *r;

	for (const char **k = keys; *k; k++) {
		json_t *v = json_object_get(o, *k);

		if (json_is_string(v))
			printf("%-11s %s\n", *k,
			       ctl_fmt_esc(json_string_value(v)));
		else if (json_is_integer(v))
			printf("%-11s %" JSON_INTEGER_FORMAT "\n", *k,
			       json_integer_value(v));
	}
	putchar('\n');
	ctl_table_init(&t, head);
	json_array_foreach(json_object_get(o, "rules"), i, r) {
		json_t *pr = json_array_get(json_object_get(r, "dst_ports"),
					    0);
		char to[300], ports[32] = "", id[24], prio[24], proto[24];
		const char *act = json_string_value(json_object_get(r,
								   "action"));
		const char *row[8];

		snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(r, "id")));
		snprintf(prio, sizeof(prio), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(r, "priority")));
		snprintf(proto, sizeof(proto), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(r, "ip_proto")));
		if (pr != NULL)
			snprintf(ports, sizeof(ports), "%" JSON_INTEGER_FORMAT
				 "-%" JSON_INTEGER_FORMAT,
				 json_integer_value(json_object_get(pr, "lo")),
				 json_integer_value(json_object_get(pr, "hi")));
		row[0] = id;
		row[1] = prio;
		row[2] = act != NULL && strncmp(act, "ACTION_", 7) == 0 ?
			act + 7 : act;
		row[3] = proto;
		row[4] = ports;
		row[5] = cli_mud_endpoint(json_object_get(r, "dst"), to,
					  sizeof(to));
		row[6] = json_string_value(json_object_get(r, "comment"));
		row[7] = NULL;
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
}

int
cli_mud_check(struct cli *c, int argc, char **argv)
{
	const char *ctxf = NULL, *macs = NULL, *sig;
	const struct cli_opt opts[] = {
		{ "--context", NULL, &ctxf, NULL },
		{ "--device", NULL, &macs, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	char *file;
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	Cordon__Policy *pol = NULL;
	uint8_t mac[6];
	char err[1024], ms[18];
	json_t *o = NULL, *rules;
	size_t k;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	rc = cli_args(c, "mud check", argc, argv, opts, &file, 1);
	if (rc != CLI_EXIT_OK)
		return rc;
	rc = CLI_EXIT_FAILED;
	if (file == NULL)
		return cli_usage_error("mud check: FILE missing");
	if (macs != NULL && cli_mac("mud check: --device", macs, mac) !=
	    CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	if (ctxf && ctl_mud_context_load(ctxf, &ctx, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return CLI_EXIT_FAILED;
	}
	sig = cli_mud_check_signature(file, &ctx, err, sizeof(err));
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
	if (c->json) {
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		cli_mud_check_print(o);
	}
	rc = CLI_EXIT_OK;
out:
	json_decref(o);
	ctl_cmp_policy_free(pol);
	ctl_mud_context_free(&ctx);
	return rc;
}

/* A blank line and the table of bindings, if any. */
static void
cli_mud_print(const Cordon__MudList *l)
{
	static const char *const head[] = {
		"DEVICE", ">VLAN", "SOURCE", "SIGNED", ">RULES",
		">UNRESOLVED", "IMPORTED (UTC)", "MUD URL", NULL,
	};
	struct ctl_table t;

	if (l->n_bindings == 0)
		return;
	putchar('\n');
	ctl_table_init(&t, head);
	for (size_t i = 0; i < l->n_bindings; i++) {
		const Cordon__MudBinding *b = l->bindings[i];
		char when[32];
		const char *row[] = {
			cli_mac_str(&b->mac), ctl_fmt_u64(b->vlan), b->source,
			b->verified ? "verified" : "no",
			ctl_fmt_u64(b->rules), ctl_fmt_u64(b->unresolved),
			cli_fmt_time(b->imported_unix_ms, when, false),
			b->mud_url,
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
}

/* "FILE: URL bound to MAC (signature verified): N rules from M ACEs" */
static int
cli_mud_import_show(const void *reply, const void *req)
{
	const Cordon__MudImport *im = req;
	const Cordon__MudList *l = reply;
	const Cordon__MudBinding *b;

	if (l->n_bindings != 1)
		return CLI_EXIT_OK;
	b = l->bindings[0];
	printf("%s: %s bound to %s (%s): %u rules from %u ACEs", im->name,
	       b->mud_url, cli_mac_str(&im->mac), b->verified ?
	       "signature verified" : "unsigned", b->rules, b->aces);
	if (b->unresolved > 0)
		printf(", %u ACEs without context", b->unresolved);
	if (b->widened > 0)
		printf(", %u widened", b->widened);
	printf("\n");
	if (b->note[0])
		printf("  note: %s\n", b->note);
	if (l->policy_version != 0)
		printf("policy %" PRIu64 " in force; dataplanes pick it up "
		       "now\n", l->policy_version);
	else
		printf("recorded; it applies with the first policy\n");
	return CLI_EXIT_OK;
}

static int
cli_mud_import(struct cli *c, int argc, char **argv)
{
	Cordon__MudImport im = CORDON__MUD_IMPORT__INIT;
	const char *mac_s = NULL, *vlan_s = NULL;
	const struct cli_opt opts[] = {
		{ "--device", NULL, &mac_s, NULL },
		{ "--vlan", NULL, &vlan_s, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	char *file, *text, *sig = NULL;
	char sig_path[PATH_MAX], err[PATH_MAX + 64];
	uint64_t vlan = 0;
	uint8_t mac[6];
	size_t len = 0, sig_len = 0;
	int rc;

	rc = cli_args(c, "mud import", argc, argv, opts, &file, 1);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (file == NULL)
		return cli_usage_error("mud import: FILE missing");
	if (mac_s == NULL || util_mac_parse(mac_s, mac) < 0 || (mac[0] & 1))
		return cli_usage_error("mud import: --device takes a unicast "
				       "MAC as aa:bb:cc:dd:ee:ff");
	if (vlan_s != NULL && (cli_u64(vlan_s, &vlan) < 0 || vlan > 4095))
		return cli_usage_error("mud import: --vlan takes 0..4095");
	if (util_file_read(file, CLI_FILE_MAX, &text, &len, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: %s\n", err);
		return CLI_EXIT_FAILED;
	}
	if (strlen(text) != len) {
		fprintf(stderr, "cordonctl: %s: not a text file (NUL byte)\n",
			file);
		free(text);
		return CLI_EXIT_FAILED;
	}
	if (snprintf(sig_path, sizeof(sig_path), "%s.p7s", file) <
	    (int)sizeof(sig_path) && access(sig_path, F_OK) == 0) {
		if (util_file_read(sig_path, CLI_FILE_MAX, &sig, &sig_len, err,
				  sizeof(err)) < 0) {
			fprintf(stderr, "cordonctl: %s\n", err);
			free(text);
			return CLI_EXIT_FAILED;
		}
	}
	im.mac.data = mac;
	im.mac.len = 6;
	im.vlan = (uint32_t)vlan;
	im.file = text;
	im.signature.data = (uint8_t *)sig;
	im.signature.len = sig_len;
	im.name = file;
	im.by = (char *)"cordonctl";
	rc = cli_query(c, CORDON__MSG_TYPE__MSG_MUD_IMPORT, &im.base,
		       CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY,
		       cli_mud_import_show);
	free(text);
	free(sig);
	return rc;
}

static int
cli_mud_list_show(const void *reply, const void *req)
{
	const Cordon__MudList *l = reply;

	(void)req;
	printf("%zu device%s with a MUD file\n", l->n_bindings,
	       l->n_bindings == 1 ? "" : "s");
	cli_mud_print(l);
	return CLI_EXIT_OK;
}

static int
cli_mud_remove(struct cli *c, int argc, char **argv)
{
	Cordon__MudRemove r = CORDON__MUD_REMOVE__INIT;
	char *mac_s = NULL;
	uint8_t mac[6];
	int rc;

	rc = cli_mac_arg(c, "mud remove", argc, argv, NULL, &mac_s, mac,
			 &r.mac);
	if (rc != CLI_EXIT_OK)
		return rc;
	r.by = (char *)"cordonctl";
	return cli_change(c, CORDON__MSG_TYPE__MSG_MUD_REMOVE, &r.base, mac_s);
}

static const struct cli_cmd cli_mud_subs[] = {
	{ "check", "FILE [--context CTX.yaml] [--device MAC]",
	"its rules, compiled here (no daemon needed)",
	"Compile a MUD file (RFC 8520) and print, as JSON, the Cordon rules\n"
	"it becomes, without a daemon. The context (see examples/README.md)\n"
	"gives the local networks, controllers, my-controller, DNS names,\n"
	"known peers and signature trust anchors. If it names a CA file,\n"
	"FILE.p7s must be a valid detached CMS signature (unless\n"
	"accept-unsigned and there is no .p7s).\n"
	"Exit status: 0 valid, 1 invalid, 2 usage.",
	.run = cli_mud_check },
	{ "import", "FILE --device MAC [--vlan N] [--json]",
	"bind a MUD file to a device",
	"Bind a MUD file to a device: cordond checks its signature\n"
	"(FILE.p7s is sent along when it exists; see cordond --mud-ca,\n"
	"--mud-accept-unsigned), compiles it in its MUD context, stores it\n"
	"and makes a new policy version with its rules. A file that does\n"
	"not parse or verify is refused: nothing is stored or applied, and\n"
	"the exit code is 1. A new import for the same MAC replaces the\n"
	"earlier one.", .run = cli_mud_import },
	{ "list", "[--json]", "devices with a MUD file",
	"Every device with a MUD file: its MUD URL, where it came from (cli,\n"
	"or the URL the device announced by dhcp, dhcpv6, lldp), whether\n"
	"its signature was verified, and the rules it makes.",
	.ask = CLI_ASK(MUD_LIST, mud_list_request, MUD_LIST_REPLY,
		       cli_mud_list_show) },
	{ "remove", "MAC [--json]", "unbind a device's MUD file",
	"Unbind a device's MUD file: a new policy version without its\n"
	"rules.", .run = cli_mud_remove },
	{ .name = NULL },
};

CLI_GROUP(mud, "check, import, list, remove MUD files",
	"MUD files (RFC 8520) bound to devices: each becomes rules of the\n"
	"next policy version. Exit codes: 0 success, 1 refused or failed,\n"
	"2 usage, 3 cordond unreachable.");
