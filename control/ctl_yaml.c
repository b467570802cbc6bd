/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Reading YAML strictly, for the policy language and the MUD context: one
 * document, duplicate and unknown keys refused, every error located as
 * "file:line:column: message".
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_yaml.h"
#include "util_err.h"
#include "util_file.h"

int
ctl_yaml_err(struct ctl_yaml *y, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (y->failed)
		return -EINVAL;
	y->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (y->err && y->errlen) {
		if (n)
			snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->name,
				n->start_mark.line + 1,
				n->start_mark.column + 1, msg);
		else
			snprintf(y->err, y->errlen, "%s: %s", y->name, msg);
	}
	return -EINVAL;
}

/*
 * libyaml's scanner is quadratic in the flow nesting depth ([[[[...) and
 * nothing here nests deeply: refuse deep flow collections up front. The
 * scan is conservative (brackets in quotes and comments are skipped).
 * Returns 0 or the 1-based line and column of the bracket too deep.
 */
static int
flow_depth_ok(const char *t, size_t len, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;
	int depth = 0;
	char q = 0;

	for (i = 0; i < len; i++, c++) {
		char ch = t[i];

		if (ch == '\n') {
			l++;
			c = 0;
			if (q == '#')
				q = 0;
			continue;
		}
		if (q) {
			if (q == '"' && ch == '\\')
				i++, c++;
			else if (ch == q && q != '#')
				q = 0;
			continue;
		}
		if (ch == '"' || ch == '\'' ||
				(ch == '#' && (i == 0 || t[i - 1] == ' ' ||
				 t[i - 1] == '\t'))) {
			q = ch;
		} else if (ch == '[' || ch == '{') {
			if (++depth > CTL_YAML_MAX_DEPTH) {
				*line = l;
				*col = c;
				return 0;
			}
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			depth--;
		}
	}
	return 1;
}

int
ctl_yaml_load(struct ctl_yaml *y, const char *text, size_t len,
	      const char *name, char *err, size_t errlen)
{
	yaml_parser_t p;
	size_t dl, dc;
	int r = 0;

	memset(y, 0, sizeof(*y));
	y->name = name ? name : "<policy>";
	y->err = err;
	y->errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (!flow_depth_ok(text, len, &dl, &dc)) {
		y->failed = 1;
		if (err && errlen)
			snprintf(err, errlen, "%s:%zu:%zu: nested deeper than "
				"%d levels", y->name, dl, dc,
				CTL_YAML_MAX_DEPTH);
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		y->failed = 1;
		if (err && errlen)
			snprintf(err, errlen, "%s:%zu:%zu: YAML: %s%s%s",
				y->name, p.problem_mark.line + 1,
				p.problem_mark.column + 1,
				p.problem ? p.problem : "syntax error",
				p.context ? " " : "",
				p.context ? p.context : "");
		r = -EINVAL;
		goto out;
	}
	y->loaded = 1;
	if (!yaml_document_get_root_node(&y->doc)) {
		r = ctl_yaml_err(y, NULL, "empty document");
		goto out;
	}
	/* Exactly one document: a second one would be silently ignored. */
	{
		yaml_document_t d2;

		if (yaml_parser_load(&p, &d2)) {
			int more = yaml_document_get_root_node(&d2) != NULL;
			yaml_mark_t m = d2.start_mark;

			yaml_document_delete(&d2);
			if (more) {
				y->failed = 1;
				if (err && errlen)
					snprintf(err, errlen, "%s:%zu:%zu: only "
						"one YAML document is allowed",
						y->name, m.line + 1,
						m.column + 1);
				r = -EINVAL;
			}
		} else {
			y->failed = 1;
			if (err && errlen)
				snprintf(err, errlen, "%s:%zu:%zu: YAML: %s",
					y->name, p.problem_mark.line + 1,
					p.problem_mark.column + 1,
					p.problem ? p.problem : "syntax error");
			r = -EINVAL;
		}
	}
out:
	yaml_parser_delete(&p);
	return r;
}

int
ctl_yaml_load_file(struct ctl_yaml *y, const char *path, char *err,
		   size_t errlen)
{
	char *buf;
	size_t len;
	int r;

	memset(y, 0, sizeof(*y));
	r = util_file_read(path, CTL_YAML_FILE_MAX, &buf, &len, err, errlen);
	if (r)
		return r;
	r = ctl_yaml_load(y, buf, len, path, err, errlen);
	free(buf);
	return r;
}

void
ctl_yaml_free(struct ctl_yaml *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

yaml_node_t *
ctl_yaml_root(struct ctl_yaml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

const char *
ctl_yaml_str(struct ctl_yaml *y, yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		ctl_yaml_err(y, n, "%s must be a single value", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) !=
			n->data.scalar.length) {
		ctl_yaml_err(y, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

yaml_node_t *
ctl_yaml_get(struct ctl_yaml *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pr;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = map->data.mapping.pairs.start;
			pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);

		if (k && k->type == YAML_SCALAR_NODE &&
				!strcmp((const char *)k->data.scalar.value,
					key))
			return yaml_document_get_node(&y->doc, pr->value);
	}
	return NULL;
}

int
ctl_yaml_need(struct ctl_yaml *y, yaml_node_t *map, const char *what,
	      const char *key, yaml_node_t **v)
{
	*v = ctl_yaml_get(y, map, key);
	if (*v == NULL)
		return ctl_yaml_err(y, map, "%s has no %s", what, key);
	return 0;
}

int
ctl_yaml_keys(struct ctl_yaml *y, yaml_node_t *map, const char *what,
	      const char *const *allowed)
{
	yaml_node_pair_t *pr, *q;

	if (!map || map->type != YAML_MAPPING_NODE)
		return ctl_yaml_err(y, map, "%s must be a mapping (key: value)",
				    what);
	for (pr = map->data.mapping.pairs.start;
			pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
		const char *const *a;
		const char *ks;

		if (!k || k->type != YAML_SCALAR_NODE)
			return ctl_yaml_err(y, k, "%s: keys must be plain "
					    "words", what);
		ks = (const char *)k->data.scalar.value;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, ks))
				break;
		if (!*a) {
			char list[256] = "";
			size_t o = 0;

			for (a = allowed; *a && o < sizeof(list); a++)
				o += (size_t)snprintf(list + o,
					sizeof(list) - o, "%s%s",
					a == allowed ? "" : ", ", *a);
			return ctl_yaml_err(y, k, "unknown key \"%s\" in %s "
					    "(expected one of: %s)", ks, what,
					    list);
		}
		for (q = map->data.mapping.pairs.start; q < pr; q++) {
			yaml_node_t *k2 = yaml_document_get_node(&y->doc,
				q->key);

			if (k2 && k2->type == YAML_SCALAR_NODE &&
					!strcmp((const char *)
						k2->data.scalar.value, ks))
				return ctl_yaml_err(y, k, "duplicate key "
						    "\"%s\" in %s", ks, what);
		}
	}
	return 0;
}

size_t
ctl_yaml_list(struct ctl_yaml *y, yaml_node_t *n, yaml_node_t ***items)
{
	yaml_node_item_t *it;
	size_t cnt, i = 0;

	*items = NULL;
	if (!n)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		*items = malloc(sizeof(**items));
		if (!*items)
			return 0;
		(*items)[0] = n;
		return 1;
	}
	cnt = (size_t)(n->data.sequence.items.top -
		n->data.sequence.items.start);
	if (!cnt)
		return 0;
	*items = calloc(cnt, sizeof(**items));
	if (!*items)
		return 0;
	for (it = n->data.sequence.items.start;
			it < n->data.sequence.items.top; it++)
		(*items)[i++] = yaml_document_get_node(&y->doc, *it);
	return cnt;
}

int
ctl_yaml_bool(struct ctl_yaml *y, yaml_node_t *n, int *out)
{
	const char *s = ctl_yaml_str(y, n, "this value");

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "true") || !strcmp(s, "yes")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "no")) {
		*out = 0;
		return 0;
	}
	return ctl_yaml_err(y, n, "\"%s\" is not true or false", s);
}

int
ctl_yaml_uint(struct ctl_yaml *y, yaml_node_t *n, uint64_t max, uint64_t *out)
{
	const char *s = ctl_yaml_str(y, n, "this value");
	unsigned long long v;
	char *e;

	if (!s)
		return -EINVAL;
	if (!isdigit((unsigned char)s[0]))
		return ctl_yaml_err(y, n, "\"%s\" is not a number", s);
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno || *e || v > max)
		return ctl_yaml_err(y, n, "\"%s\" is not a number 0..%" PRIu64,
				    s, max);
	*out = v;
	return 0;
}
