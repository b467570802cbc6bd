/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Fingerprint observations into the engine, see det_fp.h.
 */

#include <stdio.h>
#include <string.h>

#include "det_fp.h"

static void
det_fp_addr16(const struct fp_addr *a, uint8_t out[16])
{
	memset(out, 0, 16);
	if (a->family == 4) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, a->a, 4);
	} else if (a->family == 6) {
		memcpy(out, a->a, 16);
	}
}

static void
det_fp_answer(struct det_engine *e, const struct fp_obs *o)
{
	uint8_t addrs[FP_DNS_MAX_RR][16];
	uint32_t n = 0;

	if (o->u.dns.n_q == 0)
		return;
	for (uint16_t i = 0; i < o->u.dns.n_rr && n < FP_DNS_MAX_RR; i++) {
		const struct fp_dns_rr *rr = &o->u.dns.rr[i];

		if (rr->section == 1 && rr->addr.family != 0)
			det_fp_addr16(&rr->addr, addrs[n++]);
	}
	det_dns_answer(e, o->dst_mac, o->vlan, o->ts_us, o->u.dns.q[0].name,
			o->u.dns.rcode, (const uint8_t (*)[16])addrs, n);
}

static void
det_fp_dhcp(struct det_engine *e, const struct fp_obs *o)
{
	const struct fp_dhcp *d = &o->u.dhcp;
	char buf[1024];
	size_t k = 0;

	if (d->op == 2 && d->msg_type == 5 && d->yiaddr[0]) {
		uint8_t a[16] = { 0 };

		a[10] = a[11] = 0xff;
		memcpy(a + 12, d->yiaddr, 4);
		det_own_addr(e, d->client_mac, o->vlan, a);
		return;
	}
	if (d->op != 1 || (d->msg_type != 1 && d->msg_type != 3) ||
			d->n_params == 0)
		return;
	k += (size_t)snprintf(buf + k, sizeof(buf) - k, "55=");
	for (uint16_t i = 0; i < d->n_params && k < 900; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%u",
				i ? "," : "", d->params[i]);
	snprintf(buf + k, sizeof(buf) - k, ";60=%.64s", d->vendor_class.s);
	det_facet(e, o->mac, o->vlan, o->ts_us, DET_FACET_DHCP, buf);
}

void
det_fp_obs(struct det_engine *e, const struct fp_identity *id,
		const struct fp_obs *o)
{
	uint8_t src[16], dst[16];
	char label[96];
	bool generic = false;

	if (!o->has_mac)
		return;
	switch (o->kind) {
	case FP_OBS_DNS_QUERY:
		det_fp_addr16(&o->src, src);
		det_fp_addr16(&o->dst, dst);
		if (o->u.dns.n_q > 0)
			det_dns_query(e, o->mac, o->vlan, o->ts_us,
					o->u.dns.q[0].name, src, dst);
		break;
	case FP_OBS_DNS_ANSWER:
		det_fp_answer(e, o);
		break;
	case FP_OBS_DHCP:
		det_fp_dhcp(e, o);
		break;
	case FP_OBS_TLS:
	case FP_OBS_QUIC:
		det_facet(e, o->mac, o->vlan, o->ts_us, DET_FACET_JA4,
				o->u.tls.ja4);
		det_facet(e, o->mac, o->vlan, o->ts_us, DET_FACET_JA3,
				o->u.tls.ja3);
		break;
	case FP_OBS_TCP_SYN:
		if (id == NULL || !fp_identity_p0f_label(id, o, label,
				sizeof(label), &generic))
			break;
		/* the genre: Linux, Windows, Mac, iOS, FreeBSD, ... */
		label[strcspn(label, " ")] = '\0';
		det_facet(e, o->mac, o->vlan, o->ts_us, DET_FACET_OS, label);
		break;
	default:
		break;
	}
}
