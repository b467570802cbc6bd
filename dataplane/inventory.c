/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_ring.h>

#include "fp.h"
#include "fp_behav.h"
#include "fp_identity.h"
#include "detector.h"
#include "inventory.h"

#define INV_TAP_RING DP_TAP_RING
#define INV_FLOW_RING 16384
#define INV_BURST 64

struct inventory {
	struct dp *dp;
	struct fp_ctx *fp;
	struct fp_identity *id;
	struct fp_behav *behav;		/* [devices.max] */
	uint8_t *behav_on;		/* [devices.max] */
	struct dp_dev_counters *seen;	/* [devices.max], at the last tick */
	uint64_t *fed;			/* [devices.max]: start of the last
					 * interval folded into identity */
	uint64_t interval_us;
	uint64_t next_tick_us;
	struct inv_stats st;		/* relaxed atomics: telemetry reads */
};

#define INV_CNT(inv, f, n) \
	__atomic_store_n(&(inv)->st.f, (inv)->st.f + (n), __ATOMIC_RELAXED)

int
inventory_init(struct dp *dp, const struct inv_config *cfg)
{
	struct fp_identity_config icfg = { 0 };
	struct inventory *inv;
	char name[RTE_RING_NAMESIZE], err[512];
	const char *dir = cfg->data_dir;
	uint32_t max = dp->hot.devices.max;
	int rc = -ENOMEM;

	inv = calloc(1, sizeof(*inv));
	if (inv == NULL)
		return -ENOMEM;
	inv->dp = dp;
	inv->interval_us = (uint64_t)cfg->behaviour_interval_s * 1000000;
	inv->behav = calloc(max, sizeof(*inv->behav));
	inv->behav_on = calloc(max, 1);
	inv->seen = calloc(max, sizeof(*inv->seen));
	inv->fed = calloc(max, sizeof(*inv->fed));
	inv->fp = fp_ctx_create(NULL);
	if (inv->behav == NULL || inv->behav_on == NULL || inv->seen == NULL ||
	    inv->fed == NULL || inv->fp == NULL)
		goto fail;

	/* Without signatures identity still has the OUI and p0f's labels;
	 * signatures that do not parse are an error, never skipped. */
	if (dir == NULL)
		dir = access(FP_SOURCE_DATA_DIR "/oui.sig", R_OK) == 0 ?
			FP_SOURCE_DATA_DIR : FP_INSTALL_DATA_DIR;
	icfg.signatures = access(dir, R_OK) == 0 ? dir : NULL;
	icfg.p0f_db = access("/etc/p0f/p0f.fp", R_OK) == 0 ?
		"/etc/p0f/p0f.fp" : NULL;
	icfg.oui_dir = access("/usr/share/ieee-data", R_OK) == 0 ?
		"/usr/share/ieee-data" : NULL;
	icfg.manuf = access("/usr/share/wireshark/manuf", R_OK) == 0 ?
		"/usr/share/wireshark/manuf" : NULL;
	icfg.max_devices = max;
	icfg.err = err;
	icfg.err_cap = sizeof(err);
	inv->id = fp_identity_create(&icfg);
	if (inv->id == NULL) {
		RTE_LOG(ERR, USER1, "fingerprint identity: %s\n",
			err[0] ? err : "out of memory");
		if (err[0] && strncmp(err, "out of memory", 13))
			rc = -EINVAL;	/* a signature file is broken */
		goto fail;
	}
	if (icfg.signatures == NULL)
		RTE_LOG(WARNING, USER1, "fingerprint signatures not found in "
			"%s: identities rest on the OUI and p0f only\n", dir);

	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];
		int socket = (int)rte_lcore_to_socket_id(wk->lcore_id);

		snprintf(name, sizeof(name), "tap%u", w);
		wk->tap = rte_ring_create(name, INV_TAP_RING, socket,
					  RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "flowrec%u", w);
		wk->flowrec = rte_ring_create_elem(name,
			sizeof(struct inv_flowrec), INV_FLOW_RING, socket,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (wk->tap == NULL || wk->flowrec == NULL)
			goto fail;
	}
	dp->inv = inv;
	return 0;
fail:
	/* what was made is undone the way inventory_fini() undoes it all */
	dp->inv = inv;
	inventory_fini(dp);
	return rc;
}

void
inventory_fini(struct dp *dp)
{
	struct inventory *inv = dp->inv;
	struct rte_mbuf *m;

	if (inv == NULL)
		return;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		while (wk->tap != NULL &&
		       rte_ring_dequeue(wk->tap, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(wk->tap);
		rte_ring_free(wk->flowrec);
		wk->tap = NULL;
		wk->flowrec = NULL;
	}
	fp_identity_destroy(inv->id);
	fp_ctx_destroy(inv->fp);
	free(inv->behav);
	free(inv->behav_on);
	free(inv->seen);
	free(inv->fed);
	free(inv);
	dp->inv = NULL;
}

/* A unicast address a device may really own. */
static bool
inv_usable(const uint8_t *a, int len)
{
	static const uint8_t zero[16];

	if (len == 4)
		return a[0] != 0 && a[0] != 127 && a[0] < 224;
	return memcmp(a, zero, 16) != 0 && a[0] != 0xff &&
		!(memcmp(a, zero, 15) == 0 && a[15] == 1);
}

static bool
inv_in_prefix(const uint8_t *a, const uint8_t *net, unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, net, bytes) != 0)
		return false;
	return bits == 0 ||
		((a[bytes] ^ net[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

/*
 * Is an address seen in a device's traffic its own? Replies from the
 * internet carry the router's MAC, so only local addresses count: those
 * of the policy's local networks, or without a policy the private and
 * link-local ranges (and global IPv6, which devices do own).
 */
static bool
inv_local(const struct dp *dp, const uint8_t *a, int len)
{
	static const struct { uint8_t net[4]; uint8_t plen; } priv4[] = {
		{ { 10 }, 8 }, { { 172, 16 }, 12 }, { { 192, 168 }, 16 },
		{ { 169, 254 }, 16 }, { { 100, 64 }, 10 },
	};

	if (dp->policy_ctl.n_local_nets > 0) {
		for (uint32_t i = 0; i < dp->policy_ctl.n_local_nets; i++)
			if (dp->policy_ctl.local_nets[i].len == len &&
			    inv_in_prefix(a, dp->policy_ctl.local_nets[i].addr,
					  dp->policy_ctl.local_nets[i].plen))
				return true;
		return false;
	}
	if (len == 16)
		return true;
	for (size_t i = 0; i < RTE_DIM(priv4); i++)
		if (inv_in_prefix(a, priv4[i].net, priv4[i].plen))
			return true;
	return false;
}

static void
inv_learn(struct inventory *inv, const uint8_t *mac, uint16_t vlan,
	  const uint8_t *addr, int len)
{
	struct device_table *t = &inv->dp->hot.devices;
	uint32_t idx;

	if (!inv_usable(addr, len))
		return;
	idx = device_lookup(t, mac, vlan);
	if (idx == DEVICE_NONE)
		return;
	if (device_add_addr(device_at(t, idx), addr, len) == 1) {
		INV_CNT(inv, addresses, 1);
		detector_own_addr(inv->dp, mac, vlan, addr, len);
	}
}

/* IPv4 sits in pkt_meta as ::ffff:a.b.c.d. */
static void
inv_learn_traffic(struct inventory *inv, const uint8_t *mac, uint16_t vlan,
		  const uint8_t *addr16, bool v6)
{
	const uint8_t *a = v6 ? addr16 : addr16 + 12;

	if (inv_local(inv->dp, a, v6 ? 16 : 4))
		inv_learn(inv, mac, vlan, a, v6 ? 16 : 4);
}

static void
inv_obs(const struct fp_obs *obs, void *arg)
{
	struct inventory *inv = arg;

	INV_CNT(inv, observations, 1);
	fp_identity_add(inv->id, obs);
	detector_obs(inv->dp, inv->id, obs);
	/* A DHCP ACK names the client's address. */
	if (obs->kind == FP_OBS_DHCP && obs->u.dhcp.msg_type == 5)
		inv_learn(inv, obs->u.dhcp.client_mac, obs->vlan,
			  obs->u.dhcp.yiaddr, 4);
}

static void
inv_packet(struct inventory *inv, struct rte_mbuf *m, uint64_t now_us)
{
	const uint8_t *data = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct pkt_meta pm;
	enum pkt_parse_rc rc;
	uint16_t vlan;

	rc = pkt_parse(data, len, &pm);
	vlan = (pm.flags & PKT_F_VLAN) ? (pm.vlan_outer & 0xfff) : 0;
	if (rc == PKT_PARSE_L2 && (pm.flags & PKT_F_ARP)) {
		inv_learn(inv, pm.arp.sha, vlan, pm.arp.spa, 4);
	} else if (rc == PKT_PARSE_OK) {
		bool v6 = pm.flags & PKT_F_IPV6;

		/* A neighbour advertisement names the sender's address. */
		if ((pm.flags & PKT_F_ND) && (pm.flags & PKT_F_ND_LLADDR) &&
		    pm.icmp_type == 136)
			inv_learn(inv, pm.nd.lladdr, vlan, pm.nd.target, 16);
		inv_learn_traffic(inv, pm.src_mac, vlan, pm.src_addr, v6);
	}
	fp_process_frame(inv->fp, data, len, now_us, inv_obs, inv);
	INV_CNT(inv, packets, 1);
	rte_pktmbuf_free(m);
}

static struct fp_behav *
inv_behav(struct inventory *inv, uint32_t dev, uint64_t now_us)
{
	if (!inv->behav_on[dev]) {
		fp_behav_init(&inv->behav[dev], inv->interval_us, now_us);
		inv->behav_on[dev] = 1;
	}
	return &inv->behav[dev];
}

static void
inv_flow(struct inventory *inv, const struct inv_flowrec *r, uint64_t now_us)
{
	struct fp_behav *b;
	struct fp_addr dst = { 0 };

	if (r->dev >= inv->dp->hot.devices.max)
		return;
	b = inv_behav(inv, r->dev, now_us);
	dst.family = r->family;
	memcpy(dst.a, r->dst, r->family == 4 ? 4 : 16);
	fp_behav_flow(b, now_us, &dst, r->dport);
	if (r->denied)
		fp_behav_denied(b, now_us);
	INV_CNT(inv, flows, 1);
}

static void
inv_dev_mac(const struct dp *dp, uint32_t dev, uint8_t mac[6])
{
	const struct device_entry *d = device_at(&dp->hot.devices, dev);

	for (int b = 0; b < 6; b++)
		mac[b] = (uint8_t)(d->key >> (40 - 8 * b));
}

/* A newly closed behaviour interval goes into the device's traffic shape
 * (a camera's sustained upload, a plug's heartbeat: fp_identity.h). */
static void
inv_shape(struct inventory *inv, uint32_t dev)
{
	struct fp_behav_summary s;
	uint8_t mac[6];

	if (!fp_behav_last(&inv->behav[dev], &s) ||
	    s.start_us + 1 == inv->fed[dev])
		return;
	inv->fed[dev] = s.start_us + 1;
	inv_dev_mac(inv->dp, dev, mac);
	fp_identity_behaviour(inv->id, mac, &s);
}

/* Once a second: per-device traffic since the last tick, and roll the
 * intervals of devices that went quiet. */
static void
inv_tick(struct inventory *inv, uint64_t now_us)
{
	const struct dp *dp = inv->dp;
	uint32_t n = RTE_MIN(device_count(&dp->hot.devices), dp->hot.devices.max);

	for (uint32_t i = 0; i < n; i++) {
		struct dp_dev_counters sum = { 0 }, *last = &inv->seen[i];
		struct fp_behav *b;
		uint64_t out_p, out_b, in_p, in_b;

		for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
			const struct dp_dev_counters *c =
				&dp->hot.workers[w]->devc[i];

			sum.allowed_pkts += DP_CNT_READ(c->allowed_pkts);
			sum.allowed_bytes += DP_CNT_READ(c->allowed_bytes);
			sum.denied_pkts += DP_CNT_READ(c->denied_pkts);
			sum.denied_bytes += DP_CNT_READ(c->denied_bytes);
			sum.rx_pkts += DP_CNT_READ(c->rx_pkts);
			sum.rx_bytes += DP_CNT_READ(c->rx_bytes);
		}
		out_p = sum.allowed_pkts + sum.denied_pkts -
			last->allowed_pkts - last->denied_pkts;
		out_b = sum.allowed_bytes + sum.denied_bytes -
			last->allowed_bytes - last->denied_bytes;
		in_p = sum.rx_pkts - last->rx_pkts;
		in_b = sum.rx_bytes - last->rx_bytes;
		*last = sum;
		if (out_p == 0 && in_p == 0 && !inv->behav_on[i])
			continue;
		b = inv_behav(inv, i, now_us);
		if (out_p != 0)
			fp_behav_traffic(b, now_us, true, (uint32_t)out_p,
					 out_b);
		if (in_p != 0)
			fp_behav_traffic(b, now_us, false, (uint32_t)in_p,
					 in_b);
		fp_behav_tick(b, now_us);
		inv_shape(inv, i);
	}
	fp_ctx_expire(inv->fp, now_us);
}

unsigned int
inventory_poll(struct dp *dp)
{
	struct inventory *inv = dp->inv;
	struct inv_flowrec recs[INV_BURST];
	struct rte_mbuf *pkts[INV_BURST];
	unsigned int work = 0, n;
	uint64_t now_us;

	if (inv == NULL)
		return 0;
	now_us = dp_now_us(dp);
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		n = rte_ring_dequeue_burst(wk->tap, (void **)pkts, INV_BURST,
					   NULL);
		for (unsigned int i = 0; i < n; i++)
			inv_packet(inv, pkts[i], now_us);
		work += n;
		n = rte_ring_dequeue_burst_elem(wk->flowrec, recs,
						sizeof(recs[0]), INV_BURST,
						NULL);
		for (unsigned int i = 0; i < n; i++)
			inv_flow(inv, &recs[i], now_us);
		work += n;
	}
	if (now_us >= inv->next_tick_us) {
		inv_tick(inv, now_us);
		inv->next_tick_us = now_us + 1000000;
	}
	return work;
}

const struct fp_device *
inventory_identity(const struct dp *dp, uint32_t dev)
{
	uint8_t mac[6];

	if (dp->inv == NULL || dev >= dp->hot.devices.max)
		return NULL;
	inv_dev_mac(dp, dev, mac);
	return fp_identity_get(dp->inv->id, mac);
}

void
inventory_forget(struct dp *dp, uint32_t dev)
{
	struct inventory *inv = dp->inv;

	if (inv == NULL || dev >= dp->hot.devices.max)
		return;
	inv->behav_on[dev] = 0;
	memset(&inv->behav[dev], 0, sizeof(inv->behav[dev]));
	memset(&inv->seen[dev], 0, sizeof(inv->seen[dev]));
	inv->fed[dev] = 0;
}

int
inventory_behaviour(const struct dp *dp, uint32_t dev,
		    struct fp_behav_summary *out)
{
	if (dp->inv == NULL || dev >= dp->hot.devices.max ||
	    !dp->inv->behav_on[dev])
		return 0;
	return fp_behav_last(&dp->inv->behav[dev], out) ? 1 : 0;
}

void
inventory_stats(const struct dp *dp, struct inv_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (dp->inv == NULL)
		return;
	st->packets = __atomic_load_n(&dp->inv->st.packets, __ATOMIC_RELAXED);
	st->observations = __atomic_load_n(&dp->inv->st.observations,
					   __ATOMIC_RELAXED);
	st->flows = __atomic_load_n(&dp->inv->st.flows, __ATOMIC_RELAXED);
	st->addresses = __atomic_load_n(&dp->inv->st.addresses,
					__ATOMIC_RELAXED);
}
