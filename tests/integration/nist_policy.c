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

#include "mud_nist.h"

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

static int
np_compile(const char *testdata, const char *dir, const char *out,
	   int dns_names)
{
	const struct nist_test *nt = np_find(dir);
	char tdir[4096], path[8192], err[1024];
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	Cordon__Policy *p;
	struct host dev;
	int ret;

	if (nt == NULL) {
		fprintf(stderr, "nist_policy: no test %s\n", dir);
		return 1;
	}
	snprintf(tdir, sizeof(tdir), "%s/mud/nist-mud/%s", testdata, dir);
	snprintf(path, sizeof(path), "%s/%s", tdir, nt->mudfile);
	nist_context(tdir, &ctx);
	np_names(&ctx, dns_names);
	if (nt->extra_class) {
		struct ctl_cidr a;

		assert_int_equal(ctl_cmp_parse_cidr(nt->extra_addr, 0, &a), 0);
		assert_int_equal(ctl_mud_context_add_addrs(&ctx.controllers,
			&ctx.n_controllers, nt->extra_class, &a, 1), 0);
	}
	/* A lab device looks names up (h5, the mud:dns controller). */
	ctx.allow_dns = 1;
	mkhost(1, nt->macs, &dev);
	p = lan_policy(&ctx);
	p->version = 1;
	memset(&res, 0, sizeof(res));
	if (ctl_mud_compile_file(path, &ctx, dev.mac, 100, p, &res, err,
			sizeof(err))) {
		fprintf(stderr, "nist_policy: %s\n", err);
		ret = 1;
		goto out;
	}
	ret = np_write(p, out);
	if (ret < 0) {
		fprintf(stderr, "nist_policy: %s: %s\n", out, strerror(-ret));
		ret = 1;
		goto out;
	}
	printf("%s: %u ACEs, %u rules, %u unresolved%s%s\n", dir, res.n_aces,
		res.n_rules, res.n_unresolved, res.note[0] ? ": " : "",
		res.note);
out:
	ctl_cmp_policy_free(p);
	ctl_mud_context_free(&ctx);
	return ret;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return np_list();
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "compile") == 0 &&
	    (argc == 5 || strcmp(argv[5], "--dns-names") == 0))
		return np_compile(argv[2], argv[3], argv[4], argc == 6);
	fprintf(stderr, "usage: nist_policy list\n"
		"       nist_policy compile TESTDATA TEST OUT [--dns-names]\n");
	return 2;
}
