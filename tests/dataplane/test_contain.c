/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Containment by the dataplane itself (dataplane/contain.c) through the
 * real policy path (dp_policy.c, the classifier): a device contained is in
 * the quarantine segment at once, with new flows and the re-check of old
 * ones (a new epoch); a policy from cordond that quarantines it takes
 * over; one without it releases it; STATE/contained keeps it over a
 * restart; without a policy nothing can be contained.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_cycles.h>

#include "contain.h"
#include "dp.h"
#include "dp_policy.h"
#include "test_eal.h"
#include "test_policy_common.h"

#define ATT "02:00:00:00:ee:66"
#define VIC "02:00:00:00:ee:10"

struct tc {
	struct dp dp;
	char dir[64];
	int released;
	uint8_t released_mac[6];
};

static struct tc *tc_cur;

static void
tc_on_release(struct dp *dp, const uint8_t mac[6], uint16_t vlan)
{
	(void)dp;
	(void)vlan;
	tc_cur->released++;
	memcpy(tc_cur->released_mac, mac, 6);
}

static void
tc_open(struct tc *t, const char *state_dir)
{
	struct dp *dp = &t->dp;

	memset(dp, 0, sizeof(*dp));
	t->released = 0;
	memset(t->released_mac, 0, sizeof(t->released_mac));
	dp->hot.start_tsc = rte_get_tsc_cycles();
	dp->hot.us_mult = (uint64_t)(((unsigned __int128)1000000 << 32) /
				     rte_get_tsc_hz());
	pthread_mutex_init(&dp->policy_ctl.info_lock, NULL);
	dp->hot.policy = policy_holder_create(1);
	assert_non_null(dp->hot.policy);
	assert_int_equal(device_table_init(&dp->hot.devices, 64, 300), 0);
	assert_int_equal(contain_init(dp, state_dir), 0);
	tc_cur = t;
	contain_on_release(dp, tc_on_release);
}

static void
tc_close(struct tc *t)
{
	struct dp *dp = &t->dp;

	policy_holder_destroy(dp->hot.policy);
	contain_fini(dp);
	if (dp->policy_ctl.in_force != NULL)
		cordon__policy__free_unpacked(dp->policy_ctl.in_force, NULL);
	free(dp->policy_ctl.local_nets);
	free(dp->policy_ctl.segments);
	device_table_fini(&dp->hot.devices);
	pthread_mutex_destroy(&dp->policy_ctl.info_lock);
}

/* Version v of a two-segment policy, with ATT quarantined or not, as
 * cordond would send it (packed, then unpacked: dp_policy_apply owns it). */
static Cordon__Policy *
tc_policy(uint64_t version, bool att_quarantined)
{
	struct tp *t = tp_new(4, 4, 4);
	Cordon__Policy *out;
	uint8_t *buf;
	size_t len;

	t->pol.version = version;
	tp_seg(t, 1, CORDON__ACTION__ACTION_ALLOW, CORDON__ACTION__ACTION_ALLOW);
	tp_seg(t, 99, CORDON__ACTION__ACTION_DENY, CORDON__ACTION__ACTION_DENY);
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 99;
	tp_local(t, "10.77.3.0/24");
	tp_dev(t, VIC, 0, 1);
	if (att_quarantined)
		tp_quar(t, ATT);
	len = cordon__policy__get_packed_size(&t->pol);
	buf = malloc(len);
	assert_non_null(buf);
	cordon__policy__pack(&t->pol, buf);
	out = cordon__policy__unpack(NULL, len, buf);
	assert_non_null(out);
	free(buf);
	tp_free(t);
	return out;
}

static void
tc_apply(struct tc *t, uint64_t version, bool att_quarantined)
{
	char err[256];

	assert_int_equal(dp_policy_apply(&t->dp, tc_policy(version,
		att_quarantined), NULL, 0, err, sizeof(err)), 0);
}

/* The verdict of a new flow from ATT to VIC, with its quarantine bits. */
static struct policy_result
tc_classify(struct tc *t, const char *from, const char *to)
{
	const struct policy_ctx *pol = policy_holder_get(t->dp.hot.policy);
	struct policy_query q;
	const struct policy_query *qp = &q;
	struct policy_result r;

	tq_set(&q, from, to, 0, "10.77.3.66", "10.77.3.10", 6, 22);
	policy_classify_burst(pol, &qp, 1, &r);
	return r;
}

static bool
tc_quarantined(struct tc *t, const char *mac)
{
	uint8_t m[6];

	tp_parse_mac(mac, m);
	return policy_l2_quarantined(policy_holder_get(t->dp.hot.policy), m,
				     0);
}

static enum contain_state
tc_state(struct tc *t, const char *mac)
{
	struct contain_view v;
	uint8_t m[6];

	tp_parse_mac(mac, m);
	if (contain_get(&t->dp, m, 0, &v) < 0)
		return (enum contain_state)-1;
	return (enum contain_state)v.rec.state;
}

static int
tc_contain(struct tc *t, const char *mac)
{
	uint8_t m[6];

	tp_parse_mac(mac, m);
	return contain_device(&t->dp, m, 0, 1, 7, 100, 200);
}

static void
test_no_policy(void **state)
{
	struct tc t;

	(void)state;
	tc_open(&t, "");
	assert_int_equal(tc_contain(&t, ATT), -ENOENT);
	assert_int_equal(contain_commit(&t.dp), 0);
	assert_int_equal(contain_count(&t.dp), 0);
	tc_close(&t);
}

static void
test_contain_and_release(void **state)
{
	struct tc t;
	struct policy_result r;
	struct contain_view v;
	uint32_t epoch;
	uint8_t att[6];

	(void)state;
	tc_open(&t, "");
	tp_parse_mac(ATT, att);
	tc_apply(&t, 1, false);
	r = tc_classify(&t, ATT, VIC);
	assert_int_equal(r.action, POLICY_ALLOW);
	assert_int_equal(r.quarantine, 0);
	epoch = policy_epoch(policy_holder_get(t.dp.hot.policy));

	/* A stale first-drop stamp of an earlier episode goes. */
	uint32_t idx = device_get(&t.dp.hot.devices, att, 0, 0, 1);

	assert_int_not_equal(idx, DEVICE_NONE);
	device_quar_drop(&t.dp.hot.devices, idx, 12345);
	assert_int_equal(tc_contain(&t, ATT), 1);
	assert_int_equal(tc_contain(&t, ATT), 1);	/* marked once */
	assert_int_equal(tc_state(&t, ATT), CONTAIN_PENDING);
	assert_int_equal(contain_commit(&t.dp), 0);
	assert_int_equal(device_at(&t.dp.hot.devices, idx)->quar_drop_us, 0);

	/* In quarantine now: new flows, and old ones at their next packet
	 * (the epoch moved), the version is still cordond's. */
	assert_true(tc_quarantined(&t, ATT));
	assert_false(tc_quarantined(&t, VIC));
	assert_int_not_equal(policy_epoch(policy_holder_get(t.dp.hot.policy)),
			     epoch);
	assert_int_equal(t.dp.policy_ctl.version, 1);
	r = tc_classify(&t, ATT, VIC);
	assert_int_equal(r.action, POLICY_DENY);
	assert_int_equal(r.quarantine, POLICY_QUAR_SRC);
	r = tc_classify(&t, VIC, ATT);
	assert_int_equal(r.action, POLICY_DENY);
	assert_int_equal(r.quarantine, POLICY_QUAR_DST);
	assert_int_equal(tc_state(&t, ATT), CONTAIN_LOCAL);
	assert_int_equal(contain_get(&t.dp, att, 0, &v), 0);
	assert_int_equal(v.rec.first_us, 100);
	assert_int_equal(v.rec.detected_us, 200);
	assert_true(v.rec.contained_us > 0);
	assert_int_equal(v.rec.alert_seq, 7);
	assert_int_equal(contain_count(&t.dp), 1);
	/* Contained already: nothing to do. */
	assert_int_equal(tc_contain(&t, ATT), 0);

	/* cordond's next version, without the device (it has not heard of
	 * the alert yet): the dataplane keeps it in. */
	tc_apply(&t, 2, false);
	assert_true(tc_quarantined(&t, ATT));
	assert_int_equal(tc_state(&t, ATT), CONTAIN_LOCAL);

	/* The version that holds it: cordond's now. */
	tc_apply(&t, 3, true);
	assert_true(tc_quarantined(&t, ATT));
	assert_int_equal(tc_state(&t, ATT), CONTAIN_HELD);
	assert_int_equal(t.released, 0);

	/* The operator's release: a version without it. */
	tc_apply(&t, 4, false);
	assert_false(tc_quarantined(&t, ATT));
	assert_int_equal(tc_state(&t, ATT), CONTAIN_RELEASED);
	assert_int_equal(t.released, 1);
	assert_memory_equal(t.released_mac, att, 6);
	r = tc_classify(&t, ATT, VIC);
	assert_int_equal(r.action, POLICY_ALLOW);

	/* Offending again: contained again, at once. */
	assert_int_equal(tc_contain(&t, ATT), 1);
	assert_int_equal(contain_commit(&t.dp), 0);
	assert_true(tc_quarantined(&t, ATT));
	assert_int_equal(contain_get(&t.dp, att, 0, &v), 0);
	assert_int_equal(v.rec.times, 2);
	assert_int_equal(contain_count(&t.dp), 2);
	tc_close(&t);
}

static void
test_state_file(void **state)
{
	char dir[] = "/tmp/cordon-test-contain-XXXXXX", path[128];
	struct tc t;
	FILE *f;
	char line[256];
	int lines = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/contained", dir);
	tc_open(&t, dir);
	tc_apply(&t, 1, false);
	assert_int_equal(tc_contain(&t, ATT), 1);
	assert_int_equal(contain_commit(&t.dp), 0);
	tc_close(&t);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (line[0] != '#') {
			lines++;
			assert_int_equal(strncmp(line, ATT " 0 scan_vertical ",
				strlen(ATT " 0 scan_vertical ")), 0);
		}
	fclose(f);
	assert_int_equal(lines, 1);

	/* A restart without cordond: in quarantine from the first policy. */
	tc_open(&t, dir);
	assert_int_equal(tc_state(&t, ATT), CONTAIN_PENDING);
	tc_apply(&t, 1, false);
	assert_true(tc_quarantined(&t, ATT));
	assert_int_equal(tc_state(&t, ATT), CONTAIN_LOCAL);
	/* cordond's version holds it: the file lets it go. */
	tc_apply(&t, 2, true);
	assert_int_equal(tc_state(&t, ATT), CONTAIN_HELD);
	tc_close(&t);
	lines = 0;
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		lines += line[0] != '#';
	fclose(f);
	assert_int_equal(lines, 0);

	/* A bad line is said and skipped, never taken. */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "not a mac\n" VIC " 9999 x 1\n");
	fclose(f);
	tc_open(&t, dir);
	tc_apply(&t, 1, false);
	assert_false(tc_quarantined(&t, VIC));
	tc_close(&t);
	unlink(path);
	rmdir(dir);
}

TEST_EAL_MAIN("tcontain",
	cmocka_unit_test(test_no_policy),
	cmocka_unit_test(test_contain_and_release),
	cmocka_unit_test(test_state_file))
