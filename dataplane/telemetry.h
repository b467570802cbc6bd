/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * /cordon/... commands on DPDK's telemetry socket, for dpdk-telemetry.py
 * and for anything that cannot wait for cordond:
 *   /cordon/stats            totals and every drop reason by name
 *   /cordon/ports            port names; /cordon/port,N one port
 *   /cordon/workers          worker lcores; /cordon/worker,N one worker,
 *                            with its flow table
 *   /cordon/devices          devices seen; /cordon/device,MAC[/VLAN] one
 *                            device: packets/bytes allowed and denied
 *   /cordon/policy           the policy in force
 *   /cordon/detect           threat detection's counters
 *   /cordon/alerts           the last alerts; /cordon/alert,SEQ one alert
 *   /cordon/contained        devices this dataplane contained;
 *                            /cordon/containment,MAC[/VLAN] one of them:
 *                            its times (first packet, detection,
 *                            containment, first drop) and drops
 * DPDK 22.11's telemetry nests only arrays, hence a list and an item
 * command for each kind of thing, as /ethdev/list and /ethdev/stats,N do.
 * They run on DPDK's telemetry thread and only read: relaxed loads of the
 * workers' counters, lock-free lookups, and a copy of the policy's info.
 */

#ifndef CORDON_TELEMETRY_H
#define CORDON_TELEMETRY_H

#include "dp.h"

int telemetry_init(struct dp *dp);

#endif /* CORDON_TELEMETRY_H */
