/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Packet capture built into the dataplane (`cordonctl capture`): secondary
 * processes cannot attach to a --no-huge dataplane, so dpdk-dumpcap is no
 * answer there.
 *
 * While a capture runs (one at a time), each worker looks at its received
 * frames (one relaxed load per burst when none runs), and hands those of
 * the device and port asked for to the capturer by reference: the mbuf's
 * reference count goes up and a pointer with its TSC goes into the
 * worker's capture ring (single producer, single consumer). A full ring
 * is counted (cap_full), never waited for: forwarding does not stall. The
 * capturer (the agent's capture thread) applies the BPF filter (compiled by
 * libpcap), writes pcapng (a section header, an interface block per port,
 * an enhanced packet block per frame) into memory up to DP_CAP_BYTES_MAX,
 * and drops its references.
 */

#ifndef CORDON_DP_CAP_H
#define CORDON_DP_CAP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "cordon.pb-c.h"
#include "dp.h"

#define DP_CAP_RING 1024u
/* The pcapng's bound (it travels in one message to cordond). */
#define DP_CAP_BYTES_MAX (16u << 20)

/* What the workers match; written by the capturer between captures. */
struct dp_cap_ctl {
	uint32_t on;		/* atomic: a capture runs */
	uint8_t mac[6];
	uint8_t has_mac;
	uint8_t pad;
	uint16_t port;		/* port index, or UINT16_MAX: any */
};

struct dp_cap_rec {
	struct rte_mbuf *m;
	uint64_t tsc;
};

int dp_cap_init(struct dp *dp);
void dp_cap_fini(struct dp *dp);

/* Worker: the frames of a burst received on port index in. */
static inline void
dp_cap_tap(struct dp_worker *wk, struct rte_mbuf **pkts, unsigned int n,
	   uint16_t in)
{
	const struct dp_cap_ctl *c = wk->hot->cap;
	uint64_t tsc;

	if (likely(c == NULL || !__atomic_load_n(&c->on, __ATOMIC_ACQUIRE)))
		return;
	if (c->port != UINT16_MAX && c->port != in)
		return;
	tsc = rte_rdtsc();
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
		struct dp_cap_rec r = { m, tsc };

		if (c->has_mac && (rte_pktmbuf_data_len(m) < 12 ||
				   (memcmp(eth, c->mac, 6) != 0 &&
				    memcmp(eth + 6, c->mac, 6) != 0)))
			continue;
		rte_pktmbuf_refcnt_update(m, 1);
		if (rte_ring_sp_enqueue_elem(wk->cap, &r, sizeof(r)) != 0) {
			rte_pktmbuf_refcnt_update(m, -1);
			DP_CNT_ADD(wk->stats.cap_full, 1);
		}
	}
}

/*
 * Agent (its capture thread): run the capture req asks for and fill out
 * (pcapng, counts; its pcapng malloc'd). 0, or -errno with err set
 * (-EINVAL: the filter does not compile; -EBUSY: one runs already).
 */
int dp_cap_run(struct dp *dp, const Cordon__CaptureRequest *req,
	       Cordon__Capture *out, char *err, size_t errlen);

#endif /* CORDON_DP_CAP_H */
