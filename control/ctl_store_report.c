/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The report and report_mark tables: dataplane reports, exactly once. See
 * ctl_store_report_ingest() in ctl_store.h.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"

const struct ctl_store_sql ctl_store_report_sql[] = {
	{ S_MARK_GET, "SELECT seq FROM report_mark "
		"WHERE dataplane_id = ?1 AND boot = ?2" },
	{ S_MARK_DUP, "UPDATE report_mark SET duplicates = duplicates + 1 "
		"WHERE dataplane_id = ?1 AND boot = ?2" },
	{ S_MARK_SET, "INSERT INTO report_mark (dataplane_id, boot, seq, "
		"updated_ms, gaps) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT (dataplane_id, boot) DO UPDATE SET "
		"seq = excluded.seq, updated_ms = excluded.updated_ms, "
		"gaps = gaps + excluded.gaps" },
	{ S_REPORT_ADD, "INSERT INTO report (dataplane_id, boot, seq, "
		"received_ms, payload) VALUES (?1, ?2, ?3, ?4, ?5)" },
	{ S_REPORT_COUNTS, "SELECT (SELECT count(*) FROM report r "
		"WHERE r.dataplane_id = ?1 AND r.boot = ?2), "
		"(SELECT count(DISTINCT seq) FROM report r "
		"WHERE r.dataplane_id = ?1 AND r.boot = ?2), "
		"(SELECT coalesce(min(seq), 0) FROM report r "
		"WHERE r.dataplane_id = ?1 AND r.boot = ?2), "
		"(SELECT coalesce(max(seq), 0) FROM report r "
		"WHERE r.dataplane_id = ?1 AND r.boot = ?2), "
		"(SELECT coalesce(sum(duplicates), 0) FROM report_mark m "
		"WHERE m.dataplane_id = ?1 AND m.boot = ?2), "
		"(SELECT coalesce(sum(gaps), 0) FROM report_mark m "
		"WHERE m.dataplane_id = ?1 AND m.boot = ?2)" },
	{ S_REPORT_PRUNE, "DELETE FROM report WHERE id IN (SELECT id "
		"FROM report WHERE received_ms < ?1 ORDER BY received_ms "
		"LIMIT ?2)" },
	{ S_MAX, NULL },
};

static int
mark_get_locked(struct ctl_store *st, const char *dp, uint64_t boot,
		uint64_t *seq)
{
	sqlite3_stmt *s = ctl_store_stmt(st, S_MARK_GET);

	ctl_store_bind_text(s, 1, dp);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)boot);
	return ctl_store_query_u64(st, s, "report mark", seq);
}

static int
ingest_one(struct ctl_store *st, struct ctl_store_report_in *in,
	   uint64_t now)
{
	uint64_t mark = 0;
	bool have_mark;
	sqlite3_stmt *s;
	int ret;

	ret = mark_get_locked(st, in->dataplane_id, in->boot, &mark);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	have_mark = ret == 0;
	if (have_mark && in->seq <= mark) {
		/* A retransmission: count it, store nothing. */
		s = ctl_store_stmt(st, S_MARK_DUP);
		ctl_store_bind_text(s, 1, in->dataplane_id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)in->boot);
		ret = ctl_store_exec(st, s, "report mark");
		in->acked_seq = mark;
		in->rc = 1;
		return ret;
	}
	/* The mark first: the report's foreign key points at it. */
	s = ctl_store_stmt(st, S_MARK_SET);
	ctl_store_bind_text(s, 1, in->dataplane_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)in->boot);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)in->seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	/* Seqs skipped: from 1 (or the mark) up to this one. */
	sqlite3_bind_int64(s, 5, (sqlite3_int64)(have_mark ?
		in->seq - mark - 1 : (in->seq > 1 ? in->seq - 1 : 0)));
	ret = ctl_store_exec(st, s, "report mark");
	if (ret < 0)
		return ret;
	s = ctl_store_stmt(st, S_REPORT_ADD);
	ctl_store_bind_text(s, 1, in->dataplane_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)in->boot);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)in->seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	sqlite3_bind_blob(s, 5, in->payload != NULL ? in->payload : "",
			  (int)in->len, SQLITE_STATIC);
	ret = ctl_store_exec(st, s, "report");
	in->acked_seq = in->seq;
	in->rc = 0;
	return ret;
}

struct ingest_op {
	struct ctl_store_report_in *in;
	size_t n;
};

/* In order: a later report of the same run sees the earlier's mark. */
static int
ingest_tx(struct ctl_store *st, void *arg)
{
	const struct ingest_op *op = arg;
	uint64_t now = util_time_now_ms();

	for (size_t i = 0; i < op->n; i++) {
		int ret;

		if (op->in[i].rc == -EINVAL)
			continue;
		ret = ingest_one(st, &op->in[i], now);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static bool
ingest_valid(const struct ctl_store_report_in *in)
{
	return in->dataplane_id != NULL && in->dataplane_id[0] != '\0' &&
		in->boot <= INT64_MAX && in->seq <= INT64_MAX &&
		in->len <= INT32_MAX && (in->payload != NULL || in->len == 0);
}

int
ctl_store_report_ingest_batch(struct ctl_store *st,
			      struct ctl_store_report_in *in, size_t n)
{
	struct ingest_op op = { .in = in, .n = n };
	size_t valid = 0;
	int ret;

	if (in == NULL && n > 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		in[i].acked_seq = 0;
		in[i].rc = ingest_valid(&in[i]) ? 0 : -EINVAL;
		valid += in[i].rc == 0;
	}
	if (valid == 0)
		return 0;
	ret = ctl_store_write(st, ingest_tx, &op);
	if (ret == -EINVAL && valid > 1) {
		/* One the database refuses (a constraint): find it, one
		 * transaction each, so that only it is refused for good. */
		for (size_t i = 0; i < n; i++) {
			struct ingest_op one = { .in = &in[i], .n = 1 };
			int rc;

			if (in[i].rc == -EINVAL)
				continue;
			rc = ctl_store_write(st, ingest_tx, &one);
			if (rc < 0) {
				in[i].rc = rc;
				in[i].acked_seq = 0;
			}
		}
		return 0;
	}
	if (ret < 0) {
		/* Rolled back: none of them is stored. */
		for (size_t i = 0; i < n; i++)
			if (in[i].rc != -EINVAL) {
				in[i].rc = ret;
				in[i].acked_seq = 0;
			}
	}
	return ret < 0 ? ret : 0;
}

int
ctl_store_report_ingest(struct ctl_store *st, const char *dataplane_id,
			uint64_t boot, uint64_t seq, const void *payload,
			size_t len, uint64_t *acked_seq)
{
	struct ctl_store_report_in in = {
		.dataplane_id = dataplane_id, .boot = boot, .seq = seq,
		.payload = payload, .len = len,
	};
	int ret;

	if (acked_seq == NULL)
		return -EINVAL;
	ret = ctl_store_report_ingest_batch(st, &in, 1);
	if (ret < 0)
		return ret;
	if (in.rc >= 0)
		*acked_seq = in.acked_seq;
	return in.rc;
}

int
ctl_store_report_mark(struct ctl_store *st, const char *dataplane_id,
		      uint64_t boot, uint64_t *seq)
{
	int ret;

	if (dataplane_id == NULL || seq == NULL || boot > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = mark_get_locked(st, dataplane_id, boot, seq);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_report_counts(struct ctl_store *st, const char *dataplane_id,
			uint64_t boot, struct ctl_store_report_counts *c)
{
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (dataplane_id == NULL || c == NULL || boot > INT64_MAX)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	pthread_mutex_lock(&st->lock);
	s = ctl_store_stmt(st, S_REPORT_COUNTS);
	ctl_store_bind_text(s, 1, dataplane_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)boot);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->rows = (uint64_t)sqlite3_column_int64(s, 0);
		c->distinct_seqs = (uint64_t)sqlite3_column_int64(s, 1);
		c->min_seq = (uint64_t)sqlite3_column_int64(s, 2);
		c->max_seq = (uint64_t)sqlite3_column_int64(s, 3);
		c->duplicates = (uint64_t)sqlite3_column_int64(s, 4);
		c->gaps = (uint64_t)sqlite3_column_int64(s, 5);
	} else {
		ret = ctl_store_db_fail(st, rc, "report counts");
	}
	sqlite3_reset(s);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_report_prune(struct ctl_store *st, uint64_t before_ms,
		       uint32_t max, uint64_t *deleted)
{
	const enum ctl_store_stmt id = S_REPORT_PRUNE;

	return ctl_store_prune(st, &id, 1, before_ms, max, &deleted);
}
