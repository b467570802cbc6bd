/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Dataplanes' reports (MSG_STATS_REPORT), stored by group commit.
 *
 * A report is acknowledged only after its commit (docs/reports.md), and a
 * commit is an fsync. One report a commit, cordond stored some 4,400 a
 * second on the 2-vCPU guest of stop 36 whatever the number of dataplanes
 * (scripts/bench_fleet.py): the most dataplanes one cordond could take
 * at a 1 s interval. So the handler does not store a report. It checks
 * that the dataplane said hello on this connection, adds the report to
 * the batch and parks the request.
 *
 * cordond.c runs cd_flush() after every request, without the lock. The
 * thread that finds a batch and no commit under way commits it: it takes
 * the batch, stores it in one transaction with the lock released
 * (ctl_store_report_ingest_batch()), then, under the lock, hands each
 * report to the registry, the inventory and the report hooks, and answers
 * each (the ack with the mark, or the error). Reports that came in the
 * meantime wait for the commit under way and make the next batch, which
 * the same thread takes before it stops. A commit that fails answers the
 * whole batch with ERR_INTERNAL: none of it is stored, and the dataplanes
 * send it again, as they did when one report failed.
 *
 * Each report waits parked in its own context, so a batch holds at most
 * CD_CONNS.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"

struct cd_report_item {
	struct cd_conn *conn;
	uint64_t req_id;
	uint32_t pipe_id;
	uint64_t boot;			/* ctl_registry_boot() at its arrival */
	Cordon__StatsReport *rep;	/* owned */
	uint8_t *buf;			/* rep packed, as stored; owned */
	size_t len;
};

struct cd_reports {
	struct cd_report_item pending[CD_CONNS];
	size_t n_pending;
	bool committing;		/* a thread is in cd_reports_flush() */
	/* The committer's: the batch it took and the store's answers. */
	struct cd_report_item batch[CD_CONNS];
	struct ctl_store_report_in in[CD_CONNS];
};

static void
cd_report_item_free(struct cd_report_item *it)
{
	if (it->rep != NULL)
		cordon__stats_report__free_unpacked(it->rep, NULL);
	free(it->buf);
	it->rep = NULL;
	it->buf = NULL;
}

static nng_msg *
cd_reports_in(struct cordond *d, struct cd_req *r)
{
	Cordon__StatsReport *rep = cd_in(r);
	struct cd_reports *R = d->reports;
	uint64_t req_id = r->msg->request_id;
	nng_msg *err = NULL;
	struct ctl_dp *dp = cd_registered(d, r, rep->dataplane_id, &err);
	struct cd_report_item *it;
	uint8_t *buf;
	size_t len;

	if (dp == NULL)
		return err;
	if (R->n_pending == CD_CONNS)
		/* Cannot happen: one per context. */
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"too many reports waiting");
	len = cordon__stats_report__get_packed_size(rep);
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"out of memory");
	cordon__stats_report__pack(rep, buf);
	it = &R->pending[R->n_pending++];
	*it = (struct cd_report_item){
		.conn = r->conn, .req_id = req_id, .pipe_id = r->pipe_id,
		.boot = ctl_registry_boot(dp->hello), .rep = rep,
		.buf = buf, .len = len,
	};
	r->msg->payload = NULL;		/* the batch owns it now */
	cd_park(r);
	return NULL;
}

/* The inventory, throttled: a failure costs the report's ack nothing
 * (the report is stored); the next report writes it again. */
static void
cd_reports_inventory(struct cordond *d, const Cordon__StatsReport *r,
		     uint64_t made_ms, uint64_t now_ms)
{
	size_t rows = 0;
	int rc;

	rc = ctl_inv_persist(&d->inv, d->state.st, r, made_ms, now_ms, &rows);
	if (rc == -ENOMEM) {
		d->counters[CD_STORE_ERRORS]++;
		cd_log("inventory not stored: out of memory");
	} else if (rc < 0) {
		cd_store_failed(d, "inventory");
	} else if (rows > 0) {
		d->counters[CD_INV_ROWS] += rows;
		d->counters[CD_INV_TX]++;
	}
}

/* Under the lock, once the batch is committed (or not): what became of
 * one report, and its answer. */
static nng_msg *
cd_reports_done(struct cordond *d, struct cd_report_item *it,
		const struct ctl_store_report_in *in)
{
	Cordon__StatsReport *rep = it->rep;
	nng_msg *m;

	if (in->rc == -EINVAL) {
		char what[160];

		/* One that can never be stored: the dataplane drops it. */
		snprintf(what, sizeof(what), "report %" PRIu64 " of '%.40s' "
			 "cannot be stored (its id, seq or size)", rep->seq,
			 rep->dataplane_id);
		m = cd_error(d, it->req_id, CORDON__ERROR_CODE__ERR_INVALID,
			     what);
	} else if (in->rc < 0) {
		/* Refused, not acknowledged: the dataplane keeps it and
		 * sends it again (docs/reports.md). */
		m = cd_error(d, it->req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
			     ctl_store_errmsg(d->state.st));
	} else if (in->rc == 1) {
		d->counters[CD_REPORTS_DUP]++;
		m = cd_ack(d, it->req_id, in->acked_seq);
	} else {
		uint64_t now = util_time_now_ms();
		struct ctl_dp *dp = ctl_registry_find(&d->reg,
						      rep->dataplane_id);
		/* Dated when it was made: one that waited in the
		 * dataplane's queue is as old as it says. */
		uint64_t made = dp != NULL && dp->pipe_id == it->pipe_id ?
			ctl_registry_made_ms(dp, rep->uptime_ms, now) : now;

		cd_reports_inventory(d, rep, made, now);
		if (ctl_registry_report(&d->reg, rep, it->pipe_id, now) < 0) {
			/* Stored; its connection said hello again since. */
			m = cd_error(d, it->req_id,
				     CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				     "say hello first");
		} else {
			it->rep = NULL;	/* the registry holds it now */
			d->counters[CD_REPORTS]++;
			/* The compiler's inventory has it. */
			for (size_t i = 0; i < d->n_on_report; i++)
				d->on_report[i](d, rep);
			m = cd_ack(d, it->req_id, in->acked_seq);
		}
	}
	cd_report_item_free(it);
	return m;
}

/* One batch, if there is one and no other thread commits: 1 when this
 * committed one (its answers in w), else 0. */
static int
cd_reports_flush(struct cordond *d, struct cd_wake *w)
{
	struct cd_reports *R;
	size_t n, failed;
	int rc;

	pthread_mutex_lock(&d->lock);
	R = d->reports;
	if (R == NULL || R->committing || R->n_pending == 0) {
		pthread_mutex_unlock(&d->lock);
		return 0;
	}
	R->committing = true;
	n = R->n_pending;
	memcpy(R->batch, R->pending, n * sizeof(R->batch[0]));
	R->n_pending = 0;
	pthread_mutex_unlock(&d->lock);

	/* Stored once per (dataplane, boot, seq): a report resent after a
	 * restart is not counted twice. */
	for (size_t i = 0; i < n; i++)
		R->in[i] = (struct ctl_store_report_in){
			.dataplane_id = R->batch[i].rep->dataplane_id,
			.boot = R->batch[i].boot,
			.seq = R->batch[i].rep->seq,
			.payload = R->batch[i].buf,
			.len = R->batch[i].len,
		};
	rc = ctl_store_report_ingest_batch(d->state.st, R->in, n);

	pthread_mutex_lock(&d->lock);
	failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += R->in[i].rc < 0 && R->in[i].rc != -EINVAL;
	if (failed > 0) {
		char what[64];

		snprintf(what, sizeof(what), "%zu report%s", failed,
			 failed == 1 ? "" : "s");
		cd_store_failed(d, what);
	} else {
		cd_store_ok(d);
	}
	if (rc == 0)
		d->counters[CD_REPORT_COMMITS]++;
	/* A NULL answer (not even an error could be built): its context
	 * receives again, and the dataplane's request times out and sends
	 * the report again. */
	for (size_t i = 0; i < n; i++)
		cd_answer(w, R->batch[i].conn,
			  cd_reports_done(d, &R->batch[i], &R->in[i]));
	R->committing = false;
	pthread_mutex_unlock(&d->lock);
	return 1;
}

static void
cd_reports_fini(struct cordond *d)
{
	struct cd_reports *R = d->reports;

	if (R == NULL)
		return;
	for (size_t i = 0; i < R->n_pending; i++)
		cd_report_item_free(&R->pending[i]);
	R->n_pending = 0;
}

static const struct cd_handler cd_reports_handlers[] = {
	CD_HANDLER(STATS_REPORT, DATAPLANE, cd_reports_in),
};

CD_FEATURE(reports, CD_STATE(reports), .fini = cd_reports_fini,
	   .on_flush = cd_reports_flush);
