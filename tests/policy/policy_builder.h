/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Helpers for the policy tests (tests/policy, tests/dataplane): build
 * Cordon__Policy messages in memory. Everything comes from one arena per
 * policy, freed by tp_free(). Bad test input aborts.
 */

#ifndef CORDON_TEST_POLICY_BUILDER_H
#define CORDON_TEST_POLICY_BUILDER_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cordon.pb-c.h"
#include "util_mac.h"

struct tp_block {
	struct tp_block *next;
	size_t used, cap;
	unsigned char data[];
};

struct tp {
	Cordon__Policy pol;
	struct tp_block *blocks;
	size_t cap_seg, cap_dev, cap_rule, cap_net, cap_quar;
};

/* Append v to the policy's list, within the capacity tp_new() gave it. */
#define TP_PUSH(t, list, cap, v) \
	do { \
		if ((t)->pol.n_##list >= (t)->cap) \
			abort(); \
		(t)->pol.list[(t)->pol.n_##list++] = (v); \
	} while (0)

static inline void *
tp_alloc(struct tp *t, size_t sz)
{
	struct tp_block *b = t->blocks;
	void *p;

	sz = (sz + 15) & ~(size_t)15;
	if (b == NULL || b->used + sz > b->cap) {
		size_t cap = sz > (1u << 20) ? sz : (1u << 20);

		b = calloc(1, sizeof(*b) + cap);
		if (b == NULL)
			abort();
		b->cap = cap;
		b->next = t->blocks;
		t->blocks = b;
	}
	p = b->data + b->used;
	b->used += sz;
	return p;
}

static inline struct tp *
tp_new(size_t max_seg, size_t max_dev, size_t max_rule)
{
	struct tp *t = calloc(1, sizeof(*t));

	if (t == NULL)
		abort();
	cordon__policy__init(&t->pol);
	t->cap_seg = max_seg;
	t->cap_dev = max_dev;
	t->cap_rule = max_rule;
	t->cap_net = 64;
	t->cap_quar = 64;
	t->pol.segments = tp_alloc(t, sizeof(void *) * (max_seg + 1));
	t->pol.devices = tp_alloc(t, sizeof(void *) * (max_dev + 1));
	t->pol.rules = tp_alloc(t, sizeof(void *) * (max_rule + 1));
	t->pol.local_networks = tp_alloc(t, sizeof(void *) * t->cap_net);
	t->pol.quarantined = tp_alloc(t, sizeof(ProtobufCBinaryData) *
		t->cap_quar);
	return t;
}

static inline void
tp_free(struct tp *t)
{
	while (t->blocks != NULL) {
		struct tp_block *b = t->blocks;

		t->blocks = b->next;
		free(b);
	}
	free(t);
}

static inline void
tp_parse_mac(const char *s, uint8_t m[6])
{
	if (util_mac_parse(s, m) < 0)
		abort();
}

static inline ProtobufCBinaryData
tp_bytes(struct tp *t, const void *p, size_t len)
{
	ProtobufCBinaryData b;

	b.data = tp_alloc(t, len + 1);
	memcpy(b.data, p, len);
	b.len = len;
	return b;
}

static inline ProtobufCBinaryData
tp_mac(struct tp *t, const char *s)
{
	uint8_t m[6];

	tp_parse_mac(s, m);
	return tp_bytes(t, m, 6);
}

static inline Cordon__Segment *
tp_seg(struct tp *t, uint32_t id, int def, int l2)
{
	Cordon__Segment *s = tp_alloc(t, sizeof(*s));

	cordon__segment__init(s);
	s->id = id;
	s->default_action = (Cordon__Action)def;
	s->l2_action = (Cordon__Action)l2;
	TP_PUSH(t, segments, cap_seg, s);
	return s;
}

static inline Cordon__DeviceAssignment *
tp_dev_raw(struct tp *t, const uint8_t mac[6], uint32_t vlan, uint32_t seg)
{
	Cordon__DeviceAssignment *d = tp_alloc(t, sizeof(*d));

	cordon__device_assignment__init(d);
	d->mac = tp_bytes(t, mac, 6);
	d->vlan = vlan;
	d->segment = seg;
	TP_PUSH(t, devices, cap_dev, d);
	return d;
}

static inline Cordon__DeviceAssignment *
tp_dev(struct tp *t, const char *mac, uint32_t vlan, uint32_t seg)
{
	uint8_t m[6];

	tp_parse_mac(mac, m);
	return tp_dev_raw(t, m, vlan, seg);
}

static inline void
tp_quar(struct tp *t, const char *mac)
{
	TP_PUSH(t, quarantined, cap_quar, tp_mac(t, mac));
}

static inline Cordon__Cidr *
tp_cidr(struct tp *t, const char *s)
{
	Cordon__Cidr *c = tp_alloc(t, sizeof(*c));
	char buf[64], *slash;
	uint8_t a[16];

	cordon__cidr__init(c);
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, a) == 1) {
		c->addr = tp_bytes(t, a, 4);
		c->prefix_len = slash ? (uint32_t)atoi(slash) : 32;
	} else if (inet_pton(AF_INET6, buf, a) == 1) {
		c->addr = tp_bytes(t, a, 16);
		c->prefix_len = slash ? (uint32_t)atoi(slash) : 128;
	} else {
		abort();
	}
	return c;
}

static inline void
tp_local(struct tp *t, const char *cidr)
{
	TP_PUSH(t, local_networks, cap_net, tp_cidr(t, cidr));
}

/* An endpoint of that kind; the kinds without a value are complete. */
static inline Cordon__Endpoint *
tp_ep(struct tp *t, Cordon__Endpoint__KindCase kind)
{
	Cordon__Endpoint *e = tp_alloc(t, sizeof(*e));

	cordon__endpoint__init(e);
	e->kind_case = kind;
	if (kind == CORDON__ENDPOINT__KIND_ANY)
		e->any = 1;
	else if (kind == CORDON__ENDPOINT__KIND_INTERNET)
		e->internet = 1;
	else if (kind == CORDON__ENDPOINT__KIND_LOCAL)
		e->local = 1;
	return e;
}

#define ep_any(t) tp_ep((t), CORDON__ENDPOINT__KIND_ANY)
#define ep_internet(t) tp_ep((t), CORDON__ENDPOINT__KIND_INTERNET)
#define ep_local(t) tp_ep((t), CORDON__ENDPOINT__KIND_LOCAL)

static inline Cordon__Endpoint *
ep_seg(struct tp *t, uint32_t id)
{
	Cordon__Endpoint *e = tp_ep(t, CORDON__ENDPOINT__KIND_SEGMENT);

	e->segment = id;
	return e;
}

static inline Cordon__Endpoint *
ep_dev_raw(struct tp *t, const uint8_t mac[6])
{
	Cordon__Endpoint *e = tp_ep(t, CORDON__ENDPOINT__KIND_DEVICE);

	e->device = tp_bytes(t, mac, 6);
	return e;
}

static inline Cordon__Endpoint *
ep_dev(struct tp *t, const char *mac)
{
	Cordon__Endpoint *e = tp_ep(t, CORDON__ENDPOINT__KIND_DEVICE);

	e->device = tp_mac(t, mac);
	return e;
}

static inline Cordon__Endpoint *
ep_cidr(struct tp *t, const char *cidr)
{
	Cordon__Endpoint *e = tp_ep(t, CORDON__ENDPOINT__KIND_CIDR);

	e->cidr = tp_cidr(t, cidr);
	return e;
}

static inline Cordon__Endpoint *
ep_dns(struct tp *t, const char *name)
{
	Cordon__Endpoint *e = tp_ep(t, CORDON__ENDPOINT__KIND_DNS_NAME);
	size_t l = strlen(name) + 1;

	e->dns_name = tp_alloc(t, l);
	memcpy(e->dns_name, name, l);
	return e;
}

static inline Cordon__Rule *
tp_rule(struct tp *t, uint32_t id, uint32_t prio, Cordon__Endpoint *src,
		Cordon__Endpoint *dst, uint32_t proto, int action, int initiator)
{
	Cordon__Rule *r = tp_alloc(t, sizeof(*r));

	cordon__rule__init(r);
	r->id = id;
	r->priority = prio;
	r->src = src;
	r->dst = dst;
	r->ip_proto = proto;
	r->action = (Cordon__Action)action;
	r->initiator = (Cordon__Initiator)initiator;
	r->dst_ports = tp_alloc(t, sizeof(void *) * 8);
	TP_PUSH(t, rules, cap_rule, r);
	return r;
}

static inline void
tp_ports(struct tp *t, Cordon__Rule *r, uint32_t lo, uint32_t hi)
{
	Cordon__PortRange *p = tp_alloc(t, sizeof(*p));

	cordon__port_range__init(p);
	p->lo = lo;
	p->hi = hi;
	if (r->n_dst_ports >= 8)
		abort();
	r->dst_ports[r->n_dst_ports++] = p;
}

#endif /* CORDON_TEST_POLICY_BUILDER_H */
