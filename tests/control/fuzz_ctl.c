/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer targets of cordond's compilers, selected with -DFUZZ_TARGET:
 *  1 policy  an operator's YAML policy (cordonctl policy apply FILE) by
 *            ctl_pol_compile_buf(), against a small inventory so that the
 *            vendor, type, OUI and MUD URL selectors resolve;
 *  2 mud     a MUD file (cordonctl mud import, or a device's MUD URL) by
 *            ctl_mud_compile(), with the luminaire example's context,
 *            appended to a compiled example policy as cordond composes
 *            them.
 *
 * Checks: a failure is -EINVAL (or -ENOMEM) with a message that names
 * the file and leaves the output as it was; a success is a policy that
 * passes policy_validate() (as the dataplane checks it) and survives a
 * protobuf round trip byte for byte. ASan's leak check covers both paths.
 * CTL_SRC_ROOT (meson) locates the example policy and MUD context.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_compile.h"
#include "ctl_mud.h"
#include "ctl_mud_context.h"
#include "ctl_policy_yaml.h"
#include "fuzz_pack.h"
#include "policy_validate.h"

#define T_POLICY 1
#define T_MUD 2

#define NAME "fuzz.in"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid, and the same after a decode and encode. */
static void
check_policy(const Cordon__Policy *p)
{
	Cordon__Policy *q;
	uint8_t *b1, *b2;
	size_t l1, l2;
	char verr[256];

	if (policy_validate(p, verr, sizeof(verr)) != 0) {
		fprintf(stderr, "compiled policy invalid: %s\n", verr);
		abort();
	}
	b1 = fuzz_pack(&p->base, &l1);
	q = cordon__policy__unpack(NULL, l1, b1);
	if (q == NULL)
		abort();
	b2 = fuzz_pack(&q->base, &l2);
	if (l1 != l2 || memcmp(b1, b2, l1) != 0)
		abort();
	cordon__policy__free_unpacked(q, NULL);
	free(b1);
	free(b2);
}

static void
check_err(int rc, const char *err)
{
	if (rc != -EINVAL && rc != -ENOMEM)
		abort();
	if (err[0] == '\0' || strncmp(err, NAME, strlen(NAME)) != 0) {
		fprintf(stderr, "error without the file's name: '%s'\n", err);
		abort();
	}
}

#if FUZZ_TARGET == T_POLICY

static const struct ctl_pol_inv_device inv_devs[] = {
	{ { 0x02, 0, 0, 0, 0, 1 }, 0, "Acme", "camera", 90, NULL, "cam" },
	{ { 0x02, 0, 0, 0, 0, 2 }, 10, "Philips", "light", 30,
	  "https://lighting.example.com/bulb", "bulb" },
	{ { 0x00, 0x17, 0x88, 1, 2, 3 }, 0, "Philips", NULL, 0, NULL, NULL },
	{ { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 }, 0, "", "printer", 100, NULL,
	  "" },
};
#define N_INV (sizeof(inv_devs) / sizeof(inv_devs[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *notes[N_INV] = { NULL };
	const struct ctl_pol_inventory inv = { inv_devs, N_INV, notes };
	Cordon__Policy *p = (Cordon__Policy *)&notes;	/* must stay */
	char err[1024] = "";
	int rc;

	if (size > CTL_POL_FILE_MAX)
		return 0;
	rc = ctl_pol_compile_buf((const char *)data, size, NAME, &inv, &p,
				 err, sizeof(err));
	if (rc == 0) {
		if (p == NULL || p == (Cordon__Policy *)&notes)
			abort();
		check_policy(p);
		ctl_cmp_policy_free(p);
	} else {
		check_err(rc, err);
		if (p != (Cordon__Policy *)&notes)
			abort();
	}
	for (size_t i = 0; i < N_INV; i++) {
		if (notes[i] != NULL && notes[i][0] == '\0')
			abort();
		free(notes[i]);
	}
	return 0;
}

#elif FUZZ_TARGET == T_MUD

static struct ctl_mud_context ctx;
static uint8_t *base;		/* the example policy, packed */
static size_t base_len;

static void
init(void)
{
	char path[4096], err[1024];
	Cordon__Policy *p = NULL;

	snprintf(path, sizeof(path), "%s/examples/mud-context-luminaire.yaml",
		 CTL_SRC_ROOT);
	if (ctl_mud_context_load(path, &ctx, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	snprintf(path, sizeof(path), "%s/examples/home.yaml", CTL_SRC_ROOT);
	if (ctl_pol_compile_file(path, NULL, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	base = fuzz_pack(&p->base, &base_len);
	ctl_cmp_policy_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_mud_result res;
	Cordon__Policy *p;
	char err[1024] = "";
	uint8_t *b;
	size_t n0, l;
	int rc;

	if (base == NULL)
		init();
	if (size > CTL_MUD_FILE_MAX)
		return 0;
	p = cordon__policy__unpack(NULL, base_len, base);
	if (p == NULL)
		abort();
	n0 = p->n_rules;
	rc = ctl_mud_compile((const char *)data, size, NAME, &ctx, NULL, 1000,
			     p, &res, err, sizeof(err));
	if (rc == 0) {
		if (p->n_rules != n0 + res.n_rules ||
		    memchr(res.mud_url, '\0', sizeof(res.mud_url)) == NULL ||
		    memchr(res.note, '\0', sizeof(res.note)) == NULL)
			abort();
		check_policy(p);
		/* The example's own rules come first, untouched. */
		p->n_rules = n0;
		b = fuzz_pack(&p->base, &l);
		p->n_rules = n0 + res.n_rules;
		if (l != base_len || memcmp(b, base, l) != 0)
			abort();
		free(b);
	} else {
		check_err(rc, err);
		b = fuzz_pack(&p->base, &l);
		if (l != base_len || memcmp(b, base, l) != 0)
			abort();
		free(b);
	}
	ctl_cmp_policy_free(p);
	return 0;
}

#else
#error "FUZZ_TARGET: 1 policy, 2 mud"
#endif
