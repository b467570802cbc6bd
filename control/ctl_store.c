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
 *   4: alert (the dataplanes' detection alerts, as received), envelope
 *      (each device's learned behaviour envelope)
 *   5: segment_override (a device put in a segment by an operator)
 *   6: consent (flows an operator allowed always from a prompt)
 *   7: policy.base (the pushed compiled version a version was composed
 *      on) and policy.applied_ms (when a dataplane first had it in force)
 *   8: consent.expires_ms (a consent for a time: 1 h, 1 d, 1 w)
 *   9: device.listed_ms (when a dataplane last listed the device, which
 *      the retention goes by), and the indexes the retention's deletes
 *      walk: device (listed_ms), event (time_ms), alert (received_ms)
 *  10: policy.pruned_ms and the counts a pruned version keeps (its source,
 *      compiled and signed forms emptied: --policy-keep), and an index
 *      on policy.base
 *  11: policy_source: each operator source once, keyed by its SHA-256
 *      (cordon_sha256(), registered on the connection); policy.source
 *      keeps '' for "had one" and policy.source_id points at it. Every
 *      quarantine, release and consent recompiles the same source: a
 *      10,000-device policy's 1.4 MB was stored again each time.
 * A database with a newer version than this build knows is refused rather
 * than misread. application_id marks the file as cordond's. A new file is
 * made with auto_vacuum=INCREMENTAL, so that it can shrink
 * (ctl_store_space.c); that is a property of the file, not a migration.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ctl_store_impl.h"
#include "util_err.h"

#define CTL_STORE_APP_ID 0x43444e44	/* "CDND" */

/*
 * Memory and disk bounds, explicit rather than SQLite's build defaults: the
 * page cache (negative: KiB) fills up to its cap as the store grows, and
 * stays there; the WAL is checkpointed every 1000 pages and truncated back
 * to 4 MiB after a checkpoint instead of keeping its largest size.
 */
#define CTL_STORE_STR(x) #x
#define CTL_STORE_XSTR(x) CTL_STORE_STR(x)
#define CTL_STORE_BOUNDS \
	"PRAGMA cache_size = -" CTL_STORE_XSTR(CTL_STORE_CACHE_KIB) ";" \
	"PRAGMA wal_autocheckpoint = 1000;" \
	"PRAGMA journal_size_limit = 4194304;"

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
	"CREATE TABLE alert ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  received_ms INTEGER NOT NULL,"
	"  dataplane_id TEXT NOT NULL,"
	"  boot INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  mac BLOB NOT NULL CHECK (length(mac) = 6),"
	"  detector TEXT NOT NULL CHECK (detector <> ''),"
	"  action TEXT NOT NULL,"
	"  policy_version INTEGER,"
	"  payload BLOB NOT NULL,"
	"  UNIQUE (dataplane_id, boot, seq));"
	"CREATE INDEX alert_mac ON alert (mac);"
	"CREATE TABLE envelope ("
	"  mac BLOB NOT NULL CHECK (length(mac) = 6),"
	"  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),"
	"  dataplane_id TEXT NOT NULL,"
	"  stored_ms INTEGER NOT NULL,"
	"  data BLOB NOT NULL,"
	"  PRIMARY KEY (mac, vlan)) WITHOUT ROWID;",
	/* 4 -> 5 */
	"CREATE TABLE segment_override ("
	"  mac BLOB PRIMARY KEY CHECK (length(mac) = 6),"
	"  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),"
	"  segment TEXT NOT NULL CHECK (segment <> ''),"
	"  since_ms INTEGER NOT NULL,"
	"  by TEXT NOT NULL DEFAULT '') WITHOUT ROWID;",
	/* 5 -> 6 */
	"CREATE TABLE consent ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  mac BLOB NOT NULL CHECK (length(mac) = 6),"
	"  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),"
	"  dst TEXT NOT NULL CHECK (dst <> ''),"
	"  proto INTEGER NOT NULL CHECK (proto BETWEEN 0 AND 255),"
	"  dst_port INTEGER NOT NULL CHECK (dst_port BETWEEN 0 AND 65535),"
	"  prompt INTEGER NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  by TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (mac, vlan, dst, proto, dst_port));",
	/* 6 -> 7 */
	"ALTER TABLE policy ADD COLUMN base INTEGER"
	"  REFERENCES policy (version);"
	"ALTER TABLE policy ADD COLUMN applied_ms INTEGER;",
	/* 7 -> 8 */
	"ALTER TABLE consent ADD COLUMN expires_ms INTEGER NOT NULL DEFAULT 0;",
	/* 8 -> 9: a dataplane lists a device at least until it was last
	 * seen, so that is where a stored row's listing starts. */
	"ALTER TABLE device ADD COLUMN listed_ms INTEGER NOT NULL DEFAULT 0;"
	"UPDATE device SET listed_ms = last_seen_ms;"
	"CREATE INDEX device_listed ON device (listed_ms);"
	"CREATE INDEX event_time ON event (time_ms);"
	"CREATE INDEX alert_received ON alert (received_ms);",
	/* 9 -> 10 */
	"ALTER TABLE policy ADD COLUMN pruned_ms INTEGER;"
	"ALTER TABLE policy ADD COLUMN n_rules INTEGER;"
	"ALTER TABLE policy ADD COLUMN n_devices INTEGER;"
	"ALTER TABLE policy ADD COLUMN n_quarantined INTEGER;"
	/* The prune's "not a base" without reading every version's
	 * blobs (base is stored after them). */
	"CREATE INDEX policy_base ON policy (base);",
	/* 10 -> 11: each source once, by its SHA-256; a version keeps ''
	 * in source (it had one) and points at it. */
	"CREATE TABLE policy_source ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 BLOB NOT NULL UNIQUE,"
	"  text TEXT NOT NULL);"
	"ALTER TABLE policy ADD COLUMN source_id INTEGER"
	"  REFERENCES policy_source (id);"
	"INSERT INTO policy_source (sha256, text)"
	"  SELECT cordon_sha256(source), min(source) FROM policy"
	"  WHERE source IS NOT NULL AND source <> ''"
	"  GROUP BY cordon_sha256(source);"
	"UPDATE policy SET source_id = (SELECT id FROM policy_source s"
	"  WHERE s.sha256 = cordon_sha256(policy.source)), source = ''"
	"  WHERE source IS NOT NULL AND source <> '';"
	"CREATE INDEX policy_source_id ON policy (source_id);",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
	       CTL_STORE_SCHEMA_VERSION, "one migration per schema version");

/* Every table file's statements, prepared at open. */
static const struct ctl_store_sql *const table_sql[] = {
	ctl_store_policy_sql,
	ctl_store_device_sql,
	ctl_store_event_sql,
	ctl_store_quarantine_sql,
	ctl_store_report_sql,
	ctl_store_mud_sql,
	ctl_store_segment_sql,
	ctl_store_consent_sql,
	ctl_store_alert_sql,
	ctl_store_envelope_sql,
};

static const struct ctl_store_sql tx_sql[] = {
	{ S_BEGIN, "BEGIN IMMEDIATE" },
	{ S_COMMIT, "COMMIT" },
	{ S_ROLLBACK, "ROLLBACK" },
	{ S_MAX, NULL },
};

/* --- Open, migrate, close -------------------------------------------- */

int
ctl_store_pragma_int(sqlite3 *db, const char *sql, int64_t *out)
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

/* cordon_sha256(text or blob): a policy source's key (schema 11). */
static void
store_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	unsigned char md[32];
	const void *p;
	int n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	p = sqlite3_value_blob(argv[0]);	/* a text's bytes */
	n = sqlite3_value_bytes(argv[0]);
	if (EVP_Digest(p != NULL ? p : "", (size_t)n, md, NULL, EVP_sha256(),
		       NULL) != 1) {
		sqlite3_result_error(ctx, "cordon_sha256: no digest", -1);
		return;
	}
	sqlite3_result_blob(ctx, md, sizeof(md), SQLITE_TRANSIENT);
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
			int ret = ctl_store_db_fail(st, rc, "schema migration");

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
prepare(struct ctl_store *st, const struct ctl_store_sql *sql)
{
	for (; sql->sql != NULL; sql++) {
		int rc = sqlite3_prepare_v3(st->db, sql->sql, -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &st->stmt[sql->id], NULL);

		if (rc != SQLITE_OK)
			return ctl_store_db_fail(st, rc, "prepare");
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
	rc = sqlite3_create_function_v2(st->db, "cordon_sha256", 1,
					SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					SQLITE_INNOCUOUS, NULL, store_sha256,
					NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return ctl_store_db_fail(st, rc, "cordon_sha256");
	/* The first read of the file: garbage shows up here as NOTADB. */
	rc = ctl_store_pragma_int(st->db, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK)
		rc = ctl_store_pragma_int(st->db, "PRAGMA application_id",
					  &app_id);
	if (rc == SQLITE_OK)
		rc = ctl_store_pragma_int(st->db, "SELECT count(*) FROM "
					  "sqlite_schema", &tables);
	if (rc != SQLITE_OK) {
		ret = ctl_store_db_fail(st, rc, path);
		if (ret == -EBADMSG)
			ctl_store_set_err(st, "%s: not a cordond database, or "
					  "corrupt (%s)", path,
					  sqlite3_errmsg(st->db));
		return ret;
	}
	if ((version > 0 || tables > 0) && app_id != CTL_STORE_APP_ID) {
		ctl_store_set_err(st, "%s: an SQLite database, but not "
				  "cordond's (application_id %#" PRIx64 ")",
				  path, (uint64_t)app_id);
		return -EBADMSG;
	}
	if (version > CTL_STORE_SCHEMA_VERSION || version < 0) {
		ctl_store_set_err(st, "%s: schema version %" PRId64
				  " is newer than this cordond knows (%d); "
				  "refusing to touch it", path, version,
				  CTL_STORE_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}

	/* A new file gives freed pages back (ctl_store_space.c); the mode
	 * can only be set before its first table. */
	if (version == 0 && tables == 0) {
		rc = sqlite3_exec(st->db, "PRAGMA auto_vacuum = INCREMENTAL",
				  NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return ctl_store_db_fail(st, rc, "auto_vacuum");
	}
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
				NULL);
	if (rc != SQLITE_OK)
		return ctl_store_db_fail(st, rc, "journal_mode");
	rc = sqlite3_step(s);
	mode = rc == SQLITE_ROW ? ctl_store_col_text(s, 0) : "";
	if (strcmp(mode, "wal") != 0) {
		ctl_store_set_err(st, "%s: cannot switch to WAL mode (%s)",
				  path,
				  rc == SQLITE_ROW ? mode : sqlite3_errmsg(st->db));
		ret = rc == SQLITE_ROW ? -EIO : ctl_store_errno(rc);
		sqlite3_finalize(s);
		return ret;
	}
	sqlite3_finalize(s);
	rc = sqlite3_exec(st->db, "PRAGMA synchronous = FULL;"
			  "PRAGMA foreign_keys = ON;" CTL_STORE_BOUNDS,
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return ctl_store_db_fail(st, rc, "pragmas");

	/* The file as it was, before a migration touches it. */
	if (version > 0 && version < CTL_STORE_SCHEMA_VERSION) {
		char bak[PATH_MAX];

		snprintf(bak, sizeof(bak), "%s.schema%" PRId64 ".bak", path,
			 version);
		ret = ctl_store_backup(st, bak, st->errbuf,
				       sizeof(st->errbuf));
		if (ret < 0)
			return ret;
	}
	ret = migrate(st, version);
	if (ret < 0)
		return ret;
	st->schema = CTL_STORE_SCHEMA_VERSION;
	ret = prepare(st, tx_sql);
	for (size_t t = 0; ret == 0 && t < sizeof(table_sql) /
	     sizeof(table_sql[0]); t++)
		ret = prepare(st, table_sql[t]);
	return ret;
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
	snprintf(st->path, sizeof(st->path), "%s", path);
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = ctl_store_errno(rc);
		ctl_store_set_err(st, "%s: %s", path,
				  st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
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

int
ctl_store_memory(struct ctl_store *st, struct ctl_store_mem *m)
{
	int cur = 0, hi = 0, rc;

	pthread_mutex_lock(&st->lock);
	rc = sqlite3_db_status(st->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi,
			       0);
	pthread_mutex_unlock(&st->lock);
	if (rc != SQLITE_OK)
		return -EIO;
	m->cache_used = (uint64_t)cur;
	m->cache_max = (uint64_t)CTL_STORE_CACHE_KIB * 1024;
	return 0;
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
		ret = ctl_store_db_fail(st, rc, "quick_check");
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && strcmp(ctl_store_col_text(s, 0), "ok") != 0) {
		/* The first problem is enough, on one line. */
		ctl_store_set_err(st, "database is corrupt: %.160s",
				  ctl_store_col_text(s, 0));
		for (char *p = st->errbuf; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		ret = -EBADMSG;
	} else if (rc != SQLITE_ROW) {
		ret = ctl_store_db_fail(st, rc, "quick_check");
		/* SQLite reads some mangled pages as "out of memory". */
		if (ret == -ENOMEM || ret == -EIO) {
			ctl_store_set_err(st, "database is corrupt (SQLite "
					  "cannot read it: %s)",
					  sqlite3_errmsg(st->db));
			ret = -EBADMSG;
		}
	}
	sqlite3_finalize(s);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_verify_file(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int64_t app_id = 0;
	int rc, ret = 0;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = ctl_store_pragma_int(db, "PRAGMA application_id",
					  &app_id);
	if (rc == SQLITE_OK && app_id != CTL_STORE_APP_ID) {
		util_err_set(err, errlen, "%s: not a cordond database", path);
		ret = -EBADMSG;
		goto out;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s,
					NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && strcmp(ctl_store_col_text(s, 0),
					       "ok") == 0) {
			rc = SQLITE_OK;
		} else if (rc == SQLITE_ROW) {
			util_err_set(err, errlen, "%s is corrupt: %.200s", path,
				     ctl_store_col_text(s, 0));
			ret = -EBADMSG;
			goto out;
		}
	}
	if (rc != SQLITE_OK) {
		util_err_set(err, errlen, "%s: %s", path, db ?
			     sqlite3_errmsg(db) : sqlite3_errstr(rc));
		ret = ctl_store_errno(rc);
		/* A mangled page may read as "out of memory": it is not. */
		if (ret == -ENOMEM)
			ret = -EBADMSG;
	}
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	for (char *p = err; err != NULL && *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	return ret;
}
