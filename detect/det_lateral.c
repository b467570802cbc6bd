/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Lateral movement: new flows from the device to other local devices that
 * the policy denied. A device that knows its cell tries its peers once in
 * a while (discovery, a cast target it may not reach); one that spreads
 * tries many, or keeps trying: 8 distinct (host, port) targets within
 * 5 minutes, or 30 attempts within 60 s.
 */

#include <stdio.h>

#include "det_internal.h"

void
det_lateral_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	struct det_lateral *l = &dv->lat;
	const uint64_t win = e->c.lateral_window_ms * DET_MS;
	struct det_attempt *slot = NULL, *old = NULL;
	struct det_evidence evd;
	uint32_t distinct = 0, n, thr;
	uint64_t first = UINT64_MAX;
	bool found = false;

	if (!e->c.enabled[DET_LATERAL] || det_addr_is_group(ev->dst) ||
			(ev->flags & DET_EVF_L2_MCAST))
		return;
	/* device to device: a local address, or a MAC we know as a device */
	if (!det_addr_is_local(ev->dst) &&
			det_dev_find(e, ev->peer_mac, ev->vlan) == NULL)
		return;
	for (int i = 0; i < DET_DENIED; i++) {
		struct det_attempt *a = &l->d[i];

		if (a->status != ATT_FREE && a->dport == ev->dport &&
				a->proto == ev->proto &&
				memcmp(a->dst, ev->dst, 16) == 0) {
			found = true;
			break;
		}
		if (a->status == ATT_FREE || a->ts_us + win < ev->ts_us)
			slot = slot ? slot : a;
		if (old == NULL || a->ts_us < old->ts_us)
			old = a;
	}
	if (!found) {
		if (slot == NULL)
			slot = old;
		memset(slot, 0, sizeof(*slot));
		slot->ts_us = ev->ts_us;
		memcpy(slot->dst, ev->dst, 16);
		slot->sport = ev->sport;
		slot->dport = ev->dport;
		slot->proto = ev->proto;
		slot->status = ATT_FAILED;
	}
	n = det_rate_add(&l->attempts, ev->ts_us,
			e->c.lateral_attempts_ms * DET_MS, 1);
	if (n == 1)
		l->attempts_first = ev->ts_us;
	for (int i = 0; i < DET_DENIED; i++)
		if (l->d[i].status != ATT_FREE &&
				l->d[i].ts_us + win >= ev->ts_us)
			distinct++;
	if (distinct < e->c.lateral_targets && n < e->c.lateral_attempts)
		return;
	if (!det_armed(e, dv, DET_LATERAL, ev->ts_us))
		return;
	if (distinct >= e->c.lateral_targets) {
		thr = e->c.lateral_targets;
		det_ev_init(&evd, "distinct local targets denied by policy",
				"local", distinct, thr, e->c.lateral_window_ms);
	} else {
		thr = e->c.lateral_attempts;
		det_ev_init(&evd, "attempts to local devices denied by policy",
				"local", n, thr, e->c.lateral_attempts_ms);
	}
	for (int i = 0; i < DET_DENIED; i++) {
		const struct det_attempt *a = &l->d[i];

		if (a->status == ATT_FREE || a->ts_us + win < ev->ts_us)
			continue;
		if (a->ts_us < first)
			first = a->ts_us;
		det_ev_add(&evd, a->ts_us, a->proto, ev->src, a->sport, a->dst,
				a->dport);
	}
	det_ev_detail(&evd, "targets=%u attempts=%u", distinct, n);
	det_raise(e, dv, DET_LATERAL, ev->ts_us, first, &evd);
}
