/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The nist-mud lab of tests/control/mud_nist.h, for test_nist_mud.py:
 *
 *   nist_policy list
 *       the hosts and traffic cases of every test, as JSON
 *   nist_policy compile TESTDATA TEST OUT [--dns-names]
 *       TEST's MUD file compiled by the real compiler (ctl_mud) for h1,
 *       inside the LAN policy the classifier tests use, written to OUT as
 *       the binary cordon.Policy that cordon-dataplane --policy loads.
 *       Names in the MUD file are resolved statically from mud_nist.h's
 *       table, unless --dns-names: then the compiler sees no table and the
 *       dataplane has to learn the names from the DNS answers it carries.
 *   nist_policy context TESTDATA TEST OUT.yaml [--dns-names]
 *       the same context as MUD context YAML (examples/README.md), for
 *       cordond --mud-context and `cordonctl mud import FILE --device MAC`;
 *       checked here: compiled through the YAML, the policy is the same,
 *       byte for byte.
 *   nist_policy json TESTDATA TEST [--dns-names]
 *       the compiled policy as JSON on stdout, rendered as `cordonctl
 *       --json policy show` renders cordond's, to compare the two.
 *
 * The MUD rules come at cordond's priority (CTL_STATE_MUD_PRIORITY), so
 * that cordond, importing the same file in the same context into the
 * same LAN policy, makes the same rules.
 *
 * One table, so the namespace lab and the classifier tests cannot drift
 * apart. mud_nist.h speaks cmocka's assert macros; here a failed one ends
 * the program with a message instead.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NP_FAIL(what) do { \
		fprintf(stderr, "nist_policy: %s:%d: %s\n", __FILE__, \
			__LINE__, what); \
		exit(1); \
	} while (0)
#define assert_non_null(x) do { if ((x) == NULL) NP_FAIL(#x); } while (0)
#define assert_int_equal(a, b) do { \
		if ((long long)(a) != (long long)(b)) \
			NP_FAIL(#a " != " #b); \
	} while (0)
#define assert_true(x) do { if (!(x)) NP_FAIL(#x); } while (0)

#include "ctl_pbjson.h"
#include "ctl_state.h"
#include "mud_nist.h"
#include "util_mac.h"

#define NP_N_TESTS (sizeof(nist_tests) / sizeof(nist_tests[0]))

static const int np_ext_ids[] = { NIST, ANTD, GOV, EXT13, ROUTER };
static const char *const np_ext_names[] = {
	"NIST", "ANTD", "GOV", "EXT13", "ROUTER",
};

static const char *
np_host_name(int id, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(np_ext_ids) / sizeof(np_ext_ids[0]); i++)
		if (np_ext_ids[i] == id)
			return np_ext_names[i];
	snprintf(buf, len, "h%d", id);
	return buf;
}

static void
np_print_host(int id, const uint8_t macs[10], int first)
{
	char name[16], ip[INET_ADDRSTRLEN];
	struct host h;

	mkhost(id, macs, &h);
	inet_ntop(AF_INET, h.ip, ip, sizeof(ip));
	printf("%s\"%s\": {\"mac\": \"%02x:%02x:%02x:%02x:%02x:%02x\", "
		"\"ip\": \"%s\", \"mud\": %s}", first ? "" : ", ",
		np_host_name(id, name, sizeof(name)), h.mac[0], h.mac[1],
		h.mac[2], h.mac[3], h.mac[4], h.mac[5], ip,
		id < 10 && macs[id] ? "true" : "false");
}

/* JSON on stdout; the strings are ours, none needs escaping. */
static int
np_list(void)
{
	size_t t, k;
	int id;

	printf("{\"dns\": {");
	for (k = 0; k < sizeof(dns_table) / sizeof(dns_table[0]); k++)
		printf("%s\"%s\": \"%s\"", k ? ", " : "", dns_table[k].name,
			dns_table[k].ip);
	printf("},\n \"tests\": [\n");
	for (t = 0; t < NP_N_TESTS; t++) {
		const struct nist_test *nt = &nist_tests[t];
		const struct nist_case *c;
		char a[16], b[16];

		printf("  {\"dir\": \"%s\", \"mudfile\": \"%s\",\n"
			"   \"hosts\": {", nt->dir, nt->mudfile);
		for (id = 1; id < 10; id++)
			np_print_host(id, nt->macs, id == 1);
		for (k = 0; k < sizeof(np_ext_ids) / sizeof(np_ext_ids[0]);
				k++)
			np_print_host(np_ext_ids[k], nt->macs, 0);
		printf("},\n   \"cases\": [");
		for (c = nt->cases; c->what; c++)
			printf("%s\n    {\"what\": \"%s\", \"from\": \"%s\", "
				"\"to\": \"%s\", \"proto\": %u, \"port\": %u, "
				"\"allow\": %s}", c == nt->cases ? "" : ",",
				c->what, np_host_name(c->from, a, sizeof(a)),
				np_host_name(c->to, b, sizeof(b)), c->proto,
				c->port, c->allow ? "true" : "false");
		printf("]}%s\n", t + 1 < NP_N_TESTS ? "," : "");
	}
	printf(" ]}\n");
	return 0;
}

static const struct nist_test *
np_find(const char *dir)
{
	size_t t;

	for (t = 0; t < NP_N_TESTS; t++)
		if (strcmp(nist_tests[t].dir, dir) == 0)
			return &nist_tests[t];
	return NULL;
}

/* What the compiler knows of names: the static table, or nothing. */
static void
np_names(struct ctl_mud_context *ctx, int dns_names)
{
	size_t k;

	if (dns_names)
		return;
	for (k = 0; k < sizeof(dns_table) / sizeof(dns_table[0]); k++) {
		struct ctl_cidr a;

		assert_int_equal(ctl_cmp_parse_cidr(dns_table[k].ip, 0, &a), 0);
		assert_int_equal(ctl_mud_context_add_addrs(&ctx->dns,
			&ctx->n_dns, dns_table[k].name, &a, 1), 0);
	}
}

static int
np_write(const Cordon__Policy *p, const char *out)
{
	size_t len = cordon__policy__get_packed_size(p);
	uint8_t *buf = malloc(len ? len : 1);
	FILE *f;
	int ret = 0;

	if (buf == NULL)
		return -ENOMEM;
	cordon__policy__pack(p, buf);
	f = fopen(out, "wb");
	if (f == NULL) {
		ret = -errno;
		goto out_free;
	}
	if (fwrite(buf, 1, len, f) != len)
		ret = -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
out_free:
	free(buf);
	return ret;
}

/* TEST's context, as the classifier tests build it; 0 or 1 (no test). */
static int
np_context(const char *testdata, const struct nist_test *nt, int dns_names,
	   struct ctl_mud_context *ctx)
{
	char tdir[4096];
	struct host dev;

	snprintf(tdir, sizeof(tdir), "%s/mud/nist-mud/%s", testdata, nt->dir);
	nist_context(tdir, nt, ctx);
	np_names(ctx, dns_names);
	/* A lab device looks names up (h5, the mud:dns controller). */
	ctx->allow_dns = 1;
	mkhost(1, nt->macs, &dev);
	memcpy(ctx->device_mac, dev.mac, 6);
	ctx->has_mac = 1;
	return 0;
}

/* h1's MUD rules in the LAN policy; NULL (and a message) on error. */
static Cordon__Policy *
np_policy(const char *testdata, const struct nist_test *nt,
	  const struct ctl_mud_context *ctx, struct ctl_mud_result *res)
{
	char path[8192], err[1024];
	Cordon__Policy *p;

	snprintf(path, sizeof(path), "%s/mud/nist-mud/%s/%s", testdata,
		nt->dir, nt->mudfile);
	p = lan_policy(ctx);
	p->version = 1;
	memset(res, 0, sizeof(*res));
	if (ctl_mud_compile_file(path, ctx, NULL, CTL_STATE_MUD_PRIORITY, p,
			res, err, sizeof(err))) {
		fprintf(stderr, "nist_policy: %s\n", err);
		ctl_cmp_policy_free(p);
		return NULL;
	}
	return p;
}

static int
np_compile(const char *testdata, const char *dir, const char *out,
	   int dns_names)
{
	const struct nist_test *nt = np_find(dir);
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	Cordon__Policy *p;
	int ret;

	if (nt == NULL) {
		fprintf(stderr, "nist_policy: no test %s\n", dir);
		return 1;
	}
	np_context(testdata, nt, dns_names, &ctx);
	p = np_policy(testdata, nt, &ctx, &res);
	ret = p ? np_write(p, out) : 1;
	if (ret < 0) {
		fprintf(stderr, "nist_policy: %s: %s\n", out, strerror(-ret));
		ret = 1;
	} else if (ret == 0) {
		printf("%s: %u ACEs, %u rules, %u unresolved%s%s\n", dir,
			res.n_aces, res.n_rules, res.n_unresolved,
			res.note[0] ? ": " : "", res.note);
	}
	ctl_cmp_policy_free(p);
	ctl_mud_context_free(&ctx);
	return ret;
}

static int
np_json(const char *testdata, const char *dir, int dns_names)
{
	const struct nist_test *nt = np_find(dir);
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	Cordon__Policy *p;
	json_t *j = NULL;
	int ret = 1;

	if (nt == NULL) {
		fprintf(stderr, "nist_policy: no test %s\n", dir);
		return 1;
	}
	np_context(testdata, nt, dns_names, &ctx);
	p = np_policy(testdata, nt, &ctx, &res);
	if (p != NULL)
		j = ctl_pbjson(&p->base);
	if (j != NULL && json_dumpf(j, stdout, JSON_INDENT(2)) == 0) {
		printf("\n");
		ret = 0;
	}
	json_decref(j);
	ctl_cmp_policy_free(p);
	ctl_mud_context_free(&ctx);
	return ret;
}

static void
np_yaml_cidrs(FILE *f, const struct ctl_cidr *c, size_t n)
{
	char ip[INET6_ADDRSTRLEN];
	size_t i;

	fprintf(f, "[");
	for (i = 0; i < n; i++) {
		inet_ntop(c[i].family == 6 ? AF_INET6 : AF_INET, c[i].addr, ip,
			sizeof(ip));
		fprintf(f, "%s%s/%u", i ? ", " : "", ip, c[i].plen);
	}
	fprintf(f, "]");
}

static void
np_yaml_addrs(FILE *f, const char *key, const char *name,
	      const struct ctl_mud_addrs *a, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	fprintf(f, "%s:\n", key);
	for (i = 0; i < n; i++) {
		fprintf(f, "  - %s: \"%s\"\n    addresses: ", name, a[i].key);
		np_yaml_cidrs(f, a[i].addrs, a[i].n_addrs);
		fprintf(f, "\n");
	}
}

static int
np_yaml_write(const struct ctl_mud_context *ctx, const char *dir,
	      const char *out)
{
	char mac[18];
	size_t i;
	FILE *f = fopen(out, "w");

	if (f == NULL)
		return -errno;
	util_mac_format(ctx->device_mac, mac);
	fprintf(f, "# nist-mud %s for h1, written by nist_policy\n"
		"device:\n  mac: %s\n", dir, mac);
	if (ctx->mud_url)
		fprintf(f, "  mud-url: \"%s\"\n", ctx->mud_url);
	if (ctx->authority)
		fprintf(f, "  manufacturer: \"%s\"\n", ctx->authority);
	fprintf(f, "local-networks: ");
	np_yaml_cidrs(f, ctx->local_nets, ctx->n_local_nets);
	fprintf(f, "\n");
	if (ctx->n_my_controllers) {
		fprintf(f, "my-controller: ");
		np_yaml_cidrs(f, ctx->my_controllers, ctx->n_my_controllers);
		fprintf(f, "\n");
	}
	np_yaml_addrs(f, "controllers", "uri", ctx->controllers,
		ctx->n_controllers);
	np_yaml_addrs(f, "dns", "name", ctx->dns, ctx->n_dns);
	if (ctx->n_peers)
		fprintf(f, "peers:\n");
	for (i = 0; i < ctx->n_peers; i++) {
		util_mac_format(ctx->peers[i].mac, mac);
		fprintf(f, "  - mac: %s\n    mud-url: \"%s\"\n", mac,
			ctx->peers[i].mud_url);
	}
	fprintf(f, "allow-dns: %s\ndefault-deny: %s\n",
		ctx->allow_dns ? "true" : "false",
		ctx->no_default_deny ? "false" : "true");
	return fclose(f) ? -errno : 0;
}

static int
np_same(const Cordon__Policy *a, const Cordon__Policy *b)
{
	size_t la = cordon__policy__get_packed_size(a);
	size_t lb = cordon__policy__get_packed_size(b);
	uint8_t *ba = malloc(la + 1), *bb = malloc(lb + 1);
	int same = 0;

	if (ba && bb && la == lb) {
		cordon__policy__pack(a, ba);
		cordon__policy__pack(b, bb);
		same = memcmp(ba, bb, la) == 0;
	}
	free(ba);
	free(bb);
	return same;
}

static int
np_context_yaml(const char *testdata, const char *dir, const char *out,
		int dns_names)
{
	const struct nist_test *nt = np_find(dir);
	struct ctl_mud_context ctx, back;
	struct ctl_mud_result res;
	Cordon__Policy *p = NULL, *q = NULL;
	char err[1024];
	int ret = 1;

	if (nt == NULL) {
		fprintf(stderr, "nist_policy: no test %s\n", dir);
		return 1;
	}
	np_context(testdata, nt, dns_names, &ctx);
	memset(&back, 0, sizeof(back));
	if (np_yaml_write(&ctx, dir, out) < 0) {
		fprintf(stderr, "nist_policy: %s: %s\n", out, strerror(errno));
		goto out;
	}
	if (ctl_mud_context_load(out, &back, err, sizeof(err))) {
		fprintf(stderr, "nist_policy: %s\n", err);
		goto out;
	}
	p = np_policy(testdata, nt, &ctx, &res);
	q = np_policy(testdata, nt, &back, &res);
	if (p == NULL || q == NULL)
		goto out;
	if (!np_same(p, q)) {
		fprintf(stderr, "nist_policy: %s compiles to another policy "
			"than the context it was written from\n", out);
		goto out;
	}
	ret = 0;
out:
	ctl_cmp_policy_free(p);
	ctl_cmp_policy_free(q);
	ctl_mud_context_free(&ctx);
	ctl_mud_context_free(&back);
	return ret;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return np_list();
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "json") == 0 &&
	    (argc == 4 || strcmp(argv[4], "--dns-names") == 0))
		return np_json(argv[2], argv[3], argc == 5);
	if ((argc == 5 || argc == 6) &&
	    (argc == 5 || strcmp(argv[5], "--dns-names") == 0)) {
		if (strcmp(argv[1], "compile") == 0)
			return np_compile(argv[2], argv[3], argv[4], argc == 6);
		if (strcmp(argv[1], "context") == 0)
			return np_context_yaml(argv[2], argv[3], argv[4],
				argc == 6);
	}
	fprintf(stderr, "usage: nist_policy list\n"
		"       nist_policy compile TESTDATA TEST OUT [--dns-names]\n"
		"       nist_policy context TESTDATA TEST OUT.yaml "
		"[--dns-names]\n"
		"       nist_policy json TESTDATA TEST [--dns-names]\n");
	return 2;
}
