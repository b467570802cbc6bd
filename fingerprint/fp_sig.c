/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Signature files (format: data/README.md). A rule starts at column 0 with
 * "rule CLASS OP PATTERN"; the indented lines after it say what it assigns,
 * how sure it is, where the knowledge comes from and its examples. Loading
 * is strict: a line that does not parse is an error naming file and line,
 * never skipped.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fp_identity.h"
#include "fp_sig.h"
#include "fp_type.h"

struct fp_sig_db {
	size_t n, cap;
	struct fp_sig_rule *r;
	/* per class: rule indices, in file order */
	size_t n_cls[FP_SC__MAX];
	uint32_t *by_cls[FP_SC__MAX];
};

static const char *const class_names[FP_SC__MAX] = {
	[FP_SC_HOSTNAME] = "hostname",
	[FP_SC_DHCP_VENDOR] = "dhcp_vendor",
	[FP_SC_DHCP_PARAMS] = "dhcp_params",
	[FP_SC_DHCPV6_ENTERPRISE] = "dhcpv6_enterprise",
	[FP_SC_MDNS_SERVICE] = "mdns_service",
	[FP_SC_MDNS_TXT] = "mdns_txt",
	[FP_SC_SSDP_SERVER] = "ssdp_server",
	[FP_SC_UPNP_TYPE] = "upnp_type",
	[FP_SC_SSDP_SEARCH] = "ssdp_search",
	[FP_SC_HTTP_UA] = "http_ua",
	[FP_SC_HTTP_SERVER] = "http_server",
	[FP_SC_HTTP_URL] = "http_url",
	[FP_SC_DOMAIN] = "domain",
	[FP_SC_JA4] = "ja4",
	[FP_SC_JA3] = "ja3",
	[FP_SC_OUI] = "oui",
	[FP_SC_LLDP] = "lldp",
	[FP_SC_DISCOVERY] = "discovery",
	[FP_SC_SERVICE] = "service",
	[FP_SC_BEHAVIOUR] = "behaviour",
};

/* Clues that describe many kinds of device unless a rule says otherwise. */
static const bool class_generic[FP_SC__MAX] = {
	[FP_SC_DHCP_PARAMS] = true,
	[FP_SC_JA4] = true,
	[FP_SC_JA3] = true,
	[FP_SC_OUI] = true,
	[FP_SC_BEHAVIOUR] = true,
};

static const char *const op_names[] = {
	[FP_OP_EXACT] = "exact", [FP_OP_PREFIX] = "prefix",
	[FP_OP_SUFFIX] = "suffix", [FP_OP_CONTAINS] = "contains",
	[FP_OP_DOMAIN] = "domain", [FP_OP_RE] = "re",
};

const char *fp_sig_class_name(int cls)
{
	return cls >= 0 && cls < FP_SC__MAX ? class_names[cls] : "?";
}

int fp_sig_class_parse(const char *s)
{
	for (int i = 0; i < FP_SC__MAX; i++)
		if (!strcmp(s, class_names[i]))
			return i;
	return -1;
}

size_t fp_sig_count(const struct fp_sig_db *db)
{
	return db ? db->n : 0;
}

const struct fp_sig_rule *fp_sig_rule(const struct fp_sig_db *db, size_t i)
{
	return db && i < db->n ? &db->r[i] : NULL;
}

size_t fp_sig_index(const struct fp_sig_db *db, const struct fp_sig_rule *r)
{
	if (!db || r < db->r || r >= db->r + db->n)
		return SIZE_MAX;
	return (size_t)(r - db->r);
}

static void rule_free(struct fp_sig_rule *r)
{
	free(r->pattern);
	free(r->re);
	free(r->unless);
	for (int i = 0; i < r->n_set; i++)
		free(r->set[i].value);
	free(r->from);
	free(r->if_vendor);
	for (int i = 0; i < r->n_ex; i++) {
		free(r->ex[i].text);
		free(r->ex[i].expect);
	}
	free(r->ex);
}

void fp_sig_free(struct fp_sig_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		rule_free(&db->r[i]);
	for (int c = 0; c < FP_SC__MAX; c++)
		free(db->by_cls[c]);
	free(db->r);
	free(db);
}

/* --- matching ---------------------------------------------------------- */

static bool ci_prefix(const char *s, size_t sl, const char *p, size_t pl)
{
	return sl >= pl && !strncasecmp(s, p, pl);
}

bool fp_sig_rule_match(const struct fp_sig_rule *r, const char *s,
		int caps[FP_RE_NCAP])
{
	size_t sl = strlen(s), pl = strlen(r->pattern);
	bool ok = false;

	for (int k = 0; k < FP_RE_NCAP; k++)
		caps[k] = -1;
	if (r->unless) {
		int uc[FP_RE_NCAP];

		if (fp_re_match(r->unless, s, sl, uc))
			return false;
	}
	switch (r->op) {
	case FP_OP_EXACT:
		ok = sl == pl && !strcasecmp(s, r->pattern);
		break;
	case FP_OP_PREFIX:
		ok = ci_prefix(s, sl, r->pattern, pl);
		break;
	case FP_OP_SUFFIX:
		ok = sl >= pl && !strcasecmp(s + sl - pl, r->pattern);
		break;
	case FP_OP_CONTAINS:
		for (size_t i = 0; !ok && i + pl <= sl; i++)
			ok = !strncasecmp(s + i, r->pattern, pl);
		break;
	case FP_OP_DOMAIN:
		/* the name itself or any name below it; a trailing dot on
		 * the name (FQDN form) is allowed */
		if (sl && s[sl - 1] == '.')
			sl--;
		ok = sl >= pl && !strncasecmp(s + sl - pl, r->pattern, pl) &&
			(sl == pl || s[sl - pl - 1] == '.');
		break;
	case FP_OP_RE:
		return fp_re_match(r->re, s, sl, caps);
	}
	if (ok) {
		caps[0] = 0;
		caps[1] = (int)sl;
	}
	return ok;
}

void fp_sig_match(const struct fp_sig_db *db, int cls, const char *s,
		fp_sig_hit_cb hit, void *arg)
{
	int caps[FP_RE_NCAP];

	if (!db || !s || !s[0] || cls < 0 || cls >= FP_SC__MAX)
		return;
	for (size_t i = 0; i < db->n_cls[cls]; i++) {
		const struct fp_sig_rule *r = &db->r[db->by_cls[cls][i]];

		if (fp_sig_rule_match(r, s, caps))
			hit(r, s, caps, arg);
	}
}

void fp_sig_expand(const char *tmpl, const char *s,
		const int caps[FP_RE_NCAP], char *out, size_t cap)
{
	size_t k = 0;
	char *b, *e;

	for (const char *t = tmpl; *t && k + 1 < cap; t++) {
		if (t[0] == '$' && t[1] >= '0' && t[1] <= '4') {
			int g = t[1] - '0';

			t++;
			if (caps[2 * g] < 0 || caps[2 * g + 1] < caps[2 * g])
				continue;
			for (int i = caps[2 * g]; i < caps[2 * g + 1] &&
					k + 1 < cap; i++)
				out[k++] = (unsigned char)s[i] >= 0x20 ?
					s[i] : '?';
			continue;
		}
		out[k++] = *t;
	}
	out[k] = '\0';
	/* trim what the captures may have brought */
	b = out;
	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == ',' || e[-1] == ';'))
		*--e = '\0';
	if (b != out)
		memmove(out, b, strlen(b) + 1);
}

/* --- loading ----------------------------------------------------------- */

struct loader {
	struct fp_sig_db *db;
	const char *file;	/* base name */
	uint32_t line;
	char *err;
	size_t errcap;
	struct fp_sig_rule *cur;
	uint8_t cur_conf;
	bool cur_has_conf;
};

static int fail(struct loader *ld, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct loader *ld, const char *fmt, ...)
{
	va_list ap;
	size_t k;

	k = (size_t)snprintf(ld->err, ld->errcap, "%s:%u: ", ld->file,
			ld->line);
	if (k < ld->errcap) {
		va_start(ap, fmt);
		vsnprintf(ld->err + k, ld->errcap - k, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Splits off the first word of *s (whitespace-delimited). */
static char *word(char **s)
{
	char *w = *s, *e;

	while (isspace((unsigned char)*w))
		w++;
	e = w;
	while (*e && !isspace((unsigned char)*e))
		e++;
	if (*e)
		*e++ = '\0';
	*s = e;
	return w;
}

static int attr_parse(const char *s)
{
	for (int i = 0; i < FP_ATTR__MAX; i++)
		if (!strcmp(s, fp_attr_name(i)))
			return i;
	return -1;
}

/* The rule just finished: everything it needs is there. */
static int rule_close(struct loader *ld)
{
	struct fp_sig_rule *r = ld->cur;

	if (!r)
		return 0;
	ld->cur = NULL;
	if (r->n_set == 0)
		return fail(ld, "rule %s assigns nothing", r->id);
	if (!r->from)
		return fail(ld, "rule %s has no 'from' (provenance)", r->id);
	if (r->n_ex == 0)
		return fail(ld, "rule %s has no example", r->id);
	for (int i = 0; i < r->n_set; i++) {
		if (r->set[i].conf == 0 && !ld->cur_has_conf)
			return fail(ld, "rule %s: no confidence for %s", r->id,
					fp_attr_name(r->set[i].attr));
		if (r->set[i].conf == 0)
			r->set[i].conf = ld->cur_conf;
	}
	return 0;
}

static int rule_open(struct loader *ld, char *rest)
{
	struct fp_sig_db *db = ld->db;
	struct fp_sig_rule *r;
	char *cls = word(&rest), *op = word(&rest), *pat = trim(rest);
	char rerr[128];
	int c;

	if (db->n == db->cap) {
		size_t nc = db->cap ? db->cap * 2 : 256;
		struct fp_sig_rule *nr = realloc(db->r, nc * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		db->r = nr;
		db->cap = nc;
	}
	r = &db->r[db->n];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s:%u", ld->file, ld->line);
	c = fp_sig_class_parse(cls);
	if (c < 0)
		return fail(ld, "unknown class '%s'", cls);
	r->cls = (uint8_t)c;
	r->generic = class_generic[c];
	r->op = 0xff;
	for (size_t i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
		if (!strcmp(op, op_names[i]))
			r->op = (uint8_t)i;
	if (r->op == 0xff)
		return fail(ld, "unknown match operator '%s'", op);
	if (!*pat)
		return fail(ld, "empty pattern");
	r->pattern = strdup(pat);
	if (!r->pattern)
		return -ENOMEM;
	db->n++;	/* owned by the db from here: freed on any error */
	if (r->op == FP_OP_RE) {
		r->re = malloc(sizeof(*r->re));
		if (!r->re)
			return -ENOMEM;
		if (fp_re_compile(r->re, pat, rerr, sizeof(rerr)) < 0)
			return fail(ld, "bad pattern: %s", rerr);
	}
	ld->cur = r;
	ld->cur_has_conf = false;
	ld->cur_conf = 0;
	return 0;
}

static int rule_line(struct loader *ld, char *s)
{
	struct fp_sig_rule *r = ld->cur;
	char *key = word(&s), *val = trim(s);
	int a;

	if (!r)
		return fail(ld, "indented line outside a rule");
	if (!strcmp(key, "conf")) {
		char *end;
		long c = strtol(val, &end, 10);

		if (*end || c < 1 || c > 99)
			return fail(ld, "conf must be 1-99");
		ld->cur_conf = (uint8_t)c;
		ld->cur_has_conf = true;
		return 0;
	}
	if (!strcmp(key, "generic") || !strcmp(key, "specific")) {
		if (*val)
			return fail(ld, "'%s' takes no value", key);
		r->generic = key[0] == 'g';
		return 0;
	}
	if (!strcmp(key, "unless")) {
		char rerr[128];

		if (!*val || r->unless)
			return fail(ld, "one non-empty 'unless' per rule");
		r->unless = malloc(sizeof(*r->unless));
		if (!r->unless)
			return -ENOMEM;
		if (fp_re_compile(r->unless, val, rerr, sizeof(rerr)) < 0)
			return fail(ld, "bad 'unless' pattern: %s", rerr);
		return 0;
	}
	if (!strcmp(key, "if")) {
		if (strncmp(val, "vendor=", 7) || !val[7] || r->if_vendor)
			return fail(ld, "one 'if vendor=NAME' per rule");
		r->if_vendor = strdup(val + 7);
		return r->if_vendor ? 0 : -ENOMEM;
	}
	if (!strcmp(key, "from")) {
		if (!*val || r->from)
			return fail(ld, "one non-empty 'from' per rule");
		r->from = strdup(val);
		return r->from ? 0 : -ENOMEM;
	}
	if (!strcmp(key, "example") || !strcmp(key, "not")) {
		struct fp_sig_example *ne, *x;
		char *arrow = strstr(val, "=>");

		if (!*val)
			return fail(ld, "empty example");
		ne = realloc(r->ex, (r->n_ex + 1u) * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		r->ex = ne;
		x = &r->ex[r->n_ex++];
		memset(x, 0, sizeof(*x));
		x->line = ld->line;
		x->negative = key[0] == 'n';
		if (arrow) {
			if (x->negative)
				return fail(ld, "'not' examples expect nothing");
			*arrow = '\0';
			x->expect = strdup(trim(arrow + 2));
			if (!x->expect)
				return -ENOMEM;
		}
		x->text = strdup(trim(val));
		return x->text ? 0 : -ENOMEM;
	}
	a = attr_parse(key);
	if (a >= 0) {
		struct fp_sig_set *st;
		char *at = strrchr(val, '@');
		long c = 0;

		if (r->n_set >= FP_SIG_MAX_SET)
			return fail(ld, "too many assignments");
		if (at && at[1] && strspn(at + 1, "0123456789") ==
				strlen(at + 1)) {
			c = strtol(at + 1, NULL, 10);
			if (c < 1 || c > 99)
				return fail(ld, "@confidence must be 1-99");
			*at = '\0';
			val = trim(val);
		}
		if (!*val)
			return fail(ld, "%s needs a value", key);
		if (strlen(val) >= FP_SIG_VAL_MAX)
			return fail(ld, "value longer than %d", FP_SIG_VAL_MAX - 1);
		if (a == FP_ATTR_TYPE && !fp_type_valid(val))
			return fail(ld, "'%s' is not a device type (see "
					"fingerprint/README.md)", val);
		st = &r->set[r->n_set++];
		st->attr = (uint8_t)a;
		st->conf = (uint8_t)c;
		st->value = strdup(val);
		return st->value ? 0 : -ENOMEM;
	}
	return fail(ld, "unknown key '%s'", key);
}

static int load_file(struct loader *ld, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int rc = 0;

	if (!f) {
		snprintf(ld->err, ld->errcap, "%s: %s", path, strerror(errno));
		return -errno;
	}
	ld->line = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *s = line;

		ld->line++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = fail(ld, "line longer than %zu bytes",
					sizeof(line) - 2);
			break;
		}
		if (*trim(s) == '\0' || *trim(s) == '#')
			continue;
		if (isspace((unsigned char)line[0])) {
			rc = rule_line(ld, s);
			continue;
		}
		s = trim(s);
		if (strncmp(s, "rule", 4) || !isspace((unsigned char)s[4])) {
			rc = fail(ld, "expected 'rule CLASS OP PATTERN'");
			break;
		}
		rc = rule_close(ld);
		if (rc == 0)
			rc = rule_open(ld, s + 4);
	}
	if (rc == 0)
		rc = rule_close(ld);
	if (rc == 0 && ferror(f)) {
		snprintf(ld->err, ld->errcap, "%s: read error", path);
		rc = -EIO;
	}
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int index_classes(struct fp_sig_db *db)
{
	for (size_t i = 0; i < db->n; i++)
		db->n_cls[db->r[i].cls]++;
	for (int c = 0; c < FP_SC__MAX; c++) {
		db->by_cls[c] = calloc(db->n_cls[c] ? db->n_cls[c] : 1,
				sizeof(uint32_t));
		if (!db->by_cls[c])
			return -ENOMEM;
		db->n_cls[c] = 0;
	}
	for (size_t i = 0; i < db->n; i++) {
		int c = db->r[i].cls;

		db->by_cls[c][db->n_cls[c]++] = (uint32_t)i;
	}
	return 0;
}

int fp_sig_load(struct fp_sig_db **out, const char *dir, char *err,
		size_t errcap)
{
	struct fp_sig_db *db;
	struct loader ld = { .err = err, .errcap = errcap };
	struct stat st;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	if (errcap)
		err[0] = '\0';
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	ld.db = db;
	if (stat(dir, &st) < 0) {
		snprintf(err, errcap, "%s: %s", dir, strerror(errno));
		rc = -errno;
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		const char *b = strrchr(dir, '/');

		ld.file = b ? b + 1 : dir;
		rc = load_file(&ld, dir);
	} else {
		DIR *d = opendir(dir);
		struct dirent *e;

		if (!d) {
			snprintf(err, errcap, "%s: %s", dir, strerror(errno));
			rc = -errno;
			goto out;
		}
		while ((e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			char **nn;

			if (l < 5 || strcmp(e->d_name + l - 4, ".sig"))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				nn = realloc(names, cap * sizeof(*nn));
				if (!nn) {
					rc = -ENOMEM;
					break;
				}
				names = nn;
			}
			names[n] = strdup(e->d_name);
			if (!names[n]) {
				rc = -ENOMEM;
				break;
			}
			n++;
		}
		closedir(d);
		if (rc == 0 && n == 0) {
			snprintf(err, errcap, "%s: no *.sig files", dir);
			rc = -ENOENT;
		}
		if (n)
			qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			ld.file = names[i];
			rc = load_file(&ld, path);
		}
	}
	if (rc == 0)
		rc = index_classes(db);
	if (rc == -ENOMEM && errcap && !err[0])
		snprintf(err, errcap, "out of memory loading signatures");
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc < 0) {
		fp_sig_free(db);
		return rc;
	}
	*out = db;
	return 0;
}

/* --- self-test --------------------------------------------------------- */

static void say(void (*report)(const char *, void *), void *arg,
		const struct fp_sig_rule *r, const struct fp_sig_example *x,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void say(void (*report)(const char *, void *), void *arg,
		const struct fp_sig_rule *r, const struct fp_sig_example *x,
		const char *fmt, ...)
{
	char buf[512];
	const char *colon = strchr(r->id, ':');
	size_t k;
	va_list ap;

	k = (size_t)snprintf(buf, sizeof(buf), "%.*s:%u: example \"%s\": ",
			colon ? (int)(colon - r->id) : (int)strlen(r->id),
			r->id, x->line, x->text);
	if (k < sizeof(buf)) {
		va_start(ap, fmt);
		vsnprintf(buf + k, sizeof(buf) - k, fmt, ap);
		va_end(ap);
	}
	if (report)
		report(buf, arg);
}

/* Each "attr=value" of x->expect must be what the rule assigns. */
static int check_expect(const struct fp_sig_rule *r,
		const struct fp_sig_example *x, const int caps[FP_RE_NCAP],
		void (*report)(const char *, void *), void *arg)
{
	char buf[512], *save = NULL, *item;
	int bad = 0;

	snprintf(buf, sizeof(buf), "%s", x->expect);
	for (item = strtok_r(buf, ";", &save); item;
			item = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(item, '='), *k, *v, got[FP_SIG_VAL_MAX];
		int a;
		bool found = false;

		if (!eq) {
			say(report, arg, r, x, "bad expectation '%s'", item);
			bad++;
			continue;
		}
		*eq = '\0';
		k = trim(item);
		v = trim(eq + 1);
		a = attr_parse(k);
		for (int i = 0; a >= 0 && i < r->n_set; i++) {
			if (r->set[i].attr != a)
				continue;
			found = true;
			fp_sig_expand(r->set[i].value, x->text, caps, got,
					sizeof(got));
			if (strcmp(got, v)) {
				say(report, arg, r, x, "%s is \"%s\", not \"%s\"",
						k, got, v);
				bad++;
			}
		}
		if (!found) {
			say(report, arg, r, x, "the rule assigns no %s", k);
			bad++;
		}
	}
	return bad;
}

int fp_sig_selftest(const struct fp_sig_db *db,
		void (*report)(const char *line, void *arg), void *arg,
		size_t *n_examples)
{
	int bad = 0;
	size_t n = 0;

	for (size_t i = 0; db && i < db->n; i++) {
		const struct fp_sig_rule *r = &db->r[i];

		for (int e = 0; e < r->n_ex; e++) {
			const struct fp_sig_example *x = &r->ex[e];
			int caps[FP_RE_NCAP];
			bool m = fp_sig_rule_match(r, x->text, caps);

			n++;
			if (x->negative) {
				if (m) {
					say(report, arg, r, x,
						"matches, and must not");
					bad++;
				}
				continue;
			}
			if (!m) {
				say(report, arg, r, x, "does not match %s %s "
					"\"%s\"", fp_sig_class_name(r->cls),
					op_names[r->op], r->pattern);
				bad++;
				continue;
			}
			for (int s = 0; s < r->n_set; s++) {
				char got[FP_SIG_VAL_MAX];

				fp_sig_expand(r->set[s].value, x->text, caps,
						got, sizeof(got));
				if (!got[0]) {
					say(report, arg, r, x, "%s comes out "
						"empty",
						fp_attr_name(r->set[s].attr));
					bad++;
				} else if (r->set[s].attr == FP_ATTR_TYPE &&
						!fp_type_valid(got)) {
					say(report, arg, r, x, "type \"%s\" is "
						"not in the vocabulary", got);
					bad++;
				}
			}
			if (x->expect)
				bad += check_expect(r, x, caps, report, arg);
		}
	}
	if (n_examples)
		*n_examples = n;
	return bad;
}
