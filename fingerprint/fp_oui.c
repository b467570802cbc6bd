/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* IEEE registry CSV parsing (RFC 4180 quoting) into one sorted array. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_oui.h"
#include "util_array.h"

struct oui_ent {
	uint64_t prefix;	/* left-aligned in 36 bits */
	uint8_t bits;		/* 24, 28 or 36 */
	char *org;
};

struct fp_oui {
	size_t n, cap;
	struct oui_ent *e;
};

/* Split one CSV line into up to max fields, in place; quoted fields are
 * unquoted where they stand. */
static int csv_split(char *s, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = s;
		if (*s == '"') {
			char *w = s;

			s++;
			while (*s) {
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					*w++ = *s++;
				}
			}
			while (*s && *s != ',')
				s++;
			if (*s != ',') {
				*w = '\0';
				break;
			}
			s++;
			*w = '\0';
			continue;
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			s++;
		if (*s != ',') {
			*s = '\0';
			break;
		}
		*s++ = '\0';
	}
	return n;
}

static int add(struct fp_oui *db, uint64_t prefix, uint8_t bits,
		const char *org)
{
	if (UTIL_ARRAY_GROW(db->e, db->cap, db->n, 4096) < 0)
		return -1;
	db->e[db->n].prefix = prefix;
	db->e[db->n].bits = bits;
	db->e[db->n].org = strdup(org);
	if (!db->e[db->n].org)
		return -1;
	db->n++;
	return 0;
}

static void load_csv(struct fp_oui *db, const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *fl[4], *q;
		uint64_t v;
		size_t hl;
		uint8_t bits;
		int n;

		n = csv_split(line, fl, 4);
		if (n < 3)
			continue;
		hl = strlen(fl[1]);
		if (hl == 6)
			bits = 24;
		else if (hl == 7)
			bits = 28;
		else if (hl == 9)
			bits = 36;
		else
			continue;
		v = strtoull(fl[1], &q, 16);
		if (*q)
			continue;
		v <<= 36 - bits;
		if (add(db, v, bits, fl[2]) < 0)
			break;
	}
	fclose(f);
}

static int cmp(const void *a, const void *b)
{
	const struct oui_ent *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return (int)x->bits - (int)y->bits;
}

struct fp_oui *fp_oui_load(const char *dir)
{
	static const char *const files[] = {
		"oui.csv", "mam.csv", "oui36.csv", "iab.csv",
	};
	struct fp_oui *db = calloc(1, sizeof(*db));
	char path[4096];

	if (!db)
		return NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		load_csv(db, path);
	}
	if (db->n == 0) {
		fp_oui_free(db);
		return NULL;
	}
	qsort(db->e, db->n, sizeof(db->e[0]), cmp);
	return db;
}

void fp_oui_free(struct fp_oui *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		free(db->e[i].org);
	free(db->e);
	free(db);
}

size_t fp_oui_count(const struct fp_oui *db)
{
	return db ? db->n : 0;
}

static const struct oui_ent *find(const struct fp_oui *db, uint64_t key,
		uint8_t bits)
{
	size_t lo = 0, hi = db->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct oui_ent *e = &db->e[mid];

		if (e->prefix == key && e->bits == bits)
			return e;
		if (e->prefix < key || (e->prefix == key && e->bits < bits))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *fp_oui_lookup(const struct fp_oui *db, const uint8_t m[6])
{
	static const uint8_t widths[] = { 36, 28, 24 };
	uint64_t v = 0;

	if (!db || (m[0] & 0x02))
		return NULL;
	for (int i = 0; i < 6; i++)
		v = (v << 8) | m[i];
	v >>= 12;		/* top 36 bits */
	for (size_t i = 0; i < sizeof(widths); i++) {
		uint64_t key = (v >> (36 - widths[i])) << (36 - widths[i]);
		const struct oui_ent *e = find(db, key, widths[i]);

		if (e)
			return e->org;
	}
	return NULL;
}
