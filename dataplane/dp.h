/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The dataplane's shared context, cut by who owns what:
 *
 *  - struct dp_hot: what the workers read for every packet or loop, on
 *    cache lines of its own; set up before they start, read-only after;
 *  - struct dp_worker: one per worker, written by that worker alone (its
 *    counters are read by the others with relaxed loads, dp_stats.h);
 *  - the rest of struct dp belongs to the control side: the main lcore
 *    (policy builds, reports, the inventory) and the agent thread (which
 *    talks to cordond), each part with its owner named below.
 *
 * The workers never read the control side's part: a lock taken or a
 * counter bumped there does not cost the fast path a cache miss.
 */

#ifndef CORDON_DP_H
#define CORDON_DP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include "device.h"
#include "dp_conf.h"
#include "dp_detect.h"
#include "dp_idle.h"
#include "dp_pool.h"
#include "dp_stats.h"
#include "flow_table.h"
#include "pkt_parse.h"
#include "policy.h"
#include "policy_verify.h"

#define DP_MAX_WORKERS 64

/* A burst is looked up in the flow table in one go. */
#define DP_MAX_BURST FLOW_BURST_MAX
/* Rings that hold mbufs, per worker: steering (worker.c) and the
 * fingerprint tap to the main lcore (inventory.c). The default pool
 * counts them full: a flood fills them, and a pool they empty leaves the
 * ports nothing to receive into. */
#define DP_STEER_RING 4096
#define DP_TAP_RING 1024

/* Set up by port.c on the main lcore; read-only after, but for the TX
 * locks, which workers sharing a TX queue take. The workers read none of
 * the rest: their queues carry what they need (struct dp_rxq, dp_txq). */
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
	/* port_watch() on the main lcore: the last second's rx_nombuf,
	 * imissed and ipackets, whether receive is stalled, stalls seen
	 * (counter) */
	uint64_t watch_nombuf, watch_imissed, watch_ipackets;
	bool stalled;
	uint64_t rx_stalls;
	/* Only used when tx_shared: one lock per TX queue. */
	rte_spinlock_t tx_lock[RTE_MAX_LCORE] __rte_cache_aligned;
};

/* A worker's RX and TX queues carry what the fast path needs of their
 * port, so that it never reads struct dp_port. */
struct dp_rxq {
	uint16_t port;			/* index into dp.ports */
	uint16_t port_id;		/* DPDK port id */
	uint16_t queue;
};

struct dp_txq {
	uint16_t port_id;		/* DPDK port id */
	uint16_t queue;
	rte_spinlock_t *lock;		/* NULL: this worker's alone */
};

struct dp_txbuf {
	uint16_t n;
	uint64_t bytes;			/* of the n packets */
	struct rte_mbuf *pkts[DP_MAX_BURST];
};

struct worker_burst;
struct inventory;
struct detector;
struct contain;
struct dev_retire;
struct worker_frag;
struct flow_dump;
struct dp_cap_ctl;

/* Per-device counters, one array per worker indexed by device index. */
struct dp_dev_counters {
	uint64_t allowed_pkts;		/* sent, and let through */
	uint64_t allowed_bytes;
	uint64_t denied_pkts;		/* sent, and dropped by policy */
	uint64_t denied_bytes;
	uint64_t rx_pkts;		/* delivered to it */
	uint64_t rx_bytes;
	uint64_t flows;			/* flows it started */
	uint64_t quar_drops;		/* dropped because it is quarantined */
};

/* A new flow, as a worker saw it. */
struct inv_flowrec {
	uint32_t dev;			/* initiator's device index */
	uint16_t dport;			/* responder port */
	uint8_t proto;
	uint8_t denied;
	uint8_t family;			/* 4 or 6 */
	uint8_t pad[7];
	uint8_t dst[16];		/* responder address (v4: first 4) */
};

_Static_assert(sizeof(struct inv_flowrec) == 32, "a flow record is 32 B");

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
	/* New flows' device keys (device_key()), sender's then receiver's,
	 * built once for the prefetch and the look-ups. */
	uint64_t dkey[DP_MAX_BURST][2];
	/* For the inventory, enqueued once at the burst's end: a ring the
	 * main lcore drains costs a miss on its consumer index at every
	 * enqueue, and scattered stores to lines the other core read. */
	struct inv_flowrec frec[DP_MAX_BURST];	/* new flows */
	struct rte_mbuf *tapq[DP_MAX_BURST];	/* packets, referenced */
	uint16_t n_frec;
	uint16_t n_tapq;
};

/*
 * A worker's side of detection (dp_detect.h): its glue, its forged-DNS
 * matcher, and the events of the current loop, which go to the main lcore
 * through an SPSC ring (detector.c drains it). The glue writes each event
 * straight into the ring's storage (a zero-copy enqueue of up to
 * DP_DET_BUF slots, started at the loop's first event); the loop's end
 * makes them visible.
 */
#define DP_DET_BUF 64

struct dp_worker_det {
	struct dp_detect glue;		/* its stats: relaxed loads to read */
	struct det_dnsmatch *dns;
	struct rte_ring *ring;		/* struct det_ev elements */
	uint32_t n;			/* slots written of the enqueue */
	uint32_t room;			/* slots it reserved; 0: none started */
	bool full;			/* no more room until the loop's end */
	struct rte_ring_zc_data zcd;
};

/* One per worker, written by that worker alone; the main lcore and the
 * agent read its counters (relaxed loads, dp_stats.h) and set it up. */
struct dp_worker {
	struct dp_worker_stats stats;	/* first: the hot, shared-read part */
	struct dp_hot *hot;		/* all the worker reads of struct dp */
	unsigned int lcore_id;
	uint16_t idx;
	uint16_t n_rxq;
	struct dp_rxq rxq[DP_MAX_PORTS];
	struct dp_txq txq[DP_MAX_PORTS];	/* TX queue on each port */
	struct flow_table *ft;
	struct flow_prefetcher ft_pf;	/* of ft */
	struct dp_dev_counters *devc;	/* [devices.max] */
	struct worker_frag *frag;
	struct rte_ring *steer;		/* flows other workers received */
	struct rte_ring *tap;		/* to the inventory: mbufs */
	struct rte_ring *flowrec;	/* to the inventory: new flows */
	struct rte_ring *ask;		/* to the agent: flows to ask about */
	struct rte_ring *grant;		/* from the agent: flows allowed once */
	struct rte_ring *cap;		/* to the capturer (dp_cap.h) */
	struct dp_worker_det *det;	/* NULL: --no-detect */
	uint64_t now_us;		/* of the current loop (flow ends) */
	uint32_t now_ms;
	struct dp_txbuf tx[DP_MAX_PORTS];
	struct dp_txbuf to[DP_MAX_WORKERS];	/* for other workers' rings */
	struct worker_burst burst;
	uint32_t same_port_log_s;	/* last "same port" log line */
	struct dp_idle idle;		/* --idle-sleep back-off */
} __rte_cache_aligned;

/*
 * What the workers read for every packet or every loop. The main lcore
 * fills it in before it launches them; after that it is read-only, but for
 * quit (set once, at shutdown) and the device table's own atomics (see
 * device.h). It starts on a cache line of its own and nothing the control
 * side writes at run time shares its lines.
 *
 * Owner: the main lcore, at start-up. Readers: the workers; the main lcore
 * and the agent read it too (counters, reports).
 */
struct dp_hot {
	uint16_t n_ports;
	uint16_t n_workers;
	uint16_t burst;			/* RX burst size */
	bool steer;			/* flows steered in software (worker.c) */
	bool quit;			/* atomic */
	uint64_t tsc_per_ms;
	uint64_t start_tsc;
	uint64_t us_mult;		/* TSC ticks -> us: * us_mult >> 32 */
	struct policy_holder *policy;	/* RCU: dp_policy.c publishes */
	struct dns_table *dns;		/* dns_name bindings (dns_snoop.h) */
	struct flow_dump *flow_dump;	/* workers' flow-dump mailboxes */
	struct dp_cap_ctl *cap;		/* packet capture (dp_cap.h) */
	struct device_table devices;
	/* DPDK port id -> index into dp.ports, or UINT16_MAX. */
	uint16_t port_index[RTE_MAX_ETHPORTS];
	struct dp_worker *workers[RTE_MAX_LCORE];	/* steering rings */
} __rte_cache_aligned;

/*
 * Policy on the control side; the workers only see the RCU holder in
 * dp_hot. Owner: the main lcore, which builds and publishes each policy
 * (dp_policy.c). The agent thread posts policies into the mailbox, reads
 * the version in force, and reads info and the last rejection under
 * info_lock.
 */
struct dp_policy_ctl {
	pthread_mutex_t info_lock;
	struct policy_info info;		/* of the ctx in force */
	uint64_t rejected_version;		/* under info_lock */
	char rejected_reason[256];		/* under info_lock */
	uint64_t version;			/* atomic: in force */
	uint64_t swaps;				/* atomic */
	uint64_t rejected;			/* atomic */

	/* The mailbox, under mbox_lock: the agent posts, the main lcore
	 * takes (dp_policy_submit(), dp_policy_poll()). */
	pthread_mutex_t mbox_lock;
	pthread_cond_t mbox_cond;
	Cordon__Policy *mbox;			/* waiting for the main lcore */
	uint8_t *mbox_signed;			/* its signed form, or NULL */
	size_t mbox_signed_len;

	/* Set at start-up, read-only after (the agent verifies with keys). */
	struct policy_verify_keyring keys;	/* --pubkey; n == 0: none */
	char lkg_path[PATH_MAX + 16];		/* "" without --state-dir */

	/* Main lcore only: the policy in force, as received (contain.c
	 * builds it again with the devices it quarantines itself). */
	Cordon__Policy *in_force;

	/* Main lcore only: the segment names of the policy in force (for
	 * reports) and its local networks (for telling a device's own
	 * addresses from the remote ones in its traffic). */
	uint32_t n_segments;
	struct { uint32_t id; char name[64]; } *segments;
	uint32_t n_local_nets;
	struct { uint8_t addr[16]; uint8_t len; uint8_t plen; } *local_nets;
};

struct dp {
	struct dp_hot hot;			/* the workers' (above) */

	/* Main lcore at start-up; read-only after. */
	struct dp_conf conf;
	struct dp_port ports[DP_MAX_PORTS];
	struct rte_mempool *pool;		/* mbufs.mp */
	struct dp_pool mbufs;
	uint64_t started_unix_ms;

	struct dp_policy_ctl policy_ctl;	/* main lcore and agent */

	/* Reports: the main lcore builds them (dp_report.c) and hands them
	 * to the agent; cordond sets the interval through the agent. */
	uint32_t report_interval_ms;		/* atomic */
	uint64_t report_seq;			/* main lcore */

	struct inventory *inv;		/* main lcore: devices' identities */
	struct detector *det;		/* main lcore: the engine (detector.h) */
	struct det_ioc *ioc;		/* --indicators, read-only once loaded */
	struct contain *contain;	/* main lcore: quarantines of its own */
	struct dev_retire *retire;	/* main lcore: devices given back */
	uint64_t started_unix_us;	/* at start_tsc */
	/* This run, random in 1..INT64_MAX: what cordond keys its reports
	 * and alerts by (Hello.boot_id). The start time cannot be the key:
	 * a CPE with no clock can start at the same time every boot. */
	uint64_t boot_id;
	/* The wall clock at uptime 0 as of the last anchor (atomic; the
	 * main lcore writes it each second, dp_clock_anchor()). */
	uint64_t unix_base_us;
};

static inline bool
dp_hot_quitting(const struct dp_hot *hot)
{
	return __atomic_load_n(&hot->quit, __ATOMIC_RELAXED);
}

static inline bool
dp_quitting(const struct dp *dp)
{
	return dp_hot_quitting(&dp->hot);
}

/* Microseconds of uptime at TSC value tsc: the time base of the
 * workers' flow clocks, detection events and containment stamps. */
static inline uint64_t
dp_hot_us(const struct dp_hot *hot, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)(tsc - hot->start_tsc) *
			   hot->us_mult) >> 32);
}

/* Microseconds of uptime now (dp_hot_us() at the TSC read now). */
static inline uint64_t
dp_now_us(const struct dp *dp)
{
	return dp_hot_us(&dp->hot, rte_rdtsc());
}

/*
 * Wall-clock stamps. Uptime comes from the TSC at rte_get_tsc_hz(), which
 * DPDK measures to ~0.1 %: start time + uptime drifts from the system
 * clock by hundreds of ms within minutes. So the base is re-anchored:
 * dp_clock_anchor() (main lcore, each second) sets it to the system
 * clock minus the uptime now, and dp_unix_us_at() turns an uptime (a
 * recent one: the error is the drift since the anchor) into wall-clock
 * us. One 64-bit atomic: readers on any thread, no lock.
 */
static inline void
dp_clock_anchor(struct dp *dp, uint64_t up_us, uint64_t unix_us)
{
	__atomic_store_n(&dp->unix_base_us, unix_us - up_us, __ATOMIC_RELAXED);
}

static inline uint64_t
dp_unix_us_at(const struct dp *dp, uint64_t up_us)
{
	return __atomic_load_n(&dp->unix_base_us, __ATOMIC_RELAXED) + up_us;
}

/* Uptime in milliseconds. */
uint64_t dp_uptime_ms(const struct dp *dp);

#endif /* CORDON_DP_H */
