/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_compile.h"

int
ctl_cmp_parse_cidr(const char *s, int allow_host_bits, struct ctl_cidr *out)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen;
	uint32_t i, maxlen;
	int host = 0;

	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = 4;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = 6;
		maxlen = 128;
	} else {
		return -EINVAL;
	}
	if (slash) {
		char *e;

		if (!isdigit((unsigned char)slash[1]) || strlen(slash + 1) > 3)
			return -EINVAL;
		plen = strtoul(slash + 1, &e, 10);
		if (*e || plen > maxlen)
			return -EINVAL;
	} else {
		plen = maxlen;
	}
	for (i = (uint32_t)plen; i < maxlen; i++) {
		uint8_t m = 0x80 >> (i % 8);

		if (out->addr[i / 8] & m) {
			host = 1;
			out->addr[i / 8] &= (uint8_t)~m;
		}
	}
	if (host && !allow_host_bits)
		return -EINVAL;
	out->plen = (uint32_t)plen;
	return 0;
}

Cordon__Policy *
ctl_cmp_policy_new(void)
{
	Cordon__Policy *p = malloc(sizeof(*p));

	if (p)
		cordon__policy__init(p);
	return p;
}

void
ctl_cmp_policy_free(Cordon__Policy *p)
{
	if (p)
		cordon__policy__free_unpacked(p, NULL);
}

static Cordon__Endpoint *
ep_new(Cordon__Endpoint__KindCase k)
{
	Cordon__Endpoint *e = malloc(sizeof(*e));

	if (!e)
		return NULL;
	cordon__endpoint__init(e);
	e->kind_case = k;
	return e;
}

Cordon__Endpoint *
ctl_cmp_ep_flag(Cordon__Endpoint__KindCase k)
{
	Cordon__Endpoint *e;
	protobuf_c_boolean *flag;

	if (k != CORDON__ENDPOINT__KIND_ANY &&
	    k != CORDON__ENDPOINT__KIND_INTERNET &&
	    k != CORDON__ENDPOINT__KIND_LOCAL)
		return NULL;
	e = ep_new(k);
	if (!e)
		return NULL;
	flag = k == CORDON__ENDPOINT__KIND_ANY ? &e->any :
		k == CORDON__ENDPOINT__KIND_INTERNET ? &e->internet : &e->local;
	*flag = 1;
	return e;
}

/* e, whose field was made (ok), or NULL with e freed. */
static Cordon__Endpoint *
ep_made(Cordon__Endpoint *e, bool ok)
{
	if (ok)
		return e;
	free(e);
	return NULL;
}

Cordon__Endpoint *
ctl_cmp_ep_segment(uint32_t seg)
{
	Cordon__Endpoint *e = ep_new(CORDON__ENDPOINT__KIND_SEGMENT);

	if (e)
		e->segment = seg;
	return e;
}

Cordon__Endpoint *
ctl_cmp_ep_device(const uint8_t mac[6])
{
	Cordon__Endpoint *e = ep_new(CORDON__ENDPOINT__KIND_DEVICE);

	if (e)
		e->device.data = malloc(6);
	e = ep_made(e, e && e->device.data);
	if (e) {
		memcpy(e->device.data, mac, 6);
		e->device.len = 6;
	}
	return e;
}

static Cordon__Cidr *
cidr_new(const struct ctl_cidr *c)
{
	Cordon__Cidr *m = malloc(sizeof(*m));
	size_t len = c->family == 4 ? 4 : 16;

	if (!m)
		return NULL;
	cordon__cidr__init(m);
	m->addr.data = malloc(len);
	if (!m->addr.data) {
		free(m);
		return NULL;
	}
	memcpy(m->addr.data, c->addr, len);
	m->addr.len = len;
	m->prefix_len = c->plen;
	return m;
}

Cordon__Endpoint *
ctl_cmp_ep_cidr(const struct ctl_cidr *c)
{
	Cordon__Endpoint *e = ep_new(CORDON__ENDPOINT__KIND_CIDR);

	if (e)
		e->cidr = cidr_new(c);
	return ep_made(e, e && e->cidr);
}

Cordon__Endpoint *
ctl_cmp_ep_dns(const char *name)
{
	Cordon__Endpoint *e = ep_new(CORDON__ENDPOINT__KIND_DNS_NAME);

	if (e)
		e->dns_name = strdup(name);
	return ep_made(e, e && e->dns_name);
}

Cordon__Endpoint *
ctl_cmp_ep_dup(const Cordon__Endpoint *e)
{
	struct ctl_cidr c;

	switch (e->kind_case) {
	case CORDON__ENDPOINT__KIND_SEGMENT:
		return ctl_cmp_ep_segment(e->segment);
	case CORDON__ENDPOINT__KIND_DEVICE:
		return ctl_cmp_ep_device(e->device.data);
	case CORDON__ENDPOINT__KIND_CIDR:
		memset(&c, 0, sizeof(c));
		c.family = e->cidr->addr.len == 4 ? 4 : 6;
		memcpy(c.addr, e->cidr->addr.data, e->cidr->addr.len);
		c.plen = e->cidr->prefix_len;
		return ctl_cmp_ep_cidr(&c);
	case CORDON__ENDPOINT__KIND_INTERNET:
		return ctl_cmp_ep_internet();
	case CORDON__ENDPOINT__KIND_LOCAL:
		return ctl_cmp_ep_local();
	case CORDON__ENDPOINT__KIND_DNS_NAME:
		return ctl_cmp_ep_dns(e->dns_name);
	default:
		return ctl_cmp_ep_any();
	}
}

void
ctl_cmp_ep_free(Cordon__Endpoint *e)
{
	if (e)
		cordon__endpoint__free_unpacked(e, NULL);
}

/* Grow a repeated field by one slot. */
static int
grow(void *arrp, size_t n, size_t elsz)
{
	void **a = arrp;
	void *na = realloc(*a, (n + 1) * elsz);

	if (!na)
		return -ENOMEM;
	*a = na;
	return 0;
}

Cordon__Rule *
ctl_cmp_rule_new(Cordon__Endpoint *src, Cordon__Endpoint *dst,
		uint32_t ip_proto, const struct ctl_port_range *ports,
		size_t n_ports, Cordon__Action action,
		Cordon__Initiator initiator, uint32_t priority,
		const char *comment)
{
	Cordon__Rule *r = NULL;
	size_t i;

	if (!src || !dst)
		goto fail;
	r = malloc(sizeof(*r));
	if (!r)
		goto fail;
	cordon__rule__init(r);
	r->src = src;
	r->dst = dst;
	src = dst = NULL;
	r->ip_proto = ip_proto;
	r->action = action;
	r->initiator = initiator;
	r->priority = priority;
	if (comment && *comment) {
		r->comment = strdup(comment);
		if (!r->comment) {
			r->comment = (char *)protobuf_c_empty_string;
			goto fail;
		}
	}
	if (n_ports) {
		r->dst_ports = calloc(n_ports, sizeof(*r->dst_ports));
		if (!r->dst_ports)
			goto fail;
		for (i = 0; i < n_ports; i++) {
			Cordon__PortRange *pr = malloc(sizeof(*pr));

			if (!pr)
				goto fail;
			cordon__port_range__init(pr);
			pr->lo = ports[i].lo;
			pr->hi = ports[i].hi;
			r->dst_ports[r->n_dst_ports++] = pr;
		}
	}
	return r;
fail:
	ctl_cmp_ep_free(src);
	ctl_cmp_ep_free(dst);
	if (r)
		cordon__rule__free_unpacked(r, NULL);
	return NULL;
}

int
ctl_cmp_rule_append(Cordon__Policy *p, Cordon__Rule *r, uint32_t id)
{
	if (grow(&p->rules, p->n_rules, sizeof(*p->rules))) {
		cordon__rule__free_unpacked(r, NULL);
		return -ENOMEM;
	}
	r->id = id;
	p->rules[p->n_rules++] = r;
	return 0;
}

Cordon__Rule *
ctl_cmp_add_rule(Cordon__Policy *p, Cordon__Endpoint *src,
		Cordon__Endpoint *dst, uint32_t ip_proto,
		const struct ctl_port_range *ports, size_t n_ports,
		Cordon__Action action, Cordon__Initiator initiator,
		uint32_t priority, const char *comment)
{
	Cordon__Rule *r = ctl_cmp_rule_new(src, dst, ip_proto, ports, n_ports,
		action, initiator, priority, comment);
	uint32_t maxid = 0;
	size_t i;

	if (!r)
		return NULL;
	for (i = 0; i < p->n_rules; i++)
		if (p->rules[i]->id > maxid)
			maxid = p->rules[i]->id;
	return ctl_cmp_rule_append(p, r, maxid + 1) ? NULL : r;
}

Cordon__Segment *
ctl_cmp_add_segment(Cordon__Policy *p, uint32_t id, const char *name,
		Cordon__Action def, Cordon__Action l2)
{
	Cordon__Segment *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	cordon__segment__init(s);
	s->id = id;
	s->default_action = def;
	s->l2_action = l2;
	s->name = strdup(name);
	if (!s->name || grow(&p->segments, p->n_segments,
			sizeof(*p->segments))) {
		free(s->name);
		free(s);
		return NULL;
	}
	p->segments[p->n_segments++] = s;
	return s;
}

Cordon__DeviceAssignment *
ctl_cmp_add_device(Cordon__Policy *p, const uint8_t mac[6], uint32_t vlan,
		uint32_t seg, const char *name)
{
	Cordon__DeviceAssignment *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	cordon__device_assignment__init(d);
	d->mac.data = malloc(6);
	if (!d->mac.data)
		goto fail;
	memcpy(d->mac.data, mac, 6);
	d->mac.len = 6;
	d->vlan = vlan;
	d->segment = seg;
	if (name && *name) {
		d->name = strdup(name);
		if (!d->name) {
			d->name = (char *)protobuf_c_empty_string;
			goto fail;
		}
	}
	if (grow(&p->devices, p->n_devices, sizeof(*p->devices)))
		goto fail;
	p->devices[p->n_devices++] = d;
	return d;
fail:
	cordon__device_assignment__free_unpacked(d, NULL);
	return NULL;
}

int
ctl_cmp_add_local_net(Cordon__Policy *p, const struct ctl_cidr *c)
{
	Cordon__Cidr *m = cidr_new(c);

	if (!m)
		return -ENOMEM;
	if (grow(&p->local_networks, p->n_local_networks,
			sizeof(*p->local_networks))) {
		cordon__cidr__free_unpacked(m, NULL);
		return -ENOMEM;
	}
	p->local_networks[p->n_local_networks++] = m;
	return 0;
}

int
ctl_cmp_add_quarantined(Cordon__Policy *p, const uint8_t mac[6])
{
	uint8_t *d = malloc(6);

	if (!d)
		return -ENOMEM;
	memcpy(d, mac, 6);
	if (grow(&p->quarantined, p->n_quarantined,
			sizeof(*p->quarantined))) {
		free(d);
		return -ENOMEM;
	}
	p->quarantined[p->n_quarantined].data = d;
	p->quarantined[p->n_quarantined].len = 6;
	p->n_quarantined++;
	return 0;
}
