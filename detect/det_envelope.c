/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The behaviour envelope (det_envelope.h) and the detector that watches a
 * device leave it.
 *
 * While learning, every flow the device opens adds its service (protocol,
 * port), its destination prefix and its protocol; every flow it accepts
 * adds the port; DNS names and identity facets come from det_dns.c and
 * det_identity.c. Once complete, each new member is counted once per
 * window and reported once (the envelope stays what was learned) and the
 * detector
 * fires on:
 *  - a port the device starts accepting connections on (a backdoor, a
 *    telnetd a bot starts);
 *  - a protocol it never used;
 *  - two services it never used within an hour;
 *  - 5 destination prefixes within an hour that it never used and did not
 *    reach by a name it looked up while learning (cloud services move
 *    within their names; a bot's targets have none).
 * Multicast and broadcast destinations (discovery) are not part of it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "det_internal.h"

const uint16_t det_env_cap[DET_ENV_NSETS] = {
	[DET_ENV_SVC] = 64, [DET_ENV_LISTEN] = 32, [DET_ENV_DST] = 128,
	[DET_ENV_NAME] = 128, [DET_ENV_PROTO] = 16, [DET_ENV_DHCP] = 8,
	[DET_ENV_OS] = 4, [DET_ENV_JA4] = 32,
};

static const char *const det_env_names[DET_ENV_NSETS] = {
	"services", "listening", "destinations", "names", "protocols",
	"dhcp", "os", "ja4",
};

const char *
det_env_set_name(enum det_env_set s)
{
	return (unsigned int)s < DET_ENV_NSETS ? det_env_names[s] : "?";
}

void
det_envelope_init(struct det_envelope *env, const uint8_t mac[6],
		uint16_t vlan, uint64_t start_us, uint64_t end_us)
{
	memset(env, 0, sizeof(*env));
	memcpy(env->mac, mac, 6);
	env->vlan = vlan;
	env->start_us = start_us;
	env->end_us = end_us;
	env->state = end_us > start_us ? DET_ENV_LEARNING : DET_ENV_COMPLETE;
	env->source = DET_ENV_LEARNED;
}

int
det_envelope_add(struct det_envelope *env, enum det_env_set s, uint32_t v)
{
	struct det_env_hset *h;
	uint32_t cap, i;

	if ((unsigned int)s >= DET_ENV_NSETS)
		return -EINVAL;
	h = &env->set[s];
	cap = det_env_cap[s];
	if (v == 0)
		v = 1;
	if (h->open)
		return 0;
	for (i = v & (cap - 1); h->v[i] != 0; i = (i + 1) & (cap - 1))
		if (h->v[i] == v)
			return 0;
	/* keep a quarter free so probes stay short */
	if ((uint32_t)h->n + 1 > cap - cap / 4) {
		h->open = 1;
		return -ENOSPC;
	}
	h->v[i] = v;
	h->n++;
	return 1;
}

bool
det_envelope_has(const struct det_envelope *env, enum det_env_set s,
		uint32_t v)
{
	const struct det_env_hset *h;
	uint32_t cap, i;

	if ((unsigned int)s >= DET_ENV_NSETS)
		return false;
	h = &env->set[s];
	if (h->open)
		return true;
	cap = det_env_cap[s];
	if (v == 0)
		v = 1;
	for (i = v & (cap - 1); h->v[i] != 0; i = (i + 1) & (cap - 1))
		if (h->v[i] == v)
			return true;
	return false;
}

uint32_t
det_env_port_key(uint8_t proto, uint16_t port)
{
	uint32_t k = (uint32_t)proto << 16 | port;

	return (uint32_t)det_hash(&k, sizeof(k), 21);
}

uint32_t
det_env_prefix_key(const uint8_t addr[16])
{
	uint8_t p[16] = { 0 };

	if (det_addr_is_v4(addr)) {
		memcpy(p, addr, 15);		/* /24 */
	} else {
		memcpy(p, addr, 6);		/* /48 */
	}
	return (uint32_t)det_hash(p, sizeof(p), 22);
}

void
det_envelope_mud_init(struct det_envelope *env, const uint8_t mac[6],
		uint16_t vlan, uint64_t now_us)
{
	det_envelope_init(env, mac, vlan, now_us, now_us);
	env->source = DET_ENV_MUD;
}

/* Ports of a rule, one by one up to this many; more open the set. */
#define DET_MUD_PORTS_MAX 32

void
det_envelope_mud_allow(struct det_envelope *env, const struct det_mud_rule *r)
{
	enum det_env_set svc = r->inbound ? DET_ENV_LISTEN : DET_ENV_SVC;
	char reg[256];

	if (r->proto == 0) {
		env->set[DET_ENV_PROTO].open = 1;
		env->set[svc].open = 1;
	} else if (r->proto != 1 && r->proto != 58 && !r->inbound) {
		det_envelope_add(env, DET_ENV_PROTO, r->proto);
	}
	if (r->proto == 6 || r->proto == 17 || r->proto == 132) {
		if (r->port_hi < r->port_lo ||
				r->port_hi - r->port_lo >= DET_MUD_PORTS_MAX)
			env->set[svc].open = 1;
		else
			for (uint32_t p = r->port_lo; p <= r->port_hi; p++)
				det_envelope_add(env, svc,
					det_env_port_key(r->proto, (uint16_t)p));
	}
	if (r->inbound)
		return;		/* the peers it accepts from are no envelope */
	if (r->name != NULL) {
		const char *n = r->name;

		if (n[0] == '*' && n[1] == '.')
			n += 2;
		if (det_registrable(n, reg, sizeof(reg)) > 0)
			det_envelope_add(env, DET_ENV_NAME,
					det_env_str_key(reg));
		else
			env->set[DET_ENV_NAME].open = 1;
		return;
	}
	if (r->addr == NULL) {
		env->set[DET_ENV_DST].open = 1;
		return;
	}
	if (det_addr_is_v4(r->addr) && r->plen >= 96 + 20) {
		/* each /24 of it */
		uint8_t a[16];
		uint32_t n = r->plen >= 96 + 24 ? 1 : 1u << (96 + 24 - r->plen);

		memcpy(a, r->addr, 16);
		a[14] &= (uint8_t)(0xff << (8 - (r->plen >= 96 + 24 ? 8 :
				r->plen - 96 - 16)));
		for (uint32_t i = 0; i < n; i++) {
			uint8_t b[16];

			memcpy(b, a, 16);
			b[14] = (uint8_t)(b[14] + i);
			det_envelope_add(env, DET_ENV_DST,
					det_env_prefix_key(b));
		}
	} else if (!det_addr_is_v4(r->addr) && r->plen >= 48) {
		det_envelope_add(env, DET_ENV_DST, det_env_prefix_key(r->addr));
	} else {
		env->set[DET_ENV_DST].open = 1;
	}
}

uint32_t
det_env_str_key(const char *s)
{
	return (uint32_t)det_hash(s, strlen(s), 23);
}

/* ---- serialisation ---- */

static uint32_t
det_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

#define ENV_MAGIC "CDEV"
#define ENV_VERSION 1
#define ENV_HEAD (4 + 2 + 2 + 6 + 2 + 8 + 8 + 1 + 1 + 2)

size_t
det_envelope_max_size(void)
{
	size_t n = ENV_HEAD + 4;

	for (int s = 0; s < DET_ENV_NSETS; s++)
		n += 4 + 4u * det_env_cap[s];
	return n;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

int
det_envelope_encode(const struct det_envelope *env, uint8_t *buf, size_t cap)
{
	size_t off = 0;

	if (cap < det_envelope_max_size())
		return -ENOSPC;
	memcpy(buf, ENV_MAGIC, 4);
	put16(buf + 4, ENV_VERSION);
	put16(buf + 6, 0);
	memcpy(buf + 8, env->mac, 6);
	put16(buf + 14, env->vlan);
	put64(buf + 16, env->start_us);
	put64(buf + 24, env->end_us);
	buf[32] = env->state;
	buf[33] = env->source;
	put16(buf + 34, DET_ENV_NSETS);
	off = ENV_HEAD;
	for (int s = 0; s < DET_ENV_NSETS; s++) {
		const struct det_env_hset *h = &env->set[s];
		uint16_t n = 0;
		size_t at = off;

		buf[off] = (uint8_t)s;
		buf[off + 1] = h->open;
		off += 4;
		for (uint32_t i = 0; i < det_env_cap[s]; i++)
			if (h->v[i] != 0) {
				put32(buf + off, h->v[i]);
				off += 4;
				n++;
			}
		put16(buf + at + 2, n);
	}
	put32(buf + off, det_crc32(buf, off));
	return (int)(off + 4);
}

#define ENV_ERR(...) do { \
		if (err != NULL) \
			snprintf(err, errlen, __VA_ARGS__); \
		return -EINVAL; \
	} while (0)

int
det_envelope_decode(struct det_envelope *env, const uint8_t *buf, size_t len,
		char *err, size_t errlen)
{
	struct det_envelope tmp;
	uint16_t nsets;
	size_t off;

	if (buf == NULL || len < ENV_HEAD + 4)
		ENV_ERR("envelope: %zu bytes, shorter than a header", len);
	if (memcmp(buf, ENV_MAGIC, 4) != 0)
		ENV_ERR("envelope: not an envelope (bad magic)");
	if (get16(buf + 4) != ENV_VERSION)
		ENV_ERR("envelope: version %u, this build reads %u",
				get16(buf + 4), ENV_VERSION);
	if (get32(buf + len - 4) != det_crc32(buf, len - 4))
		ENV_ERR("envelope: checksum mismatch (corrupt)");
	memset(&tmp, 0, sizeof(tmp));
	memcpy(tmp.mac, buf + 8, 6);
	tmp.vlan = get16(buf + 14);
	tmp.start_us = get64(buf + 16);
	tmp.end_us = get64(buf + 24);
	tmp.state = buf[32];
	tmp.source = buf[33];
	if (tmp.state > DET_ENV_COMPLETE || tmp.source > DET_ENV_STORED ||
			tmp.vlan > 4095)
		ENV_ERR("envelope: bad state %u, source %u or vlan %u",
				tmp.state, tmp.source, tmp.vlan);
	nsets = get16(buf + 34);
	if (nsets > DET_ENV_NSETS)
		ENV_ERR("envelope: %u sets, at most %u", nsets, DET_ENV_NSETS);
	off = ENV_HEAD;
	for (uint16_t k = 0; k < nsets; k++) {
		uint8_t s, open;
		uint16_t n;

		if (off + 4 > len - 4)
			ENV_ERR("envelope: truncated in set %u", k);
		s = buf[off];
		open = buf[off + 1];
		n = get16(buf + off + 2);
		off += 4;
		if (s >= DET_ENV_NSETS)
			ENV_ERR("envelope: unknown set %u", s);
		if (open > 1 || n > det_env_cap[s] - det_env_cap[s] / 4)
			ENV_ERR("envelope: set %s: %u members, at most %u",
				det_env_set_name(s), n,
				det_env_cap[s] - det_env_cap[s] / 4);
		if (off + 4u * n > len - 4)
			ENV_ERR("envelope: truncated in set %s",
					det_env_set_name(s));
		for (uint16_t i = 0; i < n; i++) {
			uint32_t v = get32(buf + off + 4u * i);

			if (v == 0 || det_envelope_add(&tmp, s, v) != 1)
				ENV_ERR("envelope: set %s: bad or repeated "
					"member %u", det_env_set_name(s), i);
		}
		tmp.set[s].open = open;
		off += 4u * n;
	}
	if (off != len - 4)
		ENV_ERR("envelope: %zu bytes after the sets", len - 4 - off);
	*env = tmp;
	return 0;
}

/* ---- the detector ---- */

/* In the envelope, or already reported (the envelope itself stays what
 * was learned: the beacon detector judges novelty by it). */
static bool
det_env_known(const struct det_dev *dv, enum det_env_set s, uint32_t v)
{
	if (det_envelope_has(&dv->env, s, v))
		return true;
	for (int i = 0; i < 32; i++)
		if (dv->env_reported[i] == (v ? v : 1) &&
				dv->env_reported_set[i] == s)
			return true;
	return false;
}

static void
det_env_report(struct det_dev *dv, enum det_env_set s, uint32_t v)
{
	dv->env_reported[dv->env_rep_head] = v ? v : 1;
	dv->env_reported_set[dv->env_rep_head] = (uint8_t)s;
	dv->env_rep_head = (uint8_t)((dv->env_rep_head + 1) % 32);
}

static void
det_env_deviate(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev, enum det_env_set s, uint32_t v,
		const char *what, struct det_dev *src_dv)
{
	const uint64_t win = e->c.env_window_ms * DET_MS;
	struct det_evidence evd;
	char key[96], ab[48], pb[8];
	bool fire;

	(void)src_dv;
	if (dv->env_window_start == 0 || ev->ts_us > dv->env_window_start + win) {
		dv->env_window_start = ev->ts_us;
		dv->env_new_dsts = 0;
		dv->env_hits_first = 0;
		dv->env_n_ex = 0;
		dv->env_n_pending = 0;
	}
	/* each novelty counts once per window, and is not reported twice */
	for (uint8_t i = 0; i < dv->env_n_pending; i++)
		if (dv->env_pending[i] == v && dv->env_pending_set[i] == s)
			return;
	if (dv->env_n_pending < 16) {
		dv->env_pending[dv->env_n_pending] = v;
		dv->env_pending_set[dv->env_n_pending++] = (uint8_t)s;
	}
	if (dv->env_n_ex < DET_EXAMPLES)
		det_example_of(&dv->env_ex[dv->env_n_ex++], ev);
	switch (s) {
	case DET_ENV_DST:
		fire = ++dv->env_new_dsts >= e->c.env_new_dsts;
		break;
	case DET_ENV_SVC:
		/* two new services within the window */
		fire = ++dv->env_hits_first >= 2;
		break;
	default:
		fire = true;
		break;
	}
	if (!fire || !det_armed(e, dv, DET_ENVELOPE, ev->ts_us))
		return;
	if (s == DET_ENV_DST)
		snprintf(key, sizeof(key), "destinations");
	else if (s == DET_ENV_PROTO)
		snprintf(key, sizeof(key), "%s",
				det_proto_name(ev->proto, pb, sizeof(pb)));
	else
		snprintf(key, sizeof(key), "%s/%u",
				det_proto_name(ev->proto, pb, sizeof(pb)),
				s == DET_ENV_LISTEN ? ev->dport : ev->dport);
	det_ev_init(&evd, what, key, s == DET_ENV_DST ? dv->env_new_dsts :
			s == DET_ENV_SVC ? dv->env_hits_first : 1,
			s == DET_ENV_DST ? e->c.env_new_dsts :
			s == DET_ENV_SVC ? 2 : 1, e->c.env_window_ms);
	for (uint32_t i = 0; i < dv->env_n_ex; i++)
		det_ev_add(&evd, dv->env_ex[i].ts_us, dv->env_ex[i].proto,
			dv->env_ex[i].src, dv->env_ex[i].sport,
			dv->env_ex[i].dst, dv->env_ex[i].dport);
	det_ev_detail(&evd, "learned_from_us=%llu learned_until_us=%llu "
		"source=%s last=%s", (unsigned long long)dv->env.start_us,
		(unsigned long long)dv->env.end_us,
		dv->env.source == DET_ENV_MUD ? "mud" :
		dv->env.source == DET_ENV_STORED ? "stored" : "learned",
		det_addr_str(ev->dst, ab, sizeof(ab)));
	det_raise(e, dv, DET_ENVELOPE, ev->ts_us, dv->env_ex[0].ts_us, &evd);
	for (uint8_t i = 0; i < dv->env_n_pending; i++)
		det_env_report(dv, dv->env_pending_set[i], dv->env_pending[i]);
	dv->env_n_pending = 0;
	dv->env_hits_first = 0;
	dv->env_new_dsts = 0;
	dv->env_n_ex = 0;
	dv->env_window_start = 0;
}

void
det_envelope_event(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev)
{
	struct det_dev *resp;
	uint32_t k;
	uint64_t name_h;

	if (det_addr_is_group(ev->dst) || (ev->flags & DET_EVF_L2_MCAST))
		return;
	if (ev->kind == DET_EV_ANSWERED && ev->proto == 6) {
		/* the responder accepted: a port it listens on (not a
		 * router's MAC: internet servers answer with it) */
		resp = det_dev_find(e, ev->peer_mac, ev->vlan);
		if (resp == NULL || !det_own_src(resp, ev->dst))
			return;
		k = det_env_port_key(ev->proto, ev->dport);
		if (det_learning(e, resp, ev->ts_us))
			det_envelope_add(&resp->env, DET_ENV_LISTEN, k);
		else if (resp->env.state == DET_ENV_COMPLETE &&
				!det_env_known(resp, DET_ENV_LISTEN, k))
			det_env_deviate(e, resp, ev, DET_ENV_LISTEN, k,
				"connections accepted on a port outside the "
				"envelope", dv);
		return;
	}
	/* A device's own traffic only: what a router's MAC carries from
	 * the internet is not its behaviour. */
	if (ev->kind != DET_EV_FLOW_NEW || (ev->flags & DET_EVF_MIDSTREAM) ||
			!det_own_src(dv, ev->src))
		return;
	/* ICMP use is its requests: errors and neighbour discovery come
	 * with other traffic */
	if ((ev->proto == 1 && ev->icmp_type != 8 && ev->icmp_type != 13) ||
			(ev->proto == 58 && ev->icmp_type != 128))
		return;
	if (det_learning(e, dv, ev->ts_us)) {
		if (ev->proto != 1 && ev->proto != 58)
			det_envelope_add(&dv->env, DET_ENV_PROTO, ev->proto);
		if (ev->proto == 6 || ev->proto == 17 || ev->proto == 132)
			det_envelope_add(&dv->env, DET_ENV_SVC,
				det_env_port_key(ev->proto, ev->dport));
		det_envelope_add(&dv->env, DET_ENV_DST,
				det_env_prefix_key(ev->dst));
		return;
	}
	if (dv->env.state != DET_ENV_COMPLETE)
		return;
	/* pings are no protocol of their own: a DHCP server checks an
	 * address with one; sweeps and floods have their detectors */
	if (ev->proto != 1 && ev->proto != 58 &&
			!det_env_known(dv, DET_ENV_PROTO, ev->proto))
		det_env_deviate(e, dv, ev, DET_ENV_PROTO, ev->proto,
				"a protocol outside the envelope", NULL);
	if ((ev->proto == 6 || ev->proto == 17 || ev->proto == 132) &&
			!det_env_known(dv, DET_ENV_SVC,
				(k = det_env_port_key(ev->proto, ev->dport))))
		det_env_deviate(e, dv, ev, DET_ENV_SVC, k,
				"services outside the envelope", NULL);
	k = det_env_prefix_key(ev->dst);
	if (det_env_known(dv, DET_ENV_DST, k))
		return;
	/* reached by a name it was learned with: still inside */
	name_h = det_dns_resolved(dv, ev->dst, ev->ts_us);
	if (name_h != 0 && dv->env.set[DET_ENV_NAME].n > 0) {
		if (det_envelope_has(&dv->env, DET_ENV_NAME,
				(uint32_t)name_h) || det_envelope_has(&dv->env,
				DET_ENV_NAME, (uint32_t)name_h & ~1u))
			return;
	}
	det_env_deviate(e, dv, ev, DET_ENV_DST, k,
			"destination prefixes outside the envelope", NULL);
}
