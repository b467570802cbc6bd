/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Policy signing, for cordond and `cordonctl keygen`: Ed25519 keys
 * (OpenSSL 3) in PEM files, and cordon.SignedPolicy messages that
 * policy_verify.c checks.
 *
 * Private key permissions: policy_sign_key_load() REFUSES a private key file
 * that group or others can read or write (mode & 077), or that is not a
 * regular file, as ssh does. Whoever can read the key can push any policy
 * to every dataplane, so a loud refusal beats a warning nobody reads.
 */

#ifndef CORDON_POLICY_SIGN_H
#define CORDON_POLICY_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy_sig.h"

/* File names policy_sign_keygen() writes in its directory. */
#define POLICY_SIGN_PRIV_NAME "policy-signing.key"
#define POLICY_SIGN_PUB_NAME "policy-signing.pub"

struct policy_sign_key {
	struct evp_pkey_st *pkey;		/* private Ed25519 key */
	uint8_t key_id[POLICY_SIG_KEY_ID_LEN];
};

/*
 * Make a new key pair in dir: POLICY_SIGN_PRIV_NAME (PKCS#8 PEM, mode 0600)
 * and POLICY_SIGN_PUB_NAME (SubjectPublicKeyInfo PEM, 0644). Each file is
 * written to a temporary name, fsynced and then moved into place. Without
 * force, an existing key file is never replaced: -EEXIST. Returns 0 or
 * -errno.
 */
int policy_sign_keygen(const char *dir, bool force, char *err, size_t errlen);

/*
 * Load a private key. Returns 0, -ENOENT/-EACCES, -EPERM (mode allows group
 * or other access, see above), -EINVAL (not a PEM private key, or not
 * Ed25519) or -ENOMEM.
 */
int policy_sign_key_load(const char *path, struct policy_sign_key *key,
			 char *err, size_t errlen);

void policy_sign_key_free(struct policy_sign_key *key);

/*
 * Sign serialized Policy bytes. The version in the SignedPolicy is read
 * from the Policy itself, which must decode (-EINVAL otherwise). On
 * success *signed_out (malloc()ed) holds a serialized SignedPolicy.
 */
int policy_sign(const struct policy_sign_key *key, const uint8_t *policy,
		size_t policy_len, uint64_t now_unix_ms, uint8_t **signed_out,
		size_t *signed_len, char *err, size_t errlen);

/*
 * Re-version a stored policy: decode it, set Policy.version = version,
 * encode it again and, when key is not NULL, sign it. Used for rollback,
 * which appends an old policy as a new version. *policy_out and
 * *signed_out (NULL when key is NULL) are malloc()ed.
 */
/*
 * policy_sign() of bytes said to be version, unchecked: for tests that
 * sign what the dataplane must refuse (or claim another key's id).
 */
int policy_sign_bytes(const struct policy_sign_key *key, uint64_t version,
		      uint64_t now_unix_ms, const uint8_t *policy,
		      size_t policy_len, uint8_t **signed_out,
		      size_t *signed_len, char *err, size_t errlen);

int policy_sign_reversion(const struct policy_sign_key *key,
			  const uint8_t *policy, size_t policy_len,
			  uint64_t version, uint64_t now_unix_ms,
			  uint8_t **policy_out, size_t *policy_out_len,
			  uint8_t **signed_out, size_t *signed_len, char *err,
			  size_t errlen);

#endif /* CORDON_POLICY_SIGN_H */
