/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * What the packet path hands to detection (detect/det.h): the glue between
 * a worker's parsed packets and flow table, and the per-device engine.
 *
 * A worker calls dp_detect_ip() for each IP packet after flow_update(),
 * dp_detect_l2() for ARP, and dp_detect_flow_end() from the flow table's
 * event callback. They turn what the worker already has (pkt_meta, the
 * flow entry's state and counters) into struct det_ev events and pass
 * them to d->emit: in the dataplane a ring to the main lcore, where the
 * engine runs; in cordon-detect the engine itself. Same code, same events.
 *
 * Cost: an established flow's packet takes the inline test below and
 * nothing else: no TCP flags of interest, payload already seen, answered
 * already (or flowing from the initiator), not a flow watched packet by
 * packet (DNS, ICMP, amplifier ports), and its packet count not a power
 * of two from 1024 on. Everything else (a few packets per flow) goes out
 * of line.
 *
 * Per flow, the glue keeps five bits in flow_entry.user_flags (the worker
 * keeps the low three); the caller sets DP_DET_UF_NEW when it creates the
 * entry (dp_detect_flow_created()).
 */

#ifndef CORDON_DP_DETECT_H
#define CORDON_DP_DETECT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "det.h"
#include "det_dnsmatch.h"
#include "device.h"
#include "flow_table.h"
#include "pkt_parse.h"

#define DP_DET_UF_NEW      0x08	/* made by this packet: report it */
#define DP_DET_UF_ANSWERED 0x10	/* the responder's first packet seen */
#define DP_DET_UF_DATA     0x20	/* payload seen (UDP: from the start) */
#define DP_DET_UF_CLOSED   0x40	/* CLOSED reported */
#define DP_DET_UF_WATCH    0x80	/* every packet goes to the slow path */
#define DP_DET_UF_MASK     0xf8
/* flow_entry.user8, the glue's too: the responder's packets go to the slow
 * path (a UDP flow to an amplifier's port, whose every answer counts; the
 * asker's packets have nothing more to say). */
#define DP_DET_U8_WATCH_REPLY 0x01

typedef void (*dp_detect_emit_fn)(void *arg, const struct det_ev *ev);

/*
 * Optional, instead of emit: where to write the next event in place (the
 * dataplane's ring slot, so that an event is written once and never
 * copied), or NULL when there is no room (the function counts the loss);
 * once it said NULL it says so until the caller has flushed (never within
 * one call into the glue), so the glue may drop an event's copies too. An
 * event is complete when the next slot is asked for, or at the end of the
 * call into the glue.
 */
typedef struct det_ev *(*dp_detect_slot_fn)(void *arg);

struct dp_detect_stats {
	uint64_t slow;		/* packets that left the inline test */
	uint64_t events;	/* handed to emit */
	uint64_t dns_queries, dns_answers, dns_forged;
};

/* DNS answers the matcher judged since dp_detect_burst_begin(). */
#define DP_DET_ANSWERS 64

struct dp_detect_answer {
	const uint8_t *msg;	/* the answer's UDP payload */
	uint8_t rc;		/* enum det_dnsmatch_rc */
};

struct dp_detect {
	dp_detect_emit_fn emit;
	dp_detect_slot_fn slot;		/* NULL: emit */
	void *arg;
	const struct device_table *devices;	/* MACs of flow ends */
	struct det_dnsmatch *dns;	/* this worker's; NULL: no check */
	struct dp_detect_stats st;
	bool watching;		/* dns told traffic passes (first packet) */
	uint32_t n_answers;
	struct dp_detect_answer answers[DP_DET_ANSWERS];
	struct det_ev scratch;	/* an event for emit, or one with no room */
};

/*
 * Set up one worker's glue. devices maps flow_entry.dev[] to MACs (the
 * caller fills dev[] as the worker does); dns may be NULL.
 */
void dp_detect_init(struct dp_detect *d, const struct device_table *devices,
		struct det_dnsmatch *dns, dp_detect_emit_fn emit, void *arg);

/* Write events in place through slot (with arg) instead of emit. */
static inline void
dp_detect_set_slot(struct dp_detect *d, dp_detect_slot_fn slot, void *arg)
{
	d->slot = slot;
	d->arg = arg;
}

/* The out-of-line part of dp_detect_ip(). */
void dp_detect_ip_slow(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, struct flow_entry *e,
		unsigned int dir, bool denied, uint64_t now_us,
		uint32_t now_ms);

/* The caller made e for this packet (flow_insert): its next dp_detect_ip()
 * reports the new flow. */
static inline void
dp_detect_flow_created(struct flow_entry *e)
{
	e->user_flags |= DP_DET_UF_NEW;
}

/*
 * Whether a re-check of e under a new policy lets its initiator out of
 * quarantine, for detection: the old verdict held it (was_quar) and the
 * new one does not (is_quar); or, not held now, e is an unanswered flow
 * begun before the device's last containment (contained_us, uptime us; 0:
 * never): the first attempts of an offence, that a quarantine verdict
 * never reached because nothing came on them while it was in.
 */
static inline bool
dp_detect_flow_reused(const struct flow_entry *e, bool was_quar, bool is_quar,
		      uint64_t contained_us)
{
	if (is_quar)
		return false;
	if (was_quar)
		return true;
	return contained_us != 0 && flow_pkts(e, FLOW_DIR_REPLY) == 0 &&
		(int32_t)(flow_cold(e)->created -
			  (uint32_t)(contained_us / 1000)) < 0;
}

/*
 * The caller re-checked e under a new policy that let its initiator out
 * of quarantine (dp_detect_flow_reused), at a packet from side: that packet starts the flow anew
 * for detection when the initiator sent it (TCP: a SYN without ACK), as if
 * the table had no entry. Else a flood that reuses its tuples after a
 * release (hping3 and nmap count source ports up from a base near the
 * last run's, and the quarantined attempts live on: UDP unreplied and
 * SYN_SENT 30 s) hits live entries, and its packets are no new flows:
 * issue 13's hping3-udp went uncontained on its third run. A device's own
 * flows that resume after a release are not touched (no SYN, or the
 * responder's packet); one that resumes from the initiator counts once.
 */
static inline void
dp_detect_flow_released(struct flow_entry *e, const struct pkt_meta *pm,
			unsigned int side)
{
	if (side != e->init_side)
		return;
	if (e->key.proto == IPPROTO_TCP &&
	    (pm->tcp_flags & (FLOW_TCP_SYN | FLOW_TCP_ACK)) != FLOW_TCP_SYN)
		return;
	e->user_flags |= DP_DET_UF_NEW;
}

/*
 * Whether a count whose low half is lo may be a rate milestone (its
 * 2^k-th packet, k >= 10): lo is one, or 0, as after a wrap. Only then
 * is the whole count (the entry's cold line) worth reading.
 */
static inline bool
dp_detect_milestone_lo(uint32_t lo)
{
	return (lo & (lo - 1)) == 0 && (lo >= 1024 || lo == 0);
}

/*
 * An IP packet of flow e, counted already (flow_update), sent in direction
 * dir (flow_dir() of its side); denied: the policy's verdict for the flow.
 * now_us is the event time, now_ms the flow table's clock.
 *
 * The inline test, in one mask: a packet is skipped when its flow is not
 * new, not watched (from the responder: not watched on that side either),
 * has seen payload, and (from the responder) has been answered already; it
 * carries no SYN, FIN or RST; and its count is no rate milestone.
 */
static inline void
dp_detect_ip(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, struct flow_entry *e,
		unsigned int dir, bool denied, uint64_t now_us, uint32_t now_ms)
{
	const uint8_t need = (uint8_t)(DP_DET_UF_DATA |
				       (dir * DP_DET_UF_ANSWERED));
	const uint32_t n = e->pkts_lo[dir];	/* the low half */

	if (likely((e->user_flags & (DP_DET_UF_NEW | DP_DET_UF_WATCH |
				     need)) == need &&
		   !(e->user8 & dir) &&
		   !(pm->tcp_flags & (FLOW_TCP_SYN | FLOW_TCP_FIN |
				      FLOW_TCP_RST)) &&
		   !dp_detect_milestone_lo(n)))
		return;
	dp_detect_ip_slow(d, pm, frame, frame_len, e, dir, denied, now_us,
			  now_ms);
}

/*
 * A new burst: forget the answers judged in the last one. The DNS snooper
 * asks dp_detect_answer_rc() about the answers of the burst before it binds
 * them (after pass 3, which judged them).
 */
static inline void
dp_detect_burst_begin(struct dp_detect *d)
{
	d->n_answers = 0;
}

/* The matcher's verdict on the DNS answer whose UDP payload starts at msg,
 * judged in this burst; DET_DNS_RC_MAX when it was not judged. */
enum det_dnsmatch_rc dp_detect_answer_rc(const struct dp_detect *d,
		const uint8_t *msg);

/* A frame that is not IP (pkt_parse() said PKT_PARSE_L2): ARP. */
void dp_detect_l2(struct dp_detect *d, const struct pkt_meta *pm,
		uint64_t now_us);

/* From the flow table's event callback, with the entry intact. */
void dp_detect_flow_end(struct dp_detect *d, const struct flow_entry *e,
		enum flow_end_reason why, uint64_t now_us, uint32_t now_ms);

#endif /* CORDON_DP_DETECT_H */
