/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>

#include "ctl_policy_counts.h"

/*
 * What a version holds (rules, devices, quarantined), counted on its
 * compiled form's wire bytes: a history lists every version, and unpacking
 * each one to count made a few dozen allocations per version per query, a
 * churn that grew with the history for as long as cordond ran. Top-level
 * fields of Policy only; 0 or -EBADMSG for bytes that do not parse.
 */
#define PB_RULES 4		/* Policy fields (cordon.proto) */
#define PB_DEVICES 3
#define PB_QUARANTINED 8

static int
pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (unsigned int shift = 0; shift < 64 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -EBADMSG;
}

int
ctl_policy_counts(const uint8_t *buf, size_t len, struct ctl_policy_counts *c)
{
	const uint8_t *p = buf, *end = buf != NULL ? buf + len : buf;
	uint32_t rules = 0, devices = 0, quarantined = 0;
	uint64_t key, n;

	while (p != NULL && p < end) {
		if (pb_varint(&p, end, &key) < 0)
			return -EBADMSG;
		switch (key & 7) {
		case 0:				/* varint */
			if (pb_varint(&p, end, &n) < 0)
				return -EBADMSG;
			break;
		case 1:				/* fixed64 */
		case 5:				/* fixed32 */
			n = (key & 7) == 1 ? 8 : 4;
			if ((size_t)(end - p) < n)
				return -EBADMSG;
			p += n;
			break;
		case 2:				/* length-delimited */
			if (pb_varint(&p, end, &n) < 0 ||
			    n > (uint64_t)(end - p))
				return -EBADMSG;
			p += n;
			rules += (key >> 3) == PB_RULES;
			devices += (key >> 3) == PB_DEVICES;
			quarantined += (key >> 3) == PB_QUARANTINED;
			break;
		default:
			return -EBADMSG;
		}
	}
	c->rules = rules;
	c->devices = devices;
	c->quarantined = quarantined;
	return 0;
}

