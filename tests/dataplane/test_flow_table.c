/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * flow_table / flow_hash tests: symmetric hashing, both directions on one
 * entry, TCP/UDP state, per-class timeouts (lazy and sweep), eviction of
 * the oldest idle entry, pinning of entries seen "now", memory for 1 M
 * flows, and a 95% fill with bounded probes.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow_table.h"
#include "pkt_parse.h"
#include "test_main.h"
#include "test_rand.h"

static void
rnd_meta(struct pkt_meta *m, int v6, uint8_t proto)
{
	uint64_t a = test_rand(), b = test_rand(), c = test_rand(), d = test_rand();

	memset(m, 0, sizeof(*m));
	if (v6) {
		memcpy(m->src_addr, &a, 8);
		memcpy(m->src_addr + 8, &b, 8);
		memcpy(m->dst_addr, &c, 8);
		memcpy(m->dst_addr + 8, &d, 8);
		m->flags = PKT_F_IPV6 | PKT_F_L4;
	} else {
		m->src_addr[10] = m->src_addr[11] = 0xff;
		m->dst_addr[10] = m->dst_addr[11] = 0xff;
		memcpy(m->src_addr + 12, &a, 4);
		memcpy(m->dst_addr + 12, &c, 4);
		m->flags = PKT_F_IPV4 | PKT_F_L4;
	}
	m->sport = (uint16_t)d;
	m->dport = (uint16_t)(d >> 16);
	m->l4_proto = proto;
}

static void
reverse_meta(struct pkt_meta *r, const struct pkt_meta *m)
{
	*r = *m;
	memcpy(r->src_addr, m->dst_addr, 16);
	memcpy(r->dst_addr, m->src_addr, 16);
	r->sport = m->dport;
	r->dport = m->sport;
}

/* Key, hash and side of a packet and of its reply. */
struct pkt_pair {
	struct flow_key k;
	uint32_t h;
	uint8_t side;	/* of the forward packet */
};

static void
make_pair(struct pkt_pair *p, int v6, uint8_t proto)
{
	struct pkt_meta m;

	rnd_meta(&m, v6, proto);
	p->side = flow_key_from_meta(&p->k, &m, 7);
	p->h = flow_hash_sym(&p->k);
}

/*
 * Insert n random flows at time now (IPv4 and IPv6 in turn when mixed,
 * else all IPv6), each of which must go in; their keys and hashes in
 * keys[] and hashes[] when those are not NULL.
 */
static void
insert_random(struct flow_table *t, unsigned int n, bool mixed,
	uint8_t proto, uint32_t now, struct flow_key *keys, uint32_t *hashes)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct pkt_pair p;

		make_pair(&p, mixed ? (int)(i & 1) : 1, proto);
		assert_non_null(flow_insert(t, &p.k, p.h, p.side, 0, now));
		if (keys != NULL)
			keys[i] = p.k;
		if (hashes != NULL)
			hashes[i] = p.h;
	}
}

/* ---------- event callback ---------- */

struct events {
	unsigned int n[3];
	struct flow_key last_key;
	enum flow_end_reason last_reason;
	uint64_t last_pkts;
};

static void
on_event(const struct flow_entry *e, enum flow_end_reason r, void *arg)
{
	struct events *ev = arg;

	assert_true(e->tflags & FLOW_TF_IN_USE);
	ev->n[r]++;
	flow_entry_key(e, &ev->last_key);
	ev->last_reason = r;
	ev->last_pkts = flow_pkts(e, 0) + flow_pkts(e, 1);
}

/* The events of the table mk_table() made last, when asked for. */
static struct events ev;

static struct flow_table *
mk_table(uint32_t cap, bool events)
{
	struct flow_table_params p;
	struct flow_table *t;

	memset(&p, 0, sizeof(p));
	memset(&ev, 0, sizeof(ev));
	p.capacity = cap;
	p.event_cb = events ? on_event : NULL;
	p.event_arg = events ? &ev : NULL;
	t = flow_table_create(&p);
	assert_non_null(t);
	return t;
}

/* ---------- tests ---------- */

static void
test_layout_and_memory(void **state)
{
	size_t m1 = flow_table_mem_size(1u << 20);
	size_t m1m = flow_table_mem_size(1000000);

	(void)state;
	assert_int_equal(sizeof(struct flow_key), 40);
	assert_int_equal(sizeof(struct flow_entry), 64);
	assert_int_equal(sizeof(struct flow_cold), 64);
	assert_true(m1m <= 256u << 20);
	assert_true(m1 <= 256u << 20);
	/* two 64 B lines an entry + 4 B free slot + 64 B bucket per 4
	 * entries (+ 1 MiB of hints at most) */
	assert_true(m1m >= 1000000ull * (128 + 4 + 16));
	assert_int_equal(flow_table_mem_size(0), 0);
	assert_int_equal(flow_table_mem_size((1u << 30) + 1), 0);
	print_message("sizeof(flow_entry) %zu, mem(1000000) = %zu bytes "
		"(%.1f MiB), mem(2^20) = %.1f MiB\n",
		sizeof(struct flow_entry), m1m, m1m / 1048576.0,
		m1 / 1048576.0);
}

static void
test_symmetric_hash(void **state)
{
	unsigned int i, v6, same = 0;
	uint32_t prev = 0;

	(void)state;
	for (v6 = 0; v6 < 2; v6++) {
		for (i = 0; i < 100000; i++) {
			struct pkt_meta m, r;
			struct flow_key k1, k2;
			uint8_t s1, s2;

			rnd_meta(&m, (int)v6, i & 1 ? 6 : 17);
			if (i % 100 == 0)	/* same addresses, ports differ */
				memcpy(m.dst_addr, m.src_addr, 16);
			reverse_meta(&r, &m);
			s1 = flow_key_from_meta(&k1, &m, 42);
			s2 = flow_key_from_meta(&k2, &r, 42);
			assert_memory_equal(&k1, &k2, sizeof(k1));
			assert_int_equal(flow_hash_sym(&k1),
				flow_hash_sym(&k2));
			/* The worker's one-step form gives the same. */
			struct flow_key k3;
			uint32_t h3;

			assert_int_equal(flow_key_hash_from_meta(&k3, &h3, &r,
				42), s2);
			assert_memory_equal(&k3, &k1, sizeof(k1));
			assert_int_equal(h3, flow_hash_sym(&k1));
			if (m.sport != m.dport ||
					memcmp(m.src_addr, m.dst_addr, 16))
				assert_int_equal(s1 ^ s2, 1);
			assert_int_equal(k1.family, v6 ? 6 : 4);
			assert_int_equal(k1.vlan, 42);
			same += flow_hash_sym(&k1) == prev;
			prev = flow_hash_sym(&k1);
		}
	}
	assert_true(same < 5);
}

/* The flow hash written out (flow_hash.h): Thorup's multiply-shift over
 * the key's ten 32-bit halves, with the keys in force. */
static uint32_t
ref_hash(const struct flow_key *k)
{
	const uint64_t *a = flow_hash_keys.a;
	uint64_t w, s = a[0];

	for (unsigned int i = 0; i < 5; i++) {
		memcpy(&w, (const uint8_t *)k + 8 * i, 8);
		s += a[1 + 2 * i] * (w & 0xffffffffu) + a[2 + 2 * i] * (w >> 32);
	}
	return (uint32_t)(s >> 32);
}

#ifdef __SSE4_2__
/* CRC32-C of an IPv4 key's three varying words, from seed. */
static uint32_t
crc3(const struct flow_key *k, uint32_t seed)
{
	uint64_t w[3];

	memcpy(&w[0], k->addr[0] + 8, 8);
	memcpy(&w[1], k->addr[1] + 8, 8);
	memcpy(&w[2], k->port, 8);
	return (uint32_t)__builtin_ia32_crc32di(__builtin_ia32_crc32di(
		__builtin_ia32_crc32di(seed, w[0]), w[1]), w[2]);
}

/* The hash before (crc3() and murmur3's finaliser), to show the attack
 * the keyed hash stops. */
static uint32_t
crc_hash(const struct flow_key *k)
{
	return util_hash_fmix32(crc3(k, 0x9e3779b9u));
}

/*
 * A difference d in an IPv4 key's addresses and ports that CRC32-C maps
 * to 0: then crc(k ^ d) == crc(k) for every key k, whatever the seed.
 * Found as anyone who reads the code can: the 96 bits' images under the
 * CRC's linear part, eliminated until a combination of them is zero.
 */
static void
crc_kernel(struct flow_key *d)
{
	uint32_t img[96];
	uint8_t comb[96][12];	/* which bits each row combines */
	struct flow_key z;

	memset(comb, 0, sizeof(comb));
	memset(&z, 0, sizeof(z));
	for (unsigned int j = 0; j < 96; j++) {
		struct flow_key k = z;

		/* bits 32..63 of each word: the addresses, the ports */
		if (j < 32)
			k.addr[0][12 + j / 8] = (uint8_t)(1u << (j % 8));
		else if (j < 64)
			k.addr[1][12 + (j - 32) / 8] =
				(uint8_t)(1u << ((j - 32) % 8));
		else
			((uint8_t *)k.port)[(j - 64) / 8] =
				(uint8_t)(1u << ((j - 64) % 8));
		/* the linear part: the seed's share cancels */
		img[j] = crc3(&k, 1) ^ crc3(&z, 1);
		comb[j][j / 8] = (uint8_t)(1u << (j % 8));
	}
	/* Gaussian elimination over GF(2): 96 rows of 32 bits, so at most
	 * 32 pivots, and a row that is not one ends at zero. */
	bool pivot[96] = { false };

	for (unsigned int bit = 0; bit < 32; bit++) {
		unsigned int p = 0;

		while (p < 96 && (pivot[p] || !(img[p] >> bit & 1)))
			p++;
		if (p == 96)
			continue;
		pivot[p] = true;
		for (unsigned int q = 0; q < 96; q++) {
			if (q == p || !(img[q] >> bit & 1))
				continue;
			img[q] ^= img[p];
			for (unsigned int b = 0; b < 12; b++)
				comb[q][b] ^= comb[p][b];
		}
	}
	for (unsigned int q = 0; q < 96; q++) {
		if (pivot[q] || img[q] != 0)
			continue;
		memset(d, 0, sizeof(*d));
		memcpy(d->addr[0] + 12, comb[q], 4);
		memcpy(d->addr[1] + 12, comb[q] + 4, 4);
		memcpy(d->port, comb[q] + 8, 4);
		return;
	}
	fail_msg("no CRC kernel element");
}
#endif

/*
 * The flow hash is keyed: the worker's one-step form, flow_hash_sym() and
 * the formula agree under any keys (the IPv4 form's folded constants
 * included); flow_hash_seed() draws new ones; and a difference that makes
 * every key collide with another under the CRC hash it replaced (a device
 * opening a dozen such flows evicted a chosen flow of another) makes
 * none collide under it.
 */
static void
test_keyed_hash(void **state)
{
	uint64_t saved[11];
	uint32_t before[64];
	unsigned int changed = 0;

	(void)state;
	memcpy(saved, flow_hash_keys.a, sizeof(saved));
	for (unsigned int round = 0; round < 3; round++) {
		if (round > 0)
			assert_int_equal(flow_hash_seed(), 0);
		for (unsigned int i = 0; i < 20000; i++) {
			struct pkt_meta m;
			struct flow_key k;
			uint32_t h;

			rnd_meta(&m, (int)(i & 1), i & 2 ? 6 : 17);
			flow_key_hash_from_meta(&k, &h, &m, (uint16_t)i);
			assert_int_equal(h, flow_hash_sym(&k));
			assert_int_equal(h, ref_hash(&k));
			if (i < 64 && round == 0)
				before[i] = h;
			else if (i < 64)
				changed += before[i] != h;
		}
	}
	/* 128 hashes under other keys: all but a chance few differ. */
	assert_true(changed >= 126);

#ifdef __SSE4_2__
	struct flow_key d;
	unsigned int crc_same = 0, same = 0;

	crc_kernel(&d);
	for (unsigned int i = 0; i < 10000; i++) {
		struct pkt_meta m;
		struct flow_key k, k2;
		uint64_t w, x;

		rnd_meta(&m, 0, 6);
		flow_key_from_meta(&k, &m, 0);
		k2 = k;
		for (unsigned int o = 8; o < 40; o += 8) {
			memcpy(&w, (uint8_t *)&k2 + o, 8);
			memcpy(&x, (uint8_t *)&d + o, 8);
			w ^= x;
			memcpy((uint8_t *)&k2 + o, &w, 8);
		}
		assert_memory_not_equal(&k, &k2, sizeof(k));
		crc_same += crc_hash(&k) == crc_hash(&k2);
		same += flow_hash_sym(&k) == flow_hash_sym(&k2);
	}
	print_message("a CRC kernel difference: %u of 10000 keys collide "
		      "under the CRC hash, %u under the keyed one\n",
		      crc_same, same);
	assert_int_equal(crc_same, 10000);
	assert_true(same <= 2);
#endif
	flow_hash_set_keys(saved);
}

static void
test_worker_hash(void **state)
{
	unsigned int cnt[3] = { 0 }, i;

	(void)state;
	for (i = 0; i < 30000; i++) {
		struct pkt_pair p;
		uint32_t w;

		make_pair(&p, i & 1, 6);
		w = flow_hash_worker(p.h, 3);
		assert_true(w < 3);
		cnt[w]++;
	}
	for (i = 0; i < 3; i++)
		assert_true(cnt[i] > 9000 && cnt[i] < 11000);
	assert_int_equal(flow_hash_worker(0xffffffffu, 1), 0);
}

static void
test_bidirectional(void **state)
{
	struct flow_table *t = mk_table(1024, true);
	struct pkt_pair p;
	struct flow_entry *e, *e2;
	struct flow_table_stats st;

	(void)state;
	make_pair(&p, 0, 6);
	assert_null(flow_lookup(t, &p.k, p.h, 100));
	e = flow_insert(t, &p.k, p.h, p.side, FLOW_TCP_SYN, 100);
	assert_non_null(e);
	flow_set_verdict(e, 0x80000005u, 3);
	flow_update(e, p.side, 60, FLOW_TCP_SYN);
	assert_int_equal(e->init_side, p.side);
	assert_int_equal(e->state, FLOW_S_TCP_SYN_SENT);

	/* the reply: same key, the other side */
	e2 = flow_lookup(t, &p.k, p.h, 101);
	assert_ptr_equal(e, e2);
	flow_update(e2, p.side ^ 1, 1500, FLOW_TCP_SYN | FLOW_TCP_ACK);
	flow_update(e2, p.side ^ 1, 1000, FLOW_TCP_ACK);
	assert_int_equal(flow_pkts(e, FLOW_DIR_ORIG), 1);
	assert_int_equal(flow_bytes(e, FLOW_DIR_ORIG), 60);
	assert_int_equal(flow_pkts(e, FLOW_DIR_REPLY), 2);
	assert_int_equal(flow_bytes(e, FLOW_DIR_REPLY), 2500);
	assert_int_equal(e->verdict, 0x80000005u);
	assert_int_equal(e->epoch, 3);
	assert_int_equal(e->last_seen, 101);
	assert_int_equal(flow_cold(e)->created, 100);
	assert_int_equal(e->tcp_flags_seen[FLOW_DIR_REPLY],
		FLOW_TCP_SYN | FLOW_TCP_ACK);
	assert_int_equal(flow_table_count(t), 1);

	/* inserting again (a duplicate in a burst) finds the entry */
	assert_ptr_equal(flow_insert(t, &p.k, p.h, p.side ^ 1, 0, 102), e);
	assert_int_equal(flow_table_count(t), 1);

	flow_table_stats_read(t, &st);
	assert_int_equal(st.inserts, 1);
	assert_int_equal(st.lookups, 2);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.active, 1);

	flow_delete(t, e);
	assert_int_equal(ev.n[FLOW_END_DELETED], 1);
	assert_int_equal(ev.last_pkts, 3);
	assert_null(flow_lookup(t, &p.k, p.h, 103));
	assert_int_equal(flow_table_count(t), 0);
	flow_table_free(t);
}

/* Parsed frames give the same entry in both directions. */
static void
test_from_parsed_frames(void **state)
{
	static const uint8_t fwd[] = {
		2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0,
		192, 168, 1, 10, 192, 168, 1, 1,
		0x9c, 0x40, 0, 53, 0, 8, 0, 0 };
	uint8_t rev[sizeof(fwd)];
	struct flow_table *t = mk_table(64, false);
	struct pkt_meta m1, m2;
	struct flow_key k1, k2;
	struct flow_entry *e;
	uint8_t s1, s2;

	(void)state;
	memcpy(rev, fwd, sizeof(fwd));
	memcpy(rev + 26, fwd + 30, 4);
	memcpy(rev + 30, fwd + 26, 4);
	memcpy(rev + 34, fwd + 36, 2);
	memcpy(rev + 36, fwd + 34, 2);
	assert_int_equal(pkt_parse(fwd, sizeof(fwd), &m1), PKT_PARSE_OK);
	assert_int_equal(pkt_parse(rev, sizeof(rev), &m2), PKT_PARSE_OK);
	s1 = flow_key_from_meta(&k1, &m1, m1.vlan_outer & 0xfff);
	s2 = flow_key_from_meta(&k2, &m2, m2.vlan_outer & 0xfff);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	assert_int_equal(s1 ^ s2, 1);
	e = flow_insert(t, &k1, flow_hash_sym(&k1), s1, 0, 5);
	assert_non_null(e);
	assert_int_equal(e->state, FLOW_S_UDP_UNREPLIED);
	flow_update(e, s1, 28, 0);
	assert_int_equal(e->state, FLOW_S_UDP_UNREPLIED);
	assert_ptr_equal(flow_lookup(t, &k2, flow_hash_sym(&k2), 6), e);
	flow_update(e, s2, 28, 0);
	assert_int_equal(e->state, FLOW_S_UDP);
	assert_int_equal(flow_pkts(e, FLOW_DIR_REPLY), 1);
	flow_table_free(t);
}

static struct flow_entry *
new_tcp(struct flow_table *t, struct pkt_pair *p, uint8_t flags)
{
	struct flow_entry *e;

	make_pair(p, 1, 6);
	e = flow_insert(t, &p->k, p->h, p->side, flags, 1);
	assert_non_null(e);
	flow_update(e, p->side, 60, flags);
	return e;
}

/* A TCP flow's first state by its first packet's flags, as specified
 * (flow_table.h: the initial TCP state comes from them). */
static void
ref_tcp_first(uint8_t f, uint8_t *st, bool *mid)
{
	uint8_t sar = f & (FLOW_TCP_SYN | FLOW_TCP_ACK | FLOW_TCP_RST);

	*mid = true;
	if (sar == FLOW_TCP_SYN) {
		*st = FLOW_S_TCP_SYN_SENT;
		*mid = false;
	} else if (sar == (FLOW_TCP_SYN | FLOW_TCP_ACK)) {
		*st = FLOW_S_TCP_EST;
	} else if (f & FLOW_TCP_RST) {
		*st = FLOW_S_TCP_CLOSED;
		*mid = false;
	} else if (f & FLOW_TCP_FIN) {
		*st = FLOW_S_TCP_FIN;
	} else {
		*st = FLOW_S_TCP_EST;
	}
}

static void
test_tcp_first_state(void **state)
{
	struct flow_table *t = mk_table(512, false);
	unsigned int f;

	(void)state;
	for (f = 0; f < 256; f++) {
		struct pkt_pair p;
		struct flow_entry *e;
		uint8_t st;
		bool mid;

		make_pair(&p, (int)(f & 1), 6);
		e = flow_insert(t, &p.k, p.h, p.side, (uint8_t)f, 1);
		assert_non_null(e);
		ref_tcp_first((uint8_t)f, &st, &mid);
		assert_int_equal(e->state, st);
		assert_int_equal(!!(e->tflags & FLOW_TF_MIDSTREAM), mid);
		assert_int_equal(e->tflags & ~FLOW_TF_MIDSTREAM,
			FLOW_TF_IN_USE);
	}
	flow_table_free(t);
}

static void
test_tcp_states(void **state)
{
	struct flow_table *t = mk_table(64, false);
	struct pkt_pair p;
	struct flow_entry *e;
	uint8_t o, r;

	(void)state;
	/* full handshake and close */
	e = new_tcp(t, &p, FLOW_TCP_SYN);
	o = p.side;
	r = p.side ^ 1;
	assert_int_equal(e->state, FLOW_S_TCP_SYN_SENT);
	flow_update(e, o, 60, FLOW_TCP_SYN);	/* retransmit */
	assert_int_equal(e->state, FLOW_S_TCP_SYN_SENT);
	flow_tcp_update(e, r, FLOW_TCP_SYN | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_SYN_RCVD);
	flow_tcp_update(e, r, FLOW_TCP_ACK);	/* not the initiator */
	assert_int_equal(e->state, FLOW_S_TCP_SYN_RCVD);
	flow_tcp_update(e, o, FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_EST);
	flow_tcp_update(e, r, FLOW_TCP_ACK | 0x08);
	assert_int_equal(e->state, FLOW_S_TCP_EST);
	flow_tcp_update(e, o, FLOW_TCP_FIN | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_FIN);
	assert_true(e->tflags & FLOW_TF_FIN_ORIG);
	flow_tcp_update(e, o, FLOW_TCP_FIN | FLOW_TCP_ACK);	/* rexmit */
	assert_int_equal(e->state, FLOW_S_TCP_FIN);
	flow_tcp_update(e, r, FLOW_TCP_FIN | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_CLOSED);
	/* the initiator reuses the tuple */
	flow_tcp_update(e, o, FLOW_TCP_SYN);
	assert_int_equal(e->state, FLOW_S_TCP_SYN_SENT);
	assert_false(e->tflags & (FLOW_TF_FIN_ORIG | FLOW_TF_FIN_REPLY));
	/* RST from anywhere closes */
	flow_tcp_update(e, r, FLOW_TCP_RST | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_CLOSED);

	/* simultaneous open */
	e = new_tcp(t, &p, FLOW_TCP_SYN);
	flow_tcp_update(e, p.side ^ 1, FLOW_TCP_SYN);
	assert_int_equal(e->state, FLOW_S_TCP_SYN_RCVD);

	/* picked up mid-stream */
	e = new_tcp(t, &p, FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_EST);
	assert_true(e->tflags & FLOW_TF_MIDSTREAM);
	assert_int_equal(e->init_side, p.side);

	/* first packet seen is a SYN|ACK: its sender still counts as the
	 * initiator (a spoofed SYN|ACK must not be judged as a reply) */
	e = new_tcp(t, &p, FLOW_TCP_SYN | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_EST);
	assert_true(e->tflags & FLOW_TF_MIDSTREAM);
	assert_int_equal(e->init_side, p.side);
	assert_int_equal(flow_pkts(e, FLOW_DIR_ORIG), 1);
	flow_update(e, p.side ^ 1, 60, FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_EST);

	/* first packet a RST or a FIN */
	e = new_tcp(t, &p, FLOW_TCP_RST);
	assert_int_equal(e->state, FLOW_S_TCP_CLOSED);
	e = new_tcp(t, &p, FLOW_TCP_FIN | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_FIN);
	/* FIN during the handshake */
	e = new_tcp(t, &p, FLOW_TCP_SYN);
	flow_tcp_update(e, p.side ^ 1, FLOW_TCP_SYN | FLOW_TCP_ACK);
	flow_tcp_update(e, p.side ^ 1, FLOW_TCP_FIN | FLOW_TCP_ACK);
	assert_int_equal(e->state, FLOW_S_TCP_FIN);
	assert_true(e->tflags & FLOW_TF_FIN_REPLY);

	/* other protocols */
	make_pair(&p, 0, 1);
	e = flow_insert(t, &p.k, p.h, p.side, 0, 1);
	assert_int_equal(e->state, FLOW_S_ICMP);
	make_pair(&p, 1, 58);
	e = flow_insert(t, &p.k, p.h, p.side, 0, 1);
	assert_int_equal(e->state, FLOW_S_ICMP);
	make_pair(&p, 0, 47);
	e = flow_insert(t, &p.k, p.h, p.side, 0, 1);
	assert_int_equal(e->state, FLOW_S_OTHER);
	flow_update(e, p.side ^ 1, 100, 0);
	assert_int_equal(e->state, FLOW_S_OTHER);
	flow_table_free(t);
}

/* Put an entry in state s at time t0. */
static struct flow_entry *
entry_in_state(struct flow_table *t, struct pkt_pair *p, enum flow_state s,
	uint32_t t0)
{
	static const uint8_t proto[FLOW_S_MAX] = { 6, 6, 6, 6, 6, 17, 17, 1,
		47 };
	struct flow_entry *e;

	make_pair(p, 0, proto[s]);
	e = flow_insert(t, &p->k, p->h, p->side, FLOW_TCP_SYN, t0);
	assert_non_null(e);
	switch (s) {
	case FLOW_S_TCP_SYN_RCVD:
		flow_tcp_update(e, p->side ^ 1, FLOW_TCP_SYN | FLOW_TCP_ACK);
		break;
	case FLOW_S_TCP_EST:
		flow_tcp_update(e, p->side ^ 1, FLOW_TCP_SYN | FLOW_TCP_ACK);
		flow_tcp_update(e, p->side, FLOW_TCP_ACK);
		break;
	case FLOW_S_TCP_FIN:
		flow_tcp_update(e, p->side ^ 1, FLOW_TCP_SYN | FLOW_TCP_ACK);
		flow_tcp_update(e, p->side, FLOW_TCP_FIN | FLOW_TCP_ACK);
		break;
	case FLOW_S_TCP_CLOSED:
		flow_tcp_update(e, p->side, FLOW_TCP_RST);
		break;
	case FLOW_S_UDP:
		flow_update(e, p->side ^ 1, 10, 0);
		break;
	default:
		break;
	}
	assert_int_equal(e->state, s);
	return e;
}

static void
test_timeouts(void **state)
{
	struct flow_table *t = mk_table(256, true);
	struct flow_table_stats st;
	unsigned int s;

	(void)state;
	assert_int_equal(flow_table_timeout(t, FLOW_S_TCP_SYN_SENT), 30000);
	assert_int_equal(flow_table_timeout(t, FLOW_S_TCP_EST), 7440000);
	assert_int_equal(flow_table_timeout(t, FLOW_S_TCP_CLOSED), 10000);
	assert_int_equal(flow_table_timeout(t, FLOW_S_UDP_UNREPLIED), 30000);
	assert_int_equal(flow_table_timeout(t, FLOW_S_UDP), 120000);
	assert_int_equal(flow_table_timeout(t, FLOW_S_OTHER), 600000);
	for (s = 0; s < FLOW_S_MAX; s++) {
		uint32_t to = flow_table_timeout(t, s), t0 = 1000 * s + 7;
		struct pkt_pair p;
		struct flow_entry *e;

		assert_true(to > 0);
		e = entry_in_state(t, &p, s, t0);
		/* idle exactly the timeout: still alive, and refreshed */
		assert_ptr_equal(flow_lookup(t, &p.k, p.h, t0 + to), e);
		assert_null(flow_lookup(t, &p.k, p.h, t0 + 2 * to + 1));
		assert_int_equal(ev.n[FLOW_END_EXPIRED], s + 1);
		assert_memory_equal(&ev.last_key, &p.k, sizeof(p.k));
	}
	flow_table_stats_read(t, &st);
	assert_int_equal(st.expired_lazy, FLOW_S_MAX);
	assert_int_equal(flow_table_count(t), 0);
	flow_table_free(t);
}

static void
test_custom_timeouts_and_wrap(void **state)
{
	struct flow_table_params prm;
	struct flow_table *t;
	struct pkt_pair p;
	struct flow_entry *e;

	(void)state;
	memset(&prm, 0, sizeof(prm));
	prm.capacity = 16;
	prm.timeout_ms[FLOW_S_UDP_UNREPLIED] = 5;
	t = flow_table_create(&prm);
	assert_non_null(t);
	assert_int_equal(flow_table_timeout(t, FLOW_S_UDP_UNREPLIED), 5);
	assert_int_equal(flow_table_timeout(t, FLOW_S_UDP), 120000);
	/* the ms clock wraps around 2^32 */
	make_pair(&p, 0, 17);
	e = flow_insert(t, &p.k, p.h, p.side, 0, UINT32_MAX - 2);
	assert_non_null(e);
	assert_ptr_equal(flow_lookup(t, &p.k, p.h, 2), e);
	assert_null(flow_lookup(t, &p.k, p.h, 8));
	flow_table_free(t);
}

static void
test_sweep(void **state)
{
	struct flow_table *t = mk_table(1000, true);
	struct flow_table_stats st;
	unsigned int i, freed = 0, rounds = 0;

	(void)state;
	/* 600 UDP flows at t=0 (30 s timeout), 300 TCP SYNs at t=20 s */
	for (i = 0; i < 900; i++) {
		struct pkt_pair p;

		make_pair(&p, (int)(i & 1), i < 600 ? 17 : 6);
		assert_non_null(flow_insert(t, &p.k, p.h, p.side,
			FLOW_TCP_SYN, i < 600 ? 0 : 20000));
	}
	assert_int_equal(flow_table_sweep(t, 30000, 2000), 0);
	while (freed < 600 && rounds < 1000) {
		freed += flow_table_sweep(t, 40000, 32);
		rounds++;
	}
	assert_int_equal(freed, 600);
	/* the whole pool in about capacity / budget rounds */
	assert_true(rounds <= 1000 / 32 + 1);
	assert_int_equal(ev.n[FLOW_END_EXPIRED], 600);
	assert_int_equal(flow_table_count(t), 300);
	assert_int_equal(flow_table_sweep(t, 40000, 5000), 0);
	assert_int_equal(flow_table_sweep(t, 50001, 1000), 300);
	flow_table_stats_read(t, &st);
	assert_int_equal(st.expired_sweep, 900);
	assert_int_equal(st.active, 0);
	flow_table_free(t);
}

static void
on_visit(struct flow_entry *e, void *arg)
{
	uint32_t *n = arg;

	n[0]++;
	e->dev[0] = 7;		/* the caller may change its own data */
}

/* The sweep shows the caller each live flow it keeps, once a round, and
 * counts the rounds: what lets the dataplane drop device indices. */
static void
test_sweep_visit(void **state)
{
	struct flow_table_params prm;
	struct flow_table *t;
	struct flow_entry *e[50];
	uint32_t visits[1] = { 0 };

	(void)state;
	memset(&prm, 0, sizeof(prm));
	prm.capacity = 1000;
	prm.visit_cb = on_visit;
	prm.visit_arg = visits;
	t = flow_table_create(&prm);
	assert_non_null(t);
	for (unsigned int i = 0; i < 50; i++) {
		struct pkt_pair p;

		make_pair(&p, (int)(i & 1), 17);
		e[i] = flow_insert(t, &p.k, p.h, p.side, 0, 0);
		assert_non_null(e[i]);
		e[i]->dev[0] = 1;
	}
	assert_int_equal(flow_table_sweeps(t), 0);
	assert_int_equal(flow_table_sweep(t, 10, 999), 0);
	assert_int_equal(flow_table_sweeps(t), 0);
	assert_int_equal(flow_table_sweep(t, 10, 1), 0);	/* the last */
	assert_int_equal(flow_table_sweeps(t), 1);
	assert_int_equal(visits[0], 50);
	for (unsigned int i = 0; i < 50; i++)
		assert_int_equal(e[i]->dev[0], 7);
	/* Expired ones are reclaimed, not visited. */
	assert_int_equal(flow_table_sweep(t, 60000, 1000), 50);
	assert_int_equal(visits[0], 50);
	assert_int_equal(flow_table_sweeps(t), 2);
	flow_table_free(t);
}

/*
 * The oldest of the flows that could go: those of the new key's primary
 * bucket (bucket = hash & 1 in a two-bucket table where every key lives in
 * its primary), or of the other one when the primary has none.
 */
static unsigned int
oldest_for(const struct pkt_pair *p, const uint32_t *seen, const int *live,
	unsigned int n, uint32_t h)
{
	unsigned int best = n;

	for (int pass = 0; pass < 2 && best == n; pass++)
		for (unsigned int i = 0; i < n; i++)
			if (live[i] && ((p[i].h ^ h) & 1) == (uint32_t)pass &&
					(best == n || seen[i] < seen[best]))
				best = i;
	return best;
}

static void
test_eviction_oldest(void **state)
{
	struct flow_table *t = mk_table(8, true);	/* 2 buckets */
	struct flow_table_stats st;
	struct flow_table_occupancy o;
	struct pkt_pair p[10];
	uint32_t seen[10];
	int live[10] = { 0 };
	struct flow_entry *e;
	unsigned int i, v;

	(void)state;
	for (i = 0; i < 8; i++) {
		make_pair(&p[i], 1, 6);
		assert_non_null(flow_insert(t, &p[i].k, p[i].h, p[i].side,
			FLOW_TCP_ACK, 10 + i));
		seen[i] = 10 + i;
		live[i] = 1;
	}
	assert_int_equal(flow_table_count(t), 8);
	flow_table_occupancy(t, &o);
	assert_int_equal(o.in_alt, 0);	/* oldest_for() counts on it */
	/* everything but #3 is active again */
	for (i = 0; i < 8; i++)
		if (i != 3) {
			assert_non_null(flow_lookup(t, &p[i].k, p[i].h,
				100 + i));
			seen[i] = 100 + i;
		}
	make_pair(&p[8], 0, 17);
	v = oldest_for(p, seen, live, 8, p[8].h);
	e = flow_insert(t, &p[8].k, p[8].h, p[8].side, 0, 200);
	assert_non_null(e);
	assert_int_equal(ev.n[FLOW_END_EVICTED], 1);
	assert_memory_equal(&ev.last_key, &p[v].k, sizeof(p[v].k));
	assert_null(flow_lookup(t, &p[v].k, p[v].h, 201));
	assert_int_equal(flow_table_count(t), 8);
	live[v] = 0;
	p[v] = p[8];
	seen[v] = 200;
	live[v] = 1;
	/* and the next: the oldest left where the next key goes */
	make_pair(&p[9], 0, 17);
	v = oldest_for(p, seen, live, 8, p[9].h);
	assert_non_null(flow_insert(t, &p[9].k, p[9].h, p[9].side, 0, 202));
	assert_memory_equal(&ev.last_key, &p[v].k, sizeof(p[v].k));
	flow_table_stats_read(t, &st);
	assert_int_equal(st.evicted, 2);
	assert_int_equal(st.insert_fail, 0);
	flow_table_free(t);
}

static void
test_pinned_now(void **state)
{
	struct flow_table *t = mk_table(8, true);
	struct flow_table_stats st;
	struct pkt_pair p;
	unsigned int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		make_pair(&p, 0, 17);
		assert_non_null(flow_insert(t, &p.k, p.h, p.side, 0, 50));
	}
	/* all seen at "now": nothing may be evicted */
	make_pair(&p, 0, 17);
	assert_null(flow_insert(t, &p.k, p.h, p.side, 0, 50));
	flow_table_stats_read(t, &st);
	assert_int_equal(st.insert_fail, 1);
	assert_int_equal(ev.n[FLOW_END_EVICTED], 0);
	/* one ms later they may */
	assert_non_null(flow_insert(t, &p.k, p.h, p.side, 0, 51));
	assert_int_equal(ev.n[FLOW_END_EVICTED], 1);
	/* expired ones are reclaimed as expired, not evicted */
	make_pair(&p, 0, 17);
	assert_non_null(flow_insert(t, &p.k, p.h, p.side, 0, 50 + 30001));
	assert_int_equal(ev.n[FLOW_END_EVICTED], 1);
	assert_int_equal(ev.n[FLOW_END_EXPIRED], 1);
	flow_table_free(t);
}

static void
test_burst_lookup(void **state)
{
	struct flow_table *t = mk_table(4096, false);
	struct flow_key keys[FLOW_BURST_MAX];
	uint32_t hashes[FLOW_BURST_MAX];
	struct flow_entry *ents[FLOW_BURST_MAX], *mine[FLOW_BURST_MAX];
	uint64_t want = 0, got;
	unsigned int i;

	(void)state;
	for (i = 0; i < FLOW_BURST_MAX; i++) {
		struct pkt_pair p;

		make_pair(&p, (int)(i & 1), 6);
		keys[i] = p.k;
		hashes[i] = p.h;
		mine[i] = NULL;
		if (i % 3) {
			mine[i] = flow_insert(t, &p.k, p.h, p.side,
				FLOW_TCP_SYN, 1);
			want |= 1ULL << i;
		}
	}
	got = flow_lookup_burst(t, keys, hashes, FLOW_BURST_MAX, ents, 2);
	assert_int_equal(got, want);
	for (i = 0; i < FLOW_BURST_MAX; i++) {
		assert_ptr_equal(ents[i], mine[i]);
		if (ents[i])
			assert_int_equal(ents[i]->last_seen, 2);
	}
	/* duplicates in one burst: both hit the same entry */
	keys[1] = keys[2];
	hashes[1] = hashes[2];
	got = flow_lookup_burst(t, keys, hashes, 3, ents, 3);
	assert_int_equal(got, 0x6);
	assert_ptr_equal(ents[1], ents[2]);
	flow_table_free(t);
}

static void
test_flush_and_reuse(void **state)
{
	struct flow_table *t = mk_table(100, true);

	(void)state;
	insert_random(t, 100, false, 17, 1, NULL, NULL);
	flow_table_flush(t);
	assert_int_equal(ev.n[FLOW_END_DELETED], 100);
	assert_int_equal(flow_table_count(t), 0);
	insert_random(t, 100, false, 17, 2, NULL, NULL);
	assert_int_equal(flow_table_count(t), 100);
	assert_int_equal(ev.n[FLOW_END_EVICTED], 0);
	flow_table_free(t);
}

/*
 * The hints (flow_table.c) are never trusted: a hint whose entry was freed
 * and taken by another flow, and hint slots shared by many flows, must
 * give the buckets' answer.
 */
static void
test_hints_are_checked(void **state)
{
	struct flow_table *t = mk_table(64, false);
	struct flow_entry *out[FLOW_BURST_MAX], *ea, *eb;
	struct flow_key keys[FLOW_BURST_MAX];
	uint32_t hashes[FLOW_BURST_MAX];
	struct pkt_pair a, b;
	unsigned int i, round;

	(void)state;
	/* A's entry goes back to the pool and B takes it (the pool is a
	 * stack): A's hint now names B's entry. */
	make_pair(&a, 0, 6);
	make_pair(&b, 0, 6);
	ea = flow_insert(t, &a.k, a.h, a.side, 0, 1);
	assert_non_null(ea);
	flow_delete(t, ea);
	eb = flow_insert(t, &b.k, b.h, b.side, 0, 1);
	assert_ptr_equal(eb, ea);
	keys[0] = a.k;
	hashes[0] = a.h;
	keys[1] = b.k;
	hashes[1] = b.h;
	assert_int_equal(flow_lookup_burst(t, keys, hashes, 2, out, 2), 2);
	assert_null(out[0]);
	assert_ptr_equal(out[1], eb);
	flow_delete(t, eb);

	/* 60 flows in 64 hint slots share some: every look-up still finds
	 * its own entry, round after round, as the shared slots change
	 * hands. */
	insert_random(t, 60, true, 17, 3, keys, hashes);
	for (round = 0; round < 3; round++) {
		uint64_t hits = flow_lookup_burst(t, keys, hashes, 60, out,
			4 + round);

		assert_true(hits == (1ULL << 60) - 1);
		for (i = 0; i < 60; i++) {
			struct flow_key k;

			flow_entry_key(out[i], &k);
			assert_memory_equal(&k, &keys[i], sizeof(keys[i]));
		}
	}
	assert_int_equal(flow_table_count(t), 60);
	flow_table_free(t);
}

/* Bursts of one: the look-ups a hint did not answer (the buckets'). */
static uint64_t
searched_by(struct flow_table *t, const struct flow_key *k, uint32_t h,
	struct flow_entry *want)
{
	struct flow_table_stats s0, s1;
	struct flow_entry *out;

	flow_table_stats_read(t, &s0);
	assert_int_equal(flow_lookup_burst(t, k, &h, 1, &out, 2), 1);
	assert_ptr_equal(out, want);
	flow_table_stats_read(t, &s1);
	return s1.searched - s0.searched;
}

/*
 * A hint set holds eight flows: eight flows of one set are all found by
 * their hints, a ninth pushes the oldest out, which the buckets still
 * find, and hint again; a flow that takes a
 * stale hint's hash takes its way, not another flow's. The hashes are
 * chosen so that the set index, the top bits of hash * 0x85ebca77, is 0
 * for all nine, whatever the number of sets in use.
 */
static void
test_hint_sets(void **state)
{
	struct flow_table *t = mk_table(4096, false);
	struct flow_entry *e[9];
	struct pkt_pair p[9], q;
	uint32_t inv = 0x85ebca77u;
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++)	/* Newton: inv = 0x85ebca77^-1 mod 2^32 */
		inv *= 2 - 0x85ebca77u * inv;
	assert_int_equal(inv * 0x85ebca77u, 1);
	for (i = 0; i < 9; i++) {
		make_pair(&p[i], (int)(i & 1), 6);
		p[i].h = (i + 1) * inv;
	}
	for (i = 0; i < 8; i++) {
		e[i] = flow_insert(t, &p[i].k, p[i].h, p[i].side, 0, 1);
		assert_non_null(e[i]);
	}
	for (i = 0; i < 8; i++)
		assert_int_equal(searched_by(t, &p[i].k, p[i].h, e[i]), 0);

	e[8] = flow_insert(t, &p[8].k, p[8].h, p[8].side, 0, 1);
	assert_non_null(e[8]);
	for (i = 1; i < 9; i++)
		assert_int_equal(searched_by(t, &p[i].k, p[i].h, e[i]), 0);
	/* The oldest: by the buckets, then by its hint again, which pushed
	 * the next oldest out. */
	assert_int_equal(searched_by(t, &p[0].k, p[0].h, e[0]), 1);
	assert_int_equal(searched_by(t, &p[0].k, p[0].h, e[0]), 0);
	assert_int_equal(searched_by(t, &p[1].k, p[1].h, e[1]), 1);

	/* Flow 8 goes; a new flow of its hash takes its hint's way, and
	 * every other hinted flow keeps its own. */
	flow_delete(t, e[8]);
	make_pair(&q, 0, 17);
	q.h = p[8].h;
	e[8] = flow_insert(t, &q.k, q.h, q.side, 0, 1);
	assert_non_null(e[8]);
	assert_int_equal(searched_by(t, &q.k, q.h, e[8]), 0);
	for (i = 0; i < 8; i++)
		if (i != 2)	/* pushed out by flow 1's return */
			assert_int_equal(searched_by(t, &p[i].k, p[i].h,
						     e[i]), 0);
	flow_table_free(t);
}

/* Look every key up in bursts; returns how many the buckets answered. */
static uint64_t
lookup_all(struct flow_table *t, const struct flow_key *keys,
	const uint32_t *hashes, unsigned int n, uint32_t now)
{
	struct flow_table_stats s0, s1;
	struct flow_entry *out[FLOW_BURST_MAX];

	flow_table_stats_read(t, &s0);
	for (unsigned int i = 0; i < n; i += FLOW_BURST_MAX) {
		unsigned int m = RTE_MIN(n - i, (unsigned int)FLOW_BURST_MAX);
		uint64_t want = m == 64 ? ~0ULL : (1ULL << m) - 1;

		assert_true(flow_lookup_burst(t, keys + i, hashes + i, m, out,
					      now) == want);
		for (unsigned int j = 0; j < m; j++) {
			struct flow_key k;

			flow_entry_key(out[j], &k);
			assert_memory_equal(&k, &keys[i + j], sizeof(k));
		}
	}
	flow_table_stats_read(t, &s1);
	return s1.searched - s0.searched;
}

/*
 * The sets in use follow the live flows (flow_hints_fit(), at the sweep):
 * 20,000 flows, far more than the first sets hold, are all found; after a
 * sweep they take the buckets once more, then their hints; and when all
 * but 100 are gone, the next sweep's fewer sets still find those.
 */
static void
test_hint_fit(void **state)
{
	enum { N = 20000, KEEP = 100 };
	struct flow_table *t = mk_table(65536, false);
	struct flow_key *keys = calloc(N, sizeof(*keys));
	uint32_t *hashes = calloc(N, sizeof(*hashes));
	struct flow_entry *e;

	(void)state;
	assert_non_null(keys);
	assert_non_null(hashes);
	insert_random(t, N, true, 6, 1, keys, hashes);
	/* The first sets are too few: most look-ups take the buckets. */
	assert_true(lookup_all(t, keys, hashes, N, 1) > N / 2);
	flow_table_sweep(t, 2, 0);
	lookup_all(t, keys, hashes, N, 2);
	assert_true(lookup_all(t, keys, hashes, N, 2) < N / 100);

	for (unsigned int i = KEEP; i < N; i++) {
		e = flow_lookup(t, &keys[i], hashes[i], 3);
		assert_non_null(e);
		flow_delete(t, e);
	}
	flow_table_sweep(t, 3, 0);
	lookup_all(t, keys, hashes, KEEP, 3);
	assert_true(lookup_all(t, keys, hashes, KEEP, 3) <= 2);
	assert_int_equal(flow_table_count(t), KEEP);
	flow_table_free(t);
	free(keys);
	free(hashes);
}

/*
 * The entry's two lines: in caller memory of a capacity that is no
 * multiple of a block, every entry's hot line is its own, 64-byte
 * aligned, and its cold line FLOW_COLD_OFF after it, both inside the
 * table's memory and no line shared; IPv6 keys that differ only in the
 * words on the cold line are two flows; the counters carry into their
 * high halves.
 */
static void
test_hot_and_cold_lines(void **state)
{
	const uint32_t cap = 100;	/* one block and a part */
	struct flow_table_params prm;
	struct flow_entry *e[100], *x;
	struct flow_table *t;
	struct pkt_pair a, b;
	size_t sz = flow_table_mem_size(cap);
	uint8_t *mem, *lo, *hi;
	struct flow_key k;
	unsigned int i, j;

	(void)state;
	memset(&prm, 0, sizeof(prm));
	prm.capacity = cap;
	mem = aligned_alloc(64, RTE_ALIGN_CEIL(sz, 64));
	assert_non_null(mem);
	memset(mem, 0xa5, sz);
	t = flow_table_init(mem, sz, &prm);
	assert_non_null(t);
	lo = mem;
	hi = mem + sz;
	for (i = 0; i < cap; i++) {
		struct pkt_pair p;

		make_pair(&p, (int)(i & 1), 6);
		e[i] = flow_insert(t, &p.k, p.h, p.side, FLOW_TCP_SYN, 1);
		assert_non_null(e[i]);
		assert_int_equal((uintptr_t)e[i] & 63, 0);
		assert_true((uint8_t *)e[i] >= lo &&
			    (uint8_t *)e[i] + 64 <= hi);
		assert_true((uint8_t *)flow_cold(e[i]) >= lo &&
			    (uint8_t *)flow_cold(e[i]) + 64 <= hi);
		flow_entry_key(e[i], &k);
		assert_memory_equal(&k, &p.k, sizeof(k));
		assert_int_equal(flow_cold(e[i])->hash, p.h);
		assert_ptr_equal(flow_lookup(t, &p.k, p.h, 2), e[i]);
	}
	/* No line is two entries' (hot or cold) */
	for (i = 0; i < cap; i++)
		for (j = 0; j < cap; j++) {
			assert_true(i == j || e[i] != e[j]);
			assert_ptr_not_equal((void *)flow_cold(e[i]),
					     (void *)e[j]);
		}
	flow_table_flush(t);
	assert_int_equal(flow_table_count(t), 0);

	/* IPv6: the same but for the first bytes of the source address */
	make_pair(&a, 1, 17);
	b = a;
	b.k.addr[0][0] ^= 0x20;
	b.k.addr[1][5] ^= 0x01;
	b.h = flow_hash_sym(&b.k);
	x = flow_insert(t, &a.k, a.h, a.side, 0, 3);
	assert_non_null(x);
	assert_null(flow_lookup(t, &b.k, b.h, 3));
	/* even when b's look-up goes by a's hint: the same hash */
	assert_null(flow_lookup(t, &b.k, a.h, 3));
	assert_ptr_not_equal(flow_insert(t, &b.k, b.h, b.side, 0, 3), x);
	assert_int_equal(flow_table_count(t), 2);

	/* The carries */
	x->pkts_lo[FLOW_DIR_ORIG] = UINT32_MAX;
	x->bytes_lo[FLOW_DIR_ORIG] = UINT32_MAX - 10;
	flow_update(x, x->init_side, 100, 0);
	assert_true(flow_pkts(x, FLOW_DIR_ORIG) == (1ull << 32));
	assert_true(flow_bytes(x, FLOW_DIR_ORIG) == (1ull << 32) + 89);
	flow_update(x, x->init_side, 100, 0);
	assert_true(flow_pkts(x, FLOW_DIR_ORIG) == (1ull << 32) + 1);
	assert_true(flow_bytes(x, FLOW_DIR_ORIG) == (1ull << 32) + 189);
	assert_true(flow_pkts(x, FLOW_DIR_REPLY) == 0);
	free(mem);
}

static unsigned int alloc_calls, free_calls;

static void *
my_alloc(size_t size, size_t align, void *arg)
{
	assert_ptr_equal(arg, &alloc_calls);
	alloc_calls++;
	return aligned_alloc(align, RTE_ALIGN_CEIL(size, align));
}

static void
my_free(void *p, void *arg)
{
	assert_ptr_equal(arg, &alloc_calls);
	free_calls++;
	free(p);
}

static void
test_memory_api(void **state)
{
	struct flow_table_params prm;
	struct flow_table *t;
	size_t sz = flow_table_mem_size(1000);
	uint8_t *mem;

	(void)state;
	memset(&prm, 0, sizeof(prm));
	prm.capacity = 1000;
	mem = aligned_alloc(64, RTE_ALIGN_CEIL(sz + 64, 64));
	assert_non_null(mem);
	assert_null(flow_table_init(mem, sz - 1, &prm));
	assert_null(flow_table_init(mem + 8, sz, &prm));
	t = flow_table_init(mem, sz, &prm);
	assert_ptr_equal(t, mem);
	assert_int_equal(flow_table_capacity(t), 1000);
	free(mem);

	prm.alloc = my_alloc;
	assert_null(flow_table_create(&prm));	/* alloc without free */
	prm.free = my_free;
	prm.alloc_arg = &alloc_calls;
	t = flow_table_create(&prm);
	assert_non_null(t);
	assert_int_equal(alloc_calls, 1);
	flow_table_free(t);
	assert_int_equal(free_calls, 1);
	prm.capacity = 0;
	assert_null(flow_table_create(&prm));
}

/*
 * A table of 2^20 holding its n flows, all kept: few in their alternative
 * bucket (the probes: 1 bucket, 2 for the few that overflowed) and few
 * full buckets (random keys give ~4% at 95% load).
 */
static void
assert_spread(struct flow_table *t, uint32_t n, const char *what)
{
	struct flow_table_occupancy o;
	struct flow_table_stats st;

	flow_table_occupancy(t, &o);
	flow_table_stats_read(t, &st);
	print_message("95%% %s: %u entries, %u buckets, %u in alt bucket "
		"(%.3f%%), %u full buckets, max %u per bucket\n", what,
		o.entries, o.nb_buckets, o.in_alt, 100.0 * o.in_alt / o.entries,
		o.full_buckets, o.max_bucket);
	assert_int_equal(o.entries, n);
	assert_int_equal(st.evicted + st.evicted_bucket + st.insert_fail, 0);
	assert_true(o.in_alt < n / 50);
	assert_true(o.full_buckets < o.nb_buckets / 16);
}

/* 95% of 2^20 random flows: all found, few in their alt bucket. */
static void
test_fill_95(void **state)
{
	const uint32_t cap = 1u << 20, n = cap / 100 * 95;
	struct flow_table *t = mk_table(cap, false);
	struct flow_table_stats st;
	struct pkt_pair *p = malloc(sizeof(*p) * n);
	uint32_t i;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < n; i++) {
		make_pair(&p[i], (int)(i & 1), i & 2 ? 6 : 17);
		assert_non_null(flow_insert(t, &p[i].k, p[i].h, p[i].side,
			FLOW_TCP_SYN, 1));
	}
	for (i = 0; i < n; i += FLOW_BURST_MAX) {
		struct flow_key k[FLOW_BURST_MAX];
		uint32_t h[FLOW_BURST_MAX], j, m = n - i;
		struct flow_entry *e[FLOW_BURST_MAX];

		if (m > FLOW_BURST_MAX)
			m = FLOW_BURST_MAX;
		for (j = 0; j < m; j++) {
			k[j] = p[i + j].k;
			h[j] = p[i + j].h;
		}
		assert_int_equal(flow_lookup_burst(t, k, h, m, e, 2),
			m == 64 ? UINT64_MAX : (1ULL << m) - 1);
	}
	assert_spread(t, n, "fill");
	flow_table_stats_read(t, &st);
	assert_int_equal(st.inserts, n);
	assert_int_equal(st.hits, n);
	free(p);
	flow_table_free(t);
}

/*
 * Structured keys (sequential addresses and ports, as in a scan or a
 * NATed client pool) must spread like random ones: a plain CRC would
 * pile them into a fraction of the buckets.
 */
static void
test_fill_95_sequential(void **state)
{
	const uint32_t cap = 1u << 20, n = cap / 100 * 95;
	struct flow_table *t = mk_table(cap, false);
	uint32_t i;

	(void)state;
	for (i = 0; i < n; i++) {
		struct pkt_meta m;
		struct flow_key k;
		uint32_t a = 0x0a000000 + (i % 4096);
		uint8_t side;

		memset(&m, 0, sizeof(m));
		m.src_addr[10] = m.src_addr[11] = 0xff;
		m.dst_addr[10] = m.dst_addr[11] = 0xff;
		m.src_addr[12] = (uint8_t)(a >> 24);
		m.src_addr[13] = (uint8_t)(a >> 16);
		m.src_addr[14] = (uint8_t)(a >> 8);
		m.src_addr[15] = (uint8_t)a;
		m.dst_addr[12] = 192;
		m.dst_addr[13] = 168;
		m.dst_addr[15] = 1;
		m.sport = (uint16_t)(1024 + i / 4096);
		m.dport = 443;
		m.l4_proto = 6;
		m.flags = PKT_F_IPV4 | PKT_F_L4;
		side = flow_key_from_meta(&k, &m, 0);
		assert_non_null(flow_insert(t, &k, flow_hash_sym(&k), side,
			FLOW_TCP_SYN, 1));
	}
	assert_spread(t, n, "sequential");
	flow_table_free(t);
}

struct walk_keys {
	struct flow_key *k;
	uint32_t *h;
	const struct flow_entry **e;
	uint32_t n;
};

static void
walk_key(const struct flow_entry *e, void *arg)
{
	struct walk_keys *w = arg;

	flow_entry_key(e, &w->k[w->n]);
	w->h[w->n] = flow_cold(e)->hash;
	w->e[w->n++] = e;
}

/*
 * Every entry in use is found by its key: an entry evicted from a bucket
 * that is its alternative must take its primary's overflow count down,
 * and one that is not must leave it (a lookup searches the alternative
 * only while that count is not zero).
 */
static void
assert_all_found(struct flow_table *t, uint32_t now)
{
	const uint32_t n = flow_table_count(t);
	struct walk_keys w;
	uint32_t pos = 0, i;

	w.k = malloc(sizeof(*w.k) * n);
	w.h = malloc(sizeof(*w.h) * n);
	w.e = malloc(sizeof(*w.e) * n);
	w.n = 0;
	assert_true(w.k != NULL && w.h != NULL && w.e != NULL);
	assert_int_equal(flow_table_walk(t, &pos, flow_table_capacity(t),
		walk_key, &w), 1);
	assert_int_equal(w.n, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(flow_lookup(t, &w.k[i], w.h[i], now), w.e[i]);
	free(w.k);
	free(w.h);
	free(w.e);
}

/* At 100% full, new flows keep coming in by evicting. */
static void
test_full_churn(void **state)
{
	const uint32_t cap = 1u << 16;
	struct flow_table *t = mk_table(cap, false);
	struct flow_table_stats st;
	struct flow_table_occupancy o;
	uint32_t i;

	(void)state;
	for (i = 0; i < cap * 3; i++) {
		struct pkt_pair p;

		make_pair(&p, (int)(i & 1), 17);
		assert_non_null(flow_insert(t, &p.k, p.h, p.side, 0,
			10 + i / 1000));
	}
	flow_table_stats_read(t, &st);
	flow_table_occupancy(t, &o);
	assert_int_equal(flow_table_count(t), cap);
	assert_int_equal(o.entries, cap);
	assert_int_equal(st.evicted + st.evicted_bucket, 2 * cap);
	assert_int_equal(st.insert_fail, 0);
	/* Some entries live in their alternative bucket, each counted once
	 * by its primary. */
	assert_true(o.in_alt > 0);
	assert_int_equal(o.ovf, o.in_alt);
	assert_all_found(t, 10 + cap * 3 / 1000);
	print_message("churn: %" PRIu64 " evicted (pool full), %" PRIu64
		" (both buckets full)\n", st.evicted, st.evicted_bucket);
	flow_table_free(t);
}

TEST_MAIN(
	cmocka_unit_test(test_layout_and_memory),
	cmocka_unit_test(test_symmetric_hash),
	cmocka_unit_test(test_keyed_hash),
	cmocka_unit_test(test_worker_hash),
	cmocka_unit_test(test_bidirectional),
	cmocka_unit_test(test_from_parsed_frames),
	cmocka_unit_test(test_tcp_states),
	cmocka_unit_test(test_tcp_first_state),
	cmocka_unit_test(test_timeouts),
	cmocka_unit_test(test_custom_timeouts_and_wrap),
	cmocka_unit_test(test_sweep),
	cmocka_unit_test(test_sweep_visit),
	cmocka_unit_test(test_eviction_oldest),
	cmocka_unit_test(test_pinned_now),
	cmocka_unit_test(test_burst_lookup),
	cmocka_unit_test(test_flush_and_reuse),
	cmocka_unit_test(test_hints_are_checked),
	cmocka_unit_test(test_hint_sets),
	cmocka_unit_test(test_hint_fit),
	cmocka_unit_test(test_memory_api),
	cmocka_unit_test(test_hot_and_cold_lines),
	cmocka_unit_test(test_fill_95),
	cmocka_unit_test(test_fill_95_sequential),
	cmocka_unit_test(test_full_churn))
