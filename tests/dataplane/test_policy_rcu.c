/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * policy_holder: a reader thread classifies continuously while the main
 * thread publishes freshly built policies, alternating between two, 200
 * times. Run under ASan this shows no reader touches a freed ctx; the test
 * itself checks that flows both policies allow are never denied, that every
 * ctx a reader sees is internally consistent (its version decides the
 * flows only one policy allows) and that epochs never go backwards.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>

#include "test_policy_common.h"
#include "test_eal.h"

#define SWAPS 200
#define N_FLOWS 32

/*
 * Version odd ("A"): device 1 may reach 10.9.0.1:80 (both) and :81 (A only).
 * Version even ("B"): :80 (both) and :82 (B only). Padding rules make the
 * ctx big enough for a stale read to land in freed memory.
 */
static struct tp *
make_policy(uint64_t version)
{
	struct tp *t = tp_new(4, 4, 300);
	Cordon__Rule *r;
	uint32_t i;

	t->pol.version = version;
	tp_seg(t, 1, 0, 1);
	tp_seg(t, 2, 0, 0);
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 2;
	tp_dev(t, "02:00:00:00:00:01", 0, 1);
	r = tp_rule(t, 1, 10, ep_dev(t, "02:00:00:00:00:01"),
		ep_cidr(t, "10.9.0.1/32"), 6, 1, 0);
	tp_ports(t, r, 80, 80);
	r = tp_rule(t, 2, 10, ep_dev(t, "02:00:00:00:00:01"),
		ep_cidr(t, "10.9.0.1/32"), 6, 1, 0);
	tp_ports(t, r, version & 1 ? 81 : 82, version & 1 ? 81 : 82);
	for (i = 0; i < 250; i++) {
		char c[32];

		snprintf(c, sizeof(c), "10.%u.%u.0/24", 100 + i % 50, i);
		r = tp_rule(t, 100 + i, 20, ep_seg(t, 1), ep_cidr(t, c), 17,
			1, 2);
		tp_ports(t, r, 1000 + i, 1000 + i);
	}
	return t;
}

struct reader {
	struct policy_holder *h;
	bool stop;		/* __atomic */
	uint64_t bursts, null_ctx, flips, inconsistent, epoch_back, swaps_seen;
};

static void *
reader_main(void *arg)
{
	struct reader *rd = arg;
	struct policy_query q[N_FLOWS];
	const struct policy_query *qp[N_FLOWS];
	struct policy_result res[N_FLOWS];
	uint32_t i, last_epoch = 0;

	for (i = 0; i < N_FLOWS; i++) {
		tq_set(&q[i], "02:00:00:00:00:01", "02:00:00:00:00:fe", 0,
			"10.1.1.1", "10.9.0.1", 6, (uint16_t)(80 + i % 3));
		qp[i] = &q[i];
	}
	if (policy_holder_reader_online(rd->h, 0) != 0)
		return NULL;
	while (!__atomic_load_n(&rd->stop, __ATOMIC_RELAXED)) {
		const struct policy_ctx *ctx = policy_holder_get(rd->h);

		if (ctx == NULL) {
			rd->null_ctx++;
		} else {
			bool a = policy_version(ctx) & 1;
			uint32_t ep = policy_epoch(ctx);

			policy_classify_burst(ctx, qp, N_FLOWS, res);
			for (i = 0; i < N_FLOWS; i++) {
				uint16_t port = q[i].dst_port;
				uint8_t want = port == 80 ||
					(port == 81 && a) || (port == 82 && !a);

				if (port == 80 && res[i].action != POLICY_ALLOW)
					rd->flips++;
				else if (res[i].action != want)
					rd->inconsistent++;
			}
			/* Read again after use: a freed ctx shows up here. */
			if (policy_epoch(ctx) != ep)
				rd->inconsistent++;
			if (ep < last_epoch)
				rd->epoch_back++;
			if (ep != last_epoch)
				rd->swaps_seen++;
			last_epoch = ep;
		}
		__atomic_fetch_add(&rd->bursts, 1, __ATOMIC_RELAXED);
		policy_holder_quiescent(rd->h, 0);
	}
	policy_holder_reader_offline(rd->h, 0);
	return NULL;
}

static void
test_swap(void **state)
{
	struct tp *pa = make_policy(1), *pb = make_policy(2);
	struct reader rd;
	pthread_t th;
	uint32_t i, last = 0;

	(void)state;
	memset(&rd, 0, sizeof(rd));
	rd.h = policy_holder_create(1);
	assert_non_null(rd.h);
	assert_null(policy_holder_get(rd.h));
	assert_int_equal(pthread_create(&th, NULL, reader_main, &rd), 0);
	/* Swap only once the reader runs: one that a busy machine starts
	 * late would see the last policy alone. */
	while (__atomic_load_n(&rd.bursts, __ATOMIC_RELAXED) == 0)
		usleep(100);
	for (i = 0; i < SWAPS; i++) {
		struct tp *t = i & 1 ? pb : pa;
		struct policy_ctx *ctx = NULL;
		char err[256] = "";

		assert_int_equal(policy_build(&t->pol, NULL, &ctx, err,
			sizeof(err)), 0);
		assert_true(policy_epoch(ctx) > last);
		last = policy_epoch(ctx);
		/* Returns once the previous ctx is freed. */
		policy_holder_publish(rd.h, ctx);
		assert_ptr_equal(policy_holder_get(rd.h), ctx);
		usleep(200);
	}
	__atomic_store_n(&rd.stop, true, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* Unload: NULL is published, nothing left to free but the holder. */
	policy_holder_publish(rd.h, NULL);
	assert_null(policy_holder_get(rd.h));
	policy_holder_destroy(rd.h);

	printf("rcu: %u swaps, reader %" PRIu64 " bursts, saw %" PRIu64
		" epochs; flips %" PRIu64 ", inconsistent %" PRIu64
		", epoch went back %" PRIu64 "\n", SWAPS, rd.bursts,
		rd.swaps_seen, rd.flips, rd.inconsistent, rd.epoch_back);
	assert_true(rd.bursts > 0);
	assert_true(rd.swaps_seen > 1);
	assert_int_equal(rd.flips, 0);
	assert_int_equal(rd.inconsistent, 0);
	assert_int_equal(rd.epoch_back, 0);
	tp_free(pa);
	tp_free(pb);
}

/* The holder alone: reader ids are bounded, destroy frees the ctx. */
static void
test_holder_api(void **state)
{
	struct policy_holder *h = policy_holder_create(2);
	struct tp *t = make_policy(3);
	struct policy_ctx *ctx = NULL;
	char err[256];

	(void)state;
	assert_non_null(h);
	assert_int_equal(policy_holder_reader_online(h, 2), -EINVAL);
	assert_int_equal(policy_holder_reader_online(h, 1), 0);
	policy_holder_quiescent(h, 1);
	policy_holder_reader_offline(h, 1);
	assert_int_equal(policy_build(&t->pol, NULL, &ctx, err, sizeof(err)),
		0);
	policy_holder_publish(h, ctx);
	assert_int_equal(policy_version(policy_holder_get(h)), 3);
	policy_holder_destroy(h);	/* frees ctx: ASan/LSan would tell */
	tp_free(t);
}

TEST_EAL_MAIN("tpolrcu",
	cmocka_unit_test(test_holder_api),
	cmocka_unit_test(test_swap))
