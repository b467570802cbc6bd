/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Backups of the state directory's store (rotated in DIR/backups) and
 * cordond --restore. */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_state_impl.h"
#include "util_array.h"
#include "util_file.h"

/* The newest backup in DIR/backups, for the message of a refusal. */
void
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
ctl_state_restore(const char *dir, const char *file, uint64_t ids_above,
		  uint64_t now_ms, char *msg, size_t msglen, char *err,
		  size_t errlen)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	struct ctl_state s;
	char db[PATH_MAX], from[PATH_MAX], to[PATH_MAX], aside[PATH_MAX] = "";
	uint64_t ids[CTL_STORE_ID_TABLES] = { 0 };
	uint64_t own[CTL_STORE_ID_TABLES] = { 0 };
	bool unread = false;
	char note[256] = "";
	int rc;

	memset(&s, 0, sizeof(s));
	s.lock_fd = -1;
	if (ids_above > CTL_STORE_ID_MAX) {
		snprintf(err, errlen, "ids above %" PRIu64 ": more than "
			 "2^62", ids_above);
		return -EINVAL;
	}
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
		unread = ctl_store_ids_read(db, ids) < 0;
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
	for (size_t i = 0; i < CTL_STORE_ID_TABLES; i++)
		if (ids[i] < ids_above)
			ids[i] = ids_above;
	rc = ctl_state_copy(file, db, err, errlen);
	if (rc < 0)
		goto out;
	/* Open it as cordond will: migrated, checked, WAL. */
	rc = ctl_store_open(db, &s.st, err, errlen);
	if (rc == 0)
		rc = ctl_store_check(s.st);
	/* What the backup itself had handed out, for the message (0s where
	 * it cannot tell). */
	if (rc == 0)
		(void)ctl_store_ids_read(db, own);
	/* The ids the replaced store handed out are not handed out again. */
	if (rc == 0)
		rc = ctl_store_ids_floor(s.st, ids);
	if (rc < 0) {
		if (s.st != NULL)
			snprintf(err, errlen, "%s", ctl_store_errmsg(s.st));
		goto out;
	}
	ctl_state_fix_modes(db);
	if (unread && ids_above == 0)
		snprintf(note, sizeof(note), "; the replaced store's ids "
			 "could not be read, so ids after the backup's may be "
			 "given again (--ids-above N starts them above N)");
	else if (aside[0] == '\0' && ids_above == 0)
		snprintf(note, sizeof(note), "; no store was replaced, so ids "
			 "the backup's own store gave after it (above event "
			 "%" PRIu64 ", alert %" PRIu64 ", consent %" PRIu64
			 ") may be given again: --ids-above N, the last id "
			 "seen, starts them above N", own[0], own[1], own[2]);
	else if ((ids[0] | ids[1] | ids[2]) != 0)
		snprintf(note, sizeof(note), "; new ids go on above %s "
			 "(event %" PRIu64 ", alert %" PRIu64 ", consent %"
			 PRIu64 ")", ids_above == 0 ? "the replaced store's" :
			 aside[0] && !unread ?
			 "--ids-above and the replaced store's" :
			 "--ids-above",
			 ids[0] > own[0] ? ids[0] : own[0],
			 ids[1] > own[1] ? ids[1] : own[1],
			 ids[2] > own[2] ? ids[2] : own[2]);
	snprintf(msg, msglen, "restored %s from %s%s%s%s", db, file,
		 aside[0] ? "; the store it replaced is " : "", aside, note);
out:
	ctl_state_close(&s);
	return rc;
}
