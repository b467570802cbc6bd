/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_BEHAV_H
#define CORDON_FP_BEHAV_H

#include <stdbool.h>
#include <stdint.h>

#include "fp.h"

/*
 * Per-device behaviour summary, pure C and allocation-free: the caller
 * embeds one struct fp_behav per device (e.g. in the dataplane's device
 * table on the main lcore) and feeds it events. Time is cut into fixed
 * intervals; when an event arrives in a later interval, the current one is
 * closed into `last` (and intervals with no events in between count as
 * empty). Distinct destinations and ports are counted exactly up to
 * FP_BEHAV_EXACT values, then by linear counting on a 512-bit bitmap
 * (Whang et al. 1990), flagged as approximate.
 */

#define FP_BEHAV_EXACT 32
#define FP_BEHAV_BITS 512

struct fp_distinct {
	uint16_t n;		/* exact values held */
	bool approx;
	uint32_t v[FP_BEHAV_EXACT];
	uint64_t bits[FP_BEHAV_BITS / 64];
};

struct fp_behav_summary {
	uint64_t start_us, interval_us;
	uint64_t flows;
	uint64_t pkts_out, pkts_in, bytes_out, bytes_in;
	uint64_t denied;
	uint32_t distinct_dsts, distinct_ports;
	bool dsts_approx, ports_approx;
};

struct fp_behav {
	uint64_t interval_us;
	uint64_t start_us;	/* current interval start */
	uint64_t flows, pkts_out, pkts_in, bytes_out, bytes_in, denied;
	struct fp_distinct dsts, ports;
	bool have_last;
	struct fp_behav_summary last;
};

void fp_behav_init(struct fp_behav *b, uint64_t interval_us, uint64_t now_us);
/* A new flow from the device to dst:dport. */
void fp_behav_flow(struct fp_behav *b, uint64_t now_us,
		const struct fp_addr *dst, uint16_t dport);
/* Traffic; out = from the device. */
void fp_behav_traffic(struct fp_behav *b, uint64_t now_us, bool out,
		uint32_t pkts, uint64_t bytes);
void fp_behav_denied(struct fp_behav *b, uint64_t now_us);
/* Close intervals up to now (call periodically so idle devices roll). */
void fp_behav_tick(struct fp_behav *b, uint64_t now_us);
/* The current (partial) interval so far. */
void fp_behav_current(const struct fp_behav *b,
		struct fp_behav_summary *out);
/* The last complete interval; false if none yet. */
bool fp_behav_last(const struct fp_behav *b, struct fp_behav_summary *out);

/* Distinct counter primitives (exposed for tests). */
void fp_distinct_reset(struct fp_distinct *d);
void fp_distinct_add(struct fp_distinct *d, uint32_t hash);
uint32_t fp_distinct_count(const struct fp_distinct *d);

#endif
