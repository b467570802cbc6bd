/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Ask mode's rings (see dp_ask.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>

#include "dns_snoop.h"
#include "dp_ask.h"

int
dp_ask_init(struct dp *dp)
{
	char name[RTE_RING_NAMESIZE];

	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];
		int socket = (int)rte_lcore_to_socket_id(wk->lcore_id);

		snprintf(name, sizeof(name), "ask%u", w);
		wk->ask = rte_ring_create_elem(name, sizeof(struct dp_ask_rec),
					       DP_ASK_RING, socket,
					       RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "grant%u", w);
		wk->grant = rte_ring_create_elem(name,
						 sizeof(struct dp_ask_rec),
						 DP_ASK_GRANT_RING, socket,
						 RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (wk->ask == NULL || wk->grant == NULL) {
			dp_ask_fini(dp);
			return -ENOMEM;
		}
	}
	return 0;
}

void
dp_ask_fini(struct dp *dp)
{
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		if (wk == NULL)
			continue;
		rte_ring_free(wk->ask);
		rte_ring_free(wk->grant);
		wk->ask = NULL;
		wk->grant = NULL;
	}
}

bool
dp_ask_pending(const struct dp *dp)
{
	for (uint16_t w = 0; w < dp->hot.n_workers; w++)
		if (dp->hot.workers[w]->ask != NULL &&
		    rte_ring_count(dp->hot.workers[w]->ask) > 0)
			return true;
	return false;
}

unsigned int
dp_ask_collect(struct dp *dp, struct dp_ask_rec *out, unsigned int max)
{
	unsigned int n = 0;

	for (uint16_t w = 0; w < dp->hot.n_workers && n < max; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		if (wk->ask != NULL)
			n += rte_ring_sc_dequeue_burst_elem(wk->ask, out + n,
				sizeof(*out), max - n, NULL);
	}
	return n;
}

int
dp_ask_grant(struct dp *dp, const uint8_t *token, size_t len)
{
	struct dp_ask_rec r;
	struct dp_worker *wk;

	if (len != sizeof(r))
		return -EINVAL;
	memcpy(&r, token, sizeof(r));
	if (r.worker >= dp->hot.n_workers || r.init_side > 1 ||
	    (r.key.family != 4 && r.key.family != 6))
		return -EINVAL;
	wk = dp->hot.workers[r.worker];
	if (wk->grant == NULL ||
	    rte_ring_sp_enqueue_elem(wk->grant, &r, sizeof(r)) != 0)
		return -ENOBUFS;
	return 0;
}

struct dp_ask_name {
	char *out;
	size_t len;
};

/* The first live name is the one kept: the question's, bound first. */
static void
dp_ask_name_cb(void *arg, const char *name, uint32_t len)
{
	struct dp_ask_name *n = arg;

	if (n->out[0] == '\0' && len < n->len) {
		memcpy(n->out, name, len);
		n->out[len] = '\0';
	}
}

void
dp_ask_dst_name(const struct dp *dp, const struct dp_ask_rec *r,
		const uint8_t mac[6], char *out, size_t len)
{
	struct dp_ask_name n = { out, len };
	const uint8_t o = (r->init_side & 1) ^ 1;

	if (len == 0)
		return;
	out[0] = '\0';
	if (dp->hot.dns == NULL || (r->key.family != 4 && r->key.family != 6))
		return;
	dns_table_lookup(dp->hot.dns, mac, r->key.vlan, r->key.family,
			 r->key.addr[o] + (r->key.family == 4 ? 12 : 0),
			 dns_table_now(dp->hot.dns), dp_ask_name_cb, &n);
}
