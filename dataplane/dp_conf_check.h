/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordon-dataplane --check-config: everything the dataplane would read or
 * need at start, checked without starting it (no EAL, no ports, no
 * cordond): its options, the control URL, the TLS files, the policy file,
 * the signing key, the state directory and the last-known-good policy in
 * it. For operators and the systemd unit's ExecStartPre.
 */

#ifndef CORDON_DP_CONF_CHECK_H
#define CORDON_DP_CONF_CHECK_H

#include <stdio.h>

#include "dp_conf.h"

/* Print one line per finding to out (problems and what was checked).
 * Returns 0 when the configuration is usable, else the count of problems
 * (positive). */
int dp_conf_check(const struct dp_conf *conf, FILE *out);

#endif /* CORDON_DP_CONF_CHECK_H */
