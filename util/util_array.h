/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Arrays that grow: room for one more element, the capacity doubled when
 * full. Every list built from a callback or a file used to open-code this.
 *
 *   if (UTIL_ARRAY_GROW(l->v, l->cap, l->n, 16) < 0)
 *           return -ENOMEM;
 *   l->v[l->n++] = x;
 */

#ifndef CORDON_UTIL_ARRAY_H
#define CORDON_UTIL_ARRAY_H

#include <stddef.h>

/*
 * Room for element n of *(T **)arr, of *cap elements of size bytes each:
 * when n == *cap, *cap doubles (to first when 0). 0, or -ENOMEM with the
 * array and *cap unchanged.
 */
int util_array_grow(void *arr, size_t *cap, size_t n, size_t size,
		    size_t first);

#define UTIL_ARRAY_GROW(arr, cap, n, first) \
	util_array_grow(&(arr), &(cap), (n), sizeof(*(arr)), (first))

#endif /* CORDON_UTIL_ARRAY_H */
