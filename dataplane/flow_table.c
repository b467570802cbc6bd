/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Flow table, see flow_table.h.
 *
 * Why not rte_hash: its cuckoo inserts displace entries along a path
 * whose length grows sharply past ~90% fill, and it has no notion of age,
 * so "full" means "insert fails". Here:
 *  - buckets are sized for 4 entries per 8-slot bucket at full capacity
 *    (slot load <= 50%), so the primary bucket almost always has room and
 *    lookups read one bucket line plus the entry; the alternative bucket
 *    is only read when the primary's overflow count is non-zero;
 *  - a full entry pool is the normal steady state: the new flow takes the
 *    entry of the least recently seen occupant of its primary bucket
 *    (about 4 random flows at full capacity, a sampled approximation of
 *    the globally oldest, as Redis' LRU), which also frees a slot right
 *    where the new key goes; its alternative bucket's only when none of
 *    those can go. O(1), no chains;
 *  - expired entries are reclaimed lazily when their key is looked up and
 *    by an incremental sweep; both call the event callback.
 * Signatures are the top 16 bits of the hash (0 means empty slot); the
 * bucket index is the low bits, so with 2^18 buckets about 14 bits of
 * signature are independent of the bucket: a false signature match costs
 * one extra key compare about once every 2000 lookups.
 */

#include <errno.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_prefetch.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "flow_table.h"
#include "util_mem.h"

const uint32_t flow_default_timeout_ms[FLOW_S_MAX] = {
	[FLOW_S_TCP_SYN_SENT] = 30 * 1000,
	[FLOW_S_TCP_SYN_RCVD] = 30 * 1000,
	[FLOW_S_TCP_EST] = 7440 * 1000,
	[FLOW_S_TCP_FIN] = 120 * 1000,
	[FLOW_S_TCP_CLOSED] = 10 * 1000,
	[FLOW_S_UDP_UNREPLIED] = 30 * 1000,
	[FLOW_S_UDP] = 120 * 1000,
	[FLOW_S_ICMP] = 30 * 1000,
	[FLOW_S_OTHER] = 600 * 1000,
};

struct flow_bucket {
	uint16_t sig[FLOW_BUCKET_SLOTS];	/* 0: empty slot */
	uint32_t idx[FLOW_BUCKET_SLOTS];
	/* Entries whose primary is this bucket but live in their alt. */
	uint32_t ovf;
	uint8_t pad[12];
} __rte_aligned(64);

_Static_assert(sizeof(struct flow_bucket) == 64, "bucket is one line");

#define FLOW_BLOCK (1u << FLOW_BLOCK_SHIFT)

/* Candidates the clock hand looks at when both buckets are empty. */
#define FLOW_CLOCK_WINDOW 32

/*
 * The hint array: a small set-associative cache, by hash, of where a
 * flow's entry is, read by a look-up before the buckets. The buckets scale
 * with the capacity (16 MiB at 1 M flows) and a packet's bucket is anywhere
 * in them: on these VMs, whose memory the host maps with 4 KiB pages, that
 * is a TLB miss and a page walk a packet once the bucket array outgrows the
 * TLB's reach, whatever the number of live flows. The hints and the
 * entries, which the pool hands out front to back, keep a few thousand
 * live flows within a few hundred pages. A hint is never trusted: its entry
 * must be in use and hold the key, or the buckets decide. So it is never
 * cleared, only overwritten.
 * A set is one line of eight ways, compared at once, the newest first.
 * The array is sized for many flows (2^18 ways in 2 MiB, at most twice
 * the capacity), but only as many sets are in use as the live flows need,
 * one to two flows a set on average: the sweep doubles them past two and
 * halves them under half a flow a set (flow_hints_fit()). A change of size
 * leaves every hint where the new indexing does not look, so each live
 * flow takes the buckets once and is hinted again.
 * Two ways of 8 bytes a set over all of 1 MiB put bench_peers' 10,000
 * flows on 7,400 lines and sent 1.1 % to the buckets; eight ways in the
 * 8,192 sets they now use put them on 5,800 lines and send none there
 * (3 % faster). Half a million flows at random find half their hints in
 * the whole array, and take the buckets less (docs/perf.md).
 */
#ifndef FLOW_HINTS_MAX
#define FLOW_HINTS_MAX (1u << 18)
#endif
#define FLOW_HINT_SETS_MIN 64u
#define FLOW_HINT_WAYS 8

/* A set: one line, the ways' hashes then their entries. */
struct flow_hint_set {
	uint32_t hash[FLOW_HINT_WAYS];	/* a flow's flow_hash_sym() */
	uint32_t idx[FLOW_HINT_WAYS];	/* its entry, if in use with the key */
} __rte_aligned(64);

_Static_assert(sizeof(struct flow_hint_set) == 64, "a hint set is one line");

struct flow_table {
	uint32_t capacity;
	uint32_t bucket_mask;
	uint32_t bucket_shift;		/* 32 - log2(nb_buckets) */
	uint32_t hint_shift;		/* 32 - log2(sets in use) */
	uint32_t hint_sets_max;		/* allocated */
	uint32_t nb_free;
	uint32_t sweep_pos;
	uint32_t sweeps;		/* rounds; release, for other threads */
	uint32_t clock_pos;
	uint32_t timeout[FLOW_S_MAX];
	flow_event_cb event_cb;
	void *event_arg;
	flow_visit_cb visit_cb;
	void *visit_arg;
	struct flow_bucket *buckets;
	struct flow_hint_set *hints;
	struct flow_entry *entries;
	uint32_t *free_stack;
	/* flow_table_create() memory, NULL if the caller owns it. */
	void (*mem_free)(void *ptr, void *arg);
	void *mem_arg;
	void *mem;
	/* Written by the worker only, read by the main lcore. */
	struct flow_table_stats stats __rte_cache_aligned;
} __rte_cache_aligned;

/* Single writer: a plain add published with a relaxed store. */
#define STAT_ADD(t, f, n) __atomic_store_n(&(t)->stats.f, \
	(t)->stats.f + (uint64_t)(n), __ATOMIC_RELAXED)

/* Entry idx of the pool, and back. */
static inline struct flow_entry *
flow_ent(const struct flow_table *t, uint32_t idx)
{
	return (struct flow_entry *)((uint8_t *)t->entries +
		((size_t)(idx >> FLOW_BLOCK_SHIFT) * 2 * FLOW_COLD_OFF) +
		(size_t)(idx & (FLOW_BLOCK - 1)) * sizeof(struct flow_entry));
}

static inline uint32_t
flow_idx(const struct flow_table *t, const struct flow_entry *e)
{
	size_t off = (size_t)((const uint8_t *)e -
		(const uint8_t *)t->entries);

	return (uint32_t)((off / (2 * FLOW_COLD_OFF)) << FLOW_BLOCK_SHIFT |
		(off % FLOW_COLD_OFF) / sizeof(struct flow_entry));
}

static uint32_t
flow_nb_buckets(uint32_t capacity)
{
	uint32_t want = (capacity + 3) / 4, nb = 2;

	while (nb < want)
		nb <<= 1;
	return nb;
}

/*
 * The pool: blocks of 64 hot lines (a 4 KiB page) each followed by their
 * 64 cold lines, so that the cold line of an entry is FLOW_COLD_OFF after
 * its hot one (flow_cold(), without the table) and the hot lines of a few
 * thousand flows, which the pool hands out front to back, are all a
 * known flow's packets touch: one line a packet, not two.
 */
_Static_assert(FLOW_BLOCK * sizeof(struct flow_entry) == FLOW_COLD_OFF,
	"a block's hot lines fill the offset to their cold ones");

static size_t
flow_pool_size(uint32_t capacity)
{
	return (size_t)((capacity + FLOW_BLOCK - 1) >> FLOW_BLOCK_SHIFT) *
		2 * FLOW_COLD_OFF;
}

/* Sets: a power of two, ways for twice the capacity, at least two sets,
 * at most FLOW_HINTS_MAX ways in all. */
static uint32_t
flow_nb_hint_sets(uint32_t capacity)
{
	uint32_t nb = 2;

	while (nb * FLOW_HINT_WAYS < 2 * capacity &&
	       nb * FLOW_HINT_WAYS < FLOW_HINTS_MAX)
		nb <<= 1;
	return nb;
}

size_t
flow_table_mem_size(uint32_t capacity)
{
	size_t sz;

	if (capacity == 0 || capacity > (1u << 30))
		return 0;
	sz = RTE_ALIGN_CEIL(sizeof(struct flow_table), 64);
	sz += (size_t)flow_nb_buckets(capacity) * sizeof(struct flow_bucket);
	sz += (size_t)flow_nb_hint_sets(capacity) *
		sizeof(struct flow_hint_set);
	/* The entries start on a page of their own: room to align them. */
	sz += FLOW_COLD_OFF + flow_pool_size(capacity);
	sz += RTE_ALIGN_CEIL((size_t)capacity * sizeof(uint32_t), 64);
	return sz;
}

struct flow_table *
flow_table_init(void *mem, size_t size, const struct flow_table_params *p)
{
	struct flow_table *t = mem;
	uint32_t nb, i;
	uint8_t *cur;

	if (mem == NULL || p == NULL || ((uintptr_t)mem & 63) != 0)
		return NULL;
	if (flow_table_mem_size(p->capacity) == 0 ||
			size < flow_table_mem_size(p->capacity))
		return NULL;
	nb = flow_nb_buckets(p->capacity);
	memset(t, 0, sizeof(*t));
	t->capacity = p->capacity;
	t->bucket_mask = nb - 1;
	t->bucket_shift = 32 - (uint32_t)__builtin_ctz(nb);
	t->hint_sets_max = flow_nb_hint_sets(p->capacity);
	t->hint_shift = 32 - (uint32_t)__builtin_ctz(RTE_MIN(
		t->hint_sets_max, FLOW_HINT_SETS_MIN));
	for (i = 0; i < FLOW_S_MAX; i++) {
		t->timeout[i] = p->timeout_ms[i] ? p->timeout_ms[i] :
			flow_default_timeout_ms[i];
		/* Ages are computed modulo 2^32: keep timeouts below 2^31. */
		if (t->timeout[i] > INT32_MAX)
			t->timeout[i] = INT32_MAX;
	}
	t->event_cb = p->event_cb;
	t->event_arg = p->event_arg;
	t->visit_cb = p->visit_cb;
	t->visit_arg = p->visit_arg;

	cur = (uint8_t *)mem + RTE_ALIGN_CEIL(sizeof(*t), 64);
	t->buckets = (struct flow_bucket *)cur;
	memset(t->buckets, 0, (size_t)nb * sizeof(struct flow_bucket));
	cur += (size_t)nb * sizeof(struct flow_bucket);
	t->hints = (struct flow_hint_set *)cur;
	memset(t->hints, 0, (size_t)flow_nb_hint_sets(p->capacity) *
		sizeof(struct flow_hint_set));
	cur += (size_t)flow_nb_hint_sets(p->capacity) *
		sizeof(struct flow_hint_set);
	cur = RTE_PTR_ALIGN_CEIL(cur, FLOW_COLD_OFF);
	t->entries = (struct flow_entry *)cur;
	cur += flow_pool_size(p->capacity);
	t->free_stack = (uint32_t *)cur;
	/* Pop order 0, 1, 2...: fills the pool front to back. */
	for (i = 0; i < p->capacity; i++) {
		t->free_stack[i] = p->capacity - 1 - i;
		flow_ent(t, i)->tflags = 0;
	}
	t->nb_free = p->capacity;
	return t;
}

/*
 * The default memory: a mapping of util_mem's, on huge pages from 2 MiB up
 * (fewer TLB misses) and faulted in at once. Its arg is the size, which
 * flow_table_create() keeps for the free.
 */
static void *
flow_default_alloc(size_t size, size_t align, void *arg)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(align);	/* a mapping is page aligned */
	return util_mem_huge_map(size);
}

static void
flow_default_free(void *ptr, void *arg)
{
	util_mem_huge_unmap(ptr, (size_t)(uintptr_t)arg);
}

struct flow_table *
flow_table_create(const struct flow_table_params *p)
{
	void *(*alloc_fn)(size_t, size_t, void *);
	void (*free_fn)(void *, void *);
	struct flow_table *t;
	size_t sz;
	void *mem, *arg;

	if (p == NULL || (p->alloc == NULL) != (p->free == NULL)) {
		errno = EINVAL;
		return NULL;
	}
	sz = flow_table_mem_size(p->capacity);
	if (sz == 0) {
		errno = EINVAL;
		return NULL;
	}
	alloc_fn = p->alloc ? p->alloc : flow_default_alloc;
	free_fn = p->free ? p->free : flow_default_free;
	arg = p->alloc ? p->alloc_arg : (void *)(uintptr_t)sz;
	mem = alloc_fn(sz, 64, arg);
	if (mem == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	t = flow_table_init(mem, sz, p);
	if (t == NULL) {
		free_fn(mem, arg);
		errno = EINVAL;
		return NULL;
	}
	t->mem = mem;
	t->mem_free = free_fn;
	t->mem_arg = arg;
	return t;
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL || t->mem_free == NULL)
		return;
	t->mem_free(t->mem, t->mem_arg);
}

uint32_t
flow_table_capacity(const struct flow_table *t)
{
	return t->capacity;
}

uint32_t
flow_table_count(const struct flow_table *t)
{
	return t->capacity - t->nb_free;
}

uint32_t
flow_table_timeout(const struct flow_table *t, enum flow_state s)
{
	return (unsigned int)s < FLOW_S_MAX ? t->timeout[s] : 0;
}

void
flow_table_stats_read(const struct flow_table *t, struct flow_table_stats *s)
{
	s->lookups = __atomic_load_n(&t->stats.lookups, __ATOMIC_RELAXED);
	s->hits = __atomic_load_n(&t->stats.hits, __ATOMIC_RELAXED);
	s->searched = __atomic_load_n(&t->stats.searched, __ATOMIC_RELAXED);
	s->inserts = __atomic_load_n(&t->stats.inserts, __ATOMIC_RELAXED);
	s->insert_fail = __atomic_load_n(&t->stats.insert_fail,
		__ATOMIC_RELAXED);
	s->expired_lazy = __atomic_load_n(&t->stats.expired_lazy,
		__ATOMIC_RELAXED);
	s->expired_sweep = __atomic_load_n(&t->stats.expired_sweep,
		__ATOMIC_RELAXED);
	s->evicted = __atomic_load_n(&t->stats.evicted, __ATOMIC_RELAXED);
	s->evicted_bucket = __atomic_load_n(&t->stats.evicted_bucket,
		__ATOMIC_RELAXED);
	s->deleted = __atomic_load_n(&t->stats.deleted, __ATOMIC_RELAXED);
	s->active = __atomic_load_n(&t->stats.active, __ATOMIC_RELAXED);
}

static inline uint16_t
flow_sig(uint32_t hash)
{
	uint16_t s = (uint16_t)(hash >> 16);

	return s ? s : 1;
}

static inline uint32_t
flow_bkt1(const struct flow_table *t, uint32_t hash)
{
	return hash & t->bucket_mask;
}

/* Alternative bucket: from the high bits of a multiplicative remix. */
static inline uint32_t
flow_bkt2(const struct flow_table *t, uint32_t hash)
{
	uint32_t b1 = hash & t->bucket_mask;
	uint32_t b2 = (hash * 0x9e3779b1u) >> t->bucket_shift;

	return b2 != b1 ? b2 : b1 ^ 1;
}

/*
 * A flow's hint set: the high bits of a remix, so that the flows of one
 * bucket (the same low bits) do not share one.
 */
static inline struct flow_hint_set *
flow_hint_of(const struct flow_table *t, uint32_t hash)
{
	return &t->hints[FLOW_HINT_SET(hash, t->hint_shift)];
}

/* The way that holds hash, or -1 (at most one does: flow_hint_set()). */
static inline int
flow_hint_way(const struct flow_hint_set *h, uint32_t hash)
{
#ifdef __SSE2__
	const __m128i *v = (const __m128i *)(const void *)h->hash;
	__m128i x = _mm_set1_epi32((int)hash);
	uint32_t m = (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(
			_mm_cmpeq_epi32(_mm_load_si128(v), x))) |
		(uint32_t)_mm_movemask_ps(_mm_castsi128_ps(
			_mm_cmpeq_epi32(_mm_load_si128(v + 1), x))) << 4;

	return m != 0 ? __builtin_ctz(m) : -1;
#else
	for (int w = 0; w < FLOW_HINT_WAYS; w++)
		if (h->hash[w] == hash)
			return w;
	return -1;
#endif
}

/* A hint of the same hash (a stale one) is overwritten in place; else
 * the newest goes first and the oldest of the set is dropped, so that the
 * hints a change of size left behind age out before any live one. */
static inline void
flow_hint_set(struct flow_table *t, uint32_t hash, uint32_t idx)
{
	struct flow_hint_set *h = flow_hint_of(t, hash);
	int w = flow_hint_way(h, hash);

	if (w < 0) {
		memmove(&h->hash[1], &h->hash[0],
			(FLOW_HINT_WAYS - 1) * sizeof(h->hash[0]));
		memmove(&h->idx[1], &h->idx[0],
			(FLOW_HINT_WAYS - 1) * sizeof(h->idx[0]));
		h->hash[0] = hash;
		w = 0;
	}
	h->idx[w] = idx;
}

/* Bit i set: slot i holds sig. */
static inline uint32_t
flow_sig_match(const struct flow_bucket *b, uint16_t sig)
{
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)b->sig);
	__m128i m = _mm_cmpeq_epi16(v, _mm_set1_epi16((short)sig));

	/* Narrow the 16-bit lanes to bytes: one mask bit per slot. */
	return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(m,
		_mm_setzero_si128()));
#else
	uint32_t mask = 0;
	unsigned int i;

	for (i = 0; i < FLOW_BUCKET_SLOTS; i++)
		mask |= (uint32_t)(b->sig[i] == sig) << i;
	return mask;
#endif
}

static inline uint64_t
flow_key_word(const struct flow_key *k, unsigned int i)
{
	uint64_t w;

	memcpy(&w, (const uint8_t *)k + 8 * i, 8);
	return w;
}

/*
 * An entry's key against a whole one. The hot line holds the addresses'
 * last four bytes and the key's last word; two IPv4 keys that agree there
 * are equal, since the rest of their addresses is ::ffff:'s prefix
 * (flow_hash_sym() relies on the same). An IPv6 key's first twelve bytes
 * of each address are on the cold line.
 */
static inline int
flow_entry_key_eq(const struct flow_entry *e, const struct flow_key *k)
{
	uint64_t a, b, x;

	memcpy(&a, &e->key, 8);
	memcpy(&b, &e->key.port, 8);
	x = (a ^ ((uint64_t)flow_key_word(k, 1) >> 32 |
		(flow_key_word(k, 3) & 0xffffffff00000000ull))) |
		(b ^ flow_key_word(k, 4));
	if (x != 0)
		return 0;
	if (likely(k->family == 4))
		return 1;
	const struct flow_cold *c = flow_cold(e);

	return memcmp(c->addr_hi[0], k->addr[0], 12) == 0 &&
		memcmp(c->addr_hi[1], k->addr[1], 12) == 0;
}

static inline int
flow_expired(const struct flow_table *t, const struct flow_entry *e,
	uint32_t now)
{
	return (uint32_t)(now - e->last_seen) > t->timeout[e->state];
}

/* The slot of b that holds entry idx (signature sig), or -1. */
static inline int
flow_bucket_slot_of(const struct flow_bucket *b, uint16_t sig, uint32_t idx)
{
	uint32_t m = flow_sig_match(b, sig);

	for (; m != 0; m &= m - 1)
		if (b->idx[__builtin_ctz(m)] == idx)
			return __builtin_ctz(m);
	return -1;
}

/* Remove e from its bucket and return it to the pool. */
static void
flow_unlink(struct flow_table *t, struct flow_entry *e)
{
	const uint32_t hash = flow_cold(e)->hash;
	uint32_t idx = flow_idx(t, e);
	uint16_t sig = flow_sig(hash);
	struct flow_bucket *b1 = &t->buckets[flow_bkt1(t, hash)];
	struct flow_bucket *b2;
	int i;

	i = flow_bucket_slot_of(b1, sig, idx);
	if (likely(i >= 0)) {
		b1->sig[i] = 0;
		goto freed;
	}
	b2 = &t->buckets[flow_bkt2(t, hash)];
	i = flow_bucket_slot_of(b2, sig, idx);
	RTE_ASSERT(i >= 0);	/* an in-use entry is always in one of them */
	if (i >= 0) {
		b2->sig[i] = 0;
		b1->ovf--;
	}
freed:
	e->tflags = 0;
	t->free_stack[t->nb_free++] = idx;
	STAT_ADD(t, active, -1);
}

static void
flow_reclaim(struct flow_table *t, struct flow_entry *e,
	enum flow_end_reason why)
{
	if (t->event_cb != NULL)
		t->event_cb(e, why, t->event_arg);
	flow_unlink(t, e);
}

/*
 * The same for an entry whose place is known (slot of bucket b, which is
 * its primary or its alternative): no search for it.
 */
static inline void
flow_reclaim_at(struct flow_table *t, struct flow_entry *e,
	enum flow_end_reason why, struct flow_bucket *b, unsigned int slot)
{
	struct flow_bucket *home = &t->buckets[flow_bkt1(t,
		flow_cold(e)->hash)];

	if (t->event_cb != NULL)
		t->event_cb(e, why, t->event_arg);
	RTE_ASSERT(b->idx[slot] == flow_idx(t, e) && b->sig[slot]);
	b->sig[slot] = 0;
	if (home != b)
		home->ovf--;	/* it lived in its alternative */
	e->tflags = 0;
	t->free_stack[t->nb_free++] = b->idx[slot];
	STAT_ADD(t, active, -1);
}

/* Search one bucket; the entries of matching slots may still be cold. */
static inline struct flow_entry *
flow_bucket_find(struct flow_table *t, const struct flow_bucket *b,
	uint16_t sig, const struct flow_key *k)
{
	uint32_t m = flow_sig_match(b, sig);

	while (m) {
		struct flow_entry *e = flow_ent(t, b->idx[__builtin_ctz(m)]);

		if (likely(flow_entry_key_eq(e, k)))
			return e;
		m &= m - 1;
	}
	return NULL;
}

/* Find k, reclaiming it if expired. */
static inline struct flow_entry *
flow_find(struct flow_table *t, const struct flow_key *k, uint32_t hash,
	uint32_t now)
{
	const struct flow_bucket *b1 = &t->buckets[flow_bkt1(t, hash)];
	uint16_t sig = flow_sig(hash);
	struct flow_entry *e;

	e = flow_bucket_find(t, b1, sig, k);
	if (e == NULL && unlikely(b1->ovf != 0))
		e = flow_bucket_find(t, &t->buckets[flow_bkt2(t, hash)], sig,
			k);
	if (e == NULL)
		return NULL;
	if (unlikely(flow_expired(t, e, now))) {
		flow_reclaim(t, e, FLOW_END_EXPIRED);
		STAT_ADD(t, expired_lazy, 1);
		return NULL;
	}
	e->last_seen = now;
	flow_hint_set(t, hash, flow_idx(t, e));
	return e;
}

/*
 * A new flow when the pool is (nearly) out: its insert will evict the
 * oldest of its primary bucket's occupants, and reading their last-seen
 * times was a third of a new flow's time (each a random entry: a cache
 * and TLB miss). Start the occupants' lines: the hot line holds what
 * flow_oldest_in() reads, and the cold one the hash flow_reclaim_at()
 * needs, and the new flow's start. The look-up read the bucket itself.
 */
static inline void
flow_prefetch_victims(const struct flow_table *t, uint32_t hash)
{
	const struct flow_bucket *b = &t->buckets[flow_bkt1(t, hash)];
	uint32_t m = ~flow_sig_match(b, 0) & ((1u << FLOW_BUCKET_SLOTS) - 1);

	for (; m != 0; m &= m - 1) {
		const struct flow_entry *e =
			flow_ent(t, b->idx[__builtin_ctz(m)]);

		/* The hot line, and the cold one flow_unlink() reads. */
		rte_prefetch0(e);
		rte_prefetch0(flow_cold(e));
	}
}

uint64_t
flow_lookup_burst(struct flow_table *t, const struct flow_key *keys,
	const uint32_t *hashes, unsigned int n, struct flow_entry **out,
	uint32_t now)
{
	uint64_t hits = 0;
	unsigned int i, searched = 0;

	if (unlikely(n > FLOW_BURST_MAX))
		n = FLOW_BURST_MAX;
	/* Stage 1: the hints (on their way: the caller prefetched them,
	 * flow_prefetch_hash()). A hint with the flow's hash names the
	 * candidate entry, whose lines are started here; any other flow
	 * (a new one, or one whose slot another took) starts its bucket.
	 * out[i] holds the candidate until stage 2 decides; a hit leaves it
	 * there. */
	for (i = 0; i < n; i++) {
		const struct flow_hint_set *h = flow_hint_of(t, hashes[i]);
		const int w = flow_hint_way(h, hashes[i]);
		struct flow_entry *e = NULL;

		if (likely(w >= 0)) {
			e = flow_ent(t, h->idx[w]);
			rte_prefetch0(e);
		} else
			rte_prefetch0(&t->buckets[flow_bkt1(t, hashes[i])]);
		out[i] = e;
	}
	/*
	 * Stage 2: compare keys. A hinted candidate is almost always the
	 * entry; anything else takes the buckets' search (flow_find(), which
	 * leaves a hint for the next packet).
	 * A candidate reclaimed earlier in this stage (a second packet of an
	 * expired flow) is no longer in use, and is searched for again.
	 */
	for (i = 0; i < n; i++) {
		struct flow_entry *e = out[i];

		if (likely(e != NULL && (e->tflags & FLOW_TF_IN_USE) &&
				flow_entry_key_eq(e, &keys[i]))) {
			if (unlikely(flow_expired(t, e, now))) {
				flow_reclaim(t, e, FLOW_END_EXPIRED);
				STAT_ADD(t, expired_lazy, 1);
				out[i] = NULL;
				continue;
			}
			e->last_seen = now;
		} else {
			searched++;
			e = flow_find(t, &keys[i], hashes[i], now);
			out[i] = e;
			if (e == NULL)
				continue;
		}
		hits |= 1ULL << i;
	}
	STAT_ADD(t, lookups, n);
	STAT_ADD(t, hits, __builtin_popcountll(hits));
	STAT_ADD(t, searched, searched);
	return hits;
}

void
flow_prefetch_burst(const struct flow_table *t, const uint32_t *hashes,
	unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rte_prefetch0(flow_hint_of(t, hashes[i]));
}

void
flow_prefetch_insert(const struct flow_table *t, uint32_t hash)
{
	if (t->nb_free < FLOW_BURST_MAX)
		flow_prefetch_victims(t, hash);
	else
		rte_prefetch0(&t->buckets[flow_bkt1(t, hash)]);
}

void
flow_prefetcher_init(const struct flow_table *t, struct flow_prefetcher *p)
{
	p->hints = (const uint8_t *)t->hints;
	p->hint_shift = t->hint_shift;
}

_Static_assert(sizeof(struct flow_hint_set) == 64,
	"flow_prefetch_hash() counts a line a set");

struct flow_entry *
flow_lookup(struct flow_table *t, const struct flow_key *k, uint32_t hash,
	uint32_t now)
{
	struct flow_entry *e = flow_find(t, k, hash, now);

	STAT_ADD(t, lookups, 1);
	if (e != NULL)
		STAT_ADD(t, hits, 1);
	return e;
}

/*
 * Least recently seen occupant of b (updates *best and its *best_slot);
 * entries seen at "now" are never chosen (pointer validity, see
 * flow_table.h).
 */
static inline void
flow_oldest_in(struct flow_table *t, const struct flow_bucket *b,
	uint32_t now, struct flow_entry **best, uint32_t *best_age,
	unsigned int *best_slot)
{
	uint32_t m = ~flow_sig_match(b, 0) & ((1u << FLOW_BUCKET_SLOTS) - 1);

	/* The occupants' entries are independent loads: the core has them
	 * all in flight at once without prefetches. */
	for (; m != 0; m &= m - 1) {
		struct flow_entry *e = flow_ent(t, b->idx[__builtin_ctz(m)]);
		uint32_t age = now - e->last_seen;

		/* Expired entries go first, whatever their age. */
		if (flow_expired(t, e, now))
			age = UINT32_MAX;
		if (age > *best_age) {
			*best = e;
			*best_age = age;
			*best_slot = (unsigned int)__builtin_ctz(m);
		}
	}
}

/* Both buckets empty and the pool full: look along the pool instead. */
static struct flow_entry *
flow_clock_victim(struct flow_table *t, uint32_t now)
{
	struct flow_entry *best = NULL;
	uint32_t best_age = 0, i;

	for (i = 0; i < FLOW_CLOCK_WINDOW; i++) {
		struct flow_entry *e = flow_ent(t, t->clock_pos);
		uint32_t age = now - e->last_seen;

		if (++t->clock_pos == t->capacity)
			t->clock_pos = 0;
		if (!(e->tflags & FLOW_TF_IN_USE))
			continue;
		if (flow_expired(t, e, now))
			age = UINT32_MAX;
		if (age > best_age) {
			best = e;
			best_age = age;
		}
	}
	return best;
}

static inline int
flow_bucket_free_slot(const struct flow_bucket *b)
{
	uint32_t m = flow_sig_match(b, 0);

	return m ? __builtin_ctz(m) : -1;
}

/*
 * Both buckets of a new key are full (rare: buckets are half full on
 * average). Move one occupant of b to its other bucket if that has room:
 * a single cuckoo step, no chains. Returns the freed slot or -1.
 */
static int
flow_make_room(struct flow_table *t, struct flow_bucket *b)
{
	uint32_t bi = (uint32_t)(b - t->buckets);
	unsigned int i;

	for (i = 0; i < FLOW_BUCKET_SLOTS; i++) {
		const struct flow_entry *e = flow_ent(t, b->idx[i]);
		const uint32_t h = flow_cold(e)->hash;
		uint32_t p = flow_bkt1(t, h), a = flow_bkt2(t, h);
		struct flow_bucket *o = &t->buckets[p == bi ? a : p];
		int s = flow_bucket_free_slot(o);

		if (s < 0)
			continue;
		o->sig[s] = b->sig[i];
		o->idx[s] = b->idx[i];
		b->sig[i] = 0;
		if (p == bi)
			t->buckets[p].ovf++;	/* primary -> alternative */
		else
			t->buckets[p].ovf--;	/* back home */
		return (int)i;
	}
	return -1;
}

static void
flow_entry_init(struct flow_entry *e, const struct flow_key *k,
	uint32_t hash, uint8_t side, uint8_t tcp_flags, uint32_t now)
{
	struct flow_cold *c = flow_cold(e);

	memset((uint8_t *)e + offsetof(struct flow_entry, pkts_lo), 0,
		sizeof(*e) - offsetof(struct flow_entry, pkts_lo));
	memset(c, 0, sizeof(*c));
	for (unsigned int s = 0; s < 2; s++) {
		memcpy(c->addr_hi[s], k->addr[s], 12);
		memcpy(&e->key.addr_lo[s], k->addr[s] + 12, 4);
		e->key.port[s] = k->port[s];
	}
	e->key.vlan = k->vlan;
	e->key.proto = k->proto;
	e->key.family = k->family;
	c->hash = hash;
	c->created = now;
	e->last_seen = now;
	e->verdict = 0;
	e->epoch = 0;
	e->user_flags = 0;
	e->init_side = side;
	e->tflags = FLOW_TF_IN_USE;
	switch (k->proto) {
	case 6:
		if ((tcp_flags & (FLOW_TCP_SYN | FLOW_TCP_ACK | FLOW_TCP_RST))
				== FLOW_TCP_SYN) {
			e->state = FLOW_S_TCP_SYN_SENT;
		} else if ((tcp_flags & (FLOW_TCP_SYN | FLOW_TCP_ACK |
				FLOW_TCP_RST)) == (FLOW_TCP_SYN | FLOW_TCP_ACK)) {
			/*
			 * Missed the SYN. Whoever sent the first packet we
			 * saw is the initiator, for policy too: trusting the
			 * SYN|ACK would let a spoofed one be judged as the
			 * reply of a flow its victim never opened.
			 */
			e->state = FLOW_S_TCP_EST;
			e->tflags |= FLOW_TF_MIDSTREAM;
		} else if (tcp_flags & FLOW_TCP_RST) {
			e->state = FLOW_S_TCP_CLOSED;
		} else if (tcp_flags & FLOW_TCP_FIN) {
			e->state = FLOW_S_TCP_FIN;
			e->tflags |= FLOW_TF_MIDSTREAM;
		} else {
			/* Loose pick-up of a flow older than the bridge. */
			e->state = FLOW_S_TCP_EST;
			e->tflags |= FLOW_TF_MIDSTREAM;
		}
		break;
	case 17:
		e->state = FLOW_S_UDP_UNREPLIED;
		break;
	case 1:
	case 58:
		e->state = FLOW_S_ICMP;
		break;
	default:
		e->state = FLOW_S_OTHER;
		break;
	}
}

struct flow_entry *
flow_insert(struct flow_table *t, const struct flow_key *k, uint32_t hash,
	uint8_t side, uint8_t tcp_flags, uint32_t now)
{
	struct flow_bucket *b1, *b2;
	struct flow_entry *e;
	uint32_t idx;
	int slot;

	/* A burst may carry several first packets of one flow. */
	e = flow_find(t, k, hash, now);
	if (e != NULL)
		return e;

	b1 = &t->buckets[flow_bkt1(t, hash)];
	slot = flow_bucket_free_slot(b1);
	b2 = NULL;
	if (unlikely(slot < 0)) {
		b2 = &t->buckets[flow_bkt2(t, hash)];
		slot = flow_bucket_free_slot(b2);
		if (unlikely(slot < 0)) {
			/* Both full: one cuckoo step, b1 first. */
			slot = flow_make_room(t, b1);
			if (slot >= 0)
				b2 = NULL;
			else
				slot = flow_make_room(t, b2);
		}
	}
	if (unlikely(t->nb_free == 0 || slot < 0)) {
		struct flow_entry *victim = NULL;
		struct flow_bucket *vb = b1;
		int pool_full = t->nb_free == 0;
		enum flow_end_reason why;
		unsigned int vslot = 0;
		uint32_t age = 0;

		/*
		 * The oldest occupant of the key's primary bucket, whose line
		 * the look-up brought in: its entry's place is right where
		 * the key goes. The alternative bucket's (a line and four
		 * entries more to read) only when none of those can go.
		 */
		flow_oldest_in(t, b1, now, &victim, &age, &vslot);
		if (victim == NULL) {
			if (b2 == NULL)
				b2 = &t->buckets[flow_bkt2(t, hash)];
			vb = b2;
			flow_oldest_in(t, b2, now, &victim, &age, &vslot);
		}
		if (victim == NULL && slot >= 0) {
			vb = NULL;
			victim = flow_clock_victim(t, now);
		}
		if (victim == NULL) {
			STAT_ADD(t, insert_fail, 1);
			return NULL;
		}
		why = flow_expired(t, victim, now) ? FLOW_END_EXPIRED :
			FLOW_END_EVICTED;
		if (vb != NULL)
			flow_reclaim_at(t, victim, why, vb, vslot);
		else
			flow_reclaim(t, victim, why);
		if (why == FLOW_END_EXPIRED)
			STAT_ADD(t, expired_lazy, 1);
		else if (pool_full)
			STAT_ADD(t, evicted, 1);
		else
			STAT_ADD(t, evicted_bucket, 1);
		/*
		 * The victim may have freed a slot in b1 (prefer it, the
		 * lowest free one) or b2. When it came from b1 that is its
		 * own slot, or a lower one that was free already.
		 */
		if (vb == b1) {
			if (b2 != NULL || slot < 0 || (unsigned int)slot > vslot)
				slot = (int)vslot;
			b2 = NULL;
		} else {
			b2 = NULL;
			slot = flow_bucket_free_slot(b1);
			if (slot < 0) {
				b2 = &t->buckets[flow_bkt2(t, hash)];
				slot = flow_bucket_free_slot(b2);
			}
		}
		RTE_ASSERT(slot >= 0 && t->nb_free > 0);
	}

	idx = t->free_stack[--t->nb_free];
	e = flow_ent(t, idx);
	flow_entry_init(e, k, hash, side, tcp_flags, now);
	if (b2 == NULL) {
		b1->sig[slot] = flow_sig(hash);
		b1->idx[slot] = idx;
	} else {
		b2->sig[slot] = flow_sig(hash);
		b2->idx[slot] = idx;
		b1->ovf++;
	}
	flow_hint_set(t, hash, idx);
	STAT_ADD(t, inserts, 1);
	STAT_ADD(t, active, 1);
	return e;
}

void
flow_delete(struct flow_table *t, struct flow_entry *e)
{
	if (e == NULL || !(e->tflags & FLOW_TF_IN_USE))
		return;
	flow_reclaim(t, e, FLOW_END_DELETED);
	STAT_ADD(t, deleted, 1);
}

void
flow_table_flush(struct flow_table *t)
{
	uint32_t i;

	for (i = 0; i < t->capacity; i++)
		flow_delete(t, flow_ent(t, i));
}

/* Sets in use for the live flows: see the hint array, above. */
static void
flow_hints_fit(struct flow_table *t)
{
	const uint64_t active = t->stats.active;
	const uint32_t sets = 1u << (32 - t->hint_shift);
	uint32_t want = sets;

	while (want < t->hint_sets_max && active > 2 * (uint64_t)want)
		want <<= 1;
	while (want > FLOW_HINT_SETS_MIN && active < want / 2)
		want >>= 1;
	if (want != sets)
		t->hint_shift = 32 - (uint32_t)__builtin_ctz(want);
}

unsigned int
flow_table_sweep(struct flow_table *t, uint32_t now, unsigned int budget)
{
	unsigned int freed = 0;

	flow_hints_fit(t);

	while (budget--) {
		struct flow_entry *e = flow_ent(t, t->sweep_pos);

		if (++t->sweep_pos == t->capacity) {
			t->sweep_pos = 0;
			__atomic_store_n(&t->sweeps, t->sweeps + 1,
					 __ATOMIC_RELEASE);
		}
		if (!(e->tflags & FLOW_TF_IN_USE))
			continue;
		if (flow_expired(t, e, now)) {
			flow_reclaim(t, e, FLOW_END_EXPIRED);
			freed++;
		} else if (t->visit_cb != NULL) {
			t->visit_cb(e, t->visit_arg);
		}
	}
	if (freed)
		STAT_ADD(t, expired_sweep, freed);
	return freed;
}

uint32_t
flow_table_sweeps(const struct flow_table *t)
{
	return __atomic_load_n(&t->sweeps, __ATOMIC_ACQUIRE);
}

void
flow_table_occupancy(const struct flow_table *t,
	struct flow_table_occupancy *o)
{
	uint32_t b, i;

	memset(o, 0, sizeof(*o));
	o->nb_buckets = t->bucket_mask + 1;
	for (b = 0; b <= t->bucket_mask; b++) {
		const struct flow_bucket *bk = &t->buckets[b];
		uint32_t used = 0;

		for (i = 0; i < FLOW_BUCKET_SLOTS; i++) {
			if (bk->sig[i] == 0)
				continue;
			used++;
			const struct flow_entry *e = flow_ent(t, bk->idx[i]);

			if (flow_bkt1(t, flow_cold(e)->hash) != b)
				o->in_alt++;
		}
		o->entries += used;
		o->ovf += bk->ovf;
		if (used == FLOW_BUCKET_SLOTS)
			o->full_buckets++;
		if (used > o->max_bucket)
			o->max_bucket = used;
	}
}

int
flow_table_walk(const struct flow_table *t, uint32_t *pos, uint32_t budget,
	flow_walk_cb cb, void *arg)
{
	uint32_t i = *pos;

	while (budget-- && i < t->capacity) {
		const struct flow_entry *e = flow_ent(t, i++);

		if (e->tflags & FLOW_TF_IN_USE)
			cb(e, arg);
	}
	if (i >= t->capacity) {
		*pos = 0;
		return 1;
	}
	*pos = i;
	return 0;
}
