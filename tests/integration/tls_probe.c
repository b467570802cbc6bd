/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
/*
 * tls_probe CERTDIR: does this nng do tls+tcp with mutual authentication,
 * with the certificates of scripts/make-certs.sh? CERTDIR holds a set made
 * with --client gw0, and CERTDIR/other a second, unrelated one. Prints one
 * line per case; exits 0 only if every case came out right.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

#include "test_path.h"

static char dir[400];

static const char *
f(const char *name)
{
	return test_path(dir, name);
}

/* One request through a fresh client; 0 if the reply came back. */
static int
client(const char *url, const char *certkey, const char *ca,
       const char *server_name)
{
	nng_tls_config *cfg;
	nng_socket s;
	nng_dialer d;
	char *rep = NULL;
	size_t len;
	int rv;

	if ((rv = nng_req0_open(&s)) != 0)
		return rv;
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 2000);
	nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 2000);
	if ((rv = nng_dialer_create(&d, s, url)) != 0)
		goto out;
	if ((rv = nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT)) != 0)
		goto out;
	if (ca != NULL)
		rv = nng_tls_config_ca_file(cfg, ca);
	if (rv == 0 && certkey != NULL)
		rv = nng_tls_config_cert_key_file(cfg, certkey, NULL);
	if (rv == 0)
		rv = nng_tls_config_server_name(cfg, server_name);
	if (rv == 0)
		rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED);
	if (rv == 0)
		rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg);
	nng_tls_config_free(cfg);
	if (rv != 0)
		goto out;
	if ((rv = nng_dialer_start(d, 0)) != 0)
		goto out;
	if ((rv = nng_send(s, "ping", 5, 0)) != 0)
		goto out;
	if ((rv = nng_recv(s, &rep, &len, NNG_FLAG_ALLOC)) != 0)
		goto out;
	rv = len == 5 && strcmp(rep, "pong") == 0 ? 0 : NNG_EPROTO;
	nng_free(rep, len);
out:
	nng_close(s);
	return rv;
}

static void *
serve(void *arg)
{
	nng_socket *s = arg;

	for (;;) {
		char *req = NULL;
		size_t len;

		if (nng_recv(*s, &req, &len, NNG_FLAG_ALLOC) != 0)
			return NULL;
		nng_free(req, len);
		nng_send(*s, "pong", 5, 0);
	}
}

int
main(int argc, char **argv)
{
	nng_tls_config *cfg;
	nng_listener l;
	nng_socket srv;
	pthread_t thr;
	char url[64];
	int rv, bad = 0, port = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: tls_probe CERTDIR\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);

	rv = nng_tls_config_alloc(&cfg, NNG_TLS_MODE_SERVER);
	printf("nng %s: nng_tls_config_alloc: %s\n", nng_version(),
	       rv == 0 ? "ok" : nng_strerror(rv));
	if (rv != 0)
		return 1;
	rv = nng_tls_config_cert_key_file(cfg, f("cordond.pem"), NULL);
	printf("server cert+key (EC P-256, PKCS#8): %s\n",
	       rv == 0 ? "ok" : nng_strerror(rv));
	bad += rv != 0;
	rv = nng_tls_config_ca_file(cfg, f("ca.crt"));
	bad += rv != 0;
	rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED);
	bad += rv != 0;
	if (bad)
		return 1;
	/* Port 0: the kernel picks a free one. */
	if ((rv = nng_rep0_open(&srv)) != 0 ||
	    (rv = nng_listener_create(&l, srv, "tls+tcp://127.0.0.1:0")) != 0 ||
	    (rv = nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, cfg)) != 0 ||
	    (rv = nng_listener_start(l, 0)) != 0 ||
	    (rv = nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port)) != 0) {
		printf("listen tls+tcp://127.0.0.1:0: %s\n", nng_strerror(rv));
		return 1;
	}
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
	nng_tls_config_free(cfg);
	pthread_create(&thr, NULL, serve, &srv);

#define CASE(what, want_ok, expr) do { \
	int r_ = (expr); \
	int good_ = want_ok ? r_ == 0 : r_ != 0; \
	printf("%-58s %s (%s)\n", what, good_ ? "PASS" : "FAIL", \
	       r_ == 0 ? "connected" : nng_strerror(r_)); \
	bad += !good_; \
} while (0)
	CASE("client cert gw0, CA, server name localhost", 1,
	     client(url, f("dataplane-gw0.pem"), f("ca.crt"), "localhost"));
	CASE("client without a certificate is refused", 0,
	     client(url, NULL, f("ca.crt"), "localhost"));
	CASE("client cert from another CA is refused", 0,
	     client(url, f("other/dataplane-gw0.pem"), f("ca.crt"),
		    "localhost"));
	CASE("server not in the client's CA is refused", 0,
	     client(url, f("dataplane-gw0.pem"), f("other/ca.crt"),
		    "localhost"));
	CASE("wrong server name is refused", 0,
	     client(url, f("dataplane-gw0.pem"), f("ca.crt"), "evil.example"));
	nng_close(srv);
	pthread_join(thr, NULL);
	return bad ? 1 : 0;
}
