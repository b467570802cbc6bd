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

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include "device.h"
#include "dp_conf.h"
#include "dp_stats.h"
#include "flow_table.h"
#include "pkt_parse.h"
#include "policy.h"
#include "policy_verify.h"

#define DP_MAX_WORKERS 64

/* A burst is looked up in the flow table in one go. */
#define DP_MAX_BURST FLOW_BURST_MAX

struct dp_port {
	uint16_t port_id;		/* DPDK port id */
	uint16_t nb_rxq;
	uint16_t nb_txq;
	bool rss;
	bool rss_sym;			/* with the symmetric key */
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
	uint64_t bytes;			/* of the n packets */
	struct rte_mbuf *pkts[DP_MAX_BURST];
};

struct worker_burst;
struct inventory;
struct worker_frag;
struct flow_dump;

/* Per-device counters, one array per worker indexed by device index. */
struct dp_dev_counters {
	uint64_t allowed_pkts;		/* sent, and let through */
	uint64_t allowed_bytes;
	uint64_t denied_pkts;		/* sent, and dropped by policy */
	uint64_t denied_bytes;
	uint64_t rx_pkts;		/* delivered to it */
	uint64_t rx_bytes;
	uint64_t flows;			/* flows it started */
	uint64_t pad;
};

/* Scratch space of one burst (worker.c); lives in the worker. */
struct worker_burst {
	struct rte_mbuf *pkts[DP_MAX_BURST];
	struct pkt_meta meta[DP_MAX_BURST];
	uint16_t out[DP_MAX_BURST];		/* port, OUT_* */
	uint16_t in[DP_MAX_BURST];		/* input port index */
	uint32_t len[DP_MAX_BURST];		/* packet length */
	struct rte_mbuf *dropped[DP_MAX_BURST];	/* freed in bulk */
	uint8_t why[DP_MAX_BURST];		/* enum dp_drop when OUT_DROP */
	/* IP packets that go through the flow table, by flow slot j: */
	uint16_t pkt_of[DP_MAX_BURST];
	uint8_t side[DP_MAX_BURST];
	uint32_t hash[DP_MAX_BURST];
	struct flow_key key[DP_MAX_BURST];
	struct flow_entry *ent[DP_MAX_BURST];
	uint32_t verdict[DP_MAX_BURST];		/* for inserts that failed */
	/* Classifier work: misses and stale hits. */
	struct policy_query q[DP_MAX_BURST];
	const struct policy_query *qp[DP_MAX_BURST];
	struct policy_result res[DP_MAX_BURST];
	uint16_t q_of[DP_MAX_BURST];		/* flow slot of query i */
	uint8_t tap_addr[DP_MAX_BURST];		/* flow slot: new address */
};

struct dp_worker {
	struct dp_worker_stats stats;	/* first: the hot, shared-read part */
	struct dp *dp;
	unsigned int lcore_id;
	uint16_t idx;
	uint16_t n_rxq;
	struct dp_rxq rxq[DP_MAX_PORTS];
	uint16_t txq[DP_MAX_PORTS];	/* TX queue on each port */
	struct flow_table *ft;
	struct dp_dev_counters *devc;	/* [devices.max] */
	struct worker_frag *frag;
	struct rte_ring *steer;		/* flows other workers received */
	struct rte_ring *tap;		/* to the inventory: mbufs */
	struct rte_ring *flowrec;	/* to the inventory: new flows */
	struct dp_txbuf tx[DP_MAX_PORTS];
	struct dp_txbuf to[DP_MAX_WORKERS];	/* for other workers' rings */
	struct worker_burst burst;
	uint32_t same_port_log_s;	/* last "same port" log line */
} __rte_cache_aligned;

struct dp {
	struct dp_conf conf;
	uint16_t n_ports;
	struct dp_port ports[DP_MAX_PORTS];
	/* DPDK port id -> index into ports, or UINT16_MAX. */
	uint16_t port_index[RTE_MAX_ETHPORTS];
	uint16_t n_workers;
	struct dp_worker *workers[RTE_MAX_LCORE];
	/* Steer flows to workers in software (see worker.c). */
	bool steer;
	struct rte_mempool *pool;
	struct device_table devices;
	uint64_t tsc_per_ms;

	/* Policy: published under RCU for the workers; the rest is for the
	 * control side (dp_policy.c). */
	struct policy_holder *policy;
	struct dns_table *dns;		/* dns_name bindings (dns_snoop.h) */
	pthread_mutex_t policy_info_lock;
	struct policy_info policy_info;		/* of the ctx in force */
	uint64_t policy_swaps;			/* atomic */
	uint64_t policy_rejected;		/* atomic */
	uint64_t policy_rejected_version;	/* under policy_info_lock */
	char policy_rejected_reason[256];	/* under policy_info_lock */
	/* Main lcore: the local networks of the policy in force, for telling
	 * a device's own addresses from the remote ones in its traffic. */
	uint32_t n_segments;
	struct { uint32_t id; char name[64]; } *segments;
	uint32_t n_local_nets;
	struct { uint8_t addr[16]; uint8_t len; uint8_t plen; } *local_nets;
	pthread_mutex_t policy_mbox_lock;
	pthread_cond_t policy_mbox_cond;
	Cordon__Policy *policy_mbox;		/* waiting for the main lcore */
	uint8_t *policy_mbox_signed;		/* its signed form, or NULL */
	size_t policy_mbox_signed_len;
	struct policy_verify_keyring keys;		/* --pubkey; n == 0: none */
	char lkg_path[PATH_MAX + 16];		/* "" without --state-dir */
	uint64_t started_unix_ms;
	uint64_t start_tsc;
	uint64_t policy_version;
	uint32_t report_interval_ms;	/* atomic: cordond may set it */
	uint64_t report_seq;		/* main lcore */
	struct inventory *inv;		/* main lcore: devices' identities */
	struct flow_dump *flow_dump;	/* workers' flow-dump mailboxes */
	bool quit;			/* atomic */
};

static inline bool
dp_quitting(const struct dp *dp)
{
	return __atomic_load_n(&dp->quit, __ATOMIC_RELAXED);
}

/* Uptime in milliseconds. */
uint64_t dp_uptime_ms(const struct dp *dp);

#endif /* CORDON_DP_H */
