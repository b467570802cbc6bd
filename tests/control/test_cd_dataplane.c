/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_dataplane.c's handlers: hello, reports (stored once, acknowledged
 * after the store, handed to the report hooks) and the long poll (parked,
 * answered empty when its time is up), and dataplanes leaving.
 */

#include <time.h>
#include <unistd.h>

#include "cd_harness.h"
#include "test_main.h"

static void
test_hello(void **state)
{
	Cordon__Hello hello = CORDON__HELLO__INIT;
	char msg[256];
	struct h *h = *state;

	h_hello(h, "gw0", H_DP_PIPE, 3);
	assert_int_equal(h->d.reg.n, 1);
	assert_int_equal(h->d.reg.dps[0].pipe_id, H_DP_PIPE);
	assert_int_equal(h->d.reg.dps[0].policy_version, 3);
	assert_int_equal(h->d.counters[CD_HELLOS], 1);
	assert_int_equal(h_events(h, CTL_STORE_EV_DP_CONNECT, NULL, 0), 1);
	/* Again, on a new connection: the same dataplane, registered twice. */
	h_hello(h, "gw0", H_DP_PIPE + 1, 3);
	assert_int_equal(h->d.reg.n, 1);
	assert_int_equal(h->d.reg.dps[0].registrations, 2);

	hello.dataplane_id = (char *)"gw 0";
	hello.sw_version = (char *)"";
	{
		struct wire_msg out;

		h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_HELLO,
		       &hello.base, CORDON__MSG_TYPE__MSG_ERROR, &out);
		snprintf(msg, sizeof(msg), "%s",
			 ((Cordon__Error *)out.payload)->message);
		wire_msg_free(&out);
	}
	assert_non_null(strstr(msg, "character"));
	assert_int_equal(h->d.counters[CD_INVALID], 1);
}

/* A report hook, as the MUD feature registers one. */
static int reports_seen;

static void
count_report(struct cordond *d, const Cordon__StatsReport *r)
{
	/* The registry holds the report already. */
	assert_ptr_equal(ctl_registry_find(&d->reg, r->dataplane_id)->report,
			 r);
	reports_seen++;
}

static const struct cd_feature count_feature = {
	.name = "count", .on_report = count_report,
};

static void
test_reports(void **state)
{
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	struct ctl_store_report_counts c;
	struct wire_msg out;
	struct h h;

	(void)state;
	h_open_with(&h, &count_feature);
	/* Not registered: refused, nothing stored. */
	r.dataplane_id = (char *)"gw0";
	r.seq = 1;
	h_call(&h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_STATS_REPORT,
	       &r.base, CORDON__MSG_TYPE__MSG_ERROR, &out);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_NOT_REGISTERED);
	wire_msg_free(&out);

	h_hello(&h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_report(&h, "gw0", 1, cam, ""), 1);
	assert_int_equal(h_report(&h, "gw0", 2, cam, ""), 2);
	/* A retransmission is acknowledged with the mark, stored once. */
	assert_int_equal(h_report(&h, "gw0", 2, cam, ""), 2);
	assert_int_equal(h.d.counters[CD_REPORTS], 2);
	assert_int_equal(h.d.counters[CD_REPORTS_DUP], 1);
	assert_int_equal(reports_seen, 2);
	assert_int_equal(ctl_store_report_counts(h.d.state.st, "gw0", 1000,
						 &c), 0);
	assert_int_equal(c.rows, 2);
	assert_int_equal(c.duplicates, 1);
	/* The device went to the stored inventory, once. */
	assert_int_equal(h.d.counters[CD_INV_ROWS], 1);
	assert_int_equal(h.d.counters[CD_INV_TX], 1);

	/* A report on a connection it did not say hello on. */
	r.seq = 3;
	assert_int_equal(h_send(&h, CD_EP_DATAPLANE, 0, H_DP_PIPE + 5,
				CORDON__MSG_TYPE__MSG_STATS_REPORT, &r.base,
				&out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ERROR);
	wire_msg_free(&out);
	assert_int_equal(reports_seen, 2);
	h_close(&h);
}

/*
 * A CPE with no clock starts at the same time every boot: its runs are
 * told apart by their boot ids, each with its own sequence from 1.
 */
static void
test_boots(void **state)
{
	Cordon__Hello hello = CORDON__HELLO__INIT;
	struct ctl_store_report_counts c;
	struct h *h = *state;
	struct wire_msg out;

	h_hello_boot(h, "gw0", H_DP_PIPE, 0, 7);
	assert_int_equal(h_report(h, "gw0", 1, cam, ""), 1);
	assert_int_equal(h_report(h, "gw0", 2, cam, ""), 2);
	/* Restarted, the same start time: seq 1 again is a new report. */
	h_hello_boot(h, "gw0", H_DP_PIPE, 0, 8);
	assert_int_equal(h_report(h, "gw0", 1, cam, ""), 1);
	assert_int_equal(h->d.counters[CD_REPORTS], 3);
	assert_int_equal(h->d.counters[CD_REPORTS_DUP], 0);
	assert_int_equal(ctl_store_report_counts(h->d.state.st, "gw0", 7,
						 &c), 0);
	assert_int_equal(c.rows, 2);
	assert_int_equal(ctl_store_report_counts(h->d.state.st, "gw0", 8,
						 &c), 0);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.gaps, 0);

	/* Dataplanes older than wire minor 5 are keyed by the start time,
	 * and two runs that started in the same millisecond are one. */
	h_hello(h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_report(h, "gw0", 1, cam, ""), 1);
	h_hello(h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_report(h, "gw0", 1, cam, ""), 1);
	assert_int_equal(h->d.counters[CD_REPORTS_DUP], 1);
	assert_int_equal(ctl_store_report_counts(h->d.state.st, "gw0", 1000,
						 &c), 0);
	assert_int_equal(c.rows, 1);

	/* The store's key is a signed 64-bit integer. */
	hello.dataplane_id = (char *)"gw1";
	hello.sw_version = (char *)"";
	hello.boot_id = (uint64_t)INT64_MAX + 1;
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_HELLO, &hello.base,
	       CORDON__MSG_TYPE__MSG_ERROR, &out);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_INVALID);
	assert_non_null(strstr(((Cordon__Error *)out.payload)->message,
			       "boot id"));
	wire_msg_free(&out);
	assert_null(ctl_registry_find(&h->d.reg, "gw1"));
}

static void
test_poll_parks_and_expires(void **state)
{
	struct wire_msg out;
	struct h *h = *state;

	assert_int_equal(h_poll(h, 1, "gw0", 0, 1000, &out), 0);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_NOT_REGISTERED);
	wire_msg_free(&out);

	h_hello(h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_poll(h, 1, "gw0", 0, 20, &out), 1);
	assert_true(h->d.conns[CD_EP_DATAPLANE][1].parked);
	/* Nothing new, and its time is not up: still parked. */
	assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out), 0);
	usleep(30 * 1000);
	/* Only the watchdog's tick expires polls. */
	assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out), 0);
	assert_int_equal(h_wake(h, true, CD_EP_DATAPLANE, 1, &out), 1);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_POLL_REPLY);
	assert_null(((Cordon__PollReply *)out.payload)->policy);
	wire_msg_free(&out);
	assert_false(h->d.conns[CD_EP_DATAPLANE][1].parked);
	assert_int_equal(h->d.counters[CD_POLLS], 1);
}

static void
test_poll_events(void **state)
{
	Cordon__Poll p = CORDON__POLL__INIT;
	char detail[512];
	struct wire_msg out;
	struct h *h = *state;

	h_hello(h, "gw0", H_DP_PIPE, 0);
	p.dataplane_id = (char *)"gw0";
	p.policy_version = 0;
	p.rejected_version = 5;
	p.rejected_reason = (char *)"bad signature";
	/* Twice: one event per refusal. */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(h_send(h, CD_EP_DATAPLANE, 1, H_DP_PIPE,
					CORDON__MSG_TYPE__MSG_POLL, &p.base,
					&out), 1);
		assert_int_equal(h_wake(h, true, CD_EP_DATAPLANE, 1, &out),
				 1);
		wire_msg_free(&out);
	}
	assert_int_equal(h_events(h, CTL_STORE_EV_POLICY_REJECTED, detail,
				  sizeof(detail)), 1);
	assert_non_null(strstr(detail, "bad signature"));
	assert_string_equal(h->d.reg.dps[0].rejected_reason, "bad signature");
	p.policy_version = 6;
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 1, H_DP_PIPE,
				CORDON__MSG_TYPE__MSG_POLL, &p.base, &out), 1);
	assert_int_equal(h_events(h, CTL_STORE_EV_POLICY_APPLIED, detail,
				  sizeof(detail)), 1);
	assert_string_equal(detail, "{\"version\":6}");
}

static void
test_disconnect(void **state)
{
	struct h *h = *state;

	h_hello(h, "gw0", H_DP_PIPE, 0);
	cd_pipe(&h->d, H_DP_PIPE + 1, true);
	cd_pipe(&h->d, H_DP_PIPE + 1, false);	/* not its hello pipe */
	assert_int_equal(h->d.reg.dps[0].pipe_id, H_DP_PIPE);
	cd_pipe(&h->d, H_DP_PIPE, false);
	assert_int_equal(h->d.reg.dps[0].pipe_id, 0);
	assert_int_equal(h->d.counters[CD_DP_CONNECTS], 1);
	assert_int_equal(h->d.counters[CD_DP_DISCONNECTS], 2);
	assert_int_equal(h_events(h, CTL_STORE_EV_DP_DISCONNECT, NULL, 0),
			 1);
}

TEST_MAIN(
	H_TEST(test_hello),
	H_TEST(test_boots),
	cmocka_unit_test(test_reports),
	H_TEST(test_poll_parks_and_expires),
	H_TEST(test_poll_events),
	H_TEST(test_disconnect))
