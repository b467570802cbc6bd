/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dp_report.h"
#include "evidence.h"
#include "fp_behav.h"
#include "fp_identity.h"
#include "fp_tls.h"
#include "inventory.h"

#define DP_REPORT_ADDRS (DEVICE_MAX_ADDR4 + DEVICE_MAX_ADDR6)
/* Obsolete-TLS flags a device may have (fp_tls_flag_names()). */
#define DP_REPORT_TLS 8
/* Evidence pieces a device may have, the MUD URL's and its TLS flags. */
#define DP_REPORT_EV (FP_DEV_MAX_EV + 1 + DP_REPORT_TLS)

static Cordon__IdentityField
dp_report_field(uint8_t attr)
{
	switch (attr) {
	case FP_ATTR_VENDOR: return CORDON__IDENTITY_FIELD__FIELD_VENDOR;
	case FP_ATTR_TYPE: return CORDON__IDENTITY_FIELD__FIELD_TYPE;
	case FP_ATTR_OS: return CORDON__IDENTITY_FIELD__FIELD_OS;
	case FP_ATTR_MODEL: return CORDON__IDENTITY_FIELD__FIELD_MODEL;
	case FP_ATTR_FIRMWARE: return CORDON__IDENTITY_FIELD__FIELD_FIRMWARE;
	case FP_ATTR_SOFTWARE: return CORDON__IDENTITY_FIELD__FIELD_SOFTWARE;
	default: return CORDON__IDENTITY_FIELD__FIELD_UNSPEC;
	}
}

/* The fingerprinter's evidence of a device, typed (its strings stay the
 * fingerprinter's: the report is packed before it changes). */
static void
dp_report_evidence(const struct fp_device *fd, struct dp_report *r, size_t k,
		   Cordon__DeviceIdentity *id)
{
	Cordon__Evidence *ev = &r->dev_ev[k * DP_REPORT_EV];
	Cordon__Evidence **evp = &r->dev_ev_ptr[k * DP_REPORT_EV];
	size_t n = 0;

	for (uint16_t i = 0; i < fd->n_ev && n < FP_DEV_MAX_EV; i++) {
		const struct fp_evidence *e = &fd->ev[i];

		cordon__evidence__init(&ev[n]);
		ev[n].field = dp_report_field(e->attr);
		ev[n].value = (char *)e->value;
		ev[n].method = (char *)fp_ev_source_name(e->source);
		ev[n].source = evidence_source_of_method(ev[n].method);
		ev[n].clue = (char *)e->seen;
		ev[n].confidence = e->confidence;
		ev[n].signature_id = (char *)e->rule;
		evp[n] = &ev[n];
		n++;
	}
	/* Where the MUD URL was announced: cordond records it with the
	 * binding it makes from the URL. */
	if (fd->mud_url[0] != '\0' && fd->mud_source[0] != '\0') {
		id->mud_url_source = evidence_source_from_name(fd->mud_source);
		cordon__evidence__init(&ev[n]);
		ev[n].field = CORDON__IDENTITY_FIELD__FIELD_MUD_URL;
		ev[n].value = (char *)fd->mud_url;
		ev[n].source = id->mud_url_source;
		ev[n].method = (char *)"";
		ev[n].clue = (char *)fd->mud_url;
		ev[n].confidence = 100;
		ev[n].signature_id = (char *)"rfc8520";
		evp[n] = &ev[n];
		n++;
	}
	/* Obsolete TLS, each flag a piece of evidence: the highest version
	 * it ever offered is the clue. */
	for (size_t t = 0; t < id->n_tls_obsolete; t++) {
		cordon__evidence__init(&ev[n]);
		ev[n].field = CORDON__IDENTITY_FIELD__FIELD_TLS;
		ev[n].value = id->tls_obsolete[t];
		ev[n].source = CORDON__EVIDENCE_SOURCE__SOURCE_TLS;
		ev[n].method = (char *)"tls_hello";
		ev[n].clue = (char *)fp_tls_version_name(fd->tls_max_version);
		ev[n].confidence = 100;
		ev[n].signature_id = (char *)"fp_tls";
		evp[n] = &ev[n];
		n++;
	}
	id->n_evidence = n;
	id->evidence = evp;
}

/* What fingerprinting and the behaviour summaries say of device i. */
static void
dp_report_inventory(const struct dp *dp, uint32_t i, struct dp_report *r,
		    size_t k, unsigned int flags, Cordon__DeviceStats *ds)
{
	const struct device_entry *d = device_at(&dp->hot.devices, i);
	const struct fp_device *fd = inventory_identity(dp, i);
	struct fp_behav_summary bs;
	ProtobufCBinaryData *addr = &r->dev_addr[k * DP_REPORT_ADDRS];
	uint8_t n4 = RTE_MIN(__atomic_load_n(&d->n_addr4, __ATOMIC_ACQUIRE),
			     DEVICE_MAX_ADDR4);
	uint8_t n6 = RTE_MIN(__atomic_load_n(&d->n_addr6, __ATOMIC_ACQUIRE),
			     DEVICE_MAX_ADDR6);

	/* The main lcore is the only writer of addresses: no tearing. */
	for (uint8_t a = 0; a < n4; a++) {
		addr[ds->n_addresses].data = (uint8_t *)&d->addr4[a];
		addr[ds->n_addresses++].len = 4;
	}
	for (uint8_t a = 0; a < n6; a++) {
		addr[ds->n_addresses].data = (uint8_t *)d->addr6[a];
		addr[ds->n_addresses++].len = 16;
	}
	ds->addresses = addr;

	/* The segment it is in: the main lcore publishes policies, so the
	 * one it reads here cannot be freed under it. */
	const struct policy_ctx *pol = policy_holder_get(dp->hot.policy);

	if (pol != NULL) {
		uint8_t mac[6];

		for (int b = 0; b < 6; b++)
			mac[b] = (uint8_t)(d->key >> (40 - 8 * b));
		policy_device_lookup(pol, mac, (uint16_t)((d->key >> 48) &
							  0xfff), &ds->segment,
				     NULL);
		for (uint32_t s = 0; s < dp->policy_ctl.n_segments; s++)
			if (dp->policy_ctl.segments[s].id == ds->segment)
				ds->segment_name = (char *)dp->policy_ctl.segments[s].name;
	}

	if (fd != NULL) {
		Cordon__DeviceIdentity *id = &r->dev_id[k];
		uint8_t conf;
		const char *v;

		cordon__device_identity__init(id);
#define DP_ATTR(attr, field) do { \
		v = fp_device_attr(fd, attr, &conf); \
		id->field = (char *)(v ? v : ""); \
		id->field##_confidence = conf; \
	} while (0)
		DP_ATTR(FP_ATTR_VENDOR, vendor);
		DP_ATTR(FP_ATTR_TYPE, type);
		DP_ATTR(FP_ATTR_OS, os);
		DP_ATTR(FP_ATTR_MODEL, model);
		if (flags & DP_REPORT_FIRMWARE) {
			DP_ATTR(FP_ATTR_FIRMWARE, firmware);
			id->tls_obsolete = (char **)&r->dev_tls[k *
								DP_REPORT_TLS];
			id->n_tls_obsolete = fp_tls_flag_names(
				fp_device_tls_flags(fd),
				&r->dev_tls[k * DP_REPORT_TLS], DP_REPORT_TLS);
		}
#undef DP_ATTR
		id->hostname = (char *)fd->hostname;
		id->mud_url = (char *)fd->mud_url;
		id->dhcp_params = (char *)fd->dhcp_params;
		id->random_mac = fd->random_mac;
		if (flags & DP_REPORT_EVIDENCE)
			dp_report_evidence(fd, r, k, id);
		ds->identity = id;
	}
	if (inventory_behaviour(dp, i, &bs) == 1) {
		Cordon__BehaviourSummary *b = &r->dev_behav[k];

		cordon__behaviour_summary__init(b);
		b->start_ms = bs.start_us / 1000;
		b->interval_ms = bs.interval_us / 1000;
		b->flows = bs.flows;
		b->packets_out = bs.pkts_out;
		b->packets_in = bs.pkts_in;
		b->bytes_out = bs.bytes_out;
		b->bytes_in = bs.bytes_in;
		b->denied = bs.denied;
		b->distinct_destinations = bs.distinct_dsts;
		b->distinct_ports = bs.distinct_ports;
		b->approximate = bs.dsts_approx || bs.ports_approx;
		ds->behaviour = b;
	}
}

static int
dp_report_devices(const struct dp *dp, unsigned int flags,
		  struct dp_report *r)
{
	const struct device_table *t = &dp->hot.devices;
	uint32_t n = RTE_MIN(device_count(t), t->max), k = 0;

	if (n == 0)
		return 0;
	r->dev_st = calloc(n, sizeof(*r->dev_st));
	r->dev_ptr = calloc(n, sizeof(*r->dev_ptr));
	r->dev_mac = calloc(n, sizeof(*r->dev_mac));
	r->dev_id = calloc(n, sizeof(*r->dev_id));
	r->dev_behav = calloc(n, sizeof(*r->dev_behav));
	r->dev_addr = calloc((size_t)n * DP_REPORT_ADDRS,
			     sizeof(*r->dev_addr));
	r->dev_ev = calloc((size_t)n * DP_REPORT_EV, sizeof(*r->dev_ev));
	r->dev_ev_ptr = calloc((size_t)n * DP_REPORT_EV,
			       sizeof(*r->dev_ev_ptr));
	r->dev_tls = calloc((size_t)n * DP_REPORT_TLS, sizeof(*r->dev_tls));
	r->n_dev = n;
	if (r->dev_st == NULL || r->dev_ptr == NULL || r->dev_mac == NULL ||
	    r->dev_id == NULL || r->dev_behav == NULL || r->dev_addr == NULL ||
	    r->dev_ev == NULL || r->dev_ev_ptr == NULL || r->dev_tls == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t key = device_live(t, i);
		Cordon__DeviceStats *ds = &r->dev_st[k];

		if (key == 0)
			continue;	/* being created, or retired */
		cordon__device_stats__init(ds);
		for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
			const struct dp_dev_counters *c =
				&dp->hot.workers[w]->devc[i];

			ds->allowed_packets += DP_CNT_READ(c->allowed_pkts);
			ds->allowed_bytes += DP_CNT_READ(c->allowed_bytes);
			ds->denied_packets += DP_CNT_READ(c->denied_pkts);
			ds->denied_bytes += DP_CNT_READ(c->denied_bytes);
			ds->received_packets += DP_CNT_READ(c->rx_pkts);
			ds->received_bytes += DP_CNT_READ(c->rx_bytes);
			ds->flows += DP_CNT_READ(c->flows);
		}
		for (int b = 0; b < 6; b++)
			r->dev_mac[k][b] = (uint8_t)(key >> (40 - 8 * b));
		ds->mac.data = r->dev_mac[k];
		ds->mac.len = 6;
		ds->vlan = (uint32_t)(key >> 48) & 0xfff;
		ds->port_id = dp->ports[t->hot[i].port].port_id;
		ds->first_seen_ms = (uint64_t)t->e[i].first_seen_s * 1000;
		ds->last_seen_ms = (uint64_t)t->hot[i].last_seen_s * 1000;
		dp_report_inventory(dp, i, r, k, flags, ds);
		r->dev_ptr[k++] = ds;
	}
	r->msg.n_devices = k;
	r->msg.devices = r->dev_ptr;
	return 0;
}

int
dp_report_build(const struct dp *dp, uint64_t seq,
		const struct dp_report_extra *extra, size_t n_extra,
		unsigned int flags, struct dp_report *r)
{
	uint64_t reason_total[DP_DROP_MAX] = { 0 };
	const uint16_t nw = dp->hot.n_workers;
	size_t nc = 0;

	memset(r, 0, sizeof(*r));
	cordon__stats_report__init(&r->msg);
	r->worker_st = calloc(nw ? nw : 1, sizeof(*r->worker_st));
	r->reason_st = calloc((size_t)(nw ? nw : 1) * DP_DROP_MAX,
			      sizeof(*r->reason_st));
	r->reason_ptr = calloc((size_t)(nw ? nw : 1) * DP_DROP_MAX,
			       sizeof(*r->reason_ptr));
	r->counter_st = calloc(DP_DROP_MAX + n_extra, sizeof(*r->counter_st));
	r->counter_ptr = calloc(DP_DROP_MAX + n_extra,
				sizeof(*r->counter_ptr));
	if (r->worker_st == NULL || r->reason_st == NULL ||
	    r->reason_ptr == NULL || r->counter_st == NULL ||
	    r->counter_ptr == NULL) {
		dp_report_free(r);
		return -ENOMEM;
	}

	for (uint16_t p = 0; p < dp->hot.n_ports; p++) {
		Cordon__PortStats *ps = &r->port_st[p];
		struct rte_eth_stats hw;

		cordon__port_stats__init(ps);
		ps->port_id = dp->ports[p].port_id;
		ps->name = (char *)dp->ports[p].name;
		if (rte_eth_stats_get(dp->ports[p].port_id, &hw) == 0) {
			ps->hw_rx_missed = hw.imissed;
			ps->hw_rx_errors = hw.ierrors;
			ps->hw_tx_errors = hw.oerrors;
			ps->hw_rx_nombuf = hw.rx_nombuf;
		}
		r->port_ptr[p] = ps;
	}

	for (uint16_t w = 0; w < nw; w++) {
		struct dp_worker_stats s;
		Cordon__WorkerStats *ws = &r->worker_st[w];
		Cordon__Counter **rp = &r->reason_ptr[(size_t)w * DP_DROP_MAX];
		Cordon__Counter *rs = &r->reason_st[(size_t)w * DP_DROP_MAX];

		dp_stats_snapshot(&dp->hot.workers[w]->stats, &s);
		cordon__worker_stats__init(ws);
		ws->worker_id = w;
		ws->lcore_id = dp->hot.workers[w]->lcore_id;
		ws->rx_packets = s.rx_packets;
		ws->rx_bytes = s.rx_bytes;
		ws->tx_packets = s.tx_packets;
		ws->tx_bytes = s.tx_bytes;
		ws->polls = s.polls;
		ws->busy_polls = s.busy_polls;
		ws->idle_sleep_us = s.idle_sleep_us;
		ws->drop_reasons = rp;
		for (int d = 0; d < DP_DROP_MAX; d++) {
			ws->drops += s.drops[d];
			reason_total[d] += s.drops[d];
			if (s.drops[d] == 0)
				continue;
			cordon__counter__init(&rs[ws->n_drop_reasons]);
			rs[ws->n_drop_reasons].name =
				(char *)dp_drop_names[d];
			rs[ws->n_drop_reasons].value = s.drops[d];
			rp[ws->n_drop_reasons] = &rs[ws->n_drop_reasons];
			ws->n_drop_reasons++;
		}
		for (uint16_t p = 0; p < dp->hot.n_ports; p++) {
			Cordon__PortStats *ps = &r->port_st[p];

			ps->rx_packets += s.port[p].rx_packets;
			ps->rx_bytes += s.port[p].rx_bytes;
			ps->tx_packets += s.port[p].tx_packets;
			ps->tx_bytes += s.port[p].tx_bytes;
			ps->drops += s.port[p].drops;
		}
		r->worker_ptr[w] = ws;
	}

	/* Every reason is listed, zero or not: scripts may rely on names. */
	for (int d = 0; d < DP_DROP_MAX; d++, nc++) {
		cordon__counter__init(&r->counter_st[nc]);
		r->counter_st[nc].name = (char *)dp_drop_names[d];
		r->counter_st[nc].value = reason_total[d];
		r->counter_ptr[nc] = &r->counter_st[nc];
	}
	for (size_t i = 0; i < n_extra; i++, nc++) {
		cordon__counter__init(&r->counter_st[nc]);
		r->counter_st[nc].name = (char *)extra[i].name;
		r->counter_st[nc].value = extra[i].value;
		r->counter_ptr[nc] = &r->counter_st[nc];
	}

	r->msg.dataplane_id = (char *)dp->conf.id;
	r->msg.seq = seq;
	r->msg.uptime_ms = dp_uptime_ms(dp);
	r->msg.policy_version = dp->policy_ctl.version;
	r->msg.n_ports = dp->hot.n_ports;
	r->msg.ports = r->port_ptr;
	r->msg.n_workers = nw;
	r->msg.workers = r->worker_ptr;
	r->msg.n_counters = nc;
	r->msg.counters = r->counter_ptr;
	if ((flags & DP_REPORT_DEVICES) &&
	    dp_report_devices(dp, flags, r) < 0) {
		dp_report_free(r);
		return -ENOMEM;
	}
	return 0;
}

void
dp_report_free(struct dp_report *r)
{
	free(r->worker_st);
	free(r->reason_st);
	free(r->reason_ptr);
	free(r->counter_st);
	free(r->counter_ptr);
	free(r->dev_ev);
	free(r->dev_ev_ptr);
	free(r->dev_tls);
	free(r->dev_st);
	free(r->dev_ptr);
	free(r->dev_mac);
	free(r->dev_id);
	free(r->dev_behav);
	free(r->dev_addr);
	memset(r, 0, sizeof(*r));
}

void
dp_report_print(FILE *f, const struct dp_report *r)
{
	const Cordon__StatsReport *m = &r->msg;

	fprintf(f, "%-4s %-20s %14s %14s %12s %10s\n", "PORT", "NAME",
		"RX-PACKETS", "TX-PACKETS", "DROPS", "HW-MISSED");
	for (size_t i = 0; i < m->n_ports; i++)
		fprintf(f, "%-4u %-20s %14" PRIu64 " %14" PRIu64 " %12" PRIu64
			" %10" PRIu64 "\n", m->ports[i]->port_id,
			m->ports[i]->name, m->ports[i]->rx_packets,
			m->ports[i]->tx_packets, m->ports[i]->drops,
			m->ports[i]->hw_rx_missed);
	fprintf(f, "%-6s %-5s %14s %14s %12s\n", "WORKER", "LCORE",
		"RX-PACKETS", "TX-PACKETS", "DROPS");
	for (size_t i = 0; i < m->n_workers; i++)
		fprintf(f, "%-6u %-5u %14" PRIu64 " %14" PRIu64 " %12" PRIu64
			"\n", m->workers[i]->worker_id,
			m->workers[i]->lcore_id, m->workers[i]->rx_packets,
			m->workers[i]->tx_packets, m->workers[i]->drops);
	for (size_t i = 0; i < m->n_counters; i++)
		if (m->counters[i]->value != 0)
			fprintf(f, "  %-28s %" PRIu64 "\n",
				m->counters[i]->name, m->counters[i]->value);
}
