/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl_registry.h"
#include "test_main.h"
#include "test_pack.h"

/* Registry entries own unpacked messages, so make real ones. */
static Cordon__Hello *
hello(const char *id, uint32_t workers)
{
	Cordon__Hello h = CORDON__HELLO__INIT;

	h.dataplane_id = (char *)id;
	h.sw_version = "0.1.0";
	h.workers = workers;
	return test_unpacked(&h.base);
}

/* A run: boot, else (older than wire minor 5) its start time. */
static Cordon__Hello *
hello_run(const char *id, uint64_t boot, uint64_t started_ms)
{
	Cordon__Hello h = CORDON__HELLO__INIT;

	h.dataplane_id = (char *)id;
	h.sw_version = "0.1.0";
	h.boot_id = boot;
	h.started_unix_ms = started_ms;
	return test_unpacked(&h.base);
}

static Cordon__StatsReport *
report(const char *id, uint64_t seq)
{
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;

	r.dataplane_id = (char *)id;
	r.seq = seq;
	return test_unpacked(&r.base);
}

static void
test_register_report_disconnect(void **state)
{
	struct ctl_registry reg;
	Cordon__StatsReport *r;
	char err[128];
	struct ctl_dp *dp;

	(void)state;
	ctl_registry_init(&reg);
	assert_int_equal(ctl_registry_hello(&reg, hello("gw-1", 2), 11, 1000,
					    err, sizeof(err)), 0);
	dp = ctl_registry_find(&reg, "gw-1");
	assert_non_null(dp);
	assert_int_equal(dp->registrations, 1);
	assert_int_equal(dp->hello->workers, 2);

	/* Reports only count on the pipe that said hello. */
	r = report("gw-1", 1);
	assert_int_equal(ctl_registry_report(&reg, r, 12, 1001), -ENOENT);
	cordon__stats_report__free_unpacked(r, NULL);
	r = report("nobody", 1);
	assert_int_equal(ctl_registry_report(&reg, r, 11, 1001), -ENOENT);
	cordon__stats_report__free_unpacked(r, NULL);
	assert_int_equal(ctl_registry_report(&reg, report("gw-1", 2), 11,
					     1002), 0);
	assert_int_equal(dp->report->seq, 2);
	assert_int_equal(dp->last_report_unix_ms, 1002);

	/* Disconnect, then the same id comes back on a new pipe. */
	assert_ptr_equal(ctl_registry_pipe_closed(&reg, 11, 500), dp);
	assert_int_equal(dp->disconnected_unix_ms, 500);
	assert_int_equal(dp->pipe_id, 0);
	assert_null(ctl_registry_pipe_closed(&reg, 11, 600));
	r = report("gw-1", 3);
	assert_int_equal(ctl_registry_report(&reg, r, 11, 1003), -ENOENT);
	cordon__stats_report__free_unpacked(r, NULL);
	assert_int_equal(ctl_registry_hello(&reg, hello("gw-1", 4), 13, 2000,
					    err, sizeof(err)), 0);
	dp = ctl_registry_find(&reg, "gw-1");
	assert_int_equal(dp->registrations, 2);
	assert_int_equal(dp->hello->workers, 4);
	assert_null(dp->report);	/* counters restarted */
	assert_int_equal(reg.n, 1);
	ctl_registry_fini(&reg);
}

static void
test_many_dataplanes(void **state)
{
	struct ctl_registry reg;
	char err[128], id[32];

	(void)state;
	ctl_registry_init(&reg);
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "dp-%d", i);
		assert_int_equal(ctl_registry_hello(&reg, hello(id, 1),
						    (uint32_t)i + 1, 1, err,
						    sizeof(err)), 0);
	}
	assert_int_equal(reg.n, 100);
	assert_non_null(ctl_registry_find(&reg, "dp-99"));
	assert_null(ctl_registry_find(&reg, "dp-100"));

	/* Forgotten: those away since before 50, at most 10 at a time; the
	 * others keep their order and their connections. */
	for (int i = 0; i < 100; i += 2)
		ctl_registry_pipe_closed(&reg, (uint32_t)i + 1,
					 (uint64_t)i + 1);
	{
		char ids[10][CTL_DP_ID_MAX + 1];

		assert_int_equal(ctl_registry_forget(&reg, 50, ids, 10), 10);
		assert_string_equal(ids[0], "dp-0");
		assert_string_equal(ids[9], "dp-18");
	}
	assert_int_equal(ctl_registry_forget(&reg, 50, NULL, 100), 15);
	assert_int_equal(ctl_registry_forget(&reg, 50, NULL, 100), 0);
	assert_int_equal(reg.n, 75);
	assert_null(ctl_registry_find(&reg, "dp-48"));
	assert_non_null(ctl_registry_find(&reg, "dp-50"));	/* at 51 */
	assert_int_equal(ctl_registry_find(&reg, "dp-1")->pipe_id, 2);
	assert_int_equal(ctl_registry_by_pipe(&reg, 100),
			 ctl_registry_find(&reg, "dp-99"));
	assert_string_equal(reg.dps[0].hello->dataplane_id, "dp-1");
	assert_string_equal(reg.dps[1].hello->dataplane_id, "dp-3");
	ctl_registry_fini(&reg);
}

/*
 * A fleet: every id found through the index as the list grows past its
 * first sizes, and after forgetting moves entries; ids that differ in one
 * character or are prefixes of others are not confused.
 */
static void
test_fleet_index(void **state)
{
	enum { N = 5000 };
	struct ctl_registry reg;
	char err[128], id[32];

	(void)state;
	ctl_registry_init(&reg);
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "cpe-%d", i);
		assert_int_equal(ctl_registry_hello(&reg, hello(id, 1),
						    (uint32_t)i + 1, 1, err,
						    sizeof(err)), 0);
		assert_true(reg.n <= (reg.index_mask + 1) / 2);
	}
	/* Every third goes away and is forgotten. */
	for (int i = 0; i < N; i += 3)
		ctl_registry_pipe_closed(&reg, (uint32_t)i + 1, 5);
	assert_int_equal(ctl_registry_forget(&reg, 10, NULL, N), (N + 2) / 3);
	for (int i = 0; i < N; i++) {
		const struct ctl_dp *dp;

		snprintf(id, sizeof(id), "cpe-%d", i);
		dp = ctl_registry_find(&reg, id);
		if (i % 3 == 0) {
			assert_null(dp);
			continue;
		}
		assert_non_null(dp);
		assert_string_equal(dp->hello->dataplane_id, id);
		assert_int_equal(dp->pipe_id, (uint32_t)i + 1);
	}
	assert_null(ctl_registry_find(&reg, "cpe-"));
	assert_null(ctl_registry_find(&reg, "cpe-10000"));
	/* One forgotten comes back: a new entry, found, the others too. */
	assert_int_equal(ctl_registry_hello(&reg, hello("cpe-0", 1), 9, 20,
					    err, sizeof(err)), 0);
	assert_int_equal(ctl_registry_find(&reg, "cpe-0")->pipe_id, 9);
	assert_int_equal(ctl_registry_find(&reg, "cpe-4999")->pipe_id, N);
	assert_int_equal(reg.n, N - (N + 2) / 3 + 1);
	ctl_registry_fini(&reg);
}

static void
test_bad_hello(void **state)
{
	static const char *const bad[] = {
		"", "has space", "semi;colon", "new\nline",
		"0123456789012345678901234567890123456789012345678901234567890"
		"1234567890123456789012345678901234567890123456789012345678901"
		"234567890",
	};
	struct ctl_registry reg;
	char err[128];

	(void)state;
	ctl_registry_init(&reg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		Cordon__Hello *h = hello(bad[i], 1);

		assert_int_equal(ctl_registry_hello(&reg, h, 1, 1, err,
						    sizeof(err)), -EINVAL);
		assert_true(strstr(err, "dataplane id") != NULL);
		cordon__hello__free_unpacked(h, NULL);
	}
	Cordon__Hello *h = hello("ok", 5000);
	assert_int_equal(ctl_registry_hello(&reg, h, 1, 1, err, sizeof(err)),
			 -EINVAL);
	cordon__hello__free_unpacked(h, NULL);
	assert_int_equal(reg.n, 0);
	ctl_registry_fini(&reg);
}

/*
 * Another run of an id is held off while the run registered is heard on
 * its open connection; its own connection, the same run reconnecting, a
 * closed connection or a run gone quiet let it in.
 */
static void
test_holder(void **state)
{
	Cordon__Hello *other = hello_run("gw-1", 8, 500);
	Cordon__Hello *same = hello_run("gw-1", 7, 500);
	Cordon__Hello *gw2 = hello_run("gw-2", 8, 500);
	const uint64_t live = 10000;
	struct ctl_registry reg;
	struct ctl_dp *dp;
	char err[128];

	(void)state;
	ctl_registry_init(&reg);
	assert_int_equal(ctl_registry_hello(&reg, hello_run("gw-1", 7, 500),
					    11, 1000, err, sizeof(err)), 0);
	dp = ctl_registry_find(&reg, "gw-1");
	assert_int_equal(dp->heard_unix_ms, 1000);

	assert_ptr_equal(ctl_registry_holder(&reg, other, 12, 1000, live), dp);
	assert_ptr_equal(ctl_registry_holder(&reg, other, 12, 10999, live),
			 dp);
	assert_null(ctl_registry_holder(&reg, other, 12, 11000, live));
	assert_null(ctl_registry_holder(&reg, other, 11, 1000, live));
	assert_null(ctl_registry_holder(&reg, same, 12, 1000, live));
	assert_null(ctl_registry_holder(&reg, gw2, 12, 1000, live));
	/* A report on its connection: heard. A clock stepped back: heard
	 * now. */
	assert_int_equal(ctl_registry_report(&reg, report("gw-1", 1), 11,
					     9000), 0);
	assert_ptr_equal(ctl_registry_holder(&reg, other, 12, 18999, live),
			 dp);
	assert_null(ctl_registry_holder(&reg, other, 12, 19000, live));
	assert_ptr_equal(ctl_registry_holder(&reg, other, 12, 10, live), dp);
	/* Its connection closed. */
	assert_ptr_equal(ctl_registry_pipe_closed(&reg, 11, 9500), dp);
	assert_null(ctl_registry_holder(&reg, other, 12, 9500, live));

	/* Older dataplanes: two runs told apart by their start times only. */
	assert_int_equal(ctl_registry_hello(&reg, hello_run("gw-3", 0, 500),
					    13, 1000, err, sizeof(err)), 0);
	cordon__hello__free_unpacked(other, NULL);
	other = hello_run("gw-3", 0, 501);
	cordon__hello__free_unpacked(same, NULL);
	same = hello_run("gw-3", 0, 500);
	assert_non_null(ctl_registry_holder(&reg, other, 14, 1000, live));
	assert_null(ctl_registry_holder(&reg, same, 14, 1000, live));

	cordon__hello__free_unpacked(gw2, NULL);
	cordon__hello__free_unpacked(same, NULL);
	cordon__hello__free_unpacked(other, NULL);
	ctl_registry_fini(&reg);
}

/*
 * Reports dated when they were made: one that comes at once is dated now
 * and moves the anchor; one that waited in the dataplane's queue is as
 * old as it says, by the hello before it; with no uptime in the hello,
 * every report is dated as it comes.
 */
static void
test_made(void **state)
{
	Cordon__Hello *h = hello_run("gw-1", 7, 500);
	struct ctl_registry reg;
	struct ctl_dp *dp;
	char err[128];

	(void)state;
	ctl_registry_init(&reg);
	assert_int_equal(ctl_registry_hello(&reg, h, 11, 1000000, err,
					    sizeof(err)), 0);
	dp = ctl_registry_find(&reg, "gw-1");
	assert_int_equal(ctl_registry_made_ms(dp, 40000, 1000050), 1000050);

	/* Said hello at uptime 100 s; a report of uptime 40 s comes 50 ms
	 * after: made 60 s before the hello. */
	dp->anchor_uptime_ms = 100000;
	dp->anchor_unix_ms = 1000000;
	assert_int_equal(ctl_registry_made_ms(dp, 40000, 1000050), 940000);
	assert_int_equal(ctl_registry_made_ms(dp, 98000, 1000050), 998000);
	/* Within CTL_REGISTRY_QUEUED_MS: now, and the anchor moves. */
	assert_int_equal(ctl_registry_made_ms(dp, 99000, 1000050), 1000050);
	assert_int_equal(dp->anchor_uptime_ms, 99000);
	assert_int_equal(dp->anchor_unix_ms, 1000050);
	/* A day of live reports: each moves it, so no drift builds up. */
	for (uint64_t t = 1; t <= 86400; t++)
		assert_int_equal(ctl_registry_made_ms(dp, 99000 + t * 1000 +
						      t % 3, 1000050 + t *
						      1000), 1000050 + t * 1000);
	/* Then cordond away an hour: the backlog as old as it is. */
	assert_int_equal(ctl_registry_made_ms(dp, 99000 + 86400000 + 60000,
					      1000050 + 86400000 + 3600000),
			 1000050 + 86400000 + 60000);
	ctl_registry_fini(&reg);
}

TEST_MAIN(
	cmocka_unit_test(test_register_report_disconnect),
	cmocka_unit_test(test_many_dataplanes),
	cmocka_unit_test(test_fleet_index),
	cmocka_unit_test(test_bad_hello),
	cmocka_unit_test(test_holder),
	cmocka_unit_test(test_made))
