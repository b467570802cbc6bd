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
 * reports and polls are served meanwhile; backup_next_ms, set before the
 * lock goes, keeps a second scheduled one from starting.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cd.h"

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
			      cd_now_ms(), path, sizeof(path), err,
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

/* The scheduled backups, from the watchdog's ticks. */
static void
cd_backup_wake(struct cordond *d, uint64_t now_ms, struct cd_wake *w)
{
	uint64_t every = (uint64_t)d->conf.backup_interval_s * 1000;
	char path[PATH_MAX], err[PATH_MAX + 128];
	int rc;

	(void)w;
	if (every == 0)
		return;
	if (d->backup_next_ms == 0)
		d->backup_next_ms = now_ms + every;
	if (now_ms < d->backup_next_ms)
		return;
	d->backup_next_ms = now_ms + every;
	pthread_mutex_unlock(&d->lock);
	rc = ctl_state_backup(&d->state, NULL, now_ms, path, sizeof(path),
			      err, sizeof(err));
	pthread_mutex_lock(&d->lock);
	if (rc < 0) {
		d->counters[CD_STORE_ERRORS]++;
		cd_log("scheduled backup failed: %s", err);
		return;
	}
	cd_log("store backed up to %s", path);
}

static const struct cd_handler cd_backup_handlers[] = {
	CD_HANDLER(BACKUP, CLI, cd_backup_request),
};

CD_FEATURE(backup, .on_wake = cd_backup_wake);
