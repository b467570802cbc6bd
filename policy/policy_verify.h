/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Verifying signed policies: Ed25519 (OpenSSL 3), no DPDK.
 *
 * cordond signs every compiled Policy (policy_sign.h) and hands out a
 * cordon.SignedPolicy; a dataplane started with public keys accepts a
 * policy only if it verifies against one of them. The dataplane keeps the
 * last one that verified on disk (dataplane/dp_lkg.h) and verifies it
 * again here whenever it loads it.
 */

#ifndef CORDON_POLICY_VERIFY_H
#define CORDON_POLICY_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "policy_sig.h"

#define POLICY_VERIFY_MAX_KEYS 8

struct evp_pkey_st;

/* The public keys a dataplane trusts (several during a key rotation). */
struct policy_verify_keyring {
	size_t n;
	struct {
		struct evp_pkey_st *pkey;
		uint8_t id[POLICY_SIG_KEY_ID_LEN];
	} keys[POLICY_VERIFY_MAX_KEYS];
};

/* What a successful verification yields. */
struct policy_verify_out {
	Cordon__Policy *policy;		/* decoded; owned */
	uint8_t *policy_bytes;		/* the signed Policy bytes; owned */
	size_t policy_len;
	uint64_t version;
	uint64_t signed_unix_ms;
	uint8_t key_id[POLICY_SIG_KEY_ID_LEN];
};

void policy_verify_keyring_init(struct policy_verify_keyring *kr);
void policy_verify_keyring_free(struct policy_verify_keyring *kr);

/*
 * Add an Ed25519 public key from a PEM file (SubjectPublicKeyInfo, as
 * written by policy_sign_keygen() or `openssl pkey -pubout`). Returns 0,
 * -ENOENT/-EACCES (cannot read), -EINVAL (not a PEM public key, or not
 * Ed25519), -EEXIST (already there), -ENOSPC (keyring full) or -ENOMEM.
 */
int policy_verify_keyring_add_pem(struct policy_verify_keyring *kr,
				  const char *path, char *err, size_t errlen);
/* The same from the raw 32-byte key. */
int policy_verify_keyring_add_raw(struct policy_verify_keyring *kr,
				  const uint8_t raw[POLICY_SIG_RAW_KEY_LEN],
				  char *err, size_t errlen);

/*
 * Decode buf as a SignedPolicy, find its key in kr, check the signature
 * and decode the Policy inside. Returns 0 with *out filled (free it with
 * policy_verify_out_free()), or one of POLICY_SIG_E_* (or -ENOMEM, -EINVAL
 * for NULL arguments) with out zeroed and err saying why.
 */
int policy_verify(const struct policy_verify_keyring *kr, const void *buf,
		  size_t len, struct policy_verify_out *out, char *err,
		  size_t errlen);

void policy_verify_out_free(struct policy_verify_out *out);

#endif /* CORDON_POLICY_VERIFY_H */
