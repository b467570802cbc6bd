/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Brute force: many connections from one source to one service (host,
 * port). Login services (ssh, telnet on 23 and Mirai's 2323, ftp, rdp,
 * vnc, pop/imap, databases, smb, winbox) count every connection the
 * service accepts: 10 within 60 s. That is between Suricata's ET SCAN
 * Potential SSH Scan (5 SYNs to 22 within 120 s) and fail2ban's default
 * (5 failures in 10 minutes, counted on the server), and catches hydra's
 * 16 parallel tasks within their first round. A login service also
 * counts its short, small sessions (closed within 30 s, <= 16 KiB back):
 * 6 within 10 s. hydra's ssh tasks try a few passwords a session and
 * then wait 32 s for a stuck one: 8 sessions of ~0.3 s in its first
 * second, then nothing for half a minute, under the 10 a minute. Six
 * failed logins in 10 s is still less eager than ET's SSH scan rule.
 * Any other service (HTTP
 * logins, ssh on another port) counts only short connections (closed
 * within 30 s) that brought back little (<= 16 KiB): 60 within 60 s, one
 * a second, which no polling client we know of sustains with a fresh
 * connection each time.
 */

#include <stdio.h>

#include "det_internal.h"

static bool
det_login_port(uint16_t p)
{
	switch (p) {
	case 21: case 22: case 23: case 110: case 139: case 143: case 445:
	case 1433: case 2222: case 2323: case 3306: case 3389: case 5432:
	case 5900: case 8291:
		return true;
	default:
		return false;
	}
}

static const char *
det_service_name(uint16_t p)
{
	switch (p) {
	case 21: return "ftp";
	case 22: case 2222: return "ssh";
	case 23: case 2323: return "telnet";
	case 80: case 8080: case 8000: case 8081: return "http";
	case 443: case 8443: return "https";
	case 110: return "pop3";
	case 143: return "imap";
	case 139: case 445: return "smb";
	case 1433: return "mssql";
	case 3306: return "mysql";
	case 3389: return "rdp";
	case 5432: return "postgresql";
	case 5900: return "vnc";
	case 8291: return "winbox";
	default: return "other";
	}
}

static struct det_service *
det_service_get(struct det_dev *dv, const struct det_ev *ev, uint64_t sh)
{
	struct det_service *old = &dv->svc[0];

	for (int i = 0; i < DET_SERVICES; i++) {
		struct det_service *s = &dv->svc[i];

		if (s->used && s->src_h == sh && s->dport == ev->dport &&
				s->proto == ev->proto &&
				memcmp(s->dst, ev->dst, 16) == 0)
			return s;
		if (!s->used || (old->used && s->last_us < old->last_us))
			old = s;
	}
	memset(old, 0, sizeof(*old));
	old->used = 1;
	old->src_h = sh;
	old->dport = ev->dport;
	old->proto = ev->proto;
	memcpy(old->dst, ev->dst, 16);
	return old;
}

void
det_brute_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	uint64_t win = e->c.brute_window_ms * DET_MS;
	struct det_service *s;
	struct det_evidence evd;
	char key[96], ab[48];
	const bool login = det_login_port(ev->dport);
	uint32_t thr = login ? e->c.brute_login : e->c.brute_other;
	const char *what = login ? "connections accepted by a login service" :
		"short connections to one service";
	bool sessions = false;	/* a login service's short sessions */
	uint32_t n = 0;

	if (ev->proto != 6 || !e->c.enabled[DET_BRUTEFORCE])
		return;
	if (ev->kind == DET_EV_CLOSED && (ev->dur_ms > e->c.brute_short_ms ||
			ev->bytes[1] > e->c.brute_small_bytes))
		return;
	/* a session begun before a release closing after it: no offence
	 * of the released device */
	if (ev->kind == DET_EV_CLOSED && dv->released_us != 0 &&
			ev->ts_us < dv->released_us +
			(uint64_t)ev->dur_ms * DET_MS)
		return;
	if (login && ev->kind == DET_EV_CLOSED) {
		if (e->c.brute_login_short == 0)
			return;
		sessions = true;
		win = (uint64_t)e->c.brute_login_short_ms * DET_MS;
		thr = e->c.brute_login_short;
		what = "short sessions of a login service";
	} else if (login ? ev->kind != DET_EV_ANSWERED :
			ev->kind != DET_EV_CLOSED) {
		return;
	}
	s = det_service_get(dv, ev, det_hash(ev->src, 16, 1));
	if (sessions) {
		n = det_rate_add(&s->fast, ev->ts_us, win, 1);
	} else {
		/* a new burst: the examples are its first connections */
		if (s->last_us == 0 || ev->ts_us > s->last_us + win)
			s->n_ex = 0;
		n = det_rate_add(&s->rate, ev->ts_us, win, 1);
		if (s->n_ex < DET_EXAMPLES) {
			s->ts[s->n_ex] = ev->ts_us;
			s->sport[s->n_ex++] = ev->sport;
		}
		s->last_us = ev->ts_us;
	}
	if (n < thr || !det_armed(e, dv, DET_BRUTEFORCE, ev->ts_us))
		return;
	snprintf(key, sizeof(key), "%s tcp/%u",
			det_addr_str(ev->dst, ab, sizeof(ab)), ev->dport);
	det_ev_init(&evd, what, key, n, thr, win / DET_MS);
	for (uint32_t i = 0; i < s->n_ex; i++)
		det_ev_add(&evd, s->ts[i], 6, ev->src, s->sport[i], ev->dst,
				ev->dport);
	det_ev_detail(&evd, "service=%s", det_service_name(ev->dport));
	if (!login || sessions)
		det_ev_detail(&evd, "short_ms=%u small_bytes=%u",
				e->c.brute_short_ms, e->c.brute_small_bytes);
	det_raise(e, dv, DET_BRUTEFORCE, ev->ts_us,
			s->n_ex > 0 ? s->ts[0] : ev->ts_us, &evd);
}
