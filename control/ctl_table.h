/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Aligned text tables for cordonctl. Columns whose header starts with '>'
 * are right-aligned (numbers). Cells are copied.
 */

#ifndef CORDON_CTL_TABLE_H
#define CORDON_CTL_TABLE_H

#include <stdint.h>
#include <stdio.h>

#define CTL_TABLE_MAX_COLS 16

struct ctl_table {
	unsigned int n_cols;
	const char *head[CTL_TABLE_MAX_COLS];
	int right[CTL_TABLE_MAX_COLS];
	size_t width[CTL_TABLE_MAX_COLS];
	char **cells;		/* n_rows * n_cols */
	size_t n_rows;
	size_t cap_rows;
	int failed;		/* an allocation failed; print says so */
};

/* Header names, NULL-terminated. */
void ctl_table_init(struct ctl_table *t, const char *const *heads);

/* Append a row of n_cols strings. Returns 0 or -ENOMEM. */
int ctl_table_row(struct ctl_table *t, const char *const *cells);

void ctl_table_print(FILE *f, const struct ctl_table *t);
void ctl_table_free(struct ctl_table *t);

/* Formatting helpers for cells (static rotating buffers, 8 deep). */
const char *ctl_fmt_u64(uint64_t v);
/* s with control characters escaped as \xNN: malloc()ed, or valid until
 * the thread's fourth ctl_fmt_esc() after (up to four in one printf). */
char *ctl_esc_dup(const char *s);
const char *ctl_fmt_esc(const char *s);
const char *ctl_fmt_duration_ms(uint64_t ms);	/* "3d4h", "2m05s", ... */

#endif /* CORDON_CTL_TABLE_H */
