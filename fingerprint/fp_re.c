/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Regular expressions for signatures (fp_re.h). The pattern is parsed into
 * a small tree (fixed pool), which is emitted as a program for a Pike VM
 * (R. Cox, "Regular Expression Matching: the Virtual Machine Approach"):
 * every thread advances one input byte at a time, a thread reaching a pc
 * already taken in that step is dropped, so matching is O(len * prog) and
 * needs only two thread lists on the stack. Thread order is priority, which
 * gives leftmost-first (Perl-like) submatches.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fp_re.h"

enum { I_CHAR, I_ANY, I_CLASS, I_BOL, I_EOL, I_WORDB, I_SAVE, I_SPLIT,
	I_JMP, I_MATCH };

enum { N_CHAR, N_ANY, N_CLASS, N_BOL, N_EOL, N_WORDB, N_CAT, N_ALT,
	N_GROUP, N_REP, N_EMPTY };

#define MAX_NODES 1024

struct node {
	uint8_t kind;
	uint8_t arg;		/* char, class, or capture index (0xff: none) */
	bool lazy;
	int16_t min, max;	/* N_REP; max -1: unbounded */
	int16_t a, b;		/* children: CAT/ALT (a, b), GROUP/REP (a) */
};

struct parser {
	const char *p;
	struct node n[MAX_NODES];
	int nn;
	struct fp_re *re;
	const char *err;
};

static int mk(struct parser *ps, uint8_t kind)
{
	if (ps->nn >= MAX_NODES) {
		ps->err = "pattern too complex";
		return -1;
	}
	memset(&ps->n[ps->nn], 0, sizeof(ps->n[0]));
	ps->n[ps->nn].kind = kind;
	ps->n[ps->nn].a = ps->n[ps->nn].b = -1;
	return ps->nn++;
}

/* A node over one or two others (b: -1 for none). */
static int mk_over(struct parser *ps, uint8_t kind, int a, int b)
{
	int id = mk(ps, kind);

	if (id >= 0) {
		ps->n[id].a = (int16_t)a;
		ps->n[id].b = (int16_t)b;
	}
	return id;
}

static int new_class(struct parser *ps)
{
	if (ps->re->n_class >= FP_RE_MAX_CLASS) {
		ps->err = "too many character classes";
		return -1;
	}
	memset(ps->re->cls[ps->re->n_class], 0, sizeof(ps->re->cls[0]));
	return ps->re->n_class++;
}

static void cls_set(uint32_t *c, int ch)
{
	int l = tolower(ch), u = toupper(ch);

	c[l >> 5] |= 1u << (l & 31);
	c[u >> 5] |= 1u << (u & 31);
}

/* \d \w \s and their negations into a class; false if not one. */
static bool cls_escape(uint32_t *c, char e)
{
	uint32_t t[8] = { 0 };
	bool neg = isupper((unsigned char)e);

	switch (tolower((unsigned char)e)) {
	case 'd':
		for (int ch = '0'; ch <= '9'; ch++)
			cls_set(t, ch);
		break;
	case 'w':
		for (int ch = 0; ch < 128; ch++)
			if (isalnum(ch) || ch == '_')
				cls_set(t, ch);
		break;
	case 's':
		for (int ch = 0; ch < 128; ch++)
			if (isspace(ch))
				cls_set(t, ch);
		break;
	default:
		return false;
	}
	for (int i = 0; i < 8; i++)
		c[i] |= neg ? ~t[i] : t[i];
	return true;
}

static int parse_alt(struct parser *ps);

static int parse_class(struct parser *ps)
{
	int k = new_class(ps), id;
	uint32_t c[8] = { 0 };
	bool neg = false, first = true;

	if (k < 0)
		return -1;
	if (*ps->p == '^') {
		neg = true;
		ps->p++;
	}
	while (*ps->p && (*ps->p != ']' || first)) {
		int lo = (unsigned char)*ps->p++, hi;

		first = false;
		if (lo == '\\') {
			if (!*ps->p)
				break;
			if (cls_escape(c, *ps->p)) {
				ps->p++;
				continue;
			}
			lo = (unsigned char)*ps->p++;
		}
		hi = lo;
		if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
			hi = (unsigned char)ps->p[1];
			ps->p += 2;
			if (hi == '\\' && *ps->p)
				hi = (unsigned char)*ps->p++;
			if (hi < lo) {
				ps->err = "bad range in [...]";
				return -1;
			}
		}
		for (int ch = lo; ch <= hi; ch++)
			cls_set(c, ch);
	}
	if (*ps->p != ']') {
		ps->err = "missing ]";
		return -1;
	}
	ps->p++;
	for (int i = 0; i < 8; i++)
		ps->re->cls[k][i] = neg ? ~c[i] : c[i];
	id = mk(ps, N_CLASS);
	if (id >= 0)
		ps->n[id].arg = (uint8_t)k;
	return id;
}

static int parse_atom(struct parser *ps)
{
	int id, k;
	char c = *ps->p;

	switch (c) {
	case '(': {
		uint8_t cap = 0xff;

		ps->p++;
		if (ps->p[0] == '?' && ps->p[1] == ':') {
			ps->p += 2;
		} else {
			if (ps->re->n_groups >= FP_RE_MAX_GROUPS) {
				ps->err = "more than 4 capturing groups";
				return -1;
			}
			cap = ++ps->re->n_groups;
		}
		k = parse_alt(ps);
		if (k < 0)
			return -1;
		if (*ps->p != ')') {
			ps->err = "missing )";
			return -1;
		}
		ps->p++;
		id = mk(ps, N_GROUP);
		if (id >= 0) {
			ps->n[id].arg = cap;
			ps->n[id].a = (int16_t)k;
		}
		return id;
	}
	case '[':
		ps->p++;
		return parse_class(ps);
	case '.':
		ps->p++;
		return mk(ps, N_ANY);
	case '^':
		ps->p++;
		return mk(ps, N_BOL);
	case '$':
		ps->p++;
		return mk(ps, N_EOL);
	case '\\':
		ps->p++;
		if (!*ps->p) {
			ps->err = "trailing \\";
			return -1;
		}
		if (*ps->p == 'b') {
			ps->p++;
			return mk(ps, N_WORDB);
		}
		if (strchr("dwsDWS", *ps->p)) {
			k = new_class(ps);
			if (k < 0)
				return -1;
			cls_escape(ps->re->cls[k], *ps->p++);
			id = mk(ps, N_CLASS);
			if (id >= 0)
				ps->n[id].arg = (uint8_t)k;
			return id;
		}
		if (isalnum((unsigned char)*ps->p)) {
			ps->err = "unknown escape";
			return -1;
		}
		c = *ps->p;
		break;	/* the escaped character is a literal */
	default:
		if (c == '*' || c == '+' || c == '?' || c == '{') {
			ps->err = "quantifier without anything before it";
			return -1;
		}
		break;
	}
	if ((unsigned char)c < 0x20) {
		ps->err = "control character in pattern";
		return -1;
	}
	ps->p++;
	id = mk(ps, N_CHAR);
	if (id >= 0)
		ps->n[id].arg = (uint8_t)tolower((unsigned char)c);
	return id;
}

static bool parse_int(struct parser *ps, int *v)
{
	if (!isdigit((unsigned char)*ps->p))
		return false;
	*v = 0;
	while (isdigit((unsigned char)*ps->p)) {
		*v = *v * 10 + (*ps->p++ - '0');
		if (*v > 64)
			return false;
	}
	return true;
}

static int parse_rep(struct parser *ps)
{
	int a = parse_atom(ps);

	while (a >= 0 && *ps->p && strchr("*+?{", *ps->p)) {
		int id, lo = 0, hi = -1;
		char q = *ps->p++;

		if (q == '+')
			lo = 1;
		else if (q == '?')
			hi = 1;
		else if (q == '{') {
			if (!parse_int(ps, &lo)) {
				ps->err = "bad {n,m}";
				return -1;
			}
			hi = lo;
			if (*ps->p == ',') {
				ps->p++;
				hi = -1;
				if (*ps->p != '}' && !parse_int(ps, &hi)) {
					ps->err = "bad {n,m}";
					return -1;
				}
			}
			if (*ps->p++ != '}' || (hi >= 0 && hi < lo)) {
				ps->err = "bad {n,m}";
				return -1;
			}
		}
		id = mk_over(ps, N_REP, a, -1);
		if (id < 0)
			return -1;
		ps->n[id].min = (int16_t)lo;
		ps->n[id].max = (int16_t)hi;
		if (*ps->p == '?') {
			ps->n[id].lazy = true;
			ps->p++;
		}
		a = id;
	}
	return a;
}

static int parse_cat(struct parser *ps)
{
	int left = -1;

	while (*ps->p && *ps->p != '|' && *ps->p != ')') {
		int r = parse_rep(ps);

		if (r < 0)
			return -1;
		if (left < 0) {
			left = r;
			continue;
		}
		left = mk_over(ps, N_CAT, left, r);
		if (left < 0)
			return -1;
	}
	return left >= 0 ? left : mk(ps, N_EMPTY);
}

static int parse_alt(struct parser *ps)
{
	int left = parse_cat(ps);

	while (left >= 0 && *ps->p == '|') {
		int r;

		ps->p++;
		r = parse_cat(ps);
		if (r < 0)
			return -1;
		left = mk_over(ps, N_ALT, left, r);
	}
	return left;
}

/* --- code generation --------------------------------------------------- */

struct gen {
	struct fp_re *re;
	const struct node *n;
	const char *err;
};

static int emit(struct gen *g, uint8_t op, uint8_t arg)
{
	if (g->re->n >= FP_RE_MAX_PROG) {
		g->err = "pattern too long once compiled";
		return -1;
	}
	g->re->prog[g->re->n] = (struct fp_re_inst){ .op = op, .arg = arg };
	return g->re->n++;
}

static int gen(struct gen *g, int id);

/* One optional copy of node a: SPLIT body, end (or end, body if lazy). */
static int gen_opt(struct gen *g, int a, bool lazy)
{
	int s = emit(g, I_SPLIT, 0);

	if (s < 0 || gen(g, a) < 0)
		return -1;
	g->re->prog[s].x = lazy ? g->re->n : (uint16_t)(s + 1);
	g->re->prog[s].y = lazy ? (uint16_t)(s + 1) : g->re->n;
	return 0;
}

static int gen_star(struct gen *g, int a, bool lazy)
{
	int s = emit(g, I_SPLIT, 0), j;

	if (s < 0 || gen(g, a) < 0)
		return -1;
	j = emit(g, I_JMP, 0);
	if (j < 0)
		return -1;
	g->re->prog[j].x = (uint16_t)s;
	g->re->prog[s].x = lazy ? g->re->n : (uint16_t)(s + 1);
	g->re->prog[s].y = lazy ? (uint16_t)(s + 1) : g->re->n;
	return 0;
}

static int gen(struct gen *g, int id)
{
	const struct node *x = &g->n[id];
	int s;

	switch (x->kind) {
	case N_CHAR:
		return emit(g, I_CHAR, x->arg) < 0 ? -1 : 0;
	case N_ANY:
		return emit(g, I_ANY, 0) < 0 ? -1 : 0;
	case N_CLASS:
		return emit(g, I_CLASS, x->arg) < 0 ? -1 : 0;
	case N_BOL:
		return emit(g, I_BOL, 0) < 0 ? -1 : 0;
	case N_EOL:
		return emit(g, I_EOL, 0) < 0 ? -1 : 0;
	case N_WORDB:
		return emit(g, I_WORDB, 0) < 0 ? -1 : 0;
	case N_EMPTY:
		return 0;
	case N_CAT:
		return gen(g, x->a) < 0 ? -1 : gen(g, x->b);
	case N_ALT: {
		int j;

		s = emit(g, I_SPLIT, 0);
		if (s < 0 || gen(g, x->a) < 0)
			return -1;
		j = emit(g, I_JMP, 0);
		if (j < 0)
			return -1;
		g->re->prog[s].x = (uint16_t)(s + 1);
		g->re->prog[s].y = g->re->n;
		if (gen(g, x->b) < 0)
			return -1;
		g->re->prog[j].x = g->re->n;
		return 0;
	}
	case N_GROUP:
		if (x->arg != 0xff && emit(g, I_SAVE, (uint8_t)(2 * x->arg)) < 0)
			return -1;
		if (gen(g, x->a) < 0)
			return -1;
		if (x->arg != 0xff &&
				emit(g, I_SAVE, (uint8_t)(2 * x->arg + 1)) < 0)
			return -1;
		return 0;
	case N_REP:
		for (int i = 0; i < x->min; i++)
			if (gen(g, x->a) < 0)
				return -1;
		if (x->max < 0)
			return gen_star(g, x->a, x->lazy);
		for (int i = x->min; i < x->max; i++)
			if (gen_opt(g, x->a, x->lazy) < 0)
				return -1;
		return 0;
	}
	g->err = "internal: unknown node";
	return -1;
}

int fp_re_compile(struct fp_re *re, const char *pattern, char *err,
		size_t errcap)
{
	struct parser pool, *ps = &pool;
	struct gen g;
	int root, rc = -EINVAL;

	memset(re, 0, sizeof(*re));
	memset(ps, 0, sizeof(*ps));
	ps->p = pattern;
	ps->re = re;
	root = parse_alt(ps);
	if (root >= 0 && *ps->p) {
		ps->err = *ps->p == ')' ? "unbalanced )" : "trailing text";
		root = -1;
	}
	if (root < 0) {
		snprintf(err, errcap, "%s at offset %ld",
				ps->err ? ps->err : "syntax error",
				(long)(ps->p - pattern));
		return rc;
	}
	g = (struct gen){ .re = re, .n = ps->n };
	if (emit(&g, I_SAVE, 0) < 0 || gen(&g, root) < 0 ||
			emit(&g, I_SAVE, 1) < 0 || emit(&g, I_MATCH, 0) < 0) {
		snprintf(err, errcap, "%s", g.err);
		return rc;
	}
	return 0;
}

/* --- matching ---------------------------------------------------------- */

struct thread {
	uint16_t pc;
	int16_t cap[FP_RE_NCAP];
};

struct tlist {
	uint16_t n;
	struct thread t[FP_RE_MAX_PROG];
};

static bool in_class(const struct fp_re *re, uint8_t k, uint8_t c)
{
	return (re->cls[k][c >> 5] >> (c & 31)) & 1;
}

/* Follow the non-consuming instructions from pc (priority order), adding
 * the consuming ones and MATCH to l. mark[] holds the step each pc was
 * last added in. */
static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static void add(const struct fp_re *re, struct tlist *l, uint16_t *mark,
		uint16_t step, uint16_t pc, int16_t *cap, const char *s,
		size_t i, size_t len)
{
	const struct fp_re_inst *in;

	if (mark[pc] == step)
		return;
	mark[pc] = step;
	in = &re->prog[pc];
	switch (in->op) {
	case I_JMP:
		add(re, l, mark, step, in->x, cap, s, i, len);
		return;
	case I_SPLIT:
		add(re, l, mark, step, in->x, cap, s, i, len);
		add(re, l, mark, step, in->y, cap, s, i, len);
		return;
	case I_SAVE: {
		int16_t old = cap[in->arg];

		cap[in->arg] = (int16_t)i;
		add(re, l, mark, step, (uint16_t)(pc + 1), cap, s, i, len);
		cap[in->arg] = old;
		return;
	}
	case I_BOL:
		if (i == 0)
			add(re, l, mark, step, (uint16_t)(pc + 1), cap, s, i, len);
		return;
	case I_EOL:
		if (i == len)
			add(re, l, mark, step, (uint16_t)(pc + 1), cap, s, i, len);
		return;
	case I_WORDB:
		if ((i > 0 && word_char(s[i - 1])) !=
				(i < len && word_char(s[i])))
			add(re, l, mark, step, (uint16_t)(pc + 1), cap, s, i, len);
		return;
	default:
		l->t[l->n].pc = pc;
		memcpy(l->t[l->n].cap, cap, sizeof(l->t[0].cap));
		l->n++;
		return;
	}
}

bool fp_re_match(const struct fp_re *re, const char *s, size_t len,
		int caps[FP_RE_NCAP])
{
	struct tlist a, b, *cl = &a, *nl = &b, *t;
	uint16_t mark[FP_RE_MAX_PROG];
	int16_t cap[FP_RE_NCAP], best[FP_RE_NCAP];
	bool matched = false;

	if (len > 4096)
		len = 4096;	/* offsets fit int16_t */
	memset(mark, 0xff, sizeof(mark));
	for (int k = 0; k < FP_RE_NCAP; k++)
		cap[k] = -1;
	cl->n = 0;
	add(re, cl, mark, 0, 0, cap, s, 0, len);
	for (size_t i = 0;; i++) {
		uint8_t c = i < len ? (uint8_t)tolower((unsigned char)s[i]) : 0;

		nl->n = 0;
		for (uint16_t k = 0; k < cl->n; k++) {
			const struct thread *th = &cl->t[k];
			const struct fp_re_inst *in = &re->prog[th->pc];
			bool ok = false;

			if (in->op == I_MATCH) {
				memcpy(best, th->cap, sizeof(best));
				matched = true;
				break;	/* lower-priority threads lose */
			}
			if (i >= len)
				continue;
			if (in->op == I_CHAR)
				ok = in->arg == c;
			else if (in->op == I_ANY)
				ok = true;
			else if (in->op == I_CLASS)
				ok = in_class(re, in->arg, (uint8_t)s[i]);
			if (ok) {
				memcpy(cap, th->cap, sizeof(cap));
				add(re, nl, mark, (uint16_t)(i + 1),
						(uint16_t)(th->pc + 1), cap, s,
						i + 1, len);
			}
		}
		if (i >= len)
			break;
		/* unanchored: a new attempt starting after this byte, at the
		 * lowest priority, until something has matched */
		if (!matched) {
			for (int k = 0; k < FP_RE_NCAP; k++)
				cap[k] = -1;
			add(re, nl, mark, (uint16_t)(i + 1), 0, cap, s,
					i + 1, len);
		}
		if (nl->n == 0 && matched)
			break;
		t = cl;
		cl = nl;
		nl = t;
	}
	if (!matched)
		return false;
	for (int k = 0; k < FP_RE_NCAP; k++)
		caps[k] = best[k];
	return true;
}
