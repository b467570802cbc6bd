/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Detached CMS signatures (.p7s) of MUD files, RFC 8520 section 13. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>	/* before cms.h: PEM_read_bio_CMS() */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "ctl_mud_sig.h"
#include "util_file.h"

static void
ossl_err(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s: %s", what, e ? buf : "failed");
	ERR_clear_error();
}

/* Verify a detached CMS signature (DER, else PEM) in memory over content. */
static int
verify_cms(BIO *content, const void *sig, size_t sig_len,
		const char *ca_file, char *err, size_t errlen)
{
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	BIO *sigb;
	int r = -EBADMSG;

	if (sig_len > INT32_MAX) {
		snprintf(err, errlen, "signature too large");
		return -EBADMSG;
	}
	sigb = BIO_new_mem_buf(sig, (int)sig_len);
	if (sigb)
		cms = d2i_CMS_bio(sigb, NULL);
	if (!cms) {
		/* Not DER: try PEM. */
		BIO_free(sigb);
		ERR_clear_error();
		sigb = BIO_new_mem_buf(sig, (int)sig_len);
		if (sigb)
			cms = PEM_read_bio_CMS(sigb, NULL, NULL, NULL);
	}
	if (!cms) {
		ossl_err(err, errlen, "signature is not CMS (DER or PEM)");
		goto out;
	}
	store = X509_STORE_new();
	if (!store || X509_STORE_load_file(store, ca_file) != 1) {
		ossl_err(err, errlen, "cannot load trust anchors");
		r = -EIO;
		goto out;
	}
	/*
	 * The anchors are MUD-specific: any certificate they vouch for may
	 * sign (RFC 8520 requires no particular extended key usage, and an
	 * S/MIME purpose check would refuse code-signing certificates).
	 */
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	if (CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) != 1) {
		ossl_err(err, errlen, "signature verification failed");
		goto out;
	}
	r = 0;
out:
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	BIO_free(sigb);
	return r;
}

int
ctl_mud_sig_verify(const char *file, const char *sig, const char *ca_file,
		   char *err, size_t errlen)
{
	BIO *content = NULL;
	char *sbuf = NULL;
	size_t slen = 0;
	int r;

	ERR_clear_error();
	content = BIO_new_file(file, "rb");
	if (!content) {
		ossl_err(err, errlen, file);
		return -ENOENT;
	}
	r = util_file_read(sig, CTL_MUD_SIG_MAX, &sbuf, &slen, err, errlen);
	if (r == 0)
		r = verify_cms(content, sbuf, slen, ca_file, err, errlen);
	free(sbuf);
	BIO_free(content);
	return r;
}

int
ctl_mud_sig_verify_mem(const void *file, size_t len, const void *sig,
		       size_t sig_len, const char *ca_file, char *err,
		       size_t errlen)
{
	BIO *content;
	int r;

	if (len > INT32_MAX) {
		snprintf(err, errlen, "MUD file too large");
		return -EBADMSG;
	}
	ERR_clear_error();
	content = BIO_new_mem_buf(file, (int)len);
	if (!content) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = verify_cms(content, sig, sig_len, ca_file, err, errlen);
	BIO_free(content);
	return r;
}
