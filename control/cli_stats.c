/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl stats: each dataplane's latest counters. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl_inventory.h"
#include "ctl_table.h"

static int
stats_dev_cmp(const void *a, const void *b)
{
	const Cordon__DeviceStats *x = *(Cordon__DeviceStats *const *)a;
	const Cordon__DeviceStats *y = *(Cordon__DeviceStats *const *)b;
	uint64_t nx = x->allowed_packets + x->denied_packets;
	uint64_t ny = y->allowed_packets + y->denied_packets;

	return nx < ny ? 1 : nx > ny ? -1 : 0;
}

#define STATS_TOP_DEVICES 10

/* The busiest devices; --json has them all. */
static void
stats_print_devices(const Cordon__StatsReport *r)
{
	static const char *const head[] = {
		"DEVICE", ">VLAN", ">PORT", ">ALLOWED-PKTS", ">ALLOWED-BYTES",
		">DENIED-PKTS", ">DENIED-BYTES", NULL,
	};
	Cordon__DeviceStats **d;
	struct ctl_table t;
	size_t n = r->n_devices;

	if (n == 0)
		return;
	d = malloc(n * sizeof(*d));
	if (d == NULL)
		return;
	memcpy(d, r->devices, n * sizeof(*d));
	qsort(d, n, sizeof(*d), stats_dev_cmp);
	printf("\n%zu device%s%s:\n", n, n == 1 ? "" : "s",
	       n > STATS_TOP_DEVICES ? ", the busiest" : "");
	ctl_table_init(&t, head);
	for (size_t i = 0; i < n && i < STATS_TOP_DEVICES; i++) {
		const char *row[] = {
			cli_mac_str(&d[i]->mac), ctl_fmt_u64(d[i]->vlan), ctl_fmt_u64(d[i]->port_id),
			ctl_fmt_u64(d[i]->allowed_packets),
			ctl_fmt_u64(d[i]->allowed_bytes),
			ctl_fmt_u64(d[i]->denied_packets),
			ctl_fmt_u64(d[i]->denied_bytes),
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
	free(d);
}

static void
stats_print_one(const Cordon__StatsReport *r)
{
	static const char *const port_head[] = {
		">PORT", "NAME", ">RX-PACKETS", ">RX-BYTES", ">TX-PACKETS",
		">TX-BYTES", ">DROPS", ">HW-MISSED", ">HW-ERRORS", NULL,
	};
	static const char *const wk_head[] = {
		">WORKER", ">LCORE", ">RX-PACKETS", ">TX-PACKETS", ">DROPS",
		">BUSY%", NULL,
	};
	struct ctl_table t;
	bool any = false;

	printf("dataplane %s  (report %" PRIu64 ", up %s, policy %" PRIu64
	       ")\n\n", r->dataplane_id, r->seq,
	       ctl_fmt_duration_ms(r->uptime_ms), r->policy_version);

	ctl_table_init(&t, port_head);
	for (size_t i = 0; i < r->n_ports; i++) {
		const Cordon__PortStats *p = r->ports[i];
		const char *row[] = {
			ctl_fmt_u64(p->port_id), p->name,
			ctl_fmt_u64(p->rx_packets), ctl_fmt_u64(p->rx_bytes),
			ctl_fmt_u64(p->tx_packets), ctl_fmt_u64(p->tx_bytes),
			ctl_fmt_u64(p->drops), ctl_fmt_u64(p->hw_rx_missed),
			ctl_fmt_u64(p->hw_rx_errors + p->hw_tx_errors),
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
	putchar('\n');

	ctl_table_init(&t, wk_head);
	for (size_t i = 0; i < r->n_workers; i++) {
		const Cordon__WorkerStats *w = r->workers[i];
		char busy[16];

		snprintf(busy, sizeof(busy), "%.1f", w->polls ?
			 100.0 * (double)w->busy_polls / (double)w->polls : 0);
		const char *row[] = {
			ctl_fmt_u64(w->worker_id), ctl_fmt_u64(w->lcore_id),
			ctl_fmt_u64(w->rx_packets), ctl_fmt_u64(w->tx_packets),
			ctl_fmt_u64(w->drops), busy,
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);

	stats_print_devices(r);

	for (size_t i = 0; i < r->n_counters; i++) {
		if (r->counters[i]->value == 0)
			continue;
		if (!any)
			printf("\ncounters:\n");
		any = true;
		printf("  %-32s %" PRIu64 "\n", r->counters[i]->name,
		       r->counters[i]->value);
	}
}

/* A report cordond made from its stored inventory (no live counters). */
bool
cli_stats_from_store(const Cordon__StatsReport *r)
{
	for (size_t i = 0; i < r->n_counters; i++)
		if (strcmp(r->counters[i]->name, CTL_INV_STORED_COUNTER) == 0)
			return true;
	return false;
}

static int
cli_stats_show(const void *reply, const void *req)
{
	const Cordon__StatsReply *st = reply;

	(void)req;
	if (st->n_reports == 0 || cli_stats_from_store(st->reports[0])) {
		printf("no stats yet: no dataplane has reported\n");
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < st->n_reports; i++) {
		if (i > 0)
			printf("\n");
		stats_print_one(st->reports[i]);
	}
	return CLI_EXIT_OK;
}

static int
cli_stats_run(struct cli *c, int argc, char **argv)
{
	Cordon__StatsRequest req = CORDON__STATS_REQUEST__INIT;
	char *id = NULL;
	int rc;

	rc = cli_args(c, "stats", argc, argv, NULL, &id, 1);
	if (rc != CLI_EXIT_OK)
		return rc;
	req.dataplane_id = id ? id : (char *)"";
	return cli_query(c, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &req.base,
			 CORDON__MSG_TYPE__MSG_STATS_REPLY, cli_stats_show);
}

CLI_COMMAND(stats, "[DATAPLANE-ID]", "rx/tx/drops per port and per worker",
	"Show the latest counters each dataplane reported: per port\n"
	"(rx/tx packets and bytes, drops, NIC misses), per worker, and\n"
	"every non-zero drop reason by name.\n\n"
	"  --json   machine-readable output (all counters, zero or not)");
