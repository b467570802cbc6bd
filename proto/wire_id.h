/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A dataplane proves its id to cordond over tls+tcp (wire minor 5).
 *
 * TLS already proves that a dataplane holds a certificate of cordond's CA,
 * but nng 1.5 shows cordond nothing of that certificate, so the id a
 * dataplane says in its Hello was taken on its word: any gateway with a
 * certificate could speak for another, send its reports and alerts
 * (which quarantine devices) and take its polls. So the dataplane sends
 * its certificate chain with a signature, by the certificate's key, over
 *
 *   "cordon-dataplane-id-v1" NUL  id NUL  boot_id (8, big-endian)
 *   started_unix_ms (8, big-endian)
 *
 * in its Hello and in its Polls, and cordond checks that the chain leads
 * to its CA (for client authentication), that the leaf's CN is exactly
 * the id, and the signature. The signature cannot be replayed by another
 * gateway: it travels only inside TLS, and it names the run.
 *
 * The dataplane side is struct wire_id (its chain and key, loaded once);
 * cordond's is struct wire_id_verifier (its CA). OpenSSL 3.
 */

#ifndef CORDON_WIRE_ID_H
#define CORDON_WIRE_ID_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#define WIRE_ID_CHAIN_MAX 8		/* certificates a proof may carry */
#define WIRE_ID_CERT_MAX 16384		/* bytes of one, DER */

struct wire_id;
struct wire_id_verifier;

/*
 * Load a dataplane's certificate chain (PEM, leaf first) and its private
 * key (key_file, or NULL when cert_file holds it). 0, or a negative errno
 * with err naming the file at fault.
 */
int wire_id_load(const char *cert_file, const char *key_file,
		 struct wire_id **out, char *err, size_t errlen);
void wire_id_free(struct wire_id *w);

/*
 * Sign the run's statement into proof (its data malloc()ed: the caller
 * frees it). Thread-safe: w is only read.
 */
int wire_id_prove(const struct wire_id *w, const char *dp_id,
		  uint64_t boot_id, uint64_t started_unix_ms,
		  ProtobufCBinaryData *proof, char *err, size_t errlen);
/* The chain (DER, leaf first), w's for as long as w lives. */
size_t wire_id_chain(const struct wire_id *w, ProtobufCBinaryData **certs);

/* cordond's side: the CA file (PEM) its TLS listener requires. */
int wire_id_verifier_load(const char *ca_file, struct wire_id_verifier **out,
			  char *err, size_t errlen);
void wire_id_verifier_free(struct wire_id_verifier *v);

/*
 * Does this chain lead to the CA, name dp_id as its leaf's CN, and its key
 * sign the run's statement as proof? 0; -ENOKEY when there is no chain or
 * no proof; -EACCES when there is one and it does not hold; -EINVAL for
 * bytes that are no certificate. err says why in each case.
 */
int wire_id_verify(const struct wire_id_verifier *v,
		   const ProtobufCBinaryData *certs, size_t n_certs,
		   ProtobufCBinaryData proof, const char *dp_id,
		   uint64_t boot_id, uint64_t started_unix_ms, char *err,
		   size_t errlen);

#endif /* CORDON_WIRE_ID_H */
