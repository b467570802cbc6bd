/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The mud_binding table: MUD files bound to devices, one per MAC. */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ctl_store_impl.h"
#include "util_hash.h"

#define MUD_COLS "mac, vlan, mud_url, file, signature, sha256, source, " \
	"imported_at, by"

#define CTL_STORE_ROW struct ctl_store_mud

/* MUD_COLS */
static const struct ctl_store_col mud_cols[] = {
	COL(MAC, mac), COL(U16, vlan), COL(TEXT, mud_url),
	COL_AUX(TEXT_LEN, file, file_len),
	COL_AUX(BLOB_LEN, signature, sig_len), COL(TEXT, sha256),
	COL(TEXT, source), COL(U64, imported_ms), COL(TEXT, by),
};

const struct ctl_store_sql ctl_store_mud_sql[] = {
	{ S_MUD_PUT, "INSERT OR REPLACE INTO mud_binding (" MUD_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" },
	{ S_MUD_DEL, "DELETE FROM mud_binding WHERE mac = ?1" },
	{ S_MUD_GET, "SELECT " MUD_COLS " FROM mud_binding WHERE mac = ?1" },
	{ S_MUD_LIST, "SELECT " MUD_COLS " FROM mud_binding ORDER BY mac" },
	{ S_MAX, NULL },
};

static bool
mud_source_ok(const char *s)
{
	static const char *const ok[] = { "cli", "dhcp", "dhcpv6", "lldp" };

	for (size_t i = 0; s != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	return false;
}

int
ctl_store_mud_put(struct ctl_store *st, const struct ctl_store_mud *m)
{
	struct ctl_store_mud row;
	char hex[65];
	sqlite3_stmt *s;
	int ret;

	if (m == NULL || m->vlan > 4095 || m->mud_url == NULL ||
	    m->mud_url[0] == '\0' || m->file == NULL ||
	    m->file_len > INT32_MAX || m->sig_len > INT32_MAX ||
	    m->imported_ms > INT64_MAX || !mud_source_ok(m->source))
		return -EINVAL;
	ret = util_hash_sha256_hex(m->file, m->file_len, hex);
	if (ret < 0)
		return ret;
	row = *m;
	row.sha256 = hex;
	/* One statement: SQLite commits it on its own. */
	pthread_mutex_lock(&st->lock);
	s = ctl_store_stmt(st, S_MUD_PUT);
	ctl_store_row_bind(s, mud_cols, CTL_STORE_NCOLS(mud_cols), &row);
	ret = ctl_store_exec(st, s, "mud binding");
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
ctl_store_mud_del(struct ctl_store *st, const uint8_t mac[6])
{
	sqlite3_stmt *s;
	int ret;

	if (mac == NULL)
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	s = ctl_store_stmt(st, S_MUD_DEL);
	ctl_store_bind_mac(s, 1, mac);
	ret = ctl_store_exec(st, s, "mud binding");
	if (ret == 0 && sqlite3_changes(st->db) == 0) {
		ctl_store_set_err(st, "no MUD binding for that device");
		ret = -ENOENT;
	}
	pthread_mutex_unlock(&st->lock);
	return ret;
}

CTL_STORE_ROW_FN(mud_row, struct ctl_store_mud, ctl_store_mud_cb, mud_cols)

int
ctl_store_mud_get(struct ctl_store *st, const uint8_t mac[6],
		  ctl_store_mud_cb cb, void *arg)
{
	struct mud_row_ctx it = { cb, arg };

	if (mac == NULL || cb == NULL)
		return -EINVAL;
	return ctl_store_read(st, S_MUD_GET, mac, mud_row, &it, "mud binding",
			      "no MUD binding for that device");
}

int
ctl_store_mud_list(struct ctl_store *st, ctl_store_mud_cb cb, void *arg)
{
	struct mud_row_ctx it = { cb, arg };

	if (cb == NULL)
		return -EINVAL;
	return ctl_store_read(st, S_MUD_LIST, NULL, mud_row, &it, "mud binding",
			      NULL);
}

int
ctl_store_mud_copy(const struct ctl_store_mud *m, struct ctl_store_mud *out)
{
	*out = *m;
	return ctl_store_row_dup(mud_cols, CTL_STORE_NCOLS(mud_cols), out);
}

void
ctl_store_mud_free(struct ctl_store_mud *m)
{
	ctl_store_row_free(mud_cols, CTL_STORE_NCOLS(mud_cols), m);
	memset(m, 0, sizeof(*m));
}
