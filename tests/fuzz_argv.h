/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * For the libFuzzer targets of command lines (no cmocka there): an input
 * split into argv, what a parser prints caught in memory, and a scratch
 * directory for the files an argument may name.
 */

#ifndef CORDON_FUZZ_ARGV_H
#define CORDON_FUZZ_ARGV_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

/* Words an input may hold; a longer command line adds no new paths. */
#define FUZZ_ARGV_MAX 48

#define FUZZ_FAIL(who, ...) do { \
	fprintf(stderr, who ": "); \
	fprintf(stderr, __VA_ARGS__); \
	fprintf(stderr, " (line %d)\n", __LINE__); \
	abort(); \
} while (0)

struct fuzz_argv {
	char *buf;		/* the words, NUL-terminated, one block */
	char **argv;		/* argc + 1 entries, NULL last */
	int argc;
};

/*
 * prog, then the words of data (split at NUL and newline; empty words
 * kept, as a shell passes ""). -E2BIG (nothing to free) when there are
 * more than FUZZ_ARGV_MAX words.
 */
static inline int
fuzz_argv_split(struct fuzz_argv *a, const char *prog, const uint8_t *data,
		size_t size)
{
	size_t i, n = 1;
	int k = 0;

	for (i = 0; i < size; i++)
		if (data[i] == '\0' || data[i] == '\n')
			n++;
	if (size == 0)
		n = 0;
	if (n > FUZZ_ARGV_MAX)
		return -E2BIG;
	a->buf = malloc(size + 1);
	a->argv = calloc(n + 2, sizeof(*a->argv));
	if (a->buf == NULL || a->argv == NULL)
		abort();
	memcpy(a->buf, data, size);
	a->buf[size] = '\0';
	a->argv[k++] = (char *)prog;
	for (i = 0; n > 0 && i <= size; i++) {
		if (i == 0 || a->buf[i - 1] == '\0')
			a->argv[k++] = &a->buf[i];
		if (i < size && a->buf[i] == '\n')
			a->buf[i] = '\0';
	}
	a->argc = k;
	a->argv[k] = NULL;
	return 0;
}

/* argv's pointers again (getopt_long() permutes the array it is given). */
static inline char **
fuzz_argv_copy(const struct fuzz_argv *a)
{
	char **v = malloc((size_t)(a->argc + 1) * sizeof(*v));

	if (v == NULL)
		abort();
	memcpy(v, a->argv, (size_t)(a->argc + 1) * sizeof(*v));
	return v;
}

static inline void
fuzz_argv_free(struct fuzz_argv *a)
{
	free(a->buf);
	free(a->argv);
}

/* Does any word but argv[0] contain s? */
static inline bool
fuzz_argv_has(const struct fuzz_argv *a, const char *s)
{
	for (int i = 1; i < a->argc; i++)
		if (strstr(a->argv[i], s) != NULL)
			return true;
	return false;
}

/*
 * stdout and stderr (the FILE *s: printf(), fprintf(stderr, ...)) into
 * memory from fuzz_out_begin() to fuzz_out_end(). Sanitizer reports write
 * to descriptor 2 and libFuzzer keeps its own FILE *, so both still show.
 */
struct fuzz_out {
	FILE *f, *out, *err;
	char *text;		/* NUL-terminated after fuzz_out_end() */
	size_t len;
};

static inline void
fuzz_out_begin(struct fuzz_out *o)
{
	o->text = NULL;
	o->len = 0;
	o->f = open_memstream(&o->text, &o->len);
	if (o->f == NULL)
		abort();
	o->out = stdout;
	o->err = stderr;
	stdout = o->f;
	stderr = o->f;
}

static inline void
fuzz_out_end(struct fuzz_out *o)
{
	stdout = o->out;
	stderr = o->err;
	if (fclose(o->f) != 0)
		abort();
}

/*
 * The last line a --check-config printed, o's text, must be its verdict
 * on the bad problems it counted: "PROG: configuration OK" or "PROG:
 * configuration has N problem(s)". Returns false (and the line in *last)
 * if it is not.
 */
static inline bool
fuzz_out_verdict(const struct fuzz_out *o, const char *prog, int bad,
		 const char **last)
{
	char want[128];

	if (bad == 0)
		snprintf(want, sizeof(want), "%s: configuration OK\n", prog);
	else
		snprintf(want, sizeof(want), "%s: configuration has %d "
			 "problem%s\n", prog, bad, bad > 1 ? "s" : "");
	*last = o->text;
	for (const char *p = o->text; *p != '\0'; p++)
		if (p[0] == '\n' && p[1] != '\0')
			*last = p + 1;
	return strcmp(*last, want) == 0;
}

/*
 * A scratch directory for the files an argument may name: DIR.d in the
 * working directory (made afresh, removed at exit; a crash leaves it
 * beside the artifact), the prefix fuzz_path_ok() asks for.
 */
static inline const char *
fuzz_scratch(void)
{
	static char dir[64];

	return dir;
}

static inline void
fuzz_scratch_rm(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_scratch());
	if (fuzz_scratch()[0] != '\0' && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fuzz_scratch());
}

/*
 * Make the scratch directory who.d with name -> target symbolic links for
 * each pair of links (ended by NULL): the files the seeds name. An empty
 * file "empty" and a directory "dir" are there too.
 */
static inline void
fuzz_scratch_init(const char *who, const char *const *links)
{
	char *dir = (char *)fuzz_scratch();
	char path[PATH_MAX];
	FILE *f;

	snprintf(dir, 64, "fuzz-%s.d", who);
	fuzz_scratch_rm();
	if (mkdir(dir, 0700) != 0)
		abort();
	atexit(fuzz_scratch_rm);
	snprintf(path, sizeof(path), "%s/empty", dir);
	f = fopen(path, "w");
	if (f == NULL || fclose(f) != 0)
		abort();
	snprintf(path, sizeof(path), "%s/dir", dir);
	if (mkdir(path, 0700) != 0)
		abort();
	for (; links != NULL && links[0] != NULL; links += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, links[0]);
		if (symlink(links[1], path) != 0)
			abort();
	}
}

/* A path the target may open: "" or one in the scratch directory
 * (without ".."), so that no other file is read, and no device (/dev/tty,
 * a FIFO) blocks a run. */
static inline bool
fuzz_path_ok(const char *p)
{
	size_t n = strlen(fuzz_scratch());

	return p == NULL || p[0] == '\0' ||
		(strncmp(p, fuzz_scratch(), n) == 0 && p[n] == '/' &&
		 strstr(p, "..") == NULL);
}

#endif /* CORDON_FUZZ_ARGV_H */
