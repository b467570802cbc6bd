/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Scans: horizontal (many hosts on one port) and vertical (many ports on
 * one host), ICMP sweeps, ARP sweeps and IPv6 neighbour sweeps.
 *
 * TCP/UDP scans count connection attempts by their outcome, as Zeek's
 * scan.zeek does: an attempt is failed when the target refused it (RST,
 * ICMP unreachable), when it was answered but closed without a byte of
 * data (a half-open SYN scan's RST, a connect scan), or when nothing came
 * back within the grace time (3 s: Linux retransmits an unanswered SYN
 * after 1 s and 3 s). Attempts that carried data are connections, not
 * probes. Thresholds are Zeek's: 25 hosts on one port, 15 ports on one
 * host, within 5 minutes, per source address of the device (a router's
 * MAC carries many sources). Targets the device had looked up in DNS do
 * not count for horizontal scans (Slips does the same): a browser reaches
 * many hosts on 443, by name.
 *
 * Sweeps count distinct targets of ICMP requests (echo, timestamp,
 * address mask), of ARP requests (not gratuitous, not probes) and of
 * neighbour solicitations (not DAD) within 30 s (Slips' ARP scan window):
 * 10 hosts for ICMP; 10 unanswered targets for ARP and ND (after 1 s), or
 * 32 targets within 5 s whatever the answers (a sweep of a /24 finishes
 * before its targets could be judged unanswered). Answered ARP requests
 * are what a gateway makes all day, so they count only in the fast case.
 */

#include <stdio.h>

#include "det_internal.h"

static uint64_t
det_src_h(const struct det_ev *ev)
{
	return det_hash(ev->src, 16, 1);
}

static struct det_attempt *
det_att_find(struct det_dev *dv, uint64_t src_h, const uint8_t dst[16],
		uint8_t proto, uint16_t dport)
{
	for (int i = 0; i < DET_ATTEMPTS; i++) {
		struct det_attempt *a = &dv->att[i];

		if (a->status != ATT_FREE && a->dport == dport &&
				a->proto == proto && a->src_h == src_h &&
				memcmp(a->dst, dst, 16) == 0)
			return a;
	}
	return NULL;
}

/* A slot for a new attempt: free or expired, else one that does not count
 * (a connection, then an answered attempt), else the oldest failure of
 * more than 10 s ago. Never a pending attempt nor a recent failure: a
 * fast scanner must not push its own evidence out before it is counted
 * (its attempts fail together, after the grace time). */
#define DET_ATT_KEEP_US (10 * DET_S)

static struct det_attempt *
det_att_slot(const struct det_engine *e, struct det_dev *dv, uint64_t now)
{
	static const uint8_t pref[] = { ATT_REAL, ATT_ANSWERED, ATT_FAILED };
	const uint64_t win = e->c.scan_window_ms * DET_MS;
	struct det_attempt *best = NULL;

	for (int i = 0; i < DET_ATTEMPTS; i++) {
		struct det_attempt *a = &dv->att[i];

		if (a->status == ATT_FREE || a->ts_us + win < now)
			return a;
	}
	for (size_t p = 0; p < sizeof(pref); p++) {
		for (int i = 0; i < DET_ATTEMPTS; i++) {
			struct det_attempt *a = &dv->att[i];

			if (a->status != pref[p] || (pref[p] == ATT_FAILED &&
					a->ts_us + DET_ATT_KEEP_US > now))
				continue;
			if (best == NULL || a->ts_us < best->ts_us)
				best = a;
		}
		if (best != NULL)
			return best;
	}
	return NULL;
}

static bool
det_att_counts(const struct det_engine *e, const struct det_attempt *a,
		uint64_t now)
{
	if (a->ts_us + e->c.scan_window_ms * DET_MS < now)
		return false;
	return a->status == ATT_FAILED || (a->status == ATT_PENDING &&
			now >= a->ts_us + e->c.scan_grace_ms * DET_MS);
}

/* a counts with like: same source and protocol, and the same host
 * (vertical) or port (horizontal). */
static bool
det_att_alike(const struct det_engine *e, const struct det_attempt *a,
		const struct det_attempt *like, int vertical, uint64_t now)
{
	if (a->src_h != like->src_h || a->proto != like->proto ||
			!det_att_counts(e, a, now))
		return false;
	return vertical ? memcmp(a->dst, like->dst, 16) == 0 :
		a->dport == like->dport;
}

/* Count the failed attempts like a (same source, and the same port for
 * horizontal or the same host for vertical); raise when over. */
static void
det_scan_check(struct det_engine *e, struct det_dev *dv,
		const struct det_attempt *like, uint64_t now)
{
	char key[96], ab[48], pb[8];
	struct det_evidence ev;

	for (int vertical = 0; vertical < 2; vertical++) {
		enum det_detector d = vertical ? DET_SCAN_VERTICAL :
			DET_SCAN_HORIZONTAL;
		uint32_t thr = vertical ? e->c.scan_vertical :
			e->c.scan_horizontal;
		uint32_t n = 0, pending = 0, resolved = 0;
		uint64_t first = UINT64_MAX;

		if (!det_armed(e, dv, d, now))
			continue;
		for (int i = 0; i < DET_ATTEMPTS; i++) {
			const struct det_attempt *a = &dv->att[i];

			if (!det_att_alike(e, a, like, vertical, now))
				continue;
			if (!vertical && a->resolved) {
				resolved++;
				continue;
			}
			n++;
		}
		if (n < thr)
			continue;
		if (vertical)
			snprintf(key, sizeof(key), "%s %s",
				det_addr_str(like->dst, ab, sizeof(ab)),
				det_proto_name(like->proto, pb, sizeof(pb)));
		else
			snprintf(key, sizeof(key), "%s/%u",
				det_proto_name(like->proto, pb, sizeof(pb)),
				like->dport);
		det_ev_init(&ev, vertical ?
			"distinct ports with failed attempts on one host" :
			"distinct hosts with failed attempts on one port",
			key, n, thr, e->c.scan_window_ms);
		for (int i = 0; i < DET_ATTEMPTS; i++) {
			const struct det_attempt *a = &dv->att[i];

			if (!det_att_alike(e, a, like, vertical, now) ||
					(!vertical && a->resolved))
				continue;
			if (a->status == ATT_PENDING)
				pending++;
			if (a->ts_us < first)
				first = a->ts_us;
		}
		/* the examples: the earliest attempts counted */
		for (int i = 0; i < DET_ATTEMPTS; i++) {
			const struct det_attempt *a = &dv->att[i];
			uint8_t src[16];

			if (!det_att_alike(e, a, like, vertical, now) ||
					(!vertical && a->resolved))
				continue;
			memset(src, 0, sizeof(src));
			for (uint8_t k = 0; k < dv->n_srcs; k++)
				if (det_hash(dv->srcs[k], 16, 1) == a->src_h)
					memcpy(src, dv->srcs[k], 16);
			det_ev_add(&ev, a->ts_us, a->proto, src, a->sport,
					a->dst, a->dport);
		}
		det_ev_detail(&ev, "failed=%u unanswered=%u", n - pending,
				pending);
		if (!vertical && resolved)
			det_ev_detail(&ev, "looked_up_not_counted=%u",
					resolved);
		det_raise(e, dv, d, now, first, &ev);
	}
}

static void
det_att_status(struct det_engine *e, struct det_dev *dv,
		struct det_attempt *a, uint8_t status, uint64_t now)
{
	if (a->status == ATT_REAL || a->status == status)
		return;
	/* a failure after an answer stays a failure; data always wins */
	if (a->status == ATT_FAILED && status == ATT_ANSWERED)
		return;
	a->status = status;
	if (status == ATT_FAILED)
		det_scan_check(e, dv, a, now);
}

void
det_scan_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	struct det_attempt *a;
	uint64_t sh;

	if (ev->proto != 6 && ev->proto != 17 && ev->proto != 132)
		return;
	if (!e->c.enabled[DET_SCAN_HORIZONTAL] &&
			!e->c.enabled[DET_SCAN_VERTICAL])
		return;
	sh = det_src_h(ev);
	a = det_att_find(dv, sh, ev->dst, ev->proto, ev->dport);
	switch (ev->kind) {
	case DET_EV_FLOW_NEW:
		if (a != NULL || det_addr_is_group(ev->dst) ||
				(ev->flags & DET_EVF_L2_MCAST) ||
				(ev->proto == 17 &&
				 (ev->flags & DET_EVF_MIDSTREAM)))
			return;
		a = det_att_slot(e, dv, ev->ts_us);
		if (a == NULL) {
			e->st.set_full++;
			return;
		}
		memset(a, 0, sizeof(*a));
		a->ts_us = ev->ts_us;
		a->src_h = sh;
		memcpy(a->dst, ev->dst, 16);
		a->sport = ev->sport;
		a->dport = ev->dport;
		a->proto = ev->proto;
		a->status = ATT_PENDING;
		a->resolved = det_dns_resolved(dv, ev->dst, ev->ts_us) != 0;
		dv->scan_pending = true;
		return;
	case DET_EV_ANSWERED:
		if (a != NULL)
			det_att_status(e, dv, a, ev->proto == 6 ? ATT_ANSWERED :
					ATT_REAL, ev->ts_us);
		return;
	case DET_EV_REJECTED:
	case DET_EV_ABORTED:
		if (a != NULL)
			det_att_status(e, dv, a, ATT_FAILED, ev->ts_us);
		return;
	case DET_EV_DATA:
		if (a != NULL)
			det_att_status(e, dv, a, ATT_REAL, ev->ts_us);
		return;
	case DET_EV_FLOW_END:
		if (a == NULL)
			return;
		if (ev->flags & DET_EVF_DATA)
			det_att_status(e, dv, a, ATT_REAL, ev->ts_us);
		else if (ev->proto == 17 && (ev->flags & DET_EVF_ANSWERED))
			det_att_status(e, dv, a, ATT_REAL, ev->ts_us);
		else
			det_att_status(e, dv, a, ATT_FAILED, ev->ts_us);
		return;
	default:
		return;
	}
}

/* ---- sweeps ---- */

static void det_sweep_check(struct det_engine *e, struct det_dev *dv,
		enum det_detector d, uint64_t now);

void
det_scan_tick(struct det_engine *e, struct det_dev *dv, uint64_t now)
{
	bool more = false;

	for (int i = 0; i < DET_ATTEMPTS; i++) {
		struct det_attempt *a = &dv->att[i];

		if (a->status != ATT_PENDING)
			continue;
		if (now >= a->ts_us + e->c.scan_grace_ms * DET_MS) {
			/* unanswered: a failure from now on */
			a->status = ATT_FAILED;
			det_scan_check(e, dv, a, now);
		} else {
			more = true;
		}
	}
	for (int i = 0; i < DET_TARGETS && !more; i++) {
		const struct det_target *t = &dv->arp.t[i], *u = &dv->nd.t[i];

		if ((t->ts_us && !t->answered && t->ts_us +
				e->c.sweep_window_ms * DET_MS > now) ||
				(u->ts_us && !u->answered && u->ts_us +
				 e->c.sweep_window_ms * DET_MS > now))
			more = true;
	}
	det_sweep_check(e, dv, DET_SCAN_ARP, now);
	det_sweep_check(e, dv, DET_SCAN_ND, now);
	dv->scan_pending = more;
}

static struct det_sweep *
det_sweep_of(struct det_dev *dv, enum det_detector d)
{
	return d == DET_SCAN_ICMP ? &dv->icmp : d == DET_SCAN_ARP ? &dv->arp :
		&dv->nd;
}

static void
det_sweep_check(struct det_engine *e, struct det_dev *dv,
		enum det_detector d, uint64_t now)
{
	const struct det_sweep *s = det_sweep_of(dv, d);
	const uint64_t win = e->c.sweep_window_ms * DET_MS;
	const uint64_t grace = e->c.sweep_l2_grace_ms * DET_MS;
	const uint64_t fast = e->c.sweep_l2_fast_ms * DET_MS;
	uint32_t all = 0, unans = 0, recent = 0, thr;
	struct det_evidence ev;
	uint64_t first = UINT64_MAX;
	bool fire;

	if (!det_armed(e, dv, d, now))
		return;
	for (int i = 0; i < DET_TARGETS; i++) {
		const struct det_target *t = &s->t[i];

		if (t->ts_us == 0 || t->ts_us + win < now)
			continue;
		all++;
		if (!t->answered && now >= t->ts_us + grace)
			unans++;
		if (t->ts_us + fast >= now)
			recent++;
	}
	if (d == DET_SCAN_ICMP) {
		thr = e->c.sweep_icmp;
		fire = all >= thr;
		det_ev_init(&ev, "distinct hosts sent ICMP requests", "icmp",
				all, thr, e->c.sweep_window_ms);
	} else if (unans >= e->c.sweep_l2) {
		thr = e->c.sweep_l2;
		fire = true;
		det_ev_init(&ev, d == DET_SCAN_ARP ?
			"distinct ARP targets unanswered" :
			"distinct neighbour solicitation targets unanswered",
			d == DET_SCAN_ARP ? "arp" : "nd", unans, thr,
			e->c.sweep_window_ms);
	} else {
		thr = e->c.sweep_l2_fast;
		fire = recent >= thr;
		det_ev_init(&ev, d == DET_SCAN_ARP ? "distinct ARP targets" :
			"distinct neighbour solicitation targets",
			d == DET_SCAN_ARP ? "arp" : "nd", recent, thr,
			e->c.sweep_l2_fast_ms);
	}
	if (!fire)
		return;
	for (int i = 0; i < DET_TARGETS; i++) {
		const struct det_target *t = &s->t[i];
		uint8_t src[16] = { 0 };

		if (t->ts_us == 0 || t->ts_us + win < now)
			continue;
		if (t->ts_us < first)
			first = t->ts_us;
		if (dv->n_addrs > 0)
			memcpy(src, dv->addrs[0], 16);
		else if (dv->n_srcs > 0)
			memcpy(src, dv->srcs[0], 16);
		det_ev_add(&ev, t->ts_us, d == DET_SCAN_ICMP ?
				(det_addr_is_v4(t->addr) ? 1 : 58) :
				d == DET_SCAN_ARP ? 0 : 58, src, 0, t->addr, 0);
	}
	det_ev_detail(&ev, "targets=%u unanswered=%u", all, unans);
	det_raise(e, dv, d, now, first, &ev);
}

static void
det_target_add(struct det_sweep *s, const uint8_t addr[16], uint64_t now)
{
	struct det_target *old = &s->t[0];

	for (int i = 0; i < DET_TARGETS; i++) {
		struct det_target *t = &s->t[i];

		if (t->ts_us != 0 && memcmp(t->addr, addr, 16) == 0)
			return;
		if (t->ts_us < old->ts_us)
			old = t;
	}
	memset(old, 0, sizeof(*old));
	old->ts_us = now ? now : 1;
	memcpy(old->addr, addr, 16);
}

static void
det_target_answered(struct det_sweep *s, const uint8_t addr[16])
{
	for (int i = 0; i < DET_TARGETS; i++)
		if (s->t[i].ts_us != 0 && memcmp(s->t[i].addr, addr, 16) == 0)
			s->t[i].answered = 1;
}

void
det_sweep_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	switch (ev->kind) {
	case DET_EV_ICMP_REQ:
		if (det_addr_is_group(ev->dst) || (ev->flags & DET_EVF_L2_MCAST))
			return;
		det_target_add(&dv->icmp, ev->dst, ev->ts_us);
		det_sweep_check(e, dv, DET_SCAN_ICMP, ev->ts_us);
		return;
	case DET_EV_ARP:
	case DET_EV_ND: {
		enum det_detector d = ev->kind == DET_EV_ARP ? DET_SCAN_ARP :
			DET_SCAN_ND;

		if (ev->flags & DET_EVF_REPLY) {
			/* The replier owns src (the address asked for); the
			 * requester (peer_mac) hears it. */
			struct det_dev *rq;

			det_own_addr(e, ev->mac, ev->vlan, ev->src);
			rq = det_dev_find(e, ev->peer_mac, ev->vlan);
			if (rq != NULL)
				det_target_answered(det_sweep_of(rq, d),
						ev->src);
			return;
		}
		/* Probes (DAD, ARP probe from 0.0.0.0) and announcements
		 * (gratuitous) are about the sender itself. */
		if (det_addr_is_zero(ev->src) ||
				memcmp(ev->src, ev->dst, 16) == 0)
			return;
		det_own_addr(e, ev->mac, ev->vlan, ev->src);
		det_target_add(det_sweep_of(dv, d), ev->dst, ev->ts_us);
		dv->scan_pending = true;
		det_sweep_check(e, dv, d, ev->ts_us);
		return;
	}
	default:
		return;
	}
}
