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
 * Per flow, the glue keeps four bits in flow_entry.user_flags (the
 * worker keeps the low nibble).
 */

#ifndef CORDON_DP_DETECT_H
#define CORDON_DP_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "det.h"
#include "det_dnsmatch.h"
#include "device.h"
#include "flow_table.h"
#include "pkt_parse.h"

#define DP_DET_UF_ANSWERED 0x10	/* the responder's first packet seen */
#define DP_DET_UF_DATA     0x20	/* payload seen (UDP: from the start) */
#define DP_DET_UF_CLOSED   0x40	/* CLOSED reported */
#define DP_DET_UF_WATCH    0x80	/* every packet goes to the slow path */
#define DP_DET_UF_MASK     0xf0

typedef void (*dp_detect_emit_fn)(void *arg, const struct det_ev *ev);

struct dp_detect_stats {
	uint64_t slow;		/* packets that left the inline test */
	uint64_t events;	/* handed to emit */
	uint64_t dns_queries, dns_answers, dns_forged;
};

struct dp_detect {
	dp_detect_emit_fn emit;
	void *arg;
	const struct device_table *devices;	/* MACs of flow ends */
	struct det_dnsmatch *dns;	/* this worker's; NULL: no check */
	struct dp_detect_stats st;
};

/*
 * Set up one worker's glue. devices maps flow_entry.dev[] to MACs (the
 * caller fills dev[] as the worker does); dns may be NULL.
 */
void dp_detect_init(struct dp_detect *d, const struct device_table *devices,
		struct det_dnsmatch *dns, dp_detect_emit_fn emit, void *arg);

/* The out-of-line part of dp_detect_ip(). */
void dp_detect_ip_slow(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, struct flow_entry *e,
		uint8_t side, bool created, bool denied, uint64_t now_us,
		uint32_t now_ms);

/*
 * An IP packet of flow e, counted already (flow_update). side as from
 * flow_key_from_meta(); created: this packet made the entry; denied: the
 * policy's verdict for the flow. now_us is the event time, now_ms the
 * flow table's clock.
 */
static inline void
dp_detect_ip(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, struct flow_entry *e,
		uint8_t side, bool created, bool denied, uint64_t now_us,
		uint32_t now_ms)
{
	const unsigned int dir = flow_dir(e, side);
	const uint8_t uf = e->user_flags;
	const uint64_t n = e->pkts[dir];

	if (likely(!created && (uf & (DP_DET_UF_DATA | DP_DET_UF_WATCH)) ==
			DP_DET_UF_DATA && !(pm->tcp_flags & (FLOW_TCP_SYN |
			FLOW_TCP_FIN | FLOW_TCP_RST)) &&
			(dir == FLOW_DIR_ORIG || (uf & DP_DET_UF_ANSWERED)) &&
			((n & (n - 1)) != 0 || n < 1024)))
		return;
	dp_detect_ip_slow(d, pm, frame, frame_len, e, side, created, denied,
			now_us, now_ms);
}

/* A frame that is not IP (pkt_parse() said PKT_PARSE_L2): ARP. */
void dp_detect_l2(struct dp_detect *d, const struct pkt_meta *pm,
		uint64_t now_us);

/* From the flow table's event callback, with the entry intact. */
void dp_detect_flow_end(struct dp_detect *d, const struct flow_entry *e,
		enum flow_end_reason why, uint64_t now_us, uint32_t now_ms);

#endif /* CORDON_DP_DETECT_H */
