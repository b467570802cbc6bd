/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The envelope table: each device's behaviour envelope, as the dataplane
 * that learned it encoded it (det_envelope_encode()), one per (MAC, VLAN).
 * cordond keeps the bytes as they are; whoever reads them decodes and
 * checks them (det_envelope_decode(): version, CRC).
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"

#define ENV_COLS "mac, vlan, dataplane_id, stored_ms, data"

#define CTL_STORE_ROW struct ctl_store_envelope

static const struct ctl_store_col env_cols[] = {
	COL(MAC, mac), COL(U16, vlan), COL(TEXT, dataplane_id),
	COL(U64, stored_ms), COL_AUX(BLOB_LEN, data, len),
};

const struct ctl_store_sql ctl_store_envelope_sql[] = {
	{ S_ENV_PUT, "INSERT OR REPLACE INTO envelope (" ENV_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5)" },
	{ S_ENV_DEL, "DELETE FROM envelope WHERE mac = ?1" },
	{ S_ENV_LIST, "SELECT " ENV_COLS " FROM envelope ORDER BY mac, vlan" },
	{ S_ENV_GET, "SELECT " ENV_COLS " FROM envelope WHERE mac = ?1 "
		"ORDER BY vlan" },
	{ S_MAX, NULL },
};

static int
env_put_tx(struct ctl_store *st, void *arg)
{
	sqlite3_stmt *s = ctl_store_stmt(st, S_ENV_PUT);

	ctl_store_row_bind(s, env_cols, CTL_STORE_NCOLS(env_cols), arg);
	return ctl_store_exec(st, s, "envelope");
}

int
ctl_store_envelope_put(struct ctl_store *st,
		       const struct ctl_store_envelope *e)
{
	if (e == NULL || e->data == NULL || e->len == 0 || e->vlan > 4095 ||
	    e->stored_ms > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, env_put_tx, (void *)(uintptr_t)e);
}

static int
env_del_tx(struct ctl_store *st, void *arg)
{
	sqlite3_stmt *s = ctl_store_stmt(st, S_ENV_DEL);
	int ret;

	ctl_store_bind_mac(s, 1, arg);
	ret = ctl_store_exec(st, s, "envelope");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		ctl_store_set_err(st, "no envelope");
		ret = -ENOENT;
	}
	return ret;
}

int
ctl_store_envelope_del(struct ctl_store *st, const uint8_t mac[6])
{
	if (mac == NULL)
		return -EINVAL;
	return ctl_store_write(st, env_del_tx, (void *)(uintptr_t)mac);
}

CTL_STORE_ROW_FN(env_row, struct ctl_store_envelope, ctl_store_envelope_cb, env_cols)

int
ctl_store_envelopes(struct ctl_store *st, const uint8_t *mac,
		    ctl_store_envelope_cb cb, void *arg)
{
	struct env_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read(st, mac != NULL ? S_ENV_GET : S_ENV_LIST, mac,
			      env_row, &it, "envelopes", NULL);
}
