/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A table's row struct to and from its columns (struct ctl_store_col,
 * ctl_store_impl.h): decoding a result row, copying it to outlive its
 * statement, binding it as parameters.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_store_impl.h"

const char *
ctl_store_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

/* Pointer fields are read and written with memcpy: the struct's field may
 * be a char *, a const uint8_t *, ... of the same representation. */
static void
put_ptr(void *f, const void *p)
{
	memcpy(f, &p, sizeof(p));
}

static const void *
get_ptr(const void *f)
{
	const void *p;

	memcpy(&p, f, sizeof(p));
	return p;
}

void
ctl_store_row_get(sqlite3_stmt *s, const struct ctl_store_col *cols,
		  size_t n, void *row)
{
	uint8_t *r = row;

	for (int i = 0; i < (int)n; i++) {
		void *f = r + cols[i].off;
		void *aux = r + cols[i].aux;
		bool null = sqlite3_column_type(s, i) == SQLITE_NULL;

		switch (cols[i].kind) {
		case CTL_STORE_COL_U64:
		case CTL_STORE_COL_U64_OPT:
			*(uint64_t *)f = (uint64_t)sqlite3_column_int64(s, i);
			break;
		case CTL_STORE_COL_U16:
			*(uint16_t *)f = (uint16_t)sqlite3_column_int(s, i);
			break;
		case CTL_STORE_COL_U32:
			*(uint32_t *)f = (uint32_t)sqlite3_column_int64(s, i);
			break;
		case CTL_STORE_COL_BOOL:
			*(bool *)f = sqlite3_column_int(s, i) != 0;
			break;
		case CTL_STORE_COL_SIZE:
			*(size_t *)f = (size_t)sqlite3_column_int64(s, i);
			break;
		case CTL_STORE_COL_REAL:
			*(double *)f = sqlite3_column_double(s, i);
			break;
		case CTL_STORE_COL_TEXT:
			put_ptr(f, ctl_store_col_text(s, i));
			break;
		case CTL_STORE_COL_TEXT_OPT:
			put_ptr(f, null ? NULL : ctl_store_col_text(s, i));
			break;
		case CTL_STORE_COL_TEXT_LEN:
			put_ptr(f, ctl_store_col_text(s, i));
			*(size_t *)aux = (size_t)sqlite3_column_bytes(s, i);
			break;
		case CTL_STORE_COL_BLOB_LEN:
			put_ptr(f, sqlite3_column_blob(s, i));
			*(size_t *)aux = (size_t)sqlite3_column_bytes(s, i);
			break;
		case CTL_STORE_COL_MAC:
		case CTL_STORE_COL_MAC_OPT:
			if (sqlite3_column_bytes(s, i) == 6)
				memcpy(f, sqlite3_column_blob(s, i), 6);
			else
				memset(f, 0, 6);
			if (cols[i].kind == CTL_STORE_COL_MAC_OPT)
				*(bool *)aux = sqlite3_column_bytes(s, i) == 6;
			break;
		}
	}
}

/* Whether a column's field is a pointer into the statement's row. */
static bool
col_is_ptr(const struct ctl_store_col *c)
{
	return c->kind == CTL_STORE_COL_TEXT ||
	       c->kind == CTL_STORE_COL_TEXT_OPT ||
	       c->kind == CTL_STORE_COL_TEXT_LEN ||
	       c->kind == CTL_STORE_COL_BLOB_LEN;
}

int
ctl_store_row_dup(const struct ctl_store_col *cols, size_t n, void *row)
{
	uint8_t *r = row;
	bool failed = false;

	for (size_t i = 0; i < n; i++) {
		void *f = r + cols[i].off;
		const void *src = get_ptr(f);
		size_t len = 0;
		void *p = NULL;

		if (!col_is_ptr(&cols[i]))
			continue;
		if (src != NULL && cols[i].kind == CTL_STORE_COL_BLOB_LEN)
			len = *(const size_t *)(r + cols[i].aux);
		else if (src != NULL && cols[i].kind == CTL_STORE_COL_TEXT_LEN)
			len = *(const size_t *)(r + cols[i].aux) + 1;	/* NUL */
		else if (src != NULL)
			len = strlen(src) + 1;
		if (len > 0 && !failed) {
			p = malloc(len);
			if (p != NULL)
				memcpy(p, src, len);
			failed = p == NULL;
		}
		put_ptr(f, p);
	}
	if (!failed)
		return 0;
	ctl_store_row_free(cols, n, row);
	return -ENOMEM;
}

void
ctl_store_row_free(const struct ctl_store_col *cols, size_t n, void *row)
{
	uint8_t *r = row;

	for (size_t i = 0; i < n; i++) {
		if (col_is_ptr(&cols[i])) {
			free((void *)get_ptr(r + cols[i].off));
			put_ptr(r + cols[i].off, NULL);
		}
	}
}

void
ctl_store_row_bind(sqlite3_stmt *s, const struct ctl_store_col *cols,
		   size_t n, const void *row)
{
	const uint8_t *r = row;

	for (int i = 0; i < (int)n; i++) {
		const void *f = r + cols[i].off;
		const void *aux = r + cols[i].aux;
		const void *p = get_ptr(f);
		uint64_t u;

		switch (cols[i].kind) {
		case CTL_STORE_COL_U64:
		case CTL_STORE_COL_U64_OPT:
			u = *(const uint64_t *)f;
			if (u != 0 || cols[i].kind == CTL_STORE_COL_U64)
				sqlite3_bind_int64(s, i + 1,
						   (sqlite3_int64)u);
			break;
		case CTL_STORE_COL_U16:
			sqlite3_bind_int(s, i + 1, *(const uint16_t *)f);
			break;
		case CTL_STORE_COL_U32:
			sqlite3_bind_int64(s, i + 1, *(const uint32_t *)f);
			break;
		case CTL_STORE_COL_REAL:
			sqlite3_bind_double(s, i + 1, *(const double *)f);
			break;
		case CTL_STORE_COL_TEXT:
			ctl_store_bind_text(s, i + 1, p);
			break;
		case CTL_STORE_COL_TEXT_OPT:
			ctl_store_bind_opt_text(s, i + 1, p);
			break;
		case CTL_STORE_COL_TEXT_LEN:
			sqlite3_bind_text(s, i + 1, p,
					  (int)*(const size_t *)aux,
					  SQLITE_STATIC);
			break;
		case CTL_STORE_COL_BLOB_LEN:
			if (p != NULL)
				sqlite3_bind_blob(s, i + 1, p,
						  (int)*(const size_t *)aux,
						  SQLITE_STATIC);
			break;
		case CTL_STORE_COL_MAC:
			ctl_store_bind_mac(s, i + 1, f);
			break;
		case CTL_STORE_COL_MAC_OPT:
			ctl_store_bind_mac(s, i + 1, *(const bool *)aux ? f :
					   NULL);
			break;
		case CTL_STORE_COL_BOOL:
		case CTL_STORE_COL_SIZE:
			break;		/* computed columns, never bound */
		}
	}
}

int
ctl_store_bind_text(sqlite3_stmt *s, int i, const char *t)
{
	return sqlite3_bind_text(s, i, t != NULL ? t : "", -1, SQLITE_STATIC);
}

int
ctl_store_bind_opt_text(sqlite3_stmt *s, int i, const char *t)
{
	return t != NULL ? sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC) :
		sqlite3_bind_null(s, i);
}

int
ctl_store_bind_mac(sqlite3_stmt *s, int i, const uint8_t *mac)
{
	return mac != NULL ? sqlite3_bind_blob(s, i, mac, 6, SQLITE_STATIC) :
		sqlite3_bind_null(s, i);
}
