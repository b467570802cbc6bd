/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Signed policy verification. See policy_verify.h.
 *
 * Telling the failures apart: SignedPolicy.magic is a fixed32 in field 1,
 * and a Policy's field 1 is a varint, so protobuf-c refuses to decode a bare
 * Policy as a SignedPolicy whenever its version is set; and a Policy
 * without a version decodes with magic 0. Either way, bytes that are not a
 * SignedPolicy but decode cleanly as a Policy are "unsigned"; anything else
 * is "not a SignedPolicy".
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "policy_sig.h"
#include "policy_verify.h"
#include "util_err.h"

void
policy_verify_keyring_init(struct policy_verify_keyring *kr)
{
	memset(kr, 0, sizeof(*kr));
}

void
policy_verify_keyring_free(struct policy_verify_keyring *kr)
{
	for (size_t i = 0; i < kr->n; i++)
		EVP_PKEY_free(kr->keys[i].pkey);
	memset(kr, 0, sizeof(*kr));
}

/* Takes pkey over, whatever happens. */
static int
keyring_add(struct policy_verify_keyring *kr, EVP_PKEY *pkey, const char *what,
	    char *err, size_t errlen)
{
	uint8_t id[POLICY_SIG_KEY_ID_LEN];

	if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
		util_err_set(err, errlen, "%s: not an Ed25519 key (%s)", what,
			     OBJ_nid2sn(EVP_PKEY_get_id(pkey)));
		EVP_PKEY_free(pkey);
		return -EINVAL;
	}
	if (policy_sig_key_id(pkey, id) < 0) {
		util_err_set(err, errlen, "%s: cannot read the public key",
			     what);
		EVP_PKEY_free(pkey);
		return -EINVAL;
	}
	for (size_t i = 0; i < kr->n; i++) {
		if (memcmp(kr->keys[i].id, id, sizeof(id)) == 0) {
			util_err_set(err, errlen, "%s: key already in the "
				     "keyring", what);
			EVP_PKEY_free(pkey);
			return -EEXIST;
		}
	}
	if (kr->n >= POLICY_VERIFY_MAX_KEYS) {
		util_err_set(err, errlen, "%s: at most %d trusted keys", what,
			     POLICY_VERIFY_MAX_KEYS);
		EVP_PKEY_free(pkey);
		return -ENOSPC;
	}
	kr->keys[kr->n].pkey = pkey;
	memcpy(kr->keys[kr->n].id, id, sizeof(id));
	kr->n++;
	return 0;
}

int
policy_verify_keyring_add_pem(struct policy_verify_keyring *kr,
			      const char *path, char *err, size_t errlen)
{
	EVP_PKEY *pkey;
	int ret;

	if (kr == NULL || path == NULL)
		return -EINVAL;
	ret = policy_sig_pem_read(path, false, &pkey, err, errlen);
	if (ret < 0)
		return ret;
	return keyring_add(kr, pkey, path, err, errlen);
}

int
policy_verify_keyring_add_raw(struct policy_verify_keyring *kr,
			      const uint8_t raw[POLICY_SIG_RAW_KEY_LEN],
			      char *err, size_t errlen)
{
	EVP_PKEY *pkey;

	if (kr == NULL || raw == NULL)
		return -EINVAL;
	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw,
					   POLICY_SIG_RAW_KEY_LEN);
	if (pkey == NULL) {
		util_err_set(err, errlen, "not an Ed25519 public key");
		return -EINVAL;
	}
	return keyring_add(kr, pkey, "raw key", err, errlen);
}

void
policy_verify_out_free(struct policy_verify_out *out)
{
	if (out == NULL)
		return;
	if (out->policy != NULL)
		cordon__policy__free_unpacked(out->policy, NULL);
	free(out->policy_bytes);
	memset(out, 0, sizeof(*out));
}

/* Is buf a bare Policy that decodes cleanly, with no unknown fields? */
static bool
is_bare_policy(const void *buf, size_t len)
{
	Cordon__Policy *p;
	bool ok;

	if (len == 0)
		return false;
	p = cordon__policy__unpack(NULL, len, buf);
	if (p == NULL)
		return false;
	ok = p->base.n_unknown_fields == 0;
	cordon__policy__free_unpacked(p, NULL);
	return ok;
}

static int
check_signature(EVP_PKEY *pkey, const Cordon__SignedPolicy *sp)
{
	uint8_t *msg = NULL;
	size_t msg_len;
	EVP_MD_CTX *md;
	int ret;

	ret = policy_sig_message(sp->version, sp->signed_unix_ms,
				 sp->policy.data, sp->policy.len, &msg,
				 &msg_len);
	if (ret < 0)
		return ret;
	md = EVP_MD_CTX_new();
	if (md == NULL) {
		free(msg);
		return -ENOMEM;
	}
	/* Ed25519 is one-shot and takes no digest. */
	if (EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) != 1)
		ret = -ENOMEM;
	else if (EVP_DigestVerify(md, sp->signature.data, sp->signature.len,
				  msg, msg_len) == 1)
		ret = 0;
	else
		ret = POLICY_SIG_E_BAD_SIGNATURE;
	EVP_MD_CTX_free(md);
	free(msg);
	return ret;
}

int
policy_verify(const struct policy_verify_keyring *kr, const void *buf,
	      size_t len, struct policy_verify_out *out, char *err,
	      size_t errlen)
{
	Cordon__SignedPolicy *sp = NULL;
	Cordon__Policy *pol = NULL;
	EVP_PKEY *pkey = NULL;
	int ret;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (kr == NULL || out == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	if (len > POLICY_SIG_MAX_SIZE) {
		util_err_set(err, errlen, "signed policy too large (%zu bytes)",
			     len);
		return POLICY_SIG_E_NOT_SIGNED_POLICY;
	}
	if (len > 0)
		sp = cordon__signed_policy__unpack(NULL, len, buf);
	if (sp == NULL || sp->magic != POLICY_SIG_MAGIC ||
	    sp->base.n_unknown_fields > 0) {
		if (is_bare_policy(buf, len)) {
			ret = POLICY_SIG_E_UNSIGNED;
			util_err_set(err, errlen, "unsigned policy: a signed "
				     "one is required");
		} else {
			ret = POLICY_SIG_E_NOT_SIGNED_POLICY;
			util_err_set(err, errlen, "not a SignedPolicy (%zu "
				     "bytes)", len);
		}
		goto out;
	}
	if (sp->key_id.len != POLICY_SIG_KEY_ID_LEN ||
	    sp->signature.len != POLICY_SIG_LEN) {
		/* Stripped or mangled signature fields: tampering. */
		ret = POLICY_SIG_E_BAD_SIGNATURE;
		util_err_set(err, errlen, "signed policy %llu: malformed key "
			     "id (%zu bytes) or signature (%zu bytes)",
			     (unsigned long long)sp->version, sp->key_id.len,
			     sp->signature.len);
		goto out;
	}
	for (size_t i = 0; i < kr->n; i++)
		if (memcmp(kr->keys[i].id, sp->key_id.data,
			   POLICY_SIG_KEY_ID_LEN) == 0)
			pkey = kr->keys[i].pkey;
	if (pkey == NULL) {
		ret = POLICY_SIG_E_UNKNOWN_KEY;
		util_err_set(err, errlen, "signed policy %llu: key id "
			     "%02x%02x%02x%02x%02x%02x%02x%02x is not trusted",
			     (unsigned long long)sp->version,
			     sp->key_id.data[0], sp->key_id.data[1],
			     sp->key_id.data[2], sp->key_id.data[3],
			     sp->key_id.data[4], sp->key_id.data[5],
			     sp->key_id.data[6], sp->key_id.data[7]);
		goto out;
	}
	ret = check_signature(pkey, sp);
	if (ret < 0) {
		util_err_set(err, errlen, "signed policy %llu: %s",
			     (unsigned long long)sp->version,
			     policy_sig_strerror(ret));
		goto out;
	}
	/* Authentic; now make sure it says what the envelope says. */
	if (sp->policy.len > 0)
		pol = cordon__policy__unpack(NULL, sp->policy.len,
					     sp->policy.data);
	if (pol == NULL || pol->base.n_unknown_fields > 0 ||
	    pol->version != sp->version) {
		ret = POLICY_SIG_E_BAD_POLICY;
		util_err_set(err, errlen, "signed policy %llu: %s",
			     (unsigned long long)sp->version, pol == NULL ?
			     "content does not decode as a Policy"
			     : pol->base.n_unknown_fields > 0 ? "content has "
			     "fields this build does not know" : "content has "
			     "a different version");
		goto out;
	}
	out->policy_bytes = malloc(sp->policy.len);
	if (out->policy_bytes == NULL) {
		ret = -ENOMEM;
		util_err_set(err, errlen, "out of memory");
		goto out;
	}
	memcpy(out->policy_bytes, sp->policy.data, sp->policy.len);
	out->policy_len = sp->policy.len;
	out->policy = pol;
	pol = NULL;
	out->version = sp->version;
	out->signed_unix_ms = sp->signed_unix_ms;
	memcpy(out->key_id, sp->key_id.data, POLICY_SIG_KEY_ID_LEN);
	ret = 0;
out:
	if (pol != NULL)
		cordon__policy__free_unpacked(pol, NULL);
	if (sp != NULL)
		cordon__signed_policy__free_unpacked(sp, NULL);
	return ret;
}
