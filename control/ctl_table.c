/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_table.h"
#include "util_array.h"

void
ctl_table_init(struct ctl_table *t, const char *const *heads)
{
	memset(t, 0, sizeof(*t));
	for (; heads[t->n_cols] != NULL && t->n_cols < CTL_TABLE_MAX_COLS;
	     t->n_cols++) {
		const char *h = heads[t->n_cols];

		t->right[t->n_cols] = h[0] == '>';
		t->head[t->n_cols] = h + (h[0] == '>');
		t->width[t->n_cols] = strlen(t->head[t->n_cols]);
	}
}

/* s with control characters as \xNN: a hostname or a reason a device or
 * a peer chose must not move the operator's cursor or clear the screen. */
char *
ctl_esc_dup(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += *p < 0x20 || *p == 0x7f ? 4 : 1;
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

const char *
ctl_fmt_esc(const char *s)
{
	static __thread char *ring[4];
	static __thread unsigned int next;
	char **slot = &ring[next++ % 4];

	free(*slot);
	*slot = ctl_esc_dup(s != NULL ? s : "");
	return *slot != NULL ? *slot : "(out of memory)";
}

int
ctl_table_row(struct ctl_table *t, const char *const *cells)
{
	/* A row of n_cols cells is one element. */
	if (util_array_grow(&t->cells, &t->cap_rows, t->n_rows,
			    t->n_cols * sizeof(*t->cells), 16) < 0) {
		t->failed = 1;
		return -ENOMEM;
	}
	for (unsigned int c = 0; c < t->n_cols; c++) {
		char *s = ctl_esc_dup(cells[c] ? cells[c] : "");
		size_t len;

		if (s == NULL) {
			for (unsigned int k = 0; k < c; k++)
				free(t->cells[t->n_rows * t->n_cols + k]);
			t->failed = 1;
			return -ENOMEM;
		}
		t->cells[t->n_rows * t->n_cols + c] = s;
		len = strlen(s);
		if (len > t->width[c])
			t->width[c] = len;
	}
	t->n_rows++;
	return 0;
}

static void
ctl_table_line(FILE *f, const struct ctl_table *t, const char *const *cells)
{
	for (unsigned int c = 0; c < t->n_cols; c++) {
		int w = (int)t->width[c];
		const char *sep = c + 1 < t->n_cols ? "  " : "";

		if (t->right[c])
			fprintf(f, "%*s%s", w, cells[c], sep);
		else if (c + 1 < t->n_cols)
			fprintf(f, "%-*s%s", w, cells[c], sep);
		else
			fprintf(f, "%s", cells[c]);
	}
	fputc('\n', f);
}

void
ctl_table_print(FILE *f, const struct ctl_table *t)
{
	ctl_table_line(f, t, t->head);
	for (size_t r = 0; r < t->n_rows; r++)
		ctl_table_line(f, t, (const char *const *)
			       &t->cells[r * t->n_cols]);
	if (t->failed)
		fprintf(f, "(out of memory: rows missing)\n");
}

void
ctl_table_free(struct ctl_table *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

static char *
ctl_fmt_buf(void)
{
	static __thread char bufs[8][32];
	static __thread unsigned int next;

	return bufs[next++ % 8];
}

const char *
ctl_fmt_u64(uint64_t v)
{
	char *b = ctl_fmt_buf();

	snprintf(b, 32, "%" PRIu64, v);
	return b;
}

const char *
ctl_fmt_duration_ms(uint64_t ms)
{
	char *b = ctl_fmt_buf();
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(b, 32, "%" PRIu64 ".%01" PRIu64 "s", s,
			 (ms % 1000) / 100);
	else if (s < 3600)
		snprintf(b, 32, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(b, 32, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 (s % 3600) / 60);
	else
		snprintf(b, 32, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 (s % 86400) / 3600);
	return b;
}
