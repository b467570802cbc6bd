/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * main() of every cmocka test program: TEST_MAIN(cmocka_unit_test(a), ...)
 * runs the tests listed; TEST_MAIN_GROUP(setup, teardown, ...) runs them
 * between a group setup and teardown. The tests that read files get the
 * source root and the peer projects' test data directory as arguments
 * (meson passes both); they find them in test_src_root and test_data_dir,
 * whose defaults suit a run from the build directory by hand; others
 * find their arguments in test_argc and test_argv. test_mkdtemp() and
 * test_rmtree() make and remove a scratch directory. Include after
 * cmocka.h. tests/dataplane/test_eal.h is the same for EAL tests.
 */

#ifndef CORDON_TEST_MAIN_H
#define CORDON_TEST_MAIN_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char *test_src_root __attribute__((unused)) = "..";
static const char *test_data_dir __attribute__((unused)) =
	"../../shared/testdata";
/* The whole command line, for programs given other arguments. */
static int test_argc __attribute__((unused));
static char **test_argv __attribute__((unused));

static inline void
test_main_args(int argc, char **argv)
{
	test_argc = argc;
	test_argv = argv;
	if (argc > 1)
		test_src_root = argv[1];
	if (argc > 2)
		test_data_dir = argv[2];
}

/* A new empty directory /tmp/cordon-WHAT-XXXXXX, its name in dir. */
static inline void
test_mkdtemp(char dir[64], const char *what)
{
	snprintf(dir, 64, "/tmp/cordon-%s-XXXXXX", what);
	assert_non_null(mkdtemp(dir));
}

static inline int
test_rmtree_one(const char *path, const struct stat *st, int flag,
		struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove dir and everything in it. */
static inline void
test_rmtree(const char *dir)
{
	assert_int_equal(nftw(dir, test_rmtree_one, 16, FTW_DEPTH | FTW_PHYS),
			 0);
}

/*
 * A scratch directory for each test of a file: its setup test_mkdtemp()s
 * test_dir, test_dir_teardown removes it.
 */
static char test_dir[64] __attribute__((unused));

/* A setup's scratch directory (test_mkdtemp(test_dir, what)) and the path
 * of the file name in it. */
static inline void
test_dir_file(const char *what, const char *name, char *path, size_t len)
{
	test_mkdtemp(test_dir, what);
	snprintf(path, len, "%s/%s", test_dir, name);
}

/* A cmocka setup, static int fn(void **state), that makes the scratch
 * directory (test_dir_file(what, name, path, sizeof(path))): for the tests
 * that need no more than a file's path in it. */
#define TEST_DIR_FILE_SETUP(fn, what, name, path) \
	static int \
	fn(void **state) \
	{ \
		(void)state; \
		test_dir_file(what, name, path, sizeof(path)); \
		return 0; \
	}

static inline int
test_dir_teardown(void **state)
{
	(void)state;
	test_rmtree(test_dir);
	return 0;
}

#define TEST_MAIN_GROUP(setup, teardown, ...) \
	int \
	main(int argc, char **argv) \
	{ \
		const struct CMUnitTest tests_[] = { __VA_ARGS__ }; \
		\
		test_main_args(argc, argv); \
		return cmocka_run_group_tests(tests_, setup, teardown); \
	}

#define TEST_MAIN(...) TEST_MAIN_GROUP(NULL, NULL, __VA_ARGS__)

#endif /* CORDON_TEST_MAIN_H */
