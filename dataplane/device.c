/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_pause.h>

#include "device.h"

#define DEVICE_MAX_PROBE 64

int
device_table_init(struct device_table *t, uint32_t max, uint32_t ageing_s)
{
	uint32_t slots = 64;

	memset(t, 0, sizeof(*t));
	if (max == 0 || max > (1u << 24))
		return -EINVAL;
	/* At most 3/4 full: linear probes stay short. */
	while ((uint64_t)slots * 3 < (uint64_t)max * 4)
		slots <<= 1;
	t->slot_key = calloc(slots, sizeof(*t->slot_key));
	t->slot_idx = calloc(slots, sizeof(*t->slot_idx));
	t->e = aligned_alloc(64, (size_t)max * sizeof(*t->e));
	t->hot = aligned_alloc(64, RTE_ALIGN_CEIL((size_t)max *
						  sizeof(*t->hot), 64));
	if (t->slot_key == NULL || t->slot_idx == NULL || t->e == NULL ||
	    t->hot == NULL) {
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

/* We own slot i (pending): give it an index, fill it in, publish it. */
static uint32_t
device_fill(struct device_table *t, uint32_t i, uint64_t key, uint16_t port,
	    uint32_t now_s)
{
	uint32_t idx = __atomic_fetch_add(&t->count, 1, __ATOMIC_RELAXED);

	if (idx >= t->max) {
		__atomic_fetch_sub(&t->count, 1, __ATOMIC_RELAXED);
		/* Never reused: probes step over it. */
		__atomic_store_n(&t->slot_key[i], DEVICE_SLOT_DEAD,
				 __ATOMIC_RELEASE);
		__atomic_fetch_add(&t->full, 1, __ATOMIC_RELAXED);
		return DEVICE_NONE;
	}
	t->e[idx].first_seen_s = now_s;
	t->hot[idx].last_seen_s = now_s;
	t->hot[idx].port = port;
	__atomic_store_n(&t->e[idx].key, key, __ATOMIC_RELEASE);
	t->slot_idx[i] = idx;
	__atomic_store_n(&t->slot_key[i], key, __ATOMIC_RELEASE);
	return idx;
}

uint32_t
device_get(struct device_table *t, const uint8_t *mac, uint16_t vlan,
	   uint16_t port, uint32_t now_s)
{
	return device_get_key(t, device_key(mac, vlan), port, now_s);
}

uint32_t
device_get_key(struct device_table *t, uint64_t key, uint16_t port,
	       uint32_t now_s)
{
	uint32_t i = device_hash(key) & t->mask, idx;

	/* A group MAC (the first byte's low bit: key bit 40), or zero. */
	if (((key >> 40) & 1) || (key & 0xffffffffffffull) == 0)
		return DEVICE_NONE;

	for (int n = 0; n < DEVICE_MAX_PROBE; ) {
		uint64_t k = __atomic_load_n(&t->slot_key[i], __ATOMIC_ACQUIRE);

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
		if (k == 0) {
			if (__atomic_compare_exchange_n(&t->slot_key[i], &k,
					key | DEVICE_SLOT_PENDING, false,
					__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
				return device_fill(t, i, key, port, now_s);
			continue;	/* look at what won the slot */
		}
		n++;
		i = (i + 1) & t->mask;
	}
	__atomic_fetch_add(&t->full, 1, __ATOMIC_RELAXED);
	return DEVICE_NONE;
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
