/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_CTL_POLICY_COUNTS_H
#define CORDON_CTL_POLICY_COUNTS_H

#include <stddef.h>
#include <stdint.h>

/* What a compiled version holds: its history's columns. */
struct ctl_policy_counts {
	uint32_t rules;
	uint32_t devices;
	uint32_t quarantined;
};

/*
 * Count them on the serialized Policy's wire bytes, without unpacking it
 * (a history lists many versions, each possibly megabytes). Top-level
 * fields only; 0, or -EBADMSG for bytes that do not parse.
 */
int ctl_policy_counts(const uint8_t *buf, size_t len,
		      struct ctl_policy_counts *c);

#endif /* CORDON_CTL_POLICY_COUNTS_H */
