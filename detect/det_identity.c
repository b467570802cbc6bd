/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Identity change: the same MAC presenting another device's fingerprint
 * once its envelope is learned (a spoofed MAC, or a reflashed device).
 *  - DHCP: the option 55 list with the vendor class is a property of the
 *    DHCP client; a device does not change it short of new firmware;
 *  - OS: the p0f genre of its SYNs (Linux, Windows, ...);
 *  - JA4: devices use several TLS stacks, so one new JA4 proves little;
 *    three ClientHellos in a row none of which it used while learning do.
 * A change is reported once, then becomes part of the envelope.
 */

#include <stdio.h>

#include "det_internal.h"

void
det_identity_facet(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		enum det_facet f, const char *value)
{
	static const enum det_env_set set_of[DET_FACET_MAX] = {
		[DET_FACET_DHCP] = DET_ENV_DHCP, [DET_FACET_OS] = DET_ENV_OS,
		[DET_FACET_JA4] = DET_ENV_JA4, [DET_FACET_JA3] = DET_ENV_NSETS,
	};
	static const char *const fname[DET_FACET_MAX] = { "dhcp", "os",
		"ja4", "ja3" };
	enum det_env_set s = set_of[f];
	uint32_t k = det_env_str_key(value);
	struct det_evidence evd;

	if (s == DET_ENV_NSETS)
		return;
	if (det_learning(e, dv, ts)) {
		det_envelope_add(&dv->env, s, k);
		return;
	}
	if (dv->env.state != DET_ENV_COMPLETE || dv->env.set[s].n == 0) {
		/* nothing learned to compare with: learn it now */
		det_envelope_add(&dv->env, s, k);
		return;
	}
	if (det_envelope_has(&dv->env, s, k)) {
		if (f == DET_FACET_JA4)
			dv->ja4_miss = 0;
		return;
	}
	if (f == DET_FACET_JA4 && ++dv->ja4_miss < 3)
		return;
	det_envelope_add(&dv->env, s, k);
	dv->ja4_miss = 0;
	det_ev_init(&evd, "a fingerprint the device did not have while "
			"learning", fname[f], 1, 1, 0);
	det_ev_detail(&evd, "facet=%s new=\"%.160s\" known=%u", fname[f],
			value, dv->env.set[s].n - 1);
	det_raise(e, dv, DET_IDENTITY_CHANGE, ts, ts, &evd);
}
