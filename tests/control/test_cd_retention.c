/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_retention.c: the store's tables age out on cordond's wake, each after
 * its own retention, counted; nothing goes with a retention of 0; a device
 * held by a quarantine stays, and one forgotten leaves the next compiled
 * version.
 */

#include <time.h>
#include <unistd.h>

#include "cd_harness.h"
#include "test_main.h"

static const struct cd_feature *const fs[] = {
	&cd_dataplane_feature, &cd_reports_feature, &cd_policy_feature,
	&cd_retention_feature,
};

/* Rows of a table, through the store's own reads: a callback per type
 * that counts. */
#define COUNT_CB(name, type)						\
	static int							\
	name(const type *row, void *arg)				\
	{								\
		(void)row;						\
		++*(uint64_t *)arg;					\
		return 0;						\
	}

COUNT_CB(count_dev, struct ctl_store_device)
COUNT_CB(count_env, struct ctl_store_envelope)
COUNT_CB(count_alert, struct ctl_store_alert)
COUNT_CB(count_event, struct ctl_store_event)

static uint64_t
rows(struct h *h, const char *table)
{
	struct ctl_store *st = h->d.state.st;
	struct ctl_store_report_counts c;
	uint64_t n = 0;

	if (strcmp(table, "device") == 0)
		assert_int_equal(ctl_store_device_list(st, count_dev, &n), 0);
	else if (strcmp(table, "envelope") == 0)
		assert_int_equal(ctl_store_envelopes(st, NULL, count_env, &n),
				 0);
	else if (strcmp(table, "alert") == 0)
		assert_int_equal(ctl_store_alerts(st, 0, 0, NULL, count_alert,
						  &n), 0);
	else if (strcmp(table, "event") == 0)
		assert_int_equal(ctl_store_events(st, 0, 0, count_event, &n),
				 0);
	else {
		assert_int_equal(ctl_store_report_counts(st, "gw0", 1000, &c),
				 0);
		n = c.rows;
	}
	return n;
}

/* cordond with the retention of h->conf, and dataplane gw0 connected. */
static void
up(struct h *h)
{
	h_open_conf(h, fs, sizeof(fs) / sizeof(fs[0]));
	h_hello(h, "gw0", H_DP_PIPE, 0);
}

static void
wake(struct h *h)
{
	struct wire_msg out;

	assert_int_equal(h_wake(h, true, CD_EP_DATAPLANE, 0, &out), 0);
}

/*
 * --report-retention: the stored reports go once they are older; the
 * marks stay, so one sent again is still a duplicate; the next look is
 * a quarter of the retention on, a second at least.
 */
static void
test_report_retention(void **state)
{
	struct ctl_store_report_counts c;
	struct h h;

	(void)state;
	h_prepare(&h);
	h.conf.report_retention_ms = 1;
	up(&h);
	for (uint64_t seq = 1; seq <= 3; seq++)
		assert_int_equal(h_report(&h, "gw0", seq, cam, ""), seq);
	usleep(5000);	/* received more than the 1 ms kept ago */
	wake(&h);
	assert_int_equal(ctl_store_report_counts(h.d.state.st, "gw0", 1000,
						 &c), 0);
	assert_int_equal(c.rows, 0);
	assert_int_equal(h.d.counters[CD_REPORTS_PRUNED], 3);
	/* Sent again after its row went: still a duplicate, acknowledged
	 * with the mark, not stored. */
	assert_int_equal(h_report(&h, "gw0", 2, cam, ""), 3);
	assert_int_equal(h.d.counters[CD_REPORTS_DUP], 1);
	/* A new one waits for the next look, a second on. */
	assert_int_equal(h_report(&h, "gw0", 4, cam, ""), 4);
	usleep(5000);
	wake(&h);
	assert_int_equal(ctl_store_report_counts(h.d.state.st, "gw0", 1000,
						 &c), 0);
	assert_int_equal(c.rows, 1);
	h.d.prune_next_ms[CD_PRUNE_REPORTS] = 0;
	wake(&h);
	assert_int_equal(ctl_store_report_counts(h.d.state.st, "gw0", 1000,
						 &c), 0);
	assert_int_equal(c.rows, 0);
	assert_int_equal(h.d.counters[CD_REPORTS_PRUNED], 4);
	assert_int_equal(h.d.counters[CD_REPORTS], 4);
	/* Only what had a retention went. */
	assert_int_equal(h.d.counters[CD_DEVICES_PRUNED], 0);
	assert_int_equal(h.d.counters[CD_EVENTS_PRUNED], 0);
	h_close(&h);
}

/* A retention of 0 keeps everything, however old. */
static void
test_keep_all(void **state)
{
	struct h h;

	(void)state;
	h_prepare(&h);
	up(&h);
	assert_int_equal(h_report(&h, "gw0", 1, cam, ""), 1);
	usleep(5000);
	for (int t = 0; t < CD_PRUNE_MAX; t++)
		h.d.prune_next_ms[t] = 0;
	wake(&h);
	assert_int_equal(rows(&h, "report"), 1);
	assert_int_equal(rows(&h, "device"), 1);
	assert_true(rows(&h, "event") >= 1);	/* the connect */
	for (int c = CD_REPORTS_PRUNED; c <= CD_ALERTS_PRUNED; c++)
		assert_int_equal(h.d.counters[c], 0);
	h_close(&h);
}

/*
 * --device-retention: a device no report has listed for it is forgotten,
 * envelope too, and drops out of the next version its type: selector
 * compiles; a quarantined one stays, and so do its alerts.
 */
static void
test_device_retention(void **state)
{
	static const uint8_t cam2[6] = { 2, 0, 0, 0, 0xca, 2 };
	struct ctl_store_envelope e = {
		.dataplane_id = "gw0", .stored_ms = 1, .data = "x", .len = 1,
	};
	struct ctl_store_alert a = {
		.dataplane_id = "gw0", .boot = 1, .seq = 1,
		.detector = "scan_vertical", .action = "quarantine",
		.payload = "abc", .payload_len = 3, .received_ms = 1,
	};
	uint64_t id;
	struct h h;

	(void)state;
	h_prepare(&h);
	h.conf.device_retention_ms = 1;
	h.conf.event_retention_ms = 1;
	h.conf.alert_retention_ms = 1;
	up(&h);
	assert_int_equal(h_report(&h, "gw0", 1, cam, ""), 1);
	memcpy(e.mac, cam, 6);
	assert_int_equal(ctl_store_envelope_put(h.d.state.st, &e), 0);
	/* Quarantined: it stays, and so does the alert that held it. */
	memcpy(a.mac, cam2, 6);
	assert_int_equal(ctl_store_alert_add(h.d.state.st, &a, "{}", &id), 0);
	assert_int_equal(ctl_store_quarantine_add(h.d.state.st, cam2, "alert",
						  "t", 1), 0);
	/* The next report lists cam2 only: cam is away, still compiled. */
	assert_int_equal(h_report(&h, "gw0", 2, cam2, ""), 2);
	assert_int_equal(h_apply(&h, H_TYPE_POLICY("type-confidence: 50\n")),
			 1);
	assert_int_equal(h_assigned(h.d.policy, cam), 1);
	usleep(5000);	/* cam listed more than the 1 ms kept ago */
	wake(&h);
	assert_int_equal(h.d.counters[CD_DEVICES_PRUNED], 1);
	assert_int_equal(h.d.counters[CD_ENVELOPES_PRUNED], 1);
	assert_int_equal(rows(&h, "device"), 1);
	assert_int_equal(rows(&h, "envelope"), 0);
	assert_int_equal(rows(&h, "alert"), 1);
	assert_int_equal(h.d.counters[CD_ALERTS_PRUNED], 0);
	assert_true(h.d.counters[CD_EVENTS_PRUNED] >= 2);
	/* Forgotten: the next version does not name it. */
	assert_int_equal(h_apply(&h, H_TYPE_POLICY("type-confidence: 50\n")),
			 2);
	assert_int_equal(h_assigned(h.d.policy, cam), 0);
	assert_int_equal(h_assigned(h.d.policy, cam2), 1);
	/* Released: the alert goes at the next look, and the device with
	 * it once the report that listed it is older than the retention. */
	assert_int_equal(ctl_store_quarantine_del(h.d.state.st, cam2, "t", 2),
			 0);
	usleep(5000);
	for (int t = 0; t < CD_PRUNE_MAX; t++)
		h.d.prune_next_ms[t] = 0;
	wake(&h);
	assert_int_equal(rows(&h, "alert"), 0);
	assert_int_equal(h.d.counters[CD_ALERTS_PRUNED], 1);
	assert_int_equal(rows(&h, "device"), 0);
	assert_int_equal(h.d.counters[CD_DEVICES_PRUNED], 2);
	assert_int_equal(rows(&h, "event"), 0);
	h_close(&h);
}

/*
 * A dataplane that left lists nothing any more: its devices come from the
 * store, and once the store forgets them, the next version does not name
 * them, though the registry still holds the last report that did.
 */
static void
test_dataplane_gone(void **state)
{
	struct h h;

	(void)state;
	h_prepare(&h);
	h.conf.device_retention_ms = 1;
	up(&h);
	assert_int_equal(h_report(&h, "gw0", 1, cam, ""), 1);
	cd_pipe(&h.d, H_DP_PIPE, false);
	assert_int_equal(h_apply(&h, H_TYPE_POLICY("type-confidence: 50\n")),
			 1);
	assert_int_equal(h_assigned(h.d.policy, cam), 1);	/* stored */
	usleep(5000);
	wake(&h);
	assert_int_equal(h.d.counters[CD_DEVICES_PRUNED], 1);
	assert_non_null(h.d.reg.dps[0].report);
	assert_int_equal(h_apply(&h, H_TYPE_POLICY("type-confidence: 50\n")),
			 2);
	assert_int_equal(h_assigned(h.d.policy, cam), 0);
	h_close(&h);
}

/*
 * --policy-keep: older versions lose their content at the next look, not
 * their history row; the history says so, and a rollback to one is
 * refused as not found.
 */
static void
test_policy_keep(void **state)
{
	Cordon__PolicyHistoryRequest hq = CORDON__POLICY_HISTORY_REQUEST__INIT;
	Cordon__PolicyRollback rb = CORDON__POLICY_ROLLBACK__INIT;
	const Cordon__PolicyHistory *hist;
	const Cordon__Error *e;
	struct wire_msg out;
	struct h h;

	(void)state;
	h_prepare(&h);
	h.conf.policy_keep = 1;
	up(&h);
	assert_int_equal(h_report(&h, "gw0", 1, cam, ""), 1);
	for (uint64_t v = 1; v <= 3; v++)
		assert_int_equal(h_apply(&h, H_TYPE_POLICY(
			"type-confidence: 50\n")), v);
	wake(&h);
	assert_int_equal(h.d.counters[CD_POLICIES_PRUNED], 2);
	h_call(&h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_POLICY_HISTORY, &hq.base,
	       CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &out);
	hist = (const Cordon__PolicyHistory *)out.payload;
	assert_int_equal(hist->n_versions, 3);
	assert_int_equal(hist->versions[0]->pruned_unix_ms, 0);
	for (size_t i = 1; i < 3; i++) {
		assert_true(hist->versions[i]->pruned_unix_ms > 0);
		/* What it held, counted before it went. */
		assert_int_equal(hist->versions[i]->devices, 1);
		assert_true(hist->versions[i]->has_source);
	}
	assert_int_equal(hist->versions[0]->devices, 1);
	wire_msg_free(&out);
	rb.version = 1;
	rb.applied_by = (char *)"t";
	h_call(&h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK, &rb.base,
	       CORDON__MSG_TYPE__MSG_ERROR, &out);
	e = (const Cordon__Error *)out.payload;
	assert_int_equal(e->code, CORDON__ERROR_CODE__ERR_NOT_FOUND);
	assert_non_null(strstr(e->message, "pruned"));
	wire_msg_free(&out);
	assert_int_equal(h.d.policy->version, 3);
	h_close(&h);
}

/*
 * The pages the retention frees go back to the file system, and the count
 * says by how much the file shrank.
 */
static void
test_reclaim(void **state)
{
	struct ctl_store_space before, after;
	const size_t pad = 200 << 10;
	const char *yaml = H_TYPE_POLICY("type-confidence: 50\n");
	char *src;
	struct h h;

	(void)state;
	src = malloc(pad + strlen(yaml) + 1);
	assert_non_null(src);
	/* A YAML comment line of 200 KiB before the policy. */
	src[0] = '#';
	memset(src + 1, 'x', pad - 2);
	src[pad - 1] = '\n';
	strcpy(src + pad, yaml);
	h_prepare(&h);
	h.conf.policy_keep = 1;
	up(&h);
	/* Each its own source: one stored for all would free nothing. */
	for (uint64_t v = 1; v <= 10; v++) {
		src[1] = (char)('a' + v);
		assert_int_equal(h_apply(&h, src), v);
	}
	assert_int_equal(ctl_store_space(h.d.state.st, &before), 0);
	assert_true(before.shrinks);
	wake(&h);
	assert_int_equal(h.d.counters[CD_POLICIES_PRUNED], 9);
	assert_int_equal(ctl_store_space(h.d.state.st, &after), 0);
	assert_int_equal(h.d.counters[CD_BYTES_RECLAIMED],
			 before.bytes - after.bytes);
	assert_true(h.d.counters[CD_BYTES_RECLAIMED] >= 9 * pad);
	assert_int_equal(after.free_bytes, 0);
	/* Nothing more to give back: the next look is a minute on. */
	assert_true(h.d.reclaim_next_ms > util_time_now_ms() + 30000);
	free(src);
	h_close(&h);
}

/*
 * --dataplane-retention: a dataplane away for it is forgotten, with what
 * it last said; one connected stays; back, it registers as new.
 */
static void
test_dataplane_retention(void **state)
{
	struct h h;

	(void)state;
	h_prepare(&h);
	h.conf.dataplane_retention_ms = 1;
	up(&h);
	h_hello(&h, "gw1", H_DP_PIPE + 1, 0);
	assert_int_equal(h_report(&h, "gw0", 1, cam, ""), 1);
	cd_pipe(&h.d, H_DP_PIPE, false);	/* gw0 leaves */
	usleep(5000);
	wake(&h);
	assert_int_equal(h.d.counters[CD_DP_FORGOTTEN], 1);
	assert_int_equal(h.d.reg.n, 1);
	assert_null(ctl_registry_find(&h.d.reg, "gw0"));
	assert_non_null(ctl_registry_find(&h.d.reg, "gw1"));
	h_hello(&h, "gw0", H_DP_PIPE + 2, 0);
	assert_int_equal(ctl_registry_find(&h.d.reg, "gw0")->registrations, 1);
	/* Not before its time: 0 keeps every one. */
	h.d.conf.dataplane_retention_ms = 0;
	cd_pipe(&h.d, H_DP_PIPE + 2, false);
	usleep(5000);
	h.d.prune_next_ms[CD_PRUNE_DATAPLANES] = 0;
	wake(&h);
	assert_int_equal(h.d.reg.n, 2);
	h_close(&h);
}

TEST_MAIN(
	cmocka_unit_test(test_report_retention),
	cmocka_unit_test(test_keep_all),
	cmocka_unit_test(test_device_retention),
	cmocka_unit_test(test_dataplane_gone),
	cmocka_unit_test(test_policy_keep),
	cmocka_unit_test(test_reclaim),
	cmocka_unit_test(test_dataplane_retention))
