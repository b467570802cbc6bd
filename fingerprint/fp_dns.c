/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * DNS and mDNS messages (RFC 1035, RFC 6762/6763). Names are decoded by
 * util_dns_name() (compression pointers strictly backwards, at most
 * UTIL_DNS_MAX_HOPS of them, so pointer loops end); a name longer than the
 * output buffer is truncated, never overrun.
 */

#include <errno.h>
#include <stdio.h>

#include "fp_internal.h"
#include "util_dns.h"

/* Decode the name at *off into out (cut at cap - 1, bytes as they are);
 * on success *off is past the name in the message (not past pointer
 * targets). */
static int dns_name(const uint8_t *m, size_t len, size_t *off, char *out,
		size_t cap)
{
	int rc = util_dns_name(m, len, *off, out, cap, 0, off);

	return rc < 0 ? rc : 0;
}

/* A question's or record's name, type and class, cleared first; 0, or -1
 * when it is cut short of need bytes after the name. */
static int dns_rr_head(const uint8_t *m, size_t len, size_t *off,
		struct fp_dns_rr *rr, size_t need)
{
	memset(rr, 0, sizeof(*rr));
	if (dns_name(m, len, off, rr->name, sizeof(rr->name)) ||
			*off + need > len)
		return -1;
	rr->type = fp_rd16(m + *off);
	rr->klass = fp_rd16(m + *off + 2);
	return 0;
}

static void txt_join(struct fp_dns *d, struct fp_dns_rr *rr,
		const uint8_t *p, size_t l, bool mdns)
{
	size_t i = 0, k = 0;

	while (i < l) {
		size_t sl = p[i++];

		if (i + sl > l)
			break;
		if (k && k + 2 < sizeof(rr->data)) {
			rr->data[k++] = ';';
			rr->data[k++] = ' ';
		}
		for (size_t j = 0; j < sl && k + 1 < sizeof(rr->data); j++)
			rr->data[k++] = (char)p[i + j];
		if (mdns && sl > 0 && d->n_txt < 16)
			fp_cstr_set(d->txt[d->n_txt++], FP_STR_MAX, p + i, sl);
		i += sl;
	}
	rr->data[k] = '\0';
}

void fp_dns_process(const struct fp_pkt *pk, const uint8_t *m, size_t len,
		bool mdns, struct fp_emit *em)
{
	struct fp_obs *o;
	struct fp_dns *d;
	uint16_t qd, an, ns, ar;
	size_t off = 12;
	uint32_t total;

	if (len < 12)
		return;
	qd = fp_rd16(m + 4);
	an = fp_rd16(m + 6);
	ns = fp_rd16(m + 8);
	ar = fp_rd16(m + 10);
	o = fp_obs_begin(em, pk, mdns ? FP_OBS_MDNS :
			(m[2] & 0x80) ? FP_OBS_DNS_ANSWER : FP_OBS_DNS_QUERY);
	d = &o->u.dns;
	d->id = fp_rd16(m);
	d->flags = fp_rd16(m + 2);
	d->qr = m[2] >> 7;
	d->opcode = (m[2] >> 3) & 0x0f;
	d->rcode = m[3] & 0x0f;
	for (uint32_t i = 0; i < qd; i++) {
		struct fp_dns_rr tmp, *q = d->n_q < 8 ? &d->q[d->n_q] : &tmp;

		if (dns_rr_head(m, len, &off, q, 4))
			goto out;
		off += 4;
		if (q != &tmp)
			d->n_q++;
	}
	total = (uint32_t)an + ns + ar;
	for (uint32_t i = 0; i < total; i++) {
		struct fp_dns_rr tmp, *rr;
		size_t rdl, rd;

		rr = d->n_rr < FP_DNS_MAX_RR ? &d->rr[d->n_rr] : &tmp;
		if (dns_rr_head(m, len, &off, rr, 10))
			goto out;
		rr->ttl = fp_rd32(m + off + 4);
		rdl = fp_rd16(m + off + 8);
		off += 10;
		rr->section = i < an ? 1 : i < (uint32_t)an + ns ? 2 : 3;
		if (off + rdl > len)
			goto out;
		rd = off;
		switch (rr->type) {
		case 1:
			if (rdl == 4) {
				rr->addr.family = 4;
				memcpy(rr->addr.a, m + rd, 4);
			}
			break;
		case 28:
			if (rdl == 16) {
				rr->addr.family = 6;
				memcpy(rr->addr.a, m + rd, 16);
			}
			break;
		case 2:
		case 5:
		case 12:
			dns_name(m, rd + rdl, &rd, rr->data, sizeof(rr->data));
			break;
		case 33:	/* SRV: prio, weight, port, target */
			if (rdl > 6) {
				rd += 6;
				dns_name(m, off + rdl, &rd, rr->data,
						sizeof(rr->data));
			}
			break;
		case 16:
			txt_join(d, rr, m + rd, rdl, mdns);
			break;
		default:
			break;
		}
		off += rdl;
		if (rr != &tmp)
			d->n_rr++;
	}
out:
	fp_obs_deliver(em, o);
}
