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

/*
 * A dataplane runs a version the store does not have (a store restored
 * from a backup taken before it): cordond makes none of those numbers
 * again, and makes what the store holds the next version, above the
 * dataplane's, which the dataplane's poll gets at once. An empty store
 * waits for a policy, and numbers it above. A version beyond belief is
 * not believed.
 */
static void
test_store_behind(void **state)
{
	char detail[512];
	struct wire_msg out;
	struct h *h = *state;

	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	h_hello(h, "gw0", H_DP_PIPE, 5);
	assert_int_equal(h->d.policy->version, 6);
	assert_int_equal(h_events(h, CTL_STORE_EV_POLICY_UNKNOWN, detail,
				  sizeof(detail)), 1);
	assert_string_equal(detail, "{\"version\":5,\"store_latest\":1}");
	assert_int_equal(h_poll(h, 1, "gw0", 5, 1000, &out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_POLL_REPLY);
	assert_int_equal(((Cordon__PollReply *)out.payload)->policy->version,
			 6);
	wire_msg_free(&out);
	/* In force: nothing more to do, at the hello or the polls. */
	h_hello(h, "gw0", H_DP_PIPE, 6);
	assert_int_equal(h_poll(h, 1, "gw0", 6, 1000, &out), 1);
	assert_int_equal(h->d.policy->version, 6);
	/* A change is numbered after it, as usual. */
	assert_int_equal(h_apply(h, H_POLICY_YAML), 7);
	/* Another dataplane, behind: nothing is made for it. */
	h_hello(h, "gw1", H_DP_PIPE + 1, 2);
	assert_int_equal(h->d.policy->version, 7);
	/* Not believed: nothing made, said once. */
	h_hello(h, "gw1", H_DP_PIPE + 1, 7 + (1ull << 41));
	assert_int_equal(h->d.policy->version, 7);
	assert_int_equal(h->d.version_disbelieved, 7 + (1ull << 41));
	assert_int_equal(h_apply(h, H_POLICY_YAML), 8);
	assert_int_equal(h_events(h, CTL_STORE_EV_POLICY_UNKNOWN, NULL, 0),
			 1);
	/* Nor can claims each within 2^40 of the last ratchet the
	 * versions up to 2^63 (the store's limit): as if many had, the
	 * store near 2^62, a claim just above it is not believed. */
	assert_true(ctl_state_version_floor(&h->d.state, (1ull << 62) - 8));
	assert_int_equal(h_apply(h, H_POLICY_YAML), (1ull << 62) - 7);
	h_hello(h, "gw1", H_DP_PIPE + 1, (1ull << 62) + 1);
	assert_int_equal(h->d.version_disbelieved, (1ull << 62) + 1);
	assert_int_equal(h->d.policy->version, (1ull << 62) - 7);

	/* A store with no policy: the dataplane keeps its own until one is
	 * applied, which is numbered above it. */
	h_close(h);
	h_open(h, H_ALL);
	h_hello(h, "gw0", H_DP_PIPE, 41);
	assert_null(h->d.policy);
	assert_int_equal(h_events(h, CTL_STORE_EV_POLICY_UNKNOWN, NULL, 0),
			 1);
	assert_int_equal(h_apply(h, H_POLICY_YAML), 42);
}

/* Over tls+tcp: a dataplane with its certificate's proof of its id. */
struct prover {
	struct wire_id *w;
	ProtobufCBinaryData proof;
	ProtobufCBinaryData *chain;
	size_t n_chain;
};

static void
prover_load(struct prover *p, const char *dir, const char *id,
	    const char *as)
{
	char cert[160], err[256];

	snprintf(cert, sizeof(cert), "%s/dataplane-%s.pem", dir, id);
	assert_int_equal(wire_id_load(cert, NULL, &p->w, err, sizeof(err)),
			 0);
	/* The run of h_hello_boot(..., 5): boot 5, started 1000. */
	assert_int_equal(wire_id_prove(p->w, as, 5, 1000, &p->proof, err,
				       sizeof(err)), 0);
	p->n_chain = wire_id_chain(p->w, &p->chain);
}

static void
prover_free(struct prover *p)
{
	free(p->proof.data);
	wire_id_free(p->w);
}

/* A hello of id on pipe, from run boot (started 1000) of pid, with p's
 * proof (p NULL: none); its reply type and the error's text in msg. */
static Cordon__MsgType
hello_as(struct h *h, const char *id, uint32_t pipe, uint64_t boot,
	 uint32_t pid, const struct prover *p, char *msg, size_t len)
{
	Cordon__Hello hello = CORDON__HELLO__INIT;
	struct wire_msg out;
	Cordon__MsgType t;

	hello.dataplane_id = (char *)id;
	hello.sw_version = (char *)"test";
	hello.proto_version = WIRE_VERSION;
	hello.started_unix_ms = 1000;
	hello.pid = pid;
	hello.boot_id = boot;
	if (p != NULL) {
		hello.n_cert_chain = p->n_chain;
		hello.cert_chain = p->chain;
		hello.id_proof = p->proof;
	}
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, pipe,
				CORDON__MSG_TYPE__MSG_HELLO, &hello.base,
				&out), 0);
	t = out.type;
	snprintf(msg, len, "%s", t == CORDON__MSG_TYPE__MSG_ERROR ?
		 ((Cordon__Error *)out.payload)->message : "");
	wire_msg_free(&out);
	return t;
}

static Cordon__MsgType
hello_proving(struct h *h, const char *id, uint32_t pipe,
	      const struct prover *p, char *msg, size_t len)
{
	return hello_as(h, id, pipe, 5, 42, p, msg, len);
}

/*
 * A poll of gw0 on pipe from run boot (wire minor 6; 0: none said), with
 * p's proof: 1 parked (taken), 0 answered (refused), the Error's code in
 * *code (may be NULL).
 */
static int
poll_as(struct h *h, int conn, uint32_t pipe, uint64_t boot,
	const struct prover *p, Cordon__ErrorCode *code)
{
	Cordon__Poll poll = CORDON__POLL__INIT;
	struct wire_msg out;
	int rc;

	poll.dataplane_id = (char *)"gw0";
	poll.wait_ms = 60000;
	poll.rejected_reason = (char *)"";
	poll.boot_id = boot;
	if (p != NULL) {
		poll.n_cert_chain = p->n_chain;
		poll.cert_chain = p->chain;
		poll.id_proof = p->proof;
	}
	rc = h_send(h, CD_EP_DATAPLANE, conn, pipe, CORDON__MSG_TYPE__MSG_POLL,
		    &poll.base, &out);
	if (rc == 0) {
		assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ERROR);
		if (code != NULL)
			*code = ((Cordon__Error *)out.payload)->code;
		wire_msg_free(&out);
	}
	return rc;
}

static int
poll_proving(struct h *h, int conn, uint32_t pipe, const struct prover *p)
{
	return poll_as(h, conn, pipe, 0, p, NULL);
}

/*
 * Over tls+tcp a dataplane proves the id it says: another dataplane's
 * certificate cannot take it over, in its hello or its polls, nor can a
 * peer without one; --tls-id-optional takes one that cannot prove on its
 * word, but never in place of one that did. Its prompts come on its hello
 * connection only.
 */
static void
test_id_proof(void **state)
{
	Cordon__AskReport ask = CORDON__ASK_REPORT__INIT;
	struct prover gw0, gw1, gw1_as_gw0;
	struct h *h = *state;
	char dir[64], cmd[512], err[256], msg[400];
	struct wire_msg out;

	test_mkdtemp(dir, "cd-id");
	snprintf(cmd, sizeof(cmd), "bash %s/scripts/make-certs.sh --client gw0 "
		 "--client gw1 %s >/dev/null", test_src_root, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/ca.crt", dir);
	assert_int_equal(wire_id_verifier_load(cmd, &h->d.id_verifier, err,
					       sizeof(err)), 0);
	prover_load(&gw0, dir, "gw0", "gw0");
	prover_load(&gw1, dir, "gw1", "gw1");
	prover_load(&gw1_as_gw0, dir, "gw1", "gw0");

	assert_int_equal(hello_proving(h, "gw0", H_DP_PIPE, &gw0, msg,
				       sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);
	assert_true(ctl_registry_find(&h->d.reg, "gw0")->id_proven);
	/* gw1's certificate speaking for gw0, and no certificate at all. */
	assert_int_equal(hello_proving(h, "gw0", H_DP_PIPE + 1, &gw1_as_gw0,
				       msg, sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "'gw1' (CN), not 'gw0'"));
	assert_int_equal(hello_proving(h, "gw0", H_DP_PIPE + 1, NULL, msg,
				       sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "proved its id before"));
	assert_int_equal(hello_proving(h, "gw9", H_DP_PIPE + 1, NULL, msg,
				       sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "no proof"));
	/* Still gw0's own connection; gw1 as itself is welcome. */
	assert_int_equal(ctl_registry_find(&h->d.reg, "gw0")->pipe_id,
			 H_DP_PIPE);
	assert_int_equal(h->d.counters[CD_ID_REFUSED], 3);
	assert_int_equal(hello_proving(h, "gw1", H_DP_PIPE + 2, &gw1, msg,
				       sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);

	/* Polls, on a connection of their own. */
	assert_int_equal(poll_proving(h, 1, H_DP_PIPE + 3, NULL), 0);
	assert_int_equal(poll_proving(h, 1, H_DP_PIPE + 3, &gw1_as_gw0), 0);
	assert_int_equal(poll_proving(h, 1, H_DP_PIPE + 3, &gw0), 1);
	/* Proven once per connection; another connection proves again. */
	assert_int_equal(poll_proving(h, 2, H_DP_PIPE + 3, NULL), 1);
	assert_int_equal(poll_proving(h, 3, H_DP_PIPE + 4, NULL), 0);
	assert_int_equal(h->d.counters[CD_ID_REFUSED], 6);

	/* Prompts: only on its hello's connection. */
	ask.dataplane_id = (char *)"gw0";
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, H_DP_PIPE + 1,
				CORDON__MSG_TYPE__MSG_ASK_REPORT, &ask.base,
				&out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ERROR);
	assert_int_equal(((Cordon__Error *)out.payload)->code,
			 CORDON__ERROR_CODE__ERR_NOT_REGISTERED);
	wire_msg_free(&out);
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, H_DP_PIPE,
				CORDON__MSG_TYPE__MSG_ASK_REPORT, &ask.base,
				&out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ACK);
	wire_msg_free(&out);

	/* --tls-id-optional: an old dataplane on its word, not a usurper. */
	h->d.conf.tls_id_optional = true;
	assert_int_equal(hello_proving(h, "gw2", H_DP_PIPE + 5, NULL, msg,
				       sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);
	assert_false(ctl_registry_find(&h->d.reg, "gw2")->id_proven);
	assert_int_equal(hello_proving(h, "gw0", H_DP_PIPE + 6, NULL, msg,
				       sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "proved its id before"));
	/* A proof that is there but wrong is refused all the same. */
	assert_int_equal(hello_proving(h, "gw3", H_DP_PIPE + 6, &gw1_as_gw0,
				       msg, sizeof(msg)),
			 CORDON__MSG_TYPE__MSG_ERROR);

	prover_free(&gw1_as_gw0);
	prover_free(&gw1);
	prover_free(&gw0);
	test_rmtree(dir);
}

#define GW0_MSG 400

/* test_id_conflict's two runs of one id: run 0 is boot 7 as pid 41, run 1
 * boot 8 as pid 42. */
static int
gw0_hello(struct h *h, uint32_t pipe, unsigned int run, char msg[GW0_MSG])
{
	return hello_as(h, "gw0", pipe, 7 + run, 41 + run, NULL, msg, GW0_MSG);
}

/*
 * Two gateways given one id: the run that holds it keeps it while it is
 * heard on its connection, the other is refused and told why, counted
 * and recorded; its polls are not taken for the holder's. The holder
 * reconnecting, gone, or gone quiet lets the other in.
 */
static void
test_id_conflict(void **state)
{
	Cordon__ErrorCode code = CORDON__ERROR_CODE__ERR_NONE;
	char msg[GW0_MSG], detail[512];
	struct h *h = *state;
	struct ctl_dp *dp;

	assert_int_equal(gw0_hello(h, H_DP_PIPE, 0, msg),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);
	assert_int_equal(gw0_hello(h, H_DP_PIPE + 1, 1, msg),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "in use by another dataplane (pid 41"));
	assert_non_null(strstr(msg, "its own --id"));
	assert_int_equal(gw0_hello(h, H_DP_PIPE + 1, 1, msg),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_int_equal(h->d.counters[CD_ID_CONFLICTS], 2);
	assert_int_equal(h->d.counters[CD_HELLOS], 1);
	/* Said once (the log's pace), not at every refusal. */
	assert_int_equal(h_events(h, CTL_STORE_EV_DP_ID_CONFLICT, detail,
				  sizeof(detail)), 1);
	assert_non_null(strstr(detail, "\"pid\":42,\"holder_pid\":41"));
	dp = ctl_registry_find(&h->d.reg, "gw0");
	assert_int_equal(dp->pipe_id, H_DP_PIPE);
	assert_int_equal(dp->hello->pid, 41);

	/* Polls: the other run's is refused, the holder's parks, and one
	 * older than wire minor 6 says no run. */
	assert_int_equal(poll_as(h, 1, H_DP_PIPE + 9, 8, NULL, &code), 0);
	assert_int_equal(code, CORDON__ERROR_CODE__ERR_NOT_REGISTERED);
	assert_int_equal(poll_as(h, 1, H_DP_PIPE + 9, 7, NULL, &code), 1);
	assert_int_equal(poll_as(h, 2, H_DP_PIPE + 9, 0, NULL, &code), 1);

	/* The holder, reconnected: the same run. */
	assert_int_equal(gw0_hello(h, H_DP_PIPE + 2, 0, msg),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);
	/* Gone quiet on a connection still open (a gateway that lost power
	 * says nothing): the other takes the id. */
	dp = ctl_registry_find(&h->d.reg, "gw0");
	dp->heard_unix_ms -= 11000;
	assert_int_equal(gw0_hello(h, H_DP_PIPE + 1, 1, msg),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);
	/* And holds it now: the first, back, is refused until it leaves. */
	assert_int_equal(gw0_hello(h, H_DP_PIPE + 3, 0, msg),
			 CORDON__MSG_TYPE__MSG_ERROR);
	assert_non_null(strstr(msg, "(pid 42"));
	cd_pipe(&h->d, H_DP_PIPE + 1, false);
	assert_int_equal(gw0_hello(h, H_DP_PIPE + 3, 0, msg),
			 CORDON__MSG_TYPE__MSG_HELLO_ACK);
	assert_int_equal(h->d.counters[CD_ID_CONFLICTS], 3);
	assert_int_equal(h->d.counters[CD_HELLOS], 4);
}

TEST_MAIN(
	H_TEST(test_hello),
	H_TEST(test_boots),
	H_TEST(test_id_proof),
	H_TEST(test_id_conflict),
	cmocka_unit_test(test_reports),
	H_TEST(test_poll_parks_and_expires),
	H_TEST(test_poll_events),
	H_TEST(test_store_behind),
	H_TEST(test_disconnect))
