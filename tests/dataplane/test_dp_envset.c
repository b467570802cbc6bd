/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dp_envset: the detector's envelopes handed over. MACs come for ever and
 * nothing says one left: the set must take any number of them (it used to
 * probe for ever once full), mark each once while it holds it, and keep
 * what it holds findable across deletes.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dp_envset.h"
#include "test_mac.h"
#include "test_main.h"

/* Once each, while held; VLANs apart. */
static void
test_once(void **state)
{
	struct dp_envset s;
	uint8_t mac[6];

	(void)state;
	assert_int_equal(dp_envset_init(&s, 16), 0);
	assert_int_equal(s.mask + 1, 32);
	test_mac_of(1, mac);
	assert_true(dp_envset_mark(&s, mac, 0));
	assert_false(dp_envset_mark(&s, mac, 0));
	assert_true(dp_envset_mark(&s, mac, 7));
	dp_envset_unmark(&s, mac, 0);
	assert_true(dp_envset_mark(&s, mac, 0));	/* a re-learn: again */
	assert_false(dp_envset_mark(&s, mac, 7));
	dp_envset_unmark(&s, mac, 99);			/* not there: nothing */
	assert_int_equal(s.n, 2);
	dp_envset_fini(&s);
}

/* Far more MACs than slots: every mark returns, the set never passes
 * three quarters, and it forgets all at once when it would. */
static void
test_endless_macs(void **state)
{
	struct dp_envset s;
	uint8_t mac[6];
	uint32_t slots;

	(void)state;
	assert_int_equal(dp_envset_init(&s, 16), 0);
	slots = s.mask + 1;
	for (uint32_t n = 0; n < 100 * slots; n++) {
		test_mac_of(n, mac);
		assert_true(dp_envset_mark(&s, mac, 0));
		assert_true(s.n <= slots / 4 * 3);
	}
	assert_int_equal(s.forgotten, 100 * slots / (slots / 4 * 3));
	/* The last ones are still held. */
	assert_false(dp_envset_mark(&s, mac, 0));
	dp_envset_fini(&s);
}

/* Deletes keep the rest findable (linear probing's back-shift), also
 * where probes wrap around the end of the table. */
static void
test_unmark_keeps_the_rest(void **state)
{
	struct dp_envset s;
	uint8_t mac[6];
	const uint32_t n = 24;	/* 3/4 of 32 */

	(void)state;
	assert_int_equal(dp_envset_init(&s, 16), 0);
	for (uint32_t i = 0; i < n; i++) {
		test_mac_of(i, mac);
		assert_true(dp_envset_mark(&s, mac, 0));
	}
	for (uint32_t i = 0; i < n; i += 2) {
		test_mac_of(i, mac);
		dp_envset_unmark(&s, mac, 0);
	}
	assert_int_equal(s.n, n / 2);
	for (uint32_t i = 0; i < n; i++) {
		test_mac_of(i, mac);
		/* the odd ones are held; the even ones were forgotten */
		assert_int_equal(dp_envset_mark(&s, mac, 0), i % 2 == 0);
	}
	assert_int_equal(s.forgotten, 0);
	dp_envset_fini(&s);
}

TEST_MAIN(
	cmocka_unit_test(test_once),
	cmocka_unit_test(test_endless_macs),
	cmocka_unit_test(test_unmark_keeps_the_rest))
