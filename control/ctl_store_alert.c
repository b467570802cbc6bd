/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The alert table: the dataplanes' detection alerts as received (the Alert
 * message whole, and the columns cordonctl filters on), each once: a
 * dataplane resends an alert cordond stored but did not acknowledge, and
 * (dataplane_id, boot, seq) tells it apart.
 */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"

#define ALERT_COLS "id, received_ms, dataplane_id, boot, seq, mac, " \
	"detector, action, policy_version, payload"

#define CTL_STORE_ROW struct ctl_store_alert

/* In ALERT_COLS order; the insert binds from ?2 (id is the table's). */
static const struct ctl_store_col alert_cols[] = {
	COL(U64, id), COL(U64, received_ms), COL(TEXT, dataplane_id),
	COL(U64, boot), COL(U64, seq), COL(MAC, mac), COL(TEXT, detector),
	COL(TEXT, action), COL(U64_OPT, policy_version),
	COL_AUX(BLOB_LEN, payload, payload_len),
};

const struct ctl_store_sql ctl_store_alert_sql[] = {
	{ S_ALERT_ADD, "INSERT INTO alert (" ALERT_COLS ") VALUES (NULL, ?2, "
		"?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING "
		"RETURNING id" },
	{ S_ALERT_VERSION, "UPDATE alert SET policy_version = ?2 "
		"WHERE id = ?1" },
	{ S_ALERTS, "SELECT " ALERT_COLS " FROM alert WHERE id > ?1 "
		"ORDER BY id LIMIT ?2" },
	{ S_ALERTS_MAC, "SELECT " ALERT_COLS " FROM alert WHERE id > ?1 "
		"AND mac = ?3 ORDER BY id LIMIT ?2" },
	/* The newest ?2 below ?1 (0: from the newest), of device ?3 (NULL:
	 * every one), read backwards on the id, handed out oldest first. */
	{ S_ALERTS_NEWEST, "SELECT * FROM (SELECT " ALERT_COLS " FROM alert "
		"WHERE (?1 = 0 OR id < ?1) AND (?3 IS NULL OR mac = ?3) "
		"ORDER BY id DESC LIMIT ?2) AS newest ORDER BY id" },
	{ S_ALERT_COUNT, "SELECT count(*) FROM alert WHERE ?1 IS NULL OR "
		"mac = ?1" },
	/* A quarantined device's alerts are why it is held. */
	{ S_ALERT_PRUNE, "DELETE FROM alert WHERE id IN (SELECT id FROM alert a "
		"WHERE received_ms < ?1 AND NOT EXISTS (SELECT 1 FROM "
		"quarantine q WHERE q.mac = a.mac) ORDER BY received_ms "
		"LIMIT ?2)" },
	{ S_MAX, NULL },
};

struct alert_op {
	const struct ctl_store_alert *a;
	const char *detail;
	uint64_t *id;
};

static int
alert_add_tx(struct ctl_store *st, void *arg)
{
	const struct alert_op *op = arg;
	sqlite3_stmt *s = ctl_store_stmt(st, S_ALERT_ADD);
	struct ctl_store_alert row = *op->a;
	int ret;

	row.id = 0;
	row.policy_version = 0;
	ctl_store_row_bind(s, alert_cols, CTL_STORE_NCOLS(alert_cols), &row);
	ret = ctl_store_query_u64(st, s, "alert", op->id);
	if (ret == -ENOENT) {
		/* Stored already: its id, nothing written. */
		sqlite3_stmt *q;
		int rc = sqlite3_prepare_v2(st->db, "SELECT id FROM alert "
			"WHERE dataplane_id = ?1 AND boot = ?2 AND seq = ?3",
			-1, &q, NULL);

		if (rc != SQLITE_OK)
			return ctl_store_db_fail(st, rc, "alert");
		ctl_store_bind_text(q, 1, row.dataplane_id);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)row.boot);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)row.seq);
		ret = ctl_store_query_u64(st, q, "alert", op->id);
		sqlite3_finalize(q);
		return ret < 0 ? ret : -EEXIST;
	}
	if (ret == 0)
		ret = ctl_store_event_add_locked(st, row.received_ms,
						 CTL_STORE_EV_ALERT,
						 row.dataplane_id, row.mac,
						 op->detail, NULL);
	return ret;
}

int
ctl_store_alert_add(struct ctl_store *st, const struct ctl_store_alert *a,
		    const char *detail_json, uint64_t *id)
{
	uint64_t dummy;
	struct alert_op op = { a, detail_json, id != NULL ? id : &dummy };

	if (a == NULL || a->detector == NULL || a->detector[0] == '\0' ||
	    a->payload == NULL || a->received_ms > INT64_MAX ||
	    a->boot > INT64_MAX || a->seq > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, alert_add_tx, &op);
}

struct alert_ver_op {
	uint64_t id, version;
};

static int
alert_version_tx(struct ctl_store *st, void *arg)
{
	const struct alert_ver_op *op = arg;
	sqlite3_stmt *s = ctl_store_stmt(st, S_ALERT_VERSION);

	sqlite3_bind_int64(s, 1, (sqlite3_int64)op->id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)op->version);
	return ctl_store_exec(st, s, "alert");
}

int
ctl_store_alert_set_version(struct ctl_store *st, uint64_t id,
			    uint64_t version)
{
	struct alert_ver_op op = { id, version };

	if (id > INT64_MAX || version == 0 || version > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, alert_version_tx, &op);
}

CTL_STORE_ROW_FN(alert_row, struct ctl_store_alert, ctl_store_alert_cb, alert_cols)

int
ctl_store_alerts(struct ctl_store *st, uint64_t since_id, uint32_t limit,
		 const uint8_t *mac, ctl_store_alert_cb cb, void *arg)
{
	struct alert_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read_page(st, mac != NULL ? S_ALERTS_MAC : S_ALERTS,
				   since_id, limit, mac, S_MAX, NULL, alert_row,
				   &it, "alerts");
}

int
ctl_store_alerts_newest(struct ctl_store *st, uint64_t before_id,
			uint32_t limit, const uint8_t *mac,
			ctl_store_alert_cb cb, void *arg, uint64_t *total)
{
	struct alert_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read_page(st, S_ALERTS_NEWEST, before_id, limit, mac,
				   S_ALERT_COUNT, total, alert_row, &it,
				   "alerts");
}

int
ctl_store_alert_prune(struct ctl_store *st, uint64_t before_ms, uint32_t max,
		      uint64_t *deleted)
{
	const enum ctl_store_stmt id = S_ALERT_PRUNE;

	return ctl_store_prune(st, &id, 1, before_ms, max, &deleted);
}
