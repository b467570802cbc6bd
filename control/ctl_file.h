/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_CTL_FILE_H
#define CORDON_CTL_FILE_H

#include <stddef.h>

/*
 * Read a whole regular file of at most max bytes. *out is NUL-terminated
 * (the NUL is not counted in *len) and the caller's to free. On error err
 * holds "PATH: reason"; returns 0, -errno of open/fstat, -EINVAL (not a
 * regular file), -EFBIG (larger than max), -EIO or -ENOMEM.
 */
int ctl_file_read(const char *path, size_t max, char **out, size_t *len,
		  char *err, size_t errlen);

#endif /* CORDON_CTL_FILE_H */
