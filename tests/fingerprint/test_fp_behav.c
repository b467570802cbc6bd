/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include "test_fp_util.h"
#include "fp_behav.h"
#include "test_main.h"

#define SEC 1000000ull

static void test_distinct(void **state)
{
	struct fp_distinct d;

	(void)state;
	fp_distinct_reset(&d);
	for (uint32_t i = 0; i < 20; i++) {
		fp_distinct_add(&d, i);
		fp_distinct_add(&d, i);	/* duplicates do not count */
	}
	assert_int_equal(fp_distinct_count(&d), 20);
	assert_false(d.approx);
	for (uint32_t i = 0; i < 300; i++)
		fp_distinct_add(&d, i * 2654435761u);
	assert_true(d.approx);
	/* linear counting on 512 bits: well within 15% at ~300 */
	assert_in_range(fp_distinct_count(&d), 270, 370);
}

/* An interval that started at start_us and saw flows new flows. */
static void assert_interval(const struct fp_behav_summary *s,
		uint64_t start_us, uint64_t flows)
{
	assert_int_equal(s->start_us, start_us);
	assert_int_equal(s->flows, flows);
}

static void test_intervals(void **state)
{
	struct fp_behav b;
	struct fp_behav_summary s;
	struct fp_addr a = { .family = 4, .a = { 10, 0, 0, 1 } };

	(void)state;
	fp_behav_init(&b, 60 * SEC, 0);
	assert_false(fp_behav_last(&b, &s));
	for (int i = 0; i < 5; i++) {
		a.a[3] = (uint8_t)(i % 3);
		fp_behav_flow(&b, 10 * SEC, &a, (uint16_t)(443 + (i & 1)));
	}
	fp_behav_traffic(&b, 11 * SEC, true, 3, 300);
	fp_behav_traffic(&b, 12 * SEC, false, 2, 5000);
	fp_behav_denied(&b, 13 * SEC);
	fp_behav_current(&b, &s);
	assert_int_equal(s.flows, 5);
	assert_int_equal(s.distinct_dsts, 3);
	assert_int_equal(s.distinct_ports, 2);
	assert_int_equal(s.bytes_in, 5000);
	/* next interval closes the first one */
	fp_behav_traffic(&b, 61 * SEC, true, 1, 10);
	assert_true(fp_behav_last(&b, &s));
	assert_interval(&s, 0, 5);
	assert_int_equal(s.pkts_out, 3);
	assert_int_equal(s.pkts_in, 2);
	assert_int_equal(s.bytes_out, 300);
	assert_int_equal(s.denied, 1);
	/* an idle gap: the interval before now was empty */
	fp_behav_tick(&b, 200 * SEC);
	assert_true(fp_behav_last(&b, &s));
	assert_interval(&s, 120 * SEC, 0);
	assert_int_equal(s.pkts_out, 0);
	fp_behav_current(&b, &s);
	assert_int_equal(s.start_us, 180 * SEC);
}

TEST_MAIN(
	cmocka_unit_test(test_distinct),
	cmocka_unit_test(test_intervals))
