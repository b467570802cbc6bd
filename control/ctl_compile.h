/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_CTL_COMPILE_H
#define CORDON_CTL_COMPILE_H

/*
 * Shared building blocks of the policy compilers (YAML, MUD): parsers for
 * addresses and ports (MACs: util_mac.h), and constructors that append to a
 * Cordon__Policy. Everything is malloc'ed so that ctl_cmp_policy_free()
 * (protobuf-c's free_unpacked) releases a built policy.
 */

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"

struct ctl_cidr {
	uint8_t family;		/* 4 or 6 */
	uint8_t addr[16];	/* network byte order, masked */
	uint32_t plen;
};

struct ctl_port_range {
	uint16_t lo;
	uint16_t hi;
};

/*
 * What composing the rows of one store table into pol made of them: the
 * rows that went in (added), and those pol no longer has a place for
 * (skipped: a segment it lost, an address that no longer parses).
 */
struct ctl_cmp_tally {
	Cordon__Policy *pol;
	uint32_t added;
	uint32_t skipped;
};

/* "10.0.0.0/8", "10.1.2.3" (/32), "fd00::/8", "::1" (/128). Host bits
 * must be zero unless allow_host_bits (then they are masked). */
int ctl_cmp_parse_cidr(const char *s, int allow_host_bits,
		struct ctl_cidr *out);

Cordon__Policy *ctl_cmp_policy_new(void);
void ctl_cmp_policy_free(Cordon__Policy *p);

/* Endpoints (NULL on ENOMEM). A kind without a value (any, internet,
 * local) is only its flag. */
Cordon__Endpoint *ctl_cmp_ep_flag(Cordon__Endpoint__KindCase k);
#define ctl_cmp_ep_any() ctl_cmp_ep_flag(CORDON__ENDPOINT__KIND_ANY)
#define ctl_cmp_ep_internet() ctl_cmp_ep_flag(CORDON__ENDPOINT__KIND_INTERNET)
#define ctl_cmp_ep_local() ctl_cmp_ep_flag(CORDON__ENDPOINT__KIND_LOCAL)
Cordon__Endpoint *ctl_cmp_ep_segment(uint32_t seg);
Cordon__Endpoint *ctl_cmp_ep_device(const uint8_t mac[6]);
Cordon__Endpoint *ctl_cmp_ep_cidr(const struct ctl_cidr *c);
Cordon__Endpoint *ctl_cmp_ep_dns(const char *name);
Cordon__Endpoint *ctl_cmp_ep_dup(const Cordon__Endpoint *e);
void ctl_cmp_ep_free(Cordon__Endpoint *e);

/*
 * A rule, not in any policy yet (no id). Takes ownership of src and dst
 * (also on error). comment may be NULL. NULL on ENOMEM.
 */
Cordon__Rule *ctl_cmp_rule_new(Cordon__Endpoint *src, Cordon__Endpoint *dst,
		uint32_t ip_proto, const struct ctl_port_range *ports,
		size_t n_ports, Cordon__Action action,
		Cordon__Initiator initiator, uint32_t priority,
		const char *comment);
/* Append r with this id; r is freed on error. 0 or -ENOMEM. */
int ctl_cmp_rule_append(Cordon__Policy *p, Cordon__Rule *r, uint32_t id);

/*
 * Append a rule. Takes ownership of src and dst (also on error). The id is
 * one more than the largest id in the policy (a scan: builders that append
 * many rules number them with ctl_cmp_rule_append()). comment may be NULL.
 * Returns the rule or NULL (ENOMEM).
 */
Cordon__Rule *ctl_cmp_add_rule(Cordon__Policy *p, Cordon__Endpoint *src,
		Cordon__Endpoint *dst, uint32_t ip_proto,
		const struct ctl_port_range *ports, size_t n_ports,
		Cordon__Action action, Cordon__Initiator initiator,
		uint32_t priority, const char *comment);
Cordon__Segment *ctl_cmp_add_segment(Cordon__Policy *p, uint32_t id,
		const char *name, Cordon__Action def, Cordon__Action l2);
Cordon__DeviceAssignment *ctl_cmp_add_device(Cordon__Policy *p,
		const uint8_t mac[6], uint32_t vlan, uint32_t seg,
		const char *name);
int ctl_cmp_add_local_net(Cordon__Policy *p, const struct ctl_cidr *c);
int ctl_cmp_add_quarantined(Cordon__Policy *p, const uint8_t mac[6]);

#endif /* CORDON_CTL_COMPILE_H */
