/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "ctl_compile.h"
#include "ctl_diff.h"
#include "ctl_pbjson.h"
#include "ctl_audit.h"
#include "ctl_consent.h"
#include "ctl_state.h"
#include "endpoint.h"
#include "policy_validate.h"
#include "util_array.h"
#include "util_file.h"
#include "util_hash.h"
#include "util_mac.h"

static int ctl_state_store(struct ctl_state *s, Cordon__Policy *pol,
			   const char *source, const char *by,
			   uint64_t rollback_of, uint64_t base,
			   uint64_t now_ms, uint8_t **signed_out,
			   size_t *signed_len, char *err, size_t errlen);

/*
 * One cordond per state directory, as PostgreSQL's postmaster.pid: an
 * flock on DIR/cordond.lock held for the life of the process (the kernel
 * drops it when the process dies, even by kill -9), with the holder's pid
 * in the file for the message of the one refused.
 */
static int
ctl_state_lock(struct ctl_state *s, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX], pid[32];
	ssize_t n;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, CTL_STATE_LOCK);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (rc == -EBUSY)
			snprintf(err, errlen, "%s is in use by another cordond "
				 "(pid %s, holding %s); stop it first, or give "
				 "this one another --state-dir", dir,
				 pid[0] ? pid : "unknown", path);
		else
			snprintf(err, errlen, "%s: flock: %s", path,
				 strerror(-rc));
		close(fd);
		return rc;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (fchmod(fd, 0600) < 0 || ftruncate(fd, 0) < 0 ||
	    util_file_write_all(fd, pid, (size_t)n) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	s->lock_fd = fd;
	return 0;
}

/* The state directory, 0700 whatever the umask or its earlier mode. */
static int
ctl_state_mkdir(const char *dir, char *err, size_t errlen)
{
	int rc = endpoint_mkdir(dir);

	if (rc == 0 && chmod(dir, 0700) < 0)
		rc = -errno;
	if (rc < 0)
		snprintf(err, errlen, "cannot create %s: %s", dir,
			 strerror(-rc));
	return rc;
}

/* The newest backup in DIR/backups, for the message of a refusal. */
static void
ctl_state_newest_backup(const char *dir, char *out, size_t len)
{
	char bdir[PATH_MAX], best[NAME_MAX + 1] = "";
	struct dirent *e;
	DIR *d;

	snprintf(out, len, "BACKUP");
	snprintf(bdir, sizeof(bdir), "%s/%s", dir, CTL_STATE_BACKUPS);
	d = opendir(bdir);
	if (d == NULL)
		return;
	/* Their names sort by time (ctl_state_backup_name()). */
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "cordond-", 8) == 0 &&
		    strcmp(e->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	closedir(d);
	if (best[0] != '\0')
		snprintf(out, len, "%.*s/%s", PATH_MAX - NAME_MAX - 2, bdir,
			 best);
}

static void
ctl_state_fix_modes(const char *db)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char p[PATH_MAX];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
		chmod(p, 0600);	/* absent files are fine */
	}
}

int
ctl_state_open(struct ctl_state *s, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX], bak[PATH_MAX];
	int rc;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	rc = ctl_state_mkdir(dir, err, errlen);
	if (rc < 0)
		return rc;
	rc = ctl_state_lock(s, dir, err, errlen);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, CTL_STATE_DB);
	rc = ctl_store_open(path, &s->st, err, errlen);
	if (rc == 0) {
		ctl_state_fix_modes(path);
		rc = ctl_store_check(s->st);
		if (rc < 0)
			snprintf(err, errlen, "%s", ctl_store_errmsg(s->st));
	}
	if (rc == -EBADMSG || rc == -ENOMEM) {
		/* SQLite says NOMEM for some mangled pages: it is not. */
		size_t n = strlen(err);

		ctl_state_newest_backup(dir, bak, sizeof(bak));
		snprintf(err + n, errlen - n, ". cordond will not serve a "
			 "corrupt store. Recover with `cordond --restore %s` "
			 "(backups are in %s/%s; `cordonctl backup FILE` "
			 "takes one), or move %s aside to start empty",
			 bak, dir, CTL_STATE_BACKUPS, path);
		rc = -EBADMSG;
	}
	if (rc < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/%s", dir, POLICY_SIGN_PRIV_NAME);
	if (access(path, F_OK) == 0) {
		rc = policy_sign_key_load(path, &s->key, err, errlen);
		if (rc < 0)
			goto fail;
		s->have_key = true;
	}
	return 0;
fail:
	ctl_state_close(s);
	return rc;
}

/* backups/cordond-YYYYMMDDTHHMMSS.mmmZ.db: names sort by time. */
static void
ctl_state_backup_name(const struct ctl_state *s, uint64_t now_ms, char *out,
		      size_t len)
{
	time_t t = (time_t)(now_ms / 1000);
	char when[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%S", &tm);
	snprintf(out, len, "%.*s/%s/cordond-%s.%03uZ.db", PATH_MAX - 64,
		 s->dir, CTL_STATE_BACKUPS, when, (unsigned)(now_ms % 1000));
}

static int
ctl_state_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep the newest keep backups of DIR/backups. */
static void
ctl_state_backup_rotate(const struct ctl_state *s, unsigned int keep)
{
	char bdir[PATH_MAX], p[PATH_MAX];
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;

	snprintf(bdir, sizeof(bdir), "%.*s/%s", PATH_MAX - 64, s->dir,
		 CTL_STATE_BACKUPS);
	d = opendir(bdir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (strncmp(e->d_name, "cordond-", 8) != 0 || l < 4 ||
		    strcmp(e->d_name + l - 3, ".db") != 0)
			continue;
		if (UTIL_ARRAY_GROW(names, cap, n, 16) < 0)
			break;
		names[n] = strdup(e->d_name);
		if (names[n] != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), ctl_state_name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i + keep < n) {
			snprintf(p, sizeof(p), "%.*s/%s", PATH_MAX - NAME_MAX -
				 2, bdir, names[i]);
			unlink(p);
		}
		free(names[i]);
	}
	free(names);
}

int
ctl_state_backup(struct ctl_state *s, const char *path, uint64_t now_ms,
		 char *out, size_t outlen, char *err, size_t errlen)
{
	char auto_path[PATH_MAX], bdir[PATH_MAX];
	int rc;

	if (path == NULL) {
		snprintf(bdir, sizeof(bdir), "%.*s/%s", PATH_MAX - 64, s->dir,
			 CTL_STATE_BACKUPS);
		if (mkdir(bdir, 0700) < 0 && errno != EEXIST) {
			rc = -errno;
			snprintf(err, errlen, "%s: %s", bdir, strerror(errno));
			return rc;
		}
		ctl_state_backup_name(s, now_ms, auto_path,
				      sizeof(auto_path));
		path = auto_path;
	}
	rc = ctl_store_backup(s->st, path, err, errlen);
	if (rc < 0)
		return rc;
	if (path == auto_path)
		ctl_state_backup_rotate(s, CTL_STATE_BACKUPS_KEEP);
	if (out != NULL)
		snprintf(out, outlen, "%s", path);
	return 0;
}

/* Copy src to dst (a new file, 0600), synced. */
static int
ctl_state_copy(const char *src, const char *dst, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len;
	int rc;

	rc = util_file_read(src, (size_t)1 << 34, &buf, &len, err, errlen);
	if (rc == 0)
		rc = util_file_write_atomic(dst, buf, len, 0600, err, errlen);
	free(buf);
	return rc;
}

int
ctl_state_restore(const char *dir, const char *file, uint64_t now_ms,
		  char *msg, size_t msglen, char *err, size_t errlen)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	struct ctl_state s;
	char db[PATH_MAX], from[PATH_MAX], to[PATH_MAX], aside[PATH_MAX] = "";
	int rc;

	memset(&s, 0, sizeof(s));
	s.lock_fd = -1;
	rc = ctl_store_verify_file(file, err, errlen);
	if (rc < 0)
		return rc;
	rc = ctl_state_mkdir(dir, err, errlen);
	if (rc == 0)
		rc = ctl_state_lock(&s, dir, err, errlen);
	if (rc < 0)
		return rc;
	snprintf(db, sizeof(db), "%.*s/%s", PATH_MAX - 64, dir, CTL_STATE_DB);
	/* Never lose: the store restored over is kept beside it. */
	if (access(db, F_OK) == 0) {
		snprintf(aside, sizeof(aside), "%.*s.replaced-%" PRIu64,
			 PATH_MAX - 40, db,
			 now_ms);
		for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
			snprintf(from, sizeof(from), "%.*s%s", PATH_MAX - 8,
				 db, sfx[i]);
			snprintf(to, sizeof(to), "%.*s%s", PATH_MAX - 8, aside,
				 sfx[i]);
			if (rename(from, to) < 0 && errno != ENOENT) {
				rc = -errno;
				snprintf(err, errlen, "cannot move %s aside: "
					 "%s", from, strerror(errno));
				goto out;
			}
		}
	}
	rc = ctl_state_copy(file, db, err, errlen);
	if (rc < 0)
		goto out;
	/* Open it as cordond will: migrated, checked, WAL. */
	rc = ctl_store_open(db, &s.st, err, errlen);
	if (rc == 0)
		rc = ctl_store_check(s.st);
	if (rc < 0) {
		if (s.st != NULL)
			snprintf(err, errlen, "%s", ctl_store_errmsg(s.st));
		goto out;
	}
	ctl_state_fix_modes(db);
	snprintf(msg, msglen, "restored %s from %s%s%s", db, file,
		 aside[0] ? "; the store it replaced is " : "", aside);
out:
	ctl_state_close(&s);
	return rc;
}

void
ctl_state_close(struct ctl_state *s)
{
	if (s->have_key)
		policy_sign_key_free(&s->key);
	if (s->st != NULL)
		ctl_store_close(s->st);
	if (s->lock_fd >= 0)
		close(s->lock_fd);	/* and the flock with it */
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
}

static int
ctl_state_add_quarantined(const struct ctl_store_quarantine *q, void *arg)
{
	Cordon__Policy *pol = arg;

	/* A pushed policy may hold the MAC in its own list already. */
	for (size_t i = 0; i < pol->n_quarantined; i++)
		if (pol->quarantined[i].len == 6 &&
		    memcmp(pol->quarantined[i].data, q->mac, 6) == 0)
			return 0;
	return ctl_cmp_add_quarantined(pol, q->mac) < 0 ? -ENOMEM : 0;
}

/*
 * The pushed compiled policy of version base, decoded: what a version
 * made on it starts from (its MUD rules and quarantine are added again,
 * never those of the version before).
 */
static int
ctl_state_base(struct ctl_state *s, uint64_t base, Cordon__Policy **out,
	       char *err, size_t errlen)
{
	struct ctl_store_policy b = { 0 };
	int rc;

	*out = NULL;
	rc = ctl_store_policy_get(s->st, base, &b);
	if (rc < 0) {
		snprintf(err, errlen, "store: pushed policy %" PRIu64 ": %s",
			 base, ctl_store_errmsg(s->st));
		return rc;
	}
	*out = cordon__policy__unpack(NULL, b.compiled_len, b.compiled);
	ctl_store_policy_free(&b);
	if (*out == NULL) {
		snprintf(err, errlen, "store: pushed policy %" PRIu64 " does "
			 "not decode", base);
		return -EBADMSG;
	}
	return 0;
}

/* --- MUD bindings in a version --------------------------------------- */

struct mud_bind {
	uint8_t mac[6];
	uint16_t vlan;
	char *url;
	char *text;
	size_t len;
	uint8_t *sig;
	size_t sig_len;
	char *source;
	char *by;
	uint64_t at;
};

struct mud_binds {
	struct mud_bind *v;
	size_t n, cap;
};

static void
mud_bind_free(struct mud_bind *b)
{
	free(b->url);
	free(b->text);
	free(b->sig);
	free(b->source);
	free(b->by);
	memset(b, 0, sizeof(*b));
}

static int
mud_bind_copy(const struct ctl_store_mud *m, struct mud_bind *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->mac, m->mac, 6);
	b->vlan = m->vlan;
	b->len = m->file_len;
	b->at = m->imported_ms;
	b->url = strdup(m->mud_url);
	b->source = strdup(m->source);
	b->by = strdup(m->by);
	b->text = malloc(m->file_len + 1);
	if (m->signature != NULL && m->sig_len > 0) {
		b->sig = malloc(m->sig_len);
		if (b->sig != NULL) {
			memcpy(b->sig, m->signature, m->sig_len);
			b->sig_len = m->sig_len;
		}
	}
	if (!b->url || !b->source || !b->by || !b->text ||
	    (m->signature != NULL && m->sig_len > 0 && b->sig == NULL)) {
		mud_bind_free(b);
		return -ENOMEM;
	}
	memcpy(b->text, m->file, m->file_len);
	b->text[m->file_len] = '\0';
	return 0;
}

static int
mud_binds_cb(const struct ctl_store_mud *m, void *arg)
{
	struct mud_binds *l = arg;

	if (UTIL_ARRAY_GROW(l->v, l->cap, l->n, 16) < 0)
		return -ENOMEM;
	if (mud_bind_copy(m, &l->v[l->n]) < 0)
		return -ENOMEM;
	l->n++;
	return 0;
}

static void
mud_binds_free(struct mud_binds *l)
{
	for (size_t i = 0; i < l->n; i++)
		mud_bind_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
mud_binds_load(struct ctl_state *s, struct mud_binds *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	rc = ctl_store_mud_list(s->st, mud_binds_cb, l);
	if (rc < 0)
		mud_binds_free(l);
	return rc;
}

static bool
mud_binds_has(const struct mud_binds *l, const uint8_t mac[6])
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i].mac, mac, 6) == 0)
			return true;
	return false;
}

/*
 * cordond's context for compiling any binding: its own, without the
 * "device" part, with peers = its own + the bindings + the inventory's
 * devices that announced a MUD URL. Strings are borrowed from the base,
 * except the peers: release with mud_ctx_release().
 */
static int
mud_ctx_build(const struct ctl_state *s, const struct mud_binds *l,
	      const struct ctl_pol_inventory *inv, struct ctl_mud_context *c)
{
	const struct ctl_mud_context *base = s->mud_ctx;
	int rc = 0;

	if (base != NULL)
		*c = *base;
	else
		memset(c, 0, sizeof(*c));
	c->has_mac = 0;
	memset(c->device_mac, 0, 6);
	c->mud_url = NULL;
	c->authority = NULL;
	c->peers = NULL;
	c->n_peers = 0;
	for (size_t i = 0; base != NULL && rc == 0 && i < base->n_peers; i++)
		if (base->peers[i].mud_url != NULL)
			rc = ctl_mud_context_add_peer(c, base->peers[i].mac,
						      base->peers[i].mud_url);
	for (size_t i = 0; l != NULL && rc == 0 && i < l->n; i++)
		rc = ctl_mud_context_add_peer(c, l->v[i].mac, l->v[i].url);
	for (size_t i = 0; inv != NULL && rc == 0 && i < inv->n_devs; i++) {
		const struct ctl_pol_inv_device *d = &inv->devs[i];

		if (d->mud_url == NULL || d->mud_url[0] == '\0' ||
		    (l != NULL && mud_binds_has(l, d->mac)))
			continue;
		rc = ctl_mud_context_add_peer(c, d->mac, d->mud_url);
	}
	return rc;
}

static void
mud_ctx_release(struct ctl_mud_context *c)
{
	for (size_t i = 0; i < c->n_peers; i++)
		free(c->peers[i].mud_url);
	free(c->peers);
	c->peers = NULL;
	c->n_peers = 0;
}

/* Every binding's rules into pol. A binding whose file no longer compiles
 * (it did at import) is left out and counted, not fatal. */
static int
mud_compose(struct ctl_state *s, const struct ctl_pol_inventory *inv,
	    Cordon__Policy *pol, size_t *added)
{
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	struct mud_binds l;
	char err[512];
	int rc;

	*added = 0;
	s->mud_skipped = 0;
	s->mud_note[0] = '\0';
	rc = mud_binds_load(s, &l);
	if (rc < 0)
		return rc;
	rc = mud_ctx_build(s, &l, inv, &ctx);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		int r = ctl_mud_compile(l.v[i].text, l.v[i].len, l.v[i].url,
					&ctx, l.v[i].mac,
					CTL_STATE_MUD_PRIORITY, pol, &res,
					err, sizeof(err));

		if (r == -ENOMEM) {
			rc = r;
		} else if (r < 0) {
			if (s->mud_skipped++ == 0)
				snprintf(s->mud_note, sizeof(s->mud_note),
					 "%.200s", err);
		} else {
			(*added)++;
		}
	}
	mud_ctx_release(&ctx);
	mud_binds_free(&l);
	return rc;
}

static int
mud_check_signature(const struct ctl_state *s, const struct ctl_state_mud *m,
		    char *err, size_t errlen)
{
	char why[512];

	if (m->sig == NULL || m->sig_len == 0) {
		if (s->mud_accept_unsigned)
			return 0;
		snprintf(err, errlen, "%s: unsigned, and cordond accepts only "
			 "signed MUD files (see --mud-accept-unsigned)",
			 m->name);
		return -EBADMSG;
	}
	if (s->mud_ca == NULL) {
		snprintf(err, errlen, "%s: signed, but cordond has no trust "
			 "anchors to verify it with (--mud-ca)", m->name);
		return -EBADMSG;
	}
	if (ctl_mud_sig_verify_mem(m->text, m->len, m->sig, m->sig_len,
				   s->mud_ca, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", m->name, why);
		return -EBADMSG;
	}
	return 0;
}

int
ctl_state_mud_check(struct ctl_state *s, const struct ctl_state_mud *m,
		    const struct ctl_pol_inventory *inv,
		    struct ctl_mud_result *res, char *err, size_t errlen)
{
	struct ctl_mud_context ctx;
	struct mud_binds l;
	Cordon__Policy *scratch;
	int rc;

	if (m->text == NULL || m->len > CTL_MUD_FILE_MAX) {
		snprintf(err, errlen, "%s: no MUD file, or larger than %u "
			 "bytes", m->name, CTL_MUD_FILE_MAX);
		return -EINVAL;
	}
	rc = mud_check_signature(s, m, err, errlen);
	if (rc < 0)
		return rc;
	rc = mud_binds_load(s, &l);
	if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		return rc;
	}
	scratch = ctl_cmp_policy_new();
	rc = scratch == NULL ? -ENOMEM : mud_ctx_build(s, &l, inv, &ctx);
	if (rc == 0) {
		rc = ctl_mud_compile(m->text, m->len, m->name, &ctx, m->mac,
				     CTL_STATE_MUD_PRIORITY, scratch, res, err,
				     errlen);
		mud_ctx_release(&ctx);
	}
	if (rc == 0 && res->mud_url[0] == '\0') {
		snprintf(err, errlen, "%s: the file names no mud-url",
			 m->name);
		rc = -EINVAL;
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	ctl_cmp_policy_free(scratch);
	mud_binds_free(&l);
	return rc;
}

static int
mud_get_cb(const struct ctl_store_mud *m, void *arg)
{
	return mud_bind_copy(m, arg);
}

static int
mud_put(struct ctl_state *s, const struct mud_bind *b)
{
	struct ctl_store_mud m = {
		.vlan = b->vlan, .mud_url = b->url, .file = b->text,
		.file_len = b->len, .signature = b->sig,
		.sig_len = b->sig_len, .source = b->source, .by = b->by,
		.imported_ms = b->at,
	};

	memcpy(m.mac, b->mac, 6);
	return ctl_store_mud_put(s->st, &m);
}

/* Make the next version after a binding changed; -ENOENT (no source yet)
 * is success with *out NULL. */
static int
mud_reapply(struct ctl_state *s, const char *by,
	    const struct ctl_pol_inventory *inv, uint64_t now_ms,
	    Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
	    char *err, size_t errlen)
{
	int rc;

	*out = NULL;
	*signed_out = NULL;
	*signed_len = 0;
	rc = ctl_state_apply(s, NULL, NULL, by, 0, inv, now_ms, out,
			     signed_out, signed_len, err, errlen);
	if (rc == -ENOENT) {
		*out = NULL;
		return 0;
	}
	return rc;
}

int
ctl_state_mud_import(struct ctl_state *s, const struct ctl_state_mud *m,
		     const struct ctl_pol_inventory *inv, uint64_t now_ms,
		     struct ctl_mud_result *res, Cordon__Policy **out,
		     uint8_t **signed_out, size_t *signed_len, char *err,
		     size_t errlen)
{
	struct mud_bind old = { 0 };
	struct ctl_store_mud nm = { 0 };
	bool had_old;
	int rc;

	*out = NULL;
	rc = ctl_state_mud_check(s, m, inv, res, err, errlen);
	if (rc < 0)
		return rc;
	rc = ctl_store_mud_get(s->st, m->mac, mud_get_cb, &old);
	if (rc < 0 && rc != -ENOENT)
		goto store_err;
	had_old = rc == 0;
	memcpy(nm.mac, m->mac, 6);
	nm.vlan = m->vlan;
	nm.mud_url = res->mud_url;
	nm.file = m->text;
	nm.file_len = m->len;
	nm.signature = m->sig_len > 0 ? m->sig : NULL;
	nm.sig_len = m->sig_len;
	nm.source = m->source;
	nm.imported_ms = now_ms;
	nm.by = m->by;
	rc = ctl_store_mud_put(s->st, &nm);
	if (rc < 0)
		goto store_err;
	rc = mud_reapply(s, m->by, inv, now_ms, out, signed_out, signed_len,
			 err, errlen);
	if (rc < 0) {
		/* Not in force: not bound either. */
		if (had_old)
			mud_put(s, &old);
		else
			ctl_store_mud_del(s->st, m->mac);
	}
	goto out;
store_err:
	snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
out:
	mud_bind_free(&old);
	return rc;
}

int
ctl_state_mud_remove(struct ctl_state *s, const uint8_t mac[6],
		     const char *by, const struct ctl_pol_inventory *inv,
		     uint64_t now_ms, Cordon__Policy **out,
		     uint8_t **signed_out, size_t *signed_len, char *err,
		     size_t errlen)
{
	struct mud_bind old = { 0 };
	int rc;

	*out = NULL;
	rc = ctl_store_mud_get(s->st, mac, mud_get_cb, &old);
	if (rc == -ENOENT) {
		snprintf(err, errlen, "no MUD file is bound to that device");
		return rc;
	}
	if (rc == 0)
		rc = ctl_store_mud_del(s->st, mac);
	if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		mud_bind_free(&old);
		return rc;
	}
	rc = mud_reapply(s, by, inv, now_ms, out, signed_out, signed_len, err,
			 errlen);
	if (rc < 0)
		mud_put(s, &old);
	mud_bind_free(&old);
	return rc;
}

int
ctl_state_mud_list(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		   ctl_state_mud_cb cb, void *arg)
{
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	struct mud_binds l;
	char err[512];
	int rc;

	rc = mud_binds_load(s, &l);
	if (rc < 0)
		return rc;
	rc = mud_ctx_build(s, &l, inv, &ctx);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		const struct mud_bind *b = &l.v[i];
		struct ctl_store_mud m = {
			.vlan = b->vlan, .mud_url = b->url, .file = b->text,
			.file_len = b->len, .signature = b->sig,
			.sig_len = b->sig_len, .source = b->source,
			.by = b->by, .imported_ms = b->at,
		};
		char sha[65];
		Cordon__Policy *scratch = ctl_cmp_policy_new();
		int r;

		if (scratch == NULL) {
			rc = -ENOMEM;
			break;
		}
		memcpy(m.mac, b->mac, 6);
		if (util_hash_sha256_hex(b->text, b->len, sha) == 0)
			m.sha256 = sha;
		else
			m.sha256 = "";
		err[0] = '\0';
		r = ctl_mud_compile(b->text, b->len, b->url, &ctx, b->mac,
				    CTL_STATE_MUD_PRIORITY, scratch, &res, err,
				    sizeof(err));
		ctl_cmp_policy_free(scratch);
		rc = cb(&m, r == 0 ? &res : NULL, err, arg);
	}
	mud_ctx_release(&ctx);
	mud_binds_free(&l);
	return rc;
}

/*
 * What the store adds to a compiled policy: MUD files, quarantine, segment
 * overrides, consents. *composed: whether any of them added anything.
 * 0, or -errno with err set.
 */
static int
ctl_state_compose(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		  Cordon__Policy *pol, bool *composed, char *err,
		  size_t errlen)
{
	struct ctl_cmp_tally seg = { .pol = pol }, consent = { .pol = pol };
	size_t n_mud = 0;
	int rc;

	rc = mud_compose(s, inv, pol, &n_mud);
	if (rc >= 0)
		rc = ctl_store_quarantine_list(s->st, ctl_state_add_quarantined,
					       pol);
	if (rc >= 0) {
		rc = ctl_audit_segment_compose(s->st, &seg);
		s->segment_skipped = seg.skipped;
	}
	if (rc >= 0) {
		rc = ctl_consent_compose(s->st, &consent);
		s->consent_skipped = consent.skipped;
	}
	*composed = n_mud > 0 || seg.added > 0 || consent.added > 0;
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	else if (rc < 0)
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
	return rc < 0 ? rc : 0;
}

/*
 * ctl_state_apply(), with the version whose source (or pushed base) a
 * NULL source stands for: from, or the latest when 0.
 */
static int
ctl_state_make(struct ctl_state *s, const char *source, const char *name,
	       const char *by, uint64_t rollback_of, uint64_t from,
	       const struct ctl_pol_inventory *inv, uint64_t now_ms,
	       Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
	       char *err, size_t errlen)
{
	struct ctl_store_policy latest = { 0 };
	Cordon__Policy *pol = NULL;
	uint64_t base = 0;
	bool composed;
	int rc;

	if (source == NULL) {
		rc = from != 0 ? ctl_store_policy_get(s->st, from, &latest) :
			ctl_store_policy_latest(s->st, &latest);
		if (rc == -ENOENT) {
			snprintf(err, errlen, from != 0 ? "no such version" :
				 "no policy has been applied yet");
			goto out;
		}
		if (rc < 0)
			goto store_err;
		if (latest.source == NULL) {
			/* A pushed compiled policy, or one made on it. */
			base = latest.base != 0 ? latest.base : latest.version;
			rc = ctl_state_base(s, base, &pol, err, errlen);
			if (rc < 0)
				goto out;
		} else {
			source = latest.source;
			if (name == NULL)
				name = "latest";
		}
	}
	if (pol == NULL) {
		rc = ctl_pol_compile_buf(source, strlen(source), name, inv,
					 &pol, err, errlen);
		if (rc < 0)
			goto out;
	}
	rc = ctl_state_compose(s, inv, pol, &composed, err, errlen);
	if (rc < 0)
		goto out;
	/* The YAML compiler validated its part; the whole must pass too. */
	if ((composed || base != 0) && policy_validate(pol, err, errlen) < 0) {
		rc = -EINVAL;
		goto out;
	}

	rc = ctl_state_store(s, pol, source, by, rollback_of, base, now_ms,
			     signed_out, signed_len, err, errlen);
	if (rc < 0)
		goto out;
	*out = pol;
	pol = NULL;
	rc = 0;
	goto out;
store_err:
	snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
out:
	if (pol != NULL)
		cordon__policy__free_unpacked(pol, NULL);
	if (latest.version != 0)
		ctl_store_policy_free(&latest);
	return rc;
}

int
ctl_state_apply(struct ctl_state *s, const char *source, const char *name,
		const char *by, uint64_t rollback_of,
		const struct ctl_pol_inventory *inv, uint64_t now_ms,
		Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
		char *err, size_t errlen)
{
	return ctl_state_make(s, source, name, by, rollback_of, 0, inv,
			      now_ms, out, signed_out, signed_len, err,
			      errlen);
}

int
ctl_state_rollback(struct ctl_state *s, uint64_t version, const char *by,
		   const struct ctl_pol_inventory *inv, uint64_t now_ms,
		   Cordon__Policy **out, uint8_t **signed_out,
		   size_t *signed_len, char *err, size_t errlen)
{
	return ctl_state_make(s, NULL, "rollback", by, version, version, inv,
			      now_ms, out, signed_out, signed_len, err,
			      errlen);
}

int
ctl_state_type_notes(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		     Cordon__Policy **seg_of, char *err, size_t errlen)
{
	struct ctl_store_policy latest = { 0 };
	int rc;

	*seg_of = NULL;
	rc = ctl_store_policy_latest(s->st, &latest);
	if (rc == -ENOENT || (rc == 0 && latest.source == NULL)) {
		snprintf(err, errlen, "no policy has been applied yet");
		rc = -ENOENT;
	} else if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
	} else {
		rc = ctl_pol_compile_buf(latest.source, strlen(latest.source),
					 "policy", inv, seg_of, err, errlen);
	}
	if (latest.version != 0)
		ctl_store_policy_free(&latest);
	return rc;
}

static int
ctl_state_store(struct ctl_state *s, Cordon__Policy *pol, const char *source,
		const char *by, uint64_t rollback_of, uint64_t base,
		uint64_t now_ms, uint8_t **signed_out, size_t *signed_len,
		char *err, size_t errlen)
{
	struct ctl_store_policy rec = { 0 };
	uint64_t latest = 0;
	uint8_t *bytes, *sig = NULL;
	size_t len, sig_len = 0;
	int rc;

	rc = ctl_store_policy_latest_version(s->st, &latest);
	if (rc < 0 && rc != -ENOENT) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		return rc;
	}
	if (pol->version <= latest)
		pol->version = latest + 1;
	len = cordon__policy__get_packed_size(pol);
	bytes = malloc(len ? len : 1);
	if (bytes == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cordon__policy__pack(pol, bytes);
	if (s->have_key) {
		rc = policy_sign(&s->key, bytes, len, now_ms, &sig, &sig_len,
				 err, errlen);
		if (rc < 0)
			goto out;
	}
	rec.version = pol->version;
	rec.created_ms = now_ms;
	rec.source = (char *)source;	/* NULL: pushed compiled */
	rec.compiled = bytes;
	rec.compiled_len = len;
	rec.signed_policy = sig;
	rec.signed_len = sig_len;
	rec.comment = pol->comment;
	rec.applied_by = (char *)(by ? by : "");
	rec.rollback_of = rollback_of;
	rec.base = base;
	rc = ctl_store_policy_add(s->st, &rec);
	if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		goto out;
	}
	*signed_out = sig;
	*signed_len = sig_len;
	sig = NULL;
out:
	free(bytes);
	free(sig);
	return rc;
}

int
ctl_state_add_compiled(struct ctl_state *s, Cordon__Policy *pol,
		       const char *source, const char *by,
		       uint64_t rollback_of, uint64_t now_ms,
		       uint8_t **signed_out, size_t *signed_len, char *err,
		       size_t errlen)
{
	return ctl_state_store(s, pol, source, by, rollback_of, 0, now_ms,
			       signed_out, signed_len, err, errlen);
}

int
ctl_state_latest(struct ctl_state *s, Cordon__Policy **out,
		 uint8_t **signed_out, size_t *signed_len)
{
	struct ctl_store_policy p = { 0 };
	int rc;

	*out = NULL;
	*signed_out = NULL;
	*signed_len = 0;
	rc = ctl_store_policy_latest(s->st, &p);
	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	*out = cordon__policy__unpack(NULL, p.compiled_len, p.compiled);
	if (*out != NULL && p.signed_policy != NULL) {
		*signed_out = malloc(p.signed_len);
		if (*signed_out != NULL) {
			memcpy(*signed_out, p.signed_policy, p.signed_len);
			*signed_len = p.signed_len;
		}
	}
	ctl_store_policy_free(&p);
	return *out != NULL ? 0 : -EBADMSG;
}

/* --- Diff ------------------------------------------------------------ */

struct ctl_state_text {
	char *buf;
	size_t len, cap;
};

static int
text_add(struct ctl_state_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
text_add(struct ctl_state_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL,
			      t->buf ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if (t->buf != NULL && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return 0;
		}
		size_t cap = (t->cap + (size_t)n + 1) * 2;
		char *nb = realloc(t->buf, cap);

		if (nb == NULL)
			return -ENOMEM;
		t->buf = nb;
		t->cap = cap;
	}
}

/* One message as a line of JSON. */
static int
text_json(struct ctl_state_text *t, const char *what,
	  const ProtobufCMessage *m)
{
	json_t *j = ctl_pbjson(m);
	char *s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) :
		NULL;
	int rc = s != NULL ? text_add(t, "%s %s\n", what, s) : -ENOMEM;

	free(s);
	json_decref(j);
	return rc;
}

/*
 * What a version is, as text to diff: its source, then what cordond
 * composed into it (quarantine, MUD rules); for a version without a
 * source (pushed compiled), its devices and rules one per line.
 */
static int
ctl_state_version_text(const struct ctl_store_policy *p,
		       struct ctl_state_text *t)
{
	Cordon__Policy *pol;
	int rc = 0;

	pol = cordon__policy__unpack(NULL, p->compiled_len, p->compiled);
	if (pol == NULL)
		return -EBADMSG;
	if (p->source != NULL)
		rc = text_add(t, "%s%s", p->source,
			      p->source[0] && p->source[strlen(p->source) - 1]
			      != '\n' ? "\n" : "");
	else
		rc = text_add(t, "# compiled policy, pushed (version %" PRIu64
			      ")\n", p->base ? p->base : p->version);
	if (rc == 0)
		rc = text_add(t, "# --- composed by cordond ---\n");
	for (size_t i = 0; rc == 0 && i < pol->n_quarantined; i++)
		rc = text_add(t, "quarantine %s\n",
			      pol->quarantined[i].len == 6 ?
			      util_mac_str(pol->quarantined[i].data) : "?");
	for (size_t i = 0; rc == 0 && p->source == NULL &&
	     i < pol->n_devices; i++)
		rc = text_json(t, "device", &pol->devices[i]->base);
	for (size_t i = 0; rc == 0 && i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];
		bool mud = r->comment != NULL &&
			strncmp(r->comment, "mud ", 4) == 0;

		if (p->source == NULL || mud)
			rc = text_json(t, mud ? "mud-rule" : "rule", &r->base);
	}
	cordon__policy__free_unpacked(pol, NULL);
	return rc;
}

int
ctl_state_diff(struct ctl_state *s, uint64_t a, uint64_t b, char **out,
	       char *err, size_t errlen)
{
	struct ctl_store_policy pa = { 0 }, pb = { 0 };
	struct ctl_state_text ta = { 0 }, tb = { 0 };
	char la[48], lb[48];
	int rc;

	*out = NULL;
	rc = ctl_store_policy_get(s->st, a, &pa);
	if (rc == 0)
		rc = ctl_store_policy_get(s->st, b, &pb);
	if (rc < 0) {
		snprintf(err, errlen, "%s", rc == -ENOENT ? "no such version" :
			 ctl_store_errmsg(s->st));
		goto out;
	}
	rc = ctl_state_version_text(&pa, &ta);
	if (rc == 0)
		rc = ctl_state_version_text(&pb, &tb);
	if (rc == 0) {
		snprintf(la, sizeof(la), "policy %" PRIu64, a);
		snprintf(lb, sizeof(lb), "policy %" PRIu64, b);
		rc = ctl_diff_text(ta.buf, la, tb.buf, lb, out);
	}
	if (rc < 0)
		snprintf(err, errlen, "%s", rc == -EBADMSG ?
			 "a stored version does not decode" : strerror(-rc));
out:
	free(ta.buf);
	free(tb.buf);
	ctl_store_policy_free(&pa);
	ctl_store_policy_free(&pb);
	return rc;
}
