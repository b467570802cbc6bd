/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * pkt_parse tests: hand-built frames for every protocol and every drop
 * reason, then every packet of the tcpdump captures in TESTLIST, whole
 * and truncated at every length. Each parse runs on an exactly-sized
 * heap copy so ASan catches any read past the end.
 *
 * argv[1]: the shared testdata directory.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include <rte_common.h>

#include "pkt_parse.h"
#include "test_main.h"
#include "test_pcap.h"

/* ---------- frame builder ---------- */

struct frame {
	uint8_t b[2048];
	uint32_t len;
};

static void
put8(struct frame *f, uint8_t v)
{
	assert_true(f->len < sizeof(f->b));
	f->b[f->len++] = v;
}

static void
put16(struct frame *f, uint16_t v)
{
	put8(f, (uint8_t)(v >> 8));
	put8(f, (uint8_t)v);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

static void
putn(struct frame *f, const void *p, uint32_t n)
{
	assert_true(f->len + n <= sizeof(f->b));
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
zeros(struct frame *f, uint32_t n)
{
	assert_true(f->len + n <= sizeof(f->b));
	memset(f->b + f->len, 0, n);
	f->len += n;
}

static const uint8_t mac_dst[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_src[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t v6_ll[16] = { 0xfe, 0x80, [15] = 7 };

static void
eth(struct frame *f, uint16_t et)
{
	f->len = 0;
	putn(f, mac_dst, 6);
	putn(f, mac_src, 6);
	put16(f, et);
}

/* IPv4 header; total length patched by fix_ipv4(). */
static uint32_t
ipv4(struct frame *f, uint8_t proto, uint16_t frag, const uint8_t *opt,
	uint32_t optlen)
{
	uint32_t at = f->len;

	put8(f, (uint8_t)(0x40 | ((20 + optlen) / 4)));
	put8(f, 0);
	put16(f, 0);		/* total length */
	put16(f, 0x1234);	/* id */
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	if (optlen)
		putn(f, opt, optlen);
	return at;
}

static void
fix_ipv4(struct frame *f, uint32_t at)
{
	uint32_t tot = f->len - at;

	f->b[at + 2] = (uint8_t)(tot >> 8);
	f->b[at + 3] = (uint8_t)tot;
}

static uint32_t
ipv6(struct frame *f, uint8_t nh, uint8_t hlim, const uint8_t *src,
	const uint8_t *dst)
{
	uint32_t at = f->len;

	put32(f, 0x60000000);
	put16(f, 0);		/* payload length */
	put8(f, nh);
	put8(f, hlim);
	putn(f, src, 16);
	putn(f, dst, 16);
	return at;
}

static void
fix_ipv6(struct frame *f, uint32_t at)
{
	uint32_t pl = f->len - at - 40;

	f->b[at + 4] = (uint8_t)(pl >> 8);
	f->b[at + 5] = (uint8_t)pl;
}

/* Ethernet and an option-less IPv4 header, 10.0.0.1 to 10.0.0.2. */
static uint32_t
v4(struct frame *f, uint8_t proto, uint16_t frag)
{
	eth(f, 0x0800);
	return ipv4(f, proto, frag, NULL, 0);
}

/* Ethernet and an IPv6 header from src to dst, hop limit 64. */
static uint32_t
v6_addrs(struct frame *f, uint8_t nh, const uint8_t *src, const uint8_t *dst)
{
	eth(f, 0x86dd);
	return ipv6(f, nh, 64, src, dst);
}

static uint32_t
v6(struct frame *f, uint8_t nh)
{
	return v6_addrs(f, nh, v6_src, v6_dst);
}

/* Patch the length of the IP header at `at` (either version) to end at the
 * frame's end. */
static void
seal(struct frame *f, uint32_t at)
{
	if (f->b[at] >> 4 == 4)
		fix_ipv4(f, at);
	else
		fix_ipv6(f, at);
}

static void
tcp(struct frame *f, uint16_t sp, uint16_t dp, uint8_t flags, uint8_t doff)
{
	put16(f, sp);
	put16(f, dp);
	put32(f, 1000);
	put32(f, 0);
	put8(f, (uint8_t)(doff << 4));
	put8(f, flags);
	put16(f, 65535);
	put16(f, 0);
	put16(f, 0);
	if (doff > 5)
		zeros(f, (uint32_t)(doff - 5) * 4);
}

static void
udp(struct frame *f, uint16_t sp, uint16_t dp, uint16_t ulen)
{
	put16(f, sp);
	put16(f, dp);
	put16(f, ulen);
	put16(f, 0);
}

/* Generic extension header of 8 bytes (hdr ext len 0). */
static void
ext8(struct frame *f, uint8_t nh)
{
	put8(f, nh);
	put8(f, 0);
	zeros(f, 6);
}

/*
 * pkt_parse() takes common frames inline and hands the rest to
 * pkt_parse_full(): both must say the same of every frame, down to each
 * hot field and, for IP, the length and TTL.
 */
static void
same_as_full(const uint8_t *data, uint32_t len, enum pkt_parse_rc rc,
	const struct pkt_meta *m)
{
	struct pkt_meta full;

	memset(&full, 0xa5, sizeof(full));
	assert_int_equal(pkt_parse_full(data, len, &full), rc);
	assert_memory_equal(m, &full, offsetof(struct pkt_meta, ip_id));
	if (rc == PKT_PARSE_OK) {
		assert_int_equal(m->l3_len, full.l3_len);
		assert_int_equal(m->ttl, full.ttl);
	}
}

/* Parse from an exactly-sized heap copy: ASan sees any over-read. */
static enum pkt_parse_rc
parse_exact(const uint8_t *data, uint32_t len, struct pkt_meta *m)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum pkt_parse_rc rc;

	assert_non_null(copy);
	if (len)
		memcpy(copy, data, len);
	rc = pkt_parse(len ? copy : NULL, len, m);
	same_as_full(len ? copy : NULL, len, rc, m);
	free(copy);
	return rc;
}

static enum pkt_parse_rc
parse(const struct frame *f, struct pkt_meta *m)
{
	return parse_exact(f->b, f->len, m);
}

/* Every shorter prefix must parse without an over-read, never to OK with
 * an L4 offset beyond the prefix. */
static void
truncations(const struct frame *f)
{
	struct pkt_meta m;
	uint32_t l;

	for (l = 0; l < f->len; l++) {
		enum pkt_parse_rc rc = parse_exact(f->b, l, &m);

		assert_true(rc < PKT_PARSE_RC_MAX);
		if (rc == PKT_PARSE_OK)
			assert_true(m.payload_off <= l);
	}
}

static void
expect(const struct frame *f, enum pkt_parse_rc want)
{
	struct pkt_meta m;
	enum pkt_parse_rc rc = parse(f, &m);

	if (rc != want)
		print_error("got %s, want %s\n", pkt_parse_rc_name(rc),
			pkt_parse_rc_name(want));
	assert_int_equal(rc, want);
}

/* Seal the IP header at `at`, then parse. */
static enum pkt_parse_rc
parse_sealed(struct frame *f, uint32_t at, struct pkt_meta *m)
{
	seal(f, at);
	return parse(f, m);
}

/* The frame, its IP header at `at` sealed, parses to want. */
static void
expect_sealed(struct frame *f, uint32_t at, enum pkt_parse_rc want)
{
	seal(f, at);
	expect(f, want);
}

/* An IP header followed by n zero bytes, too few for what it announces
 * (proto; frag for IPv4): dropped with want. */
static void
expect_cut4(struct frame *f, uint8_t proto, uint16_t frag, uint32_t n,
	enum pkt_parse_rc want)
{
	uint32_t at = v4(f, proto, frag);

	zeros(f, n);
	expect_sealed(f, at, want);
}

static void
expect_cut6(struct frame *f, uint8_t nh, uint32_t n, enum pkt_parse_rc want)
{
	uint32_t at = v6(f, nh);

	zeros(f, n);
	expect_sealed(f, at, want);
}

static void
arp(struct frame *f, uint16_t htype, uint8_t hlen)
{
	static const uint8_t tha[6] = { 0 };

	eth(f, 0x0806);
	memset(f->b, 0xff, 6);
	put16(f, htype);
	put16(f, 0x0800);
	put8(f, hlen);
	put8(f, 4);
	put16(f, 1);
	putn(f, mac_src, 6);
	put32(f, 0xc0a80102);
	putn(f, tha, 6);
	put32(f, 0xc0a80101);
}

static void
frag6(struct frame *f, uint8_t nh, uint16_t off_m)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, off_m);
	put32(f, 0xabcdef01);
}

static void
icmp6_hdr(struct frame *f, uint8_t type, uint8_t code)
{
	put8(f, type);
	put8(f, code);
	put16(f, 0);
}

static void
nd_frame(struct frame *f, uint8_t type, uint8_t hlim, uint8_t opt_type,
	uint8_t opt_len8)
{
	uint32_t at;

	eth(f, 0x86dd);
	at = ipv6(f, 58, hlim, v6_ll, v6_dst);
	icmp6_hdr(f, type, 0);
	switch (type) {
	case 133:
		put32(f, 0);
		break;
	case 134:
		zeros(f, 12);
		break;
	default:
		put32(f, type == 136 ? 0x60000000 : 0);
		putn(f, v6_dst, 16);
		break;
	}
	if (opt_len8 != 0xff) {
		put8(f, opt_type);
		put8(f, opt_len8);
		putn(f, mac_src, 6);
	}
	fix_ipv6(f, at);
}

/* The ports the parser read (for ICMP queries: the identifier, both). */
static void
assert_ports(const struct pkt_meta *pm, uint16_t sport, uint16_t dport)
{
	assert_int_equal(pm->sport, sport);
	assert_int_equal(pm->dport, dport);
}

/* Where the L4 header and its payload start. */
static void
assert_l4_at(const struct pkt_meta *pm, uint16_t l4_off, uint16_t payload_off)
{
	assert_int_equal(pm->l4_off, l4_off);
	assert_int_equal(pm->payload_off, payload_off);
}

/* ---------- tests ---------- */

/* The flags that tell fragments, and ICMP messages, apart. */
#define FRAG_FLAGS (PKT_F_FRAG | PKT_F_FRAG_LATER | PKT_F_L4)
#define ICMP_FLAGS (PKT_F_ICMP | PKT_F_ICMP_ERR | PKT_F_L4)

/* A later fragment: no L4 header, only its offset and protocol. */
static void
assert_later_frag(const struct pkt_meta *pm, uint16_t off, uint8_t proto)
{
	assert_int_equal(pm->flags & FRAG_FLAGS, PKT_F_FRAG | PKT_F_FRAG_LATER);
	assert_int_equal(pm->frag_off, off);
	assert_int_equal(pm->l4_proto, proto);
	assert_int_equal(pm->l4_off, 0);
}

/* The frame under test, where its IP header starts and what the parser
 * made of it (cmocka runs one test at a time). */
static struct frame f;
static uint32_t at;
static struct pkt_meta m;

static void
test_layout(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct pkt_meta, ip_id), 64);
	assert_true(sizeof(struct pkt_meta) <= 104);
	print_message("sizeof(struct pkt_meta) = %zu (hot part 64)\n",
		sizeof(struct pkt_meta));
}

static void
test_rc_names(void **state)
{
	unsigned int i, j;

	(void)state;
	assert_string_equal(pkt_parse_rc_name(PKT_PARSE_OK), "ok");
	assert_string_equal(pkt_parse_rc_name(PKT_PARSE_L2), "l2");
	assert_string_equal(pkt_parse_rc_name(PKT_DROP_L2_TRUNC),
		"l2_truncated");
	assert_string_equal(pkt_parse_rc_name(PKT_PARSE_RC_MAX), "invalid");
	assert_int_equal(PKT_PARSE_NB_DROPS, 30);
	for (i = 0; i < PKT_PARSE_RC_MAX; i++) {
		const char *a = pkt_parse_rc_name((enum pkt_parse_rc)i);

		assert_non_null(a);
		assert_true(strlen(a) > 1);
		assert_int_equal(pkt_parse_is_drop((enum pkt_parse_rc)i),
			i >= PKT_DROP_FIRST);
		for (j = i + 1; j < PKT_PARSE_RC_MAX; j++)
			assert_string_not_equal(a,
				pkt_parse_rc_name((enum pkt_parse_rc)j));
	}
}

static void
test_ipv4_tcp(void **state)
{
	static const uint8_t v4src[16] = { [10] = 0xff, [11] = 0xff,
		10, 0, 0, 1 };

	(void)state;
	at = v4(&f, 6, 0x4000);
	tcp(&f, 40000, 443, 0x02, 5);
	zeros(&f, 10);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_memory_equal(m.dst_mac, mac_dst, 6);
	assert_memory_equal(m.src_mac, mac_src, 6);
	assert_memory_equal(m.src_addr, v4src, 16);
	assert_true(pkt_addr_is_v4(m.dst_addr));
	assert_int_equal(m.dst_addr[15], 2);
	assert_int_equal(m.ethertype, 0x0800);
	assert_int_equal(m.flags, PKT_F_IPV4 | PKT_F_L4);
	assert_int_equal(m.l4_proto, 6);
	assert_ports(&m, 40000, 443);
	assert_int_equal(m.tcp_flags, 0x02);
	assert_int_equal(m.l3_off, 14);
	assert_l4_at(&m, 34, 54);
	assert_int_equal(m.l3_len, 50);
	assert_int_equal(m.ttl, 64);
	truncations(&f);

	/* Ethernet padding after the IP packet is ignored. */
	at = v4(&f, 6, 0);
	tcp(&f, 1, 2, 0x10, 6);
	seal(&f, at);
	zeros(&f, 6);
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_int_equal(m.l3_len, 44);
	assert_int_equal(m.payload_off, 14 + 44);
	truncations(&f);
}

/*
 * The inline path and the full parser on frames one or two bytes away from
 * valid TCP and UDP ones (headers and lengths alike): each such frame is
 * parsed by both (parse_exact()), which must agree.
 */
static void
test_fast_path_mutations(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct frame base[2];
	uint32_t ok = 0;

	(void)state;
	at = v4(&base[0], 6, 0x4000);
	tcp(&base[0], 40000, 443, 0x18, 6);
	zeros(&base[0], 10);
	seal(&base[0], at);
	at = v4(&base[1], 17, 0);
	udp(&base[1], 5353, 5353, 18);
	zeros(&base[1], 10);
	seal(&base[1], at);
	for (unsigned int i = 0; i < 20000; i++) {
		f = base[i & 1];
		for (unsigned int n = 0; n < 1 + (i >> 1 & 1); n++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			f.b[(x >> 8) % f.len] = (uint8_t)(x >> 40);
		}
		if (parse(&f, &m) == PKT_PARSE_OK)
			ok++;
	}
	/* Most single-byte changes land in addresses, ports and payload. */
	assert_true(ok > 5000);
}

static void
test_ipv4_udp(void **state)
{
	(void)state;
	at = v4(&f, 17, 0);
	udp(&f, 5353, 53, 8 + 4);
	zeros(&f, 4);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_ports(&m, 5353, 53);
	assert_int_equal(m.l4_proto, 17);
	assert_int_equal(m.payload_off, 42);
	truncations(&f);

	/* UDP length beyond the IP payload */
	f.b[at + 20 + 5] = 13;
	expect(&f, PKT_DROP_UDP_BAD_LEN);
	/* UDP length below the header */
	f.b[at + 20 + 5] = 7;
	expect(&f, PKT_DROP_UDP_BAD_LEN);
	/* IP payload shorter than a UDP header */
	expect_cut4(&f, 17, 0, 7, PKT_DROP_UDP_TRUNC);
}

static void
test_vlan(void **state)
{
	(void)state;
	eth(&f, 0x8100);
	put16(&f, 0x2064);	/* PCP 1, VID 100 */
	put16(&f, 0x0800);
	at = ipv4(&f, 17, 0, NULL, 0);
	udp(&f, 1, 2, 8);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.flags & (PKT_F_VLAN | PKT_F_QINQ), PKT_F_VLAN);
	assert_int_equal(m.vlan_outer, 0x2064);
	assert_int_equal(m.l3_off, 18);
	assert_int_equal(m.l4_off, 38);
	truncations(&f);

	/* 802.1ad outer + 802.1Q inner, and the legacy 0x9100 */
	eth(&f, 0x88a8);
	put16(&f, 10);
	put16(&f, 0x8100);
	put16(&f, 20);
	put16(&f, 0x86dd);
	at = ipv6(&f, 17, 64, v6_src, v6_dst);
	udp(&f, 1, 2, 8);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.flags & (PKT_F_VLAN | PKT_F_QINQ),
		PKT_F_VLAN | PKT_F_QINQ);
	assert_int_equal(m.vlan_outer, 10);
	assert_int_equal(m.vlan_inner, 20);
	assert_int_equal(m.ethertype, 0x86dd);
	assert_int_equal(m.l3_off, 22);
	truncations(&f);
	f.b[12] = 0x91;
	f.b[13] = 0x00;
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_int_equal(m.vlan_inner, 20);

	/* three tags */
	eth(&f, 0x88a8);
	put16(&f, 1);
	put16(&f, 0x8100);
	put16(&f, 2);
	put16(&f, 0x8100);
	put16(&f, 3);
	put16(&f, 0x0800);
	zeros(&f, 40);
	expect(&f, PKT_DROP_VLAN_TOO_DEEP);

	/* tag cut short */
	eth(&f, 0x8100);
	put16(&f, 5);
	put8(&f, 0x08);
	expect(&f, PKT_DROP_VLAN_TRUNC);
}

static void
test_l2(void **state)
{
	(void)state;
	assert_int_equal(parse_exact(NULL, 0, &m), PKT_DROP_L2_TRUNC);
	eth(&f, 0x88cc);	/* LLDP */
	f.len = 13;
	expect(&f, PKT_DROP_L2_TRUNC);
	eth(&f, 0x88cc);
	f.b[0] = 0x01;
	f.b[1] = 0x80;
	f.b[2] = 0xc2;
	zeros(&f, 30);
	assert_int_equal(parse(&f, &m), PKT_PARSE_L2);
	assert_int_equal(m.ethertype, 0x88cc);
	assert_int_equal(m.flags, PKT_F_L2_MCAST);
	assert_int_equal(m.l3_off, 14);

	/* 802.3 length field (STP over LLC) */
	eth(&f, 38);
	memset(f.b, 0xff, 6);
	zeros(&f, 38);
	assert_int_equal(parse(&f, &m), PKT_PARSE_L2);
	assert_int_equal(m.flags, PKT_F_L2_MCAST | PKT_F_L2_BCAST);
	assert_int_equal(m.ethertype, 38);
}

static void
test_arp(void **state)
{
	static const uint8_t spa[4] = { 192, 168, 1, 2 };
	static const uint8_t tpa[4] = { 192, 168, 1, 1 };

	(void)state;
	arp(&f, 1, 6);
	zeros(&f, 18);		/* padding to 60 bytes */
	assert_int_equal(parse(&f, &m), PKT_PARSE_L2);
	assert_true(m.flags & PKT_F_ARP);
	assert_true(m.flags & PKT_F_L2_BCAST);
	assert_int_equal(m.arp.op, 1);
	assert_memory_equal(m.arp.sha, mac_src, 6);
	assert_memory_equal(m.arp.spa, spa, 4);
	assert_memory_equal(m.arp.tpa, tpa, 4);
	truncations(&f);

	arp(&f, 1, 6);
	f.len--;
	expect(&f, PKT_DROP_ARP_TRUNC);
	arp(&f, 1, 8);
	expect(&f, PKT_DROP_ARP_BAD);
	arp(&f, 6, 6);
	expect(&f, PKT_DROP_ARP_BAD);
}

static void
test_ipv4_malformed(void **state)
{
	(void)state;
	eth(&f, 0x0800);
	zeros(&f, 19);
	expect(&f, PKT_DROP_IPV4_TRUNC);

	at = v4(&f, 17, 0);
	udp(&f, 1, 2, 8);
	seal(&f, at);
	f.b[at] = 0x65;
	expect(&f, PKT_DROP_IPV4_BAD_VERSION);
	f.b[at] = 0x44;
	expect(&f, PKT_DROP_IPV4_BAD_IHL);
	f.b[at] = 0x47;		/* 28-byte header (the UDP header read as
				 * options: EOL) leaves no room for UDP */
	expect(&f, PKT_DROP_UDP_TRUNC);
	f.b[at] = 0x48;		/* header beyond the frame */
	expect(&f, PKT_DROP_IPV4_TRUNC);
	f.b[at] = 0x45;
	f.b[at + 3] = 19;	/* total length < header */
	expect(&f, PKT_DROP_IPV4_BAD_TOTLEN);
	f.b[at + 3] = 29;	/* total length > frame */
	expect(&f, PKT_DROP_IPV4_TRUNC);
}

static void
test_ipv4_options(void **state)
{
	/* NOP, router alert (4 bytes), NOP, EOL, padding */
	static const uint8_t ok[8] = { 1, 148, 4, 0, 0, 1, 0, 0 };
	static const uint8_t lsrr[8] = { 131, 7, 4, 1, 2, 3, 4, 0 };
	static const uint8_t ssrr[4] = { 1, 137, 3, 4 };
	static const uint8_t zero_len[4] = { 7, 0, 0, 0 };
	static const uint8_t too_long[4] = { 68, 12, 0, 0 };
	static const uint8_t cut[4] = { 1, 1, 1, 68 };

	(void)state;
	eth(&f, 0x0800);
	at = ipv4(&f, 6, 0, ok, sizeof(ok));
	tcp(&f, 1, 2, 0x10, 5);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_IP_OPTS);
	assert_int_equal(m.l4_off, 14 + 28);
	assert_int_equal(m.sport, 1);
	truncations(&f);

#define OPT_CASE(o, want) do { \
		eth(&f, 0x0800); \
		at = ipv4(&f, 6, 0, o, sizeof(o)); \
		tcp(&f, 1, 2, 0x10, 5); \
		seal(&f, at); \
		expect(&f, want); \
	} while (0)
	OPT_CASE(lsrr, PKT_DROP_IPV4_SRCROUTE);
	OPT_CASE(ssrr, PKT_DROP_IPV4_SRCROUTE);
	OPT_CASE(zero_len, PKT_DROP_IPV4_BAD_OPTIONS);
	OPT_CASE(too_long, PKT_DROP_IPV4_BAD_OPTIONS);
	OPT_CASE(cut, PKT_DROP_IPV4_BAD_OPTIONS);
#undef OPT_CASE
}

static void
test_ipv4_frag(void **state)
{
	(void)state;
	/* first fragment with the whole TCP header */
	at = v4(&f, 6, 0x2000);
	tcp(&f, 1234, 80, 0x18, 5);
	zeros(&f, 4);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.flags & FRAG_FLAGS, PKT_F_FRAG | PKT_F_L4);
	assert_int_equal(m.ip_id, 0x1234);
	assert_int_equal(m.frag_off, 0);
	assert_int_equal(m.dport, 80);

	/* later fragment: no L4 */
	at = v4(&f, 6, 0x0003);
	zeros(&f, 16);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_later_frag(&m, 24, 6);
	assert_int_equal(m.sport, 0);

	/* RFC 1858 overlap: TCP at offset 8 */
	f.b[at + 7] = 1;
	expect(&f, PKT_DROP_IPV4_FRAG_OVERLAP);
	f.b[at + 9] = 17;	/* UDP at offset 8 is merely odd */
	expect(&f, PKT_PARSE_OK);

	/* tiny first fragment: 8 bytes of TCP */
	at = v4(&f, 6, 0x2000);
	put16(&f, 1);
	put16(&f, 2);
	put32(&f, 3);
	expect_sealed(&f, at, PKT_DROP_IPV4_FRAG_TINY);
	/* first fragment whose TCP options continue in the next one */
	at = v4(&f, 6, 0x2000);
	tcp(&f, 1, 2, 0x02, 5);
	f.b[at + 20 + 12] = 0xf0;
	expect_sealed(&f, at, PKT_DROP_IPV4_FRAG_TINY);
	/* tiny ICMP first fragment */
	expect_cut4(&f, 1, 0x2000, 4, PKT_DROP_IPV4_FRAG_TINY);

	/* UDP first fragment: UDP length covers the datagram */
	at = v4(&f, 17, 0x2000);
	udp(&f, 1, 2, 3000);
	zeros(&f, 16);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.sport, 1);
	f.len = at + 20 + 4;
	expect_sealed(&f, at, PKT_DROP_IPV4_FRAG_TINY);
}

static void
test_tcp(void **state)
{
	static const uint8_t good[] = { 0x02, 0x12, 0x10, 0x18, 0x11, 0x19,
		0x04, 0x14, 0x1c, 0xc2, 0x52, 0x30, 0x22 };
	static const uint8_t bad[] = { 0x00, 0x01, 0x03, 0x06, 0x07, 0x29,
		0x3f, 0x05, 0x08, 0x20, 0x13, 0xc0 };
	uint32_t i;

	(void)state;
	for (i = 0; i < sizeof(good); i++) {
		at = v4(&f, 6, 0);
		tcp(&f, 1, 2, good[i], 5);
		assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
		assert_int_equal(m.tcp_flags, good[i]);
	}
	for (i = 0; i < sizeof(bad); i++) {
		at = v4(&f, 6, 0);
		tcp(&f, 1, 2, bad[i], 5);
		expect_sealed(&f, at, PKT_DROP_TCP_BAD_FLAGS);
	}

	/* options: payload offset follows the data offset */
	at = v4(&f, 6, 0);
	tcp(&f, 1, 2, 0x02, 10);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.payload_off, 34 + 40);
	truncations(&f);
	f.b[at + 20 + 12] = 0x40;	/* data offset 4 */
	expect(&f, PKT_DROP_TCP_BAD_HLEN);
	f.b[at + 20 + 12] = 0xb0;	/* data offset beyond the packet */
	expect(&f, PKT_DROP_TCP_BAD_HLEN);

	expect_cut4(&f, 6, 0, 19, PKT_DROP_TCP_TRUNC);
}

static void
test_icmp4(void **state)
{
	uint32_t inner;

	(void)state;
	at = v4(&f, 1, 0);
	put8(&f, 8);
	put8(&f, 0);
	put16(&f, 0);
	put16(&f, 0xbeef);	/* identifier */
	put16(&f, 1);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.flags & ICMP_FLAGS, PKT_F_ICMP | PKT_F_L4);
	assert_int_equal(m.icmp_type, 8);
	assert_ports(&m, 0xbeef, 0xbeef);
	truncations(&f);

	/* port unreachable, embedding the offending header */
	at = v4(&f, 1, 0);
	put8(&f, 3);
	put8(&f, 3);
	zeros(&f, 6);
	inner = ipv4(&f, 17, 0, NULL, 0);
	udp(&f, 1, 2, 8);
	seal(&f, inner);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_ICMP_ERR);
	assert_int_equal(m.icmp_code, 3);
	assert_int_equal(m.inner_off, 14 + 20 + 8);
	assert_int_equal(m.sport, 0);
	truncations(&f);

	expect_cut4(&f, 1, 0, 7, PKT_DROP_ICMP_TRUNC);
}

static void
test_ipv6_basic(void **state)
{
	(void)state;
	at = v6(&f, 6);
	tcp(&f, 5000, 22, 0x12, 5);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.flags, PKT_F_IPV6 | PKT_F_L4);
	assert_memory_equal(m.src_addr, v6_src, 16);
	assert_memory_equal(m.dst_addr, v6_dst, 16);
	assert_false(pkt_addr_is_v4(m.src_addr));
	assert_ports(&m, 5000, 22);
	assert_l4_at(&m, 54, 74);
	assert_int_equal(m.l3_len, 60);
	truncations(&f);

	f.b[at] = 0x40;
	expect(&f, PKT_DROP_IPV6_BAD_VERSION);
	f.b[at] = 0x60;
	f.b[at + 5] = 0;
	expect(&f, PKT_DROP_IPV6_BAD_PAYLEN);
	f.b[at + 5] = 21;
	expect(&f, PKT_DROP_IPV6_TRUNC);
	f.len = at + 39;
	expect(&f, PKT_DROP_IPV6_TRUNC);

	/* IPv4-mapped or multicast source, IPv4-mapped destination; a
	 * multicast destination is fine */
	{
		static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff,
			10, 0, 0, 1 };
		static const uint8_t mcast[16] = { 0xff, 0x02, [15] = 1 };
		static const struct {
			const uint8_t *src, *dst;
			enum pkt_parse_rc want;
		} cases[] = {
			{ mapped, v6_dst, PKT_DROP_IPV6_BAD_ADDR },
			{ v6_src, mapped, PKT_DROP_IPV6_BAD_ADDR },
			{ mcast, v6_dst, PKT_DROP_IPV6_BAD_ADDR },
			{ v6_src, mcast, PKT_PARSE_OK },
		};

		for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
			at = v6_addrs(&f, 17, cases[i].src, cases[i].dst);
			udp(&f, 1, 2, 8);
			expect_sealed(&f, at, cases[i].want);
		}
	}

	/* UDP */
	at = v6(&f, 17);
	udp(&f, 546, 547, 12);
	zeros(&f, 4);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.sport, 546);
	truncations(&f);
}

static void
test_ipv6_ext(void **state)
{
	uint32_t i;

	(void)state;
	/* HBH, dest opts, routing type 2 (1 segment), AH, TCP */
	at = v6(&f, 0);
	ext8(&f, 60);
	ext8(&f, 43);
	put8(&f, 51);		/* routing: 24 bytes */
	put8(&f, 2);
	put8(&f, 2);
	put8(&f, 1);
	zeros(&f, 20);
	put8(&f, 6);		/* AH: (2 + 2) * 4 = 16 bytes */
	put8(&f, 2);
	zeros(&f, 14);
	tcp(&f, 7, 8, 0x10, 5);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_IP_OPTS);
	assert_true(m.flags & PKT_F_L4);
	assert_int_equal(m.l4_proto, 6);
	assert_int_equal(m.l4_off, 54 + 8 + 8 + 24 + 16);
	assert_int_equal(m.sport, 7);
	truncations(&f);

	/* routing type 0 with segments left */
	at = v6(&f, 43);
	put8(&f, 17);
	put8(&f, 2);
	put8(&f, 0);
	put8(&f, 1);
	zeros(&f, 20);
	udp(&f, 1, 2, 8);
	expect_sealed(&f, at, PKT_DROP_IPV6_RH0);
	f.b[at + 40 + 3] = 0;	/* segments left 0: harmless */
	expect(&f, PKT_PARSE_OK);

	/* ESP ends the walk: no ports */
	at = v6(&f, 60);
	ext8(&f, 50);
	zeros(&f, 24);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.l4_proto, 50);
	assert_false(m.flags & PKT_F_L4);
	assert_int_equal(m.l4_off, 54 + 8);

	/* no next header */
	at = v6(&f, 59);
	zeros(&f, 8);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.l4_proto, 59);

	/* hop-by-hop after another header */
	at = v6(&f, 60);
	ext8(&f, 0);
	ext8(&f, 17);
	udp(&f, 1, 2, 8);
	expect_sealed(&f, at, PKT_DROP_IPV6_HBH_MISPLACED);

	/* chain too long */
	at = v6(&f, 60);
	for (i = 0; i < PKT_IPV6_MAX_EXT; i++)
		ext8(&f, 60);
	ext8(&f, 17);
	udp(&f, 1, 2, 8);
	expect_sealed(&f, at, PKT_DROP_IPV6_EXT_TOO_MANY);

	/* header longer than the packet */
	at = v6(&f, 60);
	put8(&f, 17);
	put8(&f, 1);		/* 16 bytes */
	zeros(&f, 6);
	udp(&f, 1, 2, 8);
	seal(&f, at);
	f.len--;
	expect_sealed(&f, at, PKT_DROP_IPV6_EXT_TRUNC);
	/* fewer than 8 bytes left for a header */
	expect_cut6(&f, 60, 6, PKT_DROP_IPV6_EXT_TRUNC);
}

static void
test_ipv6_frag(void **state)
{
	(void)state;
	/* first fragment */
	at = v6(&f, 44);
	frag6(&f, 17, 0x0001);
	udp(&f, 9, 10, 4000);
	zeros(&f, 32);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.flags & FRAG_FLAGS, PKT_F_FRAG | PKT_F_L4);
	assert_int_equal(m.ip_id, 0xabcdef01);
	assert_int_equal(m.sport, 9);
	truncations(&f);

	/* later fragment */
	at = v6(&f, 44);
	frag6(&f, 17, 0x0100);	/* offset 256 bytes, last */
	zeros(&f, 32);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_later_frag(&m, 256, 17);
	truncations(&f);

	/* atomic fragment: a whole packet */
	at = v6(&f, 44);
	frag6(&f, 6, 0);
	tcp(&f, 1, 2, 0x10, 5);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_false(m.flags & PKT_F_FRAG);
	assert_int_equal(m.dport, 2);

	/* two fragment headers */
	at = v6(&f, 44);
	frag6(&f, 44, 0x0001);
	frag6(&f, 17, 0x0001);
	udp(&f, 1, 2, 8);
	expect_sealed(&f, at, PKT_DROP_IPV6_FRAG_BAD);

	/* RFC 7112: first fragment without the whole chain / L4 header */
	at = v6(&f, 44);
	frag6(&f, 6, 0x0001);
	zeros(&f, 16);
	expect_sealed(&f, at, PKT_DROP_IPV6_FRAG_TINY);
	at = v6(&f, 44);
	frag6(&f, 60, 0x0001);
	put8(&f, 17);
	put8(&f, 3);		/* 32-byte dest opts, cut */
	zeros(&f, 14);
	expect_sealed(&f, at, PKT_DROP_IPV6_FRAG_TINY);
}

static void
test_icmp6(void **state)
{
	(void)state;
	at = v6(&f, 58);
	icmp6_hdr(&f, 128, 0);
	put16(&f, 0x4242);
	put16(&f, 1);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_int_equal(m.icmp_type, 128);
	assert_ports(&m, 0x4242, 0x4242);
	truncations(&f);
	f.len -= 1;
	expect_sealed(&f, at, PKT_DROP_ICMP_TRUNC);

	/* packet too big: an error */
	at = v6(&f, 58);
	icmp6_hdr(&f, 2, 0);
	put32(&f, 1280);
	ipv6(&f, 17, 1, v6_dst, v6_src);
	assert_int_equal(parse_sealed(&f, at, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_ICMP_ERR);
	assert_int_equal(m.inner_off, 54 + 8);
	truncations(&f);

	at = v6(&f, 58);
	put8(&f, 1);
	put8(&f, 4);
	put8(&f, 0);
	expect_sealed(&f, at, PKT_DROP_ICMP_TRUNC);
}

static void
test_nd(void **state)
{
	(void)state;
	nd_frame(&f, 135, 255, 1, 1);	/* NS + SLLA */
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_ND);
	assert_true(m.flags & PKT_F_ND_LLADDR);
	assert_memory_equal(m.nd.target, v6_dst, 16);
	assert_memory_equal(m.nd.lladdr, mac_src, 6);
	assert_memory_equal(m.src_addr, v6_ll, 16);
	truncations(&f);

	nd_frame(&f, 136, 255, 2, 1);	/* NA + TLLA */
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_int_equal(m.nd.na_flags, 0x60);
	assert_true(m.flags & PKT_F_ND_LLADDR);
	assert_memory_equal(m.nd.lladdr, mac_src, 6);

	nd_frame(&f, 136, 255, 1, 1);	/* NA with an SLLA: not learned */
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_ND);
	assert_false(m.flags & PKT_F_ND_LLADDR);

	nd_frame(&f, 135, 255, 0, 0xff);	/* DAD NS, no option */
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_false(m.flags & PKT_F_ND_LLADDR);

	nd_frame(&f, 133, 255, 1, 1);	/* RS */
	assert_int_equal(parse(&f, &m), PKT_PARSE_OK);
	assert_true(m.flags & PKT_F_ND_LLADDR);

	nd_frame(&f, 135, 64, 1, 1);	/* off-link hop limit */
	expect(&f, PKT_DROP_ND_BAD);
	nd_frame(&f, 135, 255, 1, 0);	/* zero-length option */
	expect(&f, PKT_DROP_ND_BAD);
	nd_frame(&f, 135, 255, 1, 2);	/* option beyond the packet */
	expect(&f, PKT_DROP_ND_BAD);
	nd_frame(&f, 135, 255, 1, 1);
	f.b[54 + 1] = 1;		/* code != 0 */
	expect(&f, PKT_DROP_ND_BAD);
	nd_frame(&f, 136, 255, 0, 0xff);	/* NA cut before the target */
	f.len -= 4;
	fix_ipv6(&f, 14);
	expect(&f, PKT_DROP_ND_BAD);
}

/* ---------- tcpdump captures ---------- */

struct cap_stats {
	unsigned long files;
	unsigned long pkts;
	unsigned long truncated_parses;
	unsigned long rc[PKT_PARSE_RC_MAX];
};

/* Give non-Ethernet captures an Ethernet header so their IP is parsed. */
static uint32_t
to_ether(int dlt, const uint8_t *p, uint32_t len, uint8_t *out, uint32_t max)
{
	uint32_t skip = 0;
	uint16_t et;

	if (dlt == DLT_EN10MB) {
		if (len > max)
			len = max;
		memcpy(out, p, len);
		return len;
	}
	if (dlt == DLT_NULL && len >= 4)
		skip = 4;
	if (len - skip >= 1 && (p[skip] >> 4) == 6)
		et = 0x86dd;
	else
		et = 0x0800;
	len -= skip;
	if (len + 14 > max)
		len = max - 14;
	memcpy(out, mac_dst, 6);
	memcpy(out + 6, mac_src, 6);
	out[12] = (uint8_t)(et >> 8);
	out[13] = (uint8_t)et;
	memcpy(out + 14, p + skip, len);
	return len + 14;
}

static void
parse_capture(const char *rel, struct cap_stats *st)
{
	static uint8_t frame[70000];
	pcap_t *pc = test_pcap_open(rel, false);
	struct pcap_pkthdr *h;
	const uint8_t *p;
	int dlt, r;

	dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &p)) == 1) {
			enum pkt_parse_rc rc;
		uint32_t len, l;

		len = to_ether(dlt, p, h->caplen, frame, sizeof(frame));
		rc = parse_exact(frame, len, &m);
		assert_true(rc < PKT_PARSE_RC_MAX);
		if (rc == PKT_PARSE_OK) {
			assert_true(m.l3_off + (uint32_t)m.l3_len <= len);
			assert_true(m.payload_off <= len);
		}
		st->rc[rc]++;
		st->pkts++;
		for (l = 0; l < len; l++) {
			rc = parse_exact(frame, l, &m);
			assert_true(rc < PKT_PARSE_RC_MAX);
			if (rc == PKT_PARSE_OK)
				assert_true(m.payload_off <= l);
			st->truncated_parses++;
		}
	}
	assert_int_equal(r, PCAP_ERROR_BREAK);
	pcap_close(pc);
	st->files++;
}

static void
test_tcpdump_captures(void **state)
{
	struct cap_stats st;
	char path[4096], rel[160], line[1024], seen[128][128];
	unsigned int nseen = 0, i;
	FILE *tl;

	(void)state;
	memset(&st, 0, sizeof(st));
	snprintf(path, sizeof(path), "%s/tcpdump/TESTLIST", test_data_dir);
	tl = fopen(path, "r");
	if (tl == NULL)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), tl) != NULL) {
		char name[256], pcap[128];
		int dup = 0;

		if (line[0] == '#' || sscanf(line, "%255s %127s", name,
				pcap) != 2)
			continue;
		for (i = 0; i < nseen; i++)
			dup |= strcmp(seen[i], pcap) == 0;
		if (dup)
			continue;
		assert_true(nseen < 128);
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", pcap);
		snprintf(rel, sizeof(rel), "tcpdump/%s", pcap);
		{
			unsigned long ok = st.rc[PKT_PARSE_OK];
			unsigned long l2 = st.rc[PKT_PARSE_L2];
			unsigned long n = st.pkts;

			parse_capture(rel, &st);
			print_message("  %-40s %5lu pkts %5lu ok %5lu l2 "
				"%5lu drop\n", pcap, st.pkts - n,
				st.rc[PKT_PARSE_OK] - ok,
				st.rc[PKT_PARSE_L2] - l2,
				(st.pkts - n) - (st.rc[PKT_PARSE_OK] - ok) -
				(st.rc[PKT_PARSE_L2] - l2));
		}
	}
	fclose(tl);
	print_message("tcpdump: %lu captures, %lu packets, %lu truncated "
		"parses\n", st.files, st.pkts, st.truncated_parses);
	for (i = 0; i < PKT_PARSE_RC_MAX; i++)
		if (st.rc[i])
			print_message("  %-24s %lu\n",
				pkt_parse_rc_name((enum pkt_parse_rc)i),
				st.rc[i]);
	/* TESTLIST names 39 distinct captures (2449 packets, 2282 of them
	 * fuzzed ARP in arp-oobr.pcap). */
	assert_int_equal(st.files, 39);
	assert_int_equal(st.pkts, 2449);
	assert_true(st.rc[PKT_PARSE_OK] >= 130);
	assert_true(st.rc[PKT_PARSE_L2] >= 2000);
}

/* Read one capture, which must hold exactly want packets (at most 16), as
 * Ethernet frames. */
static unsigned int
read_capture(const char *name, uint8_t frames[][2048], uint32_t *lens,
	unsigned int want)
{
	char rel[512];
	struct pcap_pkthdr *h;
	const uint8_t *p;
	unsigned int n = 0;
	pcap_t *pc;

	snprintf(rel, sizeof(rel), "tcpdump/%s", name);
	pc = test_pcap_open(rel, false);
	while (n < 16 && pcap_next_ex(pc, &h, &p) == 1) {
		lens[n] = to_ether(pcap_datalink(pc), p, h->caplen, frames[n],
			2048);
		n++;
	}
	pcap_close(pc);
	assert_int_equal(n, want);
	return n;
}

/* What tcpdump prints for these captures (the .out files). */
static void
test_capture_expectations(void **state)
{
	static uint8_t fr[16][2048];
	static const uint8_t tpa[4] = { 172, 21, 79, 100 };
	static const char *const bad[] = {
		"ipv4_invalid_length.pcap", "ipv4_invalid_hdr_length.pcap",
		"ipv4_invalid_total_length.pcap",
		"ipv4_invalid_total_length_2.pcap",
		"ipv6_invalid_length.pcap", "ipv6_invalid_length_2.pcap",
		"ipv6hdr-heapoverflow.pcap", "ipv6-next-header-oobr-1.pcap",
		"ipv6-next-header-oobr-2.pcap", "ip6_frag_asan.pcap",
	};
	uint32_t len[16];
	unsigned int n, i;

	(void)state;
	/* vlan 200 / vlan 2001 / ARP who-has 172.21.79.100, then reply */
	n = read_capture("802.1ad_QinQ.pcap", fr, len, 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(parse_exact(fr[i], len[i], &m),
			PKT_PARSE_L2);
		assert_true(m.flags & PKT_F_QINQ);
		assert_true(m.flags & PKT_F_ARP);
		assert_int_equal(m.vlan_outer & 0xfff, 200);
		assert_int_equal(m.vlan_inner & 0xfff, 2001);
		assert_int_equal(m.ethertype, 0x0806);
		assert_int_equal(m.arp.op, i + 1);
	}
	assert_memory_equal(fr[0] + 6, m.arp.tha, 6);
	parse_exact(fr[0], len[0], &m);
	assert_memory_equal(m.arp.tpa, tpa, 4);

	/* VXLAN: outer IPv4 UDP to 4789 */
	n = read_capture("vxlan.pcap", fr, len, 10);
	for (i = 0; i < n; i++) {
		assert_int_equal(parse_exact(fr[i], len[i], &m), PKT_PARSE_OK);
		assert_int_equal(m.l4_proto, 17);
		assert_int_equal(m.dport, 4789);
	}

	/* DNS over TCP: 11 packets, one flow, port 53 on one side */
	n = read_capture("dns_tcp.pcap", fr, len, 11);
	for (i = 0; i < n; i++) {
		assert_int_equal(parse_exact(fr[i], len[i], &m), PKT_PARSE_OK);
		assert_int_equal(m.l4_proto, 6);
		assert_true(m.sport == 53 || m.dport == 53);
	}

	/* malformed captures: each single packet is dropped */
	for (i = 0; i < RTE_DIM(bad); i++) {
		n = read_capture(bad[i], fr, len, 1);
		if (!pkt_parse_is_drop(parse_exact(fr[0], len[0], &m)))
			fail_msg("%s not dropped", bad[i]);
	}
}

TEST_MAIN(
	cmocka_unit_test(test_layout),
	cmocka_unit_test(test_rc_names),
	cmocka_unit_test(test_ipv4_tcp),
	cmocka_unit_test(test_ipv4_udp),
	cmocka_unit_test(test_fast_path_mutations),
	cmocka_unit_test(test_vlan),
	cmocka_unit_test(test_l2),
	cmocka_unit_test(test_arp),
	cmocka_unit_test(test_ipv4_malformed),
	cmocka_unit_test(test_ipv4_options),
	cmocka_unit_test(test_ipv4_frag),
	cmocka_unit_test(test_tcp),
	cmocka_unit_test(test_icmp4),
	cmocka_unit_test(test_ipv6_basic),
	cmocka_unit_test(test_ipv6_ext),
	cmocka_unit_test(test_ipv6_frag),
	cmocka_unit_test(test_icmp6),
	cmocka_unit_test(test_nd),
	cmocka_unit_test(test_tcpdump_captures),
	cmocka_unit_test(test_capture_expectations))
