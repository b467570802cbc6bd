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

struct ingest_op {
	const char *dp;
	uint64_t boot, seq;
	const void *payload;
	size_t len;
	uint64_t *acked_seq;
};

static int
ingest_tx(struct ctl_store *st, void *arg)
{
	const struct ingest_op *op = arg;
	uint64_t mark = 0, now = util_time_now_ms();
	bool have_mark;
	sqlite3_stmt *s;
	int ret;

	ret = mark_get_locked(st, op->dp, op->boot, &mark);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	have_mark = ret == 0;
	if (have_mark && op->seq <= mark) {
		/* A retransmission: count it, store nothing. */
		s = ctl_store_stmt(st, S_MARK_DUP);
		ctl_store_bind_text(s, 1, op->dp);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)op->boot);
		ret = ctl_store_exec(st, s, "report mark");
		*op->acked_seq = mark;
		return ret < 0 ? ret : 1;
	}
	/* The mark first: the report's foreign key points at it. */
	s = ctl_store_stmt(st, S_MARK_SET);
	ctl_store_bind_text(s, 1, op->dp);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)op->boot);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	/* Seqs skipped: from 1 (or the mark) up to this one. */
	sqlite3_bind_int64(s, 5, (sqlite3_int64)(have_mark ?
		op->seq - mark - 1 : (op->seq > 1 ? op->seq - 1 : 0)));
	ret = ctl_store_exec(st, s, "report mark");
	if (ret < 0)
		return ret;
	s = ctl_store_stmt(st, S_REPORT_ADD);
	ctl_store_bind_text(s, 1, op->dp);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)op->boot);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	sqlite3_bind_blob(s, 5, op->payload != NULL ? op->payload : "",
			  (int)op->len, SQLITE_STATIC);
	ret = ctl_store_exec(st, s, "report");
	*op->acked_seq = op->seq;
	return ret;
}

int
ctl_store_report_ingest(struct ctl_store *st, const char *dataplane_id,
			uint64_t boot, uint64_t seq, const void *payload,
			size_t len, uint64_t *acked_seq)
{
	struct ingest_op op = {
		.dp = dataplane_id, .boot = boot, .seq = seq,
		.payload = payload, .len = len, .acked_seq = acked_seq,
	};

	if (dataplane_id == NULL || dataplane_id[0] == '\0' ||
	    boot > INT64_MAX || seq > INT64_MAX || len > INT32_MAX ||
	    (payload == NULL && len > 0) || acked_seq == NULL)
		return -EINVAL;
	return ctl_store_write(st, ingest_tx, &op);
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
