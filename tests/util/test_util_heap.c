/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * util_heap: big blocks from the heap, and its free top kept up to the
 * limit. A program of its own, because it changes how this process's
 * malloc behaves. The main arena's end (sbrk(0)) says where a block came
 * from: a block served by the heap moves it, one served by mmap does not.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_main.h"
#include "util_asan.h"
#include "util_heap.h"

#define MIB ((size_t)1 << 20)

static char *
brk_now(void)
{
	return sbrk(0);
}

/* GLIBC_TUNABLES is the operator's word: left alone, and said so. Runs
 * first, while malloc still has its defaults. */
static void
test_heap_tunables_win(void **state)
{
	(void)state;
	assert_int_equal(setenv("GLIBC_TUNABLES",
				"glibc.malloc.trim_threshold=1048576", 1), 0);
	assert_int_equal(util_heap_keep(16 * MIB), 1);
	assert_int_equal(setenv("GLIBC_TUNABLES",
				"glibc.malloc.mmap_threshold=1048576", 1), 0);
	assert_int_equal(util_heap_keep(16 * MIB), 1);
	/* Other tunables are no reason to leave it. */
	assert_int_equal(setenv("GLIBC_TUNABLES",
				"glibc.malloc.arena_max=2", 1), 0);
	assert_int_equal(util_heap_keep(0), 0);
	assert_int_equal(unsetenv("GLIBC_TUNABLES"), 0);
	assert_int_equal(util_heap_keep((size_t)1 << 40), -EINVAL);
}

static void
test_heap_keep(void **state)
{
	char *b, *p, *q, *r1, *r2;

	(void)state;
	/* ASan's allocator is not glibc's: mallopt() would change nothing,
	 * and it is said so. */
	if (UTIL_ASAN) {
		assert_int_equal(util_heap_keep(16 * MIB), -ENOTSUP);
		skip();
	}
	assert_int_equal(util_heap_keep(16 * MIB), 0);

	/* 8 MiB (rte_acl's pool): from the heap, and kept after its free. */
	b = brk_now();
	p = malloc(8 * MIB);
	assert_non_null(p);
	memset(p, 1, 8 * MIB);
	assert_true(brk_now() - b >= (ptrdiff_t)(8 * MIB));
	assert_true(p + 8 * MIB <= brk_now());
	b = brk_now();
	free(p);
	assert_ptr_equal(brk_now(), b);

	/* Past the limit: mmap, as before, and the heap does not grow. */
	q = malloc(24 * MIB);
	assert_non_null(q);
	memset(q, 1, 24 * MIB);
	assert_ptr_equal(brk_now(), b);
	free(q);

	/* More than keep free at the top: given back. */
	r1 = malloc(12 * MIB);
	r2 = malloc(12 * MIB);
	assert_non_null(r1);
	assert_non_null(r2);
	memset(r1, 1, 12 * MIB);
	memset(r2, 1, 12 * MIB);
	b = brk_now();
	free(r2);
	free(r1);
	assert_true(brk_now() < b);
	assert_true(b - brk_now() >= (ptrdiff_t)(16 * MIB));
}

TEST_MAIN(
	cmocka_unit_test(test_heap_tunables_win),
	cmocka_unit_test(test_heap_keep))
