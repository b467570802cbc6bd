/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Retiring devices (dataplane/dev_retire.c) on a real device table and
 * flow table, the clock given: a device unheard for the idle time is
 * marked and unlisted, freed once the worker has swept its table twice,
 * and nothing it counted is lost on the way: its counts move to the
 * retired_* sums at the mark, and what its flows still add between the
 * mark and the free (a worker that had not swept past them yet) at the
 * free.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dev_retire.h"
#include "device.h"
#include "dp.h"
#include "dp_report.h"
#include "flow_table.h"
#include "inventory.h"
#include "test_mac.h"
#include "test_main.h"

#define TR_DEVICES 64u
#define TR_IDLE_S 3u
#define S 1000000ull		/* us */

/* inventory.c is not linked: with no inventory (dp->inv NULL) the real
 * one does nothing either. */
void
inventory_forget(struct dp *dp, uint32_t dev)
{
	(void)dp;
	(void)dev;
}

struct tr {
	struct dp dp;
	struct dp_worker wk;
};

static int
tr_setup(void **state)
{
	struct flow_table_params p = { .capacity = 64 };
	struct tr *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	assert_int_equal(device_table_init(&t->dp.hot.devices, TR_DEVICES,
					   300), 0);
	t->wk.devc = calloc(TR_DEVICES, sizeof(*t->wk.devc));
	assert_non_null(t->wk.devc);
	t->wk.ft = flow_table_create(&p);
	assert_non_null(t->wk.ft);
	t->dp.hot.n_workers = 1;
	t->dp.hot.workers[0] = &t->wk;
	assert_int_equal(dev_retire_init(&t->dp, TR_IDLE_S), 0);
	*state = t;
	return 0;
}

static int
tr_teardown(void **state)
{
	struct tr *t = *state;

	dev_retire_fini(&t->dp);
	flow_table_free(t->wk.ft);
	free(t->wk.devc);
	device_table_fini(&t->dp.hot.devices);
	free(t);
	return 0;
}

/* The named counter from dev_retire_report_extras(). */
static uint64_t
tr_extra(const struct dp *dp, const char *name)
{
	struct dp_report_extra e[DEV_RETIRE_EXTRAS];
	size_t n = dev_retire_report_extras(dp, e, DEV_RETIRE_EXTRAS);

	assert_int_equal(n, DEV_RETIRE_EXTRAS);
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return e[i].value;
	fail_msg("no counter %s", name);
	return 0;
}

/* What the worker does for a packet that device idx sent, allowed. */
static void
tr_sent(struct tr *t, uint32_t idx, uint64_t pkts, uint64_t bytes)
{
	t->wk.devc[idx].allowed_pkts += pkts;
	t->wk.devc[idx].allowed_bytes += bytes;
}

/* One round of the worker's sweep over its (empty) table. */
static void
tr_sweep_round(struct tr *t, uint32_t now_s)
{
	uint32_t n = flow_table_sweeps(t->wk.ft);

	for (int i = 0; i < 1000 && flow_table_sweeps(t->wk.ft) == n; i++)
		flow_table_sweep(t->wk.ft, now_s * 1000, 64);
	assert_int_not_equal(flow_table_sweeps(t->wk.ft), n);
}

static void
test_counts_kept(void **state)
{
	struct tr *t = *state;
	struct device_table *d = &t->dp.hot.devices;
	uint8_t a[6], b[6];
	uint32_t ia, ib;

	test_mac_of(1, a);
	test_mac_of(2, b);
	ia = device_get(d, a, 0, 0, 1);
	ib = device_get(d, b, 0, 0, 1);
	assert_int_not_equal(ia, DEVICE_NONE);
	assert_int_not_equal(ib, DEVICE_NONE);
	tr_sent(t, ia, 10, 1000);
	tr_sent(t, ib, 5, 500);
	t->wk.devc[ia].denied_pkts = 2;
	t->wk.devc[ia].rx_pkts = 7;
	t->wk.devc[ia].flows = 3;

	/* The first scan hears both; b keeps talking. */
	assert_int_equal(dev_retire_poll(&t->dp, 1 * S), 1);
	assert_int_equal(tr_extra(&t->dp, "retired_allowed_packets"), 0);
	for (uint32_t s = 2; s <= 6; s++) {
		tr_sent(t, ib, 1, 100);
		dev_retire_poll(&t->dp, s * S);
	}
	/* a, unheard since 1 s, is marked at 5 s: unlisted, its counts in
	 * the retired's sums at once; b is listed. */
	assert_int_equal(device_live(d, ia), 0);
	assert_true(device_retiring(d, ia));
	assert_int_not_equal(device_live(d, ib), 0);
	assert_int_equal(tr_extra(&t->dp, "retired_allowed_packets"), 10);
	assert_int_equal(tr_extra(&t->dp, "retired_allowed_bytes"), 1000);
	assert_int_equal(tr_extra(&t->dp, "retired_denied_packets"), 2);
	assert_int_equal(tr_extra(&t->dp, "retired_received_packets"), 7);
	assert_int_equal(tr_extra(&t->dp, "retired_flows"), 3);
	assert_int_equal(tr_extra(&t->dp, "devices_retired"), 0);

	/* A flow the sweep has not reached yet still names a: the worker
	 * counts on it. Not freed before two rounds of the sweep. */
	tr_sent(t, ia, 4, 400);
	assert_int_equal(dev_retire_poll(&t->dp, 20 * S), 0);
	assert_true(device_retiring(d, ia));
	tr_sweep_round(t, 20);
	tr_sweep_round(t, 21);
	assert_int_equal(dev_retire_poll(&t->dp, 22 * S), 1);

	/* Freed: the index is clear, the counts it took after the mark are
	 * in the sums too, and b is untouched. */
	assert_false(device_retiring(d, ia));
	assert_int_equal(tr_extra(&t->dp, "devices_retired"), 1);
	assert_int_equal(t->wk.devc[ia].allowed_pkts, 0);
	assert_int_equal(tr_extra(&t->dp, "retired_allowed_packets"), 14);
	assert_int_equal(tr_extra(&t->dp, "retired_allowed_bytes"), 1400);
	assert_int_equal(tr_extra(&t->dp, "retired_denied_packets"), 2);
	assert_int_equal(tr_extra(&t->dp, "retired_received_packets"), 7);
	assert_int_equal(tr_extra(&t->dp, "retired_flows"), 3);
	assert_int_equal(t->wk.devc[ib].allowed_pkts, 10);

	/* a comes back: learned afresh, from zero, and the sums stay. */
	ia = device_get(d, a, 0, 0, 23);
	assert_int_not_equal(ia, DEVICE_NONE);
	assert_int_equal(t->wk.devc[ia].allowed_pkts, 0);
	assert_int_equal(tr_extra(&t->dp, "retired_allowed_packets"), 14);
}

/* Without --device-retire the sums are there, at zero. */
static void
test_off(void **state)
{
	struct dp dp;

	(void)state;
	memset(&dp, 0, sizeof(dp));
	assert_int_equal(device_table_init(&dp.hot.devices, 8, 300), 0);
	assert_int_equal(dev_retire_init(&dp, 0), 0);
	assert_null(dp.retire);
	assert_int_equal(dev_retire_poll(&dp, 100 * S), 0);
	assert_int_equal(tr_extra(&dp, "retired_allowed_packets"), 0);
	assert_int_equal(tr_extra(&dp, "devices_retired"), 0);
	device_table_fini(&dp.hot.devices);
}

TEST_MAIN(cmocka_unit_test_setup_teardown(test_counts_kept, tr_setup,
					  tr_teardown),
	  cmocka_unit_test(test_off))
