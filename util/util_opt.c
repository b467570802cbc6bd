/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <limits.h>
#include <string.h>

#include "util_opt.h"

/* The unknown short option util_opt_getopt() last returned '?' for ("-z"
 * of "-zh"), else "": see util_opt_refused(). */
static char util_opt_short[8];

/* Where the help texts start: "  -x, --long-name ARG" fits before. */
#define UTIL_OPT_HELP_COL 28

void
util_opt_init(struct util_opt_parser *p, const struct util_opt *opts,
	      bool stop)
{
	size_t n = 0, s = 0;

	memset(p, 0, sizeof(*p));
	/* 0, not 1: glibc starts afresh, forgetting where a parse that
	 * stopped in the middle of "-zh" was (a pointer into its argv). */
	optind = 0;
	if (stop)
		p->shorts[s++] = '+';
	p->shorts[s++] = ':';
	for (; opts[n].name != NULL && n < UTIL_OPT_MAX; n++) {
		const struct util_opt *o = &opts[n];

		p->lo[n].name = o->name;
		p->lo[n].has_arg = o->arg != NULL ? required_argument :
			no_argument;
		p->lo[n].val = o->key;
		if (o->key > 0 && o->key < 128) {
			p->shorts[s++] = (char)o->key;
			if (o->arg != NULL)
				p->shorts[s++] = ':';
		}
	}
}

int
util_opt_getopt(int argc, char **argv, const char *shorts,
		const struct option *lo)
{
	int key;

	opterr = 0;
	util_opt_short[0] = '\0';
	key = getopt_long(argc, argv, shorts, lo, NULL);
	/* An unknown short option (a byte above 127 comes as a negative
	 * char); '?' with optopt a known one is "--name=VALUE" given to a
	 * name that takes none, a word of its own. */
	if (key == '?' && optopt >= CHAR_MIN && optopt != 0 && optopt < 256 &&
	    (optopt == ':' || optopt == '+' ||
	     strchr(shorts, optopt) == NULL)) {
		unsigned char b = (unsigned char)optopt;

		snprintf(util_opt_short, sizeof(util_opt_short),
			 b > ' ' && b < 127 ? "-%c" : "-\\x%02x", b);
	}
	return key;
}

int
util_opt_next(struct util_opt_parser *p, int argc, char **argv)
{
	return util_opt_getopt(argc, argv, p->shorts, p->lo);
}

const char *
util_opt_refused(int key, char **argv)
{
	if (key != ':' && util_opt_short[0] != '\0')
		return util_opt_short;
	return argv[optind - 1];
}

void
util_opt_help(FILE *f, const struct util_opt *opts)
{
	for (const struct util_opt *o = opts; o->name != NULL; o++) {
		const char *h = o->help;
		char left[64], sh[8] = "    ";

		if (o->key > 0 && o->key < 128)
			snprintf(sh, sizeof(sh), "-%c, ", o->key);
		snprintf(left, sizeof(left), "  %s--%s%s%s", sh, o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		/* A long one pushes its help to the right by what it needs. */
		fprintf(f, "%-*s ", UTIL_OPT_HELP_COL - 1, left);
		for (;;) {
			size_t len = strcspn(h, "\n");

			fprintf(f, "%.*s\n", (int)len, h);
			if (h[len] == '\0')
				break;
			h += len + 1;
			fprintf(f, "%*s", UTIL_OPT_HELP_COL, "");
		}
	}
}

int
util_opt_usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", prog);
	return UTIL_OPT_EXIT_USAGE;
}

int
util_opt_bad(const char *prog, int key, char **argv)
{
	if (key == ':')
		return util_opt_usage_error(prog, "option '%s' needs a value",
					    argv[optind - 1]);
	return util_opt_usage_error(prog, "unknown option '%s'",
				    util_opt_refused(key, argv));
}
