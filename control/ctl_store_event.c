/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The event table: an append-only journal with increasing ids. Other
 * tables record their events inside their own transactions with
 * ctl_store_event_add_locked().
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"

#define CTL_STORE_ROW struct ctl_store_event

/* The columns S_EVENTS selects. */
static const struct ctl_store_col event_cols[] = {
	COL(U64, id), COL(U64, time_ms), COL(TEXT, kind),
	COL(TEXT, dataplane_id), COL_AUX(MAC_OPT, mac, has_mac),
	COL(TEXT_OPT, detail_json),
};

const struct ctl_store_sql ctl_store_event_sql[] = {
	{ S_EVENT_ADD, "INSERT INTO event (time_ms, kind, dataplane_id, mac, "
		"detail) VALUES (?1, ?2, ?3, ?4, ?5)" },
	{ S_EVENTS, "SELECT id, time_ms, kind, dataplane_id, mac, detail "
		"FROM event WHERE id > ?1 ORDER BY id LIMIT ?2" },
	/* The newest ?2 below ?1 (0: from the newest), read backwards on
	 * the id and handed out oldest first. */
	{ S_EVENTS_NEWEST, "SELECT * FROM (SELECT id, time_ms, kind, "
		"dataplane_id, mac, detail FROM event "
		"WHERE ?1 = 0 OR id < ?1 ORDER BY id DESC LIMIT ?2) AS newest "
		"ORDER BY id" },
	{ S_EVENT_COUNT, "SELECT count(*) FROM event" },
	/* AUTOINCREMENT's counter: pruned and restored-over ids count. */
	{ S_EVENT_LAST, "SELECT coalesce((SELECT seq FROM sqlite_sequence "
	  "WHERE name = 'event'), 0)" },
	{ S_EVENT_PRUNE, "DELETE FROM event WHERE id IN (SELECT id FROM event "
		"WHERE time_ms < ?1 ORDER BY time_ms LIMIT ?2)" },
	{ S_MAX, NULL },
};

int
ctl_store_event_add_locked(struct ctl_store *st, uint64_t time_ms,
			   const char *kind, const char *dp, const uint8_t *mac,
			   const char *detail, uint64_t *id)
{
	sqlite3_stmt *s = ctl_store_stmt(st, S_EVENT_ADD);
	int ret;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)time_ms);
	ctl_store_bind_text(s, 2, kind);
	ctl_store_bind_text(s, 3, dp);
	ctl_store_bind_mac(s, 4, mac);
	ctl_store_bind_opt_text(s, 5, detail);
	ret = ctl_store_exec(st, s, "event");
	if (ret == 0 && id != NULL)
		*id = (uint64_t)sqlite3_last_insert_rowid(st->db);
	return ret;
}

struct event_op {
	uint64_t time_ms;
	const char *kind, *dp, *detail;
	const uint8_t *mac;
	uint64_t *id;
};

static int
event_add_tx(struct ctl_store *st, void *arg)
{
	const struct event_op *op = arg;

	return ctl_store_event_add_locked(st, op->time_ms, op->kind, op->dp,
					  op->mac, op->detail, op->id);
}

int
ctl_store_event_add(struct ctl_store *st, uint64_t time_ms,
		    const char *kind, const char *dataplane_id,
		    const uint8_t *mac, const char *detail_json, uint64_t *id)
{
	struct event_op op = {
		.time_ms = time_ms, .kind = kind, .dp = dataplane_id,
		.detail = detail_json, .mac = mac, .id = id,
	};

	if (kind == NULL || kind[0] == '\0' || time_ms > INT64_MAX)
		return -EINVAL;
	return ctl_store_write(st, event_add_tx, &op);
}

CTL_STORE_ROW_FN(event_row, struct ctl_store_event, ctl_store_event_cb, event_cols)

int
ctl_store_events(struct ctl_store *st, uint64_t since_id, uint32_t limit,
		 ctl_store_event_cb cb, void *arg)
{
	struct event_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read_page(st, S_EVENTS, since_id, limit, NULL, S_MAX,
				   NULL, event_row, &it, "events");
}

int
ctl_store_events_newest(struct ctl_store *st, uint64_t before_id,
			uint32_t limit, ctl_store_event_cb cb, void *arg,
			uint64_t *total)
{
	struct event_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read_page(st, S_EVENTS_NEWEST, before_id, limit, NULL,
				   S_EVENT_COUNT, total, event_row, &it,
				   "events");
}

int
ctl_store_event_last_id(struct ctl_store *st, uint64_t *id)
{
	return ctl_store_get_u64(st, S_EVENT_LAST, "events", id);
}

int
ctl_store_event_prune(struct ctl_store *st, uint64_t before_ms, uint32_t max,
		      uint64_t *deleted)
{
	const enum ctl_store_stmt id = S_EVENT_PRUNE;

	return ctl_store_prune(st, &id, 1, before_ms, max, &deleted);
}
