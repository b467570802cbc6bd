/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_err.h"
#include "util_file.h"

int
util_file_read(const char *path, size_t max, char **out, size_t *len,
	       char *err, size_t errlen)
{
	struct stat sb;
	size_t got = 0;
	char *buf;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		rc = -errno;
		util_err_set(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &sb) < 0) {
		rc = -errno;
		util_err_set(err, errlen, "%s: %s", path, strerror(-rc));
		goto out_close;
	}
	if (!S_ISREG(sb.st_mode)) {
		util_err_set(err, errlen, "%s: not a regular file", path);
		rc = -EINVAL;
		goto out_close;
	}
	if ((uint64_t)sb.st_size > max) {
		util_err_set(err, errlen, "%s: too large (%lld bytes > %zu)",
			     path, (long long)sb.st_size, max);
		rc = -EFBIG;
		goto out_close;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL) {
		util_err_set(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)sb.st_size) {
		n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			util_err_set(err, errlen, "%s: %s", path,
				     strerror(-rc));
			free(buf);
			goto out_close;
		}
		if (n == 0)
			break;	/* shrank meanwhile: what is there */
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	rc = 0;
out_close:
	close(fd);
	return rc;
}

int
util_file_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
util_file_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, ret = 0;

	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else {
		if ((size_t)(slash - path) >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* tmp made anew with exactly mode, holding buf, synced; or removed. */
static int
write_tmp(const char *tmp, const void *buf, size_t len, mode_t mode,
	  char *err, size_t errlen)
{
	int fd, ret;

	unlink(tmp);	/* left over by a crashed run with our pid */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		ret = -errno;
		util_err_set(err, errlen, "%s: %s", tmp, strerror(errno));
		return ret;
	}
	/* The umask must not loosen or tighten what we ask for. */
	ret = fchmod(fd, mode) < 0 ? -errno : 0;
	if (ret == 0)
		ret = util_file_write_all(fd, buf, len);
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	if (ret < 0) {
		util_err_set(err, errlen, "%s: %s", tmp, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

/* The temporary file beside path, then renamed or linked to it. */
static int
write_file(const char *path, const void *buf, size_t len, mode_t mode,
	   bool replace, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	int ret;

	if (path == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
			     (long)getpid()) >= sizeof(tmp)) {
		util_err_set(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	ret = write_tmp(tmp, buf, len, mode, err, errlen);
	if (ret < 0)
		return ret;
	/* link() fails when path exists, atomically. */
	ret = (replace ? rename(tmp, path) : link(tmp, path)) < 0 ? -errno :
		0;
	unlink(tmp);	/* after link() or a failure; gone after rename() */
	if (ret == -EEXIST) {
		util_err_set(err, errlen, "%s exists", path);
		return ret;
	}
	if (ret < 0) {
		util_err_set(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = util_file_fsync_dir(path);
	if (ret < 0)
		util_err_set(err, errlen, "%s: directory fsync: %s", path,
			     strerror(-ret));
	return ret;
}

int
util_file_write_atomic(const char *path, const void *buf, size_t len,
		       mode_t mode, char *err, size_t errlen)
{
	return write_file(path, buf, len, mode, true, err, errlen);
}

int
util_file_write_new(const char *path, const void *buf, size_t len,
		    mode_t mode, char *err, size_t errlen)
{
	return write_file(path, buf, len, mode, false, err, errlen);
}

int
util_file_commit(const char *tmp, const char *path)
{
	int fd, ret = 0;

	fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		ret = -errno;
	close(fd);
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret == 0)
		ret = util_file_fsync_dir(path);
	return ret;
}
