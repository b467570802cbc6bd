/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The worker loop.
 *
 * Each RX burst goes through three passes, so that the expensive steps run
 * once per burst and over arrays (prefetching, rte_acl's SIMD):
 *
 *  1. parse every packet; drop the malformed (named reason); non-IP frames
 *     get their sender segment's L2 action; IP packets get a canonical flow
 *     key and a symmetric hash;
 *  2. look the burst's keys up in this worker's flow table; classify the
 *     misses, and the hits whose verdict predates the policy in force
 *     (lazy re-check by epoch), in one rte_acl burst; insert the misses;
 *  3. in arrival order: count the packet on its flow and its sender device,
 *     then drop it (policy) or hand it to the bridge (learn the source,
 *     find the output port, or flood).
 *
 * A flow-table hit never touches the classifier. Nothing here locks or
 * allocates; the policy in force is read once per loop under RCU and the
 * worker reports a quiescent state after each loop.
 *
 * Non-first IPv4/IPv6 fragments carry no ports: they follow the verdict of
 * their first fragment through a small per-worker cache, and are dropped
 * (counted) when it was not seen.
 *
 * Both directions of a flow must meet in one worker. Symmetric RSS does it
 * in the NIC when every port has it; otherwise (dp.hot.steer) the receiving
 * worker hands each IP packet to the worker that owns its address pair,
 * through that worker's ring, and the owner processes it as if it had
 * received it. The address pair, not the ports, so that fragments follow
 * their flow.
 */

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "dns_snoop.h"
#include "dp_ask.h"
#include "dp_cap.h"
#include "flow_dump.h"
#include "flow_hash.h"
#include "inventory.h"
#include "policy.h"
#include "worker.h"

/* Output of the forwarding decision, besides a port index. */
#define OUT_STEER 0xfffc	/* to another worker: b->why holds which */
#define OUT_PENDING 0xfffd	/* IP: decided in pass 3 */
#define OUT_FLOOD 0xfffe
#define OUT_DROP 0xffff

/* flow_entry.verdict */
#define VERDICT_ALLOW 0x1u
#define VERDICT_DEFAULT 0x2u	/* came from a segment default, no rule */
#define VERDICT_QUAR_ORIG 0x4u	/* the initiator is in quarantine */
#define VERDICT_QUAR_REPLY 0x8u	/* the responder is */
#define VERDICT_QUAR (VERDICT_QUAR_ORIG | VERDICT_QUAR_REPLY)
_Static_assert(VERDICT_ALLOW == FLOW_DUMP_VERDICT_ALLOW &&
	       VERDICT_DEFAULT == FLOW_DUMP_VERDICT_DEFAULT,
	       "flow_dump reads the verdict bits");

/* flow_entry.user_flags: the entry's first verdict is set (a packet that
 * missed the table and finds its flow at insert came later in the burst);
 * the high five bits are detection's (dp_detect.h) */
#define WORKER_UF_DECIDED 0x1u
/* An operator allowed it once (dp_ask.h): no later policy re-checks it. */
#define WORKER_UF_GRANTED 0x2u
/* Fingerprinting may want any packet of it, not only its first ones: names
 * or DHCP are spoken on its ports, or it is ICMPv6's (worker_tap_flow()). */
#define WORKER_UF_TAP_ALL 0x4u

/* How many packets ahead pass 1 prefetches. */
#define WORKER_PREFETCH 4
/* Inserts ahead whose eviction candidates (or bucket) are prefetched
 * (flow_prefetch_insert()): 2 was some 4 % slower on new flows, 6 no
 * faster (docs/perf.md, the eighteenth round). */
#define WORKER_INSERT_AHEAD 4

/* Fragment cache: first fragments' verdicts, for the ones that follow. */
#define FRAG_SLOTS 1024
#define FRAG_TTL_MS 2000

struct frag_slot {
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t id;
	uint32_t expires_ms;
	uint8_t proto;
	uint8_t verdict;
	uint16_t vlan;
};

struct worker_frag {
	struct frag_slot slot[FRAG_SLOTS];
};

/* ---- detection (dp_detect.h): events to the main lcore ------------- */

/* Make the loop's events visible to the main lcore: they are in the
 * ring's storage already. */
static void
worker_det_flush(struct dp_worker *wk)
{
	struct dp_worker_det *d = wk->det;

	if (d->room != 0)
		rte_ring_enqueue_zc_elem_finish(d->ring, d->n);
	d->n = 0;
	d->room = 0;
	d->full = false;
}

/*
 * The next event's slot in the ring (dp_detect_slot_fn): the first of a
 * loop reserves up to DP_DET_BUF of them, and more once those are used
 * only while the ring has room for as many. What the ring cannot take is
 * counted, never waited for; a full ring is not asked again in the loop
 * (the main lcore drains it between loops, and at a flood of new flows
 * asking for every event would cost more than the event).
 */
static struct det_ev *
worker_det_slot(void *arg)
{
	struct dp_worker *wk = arg;
	struct dp_worker_det *d = wk->det;
	uint32_t i;

	if (unlikely(d->n == d->room)) {
		if (d->full) {
			DP_CNT_ADD(wk->stats.detect_dropped, 1);
			return NULL;
		}
		if (d->room != 0)
			worker_det_flush(wk);
		d->room = rte_ring_enqueue_zc_burst_elem_start(d->ring,
			sizeof(struct det_ev), DP_DET_BUF, &d->zcd, NULL);
		d->full = d->room < DP_DET_BUF;
		if (unlikely(d->room == 0)) {
			DP_CNT_ADD(wk->stats.detect_dropped, 1);
			return NULL;
		}
	}
	i = d->n++;
	return i < d->zcd.n1 ? (struct det_ev *)d->zcd.ptr1 + i :
		(struct det_ev *)d->zcd.ptr2 + (i - d->zcd.n1);
}

void
worker_det_attach(struct dp_worker *wk, struct dp_worker_det *d)
{
	dp_detect_init(&d->glue, &wk->hot->devices, d->dns, NULL, NULL);
	dp_detect_set_slot(&d->glue, worker_det_slot, wk);
	wk->det = d;
}

static void
worker_flow_end(const struct flow_entry *e, enum flow_end_reason why,
		void *arg)
{
	struct dp_worker *wk = arg;

	DP_CNT_ADD(wk->stats.flow_ends[why], 1);
	if (wk->det != NULL)
		dp_detect_flow_end(&wk->det->glue, e, why, wk->now_us,
				   wk->now_ms);
}

/*
 * A packet dropped because device dev is in quarantine: counted on the
 * device, and the first one since it was contained keeps its time.
 */
static __rte_noinline void
worker_quar_note(struct dp_worker *wk, uint32_t dev)
{
	if (dev == DEVICE_NONE)
		return;
	DP_CNT_ADD(wk->devc[dev].quar_drops, 1);
	device_quar_drop(&wk->hot->devices, dev, wk->now_us);
}

/*
 * The sweep passes a flow it keeps: a device index it caches that is being
 * given back (device.h) becomes DEVICE_NONE. The sender's is looked up
 * again at its next packet, the receiver's within a second.
 */
static void
worker_flow_visit(struct flow_entry *e, void *arg)
{
	const struct dp_worker *wk = arg;
	const struct device_table *t = &wk->hot->devices;

	if (likely(__atomic_load_n(&t->n_retiring, __ATOMIC_RELAXED) == 0))
		return;
	for (unsigned int d = 0; d < 2; d++)
		if (e->dev[d] != DEVICE_NONE && device_retiring(t, e->dev[d]))
			e->dev[d] = DEVICE_NONE;
}

int
worker_setup_all(struct dp *dp)
{
	uint32_t n_dev_slots = dp->hot.devices.max;
	unsigned int lcore;
	uint16_t w = 0;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		int socket = (int)rte_lcore_to_socket_id(lcore);
		struct flow_table_params fp = { 0 };
		struct dp_worker *wk;

		wk = rte_zmalloc_socket("worker", sizeof(*wk),
					RTE_CACHE_LINE_SIZE, socket);
		if (wk == NULL)
			return -ENOMEM;
		dp->hot.workers[w] = wk;
		wk->hot = &dp->hot;
		wk->lcore_id = lcore;
		wk->idx = w;
		dp_idle_init(&wk->idle, dp->conf.idle_sleep_us);
		for (uint16_t p = 0; p < dp->hot.n_ports; p++) {
			const struct dp_port *port = &dp->ports[p];

			if (w < port->nb_rxq) {
				wk->rxq[wk->n_rxq].port = p;
				wk->rxq[wk->n_rxq].port_id = port->port_id;
				wk->rxq[wk->n_rxq].queue = w;
				wk->n_rxq++;
			}
			wk->txq[p].port_id = port->port_id;
			wk->txq[p].queue = w % port->nb_txq;
			wk->txq[p].lock = port->tx_shared ?
				&dp->ports[p].tx_lock[wk->txq[p].queue] : NULL;
		}

		wk->devc = rte_zmalloc_socket("devc", (size_t)n_dev_slots *
					      sizeof(*wk->devc),
					      RTE_CACHE_LINE_SIZE, socket);
		wk->frag = rte_zmalloc_socket("frag", sizeof(*wk->frag),
					      RTE_CACHE_LINE_SIZE, socket);
		if (wk->devc == NULL || wk->frag == NULL)
			return -ENOMEM;

		fp.capacity = dp->conf.flows / dp->hot.n_workers;
		if (fp.capacity == 0)
			fp.capacity = 1;
		fp.event_cb = worker_flow_end;
		fp.event_arg = wk;
		fp.visit_cb = worker_flow_visit;
		fp.visit_arg = wk;
		wk->ft = flow_table_create(&fp);
		if (wk->ft == NULL)
			return -ENOMEM;
		flow_prefetcher_init(wk->ft, &wk->ft_pf);
		w++;
	}
	return 0;
}

/*
 * Hardware keeps flows on one worker only when every port spreads them
 * with the same symmetric RSS: same driver, same queue count, our key.
 */
int
worker_setup_steering(struct dp *dp)
{
	const struct dp_port *p0 = &dp->ports[0];
	char name[RTE_RING_NAMESIZE];

	if (dp->hot.n_workers > DP_MAX_WORKERS)
		return -E2BIG;
	dp->hot.steer = false;
	if (dp->hot.n_workers < 2)
		return 0;
	for (uint16_t p = 0; p < dp->hot.n_ports; p++) {
		const struct dp_port *port = &dp->ports[p];

		if (!port->rss_sym || port->nb_rxq != dp->hot.n_workers ||
		    strcmp(port->driver, p0->driver) != 0)
			dp->hot.steer = true;
	}
	if (!dp->hot.steer)
		return 0;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		snprintf(name, sizeof(name), "steer%u", w);
		dp->hot.workers[w]->steer = rte_ring_create(name, DP_STEER_RING,
			rte_lcore_to_socket_id(dp->hot.workers[w]->lcore_id),
			RING_F_SC_DEQ);
		if (dp->hot.workers[w]->steer == NULL)
			return -ENOMEM;
	}
	RTE_LOG(INFO, USER1, "flows steered to workers in software: not "
		"every port has symmetric RSS over all workers\n");
	return 0;
}

void
worker_free_all(struct dp *dp)
{
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		if (wk == NULL)
			continue;
		flow_table_free(wk->ft);
		rte_ring_free(wk->steer);
		rte_free(wk->devc);
		rte_free(wk->frag);
		rte_free(wk);
		dp->hot.workers[w] = NULL;
	}
}

static inline void
worker_drop(struct dp_worker *wk, struct rte_mbuf *m, uint16_t in,
	    enum dp_drop why)
{
	DP_CNT_ADD(wk->stats.drops[why], 1);
	DP_CNT_ADD(wk->stats.port[in].drops, 1);
	rte_pktmbuf_free(m);
}

static inline void
worker_enqueue(struct dp_worker *wk, uint16_t out, struct rte_mbuf *m,
	       uint32_t len)
{
	struct dp_txbuf *tb = &wk->tx[out];

	tb->pkts[tb->n++] = m;
	tb->bytes += len;
}

/* The L2 domain: the outer VID (pkt_parse() leaves vlan_outer 0 when
 * the frame is untagged). */
static inline uint16_t
worker_vlan(const struct pkt_meta *pm)
{
	return pm->vlan_outer & 0xfff;
}

/*
 * A frame for a device behind the port it came in on: normal on a shared
 * segment, a sign of a loop or a moved device on a point-to-point one.
 * Say which, at most once a second per worker.
 */
static void __rte_noinline
worker_same_port_log(struct dp_worker *wk, const struct pkt_meta *pm,
		     uint16_t in, uint32_t now_s)
{
	if (wk->same_port_log_s == now_s)
		return;
	wk->same_port_log_s = now_s;
	RTE_LOG(NOTICE, USER1, "worker %u: port %u: frame from "
		RTE_ETHER_ADDR_PRT_FMT " to " RTE_ETHER_ADDR_PRT_FMT
		" (ethertype 0x%04x), both behind that port: dropped "
		"(l2_same_port)\n", wk->idx, in,
		pm->src_mac[0], pm->src_mac[1], pm->src_mac[2],
		pm->src_mac[3], pm->src_mac[4], pm->src_mac[5],
		pm->dst_mac[0], pm->dst_mac[1], pm->dst_mac[2],
		pm->dst_mac[3], pm->dst_mac[4], pm->dst_mac[5],
		pm->ethertype);
}

/*
 * L2 decision for a frame that may pass, given its two devices (or
 * DEVICE_NONE): learn where the sender is, then send to where the
 * destination was last heard, or flood. Returns an output port index,
 * OUT_FLOOD or OUT_DROP (with *why).
 */
static inline uint16_t
worker_l2_fwd(struct dp_worker *wk, struct device_table *t,
	      const struct pkt_meta *pm, uint32_t src, uint32_t dst,
	      uint16_t in, uint32_t now_s, enum dp_drop *why)
{
	uint16_t out;

	if (likely(src != DEVICE_NONE)) {
		/* A flow hit names its sender by the flow, not by the frame:
		 * believe a move only from the device's own MAC, so that a
		 * packet forged into the flow from another port (a spoofed
		 * DNS answer) cannot move the device to the forger's port. */
		if (unlikely(__atomic_load_n(&t->hot[src].port,
					     __ATOMIC_RELAXED) != in) &&
		    device_at(t, src)->key !=
		    device_key(pm->src_mac, worker_vlan(pm)))
			src = device_get(t, pm->src_mac, worker_vlan(pm), in,
					 now_s);
		if (likely(src != DEVICE_NONE))
			device_touch(t, src, in, now_s);
	}
	if (pm->flags & PKT_F_L2_MCAST)
		return OUT_FLOOD;
	out = device_port(t, dst, now_s);
	if (out == DEVICE_PORT_NONE)
		return OUT_FLOOD;
	if (unlikely(out == in)) {
		/* Both ends are behind the same port: not ours to carry. */
		*why = DP_DROP_L2_SAME_PORT;
		worker_same_port_log(wk, pm, in, now_s);
		return OUT_DROP;
	}
	return out;
}

static inline void
worker_count_device(struct dp_dev_counters *devc, uint32_t dev, bool allowed,
		    uint32_t bytes)
{
	struct dp_dev_counters *c;

	if (unlikely(dev == DEVICE_NONE))
		return;
	c = &devc[dev];
	if (likely(allowed)) {
		DP_CNT_ADD(c->allowed_pkts, 1);
		DP_CNT_ADD(c->allowed_bytes, bytes);
	} else {
		DP_CNT_ADD(c->denied_pkts, 1);
		DP_CNT_ADD(c->denied_bytes, bytes);
	}
}

/*
 * The same for frames without a flow entry (non-IP, later fragments, flows
 * the table could not take): find the devices by MAC, count the frame on
 * its sender, and forward it if `allowed`.
 */
static inline uint16_t
worker_l2_decide(struct dp_worker *wk, const struct pkt_meta *pm, uint16_t in,
		 bool allowed, uint32_t len, uint32_t now_s, enum dp_drop *why,
		 bool quar_src)
{
	struct device_table *t = &wk->hot->devices;
	uint16_t vlan = worker_vlan(pm);
	uint32_t src, dst = DEVICE_NONE;

	src = device_get(t, pm->src_mac, vlan, in, now_s);
	worker_count_device(wk->devc, src, allowed, len);
	if (!allowed) {
		if (unlikely(quar_src))
			worker_quar_note(wk, src);
		return OUT_DROP;
	}
	if (!(pm->flags & PKT_F_L2_MCAST))
		dst = device_lookup(t, pm->dst_mac, vlan);
	return worker_l2_fwd(wk, t, pm, src, dst, in, now_s, why);
}

static inline void
worker_flood(struct dp_worker *wk, struct rte_mbuf *m, uint16_t in,
	     uint32_t len)
{
	const uint16_t n_ports = wk->hot->n_ports;
	uint16_t copies = n_ports - 1, p;

	/* An inline bridge: "everywhere else" is the other port. */
	if (likely(n_ports == 2)) {
		worker_enqueue(wk, in ^ 1, m, len);
		return;
	}
	if (unlikely(copies == 0)) {
		worker_drop(wk, m, in, DP_DROP_L2_NO_PORT);
		return;
	}
	/* The same mbuf goes out of every port; nobody writes to it. */
	if (copies > 1)
		rte_mbuf_refcnt_update(m, copies - 1);
	for (p = 0; p < n_ports; p++)
		if (p != in)
			worker_enqueue(wk, p, m, len);
}

static inline void
worker_flush(struct dp_worker *wk, uint16_t out)
{
	struct dp_txbuf *tb = &wk->tx[out];
	const struct dp_txq *txq = &wk->txq[out];
	uint64_t bytes = tb->bytes;
	uint16_t sent, i;

	if (unlikely(txq->lock != NULL))
		rte_spinlock_lock(txq->lock);
	sent = rte_eth_tx_burst(txq->port_id, txq->queue, tb->pkts, tb->n);
	if (unlikely(txq->lock != NULL))
		rte_spinlock_unlock(txq->lock);

	for (i = sent; i < tb->n; i++) {
		struct rte_mbuf *m = tb->pkts[i];
		uint16_t in = wk->hot->port_index[m->port];

		bytes -= rte_pktmbuf_pkt_len(m);
		worker_drop(wk, m, in < DP_MAX_PORTS ? in : out,
			    DP_DROP_TX_FULL);
	}
	DP_CNT_ADD(wk->stats.tx_packets, sent);
	DP_CNT_ADD(wk->stats.tx_bytes, bytes);
	DP_CNT_ADD(wk->stats.port[out].tx_packets, sent);
	DP_CNT_ADD(wk->stats.port[out].tx_bytes, bytes);
	tb->n = 0;
	tb->bytes = 0;
}

/* The initiator -> responder query of flow e, given a packet of it. */
static inline void
worker_query(struct policy_query *q, const struct flow_key *k,
	     uint8_t init_side, const struct pkt_meta *pm, bool pkt_is_orig)
{
	const uint8_t *sa = k->addr[init_side], *da = k->addr[init_side ^ 1];

	memcpy(q->src_mac, pkt_is_orig ? pm->src_mac : pm->dst_mac, 6);
	memcpy(q->dst_mac, pkt_is_orig ? pm->dst_mac : pm->src_mac, 6);
	q->vlan = k->vlan;
	q->ip_proto = k->proto;
	q->dst_port = k->port[init_side ^ 1];
	if (k->family == 4) {
		q->family = AF_INET;
		memcpy(&q->src.v4, sa + 12, 4);
		memcpy(&q->dst.v4, da + 12, 4);
	} else {
		q->family = AF_INET6;
		memcpy(q->src.v6, sa, 16);
		memcpy(q->dst.v6, da, 16);
	}
}

static inline uint32_t
worker_verdict(const struct policy_result *r)
{
	/* The quarantine bits keep their order: one shift for both. */
	_Static_assert(VERDICT_QUAR_ORIG == POLICY_QUAR_SRC << 2 &&
		       VERDICT_QUAR_REPLY == POLICY_QUAR_DST << 2,
		       "quarantine bits two places up");
	return (r->action == POLICY_ALLOW ? VERDICT_ALLOW : 0) |
		(r->rule_id == 0 ? VERDICT_DEFAULT : 0) |
		((uint32_t)(r->quarantine &
			    (POLICY_QUAR_SRC | POLICY_QUAR_DST)) << 2);
}

/* Why a packet of a flow with denying verdict v is dropped. */
static inline enum dp_drop
worker_deny_reason(uint32_t v)
{
	/* (v & QUAR) ? quarantine : (v & DEFAULT) ? default : rule, as a
	 * table: one load for every denied packet. */
#define Q DP_DROP_QUARANTINE
#define D DP_DROP_POLICY_DEFAULT
#define R DP_DROP_POLICY_RULE
	static const uint8_t reason[16] = {
		R, R, D, D, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	};
#undef Q
#undef D
#undef R
	_Static_assert(VERDICT_DEFAULT == 0x2 && VERDICT_QUAR == 0xc,
		       "the table's index bits");

	return (enum dp_drop)reason[v & 0xf];
}

static inline struct frag_slot *
worker_frag_slot(struct dp_worker *wk, const struct pkt_meta *pm)
{
	uint32_t h = pm->ip_id * 0x9e3779b1u;

	h ^= (uint32_t)pm->src_addr[15] << 8 | pm->dst_addr[15];
	return &wk->frag->slot[(h >> 7) & (FRAG_SLOTS - 1)];
}

static inline bool
worker_frag_match(const struct frag_slot *s, const struct pkt_meta *pm,
		  uint16_t vlan)
{
	return s->id == pm->ip_id && s->proto == pm->l4_proto &&
		s->vlan == vlan && memcmp(s->src, pm->src_addr, 16) == 0 &&
		memcmp(s->dst, pm->dst_addr, 16) == 0;
}

static inline void
worker_frag_note(struct dp_worker *wk, const struct pkt_meta *pm,
		 uint32_t verdict, uint32_t now_ms)
{
	struct frag_slot *s = worker_frag_slot(wk, pm);

	memcpy(s->src, pm->src_addr, 16);
	memcpy(s->dst, pm->dst_addr, 16);
	s->id = pm->ip_id;
	s->proto = pm->l4_proto;
	s->vlan = worker_vlan(pm);
	s->verdict = (uint8_t)verdict;
	s->expires_ms = now_ms + FRAG_TTL_MS;
}

/* Verdict of a later fragment, or -1 when its first one was not seen. */
static inline int
worker_frag_verdict(struct dp_worker *wk, const struct pkt_meta *pm,
		    uint32_t now_ms)
{
	const struct frag_slot *s = worker_frag_slot(wk, pm);

	if (!worker_frag_match(s, pm, worker_vlan(pm)) ||
	    (int32_t)(s->expires_ms - now_ms) < 0)
		return -1;
	return s->verdict;
}


/* Share a packet with the inventory: a reference, never a copy. Queued
 * for worker_inv_flush() at the burst's end. */
static inline void
worker_tap(struct dp_worker *wk, struct rte_mbuf *m)
{
	struct worker_burst *b = &wk->burst;

	rte_mbuf_refcnt_update(m, 1);
	b->tapq[b->n_tapq++] = m;
}

/*
 * The burst's tapped packets and new flows to the inventory, each in one
 * enqueue. A packet the ring cannot take loses the tap's reference
 * (rte_pktmbuf_free(): the burst may have sent the packet already, and
 * then the tap's is the last).
 */
static void
worker_inv_flush(struct dp_worker *wk)
{
	struct worker_burst *b = &wk->burst;
	unsigned int done;

	if (b->n_tapq != 0) {
		done = rte_ring_sp_enqueue_burst(wk->tap, (void **)b->tapq,
						 b->n_tapq, NULL);
		DP_CNT_ADD(wk->stats.tapped, done);
		if (unlikely(done < b->n_tapq)) {
			DP_CNT_ADD(wk->stats.tap_full, b->n_tapq - done);
			for (unsigned int i = done; i < b->n_tapq; i++)
				rte_pktmbuf_free(b->tapq[i]);
		}
		b->n_tapq = 0;
	}
	if (b->n_frec != 0) {
		done = rte_ring_sp_enqueue_burst_elem(wk->flowrec, b->frec,
						      sizeof(b->frec[0]),
						      b->n_frec, NULL);
		if (unlikely(done < b->n_frec))
			DP_CNT_ADD(wk->stats.flowrec_full, b->n_frec - done);
		b->n_frec = 0;
	}
}

/* DHCP and DHCPv6: a segment's clients all share one flow (0.0.0.0:68 to
 * the broadcast address), so every packet of it is someone's first. */
static inline bool
worker_tap_dhcp_port(uint16_t p)
{
	return p == 67 || p == 68 || p == 546 || p == 547;
}

/* DNS, mDNS, SSDP: queries, answers and announcements. Vendor discovery
 * (fp_disc.c), whose devices also announce themselves over and over: Kasa
 * 9999, Smarter 2081, Tuya 6666/6667, Ubiquiti 10001, eQ-3 MAX! 23272. */
static inline bool
worker_tap_name_port(uint16_t p)
{
	return p == 53 || p == 5353 || p == 1900 || p == 9999 || p == 2081 ||
		p == 6666 || p == 6667 || p == 10001 || p == 23272;
}

/* Packets of a flow in one direction that are always looked at. */
#define WORKER_TAP_FIRST 4

/* A flow's packets from one side, as far as worker_tap_wanted() cares:
 * the low half, unless it is small enough to have wrapped. */
static inline uint64_t
worker_flow_pkts(const struct flow_entry *e, unsigned int dir)
{
	uint32_t lo = e->pkts_lo[dir];

	return likely(lo > WORKER_TAP_FIRST) ? lo : flow_pkts(e, dir);
}

/*
 * Worth fingerprinting? From the parser's metadata and the flow's packet
 * count in this direction (this packet included): a ClientHello or an
 * HTTP request comes in the first data segments, a QUIC Initial in the
 * first datagrams, a DNS query and its answer are a flow's first packets.
 * mDNS, SSDP and vendor discovery speakers repeat their announcements on one flow for as
 * long as they live: after its first packets, such a flow is looked at
 * again at most once a second (e->user16[1]: when it last was), which
 * bounds what a busy flow costs the inventory without losing what changes.
 */
static inline bool
worker_tap_wanted(const struct pkt_meta *pm, struct flow_entry *e,
		  uint64_t pkts, uint32_t now_s)
{
	/* Most packets in one test that the predictor gets right: past the
	 * first ones, no SYN, a flow of no port of interest. Asking for
	 * the protocol first was a coin toss per packet on a mixed link. */
	if (likely(pkts > WORKER_TAP_FIRST &&
		   !(pm->tcp_flags & FLOW_TCP_SYN) &&
		   !(e->user_flags & WORKER_UF_TAP_ALL)))
		return false;
	if (pm->l4_proto == IPPROTO_TCP)
		return (pm->tcp_flags & FLOW_TCP_SYN) ||
			(pkts <= WORKER_TAP_FIRST && pm->payload_off != 0 &&
			 pm->payload_off < pm->l3_off + pm->l3_len);
	if (pm->l4_proto == IPPROTO_UDP) {
		if (worker_tap_name_port(pm->sport) ||
		    worker_tap_name_port(pm->dport)) {
			if (pkts <= WORKER_TAP_FIRST)
				return true;
			if (e->user16[1] == (uint16_t)now_s)
				return false;
			e->user16[1] = (uint16_t)now_s;
			return true;
		}
		return worker_tap_dhcp_port(pm->sport) ||
			worker_tap_dhcp_port(pm->dport) ||
			((pm->dport == 443 || pm->sport == 443) && pkts <= 2);
	}
	return (pm->flags & PKT_F_ND) != 0;
}

/* Whether worker_tap_wanted() may want a packet of the flow after its
 * first WORKER_TAP_FIRST ones in a direction, SYNs aside. */
static inline bool
worker_tap_flow(const struct flow_key *k)
{
	if (k->proto == IPPROTO_UDP)
		return worker_tap_name_port(k->port[0]) ||
			worker_tap_name_port(k->port[1]) ||
			worker_tap_dhcp_port(k->port[0]) ||
			worker_tap_dhcp_port(k->port[1]);
	return k->proto == IPPROTO_ICMPV6;
}

/* A new flow, for the inventory's behaviour summaries (queued for
 * worker_inv_flush()). */
static inline void
worker_flowrec(struct dp_worker *wk, const struct flow_entry *e, uint32_t v)
{
	const uint8_t resp = e->init_side ^ 1;
	struct inv_flowrec *r;

	if (e->dev[FLOW_DIR_ORIG] == DEVICE_NONE)
		return;
	r = &wk->burst.frec[wk->burst.n_frec++];
	r->dev = e->dev[FLOW_DIR_ORIG];
	r->dport = e->key.port[resp];
	r->proto = e->key.proto;
	r->denied = !(v & VERDICT_ALLOW);
	r->family = e->key.family;
	if (r->family == 4) {
		memcpy(r->dst, &e->key.addr_lo[resp], 4);
	} else {
		struct flow_key k;

		flow_entry_key(e, &k);
		memcpy(r->dst, k.addr[resp], 16);
	}
}

/* Has the device been seen with this (initiator) address before? */
static inline bool
worker_addr_new(struct dp_worker *wk, uint32_t dev, const uint8_t *addr16,
		uint8_t family, uint32_t now_s)
{
	struct device_entry *d;

	if (dev == DEVICE_NONE)
		return false;
	d = device_at(&wk->hot->devices, dev);
	/* Ask at most once a second per device: checked first, as it is
	 * cheaper than the address list (a device new addresses keep
	 * coming from asks once, then waits out the second). */
	if (__atomic_load_n(&d->addr_report_s, __ATOMIC_RELAXED) == now_s)
		return false;
	if (device_has_addr(d, family == 4 ? addr16 + 12 : addr16,
			    family == 4 ? 4 : 16))
		return false;
	__atomic_store_n(&d->addr_report_s, now_s, __ATOMIC_RELAXED);
	return true;
}

/* ---- DNS snooping (dns_snoop.h) -------------------------------------- */

/*
 * The epoch denied flows are cached with while the policy has dns_name
 * rules: the policy epoch mixed with the DNS generation, so that a new
 * binding of a name the policy uses re-checks denied flows (a device's
 * flow denied before its name was learned) while allowed flows keep the
 * plain epoch and are never re-checked for DNS. Always differs from the
 * plain epoch (top bit; epochs stay far below it).
 */
static inline uint32_t
worker_dns_epoch(const struct dp_worker *wk, const struct policy_ctx *pol,
		 uint32_t epoch)
{
	if (likely(pol == NULL || !policy_dns_active(pol)))
		return epoch;
	return epoch ^ (((dns_table_gen(wk->hot->dns) + 1) * 0x9e3779b1u) |
			0x80000000u);
}

/*
 * Learn from the DNS responses among the burst's allowed packets. Runs
 * after pass 3 and before the TX flush: the binding exists before the
 * device can receive the answer and open a flow to the address. The
 * receiving device is the response's destination MAC.
 */
static __rte_noinline void
worker_dns_snoop(struct dp_worker *wk, const struct worker_burst *b,
		 unsigned int k, const struct policy_ctx *pol)
{
	struct dns_table *t = wk->hot->dns;
	uint32_t now = 0;

	for (unsigned int j = 0; j < k; j++) {
		const unsigned int p = b->pkt_of[j];
		const struct pkt_meta *pm = &b->meta[p];
		const struct rte_mbuf *m = b->pkts[p];
		const uint8_t *msg;
		uint32_t end;

		if (pm->l4_proto != IPPROTO_UDP || pm->sport != 53 ||
		    b->out[p] == OUT_DROP || b->out[p] == OUT_STEER ||
		    (pm->flags & (PKT_F_FRAG | PKT_F_L2_MCAST)) ||
		    pm->payload_off == 0)
			continue;
		/* The IP length, not the frame's (Ethernet padding). */
		end = (uint32_t)pm->l3_off + pm->l3_len;
		if (end > rte_pktmbuf_data_len(m))
			end = rte_pktmbuf_data_len(m);
		if (end <= pm->payload_off)
			continue;
		msg = rte_pktmbuf_mtod_offset(m, const uint8_t *,
					      pm->payload_off);
		/* With detection on, only an answer to a query the device
		 * sent binds (forged ones are alerted by dp_detect). */
		if (wk->det != NULL && dp_detect_answer_rc(&wk->det->glue,
				msg) != DET_DNS_MATCHED) {
			DP_CNT_ADD(wk->stats.dns_unvouched, 1);
			continue;
		}
		if (now == 0)
			now = dns_table_now(t);
		dns_snoop(t, pm->dst_mac, worker_vlan(pm), msg,
			  end - pm->payload_off, now, policy_dns_relevant,
			  (void *)(uintptr_t)pol);
	}
}

/* When this dataplane last contained the flow's initiator (0: never). */
static inline uint64_t
worker_contained_us(const struct dp_worker *wk, const struct flow_entry *e)
{
	const uint32_t dev = e->dev[FLOW_DIR_ORIG];

	if (dev == DEVICE_NONE)
		return 0;
	return __atomic_load_n(&device_at(&wk->hot->devices, dev)->contained_us,
			       __ATOMIC_RELAXED);
}

/*
 * Pass 2: flow lookups, classification of misses and stale hits, inserts.
 * Fills b->ent[j] (NULL if the table could not take it: then b->verdict[j]
 * holds the verdict for this packet only).
 */
static inline void
worker_flows(struct dp_worker *wk, struct worker_burst *b, unsigned int k,
	     const struct policy_ctx *pol, uint32_t now_s, uint32_t now_ms)
{
	const uint32_t epoch = pol ? policy_epoch(pol) : 0;
	const uint32_t epoch_dns = worker_dns_epoch(wk, pol, epoch); /* dns */
	unsigned int nq = 0, j;
	uint64_t hit, todo;

	hit = flow_lookup_burst(wk->ft, b->key, b->hash, k, b->ent, now_ms);

	/* To classify: the misses, and the hits whose verdict predates the
	 * policy in force (dns: or a denied one, with a new name since). */
	todo = ~hit & (k < 64 ? (1ull << k) - 1 : ~0ull);
	for (uint64_t h = hit; h != 0; h &= h - 1) {
		const struct flow_entry *e = b->ent[__builtin_ctzll(h)];

		if (unlikely(e->epoch != epoch) && e->epoch != epoch_dns &&
		    !(e->user_flags & WORKER_UF_GRANTED))
			todo |= h & -h;
	}
	/* New flows look both their devices up once classified: get the
	 * table's slots coming while the classifier works. */
	for (uint64_t m = todo & ~hit; m != 0; m &= m - 1) {
		const unsigned int jm = (unsigned int)__builtin_ctzll(m);
		const struct pkt_meta *pm = &b->meta[b->pkt_of[jm]];

		b->dkey[jm][0] = device_key(pm->src_mac, worker_vlan(pm));
		b->dkey[jm][1] = device_key(pm->dst_mac, worker_vlan(pm));
		device_prefetch_key(&wk->hot->devices, b->dkey[jm][0]);
		device_prefetch_key(&wk->hot->devices, b->dkey[jm][1]);
	}
	for (; todo != 0; todo &= todo - 1) {
		const struct flow_entry *e;
		const struct pkt_meta *pm;

		j = (unsigned int)__builtin_ctzll(todo);
		e = b->ent[j];
		pm = &b->meta[b->pkt_of[j]];
		if (e != NULL)
			/* Stale verdict: check the flow against the new
			 * policy, in its own direction. */
			worker_query(&b->q[nq], &b->key[j], e->init_side,
				     pm, b->side[j] == e->init_side);
		else
			/* New flow: this packet's sender initiates it. */
			worker_query(&b->q[nq], &b->key[j], b->side[j], pm,
				     true);
		b->qp[nq] = &b->q[nq];
		b->q_of[nq++] = (uint16_t)j;
	}
	if (nq == 0)
		return;

	if (pol != NULL) {
		policy_classify_burst(pol, b->qp, nq, b->res);
	} else {
		/* No policy loaded: a plain bridge. */
		for (unsigned int i = 0; i < nq; i++) {
			memset(&b->res[i], 0, sizeof(b->res[i]));
			b->res[i].action = POLICY_ALLOW;
			b->res[i].rule_id = 0;
		}
	}
	DP_CNT_ADD(wk->stats.classified, nq);

	/* The new flows' senders: their entries, hot lines and counters, on
	 * their way while the inserts before theirs run. A read-only look-up
	 * (its slots came in with the classification); device_get_key()
	 * below still decides. */
	for (unsigned int i = 0; i < nq; i++) {
		j = b->q_of[i];
		if (b->ent[j] == NULL) {
			uint32_t d = device_lookup_key(&wk->hot->devices,
						       b->dkey[j][0]);

			if (d != DEVICE_NONE) {
				device_prefetch_idx(&wk->hot->devices, d);
				rte_prefetch0(&wk->devc[d]);
			}
		}
	}
	for (unsigned int i = 0; i < nq; i++) {
		const struct pkt_meta *pm;
		struct flow_entry *e;
		uint32_t v = worker_verdict(&b->res[i]);

		j = b->q_of[i];
		e = b->ent[j];
		if (i + WORKER_INSERT_AHEAD < nq &&
		    b->ent[b->q_of[i + WORKER_INSERT_AHEAD]] == NULL)
			flow_prefetch_insert(wk->ft,
				b->hash[b->q_of[i + WORKER_INSERT_AHEAD]]);
		if (e == NULL) {
			pm = &b->meta[b->pkt_of[j]];
			e = flow_insert(wk->ft, &b->key[j], b->hash[j],
					b->side[j], pm->tcp_flags, now_ms);
			b->ent[j] = e;
			if (unlikely(e == NULL)) {
				b->verdict[j] = v;
				continue;
			}
			/*
			 * This packet missed, yet its flow exists: an earlier
			 * packet of this burst created it (say a SYN and its
			 * SYN-ACK). The entry is that packet's, from its
			 * initiator's side; this one only follows it, and
			 * makes its sender known now, in arrival order, as a
			 * first packet would (later flows of the burst may be
			 * going to it).
			 */
			if (unlikely(e->user_flags & WORKER_UF_DECIDED)) {
				unsigned int dir = flow_dir(e, b->side[j]);

				if (e->dev[dir] == DEVICE_NONE)
					e->dev[dir] = device_get(
						&wk->hot->devices, pm->src_mac,
						worker_vlan(pm),
						b->in[b->pkt_of[j]], now_s);
				continue;
			}
			e->user_flags |= WORKER_UF_DECIDED;
			dp_detect_flow_created(e);
			/* Devices on both ends, for per-device counters (this
			 * slot missed the table: its keys were built above). */
			e->dev[FLOW_DIR_ORIG] = device_get_key(
				&wk->hot->devices, b->dkey[j][0],
				b->in[b->pkt_of[j]], now_s);
			e->dev[FLOW_DIR_REPLY] = device_lookup_key(
				&wk->hot->devices, b->dkey[j][1]);
			e->user16[0] = (uint16_t)now_s;	/* looked for */
			if (wk->tap != NULL) {
				if (worker_tap_flow(&b->key[j]))
					e->user_flags |= WORKER_UF_TAP_ALL;
				b->tap_addr[j] = worker_addr_new(wk,
					e->dev[FLOW_DIR_ORIG],
					b->key[j].addr[b->side[j]],
					b->key[j].family, now_s);
				worker_flowrec(wk, e, v);
			}
			if (e->dev[FLOW_DIR_ORIG] != DEVICE_NONE)
				DP_CNT_ADD(wk->devc[e->dev[FLOW_DIR_ORIG]].flows,
					   1);
			/* Denied by an ask segment's default: a prompt. */
			if (unlikely(b->res[i].ask) && v == VERDICT_DEFAULT)
				dp_ask_flow(wk, e);
		} else {
			DP_CNT_ADD(wk->stats.reclassified, 1);
			/* Held by the new policy's ask default, and not
			 * before: a prompt too. */
			if (unlikely(b->res[i].ask) && v == VERDICT_DEFAULT &&
			    e->verdict != VERDICT_DEFAULT)
				dp_ask_flow(wk, e);
			/* Its initiator let out of quarantine: detection
			 * sees a new attempt (dp_detect.h). */
			if (unlikely(dp_detect_flow_reused(e,
					e->verdict & VERDICT_QUAR_ORIG,
					v & VERDICT_QUAR_ORIG,
					worker_contained_us(wk, e))))
				dp_detect_flow_released(e,
					&b->meta[b->pkt_of[j]], b->side[j]);
		}
		flow_cold(e)->user32 = b->res[i].rule_id;
		flow_set_verdict(e, v, (v & VERDICT_ALLOW) ? epoch :
				 epoch_dns);	/* dns: see worker_dns_epoch */
	}
}

/*
 * The counters of flow slot j's sender, which pass 3 is about to count:
 * a line per device, evicted from the nearer caches by the packets that
 * went through since that device last sent.
 */
static inline void
worker_prefetch_devc(const struct dp_dev_counters *devc,
		     const struct worker_burst *b, unsigned int j)
{
	const struct flow_entry *e = b->ent[j];
	uint32_t dev;

	if (e == NULL)
		return;
	dev = e->dev[flow_dir(e, b->side[j])];
	if (likely(dev != DEVICE_NONE))
		rte_prefetch0(&devc[dev]);
}

/*
 * Flows an operator allowed once (dp_ask.h): allowed from their next
 * packet until they end, whatever later policies say.
 */
static void
worker_grants(struct dp_worker *wk, const struct policy_ctx *pol,
	      uint32_t now_ms)
{
	struct dp_ask_rec r;
	struct flow_entry *e;

	while (dp_ask_next_grant(wk, &r)) {
		e = flow_lookup(wk->ft, &r.key, flow_hash_sym(&r.key), now_ms);
		if (e == NULL) {
			DP_CNT_ADD(wk->stats.grant_gone, 1);
			continue;
		}
		e->user_flags |= WORKER_UF_GRANTED;
		flow_cold(e)->user32 = 0;
		flow_set_verdict(e, VERDICT_ALLOW, pol ? policy_epoch(pol) : 0);
		DP_CNT_ADD(wk->stats.granted, 1);
	}
}

/* Hand packets to the workers that own them (their steering rings). */
static inline void
worker_steer_flush(struct dp_worker *wk)
{
	const struct dp_hot *hot = wk->hot;

	for (uint16_t w = 0; w < hot->n_workers; w++) {
		struct dp_txbuf *tb = &wk->to[w];
		unsigned int sent;

		if (tb->n == 0)
			continue;
		sent = rte_ring_enqueue_burst(hot->workers[w]->steer,
					      (void **)tb->pkts, tb->n, NULL);
		DP_CNT_ADD(wk->stats.steered_out, sent);
		for (unsigned int i = sent; i < tb->n; i++) {
			struct rte_mbuf *m = tb->pkts[i];

			worker_drop(wk, m, hot->port_index[m->port],
				    DP_DROP_STEER_FULL);
		}
		tb->n = 0;
	}
}

/*
 * rte_pktmbuf_free_bulk() of the burst's drops, in line. That one is out
 * of line in librte_mbuf.so, where every put looks the lcore's mempool
 * cache up through __tls_get_addr (a shared object's thread-local); here
 * it is a load from %fs. Single segments of the first one's pool go back
 * in one put (rte_pktmbuf_prefree_seg() only lets go of those still held
 * elsewhere, a tap's clone say); chains and other pools' mbufs the usual
 * way. 1-2 % on bench_peers' mix (docs/perf.md, the thirteenth round).
 */
static inline void
worker_free_bulk(struct rte_mbuf **m, unsigned int n)
{
	struct rte_mempool *const pool = m[0]->pool;
	void *objs[DP_MAX_BURST];
	unsigned int k = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *seg = m[i];

		if (likely(seg->pool == pool && seg->next == NULL)) {
			seg = rte_pktmbuf_prefree_seg(seg);
			if (likely(seg != NULL))
				objs[k++] = seg;
		} else {
			rte_pktmbuf_free(seg);
		}
	}
	if (k != 0)
		rte_mempool_put_bulk(pool, objs, k);
}

/* worker_process()'s in_all when a burst's packets came in on different
 * ports (steered to us by the other workers). */
#define WORKER_IN_MIXED UINT16_MAX

/* Send packet i of the burst where it was decided to go. A drop's port
 * counter is the caller's when the whole burst came in on port in_all. */
static inline void
worker_dispatch(struct dp_worker *wk, struct worker_burst *b, unsigned int i,
		uint16_t in_all, unsigned int *nd)
{
	struct rte_mbuf *m = b->pkts[i];

	switch (b->out[i]) {
	case OUT_DROP:
		DP_CNT_ADD(wk->stats.drops[b->why[i]], 1);
		if (unlikely(in_all == WORKER_IN_MIXED))
			DP_CNT_ADD(wk->stats.port[b->in[i]].drops, 1);
		b->dropped[(*nd)++] = m;
		break;
	case OUT_FLOOD:
		worker_flood(wk, m, b->in[i], b->len[i]);
		break;
	case OUT_STEER: {
		struct dp_txbuf *tb = &wk->to[b->why[i]];

		tb->pkts[tb->n++] = m;
		break;
	}
	default:
		worker_enqueue(wk, b->out[i], m, b->len[i]);
		break;
	}
}

/*
 * Process the n packets in b->pkts, whose input ports are in b->in (all
 * in_all, or WORKER_IN_MIXED). With steer, IP packets owned by another
 * worker are passed to it instead. Returns the bytes of the n packets.
 */
static inline uint64_t
worker_process(struct dp_worker *wk, unsigned int n, bool steer,
	       uint16_t in_all, uint32_t now_s, uint32_t now_ms,
	       const struct policy_ctx *pol)
{
	const struct dp_hot *hot = wk->hot;
	struct worker_burst *b = &wk->burst;
	struct dp_detect *det = wk->det != NULL ? &wk->det->glue : NULL;
	unsigned int i, k = 0;
	bool steered = false;
	uint64_t bytes = 0;

	if (det != NULL)
		dp_detect_burst_begin(det);

	/* Get the first packets' headers coming; the loop keeps a few ahead
	 * (as l3fwd does), enough for DMA'd data without flooding the
	 * core's miss buffers. */
	for (i = 0; i < n && i < WORKER_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(b->pkts[i], void *));

	/* Pass 1: parse, L2-only frames, flow keys. */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = b->pkts[i];
		struct pkt_meta *pm = &b->meta[i];
		const uint16_t in = b->in[i];
		enum pkt_parse_rc rc;
		enum dp_drop why = DP_DROP_MAX;

		if (i + WORKER_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(b->pkts[i +
						       WORKER_PREFETCH], void *));
		b->len[i] = rte_pktmbuf_pkt_len(m);
		bytes += b->len[i];
		rc = pkt_parse(rte_pktmbuf_mtod(m, const uint8_t *),
			       rte_pktmbuf_data_len(m), pm);
		if (unlikely(rc >= PKT_DROP_FIRST)) {
			b->out[i] = OUT_DROP;
			b->why[i] = (uint8_t)dp_drop_of_parse(rc);
			continue;
		}
		if (unlikely(rc == PKT_PARSE_L2)) {
			bool ok = pol == NULL || policy_l2_action(pol,
					pm->src_mac, worker_vlan(pm)) ==
					POLICY_ALLOW;

			why = DP_DROP_L2_POLICY;
			if (!ok && policy_l2_quarantined(pol, pm->src_mac,
							 worker_vlan(pm)))
				why = DP_DROP_QUARANTINE;
			b->out[i] = worker_l2_decide(wk, pm, in, ok, b->len[i],
						     now_s, &why,
						     why == DP_DROP_QUARANTINE);
			b->why[i] = (uint8_t)why;
			if (det != NULL)
				dp_detect_l2(det, pm, wk->now_us);
			/* ARP, and LLDP (0x88cc) for announced MUD URLs. */
			if (wk->tap != NULL && ((pm->flags & PKT_F_ARP) ||
						pm->ethertype == 0x88cc))
				worker_tap(wk, m);
			continue;
		}
		b->side[k] = flow_key_hash_from_meta(&b->key[k], &b->hash[k],
						     pm, worker_vlan(pm));
		if (unlikely(steer)) {
			struct flow_key pair = b->key[k];
			uint32_t owner;

			pair.port[0] = pair.port[1] = 0;
			owner = flow_hash_worker(flow_hash_sym(&pair),
						 hot->n_workers);
			if (owner != wk->idx) {
				b->out[i] = OUT_STEER;
				b->why[i] = (uint8_t)owner;
				steered = true;
				continue;
			}
		}
		if (unlikely(pm->flags & PKT_F_FRAG_LATER)) {
			int v = worker_frag_verdict(wk, pm, now_ms);

			why = v < 0 ? DP_DROP_FRAG_NO_FIRST :
				worker_deny_reason((uint32_t)v);
			b->out[i] = worker_l2_decide(wk, pm, in,
					v >= 0 && (v & VERDICT_ALLOW),
					b->len[i], now_s, &why, false);
			b->why[i] = (uint8_t)why;
			continue;
		}
		b->out[i] = OUT_PENDING;
		b->tap_addr[k] = 0;
		b->pkt_of[k++] = (uint16_t)i;
	}

	/*
	 * The flows' hints, all in one loop. Not in pass 1's, each as its
	 * hash is known: there the instruction after each prefetch took 7 %
	 * of the worker's samples (the prefetch waits at retirement, for a
	 * translation most likely), and bench_peers' mix ran 2 % faster
	 * with them here, where their waits overlap.
	 */
	for (unsigned int j = 0; j < k; j++)
		flow_prefetch_hash(&wk->ft_pf, b->hash[j]);
	/* Pass 2: the flow table, and the classifier for what it lacks. */
	if (k > 0)
		worker_flows(wk, b, k, pol, now_s, now_ms);

	/*
	 * Pass 3: count, then drop or forward, in arrival order. When every
	 * packet of the burst is a flow's (the usual case), each goes out as
	 * soon as it is decided; otherwise a last pass keeps the order.
	 */
	const bool direct = k == n;
	unsigned int nd = 0;
	/* Read once: the stores into b (bytes among them, which may alias
	 * anything) would have the compiler read these again per packet. */
	struct dp_dev_counters *const devc = wk->devc;
	struct device_table *const devs = &wk->hot->devices;
	const bool tap = wk->tap != NULL;
	const uint64_t now_us = wk->now_us;

	/* The senders' counters, all of the burst's first (as the hints). */
	for (unsigned int j = 0; j < k; j++)
		worker_prefetch_devc(devc, b, j);
	for (unsigned int j = 0; j < k; j++) {
		const unsigned int p = b->pkt_of[j];
		const struct pkt_meta *pm = &b->meta[p];
		const uint16_t in = b->in[p];
		struct flow_entry *e = b->ent[j];
		uint32_t len = b->len[p], v;
		enum dp_drop why = DP_DROP_MAX;

		if (unlikely(e == NULL)) {
			/* The table could not keep it: decide statelessly. */
			v = b->verdict[j];
			why = worker_deny_reason(v);
			/* a new flow: this packet's sender initiates it */
			b->out[p] = worker_l2_decide(wk, pm, in,
					v & VERDICT_ALLOW, len, now_s, &why,
					(v & VERDICT_QUAR_ORIG) != 0);
			b->why[p] = (uint8_t)why;
			goto next;
		}

		const unsigned int dir = flow_dir(e, b->side[j]);
		/* Both devices in registers: the stores below (counters, b)
		 * would have the compiler read them again from e. */
		uint32_t sdev = e->dev[dir], ddev = e->dev[dir ^ 1];
		uint16_t out;

		flow_update(e, b->side[j], len, pm->tcp_flags);
		/* The flow remembers both devices: no MAC lookups on a hit. */
		if (unlikely(sdev == DEVICE_NONE)) {
			sdev = device_get(devs, pm->src_mac, worker_vlan(pm),
					  in, now_s);
			e->dev[dir] = sdev;
		}
		/* A destination never heard from floods; look for it again
		 * at most once a second per flow (user16[0]: when we last
		 * did). */
		if (unlikely(ddev == DEVICE_NONE) &&
		    !(pm->flags & PKT_F_L2_MCAST) &&
		    e->user16[0] != (uint16_t)now_s) {
			e->user16[0] = (uint16_t)now_s;
			ddev = device_lookup(devs, pm->dst_mac,
					     worker_vlan(pm));
			e->dev[dir ^ 1] = ddev;
		}
		v = e->verdict;
		if (det != NULL)
			dp_detect_ip(det, pm, rte_pktmbuf_mtod(b->pkts[p],
					const uint8_t *),
				     rte_pktmbuf_data_len(b->pkts[p]), e, dir,
				     !(v & VERDICT_ALLOW), now_us, now_ms);
		worker_count_device(devc, sdev, v & VERDICT_ALLOW, len);
		if (tap && (unlikely(b->tap_addr[j]) ||
		    worker_tap_wanted(pm, e, worker_flow_pkts(e, dir), now_s)))
			worker_tap(wk, b->pkts[p]);
		if (unlikely(pm->flags & PKT_F_FRAG))
			worker_frag_note(wk, pm, v, now_ms);
		if (unlikely(!(v & VERDICT_ALLOW))) {
			b->out[p] = OUT_DROP;
			b->why[p] = (uint8_t)worker_deny_reason(v);
			if (unlikely(v & VERDICT_QUAR))
				worker_quar_note(wk, e->dev[
					(v & VERDICT_QUAR_ORIG) ?
					FLOW_DIR_ORIG : FLOW_DIR_REPLY]);
			goto next;
		}
		out = worker_l2_fwd(wk, devs, pm, sdev, ddev, in, now_s, &why);
		b->out[p] = out;
		b->why[p] = (uint8_t)why;
		if (likely(out != OUT_DROP) && ddev != DEVICE_NONE) {
			struct dp_dev_counters *c = &devc[ddev];

			DP_CNT_ADD(c->rx_pkts, 1);
			DP_CNT_ADD(c->rx_bytes, len);
		}
	next:
		if (direct)
			worker_dispatch(wk, b, p, in_all, &nd);
	}

	if (!direct)
		for (i = 0; i < n; i++)
			worker_dispatch(wk, b, i, in_all, &nd);
	if (b->n_tapq != 0 || b->n_frec != 0)
		worker_inv_flush(wk);
	/* dns: before the flush below transmits the answers. */
	if (unlikely(pol != NULL && k != 0 && policy_dns_snoop(pol)))
		worker_dns_snoop(wk, b, k, pol);

	if (nd != 0) {
		/* Every drop of a one-port burst at once: worker_dispatch(). */
		if (likely(in_all != WORKER_IN_MIXED))
			DP_CNT_ADD(wk->stats.port[in_all].drops, nd);
		worker_free_bulk(b->dropped, nd);
	}
	if (unlikely(steered))
		worker_steer_flush(wk);
	for (uint16_t p = 0; p < hot->n_ports; p++)
		if (wk->tx[p].n != 0)
			worker_flush(wk, p);
	return bytes;
}

/* One RX burst from one queue: how many packets it took. Packets are
 * counted here, where they came in, even when another worker ends up
 * forwarding them. */
static inline unsigned int
worker_rx(struct dp_worker *wk, const struct dp_rxq *rxq, uint32_t now_s,
	  uint32_t now_ms, const struct policy_ctx *pol)
{
	const struct dp_hot *hot = wk->hot;
	struct worker_burst *b = &wk->burst;
	const uint16_t in = rxq->port;
	uint64_t bytes;
	unsigned int n, i;

	n = rte_eth_rx_burst(rxq->port_id, rxq->queue, b->pkts,
			     hot->burst);
	DP_CNT_ADD(wk->stats.polls, 1);
	if (n == 0)
		return 0;
	DP_CNT_ADD(wk->stats.busy_polls, 1);
	for (i = 0; i < n; i++)
		b->in[i] = in;
	dp_cap_tap(wk, b->pkts, n, in);
	/* Packets before anything is sent or dropped, so that a reader
	 * never sees more leave than came in; bytes once they are summed. */
	DP_CNT_ADD(wk->stats.rx_packets, n);
	DP_CNT_ADD(wk->stats.port[in].rx_packets, n);
	bytes = worker_process(wk, n, hot->steer, in, now_s, now_ms, pol);
	DP_CNT_ADD(wk->stats.rx_bytes, bytes);
	DP_CNT_ADD(wk->stats.port[in].rx_bytes, bytes);
	return n;
}

/* Packets other workers received for flows this one owns: how many. */
static inline unsigned int
worker_rx_steered(struct dp_worker *wk, uint32_t now_s, uint32_t now_ms,
		  const struct policy_ctx *pol)
{
	const struct dp_hot *hot = wk->hot;
	struct worker_burst *b = &wk->burst;
	unsigned int n;

	n = rte_ring_dequeue_burst(wk->steer, (void **)b->pkts,
				   hot->burst, NULL);
	if (n == 0)
		return 0;
	DP_CNT_ADD(wk->stats.steered_in, n);
	for (unsigned int i = 0; i < n; i++)
		b->in[i] = hot->port_index[b->pkts[i]->port];
	worker_process(wk, n, false, WORKER_IN_MIXED, now_s, now_ms, pol);
	return n;
}

/* --idle-sleep: after a loop that took n packets, sleep if the queues
 * have stayed empty long enough (dp_idle.h). Offline to the policy's RCU
 * meanwhile, so that a swap does not wait for the sleep. */
static void
worker_idle(struct dp_worker *wk, unsigned int n)
{
	uint32_t us = dp_idle_next(&wk->idle, n);
	uint64_t t0;

	if (us == 0)
		return;
	policy_holder_reader_sleep(wk->hot->policy, wk->idx);
	t0 = dp_hot_us(wk->hot, rte_rdtsc());
	rte_delay_us_sleep(us);
	/* What it slept, not what it asked: the kernel wakes it late. */
	DP_CNT_ADD(wk->stats.idle_sleep_us,
		   dp_hot_us(wk->hot, rte_rdtsc()) - t0);
	DP_CNT_ADD(wk->stats.idle_sleeps, 1);
	policy_holder_reader_wake(wk->hot->policy, wk->idx);
}

void
worker_drain_all(struct dp *dp)
{
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];
		struct rte_mbuf *m;

		if (wk == NULL || wk->steer == NULL)
			continue;
		while (rte_ring_dequeue(wk->steer, (void **)&m) == 0)
			worker_drop(wk, m, dp->hot.port_index[m->port],
				    DP_DROP_SHUTDOWN);
	}
}

int
worker_main(void *arg)
{
	struct dp_worker *wk = arg;
	const struct dp_hot *hot = wk->hot;

	if (wk->idle.max_us != 0)
		RTE_LOG(INFO, USER1, "worker %u on lcore %u: %u RX queues, "
			"%u flows, sleeps up to %u us when idle\n", wk->idx,
			wk->lcore_id, wk->n_rxq, flow_table_capacity(wk->ft),
			wk->idle.max_us);
	else
		RTE_LOG(INFO, USER1, "worker %u on lcore %u: %u RX queues, "
			"%u flows, busy-polling\n", wk->idx, wk->lcore_id,
			wk->n_rxq, flow_table_capacity(wk->ft));
	/* Linux stretches a sleep by the thread's timer slack, 50 us by
	 * default: more than the shortest sleeps asked. */
	if (wk->idle.max_us != 0 && prctl(PR_SET_TIMERSLACK, 1000ul) != 0)
		RTE_LOG(WARNING, USER1, "worker %u: timer slack: %s\n",
			wk->idx, strerror(errno));

	/* Sweep a slice of the table each millisecond: all of it in ~8 s. */
	const unsigned int sweep = RTE_MAX(flow_table_capacity(wk->ft) / 8192,
					   32u);
	uint32_t swept_ms = 0;

	policy_holder_reader_online(hot->policy, wk->idx);
	while (!dp_hot_quitting(hot)) {
		const struct policy_ctx *pol = policy_holder_get(hot->policy);
		/* The flow table's clock is milliseconds of uptime (it copes
		 * with the wrap after 49 days); seconds from it for devices,
		 * which never wrap; microseconds for detection. */
		uint64_t us = dp_hot_us(hot, rte_rdtsc());
		uint64_t ms = us / 1000;
		uint32_t now_ms = (uint32_t)ms;
		uint32_t now_s = (uint32_t)(ms / 1000);
		unsigned int got = 0;

		wk->now_us = us;
		wk->now_ms = now_ms;

		for (uint16_t i = 0; i < wk->n_rxq; i++)
			got += worker_rx(wk, &wk->rxq[i], now_s, now_ms, pol);
		if (hot->steer)
			got += worker_rx_steered(wk, now_s, now_ms, pol);
		if (now_ms != swept_ms) {
			flow_table_sweep(wk->ft, now_ms, sweep);
			flow_prefetcher_init(wk->ft, &wk->ft_pf);
			swept_ms = now_ms;
		}
		flow_dump_poll(hot->flow_dump, wk->idx, wk->ft, now_ms);
		worker_grants(wk, pol, now_ms);
		if (wk->det != NULL && (wk->det->room != 0 || wk->det->full))
			worker_det_flush(wk);
		/* Done with pol: the main lcore may free it after this. */
		policy_holder_quiescent(hot->policy, wk->idx);
		if (unlikely(wk->idle.max_us != 0))
			worker_idle(wk, got);
	}
	policy_holder_reader_offline(hot->policy, wk->idx);
	return 0;
}
