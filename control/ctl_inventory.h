/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The device inventory made durable: cordond writes what the dataplanes
 * report of their devices to the store, and reads it back after a restart
 * before any dataplane has reported again.
 *
 * Writes are throttled. A report repeats every device every interval; only
 * a device that is new, whose identity (dataplane, fingerprint, hostname,
 * MUD URL, addresses) changed, or whose stored last_seen is older than the
 * refresh period is written, and all of one report's rows go in ONE
 * transaction: one fsync per report at most, not one per device. A cache
 * of (MAC, VLAN) -> (identity hash, time stored) remembers what the store
 * holds. Not thread-safe: cordond holds its lock.
 */

#ifndef CORDON_CTL_INVENTORY_H
#define CORDON_CTL_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_policy_yaml.h"
#include "ctl_store.h"

/* Default refresh period of last_seen in the store. */
#define CTL_INV_REFRESH_MS 60000u
/* Cache entries before it is cleared (then every device is written once
 * more): a bound on memory under a flood of random MACs. */
#define CTL_INV_CACHE_MAX (1u << 20)

struct ctl_inv_slot;

struct ctl_inv {
	struct ctl_inv_slot *slots;
	size_t cap;			/* power of two, or 0 */
	size_t n;
	uint64_t refresh_ms;
};

void ctl_inv_init(struct ctl_inv *inv, uint64_t refresh_ms);
void ctl_inv_fini(struct ctl_inv *inv);

/*
 * Write the devices of report r (made at made_ms, received at now_ms,
 * unix times: ctl_registry_made_ms()) that need it, in one transaction.
 * Dataplane uptimes become unix times, the report's uptime as made_ms.
 * *written (may be NULL) gets the number of rows written. Returns 0 or
 * -errno; on failure nothing is written and the cache is unchanged, so
 * the next report tries again.
 */
int ctl_inv_persist(struct ctl_inv *inv, struct ctl_store *st,
		    const Cordon__StatsReport *r, uint64_t made_ms,
		    uint64_t now_ms, size_t *written);

/*
 * The stored inventory for the policy compiler. *devs is malloc()ed, with
 * its strings; free with ctl_inv_devices_free().
 */
int ctl_inv_load(struct ctl_store *st, struct ctl_pol_inv_device **devs,
		 size_t *n);
void ctl_inv_devices_free(struct ctl_pol_inv_device *devs, size_t n);

/* The counter that marks a report made from the store (see below). */
#define CTL_INV_STORED_COUNTER "inventory_from_store"

/*
 * The stored devices as StatsReports, one per dataplane that last saw
 * them, for cordonctl devices / device when no dataplane has reported
 * since cordond started. They have no ports or workers, one counter
 * CTL_INV_STORED_COUNTER = 1, and unix times: uptime_ms is now and
 * first/last_seen_ms are the stored unix times (so "uptime - last_seen"
 * means "how long ago", as in a live report). Free each report with
 * cordon__stats_report__free_unpacked() and the array with free().
 */
int ctl_inv_reports(struct ctl_store *st, uint64_t now_ms,
		    Cordon__StatsReport ***out, size_t *n);

#endif /* CORDON_CTL_INVENTORY_H */
