/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Online backups of the store, on connections of their own. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl_store_impl.h"
#include "util_err.h"
#include "util_file.h"

/* A backup streams the whole file once, so its two connections get a small
 * cache: what they read is not read again. */
#define CTL_STORE_BACKUP_CACHE "PRAGMA cache_size = -256;"

/*
 * The backup API copies pages under a read transaction of its own, on a
 * connection of its own: in WAL mode cordond goes on reading and writing
 * meanwhile, and this takes neither st's mutex nor its error buffer, so it
 * may run on any thread. One step (-1) copies all of it from one snapshot.
 */
int
ctl_store_backup(struct ctl_store *st, const char *path, char *err,
		 size_t errlen)
{
	char tmp[PATH_MAX];
	sqlite3_backup *b;
	sqlite3 *src = NULL, *dst = NULL;
	int rc, ret = 0, fd;

	if (path == NULL || snprintf(tmp, sizeof(tmp), "%s.tmp", path) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp);
	/* Created 0600 before SQLite opens it: never readable by others. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		util_err_set(err, errlen, "%s: %s", tmp, strerror(errno));
		return ret;
	}
	close(fd);
	rc = sqlite3_open_v2(st->path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		util_err_set(err, errlen, "backup: %s", sqlite3_errstr(rc));
		ret = ctl_store_errno(rc);
		goto out;
	}
	sqlite3_busy_timeout(src, CTL_STORE_BUSY_MS);
	rc = sqlite3_exec(src, CTL_STORE_BACKUP_CACHE, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, CTL_STORE_BACKUP_CACHE, NULL, NULL,
				  NULL);
	if (rc != SQLITE_OK) {
		util_err_set(err, errlen, "backup: %s", sqlite3_errstr(rc));
		ret = -EIO;
		goto out;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		util_err_set(err, errlen, "backup: %s", sqlite3_errmsg(dst));
		ret = -EIO;
		goto out;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		util_err_set(err, errlen, "backup to %s: %s", path,
			     sqlite3_errstr(rc));
		ret = ctl_store_errno(rc);
		goto out;
	}
	/* A backup is a single file: no WAL to carry along. */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
			  NULL);
	if (rc != SQLITE_OK) {
		util_err_set(err, errlen, "backup: %s", sqlite3_errmsg(dst));
		ret = -EIO;
	}
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (ret == 0) {
		ret = util_file_commit(tmp, path);
		if (ret < 0)
			util_err_set(err, errlen, "%s: %s", path,
				     strerror(-ret));
	}
	if (ret < 0)
		unlink(tmp);
	return ret;
}

/* The tables whose ids an operator is given, and acts on: none may ever
 * name two rows (an answer to consent request 42 answers that one). */
static const char *const ctl_store_id_table[CTL_STORE_ID_TABLES] = {
	"event", "alert", "consent",
};

int
ctl_store_ids_read(const char *path, uint64_t ids[CTL_STORE_ID_TABLES])
{
	sqlite3_stmt *s = NULL;
	sqlite3 *db = NULL;
	int rc;

	memset(ids, 0, CTL_STORE_ID_TABLES * sizeof(ids[0]));
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT seq FROM sqlite_sequence "
					"WHERE name = ?1", -1, &s, NULL);
	for (size_t i = 0; i < CTL_STORE_ID_TABLES && rc == SQLITE_OK; i++) {
		sqlite3_reset(s);
		rc = sqlite3_bind_text(s, 1, ctl_store_id_table[i], -1,
				       SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
			ids[i] = (uint64_t)sqlite3_column_int64(s, 0);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : ctl_store_errno(rc);
}

static int
ctl_store_ids_floor_tx(struct ctl_store *st, void *arg)
{
	static const char *const sql[] = {
		"INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2 "
		"WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence "
		"WHERE name = ?1)",
		"UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1 "
		"AND seq < ?2",
	};
	const uint64_t *ids = arg;
	int rc = SQLITE_OK;

	for (size_t i = 0; i < CTL_STORE_ID_TABLES && rc == SQLITE_OK; i++) {
		if (ids[i] == 0 || ids[i] > INT64_MAX)
			continue;
		for (size_t k = 0; k < 2 && rc == SQLITE_OK; k++) {
			sqlite3_stmt *s = NULL;

			rc = sqlite3_prepare_v2(st->db, sql[k], -1, &s, NULL);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_text(s, 1,
						       ctl_store_id_table[i],
						       -1, SQLITE_STATIC);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(s, 2,
							(int64_t)ids[i]);
			if (rc == SQLITE_OK)
				rc = sqlite3_step(s);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
			sqlite3_finalize(s);
		}
	}
	return rc == SQLITE_OK ? 0 : ctl_store_db_fail(st, rc, "id floor");
}

int
ctl_store_ids_floor(struct ctl_store *st,
		    const uint64_t ids[CTL_STORE_ID_TABLES])
{
	return ctl_store_write(st, ctl_store_ids_floor_tx, (void *)ids);
}
