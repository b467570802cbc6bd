/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Idle back-off for the workers (--idle-sleep US), after OVS's
 * pmd-maxsleep and DPDK's l3fwd-power: a worker whose loops come back
 * empty spins DP_IDLE_SPINS of them, then sleeps between polls, doubling
 * the sleep from 1 us up to US. The first packet puts it back to busy
 * polling.
 *
 * What it costs: the first packet after a lull waits up to US in its RX
 * ring, and the ring must hold what arrives meanwhile (US x the rate: at
 * 1 Mpps, 100 us is 100 descriptors). What it buys: an idle worker gives
 * its core back, to the control plane of a small CPE sharing its cores,
 * or to a laptop's battery. 0, the default, never sleeps: the lowest
 * latency, at a whole core per worker.
 *
 * The worker's own state; no EAL, so that it is unit tested directly.
 */

#ifndef CORDON_DP_IDLE_H
#define CORDON_DP_IDLE_H

#include <stdint.h>

/* Empty loops in a row before the first sleep: a lull, not a gap
 * between two bursts (an empty loop is some tens of nanoseconds). */
#define DP_IDLE_SPINS 64
/* The longest --idle-sleep: 10 ms, past which nothing is saved. */
#define DP_IDLE_MAX_US 10000

struct dp_idle {
	uint32_t max_us;	/* 0: busy-poll */
	uint32_t next_us;	/* the next sleep */
	uint32_t empty;		/* empty loops in a row */
};

static inline void
dp_idle_init(struct dp_idle *s, uint32_t max_us)
{
	s->max_us = max_us;
	s->next_us = 1;		/* unused while max_us is 0 */
	s->empty = 0;
}

/* After a loop that took n packets: how long to sleep now, in
 * microseconds; 0: poll on. */
static inline uint32_t
dp_idle_next(struct dp_idle *s, unsigned int n)
{
	uint32_t us;

	if (n != 0 || s->max_us == 0) {
		s->empty = 0;
		s->next_us = 1;
		return 0;
	}
	if (s->empty < DP_IDLE_SPINS) {
		s->empty++;
		return 0;
	}
	us = s->next_us;
	/* us <= DP_IDLE_MAX_US: the doubling cannot wrap */
	s->next_us = us * 2 < s->max_us ? us * 2 : s->max_us;
	return us;
}

#endif /* CORDON_DP_IDLE_H */
