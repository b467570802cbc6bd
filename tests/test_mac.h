/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Test MACs by number: 02:11 (locally administered) and i, big-endian, so
 * that device n is a distinct MAC for any n a test needs.
 */

#ifndef CORDON_TEST_MAC_H
#define CORDON_TEST_MAC_H

#include <stdint.h>

static inline void
test_mac_of(uint32_t i, uint8_t m[6])
{
	m[0] = 0x02;
	m[1] = 0x11;
	m[2] = (uint8_t)(i >> 24);
	m[3] = (uint8_t)(i >> 16);
	m[4] = (uint8_t)(i >> 8);
	m[5] = (uint8_t)i;
}

#endif /* CORDON_TEST_MAC_H */
