/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The segment_override table: MAC -> the segment an operator put the
 * device in (the console's segment buttons, `cordonctl segment`), applied
 * over the YAML's assignments by ctl_audit_segment_compose().
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"

#define SEG_COLS "mac, vlan, segment, since_ms, by"

#define CTL_STORE_ROW struct ctl_store_segment

static const struct ctl_store_col seg_cols[] = {
	COL(MAC, mac), COL(U16, vlan), COL(TEXT, segment), COL(U64, since_ms),
	COL(TEXT, by),
};

const struct ctl_store_sql ctl_store_segment_sql[] = {
	{ S_SEG_PUT, "INSERT INTO segment_override (" SEG_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (mac) DO UPDATE SET "
		"vlan = excluded.vlan, segment = excluded.segment, "
		"since_ms = excluded.since_ms, by = excluded.by" },
	{ S_SEG_DEL, "DELETE FROM segment_override WHERE mac = ?1" },
	{ S_SEG_LIST, "SELECT " SEG_COLS " FROM segment_override "
		"ORDER BY mac" },
	{ S_MAX, NULL },
};

/* The override and its event, in one transaction. */
static int
seg_tx(struct ctl_store *st, void *arg)
{
	const struct ctl_store_segment *o = arg;
	bool clear = o->segment == NULL || o->segment[0] == '\0';
	sqlite3_stmt *s;
	int ret;

	if (clear) {
		s = ctl_store_stmt(st, S_SEG_DEL);
		ctl_store_bind_mac(s, 1, o->mac);
	} else {
		s = ctl_store_stmt(st, S_SEG_PUT);
		ctl_store_row_bind(s, seg_cols, CTL_STORE_NCOLS(seg_cols), o);
	}
	ret = ctl_store_exec(st, s, "segment override");
	if (ret == 0 && clear && sqlite3_changes(st->db) == 0) {
		ctl_store_set_err(st, "no segment override");
		ret = -ENOENT;
	}
	/* The same {mac, reason, by} detail as quarantine, reason the
	 * segment. */
	if (ret == 0)
		ret = ctl_store_mac_event(st, o->since_ms, clear ?
					  CTL_STORE_EV_SEGMENT_CLEARED :
					  CTL_STORE_EV_SEGMENT_SET, o->mac,
					  clear ? "" : o->segment, o->by);
	return ret;
}

int
ctl_store_segment_set(struct ctl_store *st, const uint8_t mac[6],
		      uint16_t vlan, const char *segment, const char *by,
		      uint64_t now)
{
	struct ctl_store_segment o = {
		.vlan = vlan, .segment = segment, .since_ms = now, .by = by,
	};

	if (mac == NULL || vlan > 4095 || now > INT64_MAX)
		return -EINVAL;
	memcpy(o.mac, mac, 6);
	return ctl_store_write(st, seg_tx, &o);
}

CTL_STORE_ROW_FN(seg_row, struct ctl_store_segment, ctl_store_segment_cb,
		 seg_cols)

CTL_STORE_LIST_FN(ctl_store_segment_list, seg_row, ctl_store_segment_cb,
		  S_SEG_LIST, "segment override")
