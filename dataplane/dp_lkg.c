/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_lkg.h"
#include "util_err.h"
#include "util_file.h"
#include <unistd.h>

/* Set by dp_lkg_load_any() when path did not verify. */
static bool dp_lkg_keep_prev = true;

int
dp_lkg_save(const char *path, const void *buf, size_t len, char *err,
	    size_t errlen)
{
	char prev[PATH_MAX];

	if (path == NULL || buf == NULL || len == 0)
		return -EINVAL;
	if ((size_t)snprintf(prev, sizeof(prev), "%s" DP_LKG_PREV_SUFFIX,
			     path) >= sizeof(prev))
		return -ENAMETOOLONG;
	/* Only a file that verifies becomes the older good one: a corrupt
	 * newest file must not push out a good older one. */
	if (dp_lkg_keep_prev && access(path, F_OK) == 0 &&
	    rename(path, prev) < 0) {
		util_err_set(err, errlen, "%s: %s", prev, strerror(errno));
		return -errno;
	}
	dp_lkg_keep_prev = true;
	return util_file_write_atomic(path, buf, len, 0600, err, errlen);
}

int
dp_lkg_load(const char *path, const struct policy_verify_keyring *kr,
	    struct policy_verify_out *out, char *err, size_t errlen)
{
	char why[200], *buf = NULL;
	size_t len = 0;
	int ret;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (path == NULL || kr == NULL || out == NULL)
		return -EINVAL;
	ret = util_file_read(path, POLICY_SIG_MAX_SIZE, &buf, &len, why,
			     sizeof(why));
	if (ret < 0) {
		util_err_set(err, errlen, "last-known-good %s", why);
		return ret;
	}
	ret = policy_verify(kr, buf, len, out, why, sizeof(why));
	if (ret < 0)
		util_err_set(err, errlen, "last-known-good %s: %s", path, why);
	free(buf);
	return ret;
}

int
dp_lkg_load_any(const char *path, const struct policy_verify_keyring *kr,
		struct policy_verify_out *out, bool *older, char *err,
		size_t errlen)
{
	char prev[PATH_MAX], why[300];
	int rc, rc2;

	*older = false;
	if ((size_t)snprintf(prev, sizeof(prev), "%s" DP_LKG_PREV_SUFFIX,
			     path) >= sizeof(prev))
		return -ENAMETOOLONG;
	rc = dp_lkg_load(path, kr, out, why, sizeof(why));
	if (rc == 0)
		return 0;
	/* The newest is bad: the older stays the older until one is good. */
	dp_lkg_keep_prev = rc == -ENOENT;
	rc2 = dp_lkg_load(prev, kr, out, err, errlen);
	if (rc2 == 0) {
		*older = true;
		util_err_set(err, errlen, "%s", why);
		return 0;
	}
	if (rc == -ENOENT && rc2 == -ENOENT)
		return -ENOENT;
	{
		char older_why[300];

		snprintf(older_why, sizeof(older_why), "%s", rc2 == -ENOENT ?
			 "no older one" : err);
		util_err_set(err, errlen, "%s; and %s", why, older_why);
	}
	return rc != -ENOENT ? rc : rc2;
}
