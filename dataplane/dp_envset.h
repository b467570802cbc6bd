/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The devices whose learned envelope the detector has handed to cordond
 * (or installed from it), so that each goes once: a set of (MAC, VLAN)
 * keys, open addressing with linear probing, main lcore only.
 *
 * It is sized to twice the detector's device states, but MACs come and go
 * for ever (phones rotate theirs) and nothing tells the set that one left.
 * When it is three quarters full it forgets everything: an envelope still
 * in the engine is then handed over once more, which cordond stores again
 * as it was. (A set that filled up used to make the next look-up probe for
 * ever, on the main lcore.)
 */

#ifndef CORDON_DP_ENVSET_H
#define CORDON_DP_ENVSET_H

#include <stdbool.h>
#include <stdint.h>

struct dp_envset {
	uint64_t *key;		/* 0: a free slot */
	uint32_t mask;		/* slots - 1 */
	uint32_t n;		/* keys held */
	uint64_t forgotten;	/* times it forgot everything */
};

/* At least 2 * devices slots, a power of two; 0 or -ENOMEM. */
int dp_envset_init(struct dp_envset *s, uint32_t devices);
void dp_envset_fini(struct dp_envset *s);

/* Mark as handed over: true when it was not (hand it over now). */
bool dp_envset_mark(struct dp_envset *s, const uint8_t mac[6], uint16_t vlan);

/* Forget one (a re-learn, a MUD binding gone: the next one goes). */
void dp_envset_unmark(struct dp_envset *s, const uint8_t mac[6],
		      uint16_t vlan);

#endif /* CORDON_DP_ENVSET_H */
