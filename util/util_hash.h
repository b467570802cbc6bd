/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Hashes: FNV-1a and murmur3's finaliser for hash tables (inline: some
 * callers are on the packet path), SHA-256 in hex for content addresses (MUD files).
 *
 * FNV-1a is not keyed: tables fed by the network must bound their probe
 * lengths or size themselves so that collisions cost little.
 */

#ifndef CORDON_UTIL_HASH_H
#define CORDON_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define UTIL_HASH_FNV32_INIT 2166136261u
#define UTIL_HASH_FNV32_PRIME 16777619u
#define UTIL_HASH_FNV64_INIT 0xcbf29ce484222325ull
#define UTIL_HASH_FNV64_PRIME 0x100000001b3ull

/*
 * util_hash_fnv32() and util_hash_fnv64(): continue h (UTIL_HASH_FNV*_INIT
 * to start) over n bytes.
 */
#define UTIL_HASH_FNV(bits) \
	static inline uint##bits##_t \
	util_hash_fnv##bits(uint##bits##_t h, const void *p, size_t n) \
	{ \
		const uint8_t *b = p; \
		\
		for (size_t i = 0; i < n; i++) \
			h = (h ^ b[i]) * UTIL_HASH_FNV##bits##_PRIME; \
		return h; \
	}

UTIL_HASH_FNV(32)
UTIL_HASH_FNV(64)

/* murmur3's 32-bit finaliser: a non-linear bijection that spreads bits. */
static inline uint32_t
util_hash_fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/*
 * A string and its terminator: ("ab", "c") and ("a", "bc") differ. NULL
 * hashes as "".
 */
uint64_t util_hash_fnv64_str(uint64_t h, const char *s);

/* Lower-case hex SHA-256 of data. 0 or -EIO. */
int util_hash_sha256_hex(const void *data, size_t len, char hex[65]);

#endif /* CORDON_UTIL_HASH_H */
