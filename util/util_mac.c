/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_mac.h"

char *
util_mac_format(const uint8_t mac[6], char buf[UTIL_MAC_STRLEN])
{
	snprintf(buf, UTIL_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

const char *
util_mac_str(const uint8_t mac[6])
{
	static __thread char buf[8][UTIL_MAC_STRLEN];
	static __thread unsigned int next;

	return util_mac_format(mac, buf[next++ % 8]);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Up to 6 colon/dash separated 2-digit hex groups; returns group count. */
static int
parse_groups(const char *s, uint8_t mac[6], const char **end)
{
	int n = 0;

	memset(mac, 0, 6);
	while (n < 6) {
		int h = hexval(s[0]), l;

		if (h < 0)
			return -EINVAL;
		l = hexval(s[1]);
		if (l < 0)
			return -EINVAL;
		mac[n++] = (uint8_t)(h << 4 | l);
		s += 2;
		if (*s != ':' && *s != '-')
			break;
		if (n == 6)
			return -EINVAL;
		s++;
	}
	*end = s;
	return n;
}

int
util_mac_parse(const char *s, uint8_t mac[6])
{
	const char *end;
	int n;

	if (s == NULL)
		return -EINVAL;
	n = parse_groups(s, mac, &end);
	return (n == 6 && *end == '\0') ? 0 : -EINVAL;
}

int
util_mac_parse_prefix(const char *s, uint8_t mac[6], uint32_t *bits)
{
	const char *end;
	int n = parse_groups(s, mac, &end);
	unsigned long b;
	char *e;
	uint32_t i;

	if (n < 0)
		return -EINVAL;
	if (*end == '\0') {
		if (n == 6)
			return -EINVAL;	/* a full MAC is not a prefix */
		*bits = (uint32_t)n * 8;
		return 0;
	}
	if (*end != '/' || n != 6 || !isdigit((unsigned char)end[1]))
		return -EINVAL;
	errno = 0;
	b = strtoul(end + 1, &e, 10);
	if (errno || *e || b < 1 || b > 48 || b % 4)
		return -EINVAL;
	/* Bits past the prefix must be zero: a typo must not widen it. */
	for (i = (uint32_t)b; i < 48; i++)
		if (mac[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	*bits = (uint32_t)b;
	return 0;
}

bool
util_mac_prefix_match(const uint8_t mac[6], const uint8_t prefix[6],
		      uint32_t bits)
{
	for (uint32_t i = 0; i < bits && i < 48; i++) {
		uint8_t m = 0x80 >> (i % 8);

		if ((mac[i / 8] & m) != (prefix[i / 8] & m))
			return false;
	}
	return true;
}
