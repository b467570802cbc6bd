/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Beacons: a device that opens a fresh connection to the same internet
 * destination at regular intervals, where that destination is new to it.
 *
 * Per destination (the registrable domain it was looked up by, else the
 * address; and the port) the starts of the last 24 connections; starts
 * within 1 s of the previous one are one beat (a client opening parallel
 * connections). The series is periodic when, over at least 10 beats, the
 * median absolute deviation of the intervals is within 20 % of their
 * median (RITA's beacon analysis scores the same dispersion; jitter of
 * +-30 % around the period, as C2 frameworks add, still passes) and the
 * period is between 1 s and 1 h.
 *
 * New: outside the device's completed envelope (prefix and name). While
 * the envelope is still being learned every destination is new, and a
 * device's own cloud heartbeat is exactly such a series; then only fast
 * beacons count (period <= 10 s, 20 beats): a heartbeat that fast keeps
 * its connection rather than paying a TLS handshake each time. Honest limit: a C2 channel that keeps
 * one connection open, or beacons slower than the device's envelope can
 * tell apart from its cloud, are not seen here. DNS and NTP (53, 123)
 * are periodic by design and not followed.
 */

#include <stdio.h>
#include <stdlib.h>

#include "det_internal.h"

static int
det_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void
det_beacon_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	struct det_beacon_dst *b = NULL, *old = NULL;
	uint64_t iv[DET_BEACON_STARTS], dev[DET_BEACON_STARTS];
	uint64_t key, name_h, med, mad, first;
	uint32_t n, min;
	bool learning;
	struct det_evidence evd;
	char kbuf[96], ab[48], pb[8];

	/* DNS and NTP are periodic by design */
	if (!e->c.enabled[DET_BEACON] || det_addr_is_group(ev->dst) ||
			det_addr_is_local(ev->dst) || !det_own_src(dv, ev->src) ||
			ev->dport == 53 ||
			ev->dport == 123 ||
			(ev->proto != 6 && ev->proto != 17) ||
			(ev->flags & DET_EVF_MIDSTREAM))
		return;
	name_h = det_dns_resolved(dv, ev->dst, ev->ts_us);
	{
		uint64_t k[3] = { name_h ? name_h : det_hash(ev->dst, 16, 5),
			ev->dport, ev->proto };

		key = det_hash(k, sizeof(k), 6);
	}
	for (int i = 0; i < DET_BEACON_DSTS; i++) {
		if (dv->beacon.d[i].key == key) {
			b = &dv->beacon.d[i];
			break;
		}
		if (old == NULL || dv->beacon.d[i].last_us < old->last_us)
			old = &dv->beacon.d[i];
	}
	if (b == NULL) {
		b = old;
		memset(b, 0, sizeof(*b));
		b->key = key;
		memcpy(b->dst, ev->dst, 16);
		b->dport = ev->dport;
		b->proto = ev->proto;
		b->named = name_h != 0;
		b->first_us = ev->ts_us;
	}
	if (b->n > 0 && ev->ts_us < b->last_us + DET_S) {
		b->last_us = ev->ts_us;
		return;			/* the same beat */
	}
	b->last_us = ev->ts_us;
	b->total++;
	b->start[b->head] = ev->ts_us;
	b->head = (uint8_t)((b->head + 1) % DET_BEACON_STARTS);
	if (b->n < DET_BEACON_STARTS)
		b->n++;
	learning = dv->env.state != DET_ENV_COMPLETE;
	min = learning ? e->c.beacon_learning_min : e->c.beacon_min;
	if (min > DET_BEACON_STARTS)
		min = DET_BEACON_STARTS;
	if (b->n < min || !det_armed(e, dv, DET_BEACON, ev->ts_us))
		return;
	/* new to the device? */
	if (!learning && (det_envelope_has(&dv->env, DET_ENV_DST,
			det_env_prefix_key(ev->dst)) || (name_h != 0 &&
			det_envelope_has(&dv->env, DET_ENV_NAME,
				(uint32_t)name_h))))
		return;
	/* the intervals, oldest start first */
	n = b->n;
	for (uint32_t i = 0; i < n; i++)
		dev[i] = b->start[(b->head + DET_BEACON_STARTS - n + i) %
			DET_BEACON_STARTS];
	first = dev[0];
	for (uint32_t i = 1; i < n; i++)
		iv[i - 1] = dev[i] - dev[i - 1];
	qsort(iv, n - 1, sizeof(iv[0]), det_cmp_u64);
	med = iv[(n - 1) / 2];
	for (uint32_t i = 0; i + 1 < n; i++)
		dev[i] = iv[i] > med ? iv[i] - med : med - iv[i];
	qsort(dev, n - 1, sizeof(dev[0]), det_cmp_u64);
	mad = dev[(n - 1) / 2];
	if (med < (uint64_t)e->c.beacon_min_period_ms * DET_MS ||
			med > (uint64_t)(learning ?
				e->c.beacon_learning_max_period_ms :
				e->c.beacon_max_period_ms) * DET_MS ||
			mad * 100 > med * e->c.beacon_jitter_pct)
		return;
	snprintf(kbuf, sizeof(kbuf), "%s %s/%u",
			det_addr_str(b->dst, ab, sizeof(ab)),
			det_proto_name(b->proto, pb, sizeof(pb)), b->dport);
	det_ev_init(&evd, "connection starts at a regular interval to a new "
			"destination", kbuf, n, min, 0);
	for (uint32_t i = 0; i < DET_EXAMPLES && i < n; i++)
		det_ev_add(&evd, b->start[(b->head + DET_BEACON_STARTS - n + i) %
				DET_BEACON_STARTS], b->proto, ev->src, 0,
				b->dst, b->dport);
	det_ev_detail(&evd, "period_ms=%llu mad_ms=%llu jitter_max_pct=%u "
			"by_name=%s envelope=%s",
			(unsigned long long)(med / DET_MS),
			(unsigned long long)(mad / DET_MS),
			e->c.beacon_jitter_pct, b->named ? "yes" : "no",
			learning ? "learning" : "complete");
	det_raise(e, dv, DET_BEACON, ev->ts_us, first, &evd);
}
