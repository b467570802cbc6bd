/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dp_detect: the events the packet path hands to detection, from real
 * parsed frames and the real flow table; and that an established flow's
 * packets leave nothing.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp_detect.h"
#include "flow_hash.h"

#define MAXEV 64

static struct det_ev evs[MAXEV];
static int nev;

static void
sink(void *arg, const struct det_ev *ev)
{
	(void)arg;
	if (nev < MAXEV)
		evs[nev] = *ev;
	nev++;
}

static const uint8_t A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t C[6] = { 0x02, 0, 0, 0, 0, 0x0c };

struct world {
	struct flow_table *ft;
	struct device_table dev;
	struct dp_detect d;
	struct det_dnsmatch *dns;
	uint32_t now_ms;
	struct flow_entry *last;	/* the last packet's flow */
};

static uint8_t frame[256];

static uint32_t
eth_ip(const uint8_t *smac, const uint8_t *dmac, uint8_t s, uint8_t d,
       uint8_t proto, uint32_t l4len)
{
	memcpy(frame, dmac, 6);
	memcpy(frame + 6, smac, 6);
	frame[12] = 0x08;
	frame[13] = 0;
	memset(frame + 14, 0, 20);
	frame[14] = 0x45;
	frame[16] = (uint8_t)((20 + l4len) >> 8);
	frame[17] = (uint8_t)(20 + l4len);
	frame[22] = 64;
	frame[23] = proto;
	frame[26] = 10;
	frame[29] = s;
	frame[30] = 10;
	frame[33] = d;
	return 34;
}

static uint32_t
tcp(const uint8_t *smac, const uint8_t *dmac, uint8_t s, uint8_t d,
    uint16_t sp, uint16_t dp, uint8_t flags, uint32_t data)
{
	uint32_t o = eth_ip(smac, dmac, s, d, 6, 20 + data);

	memset(frame + o, 0, 20 + data);
	frame[o] = (uint8_t)(sp >> 8);
	frame[o + 1] = (uint8_t)sp;
	frame[o + 2] = (uint8_t)(dp >> 8);
	frame[o + 3] = (uint8_t)dp;
	frame[o + 12] = 0x50;
	frame[o + 13] = flags;
	return o + 20 + data;
}

static uint32_t
udp(const uint8_t *smac, const uint8_t *dmac, uint8_t s, uint8_t d,
    uint16_t sp, uint16_t dp, const uint8_t *pay, uint32_t plen)
{
	uint32_t o = eth_ip(smac, dmac, s, d, 17, 8 + plen);

	frame[o] = (uint8_t)(sp >> 8);
	frame[o + 1] = (uint8_t)sp;
	frame[o + 2] = (uint8_t)(dp >> 8);
	frame[o + 3] = (uint8_t)dp;
	frame[o + 4] = (uint8_t)((8 + plen) >> 8);
	frame[o + 5] = (uint8_t)(8 + plen);
	frame[o + 6] = frame[o + 7] = 0;
	memcpy(frame + o + 8, pay, plen);
	return o + 8 + plen;
}

/* What the worker does with an IP frame, then the glue; released: the
 * flow (if any) was re-checked at this packet under a policy that let its
 * initiator out of quarantine. */
static void
pkt_as(struct world *w, uint32_t len, bool released)
{
	struct pkt_meta pm;
	struct flow_key key;
	struct flow_entry *e;
	uint32_t h;
	uint8_t side;

	assert_int_equal(pkt_parse(frame, len, &pm), PKT_PARSE_OK);
	side = flow_key_from_meta(&key, &pm, 0);
	h = flow_hash_sym(&key);
	e = flow_lookup(w->ft, &key, h, w->now_ms);
	if (e == NULL) {
		e = flow_insert(w->ft, &key, h, side, pm.tcp_flags, w->now_ms);
		assert_non_null(e);
		e->dev[FLOW_DIR_ORIG] = device_get(&w->dev, pm.src_mac, 0, 0, 0);
		e->dev[FLOW_DIR_REPLY] = device_get(&w->dev, pm.dst_mac, 0, 0,
						    0);
		dp_detect_flow_created(e);
	} else if (released) {
		dp_detect_flow_released(e, &pm, side);
	}
	flow_update(e, side, len, pm.tcp_flags);
	dp_detect_ip(&w->d, &pm, frame, len, e, flow_dir(e, side), false,
		     (uint64_t)w->now_ms * 1000, w->now_ms);
	w->last = e;
	w->now_ms++;
}

static void
pkt(struct world *w, uint32_t len)
{
	pkt_as(w, len, false);
}

static void
end_cb(const struct flow_entry *e, enum flow_end_reason why, void *arg)
{
	struct world *w = arg;

	dp_detect_flow_end(&w->d, e, why, (uint64_t)w->now_ms * 1000,
			   w->now_ms);
}

static void
setup(struct world *w)
{
	struct flow_table_params p = { .capacity = 1024, .event_cb = end_cb,
		.event_arg = w };

	memset(w, 0, sizeof(*w));
	w->ft = flow_table_create(&p);
	assert_non_null(w->ft);
	assert_int_equal(device_table_init(&w->dev, 64, 300), 0);
	w->dns = det_dnsmatch_create(64, 1000);
	dp_detect_init(&w->d, &w->dev, w->dns, sink, NULL);
	w->now_ms = 100000;
	nev = 0;
}

static void
teardown(struct world *w)
{
	flow_table_free(w->ft);
	device_table_fini(&w->dev);
	det_dnsmatch_free(w->dns);
}

/* A opens an SSH connection to B, which answers with its banner. */
static void
ssh_open(struct world *w)
{
	pkt(w, tcp(A, B, 1, 2, 40000, 22, 0x02, 0));		/* SYN */
	pkt(w, tcp(B, A, 2, 1, 22, 40000, 0x12, 0));		/* SYN-ACK */
	pkt(w, tcp(A, B, 1, 2, 40000, 22, 0x10, 0));		/* ACK */
	pkt(w, tcp(B, A, 2, 1, 22, 40000, 0x18, 20));		/* banner */
}

static void
tcp_life(void **state)
{
	struct world w;

	(void)state;
	setup(&w);
	ssh_open(&w);
	assert_int_equal(nev, 3);
	assert_int_equal(evs[0].kind, DET_EV_FLOW_NEW);
	assert_memory_equal(evs[0].mac, A, 6);
	assert_int_equal(evs[0].dport, 22);
	assert_int_equal(evs[1].kind, DET_EV_ANSWERED);
	assert_memory_equal(evs[1].mac, A, 6);	/* about the initiator */
	assert_memory_equal(evs[1].peer_mac, B, 6);
	assert_int_equal(evs[2].kind, DET_EV_DATA);
	/* an established flow: 2060 packets, no event, no slow path but
	 * each side's 1024th packet (its rate milestone) */
	uint64_t slow = w.d.st.slow;

	for (int i = 0; i < 1030; i++) {
		pkt(&w, tcp(A, B, 1, 2, 40000, 22, 0x18, 100));
		pkt(&w, tcp(B, A, 2, 1, 22, 40000, 0x10, 0));
	}
	assert_int_equal(nev, 5);
	assert_int_equal(evs[3].kind, DET_EV_RATE);
	assert_int_equal(evs[3].pkts[0], 1024);
	assert_memory_equal(evs[3].mac, A, 6);
	assert_int_equal(evs[4].kind, DET_EV_RATE);
	assert_memory_equal(evs[4].mac, B, 6);
	assert_int_equal(w.d.st.slow - slow, 2);
	pkt(&w, tcp(A, B, 1, 2, 40000, 22, 0x11, 0));		/* FIN */
	pkt(&w, tcp(B, A, 2, 1, 22, 40000, 0x11, 0));
	assert_int_equal(nev, 6);
	assert_int_equal(evs[5].kind, DET_EV_CLOSED);
	flow_table_flush(w.ft);
	assert_int_equal(nev, 7);
	assert_int_equal(evs[6].kind, DET_EV_FLOW_END);
	assert_true(evs[6].flags & DET_EVF_DATA);
	assert_memory_equal(evs[6].mac, A, 6);
	teardown(&w);
}

/*
 * Past 4 G packets a side, where the count's low half (all the inline test
 * reads) wraps: the 2^32nd packet is a rate milestone though its low half
 * is 0, and 3 * 2^32 is none.
 */
static void
rate_past_4g(void **state)
{
	struct world w;
	unsigned int n0;

	(void)state;
	setup(&w);
	ssh_open(&w);
	pkt(&w, tcp(A, B, 1, 2, 40000, 22, 0x18, 100));
	n0 = nev;
	w.last->pkts_lo[FLOW_DIR_ORIG] = UINT32_MAX;
	pkt(&w, tcp(A, B, 1, 2, 40000, 22, 0x18, 100));
	assert_true(flow_pkts(w.last, FLOW_DIR_ORIG) == 1ull << 32);
	assert_int_equal(nev, n0 + 1);
	assert_int_equal(evs[n0].kind, DET_EV_RATE);
	assert_memory_equal(evs[n0].mac, A, 6);
	w.last->pkts_lo[FLOW_DIR_ORIG] = UINT32_MAX;
	flow_cold(w.last)->pkts_hi[FLOW_DIR_ORIG] = 2;
	pkt(&w, tcp(A, B, 1, 2, 40000, 22, 0x18, 100));
	assert_true(flow_pkts(w.last, FLOW_DIR_ORIG) == 3ull << 32);
	assert_int_equal(nev, n0 + 1);
	teardown(&w);
}

/*
 * A UDP flow to an amplifier's port (SSDP, 1900): every answer is an event
 * (about the answering device, then the asker), the asker's packets after
 * the first leave nothing and take no slow path. The same ports the other
 * way round (the asker's own port is 1900) watch nothing: no answer of it
 * is an amplifier's.
 */
static void
amp_watch(void **state)
{
	static const uint8_t q[] = "M-SEARCH * HTTP/1.1";
	static const uint8_t r[] = "HTTP/1.1 200 OK, and a long answer";
	struct world w;
	uint64_t slow;

	(void)state;
	setup(&w);
	pkt(&w, udp(A, B, 1, 2, 40000, 1900, q, sizeof(q)));
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].kind, DET_EV_FLOW_NEW);
	slow = w.d.st.slow;
	for (int i = 0; i < 5; i++)
		pkt(&w, udp(A, B, 1, 2, 40000, 1900, q, sizeof(q)));
	assert_int_equal(w.d.st.slow, slow);
	assert_int_equal(nev, 1);
	for (int i = 0; i < 3; i++)
		pkt(&w, udp(B, A, 2, 1, 1900, 40000, r, sizeof(r)));
	assert_int_equal(w.d.st.slow - slow, 3);
	/* ANSWERED, then two AMP_REPLY per answer */
	assert_int_equal(nev, 1 + 1 + 3 * 2);
	assert_int_equal(evs[1].kind, DET_EV_ANSWERED);
	for (int i = 2; i < nev; i++)
		assert_int_equal(evs[i].kind, DET_EV_AMP_REPLY);
	assert_memory_equal(evs[2].mac, B, 6);	/* the amplifier */
	assert_true(evs[2].flags & DET_EVF_INBOUND);
	assert_memory_equal(evs[3].mac, A, 6);	/* the asker */
	/* the asker's packets after the answers: still nothing */
	slow = w.d.st.slow;
	pkt(&w, udp(A, B, 1, 2, 40000, 1900, q, sizeof(q)));
	assert_int_equal(w.d.st.slow, slow);

	/* C asks from port 1900: answers to it are no amplifier's */
	nev = 0;
	pkt(&w, udp(C, B, 3, 2, 1900, 40001, q, sizeof(q)));
	pkt(&w, udp(B, C, 2, 3, 40001, 1900, r, sizeof(r)));
	slow = w.d.st.slow;
	pkt(&w, udp(B, C, 2, 3, 40001, 1900, r, sizeof(r)));
	pkt(&w, udp(C, B, 3, 2, 1900, 40001, q, sizeof(q)));
	assert_int_equal(w.d.st.slow, slow);
	assert_int_equal(nev, 2);	/* FLOW_NEW, ANSWERED */
	teardown(&w);
}

/* A scan's two probes from smac to B: a closed port (23, refused) and an
 * open one (80) scanned half-open; five events. */
static void
probe_two(struct world *w, const uint8_t *smac, uint16_t sport)
{
	pkt(w, tcp(smac, B, 1, 2, sport, 23, 0x02, 0));		/* refused */
	pkt(w, tcp(B, smac, 2, 1, 23, sport, 0x14, 0));
	pkt(w, tcp(smac, B, 1, 2, sport, 80, 0x02, 0));		/* half-open */
	pkt(w, tcp(B, smac, 2, 1, 80, sport, 0x12, 0));
	pkt(w, tcp(smac, B, 1, 2, sport, 80, 0x04, 0));
}

static void
probes(void **state)
{
	struct world w;

	(void)state;
	setup(&w);
	probe_two(&w, A, 40001);
	assert_int_equal(nev, 5);
	assert_int_equal(evs[1].kind, DET_EV_REJECTED);	/* closed port */
	assert_int_equal(evs[3].kind, DET_EV_ANSWERED);	/* open, half-open */
	assert_int_equal(evs[4].kind, DET_EV_ABORTED);
	/* the same SYN again: a retransmission */
	pkt(&w, tcp(A, B, 1, 2, 40002, 443, 0x02, 0));
	pkt(&w, tcp(A, B, 1, 2, 40002, 443, 0x02, 0));
	assert_int_equal(nev, 7);
	assert_int_equal(evs[6].kind, DET_EV_SYN);
	flow_table_flush(w.ft);
	/* unanswered: no DATA flag, no ANSWERED flag */
	for (int i = 7; i < nev && i < MAXEV; i++) {
		assert_int_equal(evs[i].kind, DET_EV_FLOW_END);
		if (evs[i].dport == 443)
			assert_int_equal(evs[i].flags &
					 (DET_EVF_DATA | DET_EVF_ANSWERED), 0);
	}
	teardown(&w);
}

/* A SYN on a tuple whose connection ended is a new attempt (a scanner that
 * keeps its source port, scanning again); its retransmission is not. */
static void
reopened(void **state)
{
	struct world w;

	(void)state;
	setup(&w);
	probe_two(&w, A, 41234);
	assert_int_equal(nev, 5);
	nev = 0;
	/* the same probes again, from another device on that address */
	pkt(&w, tcp(C, B, 1, 2, 41234, 23, 0x02, 0));
	pkt(&w, tcp(C, B, 1, 2, 41234, 23, 0x02, 0));		/* again */
	pkt(&w, tcp(B, C, 2, 1, 23, 41234, 0x14, 0));
	pkt(&w, tcp(C, B, 1, 2, 41234, 80, 0x02, 0));
	pkt(&w, tcp(B, C, 2, 1, 80, 41234, 0x12, 0));
	pkt(&w, tcp(C, B, 1, 2, 41234, 80, 0x04, 0));
	assert_int_equal(nev, 6);
	assert_int_equal(evs[0].kind, DET_EV_FLOW_NEW);
	assert_memory_equal(evs[0].mac, C, 6);
	assert_int_equal(evs[0].dport, 23);
	assert_int_equal(evs[1].kind, DET_EV_SYN);
	assert_int_equal(evs[2].kind, DET_EV_REJECTED);
	assert_memory_equal(evs[2].mac, C, 6);
	assert_int_equal(evs[3].kind, DET_EV_FLOW_NEW);
	assert_int_equal(evs[3].dport, 80);
	assert_int_equal(evs[4].kind, DET_EV_ANSWERED);
	assert_int_equal(evs[5].kind, DET_EV_ABORTED);
	/* an unanswered SYN sent again stays a retransmission */
	pkt(&w, tcp(A, B, 1, 2, 41235, 443, 0x02, 0));
	pkt(&w, tcp(A, B, 1, 2, 41235, 443, 0x02, 0));
	assert_int_equal(nev, 8);
	assert_int_equal(evs[7].kind, DET_EV_SYN);
	teardown(&w);
}

static void
icmp_error(void **state)
{
	struct world w;
	uint32_t o;

	(void)state;
	setup(&w);
	/* port unreachable from B about A's UDP probe to B:161 */
	o = eth_ip(B, A, 2, 1, 1, 8 + 28);
	memset(frame + o, 0, 36);
	frame[o] = 3;
	frame[o + 1] = 3;
	frame[o + 8] = 0x45;
	frame[o + 8 + 9] = 17;
	frame[o + 8 + 12] = 10;
	frame[o + 8 + 15] = 1;
	frame[o + 8 + 16] = 10;
	frame[o + 8 + 19] = 2;
	frame[o + 28] = 0x9c;	/* sport 40000 */
	frame[o + 29] = 0x40;
	frame[o + 31] = 161;
	pkt(&w, o + 36);
	assert_true(nev >= 2);
	assert_int_equal(evs[nev - 1].kind, DET_EV_REJECTED);
	assert_memory_equal(evs[nev - 1].mac, A, 6);
	assert_int_equal(evs[nev - 1].proto, 17);
	assert_int_equal(evs[nev - 1].dport, 161);
	assert_int_equal(evs[nev - 1].sport, 40000);
	assert_int_equal(evs[nev - 1].dst[15], 2);
	teardown(&w);
}

/* A query for x.com (id 0x1234), and an answer to it in a. */
static const uint8_t q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	1, 'x', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1 };

static void
answer_of(uint8_t a[sizeof(q)])
{
	memcpy(a, q, sizeof(q));
	a[2] = 0x81;
}

static void
forged_dns(void **state)
{
	uint8_t a[sizeof(q)];
	struct world w;
	int forged = 0;

	(void)state;
	setup(&w);
	answer_of(a);
	/* the matcher knows nothing in its first timeout (1 s here) */
	pkt(&w, udp(A, B, 1, 2, 5554, 53, q, sizeof(q)));
	w.now_ms += 2000;
	pkt(&w, udp(A, B, 1, 2, 5555, 53, q, sizeof(q)));
	pkt(&w, udp(B, A, 2, 1, 53, 5555, a, sizeof(a)));
	assert_int_equal(w.d.st.dns_forged, 0);
	a[1] = 0x35;		/* another id */
	pkt(&w, udp(B, A, 2, 1, 53, 5555, a, sizeof(a)));
	assert_int_equal(w.d.st.dns_forged, 1);
	for (int i = 0; i < nev && i < MAXEV; i++) {
		if (evs[i].kind != DET_EV_DNS_FORGED)
			continue;
		assert_memory_equal(evs[i].mac, A, 6);
		assert_int_equal(evs[i].dns_id, 0x1235);
		assert_int_equal(evs[i].dns_why, DET_DNS_UNMATCHED);
		forged++;
	}
	assert_int_equal(forged, 1);
	teardown(&w);

	/* Traffic for a while, then the first DNS query and a forged
	 * answer for it: the matcher's history starts with the traffic,
	 * not with the query (a forger racing a quiet network's first
	 * lookup is still caught). */
	setup(&w);
	answer_of(a);
	pkt(&w, tcp(A, B, 1, 2, 40000, 443, 0x02, 0));
	w.now_ms += 2000;	/* two timeouts later */
	pkt(&w, udp(A, B, 1, 2, 5555, 53, q, sizeof(q)));
	a[1] = 0x99;		/* a guessed id */
	pkt(&w, udp(B, A, 2, 1, 53, 5555, a, sizeof(a)));
	assert_int_equal(w.d.st.dns_forged, 1);
	forged = nev - 1;	/* the answer's events: forged, amplifier */
	while (forged > 0 && evs[forged].kind != DET_EV_DNS_FORGED)
		forged--;
	assert_int_equal(evs[forged].kind, DET_EV_DNS_FORGED);
	assert_int_equal(evs[forged].dns_why, DET_DNS_UNMATCHED);
	teardown(&w);
}

static void
arp(void **state)
{
	struct world w;
	struct pkt_meta pm;

	(void)state;
	setup(&w);
	memset(frame, 0xff, 6);
	memcpy(frame + 6, A, 6);
	frame[12] = 0x08;
	frame[13] = 0x06;
	memcpy(frame + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(frame + 22, A, 6);
	memcpy(frame + 28, "\x0a\x00\x00\x01", 4);
	memset(frame + 32, 0, 6);
	memcpy(frame + 38, "\x0a\x00\x00\x09", 4);
	assert_int_equal(pkt_parse(frame, 60, &pm), PKT_PARSE_L2);
	dp_detect_l2(&w.d, &pm, 1);
	assert_int_equal(nev, 1);
	assert_int_equal(evs[0].kind, DET_EV_ARP);
	assert_int_equal(evs[0].flags & DET_EVF_REPLY, 0);
	assert_int_equal(evs[0].dst[15], 9);
	teardown(&w);
}

/* Events of a kind since event i. */
static int
count_kind(int from, uint8_t kind)
{
	int n = 0;

	for (int i = from; i < nev && i < MAXEV; i++)
		n += evs[i].kind == kind;
	return n;
}

/*
 * A flood that reuses its tuples after a release (issue 13's hping3-udp):
 * the live entries' packets are new attempts again, once each, when the
 * initiator sends them; a flow's replies, and a TCP flow's packets but a
 * bare SYN, start nothing.
 */
static void
released(void **state)
{
	static const uint8_t pay[16] = { 1 };
	struct world w;
	int at;

	(void)state;
	setup(&w);
	pkt(&w, udp(A, B, 1, 2, 3000, 53, pay, sizeof(pay)));
	pkt(&w, udp(A, B, 1, 2, 3000, 53, pay, sizeof(pay)));
	assert_int_equal(count_kind(0, DET_EV_FLOW_NEW), 1);
	/* released; the flood comes back on the same tuple */
	at = nev;
	pkt_as(&w, udp(A, B, 1, 2, 3000, 53, pay, sizeof(pay)), true);
	assert_int_equal(count_kind(at, DET_EV_FLOW_NEW), 1);
	assert_memory_equal(evs[at].mac, A, 6);
	assert_int_equal(evs[at].dport, 53);
	pkt(&w, udp(A, B, 1, 2, 3000, 53, pay, sizeof(pay)));
	assert_int_equal(count_kind(at, DET_EV_FLOW_NEW), 1);
	/* the responder's packet starts nothing */
	at = nev;
	pkt_as(&w, udp(B, A, 2, 1, 53, 3000, pay, sizeof(pay)), true);
	assert_int_equal(count_kind(at, DET_EV_FLOW_NEW), 0);

	/* TCP: a SYN never answered, again after the release: a new
	 * attempt (the half-open count), not a retransmission */
	pkt(&w, tcp(A, B, 1, 2, 41000, 443, 0x02, 0));
	at = nev;
	pkt(&w, tcp(A, B, 1, 2, 41000, 443, 0x02, 0));
	assert_int_equal(count_kind(at, DET_EV_SYN), 1);
	assert_int_equal(count_kind(at, DET_EV_FLOW_NEW), 0);
	at = nev;
	pkt_as(&w, tcp(A, B, 1, 2, 41000, 443, 0x02, 0), true);
	assert_int_equal(count_kind(at, DET_EV_FLOW_NEW), 1);
	assert_int_equal(count_kind(at, DET_EV_SYN), 0);
	/* an established connection that resumes: nothing new */
	pkt(&w, tcp(A, B, 1, 2, 41001, 443, 0x02, 0));
	pkt(&w, tcp(B, A, 2, 1, 443, 41001, 0x12, 0));
	pkt(&w, tcp(A, B, 1, 2, 41001, 443, 0x18, 10));
	at = nev;
	pkt_as(&w, tcp(A, B, 1, 2, 41001, 443, 0x18, 10), true);
	pkt_as(&w, tcp(B, A, 2, 1, 443, 41001, 0x18, 10), true);
	assert_int_equal(count_kind(at, DET_EV_FLOW_NEW), 0);
	teardown(&w);
}

/* The entry of A's UDP flow from port sp to B:53. */
static struct flow_entry *
udp_entry(struct world *w, uint16_t sp, const uint8_t *pay, uint32_t plen)
{
	struct flow_key key;
	struct pkt_meta pm;

	assert_int_equal(pkt_parse(frame, udp(A, B, 1, 2, sp, 53, pay, plen),
				   &pm), PKT_PARSE_OK);
	flow_key_from_meta(&key, &pm, 0);
	return flow_lookup(w->ft, &key, flow_hash_sym(&key), w->now_ms);
}

/* Which re-checks let a flow's initiator out, for detection: a verdict
 * that held it and no longer does; or, not held now, an unanswered flow
 * begun before the device's last containment (the offence's first
 * attempts, which no quarantine verdict reached). */
static void
reused(void **state)
{
	static const uint8_t pay[16] = { 1 };
	struct flow_entry *before, *answered, *after;
	struct world w;
	uint64_t contained_us;

	(void)state;
	setup(&w);
	pkt(&w, udp(A, B, 1, 2, 3000, 53, pay, sizeof(pay)));
	pkt(&w, udp(A, B, 1, 2, 3001, 53, pay, sizeof(pay)));
	pkt(&w, udp(B, A, 2, 1, 53, 3001, pay, sizeof(pay)));
	w.now_ms += 10;
	contained_us = (uint64_t)w.now_ms * 1000;
	w.now_ms += 10;
	pkt(&w, udp(A, B, 1, 2, 3002, 53, pay, sizeof(pay)));
	before = udp_entry(&w, 3000, pay, sizeof(pay));
	answered = udp_entry(&w, 3001, pay, sizeof(pay));
	after = udp_entry(&w, 3002, pay, sizeof(pay));
	assert_non_null(before);
	assert_non_null(answered);
	assert_non_null(after);
	/* the verdict held it, and does not now: always */
	assert_true(dp_detect_flow_reused(after, true, false, contained_us));
	assert_true(dp_detect_flow_reused(answered, true, false, 0));
	/* held now: never */
	assert_false(dp_detect_flow_reused(before, true, true, contained_us));
	assert_false(dp_detect_flow_reused(before, false, true,
					   contained_us));
	/* begun before the containment, unanswered: yes */
	assert_true(dp_detect_flow_reused(before, false, false, contained_us));
	/* answered, begun after, or never contained: no */
	assert_false(dp_detect_flow_reused(answered, false, false,
					   contained_us));
	assert_false(dp_detect_flow_reused(after, false, false, contained_us));
	assert_false(dp_detect_flow_reused(before, false, false, 0));
	teardown(&w);
}

/* The worker's way: events written in place into slots (its ring's). */
static struct det_ev slots[MAXEV];
static int nslot, slot_cap;

static struct det_ev *
slot(void *arg)
{
	(void)arg;
	if (nslot >= slot_cap)
		return NULL;
	return &slots[nslot++];
}

static void
scenario(struct world *w)
{
	static const uint8_t ntp[48] = { 0x1b };

	pkt(w, tcp(A, B, 1, 2, 40000, 22, 0x02, 0));
	pkt(w, tcp(B, A, 2, 1, 22, 40000, 0x12, 0));
	pkt(w, tcp(A, B, 1, 2, 40000, 22, 0x10, 0));
	pkt(w, tcp(B, A, 2, 1, 22, 40000, 0x18, 20));
	pkt(w, tcp(A, B, 1, 2, 40001, 23, 0x02, 0));
	pkt(w, tcp(B, A, 2, 1, 23, 40001, 0x14, 0));
	pkt(w, udp(A, B, 1, 2, 40002, 123, ntp, sizeof(ntp)));
	pkt(w, udp(B, A, 2, 1, 123, 40002, ntp, sizeof(ntp)));
	flow_table_flush(w->ft);
}

/*
 * In place or through emit, the same events to the byte (the slots start
 * as garbage: every byte is written); with no room, the events are
 * counted, and nothing is written past the room there was.
 */
static void
in_place(void **state)
{
	struct world w;
	int n;

	(void)state;
	setup(&w);
	scenario(&w);
	n = nev;
	assert_true(n >= 8 && n <= MAXEV);
	teardown(&w);

	setup(&w);
	memset(slots, 0xa5, sizeof(slots));
	nslot = 0;
	slot_cap = MAXEV;
	dp_detect_set_slot(&w.d, slot, NULL);
	scenario(&w);
	assert_int_equal(nev, 0);
	assert_int_equal(nslot, n);
	assert_int_equal(w.d.st.events, n);
	assert_memory_equal(slots, evs, (size_t)n * sizeof(evs[0]));
	teardown(&w);

	setup(&w);
	memset(slots, 0xa5, sizeof(slots));
	nslot = 0;
	slot_cap = 3;
	dp_detect_set_slot(&w.d, slot, NULL);
	scenario(&w);
	assert_int_equal(nslot, 3);
	assert_int_equal(w.d.st.events, n);
	assert_memory_equal(slots, evs, 3 * sizeof(evs[0]));
	for (size_t i = 3 * sizeof(slots[0]); i < sizeof(slots); i++)
		assert_int_equal(((const uint8_t *)slots)[i], 0xa5);
	teardown(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_life),
		cmocka_unit_test(rate_past_4g),
		cmocka_unit_test(amp_watch),
		cmocka_unit_test(probes),
		cmocka_unit_test(reopened),
		cmocka_unit_test(released),
		cmocka_unit_test(reused),
		cmocka_unit_test(icmp_error),
		cmocka_unit_test(forged_dns),
		cmocka_unit_test(arp),
		cmocka_unit_test(in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
