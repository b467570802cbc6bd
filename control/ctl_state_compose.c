/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * What the store adds to every version it makes, whatever its source:
 * the MUD bindings (ctl_state_mud.c), the quarantine set, the segment
 * overrides (ctl_audit.h) and the consents (ctl_consent.h).
 */

#include <errno.h>
#include <stdio.h>

#include "ctl_audit.h"
#include "ctl_compile.h"
#include "ctl_consent.h"
#include "ctl_state_impl.h"
#include "policy_validate.h"

static int
ctl_state_add_quarantined(const struct ctl_store_quarantine *q, void *arg)
{
	Cordon__Policy *pol = arg;

	/* A pushed policy may hold the MAC in its own list already. */
	if (policy_quarantined(pol, q->mac))
		return 0;
	return ctl_cmp_add_quarantined(pol, q->mac) < 0 ? -ENOMEM : 0;
}

/* What the store adds to a compiled policy (ctl_state_impl.h). */
int
ctl_state_compose(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		  Cordon__Policy *pol, bool *composed, char *err,
		  size_t errlen)
{
	struct ctl_cmp_tally seg = { .pol = pol }, consent = { .pol = pol };
	size_t n_mud = 0;
	int rc;

	rc = ctl_state_mud_compose(s, inv, pol, &n_mud);
	if (rc >= 0)
		rc = ctl_store_quarantine_list(s->st, ctl_state_add_quarantined,
					       pol);
	if (rc >= 0) {
		rc = ctl_audit_segment_compose(s->st, &seg);
		s->segment_skipped = seg.skipped;
	}
	if (rc >= 0) {
		rc = ctl_consent_compose(s->st, &consent);
		s->consent_skipped = consent.skipped;
	}
	*composed = n_mud > 0 || seg.added > 0 || consent.added > 0;
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	else if (rc < 0)
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
	return rc < 0 ? rc : 0;
}
