/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * flow_dump: a "worker" thread owns a real flow table and serves the
 * mailbox from its loop while the test, as the requester, collects.
 */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "device.h"
#include "flow_dump.h"
#include "flow_table.h"
#include "test_main.h"

#define NW 2
#define FLOWS_PER_WORKER 300

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0x0c };

struct wk {
	struct flow_dump *fd;
	struct flow_table *ft;
	uint16_t idx;
	bool stop;
	bool serve;		/* false: a worker that never looks */
	uint32_t now_ms;
};

static struct device_table devs;
static struct wk wks[NW];
static pthread_t thr[NW];
static uint32_t dev_a, dev_b, dev_c;

static void *
worker_loop(void *arg)
{
	struct wk *w = arg;

	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED)) {
		if (__atomic_load_n(&w->serve, __ATOMIC_RELAXED))
			flow_dump_poll(w->fd, w->idx, w->ft, w->now_ms);
		usleep(50);
	}
	return NULL;
}

/*
 * Worker w holds FLOWS_PER_WORKER UDP flows 10.0.w.x:1000+i -> 10.9.0.1:53;
 * initiator device a (even i) or c (odd i), responder b; flow i has i+1
 * packets out and 1 in; verdict allow by rule 7 for even i, deny by the
 * default for odd i.
 */
static void
fill(struct wk *w)
{
	for (uint32_t i = 0; i < FLOWS_PER_WORKER; i++) {
		struct flow_key k = { 0 };
		struct flow_entry *e;
		uint32_t h;

		k.addr[0][10] = 0xff;
		k.addr[0][11] = 0xff;
		k.addr[0][12] = 10;
		k.addr[0][14] = (uint8_t)w->idx;
		k.addr[0][15] = (uint8_t)i;
		k.addr[0][13] = (uint8_t)(i >> 8);
		k.addr[1][10] = 0xff;
		k.addr[1][11] = 0xff;
		k.addr[1][12] = 10;
		k.addr[1][13] = 9;
		k.addr[1][15] = 1;
		k.port[0] = (uint16_t)(1000 + i);
		k.port[1] = 53;
		k.proto = 17;
		k.family = 4;
		h = flow_hash_sym(&k);
		e = flow_insert(w->ft, &k, h, 0, 0, 1000);
		assert_non_null(e);
		e->dev[FLOW_DIR_ORIG] = (i % 2) ? dev_c : dev_a;
		e->dev[FLOW_DIR_REPLY] = dev_b;
		flow_cold(e)->user32 = (i % 2) ? 0 : 7;
		flow_set_verdict(e, (i % 2) ? FLOW_DUMP_VERDICT_DEFAULT :
				 FLOW_DUMP_VERDICT_ALLOW, 3);
		for (uint32_t p = 0; p <= i; p++)
			flow_update(e, 0, 100, 0);
		flow_update(e, 1, 60, 0);
	}
}

static int
setup(void **state)
{
	struct flow_table_params p = { .capacity = 10000 };	/* > 2 slices */
	struct flow_dump *fd;

	(void)state;
	if (device_table_init(&devs, 64, 300) < 0)
		return -1;
	dev_a = device_get(&devs, mac_a, 0, 0, 1);
	dev_b = device_get(&devs, mac_b, 0, 1, 1);
	dev_c = device_get(&devs, mac_c, 5, 0, 1);	/* VLAN 5 */
	fd = flow_dump_create(NW, &devs);
	if (fd == NULL)
		return -1;
	for (uint16_t w = 0; w < NW; w++) {
		wks[w].fd = fd;
		wks[w].idx = w;
		wks[w].serve = true;
		wks[w].now_ms = 4000;
		wks[w].ft = flow_table_create(&p);
		if (wks[w].ft == NULL)
			return -1;
		fill(&wks[w]);
		pthread_create(&thr[w], NULL, worker_loop, &wks[w]);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int w = 0; w < NW; w++) {
		__atomic_store_n(&wks[w].stop, true, __ATOMIC_RELAXED);
		pthread_join(thr[w], NULL);
		flow_table_free(wks[w].ft);
	}
	flow_dump_free(wks[0].fd);
	device_table_fini(&devs);
	return 0;
}

static void
test_all(void **state)
{
	struct flow_dump_result r;
	unsigned int seen[NW][FLOWS_PER_WORKER] = { { 0 } };

	(void)state;
	assert_int_equal(flow_dump_collect(wks[0].fd, NULL, 10000, 20000, &r),
			 0);
	assert_int_equal(r.n, NW * FLOWS_PER_WORKER);
	assert_int_equal(r.matched, NW * FLOWS_PER_WORKER);
	for (size_t j = 0; j < r.n; j++) {
		const struct flow_dump_rec *x = &r.recs[j];
		uint32_t i = x->key.port[0] - 1000u;

		assert_true(x->worker < NW);
		assert_true(i < FLOWS_PER_WORKER);
		assert_int_equal(x->key.addr[0][14], x->worker);
		seen[x->worker][i]++;
		assert_int_equal(x->pkts[FLOW_DIR_ORIG], i + 1);
		assert_int_equal(x->bytes[FLOW_DIR_ORIG], 100 * (i + 1));
		assert_int_equal(x->pkts[FLOW_DIR_REPLY], 1);
		assert_int_equal(x->bytes[FLOW_DIR_REPLY], 60);
		assert_int_equal(x->state, FLOW_S_UDP);
		assert_string_equal(flow_dump_state_name(x->state), "replied");
		assert_int_equal(x->rule_id, (i % 2) ? 0 : 7);
		assert_int_equal(x->verdict, (i % 2) ?
				 FLOW_DUMP_VERDICT_DEFAULT :
				 FLOW_DUMP_VERDICT_ALLOW);
		assert_int_equal(x->epoch, 3);
		assert_int_equal(x->dev[FLOW_DIR_ORIG], (i % 2) ? dev_c : dev_a);
		assert_int_equal(x->dev[FLOW_DIR_REPLY], dev_b);
		assert_int_equal(x->age_ms, 3000);
		assert_int_equal(x->idle_ms, 3000);
		assert_int_equal(x->init_side, 0);
	}
	for (int w = 0; w < NW; w++)
		for (int i = 0; i < FLOWS_PER_WORKER; i++)
			assert_int_equal(seen[w][i], 1);
	free(r.recs);
}

static void
test_device_filter(void **state)
{
	struct flow_dump_result r;
	static const uint8_t nobody[6] = { 0x02, 0, 0, 0, 0, 0x99 };

	(void)state;
	/* c initiates the odd flows; its VLAN does not matter. */
	assert_int_equal(flow_dump_collect(wks[0].fd, mac_c, 10000, 20000, &r),
			 0);
	assert_int_equal(r.n, NW * FLOWS_PER_WORKER / 2);
	for (size_t j = 0; j < r.n; j++) {
		assert_int_equal(r.recs[j].dev[FLOW_DIR_ORIG], dev_c);
		assert_int_equal(r.recs[j].key.port[0] % 2, 1);
	}
	free(r.recs);
	/* b answers every flow. */
	assert_int_equal(flow_dump_collect(wks[0].fd, mac_b, 10000, 20000, &r),
			 0);
	assert_int_equal(r.n, NW * FLOWS_PER_WORKER);
	free(r.recs);
	assert_int_equal(flow_dump_collect(wks[0].fd, nobody, 10000, 2000,
					   &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.matched, 0);
	free(r.recs);
}

static void
test_limit(void **state)
{
	struct flow_dump_result r;

	(void)state;
	/* The first worker fills it; every worker still counts. */
	assert_int_equal(flow_dump_collect(wks[0].fd, NULL, 10, 20000, &r), 0);
	assert_int_equal(r.n, 10);
	assert_int_equal(r.matched, NW * FLOWS_PER_WORKER);
	free(r.recs);
	assert_int_equal(flow_dump_collect(wks[0].fd, mac_a, 450, 20000, &r),
			 0);
	assert_int_equal(r.n, 300);
	assert_int_equal(r.matched, 300);
	free(r.recs);
	assert_int_equal(flow_dump_collect(wks[0].fd, NULL, 0, 20000, &r),
			 -EINVAL);
	assert_int_equal(flow_dump_collect(NULL, NULL, 10, 20000, &r), -EINVAL);
}

static void
test_timeout_then_recovers(void **state)
{
	struct flow_dump_result r;

	(void)state;
	__atomic_store_n(&wks[1].serve, false, __ATOMIC_RELAXED);
	assert_int_equal(flow_dump_collect(wks[0].fd, NULL, 1000, 100, &r),
			 -ETIMEDOUT);
	assert_null(r.recs);
	assert_int_equal(r.n, 0);
	/* Taken back: a worker that looks now finds nothing posted. */
	assert_int_equal(__atomic_load_n(&wks[0].fd->mbox[1].state,
					 __ATOMIC_RELAXED), FLOW_DUMP_IDLE);
	__atomic_store_n(&wks[1].serve, true, __ATOMIC_RELAXED);
	assert_int_equal(flow_dump_collect(wks[0].fd, NULL, 1000, 20000, &r),
			 0);
	assert_int_equal(r.n, NW * FLOWS_PER_WORKER);
	free(r.recs);
}

static void
test_idle_cost(void **state)
{
	struct flow_table_params p = { .capacity = 16 };
	struct flow_table *ft = flow_table_create(&p);
	struct flow_dump *fd = flow_dump_create(1, NULL);

	(void)state;
	assert_non_null(ft);
	assert_non_null(fd);
	/* Nothing posted: poll does nothing; NULL dump is allowed. */
	flow_dump_poll(fd, 0, ft, 1);
	flow_dump_poll(NULL, 0, ft, 1);
	assert_int_equal(fd->mbox[0].state, FLOW_DUMP_IDLE);
	assert_int_equal(fd->mbox[0].n, 0);
	assert_string_equal(flow_dump_state_name(200), "unknown");
	assert_string_equal(flow_dump_state_name(FLOW_S_TCP_EST),
			    "established");
	flow_dump_free(fd);
	flow_table_free(ft);
}

TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_all),
	cmocka_unit_test(test_device_filter),
	cmocka_unit_test(test_limit),
	cmocka_unit_test(test_timeout_then_recovers),
	cmocka_unit_test(test_idle_cost))
