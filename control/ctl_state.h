/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's durable state: the store (policy versions, events, quarantine,
 * reports) in a state directory, the policy signing key if there is one,
 * and making new policy versions.
 *
 * A version is always compiled from an operator source (YAML) together with
 * what cordond knows at that moment: the devices (for assignments by
 * vendor, type or MUD URL) and the quarantine set. Quarantine, release and
 * rollback therefore recompile a source into a new version; history is
 * append-only. Not thread-safe: cordond holds its lock.
 */

#ifndef CORDON_CTL_STATE_H
#define CORDON_CTL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_policy_yaml.h"
#include "ctl_sign.h"
#include "ctl_store.h"

#define CTL_STATE_DB "cordond.db"

struct ctl_state {
	struct ctl_store *st;
	struct ctl_sign_key key;
	bool have_key;
};

/* Open (or create) DIR/cordond.db; load DIR/policy-signing.key if present.
 * Returns 0 or a negative errno with err set. */
int ctl_state_open(struct ctl_state *s, const char *dir, char *err,
		   size_t errlen);
void ctl_state_close(struct ctl_state *s);

/*
 * Make the next policy version from source (the latest version's source
 * when NULL), the inventory and the quarantine set; store it (signed when
 * there is a key). On success *out is the compiled policy and *signed_out
 * its signed form (NULL without a key), both owned by the caller. -EINVAL
 * with "file:line:column: ..." in err for a bad source, -ENOENT when there
 * is no source at all.
 */
int ctl_state_apply(struct ctl_state *s, const char *source, const char *name,
		    const char *by, uint64_t rollback_of,
		    const struct ctl_pol_inventory *inv, uint64_t now_ms,
		    Cordon__Policy **out, uint8_t **signed_out,
		    size_t *signed_len, char *err, size_t errlen);

/*
 * Store pol (compiled elsewhere, already validated) as the next version:
 * its version is raised above the latest if need be; signed when there is
 * a key. *signed_out as for ctl_state_apply(). Returns 0 or -errno.
 */
int ctl_state_add_compiled(struct ctl_state *s, Cordon__Policy *pol,
			   const char *source, const char *by,
			   uint64_t rollback_of, uint64_t now_ms,
			   uint8_t **signed_out, size_t *signed_len, char *err,
			   size_t errlen);

/* The latest stored policy, decoded (NULL when none), and its signed
 * form (NULL when it was not signed; malloc()ed). */
int ctl_state_latest(struct ctl_state *s, Cordon__Policy **out,
		     uint8_t **signed_out, size_t *signed_len);

#endif /* CORDON_CTL_STATE_H */
