/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Per-worker bidirectional flow table.
 *
 * One table per worker, one writer (that worker): no locks, no atomics
 * except on the statistics the main lcore reads. The table never reads a
 * clock: every call takes the caller's coarse "now" in milliseconds
 * (uint32_t, wrapping; e.g. rte_rdtsc() * ms_mult >> ms_shift once per
 * burst).
 *
 * Layout (see flow_table.c for the reasoning):
 *  - a power-of-two array of 64-byte buckets, each 8 x (16-bit signature,
 *    32-bit entry index) and an overflow count; at full capacity buckets
 *    are half full on average, so a lookup normally reads one bucket line;
 *  - a fixed pool of entries of two lines, 4 KiB apart: the hot one holds
 *    all a packet of a known IPv4 flow reads and writes (the key's varying
 *    words, verdict, state, the counters' low halves, the lead's device
 *    indices and flags), the cold one an IPv6 key's high words, the hash,
 *    the counters' high halves and what a flow's start or end reads
 *    (struct flow_cold); and a free stack.
 * Two buckets per key (primary, alternative); the alternative is only
 * searched when the primary has overflowed. No cuckoo displacement, so
 * inserts are O(1) at any fill.
 *
 * Entry lifetime: entries are reclaimed by lazy expiry (a lookup that
 * finds its entry expired), by flow_table_sweep(), by eviction when the
 * pool is full (least recently seen among the occupants of the key's
 * primary bucket, ~4 candidates: an approximation of the oldest idle flow;
 * those of its alternative bucket when none of them can go), or by
 * flow_delete(). Each reclaim calls the event callback first, with the
 * entry still intact, so the lead can emit flow-end records.
 *
 * Pointer validity: an entry pointer returned by a lookup or insert stays
 * valid until the next flow_insert(), flow_table_sweep() or flow_delete()
 * on the table, and beyond that for entries whose last_seen == now: the
 * table never expires or evicts an entry seen at the current "now". So a
 * worker may look a burst up, insert its misses, then use all entries.
 * The caller's clock must not go backwards for a table.
 *
 * Worker loop sketch (one table per worker):
 *
 *	now = (uint32_t)(rte_rdtsc() / tsc_per_ms);	// once per burst
 *	for (i = k = 0; i < n; i++) {
 *		rc = pkt_parse(rte_pktmbuf_mtod(m[i], const uint8_t *),
 *			rte_pktmbuf_data_len(m[i]), &meta[i]);
 *		if (rc != PKT_PARSE_OK) { L2 path or drop_ctr[rc]++; continue; }
 *		side[k] = flow_key_from_meta(&key[k], &meta[i],
 *			meta[i].vlan_outer & 0xfff);
 *		hash[k] = flow_hash_sym(&key[k]);
 *		pkt_of[k++] = i;
 *	}
 *	hit = flow_lookup_burst(ft, key, hash, k, ent, now);
 *	// misses: classify them (rte_acl, one burst), then for each miss j:
 *	//	ent[j] = flow_insert(ft, &key[j], hash[j], side[j],
 *	//		meta[pkt_of[j]].tcp_flags, now);
 *	//	if (ent[j]) flow_set_verdict(ent[j], verdict, policy_epoch);
 *	//	else apply the verdict without state (insert_fail counted)
 *	for (j = 0; j < k; j++) {
 *		// hits: if (ent[j]->epoch != policy_epoch) reclassify
 *		flow_update(ent[j], side[j], rte_pktmbuf_pkt_len(m[pkt_of[j]]),
 *			meta[pkt_of[j]].tcp_flags);
 *		forward or drop by ent[j]->verdict;
 *	}
 *	flow_table_sweep(ft, now, 32);	// flow-end events via the callback
 */

#ifndef CORDON_FLOW_TABLE_H
#define CORDON_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_prefetch.h>

#include "flow_hash.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FLOW_BUCKET_SLOTS 8
#define FLOW_BURST_MAX 64

enum flow_state {
	FLOW_S_TCP_SYN_SENT = 0,
	FLOW_S_TCP_SYN_RCVD,
	FLOW_S_TCP_EST,
	FLOW_S_TCP_FIN,		/* closing: a FIN was seen */
	FLOW_S_TCP_CLOSED,	/* RST, or FIN from both sides */
	FLOW_S_UDP_UNREPLIED,
	FLOW_S_UDP,		/* a reply was seen */
	FLOW_S_ICMP,
	FLOW_S_OTHER,
	FLOW_S_MAX
};

/* Why an entry went away (event callback). */
enum flow_end_reason {
	FLOW_END_EXPIRED = 0,	/* idle timeout (lazy or sweep) */
	FLOW_END_EVICTED,	/* table full, oldest idle candidate reused */
	FLOW_END_DELETED,	/* flow_delete() / flow_table_flush() */
};

/* Directions for the counters: relative to the initiator. */
#define FLOW_DIR_ORIG 0
#define FLOW_DIR_REPLY 1

/* flow_entry.tflags (table-owned) */
#define FLOW_TF_IN_USE    0x01
#define FLOW_TF_MIDSTREAM 0x02	/* TCP picked up without its SYN */
#define FLOW_TF_FIN_ORIG  0x04
#define FLOW_TF_FIN_REPLY 0x08

#define FLOW_TCP_FIN 0x01
#define FLOW_TCP_SYN 0x02
#define FLOW_TCP_RST 0x04
#define FLOW_TCP_ACK 0x10

/*
 * A flow's key as its entry keeps it on the hot line: what tells two
 * IPv4 keys apart. The addresses' first 12 bytes (IPv4: the ::ffff:
 * prefix, the same for every IPv4 key) are on the cold line.
 */
struct flow_key_hot {
	uint32_t addr_lo[2];	/* flow_key.addr[s][12..15] */
	uint16_t port[2];
	uint16_t vlan;
	uint8_t proto;
	uint8_t family;
};

_Static_assert(sizeof(struct flow_key_hot) == 16, "the hot key is 2 words");

/*
 * An entry is two lines, 4 KiB apart (flow_table.c): the hot one, which
 * is all a packet of a known IPv4 flow reads or writes, and the cold one
 * (flow_cold()). A pointer to an entry is a pointer to its hot line.
 */
struct flow_entry {
	struct flow_key_hot key;
	uint32_t last_seen;	/* ms, set by lookup hits and insert */
	uint32_t verdict;	/* opaque to the table: cached policy verdict */
	uint32_t epoch;		/* policy epoch that produced verdict */
	uint8_t state;		/* enum flow_state */
	uint8_t init_side;	/* key side (0/1) of the initiator */
	uint8_t tflags;		/* FLOW_TF_*, table-owned */
	uint8_t user_flags;	/* the lead's (e.g. "fingerprint tap done") */
	/* Low halves: flow_pkts() and flow_bytes() read the whole. */
	uint32_t pkts_lo[2];	/* [FLOW_DIR_ORIG], [FLOW_DIR_REPLY] */
	uint32_t bytes_lo[2];
	uint32_t dev[2];	/* the lead's: e.g. src/dst device index */
	uint8_t tcp_flags_seen[2];	/* OR of TCP flags, [dir] */
	uint16_t user16[2];	/* the lead's */
	uint8_t user8;		/* the lead's */
	uint8_t pad[1];
} __rte_aligned(64);

_Static_assert(sizeof(struct flow_entry) == 64, "flow_entry is one line");

/* The rest of an entry: read when a flow starts, ends or is reported. */
struct flow_cold {
	uint8_t addr_hi[2][12];	/* flow_key.addr[s][0..11] */
	uint32_t hash;		/* flow_hash_sym() of the key */
	uint32_t created;	/* ms */
	uint32_t user32;	/* the lead's */
	uint32_t pkts_hi[2];	/* the counters' high halves */
	uint32_t bytes_hi[2];
	uint8_t pad[12];
} __rte_aligned(64);

_Static_assert(sizeof(struct flow_cold) == 64, "flow_cold is one line");

/* Hot lines come in pages of 64, each followed by its cold lines. */
#define FLOW_BLOCK_SHIFT 6
#define FLOW_COLD_OFF 4096

static inline struct flow_cold *
flow_cold(const struct flow_entry *e)
{
	return (struct flow_cold *)(uintptr_t)((uintptr_t)e + FLOW_COLD_OFF);
}

static inline uint64_t
flow_pkts(const struct flow_entry *e, unsigned int dir)
{
	return (uint64_t)flow_cold(e)->pkts_hi[dir] << 32 | e->pkts_lo[dir];
}

static inline uint64_t
flow_bytes(const struct flow_entry *e, unsigned int dir)
{
	return (uint64_t)flow_cold(e)->bytes_hi[dir] << 32 | e->bytes_lo[dir];
}

/* The entry's whole key. */
static inline void
flow_entry_key(const struct flow_entry *e, struct flow_key *k)
{
	const struct flow_cold *c = flow_cold(e);

	for (unsigned int s = 0; s < 2; s++) {
		memcpy(k->addr[s], c->addr_hi[s], 12);
		memcpy(k->addr[s] + 12, &e->key.addr_lo[s], 4);
		k->port[s] = e->key.port[s];
	}
	k->vlan = e->key.vlan;
	k->proto = e->key.proto;
	k->family = e->key.family;
}

/* Called with the entry intact, just before the table reclaims it. */
typedef void (*flow_event_cb)(const struct flow_entry *e,
	enum flow_end_reason reason, void *arg);

/* flow_table_sweep()'s visit of a live entry it keeps (the caller's data
 * in it may go stale: device indices given back, see device.h). */
typedef void (*flow_visit_cb)(struct flow_entry *e, void *arg);

struct flow_table_params {
	uint32_t capacity;		/* max entries, 1 .. 2^30 */
	uint32_t timeout_ms[FLOW_S_MAX];	/* 0: default (below) */
	flow_event_cb event_cb;		/* may be NULL */
	void *event_arg;
	flow_visit_cb visit_cb;		/* may be NULL */
	void *visit_arg;
	/* Memory for flow_table_create(); NULL: util_mem_huge_map(). */
	void *(*alloc)(size_t size, size_t align, void *arg);
	void (*free)(void *ptr, void *arg);
	void *alloc_arg;
};

/*
 * Default idle timeouts (ms). Modelled on Linux conntrack and VPP, but
 * shorter where a half-open flow is only a DoS vector:
 *   SYN_SENT/SYN_RCVD 30 s   (conntrack 120/60 s: half-open floods)
 *   ESTABLISHED       7440 s (RFC 5382 REQ-5 minimum, VPP's default;
 *                             conntrack's 5 days is far too long at 1 M)
 *   FIN               120 s  (conntrack fin_wait/time_wait)
 *   CLOSED            10 s   (conntrack close)
 *   UDP unreplied     30 s, UDP replied 120 s (conntrack udp/stream)
 *   ICMP              30 s   (conntrack)
 *   other             600 s  (conntrack generic)
 */
extern const uint32_t flow_default_timeout_ms[FLOW_S_MAX];

struct flow_table_stats {
	uint64_t lookups;
	uint64_t hits;
	uint64_t searched;	/* burst look-ups no hint answered: buckets */
	uint64_t inserts;
	uint64_t insert_fail;	/* nothing evictable: all seen at "now" */
	uint64_t expired_lazy;	/* found expired by a lookup / insert */
	uint64_t expired_sweep;
	uint64_t evicted;	/* pool full: oldest candidate reused */
	uint64_t evicted_bucket; /* both buckets full (rare by sizing) */
	uint64_t deleted;
	uint64_t active;	/* entries in use */
};

struct flow_table;

/* Bytes flow_table_init() needs for capacity entries (0 if invalid). */
size_t flow_table_mem_size(uint32_t capacity);

/*
 * Build a table in caller memory (e.g. rte_zmalloc_socket(), 64-byte
 * aligned, size from flow_table_mem_size()). NULL on bad arguments.
 * The table does not free mem.
 */
struct flow_table *flow_table_init(void *mem, size_t size,
	const struct flow_table_params *p);

/* Allocate with p->alloc (or util_mem_huge_map()) and init. NULL on
 * failure. */
struct flow_table *flow_table_create(const struct flow_table_params *p);

/* Free a table from flow_table_create() (no callbacks are called). */
void flow_table_free(struct flow_table *t);

uint32_t flow_table_capacity(const struct flow_table *t);
uint32_t flow_table_count(const struct flow_table *t);
uint32_t flow_table_timeout(const struct flow_table *t, enum flow_state s);

/*
 * Look up n (<= FLOW_BURST_MAX) canonical keys with their flow_hash_sym()
 * values. out[i] is the entry or NULL. Hits get last_seen = now; an
 * expired entry is reclaimed (callback) and reported as a miss. The
 * burst's candidate entries are all prefetched before any key is
 * compared; the hints (where each flow's entry was, flow_table.c) are the
 * caller's to prefetch, as each hash becomes known (flow_prefetch_hash())
 * or a burst ahead (flow_prefetch_burst()). A flow without a good hint
 * (a new one) has its bucket prefetched here, a stage before it is read.
 * Returns the hit mask (bit i set: out[i] != NULL).
 */
uint64_t flow_lookup_burst(struct flow_table *t, const struct flow_key *keys,
	const uint32_t *hashes, unsigned int n, struct flow_entry **out,
	uint32_t now);

/*
 * Start fetching the hints of a burst early (e.g. right after
 * rte_eth_rx_burst() of the next burst, while this one is processed), to
 * hide DRAM latency across bursts.
 */
void flow_prefetch_burst(const struct flow_table *t, const uint32_t *hashes,
	unsigned int n);

/*
 * The same one key at a time, in line: a caller that computes a burst's
 * hashes one by one (parsing as it goes) starts each hint on its way as
 * soon as its hash is known, so that the loads spread over the parse
 * instead of queueing up at the start of flow_lookup_burst().
 */
struct flow_prefetcher {
	const uint8_t *hints;
	uint32_t hint_shift;
};

void flow_prefetcher_init(const struct flow_table *t,
	struct flow_prefetcher *p);

/* A flow's set of hints (a line) in the table's hint array. */
#define FLOW_HINT_SET(hash, shift) (((hash) * 0x85ebca77u) >> (shift))

static inline void
flow_prefetch_hash(const struct flow_prefetcher *p, uint32_t hash)
{
	rte_prefetch0(p->hints + (size_t)FLOW_HINT_SET(hash, p->hint_shift) *
		64);
}

/*
 * A few inserts ahead, what flow_insert() of hash will read: when the pool
 * is (nearly) out, the entries of its primary bucket's occupants, the
 * eviction candidates (both lines each); otherwise the bucket, which it
 * searches again (for a flow an earlier insert of the burst made) and
 * fills, and which the burst's classification may have pushed out since
 * the look-up. Not at the look-up: a burst's candidates all at once are
 * some 500 lines, more than the core keeps in flight or L1 holds, and
 * the first inserts found theirs gone (docs/perf.md, the eighteenth
 * round).
 */
void flow_prefetch_insert(const struct flow_table *t, uint32_t hash);

/* Single lookup (control path, tests). */
struct flow_entry *flow_lookup(struct flow_table *t, const struct flow_key *k,
	uint32_t hash, uint32_t now);

/*
 * Find or create the entry for k: side is the key side of the packet that
 * creates it (flow_key_from_meta()) and so the initiator, tcp_flags its TCP
 * flags (the initial TCP state comes from them; a flow picked up without
 * its SYN is marked FLOW_TF_MIDSTREAM). Counters start at zero, verdict/epoch at 0: set them
 * with flow_set_verdict(), and count the packet with flow_update().
 * When the pool is full the oldest candidate is evicted (counted).
 * NULL only if nothing can be evicted (counted in insert_fail).
 */
struct flow_entry *flow_insert(struct flow_table *t, const struct flow_key *k,
	uint32_t hash, uint8_t side, uint8_t tcp_flags, uint32_t now);

/* Reclaim one entry now (callback with FLOW_END_DELETED). */
void flow_delete(struct flow_table *t, struct flow_entry *e);

/* Delete every entry (callbacks called). */
void flow_table_flush(struct flow_table *t);

/*
 * Visit up to budget entries from where the last sweep stopped; reclaim
 * the expired ones (callback FLOW_END_EXPIRED). Returns how many were
 * reclaimed. Call with a small budget (e.g. 32) every worker loop.
 * It also fits the hints in use to the live flows: initialise the table's
 * prefetchers again after it (flow_prefetcher_init()); a stale one only
 * fetches lines the look-up will not read.
 */
unsigned int flow_table_sweep(struct flow_table *t, uint32_t now,
	unsigned int budget);

/* How many times flow_table_sweep() has gone round the whole table (any
 * thread; acquire): every entry alive at the start of round n was visited
 * by the end of round n + 1. */
uint32_t flow_table_sweeps(const struct flow_table *t);

/* Bucket occupancy (walks the whole table: tests, diagnostics). */
struct flow_table_occupancy {
	uint32_t entries;	/* in use */
	uint32_t in_alt;	/* living in their alternative bucket */
	uint32_t ovf;		/* the buckets' overflow counts, summed:
				 * equal to in_alt in a sound table */
	uint32_t full_buckets;
	uint32_t max_bucket;	/* most occupied slots in one bucket */
	uint32_t nb_buckets;
};

void flow_table_occupancy(const struct flow_table *t,
	struct flow_table_occupancy *o);

/*
 * Read-only walk of the pool for the owner's thread (flow_dump.c): visit up
 * to budget slots from *pos and call cb for each entry in use. *pos moves
 * on; returns 1 when the walk reached the end of the pool (then *pos is 0
 * again), else 0. Entries may come and go between calls of one walk.
 */
typedef void (*flow_walk_cb)(const struct flow_entry *e, void *arg);

int flow_table_walk(const struct flow_table *t, uint32_t *pos,
	uint32_t budget, flow_walk_cb cb, void *arg);

/* Safe from another thread (relaxed atomic loads). */
void flow_table_stats_read(const struct flow_table *t,
	struct flow_table_stats *s);

static inline void
flow_set_verdict(struct flow_entry *e, uint32_t verdict, uint32_t epoch)
{
	e->verdict = verdict;
	e->epoch = epoch;
}

/* Counter direction of a packet from key side "side". */
static inline unsigned int
flow_dir(const struct flow_entry *e, uint8_t side)
{
	return (unsigned int)(side ^ e->init_side);
}

/* TCP state machine: side as from flow_key_from_meta(). */
static inline void
flow_tcp_update(struct flow_entry *e, uint8_t side, uint8_t tcp_flags)
{
	unsigned int d = flow_dir(e, side);

	e->tcp_flags_seen[d] |= tcp_flags;
	if (likely(e->state == FLOW_S_TCP_EST &&
			!(tcp_flags & (FLOW_TCP_FIN | FLOW_TCP_RST))))
		return;
	if (tcp_flags & FLOW_TCP_RST) {
		e->state = FLOW_S_TCP_CLOSED;
		return;
	}
	switch (e->state) {
	case FLOW_S_TCP_SYN_SENT:
		/* SYN|ACK, or a bare SYN (simultaneous open), from the peer */
		if (d == FLOW_DIR_REPLY && (tcp_flags & FLOW_TCP_SYN))
			e->state = FLOW_S_TCP_SYN_RCVD;
		break;
	case FLOW_S_TCP_SYN_RCVD:
		if (tcp_flags & FLOW_TCP_FIN) {
			e->tflags |= d ? FLOW_TF_FIN_REPLY : FLOW_TF_FIN_ORIG;
			e->state = FLOW_S_TCP_FIN;
		} else if (d == FLOW_DIR_ORIG &&
				(tcp_flags & (FLOW_TCP_SYN | FLOW_TCP_ACK)) ==
				FLOW_TCP_ACK) {
			e->state = FLOW_S_TCP_EST;
		}
		break;
	case FLOW_S_TCP_EST:
	case FLOW_S_TCP_FIN:
		if (tcp_flags & FLOW_TCP_FIN) {
			e->tflags |= d ? FLOW_TF_FIN_REPLY : FLOW_TF_FIN_ORIG;
			e->state = FLOW_S_TCP_FIN;
		}
		if ((e->tflags & (FLOW_TF_FIN_ORIG | FLOW_TF_FIN_REPLY)) ==
				(FLOW_TF_FIN_ORIG | FLOW_TF_FIN_REPLY))
			e->state = FLOW_S_TCP_CLOSED;
		break;
	case FLOW_S_TCP_CLOSED:
		/* The initiator reuses the tuple: a new connection. */
		if (d == FLOW_DIR_ORIG && (tcp_flags &
				(FLOW_TCP_SYN | FLOW_TCP_ACK)) == FLOW_TCP_SYN) {
			e->state = FLOW_S_TCP_SYN_SENT;
			e->tflags &= (uint8_t)~(FLOW_TF_FIN_ORIG |
				FLOW_TF_FIN_REPLY | FLOW_TF_MIDSTREAM);
		}
		break;
	default:
		break;
	}
}

/*
 * Count one packet (bytes: L3 length or frame length, the lead's choice)
 * and advance the state. side as from flow_key_from_meta().
 */
static inline void
flow_update(struct flow_entry *e, uint8_t side, uint32_t bytes,
	uint8_t tcp_flags)
{
	unsigned int d = flow_dir(e, side);

	/* A carry is a branch never taken but once in 4 G packets (or
	 * bytes): the cold line stays cold. */
	if (unlikely(++e->pkts_lo[d] == 0))
		flow_cold(e)->pkts_hi[d]++;
	e->bytes_lo[d] += bytes;
	if (unlikely(e->bytes_lo[d] < bytes))
		flow_cold(e)->bytes_hi[d]++;
	if (e->key.proto == 6)
		flow_tcp_update(e, side, tcp_flags);
	else if (d == FLOW_DIR_REPLY && e->state == FLOW_S_UDP_UNREPLIED)
		e->state = FLOW_S_UDP;
}

#ifdef __cplusplus
}
#endif

#endif /* CORDON_FLOW_TABLE_H */
