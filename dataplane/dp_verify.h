/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Signed policies on the dataplane: Ed25519 (OpenSSL 3), no DPDK.
 *
 * cordond signs every compiled Policy (control/ctl_sign.c) and hands out a
 * cordon.SignedPolicy; the dataplane accepts a policy only if it verifies
 * against a public key it was given at start-up. The last policy that
 * verified is kept on disk (last-known-good, LKG), so a dataplane restarted
 * without cordond enforces it. The LKG file is the SignedPolicy bytes
 * themselves and is verified again whenever it is loaded: a file tampered
 * with on disk or torn by a crash is refused, never half-used.
 *
 * See the SignedPolicy comment in proto/cordon.proto for what is signed.
 */

#ifndef CORDON_DP_VERIFY_H
#define CORDON_DP_VERIFY_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"

#define DP_VERIFY_MAGIC 0x43505347u		/* SignedPolicy.magic */
#define DP_VERIFY_KEY_ID_LEN 8
#define DP_VERIFY_SIG_LEN 64
#define DP_VERIFY_RAW_KEY_LEN 32
#define DP_VERIFY_MAX_KEYS 8
/* Domain separation: the signed message starts with this and a NUL. */
#define DP_VERIFY_DOMAIN "cordon-policy-sig-v1"
/* An LKG file larger than this is refused unread (matches WIRE_MAX_MSG). */
#define DP_VERIFY_MAX_FILE (32u << 20)

/* Distinct failures of dp_verify_signed_policy() and dp_verify_lkg_load(). */
#define DP_VERIFY_E_NOT_SIGNED_POLICY (-EBADMSG)	/* garbage, torn */
#define DP_VERIFY_E_UNSIGNED (-ENOMSG)		/* a bare Policy */
#define DP_VERIFY_E_UNKNOWN_KEY (-ENOKEY)	/* key id not in keyring */
#define DP_VERIFY_E_BAD_SIGNATURE (-EKEYREJECTED)	/* tampered */
/* Signature fine, but the signed bytes are not a Policy of that version. */
#define DP_VERIFY_E_BAD_POLICY (-EPROTO)

struct evp_pkey_st;

/* The public keys a dataplane trusts (several during a key rotation). */
struct dp_verify_keyring {
	size_t n;
	struct {
		struct evp_pkey_st *pkey;
		uint8_t id[DP_VERIFY_KEY_ID_LEN];
	} keys[DP_VERIFY_MAX_KEYS];
};

/* What a successful verification yields. */
struct dp_verify_out {
	Cordon__Policy *policy;		/* decoded; owned */
	uint8_t *policy_bytes;		/* the signed Policy bytes; owned */
	size_t policy_len;
	uint64_t version;
	uint64_t signed_unix_ms;
	uint8_t key_id[DP_VERIFY_KEY_ID_LEN];
};

void dp_verify_keyring_init(struct dp_verify_keyring *kr);
void dp_verify_keyring_free(struct dp_verify_keyring *kr);

/*
 * Add an Ed25519 public key from a PEM file (SubjectPublicKeyInfo, as
 * written by ctl_sign_keygen() or `openssl pkey -pubout`). Returns 0,
 * -ENOENT/-EACCES (cannot read), -EINVAL (not a PEM public key, or not
 * Ed25519), -EEXIST (already there), -ENOSPC (keyring full) or -ENOMEM.
 */
int dp_verify_keyring_add_pem(struct dp_verify_keyring *kr, const char *path,
			      char *err, size_t errlen);
/* The same from the raw 32-byte key. */
int dp_verify_keyring_add_raw(struct dp_verify_keyring *kr,
			      const uint8_t raw[DP_VERIFY_RAW_KEY_LEN],
			      char *err, size_t errlen);

/* First 8 bytes of SHA-256 over the raw public key of an Ed25519 key. */
int dp_verify_key_id(const struct evp_pkey_st *pkey,
		     uint8_t id[DP_VERIFY_KEY_ID_LEN]);

/*
 * The exact bytes the signature covers (see proto/cordon.proto). *msg is
 * malloc()ed. Shared with the signer so both build it the same way.
 */
int dp_verify_sig_message(uint64_t version, uint64_t signed_unix_ms,
			  const uint8_t *policy, size_t policy_len,
			  uint8_t **msg, size_t *msg_len);

/*
 * Decode buf as a SignedPolicy, find its key in kr, check the signature
 * and decode the Policy inside. Returns 0 with *out filled (free it with
 * dp_verify_out_free()), or one of DP_VERIFY_E_* (or -ENOMEM, -EINVAL for
 * NULL arguments) with out zeroed and err saying why.
 */
int dp_verify_signed_policy(const struct dp_verify_keyring *kr,
			    const void *buf, size_t len,
			    struct dp_verify_out *out, char *err, size_t errlen);

void dp_verify_out_free(struct dp_verify_out *out);

/* "not a SignedPolicy", "unsigned policy" and so on. */
const char *dp_verify_strerror(int err);

/*
 * Write the SignedPolicy bytes to path atomically: a temporary file in the
 * same directory, fsync, rename over path, fsync of the directory. After a
 * crash, path holds either the old or the new policy, whole. Only pass
 * bytes that dp_verify_signed_policy() accepted. Returns 0 or -errno.
 */
int dp_verify_lkg_save(const char *path, const void *buf, size_t len,
		       char *err, size_t errlen);

/*
 * Read path and verify it like dp_verify_signed_policy(). Returns 0,
 * -ENOENT when there is no LKG file, -EFBIG, another -errno when it cannot
 * be read, or a DP_VERIFY_E_* when its content is refused.
 */
int dp_verify_lkg_load(const char *path, const struct dp_verify_keyring *kr,
		       struct dp_verify_out *out, char *err, size_t errlen);

#endif /* CORDON_DP_VERIFY_H */
