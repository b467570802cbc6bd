/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The engine on the main lcore, see detector.h.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "contain.h"
#include "det_dnsmatch.h"
#include "det_envelope.h"
#include "det_fp.h"
#include "det_json.h"
#include "detector.h"
#include "dp_alert.h"
#include "dp_envset.h"
#include "dp.h"
#include "dp_report.h"
#include "worker.h"

/* Events a worker's ring holds: 6 MiB at 96 bytes each. */
#define DETECTOR_RING 65536
/* Queries each worker's forged-DNS matcher keeps pending, and for how
 * long a query waits for its answer. */
#define DETECTOR_DNS_SLOTS 4096
#define DETECTOR_DNS_TIMEOUT_MS 5000
/* Events taken from one ring at a time. */
#define DETECTOR_BURST 256
#define DETECTOR_TICK_US 100000
/* Re-learns waiting for the next tick; the VLANs of one MAC. */
#define DETECTOR_RELEARN_MAX 16
#define DETECTOR_RELEARN_VLANS 16

struct detector {
	struct dp *dp;
	struct det_engine *eng;
	uint64_t last_us;		/* the latest event time fed */
	uint64_t next_tick_us;
	/* Alerts of the current poll, acted on once the rings are drained
	 * (one containment for a burst of them). */
	uint32_t n_new;
	struct detector_alert fresh[DETECTOR_RECENT];
	detector_sink_fn sink;		/* cordond, through the agent */
	void *sink_arg;
	/* Envelopes: learned ones handed to the sink (keys of the devices,
	 * open addressing), stored ones offered by the agent. */
	uint64_t next_env_us;
	struct dp_envset env_sent;
	pthread_mutex_t env_lock;
	Cordon__Envelopes *env_in;	/* under env_lock */
	uint8_t relearn[DETECTOR_RELEARN_MAX][6];	/* under env_lock */
	uint32_t n_relearn;

	pthread_mutex_t lock;		/* what readers copy: */
	struct detector_stats st;
	uint32_t n_recent;		/* ring of the last alerts */
	uint32_t recent_head;
	struct detector_alert recent[DETECTOR_RECENT];
};

static const char *const detector_action_names[] = {
	[DETECTOR_ALERT] = "alert",
	[DETECTOR_QUARANTINE] = "quarantine",
	[DETECTOR_ASK] = "ask",
};

const char *
detector_action_name(enum detector_action a)
{
	return (unsigned int)a < RTE_DIM(detector_action_names) ?
		detector_action_names[a] : "?";
}

/* The engine's callback: keep the alert for the end of the poll. */
static void
detector_on_alert(const struct det_alert *a, void *arg)
{
	struct detector *d = arg;
	struct detector_alert *x;

	if (d->n_new == RTE_DIM(d->fresh)) {
		/* Not kept: contained already or not, it is counted */
		__atomic_fetch_add(&d->st.alerts_lost, 1, __ATOMIC_RELAXED);
		return;
	}
	x = &d->fresh[d->n_new++];
	memset(x, 0, sizeof(*x));
	x->a = *a;
}

int
detector_init(struct dp *dp)
{
	struct det_config cfg;
	struct detector *d;
	char name[RTE_RING_NAMESIZE];

	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	d->dp = dp;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->env_lock, NULL);
	dp->det = d;
	det_config_default(&cfg);
	cfg.max_devices = dp->conf.detect_devices;
	cfg.learn_ms = dp->conf.detect_learn_ms;
	d->eng = det_engine_create(&cfg, detector_on_alert, d);
	if (d->eng != NULL && dp->ioc != NULL)
		det_engine_set_ioc(d->eng, dp->ioc);
	if (d->eng == NULL || dp_envset_init(&d->env_sent,
					     cfg.max_devices) < 0)
		goto fail;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];
		int socket = (int)rte_lcore_to_socket_id(wk->lcore_id);
		struct dp_worker_det *wd;

		wd = rte_zmalloc_socket("worker_det", sizeof(*wd),
					RTE_CACHE_LINE_SIZE, socket);
		if (wd == NULL)
			goto fail;
		wd->dns = det_dnsmatch_create(DETECTOR_DNS_SLOTS,
					      DETECTOR_DNS_TIMEOUT_MS);
		snprintf(name, sizeof(name), "det%u", w);
		wd->ring = rte_ring_create_elem(name, sizeof(struct det_ev),
						DETECTOR_RING, socket,
						RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (wd->dns == NULL || wd->ring == NULL) {
			det_dnsmatch_free(wd->dns);
			rte_ring_free(wd->ring);
			rte_free(wd);
			goto fail;
		}
		worker_det_attach(wk, wd);
	}
	contain_on_release(dp, detector_released);
	d->next_tick_us = dp_now_us(dp) + DETECTOR_TICK_US;
	RTE_LOG(INFO, USER1, "detection on: %u device states, envelopes "
		"learned for %" PRIu64 " s\n", cfg.max_devices,
		cfg.learn_ms / 1000);
	return 0;
fail:
	detector_fini(dp);
	return -ENOMEM;
}

void
detector_fini(struct dp *dp)
{
	struct detector *d = dp->det;

	contain_on_release(dp, NULL);
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		if (wk == NULL || wk->det == NULL)
			continue;
		det_dnsmatch_free(wk->det->dns);
		rte_ring_free(wk->det->ring);
		rte_free(wk->det);
		wk->det = NULL;
	}
	if (d == NULL)
		return;
	det_engine_destroy(d->eng);
	dp_envset_fini(&d->env_sent);
	if (d->env_in != NULL)
		cordon__envelopes__free_unpacked(d->env_in, NULL);
	pthread_mutex_destroy(&d->env_lock);
	pthread_mutex_destroy(&d->lock);
	free(d);
	dp->det = NULL;
}

/* The mode a DetectAction list gives the detector: its own entry, else
 * "*", else DETECT_DEFAULT. */
static Cordon__DetectMode
detector_mode_in(Cordon__DetectAction *const *l, size_t n, const char *name)
{
	Cordon__DetectMode any = CORDON__DETECT_MODE__DETECT_DEFAULT;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(l[i]->detector, name) == 0)
			return l[i]->mode;
		if (strcmp(l[i]->detector, "*") == 0)
			any = l[i]->mode;
	}
	return any;
}

/*
 * What the policy in force says to do (proto's DetectAction): the
 * device's segment's entry, then the policy's, then the detector's own
 * severity. Main lcore (the policy as received is its own).
 */
static enum detector_action
detector_action_of(const struct dp *dp, const struct det_alert *a,
		   uint32_t *segment)
{
	const struct policy_ctx *pol = policy_holder_get(dp->hot.policy);
	const Cordon__Policy *p = dp->policy_ctl.in_force;
	const char *name = det_detector_name(a->detector);
	Cordon__DetectMode m = CORDON__DETECT_MODE__DETECT_DEFAULT;

	*segment = 0;
	if (pol != NULL)
		policy_device_lookup(pol, a->mac, a->vlan, segment, NULL);
	for (size_t i = 0; p != NULL && i < p->n_segments; i++)
		if (p->segments[i]->id == *segment)
			m = detector_mode_in(p->segments[i]->detect,
					     p->segments[i]->n_detect, name);
	if (m == CORDON__DETECT_MODE__DETECT_DEFAULT && p != NULL)
		m = detector_mode_in(p->detect, p->n_detect, name);
	switch (m) {
	case CORDON__DETECT_MODE__DETECT_ALERT:
		return DETECTOR_ALERT;
	case CORDON__DETECT_MODE__DETECT_QUARANTINE:
		return DETECTOR_QUARANTINE;
	case CORDON__DETECT_MODE__DETECT_ASK:
		return DETECTOR_ASK;
	default:
		return a->severity == DET_SEV_QUARANTINE ?
			DETECTOR_QUARANTINE : DETECTOR_ALERT;
	}
}

static void
detector_log(const struct dp *dp, const struct detector_alert *x)
{
	const struct det_alert *a = &x->a;
	json_t *j = det_json_alert(a);
	char *s;

	RTE_LOG(NOTICE, USER1, "alert %u: %s on %02x:%02x:%02x:%02x:%02x:%02x"
		" (%s %s: %" PRIu64 " >= %" PRIu64 "): %s%s%s\n", a->seq,
		det_detector_name(a->detector), a->mac[0], a->mac[1], a->mac[2],
		a->mac[3], a->mac[4], a->mac[5], a->ev.what, a->ev.key,
		a->ev.count, a->ev.threshold,
		detector_action_name((enum detector_action)x->action),
		x->contained == 1 ? ", contained" : x->contained == 2 ?
		", in quarantine already" : "",
		x->why[0] ? x->why : "");
	if (j == NULL)
		return;
	/* Times on the wall clock, for whoever reads it. */
	json_object_set_new(j, "action", json_string(detector_action_name(
		(enum detector_action)x->action)));
	json_object_set_new(j, "contained", json_boolean(x->contained != 0));
	json_object_set_new(j, "detected_unix_us", json_integer(
		(json_int_t)(dp_unix_us_at(dp, a->ts_us))));
	json_object_set_new(j, "first_unix_us", json_integer(
		(json_int_t)(dp_unix_us_at(dp, a->first_us))));
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s != NULL) {
		printf("cordon-dataplane: alert %s\n", s);
		fflush(stdout);
		free(s);
	}
	json_decref(j);
}

void
detector_set_sink(struct dp *dp, detector_sink_fn fn, void *arg)
{
	struct detector *d = dp->det;

	if (d == NULL)
		return;
	d->sink = fn;
	d->sink_arg = arg;
}

/* Hand the alert to cordond's link, with the time its containment took
 * effect. */
static void
detector_send(struct detector *d, const struct detector_alert *x)
{
	struct contain_view cv;
	uint64_t contained_us = 0;
	uint8_t *buf;
	size_t len;

	if (d->sink == NULL)
		return;
	if (x->contained == 1 && contain_get(d->dp, x->a.mac, x->a.vlan,
					     &cv) == 0)
		contained_us = cv.rec.contained_us;
	if (dp_alert_pack(d->dp, x, contained_us, &buf, &len) < 0) {
		__atomic_fetch_add(&d->st.alerts_unsent, 1, __ATOMIC_RELAXED);
		return;
	}
	d->sink(d->sink_arg, CORDON__MSG_TYPE__MSG_ALERT, x->a.seq, buf, len);
}

/* Act on the alerts the poll raised: contain (one policy rebuild for all
 * of them), then log and keep them. */
static void
detector_act(struct detector *d)
{
	struct dp *dp = d->dp;
	bool commit = false;
	int rc;

	for (uint32_t i = 0; i < d->n_new; i++) {
		struct detector_alert *x = &d->fresh[i];

		x->action = (uint8_t)detector_action_of(dp, &x->a,
							&x->segment);
		if (x->action != DETECTOR_QUARANTINE)
			continue;
		rc = contain_device(dp, x->a.mac, x->a.vlan,
				    (uint8_t)x->a.detector, x->a.seq,
				    x->a.first_us, x->a.ts_us);
		if (rc == 1) {
			x->contained = 1;
			commit = true;
		} else if (rc == 0) {
			x->contained = 2;
		} else {
			snprintf(x->why, sizeof(x->why), " (not contained: "
				 "%s)", rc == -ENOENT ? "no policy" :
				 "containment table full");
		}
	}
	if (commit && contain_commit(dp) < 0)
		for (uint32_t i = 0; i < d->n_new; i++)
			if (d->fresh[i].contained == 1) {
				d->fresh[i].contained = 0;
				snprintf(d->fresh[i].why,
					 sizeof(d->fresh[i].why),
					 " (not contained: the policy did not "
					 "build)");
			}
	pthread_mutex_lock(&d->lock);
	for (uint32_t i = 0; i < d->n_new; i++) {
		struct detector_alert *x = &d->fresh[i];

		d->st.actions[x->action]++;
		if (x->contained == 1)
			d->st.contained++;
		else if (x->action == DETECTOR_QUARANTINE && x->contained == 0)
			d->st.contain_failed++;
		d->recent[d->recent_head] = *x;
		d->recent_head = (d->recent_head + 1) % DETECTOR_RECENT;
		if (d->n_recent < DETECTOR_RECENT)
			d->n_recent++;
	}
	pthread_mutex_unlock(&d->lock);
	for (uint32_t i = 0; i < d->n_new; i++) {
		detector_log(dp, &d->fresh[i]);
		detector_send(d, &d->fresh[i]);
	}
	d->n_new = 0;
}

/* Copy the counters readers see. */
static void
detector_snapshot(struct detector *d)
{
	const struct dp *dp = d->dp;
	struct detector_stats s;
	uint64_t now;

	memset(&s, 0, sizeof(s));
	det_engine_stats(d->eng, &s.eng);
	now = dp_now_us(dp);
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		const struct dp_worker *wk = dp->hot.workers[w];
		const struct dp_detect_stats *g = &wk->det->glue.st;
		struct det_dnsmatch_stats ms;

		det_dnsmatch_stats(wk->det->dns, &ms);
		for (int i = 0; i < DET_DNS_RC_MAX; i++)
			s.dns_rc[i] += ms.rc[i];
		s.dns_matchers_ready += det_dnsmatch_ready(wk->det->dns, now);

		s.slow += __atomic_load_n(&g->slow, __ATOMIC_RELAXED);
		s.events += __atomic_load_n(&g->events, __ATOMIC_RELAXED);
		s.dns_queries += __atomic_load_n(&g->dns_queries,
						 __ATOMIC_RELAXED);
		s.dns_answers += __atomic_load_n(&g->dns_answers,
						 __ATOMIC_RELAXED);
		s.dns_forged += __atomic_load_n(&g->dns_forged,
						__ATOMIC_RELAXED);
		s.events_dropped += DP_CNT_READ(wk->stats.detect_dropped);
		s.dns_unvouched += DP_CNT_READ(wk->stats.dns_unvouched);
	}
	pthread_mutex_lock(&d->lock);
	s.reordered = d->st.reordered;
	memcpy(s.actions, d->st.actions, sizeof(s.actions));
	s.contained = d->st.contained;
	s.contain_failed = d->st.contain_failed;
	s.alerts_lost = d->st.alerts_lost;
	s.alerts_unsent = d->st.alerts_unsent;
	s.envelopes_sent = d->st.envelopes_sent;
	s.envelopes_installed = d->st.envelopes_installed;
	s.envelopes_refused = d->st.envelopes_refused;
	s.relearns = d->st.relearns;
	s.envelopes_mud = d->st.envelopes_mud;
	s.relearns_lost = d->st.relearns_lost;
	d->st = s;
	pthread_mutex_unlock(&d->lock);
}

struct detector_relearn_ctx {
	const uint8_t *mac;
	uint16_t vlan[DETECTOR_RELEARN_VLANS];
	uint32_t n;
};

static void
detector_relearn_find(const struct det_envelope *env, void *arg)
{
	struct detector_relearn_ctx *x = arg;

	if (memcmp(env->mac, x->mac, 6) == 0 && x->n < DETECTOR_RELEARN_VLANS)
		x->vlan[x->n++] = env->vlan;
}

int
detector_relearn_offer(struct dp *dp, const uint8_t mac[6])
{
	struct detector *d = dp->det;
	int rc = 0;

	if (d == NULL)
		return 0;	/* no detection: nothing learned */
	pthread_mutex_lock(&d->env_lock);
	if (d->n_relearn < DETECTOR_RELEARN_MAX)
		memcpy(d->relearn[d->n_relearn++], mac, 6);
	else
		rc = -ENOSPC;
	pthread_mutex_unlock(&d->env_lock);
	if (rc < 0)
		__atomic_fetch_add(&d->st.relearns_lost, 1, __ATOMIC_RELAXED);
	return rc;
}

/* Main lcore: learn again the devices the operator named. */
static void
detector_relearn(struct detector *d, uint8_t (*macs)[6], uint32_t n,
		 uint64_t now)
{
	for (uint32_t i = 0; i < n; i++) {
		struct detector_relearn_ctx x = { .mac = macs[i] };
		uint32_t done = 0;

		det_envelope_foreach(d->eng, detector_relearn_find, &x);
		for (uint32_t v = 0; v < x.n; v++) {
			dp_envset_unmark(&d->env_sent, macs[i], x.vlan[v]);
			if (det_relearn(d->eng, macs[i], x.vlan[v], now) == 0)
				done++;
		}
		RTE_LOG(INFO, USER1, "re-learn of %02x:%02x:%02x:%02x:%02x:"
			"%02x: %u envelope%s restarted\n", macs[i][0],
			macs[i][1], macs[i][2], macs[i][3], macs[i][4],
			macs[i][5], done, done == 1 ? "" : "s");
		__atomic_fetch_add(&d->st.relearns, done, __ATOMIC_RELAXED);
	}
}

/* Mark a device's envelope as handed over; false when it was already. */
static bool
detector_env_mark(struct detector *d, const uint8_t mac[6], uint16_t vlan)
{
	uint64_t forgotten = d->env_sent.forgotten;
	bool fresh = dp_envset_mark(&d->env_sent, mac, vlan);

	if (d->env_sent.forgotten != forgotten)
		RTE_LOG(INFO, USER1, "envelopes handed over: the set of %u "
			"was three quarters full and starts again (those still "
			"learned go to cordond once more)\n",
			d->env_sent.mask + 1);
	return fresh;
}

/* A MUD rule's peer, for det_envelope_mud_allow(). */
static bool
detector_mud_rule(const Cordon__Rule *r, const uint8_t mac[6],
		  struct det_mud_rule *m, uint8_t addr[16], size_t pr)
{
	const Cordon__Endpoint *me, *peer;

	if (r->comment == NULL || strncmp(r->comment, "mud ", 4) != 0 ||
	    r->src == NULL || r->dst == NULL)
		return false;
	memset(m, 0, sizeof(*m));
	if (r->src->kind_case == CORDON__ENDPOINT__KIND_DEVICE &&
	    r->src->device.len == 6 && !memcmp(r->src->device.data, mac, 6)) {
		me = r->src;
		peer = r->dst;
	} else if (r->dst->kind_case == CORDON__ENDPOINT__KIND_DEVICE &&
		   r->dst->device.len == 6 &&
		   !memcmp(r->dst->device.data, mac, 6)) {
		me = r->dst;
		peer = r->src;
		m->inbound = true;
	} else {
		return false;
	}
	(void)me;
	m->proto = (uint8_t)r->ip_proto;
	m->port_lo = 0;
	m->port_hi = 65535;
	if (pr < r->n_dst_ports) {
		m->port_lo = (uint16_t)r->dst_ports[pr]->lo;
		m->port_hi = (uint16_t)r->dst_ports[pr]->hi;
	}
	if (peer->kind_case == CORDON__ENDPOINT__KIND_DNS_NAME) {
		m->name = peer->dns_name;
	} else if (peer->kind_case == CORDON__ENDPOINT__KIND_CIDR &&
		   peer->cidr != NULL && (peer->cidr->addr.len == 4 ||
					  peer->cidr->addr.len == 16)) {
		memset(addr, 0, 16);
		if (peer->cidr->addr.len == 4) {
			addr[10] = addr[11] = 0xff;
			memcpy(addr + 12, peer->cidr->addr.data, 4);
			m->plen = (uint8_t)(96 + peer->cidr->prefix_len);
		} else {
			memcpy(addr, peer->cidr->addr.data, 16);
			m->plen = (uint8_t)peer->cidr->prefix_len;
		}
		m->addr = addr;
	}
	return true;
}

/* det_envelope_foreach(): the devices judged by a MUD profile. */
struct detector_mud_ctx {
	uint8_t (*mac)[6];
	uint16_t *vlan;
	uint32_t n, cap;
};

static void
detector_mud_find(const struct det_envelope *env, void *arg)
{
	struct detector_mud_ctx *x = arg;

	if (env->source == DET_ENV_MUD && x->n < x->cap) {
		memcpy(x->mac[x->n], env->mac, 6);
		x->vlan[x->n++] = env->vlan;
	}
}

void
detector_policy(struct dp *dp, const Cordon__Policy *pol)
{
	struct detector *d = dp->det;
	struct detector_mud_ctx old = { 0 };
	uint64_t now;

	if (d == NULL || pol == NULL)
		return;
	now = dp_now_us(dp);
	old.cap = d->env_sent.mask + 1;
	old.mac = calloc(old.cap, 6);
	old.vlan = calloc(old.cap, sizeof(uint16_t));
	if (old.mac == NULL || old.vlan == NULL)
		goto out;
	det_envelope_foreach(d->eng, detector_mud_find, &old);
	/* Each device a MUD rule names, once (by its first rule). */
	for (size_t i = 0; i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];
		/* the device a MUD file is bound to is the source of its
		 * outbound rules (a peer device named by them is not) */
		const Cordon__Endpoint *e = r->src;
		const struct det_envelope *cur;
		struct det_envelope env;
		struct det_mud_rule m;
		uint8_t addr[16], mac[6];
		uint16_t vlan = 0;
		bool first = true;

		if (e == NULL || e->kind_case != CORDON__ENDPOINT__KIND_DEVICE ||
		    e->device.len != 6 ||
		    !detector_mud_rule(r, e->device.data, &m, addr, 0))
			continue;
		memcpy(mac, e->device.data, 6);
		for (size_t j = 0; j < i && first; j++)
			first = pol->rules[j]->src == NULL ||
				pol->rules[j]->src->kind_case !=
				CORDON__ENDPOINT__KIND_DEVICE ||
				pol->rules[j]->src->device.len != 6 ||
				memcmp(pol->rules[j]->src->device.data, mac,
				       6) != 0 ||
				!detector_mud_rule(pol->rules[j], mac, &m,
						   addr, 0);
		if (!first)
			continue;
		for (size_t j = 0; j < pol->n_devices; j++)
			if (pol->devices[j]->mac.len == 6 &&
			    !memcmp(pol->devices[j]->mac.data, mac, 6))
				vlan = (uint16_t)pol->devices[j]->vlan;
		det_envelope_mud_init(&env, mac, vlan, now);
		/* who it is stays learned: a MUD file says nothing of it */
		cur = det_envelope_of(d->eng, mac, vlan);
		if (cur != NULL)
			for (int s = DET_ENV_DHCP; s < DET_ENV_NSETS; s++)
				env.set[s] = cur->set[s];
		for (size_t j = 0; j < pol->n_rules; j++)
			for (size_t p = 0; detector_mud_rule(pol->rules[j],
				mac, &m, addr, p); p++) {
				det_envelope_mud_allow(&env, &m);
				if (p + 1 >= pol->rules[j]->n_dst_ports)
					break;
			}
		if (det_envelope_install(d->eng, &env) == 0)
			__atomic_fetch_add(&d->st.envelopes_mud, 1,
					   __ATOMIC_RELAXED);
		for (uint32_t k = 0; k < old.n; k++)
			if (!memcmp(old.mac[k], mac, 6) && old.vlan[k] == vlan)
				old.vlan[k] = UINT16_MAX;	/* still MUD */
	}
	/* MUD files unbound: learn those devices again. */
	for (uint32_t k = 0; k < old.n; k++)
		if (old.vlan[k] != UINT16_MAX &&
		    det_relearn(d->eng, old.mac[k], old.vlan[k], now) == 0)
			dp_envset_unmark(&d->env_sent, old.mac[k], old.vlan[k]);
out:
	free(old.mac);
	free(old.vlan);
}

/* det_envelope_foreach(): a device that finished learning goes to
 * cordond, once. */
static void
detector_env_learned(const struct det_envelope *env, void *arg)
{
	struct detector *d = arg;
	Cordon__DeviceEnvelope m = CORDON__DEVICE_ENVELOPE__INIT;
	uint8_t data[2048], *buf;
	size_t len;
	int n;

	if (env->state != DET_ENV_COMPLETE || env->source != DET_ENV_LEARNED ||
	    !detector_env_mark(d, env->mac, env->vlan))
		return;
	n = det_envelope_encode(env, data, sizeof(data));
	if (n < 0)
		return;
	m.mac.data = (uint8_t *)(uintptr_t)env->mac;
	m.mac.len = 6;
	m.vlan = env->vlan;
	m.dataplane_id = d->dp->conf.id;
	m.data.data = data;
	m.data.len = (size_t)n;
	len = cordon__device_envelope__get_packed_size(&m);
	buf = malloc(len);
	if (buf == NULL)
		return;
	cordon__device_envelope__pack(&m, buf);
	d->sink(d->sink_arg, CORDON__MSG_TYPE__MSG_ENVELOPE, 0, buf, len);
	__atomic_fetch_add(&d->st.envelopes_sent, 1, __ATOMIC_RELAXED);
}

void
detector_envelopes_offer(struct dp *dp, Cordon__Envelopes *env)
{
	struct detector *d = dp->det;

	if (d == NULL) {
		cordon__envelopes__free_unpacked(env, NULL);
		return;
	}
	pthread_mutex_lock(&d->env_lock);
	if (d->env_in != NULL)
		cordon__envelopes__free_unpacked(d->env_in, NULL);
	d->env_in = env;
	pthread_mutex_unlock(&d->env_lock);
}

/* Install what cordond keeps; every second, hand over what was learned. */
static void
detector_envelopes(struct detector *d, uint64_t now)
{
	uint8_t relearn[DETECTOR_RELEARN_MAX][6];
	Cordon__Envelopes *in;
	uint32_t n_relearn;

	pthread_mutex_lock(&d->env_lock);
	in = d->env_in;
	d->env_in = NULL;
	n_relearn = d->n_relearn;
	memcpy(relearn, d->relearn, n_relearn * sizeof(relearn[0]));
	d->n_relearn = 0;
	pthread_mutex_unlock(&d->env_lock);
	for (size_t i = 0; in != NULL && i < in->n_envelopes; i++) {
		const Cordon__DeviceEnvelope *e = in->envelopes[i];
		struct det_envelope env;
		char err[128];

		if (det_envelope_decode(&env, e->data.data, e->data.len, err,
					sizeof(err)) < 0) {
			RTE_LOG(WARNING, USER1, "stored envelope %zu refused: "
				"%s\n", i, err);
			__atomic_fetch_add(&d->st.envelopes_refused, 1,
					   __ATOMIC_RELAXED);
			continue;
		}
		env.source = DET_ENV_STORED;
		{
			const struct det_envelope *cur = det_envelope_of(
				d->eng, env.mac, env.vlan);

			if (cur != NULL && cur->source == DET_ENV_MUD)
				continue;	/* its MUD profile rules */
		}
		if (det_envelope_install(d->eng, &env) == 0) {
			detector_env_mark(d, env.mac, env.vlan);
			__atomic_fetch_add(&d->st.envelopes_installed, 1,
					   __ATOMIC_RELAXED);
		}
	}
	if (in != NULL)
		cordon__envelopes__free_unpacked(in, NULL);
	detector_relearn(d, relearn, n_relearn, now);
	if (d->sink == NULL || now < d->next_env_us)
		return;
	d->next_env_us = now + 1000000;
	det_envelope_foreach(d->eng, detector_env_learned, d);
}

unsigned int
detector_poll(struct dp *dp)
{
	struct detector *d = dp->det;
	struct det_ev ev[DETECTOR_BURST];
	unsigned int work = 0, n;
	uint64_t reordered = 0, now;

	if (d == NULL)
		return 0;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct rte_ring *r = dp->hot.workers[w]->det->ring;

		do {
			n = rte_ring_sc_dequeue_burst_elem(r, ev,
				sizeof(ev[0]), DETECTOR_BURST, NULL);
			for (unsigned int i = 0; i < n; i++) {
				if (ev[i].ts_us < d->last_us) {
					ev[i].ts_us = d->last_us;
					reordered++;
				}
				d->last_us = ev[i].ts_us;
				det_event(d->eng, &ev[i]);
			}
			work += n;
		} while (n == DETECTOR_BURST);
	}
	now = dp_now_us(dp);
	if (now >= d->next_tick_us) {
		if (now < d->last_us)
			now = d->last_us;
		det_tick(d->eng, now);
		d->last_us = now;
		d->next_tick_us = now + DETECTOR_TICK_US;
		detector_envelopes(d, now);
		detector_snapshot(d);
	}
	if (reordered != 0) {
		pthread_mutex_lock(&d->lock);
		d->st.reordered += reordered;
		pthread_mutex_unlock(&d->lock);
	}
	if (d->n_new != 0) {
		work += d->n_new;
		detector_act(d);
		detector_snapshot(d);
	}
	return work;
}

void
detector_obs(struct dp *dp, const struct fp_identity *id,
	     const struct fp_obs *o)
{
	struct detector *d = dp->det;

	if (d == NULL)
		return;
	det_fp_obs(d->eng, id, o);
}

void
detector_own_addr(struct dp *dp, const uint8_t mac[6], uint16_t vlan,
		  const uint8_t *addr, int len)
{
	struct detector *d = dp->det;
	uint8_t a[16] = { 0 };

	if (d == NULL || (len != 4 && len != 16))
		return;
	if (len == 4) {
		a[10] = a[11] = 0xff;
		memcpy(a + 12, addr, 4);
	} else {
		memcpy(a, addr, 16);
	}
	det_own_addr(d->eng, mac, vlan, a);
}

void
detector_released(struct dp *dp, const uint8_t mac[6], uint16_t vlan)
{
	struct detector *d = dp->det;

	if (d != NULL)
		det_release(d->eng, mac, vlan);
}

void
detector_stats(const struct dp *dp, struct detector_stats *st)
{
	struct detector *d = dp->det;

	memset(st, 0, sizeof(*st));
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	*st = d->st;
	pthread_mutex_unlock(&d->lock);
}

uint32_t
detector_recent(const struct dp *dp, struct detector_alert *out, uint32_t max)
{
	struct detector *d = dp->det;
	uint32_t n = 0;

	if (d == NULL)
		return 0;
	pthread_mutex_lock(&d->lock);
	for (; n < d->n_recent && n < max; n++)
		out[n] = d->recent[(d->recent_head + DETECTOR_RECENT - 1 - n) %
				   DETECTOR_RECENT];
	pthread_mutex_unlock(&d->lock);
	return n;
}

int
detector_alert_get(const struct dp *dp, uint32_t seq,
		   struct detector_alert *out)
{
	struct detector *d = dp->det;
	int rc = -ENOENT;

	if (d == NULL)
		return rc;
	pthread_mutex_lock(&d->lock);
	for (uint32_t i = 0; i < d->n_recent; i++)
		if (d->recent[i].a.seq == seq) {
			*out = d->recent[i];
			rc = 0;
			break;
		}
	pthread_mutex_unlock(&d->lock);
	return rc;
}

size_t
detector_report_extras(const struct dp *dp, struct dp_report_extra *out,
		       size_t max)
{
	static const char *const alerts[DET_N] = {
#define DETECTOR_X(e, n, s) "detect_alerts_" n,
		DET_DETECTORS(DETECTOR_X)
#undef DETECTOR_X
	};
	static const char *const suppressed[DET_N] = {
#define DETECTOR_X(e, n, s) "detect_suppressed_" n,
		DET_DETECTORS(DETECTOR_X)
#undef DETECTOR_X
	};
	/* the matchers' verdicts: det_dnsmatch_rc_name() */
	static const char *const dns_rc[DET_DNS_RC_MAX] = {
		"detect_dns_matched", "detect_dns_unmatched",
		"detect_dns_name_mismatch", "detect_dns_duplicate",
		"detect_dns_late", "detect_dns_not_dns",
		"detect_dns_no_history",
	};
	_Static_assert(DET_DNS_RC_MAX == 7, "a name for each verdict");
#define DETECTOR_SCALAR(nm, field) \
	{ nm, offsetof(struct detector_stats, field) }
	/* The rest, one counter each, in the order they are listed. */
	static const struct {
		const char *name;
		size_t off;
	} scalars[] = {
		DETECTOR_SCALAR("detect_quarantines",
				actions[DETECTOR_QUARANTINE]),
		DETECTOR_SCALAR("detect_asks", actions[DETECTOR_ASK]),
		DETECTOR_SCALAR("detect_contained", contained),
		DETECTOR_SCALAR("detect_contain_failed", contain_failed),
		DETECTOR_SCALAR("detect_alerts_lost", alerts_lost),
		DETECTOR_SCALAR("detect_alerts_unsent", alerts_unsent),
		DETECTOR_SCALAR("detect_envelopes_sent", envelopes_sent),
		DETECTOR_SCALAR("detect_envelopes_installed",
				envelopes_installed),
		DETECTOR_SCALAR("detect_envelopes_refused", envelopes_refused),
		DETECTOR_SCALAR("detect_relearns", relearns),
		DETECTOR_SCALAR("detect_envelopes_mud", envelopes_mud),
		DETECTOR_SCALAR("detect_relearns_lost", relearns_lost),
		DETECTOR_SCALAR("detect_events", events),
		DETECTOR_SCALAR("detect_events_dropped", events_dropped),
		DETECTOR_SCALAR("detect_events_reordered", reordered),
		DETECTOR_SCALAR("detect_devices", eng.devices),
		DETECTOR_SCALAR("detect_devices_recycled",
				eng.devices_recycled),
		DETECTOR_SCALAR("detect_dns_forged", dns_forged),
		DETECTOR_SCALAR("detect_dns_unvouched", dns_unvouched),
	};
#undef DETECTOR_SCALAR
	struct detector_stats s;
	uint64_t total = 0;
	size_t n = 0;

	if (dp->det == NULL)
		return 0;
	detector_stats(dp, &s);
#define DETECTOR_PUT(nm, v) do {			\
		if (n < max) {				\
			out[n].name = (nm);		\
			out[n++].value = (v);		\
		}					\
	} while (0)
	for (int i = 0; i < DET_N; i++)
		total += s.eng.alerts[i];
	DETECTOR_PUT("detect_alerts", total);
	for (int i = 0; i < DET_N; i++)
		DETECTOR_PUT(alerts[i], s.eng.alerts[i]);
	for (int i = 0; i < DET_N; i++)
		DETECTOR_PUT(suppressed[i], s.eng.suppressed[i]);
	for (size_t i = 0; i < RTE_DIM(scalars); i++)
		DETECTOR_PUT(scalars[i].name, *(const uint64_t *)(const void *)
			     ((const uint8_t *)&s + scalars[i].off));
	for (int i = 0; i < DET_DNS_RC_MAX; i++)
		DETECTOR_PUT(dns_rc[i], s.dns_rc[i]);
	DETECTOR_PUT("detect_dns_matchers_ready", s.dns_matchers_ready);
#undef DETECTOR_PUT
	return n;
}
