/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_diff.h"

/*
 * LCS on the lines between the common prefix and suffix, by dynamic
 * programming. Policies are small and edits local, so the middle is
 * small; past DIFF_MAX_CELLS it is shown as deleted and added whole,
 * which is still a correct diff, just not a minimal one.
 */
#define DIFF_CONTEXT 3
#define DIFF_MAX_CELLS (8u << 20)

struct dline {
	const char *p;
	size_t len;		/* without the newline */
	bool nl;		/* ends with a newline */
};

enum dop_kind { DOP_EQ, DOP_DEL, DOP_ADD };

struct dop {
	enum dop_kind kind;
	size_t ai, bi;		/* lines of a and b before this op */
};

struct dbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void __attribute__((format(printf, 2, 3)))
dbuf_printf(struct dbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap * 2 + (size_t)n + 1;
		char *q = realloc(b->p, cap);

		if (q == NULL) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
}

static struct dline *
split_lines(const char *t, size_t *n)
{
	size_t count = 0, i = 0, len = strlen(t);
	struct dline *v;

	for (size_t k = 0; k < len; k++)
		count += t[k] == '\n';
	count += len > 0 && t[len - 1] != '\n';
	v = calloc(count > 0 ? count : 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (const char *p = t; *p != '\0'; i++) {
		const char *e = strchr(p, '\n');

		v[i].p = p;
		v[i].len = e != NULL ? (size_t)(e - p) : strlen(p);
		v[i].nl = e != NULL;
		p = e != NULL ? e + 1 : p + v[i].len;
	}
	*n = count;
	return v;
}

static bool
dline_eq(const struct dline *x, const struct dline *y)
{
	return x->len == y->len && x->nl == y->nl &&
		memcmp(x->p, y->p, x->len) == 0;
}

static void
emit_line(struct dbuf *o, char mark, const struct dline *l)
{
	dbuf_printf(o, "%c%.*s\n", mark, (int)l->len, l->p);
	if (!l->nl)
		dbuf_printf(o, "\\ No newline at end of file\n");
}

static void
emit_range(struct dbuf *o, char side, size_t start, size_t count)
{
	/* diff -u: an empty range names the line before it. */
	if (count == 1)
		dbuf_printf(o, "%c%zu", side, start + 1);
	else
		dbuf_printf(o, "%c%zu,%zu", side, count ? start + 1 : start,
			    count);
}

/* Fill ops for the middle part a[0..n) vs b[0..m). */
static size_t
diff_middle(const struct dline *a, size_t n, const struct dline *b, size_t m,
	    size_t a0, size_t b0, struct dop *ops)
{
	size_t k = 0, i = 0, j = 0;
	uint16_t *dp = NULL;

	if (n > 0 && m > 0 && n * m <= DIFF_MAX_CELLS)
		dp = calloc((n + 1) * (m + 1), sizeof(*dp));
	if (dp != NULL) {
		/* dp[i][j]: LCS length of a[i..] and b[j..]. */
#define DP(x, y) dp[(x) * (m + 1) + (y)]
		for (size_t x = n; x-- > 0;)
			for (size_t y = m; y-- > 0;)
				DP(x, y) = dline_eq(&a[x], &b[y]) ?
					DP(x + 1, y + 1) + 1 :
					DP(x + 1, y) > DP(x, y + 1) ?
					DP(x + 1, y) : DP(x, y + 1);
		while (i < n && j < m) {
			struct dop *op = &ops[k++];

			op->ai = a0 + i;
			op->bi = b0 + j;
			if (dline_eq(&a[i], &b[j])) {
				op->kind = DOP_EQ;
				i++;
				j++;
			} else if (DP(i + 1, j) >= DP(i, j + 1)) {
				op->kind = DOP_DEL;
				i++;
			} else {
				op->kind = DOP_ADD;
				j++;
			}
		}
#undef DP
		free(dp);
	}
	for (; i < n; i++)
		ops[k++] = (struct dop){ DOP_DEL, a0 + i, b0 + j };
	for (; j < m; j++)
		ops[k++] = (struct dop){ DOP_ADD, a0 + i, b0 + j };
	return k;
}

/* Within each run of changes, deletions first, as diff prints them. */
static void
order_changes(struct dop *ops, size_t n)
{
	for (size_t s = 0; s < n;) {
		size_t e = s, dels = 0;

		if (ops[s].kind == DOP_EQ) {
			s++;
			continue;
		}
		while (e < n && ops[e].kind != DOP_EQ)
			dels += ops[e++].kind == DOP_DEL;
		size_t ai = ops[s].ai, bi = ops[s].bi;

		for (size_t x = s; x < e; x++) {
			bool del = x - s < dels;

			ops[x].kind = del ? DOP_DEL : DOP_ADD;
			ops[x].ai = ai;
			ops[x].bi = bi;
			if (del)
				ai++;
			else
				bi++;
		}
		s = e;
	}
}

int
ctl_diff_text(const char *ta, const char *label_a, const char *tb,
	      const char *label_b, char **out)
{
	struct dline *a = NULL, *b = NULL;
	size_t n = 0, m = 0, pre = 0, suf = 0, nops = 0;
	struct dbuf o = { NULL, 0, 0, false };
	struct dop *ops = NULL;
	int ret = -ENOMEM;

	if (ta == NULL || tb == NULL || out == NULL)
		return -EINVAL;
	*out = NULL;
	a = split_lines(ta, &n);
	b = split_lines(tb, &m);
	ops = calloc(n + m + 1, sizeof(*ops));
	o.cap = 256;
	o.p = malloc(o.cap);
	if (a == NULL || b == NULL || ops == NULL || o.p == NULL)
		goto out;
	o.p[0] = '\0';
	while (pre < n && pre < m && dline_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       dline_eq(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		ops[nops++] = (struct dop){ DOP_EQ, i, i };
	nops += diff_middle(a + pre, n - pre - suf, b + pre, m - pre - suf,
			    pre, pre, ops + nops);
	for (size_t i = 0; i < suf; i++)
		ops[nops++] = (struct dop){ DOP_EQ, n - suf + i, m - suf + i };
	order_changes(ops, nops);

	if (pre == n && pre == m) {	/* identical */
		ret = 0;
		goto out;
	}
	dbuf_printf(&o, "--- %s\n+++ %s\n", label_a ? label_a : "a",
		    label_b ? label_b : "b");
	for (size_t x = 0; x < nops;) {
		size_t first, last, s, e, ac = 0, bc = 0;

		while (x < nops && ops[x].kind == DOP_EQ)
			x++;
		if (x == nops)
			break;
		first = last = x;
		/* Take in changes while the equal run between is short. */
		for (size_t y = x + 1; y < nops; y++) {
			if (ops[y].kind == DOP_EQ)
				continue;
			if (y - last - 1 > 2 * DIFF_CONTEXT)
				break;
			last = y;
		}
		s = first > DIFF_CONTEXT ? first - DIFF_CONTEXT : 0;
		e = last + 1 + DIFF_CONTEXT < nops ? last + 1 + DIFF_CONTEXT :
			nops;
		for (size_t y = s; y < e; y++) {
			ac += ops[y].kind != DOP_ADD;
			bc += ops[y].kind != DOP_DEL;
		}
		dbuf_printf(&o, "@@ ");
		emit_range(&o, '-', ops[s].ai, ac);
		dbuf_printf(&o, " ");
		emit_range(&o, '+', ops[s].bi, bc);
		dbuf_printf(&o, " @@\n");
		for (size_t y = s; y < e; y++) {
			switch (ops[y].kind) {
			case DOP_EQ:
				emit_line(&o, ' ', &a[ops[y].ai]);
				break;
			case DOP_DEL:
				emit_line(&o, '-', &a[ops[y].ai]);
				break;
			case DOP_ADD:
				emit_line(&o, '+', &b[ops[y].bi]);
				break;
			}
		}
		x = e;
	}
	ret = o.oom ? -ENOMEM : 0;
out:
	free(a);
	free(b);
	free(ops);
	if (ret == 0) {
		*out = o.p;
	} else {
		free(o.p);
	}
	return ret;
}
