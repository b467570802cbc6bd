/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Per-worker counters. Each worker owns one cache-aligned struct and is its
 * only writer; it publishes with relaxed stores (a plain mov on x86) and the
 * main lcore and the control agent read with relaxed loads. No locks, no
 * atomic read-modify-write on the fast path.
 *
 * Every packet a worker receives ends up counted exactly once, either as
 * transmitted on some port or under one named drop reason, so that
 * rx = tx + drops holds for a two-port bridge.
 */

#ifndef CORDON_DP_STATS_H
#define CORDON_DP_STATS_H

#include <stdint.h>

#include "pkt_parse.h"

#define DP_MAX_PORTS 16

/*
 * X(ENUM, "name"): the name is what operators see in every report. The
 * parser's reasons come first, in its order, so that a parse result maps
 * to a counter by one subtraction (dp_drop_of_parse()).
 */
#define DP_DROP_REASONS(X) \
	PKT_PARSE_REASONS(X) \
	X(FRAG_NO_FIRST, "frag_without_first") \
	X(L2_SAME_PORT, "l2_same_port") \
	X(L2_NO_PORT, "l2_no_port") \
	X(L2_POLICY, "l2_policy_deny") \
	X(POLICY_RULE, "policy_rule_deny") \
	X(POLICY_DEFAULT, "policy_default_deny") \
	X(TX_FULL, "tx_full") \
	X(STEER_FULL, "steer_ring_full") \
	X(QUARANTINE, "quarantine") \
	X(SHUTDOWN, "shutdown_in_flight")

enum dp_drop {
#define DP_DROP_ENUM(e, s) DP_DROP_##e,
	DP_DROP_REASONS(DP_DROP_ENUM)
#undef DP_DROP_ENUM
	DP_DROP_MAX
};

extern const char *const dp_drop_names[DP_DROP_MAX];

_Static_assert(DP_DROP_L2_TRUNC == 0, "parser reasons come first");

static inline enum dp_drop
dp_drop_of_parse(enum pkt_parse_rc rc)
{
	return (enum dp_drop)(rc - PKT_DROP_FIRST);
}

struct dp_port_counters {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t drops;		/* received here, dropped */
};

struct dp_worker_stats {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t polls;
	uint64_t busy_polls;
	uint64_t idle_sleeps;	/* --idle-sleep: sleeps, and the time */
	uint64_t idle_sleep_us;	/* they took, in microseconds */
	uint64_t classified;	/* flows the classifier decided */
	uint64_t reclassified;	/* of which existing, after a policy swap */
	uint64_t flow_ends[3];	/* by enum flow_end_reason */
	uint64_t steered_out;	/* handed to another worker */
	uint64_t steered_in;	/* taken from the steering ring */
	uint64_t tapped;	/* packets shared with the inventory */
	uint64_t tap_full;	/* not shared: its ring was full */
	uint64_t flowrec_full;	/* flow records lost the same way */
	uint64_t asked;		/* flows reported for a prompt (dp_ask.h) */
	uint64_t ask_full;	/* not reported: the ask ring was full */
	uint64_t granted;	/* flows an operator allowed once */
	uint64_t grant_gone;	/* grants whose flow had ended */
	uint64_t cap_full;	/* frames not captured: capture ring full */
	uint64_t detect_dropped;	/* detection events its ring refused */
	uint64_t dns_unvouched;	/* DNS answers not bound: no matching query */
	uint64_t drops[DP_DROP_MAX];
	struct dp_port_counters port[DP_MAX_PORTS];
} __attribute__((aligned(64)));

/* Single-writer increment: readers on other threads see whole values. */
#define DP_CNT_ADD(c, n) \
	__atomic_store_n(&(c), (c) + (n), __ATOMIC_RELAXED)
#define DP_CNT_READ(c) __atomic_load_n(&(c), __ATOMIC_RELAXED)

/* Sum of all drop reasons. */
uint64_t dp_stats_drops(const struct dp_worker_stats *s);

/* Snapshot a live struct (each field read once, relaxed). */
void dp_stats_snapshot(const struct dp_worker_stats *live,
		       struct dp_worker_stats *snap);

#endif /* CORDON_DP_STATS_H */
