/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: one Ethernet frame through the fast path's parser,
 * the inline pkt_parse() and the out-of-line pkt_parse_full(). libFuzzer
 * hands over an exactly-sized heap buffer, so ASan sees any over-read.
 *
 * Checks: both parsers give the same result and hot fields (the worker
 * uses either); the result is a known code; every offset and length the
 * parser reports lies within the frame and in header order.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkt_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_meta m, full;
	enum pkt_parse_rc rc, rc_full;
	uint32_t len = (uint32_t)size;

	if (size > UINT32_MAX)
		return 0;
	memset(&m, 0x5a, sizeof(m));
	memset(&full, 0xa5, sizeof(full));
	rc = pkt_parse(len ? data : NULL, len, &m);
	rc_full = pkt_parse_full(len ? data : NULL, len, &full);
	if (rc != rc_full || (unsigned int)rc >= PKT_PARSE_RC_MAX ||
	    strcmp(pkt_parse_rc_name(rc), "invalid") == 0)
		abort();
	if (memcmp(&m, &full, offsetof(struct pkt_meta, ip_id)) != 0)
		abort();
	if (rc == PKT_PARSE_L2 && (m.flags & (PKT_F_IPV4 | PKT_F_IPV6)))
		abort();
	if (rc != PKT_PARSE_OK)
		return 0;
	if (m.l3_len != full.l3_len || m.ttl != full.ttl)
		abort();

	/* An accepted IP packet: its parts are in the frame, in order. */
	if (!(m.flags & (PKT_F_IPV4 | PKT_F_IPV6)) ||
	    (m.flags & PKT_F_IPV4 && m.flags & PKT_F_IPV6))
		abort();
	if (m.l3_off < 14 || (uint32_t)m.l3_off + m.l3_len > len)
		abort();
	if (m.flags & PKT_F_IPV4 && !pkt_addr_is_v4(m.src_addr))
		abort();
	if (m.flags & PKT_F_L4) {
		uint32_t l3_end = (uint32_t)m.l3_off + m.l3_len;

		if (m.l4_off <= m.l3_off || m.payload_off < m.l4_off ||
		    m.payload_off > l3_end)
			abort();
		if (m.flags & PKT_F_FRAG_LATER)
			abort();
	}
	if (m.flags & PKT_F_ICMP_ERR &&
	    (!(m.flags & PKT_F_ICMP) || m.inner_off <= m.l3_off ||
	     m.inner_off > (uint32_t)m.l3_off + m.l3_len))
		abort();
	if (m.flags & PKT_F_QINQ && !(m.flags & PKT_F_VLAN))
		abort();
	return 0;
}
