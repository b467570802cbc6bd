/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer targets of what a dataplane does with a policy from cordond,
 * selected with -DFUZZ_TARGET (the rte_acl build after it needs the EAL
 * and is left out):
 *  1 validate  the bytes as a Policy (PollReply.policy, or --policy):
 *              decoded, then policy_validate();
 *  2 signed    the bytes as a SignedPolicy (PollReply.signed_policy, the
 *              last-known-good file): policy_verify() against one key;
 *              and the bytes as a Policy, signed with that key, which
 *              must then verify and give back the same Policy.
 *
 * Checks: validation is a 0 or a negative errno with a message, the same
 * every time and after a protobuf round trip; a valid policy's
 * quarantined MACs are quarantined; a refused signed policy leaves
 * nothing behind (ASan leak check) and says why.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon.pb-c.h"
#include "fuzz_pack.h"
#include "policy_sign.h"
#include "policy_validate.h"
#include "policy_verify.h"

#define T_VALIDATE 1
#define T_SIGNED 2

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(why) do { \
	fprintf(stderr, "fuzz_policy: %s (line %d)\n", why, __LINE__); \
	abort(); \
} while (0)

/* policy_validate(), checked; its return. */
static int
validate(const Cordon__Policy *p)
{
	char err[256], err2[256];
	int rc, rc2;

	memset(err, 0x55, sizeof(err));
	rc = policy_validate(p, err, sizeof(err));
	if (rc > 0)
		FAIL("positive return");
	if (rc < 0 && (memchr(err, '\0', sizeof(err)) == NULL ||
		       err[0] == '\0'))
		FAIL("refused without a reason");
	rc2 = policy_validate(p, err2, sizeof(err2));
	if (rc2 != rc || (rc < 0 && strcmp(err, err2) != 0))
		FAIL("a second look says otherwise");
	if (rc == 0)
		for (size_t i = 0; i < p->n_quarantined; i++)
			if (p->quarantined[i].len == 6 &&
			    !policy_quarantined(p, p->quarantined[i].data))
				FAIL("a quarantined MAC is not quarantined");
	return rc;
}

#if FUZZ_TARGET == T_VALIDATE

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Cordon__Policy *p, *q;
	uint8_t *b;
	size_t l;
	int rc;

	p = cordon__policy__unpack(NULL, size, data);
	if (p == NULL)
		return 0;
	rc = validate(p);
	b = fuzz_pack(&p->base, &l);
	q = cordon__policy__unpack(NULL, l, b);
	/*
	 * protobuf-c keeps a field number 0 sent in a two-byte tag and packs
	 * it in one byte, which does not decode: only a policy with unknown
	 * fields may fail here, and validation must have refused it.
	 */
	if (q == NULL) {
		if (rc == 0)
			FAIL("a valid policy does not decode again");
	} else {
		/* An unknown field is kept: the verdict cannot change. */
		if ((validate(q) == 0) != (rc == 0))
			FAIL("the verdict changed after a round trip");
		cordon__policy__free_unpacked(q, NULL);
	}
	free(b);
	cordon__policy__free_unpacked(p, NULL);
	return 0;
}

#elif FUZZ_TARGET == T_SIGNED

static struct policy_sign_key key;
static struct policy_verify_keyring kr;

static void
init(void)
{
	char dir[] = "/tmp/cordon-fuzz-sign-XXXXXX", path[128], err[512];

	if (mkdtemp(dir) == NULL ||
	    policy_sign_keygen(dir, false, err, sizeof(err)) != 0)
		FAIL("keygen");
	snprintf(path, sizeof(path), "%s/" POLICY_SIGN_PRIV_NAME, dir);
	if (policy_sign_key_load(path, &key, err, sizeof(err)) != 0)
		FAIL(err);
	unlink(path);
	policy_verify_keyring_init(&kr);
	snprintf(path, sizeof(path), "%s/" POLICY_SIGN_PUB_NAME, dir);
	if (policy_verify_keyring_add_pem(&kr, path, err, sizeof(err)) != 0)
		FAIL(err);
	unlink(path);
	rmdir(dir);
}

static void
check_verify(const void *buf, size_t len, bool must_verify)
{
	static const struct policy_verify_out zero;
	struct policy_verify_out out;
	char err[256] = "";
	int rc;

	rc = policy_verify(&kr, buf, len, &out, err, sizeof(err));
	if (rc == 0) {
		Cordon__Policy *p;

		if (out.policy == NULL)
			FAIL("verified without a policy");
		p = cordon__policy__unpack(NULL, out.policy_len,
					   out.policy_bytes);
		if (p == NULL)
			FAIL("the signed bytes do not decode");
		if (p->version != out.version ||
		    out.policy->version != out.version)
			FAIL("the version signed is not the policy's");
		cordon__policy__free_unpacked(p, NULL);
		(void)validate(out.policy);
		policy_verify_out_free(&out);
		return;
	}
	if (must_verify) {
		fprintf(stderr, "%d: %s\n", rc, err);
		FAIL("a policy just signed does not verify");
	}
	if (memcmp(&out, &zero, sizeof(out)) != 0 || err[0] == '\0' ||
	    memchr(err, '\0', sizeof(err)) == NULL)
		FAIL("a refusal left something behind or said nothing");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	char err[256];
	int rc;

	if (kr.n == 0)
		init();
	check_verify(data, size, false);

	rc = policy_sign(&key, data, size, 1700000000000ull, &sig, &sig_len,
			 err, sizeof(err));
	if (rc == 0) {
		check_verify(sig, sig_len, true);
		free(sig);
	} else if (sig != NULL || rc > 0) {
		FAIL("a refused signing left something behind");
	}
	return 0;
}

#else
#error "FUZZ_TARGET: 1 validate, 2 signed"
#endif
