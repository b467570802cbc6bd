/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A line diff of two texts in unified format (diff -u, 3 lines of
 * context), for `cordonctl policy diff`: what changed in the source from
 * one policy version to another.
 */

#ifndef CORDON_CTL_DIFF_H
#define CORDON_CTL_DIFF_H

/*
 * Diff a (labelled label_a in the --- line) against b (+++). *out is
 * malloc()ed, "" when the texts are the same. 0, -EINVAL or -ENOMEM.
 */
int ctl_diff_text(const char *a, const char *label_a, const char *b,
		  const char *label_b, char **out);

#endif /* CORDON_CTL_DIFF_H */
