/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_pause.h>
#include <rte_ring.h>

#include "device.h"

#define DEVICE_MAX_PROBE 64

int
device_table_init(struct device_table *t, uint32_t max, uint32_t ageing_s)
{
	uint32_t slots = 64;
	ssize_t ring_sz;

	memset(t, 0, sizeof(*t));
	if (max == 0 || max > (1u << 24))
		return -EINVAL;
	/* At most 3/4 full: linear probes stay short. */
	while ((uint64_t)slots * 3 < (uint64_t)max * 4)
		slots <<= 1;
	ring_sz = rte_ring_get_memsize(rte_align32pow2(max + 1));
	t->slot_key = calloc(slots, sizeof(*t->slot_key));
	t->slot_idx = calloc(slots, sizeof(*t->slot_idx));
	t->e = aligned_alloc(64, (size_t)max * sizeof(*t->e));
	t->hot = aligned_alloc(64, RTE_ALIGN_CEIL((size_t)max *
						  sizeof(*t->hot), 64));
	t->retiring = calloc((max + 63) / 64, sizeof(*t->retiring));
	t->free = ring_sz > 0 ?
		aligned_alloc(RTE_CACHE_LINE_SIZE,
			      RTE_ALIGN_CEIL((size_t)ring_sz,
					     RTE_CACHE_LINE_SIZE)) : NULL;
	if (t->slot_key == NULL || t->slot_idx == NULL || t->e == NULL ||
	    t->hot == NULL || t->retiring == NULL || t->free == NULL ||
	    rte_ring_init(t->free, "devices_free", max,
			  RING_F_SP_ENQ | RING_F_EXACT_SZ) < 0) {
		device_table_fini(t);
		return -ENOMEM;
	}
	memset(t->e, 0, (size_t)max * sizeof(*t->e));
	memset(t->hot, 0, (size_t)max * sizeof(*t->hot));
	t->mask = slots - 1;
	t->max = max;
	t->ageing_s = ageing_s;
	return 0;
}

void
device_table_fini(struct device_table *t)
{
	free(t->slot_key);
	free(t->slot_idx);
	free(t->e);
	free(t->hot);
	free(t->retiring);
	free(t->free);
	memset(t, 0, sizeof(*t));
}

uint32_t
device_lookup(const struct device_table *t, const uint8_t *mac, uint16_t vlan)
{
	return device_lookup_key(t, device_key(mac, vlan));
}

uint32_t
device_lookup_key(const struct device_table *t, uint64_t key)
{
	uint32_t i = device_hash(key) & t->mask;

	for (int n = 0; n < DEVICE_MAX_PROBE; n++, i = (i + 1) & t->mask) {
		uint64_t k = __atomic_load_n(&t->slot_key[i], __ATOMIC_ACQUIRE);

		if (k == key)
			return __atomic_load_n(&t->slot_idx[i],
					       __ATOMIC_RELAXED);
		if (k == 0 || k == (key | DEVICE_SLOT_PENDING))
			return DEVICE_NONE;
	}
	return DEVICE_NONE;
}

uint32_t
device_live_count(const struct device_table *t)
{
	uint32_t n = device_count(t);
	uint32_t gone = rte_ring_count(t->free) +
		__atomic_load_n(&t->n_retiring, __ATOMIC_RELAXED);

	return n > gone ? n - gone : 0;
}

/* We own slot i (pending): give it an index (a freed one first), fill it
 * in, publish it. */
static uint32_t
device_fill(struct device_table *t, uint32_t i, uint64_t key, uint16_t port,
	    uint32_t now_s)
{
	void *freed;
	uint32_t idx;

	if (rte_ring_mc_dequeue(t->free, &freed) == 0) {
		idx = (uint32_t)(uintptr_t)freed;
		__atomic_fetch_add(&t->reused, 1, __ATOMIC_RELAXED);
	} else {
		idx = __atomic_fetch_add(&t->count, 1, __ATOMIC_RELAXED);
		if (idx >= t->max) {
			__atomic_fetch_sub(&t->count, 1, __ATOMIC_RELAXED);
			/* A tombstone: probes step over it, and the main
			 * lcore's clean or a later insert takes it back. */
			__atomic_store_n(&t->slot_key[i], DEVICE_SLOT_DEAD,
					 __ATOMIC_RELEASE);
			__atomic_fetch_add(&t->full, 1, __ATOMIC_RELAXED);
			return DEVICE_NONE;
		}
	}
	t->e[idx].first_seen_s = now_s;
	t->hot[idx].last_seen_s = now_s;
	t->hot[idx].port = port;
	__atomic_store_n(&t->e[idx].key, key, __ATOMIC_RELEASE);
	t->slot_idx[i] = idx;
	__atomic_store_n(&t->slot_key[i], key, __ATOMIC_RELEASE);
	return idx;
}

/* Where slot i stands on the probe path of a key whose home is h. */
static inline uint32_t
device_dist(const struct device_table *t, uint32_t h, uint32_t i)
{
	return (i - h) & t->mask;
}

enum device_rival {
	DEVICE_RIVAL_NONE,	/* ours: fill it in */
	DEVICE_RIVAL_LIVE,	/* the key is there already, at *at */
	DEVICE_RIVAL_YIELD,	/* another worker claimed it nearer home */
};

/*
 * We claimed slot mine for key: walk its probe path again for another
 * claim of the same key (see device.h). Sequentially consistent loads:
 * of two workers that claimed, at least one sees the other's claim.
 */
static enum device_rival
device_rival(const struct device_table *t, uint64_t key, uint32_t mine,
	     uint32_t *at)
{
	const uint32_t h = device_hash(key) & t->mask;
	uint32_t i = h;

	for (int n = 0; n < DEVICE_MAX_PROBE; n++, i = (i + 1) & t->mask) {
		uint64_t k;

		if (i == mine)
			continue;
		k = __atomic_load_n(&t->slot_key[i], __ATOMIC_SEQ_CST);
		if (k == 0)
			break;
		if (k == key) {
			*at = i;
			return DEVICE_RIVAL_LIVE;
		}
		if (k == (key | DEVICE_SLOT_PENDING) &&
		    device_dist(t, h, i) < device_dist(t, h, mine))
			return DEVICE_RIVAL_YIELD;
	}
	return DEVICE_RIVAL_NONE;
}

uint32_t
device_get(struct device_table *t, const uint8_t *mac, uint16_t vlan,
	   uint16_t port, uint32_t now_s)
{
	return device_get_key(t, device_key(mac, vlan), port, now_s);
}

/* Creating: kept out while the main lcore cleans (device.h). */
static void
device_insert_enter(struct device_table *t)
{
	for (;;) {
		while (__atomic_load_n(&t->cleaning, __ATOMIC_ACQUIRE))
			rte_pause();
		__atomic_fetch_add(&t->inserting, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&t->cleaning, __ATOMIC_SEQ_CST))
			return;
		__atomic_fetch_sub(&t->inserting, 1, __ATOMIC_RELEASE);
	}
}

static void
device_insert_leave(struct device_table *t)
{
	__atomic_fetch_sub(&t->inserting, 1, __ATOMIC_RELEASE);
}

/* Find key, or claim a slot for it and create it. Inside
 * device_insert_enter(). */
static uint32_t
device_insert(struct device_table *t, uint64_t key, uint16_t port,
	      uint32_t now_s)
{
	const uint32_t h = device_hash(key) & t->mask;
	uint32_t i, idx, at, tomb;
	uint64_t k, want;
	int n;

again:
	i = h;
	tomb = UINT32_MAX;
	k = DEVICE_SLOT_DEAD;
	for (n = 0; n < DEVICE_MAX_PROBE; ) {
		k = __atomic_load_n(&t->slot_key[i], __ATOMIC_ACQUIRE);
		if (k == key) {
			idx = __atomic_load_n(&t->slot_idx[i],
					      __ATOMIC_RELAXED);
			device_touch(t, idx, port, now_s);
			return idx;
		}
		if (k == (key | DEVICE_SLOT_PENDING)) {
			/* Another worker is creating it right now. */
			rte_pause();
			continue;
		}
		if (k == 0)
			break;
		if (k == DEVICE_SLOT_DEAD && tomb == UINT32_MAX)
			tomb = i;
		n++;
		i = (i + 1) & t->mask;
	}
	/* The first tombstone on the path, else the free slot ending it. */
	if (tomb != UINT32_MAX) {
		i = tomb;
		want = DEVICE_SLOT_DEAD;
	} else if (k == 0) {
		want = 0;
	} else {
		__atomic_fetch_add(&t->full, 1, __ATOMIC_RELAXED);
		return DEVICE_NONE;
	}
	if (!__atomic_compare_exchange_n(&t->slot_key[i], &want,
					 key | DEVICE_SLOT_PENDING, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
		goto again;	/* look at what won the slot */
	switch (device_rival(t, key, i, &at)) {
	case DEVICE_RIVAL_NONE:
		return device_fill(t, i, key, port, now_s);
	case DEVICE_RIVAL_LIVE:
		__atomic_store_n(&t->slot_key[i], DEVICE_SLOT_DEAD,
				 __ATOMIC_RELEASE);
		idx = __atomic_load_n(&t->slot_idx[at], __ATOMIC_RELAXED);
		device_touch(t, idx, port, now_s);
		return idx;
	case DEVICE_RIVAL_YIELD:
		__atomic_store_n(&t->slot_key[i], DEVICE_SLOT_DEAD,
				 __ATOMIC_RELEASE);
		goto again;	/* and wait for the other's entry */
	}
	return DEVICE_NONE;
}

uint32_t
device_get_key(struct device_table *t, uint64_t key, uint16_t port,
	       uint32_t now_s)
{
	uint32_t idx;

	/* A group MAC (the first byte's low bit: key bit 40), or zero. */
	if (((key >> 40) & 1) || (key & 0xffffffffffffull) == 0)
		return DEVICE_NONE;
	/* Known: no more than a look-up. */
	idx = device_lookup_key(t, key);
	if (idx != DEVICE_NONE) {
		device_touch(t, idx, port, now_s);
		return idx;
	}
	device_insert_enter(t);
	idx = device_insert(t, key, port, now_s);
	device_insert_leave(t);
	return idx;
}

int
device_retire_begin(struct device_table *t, uint32_t idx)
{
	uint64_t key, k;
	uint32_t i;

	if (idx >= t->max || idx >= device_count(t))
		return -ENOENT;
	key = __atomic_load_n(&t->e[idx].key, __ATOMIC_ACQUIRE);
	if (key == 0)
		return -ENOENT;
	if (device_retiring(t, idx))
		return -EALREADY;
	/* Marked before it is unlinked: a worker that still finds it in a
	 * flow after the sweep passed sees the mark. */
	__atomic_fetch_or(&t->retiring[idx / 64], 1ull << (idx % 64),
			  __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&t->n_retiring, 1, __ATOMIC_RELAXED);
	i = device_hash(key) & t->mask;
	for (int n = 0; n < DEVICE_MAX_PROBE; n++, i = (i + 1) & t->mask) {
		k = __atomic_load_n(&t->slot_key[i], __ATOMIC_ACQUIRE);
		if (k == 0)
			break;
		if (k == key && t->slot_idx[i] == idx) {
			/* Only the main lcore changes a published slot. */
			__atomic_store_n(&t->slot_key[i], DEVICE_SLOT_DEAD,
					 __ATOMIC_SEQ_CST);
			break;
		}
	}
	return 0;
}

void
device_retire_end(struct device_table *t, uint32_t idx)
{
	if (idx >= t->max || !device_retiring(t, idx))
		return;
	__atomic_store_n(&t->e[idx].key, 0, __ATOMIC_RELEASE);
	memset((uint8_t *)&t->e[idx] + sizeof(t->e[idx].key), 0,
	       sizeof(t->e[idx]) - sizeof(t->e[idx].key));
	memset(&t->hot[idx], 0, sizeof(t->hot[idx]));
	__atomic_fetch_and(&t->retiring[idx / 64], ~(1ull << (idx % 64)),
			   __ATOMIC_RELEASE);
	/* Room for every index: it cannot fail. */
	rte_ring_sp_enqueue(t->free, (void *)(uintptr_t)idx);
	__atomic_fetch_sub(&t->n_retiring, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->retired, 1, __ATOMIC_RELAXED);
}

uint32_t
device_table_clean(struct device_table *t, uint32_t budget)
{
	uint32_t freed = 0;

	/* Keep creations out: one that passed slot i while it held a key
	 * may be claiming the free slot after it. The wait is one insert
	 * long, and an insert waits at most for this clean. */
	__atomic_store_n(&t->cleaning, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&t->inserting, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
	while (budget--) {
		uint32_t i = t->clean_pos;

		t->clean_pos = (i + 1) & t->mask;
		if (__atomic_load_n(&t->slot_key[(i + 1) & t->mask],
				    __ATOMIC_ACQUIRE) != 0)
			continue;
		/* A free slot after i: every tombstone just before it ends
		 * no probe path that goes further. */
		while (__atomic_load_n(&t->slot_key[i], __ATOMIC_ACQUIRE) ==
		       DEVICE_SLOT_DEAD) {
			__atomic_store_n(&t->slot_key[i], 0, __ATOMIC_RELEASE);
			freed++;
			i = (i - 1) & t->mask;
		}
	}
	__atomic_store_n(&t->cleaning, 0, __ATOMIC_RELEASE);
	return freed;
}

bool
device_has_addr(const struct device_entry *d, const uint8_t *addr, int len)
{
	if (len == 4) {
		uint32_t a;
		uint8_t n = __atomic_load_n(&d->n_addr4, __ATOMIC_ACQUIRE);

		memcpy(&a, addr, 4);
		for (uint8_t i = 0; i < n && i < DEVICE_MAX_ADDR4; i++)
			if (__atomic_load_n(&d->addr4[i], __ATOMIC_RELAXED) == a)
				return true;
		return false;
	}
	if (len == 16) {
		uint8_t n = __atomic_load_n(&d->n_addr6, __ATOMIC_ACQUIRE);

		for (uint8_t i = 0; i < n && i < DEVICE_MAX_ADDR6; i++)
			if (memcmp(d->addr6[i], addr, 16) == 0)
				return true;
	}
	return false;
}

int
device_add_addr(struct device_entry *d, const uint8_t *addr, int len)
{
	if (len != 4 && len != 16)
		return -EINVAL;
	if (device_has_addr(d, addr, len))
		return 0;
	if (len == 4) {
		uint32_t a;

		memcpy(&a, addr, 4);
		if (d->n_addr4 < DEVICE_MAX_ADDR4) {
			__atomic_store_n(&d->addr4[d->n_addr4], a,
					 __ATOMIC_RELAXED);
			__atomic_store_n(&d->n_addr4, d->n_addr4 + 1,
					 __ATOMIC_RELEASE);
		} else {
			/* Oldest first: shift down, newest last. */
			for (int i = 0; i + 1 < DEVICE_MAX_ADDR4; i++)
				__atomic_store_n(&d->addr4[i], d->addr4[i + 1],
						 __ATOMIC_RELAXED);
			__atomic_store_n(&d->addr4[DEVICE_MAX_ADDR4 - 1], a,
					 __ATOMIC_RELEASE);
		}
		return 1;
	}
	/*
	 * IPv6 slots are 16 bytes: a reader may see a half-written slot
	 * while the list is full and rotating. That costs at most one
	 * spurious "not listed" and a repeated observation, never a crash.
	 */
	if (d->n_addr6 < DEVICE_MAX_ADDR6) {
		memcpy(d->addr6[d->n_addr6], addr, 16);
		__atomic_store_n(&d->n_addr6, d->n_addr6 + 1, __ATOMIC_RELEASE);
	} else {
		memmove(d->addr6[0], d->addr6[1],
			(DEVICE_MAX_ADDR6 - 1) * 16);
		memcpy(d->addr6[DEVICE_MAX_ADDR6 - 1], addr, 16);
	}
	return 1;
}
