/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A compiled policy as a file: a serialized cordon.Policy, as protoc
 * --encode=cordon.Policy writes it. `cordon-dataplane --policy FILE` and
 * `cordonctl policy push FILE` read it.
 */

#ifndef CORDON_POLICY_FILE_H
#define CORDON_POLICY_FILE_H

#include <stddef.h>

#include "cordon.pb-c.h"

/* Largest policy file policy_file_load() accepts. */
#define POLICY_FILE_MAX (64u << 20)

/*
 * Read a binary Policy file. On success *out is the caller's
 * (cordon__policy__free_unpacked(*out, NULL)). The policy is not
 * validated. Errors: -ENOENT/-EACCES/-EIO (cannot read), -EINVAL (not a
 * regular file), -ENODATA (empty), -EFBIG (larger than POLICY_FILE_MAX),
 * -EBADMSG (not a Policy; a text-format file is named as such).
 */
int policy_file_load(const char *path, Cordon__Policy **out, char *err,
		     size_t errlen);

#endif /* CORDON_POLICY_FILE_H */
