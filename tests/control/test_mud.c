/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The MUD compiler. Arguments: the source root and the peer test data
 * directory (../shared/test_data_dir).
 *
 * The NIST cases compile each test's MUD file with a context built from
 * nist-mud's own files (controllerclass-mapping.json: controller classes
 * and local networks; device-association*.json: MAC -> MUD URL, which
 * gives the same-manufacturer / manufacturer / model peers) and evaluate
 * the traffic of EXPECTATIONS.txt with a reference evaluator that follows
 * the proto's "Compiled policy" comment. The lab was 10.0.0.0/24 with
 * hN = 10.0.0.N and h1 the MUD device; hosts outside any association are
 * plain LAN hosts whose segment allows by default, as in the lab.
 */

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli.h"
#include "ctl_compile.h"
#include "ctl_mud.h"
#include "policy_validate.h"
#include "test_main.h"
#include "util_file.h"

static struct cli cli = { .timeout_ms = 1000 };

#include "mud_nist.h"
#include "mud_luminaire.h"
#include "cli_cases.h"

/* A whole file, NUL-terminated; NULL if it cannot be read. */
static char *
read_text(const char *path, size_t *lenp)
{
	char err[512], *buf = NULL;
	size_t len = 0;

	if (lenp)
		*lenp = 0;
	if (util_file_read(path, CTL_MUD_FILE_MAX, &buf, &len, err,
			  sizeof(err)) < 0)
		return NULL;
	if (lenp)
		*lenp = len;
	return buf;
}


static void
expect_cidr_rule(const Cordon__Rule *r, const uint8_t mac[6],
		const char *addr, uint32_t plen, uint32_t proto, uint32_t port,
		Cordon__Initiator ini)
{
	uint8_t a[4];

	assert_int_equal(r->src->kind_case, CORDON__ENDPOINT__KIND_DEVICE);
	assert_memory_equal(r->src->device.data, mac, 6);
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_CIDR);
	assert_int_equal(inet_pton(AF_INET, addr, a), 1);
	assert_int_equal(r->dst->cidr->addr.len, 4);
	assert_memory_equal(r->dst->cidr->addr.data, a, 4);
	assert_int_equal(r->dst->cidr->prefix_len, plen);
	assert_int_equal(r->ip_proto, proto);
	assert_int_equal(r->n_dst_ports, 1);
	assert_int_equal(r->dst_ports[0]->lo, port);
	assert_int_equal(r->dst_ports[0]->hi, port);
	assert_int_equal(r->action, CORDON__ACTION__ACTION_ALLOW);
	assert_int_equal(r->initiator, ini);
}

/* cisco-luminaire/EXPECTATIONS.txt, rules 10..41. */
static void
test_luminaire(void **state)
{
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	Cordon__Policy *p;
	char path[4096], err[1024];
	const Cordon__Rule *r;

	(void)state;
	p = luminaire_policy(&ctx, &res, path);
	assert_true(ctx.has_mac);
	assert_int_equal(ctx.n_local_nets, 1);
	assert_string_equal(res.mud_url,
		"https://luminaire.example.com/Luminaire_150");
	assert_int_equal(res.n_aces, 6);
	/* The to-device ACL mirrors the from-device one. */
	assert_int_equal(res.n_duplicates, 3);
	assert_int_equal(res.n_unresolved, 0);
	assert_int_equal(p->n_rules, 5);
	/* 10: tcp to fw-update (172.12.212.10) 443, device-initiated */
	expect_cidr_rule(p->rules[0], ctx.device_mac, "172.12.212.10", 32, 6,
		443, CORDON__INITIATOR__INITIATOR_SRC);
	/* 20: udp to my-controller 10.1.1.4 port 5684 */
	expect_cidr_rule(p->rules[1], ctx.device_mac, "10.1.1.4", 32, 17,
		5684, CORDON__INITIATOR__INITIATOR_SRC);
	/* 30: udp to local-networks 10.1.1.0/24 port 5683 */
	expect_cidr_rule(p->rules[2], ctx.device_mac, "10.1.1.0", 24, 17,
		5683, CORDON__INITIATOR__INITIATOR_SRC);
	/* 40: udp to any port 53 */
	r = p->rules[3];
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_ANY);
	assert_int_equal(r->ip_proto, 17);
	assert_int_equal(r->dst_ports[0]->lo, 53);
	assert_int_equal(r->action, CORDON__ACTION__ACTION_ALLOW);
	assert_true(r->priority > p->rules[2]->priority);
	/* 41: deny ip any any */
	r = p->rules[4];
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_ANY);
	assert_int_equal(r->ip_proto, 0);
	assert_int_equal(r->n_dst_ports, 0);
	assert_int_equal(r->action, CORDON__ACTION__ACTION_DENY);
	assert_int_equal(r->initiator, CORDON__INITIATOR__INITIATOR_EITHER);
	assert_int_equal(policy_validate(p, err, sizeof(err)), 0);

	/* Re-import: the old rules go, other rules stay, ids stay unique. */
	{
		static const uint8_t other[6] = { 2, 0, 0, 0, 0, 7 };

		assert_non_null(ctl_cmp_add_rule(p, ctl_cmp_ep_device(other),
			ctl_cmp_ep_any(), 0, NULL, 0,
			CORDON__ACTION__ACTION_DENY,
			CORDON__INITIATOR__INITIATOR_SRC, 5, "mud other"));
		assert_int_equal(ctl_mud_remove_rules(p, ctx.device_mac), 5);
		assert_int_equal(p->n_rules, 1);
		assert_int_equal(p->rules[0]->id, 6);
		assert_int_equal(ctl_mud_compile_file(path, &ctx, NULL, 100, p,
			&res, err, sizeof(err)), 0);
		assert_int_equal(p->n_rules, 6);
		assert_int_equal(p->rules[1]->id, 7);
		assert_int_equal(policy_validate(p, err, sizeof(err)), 0);
		assert_int_equal(ctl_mud_remove_rules(p, ctx.device_mac), 5);
		assert_int_equal(ctl_mud_remove_rules(p, ctx.device_mac), 0);
	}
	ctl_cmp_policy_free(p);

	/* Without static DNS the name stays a name. */
	p = lan_policy(NULL);
	free(ctx.dns[0].key);
	ctx.dns[0].key = strdup("other.example");
	assert_int_equal(ctl_mud_compile_file(path, &ctx, NULL, 100, p, &res,
		err, sizeof(err)), 0);
	assert_int_equal(p->rules[0]->dst->kind_case,
		CORDON__ENDPOINT__KIND_DNS_NAME);
	assert_string_equal(p->rules[0]->dst->dns_name,
		"fw-update.luminaire.example.com");
	assert_int_equal(policy_validate(p, err, sizeof(err)), 0);
	ctl_cmp_policy_free(p);
	ctl_mud_context_free(&ctx);
}

static int n_mud_ok, n_other_failed;

static void
walk(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[4096], err[1024];
		struct stat sb;
		Cordon__Policy *p;
		struct ctl_mud_result res;
		char *text;
		size_t len;
		int r, is_mud;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(stat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode)) {
			walk(path);
			continue;
		}
		text = read_text(path, &len);
		assert_non_null(text);
		is_mud = strstr(text, "\"ietf-mud:mud\"") != NULL;
		free(text);
		p = lan_policy(NULL);
		r = ctl_mud_compile_file(path, NULL, NULL, 100, p, &res, err,
			sizeof(err));
		if (is_mud) {
			if (r)
				fail_msg("%s", err);
			assert_true(res.n_aces > 0);
			assert_true(p->n_rules >= 1);
			assert_int_equal(policy_validate(p, err, sizeof(err)),
				0);
			n_mud_ok++;
			printf("  imported %-70s %2u aces, %2zu rules\n",
				path + strlen(test_data_dir) + 1, res.n_aces,
				p->n_rules);
		} else {
			assert_int_equal(r, -EINVAL);
			/* the message names the file */
			assert_int_equal(strncmp(err, path, strlen(path)), 0);
			assert_int_equal(p->n_rules, 0);
			n_other_failed++;
			printf("  refused  %s\n", err + strlen(test_data_dir) + 1);
		}
		ctl_cmp_policy_free(p);
	}
	closedir(d);
}

static void
test_all_shared_files(void **state)
{
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/mud", test_data_dir);
	walk(dir);
	printf("shared MUD data: %d MUD files imported, %d other files "
		"refused with a clear error\n", n_mud_ok, n_other_failed);
	assert_int_equal(n_mud_ok, 21);
	assert_true(n_other_failed > 0);
}

/* --- NIST ------------------------------------------------------------- */

static int
in_cidr(const uint8_t ip[4], const Cordon__Cidr *c)
{
	uint32_t a, b, m;

	if (c->addr.len != 4)
		return 0;
	memcpy(&a, ip, 4);
	memcpy(&b, c->addr.data, 4);
	m = c->prefix_len ? htonl(~0u << (32 - c->prefix_len)) : 0;
	return (a & m) == (b & m);
}

static int
is_local(const Cordon__Policy *p, const uint8_t ip[4])
{
	size_t i;

	for (i = 0; i < p->n_local_networks; i++)
		if (in_cidr(ip, p->local_networks[i]))
			return 1;
	return 0;
}

static uint32_t
segment_of(const Cordon__Policy *p, const struct host *h)
{
	size_t i;

	for (i = 0; i < p->n_devices; i++)
		if (!memcmp(p->devices[i]->mac.data, h->mac, 6))
			return p->devices[i]->segment ?
				p->devices[i]->segment : p->default_segment;
	return p->default_segment;
}

static int
ep_match(const Cordon__Policy *p, const Cordon__Endpoint *e,
		const struct host *h)
{
	uint8_t a[4];
	size_t i;

	switch (e->kind_case) {
	case CORDON__ENDPOINT__KIND_ANY:
		return 1;
	case CORDON__ENDPOINT__KIND_DEVICE:
		return !memcmp(e->device.data, h->mac, 6);
	case CORDON__ENDPOINT__KIND_CIDR:
		return in_cidr(h->ip, e->cidr);
	case CORDON__ENDPOINT__KIND_LOCAL:
		return is_local(p, h->ip);
	case CORDON__ENDPOINT__KIND_INTERNET:
		return !is_local(p, h->ip);
	case CORDON__ENDPOINT__KIND_SEGMENT:
		return segment_of(p, h) == e->segment;
	case CORDON__ENDPOINT__KIND_DNS_NAME:
		for (i = 0; i < sizeof(dns_table) / sizeof(dns_table[0]); i++)
			if (!strcmp(dns_table[i].name, e->dns_name) &&
					inet_pton(AF_INET, dns_table[i].ip,
						a) == 1 &&
					!memcmp(a, h->ip, 4))
				return 1;
		return 0;
	default:
		fail_msg("endpoint kind %d", e->kind_case);
	}
	return 0;
}

/* First match in (priority, file order), else the initiator's default. */
static Cordon__Action
evaluate(const Cordon__Policy *p, const struct host *ini,
		const struct host *resp, uint32_t proto, uint32_t port,
		const Cordon__Rule **hit)
{
	const Cordon__Rule *best = NULL;
	size_t i, j;
	uint32_t seg;

	for (i = 0; i < p->n_rules; i++) {
		const Cordon__Rule *r = p->rules[i];
		int m = 0, pm = r->n_dst_ports == 0;

		if (best && r->priority >= best->priority)
			continue;
		if (r->ip_proto && r->ip_proto != proto)
			continue;
		for (j = 0; j < r->n_dst_ports; j++)
			if (port >= r->dst_ports[j]->lo &&
					port <= r->dst_ports[j]->hi)
				pm = 1;
		if (!pm)
			continue;
		if (r->initiator != CORDON__INITIATOR__INITIATOR_DST)
			m |= ep_match(p, r->src, ini) &&
				ep_match(p, r->dst, resp);
		if (r->initiator != CORDON__INITIATOR__INITIATOR_SRC)
			m |= ep_match(p, r->dst, ini) &&
				ep_match(p, r->src, resp);
		if (m)
			best = r;
	}
	*hit = best;
	if (best)
		return best->action;
	seg = segment_of(p, ini);
	for (i = 0; i < p->n_segments; i++)
		if (p->segments[i]->id == seg)
			return p->segments[i]->default_action;
	return CORDON__ACTION__ACTION_DENY;
}

static void
test_nist(void **state)
{
	size_t t;
	int n_cases = 0;

	(void)state;
	for (t = 0; t < sizeof(nist_tests) / sizeof(nist_tests[0]); t++) {
		const struct nist_test *nt = &nist_tests[t];
		struct ctl_mud_context ctx;
		struct ctl_mud_result res;
		char dir[4096], path[8192], err[1024];
		Cordon__Policy *p;
		struct host dev;
		const struct nist_case *c;

		snprintf(dir, sizeof(dir), "%s/mud/nist-mud/%s", test_data_dir,
			nt->dir);
		snprintf(path, sizeof(path), "%s/%s", dir, nt->mudfile);
		nist_context(dir, nt, &ctx);
		mkhost(1, nt->macs, &dev);
		p = lan_policy(&ctx);
		if (ctl_mud_compile_file(path, &ctx, dev.mac, 100, p, &res,
				err, sizeof(err)))
			fail_msg("%s", err);
		if (policy_validate(p, err, sizeof(err)))
			fail_msg("%s: %s", nt->dir, err);
		assert_int_equal(res.n_unresolved, 0);
		for (c = nt->cases; c->what; c++) {
			struct host a, b;
			const Cordon__Rule *hit;
			Cordon__Action act;

			mkhost(c->from, nt->macs, &a);
			mkhost(c->to, nt->macs, &b);
			act = evaluate(p, &a, &b, c->proto, c->port, &hit);
			if ((act == CORDON__ACTION__ACTION_ALLOW) != c->allow)
				fail_msg("%s %s: %s, want %s (rule %s)",
					nt->dir, c->what,
					act ? "allowed" : "denied",
					c->allow ? "allow" : "deny",
					hit ? hit->comment : "none");
			n_cases++;
		}
		ctl_cmp_policy_free(p);
		ctl_mud_context_free(&ctx);
	}
	printf("NIST: %zu tests, %d traffic cases as expected\n",
		sizeof(nist_tests) / sizeof(nist_tests[0]), n_cases);
}

/* --- malformed input -------------------------------------------------- */

static int
compile_text(const char *text, size_t len, char *err, size_t errlen,
		Cordon__Policy **pp)
{
	Cordon__Policy *p = lan_policy(NULL);
	int r = ctl_mud_compile(text, len, "bad.json", NULL, NULL, 100, p,
		NULL, err, errlen);

	if (r)
		assert_int_equal(p->n_rules, 0);	/* nothing produced */
	if (pp)
		*pp = p;
	else
		ctl_cmp_policy_free(p);
	return r;
}

#define ACL_HEAD "{\"ietf-mud:mud\":{\"mud-url\":\"https://x.example/m\"," \
	"\"from-device-policy\":{\"access-lists\":{\"access-list\":" \
	"[{\"name\":\"a\"}]}}},\"ietf-access-control-list:acls\":{\"acl\":" \
	"[{\"name\":\"a\",\"type\":\"ipv4-acl-type\",\"aces\":{\"ace\":[{" \
	"\"name\":\"e\","
#define ACL_TAIL "}]}}]}}"
#define ACCEPT "\"actions\":{\"forwarding\":\"accept\"}"

/* An input a loader must refuse, and what its message must say. */
struct bad_case {
	const char *in;
	const char *want;
};

/* Case i was refused with err: fail unless err says what it wants. */
static void
expect_err(size_t i, const char *err, const struct bad_case *c)
{
	if (!strstr(err, c->want))
		fail_msg("case %zu:\n got  %s\n want %s", i, err, c->want);
}

static void
test_bad_aces(void **state)
{
	static const struct bad_case bad[] = {
		{ ACL_HEAD "\"matches\":{\"ipv4\":{\"protocol\":6},\"tcp\":{"
			"\"destination-port\":{\"operator\":\"eq\",\"port\":"
			"70000}}}," ACCEPT ACL_TAIL,
			"bad.json: $.ietf-access-control-list:acls.acl[0].aces."
			"ace[0].matches.tcp.destination-port: \"port\" must "
			"be a number 0..65535" },
		{ ACL_HEAD "\"matches\":{\"tcp\":{\"destination-port\":{"
			"\"operator\":\"approx\",\"port\":80}}}," ACCEPT
			ACL_TAIL, "port operator \"approx\"" },
		{ ACL_HEAD "\"matches\":{\"tcp\":{\"destination-port\":{"
			"\"operator\":\"lt\",\"port\":0}}}," ACCEPT ACL_TAIL,
			"port operator \"lt\"" },
		{ ACL_HEAD "\"matches\":{\"udp\":{\"source-port\":{"
			"\"lower-port\":90,\"upper-port\":80}}}," ACCEPT
			ACL_TAIL, "lower <= upper" },
		{ ACL_HEAD "\"matches\":{\"ipv4\":{\"protocol\":\"tcp\"}},"
			ACCEPT ACL_TAIL, "matches.ipv4.protocol: protocol "
			"must be a number" },
		{ ACL_HEAD "\"matches\":{\"ipv4\":{\"protocol\":1},\"udp\":"
			"{}}," ACCEPT ACL_TAIL, "udp match with protocol 1" },
		{ ACL_HEAD "\"matches\":{\"ipv4\":{\"protocol\":1,"
			"\"destination-port-range\":{\"lower-port\":1,"
			"\"upper-port\":2}}}," ACCEPT ACL_TAIL,
			"ports need protocol tcp or udp" },
		{ ACL_HEAD "\"matches\":{\"eth\":{\"ethertype\":2048}},"
			ACCEPT ACL_TAIL, "matches.eth: unsupported match" },
		{ ACL_HEAD "\"matches\":{\"ipv6\":{}}," ACCEPT ACL_TAIL,
			"IPv6 match in an IPv4 ACL" },
		{ ACL_HEAD "\"matches\":{\"ipv4\":{\"destination-ipv4-network"
			"\":\"10.0.0.0/99\"}}," ACCEPT ACL_TAIL,
			"must be an IPv4 prefix" },
		{ ACL_HEAD "\"matches\":{\"tcp\":{\"ietf-mud:direction-"
			"initiated\":\"sideways\"}}," ACCEPT ACL_TAIL,
			"must be \"from-device\" or \"to-device\"" },
		{ ACL_HEAD "\"matches\":{\"udp\":{\"ietf-mud:direction-"
			"initiated\":\"to-device\"}}," ACCEPT ACL_TAIL,
			"only defined for tcp" },
		{ ACL_HEAD "\"matches\":{\"ietf-mud:mud\":{\"frobnicate\":"
			"[null]}}," ACCEPT ACL_TAIL,
			"unknown MUD match \"frobnicate\"" },
		{ ACL_HEAD "\"matches\":{\"ietf-mud:mud\":{\"manufacturer\":"
			"42}}," ACCEPT ACL_TAIL,
			"manufacturer must be a domain name" },
		{ ACL_HEAD "\"matches\":{\"ietf-mud:mud\":{\"local-networks\""
			":[null],\"my-controller\":[null]}}," ACCEPT ACL_TAIL,
			"more than one of" },
		{ ACL_HEAD "\"matches\":{}, \"actions\":{\"forwarding\":"
			"\"maybe\"}" ACL_TAIL,
			"actions.forwarding \"maybe\" is not accept" },
		{ ACL_HEAD "\"matches\":{}" ACL_TAIL,
			"ACE has no actions.forwarding" },
		{ ACL_HEAD "\"matches\":[]," ACCEPT ACL_TAIL,
			"matches must be an object" },
		{ "{\"ietf-mud:mud\":{\"mud-url\":\"https://x/m\","
			"\"from-device-policy\":{\"access-lists\":{"
			"\"access-list\":[{\"name\":\"zz\"}]}}},"
			"\"ietf-access-control-list:acls\":{\"acl\":[]}}",
			"ACL \"zz\" is not defined" },
		{ "{\"ietf-mud:mud\":{\"mud-url\":\"https://x/m\","
			"\"from-device-policy\":{\"access-lists\":{"
			"\"access-list\":[{\"name\":\"zz\"}]}}}}",
			"there is no \"ietf-access-control-list:acls\".acl" },
		{ "{\"ietf-mud:mud\":{\"mud-url\":42}}",
			"no \"mud-url\" string" },
		{ "{\"ietf-mud:mud\":[]}", "not a MUD file" },
		{ "[1,2,3]", "not a MUD file" },
		{ "", "bad.json:1:0: JSON:" },
		{ "{\"ietf-mud:mud\":{\"mud-url\":\"https://x/m\"}",
			"bad.json:1:" },
		{ "{\"a\":1,\"a\":2}", "duplicate object key" },
		{ "{\"ietf-mud:mud\":{\"mud-url\":\"https://x/m\","
			"\"from-device-policy\":{\"access-lists\":{"
			"\"access-list\":[{\"name\":\"a\"}]}}},"
			"\"ietf-access-control-list:acls\":{\"acl\":[{\"name\":"
			"\"a\",\"type\":\"eth-acl-type\",\"aces\":{\"ace\":[]}}"
			"]}}", "eth ACLs are not supported" },
	};
	char err[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (compile_text(bad[i].in, strlen(bad[i].in), err,
				sizeof(err), NULL) != -EINVAL)
			fail_msg("case %zu compiled, want: %s", i,
				bad[i].want);
		expect_err(i, err, &bad[i]);
	}
	printf("malformed ACEs: %zu rejected with the expected message\n",
		i);
}

static void
test_ports_and_directions(void **state)
{
	static const char ok[] = ACL_HEAD "\"matches\":{\"ipv4\":{"
		"\"protocol\":6},\"tcp\":{\"destination-port\":{\"operator\":"
		"\"neq\",\"port\":22},\"source-port\":{\"operator\":\"gte\","
		"\"port\":1024}}}," ACCEPT "},{\"name\":\"f\",\"matches\":{"
		"\"udp\":{\"source-port\":{\"operator\":\"lt\",\"port\":"
		"1024}}}," ACCEPT "},{\"name\":\"g\",\"matches\":{\"tcp\":{"
		"\"ietf-mud:direction-initiated\":\"to-device\","
		"\"source-port\":{\"operator\":\"range\",\"lower-port\":"
		"8000,\"upper-port\":8080}}}," ACCEPT ACL_TAIL;
	struct ctl_mud_result res;
	Cordon__Policy *p = lan_policy(NULL);
	char err[1024];
	const Cordon__Rule *r;

	(void)state;
	if (ctl_mud_compile(ok, strlen(ok), "ok.json", NULL, NULL, 10, p,
			&res, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(p->n_rules, 4);
	/* neq 22: two ranges; device opens; source-port not enforced */
	r = p->rules[0];
	assert_int_equal(r->initiator, CORDON__INITIATOR__INITIATOR_SRC);
	assert_int_equal(r->n_dst_ports, 2);
	assert_int_equal(r->dst_ports[0]->lo, 0);
	assert_int_equal(r->dst_ports[0]->hi, 21);
	assert_int_equal(r->dst_ports[1]->lo, 23);
	assert_int_equal(r->dst_ports[1]->hi, 65535);
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_CIDR);
	assert_int_equal(r->dst->cidr->prefix_len, 0);
	assert_int_equal(res.n_widened, 1);
	/* only a source port on a from-device ACE: the remote opens */
	r = p->rules[1];
	assert_int_equal(r->ip_proto, 17);
	assert_int_equal(r->initiator, CORDON__INITIATOR__INITIATOR_DST);
	assert_int_equal(r->dst_ports[0]->lo, 0);
	assert_int_equal(r->dst_ports[0]->hi, 1023);
	/* direction-initiated to-device on from-device: remote opens to
	 * the device's source port range */
	r = p->rules[2];
	assert_int_equal(r->initiator, CORDON__INITIATOR__INITIATOR_DST);
	assert_int_equal(r->dst_ports[0]->lo, 8000);
	assert_int_equal(r->dst_ports[0]->hi, 8080);
	assert_int_equal(p->rules[3]->action, CORDON__ACTION__ACTION_DENY);
	assert_int_equal(p->rules[3]->priority, 11);
	assert_int_equal(policy_validate(p, err, sizeof(err)), 0);
	ctl_cmp_policy_free(p);
}

static uint32_t rng = 20261121;

static uint32_t
rnd(void)
{
	rng = rng * 1664525u + 1013904223u;
	return rng >> 8;
}

static void
test_fuzz(void **state)
{
	static const char *const files[] = {
		"mud/cisco-luminaire/Luminaire_150.json",
		"mud/osmud/MUDFILE.NEST",
		"mud/osmud/lightbulb2000.json",
		("mud/nist-mud/mud-mycontrollerclass-test/"
			"mudfile-mycontrollerclass-test.json"),
	};
	static const char *const swaps[] = { "0", "-1", "99999999999", "\"x\"",
		"null", "[]", "{}", "true", "1.5", "\"\"" };
	char path[4096], err[1024];
	size_t f, i, len;
	int ok = 0, bad = 0, k;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *orig;

		snprintf(path, sizeof(path), "%s/%s", test_data_dir, files[f]);
		orig = read_text(path, &len);
		assert_non_null(orig);
		/* truncations: always a JSON error with line:column */
		for (i = 1; i < len; i += len / 25 + 1) {
			assert_int_equal(compile_text(orig, i, err,
				sizeof(err), NULL), -EINVAL);
			assert_non_null(strstr(err, "JSON"));
			bad++;
		}
		/* byte flips and value swaps */
		for (k = 0; k < 250; k++) {
			char *m = malloc(len + 32);
			size_t at = rnd() % len;
			int r;

			memcpy(m, orig, len + 1);
			if (k % 2) {
				m[at] = (char)(rnd() & 0xff);
				if (k % 3 == 0)
					m[rnd() % len] = "{}[]\",:0"[rnd() % 8];
			} else {
				/* replace the value after a ':' */
				char *c = strchr(m + at, ':');
				const char *s = swaps[rnd() % 10];
				char *e;

				if (!c) {
					free(m);
					continue;
				}
				e = c + 1;
				while (*e == ' ')
					e++;
				if (*e == '{' || *e == '[') {
					free(m);
					continue;
				}
				e += strcspn(e, ",}\n");
				memmove(c + 1 + strlen(s), e, strlen(e) + 1);
				memcpy(c + 1, s, strlen(s));
			}
			r = compile_text(m, strlen(m), err, sizeof(err), NULL);
			if (r == 0) {
				ok++;
			} else {
				assert_int_equal(r, -EINVAL);
				assert_int_equal(strncmp(err, "bad.json", 8), 0);
				bad++;
			}
			free(m);
		}
		free(orig);
	}
	printf("MUD mutations: %d still valid, %d rejected\n", ok, bad);
	assert_true(bad > 100);
}

static void
test_deep_nesting(void **state)
{
	size_t n = 200000, i;
	char *s = malloc(2 * n + 1);
	char err[1024];

	(void)state;
	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[n + i] = ']';
	}
	s[2 * n] = '\0';
	assert_int_equal(compile_text(s, 2 * n, err, sizeof(err), NULL),
		-EINVAL);
	assert_non_null(strstr(err, "nested deeper"));
	/* brackets inside strings do not count */
	memset(s, 0, 2 * n);
	strcpy(s, "{\"x\":\"");
	for (i = 6; i < 1000; i++)
		s[i] = '[';
	strcpy(s + i, "\"}");
	assert_int_equal(compile_text(s, strlen(s), err, sizeof(err), NULL),
		-EINVAL);
	assert_non_null(strstr(err, "not a MUD file"));
	free(s);
}

static void
test_url_to_path(void **state)
{
	static const char *const bad[] = {
		"http://x.example/m.json", "https://../etc/passwd",
		"https://x.example/../../etc/passwd", "https://x.example/..",
		"https://x.example/.", "https://x.example/a/..",
		"https://x.example/a/./b", "https://x.example/a/",
		"https://x.example/a\\b", "https://x.example:8443/a",
		"https://x.example/a/..%2f"
		, "https://x.example", "https://x.example/",
		"https://x.example/a//b", "https://x.example/a?b=c",
		"https://x.exa mple/a", "https://x.example/a%2f..",
		"https://.x.example/a", "https://x_y.example/a",
		"file:///etc/passwd", "", "https:///a",
	};
	char buf[256];
	size_t i;

	(void)state;
	assert_int_equal(ctl_mud_url_to_path("/var/lib/cordon/mud",
		"https://Luminaire.example.com/Luminaire_150", buf,
		sizeof(buf)), 0);
	assert_string_equal(buf,
		"/var/lib/cordon/mud/luminaire.example.com/Luminaire_150");
	assert_int_equal(ctl_mud_url_to_path("/m",
		"https://mplaunchpad.com/.well-known/mud/v1/nest", buf,
		sizeof(buf)), 0);
	assert_string_equal(buf, "/m/mplaunchpad.com/.well-known_mud_v1_nest");
	assert_int_equal(ctl_mud_url_to_path("/m",
		"https://x.example/well-known/mud/v1/nest.json", buf,
		sizeof(buf)), 0);
	assert_string_equal(buf, "/m/x.example/well-known_mud_v1_nest.json");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ctl_mud_url_to_path("/m", bad[i], buf, sizeof(buf)) !=
				-EINVAL)
			fail_msg("accepted %s -> %s", bad[i], buf);
	assert_int_equal(ctl_mud_url_to_path("/m", "https://x.example/a",
		buf, 8), -ENAMETOOLONG);
}

static int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void
test_signature(void **state)
{
	char dir[] = "/tmp/cordon-mud-sig-XXXXXX", mud[4096], sig[4096];
	char ca[4096], err[1024];
	char *ca_argv[] = { "check", mud, "--context", NULL, NULL };
	char ctxf[4096];
	FILE *f;

	(void)state;
	if (sh("command -v openssl >/dev/null 2>&1")) {
		printf("openssl CLI missing: signature test skipped\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	/* A CA, a signer it certifies, and an unrelated CA. */
	assert_int_equal(sh("cd %s && "
		"openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
		"/CN=mud-ca -keyout ca.key -out ca.pem "
		"-addext basicConstraints=critical,CA:TRUE "
		"-addext keyUsage=critical,keyCertSign >/dev/null 2>&1 && "
		"openssl req -newkey rsa:2048 -nodes -subj /CN=signer "
		"-keyout s.key -out s.csr >/dev/null 2>&1 && "
		"printf 'keyUsage=digitalSignature\\n' > ext && "
		"openssl x509 -req -in s.csr -CA ca.pem -CAkey ca.key "
		"-CAcreateserial -days 2 -extfile ext -out s.pem "
		">/dev/null 2>&1 && "
		"openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
		"/CN=other -keyout o.key -out other.pem >/dev/null 2>&1", dir),
		0);
	snprintf(mud, sizeof(mud), "%s/lum.json", dir);
	snprintf(sig, sizeof(sig), "%s/lum.json.p7s", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	assert_int_equal(sh("cp %s/mud/cisco-luminaire/Luminaire_150.json %s",
		test_data_dir, mud), 0);
	assert_int_equal(sh("openssl cms -sign -binary -in %s -signer "
		"%s/s.pem -inkey %s/s.key -outform DER -out %s", mud, dir, dir,
		sig), 0);
	if (ctl_mud_sig_verify(mud, sig, ca, err, sizeof(err)))
		fail_msg("%s", err);
	/* a code-signing certificate (EKU) is fine too */
	assert_int_equal(sh("cd %s && openssl req -newkey rsa:2048 -nodes "
		"-subj /CN=codesigner -keyout c.key -out c.csr >/dev/null 2>&1 "
		"&& printf 'keyUsage=digitalSignature\\nextendedKeyUsage="
		"codeSigning\\n' > ext2 && openssl x509 -req -in c.csr -CA "
		"ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext2 "
		"-out c.pem >/dev/null 2>&1 && openssl cms -sign -binary -in "
		"%s -signer c.pem -inkey c.key -outform DER -out c.p7s",
		dir, mud), 0);
	{
		char csig[4200];

		snprintf(csig, sizeof(csig), "%s/c.p7s", dir);
		if (ctl_mud_sig_verify(mud, csig, ca, err, sizeof(err)))
			fail_msg("code-signing signer: %s", err);
	}
	/* untrusted anchor */
	snprintf(ca, sizeof(ca), "%s/other.pem", dir);
	assert_int_equal(ctl_mud_sig_verify(mud, sig, ca, err,
					    sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "verification failed"));
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	/* PEM signatures work too */
	assert_int_equal(sh("openssl cms -sign -binary -in %s -signer "
		"%s/s.pem -inkey %s/s.key -outform PEM -out %s.pem", mud, dir,
		dir, sig), 0);
	{
		char psig[4200];

		snprintf(psig, sizeof(psig), "%s.pem", sig);
		assert_int_equal(ctl_mud_sig_verify(mud, psig, ca, err,
						    sizeof(err)), 0);
	}
	/* in memory, as cordond gets them from cordonctl */
	{
		static char text[1 << 16], der[1 << 14];
		size_t tl, dl;

		f = fopen(mud, "rb");
		assert_non_null(f);
		tl = fread(text, 1, sizeof(text), f);
		fclose(f);
		f = fopen(sig, "rb");
		assert_non_null(f);
		dl = fread(der, 1, sizeof(der), f);
		fclose(f);
		assert_true(tl > 100 && dl > 100);
		if (ctl_mud_sig_verify_mem(text, tl, der, dl, ca, err,
					   sizeof(err)))
			fail_msg("mem: %s", err);
		text[tl / 2] ^= 1;
		assert_int_equal(ctl_mud_sig_verify_mem(text, tl, der, dl, ca,
							err,
							sizeof(err)), -EBADMSG);
		assert_non_null(strstr(err, "verification failed"));
		assert_int_equal(ctl_mud_sig_verify_mem(text, tl, "xx", 2, ca,
							err,
							sizeof(err)), -EBADMSG);
		assert_non_null(strstr(err, "not CMS"));
	}
	/* the CLI with a context naming the CA */
	snprintf(ctxf, sizeof(ctxf), "%s/ctx.yaml", dir);
	f = fopen(ctxf, "w");
	assert_non_null(f);
	fprintf(f, "signature:\n  ca-file: %s\n", ca);
	fclose(f);
	ca_argv[3] = ctxf;
	assert_int_equal(cli_mud_check(&cli, 4, ca_argv), 0);
	/* tampered content */
	assert_int_equal(sh("sed -i 's/5684/5685/' %s", mud), 0);
	assert_int_equal(ctl_mud_sig_verify(mud, sig, ca, err,
					    sizeof(err)), -EBADMSG);
	assert_int_equal(cli_mud_check(&cli, 4, ca_argv), 1);
	/* not a signature, no signature */
	assert_int_equal(ctl_mud_sig_verify(mud, mud, ca, err,
					    sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "not CMS"));
	unlink(sig);
	assert_int_equal(ctl_mud_sig_verify(mud, sig, ca, err,
					    sizeof(err)), -ENOENT);
	assert_int_equal(cli_mud_check(&cli, 4, ca_argv), 1);
	f = fopen(ctxf, "a");
	fprintf(f, "  accept-unsigned: true\n");
	fclose(f);
	assert_int_equal(cli_mud_check(&cli, 4, ca_argv), 0);
	assert_int_equal(sh("rm -rf %s", dir), 0);
}

static void
test_context_errors(void **state)
{
	static const struct bad_case bad[] = {
		{ "local-network: [10.0.0.0/8]\n", "ctx.yaml:1:1: unknown key "
			"\"local-network\" in the MUD context" },
		{ "device:\n  mac: 00:11:22\n", "ctx.yaml:2:8: not a MAC" },
		{ "my-controller: [10.0.0.300]\n", "ctx.yaml:1:17: "
			"my-controller: \"10.0.0.300\" is not an address" },
		{ "controllers:\n  - uri: x\n", "ctx.yaml:2:5: controllers "
			"entry needs uri and addresses" },
		{ "allow-dns: maybe\n", "ctx.yaml:1:12: \"maybe\" is not "
			"true or false" },
		{ "peers:\n  - mac: 00:11:22:33:44:55\n    url: x\n",
			"ctx.yaml:3:5: unknown key \"url\" in peer" },
	};
	char dir[] = "/tmp/cordon-mud-ctx-XXXXXX", path[4096], err[1024];
	struct ctl_mud_context ctx;
	size_t i;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ctx.yaml", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(bad[i].in, f);
		fclose(f);
		assert_int_equal(ctl_mud_context_load(path, &ctx, err,
			sizeof(err)), -EINVAL);
		expect_err(i, err, &bad[i]);
	}
	unlink(path);
	rmdir(dir);
}

static void
test_cli(void **state)
{
	char mud[4096], ctx[4096];
	const struct cli_case cases[] = {
		{ 0, { "check", mud, "--context", ctx, "--json" } },
		{ 0, { "check", mud, "--device", "00:11:22:33:44:55" } },
		{ 2, { "check", mud, "--device", "nope" } },
		{ 2, { "check", mud, "--context" } },
		{ 0, { "check", "--help" } },
		{ 2, { "check" } },
		{ 1, { "check", ctx } },
	};

	(void)state;
	snprintf(mud, sizeof(mud), "%s/mud/cisco-luminaire/Luminaire_150.json",
		test_data_dir);
	snprintf(ctx, sizeof(ctx), "%s/examples/mud-context-luminaire.yaml",
		test_src_root);
	CLI_CASES_RUN(&cli, cli_find(&cli_mud_cmd, "check"), cases);
}

TEST_MAIN(
	cmocka_unit_test(test_luminaire),
	cmocka_unit_test(test_all_shared_files),
	cmocka_unit_test(test_nist),
	cmocka_unit_test(test_bad_aces),
	cmocka_unit_test(test_ports_and_directions),
	cmocka_unit_test(test_fuzz),
	cmocka_unit_test(test_deep_nesting),
	cmocka_unit_test(test_url_to_path),
	cmocka_unit_test(test_signature),
	cmocka_unit_test(test_context_errors),
	cmocka_unit_test(test_cli))
