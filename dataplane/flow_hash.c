/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The flow hash's keys (flow_hash.h): fixed until a dataplane draws its
 * own at start. */

#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "flow_hash.h"

/* a[0] with an IPv4-mapped key's constant halves added in: words 0 and 2
 * are zero, and the low halves of words 1 and 3 (which a[3] and a[7]
 * multiply) are 0xffff0000. */
#define FLOW_HASH_V4(a0, a3, a7) \
	((a0) + (a3) * 0xffff0000ull + (a7) * 0xffff0000ull)

#define FLOW_HASH_A0 0x243f6a8885a308d3ull
#define FLOW_HASH_A3 0x082efa98ec4e6c89ull
#define FLOW_HASH_A7 0x3f84d5b5b5470917ull

/* Until flow_hash_seed(), for the tests and tools that never call it:
 * 64-bit constants of no meaning (the digits of pi, as Blowfish's). */
struct flow_hash_keys flow_hash_keys = {
	.a = {
		FLOW_HASH_A0, 0x13198a2e03707345ull,
		0xa4093822299f31d1ull, FLOW_HASH_A3,
		0x452821e638d01377ull, 0xbe5466cf34e90c6dull,
		0xc0ac29b7c97c50ddull, FLOW_HASH_A7,
		0x9216d5d98979fb1bull, 0xd1310ba698dfb5acull,
		0x2ffd72dbd01adfb7ull,
	},
	.v4 = FLOW_HASH_V4(FLOW_HASH_A0, FLOW_HASH_A3, FLOW_HASH_A7),
};

void
flow_hash_set_keys(const uint64_t a[11])
{
	for (unsigned int i = 0; i < 11; i++)
		flow_hash_keys.a[i] = a[i];
	flow_hash_keys.v4 = FLOW_HASH_V4(a[0], a[3], a[7]);
}

int
flow_hash_seed(void)
{
	uint64_t a[11];
	size_t got = 0;

	while (got < sizeof(a)) {
		ssize_t n = getrandom((uint8_t *)a + got, sizeof(a) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	flow_hash_set_keys(a);
	return 0;
}
