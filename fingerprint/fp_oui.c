/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* IEEE registry CSV parsing (RFC 4180 quoting) into one sorted array, plus
 * Wireshark's manuf file for assignments newer than the registry copy. */

#include <stdbool.h>
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

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "00:1B:C5" or "00:1B:C5:00:00:00/36" into a left-aligned 36-bit prefix;
 * false for anything else (well-known multicast addresses and the like).
 * Hand-parsed: the file has some 50,000 lines. */
static bool manuf_prefix(const char *s, uint64_t *prefix, uint8_t *bits)
{
	uint8_t b[6] = { 0 };
	int n = 0;

	while (n < 6) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (lo < 0)
			return false;
		b[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (*s != ':')
			break;
		s++;
	}
	if (n == 3 && *s == '\0') {
		*bits = 24;
	} else if (n == 6 && *s == '/') {
		long m = strtol(s + 1, NULL, 10);

		if (m != 28 && m != 36)
			return false;
		*bits = (uint8_t)m;
	} else {
		return false;
	}
	*prefix = ((uint64_t)b[0] << 28) | ((uint64_t)b[1] << 20) |
		((uint64_t)b[2] << 12) | ((uint64_t)b[3] << 4) | (b[4] >> 4);
	*prefix = (*prefix >> (36 - *bits)) << (36 - *bits);
	return true;
}

static const struct oui_ent *find(const struct fp_oui *db, uint64_t key,
		uint8_t bits);

size_t fp_oui_load_manuf(struct fp_oui *db, const char *path)
{
	char line[512];
	FILE *f;
	size_t n0 = db ? db->n : 0, added;

	if (!db || !path)
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *fl[3] = { NULL, NULL, NULL }, *save = NULL, *t;
		uint64_t prefix;
		uint8_t bits;
		int k = 0;

		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n#")] = '\0';
		for (t = strtok_r(line, "\t", &save); t && k < 3;
				t = strtok_r(NULL, "\t", &save))
			fl[k++] = t;
		if (k < 2 || !manuf_prefix(fl[0], &prefix, &bits))
			continue;
		/* the IEEE registry, loaded first, keeps its say */
		if (n0 && find(db, prefix, bits))
			continue;
		if (add(db, prefix, bits, k == 3 ? fl[2] : fl[1]) < 0)
			break;
	}
	fclose(f);
	added = db->n - n0;
	if (added)
		qsort(db->e, db->n, sizeof(db->e[0]), cmp);
	return added;
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
