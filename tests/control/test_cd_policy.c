/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_policy.c's handlers: every change is a new version, stored, handed
 * out to the polls waiting for it, never offered to a dataplane that
 * refused it; quarantine and rollback recompile.
 */

#include "cd_harness.h"
#include "test_main.h"

#define YAML_DENY \
	"comment: deny\n" \
	"segments:\n" \
	"  - name: all\n" \
	"default-segment: all\n" \
	"quarantine-segment: all\n"

/* Rules, devices and a quarantined one: what history counts. */
#define YAML_RICH \
	"version: 1\n" \
	"comment: rich\n" \
	"segments:\n" \
	"  - {name: all, default: allow}\n" \
	"  - {name: iot, default: deny}\n" \
	"  - {name: quarantine, default: deny}\n" \
	"default-segment: all\n" \
	"quarantine-segment: quarantine\n" \
	"devices:\n" \
	"  - {mac: \"02:00:00:00:00:01\", segment: iot}\n" \
	"  - {mac: \"02:00:00:00:00:02\", segment: iot}\n" \
	"rules:\n" \
	"  - {from: \"segment:iot\", to: 10.200.0.0/16, proto: tcp, " \
	"ports: [1000], action: allow}\n" \
	"  - {from: \"segment:iot\", to: 10.201.0.0/16, proto: udp, " \
	"ports: [53], action: allow}\n"

static Cordon__Policy *
h_policy_get(struct h *h, struct wire_msg *out)
{
	Cordon__PolicyGet g = CORDON__POLICY_GET__INIT;

	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_POLICY_GET, &g.base,
	       CORDON__MSG_TYPE__MSG_POLICY, out);
	return (Cordon__Policy *)out->payload;
}

static void
test_apply_wakes_polls(void **state)
{
	Cordon__PolicyGet g = CORDON__POLICY_GET__INIT;
	struct wire_msg out;
	char msg[512];
	struct h *h = *state;

	h_cli_error(h, CORDON__MSG_TYPE__MSG_POLICY_GET, &g.base,
		    CORDON__ERROR_CODE__ERR_NOT_FOUND, NULL, 0);
	h_hello(h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_poll(h, 1, "gw0", 0, 30000, &out), 1);

	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	/* The parked poll gets version 1 at the next wake. */
	assert_int_equal(h_poll_answer(h, 1), 1);
	/* A poll that has it parks again. */
	assert_int_equal(h_poll(h, 1, "gw0", 1, 30000, &out), 1);
	assert_int_equal(h_policy_get(h, &out)->version, 1);
	wire_msg_free(&out);

	/* A bad source: refused where it is wrong, nothing made. */
	{
		Cordon__PolicyApply a = CORDON__POLICY_APPLY__INIT;

		a.source = (char *)"segments: [\n";
		a.name = (char *)"bad.yaml";
		a.applied_by = (char *)"test";
		h_cli_error(h, CORDON__MSG_TYPE__MSG_POLICY_APPLY, &a.base,
			    CORDON__ERROR_CODE__ERR_INVALID, msg,
			    sizeof(msg));
	}
	assert_non_null(strstr(msg, "bad.yaml:"));
	assert_int_equal(h_poll_answer(h, 1), 0);
	assert_int_equal(h_apply(h, YAML_DENY), 2);
	assert_int_equal(h_poll_answer(h, 1), 2);
	assert_int_equal(h->d.counters[CD_POLICIES], 2);
	/* A restart hands out the latest version. */
	h_restart(h, H_ALL);
	assert_int_equal(h_policy_get(h, &out)->version, 2);
	wire_msg_free(&out);
}

/* A version a dataplane refused is not offered to it again. */
static void
test_refused_not_offered(void **state)
{
	Cordon__Poll p = CORDON__POLL__INIT;
	struct wire_msg out;
	struct h *h = *state;

	h_up(h);
	p.dataplane_id = (char *)"gw0";
	p.policy_version = 0;
	p.wait_ms = 30000;
	p.rejected_version = 1;
	p.rejected_reason = (char *)"signed by an unknown key";
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 1, H_DP_PIPE,
				CORDON__MSG_TYPE__MSG_POLL, &p.base, &out), 1);
	assert_int_equal(h_poll_answer(h, 1), 0);
	/* The next version is. */
	assert_int_equal(h_apply(h, YAML_DENY), 2);
	assert_int_equal(h_poll_answer(h, 1), 2);
}

static void
test_push(void **state)
{
	Cordon__Policy pol = CORDON__POLICY__INIT;
	Cordon__Segment seg = CORDON__SEGMENT__INIT, *segs[1] = { &seg };
	struct wire_msg out;
	char msg[256];
	struct h *h = *state;

	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	/* No segment named default_segment: the dataplane would refuse. */
	pol.version = 1;
	pol.default_segment = 1;
	pol.quarantine_segment = 1;
	pol.comment = (char *)"pushed";
	h_cli_error(h, CORDON__MSG_TYPE__MSG_POLICY, &pol.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	seg.id = 1;
	seg.name = (char *)"all";
	pol.n_segments = 1;
	pol.segments = segs;
	/* Its version is raised above the current one. */
	assert_int_equal(h_cli_ack(h, CORDON__MSG_TYPE__MSG_POLICY,
				   &pol.base), 2);
	assert_string_equal(h_policy_get(h, &out)->comment, "pushed");
	wire_msg_free(&out);
}

static void
test_history_diff_rollback(void **state)
{
	Cordon__PolicyHistoryRequest hr = CORDON__POLICY_HISTORY_REQUEST__INIT;
	Cordon__PolicyDiffRequest dr = CORDON__POLICY_DIFF_REQUEST__INIT;
	Cordon__PolicyRollback rb = CORDON__POLICY_ROLLBACK__INIT;
	const Cordon__PolicyHistory *hist;
	struct wire_msg out;
	struct h *h = *state;

	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	assert_int_equal(h_apply(h, YAML_DENY), 2);
	dr.from_version = 1;
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_POLICY_DIFF, &dr.base,
	       CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY, &out);
	assert_non_null(strstr(((Cordon__PolicyDiff *)out.payload)->diff,
			       "-    default: allow\n"));
	wire_msg_free(&out);
	dr.from_version = 9;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_POLICY_DIFF, &dr.base,
		    CORDON__ERROR_CODE__ERR_NOT_FOUND, NULL, 0);

	rb.version = 1;
	rb.applied_by = (char *)"test";
	assert_int_equal(h_cli_ack(h, CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK,
				   &rb.base), 3);
	rb.version = 7;
	h_cli_error(h, CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK, &rb.base,
		    CORDON__ERROR_CODE__ERR_NOT_FOUND, NULL, 0);

	hist = h_cli(h, CORDON__MSG_TYPE__MSG_POLICY_HISTORY, &hr.base,
		     CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &out);
	assert_int_equal(hist->n_versions, 3);
	assert_int_equal(hist->versions[0]->version, 3);	/* newest */
	assert_int_equal(hist->versions[0]->rollback_of, 1);
	assert_string_equal(hist->versions[0]->applied_by, "test");
	assert_string_equal(hist->versions[2]->comment, "test");
	wire_msg_free(&out);
	/* The counts, read off the wire bytes, are the compiled policy's. */
	assert_int_equal(h_apply(h, YAML_RICH), 4);
	hist = h_cli(h, CORDON__MSG_TYPE__MSG_POLICY_HISTORY, &hr.base,
		     CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &out);
	assert_int_equal(hist->versions[0]->version, 4);
	{
		uint32_t rules = hist->versions[0]->rules;
		uint32_t devices = hist->versions[0]->devices;
		uint32_t quarantined = hist->versions[0]->quarantined;
		struct wire_msg cur;
		const Cordon__Policy *pol;

		wire_msg_free(&out);
		pol = h_policy_get(h, &cur);
		print_message("v4: %u rules, %u devices, %u quarantined\n",
			      rules, devices, quarantined);
		assert_true(pol->n_rules > 0 && pol->n_devices > 0);
		assert_int_equal(rules, pol->n_rules);
		assert_int_equal(devices, pol->n_devices);
		assert_int_equal(quarantined, pol->n_quarantined);
		wire_msg_free(&cur);
	}
	/* A page: 2 versions older than 4, and how many in all. */
	hr.limit = 2;
	hr.before_version = 4;
	hist = h_cli(h, CORDON__MSG_TYPE__MSG_POLICY_HISTORY, &hr.base,
		     CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &out);
	assert_int_equal(hist->n_versions, 2);
	assert_int_equal(hist->versions[0]->version, 3);
	assert_int_equal(hist->versions[1]->version, 2);
	assert_int_equal(hist->total, 4);
	wire_msg_free(&out);
}

static void
test_quarantine(void **state)
{
	Cordon__Quarantine q = CORDON__QUARANTINE__INIT;
	const Cordon__Policy *pol;
	struct wire_msg out;
	char msg[256];
	struct h *h = *state;

	q.mac.data = (uint8_t *)cam;
	q.mac.len = 6;
	q.reason = (char *)"scanning";
	q.by = (char *)"test";
	/* No policy yet: recorded, in force with the first. */
	assert_int_equal(h_cli_ack(h, CORDON__MSG_TYPE__MSG_QUARANTINE,
				   &q.base), 0);
	h_cli_error(h, CORDON__MSG_TYPE__MSG_QUARANTINE, &q.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	assert_string_equal(msg, "already quarantined");
	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	pol = h_policy_get(h, &out);
	assert_int_equal(pol->n_quarantined, 1);
	assert_memory_equal(pol->quarantined[0].data, cam, 6);
	wire_msg_free(&out);

	q.release = true;
	assert_int_equal(h_cli_ack(h, CORDON__MSG_TYPE__MSG_QUARANTINE,
				   &q.base), 2);
	assert_int_equal(h_policy_get(h, &out)->n_quarantined, 0);
	wire_msg_free(&out);
	h_cli_error(h, CORDON__MSG_TYPE__MSG_QUARANTINE, &q.base,
		    CORDON__ERROR_CODE__ERR_INVALID, msg, sizeof(msg));
	assert_string_equal(msg, "not quarantined");
	q.mac.data = (uint8_t *)"\x01\x00\x5e\x00\x00\x01";
	h_cli_error(h, CORDON__MSG_TYPE__MSG_QUARANTINE, &q.base,
		    CORDON__ERROR_CODE__ERR_INVALID, NULL, 0);
	assert_int_equal(h_events(h, CTL_STORE_EV_QUARANTINE, NULL, 0), 1);
	assert_int_equal(h_events(h, CTL_STORE_EV_RELEASE, NULL, 0), 1);
}


/* A device its dataplane no longer reports (forgotten for its silence,
 * --device-retire, or behind a dataplane that restarted) keeps the segment
 * its identity gave it: the next version is compiled with what the store
 * remembers of it, beside what is reported now. */
static void
test_device_away(void **state)
{
	static const uint8_t cam2[6] = { 2, 0, 0, 0, 0xca, 2 };
	struct h *h = *state;
	struct wire_msg out;
	const Cordon__Policy *pol;

	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_report(h, "gw0", 1, cam, "");
	assert_int_equal(h_apply(h, H_TYPE_POLICY("type-confidence: 50\n")), 1);
	pol = h_policy_get(h, &out);
	assert_int_equal(h_assigned(pol, cam), 1);
	wire_msg_free(&out);
	/* The next report lists another camera only. */
	h_report(h, "gw0", 2, cam2, "");
	assert_int_equal(h_apply(h, H_TYPE_POLICY("type-confidence: 50\n")), 2);
	pol = h_policy_get(h, &out);
	assert_int_equal(h_assigned(pol, cam), 1);
	assert_int_equal(h_assigned(pol, cam2), 1);
	assert_int_equal(pol->n_devices, 2);
	wire_msg_free(&out);
}

TEST_MAIN(
	H_TEST(test_device_away),
	H_TEST(test_apply_wakes_polls),
	H_TEST(test_refused_not_offered),
	H_TEST(test_push),
	H_TEST(test_history_diff_rollback),
	H_TEST(test_quarantine))
