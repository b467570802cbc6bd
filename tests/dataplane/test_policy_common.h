/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The classifier's tests: policies from tests/policy/policy_builder.h, and
 * queries.
 */

#ifndef CORDON_TEST_POLICY_COMMON_H
#define CORDON_TEST_POLICY_COMMON_H

#include "policy.h"
#include "policy_builder.h"

/* A query; addresses as text. */
static inline void
tq_set(struct policy_query *q, const char *smac, const char *dmac,
		uint16_t vlan, const char *src, const char *dst, uint8_t proto,
		uint16_t port)
{
	memset(q, 0, sizeof(*q));
	tp_parse_mac(smac, q->src_mac);
	tp_parse_mac(dmac, q->dst_mac);
	q->vlan = vlan;
	q->ip_proto = proto;
	q->dst_port = port;
	if (inet_pton(AF_INET, src, &q->src.v4) == 1) {
		q->family = AF_INET;
		if (inet_pton(AF_INET, dst, &q->dst.v4) != 1)
			abort();
	} else {
		q->family = AF_INET6;
		if (inet_pton(AF_INET6, src, q->src.v6) != 1 ||
				inet_pton(AF_INET6, dst, q->dst.v6) != 1)
			abort();
	}
}

/* t's policy built with o (NULL: the defaults); fails the test if not. */
static inline struct policy_ctx *
tq_build(struct tp *t, const struct policy_build_opts *o)
{
	struct policy_ctx *ctx = NULL;
	char err[256] = "";
	int ret;

	ret = policy_build(&t->pol, o, &ctx, err, sizeof(err));
	if (ret != 0)
		fail_msg("policy_build: %d %s", ret, err);
	return ctx;
}

#endif /* CORDON_TEST_POLICY_COMMON_H */
