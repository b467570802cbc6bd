/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Lateral movement: denied device-to-device attempts. */

#include "test_det_util.h"
#include "test_main.h"

static void
denied(struct det_engine *e, uint64_t ts, uint8_t host, uint16_t port)
{
	uint8_t d[16];
	struct det_ev ev;

	v4(d, 10, 9, 0, host);
	ev = ev_a(DET_EV_FLOW_DENIED, ts, 6, 40000, d, port);
	det_event(e, &ev);
}

DET_TEST(retries_and_spread)
{
	/* a cast app retrying one denied target every 5 s (12 a minute),
	 * and another target every 100 s */
	for (int i = 0; i < 120; i++) {
		denied(e, T0 + (uint64_t)i * 5 * SEC, 30, 8009);
		if (i % 20 == 0)
			denied(e, T0 + (uint64_t)i * 5 * SEC + MS,
			       (uint8_t)(40 + i / 20), 80);
	}
	assert_int_equal(r->n, 0);
	/* a worm: 8 targets in seconds */
	for (int i = 0; i < 8; i++)
		denied(e, T0 + 1000 * SEC + (uint64_t)i * 100 * MS,
		       (uint8_t)(100 + i), 445);
	assert_int_equal(rec_count(r, DET_LATERAL), 1);
}

DET_TEST(internet_is_not_lateral)
{
	uint8_t d[16];
	struct det_ev ev;

	for (int i = 0; i < 50; i++) {
		v4(d, 198, 18, 0, (uint8_t)i);
		ev = ev_a(DET_EV_FLOW_DENIED, T0 + (uint64_t)i * MS, 6, 40000,
			  d, 443);
		det_event(e, &ev);
	}
	assert_int_equal(r->n, 0);
}

TEST_MAIN(
	det_test(retries_and_spread),
	det_test(internet_is_not_lateral))
