/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Requests from front ends (cordon-console) that cordond serves without
 * nng: the audit trail (MSG_AUDIT) and a device's segment override
 * (MSG_DEVICE_SEGMENT). cordond.c only routes; the checks and the store
 * work are here, so they are unit-tested without a daemon.
 *
 * An audit record is an event of kind "audit" whose detail is
 *   {"by": actor, "action": action, ...the request's detail object}
 * (by and action win over keys of the same name in the detail).
 */

#ifndef CORDON_CTL_AUDIT_H
#define CORDON_CTL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_compile.h"
#include "ctl_store.h"

#define CTL_STORE_EV_AUDIT "audit"
#define CTL_AUDIT_ACTOR_MAX 64
#define CTL_AUDIT_ACTION_MAX 32
#define CTL_AUDIT_DETAIL_MAX 4096

/* Operator text: min..max bytes, none of them a control character. */
bool ctl_audit_text_ok(const char *s, size_t min, size_t max);

/*
 * Check a (actor, action, mac, detail) and append it as an event. Returns 0
 * with *id the event's id, -EINVAL with err saying what is wrong, or the
 * store's error.
 */
int ctl_audit_append(struct ctl_store *st, const Cordon__Audit *a,
		     uint64_t now_ms, uint64_t *id, char *err, size_t errlen);

/*
 * Check a DeviceSegment request against the policy in force (pol, NULL:
 * none): a unicast MAC, a VLAN in 0..4095, a segment the policy has that
 * is not its quarantine segment (quarantine has its own request). Returns
 * 0 or -EINVAL with err set.
 */
int ctl_audit_segment_check(const Cordon__DeviceSegment *r,
			    const Cordon__Policy *pol, char *err,
			    size_t errlen);

/*
 * Put the overrides of the store into t->pol: each device is assigned to
 * its override's segment (replacing its assignment for that MAC and VLAN),
 * if the policy still has a segment of that name (counted in t->added);
 * the others are counted in t->skipped. Returns 0 or -ENOMEM, or the
 * store's error.
 */
int ctl_audit_segment_compose(struct ctl_store *st, struct ctl_cmp_tally *t);

#endif /* CORDON_CTL_AUDIT_H */
