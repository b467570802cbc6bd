/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The consent table: flows an operator allowed always, answering a
 * consent prompt. ctl_consent_compose() makes each a rule of every policy
 * version, its comment naming the prompt and who answered it.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ctl_store_impl.h"

#define CONSENT_COLS "mac, vlan, dst, proto, dst_port, prompt, created_ms, " \
	"by, expires_ms"

#define CTL_STORE_ROW struct ctl_store_consent

/* The listed columns; id comes first in a read. */
static const struct ctl_store_col consent_cols[] = {
	COL(MAC, mac), COL(U16, vlan), COL(TEXT, dst), COL(U16, proto),
	COL(U16, dst_port), COL(U64, prompt), COL(U64, created_ms),
	COL(TEXT, by), COL(U64, expires_ms),
};

static const struct ctl_store_col consent_read_cols[] = {
	COL(U64, id), COL(MAC, mac), COL(U16, vlan), COL(TEXT, dst),
	COL(U16, proto), COL(U16, dst_port), COL(U64, prompt),
	COL(U64, created_ms), COL(TEXT, by), COL(U64, expires_ms),
};

const struct ctl_store_sql ctl_store_consent_sql[] = {
	{ S_CONSENT_ADD, "INSERT INTO consent (" CONSENT_COLS ") VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING" },
	{ S_CONSENT_LIST, "SELECT id, " CONSENT_COLS " FROM consent "
		"ORDER BY id" },
	{ S_CONSENT_REMOVE, "DELETE FROM consent WHERE id = ?1" },
	{ S_MAX, NULL },
};

/* An add (expire false) or the removal of c->id, with its event. */
struct consent_op {
	const struct ctl_store_consent *c;
	bool expire;
	uint64_t now_ms;	/* expire: the event's time */
	uint64_t id;
};

static int
consent_tx(struct ctl_store *st, void *arg)
{
	struct consent_op *op = arg;
	const struct ctl_store_consent *c = op->c;
	char reason[200], pre[40] = "";
	sqlite3_stmt *s;
	int ret;

	if (op->expire) {
		s = ctl_store_stmt(st, S_CONSENT_REMOVE);
		sqlite3_bind_int64(s, 1, (sqlite3_int64)c->id);
	} else {
		s = ctl_store_stmt(st, S_CONSENT_ADD);
		ctl_store_row_bind(s, consent_cols,
				   CTL_STORE_NCOLS(consent_cols), c);
	}
	ret = ctl_store_exec(st, s, "consent");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		ctl_store_set_err(st, op->expire ? "no such consent" :
				  "that flow is allowed already");
		ret = op->expire ? -ENOENT : -EEXIST;
	}
	if (ret == 0) {
		op->id = op->expire ? c->id :
			(uint64_t)sqlite3_last_insert_rowid(st->db);
		if (op->expire)
			snprintf(pre, sizeof(pre), "consent %llu (",
				 (unsigned long long)c->id);
		snprintf(reason, sizeof(reason), "%sprompt %llu: %.64s %u/%u%s",
			 pre, (unsigned long long)c->prompt, c->dst,
			 c->dst_port, c->proto,
			 op->expire ? "), its time is over" : "");
		ret = ctl_store_mac_event(st, op->expire ? op->now_ms :
					  c->created_ms, op->expire ?
					  CTL_STORE_EV_CONSENT_EXPIRED :
					  CTL_STORE_EV_CONSENT_ADDED, c->mac,
					  reason, op->expire ? "cordond" :
					  c->by);
	}
	return ret;
}

int
ctl_store_consent_add(struct ctl_store *st, const struct ctl_store_consent *c,
		      uint64_t *id)
{
	struct consent_op op = { .c = c };
	int rc;

	if (c == NULL || c->dst == NULL || c->dst[0] == '\0' ||
	    c->vlan > 4095 || c->proto > 255 || c->created_ms > INT64_MAX ||
	    c->prompt > INT64_MAX || c->expires_ms > INT64_MAX)
		return -EINVAL;
	rc = ctl_store_write(st, consent_tx, &op);
	if (rc == 0 && id != NULL)
		*id = op.id;
	return rc;
}

CTL_STORE_ROW_FN(consent_row, struct ctl_store_consent, ctl_store_consent_cb,
		 consent_read_cols)

CTL_STORE_LIST_FN(ctl_store_consent_list, consent_row, ctl_store_consent_cb,
		  S_CONSENT_LIST, "consent")

int
ctl_store_consent_expire(struct ctl_store *st,
			 const struct ctl_store_consent *c, uint64_t now_ms)
{
	struct consent_op op = { .c = c, .expire = true, .now_ms = now_ms };

	if (c == NULL || c->id == 0 || c->id > INT64_MAX || c->dst == NULL)
		return -EINVAL;
	return ctl_store_write(st, consent_tx, &op);
}
