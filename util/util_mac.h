/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * MAC addresses as text: "aa:bb:cc:dd:ee:ff", lower case, everywhere a
 * MAC is printed; read back with ':' or '-' between the groups, two hex
 * digits each, either case.
 */

#ifndef CORDON_UTIL_MAC_H
#define CORDON_UTIL_MAC_H

#include <stdbool.h>
#include <stdint.h>

/* "aa:bb:cc:dd:ee:ff" and its NUL. */
#define UTIL_MAC_STRLEN 18

/* Writes buf and returns it. */
char *util_mac_format(const uint8_t mac[6], char buf[UTIL_MAC_STRLEN]);

/*
 * The same in one of 8 rotating thread-local buffers, for log lines and
 * table cells: valid until the 8th call after it on this thread.
 */
const char *util_mac_str(const uint8_t mac[6]);

/* A whole MAC. 0 or -EINVAL. */
int util_mac_parse(const char *s, uint8_t mac[6]);

/*
 * A MAC prefix: "aa:bb:cc" (OUI, 24 bits), "aa:bb:cc:dd" or
 * "aa:bb:cc:00:00:00/24" (multiple of 4 bits, 1..48); bits past the prefix
 * must be zero. A whole MAC without /N is not a prefix. 0 or -EINVAL.
 */
int util_mac_parse_prefix(const char *s, uint8_t mac[6], uint32_t *bits);

/* Does mac start with the first bits of prefix? */
bool util_mac_prefix_match(const uint8_t mac[6], const uint8_t prefix[6],
			   uint32_t bits);

/* Multicast or broadcast: the I/G bit of the first octet. */
static inline bool
util_mac_is_group(const uint8_t mac[6])
{
	return (mac[0] & 1) != 0;
}

#endif /* CORDON_UTIL_MAC_H */
