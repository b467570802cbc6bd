/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Detection on the main lcore: the engine (detect/det.h), fed by the
 * workers' events and the inventory's fingerprint observations, and what
 * an alert leads to.
 *
 * Each worker runs the glue (dp_detect.h) in pass 3 and appends the events
 * of a loop to an SPSC ring of its own; a full ring drops events into a
 * named counter (detect_events_dropped), never waits. The main lcore owns
 * the engine: RSS spreads a device's flows over the workers, so per-device
 * state must live in one place to count a scan's targets as one. It drains
 * the rings every loop (at most a millisecond apart), in time order per
 * worker; an event older than one already fed (another worker's) is fed at
 * the later time (counted: reordered). det_tick() runs every 100 ms.
 *
 * An alert's action comes from the policy in force, per detector and the
 * device's segment: alert, quarantine or ask; without a policy, from the
 * detector's default severity. On quarantine the device is contained by
 * this dataplane at once (contain.h): in the same loop, before any packet
 * of the next one. Every alert is logged, kept for telemetry (the last
 * DETECTOR_RECENT) and handed to cordond at once.
 */

#ifndef CORDON_DETECTOR_H
#define CORDON_DETECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "det.h"
#include "det_dnsmatch.h"

struct dp;
struct fp_obs;
struct fp_identity;

#define DETECTOR_RECENT 64

/* What happens when a detector fires (Cordon__DetectAction's values). */
enum detector_action {
	DETECTOR_ALERT = 0,
	DETECTOR_QUARANTINE,
	DETECTOR_ASK,		/* alert, marked as needing an answer */
};

const char *detector_action_name(enum detector_action a);

/* One alert as the dataplane raised it. Times are uptime us. */
struct detector_alert {
	struct det_alert a;
	uint8_t action;		/* enum detector_action */
	uint8_t contained;	/* 1: this dataplane contained the device; 2:
				 * it was in quarantine already */
	uint32_t segment;	/* the device's segment id (0: no policy) */
	char why[64];		/* why not contained, when it should be */
};

/* Counters: the engine's, summed with the workers' glue. */
struct detector_stats {
	struct det_stats eng;
	uint64_t slow;			/* packets the glue looked at */
	uint64_t events;		/* events the workers made */
	uint64_t events_dropped;	/* their rings were full */
	uint64_t reordered;
	uint64_t dns_queries, dns_answers, dns_forged, dns_unvouched;
	/* The matchers' verdicts on answers (enum det_dnsmatch_rc), and how
	 * many of them can tell a forgery yet (det_dnsmatch_ready()). */
	uint64_t dns_rc[DET_DNS_RC_MAX];
	uint64_t dns_matchers_ready;
	uint64_t actions[3];		/* alerts by enum detector_action */
	uint64_t contained;		/* devices contained */
	uint64_t contain_failed;	/* quarantine wanted, not possible */
	uint64_t alerts_lost;		/* over DETECTOR_RECENT in one poll */
	uint64_t alerts_unsent;		/* not packed for cordond (memory) */
	uint64_t envelopes_sent;	/* learned ones handed to cordond */
	uint64_t envelopes_installed;	/* stored ones from cordond */
	uint64_t envelopes_refused;	/* stored ones that did not decode */
	uint64_t relearns;		/* envelopes learned again (devices) */
	uint64_t envelopes_mud;		/* MUD profiles installed as envelopes */
	uint64_t relearns_lost;		/* over DETECTOR_RELEARN_MAX queued */
};

/*
 * Main lcore, after the workers (and the inventory) exist: the engine, and
 * each worker's glue, matcher and ring. Returns 0 or a negative errno.
 */
int detector_init(struct dp *dp);
void detector_fini(struct dp *dp);

/*
 * Where each alert goes once acted on, and each envelope once learned:
 * main.c hands them to the agent, which sends them to cordond at once.
 * buf is the packed Alert (dp_alert.h, type MSG_ALERT, seq its number) or
 * DeviceEnvelope (MSG_ENVELOPE); ownership passes. Main lcore.
 */
typedef void (*detector_sink_fn)(void *arg, Cordon__MsgType type,
				 uint64_t seq, uint8_t *buf, size_t len);
void detector_set_sink(struct dp *dp, detector_sink_fn fn, void *arg);

/*
 * Agent thread: the envelopes cordond keeps (ownership of env passes);
 * the main lcore installs them at its next poll (a bad one is counted and
 * skipped).
 */
void detector_envelopes_offer(struct dp *dp, Cordon__Envelopes *env);

/*
 * The operator's re-learn (any thread): the device (every VLAN) starts
 * learning its envelope again at the main lcore's next tick, and the new
 * one goes to cordond when learned. 0, or -ENOSPC (counted) when too many
 * wait.
 */
int detector_relearn_offer(struct dp *dp, const uint8_t mac[6]);

/*
 * A policy was published (main lcore): each device with MUD rules (their
 * comment says "mud ...") is judged against its MUD profile instead of a
 * learned envelope (det_envelope_mud_allow()); a device whose MUD file
 * went learns again.
 */
void detector_policy(struct dp *dp, const Cordon__Policy *pol);

/* Main lcore: drain the rings, tick, act on the alerts. Returns how much
 * work it found (0: idle). */
unsigned int detector_poll(struct dp *dp);

/* Main lcore (the inventory): a fingerprint observation; an address the
 * device announced (ARP, ND; 4 or 16 bytes). */
void detector_obs(struct dp *dp, const struct fp_identity *id,
		  const struct fp_obs *o);
void detector_own_addr(struct dp *dp, const uint8_t mac[6], uint16_t vlan,
		       const uint8_t *addr, int len);

/* Main lcore (contain.c): the device was let out of quarantine. */
void detector_released(struct dp *dp, const uint8_t mac[6], uint16_t vlan);

/* Any thread: the counters; the last alerts, newest first (returns how
 * many); one alert by its sequence number (0, or -ENOENT). */
void detector_stats(const struct dp *dp, struct detector_stats *st);
uint32_t detector_recent(const struct dp *dp, struct detector_alert *out,
			 uint32_t max);
int detector_alert_get(const struct dp *dp, uint32_t seq,
		       struct detector_alert *out);

/* Named counters for reports: alerts and suppressions per detector and the
 * totals above. Fills up to max; returns how many. */
struct dp_report_extra;
size_t detector_report_extras(const struct dp *dp,
			      struct dp_report_extra *out, size_t max);

#endif /* CORDON_DETECTOR_H */
