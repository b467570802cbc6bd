/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_status.c and cd_events.c: status (cordond, its dataplanes, its
 * counters), stats (the latest reports; the stored inventory until a
 * dataplane reports), and the event log.
 */

#include "cd_harness.h"
#include "test_main.h"

static void
test_status(void **state)
{
	Cordon__StatusRequest sr = CORDON__STATUS_REQUEST__INIT;
	const Cordon__StatusReply *st;
	struct wire_msg out;
	size_t found = 0;
	struct h *h = *state;

	h_up(h);
	st = h_cli(h, CORDON__MSG_TYPE__MSG_STATUS_REQUEST, &sr.base,
		   CORDON__MSG_TYPE__MSG_STATUS_REPLY, &out);
	assert_int_equal(st->policy_version, 1);
	assert_int_equal(st->n_dataplanes, 1);
	assert_string_equal(st->dataplanes[0]->dataplane_id, "gw0");
	assert_true(st->dataplanes[0]->connected);
	/* Every counter, by name. */
	assert_int_equal(st->n_counters, CD_MAX);
	for (size_t i = 0; i < st->n_counters; i++)
		if (strcmp(st->counters[i]->name, "dp_hellos") == 0 &&
		    st->counters[i]->value == 1)
			found++;
	assert_int_equal(found, 1);
	wire_msg_free(&out);
}

static void
test_stats(void **state)
{
	Cordon__StatsRequest sr = CORDON__STATS_REQUEST__INIT;
	const Cordon__StatsReply *st;
	struct wire_msg out;
	struct h *h = *state;

	sr.dataplane_id = (char *)"gw9";
	h_cli_error(h, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &sr.base,
		    CORDON__ERROR_CODE__ERR_NOT_FOUND, NULL, 0);
	sr.dataplane_id = (char *)"";
	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_report(h, "gw0", 1, cam, "");
	st = h_cli(h, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &sr.base,
		   CORDON__MSG_TYPE__MSG_STATS_REPLY, &out);
	assert_int_equal(st->n_reports, 1);
	assert_int_equal(st->reports[0]->seq, 1);
	wire_msg_free(&out);

	/* After a restart, before any report: what the store holds. */
	h_restart(h, H_ALL);
	st = h_cli(h, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &sr.base,
		   CORDON__MSG_TYPE__MSG_STATS_REPLY, &out);
	assert_int_equal(st->n_reports, 1);
	assert_int_equal(st->reports[0]->n_devices, 1);
	assert_memory_equal(st->reports[0]->devices[0]->mac.data, cam, 6);
	assert_string_equal(st->reports[0]->counters[0]->name,
			    CTL_INV_STORED_COUNTER);
	wire_msg_free(&out);
}


/* The device's segment note in a stats reply ("" when none). */
static void
stats_note(struct h *h, char *note, size_t len)
{
	Cordon__StatsRequest sr = CORDON__STATS_REQUEST__INIT;
	const Cordon__StatsReply *st;
	struct wire_msg out;

	sr.dataplane_id = (char *)"";
	st = h_cli(h, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &sr.base,
		   CORDON__MSG_TYPE__MSG_STATS_REPLY, &out);
	assert_int_equal(st->n_reports, 1);
	assert_int_equal(st->reports[0]->n_devices, 1);
	snprintf(note, len, "%s", st->reports[0]->devices[0]->segment_note);
	wire_msg_free(&out);
}

/* A camera at 60%: a type: selector at the default 70% holds it back, and
 * the stats say why, from the reports and from the store alike; at 50% it
 * is assigned and there is nothing to say. */
static void
test_type_note(void **state)
{
	static const char want[] = "type camera at 60%, below the 70% that "
		"\"type: camera\" (line 9) asks: default segment all";
	struct h *h = *state;
	char note[512];

	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_report(h, "gw0", 1, cam, "");
	stats_note(h, note, sizeof(note));
	assert_string_equal(note, "");		/* no policy yet */
	assert_int_equal(h_apply(h, H_TYPE_POLICY("")), 1);
	stats_note(h, note, sizeof(note));
	assert_string_equal(note, want);
	h_restart(h, H_ALL);
	stats_note(h, note, sizeof(note));
	assert_string_equal(note, want);
	assert_int_equal(h_apply(h, H_TYPE_POLICY("type-confidence: 50\n")), 2);
	stats_note(h, note, sizeof(note));
	assert_string_equal(note, "");
	/* A dataplane still on the first version: the camera is in "all",
	 * the latest policy puts it in "cams". */
	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_report_in(h, "gw0", 2, cam, "", 1, "all");
	stats_note(h, note, sizeof(note));
	assert_string_equal(note, "the latest policy puts it in segment cams; "
			    "in force: segment all");
	h_report_in(h, "gw0", 3, cam, "", 2, "cams");
	stats_note(h, note, sizeof(note));
	assert_string_equal(note, "");
}

static void
test_events(void **state)
{
	Cordon__EventsRequest er = CORDON__EVENTS_REQUEST__INIT;
	const Cordon__Events *ev;
	struct wire_msg out;
	uint64_t last;
	struct h *h = *state;

	h_up(h);
	ev = h_cli(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		   CORDON__MSG_TYPE__MSG_EVENTS, &out);
	assert_int_equal(ev->n_events, 2);
	assert_string_equal(ev->events[0]->kind, CTL_STORE_EV_DP_CONNECT);
	assert_string_equal(ev->events[0]->dataplane_id, "gw0");
	assert_string_equal(ev->events[1]->kind, CTL_STORE_EV_POLICY_ADDED);
	last = ev->events[1]->id;
	wire_msg_free(&out);
	/* --follow: only what came after. */
	er.since_id = last;
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
	       CORDON__MSG_TYPE__MSG_EVENTS, &out);
	assert_int_equal(((const Cordon__Events *)out.payload)->n_events, 0);
	wire_msg_free(&out);
	er.since_id = 0;
	er.limit = 1;
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
	       CORDON__MSG_TYPE__MSG_EVENTS, &out);
	assert_int_equal(((const Cordon__Events *)out.payload)->n_events, 1);
	/* Those after an id: no total (an older cordonctl would refuse the
	 * field). */
	assert_int_equal(((const Cordon__Events *)out.payload)->total, 0);
	wire_msg_free(&out);
}

/* cordonctl events' default: a page of the newest, oldest first. */
static void
test_events_newest(void **state)
{
	Cordon__EventsRequest er = CORDON__EVENTS_REQUEST__INIT;
	const Cordon__Events *ev;
	struct wire_msg out;
	struct h *h = *state;
	uint64_t id;
	char msg[128];

	h_up(h);			/* 2 events */
	for (int i = 0; i < 30; i++)
		assert_int_equal(ctl_store_event_add(h->d.state.st, 1, "x",
						     NULL, NULL, NULL, &id),
				 0);
	assert_int_equal(id, 32);
	er.newest = true;
	ev = h_cli(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		   CORDON__MSG_TYPE__MSG_EVENTS, &out);
	assert_int_equal(ev->total, 32);
	assert_int_equal(ev->n_events, 20);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(ev->events[i]->id, 13 + i);
	wire_msg_free(&out);
	er.limit = 5;
	er.before_id = 13;
	ev = h_cli(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		   CORDON__MSG_TYPE__MSG_EVENTS, &out);
	assert_int_equal(ev->n_events, 5);
	assert_int_equal(ev->events[0]->id, 8);
	assert_int_equal(ev->events[4]->id, 12);
	assert_int_equal(ev->total, 32);
	wire_msg_free(&out);
	/* Past the cap: 1000 at most, here all of them. */
	er.limit = 5000;
	er.before_id = 0;
	ev = h_cli(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		   CORDON__MSG_TYPE__MSG_EVENTS, &out);
	assert_int_equal(ev->n_events, 32);
	assert_string_equal(ev->events[0]->kind, CTL_STORE_EV_DP_CONNECT);
	wire_msg_free(&out);
	/* Refused: newest and after an id; before an id without newest; an
	 * id SQLite cannot hold. */
	er.since_id = 3;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	assert_non_null(strstr(msg, "not both"));
	er.since_id = 0;
	er.newest = false;
	er.before_id = 3;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		    CORDON__ERROR_CODE__ERR_INVALID, NULL, 0);
	er.newest = true;
	er.before_id = (uint64_t)INT64_MAX + 1;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		    CORDON__ERROR_CODE__ERR_INVALID, NULL, 0);
}

TEST_MAIN(
	H_TEST(test_status),
	H_TEST(test_stats),
	H_TEST(test_type_note),
	H_TEST(test_events),
	H_TEST(test_events_newest))
