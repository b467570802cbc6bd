/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * DNS: bursts of NXDOMAIN, generated-looking names, forged answers, and
 * the addresses each device looked up (for the scan and envelope
 * detectors).
 *
 * NXDOMAIN counts distinct registrable domains (det_registrable), not
 * names: a DNSBL client looking up reversed addresses under one zone, a
 * resolver walking its search list or a CDN's random probe names under
 * one domain are one domain each. 10 domains within 5 minutes. Local
 * zones (.local, .lan, .arpa, ...) and one-label names (Chrome's intranet
 * probes) do not count.
 *
 * DGA: registrable domains whose label looks generated (det_dga.h) and
 * that come back NXDOMAIN: 5 within 5 minutes. A DGA bot tries hundreds
 * and almost all fail; a benign device rarely meets even one such name.
 */

#include <stdio.h>

#include "det_dga.h"
#include "det_internal.h"

static struct det_name *
det_name_slot(struct det_name *set, uint64_t h, uint64_t now, uint64_t win,
		bool *found)
{
	struct det_name *old = &set[0];

	*found = false;
	for (int i = 0; i < DET_NAMES; i++) {
		struct det_name *n = &set[i];

		if (n->used && n->h == h) {
			*found = true;
			return n;
		}
		if (!n->used || n->ts_us + win < now)
			return n;
		if (n->ts_us < old->ts_us)
			old = n;
	}
	return old;
}

static uint32_t
det_name_count(const struct det_name *set, uint64_t now, uint64_t win,
		uint64_t *first)
{
	uint32_t n = 0;

	*first = now;
	for (int i = 0; i < DET_NAMES; i++)
		if (set[i].used && set[i].nx && set[i].ts_us + win >= now) {
			n++;
			if (set[i].ts_us < *first)
				*first = set[i].ts_us;
		}
	return n;
}

/* A new name in set (of d's) at ts: count the window's, keep the first
 * four for the evidence, raise d at its threshold thr. */
static void
det_dns_counted(struct det_engine *e, struct det_dev *dv, enum det_detector d,
		const struct det_name *set, char (*ex)[64], uint32_t thr,
		uint64_t ts, const char *reg)
{
	struct det_evidence evd;
	uint64_t first;
	uint32_t n;

	n = det_name_count(set, ts, e->c.dns_window_ms * DET_MS, &first);
	if (n <= 4)
		snprintf(ex[n - 1], 64, "%.63s", reg);
	if (n < thr || !det_armed(e, dv, d, ts))
		return;
	det_ev_init(&evd, d == DET_DNS_DGA ?
		"generated-looking registrable domains answered NXDOMAIN" :
		"registrable domains answered NXDOMAIN", "dns", n, thr,
		e->c.dns_window_ms);
	det_ev_detail(&evd, "names=%s,%s,%s,%s", ex[0], ex[1], ex[2], ex[3]);
	det_raise(e, dv, d, ts, first, &evd);
}

void
det_dns_on_answer(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		const char *qname, uint8_t rcode, const uint8_t (*addrs)[16],
		uint32_t n)
{
	const uint64_t win = e->c.dns_window_ms * DET_MS;
	char reg[256];
	size_t rl = qname ? det_registrable(qname, reg, sizeof(reg)) : 0;
	uint64_t h = rl ? det_hash(reg, rl, 7) : 0;
	struct det_name *s;
	bool found;

	if (rcode == 0 && h != 0) {
		/* remember where the device was sent, by name */
		for (uint32_t i = 0; i < n; i++) {
			uint64_t ah = det_hash(addrs[i], 16, 3);
			struct det_resolved *r = &dv->dns.res[0];

			for (int k = 0; k < DET_RESOLVED; k++) {
				if (dv->dns.res[k].addr_h == ah) {
					r = &dv->dns.res[k];
					break;
				}
				if (dv->dns.res[k].ts_us < r->ts_us)
					r = &dv->dns.res[k];
			}
			r->addr_h = ah;
			/* as the envelope keys names */
			r->name_h = det_env_str_key(reg) | 1u;
			r->ts_us = ts ? ts : 1;
		}
		if (det_learning(e, dv, ts))
			det_envelope_add(&dv->env, DET_ENV_NAME,
					det_env_str_key(reg));
		return;
	}
	if (rcode != 3 || h == 0)
		return;
	s = det_name_slot(dv->dns.nx, h, ts, win, &found);
	if (!found) {
		memset(s, 0, sizeof(*s));
		s->used = 1;
		s->h = h;
		s->nx = 1;
		s->ts_us = ts;
		det_dns_counted(e, dv, DET_DNS_NXDOMAIN, dv->dns.nx,
			dv->dns.nx_ex, e->c.nxdomain_domains, ts, reg);
	}
	{
		struct det_dga_score sc;
		const char *dot = strchr(reg, '.');

		det_dga_judge(reg, dot ? (size_t)(dot - reg) : rl, &sc);
		if (!sc.generated)
			return;
		s = det_name_slot(dv->dns.dga, h, ts, win, &found);
		if (found)
			return;
		memset(s, 0, sizeof(*s));
		s->used = 1;
		s->h = h;
		s->nx = 1;
		s->score = (uint16_t)sc.score;
		s->ts_us = ts;
		det_dns_counted(e, dv, DET_DNS_DGA, dv->dns.dga,
			dv->dns.dga_ex, e->c.dga_domains, ts, reg);
	}
}

void
det_dns_on_query(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		const char *qname, const uint8_t src[16], const uint8_t dst[16])
{
	char reg[256];
	size_t rl;

	if (qname == NULL || !*qname)
		return;
	det_ioc_name(e, dv, ts, qname, src, dst);
	rl = det_registrable(qname, reg, sizeof(reg));
	if (rl == 0)
		return;
	if (det_learning(e, dv, ts))
		det_envelope_add(&dv->env, DET_ENV_NAME, det_env_str_key(reg));
}

uint64_t
det_dns_resolved(const struct det_dev *dv, const uint8_t addr[16],
		uint64_t now_us)
{
	uint64_t ah = det_hash(addr, 16, 3);

	(void)now_us;
	for (int k = 0; k < DET_RESOLVED; k++)
		if (dv->dns.res[k].ts_us != 0 && dv->dns.res[k].addr_h == ah)
			return dv->dns.res[k].name_h;
	return 0;
}

void
det_dns_forged_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	static const char *const why[] = { "matched", "no query with this id "
		"from this port", "the question differs from "
		"the query's", "a second answer to one query", "late",
		"not DNS", "no history" };
	struct det_evidence evd;
	char key[64], ab[48];

	if (!det_armed(e, dv, DET_DNS_FORGED, ev->ts_us)) {
		if (e->c.enabled[DET_DNS_FORGED])
			e->st.suppressed[DET_DNS_FORGED]++;
		return;
	}
	snprintf(key, sizeof(key), "%s udp/53",
			det_addr_str(ev->dst, ab, sizeof(ab)));
	det_ev_init(&evd, "DNS answers matching no query the device sent",
			key, 1, e->c.dns_forged, 0);
	det_ev_add(&evd, ev->ts_us, 17, ev->src, ev->sport, ev->dst,
			ev->dport);
	det_ev_detail(&evd, "dns_id=%u why=\"%s\"", ev->dns_id,
			ev->dns_why < sizeof(why) / sizeof(why[0]) ?
			why[ev->dns_why] : "?");
	det_raise(e, dv, DET_DNS_FORGED, ev->ts_us, ev->ts_us, &evd);
}
