/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_telemetry.h>

#include "dp_report.h"
#include "telemetry.h"

static struct dp *tel_dp;

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_report r;
	uint64_t rx = 0, tx = 0, drops = 0, classified = 0, reclassified = 0;

	(void)cmd;
	(void)params;
	if (dp_report_build(tel_dp, 0, NULL, 0, &r) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < r.msg.n_workers; i++) {
		rx += r.msg.workers[i]->rx_packets;
		tx += r.msg.workers[i]->tx_packets;
		drops += r.msg.workers[i]->drops;
	}
	for (uint16_t w = 0; w < tel_dp->n_workers; w++) {
		classified += DP_CNT_READ(tel_dp->workers[w]->stats.classified);
		reclassified += DP_CNT_READ(
			tel_dp->workers[w]->stats.reclassified);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "uptime_ms", r.msg.uptime_ms);
	rte_tel_data_add_dict_u64(d, "rx_packets", rx);
	rte_tel_data_add_dict_u64(d, "tx_packets", tx);
	rte_tel_data_add_dict_u64(d, "drops", drops);
	rte_tel_data_add_dict_u64(d, "classified", classified);
	rte_tel_data_add_dict_u64(d, "reclassified", reclassified);
	rte_tel_data_add_dict_u64(d, "policy_version", tel_dp->policy_version);
	rte_tel_data_add_dict_u64(d, "devices",
				  device_count(&tel_dp->devices));
	for (size_t i = 0; i < r.msg.n_counters; i++)
		rte_tel_data_add_dict_u64(d, r.msg.counters[i]->name,
					  r.msg.counters[i]->value);
	dp_report_free(&r);
	return 0;
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_report r;

	(void)cmd;
	(void)params;
	if (dp_report_build(tel_dp, 0, NULL, 0, &r) < 0)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	for (size_t i = 0; i < r.msg.n_ports; i++) {
		const Cordon__PortStats *p = r.msg.ports[i];
		struct rte_tel_data *c = rte_tel_data_alloc();

		if (c == NULL)
			break;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "port_id", p->port_id);
		rte_tel_data_add_dict_u64(c, "rx_packets", p->rx_packets);
		rte_tel_data_add_dict_u64(c, "rx_bytes", p->rx_bytes);
		rte_tel_data_add_dict_u64(c, "tx_packets", p->tx_packets);
		rte_tel_data_add_dict_u64(c, "tx_bytes", p->tx_bytes);
		rte_tel_data_add_dict_u64(c, "drops", p->drops);
		rte_tel_data_add_dict_u64(c, "hw_rx_missed", p->hw_rx_missed);
		rte_tel_data_add_dict_container(d, p->name, c, 0);
	}
	dp_report_free(&r);
	return 0;
}

static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (uint16_t w = 0; w < tel_dp->n_workers; w++) {
		const struct dp_worker *wk = tel_dp->workers[w];
		struct dp_worker_stats s;
		struct flow_table_stats fs;
		struct rte_tel_data *c = rte_tel_data_alloc();
		char name[16];

		if (c == NULL)
			break;
		dp_stats_snapshot(&wk->stats, &s);
		flow_table_stats_read(wk->ft, &fs);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "lcore", wk->lcore_id);
		rte_tel_data_add_dict_u64(c, "rx_packets", s.rx_packets);
		rte_tel_data_add_dict_u64(c, "tx_packets", s.tx_packets);
		rte_tel_data_add_dict_u64(c, "drops", dp_stats_drops(&s));
		rte_tel_data_add_dict_u64(c, "polls", s.polls);
		rte_tel_data_add_dict_u64(c, "busy_polls", s.busy_polls);
		rte_tel_data_add_dict_u64(c, "classified", s.classified);
		rte_tel_data_add_dict_u64(c, "reclassified", s.reclassified);
		rte_tel_data_add_dict_u64(c, "flows_active", fs.active);
		rte_tel_data_add_dict_u64(c, "flows_capacity",
					  flow_table_capacity(wk->ft));
		rte_tel_data_add_dict_u64(c, "flow_lookups", fs.lookups);
		rte_tel_data_add_dict_u64(c, "flow_hits", fs.hits);
		rte_tel_data_add_dict_u64(c, "flow_inserts", fs.inserts);
		rte_tel_data_add_dict_u64(c, "flow_insert_fail",
					  fs.insert_fail);
		rte_tel_data_add_dict_u64(c, "flow_evicted", fs.evicted);
		rte_tel_data_add_dict_u64(c, "flow_expired",
					  fs.expired_lazy + fs.expired_sweep);
		snprintf(name, sizeof(name), "worker%u", w);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	return 0;
}

/*
 * Per device: the sum over workers. A telemetry reply holds at most
 * RTE_TEL_MAX_DICT_ENTRIES entries, so give a MAC as parameter for one
 * device, or get the busiest ones.
 */
static int
tel_devices(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct device_table *t = &tel_dp->devices;
	struct rte_ether_addr want;
	bool one = params != NULL && params[0] != '\0';
	unsigned int listed = 0;

	(void)cmd;
	if (one && rte_ether_unformat_addr(params, &want) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "count", device_count(t));
	rte_tel_data_add_dict_u64(d, "table_full",
				  __atomic_load_n(&t->full, __ATOMIC_RELAXED));
	for (uint32_t i = 0; i < device_count(t) && i < t->max; i++) {
		uint64_t key = __atomic_load_n(&t->e[i].key, __ATOMIC_ACQUIRE);
		struct dp_dev_counters sum = { 0 };
		struct rte_tel_data *c;
		char name[32];
		uint8_t mac[6];

		if (key == 0)
			continue;
		for (int b = 0; b < 6; b++)
			mac[b] = (uint8_t)(key >> (40 - 8 * b));
		if (one && memcmp(mac, want.addr_bytes, 6) != 0)
			continue;
		if (listed >= RTE_TEL_MAX_DICT_ENTRIES - 3)
			break;
		for (uint16_t w = 0; w < tel_dp->n_workers; w++) {
			const struct dp_dev_counters *dc =
				&tel_dp->workers[w]->devc[i];

			sum.allowed_pkts += DP_CNT_READ(dc->allowed_pkts);
			sum.allowed_bytes += DP_CNT_READ(dc->allowed_bytes);
			sum.denied_pkts += DP_CNT_READ(dc->denied_pkts);
			sum.denied_bytes += DP_CNT_READ(dc->denied_bytes);
		}
		c = rte_tel_data_alloc();
		if (c == NULL)
			break;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "vlan", (key >> 48) & 0xfff);
		rte_tel_data_add_dict_u64(c, "port", t->hot[i].port);
		rte_tel_data_add_dict_u64(c, "allowed_packets",
					  sum.allowed_pkts);
		rte_tel_data_add_dict_u64(c, "allowed_bytes",
					  sum.allowed_bytes);
		rte_tel_data_add_dict_u64(c, "denied_packets",
					  sum.denied_pkts);
		rte_tel_data_add_dict_u64(c, "denied_bytes", sum.denied_bytes);
		snprintf(name, sizeof(name),
			 "%02x:%02x:%02x:%02x:%02x:%02x/%u", mac[0], mac[1],
			 mac[2], mac[3], mac[4], mac[5],
			 (unsigned int)((key >> 48) & 0xfff));
		rte_tel_data_add_dict_container(d, name, c, 0);
		listed++;
	}
	return 0;
}

static int
tel_policy(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	/* The info is copied by the main lcore at each publish: reading
	 * the ctx from here would race with its free. */
	pthread_mutex_lock(&tel_dp->policy_info_lock);
	const struct policy_info *pi = &tel_dp->policy_info;

	rte_tel_data_add_dict_u64(d, "version", pi->version);
	rte_tel_data_add_dict_u64(d, "epoch", pi->epoch);
	rte_tel_data_add_dict_u64(d, "segments", pi->n_segments);
	rte_tel_data_add_dict_u64(d, "devices", pi->n_devices);
	rte_tel_data_add_dict_u64(d, "rules", pi->n_rules);
	rte_tel_data_add_dict_u64(d, "acl4_entries", pi->n_acl4_entries);
	rte_tel_data_add_dict_u64(d, "acl6_entries", pi->n_acl6_entries);
	rte_tel_data_add_dict_u64(d, "dns_rules", pi->n_dns_rules);
	rte_tel_data_add_dict_u64(d, "mem_bytes", pi->mem_bytes);
	rte_tel_data_add_dict_u64(d, "build_us",
				  (uint64_t)(pi->build_ms * 1000.0));
	rte_tel_data_add_dict_u64(d, "swaps", tel_dp->policy_swaps);
	rte_tel_data_add_dict_u64(d, "rejected", tel_dp->policy_rejected);
	pthread_mutex_unlock(&tel_dp->policy_info_lock);
	return 0;
}

int
telemetry_init(struct dp *dp)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/cordon/stats", tel_stats,
		  "Totals and every drop reason. No parameters." },
		{ "/cordon/ports", tel_ports, "Per-port counters." },
		{ "/cordon/workers", tel_workers,
		  "Per-worker counters and flow table state." },
		{ "/cordon/devices", tel_devices,
		  "Per-device allowed/denied counters. Parameter: a MAC." },
		{ "/cordon/policy", tel_policy, "The policy in force." },
	};
	int rc;

	tel_dp = dp;
	for (size_t i = 0; i < RTE_DIM(cmds); i++) {
		rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn,
						cmds[i].help);
		if (rc < 0)
			return rc;
	}
	return 0;
}
