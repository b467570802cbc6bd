/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Packing an alert for cordond, see dp_alert.h. Addresses travel as 4
 * bytes for IPv4 (the engine keeps them IPv4-mapped), the evidence's
 * "k=v k=v" details as EventDetails.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cordon.pb-c.h"
#include "det.h"
#include "detector.h"
#include "dp.h"
#include "dp_alert.h"

#define DP_ALERT_DETAILS 16

static const uint8_t dp_alert_v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static ProtobufCBinaryData
dp_alert_addr(const uint8_t a[16])
{
	ProtobufCBinaryData b;

	if (memcmp(a, dp_alert_v4mapped, 12) == 0) {
		b.data = (uint8_t *)(uintptr_t)(a + 12);
		b.len = 4;
	} else {
		b.data = (uint8_t *)(uintptr_t)a;
		b.len = 16;
	}
	return b;
}

static const char *
dp_alert_segment(const struct dp *dp, uint32_t id)
{
	for (uint32_t i = 0; id != 0 && i < dp->policy_ctl.n_segments; i++)
		if (dp->policy_ctl.segments[i].id == id)
			return dp->policy_ctl.segments[i].name;
	return "";
}

/* Split "k=v k=v" (a copy in buf) into details; returns how many. */
static size_t
dp_alert_details(char *buf, Cordon__EventDetail *d, Cordon__EventDetail **dp_,
		 size_t max)
{
	size_t n = 0;
	char *save = NULL;

	for (char *t = strtok_r(buf, " ", &save); t != NULL && n < max;
	     t = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(t, '=');

		cordon__event_detail__init(&d[n]);
		if (eq != NULL) {
			*eq = '\0';
			d[n].value = eq + 1;
		}
		d[n].key = t;
		dp_[n] = &d[n];
		n++;
	}
	return n;
}

int
dp_alert_pack(const struct dp *dp, const struct detector_alert *x,
	      uint64_t contained_us, uint8_t **buf, size_t *len)
{
	const struct det_alert *a = &x->a;
	const uint64_t t0 = dp_unix_us_at(dp, 0);
	Cordon__Alert m = CORDON__ALERT__INIT;
	Cordon__AlertEvidence ev = CORDON__ALERT_EVIDENCE__INIT;
	Cordon__AlertPacket pk[DET_EXAMPLES], *pkp[DET_EXAMPLES];
	Cordon__EventDetail det[DP_ALERT_DETAILS], *detp[DP_ALERT_DETAILS];
	ProtobufCBinaryData addrs[DET_DEV_ADDRS];
	char detail[sizeof(a->ev.detail)];
	char what[sizeof(a->ev.what)], key[sizeof(a->ev.key)];

	m.dataplane_id = (char *)(uintptr_t)dp->conf.id;
	m.boot = dp->boot_id;
	m.seq = a->seq;
	m.mac.data = (uint8_t *)(uintptr_t)a->mac;
	m.mac.len = 6;
	m.vlan = a->vlan;
	m.detector = (char *)(uintptr_t)det_detector_name(a->detector);
	m.severity = (char *)(uintptr_t)det_severity_name(a->severity);
	m.action = (char *)(uintptr_t)detector_action_name(
		(enum detector_action)x->action);
	m.contained = x->contained != 0;
	m.first_unix_us = t0 + a->first_us;
	m.detected_unix_us = t0 + a->ts_us;
	m.contained_unix_us = contained_us != 0 ? t0 + contained_us : 0;
	for (uint8_t i = 0; i < a->n_addrs && i < DET_DEV_ADDRS; i++)
		addrs[i] = dp_alert_addr(a->addrs[i]);
	m.n_addresses = a->n_addrs < DET_DEV_ADDRS ? a->n_addrs :
		DET_DEV_ADDRS;
	m.addresses = addrs;
	m.segment = (char *)(uintptr_t)dp_alert_segment(dp, x->segment);
	/* why starts " (not contained: ...)" */
	m.note = (char *)(uintptr_t)(x->why[0] == ' ' ? x->why + 1 : x->why);

	snprintf(what, sizeof(what), "%s", a->ev.what);
	snprintf(key, sizeof(key), "%s", a->ev.key);
	ev.what = what;
	ev.key = key;
	ev.count = a->ev.count;
	ev.threshold = a->ev.threshold;
	ev.window_ms = a->ev.window_ms;
	snprintf(detail, sizeof(detail), "%s", a->ev.detail);
	ev.n_details = dp_alert_details(detail, det, detp, DP_ALERT_DETAILS);
	ev.details = detp;
	for (uint32_t i = 0; i < a->ev.n_examples && i < DET_EXAMPLES; i++) {
		const struct det_example *e = &a->ev.ex[i];

		cordon__alert_packet__init(&pk[i]);
		pk[i].time_unix_us = t0 + e->ts_us;
		pk[i].ip_proto = e->proto;
		pk[i].src = dp_alert_addr(e->src);
		pk[i].dst = dp_alert_addr(e->dst);
		pk[i].sport = e->sport;
		pk[i].dport = e->dport;
		pkp[i] = &pk[i];
		ev.n_packets++;
	}
	ev.packets = pkp;
	m.evidence = &ev;

	*len = cordon__alert__get_packed_size(&m);
	*buf = malloc(*len ? *len : 1);
	if (*buf == NULL)
		return -ENOMEM;
	cordon__alert__pack(&m, *buf);
	return 0;
}
