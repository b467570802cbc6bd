/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The flow hash's keys (flow_hash.h): fixed until a dataplane draws its
 * own at start. */

#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "flow_hash.h"

static uint64_t
flow_hash_v4_of(const uint64_t a[11])
{
	/* Words 0 and 2 of an IPv4-mapped key are zero; the low halves of
	 * words 1 and 3 are 0xffff0000 (a[3] and a[7] multiply them). */
	return a[0] + a[3] * 0xffff0000ull + a[7] * 0xffff0000ull;
}

/* Until flow_hash_seed(), for the tests and tools that never call it:
 * 64-bit constants of no meaning (the digits of pi, as Blowfish's). */
struct flow_hash_keys flow_hash_keys = {
	.a = {
		0x243f6a8885a308d3ull, 0x13198a2e03707345ull,
		0xa4093822299f31d1ull, 0x082efa98ec4e6c89ull,
		0x452821e638d01377ull, 0xbe5466cf34e90c6dull,
		0xc0ac29b7c97c50ddull, 0x3f84d5b5b5470917ull,
		0x9216d5d98979fb1bull, 0xd1310ba698dfb5acull,
		0x2ffd72dbd01adfb7ull,
	},
	.v4 = 0x243f6a8885a308d3ull + 0x082efa98ec4e6c89ull * 0xffff0000ull +
		0x3f84d5b5b5470917ull * 0xffff0000ull,
};

void
flow_hash_set_keys(const uint64_t a[11])
{
	for (unsigned int i = 0; i < 11; i++)
		flow_hash_keys.a[i] = a[i];
	flow_hash_keys.v4 = flow_hash_v4_of(a);
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
