/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_reports.c: reports stored by group commit. Reports parked on several
 * connections go in one commit, each acknowledged with its own mark after
 * it; a commit that fails answers every report of it with an error and
 * stores none; threads that hand in reports while another commits get
 * their answers from that one, none left behind.
 */

#include <inttypes.h>
#include <pthread.h>

#include <sqlite3.h>

#include "cd_harness.h"
#include "test_main.h"

/* A report of dataplane id on connection conn (pipe), as cordond.c hands
 * it to the core: 1 parked, or 0 with the reply in out. No flush. */
static int
park_report(struct h *h, int conn, uint32_t pipe, const char *id,
	    uint64_t seq, struct wire_msg *out)
{
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	nng_pipe p = { .id = pipe };
	bool parked = false;
	uint8_t *buf;
	size_t len;
	nng_msg *in, *rep;

	r.dataplane_id = (char *)id;
	r.seq = seq;
	r.uptime_ms = 1000 + seq;
	assert_int_equal(wire_pack(CORDON__MSG_TYPE__MSG_STATS_REPORT,
				   ++h->next_req, &r.base, &buf, &len), 0);
	assert_int_equal(nng_msg_alloc(&in, 0), 0);
	assert_int_equal(nng_msg_append(in, buf, len), 0);
	free(buf);
	nng_msg_set_pipe(in, p);
	rep = cd_handle(&h->d, &h->d.conns[CD_EP_DATAPLANE][conn], in,
			&parked);
	nng_msg_free(in);
	if (parked)
		return 1;
	h_decode(rep, out);
	return 0;
}

/* The answer of connection conn in w, decoded (NULL type 0: none). */
static void
answer_of(struct h *h, struct cd_wake *w, int conn, struct wire_msg *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < w->n; i++)
		if (w->conn[i] == &h->d.conns[CD_EP_DATAPLANE][conn]) {
			h_decode(w->msg[i], out);
			w->msg[i] = NULL;
		}
}

static void
free_answers(struct cd_wake *w)
{
	for (size_t i = 0; i < w->n; i++)
		nng_msg_free(w->msg[i]);
	w->n = 0;
}

static uint64_t
marks(struct h *h, const char *id)
{
	uint64_t m = 0;

	if (ctl_store_report_mark(h->d.state.st, id, 5, &m) < 0)
		return 0;
	return m;
}

/* Eight dataplanes' reports, parked, then one commit for all. */
static void
test_one_commit(void **state)
{
	struct h *h = *state;
	struct wire_msg out;
	struct cd_wake w;
	char id[16];

	for (int i = 0; i < 8; i++) {
		snprintf(id, sizeof(id), "gw%d", i);
		h_hello_boot(h, id, H_DP_PIPE + i, 0, 5);
	}
	for (int i = 0; i < 8; i++) {
		snprintf(id, sizeof(id), "gw%d", i);
		assert_int_equal(park_report(h, i, H_DP_PIPE + i, id,
					     10 + i, &out), 1);
	}
	/* Nothing stored before the commit: nothing acknowledged. */
	assert_int_equal(marks(h, "gw0"), 0);
	assert_int_equal(h->d.counters[CD_REPORTS], 0);

	assert_int_equal(cd_flush(&h->d, &w), 1);
	assert_int_equal(w.n, 8);
	for (int i = 0; i < 8; i++) {
		answer_of(h, &w, i, &out);
		assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ACK);
		assert_int_equal(((Cordon__Ack *)out.payload)->seq,
				 (uint64_t)(10 + i));
		wire_msg_free(&out);
	}
	free_answers(&w);
	assert_int_equal(cd_flush(&h->d, &w), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(h->d.counters[CD_REPORT_COMMITS], 1);
	assert_int_equal(h->d.counters[CD_REPORTS], 8);
	assert_int_equal(marks(h, "gw7"), 17);
	/* The registry has each as the latest. */
	assert_int_equal(ctl_registry_find(&h->d.reg, "gw3")->report->seq, 13);

	/* A retransmission and a new one in one batch. */
	assert_int_equal(park_report(h, 0, H_DP_PIPE, "gw0", 10, &out), 1);
	assert_int_equal(park_report(h, 1, H_DP_PIPE + 1, "gw1", 12, &out),
			 1);
	assert_int_equal(cd_flush(&h->d, &w), 1);
	answer_of(h, &w, 0, &out);
	assert_int_equal(((Cordon__Ack *)out.payload)->seq, 10);
	wire_msg_free(&out);
	answer_of(h, &w, 1, &out);
	assert_int_equal(((Cordon__Ack *)out.payload)->seq, 12);
	wire_msg_free(&out);
	free_answers(&w);
	assert_int_equal(h->d.counters[CD_REPORTS_DUP], 1);
	assert_int_equal(h->d.counters[CD_REPORTS], 9);
	assert_int_equal(h->d.counters[CD_REPORT_COMMITS], 2);

	/* Not registered on that connection: answered at once. */
	assert_int_equal(park_report(h, 2, H_DP_PIPE + 5, "gw2", 20, &out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ERROR);
	wire_msg_free(&out);
}

/* A batch's answers: each connection's error code, 0 for an ack. */
static void
codes_of(struct h *h, struct cd_wake *w, int n, int *code)
{
	struct wire_msg out;

	for (int i = 0; i < n; i++) {
		answer_of(h, w, i, &out);
		assert_true(out.type == CORDON__MSG_TYPE__MSG_ERROR ||
			    out.type == CORDON__MSG_TYPE__MSG_ACK);
		code[i] = out.type == CORDON__MSG_TYPE__MSG_ACK ? 0 :
			(int)((Cordon__Error *)out.payload)->code;
		wire_msg_free(&out);
	}
	free_answers(w);
}

/*
 * The store fails a batch: none of it is stored, each report is told to
 * come again, cordond is degraded; sent again, they go in. The store
 * refuses one report for good: that one alone is refused (the dataplane
 * drops it), the others of its batch are stored.
 */
static void
test_failed_commit(void **state)
{
	char db[4200], *msg = NULL;
	struct h *h = *state;
	struct wire_msg out;
	struct cd_wake w;
	sqlite3 *raw;
	int code[2];

	h_hello_boot(h, "gw0", H_DP_PIPE, 0, 5);
	h_hello_boot(h, "gw1", H_DP_PIPE + 1, 0, 5);
	snprintf(db, sizeof(db), "%s/cordond.db", h->conf.statedir);
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	if (sqlite3_exec(raw, "CREATE TRIGGER boom BEFORE INSERT ON report "
			 "WHEN NEW.seq = 666 BEGIN "
			 "SELECT abs(-9223372036854775808); END",
			 NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", db, msg);
	assert_int_equal(park_report(h, 0, H_DP_PIPE, "gw0", 1, &out), 1);
	assert_int_equal(park_report(h, 1, H_DP_PIPE + 1, "gw1", 666, &out),
			 1);
	assert_int_equal(cd_flush(&h->d, &w), 1);
	codes_of(h, &w, 2, code);
	assert_int_equal(code[0], CORDON__ERROR_CODE__ERR_INTERNAL);
	assert_int_equal(code[1], CORDON__ERROR_CODE__ERR_INTERNAL);
	assert_int_equal(marks(h, "gw0"), 0);
	assert_int_equal(h->d.counters[CD_REPORTS], 0);
	assert_int_equal(h->d.counters[CD_REPORT_COMMITS], 0);
	assert_int_not_equal(h->d.store_health.reason[0], '\0');

	if (sqlite3_exec(raw, "DROP TRIGGER boom; CREATE TRIGGER boom BEFORE "
			 "INSERT ON report WHEN NEW.seq = 666 BEGIN "
			 "SELECT RAISE(ABORT, 'boom'); END", NULL, NULL,
			 &msg) != SQLITE_OK)
		fail_msg("%s: %s", db, msg);
	sqlite3_close(raw);
	assert_int_equal(park_report(h, 0, H_DP_PIPE, "gw0", 1, &out), 1);
	assert_int_equal(park_report(h, 1, H_DP_PIPE + 1, "gw1", 666, &out),
			 1);
	assert_int_equal(cd_flush(&h->d, &w), 1);
	codes_of(h, &w, 2, code);
	assert_int_equal(code[0], 0);
	assert_int_equal(code[1], CORDON__ERROR_CODE__ERR_INVALID);
	assert_int_equal(marks(h, "gw0"), 1);
	assert_int_equal(marks(h, "gw1"), 0);
	assert_int_equal(h->d.counters[CD_REPORTS], 1);
	assert_int_equal(h->d.store_health.reason[0], '\0');
}

static int
last_seen_cb(const struct ctl_store_device *d, void *arg)
{
	*(uint64_t *)arg = d->last_seen_ms;
	return 0;
}

/*
 * cordond was away: the dataplane's hello says its uptime (an hour), and
 * the report that waited in its queue (made at 50 min) goes in dated ten
 * minutes back, its device last heard 10 s before that; not as if both
 * were heard now.
 */
static void
test_queued_dated(void **state)
{
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	Cordon__DeviceStats ds = CORDON__DEVICE_STATS__INIT, *dsp = &ds;
	Cordon__Hello hello = CORDON__HELLO__INIT;
	struct h *h = *state;
	uint64_t t0, t1, seen = 0;
	struct wire_msg out;

	hello.dataplane_id = (char *)"gw0";
	hello.sw_version = (char *)"test";
	hello.proto_version = WIRE_VERSION;
	hello.started_unix_ms = 1000;
	hello.boot_id = 5;
	hello.uptime_ms = 3600000;
	t0 = util_time_now_ms();
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_HELLO, &hello.base,
	       CORDON__MSG_TYPE__MSG_HELLO_ACK, &out);
	wire_msg_free(&out);
	r.dataplane_id = (char *)"gw0";
	r.seq = 1;
	r.uptime_ms = 3000000;
	ds.mac.data = (uint8_t *)cam;
	ds.mac.len = 6;
	ds.allowed_packets = 10;
	ds.first_seen_ms = 100;
	ds.last_seen_ms = 2990000;
	r.n_devices = 1;
	r.devices = &dsp;
	assert_int_equal(h_send(h, CD_EP_DATAPLANE, 0, H_DP_PIPE,
				CORDON__MSG_TYPE__MSG_STATS_REPORT, &r.base,
				&out), 0);
	assert_int_equal(out.type, CORDON__MSG_TYPE__MSG_ACK);
	wire_msg_free(&out);
	t1 = util_time_now_ms();
	assert_int_equal(ctl_store_device_get(h->d.state.st, cam, 0,
					      last_seen_cb, &seen), 0);
	print_message("last seen %" PRIu64 " ms before the hello\n",
		      t0 - seen);
	assert_true(seen >= t0 - 610000 && seen <= t1 - 610000);
}

/* Threads as cordond.c's: each hands in its reports and flushes; an
 * answer goes to its connection's mailbox, whoever committed it. */
#define T_THREADS 6
#define T_REPORTS 150

struct t_ctx {
	struct h *h;
	pthread_mutex_t lock;		/* the mailboxes */
	pthread_cond_t cond;
	nng_msg *box[T_THREADS];
};

struct t_arg {
	struct t_ctx *x;
	int i;
	int failures;
};

static void
t_deliver(struct t_ctx *x, struct cd_wake *w)
{
	pthread_mutex_lock(&x->lock);
	for (size_t k = 0; k < w->n; k++) {
		int c = (int)(w->conn[k] - x->h->d.conns[CD_EP_DATAPLANE]);

		x->box[c] = w->msg[k];
	}
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->lock);
}

static void *
t_main(void *p)
{
	struct t_arg *a = p;
	struct t_ctx *x = a->x;
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	nng_pipe pipe = { .id = H_DP_PIPE + (uint32_t)a->i };
	char id[16];

	snprintf(id, sizeof(id), "gw%d", a->i);
	r.dataplane_id = id;
	for (uint64_t seq = 1; seq <= T_REPORTS; seq++) {
		struct wire_msg out;
		struct wire_err err;
		struct cd_wake w;
		bool parked = false;
		nng_msg *in, *rep;
		uint8_t *buf;
		size_t len;

		r.seq = seq;
		if (wire_pack(CORDON__MSG_TYPE__MSG_STATS_REPORT, seq, &r.base,
			      &buf, &len) < 0 || nng_msg_alloc(&in, 0) != 0) {
			a->failures++;
			return NULL;
		}
		nng_msg_append(in, buf, len);
		free(buf);
		nng_msg_set_pipe(in, pipe);
		rep = cd_handle(&x->h->d,
				&x->h->d.conns[CD_EP_DATAPLANE][a->i], in,
				&parked);
		nng_msg_free(in);
		if (!parked) {
			nng_msg_free(rep);
			a->failures++;
			return NULL;
		}
		while (cd_flush(&x->h->d, &w))
			t_deliver(x, &w);
		pthread_mutex_lock(&x->lock);
		while (x->box[a->i] == NULL)
			pthread_cond_wait(&x->cond, &x->lock);
		rep = x->box[a->i];
		x->box[a->i] = NULL;
		pthread_mutex_unlock(&x->lock);
		if (wire_unpack(nng_msg_body(rep), nng_msg_len(rep), &out,
				&err) < 0) {
			nng_msg_free(rep);
			a->failures++;
			return NULL;
		}
		nng_msg_free(rep);
		if (out.type != CORDON__MSG_TYPE__MSG_ACK ||
		    ((Cordon__Ack *)out.payload)->seq != seq)
			a->failures++;
		wire_msg_free(&out);
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct t_ctx x = { .h = *state };
	struct t_arg a[T_THREADS];
	pthread_t t[T_THREADS];
	char id[16];

	pthread_mutex_init(&x.lock, NULL);
	pthread_cond_init(&x.cond, NULL);
	for (int i = 0; i < T_THREADS; i++) {
		snprintf(id, sizeof(id), "gw%d", i);
		h_hello_boot(x.h, id, H_DP_PIPE + (uint32_t)i, 0, 5);
	}
	for (int i = 0; i < T_THREADS; i++) {
		a[i] = (struct t_arg){ .x = &x, .i = i };
		assert_int_equal(pthread_create(&t[i], NULL, t_main, &a[i]),
				 0);
	}
	for (int i = 0; i < T_THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(a[i].failures, 0);
		snprintf(id, sizeof(id), "gw%d", i);
		assert_int_equal(marks(x.h, id), T_REPORTS);
	}
	assert_int_equal(x.h->d.counters[CD_REPORTS], T_THREADS * T_REPORTS);
	print_message("%d reports in %" PRIu64 " commits\n",
		      T_THREADS * T_REPORTS,
		      x.h->d.counters[CD_REPORT_COMMITS]);
	assert_true(x.h->d.counters[CD_REPORT_COMMITS] <=
		    T_THREADS * T_REPORTS);
	pthread_cond_destroy(&x.cond);
	pthread_mutex_destroy(&x.lock);
}

TEST_MAIN(
	H_TEST(test_one_commit),
	H_TEST(test_failed_commit),
	H_TEST(test_queued_dated),
	H_TEST(test_threads))
