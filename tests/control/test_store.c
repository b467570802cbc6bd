/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * ctl_store: every API, schema migration, corrupt files, and exactly-once
 * report ingestion across SIGKILL.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ctl_diff.h"
#include "ctl_evidence.h"
#include "ctl_inventory.h"
#include "ctl_store.h"
#include "policy_sign.h"
#include "policy_verify.h"
#include "test_main.h"
#include "test_pack.h"
#include "util_file.h"

static char db_path[128];

TEST_DIR_FILE_SETUP(setup, "store", "cordond.db", db_path)

static struct ctl_store *
open_ok(void)
{
	struct ctl_store *st = NULL;
	char err[256] = "";
	int ret = ctl_store_open(db_path, &st, err, sizeof(err));

	if (ret != 0)
		print_error("open: %s\n", err);
	assert_int_equal(ret, 0);
	assert_non_null(st);
	return st;
}

/* Run SQL on the raw file, behind the store's back. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		print_error("raw sql: %s\n", msg);
	assert_null(msg);
	sqlite3_close(db);
}

static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *db;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static uint8_t *
make_policy(uint64_t version, const char *comment, size_t *len)
{
	Cordon__Policy p = CORDON__POLICY__INIT;

	p.version = version;
	p.comment = (char *)comment;
	p.default_segment = 1;
	return test_pack(&p.base, len);
}

static void
test_open_fresh(void **state)
{
	struct ctl_store *st;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_schema_version(st),
			 CTL_STORE_SCHEMA_VERSION);
	assert_int_equal(ctl_store_check(st), 0);
	ctl_store_close(st);
	assert_int_equal(raw_int(db_path, "PRAGMA user_version"),
			 CTL_STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(db_path, "PRAGMA application_id"),
			 0x43444e44);
	/* WAL is persistent in the file header. */
	assert_int_equal(raw_int(db_path, "SELECT journal_mode = 'wal' "
				 "FROM pragma_journal_mode"), 1);
	st = open_ok();	/* reopening migrates nothing */
	assert_int_equal(ctl_store_schema_version(st), CTL_STORE_SCHEMA_VERSION);
	assert_int_equal(ctl_store_schema_version(st),
			 CTL_STORE_SCHEMA_VERSION);
	ctl_store_close(st);
	assert_int_equal(ctl_store_open(NULL, &st, NULL, 0), -EINVAL);
}

/* --- Policy ---------------------------------------------------------- */

struct hist {
	uint64_t versions[16];
	uint64_t rollback_of[16];
	bool is_signed[16];
	bool has_source[16];
	uint64_t pruned_ms[16];
	uint32_t quarantined[16];
	size_t n;
};

static int
hist_cb(const struct ctl_store_policy_info *p, void *arg)
{
	struct ctl_policy_counts c = p->counts;
	struct hist *h = arg;

	assert_true(h->n < 16);
	if (p->pruned_ms == 0)
		assert_int_equal(ctl_policy_counts(p->compiled,
						   p->compiled_len, &c), 0);
	h->quarantined[h->n] = c.quarantined;
	h->pruned_ms[h->n] = p->pruned_ms;
	h->versions[h->n] = p->version;
	h->rollback_of[h->n] = p->rollback_of;
	h->is_signed[h->n] = p->is_signed;
	h->has_source[h->n] = p->has_source;
	h->n++;
	return 0;
}

struct evlist {
	uint64_t ids[64];
	char kinds[64][32];
	char details[64][160];
	char dp[64][16];
	bool has_mac[64];
	uint8_t macs[64][6];
	size_t n;
};

static int
ev_cb(const struct ctl_store_event *e, void *arg)
{
	struct evlist *l = arg;

	assert_true(l->n < 64);
	l->ids[l->n] = e->id;
	snprintf(l->kinds[l->n], 32, "%s", e->kind);
	snprintf(l->details[l->n], 160, "%s",
		 e->detail_json ? e->detail_json : "(null)");
	snprintf(l->dp[l->n], 16, "%s", e->dataplane_id);
	l->has_mac[l->n] = e->has_mac;
	memcpy(l->macs[l->n], e->mac, 6);
	l->n++;
	return 0;
}

static void
test_policy(void **state)
{
	struct ctl_store_policy p, g;
	struct policy_sign_key key;
	struct policy_verify_keyring kr;
	struct policy_verify_out out;
	struct ctl_store *st;
	struct hist h = { .n = 0 };
	struct evlist ev = { .n = 0 };
	uint8_t *c1, *c3, *s3;
	size_t c1_len, c3_len, s3_len;
	char err[256], path[160], *diff;
	uint64_t v, total = 0;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_policy_latest_version(st, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ctl_store_policy_latest(st, &g), -ENOENT);

	assert_int_equal(policy_sign_keygen(test_dir, false, err,
					    sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/%s", test_dir, POLICY_SIGN_PRIV_NAME);
	assert_int_equal(policy_sign_key_load(path, &key, err, sizeof(err)), 0);
	policy_verify_keyring_init(&kr);
	snprintf(path, sizeof(path), "%s/%s", test_dir, POLICY_SIGN_PUB_NAME);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, path, err,
						       sizeof(err)), 0);

	c1 = make_policy(1, "first", &c1_len);
	memset(&p, 0, sizeof(p));
	p.version = 1;
	p.created_ms = 1000;
	p.source = "segments:\n  - cameras\n  - printers\nrules: []\n";
	p.compiled = c1;
	p.compiled_len = c1_len;
	p.comment = "initial";
	p.applied_by = "alice";
	assert_int_equal(ctl_store_policy_add(st, &p), 0);
	assert_int_equal(ctl_store_policy_add(st, &p), -ESTALE);
	assert_non_null(strstr(ctl_store_errmsg(st), "not above"));

	c3 = make_policy(3, "third", &c3_len);
	assert_int_equal(policy_sign(&key, c3, c3_len, 3000, &s3, &s3_len, err,
				     sizeof(err)), 0);
	p.version = 3;
	p.created_ms = 3000;
	p.source = "segments:\n  - cameras\n  - printers\n  - tvs\n"
		"rules: []\n";
	p.compiled = c3;
	p.compiled_len = c3_len;
	p.signed_policy = s3;
	p.signed_len = s3_len;
	p.comment = "add tvs";
	p.applied_by = "bob";
	assert_int_equal(ctl_store_policy_add(st, &p), 0);
	p.version = 2;
	assert_int_equal(ctl_store_policy_add(st, &p), -ESTALE);
	p.version = 0;
	assert_int_equal(ctl_store_policy_add(st, &p), -EINVAL);
	p.version = 4;
	p.signed_len = 0;	/* blob without length */
	assert_int_equal(ctl_store_policy_add(st, &p), -EINVAL);

	assert_int_equal(ctl_store_policy_get(st, 1, &g), 0);
	assert_int_equal(g.version, 1);
	assert_int_equal(g.created_ms, 1000);
	assert_string_equal(g.comment, "initial");
	assert_string_equal(g.applied_by, "alice");
	assert_int_equal(g.compiled_len, c1_len);
	assert_memory_equal(g.compiled, c1, c1_len);
	assert_null(g.signed_policy);
	assert_int_equal(g.rollback_of, 0);
	assert_string_equal(g.source,
			    "segments:\n  - cameras\n  - printers\nrules: []\n");
	ctl_store_policy_free(&g);
	assert_int_equal(ctl_store_policy_get(st, 2, &g), -ENOENT);
	assert_int_equal(ctl_store_policy_latest(st, &g), 0);
	assert_int_equal(g.version, 3);
	assert_int_equal(g.signed_len, s3_len);
	assert_memory_equal(g.signed_policy, s3, s3_len);
	ctl_store_policy_free(&g);

	assert_int_equal(ctl_store_policy_diff(st, 1, 3, &diff), 0);
	assert_string_equal(diff,
		"--- policy 1\n+++ policy 3\n"
		"@@ -1,4 +1,5 @@\n"
		" segments:\n   - cameras\n   - printers\n+  - tvs\n"
		" rules: []\n");
	free(diff);
	assert_int_equal(ctl_store_policy_diff(st, 3, 3, &diff), 0);
	assert_string_equal(diff, "");
	free(diff);
	assert_int_equal(ctl_store_policy_diff(st, 1, 9, &diff), -ENOENT);

	/* Rollback to 1: appended as 4, signed, same source. */
	assert_int_equal(ctl_store_policy_rollback(st, 1, &key, "carol", 4000,
						   &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(ctl_store_policy_get(st, 4, &g), 0);
	assert_int_equal(g.rollback_of, 1);
	assert_string_equal(g.applied_by, "carol");
	assert_string_equal(g.comment, "rollback to 1");
	assert_string_equal(g.source,
			    "segments:\n  - cameras\n  - printers\nrules: []\n");
	assert_non_null(g.signed_policy);
	assert_int_equal(policy_verify(&kr, g.signed_policy, g.signed_len, &out,
				       err, sizeof(err)), 0);
	assert_int_equal(out.version, 4);
	assert_string_equal(out.policy->comment, "first");
	assert_memory_equal(out.policy_bytes, g.compiled, g.compiled_len);
	policy_verify_out_free(&out);
	ctl_store_policy_free(&g);
	assert_int_equal(ctl_store_policy_rollback(st, 2, &key, "carol", 4000,
						   &v), -ENOENT);
	/* Unsigned rollback. */
	assert_int_equal(ctl_store_policy_rollback(st, 3, NULL, "dave", 5000,
						   &v), 0);
	assert_int_equal(v, 5);

	assert_int_equal(ctl_store_policy_history(st, 0, 0, hist_cb, &h,
						  &total), 0);
	assert_int_equal(h.n, 4);
	assert_int_equal(total, 4);
	assert_int_equal(h.versions[0], 5);
	assert_int_equal(h.versions[1], 4);
	assert_int_equal(h.versions[2], 3);
	assert_int_equal(h.versions[3], 1);
	assert_int_equal(h.rollback_of[0], 3);
	assert_int_equal(h.rollback_of[1], 1);
	assert_false(h.is_signed[0]);
	assert_true(h.is_signed[1]);
	assert_true(h.is_signed[2]);
	assert_false(h.is_signed[3]);
	assert_true(h.has_source[3]);
	h.n = 0;
	assert_int_equal(ctl_store_policy_history(st, 2, 0, hist_cb, &h,
						  NULL), 0);
	assert_int_equal(h.n, 2);
	/* The page after version 4: 3 and 1, the total unchanged. */
	h.n = 0;
	total = 0;
	assert_int_equal(ctl_store_policy_history(st, 5, 4, hist_cb, &h,
						  &total), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.versions[0], 3);
	assert_int_equal(h.versions[1], 1);
	assert_int_equal(total, 4);

	/* rollback_of must name a stored version (foreign key). */
	p.version = 6;
	p.source = NULL;
	p.signed_policy = NULL;
	p.signed_len = 0;
	p.rollback_of = 99;
	assert_int_equal(ctl_store_policy_add(st, &p), -EINVAL);
	assert_non_null(strstr(ctl_store_errmsg(st), "FOREIGN KEY"));
	p.rollback_of = 0;

	/* A policy without source cannot be diffed. */
	p.version = 6;
	p.source = NULL;
	p.signed_policy = NULL;
	p.signed_len = 0;
	assert_int_equal(ctl_store_policy_add(st, &p), 0);
	assert_int_equal(ctl_store_policy_diff(st, 5, 6, &diff), -ENODATA);

	/* Every addition journaled, in order. */
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &ev), 0);
	assert_int_equal(ev.n, 5);
	for (size_t i = 0; i < ev.n; i++)
		assert_string_equal(ev.kinds[i], CTL_STORE_EV_POLICY_ADDED);
	assert_string_equal(ev.details[2],
			    "{\"version\": 4, \"rollback_of\": 1, "
			    "\"signed\": true}");
	ctl_store_close(st);
	/* Survives reopening. */
	st = open_ok();
	assert_int_equal(ctl_store_policy_latest_version(st, &v), 0);
	assert_int_equal(v, 6);
	ctl_store_close(st);
	free(c1);
	free(c3);
	free(s3);
	policy_sign_key_free(&key);
	policy_verify_keyring_free(&kr);
}

/* --- Diff ------------------------------------------------------------ */

static char *
gnu_diff(const char *a, const char *b)
{
	char pa[160], pb[160], cmd[400], *out = calloc(1, 1 << 16);
	size_t n = 0;
	FILE *f;

	snprintf(pa, sizeof(pa), "%s/a.txt", test_dir);
	snprintf(pb, sizeof(pb), "%s/b.txt", test_dir);
	f = fopen(pa, "w");
	fputs(a, f);
	fclose(f);
	f = fopen(pb, "w");
	fputs(b, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "diff -u --label A --label B '%s' '%s'",
		 pa, pb);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, (1 << 16) - 1, f);
	out[n] = '\0';
	pclose(f);
	return out;
}

/* Apply a unified diff to a; the result must be b. */
static char *
apply(const char *a, const char *diff)
{
	const char *lines[512], *d = diff;
	size_t na = 0, ai = 0;
	char *out = calloc(1, strlen(a) + strlen(diff) + 1);
	const char *p = a;
	char last = 0;

	while (*p != '\0') {
		assert_true(na < 512);
		lines[na++] = p;
		p = strchr(p, '\n');
		p = p ? p + 1 : a + strlen(a);
	}
	if (*d == '\0') {
		strcpy(out, a);
		return out;
	}
	d = strchr(d, '\n') + 1;	/* --- */
	d = strchr(d, '\n') + 1;	/* +++ */
	while (*d != '\0') {
		unsigned long as, ac = 1, bs, bc = 1;
		const char *e;

		if (sscanf(d, "@@ -%lu,%lu", &as, &ac) < 2)
			assert_int_equal(sscanf(d, "@@ -%lu", &as), 1);
		(void)bs;
		(void)bc;
		if (ac == 0)
			as++;	/* empty range names the line before */
		while (ai + 1 < as)	/* copy up to the hunk */
			strncat(out, lines[ai], strcspn(lines[ai], "\n") + 1),
				ai++;
		d = strchr(d, '\n') + 1;
		while (*d == ' ' || *d == '-' || *d == '+' || *d == '\\') {
			e = strchr(d, '\n');
			size_t len = (size_t)(e - d);

			if (*d == '\\') {	/* no newline: drop the last */
				if (last != '-')
					out[strlen(out) - 1] = '\0';
			} else if (*d == '+') {
				strncat(out, d + 1, len);
			} else {
				assert_true(ai < na);
				assert_memory_equal(lines[ai], d + 1, len - 1);
				if (*d == ' ')
					strncat(out, d + 1, len);
				ai++;
			}
			if (*d != '\\')
				last = *d;
			d = e + 1;
		}
	}
	while (ai < na)
		strncat(out, lines[ai], strcspn(lines[ai], "\n") + 1), ai++;
	return out;
}

static void
check_diff(const char *a, const char *b, bool exact)
{
	char *mine, *gnu, *back;

	assert_int_equal(ctl_diff_text(a, "A", b, "B", &mine), 0);
	if (exact) {
		gnu = gnu_diff(a, b);
		assert_string_equal(mine, gnu);
		free(gnu);
	}
	back = apply(a, mine);
	assert_string_equal(back, b);
	free(back);
	free(mine);
}

/*
 * --policy-keep: the content of versions older than the newest keep goes,
 * the oldest first, max at a time; their history rows and counts stay; a
 * version another was composed on keeps its content; a pruned one is
 * -ENODATA to get, diff and roll back.
 */
static void
test_policy_prune(void **state)
{
	ProtobufCBinaryData q[2] = {
		{ 6, (uint8_t *)"\x02\0\0\0\0\x01" },
		{ 6, (uint8_t *)"\x02\0\0\0\0\x02" },
	};
	Cordon__Policy pol = CORDON__POLICY__INIT;
	struct ctl_store_policy p = { 0 }, g;
	struct hist h = { .n = 0 };
	struct ctl_store *st;
	uint8_t *c;
	uint64_t n, v;
	char *diff;

	(void)state;
	st = open_ok();
	pol.default_segment = 1;
	pol.quarantined = q;
	pol.n_quarantined = 2;
	c = test_pack(&pol.base, &p.compiled_len);
	p.compiled = c;
	p.comment = "c";
	p.applied_by = "t";
	p.signed_policy = (uint8_t *)"sig";
	p.signed_len = 3;
	/* 1-5 from a source, 6 pushed compiled, 7 made on 6, 8 a source. */
	for (p.version = 1; p.version <= 8; p.version++) {
		p.created_ms = p.version * 1000;
		p.source = p.version == 6 || p.version == 7 ? NULL : "src\n";
		p.base = p.version == 7 ? 6 : 0;
		assert_int_equal(ctl_store_policy_add(st, &p), 0);
	}
	/* Keep 2 (7, 8): 1-5 may go, two at a time; 6 is 7's base. */
	assert_int_equal(ctl_store_policy_prune(st, 2, 2, 9000, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ctl_store_policy_get(st, 1, &g), -ENODATA);
	assert_non_null(strstr(ctl_store_errmsg(st), "pruned"));
	assert_int_equal(ctl_store_policy_get(st, 3, &g), 0);
	ctl_store_policy_free(&g);
	assert_int_equal(ctl_store_policy_prune(st, 2, 100, 9000, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ctl_store_policy_prune(st, 2, 100, 9000, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ctl_store_policy_get(st, 6, &g), 0);
	assert_int_equal(g.compiled_len, p.compiled_len);
	ctl_store_policy_free(&g);
	/* The history keeps every row, with what each held and its flags. */
	assert_int_equal(ctl_store_policy_history(st, 0, 0, hist_cb, &h,
						  NULL), 0);
	assert_int_equal(h.n, 8);
	for (size_t i = 0; i < 8; i++) {
		uint64_t ver = h.versions[i];

		assert_int_equal(h.pruned_ms[i], ver <= 5 ? 9000 : 0);
		assert_int_equal(h.quarantined[i], 2);
		assert_true(h.is_signed[i]);
		assert_int_equal(h.has_source[i], ver != 6 && ver != 7);
	}
	/* Gone: no diff with it, no rollback to it. */
	assert_int_equal(ctl_store_policy_diff(st, 2, 8, &diff), -ENODATA);
	assert_int_equal(ctl_store_policy_rollback(st, 2, NULL, "t", 10000,
						   &v), -ENODATA);
	assert_int_equal(ctl_store_policy_diff(st, 8, 8, &diff), 0);
	free(diff);
	/* A new version makes 7 prunable; 6 stays while 7 names it. */
	p.version = 9;
	p.base = 0;
	p.source = "src\n";
	assert_int_equal(ctl_store_policy_add(st, &p), 0);
	assert_int_equal(ctl_store_policy_prune(st, 2, 100, 9500, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ctl_store_policy_get(st, 7, &g), -ENODATA);
	assert_int_equal(ctl_store_policy_get(st, 6, &g), 0);
	ctl_store_policy_free(&g);
	assert_int_equal(ctl_store_policy_prune(st, 0, 1, 1, &n), -EINVAL);
	assert_int_equal(ctl_store_policy_prune(st, 1, 0, 1, &n), -EINVAL);
	assert_int_equal(ctl_store_check(st), 0);
	ctl_store_close(st);
	free(c);
}

static void
test_diff_text(void **state)
{
	char a[4096], b[4096];

	(void)state;
	check_diff("", "", true);
	check_diff("a\nb\n", "a\nb\n", true);
	check_diff("", "x\ny\n", true);
	check_diff("x\ny\n", "", true);
	check_diff("a\nb\nc\n", "a\nB\nc\n", true);
	check_diff("a\nb\nc\n", "a\nb\nc", true);	/* newline lost */
	check_diff("a\nb", "a\nb\nc\n", true);
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n",
		   "1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\nFOURTEEN\n15\n",
		   true);	/* two hunks */
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n",
		   "1\n2\nthree\n4\n5\n6\n7\nEIGHT\n9\n", true); /* merged */
	check_diff("head\nkeep\n", "new\nhead\nkeep\n", true);
	/* Random edits: the diff must turn a into b. */
	srand(7);
	for (int round = 0; round < 300; round++) {
		size_t la = 0, lb = 0;
		int n = rand() % 40;

		a[0] = b[0] = '\0';
		for (int i = 0; i < n; i++) {
			char line[16];
			int r = rand() % 10;

			snprintf(line, sizeof(line), "l%d\n", rand() % 12);
			if (r != 0)
				la += (size_t)snprintf(a + la, sizeof(a) - la,
						       "%s", line);
			if (r != 1)
				lb += (size_t)snprintf(b + lb, sizeof(b) - lb,
						       "%s", r == 2 ?
						       "changed\n" : line);
		}
		if (round % 5 == 0 && la > 0)
			a[--la] = '\0';	/* no final newline */
		check_diff(a, b, false);
	}
}

/* --- Devices --------------------------------------------------------- */

struct devs {
	struct {
		uint8_t mac[6];
		uint16_t vlan;
		uint64_t first, last;
		char vendor[32], type[32], os[32], model[32], dp[16];
		double vendor_conf, os_conf;
		char evidence[128], addresses[128];
		char hostname[32], mud_url[96];
	} d[8];
	size_t n;
};

static int
dev_cb(const struct ctl_store_device *d, void *arg)
{
	struct devs *l = arg;

	assert_true(l->n < 8);
	memcpy(l->d[l->n].mac, d->mac, 6);
	l->d[l->n].vlan = d->vlan;
	l->d[l->n].first = d->first_seen_ms;
	l->d[l->n].last = d->last_seen_ms;
	snprintf(l->d[l->n].vendor, 32, "%s", d->vendor);
	snprintf(l->d[l->n].type, 32, "%s", d->type);
	snprintf(l->d[l->n].os, 32, "%s", d->os);
	snprintf(l->d[l->n].model, 32, "%s", d->model);
	snprintf(l->d[l->n].dp, 16, "%s", d->dataplane_id);
	l->d[l->n].vendor_conf = d->vendor_conf;
	l->d[l->n].os_conf = d->os_conf;
	snprintf(l->d[l->n].evidence, 128, "%s",
		 d->evidence_json ? d->evidence_json : "(null)");
	snprintf(l->d[l->n].addresses, 128, "%s",
		 d->addresses_json ? d->addresses_json : "(null)");
	snprintf(l->d[l->n].hostname, 32, "%s", d->hostname);
	snprintf(l->d[l->n].mud_url, 96, "%s", d->mud_url);
	l->n++;
	return 0;
}

static int
stop_cb(const struct ctl_store_device *d, void *arg)
{
	(void)d;
	(*(int *)arg)++;
	return 42;
}

static void
test_devices(void **state)
{
	const uint8_t cam[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	const uint8_t tv[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x01 };
	struct ctl_store_device d;
	struct ctl_store *st;
	struct devs l = { .n = 0 };
	int calls = 0;

	(void)state;
	st = open_ok();
	memset(&d, 0, sizeof(d));
	memcpy(d.mac, cam, 6);
	d.vlan = 10;
	d.first_seen_ms = 5000;
	d.last_seen_ms = 6000;
	d.dataplane_id = "gw0";
	d.vendor = "Hikvision";
	d.vendor_conf = 0.9;
	d.type = "camera";
	d.type_conf = 0.8;
	d.evidence_json = "{\"dhcp\": \"1,3,6\"}";
	d.addresses_json = "[\"192.168.1.20\"]";
	assert_int_equal(ctl_store_device_upsert(st, &d), 0);
	assert_int_equal(ctl_store_device_get(st, cam, 10, dev_cb, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.d[0].vendor, "Hikvision");
	assert_string_equal(l.d[0].os, "");
	assert_int_equal(l.d[0].first, 5000);

	/* Seen earlier and later elsewhere; fingerprint fields partly new. */
	memset(&d, 0, sizeof(d));
	memcpy(d.mac, cam, 6);
	d.vlan = 10;
	d.first_seen_ms = 4000;
	d.last_seen_ms = 9000;
	d.os = "Linux 3.x";
	d.os_conf = 0.5;
	d.vendor = "";		/* unknown now: keep what is stored */
	d.vendor_conf = 0.1;
	assert_int_equal(ctl_store_device_upsert(st, &d), 0);
	/* Older news does not move last_seen back. */
	d.first_seen_ms = 4500;
	d.last_seen_ms = 4500;
	d.os = NULL;
	d.dataplane_id = "gw1";
	d.addresses_json = "[\"192.168.1.21\", \"fe80::1\"]";
	assert_int_equal(ctl_store_device_upsert(st, &d), 0);
	l.n = 0;
	assert_int_equal(ctl_store_device_get(st, cam, 10, dev_cb, &l), 0);
	assert_int_equal(l.d[0].first, 4000);
	assert_int_equal(l.d[0].last, 9000);
	assert_string_equal(l.d[0].vendor, "Hikvision");
	assert_true(l.d[0].vendor_conf > 0.89 && l.d[0].vendor_conf < 0.91);
	assert_string_equal(l.d[0].os, "Linux 3.x");
	assert_true(l.d[0].os_conf > 0.49 && l.d[0].os_conf < 0.51);
	assert_string_equal(l.d[0].type, "camera");
	assert_string_equal(l.d[0].dp, "gw1");
	assert_string_equal(l.d[0].evidence, "{\"dhcp\": \"1,3,6\"}");
	assert_string_equal(l.d[0].addresses,
			    "[\"192.168.1.21\", \"fe80::1\"]");

	/* Same MAC on another VLAN is another device. */
	d.vlan = 0;
	d.addresses_json = NULL;
	assert_int_equal(ctl_store_device_upsert(st, &d), 0);
	memcpy(d.mac, tv, 6);
	d.model = "Bravia";
	assert_int_equal(ctl_store_device_upsert(st, &d), 0);
	l.n = 0;
	assert_int_equal(ctl_store_device_list(st, dev_cb, &l), 0);
	assert_int_equal(l.n, 3);
	assert_memory_equal(l.d[0].mac, tv, 6);		/* by MAC */
	assert_string_equal(l.d[0].model, "Bravia");
	assert_int_equal(l.d[1].vlan, 0);
	assert_int_equal(l.d[2].vlan, 10);
	assert_string_equal(l.d[1].evidence, "(null)");
	assert_int_equal(ctl_store_device_list(st, stop_cb, &calls), 42);
	assert_int_equal(calls, 1);

	/* Bad input. */
	d.evidence_json = "{not json";
	assert_int_equal(ctl_store_device_upsert(st, &d), -EINVAL);
	d.evidence_json = NULL;
	d.vlan = 4096;
	assert_int_equal(ctl_store_device_upsert(st, &d), -EINVAL);
	l.n = 0;
	assert_int_equal(ctl_store_device_get(st, tv, 99, dev_cb, &l),
			 -ENOENT);
	assert_int_equal(l.n, 0);
	ctl_store_close(st);
}

/* A report's devices in one transaction: all of them, or none. */
static void
test_devices_batch(void **state)
{
	struct ctl_store_device d[100];
	struct ctl_store *st;
	struct devs l = { .n = 0 };
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };
	char names[100][16];

	(void)state;
	st = open_ok();
	memset(d, 0, sizeof(d));
	for (int i = 0; i < 100; i++) {
		d[i].mac[0] = 2;
		d[i].mac[5] = (uint8_t)i;
		d[i].first_seen_ms = 1000;
		d[i].last_seen_ms = 2000 + (uint64_t)i;
		d[i].dataplane_id = "gw0";
		snprintf(names[i], sizeof(names[i]), "host-%d", i);
		d[i].hostname = names[i];
		d[i].mud_url = i == 7 ? "https://mud.example.com/bulb" : "";
	}
	assert_int_equal(ctl_store_device_upsert_batch(st, d, 100), 0);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM device"), 100);
	mac[5] = 7;
	assert_int_equal(ctl_store_device_get(st, mac, 0, dev_cb, &l), 0);
	assert_string_equal(l.d[0].hostname, "host-7");
	assert_string_equal(l.d[0].mud_url, "https://mud.example.com/bulb");
	assert_int_equal(l.d[0].last, 2007);

	/* An empty hostname or URL keeps the stored one, a new one wins. */
	d[7].hostname = "";
	d[7].mud_url = "";
	d[7].last_seen_ms = 5000;
	assert_int_equal(ctl_store_device_upsert_batch(st, &d[7], 1), 0);
	l.n = 0;
	assert_int_equal(ctl_store_device_get(st, mac, 0, dev_cb, &l), 0);
	assert_string_equal(l.d[0].hostname, "host-7");
	assert_string_equal(l.d[0].mud_url, "https://mud.example.com/bulb");
	assert_int_equal(l.d[0].last, 5000);
	d[7].mud_url = "https://mud.example.com/bulb2";
	assert_int_equal(ctl_store_device_upsert_batch(st, &d[7], 1), 0);
	l.n = 0;
	assert_int_equal(ctl_store_device_get(st, mac, 0, dev_cb, &l), 0);
	assert_string_equal(l.d[0].mud_url, "https://mud.example.com/bulb2");

	/* A bad row in the middle: nothing of the batch is written. */
	for (int i = 0; i < 100; i++) {
		d[i].mac[4] = 1;
		d[i].hostname = "new";
	}
	d[50].evidence_json = "{broken";
	assert_int_equal(ctl_store_device_upsert_batch(st, d, 100), -EINVAL);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM device"), 100);
	d[50].evidence_json = NULL;
	d[60].vlan = 5000;	/* refused before anything is written */
	assert_int_equal(ctl_store_device_upsert_batch(st, d, 100), -EINVAL);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM device"), 100);
	d[60].vlan = 0;
	assert_int_equal(ctl_store_device_upsert_batch(st, d, 100), 0);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM device"), 200);
	assert_int_equal(ctl_store_device_upsert_batch(st, NULL, 0), 0);
	assert_int_equal(ctl_store_device_upsert_batch(st, NULL, 1), -EINVAL);
	ctl_store_close(st);
}

struct muds {
	struct {
		uint8_t mac[6];
		uint16_t vlan;
		char url[64], source[8], sha[65], file[64];
		size_t file_len, sig_len;
		uint64_t at;
	} m[4];
	size_t n;
};

static int
mud_cb(const struct ctl_store_mud *m, void *arg)
{
	struct muds *l = arg;

	assert_true(l->n < 4);
	memcpy(l->m[l->n].mac, m->mac, 6);
	l->m[l->n].vlan = m->vlan;
	snprintf(l->m[l->n].url, 64, "%s", m->mud_url);
	snprintf(l->m[l->n].source, 8, "%s", m->source);
	snprintf(l->m[l->n].sha, 65, "%s", m->sha256);
	snprintf(l->m[l->n].file, 64, "%.*s", (int)m->file_len, m->file);
	l->m[l->n].file_len = m->file_len;
	l->m[l->n].sig_len = m->signature ? m->sig_len : 0;
	l->m[l->n].at = m->imported_ms;
	l->n++;
	return 0;
}

static void
test_mud_bindings(void **state)
{
	const uint8_t a[6] = { 2, 0, 0, 0, 0, 0xa }, b[6] = { 2, 0, 0, 0, 0, 9 };
	struct ctl_store_mud m;
	struct ctl_store *st;
	struct muds l = { .n = 0 };
	const uint8_t sig[3] = { 0x30, 0x82, 0x00 };

	(void)state;
	st = open_ok();
	memset(&m, 0, sizeof(m));
	memcpy(m.mac, a, 6);
	m.vlan = 12;
	m.mud_url = "https://a.example/x";
	m.file = "abc";
	m.file_len = 3;
	m.source = "cli";
	m.imported_ms = 77;
	m.by = "cordonctl";
	assert_int_equal(ctl_store_mud_put(st, &m), 0);
	memcpy(m.mac, b, 6);
	m.vlan = 0;
	m.source = "lldp";
	m.signature = sig;
	m.sig_len = sizeof(sig);
	assert_int_equal(ctl_store_mud_put(st, &m), 0);
	assert_int_equal(ctl_store_mud_list(st, mud_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_memory_equal(l.m[0].mac, b, 6);		/* by MAC */
	assert_string_equal(l.m[0].source, "lldp");
	assert_int_equal(l.m[0].sig_len, 3);
	assert_string_equal(l.m[1].url, "https://a.example/x");
	assert_int_equal(l.m[1].vlan, 12);
	assert_int_equal(l.m[1].sig_len, 0);
	assert_int_equal(l.m[1].at, 77);
	/* sha256("abc") */
	assert_string_equal(l.m[1].sha, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");

	/* A new import for a MAC replaces its binding. */
	memcpy(m.mac, a, 6);
	m.file = "{\"x\": 1}";
	m.file_len = strlen(m.file);
	m.mud_url = "https://a.example/y";
	m.source = "dhcp";
	assert_int_equal(ctl_store_mud_put(st, &m), 0);
	l.n = 0;
	assert_int_equal(ctl_store_mud_get(st, a, mud_cb, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.m[0].url, "https://a.example/y");
	assert_string_equal(l.m[0].file, "{\"x\": 1}");
	assert_string_equal(l.m[0].source, "dhcp");

	/* Bad input. */
	m.source = "ftp";
	assert_int_equal(ctl_store_mud_put(st, &m), -EINVAL);
	m.source = "cli";
	m.mud_url = "";
	assert_int_equal(ctl_store_mud_put(st, &m), -EINVAL);
	m.mud_url = "https://a.example/y";
	m.vlan = 4096;
	assert_int_equal(ctl_store_mud_put(st, &m), -EINVAL);

	assert_int_equal(ctl_store_mud_del(st, b), 0);
	assert_int_equal(ctl_store_mud_del(st, b), -ENOENT);
	l.n = 0;
	assert_int_equal(ctl_store_mud_get(st, b, mud_cb, &l), -ENOENT);
	ctl_store_close(st);
	/* Durable: there after reopening. */
	st = open_ok();
	l.n = 0;
	assert_int_equal(ctl_store_mud_list(st, mud_cb, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.m[0].source, "dhcp");
	ctl_store_close(st);
}

/* cordond's throttle: a report of 10,000 devices is one transaction, and
 * the next identical report writes nothing. */
static void
test_inventory_throttle(void **state)
{
	enum { N = 10000 };
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	Cordon__DeviceStats *ds, **dp;
	Cordon__DeviceIdentity *id;
	uint8_t (*macs)[6];
	struct ctl_inv inv;
	struct ctl_store *st;
	struct devs l = { .n = 0 };
	Cordon__StatsReport **rep = NULL;
	size_t written, n_rep = 0;
	uint8_t a4[4] = { 192, 168, 1, 7 };
	Cordon__Evidence ev[2], *evp[2] = { &ev[0], &ev[1] };

	(void)state;
	st = open_ok();
	ds = calloc(N, sizeof(*ds));
	dp = calloc(N, sizeof(*dp));
	id = calloc(N, sizeof(*id));
	macs = calloc(N, sizeof(*macs));
	assert_non_null(ds);
	assert_non_null(dp);
	assert_non_null(id);
	assert_non_null(macs);
	for (int i = 0; i < N; i++) {
		cordon__device_stats__init(&ds[i]);
		cordon__device_identity__init(&id[i]);
		macs[i][0] = 2;
		macs[i][4] = (uint8_t)(i >> 8);
		macs[i][5] = (uint8_t)i;
		ds[i].mac.data = macs[i];
		ds[i].mac.len = 6;
		ds[i].first_seen_ms = 1000;
		ds[i].last_seen_ms = 9000;
		ds[i].identity = &id[i];
		id[i].vendor = (char *)"Acme";
		id[i].vendor_confidence = 80;
		dp[i] = &ds[i];
	}
	ds[7].addresses = (ProtobufCBinaryData[]){ { 4, a4 } };
	ds[7].n_addresses = 1;
	id[7].mud_url = (char *)"https://mud.example.com/lamp";
	/* Typed evidence, stored as JSON; a piece that is not UTF-8 text is
	 * dropped, not fatal. */
	cordon__evidence__init(&ev[0]);
	ev[0].field = CORDON__IDENTITY_FIELD__FIELD_MUD_URL;
	ev[0].value = id[7].mud_url;
	ev[0].source = CORDON__EVIDENCE_SOURCE__SOURCE_DHCPV6;
	ev[0].clue = id[7].mud_url;
	ev[0].confidence = 100;
	cordon__evidence__init(&ev[1]);
	ev[1].field = CORDON__IDENTITY_FIELD__FIELD_VENDOR;
	ev[1].value = (char *)"\xff\xfe";
	id[7].evidence = evp;
	id[7].n_evidence = 2;
	r.dataplane_id = (char *)"gw0";
	r.uptime_ms = 10000;
	r.devices = dp;
	r.n_devices = N;

	ctl_inv_init(&inv, 60000);
	assert_int_equal(ctl_inv_persist(&inv, st, &r, 1000000, 1000000,
					 &written), 0);
	assert_int_equal(written, N);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM device"), N);
	/* Unchanged a second later: nothing written. */
	assert_int_equal(ctl_inv_persist(&inv, st, &r, 1001000, 1001000,
					 &written), 0);
	assert_int_equal(written, 0);
	/* One identity changed: one row. */
	id[3].os = (char *)"Linux";
	id[3].os_confidence = 60;
	assert_int_equal(ctl_inv_persist(&inv, st, &r, 1002000, 1002000,
					 &written), 0);
	assert_int_equal(written, 1);
	/* The refresh period is over: all again, last_seen moved on. */
	r.uptime_ms = 70000;
	for (int i = 0; i < N; i++)
		ds[i].last_seen_ms = 69000;
	assert_int_equal(ctl_inv_persist(&inv, st, &r, 1061000, 1061000,
					 &written), 0);
	assert_int_equal(written, N - 1);	/* not device 3, stored later */
	assert_int_equal(ctl_inv_persist(&inv, st, &r, 1062000, 1062000,
					 &written), 0);
	assert_int_equal(written, 1);
	assert_int_equal(ctl_store_device_get(st, macs[7], 0, dev_cb, &l), 0);
	/* uptime 70000 at 1061000: seen at 1060000; the first sighting
	 * (991000) is kept. */
	assert_int_equal(l.d[0].last, 1060000);
	assert_int_equal(l.d[0].first, 991000);
	assert_string_equal(l.d[0].mud_url, "https://mud.example.com/lamp");
	assert_string_equal(l.d[0].addresses, "[\"192.168.1.7\"]");
	/* (The first 127 bytes of it.) */
	assert_non_null(strstr(l.d[0].evidence, "[{\"field\":\"mud_url\","
			       "\"value\":\"https://mud.example.com/lamp\","
			       "\"source\":\"dhcpv6\",\"method\":\"\","));
	l.n = 0;
	assert_int_equal(ctl_store_device_get(st, macs[3], 0, dev_cb, &l), 0);
	assert_string_equal(l.d[0].os, "Linux");

	/* Read back as the compiler's inventory and as reports. */
	{
		struct ctl_pol_inv_device *v;
		size_t n;

		assert_int_equal(ctl_inv_load(st, &v, &n), 0);
		assert_int_equal(n, N);
		assert_string_equal(v[7].mud_url,
				    "https://mud.example.com/lamp");
		assert_string_equal(v[7].vendor, "Acme");
		assert_null(v[8].mud_url);
		ctl_inv_devices_free(v, n);
	}
	assert_int_equal(ctl_inv_reports(st, 2000000, &rep, &n_rep), 0);
	assert_int_equal(n_rep, 1);
	assert_string_equal(rep[0]->dataplane_id, "gw0");
	assert_int_equal(rep[0]->n_devices, N);
	assert_int_equal(rep[0]->n_counters, 1);
	assert_string_equal(rep[0]->counters[0]->name, CTL_INV_STORED_COUNTER);
	assert_int_equal(rep[0]->devices[7]->n_addresses, 1);
	assert_memory_equal(rep[0]->devices[7]->addresses[0].data, a4, 4);
	assert_string_equal(rep[0]->devices[7]->identity->mud_url,
			    "https://mud.example.com/lamp");
	assert_int_equal(rep[0]->devices[7]->identity->vendor_confidence, 80);
	/* The evidence comes back typed, with the MUD URL's source. */
	assert_int_equal(rep[0]->devices[7]->identity->n_evidence, 1);
	assert_int_equal(rep[0]->devices[7]->identity->mud_url_source,
			 CORDON__EVIDENCE_SOURCE__SOURCE_DHCPV6);
	assert_int_equal(rep[0]->devices[6]->identity->n_evidence, 0);
	cordon__stats_report__free_unpacked(rep[0], NULL);
	free(rep);

	ctl_inv_fini(&inv);
	free(ds);
	free(dp);
	free(id);
	free(macs);
	ctl_store_close(st);
}

/* Evidence stored before wire minor 2: the fingerprinter's rendering. */
static void
test_evidence_legacy(void **state)
{
	static const char legacy[] = "[{\"source\":\"dhcp_vendor\","
		"\"seen\":\"udhcp 1.30\",\"attribute\":\"os\",\"value\":"
		"\"Linux\",\"confidence\":40,\"rule\":\"sig:12\"},"
		"{\"source\":\"lldp_mud\",\"seen\":\"https://m/x\","
		"\"attribute\":\"mud_url\",\"value\":\"https://m/x\","
		"\"confidence\":100,\"rule\":\"rfc8520\"},7]";
	Cordon__DeviceIdentity *id = calloc(1, sizeof(*id));
	const Cordon__Evidence *e;
	char *js;

	(void)state;
	assert_non_null(id);
	cordon__device_identity__init(id);
	assert_int_equal(ctl_evidence_from_json(legacy, id), 0);
	assert_int_equal(id->n_evidence, 2);
	e = id->evidence[0];
	assert_int_equal(e->field, CORDON__IDENTITY_FIELD__FIELD_OS);
	assert_int_equal(e->source, CORDON__EVIDENCE_SOURCE__SOURCE_DHCP);
	assert_string_equal(e->method, "dhcp_vendor");
	assert_string_equal(e->clue, "udhcp 1.30");
	assert_string_equal(e->signature_id, "sig:12");
	assert_int_equal(e->confidence, 40);
	assert_int_equal(id->mud_url_source,
			 CORDON__EVIDENCE_SOURCE__SOURCE_LLDP);
	/* Written again in the typed form, and read back the same. */
	js = ctl_evidence_to_json(id);
	assert_non_null(strstr(js, "\"field\":\"os\",\"value\":\"Linux\","
			       "\"source\":\"dhcp\",\"method\":"
			       "\"dhcp_vendor\""));
	cordon__device_identity__free_unpacked(id, NULL);
	id = calloc(1, sizeof(*id));
	cordon__device_identity__init(id);
	assert_int_equal(ctl_evidence_from_json(js, id), 0);
	assert_int_equal(id->n_evidence, 2);
	assert_int_equal(id->evidence[1]->source,
			 CORDON__EVIDENCE_SOURCE__SOURCE_LLDP);
	free(js);
	cordon__device_identity__free_unpacked(id, NULL);
	/* Not an array: no evidence, not an error. */
	id = calloc(1, sizeof(*id));
	cordon__device_identity__init(id);
	assert_int_equal(ctl_evidence_from_json("{not json", id), 0);
	assert_int_equal(id->n_evidence, 0);
	cordon__device_identity__free_unpacked(id, NULL);
}

/* Firmware and obsolete TLS live in the store as evidence only, and come
 * back as the identity's fields. */
static void
test_evidence_firmware_tls(void **state)
{
	static const char js[] = "["
		"{\"field\":\"firmware\",\"value\":\"1.2\",\"source\":"
		"\"ssdp\",\"method\":\"ssdp_server\",\"clue\":\"x/1.2\","
		"\"confidence\":50,\"signature_id\":\"upnp.sig:3\"},"
		"{\"field\":\"firmware\",\"value\":\"1.2.7\",\"source\":"
		"\"http\",\"method\":\"upnp_description\",\"clue\":"
		"\"1.2.7\",\"confidence\":80,\"signature_id\":\"upnp.sig:9\"},"
		"{\"field\":\"tls\",\"value\":\"sslv2-hello\",\"source\":"
		"\"tls\",\"method\":\"tls_hello\",\"clue\":\"TLS 1.0\","
		"\"confidence\":100,\"signature_id\":\"fp_tls\"},"
		"{\"field\":\"tls\",\"value\":\"rc4-ciphers\",\"source\":"
		"\"tls\",\"method\":\"tls_hello\",\"clue\":\"TLS 1.0\","
		"\"confidence\":100,\"signature_id\":\"fp_tls\"}]";
	Cordon__DeviceIdentity *id = calloc(1, sizeof(*id));
	char *again;

	(void)state;
	assert_non_null(id);
	cordon__device_identity__init(id);
	assert_int_equal(ctl_evidence_from_json(js, id), 0);
	assert_int_equal(id->n_evidence, 4);
	assert_string_equal(id->firmware, "1.2.7");
	assert_int_equal(id->firmware_confidence, 80);
	assert_int_equal(id->n_tls_obsolete, 2);
	assert_string_equal(id->tls_obsolete[0], "sslv2-hello");
	assert_string_equal(id->tls_obsolete[1], "rc4-ciphers");
	assert_int_equal(id->evidence[2]->field,
			 CORDON__IDENTITY_FIELD__FIELD_TLS);
	assert_int_equal(id->evidence[2]->source,
			 CORDON__EVIDENCE_SOURCE__SOURCE_TLS);
	again = ctl_evidence_to_json(id);
	assert_non_null(again);
	assert_string_equal(again, js);
	free(again);
	cordon__device_identity__free_unpacked(id, NULL);
}

/* --- Events and quarantine ------------------------------------------- */

static void
test_events(void **state)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	struct evlist l = { .n = 0 };
	struct ctl_store *st;
	uint64_t id, last;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_event_last_id(st, &last), 0);
	assert_int_equal(last, 0);
	for (int i = 0; i < 5; i++) {
		char detail[32];

		snprintf(detail, sizeof(detail), "{\"n\": %d}", i);
		assert_int_equal(ctl_store_event_add(st, 100 + (uint64_t)i,
			i % 2 ? CTL_STORE_EV_DP_CONNECT :
			CTL_STORE_EV_DP_DISCONNECT, "gw0",
			i == 3 ? mac : NULL, detail, &id), 0);
		assert_int_equal(id, (uint64_t)i + 1);
	}
	/* Refused: no kind, bad JSON. Ids are not used up. */
	assert_int_equal(ctl_store_event_add(st, 1, "", NULL, NULL, NULL,
					     &id), -EINVAL);
	assert_int_equal(ctl_store_event_add(st, 1, "x", NULL, NULL, "{",
					     &id), -EINVAL);
	assert_int_equal(ctl_store_event_add(st, 200, "policy_applied", NULL,
					     NULL, NULL, &id), 0);
	assert_int_equal(id, 6);
	assert_int_equal(ctl_store_event_last_id(st, &last), 0);
	assert_int_equal(last, 6);

	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &l), 0);
	assert_int_equal(l.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(l.ids[i], i + 1);
	assert_string_equal(l.kinds[1], CTL_STORE_EV_DP_CONNECT);
	assert_string_equal(l.details[4], "{\"n\": 4}");
	assert_string_equal(l.details[5], "(null)");
	assert_string_equal(l.dp[0], "gw0");
	assert_string_equal(l.dp[5], "");
	assert_true(l.has_mac[3]);
	assert_false(l.has_mac[2]);
	assert_memory_equal(l.macs[3], mac, 6);
	/* Follow: since the last id seen, a page at a time. */
	l.n = 0;
	assert_int_equal(ctl_store_events(st, 2, 2, ev_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ids[0], 3);
	assert_int_equal(l.ids[1], 4);
	l.n = 0;
	assert_int_equal(ctl_store_events(st, 6, 10, ev_cb, &l), 0);
	assert_int_equal(l.n, 0);
	ctl_store_close(st);
}

/* A page of the newest events, oldest first, and how many there are. */
static void
test_events_newest(void **state)
{
	struct ctl_store *st = open_ok();
	struct evlist l = { 0 };
	uint64_t id, total = 99;
	char kind[16];

	(void)state;
	/* None yet: an empty page, and 0 in all. */
	assert_int_equal(ctl_store_events_newest(st, 0, 20, ev_cb, &l,
						 &total), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(total, 0);
	for (int i = 1; i <= 50; i++) {
		snprintf(kind, sizeof(kind), "k%d", i);
		assert_int_equal(ctl_store_event_add(st, (uint64_t)i, kind,
						     NULL, NULL, NULL, &id), 0);
	}
	/* The newest 20: ids 31..50, oldest first. */
	assert_int_equal(ctl_store_events_newest(st, 0, 20, ev_cb, &l,
						 &total), 0);
	assert_int_equal(total, 50);
	assert_int_equal(l.n, 20);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(l.ids[i], 31 + i);
	assert_string_equal(l.kinds[19], "k50");
	/* The page before the first one seen: 11..30. */
	l.n = 0;
	assert_int_equal(ctl_store_events_newest(st, 31, 20, ev_cb, &l,
						 &total), 0);
	assert_int_equal(l.n, 20);
	assert_int_equal(l.ids[0], 11);
	assert_int_equal(l.ids[19], 30);
	/* The last, short page: 1..10; then nothing before 1. */
	l.n = 0;
	assert_int_equal(ctl_store_events_newest(st, 11, 20, ev_cb, &l, NULL),
			 0);
	assert_int_equal(l.n, 10);
	assert_int_equal(l.ids[0], 1);
	assert_int_equal(l.ids[9], 10);
	l.n = 0;
	assert_int_equal(ctl_store_events_newest(st, 1, 20, ev_cb, &l,
						 &total), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(total, 50);
	/* A before past the newest, a limit past the events: all of them;
	 * the newest 3 before 10. */
	assert_int_equal(ctl_store_events_newest(st, 1000, 64, ev_cb, &l,
						 NULL), 0);
	assert_int_equal(l.n, 50);
	assert_int_equal(l.ids[0], 1);
	assert_int_equal(l.ids[49], 50);
	l.n = 0;
	assert_int_equal(ctl_store_events_newest(st, 10, 3, ev_cb, &l, NULL),
			 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.ids[0], 7);
	assert_int_equal(l.ids[2], 9);
	/* One more: the next page of the newest starts at it. */
	assert_int_equal(ctl_store_event_add(st, 51, "k51", NULL, NULL, NULL,
					     &id), 0);
	l.n = 0;
	assert_int_equal(ctl_store_events_newest(st, 0, 2, ev_cb, &l, &total),
			 0);
	assert_int_equal(total, 51);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ids[0], 50);
	assert_int_equal(l.ids[1], 51);
	/* Refused: no callback, an id past what SQLite holds. */
	assert_int_equal(ctl_store_events_newest(st, 0, 2, NULL, NULL, NULL),
			 -EINVAL);
	assert_int_equal(ctl_store_events_newest(st, (uint64_t)INT64_MAX + 1,
						 2, ev_cb, &l, NULL), -EINVAL);
	ctl_store_close(st);
}

struct qlist {
	uint8_t macs[4][6];
	char reasons[4][64];
	uint64_t since[4];
	size_t n;
};

static int
q_cb(const struct ctl_store_quarantine *q, void *arg)
{
	struct qlist *l = arg;

	assert_true(l->n < 4);
	memcpy(l->macs[l->n], q->mac, 6);
	snprintf(l->reasons[l->n], 64, "%s", q->reason);
	l->since[l->n] = q->since_ms;
	l->n++;
	return 0;
}

static void
test_quarantine(void **state)
{
	const uint8_t m1[6] = { 0xaa, 0, 0, 0, 0, 1 };
	const uint8_t m2[6] = { 0xaa, 0, 0, 0, 0, 2 };
	struct qlist q = { .n = 0 };
	struct evlist ev = { .n = 0 };
	struct ctl_store *st;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_quarantine_get(st, m1, q_cb, &q), -ENOENT);
	assert_int_equal(ctl_store_quarantine_add(st, m1,
			 "scans \"everything\"", "alice", 1000), 0);
	assert_int_equal(ctl_store_quarantine_add(st, m2, "c2 beacon", "ids",
						  2000), 0);
	assert_int_equal(ctl_store_quarantine_add(st, m1, "again", "bob",
						  3000), -EEXIST);
	assert_int_equal(ctl_store_quarantine_get(st, m1, q_cb, &q), 0);
	assert_int_equal(q.n, 1);
	assert_string_equal(q.reasons[0], "scans \"everything\"");
	assert_int_equal(q.since[0], 1000);
	ctl_store_close(st);

	/* Durable. */
	st = open_ok();
	q.n = 0;
	assert_int_equal(ctl_store_quarantine_list(st, q_cb, &q), 0);
	assert_int_equal(q.n, 2);
	assert_memory_equal(q.macs[0], m1, 6);
	assert_memory_equal(q.macs[1], m2, 6);
	assert_int_equal(ctl_store_quarantine_del(st, m1, "alice", 4000), 0);
	assert_int_equal(ctl_store_quarantine_del(st, m1, "alice", 4000),
			 -ENOENT);
	q.n = 0;
	assert_int_equal(ctl_store_quarantine_list(st, q_cb, &q), 0);
	assert_int_equal(q.n, 1);
	assert_memory_equal(q.macs[0], m2, 6);

	/* One event per change, with the reason JSON-escaped. */
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &ev), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.kinds[0], CTL_STORE_EV_QUARANTINE);
	assert_string_equal(ev.kinds[1], CTL_STORE_EV_QUARANTINE);
	assert_string_equal(ev.kinds[2], CTL_STORE_EV_RELEASE);
	assert_string_equal(ev.details[0],
			    "{\"mac\":\"aa:00:00:00:00:01\",\"reason\":"
			    "\"scans \\\"everything\\\"\",\"by\":\"alice\"}");
	assert_true(ev.has_mac[2]);
	assert_memory_equal(ev.macs[2], m1, 6);
	ctl_store_close(st);
}

struct alist {
	uint64_t ids[8], versions[8], seqs[8];
	char detectors[8][32];
	uint8_t payload[8][8];
	size_t n;
};

static int
a_cb(const struct ctl_store_alert *a, void *arg)
{
	struct alist *l = arg;

	assert_true(l->n < 8);
	l->ids[l->n] = a->id;
	l->versions[l->n] = a->policy_version;
	l->seqs[l->n] = a->seq;
	snprintf(l->detectors[l->n], 32, "%s", a->detector);
	assert_int_equal(a->payload_len, 3);
	memcpy(l->payload[l->n], a->payload, 3);
	l->n++;
	return 0;
}

static void
test_alerts(void **state)
{
	const uint8_t m1[6] = { 0xaa, 0, 0, 0, 0, 1 };
	const uint8_t m2[6] = { 0xaa, 0, 0, 0, 0, 2 };
	struct ctl_store_alert a = {
		.received_ms = 1000, .dataplane_id = "dp1", .boot = 77,
		.seq = 1, .detector = "scan_vertical", .action = "quarantine",
		.payload = "\x01\x02\x03", .payload_len = 3,
	};
	struct alist l = { .n = 0 };
	struct evlist ev = { .n = 0 };
	struct ctl_store *st;
	uint64_t id1, id2, id, total;

	(void)state;
	st = open_ok();
	memcpy(a.mac, m1, 6);
	assert_int_equal(ctl_store_alert_add(st, &a, "{\"detector\":\"x\"}",
					     &id1), 0);
	/* The same alert again (a resend): its id, nothing written. */
	a.received_ms = 1500;
	assert_int_equal(ctl_store_alert_add(st, &a, "{}", &id), -EEXIST);
	assert_int_equal(id, id1);
	a.seq = 2;
	a.detector = "bruteforce";
	memcpy(a.mac, m2, 6);
	assert_int_equal(ctl_store_alert_add(st, &a, "{}", &id2), 0);
	assert_true(id2 > id1);
	/* Another boot of the dataplane: the same seq is another alert. */
	a.boot = 78;
	assert_int_equal(ctl_store_alert_add(st, &a, "{}", &id), 0);
	assert_int_equal(ctl_store_alert_set_version(st, id1, 5), 0);
	a.detector = "";
	assert_int_equal(ctl_store_alert_add(st, &a, "{}", &id), -EINVAL);
	ctl_store_close(st);

	/* Durable, in order, by device. */
	st = open_ok();
	assert_int_equal(ctl_store_alerts(st, 0, 0, NULL, a_cb, &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.ids[0], id1);
	assert_int_equal(l.versions[0], 5);
	assert_int_equal(l.versions[1], 0);
	assert_string_equal(l.detectors[1], "bruteforce");
	assert_memory_equal(l.payload[0], "\x01\x02\x03", 3);
	l.n = 0;
	assert_int_equal(ctl_store_alerts(st, id1, 1, NULL, a_cb, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ids[0], id2);
	l.n = 0;
	assert_int_equal(ctl_store_alerts(st, 0, 0, m2, a_cb, &l), 0);
	assert_int_equal(l.n, 2);
	/* The newest page, oldest first, and how many in all; of a device,
	 * its own count; before an id, those older. */
	l.n = 0;
	total = 0;
	assert_int_equal(ctl_store_alerts_newest(st, 0, 2, NULL, a_cb, &l,
						 &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ids[0], id2);
	assert_true(l.ids[1] > id2);
	l.n = 0;
	assert_int_equal(ctl_store_alerts_newest(st, 0, 0, m1, a_cb, &l,
						 &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ids[0], id1);
	l.n = 0;
	assert_int_equal(ctl_store_alerts_newest(st, id2 + 1, 1, m2, a_cb, &l,
						 &total), 0);
	assert_int_equal(total, 2);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ids[0], id2);
	l.n = 0;
	assert_int_equal(ctl_store_alerts_newest(st, id1, 0, NULL, a_cb, &l,
						 NULL), 0);
	assert_int_equal(l.n, 0);
	/* One event an alert stored. */
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &ev), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.kinds[0], CTL_STORE_EV_ALERT);
	assert_string_equal(ev.dp[0], "dp1");
	assert_memory_equal(ev.macs[0], m1, 6);
	ctl_store_close(st);
}

/* --- Retention ------------------------------------------------------- */

/* A device of mac[5] = i, listed (or, with listed 0, last seen) at ms. */
static void
ret_device(struct ctl_store *st, uint8_t i, uint64_t last, uint64_t listed)
{
	struct ctl_store_device d = {
		.mac = { 2, 0, 0, 0, 0, i }, .first_seen_ms = 1,
		.last_seen_ms = last, .listed_ms = listed,
		.dataplane_id = "gw0", .vendor = "", .type = "", .os = "",
		.model = "", .hostname = "", .mud_url = "",
	};

	assert_int_equal(ctl_store_device_upsert(st, &d), 0);
}

static int64_t
ret_count(const char *table)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return raw_int(db_path, sql);
}

/*
 * ctl_store_*_prune(): the oldest first, max at a time; a device stays
 * while anything an operator or detector did names it, and its envelope
 * goes with it; a quarantined device's alerts stay.
 */
static void
test_retention(void **state)
{
	const uint8_t m[8][6] = {
		{ 2, 0, 0, 0, 0, 0 }, { 2, 0, 0, 0, 0, 1 },
		{ 2, 0, 0, 0, 0, 2 }, { 2, 0, 0, 0, 0, 3 },
		{ 2, 0, 0, 0, 0, 4 }, { 2, 0, 0, 0, 0, 5 },
		{ 2, 0, 0, 0, 0, 6 }, { 2, 0, 0, 0, 0, 7 },
	};
	struct ctl_store_mud mud = {
		.mud_url = "https://a.example/x", .file = "abc", .file_len = 3,
		.source = "cli", .imported_ms = 1, .by = "t",
	};
	struct ctl_store_consent c = {
		.dst = "api.example.com", .proto = 6, .dst_port = 443,
		.prompt = 1, .created_ms = 1, .by = "t",
	};
	struct ctl_store_envelope e = {
		.dataplane_id = "gw0", .stored_ms = 1, .data = "x", .len = 1,
	};
	struct ctl_store_alert a = {
		.dataplane_id = "gw0", .boot = 1, .detector = "scan_vertical",
		.action = "alert", .payload = "abc", .payload_len = 3,
	};
	struct devs l = { .n = 0 };
	uint64_t n, env, id;
	struct ctl_store *st;

	(void)state;
	st = open_ok();
	/* 0..5 listed until 1000 (last seen then), 6 until 5000. */
	for (uint8_t i = 0; i < 6; i++)
		ret_device(st, i, 1000, 0);
	ret_device(st, 6, 1000, 5000);
	/* What holds 0..3: a quarantine, a segment, a MUD file, a consent. */
	assert_int_equal(ctl_store_quarantine_add(st, m[0], "r", "t", 10), 0);
	assert_int_equal(ctl_store_segment_set(st, m[1], 0, "iot", "t", 10),
			 0);
	memcpy(mud.mac, m[2], 6);
	assert_int_equal(ctl_store_mud_put(st, &mud), 0);
	memcpy(c.mac, m[3], 6);
	assert_int_equal(ctl_store_consent_add(st, &c, &id), 0);
	for (uint8_t i = 4; i < 7; i++) {
		memcpy(e.mac, m[i], 6);
		assert_int_equal(ctl_store_envelope_put(st, &e), 0);
	}
	/* One at a time, oldest first (4 before 5); 6 is listed later. */
	assert_int_equal(ctl_store_device_prune(st, 2000, 1, &n, &env), 0);
	assert_int_equal(n, 1);
	assert_int_equal(env, 1);
	assert_int_equal(ctl_store_device_get(st, m[4], 0, dev_cb, &l),
			 -ENOENT);
	assert_int_equal(ctl_store_device_prune(st, 2000, 10, &n, &env), 0);
	assert_int_equal(n, 1);
	assert_int_equal(env, 1);
	assert_int_equal(ctl_store_device_prune(st, 2000, 10, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ret_count("device"), 5);
	assert_int_equal(ret_count("envelope"), 1);
	/* listed_ms only grows: 6 listed at 3000 stays at 5000. */
	ret_device(st, 6, 1000, 3000);
	assert_int_equal(raw_int(db_path, "SELECT listed_ms FROM device "
				 "WHERE mac = x'020000000006'"), 5000);
	/* Released, 0 goes; 7 (listed 0: last seen 1500) too; 6 then. */
	ret_device(st, 7, 1500, 0);
	assert_int_equal(ctl_store_quarantine_del(st, m[0], "t", 20), 0);
	assert_int_equal(ctl_store_device_prune(st, 2000, 10, &n, &env), 0);
	assert_int_equal(n, 2);
	assert_int_equal(env, 0);
	assert_int_equal(ctl_store_device_prune(st, 6000, 10, &n, &env), 0);
	assert_int_equal(n, 1);
	assert_int_equal(env, 1);
	assert_int_equal(ret_count("device"), 3);	/* 1, 2, 3 */
	assert_int_equal(ret_count("envelope"), 0);

	/* Alerts: 5's old one goes; 0's stay while it is quarantined. */
	assert_int_equal(ctl_store_quarantine_add(st, m[0], "r", "t", 30), 0);
	for (uint64_t seq = 1; seq <= 3; seq++) {
		a.seq = seq;
		a.received_ms = seq == 3 ? 9000 : 100 * seq;
		memcpy(a.mac, m[seq == 1 ? 0 : 5], 6);
		assert_int_equal(ctl_store_alert_add(st, &a, "{}", &id), 0);
	}
	assert_int_equal(ctl_store_alert_prune(st, 5000, 10, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ret_count("alert"), 2);
	assert_int_equal(ctl_store_quarantine_del(st, m[0], "t", 40), 0);
	assert_int_equal(ctl_store_alert_prune(st, 5000, 10, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ret_count("alert"), 1);

	/* Events: by their time, max at a time. Those above were written
	 * at 1..100 (quarantines, segment, consent) or as the alerts. */
	assert_int_equal(ctl_store_event_add(st, 8000, "test", "", NULL, NULL,
					     &id), 0);
	n = (uint64_t)raw_int(db_path, "SELECT count(*) FROM event "
			      "WHERE time_ms < 5000");
	assert_true(n > 3);
	assert_int_equal(ctl_store_event_prune(st, 5000, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ctl_store_event_prune(st, 5000, 1000, NULL), 0);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM event "
				 "WHERE time_ms < 5000"), 0);
	assert_true(ret_count("event") >= 2);	/* 8000, and 9000's alert */

	/* Bad calls change nothing. */
	assert_int_equal(ctl_store_event_prune(st, 9000, 0, &n), -EINVAL);
	assert_int_equal(ctl_store_alert_prune(st, (uint64_t)INT64_MAX + 1,
					       1, &n), -EINVAL);
	assert_int_equal(ctl_store_device_prune(st, 9000, 0, &n, &env),
			 -EINVAL);
	assert_int_equal(ret_count("device"), 3);
	assert_int_equal(ctl_store_check(st), 0);
	ctl_store_close(st);
}

/* --- Reports --------------------------------------------------------- */

/*
 * The page cache stays under its cap while the file grows well past it
 * (SQLite's default cap is about twice this one), and the WAL is cut back
 * after its checkpoints: what a soak sees as cordond's flat memory.
 */
static void
test_store_bounded(void **state)
{
	struct ctl_store_mem m;
	struct ctl_store *st;
	char wal[160];
	static uint8_t payload[16384];
	struct stat sb;
	uint64_t acked, peak = 0;

	(void)state;
	st = open_ok();
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 131 + 7);
	/* 160 reports of 16 KiB: a 2.5 MiB store, past SQLite's default
	 * cache too (each is a commit, fsynced: few and large). */
	for (uint64_t s = 1; s <= 160; s++) {
		payload[0] = (uint8_t)s;
		assert_int_equal(ctl_store_report_ingest(st, "gw0", 1, s,
							 payload,
							 sizeof(payload),
							 &acked), 0);
		assert_int_equal(ctl_store_memory(st, &m), 0);
		if (m.cache_used > peak)
			peak = m.cache_used;
	}
	assert_int_equal(stat(db_path, &sb), 0);
	print_message("store %lld KiB, page cache peak %" PRIu64 " KiB "
		      "(cap %" PRIu64 " KiB)\n", (long long)sb.st_size / 1024,
		      peak / 1024, m.cache_max / 1024);
	assert_true(m.cache_max == CTL_STORE_CACHE_KIB * 1024ull);
	/* The cap counts pages; SQLite's per-page overhead comes on top. */
	assert_true(peak <= m.cache_max + m.cache_max / 4);
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	assert_int_equal(stat(wal, &sb), 0);
	print_message("WAL %lld KiB\n", (long long)sb.st_size / 1024);
	assert_true(sb.st_size <= 5 * 1024 * 1024);
	ctl_store_close(st);
}

/* One ctl_store_report_ingest() and what it must answer; acked is checked
 * unless ANY. */
struct ingest_step {
	const char *dp;
	uint64_t boot, seq;
	const char *payload;
	size_t len;
	int rc;
	uint64_t acked;
};

#define ANY UINT64_MAX

static void
ingest_steps(struct ctl_store *st, const struct ingest_step *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t acked = ANY;

		print_message("ingest %s boot %" PRIu64 " seq %" PRIu64 "\n",
			      v[i].dp, v[i].boot, v[i].seq);
		assert_int_equal(ctl_store_report_ingest(st, v[i].dp,
							 v[i].boot, v[i].seq,
							 v[i].payload,
							 v[i].len, &acked),
				 v[i].rc);
		if (v[i].acked != ANY)
			assert_int_equal(acked, v[i].acked);
	}
}

#define INGEST(st, v) ingest_steps((st), (v), sizeof(v) / sizeof((v)[0]))

static const struct ingest_step reports_first[] = {
	{ "gw0", 77, 1, "r", 1, 0, 1 },
	{ "gw0", 77, 2, "r", 1, 0, 2 },
	{ "gw0", 77, 3, "r", 1, 0, 3 },
	/* Retransmissions: acknowledged with the mark, not stored. */
	{ "gw0", 77, 2, "r", 1, 1, 3 },
	{ "gw0", 77, 3, "r", 1, 1, 3 },
	/* A jump ahead is stored; what it skipped counts as a gap, and a
	 * late arrival below the mark is a duplicate. */
	{ "gw0", 77, 6, "r6", 2, 0, 6 },
	{ "gw0", 77, 5, "r5", 2, 1, 6 },
	/* Another boot of the same dataplane, and another dataplane. */
	{ "gw0", 78, 1, "n", 1, 0, 1 },
	{ "gw1", 77, 1, "o", 1, 0, ANY },
	/* seq 0 and empty payloads are fine the first time. */
	{ "gw2", 1, 0, NULL, 0, 0, 0 },
	{ "gw2", 1, 0, NULL, 0, 1, ANY },
};

/* Bad arguments store nothing. */
static const struct ingest_step reports_bad[] = {
	{ "", 1, 1, "x", 1, -EINVAL, ANY },
	{ "gw0", 1, UINT64_MAX, "x", 1, -EINVAL, ANY },
	{ "gw0", 1, 1, NULL, 3, -EINVAL, ANY },
};

/* After pruning, the marks are kept: old seqs stay duplicates. */
static const struct ingest_step reports_pruned[] = {
	{ "gw0", 77, 6, "r", 1, 1, 6 },
	{ "gw0", 77, 7, "r", 1, 0, ANY },
};

/*
 * Group commit: reports_first and a bad one in one transaction come out
 * as one at a time, the bad one refused alone; a batch one of whose
 * reports the database refuses stores none of them.
 */
static void
test_reports_batch(void **state)
{
	const size_t n = sizeof(reports_first) / sizeof(reports_first[0]);
	struct ctl_store_report_in in[16];
	struct ctl_store_report_counts c;
	struct ctl_store *st;
	uint64_t mark;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_report_ingest_batch(st, NULL, 0), 0);
	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < n; i++) {
		in[i].dataplane_id = reports_first[i].dp;
		in[i].boot = reports_first[i].boot;
		in[i].seq = reports_first[i].seq;
		in[i].payload = reports_first[i].payload;
		in[i].len = reports_first[i].len;
	}
	in[n] = (struct ctl_store_report_in){ .dataplane_id = "", .seq = 1 };
	assert_int_equal(ctl_store_report_ingest_batch(st, in, n + 1), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(in[i].rc, reports_first[i].rc);
		if (reports_first[i].acked != ANY)
			assert_int_equal(in[i].acked_seq,
					 reports_first[i].acked);
	}
	assert_int_equal(in[n].rc, -EINVAL);
	assert_int_equal(ctl_store_report_counts(st, "gw0", 77, &c), 0);
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.duplicates, 3);
	assert_int_equal(c.gaps, 2);

	/* The database fails on seq 666 (an error, not a constraint): the
	 * batch is rolled back whole. */
	raw_exec(db_path, "CREATE TRIGGER boom BEFORE INSERT ON report "
		 "WHEN NEW.seq = 666 BEGIN "
		 "SELECT abs(-9223372036854775808); END");
	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < 3; i++) {
		in[i].dataplane_id = "gw9";
		in[i].boot = 1;
		in[i].seq = 665 + i;
		in[i].payload = "r";
		in[i].len = 1;
	}
	assert_int_equal(ctl_store_report_ingest_batch(st, in, 3), -EIO);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(in[i].rc, -EIO);
	assert_int_equal(ctl_store_report_mark(st, "gw9", 1, &mark), -ENOENT);
	assert_int_equal(ctl_store_report_counts(st, "gw9", 1, &c), 0);
	assert_int_equal(c.rows, 0);
	/* It refuses seq 666 (a constraint): that one alone, for good. */
	raw_exec(db_path, "DROP TRIGGER boom; CREATE TRIGGER boom BEFORE "
		 "INSERT ON report WHEN NEW.seq = 666 BEGIN "
		 "SELECT RAISE(ABORT, 'boom'); END");
	assert_int_equal(ctl_store_report_ingest_batch(st, in, 3), 0);
	assert_int_equal(in[0].rc, 0);
	assert_int_equal(in[1].rc, -EINVAL);
	assert_int_equal(in[2].rc, 0);
	assert_int_equal(in[2].acked_seq, 667);
	assert_int_equal(ctl_store_report_counts(st, "gw9", 1, &c), 0);
	assert_int_equal(c.rows, 2);
	ctl_store_close(st);
}

static void
test_reports(void **state)
{
	struct ctl_store_report_counts c;
	struct ctl_store *st;
	uint64_t mark, deleted;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_report_mark(st, "gw0", 77, &mark), -ENOENT);
	INGEST(st, reports_first);

	assert_int_equal(ctl_store_report_counts(st, "gw0", 77, &c), 0);
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.distinct_seqs, 4);
	assert_int_equal(c.min_seq, 1);
	assert_int_equal(c.max_seq, 6);
	assert_int_equal(c.duplicates, 3);
	assert_int_equal(c.gaps, 2);
	assert_int_equal(ctl_store_report_counts(st, "gw0", 78, &c), 0);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.duplicates, 0);
	assert_int_equal(ctl_store_report_counts(st, "nobody", 1, &c), 0);
	assert_int_equal(c.rows, 0);
	assert_int_equal(ctl_store_report_mark(st, "gw0", 77, &mark), 0);
	assert_int_equal(mark, 6);

	INGEST(st, reports_bad);

	/* Pruning keeps the marks: old seqs stay duplicates. In batches:
	 * at most max go, and the last says there is no more. */
	assert_int_equal(ctl_store_report_prune(st, (uint64_t)time(NULL) *
						1000 + 60000, 0, &deleted),
			 -EINVAL);
	assert_int_equal(ctl_store_report_prune(st, 1, 5, &deleted), 0);
	assert_int_equal(deleted, 0);
	assert_int_equal(ctl_store_report_prune(st, (uint64_t)time(NULL) *
						1000 + 60000, 5, &deleted), 0);
	assert_int_equal(deleted, 5);
	assert_int_equal(ctl_store_report_prune(st, (uint64_t)time(NULL) *
						1000 + 60000, 5, &deleted), 0);
	assert_int_equal(deleted, 2);
	INGEST(st, reports_pruned);
	assert_int_equal(ctl_store_report_counts(st, "gw0", 77, &c), 0);
	assert_int_equal(c.rows, 1);
	ctl_store_close(st);
}

/* --- Schema versions and bad files ----------------------------------- */

/* A script of tests/data/store/ run on the database file itself. */
static void
raw_exec_file(const char *db, const char *name)
{
	char path[4096], err[256], *sql;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/data/store/%s", test_src_root,
		 name);
	assert_int_equal(util_file_read(path, 1 << 20, &sql, &len, err,
					sizeof(err)), 0);
	raw_exec(db, sql);
	free(sql);
}

static void
test_migration_from_v1(void **state)
{
	struct ctl_store_policy g;
	struct ctl_store *st;
	struct devs l = { .n = 0 };
	struct qlist q = { .n = 0 };
	struct evlist ev = { .n = 0 };
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	uint64_t acked, v;

	(void)state;
	/* Schema 1 exactly as shipped, with some data in it. */
	raw_exec_file(db_path, "schema-v1.sql");
	assert_int_equal(raw_int(db_path, "PRAGMA user_version"), 1);
	st = open_ok();
	assert_int_equal(ctl_store_schema_version(st),
			 CTL_STORE_SCHEMA_VERSION);
	/* The file as it was is kept before the migration. */
	{
		char bak[192];

		snprintf(bak, sizeof(bak), "%s.schema1.bak", db_path);
		assert_int_equal(raw_int(bak, "PRAGMA user_version"), 1);
		unlink(bak);
	}
	assert_int_equal(ctl_store_schema_version(st), CTL_STORE_SCHEMA_VERSION);
	assert_int_equal(ctl_store_schema_version(st),
			 CTL_STORE_SCHEMA_VERSION);
	assert_int_equal(ctl_store_policy_get(st, 1, &g), 0);
	assert_string_equal(g.source, "src: 1");
	assert_string_equal(g.comment, "old");
	assert_int_equal(g.rollback_of, 0);
	assert_int_equal(g.compiled_len, 2);
	ctl_store_policy_free(&g);
	/* Schema 11: the two versions' one source stored once. */
	assert_int_equal(ctl_store_policy_get(st, 2, &g), 0);
	assert_string_equal(g.source, "src: 1");
	ctl_store_policy_free(&g);
	assert_int_equal(ctl_store_policy_get(st, 3, &g), 0);
	assert_null(g.source);
	ctl_store_policy_free(&g);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM "
				 "policy_source"), 1);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM policy WHERE "
				 "source = '' AND source_id IS NOT NULL"), 2);
	assert_int_equal(ctl_store_device_get(st, mac, 0, dev_cb, &l), 0);
	assert_string_equal(l.d[0].vendor, "Acme");
	assert_string_equal(l.d[0].mud_url, "");	/* schema 3's default */
	/* Schema 9: listed until it was last seen. */
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM device WHERE "
				 "listed_ms = last_seen_ms AND listed_ms > 0"),
			 1);
	assert_int_equal(ctl_store_quarantine_list(st, q_cb, &q), 0);
	assert_int_equal(q.n, 1);
	/* What schema 2 added works, and event ids go on. */
	assert_int_equal(ctl_store_report_ingest(st, "gw0", 1, 1, "r", 1,
						 &acked), 0);
	assert_int_equal(ctl_store_policy_rollback(st, 1, NULL, "x", 9, &v),
			 0);
	assert_int_equal(v, 4);
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &ev), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.ids[1], 2);
	assert_int_equal(ctl_store_check(st), 0);
	ctl_store_close(st);
	assert_int_equal(raw_int(db_path, "PRAGMA user_version"),
			 CTL_STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM mud_binding"),
			 0);
	assert_int_equal(raw_int(db_path,
				 "SELECT count(*) FROM segment_override"), 0);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM alert"), 0);
}

static void
test_newer_schema_refused(void **state)
{
	struct ctl_store *st = (void *)1;
	char err[256];

	(void)state;
	raw_exec(db_path, "PRAGMA application_id = 1128549956;"
		 "CREATE TABLE future (x);PRAGMA user_version = 99;");
	assert_int_equal(ctl_store_open(db_path, &st, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_null(st);
	assert_non_null(strstr(err, "schema version 99"));
	/* Untouched. */
	assert_int_equal(raw_int(db_path, "PRAGMA user_version"), 99);
}

static void
test_bad_files(void **state)
{
	struct ctl_store *st = NULL;
	char err[256], path[160];
	uint8_t junk[8192];
	FILE *f;
	int fd;

	(void)state;
	/* Garbage. */
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 131 + 7);
	f = fopen(db_path, "w");
	fwrite(junk, 1, sizeof(junk), f);
	fclose(f);
	assert_int_equal(ctl_store_open(db_path, &st, err, sizeof(err)),
			 -EBADMSG);
	assert_null(st);
	assert_non_null(strstr(err, "not a cordond database"));
	print_message("garbage file: %s\n", err);

	/* Someone else's SQLite database. */
	snprintf(path, sizeof(path), "%s/other.db", test_dir);
	raw_exec(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
	assert_int_equal(ctl_store_open(path, &st, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "not cordond's"));

	/* A directory, and a path that cannot exist. */
	assert_true(ctl_store_open(test_dir, &st, err, sizeof(err)) < 0);
	assert_null(st);
	snprintf(path, sizeof(path), "%s/no/such/dir/x.db", test_dir);
	assert_true(ctl_store_open(path, &st, err, sizeof(err)) < 0);

	/* An empty file is a new database. */
	snprintf(path, sizeof(path), "%s/empty.db", test_dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(ctl_store_open(path, &st, err, sizeof(err)), 0);
	ctl_store_close(st);
}

static int
count_cb(const struct ctl_store_event *e, void *arg)
{
	(void)e;
	(*(size_t *)arg)++;
	return 0;
}

/* A valid store with its pages overwritten: refused or reported, and every
 * call fails cleanly. */
static void
test_corrupt_pages(void **state)
{
	struct ctl_store *st;
	char err[256], big[200];
	uint8_t junk[4096];
	size_t n = 0;
	int fd, ret, failures = 0;
	uint64_t acked;

	(void)state;
	st = open_ok();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 400; i++) {
		char detail[256];

		snprintf(detail, sizeof(detail), "{\"pad\": \"%s\"}", big);
		assert_int_equal(ctl_store_event_add(st, (uint64_t)i, "e",
						     "gw0", NULL, detail,
						     NULL), 0);
	}
	ctl_store_close(st);	/* checkpoints the WAL into the file */
	assert_int_equal(raw_int(db_path, "PRAGMA page_count") > 10, 1);

	memset(junk, 0xa5, sizeof(junk));
	fd = open(db_path, O_WRONLY);
	assert_true(fd >= 0);
	/* Leave the header page, smash pages 3..8. */
	for (off_t off = 2 * 4096; off < 8 * 4096; off += 4096)
		assert_int_equal(pwrite(fd, junk, sizeof(junk), off),
				 sizeof(junk));
	close(fd);

	ret = ctl_store_open(db_path, &st, err, sizeof(err));
	if (ret < 0) {
		assert_int_equal(ret, -EBADMSG);
		print_message("corrupt pages: open refused: %s\n", err);
		return;
	}
	failures += ctl_store_check(st) == -EBADMSG;
	print_message("corrupt pages: check: %s\n", ctl_store_errmsg(st));
	failures += ctl_store_events(st, 0, 0, count_cb, &n) < 0;
	failures += ctl_store_event_add(st, 1, "e", NULL, NULL, NULL,
					NULL) < 0;
	failures += ctl_store_report_ingest(st, "gw0", 1, 1, "x", 1,
					    &acked) < 0;
	assert_true(failures >= 2);	/* check and the event scan */
	ctl_store_close(st);
}

/*
 * An online backup while the store is open: 0600, a whole sound database
 * (ctl_store_verify_file()), with what was committed; a corrupted copy of
 * it is refused by the same check (issue 11).
 */
static void
test_backup(void **state)
{
	struct ctl_store *st, *b;
	char bak[192], bad[200], err[256];
	uint8_t junk[4096];
	struct stat sb;
	size_t n = 0;
	int fd;

	(void)state;
	st = open_ok();
	for (int i = 0; i < 300; i++)
		assert_int_equal(ctl_store_event_add(st, (uint64_t)i, "e",
						     "gw0", NULL, NULL, NULL),
				 0);
	snprintf(bak, sizeof(bak), "%s.bak", db_path);
	assert_int_equal(ctl_store_backup(st, bak, err, sizeof(err)), 0);
	assert_int_equal(stat(bak, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(ctl_store_verify_file(bak, err, sizeof(err)), 0);
	assert_int_equal(ctl_store_open(bak, &b, err, sizeof(err)), 0);
	assert_int_equal(ctl_store_events(b, 0, 0, count_cb, &n), 0);
	assert_int_equal(n, 300);
	ctl_store_close(b);
	/* A backup to a directory that is not there fails, and says so. */
	assert_true(ctl_store_backup(st, "/nonexistent/dir/x.db", err,
				     sizeof(err)) < 0);
	assert_non_null(strstr(err, "/nonexistent"));
	ctl_store_close(st);

	snprintf(bad, sizeof(bad), "%s.bad", db_path);
	assert_int_equal(ctl_store_verify_file(db_path, err, sizeof(err)), 0);
	memset(junk, 0x5a, sizeof(junk));
	fd = open(bak, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 3 * 4096),
			 sizeof(junk));
	close(fd);
	assert_int_equal(ctl_store_verify_file(bak, err, sizeof(err)),
			 -EBADMSG);
	print_message("corrupt backup: %s\n", err);
	assert_true(ctl_store_verify_file(bad, err, sizeof(err)) < 0);
	unlink(bak);
}

/* --- Durability across SIGKILL --------------------------------------- */

#define KILL_RUNS 20
#define DP_ID "gw-durable"
#define DP_BOOT 4242

/*
 * The child is cordond: it ingests reports from seq `next` on, first
 * re-sending next - 1 (the dataplane retransmits what it has no ack for),
 * and after each commit "acknowledges" by writing the acked seq to the
 * pipe. The parent is the dataplane: it believes only acks it received.
 */
static void __attribute__((noreturn))
child_ingest(int wfd, uint64_t next)
{
	struct ctl_store *st;
	char payload[64];
	uint64_t acked;
	int ret;

	if (ctl_store_open(db_path, &st, NULL, 0) < 0)
		_exit(2);
	for (uint64_t seq = next > 1 ? next - 1 : next;; seq++) {
		int n = snprintf(payload, sizeof(payload), "report %" PRIu64,
				 seq);

		ret = ctl_store_report_ingest(st, DP_ID, DP_BOOT, seq,
					      payload, (size_t)n, &acked);
		if (ret < 0)
			_exit(3);
		if (write(wfd, &acked, sizeof(acked)) != sizeof(acked))
			_exit(4);
	}
}

static void
test_kill_durability(void **state)
{
	struct ctl_store_report_counts c;
	uint64_t last_acked = 0, total_acks = 0, mark;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	unsigned extra = 0;
	struct ctl_store *st;
	sqlite3_stmt *s;
	sqlite3 *db;

	(void)state;
	/* Create the schema before the first child can be killed. */
	st = open_ok();
	ctl_store_close(st);
	srand(seed);
	for (int run = 0; run < KILL_RUNS; run++) {
		int fds[2], status;
		uint64_t a, run_last = last_acked;
		pid_t pid;
		struct timespec ts;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			child_ingest(fds[1], last_acked + 1);
		}
		close(fds[1]);
		/* Every other run, the kill comes after the first ack: on a
		 * busy machine a child may get nowhere in the random window,
		 * and the runs must get somewhere (checked at the end). */
		while (run % 2 == 0 &&
		       read(fds[0], &a, sizeof(a)) == sizeof(a)) {
			assert_true(a >= run_last);
			run_last = a;
			total_acks++;
			if (a > last_acked)
				break;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(10 + rand() % 190) * 1000000L;
		nanosleep(&ts, NULL);
		assert_int_equal(kill(pid, SIGKILL), 0);
		while (read(fds[0], &a, sizeof(a)) == sizeof(a)) {
			/* Acks never go backwards. */
			assert_true(a >= run_last);
			run_last = a;
			total_acks++;
		}
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGKILL);

		st = open_ok();
		assert_int_equal(ctl_store_report_counts(st, DP_ID, DP_BOOT,
							 &c), 0);
		/* Every acked report is there... */
		assert_true(c.max_seq >= run_last);
		/* ...at most one more (committed, killed before the ack)... */
		assert_true(c.max_seq <= run_last + 1);
		extra += c.max_seq == run_last + 1;
		/* ...each exactly once, with no hole. */
		assert_int_equal(c.rows, c.distinct_seqs);
		if (c.rows > 0) {
			assert_int_equal(c.min_seq, 1);
			assert_int_equal(c.rows, c.max_seq);
			assert_int_equal(ctl_store_report_mark(st, DP_ID,
							       DP_BOOT, &mark),
					 0);
			assert_int_equal(mark, c.max_seq);
		}
		assert_int_equal(c.gaps, 0);
		assert_int_equal(ctl_store_check(st), 0);
		ctl_store_close(st);
		last_acked = run_last;
	}

	/* Behind the store's back: every payload matches its seq. */
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, payload FROM "
					    "report ORDER BY seq", -1, &s,
					    NULL), SQLITE_OK);
	for (uint64_t want = 1; sqlite3_step(s) == SQLITE_ROW; want++) {
		char expect[64];

		snprintf(expect, sizeof(expect), "report %" PRIu64, want);
		assert_int_equal(sqlite3_column_int64(s, 0), (int64_t)want);
		assert_int_equal(sqlite3_column_bytes(s, 1), strlen(expect));
		assert_memory_equal(sqlite3_column_blob(s, 1), expect,
				    strlen(expect));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);

	st = open_ok();
	assert_int_equal(ctl_store_report_counts(st, DP_ID, DP_BOOT, &c), 0);
	print_message("durability: %d SIGKILL runs (seed %u): last acked %"
		      PRIu64 ", stored %" PRIu64 " (distinct %" PRIu64
		      "), %" PRIu64 " acks received, %u runs killed between "
		      "commit and ack, %" PRIu64 " retransmissions refused, "
		      "0 lost, %" PRIu64 " duplicates stored\n", KILL_RUNS,
		      seed, last_acked, c.rows, c.distinct_seqs, total_acks,
		      extra, c.duplicates, c.rows - c.distinct_seqs);
	/* The runs got somewhere: at least the acks waited for. */
	assert_true(last_acked >= KILL_RUNS / 2);
	ctl_store_close(st);
}

/* A version of source src (NULL: a pushed compiled policy). */
static void
src_version(struct ctl_store *st, uint64_t v, const char *src)
{
	Cordon__Policy pol = CORDON__POLICY__INIT;
	struct ctl_store_policy p = { 0 };

	pol.default_segment = 1;
	p.compiled = test_pack(&pol.base, &p.compiled_len);
	p.version = v;
	p.created_ms = v;
	p.comment = "";
	p.applied_by = "t";
	p.source = (char *)src;
	assert_int_equal(ctl_store_policy_add(st, &p), 0);
	free(p.compiled);
}

static void
expect_source(struct ctl_store *st, uint64_t v, const char *src)
{
	struct ctl_store_policy g;

	assert_int_equal(ctl_store_policy_get(st, v, &g), 0);
	if (src == NULL)
		assert_null(g.source);
	else
		assert_string_equal(g.source, src);
	ctl_store_policy_free(&g);
}

/*
 * Each source is stored once, however many versions were compiled from
 * it (every quarantine recompiles the same one), and goes with the last
 * version that names it.
 */
static void
test_policy_sources(void **state)
{
	const size_t len = 1 << 20;
	struct ctl_store_space sp;
	struct ctl_store *st;
	char *a = malloc(len + 1), *b = malloc(len + 1);
	uint64_t n, v;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	memset(a, 'a', len);
	a[len] = '\0';
	memset(b, 'a', len);
	b[len - 1] = 'b';	/* one byte apart */
	b[len] = '\0';
	st = open_ok();
	for (v = 1; v <= 4; v++)
		src_version(st, v, a);
	src_version(st, 5, b);
	src_version(st, 6, NULL);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM "
				 "policy_source"), 2);
	assert_int_equal(ctl_store_space(st, &sp), 0);
	assert_true(sp.bytes < 3 * len);	/* not 5 */
	for (v = 1; v <= 4; v++)
		expect_source(st, v, a);
	expect_source(st, 5, b);
	expect_source(st, 6, NULL);
	/* A rollback to 5 names b again; nothing new stored. */
	assert_int_equal(ctl_store_policy_rollback(st, 5, NULL, "t", 7, &v),
			 0);
	assert_int_equal(v, 7);
	expect_source(st, 7, b);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM "
				 "policy_source"), 2);
	/* Keep 1 (7): a goes with 1-4, b stays for 7 though 5 is pruned. */
	assert_int_equal(ctl_store_policy_prune(st, 1, 100, 8, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM "
				 "policy_source"), 1);
	expect_source(st, 7, b);
	ctl_store_close(st);
	free(b);
	free(a);
}

/* Add versions from..to, each with a source of its own of len bytes. */
static void
space_versions(struct ctl_store *st, uint64_t from, uint64_t to, size_t len)
{
	Cordon__Policy pol = CORDON__POLICY__INIT;
	struct ctl_store_policy p = { 0 };
	char *src = malloc(len + 1);

	assert_non_null(src);
	memset(src, '#', len);
	src[len] = '\0';
	pol.default_segment = 1;
	p.compiled = test_pack(&pol.base, &p.compiled_len);
	p.comment = "";
	p.applied_by = "t";
	p.source = src;
	for (p.version = from; p.version <= to; p.version++) {
		/* Each its own source: they are stored once each. */
		src[0] = (char)('a' + p.version % 26);
		src[1] = (char)('a' + p.version / 26 % 26);
		p.created_ms = p.version;
		assert_int_equal(ctl_store_policy_add(st, &p), 0);
	}
	free(p.compiled);
	free(src);
}

/*
 * A new store gives the pages a prune frees back; one without auto_vacuum
 * (as every store before it) does not, until ctl_store_compact().
 */
static void
test_space(void **state)
{
	struct ctl_store_space sp, before, after;
	struct ctl_store *st;
	char err[256];
	sqlite3 *db;
	uint64_t n, bytes;
	int ret;

	(void)state;
	st = open_ok();
	assert_int_equal(ctl_store_space(st, &sp), 0);
	assert_true(sp.shrinks);
	assert_true(sp.page_size >= 512);
	/* 20 versions of 256 KiB: 5 MiB; the content of 19 pruned. */
	space_versions(st, 1, 20, 256 << 10);
	assert_int_equal(ctl_store_policy_prune(st, 1, 100, 1, &n), 0);
	assert_int_equal(n, 19);
	assert_int_equal(ctl_store_space(st, &before), 0);
	assert_true(before.bytes > 5u << 20);
	assert_true(before.free_bytes > 4u << 20);
	/* A batch at a time. */
	assert_int_equal(ctl_store_reclaim(st, 100, &bytes), 1);
	assert_int_equal(bytes, 100 * (uint64_t)before.page_size);
	while ((ret = ctl_store_reclaim(st, 1000, &bytes)) == 1)
		assert_true(bytes > 0);
	assert_int_equal(ret, 0);
	assert_int_equal(ctl_store_space(st, &after), 0);
	assert_int_equal(after.free_bytes, 0);
	assert_true(after.bytes < 1u << 20);
	/* The free pages, and pointer-map pages no longer needed. */
	assert_true(after.bytes <= before.bytes - before.free_bytes);
	assert_int_equal(ctl_store_file_space(db_path, &sp, err, sizeof(err)),
			 0);
	assert_int_equal(sp.bytes, after.bytes);
	assert_int_equal(ctl_store_reclaim(st, 0, &bytes), -EINVAL);
	ctl_store_close(st);

	/* A store from before auto_vacuum. */
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA auto_vacuum = NONE; VACUUM",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = open_ok();
	assert_int_equal(ctl_store_space(st, &sp), 0);
	assert_false(sp.shrinks);
	ctl_store_close(st);
	assert_int_equal(ctl_store_file_space(db_path, &sp, err, sizeof(err)),
			 0);
	assert_false(sp.shrinks);
	/* Its freed pages stay in the file. */
	st = open_ok();
	space_versions(st, 21, 30, 256 << 10);
	assert_int_equal(ctl_store_policy_prune(st, 1, 100, 1, &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(ctl_store_reclaim(st, 1000, &bytes), 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(ctl_store_space(st, &sp), 0);
	assert_true(sp.free_bytes > 2u << 20);
	/* Compacted: the free pages go, and from now on it shrinks. */
	assert_int_equal(ctl_store_compact(st, &before, &after), 0);
	assert_false(before.shrinks);
	assert_true(after.shrinks);
	assert_int_equal(before.bytes, sp.bytes);
	assert_int_equal(after.free_bytes, 0);
	assert_true(after.bytes < 1u << 20);
	ctl_store_close(st);
	assert_int_equal(ctl_store_file_space(db_path, &sp, err, sizeof(err)),
			 0);
	assert_true(sp.shrinks);
	assert_int_equal(ctl_store_file_space("/nonexistent/x.db", &sp, err,
					      sizeof(err)), -ENOENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, test_dir_teardown)
TEST_MAIN(
	T(test_open_fresh),
	T(test_policy),
	T(test_diff_text),
	T(test_devices),
	T(test_devices_batch),
	T(test_mud_bindings),
	T(test_inventory_throttle),
	T(test_evidence_legacy),
	T(test_evidence_firmware_tls),
	T(test_events),
	T(test_events_newest),
	T(test_quarantine),
	T(test_alerts),
	T(test_retention),
	T(test_policy_prune),
	T(test_policy_sources),
	T(test_space),
	T(test_reports),
	T(test_reports_batch),
	T(test_migration_from_v1),
	T(test_newer_schema_refused),
	T(test_bad_files),
	T(test_corrupt_pages),
	T(test_backup),
	T(test_store_bounded),
	T(test_kill_durability))
#undef T
