/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * LLDP (IEEE 802.1AB), ethertype 0x88cc: what a device says of itself, and
 * the MUD URL it announces (RFC 8520 section 10: an organizationally
 * specific TLV, type 127, OUI 00:00:5E, subtype 1, the URL as its value).
 *
 * An LLDPDU is a sequence of TLVs, each a 16-bit header (7-bit type, 9-bit
 * length) and that many bytes, ending with type 0. The first three must be
 * Chassis ID, Port ID and TTL; anything else is refused as malformed. Every
 * length is checked against what is left of the frame.
 */

#include <errno.h>

#include "fp_internal.h"

#define LLDP_END 0
#define LLDP_CHASSIS 1
#define LLDP_PORT 2
#define LLDP_TTL 3
#define LLDP_SYSNAME 5
#define LLDP_SYSDESC 6
#define LLDP_CAPS 7
#define LLDP_ORG 127

static const uint8_t mud_oui[3] = { 0x00, 0x00, 0x5e };
#define LLDP_MUD_SUBTYPE 1

int fp_lldp_parse(const uint8_t *p, size_t len, struct fp_lldp *out)
{
	size_t off = 0;
	int n = 0;

	memset(out, 0, sizeof(*out));
	while (off + 2 <= len) {
		uint16_t h = fp_rd16(p + off);
		uint8_t type = (uint8_t)(h >> 9);
		size_t l = h & 0x1ff;
		const uint8_t *v = p + off + 2;

		if (off + 2 + l > len)
			return -EINVAL;
		off += 2 + l;
		/* The mandatory three, in order. */
		if ((n == 0 && type != LLDP_CHASSIS) ||
				(n == 1 && type != LLDP_PORT) ||
				(n == 2 && type != LLDP_TTL))
			return -EINVAL;
		n++;
		switch (type) {
		case LLDP_END:
			return l == 0 ? 0 : -EINVAL;
		case LLDP_CHASSIS:
		case LLDP_PORT:
			/* A subtype and at least one byte of id. */
			if (l < 2 || l > 256)
				return -EINVAL;
			if (type == LLDP_CHASSIS) {
				out->chassis_subtype = v[0];
				fp_str_set(&out->chassis_id, v + 1, l - 1);
			} else {
				out->port_subtype = v[0];
				fp_str_set(&out->port_id, v + 1, l - 1);
			}
			break;
		case LLDP_TTL:
			if (l < 2)
				return -EINVAL;
			out->ttl = fp_rd16(v);
			break;
		case LLDP_SYSNAME:
			fp_str_set(&out->system_name, v, l);
			break;
		case LLDP_SYSDESC:
			fp_str_set(&out->system_desc, v, l);
			break;
		case LLDP_CAPS:
			/* IEEE 802.1AB 8.5.8: supported, then enabled */
			if (l >= 4) {
				out->caps = fp_rd16(v);
				out->caps_enabled = fp_rd16(v + 2);
			}
			break;
		case LLDP_ORG:
			if (l < 4)
				return -EINVAL;
			if (!memcmp(v, mud_oui, 3) &&
					v[3] == LLDP_MUD_SUBTYPE && l > 4)
				fp_str_set(&out->mud_url, v + 4, l - 4);
			break;
		default:
			break;	/* port description, management address, ... */
		}
	}
	/* No End TLV: fine if the mandatory ones came and nothing is left
	 * over (some senders omit it; padding is zeros = an End TLV). */
	return n >= 3 && off == len ? 0 : -EINVAL;
}

void fp_lldp_process(const struct fp_pkt *pk, struct fp_emit *em)
{
	struct fp_obs *o = fp_obs_begin(em, pk, FP_OBS_LLDP);

	if (fp_lldp_parse(pk->l2_pay, pk->l2_pay_len, &o->u.lldp) < 0) {
		em->ctx_malformed = true;
		return;
	}
	fp_obs_deliver(em, o);
}
