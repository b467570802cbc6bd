/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's store: SQLite, WAL mode. See ctl_store.h for the tables.
 *
 * Durability: journal_mode=WAL with synchronous=FULL. In WAL mode, NORMAL
 * survives a killed process (kill -9) but may lose the last transactions
 * on power loss or an OS crash, because it does not fsync the WAL at each
 * commit. cordond acknowledges a report only after its commit, and an
 * acknowledged report must never be lost, so FULL: every commit fsyncs
 * the WAL before ctl_store_*() returns.
 *
 * Integers: SQLite stores signed 64-bit integers. Versions and seqs above
 * INT64_MAX are refused, so ordering in SQL stays right.
 *
 * Schema versions (PRAGMA user_version), each a migration step run in its
 * own transaction together with the user_version bump:
 *   1: policy, device, event, quarantine
 *   2: policy.rollback_of; report and report_mark (exactly-once reports)
 *   3: device.hostname and device.mud_url; mud_binding (imported MUD
 *      files, one per device)
 *   4: segment_override (a device put in a segment by an operator)
 * A database with a newer version than this build knows is refused rather
 * than misread. application_id marks the file as cordond's.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "ctl_sign.h"
#include "ctl_store.h"

#define CTL_STORE_APP_ID 0x43444e44	/* "CDND" */
#define CTL_STORE_BUSY_MS 5000

static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE policy ("
	"  version INTEGER PRIMARY KEY CHECK (version > 0),"
	"  created_ms INTEGER NOT NULL,"
	"  source TEXT,"
	"  compiled BLOB NOT NULL,"
	"  signed BLOB,"
	"  comment TEXT NOT NULL DEFAULT '',"
	"  applied_by TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE device ("
	"  mac BLOB NOT NULL CHECK (length(mac) = 6),"
	"  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),"
	"  first_seen_ms INTEGER NOT NULL,"
	"  last_seen_ms INTEGER NOT NULL,"
	"  dataplane_id TEXT NOT NULL DEFAULT '',"
	"  vendor TEXT NOT NULL DEFAULT '', vendor_conf REAL NOT NULL DEFAULT 0,"
	"  type TEXT NOT NULL DEFAULT '', type_conf REAL NOT NULL DEFAULT 0,"
	"  os TEXT NOT NULL DEFAULT '', os_conf REAL NOT NULL DEFAULT 0,"
	"  model TEXT NOT NULL DEFAULT '', model_conf REAL NOT NULL DEFAULT 0,"
	"  evidence TEXT CHECK (evidence IS NULL OR json_valid(evidence)),"
	"  addresses TEXT CHECK (addresses IS NULL OR json_valid(addresses)),"
	"  PRIMARY KEY (mac, vlan)) WITHOUT ROWID;"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  time_ms INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind <> ''),"
	"  dataplane_id TEXT NOT NULL DEFAULT '',"
	"  mac BLOB CHECK (mac IS NULL OR length(mac) = 6),"
	"  detail TEXT CHECK (detail IS NULL OR json_valid(detail)));"
	"CREATE INDEX event_mac ON event (mac) WHERE mac IS NOT NULL;"
	"CREATE TABLE quarantine ("
	"  mac BLOB PRIMARY KEY CHECK (length(mac) = 6),"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  since_ms INTEGER NOT NULL,"
	"  by TEXT NOT NULL DEFAULT '') WITHOUT ROWID;",
	/* 1 -> 2 */
	"ALTER TABLE policy ADD COLUMN rollback_of INTEGER"
	"  REFERENCES policy (version);"
	"CREATE TABLE report_mark ("
	"  dataplane_id TEXT NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  duplicates INTEGER NOT NULL DEFAULT 0,"
	"  gaps INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (dataplane_id, boot)) WITHOUT ROWID;"
	"CREATE TABLE report ("
	"  id INTEGER PRIMARY KEY,"
	"  dataplane_id TEXT NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  received_ms INTEGER NOT NULL,"
	"  payload BLOB NOT NULL,"
	"  UNIQUE (dataplane_id, boot, seq),"
	"  FOREIGN KEY (dataplane_id, boot)"
	"    REFERENCES report_mark (dataplane_id, boot));"
	"CREATE INDEX report_received ON report (received_ms);",
	/* 2 -> 3 */
	"ALTER TABLE device ADD COLUMN hostname TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE device ADD COLUMN mud_url TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE mud_binding ("
	"  mac BLOB PRIMARY KEY CHECK (length(mac) = 6),"
	"  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),"
	"  mud_url TEXT NOT NULL CHECK (mud_url <> ''),"
	"  file TEXT NOT NULL,"
	"  signature BLOB,"
	"  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	"  source TEXT NOT NULL"
	"    CHECK (source IN ('cli', 'dhcp', 'dhcpv6', 'lldp')),"
	"  imported_at INTEGER NOT NULL,"
	"  by TEXT NOT NULL DEFAULT '') WITHOUT ROWID;",
	/* 3 -> 4 */
	"CREATE TABLE segment_override ("
	"  mac BLOB PRIMARY KEY CHECK (length(mac) = 6),"
	"  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),"
	"  segment TEXT NOT NULL CHECK (segment <> ''),"
	"  since_ms INTEGER NOT NULL,"
	"  by TEXT NOT NULL DEFAULT '') WITHOUT ROWID;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
	       CTL_STORE_SCHEMA_VERSION, "one migration per schema version");

enum stmt_id {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_POLICY_MAX,
	S_POLICY_ADD,
	S_POLICY_GET,
	S_POLICY_HISTORY,
	S_DEVICE_UPSERT,
	S_DEVICE_GET,
	S_DEVICE_LIST,
	S_EVENT_ADD,
	S_EVENTS,
	S_EVENT_LAST,
	S_QUAR_ADD,
	S_QUAR_DEL,
	S_QUAR_GET,
	S_QUAR_LIST,
	S_MARK_GET,
	S_MARK_DUP,
	S_MARK_SET,
	S_REPORT_ADD,
	S_REPORT_COUNTS,
	S_REPORT_PRUNE,
	S_MUD_PUT,
	S_MUD_DEL,
	S_MUD_GET,
	S_MUD_LIST,
	S_SEG_PUT,
	S_SEG_DEL,
	S_SEG_LIST,
	S_MAX
};

#define POLICY_COLS "version, created_ms, source, compiled, signed, " \
	"comment, applied_by, rollback_of"
#define DEVICE_COLS "mac, vlan, first_seen_ms, last_seen_ms, dataplane_id, " \
	"vendor, vendor_conf, type, type_conf, os, os_conf, model, " \
	"model_conf, evidence, addresses, hostname, mud_url"
#define MUD_COLS "mac, vlan, mud_url, file, signature, sha256, source, " \
	"imported_at, by"
#define FP_SET(f) \
	f " = CASE WHEN excluded." f " <> '' THEN excluded." f " ELSE " f \
	" END, " f "_conf = CASE WHEN excluded." f " <> '' THEN excluded." \
	f "_conf ELSE " f "_conf END"

static const char *const stmt_sql[S_MAX] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_POLICY_MAX] = "SELECT coalesce(max(version), 0) FROM policy",
	[S_POLICY_ADD] = "INSERT INTO policy (" POLICY_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_POLICY_GET] = "SELECT " POLICY_COLS " FROM policy "
		"WHERE version = ?1",
	[S_POLICY_HISTORY] = "SELECT version, created_ms, comment, "
		"applied_by, rollback_of, source IS NOT NULL, "
		"signed IS NOT NULL, length(compiled) FROM policy "
		"ORDER BY version DESC LIMIT ?1",
	[S_DEVICE_UPSERT] = "INSERT INTO device (" DEVICE_COLS ") VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		"?14, ?15, ?16, ?17) ON CONFLICT (mac, vlan) DO UPDATE SET "
		"first_seen_ms = min(first_seen_ms, excluded.first_seen_ms), "
		"last_seen_ms = max(last_seen_ms, excluded.last_seen_ms), "
		"dataplane_id = CASE WHEN excluded.dataplane_id <> '' THEN "
		"excluded.dataplane_id ELSE dataplane_id END, "
		FP_SET("vendor") ", " FP_SET("type") ", " FP_SET("os") ", "
		FP_SET("model") ", "
		"evidence = coalesce(excluded.evidence, evidence), "
		"addresses = coalesce(excluded.addresses, addresses), "
		"hostname = CASE WHEN excluded.hostname <> '' THEN "
		"excluded.hostname ELSE hostname END, "
		"mud_url = CASE WHEN excluded.mud_url <> '' THEN "
		"excluded.mud_url ELSE mud_url END",
	[S_DEVICE_GET] = "SELECT " DEVICE_COLS " FROM device "
		"WHERE mac = ?1 AND vlan = ?2",
	[S_DEVICE_LIST] = "SELECT " DEVICE_COLS " FROM device "
		"ORDER BY mac, vlan",
	[S_EVENT_ADD] = "INSERT INTO event (time_ms, kind, dataplane_id, mac, "
		"detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_EVENTS] = "SELECT id, time_ms, kind, dataplane_id, mac, detail "
		"FROM event WHERE id > ?1 ORDER BY id LIMIT ?2",
	[S_EVENT_LAST] = "SELECT coalesce(max(id), 0) FROM event",
	[S_SEG_PUT] = "INSERT INTO segment_override (mac, vlan, segment, "
		"since_ms, by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (mac) "
		"DO UPDATE SET vlan = excluded.vlan, segment = excluded.segment, "
		"since_ms = excluded.since_ms, by = excluded.by",
	[S_SEG_DEL] = "DELETE FROM segment_override WHERE mac = ?1",
	[S_SEG_LIST] = "SELECT mac, vlan, segment, since_ms, by "
		"FROM segment_override ORDER BY mac",
	[S_QUAR_ADD] = "INSERT INTO quarantine (mac, reason, since_ms, by) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mac) DO NOTHING",
	[S_QUAR_DEL] = "DELETE FROM quarantine WHERE mac = ?1",
	[S_QUAR_GET] = "SELECT mac, since_ms, reason, by FROM quarantine "
		"WHERE mac = ?1",
	[S_QUAR_LIST] = "SELECT mac, since_ms, reason, by FROM quarantine "
		"ORDER BY mac",
	[S_MARK_GET] = "SELECT seq FROM report_mark "
		"WHERE dataplane_id = ?1 AND boot = ?2",
	[S_MARK_DUP] = "UPDATE report_mark SET duplicates = duplicates + 1 "
		"WHERE dataplane_id = ?1 AND boot = ?2",
	[S_MARK_SET] = "INSERT INTO report_mark (dataplane_id, boot, seq, "
		"updated_ms, gaps) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT (dataplane_id, boot) DO UPDATE SET "
		"seq = excluded.seq, updated_ms = excluded.updated_ms, "
		"gaps = gaps + excluded.gaps",
	[S_REPORT_ADD] = "INSERT INTO report (dataplane_id, boot, seq, "
		"received_ms, payload) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_REPORT_COUNTS] = "SELECT (SELECT count(*) FROM report r "
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
		"WHERE m.dataplane_id = ?1 AND m.boot = ?2)",
	[S_REPORT_PRUNE] = "DELETE FROM report WHERE received_ms < ?1",
	[S_MUD_PUT] = "INSERT OR REPLACE INTO mud_binding (" MUD_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_MUD_DEL] = "DELETE FROM mud_binding WHERE mac = ?1",
	[S_MUD_GET] = "SELECT " MUD_COLS " FROM mud_binding WHERE mac = ?1",
	[S_MUD_LIST] = "SELECT " MUD_COLS " FROM mud_binding ORDER BY mac",
};

struct ctl_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_MAX];
	pthread_mutex_t lock;
	char errbuf[256];
	int schema;
};

static uint64_t
now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static int
rc_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
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

static void __attribute__((format(printf, 2, 3)))
st_err(struct ctl_store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->errbuf, sizeof(st->errbuf), fmt, ap);
	va_end(ap);
}

/* Record an SQLite failure; returns its errno. */
static int
db_fail(struct ctl_store *st, int rc, const char *what)
{
	st_err(st, "%s: %s", what, sqlite3_errmsg(st->db));
	return rc_errno(rc) < 0 ? rc_errno(rc) : -EIO;
}

static sqlite3_stmt *
stmt(struct ctl_store *st, enum stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Run a statement that returns no rows. */
static int
exec_stmt(struct ctl_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		rc = db_fail(st, rc, what);
	else
		rc = 0;
	sqlite3_reset(s);
	return rc;
}

static int
tx_begin(struct ctl_store *st)
{
	return exec_stmt(st, stmt(st, S_BEGIN), "begin");
}

static int
tx_commit(struct ctl_store *st)
{
	int ret = exec_stmt(st, stmt(st, S_COMMIT), "commit");

	if (ret < 0 && sqlite3_get_autocommit(st->db) == 0)
		sqlite3_step(stmt(st, S_ROLLBACK));
	return ret;
}

static void
tx_rollback(struct ctl_store *st)
{
	if (sqlite3_get_autocommit(st->db) == 0) {
		sqlite3_step(stmt(st, S_ROLLBACK));
		sqlite3_reset(st->stmt[S_ROLLBACK]);
	}
}

/* A single integer from a one-row statement. */
static int
query_u64(struct ctl_store *st, sqlite3_stmt *s, const char *what,
	  uint64_t *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*out = (uint64_t)sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	} else {
		rc = db_fail(st, rc, what);
	}
	sqlite3_reset(s);
	return rc;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

static int
bind_text(sqlite3_stmt *s, int i, const char *t)
{
	return sqlite3_bind_text(s, i, t != NULL ? t : "", -1, SQLITE_STATIC);
}

static int
bind_opt_text(sqlite3_stmt *s, int i, const char *t)
{
	return t != NULL ? sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC) :
		sqlite3_bind_null(s, i);
}

static int
bind_mac(sqlite3_stmt *s, int i, const uint8_t *mac)
{
	return mac != NULL ? sqlite3_bind_blob(s, i, mac, 6, SQLITE_STATIC) :
		sqlite3_bind_null(s, i);
}

/* --- Open, migrate, close -------------------------------------------- */

static int
pragma_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (out != NULL)
			*out = sqlite3_column_int64(s, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

static int
migrate(struct ctl_store *st, int64_t from)
{
	char sql[64];
	int rc;

	for (int64_t v = from; v < CTL_STORE_SCHEMA_VERSION; v++) {
		rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(st->db, migrations[v], NULL, NULL,
					  NULL);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %" PRId64,
			 v + 1);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK && v == 0) {
			snprintf(sql, sizeof(sql),
				 "PRAGMA application_id = %d",
				 CTL_STORE_APP_ID);
			rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			int ret = db_fail(st, rc, "schema migration");

			snprintf(st->errbuf + strlen(st->errbuf),
				 sizeof(st->errbuf) - strlen(st->errbuf),
				 " (from version %" PRId64 ")", v);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return ret;
		}
	}
	return 0;
}

static int
store_setup(struct ctl_store *st, const char *path)
{
	int64_t version = 0, app_id = 0, tables = 0;
	sqlite3_stmt *s;
	const char *mode;
	int rc, ret;

	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, CTL_STORE_BUSY_MS);
	/* The first read of the file: garbage shows up here as NOTADB. */
	rc = pragma_int(st->db, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK)
		rc = pragma_int(st->db, "PRAGMA application_id", &app_id);
	if (rc == SQLITE_OK)
		rc = pragma_int(st->db, "SELECT count(*) FROM sqlite_schema",
				&tables);
	if (rc != SQLITE_OK) {
		ret = db_fail(st, rc, path);
		if (ret == -EBADMSG)
			st_err(st, "%s: not a cordond database, or corrupt "
			       "(%s)", path, sqlite3_errmsg(st->db));
		return ret;
	}
	if ((version > 0 || tables > 0) && app_id != CTL_STORE_APP_ID) {
		st_err(st, "%s: an SQLite database, but not cordond's "
		       "(application_id %#" PRIx64 ")", path,
		       (uint64_t)app_id);
		return -EBADMSG;
	}
	if (version > CTL_STORE_SCHEMA_VERSION || version < 0) {
		st_err(st, "%s: schema version %" PRId64 " is newer than this "
		       "cordond knows (%d); refusing to touch it", path,
		       version, CTL_STORE_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}

	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
				NULL);
	if (rc != SQLITE_OK)
		return db_fail(st, rc, "journal_mode");
	rc = sqlite3_step(s);
	mode = rc == SQLITE_ROW ? col_text(s, 0) : "";
	if (strcmp(mode, "wal") != 0) {
		st_err(st, "%s: cannot switch to WAL mode (%s)", path,
		       rc == SQLITE_ROW ? mode : sqlite3_errmsg(st->db));
		ret = rc == SQLITE_ROW ? -EIO : rc_errno(rc);
		sqlite3_finalize(s);
		return ret < 0 ? ret : -EIO;
	}
	sqlite3_finalize(s);
	rc = sqlite3_exec(st->db, "PRAGMA synchronous = FULL;"
			  "PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(st, rc, "pragmas");

	ret = migrate(st, version);
	if (ret < 0)
		return ret;
	st->schema = CTL_STORE_SCHEMA_VERSION;
	for (int i = 0; i < S_MAX; i++) {
		rc = sqlite3_prepare_v3(st->db, stmt_sql[i], -1,
					SQLITE_PREPARE_PERSISTENT,
					&st->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return db_fail(st, rc, "prepare");
	}
	return 0;
}

int
ctl_store_open(const char *path, struct ctl_store **out, char *err,
	       size_t errlen)
{
	struct ctl_store *st;
	int rc, ret;

	if (out != NULL)
		*out = NULL;
	if (path == NULL || out == NULL)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	pthread_mutex_init(&st->lock, NULL);
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = rc_errno(rc) < 0 ? rc_errno(rc) : -EIO;
		st_err(st, "%s: %s", path, st->db != NULL ?
		       sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
	} else {
		ret = store_setup(st, path);
	}
	if (ret < 0) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s", st->errbuf);
		ctl_store_close(st);
		return ret;
	}
	*out = st;
	return 0;
}

void
ctl_store_close(struct ctl_store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < S_MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

const char *
ctl_store_errmsg(const struct ctl_store *st)
{
	return st != NULL ? st->errbuf : "no store";
}

int
ctl_store_schema_version(struct ctl_store *st)
{
	return st->schema;
}

int
ctl_store_check(struct ctl_store *st)
{
	sqlite3_stmt *s;
	int rc, ret = 0;

	pthread_mutex_lock(&st->lock);
	rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		ret = db_fail(st, rc, "quick_check");
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && strcmp(col_text(s, 0), "ok") != 0) {
		/* The first problem is enough, on one line. */
		st_err(st, "database is corrupt: %s", col_text(s, 0));
		for (char *p = st->errbuf; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		ret = -EBADMSG;
	} else if (rc != SQLITE_ROW) {
		ret = db_fail(st, rc, "quick_check");
	}
	sqlite3_finalize(s);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Events (used by other sections inside their transactions) ------- */

static int
event_add_locked(struct ctl_store *st, uint64_t time_ms, const char *kind,
		 const char *dp, const uint8_t *mac, const char *detail,
		 uint64_t *id)
{
	sqlite3_stmt *s = stmt(st, S_EVENT_ADD);
	int ret;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)time_ms);
	bind_text(s, 2, kind);
	bind_text(s, 3, dp);
	bind_mac(s, 4, mac);
	bind_opt_text(s, 5, detail);
	ret = exec_stmt(st, s, "event");
	if (ret == 0 && id != NULL)
		*id = (uint64_t)sqlite3_last_insert_rowid(st->db);
	return ret;
}

int
ctl_store_event_add(struct ctl_store *st, uint64_t time_ms,
		    const char *kind, const char *dataplane_id,
		    const uint8_t *mac, const char *detail_json, uint64_t *id)
{
	int ret;

	if (kind == NULL || kind[0] == '\0' || time_ms > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret == 0)
		ret = event_add_locked(st, time_ms, kind, dataplane_id, mac,
				       detail_json, id);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_events(struct ctl_store *st, uint64_t since_id, uint32_t limit,
		 ctl_store_event_cb cb, void *arg)
{
	struct ctl_store_event e;
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (cb == NULL || since_id > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_EVENTS);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)since_id);
	sqlite3_bind_int64(s, 2, limit == 0 ? -1 : (sqlite3_int64)limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.id = (uint64_t)sqlite3_column_int64(s, 0);
		e.time_ms = (uint64_t)sqlite3_column_int64(s, 1);
		e.kind = col_text(s, 2);
		e.dataplane_id = col_text(s, 3);
		if (sqlite3_column_bytes(s, 4) == 6) {
			e.has_mac = true;
			memcpy(e.mac, sqlite3_column_blob(s, 4), 6);
		}
		e.detail_json = (const char *)sqlite3_column_text(s, 5);
		ret = cb(&e, arg);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(st, rc, "events");
	sqlite3_reset(s);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_event_last_id(struct ctl_store *st, uint64_t *id)
{
	int ret;

	pthread_mutex_lock(&st->lock);
	ret = query_u64(st, stmt(st, S_EVENT_LAST), "events", id);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Policy ---------------------------------------------------------- */

int
ctl_store_policy_latest_version(struct ctl_store *st, uint64_t *version)
{
	int ret;

	pthread_mutex_lock(&st->lock);
	ret = query_u64(st, stmt(st, S_POLICY_MAX), "policy", version);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static int
policy_add_locked(struct ctl_store *st, const struct ctl_store_policy *p)
{
	char detail[160];
	uint64_t latest = 0;
	sqlite3_stmt *s;
	int ret;

	ret = query_u64(st, stmt(st, S_POLICY_MAX), "policy", &latest);
	if (ret < 0)
		return ret;
	if (p->version <= latest) {
		st_err(st, "policy version %" PRIu64 " is not above the "
		       "latest stored (%" PRIu64 ")", p->version, latest);
		return -ESTALE;
	}
	s = stmt(st, S_POLICY_ADD);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)p->version);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)p->created_ms);
	bind_opt_text(s, 3, p->source);
	sqlite3_bind_blob(s, 4, p->compiled, (int)p->compiled_len,
			  SQLITE_STATIC);
	if (p->signed_policy != NULL)
		sqlite3_bind_blob(s, 5, p->signed_policy, (int)p->signed_len,
				  SQLITE_STATIC);
	bind_text(s, 6, p->comment);
	bind_text(s, 7, p->applied_by);
	if (p->rollback_of != 0)
		sqlite3_bind_int64(s, 8, (sqlite3_int64)p->rollback_of);
	ret = exec_stmt(st, s, "policy");
	if (ret < 0)
		return ret;
	if (p->rollback_of != 0)
		snprintf(detail, sizeof(detail), "{\"version\": %" PRIu64
			 ", \"rollback_of\": %" PRIu64 ", \"signed\": %s}",
			 p->version, p->rollback_of,
			 p->signed_policy ? "true" : "false");
	else
		snprintf(detail, sizeof(detail), "{\"version\": %" PRIu64
			 ", \"signed\": %s}", p->version,
			 p->signed_policy ? "true" : "false");
	return event_add_locked(st, p->created_ms, CTL_STORE_EV_POLICY_ADDED,
				NULL, NULL, detail, NULL);
}

int
ctl_store_policy_add(struct ctl_store *st, const struct ctl_store_policy *p)
{
	int ret;

	if (p == NULL || p->version == 0 || p->version > INT64_MAX ||
	    p->created_ms > INT64_MAX || p->compiled == NULL ||
	    p->compiled_len == 0 || p->compiled_len > INT32_MAX ||
	    p->signed_len > INT32_MAX ||
	    (p->signed_policy == NULL) != (p->signed_len == 0) ||
	    p->rollback_of > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret == 0)
		ret = policy_add_locked(st, p);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

void
ctl_store_policy_free(struct ctl_store_policy *p)
{
	if (p == NULL)
		return;
	free(p->source);
	free(p->compiled);
	free(p->signed_policy);
	free(p->comment);
	free(p->applied_by);
	memset(p, 0, sizeof(*p));
}

static void *
dup_blob(sqlite3_stmt *s, int i, size_t *len)
{
	const void *b = sqlite3_column_blob(s, i);
	int n = sqlite3_column_bytes(s, i);
	void *p;

	*len = 0;
	if (b == NULL || n <= 0)
		return NULL;
	p = malloc((size_t)n);
	if (p != NULL) {
		memcpy(p, b, (size_t)n);
		*len = (size_t)n;
	}
	return p;
}

static int
policy_get_locked(struct ctl_store *st, uint64_t version,
		  struct ctl_store_policy *p)
{
	sqlite3_stmt *s = stmt(st, S_POLICY_GET);
	int rc, ret = 0;

	memset(p, 0, sizeof(*p));
	sqlite3_bind_int64(s, 1, (sqlite3_int64)version);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		st_err(st, "no policy version %" PRIu64, version);
		ret = -ENOENT;
	} else if (rc != SQLITE_ROW) {
		ret = db_fail(st, rc, "policy");
	} else {
		p->version = (uint64_t)sqlite3_column_int64(s, 0);
		p->created_ms = (uint64_t)sqlite3_column_int64(s, 1);
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			p->source = strdup(col_text(s, 2));
		p->compiled = dup_blob(s, 3, &p->compiled_len);
		p->signed_policy = dup_blob(s, 4, &p->signed_len);
		p->comment = strdup(col_text(s, 5));
		p->applied_by = strdup(col_text(s, 6));
		p->rollback_of = (uint64_t)sqlite3_column_int64(s, 7);
		if ((sqlite3_column_type(s, 2) != SQLITE_NULL &&
		     p->source == NULL) || p->compiled == NULL ||
		    (sqlite3_column_bytes(s, 4) > 0 &&
		     p->signed_policy == NULL) || p->comment == NULL ||
		    p->applied_by == NULL) {
			st_err(st, "out of memory");
			ret = -ENOMEM;
		}
	}
	sqlite3_reset(s);
	if (ret < 0)
		ctl_store_policy_free(p);
	return ret;
}

int
ctl_store_policy_get(struct ctl_store *st, uint64_t version,
		     struct ctl_store_policy *p)
{
	int ret;

	if (p == NULL || version > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = policy_get_locked(st, version, p);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_policy_latest(struct ctl_store *st, struct ctl_store_policy *p)
{
	uint64_t v = 0;
	int ret;

	if (p == NULL)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	pthread_mutex_lock(&st->lock);
	ret = query_u64(st, stmt(st, S_POLICY_MAX), "policy", &v);
	if (ret == 0 && v == 0) {
		st_err(st, "no policy stored");
		ret = -ENOENT;
	}
	if (ret == 0)
		ret = policy_get_locked(st, v, p);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_policy_history(struct ctl_store *st, uint32_t limit,
			 ctl_store_policy_cb cb, void *arg)
{
	struct ctl_store_policy_info pi;
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_POLICY_HISTORY);
	sqlite3_bind_int64(s, 1, limit == 0 ? -1 : (sqlite3_int64)limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pi.version = (uint64_t)sqlite3_column_int64(s, 0);
		pi.created_ms = (uint64_t)sqlite3_column_int64(s, 1);
		pi.comment = col_text(s, 2);
		pi.applied_by = col_text(s, 3);
		pi.rollback_of = (uint64_t)sqlite3_column_int64(s, 4);
		pi.has_source = sqlite3_column_int(s, 5) != 0;
		pi.is_signed = sqlite3_column_int(s, 6) != 0;
		pi.compiled_len = (size_t)sqlite3_column_int64(s, 7);
		ret = cb(&pi, arg);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(st, rc, "policy history");
	sqlite3_reset(s);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_policy_rollback(struct ctl_store *st, uint64_t old_version,
			  const struct ctl_sign_key *key,
			  const char *applied_by, uint64_t now,
			  uint64_t *new_version)
{
	struct ctl_store_policy old, np;
	uint8_t *compiled = NULL, *sgn = NULL;
	size_t compiled_len = 0, sgn_len = 0;
	char comment[96], err[160];
	uint64_t latest = 0;
	int ret;

	if (old_version == 0 || old_version > INT64_MAX || now > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	/* One write transaction: nobody adds a version in between. */
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	ret = policy_get_locked(st, old_version, &old);
	if (ret < 0)
		goto out_rollback;
	ret = query_u64(st, stmt(st, S_POLICY_MAX), "policy", &latest);
	if (ret < 0)
		goto out_free;
	ret = ctl_sign_reversion(key, old.compiled, old.compiled_len,
				 latest + 1, now, &compiled, &compiled_len,
				 &sgn, &sgn_len, err, sizeof(err));
	if (ret < 0) {
		st_err(st, "rollback to %" PRIu64 ": %s", old_version, err);
		goto out_free;
	}
	snprintf(comment, sizeof(comment), "rollback to %" PRIu64,
		 old_version);
	memset(&np, 0, sizeof(np));
	np.version = latest + 1;
	np.created_ms = now;
	np.source = old.source;
	np.compiled = compiled;
	np.compiled_len = compiled_len;
	np.signed_policy = sgn;
	np.signed_len = sgn_len;
	np.comment = comment;
	np.applied_by = (char *)applied_by;
	np.rollback_of = old_version;
	ret = policy_add_locked(st, &np);
	if (ret == 0)
		ret = tx_commit(st);
	if (ret == 0 && new_version != NULL)
		*new_version = latest + 1;
out_free:
	free(compiled);
	free(sgn);
	ctl_store_policy_free(&old);
out_rollback:
	if (ret < 0)
		tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_policy_diff(struct ctl_store *st, uint64_t a, uint64_t b,
		      char **out)
{
	struct ctl_store_policy pa, pb;
	char la[48], lb[48];
	int ret;

	if (out == NULL || a > INT64_MAX || b > INT64_MAX)
		return -EINVAL;
	*out = NULL;
	pthread_mutex_lock(&st->lock);
	ret = policy_get_locked(st, a, &pa);
	if (ret < 0)
		goto out;
	ret = policy_get_locked(st, b, &pb);
	if (ret < 0) {
		ctl_store_policy_free(&pa);
		goto out;
	}
	if (pa.source == NULL || pb.source == NULL) {
		st_err(st, "policy %" PRIu64 " has no source to diff",
		       pa.source == NULL ? a : b);
		ret = -ENODATA;
	} else {
		snprintf(la, sizeof(la), "policy %" PRIu64, a);
		snprintf(lb, sizeof(lb), "policy %" PRIu64, b);
		ret = ctl_store_diff_text(pa.source, la, pb.source, lb, out);
		if (ret < 0)
			st_err(st, "diff: %s", strerror(-ret));
	}
	ctl_store_policy_free(&pa);
	ctl_store_policy_free(&pb);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Devices --------------------------------------------------------- */

static int
device_upsert_one(struct ctl_store *st, const struct ctl_store_device *d)
{
	sqlite3_stmt *s = stmt(st, S_DEVICE_UPSERT);

	bind_mac(s, 1, d->mac);
	sqlite3_bind_int(s, 2, d->vlan);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)d->first_seen_ms);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)d->last_seen_ms);
	bind_text(s, 5, d->dataplane_id);
	bind_text(s, 6, d->vendor);
	sqlite3_bind_double(s, 7, d->vendor_conf);
	bind_text(s, 8, d->type);
	sqlite3_bind_double(s, 9, d->type_conf);
	bind_text(s, 10, d->os);
	sqlite3_bind_double(s, 11, d->os_conf);
	bind_text(s, 12, d->model);
	sqlite3_bind_double(s, 13, d->model_conf);
	bind_opt_text(s, 14, d->evidence_json);
	bind_opt_text(s, 15, d->addresses_json);
	bind_text(s, 16, d->hostname);
	bind_text(s, 17, d->mud_url);
	return exec_stmt(st, s, "device");
}

int
ctl_store_device_upsert(struct ctl_store *st, const struct ctl_store_device *d)
{
	return ctl_store_device_upsert_batch(st, d, 1);
}

int
ctl_store_device_upsert_batch(struct ctl_store *st,
			      const struct ctl_store_device *d, size_t n)
{
	int ret;

	if (d == NULL && n > 0)
		return -EINVAL;
	/* Checked up front: one bad row must not leave half a batch. */
	for (size_t i = 0; i < n; i++)
		if (d[i].vlan > 4095 || d[i].first_seen_ms > INT64_MAX ||
		    d[i].last_seen_ms > INT64_MAX)
			return -EINVAL;
	if (n == 0)
		return 0;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = device_upsert_one(st, &d[i]);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static void
device_row(sqlite3_stmt *s, struct ctl_store_device *d)
{
	memset(d, 0, sizeof(*d));
	if (sqlite3_column_bytes(s, 0) == 6)
		memcpy(d->mac, sqlite3_column_blob(s, 0), 6);
	d->vlan = (uint16_t)sqlite3_column_int(s, 1);
	d->first_seen_ms = (uint64_t)sqlite3_column_int64(s, 2);
	d->last_seen_ms = (uint64_t)sqlite3_column_int64(s, 3);
	d->dataplane_id = col_text(s, 4);
	d->vendor = col_text(s, 5);
	d->vendor_conf = sqlite3_column_double(s, 6);
	d->type = col_text(s, 7);
	d->type_conf = sqlite3_column_double(s, 8);
	d->os = col_text(s, 9);
	d->os_conf = sqlite3_column_double(s, 10);
	d->model = col_text(s, 11);
	d->model_conf = sqlite3_column_double(s, 12);
	d->evidence_json = (const char *)sqlite3_column_text(s, 13);
	d->addresses_json = (const char *)sqlite3_column_text(s, 14);
	d->hostname = col_text(s, 15);
	d->mud_url = col_text(s, 16);
}

static int
device_iter(struct ctl_store *st, sqlite3_stmt *s, ctl_store_device_cb cb,
	    void *arg, bool one)
{
	struct ctl_store_device d;
	int rc, ret = 0, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		device_row(s, &d);
		n++;
		ret = cb(&d, arg);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(st, rc, "device");
	if (ret == 0 && one && n == 0) {
		st_err(st, "no such device");
		ret = -ENOENT;
	}
	sqlite3_reset(s);
	return ret;
}

int
ctl_store_device_get(struct ctl_store *st, const uint8_t mac[6],
		     uint16_t vlan, ctl_store_device_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL || cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_DEVICE_GET);
	bind_mac(s, 1, mac);
	sqlite3_bind_int(s, 2, vlan);
	ret = device_iter(st, s, cb, arg, true);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_device_list(struct ctl_store *st, ctl_store_device_cb cb, void *arg)
{
	int ret;

	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = device_iter(st, stmt(st, S_DEVICE_LIST), cb, arg, false);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Quarantine ------------------------------------------------------ */

static void
mac_str(char buf[18], const uint8_t mac[6])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

/* {"mac": ..., "reason": ..., "by": ...} with proper escaping (by SQLite). */
static int
quar_detail(struct ctl_store *st, const uint8_t mac[6], const char *reason,
	    const char *by, char **out)
{
	sqlite3_stmt *s;
	char m[18];
	int rc;

	mac_str(m, mac);
	rc = sqlite3_prepare_v2(st->db, "SELECT json_object('mac', ?1, "
				"'reason', ?2, 'by', ?3)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return db_fail(st, rc, "event detail");
	sqlite3_bind_text(s, 1, m, -1, SQLITE_STATIC);
	bind_text(s, 2, reason);
	bind_text(s, 3, by);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? strdup(col_text(s, 0)) : NULL;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, rc, "event detail");
	return *out != NULL ? 0 : -ENOMEM;
}

int
ctl_store_quarantine_add(struct ctl_store *st, const uint8_t mac[6],
			 const char *reason, const char *by, uint64_t now)
{
	char *detail = NULL;
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL || now > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	s = stmt(st, S_QUAR_ADD);
	bind_mac(s, 1, mac);
	bind_text(s, 2, reason);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)now);
	bind_text(s, 4, by);
	ret = exec_stmt(st, s, "quarantine");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		st_err(st, "already quarantined");
		ret = -EEXIST;
	}
	if (ret == 0)
		ret = quar_detail(st, mac, reason, by, &detail);
	if (ret == 0)
		ret = event_add_locked(st, now, CTL_STORE_EV_QUARANTINE, NULL,
				       mac, detail, NULL);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
	free(detail);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_quarantine_del(struct ctl_store *st, const uint8_t mac[6],
			 const char *by, uint64_t now)
{
	char *detail = NULL;
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL || now > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	s = stmt(st, S_QUAR_DEL);
	bind_mac(s, 1, mac);
	ret = exec_stmt(st, s, "quarantine");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		st_err(st, "not quarantined");
		ret = -ENOENT;
	}
	if (ret == 0)
		ret = quar_detail(st, mac, "", by, &detail);
	if (ret == 0)
		ret = event_add_locked(st, now, CTL_STORE_EV_RELEASE, NULL,
				       mac, detail, NULL);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
	free(detail);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static int
quar_iter(struct ctl_store *st, sqlite3_stmt *s, ctl_store_quarantine_cb cb,
	  void *arg, bool one)
{
	struct ctl_store_quarantine q;
	int rc, ret = 0, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&q, 0, sizeof(q));
		if (sqlite3_column_bytes(s, 0) == 6)
			memcpy(q.mac, sqlite3_column_blob(s, 0), 6);
		q.since_ms = (uint64_t)sqlite3_column_int64(s, 1);
		q.reason = col_text(s, 2);
		q.by = col_text(s, 3);
		n++;
		ret = cb != NULL ? cb(&q, arg) : 0;
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(st, rc, "quarantine");
	if (ret == 0 && one && n == 0) {
		st_err(st, "not quarantined");
		ret = -ENOENT;
	}
	sqlite3_reset(s);
	return ret;
}

int
ctl_store_quarantine_get(struct ctl_store *st, const uint8_t mac[6],
			 ctl_store_quarantine_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_QUAR_GET);
	bind_mac(s, 1, mac);
	ret = quar_iter(st, s, cb, arg, true);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_quarantine_list(struct ctl_store *st, ctl_store_quarantine_cb cb,
			  void *arg)
{
	int ret;

	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = quar_iter(st, stmt(st, S_QUAR_LIST), cb, arg, false);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Segment overrides ---------------------------------------------- */

int
ctl_store_segment_set(struct ctl_store *st, const uint8_t mac[6],
		      uint16_t vlan, const char *segment, const char *by,
		      uint64_t now)
{
	bool clear = segment == NULL || segment[0] == '\0';
	char *detail = NULL;
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL || vlan > 4095 || now > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	if (clear) {
		s = stmt(st, S_SEG_DEL);
		bind_mac(s, 1, mac);
	} else {
		s = stmt(st, S_SEG_PUT);
		bind_mac(s, 1, mac);
		sqlite3_bind_int(s, 2, vlan);
		bind_text(s, 3, segment);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
		bind_text(s, 5, by);
	}
	ret = exec_stmt(st, s, "segment override");
	if (ret == 0 && clear && sqlite3_changes(st->db) == 0) {
		st_err(st, "no segment override");
		ret = -ENOENT;
	}
	/* The same {mac, reason, by} detail as quarantine, reason the
	 * segment. */
	if (ret == 0)
		ret = quar_detail(st, mac, clear ? "" : segment, by, &detail);
	if (ret == 0)
		ret = event_add_locked(st, now, clear ?
				       CTL_STORE_EV_SEGMENT_CLEARED :
				       CTL_STORE_EV_SEGMENT_SET, NULL, mac,
				       detail, NULL);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
	free(detail);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_segment_list(struct ctl_store *st, ctl_store_segment_cb cb,
		       void *arg)
{
	struct ctl_store_segment o;
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_SEG_LIST);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&o, 0, sizeof(o));
		if (sqlite3_column_bytes(s, 0) == 6)
			memcpy(o.mac, sqlite3_column_blob(s, 0), 6);
		o.vlan = (uint16_t)sqlite3_column_int(s, 1);
		o.segment = col_text(s, 2);
		o.since_ms = (uint64_t)sqlite3_column_int64(s, 3);
		o.by = col_text(s, 4);
		ret = cb(&o, arg);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(st, rc, "segment override");
	sqlite3_reset(s);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Reports --------------------------------------------------------- */

static int
mark_get_locked(struct ctl_store *st, const char *dp, uint64_t boot,
		uint64_t *seq)
{
	sqlite3_stmt *s = stmt(st, S_MARK_GET);

	bind_text(s, 1, dp);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)boot);
	return query_u64(st, s, "report mark", seq);
}

int
ctl_store_ingest_report(struct ctl_store *st, const char *dataplane_id,
			uint64_t boot, uint64_t seq, const void *payload,
			size_t len, uint64_t *acked_seq)
{
	uint64_t mark = 0, now = now_ms();
	bool have_mark;
	sqlite3_stmt *s;
	int ret;

	if (dataplane_id == NULL || dataplane_id[0] == '\0' ||
	    boot > INT64_MAX || seq > INT64_MAX || len > INT32_MAX ||
	    (payload == NULL && len > 0) || acked_seq == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	ret = mark_get_locked(st, dataplane_id, boot, &mark);
	if (ret < 0 && ret != -ENOENT)
		goto out_rollback;
	have_mark = ret == 0;
	if (have_mark && seq <= mark) {
		/* A retransmission: count it, store nothing. */
		s = stmt(st, S_MARK_DUP);
		bind_text(s, 1, dataplane_id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)boot);
		ret = exec_stmt(st, s, "report mark");
		if (ret == 0)
			ret = tx_commit(st);
		if (ret == 0) {
			*acked_seq = mark;
			ret = 1;
		}
		goto out_rollback;
	}
	/* The mark first: the report's foreign key points at it. */
	s = stmt(st, S_MARK_SET);
	bind_text(s, 1, dataplane_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)boot);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	/* Seqs skipped: from 1 (or the mark) up to this one. */
	sqlite3_bind_int64(s, 5, (sqlite3_int64)(have_mark ? seq - mark - 1 :
						 (seq > 1 ? seq - 1 : 0)));
	ret = exec_stmt(st, s, "report mark");
	if (ret < 0)
		goto out_rollback;
	s = stmt(st, S_REPORT_ADD);
	bind_text(s, 1, dataplane_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)boot);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)seq);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	sqlite3_bind_blob(s, 5, payload != NULL ? payload : "", (int)len,
			  SQLITE_STATIC);
	ret = exec_stmt(st, s, "report");
	if (ret == 0)
		ret = tx_commit(st);
	if (ret == 0)
		*acked_seq = seq;
out_rollback:
	if (ret < 0)
		tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
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
	s = stmt(st, S_REPORT_COUNTS);
	bind_text(s, 1, dataplane_id);
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
		ret = db_fail(st, rc, "report counts");
	}
	sqlite3_reset(s);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_report_prune(struct ctl_store *st, uint64_t before_ms,
		       uint64_t *deleted)
{
	sqlite3_stmt *s;
	int ret;

	if (before_ms > INT64_MAX)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = tx_begin(st);
	if (ret < 0)
		goto out;
	s = stmt(st, S_REPORT_PRUNE);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)before_ms);
	ret = exec_stmt(st, s, "report prune");
	if (ret == 0 && deleted != NULL)
		*deleted = (uint64_t)sqlite3_changes(st->db);
	if (ret == 0)
		ret = tx_commit(st);
	else
		tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* --- Line diff ------------------------------------------------------- */

/*
 * LCS on the lines between the common prefix and suffix, by dynamic
 * programming. Policies are small and edits local, so the middle is
 * small; past DIFF_MAX_CELLS it is shown as deleted and added whole,
 * which is still a correct diff, just not a minimal one.
 */
#define DIFF_CONTEXT 3
#define DIFF_MAX_CELLS (8u << 20)

struct dline {
	const char *p;
	size_t len;		/* without the newline */
	bool nl;		/* ends with a newline */
};

enum dop_kind { DOP_EQ, DOP_DEL, DOP_ADD };

struct dop {
	enum dop_kind kind;
	size_t ai, bi;		/* lines of a and b before this op */
};

struct dbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void __attribute__((format(printf, 2, 3)))
dbuf_printf(struct dbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap * 2 + (size_t)n + 1;
		char *q = realloc(b->p, cap);

		if (q == NULL) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
}

static struct dline *
split_lines(const char *t, size_t *n)
{
	size_t count = 0, i = 0, len = strlen(t);
	struct dline *v;

	for (size_t k = 0; k < len; k++)
		count += t[k] == '\n';
	count += len > 0 && t[len - 1] != '\n';
	v = calloc(count > 0 ? count : 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (const char *p = t; *p != '\0'; i++) {
		const char *e = strchr(p, '\n');

		v[i].p = p;
		v[i].len = e != NULL ? (size_t)(e - p) : strlen(p);
		v[i].nl = e != NULL;
		p = e != NULL ? e + 1 : p + v[i].len;
	}
	*n = count;
	return v;
}

static bool
dline_eq(const struct dline *x, const struct dline *y)
{
	return x->len == y->len && x->nl == y->nl &&
		memcmp(x->p, y->p, x->len) == 0;
}

static void
emit_line(struct dbuf *o, char mark, const struct dline *l)
{
	dbuf_printf(o, "%c%.*s\n", mark, (int)l->len, l->p);
	if (!l->nl)
		dbuf_printf(o, "\\ No newline at end of file\n");
}

static void
emit_range(struct dbuf *o, char side, size_t start, size_t count)
{
	/* diff -u: an empty range names the line before it. */
	if (count == 1)
		dbuf_printf(o, "%c%zu", side, start + 1);
	else
		dbuf_printf(o, "%c%zu,%zu", side, count ? start + 1 : start,
			    count);
}

/* Fill ops for the middle part a[0..n) vs b[0..m). */
static size_t
diff_middle(const struct dline *a, size_t n, const struct dline *b, size_t m,
	    size_t a0, size_t b0, struct dop *ops)
{
	size_t k = 0, i = 0, j = 0;
	uint16_t *dp = NULL;

	if (n > 0 && m > 0 && n * m <= DIFF_MAX_CELLS)
		dp = calloc((n + 1) * (m + 1), sizeof(*dp));
	if (dp != NULL) {
		/* dp[i][j]: LCS length of a[i..] and b[j..]. */
#define DP(x, y) dp[(x) * (m + 1) + (y)]
		for (size_t x = n; x-- > 0;)
			for (size_t y = m; y-- > 0;)
				DP(x, y) = dline_eq(&a[x], &b[y]) ?
					DP(x + 1, y + 1) + 1 :
					DP(x + 1, y) > DP(x, y + 1) ?
					DP(x + 1, y) : DP(x, y + 1);
		while (i < n && j < m) {
			struct dop *op = &ops[k++];

			op->ai = a0 + i;
			op->bi = b0 + j;
			if (dline_eq(&a[i], &b[j])) {
				op->kind = DOP_EQ;
				i++;
				j++;
			} else if (DP(i + 1, j) >= DP(i, j + 1)) {
				op->kind = DOP_DEL;
				i++;
			} else {
				op->kind = DOP_ADD;
				j++;
			}
		}
#undef DP
		free(dp);
	}
	for (; i < n; i++)
		ops[k++] = (struct dop){ DOP_DEL, a0 + i, b0 + j };
	for (; j < m; j++)
		ops[k++] = (struct dop){ DOP_ADD, a0 + i, b0 + j };
	return k;
}

/* Within each run of changes, deletions first, as diff prints them. */
static void
order_changes(struct dop *ops, size_t n)
{
	for (size_t s = 0; s < n;) {
		size_t e = s, dels = 0;

		if (ops[s].kind == DOP_EQ) {
			s++;
			continue;
		}
		while (e < n && ops[e].kind != DOP_EQ)
			dels += ops[e++].kind == DOP_DEL;
		size_t ai = ops[s].ai, bi = ops[s].bi;

		for (size_t x = s; x < e; x++) {
			bool del = x - s < dels;

			ops[x].kind = del ? DOP_DEL : DOP_ADD;
			ops[x].ai = ai;
			ops[x].bi = bi;
			if (del)
				ai++;
			else
				bi++;
		}
		s = e;
	}
}

int
ctl_store_diff_text(const char *ta, const char *label_a, const char *tb,
		    const char *label_b, char **out)
{
	struct dline *a = NULL, *b = NULL;
	size_t n = 0, m = 0, pre = 0, suf = 0, nops = 0;
	struct dbuf o = { NULL, 0, 0, false };
	struct dop *ops = NULL;
	int ret = -ENOMEM;

	if (ta == NULL || tb == NULL || out == NULL)
		return -EINVAL;
	*out = NULL;
	a = split_lines(ta, &n);
	b = split_lines(tb, &m);
	ops = calloc(n + m + 1, sizeof(*ops));
	o.cap = 256;
	o.p = malloc(o.cap);
	if (a == NULL || b == NULL || ops == NULL || o.p == NULL)
		goto out;
	o.p[0] = '\0';
	while (pre < n && pre < m && dline_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       dline_eq(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		ops[nops++] = (struct dop){ DOP_EQ, i, i };
	nops += diff_middle(a + pre, n - pre - suf, b + pre, m - pre - suf,
			    pre, pre, ops + nops);
	for (size_t i = 0; i < suf; i++)
		ops[nops++] = (struct dop){ DOP_EQ, n - suf + i, m - suf + i };
	order_changes(ops, nops);

	if (pre == n && pre == m) {	/* identical */
		ret = 0;
		goto out;
	}
	dbuf_printf(&o, "--- %s\n+++ %s\n", label_a ? label_a : "a",
		    label_b ? label_b : "b");
	for (size_t x = 0; x < nops;) {
		size_t first, last, s, e, ac = 0, bc = 0;

		while (x < nops && ops[x].kind == DOP_EQ)
			x++;
		if (x == nops)
			break;
		first = last = x;
		/* Take in changes while the equal run between is short. */
		for (size_t y = x + 1; y < nops; y++) {
			if (ops[y].kind == DOP_EQ)
				continue;
			if (y - last - 1 > 2 * DIFF_CONTEXT)
				break;
			last = y;
		}
		s = first > DIFF_CONTEXT ? first - DIFF_CONTEXT : 0;
		e = last + 1 + DIFF_CONTEXT < nops ? last + 1 + DIFF_CONTEXT :
			nops;
		for (size_t y = s; y < e; y++) {
			ac += ops[y].kind != DOP_ADD;
			bc += ops[y].kind != DOP_DEL;
		}
		dbuf_printf(&o, "@@ ");
		emit_range(&o, '-', ops[s].ai, ac);
		dbuf_printf(&o, " ");
		emit_range(&o, '+', ops[s].bi, bc);
		dbuf_printf(&o, " @@\n");
		for (size_t y = s; y < e; y++) {
			switch (ops[y].kind) {
			case DOP_EQ:
				emit_line(&o, ' ', &a[ops[y].ai]);
				break;
			case DOP_DEL:
				emit_line(&o, '-', &a[ops[y].ai]);
				break;
			case DOP_ADD:
				emit_line(&o, '+', &b[ops[y].bi]);
				break;
			}
		}
		x = e;
	}
	ret = o.oom ? -ENOMEM : 0;
out:
	free(a);
	free(b);
	free(ops);
	if (ret == 0) {
		*out = o.p;
	} else {
		free(o.p);
	}
	return ret;
}

/* --- MUD bindings ---------------------------------------------------- */

static bool
mud_source_ok(const char *s)
{
	static const char *const ok[] = { "cli", "dhcp", "dhcpv6", "lldp" };

	for (size_t i = 0; s != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	return false;
}

int
ctl_store_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return -EIO;
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int
ctl_store_mud_put(struct ctl_store *st, const struct ctl_store_mud *m)
{
	char hex[65];
	sqlite3_stmt *s;
	int ret;

	if (m == NULL || m->vlan > 4095 || m->mud_url == NULL ||
	    m->mud_url[0] == '\0' || m->file == NULL ||
	    m->file_len > INT32_MAX || m->sig_len > INT32_MAX ||
	    m->imported_ms > INT64_MAX || !mud_source_ok(m->source))
		return -EINVAL;
	ret = ctl_store_sha256_hex(m->file, m->file_len, hex);
	if (ret < 0)
		return ret;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_MUD_PUT);
	bind_mac(s, 1, m->mac);
	sqlite3_bind_int(s, 2, m->vlan);
	bind_text(s, 3, m->mud_url);
	sqlite3_bind_text(s, 4, m->file, (int)m->file_len, SQLITE_STATIC);
	if (m->signature != NULL)
		sqlite3_bind_blob(s, 5, m->signature, (int)m->sig_len,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 5);
	bind_text(s, 6, hex);
	bind_text(s, 7, m->source);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)m->imported_ms);
	bind_text(s, 9, m->by);
	ret = exec_stmt(st, s, "mud binding");
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_mud_del(struct ctl_store *st, const uint8_t mac[6])
{
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_MUD_DEL);
	bind_mac(s, 1, mac);
	ret = exec_stmt(st, s, "mud binding");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		st_err(st, "no MUD binding for that device");
		ret = -ENOENT;
	}
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static int
mud_iter(struct ctl_store *st, sqlite3_stmt *s, ctl_store_mud_cb cb,
	 void *arg, bool one)
{
	struct ctl_store_mud m;
	int rc, ret = 0, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		if (sqlite3_column_bytes(s, 0) == 6)
			memcpy(m.mac, sqlite3_column_blob(s, 0), 6);
		m.vlan = (uint16_t)sqlite3_column_int(s, 1);
		m.mud_url = col_text(s, 2);
		m.file = col_text(s, 3);
		m.file_len = (size_t)sqlite3_column_bytes(s, 3);
		m.signature = sqlite3_column_blob(s, 4);
		m.sig_len = (size_t)sqlite3_column_bytes(s, 4);
		m.sha256 = col_text(s, 5);
		m.source = col_text(s, 6);
		m.imported_ms = (uint64_t)sqlite3_column_int64(s, 7);
		m.by = col_text(s, 8);
		n++;
		ret = cb(&m, arg);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = db_fail(st, rc, "mud binding");
	if (ret == 0 && one && n == 0) {
		st_err(st, "no MUD binding for that device");
		ret = -ENOENT;
	}
	sqlite3_reset(s);
	return ret;
}

int
ctl_store_mud_get(struct ctl_store *st, const uint8_t mac[6],
		  ctl_store_mud_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL || cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = stmt(st, S_MUD_GET);
	bind_mac(s, 1, mac);
	ret = mud_iter(st, s, cb, arg, true);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_mud_list(struct ctl_store *st, ctl_store_mud_cb cb, void *arg)
{
	int ret;

	if (cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	ret = mud_iter(st, stmt(st, S_MUD_LIST), cb, arg, false);
	pthread_mutex_unlock(&st->lock);
	return ret;
}
