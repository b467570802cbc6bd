/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Each device's traffic over time, for the charts: a thread asks cordond
 * for the dataplanes' latest counters every interval and keeps the last
 * CONS_HIST_SAMPLES samples of each device (summed over dataplanes and
 * VLANs), in memory. It is a window since the console started, not a
 * store: long-term history is Prometheus's job (/metrics). Bounded:
 * CONS_HIST_DEVICES devices; a device beyond that gets no chart and is
 * counted, unless a device's window has passed since it was last sampled:
 * then its slot is taken over (counted too).
 */

#ifndef CORDON_CONS_HISTORY_H
#define CORDON_CONS_HISTORY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "cons_client.h"

#define CONS_HIST_DEVICES 512
#define CONS_HIST_SAMPLES 120

struct cons_hist_sample {
	uint64_t t_ms;
	uint64_t allowed_packets;
	uint64_t denied_packets;
	uint64_t received_packets;
	uint64_t allowed_bytes;
	uint64_t received_bytes;
	uint64_t flows;
};

struct cons_hist_dev {
	bool used;
	uint8_t mac[6];
	uint32_t head;			/* next slot */
	uint32_t n;
	struct cons_hist_sample s[CONS_HIST_SAMPLES];
};

struct cons_history {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool running;
	bool stop;
	struct cons_client *cl;
	uint32_t interval_ms;
	uint64_t rounds;
	uint64_t failures;
	uint64_t devices_untracked;
	uint64_t devices_replaced;
	struct cons_hist_dev d[CONS_HIST_DEVICES];
};

void cons_history_init(struct cons_history *h, struct cons_client *cl,
		       uint32_t interval_ms);
int cons_history_start(struct cons_history *h);
void cons_history_stop(struct cons_history *h);
void cons_history_fini(struct cons_history *h);

/* Record one StatsReply taken at now_ms. */
void cons_history_add(struct cons_history *h, const Cordon__StatsReply *st,
		      uint64_t now_ms);

/* {"interval_ms": N, "samples": [[t_ms, allowed_packets, denied_packets,
 * received_packets, allowed_bytes, received_bytes, flows], ...]} oldest
 * first, for one device (empty when it has none). */
json_t *cons_history_json(struct cons_history *h, const uint8_t mac[6]);

#endif /* CORDON_CONS_HISTORY_H */
