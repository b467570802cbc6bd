/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Forwarding database of the transparent L2 bridge.
 *
 * Every worker learns source MACs and looks destinations up in one shared
 * table, without locks. The table is a cache: an entry is a single 64-bit
 * word (VLAN 12 bits | MAC 48 bits | port 4 bits), so a reader always sees a
 * whole entry and writers race only by compare-and-swap. Buckets are one
 * cache line of 8 entries; a full bucket gives up its stalest entry. A
 * parallel array holds each entry's last-seen second, refreshed at most once
 * a second so that busy senders do not bounce the line between workers.
 * Entries older than the ageing time are ignored and reused.
 *
 * Learning is independent per VLAN (IVL). With 4 port bits, a bridge has at
 * most BRIDGE_MAX_PORTS ports.
 */

#ifndef CORDON_BRIDGE_H
#define CORDON_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#define BRIDGE_MAX_PORTS 15
#define BRIDGE_PORT_NONE 0xffff
#define BRIDGE_BUCKET_SLOTS 8

struct bridge_fdb;

struct bridge_stats {
	uint64_t learned;	/* new entries */
	uint64_t moved;		/* station moved to another port */
	uint64_t replaced;	/* live entries given up for a new one */
};

/*
 * Create a table for at least `entries` MACs. `ageing_s` is the time after
 * which an entry that has not been seen as a source is forgotten.
 */
struct bridge_fdb *bridge_fdb_create(uint32_t entries, uint32_t ageing_s);
void bridge_fdb_free(struct bridge_fdb *fdb);

/*
 * Record that `mac` (6 bytes) was seen as a source on bridge port `port` in
 * `vlan` at time `now_s` (seconds, any epoch). Returns 0, or -EINVAL for a
 * port out of range or a MAC that may not be learned (multicast, zero).
 */
int bridge_learn(struct bridge_fdb *fdb, const uint8_t *mac, uint16_t vlan,
		 uint16_t port, uint32_t now_s);

/* The port `mac` was last seen on in `vlan`, or BRIDGE_PORT_NONE. */
uint16_t bridge_lookup(const struct bridge_fdb *fdb, const uint8_t *mac,
		       uint16_t vlan, uint32_t now_s);

/* Forget every entry learned on `port` (link down, port removed). */
void bridge_flush_port(struct bridge_fdb *fdb, uint16_t port);

/* Count of live entries (walks the table: not for the fast path). */
uint32_t bridge_count(const struct bridge_fdb *fdb, uint32_t now_s);

void bridge_get_stats(const struct bridge_fdb *fdb, struct bridge_stats *st);

static inline bool
bridge_mac_is_group(const uint8_t *mac)
{
	return (mac[0] & 0x01) != 0;
}

#endif /* CORDON_BRIDGE_H */
