/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Files: read one whole, write all of a buffer, and replace one
 * atomically and durably (a crash leaves the old content or the new, whole).
 */

#ifndef CORDON_UTIL_FILE_H
#define CORDON_UTIL_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read a whole regular file of at most max bytes. *out is NUL-terminated
 * (the NUL is not counted in *len) and the caller's to free. A file that
 * shrinks while it is read yields what is there. On error err holds
 * "PATH: reason"; returns 0, -errno of open/fstat/read, -EINVAL (not a
 * regular file), -EFBIG (larger than max) or -ENOMEM.
 */
int util_file_read(const char *path, size_t max, char **out, size_t *len,
		   char *err, size_t errlen);

/* write(2) until all len bytes are written (EINTR retried). 0 or -errno. */
int util_file_write_all(int fd, const void *buf, size_t len);

/* fsync the directory holding path, so that a rename in it lasts. */
int util_file_fsync_dir(const char *path);

/*
 * Replace path with buf: a temporary file beside it (exactly mode, the
 * umask aside), fsync, rename over path, fsync of the directory. On
 * error err says why and path is untouched. Returns 0 or -errno.
 */
int util_file_write_atomic(const char *path, const void *buf, size_t len,
			   mode_t mode, char *err, size_t errlen);

/*
 * The same for a new file: -EEXIST ("PATH exists") when path is there,
 * and then it is untouched.
 */
int util_file_write_new(const char *path, const void *buf, size_t len,
			mode_t mode, char *err, size_t errlen);

/*
 * A file written by other means at tmp becomes path durably: fsync of tmp,
 * rename over path, fsync of the directory. 0 or -errno (tmp is left).
 */
int util_file_commit(const char *tmp, const char *path);

#endif /* CORDON_UTIL_FILE_H */
