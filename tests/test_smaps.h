/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * test_vm_flags(addr, flags, size): the VmFlags line (/proc/self/smaps)
 * of the mapping that holds addr, " rd wr ... hg" say. 0, or -1 if no
 * mapping holds it. Needs no cmocka.
 */

#ifndef CORDON_TEST_SMAPS_H
#define CORDON_TEST_SMAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline int
test_vm_flags(const void *addr, char *flags, size_t size)
{
	const uintptr_t a = (uintptr_t)addr;
	char line[512];
	bool in = false;
	int rc = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		/* A mapping's first line: "lo-hi perms ..."; the rest are
		 * "Key: value" (and no key parses as lo-hi). */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(flags, size, "%s", line + 8);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

#endif /* CORDON_TEST_SMAPS_H */
