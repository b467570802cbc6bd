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

#include <stdint.h>

#include "dp.h"

struct agent;

struct agent_stats {
	uint64_t connects;	/* connections made to cordond */
	uint64_t disconnects;
	uint64_t hellos;	/* registrations accepted */
	uint64_t reports;	/* reports acknowledged */
	uint64_t failures;	/* requests that failed or timed out */
	uint64_t errors;	/* Error replies from cordond */
	uint64_t policies;	/* policies received from cordond */
	/* Every report made ends in exactly one of: acknowledged,
	 * dropped_full, dropped_invalid, or still pending (agent_stop()). */
	uint64_t acked;		/* reports cordond acknowledged (stored) */
	uint64_t dropped;	/* dropped_full + dropped_invalid */
	uint64_t dropped_full;	/* the queue was full: cordond away too long */
	uint64_t dropped_invalid; /* refused as one cordond can never take */
	uint64_t refused;	/* refusals it may get over (its store failed):
				 * the report stays queued and is sent again */
	uint64_t pending;	/* left unsent at stop (agent_stop() only) */
	uint64_t acked_seq;	/* the highest report cordond has stored */
	uint64_t asked;		/* flows sent to cordond for a prompt */
	uint64_t ask_lost;	/* flows that could not be sent */
	uint64_t grants;	/* flows cordond allowed once, to workers */
	uint64_t grants_refused;	/* bad tokens, or a worker's ring full */
	uint32_t peer_proto;	/* HelloAck.proto_version, 0: before minor 2 */
	uint64_t alerts;	/* alerts cordond acknowledged */
	uint64_t alerts_dropped;	/* not delivered: queue full, cordond
					 * too old or refusing them */
};

/*
 * Queue a packed StatsReport (ownership of buf passes) for delivery. The
 * agent keeps reports until cordond acknowledges them, sends them in
 * order, and, when cordond stays away, drops the oldest (counted).
 */
void agent_submit(struct agent *a, uint64_t seq, uint8_t *buf, size_t len);

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
