/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <string.h>
#include <time.h>

#include "cons_history.h"
#include "util_thread.h"
#include "util_time.h"

void
cons_history_init(struct cons_history *h, struct cons_client *cl,
		  uint32_t interval_ms)
{
	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	h->cl = cl;
	h->interval_ms = interval_ms;
}

void
cons_history_fini(struct cons_history *h)
{
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
}

/* When device d was last sampled (0: never). */
static uint64_t
hist_newest(const struct cons_hist_dev *d)
{
	if (d->n == 0)
		return 0;
	return d->s[(d->head + CONS_HIST_SAMPLES - 1) % CONS_HIST_SAMPLES].t_ms;
}

/*
 * The device's slot. create: make one when it has none; with every slot
 * taken, the one sampled longest ago is taken over if the whole window has
 * passed since (it has nothing left to chart: a device gone, or forgotten
 * by its dataplane).
 */
static struct cons_hist_dev *
hist_dev(struct cons_history *h, const uint8_t mac[6], bool create,
	 uint64_t now_ms)
{
	struct cons_hist_dev *free_slot = NULL, *oldest = NULL;

	for (size_t i = 0; i < CONS_HIST_DEVICES; i++) {
		struct cons_hist_dev *d = &h->d[i];

		if (d->used && memcmp(d->mac, mac, 6) == 0)
			return d;
		if (!d->used && free_slot == NULL)
			free_slot = d;
		if (d->used && (oldest == NULL ||
				hist_newest(d) < hist_newest(oldest)))
			oldest = d;
	}
	if (!create)
		return NULL;
	if (free_slot == NULL && oldest != NULL &&
	    now_ms - hist_newest(oldest) >
	    (uint64_t)CONS_HIST_SAMPLES * h->interval_ms) {
		free_slot = oldest;
		h->devices_replaced++;
	}
	if (free_slot == NULL)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	memcpy(free_slot->mac, mac, 6);
	return free_slot;
}

void
cons_history_add(struct cons_history *h, const Cordon__StatsReply *st,
		 uint64_t now_ms)
{
	pthread_mutex_lock(&h->lock);
	h->rounds++;
	for (size_t i = 0; i < st->n_reports; i++) {
		const Cordon__StatsReport *r = st->reports[i];

		for (size_t j = 0; j < r->n_devices; j++) {
			const Cordon__DeviceStats *ds = r->devices[j];
			struct cons_hist_dev *d;
			struct cons_hist_sample *s;
			uint32_t last;

			if (ds->mac.len != 6)
				continue;
			d = hist_dev(h, ds->mac.data, true, now_ms);
			if (d == NULL) {
				h->devices_untracked++;
				continue;
			}
			/* A device on several dataplanes or VLANs: one sample
			 * per round, summed. */
			last = (d->head + CONS_HIST_SAMPLES - 1) %
				CONS_HIST_SAMPLES;
			if (d->n > 0 && d->s[last].t_ms == now_ms) {
				s = &d->s[last];
			} else {
				s = &d->s[d->head];
				memset(s, 0, sizeof(*s));
				s->t_ms = now_ms;
				d->head = (d->head + 1) % CONS_HIST_SAMPLES;
				if (d->n < CONS_HIST_SAMPLES)
					d->n++;
			}
			s->allowed_packets += ds->allowed_packets;
			s->denied_packets += ds->denied_packets;
			s->received_packets += ds->received_packets;
			s->allowed_bytes += ds->allowed_bytes;
			s->received_bytes += ds->received_bytes;
			s->flows += ds->flows;
		}
	}
	pthread_mutex_unlock(&h->lock);
}

json_t *
cons_history_json(struct cons_history *h, const uint8_t mac[6])
{
	json_t *out = json_object(), *arr = json_array();
	struct cons_hist_dev *d;

	pthread_mutex_lock(&h->lock);
	d = hist_dev(h, mac, false, 0);
	for (uint32_t k = 0; d != NULL && k < d->n; k++) {
		const struct cons_hist_sample *s = &d->s[(d->head +
			CONS_HIST_SAMPLES - d->n + k) % CONS_HIST_SAMPLES];

		json_array_append_new(arr, json_pack("[IIIIIII]",
			(json_int_t)s->t_ms, (json_int_t)s->allowed_packets,
			(json_int_t)s->denied_packets,
			(json_int_t)s->received_packets,
			(json_int_t)s->allowed_bytes,
			(json_int_t)s->received_bytes, (json_int_t)s->flows));
	}
	json_object_set_new(out, "interval_ms",
			    json_integer((json_int_t)h->interval_ms));
	pthread_mutex_unlock(&h->lock);
	json_object_set_new(out, "samples", arr);
	return out;
}

static void *
hist_main(void *arg)
{
	struct cons_history *h = arg;

	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		Cordon__StatsRequest req = CORDON__STATS_REQUEST__INIT;
		struct wire_msg reply;
		struct wire_err err;
		struct timespec until;
		int rc;

		pthread_mutex_unlock(&h->lock);
		req.dataplane_id = (char *)"";
		rc = cons_client_call(h->cl, CORDON__MSG_TYPE__MSG_STATS_REQUEST,
				      &req.base,
				      CORDON__MSG_TYPE__MSG_STATS_REPLY, &reply,
				      &err);
		if (rc == 0) {
			cons_history_add(h, (const Cordon__StatsReply *)
					 reply.payload, util_time_now_ms());
			wire_msg_free(&reply);
		}
		pthread_mutex_lock(&h->lock);
		if (rc < 0)
			h->failures++;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += h->interval_ms / 1000;
		until.tv_nsec += (long)(h->interval_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		while (!h->stop &&
		       pthread_cond_timedwait(&h->cond, &h->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int
cons_history_start(struct cons_history *h)
{
	int rc = pthread_create(&h->thread, NULL, hist_main, h);

	if (rc != 0)
		return -rc;
	h->running = true;
	return 0;
}

void
cons_history_stop(struct cons_history *h)
{
	if (!h->running)
		return;
	util_thread_stop(h->thread, &h->lock, &h->cond, &h->stop);
	h->running = false;
}
