/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The EAL's runtime folder, removed by the programs that start the EAL
 * in-process (test_eal.h's tests, fuzz_acl). No cmocka.
 */

#ifndef CORDON_TEST_EAL_DIR_H
#define CORDON_TEST_EAL_DIR_H

#include <dirent.h>
#include <string.h>
#include <unistd.h>

/* EAL leaves its runtime folder (config, fbarrays) behind at cleanup; a
 * test, with a prefix of its own each run, removes it. */
static inline void
test_eal_remove_runtime_dir(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	rmdir(dir);
}

#endif /* CORDON_TEST_EAL_DIR_H */
