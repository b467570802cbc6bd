/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The signed-policy format, shared by the signer (policy_sign.c, in
 * cordond) and the verifier (policy_verify.c, in the dataplane): key ids,
 * the exact bytes an Ed25519 signature covers, and the failures a
 * verification tells apart. See the SignedPolicy comment in
 * proto/cordon.proto for what is signed and why magic is a fixed32.
 */

#ifndef CORDON_POLICY_SIG_H
#define CORDON_POLICY_SIG_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_SIG_MAGIC 0x43505347u		/* SignedPolicy.magic, "CPSG" */
#define POLICY_SIG_KEY_ID_LEN 8
#define POLICY_SIG_LEN 64
#define POLICY_SIG_RAW_KEY_LEN 32
/* Domain separation: the signed message starts with this and a NUL. */
#define POLICY_SIG_DOMAIN "cordon-policy-sig-v1"
/* A SignedPolicy larger than this is refused unread (= WIRE_MAX_MSG). */
#define POLICY_SIG_MAX_SIZE (32u << 20)

/* Distinct failures of policy_verify() (and the dataplane's LKG load). */
#define POLICY_SIG_E_NOT_SIGNED_POLICY (-EBADMSG)	/* garbage, torn */
#define POLICY_SIG_E_UNSIGNED (-ENOMSG)		/* a bare Policy */
#define POLICY_SIG_E_UNKNOWN_KEY (-ENOKEY)	/* key id not trusted */
#define POLICY_SIG_E_BAD_SIGNATURE (-EKEYREJECTED)	/* tampered */
/* Signature fine, but the signed bytes are not a Policy of that version. */
#define POLICY_SIG_E_BAD_POLICY (-EPROTO)

struct evp_pkey_st;

/* First 8 bytes of SHA-256 over the raw public key of an Ed25519 key. */
int policy_sig_key_id(const struct evp_pkey_st *pkey,
		      uint8_t id[POLICY_SIG_KEY_ID_LEN]);

/*
 * The exact bytes the signature covers. *msg is malloc()ed. The signer and
 * the verifier both build it here, so they cannot disagree.
 */
int policy_sig_message(uint64_t version, uint64_t signed_unix_ms,
		       const uint8_t *policy, size_t policy_len, uint8_t **msg,
		       size_t *msg_len);

/*
 * The PEM key in the regular file path: a private one (which group and
 * others must not be able to read) or a public one. 0 with *pkey set, or
 * -errno with err saying why ("private key PATH: ...").
 */
int policy_sig_pem_read(const char *path, bool priv,
			struct evp_pkey_st **pkey, char *err, size_t errlen);

/* "not a SignedPolicy", "unsigned policy" and so on; else strerror. */
const char *policy_sig_strerror(int err);

#endif /* CORDON_POLICY_SIG_H */
