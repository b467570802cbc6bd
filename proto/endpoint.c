/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endpoint.h"

/* dst = a b c, or -ENAMETOOLONG. */
static int
endpoint_join(char *dst, size_t len, const char *a, const char *b,
	      const char *c)
{
	int n = snprintf(dst, len, "%s%s%s", a, b, c);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

int
endpoint_rundir(char *buf, size_t len)
{
	const char *env = getenv("CORDON_RUNDIR");
	char uid[16];

	if (env != NULL && env[0] != '\0')
		return endpoint_join(buf, len, env, "", "");
	if (geteuid() == 0)
		return endpoint_join(buf, len, "/run/cordon", "", "");
	env = getenv("XDG_RUNTIME_DIR");
	if (env != NULL && env[0] != '\0')
		return endpoint_join(buf, len, env, "/", "cordon");
	snprintf(uid, sizeof(uid), "%u", (unsigned int)geteuid());
	return endpoint_join(buf, len, "/tmp/cordon-", uid, "");
}

int
endpoint_statedir(char *buf, size_t len)
{
	const char *env = getenv("CORDON_STATE_DIR");

	if (env != NULL && env[0] != '\0')
		return endpoint_join(buf, len, env, "", "");
	if (geteuid() == 0)
		return endpoint_join(buf, len, "/var/lib/cordon", "", "");
	env = getenv("HOME");
	return endpoint_join(buf, len, env ? env : "/tmp", "/.local/state",
			     "/cordon");
}

int
endpoint_default_url(const char *rundir, const char *sock, char *buf,
		     size_t len)
{
	char path[PATH_MAX];
	int rc = endpoint_join(path, sizeof(path), rundir, "/", sock);

	if (rc < 0)
		return rc;
	return endpoint_join(buf, len, "ipc://", path, "");
}

int
endpoint_mkdir(const char *dir)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
endpoint_dir_usable(const char *dir, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	struct stat st;
	size_t n = strlen(dir);
	char *slash;

	if (n == 0 || n >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: %s", dir, n ? "too long" : "empty");
		return -ENAMETOOLONG;
	}
	memcpy(tmp, dir, n + 1);
	/* Walk up to the nearest part that exists. */
	while (stat(tmp, &st) < 0) {
		if (errno != ENOENT) {
			int e = errno;	/* snprintf() may change it */

			snprintf(err, errlen, "%s: %s", tmp, strerror(e));
			return -e;
		}
		slash = strrchr(tmp, '/');
		if (slash == NULL)
			strcpy(tmp, ".");
		else if (slash == tmp)
			tmp[1] = '\0';
		else
			*slash = '\0';
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", tmp);
		return -ENOTDIR;
	}
	if (access(tmp, W_OK | X_OK) < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s%s", tmp, strerror(e),
			 strcmp(tmp, dir) == 0 ? "" : " (cannot create it)");
		return -e;
	}
	return 0;
}
