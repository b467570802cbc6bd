/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Applying policies: --policy at start-up, and what cordond sends while the
 * dataplane runs. Control threads hand a decoded Policy to the main lcore
 * through a one-slot mailbox (a newer policy replaces one not yet built);
 * the main lcore compiles it off the fast path and publishes it under RCU.
 * The workers never wait.
 */

#ifndef CORDON_DP_POLICY_H
#define CORDON_DP_POLICY_H

#include "dp.h"

/*
 * Main lcore: validate, build and publish. Takes ownership of pol, and of
 * signed_pol (its verified signed form, or NULL), which becomes the
 * last-known-good once the policy is in force. Returns 0, or a negative
 * errno with the reason in err; the old policy stays.
 */
int dp_policy_apply(struct dp *dp, Cordon__Policy *pol, uint8_t *signed_pol,
		    size_t signed_len, char *err, size_t errlen);

/*
 * Main lcore: build the policy in force again, with the devices contain.h
 * holds. 0, -ENOENT without a policy, or the build's negative errno (the
 * one in force stays).
 */
int dp_policy_rebuild(struct dp *dp);

/* Any thread: queue pol (and its signed form) for the main lcore. */
void dp_policy_submit(struct dp *dp, Cordon__Policy *pol, uint8_t *signed_pol,
		      size_t signed_len);

/* A policy refused before it reached the main lcore (bad signature...). */
void dp_policy_refused(struct dp *dp, uint64_t version, const char *why);

/* At start-up, without --policy: the last-known-good, if there is one. */
int dp_policy_load_lkg(struct dp *dp);

/* Main lcore: apply what was submitted, if anything. */
void dp_policy_poll(struct dp *dp);

#endif /* CORDON_DP_POLICY_H */
