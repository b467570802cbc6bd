/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * An index for lookups that would otherwise scan every assignment (or
 * device) once per assignment, rule or inventory device: quadratic in a
 * 10,000-device policy compile. An open-addressing multimap from a
 * non-zero 64-bit key to 32-bit values; a key may be a hash (names), so
 * callers confirm each candidate. Zero-initialise; ctl_idx_free().
 */

#ifndef CORDON_CTL_IDX_H
#define CORDON_CTL_IDX_H

#include <stddef.h>
#include <stdint.h>

struct ctl_idx {
	uint64_t *key;		/* 0: empty */
	uint32_t *val;
	size_t n, mask;
};

/* Keys: a MAC on a VLAN, and a string's hash. Never 0. */
uint64_t ctl_idx_key_mac(const uint8_t mac[6], uint32_t vlan);
uint64_t ctl_idx_key_str(const char *s);

/* Add val under key (duplicates allowed). 0 or -ENOMEM. */
int ctl_idx_put(struct ctl_idx *m, uint64_t key, uint32_t val);
/* The values under key, one per call: *pos starts at SIZE_MAX. 1 while
 * there is one, then 0. */
int ctl_idx_next(const struct ctl_idx *m, uint64_t key, size_t *pos,
		 uint32_t *val);
void ctl_idx_free(struct ctl_idx *m);

#endif /* CORDON_CTL_IDX_H */
