/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_FP_H
#define CORDON_DET_FP_H

/*
 * What the fingerprinting library's observations tell the engine: DNS
 * queries and answers (det_dns_*), identity facets (DHCP option 55 and
 * vendor class, JA4/JA3, the p0f OS genre of SYNs) and the addresses a
 * DHCP ACK hands out (det_own_addr). One mapping for cordon-detect and
 * the dataplane's main lcore, so the two feed the engine alike.
 */

#include "det.h"
#include "fp.h"
#include "fp_identity.h"

/*
 * Feed one observation to e, at the observation's time. id (may be NULL)
 * labels TCP SYNs with p0f's OS genre; without it there is no OS facet.
 */
void det_fp_obs(struct det_engine *e, const struct fp_identity *id,
		const struct fp_obs *o);

#endif /* CORDON_DET_FP_H */
