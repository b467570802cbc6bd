/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The policy table: every version, append-only. See ctl_store.h. */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_diff.h"
#include "ctl_store_impl.h"
#include "policy_sign.h"

/* The source is stored once (policy_source, by its SHA-256); a version
 * keeps '' in source when it has one, and points at it. */
#define POLICY_COLS "version, created_ms, source, source_id, compiled, " \
	"signed, comment, applied_by, rollback_of, base, applied_ms"
#define POLICY_SOURCE "coalesce((SELECT text FROM policy_source " \
	"WHERE id = source_id), source)"

#define CTL_STORE_ROW struct ctl_store_policy

/* POLICY_COLS, then what S_POLICY_GET reads besides (not bound). */
static const struct ctl_store_col policy_cols[] = {
	COL(U64, version), COL(U64, created_ms), COL(TEXT_OPT, source),
	COL_AUX(BLOB_LEN, compiled, compiled_len),
	COL_AUX(BLOB_LEN, signed_policy, signed_len), COL(TEXT, comment),
	COL(TEXT, applied_by), COL(U64_OPT, rollback_of), COL(U64_OPT, base),
	COL(U64_OPT, applied_ms), COL(U64, pruned_ms),
};
#define POLICY_NBIND (CTL_STORE_NCOLS(policy_cols) - 1)

#undef CTL_STORE_ROW
#define CTL_STORE_ROW struct ctl_store_policy_info

/* The columns S_POLICY_HISTORY selects. */
static const struct ctl_store_col info_cols[] = {
	COL(U64, version), COL(U64, created_ms), COL(TEXT, comment),
	COL(TEXT, applied_by), COL(U64, rollback_of),
	COL(BOOL, has_source), COL(BOOL, is_signed),
	COL_AUX(BLOB_LEN, compiled, compiled_len), COL(U64, base),
	COL(U64, applied_ms), COL(U64, pruned_ms), COL(U32, counts.rules),
	COL(U32, counts.devices), COL(U32, counts.quarantined),
};

const struct ctl_store_sql ctl_store_policy_sql[] = {
	{ S_POLICY_MAX, "SELECT coalesce(max(version), 0) FROM policy" },
	{ S_POLICY_ADD, "INSERT INTO policy (" POLICY_COLS ") "
		"VALUES (?1, ?2, CASE WHEN ?3 IS NULL THEN NULL ELSE '' END, "
		"(SELECT id FROM policy_source WHERE sha256 = "
		"cordon_sha256(?3)), ?4, ?5, ?6, ?7, ?8, ?9, ?10)" },
	{ S_POLICY_GET, "SELECT version, created_ms, " POLICY_SOURCE ", "
		"compiled, signed, comment, applied_by, rollback_of, base, "
		"applied_ms, coalesce(pruned_ms, 0) FROM policy "
		"WHERE version = ?1" },
	{ S_SOURCE_PUT, "INSERT INTO policy_source (sha256, text) "
		"VALUES (cordon_sha256(?1), ?1) "
		"ON CONFLICT (sha256) DO NOTHING" },
	/* Once no version names it. */
	{ S_SOURCE_DROP, "DELETE FROM policy_source WHERE id = ?1 AND "
		"NOT EXISTS (SELECT 1 FROM policy WHERE source_id = ?1)" },
	{ S_POLICY_HISTORY, "SELECT version, created_ms, comment, "
		"applied_by, rollback_of, source IS NOT NULL, "
		"signed IS NOT NULL, compiled, coalesce(base, 0), "
		"coalesce(applied_ms, 0), coalesce(pruned_ms, 0), "
		"coalesce(n_rules, 0), coalesce(n_devices, 0), "
		"coalesce(n_quarantined, 0) FROM policy "
		"WHERE ?1 = 0 OR version < ?1 "
		"ORDER BY version DESC LIMIT ?2" },
	{ S_POLICY_COUNT, "SELECT count(*) FROM policy" },
	{ S_POLICY_SET_APPLIED, "UPDATE policy SET applied_ms = ?2 "
		"WHERE version = ?1 AND applied_ms IS NULL" },
	/* Below the newest ?1, not pruned, not a base; ?2 of them. */
	{ S_POLICY_PRUNABLE, "SELECT version, compiled, source_id FROM policy "
		"WHERE pruned_ms IS NULL AND version <= (SELECT "
		"coalesce(max(version), 0) FROM policy) - ?1 AND version "
		"NOT IN (SELECT base FROM policy WHERE base IS NOT NULL) "
		"ORDER BY version LIMIT ?2" },
	/* Empty, not NULL: has_source and is_signed stay as they were. */
	{ S_POLICY_PRUNE, "UPDATE policy SET "
		"source = CASE WHEN source IS NULL THEN NULL ELSE '' END, "
		"source_id = NULL, "
		"signed = CASE WHEN signed IS NULL THEN NULL ELSE x'' END, "
		"compiled = x'', pruned_ms = ?2, n_rules = ?3, n_devices = ?4, "
		"n_quarantined = ?5 WHERE version = ?1" },
	{ S_MAX, NULL },
};

/* The latest version stored, 0 when none. */
static int
policy_max_locked(struct ctl_store *st, uint64_t *version)
{
	return ctl_store_query_u64(st, ctl_store_stmt(st, S_POLICY_MAX),
				   "policy", version);
}

int
ctl_store_policy_latest_version(struct ctl_store *st, uint64_t *version)
{
	return ctl_store_get_u64(st, S_POLICY_MAX, "policy", version);
}

static int
policy_add_locked(struct ctl_store *st, const struct ctl_store_policy *p)
{
	char detail[160];
	uint64_t latest = 0;
	sqlite3_stmt *s;
	int ret;

	ret = policy_max_locked(st, &latest);
	if (ret < 0)
		return ret;
	if (p->version <= latest) {
		ctl_store_set_err(st, "policy version %" PRIu64 " is not above "
				  "the latest stored (%" PRIu64 ")", p->version,
				  latest);
		return -ESTALE;
	}
	if (p->source != NULL) {
		s = ctl_store_stmt(st, S_SOURCE_PUT);
		sqlite3_bind_text(s, 1, p->source, -1, SQLITE_STATIC);
		ret = ctl_store_exec(st, s, "policy source");
		if (ret < 0)
			return ret;
	}
	s = ctl_store_stmt(st, S_POLICY_ADD);
	ctl_store_row_bind(s, policy_cols, POLICY_NBIND, p);
	ret = ctl_store_exec(st, s, "policy");
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
	return ctl_store_event_add_locked(st, p->created_ms,
					  CTL_STORE_EV_POLICY_ADDED, NULL, NULL,
					  detail, NULL);
}

static int
policy_add_tx(struct ctl_store *st, void *arg)
{
	return policy_add_locked(st, arg);
}

int
ctl_store_policy_add(struct ctl_store *st, const struct ctl_store_policy *p)
{
	if (p == NULL || p->version == 0 || p->version > INT64_MAX ||
	    p->created_ms > INT64_MAX || p->compiled == NULL ||
	    p->compiled_len == 0 || p->compiled_len > INT32_MAX ||
	    p->signed_len > INT32_MAX ||
	    (p->signed_policy == NULL) != (p->signed_len == 0) ||
	    p->rollback_of > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, policy_add_tx, (void *)p);
}

void
ctl_store_policy_free(struct ctl_store_policy *p)
{
	if (p == NULL)
		return;
	ctl_store_row_free(policy_cols, CTL_STORE_NCOLS(policy_cols), p);
	memset(p, 0, sizeof(*p));
}

static int
policy_get_locked(struct ctl_store *st, uint64_t version,
		  struct ctl_store_policy *p)
{
	sqlite3_stmt *s = ctl_store_stmt(st, S_POLICY_GET);
	int rc, ret = 0;

	memset(p, 0, sizeof(*p));
	sqlite3_bind_int64(s, 1, (sqlite3_int64)version);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		ctl_store_set_err(st, "no policy version %" PRIu64, version);
		ret = -ENOENT;
	} else if (rc != SQLITE_ROW) {
		ret = ctl_store_db_fail(st, rc, "policy");
	} else {
		/* Pointers into SQLite's row: copied before the reset. */
		ctl_store_row_get(s, policy_cols, CTL_STORE_NCOLS(policy_cols), p);
		if (p->pruned_ms != 0) {
			ctl_store_set_err(st, "policy version %" PRIu64 " was "
					  "pruned (cordond --policy-keep): its "
					  "history is kept, its content is not",
					  version);
			memset(p, 0, sizeof(*p));
			ret = -ENODATA;
		} else if (ctl_store_row_dup(policy_cols,
					     CTL_STORE_NCOLS(policy_cols),
					     p) < 0 || p->compiled == NULL) {
			ctl_store_set_err(st, "out of memory");
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
	ret = policy_max_locked(st, &v);
	if (ret == 0 && v == 0) {
		ctl_store_set_err(st, "no policy stored");
		ret = -ENOENT;
	}
	if (ret == 0)
		ret = policy_get_locked(st, v, p);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static int
policy_applied_tx(struct ctl_store *st, void *arg)
{
	const uint64_t *a = arg;
	sqlite3_stmt *s = ctl_store_stmt(st, S_POLICY_SET_APPLIED);

	sqlite3_bind_int64(s, 1, (sqlite3_int64)a[0]);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)a[1]);
	return ctl_store_exec(st, s, "policy applied");
}

int
ctl_store_policy_set_applied(struct ctl_store *st, uint64_t version,
			     uint64_t now_ms)
{
	uint64_t a[2] = { version, now_ms };

	if (version == 0 || version > INT64_MAX || now_ms > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, policy_applied_tx, a);
}

CTL_STORE_ROW_FN(info_row, struct ctl_store_policy_info, ctl_store_policy_cb, info_cols)

int
ctl_store_policy_history(struct ctl_store *st, uint32_t limit,
			 uint64_t before, ctl_store_policy_cb cb, void *arg,
			 uint64_t *total)
{
	struct info_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read_page(st, S_POLICY_HISTORY, before, limit, NULL,
				   S_POLICY_COUNT, total, info_row, &it,
				   "policy history");
}

int
ctl_store_policy_rollback(struct ctl_store *st, uint64_t old_version,
			  const struct policy_sign_key *key,
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
	ret = ctl_store_tx_begin(st);
	if (ret < 0)
		goto out;
	ret = policy_get_locked(st, old_version, &old);
	if (ret < 0)
		goto out_rollback;
	ret = policy_max_locked(st, &latest);
	if (ret < 0)
		goto out_free;
	ret = policy_sign_reversion(key, old.compiled, old.compiled_len,
				    latest + 1, now, &compiled, &compiled_len,
				    &sgn, &sgn_len, err, sizeof(err));
	if (ret < 0) {
		ctl_store_set_err(st, "rollback to %" PRIu64 ": %s",
				  old_version, err);
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
		ret = ctl_store_tx_commit(st);
	if (ret == 0 && new_version != NULL)
		*new_version = latest + 1;
out_free:
	free(compiled);
	free(sgn);
	ctl_store_policy_free(&old);
out_rollback:
	if (ret < 0)
		ctl_store_tx_rollback(st);
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
		ctl_store_set_err(st, "policy %" PRIu64 " has no source to "
				  "diff", pa.source == NULL ? a : b);
		ret = -ENODATA;
	} else {
		snprintf(la, sizeof(la), "policy %" PRIu64, a);
		snprintf(lb, sizeof(lb), "policy %" PRIu64, b);
		ret = ctl_diff_text(pa.source, la, pb.source, lb, out);
		if (ret < 0)
			ctl_store_set_err(st, "diff: %s", strerror(-ret));
	}
	ctl_store_policy_free(&pa);
	ctl_store_policy_free(&pb);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

struct policy_prune_op {
	uint32_t keep, max;
	uint64_t now_ms;
	uint64_t *pruned;
};

static int
policy_prune_tx(struct ctl_store *st, void *arg)
{
	const struct policy_prune_op *op = arg;
	sqlite3_stmt *s = ctl_store_stmt(st, S_POLICY_PRUNABLE);
	struct ctl_policy_counts *c = NULL;
	int64_t *src = NULL;
	uint64_t *v = NULL;
	size_t n = 0;
	int rc, ret = 0;

	/* Counted first, then emptied: no update under a running select. */
	v = calloc(op->max, sizeof(*v));
	c = calloc(op->max, sizeof(*c));
	src = calloc(op->max, sizeof(*src));
	if (v == NULL || c == NULL || src == NULL) {
		ctl_store_set_err(st, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	sqlite3_bind_int64(s, 1, op->keep);
	sqlite3_bind_int64(s, 2, op->max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < op->max) {
		v[n] = (uint64_t)sqlite3_column_int64(s, 0);
		/* One that does not parse keeps counts of 0, as the history
		 * showed it. */
		(void)ctl_policy_counts(sqlite3_column_blob(s, 1),
					(size_t)sqlite3_column_bytes(s, 1),
					&c[n]);
		src[n] = sqlite3_column_int64(s, 2);	/* NULL: 0 */
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = ctl_store_db_fail(st, rc, "policy prune");
	sqlite3_reset(s);
	s = ctl_store_stmt(st, S_POLICY_PRUNE);
	for (size_t i = 0; i < n && ret == 0; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)v[i]);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)op->now_ms);
		sqlite3_bind_int64(s, 3, c[i].rules);
		sqlite3_bind_int64(s, 4, c[i].devices);
		sqlite3_bind_int64(s, 5, c[i].quarantined);
		ret = ctl_store_exec(st, s, "policy prune");
	}
	/* A source goes with the last version that names it. */
	s = ctl_store_stmt(st, S_SOURCE_DROP);
	for (size_t i = 0; i < n && ret == 0; i++) {
		if (src[i] == 0)
			continue;
		sqlite3_bind_int64(s, 1, src[i]);
		ret = ctl_store_exec(st, s, "policy source prune");
	}
	if (ret == 0 && op->pruned != NULL)
		*op->pruned = n;
out:
	free(src);
	free(c);
	free(v);
	return ret;
}

int
ctl_store_policy_prune(struct ctl_store *st, uint32_t keep, uint32_t max,
		       uint64_t now_ms, uint64_t *pruned)
{
	struct policy_prune_op op = { keep, max, now_ms, pruned };

	if (keep == 0 || max == 0 || now_ms == 0 || now_ms > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, policy_prune_tx, &op);
}
