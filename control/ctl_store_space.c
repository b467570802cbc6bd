/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The store file's space. SQLite keeps the pages a delete frees on a free
 * list and reuses them before the file grows, so the retention
 * (cd_retention.c) stops the growth but, by default, never shrinks the
 * file. A store created with auto_vacuum=INCREMENTAL (ctl_store.c does so
 * for every new one) can give free pages back a batch at a time:
 * ctl_store_reclaim(), under the store's lock like any write. An older file
 * gets that mode only from a full rewrite: ctl_store_compact(), offline
 * (cordond --compact).
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "ctl_store_impl.h"
#include "util_err.h"

static int
space_read(sqlite3 *db, struct ctl_store_space *sp)
{
	int64_t pages = 0, free_pages = 0, page_size = 0, mode = 0;
	int rc;

	rc = ctl_store_pragma_int(db, "PRAGMA page_count", &pages);
	if (rc == SQLITE_OK)
		rc = ctl_store_pragma_int(db, "PRAGMA freelist_count",
					  &free_pages);
	if (rc == SQLITE_OK)
		rc = ctl_store_pragma_int(db, "PRAGMA page_size", &page_size);
	if (rc == SQLITE_OK)
		rc = ctl_store_pragma_int(db, "PRAGMA auto_vacuum", &mode);
	if (rc != SQLITE_OK)
		return rc;
	sp->page_size = (uint32_t)page_size;
	sp->bytes = (uint64_t)pages * (uint64_t)page_size;
	sp->free_bytes = (uint64_t)free_pages * (uint64_t)page_size;
	sp->shrinks = mode == 2;	/* 2: incremental */
	return SQLITE_OK;
}

static int
space_locked(struct ctl_store *st, struct ctl_store_space *sp)
{
	int rc = space_read(st->db, sp);

	return rc == SQLITE_OK ? 0 : ctl_store_db_fail(st, rc, "space");
}

int
ctl_store_file_space(const char *path, struct ctl_store_space *sp,
		     char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc;

	if (path == NULL || sp == NULL)
		return -EINVAL;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = space_read(db, sp);
	if (rc != SQLITE_OK)
		util_err_set(err, errlen, "%s: %s", path, db != NULL ?
			     sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : ctl_store_errno(rc);
}

int
ctl_store_space(struct ctl_store *st, struct ctl_store_space *sp)
{
	int ret;

	if (st == NULL || sp == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = space_locked(st, sp);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

struct reclaim_op {
	uint32_t max_pages;
	uint64_t *bytes;
};

static int
reclaim_tx(struct ctl_store *st, void *arg)
{
	const struct reclaim_op *op = arg;
	struct ctl_store_space before = { 0 }, after = { 0 };
	char sql[64];
	int rc, ret;

	ret = space_locked(st, &before);
	if (ret < 0 || !before.shrinks || before.free_bytes == 0)
		return ret;
	snprintf(sql, sizeof(sql), "PRAGMA incremental_vacuum(%u)",
		 op->max_pages);
	rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return ctl_store_db_fail(st, rc, "incremental_vacuum");
	ret = space_locked(st, &after);
	if (ret < 0)
		return ret;
	*op->bytes = before.bytes - after.bytes;
	return after.free_bytes > 0;
}

int
ctl_store_reclaim(struct ctl_store *st, uint32_t max_pages, uint64_t *bytes)
{
	struct reclaim_op op = { max_pages, bytes };

	if (st == NULL || bytes == NULL || max_pages == 0)
		return -EINVAL;
	*bytes = 0;
	return ctl_store_write(st, reclaim_tx, &op);
}

int
ctl_store_compact(struct ctl_store *st, struct ctl_store_space *before,
		  struct ctl_store_space *after)
{
	struct ctl_store_space b = { 0 }, a = { 0 };
	int rc, ret;

	if (st == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = space_locked(st, &b);
	if (ret < 0)
		goto out;
	/* The mode takes effect with the rewrite; VACUUM is one
	 * transaction: an error (a full disk) leaves the file as it was. */
	rc = sqlite3_exec(st->db, "PRAGMA auto_vacuum = INCREMENTAL; VACUUM",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		ret = ctl_store_db_fail(st, rc, "VACUUM");
		goto out;
	}
	/* Into the file now, not at the next checkpoint. */
	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				       NULL, NULL);
	if (rc != SQLITE_OK) {
		ret = ctl_store_db_fail(st, rc, "checkpoint");
		goto out;
	}
	ret = space_locked(st, &a);
	if (ret == 0 && before != NULL)
		*before = b;
	if (ret == 0 && after != NULL)
		*after = a;
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}
