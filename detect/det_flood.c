/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Floods and reflection, per device (all its source addresses: a flood
 * with spoofed sources still comes from one MAC), over a 1 s sliding
 * window:
 *  - flood_syn: SYNs without ACK, 1000/s; or SYNs toward one host beyond
 *    the handshakes it completed (payload seen), 50 within 1 s; or one
 *    TCP flow at 20,000 pkt/s with nothing back. The second decides after
 *    a count of packets, not after a rate held for a second: a flood tool
 *    that a loaded host lets out slowly is caught after its first fifty
 *    SYNs all the same. A busy client's connections complete (a browser
 *    keeps ~6 per host, a download manager 16), a host that is down
 *    gets a few retransmissions a second;
 *  - flood_udp: new UDP flows, 1000/s (hping3 and Mirai change the source
 *    port per packet); or one UDP flow at 20,000 pkt/s with under 1 % of
 *    that back (a 4K camera stream is ~3,000 pkt/s; a QUIC transfer gets
 *    its ACKs back);
 *  - flood_icmp: ICMP requests, 1000/s (ping -f on a LAN does ~10,000/s);
 *  - amplification: answers from DNS, NTP, SSDP, memcached, chargen, qotd,
 *    SNMP, CLDAP, portmap, WS-Discovery, CoAP, ... on flows whose answers
 *    are >= 10 x their questions (bytes), 1 MB of such answers within
 *    10 s. Credited to the device that sent the answers (an open service
 *    on the device being used as a reflector) and to the device that sent
 *    the questions (with sources it does not own, that is reflection at a
 *    victim).
 * Rates per device are far above any IoT device's and above a busy
 * phone's (tens of new flows a second at page loads).
 */

#include <stdio.h>

#include "det_internal.h"

/* key: what was counted on (NULL: the protocol) */
static void
det_flood_raise_on(struct det_engine *e, struct det_dev *dv,
		enum det_detector d, const struct det_ev *ev, const char *key,
		uint64_t count, uint64_t thr, uint64_t win_ms,
		const char *what, uint64_t first)
{
	struct det_evidence evd;
	char pb[8];
	bool spoofed = false;

	if (!det_armed(e, dv, d, ev->ts_us))
		return;
	det_ev_init(&evd, what, key != NULL ? key :
			det_proto_name(ev->proto, pb, sizeof(pb)),
			count, thr, win_ms);
	for (uint32_t i = 0; i < dv->flood.n_ex; i++) {
		const struct det_example *x = &dv->flood.ex[i];

		det_ev_add(&evd, x->ts_us, x->proto, x->src, x->sport, x->dst,
				x->dport);
	}
	det_ev_add(&evd, ev->ts_us, ev->proto, ev->src, ev->sport, ev->dst,
			ev->dport);
	if (dv->n_addrs > 0) {
		spoofed = true;
		for (uint8_t i = 0; i < dv->n_addrs; i++)
			if (memcmp(dv->addrs[i], ev->src, 16) == 0)
				spoofed = false;
	}
	if (spoofed)
		det_ev_detail(&evd, "spoofed_source=yes");
	det_raise(e, dv, d, ev->ts_us, first, &evd);
}

static void
det_flood_raise(struct det_engine *e, struct det_dev *dv,
		enum det_detector d, const struct det_ev *ev, uint64_t count,
		uint64_t thr, uint64_t win_ms, const char *what,
		uint64_t first)
{
	det_flood_raise_on(e, dv, d, ev, NULL, count, thr, win_ms, what,
			first);
}

/* Keep the first few targets of a burst for the evidence. */
static void
det_flood_example(struct det_dev *dv, const struct det_ev *ev, bool restart)
{
	struct det_flood *f = &dv->flood;

	if (restart)
		f->n_ex = 0;
	if (f->n_ex >= sizeof(f->ex) / sizeof(f->ex[0]))
		return;
	det_example_of(&f->ex[f->n_ex++], ev);
}

static uint32_t
det_flood_count(struct det_rate *r, uint64_t *first, uint64_t now,
		uint64_t win, uint32_t n, bool *restart)
{
	uint32_t v;

	*restart = r->cur == 0 && r->prev == 0;
	v = det_rate_add(r, now, win, n);
	if (v <= n || *first == 0 || now > *first + 10 * win) {
		*first = now;
		*restart = true;
	}
	return v;
}

/* One flow's own rate, at its 2^k-th packet. */
static void
det_flood_flow(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	uint64_t pps;
	enum det_detector d;

	if (ev->dur_ms == 0 || ev->pkts[0] < 1024)
		return;
	pps = (uint64_t)ev->pkts[0] * 1000 / ev->dur_ms;
	if (pps < e->c.flood_udp_pps ||
			(uint64_t)ev->pkts[1] * 100 >= ev->pkts[0])
		return;
	d = ev->proto == 6 ? DET_FLOOD_SYN : ev->proto == 17 ? DET_FLOOD_UDP :
		(ev->proto == 1 || ev->proto == 58) ? DET_FLOOD_ICMP :
		DET_FLOOD_UDP;
	det_flood_raise(e, dv, d, ev, pps, e->c.flood_udp_pps, 1000,
			"packets per second on one flow with under 1% back",
			ev->ts_us - (uint64_t)ev->dur_ms * DET_MS);
}

bool
det_amp_port(uint16_t p)
{
	switch (p) {
	case 17: case 19: case 53: case 111: case 123: case 137: case 161:
	case 389: case 520: case 1900: case 3283: case 3702: case 5351:
	case 5683: case 10001: case 11211: case 37810:
		return true;
	default:
		return false;
	}
}

/* One more event of flood d in rate r: count it over a second, keep it as
 * an example, raise at thr. */
static void
det_flood_per_sec(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev, enum det_detector d,
		struct det_rate *r, uint64_t *first, uint32_t thr,
		const char *what)
{
	bool restart;
	uint32_t v;

	v = det_flood_count(r, first, ev->ts_us, DET_S, 1, &restart);
	det_flood_example(dv, ev, restart);
	if (v >= thr)
		det_flood_raise(e, dv, d, ev, v, thr, 1000, what, *first);
}

/* The target's half-open state; with make, a new one in place of the
 * idlest. NULL when none. */
static struct det_halfopen *
det_halfopen_get(struct det_flood *f, const uint8_t dst[16], bool make)
{
	const uint64_t h = det_hash(dst, 16, 21) | 1;
	struct det_halfopen *old = &f->ho[0];

	for (int i = 0; i < DET_HALFOPEN_DSTS; i++) {
		struct det_halfopen *x = &f->ho[i];

		if (x->h == h)
			return x;
		if (x->last_us < old->last_us)
			old = x;
	}
	if (!make)
		return NULL;
	memset(old, 0, sizeof(*old));
	old->h = h;
	return old;
}

/* A new connection's SYN toward ev->dst: raise when the window's SYNs
 * outnumber the handshakes that completed by the threshold. */
static void
det_halfopen_syn(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	const uint64_t win = (uint64_t)e->c.flood_halfopen_ms * DET_MS;
	struct det_halfopen *x;
	uint32_t s, d, open;
	char key[64], ab[48];

	if (e->c.flood_halfopen == 0 || win == 0)
		return;
	x = det_halfopen_get(&dv->flood, ev->dst, true);
	s = det_rate_add(&x->syn, ev->ts_us, win, 1);
	d = det_rate_add(&x->done, ev->ts_us, win, 0);
	open = s > d ? s - d : 0;
	if (open <= 1 || x->first_us == 0)
		x->first_us = ev->ts_us;	/* a new burst */
	x->last_us = ev->ts_us;
	if (open < e->c.flood_halfopen)
		return;
	snprintf(key, sizeof(key), "%s tcp",
			det_addr_str(ev->dst, ab, sizeof(ab)));
	det_flood_raise_on(e, dv, DET_FLOOD_SYN, ev, key, open,
		e->c.flood_halfopen, e->c.flood_halfopen_ms,
		"SYNs to one host beyond the handshakes it completed",
		x->first_us);
}

void
det_flood_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	struct det_flood *f = &dv->flood;
	bool restart;
	uint32_t v;

	switch (ev->kind) {
	case DET_EV_FLOW_NEW:
		if (ev->proto == 6 && !(ev->flags & DET_EVF_MIDSTREAM)) {
			det_halfopen_syn(e, dv, ev);
			det_flood_per_sec(e, dv, ev, DET_FLOOD_SYN, &f->syn,
				&f->syn_first, e->c.flood_syn_pps,
				"SYNs per second");
		} else if (ev->proto == 17 && !det_addr_is_group(ev->dst))
			det_flood_per_sec(e, dv, ev, DET_FLOOD_UDP, &f->udp_new,
				&f->udp_first, e->c.flood_udp_fps,
				"new UDP flows per second");
		return;
	case DET_EV_DATA: {
		struct det_halfopen *x;

		/* a handshake that completed: payload on it */
		if (ev->proto == 6 && (x = det_halfopen_get(f, ev->dst,
				false)) != NULL)
			det_rate_add(&x->done, ev->ts_us,
				(uint64_t)e->c.flood_halfopen_ms * DET_MS, 1);
		return;
	}
	case DET_EV_SYN:
		/* a retransmission (a host that is down) or a fixed-tuple
		 * flood: the per-second count and the flow's own rate */
		det_flood_per_sec(e, dv, ev, DET_FLOOD_SYN, &f->syn,
			&f->syn_first, e->c.flood_syn_pps, "SYNs per second");
		return;
	case DET_EV_ICMP_REQ:
		det_flood_per_sec(e, dv, ev, DET_FLOOD_ICMP, &f->icmp,
			&f->icmp_first, e->c.flood_icmp_pps,
			"ICMP requests per second");
		return;
	case DET_EV_RATE:
		det_flood_flow(e, dv, ev);
		return;
	case DET_EV_AMP_REPLY: {
		uint16_t svc = (ev->flags & DET_EVF_INBOUND) ? ev->sport :
			ev->dport;

		/* The asker: when it wrote a LAN source (answers to an
		 * internet victim never come back through here; a gateway
		 * forwards the internet's spoofed questions). The answerer:
		 * not a router's MAC (an internet server's answers carry
		 * it). */
		if ((ev->flags & DET_EVF_INBOUND) ? !det_own_src(dv, ev->src) :
				!det_addr_is_local(ev->src))
			return;
		if (ev->proto != 17 || !det_amp_port(svc) || ev->bytes[0] == 0 ||
				(uint64_t)ev->bytes[1] <
				(uint64_t)e->c.amp_ratio * ev->bytes[0])
			return;
		v = det_flood_count(&f->amp, &f->amp_first, ev->ts_us,
				e->c.amp_window_ms * DET_MS, ev->len, &restart);
		det_flood_example(dv, ev, restart);
		if (v >= e->c.amp_bytes) {
			struct det_ev x = *ev;

			det_flood_raise(e, dv, DET_AMPLIFICATION, &x, v,
				e->c.amp_bytes, e->c.amp_window_ms,
				(ev->flags & DET_EVF_INBOUND) ?
				"bytes of answers sent, >= ratio x the questions" :
				"bytes of answers drawn, >= ratio x the questions",
				f->amp_first);
		}
		return;
	}
	default:
		return;
	}
}
