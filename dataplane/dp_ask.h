/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Ask mode: the flows a segment in ask mode denies by default go to
 * cordond, which asks an operator; an "allow once" comes back as a grant
 * for that one flow.
 *
 *   worker --ask ring--> agent (report thread) --MSG_ASK_REPORT--> cordond
 *   worker <--grant ring-- agent (poll thread) <--PollReply.grants-- cordond
 *
 * Both rings are per worker and single-producer, single-consumer. A new
 * flow is held denied as any denied flow is (its entry caches the deny);
 * the worker only adds a 56-byte record to its ask ring, or counts it lost
 * (ask_full) when the ring is full: never a wait. The record is the flow's
 * key as the worker's table holds it; cordond hands it back untouched as
 * the grant's token, and the worker finds the entry again by it (the
 * hash recomputed: the token is not trusted for more than a lookup). A flow
 * that ended meanwhile is counted (grant_gone), and its next attempt is a
 * new flow (and a new prompt).
 */

#ifndef CORDON_DP_ASK_H
#define CORDON_DP_ASK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ring.h>

#include "dp.h"
#include "flow_table.h"

#define DP_ASK_RING 256u
#define DP_ASK_GRANT_RING 64u

/* A flow to ask about; the token of its grant. */
struct dp_ask_rec {
	struct flow_key key;	/* as the worker's table holds it */
	uint32_t dev;		/* initiator's device index */
	uint8_t init_side;
	uint8_t worker;		/* whose table */
	uint8_t pad[10];
};

_Static_assert(sizeof(struct dp_ask_rec) == 56, "an ask record is 56 B");

/* Main lcore, after the workers exist: their rings. 0 or -ENOMEM. */
int dp_ask_init(struct dp *dp);
void dp_ask_fini(struct dp *dp);

/* Worker: report new flow e, just denied by its segment's default. */
static inline void
dp_ask_flow(struct dp_worker *wk, const struct flow_entry *e)
{
	struct dp_ask_rec r = {
		.dev = e->dev[FLOW_DIR_ORIG],
		.init_side = e->init_side, .worker = (uint8_t)wk->idx,
	};

	static const uint8_t zero[16];
	const uint8_t *src;

	flow_entry_key(e, &r.key);
	src = r.key.addr[e->init_side & 1];

	/* No one to ask about: DHCP's shared flows start from 0.0.0.0 (or
	 * ::), whoever sent the packet that made them. */
	if (wk->ask == NULL || (e->key.family == 4 ?
				memcmp(src + 12, zero, 4) == 0 :
				memcmp(src, zero, 16) == 0))
		return;
	if (rte_ring_sp_enqueue_elem(wk->ask, &r, sizeof(r)) == 0)
		DP_CNT_ADD(wk->stats.asked, 1);
	else
		DP_CNT_ADD(wk->stats.ask_full, 1);
}

/* Worker: the next grant for it, if any (true). */
static inline bool
dp_ask_next_grant(struct dp_worker *wk, struct dp_ask_rec *r)
{
	return wk->grant != NULL &&
		rte_ring_sc_dequeue_elem(wk->grant, r, sizeof(*r)) == 0;
}

/* Agent: are there records in the ask rings? */
bool dp_ask_pending(const struct dp *dp);

/* Agent (one thread): up to max records from the workers' ask rings. */
unsigned int dp_ask_collect(struct dp *dp, struct dp_ask_rec *out,
			    unsigned int max);

/*
 * Agent: the name the device (mac, r's VLAN) resolved r's destination
 * from, as the DNS snooper bound it (dns_snoop.h), into out (at least
 * DNS_NAME_MAX + 1 bytes); "" if none is bound. The prompt says
 * "api.example.com:443", not an address of a CDN.
 */
void dp_ask_dst_name(const struct dp *dp, const struct dp_ask_rec *r,
		     const uint8_t mac[6], char *out, size_t len);

/*
 * Agent (one thread, the poll thread): a grant's token to the worker that
 * owns the flow. 0, -EINVAL (not a token of ours) or -ENOBUFS (its ring
 * is full: the operator may answer again).
 */
int dp_ask_grant(struct dp *dp, const uint8_t *token, size_t len);

#endif /* CORDON_DP_ASK_H */
