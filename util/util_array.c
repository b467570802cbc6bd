/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util_array.h"

int
util_array_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t c = *cap ? *cap * 2 : first;
	void *p, *np;

	if (n < *cap)
		return 0;
	if (c <= n || size == 0 || c > SIZE_MAX / size)
		return -ENOMEM;
	memcpy(&p, arr, sizeof(p));
	np = realloc(p, c * size);
	if (np == NULL)
		return -ENOMEM;
	memcpy(arr, &np, sizeof(np));
	*cap = c;
	return 0;
}
