/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The device inventory: what each device is (passive fingerprinting, from
 * fingerprint/) and what it does (a behaviour summary per interval).
 *
 * Workers feed it through two single-producer rings each, and touch
 * nothing else of it:
 *  - packets of interest (DHCP, DNS, mDNS, SSDP, vendor discovery ports,
 *    SYN and SYN+ACK, the first data packets of TCP and UDP/443 flows, ARP
 *    and ND, and packets from an address a device has not been seen with),
 *    shared by reference count,
 *    never copied; worker.c decides what is of interest from the parser's
 *    metadata and the flow's packet count alone;
 *  - a 32-byte record for each new flow (who, to where, denied or not).
 * Both rings are allowed to overflow: what does not fit is counted and
 * missed, never waited for. The main lcore drains them, runs the
 * fingerprint library, learns device addresses (the only writer of them),
 * and every second folds the per-device counters into the behaviour
 * summaries. Reports take the results from here (dp_report.c).
 */

#ifndef CORDON_INVENTORY_H
#define CORDON_INVENTORY_H

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp.h"

struct fp_device;
struct fp_behav_summary;

/* struct inv_flowrec, a worker's record of a new flow: dp.h (a burst's
 * scratch holds them until its end). */

struct inv_config {
	const char *data_dir;		/* *.sig files; NULL: the default */
	uint32_t behaviour_interval_s;
};

struct inv_stats {
	uint64_t packets;		/* tapped packets processed */
	uint64_t observations;		/* what the fingerprinter found */
	uint64_t flows;			/* flow records processed */
	uint64_t addresses;		/* device addresses learned */
};

/*
 * Main lcore, after the workers exist: rings, the fingerprinting context
 * and the behaviour table. Returns 0 or a negative errno.
 */
int inventory_init(struct dp *dp, const struct inv_config *cfg);
void inventory_fini(struct dp *dp);

/* Main lcore: drain the rings, and tick the behaviours once a second.
 * Returns how much work it found (0: idle). */
unsigned int inventory_poll(struct dp *dp);

/* Main lcore: the identity and last behaviour summary of a device (NULL
 * and false when there is none). */
const struct fp_device *inventory_identity(const struct dp *dp, uint32_t dev);
/* Device index dev is given back (dev_retire.c): forget its behaviour
 * and the counters seen at the last tick (its identity is by MAC and
 * stays until the identity table needs the room). */
void inventory_forget(struct dp *dp, uint32_t dev);

int inventory_behaviour(const struct dp *dp, uint32_t dev,
			struct fp_behav_summary *out);

void inventory_stats(const struct dp *dp, struct inv_stats *st);

#endif /* CORDON_INVENTORY_H */
