/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dp.h's wall-clock stamps: a TSC rate measured 0.1 % high makes start
 * time + uptime fall behind the system clock (600 ms after 10 minutes);
 * the main lcore's anchor each second keeps a stamp within the drift of
 * one second. Synthetic TSC values: nothing here reads a clock.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp.h"

#define REAL_HZ 2000000000ull			/* the TSC's true rate */
#define MEASURED_HZ (REAL_HZ + REAL_HZ / 1000)	/* DPDK's, 0.1 % high */
#define T0_UNIX_US 1790000000000000ull

static int64_t
err_us(const struct dp *dp, uint64_t tsc)
{
	uint64_t truth = T0_UNIX_US + tsc / (REAL_HZ / 1000000);

	return (int64_t)(dp_unix_us_at(dp, dp_hot_us(&dp->hot, tsc)) -
			 truth);
}

static void
anchored(void **state)
{
	struct dp *dp = calloc(1, sizeof(*dp));

	(void)state;
	assert_non_null(dp);
	dp->hot.start_tsc = 0;
	dp->hot.us_mult = (uint64_t)(((unsigned __int128)1000000 << 32) /
				     MEASURED_HZ);
	dp->started_unix_us = T0_UNIX_US;
	dp->unix_base_us = T0_UNIX_US;
	/* Never anchored: 10 minutes on, the stamp is ~600 ms behind. */
	const uint64_t ten_min = 600 * REAL_HZ;
	int64_t e = err_us(dp, ten_min);

	print_message("unanchored after 600 s: %" PRId64 " us\n", e);
	assert_true(e < -500000);
	/* Anchored each second on the way: within 1 ms (the drift of one
	 * second), and the stamps still go forward. */
	uint64_t last = 0;

	for (uint64_t s = 1; s <= 600; s++) {
		uint64_t tsc = s * REAL_HZ;

		dp_clock_anchor(dp, dp_hot_us(&dp->hot, tsc),
				T0_UNIX_US + s * 1000000);
		for (uint64_t f = 0; f < 4; f++) {
			uint64_t t = tsc + f * (REAL_HZ / 4);
			uint64_t u = dp_unix_us_at(dp, dp_hot_us(&dp->hot, t));

			e = err_us(dp, t);
			assert_true(e > -1100 && e < 1100);
			assert_true(u >= last);
			last = u;
		}
	}
	print_message("anchored each second: %" PRId64 " us\n", e);
	free(dp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anchored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
