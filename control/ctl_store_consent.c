/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The consent table: flows an operator allowed always, answering a
 * consent prompt. ctl_consent_compose() makes each a rule of every policy
 * version, its comment naming the prompt and who answered it.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_store_impl.h"

#define CONSENT_COLS "mac, vlan, dst, proto, dst_port, prompt, created_ms, by"

#define CTL_STORE_ROW struct ctl_store_consent

/* The listed columns; id comes first in a read. */
static const struct ctl_store_col consent_cols[] = {
	COL(MAC, mac), COL(U16, vlan), COL(TEXT, dst), COL(U16, proto),
	COL(U16, dst_port), COL(U64, prompt), COL(U64, created_ms),
	COL(TEXT, by),
};

static const struct ctl_store_col consent_read_cols[] = {
	COL(U64, id), COL(MAC, mac), COL(U16, vlan), COL(TEXT, dst),
	COL(U16, proto), COL(U16, dst_port), COL(U64, prompt),
	COL(U64, created_ms), COL(TEXT, by),
};

const struct ctl_store_sql ctl_store_consent_sql[] = {
	{ S_CONSENT_ADD, "INSERT INTO consent (" CONSENT_COLS ") VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING" },
	{ S_CONSENT_LIST, "SELECT id, " CONSENT_COLS " FROM consent "
		"ORDER BY id" },
	{ S_MAX, NULL },
};

struct consent_op {
	const struct ctl_store_consent *c;
	uint64_t id;
};

static int
consent_tx(struct ctl_store *st, void *arg)
{
	struct consent_op *op = arg;
	const struct ctl_store_consent *c = op->c;
	char reason[160], *detail = NULL;
	sqlite3_stmt *s;
	int ret;

	s = ctl_store_stmt(st, S_CONSENT_ADD);
	ctl_store_row_bind(s, consent_cols, CTL_STORE_NCOLS(consent_cols), c);
	ret = ctl_store_exec(st, s, "consent");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		ctl_store_set_err(st, "that flow is allowed already");
		ret = -EEXIST;
	}
	if (ret == 0) {
		op->id = (uint64_t)sqlite3_last_insert_rowid(st->db);
		snprintf(reason, sizeof(reason), "prompt %llu: %.64s %u/%u",
			 (unsigned long long)c->prompt, c->dst, c->dst_port,
			 c->proto);
		ret = ctl_store_mac_detail(st, c->mac, reason, c->by, &detail);
	}
	if (ret == 0)
		ret = ctl_store_event_add_locked(st, c->created_ms,
						 CTL_STORE_EV_CONSENT_ADDED,
						 NULL, c->mac, detail, NULL);
	free(detail);
	return ret;
}

int
ctl_store_consent_add(struct ctl_store *st, const struct ctl_store_consent *c,
		      uint64_t *id)
{
	struct consent_op op = { c, 0 };
	int rc;

	if (c == NULL || c->dst == NULL || c->dst[0] == '\0' ||
	    c->vlan > 4095 || c->proto > 255 || c->created_ms > INT64_MAX ||
	    c->prompt > INT64_MAX)
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
