/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The quarantine table: MAC -> reason, since, by whom. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_store_impl.h"
#include "util_mac.h"

#define QUAR_COLS "mac, since_ms, reason, by"

#define CTL_STORE_ROW struct ctl_store_quarantine

static const struct ctl_store_col quar_cols[] = {
	COL(MAC, mac), COL(U64, since_ms), COL(TEXT, reason),
	COL(TEXT, by),
};

const struct ctl_store_sql ctl_store_quarantine_sql[] = {
	{ S_QUAR_ADD, "INSERT INTO quarantine (" QUAR_COLS ") "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mac) DO NOTHING" },
	{ S_QUAR_DEL, "DELETE FROM quarantine WHERE mac = ?1" },
	{ S_QUAR_GET, "SELECT " QUAR_COLS " FROM quarantine WHERE mac = ?1" },
	{ S_QUAR_LIST, "SELECT " QUAR_COLS " FROM quarantine ORDER BY mac" },
	{ S_MAX, NULL },
};

/* {"mac": ..., "reason": ..., "by": ...}; *out is malloc'd. */
static int
mac_detail(struct ctl_store *st, const uint8_t mac[6], const char *reason,
	   const char *by, char **out)
{
	char m[UTIL_MAC_STRLEN];
	sqlite3_stmt *s;
	int rc;

	util_mac_format(mac, m);
	rc = sqlite3_prepare_v2(st->db, "SELECT json_object('mac', ?1, "
				"'reason', ?2, 'by', ?3)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return ctl_store_db_fail(st, rc, "event detail");
	ctl_store_bind_text(s, 1, m);
	ctl_store_bind_text(s, 2, reason);
	ctl_store_bind_text(s, 3, by);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? strdup(ctl_store_col_text(s, 0)) : NULL;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return ctl_store_db_fail(st, rc, "event detail");
	return *out != NULL ? 0 : -ENOMEM;
}

int
ctl_store_mac_event(struct ctl_store *st, uint64_t time_ms, const char *kind,
		    const uint8_t mac[6], const char *reason, const char *by)
{
	char *detail = NULL;
	int rc;

	rc = mac_detail(st, mac, reason, by, &detail);
	if (rc == 0)
		rc = ctl_store_event_add_locked(st, time_ms, kind, NULL, mac,
						detail, NULL);
	free(detail);
	return rc;
}

struct quar_op {
	const uint8_t *mac;
	const char *reason, *by;
	uint64_t now;
	bool release;
};

/* Quarantine or release, and its event, in one transaction. */
static int
quar_tx(struct ctl_store *st, void *arg)
{
	const struct quar_op *op = arg;
	/* Bound without a copy: it must outlive the statement's step. */
	struct ctl_store_quarantine q = {
		.since_ms = op->now, .reason = op->reason, .by = op->by,
	};
	sqlite3_stmt *s;
	int ret;

	if (op->release) {
		s = ctl_store_stmt(st, S_QUAR_DEL);
		ctl_store_bind_mac(s, 1, op->mac);
	} else {
		memcpy(q.mac, op->mac, 6);
		s = ctl_store_stmt(st, S_QUAR_ADD);
		ctl_store_row_bind(s, quar_cols, CTL_STORE_NCOLS(quar_cols), &q);
	}
	ret = ctl_store_exec(st, s, "quarantine");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		ctl_store_set_err(st, op->release ? "not quarantined" :
				  "already quarantined");
		ret = op->release ? -ENOENT : -EEXIST;
	}
	if (ret == 0)
		ret = ctl_store_mac_event(st, op->now, op->release ?
					  CTL_STORE_EV_RELEASE :
					  CTL_STORE_EV_QUARANTINE, op->mac,
					  op->reason, op->by);
	return ret;
}

int
ctl_store_quarantine_add(struct ctl_store *st, const uint8_t mac[6],
			 const char *reason, const char *by, uint64_t now)
{
	struct quar_op op = { mac, reason, by, now, false };

	if (mac == NULL || now > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, quar_tx, &op);
}

int
ctl_store_quarantine_del(struct ctl_store *st, const uint8_t mac[6],
			 const char *by, uint64_t now)
{
	struct quar_op op = { mac, "", by, now, true };

	if (mac == NULL || now > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, quar_tx, &op);
}

CTL_STORE_ROW_FN(quar_row, struct ctl_store_quarantine, ctl_store_quarantine_cb, quar_cols)

int
ctl_store_quarantine_get(struct ctl_store *st, const uint8_t mac[6],
			 ctl_store_quarantine_cb cb, void *arg)
{
	struct quar_row_ctx it = { cb, arg };

	if (mac == NULL)
		return -EINVAL;
	return ctl_store_read(st, S_QUAR_GET, mac, quar_row, &it, "quarantine",
			      "not quarantined");
}

CTL_STORE_LIST_FN(ctl_store_quarantine_list, quar_row, ctl_store_quarantine_cb,
		  S_QUAR_LIST, "quarantine")
