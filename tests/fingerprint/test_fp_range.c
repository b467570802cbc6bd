/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fp_range.h"
#include "test_main.h"

struct set {
	struct fp_range r[FP_RANGE_MAX];
	uint8_t n;
};

static void
expect_ranges(const struct set *st, const uint32_t *want, uint8_t n)
{
	assert_int_equal(st->n, n);
	for (uint8_t i = 0; i < n; i++) {
		assert_int_equal(st->r[i].s, want[2 * i]);
		assert_int_equal(st->r[i].e, want[2 * i + 1]);
	}
}

static void
test_out_of_order_merge(void **state)
{
	struct set st = { .n = 0 };

	(void)state;
	fp_range_add(st.r, &st.n, 4, 20, 30);
	fp_range_add(st.r, &st.n, 4, 0, 10);
	fp_range_add(st.r, &st.n, 4, 40, 50);
	expect_ranges(&st, (const uint32_t[]){ 0, 10, 20, 30, 40, 50 }, 3);
	/* Touching merges; a covering range swallows what it spans. */
	fp_range_add(st.r, &st.n, 4, 10, 20);
	expect_ranges(&st, (const uint32_t[]){ 0, 30, 40, 50 }, 2);
	fp_range_add(st.r, &st.n, 4, 5, 60);
	expect_ranges(&st, (const uint32_t[]){ 0, 60 }, 1);
	/* A retransmission inside changes nothing. */
	fp_range_add(st.r, &st.n, 4, 7, 9);
	expect_ranges(&st, (const uint32_t[]){ 0, 60 }, 1);
}

static void
test_overflow_drops_furthest(void **state)
{
	struct set st = { .n = 0 };

	(void)state;
	for (uint32_t i = 1; i <= 3; i++)
		fp_range_add(st.r, &st.n, 3, i * 100, i * 100 + 10);
	fp_range_add(st.r, &st.n, 3, 0, 10);
	expect_ranges(&st, (const uint32_t[]){ 0, 10, 100, 110, 200, 210 },
		      3);
	/* The prefix is what reassembly needs; it still grows. */
	fp_range_add(st.r, &st.n, 3, 10, 100);
	expect_ranges(&st, (const uint32_t[]){ 0, 110, 200, 210 }, 2);
}

TEST_MAIN(
	cmocka_unit_test(test_out_of_order_merge),
	cmocka_unit_test(test_overflow_drops_furthest))
