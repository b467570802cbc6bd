/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Freed memory kept in the heap, see util_heap.h.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "util_asan.h"
#include "util_heap.h"

/* Does GLIBC_TUNABLES already set one of the two thresholds? */
static int
util_heap_tuned(void)
{
	const char *t = getenv("GLIBC_TUNABLES");

	return t != NULL && (strstr(t, "glibc.malloc.mmap_threshold") ||
			     strstr(t, "glibc.malloc.trim_threshold"));
}

int
util_heap_keep(size_t keep)
{
#ifdef __GLIBC__
	size_t mmap_at = keep < UTIL_HEAP_MMAP_MAX ? keep : UTIL_HEAP_MMAP_MAX;

	if (keep == 0)
		return 0;
	if (util_heap_tuned())
		return 1;
	if (keep > (size_t)INT_MAX)
		return -EINVAL;
	/* ASan's mallopt() does nothing. */
	if (UTIL_ASAN)
		return -ENOTSUP;
	/* mallopt() returns 1 on success. Setting either also stops
	 * glibc's own raising of the mmap threshold. */
	if (mallopt(M_MMAP_THRESHOLD, (int)mmap_at) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, (int)keep) != 1)
		return -EINVAL;
	return 0;
#else
	(void)keep;
	return -ENOTSUP;
#endif
}
