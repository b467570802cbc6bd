/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordond --compact: the store rewritten so that it shrinks
 * (ctl_store_compact()), with no cordond running on it. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl_state_impl.h"

/* Bytes as an operator reads them: 512 B, 3.4 MiB. */
static const char *
compact_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes < 1024)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else if (bytes < (1u << 20))
		snprintf(buf, len, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1u << 20));
	return buf;
}

int
ctl_state_compact(const char *dir, char *msg, size_t msglen, char *err,
		  size_t errlen)
{
	struct ctl_store_space before, after;
	char db[PATH_MAX], b[32], f[32], a[32];
	struct ctl_state s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.lock_fd = -1;
	snprintf(db, sizeof(db), "%.*s/%s", PATH_MAX - 64, dir, CTL_STATE_DB);
	if (access(db, F_OK) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", db, strerror(errno));
		return rc;
	}
	rc = ctl_state_lock(&s, dir, err, errlen);
	if (rc < 0)
		return rc;
	/* Opened as cordond opens it (migrated), and not rewritten when
	 * unsound: --restore is the way out of a corrupt store. */
	rc = ctl_store_open(db, &s.st, err, errlen);
	if (rc == 0)
		rc = ctl_store_check(s.st);
	if (rc == 0)
		rc = ctl_store_compact(s.st, &before, &after);
	if (rc < 0) {
		if (s.st != NULL)
			snprintf(err, errlen, "%s", ctl_store_errmsg(s.st));
		goto out;
	}
	snprintf(msg, msglen, "compacted %s: %s (%s of it free pages) -> %s; "
		 "from now on it gives back the pages the retention frees",
		 db, compact_size(b, sizeof(b), before.bytes),
		 compact_size(f, sizeof(f), before.free_bytes),
		 compact_size(a, sizeof(a), after.bytes));
out:
	ctl_state_close(&s);
	return rc;
}
