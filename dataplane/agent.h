/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The dataplane's link to cordond: a control thread (never an lcore) that
 * dials cordond, registers, and reports stats every interval. nng redials
 * by itself; every new connection triggers a fresh Hello, so a restarted
 * cordond learns the dataplane again at once. Workers never wait for it:
 * forwarding goes on whether cordond is there or not.
 *
 * A second thread long-polls cordond for policies on a socket of its own
 * (so a held poll never delays a report) and hands them to the main lcore.
 */

#ifndef CORDON_AGENT_H
#define CORDON_AGENT_H

#include <stdbool.h>
#include <stdint.h>

#include "dp.h"

struct agent;

/*
 * The counters every report carries, X(field, "its name in the report"),
 * once for the struct, agent_get_stats() and dp_send_report(). Every
 * report made ends in exactly one of: acknowledged, dropped_full,
 * dropped_invalid, or still pending (agent_stop()).
 */
#define AGENT_STATS_REPORTED(X) \
	X(connects, "ctl_connects")	/* connections made to cordond */ \
	X(disconnects, "ctl_disconnects") \
	X(hellos, "ctl_hellos")		/* registrations accepted */ \
	X(reports, "ctl_reports")	/* reports acknowledged */ \
	X(dropped, "ctl_reports_dropped") /* dropped_full + dropped_invalid */ \
	/* the queue was full: cordond away too long */ \
	X(dropped_full, "ctl_reports_dropped_full") \
	/* intervals without a report, the queue full (backpressure): \
	 * not made, so in none of the above; the next report carries \
	 * their counters */ \
	X(deferred, "ctl_reports_deferred") \
	/* refused as one cordond can never take */ \
	X(dropped_invalid, "ctl_reports_dropped_invalid") \
	/* refusals it may get over (its store failed): the report stays \
	 * queued and is sent again */ \
	X(refused, "ctl_reports_refused") \
	X(acked, "ctl_reports_acked")	/* acknowledged (stored) */ \
	X(failures, "ctl_failures")	/* requests failed or timed out */ \
	X(errors, "ctl_errors")		/* Error replies from cordond */ \
	X(policies, "ctl_policies_received") \
	X(alerts, "ctl_alerts")		/* alerts cordond acknowledged */ \
	/* not delivered: queue full, cordond too old or refusing them */ \
	X(alerts_dropped, "ctl_alerts_dropped")

struct agent_stats {
#define AGENT_STATS_FIELD(field, name) uint64_t field;
	AGENT_STATS_REPORTED(AGENT_STATS_FIELD)
#undef AGENT_STATS_FIELD
	uint64_t pending;	/* left unsent at stop (agent_stop() only) */
	uint64_t acked_seq;	/* the highest report cordond has stored */
	uint64_t asked;		/* flows sent to cordond for a prompt */
	uint64_t ask_lost;	/* flows that could not be sent */
	uint64_t grants;	/* flows cordond allowed once, to workers */
	uint64_t grants_refused;	/* bad tokens, or a worker's ring full */
	uint32_t peer_proto;	/* HelloAck.proto_version, 0: before minor 2 */
};

/*
 * Queue a packed StatsReport (ownership of buf passes) for delivery. The
 * agent keeps reports until cordond acknowledges them and sends them in
 * order. Ask agent_report_defer() first: a report submitted to a full
 * queue pushes the oldest out (counted: dropped_full).
 */
void agent_submit(struct agent *a, uint64_t seq, uint8_t *buf, size_t len);

/*
 * Backpressure: true when the report queue is full (cordond slow or
 * away), and the caller makes no report this interval, taking no sequence
 * number. A report is a snapshot of cumulative counters and of every
 * device, so the next one made carries all this one would have: what is
 * deferred is resolution, never a count. Counted (deferred), and logged
 * once per episode. The caller is the only one to submit, so a false
 * answer leaves room for its report.
 */
bool agent_report_defer(struct agent *a);

/*
 * Queue a packed Alert (ownership of buf passes; seq = Alert.seq) to go to
 * cordond at once, before any report, until acknowledged. A full queue
 * drops the oldest (counted).
 */
void agent_alert(struct agent *a, uint64_t seq, uint8_t *buf, size_t len);
/* The same for a packed DeviceEnvelope (a device learned). */
void agent_envelope(struct agent *a, uint8_t *buf, size_t len);

int agent_start(struct dp *dp, struct agent **out);

/* Deliver what is queued (best effort, bounded wait) and stop. The final
 * statistics go to *st when it is not NULL. */
void agent_stop(struct agent *a, struct agent_stats *st);

void agent_get_stats(const struct agent *a, struct agent_stats *st);

#endif /* CORDON_AGENT_H */
