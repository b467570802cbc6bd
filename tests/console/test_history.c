/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cons_history.h"
#include "test_mac.h"
#include "test_main.h"

/* One round of reports: a device per MAC number in [first, first + n). */
static void
round_of(struct cons_history *h, uint32_t first, uint32_t n, uint64_t now_ms)
{
	static uint8_t macs[CONS_HIST_DEVICES + 8][6];
	static Cordon__DeviceStats ds[CONS_HIST_DEVICES + 8];
	static Cordon__DeviceStats *dp[CONS_HIST_DEVICES + 8];
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT, *rp = &r;
	Cordon__StatsReply st = CORDON__STATS_REPLY__INIT;

	assert_true(n <= CONS_HIST_DEVICES + 8);
	for (uint32_t i = 0; i < n; i++) {
		cordon__device_stats__init(&ds[i]);
		test_mac_of(first + i, macs[i]);
		ds[i].mac.data = macs[i];
		ds[i].mac.len = 6;
		ds[i].allowed_packets = now_ms;
		dp[i] = &ds[i];
	}
	r.dataplane_id = (char *)"gw0";
	r.n_devices = n;
	r.devices = dp;
	st.n_reports = 1;
	st.reports = &rp;
	cons_history_add(h, &st, now_ms);
}

static size_t
samples(struct cons_history *h, uint32_t mac_no)
{
	uint8_t mac[6];
	json_t *j;
	size_t n;

	test_mac_of(mac_no, mac);
	j = cons_history_json(h, mac);
	n = json_array_size(json_object_get(j, "samples"));
	json_decref(j);
	return n;
}

/* Every slot taken: a new device gets no chart while the others have
 * something to show, and takes the slot of one whose whole window passed
 * since it was last sampled. */
static void
test_slots_taken_over(void **state)
{
	static struct cons_history h;
	const uint64_t window = (uint64_t)CONS_HIST_SAMPLES * 1000;

	(void)state;
	cons_history_init(&h, NULL, 1000);
	round_of(&h, 1, CONS_HIST_DEVICES, 1000);
	/* Device 1 stays; the rest go quiet. */
	round_of(&h, 1, 1, 2000);
	round_of(&h, 100000, 1, 3000);
	assert_int_equal(samples(&h, 100000), 0);
	assert_int_equal(h.devices_untracked, 1);
	assert_int_equal(h.devices_replaced, 0);
	/* A window after the quiet ones' last sample, not yet after
	 * device 1's: the new one takes a quiet one's slot. */
	round_of(&h, 1, 1, 1000 + window + 1);
	round_of(&h, 100000, 1, 1000 + window + 1);
	assert_int_equal(samples(&h, 100000), 1);
	assert_int_equal(h.devices_replaced, 1);
	assert_int_equal(samples(&h, 1), 3);
	assert_int_equal(samples(&h, 2) + samples(&h, 3) +
			 samples(&h, CONS_HIST_DEVICES), 2);
	cons_history_fini(&h);
}

TEST_MAIN(
	cmocka_unit_test(test_slots_taken_over))
