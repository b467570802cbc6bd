/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A program's options in one table: getopt_long()'s arguments and the
 * lines of --help come from it, so the two cannot disagree.
 *
 *   static const struct util_opt opts[] = {
 *           { "state-dir", 's', "DIR", "durable state (default ...)" },
 *           { "mud-ca", O_MUD_CA, "FILE", "trust anchors for MUD\n"
 *             "signatures" },
 *           { "verbose", 'v', NULL, "log every rejected message" },
 *           { NULL },
 *   };
 *   struct util_opt_parser p;
 *
 *   util_opt_init(&p, opts, false);
 *   while ((o = util_opt_next(&p, argc, argv)) != -1)
 *           switch (o) { ... }
 *
 * A key below 128 is also the short option (-s); long-only options take
 * keys from 256. util_opt_next() returns ':' for a missing value and '?'
 * for an unknown option, as getopt_long() with a leading ':';
 * util_opt_bad() says which to the user.
 */

#ifndef CORDON_UTIL_OPT_H
#define CORDON_UTIL_OPT_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct util_opt {
	const char *name;	/* long name, without "--" */
	int key;		/* getopt_long()'s value */
	const char *arg;	/* "DIR" when it takes a value, else NULL */
	const char *help;	/* a line; '\n' starts the next */
};

#define UTIL_OPT_MAX 32

struct util_opt_parser {
	struct option lo[UTIL_OPT_MAX + 1];
	char shorts[2 + 3 * UTIL_OPT_MAX + 1];
};

/*
 * Ready p for opts (ended by { NULL }), and getopt_long() for a new argv
 * (optind = 0). stop: stop at the first argument that is not an option
 * ('+', for programs with commands).
 */
void util_opt_init(struct util_opt_parser *p, const struct util_opt *opts,
		   bool stop);
/* getopt_long() with p's tables: the next key, or -1 at the end. */
int util_opt_next(struct util_opt_parser *p, int argc, char **argv);
/*
 * The same with the caller's own tables (shorts should start with ':',
 * after a '+' if any), for a program that keeps a struct option of its
 * own: getopt_long() without its messages, and what util_opt_refused()
 * needs kept. Set optind = 0 before the first call of a parse.
 */
int util_opt_getopt(int argc, char **argv, const char *shorts,
		    const struct option *lo);

/* "  -s, --state-dir DIR       help", a line each (and theirs). */
void util_opt_help(FILE *f, const struct util_opt *opts);

/* What every Cordon program exits with on a usage error. */
#define UTIL_OPT_EXIT_USAGE 2

/*
 * "PROG: MESSAGE (see PROG --help)" on stderr: a usage error, worded
 * alike in every program. Returns UTIL_OPT_EXIT_USAGE.
 */
int util_opt_usage_error(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The option util_opt_next() or util_opt_getopt() just refused as key, as
 * the user wrote it: for ':' (no value) argv[optind - 1]; for '?' the
 * same, except that an unknown short option is named alone ("-z" of "-zh",
 * where getopt_long() is still at that word and argv[optind - 1] is the
 * one before it).
 */
const char *util_opt_refused(int key, char **argv);
/*
 * The usage error for what util_opt_next() returned as key: ':' an option
 * without its value, anything else an unknown option (util_opt_refused()).
 */
int util_opt_bad(const char *prog, int key, char **argv);

#endif /* CORDON_UTIL_OPT_H */
