/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_RE_H
#define CORDON_FP_RE_H

/*
 * A small regular-expression engine for signatures: compiled once at load
 * time into a fixed-size program, matched by a Pike VM (Thompson NFA with
 * submatches), so a match takes time linear in the input whatever the
 * pattern and input (no backtracking blow-up on hostile strings) and
 * allocates nothing.
 *
 * Syntax (ASCII, always case-insensitive): literals, `.`, `[...]` and
 * `[^...]` with ranges, `\d \w \s \D \W \S` and `\` before any punctuation,
 * `^ $ \b`, groups `( )` (capturing, $1..$4) and `(?: )`, alternation `|`,
 * quantifiers `* + ? {n} {n,} {n,m}` (greedy; `?` after one makes it
 * lazy). A pattern matches anywhere in the input unless anchored.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FP_RE_MAX_PROG 512
#define FP_RE_MAX_CLASS 24
#define FP_RE_MAX_GROUPS 4		/* $1..$4 ($0: the whole match) */
#define FP_RE_NCAP (2 * (FP_RE_MAX_GROUPS + 1))

struct fp_re_inst {
	uint8_t op;
	uint8_t arg;		/* character, class index or capture slot */
	uint16_t x, y;		/* jump targets */
};

struct fp_re {
	uint16_t n;
	uint8_t n_class, n_groups;
	struct fp_re_inst prog[FP_RE_MAX_PROG];
	uint32_t cls[FP_RE_MAX_CLASS][8];	/* 256-bit sets */
};

/* 0, or -EINVAL with a reason in err. */
int fp_re_compile(struct fp_re *re, const char *pattern, char *err,
		size_t errcap);
/* Leftmost-first match anywhere in s[0..len). caps[2k], caps[2k+1]: the
 * start and end of group k (k = 0: the whole match), -1 when unset. */
bool fp_re_match(const struct fp_re *re, const char *s, size_t len,
		int caps[FP_RE_NCAP]);

#endif
