/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bridge.h"

static void
mac_of(uint32_t i, uint8_t *m)
{
	m[0] = 0x02;
	m[1] = 0x00;
	m[2] = (uint8_t)(i >> 24);
	m[3] = (uint8_t)(i >> 16);
	m[4] = (uint8_t)(i >> 8);
	m[5] = (uint8_t)i;
}

static void
test_learn_lookup(void **state)
{
	struct bridge_fdb *f = bridge_fdb_create(1024, 300);
	uint8_t a[6], b[6];
	struct bridge_stats st;

	(void)state;
	mac_of(1, a);
	mac_of(2, b);
	assert_int_equal(bridge_lookup(f, a, 0, 10), BRIDGE_PORT_NONE);
	assert_int_equal(bridge_learn(f, a, 0, 3, 10), 0);
	assert_int_equal(bridge_lookup(f, a, 0, 10), 3);
	assert_int_equal(bridge_lookup(f, b, 0, 10), BRIDGE_PORT_NONE);
	/* Independent VLAN learning. */
	assert_int_equal(bridge_lookup(f, a, 7, 10), BRIDGE_PORT_NONE);
	assert_int_equal(bridge_learn(f, a, 7, 1, 10), 0);
	assert_int_equal(bridge_lookup(f, a, 7, 10), 1);
	assert_int_equal(bridge_lookup(f, a, 0, 10), 3);
	/* Station move. */
	assert_int_equal(bridge_learn(f, a, 0, 4, 11), 0);
	assert_int_equal(bridge_lookup(f, a, 0, 11), 4);
	bridge_get_stats(f, &st);
	assert_int_equal(st.learned, 2);
	assert_int_equal(st.moved, 1);
	assert_int_equal(bridge_count(f, 11), 2);
	bridge_fdb_free(f);
}

static void
test_refuses_bad_sources(void **state)
{
	struct bridge_fdb *f = bridge_fdb_create(64, 300);
	uint8_t zero[6] = { 0 }, bcast[6], mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	uint8_t a[6];

	(void)state;
	memset(bcast, 0xff, 6);
	mac_of(9, a);
	assert_int_equal(bridge_learn(f, zero, 0, 0, 1), -EINVAL);
	assert_int_equal(bridge_learn(f, bcast, 0, 0, 1), -EINVAL);
	assert_int_equal(bridge_learn(f, mcast, 0, 0, 1), -EINVAL);
	assert_int_equal(bridge_learn(f, a, 0, BRIDGE_MAX_PORTS, 1), -EINVAL);
	assert_int_equal(bridge_count(f, 1), 0);
	bridge_fdb_free(f);
}

static void
test_ageing(void **state)
{
	struct bridge_fdb *f = bridge_fdb_create(64, 300);
	uint8_t a[6];

	(void)state;
	mac_of(5, a);
	bridge_learn(f, a, 0, 2, 1000);
	assert_int_equal(bridge_lookup(f, a, 0, 1300), 2);
	assert_int_equal(bridge_lookup(f, a, 0, 1301), BRIDGE_PORT_NONE);
	/* Seen again: alive again. */
	bridge_learn(f, a, 0, 2, 1301);
	assert_int_equal(bridge_lookup(f, a, 0, 1500), 2);
	/* The clock wraps without harm. */
	bridge_learn(f, a, 0, 1, UINT32_MAX - 5);
	assert_int_equal(bridge_lookup(f, a, 0, 10), 1);
	bridge_fdb_free(f);
}

static void
test_full_table_replaces_stalest(void **state)
{
	struct bridge_fdb *f = bridge_fdb_create(64, 1000);
	struct bridge_stats st;
	uint8_t m[6];
	uint32_t i, found = 0;

	(void)state;
	/* Far more stations than slots: every bucket overflows. */
	for (i = 0; i < 4096; i++) {
		mac_of(i + 1, m);
		bridge_learn(f, m, 0, (uint16_t)(i % 8), i / 64);
	}
	bridge_get_stats(f, &st);
	assert_true(st.replaced > 0);
	/* The most recent stations are all still there. */
	for (i = 4096 - 16; i < 4096; i++) {
		mac_of(i + 1, m);
		if (bridge_lookup(f, m, 0, 4096 / 64) == i % 8)
			found++;
	}
	assert_int_equal(found, 16);
	bridge_fdb_free(f);
}

static void
test_flush_port(void **state)
{
	struct bridge_fdb *f = bridge_fdb_create(256, 300);
	uint8_t m[6];

	(void)state;
	for (uint32_t i = 0; i < 100; i++) {
		mac_of(i + 1, m);
		bridge_learn(f, m, 0, (uint16_t)(i % 2), 1);
	}
	bridge_flush_port(f, 1);
	assert_int_equal(bridge_count(f, 1), 50);
	mac_of(2, m);	/* i = 1: port 1 */
	assert_int_equal(bridge_lookup(f, m, 0, 1), BRIDGE_PORT_NONE);
	mac_of(1, m);
	assert_int_equal(bridge_lookup(f, m, 0, 1), 0);
	bridge_fdb_free(f);
}

struct race_arg {
	struct bridge_fdb *f;
	uint16_t port;
};

static void *
race_main(void *p)
{
	struct race_arg *a = p;
	uint8_t m[6];

	for (int round = 0; round < 50; round++)
		for (uint32_t i = 0; i < 2000; i++) {
			mac_of(i + 1, m);
			bridge_learn(a->f, m, 0, a->port, 1);
			(void)bridge_lookup(a->f, m, 0, 1);
		}
	return NULL;
}

static void
test_concurrent_learners(void **state)
{
	struct bridge_fdb *f = bridge_fdb_create(8192, 300);
	struct race_arg a[4];
	pthread_t t[4];
	uint8_t m[6];

	(void)state;
	for (int i = 0; i < 4; i++) {
		a[i].f = f;
		a[i].port = (uint16_t)i;
		pthread_create(&t[i], NULL, race_main, &a[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	/* Every station is known, on one of the ports that learned it. */
	for (uint32_t i = 0; i < 2000; i++) {
		mac_of(i + 1, m);
		assert_true(bridge_lookup(f, m, 0, 1) < 4);
	}
	bridge_fdb_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_lookup),
		cmocka_unit_test(test_refuses_bad_sources),
		cmocka_unit_test(test_ageing),
		cmocka_unit_test(test_full_table_replaces_stalest),
		cmocka_unit_test(test_flush_port),
		cmocka_unit_test(test_concurrent_learners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
