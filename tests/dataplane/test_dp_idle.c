/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dp_idle.h's back-off, loop by loop: no sleep while packets come or
 * before DP_IDLE_SPINS empty loops; then 1, 2, 4, ... us up to the most
 * asked, held there; one packet starts it over. 0 never sleeps.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dp_idle.h"

/* Empty loops until the first sleep; returns that sleep. */
static uint32_t
first_sleep(struct dp_idle *s)
{
	for (unsigned int i = 0; i < DP_IDLE_SPINS; i++)
		assert_int_equal(dp_idle_next(s, 0), 0);
	return dp_idle_next(s, 0);
}

static void
busy_poll_never_sleeps(void **state)
{
	struct dp_idle s;

	(void)state;
	dp_idle_init(&s, 0);
	for (unsigned int i = 0; i < 100000; i++)
		assert_int_equal(dp_idle_next(&s, 0), 0);
}

static void
backs_off_to_the_most(void **state)
{
	static const uint32_t want[] = { 1, 2, 4, 8, 16, 32, 64, 100, 100 };
	struct dp_idle s;

	(void)state;
	dp_idle_init(&s, 100);
	assert_int_equal(first_sleep(&s), want[0]);
	for (size_t i = 1; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(dp_idle_next(&s, 0), want[i]);
	for (unsigned int i = 0; i < 1000; i++)
		assert_int_equal(dp_idle_next(&s, 0), 100);
}

static void
a_packet_starts_over(void **state)
{
	struct dp_idle s;

	(void)state;
	dp_idle_init(&s, DP_IDLE_MAX_US);
	assert_int_equal(first_sleep(&s), 1);
	for (unsigned int i = 0; i < 20; i++)
		dp_idle_next(&s, 0);
	assert_int_equal(dp_idle_next(&s, 0), DP_IDLE_MAX_US);
	/* Packets keep it polling, however long they last... */
	for (unsigned int i = 0; i < 1000; i++)
		assert_int_equal(dp_idle_next(&s, 1 + i % 64), 0);
	/* ... and the next lull spins again first, from 1 us. */
	assert_int_equal(first_sleep(&s), 1);
	assert_int_equal(dp_idle_next(&s, 0), 2);
	/* A packet mid-spin restarts the spin. */
	dp_idle_next(&s, 3);
	for (unsigned int i = 0; i < DP_IDLE_SPINS - 1; i++)
		dp_idle_next(&s, 0);
	assert_int_equal(dp_idle_next(&s, 1), 0);
	assert_int_equal(first_sleep(&s), 1);
}

static void
odd_and_tiny_limits(void **state)
{
	struct dp_idle s;

	(void)state;
	dp_idle_init(&s, 1);
	assert_int_equal(first_sleep(&s), 1);
	assert_int_equal(dp_idle_next(&s, 0), 1);
	dp_idle_init(&s, 3);
	assert_int_equal(first_sleep(&s), 1);
	assert_int_equal(dp_idle_next(&s, 0), 2);
	assert_int_equal(dp_idle_next(&s, 0), 3);
	assert_int_equal(dp_idle_next(&s, 0), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(busy_poll_never_sleeps),
		cmocka_unit_test(backs_off_to_the_most),
		cmocka_unit_test(a_packet_starts_over),
		cmocka_unit_test(odd_and_tiny_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
