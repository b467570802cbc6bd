/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * policy_verify: signed policies. The signer here is written against
 * OpenSSL directly (sig_fixture.h, not policy_sign.c), so the format is
 * checked from both sides.
 */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "sig_fixture.h"
#include "test_main.h"

static void
test_round_trip(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_out out;
	size_t pol_len, len;
	uint8_t *pol = make_policy(42, &pol_len);
	uint8_t *sp = sign(fx->key_a, 42, pol, pol_len, &len);
	char err[256] = "";

	assert_int_equal(policy_verify(&fx->ring, sp, len, &out, err,
				       sizeof(err)), 0);
	assert_int_equal(out.version, 42);
	assert_int_equal(out.signed_unix_ms, 1234567);
	assert_non_null(out.policy);
	assert_int_equal(out.policy->version, 42);
	assert_int_equal(out.policy->n_rules, 1);
	assert_string_equal(out.policy->rules[0]->comment,
			    "iot may reach the cloud");
	assert_int_equal(out.policy_len, pol_len);
	assert_memory_equal(out.policy_bytes, pol, pol_len);
	assert_memory_equal(out.key_id, fx->ring.keys[0].id,
			    POLICY_SIG_KEY_ID_LEN);
	policy_verify_out_free(&out);
	assert_null(out.policy);
	free(sp);
	free(pol);
}

static void
test_tamper_every_byte(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_out out;
	size_t pol_len, len, pol_off, id_off, sig_off;
	uint8_t *pol = make_policy(7, &pol_len);
	uint8_t *sp = sign(fx->key_a, 7, pol, pol_len, &len);
	Cordon__SignedPolicy *dec;
	unsigned bad_sig = 0, unknown_key = 0, other = 0;

	uint8_t id[POLICY_SIG_KEY_ID_LEN], sig[POLICY_SIG_LEN];

	dec = cordon__signed_policy__unpack(NULL, len, sp);
	if (dec == NULL || dec->key_id.len != sizeof(id) ||
	    dec->signature.len != sizeof(sig))
		fail_msg("signed policy does not decode");
	memcpy(id, dec->key_id.data, sizeof(id));
	memcpy(sig, dec->signature.data, sizeof(sig));
	cordon__signed_policy__free_unpacked(dec, NULL);
	pol_off = find(sp, len, pol, pol_len);
	id_off = find(sp, len, id, sizeof(id));
	sig_off = find(sp, len, sig, sizeof(sig));

	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			uint8_t *t = malloc(len);
			int ret;

			memcpy(t, sp, len);
			t[i] ^= (uint8_t)(1u << bit);
			ret = policy_verify(&fx->ring, t, len, &out, NULL, 0);
			assert_int_not_equal(ret, 0);
			assert_null(out.policy);
			if ((i >= pol_off && i < pol_off + pol_len) ||
			    (i >= sig_off && i < sig_off + POLICY_SIG_LEN))
				assert_int_equal(ret,
						 POLICY_SIG_E_BAD_SIGNATURE);
			if (i >= id_off && i < id_off + POLICY_SIG_KEY_ID_LEN)
				assert_int_equal(ret, POLICY_SIG_E_UNKNOWN_KEY);
			bad_sig += ret == POLICY_SIG_E_BAD_SIGNATURE;
			unknown_key += ret == POLICY_SIG_E_UNKNOWN_KEY;
			other += ret != POLICY_SIG_E_BAD_SIGNATURE &&
				ret != POLICY_SIG_E_UNKNOWN_KEY;
			free(t);
		}
	}
	assert_true(bad_sig >= 8 * (pol_len + POLICY_SIG_LEN));
	assert_int_equal(unknown_key, 8 * POLICY_SIG_KEY_ID_LEN);
	print_message("%zu bytes x 8 bits: %u bad signature, %u unknown key, "
		      "%u other rejections\n", len, bad_sig, unknown_key,
		      other);
	/* Truncations and appended garbage too. */
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(policy_verify(&fx->ring, sp, n, &out, NULL,
						   0),
				     0);
	free(sp);
	free(pol);
}

static void
test_wrong_key(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_out out;
	uint8_t id_a[POLICY_SIG_KEY_ID_LEN];
	size_t pol_len, len;
	uint8_t *pol = make_policy(3, &pol_len);
	uint8_t *sp = sign(fx->key_b, 3, pol, pol_len, &len);
	char err[256] = "";

	assert_int_equal(policy_verify(&fx->ring, sp, len, &out, err,
				       sizeof(err)),
			 POLICY_SIG_E_UNKNOWN_KEY);
	assert_non_null(strstr(err, "not trusted"));
	free(sp);
	/* Key B signs but claims to be key A. */
	assert_int_equal(policy_sig_key_id(fx->key_a, id_a), 0);
	sp = sign_as(fx->key_b, id_a, 3, pol, pol_len, &len);
	assert_int_equal(policy_verify(&fx->ring, sp, len, &out, err,
				       sizeof(err)),
			 POLICY_SIG_E_BAD_SIGNATURE);
	free(sp);
	/* An empty keyring trusts nothing. */
	struct policy_verify_keyring empty;

	policy_verify_keyring_init(&empty);
	sp = sign(fx->key_a, 3, pol, pol_len, &len);
	assert_int_equal(policy_verify(&empty, sp, len, &out, NULL,
				       0), POLICY_SIG_E_UNKNOWN_KEY);
	free(sp);
	free(pol);
}

static void
test_unsigned_and_garbage(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_out out;
	uint8_t garbage[300];
	size_t pol_len;
	uint8_t *pol;
	char err[256] = "";

	/* Bare policies, with and without a version (field 1 is a varint). */
	for (uint64_t v = 0; v < 3; v++) {
		pol = make_policy(v, &pol_len);
		assert_int_equal(policy_verify(&fx->ring, pol, pol_len, &out,
					       err, sizeof(err)),
				 POLICY_SIG_E_UNSIGNED);
		assert_non_null(strstr(err, "unsigned"));
		free(pol);
	}
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (uint8_t)(i * 37 + 11);
	garbage[0] = 0xff;	/* an invalid tag */
	assert_int_equal(policy_verify(&fx->ring, garbage, sizeof(garbage),
				       &out, err, sizeof(err)),
			 POLICY_SIG_E_NOT_SIGNED_POLICY);
	assert_int_equal(policy_verify(&fx->ring, garbage, 0, &out, err,
				       sizeof(err)),
			 POLICY_SIG_E_NOT_SIGNED_POLICY);
	/* A SignedPolicy with the wrong magic is not one. */
	Cordon__SignedPolicy sp = CORDON__SIGNED_POLICY__INIT;
	uint8_t buf[64];

	sp.magic = 0x12345678;
	sp.version = 1;
	assert_int_equal(policy_verify(&fx->ring, buf,
				       cordon__signed_policy__pack(&sp, buf),
				       &out, NULL, 0),
			 POLICY_SIG_E_NOT_SIGNED_POLICY);
	/* Right magic, signature stripped. */
	sp.magic = POLICY_SIG_MAGIC;
	assert_int_equal(policy_verify(&fx->ring, buf,
				       cordon__signed_policy__pack(&sp, buf),
				       &out, NULL, 0),
			 POLICY_SIG_E_BAD_SIGNATURE);
	assert_string_equal(policy_sig_strerror(POLICY_SIG_E_UNSIGNED),
			    "unsigned policy");
	assert_int_equal(policy_verify(NULL, buf, 1, &out, NULL, 0),
			 -EINVAL);
}

/* Validly signed, but the content lies about itself. */
static void
test_signed_bad_content(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_out out;
	const uint8_t junk[] = { 0xff, 0xff, 0xff };
	size_t pol_len, len;
	uint8_t *pol = make_policy(5, &pol_len);
	uint8_t *sp = sign(fx->key_a, 6, pol, pol_len, &len);
	char err[256];

	assert_int_equal(policy_verify(&fx->ring, sp, len, &out, err,
				       sizeof(err)),
			 POLICY_SIG_E_BAD_POLICY);
	assert_non_null(strstr(err, "different version"));
	free(sp);
	sp = sign(fx->key_a, 6, junk, sizeof(junk), &len);
	assert_int_equal(policy_verify(&fx->ring, sp, len, &out, err,
				       sizeof(err)),
			 POLICY_SIG_E_BAD_POLICY);
	free(sp);
	free(pol);
}

static void
test_keyring(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_keyring kr;
	uint8_t raw[32];
	size_t raw_len = sizeof(raw);
	char path[160], err[256];
	EVP_PKEY *ec;

	policy_verify_keyring_init(&kr);
	snprintf(path, sizeof(path), "%s/a.pub", fx->dir);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, path, err,
						       sizeof(err)), 0);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, path, err,
						       sizeof(err)), -EEXIST);
	assert_int_equal(EVP_PKEY_get_raw_public_key(fx->key_b, raw,
						     &raw_len), 1);
	assert_int_equal(policy_verify_keyring_add_raw(&kr, raw, err,
						       sizeof(err)), 0);
	assert_int_equal(kr.n, 2);
	snprintf(path, sizeof(path), "%s/missing.pub", fx->dir);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, path, err,
						       sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "missing.pub"));
	snprintf(path, sizeof(path), "%s/garbage.pub", fx->dir);
	write_file(path, "hello\n", 6);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, path, err,
						       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a PEM public key"));
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(ec);
	snprintf(path, sizeof(path), "%s/ec.pub", fx->dir);
	write_pubkey(path, ec);
	EVP_PKEY_free(ec);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, path, err,
						       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not an Ed25519 key"));
	assert_int_equal(kr.n, 2);
	/* Both keys verify now: rotation. */
	size_t pol_len, len;
	uint8_t *pol = make_policy(9, &pol_len);
	uint8_t *sp = sign(fx->key_b, 9, pol, pol_len, &len);
	struct policy_verify_out out;

	assert_int_equal(policy_verify(&kr, sp, len, &out, NULL, 0),
			 0);
	policy_verify_out_free(&out);
	free(sp);
	free(pol);
	policy_verify_keyring_free(&kr);
	assert_int_equal(kr.n, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
TEST_MAIN(
	T(test_round_trip),
	T(test_tamper_every_byte),
	T(test_wrong_key),
	T(test_unsigned_and_garbage),
	T(test_signed_bad_content),
	T(test_keyring))
#undef T
