/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's handler tables without sockets: a struct cordond on a fresh
 * state directory (SQLite file in /tmp), the features under test
 * registered as main() registers them, and requests handed to cd_handle()
 * as encoded envelopes on a chosen connection and nng pipe, exactly as
 * they come off the wire. Replies are decoded with wire_unpack().
 */

#ifndef CORDON_TEST_CD_HARNESS_H
#define CORDON_TEST_CD_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cd.h"
#include "mud_cam.h"
#include "test_main.h"
#include "wire.h"

/* A policy source that compiles: one segment, also the quarantine. */
#define H_POLICY_YAML \
	"comment: test\n" \
	"segments:\n" \
	"  - name: all\n" \
	"    default: allow\n" \
	"default-segment: all\n" \
	"quarantine-segment: all\n"

#define H_DP_PIPE 7

struct h {
	char dir[64];
	struct cd_conf conf;
	struct cordond d;
	uint64_t next_req;
};

/* Every feature but backups and the console's, in cordond.c's order
 * (hooks run in this order). */
static const struct cd_feature *const h_all_features[] = {
	&cd_dataplane_feature, &cd_reports_feature, &cd_policy_feature,
	&cd_mud_feature,
	&cd_flows_feature, &cd_status_feature, &cd_events_feature,
	&cd_prompt_feature, &cd_alerts_feature, &cd_retention_feature,
};

#define H_ALL h_all_features, \
	sizeof(h_all_features) / sizeof(h_all_features[0])

static inline void
h_conf(struct h *h)
{
	memset(&h->conf, 0, sizeof(h->conf));
	snprintf(h->conf.rundir, sizeof(h->conf.rundir), "%s", h->dir);
	snprintf(h->conf.statedir, sizeof(h->conf.statedir), "%s/state",
		 h->dir);
	snprintf(h->conf.mud_dir, sizeof(h->conf.mud_dir), "%s/mud", h->dir);
	h->conf.inventory_refresh_s = 60;
	h->conf.prompt_timeout_s = 300;
	h->conf.prompt_max_per_device = 8;
	h->conf.mud_accept_unsigned = true;
}

/* cordond on a new state directory; conf may be adjusted in between. */
static inline void
h_start(struct h *h, const struct cd_feature *const *f, size_t n)
{
	char err[512];

	for (size_t i = 0; i < n; i++) {
		int rc = cd_register(&h->d, f[i], err, sizeof(err));

		if (rc < 0)
			fail_msg("register %s: %s", f[i]->name, err);
	}
}

static inline void
h_open_conf(struct h *h, const struct cd_feature *const *f, size_t n)
{
	char err[512];

	if (cd_init(&h->d, &h->conf, err, sizeof(err)) < 0)
		fail_msg("cd_init: %s", err);
	h_start(h, f, n);
}

/* A new state directory and the default conf, to adjust before
 * h_open_conf(). */
static inline void
h_prepare(struct h *h)
{
	memset(h, 0, sizeof(*h));
	test_mkdtemp(h->dir, "cd");
	h_conf(h);
}

static inline void
h_open(struct h *h, const struct cd_feature *const *f, size_t n)
{
	h_prepare(h);
	h_open_conf(h, f, n);
}

/* cordond with the dataplanes' features and one of the test's own. */
static inline void
h_open_with(struct h *h, const struct cd_feature *f)
{
	const struct cd_feature *const fs[] = {
		&cd_dataplane_feature, &cd_reports_feature, f,
	};

	h_open(h, fs, 3);
}

/* cordond restarted on the same state directory. */
static inline void
h_restart(struct h *h, const struct cd_feature *const *f, size_t n)
{
	cd_fini(&h->d);
	h_open_conf(h, f, n);
}

static inline void
h_close(struct h *h)
{
	cd_fini(&h->d);
	test_rmtree(h->dir);
}

/*
 * The usual fixture: every feature on a fresh directory, in *state.
 * H_TEST(test) runs a test with it.
 */
static inline int
h_setup(void **state)
{
	struct h *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h_open(h, H_ALL);
	*state = h;
	return 0;
}

static inline int
h_teardown(void **state)
{
	h_close(*state);
	free(*state);
	return 0;
}

#define H_TEST(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)

/* Decode a reply (consumed). */
static inline void
h_decode(nng_msg *m, struct wire_msg *out)
{
	struct wire_err err;

	assert_non_null(m);
	if (wire_unpack(nng_msg_body(m), nng_msg_len(m), out, &err) < 0)
		fail_msg("reply does not decode: %s", err.text);
	nng_msg_free(m);
}

/*
 * Hand a request to connection `conn` of ep, as from nng pipe `pipe`.
 * Returns 1 when it was parked (out untouched), else 0 with the decoded
 * reply in out (wire_msg_free() it).
 */
static inline int
h_send_raw(struct h *h, enum cd_ep ep, int conn, uint32_t pipe,
	   const void *buf, size_t len, struct wire_msg *out)
{
	nng_pipe p = { .id = pipe };
	bool parked = false;
	nng_msg *in, *rep;

	assert_int_equal(nng_msg_alloc(&in, 0), 0);
	assert_int_equal(nng_msg_append(in, buf, len), 0);
	nng_msg_set_pipe(in, p);
	rep = cd_handle(&h->d, &h->d.conns[ep][conn], in, &parked);
	nng_msg_free(in);
	if (parked) {
		struct cd_wake w;
		int more, found = 0;

		assert_null(rep);
		/* What cordond.c does next: commit what was batched (a
		 * report), which may answer this request. */
		do {
			more = cd_flush(&h->d, &w);
			for (size_t i = 0; i < w.n; i++) {
				if (w.conn[i] == &h->d.conns[ep][conn] &&
				    w.msg[i] != NULL && !found) {
					h_decode(w.msg[i], out);
					found = 1;
				} else if (w.msg[i] != NULL) {
					nng_msg_free(w.msg[i]);
				}
			}
		} while (more);
		return !found;
	}
	h_decode(rep, out);
	return 0;
}

static inline int
h_send(struct h *h, enum cd_ep ep, int conn, uint32_t pipe,
       Cordon__MsgType type, const ProtobufCMessage *payload,
       struct wire_msg *out)
{
	uint8_t *buf;
	size_t len;
	int rc;

	assert_int_equal(wire_pack(type, ++h->next_req, payload, &buf, &len),
			 0);
	rc = h_send_raw(h, ep, conn, pipe, buf, len, out);
	free(buf);
	return rc;
}

/* A request that must be answered (not parked) with a reply of want;
 * an Error is a failure that names its message. */
static inline void
h_call(struct h *h, enum cd_ep ep, Cordon__MsgType type,
       const ProtobufCMessage *payload, Cordon__MsgType want,
       struct wire_msg *out)
{
	assert_int_equal(h_send(h, ep, 0, H_DP_PIPE, type, payload, out), 0);
	if (out->type == CORDON__MSG_TYPE__MSG_ERROR && want !=
	    CORDON__MSG_TYPE__MSG_ERROR)
		fail_msg("%s: error %s", wire_type_name(type),
			 ((Cordon__Error *)out->payload)->message);
	assert_int_equal(out->type, want);
}

/* h_call() from cordonctl; the reply's payload (free out after). */
static inline const void *
h_cli(struct h *h, Cordon__MsgType type, const ProtobufCMessage *payload,
      Cordon__MsgType want, struct wire_msg *out)
{
	h_call(h, CD_EP_CLI, type, payload, want, out);
	return out->payload;
}

/* The same from cordonctl, expecting an Error of code; its message. */
static inline void
h_cli_error(struct h *h, Cordon__MsgType type,
	    const ProtobufCMessage *payload, Cordon__ErrorCode code,
	    char *msg, size_t len)
{
	struct wire_msg out;
	const Cordon__Error *e;

	h_call(h, CD_EP_CLI, type, payload, CORDON__MSG_TYPE__MSG_ERROR, &out);
	e = (const Cordon__Error *)out.payload;
	if (e->code != code)
		fail_msg("%s: error %d (%s), not %d", wire_type_name(type),
			 e->code, e->message, code);
	if (msg != NULL)
		snprintf(msg, len, "%s", e->message);
	wire_msg_free(&out);
}

/* An Ack from cordonctl's request; its seq. */
static inline uint64_t
h_cli_ack(struct h *h, Cordon__MsgType type, const ProtobufCMessage *payload)
{
	struct wire_msg out;
	uint64_t seq;

	h_call(h, CD_EP_CLI, type, payload, CORDON__MSG_TYPE__MSG_ACK, &out);
	seq = ((const Cordon__Ack *)out.payload)->seq;
	wire_msg_free(&out);
	return seq;
}

/* Apply a YAML source; the version made. */
static inline uint64_t
h_apply(struct h *h, const char *yaml)
{
	Cordon__PolicyApply a = CORDON__POLICY_APPLY__INIT;

	a.source = (char *)yaml;
	a.name = (char *)"test.yaml";
	a.applied_by = (char *)"test";
	return h_cli_ack(h, CORDON__MSG_TYPE__MSG_POLICY_APPLY, &a.base);
}

/* A dataplane says hello on pipe: run boot_id (0: a dataplane older than
 * wire minor 5, keyed by its start time, 1000). */
static inline void
h_hello_boot(struct h *h, const char *id, uint32_t pipe, uint64_t policy,
	     uint64_t boot_id)
{
	Cordon__Hello hello = CORDON__HELLO__INIT;
	struct wire_msg out;

	hello.dataplane_id = (char *)id;
	hello.sw_version = (char *)"test";
	hello.proto_version = WIRE_VERSION;
	hello.workers = 1;
	hello.policy_version = policy;
	hello.started_unix_ms = 1000;
	hello.pid = 42;
	hello.boot_id = boot_id;
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, pipe,
				CORDON__MSG_TYPE__MSG_HELLO, &hello.base,
				&out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_HELLO_ACK);
	wire_msg_free(&out);
}

static inline void
h_hello(struct h *h, const char *id, uint32_t pipe, uint64_t policy)
{
	h_hello_boot(h, id, pipe, policy, 0);
}

/* The usual start: dataplane gw0 connected, H_POLICY_YAML applied as
 * version 1. */
static inline void
h_up(struct h *h)
{
	h_hello(h, "gw0", H_DP_PIPE, 0);
	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
}

/*
 * A dataplane's poll on connection conn (policy in force: have). Returns
 * 1 when parked, else 0 with the reply in out.
 */
static inline int
h_poll(struct h *h, int conn, const char *id, uint64_t have,
       uint32_t wait_ms, struct wire_msg *out)
{
	Cordon__Poll p = CORDON__POLL__INIT;

	p.dataplane_id = (char *)id;
	p.policy_version = have;
	p.wait_ms = wait_ms;
	p.rejected_reason = (char *)"";
	return h_send(h, CD_EP_DATAPLANE, conn, H_DP_PIPE,
		      CORDON__MSG_TYPE__MSG_POLL, &p.base, out);
}

/*
 * Wake once (expire: the watchdog's tick) and find the reply handed to
 * connection conn of ep: 1 with it decoded in out, or 0 when there is
 * none. Replies to other connections are freed.
 */
static inline int
h_wake(struct h *h, bool expire, enum cd_ep ep, int conn,
       struct wire_msg *out)
{
	struct cd_wake w;
	int found = 0;

	cd_wake(&h->d, expire, &w);
	for (size_t i = 0; i < w.n; i++) {
		if (w.conn[i] == &h->d.conns[ep][conn] && !found) {
			h_decode(w.msg[i], out);
			found = 1;
		} else {
			nng_msg_free(w.msg[i]);
		}
	}
	return found;
}

/*
 * The policy version the parked poll of dataplane connection conn is
 * answered with at the next wake; 0 when it is not answered.
 */
static inline uint64_t
h_poll_answer(struct h *h, int conn)
{
	const Cordon__PollReply *pr;
	struct wire_msg out;
	uint64_t v;

	if (!h_wake(h, false, CD_EP_DATAPLANE, conn, &out))
		return 0;
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_POLL_REPLY);
	pr = (const Cordon__PollReply *)out.payload;
	assert_non_null(pr->policy);
	v = pr->policy->version;
	wire_msg_free(&out);
	return v;
}

/* A policy whose type: selector puts cameras (h_report()'s device is one,
 * at 60 %) in segment cams; conf: lines before "devices:". */
#define H_TYPE_POLICY(conf) \
	"segments:\n" \
	"  - name: all\n" \
	"    default: allow\n" \
	"  - name: cams\n" \
	"  - name: q\n" \
	"default-segment: all\n" \
	"quarantine-segment: q\n" \
	conf \
	"devices:\n" \
	"  - type: camera\n" \
	"    segment: cams\n"

/* How many of pol's assignments name mac. */
static inline size_t
h_assigned(const Cordon__Policy *pol, const uint8_t mac[6])
{
	size_t n = 0;

	for (size_t i = 0; i < pol->n_devices; i++)
		if (pol->devices[i]->mac.len == 6 &&
		    memcmp(pol->devices[i]->mac.data, mac, 6) == 0)
			n++;
	return n;
}

/* A stats report with one device of mac (and a MUD URL, or ""), in
 * segment seg (0: none) named seg_name. */
static inline uint64_t
h_report_in(struct h *h, const char *id, uint64_t seq, const uint8_t mac[6],
	    const char *mud_url, uint32_t seg, const char *seg_name)
{
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	Cordon__DeviceStats ds = CORDON__DEVICE_STATS__INIT, *dsp = &ds;
	Cordon__DeviceIdentity id_ = CORDON__DEVICE_IDENTITY__INIT;
	struct wire_msg out;
	uint64_t acked;

	r.dataplane_id = (char *)id;
	r.seq = seq;
	r.uptime_ms = 5000;
	ds.mac.data = (uint8_t *)mac;
	ds.mac.len = 6;
	ds.allowed_packets = 10 * seq;
	ds.first_seen_ms = 100;
	ds.last_seen_ms = 4000;
	ds.segment = seg;
	ds.segment_name = (char *)seg_name;
	id_.vendor = (char *)"Acme";
	id_.vendor_confidence = 80;
	id_.type = (char *)"camera";
	id_.type_confidence = 60;
	id_.mud_url = (char *)mud_url;
	ds.identity = &id_;
	r.n_devices = 1;
	r.devices = &dsp;
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, H_DP_PIPE,
				CORDON__MSG_TYPE__MSG_STATS_REPORT, &r.base,
				&out), 0);
	if (out.type != CORDON__MSG_TYPE__MSG_ACK)
		fail_msg("report %llu: %s", (unsigned long long)seq,
			 out.type == CORDON__MSG_TYPE__MSG_ERROR ?
			 ((Cordon__Error *)out.payload)->message : "?");
	acked = ((const Cordon__Ack *)out.payload)->seq;
	wire_msg_free(&out);
	return acked;
}

static inline uint64_t
h_report(struct h *h, const char *id, uint64_t seq, const uint8_t mac[6],
	 const char *mud_url)
{
	return h_report_in(h, id, seq, mac, mud_url, 0, "");
}

/* How many events of kind the store holds. */
struct h_count {
	const char *kind;
	int n;
	char last_detail[512];
};

static inline int
h_count_cb(const struct ctl_store_event *e, void *arg)
{
	struct h_count *c = arg;

	if (strcmp(e->kind, c->kind) == 0) {
		c->n++;
		snprintf(c->last_detail, sizeof(c->last_detail), "%s",
			 e->detail_json ? e->detail_json : "");
	}
	return 0;
}

static inline int
h_events(struct h *h, const char *kind, char *last, size_t len)
{
	struct h_count c = { .kind = kind };

	assert_int_equal(ctl_store_events(h->d.state.st, 0, 0, h_count_cb,
					  &c), 0);
	if (last != NULL)
		snprintf(last, len, "%s", c.last_detail);
	return c.n;
}

#endif /* CORDON_TEST_CD_HARNESS_H */
