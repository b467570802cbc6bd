/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A plain reading of the evaluation comment in proto/cordon.proto: the
 * reference the classifier (policy_classify_burst(), rte_acl and its
 * normalised rules) is compared with, by test_policy over random policies
 * and by fuzz_acl over fuzzed ones. Slow and obvious on purpose.
 *
 * dns_name endpoints never match here: the comparisons build without DNS
 * bindings (policy_build_opts.dns NULL), where the classifier agrees.
 */

#ifndef CORDON_TEST_POLICY_REF_H
#define CORDON_TEST_POLICY_REF_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "cordon.pb-c.h"
#include "policy.h"

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

static inline bool
ref_ep(const Cordon__Policy *p, const Cordon__Endpoint *e, uint32_t seg,
		const uint8_t mac[6], int fam, const union policy_addr *a)
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
	default:
		return false;	/* dns_name: no name data yet */
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

static inline bool
ref_rule(const Cordon__Policy *p, const Cordon__Rule *r,
		const struct policy_query *q, uint32_t sseg, uint32_t dseg)
{
	bool fwd, rev;

	if (r->ip_proto != 0 && r->ip_proto != q->ip_proto)
		return false;
	if (!ref_ports(r, q->dst_port))
		return false;
	/* rule src = initiator */
	fwd = ref_ep(p, r->src, sseg, q->src_mac, q->family, &q->src) &&
		ref_ep(p, r->dst, dseg, q->dst_mac, q->family, &q->dst);
	/* rule dst = initiator */
	rev = ref_ep(p, r->dst, sseg, q->src_mac, q->family, &q->src) &&
		ref_ep(p, r->src, dseg, q->dst_mac, q->family, &q->dst);
	switch (r->initiator) {
	case CORDON__INITIATOR__INITIATOR_SRC:
		return fwd;
	case CORDON__INITIATOR__INITIATOR_DST:
		return rev;
	default:
		return fwd || rev;
	}
}

/* What the policy decides for q. */
static inline struct policy_result
ref_eval(const Cordon__Policy *p, const struct policy_query *q)
{
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
		if (ref_rule(p, r, q, res.src_segment, res.dst_segment))
			best = i;
	}
	if (best != UINT32_MAX) {
		res.action = (uint8_t)p->rules[best]->action;
		res.rule_id = p->rules[best]->id;
	}
	return res;
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
ref_agrees(const Cordon__Policy *p, const struct policy_query *q,
		const struct policy_result *got, struct policy_result *want)
{
	*want = ref_eval(p, q);
	return want->action == got->action &&
		want->rule_id == got->rule_id &&
		want->src_segment == got->src_segment &&
		want->dst_segment == got->dst_segment &&
		ref_named(p, q->src_mac) ==
		(got->src_dev != POLICY_DEV_UNKNOWN) &&
		ref_named(p, q->dst_mac) ==
		(got->dst_dev != POLICY_DEV_UNKNOWN);
}

#endif /* CORDON_TEST_POLICY_REF_H */
