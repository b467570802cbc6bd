/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_ENVELOPE_H
#define CORDON_DET_ENVELOPE_H

/*
 * A device's behaviour envelope: what it did while learning (or what its
 * MUD profile allows), as fixed-size sets of 32-bit hashes:
 *  - services it opens connections to (protocol, port);
 *  - ports it accepts connections on;
 *  - destination prefixes (IPv4 /24, IPv6 /48);
 *  - registrable domains it looks up;
 *  - IP protocols;
 *  - identity facets: DHCP fingerprints, p0f OS genres, JA4s.
 * A set that fills up while learning is marked open: that dimension then
 * accepts anything (a phone or a laptop has no narrow envelope; the
 * detector is for devices that do).
 *
 * Serialised form (det_envelope_encode), little-endian:
 *   "CDEV" u16 version=1 u16 flags  mac[6] u16 vlan  u64 start_us
 *   u64 end_us  u8 state  u8 source  u16 n_sets
 *   per set: u8 id  u8 open  u16 n  n x u32
 *   u32 CRC-32 (IEEE) of everything before it
 * Unknown set ids are refused; a later version adds ids and bumps the
 * version.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum det_env_set {
	DET_ENV_SVC = 0,	/* (proto << 16 | port) it connects to */
	DET_ENV_LISTEN,		/* (proto << 16 | port) it accepts */
	DET_ENV_DST,		/* destination prefixes */
	DET_ENV_NAME,		/* registrable domains */
	DET_ENV_PROTO,		/* IP protocol numbers */
	DET_ENV_DHCP,		/* facets, by hash */
	DET_ENV_OS,
	DET_ENV_JA4,
	DET_ENV_NSETS
};

#define DET_ENV_CAP_MAX 128
/* Capacity of each set (a power of two; open addressing, 0 = empty). */
extern const uint16_t det_env_cap[DET_ENV_NSETS];
const char *det_env_set_name(enum det_env_set s);

enum det_env_state {
	DET_ENV_NONE = 0,	/* nothing yet */
	DET_ENV_LEARNING,
	DET_ENV_COMPLETE,
};

enum det_env_source {
	DET_ENV_LEARNED = 0,
	DET_ENV_MUD,		/* from the device's MUD profile */
	DET_ENV_STORED,		/* loaded (cordond's store) */
};

struct det_env_hset {
	uint16_t n;
	uint8_t open;
	uint8_t pad;
	uint32_t v[DET_ENV_CAP_MAX];
};

struct det_envelope {
	uint8_t mac[6];
	uint16_t vlan;
	uint8_t state;		/* enum det_env_state */
	uint8_t source;		/* enum det_env_source */
	uint64_t start_us, end_us;	/* learning window */
	struct det_env_hset set[DET_ENV_NSETS];
};

void det_envelope_init(struct det_envelope *env, const uint8_t mac[6],
		uint16_t vlan, uint64_t start_us, uint64_t end_us);
/* Add v (0 is mapped to 1). Returns 1 added, 0 present, -ENOSPC (the set
 * is now open). */
int det_envelope_add(struct det_envelope *env, enum det_env_set s,
		uint32_t v);
/* Is v in the set, or the set open? */
bool det_envelope_has(const struct det_envelope *env, enum det_env_set s,
		uint32_t v);

/*
 * A MUD profile as the envelope (source DET_ENV_MUD, complete at now_us):
 * start with det_envelope_mud_init(), then one det_envelope_mud_allow()
 * per rule the profile compiled to. What a rule cannot list exactly (any
 * protocol, a wide port range, a destination wider than 16 IPv4 /24s or
 * an IPv6 /48, "any"/"internet"/"local") opens that dimension, as a full
 * set does while learning. A name destination goes in as its registrable
 * domain: an address the device resolved from it is inside.
 */
struct det_mud_rule {
	bool inbound;		/* the device accepts (dst is the device) */
	uint8_t proto;		/* 0: any */
	uint16_t port_lo, port_hi;	/* 0, 65535: any */
	const uint8_t *addr;	/* the peer's prefix (16 bytes, v4-mapped) */
	uint8_t plen;		/* its length in IPv6 terms (v4: 96 + len) */
	const char *name;	/* or its DNS name ("*.suffix" too); both
				 * NULL: any peer */
};

void det_envelope_mud_init(struct det_envelope *env, const uint8_t mac[6],
		uint16_t vlan, uint64_t now_us);
void det_envelope_mud_allow(struct det_envelope *env,
		const struct det_mud_rule *r);

/* The hashes the engine uses for each kind of member. */
uint32_t det_env_port_key(uint8_t proto, uint16_t port);
uint32_t det_env_prefix_key(const uint8_t addr[16]);
uint32_t det_env_str_key(const char *s);

/* Bytes det_envelope_encode() writes at most. */
size_t det_envelope_max_size(void);
/* Encode into buf (cap bytes). Returns the length, or -ENOSPC. */
int det_envelope_encode(const struct det_envelope *env, uint8_t *buf,
		size_t cap);
/* Decode; -EINVAL / -EPROTO with a reason in err. */
int det_envelope_decode(struct det_envelope *env, const uint8_t *buf,
		size_t len, char *err, size_t errlen);

#endif /* CORDON_DET_ENVELOPE_H */
