/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Backups of the store (cordonctl backup FILE, and every
 * --backup-interval seconds into STATE-DIR/backups, the newest three kept).
 * SQLite's online backup API copies one snapshot while cordond goes on;
 * `cordond --restore FILE` (ctl_state_restore()) completes the loop.
 *
 * A backup of a large store takes a while: it runs on a connection of its
 * own (ctl_store_backup()) with cordond's lock released, so that requests,
 * reports and polls are served meanwhile.
 *
 * Scheduled backups run on a thread of their own, woken by the wake hook
 * when one is due (at most one pending: a backup still running when the
 * next falls due is followed by one more, not a queue). Not on the thread
 * that ran the hook: that is one of nng's few callback threads (or the
 * watchdog's), and a backup blocking it for seconds on a loaded machine
 * delays every connection, until the listener probe takes the endpoint for
 * dead. And one thread keeps the backup's transient page buffers (two
 * SQLite connections' caches) in one malloc arena, instead of leaving a
 * few MiB of free space behind in each arena of each thread that ran one.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "util_thread.h"

struct cd_backups {
	pthread_t thread;
	pthread_mutex_t lock;		/* due, stop */
	pthread_cond_t cond;
	bool due;
	bool stop;
};

static nng_msg *
cd_backup_request(struct cordond *d, struct cd_req *r)
{
	const Cordon__Backup *q = cd_in(r);
	Cordon__Backup rep = CORDON__BACKUP__INIT;
	char path[PATH_MAX], err[PATH_MAX + 128];
	int rc;

	if (q->path[0] != '\0' && q->path[0] != '/')
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"backup: the path must be absolute");
	pthread_mutex_unlock(&d->lock);
	rc = ctl_state_backup(&d->state, q->path[0] ? q->path : NULL,
			      util_time_now_ms(), path, sizeof(path), err,
			      sizeof(err));
	pthread_mutex_lock(&d->lock);
	if (rc < 0) {
		cd_log("backup failed: %s", err);
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	}
	cd_log("store backed up to %s", path);
	rep.path = path;
	return cd_reply(d, r->msg->request_id,
			CORDON__MSG_TYPE__MSG_BACKUP_REPLY, &rep.base);
}

/* The scheduled backups' thread. */
static void *
cd_backup_main(void *arg)
{
	struct cordond *d = arg;
	struct cd_backups *b = d->backups;
	char path[PATH_MAX], err[PATH_MAX + 128];
	int rc;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->due && !b->stop)
			pthread_cond_wait(&b->cond, &b->lock);
		if (b->stop)
			break;
		b->due = false;
		pthread_mutex_unlock(&b->lock);
		rc = ctl_state_backup(&d->state, NULL, util_time_now_ms(), path,
				      sizeof(path), err, sizeof(err));
		pthread_mutex_lock(&d->lock);
		if (rc < 0) {
			d->counters[CD_STORE_ERRORS]++;
			cd_log("scheduled backup failed: %s", err);
		} else {
			cd_log("store backed up to %s", path);
		}
		pthread_mutex_unlock(&d->lock);
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* From the watchdog's ticks (and after requests): is one due? */
static void
cd_backup_wake(struct cordond *d, uint64_t now_ms, struct cd_wake *w)
{
	uint64_t every = (uint64_t)d->conf.backup_interval_s * 1000;
	struct cd_backups *b = d->backups;

	(void)w;
	if (b == NULL)
		return;
	if (d->backup_next_ms == 0)
		d->backup_next_ms = now_ms + every;
	if (now_ms < d->backup_next_ms)
		return;
	d->backup_next_ms = now_ms + every;
	pthread_mutex_lock(&b->lock);
	b->due = true;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/* The thread, when backups are scheduled at all. */
static int
cd_backup_init(struct cordond *d, char *err, size_t errlen)
{
	struct cd_backups *b;
	int rc;

	if (d->conf.backup_interval_s == 0)
		return 0;
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	d->backups = b;
	rc = pthread_create(&b->thread, NULL, cd_backup_main, d);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the backup thread: %s",
			 strerror(rc));
		pthread_cond_destroy(&b->cond);
		pthread_mutex_destroy(&b->lock);
		free(b);
		d->backups = NULL;
		return -rc;
	}
	return 0;
}

/* Lock not held: the thread may be waiting for it to log. */
static void
cd_backup_fini(struct cordond *d)
{
	struct cd_backups *b = d->backups;

	if (b == NULL)
		return;
	util_thread_stop(b->thread, &b->lock, &b->cond, &b->stop);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
	d->backups = NULL;
}

static const struct cd_handler cd_backup_handlers[] = {
	CD_HANDLER(BACKUP, CLI, cd_backup_request),
};

CD_FEATURE(backup, .init = cd_backup_init, .fini = cd_backup_fini,
	   .on_wake = cd_backup_wake);
