/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The tests' random numbers: xorshift64*, deterministic, so a failure
 * replays. A program may set test_rand_state to a seed of its own.
 */

#ifndef CORDON_TEST_RAND_H
#define CORDON_TEST_RAND_H

#include <stdint.h>

static uint64_t test_rand_state = 0x9e3779b97f4a7c15ull;

static inline uint64_t
test_rand(void)
{
	test_rand_state ^= test_rand_state >> 12;
	test_rand_state ^= test_rand_state << 25;
	test_rand_state ^= test_rand_state >> 27;
	return test_rand_state * 0x2545f4914f6cdd1dull;
}

#endif /* CORDON_TEST_RAND_H */
