/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * ctl_state: making policy versions, on a temporary state directory.
 *
 *   version = YAML source + the MUD rules of every binding + quarantine
 *
 * Apply, quarantine, rollback and MUD imports each make a version from
 * all three, so none of them loses the others; versions only grow; with
 * a signing key every version verifies. Then what a state directory
 * holds besides: diffs of versions, backups and --restore, the lock.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctl_state.h"
#include "mud_cam.h"
#include "policy_verify.h"
#include "test_main.h"

#define YAML \
	"comment: home\n" \
	"segments:\n" \
	"  - name: trusted\n" \
	"    default: allow\n" \
	"  - name: iot\n" \
	"  - name: quarantine\n" \
	"devices:\n" \
	"  - vendor: Acme\n" \
	"    segment: iot\n" \
	"default-segment: trusted\n" \
	"quarantine-segment: quarantine\n"

static const uint8_t lamp[6] = { 0x02, 0, 0, 0, 0, 0x08 };

struct fx {
	char dir[64];
	struct ctl_state s;
	struct policy_verify_keyring kr;
	struct ctl_pol_inv_device devs[2];
	struct ctl_pol_inventory inv;
	char err[1024];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char path[128];

	assert_non_null(fx);
	test_mkdtemp(fx->dir, "state");
	/* A signing key, as `cordonctl keygen` makes it. */
	assert_int_equal(policy_sign_keygen(fx->dir, false, fx->err,
					    sizeof(fx->err)), 0);
	assert_int_equal(ctl_state_open(&fx->s, fx->dir, fx->err,
					sizeof(fx->err)), 0);
	assert_true(fx->s.have_key);
	fx->s.mud_accept_unsigned = true;
	policy_verify_keyring_init(&fx->kr);
	snprintf(path, sizeof(path), "%s/%s", fx->dir, POLICY_SIGN_PUB_NAME);
	assert_int_equal(policy_verify_keyring_add_pem(&fx->kr, path, fx->err,
						       sizeof(fx->err)), 0);
	/* The inventory: the camera is an Acme. */
	memcpy(fx->devs[0].mac, cam, 6);
	fx->devs[0].vendor = "Acme";
	memcpy(fx->devs[1].mac, lamp, 6);
	fx->devs[1].vendor = "Other";
	fx->inv.devs = fx->devs;
	fx->inv.n_devs = 2;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	ctl_state_close(&fx->s);
	policy_verify_keyring_free(&fx->kr);
	test_rmtree(fx->dir);
	free(fx);
	return 0;
}

/* Make a version; check its signature covers it. Returns it. */
static Cordon__Policy *
apply(struct fx *fx, const char *src, uint64_t rollback_of)
{
	struct policy_verify_out out;
	Cordon__Policy *pol = NULL;
	uint8_t *sig = NULL;
	size_t sig_len = 0;

	if (ctl_state_apply(&fx->s, src, "home.yaml", "test", rollback_of,
			    &fx->inv, 1000, &pol, &sig, &sig_len, fx->err,
			    sizeof(fx->err)) < 0)
		fail_msg("apply: %s", fx->err);
	assert_int_equal(policy_verify(&fx->kr, sig, sig_len, &out, fx->err,
				       sizeof(fx->err)), 0);
	assert_int_equal(out.version, pol->version);
	assert_int_equal(out.policy->n_rules, pol->n_rules);
	policy_verify_out_free(&out);
	free(sig);
	return pol;
}

static const Cordon__DeviceAssignment *
assignment(const Cordon__Policy *p, const uint8_t mac[6])
{
	for (size_t i = 0; i < p->n_devices; i++)
		if (memcmp(p->devices[i]->mac.data, mac, 6) == 0)
			return p->devices[i];
	return NULL;
}

static size_t
mud_rules(const Cordon__Policy *p, uint32_t *prio)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_rules; i++) {
		if (strncmp(p->rules[i]->comment, "mud ", 4) != 0)
			continue;
		if (n++ == 0 && prio != NULL)
			*prio = p->rules[i]->priority;
	}
	return n;
}

static void
test_apply(void **state)
{
	struct fx *fx = *state;
	struct ctl_store_policy sp;
	Cordon__Policy *pol, *latest;
	uint8_t *sig;
	size_t len;

	/* Nothing to recompile yet. */
	assert_int_equal(ctl_state_apply(&fx->s, NULL, NULL, "test", 0,
					 &fx->inv, 1000, &pol, &sig, &len,
					 fx->err, sizeof(fx->err)), -ENOENT);
	pol = apply(fx, YAML, 0);
	assert_int_equal(pol->version, 1);
	/* The vendor assignment is resolved against the inventory. */
	assert_non_null(assignment(pol, cam));
	assert_int_equal(assignment(pol, cam)->segment, 2);
	assert_null(assignment(pol, lamp));
	cordon__policy__free_unpacked(pol, NULL);

	/* A bad source makes nothing, and says where. */
	assert_int_equal(ctl_state_apply(&fx->s, "segments: [x", "bad.yaml",
					 "test", 0, &fx->inv, 1000, &pol,
					 &sig, &len, fx->err,
					 sizeof(fx->err)), -EINVAL);
	assert_non_null(strstr(fx->err, "bad.yaml:"));

	/* NULL: the latest source again, compiled against today. */
	fx->devs[1].vendor = "Acme";
	pol = apply(fx, NULL, 0);
	assert_int_equal(pol->version, 2);
	assert_non_null(assignment(pol, lamp));
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_store_policy_get(fx->s.st, 2, &sp), 0);
	assert_string_equal(sp.source, YAML);
	ctl_store_policy_free(&sp);

	assert_int_equal(ctl_state_latest(&fx->s, &latest, &sig, &len), 0);
	assert_int_equal(latest->version, 2);
	assert_non_null(sig);
	cordon__policy__free_unpacked(latest, NULL);
	free(sig);
}

/* A compiled policy keeps versions growing: raised above the latest. */
static void
test_add_compiled(void **state)
{
	struct fx *fx = *state;
	Cordon__Policy *pol = apply(fx, YAML, 0), *latest;
	uint8_t *sig = NULL;
	size_t len = 0;

	cordon__policy__free_unpacked(pol, NULL);
	pol = apply(fx, NULL, 0);		/* version 2 */
	pol->version = 1;
	assert_int_equal(ctl_state_add_compiled(&fx->s, pol, NULL, "push", 0,
						2000, &sig, &len, fx->err,
						sizeof(fx->err)), 0);
	assert_int_equal(pol->version, 3);
	free(sig);
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_state_latest(&fx->s, &latest, &sig, &len), 0);
	assert_int_equal(latest->version, 3);
	cordon__policy__free_unpacked(latest, NULL);
	free(sig);
}

static void
test_quarantine(void **state)
{
	struct fx *fx = *state;
	Cordon__Policy *pol;

	assert_int_equal(ctl_store_quarantine_add(fx->s.st, cam, "scan",
						  "test", 1000), 0);
	pol = apply(fx, YAML, 0);
	assert_int_equal(pol->n_quarantined, 1);
	assert_memory_equal(pol->quarantined[0].data, cam, 6);
	cordon__policy__free_unpacked(pol, NULL);
	/* A new source keeps the quarantine. */
	pol = apply(fx, "segments:\n  - name: all\n"
		    "default-segment: all\nquarantine-segment: all\n", 0);
	assert_int_equal(pol->n_quarantined, 1);
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_store_quarantine_del(fx->s.st, cam, "test",
						  2000), 0);
	pol = apply(fx, NULL, 0);
	assert_int_equal(pol->n_quarantined, 0);
	cordon__policy__free_unpacked(pol, NULL);
}

/* A rollback is the old source compiled as a new version, marked. */
static void
test_rollback(void **state)
{
	struct fx *fx = *state;
	struct ctl_store_policy v1, v3;
	Cordon__Policy *pol;

	cordon__policy__free_unpacked(apply(fx, YAML, 0), NULL);
	cordon__policy__free_unpacked(apply(fx, "segments:\n  - name: all\n"
		"default-segment: all\nquarantine-segment: all\n", 0), NULL);
	assert_int_equal(ctl_store_quarantine_add(fx->s.st, lamp, "", "test",
						  1000), 0);
	assert_int_equal(ctl_store_policy_get(fx->s.st, 1, &v1), 0);
	pol = apply(fx, v1.source, 1);
	assert_int_equal(pol->version, 3);
	assert_int_equal(pol->n_segments, 3);
	/* Today's quarantine, not version 1's. */
	assert_int_equal(pol->n_quarantined, 1);
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_store_policy_get(fx->s.st, 3, &v3), 0);
	assert_int_equal(v3.rollback_of, 1);
	assert_string_equal(v3.source, v1.source);
	ctl_store_policy_free(&v1);
	ctl_store_policy_free(&v3);
}

static void
mud(struct ctl_state_mud *m, const uint8_t mac[6], const char *text)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->mac, mac, 6);
	m->text = text;
	m->len = strlen(text);
	m->name = "cam.json";
	m->source = "cli";
	m->by = "test";
}

static int
count_bindings(const struct ctl_store_mud *m, const struct ctl_mud_result *r,
	       const char *err, void *arg)
{
	(void)m;
	(void)err;
	*(int *)arg += r != NULL ? 1 : 100;
	return 0;
}

/* MUD composition: bindings are part of every version. */
static void
test_mud(void **state)
{
	struct fx *fx = *state;
	struct ctl_mud_result res;
	struct ctl_state_mud m;
	Cordon__Policy *pol;
	uint8_t *sig = NULL;
	uint32_t prio = 0;
	size_t len = 0;
	int n = 0;

	/* Before any policy: bound, applied with the first. */
	mud(&m, cam, MUD_JSON);
	assert_int_equal(ctl_state_mud_import(&fx->s, &m, &fx->inv, 1000,
					      &res, &pol, &sig, &len, fx->err,
					      sizeof(fx->err)), 0);
	assert_null(pol);
	assert_string_equal(res.mud_url, MUD_URL);
	pol = apply(fx, YAML, 0);
	assert_true(mud_rules(pol, &prio) >= 2);	/* and the deny */
	assert_int_equal(prio, CTL_STATE_MUD_PRIORITY);
	cordon__policy__free_unpacked(pol, NULL);
	/* Quarantine and a new source keep them. */
	assert_int_equal(ctl_store_quarantine_add(fx->s.st, lamp, "", "t",
						  1000), 0);
	pol = apply(fx, YAML, 0);
	assert_true(mud_rules(pol, NULL) >= 2);
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_state_mud_list(&fx->s, &fx->inv, count_bindings,
					    &n), 0);
	assert_int_equal(n, 1);

	/* A file that does not compile is refused; the binding stays. */
	mud(&m, cam, "{\"ietf-mud:mud\":{}}");
	assert_int_equal(ctl_state_mud_import(&fx->s, &m, &fx->inv, 1000,
					      &res, &pol, &sig, &len, fx->err,
					      sizeof(fx->err)), -EINVAL);
	/* Unsigned, where signatures are required. */
	fx->s.mud_accept_unsigned = false;
	mud(&m, lamp, MUD_JSON);
	assert_int_equal(ctl_state_mud_check(&fx->s, &m, &fx->inv, &res,
					     fx->err, sizeof(fx->err)),
			 -EBADMSG);
	assert_non_null(strstr(fx->err, "unsigned"));
	m.sig = (const uint8_t *)"not a signature";
	m.sig_len = 15;
	assert_int_equal(ctl_state_mud_check(&fx->s, &m, &fx->inv, &res,
					     fx->err, sizeof(fx->err)),
			 -EBADMSG);
	assert_non_null(strstr(fx->err, "--mud-ca"));
	fx->s.mud_accept_unsigned = true;

	/* A stored binding that no longer compiles is left out, counted. */
	{
		struct ctl_store_mud bad = {
			.mud_url = "https://x/y", .file = "{}", .file_len = 2,
			.source = "dhcp", .by = "t",
		};

		memcpy(bad.mac, lamp, 6);
		assert_int_equal(ctl_store_mud_put(fx->s.st, &bad), 0);
	}
	pol = apply(fx, NULL, 0);
	assert_int_equal(fx->s.mud_skipped, 1);
	assert_true(fx->s.mud_note[0] != '\0');
	assert_true(mud_rules(pol, NULL) >= 2);
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_store_mud_del(fx->s.st, lamp), 0);

	/* Removed: the next version has no MUD rules. */
	assert_int_equal(ctl_state_mud_remove(&fx->s, cam, "test", &fx->inv,
					      2000, &pol, &sig, &len, fx->err,
					      sizeof(fx->err)), 0);
	assert_non_null(pol);
	assert_int_equal(mud_rules(pol, NULL), 0);
	cordon__policy__free_unpacked(pol, NULL);
	free(sig);
	assert_int_equal(ctl_state_mud_remove(&fx->s, cam, "test", &fx->inv,
					      2000, &pol, &sig, &len, fx->err,
					      sizeof(fx->err)), -ENOENT);
}

/*
 * After a pushed compiled policy, quarantine and release are composed on
 * it (issue 11): the device is quarantined, then not, and the pushed rules
 * stay; each new version names the push as its base.
 */
static void
test_pushed_base(void **state)
{
	struct fx *fx = *state;
	struct ctl_store_policy latest = { 0 };
	Cordon__Policy *pushed = apply(fx, YAML, 0), *pol = NULL;
	uint64_t base;
	uint8_t *sig = NULL;
	size_t len = 0;

	/* The YAML version, stored again as a push (no source). */
	assert_int_equal(ctl_state_add_compiled(&fx->s, pushed, NULL, "push",
						0, 1100, &sig, &len, fx->err,
						sizeof(fx->err)), 0);
	free(sig);
	base = pushed->version;
	assert_int_equal(ctl_store_quarantine_add(fx->s.st, lamp, "test",
						  "test", 1200), 0);
	assert_int_equal(ctl_state_apply(&fx->s, NULL, NULL, "test", 0,
					 &fx->inv, 1200, &pol, &sig, &len,
					 fx->err, sizeof(fx->err)), 0);
	assert_int_equal(pol->n_quarantined, 1);
	assert_memory_equal(pol->quarantined[0].data, lamp, 6);
	assert_int_equal(pol->n_segments, pushed->n_segments);
	cordon__policy__free_unpacked(pol, NULL);
	free(sig);
	assert_int_equal(ctl_store_policy_latest(fx->s.st, &latest), 0);
	assert_null(latest.source);
	assert_int_equal(latest.base, base);
	ctl_store_policy_free(&latest);
	/* Released: composed on the push again, not on the version before. */
	assert_int_equal(ctl_store_quarantine_del(fx->s.st, lamp, "test",
						  1300), 0);
	assert_int_equal(ctl_state_apply(&fx->s, NULL, NULL, "test", 0,
					 &fx->inv, 1300, &pol, &sig, &len,
					 fx->err, sizeof(fx->err)), 0);
	assert_int_equal(pol->n_quarantined, 0);
	cordon__policy__free_unpacked(pol, NULL);
	free(sig);
	cordon__policy__free_unpacked(pushed, NULL);
}

/* policy diff: each version's source, then what cordond composed into it;
 * a pushed version's devices and rules one per line. */
static void
test_diff(void **state)
{
	struct fx *fx = *state;
	Cordon__Policy *pol;
	uint8_t *sig = NULL;
	size_t len = 0;
	char *d = NULL;

	cordon__policy__free_unpacked(apply(fx, YAML, 0), NULL);
	assert_int_equal(ctl_store_quarantine_add(fx->s.st, lamp, "", "test",
						  1000), 0);
	pol = apply(fx, NULL, 0);			/* version 2 */
	assert_int_equal(ctl_state_diff(&fx->s, 1, 2, &d, fx->err,
					sizeof(fx->err)), 0);
	print_message("%s", d);
	assert_non_null(strstr(d, "--- policy 1\n+++ policy 2\n"));
	assert_non_null(strstr(d, "\n+quarantine 02:00:00:00:00:08\n"));
	assert_null(strstr(d, "\n-"));		/* the same source */
	free(d);
	assert_int_equal(ctl_state_diff(&fx->s, 2, 2, &d, fx->err,
					sizeof(fx->err)), 0);
	assert_string_equal(d, "");
	free(d);

	/* Version 2 pushed as version 3: no source, its devices listed. */
	assert_int_equal(ctl_state_add_compiled(&fx->s, pol, NULL, "push", 0,
						2000, &sig, &len, fx->err,
						sizeof(fx->err)), 0);
	free(sig);
	cordon__policy__free_unpacked(pol, NULL);
	assert_int_equal(ctl_state_diff(&fx->s, 2, 3, &d, fx->err,
					sizeof(fx->err)), 0);
	print_message("%s", d);
	assert_non_null(strstr(d, "\n+# compiled policy, pushed (version "
			       "3)\n"));
	assert_non_null(strstr(d, "\n+device {"));
	assert_non_null(strstr(d, "\n-comment: home\n"));
	assert_null(strstr(d, "\n+quarantine 02"));	/* in both */
	assert_null(strstr(d, "\n-quarantine 02"));
	free(d);

	assert_int_equal(ctl_state_diff(&fx->s, 1, 99, &d, fx->err,
					sizeof(fx->err)), -ENOENT);
	assert_null(d);
	assert_string_equal(fx->err, "no such version");
}

/* The backups ctl_state_backup() keeps in DIR/backups. */
static int
count_backups(const char *dir)
{
	char bdir[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(bdir, sizeof(bdir), "%s/%s", dir, CTL_STATE_BACKUPS);
	d = opendir(bdir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "cordond-", 8) == 0;
	closedir(d);
	return n;
}

static uint64_t
latest_version(struct fx *fx)
{
	uint64_t v = 0;

	assert_int_equal(ctl_store_policy_latest_version(fx->s.st, &v), 0);
	return v;
}

/*
 * Backups are named by time and the newest CTL_STATE_BACKUPS_KEEP kept;
 * a corrupt store is refused naming the newest; --restore refuses while
 * the directory is locked, keeps the store it replaces, and what it
 * restores opens.
 */
static void
test_backup_restore(void **state)
{
	struct fx *fx = *state;
	char out[PATH_MAX], first[PATH_MAX], path[PATH_MAX], msg[3 * PATH_MAX];
	const uint64_t t0 = 1700000000000ull;	/* 2023-11-14 22:13:20 UTC */
	struct ctl_state other;
	FILE *f;

	cordon__policy__free_unpacked(apply(fx, YAML, 0), NULL);
	for (unsigned int i = 0; i < CTL_STATE_BACKUPS_KEEP + 2; i++) {
		assert_int_equal(ctl_state_backup(&fx->s, NULL, t0 + i * 1001,
						  out, sizeof(out), fx->err,
						  sizeof(fx->err)), 0);
		if (i == 0)
			snprintf(first, sizeof(first), "%s", out);
	}
	snprintf(path, sizeof(path), "%s/backups/cordond-20231114T221320.000Z.db",
		 fx->dir);
	assert_string_equal(first, path);
	assert_int_equal(access(first, F_OK), -1);	/* rotated away */
	assert_int_equal(access(out, F_OK), 0);
	assert_int_equal(count_backups(fx->dir), CTL_STATE_BACKUPS_KEEP);
	/* To a path of the caller's. */
	snprintf(path, sizeof(path), "%s/v1.db", fx->dir);
	assert_int_equal(ctl_state_backup(&fx->s, path, t0, NULL, 0, fx->err,
					  sizeof(fx->err)), 0);
	cordon__policy__free_unpacked(apply(fx, NULL, 0), NULL);
	assert_int_equal(latest_version(fx), 2);

	/* Not while a cordond holds the directory. */
	assert_int_equal(ctl_state_restore(fx->dir, path, 0, 5000, msg,
					   sizeof(msg), fx->err,
					   sizeof(fx->err)), -EBUSY);
	assert_non_null(strstr(fx->err, "in use by another cordond"));
	assert_int_equal(ctl_state_open(&other, fx->dir, fx->err,
					sizeof(fx->err)), -EBUSY);
	ctl_state_close(&fx->s);

	/* A corrupt store: refused, with the newest backup to restore. */
	snprintf(first, sizeof(first), "%s/%s", fx->dir, CTL_STATE_DB);
	f = fopen(first, "w");
	assert_non_null(f);
	fputs("not a database, however long this line is made to be\n", f);
	fclose(f);
	assert_int_equal(ctl_state_open(&fx->s, fx->dir, fx->err,
					sizeof(fx->err)), -EBADMSG);
	print_message("%s\n", fx->err);
	assert_non_null(strstr(fx->err, out));
	/* Not a store: refused before anything is touched. */
	assert_true(ctl_state_restore(fx->dir, first, 0, 5000, msg, sizeof(msg),
				      fx->err, sizeof(fx->err)) < 0);
	assert_int_equal(ctl_state_restore(fx->dir, path, 0, 5000, msg,
					   sizeof(msg), fx->err,
					   sizeof(fx->err)), 0);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "cordond.db.replaced-5000"));
	/* Its ids are beyond reading, and it says so. */
	assert_non_null(strstr(msg, "ids could not be read"));
	snprintf(first, sizeof(first), "%s/%s.replaced-5000", fx->dir,
		 CTL_STATE_DB);
	assert_int_equal(access(first, F_OK), 0);
	assert_int_equal(ctl_state_open(&fx->s, fx->dir, fx->err,
					sizeof(fx->err)), 0);
	assert_int_equal(latest_version(fx), 1);
}

/* One event, alert and consent more: their ids in id[] (event, alert,
 * consent). */
static void
add_ids(struct fx *fx, uint64_t n, uint64_t id[CTL_STORE_ID_TABLES])
{
	struct ctl_store_consent c = {
		.dst = "api.example.com", .proto = 6, .dst_port = 443,
		.created_ms = 1, .by = "t",
	};
	struct ctl_store_alert a = {
		.dataplane_id = "gw0", .boot = 1, .detector = "scan_vertical",
		.action = "alert", .payload = "abc", .payload_len = 3,
	};

	c.dst_port = (uint16_t)(1000 + n);	/* not a consent already */
	c.prompt = n;
	memcpy(c.mac, lamp, 6);
	a.seq = n;
	memcpy(a.mac, lamp, 6);
	assert_int_equal(ctl_store_event_add(fx->s.st, n, "test", NULL, NULL,
					     NULL, &id[0]), 0);
	assert_int_equal(ctl_store_alert_add(fx->s.st, &a, "{}", &id[1]), 0);
	assert_int_equal(ctl_store_consent_add(fx->s.st, &c, &id[2]), 0);
}

/*
 * A store restored from a backup hands out no id the store it replaced
 * handed out after the backup (events, alerts, consents: an answer to one
 * must not reach another), nor a policy version a dataplane runs
 * (ctl_state_version_floor()).
 */
static void
test_restore_ids(void **state)
{
	struct fx *fx = *state;
	uint64_t id[CTL_STORE_ID_TABLES], last[CTL_STORE_ID_TABLES], ev;
	char path[PATH_MAX], msg[3 * PATH_MAX];

	cordon__policy__free_unpacked(apply(fx, YAML, 0), NULL);
	add_ids(fx, 1, id);
	snprintf(path, sizeof(path), "%s/b.db", fx->dir);
	assert_int_equal(ctl_state_backup(&fx->s, path, 1, NULL, 0, fx->err,
					  sizeof(fx->err)), 0);
	for (uint64_t n = 2; n < 6; n++)
		add_ids(fx, n, last);
	/* Retention took every event: their ids are still spent. After
	 * the last test event, the alert's and the consent's. */
	assert_int_equal(ctl_store_event_prune(fx->s.st, INT64_MAX, 1000,
					       NULL), 0);
	assert_int_equal(ctl_store_event_last_id(fx->s.st, &ev), 0);
	assert_int_equal(ev, last[0] + 2);
	ctl_state_close(&fx->s);
	assert_int_equal(ctl_state_restore(fx->dir, path, 0, 5000, msg,
					   sizeof(msg), fx->err,
					   sizeof(fx->err)), 0);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "new ids go on above the replaced "
			       "store's"));
	assert_int_equal(ctl_state_open(&fx->s, fx->dir, fx->err,
					sizeof(fx->err)), 0);
	assert_int_equal(ctl_store_event_last_id(fx->s.st, &ev), 0);
	assert_true(ev >= last[0]);
	add_ids(fx, 6, id);
	for (size_t i = 0; i < CTL_STORE_ID_TABLES; i++)
		assert_true(id[i] > last[i]);

	/* Versions: above what a dataplane runs. */
	assert_int_equal(latest_version(fx), 1);
	assert_true(ctl_state_version_floor(&fx->s, 9));
	assert_false(ctl_state_version_floor(&fx->s, 5));
	assert_false(ctl_state_version_floor(&fx->s, 9));
	cordon__policy__free_unpacked(apply(fx, NULL, 0), NULL);
	assert_int_equal(latest_version(fx), 10);
}

/*
 * A backup restored where no store is replaced (a new machine): it cannot
 * know what the lost store handed out after the backup, and says so;
 * --ids-above N (the last id the operator saw) puts every new id above N.
 */
static void
test_restore_ids_fresh(void **state)
{
	struct fx *fx = *state;
	uint64_t id[CTL_STORE_ID_TABLES], at[CTL_STORE_ID_TABLES];
	char path[PATH_MAX], dir[PATH_MAX], msg[3 * PATH_MAX];
	struct ctl_state other;

	cordon__policy__free_unpacked(apply(fx, YAML, 0), NULL);
	add_ids(fx, 1, at);
	snprintf(path, sizeof(path), "%s/b.db", fx->dir);
	assert_int_equal(ctl_state_backup(&fx->s, path, 1, NULL, 0, fx->err,
					  sizeof(fx->err)), 0);

	/* Nothing replaced, nothing given: it says what may repeat. */
	snprintf(dir, sizeof(dir), "%s/new1", fx->dir);
	assert_int_equal(ctl_state_restore(dir, path, 0, 5000, msg,
					   sizeof(msg), fx->err,
					   sizeof(fx->err)), 0);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "no store was replaced"));
	assert_non_null(strstr(msg, "--ids-above N"));
	assert_null(strstr(msg, "replaced-"));

	/* Above what the operator saw. */
	snprintf(dir, sizeof(dir), "%s/new2", fx->dir);
	assert_int_equal(ctl_state_restore(dir, path, 1000, 5000, msg,
					   sizeof(msg), fx->err,
					   sizeof(fx->err)), 0);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "new ids go on above --ids-above "
			       "(event 1000, alert 1000, consent 1000)"));
	assert_int_equal(ctl_state_open(&other, dir, fx->err,
					sizeof(fx->err)), 0);
	ctl_state_close(&fx->s);
	fx->s = other;
	add_ids(fx, 2, id);
	for (size_t i = 0; i < CTL_STORE_ID_TABLES; i++) {
		assert_true(at[i] < 1000);
		assert_int_equal(id[i], 1001);
	}

	/* Past what SQLite can count: refused, nothing touched. */
	snprintf(dir, sizeof(dir), "%s/new3", fx->dir);
	assert_int_equal(ctl_state_restore(dir, path, CTL_STORE_ID_MAX + 1,
					   5000, msg, sizeof(msg), fx->err,
					   sizeof(fx->err)), -EINVAL);
	assert_int_equal(access(dir, F_OK), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
TEST_MAIN(
	T(test_pushed_base),
	T(test_apply),
	T(test_add_compiled),
	T(test_quarantine),
	T(test_rollback),
	T(test_mud),
	T(test_diff),
	T(test_backup_restore),
	T(test_restore_ids),
	T(test_restore_ids_fresh))
#undef T
