/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The dataplane's own quarantines, see contain.h.
 *
 * STATE/contained, one device a line, written whole (temporary file and
 * rename) whenever the set of devices held by this dataplane alone
 * changes:
 *   MAC VLAN DETECTOR CONTAINED_UNIX_US
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_log.h>

#include "contain.h"
#include "det.h"
#include "dp.h"
#include "dp_policy.h"
#include "policy_validate.h"

#define CONTAIN_FROM_FILE 0xff

struct contain {
	pthread_mutex_t lock;		/* readers copy under it */
	uint32_t n;
	uint32_t pending;		/* records in CONTAIN_PENDING */
	uint64_t contained;		/* devices contained, all time */
	char path[PATH_MAX];		/* "" without --state-dir */
	contain_release_fn on_release;
	struct contain_rec rec[CONTAIN_MAX];
};

static const char *const contain_state_names[] = {
	[CONTAIN_PENDING] = "pending",
	[CONTAIN_LOCAL] = "contained",
	[CONTAIN_HELD] = "held",
	[CONTAIN_RELEASED] = "released",
};

const char *
contain_state_name(enum contain_state s)
{
	return (unsigned int)s < RTE_DIM(contain_state_names) ?
		contain_state_names[s] : "?";
}

static struct contain_rec *
contain_find(struct contain *c, const uint8_t mac[6], uint16_t vlan)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (memcmp(c->rec[i].mac, mac, 6) == 0 &&
		    (vlan == 0xffff || c->rec[i].vlan == vlan))
			return &c->rec[i];
	return NULL;
}

/* A record for a device: its own, else a free one, else the released one
 * released the longest ago. NULL when every one is still in force. */
static struct contain_rec *
contain_slot(struct contain *c, const uint8_t mac[6], uint16_t vlan)
{
	struct contain_rec *r = contain_find(c, mac, vlan), *old = NULL;

	if (r != NULL)
		return r;
	if (c->n < CONTAIN_MAX) {
		r = &c->rec[c->n++];
		memset(r, 0, sizeof(*r));
		r->state = CONTAIN_RELEASED;
		return r;
	}
	for (uint32_t i = 0; i < c->n; i++)
		if (c->rec[i].state == CONTAIN_RELEASED &&
		    (old == NULL || c->rec[i].released_us < old->released_us))
			old = &c->rec[i];
	if (old != NULL)
		memset(old, 0, sizeof(*old));
	return old;
}

static bool
contain_own(const struct contain_rec *r)
{
	return r->state == CONTAIN_PENDING || r->state == CONTAIN_LOCAL;
}

/* Keep the devices held by this dataplane alone, for a restart. */
static void
contain_save(const struct dp *dp)
{
	const struct contain *c = dp->contain;
	char tmp[PATH_MAX + 8];
	FILE *f;

	if (c->path[0] == '\0')
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", c->path);
	f = fopen(tmp, "w");
	if (f == NULL)
		goto fail;
	fprintf(f, "# devices cordon-dataplane quarantined on its own, until "
		"a policy from cordond holds them\n");
	for (uint32_t i = 0; i < c->n; i++) {
		const struct contain_rec *r = &c->rec[i];

		if (!contain_own(r))
			continue;
		fprintf(f, "%02x:%02x:%02x:%02x:%02x:%02x %u %s %" PRIu64 "\n",
			r->mac[0], r->mac[1], r->mac[2], r->mac[3], r->mac[4],
			r->mac[5], r->vlan,
			r->detector < DET_N ?
			det_detector_name((enum det_detector)r->detector) : "-",
			dp_unix_us_at(dp, r->contained_us));
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(tmp, c->path) != 0)
		goto fail;
	return;
fail:
	RTE_LOG(ERR, USER1, "cannot keep the contained devices in %s: %s\n",
		c->path, strerror(errno));
}

/* STATE/contained: the devices stay in from the first policy on. */
static int
contain_load(struct dp *dp)
{
	struct contain *c = dp->contain;
	char line[256], det[64];
	unsigned int m[6], vlan, ln = 0;
	uint64_t when;
	FILE *f;

	f = fopen(c->path, "r");
	if (f == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		struct contain_rec *r;
		uint8_t mac[6];

		ln++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%2x:%2x:%2x:%2x:%2x:%2x %u %63s %" SCNu64,
			   &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &vlan,
			   det, &when) != 9 || vlan > 4095) {
			RTE_LOG(ERR, USER1, "%s:%u: not MAC VLAN DETECTOR "
				"TIME: ignored\n", c->path, ln);
			continue;
		}
		for (int i = 0; i < 6; i++)
			mac[i] = (uint8_t)m[i];
		r = contain_slot(c, mac, (uint16_t)vlan);
		if (r == NULL)
			break;
		memcpy(r->mac, mac, 6);
		r->vlan = (uint16_t)vlan;
		r->state = CONTAIN_PENDING;
		r->detector = (uint8_t)(det_detector_from_name(det) >= 0 ?
			det_detector_from_name(det) : CONTAIN_FROM_FILE);
		c->pending++;
		RTE_LOG(NOTICE, USER1, "%02x:%02x:%02x:%02x:%02x:%02x stays in "
			"quarantine (%s, %s)\n", mac[0], mac[1], mac[2], mac[3],
			mac[4], mac[5], det, c->path);
	}
	fclose(f);
	return 0;
}

int
contain_init(struct dp *dp, const char *state_dir)
{
	struct contain *c;
	int rc;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	if (state_dir != NULL && state_dir[0] != '\0' &&
	    snprintf(c->path, sizeof(c->path), "%s/contained", state_dir) >=
	    (int)sizeof(c->path)) {
		free(c);
		return -ENAMETOOLONG;
	}
	dp->contain = c;
	if (c->path[0] != '\0') {
		rc = contain_load(dp);
		if (rc < 0) {
			RTE_LOG(ERR, USER1, "%s: %s\n", c->path, strerror(-rc));
			contain_fini(dp);
			return rc;
		}
	}
	return 0;
}

void
contain_on_release(struct dp *dp, contain_release_fn fn)
{
	if (dp->contain != NULL)
		dp->contain->on_release = fn;
}

void
contain_fini(struct dp *dp)
{
	struct contain *c = dp->contain;

	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
	dp->contain = NULL;
}

int
contain_device(struct dp *dp, const uint8_t mac[6], uint16_t vlan,
	       uint8_t detector, uint32_t alert_seq, uint64_t first_us,
	       uint64_t detected_us)
{
	struct contain *c = dp->contain;
	const struct policy_ctx *pol = policy_holder_get(dp->hot.policy);
	struct contain_rec *r;

	if (pol == NULL)
		return -ENOENT;
	r = contain_find(c, mac, vlan);
	if (r != NULL && r->state == CONTAIN_PENDING)
		return 1;
	/* Held by the policy in force already (cordond's quarantine). */
	if (policy_l2_quarantined(pol, mac, vlan))
		return 0;
	pthread_mutex_lock(&c->lock);
	r = contain_slot(c, mac, vlan);
	if (r == NULL) {
		pthread_mutex_unlock(&c->lock);
		return -ENOSPC;
	}
	memcpy(r->mac, mac, 6);
	r->vlan = vlan;
	r->state = CONTAIN_PENDING;
	r->detector = detector;
	r->alert_seq = alert_seq;
	r->first_us = first_us;
	r->detected_us = detected_us;
	r->contained_us = 0;
	r->released_us = 0;
	c->pending++;
	pthread_mutex_unlock(&c->lock);
	return 1;
}

int
contain_commit(struct dp *dp)
{
	struct contain *c = dp->contain;

	if (c == NULL || c->pending == 0)
		return 0;
	return dp_policy_rebuild(dp);
}

const Cordon__Policy *
contain_overlay(struct dp *dp, const Cordon__Policy *pol,
		Cordon__Policy *view, ProtobufCBinaryData **extra)
{
	const struct contain *c = dp->contain;
	struct device_table *t = &dp->hot.devices;
	ProtobufCBinaryData *q;
	size_t n = 0, add = 0;

	*extra = NULL;
	if (c == NULL)
		return pol;
	/* The first drop of a containment is the one to time: forget any of
	 * an earlier one before the policy that drops is in. And when it
	 * began: flows from before are the offence's (device.h). */
	for (uint32_t i = 0; i < c->n; i++) {
		const struct contain_rec *r = &c->rec[i];
		uint32_t idx;

		if (r->state != CONTAIN_PENDING)
			continue;
		idx = device_lookup(t, r->mac, r->vlan);
		if (idx == DEVICE_NONE)
			continue;
		__atomic_store_n(&device_at(t, idx)->quar_drop_us, 0,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&device_at(t, idx)->contained_us,
				 dp_now_us(dp), __ATOMIC_RELAXED);
	}
	for (uint32_t i = 0; i < c->n; i++)
		if (contain_own(&c->rec[i]) && !policy_quarantined(pol, c->rec[i].mac))
			add++;
	if (add == 0)
		return pol;
	q = calloc(pol->n_quarantined + add, sizeof(*q));
	if (q == NULL)
		return pol;	/* the build goes on without: said below */
	for (size_t i = 0; i < pol->n_quarantined; i++)
		q[n++] = pol->quarantined[i];
	for (uint32_t i = 0; i < c->n; i++) {
		const struct contain_rec *r = &c->rec[i];

		if (!contain_own(r) || policy_quarantined(pol, r->mac))
			continue;
		/* Policy.quarantined names MACs: every VLAN of it. */
		q[n].data = (uint8_t *)r->mac;
		q[n++].len = 6;
	}
	*view = *pol;
	view->quarantined = q;
	view->n_quarantined = n;
	*extra = q;
	return view;
}

void
contain_published(struct dp *dp, const Cordon__Policy *pol)
{
	struct contain *c = dp->contain;
	const uint64_t now = dp_now_us(dp);
	bool changed = false;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	for (uint32_t i = 0; i < c->n; i++) {
		struct contain_rec *r = &c->rec[i];
		const bool in = policy_quarantined(pol, r->mac);

		switch (r->state) {
		case CONTAIN_PENDING:
			r->contained_us = now;
			r->times++;
			c->contained++;
			c->pending--;
			r->state = in ? CONTAIN_HELD : CONTAIN_LOCAL;
			changed = true;
			RTE_LOG(NOTICE, USER1, "%02x:%02x:%02x:%02x:%02x:%02x "
				"contained (%s)\n", r->mac[0], r->mac[1],
				r->mac[2], r->mac[3], r->mac[4], r->mac[5],
				r->detector < DET_N ? det_detector_name(
				(enum det_detector)r->detector) : "kept");
			break;
		case CONTAIN_LOCAL:
			if (in) {
				r->state = CONTAIN_HELD;
				changed = true;
			}
			break;
		case CONTAIN_HELD:
			if (!in) {
				r->state = CONTAIN_RELEASED;
				r->released_us = now;
				if (c->on_release != NULL)
					c->on_release(dp, r->mac, r->vlan);
				RTE_LOG(NOTICE, USER1, "%02x:%02x:%02x:%02x:"
					"%02x:%02x released\n", r->mac[0],
					r->mac[1], r->mac[2], r->mac[3],
					r->mac[4], r->mac[5]);
			}
			break;
		default:
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (changed)
		contain_save(dp);
}

static void
contain_view_of(const struct dp *dp, const struct contain_rec *r,
		struct contain_view *v)
{
	const struct device_table *t = &dp->hot.devices;
	uint32_t idx = device_lookup(t, r->mac, r->vlan);

	memset(v, 0, sizeof(*v));
	v->rec = *r;
	if (idx == DEVICE_NONE)
		return;
	v->first_drop_us = __atomic_load_n(&device_at(t, idx)->quar_drop_us,
					   __ATOMIC_RELAXED);
	for (uint16_t w = 0; w < dp->hot.n_workers; w++)
		v->quar_drops += DP_CNT_READ(dp->hot.workers[w]->devc[idx]
					     .quar_drops);
}

uint32_t
contain_list(const struct dp *dp, struct contain_view *out, uint32_t max)
{
	struct contain *c = dp->contain;
	uint32_t n = 0;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->lock);
	for (uint32_t i = c->n; i-- > 0 && n < max;)
		contain_view_of(dp, &c->rec[i], &out[n++]);
	pthread_mutex_unlock(&c->lock);
	return n;
}

int
contain_get(const struct dp *dp, const uint8_t mac[6], uint16_t vlan,
	    struct contain_view *out)
{
	struct contain *c = dp->contain;
	const struct contain_rec *r;
	int rc = -ENOENT;

	if (c == NULL)
		return rc;
	pthread_mutex_lock(&c->lock);
	r = contain_find(c, mac, vlan);
	if (r != NULL) {
		contain_view_of(dp, r, out);
		rc = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

uint64_t
contain_count(const struct dp *dp)
{
	struct contain *c = dp->contain;
	uint64_t n;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->lock);
	n = c->contained;
	pthread_mutex_unlock(&c->lock);
	return n;
}
