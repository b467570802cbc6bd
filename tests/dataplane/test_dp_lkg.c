/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* dp_lkg: the last-known-good file, saved whole and verified on load. */

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dp_lkg.h"
#include "sig_fixture.h"
#include "test_main.h"

static void
test_lkg(void **state)
{
	struct fx *fx = *state;
	struct policy_verify_out out;
	size_t pol_len, len, len2, pol_off;
	uint8_t *pol = make_policy(11, &pol_len);
	uint8_t *sp = sign(fx->key_a, 11, pol, pol_len, &len);
	uint8_t *pol2, *sp2;
	char path[160], tmp[200], err[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/lkg.bin", fx->dir);
	assert_int_equal(dp_lkg_load(path, &fx->ring, &out, err,
				     sizeof(err)), -ENOENT);
	assert_int_equal(dp_lkg_save(path, sp, len, err, sizeof(err)),
			 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, len);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(dp_lkg_load(path, &fx->ring, &out, err,
				     sizeof(err)), 0);
	assert_int_equal(out.version, 11);
	assert_memory_equal(out.policy_bytes, pol, pol_len);
	policy_verify_out_free(&out);

	/* A newer one replaces it whole. */
	pol2 = make_policy(12, &pol_len);
	sp2 = sign(fx->key_a, 12, pol2, pol_len, &len2);
	assert_int_equal(dp_lkg_save(path, sp2, len2, err, sizeof(err)), 0);
	assert_int_equal(dp_lkg_load(path, &fx->ring, &out, err,
				     sizeof(err)), 0);
	assert_int_equal(out.version, 12);
	policy_verify_out_free(&out);

	/* Tampered on disk: one byte of the policy changed. */
	pol_off = find(sp2, len2, pol2, pol_len);
	sp2[pol_off + pol_len / 2] ^= 0x20;
	write_file(path, sp2, len2);
	assert_int_equal(dp_lkg_load(path, &fx->ring, &out, err, sizeof(err)),
			 POLICY_SIG_E_BAD_SIGNATURE);
	assert_non_null(strstr(err, "last-known-good"));
	assert_null(out.policy);
	sp2[pol_off + pol_len / 2] ^= 0x20;

	/* Torn writes: every truncation is refused, cleanly. */
	for (size_t n = 0; n < len2; n++) {
		write_file(path, sp2, n);
		assert_int_not_equal(dp_lkg_load(path, &fx->ring, &out, err,
						 sizeof(err)), 0);
		assert_null(out.policy);
	}
	/* A bare policy on disk is "unsigned". */
	write_file(path, pol2, pol_len);
	assert_int_equal(dp_lkg_load(path, &fx->ring, &out, err, sizeof(err)),
			 POLICY_SIG_E_UNSIGNED);
	/* Not a regular file. */
	assert_int_equal(dp_lkg_load(fx->dir, &fx->ring, &out, err,
				     sizeof(err)), -EINVAL);
	/* Saving into a directory that does not exist fails cleanly. */
	snprintf(path, sizeof(path), "%s/nodir/lkg.bin", fx->dir);
	assert_int_equal(dp_lkg_save(path, sp, len, err, sizeof(err)),
			 -ENOENT);
	free(sp);
	free(sp2);
	free(pol);
	free(pol2);
}

TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_lkg, setup, teardown))
