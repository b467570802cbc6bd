/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_flows.c: a FlowsRequest parks cordonctl's request, rides on the
 * dataplane's long poll as a FlowsQuery, and is answered by the
 * dataplane's FlowsDump, or with an error when it does not answer.
 */

#include <unistd.h>

#include "cd_harness.h"
#include "test_main.h"

static void
flows_request(struct h *h, const char *dp, Cordon__ErrorCode err)
{
	Cordon__FlowsRequest fr = CORDON__FLOWS_REQUEST__INIT;
	struct wire_msg out;

	fr.dataplane_id = (char *)dp;
	fr.limit = 10;
	if (err != CORDON__ERROR_CODE__ERR_NONE) {
		h_cli_error(h, CORDON__MSG_TYPE__MSG_FLOWS_REQUEST, &fr.base,
			    err, NULL, 0);
		return;
	}
	assert_int_equal(h_send(h, CD_EP_CLI, 2, 1,
				CORDON__MSG_TYPE__MSG_FLOWS_REQUEST, &fr.base,
				&out), 1);
	assert_true(h->d.conns[CD_EP_CLI][2].parked);
}

static void
test_which_dataplane(void **state)
{
	struct h *h = *state;

	flows_request(h, "", CORDON__ERROR_CODE__ERR_NOT_FOUND);
	flows_request(h, "gw9", CORDON__ERROR_CODE__ERR_NOT_FOUND);
	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_hello(h, "gw1", H_DP_PIPE + 1, 0);
	/* Two connected: say which. */
	flows_request(h, "", CORDON__ERROR_CODE__ERR_INVALID);
	cd_pipe(&h->d, H_DP_PIPE + 1, false);
	flows_request(h, "gw1", CORDON__ERROR_CODE__ERR_NOT_FOUND);
	assert_int_equal(h->d.counters[CD_FLOWS_REQUESTS], 4);
}

static void
test_relay(void **state)
{
	Cordon__FlowsDump fd = CORDON__FLOWS_DUMP__INIT;
	Cordon__Flows fl = CORDON__FLOWS__INIT;
	const Cordon__FlowsQuery *q;
	struct wire_msg out, poll;
	uint64_t qid;
	struct h *h = *state;

	h_hello(h, "gw0", H_DP_PIPE, 0);
	/* The poll is parked first; the request rides on it. */
	assert_int_equal(h_poll(h, 1, "gw0", 0, 30000, &poll), 1);
	flows_request(h, "", CORDON__ERROR_CODE__ERR_NONE);
	assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out), 1);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_FLOWS_QUERY);
	q = (const Cordon__FlowsQuery *)out.payload;
	assert_int_equal(q->limit, 10);
	qid = q->query_id;
	wire_msg_free(&out);

	/* A dump with another query id answers nothing. */
	fd.dataplane_id = (char *)"gw0";
	fd.query_id = qid + 1;
	fl.matched = 3;
	fd.flows = &fl;
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_FLOWS_DUMP,
	       &fd.base, CORDON__MSG_TYPE__MSG_ACK, &out);
	wire_msg_free(&out);
	assert_int_equal(h_wake(h, false, CD_EP_CLI, 2, &out), 0);
	/* The right one: cordonctl gets the flows, named by dataplane. */
	fd.query_id = qid;
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_FLOWS_DUMP,
	       &fd.base, CORDON__MSG_TYPE__MSG_ACK, &out);
	assert_int_equal(((Cordon__Ack *)out.payload)->seq, qid);
	wire_msg_free(&out);
	assert_int_equal(h_wake(h, false, CD_EP_CLI, 2, &out), 1);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_FLOWS_REPLY);
	assert_int_equal(((Cordon__Flows *)out.payload)->matched, 3);
	assert_string_equal(((Cordon__Flows *)out.payload)->dataplane_id,
			    "gw0");
	wire_msg_free(&out);
	assert_false(h->d.conns[CD_EP_CLI][2].parked);

	/* The dataplane answers with an error: so does cordond. */
	assert_int_equal(h_poll(h, 1, "gw0", 0, 30000, &poll), 1);
	flows_request(h, "gw0", CORDON__ERROR_CODE__ERR_NONE);
	assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out), 1);
	fd.query_id = ((const Cordon__FlowsQuery *)out.payload)->query_id;
	wire_msg_free(&out);
	fd.flows = NULL;
	fd.error_code = CORDON__ERROR_CODE__ERR_NOT_FOUND;
	fd.error = (char *)"no such device";
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_FLOWS_DUMP,
	       &fd.base, CORDON__MSG_TYPE__MSG_ACK, &out);
	wire_msg_free(&out);
	assert_int_equal(h_wake(h, false, CD_EP_CLI, 2, &out), 1);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_NOT_FOUND);
	assert_non_null(strstr(((Cordon__Error *)out.payload)->message,
			       "no such device"));
	wire_msg_free(&out);
}

/* The query goes with the dataplane's next poll; no answer within 2 s
 * is an error for cordonctl. */
static void
test_timeout(void **state)
{
	struct wire_msg out;
	struct h *h = *state;

	h_hello(h, "gw0", H_DP_PIPE, 0);
	flows_request(h, "gw0", CORDON__ERROR_CODE__ERR_NONE);
	assert_int_equal(h_poll(h, 1, "gw0", 0, 30000, &out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_FLOWS_QUERY);
	wire_msg_free(&out);
	assert_int_equal(h_wake(h, true, CD_EP_CLI, 2, &out), 0);
	usleep(2100 * 1000);
	assert_int_equal(h_wake(h, true, CD_EP_CLI, 2, &out), 1);
	assert_non_null(strstr(((Cordon__Error *)out.payload)->message,
			       "did not answer"));
	wire_msg_free(&out);
	assert_int_equal(h->d.counters[CD_FLOWS_TIMEOUTS], 1);
}

TEST_MAIN(
	H_TEST(test_which_dataplane),
	H_TEST(test_relay),
	H_TEST(test_timeout))
