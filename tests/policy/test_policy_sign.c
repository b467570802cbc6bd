/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* policy_sign: key files and signing, checked with policy_verify. */

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
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "policy_sign.h"
#include "policy_verify.h"
#include "test_main.h"
#include "test_pack.h"

static char priv_path[128], pub_path[128];

static uint8_t *
make_policy(uint64_t version, size_t *len)
{
	Cordon__Policy p = CORDON__POLICY__INIT;
	Cordon__Segment seg = CORDON__SEGMENT__INIT, *segs[1] = { &seg };

	seg.id = 1;
	seg.name = "cameras";
	p.version = version;
	p.n_segments = 1;
	p.segments = segs;
	p.default_segment = 1;
	return test_pack(&p.base, len);
}

static int
setup(void **state)
{
	(void)state;
	test_dir_file("sign", POLICY_SIGN_PRIV_NAME, priv_path,
		      sizeof(priv_path));
	snprintf(pub_path, sizeof(pub_path), "%s/%s", test_dir,
		 POLICY_SIGN_PUB_NAME);
	return 0;
}

static void
read_all(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void
test_keygen(void **state)
{
	char err[256], before[512], after[512];
	struct stat sb;
	mode_t old = umask(0);		/* keygen must not depend on it */

	(void)state;
	assert_int_equal(policy_sign_keygen(test_dir, false, err,
					    sizeof(err)), 0);
	umask(old);
	assert_int_equal(stat(priv_path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(pub_path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	read_all(priv_path, before, sizeof(before));
	assert_non_null(strstr(before, "-----BEGIN PRIVATE KEY-----"));
	read_all(pub_path, after, sizeof(after));
	assert_non_null(strstr(after, "-----BEGIN PUBLIC KEY-----"));

	/* No overwrite without force, and nothing changed. */
	assert_int_equal(policy_sign_keygen(test_dir, false, err, sizeof(err)),
			 -EEXIST);
	assert_non_null(strstr(err, "exists"));
	read_all(priv_path, after, sizeof(after));
	assert_string_equal(before, after);
	/* Only one of the two files there: still refused. */
	assert_int_equal(unlink(pub_path), 0);
	assert_int_equal(policy_sign_keygen(test_dir, false, err, sizeof(err)),
			 -EEXIST);
	assert_int_equal(access(pub_path, F_OK), -1);
	/* Forced: a new key. */
	assert_int_equal(policy_sign_keygen(test_dir, true, err,
					    sizeof(err)), 0);
	read_all(priv_path, after, sizeof(after));
	assert_string_not_equal(before, after);
	assert_int_equal(stat(priv_path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(policy_sign_keygen("/nonexistent/dir", false, err,
					    sizeof(err)), -ENOENT);
}

static void
test_key_load_errors(void **state)
{
	struct policy_sign_key key;
	char err[256], path[160];
	EVP_PKEY *ec;
	FILE *f;

	(void)state;
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, priv_path));
	assert_int_equal(policy_sign_keygen(test_dir, false, err,
					    sizeof(err)), 0);
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 0);
	assert_non_null(key.pkey);
	policy_sign_key_free(&key);
	assert_null(key.pkey);

	/* Too open: refused, with the fix in the message. */
	assert_int_equal(chmod(priv_path, 0640), 0);
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 -EPERM);
	assert_non_null(strstr(err, "chmod 600"));
	assert_null(key.pkey);
	assert_int_equal(chmod(priv_path, 0604), 0);
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 -EPERM);
	assert_int_equal(chmod(priv_path, 0400), 0);
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 0);
	policy_sign_key_free(&key);

	/* The public key is not a private key. */
	assert_int_equal(chmod(pub_path, 0600), 0);
	assert_int_equal(policy_sign_key_load(pub_path, &key, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not an unencrypted PEM private key"));
	/* Garbage. */
	snprintf(path, sizeof(path), "%s/garbage.key", test_dir);
	f = fopen(path, "w");
	fputs("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n",
	      f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(policy_sign_key_load(path, &key, err, sizeof(err)),
			 -EINVAL);
	/* A real key of the wrong type. */
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	snprintf(path, sizeof(path), "%s/ec.key", test_dir);
	f = fopen(path, "w");
	assert_int_equal(PEM_write_PrivateKey(f, ec, NULL, NULL, 0, NULL,
					      NULL), 1);
	fclose(f);
	EVP_PKEY_free(ec);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(policy_sign_key_load(path, &key, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not an Ed25519 key"));
	/* A directory. */
	assert_int_equal(policy_sign_key_load(test_dir, &key, err, sizeof(err)),
			 -EINVAL);
}

static void
test_sign_verify(void **state)
{
	struct policy_verify_keyring kr;
	struct policy_verify_out out;
	struct policy_sign_key key;
	uint8_t *pol, *sp, *pol2, *sp2;
	size_t pol_len, len, pol2_len, len2;
	char err[256];

	(void)state;
	assert_int_equal(policy_sign_keygen(test_dir, false, err,
					    sizeof(err)), 0);
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 0);
	policy_verify_keyring_init(&kr);
	assert_int_equal(policy_verify_keyring_add_pem(&kr, pub_path, err,
						       sizeof(err)), 0);
	assert_memory_equal(kr.keys[0].id, key.key_id, POLICY_SIG_KEY_ID_LEN);

	pol = make_policy(17, &pol_len);
	assert_int_equal(policy_sign(&key, pol, pol_len, 99000, &sp, &len, err,
				     sizeof(err)), 0);
	assert_int_equal(policy_verify(&kr, sp, len, &out, err,
				       sizeof(err)), 0);
	assert_int_equal(out.version, 17);
	assert_int_equal(out.signed_unix_ms, 99000);
	assert_memory_equal(out.policy_bytes, pol, pol_len);
	assert_string_equal(out.policy->segments[0]->name, "cameras");
	policy_verify_out_free(&out);
	/* Ed25519 is deterministic: same input, same bytes. */
	assert_int_equal(policy_sign(&key, pol, pol_len, 99000, &sp2, &len2,
				     err, sizeof(err)), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(sp2, sp, len);
	free(sp2);
	/* One byte changed anywhere in the policy: refused. */
	for (size_t i = 0; i < len; i++) {
		sp[i] ^= 0x80;
		assert_int_not_equal(policy_verify(&kr, sp, len, &out, NULL, 0),
				     0);
		sp[i] ^= 0x80;
	}

	/* Reversion (rollback): a new version, signed again. */
	assert_int_equal(policy_sign_reversion(&key, pol, pol_len, 23, 100000,
					       &pol2, &pol2_len, &sp2, &len2,
					       err, sizeof(err)), 0);
	assert_int_equal(policy_verify(&kr, sp2, len2, &out, err,
				       sizeof(err)), 0);
	assert_int_equal(out.version, 23);
	assert_int_equal(out.policy->version, 23);
	assert_string_equal(out.policy->segments[0]->name, "cameras");
	assert_memory_equal(out.policy_bytes, pol2, pol2_len);
	policy_verify_out_free(&out);
	free(pol2);
	free(sp2);
	/* Unsigned reversion. */
	assert_int_equal(policy_sign_reversion(NULL, pol, pol_len, 24, 100000,
					       &pol2, &pol2_len, &sp2, &len2,
					       err, sizeof(err)), 0);
	assert_null(sp2);
	assert_int_equal(policy_verify(&kr, pol2, pol2_len, &out, NULL, 0),
			 POLICY_SIG_E_UNSIGNED);
	free(pol2);

	/* Refuses to sign what is not a Policy. */
	assert_int_equal(policy_sign(&key, (const uint8_t *) "\xff\xff", 2, 1,
				     &sp2, &len2, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not a Policy"));
	assert_int_equal(policy_sign(&key, pol, 0, 1, &sp2, &len2, err,
				     sizeof(err)), -EINVAL);

	/* A key made afterwards is not trusted. */
	policy_sign_key_free(&key);
	assert_int_equal(policy_sign_keygen(test_dir, true, err,
					    sizeof(err)), 0);
	assert_int_equal(policy_sign_key_load(priv_path, &key, err,
					      sizeof(err)),
			 0);
	free(sp);
	assert_int_equal(policy_sign(&key, pol, pol_len, 1, &sp, &len, err,
				     sizeof(err)), 0);
	assert_int_equal(policy_verify(&kr, sp, len, &out, NULL, 0),
			 POLICY_SIG_E_UNKNOWN_KEY);
	free(sp);
	free(pol);
	policy_sign_key_free(&key);
	policy_verify_keyring_free(&kr);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, test_dir_teardown)
TEST_MAIN(
	T(test_keygen),
	T(test_key_load_errors),
	T(test_sign_verify))
#undef T
