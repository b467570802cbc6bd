/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target of the classifier: the bytes as a Policy, as a
 * dataplane gets it from cordond. One that policy_validate() accepts must
 * build (policy_build(): the segment and device maps and the rte_acl
 * tries), and the built classifier must decide every query made from the
 * policy's own values as the reference evaluator (policy_ref.h) does:
 * action, rule, both segments, and whether each end is a device the policy
 * names. The queries take the policy's MACs and VLANs, the first and last
 * address of each CIDR and the ones just outside it, each port range's
 * ends and their neighbours, and its protocols: the edges where a
 * normalised or merged rule would go wrong. They are drawn by a generator
 * seeded from the input, so that a crash input replays the same queries.
 *
 * dns_name endpoints: the devices are told names for the pools' addresses
 * (ref_dns_bind(): into the binding table the classifier reads and into
 * the reference's list), names made from the policy's own: each name, one
 * label more, and for "*.suffix" the suffix alone and two labels more. Half
 * the queries go to or come from a bound address.
 *
 * Then the policy's next version, one change as an operator makes it, is
 * built on it (opts.prev: the rte_acl tries that come out the same are
 * shared, as on a policy swap) and checked, checked again once the first
 * is freed (shared tries outlive their builder), and the first built again
 * on it and checked. A changed action must share every trie.
 *
 * tests/policy/fuzz_policy checks validation on its own; this is what
 * comes after it. The EAL starts once (LLVMFuzzerInitialize): no
 * hugepages, no PCI, one lcore, a file prefix of the process's own, whose
 * runtime folder goes at exit.
 */

#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_memory.h>

#include "cordon.pb-c.h"
#include "policy.h"
#include "policy_ref.h"
#include "policy_validate.h"
#include "test_eal_dir.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define QUERIES 256
#define POOL 64
#define DNS_NOW 1000u


/* What the queries are drawn from. */
struct pools {
	uint8_t mac[POOL][6];
	uint16_t vlan[POOL];
	uint8_t a4[POOL][4];
	uint8_t a6[POOL][16];
	uint16_t port[POOL];
	uint8_t proto[POOL];
	char name[POOL][DNS_NAME_MAX + 1];
	uint32_t n_mac, n_vlan, n_a4, n_a6, n_port, n_proto, n_name;
	struct ref_dns dns;
};

static char eal_dir[PATH_MAX];

static void
fuzz_eal_stop(void)
{
	rte_eal_cleanup();
	test_eal_remove_runtime_dir(eal_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char prefix[64];
	char *eal_argv[] = {
		(*argv)[0], "-l", "0", "--no-huge", "-m", "256", "--no-pci",
		"--no-telemetry", "--file-prefix", prefix,
		"--log-level=error", NULL,
	};

	(void)argc;
	snprintf(prefix, sizeof(prefix), "cordon_fuzz_acl_%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "fuzz_acl: rte_eal_init failed\n");
		exit(1);
	}
	snprintf(eal_dir, sizeof(eal_dir), "%s", rte_eal_get_runtime_dir());
	atexit(fuzz_eal_stop);
	return 0;
}

/* The binding table's clock stands still: nothing expires. */
static uint32_t
dns_clock(void *arg)
{
	(void)arg;
	return DNS_NOW;
}

static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint32_t
rng_below(uint64_t *s, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(rng_next(s) >> 32) % n;
}

static void
pool_mac(struct pools *p, const ProtobufCBinaryData *b)
{
	if (b->len == 6 && p->n_mac < POOL)
		memcpy(p->mac[p->n_mac++], b->data, 6);
}

static void
pool_port(struct pools *p, uint32_t v)
{
	if (v <= UINT16_MAX && p->n_port < POOL)
		p->port[p->n_port++] = (uint16_t)v;
}

/* A CIDR's first and last address, and the ones on either side. */
static void
pool_cidr(struct pools *p, const Cordon__Cidr *c)
{
	const size_t len = c->addr.len;
	uint8_t lo[16], hi[16], x[16];
	int carry;

	if ((len != 4 && len != 16) || c->prefix_len > len * 8)
		return;
	memcpy(lo, c->addr.data, len);
	for (size_t i = 0; i < len; i++) {
		uint32_t keep = c->prefix_len > i * 8 ?
			c->prefix_len - (uint32_t)i * 8 : 0;
		uint8_t m = keep >= 8 ? 0xff : (uint8_t)(0xff00 >> keep);

		lo[i] &= m;
		hi[i] = lo[i] | (uint8_t)~m;
	}
	for (int k = 0; k < 4; k++) {
		memcpy(x, k < 2 ? lo : hi, len);
		if (k == 1) {		/* lo - 1 */
			carry = 1;
			for (size_t i = len; i-- > 0 && carry;) {
				carry = x[i] == 0;
				x[i]--;
			}
		} else if (k == 3) {	/* hi + 1 */
			carry = 1;
			for (size_t i = len; i-- > 0 && carry;) {
				x[i]++;
				carry = x[i] == 0;
			}
		}
		if (len == 4 && p->n_a4 < POOL)
			memcpy(p->a4[p->n_a4++], x, 4);
		else if (len == 16 && p->n_a6 < POOL)
			memcpy(p->a6[p->n_a6++], x, 16);
	}
}

/* prefix + name, if that is a name DNS can give (dns_snoop.h: printable
 * ASCII, lower case, labels of 1..63, at most DNS_NAME_MAX). */
static void
pool_name(struct pools *p, const char *prefix, const char *name)
{
	char n[DNS_NAME_MAX + 2];
	size_t len, label = 0;
	int w;

	if (p->n_name == POOL)
		return;
	w = snprintf(n, sizeof(n), "%s%s", prefix, name);
	if (w <= 0 || (size_t)w > DNS_NAME_MAX)
		return;
	len = (size_t)w;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || n[i] == '.') {
			if (label == 0 || label > 63)
				return;
			label = 0;
			continue;
		}
		if (n[i] <= 0x20 || n[i] >= 0x7f ||
		    (n[i] >= 'A' && n[i] <= 'Z'))
			return;
		label++;
	}
	memcpy(p->name[p->n_name++], n, len + 1);
}

/* Names a device could be told, made from a rule's dns_name. */
static void
pool_dns(struct pools *p, const char *rule)
{
	char n[DNS_NAME_MAX + 1];
	int len = dns_name_normalise(rule, strlen(rule), n);

	if (len <= 0)
		return;
	if (len > 2 && n[0] == '*' && n[1] == '.') {
		pool_name(p, "", n + 2);
		pool_name(p, "w.", n + 2);
		pool_name(p, "x.w.", n + 2);
	} else {
		pool_name(p, "", n);
		pool_name(p, "w.", n);
	}
}

static void
pool_ep(struct pools *p, const Cordon__Endpoint *e)
{
	if (e == NULL)
		return;
	if (e->kind_case == CORDON__ENDPOINT__KIND_DEVICE)
		pool_mac(p, &e->device);
	else if (e->kind_case == CORDON__ENDPOINT__KIND_CIDR && e->cidr)
		pool_cidr(p, e->cidr);
	else if (e->kind_case == CORDON__ENDPOINT__KIND_DNS_NAME &&
		 e->dns_name != NULL)
		pool_dns(p, e->dns_name);
}

static void
pools_fill(struct pools *p, const Cordon__Policy *pol)
{
	static const uint8_t unknown[6] = { 0x06, 0, 0, 0, 0, 0x77 };
	static const uint8_t v4[][4] = { { 10, 0, 0, 1 }, { 8, 8, 8, 8 } };
	static const uint8_t v6[][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { 0xfd, [15] = 1 },
	};
	static const uint8_t protos[] = { 1, 6, 17, 58, 47 };
	static const uint16_t ports[] = { 0, 53, 443, 65535 };
	const ProtobufCBinaryData unk = { 6, (uint8_t *)(uintptr_t)unknown };

	memset(p, 0, sizeof(*p));
	pool_mac(p, &unk);
	p->vlan[p->n_vlan++] = 0;
	for (size_t i = 0; i < RTE_DIM(v4); i++)
		memcpy(p->a4[p->n_a4++], v4[i], 4);
	for (size_t i = 0; i < RTE_DIM(v6); i++)
		memcpy(p->a6[p->n_a6++], v6[i], 16);
	for (size_t i = 0; i < RTE_DIM(protos); i++)
		p->proto[p->n_proto++] = protos[i];
	for (size_t i = 0; i < RTE_DIM(ports); i++)
		pool_port(p, ports[i]);
	pool_name(p, "", "example.com");

	for (size_t i = 0; i < pol->n_devices; i++) {
		pool_mac(p, &pol->devices[i]->mac);
		if (pol->devices[i]->vlan != 0 && p->n_vlan < POOL)
			p->vlan[p->n_vlan++] = (uint16_t)pol->devices[i]->vlan;
	}
	for (size_t i = 0; i < pol->n_quarantined; i++)
		pool_mac(p, &pol->quarantined[i]);
	for (size_t i = 0; i < pol->n_local_networks; i++)
		pool_cidr(p, pol->local_networks[i]);
	for (size_t i = 0; i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];

		pool_ep(p, r->src);
		pool_ep(p, r->dst);
		if (r->ip_proto != 0 && p->n_proto < POOL)
			p->proto[p->n_proto++] = (uint8_t)r->ip_proto;
		for (size_t k = 0; k < r->n_dst_ports; k++) {
			const Cordon__PortRange *pr = r->dst_ports[k];

			pool_port(p, pr->lo);
			pool_port(p, pr->hi);
			if (pr->lo > 0)
				pool_port(p, pr->lo - 1);
			pool_port(p, pr->hi + 1);
		}
	}
}

/*
 * Up to 24 (device, address) pairs, each told 1..4 of the pool's names, in
 * t and in the reference's list. Returns -1 where t had to evict (its
 * buckets are 8 ways): then the two would differ.
 */
static int
dns_fill(struct pools *p, struct dns_table *t, uint64_t *s)
{
	const uint32_t n = p->n_name > 1 ? rng_below(s, 25) : 0;
	struct dns_stats st;

	p->dns.n = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *names[DNS_BIND_NAMES];
		union policy_addr a;
		uint32_t k = 0, want = 1 + rng_below(s, DNS_BIND_NAMES);
		int fam = rng_below(s, 2) ? AF_INET : AF_INET6;

		if (fam == AF_INET)
			memcpy(&a.v4, p->a4[rng_below(s, p->n_a4)], 4);
		else
			memcpy(a.v6, p->a6[rng_below(s, p->n_a6)], 16);
		for (uint32_t tries = 0; k < want && tries < 16; tries++) {
			const char *nm = p->name[rng_below(s, p->n_name)];
			uint32_t j;

			for (j = 0; j < k && strcmp(names[j], nm) != 0; j++)
				;
			if (j == k)
				names[k++] = nm;
		}
		ref_dns_bind(&p->dns, t, DNS_NOW, p->mac[rng_below(s, p->n_mac)],
			     p->vlan[rng_below(s, p->n_vlan)], fam, &a, names, k);
	}
	dns_table_stats(t, &st);
	return st.evicted != 0 || st.name_evicted != 0 ? -1 : 0;
}

static void
query_make(struct policy_query *q, const struct pools *p, uint64_t *s)
{
	memset(q, 0, sizeof(*q));
	memcpy(q->src_mac, p->mac[rng_below(s, p->n_mac)], 6);
	memcpy(q->dst_mac, p->mac[rng_below(s, p->n_mac)], 6);
	q->vlan = p->vlan[rng_below(s, p->n_vlan)];
	q->ip_proto = p->proto[rng_below(s, p->n_proto)];
	/* The dataplane has a port for TCP and UDP only. */
	if (q->ip_proto == 6 || q->ip_proto == 17)
		q->dst_port = p->port[rng_below(s, p->n_port)];
	switch (rng_below(s, 16)) {
	case 0:
		q->family = 0;		/* not IP: the sender's l2_action */
		break;
	case 1: case 2: case 3: case 4: case 5: case 6: case 7:
		q->family = AF_INET6;
		memcpy(q->src.v6, p->a6[rng_below(s, p->n_a6)], 16);
		memcpy(q->dst.v6, p->a6[rng_below(s, p->n_a6)], 16);
		break;
	default:
		q->family = AF_INET;
		memcpy(&q->src.v4, p->a4[rng_below(s, p->n_a4)], 4);
		memcpy(&q->dst.v4, p->a4[rng_below(s, p->n_a4)], 4);
		break;
	}
	/* Half of them from or to an address a device was told names of. */
	if (q->family != 0 && p->dns.n != 0 && rng_below(s, 2)) {
		const struct ref_dns_binding *b =
			&p->dns.b[rng_below(s, p->dns.n)];
		const bool told_src = rng_below(s, 2);	/* the initiator */
		union policy_addr *named = told_src ? &q->dst : &q->src;
		union policy_addr *other = told_src ? &q->src : &q->dst;

		q->family = (uint8_t)b->family;
		q->vlan = b->vlan;
		memcpy(told_src ? q->src_mac : q->dst_mac, b->mac, 6);
		memcpy(named, &b->addr, sizeof(*named));
		if (b->family == AF_INET)
			memcpy(&other->v4, p->a4[rng_below(s, p->n_a4)], 4);
		else
			memcpy(other->v6, p->a6[rng_below(s, p->n_a6)], 16);
	}
}

static void
query_print(const struct policy_query *q, const struct policy_result *got,
	    const struct policy_result *want)
{
	char src[INET6_ADDRSTRLEN] = "-", dst[INET6_ADDRSTRLEN] = "-";

	if (q->family != 0) {
		inet_ntop(q->family, &q->src, src, sizeof(src));
		inet_ntop(q->family, &q->dst, dst, sizeof(dst));
	}
	fprintf(stderr, "fuzz_acl: %02x:%02x:%02x:%02x:%02x:%02x -> "
		"%02x:%02x:%02x:%02x:%02x:%02x vlan %u, %s -> %s proto %u "
		"port %u: classifier action %u rule %u segments %u->%u "
		"devices %u,%u; reference action %u rule %u segments "
		"%u->%u\n",
		q->src_mac[0], q->src_mac[1], q->src_mac[2], q->src_mac[3],
		q->src_mac[4], q->src_mac[5], q->dst_mac[0], q->dst_mac[1],
		q->dst_mac[2], q->dst_mac[3], q->dst_mac[4], q->dst_mac[5],
		q->vlan, src, dst, q->ip_proto, q->dst_port, got->action,
		got->rule_id, got->src_segment, got->dst_segment,
		got->src_dev, got->dst_dev, want->action, want->rule_id,
		want->src_segment, want->dst_segment);
}

/* ctx's answers to the n queries q, against the reference for pol with
 * the names of d; what says which build ctx is. */
static void
check(const struct policy_ctx *ctx, const Cordon__Policy *pol,
      const struct ref_dns *d, const struct policy_query *q, uint32_t n,
      const char *what)
{
	const struct policy_query *qp[QUERIES];
	struct policy_result res[QUERIES];

	for (uint32_t i = 0; i < n; i++)
		qp[i] = &q[i];
	memset(res, 0xa5, sizeof(res));
	policy_classify_burst(ctx, qp, n, res);
	for (uint32_t i = 0; i < n; i++) {
		struct policy_result want;

		if (ref_agrees_dns(pol, &q[i], d, &res[i], &want))
			continue;
		fprintf(stderr, "fuzz_acl: %s\n", what);
		query_print(&q[i], &res[i], &want);
		abort();
	}
}

static struct policy_ctx *
build(const Cordon__Policy *pol, const struct policy_ctx *prev,
      const struct dns_table *dns)
{
	struct policy_build_opts o = { .socket_id = SOCKET_ID_ANY,
		.prev = prev, .dns = dns };
	struct policy_ctx *ctx = NULL;
	char err[256];

	if (policy_build(pol, &o, &ctx, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_acl: a valid policy does not build%s: "
			"%s\n", prev != NULL ? " on the last" : "", err);
		abort();
	}
	return ctx;
}

/* The changes mutate() makes. */
enum { MUT_ACTION, MUT_PORTS, MUT_RULE, MUT_DEVICE };

/*
 * The next version of a policy, as an operator makes it: one rule's action
 * flipped or its first port range narrowed, or the last rule gone, or a
 * device moved to another device's segment. Undone by the same call with
 * undo set. Returns which of those it made, or -1 for none.
 */
static int
mutate(Cordon__Policy *pol, uint64_t *s, bool undo)
{
	static uint32_t kind, k, old;

	if (!undo) {
		kind = rng_below(s, 4);
		k = 0;
	}
	switch (kind) {
	case MUT_ACTION:	/* not in the tries */
		if (pol->n_rules == 0)
			return -1;
		if (!undo)
			k = rng_below(s, (uint32_t)pol->n_rules);
		pol->rules[k]->action = pol->rules[k]->action ==
			CORDON__ACTION__ACTION_DENY ?
			CORDON__ACTION__ACTION_ALLOW :
			CORDON__ACTION__ACTION_DENY;
		return MUT_ACTION;
	case MUT_PORTS:	/* in the tries */
		if (!undo) {
			if (pol->n_rules == 0)
				return -1;
			k = rng_below(s, (uint32_t)pol->n_rules);
			if (pol->rules[k]->n_dst_ports == 0)
				return -1;
			old = pol->rules[k]->dst_ports[0]->hi;
			pol->rules[k]->dst_ports[0]->hi =
				pol->rules[k]->dst_ports[0]->lo;
		} else {
			pol->rules[k]->dst_ports[0]->hi = old;
		}
		return MUT_PORTS;
	case MUT_RULE:		/* gone, but kept for the free */
		if (undo)
			pol->n_rules++;
		else if (pol->n_rules == 0)
			return -1;
		else
			pol->n_rules--;
		return MUT_RULE;
	default:	/* MUT_DEVICE */
		if (pol->n_devices == 0)
			return -1;
		if (!undo) {
			k = rng_below(s, (uint32_t)pol->n_devices);
			old = pol->devices[k]->segment;
			pol->devices[k]->segment = pol->devices[rng_below(s,
				(uint32_t)pol->n_devices)]->segment;
		} else {
			pol->devices[k]->segment = old;
		}
		return MUT_DEVICE;
	}
}

/*
 * A's build is checked; then the next version B, built on A (opts.prev:
 * the tries whose rules come out the same are A's), checked, and again
 * once A is freed (shared tries outlive their builder); then A built
 * again on B, checked.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pools p;
	struct policy_query q[QUERIES];
	const struct dns_table_params dp = { .capacity = 1024,
		.ttl_floor_s = DNS_TTL_FLOOR_DEFAULT, .clock = dns_clock };
	struct dns_table *dns = NULL;
	struct policy_ctx *a, *b;
	struct policy_info info;
	Cordon__Policy *pol;
	char err[256];
	int mut;
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	pol = cordon__policy__unpack(NULL, size, data);
	if (pol == NULL)
		return 0;
	if (policy_validate(pol, err, sizeof(err)) != 0)
		goto out;
	for (size_t i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 0x100000001b3ull;
	seed |= 1;
	pools_fill(&p, pol);
	dns = dns_table_create(&dp);
	if (dns == NULL) {
		fprintf(stderr, "fuzz_acl: dns_table_create failed\n");
		abort();
	}
	if (dns_fill(&p, dns, &seed) < 0)
		goto out;
	a = build(pol, NULL, dns);
	for (uint32_t i = 0; i < QUERIES; i++)
		query_make(&q[i], &p, &seed);
	check(a, pol, &p.dns, q, QUERIES, "a fresh build");

	mut = mutate(pol, &seed, false);
	if (mut < 0) {
		policy_free(a);
		goto out;
	}
	if (policy_validate(pol, err, sizeof(err)) != 0) {
		mutate(pol, &seed, true);
		policy_free(a);
		goto out;
	}
	b = build(pol, a, dns);
	check(b, pol, &p.dns, q, QUERIES,
	      "the next version, built on the last");
	/* An action is not in the tries: every one is the last's. */
	policy_get_info(b, &info);
	if (mut == MUT_ACTION && info.n_acl_reused != info.n_acl_ctx) {
		fprintf(stderr, "fuzz_acl: an action changed, and %u tries of "
			"%u built again\n", info.n_acl_ctx - info.n_acl_reused,
			info.n_acl_ctx);
		abort();
	}
	policy_free(a);
	check(b, pol, &p.dns, q, QUERIES,
	      "the next version, the last one freed");
	mutate(pol, &seed, true);
	a = build(pol, b, dns);
	check(a, pol, &p.dns, q, QUERIES,
	      "the version before, built on the next");
	policy_free(b);
	policy_free(a);
out:
	dns_table_free(dns);
	cordon__policy__free_unpacked(pol, NULL);
	return 0;
}
