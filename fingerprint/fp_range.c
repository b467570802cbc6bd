/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "fp_range.h"

void
fp_range_add(struct fp_range *r, uint8_t *n, uint8_t max, uint32_t s,
	     uint32_t e)
{
	struct fp_range nr[FP_RANGE_MAX + 1];
	uint8_t k = 0;
	bool placed = false;

	assert(max <= FP_RANGE_MAX && *n <= max);
	for (uint8_t i = 0; i < *n; i++) {
		struct fp_range c = r[i];

		if (c.e < s) {
			nr[k++] = c;
		} else if (c.s > e) {
			if (!placed) {
				nr[k++] = (struct fp_range){ s, e };
				placed = true;
			}
			nr[k++] = c;
		} else {
			if (c.s < s)
				s = c.s;
			if (c.e > e)
				e = c.e;
		}
	}
	if (!placed)
		nr[k++] = (struct fp_range){ s, e };
	if (k > max)
		k = max;
	memcpy(r, nr, k * sizeof(nr[0]));
	*n = k;
}
