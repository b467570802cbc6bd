/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * nng's TLS for the dataplane <-> cordond channel (tls+tcp://), with mutual
 * certificate authentication: cordond requires a client certificate from
 * its CA, a dataplane requires cordond's from its CA and checks the
 * server name. Certificates and keys are PEM files, as
 * scripts/make-certs.sh makes them (EC P-256: nng in Debian 12 does TLS
 * with mbedTLS 2.28).
 *
 * The files are read here, not by nng, so that a missing or unreadable one
 * is reported by name and errno before anything starts.
 */

#ifndef CORDON_WIRE_TLS_H
#define CORDON_WIRE_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include <nng/nng.h>
#include <nng/supplemental/tls/tls.h>

struct wire_tls_files {
	const char *cert;	/* PEM certificate (chain); may hold the key */
	const char *key;	/* PEM private key; NULL: it is in cert */
	const char *ca;		/* PEM CA certificate(s) to verify the peer */
	const char *server_name;	/* client: name cordond's certificate
					 * must carry; NULL: none checked */
};

/* tls+tcp://, tls+tcp4:// or tls+tcp6:// */
bool wire_tls_url(const char *url);

/*
 * Build a TLS configuration: server (peer certificate required) or client
 * (server certificate verified). Returns 0, or a negative errno with a
 * message naming the file at fault in err: -ENOENT, -EACCES and so on for
 * files that cannot be read, -EINVAL for contents nng refuses.
 */
int wire_tls_config(bool server, const struct wire_tls_files *f,
		    nng_tls_config **out, char *err, size_t errlen);

/* The host of an nng URL "SCHEME://HOST:PORT" ("[v6]" unbracketed;
 * "*" or empty: 127.0.0.1). Returns 0 or -EINVAL. */
int wire_tls_url_host(const char *url, char *host, size_t hlen, char *port,
		      size_t plen);

/*
 * Is a tls+tcp listener at url taking connections? Connects with plain
 * TCP and sends a record no TLS server accepts: a listener that is
 * accepting answers with an alert or closes at once; one that has stopped
 * accepting (nng#1518) leaves the connection in the kernel's backlog and
 * says nothing. So: true on any answer within timeout_ms.
 */
bool wire_tls_probe(const char *url, int timeout_ms);

#endif /* CORDON_WIRE_TLS_H */
