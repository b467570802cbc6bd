/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_log.h>

#include "dev_retire.h"
#include "device.h"
#include "dp.h"
#include "dp_report.h"
#include "flow_table.h"
#include "inventory.h"

/* Slots a scan turns back from tombstones: a clean keeps new devices
 * waiting, so it is short (a few microseconds). */
#define DEV_RETIRE_CLEAN 1024u
/* The least time from the mark to the free: records in the rings. */
#define DEV_RETIRE_HOLD_US 2000000ull

struct dev_retire {
	uint32_t idle_s;
	uint64_t last_scan_us;
	uint64_t *heard_pkts;		/* [max]: counters' sum at a scan */
	uint32_t *heard_s;		/* [max]: when they last moved */
	uint32_t batch[DEV_RETIRE_BATCH];
	struct dp_dev_counters *marked;	/* [BATCH]: batch[b]'s at the mark */
	uint32_t n_batch;
	uint64_t batch_us;		/* when it was marked */
	uint32_t batch_idle_s;		/* unheard this long, or longer */
	uint32_t sweeps[RTE_MAX_LCORE];	/* each worker's, at the mark */
	uint64_t scans;
	/* The per-device counters of the devices retired and of the batch
	 * being retired: with the devices listed, they add up to every
	 * per-device count since the start. Main lcore writes, relaxed
	 * atomics: telemetry's thread reads. */
	struct dp_dev_counters gone;
};

/* dp_dev_counters as an array of its counters. */
#define DEV_RETIRE_NCNT (sizeof(struct dp_dev_counters) / sizeof(uint64_t))
_Static_assert(sizeof(struct dp_dev_counters) % sizeof(uint64_t) == 0,
	       "dp_dev_counters holds uint64_t counters only");

int
dev_retire_init(struct dp *dp, uint32_t idle_s)
{
	struct dev_retire *r;
	uint32_t max = dp->hot.devices.max;

	if (idle_s == 0)
		return 0;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->heard_pkts = calloc(max, sizeof(*r->heard_pkts));
	r->heard_s = calloc(max, sizeof(*r->heard_s));
	r->marked = calloc(DEV_RETIRE_BATCH, sizeof(*r->marked));
	if (r->heard_pkts == NULL || r->heard_s == NULL || r->marked == NULL) {
		free(r->heard_pkts);
		free(r->heard_s);
		free(r->marked);
		free(r);
		return -ENOMEM;
	}
	r->idle_s = idle_s;
	dp->retire = r;
	return 0;
}

void
dev_retire_fini(struct dp *dp)
{
	struct dev_retire *r = dp->retire;

	if (r == NULL)
		return;
	free(r->heard_pkts);
	free(r->heard_s);
	free(r->marked);
	free(r);
	dp->retire = NULL;
}

/* Device idx's counters, summed over the workers. */
static void
dev_retire_counters(const struct dp *dp, uint32_t idx,
		    struct dp_dev_counters *sum)
{
	uint64_t *s = (uint64_t *)sum;

	memset(sum, 0, sizeof(*sum));
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		const uint64_t *c =
			(const uint64_t *)&dp->hot.workers[w]->devc[idx];

		for (size_t k = 0; k < DEV_RETIRE_NCNT; k++)
			s[k] += __atomic_load_n(&c[k], __ATOMIC_RELAXED);
	}
}

/* gone += now - then (then NULL: zero). */
static void
dev_retire_count_gone(struct dev_retire *r, const struct dp_dev_counters *now,
		      const struct dp_dev_counters *then)
{
	uint64_t *g = (uint64_t *)&r->gone;
	const uint64_t *a = (const uint64_t *)now;
	const uint64_t *b = (const uint64_t *)then;

	for (size_t k = 0; k < DEV_RETIRE_NCNT; k++)
		__atomic_store_n(&g[k], g[k] + a[k] - (b != NULL ? b[k] : 0),
				 __ATOMIC_RELAXED);
}

/* Everything device idx sent, had denied and received, over the workers. */
static uint64_t
dev_retire_traffic(const struct dp *dp, uint32_t idx)
{
	struct dp_dev_counters c;

	dev_retire_counters(dp, idx, &c);
	return c.allowed_pkts + c.denied_pkts + c.rx_pkts;
}

/* How long a device may stay unheard now: the table 7/8 full, no longer
 * than the forwarding remembers where it is. */
static uint32_t
dev_retire_idle(const struct dp *dp, const struct dev_retire *r)
{
	const struct device_table *t = &dp->hot.devices;

	if (device_live_count(t) >= t->max - t->max / 8)
		return RTE_MIN(r->idle_s, t->ageing_s);
	return r->idle_s;
}

/* Scans a quarter of the idle time apart, 1 to 15 s. */
static uint64_t
dev_retire_scan_us(uint32_t idle_s)
{
	return (idle_s >= 60 ? 15 : idle_s >= 8 ? idle_s / 4 : 1) * 1000000ull;
}

/* Mark the devices unheard for longer than idle seconds; at most a
 * batch. */
static void
dev_retire_scan(struct dp *dp, struct dev_retire *r, uint32_t idle,
		uint64_t now_us)
{
	struct device_table *t = &dp->hot.devices;
	const uint32_t now_s = (uint32_t)(now_us / 1000000);
	const uint32_t n = RTE_MIN(device_count(t), t->max);

	r->scans++;
	for (uint32_t i = 0; i < n; i++) {
		const struct device_entry *d = device_at(t, i);
		uint64_t pkts;
		uint32_t heard;

		if (device_live(t, i) == 0)
			continue;
		pkts = dev_retire_traffic(dp, i);
		if (pkts != r->heard_pkts[i] || r->heard_s[i] == 0) {
			r->heard_pkts[i] = pkts;
			r->heard_s[i] = now_s;
		}
		heard = RTE_MAX(r->heard_s[i], __atomic_load_n(
			&t->hot[i].last_seen_s, __ATOMIC_RELAXED));
		if (now_s - heard <= idle || r->n_batch == DEV_RETIRE_BATCH)
			continue;
		/* Its containment's drops and times stay told. */
		if (__atomic_load_n(&d->contained_us, __ATOMIC_RELAXED) != 0 ||
		    __atomic_load_n(&d->quar_drop_us, __ATOMIC_RELAXED) != 0)
			continue;
		if (device_retire_begin(t, i) != 0)
			continue;
		/* Unlisted from now on: its counts so far move to the
		 * retired's, and what its flows still add comes at the free. */
		dev_retire_counters(dp, i, &r->marked[r->n_batch]);
		dev_retire_count_gone(r, &r->marked[r->n_batch], NULL);
		r->batch[r->n_batch++] = i;
	}
	if (r->n_batch == 0)
		return;
	r->batch_us = now_us;
	r->batch_idle_s = idle;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++)
		r->sweeps[w] = flow_table_sweeps(dp->hot.workers[w]->ft);
}

/* Whether every worker has swept its whole table since the mark. */
static bool
dev_retire_let_go(const struct dp *dp, const struct dev_retire *r,
		  uint64_t now_us)
{
	if (now_us - r->batch_us < DEV_RETIRE_HOLD_US)
		return false;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++)
		if (flow_table_sweeps(dp->hot.workers[w]->ft) - r->sweeps[w] < 2)
			return false;
	return true;
}

static void
dev_retire_free(struct dp *dp, struct dev_retire *r)
{
	struct device_table *t = &dp->hot.devices;

	for (uint32_t b = 0; b < r->n_batch; b++) {
		uint32_t i = r->batch[b];
		struct dp_dev_counters now;

		/* No worker holds i now (dev_retire_let_go()). */
		dev_retire_counters(dp, i, &now);
		dev_retire_count_gone(r, &now, &r->marked[b]);
		for (uint16_t w = 0; w < dp->hot.n_workers; w++)
			memset(&dp->hot.workers[w]->devc[i], 0,
			       sizeof(dp->hot.workers[w]->devc[i]));
		inventory_forget(dp, i);
		r->heard_pkts[i] = 0;
		r->heard_s[i] = 0;
		device_retire_end(t, i);
	}
	RTE_LOG(INFO, USER1, "devices: %u unheard for %u s or more forgotten, "
		"%u live%s\n", r->n_batch, r->batch_idle_s, device_live_count(t),
		r->batch_idle_s < r->idle_s ? " (the table was 7/8 full)" : "");
	r->n_batch = 0;
}

unsigned int
dev_retire_poll(struct dp *dp, uint64_t now_us)
{
	struct dev_retire *r = dp->retire;
	uint32_t idle;

	if (r == NULL)
		return 0;
	if (r->n_batch != 0) {
		if (!dev_retire_let_go(dp, r, now_us))
			return 0;
		dev_retire_free(dp, r);
		return 1;
	}
	idle = dev_retire_idle(dp, r);
	if (r->scans != 0 && now_us - r->last_scan_us < dev_retire_scan_us(idle))
		return 0;
	r->last_scan_us = now_us;
	device_table_clean(&dp->hot.devices, DEV_RETIRE_CLEAN);
	dev_retire_scan(dp, r, idle, now_us);
	return 1;
}

size_t
dev_retire_report_extras(const struct dp *dp, struct dp_report_extra *out,
			 size_t max)
{
	const struct device_table *t = &dp->hot.devices;
	const struct dev_retire *r = dp->retire;
	struct dp_dev_counters g = { 0 };
	size_t n;

	if (r != NULL) {
		const uint64_t *src = (const uint64_t *)&r->gone;
		uint64_t *dst = (uint64_t *)&g;

		for (size_t k = 0; k < DEV_RETIRE_NCNT; k++)
			dst[k] = __atomic_load_n(&src[k], __ATOMIC_RELAXED);
	}
	const struct dp_report_extra all[] = {
		{ "devices_full", __atomic_load_n(&t->full, __ATOMIC_RELAXED) },
		{ "devices_retired",
		  __atomic_load_n(&t->retired, __ATOMIC_RELAXED) },
		{ "devices_reused",
		  __atomic_load_n(&t->reused, __ATOMIC_RELAXED) },
		{ "device_moves", __atomic_load_n(&t->moves, __ATOMIC_RELAXED) },
		{ "retired_allowed_packets", g.allowed_pkts },
		{ "retired_allowed_bytes", g.allowed_bytes },
		{ "retired_denied_packets", g.denied_pkts },
		{ "retired_denied_bytes", g.denied_bytes },
		{ "retired_received_packets", g.rx_pkts },
		{ "retired_received_bytes", g.rx_bytes },
		{ "retired_flows", g.flows },
	};

	n = RTE_MIN(RTE_DIM(all), max);
	memcpy(out, all, n * sizeof(*out));
	return n;
}
