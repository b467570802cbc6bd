/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Link, network and transport decoding. Every length field is checked
 * against the bytes actually present; a truncated packet keeps whatever
 * fully-present layers it has (payload is clamped), a contradictory one
 * (header longer than the packet) is rejected with -EINVAL.
 */

#include <errno.h>

#include "fp_internal.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define ETH_P_QINQ1 0x9100

#define MAX_VLAN_TAGS 4
#define MAX_V6_EXT 8
#define MAX_TUNNEL_DEPTH 3

/*
 * Tunnels (GRE incl. ERSPAN II/III, VXLAN, Geneve, IP-in-IP) are opened so
 * that the inner packet is what gets fingerprinted; when the inner packet
 * does not decode, the outer one is kept.
 */
static int decap(struct fp_pkt *pk, const uint8_t *p, size_t len, bool eth)
{
	struct fp_pkt in;
	int rc;

	if (pk->depth >= MAX_TUNNEL_DEPTH)
		return 0;
	memset(&in, 0, sizeof(in));
	in.ts_us = pk->ts_us;
	in.depth = pk->depth + 1;
	if (!eth) {
		in.has_mac = pk->has_mac;
		memcpy(in.src_mac, pk->src_mac, 6);
		memcpy(in.dst_mac, pk->dst_mac, 6);
		in.vlan = pk->vlan;
	}
	rc = eth ? fp_decode_eth(p, len, &in) : fp_decode_ip(p, len, &in);
	if (rc == 0)
		*pk = in;
	return 0;
}

static int decode_gre(struct fp_pkt *pk, const uint8_t *g, size_t len)
{
	uint16_t flags, proto;
	size_t off = 4;

	if (len < 4)
		return 0;
	flags = fp_rd16(g);
	proto = fp_rd16(g + 2);
	if (flags & 0x0007)
		return 0;		/* version 1 (PPTP) */
	if (flags & 0x8000)
		off += 4;		/* checksum */
	if (flags & 0x2000)
		off += 4;		/* key */
	if (flags & 0x1000)
		off += 4;		/* sequence */
	if (off > len)
		return 0;
	switch (proto) {
	case 0x0800:
	case 0x86dd:
		return decap(pk, g + off, len - off, false);
	case 0x6558:
		return decap(pk, g + off, len - off, true);
	case 0x88be:		/* ERSPAN type II */
		if (off + 8 > len)
			return 0;
		return decap(pk, g + off + 8, len - off - 8, true);
	case 0x22eb:		/* ERSPAN type III, optional subheader */
		if (off + 12 > len)
			return 0;
		off += (g[off + 11] & 0x01) ? 20 : 12;
		if (off > len)
			return 0;
		return decap(pk, g + off, len - off, true);
	default:
		return 0;
	}
}

static int decode_l4(struct fp_pkt *pk, const uint8_t *l4, size_t len)
{
	pk->l4 = l4;
	pk->l4_len = len;
	if (pk->frag)
		return 0;
	if (pk->proto == 6) {
		uint32_t doff;

		if (len < 20)
			return -EINVAL;
		doff = (uint32_t)(l4[12] >> 4) * 4;
		if (doff < 20 || doff > len)
			return -EINVAL;
		pk->sport = fp_rd16(l4);
		pk->dport = fp_rd16(l4 + 2);
		pk->seq = fp_rd32(l4 + 4);
		pk->ack = fp_rd32(l4 + 8);
		pk->tcp_flags = l4[13];
		pk->tcp = l4;
		pk->tcp_hdr_len = doff;
		pk->pay = l4 + doff;
		pk->pay_len = len - doff;
	} else if (pk->proto == 17) {
		uint16_t ulen;

		if (len < 8)
			return -EINVAL;
		pk->sport = fp_rd16(l4);
		pk->dport = fp_rd16(l4 + 2);
		ulen = fp_rd16(l4 + 4);
		pk->pay = l4 + 8;
		pk->pay_len = len - 8;
		/* Trust the UDP length when it is sane and shorter (padding). */
		if (ulen >= 8 && (size_t)ulen - 8 < pk->pay_len)
			pk->pay_len = (size_t)ulen - 8;
		if ((pk->dport == 4789 || pk->dport == 8472) &&
				pk->pay_len > 8 && (pk->pay[0] & 0x08))
			return decap(pk, pk->pay + 8, pk->pay_len - 8, true);
		if (pk->dport == 6081 && pk->pay_len >= 8 &&
				(pk->pay[0] >> 6) == 0) {
			size_t gl = 8 + (size_t)(pk->pay[0] & 0x3f) * 4;
			uint16_t gp = fp_rd16(pk->pay + 2);

			if (gl < pk->pay_len && gp == 0x6558)
				return decap(pk, pk->pay + gl,
						pk->pay_len - gl, true);
			if (gl < pk->pay_len && (gp == 0x0800 || gp == 0x86dd))
				return decap(pk, pk->pay + gl,
						pk->pay_len - gl, false);
		}
	} else if (pk->proto == 47) {
		return decode_gre(pk, l4, len);
	} else if (pk->proto == 4 || pk->proto == 41) {
		return decap(pk, l4, len, false);
	}
	return 0;
}

static int decode_v4(const uint8_t *ip, size_t len, struct fp_pkt *pk)
{
	uint32_t ihl;
	uint16_t tot, fo;

	if (len < 20)
		return -EINVAL;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = fp_rd16(ip + 2);
	if (ihl < 20 || ihl > len || tot < ihl)
		return -EINVAL;
	if (tot < len)
		len = tot;	/* Ethernet padding */
	pk->ipver = 4;
	pk->ip = ip;
	pk->ip_len = len;
	pk->ip_hdr_len = ihl;
	pk->ttl = ip[8];
	pk->proto = ip[9];
	pk->src.family = 4;
	memcpy(pk->src.a, ip + 12, 4);
	pk->dst.family = 4;
	memcpy(pk->dst.a, ip + 16, 4);
	fo = fp_rd16(ip + 6);
	if (fo & 0x3fff)
		pk->frag = true;
	return decode_l4(pk, ip + ihl, len - ihl);
}

static int decode_v6(const uint8_t *ip, size_t len, struct fp_pkt *pk)
{
	size_t off = 40, plen;
	uint8_t nh;
	int i;

	if (len < 40)
		return -EINVAL;
	plen = fp_rd16(ip + 4);
	if (40 + plen < len)
		len = 40 + plen;
	pk->ipver = 6;
	pk->ip = ip;
	pk->ip_len = len;
	pk->ip_hdr_len = 40;
	pk->ttl = ip[7];
	pk->src.family = 6;
	memcpy(pk->src.a, ip + 8, 16);
	pk->dst.family = 6;
	memcpy(pk->dst.a, ip + 24, 16);
	nh = ip[6];
	for (i = 0; i < MAX_V6_EXT; i++) {
		if (nh == 0 || nh == 43 || nh == 60) {
			if (off + 8 > len)
				return -EINVAL;
			nh = ip[off];
			off += ((size_t)ip[off + 1] + 1) * 8;
		} else if (nh == 51) {
			if (off + 8 > len)
				return -EINVAL;
			nh = ip[off];
			off += ((size_t)ip[off + 1] + 2) * 4;
		} else if (nh == 44) {
			if (off + 8 > len)
				return -EINVAL;
			/* Any fragment: offset or M flag set means no L4. */
			if (fp_rd16(ip + off + 2) & 0xfff9)
				pk->frag = true;
			nh = ip[off];
			off += 8;
		} else {
			break;
		}
		if (off > len)
			return -EINVAL;
	}
	pk->proto = nh;
	return decode_l4(pk, ip + off, len - off);
}

int fp_decode_ip(const uint8_t *ip, size_t len, struct fp_pkt *pk)
{
	if (len < 1)
		return -EINVAL;
	switch (ip[0] >> 4) {
	case 4:
		return decode_v4(ip, len, pk);
	case 6:
		return decode_v6(ip, len, pk);
	default:
		return -EPROTONOSUPPORT;
	}
}

int fp_decode_eth(const uint8_t *frame, size_t len, struct fp_pkt *pk)
{
	size_t off = 12;
	uint16_t et;
	int tags = 0;

	if (len < 14)
		return -EINVAL;
	memcpy(pk->dst_mac, frame, 6);
	memcpy(pk->src_mac, frame + 6, 6);
	pk->has_mac = true;
	et = fp_rd16(frame + off);
	off += 2;
	while (et == ETH_P_8021Q || et == ETH_P_8021AD || et == ETH_P_QINQ1) {
		if (++tags > MAX_VLAN_TAGS || off + 4 > len)
			return -EINVAL;
		pk->vlan = fp_rd16(frame + off) & 0x0fff;
		et = fp_rd16(frame + off + 2);
		off += 4;
	}
	pk->ethertype = et;
	if (et == FP_ETH_P_LLDP) {
		pk->l2_pay = frame + off;
		pk->l2_pay_len = len - off;
		return 0;
	}
	if (et != ETH_P_IP && et != ETH_P_IPV6)
		return -EPROTONOSUPPORT;
	return fp_decode_ip(frame + off, len - off, pk);
}
