/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The detector's set of envelopes handed over, see dp_envset.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp_envset.h"

static uint64_t
dp_envset_key(const uint8_t mac[6], uint16_t vlan)
{
	uint64_t key = 1;	/* 0 is a free slot */

	for (int b = 0; b < 6; b++)
		key = key << 8 | mac[b];
	return key << 16 | vlan;
}

static uint32_t
dp_envset_home(const struct dp_envset *s, uint64_t key)
{
	return (uint32_t)(key * 0x9e3779b97f4a7c15ull >> 40) & s->mask;
}

/* The slot of key, or the free slot where it would go: the set is never
 * more than three quarters full, so there is one. */
static uint32_t
dp_envset_slot(const struct dp_envset *s, uint64_t key)
{
	uint32_t i;

	for (i = dp_envset_home(s, key); s->key[i] != 0 && s->key[i] != key;
	     i = (i + 1) & s->mask)
		;
	return i;
}

int
dp_envset_init(struct dp_envset *s, uint32_t devices)
{
	uint32_t slots = 4;

	memset(s, 0, sizeof(*s));
	while (slots < 2 * (uint64_t)devices && slots < (1u << 31))
		slots <<= 1;
	s->key = calloc(slots, sizeof(*s->key));
	if (s->key == NULL)
		return -ENOMEM;
	s->mask = slots - 1;
	return 0;
}

void
dp_envset_fini(struct dp_envset *s)
{
	free(s->key);
	s->key = NULL;
}

bool
dp_envset_mark(struct dp_envset *s, const uint8_t mac[6], uint16_t vlan)
{
	uint64_t key = dp_envset_key(mac, vlan);
	uint32_t i = dp_envset_slot(s, key);

	if (s->key[i] == key)
		return false;
	/* One more would pass three quarters: forget them all. */
	if (s->n + 1 > (s->mask + 1) / 4 * 3) {
		memset(s->key, 0, ((size_t)s->mask + 1) * sizeof(*s->key));
		s->n = 0;
		s->forgotten++;
		i = dp_envset_slot(s, key);
	}
	s->key[i] = key;
	s->n++;
	return true;
}

/* Linear probing's delete: what follows moves back where it must. */
void
dp_envset_unmark(struct dp_envset *s, const uint8_t mac[6], uint16_t vlan)
{
	uint32_t i = dp_envset_slot(s, dp_envset_key(mac, vlan)), j;

	if (s->key[i] == 0)
		return;
	s->key[i] = 0;
	s->n--;
	for (j = (i + 1) & s->mask; s->key[j] != 0; j = (j + 1) & s->mask) {
		uint32_t h = dp_envset_home(s, s->key[j]);

		/* j stays unless its home is cyclically outside (i, j] */
		if (i <= j ? (h > i && h <= j) : (h > i || h <= j))
			continue;
		s->key[i] = s->key[j];
		s->key[j] = 0;
		i = j;
	}
}
