/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "policy_file.h"
#include "util_err.h"
#include "util_file.h"

int
policy_file_load(const char *path, Cordon__Policy **out, char *err,
		 size_t errlen)
{
	Cordon__Policy *pol;
	char why[PATH_MAX + 64], *buf;
	size_t len;
	int ret;

	ret = util_file_read(path, POLICY_FILE_MAX, &buf, &len, why,
			     sizeof(why));
	if (ret < 0) {
		util_err_set(err, errlen, "policy %s", why);
		return ret;
	}
	if (len == 0) {
		ret = -ENODATA;
		util_err_set(err, errlen, "policy %s: file is empty", path);
		goto out;
	}
	pol = cordon__policy__unpack(NULL, len, (const uint8_t *)buf);
	if (pol == NULL) {
		ret = -EBADMSG;
		/* The usual mistake: the .txtpb instead of protoc's output. */
		if (buf[0] == '#' || (buf[0] >= 'a' && buf[0] <= 'z'))
			util_err_set(err, errlen, "policy %s: not a binary "
				     "Policy (text format? encode it with "
				     "protoc --encode=cordon.Policy)", path);
		else
			util_err_set(err, errlen, "policy %s: not a Policy "
				     "message", path);
		goto out;
	}
	*out = pol;
	ret = 0;
out:
	free(buf);
	return ret;
}
