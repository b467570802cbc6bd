/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dp_verify: signed policies and the last-known-good file. The signer here
 * is written against OpenSSL directly (not control/ctl_sign.c), so the
 * format is checked from both sides.
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

#include "dp_verify.h"

struct fx {
	char dir[64];
	EVP_PKEY *key_a, *key_b;
	struct dp_verify_keyring ring;	/* trusts key_a only */
};

static uint8_t *
make_policy(uint64_t version, size_t *len)
{
	Cordon__Policy p = CORDON__POLICY__INIT;
	Cordon__Segment seg = CORDON__SEGMENT__INIT, *segs[1] = { &seg };
	Cordon__Rule rule = CORDON__RULE__INIT, *rules[1] = { &rule };
	Cordon__Endpoint src = CORDON__ENDPOINT__INIT;
	Cordon__Endpoint dst = CORDON__ENDPOINT__INIT;
	uint8_t *buf;

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
	*len = cordon__policy__get_packed_size(&p);
	buf = malloc(*len);
	assert_non_null(buf);
	cordon__policy__pack(&p, buf);
	return buf;
}

/* Sign with pkey but claim key id `id` (normally pkey's own). */
static uint8_t *
sign_as(EVP_PKEY *pkey, const uint8_t *id, uint64_t version,
	const uint8_t *pol, size_t pol_len, size_t *len)
{
	Cordon__SignedPolicy sp = CORDON__SIGNED_POLICY__INIT;
	uint8_t sig[64], *msg, *buf;
	size_t sig_len = sizeof(sig), msg_len;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	assert_int_equal(dp_verify_sig_message(version, 1234567, pol, pol_len,
					       &msg, &msg_len), 0);
	assert_int_equal(EVP_DigestSignInit(md, NULL, NULL, NULL, pkey), 1);
	assert_int_equal(EVP_DigestSign(md, sig, &sig_len, msg, msg_len), 1);
	EVP_MD_CTX_free(md);
	free(msg);
	sp.magic = DP_VERIFY_MAGIC;
	sp.version = version;
	sp.policy.data = (uint8_t *)pol;
	sp.policy.len = pol_len;
	sp.key_id.data = (uint8_t *)id;
	sp.key_id.len = DP_VERIFY_KEY_ID_LEN;
	sp.signature.data = sig;
	sp.signature.len = sig_len;
	sp.signed_unix_ms = 1234567;
	*len = cordon__signed_policy__get_packed_size(&sp);
	buf = malloc(*len);
	assert_non_null(buf);
	cordon__signed_policy__pack(&sp, buf);
	return buf;
}

static uint8_t *
sign(EVP_PKEY *pkey, uint64_t version, const uint8_t *pol, size_t pol_len,
     size_t *len)
{
	uint8_t id[DP_VERIFY_KEY_ID_LEN];

	assert_int_equal(dp_verify_key_id(pkey, id), 0);
	return sign_as(pkey, id, version, pol, pol_len, len);
}

static void
write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void
write_pubkey(const char *path, EVP_PKEY *pkey)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PUBKEY(f, pkey), 1);
	fclose(f);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char path[128];
	char err[256];

	strcpy(fx->dir, "/tmp/cordon-dpverify-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	fx->key_a = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	fx->key_b = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(fx->key_a);
	assert_non_null(fx->key_b);
	snprintf(path, sizeof(path), "%s/a.pub", fx->dir);
	write_pubkey(path, fx->key_a);
	dp_verify_keyring_init(&fx->ring);
	assert_int_equal(dp_verify_keyring_add_pem(&fx->ring, path, err,
						   sizeof(err)), 0);
	assert_int_equal(fx->ring.n, 1);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[160];

	dp_verify_keyring_free(&fx->ring);
	EVP_PKEY_free(fx->key_a);
	EVP_PKEY_free(fx->key_b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

static void
test_round_trip(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_out out;
	size_t pol_len, len;
	uint8_t *pol = make_policy(42, &pol_len);
	uint8_t *sp = sign(fx->key_a, 42, pol, pol_len, &len);
	char err[256] = "";

	assert_int_equal(dp_verify_signed_policy(&fx->ring, sp, len, &out,
						 err, sizeof(err)), 0);
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
			    DP_VERIFY_KEY_ID_LEN);
	dp_verify_out_free(&out);
	assert_null(out.policy);
	free(sp);
	free(pol);
}

static size_t
find(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	const uint8_t *p = memmem(hay, n, needle, m);

	assert_non_null(p);
	return (size_t)(p - hay);
}

/* Flip every bit of every byte: nothing that changed may verify. */
static void
test_tamper_every_byte(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_out out;
	size_t pol_len, len, pol_off, id_off, sig_off;
	uint8_t *pol = make_policy(7, &pol_len);
	uint8_t *sp = sign(fx->key_a, 7, pol, pol_len, &len);
	Cordon__SignedPolicy *dec;
	unsigned bad_sig = 0, unknown_key = 0, other = 0;

	uint8_t id[DP_VERIFY_KEY_ID_LEN], sig[DP_VERIFY_SIG_LEN];

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
			ret = dp_verify_signed_policy(&fx->ring, t, len, &out,
						      NULL, 0);
			assert_int_not_equal(ret, 0);
			assert_null(out.policy);
			if ((i >= pol_off && i < pol_off + pol_len) ||
			    (i >= sig_off && i < sig_off + DP_VERIFY_SIG_LEN))
				assert_int_equal(ret,
						 DP_VERIFY_E_BAD_SIGNATURE);
			if (i >= id_off && i < id_off + DP_VERIFY_KEY_ID_LEN)
				assert_int_equal(ret, DP_VERIFY_E_UNKNOWN_KEY);
			bad_sig += ret == DP_VERIFY_E_BAD_SIGNATURE;
			unknown_key += ret == DP_VERIFY_E_UNKNOWN_KEY;
			other += ret != DP_VERIFY_E_BAD_SIGNATURE &&
				ret != DP_VERIFY_E_UNKNOWN_KEY;
			free(t);
		}
	}
	assert_true(bad_sig >= 8 * (pol_len + DP_VERIFY_SIG_LEN));
	assert_int_equal(unknown_key, 8 * DP_VERIFY_KEY_ID_LEN);
	print_message("%zu bytes x 8 bits: %u bad signature, %u unknown key, "
		      "%u other rejections\n", len, bad_sig, unknown_key,
		      other);
	/* Truncations and appended garbage too. */
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(dp_verify_signed_policy(&fx->ring, sp, n,
							     &out, NULL, 0),
				     0);
	free(sp);
	free(pol);
}

static void
test_wrong_key(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_out out;
	uint8_t id_a[DP_VERIFY_KEY_ID_LEN];
	size_t pol_len, len;
	uint8_t *pol = make_policy(3, &pol_len);
	uint8_t *sp = sign(fx->key_b, 3, pol, pol_len, &len);
	char err[256] = "";

	assert_int_equal(dp_verify_signed_policy(&fx->ring, sp, len, &out,
						 err, sizeof(err)),
			 DP_VERIFY_E_UNKNOWN_KEY);
	assert_non_null(strstr(err, "not trusted"));
	free(sp);
	/* Key B signs but claims to be key A. */
	assert_int_equal(dp_verify_key_id(fx->key_a, id_a), 0);
	sp = sign_as(fx->key_b, id_a, 3, pol, pol_len, &len);
	assert_int_equal(dp_verify_signed_policy(&fx->ring, sp, len, &out,
						 err, sizeof(err)),
			 DP_VERIFY_E_BAD_SIGNATURE);
	free(sp);
	/* An empty keyring trusts nothing. */
	struct dp_verify_keyring empty;

	dp_verify_keyring_init(&empty);
	sp = sign(fx->key_a, 3, pol, pol_len, &len);
	assert_int_equal(dp_verify_signed_policy(&empty, sp, len, &out, NULL,
						 0), DP_VERIFY_E_UNKNOWN_KEY);
	free(sp);
	free(pol);
}

static void
test_unsigned_and_garbage(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_out out;
	uint8_t garbage[300];
	size_t pol_len;
	uint8_t *pol;
	char err[256] = "";

	/* Bare policies, with and without a version (field 1 is a varint). */
	for (uint64_t v = 0; v < 3; v++) {
		pol = make_policy(v, &pol_len);
		assert_int_equal(dp_verify_signed_policy(&fx->ring, pol,
							 pol_len, &out, err,
							 sizeof(err)),
				 DP_VERIFY_E_UNSIGNED);
		assert_non_null(strstr(err, "unsigned"));
		free(pol);
	}
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (uint8_t)(i * 37 + 11);
	garbage[0] = 0xff;	/* an invalid tag */
	assert_int_equal(dp_verify_signed_policy(&fx->ring, garbage,
						 sizeof(garbage), &out, err,
						 sizeof(err)),
			 DP_VERIFY_E_NOT_SIGNED_POLICY);
	assert_int_equal(dp_verify_signed_policy(&fx->ring, garbage, 0, &out,
						 err, sizeof(err)),
			 DP_VERIFY_E_NOT_SIGNED_POLICY);
	/* A SignedPolicy with the wrong magic is not one. */
	Cordon__SignedPolicy sp = CORDON__SIGNED_POLICY__INIT;
	uint8_t buf[64];

	sp.magic = 0x12345678;
	sp.version = 1;
	assert_int_equal(dp_verify_signed_policy(&fx->ring, buf,
			 cordon__signed_policy__pack(&sp, buf), &out, NULL, 0),
			 DP_VERIFY_E_NOT_SIGNED_POLICY);
	/* Right magic, signature stripped. */
	sp.magic = DP_VERIFY_MAGIC;
	assert_int_equal(dp_verify_signed_policy(&fx->ring, buf,
			 cordon__signed_policy__pack(&sp, buf), &out, NULL, 0),
			 DP_VERIFY_E_BAD_SIGNATURE);
	assert_string_equal(dp_verify_strerror(DP_VERIFY_E_UNSIGNED),
			    "unsigned policy");
	assert_int_equal(dp_verify_signed_policy(NULL, buf, 1, &out, NULL, 0),
			 -EINVAL);
}

/* Validly signed, but the content lies about itself. */
static void
test_signed_bad_content(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_out out;
	const uint8_t junk[] = { 0xff, 0xff, 0xff };
	size_t pol_len, len;
	uint8_t *pol = make_policy(5, &pol_len);
	uint8_t *sp = sign(fx->key_a, 6, pol, pol_len, &len);
	char err[256];

	assert_int_equal(dp_verify_signed_policy(&fx->ring, sp, len, &out,
						 err, sizeof(err)),
			 DP_VERIFY_E_BAD_POLICY);
	assert_non_null(strstr(err, "different version"));
	free(sp);
	sp = sign(fx->key_a, 6, junk, sizeof(junk), &len);
	assert_int_equal(dp_verify_signed_policy(&fx->ring, sp, len, &out,
						 err, sizeof(err)),
			 DP_VERIFY_E_BAD_POLICY);
	free(sp);
	free(pol);
}

static void
test_keyring(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_keyring kr;
	uint8_t raw[32];
	size_t raw_len = sizeof(raw);
	char path[160], err[256];
	EVP_PKEY *ec;

	dp_verify_keyring_init(&kr);
	snprintf(path, sizeof(path), "%s/a.pub", fx->dir);
	assert_int_equal(dp_verify_keyring_add_pem(&kr, path, err,
						   sizeof(err)), 0);
	assert_int_equal(dp_verify_keyring_add_pem(&kr, path, err,
						   sizeof(err)), -EEXIST);
	assert_int_equal(EVP_PKEY_get_raw_public_key(fx->key_b, raw,
						     &raw_len), 1);
	assert_int_equal(dp_verify_keyring_add_raw(&kr, raw, err,
						   sizeof(err)), 0);
	assert_int_equal(kr.n, 2);
	snprintf(path, sizeof(path), "%s/missing.pub", fx->dir);
	assert_int_equal(dp_verify_keyring_add_pem(&kr, path, err,
						   sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "missing.pub"));
	snprintf(path, sizeof(path), "%s/garbage.pub", fx->dir);
	write_file(path, "hello\n", 6);
	assert_int_equal(dp_verify_keyring_add_pem(&kr, path, err,
						   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a PEM public key"));
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(ec);
	snprintf(path, sizeof(path), "%s/ec.pub", fx->dir);
	write_pubkey(path, ec);
	EVP_PKEY_free(ec);
	assert_int_equal(dp_verify_keyring_add_pem(&kr, path, err,
						   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not an Ed25519 key"));
	assert_int_equal(kr.n, 2);
	/* Both keys verify now: rotation. */
	size_t pol_len, len;
	uint8_t *pol = make_policy(9, &pol_len);
	uint8_t *sp = sign(fx->key_b, 9, pol, pol_len, &len);
	struct dp_verify_out out;

	assert_int_equal(dp_verify_signed_policy(&kr, sp, len, &out, NULL, 0),
			 0);
	dp_verify_out_free(&out);
	free(sp);
	free(pol);
	dp_verify_keyring_free(&kr);
	assert_int_equal(kr.n, 0);
}

static void
test_lkg(void **state)
{
	struct fx *fx = *state;
	struct dp_verify_out out;
	size_t pol_len, len, len2, pol_off;
	uint8_t *pol = make_policy(11, &pol_len);
	uint8_t *sp = sign(fx->key_a, 11, pol, pol_len, &len);
	uint8_t *pol2, *sp2;
	char path[160], tmp[200], err[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/lkg.bin", fx->dir);
	assert_int_equal(dp_verify_lkg_load(path, &fx->ring, &out, err,
					    sizeof(err)), -ENOENT);
	assert_int_equal(dp_verify_lkg_save(path, sp, len, err, sizeof(err)),
			 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, len);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(dp_verify_lkg_load(path, &fx->ring, &out, err,
					    sizeof(err)), 0);
	assert_int_equal(out.version, 11);
	assert_memory_equal(out.policy_bytes, pol, pol_len);
	dp_verify_out_free(&out);

	/* A newer one replaces it whole. */
	pol2 = make_policy(12, &pol_len);
	sp2 = sign(fx->key_a, 12, pol2, pol_len, &len2);
	assert_int_equal(dp_verify_lkg_save(path, sp2, len2, err,
					    sizeof(err)), 0);
	assert_int_equal(dp_verify_lkg_load(path, &fx->ring, &out, err,
					    sizeof(err)), 0);
	assert_int_equal(out.version, 12);
	dp_verify_out_free(&out);

	/* Tampered on disk: one byte of the policy changed. */
	pol_off = find(sp2, len2, pol2, pol_len);
	sp2[pol_off + pol_len / 2] ^= 0x20;
	write_file(path, sp2, len2);
	assert_int_equal(dp_verify_lkg_load(path, &fx->ring, &out, err,
					    sizeof(err)),
			 DP_VERIFY_E_BAD_SIGNATURE);
	assert_non_null(strstr(err, "last-known-good"));
	assert_null(out.policy);
	sp2[pol_off + pol_len / 2] ^= 0x20;

	/* Torn writes: every truncation is refused, cleanly. */
	for (size_t n = 0; n < len2; n++) {
		write_file(path, sp2, n);
		assert_int_not_equal(dp_verify_lkg_load(path, &fx->ring, &out,
							err, sizeof(err)), 0);
		assert_null(out.policy);
	}
	/* A bare policy on disk is "unsigned". */
	write_file(path, pol2, pol_len);
	assert_int_equal(dp_verify_lkg_load(path, &fx->ring, &out, err,
					    sizeof(err)),
			 DP_VERIFY_E_UNSIGNED);
	/* Not a regular file. */
	assert_int_equal(dp_verify_lkg_load(fx->dir, &fx->ring, &out, err,
					    sizeof(err)), -EINVAL);
	/* Saving into a directory that does not exist fails cleanly. */
	snprintf(path, sizeof(path), "%s/nodir/lkg.bin", fx->dir);
	assert_int_equal(dp_verify_lkg_save(path, sp, len, err, sizeof(err)),
			 -ENOENT);
	free(sp);
	free(sp2);
	free(pol);
	free(pol2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_every_byte, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unsigned_and_garbage,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_signed_bad_content, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keyring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lkg, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
