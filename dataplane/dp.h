/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The dataplane's shared context. It is built on the main lcore before the
 * workers start and is read-only for them afterwards, apart from each
 * worker's own counters and the few fields marked atomic.
 */

#ifndef CORDON_DP_H
#define CORDON_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "bridge.h"
#include "dp_conf.h"
#include "dp_stats.h"

#define DP_MAX_BURST 256

struct dp_port {
	uint16_t port_id;		/* DPDK port id */
	uint16_t nb_rxq;
	uint16_t nb_txq;
	bool rss;
	bool tx_shared;			/* fewer TX queues than workers */
	char name[RTE_ETH_NAME_MAX_LEN];
	char driver[32];
	struct rte_ether_addr mac;
	/* Only used when tx_shared: one lock per TX queue. */
	rte_spinlock_t tx_lock[RTE_MAX_LCORE] __rte_cache_aligned;
};

struct dp_rxq {
	uint16_t port;			/* index into dp.ports */
	uint16_t queue;
};

struct dp_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[DP_MAX_BURST];
};

struct dp_worker {
	struct dp_worker_stats stats;	/* first: the hot, shared-read part */
	struct dp *dp;
	unsigned int lcore_id;
	uint16_t idx;
	uint16_t n_rxq;
	struct dp_rxq rxq[DP_MAX_PORTS];
	uint16_t txq[DP_MAX_PORTS];	/* TX queue on each port */
	struct dp_txbuf tx[DP_MAX_PORTS];
} __rte_cache_aligned;

struct dp {
	struct dp_conf conf;
	uint16_t n_ports;
	struct dp_port ports[DP_MAX_PORTS];
	/* DPDK port id -> index into ports, or UINT16_MAX. */
	uint16_t port_index[RTE_MAX_ETHPORTS];
	uint16_t n_workers;
	struct dp_worker *workers[RTE_MAX_LCORE];
	struct rte_mempool *pool;
	struct bridge_fdb *fdb;
	uint64_t started_unix_ms;
	uint64_t start_tsc;
	uint64_t policy_version;
	uint32_t clock_s;		/* atomic: coarse clock for workers */
	bool quit;			/* atomic */
};

static inline uint32_t
dp_clock_s(const struct dp *dp)
{
	return __atomic_load_n(&dp->clock_s, __ATOMIC_RELAXED);
}

static inline bool
dp_quitting(const struct dp *dp)
{
	return __atomic_load_n(&dp->quit, __ATOMIC_RELAXED);
}

/* Uptime in milliseconds. */
uint64_t dp_uptime_ms(const struct dp *dp);

#endif /* CORDON_DP_H */
