/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Packet parser of the fast path.
 *
 * pkt_parse() reads one contiguous frame (data, len) and fills a struct
 * pkt_meta. It needs no EAL and allocates nothing. Every read is bounds
 * checked against len; lengths claimed by headers (IPv4 total length,
 * IPv6 payload length, UDP length, TCP data offset, extension header
 * lengths) are checked against what is really present.
 *
 * Result (enum pkt_parse_rc):
 *   PKT_PARSE_OK  IPv4 or IPv6: L3 (and L4 when PKT_F_L4 is set) valid.
 *   PKT_PARSE_L2  not IP (ARP, LLDP, STP, ...): L2 fields valid, plus
 *                 the ARP fields when PKT_F_ARP is set.
 *   PKT_DROP_*    malformed or evasive: drop and count by name, see
 *                 PKT_PARSE_REASONS(). L2 fields are valid for drops
 *                 found after the Ethernet header.
 *
 * Checksums are not verified: the NIC verifies them (RTE_MBUF_F_RX_*_CKSUM
 * flags) for free, the end host verifies them again, and a software check
 * would cost more than the whole per-packet budget for large frames. A bad
 * checksum cannot make this parser or the flow table misbehave.
 *
 * Layout: the first 64 bytes of struct pkt_meta hold everything the worker
 * reads for every packet (flow key material, flags, offsets); the rest is
 * only valid when a flag says so (fragments, ICMP, ARP, ND).
 */

#ifndef CORDON_PKT_PARSE_H
#define CORDON_PKT_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/* VLAN tags accepted (802.1Q 0x8100, 802.1ad 0x88a8, legacy 0x9100). */
#define PKT_MAX_VLAN 2
/* IPv6 extension headers walked before giving up (RFC 8200 has 6 types). */
#define PKT_IPV6_MAX_EXT 8

/*
 * Drop reasons: X(NAME, "counter_name"). The enum value is PKT_DROP_NAME.
 * The lead turns this list into named counters.
 */
#define PKT_PARSE_REASONS(X) \
	X(L2_TRUNC,          "l2_truncated")          \
	X(VLAN_TRUNC,        "vlan_truncated")        \
	X(VLAN_TOO_DEEP,     "vlan_too_deep")         \
	X(ARP_TRUNC,         "arp_truncated")         \
	X(ARP_BAD,           "arp_malformed")         \
	X(IPV4_TRUNC,        "ipv4_truncated")        \
	X(IPV4_BAD_VERSION,  "ipv4_bad_version")      \
	X(IPV4_BAD_IHL,      "ipv4_bad_ihl")          \
	X(IPV4_BAD_TOTLEN,   "ipv4_bad_total_length") \
	X(IPV4_BAD_OPTIONS,  "ipv4_bad_options")      \
	X(IPV4_SRCROUTE,     "ipv4_source_route")     \
	X(IPV4_FRAG_TINY,    "ipv4_frag_tiny")        \
	X(IPV4_FRAG_OVERLAP, "ipv4_frag_overlap")     \
	X(IPV6_TRUNC,        "ipv6_truncated")        \
	X(IPV6_BAD_VERSION,  "ipv6_bad_version")      \
	X(IPV6_BAD_PAYLEN,   "ipv6_bad_payload_length") \
	X(IPV6_BAD_ADDR,     "ipv6_bad_address")      \
	X(IPV6_EXT_TRUNC,    "ipv6_ext_truncated")    \
	X(IPV6_EXT_TOO_MANY, "ipv6_ext_too_many")     \
	X(IPV6_HBH_MISPLACED, "ipv6_hbh_misplaced")   \
	X(IPV6_RH0,          "ipv6_routing_type0")    \
	X(IPV6_FRAG_BAD,     "ipv6_frag_bad")         \
	X(IPV6_FRAG_TINY,    "ipv6_frag_tiny")        \
	X(TCP_TRUNC,         "tcp_truncated")         \
	X(TCP_BAD_HLEN,      "tcp_bad_header_length") \
	X(TCP_BAD_FLAGS,     "tcp_bad_flags")         \
	X(UDP_TRUNC,         "udp_truncated")         \
	X(UDP_BAD_LEN,       "udp_bad_length")        \
	X(ICMP_TRUNC,        "icmp_truncated")        \
	X(ND_BAD,            "nd_malformed")

enum pkt_parse_rc {
	PKT_PARSE_OK = 0,
	PKT_PARSE_L2 = 1,
#define PKT_X_ENUM(n, s) PKT_DROP_##n,
	PKT_PARSE_REASONS(PKT_X_ENUM)
#undef PKT_X_ENUM
	PKT_PARSE_RC_MAX
};

#define PKT_DROP_FIRST PKT_DROP_L2_TRUNC
#define PKT_PARSE_NB_DROPS (PKT_PARSE_RC_MAX - PKT_DROP_FIRST)

/* pkt_meta.flags */
#define PKT_F_VLAN        0x0001 /* at least one tag (vlan_outer valid) */
#define PKT_F_QINQ        0x0002 /* two tags (vlan_inner valid) */
#define PKT_F_L2_MCAST    0x0004 /* destination MAC group bit (incl. bcast) */
#define PKT_F_L2_BCAST    0x0008 /* ff:ff:ff:ff:ff:ff */
#define PKT_F_IPV4        0x0010
#define PKT_F_IPV6        0x0020
#define PKT_F_L4          0x0040 /* L4 header parsed: ports/flags valid */
#define PKT_F_IP_OPTS     0x0080 /* IPv4 options / IPv6 extension headers */
#define PKT_F_FRAG        0x0100 /* a fragment: frag_off, ip_id valid */
#define PKT_F_FRAG_LATER  0x0200 /* non-first fragment: no L4 header */
#define PKT_F_ICMP        0x0400 /* ICMP/ICMPv6: icmp_type/code valid */
#define PKT_F_ICMP_ERR    0x0800 /* ICMP error: inner_off = embedded IP hdr */
#define PKT_F_ARP         0x1000 /* arp fields valid */
#define PKT_F_ND          0x2000 /* nd fields valid (RS/RA/NS/NA) */
#define PKT_F_ND_LLADDR   0x4000 /* nd.lladdr holds a link-layer option */

/* Address layout: IPv6 as is, IPv4 as ::ffff:a.b.c.d (RFC 4291 2.5.5.2). */
struct pkt_meta {
	/* --- hot: first cache line --- */
	uint8_t src_addr[16];	/* network order */
	uint8_t dst_addr[16];
	uint16_t sport;		/* host order; ICMP echo: identifier */
	uint16_t dport;		/* host order; ICMP echo: identifier */
	uint16_t flags;		/* PKT_F_* */
	uint16_t ethertype;	/* host order, after the VLAN tags */
	uint16_t vlan_outer;	/* host order TCI (PCP/DEI/VID) */
	uint16_t vlan_inner;
	uint16_t l3_off;	/* from the start of the frame */
	uint16_t l4_off;	/* 0 if no L4 header */
	uint16_t payload_off;	/* after the L4 header (0 if none) */
	uint8_t l4_proto;	/* IPPROTO_* after extension headers */
	uint8_t tcp_flags;	/* TCP flags byte (FIN 0x01 .. CWR 0x80) */
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	/* --- cold: valid when the flag says so --- */
	uint32_t ip_id;		/* PKT_F_FRAG: IPv4 id or IPv6 fragment id */
	uint16_t frag_off;	/* PKT_F_FRAG: offset in bytes */
	uint8_t icmp_type;	/* PKT_F_ICMP */
	uint8_t icmp_code;
	uint16_t inner_off;	/* PKT_F_ICMP_ERR: offset of embedded IP hdr */
	uint16_t l3_len;	/* IP: header + payload as claimed (no padding) */
	uint8_t ttl;		/* IP: IPv4 TTL / IPv6 hop limit */
	uint8_t pad1;
	union {
		struct {	/* PKT_F_ARP (Ethernet/IPv4 ARP only) */
			uint16_t op;		/* host order */
			uint8_t sha[6];		/* sender MAC */
			uint8_t spa[4];		/* sender IP, network order */
			uint8_t tpa[4];		/* target IP */
			uint8_t tha[6];		/* target MAC */
		} arp;
		struct {	/* PKT_F_ND */
			uint8_t target[16];	/* NS/NA target, else zero */
			uint8_t lladdr[6];	/* SLLA (RS/RA/NS) or TLLA (NA) */
			uint8_t na_flags;	/* NA: R/S/O bits */
		} nd;
	};
};

/*
 * The whole parser, out of line: every frame type and every check.
 * Use pkt_parse(), which takes the common frame inline and hands the rest
 * to this one.
 */
enum pkt_parse_rc pkt_parse_full(const uint8_t *data, uint32_t len,
	struct pkt_meta *m);

/*
 * TCP flag combinations (FIN SYN RST ACK URG; PSH ECE CWR ignored) that
 * real stacks send: nf_conntrack's tcp_valid_flags. Bit n set means
 * combination n is valid.
 */
#define PKT_TCP_VALID_FLAGS ((1ULL << 0x02) | (1ULL << 0x22) | \
	(1ULL << 0x12) | (1ULL << 0x04) | (1ULL << 0x14) | (1ULL << 0x11) | \
	(1ULL << 0x31) | (1ULL << 0x10) | (1ULL << 0x30))

static inline int
pkt_tcp_flags_valid(uint8_t flags)
{
	return (PKT_TCP_VALID_FLAGS >> (flags & 0x37)) & 1;
}

/*
 * Write ::ffff:a.b.c.d's second half with one 8-byte store: the flow key
 * reads it back as one word, which would stall on store forwarding if it
 * were assembled from narrower stores. (The first half is zero already.)
 */
static inline void
pkt_v4_mapped(uint8_t a[16], const uint8_t *v4)
{
	uint32_t x;
	uint64_t w;

	memcpy(&x, v4, 4);
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	w = ((uint64_t)x << 32) | 0xffff0000u;
#else
	w = (0x0000ffffULL << 32) | x;
#endif
	memcpy(a + 8, &w, 8);
}

/* A big-endian 16-bit field (compilers make one load and a rotate). */
static inline uint16_t
pkt_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Parse one frame. data may be NULL only when len is 0.
 * Always fully defines the hot fields of *m; cold fields are only defined
 * when their flag is set.
 *
 * Most frames are untagged unicast IPv4 without options, unfragmented,
 * with a whole TCP or UDP header: those take the straight line below,
 * inline in the worker's loop. Anything else, and anything that fails a
 * check on the way, goes to pkt_parse_full(), which starts over and finds
 * the reason. Both give the same result for every frame (the unit tests
 * run both on each frame they parse).
 */
static inline enum pkt_parse_rc
pkt_parse(const uint8_t *data, uint32_t len, struct pkt_meta *m)
{
	static const uint8_t th_none[2] = { 0x50, 0 };
	uint32_t tot, l4len, hl, ports, tcp, udp, hl_t, ulen, bad_t, bad_u;
	uint16_t et, fo;
	uint8_t tcp_flags, proto;
	const uint8_t *ip, *l4, *th;

	/* 14 + 20 + 8 bytes at least, and offsets fit 16 bits. */
	if (unlikely(len - 42 > UINT16_MAX - 42 || (data[0] & 1)))
		return pkt_parse_full(data, len, m);
	/* Only now: data may be NULL (len 0), and NULL + 14 is undefined. */
	ip = data + 14;
	l4 = data + 34;
	memcpy(&et, data + 12, 2);
	memcpy(&fo, ip + 6, 2);
	tot = pkt_rd16(ip + 2);
	proto = ip[9];
	if (unlikely(et != rte_cpu_to_be_16(0x0800) || ip[0] != 0x45 ||
			(fo & rte_cpu_to_be_16(0x3fff)) != 0 ||
			tot < 20 || tot > len - 14))
		return pkt_parse_full(data, len, m);
	l4len = tot - 20;
	/*
	 * TCP or UDP without a branch on which: on a mixed link that is a
	 * coin toss per packet. Both headers' checks are made and the
	 * protocol's kept. TCP's offset and flags (bytes 12 and 13) come
	 * from a stand-in when the frame ends before them; such a frame
	 * is too short for TCP (l4len < 20) whatever they say.
	 */
	tcp = proto == 6;
	udp = proto == 17;
	th = len >= 48 ? l4 + 12 : th_none;
	hl_t = (uint32_t)(th[0] >> 4) * 4;
	ulen = pkt_rd16(l4 + 4);
	bad_t = (l4len < 20) | (hl_t < 20) | (hl_t > l4len) |
		!pkt_tcp_flags_valid(th[1]);
	bad_u = (l4len < 8) | (ulen < 8) | (ulen > l4len);
	if (unlikely((tcp & bad_t) | (udp & bad_u) | ((tcp | udp) ^ 1)))
		return pkt_parse_full(data, len, m);
	hl = 8 ^ ((hl_t ^ 8) & -tcp);
	tcp_flags = (uint8_t)(th[1] & -tcp);
	/* Every hot field, in order (no memset: the stores merge). */
	memset(m->src_addr, 0, 8);
	pkt_v4_mapped(m->src_addr, ip + 12);
	memset(m->dst_addr, 0, 8);
	pkt_v4_mapped(m->dst_addr, ip + 16);
	/* Both ports with one load and one swap. */
	memcpy(&ports, l4, 4);
	ports = rte_be_to_cpu_32(ports);
	m->sport = (uint16_t)(ports >> 16);
	m->dport = (uint16_t)ports;
	m->flags = PKT_F_IPV4 | PKT_F_L4;
	m->ethertype = 0x0800;
	m->vlan_outer = 0;
	m->vlan_inner = 0;
	m->l3_off = 14;
	m->l4_off = 34;
	m->payload_off = (uint16_t)(34 + hl);
	m->l4_proto = proto;
	m->tcp_flags = tcp_flags;
	/* dst_mac and src_mac follow each other, as in the frame. */
	memcpy((uint8_t *)m + offsetof(struct pkt_meta, dst_mac), data, 12);
	m->l3_len = (uint16_t)tot;
	m->ttl = ip[8];
	return PKT_PARSE_OK;
}

/* "ok", "l2", or the counter name of a drop reason; never NULL. */
const char *pkt_parse_rc_name(enum pkt_parse_rc rc);

static inline int
pkt_parse_is_drop(enum pkt_parse_rc rc)
{
	return rc >= PKT_DROP_FIRST;
}

/* 1 if the 16-byte address is IPv4-mapped (how IPv4 lives in pkt_meta). */
static inline int
pkt_addr_is_v4(const uint8_t a[16])
{
	uint64_t w0;
	uint32_t w1;

	memcpy(&w0, a, 8);
	memcpy(&w1, a + 8, 4);
	return w0 == 0 && w1 == rte_cpu_to_be_32(0x0000ffff);
}

/* The worker touches one cache line per packet. */
_Static_assert(offsetof(struct pkt_meta, src_mac) ==
	offsetof(struct pkt_meta, dst_mac) + 6, "the MACs as in the frame");
_Static_assert(offsetof(struct pkt_meta, ip_id) == 64,
	"pkt_meta hot part must be exactly one cache line");

#ifdef __cplusplus
}
#endif

#endif /* CORDON_PKT_PARSE_H */
