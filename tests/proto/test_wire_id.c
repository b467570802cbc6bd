/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * wire_id: a dataplane proves its id with the certificates
 * scripts/make-certs.sh makes (two sets, two CAs): its own holds; another
 * dataplane's certificate, another CA's, another run's statement, a
 * certificate without the key that signed, mangled bytes and none at all
 * do not, each with its reason.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_main.h"
#include "test_path.h"
#include "wire_id.h"

#define BOOT 0x0123456789abcdefULL
#define STARTED 1796520000000ULL

static char dir[64];

static const char *
f(const char *name)
{
	return test_path(dir, name);
}

static int
setup(void **state)
{
	char cmd[1024];

	(void)state;
	test_mkdtemp(dir, "wire-id");
	/* Two sets: "a" and "b", each its own CA. */
	snprintf(cmd, sizeof(cmd), "bash %s/scripts/make-certs.sh --client gw0 "
		 "--client gw1 %s/a >/dev/null && "
		 "bash %s/scripts/make-certs.sh --client gw0 %s/b >/dev/null",
		 test_src_root, dir, test_src_root, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	test_rmtree(dir);
	return 0;
}

/* A dataplane's chain and key, and its proof as gw0 in run BOOT. */
struct dp {
	struct wire_id *w;
	ProtobufCBinaryData proof;
};

static struct dp
load(const char *cert, const char *key)
{
	struct dp d = { 0 };
	char err[256] = "";
	int rc = wire_id_load(f(cert), key ? f(key) : NULL, &d.w, err,
			      sizeof(err));

	if (rc != 0)
		print_error("load %s: %s\n", cert, err);
	assert_int_equal(rc, 0);
	assert_int_equal(wire_id_prove(d.w, "gw0", BOOT, STARTED, &d.proof,
				       err, sizeof(err)), 0);
	return d;
}

static void
unload(struct dp *d)
{
	free(d->proof.data);
	wire_id_free(d->w);
}

static struct wire_id_verifier *
verifier(const char *ca)
{
	struct wire_id_verifier *v = NULL;
	char err[256];

	assert_int_equal(wire_id_verifier_load(f(ca), &v, err, sizeof(err)),
			 0);
	return v;
}

/* wire_id_verify() of w's chain and proof; err gets the reason. */
static int
check(const struct wire_id_verifier *v, const struct dp *d, const char *id,
      uint64_t boot, char *err, size_t errlen)
{
	ProtobufCBinaryData *certs;
	size_t n = wire_id_chain(d->w, &certs);

	err[0] = '\0';
	return wire_id_verify(v, certs, n, d->proof, id, boot, STARTED, err,
			      errlen);
}

static void
test_proof(void **state)
{
	struct wire_id_verifier *va = verifier("a/ca.crt");
	struct dp gw0, gw1, pem, other;
	char err[256];

	(void)state;
	gw0 = load("a/dataplane-gw0.crt", "a/dataplane-gw0.key");
	assert_int_equal(check(va, &gw0, "gw0", BOOT, err, sizeof(err)), 0);
	/* Certificate and key in one file: the same proof holds. */
	pem = load("a/dataplane-gw0.pem", NULL);
	assert_int_equal(check(va, &pem, "gw0", BOOT, err, sizeof(err)), 0);

	/* gw1's certificate, its own key, claiming gw0. */
	gw1 = load("a/dataplane-gw1.crt", "a/dataplane-gw1.key");
	assert_int_equal(check(va, &gw1, "gw0", BOOT, err, sizeof(err)),
			 -EACCES);
	assert_non_null(strstr(err, "'gw1' (CN), not 'gw0'"));
	/* Prefixes are not names. */
	assert_int_equal(check(va, &gw0, "gw", BOOT, err, sizeof(err)),
			 -EACCES);
	assert_int_equal(check(va, &gw0, "gw00", BOOT, err, sizeof(err)),
			 -EACCES);
	/* Another run's statement. */
	assert_int_equal(check(va, &gw0, "gw0", BOOT + 1, err, sizeof(err)),
			 -EACCES);
	assert_non_null(strstr(err, "signature"));

	/* gw0 of another CA. */
	other = load("b/dataplane-gw0.crt", "b/dataplane-gw0.key");
	assert_int_equal(check(va, &other, "gw0", BOOT, err, sizeof(err)),
			 -EACCES);
	assert_non_null(strstr(err, "not one of cordond's CA"));
	/* cordond's own certificate is for servers. */
	unload(&other);
	other = load("a/cordond.crt", "a/cordond.key");
	assert_int_equal(check(va, &other, "localhost", BOOT, err,
			       sizeof(err)), -EACCES);

	unload(&other);
	unload(&gw1);
	unload(&pem);
	unload(&gw0);
	wire_id_verifier_free(va);
}

/* gw0's public certificate with gw1's signature: the key must be its. */
static void
test_borrowed_certificate(void **state)
{
	struct wire_id_verifier *va = verifier("a/ca.crt");
	struct dp gw0 = load("a/dataplane-gw0.crt", "a/dataplane-gw0.key");
	struct dp gw1 = load("a/dataplane-gw1.crt", "a/dataplane-gw1.key");
	ProtobufCBinaryData *certs;
	size_t n = wire_id_chain(gw0.w, &certs);
	char err[256];

	(void)state;
	assert_int_equal(wire_id_verify(va, certs, n, gw1.proof,
					"gw0", BOOT, STARTED, err,
					sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "signature"));
	unload(&gw1);
	unload(&gw0);
	wire_id_verifier_free(va);
}

/* Bytes a peer made up: refused, never a crash. */
static void
test_bad_bytes(void **state)
{
	struct wire_id_verifier *va = verifier("a/ca.crt");
	struct dp gw0 = load("a/dataplane-gw0.crt", "a/dataplane-gw0.key");
	ProtobufCBinaryData *certs, c[WIRE_ID_CHAIN_MAX + 1], none = { 0 };
	size_t n = wire_id_chain(gw0.w, &certs);
	uint8_t junk[64], *copy;
	char err[256];

	(void)state;
	assert_int_equal(wire_id_verify(va, NULL, 0, gw0.proof,
					"gw0", BOOT, STARTED, err,
					sizeof(err)), -ENOKEY);
	assert_int_equal(wire_id_verify(va, certs, n, none, "gw0", BOOT,
					STARTED, err, sizeof(err)), -ENOKEY);
	memset(junk, 0x30, sizeof(junk));
	c[0] = (ProtobufCBinaryData){ sizeof(junk), junk };
	assert_int_equal(wire_id_verify(va, c, 1, gw0.proof, "gw0",
					BOOT, STARTED, err, sizeof(err)),
			 -EINVAL);
	/* A certificate with a byte more, or one less. */
	copy = malloc(certs[0].len + 1);
	assert_non_null(copy);
	memcpy(copy, certs[0].data, certs[0].len);
	copy[certs[0].len] = 0;
	c[0] = (ProtobufCBinaryData){ certs[0].len + 1, copy };
	assert_int_equal(wire_id_verify(va, c, 1, gw0.proof, "gw0",
					BOOT, STARTED, err, sizeof(err)),
			 -EINVAL);
	c[0].len = certs[0].len - 1;
	assert_int_equal(wire_id_verify(va, c, 1, gw0.proof, "gw0",
					BOOT, STARTED, err, sizeof(err)),
			 -EINVAL);
	/* A flipped bit in the signed part: the CA's signature fails. */
	memcpy(copy, certs[0].data, certs[0].len);
	copy[certs[0].len / 2] ^= 1;
	c[0].len = certs[0].len;
	assert_true(wire_id_verify(va, c, 1, gw0.proof, "gw0", BOOT,
				   STARTED, err, sizeof(err)) < 0);
	free(copy);
	/* Too many, and a good leaf followed by junk. */
	for (size_t i = 0; i <= WIRE_ID_CHAIN_MAX; i++)
		c[i] = certs[0];
	assert_int_equal(wire_id_verify(va, c, WIRE_ID_CHAIN_MAX + 1,
					gw0.proof, "gw0", BOOT,
					STARTED, err, sizeof(err)), -EINVAL);
	c[1] = (ProtobufCBinaryData){ sizeof(junk), junk };
	assert_int_equal(wire_id_verify(va, c, 2, gw0.proof, "gw0",
					BOOT, STARTED, err, sizeof(err)),
			 -EINVAL);
	unload(&gw0);
	wire_id_verifier_free(va);
}

/* What a user gets wrong in the files. */
static void
test_load_errors(void **state)
{
	struct wire_id_verifier *v = NULL;
	struct wire_id *w = NULL;
	char err[256];

	(void)state;
	assert_int_equal(wire_id_load(f("a/nope.crt"), NULL, &w, err,
				      sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "nope.crt"));
	/* A certificate file with no key in it, and another's key. */
	assert_int_equal(wire_id_load(f("a/dataplane-gw0.crt"), NULL, &w, err,
				      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not the private key"));
	assert_int_equal(wire_id_load(f("a/dataplane-gw0.crt"),
				      f("a/dataplane-gw1.key"), &w, err,
				      sizeof(err)), -EINVAL);
	/* A key where the certificate goes. */
	assert_int_equal(wire_id_load(f("a/dataplane-gw0.key"), NULL, &w, err,
				      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no certificate"));
	assert_null(w);
	assert_int_equal(wire_id_verifier_load(f("a/nope.crt"), &v, err,
					       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nope.crt"));
	assert_null(v);
}

TEST_MAIN_GROUP(setup, teardown,
	cmocka_unit_test(test_proof),
	cmocka_unit_test(test_borrowed_certificate),
	cmocka_unit_test(test_bad_bytes),
	cmocka_unit_test(test_load_errors))
