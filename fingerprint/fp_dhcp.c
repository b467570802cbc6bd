/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * DHCPv4 (RFC 2131/2132, option overload RFC 2131 s4.1 / option 52) and
 * DHCPv6 (RFC 8415; MUD URL RFC 8520 option 112). Options are recorded in
 * wire order; pads are not options.
 */

#include <errno.h>

#include "fp_internal.h"

#define BOOTP_MIN 240
#define MAGIC 0x63825363u

static void v4_option(struct fp_dhcp *d, uint8_t code, const uint8_t *v,
		uint8_t l)
{
	if (d->n_options < 255)
		d->options[d->n_options++] = code;
	switch (code) {
	case 53:
		if (l >= 1)
			d->msg_type = v[0];
		break;
	case 55:
		for (uint8_t i = 0; i < l && d->n_params < 255; i++)
			d->params[d->n_params++] = v[i];
		break;
	case 60:
		fp_str_set(&d->vendor_class, v, l);
		break;
	case 12:
		fp_str_set(&d->hostname, v, l);
		break;
	case 61:
		fp_str_set(&d->client_id, v, l);
		break;
	case 57:
		if (l >= 2)
			d->max_msg_size = fp_rd16(v);
		break;
	case 50:
		if (l >= 4) {
			d->has_requested_addr = 1;
			memcpy(d->requested_addr, v, 4);
		}
		break;
	case 51:
		if (l >= 4)
			d->lease_time = fp_rd32(v);
		break;
	case 81:
		/* flags, rcode1, rcode2, then the name */
		if (l > 3)
			fp_str_set(&d->fqdn, v + 3, (size_t)l - 3);
		break;
	case 161:
		fp_str_set(&d->mud_url, v, l);
		break;
	case 3:
		for (uint8_t i = 0; i + 4 <= l && d->n_routers < 4; i += 4)
			memcpy(d->routers[d->n_routers++], v + i, 4);
		break;
	case 6:
		for (uint8_t i = 0; i + 4 <= l && d->n_dns < 4; i += 4)
			memcpy(d->dns[d->n_dns++], v + i, 4);
		break;
	default:
		break;
	}
}

/* Returns the option-overload value (option 52) seen in this area. */
static uint8_t v4_options(struct fp_dhcp *d, const uint8_t *p, size_t len)
{
	size_t off = 0;
	uint8_t overload = 0;

	while (off < len) {
		uint8_t code = p[off++], l;

		if (code == 0)
			continue;
		if (code == 255) {
			if (d->n_options < 255)
				d->options[d->n_options++] = 255;
			break;
		}
		if (off >= len)
			break;
		l = p[off++];
		if (off + l > len)
			break;
		if (code == 52 && l >= 1)
			overload = p[off];
		v4_option(d, code, p + off, l);
		off += l;
	}
	return overload;
}

void fp_dhcp_process(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	struct fp_obs *o;
	struct fp_dhcp *d;
	uint8_t ov;

	if (pk->pay_len < BOOTP_MIN || fp_rd32(p + 236) != MAGIC)
		return;
	if (p[0] != 1 && p[0] != 2)
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DHCP);
	d = &o->u.dhcp;
	d->op = p[0];
	d->xid = fp_rd32(p + 4);
	memcpy(d->ciaddr, p + 12, 4);
	memcpy(d->yiaddr, p + 16, 4);
	if (p[1] == 1 && p[2] == 6)
		memcpy(d->client_mac, p + 28, 6);
	ov = v4_options(d, p + 240, pk->pay_len - 240);
	if (ov == 1 || ov == 3)
		v4_options(d, p + 108, 128);	/* file */
	if (ov == 2 || ov == 3)
		v4_options(d, p + 44, 64);	/* sname */
	fp_obs_deliver(em, o);
}

static void v6_options(struct fp_dhcpv6 *d, const uint8_t *p, size_t len,
		int depth, bool record)
{
	size_t off = 0;

	while (off + 4 <= len) {
		uint16_t code = fp_rd16(p + off);
		size_t l = fp_rd16(p + off + 2);
		const uint8_t *v = p + off + 4;

		off += 4;
		if (off + l > len)
			break;
		if (record && d->n_options < FP_LIST_MAX)
			d->options[d->n_options++] = code;
		switch (code) {
		case 1:
			if (record)
				fp_str_set(&d->client_duid, v, l);
			break;
		case 6:	/* ORO */
			for (size_t i = 0; i + 2 <= l && d->n_oro < FP_LIST_MAX;
					i += 2)
				d->oro[d->n_oro++] = fp_rd16(v + i);
			break;
		case 16:	/* vendor class: enterprise, then len-prefixed */
			if (l >= 6) {
				size_t il = fp_rd16(v + 4);

				d->vendor_enterprise = fp_rd32(v);
				if (6 + il <= l)
					fp_str_set(&d->vendor_class, v + 6, il);
			}
			break;
		case 39:	/* FQDN: flags then DNS wire name */
			if (l >= 1) {
				char name[FP_STR_MAX];
				size_t k = 0, i = 1;

				while (i < l && v[i] && k + 1 < sizeof(name)) {
					size_t ll = v[i++];

					if (i + ll > l)
						break;
					if (k && k + 1 < sizeof(name))
						name[k++] = '.';
					for (size_t j = 0; j < ll &&
							k + 1 < sizeof(name); j++)
						name[k++] = (char)v[i + j];
					i += ll;
				}
				name[k] = '\0';
				fp_str_set(&d->fqdn, (const uint8_t *)name, k);
			}
			break;
		case 112:
			fp_str_set(&d->mud_url, v, l);
			break;
		/* containers: their options follow a fixed part, listed
		 * depth-first like a dissector shows them */
		case 3:		/* IA_NA */
		case 25:	/* IA_PD */
		case 4:		/* IA_TA */
		case 5:		/* IAADDR */
		case 26: {	/* IAPREFIX */
			size_t fixed = code == 4 ? 4 : code == 5 ? 24 :
				code == 26 ? 25 : 12;

			if (depth < 4 && l >= fixed)
				v6_options(d, v + fixed, l - fixed, depth + 1,
					record);
			break;
		}
		case 9:	/* relay message */
			if (depth < 4 && l >= 4 && v[0] != 12 && v[0] != 13) {
				d->msg_type = v[0];
				d->xid = fp_rd24(v + 1);
				v6_options(d, v + 4, l - 4, depth + 1, true);
			} else if (depth < 4 && l >= 34) {
				v6_options(d, v + 34, l - 34, depth + 1, true);
			}
			break;
		default:
			break;
		}
		off += l;
	}
}

void fp_dhcpv6_process(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	struct fp_obs *o;
	struct fp_dhcpv6 *d;

	if (pk->pay_len < 4 || p[0] == 0 || p[0] > 36)
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DHCPV6);
	d = &o->u.dhcpv6;
	d->msg_type = p[0];
	if (p[0] == 12 || p[0] == 13) {
		/* relay: hop count, link and peer address, then options */
		if (pk->pay_len >= 34)
			v6_options(d, p + 34, pk->pay_len - 34, 0, true);
	} else {
		d->xid = fp_rd24(p + 1);
		v6_options(d, p + 4, pk->pay_len - 4, 0, true);
	}
	fp_obs_deliver(em, o);
}
