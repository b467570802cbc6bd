/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Copies of live flows for `cordonctl flows`, taken by their own workers.
 *
 * A flow table has one writer, its worker, and nobody else may walk it.
 * So each worker has a mailbox here. A requester (the agent's poll thread)
 * posts a request naming a buffer it owns; the worker notices it with one
 * relaxed load per loop iteration (flow_dump_poll()), copies matching
 * entries into the buffer a slice of the pool at a time (FLOW_DUMP_BUDGET
 * slots per iteration, so a million-flow table never stalls forwarding),
 * and marks the mailbox done. A dump is therefore not one instant's
 * snapshot: flows may come and go between slices.
 *
 * Mailbox states: IDLE -> POSTED (requester, release) -> BUSY (worker, CAS,
 * while it copies a slice) -> POSTED again or DONE (worker, release) ->
 * IDLE (requester). The worker touches the buffer only while BUSY, so a
 * requester that gives up waiting takes POSTED back to IDLE by CAS, or
 * waits out the slice in progress, and then owns its buffer again.
 */

#ifndef CORDON_FLOW_DUMP_H
#define CORDON_FLOW_DUMP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "device.h"
#include "flow_table.h"

/* Pool slots a worker visits per loop iteration while a dump runs. */
#define FLOW_DUMP_BUDGET 4096u

/* flow_entry.verdict as worker.c writes it (VERDICT_ALLOW, _DEFAULT). */
#define FLOW_DUMP_VERDICT_ALLOW 0x1u
#define FLOW_DUMP_VERDICT_DEFAULT 0x2u

/* One flow as its worker saw it; dev[] and counters by FLOW_DIR_*. */
struct flow_dump_rec {
	struct flow_key key;
	uint64_t pkts[2];
	uint64_t bytes[2];
	uint32_t dev[2];	/* device index, or DEVICE_NONE */
	uint32_t age_ms;
	uint32_t idle_ms;
	uint32_t verdict;	/* FLOW_DUMP_VERDICT_* */
	uint32_t rule_id;	/* 0: no rule */
	uint32_t epoch;		/* policy epoch of the verdict */
	uint16_t worker;
	uint8_t init_side;	/* key side of the initiator */
	uint8_t state;		/* enum flow_state */
	uint8_t tflags;		/* FLOW_TF_* */
};

enum flow_dump_state {
	FLOW_DUMP_IDLE = 0,
	FLOW_DUMP_POSTED,
	FLOW_DUMP_BUSY,
	FLOW_DUMP_DONE,
};

struct flow_dump_mbox {
	uint32_t state;			/* enum flow_dump_state, atomic */
	/* The request, written before POSTED. */
	bool has_mac;
	uint64_t mac;			/* 48 bits, device_key() order */
	struct flow_dump_rec *buf;
	uint32_t cap;
	/* The worker's, read after DONE. */
	uint32_t pos;			/* walk cursor */
	uint32_t n;			/* records in buf */
	uint64_t matched;		/* matching entries, copied or not */
} __rte_cache_aligned;

struct flow_dump {
	const struct device_table *devices;
	uint16_t n_workers;
	pthread_mutex_t lock;		/* one requester at a time */
	struct flow_dump_mbox *mbox;	/* [n_workers] */
};

/* NULL on failure. devices resolves --device filters (may be NULL: then
 * no flow matches a MAC filter). */
struct flow_dump *flow_dump_create(uint16_t n_workers,
				   const struct device_table *devices);
void flow_dump_free(struct flow_dump *fd);

/* Worker side: serve a posted request (a slice of it). */
void flow_dump_serve(struct flow_dump *fd, uint16_t w,
		     const struct flow_table *ft, uint32_t now_ms);

/* The worker loop's hook: one relaxed load when nothing is asked. */
static inline void
flow_dump_poll(struct flow_dump *fd, uint16_t w, const struct flow_table *ft,
	       uint32_t now_ms)
{
	if (likely(fd == NULL || __atomic_load_n(&fd->mbox[w].state,
			__ATOMIC_RELAXED) != FLOW_DUMP_POSTED))
		return;
	flow_dump_serve(fd, w, ft, now_ms);
}

struct flow_dump_result {
	struct flow_dump_rec *recs;	/* malloc()ed, free() it */
	size_t n;
	uint64_t matched;		/* over all workers */
};

/*
 * Requester side (any non-worker thread): ask the workers in turn for
 * the flows (of the device with MAC mac, if not NULL) that fit in what is
 * left of limit records, within timeout_ms for all of them.
 * Returns 0, -ETIMEDOUT when a worker did not answer (nothing is
 * returned then), -EINVAL or -ENOMEM.
 */
int flow_dump_collect(struct flow_dump *fd, const uint8_t *mac,
		      uint32_t limit, uint32_t timeout_ms,
		      struct flow_dump_result *res);

/* Name of a flow state for people and JSON: "established" and so on. */
const char *flow_dump_state_name(uint8_t state);

#endif /* CORDON_FLOW_DUMP_H */
