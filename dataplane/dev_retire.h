/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Retiring devices (main lcore): a device unheard for --device-retire gives
 * its index back (device.h), so that the table, the reports and the
 * per-device state hold the devices of the last day, not every MAC ever
 * seen. A site whose guests' phones take a new MAC each day would
 * otherwise fill the 65,536 entries within weeks; then new devices are
 * neither counted, identified, watched by the detectors nor contained.
 *
 * Unheard: no frame from it passed (device_hot.last_seen_s) and none of its
 * counters moved (sent, denied, received) between two scans. A device
 * contained by this dataplane is kept, whatever its silence.
 *
 * A scan (a quarter of the idle time apart, 1 to 15 s) marks the unheard devices, at most
 * DEV_RETIRE_BATCH at once, and unlinks them (device_retire_begin()).
 * Their flows still name them: the workers' sweeps let go of the indices,
 * and once every worker has swept its whole table after the mark (two
 * rounds of flow_table_sweeps()) and at least two seconds have passed
 * (for the records already in the rings to the main lcore), the counters
 * and the inventory's state of each are cleared and the index is free.
 *
 * Nothing counted is lost: at the mark a device leaves the reports' list
 * and its counters so far go to the retired's sums (retired_*), and what
 * its flows still add before the free goes there at the free.
 *
 * With the table 7/8 full, the idle time is the MAC ageing time if that is
 * shorter (the bridge has forgotten where those devices are anyway), and
 * the scans follow it.
 */

#ifndef CORDON_DEV_RETIRE_H
#define CORDON_DEV_RETIRE_H

#include <stddef.h>
#include <stdint.h>

struct dp;
struct dp_report_extra;

#define DEV_RETIRE_BATCH 4096u
/* How many dev_retire_report_extras() writes. */
#define DEV_RETIRE_EXTRAS 11u

/* Main lcore, after the workers exist. idle_s 0: never (no state). 0 or
 * -ENOMEM. */
int dev_retire_init(struct dp *dp, uint32_t idle_s);
void dev_retire_fini(struct dp *dp);

/* Main lcore, each turn of its loop: a scan when one is due, the end of a
 * batch when the workers have let go. Returns 1 if it did either. */
unsigned int dev_retire_poll(struct dp *dp, uint64_t now_us);

/* The device table's counters for reports (counters only: the devices
 * live now are the report's list): devices_full, devices_retired,
 * devices_reused, device_moves; and retired_allowed_packets, _bytes,
 * retired_denied_packets, _bytes, retired_received_packets, _bytes and
 * retired_flows, the per-device counters of the devices retired or being
 * retired: the devices listed and these add up to every per-device count
 * since the start. Returns how many were written (at most max). */
size_t dev_retire_report_extras(const struct dp *dp,
				struct dp_report_extra *out, size_t max);

#endif /* CORDON_DEV_RETIRE_H */
