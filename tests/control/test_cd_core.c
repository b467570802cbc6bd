/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's core (cd.c): dispatch by endpoint and message type, what it
 * answers itself (ping, bad envelopes, a request at the wrong endpoint),
 * registration, and the order hooks run in.
 */

#include "cd_harness.h"
#include "test_main.h"

static void
test_ping_both_endpoints(void **state)
{
	Cordon__Ping ping = CORDON__PING__INIT;
	struct wire_msg out;
	struct h *h = *state;

	for (int ep = 0; ep < CD_EP_MAX; ep++) {
		ping.nonce = 1000 + (uint64_t)ep;
		h_call(h, (enum cd_ep)ep, CORDON__MSG_TYPE__MSG_PING,
		       &ping.base, CORDON__MSG_TYPE__MSG_ACK, &out);
		assert_int_equal(((Cordon__Ack *)out.payload)->seq,
				 ping.nonce);
		wire_msg_free(&out);
	}
	assert_int_equal(h->d.counters[CD_PINGS], 2);
	assert_int_equal(h->d.counters[CD_DP_MESSAGES], 1);
	assert_int_equal(h->d.counters[CD_CLI_MESSAGES], 1);
}

static void
test_bad_envelopes(void **state)
{
	static const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0x01, 0x02 };
	Cordon__StatusRequest sr = CORDON__STATUS_REQUEST__INIT;
	Cordon__Hello hello = CORDON__HELLO__INIT;
	struct wire_msg out;
	struct h *h = *state;

	assert_int_equal(h_send_raw(h, CD_EP_CLI, 0, 1, garbage,
				    sizeof(garbage), &out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ERROR);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_DECODE);
	wire_msg_free(&out);
	assert_int_equal(h->d.counters[CD_BAD_DECODE], 1);

	/* A dataplane's message at cordonctl's endpoint, and back. */
	hello.dataplane_id = (char *)"gw0";
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_HELLO, &hello.base,
	       CORDON__MSG_TYPE__MSG_ERROR, &out);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_UNEXPECTED);
	assert_string_equal(((Cordon__Error *)out.payload)->message,
			    "not a cordonctl request");
	wire_msg_free(&out);
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_STATUS_REQUEST,
	       &sr.base, CORDON__MSG_TYPE__MSG_ERROR, &out);
	assert_string_equal(((Cordon__Error *)out.payload)->message,
			    "not a dataplane request");
	wire_msg_free(&out);
	assert_int_equal(h->d.counters[CD_UNEXPECTED], 2);
}

/* Every request cordonctl and the dataplanes send has exactly one
 * handler once every feature is registered. */
static void
test_handler_tables(void **state)
{
	static const Cordon__MsgType cli[] = {
		CORDON__MSG_TYPE__MSG_STATUS_REQUEST,
		CORDON__MSG_TYPE__MSG_STATS_REQUEST,
		CORDON__MSG_TYPE__MSG_POLICY,
		CORDON__MSG_TYPE__MSG_POLICY_GET,
		CORDON__MSG_TYPE__MSG_POLICY_APPLY,
		CORDON__MSG_TYPE__MSG_POLICY_HISTORY,
		CORDON__MSG_TYPE__MSG_POLICY_DIFF,
		CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK,
		CORDON__MSG_TYPE__MSG_QUARANTINE,
		CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
		CORDON__MSG_TYPE__MSG_MUD_IMPORT,
		CORDON__MSG_TYPE__MSG_MUD_LIST,
		CORDON__MSG_TYPE__MSG_MUD_REMOVE,
		CORDON__MSG_TYPE__MSG_FLOWS_REQUEST,
		CORDON__MSG_TYPE__MSG_CAPTURE_REQUEST,
		CORDON__MSG_TYPE__MSG_ALERTS_REQUEST,
		CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST,
		CORDON__MSG_TYPE__MSG_RELEARN,
		CORDON__MSG_TYPE__MSG_PROMPTS_REQUEST,
		CORDON__MSG_TYPE__MSG_PROMPT_ANSWER,
	};
	static const Cordon__MsgType dp[] = {
		CORDON__MSG_TYPE__MSG_HELLO,
		CORDON__MSG_TYPE__MSG_STATS_REPORT,
		CORDON__MSG_TYPE__MSG_POLL,
		CORDON__MSG_TYPE__MSG_FLOWS_DUMP,
		CORDON__MSG_TYPE__MSG_CAPTURE_DUMP,
		CORDON__MSG_TYPE__MSG_ALERT,
		CORDON__MSG_TYPE__MSG_ENVELOPE,
		CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST,
		CORDON__MSG_TYPE__MSG_ASK_REPORT,
	};
	size_t n[CD_EP_MAX] = { 0 };
	char err[256];
	struct h *h = *state;

	for (size_t i = 0; i < sizeof(cli) / sizeof(cli[0]); i++)
		assert_non_null(h->d.handlers[CD_EP_CLI][cli[i]]);
	for (size_t i = 0; i < sizeof(dp) / sizeof(dp[0]); i++)
		assert_non_null(h->d.handlers[CD_EP_DATAPLANE][dp[i]]);
	for (int ep = 0; ep < CD_EP_MAX; ep++)
		for (int t = 0; t < CD_MSG_MAX; t++)
			n[ep] += h->d.handlers[ep][t] != NULL;
	assert_int_equal(n[CD_EP_CLI], sizeof(cli) / sizeof(cli[0]));
	assert_int_equal(n[CD_EP_DATAPLANE], sizeof(dp) / sizeof(dp[0]));
	/* A second handler for a type is refused. */
	assert_int_equal(cd_register(&h->d, &cd_events_feature, err,
				     sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "MSG_EVENTS_REQUEST"));
}

/*
 * Hooks run in registration order (the feature's own, then those its init
 * adds); the first poll hook that answers wins: pass, pass, answer,
 * [pass].
 */
static int passed, answered;

static nng_msg *
pass_poll(struct cordond *d, const struct cd_poll *p)
{
	(void)d;
	(void)p;
	passed++;
	return NULL;
}

static nng_msg *
answer_poll(struct cordond *d, const struct cd_poll *p)
{
	answered++;
	return cd_ack(d, p->req_id, 4242);
}

static int
hooks_init(struct cordond *d, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	assert_int_equal(cd_on_poll(d, pass_poll), 0);
	assert_int_equal(cd_on_poll(d, answer_poll), 0);
	return cd_on_poll(d, pass_poll);
}

static const struct cd_feature hooks_feature = {
	.name = "hooks", .init = hooks_init, .on_poll = pass_poll,
};

static void
test_hook_order(void **state)
{
	struct wire_msg out;
	struct h h;

	(void)state;
	h_open_with(&h, &hooks_feature);
	h_hello(&h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_poll(&h, 1, "gw0", 0, 1000, &out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ACK);
	assert_int_equal(((Cordon__Ack *)out.payload)->seq, 4242);
	wire_msg_free(&out);
	assert_int_equal(passed, 2);	/* not the one after the answer */
	assert_int_equal(answered, 1);
	assert_false(h.d.conns[CD_EP_DATAPLANE][1].parked);
	h_close(&h);
}

TEST_MAIN(
	H_TEST(test_ping_both_endpoints),
	H_TEST(test_bad_envelopes),
	H_TEST(test_handler_tables),
	cmocka_unit_test(test_hook_order))
