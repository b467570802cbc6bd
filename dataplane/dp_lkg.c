/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp_lkg.h"
#include "util_err.h"
#include "util_file.h"

int
dp_lkg_save(const char *path, const void *buf, size_t len, char *err,
	    size_t errlen)
{
	if (path == NULL || buf == NULL || len == 0)
		return -EINVAL;
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
