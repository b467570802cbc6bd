/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The device table: the inventory, one row per (MAC, VLAN). */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"

#define DEVICE_COLS "mac, vlan, first_seen_ms, last_seen_ms, dataplane_id, " \
	"vendor, vendor_conf, type, type_conf, os, os_conf, model, " \
	"model_conf, evidence, addresses, hostname, mud_url, listed_ms"
/* A non-empty fingerprint field replaces the stored one, confidence too. */
#define FP_SET(f) \
	f " = CASE WHEN excluded." f " <> '' THEN excluded." f " ELSE " f \
	" END, " f "_conf = CASE WHEN excluded." f " <> '' THEN excluded." \
	f "_conf ELSE " f "_conf END"

/* The devices the retention may forget: unlisted since ?1, and nothing an
 * operator or a detector did still names them; ?2 of them, oldest first. */
#define DEVICE_UNHELD "SELECT mac, vlan FROM device d WHERE listed_ms < ?1 " \
	"AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.mac = d.mac) " \
	"AND NOT EXISTS (SELECT 1 FROM segment_override s " \
	"WHERE s.mac = d.mac) " \
	"AND NOT EXISTS (SELECT 1 FROM mud_binding m WHERE m.mac = d.mac) " \
	"AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.mac = d.mac) " \
	"ORDER BY listed_ms, mac, vlan LIMIT ?2"

const struct ctl_store_sql ctl_store_device_sql[] = {
	{ S_DEVICE_UPSERT, "INSERT INTO device (" DEVICE_COLS ") VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		"?14, ?15, ?16, ?17, max(?18, ?4)) "
		"ON CONFLICT (mac, vlan) DO UPDATE SET "
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
		"excluded.mud_url ELSE mud_url END, "
		"listed_ms = max(listed_ms, excluded.listed_ms)" },
	{ S_DEVICE_GET, "SELECT " DEVICE_COLS " FROM device "
		"WHERE mac = ?1 AND vlan = ?2" },
	{ S_DEVICE_LIST, "SELECT " DEVICE_COLS " FROM device "
		"ORDER BY mac, vlan" },
	/* The same rows twice in one transaction: the envelopes, then the
	 * devices (the order makes the choice the same). */
	{ S_DEVICE_PRUNE_ENV, "DELETE FROM envelope WHERE (mac, vlan) IN ("
		DEVICE_UNHELD ")" },
	{ S_DEVICE_PRUNE, "DELETE FROM device WHERE (mac, vlan) IN ("
		DEVICE_UNHELD ")" },
	{ S_MAX, NULL },
};

#define CTL_STORE_ROW struct ctl_store_device

/* DEVICE_COLS */
static const struct ctl_store_col device_cols[] = {
	COL(MAC, mac), COL(U16, vlan), COL(U64, first_seen_ms),
	COL(U64, last_seen_ms), COL(TEXT, dataplane_id),
	COL(TEXT, vendor), COL(REAL, vendor_conf),
	COL(TEXT, type), COL(REAL, type_conf),
	COL(TEXT, os), COL(REAL, os_conf),
	COL(TEXT, model), COL(REAL, model_conf),
	COL(TEXT_OPT, evidence_json), COL(TEXT_OPT, addresses_json),
	COL(TEXT, hostname), COL(TEXT, mud_url), COL(U64, listed_ms),
};

static int
device_upsert_one(struct ctl_store *st, const struct ctl_store_device *d)
{
	sqlite3_stmt *s = ctl_store_stmt(st, S_DEVICE_UPSERT);

	ctl_store_row_bind(s, device_cols, CTL_STORE_NCOLS(device_cols), d);
	return ctl_store_exec(st, s, "device");
}

int
ctl_store_device_upsert(struct ctl_store *st, const struct ctl_store_device *d)
{
	return ctl_store_device_upsert_batch(st, d, 1);
}

struct upsert_op {
	const struct ctl_store_device *d;
	size_t n;
};

static int
upsert_tx(struct ctl_store *st, void *arg)
{
	const struct upsert_op *op = arg;
	int ret = 0;

	for (size_t i = 0; i < op->n && ret == 0; i++)
		ret = device_upsert_one(st, &op->d[i]);
	return ret;
}

int
ctl_store_device_upsert_batch(struct ctl_store *st,
			      const struct ctl_store_device *d, size_t n)
{
	struct upsert_op op = { d, n };

	if (d == NULL && n > 0)
		return -EINVAL;
	/* Checked up front: one bad row must not leave half a batch. */
	for (size_t i = 0; i < n; i++)
		if (d[i].vlan > 4095 || d[i].first_seen_ms > INT64_MAX ||
		    d[i].last_seen_ms > INT64_MAX || d[i].listed_ms > INT64_MAX)
			return -EINVAL;
	if (n == 0)
		return 0;
	return ctl_store_write(st, upsert_tx, &op);
}

CTL_STORE_ROW_FN(device_row, struct ctl_store_device, ctl_store_device_cb, device_cols)

int
ctl_store_device_get(struct ctl_store *st, const uint8_t mac[6],
		     uint16_t vlan, ctl_store_device_cb cb, void *arg)
{
	struct device_row_ctx it = { cb, arg };
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL || cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = ctl_store_stmt(st, S_DEVICE_GET);
	ctl_store_bind_mac(s, 1, mac);
	sqlite3_bind_int(s, 2, vlan);
	ret = ctl_store_rows(st, s, device_row, &it, "device", "no such "
			     "device");
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_device_list(struct ctl_store *st, ctl_store_device_cb cb, void *arg)
{
	struct device_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read(st, S_DEVICE_LIST, NULL, device_row, &it,
			      "device", NULL);
}

int
ctl_store_device_prune(struct ctl_store *st, uint64_t before_ms, uint32_t max,
		       uint64_t *deleted, uint64_t *envelopes)
{
	static const enum ctl_store_stmt ids[] = {
		S_DEVICE_PRUNE_ENV, S_DEVICE_PRUNE,
	};
	uint64_t *out[] = { envelopes, deleted };

	return ctl_store_prune(st, ids, 2, before_ms, max, out);
}
