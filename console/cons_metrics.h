/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * /metrics: Prometheus's text exposition format (version 0.0.4), made from
 * cordond's status and the dataplanes' latest reports at each scrape, plus
 * the console's own counters. Names follow Prometheus's conventions:
 * cordon_<what>_<unit>_total for counters, base units (bytes, seconds).
 *
 * Labels stay bounded: per dataplane, port, worker and drop reason (a fixed
 * list); per device only for the --metrics-devices busiest devices (by
 * packets sent), the others summed in cordon_devices and counted in
 * cordon_console_device_series_omitted.
 *
 * Access: a console session, or `Authorization: Bearer TOKEN` with the
 * token of --metrics-token-file (what a Prometheus scrape config sends,
 * with the console's CA as its tls_config ca_file). Without either: 401.
 */

#ifndef CORDON_CONS_METRICS_H
#define CORDON_CONS_METRICS_H

#include <stdio.h>

#include "cons_http.h"

int cons_metrics_send(struct cons_req *r);

/* The exposition from these replies (any may be NULL: left out) to f. */
void cons_metrics_write(FILE *f, struct cons_server *s,
			const Cordon__StatusReply *st,
			const Cordon__StatsReply *stats,
			const Cordon__PolicyHistory *hist);

#endif /* CORDON_CONS_METRICS_H */
