/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The last-known-good policies (LKG): the last two signed policies that
 * verified and went into force, kept on disk (--state-dir) so that a
 * dataplane restarted without cordond enforces the newer from its first
 * packet. Each file is the SignedPolicy bytes themselves and is verified
 * again whenever it is loaded: a file tampered with on disk or torn by a
 * crash is refused, never half-used, and the older one (PATH.prev) is
 * tried next. No EAL.
 */

#ifndef CORDON_DP_LKG_H
#define CORDON_DP_LKG_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_verify.h"

#define DP_LKG_PREV_SUFFIX ".prev"

/*
 * Keep path as PATH.prev (the older good one), then write the SignedPolicy
 * bytes to path atomically (util_file_write_atomic: a crash leaves the old
 * policy or the new one, whole; between the two steps, PATH.prev alone).
 * Only pass bytes that policy_verify() accepted. Returns 0 or -errno.
 */
int dp_lkg_save(const char *path, const void *buf, size_t len, char *err,
		size_t errlen);

/*
 * Read path and verify it like policy_verify(). Returns 0, -ENOENT when
 * there is no LKG file, -EFBIG, another -errno when it cannot be read, or
 * a POLICY_SIG_E_* when its content is refused; err starts with
 * "last-known-good".
 */
int dp_lkg_load(const char *path, const struct policy_verify_keyring *kr,
		struct policy_verify_out *out, char *err, size_t errlen);

/*
 * dp_lkg_load(path), and when it is refused or missing PATH.prev (*older
 * true, err saying why the newer was not used). -ENOENT when neither
 * exists; another error when none verifies, err saying why for both.
 */
int dp_lkg_load_any(const char *path, const struct policy_verify_keyring *kr,
		    struct policy_verify_out *out, bool *older, char *err,
		    size_t errlen);

#endif /* CORDON_DP_LKG_H */
