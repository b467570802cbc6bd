/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * An alert as cordond gets it: detector.c's struct detector_alert packed
 * into a Cordon__Alert (wire minor 3), times on the wall clock. The agent
 * sends it at once (agent_alert()), not with the next report.
 */

#ifndef CORDON_DP_ALERT_H
#define CORDON_DP_ALERT_H

#include <stddef.h>
#include <stdint.h>

struct dp;
struct detector_alert;

/*
 * Pack x (raised by this dataplane; contained_us: uptime us of the policy
 * that contained the device, 0 for none) into *buf (malloc()ed, *len
 * bytes). Main lcore. Returns 0 or -ENOMEM.
 */
int dp_alert_pack(const struct dp *dp, const struct detector_alert *x,
		  uint64_t contained_us, uint8_t **buf, size_t *len);

#endif /* CORDON_DP_ALERT_H */
