/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Ed25519 policy signing, see policy_sign.h. What is signed is defined once,
 * by policy_sig_message(), which the dataplane uses to verify.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cordon.pb-c.h"
#include "policy_sig.h"
#include "policy_sign.h"
#include "util_err.h"
#include "util_file.h"

/* Put the PEM in bio at dir/name with mode; an existing one only forced. */
static int
write_key_file(const char *dir, const char *name, BIO *bio, mode_t mode,
	       bool force, char *err, size_t errlen)
{
	char path[PATH_MAX];
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	int ret;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		util_err_set(err, errlen, "%s: path too long", dir);
		return -ENAMETOOLONG;
	}
	ret = (force ? util_file_write_atomic : util_file_write_new)(path,
			data, len > 0 ? (size_t)len : 0, mode, err, errlen);
	if (ret == -EEXIST)
		util_err_set(err, errlen, "%s exists; not replacing it without "
			     "force", path);
	return ret;
}

int
policy_sign_keygen(const char *dir, bool force, char *err, size_t errlen)
{
	EVP_PKEY *pkey = NULL;
	BIO *priv = NULL, *pub = NULL;
	char path[PATH_MAX];
	int ret;

	if (dir == NULL)
		return -EINVAL;
	/* Check both names first: never leave half a key pair behind. */
	if (!force) {
		const char *names[] = {
			POLICY_SIGN_PRIV_NAME, POLICY_SIGN_PUB_NAME,
		};

		for (size_t i = 0; i < 2; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			if (access(path, F_OK) == 0) {
				util_err_set(err, errlen, "%s exists; not "
					     "replacing it without force",
					     path);
				return -EEXIST;
			}
		}
	}
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	priv = BIO_new(BIO_s_mem());
	pub = BIO_new(BIO_s_mem());
	if (pkey == NULL || priv == NULL || pub == NULL ||
	    PEM_write_bio_PrivateKey(priv, pkey, NULL, NULL, 0, NULL,
				     NULL) != 1 ||
	    PEM_write_bio_PUBKEY(pub, pkey) != 1) {
		util_err_set(err, errlen, "cannot generate an Ed25519 key");
		ret = -ENOMEM;
		goto out;
	}
	ret = write_key_file(dir, POLICY_SIGN_PRIV_NAME, priv, 0600, force, err,
			     errlen);
	if (ret == 0)
		ret = write_key_file(dir, POLICY_SIGN_PUB_NAME, pub, 0644,
				     force, err, errlen);
out:
	BIO_free(priv);
	BIO_free(pub);
	EVP_PKEY_free(pkey);
	return ret;
}

int
policy_sign_key_load(const char *path, struct policy_sign_key *key, char *err,
		     size_t errlen)
{
	EVP_PKEY *pkey;
	int ret = -EINVAL;

	if (key != NULL)
		memset(key, 0, sizeof(*key));
	if (path != NULL && key != NULL)
		ret = policy_sig_pem_read(path, true, &pkey, err, errlen);
	if (ret < 0)
		return ret;
	if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
		util_err_set(err, errlen, "private key %s: not an Ed25519 key "
			     "(%s)", path, OBJ_nid2sn(EVP_PKEY_get_id(pkey)));
		EVP_PKEY_free(pkey);
		return -EINVAL;
	}
	if (policy_sig_key_id(pkey, key->key_id) < 0) {
		util_err_set(err, errlen, "private key %s: no public half",
			     path);
		EVP_PKEY_free(pkey);
		return -EINVAL;
	}
	key->pkey = pkey;
	return 0;
}

void
policy_sign_key_free(struct policy_sign_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	memset(key, 0, sizeof(*key));
}

int
policy_sign_bytes(const struct policy_sign_key *key, uint64_t version,
		  uint64_t now, const uint8_t *policy, size_t policy_len,
		  uint8_t **signed_out, size_t *signed_len, char *err,
		  size_t errlen)
{
	Cordon__SignedPolicy sp = CORDON__SIGNED_POLICY__INIT;
	uint8_t sig[POLICY_SIG_LEN];
	size_t sig_len = sizeof(sig), msg_len, n;
	uint8_t *msg = NULL, *buf;
	EVP_MD_CTX *md;
	int ret;

	ret = policy_sig_message(version, now, policy, policy_len, &msg,
				 &msg_len);
	if (ret < 0)
		return ret;
	md = EVP_MD_CTX_new();
	if (md == NULL ||
	    EVP_DigestSignInit(md, NULL, NULL, NULL, key->pkey) != 1 ||
	    EVP_DigestSign(md, sig, &sig_len, msg, msg_len) != 1 ||
	    sig_len != sizeof(sig)) {
		util_err_set(err, errlen, "signing failed");
		EVP_MD_CTX_free(md);
		free(msg);
		return -EINVAL;
	}
	EVP_MD_CTX_free(md);
	free(msg);

	sp.magic = POLICY_SIG_MAGIC;
	sp.version = version;
	sp.policy.data = (uint8_t *)policy;
	sp.policy.len = policy_len;
	sp.key_id.data = (uint8_t *)key->key_id;
	sp.key_id.len = POLICY_SIG_KEY_ID_LEN;
	sp.signature.data = sig;
	sp.signature.len = sig_len;
	sp.signed_unix_ms = now;
	n = cordon__signed_policy__get_packed_size(&sp);
	buf = malloc(n);
	if (buf == NULL) {
		util_err_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cordon__signed_policy__pack(&sp, buf);
	*signed_out = buf;
	*signed_len = n;
	return 0;
}

int
policy_sign(const struct policy_sign_key *key, const uint8_t *policy,
	    size_t policy_len, uint64_t now_unix_ms, uint8_t **signed_out,
	    size_t *signed_len, char *err, size_t errlen)
{
	Cordon__Policy *pol;
	uint64_t version;

	if (key == NULL || key->pkey == NULL || policy == NULL ||
	    signed_out == NULL || signed_len == NULL)
		return -EINVAL;
	pol = policy_len > 0 ? cordon__policy__unpack(NULL, policy_len,
						      policy) : NULL;
	if (pol == NULL || pol->base.n_unknown_fields > 0) {
		util_err_set(err, errlen, "not a Policy: refusing to sign it");
		if (pol != NULL)
			cordon__policy__free_unpacked(pol, NULL);
		return -EINVAL;
	}
	version = pol->version;
	cordon__policy__free_unpacked(pol, NULL);
	return policy_sign_bytes(key, version, now_unix_ms, policy,
				 policy_len, signed_out, signed_len, err,
				 errlen);
}

int
policy_sign_reversion(const struct policy_sign_key *key, const uint8_t *policy,
		      size_t policy_len, uint64_t version, uint64_t now_unix_ms,
		      uint8_t **policy_out, size_t *policy_out_len,
		      uint8_t **signed_out, size_t *signed_len, char *err,
		      size_t errlen)
{
	Cordon__Policy *pol;
	uint8_t *buf;
	size_t n;
	int ret = 0;

	if (policy == NULL || policy_out == NULL || policy_out_len == NULL ||
	    (key != NULL && (signed_out == NULL || signed_len == NULL)))
		return -EINVAL;
	pol = policy_len > 0 ? cordon__policy__unpack(NULL, policy_len,
						      policy) : NULL;
	if (pol == NULL) {
		util_err_set(err, errlen, "stored policy does not decode");
		return -EINVAL;
	}
	pol->version = version;
	n = cordon__policy__get_packed_size(pol);
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL) {
		cordon__policy__free_unpacked(pol, NULL);
		return -ENOMEM;
	}
	cordon__policy__pack(pol, buf);
	cordon__policy__free_unpacked(pol, NULL);
	if (key != NULL) {
		ret = policy_sign_bytes(key, version, now_unix_ms, buf, n,
					signed_out, signed_len, err, errlen);
		if (ret < 0) {
			free(buf);
			return ret;
		}
	} else if (signed_out != NULL) {
		*signed_out = NULL;
		if (signed_len != NULL)
			*signed_len = 0;
	}
	*policy_out = buf;
	*policy_out_len = n;
	return 0;
}
