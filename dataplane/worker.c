/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The worker loop: receive a burst from each of its RX queues, decide each
 * packet's output, then transmit per output port. Transmit buffers are
 * flushed after every RX burst so that no packet waits for the next one.
 */

#include <errno.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "worker.h"

/* Output of the forwarding decision. */
#define OUT_FLOOD 0xfffe
#define OUT_DROP 0xffff

int
worker_setup_all(struct dp *dp)
{
	unsigned int lcore;
	uint16_t w = 0;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct dp_worker *wk;

		wk = rte_zmalloc_socket("worker", sizeof(*wk),
					RTE_CACHE_LINE_SIZE,
					rte_lcore_to_socket_id(lcore));
		if (wk == NULL)
			return -ENOMEM;
		wk->dp = dp;
		wk->lcore_id = lcore;
		wk->idx = w;
		for (uint16_t p = 0; p < dp->n_ports; p++) {
			const struct dp_port *port = &dp->ports[p];

			if (w < port->nb_rxq) {
				wk->rxq[wk->n_rxq].port = p;
				wk->rxq[wk->n_rxq].queue = w;
				wk->n_rxq++;
			}
			wk->txq[p] = w % port->nb_txq;
		}
		dp->workers[w++] = wk;
	}
	return 0;
}

void
worker_free_all(struct dp *dp)
{
	for (uint16_t w = 0; w < dp->n_workers; w++) {
		rte_free(dp->workers[w]);
		dp->workers[w] = NULL;
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
worker_enqueue(struct dp_worker *wk, uint16_t out, struct rte_mbuf *m)
{
	struct dp_txbuf *tb = &wk->tx[out];

	tb->pkts[tb->n++] = m;
}

/*
 * L2 decision: learn the source, find the destination. Returns an output
 * port index, OUT_FLOOD or OUT_DROP (with *why set).
 */
static inline uint16_t
worker_l2_decide(struct dp_worker *wk, struct rte_mbuf *m, uint16_t in,
		 uint32_t now_s, enum dp_drop *why)
{
	const struct dp *dp = wk->dp;
	const struct rte_ether_hdr *eth;
	uint16_t vlan = 0, out;

	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eth))) {
		*why = DP_DROP_L2_TRUNCATED;
		return OUT_DROP;
	}
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		const struct rte_vlan_hdr *vh = (const void *)(eth + 1);

		if (unlikely(rte_pktmbuf_data_len(m) <
			     sizeof(*eth) + sizeof(*vh))) {
			*why = DP_DROP_L2_TRUNCATED;
			return OUT_DROP;
		}
		vlan = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
	}

	bridge_learn(dp->fdb, eth->src_addr.addr_bytes, vlan, in, now_s);

	if (bridge_mac_is_group(eth->dst_addr.addr_bytes))
		return OUT_FLOOD;
	out = bridge_lookup(dp->fdb, eth->dst_addr.addr_bytes, vlan, now_s);
	if (out == BRIDGE_PORT_NONE)
		return OUT_FLOOD;
	if (unlikely(out == in)) {
		/* Both ends are behind the same port: not ours to carry. */
		*why = DP_DROP_L2_SAME_PORT;
		return OUT_DROP;
	}
	return out;
}

static inline void
worker_flood(struct dp_worker *wk, struct rte_mbuf *m, uint16_t in)
{
	const uint16_t n_ports = wk->dp->n_ports;
	uint16_t copies = n_ports - 1, p;

	if (unlikely(copies == 0)) {
		worker_drop(wk, m, in, DP_DROP_L2_NO_PORT);
		return;
	}
	/* The same mbuf goes out of every port; nobody writes to it. */
	if (copies > 1)
		rte_mbuf_refcnt_update(m, copies - 1);
	for (p = 0; p < n_ports; p++)
		if (p != in)
			worker_enqueue(wk, p, m);
}

static inline void
worker_flush(struct dp_worker *wk, uint16_t out)
{
	struct dp_txbuf *tb = &wk->tx[out];
	struct dp_port *port = &wk->dp->ports[out];
	uint16_t q = wk->txq[out], sent, i;
	uint64_t bytes = 0;

	/* Sum before sending: the PMD may free what it sent at once. */
	for (i = 0; i < tb->n; i++)
		bytes += rte_pktmbuf_pkt_len(tb->pkts[i]);

	if (unlikely(port->tx_shared))
		rte_spinlock_lock(&port->tx_lock[q]);
	sent = rte_eth_tx_burst(port->port_id, q, tb->pkts, tb->n);
	if (unlikely(port->tx_shared))
		rte_spinlock_unlock(&port->tx_lock[q]);

	for (i = sent; i < tb->n; i++) {
		struct rte_mbuf *m = tb->pkts[i];
		uint16_t in = wk->dp->port_index[m->port];

		bytes -= rte_pktmbuf_pkt_len(m);
		worker_drop(wk, m, in < DP_MAX_PORTS ? in : out,
			    DP_DROP_TX_FULL);
	}
	DP_CNT_ADD(wk->stats.tx_packets, sent);
	DP_CNT_ADD(wk->stats.tx_bytes, bytes);
	DP_CNT_ADD(wk->stats.port[out].tx_packets, sent);
	DP_CNT_ADD(wk->stats.port[out].tx_bytes, bytes);
	tb->n = 0;
}

static inline void
worker_poll(struct dp_worker *wk, const struct dp_rxq *rxq, uint32_t now_s)
{
	const struct dp *dp = wk->dp;
	struct rte_mbuf *pkts[DP_MAX_BURST];
	const uint16_t in = rxq->port;
	uint64_t bytes = 0;
	uint16_t n, i;

	n = rte_eth_rx_burst(dp->ports[in].port_id, rxq->queue, pkts,
			     dp->conf.burst);
	DP_CNT_ADD(wk->stats.polls, 1);
	if (n == 0)
		return;
	DP_CNT_ADD(wk->stats.busy_polls, 1);

	/* testpmd never touches packet data; we must. Get it coming. */
	for (i = 0; i < n; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum dp_drop why = DP_DROP_MAX;
		uint16_t out;

		bytes += rte_pktmbuf_pkt_len(m);
		out = worker_l2_decide(wk, m, in, now_s, &why);
		if (out == OUT_DROP)
			worker_drop(wk, m, in, why);
		else if (out == OUT_FLOOD)
			worker_flood(wk, m, in);
		else
			worker_enqueue(wk, out, m);
	}

	DP_CNT_ADD(wk->stats.rx_packets, n);
	DP_CNT_ADD(wk->stats.rx_bytes, bytes);
	DP_CNT_ADD(wk->stats.port[in].rx_packets, n);
	DP_CNT_ADD(wk->stats.port[in].rx_bytes, bytes);

	for (uint16_t p = 0; p < dp->n_ports; p++)
		if (wk->tx[p].n != 0)
			worker_flush(wk, p);
}

int
worker_main(void *arg)
{
	struct dp_worker *wk = arg;
	const struct dp *dp = wk->dp;

	RTE_LOG(INFO, USER1, "worker %u on lcore %u: %u RX queues\n", wk->idx,
		wk->lcore_id, wk->n_rxq);

	while (!dp_quitting(dp)) {
		uint32_t now_s = dp_clock_s(dp);

		for (uint16_t i = 0; i < wk->n_rxq; i++)
			worker_poll(wk, &wk->rxq[i], now_s);
	}
	return 0;
}
