/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl's "policy check" and "mud check" without the rest of
 * cordonctl, for tests and for trying files by hand:
 *   policy-cli policy check FILE [--json]
 *   policy-cli mud check FILE [--context CTX] [--device MAC] [--json]
 */

#include <string.h>

#include "cli_policy.h"

int
main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "policy") &&
			!strcmp(argv[2], "check"))
		return cli_policy_check(argc - 2, argv + 2);
	if (argc > 2 && !strcmp(argv[1], "mud") && !strcmp(argv[2], "check"))
		return cli_mud_check(argc - 2, argv + 2);
	return 2;
}
