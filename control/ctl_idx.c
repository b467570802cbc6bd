/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_idx.h"
#include "util_hash.h"

uint64_t
ctl_idx_key_mac(const uint8_t mac[6], uint32_t vlan)
{
	uint64_t k = 0;

	memcpy(&k, mac, 6);
	return k ^ (uint64_t)(vlan & 0x7fff) << 48 ^ 1ull << 63;
}

uint64_t
ctl_idx_key_str(const char *s)
{
	return util_hash_fnv64(UTIL_HASH_FNV64_INIT, s, strlen(s)) | 1;
}

static uint64_t
idx_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	return k ^ k >> 33;
}

int
ctl_idx_put(struct ctl_idx *m, uint64_t key, uint32_t val)
{
	size_t i;

	if (2 * (m->n + 1) > m->mask + 1) {
		struct ctl_idx g;
		size_t cap = m->mask ? 2 * (m->mask + 1) : 64;

		g.key = calloc(cap, sizeof(*g.key));
		g.val = calloc(cap, sizeof(*g.val));
		if (!g.key || !g.val) {
			free(g.key);
			free(g.val);
			return -ENOMEM;
		}
		g.n = 0;
		g.mask = cap - 1;
		for (i = 0; m->key && i <= m->mask; i++)
			if (m->key[i])
				(void)ctl_idx_put(&g, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = g;
	}
	for (i = idx_mix(key) & m->mask; m->key[i]; i = (i + 1) & m->mask)
		;
	m->key[i] = key;
	m->val[i] = val;
	m->n++;
	return 0;
}

int
ctl_idx_next(const struct ctl_idx *m, uint64_t key, size_t *pos, uint32_t *val)
{
	size_t i;

	if (!m->key)
		return 0;
	i = *pos == SIZE_MAX ? idx_mix(key) & m->mask : (*pos + 1) & m->mask;
	for (; m->key[i]; i = (i + 1) & m->mask)
		if (m->key[i] == key) {
			*pos = i;
			*val = m->val[i];
			return 1;
		}
	return 0;
}

void
ctl_idx_free(struct ctl_idx *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
