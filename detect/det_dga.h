/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_DGA_H
#define CORDON_DET_DGA_H

/*
 * Does a DNS label look machine-generated? A score from how many of its
 * letter pairs are common in English text (the ~120 most frequent bigrams:
 * about two in three pairs of words and brand names, one in six of random
 * letters), its vowels, its consonant runs and its letter/digit changes.
 *
 * Honest limits: labels under 8 characters are never judged (too little
 * to go on); dictionary DGAs (two English words glued, as Suppobox or
 * Matsnu make) score as English and pass; punycode (xn--) is not judged;
 * some brand names are random-looking. That is why the detector only
 * counts such names when they come back NXDOMAIN, and needs several.
 */

#include <stdbool.h>
#include <stddef.h>

struct det_dga_score {
	unsigned int len;	/* characters judged */
	unsigned int pairs;	/* letter pairs */
	unsigned int common;	/* of them among the common bigrams */
	unsigned int vowels;
	unsigned int max_run;	/* longest run of consonants */
	unsigned int switches;	/* letter <-> digit changes */
	bool hex;		/* only [0-9a-f] */
	bool generated;
	unsigned int score;	/* 0..1000, higher is more random-looking */
};

/* Judge label (len bytes, no dots). */
void det_dga_judge(const char *label, size_t len, struct det_dga_score *s);

#endif
