/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_IOC_H
#define CORDON_DET_IOC_H

/*
 * Known-bad indicators, from a text file cordon-dataplane --indicators
 * and cordon-detect --indicators load. One indicator a line:
 *
 *   VALUE  SOURCE  [COMMENT ...]
 *
 * separated by blanks; '#' starts a comment line; blank lines are
 * skipped. VALUE is one of:
 *   - an IPv4 or IPv6 address:          198.51.100.23, 2001:db8::66
 *   - a CIDR (no host bits set):        203.0.113.0/24, 2001:db8:bad::/48
 *   - a DNS name, matching itself and every name under it
 *     (a leading "*." says the same):  evil.example, *.c2.example
 *   - a JA3 (32 hex digits, MD5):       e7d705a3286e19ea42f587b344ee6865
 *   - a JA4 (TLS client):               t13d1516h2_8daaf6152771_02713d6af862
 * SOURCE names the feed the line came from (abuse.ch, an advisory, ...);
 * it is required, so every alert says where its indicator came from.
 *
 * Any bad line makes the whole load fail, with "FILE:LINE: reason".
 * Memory is allocated once, at load; lookups allocate nothing.
 */

#include <stddef.h>
#include <stdint.h>

enum det_ioc_type {
	DET_IOC_IP = 0,
	DET_IOC_CIDR,
	DET_IOC_NAME,
	DET_IOC_JA3,
	DET_IOC_JA4,
	DET_IOC_NTYPES
};

const char *det_ioc_type_name(enum det_ioc_type t);

struct det_ioc_entry {
	enum det_ioc_type type;
	uint8_t plen;		/* CIDR prefix length (IPv4 as /96 + n) */
	uint8_t addr[16];	/* IP / CIDR, IPv4 mapped */
	const char *value;	/* as written (normalised for names) */
	const char *source;
	const char *comment;	/* "" when none */
	uint32_t line;
};

struct det_ioc;

#define DET_IOC_MAX_DEFAULT 1000000u

/* Load path (at most max entries; 0: DET_IOC_MAX_DEFAULT). NULL on error,
 * with "FILE:LINE: reason" in err. */
struct det_ioc *det_ioc_load(const char *path, uint32_t max, char *err,
		size_t errlen);
/* The same from a buffer (name is used in errors). */
struct det_ioc *det_ioc_parse(const char *name, const char *text,
		size_t len, uint32_t max, char *err, size_t errlen);
void det_ioc_free(struct det_ioc *ioc);

uint32_t det_ioc_count(const struct det_ioc *ioc, enum det_ioc_type t);

/* Lookups: the matching entry, or NULL. */
const struct det_ioc_entry *det_ioc_match_addr(const struct det_ioc *ioc,
		const uint8_t addr[16]);
const struct det_ioc_entry *det_ioc_match_name(const struct det_ioc *ioc,
		const char *name);
const struct det_ioc_entry *det_ioc_match_hash(const struct det_ioc *ioc,
		enum det_ioc_type t, const char *value);

#endif
