/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <stddef.h>

#include "dp_stats.h"

const char *const dp_drop_names[DP_DROP_MAX] = {
#define DP_DROP_NAME(e, s) [DP_DROP_##e] = s,
	DP_DROP_REASONS(DP_DROP_NAME)
#undef DP_DROP_NAME
};

uint64_t
dp_stats_drops(const struct dp_worker_stats *s)
{
	uint64_t sum = 0;

	for (int i = 0; i < DP_DROP_MAX; i++)
		sum += DP_CNT_READ(s->drops[i]);
	return sum;
}

void
dp_stats_snapshot(const struct dp_worker_stats *live,
		  struct dp_worker_stats *snap)
{
	const uint64_t *src = (const uint64_t *)live;
	uint64_t *dst = (uint64_t *)snap;

	/* The struct is nothing but uint64_t counters. */
	for (size_t i = 0; i < sizeof(*live) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}
