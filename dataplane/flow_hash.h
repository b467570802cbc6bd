/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Canonical bidirectional flow key and its symmetric hash.
 *
 * Both directions of a flow build the same key: the endpoint (address,
 * port) that compares lower sits in slot 0. flow_key_from_meta() returns
 * the slot (the "side") of the packet's source, which is what the flow
 * table uses to tell the directions apart. Because the key is canonical,
 * any hash of it is symmetric.
 *
 * flow_hash_sym() is keyed: Thorup's vector multiply-shift over the key's
 * ten 32-bit halves, ((a[0] + sum a[i + 1] * x[i]) mod 2^64) >> 32, with
 * a[] 64-bit and random for each dataplane (flow_hash_seed()). It is
 * strongly universal into 32 bits: whatever two keys a sender picks, they
 * share a hash with probability 2^-32, a bucket with 1 in the buckets.
 * The CRC32-C it replaces is linear over GF(2), seed or not: anyone who
 * read the code could make keys of one hash with a few XORs, and a device
 * that opens a dozen such flows evicts a chosen flow of another device
 * from its buckets (the flow's state lost, its replies then a new flow
 * from outside). Four multiplies for an IPv4 key, which run side by side,
 * where the CRC was three dependent steps and a finaliser.
 *
 * The order used is the order of the native 64-bit words, not the numeric
 * order of the addresses: any total order works, this one is cheapest.
 */

#ifndef CORDON_FLOW_HASH_H
#define CORDON_FLOW_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#include "pkt_parse.h"
#include "util_hash.h"

#ifdef __cplusplus
extern "C" {
#endif

struct flow_key {
	uint8_t addr[2][16];	/* IPv6, or IPv4-mapped IPv4 (pkt_meta) */
	uint16_t port[2];	/* host order; ICMP echo id in both */
	uint16_t vlan;		/* L2 domain: outer VID by default */
	uint8_t proto;		/* IPPROTO_* */
	uint8_t family;		/* 4 or 6 */
};

_Static_assert(sizeof(struct flow_key) == 40, "flow_key is 5 words");
/* flow_hash_sym() takes the family from the top byte of the last word. */
_Static_assert(offsetof(struct flow_key, port) == 32 &&
	offsetof(struct flow_key, vlan) == 36 &&
	offsetof(struct flow_key, proto) == 38, "the tail word's layout");
_Static_assert(offsetof(struct flow_key, family) == 39 &&
	RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN, "family is the tail's top byte");

/*
 * The hash's keys: a[0..10] for the ten halves of a key's five words, and
 * v4, a[0] with the constant halves of an IPv4-mapped key added in (words
 * 0 and 2 are zero, and 1 and 3 have 0xffff0000 in their low halves).
 * Fixed values until flow_hash_seed() draws them; read-only afterwards.
 */
struct flow_hash_keys {
	uint64_t a[11];
	uint64_t v4;
};

extern struct flow_hash_keys flow_hash_keys;

/*
 * New random keys (getrandom()): once at start, before any flow table is
 * filled or any worker runs, since every hash made before it is of the
 * old keys. 0 or -errno.
 */
int flow_hash_seed(void);

/* Keys of the caller's (tests, reproducible runs): a[11]. */
void flow_hash_set_keys(const uint64_t a[11]);

/*
 * Build the canonical key of a parsed IP packet (PKT_PARSE_OK). vlan is
 * the L2 domain the lead wants flows separated by (e.g. outer VID, or
 * a hash of outer and inner VID for QinQ). Returns the side (0 or 1)
 * of the packet's source in the key.
 */
static inline uint8_t
flow_key_from_meta(struct flow_key *k, const struct pkt_meta *m, uint16_t vlan)
{
	uint64_t s0, s1, d0, d1, tail, mask, x0, x1;
	uint32_t ports, xp;
	uint8_t swap, family;

	memcpy(&s1, m->src_addr + 8, 8);
	memcpy(&d1, m->dst_addr + 8, 8);
	/* The swap is a coin toss per packet, so it is done with masks:
	 * GCC turns six ternaries on it into a branch, which the predictor
	 * gets wrong half the time. The family is not a coin toss. */
	if (likely(!(m->flags & PKT_F_IPV6))) {
		/* IPv4-mapped: words 0 are zero on both sides. */
		s0 = d0 = 0;
		family = 4;
		swap = (uint8_t)((s1 > d1) | ((s1 == d1) &
			(m->sport > m->dport)));
	} else {
		memcpy(&s0, m->src_addr, 8);
		memcpy(&d0, m->dst_addr, 8);
		family = 6;
		swap = (uint8_t)((s0 > d0) | ((s0 == d0) & ((s1 > d1) |
			((s1 == d1) & (m->sport > m->dport)))));
	}
	mask = -(uint64_t)swap;
	x0 = (s0 ^ d0) & mask;
	x1 = (s1 ^ d1) & mask;
	s0 ^= x0;	/* now the low side */
	d0 ^= x0;
	s1 ^= x1;
	d1 ^= x1;
	/* The ports as one word, low side's in the low half: a swap is a
	 * rotation by 16. */
	ports = (uint32_t)m->sport | (uint32_t)m->dport << 16;
	xp = ports ^ (ports >> 16 | ports << 16);
	ports ^= xp & (uint32_t)mask;
	memcpy(k->addr[0], &s0, 8);
	memcpy(k->addr[0] + 8, &s1, 8);
	memcpy(k->addr[1], &d0, 8);
	memcpy(k->addr[1] + 8, &d1, 8);
	/* port[2], vlan, proto, family as one 8-byte store: flow_hash_sym()
	 * reads it back as one word, and five narrow stores would not
	 * forward to it (offsets asserted above, little-endian). */
	tail = (uint64_t)ports | (uint64_t)vlan << 32 |
		(uint64_t)m->l4_proto << 48 | (uint64_t)family << 56;
	memcpy(k->port, &tail, 8);
	return swap;
}

/* An IPv4 key's hash from its varying words: the low halves of the
 * addresses' second words (0xffff0000) and words 0 and 2 (zero) are in
 * flow_hash_keys.v4. */
static inline uint32_t
flow_hash_v4(uint64_t lo1, uint64_t hi1, uint64_t tail)
{
	const struct flow_hash_keys *hk = &flow_hash_keys;

	return (uint32_t)((hk->v4 + hk->a[4] * (lo1 >> 32) +
			   hk->a[8] * (hi1 >> 32) +
			   hk->a[9] * (uint32_t)tail +
			   hk->a[10] * (tail >> 32)) >> 32);
}

/* Symmetric flow hash of a canonical key (both directions agree). */
static inline uint32_t
flow_hash_sym(const struct flow_key *k)
{
	const struct flow_hash_keys *hk = &flow_hash_keys;
	const uint8_t *p = (const uint8_t *)k;
	uint64_t w, tail, s = hk->a[0];
	unsigned int i;

	/* The family is the top byte of the tail word, which
	 * flow_key_from_meta() stores whole: read it whole too, or the load
	 * waits for the store. */
	memcpy(&tail, p + 32, 8);
	if (likely((tail >> 56) == 4)) {
		uint64_t lo1, hi1;

		memcpy(&lo1, p + 8, 8);
		memcpy(&hi1, p + 24, 8);
		return flow_hash_v4(lo1, hi1, tail);
	}
	for (i = 0; i < sizeof(*k) / 8; i++) {
		memcpy(&w, p + i * 8, 8);
		s += hk->a[1 + 2 * i] * (uint32_t)w +
			hk->a[2 + 2 * i] * (w >> 32);
	}
	return (uint32_t)(s >> 32);
}

/* Key and hash in one step (the worker's pass 1): the same as
 * flow_key_from_meta() then flow_hash_sym(), without reading the key's
 * stores back for an IPv4 one. */
static inline uint8_t
flow_key_hash_from_meta(struct flow_key *k, uint32_t *hash,
	const struct pkt_meta *m, uint16_t vlan)
{
	uint8_t side = flow_key_from_meta(k, m, vlan);
	uint64_t lo1, hi1, tail;

	if (likely(!(m->flags & PKT_F_IPV6))) {
		memcpy(&lo1, k->addr[0] + 8, 8);
		memcpy(&hi1, k->addr[1] + 8, 8);
		memcpy(&tail, k->port, 8);
		*hash = flow_hash_v4(lo1, hi1, tail);
	} else {
		*hash = flow_hash_sym(k);
	}
	return side;
}

/*
 * Pick a worker from the symmetric hash when the port gives no RSS.
 * The hash is remixed (murmur3 finaliser) and the high bits used, so the
 * bits that choose the worker do not also pick the table bucket: each
 * worker's table still sees uniformly spread hashes.
 */
static inline uint32_t
flow_hash_worker(uint32_t h, uint32_t nb_workers)
{
	h = util_hash_fmix32(h ^ 0x5bd1e995u);
	return (uint32_t)(((uint64_t)h * nb_workers) >> 32);
}

#ifdef __cplusplus
}
#endif

#endif /* CORDON_FLOW_HASH_H */
