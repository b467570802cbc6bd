/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * DNS names in messages (RFC 1035 section 4.1.4), for the dataplane's DNS
 * snoop and the fingerprint library's DNS/mDNS parser. Compression
 * pointers must point strictly backwards from where the part of the name
 * holding them started, and at most UTIL_DNS_MAX_HOPS of them are followed,
 * so a pointer loop is impossible and the work is bounded.
 */

#ifndef CORDON_UTIL_DNS_H
#define CORDON_UTIL_DNS_H

#include <stddef.h>
#include <stdint.h>

/* Compression pointers followed per name. */
#define UTIL_DNS_MAX_HOPS 32u

/* Label bytes must be printable ASCII other than the space and the dot (a
 * label holding a dot could pass for two labels), else -EBADMSG; A-Z are
 * lower-cased. Without it, label bytes are copied as they are (mDNS
 * instance names). */
#define UTIL_DNS_HOSTNAME 0x1u

/*
 * The name at off in msg (len bytes), labels joined by dots, into out (cap
 * bytes, NUL-terminated, the text cut at cap - 1 when longer; out may be
 * NULL with cap 0 to only walk it). The whole name is walked and checked
 * whatever cap. *next: the offset after the name where it stands (not after
 * a pointer's target). Returns the whole text's length (which may exceed
 * cap - 1), or -EBADMSG (malformed, truncated, a bad pointer, a 0x40/0x80
 * label type, or a byte flags refuse; out is then "" or cut anywhere);
 * *next is set only on success.
 */
int util_dns_name(const uint8_t *msg, size_t len, size_t off, char *out,
		  size_t cap, unsigned int flags, size_t *next);

#endif /* CORDON_UTIL_DNS_H */
