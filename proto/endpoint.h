/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Where cordond listens by default, so that the three programs agree
 * without flags: ipc sockets in a runtime directory chosen as
 *   $CORDON_RUNDIR, else /run/cordon for root, else $XDG_RUNTIME_DIR/cordon,
 *   else /tmp/cordon-<uid>.
 */

#ifndef CORDON_ENDPOINT_H
#define CORDON_ENDPOINT_H

#include <stddef.h>

#define ENDPOINT_DATAPLANE_SOCK "dataplane.sock"
#define ENDPOINT_CTL_SOCK "ctl.sock"

/* Write the runtime directory into buf. Returns 0 or -ENAMETOOLONG. */
int endpoint_rundir(char *buf, size_t len);

/* "ipc://<rundir>/<sock>". Returns 0 or -ENAMETOOLONG. */
int endpoint_default_url(const char *rundir, const char *sock, char *buf,
			 size_t len);

/* Where cordond keeps durable state: $CORDON_STATE_DIR, else
 * /var/lib/cordon for root, else $HOME/.local/state/cordon. */
int endpoint_statedir(char *buf, size_t len);

/* Create dir (and parents) with mode 0700 if missing. Returns 0 or -errno. */
int endpoint_mkdir(const char *dir);

/* Without creating anything: can this process use dir, an existing
 * writable directory, or create it (the nearest existing ancestor is a
 * writable directory)? For --check-config. Returns 0, or -errno with the
 * reason in err. */
int endpoint_dir_usable(const char *dir, char *err, size_t errlen);

#endif /* CORDON_ENDPOINT_H */
