/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Fast-path parser, see pkt_parse.h.
 *
 * The common case (untagged IPv4 TCP/UDP without options, not fragmented)
 * runs straight through with every unusual case behind unlikely(). All
 * header lengths are validated before anything behind them is read; the
 * L4 parse is bounded by the length the IP header claims (not the frame
 * length, which may include Ethernet padding).
 *
 * Evasion checks (cheap, and a bridge that enforces policy must not be
 * fooled by what the end host would reassemble differently):
 *  - IPv4 first fragment too short for the whole L4 header (RFC 1858
 *    tiny fragment) and TCP fragment at offset 8 (RFC 1858 overlap);
 *  - IPv6 first fragment without the whole header chain and L4 header
 *    (RFC 7112), nested fragment headers, routing header type 0 with
 *    segments left (RFC 5095), hop-by-hop not first (RFC 8200);
 *  - IPv4 source route options (LSRR/SSRR);
 *  - TCP flag combinations no stack sends (the conntrack table);
 *  - ND with hop limit != 255, non-zero code, bad options or in a
 *    fragment (RFC 4861 7.1, RFC 6980).
 */

#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>

#include "pkt_parse.h"

#define ETHER_HDR_LEN 14
#define ET_IPV4 0x0800
#define ET_IPV6 0x86dd
#define ET_ARP 0x0806
#define ET_VLAN 0x8100
#define ET_QINQ 0x88a8
#define ET_QINQ_OLD 0x9100

#define P_HOPOPTS 0
#define P_ICMP 1
#define P_TCP 6
#define P_UDP 17
#define P_ROUTING 43
#define P_FRAGMENT 44
#define P_AH 51
#define P_ICMPV6 58
#define P_DSTOPTS 60
#define P_MOBILITY 135
#define P_HIP 139
#define P_SHIM6 140

static const char *const pkt_rc_names[PKT_PARSE_RC_MAX] = {
	[PKT_PARSE_OK] = "ok",
	[PKT_PARSE_L2] = "l2",
#define PKT_X_NAME(n, s) [PKT_DROP_##n] = s,
	PKT_PARSE_REASONS(PKT_X_NAME)
#undef PKT_X_NAME
};

const char *
pkt_parse_rc_name(enum pkt_parse_rc rc)
{
	if ((unsigned int)rc >= PKT_PARSE_RC_MAX)
		return "invalid";
	return pkt_rc_names[rc];
}

static inline uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

/*
 * tiny: PKT_PARSE_OK when not a first fragment, else the drop reason for
 * a first fragment that does not hold the whole L4 header.
 */
static inline enum pkt_parse_rc
parse_tcp(const uint8_t *d, uint32_t off, uint32_t l4len,
	enum pkt_parse_rc tiny, struct pkt_meta *m)
{
	const uint8_t *th = d + off;
	uint32_t thl;

	if (unlikely(l4len < 20))
		return tiny != PKT_PARSE_OK ? tiny : PKT_DROP_TCP_TRUNC;
	thl = (uint32_t)(th[12] >> 4) * 4;
	if (unlikely(thl < 20))
		return PKT_DROP_TCP_BAD_HLEN;
	if (unlikely(thl > l4len))
		return tiny != PKT_PARSE_OK ? tiny : PKT_DROP_TCP_BAD_HLEN;
	if (unlikely(!pkt_tcp_flags_valid(th[13])))
		return PKT_DROP_TCP_BAD_FLAGS;
	m->sport = pkt_rd16(th);
	m->dport = pkt_rd16(th + 2);
	m->tcp_flags = th[13];
	m->payload_off = (uint16_t)(off + thl);
	m->flags |= PKT_F_L4;
	return PKT_PARSE_OK;
}

static inline enum pkt_parse_rc
parse_udp(const uint8_t *d, uint32_t off, uint32_t l4len,
	enum pkt_parse_rc tiny, struct pkt_meta *m)
{
	const uint8_t *uh = d + off;
	uint32_t ulen;

	if (unlikely(l4len < 8))
		return tiny != PKT_PARSE_OK ? tiny : PKT_DROP_UDP_TRUNC;
	ulen = pkt_rd16(uh + 4);
	/*
	 * A UDP length beyond the IP payload is malformed; shorter is legal
	 * (the rest is IP padding). In a first fragment the UDP length covers
	 * the whole datagram, so only the lower bound can be checked.
	 */
	if (unlikely(ulen < 8 || (ulen > l4len && tiny == PKT_PARSE_OK)))
		return PKT_DROP_UDP_BAD_LEN;
	m->sport = pkt_rd16(uh);
	m->dport = pkt_rd16(uh + 2);
	m->payload_off = (uint16_t)(off + 8);
	m->flags |= PKT_F_L4;
	return PKT_PARSE_OK;
}

/* An ICMP message cut short: the packet's truncation when that is why
 * (tiny), else a truncated ICMP message. */
static inline enum pkt_parse_rc
icmp_trunc(enum pkt_parse_rc tiny)
{
	return tiny != PKT_PARSE_OK ? tiny : PKT_DROP_ICMP_TRUNC;
}

/* The type and code of an ICMP or ICMPv6 message at ih (off), its payload
 * after the hlen bytes of header it has at least. */
static inline enum pkt_parse_rc
parse_icmp_head(const uint8_t *ih, uint32_t off, uint32_t l4len,
	uint32_t hlen, enum pkt_parse_rc tiny, struct pkt_meta *m)
{
	if (unlikely(l4len < hlen))
		return icmp_trunc(tiny);
	m->icmp_type = ih[0];
	m->icmp_code = ih[1];
	m->flags |= PKT_F_ICMP | PKT_F_L4;
	m->payload_off = (uint16_t)(off + hlen);
	return PKT_PARSE_OK;
}

static enum pkt_parse_rc
parse_icmp4(const uint8_t *d, uint32_t off, uint32_t l4len,
	enum pkt_parse_rc tiny, struct pkt_meta *m)
{
	const uint8_t *ih = d + off;
	/* Every ICMPv4 message starts with 8 bytes. */
	enum pkt_parse_rc rc = parse_icmp_head(ih, off, l4len, 8, tiny, m);

	if (unlikely(rc != PKT_PARSE_OK))
		return rc;
	switch (ih[0]) {
	case 0: case 8:		/* echo reply / request */
	case 13: case 14:	/* timestamp */
	case 15: case 16:	/* information */
	case 17: case 18:	/* address mask */
		/* The identifier pairs request and reply: use it as a port. */
		m->sport = m->dport = pkt_rd16(ih + 4);
		break;
	case 3: case 4: case 5: case 11: case 12:
		/* Errors embed the offending IP header: not followed here. */
		m->flags |= PKT_F_ICMP_ERR;
		m->inner_off = (uint16_t)(off + 8);
		break;
	default:
		break;
	}
	return PKT_PARSE_OK;
}

static enum pkt_parse_rc
parse_nd(const uint8_t *ih, uint32_t l4len, struct pkt_meta *m)
{
	uint32_t fixed, o;
	uint8_t type = ih[0];

	/* RFC 4861 7.1: hop limit 255 (on-link only), code 0; RFC 6980. */
	if (m->ttl != 255 || ih[1] != 0 || (m->flags & PKT_F_FRAG))
		return PKT_DROP_ND_BAD;
	switch (type) {
	case 133: fixed = 8; break;	/* RS */
	case 134: fixed = 16; break;	/* RA */
	default: fixed = 24; break;	/* NS, NA: + 16-byte target */
	}
	if (l4len < fixed)
		return PKT_DROP_ND_BAD;
	memset(&m->nd, 0, sizeof(m->nd));
	if (fixed == 24)
		memcpy(m->nd.target, ih + 8, 16);
	if (type == 136)
		m->nd.na_flags = ih[4] & 0xe0;
	for (o = fixed; o < l4len;) {
		uint32_t ol;
		uint8_t t;

		if (l4len - o < 2)
			return PKT_DROP_ND_BAD;
		t = ih[o];
		ol = (uint32_t)ih[o + 1] * 8;
		if (ol == 0 || ol > l4len - o)
			return PKT_DROP_ND_BAD;
		/* SLLA (1) in RS/RA/NS, TLLA (2) in NA; RFC 4861 4.6.1 */
		if (((t == 1 && type != 136) || (t == 2 && type == 136)) &&
				ol >= 8) {
			memcpy(m->nd.lladdr, ih + o + 2, 6);
			m->flags |= PKT_F_ND_LLADDR;
		}
		o += ol;
	}
	m->flags |= PKT_F_ND;
	return PKT_PARSE_OK;
}

static enum pkt_parse_rc
parse_icmp6(const uint8_t *d, uint32_t off, uint32_t l4len,
	enum pkt_parse_rc tiny, struct pkt_meta *m)
{
	const uint8_t *ih = d + off;
	enum pkt_parse_rc rc = parse_icmp_head(ih, off, l4len, 4, tiny, m);

	if (unlikely(rc != PKT_PARSE_OK))
		return rc;
	if (ih[0] < 128) {
		/* Errors: 4 more bytes (unused/MTU/pointer), then the packet. */
		if (unlikely(l4len < 8))
			return icmp_trunc(tiny);
		m->flags |= PKT_F_ICMP_ERR;
		m->inner_off = (uint16_t)(off + 8);
		m->payload_off = (uint16_t)(off + 8);
		return PKT_PARSE_OK;
	}
	switch (ih[0]) {
	case 128: case 129:	/* echo request / reply */
		if (unlikely(l4len < 8))
			return icmp_trunc(tiny);
		m->sport = m->dport = pkt_rd16(ih + 4);
		m->payload_off = (uint16_t)(off + 8);
		return PKT_PARSE_OK;
	case 133: case 134: case 135: case 136:
		return parse_nd(ih, l4len, m);
	default:
		return PKT_PARSE_OK;
	}
}

static inline enum pkt_parse_rc
parse_l4(const uint8_t *d, uint32_t off, uint32_t l4len,
	enum pkt_parse_rc tiny, struct pkt_meta *m)
{
	m->l4_off = (uint16_t)off;
	switch (m->l4_proto) {
	case P_TCP:
		return parse_tcp(d, off, l4len, tiny, m);
	case P_UDP:
		return parse_udp(d, off, l4len, tiny, m);
	case P_ICMP:
		if (m->flags & PKT_F_IPV4)
			return parse_icmp4(d, off, l4len, tiny, m);
		return PKT_PARSE_OK;
	case P_ICMPV6:
		if (m->flags & PKT_F_IPV6)
			return parse_icmp6(d, off, l4len, tiny, m);
		return PKT_PARSE_OK;
	default:
		/* ESP, GRE, SCTP, ...: no ports; policy matches on proto. */
		return PKT_PARSE_OK;
	}
}

static enum pkt_parse_rc
ipv4_options(const uint8_t *opt, uint32_t optlen)
{
	uint32_t o = 0;

	while (o < optlen) {
		uint32_t ol;
		uint8_t t = opt[o];

		if (t == 0)		/* end of option list */
			break;
		if (t == 1) {		/* no-op */
			o++;
			continue;
		}
		if (optlen - o < 2)
			return PKT_DROP_IPV4_BAD_OPTIONS;
		ol = opt[o + 1];
		if (ol < 2 || ol > optlen - o)
			return PKT_DROP_IPV4_BAD_OPTIONS;
		if (t == 131 || t == 137)	/* LSRR, SSRR */
			return PKT_DROP_IPV4_SRCROUTE;
		o += ol;
	}
	return PKT_PARSE_OK;
}

static inline enum pkt_parse_rc
parse_ipv4(const uint8_t *d, uint32_t len, uint32_t off, struct pkt_meta *m)
{
	const uint8_t *ip = d + off;
	uint32_t avail = len - off, hlen, tot;
	enum pkt_parse_rc tiny = PKT_PARSE_OK;
	uint16_t fo;

	if (unlikely(avail < 20))
		return PKT_DROP_IPV4_TRUNC;
	if (unlikely((ip[0] >> 4) != 4))
		return PKT_DROP_IPV4_BAD_VERSION;
	hlen = (uint32_t)(ip[0] & 0xf) * 4;
	tot = pkt_rd16(ip + 2);
	if (unlikely(hlen < 20))
		return PKT_DROP_IPV4_BAD_IHL;
	if (unlikely(hlen > avail))
		return PKT_DROP_IPV4_TRUNC;
	if (unlikely(tot < hlen))
		return PKT_DROP_IPV4_BAD_TOTLEN;
	if (unlikely(tot > avail))
		return PKT_DROP_IPV4_TRUNC;

	m->flags |= PKT_F_IPV4;
	m->l3_len = (uint16_t)tot;
	m->ttl = ip[8];
	m->l4_proto = ip[9];
	pkt_v4_mapped(m->src_addr, ip + 12);
	pkt_v4_mapped(m->dst_addr, ip + 16);

	if (unlikely(hlen > 20)) {
		enum pkt_parse_rc rc = ipv4_options(ip + 20, hlen - 20);

		if (rc != PKT_PARSE_OK)
			return rc;
		m->flags |= PKT_F_IP_OPTS;
	}

	fo = pkt_rd16(ip + 6);
	if (unlikely(fo & 0x3fff)) {	/* MF or offset */
		m->flags |= PKT_F_FRAG;
		m->ip_id = pkt_rd16(ip + 4);
		m->frag_off = (uint16_t)((fo & 0x1fff) * 8);
		if (fo & 0x1fff) {
			/* RFC 1858: offset 8 can rewrite the TCP flags. */
			if ((fo & 0x1fff) == 1 && m->l4_proto == P_TCP)
				return PKT_DROP_IPV4_FRAG_OVERLAP;
			m->flags |= PKT_F_FRAG_LATER;
			return PKT_PARSE_OK;
		}
		tiny = PKT_DROP_IPV4_FRAG_TINY;
	}
	return parse_l4(d, off + hlen, tot - hlen, tiny, m);
}

static inline int
ipv6_is_ext(uint8_t nh)
{
	switch (nh) {
	case P_HOPOPTS: case P_ROUTING: case P_FRAGMENT: case P_AH:
	case P_DSTOPTS: case P_MOBILITY: case P_HIP: case P_SHIM6:
		return 1;
	default:
		return 0;
	}
}

static enum pkt_parse_rc
ipv6_ext_walk(const uint8_t *ip, uint32_t *offp, uint32_t end, uint8_t *nhp,
	enum pkt_parse_rc *tiny, struct pkt_meta *m)
{
	uint32_t off = *offp, n, hl;
	uint8_t nh = *nhp;
	int frag_seen = 0;

	for (n = 0; ipv6_is_ext(nh); n++) {
		const uint8_t *h;

		if (n == PKT_IPV6_MAX_EXT)
			return PKT_DROP_IPV6_EXT_TOO_MANY;
		/* Every extension header is at least 8 bytes. */
		if (end - off < 8)
			return *tiny != PKT_PARSE_OK ? *tiny :
				PKT_DROP_IPV6_EXT_TRUNC;
		h = ip + off;
		switch (nh) {
		case P_HOPOPTS:
			if (n != 0)
				return PKT_DROP_IPV6_HBH_MISPLACED;
			hl = ((uint32_t)h[1] + 1) * 8;
			break;
		case P_ROUTING:
			/* RFC 5095: type 0 with segments left is deprecated. */
			if (h[2] == 0 && h[3] != 0)
				return PKT_DROP_IPV6_RH0;
			hl = ((uint32_t)h[1] + 1) * 8;
			break;
		case P_FRAGMENT: {
			uint16_t fo = pkt_rd16(h + 2);

			if (frag_seen)
				return PKT_DROP_IPV6_FRAG_BAD;
			frag_seen = 1;
			hl = 8;
			if ((fo & 0xfff9) == 0)
				break;	/* atomic fragment (RFC 6946) */
			m->flags |= PKT_F_FRAG;
			m->ip_id = rd32(h + 4);
			m->frag_off = (uint16_t)(fo & 0xfff8);
			if (fo & 0xfff8) {
				/* Non-first: the rest of the chain is elsewhere. */
				m->flags |= PKT_F_FRAG_LATER | PKT_F_IP_OPTS;
				m->l4_proto = h[0];
				return PKT_PARSE_L2; /* caller: OK, no L4 */
			}
			*tiny = PKT_DROP_IPV6_FRAG_TINY;
			break;
		}
		case P_AH:
			hl = ((uint32_t)h[1] + 2) * 4;
			break;
		default:	/* dest opts, mobility, HIP, shim6 */
			hl = ((uint32_t)h[1] + 1) * 8;
			break;
		}
		if (hl > end - off)
			return *tiny != PKT_PARSE_OK ? *tiny :
				PKT_DROP_IPV6_EXT_TRUNC;
		nh = h[0];
		off += hl;
	}
	if (n)
		m->flags |= PKT_F_IP_OPTS;
	*offp = off;
	*nhp = nh;
	return PKT_PARSE_OK;
}

static inline enum pkt_parse_rc
parse_ipv6(const uint8_t *d, uint32_t len, uint32_t off, struct pkt_meta *m)
{
	const uint8_t *ip = d + off;
	uint32_t avail = len - off, plen, hoff = 40;
	enum pkt_parse_rc tiny = PKT_PARSE_OK;
	uint8_t nh;

	if (unlikely(avail < 40))
		return PKT_DROP_IPV6_TRUNC;
	if (unlikely((ip[0] >> 4) != 6))
		return PKT_DROP_IPV6_BAD_VERSION;
	plen = pkt_rd16(ip + 4);
	/* 0 means a jumbogram (RFC 2675): never on an Ethernet bridge. */
	if (unlikely(plen == 0))
		return PKT_DROP_IPV6_BAD_PAYLEN;
	if (unlikely(plen > avail - 40))
		return PKT_DROP_IPV6_TRUNC;

	m->flags |= PKT_F_IPV6;
	m->l3_len = (uint16_t)(40 + plen);
	m->ttl = ip[7];
	memcpy(m->src_addr, ip + 8, 16);
	memcpy(m->dst_addr, ip + 24, 16);
	/*
	 * IPv4-mapped addresses never appear on the wire (RFC 4291 2.5.5.2,
	 * RFC 5156); accepting them would let IPv6 traffic pose as IPv4 to
	 * a policy that matches on addresses. A multicast source is invalid.
	 */
	if (unlikely(pkt_addr_is_v4(m->src_addr) ||
			pkt_addr_is_v4(m->dst_addr) || m->src_addr[0] == 0xff))
		return PKT_DROP_IPV6_BAD_ADDR;
	nh = ip[6];
	if (unlikely(ipv6_is_ext(nh))) {
		enum pkt_parse_rc rc = ipv6_ext_walk(ip, &hoff, 40 + plen, &nh,
			&tiny, m);

		if (rc == PKT_PARSE_L2)		/* non-first fragment */
			return PKT_PARSE_OK;
		if (rc != PKT_PARSE_OK)
			return rc;
	}
	m->l4_proto = nh;
	return parse_l4(d, off + hoff, 40 + plen - hoff, tiny, m);
}

static enum pkt_parse_rc
parse_arp(const uint8_t *d, uint32_t len, uint32_t off, struct pkt_meta *m)
{
	const uint8_t *a = d + off;

	if (len - off < 28)
		return PKT_DROP_ARP_TRUNC;
	/* Ethernet/IPv4 only: anything else cannot be used for learning. */
	if (pkt_rd16(a) != 1 || pkt_rd16(a + 2) != ET_IPV4 || a[4] != 6 || a[5] != 4)
		return PKT_DROP_ARP_BAD;
	m->arp.op = pkt_rd16(a + 6);
	memcpy(m->arp.sha, a + 8, 6);
	memcpy(m->arp.spa, a + 14, 4);
	memcpy(m->arp.tha, a + 18, 6);
	memcpy(m->arp.tpa, a + 24, 4);
	m->flags |= PKT_F_ARP;
	return PKT_PARSE_L2;
}

static inline int
is_vlan_tpid(uint16_t et)
{
	return et == ET_VLAN || et == ET_QINQ || et == ET_QINQ_OLD;
}

enum pkt_parse_rc
pkt_parse_full(const uint8_t *data, uint32_t len, struct pkt_meta *m)
{
	uint32_t off = ETHER_HDR_LEN;
	uint16_t et;

	memset(m, 0, offsetof(struct pkt_meta, ip_id));
	/* Offsets are 16 bits; no IP packet reaches past 64 KiB anyway. */
	if (unlikely(len > UINT16_MAX))
		len = UINT16_MAX;
	if (unlikely(len < ETHER_HDR_LEN))
		return PKT_DROP_L2_TRUNC;
	memcpy(m->dst_mac, data, 6);
	memcpy(m->src_mac, data + 6, 6);
	if (unlikely(data[0] & 1)) {
		static const uint8_t bcast[6] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

		m->flags |= PKT_F_L2_MCAST;
		if (memcmp(data, bcast, 6) == 0)
			m->flags |= PKT_F_L2_BCAST;
	}
	et = pkt_rd16(data + 12);
	/* Untagged IPv4, the common frame, skips the three tag compares. */
	if (unlikely(et != ET_IPV4 && is_vlan_tpid(et))) {
		unsigned int ntags = 0;

		do {
			if (ntags == PKT_MAX_VLAN)
				return PKT_DROP_VLAN_TOO_DEEP;
			if (len - off < 4)
				return PKT_DROP_VLAN_TRUNC;
			if (ntags == 0) {
				m->vlan_outer = pkt_rd16(data + off);
				m->flags |= PKT_F_VLAN;
			} else {
				m->vlan_inner = pkt_rd16(data + off);
				m->flags |= PKT_F_QINQ;
			}
			et = pkt_rd16(data + off + 2);
			off += 4;
			ntags++;
		} while (is_vlan_tpid(et));
	}
	m->ethertype = et;
	m->l3_off = (uint16_t)off;
	if (likely(et == ET_IPV4))
		return parse_ipv4(data, len, off, m);
	if (et == ET_IPV6)
		return parse_ipv6(data, len, off, m);
	if (et == ET_ARP)
		return parse_arp(data, len, off, m);
	return PKT_PARSE_L2;
}
