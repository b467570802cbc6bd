/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_CLI_POLICY_H
#define CORDON_CLI_POLICY_H

/*
 * Offline checks for cordonctl, no daemon needed. argv[0] is the
 * subcommand's name ("check"), as for main(). Exit codes: 0 valid,
 * 1 invalid input, 2 usage.
 *
 *   cordonctl policy check FILE [--json]
 *   cordonctl mud check FILE [--context CTX.yaml] [--device MAC] [--json]
 */

int cli_policy_check(int argc, char **argv);
int cli_mud_check(int argc, char **argv);

#endif /* CORDON_CLI_POLICY_H */
