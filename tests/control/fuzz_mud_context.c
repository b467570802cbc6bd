/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: a MUD context file (cordond --mud-context FILE, the
 * YAML that says what local-networks, my-controller, a controller class
 * or a DNS name stand for here), as ctl_mud_context_load() reads it from
 * the scratch directory fuzz-mud-context.d/ (fuzz_argv.h). A context that
 * loads then compiles the luminaire MUD file (../shared/testdata, when
 * there) onto the example home policy, as cordond does with it.
 *
 * Checks: a failure is a negative errno with a message naming the file,
 * and leaves the context zeroed, nothing held; a success loads the same
 * again, field by field, holds what its counts say, and compiles to a
 * policy that policy_validate() passes (or fails with a message). ASan's
 * leak check covers all.
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
#include "fuzz_argv.h"
#include "fuzz_pack.h"
#include "policy_validate.h"
#include "util_file.h"

#define FAIL(...) FUZZ_FAIL("fuzz_mud_context", __VA_ARGS__)
#define IN "fuzz-mud-context.d/in.yaml"
#define MUD FUZZ_SRC_ROOT \
	"/../shared/testdata/mud/cisco-luminaire/Luminaire_150.json"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *mud;		/* the MUD file, or NULL */
static size_t mud_len;
static uint8_t *base;		/* the example policy, packed */
static size_t base_len;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const links[] = {
		"home.yaml", FUZZ_SRC_ROOT "/examples/home.yaml",
		NULL,
	};
	Cordon__Policy *p = NULL;
	char err[1024];

	(void)argc;
	(void)argv;
	fuzz_scratch_init("mud-context", links);
	if (util_file_read(MUD, CTL_MUD_FILE_MAX, &mud, &mud_len,
			   err, sizeof(err)) < 0)
		mud = NULL;
	if (ctl_pol_compile_file(FUZZ_SRC_ROOT "/examples/home.yaml", NULL, &p,
				 err, sizeof(err)) != 0)
		FAIL("%s", err);
	base = fuzz_pack(&p->base, &base_len);
	ctl_cmp_policy_free(p);
	return 0;
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
		(a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
same_addrs(const struct ctl_mud_addrs *a, const struct ctl_mud_addrs *b,
	   size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!same_str(a[i].key, b[i].key) ||
		    a[i].n_addrs != b[i].n_addrs ||
		    (a[i].n_addrs != 0 && memcmp(a[i].addrs, b[i].addrs,
			a[i].n_addrs * sizeof(*a[i].addrs)) != 0))
			return false;
	return true;
}

static bool
same_ctx(const struct ctl_mud_context *a, const struct ctl_mud_context *b)
{
	if (memcmp(a->device_mac, b->device_mac, 6) != 0 ||
	    a->has_mac != b->has_mac || !same_str(a->mud_url, b->mud_url) ||
	    !same_str(a->authority, b->authority) ||
	    !same_str(a->ca_file, b->ca_file) ||
	    a->allow_dns != b->allow_dns ||
	    a->no_default_deny != b->no_default_deny ||
	    a->accept_unsigned != b->accept_unsigned ||
	    a->n_local_nets != b->n_local_nets ||
	    a->n_my_controllers != b->n_my_controllers ||
	    a->n_controllers != b->n_controllers || a->n_dns != b->n_dns ||
	    a->n_peers != b->n_peers)
		return false;
	if ((a->n_local_nets && memcmp(a->local_nets, b->local_nets,
			a->n_local_nets * sizeof(*a->local_nets))) ||
	    (a->n_my_controllers && memcmp(a->my_controllers,
			b->my_controllers,
			a->n_my_controllers * sizeof(*a->my_controllers))))
		return false;
	if (!same_addrs(a->controllers, b->controllers, a->n_controllers) ||
	    !same_addrs(a->dns, b->dns, a->n_dns))
		return false;
	for (size_t i = 0; i < a->n_peers; i++)
		if (memcmp(a->peers[i].mac, b->peers[i].mac, 6) != 0 ||
		    !same_str(a->peers[i].mud_url, b->peers[i].mud_url))
			return false;
	return true;
}

/* What the counts say is there, and every CIDR a CIDR. */
static void
check_ctx(const struct ctl_mud_context *c)
{
	const struct { const struct ctl_cidr *v; size_t n; } nets[] = {
		{ c->local_nets, c->n_local_nets },
		{ c->my_controllers, c->n_my_controllers },
	};

	for (size_t k = 0; k < 2; k++) {
		if ((nets[k].n != 0) != (nets[k].v != NULL))
			FAIL("an address list and its count disagree");
		for (size_t i = 0; i < nets[k].n; i++)
			if (!((nets[k].v[i].family == 4 &&
			       nets[k].v[i].plen <= 32) ||
			      (nets[k].v[i].family == 6 &&
			       nets[k].v[i].plen <= 128)))
				FAIL("a CIDR of family %u, length %u",
				     nets[k].v[i].family, nets[k].v[i].plen);
	}
	for (size_t i = 0; i < c->n_controllers; i++)
		if (c->controllers[i].key == NULL ||
		    c->controllers[i].n_addrs == 0)
			FAIL("a controller without its URI or addresses");
	for (size_t i = 0; i < c->n_dns; i++)
		if (c->dns[i].key == NULL || c->dns[i].n_addrs == 0)
			FAIL("a DNS name without its name or addresses");
	for (size_t i = 0; i < c->n_peers; i++)
		if (c->peers[i].mud_url == NULL)
			FAIL("a peer without its MUD URL");
	if ((c->n_peers != 0) != (c->peers != NULL))
		FAIL("the peers and their count disagree");
}

/* The luminaire onto the example policy, with this context. */
static void
compile(const struct ctl_mud_context *ctx)
{
	struct ctl_mud_result res;
	Cordon__Policy *p;
	char err[1024] = "", verr[256];
	int rc;

	if (mud == NULL)
		return;
	p = cordon__policy__unpack(NULL, base_len, base);
	if (p == NULL)
		abort();
	rc = ctl_mud_compile(mud, mud_len, "Luminaire_150.json", ctx, NULL,
			     1000, p, &res, err, sizeof(err));
	if (rc == 0 && policy_validate(p, verr, sizeof(verr)) != 0)
		FAIL("compiled with this context, invalid: %s", verr);
	if (rc != 0 && (rc > 0 || err[0] == '\0'))
		FAIL("the MUD file refused (%d) without a message", rc);
	ctl_cmp_policy_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ctl_mud_context zero;
	struct ctl_mud_context c1, c2;
	char err[1024], err2[1024];
	FILE *f;
	int rc, rc2;

	if (size > 65536)
		return -1;
	f = fopen(IN, "w");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		FAIL("cannot write %s", IN);
	memset(&c1, 0xa5, sizeof(c1));
	memset(err, 0xa5, sizeof(err));
	rc = ctl_mud_context_load(IN, &c1, err, sizeof(err));
	if (rc > 0 || rc < -4095)
		FAIL("returned %d", rc);
	if (rc < 0) {
		if (memcmp(&c1, &zero, sizeof(c1)) != 0)
			FAIL("failed (%d), the context not cleared", rc);
		if (memchr(err, '\0', sizeof(err)) == NULL ||
		    strstr(err, IN) == NULL)
			FAIL("failed (%d) without a message naming the file",
			     rc);
		return 0;
	}
	check_ctx(&c1);
	rc2 = ctl_mud_context_load(IN, &c2, err2, sizeof(err2));
	if (rc2 != 0 || !same_ctx(&c1, &c2))
		FAIL("the same file again: %d, another context", rc2);
	compile(&c1);
	ctl_mud_context_free(&c1);
	ctl_mud_context_free(&c2);
	if (memcmp(&c1, &zero, sizeof(c1)) != 0)
		FAIL("ctl_mud_context_free() left something");
	return 0;
}
