/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdio.h>

#include "ctl_compile.h"
#include "ctl_consent.h"

struct consent_compose {
	Cordon__Policy *pol;
	uint32_t added, skipped;
};

static int
consent_compose_one(const struct ctl_store_consent *c, void *arg)
{
	struct consent_compose *x = arg;
	struct ctl_port_range port = { c->dst_port, c->dst_port };
	Cordon__Endpoint *src, *dst;
	struct ctl_cidr cidr;
	char comment[160];

	if (ctl_cmp_parse_cidr(c->dst, 0, &cidr) < 0) {
		x->skipped++;
		return 0;
	}
	snprintf(comment, sizeof(comment), "consent %llu: prompt %llu, "
		 "allowed always by %.64s", (unsigned long long)c->id,
		 (unsigned long long)c->prompt, c->by);
	src = ctl_cmp_ep_device(c->mac);
	dst = ctl_cmp_ep_cidr(&cidr);
	if (src == NULL || dst == NULL) {
		ctl_cmp_ep_free(src);
		ctl_cmp_ep_free(dst);
		return -ENOMEM;
	}
	if (ctl_cmp_add_rule(x->pol, src, dst, c->proto, &port,
			     c->dst_port != 0 ? 1 : 0,
			     CORDON__ACTION__ACTION_ALLOW,
			     CORDON__INITIATOR__INITIATOR_SRC,
			     CTL_CONSENT_PRIORITY, comment) == NULL)
		return -ENOMEM;
	x->added++;
	return 0;
}

int
ctl_consent_compose(struct ctl_store *st, Cordon__Policy *pol,
		    uint32_t *added, uint32_t *skipped)
{
	struct consent_compose x = { .pol = pol };
	int rc;

	rc = ctl_store_consent_list(st, consent_compose_one, &x);
	*added = x.added;
	*skipped = x.skipped;
	return rc;
}
