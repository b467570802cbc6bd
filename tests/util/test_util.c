/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* util/: MACs, files, hashes, error messages, options and the clock. */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_main.h"
#include "test_smaps.h"
#include "util_array.h"
#include "util_dns.h"
#include "util_err.h"
#include "util_file.h"
#include "util_hash.h"
#include "util_mac.h"
#include "util_mem.h"
#include "util_opt.h"
#include "util_thread.h"
#include "util_time.h"

static void
test_mac(void **state)
{
	const uint8_t want[6] = { 0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc };
	char buf[UTIL_MAC_STRLEN];
	uint8_t mac[6];
	uint32_t bits;

	(void)state;
	assert_string_equal(util_mac_format(want, buf), "00:11:22:aa:bb:cc");
	assert_string_equal(util_mac_str(want), "00:11:22:aa:bb:cc");
	assert_int_equal(util_mac_parse("00:11:22:AA:bb:cc", mac), 0);
	assert_memory_equal(mac, want, 6);
	assert_int_equal(util_mac_parse("00-11-22-aa-bb-cc", mac), 0);
	assert_memory_equal(mac, want, 6);
	assert_int_equal(util_mac_parse("00:11:22:33:44", mac), -EINVAL);
	assert_int_equal(util_mac_parse("00:11:22:33:44:55:66", mac),
			 -EINVAL);
	assert_int_equal(util_mac_parse("0:11:22:33:44:55", mac), -EINVAL);
	assert_int_equal(util_mac_parse("00:11:22:33:44:5g", mac), -EINVAL);
	assert_int_equal(util_mac_parse(" 00:11:22:33:44:55", mac), -EINVAL);
	assert_int_equal(util_mac_parse("00:11:22:33:44:55 ", mac), -EINVAL);
	assert_int_equal(util_mac_parse("", mac), -EINVAL);
	assert_int_equal(util_mac_parse(NULL, mac), -EINVAL);

	assert_int_equal(util_mac_parse_prefix("aa:bb:cc", mac, &bits), 0);
	assert_int_equal(bits, 24);
	assert_int_equal(util_mac_parse_prefix("aa:bb:cc:d0:00:00/28", mac,
					       &bits), 0);
	assert_int_equal(bits, 28);
	assert_true(util_mac_prefix_match((const uint8_t[6]){ 0xaa, 0xbb,
		0xcc, 0xdf, 1, 2 }, mac, bits));
	assert_false(util_mac_prefix_match((const uint8_t[6]){ 0xaa, 0xbb,
		0xcc, 0xe0, 1, 2 }, mac, bits));
	assert_int_equal(util_mac_parse_prefix("aa:bb:cc:d1:00:00/28", mac,
					       &bits), -EINVAL);
	assert_int_equal(util_mac_parse_prefix("aa:bb:cc:00:00:00/27", mac,
					       &bits), -EINVAL);
	assert_int_equal(util_mac_parse_prefix("aa:bb:cc:dd:ee:ff", mac,
					       &bits), -EINVAL);
	assert_true(util_mac_is_group((const uint8_t[6]){ 0x01, 0, 0x5e, 0,
		0, 1 }));
	assert_false(util_mac_is_group(want));
}

static void
test_mac_str_rotates(void **state)
{
	const char *s[8];
	uint8_t mac[6] = { 0 };

	(void)state;
	for (int i = 0; i < 8; i++) {
		mac[5] = (uint8_t)i;
		s[i] = util_mac_str(mac);
	}
	/* Eight in one printf stay distinct. */
	for (int i = 0; i < 8; i++)
		assert_int_equal(s[i][16] - '0', i);
}

static void
test_hash(void **state)
{
	char hex[65];

	(void)state;
	/* Published FNV-1a test vectors. */
	assert_int_equal(util_hash_fnv32(UTIL_HASH_FNV32_INIT, "", 0),
			 0x811c9dc5u);
	assert_int_equal(util_hash_fnv32(UTIL_HASH_FNV32_INIT, "a", 1),
			 0xe40c292cu);
	assert_true(util_hash_fnv64(UTIL_HASH_FNV64_INIT, "a", 1) ==
		    0xaf63dc4c8601ec8cull);
	/* The terminator separates strings. */
	assert_true(util_hash_fnv64_str(util_hash_fnv64_str(
		UTIL_HASH_FNV64_INIT, "ab"), "c") !=
		util_hash_fnv64_str(util_hash_fnv64_str(
		UTIL_HASH_FNV64_INIT, "a"), "bc"));
	assert_true(util_hash_fnv64_str(UTIL_HASH_FNV64_INIT, NULL) ==
		    util_hash_fnv64_str(UTIL_HASH_FNV64_INIT, ""));
	assert_int_equal(util_hash_fmix32(0), 0);
	assert_int_not_equal(util_hash_fmix32(1), util_hash_fmix32(2));
	assert_int_equal(util_hash_sha256_hex("abc", 3, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");
}

/* The shared DNS name decoder: what the DNS snoop's and the fingerprint
 * parser's own tests do not reach (the hop bound, cutting, the flags). */
static void
test_dns_name(void **state)
{
	/* "Ab.c d" at 0, then pointers, each to the one before it. */
	uint8_t m[8 + 2 * (UTIL_DNS_MAX_HOPS + 1)] = {
		2, 'A', 'b', 3, 'c', ' ', 'd', 0,
	};
	size_t next = 0, at = 8;
	char out[8];

	(void)state;
	for (size_t i = 0; i <= UTIL_DNS_MAX_HOPS; i++, at += 2) {
		m[at] = 0xc0;
		m[at + 1] = (uint8_t)(i == 0 ? 0 : at - 2);
	}
	/* As it is: the whole length, the text cut to fit, NUL-terminated. */
	assert_int_equal(util_dns_name(m, sizeof(m), 0, out, sizeof(out), 0,
				       &next), 6);
	assert_string_equal(out, "Ab.c d");
	assert_int_equal(next, 8);
	assert_int_equal(util_dns_name(m, sizeof(m), 0, out, 4, 0, &next), 6);
	assert_string_equal(out, "Ab.");
	/* As a host name: lower-cased, and the space refused. */
	m[5] = 'x';
	assert_int_equal(util_dns_name(m, sizeof(m), 0, out, sizeof(out),
				       UTIL_DNS_HOSTNAME, &next), 6);
	assert_string_equal(out, "ab.cxd");
	m[5] = '.';
	assert_int_equal(util_dns_name(m, sizeof(m), 0, NULL, 0,
				       UTIL_DNS_HOSTNAME, &next), -EBADMSG);
	m[5] = 'x';
	/* UTIL_DNS_MAX_HOPS pointers are followed, one more is not; next
	 * is after the first pointer. */
	assert_int_equal(util_dns_name(m, sizeof(m), at - 4, NULL, 0, 0,
				       &next), 6);
	assert_int_equal(next, at - 2);
	assert_int_equal(util_dns_name(m, sizeof(m), at - 2, NULL, 0, 0,
				       &next), -EBADMSG);
	/* A pointer to itself, and a name cut short. */
	assert_int_equal(util_dns_name(m, sizeof(m), 8, NULL, 0, 0, &next),
			 6);
	m[9] = 8;
	assert_int_equal(util_dns_name(m, sizeof(m), 8, NULL, 0, 0, &next),
			 -EBADMSG);
	assert_int_equal(util_dns_name(m, 6, 0, NULL, 0, 0, &next), -EBADMSG);
}

static void
test_err(void **state)
{
	char err[8];

	(void)state;
	util_err_set(err, sizeof(err), "%s %d", "truncated", 12345);
	assert_string_equal(err, "truncat");
	util_err_set(NULL, 0, "nothing %d", 1);	/* no crash */
	util_err_set(err, 0, "nothing");
	assert_string_equal(err, "truncat");
}

static void
test_file(void **state)
{
	char dir[] = "/tmp/cordon-test-util-XXXXXX", path[PATH_MAX];
	char err[PATH_MAX + 64], *buf = NULL;
	struct stat sb;
	size_t len = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(util_file_read(path, 16, &buf, &len, err,
					sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));

	assert_int_equal(util_file_write_atomic(path, "hello", 5, 0600, err,
						sizeof(err)), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(util_file_read(path, 16, &buf, &len, err,
					sizeof(err)), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "hello");
	free(buf);
	/* Replaced whole, never appended. */
	assert_int_equal(util_file_write_atomic(path, "hi", 2, 0644, err,
						sizeof(err)), 0);
	assert_int_equal(util_file_read(path, 16, &buf, &len, err,
					sizeof(err)), 0);
	assert_string_equal(buf, "hi");
	free(buf);
	assert_int_equal(util_file_read(path, 1, &buf, &len, err,
					sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "too large"));
	assert_int_equal(util_file_read(dir, 16, &buf, &len, err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	/* A new file only: the one there stays. */
	assert_int_equal(util_file_write_new(path, "new", 3, 0600, err,
					     sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "exists"));
	assert_int_equal(util_file_read(path, 16, &buf, &len, err,
					sizeof(err)), 0);
	assert_string_equal(buf, "hi");
	free(buf);
	/* Into a directory that does not exist: nothing left behind. */
	snprintf(path, sizeof(path), "%s/no/f", dir);
	assert_int_equal(util_file_write_atomic(path, "x", 1, 0600, err,
						sizeof(err)), -ENOENT);
	assert_int_equal(util_file_fsync_dir(path), -ENOENT);
	snprintf(path, sizeof(path), "%s/f", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/g", dir);
	assert_int_equal(util_file_write_new(path, "g", 1, 0640, err,
					     sizeof(err)), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_write_all(void **state)
{
	static char big[1 << 20];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	/* A reader gone: EPIPE (SIGPIPE ignored), not a short success. */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(util_file_write_all(fds[1], big, sizeof(big)),
			 -EPIPE);
	close(fds[1]);
	assert_int_equal(util_file_write_all(-1, "x", 1), -EBADF);
}

static void
test_array_grow(void **state)
{
	uint32_t *v = NULL;
	size_t cap = 0, n;

	(void)state;
	for (n = 0; n < 100; n++) {
		assert_int_equal(UTIL_ARRAY_GROW(v, cap, n, 4), 0);
		assert_true(cap > n);
		v[n] = (uint32_t)n;
	}
	assert_int_equal(cap, 128);
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], n);
	/* Not full: nothing moves. */
	assert_int_equal(UTIL_ARRAY_GROW(v, cap, 100, 4), 0);
	assert_int_equal(cap, 128);
	/* A size that cannot be allocated: unchanged. */
	assert_int_equal(util_array_grow(&v, &cap, 128, SIZE_MAX / 2, 4),
			 -ENOMEM);
	assert_int_equal(cap, 128);
	free(v);
}

static void
test_opt(void **state)
{
	static const struct util_opt opts[] = {
		{ "dir", 'd', "DIR", "a directory\nsecond line" },
		{ "long-only", 300, NULL, "a flag" },
		{ "verbose", 'v', NULL, "more" },
		{ NULL, 0, NULL, NULL },
	};
	char *argv[] = { "prog", "-d", "x", "--long-only", "-v", "--dir=y",
			 "-q", "--dir", NULL };
	struct util_opt_parser p;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	optind = 1;
	util_opt_init(&p, opts, false);
	assert_int_equal(util_opt_next(&p, 8, argv), 'd');
	assert_string_equal(optarg, "x");
	assert_int_equal(util_opt_next(&p, 8, argv), 300);
	assert_int_equal(util_opt_next(&p, 8, argv), 'v');
	assert_int_equal(util_opt_next(&p, 8, argv), 'd');
	assert_string_equal(optarg, "y");
	assert_int_equal(util_opt_next(&p, 8, argv), '?');	/* -q */
	assert_int_equal(util_opt_next(&p, 8, argv), ':');	/* no value */
	assert_int_equal(util_opt_next(&p, 8, argv), -1);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	util_opt_help(f, opts);
	fclose(f);
	assert_string_equal(text,
		"  -d, --dir DIR             a directory\n"
		"                            second line\n"
		"      --long-only           a flag\n"
		"  -v, --verbose             more\n");
	free(text);
}

/*
 * An unknown short option in a cluster ("-zv"): util_opt_refused() names
 * it, and the next util_opt_init() starts afresh rather than at the 'v'
 * left of it (getopt_long()'s pointer into the old argv), as fuzz_cd_conf
 * found.
 */
static void
test_opt_cluster(void **state)
{
	static const struct util_opt opts[] = {
		{ "dir", 'd', "DIR", "a directory" },
		{ "verbose", 'v', NULL, "more" },
		{ NULL, 0, NULL, NULL },
	};
	char w1[] = "-zv", w3[] = "-\xc3v", w4[] = "--verbose=1";
	char *a1[] = { "prog", w1, NULL };
	char *a2[] = { "prog", "-d", "x", NULL };
	char *a3[] = { "prog", w3, NULL };
	char *a4[] = { "prog", w4, NULL };
	struct util_opt_parser p;

	(void)state;
	util_opt_init(&p, opts, false);
	assert_int_equal(util_opt_next(&p, 2, a1), '?');
	util_opt_init(&p, opts, false);
	assert_int_equal(util_opt_next(&p, 3, a2), 'd');
	assert_string_equal(optarg, "x");
	assert_int_equal(util_opt_next(&p, 3, a2), -1);
	util_opt_init(&p, opts, false);
	assert_int_equal(util_opt_next(&p, 2, a1), '?');
	assert_string_equal(util_opt_refused('?', a1), "-z");
	util_opt_init(&p, opts, false);
	assert_int_equal(util_opt_next(&p, 2, a3), '?');
	assert_string_equal(util_opt_refused('?', a3), "-\\xc3");
	util_opt_init(&p, opts, false);
	assert_int_equal(util_opt_next(&p, 2, a4), '?');
	assert_string_equal(util_opt_refused('?', a4), "--verbose=1");
}

/* What util_opt_bad() and util_opt_usage_error() say, on stderr. */
static void
test_opt_usage(void **state)
{
	char *argv[] = { "prog", "-q", "--dir", NULL };
	char buf[512];
	int fds[2], saved;
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fds[1], STDERR_FILENO), STDERR_FILENO);
	optind = 2;
	assert_int_equal(util_opt_bad("prog", '?', argv), UTIL_OPT_EXIT_USAGE);
	optind = 3;
	assert_int_equal(util_opt_bad("prog", ':', argv), UTIL_OPT_EXIT_USAGE);
	assert_int_equal(util_opt_usage_error("prog", "%d USERs", 2),
			 UTIL_OPT_EXIT_USAGE);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	close(fds[1]);
	/* A few short writes: all in the pipe, read at once. */
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf,
		"prog: unknown option '-q' (see prog --help)\n"
		"prog: option '--dir' needs a value (see prog --help)\n"
		"prog: 2 USERs (see prog --help)\n");
}

/* The wall clock in ms: time()'s second, give or take one (time() may
 * read a coarser clock). */
static void
test_time(void **state)
{
	uint64_t before, now, after;

	(void)state;
	before = (uint64_t)time(NULL) * 1000 - 1000;
	now = util_time_now_ms();
	after = (uint64_t)time(NULL) * 1000 + 2000;
	print_message("time() %llu ms, util_time_now_ms() %llu\n",
		      (unsigned long long)before, (unsigned long long)now);
	assert_true(now >= before);
	assert_true(now < after);
}

/* A thread asleep on its condition until told to stop. */
struct sleeper {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	bool woke;
};

static void *
sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->stop)
		pthread_cond_wait(&s->cond, &s->lock);
	s->woke = true;
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Stopped and joined; without the flag or the signal it would hang (and
 * the test time out). */
static void
test_thread_stop(void **state)
{
	struct sleeper s = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, sleeper_main, &s), 0);
	util_thread_stop(t, &s.lock, &s.cond, &s.stop);
	assert_true(s.stop);
	assert_true(s.woke);
}

/* How many of the pages of [p, p + len) are resident (mincore()). */
static size_t
test_resident(const void *p, size_t len)
{
	const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	const size_t n = (len + pg - 1) / pg;
	unsigned char *v = calloc(n, 1);
	size_t in = 0;

	assert_non_null(v);
	assert_int_equal(mincore((void *)(uintptr_t)p, len, v), 0);
	for (size_t i = 0; i < n; i++)
		in += v[i] & 1;
	free(v);
	return in;
}

/* A big table: 2 MiB aligned, advised for huge pages, resident before
 * anything touches it, zeroed, writable, and gone once unmapped; a small
 * one page aligned and resident; none of nothing. */
static void
test_mem_huge(void **state)
{
	const size_t big = 3 * UTIL_MEM_HUGE + 100, small = 100;
	const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char flags[512];
	uint8_t *p, *q;

	(void)state;
	p = util_mem_huge_map(big);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % UTIL_MEM_HUGE, 0);
	/* every page of the 4 huge pages it spans: faulted in at start */
	assert_int_equal(test_resident(p, 4 * UTIL_MEM_HUGE),
			 4 * UTIL_MEM_HUGE / pg);
	assert_int_equal(p[0] | p[big / 2] | p[big - 1], 0);
	memset(p, 0xa5, big);
	assert_int_equal(test_vm_flags(p + big - 1, flags, sizeof(flags)), 0);
	print_message("util_mem_huge_map(%zu): VmFlags:%s", big, flags);
	assert_non_null(strstr(flags, " hg"));
	util_mem_huge_unmap(p, big);
	assert_int_equal(test_vm_flags(p, flags, sizeof(flags)), -1);
	assert_int_equal(test_vm_flags(p + big - 1, flags, sizeof(flags)), -1);

	q = util_mem_huge_map(small);
	assert_non_null(q);
	assert_int_equal((uintptr_t)q % (uintptr_t)sysconf(_SC_PAGESIZE), 0);
	assert_int_equal(test_resident(q, small), 1);
	q[small - 1] = 1;
	util_mem_huge_unmap(q, small);

	errno = 0;
	assert_null(util_mem_huge_map(0));
	assert_int_equal(errno, EINVAL);
	assert_null(util_mem_huge_map(SIZE_MAX));
	util_mem_huge_unmap(NULL, big);
}

TEST_MAIN(
	cmocka_unit_test(test_mem_huge),
	cmocka_unit_test(test_mac),
	cmocka_unit_test(test_mac_str_rotates),
	cmocka_unit_test(test_hash),
	cmocka_unit_test(test_dns_name),
	cmocka_unit_test(test_err),
	cmocka_unit_test(test_file),
	cmocka_unit_test(test_write_all),
	cmocka_unit_test(test_array_grow),
	cmocka_unit_test(test_opt),
	cmocka_unit_test(test_opt_cluster),
	cmocka_unit_test(test_opt_usage),
	cmocka_unit_test(test_time),
	cmocka_unit_test(test_thread_stop))
