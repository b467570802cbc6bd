/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Running the store's statements: errors (SQLite's codes as errnos, the
 * message kept for ctl_store_errmsg()), transactions, and reading rows
 * under the lock, for ctl_store.c and the table files (ctl_store_impl.h).
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

#include "ctl_store_impl.h"
#include "util_err.h"

/* Called on failure: a code that is none (OK, ROW, DONE) is -EIO too. */
int
ctl_store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
	case SQLITE_FORMAT:
		return -EBADMSG;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
		return -EINVAL;
	default:
		return -EIO;
	}
}

void
ctl_store_set_err(struct ctl_store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_err_vset(st->errbuf, sizeof(st->errbuf), fmt, ap);
	va_end(ap);
}

int
ctl_store_db_fail(struct ctl_store *st, int rc, const char *what)
{
	ctl_store_set_err(st, "%s: %s", what, sqlite3_errmsg(st->db));
	return ctl_store_errno(rc);
}

sqlite3_stmt *
ctl_store_stmt(struct ctl_store *st, enum ctl_store_stmt id)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

int
ctl_store_exec(struct ctl_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		rc = ctl_store_db_fail(st, rc, what);
	else
		rc = 0;
	sqlite3_reset(s);
	return rc;
}

int
ctl_store_tx_begin(struct ctl_store *st)
{
	return ctl_store_exec(st, ctl_store_stmt(st, S_BEGIN), "begin");
}

int
ctl_store_tx_commit(struct ctl_store *st)
{
	int ret = ctl_store_exec(st, ctl_store_stmt(st, S_COMMIT), "commit");

	if (ret < 0 && sqlite3_get_autocommit(st->db) == 0)
		sqlite3_step(ctl_store_stmt(st, S_ROLLBACK));
	return ret;
}

void
ctl_store_tx_rollback(struct ctl_store *st)
{
	if (sqlite3_get_autocommit(st->db) == 0) {
		sqlite3_step(ctl_store_stmt(st, S_ROLLBACK));
		sqlite3_reset(st->stmt[S_ROLLBACK]);
	}
}

int
ctl_store_write(struct ctl_store *st, ctl_store_tx_fn fn, void *arg)
{
	int ret;

	pthread_mutex_lock(&st->lock);
	ret = ctl_store_tx_begin(st);
	if (ret < 0)
		goto out;
	ret = fn(st, arg);
	if (ret >= 0) {
		int rc = ctl_store_tx_commit(st);

		if (rc < 0)
			ret = rc;
	} else {
		ctl_store_tx_rollback(st);
	}
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

struct prune_op {
	const enum ctl_store_stmt *ids;
	size_t n;
	uint64_t before_ms;
	uint32_t max;
	uint64_t **deleted;
};

static int
prune_tx(struct ctl_store *st, void *arg)
{
	const struct prune_op *op = arg;

	for (size_t i = 0; i < op->n; i++) {
		sqlite3_stmt *s = ctl_store_stmt(st, op->ids[i]);
		int ret;

		sqlite3_bind_int64(s, 1, (sqlite3_int64)op->before_ms);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)op->max);
		ret = ctl_store_exec(st, s, "prune");
		if (ret < 0)
			return ret;
		if (op->deleted[i] != NULL)
			*op->deleted[i] = (uint64_t)sqlite3_changes(st->db);
	}
	return 0;
}

int
ctl_store_prune(struct ctl_store *st, const enum ctl_store_stmt *ids,
		size_t n, uint64_t before_ms, uint32_t max, uint64_t **deleted)
{
	struct prune_op op = { ids, n, before_ms, max, deleted };

	if (before_ms > INT64_MAX || max == 0)
		return -EINVAL;
	return ctl_store_write(st, prune_tx, &op);
}

int
ctl_store_query_u64(struct ctl_store *st, sqlite3_stmt *s, const char *what,
		    uint64_t *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*out = (uint64_t)sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	} else {
		rc = ctl_store_db_fail(st, rc, what);
	}
	sqlite3_reset(s);
	return rc;
}

int
ctl_store_get_u64(struct ctl_store *st, enum ctl_store_stmt id,
		  const char *what, uint64_t *out)
{
	int ret;

	pthread_mutex_lock(&st->lock);
	ret = ctl_store_query_u64(st, ctl_store_stmt(st, id), what, out);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_rows(struct ctl_store *st, sqlite3_stmt *s, ctl_store_row_fn row,
	       void *ctx, const char *what, const char *none)
{
	int rc, ret = 0, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n++;
		ret = row(s, ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = ctl_store_db_fail(st, rc, what);
	if (ret == 0 && none != NULL && n == 0) {
		ctl_store_set_err(st, "%s", none);
		ret = -ENOENT;
	}
	sqlite3_reset(s);
	return ret;
}

int
ctl_store_read(struct ctl_store *st, enum ctl_store_stmt id, const uint8_t *mac,
	       ctl_store_row_fn row, void *ctx, const char *what,
	       const char *none)
{
	sqlite3_stmt *s;
	int ret;

	pthread_mutex_lock(&st->lock);
	s = ctl_store_stmt(st, id);
	if (mac != NULL)
		ctl_store_bind_mac(s, 1, mac);
	ret = ctl_store_rows(st, s, row, ctx, what, none);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_read_page(struct ctl_store *st, enum ctl_store_stmt id,
		    uint64_t from_id, uint32_t limit, const uint8_t *mac,
		    enum ctl_store_stmt count_id, uint64_t *total,
		    ctl_store_row_fn row, void *ctx, const char *what)
{
	sqlite3_stmt *s;
	int ret;

	if (from_id > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = ctl_store_stmt(st, id);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)from_id);
	/* "All" as the largest LIMIT, not SQLite's -1, which PostgreSQL
	 * refuses. */
	sqlite3_bind_int64(s, 2, limit == 0 ? INT64_MAX : (sqlite3_int64)limit);
	if (mac != NULL)
		ctl_store_bind_mac(s, 3, mac);
	ret = ctl_store_rows(st, s, row, ctx, what, NULL);
	if (ret == 0 && total != NULL) {
		/* The count is of the same device, if one was asked for. */
		s = ctl_store_stmt(st, count_id);
		if (mac != NULL)
			ctl_store_bind_mac(s, 1, mac);
		ret = ctl_store_query_u64(st, s, what, total);
	}
	pthread_mutex_unlock(&st->lock);
	return ret;
}
