/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Generated-looking DNS labels, see det_dga.h. The bigram list is the
 * most frequent English letter pairs (public letter-frequency tables,
 * e.g. Norvig's counts over the Google books corpus), in no particular
 * order.
 */

#include <ctype.h>
#include <string.h>

#include "det_dga.h"

static const char det_bigrams[] =
	"th he in er an re on at en nd ti es or te of ed is it al ar st to "
	"nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch "
	"ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot "
	"il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po "
	"we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi "
	"pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag "
	"if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc "
	"gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru "
	"ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki "
	"rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn "
	"nu af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa sy sl "
	"ps jo lf nk kn gs dy hy ze ks xt bs ik dd cy rp sk";

static bool
det_common_pair(char a, char b)
{
	/* entries are two letters and a space: "th he ... sk" */
	for (size_t i = 0; i + 1 < sizeof(det_bigrams) - 1; i += 3)
		if (det_bigrams[i] == a && det_bigrams[i + 1] == b)
			return true;
	return false;
}

static bool
det_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
		c == 'y';
}

void
det_dga_judge(const char *label, size_t len, struct det_dga_score *s)
{
	unsigned int run = 0, letters = 0;
	char prev = 0;

	memset(s, 0, sizeof(*s));
	s->hex = true;
	for (size_t i = 0; i < len; i++) {
		char c = (char)tolower((unsigned char)label[i]);
		bool letter = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';

		if (!letter && !digit) {
			prev = 0;
			run = 0;
			continue;
		}
		s->len++;
		if (!(digit || (c >= 'a' && c <= 'f')))
			s->hex = false;
		if (prev && ((prev >= '0' && prev <= '9') != digit))
			s->switches++;
		if (letter) {
			letters++;
			if (det_vowel(c)) {
				s->vowels++;
				run = 0;
			} else if (++run > s->max_run) {
				s->max_run = run;
			}
			if (prev >= 'a' && prev <= 'z') {
				s->pairs++;
				if (det_common_pair(prev, c))
					s->common++;
			}
		} else {
			run = 0;
		}
		prev = c;
	}
	if (s->len < 8 || (len >= 4 && strncmp(label, "xn--", 4) == 0))
		return;
	/* the share of uncommon pairs, 0..1000 */
	s->score = s->pairs ? 1000 - s->common * 1000 / s->pairs : 500;
	if (s->hex && s->len >= 16)
		s->generated = true;	/* a hash as a name */
	else if (s->pairs >= 6 && s->common * 100 < s->pairs * 45)
		s->generated = true;
	else if (s->switches >= 4 && s->common * 100 < s->pairs * 55)
		s->generated = true;
	(void)letters;
}
