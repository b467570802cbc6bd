/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * main() of the tests that need DPDK's EAL (suite 'eal'): no hugepages, no
 * PCI, a file prefix of their own. Include after cmocka.h; the arguments
 * are test_main.h's.
 */

#ifndef CORDON_TEST_EAL_H
#define CORDON_TEST_EAL_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include "test_eal_dir.h"
#include "test_main.h"

static inline int
test_eal_run(const char *argv0, const char *name,
	     const struct CMUnitTest *tests, size_t n)
{
	char rundir[PATH_MAX];
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
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	test_eal_remove_runtime_dir(rundir);
	return ret;
}

/* main(): TEST_EAL_MAIN("short name", cmocka_unit_test(a), ...). */
#define TEST_EAL_MAIN(name, ...) \
	int \
	main(int argc, char **argv) \
	{ \
		const struct CMUnitTest tests_[] = { __VA_ARGS__ }; \
		\
		test_main_args(argc, argv); \
		return test_eal_run(argv[0], (name), tests_, \
				    sizeof(tests_) / sizeof(tests_[0])); \
	}

#endif /* CORDON_TEST_EAL_H */
