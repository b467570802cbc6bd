/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Devices: a MAC in a VLAN, the port it sits behind, and the addresses it
 * was seen using. This is also the bridge's forwarding database: a frame
 * goes out of the port its destination device was last seen on, unless
 * that was longer than the ageing time ago (then it floods).
 *
 * Workers find a device's index with no lock and create the entry for a new
 * MAC with one compare-and-swap; that happens once per device. Indices are
 * dense and handed out in arrival order, so each worker keeps its
 * per-device counters in a plain array indexed by them, and what the fast
 * path reads for every packet (port, last heard) sits in a compact array of
 * its own: a thousand devices are 8 KiB of it. The hash (open addressing,
 * linear probing) only maps MAC to index, and flows cache the index.
 *
 * Creating: a slot is claimed by CAS from free (or a tombstone) to
 * key|PENDING, the index is taken and filled in, then the key is published
 * (release). A reader that meets its own key still pending waits the few
 * nanoseconds it takes.
 *
 * Retiring (dev_retire.c, the main lcore): a device unheard for long gives
 * its index back, so that a site whose phones change MAC every day does not
 * fill the table. device_retire_begin() marks the index retiring and turns
 * its slot into a tombstone: look-ups step over it and new frames from the
 * MAC create a new entry. The index is still cached by flows; each worker's
 * flow sweep replaces it with DEVICE_NONE (device_retiring()), and once
 * every worker has swept its whole table after the mark,
 * device_retire_end() clears the entry and puts the index on the free
 * ring, where device_get() takes it before a new one.
 *
 * Tombstones: an insert takes the first tombstone on its probe path, but
 * only after walking the whole path for its key. Two workers creating the
 * same MAC at once may still claim two slots (one passed a slot that became
 * a tombstone behind it): after claiming, each walks the path again, and
 * the one further from home gives its slot up (device_rival()). The main
 * lcore turns a tombstone followed by a free slot back into a free slot
 * (device_table_clean()); it keeps inserts out while it does, because an
 * insert that passed the slot while it held a key may be claiming the free
 * one after it.
 *
 * Addresses have a single writer, the main lcore: workers only notice that
 * a source address is not yet listed and pass an observation up the tap
 * ring (rate-limited per device), together with ARP, ND and DHCP. Readers
 * see each address slot whole (aligned stores) and the count after the
 * slot (release/acquire).
 */

#ifndef CORDON_DEVICE_H
#define CORDON_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_prefetch.h>

#define DEVICE_NONE UINT32_MAX
#define DEVICE_PORT_NONE UINT16_MAX
#define DEVICE_MAX_ADDR4 4
#define DEVICE_MAX_ADDR6 4

/* Read for every packet: 8 bytes a device. */
struct device_hot {
	uint32_t last_seen_s;		/* refreshed at most once a second */
	uint16_t port;
	uint16_t pad;
};

struct device_entry {
	uint64_t key;			/* vlan << 48 | mac; 0 until filled */
	uint32_t first_seen_s;
	uint32_t addr_report_s;		/* last time a worker asked to add */
	uint8_t n_addr4;
	uint8_t n_addr6;
	uint32_t addr4[DEVICE_MAX_ADDR4];	/* network order */
	uint8_t addr6[DEVICE_MAX_ADDR6][16];
	/* Uptime us of the first packet dropped because the device is in
	 * quarantine (0: none since the main lcore last cleared it, when it
	 * contained the device): workers set it once, by CAS. */
	uint64_t quar_drop_us;
	/* Uptime us of this dataplane's last containment of the device
	 * (contain.c, before the policy that contains it; 0: never): its
	 * unanswered flows begun before are the offence's, and a packet on
	 * one once it is let out is a new attempt (dp_detect_flow_reused). */
	uint64_t contained_us;
} __attribute__((aligned(64)));

struct rte_ring;

struct device_table {
	uint64_t *slot_key;		/* hash slots: key, 0 free */
	uint32_t *slot_idx;		/* hash slots: device index */
	struct device_entry *e;		/* [max], dense */
	struct device_hot *hot;		/* [max], dense */
	uint64_t *retiring;		/* [max / 64]: bit set while retiring */
	struct rte_ring *free;		/* indices given back (SP, MC) */
	uint32_t mask;			/* slots - 1 */
	uint32_t max;			/* devices allowed (<= 3/4 of slots) */
	uint32_t ageing_s;		/* forwarding forgets after this */
	uint32_t count;			/* atomic: indices ever handed out */
	uint32_t n_retiring;		/* atomic: marked, not yet free */
	uint32_t inserting;		/* atomic: workers creating an entry */
	uint32_t cleaning;		/* atomic: the main lcore's clean is on */
	uint32_t clean_pos;		/* main lcore: where the clean goes on */
	uint64_t full;			/* atomic: new MACs turned away */
	uint64_t moves;			/* atomic: devices that changed port */
	uint64_t retired;		/* atomic: indices given back */
	uint64_t reused;		/* atomic: indices taken again */
};

/*
 * A table for up to `max` devices whose port is trusted for ageing_s
 * seconds after they were last heard. Returns 0 or -ENOMEM/-EINVAL.
 */
int device_table_init(struct device_table *t, uint32_t max,
		      uint32_t ageing_s);
void device_table_fini(struct device_table *t);

/* Slot states besides a key: being filled in, and a tombstone (a device
 * retired, or an insert given up). */
#define DEVICE_SLOT_PENDING (1ull << 63)
#define DEVICE_SLOT_DEAD UINT64_MAX

/* The MAC as a big-endian 48-bit number under the VID: two loads and two
 * byte swaps (a byte at a time, it was some 18 instructions a key, and a
 * new flow builds four). */
static inline uint64_t
device_key(const uint8_t *mac, uint16_t vlan)
{
	uint32_t hi;
	uint16_t lo;

	memcpy(&hi, mac, 4);
	memcpy(&lo, mac + 4, 2);
	/* The builtins, not rte_be_to_cpu_*(): those are asm on x86, which
	 * GCC can neither merge with the loads nor schedule. */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	hi = __builtin_bswap32(hi);
	lo = __builtin_bswap16(lo);
#endif
	return (uint64_t)(vlan & 0xfff) << 48 | (uint64_t)hi << 16 | lo;
}

static inline uint32_t
device_hash(uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32);
}

/* Start fetching the hash slot a look-up of key (device_key()) begins
 * with. */
static inline void
device_prefetch_key(const struct device_table *t, uint64_t key)
{
	uint32_t i = device_hash(key) & t->mask;

	rte_prefetch0(&t->slot_key[i]);
	rte_prefetch0(&t->slot_idx[i]);
}

/* Start fetching what device_get() and its caller then touch of device
 * idx: its entry's first line and its hot line. */
static inline void
device_prefetch_idx(const struct device_table *t, uint32_t idx)
{
	rte_prefetch0(&t->e[idx]);
	rte_prefetch0(&t->hot[idx]);
}

static inline void
device_prefetch(const struct device_table *t, const uint8_t *mac,
		uint16_t vlan)
{
	device_prefetch_key(t, device_key(mac, vlan));
}

/* Index of the device, or DEVICE_NONE. Lock-free. */
uint32_t device_lookup(const struct device_table *t, const uint8_t *mac,
		       uint16_t vlan);

/* The same from its key (device_key()): a caller that built the key to
 * prefetch does not build it again. */
uint32_t device_lookup_key(const struct device_table *t, uint64_t key);

/*
 * Index of the device, creating it if needed (any thread). Returns
 * DEVICE_NONE for a group or zero MAC, or when the table is full (counted).
 */
uint32_t device_get(struct device_table *t, const uint8_t *mac, uint16_t vlan,
		    uint16_t port, uint32_t now_s);

/* The same from its key (device_key()). */
uint32_t device_get_key(struct device_table *t, uint64_t key, uint16_t port,
			uint32_t now_s);

static inline struct device_entry *
device_at(const struct device_table *t, uint32_t idx)
{
	return &t->e[idx];
}

/*
 * The device sent a frame on `port`: refresh its last-seen second and
 * follow a move. Writes only when something changed, so that busy senders
 * do not bounce the cache line between workers.
 */
static inline void
device_touch(struct device_table *t, uint32_t idx, uint16_t port,
	     uint32_t now_s)
{
	struct device_hot *d = &t->hot[idx];

	if (__atomic_load_n(&d->last_seen_s, __ATOMIC_RELAXED) != now_s)
		__atomic_store_n(&d->last_seen_s, now_s, __ATOMIC_RELAXED);
	if (__builtin_expect(__atomic_load_n(&d->port, __ATOMIC_RELAXED) !=
			     port, 0)) {
		__atomic_store_n(&d->port, port, __ATOMIC_RELAXED);
		__atomic_fetch_add(&t->moves, 1, __ATOMIC_RELAXED);
	}
}

/* Where to send frames for the device: its port, or DEVICE_PORT_NONE
 * when unknown or aged out. */
static inline uint16_t
device_port(const struct device_table *t, uint32_t idx, uint32_t now_s)
{
	const struct device_hot *d;

	if (idx == DEVICE_NONE)
		return DEVICE_PORT_NONE;
	d = &t->hot[idx];
	if ((uint32_t)(now_s - __atomic_load_n(&d->last_seen_s,
					       __ATOMIC_RELAXED)) > t->ageing_s)
		return DEVICE_PORT_NONE;
	return __atomic_load_n(&d->port, __ATOMIC_RELAXED);
}

/* Whether addr (4 or 16 bytes) is listed for the device. Lock-free. */
bool device_has_addr(const struct device_entry *d, const uint8_t *addr,
		     int len);

/*
 * Main lcore only: add addr to the device's list. When the list is full
 * the oldest address goes (devices renumber). Returns 1 if added, 0 if
 * already there, -EINVAL for a bad length.
 */
int device_add_addr(struct device_entry *d, const uint8_t *addr, int len);

/* A packet was dropped because device idx is in quarantine: the first
 * one since the stamp was cleared keeps its time. Any worker. */
static inline void
device_quar_drop(struct device_table *t, uint32_t idx, uint64_t now_us)
{
	struct device_entry *d = &t->e[idx];
	uint64_t none = 0;

	if (__atomic_load_n(&d->quar_drop_us, __ATOMIC_RELAXED) == 0)
		__atomic_compare_exchange_n(&d->quar_drop_us, &none,
					    now_us ? now_us : 1, false,
					    __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
}

/* Number of indices handed out: devices are 0 .. count - 1 (an entry
 * whose key is 0 is being filled in, or free; see device_live()). */
static inline uint32_t
device_count(const struct device_table *t)
{
	return __atomic_load_n(&t->count, __ATOMIC_RELAXED);
}

/* Whether index idx is on its way out (any thread): a flow that caches it
 * lets it go. */
static inline bool
device_retiring(const struct device_table *t, uint32_t idx)
{
	return (__atomic_load_n(&t->retiring[idx / 64], __ATOMIC_ACQUIRE) >>
		(idx % 64)) & 1;
}

/* The key of device idx if it is a device to list (filled in, not
 * retiring), else 0. */
static inline uint64_t
device_live(const struct device_table *t, uint32_t idx)
{
	uint64_t key = __atomic_load_n(&t->e[idx].key, __ATOMIC_ACQUIRE);

	if (key == 0 || device_retiring(t, idx))
		return 0;
	return key;
}

/* How many indices are live devices now: handed out, less those free or
 * retiring. */
uint32_t device_live_count(const struct device_table *t);

/*
 * Main lcore only. Start retiring device idx: mark it and make its hash
 * slot a tombstone, so that look-ups no longer find it. Returns 0,
 * -ENOENT when idx is not a live device, or -EALREADY.
 */
int device_retire_begin(struct device_table *t, uint32_t idx);

/*
 * Main lcore only, once no worker can hold idx (dev_retire.c): clear the
 * entry and give the index back for device_get() to take again.
 */
void device_retire_end(struct device_table *t, uint32_t idx);

/*
 * Main lcore only: turn up to budget slots' tombstones back into free
 * slots where a free slot follows them, going on from the last call.
 * Returns how many slots were freed.
 */
uint32_t device_table_clean(struct device_table *t, uint32_t budget);

#endif /* CORDON_DEVICE_H */
