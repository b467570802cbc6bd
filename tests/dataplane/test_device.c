/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

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

/* Retiring: the MAC is no longer found at once, its index comes back only
 * at the end, and the next new device takes it. */
static void
test_retire_reuse(void **state)
{
	struct device_table t;
	uint8_t a[6], b[6], c[6], d[6];
	uint32_t ia, ib, ic, id;

	(void)state;
	assert_int_equal(device_table_init(&t, 16, 300), 0);
	test_mac_of(1, a);
	test_mac_of(2, b);
	test_mac_of(3, c);
	test_mac_of(4, d);
	ia = device_get(&t, a, 0, 0, 10);
	ib = device_get(&t, b, 0, 0, 10);
	assert_int_equal(device_live_count(&t), 2);
	assert_int_equal(device_retire_begin(&t, ia), 0);
	assert_int_equal(device_retire_begin(&t, ia), -EALREADY);
	assert_int_equal(device_retire_begin(&t, 9), -ENOENT);
	assert_true(device_retiring(&t, ia));
	assert_false(device_retiring(&t, ib));
	assert_int_equal(device_live(&t, ia), 0);
	assert_true(device_live(&t, ib) == device_key(b, 0));
	assert_int_equal(device_lookup(&t, a, 0), DEVICE_NONE);
	assert_int_equal(device_lookup(&t, b, 0), ib);
	assert_int_equal(device_live_count(&t), 1);
	/* Still retiring: a new device gets a new index. */
	ic = device_get(&t, c, 0, 0, 11);
	assert_int_equal(ic, 2);
	device_retire_end(&t, ia);
	assert_false(device_retiring(&t, ia));
	assert_int_equal(device_at(&t, ia)->key, 0);
	assert_int_equal(t.retired, 1);
	/* The next one takes it back, with a clean entry. */
	id = device_get(&t, d, 0, 1, 12);
	assert_int_equal(id, ia);
	assert_int_equal(t.reused, 1);
	assert_int_equal(device_at(&t, id)->first_seen_s, 12);
	assert_int_equal(device_at(&t, id)->n_addr4, 0);
	assert_int_equal(device_lookup(&t, d, 0), ia);
	/* And the retired MAC comes back as a new device. */
	ia = device_get(&t, a, 0, 0, 13);
	assert_int_equal(ia, 3);
	assert_int_equal(device_lookup(&t, a, 0), ia);
	assert_int_equal(device_live_count(&t), 4);
	assert_int_equal(device_count(&t), 4);
	device_table_fini(&t);
}

/* A table of 16 cycles through 100 times as many MACs, and never fills:
 * tombstones are taken again and cleaned away, every live MAC is found. */
static void
test_retire_churn(void **state)
{
	struct device_table t;
	uint32_t idx[16];
	uint8_t m[6];

	(void)state;
	assert_int_equal(device_table_init(&t, 16, 300), 0);
	for (uint32_t round = 0; round < 100; round++) {
		for (uint32_t i = 0; i < 16; i++) {
			test_mac_of(round * 16 + i + 1, m);
			idx[i] = device_get(&t, m, 0, 0, round);
			assert_int_not_equal(idx[i], DEVICE_NONE);
		}
		for (uint32_t i = 0; i < 16; i++) {
			test_mac_of(round * 16 + i + 1, m);
			assert_int_equal(device_lookup(&t, m, 0), idx[i]);
		}
		for (uint32_t i = 0; i < 16; i++)
			assert_int_equal(device_retire_begin(&t, idx[i]), 0);
		for (uint32_t i = 0; i < 16; i++)
			device_retire_end(&t, idx[i]);
		if (round % 3 == 0)
			device_table_clean(&t, t.mask + 1);
	}
	assert_int_equal(t.full, 0);
	assert_int_equal(device_count(&t), 16);
	assert_int_equal(t.retired, 1600);
	assert_int_equal(device_live_count(&t), 0);
	/* All clean: no tombstone is left before a free slot. */
	device_table_clean(&t, t.mask + 1);
	for (uint32_t i = 0; i <= t.mask; i++)
		assert_true(t.slot_key[i] == 0);
	device_table_fini(&t);
}

/* A clean keeps every live key reachable: tombstones between keys stay
 * until a free slot follows them. */
static void
test_clean_keeps_chains(void **state)
{
	struct device_table t;
	uint32_t idx[12];
	uint8_t m[6];

	(void)state;
	assert_int_equal(device_table_init(&t, 12, 300), 0);
	for (uint32_t i = 0; i < 12; i++) {
		test_mac_of(i + 1, m);
		idx[i] = device_get(&t, m, 0, 0, 1);
	}
	for (uint32_t i = 0; i < 12; i += 2) {
		device_retire_begin(&t, idx[i]);
		device_retire_end(&t, idx[i]);
	}
	device_table_clean(&t, t.mask + 1);
	for (uint32_t i = 0; i < 12; i++) {
		test_mac_of(i + 1, m);
		assert_int_equal(device_lookup(&t, m, 0),
				 i % 2 ? idx[i] : DEVICE_NONE);
	}
	device_table_fini(&t);
}

/* Workers create the same MACs over and over while the main lcore retires
 * and cleans: no MAC is ever live twice, and each live one is found. */
#define CHURN_MACS 48u
#define CHURN_MAX 64u
static struct device_table churn_t;
static volatile int churn_stop;

static void *
churn_worker(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg;
	uint8_t m[6];

	while (!churn_stop) {
		seed = seed * 1103515245u + 12345u;
		test_mac_of((seed >> 8) % CHURN_MACS + 1, m);
		device_get(&churn_t, m, 0, 0, 1);
	}
	return NULL;
}

static void
test_concurrent_retire(void **state)
{
	pthread_t th[3];
	uint32_t seed = 7, pending[CHURN_MAX], n_pending = 0;

	(void)state;
	assert_int_equal(device_table_init(&churn_t, CHURN_MAX, 300), 0);
	churn_stop = 0;
	for (uintptr_t i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, churn_worker, (void *)(i + 1));
	/* Until enough have gone round, however the threads were scheduled.
	 * The bound is time, not turns: on a loaded machine the threads may
	 * not have run at all by the time an empty table's turns, which cost
	 * nothing, ran out (it only stops a test that cannot get there). */
	const time_t give_up = time(NULL) + 120;

	for (uint32_t n = 0; n < 200000 || churn_t.retired < 2000; n++) {
		uint32_t i;

		if (n % 4096 == 0 && time(NULL) > give_up)
			break;
		seed = seed * 1103515245u + 12345u;
		if (device_count(&churn_t) == 0) {
			sched_yield();
			continue;
		}
		i = (seed >> 8) % device_count(&churn_t);
		/* The threads hold no index: it may go back at once, or
		 * after a few more marks. */
		if (device_retire_begin(&churn_t, i) == 0)
			pending[n_pending++] = i;
		if (n_pending == 8 || (n_pending != 0 && (seed & 1))) {
			while (n_pending)
				device_retire_end(&churn_t,
						  pending[--n_pending]);
		}
		if (n % 64 == 0)
			device_table_clean(&churn_t, 16);
	}
	churn_stop = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	while (n_pending)
		device_retire_end(&churn_t, pending[--n_pending]);
	assert_int_equal(churn_t.full, 0);
	assert_true(churn_t.retired >= 2000);
	/* Each live key once, and found where it is. */
	for (uint32_t i = 0; i < device_count(&churn_t); i++) {
		uint64_t k = device_live(&churn_t, i);

		if (k == 0)
			continue;
		for (uint32_t j = i + 1; j < device_count(&churn_t); j++)
			assert_false(device_live(&churn_t, j) == k);
		assert_int_equal(device_lookup_key(&churn_t, k), i);
	}
	device_table_fini(&churn_t);
}

TEST_MAIN(
	cmocka_unit_test(test_key),
	cmocka_unit_test(test_get_lookup),
	cmocka_unit_test(test_by_key),
	cmocka_unit_test(test_forwarding_ageing),
	cmocka_unit_test(test_capacity),
	cmocka_unit_test(test_addresses),
	cmocka_unit_test(test_concurrent_create),
	cmocka_unit_test(test_retire_reuse),
	cmocka_unit_test(test_retire_churn),
	cmocka_unit_test(test_clean_keeps_chains),
	cmocka_unit_test(test_concurrent_retire))
