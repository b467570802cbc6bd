/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * main() of the tests that need DPDK's EAL (suite 'eal'): no hugepages, no
 * PCI, a file prefix of their own. Include after cmocka.h.
 */

#ifndef CORDON_TEST_EAL_H
#define CORDON_TEST_EAL_H

#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>

static inline int
test_eal_run(const char *argv0, const char *name,
	     const struct CMUnitTest *tests, size_t n)
{
	char prefix[64];
	char *eal_argv[] = {
		(char *)(uintptr_t)argv0, "--no-huge", "-m", "512", "--no-pci",
		"--file-prefix", prefix, "--log-level=error", NULL,
	};
	int ret;

	snprintf(prefix, sizeof(prefix), "cordon_%s_%d", name, (int)getpid());
	if (rte_eal_init(8, eal_argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	ret = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}

#define TEST_EAL_RUN(argv0, name, tests) \
	test_eal_run((argv0), (name), (tests), sizeof(tests) / sizeof((tests)[0]))

#endif /* CORDON_TEST_EAL_H */
