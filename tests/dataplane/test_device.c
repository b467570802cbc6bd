/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "device.h"
#include "test_mac.h"
#include "test_main.h"

/* The key is the MAC as a big-endian number under the VID: flow dumps and
 * the agent read MACs back from it. */
static void
test_key(void **state)
{
	const uint8_t m[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0xf5 };

	(void)state;
	assert_true(device_key(m, 0) == 0x00000211223344f5ull);
	assert_true(device_key(m, 7) == 0x00070211223344f5ull);
	/* PCP and DEI are not part of the L2 domain. */
	assert_true(device_key(m, 0xf007) == device_key(m, 7));
}

static void
test_get_lookup(void **state)
{
	struct device_table t;
	uint8_t a[6], b[6], bc[6];
	uint32_t ia, ia7;

	(void)state;
	memset(bc, 0xff, 6);
	assert_int_equal(device_table_init(&t, 100, 300), 0);
	test_mac_of(1, a);
	test_mac_of(2, b);
	assert_int_equal(device_lookup(&t, a, 0), DEVICE_NONE);
	ia = device_get(&t, a, 0, 1, 10);
	assert_int_not_equal(ia, DEVICE_NONE);
	assert_int_equal(device_lookup(&t, a, 0), ia);
	assert_int_equal(device_get(&t, a, 0, 1, 11), ia);	/* stable */
	assert_int_equal(ia, 0);				/* dense */
	assert_int_equal(device_at(&t, ia)->first_seen_s, 10);
	assert_int_equal(t.hot[ia].last_seen_s, 11);
	ia7 = device_get(&t, a, 7, 1, 11);			/* per VLAN */
	assert_int_equal(ia7, 1);
	assert_int_equal(device_count(&t), 2);
	assert_int_equal(device_lookup(&t, b, 0), DEVICE_NONE);
	assert_int_equal(device_get(&t, bc, 0, 1, 1), DEVICE_NONE);
	/* Moves to another port are followed and counted. */
	device_get(&t, a, 0, 3, 12);
	assert_int_equal(t.hot[ia].port, 3);
	assert_int_equal(device_port(&t, ia, 12), 3);
	assert_int_equal(t.moves, 1);
	device_touch(&t, ia, 3, 13);
	assert_int_equal(t.moves, 1);
	assert_int_equal(device_port(&t, DEVICE_NONE, 13), DEVICE_PORT_NONE);
	device_table_fini(&t);
}

/* By key, as the worker does for new flows: the same answers as by MAC,
 * group and zero MACs included. */
static void
test_by_key(void **state)
{
	struct device_table t;
	uint8_t a[6], mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	uint8_t zero[6] = { 0 };
	uint32_t ia;

	(void)state;
	assert_int_equal(device_table_init(&t, 100, 300), 0);
	test_mac_of(5, a);
	assert_int_equal(device_lookup_key(&t, device_key(a, 3)), DEVICE_NONE);
	ia = device_get_key(&t, device_key(a, 3), 2, 10);
	assert_int_not_equal(ia, DEVICE_NONE);
	assert_int_equal(device_lookup(&t, a, 3), ia);
	assert_int_equal(device_lookup_key(&t, device_key(a, 3)), ia);
	assert_int_equal(device_get(&t, a, 3, 2, 11), ia);
	assert_int_equal(device_lookup_key(&t, device_key(a, 4)), DEVICE_NONE);
	assert_int_equal(device_get_key(&t, device_key(mc, 3), 2, 10),
			 DEVICE_NONE);
	assert_int_equal(device_get_key(&t, device_key(zero, 3), 2, 10),
			 DEVICE_NONE);
	assert_int_equal(device_count(&t), 1);
	device_table_fini(&t);
}

static void
test_forwarding_ageing(void **state)
{
	struct device_table t;
	uint8_t a[6];
	uint32_t i;

	(void)state;
	assert_int_equal(device_table_init(&t, 16, 300), 0);
	test_mac_of(9, a);
	i = device_get(&t, a, 0, 2, 1000);
	assert_int_equal(device_port(&t, i, 1300), 2);
	assert_int_equal(device_port(&t, i, 1301), DEVICE_PORT_NONE);
	/* Heard again: forwarded to again; the index never changed. */
	assert_int_equal(device_get(&t, a, 0, 2, 1301), i);
	assert_int_equal(device_port(&t, i, 1500), 2);
	/* The clock wraps without harm. */
	device_touch(&t, i, 1, UINT32_MAX - 5);
	assert_int_equal(device_port(&t, i, 10), 1);
	device_table_fini(&t);
}

static void
test_capacity(void **state)
{
	struct device_table t;
	uint8_t m[6];
	uint32_t got = 0;

	(void)state;
	assert_int_equal(device_table_init(&t, 1000, 300), 0);
	for (uint32_t i = 0; i < 1500; i++) {
		test_mac_of(i + 1, m);
		if (device_get(&t, m, 0, 0, 1) != DEVICE_NONE)
			got++;
	}
	assert_int_equal(got, 1000);
	assert_int_equal(device_count(&t), 1000);
	assert_int_equal(t.full, 500);
	/* Everyone admitted is still found, with dense indices in order. */
	for (uint32_t i = 0; i < 1000; i++) {
		test_mac_of(i + 1, m);
		assert_int_equal(device_lookup(&t, m, 0), i);
		assert_int_equal(device_at(&t, i)->key, device_key(m, 0));
	}
	device_table_fini(&t);
}

static void
test_addresses(void **state)
{
	struct device_table t;
	struct device_entry *d;
	uint8_t m[6], v6[16] = { 0xfe, 0x80 };

	(void)state;
	assert_int_equal(device_table_init(&t, 10, 300), 0);
	test_mac_of(5, m);
	d = device_at(&t, device_get(&t, m, 0, 0, 1));
	for (uint8_t i = 1; i <= 6; i++) {
		uint8_t a[4] = { 192, 168, 1, i };

		assert_int_equal(device_add_addr(d, a, 4), 1);
		assert_int_equal(device_add_addr(d, a, 4), 0);
		assert_true(device_has_addr(d, a, 4));
	}
	/* Four kept, newest last: .1 and .2 are gone. */
	uint8_t first[4] = { 192, 168, 1, 1 }, third[4] = { 192, 168, 1, 3 };
	assert_false(device_has_addr(d, first, 4));
	assert_true(device_has_addr(d, third, 4));
	assert_int_equal(d->n_addr4, DEVICE_MAX_ADDR4);
	assert_int_equal(device_add_addr(d, v6, 16), 1);
	assert_true(device_has_addr(d, v6, 16));
	assert_int_equal(device_add_addr(d, v6, 3), -22);
	device_table_fini(&t);
}

static struct device_table race_t;

static void *
race_main(void *arg)
{
	uint8_t m[6];

	(void)arg;
	for (uint32_t i = 0; i < 5000; i++) {
		test_mac_of(i + 1, m);
		if (device_get(&race_t, m, 0, 0, 1) == DEVICE_NONE)
			return (void *)1;
	}
	return NULL;
}

static void
test_concurrent_create(void **state)
{
	pthread_t th[4];
	void *rv;
	uint8_t m[6];

	(void)state;
	assert_int_equal(device_table_init(&race_t, 5000, 300), 0);
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, race_main, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], &rv);
		assert_null(rv);
	}
	/* Each MAC exactly once, whoever created it, and every index used
	 * by exactly one MAC. */
	static uint8_t seen[5000];
	assert_int_equal(device_count(&race_t), 5000);
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t idx;

		test_mac_of(i + 1, m);
		idx = device_lookup(&race_t, m, 0);
		assert_true(idx < 5000);
		assert_int_equal(seen[idx]++, 0);
		assert_int_equal(device_at(&race_t, idx)->key,
				 device_key(m, 0));
	}
	device_table_fini(&race_t);
}

TEST_MAIN(
	cmocka_unit_test(test_key),
	cmocka_unit_test(test_get_lookup),
	cmocka_unit_test(test_by_key),
	cmocka_unit_test(test_forwarding_ageing),
	cmocka_unit_test(test_capacity),
	cmocka_unit_test(test_addresses),
	cmocka_unit_test(test_concurrent_create))
