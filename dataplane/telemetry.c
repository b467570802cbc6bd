/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_telemetry.h>

#include "contain.h"
#include "detector.h"
#include "dev_retire.h"
#include "dns_snoop.h"
#include "dp_report.h"
#include "telemetry.h"
#include "util_mac.h"

static struct dp *tel_dp;

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_report_extra extra[DP_REPORT_EXTRA_MAX];
	size_t n_extra = detector_report_extras(tel_dp, extra, RTE_DIM(extra));
	struct dp_report r;
	uint64_t rx = 0, tx = 0, drops = 0, classified = 0, reclassified = 0;

	(void)cmd;
	(void)params;
	n_extra += dev_retire_report_extras(tel_dp, extra + n_extra,
					    RTE_DIM(extra) - n_extra);
	if (dp_report_build(tel_dp, 0, extra, n_extra, 0, &r) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < r.msg.n_workers; i++) {
		rx += r.msg.workers[i]->rx_packets;
		tx += r.msg.workers[i]->tx_packets;
		drops += r.msg.workers[i]->drops;
	}
	for (uint16_t w = 0; w < tel_dp->hot.n_workers; w++) {
		classified += DP_CNT_READ(tel_dp->hot.workers[w]->stats.classified);
		reclassified += DP_CNT_READ(
			tel_dp->hot.workers[w]->stats.reclassified);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "uptime_ms", r.msg.uptime_ms);
	rte_tel_data_add_dict_u64(d, "rx_packets", rx);
	rte_tel_data_add_dict_u64(d, "tx_packets", tx);
	rte_tel_data_add_dict_u64(d, "drops", drops);
	rte_tel_data_add_dict_u64(d, "classified", classified);
	rte_tel_data_add_dict_u64(d, "reclassified", reclassified);
	rte_tel_data_add_dict_u64(d, "policy_version", tel_dp->policy_ctl.version);
	rte_tel_data_add_dict_u64(d, "devices",
				  device_live_count(&tel_dp->hot.devices));
	for (size_t i = 0; i < r.msg.n_counters; i++)
		rte_tel_data_add_dict_u64(d, r.msg.counters[i]->name,
					  r.msg.counters[i]->value);
	dp_report_free(&r);
	return 0;
}

/* Parameter: an index below max. */
static int
tel_index(const char *params, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	v = strtoul(params, &end, 10);
	if (*end != '\0' || v >= max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* /cordon/ports: the port names, in port index order. */
static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (uint16_t p = 0; p < tel_dp->hot.n_ports; p++)
		rte_tel_data_add_array_string(d, tel_dp->ports[p].name);
	return 0;
}

/* /cordon/port,N: one port's counters. */
static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_report r;
	unsigned int n;

	(void)cmd;
	if (tel_index(params, tel_dp->hot.n_ports, &n) < 0)
		return -EINVAL;
	if (dp_report_build(tel_dp, 0, NULL, 0, 0, &r) < 0)
		return -ENOMEM;
	const Cordon__PortStats *p = r.msg.ports[n];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", p->name);
	rte_tel_data_add_dict_u64(d, "port_id", p->port_id);
	rte_tel_data_add_dict_u64(d, "rx_packets", p->rx_packets);
	rte_tel_data_add_dict_u64(d, "rx_bytes", p->rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_packets", p->tx_packets);
	rte_tel_data_add_dict_u64(d, "tx_bytes", p->tx_bytes);
	rte_tel_data_add_dict_u64(d, "drops", p->drops);
	rte_tel_data_add_dict_u64(d, "hw_rx_missed", p->hw_rx_missed);
	rte_tel_data_add_dict_u64(d, "hw_rx_errors", p->hw_rx_errors);
	rte_tel_data_add_dict_u64(d, "hw_tx_errors", p->hw_tx_errors);
	/* receive buffers the pool could not give, and receive stalls
	 * (port_watch: a second of frames missed, none received) */
	rte_tel_data_add_dict_u64(d, "hw_rx_nombuf", p->hw_rx_nombuf);
	rte_tel_data_add_dict_u64(d, "rx_stalls", __atomic_load_n(
		&tel_dp->ports[n].rx_stalls, __ATOMIC_RELAXED));
	dp_report_free(&r);
	return 0;
}

/* /cordon/workers: the lcore of each worker, in worker order. */
static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_U64_VAL);
	for (uint16_t w = 0; w < tel_dp->hot.n_workers; w++)
		rte_tel_data_add_array_u64(d, tel_dp->hot.workers[w]->lcore_id);
	return 0;
}

/* /cordon/worker,N: one worker's counters and flow table. */
static int
tel_worker(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct dp_worker *wk;
	struct dp_worker_stats s;
	struct flow_table_stats fs;
	unsigned int n;

	(void)cmd;
	if (tel_index(params, tel_dp->hot.n_workers, &n) < 0)
		return -EINVAL;
	wk = tel_dp->hot.workers[n];
	dp_stats_snapshot(&wk->stats, &s);
	flow_table_stats_read(wk->ft, &fs);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "lcore", wk->lcore_id);
	rte_tel_data_add_dict_u64(d, "rx_packets", s.rx_packets);
	rte_tel_data_add_dict_u64(d, "tx_packets", s.tx_packets);
	rte_tel_data_add_dict_u64(d, "drops", dp_stats_drops(&s));
	rte_tel_data_add_dict_u64(d, "polls", s.polls);
	rte_tel_data_add_dict_u64(d, "busy_polls", s.busy_polls);
	rte_tel_data_add_dict_u64(d, "idle_sleeps", s.idle_sleeps);
	rte_tel_data_add_dict_u64(d, "idle_sleep_us", s.idle_sleep_us);
	rte_tel_data_add_dict_u64(d, "classified", s.classified);
	rte_tel_data_add_dict_u64(d, "reclassified", s.reclassified);
	rte_tel_data_add_dict_u64(d, "tapped", s.tapped);
	rte_tel_data_add_dict_u64(d, "tap_full", s.tap_full);
	rte_tel_data_add_dict_u64(d, "asked", s.asked);
	rte_tel_data_add_dict_u64(d, "ask_full", s.ask_full);
	rte_tel_data_add_dict_u64(d, "granted", s.granted);
	rte_tel_data_add_dict_u64(d, "grant_gone", s.grant_gone);
	rte_tel_data_add_dict_u64(d, "capture_full", s.cap_full);
	rte_tel_data_add_dict_u64(d, "detect_events_dropped", s.detect_dropped);
	rte_tel_data_add_dict_u64(d, "dns_unvouched", s.dns_unvouched);
	rte_tel_data_add_dict_u64(d, "flows_active", fs.active);
	rte_tel_data_add_dict_u64(d, "flows_capacity",
				  flow_table_capacity(wk->ft));
	rte_tel_data_add_dict_u64(d, "flow_memory_bytes",
				  flow_table_mem_size(flow_table_capacity(wk->ft)));
	rte_tel_data_add_dict_u64(d, "flow_lookups", fs.lookups);
	rte_tel_data_add_dict_u64(d, "flow_hits", fs.hits);
	rte_tel_data_add_dict_u64(d, "flow_searched", fs.searched);
	rte_tel_data_add_dict_u64(d, "flow_inserts", fs.inserts);
	rte_tel_data_add_dict_u64(d, "flow_insert_fail", fs.insert_fail);
	rte_tel_data_add_dict_u64(d, "flow_evicted", fs.evicted);
	rte_tel_data_add_dict_u64(d, "flow_expired",
				  fs.expired_lazy + fs.expired_sweep);
	rte_tel_data_add_dict_u64(d, "flows_ended_expired",
				  s.flow_ends[FLOW_END_EXPIRED]);
	rte_tel_data_add_dict_u64(d, "flows_ended_evicted",
				  s.flow_ends[FLOW_END_EVICTED]);
	return 0;
}

static void
tel_mac(uint64_t key, char buf[UTIL_MAC_STRLEN])
{
	uint8_t mac[6];

	for (int b = 0; b < 6; b++)
		mac[b] = (uint8_t)(key >> (40 - 8 * b));
	util_mac_format(mac, buf);
}

/* /cordon/devices: the devices' MACs, "mac" or "mac/vlan", index order. */
static int
tel_devices(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct device_table *t = &tel_dp->hot.devices;
	uint32_t n = RTE_MIN(device_count(t), t->max);

	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (uint32_t i = 0; i < n && i < RTE_TEL_MAX_ARRAY_ENTRIES; i++) {
		uint64_t key = device_live(t, i);
		char name[32];

		if (key == 0)
			continue;	/* being created, or retired */
		tel_mac(key, name);
		if ((key >> 48) & 0xfff)
			snprintf(name + 17, sizeof(name) - 17, "/%u",
				 (unsigned int)((key >> 48) & 0xfff));
		rte_tel_data_add_array_string(d, name);
	}
	return 0;
}

/* Parameter: MAC[/VLAN]. */
static int
tel_mac_param(const char *params, struct rte_ether_addr *mac, uint16_t *vlan)
{
	char macs[18];
	unsigned long v = 0;

	if (params == NULL || strlen(params) < 17)
		return -EINVAL;
	memcpy(macs, params, 17);
	macs[17] = '\0';
	if (rte_ether_unformat_addr(macs, mac) < 0)
		return -EINVAL;
	if (params[17] == '/') {
		char *end;

		v = strtoul(params + 18, &end, 10);
		if (*end != '\0' || v > 4095)
			return -EINVAL;
	} else if (params[17] != '\0') {
		return -EINVAL;
	}
	*vlan = (uint16_t)v;
	return 0;
}

/* Uptime us as wall-clock us; 0 stays 0 (never happened). */
static uint64_t
tel_unix_us(uint64_t up_us)
{
	return up_us != 0 ? dp_unix_us_at(tel_dp, up_us) : 0;
}

/* A containment's times and counters (wall clock, us). */
static void
tel_contain_dict(struct rte_tel_data *d, const struct contain_view *v)
{
	const struct contain_rec *c = &v->rec;

	rte_tel_data_add_dict_string(d, "state", contain_state_name(
		(enum contain_state)c->state));
	rte_tel_data_add_dict_string(d, "detector", c->detector < DET_N ?
		det_detector_name((enum det_detector)c->detector) : "kept");
	rte_tel_data_add_dict_u64(d, "alert_seq", c->alert_seq);
	rte_tel_data_add_dict_u64(d, "times_contained", c->times);
	rte_tel_data_add_dict_u64(d, "first_packet_unix_us",
				  tel_unix_us(c->first_us));
	rte_tel_data_add_dict_u64(d, "detected_unix_us",
				  tel_unix_us(c->detected_us));
	rte_tel_data_add_dict_u64(d, "contained_unix_us",
				  tel_unix_us(c->contained_us));
	rte_tel_data_add_dict_u64(d, "first_drop_unix_us",
				  tel_unix_us(v->first_drop_us));
	rte_tel_data_add_dict_u64(d, "released_unix_us",
				  tel_unix_us(c->released_us));
	rte_tel_data_add_dict_u64(d, "quarantine_drops", v->quar_drops);
}

/* /cordon/device,MAC[/VLAN]: one device, its counters summed over workers. */
static int
tel_device(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct device_table *t = &tel_dp->hot.devices;
	struct dp_dev_counters sum = { 0 };
	struct rte_ether_addr mac;
	struct contain_view cv;
	char name[32];
	uint16_t vlan;
	uint32_t idx;

	(void)cmd;
	if (tel_mac_param(params, &mac, &vlan) < 0)
		return -EINVAL;
	idx = device_lookup(t, mac.addr_bytes, vlan);
	rte_tel_data_start_dict(d);
	if (idx == DEVICE_NONE)
		return 0;		/* an empty dict: not known */
	for (uint16_t w = 0; w < tel_dp->hot.n_workers; w++) {
		const struct dp_dev_counters *dc = &tel_dp->hot.workers[w]->devc[idx];

		sum.allowed_pkts += DP_CNT_READ(dc->allowed_pkts);
		sum.allowed_bytes += DP_CNT_READ(dc->allowed_bytes);
		sum.denied_pkts += DP_CNT_READ(dc->denied_pkts);
		sum.denied_bytes += DP_CNT_READ(dc->denied_bytes);
		sum.rx_pkts += DP_CNT_READ(dc->rx_pkts);
		sum.rx_bytes += DP_CNT_READ(dc->rx_bytes);
		sum.flows += DP_CNT_READ(dc->flows);
		sum.quar_drops += DP_CNT_READ(dc->quar_drops);
	}
	tel_mac(device_key(mac.addr_bytes, 0), name);
	rte_tel_data_add_dict_string(d, "mac", name);
	rte_tel_data_add_dict_u64(d, "vlan", vlan);
	rte_tel_data_add_dict_u64(d, "index", idx);
	rte_tel_data_add_dict_u64(d, "port", t->hot[idx].port);
	rte_tel_data_add_dict_u64(d, "first_seen_s", t->e[idx].first_seen_s);
	rte_tel_data_add_dict_u64(d, "last_seen_s", t->hot[idx].last_seen_s);
	rte_tel_data_add_dict_u64(d, "allowed_packets", sum.allowed_pkts);
	rte_tel_data_add_dict_u64(d, "allowed_bytes", sum.allowed_bytes);
	rte_tel_data_add_dict_u64(d, "denied_packets", sum.denied_pkts);
	rte_tel_data_add_dict_u64(d, "denied_bytes", sum.denied_bytes);
	rte_tel_data_add_dict_u64(d, "received_packets", sum.rx_pkts);
	rte_tel_data_add_dict_u64(d, "received_bytes", sum.rx_bytes);
	rte_tel_data_add_dict_u64(d, "flows", sum.flows);
	rte_tel_data_add_dict_u64(d, "quarantine_drops", sum.quar_drops);
	if (contain_get(tel_dp, mac.addr_bytes, vlan, &cv) == 0)
		rte_tel_data_add_dict_string(d, "contained", contain_state_name(
			(enum contain_state)cv.rec.state));
	return 0;
}

/* /cordon/contained: the devices this dataplane contained, newest first,
 * as "MAC[/VLAN] state". */
static int
tel_contained(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static struct contain_view v[CONTAIN_MAX];	/* telemetry's thread */
	uint32_t n = contain_list(tel_dp, v, RTE_DIM(v));
	char s[64];

	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (uint32_t i = 0; i < n && i < RTE_TEL_MAX_ARRAY_ENTRIES; i++) {
		const struct contain_rec *c = &v[i].rec;

		util_mac_format(c->mac, s);
		if (c->vlan != 0)
			snprintf(s + 17, sizeof(s) - 17, "/%u", c->vlan);
		snprintf(s + strlen(s), sizeof(s) - strlen(s), " %s",
			 contain_state_name((enum contain_state)c->state));
		rte_tel_data_add_array_string(d, s);
	}
	return 0;
}

/* /cordon/containment,MAC[/VLAN]: one containment's times (wall clock,
 * us) and the packets it dropped; an empty dict when there is none. */
static int
tel_containment(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_ether_addr mac;
	struct contain_view v;
	uint16_t vlan;

	(void)cmd;
	if (tel_mac_param(params, &mac, &vlan) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	if (contain_get(tel_dp, mac.addr_bytes, vlan, &v) == 0)
		tel_contain_dict(d, &v);
	return 0;
}

/* /cordon/detect: the detectors' counters. */
static int
tel_detect(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static const char *const evs[DET_EV_MAX] = {
		[DET_EV_FLOW_NEW] = "events_flow_new",
		[DET_EV_FLOW_DENIED] = "events_flow_denied",
		[DET_EV_ANSWERED] = "events_answered",
		[DET_EV_REJECTED] = "events_rejected",
		[DET_EV_ABORTED] = "events_aborted",
		[DET_EV_DATA] = "events_data",
		[DET_EV_CLOSED] = "events_closed",
		[DET_EV_FLOW_END] = "events_flow_end",
		[DET_EV_RATE] = "events_rate",
		[DET_EV_SYN] = "events_syn",
		[DET_EV_ICMP_REQ] = "events_icmp_request",
		[DET_EV_AMP_REPLY] = "events_amplifier_reply",
		[DET_EV_ARP] = "events_arp",
		[DET_EV_ND] = "events_nd",
		[DET_EV_DNS_FORGED] = "events_dns_forged",
	};
	struct dp_report_extra extra[DP_REPORT_EXTRA_MAX];
	size_t n = detector_report_extras(tel_dp, extra, RTE_DIM(extra));
	struct detector_stats st;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "enabled", tel_dp->det != NULL);
	if (tel_dp->det == NULL)
		return 0;
	detector_stats(tel_dp, &st);
	/* The report's names without their "detect_". */
	for (size_t i = 0; i < n; i++)
		rte_tel_data_add_dict_u64(d, extra[i].name + 7, extra[i].value);
	rte_tel_data_add_dict_u64(d, "packets_looked_at", st.slow);
	rte_tel_data_add_dict_u64(d, "dns_queries", st.dns_queries);
	rte_tel_data_add_dict_u64(d, "dns_answers", st.dns_answers);
	rte_tel_data_add_dict_u64(d, "set_full", st.eng.set_full);
	rte_tel_data_add_dict_u64(d, "observations", st.eng.observations);
	for (int i = 1; i < DET_EV_MAX; i++)
		rte_tel_data_add_dict_u64(d, evs[i], st.eng.events[i]);
	return 0;
}

/* /cordon/alerts: the last alerts, newest first, as "SEQ DETECTOR MAC
 * ACTION". */
static int
tel_alerts(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static struct detector_alert a[DETECTOR_RECENT];
	uint32_t n = detector_recent(tel_dp, a, RTE_DIM(a));
	char s[96], m[20];

	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (uint32_t i = 0; i < n; i++) {
		util_mac_format(a[i].a.mac, m);
		snprintf(s, sizeof(s), "%u %s %s %s%s", a[i].a.seq,
			 det_detector_name(a[i].a.detector), m,
			 detector_action_name((enum detector_action)
					      a[i].action),
			 a[i].contained == 1 ? " contained" : "");
		rte_tel_data_add_array_string(d, s);
	}
	return 0;
}

/* /cordon/alert,SEQ: one of the last alerts. */
static int
tel_alert(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct detector_alert x;
	unsigned int seq;
	char m[20];

	(void)cmd;
	if (tel_index(params, UINT32_MAX, &seq) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	if (detector_alert_get(tel_dp, seq, &x) < 0)
		return 0;
	util_mac_format(x.a.mac, m);
	rte_tel_data_add_dict_u64(d, "seq", x.a.seq);
	rte_tel_data_add_dict_string(d, "detector",
				     det_detector_name(x.a.detector));
	rte_tel_data_add_dict_string(d, "mac", m);
	rte_tel_data_add_dict_u64(d, "vlan", x.a.vlan);
	rte_tel_data_add_dict_string(d, "severity",
				     det_severity_name(x.a.severity));
	rte_tel_data_add_dict_string(d, "action", detector_action_name(
		(enum detector_action)x.action));
	rte_tel_data_add_dict_u64(d, "contained", x.contained);
	rte_tel_data_add_dict_u64(d, "segment", x.segment);
	rte_tel_data_add_dict_u64(d, "first_packet_unix_us",
				  tel_unix_us(x.a.first_us));
	rte_tel_data_add_dict_u64(d, "detected_unix_us",
				  tel_unix_us(x.a.ts_us));
	rte_tel_data_add_dict_string(d, "what", x.a.ev.what);
	rte_tel_data_add_dict_string(d, "key", x.a.ev.key);
	rte_tel_data_add_dict_u64(d, "count", x.a.ev.count);
	rte_tel_data_add_dict_u64(d, "threshold", x.a.ev.threshold);
	rte_tel_data_add_dict_u64(d, "window_ms", x.a.ev.window_ms);
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
	pthread_mutex_lock(&tel_dp->policy_ctl.info_lock);
	const struct policy_info *pi = &tel_dp->policy_ctl.info;

	rte_tel_data_add_dict_u64(d, "version", pi->version);
	rte_tel_data_add_dict_u64(d, "epoch", pi->epoch);
	rte_tel_data_add_dict_u64(d, "segments", pi->n_segments);
	rte_tel_data_add_dict_u64(d, "devices", pi->n_devices);
	rte_tel_data_add_dict_u64(d, "rules", pi->n_rules);
	rte_tel_data_add_dict_u64(d, "acl4_entries", pi->n_acl4_entries);
	rte_tel_data_add_dict_u64(d, "acl6_entries", pi->n_acl6_entries);
	rte_tel_data_add_dict_u64(d, "acl_tries", pi->n_acl_ctx);
	rte_tel_data_add_dict_u64(d, "acl_tries_kept", pi->n_acl_reused);
	rte_tel_data_add_dict_u64(d, "dns_rules", pi->n_dns_rules);
	rte_tel_data_add_dict_u64(d, "mem_bytes", pi->mem_bytes);
	rte_tel_data_add_dict_u64(d, "build_us",
				  (uint64_t)(pi->build_ms * 1000.0));
	rte_tel_data_add_dict_u64(d, "swaps", tel_dp->policy_ctl.swaps);
	rte_tel_data_add_dict_u64(d, "rejected", tel_dp->policy_ctl.rejected);
	pthread_mutex_unlock(&tel_dp->policy_ctl.info_lock);
	return 0;
}

static int
tel_dns(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dns_stats s;

	(void)cmd;
	(void)params;
	dns_table_stats(tel_dp->hot.dns, &s);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "responses", s.responses);
	rte_tel_data_add_dict_u64(d, "parsed", s.parsed);
	rte_tel_data_add_dict_u64(d, "malformed", s.malformed);
	rte_tel_data_add_dict_u64(d, "ignored", s.ignored);
	rte_tel_data_add_dict_u64(d, "names_too_long", s.names_too_long);
	rte_tel_data_add_dict_u64(d, "unrelated_records", s.unrelated);
	rte_tel_data_add_dict_u64(d, "names_dropped", s.names_dropped);
	rte_tel_data_add_dict_u64(d, "addrs_dropped", s.addrs_dropped);
	rte_tel_data_add_dict_u64(d, "bindings_created", s.bindings_created);
	rte_tel_data_add_dict_u64(d, "names_bound", s.names_bound);
	rte_tel_data_add_dict_u64(d, "refreshed", s.refreshed);
	rte_tel_data_add_dict_u64(d, "evicted", s.evicted);
	rte_tel_data_add_dict_u64(d, "expired", s.expired);
	rte_tel_data_add_dict_u64(d, "names_evicted", s.name_evicted);
	rte_tel_data_add_dict_u64(d, "generation", s.gen);
	rte_tel_data_add_dict_u64(d, "capacity", s.capacity);
	rte_tel_data_add_dict_u64(d, "name_capacity", s.name_capacity);
	rte_tel_data_add_dict_u64(d, "ttl_floor_s", s.ttl_floor_s);
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
		{ "/cordon/ports", tel_ports, "Port names, by index." },
		{ "/cordon/port", tel_port,
		  "One port's counters. Parameter: port index." },
		{ "/cordon/workers", tel_workers, "Worker lcores, by index." },
		{ "/cordon/worker", tel_worker,
		  "One worker's counters and flow table. Parameter: index." },
		{ "/cordon/devices", tel_devices,
		  "Devices seen (MAC or MAC/VLAN), first 512." },
		{ "/cordon/device", tel_device,
		  "One device's allowed/denied counters. Parameter: MAC[/VLAN]." },
		{ "/cordon/policy", tel_policy, "The policy in force." },
		{ "/cordon/dns", tel_dns,
		  "DNS snooping for dns_name rules: responses, bindings." },
		{ "/cordon/detect", tel_detect,
		  "Threat detection: alerts per detector, events, drops." },
		{ "/cordon/alerts", tel_alerts,
		  "The last alerts, newest first: SEQ DETECTOR MAC ACTION." },
		{ "/cordon/alert", tel_alert,
		  "One of the last alerts. Parameter: its sequence number." },
		{ "/cordon/contained", tel_contained,
		  "Devices this dataplane contained: MAC[/VLAN] STATE." },
		{ "/cordon/containment", tel_containment,
		  "One containment's times (unix us) and drops. Parameter: "
		  "MAC[/VLAN]." },
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
