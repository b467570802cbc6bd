/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Inside the store: shared by its files, never by users of the store.
 *
 *   ctl_store.c          open, schema migrations, integrity checks, close
 *   ctl_store_stmt.c     errors, transactions, running statements, reads
 *   ctl_store_row.c      a row struct to and from its columns
 *   ctl_store_backup.c   online backups
 *   ctl_store_<table>.c  a table each, with its SQL
 *
 * Each table file owns its SQL: a table of statements (ctl_store_sql)
 * that ctl_store_open() prepares once, persistent, so a statement that no
 * longer fits the schema fails at start, not at first use. The ids of all
 * statements are in one enum, by table.
 */

#ifndef CORDON_CTL_STORE_IMPL_H
#define CORDON_CTL_STORE_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "ctl_store.h"
#include "util_time.h"

enum ctl_store_stmt {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	/* ctl_store_policy.c */
	S_POLICY_MAX,
	S_POLICY_ADD,
	S_POLICY_GET,
	S_POLICY_HISTORY,
	S_POLICY_COUNT,
	S_POLICY_SET_APPLIED,
	S_POLICY_PRUNABLE,
	S_POLICY_PRUNE,
	S_SOURCE_PUT,
	S_SOURCE_DROP,
	/* ctl_store_device.c */
	S_DEVICE_UPSERT,
	S_DEVICE_GET,
	S_DEVICE_LIST,
	S_DEVICE_PRUNE_ENV,
	S_DEVICE_PRUNE,
	/* ctl_store_event.c */
	S_EVENT_ADD,
	S_EVENTS,
	S_EVENTS_NEWEST,
	S_EVENT_COUNT,
	S_EVENT_LAST,
	S_EVENT_PRUNE,
	/* ctl_store_quarantine.c */
	S_QUAR_ADD,
	S_QUAR_DEL,
	S_QUAR_GET,
	S_QUAR_LIST,
	/* ctl_store_report.c */
	S_MARK_GET,
	S_MARK_DUP,
	S_MARK_SET,
	S_REPORT_ADD,
	S_REPORT_COUNTS,
	S_REPORT_PRUNE,
	/* ctl_store_mud.c */
	S_MUD_PUT,
	S_MUD_DEL,
	S_MUD_GET,
	S_MUD_LIST,
	/* ctl_store_segment.c */
	S_SEG_PUT,
	S_SEG_DEL,
	S_SEG_LIST,
	/* ctl_store_consent.c */
	S_CONSENT_ADD,
	S_CONSENT_LIST,
	S_CONSENT_REMOVE,

	S_ALERT_ADD,
	S_ALERT_VERSION,
	S_ALERTS,
	S_ALERTS_MAC,
	S_ALERTS_NEWEST,
	S_ALERT_COUNT,
	S_ALERT_PRUNE,

	S_ENV_PUT,
	S_ENV_DEL,
	S_ENV_LIST,
	S_ENV_GET,
	S_MAX
};

/* A table file's statements, ended by { S_MAX, NULL }. */
struct ctl_store_sql {
	enum ctl_store_stmt id;
	const char *sql;
};

extern const struct ctl_store_sql ctl_store_policy_sql[];
extern const struct ctl_store_sql ctl_store_device_sql[];
extern const struct ctl_store_sql ctl_store_event_sql[];
extern const struct ctl_store_sql ctl_store_quarantine_sql[];
extern const struct ctl_store_sql ctl_store_report_sql[];
extern const struct ctl_store_sql ctl_store_mud_sql[];
extern const struct ctl_store_sql ctl_store_segment_sql[];
extern const struct ctl_store_sql ctl_store_consent_sql[];
extern const struct ctl_store_sql ctl_store_alert_sql[];
extern const struct ctl_store_sql ctl_store_envelope_sql[];

struct ctl_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_MAX];
	pthread_mutex_t lock;
	char errbuf[256];
	int schema;
	char path[PATH_MAX];		/* the file, for backups */
};


/* How long a connection waits for another's lock before SQLITE_BUSY. */
#define CTL_STORE_BUSY_MS 5000

/* ctl_store_stmt.c: the negative errno of an SQLite failure code (-EIO
 * where no errno fits). */
int ctl_store_errno(int rc);
/* A single-value statement (a PRAGMA) into *out (may be NULL; untouched
 * when there is no row): an SQLite result code. */
int ctl_store_pragma_int(sqlite3 *db, const char *sql, int64_t *out);
/* Say why the last call failed (ctl_store_errmsg()). */
void ctl_store_set_err(struct ctl_store *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record an SQLite failure; returns its negative errno. */
int ctl_store_db_fail(struct ctl_store *st, int rc, const char *what);

/* A prepared statement, reset and unbound. */
sqlite3_stmt *ctl_store_stmt(struct ctl_store *st, enum ctl_store_stmt id);
/* Run a statement that returns no rows. 0 or -errno. */
int ctl_store_exec(struct ctl_store *st, sqlite3_stmt *s, const char *what);
/* A single integer from a one-row statement; -ENOENT when none. */
int ctl_store_query_u64(struct ctl_store *st, sqlite3_stmt *s,
			const char *what, uint64_t *out);
/* ctl_store_query_u64() of statement id (no parameters) under the lock. */
int ctl_store_get_u64(struct ctl_store *st, enum ctl_store_stmt id,
		      const char *what, uint64_t *out);

/* Transactions, under st->lock. */
int ctl_store_tx_begin(struct ctl_store *st);
int ctl_store_tx_commit(struct ctl_store *st);
void ctl_store_tx_rollback(struct ctl_store *st);

/*
 * One write transaction: lock, BEGIN IMMEDIATE, fn, COMMIT (ROLLBACK when
 * fn or the commit fails), unlock. fn returns 0, a positive value (also
 * committed and returned) or a negative errno.
 */
typedef int (*ctl_store_tx_fn)(struct ctl_store *st, void *arg);
int ctl_store_write(struct ctl_store *st, ctl_store_tx_fn fn, void *arg);

/*
 * The retention's deletes: the statements ids[0..n), each with ?1 a time
 * (before_ms) and ?2 a row count (max), in one transaction; deleted[i]
 * (NULL: not wanted) gets what statement i deleted.
 */
int ctl_store_prune(struct ctl_store *st, const enum ctl_store_stmt *ids,
		    size_t n, uint64_t before_ms, uint32_t max,
		    uint64_t **deleted);

/*
 * Step s and hand each row to row(s, ctx), which decodes it and calls the
 * user's callback. A non-zero return stops and is returned. With none
 * set, no row at all is -ENOENT with that message. Resets s. Call under
 * the lock.
 */
typedef int (*ctl_store_row_fn)(sqlite3_stmt *s, void *ctx);
int ctl_store_rows(struct ctl_store *st, sqlite3_stmt *s,
		   ctl_store_row_fn row, void *ctx, const char *what,
		   const char *none);

/* ctl_store_rows() of statement id under the lock; mac, unless NULL, is
 * bound to ?1. */
int ctl_store_read(struct ctl_store *st, enum ctl_store_stmt id,
		   const uint8_t *mac, ctl_store_row_fn row, void *ctx,
		   const char *what, const char *none);

/*
 * A page of statement id under the lock: the rows after or before (as its
 * SQL says) from_id (?1), at most limit of them, 0 for all (?2); mac,
 * unless NULL, bound to ?3. *total, unless NULL: statement count_id's
 * count (mac, unless NULL, bound to its ?1), read under the same lock so
 * that the page and it agree.
 */
int ctl_store_read_page(struct ctl_store *st, enum ctl_store_stmt id,
			uint64_t from_id, uint32_t limit, const uint8_t *mac,
			enum ctl_store_stmt count_id, uint64_t *total,
			ctl_store_row_fn row, void *ctx, const char *what);

/*
 * A row struct's columns, in the order of the table's SQL column list:
 * ctl_store_row_get() decodes a result row into the struct (pointers into
 * SQLite's memory, valid until the statement steps again) and
 * ctl_store_row_bind() binds the struct to ?1, ?2, ... One table per row
 * struct, so the decoder and the binder cannot disagree on the order.
 */
enum ctl_store_col_kind {
	CTL_STORE_COL_U64,	/* uint64_t */
	CTL_STORE_COL_U64_OPT,	/* uint64_t, 0 is NULL */
	CTL_STORE_COL_U16,	/* uint16_t */
	CTL_STORE_COL_U32,	/* uint32_t */
	CTL_STORE_COL_BOOL,	/* bool, from an integer (read only) */
	CTL_STORE_COL_SIZE,	/* size_t, from an integer (read only) */
	CTL_STORE_COL_REAL,	/* double */
	CTL_STORE_COL_TEXT,	/* const char *; NULL reads and binds "" */
	CTL_STORE_COL_TEXT_OPT,	/* const char *, NULL is NULL */
	CTL_STORE_COL_TEXT_LEN,	/* const char *, its size_t length at aux */
	CTL_STORE_COL_BLOB_LEN,	/* const void *, NULL is NULL; length at aux */
	CTL_STORE_COL_MAC,	/* uint8_t[6] */
	CTL_STORE_COL_MAC_OPT,	/* uint8_t[6], NULL unless the bool at aux */
};

struct ctl_store_col {
	uint8_t kind;		/* enum ctl_store_col_kind */
	uint16_t off;		/* of the field in the row struct */
	uint16_t aux;		/* of its length or flag */
};

#define CTL_STORE_COL(kind, type, field) \
	{ CTL_STORE_COL_##kind, offsetof(type, field), 0 }
#define CTL_STORE_COL_AUX(kind, type, field, aux_field) \
	{ CTL_STORE_COL_##kind, offsetof(type, field), \
	  offsetof(type, aux_field) }

/*
 * The same for the row struct a table file names CTL_STORE_ROW:
 *   #define CTL_STORE_ROW struct ctl_store_mud
 *   static const struct ctl_store_col mud_cols[] = { COL(MAC, mac), ... };
 */
#define COL(kind, field) CTL_STORE_COL(kind, CTL_STORE_ROW, field)
#define COL_AUX(kind, field, aux) \
	CTL_STORE_COL_AUX(kind, CTL_STORE_ROW, field, aux)

/* The number of columns of a table of them. */
#define CTL_STORE_NCOLS(cols) (sizeof(cols) / sizeof((cols)[0]))

void ctl_store_row_get(sqlite3_stmt *s, const struct ctl_store_col *cols,
		       size_t n, void *row);

/*
 * A ctl_store_row_fn `name` that decodes a row_type with cols[] and hands
 * it to the user's callback; its context is a struct name_ctx { cb, arg }.
 */
#define CTL_STORE_ROW_FN(name, row_type, cb_type, cols) \
	struct name##_ctx { \
		cb_type cb; \
		void *arg; \
	}; \
	static int \
	name(sqlite3_stmt *s, void *ctx) \
	{ \
		const struct name##_ctx *c = ctx; \
		row_type r; \
		\
		ctl_store_row_get(s, cols, CTL_STORE_NCOLS(cols), &r); \
		return c->cb != NULL ? c->cb(&r, c->arg) : 0; \
	}
/*
 * Make a row read with ctl_store_row_get outlive its statement: every text
 * and blob column is copied to malloc'd memory (an empty blob stays NULL).
 * 0, or -ENOMEM with the row's pointers freed and NULL.
 */
int ctl_store_row_dup(const struct ctl_store_col *cols, size_t n, void *row);
/* Free what ctl_store_row_dup copied; the pointers are left NULL. */
void ctl_store_row_free(const struct ctl_store_col *cols, size_t n, void *row);
/*
 * int fn(st, cb, arg), the public list of a table: each row of stmt
 * (no parameters), decoded by row_fn (a CTL_STORE_ROW_FN), to cb; what
 * names the table in errors.
 */
#define CTL_STORE_LIST_FN(fn, row_fn, cb_type, stmt, what) \
	int \
	fn(struct ctl_store *st, cb_type cb, void *arg) \
	{ \
		struct row_fn##_ctx it = { cb, arg }; \
		\
		if (cb == NULL) \
			return -EINVAL; \
		return ctl_store_read(st, stmt, NULL, row_fn, &it, what, \
				      NULL); \
	}

void ctl_store_row_bind(sqlite3_stmt *s, const struct ctl_store_col *cols,
			size_t n, const void *row);

const char *ctl_store_col_text(sqlite3_stmt *s, int i);
int ctl_store_bind_text(sqlite3_stmt *s, int i, const char *t);
/* NULL binds SQL NULL. */
int ctl_store_bind_opt_text(sqlite3_stmt *s, int i, const char *t);
int ctl_store_bind_mac(sqlite3_stmt *s, int i, const uint8_t *mac);

/*
 * ctl_store_quarantine.c: an event of kind about mac inside the caller's
 * transaction, its detail {"mac": ..., "reason": ..., "by": ...} (escaped
 * by SQLite): what quarantine, segment overrides and consents record.
 * 0 or -errno.
 */
int ctl_store_mac_event(struct ctl_store *st, uint64_t time_ms,
			const char *kind, const uint8_t mac[6],
			const char *reason, const char *by);

/* ctl_store_event.c: an event inside the caller's transaction. */
int ctl_store_event_add_locked(struct ctl_store *st, uint64_t time_ms,
			       const char *kind, const char *dp,
			       const uint8_t *mac, const char *detail,
			       uint64_t *id);

#endif /* CORDON_CTL_STORE_IMPL_H */
