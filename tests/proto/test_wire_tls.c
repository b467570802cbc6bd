/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * wire_tls: configurations from PEM files (and the errors a user sees),
 * URL parsing, and the listener probe against sockets that answer, that
 * never accept, and that are not there.
 */

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "test_main.h"
#include "test_path.h"
#include "wire_tls.h"

static char dir[64];

static const char *
f(const char *name)
{
	return test_path(dir, name);
}

static EVP_PKEY *
make_key(void)
{
	return EVP_EC_gen("P-256");
}

/* A self-signed CA-less certificate: enough for nng to load. */
static void
write_pair(const char *crt_name, const char *key_name, EVP_PKEY *k)
{
	X509 *x = X509_new();
	FILE *fp;

	assert_non_null(x);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"localhost", -1, -1,
				   0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	fp = fopen(f(crt_name), "w");
	assert_non_null(fp);
	PEM_write_X509(fp, x);
	fclose(fp);
	fp = fopen(f(key_name), "w");
	assert_non_null(fp);
	PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL, NULL);
	fclose(fp);
	X509_free(x);
}

static int
setup(void **state)
{
	EVP_PKEY *a = make_key(), *b = make_key();
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_wire_tls.XXXXXX");
	if (mkdtemp(dir) == NULL || a == NULL || b == NULL)
		return -1;
	write_pair("a.crt", "a.key", a);
	write_pair("b.crt", "b.key", b);
	fp = fopen(f("junk.pem"), "w");
	fputs("hello\n", fp);
	fclose(fp);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	return 0;
}

static int
teardown(void **state)
{
	const char *names[] = { "a.crt", "a.key", "b.crt", "b.key",
				"junk.pem" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(f(names[i]));
	rmdir(dir);
	return 0;
}

static int
config(bool server, const char *cert, const char *key, const char *ca,
       char *err)
{
	struct wire_tls_files tf = {
		.cert = cert, .key = key, .ca = ca, .server_name = "localhost",
	};
	nng_tls_config *cfg = NULL;
	int rc = wire_tls_config(server, &tf, &cfg, err, 256);

	if (rc == 0) {
		assert_non_null(cfg);
		nng_tls_config_free(cfg);
	} else {
		assert_null(cfg);
	}
	return rc;
}

static void
test_config(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(config(true, f("a.crt"), f("a.key"), f("b.crt"), err),
			 0);
	assert_int_equal(config(false, f("b.crt"), f("b.key"), f("a.crt"),
				err), 0);
	/* Each error names the file and says what is wrong with it. */
	assert_int_equal(config(true, f("nope.crt"), f("a.key"), f("b.crt"),
				err), -ENOENT);
	assert_non_null(strstr(err, "nope.crt: No such file or directory"));
	assert_int_equal(config(true, f("a.crt"), f("a.key"), f("gone.crt"),
				err), -ENOENT);
	assert_non_null(strstr(err, "CA "));
	assert_int_equal(config(true, f("a.crt"), f("b.key"), f("b.crt"), err),
			 -EINVAL);
	assert_non_null(strstr(err, "not a certificate and its private key"));
	assert_int_equal(config(true, f("a.crt"), NULL, f("b.crt"), err),
			 -EINVAL);
	assert_non_null(strstr(err, "no private key"));
	assert_int_equal(config(true, f("junk.pem"), f("a.key"), f("b.crt"),
				err), -EINVAL);
	assert_non_null(strstr(err, "not a PEM file"));
	assert_int_equal(config(true, dir, f("a.key"), f("b.crt"), err),
			 -EINVAL);
	assert_int_equal(config(true, NULL, NULL, f("b.crt"), err), -EINVAL);
}

static void
test_url(void **state)
{
	char host[64], port[16];

	(void)state;
	assert_true(wire_tls_url("tls+tcp://a:1"));
	assert_true(wire_tls_url("tls+tcp6://[::1]:1"));
	assert_false(wire_tls_url("tcp://a:1"));
	assert_false(wire_tls_url("ipc:///x"));
	assert_int_equal(wire_tls_url_host("tls+tcp://gw.lan:7450", host,
					   sizeof(host), port, sizeof(port)), 0);
	assert_string_equal(host, "gw.lan");
	assert_string_equal(port, "7450");
	assert_int_equal(wire_tls_url_host("tls+tcp6://[::1]:9", host,
					   sizeof(host), port, sizeof(port)), 0);
	assert_string_equal(host, "::1");
	assert_string_equal(port, "9");
	assert_int_equal(wire_tls_url_host("tls+tcp://*:9", host, sizeof(host),
					   port, sizeof(port)), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(wire_tls_url_host("tls+tcp://nohost", host,
					   sizeof(host), port, sizeof(port)),
			 -EINVAL);
	assert_int_equal(wire_tls_url_host("nourl", host, sizeof(host), port,
					   sizeof(port)), -EINVAL);
}

static int
listen_any(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 8), 0);
	getsockname(s, (struct sockaddr *)&sa, &len);
	*port = ntohs(sa.sin_port);
	return s;
}

static void *
accept_and_close(void *arg)
{
	int c = accept(*(int *)arg, NULL, NULL);

	if (c >= 0)
		close(c);
	return NULL;
}

static void
test_probe(void **state)
{
	char url[64];
	pthread_t t;
	int s, port;

	(void)state;
	/* Accepts and hangs up, as a TLS server refusing junk does. */
	s = listen_any(&port);
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
	pthread_create(&t, NULL, accept_and_close, &s);
	assert_true(wire_tls_probe(url, 2000));
	pthread_join(t, NULL);
	/* Listening, never accepting (nng#1518): silence. */
	assert_false(wire_tls_probe(url, 200));
	close(s);
	/* Nobody there. */
	assert_false(wire_tls_probe(url, 200));
	/* A URL it cannot make sense of is not the listener's fault. */
	assert_true(wire_tls_probe("tls+tcp://nohost", 200));
}

TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_config),
	cmocka_unit_test(test_url),
	cmocka_unit_test(test_probe))
