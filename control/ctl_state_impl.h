/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Inside ctl_state: shared by its files, never by users of ctl_state.h.
 *
 *   ctl_state.c          the state directory: 0700, the lock, open, close
 *   ctl_state_backup.c   backups (rotated in DIR/backups) and --restore
 *   ctl_state_version.c  making a version: compile, compose, sign, store
 *   ctl_state_compose.c  what the store adds to a version: MUD rules,
 *                        quarantine, segment overrides, consents
 *   ctl_state_mud.c      MUD files bound to devices
 *   ctl_state_diff.c     two versions as text, diffed
 */

#ifndef CORDON_CTL_STATE_IMPL_H
#define CORDON_CTL_STATE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl_state.h"

/* ctl_state.c: DIR made 0700 whatever the umask or its earlier mode. */
int ctl_state_mkdir(const char *dir, char *err, size_t errlen);
/* ctl_state.c: take DIR's lock into s->lock_fd; -EBUSY naming the holder
 * when another cordond has it. */
int ctl_state_lock(struct ctl_state *s, const char *dir, char *err,
		   size_t errlen);
/* ctl_state.c: the store file db and its WAL and SHM, 0600. */
void ctl_state_fix_modes(const char *db);

/* ctl_state_backup.c: the newest backup in DIR/backups (or "BACKUP"), for
 * the message of a refusal. */
void ctl_state_newest_backup(const char *dir, char *out, size_t len);

/*
 * ctl_state_compose.c: what the store adds to a compiled policy: MUD
 * files, quarantine, segment overrides, consents. *composed: whether any
 * of them added anything. 0, or -errno with err set.
 */
int ctl_state_compose(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		      Cordon__Policy *pol, bool *composed, char *err,
		      size_t errlen);

/*
 * ctl_state_mud.c: every binding's rules into pol; *added counts them. A
 * binding whose file no longer compiles (it did at import) is left out
 * and counted in s->mud_skipped, not fatal. 0 or -ENOMEM (or a store
 * error).
 */
int ctl_state_mud_compose(struct ctl_state *s,
			  const struct ctl_pol_inventory *inv,
			  Cordon__Policy *pol, size_t *added);

#endif /* CORDON_CTL_STATE_IMPL_H */
