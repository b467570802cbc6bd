/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "util_dns.h"

int
util_dns_name(const uint8_t *msg, size_t len, size_t off, char *out,
	      size_t cap, unsigned int flags, size_t *next)
{
	size_t pos = off, seg_start = off, end = 0, olen = 0;
	uint32_t hops = 0;
	bool jumped = false;

	if (cap > 0)
		out[0] = '\0';
	for (;;) {
		uint8_t c;

		if (pos >= len)
			return -EBADMSG;
		c = msg[pos];
		if (c == 0) {
			if (!jumped)
				end = pos + 1;
			break;
		}
		if ((c & 0xc0) == 0xc0) {
			size_t ptr;

			if (pos + 1 >= len)
				return -EBADMSG;
			ptr = (size_t)(c & 0x3f) << 8 | msg[pos + 1];
			/* Strictly backwards from where this part of the
			 * name started: a loop is impossible. */
			if (ptr >= seg_start || ++hops > UTIL_DNS_MAX_HOPS)
				return -EBADMSG;
			if (!jumped)
				end = pos + 2;
			jumped = true;
			pos = seg_start = ptr;
			continue;
		}
		if (c & 0xc0)
			return -EBADMSG;	/* 0x40/0x80: obsolete labels */
		if (pos + 1 + c > len)
			return -EBADMSG;
		if (olen != 0) {
			if (olen + 1 < cap)
				out[olen] = '.';
			olen++;
		}
		for (uint32_t i = 0; i < c; i++) {
			uint8_t ch = msg[pos + 1 + i];

			if (flags & UTIL_DNS_HOSTNAME) {
				if (ch <= 0x20 || ch >= 0x7f || ch == '.')
					return -EBADMSG;
				if (ch >= 'A' && ch <= 'Z')
					ch = (uint8_t)(ch + 32);
			}
			if (olen + 1 < cap)
				out[olen] = (char)ch;
			olen++;
		}
		pos += 1 + (size_t)c;
	}
	if (cap > 0)
		out[olen < cap ? olen : cap - 1] = '\0';
	*next = end;
	return olen > INT_MAX ? INT_MAX : (int)olen;
}
