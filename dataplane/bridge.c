/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"

#define SLOT_PORT_BITS 4
#define SLOT_PORT_MASK ((1u << SLOT_PORT_BITS) - 1)
#define SLOT_KEY(s) ((s) >> SLOT_PORT_BITS)
#define SLOT_PORT(s) ((uint16_t)((s) & SLOT_PORT_MASK))

struct bridge_fdb {
	uint64_t *slots;	/* n_buckets * BRIDGE_BUCKET_SLOTS */
	uint32_t *seen;		/* last-seen second of each slot */
	uint32_t bucket_mask;
	uint32_t ageing_s;
	/* Written with relaxed atomics by every worker; statistics only. */
	uint64_t learned;
	uint64_t moved;
	uint64_t replaced;
};

static inline uint64_t
fdb_key(const uint8_t *mac, uint16_t vlan)
{
	uint64_t k = (uint64_t)(vlan & 0xfff) << 48;

	for (int i = 0; i < 6; i++)
		k |= (uint64_t)mac[i] << (40 - 8 * i);
	return k;
}

static inline uint32_t
fdb_bucket(const struct bridge_fdb *fdb, uint64_t key)
{
	/* Fibonacci hashing: the low MAC bytes alone cluster badly. */
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) &
		fdb->bucket_mask;
}

static inline bool
fdb_alive(const struct bridge_fdb *fdb, uint32_t seen, uint32_t now_s)
{
	return (uint32_t)(now_s - seen) <= fdb->ageing_s;
}

struct bridge_fdb *
bridge_fdb_create(uint32_t entries, uint32_t ageing_s)
{
	struct bridge_fdb *fdb;
	uint32_t buckets = 1;
	size_t n;

	/* Half full at the requested size leaves room to learn. */
	while ((uint64_t)buckets * BRIDGE_BUCKET_SLOTS < 2ull * entries &&
	       buckets < (1u << 28))
		buckets <<= 1;
	n = (size_t)buckets * BRIDGE_BUCKET_SLOTS;

	fdb = calloc(1, sizeof(*fdb));
	if (fdb == NULL)
		return NULL;
	fdb->slots = aligned_alloc(64, n * sizeof(uint64_t));
	fdb->seen = calloc(n, sizeof(uint32_t));
	if (fdb->slots == NULL || fdb->seen == NULL) {
		bridge_fdb_free(fdb);
		return NULL;
	}
	memset(fdb->slots, 0, n * sizeof(uint64_t));
	fdb->bucket_mask = buckets - 1;
	fdb->ageing_s = ageing_s;
	return fdb;
}

void
bridge_fdb_free(struct bridge_fdb *fdb)
{
	if (fdb == NULL)
		return;
	free(fdb->slots);
	free(fdb->seen);
	free(fdb);
}

static inline void
fdb_count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static inline void
fdb_touch(struct bridge_fdb *fdb, uint32_t i, uint32_t now_s)
{
	if (__atomic_load_n(&fdb->seen[i], __ATOMIC_RELAXED) != now_s)
		__atomic_store_n(&fdb->seen[i], now_s, __ATOMIC_RELAXED);
}

int
bridge_learn(struct bridge_fdb *fdb, const uint8_t *mac, uint16_t vlan,
	     uint16_t port, uint32_t now_s)
{
	static const uint8_t zero[6];
	uint64_t key, want, cur;
	uint32_t base, victim, i;
	uint32_t oldest_age = 0;

	if (port >= BRIDGE_MAX_PORTS || bridge_mac_is_group(mac) ||
	    memcmp(mac, zero, 6) == 0)
		return -EINVAL;

	key = fdb_key(mac, vlan);
	want = (key << SLOT_PORT_BITS) | port;
	base = fdb_bucket(fdb, key) * BRIDGE_BUCKET_SLOTS;

	/* Known station: refresh, or move it if it changed ports. */
	for (i = base; i < base + BRIDGE_BUCKET_SLOTS; i++) {
		cur = __atomic_load_n(&fdb->slots[i], __ATOMIC_ACQUIRE);
		if (cur == 0 || SLOT_KEY(cur) != key)
			continue;
		if (cur != want) {
			if (__atomic_compare_exchange_n(&fdb->slots[i], &cur,
							want, false,
							__ATOMIC_RELEASE,
							__ATOMIC_RELAXED))
				fdb_count(&fdb->moved);
		}
		fdb_touch(fdb, i, now_s);
		return 0;
	}

	/* New station: an empty or aged slot, else the stalest one. */
	victim = base;
	for (i = base; i < base + BRIDGE_BUCKET_SLOTS; i++) {
		uint32_t age;

		cur = __atomic_load_n(&fdb->slots[i], __ATOMIC_RELAXED);
		age = now_s - __atomic_load_n(&fdb->seen[i], __ATOMIC_RELAXED);
		if (cur == 0 || age > fdb->ageing_s) {
			victim = i;
			oldest_age = UINT32_MAX;
			break;
		}
		if (age >= oldest_age) {
			oldest_age = age;
			victim = i;
		}
	}

	cur = __atomic_load_n(&fdb->slots[victim], __ATOMIC_RELAXED);
	/* Stamp first so that no reader sees the new key as already aged. */
	__atomic_store_n(&fdb->seen[victim], now_s, __ATOMIC_RELAXED);
	if (__atomic_compare_exchange_n(&fdb->slots[victim], &cur, want, false,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
		fdb_count(&fdb->learned);
		if (oldest_age != UINT32_MAX)
			fdb_count(&fdb->replaced);
	}
	/* Losing the race means another worker learned something here at
	 * the same moment; the next frame from this MAC learns it again. */
	return 0;
}

uint16_t
bridge_lookup(const struct bridge_fdb *fdb, const uint8_t *mac, uint16_t vlan,
	      uint32_t now_s)
{
	uint64_t key = fdb_key(mac, vlan);
	uint32_t base = fdb_bucket(fdb, key) * BRIDGE_BUCKET_SLOTS;

	for (uint32_t i = base; i < base + BRIDGE_BUCKET_SLOTS; i++) {
		uint64_t cur = __atomic_load_n(&fdb->slots[i],
					       __ATOMIC_ACQUIRE);

		if (cur != 0 && SLOT_KEY(cur) == key) {
			uint32_t seen = __atomic_load_n(&fdb->seen[i],
							__ATOMIC_RELAXED);

			return fdb_alive(fdb, seen, now_s) ?
				SLOT_PORT(cur) : BRIDGE_PORT_NONE;
		}
	}
	return BRIDGE_PORT_NONE;
}

void
bridge_flush_port(struct bridge_fdb *fdb, uint16_t port)
{
	uint32_t n = (fdb->bucket_mask + 1) * BRIDGE_BUCKET_SLOTS;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t cur = __atomic_load_n(&fdb->slots[i],
					       __ATOMIC_RELAXED);

		if (cur != 0 && SLOT_PORT(cur) == port)
			__atomic_compare_exchange_n(&fdb->slots[i], &cur, 0,
						    false, __ATOMIC_RELEASE,
						    __ATOMIC_RELAXED);
	}
}

uint32_t
bridge_count(const struct bridge_fdb *fdb, uint32_t now_s)
{
	uint32_t n = (fdb->bucket_mask + 1) * BRIDGE_BUCKET_SLOTS, live = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (__atomic_load_n(&fdb->slots[i], __ATOMIC_RELAXED) != 0 &&
		    fdb_alive(fdb, __atomic_load_n(&fdb->seen[i],
						   __ATOMIC_RELAXED), now_s))
			live++;
	}
	return live;
}

void
bridge_get_stats(const struct bridge_fdb *fdb, struct bridge_stats *st)
{
	st->learned = __atomic_load_n(&fdb->learned, __ATOMIC_RELAXED);
	st->moved = __atomic_load_n(&fdb->moved, __ATOMIC_RELAXED);
	st->replaced = __atomic_load_n(&fdb->replaced, __ATOMIC_RELAXED);
}
