/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "policy_sig.h"
#include "util_err.h"

int
policy_sig_key_id(const struct evp_pkey_st *pkey,
		  uint8_t id[POLICY_SIG_KEY_ID_LEN])
{
	uint8_t raw[POLICY_SIG_RAW_KEY_LEN], md[32];
	size_t len = sizeof(raw);
	unsigned int mdlen = 0;

	if (pkey == NULL || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519)
		return -EINVAL;
	if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 ||
	    len != sizeof(raw))
		return -EINVAL;
	if (EVP_Digest(raw, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != sizeof(md))
		return -ENOMEM;
	memcpy(id, md, POLICY_SIG_KEY_ID_LEN);
	return 0;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

int
policy_sig_message(uint64_t version, uint64_t signed_unix_ms,
		   const uint8_t *policy, size_t policy_len, uint8_t **msg,
		   size_t *msg_len)
{
	const size_t hdr = sizeof(POLICY_SIG_DOMAIN) + 16;	/* incl. NUL */
	uint8_t *m;

	if ((policy == NULL && policy_len > 0) || policy_len > SIZE_MAX - hdr)
		return -EINVAL;
	m = malloc(hdr + policy_len);
	if (m == NULL)
		return -ENOMEM;
	memcpy(m, POLICY_SIG_DOMAIN, sizeof(POLICY_SIG_DOMAIN));
	put_be64(m + sizeof(POLICY_SIG_DOMAIN), version);
	put_be64(m + sizeof(POLICY_SIG_DOMAIN) + 8, signed_unix_ms);
	if (policy_len > 0)
		memcpy(m + hdr, policy, policy_len);
	*msg = m;
	*msg_len = hdr + policy_len;
	return 0;
}

const char *
policy_sig_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case POLICY_SIG_E_NOT_SIGNED_POLICY: return "not a SignedPolicy";
	case POLICY_SIG_E_UNSIGNED: return "unsigned policy";
	case POLICY_SIG_E_UNKNOWN_KEY: return "signed by an unknown key";
	case POLICY_SIG_E_BAD_SIGNATURE: return "bad signature";
	case POLICY_SIG_E_BAD_POLICY:
		return "signed content is not a valid policy";
	default: return strerror(-err);
	}
}

int
policy_sig_pem_read(const char *path, bool priv, EVP_PKEY **pkey, char *err,
		    size_t errlen)
{
	const char *what = priv ? "private key" : "public key";
	struct stat st;
	FILE *f;
	int ret = 0;

	*pkey = NULL;
	f = fopen(path, "re");
	if (f == NULL || fstat(fileno(f), &st) < 0) {
		ret = -errno;
		util_err_set(err, errlen, "%s %s: %s", what, path,
			     strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		util_err_set(err, errlen, "%s %s: not a regular file", what,
			     path);
		ret = -EINVAL;
	} else if (priv && (st.st_mode & 077) != 0) {
		util_err_set(err, errlen, "%s %s: permissions %04o are too "
			     "open, it must not be accessible by group or "
			     "others (chmod 600 %s)", what, path,
			     (unsigned)(st.st_mode & 07777), path);
		ret = -EPERM;
	} else {
		*pkey = priv ? PEM_read_PrivateKey(f, NULL, NULL, NULL) :
			PEM_read_PUBKEY(f, NULL, NULL, NULL);
		ERR_clear_error();
		if (*pkey == NULL) {
			util_err_set(err, errlen, "%s %s: not %s", what, path,
				     priv ? "an unencrypted PEM private key" :
				     "a PEM public key");
			ret = -EINVAL;
		}
	}
	if (f != NULL)
		fclose(f);
	return ret;
}
