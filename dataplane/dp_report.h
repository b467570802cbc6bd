/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Turning the workers' counters into reports, for cordond and for humans. */

#ifndef CORDON_DP_REPORT_H
#define CORDON_DP_REPORT_H

#include <stdio.h>

#include "cordon.pb-c.h"
#include "dp.h"

struct dp_report {
	Cordon__StatsReport msg;
	/* Storage that msg points into. */
	Cordon__PortStats port_st[DP_MAX_PORTS];
	Cordon__PortStats *port_ptr[DP_MAX_PORTS];
	Cordon__WorkerStats *worker_ptr[RTE_MAX_LCORE];
	Cordon__WorkerStats *worker_st;
	Cordon__Counter *counter_st;
	Cordon__Counter **counter_ptr;
	Cordon__Counter **reason_ptr;	/* worker_st[w] reasons */
	Cordon__Counter *reason_st;
	Cordon__DeviceStats *dev_st;
	Cordon__DeviceStats **dev_ptr;
	uint8_t (*dev_mac)[6];
	Cordon__DeviceIdentity *dev_id;
	Cordon__BehaviourSummary *dev_behav;
	ProtobufCBinaryData *dev_addr;	/* [n][DEVICE_MAX_ADDR4 + 6] */
	Cordon__Evidence *dev_ev;	/* [n][DP_REPORT_EV] */
	Cordon__Evidence **dev_ev_ptr;
	const char **dev_tls;		/* [n][DP_REPORT_TLS] flag names */
	size_t n_dev;
};

/* A named value the caller adds to the report's dataplane-wide counters. */
struct dp_report_extra {
	const char *name;
	uint64_t value;
};

/* Room for every extra a report carries: the agent's (17), detection's
 * (64) and the device table's (11) are 92 today; the providers stop at
 * the room they are given, so it is kept well above. */
#define DP_REPORT_EXTRA_MAX 160

/* dp_report_build() flags. */
#define DP_REPORT_DEVICES 0x1u	/* every device and what the inventory
				 * knows of it (main lcore only) */
#define DP_REPORT_EVIDENCE 0x2u	/* and its identity evidence: fields of
				 * wire minor 2, for a cordond that speaks
				 * it (HelloAck.proto_version) */
#define DP_REPORT_FIRMWARE 0x4u	/* firmware and obsolete TLS: fields of
				 * wire minor 4 */

/*
 * Fill r from the live counters. extra (n_extra entries) is appended to the
 * dataplane-wide counters. Returns 0 or -ENOMEM; dp_report_free() after.
 */
int dp_report_build(const struct dp *dp, uint64_t seq,
		    const struct dp_report_extra *extra, size_t n_extra,
		    unsigned int flags, struct dp_report *r);
void dp_report_free(struct dp_report *r);

/* Human-readable counters, as printed when the dataplane exits. */
void dp_report_print(FILE *f, const struct dp_report *r);

#endif /* CORDON_DP_REPORT_H */
