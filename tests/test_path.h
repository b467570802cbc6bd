/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * test_path(dir, name): "dir/name" in one of four static buffers, so that
 * a call can take up to four paths at once. Needs no cmocka.
 */

#ifndef CORDON_TEST_PATH_H
#define CORDON_TEST_PATH_H

#include <stdio.h>

static inline const char *
test_path(const char *dir, const char *name)
{
	static char buf[4][1024];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

#endif /* CORDON_TEST_PATH_H */
