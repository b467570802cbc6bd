/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A fixture for tests of signed policies (tests/policy, the dataplane's
 * last-known-good): two Ed25519 keys, a keyring trusting the first, small
 * policies, and a signer written against OpenSSL directly, not
 * policy_sign.c, so that the format is checked from both sides.
 */

#ifndef CORDON_TEST_SIG_FIXTURE_H
#define CORDON_TEST_SIG_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "policy_sig.h"
#include "policy_sign.h"
#include "policy_verify.h"
#include "test_main.h"
#include "test_pack.h"

struct fx {
	char dir[64];
	EVP_PKEY *key_a, *key_b;
	struct policy_verify_keyring ring;	/* trusts key_a only */
};

static inline uint8_t *
make_policy(uint64_t version, size_t *len)
{
	Cordon__Policy p = CORDON__POLICY__INIT;
	Cordon__Segment seg = CORDON__SEGMENT__INIT, *segs[1] = { &seg };
	Cordon__Rule rule = CORDON__RULE__INIT, *rules[1] = { &rule };
	Cordon__Endpoint src = CORDON__ENDPOINT__INIT;
	Cordon__Endpoint dst = CORDON__ENDPOINT__INIT;

	seg.id = 1;
	seg.name = "iot";
	seg.default_action = CORDON__ACTION__ACTION_DENY;
	src.kind_case = CORDON__ENDPOINT__KIND_SEGMENT;
	src.segment = 1;
	dst.kind_case = CORDON__ENDPOINT__KIND_INTERNET;
	dst.internet = 1;
	rule.id = 10;
	rule.src = &src;
	rule.dst = &dst;
	rule.ip_proto = 6;
	rule.action = CORDON__ACTION__ACTION_ALLOW;
	rule.comment = "iot may reach the cloud";
	p.version = version;
	p.n_segments = 1;
	p.segments = segs;
	p.n_rules = 1;
	p.rules = rules;
	p.default_segment = 1;
	p.comment = "test policy";
	return test_pack(&p.base, len);
}

/* Sign with pkey but claim key id `id` (normally pkey's own). */
static inline uint8_t *
sign_as(EVP_PKEY *pkey, const uint8_t *id, uint64_t version,
	const uint8_t *pol, size_t pol_len, size_t *len)
{
	struct policy_sign_key key = { .pkey = pkey };
	uint8_t *buf;

	memcpy(key.key_id, id, POLICY_SIG_KEY_ID_LEN);
	assert_int_equal(policy_sign_bytes(&key, version, 1234567, pol,
					   pol_len, &buf, len, NULL, 0), 0);
	return buf;
}

static inline uint8_t *
sign(EVP_PKEY *pkey, uint64_t version, const uint8_t *pol, size_t pol_len,
     size_t *len)
{
	uint8_t id[POLICY_SIG_KEY_ID_LEN];

	assert_int_equal(policy_sig_key_id(pkey, id), 0);
	return sign_as(pkey, id, version, pol, pol_len, len);
}

static inline void
write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static inline void
write_pubkey(const char *path, EVP_PKEY *pkey)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PUBKEY(f, pkey), 1);
	fclose(f);
}

static inline int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char path[128];
	char err[256];

	test_mkdtemp(fx->dir, "sig");
	fx->key_a = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	fx->key_b = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(fx->key_a);
	assert_non_null(fx->key_b);
	snprintf(path, sizeof(path), "%s/a.pub", fx->dir);
	write_pubkey(path, fx->key_a);
	policy_verify_keyring_init(&fx->ring);
	assert_int_equal(policy_verify_keyring_add_pem(&fx->ring, path, err,
						       sizeof(err)), 0);
	assert_int_equal(fx->ring.n, 1);
	*state = fx;
	return 0;
}

static inline int
teardown(void **state)
{
	struct fx *fx = *state;

	policy_verify_keyring_free(&fx->ring);
	EVP_PKEY_free(fx->key_a);
	EVP_PKEY_free(fx->key_b);
	test_rmtree(fx->dir);
	free(fx);
	return 0;
}

static inline size_t
find(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	const uint8_t *p = memmem(hay, n, needle, m);

	assert_non_null(p);
	return (size_t)(p - hay);
}

/* Flip every bit of every byte: nothing that changed may verify. */
#endif /* CORDON_TEST_SIG_FIXTURE_H */
