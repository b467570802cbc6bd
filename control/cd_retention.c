/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The store's retention: a wake hook that deletes what has been kept long
 * enough, table by table.
 *
 *   reports   --report-retention (1h)   received before; what they said
 *                                        stays (inventory, events), and so
 *                                        do the marks that recognise one
 *                                        sent again
 *   devices   --device-retention (90d)  no dataplane has listed them since
 *                                        (device.listed_ms), nothing an
 *                                        operator or detector did names
 *                                        them; their envelopes go too
 *   events    --event-retention (365d)  recorded before
 *   alerts    --alert-retention (365d)  received before, unless the device
 *                                        is still quarantined
 *   policies  --policy-keep (100)       versions older than the newest 100
 *                                        lose their content (source,
 *                                        compiled, signed), not their history
 *                                        row; a version another was composed
 *                                        on keeps it
 *   dataplanes --dataplane-retention (7d) not a table: the registry forgets
 *                                        a dataplane disconnected since, with
 *                                        what it last said (its hello, its
 *                                        last report: every device it knew)
 *
 * Each table is looked at every minute, or a quarter of its retention when
 * that is shorter (1 s at least), and pruned in batches of CD_PRUNE_BATCH
 * rows (CD_PRUNE_POLICY_BATCH versions, each up to megabytes), one
 * transaction each. A batch that comes back full is followed by
 * the next a second later: a store kept long, or one from before there was
 * a retention, is worked down a batch a second, not all under cordond's
 * lock at once.
 *
 * The pages a prune frees are given back to the file system a minute
 * later at most, CD_RECLAIM_PAGES at a time (a second apart while there
 * are more), when the store shrinks at all (ctl_store_space.c; a store made
 * before cordond set auto_vacuum shrinks after cordond --compact).
 *
 * A device forgotten here drops out of the compiler's inventory, so its
 * type: or vendor: assignment goes at the next compiled version; if it
 * comes back, it is a new device to the store, fingerprinted again.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cd.h"
#include "ctl_table.h"

#define CD_PRUNE_EVERY_MS	60000
#define CD_PRUNE_MIN_MS		1000
#define CD_PRUNE_AGAIN_MS	1000
#define CD_PRUNE_BATCH		5000
#define CD_PRUNE_POLICY_BATCH	50
#define CD_PRUNE_DP_BATCH	64
#define CD_RECLAIM_PAGES	2048	/* 8 MiB of 4 KiB pages */

static int
cd_retention_devices(struct cordond *d, uint64_t now_ms, uint64_t keep,
		     uint64_t *n)
{
	uint64_t env = 0;
	int rc;

	rc = ctl_store_device_prune(d->state.st, now_ms - keep,
				    CD_PRUNE_BATCH, n, &env);
	if (rc < 0)
		return rc;
	d->counters[CD_ENVELOPES_PRUNED] += env;
	if (*n > 0)
		cd_log("store: %" PRIu64 " devices no dataplane listed for %s "
		       "forgotten (%" PRIu64 " behaviour envelopes with them)",
		       *n, ctl_fmt_duration_ms(keep), env);
	return 0;
}

/* The registry, in memory: nothing to fail. */
static int
cd_retention_dataplanes(struct cordond *d, uint64_t now_ms, uint64_t keep,
			uint64_t *n)
{
	char ids[CD_PRUNE_DP_BATCH][CTL_DP_ID_MAX + 1];

	*n = ctl_registry_forget(&d->reg, now_ms - keep, ids,
				 CD_PRUNE_DP_BATCH);
	for (uint64_t i = 0; i < *n; i++)
		cd_log("dataplane %s forgotten: disconnected for more than %s",
		       ids[i], ctl_fmt_duration_ms(keep));
	return 0;
}

static int
cd_retention_policies(struct cordond *d, uint64_t now_ms, uint64_t keep,
		      uint64_t *n)
{
	return ctl_store_policy_prune(d->state.st, (uint32_t)keep,
				      CD_PRUNE_POLICY_BATCH, now_ms, n);
}

/* A table whose rows go by their time: before_ms, at most max. */
typedef int (*cd_retention_by_time_fn)(struct ctl_store *st,
				       uint64_t before_ms, uint32_t max,
				       uint64_t *n);

struct cd_retention_table {
	const char *what;		/* for cd_store_failed() */
	size_t keep_off;		/* the uint64_t in struct cd_conf */
	bool by_count;			/* keep is a count, not a duration */
	uint32_t batch;
	enum cd_counter counter;
	cd_retention_by_time_fn by_time;	/* or: */
	int (*prune)(struct cordond *d, uint64_t now_ms, uint64_t keep,
		     uint64_t *n);
};

static const struct cd_retention_table cd_retention_tables[CD_PRUNE_MAX] = {
	[CD_PRUNE_REPORTS] = { "the reports' pruning",
		offsetof(struct cd_conf, report_retention_ms), false,
		CD_PRUNE_BATCH, CD_REPORTS_PRUNED, ctl_store_report_prune,
		NULL },
	[CD_PRUNE_DEVICES] = { "the devices' pruning",
		offsetof(struct cd_conf, device_retention_ms), false,
		CD_PRUNE_BATCH, CD_DEVICES_PRUNED, NULL,
		cd_retention_devices },
	[CD_PRUNE_EVENTS] = { "the events' pruning",
		offsetof(struct cd_conf, event_retention_ms), false,
		CD_PRUNE_BATCH, CD_EVENTS_PRUNED, ctl_store_event_prune,
		NULL },
	[CD_PRUNE_ALERTS] = { "the alerts' pruning",
		offsetof(struct cd_conf, alert_retention_ms), false,
		CD_PRUNE_BATCH, CD_ALERTS_PRUNED, ctl_store_alert_prune,
		NULL },
	[CD_PRUNE_POLICIES] = { "the policy versions' pruning",
		offsetof(struct cd_conf, policy_keep), true,
		CD_PRUNE_POLICY_BATCH, CD_POLICIES_PRUNED, NULL,
		cd_retention_policies },
	[CD_PRUNE_DATAPLANES] = { "the dataplanes' retention",
		offsetof(struct cd_conf, dataplane_retention_ms), false,
		CD_PRUNE_DP_BATCH, CD_DP_FORGOTTEN, NULL,
		cd_retention_dataplanes },
};

/* Free pages back to the file system, a batch at a time. */
static void
cd_retention_reclaim(struct cordond *d, uint64_t now_ms)
{
	uint64_t bytes = 0;
	int rc;

	if (now_ms < d->reclaim_next_ms)
		return;
	rc = ctl_store_reclaim(d->state.st, CD_RECLAIM_PAGES, &bytes);
	if (rc < 0) {
		cd_store_failed(d, "the store's reclaim of free pages");
		d->reclaim_next_ms = now_ms + CD_PRUNE_EVERY_MS;
		return;
	}
	d->counters[CD_BYTES_RECLAIMED] += bytes;
	d->reclaim_next_ms = now_ms + (rc == 1 ? CD_PRUNE_AGAIN_MS :
				       CD_PRUNE_EVERY_MS);
}

static void
cd_retention_wake(struct cordond *d, uint64_t now_ms, struct cd_wake *w)
{
	bool pruned = false;

	(void)w;
	for (int t = 0; t < CD_PRUNE_MAX; t++) {
		const struct cd_retention_table *tb = &cd_retention_tables[t];
		const uint64_t keep = *(const uint64_t *)
			((const char *)&d->conf + tb->keep_off);
		uint64_t every = CD_PRUNE_EVERY_MS, n = 0;
		int rc;

		if (keep == 0 || now_ms < d->prune_next_ms[t] ||
		    (!tb->by_count && now_ms <= keep))
			continue;
		if (!tb->by_count && keep / 4 < every)
			every = keep / 4 < CD_PRUNE_MIN_MS ? CD_PRUNE_MIN_MS :
				keep / 4;
		rc = tb->by_time != NULL ?
			tb->by_time(d->state.st, now_ms - keep, tb->batch, &n) :
			tb->prune(d, now_ms, keep, &n);
		if (rc < 0) {
			cd_store_failed(d, tb->what);
			d->prune_next_ms[t] = now_ms + CD_PRUNE_EVERY_MS;
			continue;
		}
		/* Not cd_store_ok(): a delete that found nothing wrote
		 * nothing. */
		d->counters[tb->counter] += n;
		d->prune_next_ms[t] = now_ms + (n == tb->batch ?
						CD_PRUNE_AGAIN_MS : every);
		/* The registry is memory: no pages to give back. */
		pruned |= n > 0 && t != CD_PRUNE_DATAPLANES;
	}
	/* What this wake freed goes back at the next. */
	if (pruned && d->reclaim_next_ms > now_ms + CD_PRUNE_AGAIN_MS)
		d->reclaim_next_ms = now_ms + CD_PRUNE_AGAIN_MS;
	cd_retention_reclaim(d, now_ms);
}

/* No messages of its own: cd_status.c shows the counters. */
const struct cd_feature cd_retention_feature = {
	.name = "retention",
	.on_wake = cd_retention_wake,
};
