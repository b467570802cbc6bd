/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * pol_example("home", inv): examples/home.yaml of the source tree,
 * compiled for inv (may be NULL); the test fails with the compiler's
 * error. Include after cmocka.h and test_main.h.
 */

#ifndef CORDON_TEST_POL_EXAMPLE_H
#define CORDON_TEST_POL_EXAMPLE_H

#include <stdio.h>

#include "ctl_policy_yaml.h"

static inline Cordon__Policy *
pol_example(const char *name, const struct ctl_pol_inventory *inv)
{
	char path[4096], err[1024];
	Cordon__Policy *p = NULL;

	snprintf(path, sizeof(path), "%s/examples/%s.yaml", test_src_root,
		 name);
	if (ctl_pol_compile_file(path, inv, &p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(p);
	return p;
}

#endif /* CORDON_TEST_POL_EXAMPLE_H */
