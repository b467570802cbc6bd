/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Beacons: regular fresh connections to a new destination. */

#include <stdlib.h>

#include "test_det_util.h"
#include "test_main.h"

static void
starts(struct det_engine *e, uint64_t t, uint64_t period, int n, int jit_pct,
       const uint8_t dst[16], uint16_t port, unsigned int seed)
{
	srand(seed);
	for (int i = 0; i < n; i++) {
		int64_t j = (int64_t)period * (rand() % (2 * jit_pct + 1) -
					       jit_pct) / 100;

		flow(e, t, 6, dst, (uint16_t)(40000 + i), port, 0);
		t += (uint64_t)((int64_t)period + j);
	}
}

static void
after_learning(void **state)
{
	struct det_config c;
	struct rec r;
	struct det_engine *e;
	uint8_t cloud[16], c2[16];

	(void)state;
	det_config_default(&c);
	c.learn_ms = 600000;
	e = engine(&c, &r);
	v4(cloud, 198, 18, 7, 7);
	v4(c2, 192, 0, 2, 200);
	/* learns its cloud heartbeat, every 60 s */
	starts(e, T0, 60 * SEC, 10, 0, cloud, 443, 1);
	/* which goes on afterwards: inside the envelope */
	starts(e, T0 + 600 * SEC, 60 * SEC, 30, 0, cloud, 443, 2);
	assert_int_equal(rec_count(&r, DET_BEACON), 0);
	/* irregular visits to a new place: no beacon */
	starts(e, T0 + 700 * SEC, 60 * SEC, 12, 90, c2, 80, 3);
	assert_int_equal(rec_count(&r, DET_BEACON), 0);
	/* every 5 minutes +-20 %, to a new place */
	starts(e, T0 + 2000 * SEC, 300 * SEC, 12, 20, c2, 8443, 4);
	assert_int_equal(rec_count(&r, DET_BEACON), 1);
	det_engine_destroy(e);
}

DET_TEST(while_learning)
{
	uint8_t cloud[16], c2[16];

	v4(cloud, 198, 18, 7, 7);
	v4(c2, 192, 0, 2, 200);
	/* a heartbeat every 30 s while learning: the device's own cloud */
	starts(e, T0, 30 * SEC, 40, 5, cloud, 443, 5);
	assert_int_equal(r->n, 0);
	/* curl in a loop with sleep 2-3.6 s (Slips' test-cc) */
	starts(e, T0 + 2000 * SEC, 3 * SEC, 19, 25, c2, 443, 6);
	assert_int_equal(r->n, 0);
	starts(e, T0 + 2060 * SEC, 3 * SEC, 2, 25, c2, 443, 7);
	assert_int_equal(rec_count(r, DET_BEACON), 1);
}

TEST_MAIN(
	cmocka_unit_test(after_learning),
	det_test(while_learning))
