/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_DATAPLANE_POLICY_H
#define CORDON_DATAPLANE_POLICY_H

/*
 * Policy classifier.
 *
 * A Cordon__Policy (proto/cordon.proto, "Compiled policy") is validated and
 * compiled on the main lcore into an immutable struct policy_ctx: a segment
 * table, a MAC(+VLAN) -> (segment, device) open-addressing map, the local
 * networks as sorted disjoint intervals, and one rte_acl context per address
 * family whose entries are the rules normalised to initiator -> responder.
 * Workers consult it only on a flow-table miss, in bursts
 * (policy_classify_burst), and cache the verdict with policy_epoch().
 *
 * A policy_holder publishes a new ctx atomically; readers are rte_rcu_qsbr
 * threads, and the old ctx is freed once every reader has reported a
 * quiescent state after the swap.
 *
 * The classifier implements the compiled-policy contract of
 * policy/policy_validate.h (what a MAC's segment is, what dst_ports mean,
 * how dns_name endpoints match) and builds only policies that pass
 * policy_validate(). It needs the EAL (rte_acl, rte_rcu). dns_name
 * endpoints match through the DNS snooper's bindings
 * (policy_build_opts.dns, see dns_snoop.h and policy.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "policy_validate.h"

/* policy_result.src_dev / dst_dev for a MAC the policy does not name. */
#define POLICY_DEV_UNKNOWN UINT32_MAX

/* Same values as Cordon__Action. */
enum policy_action {
	POLICY_DENY = 0,
	POLICY_ALLOW = 1,
};

union policy_addr {
	uint32_t v4;		/* network byte order */
	uint8_t v6[16];		/* network byte order */
};

/*
 * The first packet of a flow, initiator -> responder. Addresses are in
 * network byte order, dst_port in host order (0 for protocols without
 * ports). family is AF_INET or AF_INET6; anything else gets the sender's
 * l2_action.
 */
struct policy_query {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint16_t vlan;		/* 0: untagged, else the 12-bit VLAN id */
	uint8_t family;
	uint8_t ip_proto;
	uint16_t dst_port;
	union policy_addr src;
	union policy_addr dst;
};

/* policy_result.quarantine: which ends are in the quarantine segment */
#define POLICY_QUAR_SRC 0x1
#define POLICY_QUAR_DST 0x2

struct policy_result {
	uint8_t action;		/* enum policy_action */
	uint8_t ask;		/* 1: the initiator's segment is in ask mode */
	uint8_t quarantine;	/* POLICY_QUAR_* */
	uint8_t pad[1];
	uint32_t rule_id;	/* Rule.id, 0: segment default_action */
	uint32_t src_segment;	/* Segment.id of the initiator */
	uint32_t dst_segment;	/* Segment.id of the responder */
	uint32_t src_dev;	/* device index or POLICY_DEV_UNKNOWN */
	uint32_t dst_dev;
};

/*
 * Device indexes: every distinct MAC the policy names gets one, in this
 * order: DeviceAssignment MACs in file order (so with one assignment per MAC
 * the index is the index into Policy.devices), then quarantined MACs, then
 * MACs only named by rule endpoints.
 */
struct policy_device_info {
	uint8_t mac[6];
	uint32_t segment;	/* for untagged frames (vlan 0) */
	const char *name;	/* "" when unnamed; lives as long as the ctx */
};

struct policy_info {
	uint64_t version;	/* Policy.version */
	uint32_t epoch;
	uint32_t n_segments;
	uint32_t n_devices;	/* distinct MACs (see above) */
	uint32_t n_assignments;
	uint32_t n_quarantined;
	uint32_t n_rules;
	uint32_t n_local_nets;
	uint32_t n_acl_ctx;	/* rte_acl contexts (see policy.c) */
	uint32_t n_acl_reused;	/* of them, shared with opts.prev */
	uint32_t n_acl4_entries;	/* rte_acl rules after normalisation */
	uint32_t n_acl6_entries;
	uint32_t n_acl4_fields;	/* the most in any one ctx */
	uint32_t n_acl6_fields;
	/* Rules with a dns_name endpoint; they match through the DNS
	 * snooper's bindings (see policy.c). */
	uint32_t n_dns_rules;
	uint32_t n_dns_names;
	size_t mem_bytes;	/* heap + rte_malloc bytes held by the ctx */
	double build_ms;
};

struct policy_build_opts {
	int socket_id;		/* for rte_acl; SOCKET_ID_ANY is fine */
	size_t acl_max_size;	/* rte_acl_config.max_size, 0: default */
	/* Address -> name bindings for dns_name rules; must outlive the
	 * ctx. NULL: dns_name endpoints never match. */
	const struct dns_table *dns;
	/* The policy in force, or NULL: rte_acl tries whose rules come out
	 * the same are shared with it rather than built again. It must stay
	 * alive until policy_build() returns; the new ctx may outlive it. */
	const struct policy_ctx *prev;
};

struct policy_ctx;
struct policy_holder;
struct dns_table;

/*
 * Validate and compile. Main lcore only, never on the fast path. On error
 * nothing is left allocated and *out is untouched.
 */
int policy_build(const Cordon__Policy *pol,
		const struct policy_build_opts *opts,
		struct policy_ctx **out, char *err, size_t errlen);

/* Free a ctx no reader can still see. NULL is ignored. */
void policy_free(struct policy_ctx *ctx);

/* Strictly increasing over the process' builds, never 0. */
uint32_t policy_epoch(const struct policy_ctx *ctx);
uint64_t policy_version(const struct policy_ctx *ctx);
void policy_get_info(const struct policy_ctx *ctx, struct policy_info *info);
int policy_device_info(const struct policy_ctx *ctx, uint32_t dev_idx,
		struct policy_device_info *info);

/*
 * Classify n queries (any n). Lock-free and read-only: any number of
 * workers may call it on the same ctx.
 */
void policy_classify_burst(const struct policy_ctx *ctx,
		const struct policy_query *const q[], uint32_t n,
		struct policy_result res[]);

/* Non-IP frames: l2_action of the sender's segment. */
enum policy_action policy_l2_action(const struct policy_ctx *ctx,
		const uint8_t src_mac[6], uint16_t vlan);

/* Is the sender in the quarantine segment? (for naming a non-IP frame's
 * drop; not on the fast path) */
bool policy_l2_quarantined(const struct policy_ctx *ctx,
		const uint8_t src_mac[6], uint16_t vlan);

/*
 * Segment id and device index of a MAC on a VLAN. Returns 0 when the policy
 * names the MAC, else -ENOENT with *seg = default_segment and
 * *dev_idx = POLICY_DEV_UNKNOWN. Either out pointer may be NULL.
 */
int policy_device_lookup(const struct policy_ctx *ctx, const uint8_t mac[6],
		uint16_t vlan, uint32_t *seg, uint32_t *dev_idx);

/* The id rules use for this dns_name (as written in a rule, normalised),
 * 0 if none. */
uint32_t policy_dns_name_id(const struct policy_ctx *ctx, const char *name);

/*
 * The ids of every rule name that matches name (normalised, len bytes):
 * the exact one and each "*.suffix" covering it; at most max. One hash
 * probe per label.
 */
uint32_t policy_dns_name_ids(const struct policy_ctx *ctx, const char *name,
		uint32_t len, uint32_t ids[], uint32_t max);

/* dns_relevant_fn for dns_snoop(): arg is the policy_ctx. */
bool policy_dns_relevant(void *ctx, const char *name, uint32_t len);

/* Has dns_name rules and a binding table: worth snooping for. */
bool policy_dns_active(const struct policy_ctx *ctx);

/* Worth snooping DNS answers for: dns_name rules, or prompts to name. */
bool policy_dns_snoop(const struct policy_ctx *ctx);

/*
 * Holder: the published ctx plus the RCU state of its readers.
 *
 * Worker (reader) thread_id in [0, max_readers):
 *	policy_holder_reader_online(h, id);
 *	loop: ctx = policy_holder_get(h); ... use ctx for the burst ...;
 *	      policy_holder_quiescent(h, id);
 *	policy_holder_reader_offline(h, id);	// before blocking or exiting
 * A reader must not keep ctx pointers across policy_holder_quiescent().
 *
 * Main lcore: policy_holder_publish(h, new) makes new visible, waits until
 * every online reader has passed a quiescent state, then frees the old ctx.
 * The publisher must not itself be an online reader.
 */
struct policy_holder *policy_holder_create(uint32_t max_readers);
/* Frees the holder and the published ctx; readers must be offline. */
void policy_holder_destroy(struct policy_holder *h);
int policy_holder_reader_online(struct policy_holder *h, uint32_t thread_id);
void policy_holder_reader_offline(struct policy_holder *h, uint32_t thread_id);
/* A registered reader about to block (an idle sleep), and back: publishers
 * do not wait for it meanwhile. */
void policy_holder_reader_sleep(struct policy_holder *h, uint32_t thread_id);
void policy_holder_reader_wake(struct policy_holder *h, uint32_t thread_id);
void policy_holder_quiescent(struct policy_holder *h, uint32_t thread_id);
/* Takes ownership of ctx (may be NULL to unload). */
void policy_holder_publish(struct policy_holder *h, struct policy_ctx *ctx);
const struct policy_ctx *policy_holder_get(const struct policy_holder *h);

#endif /* CORDON_DATAPLANE_POLICY_H */
