/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#include "port.h"

/*
 * With every 16-bit word of the key equal, Toeplitz gives the same hash for
 * (src, dst) and (dst, src): Woo and Park, "Scalable TCP Session Monitoring
 * with Symmetric Receive-side Scaling".
 */
const uint8_t port_rss_sym_key[40] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

static int
port_init_one(struct dp *dp, uint16_t port_id, struct dp_port *p)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = dp->conf.rx_desc, nb_txd = dp->conf.tx_desc;
	int socket = rte_eth_dev_socket_id(port_id);
	int rc;

	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc < 0)
		return rc;

	p->port_id = port_id;
	rte_eth_dev_get_name_by_port(port_id, p->name);
	snprintf(p->driver, sizeof(p->driver), "%s",
		 info.driver_name ? info.driver_name : "?");

	p->nb_rxq = RTE_MIN(dp->hot.n_workers, info.max_rx_queues);
	p->nb_txq = RTE_MIN(dp->hot.n_workers, info.max_tx_queues);
	if (p->nb_rxq == 0 || p->nb_txq == 0) {
		RTE_LOG(ERR, USER1, "port %s: no RX or TX queue\n", p->name);
		return -ENOTSUP;
	}
	p->tx_shared = p->nb_txq < dp->hot.n_workers;
	for (unsigned int q = 0; q < RTE_DIM(p->tx_lock); q++)
		rte_spinlock_init(&p->tx_lock[q]);

	if (p->nb_rxq > 1) {
		uint64_t hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP |
			       RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;

		if (hf != 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_hf = hf;
			if (info.hash_key_size == sizeof(port_rss_sym_key)) {
				conf.rx_adv_conf.rss_conf.rss_key =
					(uint8_t *)(uintptr_t)port_rss_sym_key;
				conf.rx_adv_conf.rss_conf.rss_key_len =
					sizeof(port_rss_sym_key);
				p->rss_sym = true;
			} else {
				RTE_LOG(WARNING, USER1,
					"port %s: RSS key is %u bytes, "
					"cannot make RSS symmetric\n",
					p->name, info.hash_key_size);
			}
			p->rss = true;
		}
		/* Without RSS the device's own queues are polled as they
		 * are (pcap files, memif rings): the sender decides. */
	}
	/* No MBUF_FAST_FREE: flooding and fingerprint taps share mbufs by
	 * reference count, which that offload ignores. */

	rc = rte_eth_dev_configure(port_id, p->nb_rxq, p->nb_txq, &conf);
	if (rc < 0)
		goto fail;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (rc < 0)
		goto fail;
	for (uint16_t q = 0; q < p->nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(port_id, q, nb_rxd, socket, NULL,
					    dp->pool);
		if (rc < 0)
			goto fail;
	}
	for (uint16_t q = 0; q < p->nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(port_id, q, nb_txd, socket, NULL);
		if (rc < 0)
			goto fail;
	}
	rte_eth_macaddr_get(port_id, &p->mac);
	/* A bridge must see every frame. Some vdevs cannot do this. */
	rc = rte_eth_promiscuous_enable(port_id);
	if (rc < 0 && rc != -ENOTSUP)
		RTE_LOG(WARNING, USER1, "port %s: promiscuous mode: %s\n",
			p->name, rte_strerror(-rc));
	rc = rte_eth_dev_start(port_id);
	if (rc < 0)
		goto fail;

	RTE_LOG(INFO, USER1, "port %u %s (%s): %u rxq %u txq%s%s\n", port_id,
		p->name, p->driver, p->nb_rxq, p->nb_txq,
		p->rss ? ", RSS" : "", p->tx_shared ? ", shared txq" : "");
	return 0;
fail:
	RTE_LOG(ERR, USER1, "port %s: setup failed: %s\n", p->name,
		rte_strerror(-rc));
	return rc;
}

int
port_init_all(struct dp *dp)
{
	uint16_t port_id;
	int rc;

	for (unsigned int i = 0; i < RTE_DIM(dp->hot.port_index); i++)
		dp->hot.port_index[i] = UINT16_MAX;
	dp->hot.n_ports = 0;

	RTE_ETH_FOREACH_DEV(port_id) {
		if (dp->hot.n_ports >= DP_MAX_PORTS) {
			RTE_LOG(ERR, USER1,
				"more than %d ports: not supported\n",
				DP_MAX_PORTS);
			return -E2BIG;
		}
		rc = port_init_one(dp, port_id, &dp->ports[dp->hot.n_ports]);
		if (rc < 0)
			return rc;
		dp->hot.port_index[port_id] = dp->hot.n_ports++;
	}
	if (dp->hot.n_ports == 0) {
		RTE_LOG(ERR, USER1,
			"no ports: give PCI devices or --vdev to the EAL\n");
		return -ENODEV;
	}
	return 0;
}

void
port_watch(struct dp *dp)
{
	for (uint16_t i = 0; i < dp->hot.n_ports; i++) {
		struct dp_port *p = &dp->ports[i];
		struct rte_eth_stats st;

		if (rte_eth_stats_get(p->port_id, &st) != 0)
			continue;
		/* Frames came and none was taken: no mbufs, or the device
		 * has no buffers of ours left (an AF_XDP fill ring run dry:
		 * its frames are counted missed, see dp_pool.h). */
		if ((st.rx_nombuf > p->watch_nombuf ||
		     st.imissed > p->watch_imissed) &&
		    st.ipackets == p->watch_ipackets) {
			if (!p->stalled) {
				__atomic_fetch_add(&p->rx_stalls, 1,
						   __ATOMIC_RELAXED);
				RTE_LOG(WARNING, USER1,
					"port %s: receive stalled: frames "
					"missed, none received (rx_nombuf %"
					PRIu64 ", imissed %" PRIu64 ")\n",
					p->name, st.rx_nombuf, st.imissed);
			}
			p->stalled = true;
		} else if (p->stalled && st.ipackets != p->watch_ipackets) {
			p->stalled = false;
			RTE_LOG(INFO, USER1, "port %s: receiving again\n",
				p->name);
		}
		p->watch_nombuf = st.rx_nombuf;
		p->watch_imissed = st.imissed;
		p->watch_ipackets = st.ipackets;
	}
}

void
port_fini_all(struct dp *dp)
{
	for (uint16_t i = 0; i < dp->hot.n_ports; i++) {
		rte_eth_dev_stop(dp->ports[i].port_id);
		rte_eth_dev_close(dp->ports[i].port_id);
	}
}
