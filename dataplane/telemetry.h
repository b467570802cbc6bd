/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * /cordon/... commands on DPDK's telemetry socket, for dpdk-telemetry.py
 * and for anything that cannot wait for cordond:
 *   /cordon/stats     totals and every drop reason by name
 *   /cordon/ports     per port
 *   /cordon/workers   per worker, with flow table counters
 *   /cordon/devices   per device (MAC,VLAN): packets/bytes allowed, denied
 *   /cordon/policy    the policy in force
 * They run on DPDK's telemetry thread and only read: relaxed loads of the
 * workers' counters, lock-free lookups, and the policy under RCU-free
 * pinning (see telemetry.c).
 */

#ifndef CORDON_TELEMETRY_H
#define CORDON_TELEMETRY_H

#include "dp.h"

int telemetry_init(struct dp *dp);

#endif /* CORDON_TELEMETRY_H */
