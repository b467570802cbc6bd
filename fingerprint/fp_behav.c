/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <math.h>
#include <string.h>

#include "fp_behav.h"
#include "util_hash.h"

void fp_distinct_reset(struct fp_distinct *d)
{
	memset(d, 0, sizeof(*d));
}

static void set_bit(struct fp_distinct *d, uint32_t h)
{
	uint32_t b = util_hash_fmix32(h) % FP_BEHAV_BITS;

	d->bits[b / 64] |= 1ull << (b % 64);
}

void fp_distinct_add(struct fp_distinct *d, uint32_t h)
{
	if (!d->approx) {
		for (uint16_t i = 0; i < d->n; i++)
			if (d->v[i] == h)
				return;
		if (d->n < FP_BEHAV_EXACT) {
			d->v[d->n++] = h;
			return;
		}
		/* Degrade: move the exact values into the bitmap. */
		d->approx = true;
		for (uint16_t i = 0; i < d->n; i++)
			set_bit(d, d->v[i]);
	}
	set_bit(d, h);
}

uint32_t fp_distinct_count(const struct fp_distinct *d)
{
	uint32_t zero = 0;
	double est;

	if (!d->approx)
		return d->n;
	for (int i = 0; i < FP_BEHAV_BITS / 64; i++)
		zero += 64 - (uint32_t)__builtin_popcountll(d->bits[i]);
	if (zero == 0)
		zero = 1;	/* saturated: the estimate is a lower bound */
	est = -(double)FP_BEHAV_BITS * log((double)zero / FP_BEHAV_BITS);
	if (est < FP_BEHAV_EXACT + 1)
		est = FP_BEHAV_EXACT + 1;
	return (uint32_t)(est + 0.5);
}

static void clear_counters(struct fp_behav *b)
{
	b->flows = b->pkts_out = b->pkts_in = 0;
	b->bytes_out = b->bytes_in = b->denied = 0;
	fp_distinct_reset(&b->dsts);
	fp_distinct_reset(&b->ports);
}

void fp_behav_init(struct fp_behav *b, uint64_t interval_us, uint64_t now_us)
{
	memset(b, 0, sizeof(*b));
	b->interval_us = interval_us ? interval_us : 60000000ull;
	b->start_us = now_us;
}

void fp_behav_current(const struct fp_behav *b, struct fp_behav_summary *o)
{
	memset(o, 0, sizeof(*o));
	o->start_us = b->start_us;
	o->interval_us = b->interval_us;
	o->flows = b->flows;
	o->pkts_out = b->pkts_out;
	o->pkts_in = b->pkts_in;
	o->bytes_out = b->bytes_out;
	o->bytes_in = b->bytes_in;
	o->denied = b->denied;
	o->distinct_dsts = fp_distinct_count(&b->dsts);
	o->distinct_ports = fp_distinct_count(&b->ports);
	o->dsts_approx = b->dsts.approx;
	o->ports_approx = b->ports.approx;
}

void fp_behav_tick(struct fp_behav *b, uint64_t now)
{
	uint64_t n;

	if (now < b->start_us + b->interval_us)
		return;
	n = (now - b->start_us) / b->interval_us;
	if (n == 1) {
		fp_behav_current(b, &b->last);
	} else {
		/* the interval just before now was empty */
		memset(&b->last, 0, sizeof(b->last));
		b->last.start_us = b->start_us + (n - 1) * b->interval_us;
		b->last.interval_us = b->interval_us;
	}
	b->have_last = true;
	b->start_us += n * b->interval_us;
	clear_counters(b);
}

static uint32_t addr_hash(const struct fp_addr *a)
{
	uint32_t h = util_hash_fnv32(UTIL_HASH_FNV32_INIT, &a->family, 1);

	return util_hash_fnv32(h, a->a, a->family == 4 ? 4 : 16);
}

void fp_behav_flow(struct fp_behav *b, uint64_t now,
		const struct fp_addr *dst, uint16_t dport)
{
	fp_behav_tick(b, now);
	b->flows++;
	if (dst)
		fp_distinct_add(&b->dsts, addr_hash(dst));
	fp_distinct_add(&b->ports, dport);
}

void fp_behav_traffic(struct fp_behav *b, uint64_t now, bool out,
		uint32_t pkts, uint64_t bytes)
{
	fp_behav_tick(b, now);
	if (out) {
		b->pkts_out += pkts;
		b->bytes_out += bytes;
	} else {
		b->pkts_in += pkts;
		b->bytes_in += bytes;
	}
}

void fp_behav_denied(struct fp_behav *b, uint64_t now)
{
	fp_behav_tick(b, now);
	b->denied++;
}

bool fp_behav_last(const struct fp_behav *b, struct fp_behav_summary *out)
{
	if (!b->have_last)
		return false;
	*out = b->last;
	return true;
}
