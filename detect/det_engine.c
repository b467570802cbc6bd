/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The engine: per-device states in a fixed table (MAC + VLAN hashed into
 * chains), the dispatch of events to the detectors, and alerts with their
 * re-arm time.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "det_internal.h"

static const char *const det_names[DET_N] = {
#define DET_X_NAME(e, n, s) n,
	DET_DETECTORS(DET_X_NAME)
#undef DET_X_NAME
};

static const uint8_t det_default_sev[DET_N] = {
#define DET_X_SEV(e, n, s) s,
	DET_DETECTORS(DET_X_SEV)
#undef DET_X_SEV
};

const char *
det_detector_name(enum det_detector d)
{
	return (unsigned int)d < DET_N ? det_names[d] : NULL;
}

int
det_detector_from_name(const char *name)
{
	for (int i = 0; i < DET_N; i++)
		if (strcmp(det_names[i], name) == 0)
			return i;
	return -1;
}

const char *
det_severity_name(enum det_severity s)
{
	return s == DET_SEV_QUARANTINE ? "quarantine" : "alert";
}

void
det_config_default(struct det_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_devices = 1024;
	c->learn_ms = 24ull * 3600 * 1000;
	c->rearm_ms = 3600ull * 1000;
	for (int i = 0; i < DET_N; i++) {
		c->severity[i] = det_default_sev[i];
		c->enabled[i] = true;
	}
	c->scan_window_ms = 300000;
	c->scan_grace_ms = 3000;
	c->scan_vertical = 15;
	c->scan_horizontal = 25;
	c->sweep_window_ms = 30000;
	c->sweep_icmp = 10;
	c->sweep_l2 = 10;
	c->sweep_l2_fast = 32;
	c->sweep_l2_fast_ms = 5000;
	c->sweep_l2_grace_ms = 1000;
	c->brute_window_ms = 60000;
	c->brute_login = 10;
	c->brute_login_short = 6;
	c->brute_login_short_ms = 10000;
	c->brute_other = 60;
	c->brute_short_ms = 30000;
	c->brute_small_bytes = 16384;
	c->flood_syn_pps = 1000;
	c->flood_halfopen = 50;
	c->flood_halfopen_ms = 1000;
	c->flood_udp_fps = 1000;
	c->flood_udp_pps = 20000;
	c->flood_icmp_pps = 1000;
	c->amp_ratio = 10;
	c->amp_bytes = 1000000;
	c->amp_window_ms = 10000;
	c->lateral_window_ms = 300000;
	c->lateral_targets = 8;
	c->lateral_attempts = 30;
	c->lateral_attempts_ms = 60000;
	c->dns_window_ms = 300000;
	c->nxdomain_domains = 10;
	c->dga_domains = 5;
	c->dns_forged = 1;
	c->beacon_min = 10;
	c->beacon_min_period_ms = 1000;
	c->beacon_max_period_ms = 3600000;
	c->beacon_jitter_pct = 20;
	c->beacon_learning_max_period_ms = 10000;
	c->beacon_learning_min = 20;
	c->env_window_ms = 3600000;
	c->env_new_dsts = 5;
}

struct det_engine *
det_engine_create(const struct det_config *c, det_alert_cb cb, void *arg)
{
	struct det_engine *e;
	uint32_t nb = 16;

	if (c == NULL || c->max_devices == 0 || c->max_devices > (1u << 24))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->c = *c;
	e->cb = cb;
	e->cb_arg = arg;
	while (nb < c->max_devices * 2)
		nb <<= 1;
	e->nbuckets = nb;
	e->dev = calloc(c->max_devices, sizeof(*e->dev));
	e->head = malloc(nb * sizeof(*e->head));
	if (e->dev == NULL || e->head == NULL) {
		det_engine_destroy(e);
		return NULL;
	}
	for (uint32_t i = 0; i < nb; i++)
		e->head[i] = UINT32_MAX;
	return e;
}

void
det_engine_destroy(struct det_engine *e)
{
	if (e == NULL)
		return;
	free(e->dev);
	free(e->head);
	free(e);
}

void
det_engine_set_ioc(struct det_engine *e, const struct det_ioc *ioc)
{
	e->ioc = ioc;
}

static uint64_t
det_key(const uint8_t mac[6], uint16_t vlan)
{
	uint64_t k = (uint64_t)(vlan & 0xfff) << 48 | 1ull << 60;

	for (int i = 0; i < 6; i++)
		k |= (uint64_t)mac[i] << (40 - 8 * i);
	return k;
}

static uint32_t
det_bucket(const struct det_engine *e, uint64_t key)
{
	return (uint32_t)det_hash(&key, sizeof(key), 0) & (e->nbuckets - 1);
}

struct det_dev *
det_dev_find(const struct det_engine *e, const uint8_t mac[6], uint16_t vlan)
{
	uint64_t key = det_key(mac, vlan);

	for (uint32_t i = e->head[det_bucket(e, key)]; i != UINT32_MAX;
			i = e->dev[i].hnext)
		if (e->dev[i].key == key)
			return &e->dev[i];
	return NULL;
}

static void
det_unlink(struct det_engine *e, struct det_dev *dv)
{
	uint32_t *p = &e->head[det_bucket(e, dv->key)];

	while (*p != UINT32_MAX) {
		if (*p == dv->idx) {
			*p = dv->hnext;
			return;
		}
		p = &e->dev[*p].hnext;
	}
}

struct det_dev *
det_dev_get(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t now_us)
{
	struct det_dev *dv = det_dev_find(e, mac, vlan);
	uint64_t key = det_key(mac, vlan);
	uint32_t idx, b;

	if (dv != NULL) {
		if (now_us > dv->last_us)
			dv->last_us = now_us;
		return dv;
	}
	if (e->used < e->c.max_devices) {
		idx = e->used++;
	} else {
		/* Full: recycle the device idle the longest. A scan over
		 * the table, but only when a new device arrives at a full
		 * table. */
		idx = 0;
		for (uint32_t i = 1; i < e->used; i++)
			if (e->dev[i].last_us < e->dev[idx].last_us)
				idx = i;
		det_unlink(e, &e->dev[idx]);
		e->st.devices_recycled++;
	}
	dv = &e->dev[idx];
	memset(dv, 0, sizeof(*dv));
	dv->key = key;
	dv->idx = idx;
	dv->first_us = dv->last_us = now_us;
	b = det_bucket(e, key);
	dv->hnext = e->head[b];
	e->head[b] = idx;
	det_envelope_init(&dv->env, mac, vlan, now_us,
			now_us + e->c.learn_ms * DET_MS);
	if (e->c.learn_ms == 0) {
		dv->env.state = DET_ENV_NONE;	/* no envelope at all */
	} else if (e->learn_stop_us != 0 && now_us >= e->learn_stop_us) {
		/* learning is over for everyone: an empty envelope */
		dv->env.end_us = now_us;
		dv->env.state = DET_ENV_COMPLETE;
	}
	return dv;
}

static void
det_dev_mac(const struct det_dev *dv, uint8_t mac[6], uint16_t *vlan)
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(dv->key >> (40 - 8 * i));
	*vlan = (uint16_t)((dv->key >> 48) & 0xfff);
}

bool
det_learning(const struct det_engine *e, const struct det_dev *dv,
		uint64_t now_us)
{
	(void)e;
	return dv->env.state == DET_ENV_LEARNING && now_us < dv->env.end_us;
}

bool
det_armed(const struct det_engine *e, const struct det_dev *dv,
		enum det_detector d, uint64_t now_us)
{
	if (!e->c.enabled[d])
		return false;
	return dv->fired[d].at_us == 0 ||
		now_us >= dv->fired[d].at_us + e->c.rearm_ms * DET_MS;
}

bool
det_raise(struct det_engine *e, struct det_dev *dv, enum det_detector d,
		uint64_t ts_us, uint64_t first_us, const struct det_evidence *ev)
{
	struct det_alert a;

	if (!e->c.enabled[d])
		return false;
	if (!det_armed(e, dv, d, ts_us)) {
		e->st.suppressed[d]++;
		return false;
	}
	dv->fired[d].at_us = ts_us ? ts_us : 1;
	memset(&a, 0, sizeof(a));
	a.detector = d;
	a.severity = e->c.severity[d];
	det_dev_mac(dv, a.mac, &a.vlan);
	/* The device's own addresses, else those it used. */
	if (dv->n_addrs > 0) {
		a.n_addrs = dv->n_addrs;
		memcpy(a.addrs, dv->addrs, sizeof(a.addrs));
	} else {
		a.n_addrs = dv->n_srcs;
		memcpy(a.addrs, dv->srcs, sizeof(a.addrs));
	}
	a.ts_us = ts_us;
	a.first_us = first_us && first_us <= ts_us ? first_us : ts_us;
	a.seq = ++e->seq;
	a.ev = *ev;
	det_ev_sort(&a.ev);
	e->st.alerts[d]++;
	if (e->cb != NULL)
		e->cb(&a, e->cb_arg);
	return true;
}

void
det_ev_init(struct det_evidence *ev, const char *what, const char *key,
		uint64_t count, uint64_t threshold, uint64_t window_ms)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->what, sizeof(ev->what), "%s", what);
	snprintf(ev->key, sizeof(ev->key), "%s", key ? key : "");
	ev->count = count;
	ev->threshold = threshold;
	ev->window_ms = window_ms;
}

void
det_ev_add(struct det_evidence *ev, uint64_t ts_us, uint8_t proto,
		const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
		uint16_t dport)
{
	struct det_example *x;
	uint32_t i;

	if (ev->n_examples < DET_EXAMPLES) {
		i = ev->n_examples++;
	} else {
		/* keep the first ones: replace the latest if this is older */
		i = 0;
		for (uint32_t k = 1; k < DET_EXAMPLES; k++)
			if (ev->ex[k].ts_us > ev->ex[i].ts_us)
				i = k;
		if (ev->ex[i].ts_us <= ts_us)
			return;
	}
	x = &ev->ex[i];
	memset(x, 0, sizeof(*x));
	x->ts_us = ts_us;
	x->proto = proto;
	x->sport = sport;
	x->dport = dport;
	if (src != NULL)
		memcpy(x->src, src, 16);
	if (dst != NULL)
		memcpy(x->dst, dst, 16);
}

void
det_ev_detail(struct det_evidence *ev, const char *fmt, ...)
{
	size_t n = strlen(ev->detail);
	va_list ap;

	if (n + 2 >= sizeof(ev->detail))
		return;
	if (n > 0)
		ev->detail[n++] = ' ';
	va_start(ap, fmt);
	vsnprintf(ev->detail + n, sizeof(ev->detail) - n, fmt, ap);
	va_end(ap);
}

void
det_ev_sort(struct det_evidence *ev)
{
	for (uint32_t i = 1; i < ev->n_examples; i++)
		for (uint32_t j = i; j > 0 &&
				ev->ex[j].ts_us < ev->ex[j - 1].ts_us; j--) {
			struct det_example t = ev->ex[j];

			ev->ex[j] = ev->ex[j - 1];
			ev->ex[j - 1] = t;
		}
}

/* The device's source addresses on flows (for alerts when it never
 * announced one), and whether it is a router's MAC: a host sends from an
 * address or four (IPv4, IPv6 stable and temporary); a gateway sends the
 * internet's traffic from thousands. */
void
det_note_src(struct det_dev *dv, const uint8_t a[16])
{
	uint32_t h;

	if (det_addr_is_zero(a) || det_addr_is_group(a))
		return;
	if (!dv->transit) {
		h = (uint32_t)det_hash(a, 16, 9);
		for (uint8_t i = 0; i < dv->n_src_h; i++)
			if (dv->src_h[i] == h)
				goto listed;
		if (dv->n_src_h < DET_TRANSIT_SRCS)
			dv->src_h[dv->n_src_h++] = h;
		else
			dv->transit = true;
	}
listed:
	for (uint8_t i = 0; i < dv->n_srcs; i++)
		if (memcmp(dv->srcs[i], a, 16) == 0)
			return;
	if (dv->n_srcs < DET_DEV_ADDRS)
		memcpy(dv->srcs[dv->n_srcs++], a, 16);
}

bool
det_own_src(const struct det_dev *dv, const uint8_t src[16])
{
	for (uint8_t i = 0; i < dv->n_addrs; i++)
		if (memcmp(dv->addrs[i], src, 16) == 0)
			return true;
	return !dv->transit;
}

void
det_own_addr(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		const uint8_t addr[16])
{
	struct det_dev *dv = det_dev_get(e, mac, vlan, e->now_us);

	if (det_addr_is_zero(addr) || det_addr_is_group(addr))
		return;
	for (uint8_t i = 0; i < dv->n_addrs; i++)
		if (memcmp(dv->addrs[i], addr, 16) == 0)
			return;
	if (dv->n_addrs < DET_DEV_ADDRS)
		memcpy(dv->addrs[dv->n_addrs++], addr, 16);
}

static void
det_env_complete(struct det_dev *dv, uint64_t now_us)
{
	if (dv->env.state == DET_ENV_LEARNING && now_us >= dv->env.end_us)
		dv->env.state = DET_ENV_COMPLETE;
}

void
det_event(struct det_engine *e, const struct det_ev *ev)
{
	struct det_dev *dv;

	if (ev->kind == 0 || ev->kind >= DET_EV_MAX)
		return;
	e->st.events[ev->kind]++;
	if (ev->ts_us > e->now_us)
		e->now_us = ev->ts_us;
	/* a flow ending after its idle time is no sign of the device */
	dv = ev->kind == DET_EV_FLOW_END ? det_dev_find(e, ev->mac, ev->vlan) :
		NULL;
	if (dv == NULL)
		dv = det_dev_get(e, ev->mac, ev->vlan, ev->ts_us);
	det_env_complete(dv, ev->ts_us);
	switch (ev->kind) {
	case DET_EV_FLOW_NEW:
		det_note_src(dv, ev->src);
		det_scan_event(e, dv, ev);
		det_brute_event(e, dv, ev);
		det_flood_event(e, dv, ev);
		det_beacon_event(e, dv, ev);
		det_envelope_event(e, dv, ev);
		det_ioc_event(e, dv, ev);
		break;
	case DET_EV_ANSWERED: {
		/* the responder sent from the flow's far address */
		struct det_dev *r = det_dev_find(e, ev->peer_mac, ev->vlan);

		if (r != NULL)
			det_note_src(r, ev->dst);
	}
		/* fall through */
	case DET_EV_REJECTED:
	case DET_EV_ABORTED:
	case DET_EV_DATA:
	case DET_EV_CLOSED:
	case DET_EV_FLOW_END:
		det_scan_event(e, dv, ev);
		det_brute_event(e, dv, ev);
		det_envelope_event(e, dv, ev);
		if (ev->kind == DET_EV_DATA)
			det_flood_event(e, dv, ev);
		break;
	case DET_EV_FLOW_DENIED:
		det_lateral_event(e, dv, ev);
		break;
	case DET_EV_AMP_REPLY:
		if (ev->flags & DET_EVF_INBOUND)
			det_note_src(dv, ev->src);
		det_flood_event(e, dv, ev);
		break;
	case DET_EV_ICMP_REQ:
		det_sweep_event(e, dv, ev);
		/* fall through - a ping counts towards a flood too */
	case DET_EV_RATE:
	case DET_EV_SYN:
		det_flood_event(e, dv, ev);
		break;
	case DET_EV_ARP:
	case DET_EV_ND:
		det_sweep_event(e, dv, ev);
		break;
	case DET_EV_DNS_FORGED:
		det_dns_forged_event(e, dv, ev);
		break;
	default:
		break;
	}
}

void
det_tick(struct det_engine *e, uint64_t now_us)
{
	if (now_us > e->now_us)
		e->now_us = now_us;
	for (uint32_t i = 0; i < e->used; i++) {
		struct det_dev *dv = &e->dev[i];

		det_env_complete(dv, now_us);
		if (dv->scan_pending)
			det_scan_tick(e, dv, now_us);
	}
}

void
det_dns_answer(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t ts_us, const char *qname, uint8_t rcode,
		const uint8_t (*addrs)[16], uint32_t n_addrs)
{
	struct det_dev *dv = det_dev_get(e, mac, vlan, ts_us);

	e->st.observations++;
	if (ts_us > e->now_us)
		e->now_us = ts_us;
	det_env_complete(dv, ts_us);
	det_dns_on_answer(e, dv, ts_us, qname, rcode, addrs, n_addrs);
}

void
det_dns_query(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t ts_us, const char *qname, const uint8_t src[16],
		const uint8_t dst[16])
{
	struct det_dev *dv = det_dev_get(e, mac, vlan, ts_us);

	e->st.observations++;
	if (ts_us > e->now_us)
		e->now_us = ts_us;
	det_env_complete(dv, ts_us);
	det_dns_on_query(e, dv, ts_us, qname, src, dst);
}

void
det_facet(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t ts_us, enum det_facet f, const char *value)
{
	struct det_dev *dv;

	if ((unsigned int)f >= DET_FACET_MAX || value == NULL || !*value)
		return;
	dv = det_dev_get(e, mac, vlan, ts_us);
	e->st.observations++;
	if (ts_us > e->now_us)
		e->now_us = ts_us;
	det_env_complete(dv, ts_us);
	det_identity_facet(e, dv, ts_us, f, value);
	det_ioc_facet(e, dv, ts_us, f, value);
}

void
det_learn_stop(struct det_engine *e, uint64_t now_us)
{
	e->learn_stop_us = now_us ? now_us : 1;
	for (uint32_t i = 0; i < e->used; i++) {
		struct det_envelope *env = &e->dev[i].env;

		if (env->state == DET_ENV_LEARNING) {
			env->end_us = now_us;
			env->state = DET_ENV_COMPLETE;
		}
	}
}

int
det_relearn(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t now_us)
{
	struct det_dev *dv = det_dev_find(e, mac, vlan);

	if (dv == NULL)
		return -ENOENT;
	det_envelope_init(&dv->env, mac, vlan, now_us,
			now_us + e->c.learn_ms * DET_MS);
	return 0;
}

int
det_release(struct det_engine *e, const uint8_t mac[6], uint16_t vlan)
{
	struct det_dev *dv = det_dev_find(e, mac, vlan);

	if (dv == NULL)
		return -ENOENT;
	/* the counting state; who it is and its envelope stay */
	dv->scan_pending = false;
	dv->released_us = e->now_us;
	memset(dv->att, 0, sizeof(dv->att));
	memset(&dv->icmp, 0, sizeof(dv->icmp));
	memset(&dv->arp, 0, sizeof(dv->arp));
	memset(&dv->nd, 0, sizeof(dv->nd));
	memset(dv->svc, 0, sizeof(dv->svc));
	memset(&dv->flood, 0, sizeof(dv->flood));
	memset(&dv->lat, 0, sizeof(dv->lat));
	/* the names it resolved stay: they are no offence */
	memset(dv->dns.nx, 0, sizeof(dv->dns.nx));
	memset(dv->dns.dga, 0, sizeof(dv->dns.dga));
	memset(&dv->beacon, 0, sizeof(dv->beacon));
	memset(dv->fired, 0, sizeof(dv->fired));
	return 0;
}

const struct det_envelope *
det_envelope_of(const struct det_engine *e, const uint8_t mac[6],
		uint16_t vlan)
{
	const struct det_dev *dv = det_dev_find(e, mac, vlan);

	return dv ? &dv->env : NULL;
}

int
det_envelope_install(struct det_engine *e, const struct det_envelope *env)
{
	struct det_dev *dv;

	if (env->state != DET_ENV_COMPLETE && env->state != DET_ENV_LEARNING)
		return -EINVAL;
	dv = det_dev_get(e, env->mac, env->vlan, e->now_us);
	dv->env = *env;
	return 0;
}

void
det_envelope_foreach(const struct det_engine *e,
		void (*cb)(const struct det_envelope *env, void *arg), void *arg)
{
	for (uint32_t i = 0; i < e->used; i++)
		cb(&e->dev[i].env, arg);
}

void
det_engine_stats(const struct det_engine *e, struct det_stats *s)
{
	*s = e->st;
	s->devices = e->used;
}

void
det_device_foreach(const struct det_engine *e,
		void (*cb)(const uint8_t mac[6], uint16_t vlan, uint64_t first_us,
			uint64_t last_us, void *arg), void *arg)
{
	for (uint32_t i = 0; i < e->used; i++) {
		uint8_t mac[6];
		uint16_t vlan;

		det_dev_mac(&e->dev[i], mac, &vlan);
		cb(mac, vlan, e->dev[i].first_us, e->dev[i].last_us, arg);
	}
}
