/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dns_snoop tests (no EAL): the parser on hand-built responses (CNAME
 * chains, compression, loops, bad names, every truncation) and on real
 * captures from the shared testdata, then the binding table: per-device
 * lookups, TTL floor and cap, expiry, refresh vs. new bindings (the
 * generation), eviction, the name limit, and readers racing a writer.
 * Every parse runs on an exactly-sized heap copy so ASan sees overreads.
 *
 * argv[1]: the shared testdata directory.
 */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "dns_snoop.h"
#include "pkt_parse.h"
#include "test_main.h"
#include "test_pcap.h"

/* read_udp: skip a capture libpcap cannot open instead of failing. */
static bool lenient;

#include "test_dns_common.h"

/* Parse an exact heap copy. */
static int
parse_exact(const uint8_t *b, size_t len, struct dns_parsed *p)
{
	uint8_t *c = malloc(len ? len : 1);
	int rc;

	assert_non_null(c);
	memcpy(c, b, len);
	rc = dns_parse(len ? c : NULL, len, p);
	free(c);
	return rc;
}

static struct dns_parsed pp;	/* big: not on the stack */
static struct msg m;		/* the message being built, 4 KiB too */

/* ---------- parser ---------- */

/* The i-th address parsed is the IPv4 a.b.c.d. */
static void
assert_v4(unsigned int i, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t want[4] = { a, b, c, d };

	assert_memory_equal(pp.addr[i].addr, want, 4);
}

static void
test_parse_simple(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	size_t q;

	(void)state;
	q = start(&m, "API.Example.COM", 2, 1);
	put_ptr(&m, q);
	rr_tail(&m, 1, 300, (const uint8_t[]){ 192, 0, 2, 10 }, 4);
	put_ptr(&m, q);
	rr_tail(&m, 28, 100, v6, 16);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_chain, 1);
	assert_string_equal(pp.chain[0], "api.example.com");
	assert_int_equal(pp.chain_len[0], 15);
	assert_int_equal(pp.n_addrs, 2);
	assert_int_equal(pp.addr[0].family, 4);
	assert_v4(0, 192, 0, 2, 10);
	assert_int_equal(pp.addr[0].ttl, 300);
	assert_int_equal(pp.addr[0].n_names, 1);
	assert_int_equal(pp.addr[0].name[0], 0);
	assert_int_equal(pp.addr[1].family, 6);
	assert_memory_equal(pp.addr[1].addr, v6, 16);
	assert_int_equal(pp.addr[1].ttl, 100);
	assert_int_equal(pp.unrelated, 0);

	/* A TTL with the top bit set counts as zero (RFC 2181). */
	q = start(&m, "x.example", 1, 1);
	rr_a(&m, "x.example", 0x80000001u, 1, 2, 3, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.addr[0].ttl, 0);
}

static void
test_parse_cname_chain(void **state)
{

	(void)state;
	start(&m, "a.example.com", 5, 1);
	/* Out of order: the parser follows the chain, not the order. */
	rr_a(&m, "C.edge.NET", 200, 10, 0, 0, 1);
	rr_cname(&m, "b.cdn.net", 500, "c.edge.net");
	rr_cname(&m, "a.example.com", 50, "b.cdn.net");
	rr_a(&m, "evil.example.org", 999, 6, 6, 6, 6);	/* off the chain */
	rr_a(&m, "b.cdn.net", 900, 10, 0, 0, 2);	/* owner mid-chain */
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_chain, 3);
	assert_string_equal(pp.chain[0], "a.example.com");
	assert_string_equal(pp.chain[1], "b.cdn.net");
	assert_string_equal(pp.chain[2], "c.edge.net");
	assert_int_equal(pp.n_addrs, 2);
	assert_int_equal(pp.unrelated, 1);
	/* 10.0.0.1: min(50, 500, 200); question, owner, then the middle. */
	assert_int_equal(pp.addr[0].addr[3], 1);
	assert_int_equal(pp.addr[0].ttl, 50);
	assert_int_equal(pp.addr[0].n_names, 3);
	assert_int_equal(pp.addr[0].name[0], 0);
	assert_int_equal(pp.addr[0].name[1], 2);
	assert_int_equal(pp.addr[0].name[2], 1);
	/* 10.0.0.2 is owned by b.cdn.net: min(50, 900). */
	assert_int_equal(pp.addr[1].addr[3], 2);
	assert_int_equal(pp.addr[1].ttl, 50);
	assert_int_equal(pp.addr[1].n_names, 2);
	assert_int_equal(pp.addr[1].name[1], 1);
}

static void
test_parse_long_chain_and_loop(void **state)
{
	char a[32], b[32];

	(void)state;
	/* n0 -> n1 -> ... -> n6, A on n6: 7 names, 4 kept. */
	start(&m, "n0.x", 7, 1);
	for (int i = 0; i < 6; i++) {
		snprintf(a, sizeof(a), "n%d.x", i);
		snprintf(b, sizeof(b), "n%d.x", i + 1);
		rr_cname(&m, a, 1000u - (uint32_t)i, b);
	}
	rr_a(&m, "n6.x", 2000, 1, 1, 1, 1);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_chain, 7);
	assert_int_equal(pp.n_addrs, 1);
	assert_int_equal(pp.addr[0].ttl, 995);
	assert_int_equal(pp.addr[0].n_names, DNS_BIND_NAMES);
	assert_int_equal(pp.addr[0].name[0], 0);
	assert_int_equal(pp.addr[0].name[1], 6);
	assert_int_equal(pp.addr[0].name[2], 1);
	assert_int_equal(pp.addr[0].name[3], 2);
	assert_int_equal(pp.dropped_names, 3);

	/* A longer chain than DNS_CHAIN_MAX stops there. */
	start(&m, "n0.x", 12, 1);
	for (int i = 0; i < 11; i++) {
		snprintf(a, sizeof(a), "n%d.x", i);
		snprintf(b, sizeof(b), "n%d.x", i + 1);
		rr_cname(&m, a, 60, b);
	}
	rr_a(&m, "n11.x", 60, 1, 1, 1, 1);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_chain, DNS_CHAIN_MAX);
	assert_int_equal(pp.n_addrs, 0);
	assert_int_equal(pp.unrelated, 11 - (DNS_CHAIN_MAX - 1) + 1);

	/* CNAME loop a -> b -> a: the walk ends, the A on b is kept. */
	start(&m, "a.loop", 3, 1);
	rr_cname(&m, "a.loop", 60, "b.loop");
	rr_cname(&m, "b.loop", 60, "a.loop");
	rr_a(&m, "b.loop", 60, 9, 9, 9, 9);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_chain, 2);
	assert_int_equal(pp.n_addrs, 1);
	assert_int_equal(pp.addr[0].n_names, 2);
}

static void
test_parse_compression(void **state)
{
	static const struct {
		uint8_t b[3];
		size_t n;
	} bad_qname[] = {
		{ { 0xc0, 12 }, 2 },
		{ { 0xc0, 14, 0 }, 3 },
		{ { 0x41, 0 }, 2 },
	};
	size_t q, at;

	(void)state;
	/* Owner "www" + pointer into the question's "example.com". */
	q = start(&m, "example.com", 1, 1);
	put_label(&m, "www");
	put_ptr(&m, q);
	rr_tail(&m, 1, 60, (const uint8_t[]){ 1, 2, 3, 4 }, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_addrs, 0);
	assert_int_equal(pp.unrelated, 1);

	/* A CNAME whose target is compressed against the owner. */
	q = start(&m, "www.example.com", 2, 1);
	put_ptr(&m, q);
	put16(&m, 5);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 6);
	put_label(&m, "cdn");
	put_ptr(&m, q + 4);		/* "example.com" */
	at = m.n - 6;
	put_ptr(&m, at);
	rr_tail(&m, 1, 30, (const uint8_t[]){ 5, 5, 5, 5 }, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_chain, 2);
	assert_string_equal(pp.chain[1], "cdn.example.com");
	assert_int_equal(pp.n_addrs, 1);
	assert_int_equal(pp.addr[0].ttl, 30);

	/* Question names that are none: a pointer to itself, one forwards,
	 * and the 0x40 / 0x80 label types. */
	for (size_t i = 0; i < sizeof(bad_qname) / sizeof(bad_qname[0]);
			i++) {
		hdr(&m, 0x8180, 1, 0);
		for (size_t k = 0; k < bad_qname[i].n; k++)
			put8(&m, bad_qname[i].b[k]);
		put16(&m, 1);	/* A, IN */
		put16(&m, 1);
		assert_int_equal(parse_exact(m.b, m.n, &pp), -EBADMSG);
	}
	/* Two pointers pointing at each other. */
	start(&m, "a.b", 1, 1);
	at = m.n;
	put_label(&m, "x");
	put_ptr(&m, at + 4);	/* -> the pointer below: forwards */
	put_ptr(&m, at);	/* -> back to "x" then forwards again */
	rr_tail(&m, 1, 1, (const uint8_t[]){ 1, 1, 1, 1 }, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), -EBADMSG);
	/* Backwards pointers that loop through a label: label at L, then
	 * a pointer back to L from after it. */
	start(&m, "a.b", 1, 1);
	at = m.n;
	put_label(&m, "y");
	put_ptr(&m, at);
	rr_tail(&m, 1, 1, (const uint8_t[]){ 1, 1, 1, 1 }, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), -EBADMSG);
}

static void
test_parse_not_learnable(void **state)
{
	char big[400];

	(void)state;
	start(&m, "a.example", 1, 1);
	rr_a(&m, "a.example", 60, 1, 2, 3, 4);
	m.b[2] = 0x01;				/* QR clear: a query */
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENOMSG);
	m.b[2] = 0x81;
	m.b[3] = 0x83;				/* NXDOMAIN */
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENOMSG);
	m.b[3] = 0x80;
	m.b[2] = 0x81 | (4 << 3);		/* opcode NOTIFY */
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENOMSG);
	m.b[2] = 0x81;
	m.b[5] = 2;				/* two questions */
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENOMSG);
	m.b[5] = 0;
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENOMSG);
	m.b[5] = 1;
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_addrs, 1);
	/* The root as question. */
	start(&m, "", 0, 1);
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENOMSG);

	/* A question name of 4 * 63 + 3 = 255 > 253 characters. */
	memset(big, 'a', sizeof(big));
	for (int i = 63; i < 255; i += 64)
		big[i] = '.';
	big[255] = '\0';
	start(&m, big, 0, 1);
	assert_int_equal(parse_exact(m.b, m.n, &pp), -ENAMETOOLONG);
	assert_int_equal(pp.too_long, 1);
	/* 253 is fine. */
	big[253] = '\0';
	start(&m, big, 1, 1);
	rr_a(&m, big, 60, 1, 2, 3, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.chain_len[0], 253);
	assert_int_equal(pp.n_addrs, 1);
	/* Too long as an answer owner only: skipped, counted. */
	big[253] = 'a';
	big[255] = '\0';
	start(&m, "a.example", 1, 1);
	rr_a(&m, big, 60, 1, 2, 3, 4);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_addrs, 0);
	assert_int_equal(pp.too_long, 1);

	/* A dot, a space or a NUL inside a label. */
	static const char bad[] = { '.', ' ', 0, 0x7f, (char)0xc3 };

	for (size_t i = 0; i < sizeof(bad); i++) {
		start(&m, "ab.example", 0, 1);
		m.b[13] = (uint8_t)bad[i];
		assert_int_equal(parse_exact(m.b, m.n, &pp), -EBADMSG);
	}
	/* A record with a wrong rdata length. */
	start(&m, "a.example", 1, 1);
	put_name(&m, "a.example");
	rr_tail(&m, 1, 60, (const uint8_t[]){ 1, 2, 3, 4, 5 }, 5);
	assert_int_equal(parse_exact(m.b, m.n, &pp), -EBADMSG);
}

/*
 * m: a.example.com, a CNAME to target, target's A 1.2.3.4 and, named by a
 * pointer, 1.2.3.5; an answers in the header (3, or more for records the
 * caller adds). Returns the question name's offset.
 */
static size_t
cname_two_a(const char *target, uint16_t an)
{
	size_t q = start(&m, "a.example.com", an, 1);

	rr_cname(&m, "a.example.com", 60, target);
	rr_a(&m, target, 60, 1, 2, 3, 4);
	put_ptr(&m, q);
	rr_tail(&m, 1, 60, (const uint8_t[]){ 1, 2, 3, 5 }, 4);
	return q;
}

/* Every prefix of a valid response is malformed, never a read past it. */
static void
test_parse_truncated(void **state)
{
	size_t q;

	(void)state;
	q = cname_two_a("b.cdn.example.net", 4);
	put_ptr(&m, q);
	rr_tail(&m, 28, 60, (const uint8_t[16]){ 0x20, 1 }, 16);
	assert_int_equal(parse_exact(m.b, m.n, &pp), 0);
	assert_int_equal(pp.n_addrs, 3);
	for (size_t l = 0; l < m.n; l++)
		assert_int_equal(parse_exact(m.b, l, &pp), -EBADMSG);
}

/* Flip every byte of a response to every value: no crash, no overread
 * (ASan), and a result that is one of the documented codes. */
static void
test_parse_mutated(void **state)
{
	unsigned int ok = 0;

	(void)state;
	cname_two_a("b.example.net", 3);
	for (size_t i = 0; i < m.n; i++) {
		uint8_t save = m.b[i];

		for (unsigned int v = 0; v < 256; v++) {
			int rc;

			m.b[i] = (uint8_t)v;
			rc = parse_exact(m.b, m.n, &pp);
			assert_true(rc == 0 || rc == -EBADMSG ||
				    rc == -ENOMSG || rc == -ENAMETOOLONG);
			if (rc == 0) {
				ok++;
				assert_true(pp.n_addrs <= 2);
				assert_true(pp.n_chain >= 1 &&
					    pp.n_chain <= DNS_CHAIN_MAX);
			}
		}
		m.b[i] = save;
	}
	assert_true(ok > m.n);	/* e.g. every TTL and address byte */
}

/* ---------- captures ---------- */

struct cap_msg {
	uint8_t b[2048];
	size_t len;
	uint16_t sport;
};

/* The UDP payloads of an Ethernet capture; returns how many. */
static unsigned int
read_udp(const char *rel, struct cap_msg *out, unsigned int max)
{
	pcap_t *pc = test_pcap_open(rel, lenient);
	struct pcap_pkthdr *h;
	const uint8_t *p;
	unsigned int n = 0;

	if (pc == NULL)
		return 0;
	if (pcap_datalink(pc) != DLT_EN10MB) {
		pcap_close(pc);
		return 0;
	}
	while (n < max && pcap_next_ex(pc, &h, &p) == 1) {
		struct pkt_meta pm;
		uint32_t end;

		if (pkt_parse(p, h->caplen, &pm) != PKT_PARSE_OK ||
		    pm.l4_proto != 17 || pm.payload_off == 0)
			continue;
		end = (uint32_t)pm.l3_off + pm.l3_len;
		if (end > h->caplen)
			end = h->caplen;
		if (end < pm.payload_off || end - pm.payload_off >
		    sizeof(out[n].b))
			continue;
		out[n].len = end - pm.payload_off;
		out[n].sport = pm.sport;
		memcpy(out[n].b, p + pm.payload_off, out[n].len);
		n++;
	}
	pcap_close(pc);
	return n;
}

static struct cap_msg caps[512];

static void
test_capture_tcpdump_org(void **state)
{
	unsigned int n;

	(void)state;
	/* tcpdump's dns_udp: www.tcpdump.org A 192.139.46.66,
	 * 198.199.88.104 (TTL 60), NS and glue in the other sections. */
	n = read_udp("tcpdump/dns_udp.pcap", caps, 512);
	assert_int_equal(n, 2);
	assert_int_equal(parse_exact(caps[0].b, caps[0].len, &pp), -ENOMSG);
	assert_int_equal(caps[1].sport, 53);
	assert_int_equal(parse_exact(caps[1].b, caps[1].len, &pp), 0);
	assert_string_equal(pp.chain[0], "www.tcpdump.org");
	assert_int_equal(pp.n_addrs, 2);
	assert_v4(0, 192, 139, 46, 66);
	assert_v4(1, 198, 199, 88, 104);
	assert_int_equal(pp.addr[0].ttl, 60);
	assert_int_equal(pp.addr[1].ttl, 60);
	/* Cut anywhere up to the end of the answers: malformed; later
	 * (authority, additional) the answers are all there. */
	for (size_t l = 0; l < caps[1].len; l++) {
		int rc = parse_exact(caps[1].b, l, &pp);

		if (l < 12 + 21 + 2 * 16)
			assert_int_equal(rc, -EBADMSG);
		else
			assert_true(rc == -EBADMSG ||
				    (rc == 0 && pp.n_addrs == 2));
	}

	/* dns_udp_2: the same answer captured with a 98-byte snaplen (the
	 * packet parser refuses it; cut the UDP payload out by hand). */
	pcap_t *pc = test_pcap_open("tcpdump/dns_udp_2.pcap", false);
	struct pcap_pkthdr *h;
	const uint8_t *p;

	assert_int_equal(pcap_next_ex(pc, &h, &p), 1);
	assert_int_equal(pcap_next_ex(pc, &h, &p), 1);
	assert_int_equal(h->caplen, 98);
	assert_int_equal(p[12 + 2 + 9], 17);		/* UDP */
	assert_int_equal(p[14 + 20], 0);		/* sport 53 */
	assert_int_equal(p[14 + 21], 53);
	assert_int_equal(parse_exact(p + 42, h->caplen - 42, &pp), -EBADMSG);
	pcap_close(pc);
}

static void
test_capture_suricata_cname(void **state)
{
	unsigned int n, i, seen = 0;

	(void)state;
	/* static.programme-tv.net CNAME programme-tv.net.edgesuite.net (630)
	 * CNAME a1859.g.akamai.net (20432) A 90.84.55.48, 90.84.55.64 (14);
	 * then the AAAA question: the same chain, no address. */
	n = read_udp("suricata-verify/dns-udp-z-flag-fp/"
		     "suricatafpdnsdecoder.pcap", caps, 512);
	for (i = 0; i < n; i++) {
		if (caps[i].sport != 53)
			continue;
		assert_int_equal(parse_exact(caps[i].b, caps[i].len, &pp), 0);
		assert_string_equal(pp.chain[0], "static.programme-tv.net");
		assert_int_equal(pp.n_chain, 3);
		assert_string_equal(pp.chain[1],
				    "programme-tv.net.edgesuite.net");
		assert_string_equal(pp.chain[2], "a1859.g.akamai.net");
		if (seen++ == 0) {
			assert_int_equal(pp.n_addrs, 2);
			assert_v4(0, 90, 84, 55, 48);
			assert_v4(1, 90, 84, 55, 64);
			assert_int_equal(pp.addr[0].ttl, 14);
			assert_int_equal(pp.addr[0].n_names, 3);
		} else {
			assert_int_equal(pp.n_addrs, 0);
		}
	}
	assert_int_equal(seen, 2);

	/* Mixed case in the question: "catenacyber.Fr", TTL 3362. */
	n = read_udp("suricata-verify/dns-udp-junkrequest-first/input.pcap",
		     caps, 512);
	for (i = 0, seen = 0; i < n; i++) {
		if (caps[i].sport != 53 ||
		    parse_exact(caps[i].b, caps[i].len, &pp) != 0)
			continue;
		seen++;
		assert_string_equal(pp.chain[0], "catenacyber.fr");
		assert_int_equal(pp.n_addrs, 1);
		assert_int_equal(pp.addr[0].ttl, 3362);
	}
	assert_int_equal(seen, 1);
}

/* Every UDP payload of every capture, whole and at every length. */
static void
test_capture_all(void **state)
{
	static const char *dirs[] = { "tcpdump", "suricata-verify" };
	unsigned int files = 0, msgs = 0, parsed = 0;
	char cmd[4200], line[4096];
	FILE *ls;

	(void)state;
	lenient = true;
	for (size_t d = 0; d < 2; d++) {
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && ls %s/*.pcap %s/*/*.pcap 2>/dev/null",
			 test_data_dir, dirs[d], dirs[d]);
		ls = popen(cmd, "r");
		assert_non_null(ls);
		while (fgets(line, sizeof(line), ls) != NULL) {
			unsigned int n;

			line[strcspn(line, "\n")] = '\0';
			n = read_udp(line, caps, 512);
			files++;
			for (unsigned int i = 0; i < n; i++) {
				msgs++;
				parsed += parse_exact(caps[i].b, caps[i].len,
						      &pp) == 0;
				for (size_t l = 0; l < caps[i].len; l++)
					parse_exact(caps[i].b, l, &pp);
			}
		}
		pclose(ls);
	}
	lenient = false;
	print_message("%u captures, %u UDP payloads, %u parsed as "
		      "responses\n", files, msgs, parsed);
	assert_true(files >= 40);
	assert_true(msgs > 100);
	assert_true(parsed >= 4);
}

/* ---------- table ---------- */

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0xb };

struct got {
	unsigned int n;
	char names[8][DNS_NAME_MAX + 1];
};

static void
got_cb(void *arg, const char *name, uint32_t len)
{
	struct got *g = arg;

	assert_int_equal(strlen(name), len);
	if (g->n < 8)
		snprintf(g->names[g->n], sizeof(g->names[0]), "%s", name);
	g->n++;
}

static unsigned int
lookup4(struct dns_table *t, const uint8_t mac[6], uint16_t vlan,
	uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint32_t now,
	struct got *g)
{
	const uint8_t ip[4] = { a, b, c, d };
	unsigned int n;

	memset(g, 0, sizeof(*g));
	n = dns_table_lookup(t, mac, vlan, 4, ip, now, got_cb, g);
	assert_int_equal(n, g->n);
	return n;
}

static int
snoop_msg(struct dns_table *t, const uint8_t mac[6], uint16_t vlan,
	  const struct msg *msg, uint32_t now, dns_relevant_fn fn)
{
	return dns_snoop(t, mac, vlan, msg->b, msg->n, now, fn, NULL);
}

static struct dns_table *
mk_table(uint32_t capacity, uint32_t ttl_floor_s)
{
	struct dns_table_params prm = { .capacity = capacity,
		.ttl_floor_s = ttl_floor_s };
	struct dns_table *t = dns_table_create(&prm);

	assert_non_null(t);
	return t;
}

static bool
only_example(void *arg, const char *name, uint32_t len)
{
	(void)arg;
	return len >= 8 && memcmp(name + len - 8, ".example", 8) == 0;
}

/* Each response handed over counted once: parsed, malformed or ignored. */
static void
assert_responses(const struct dns_stats *st, uint64_t parsed,
	uint64_t malformed, uint64_t ignored)
{
	assert_int_equal(st->parsed, parsed);
	assert_int_equal(st->malformed, malformed);
	assert_int_equal(st->ignored, ignored);
	assert_int_equal(st->responses, parsed + malformed + ignored);
}

static void
test_table_basic(void **state)
{
	struct dns_table *t = mk_table(1024, 60);
	struct dns_stats st;
	struct got g;
	uint32_t gen;

	(void)state;
	assert_non_null(t);
	start(&m, "API.example", 2, 1);
	rr_a(&m, "api.example", 5, 192, 0, 2, 1);	/* floored to 60 */
	put_name(&m, "api.example");
	rr_tail(&m, 28, 7200, (const uint8_t[16]){ 0x20, 0x01, [15] = 1 },
		16);
	gen = dns_table_gen(t);
	assert_int_equal(snoop_msg(t, mac_a, 0, &m, 1000, only_example), 0);
	assert_int_equal(dns_table_gen(t), gen + 1);

	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1000, &g), 1);
	assert_string_equal(g.names[0], "api.example");
	/* Another device, another VLAN, another address: nothing. */
	assert_int_equal(lookup4(t, mac_b, 0, 192, 0, 2, 1, 1000, &g), 0);
	assert_int_equal(lookup4(t, mac_a, 7, 192, 0, 2, 1, 1000, &g), 0);
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 2, 1000, &g), 0);
	/* The IPv6 one, under its own family. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(dns_table_lookup(t, mac_a, 0, 6,
		(const uint8_t[16]){ 0x20, 0x01, [15] = 1 }, 1000, got_cb, &g),
		1);
	assert_int_equal(dns_table_lookup(t, mac_a, 0, 4,
		(const uint8_t[16]){ 0x20, 0x01, [15] = 1 }, 1000, got_cb, &g),
		0);
	/* TTL floor: 5 s became 60. */
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1059, &g), 1);
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1060, &g), 0);

	/* The same answer again: a refresh, no new generation. */
	gen = dns_table_gen(t);
	assert_int_equal(snoop_msg(t, mac_a, 0, &m, 1050, only_example), 0);
	assert_int_equal(dns_table_gen(t), gen);
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1109, &g), 1);
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1110, &g), 0);
	/* After expiry, the same name is new again. */
	assert_int_equal(snoop_msg(t, mac_a, 0, &m, 1200, only_example), 0);
	assert_int_equal(dns_table_gen(t), gen + 1);
	/* A name the policy does not care about: no new generation. */
	gen = dns_table_gen(t);
	start(&m, "other.test", 1, 1);
	rr_a(&m, "other.test", 600, 192, 0, 2, 1);
	assert_int_equal(snoop_msg(t, mac_a, 0, &m, 1200, only_example), 0);
	assert_int_equal(dns_table_gen(t), gen);
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1201, &g), 2);
	/* api.example expires at 1260, other.test stays to 1800. */
	assert_int_equal(lookup4(t, mac_a, 0, 192, 0, 2, 1, 1300, &g), 1);
	assert_string_equal(g.names[0], "other.test");

	/* The TTL cap. */
	start(&m, "long.example", 1, 1);
	rr_a(&m, "long.example", 0x7fffffff, 10, 1, 1, 1);
	assert_int_equal(snoop_msg(t, mac_b, 3, &m, 1000, NULL), 0);
	assert_int_equal(lookup4(t, mac_b, 3, 10, 1, 1, 1,
				 1000 + DNS_TTL_MAX - 1, &g), 1);
	assert_int_equal(lookup4(t, mac_b, 3, 10, 1, 1, 1,
				 1000 + DNS_TTL_MAX, &g), 0);

	/* Counters. */
	start(&m, "x.example", 1, 1);
	rr_a(&m, "x.example", 60, 1, 2, 3, 4);
	assert_int_equal(dns_snoop(t, mac_a, 0, m.b, m.n - 1, 1000, NULL,
				   NULL), -EBADMSG);
	m.b[3] = 0x83;
	assert_int_equal(snoop_msg(t, mac_a, 0, &m, 1000, NULL), -ENOMSG);
	dns_table_stats(t, &st);
	assert_responses(&st, 5, 1, 1);
	/* v4, v6, long; the expired v4 slot was found again, not made. */
	assert_int_equal(st.bindings_created, 3);
	assert_int_equal(st.names_bound, 5);
	/* v4 and v6 at 1050, v6 (TTL 7200) again at 1200. */
	assert_int_equal(st.refreshed, 3);
	assert_int_equal(st.evicted + st.expired, 0);
	assert_int_equal(st.capacity, 1024);
	assert_int_equal(st.name_capacity, 512);
	assert_int_equal(st.ttl_floor_s, 60);
	dns_table_free(t);
}

static void
test_table_many_names(void **state)
{
	struct dns_table *t = mk_table(64, 0);
	struct dns_stats st;
	struct got g;
	char name[32];

	(void)state;
	/* Five names for one address: the four newest stay. */
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "n%d.example", i);
		start(&m, name, 1, 1);
		rr_a(&m, name, 100u + (uint32_t)i, 10, 0, 0, 1);
		assert_int_equal(snoop_msg(t, mac_a, 0, &m, 10, NULL), 0);
	}
	assert_int_equal(lookup4(t, mac_a, 0, 10, 0, 0, 1, 10, &g), 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_string_not_equal(g.names[i], "n0.example");
	dns_table_stats(t, &st);
	assert_int_equal(st.names_dropped, 1);
	assert_int_equal(st.names_bound, 5);
	assert_int_equal(st.bindings_created, 1);
	assert_int_equal(dns_table_gen(t), 5);
	dns_table_free(t);
}

static void
test_table_eviction(void **state)
{
	struct dns_table *t = mk_table(64, 0);
	struct dns_stats st;
	struct got g;
	unsigned int live = 0;

	(void)state;
	/* 1000 addresses into 64 slots, TTL rising: the newest survive. */
	for (unsigned int i = 0; i < 1000; i++) {
		start(&m, "many.example", 1, 1);
		rr_a(&m, "many.example", 100 + i, 10, 1, (uint8_t)(i >> 8),
		     (uint8_t)i);
		assert_int_equal(snoop_msg(t, mac_a, 0, &m, 10, NULL), 0);
	}
	dns_table_stats(t, &st);
	assert_int_equal(st.bindings_created, 1000);
	assert_int_equal(st.evicted, 1000 - 64);
	assert_int_equal(st.expired, 0);
	for (unsigned int i = 0; i < 1000; i++)
		live += lookup4(t, mac_a, 0, 10, 1, (uint8_t)(i >> 8),
				(uint8_t)i, 11, &g);
	assert_int_equal(live, 64);
	assert_int_equal(lookup4(t, mac_a, 0, 10, 1, 999 >> 8, 999 & 0xff, 11,
				 &g), 1);
	assert_int_equal(lookup4(t, mac_a, 0, 10, 1, 0, 0, 11, &g), 0);
	/* Long after: reusing slots counts expiries, not evictions. */
	start(&m, "late.example", 1, 1);
	rr_a(&m, "late.example", 10, 10, 9, 9, 9);
	assert_int_equal(snoop_msg(t, mac_a, 0, &m, 5000, NULL), 0);
	dns_table_stats(t, &st);
	assert_int_equal(st.evicted, 1000 - 64);
	assert_int_equal(st.expired, 1);
	assert_int_equal(lookup4(t, mac_a, 0, 10, 9, 9, 9, 5001, &g), 1);
	assert_string_equal(g.names[0], "late.example");

	/* Many distinct names: the name table (32 here) recycles slots,
	 * and a binding whose name slot moved on loses that name. */
	for (unsigned int i = 0; i < 200; i++) {
		char name[32];

		snprintf(name, sizeof(name), "h%u.example", i);
		start(&m, name, 1, 1);
		rr_a(&m, name, 1000 + i, 10, 2, 0, (uint8_t)i);
		assert_int_equal(snoop_msg(t, mac_b, 0, &m, 6000, NULL), 0);
	}
	dns_table_stats(t, &st);
	assert_true(st.name_evicted >= 200 - 32);
	assert_int_equal(lookup4(t, mac_b, 0, 10, 2, 0, 199, 6001, &g), 1);
	assert_string_equal(g.names[0], "h199.example");
	live = 0;
	for (unsigned int i = 0; i < 200; i++)
		live += lookup4(t, mac_b, 0, 10, 2, 0, (uint8_t)i, 6001, &g);
	assert_true(live <= 32);
	dns_table_free(t);
}

/* ---------- readers racing a writer ---------- */

struct race {
	struct dns_table *t;
	volatile int stop;
	unsigned long hits;
	unsigned long bad;
};

static void
race_cb(void *arg, const char *name, uint32_t len)
{
	struct race *r = arg;

	/* Only ever a whole name the writer wrote. */
	if (len < 10 || memcmp(name, "r", 1) != 0 ||
	    memcmp(name + len - 8, ".example", 8) != 0 ||
	    strlen(name) != len)
		r->bad++;
	r->hits++;
}

static void *
race_reader(void *arg)
{
	struct race *r = arg;

	while (!r->stop)
		for (unsigned int i = 0; i < 256; i++) {
			const uint8_t ip[4] = { 10, 3, 0, (uint8_t)i };

			dns_table_lookup(r->t, mac_a, 0, 4, ip, 100, race_cb,
					 r);
		}
	return NULL;
}

static void
test_table_race(void **state)
{
	struct race r = { .t = mk_table(64, 0) };
	pthread_t th;

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, race_reader, &r), 0);
	for (unsigned int i = 0; i < 20000; i++) {
		char name[64];

		snprintf(name, sizeof(name), "r%u-%s.example", i,
			 (i & 1) ? "long-long-long-long-label" : "s");
		start(&m, name, 1, 1);
		rr_a(&m, name, 1000, 10, 3, 0, (uint8_t)(i * 7));
		assert_int_equal(snoop_msg(r.t, mac_a, 0, &m, 50, NULL), 0);
	}
	r.stop = 1;
	pthread_join(th, NULL);
	print_message("%lu names read during writes\n", r.hits);
	assert_int_equal(r.bad, 0);
	dns_table_free(r.t);
}

static void
test_normalise(void **state)
{
	char out[DNS_NAME_MAX + 1];
	char big[300];

	(void)state;
	assert_int_equal(dns_name_normalise("WWW.Example.COM.", 16, out), 15);
	assert_string_equal(out, "www.example.com");
	assert_int_equal(dns_name_normalise("*.Example.com", 13, out), 13);
	assert_string_equal(out, "*.example.com");
	assert_int_equal(dns_name_normalise(".", 1, out), -EINVAL);
	assert_int_equal(dns_name_normalise("", 0, out), -EINVAL);
	memset(big, 'a', sizeof(big));
	assert_int_equal(dns_name_normalise(big, 254, out), -ENAMETOOLONG);
	big[253] = '.';
	assert_int_equal(dns_name_normalise(big, 254, out), 253);
}

TEST_MAIN(
	cmocka_unit_test(test_parse_simple),
	cmocka_unit_test(test_parse_cname_chain),
	cmocka_unit_test(test_parse_long_chain_and_loop),
	cmocka_unit_test(test_parse_compression),
	cmocka_unit_test(test_parse_not_learnable),
	cmocka_unit_test(test_parse_truncated),
	cmocka_unit_test(test_parse_mutated),
	cmocka_unit_test(test_capture_tcpdump_org),
	cmocka_unit_test(test_capture_suricata_cname),
	cmocka_unit_test(test_capture_all),
	cmocka_unit_test(test_table_basic),
	cmocka_unit_test(test_table_many_names),
	cmocka_unit_test(test_table_eviction),
	cmocka_unit_test(test_table_race),
	cmocka_unit_test(test_normalise))
