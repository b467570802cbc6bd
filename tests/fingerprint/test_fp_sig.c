/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The signature engine: the regular expressions (fp_re), the strict loader
 * and the example self-test (fp_sig), and every example of every shipped
 * signature (fingerprint/data, FP_DATA_DIR).
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_fp_util.h"
#include "fp_identity.h"
#include "fp_re.h"
#include "fp_sig.h"
#include "fp_type.h"

static bool re_match(const char *pat, const char *s, int caps[FP_RE_NCAP])
{
	static struct fp_re re;
	char err[128];
	int dummy[FP_RE_NCAP];

	if (fp_re_compile(&re, pat, err, sizeof(err)) < 0)
		fail_msg("'%s' does not compile: %s", pat, err);
	return fp_re_match(&re, s, strlen(s), caps ? caps : dummy);
}

static void group(const char *pat, const char *s, int g, const char *want)
{
	int caps[FP_RE_NCAP];
	char got[64];

	assert_true(re_match(pat, s, caps));
	assert_true(caps[2 * g] >= 0);
	snprintf(got, sizeof(got), "%.*s", caps[2 * g + 1] - caps[2 * g],
			s + caps[2 * g]);
	assert_string_equal(got, want);
}

static void test_re_basics(void **state)
{
	(void)state;
	assert_true(re_match("abc", "xxabcxx", NULL));
	assert_false(re_match("^abc", "xxabc", NULL));
	assert_true(re_match("^abc$", "ABC", NULL));	/* case-insensitive */
	assert_false(re_match("^abc$", "abcd", NULL));
	assert_true(re_match("a.c", "abc", NULL));
	assert_true(re_match("^[a-c]+$", "abcCBA", NULL));
	assert_false(re_match("^[^a-c]+$", "xyzb", NULL));
	assert_true(re_match("^\\d{3}-\\w+\\s?$", "123-abc_9", NULL));
	assert_false(re_match("^\\d{3}$", "12", NULL));
	assert_true(re_match("^(?:ab|cd)+$", "abcdab", NULL));
	assert_true(re_match("colou?r", "color", NULL));
	assert_true(re_match("^a{2,3}$", "aaa", NULL));
	assert_false(re_match("^a{2,3}$", "aaaa", NULL));
	assert_true(re_match("^a{2,}$", "aaaaaa", NULL));
	assert_true(re_match("\\bTV\\b", "Living TV", NULL));
	assert_false(re_match("\\bTV\\b", "TVheadend", NULL));
	assert_true(re_match("\\(x\\)\\.\\+", "(x).+", NULL));
	assert_true(re_match("^$", "", NULL));
}

static void test_re_groups(void **state)
{
	(void)state;
	group("^(DCS-\\d+)([A-Z]*)", "DCS-8000LH-5483", 1, "DCS-8000");
	group("^(DCS-\\d+)([A-Z]*)", "DCS-8000LH-5483", 2, "LH");
	group("(a+)(b*)", "xaaab", 0, "aaab");
	/* leftmost-first: the first alternative that matches wins */
	group("(ab|abc)", "abc", 1, "ab");
	/* greedy against lazy */
	group("^(.*),", "a,b,c", 1, "a,b");
	group("^(.*?),", "a,b,c", 1, "a");
	group("syVs=([\\d.]+)", "x,syVs=7.5.2,srcv=1", 1, "7.5.2");
}

static void test_re_errors(void **state)
{
	static struct fp_re re;
	char err[128];
	static const char *const bad[] = {
		"(abc", "abc)", "[abc", "*a", "a{3,1}", "\\q", "a{,2}",
		"(a)(b)(c)(d)(e)", "[z-a]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fp_re_compile(&re, bad[i], err, sizeof(err)),
				-EINVAL);
		assert_true(strlen(err) > 0);
	}
}

/* A pattern that makes backtracking engines explode runs in linear time
 * here: 4000 bytes against (a*)*b and a nested alternation. */
static void test_re_linear(void **state)
{
	static char s[4001];

	(void)state;
	memset(s, 'a', 4000);
	s[4000] = '\0';
	assert_false(re_match("(a*)*b", s, NULL));
	assert_false(re_match("^(a|aa|aaa)+$x", s, NULL));
	assert_true(re_match("^(a|aa)+$", s, NULL));
}

static char dir[64];

static void write_file(const char *name, const char *text)
{
	t_write_file(dir, name, text);
}

static int load_text(const char *text, char *err, size_t cap)
{
	struct fp_sig_db *db = NULL;
	char p[128];
	int rc;

	write_file("t.sig", text);
	snprintf(p, sizeof(p), "%s/t.sig", dir);
	rc = fp_sig_load(&db, p, err, cap);
	fp_sig_free(db);
	return rc;
}

#define GOOD "rule hostname prefix X\n\ttype camera\n\tconf 50\n" \
	"\tfrom test\n\texample X1\n"

static void test_loader_errors(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "rule nosuch prefix X\n", "unknown class" },
		{ "rule hostname like X\n", "unknown match operator" },
		{ "rule hostname prefix X\n\ttype toaster\n", "not a device type" },
		{ "rule hostname prefix X\n\ttype camera\n\tconf 50\n"
			"\texample X1\n", "no 'from'" },
		{ "rule hostname prefix X\n\ttype camera\n\tconf 50\n"
			"\tfrom test\n", "no example" },
		{ "rule hostname prefix X\n\ttype camera\n\tfrom test\n"
			"\texample X1\n", "no confidence" },
		{ "rule hostname prefix X\n\tconf 100\n", "conf must be" },
		{ "\ttype camera\n", "outside a rule" },
		{ "something else\n", "expected 'rule" },
		{ "rule hostname re (x\n", "bad pattern" },
		{ "rule hostname prefix X\n\tcolour red\n", "unknown key" },
		{ GOOD "\tif model=X\n", "if vendor=" },
	};
	char err[256];

	(void)state;
	assert_int_equal(load_text(GOOD, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load_text(cases[i].text, err, sizeof(err)),
				-EINVAL);
		if (!strstr(err, cases[i].want) || !strstr(err, "t.sig:"))
			fail_msg("case %zu: '%s' lacks '%s' or file:line", i,
					err, cases[i].want);
	}
	assert_true(fp_sig_load(&(struct fp_sig_db *){ NULL },
				"/nonexistent/dir", err, sizeof(err)) < 0);
}

static int n_reported;

static void count_report(const char *line, void *arg)
{
	(void)arg;
	(void)line;
	n_reported++;
}

static void test_selftest_catches(void **state)
{
	struct fp_sig_db *db;
	char p[128], err[256];
	size_t n;

	(void)state;
	write_file("t.sig",
		"rule hostname re ^(DCS-\\d+)\n"
		"\tvendor D-Link\n\tmodel $1\n\ttype camera\n\tconf 80\n"
		"\tfrom test\n"
		"\texample DCS-930L => model=DCS-930\n"	/* holds */
		"\texample DCS-930L => model=DCS-931\n"	/* wrong value */
		"\texample DSC-930\n"			/* no match */
		"\tnot DCS-1\n"				/* matches: bad */
		"\texample DCS-1 => os=Linux\n");	/* no os assigned */
	snprintf(p, sizeof(p), "%s/t.sig", dir);
	assert_int_equal(fp_sig_load(&db, p, err, sizeof(err)), 0);
	n_reported = 0;
	assert_int_equal(fp_sig_selftest(db, count_report, NULL, &n), 4);
	assert_int_equal(n_reported, 4);
	assert_int_equal(n, 5);
	fp_sig_free(db);
}

static void print_line(const char *line, void *arg)
{
	(void)arg;
	printf("FAIL %s\n", line);
}

/* Every example of every shipped signature holds. */
static void test_shipped_examples(void **state)
{
	struct fp_sig_db *db;
	char err[512];
	size_t n = 0, types = 0;
	int bad;

	(void)state;
	if (fp_sig_load(&db, FP_DATA_DIR, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	bad = fp_sig_selftest(db, print_line, NULL, &n);
	printf("%zu rules, %zu examples, %d failed\n", fp_sig_count(db), n,
			bad);
	assert_int_equal(bad, 0);
	assert_true(fp_sig_count(db) >= 500);
	for (size_t i = 0; i < fp_sig_count(db); i++) {
		const struct fp_sig_rule *r = fp_sig_rule(db, i);

		assert_non_null(r->from);
		assert_true(r->n_ex > 0);
		for (int k = 0; k < r->n_set; k++)
			types += r->set[k].attr == FP_ATTR_TYPE;
	}
	assert_true(types > 0);
	fp_sig_free(db);
}

static void test_types(void **state)
{
	(void)state;
	assert_string_equal(fp_type_name(FP_TYPE_CAMERA), "camera");
	assert_string_equal(fp_type_name(FP_TYPE_GAME_CONSOLE),
			"game-console");
	assert_null(fp_type_name(FP_TYPE_NONE));
	assert_int_equal(fp_type_parse("voice-assistant"),
			FP_TYPE_VOICE_ASSISTANT);
	assert_int_equal(fp_type_parse("embedded"), FP_TYPE_NONE);
	assert_false(fp_type_valid("Camera"));
	for (int t = 1; t < FP_TYPE__MAX; t++)
		assert_int_equal(fp_type_parse(fp_type_name((enum fp_type)t)),
				t);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fp-sig-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_re_basics),
		cmocka_unit_test(test_re_groups),
		cmocka_unit_test(test_re_errors),
		cmocka_unit_test(test_re_linear),
		cmocka_unit_test(test_loader_errors),
		cmocka_unit_test(test_selftest_catches),
		cmocka_unit_test(test_shipped_examples),
		cmocka_unit_test(test_types),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
