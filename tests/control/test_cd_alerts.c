/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_alerts.c: a dataplane's alert stored once and turned into a
 * quarantine version; cordonctl reads it back; probation releases a first
 * offender and holds a second-time one.
 */

#include <unistd.h>

#include "cd_harness.h"

static const uint8_t att[6] = { 0x02, 0, 0, 0, 0xee, 0x66 };

/* An alert from dataplane id on H_DP_PIPE: the reply's type. */
static Cordon__MsgType
alert(struct h *h, const char *id, uint64_t seq, const uint8_t *mac,
      size_t mac_len, const char *action, char *msg, size_t len)
{
	Cordon__Alert a = CORDON__ALERT__INIT;
	Cordon__AlertEvidence e = CORDON__ALERT_EVIDENCE__INIT;
	struct wire_msg out;
	Cordon__MsgType t;

	a.dataplane_id = (char *)id;
	a.boot = 1000;
	a.seq = seq;
	a.mac.data = (uint8_t *)(uintptr_t)mac;
	a.mac.len = mac_len;
	a.detector = (char *)"scan_vertical";
	a.severity = (char *)"quarantine";
	a.action = (char *)action;
	a.contained = strcmp(action, "quarantine") == 0;
	e.what = (char *)"distinct ports";
	e.key = (char *)"10.0.0.1 tcp";
	e.count = 15;
	e.threshold = 15;
	a.evidence = &e;
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, H_DP_PIPE,
				CORDON__MSG_TYPE__MSG_ALERT, &a.base, &out),
			 0);
	t = out.type;
	if (t == CORDON__MSG_TYPE__MSG_ACK)
		assert_int_equal(((Cordon__Ack *)out.payload)->seq, seq);
	if (t == CORDON__MSG_TYPE__MSG_ERROR && msg != NULL)
		snprintf(msg, len, "%s", ((Cordon__Error *)out.payload)->message);
	wire_msg_free(&out);
	return t;
}

static bool
held(const struct h *h)
{
	for (size_t i = 0; h->d.policy != NULL &&
	     i < h->d.policy->n_quarantined; i++)
		if (memcmp(h->d.policy->quarantined[i].data, att, 6) == 0)
			return true;
	return false;
}

static void
test_alert_to_version(void **state)
{
	struct h *h = *state;
	Cordon__AlertsRequest q = CORDON__ALERTS_REQUEST__INIT;
	const Cordon__Alerts *al;
	struct wire_msg out;
	char msg[256];

	h_up(h);
	/* Not from a registered dataplane; not a unicast MAC. */
	assert_int_equal(alert(h, "gw9", 1, att, 6, "quarantine", msg,
			       sizeof(msg)), CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "hello"));
	assert_int_equal(alert(h, "gw0", 1, att, 5, "quarantine", msg,
			       sizeof(msg)), CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "unicast MAC"));
	/* An alert only: stored, no version. */
	assert_int_equal(alert(h, "gw0", 1, att, 6, "alert", NULL, 0),
			 CORDON__MSG_TYPE__MSG_ACK);
	assert_int_equal(h->d.policy->version, 1);
	assert_false(held(h));
	/* A quarantine: the next version holds the device; a resend of it
	 * is acknowledged and stored once. */
	assert_int_equal(alert(h, "gw0", 2, att, 6, "quarantine", NULL, 0),
			 CORDON__MSG_TYPE__MSG_ACK);
	assert_int_equal(h->d.policy->version, 2);
	assert_true(held(h));
	assert_int_equal(alert(h, "gw0", 2, att, 6, "quarantine", NULL, 0),
			 CORDON__MSG_TYPE__MSG_ACK);
	assert_int_equal(h->d.counters[CD_ALERTS], 2);
	assert_int_equal(h->d.counters[CD_ALERTS_DUP], 1);
	assert_int_equal(h->d.counters[CD_ALERT_HOLDS], 1);
	/* cordonctl alerts, all and by device. */
	al = h_cli(h, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
		   CORDON__MSG_TYPE__MSG_ALERTS, &out);
	assert_int_equal(al->n_alerts, 2);
	assert_int_equal(al->alerts[1]->policy_version, 2);
	assert_int_equal(al->alerts[0]->policy_version, 0);
	assert_string_equal(al->alerts[1]->dataplane_id, "gw0");
	assert_int_equal(al->alerts[1]->alert->evidence->count, 15);
	q.since_id = al->alerts[0]->id;
	wire_msg_free(&out);
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
	       CORDON__MSG_TYPE__MSG_ALERTS, &out);
	assert_int_equal(((const Cordon__Alerts *)out.payload)->n_alerts, 1);
	wire_msg_free(&out);
	/* The newest page (cordonctl alerts' default) says how many there
	 * are; the newest and an id to go on from are not both asked. */
	q.since_id = 0;
	q.newest = true;
	q.limit = 1;
	al = h_cli(h, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
		   CORDON__MSG_TYPE__MSG_ALERTS, &out);
	assert_int_equal(al->n_alerts, 1);
	assert_int_equal(al->total, 2);
	assert_int_equal(al->alerts[0]->policy_version, 2);
	q.before_id = al->alerts[0]->id;
	wire_msg_free(&out);
	al = h_cli(h, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
		   CORDON__MSG_TYPE__MSG_ALERTS, &out);
	assert_int_equal(al->n_alerts, 1);
	assert_int_equal(al->alerts[0]->policy_version, 0);
	wire_msg_free(&out);
	q.since_id = 1;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	assert_non_null(strstr(msg, "not both"));
	q.newest = false;
	q.since_id = 0;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	assert_non_null(strstr(msg, "only with the newest"));
	q.before_id = 0;
	q.limit = 0;
	/* A restart keeps the version and the alerts. */
	h_restart(h, H_ALL);
	assert_true(held(h));
	q.since_id = 0;
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &q.base,
	       CORDON__MSG_TYPE__MSG_ALERTS, &out);
	assert_int_equal(((const Cordon__Alerts *)out.payload)->n_alerts, 2);
	wire_msg_free(&out);
}

/* gw0 sends att's envelope of len bytes; cordond answers with want. */
static void
envelope_put(struct h *h, uint8_t *data, size_t len, Cordon__MsgType want)
{
	Cordon__DeviceEnvelope e = CORDON__DEVICE_ENVELOPE__INIT;
	struct wire_msg out;

	e.dataplane_id = (char *)"gw0";
	e.mac.data = (uint8_t *)(uintptr_t)att;
	e.mac.len = 6;
	e.data.data = data;
	e.data.len = len;
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_ENVELOPE, &e.base,
	       want, &out);
	wire_msg_free(&out);
}

/* Envelopes: kept per device, the last one, and handed back. */
static void
test_envelopes(void **state)
{
	struct h *h = *state;
	Cordon__EnvelopesRequest q = CORDON__ENVELOPES_REQUEST__INIT;
	const Cordon__Envelopes *ev;
	uint8_t data[3] = { 1, 2, 3 };
	struct wire_msg out;

	h_hello(h, "gw0", H_DP_PIPE, 0);
	envelope_put(h, data, 0, CORDON__MSG_TYPE__MSG_ERROR);
	envelope_put(h, data, 3, CORDON__MSG_TYPE__MSG_ACK);
	data[0] = 9;		/* learned again: replaces */
	envelope_put(h, data, 3, CORDON__MSG_TYPE__MSG_ACK);
	h_restart(h, H_ALL);
	ev = h_cli(h, CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST, &q.base,
		   CORDON__MSG_TYPE__MSG_ENVELOPES, &out);
	assert_int_equal(ev->n_envelopes, 1);
	assert_memory_equal(ev->envelopes[0]->mac.data, att, 6);
	assert_int_equal(ev->envelopes[0]->data.len, 3);
	assert_int_equal(ev->envelopes[0]->data.data[0], 9);
	assert_string_equal(ev->envelopes[0]->dataplane_id, "gw0");
	wire_msg_free(&out);

	/* A dataplane that starts gets what it learned, not another's. */
	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_hello(h, "gw1", H_DP_PIPE + 1, 0);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, H_DP_PIPE + i,
					CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST,
					&q.base, &out), 0);
		if (i == 2) {	/* no hello on it */
			assert_int_equal(out.type,
					 CORDON__MSG_TYPE__MSG_ERROR);
			assert_int_equal(((Cordon__Error *)out.payload)->code,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED);
		} else {
			ev = (const Cordon__Envelopes *)out.payload;
			assert_int_equal(out.type,
					 CORDON__MSG_TYPE__MSG_ENVELOPES);
			assert_int_equal(ev->n_envelopes, i == 0 ? 1 : 0);
		}
		wire_msg_free(&out);
	}
}

/* The operator's re-learn: the stored envelope goes, at once and durably;
 * the dataplane's parked poll is answered with the re-learn, once. */
static void
test_relearn(void **state)
{
	struct h *h = *state;
	Cordon__EnvelopesRequest q = CORDON__ENVELOPES_REQUEST__INIT;
	Cordon__Relearn rl = CORDON__RELEARN__INIT;
	const Cordon__Relearn *r;
	uint8_t data[3] = { 1, 2, 3 };
	struct wire_msg out, poll;
	char msg[256];

	h_hello(h, "gw0", H_DP_PIPE, 0);
	envelope_put(h, data, 3, CORDON__MSG_TYPE__MSG_ACK);
	/* Not a unicast MAC: refused, nothing forgotten. */
	rl.mac.data = (uint8_t *)(uintptr_t)"\x01\0\0\0\0\1";
	rl.mac.len = 6;
	rl.by = (char *)"test";
	h_cli_error(h, CORDON__MSG_TYPE__MSG_RELEARN, &rl.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	assert_non_null(strstr(msg, "unicast"));
	/* The poll is parked first; the re-learn rides on it. */
	assert_int_equal(h_poll(h, 1, "gw0", 0, 30000, &poll), 1);
	rl.mac.data = (uint8_t *)(uintptr_t)att;
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_RELEARN, &rl.base,
	       CORDON__MSG_TYPE__MSG_RELEARN, &out);
	r = (const Cordon__Relearn *)out.payload;
	assert_true(r->forgotten);
	assert_int_equal(r->dataplanes, 1);
	wire_msg_free(&out);
	assert_int_equal(h->d.counters[CD_RELEARNS], 1);
	assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out), 1);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_RELEARN);
	r = (const Cordon__Relearn *)out.payload;
	assert_int_equal(r->mac.len, 6);
	assert_memory_equal(r->mac.data, att, 6);
	wire_msg_free(&out);
	/* Handed out once: the next poll parks. */
	assert_int_equal(h_poll(h, 1, "gw0", 0, 30000, &poll), 1);
	assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out), 0);
	/* Gone from the store, also after a restart. */
	h_restart(h, H_ALL);
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST, &q.base,
	       CORDON__MSG_TYPE__MSG_ENVELOPES, &out);
	assert_int_equal(((const Cordon__Envelopes *)out.payload)->n_envelopes,
			 0);
	wire_msg_free(&out);
	/* Again: nothing stored, said so; the dataplane is told anyway. */
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_RELEARN, &rl.base,
	       CORDON__MSG_TYPE__MSG_RELEARN, &out);
	r = (const Cordon__Relearn *)out.payload;
	assert_false(r->forgotten);
	assert_int_equal(r->dataplanes, 0);	/* none known since */
	wire_msg_free(&out);
}

/* A dataplane's poll on pipe: 1 parked, else 0 with the reply in out. */
static int
poll_on(struct h *h, int conn, const char *id, uint32_t pipe,
	struct wire_msg *out)
{
	Cordon__Poll p = CORDON__POLL__INIT;

	p.dataplane_id = (char *)id;
	p.wait_ms = 30000;
	p.rejected_reason = (char *)"";
	return h_send(h, CD_EP_DATAPLANE, conn, pipe,
		      CORDON__MSG_TYPE__MSG_POLL, &p.base, out);
}

/*
 * A dataplane that is away (or gone for good) holds up only its own
 * re-learns: the operator's go on past any fixed number, the dataplane
 * that polls gets each, and the one away gets its oldest 64 when it is
 * back. (Before, 64 re-learns waiting for a dataplane that never came
 * back refused every re-learn after them.)
 */
static void
test_relearn_away(void **state)
{
	struct h *h = *state;
	Cordon__Relearn rl = CORDON__RELEARN__INIT;
	const Cordon__Relearn *r;
	struct wire_msg out, poll;
	uint8_t mac[6] = { 2, 0, 0, 0, 0x5e, 0 };

	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_hello(h, "gw1", H_DP_PIPE + 1, 0);
	cd_pipe(&h->d, H_DP_PIPE + 1, false);	/* gw1 goes away */
	rl.mac.data = mac;
	rl.mac.len = 6;
	rl.by = (char *)"test";
	for (int i = 1; i <= 70; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(poll_on(h, 1, "gw0", H_DP_PIPE, &poll), 1);
		h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_RELEARN, &rl.base,
		       CORDON__MSG_TYPE__MSG_RELEARN, &out);
		r = (const Cordon__Relearn *)out.payload;
		/* gw1 is told of its first 64, gw0 of every one. */
		assert_int_equal(r->dataplanes, i <= 64 ? 2 : 1);
		wire_msg_free(&out);
		assert_int_equal(h_wake(h, false, CD_EP_DATAPLANE, 1, &out),
				 1);
		assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_RELEARN);
		r = (const Cordon__Relearn *)out.payload;
		assert_int_equal(r->mac.data[5], i);
		wire_msg_free(&out);
	}
	assert_int_equal(h->d.counters[CD_RELEARNS], 70);
	/* gw1 back: its re-learns, oldest first, then nothing. */
	h_hello(h, "gw1", H_DP_PIPE + 2, 0);
	for (int i = 1; i <= 64; i++) {
		assert_int_equal(poll_on(h, 2, "gw1", H_DP_PIPE + 2, &out), 0);
		assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_RELEARN);
		r = (const Cordon__Relearn *)out.payload;
		assert_int_equal(r->mac.data[5], i);
		wire_msg_free(&out);
	}
	assert_int_equal(poll_on(h, 2, "gw1", H_DP_PIPE + 2, &out), 1);
}

/* Release by probation: the first offence only. */
static void
test_probation(void **state)
{
	struct h h;
	struct wire_msg out;

	(void)state;
	h_prepare(&h);
	h.conf.probation_ms = 1;
	h_open_conf(&h, H_ALL);
	h_hello(&h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_apply(&h, H_POLICY_YAML), 1);
	assert_int_equal(alert(&h, "gw0", 1, att, 6, "quarantine", NULL, 0),
			 CORDON__MSG_TYPE__MSG_ACK);
	assert_true(held(&h));
	usleep(5000);
	h_wake(&h, false, CD_EP_CLI, 0, &out);
	assert_false(held(&h));
	assert_int_equal(h.d.policy->version, 3);
	assert_int_equal(h.d.counters[CD_ALERT_PROBATIONS], 1);
	/* Again: held for good. */
	assert_int_equal(alert(&h, "gw0", 2, att, 6, "quarantine", NULL, 0),
			 CORDON__MSG_TYPE__MSG_ACK);
	assert_true(held(&h));
	usleep(1100 * 1000);	/* past the next check */
	h_wake(&h, false, CD_EP_CLI, 0, &out);
	assert_true(held(&h));
	assert_int_equal(h.d.policy->version, 4);
	assert_int_equal(h.d.counters[CD_ALERT_PROBATIONS], 1);
	h_close(&h);
}

TEST_MAIN(
	H_TEST(test_alert_to_version),
	H_TEST(test_envelopes),
	H_TEST(test_relearn),
	H_TEST(test_relearn_away),
	cmocka_unit_test(test_probation))
