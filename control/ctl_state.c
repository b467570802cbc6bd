/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The state directory: made 0700, locked (one cordond per directory),
 * its store opened and checked, its signing key loaded. Making versions
 * is ctl_state_version.c, the rest ctl_state_<concern>.c (ctl_state.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_state_impl.h"
#include "endpoint.h"
#include "util_file.h"

/*
 * One cordond per state directory, as PostgreSQL's postmaster.pid: an
 * flock on DIR/cordond.lock held for the life of the process (the kernel
 * drops it when the process dies, even by kill -9), with the holder's pid
 * in the file for the message of the one refused.
 */
int
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
int
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

void
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
