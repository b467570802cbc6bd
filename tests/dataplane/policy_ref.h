/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A plain reading of the evaluation comment in proto/cordon.proto: the
 * reference the classifier (policy_classify_burst(), rte_acl and its
 * normalised rules) is compared with, by test_policy over random policies
 * and by fuzz_acl over fuzzed ones. Slow and obvious on purpose.
 *
 * dns_name endpoints match through the names a device was told an
 * address has (struct ref_dns: the bindings the DNS snooper would hold,
 * kept here as a plain list). Without it (NULL) they never match, as the
 * classifier built without a binding table (policy_build_opts.dns NULL).
 * ref_dns_bind() puts one binding into the list and into a dns_table the
 * classifier reads, so the two are compared on the same bindings.
 */

#ifndef CORDON_TEST_POLICY_REF_H
#define CORDON_TEST_POLICY_REF_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cordon.pb-c.h"
#include "dns_snoop.h"
#include "policy.h"
#include "policy_validate.h"

#define REF_DNS_BINDINGS 64

/* One (device, address) and the names it was told the address has. */
struct ref_dns_binding {
	uint8_t mac[6];
	uint16_t vlan;
	int family;
	union policy_addr addr;
	uint32_t n_names;
	char name[DNS_BIND_NAMES][DNS_NAME_MAX + 1];
};

struct ref_dns {
	uint32_t n;
	struct ref_dns_binding b[REF_DNS_BINDINGS];
};

/* The names (device mac, vlan) has for the address a, or NULL. */
static inline const struct ref_dns_binding *
ref_dns_find(const struct ref_dns *d, const uint8_t mac[6], uint16_t vlan,
		int fam, const union policy_addr *a)
{
	const size_t len = fam == AF_INET ? 4 : 16;
	uint32_t i;

	for (i = 0; d != NULL && i < d->n; i++)
		if (memcmp(d->b[i].mac, mac, 6) == 0 && d->b[i].vlan == vlan &&
				d->b[i].family == fam &&
				memcmp(&d->b[i].addr, a, len) == 0)
			return &d->b[i];
	return NULL;
}

/*
 * Tell device (mac, vlan) that the address a has the n names (at most
 * DNS_BIND_NAMES, distinct, normalised), in d and in t at now_s, as one
 * DNS answer would. Returns -EEXIST for a (device, address) already bound
 * (t would merge the names, d would not), -ENOSPC for a full list.
 */
static inline int
ref_dns_bind(struct ref_dns *d, struct dns_table *t, uint32_t now_s,
		const uint8_t mac[6], uint16_t vlan, int fam,
		const union policy_addr *a, const char *const names[],
		uint32_t n)
{
	static struct dns_parsed p;	/* 2 KiB of names */
	struct ref_dns_binding *b;
	uint32_t i;

	if (ref_dns_find(d, mac, vlan, fam, a) != NULL)
		return -EEXIST;
	if (d->n == REF_DNS_BINDINGS)
		return -ENOSPC;
	b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	memset(&p, 0, sizeof(p));
	memcpy(b->mac, mac, 6);
	b->vlan = vlan;
	b->family = fam;
	memcpy(&b->addr, a, fam == AF_INET ? 4 : 16);
	p.n_chain = n;
	p.n_addrs = 1;
	p.addr[0].family = fam == AF_INET ? 4 : 6;
	p.addr[0].n_names = (uint8_t)n;
	p.addr[0].ttl = 300;
	memcpy(p.addr[0].addr, a, fam == AF_INET ? 4 : 16);
	for (i = 0; i < n && i < DNS_BIND_NAMES; i++) {
		snprintf(b->name[i], sizeof(b->name[i]), "%s", names[i]);
		snprintf(p.chain[i], sizeof(p.chain[i]), "%s", names[i]);
		p.chain_len[i] = (uint16_t)strlen(p.chain[i]);
		p.addr[0].name[i] = (uint8_t)i;
	}
	b->n_names = i;
	dns_table_learn(t, mac, vlan, &p, now_s, NULL, NULL);
	return 0;
}

/*
 * Whether name (normalised, from DNS) is the rule's dns_name: the rule's
 * name lower-cased without one trailing dot is the name, or is "*.suffix"
 * and the name ends in ".suffix" with a label before it.
 */
static inline bool
ref_dns_match(const char *rule, const char *name)
{
	char r[POLICY_DNS_NAME_MAX + 2];
	size_t rl = strlen(rule), nl = strlen(name), i;

	if (rl > POLICY_DNS_NAME_MAX + 1)
		return false;
	for (i = 0; i < rl; i++)
		r[i] = rule[i] >= 'A' && rule[i] <= 'Z' ?
			(char)(rule[i] - 'A' + 'a') : rule[i];
	if (rl > 0 && r[rl - 1] == '.')
		rl--;
	r[rl] = '\0';
	if (rl > 2 && r[0] == '*' && r[1] == '.')
		return nl > rl - 1 && name[nl - (rl - 1)] == '.' &&
			strcmp(name + nl - (rl - 2), r + 2) == 0;
	return strcmp(r, name) == 0;
}

/* Whether some name of b is the rule's dns_name. */
static inline bool
ref_dns_any(const struct ref_dns_binding *b, const char *rule)
{
	uint32_t i;

	for (i = 0; b != NULL && i < b->n_names; i++)
		if (ref_dns_match(rule, b->name[i]))
			return true;
	return false;
}

static inline bool
ref_mac_eq(const ProtobufCBinaryData *b, const uint8_t m[6])
{
	return b->len == 6 && memcmp(b->data, m, 6) == 0;
}

static inline uint32_t
ref_segment(const Cordon__Policy *p, const uint8_t mac[6], uint16_t vlan)
{
	size_t i;

	for (i = 0; i < p->n_quarantined; i++)
		if (ref_mac_eq(&p->quarantined[i], mac))
			return p->quarantine_segment;
	for (i = 0; vlan != 0 && i < p->n_devices; i++)
		if (ref_mac_eq(&p->devices[i]->mac, mac) &&
				p->devices[i]->vlan == vlan)
			return p->devices[i]->segment ?
				p->devices[i]->segment : p->default_segment;
	for (i = 0; i < p->n_devices; i++)
		if (ref_mac_eq(&p->devices[i]->mac, mac) &&
				p->devices[i]->vlan == 0)
			return p->devices[i]->segment ?
				p->devices[i]->segment : p->default_segment;
	return p->default_segment;
}

static inline bool
ref_in_cidr(const Cordon__Cidr *c, int fam, const union policy_addr *a)
{
	const uint8_t *x = fam == AF_INET ? (const uint8_t *)&a->v4 : a->v6;
	uint32_t bits = c->prefix_len, i;

	if ((fam == AF_INET) != (c->addr.len == 4))
		return false;
	for (i = 0; i < bits; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));

		if ((x[i / 8] & m) != (c->addr.data[i / 8] & m))
			return false;
	}
	return true;
}

static inline bool
ref_local(const Cordon__Policy *p, int fam, const union policy_addr *a)
{
	size_t i;

	for (i = 0; i < p->n_local_networks; i++)
		if (ref_in_cidr(p->local_networks[i], fam, a))
			return true;
	return false;
}

/* names: what the device at the other end was told a is (NULL: none). */
static inline bool
ref_ep(const Cordon__Policy *p, const Cordon__Endpoint *e, uint32_t seg,
		const uint8_t mac[6], int fam, const union policy_addr *a,
		const struct ref_dns_binding *names)
{
	size_t k;

	switch (e->kind_case) {
	case CORDON__ENDPOINT__KIND_ANY:
		return true;
	case CORDON__ENDPOINT__KIND_SEGMENT:
		return e->segment == seg;
	case CORDON__ENDPOINT__KIND_DEVICE:
		/* A quarantined device is only its quarantine segment. */
		for (k = 0; k < p->n_quarantined; k++)
			if (ref_mac_eq(&p->quarantined[k], mac))
				return false;
		return ref_mac_eq(&e->device, mac);
	case CORDON__ENDPOINT__KIND_CIDR:
		return ref_in_cidr(e->cidr, fam, a);
	case CORDON__ENDPOINT__KIND_INTERNET:
		return !ref_local(p, fam, a);
	case CORDON__ENDPOINT__KIND_LOCAL:
		return ref_local(p, fam, a);
	case CORDON__ENDPOINT__KIND_DNS_NAME:
		return ref_dns_any(names, e->dns_name);
	default:
		return false;
	}
}

static inline bool
ref_ports(const Cordon__Rule *r, uint16_t port)
{
	size_t i;

	if (r->n_dst_ports == 0)
		return true;
	for (i = 0; i < r->n_dst_ports; i++)
		if (port >= r->dst_ports[i]->lo && port <= r->dst_ports[i]->hi)
			return true;
	return false;
}

/* sn, dn: the names of q's source as its destination was told them, and
 * of its destination as its source was told them. */
static inline bool
ref_rule(const Cordon__Policy *p, const Cordon__Rule *r,
		const struct policy_query *q, uint32_t sseg, uint32_t dseg,
		const struct ref_dns_binding *sn,
		const struct ref_dns_binding *dn)
{
	bool fwd, rev;

	if (r->ip_proto != 0 && r->ip_proto != q->ip_proto)
		return false;
	if (!ref_ports(r, q->dst_port))
		return false;
	/* rule src = initiator */
	fwd = ref_ep(p, r->src, sseg, q->src_mac, q->family, &q->src, sn) &&
		ref_ep(p, r->dst, dseg, q->dst_mac, q->family, &q->dst, dn);
	/* rule dst = initiator */
	rev = ref_ep(p, r->dst, sseg, q->src_mac, q->family, &q->src, sn) &&
		ref_ep(p, r->src, dseg, q->dst_mac, q->family, &q->dst, dn);
	switch (r->initiator) {
	case CORDON__INITIATOR__INITIATOR_SRC:
		return fwd;
	case CORDON__INITIATOR__INITIATOR_DST:
		return rev;
	default:
		return fwd || rev;
	}
}

/* What the policy decides for q, the devices having the names of d
 * (NULL: none). */
static inline struct policy_result
ref_eval_dns(const Cordon__Policy *p, const struct policy_query *q,
		const struct ref_dns *d)
{
	const struct ref_dns_binding *sn, *dn;
	struct policy_result res;
	uint32_t best = UINT32_MAX, i;
	size_t k;

	memset(&res, 0, sizeof(res));
	res.src_segment = ref_segment(p, q->src_mac, q->vlan);
	res.dst_segment = ref_segment(p, q->dst_mac, q->vlan);
	for (k = 0; k < p->n_segments; k++)
		if (p->segments[k]->id == res.src_segment)
			res.action = (uint8_t)(q->family == AF_INET ||
				q->family == AF_INET6 ?
				p->segments[k]->default_action :
				p->segments[k]->l2_action);
	if (q->family != AF_INET && q->family != AF_INET6)
		return res;
	sn = ref_dns_find(d, q->dst_mac, q->vlan, q->family, &q->src);
	dn = ref_dns_find(d, q->src_mac, q->vlan, q->family, &q->dst);
	/* Nobody reaches a device in quarantine by default. */
	if (res.dst_segment == p->quarantine_segment &&
			res.src_segment != res.dst_segment)
		res.action = POLICY_DENY;
	/* Lowest priority value, first in file among equals. */
	for (i = 0; i < p->n_rules; i++) {
		const Cordon__Rule *r = p->rules[i];

		if (best != UINT32_MAX &&
				r->priority >= p->rules[best]->priority)
			continue;
		if (ref_rule(p, r, q, res.src_segment, res.dst_segment, sn,
				dn))
			best = i;
	}
	if (best != UINT32_MAX) {
		res.action = (uint8_t)p->rules[best]->action;
		res.rule_id = p->rules[best]->id;
	}
	return res;
}

static inline struct policy_result
ref_eval(const Cordon__Policy *p, const struct policy_query *q)
{
	return ref_eval_dns(p, q, NULL);
}

/* Whether the policy names mac: then it has a device index. */
static inline bool
ref_named(const Cordon__Policy *p, const uint8_t mac[6])
{
	size_t i;

	for (i = 0; i < p->n_devices; i++)
		if (ref_mac_eq(&p->devices[i]->mac, mac))
			return true;
	for (i = 0; i < p->n_quarantined; i++)
		if (ref_mac_eq(&p->quarantined[i], mac))
			return true;
	for (i = 0; i < p->n_rules; i++)
		if ((p->rules[i]->src->kind_case ==
				CORDON__ENDPOINT__KIND_DEVICE &&
				ref_mac_eq(&p->rules[i]->src->device, mac)) ||
				(p->rules[i]->dst->kind_case ==
				CORDON__ENDPOINT__KIND_DEVICE &&
				ref_mac_eq(&p->rules[i]->dst->device, mac)))
			return true;
	return false;
}

/* Whether the classifier's answer got to q is the reference's (*want):
 * action, rule, both segments, and a device index exactly for the MACs
 * the policy names. */
static inline bool
ref_agrees_dns(const Cordon__Policy *p, const struct policy_query *q,
		const struct ref_dns *d, const struct policy_result *got,
		struct policy_result *want)
{
	*want = ref_eval_dns(p, q, d);
	return want->action == got->action &&
		want->rule_id == got->rule_id &&
		want->src_segment == got->src_segment &&
		want->dst_segment == got->dst_segment &&
		ref_named(p, q->src_mac) ==
		(got->src_dev != POLICY_DEV_UNKNOWN) &&
		ref_named(p, q->dst_mac) ==
		(got->dst_dev != POLICY_DEV_UNKNOWN);
}

static inline bool
ref_agrees(const Cordon__Policy *p, const struct policy_query *q,
		const struct policy_result *got, struct policy_result *want)
{
	return ref_agrees_dns(p, q, NULL, got, want);
}

#endif /* CORDON_TEST_POLICY_REF_H */
