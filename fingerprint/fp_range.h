/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_FP_RANGE_H
#define CORDON_FP_RANGE_H

/*
 * The byte ranges received of a stream being reassembled (TCP payload,
 * QUIC CRYPTO frames): sorted, disjoint, at most a small fixed number.
 */

#include <stdint.h>

#define FP_RANGE_MAX 16

struct fp_range {
	uint32_t s, e;			/* [s, e) */
};

/*
 * Add [s, e) to the n ranges in r, which holds max (<= FP_RANGE_MAX).
 * Overlapping and touching ranges merge. When the set would overflow,
 * the furthest range is dropped: reassembly only needs the prefix.
 */
void fp_range_add(struct fp_range *r, uint8_t *n, uint8_t max,
		  uint32_t s, uint32_t e);

#endif /* CORDON_FP_RANGE_H */
