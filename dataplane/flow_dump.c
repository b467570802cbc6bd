/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_pause.h>

#include "flow_dump.h"

#define MAC48_MASK 0xffffffffffffull

struct flow_dump *
flow_dump_create(uint16_t n_workers, const struct device_table *devices)
{
	struct flow_dump *fd;

	fd = calloc(1, sizeof(*fd));
	if (fd == NULL)
		return NULL;
	fd->mbox = aligned_alloc(RTE_CACHE_LINE_SIZE,
		RTE_ALIGN_CEIL((size_t)(n_workers ? n_workers : 1) *
			       sizeof(*fd->mbox), RTE_CACHE_LINE_SIZE));
	if (fd->mbox == NULL) {
		free(fd);
		return NULL;
	}
	memset(fd->mbox, 0, (size_t)(n_workers ? n_workers : 1) *
	       sizeof(*fd->mbox));
	fd->n_workers = n_workers;
	fd->devices = devices;
	pthread_mutex_init(&fd->lock, NULL);
	return fd;
}

void
flow_dump_free(struct flow_dump *fd)
{
	if (fd == NULL)
		return;
	pthread_mutex_destroy(&fd->lock);
	free(fd->mbox);
	free(fd);
}

struct flow_dump_walk {
	struct flow_dump_mbox *mb;
	const struct device_table *devices;
	uint32_t now_ms;
	uint16_t worker;
};

static bool
flow_dump_dev_is(const struct device_table *t, uint32_t idx, uint64_t mac)
{
	if (t == NULL || idx == DEVICE_NONE || idx >= t->max)
		return false;
	return (__atomic_load_n(&t->e[idx].key, __ATOMIC_ACQUIRE) &
		MAC48_MASK) == mac;
}

/*
 * Every field of struct flow_entry this module reads is read here (the
 * entry's layout is the flow table's business): key, init_side, state,
 * tflags, verdict, epoch, user32 (worker.c keeps the rule id there),
 * pkts, bytes, dev, created, last_seen.
 */
static void
flow_dump_copy(const struct flow_entry *e, void *arg)
{
	struct flow_dump_walk *w = arg;
	struct flow_dump_mbox *mb = w->mb;
	struct flow_dump_rec *r;

	if (mb->has_mac && !flow_dump_dev_is(w->devices, e->dev[0], mb->mac) &&
	    !flow_dump_dev_is(w->devices, e->dev[1], mb->mac))
		return;
	mb->matched++;
	if (mb->n >= mb->cap)
		return;
	r = &mb->buf[mb->n++];
	flow_entry_key(e, &r->key);
	r->init_side = e->init_side;
	r->state = e->state;
	r->tflags = e->tflags;
	r->verdict = e->verdict;
	r->epoch = e->epoch;
	r->rule_id = flow_cold(e)->user32;
	for (unsigned int d = 0; d < 2; d++) {
		r->pkts[d] = flow_pkts(e, d);
		r->bytes[d] = flow_bytes(e, d);
		r->dev[d] = e->dev[d];
	}
	r->age_ms = w->now_ms - flow_cold(e)->created;
	r->idle_ms = w->now_ms - e->last_seen;
	/* A flow hit in this very burst may carry a later stamp. */
	if ((int32_t)r->idle_ms < 0)
		r->idle_ms = 0;
	if ((int32_t)r->age_ms < 0)
		r->age_ms = 0;
	r->worker = w->worker;
}

void
flow_dump_serve(struct flow_dump *fd, uint16_t w, const struct flow_table *ft,
		uint32_t now_ms)
{
	struct flow_dump_mbox *mb = &fd->mbox[w];
	uint32_t expect = FLOW_DUMP_POSTED;
	struct flow_dump_walk walk = {
		.mb = mb, .devices = fd->devices, .now_ms = now_ms, .worker = w,
	};
	int done;

	/* Acquire: the request fields are the requester's until here. */
	if (!__atomic_compare_exchange_n(&mb->state, &expect, FLOW_DUMP_BUSY,
					 false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return;
	done = flow_table_walk(ft, &mb->pos, FLOW_DUMP_BUDGET,
			       flow_dump_copy, &walk);
	__atomic_store_n(&mb->state, done ? FLOW_DUMP_DONE : FLOW_DUMP_POSTED,
			 __ATOMIC_RELEASE);
}

static uint64_t
flow_dump_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Take a mailbox back to IDLE; the worker is out of the buffer then. */
static void
flow_dump_reclaim(struct flow_dump_mbox *mb)
{
	for (;;) {
		uint32_t s = __atomic_load_n(&mb->state, __ATOMIC_ACQUIRE);

		if (s == FLOW_DUMP_BUSY) {
			rte_pause();	/* a slice takes microseconds */
			continue;
		}
		if (s == FLOW_DUMP_POSTED &&
		    !__atomic_compare_exchange_n(&mb->state, &s,
						 FLOW_DUMP_IDLE, false,
						 __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&mb->state, FLOW_DUMP_IDLE, __ATOMIC_RELAXED);
		return;
	}
}

/*
 * Workers are asked one after the other, each for what room is left: one
 * buffer of limit records whatever the number of workers. A worker with no
 * room left still walks its table, to count what matches.
 */
int
flow_dump_collect(struct flow_dump *fd, const uint8_t *mac, uint32_t limit,
		  uint32_t timeout_ms, struct flow_dump_result *res)
{
	struct flow_dump_rec *buf;
	uint64_t deadline, mac48 = 0;
	uint32_t k = 0;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (fd == NULL || limit == 0)
		return -EINVAL;
	if (mac != NULL)
		mac48 = device_key(mac, 0) & MAC48_MASK;
	buf = calloc(limit, sizeof(*buf));
	if (buf == NULL)
		return -ENOMEM;

	pthread_mutex_lock(&fd->lock);
	deadline = flow_dump_now_ms() + timeout_ms;
	for (uint16_t w = 0; w < fd->n_workers && rc == 0; w++) {
		struct flow_dump_mbox *mb = &fd->mbox[w];

		mb->has_mac = mac != NULL;
		mb->mac = mac48;
		mb->buf = buf + k;
		mb->cap = limit - k;
		mb->pos = 0;
		mb->n = 0;
		mb->matched = 0;
		__atomic_store_n(&mb->state, FLOW_DUMP_POSTED,
				 __ATOMIC_RELEASE);
		while (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) !=
		       FLOW_DUMP_DONE) {
			struct timespec ts = { 0, 100 * 1000 };

			if (flow_dump_now_ms() >= deadline) {
				rc = -ETIMEDOUT;
				break;
			}
			nanosleep(&ts, NULL);
		}
		flow_dump_reclaim(mb);
		k += mb->n;
		res->matched += mb->matched;
	}
	pthread_mutex_unlock(&fd->lock);
	if (rc < 0) {
		free(buf);
		memset(res, 0, sizeof(*res));
		return rc;
	}
	res->recs = buf;
	res->n = k;
	return 0;
}

const char *
flow_dump_state_name(uint8_t state)
{
	static const char *const names[FLOW_S_MAX] = {
		[FLOW_S_TCP_SYN_SENT] = "syn_sent",
		[FLOW_S_TCP_SYN_RCVD] = "syn_received",
		[FLOW_S_TCP_EST] = "established",
		[FLOW_S_TCP_FIN] = "fin",
		[FLOW_S_TCP_CLOSED] = "closed",
		[FLOW_S_UDP_UNREPLIED] = "unreplied",
		[FLOW_S_UDP] = "replied",
		[FLOW_S_ICMP] = "icmp",
		[FLOW_S_OTHER] = "other",
	};

	return state < FLOW_S_MAX ? names[state] : "unknown";
}
