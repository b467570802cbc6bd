/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* A dataplane's proof of its id: see wire_id.h. */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "wire_id.h"

#define WIRE_ID_DOMAIN "cordon-dataplane-id-v1"
#define WIRE_ID_ID_MAX 256		/* longer than any dataplane id */
#define WIRE_ID_MSG_MAX (sizeof(WIRE_ID_DOMAIN) + WIRE_ID_ID_MAX + 1 + 16)

struct wire_id {
	ProtobufCBinaryData chain[WIRE_ID_CHAIN_MAX];
	ProtobufCBinaryData *chain_ptr;
	size_t n_chain;
	EVP_PKEY *key;
};

struct wire_id_verifier {
	X509_STORE *store;
};

/* The statement signed; 0 if the id does not fit. */
static size_t
wire_id_msg(uint8_t *buf, const char *dp_id, uint64_t boot_id,
	    uint64_t started_unix_ms)
{
	size_t n = strlen(dp_id), off = sizeof(WIRE_ID_DOMAIN);

	if (n > WIRE_ID_ID_MAX)
		return 0;
	memcpy(buf, WIRE_ID_DOMAIN, off);	/* with its NUL */
	memcpy(buf + off, dp_id, n + 1);
	off += n + 1;
	for (int i = 7; i >= 0; i--)
		buf[off++] = (uint8_t)(boot_id >> (8 * i));
	for (int i = 7; i >= 0; i--)
		buf[off++] = (uint8_t)(started_unix_ms >> (8 * i));
	return off;
}

/* Ed25519 and Ed448 sign the message itself; EC and RSA a SHA-256. */
static const EVP_MD *
wire_id_md(const EVP_PKEY *k)
{
	int id = EVP_PKEY_get_base_id(k);

	return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? NULL :
		EVP_sha256();
}

/* OpenSSL's reason for the last failure, or what. */
static const char *
wire_id_ossl(const char *what)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	return r != NULL ? r : what;
}

void
wire_id_free(struct wire_id *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n_chain; i++)
		OPENSSL_free(w->chain[i].data);
	EVP_PKEY_free(w->key);
	free(w);
}

int
wire_id_load(const char *cert_file, const char *key_file,
	     struct wire_id **out, char *err, size_t errlen)
{
	struct wire_id *w = calloc(1, sizeof(*w));
	BIO *b = NULL;
	X509 *x, *leaf = NULL;
	int rc = -EINVAL;

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	w->chain_ptr = w->chain;
	ERR_clear_error();
	b = BIO_new_file(cert_file, "r");
	if (b == NULL) {
		snprintf(err, errlen, "certificate %s: cannot open it",
			 cert_file);
		rc = -ENOENT;
		goto fail;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		unsigned char *der = NULL;
		int len;

		if (w->n_chain == WIRE_ID_CHAIN_MAX) {
			X509_free(x);
			snprintf(err, errlen, "certificate %s: more than %d "
				 "certificates", cert_file, WIRE_ID_CHAIN_MAX);
			goto fail;
		}
		len = i2d_X509(x, &der);
		if (w->n_chain == 0)
			leaf = x;
		else
			X509_free(x);
		if (len <= 0 || len > WIRE_ID_CERT_MAX) {
			OPENSSL_free(der);
			snprintf(err, errlen, "certificate %s: unusable",
				 cert_file);
			goto fail;
		}
		w->chain[w->n_chain].data = der;
		w->chain[w->n_chain++].len = (size_t)len;
	}
	ERR_clear_error();	/* the end of the file reads as an error */
	BIO_free(b);
	b = NULL;
	if (leaf == NULL) {
		snprintf(err, errlen, "certificate %s: no certificate in it",
			 cert_file);
		goto fail;
	}
	key_file = key_file != NULL ? key_file : cert_file;
	b = BIO_new_file(key_file, "r");
	w->key = b != NULL ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) :
		NULL;
	if (w->key == NULL || X509_check_private_key(leaf, w->key) != 1) {
		snprintf(err, errlen, "key %s: not the private key of %s",
			 key_file, cert_file);
		goto fail;
	}
	BIO_free(b);
	X509_free(leaf);
	*out = w;
	return 0;
fail:
	BIO_free(b);
	X509_free(leaf);
	wire_id_free(w);
	return rc;
}

int
wire_id_prove(const struct wire_id *w, const char *dp_id, uint64_t boot_id,
	      uint64_t started_unix_ms, ProtobufCBinaryData *proof, char *err,
	      size_t errlen)
{
	uint8_t msg[WIRE_ID_MSG_MAX], *sig = NULL;
	size_t mlen = wire_id_msg(msg, dp_id, boot_id, started_unix_ms);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t slen = 0;
	int rc = -EINVAL;

	if (ctx == NULL || mlen == 0) {
		snprintf(err, errlen, ctx ? "dataplane id too long" :
			 "out of memory");
		goto out;
	}
	if (EVP_DigestSignInit(ctx, NULL, wire_id_md(w->key), NULL,
			       w->key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &slen, msg, mlen) != 1 ||
	    (sig = malloc(slen)) == NULL ||
	    EVP_DigestSign(ctx, sig, &slen, msg, mlen) != 1) {
		snprintf(err, errlen, "signing the id: %s",
			 wire_id_ossl("failed"));
		free(sig);
		goto out;
	}
	proof->data = sig;
	proof->len = slen;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

size_t
wire_id_chain(const struct wire_id *w, ProtobufCBinaryData **certs)
{
	*certs = w->chain_ptr;
	return w->n_chain;
}

int
wire_id_verifier_load(const char *ca_file, struct wire_id_verifier **out,
		      char *err, size_t errlen)
{
	struct wire_id_verifier *v = calloc(1, sizeof(*v));

	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ERR_clear_error();
	v->store = X509_STORE_new();
	if (v->store == NULL || X509_STORE_load_file(v->store, ca_file) != 1) {
		snprintf(err, errlen, "CA %s: %s", ca_file,
			 wire_id_ossl("not a PEM certificate file"));
		wire_id_verifier_free(v);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

void
wire_id_verifier_free(struct wire_id_verifier *v)
{
	if (v == NULL)
		return;
	X509_STORE_free(v->store);
	free(v);
}

/* One DER certificate, the whole of the bytes; NULL if not. */
static X509 *
wire_id_der(const ProtobufCBinaryData *c)
{
	const unsigned char *p = c->data;
	X509 *x;

	if (c->len == 0 || c->len > WIRE_ID_CERT_MAX)
		return NULL;
	x = d2i_X509(NULL, &p, (long)c->len);
	if (x != NULL && p != c->data + c->len) {
		X509_free(x);
		x = NULL;
	}
	return x;
}

/* Exactly one CN, exactly the id. */
static bool
wire_id_cn_is(X509 *leaf, const char *dp_id, char *cn, size_t cnlen)
{
	X509_NAME *nm = X509_get_subject_name(leaf);
	int i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
	const ASN1_STRING *s;
	size_t n = strlen(dp_id);
	int len;

	snprintf(cn, cnlen, "none");
	if (i < 0)
		return false;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i));
	len = ASN1_STRING_length(s);
	snprintf(cn, cnlen, "%.*s", len < 64 ? len : 64,
		 (const char *)ASN1_STRING_get0_data(s));
	for (char *c = cn; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
	return X509_NAME_get_index_by_NID(nm, NID_commonName, i) < 0 &&
		len >= 0 && (size_t)len == n &&
		memcmp(ASN1_STRING_get0_data(s), dp_id, n) == 0;
}

int
wire_id_verify(const struct wire_id_verifier *v,
	       const ProtobufCBinaryData *certs, size_t n_certs,
	       ProtobufCBinaryData proof, const char *dp_id,
	       uint64_t boot_id, uint64_t started_unix_ms, char *err,
	       size_t errlen)
{
	uint8_t msg[WIRE_ID_MSG_MAX];
	size_t mlen = wire_id_msg(msg, dp_id, boot_id, started_unix_ms);
	STACK_OF(X509) *rest = NULL;
	X509_STORE_CTX *sctx = NULL;
	EVP_MD_CTX *mctx = NULL;
	X509 *leaf = NULL;
	char cn[80];
	int rc = -EINVAL;

	if (n_certs == 0 || proof.len == 0) {
		snprintf(err, errlen, "no proof of its id (a certificate "
			 "chain and a signature): a dataplane older than "
			 "wire minor 5, or one without a certificate");
		return -ENOKEY;
	}
	if (n_certs > WIRE_ID_CHAIN_MAX || mlen == 0) {
		snprintf(err, errlen, "proof of its id: too many "
			 "certificates, or an id too long");
		return -EINVAL;
	}
	ERR_clear_error();
	leaf = wire_id_der(&certs[0]);
	rest = sk_X509_new_null();
	if (leaf == NULL || rest == NULL) {
		snprintf(err, errlen, "proof of its id: the first "
			 "certificate does not decode");
		goto out;
	}
	for (size_t i = 1; i < n_certs; i++) {
		X509 *x = wire_id_der(&certs[i]);

		if (x == NULL || !sk_X509_push(rest, x)) {
			X509_free(x);
			snprintf(err, errlen, "proof of its id: certificate "
				 "%zu does not decode", i + 1);
			goto out;
		}
	}
	rc = -EACCES;
	sctx = X509_STORE_CTX_new();
	if (sctx == NULL ||
	    X509_STORE_CTX_init(sctx, v->store, leaf, rest) != 1 ||
	    X509_STORE_CTX_set_purpose(sctx, X509_PURPOSE_SSL_CLIENT) != 1 ||
	    X509_verify_cert(sctx) != 1) {
		snprintf(err, errlen, "its certificate is not one of "
			 "cordond's CA for a client: %s", sctx ?
			 X509_verify_cert_error_string(
				 X509_STORE_CTX_get_error(sctx)) :
			 "out of memory");
		goto out;
	}
	if (!wire_id_cn_is(leaf, dp_id, cn, sizeof(cn))) {
		snprintf(err, errlen, "its certificate is dataplane '%s' "
			 "(CN), not '%.64s'", cn, dp_id);
		goto out;
	}
	mctx = EVP_MD_CTX_new();
	if (mctx == NULL ||
	    EVP_DigestVerifyInit(mctx, NULL,
				 wire_id_md(X509_get0_pubkey(leaf)), NULL,
				 X509_get0_pubkey(leaf)) != 1 ||
	    EVP_DigestVerify(mctx, proof.data, proof.len, msg, mlen) != 1) {
		snprintf(err, errlen, "the signature over its id and run "
			 "is not its certificate's key's");
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(mctx);
	X509_STORE_CTX_free(sctx);
	sk_X509_pop_free(rest, X509_free);
	X509_free(leaf);
	return rc;
}
