/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Device identity aggregation (fp_identity.h). Each observation is cut into
 * the strings the signature classes are matched against (fp_sig.h):
 *
 *   DHCP 12/81, DHCPv6 39, mDNS host and instance names,
 *   UPnP friendly/model names, LLDP system name   -> hostname
 *   DHCP 60, DHCPv6 16                             -> dhcp_vendor
 *   DNS questions, TLS/QUIC SNI, HTTP Host         -> domain
 *   SSDP NT (NOTIFY) and ST (answers), UPnP <deviceType> -> upnp_type
 *   ... and so on, one class per kind of clue.
 *
 * Only what a device says about itself counts: DNS answers, DHCP server
 * replies, the answer section of mDNS queries (known answers are other
 * devices' records) and HTTP responses or SYN+ACKs from non-LAN addresses
 * (a router forwarding the Internet) are not evidence about their sender.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fp_behav.h"
#include "fp_identity.h"
#include "fp_json.h"
#include "fp_oui.h"
#include "fp_p0f.h"
#include "fp_sig.h"
#include "fp_tls.h"
#include "fp_type.h"
#include "util_array.h"
#include "util_hash.h"
#include "util_mac.h"

/* Traffic-shape thresholds (README.md, "Traffic shape"). */
#define SHAPE_BUSY_BYTES 30000		/* a "busy" second: >= 30 kB */
#define SHAPE_STREAM_SECS 10		/* busy seconds for a stream */
#define SHAPE_QUIET_SECS 120		/* observed span for "heartbeat" */
#define SHAPE_QUIET_RATE 1000		/* bytes/s both ways at most */

/*
 * The device table. A device record is some 8.5 KiB (its evidence and
 * candidates), so records come in blocks of FP_ID_BLOCK as devices do, up
 * to cap: all cap of them at creation were 556 MB of address space for a
 * dataplane's default 65,536 devices, which a CPE with strict overcommit
 * refuses however few devices it serves. What creation takes is the index
 * (open addressing by MAC, at most half full, so a probe always ends) and
 * the free stack: 12 bytes a device. Pruning frees records for reuse and
 * rebuilds the index in place: it allocates nothing.
 */
#define FP_ID_BLOCK 256u

struct fp_identity {
	struct fp_sig_db *sigs;
	struct fp_oui *oui;
	struct fp_p0f_db *p0f;
	uint32_t cap, n;
	uint32_t mask;		/* index slots - 1, a power of two >= 2 cap */
	uint32_t *idx;		/* record + 1 by MAC hash; 0: empty */
	struct fp_device **block; /* [cap / FP_ID_BLOCK, rounded up] */
	uint32_t made;		/* records handed out at least once */
	uint32_t *free;		/* records pruned, for reuse: a stack */
	uint32_t n_free;
};

static struct fp_device *rec(const struct fp_identity *id, uint32_t r)
{
	return &id->block[r / FP_ID_BLOCK][r % FP_ID_BLOCK];
}

static const char *const attr_names[FP_ATTR__MAX] = {
	"vendor", "type", "os", "model", "firmware", "software",
};

static const char *const source_names[FP_EV__MAX] = {
	[FP_EV_OUI] = "oui",
	[FP_EV_DHCP_HOSTNAME] = "dhcp_hostname",
	[FP_EV_DHCP_FQDN] = "dhcp_fqdn",
	[FP_EV_DHCP_VENDOR] = "dhcp_vendor",
	[FP_EV_DHCP_PARAMS] = "dhcp_params",
	[FP_EV_DHCPV6_VENDOR] = "dhcpv6_vendor",
	[FP_EV_DHCPV6_ENTERPRISE] = "dhcpv6_enterprise",
	[FP_EV_DHCPV6_FQDN] = "dhcpv6_fqdn",
	[FP_EV_MDNS_HOST] = "mdns_host",
	[FP_EV_MDNS_INSTANCE] = "mdns_instance",
	[FP_EV_MDNS_SERVICE] = "mdns_service",
	[FP_EV_MDNS_TXT] = "mdns_txt",
	[FP_EV_SSDP_SERVER] = "ssdp_server",
	[FP_EV_SSDP_TYPE] = "ssdp_type",
	[FP_EV_SSDP_SEARCH] = "ssdp_search",
	[FP_EV_HTTP_UA] = "http_user_agent",
	[FP_EV_HTTP_SERVER] = "http_server",
	[FP_EV_HTTP_HOST] = "http_host",
	[FP_EV_HTTP_URL] = "http_url",
	[FP_EV_UPNP_DESC] = "upnp_description",
	[FP_EV_DNS] = "dns",
	[FP_EV_SNI] = "tls_sni",
	[FP_EV_JA4] = "ja4",
	[FP_EV_JA3] = "ja3",
	[FP_EV_P0F] = "p0f",
	[FP_EV_LLDP] = "lldp",
	[FP_EV_DISCOVERY] = "discovery",
	[FP_EV_SERVICE] = "service",
	[FP_EV_BEHAVIOUR] = "behaviour",
};

const char *fp_attr_name(int attr)
{
	return attr >= 0 && attr < FP_ATTR__MAX ? attr_names[attr] : "?";
}

const char *fp_ev_source_name(int source)
{
	return source >= 0 && source < FP_EV__MAX ? source_names[source] : "?";
}

/* Bounded string copy (always NUL-terminated, truncates on a UTF-8
 * character boundary). */
static void scpy(char *d, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);

	if (s[n] != '\0')
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;	/* do not cut a character in two */
	memcpy(d, s, n);
	d[n] = '\0';
}

/* Printable, valid UTF-8 copy of a counted wire string: what devices say
 * ends up in JSON and protobuf strings. */
static void clean(char *out, size_t cap, const char *s, size_t len)
{
	fp_utf8_clean(out, cap, s, len);
}

static void cleans(char *out, size_t cap, const char *s)
{
	clean(out, cap, s, strlen(s));
}

/* --- create / destroy -------------------------------------------------- */

struct fp_identity *fp_identity_create(const struct fp_identity_config *cfg)
{
	struct fp_identity *id = calloc(1, sizeof(*id));
	char dummy[8];
	char *err = cfg->err ? cfg->err : dummy;
	size_t errcap = cfg->err ? cfg->err_cap : sizeof(dummy);

	if (errcap)
		err[0] = '\0';
	if (!id)
		goto nomem;
	id->cap = cfg->max_devices ? cfg->max_devices : 4096;
	if (id->cap < 16)
		id->cap = 16;
	if (id->cap > FP_IDENTITY_MAX_DEVICES) {
		snprintf(err, errcap, "%u device identities: at most %u",
				cfg->max_devices, FP_IDENTITY_MAX_DEVICES);
		fp_identity_destroy(id);
		return NULL;
	}
	for (id->mask = 1; id->mask < 2 * id->cap; id->mask <<= 1)
		;
	id->idx = calloc(id->mask, sizeof(*id->idx));
	id->mask--;
	id->block = calloc((id->cap + FP_ID_BLOCK - 1) / FP_ID_BLOCK,
			sizeof(*id->block));
	id->free = calloc(id->cap, sizeof(*id->free));
	if (!id->idx || !id->block || !id->free)
		goto nomem;
	if (cfg->signatures && fp_sig_load(&id->sigs, cfg->signatures, err,
				errcap) < 0) {
		fp_identity_destroy(id);
		return NULL;
	}
	if (cfg->oui_dir)
		id->oui = fp_oui_load(cfg->oui_dir);
	if (id->oui && cfg->manuf)
		fp_oui_load_manuf(id->oui, cfg->manuf);
	if (cfg->p0f_db)
		id->p0f = fp_p0f_db_load(cfg->p0f_db);
	return id;
nomem:
	snprintf(err, errcap, "out of memory for %u device identities",
			cfg->max_devices);
	fp_identity_destroy(id);
	return NULL;
}

void fp_identity_destroy(struct fp_identity *id)
{
	if (!id)
		return;
	fp_sig_free(id->sigs);
	fp_oui_free(id->oui);
	fp_p0f_db_free(id->p0f);
	for (uint32_t b = 0; id->block && b < id->made; b += FP_ID_BLOCK)
		free(id->block[b / FP_ID_BLOCK]);
	free(id->block);
	free(id->idx);
	free(id->free);
	free(id);
}

size_t fp_identity_rule_count(const struct fp_identity *id)
{
	return fp_sig_count(id->sigs);
}

const struct fp_sig_db *fp_identity_sigs(const struct fp_identity *id)
{
	return id->sigs;
}

bool fp_identity_p0f_label(const struct fp_identity *id,
		const struct fp_obs *o, char *label, size_t cap, bool *generic)
{
	struct fp_p0f_pkt p;

	if (!id->p0f || (o->kind != FP_OBS_TCP_SYN &&
				o->kind != FP_OBS_TCP_SYNACK))
		return false;
	fp_p0f_from_obs(&o->u.tcp, &p);
	return fp_p0f_db_match(id->p0f, o->kind == FP_OBS_TCP_SYN, &p,
			o->u.tcp.syn_mss, label, cap, generic);
}

const char *fp_identity_mac_vendor(const struct fp_identity *id,
		const uint8_t mac[6])
{
	return fp_oui_lookup(id->oui, mac);
}

/* --- the device table -------------------------------------------------- */

static bool used(const struct fp_device *d)
{
	return d->first_us != 0 || d->n_obs != 0;
}

static uint32_t mac_hash(const uint8_t m[6])
{
	return util_hash_fnv32(UTIL_HASH_FNV32_INIT, m, 6);
}

/* The index slot of m: its device's, or the empty one where it would go. */
static uint32_t *slot_of(const struct fp_identity *id, const uint8_t m[6])
{
	uint32_t i = mac_hash(m) & id->mask;

	while (id->idx[i] != 0 && memcmp(rec(id, id->idx[i] - 1)->mac, m, 6))
		i = (i + 1) & id->mask;
	return &id->idx[i];
}

const struct fp_device *fp_identity_get(const struct fp_identity *id,
		const uint8_t mac[6])
{
	uint32_t v = *slot_of(id, mac);

	return v != 0 ? rec(id, v - 1) : NULL;
}

static void add_evidence(struct fp_device *d, int source, const char *seen,
		int attr, const char *value, uint8_t conf, bool generic,
		const char *rule);

/* The registry's word on a new device: its organisation, unless a rule
 * about that organisation says better (brand, module maker). */
static void oui_evidence(struct fp_identity *id, struct fp_device *d);

/* Forget the older half of the devices (by last sight) when the table is
 * full: their records go to the free stack, and the index is rebuilt in
 * place with those that stay. Once per cap/2 new devices. */
static void table_prune(struct fp_identity *id)
{
	uint64_t min = UINT64_MAX, max = 0, cut;

	for (uint32_t r = 0; r < id->made; r++) {
		const struct fp_device *d = rec(id, r);

		if (!used(d))
			continue;
		if (d->last_us < min)
			min = d->last_us;
		if (d->last_us > max)
			max = d->last_us;
	}
	cut = min + (max - min) / 2;
	memset(id->idx, 0, ((size_t)id->mask + 1) * sizeof(*id->idx));
	for (uint32_t r = 0; r < id->made; r++) {
		struct fp_device *d = rec(id, r);

		if (!used(d))
			continue;
		if (d->last_us <= cut) {
			memset(d, 0, sizeof(*d));
			id->free[id->n_free++] = r;
			id->n--;
			continue;
		}
		*slot_of(id, d->mac) = r + 1;
	}
}

/* A record for a new device: a pruned one, or the next, in a new block
 * when the last is full. UINT32_MAX: out of memory. */
static uint32_t rec_new(struct fp_identity *id)
{
	uint32_t r;

	if (id->n_free > 0)
		return id->free[--id->n_free];
	r = id->made;
	if (r % FP_ID_BLOCK == 0) {
		id->block[r / FP_ID_BLOCK] = calloc(FP_ID_BLOCK,
				sizeof(struct fp_device));
		if (!id->block[r / FP_ID_BLOCK])
			return UINT32_MAX;
	}
	id->made++;
	return r;
}

static struct fp_device *dev_get(struct fp_identity *id, const uint8_t m[6],
		uint64_t ts)
{
	uint32_t *slot = slot_of(id, m);
	struct fp_device *d;
	uint32_t r;

	if (*slot != 0)
		return rec(id, *slot - 1);
	if (id->n + 1 >= id->cap) {
		table_prune(id);
		slot = slot_of(id, m);
	}
	r = rec_new(id);
	if (r == UINT32_MAX)
		return NULL;
	*slot = r + 1;
	d = rec(id, r);
	memset(d, 0, sizeof(*d));
	memcpy(d->mac, m, 6);
	d->first_us = ts ? ts : 1;
	d->last_us = d->first_us;
	d->random_mac = (m[0] & 0x02) != 0;
	id->n++;
	oui_evidence(id, d);
	return d;
}

/* --- evidence and candidates ------------------------------------------ */

/* "Apple, Inc." -> "Apple", "Seiko Epson Corporation" -> "Seiko Epson":
 * registry names carry legal suffixes that signatures do not. */
static void vendor_norm(char *out, size_t cap, const char *in)
{
	static const char *const suffix[] = {
		"inc", "inc.", "incorporated", "corporation", "corp", "corp.",
		"corporate", "co", "co.", "ltd", "ltd.", "limited", "llc",
		"gmbh", "ag", "sa", "s.a.", "b.v.", "bv", "oy", "ab", "plc",
		"s.p.a.", "pty", "technologies", "technology", "co.ltd",
		"co.,ltd", "co.,ltd.", "international",
	};
	char *c, *sp;
	bool again = true;

	scpy(out, cap, in);
	c = strchr(out, ',');
	if (c)
		*c = '\0';
	while (again) {
		again = false;
		sp = strrchr(out, ' ');
		if (!sp)
			break;
		for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
			if (!strcasecmp(sp + 1, suffix[i])) {
				*sp = '\0';
				again = true;
				break;
			}
		}
	}
	sp = out + strlen(out);
	while (sp > out && (sp[-1] == ' ' || sp[-1] == '.'))
		*--sp = '\0';
	if (!out[0])
		scpy(out, cap, in);
}

static bool word_end(char c)
{
	return !isalnum((unsigned char)c);
}

/* Same value: equal, or (vendor) one is the other plus more words
 * ("Raspberry Pi" / "Raspberry Pi Trading"), or (model, firmware) one is
 * the other with a suffix ("HS110" / "HS110(FR)"). */
static bool same_value(int attr, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (!strcasecmp(a, b))
		return true;
	if (attr != FP_ATTR_VENDOR && attr != FP_ATTR_MODEL &&
			attr != FP_ATTR_FIRMWARE)
		return false;
	if (la > lb)
		return !strncasecmp(a, b, lb) && word_end(a[lb]) &&
			(attr != FP_ATTR_VENDOR || a[lb] == ' ');
	return !strncasecmp(a, b, la) && word_end(b[la]) &&
		(attr != FP_ATTR_VENDOR || b[la] == ' ');
}

/* Clues from the names a device contacts: on a phone or computer they are
 * its apps' clouds, not its own maker's. */
static bool cloud_source(int source)
{
	return source == FP_EV_DNS || source == FP_EV_SNI ||
		source == FP_EV_HTTP_HOST || source == FP_EV_HTTP_URL;
}

static void add_evidence(struct fp_device *d, int source, const char *seen,
		int attr, const char *value, uint8_t conf, bool generic,
		const char *rule)
{
	struct fp_evidence *e;
	struct fp_candidate *c = NULL;
	char norm[FP_EV_VAL_MAX], utf[FP_EV_VAL_MAX];
	float p;

	if (!value[0] || conf == 0 || attr < 0 || attr >= FP_ATTR__MAX)
		return;
	/* a value cut from wire text by a pattern may split a character */
	cleans(utf, sizeof(utf), value);
	value = utf;
	if (!value[0])
		return;
	if (attr == FP_ATTR_VENDOR) {
		vendor_norm(norm, sizeof(norm), value);
		value = norm;
	}
	/* One clue counts once, however often it is repeated. */
	for (uint16_t i = 0; i < d->n_ev; i++) {
		e = &d->ev[i];
		if (e->attr == attr && !strncmp(e->rule, rule,
					sizeof(e->rule) - 1) &&
				!strncmp(e->value, value, sizeof(e->value) - 1)) {
			if (e->hits < UINT16_MAX)
				e->hits++;
			return;
		}
	}
	if (d->n_ev < FP_DEV_MAX_EV) {
		e = &d->ev[d->n_ev++];
		e->source = (uint8_t)source;
		cleans(e->seen, sizeof(e->seen), seen);
		e->attr = (uint8_t)attr;
		scpy(e->value, sizeof(e->value), value);
		e->confidence = conf;
		e->generic = generic;
		e->hits = 1;
		scpy(e->rule, sizeof(e->rule), rule);
	} else if (d->ev_dropped < UINT16_MAX) {
		d->ev_dropped++;	/* still counted in the candidates */
	}
	for (uint8_t i = 0; i < d->n_cand[attr] && !c; i++)
		if (same_value(attr, d->cand[attr][i].value, value))
			c = &d->cand[attr][i];
	if (c) {
		/* vendors: the shorter name; models: the fuller one */
		size_t lc = strlen(c->value), lv = strlen(value);

		if ((attr == FP_ATTR_VENDOR && lv < lc) ||
				((attr == FP_ATTR_MODEL ||
				  attr == FP_ATTR_FIRMWARE) && lv > lc))
			scpy(c->value, sizeof(c->value), value);
	} else {
		if (d->n_cand[attr] >= FP_DEV_MAX_CAND) {
			/* replace the weakest if this clue is stronger */
			struct fp_candidate *w = &d->cand[attr][0];

			for (uint8_t i = 1; i < FP_DEV_MAX_CAND; i++)
				if (d->cand[attr][i].spec +
						d->cand[attr][i].gen <
						w->spec + w->gen)
					w = &d->cand[attr][i];
			if (w->spec + w->gen >= conf / 100.0f)
				return;
			c = w;
		} else {
			c = &d->cand[attr][d->n_cand[attr]++];
		}
		scpy(c->value, sizeof(c->value), value);
		c->spec = c->gen = 0;
	}
	p = conf / 100.0f;
	if (generic)
		c->gen = 1.0f - (1.0f - c->gen) * (1.0f - p);
	else if (cloud_source(source))
		c->cloud = 1.0f - (1.0f - c->cloud) * (1.0f - p);
	else
		c->spec = 1.0f - (1.0f - c->spec) * (1.0f - p);
}

/*
 * Conflict resolution (README.md, "Combining evidence"):
 *  - a candidate's score combines its specific clues, plus its generic
 *    clues at half weight when any candidate has a specific clue (a
 *    specific clue beats generic ones);
 *  - the names a device contacts (DNS, SNI, HTTP) are specific clues,
 *    except on a phone, tablet or computer (cloud_counts()): there they
 *    are its apps' clouds;
 *  - the winner is the best score; its confidence is its odds against
 *    the field: o_w / (1 + sum of all odds), o = s / (1 - s). With no
 *    rival this is the score itself; every rival lowers it.
 */
static float cand_score(const struct fp_candidate *c, bool any_spec,
		bool cloud)
{
	float g = any_spec ? c->gen * 0.5f : c->gen;
	float s = 1.0f - (1.0f - c->spec) * (1.0f - (cloud ? c->cloud : 0)) *
		(1.0f - g);

	return s > 0.99f ? 0.99f : s;
}

static void rank_with(const struct fp_device *dev, int attr, bool cloud,
		int *best, int *second, uint8_t *conf, uint8_t *conf2)
{
	bool any_spec = false;
	float sb = -1, s2 = -1, odds = 0;

	*best = *second = -1;
	*conf = *conf2 = 0;
	for (uint8_t i = 0; i < dev->n_cand[attr]; i++)
		any_spec |= dev->cand[attr][i].spec > 0 ||
			(cloud && dev->cand[attr][i].cloud > 0);
	for (uint8_t i = 0; i < dev->n_cand[attr]; i++) {
		float s = cand_score(&dev->cand[attr][i], any_spec, cloud);

		if (s <= 0)
			continue;
		odds += s / (1.0f - s);
		if (s > sb) {
			s2 = sb;
			*second = *best;
			sb = s;
			*best = i;
		} else if (s > s2) {
			s2 = s;
			*second = i;
		}
	}
	if (*best < 0)
		return;
	*conf = (uint8_t)lrintf(100.0f * (sb / (1.0f - sb)) / (1.0f + odds));
	if (*second >= 0)
		*conf2 = (uint8_t)lrintf(100.0f * (s2 / (1.0f - s2)) /
				(1.0f + odds));
}

static bool user_type(const struct fp_device *dev, bool cloud, uint8_t min)
{
	int b, s;
	uint8_t c, c2;
	enum fp_type t;

	rank_with(dev, FP_ATTR_TYPE, cloud, &b, &s, &c, &c2);
	if (b < 0 || c < min)
		return false;
	t = fp_type_parse(dev->cand[FP_ATTR_TYPE][b].value);
	return t == FP_TYPE_PHONE || t == FP_TYPE_TABLET ||
		t == FP_TYPE_COMPUTER;
}

/* Whether the names a device contacts count for attr: not on a phone,
 * tablet or computer, whose contacted names are its apps'. Such a device
 * is one whose own clues make it one (40 % or more), or whose clues with
 * the contacted names do (50 % or more); in the latter case the names
 * still count for its type, as they are what tells it. */
static bool cloud_counts(const struct fp_device *dev, int attr)
{
	if (attr == FP_ATTR_SOFTWARE)
		return true;
	if (user_type(dev, false, 40))
		return false;
	if (attr == FP_ATTR_TYPE)
		return true;
	return !user_type(dev, true, 50);
}

static void rank(const struct fp_device *dev, int attr, int *best,
		int *second, uint8_t *conf, uint8_t *conf2)
{
	rank_with(dev, attr, cloud_counts(dev, attr), best, second, conf,
			conf2);
}

/* The winner (second false) or the runner-up of an attribute. */
static const char *attr_pick(const struct fp_device *dev, int attr,
		bool second, uint8_t *confidence)
{
	int b, s;
	uint8_t c1, c2;

	*confidence = 0;
	if (attr < 0 || attr >= FP_ATTR__MAX)
		return NULL;
	rank(dev, attr, &b, &s, &c1, &c2);
	*confidence = second ? c2 : c1;
	if (second)
		return s >= 0 ? dev->cand[attr][s].value : NULL;
	return b >= 0 ? dev->cand[attr][b].value : NULL;
}

const char *fp_device_attr(const struct fp_device *dev, int attr,
		uint8_t *confidence)
{
	return attr_pick(dev, attr, false, confidence);
}

const char *fp_device_attr_second(const struct fp_device *dev, int attr,
		uint8_t *confidence)
{
	return attr_pick(dev, attr, true, confidence);
}

uint8_t fp_device_tls_flags(const struct fp_device *dev)
{
	uint8_t f = dev->tls_flags & ~(FP_TLS_SSL3_MAX | FP_TLS_TLS10_MAX);

	if (dev->tls_hellos == 0)
		return 0;
	if (dev->tls_max_version <= 0x0300)
		f |= FP_TLS_SSL3_MAX;
	else if (dev->tls_max_version == 0x0301)
		f |= FP_TLS_TLS10_MAX;
	return f;
}

/* --- matching observations against the signatures ---------------------- */

struct hit_ctx {
	struct fp_device *d;
	int source;
};

static bool has_vendor(const struct fp_device *d, const char *v)
{
	char norm[FP_EV_VAL_MAX];

	vendor_norm(norm, sizeof(norm), v);
	for (uint8_t i = 0; i < d->n_cand[FP_ATTR_VENDOR]; i++)
		if (same_value(FP_ATTR_VENDOR, d->cand[FP_ATTR_VENDOR][i].value,
					norm))
			return true;
	return false;
}

static void on_hit(const struct fp_sig_rule *r, const char *s,
		const int caps[FP_RE_NCAP], void *arg)
{
	struct hit_ctx *h = arg;

	if (r->if_vendor && !has_vendor(h->d, r->if_vendor))
		return;

	for (uint8_t k = 0; k < r->n_set; k++) {
		char val[FP_EV_VAL_MAX];

		fp_sig_expand(r->set[k].value, s, caps, val, sizeof(val));
		add_evidence(h->d, h->source, s, r->set[k].attr, val,
				r->set[k].conf, r->generic, r->id);
	}
}

static uint32_t str_hash(int cls, int source, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)(cls << 8 | source);

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h ? h : 1;
}

static void apply(struct fp_identity *id, struct fp_device *d, int cls,
		int source, const char *s)
{
	struct hit_ctx h = { .d = d, .source = source };
	uint32_t hs;

	if (!id->sigs || !s || !s[0])
		return;
	hs = str_hash(cls, source, s);
	for (int i = 0; i < FP_DEV_RECENT; i++)
		if (d->recent[i] == hs)
			return;		/* matched already */
	d->recent[d->recent_pos] = hs;
	d->recent_pos = (uint8_t)((d->recent_pos + 1) % FP_DEV_RECENT);
	fp_sig_match(id->sigs, cls, s, on_hit, &h);
}

static void oui_evidence(struct fp_identity *id, struct fp_device *d)
{
	static const uint8_t zero[6];
	const char *org = fp_oui_lookup(id->oui, d->mac);
	bool brand = false;

	/* all zeros: a placeholder in synthetic captures, not Xerox's */
	if (!org || !strcasecmp(org, "Private") || !memcmp(d->mac, zero, 6))
		return;
	apply(id, d, FP_SC_OUI, FP_EV_OUI, org);
	for (uint16_t i = 0; i < d->n_ev; i++)
		brand |= d->ev[i].source == FP_EV_OUI &&
			d->ev[i].attr == FP_ATTR_VENDOR;
	if (!brand)
		add_evidence(d, FP_EV_OUI, org, FP_ATTR_VENDOR, org, 55, true,
				"ieee-data");
}

/* RFC 1918, RFC 6598 shared, link-local, ULA and loopback: a source that
 * is a device on the LAN rather than the Internet behind a router. */
static bool lan_addr(const struct fp_addr *a)
{
	const uint8_t *b = a->a;

	if (a->family == 4)
		return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
			(b[0] == 192 && b[1] == 168) ||
			(b[0] == 169 && b[1] == 254) || b[0] == 127;
	if (a->family == 6)
		return (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
			(b[0] & 0xfe) == 0xfc;
	return false;
}

/* The host label of a ".local" name: "Lucas-iMac" of "Lucas-iMac.local". */
static bool local_host(const char *name, char *out, size_t cap)
{
	size_t l = strlen(name);
	const char *dot = strchr(name, '.');

	if (l < 7 || strcasecmp(name + l - 6, ".local") || !dot ||
			dot != name + l - 6)
		return false;
	clean(out, cap, name, (size_t)(dot - name));
	return out[0] != '\0';
}

/* "Kitchen._googlecast._tcp.local": instance "Kitchen", service
 * "_googlecast._tcp". Instance labels may hold dots; the service is the
 * last two labels before the domain. */
static bool service_name(const char *name, char *inst, size_t icap,
		char *svc, size_t scap)
{
	const char *p = strstr(name, "._tcp."), *q = NULL;

	if (!p)
		p = strstr(name, "._udp.");
	if (!p)
		return false;
	for (const char *x = name; x < p; x++)
		if (x[0] == '.' && x[1] == '_')
			q = x;
	if (!q) {
		if (name[0] != '_')
			return false;
		q = name - 1;	/* bare service type "_hue._tcp.local" */
	}
	clean(svc, scap, q + 1, (size_t)(p + 5 - (q + 1)));
	if (q >= name)
		clean(inst, icap, name, (size_t)(q - name));
	else
		inst[0] = '\0';
	return true;
}

static void mdns_name(struct fp_identity *id, struct fp_device *d,
		const char *name)
{
	char inst[FP_STR_MAX], svc[64];

	if (!service_name(name, inst, sizeof(inst), svc, sizeof(svc)))
		return;
	if (!strcmp(svc, "_services._dns-sd._udp"))
		return;
	/* "_sub" types ("_printer._sub._http._tcp") name a subtype */
	apply(id, d, FP_SC_MDNS_SERVICE, FP_EV_MDNS_SERVICE, svc);
	if (inst[0] && strncmp(inst, "_", 1))
		apply(id, d, FP_SC_HOSTNAME, FP_EV_MDNS_INSTANCE, inst);
}

/* A response whose address records all name other addresses than its
 * sender's is a proxy's (a Bonjour Sleep Proxy answers for sleeping Macs):
 * none of it is about the sender. */
static bool mdns_proxied(const struct fp_obs *o)
{
	const struct fp_dns *m = &o->u.dns;
	bool any = false;

	for (int i = 0; i < m->n_rr; i++) {
		const struct fp_addr *a = &m->rr[i].addr;

		if ((m->rr[i].type != 1 && m->rr[i].type != 28) || !a->family)
			continue;
		any = true;
		if (a->family == o->src.family &&
				!memcmp(a->a, o->src.a, a->family == 4 ? 4 : 16))
			return false;
		if (a->family != o->src.family)
			return false;	/* the other family: cannot tell */
	}
	return any;
}

static void mdns_evidence(struct fp_identity *id, struct fp_device *d,
		const struct fp_obs *o)
{
	const struct fp_dns *m = &o->u.dns;
	char host[FP_STR_MAX];

	if (mdns_proxied(o))
		return;
	for (int i = 0; i < m->n_rr; i++) {
		const struct fp_dns_rr *r = &m->rr[i];

		/* a query's answers are known answers from others */
		if (!m->qr && r->section != 2)
			continue;
		if ((r->type == 1 || r->type == 28) &&
				local_host(r->name, host, sizeof(host))) {
			apply(id, d, FP_SC_HOSTNAME, FP_EV_MDNS_HOST, host);
			if (!d->hostname[0])
				scpy(d->hostname, sizeof(d->hostname), host);
			continue;
		}
		if (r->type == 12) {
			if (strstr(r->name, ".arpa"))
				continue;
			if (!strncmp(r->name, "_services._dns-sd._udp", 22)) {
				mdns_name(id, d, r->data);
				continue;
			}
			mdns_name(id, d, r->data);
			continue;
		}
		if (r->type == 33 || r->type == 16)
			mdns_name(id, d, r->name);
		if (r->type == 33 && local_host(r->data, host, sizeof(host)))
			apply(id, d, FP_SC_HOSTNAME, FP_EV_MDNS_HOST, host);
	}
	if (m->qr || m->n_rr)
		for (int i = 0; i < m->n_txt; i++) {
			char t[FP_STR_MAX];

			cleans(t, sizeof(t), m->txt[i]);
			apply(id, d, FP_SC_MDNS_TXT, FP_EV_MDNS_TXT, t);
		}
}

/* "urn:schemas-upnp-org:device:MediaRenderer:1" and friends; the USN form
 * "uuid:...::urn:..." gives its urn part. */
static void upnp_type(struct fp_identity *id, struct fp_device *d,
		int source, const char *s)
{
	const char *u = strstr(s, "::urn:");
	char t[FP_STR_MAX];

	cleans(t, sizeof(t), u ? u + 2 : s);
	if (!strncasecmp(t, "urn:", 4))
		apply(id, d, FP_SC_UPNP_TYPE, source, t);
	/* the uuid part of a USN: some vendors put the product in it
	 * ("uuid:Insight-1_0-<serial>") */
	if (!strncasecmp(s, "uuid:", 5)) {
		size_t l = u ? (size_t)(u - s) : strlen(s);

		clean(t, sizeof(t), s, l);
		apply(id, d, FP_SC_UPNP_TYPE, source, t);
	}
}

static bool ip_literal(const char *h)
{
	return strspn(h, "0123456789.:[]") == strlen(h);
}

static void http_request(struct fp_identity *id, struct fp_device *d,
		const struct fp_text *t)
{
	char host[FP_STR_MAX], url[FP_STR_MAX * 2];
	char *colon;

	apply(id, d, FP_SC_HTTP_UA, FP_EV_HTTP_UA, t->user_agent);
	cleans(host, sizeof(host), t->host);
	colon = strrchr(host, ':');
	if (colon && !strchr(host, ']') && strchr(host, ':') == colon)
		*colon = '\0';	/* host:port */
	if (host[0] && !ip_literal(host))
		apply(id, d, FP_SC_DOMAIN, FP_EV_HTTP_HOST, host);
	if (t->uri[0]) {
		snprintf(url, sizeof(url), "%s%s", host, t->uri);
		cleans(host, sizeof(host), url);	/* bounded copy */
		apply(id, d, FP_SC_HTTP_URL, FP_EV_HTTP_URL, host);
	}
}

/* A UPnP description or Server header from a LAN device: its own. */
static void http_response(struct fp_identity *id, struct fp_device *d,
		const struct fp_text *t)
{
	char v[FP_EV_VAL_MAX];

	apply(id, d, FP_SC_HTTP_SERVER, FP_EV_HTTP_SERVER, t->server);
	if (t->manufacturer[0]) {
		cleans(v, sizeof(v), t->manufacturer);
		add_evidence(d, FP_EV_UPNP_DESC, t->manufacturer,
				FP_ATTR_VENDOR, v, 70, false, "upnp-description");
	}
	if (t->model_name[0] || t->model_number[0]) {
		char m[2 * 128 + 2];

		/* "Philips hue bridge 2015" + "BSB002" */
		if (t->model_name[0] && t->model_number[0] &&
				!strstr(t->model_name, t->model_number))
			snprintf(m, sizeof(m), "%s %s", t->model_name,
					t->model_number);
		else
			snprintf(m, sizeof(m), "%s", t->model_name[0] ?
					t->model_name : t->model_number);
		cleans(v, sizeof(v), m);
		add_evidence(d, FP_EV_UPNP_DESC, m, FP_ATTR_MODEL, v, 65,
				false, "upnp-description");
	}
	if (t->firmware[0]) {
		cleans(v, sizeof(v), t->firmware);
		add_evidence(d, FP_EV_UPNP_DESC, t->firmware, FP_ATTR_FIRMWARE,
				v, 70, false, "upnp-description");
	}
	apply(id, d, FP_SC_HOSTNAME, FP_EV_UPNP_DESC, t->model_name);
	apply(id, d, FP_SC_HOSTNAME, FP_EV_UPNP_DESC, t->model_desc);
	apply(id, d, FP_SC_HOSTNAME, FP_EV_UPNP_DESC, t->friendly_name);
	if (t->device_type[0])
		upnp_type(id, d, FP_EV_UPNP_DESC, t->device_type);
}

/* "s:unix:Linux:3.11 and newer" -> os "Linux". */
static void p0f_evidence(struct fp_device *d, const char *label, bool generic,
		const char *sig)
{
	char buf[96], *f[4], *save = NULL, *t;
	int n = 0;

	scpy(buf, sizeof(buf), label);
	for (t = strtok_r(buf, ":", &save); t && n < 4;
			t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	if (n < 3)
		return;
	add_evidence(d, FP_EV_P0F, sig, FP_ATTR_OS, f[2], generic ? 25 : 45,
			true, "p0f.fp");
}

static void service_evidence(struct fp_identity *id, struct fp_device *d,
		uint16_t port)
{
	char s[16];

	for (uint8_t i = 0; i < d->n_svc; i++)
		if (d->svc[i] == port)
			return;
	if (d->n_svc < FP_DEV_MAX_SVC)
		d->svc[d->n_svc++] = port;
	snprintf(s, sizeof(s), "tcp/%u", port);
	apply(id, d, FP_SC_SERVICE, FP_EV_SERVICE, s);
}

/* DHCP option 81 / DHCPv6 option 39: the host part is a host name. */
static void fqdn_evidence(struct fp_identity *id, struct fp_device *d,
		const struct fp_str *fqdn, int source)
{
	char tmp[FP_STR_MAX], *dot;

	clean(tmp, sizeof(tmp), fqdn->s, fqdn->len);
	if (!tmp[0])
		return;
	dot = strchr(tmp, '.');
	if (dot)
		*dot = '\0';
	if (!d->hostname[0])
		scpy(d->hostname, sizeof(d->hostname), tmp);
	apply(id, d, FP_SC_HOSTNAME, source, tmp);
}

static void mud_evidence(struct fp_device *d, const struct fp_str *url,
		const char *where)
{
	char tmp[FP_STR_MAX];

	clean(tmp, sizeof(tmp), url->s, url->len);
	if (tmp[0]) {
		scpy(d->mud_url, sizeof(d->mud_url), tmp);
		scpy(d->mud_source, sizeof(d->mud_source), where);
	}
}

static void dhcp_evidence(struct fp_identity *id, struct fp_device *d,
		const struct fp_dhcp *h)
{
	char tmp[FP_STR_MAX], pl[255 * 4 + 1];
	size_t k = 0;

	clean(tmp, sizeof(tmp), h->vendor_class.s, h->vendor_class.len);
	apply(id, d, FP_SC_DHCP_VENDOR, FP_EV_DHCP_VENDOR, tmp);
	clean(tmp, sizeof(tmp), h->hostname.s, h->hostname.len);
	if (tmp[0]) {
		scpy(d->hostname, sizeof(d->hostname), tmp);
		apply(id, d, FP_SC_HOSTNAME, FP_EV_DHCP_HOSTNAME, tmp);
	}
	fqdn_evidence(id, d, &h->fqdn, FP_EV_DHCP_FQDN);
	pl[0] = '\0';
	for (int i = 0; i < h->n_params; i++)
		k += (size_t)snprintf(pl + k, sizeof(pl) - k, "%s%u",
				i ? "," : "", h->params[i]);
	if (pl[0]) {
		scpy(d->dhcp_params, sizeof(d->dhcp_params), pl);
		apply(id, d, FP_SC_DHCP_PARAMS, FP_EV_DHCP_PARAMS, pl);
	}
	mud_evidence(d, &h->mud_url, "dhcp");
}

static void dhcpv6_evidence(struct fp_identity *id, struct fp_device *d,
		const struct fp_dhcpv6 *h)
{
	char tmp[FP_STR_MAX];

	clean(tmp, sizeof(tmp), h->vendor_class.s, h->vendor_class.len);
	apply(id, d, FP_SC_DHCP_VENDOR, FP_EV_DHCPV6_VENDOR, tmp);
	if (h->vendor_enterprise) {
		snprintf(tmp, sizeof(tmp), "%u", h->vendor_enterprise);
		apply(id, d, FP_SC_DHCPV6_ENTERPRISE, FP_EV_DHCPV6_ENTERPRISE,
				tmp);
	}
	mud_evidence(d, &h->mud_url, "dhcpv6");
	fqdn_evidence(id, d, &h->fqdn, FP_EV_DHCPV6_FQDN);
}

static void lldp_evidence(struct fp_identity *id, struct fp_device *d,
		const struct fp_lldp *l)
{
	static const char *const caps[] = {
		"other", "repeater", "bridge", "wlan-ap", "router",
		"telephone", "docsis", "station", "cvlan", "svlan", "tpmr",
	};
	char tmp[FP_STR_MAX];

	mud_evidence(d, &l->mud_url, "lldp");
	clean(tmp, sizeof(tmp), l->system_name.s, l->system_name.len);
	if (tmp[0]) {
		if (!d->hostname[0])
			scpy(d->hostname, sizeof(d->hostname), tmp);
		apply(id, d, FP_SC_HOSTNAME, FP_EV_LLDP, tmp);
	}
	clean(tmp, sizeof(tmp), l->system_desc.s, l->system_desc.len);
	apply(id, d, FP_SC_LLDP, FP_EV_LLDP, tmp);
	/* enabled capabilities as discovery items: "lldp.caps=telephone" */
	for (unsigned int b = 0; b < sizeof(caps) / sizeof(caps[0]); b++)
		if (l->caps_enabled & (1u << b)) {
			snprintf(tmp, sizeof(tmp), "lldp.caps=%s", caps[b]);
			apply(id, d, FP_SC_DISCOVERY, FP_EV_LLDP, tmp);
		}
}

static void tls_evidence(struct fp_identity *id, struct fp_device *d,
		const struct fp_tls *t)
{
	char sni[FP_STR_MAX];

	if (d->tls_hellos < UINT16_MAX)
		d->tls_hellos++;
	if (t->max_version > d->tls_max_version)
		d->tls_max_version = t->max_version;
	d->tls_flags |= t->flags;
	clean(sni, sizeof(sni), t->sni.s, t->sni.len);
	if (sni[0] && !ip_literal(sni))
		apply(id, d, FP_SC_DOMAIN, FP_EV_SNI, sni);
	apply(id, d, FP_SC_JA4, FP_EV_JA4, t->ja4);
	apply(id, d, FP_SC_JA3, FP_EV_JA3, t->ja3);
}

int fp_identity_add(struct fp_identity *id, const struct fp_obs *o)
{
	struct fp_device *d;
	bool about_sender = true;

	if (!o->has_mac || (o->mac[0] & 0x01))
		return -ENOENT;
	switch (o->kind) {
	case FP_OBS_DNS_ANSWER:
		about_sender = false;	/* a resolver's answers */
		break;
	case FP_OBS_TCP_SYNACK:
		/* a server on the LAN answers for itself; otherwise the
		 * sender is a router forwarding the Internet */
		about_sender = lan_addr(&o->src);
		break;
	case FP_OBS_HTTP:
		about_sender = !o->u.text.status[0] || lan_addr(&o->src);
		break;
	case FP_OBS_DHCP:
		about_sender = o->u.dhcp.op == 1;
		break;
	default:
		break;
	}
	d = dev_get(id, o->mac, o->ts_us);
	if (!d)
		return -ENOMEM;
	d->n_obs++;
	if (o->ts_us > d->last_us)
		d->last_us = o->ts_us;
	if (!about_sender)
		return -ENOENT;
	switch (o->kind) {
	case FP_OBS_DHCP:
		dhcp_evidence(id, d, &o->u.dhcp);
		break;
	case FP_OBS_LLDP:
		lldp_evidence(id, d, &o->u.lldp);
		break;
	case FP_OBS_DHCPV6:
		dhcpv6_evidence(id, d, &o->u.dhcpv6);
		break;
	case FP_OBS_MDNS:
		mdns_evidence(id, d, o);
		break;
	case FP_OBS_SSDP: {
		const struct fp_text *t = &o->u.text;

		apply(id, d, FP_SC_SSDP_SERVER, FP_EV_SSDP_SERVER, t->server);
		apply(id, d, FP_SC_HTTP_UA, FP_EV_HTTP_UA, t->user_agent);
		if (!strcmp(t->method, "M-SEARCH")) {
			/* what it looks for, not what it is */
			apply(id, d, FP_SC_SSDP_SEARCH, FP_EV_SSDP_SEARCH,
					t->st);
		} else {
			upnp_type(id, d, FP_EV_SSDP_TYPE,
					t->method[0] ? t->nt : t->st);
			upnp_type(id, d, FP_EV_SSDP_TYPE, t->usn);
		}
		break;
	}
	case FP_OBS_HTTP:
		if (o->u.text.status[0])
			http_response(id, d, &o->u.text);
		else
			http_request(id, d, &o->u.text);
		break;
	case FP_OBS_DNS_QUERY:
		for (int i = 0; i < o->u.dns.n_q; i++) {
			const struct fp_dns_rr *q = &o->u.dns.q[i];

			if (q->type != 12 && !strstr(q->name, ".arpa"))
				apply(id, d, FP_SC_DOMAIN, FP_EV_DNS, q->name);
		}
		break;
	case FP_OBS_TLS:
	case FP_OBS_QUIC:
		tls_evidence(id, d, &o->u.tls);
		break;
	case FP_OBS_TCP_SYN: {
		struct fp_p0f_pkt p;
		char label[96];
		bool generic = false;

		if (!id->p0f)
			break;
		fp_p0f_from_obs(&o->u.tcp, &p);
		if (fp_p0f_db_match(id->p0f, true, &p, o->u.tcp.syn_mss,
					label, sizeof(label), &generic))
			p0f_evidence(d, label, generic, o->u.tcp.p0f);
		break;
	}
	case FP_OBS_TCP_SYNACK:
		service_evidence(id, d, o->sport);
		break;
	case FP_OBS_DISCOVERY:
		for (int i = 0; i < o->u.disc.n; i++) {
			const char *it = o->u.disc.item[i];
			const char *k = strchr(it, '.'), *eq = strchr(it, '=');

			apply(id, d, FP_SC_DISCOVERY, FP_EV_DISCOVERY, it);
			/* a model name is a name: the hostname rules know
			 * the brands' model naming */
			if (k && eq && eq > k && ((eq - k == 6 &&
					!strncmp(k, ".model", 6)) ||
					(eq - k == 9 &&
					 !strncmp(k, ".platform", 9))))
				apply(id, d, FP_SC_HOSTNAME, FP_EV_DISCOVERY,
						eq + 1);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* --- traffic shape ------------------------------------------------------ */

static void shape_word(struct fp_identity *id, struct fp_device *d,
		const char *w)
{
	/* behaviour rules are data too (behaviour.sig) */
	apply(id, d, FP_SC_BEHAVIOUR, FP_EV_BEHAVIOUR, w);
}

/* Looks at the shape so far: the words it earns (README.md, "Traffic
 * shape"). Repeated words are counted once per rule. */
static void shape_eval(struct fp_identity *id, struct fp_device *d)
{
	const struct fp_shape *s = &d->shape;
	uint64_t span = s->last_us > s->first_us ?
		(s->last_us - s->first_us) / 1000000 : 0;

	/* a router's traffic is everyone's: its shape says nothing more */
	if (s->forwarder) {
		shape_word(id, d, "forwarder");
		return;
	}
	if (s->up_secs >= SHAPE_STREAM_SECS &&
			s->bytes_out > 3 * s->bytes_in)
		shape_word(id, d, "upload-stream");
	if (s->down_secs >= SHAPE_STREAM_SECS &&
			s->bytes_in > 5 * s->bytes_out)
		shape_word(id, d, "download-stream");
	if (span >= SHAPE_QUIET_SECS && s->up_secs == 0 &&
			s->down_secs == 0 &&
			(s->bytes_out + s->bytes_in) / span < SHAPE_QUIET_RATE &&
			!s->many_peers)
		shape_word(id, d, "heartbeat");
}

static void shape_second_done(struct fp_shape *s)
{
	if (s->sec_out || s->sec_in) {
		if (s->sec_out)
			s->active_secs++;
		if (s->sec_out >= SHAPE_BUSY_BYTES)
			s->up_secs++;
		if (s->sec_in >= SHAPE_BUSY_BYTES)
			s->down_secs++;
		if (s->sec_out > s->peak_out)
			s->peak_out = s->sec_out;
	}
	s->sec_out = s->sec_in = 0;
}

static uint32_t addr_hash(const struct fp_addr *a);

static void shape_peer(struct fp_shape *s, const struct fp_addr *a)
{
	uint32_t h;

	if (!a || !a->family)
		return;
	h = addr_hash(a);
	for (uint8_t i = 0; i < s->n_peers; i++)
		if (s->peer[i] == h)
			return;
	if (s->n_peers < FP_SHAPE_PEERS)
		s->peer[s->n_peers++] = h;
	else
		s->many_peers = true;
}

static uint32_t addr_hash(const struct fp_addr *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < (a->family == 4 ? 4 : 16); i++)
		h = (h ^ a->a[i]) * 16777619u;
	return h;
}

/* Distinct unicast, non-link-local source addresses of what a device
 * sends; past four it is forwarding for others. */
static void shape_src(struct fp_shape *s, const struct fp_addr *a)
{
	uint32_t h;

	if (!a || !a->family || s->forwarder)
		return;
	if (a->family == 4 && (a->a[0] == 0 || a->a[0] >= 224 ||
				(a->a[0] == 169 && a->a[1] == 254)))
		return;
	if (a->family == 6 && (a->a[0] == 0xff || (a->a[0] == 0xfe &&
					(a->a[1] & 0xc0) == 0x80) ||
				!memcmp(a->a, "\0\0\0\0\0\0\0\0", 8)))
		return;
	h = addr_hash(a);
	for (uint8_t i = 0; i < s->n_src; i++)
		if (s->src[i] == h)
			return;
	if (s->n_src < 4)
		s->src[s->n_src++] = h;
	else
		s->forwarder = true;
}

static void shape_add(struct fp_identity *id, struct fp_device *d, bool out,
		uint32_t len, uint64_t ts, const struct fp_addr *peer,
		const struct fp_addr *self)
{
	struct fp_shape *s = &d->shape;
	uint64_t sec = ts / 1000000;

	if (!s->first_us)
		s->first_us = ts ? ts : 1;
	if (ts > s->last_us)
		s->last_us = ts;
	if (sec != s->sec) {
		bool had = s->sec_out || s->sec_in;

		shape_second_done(s);
		s->sec = sec;
		if (had)
			shape_eval(id, d);
	}
	if (out) {
		s->bytes_out += len;
		s->pkts_out++;
		s->sec_out += len;
		shape_peer(s, peer);
		shape_src(s, self);
	} else {
		s->bytes_in += len;
		s->pkts_in++;
		s->sec_in += len;
	}
}

void fp_identity_traffic(struct fp_identity *id, const uint8_t src[6],
		const uint8_t dst[6], const struct fp_addr *src_ip,
		const struct fp_addr *dst_ip, uint32_t len, uint64_t ts_us)
{
	struct fp_device *d;

	if (!(src[0] & 0x01)) {
		d = dev_get(id, src, ts_us);
		if (d) {
			if (ts_us > d->last_us)
				d->last_us = ts_us;
			shape_add(id, d, true, len, ts_us, dst_ip, src_ip);
		}
	}
	if (!(dst[0] & 0x01)) {
		/* only devices already known: a frame to a MAC is no proof
		 * that the MAC exists */
		d = (struct fp_device *)fp_identity_get(id, dst);
		if (d)
			shape_add(id, d, false, len, ts_us, src_ip, NULL);
	}
}

void fp_identity_behaviour(struct fp_identity *id, const uint8_t mac[6],
		const struct fp_behav_summary *b)
{
	struct fp_device *d;
	struct fp_shape *s;
	uint64_t secs = b->interval_us / 1000000;

	if ((mac[0] & 0x01) || secs == 0)
		return;
	d = dev_get(id, mac, b->start_us);
	if (!d)
		return;
	s = &d->shape;
	if (!s->first_us)
		s->first_us = b->start_us ? b->start_us : 1;
	if (b->start_us + b->interval_us > s->last_us)
		s->last_us = b->start_us + b->interval_us;
	s->bytes_out += b->bytes_out;
	s->bytes_in += b->bytes_in;
	s->pkts_out += (uint32_t)b->pkts_out;
	s->pkts_in += (uint32_t)b->pkts_in;
	if (b->pkts_out)
		s->active_secs += 1;
	/* an interval averaging a busy rate counts as that many busy
	 * seconds (an interval summary has no finer grain) */
	if (b->bytes_out / secs >= SHAPE_BUSY_BYTES)
		s->up_secs += (uint32_t)secs;
	if (b->bytes_in / secs >= SHAPE_BUSY_BYTES)
		s->down_secs += (uint32_t)secs;
	if (b->distinct_dsts > FP_SHAPE_PEERS)
		s->many_peers = true;
	shape_eval(id, d);
}

static int first_seen_cmp(const void *a, const void *b)
{
	const struct fp_device *x = *(const struct fp_device *const *)a;
	const struct fp_device *y = *(const struct fp_device *const *)b;

	if (x->first_us != y->first_us)
		return x->first_us < y->first_us ? -1 : 1;
	return memcmp(x->mac, y->mac, 6);
}

void fp_identity_foreach(const struct fp_identity *id,
		void (*cb)(const struct fp_device *dev, void *arg), void *arg)
{
	/* Stable output: in order of first sight. */
	const struct fp_device **v;
	size_t n = 0;

	v = calloc(id->n ? id->n : 1, sizeof(*v));
	if (!v)
		return;
	for (uint32_t r = 0; r < id->made && n < id->n; r++)
		if (used(rec(id, r)))
			v[n++] = rec(id, r);
	qsort(v, n, sizeof(*v), first_seen_cmp);
	for (size_t i = 0; i < n; i++)
		cb(v[i], arg);
	free(v);
}

/* --- JSON ------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return fp_json_string(s, strlen(s));
}

json_t *fp_json_device(const struct fp_device *dev)
{
	json_t *o = json_object(), *ev = json_array();
	char mac[18];

	util_mac_format(dev->mac, mac);
	json_object_set_new(o, "kind", json_string("device"));
	json_object_set_new(o, "mac", json_string(mac));
	json_object_set_new(o, "first_seen",
			json_real((double)dev->first_us / 1e6));
	json_object_set_new(o, "last_seen",
			json_real((double)dev->last_us / 1e6));
	json_object_set_new(o, "observations", json_integer(dev->n_obs));
	json_object_set_new(o, "random_mac", json_boolean(dev->random_mac));
	for (int a = 0; a < FP_ATTR__MAX; a++) {
		uint8_t c, c2;
		const char *v = fp_device_attr(dev, a, &c);
		const char *v2 = fp_device_attr_second(dev, a, &c2);

		if (v) {
			json_t *x = json_object();

			json_object_set_new(x, "value", jstr(v));
			json_object_set_new(x, "confidence", json_integer(c));
			if (v2) {
				json_t *r = json_object();

				json_object_set_new(r, "value", jstr(v2));
				json_object_set_new(r, "confidence",
						json_integer(c2));
				json_object_set_new(x, "runner_up", r);
			}
			json_object_set_new(o, fp_attr_name(a), x);
		} else {
			json_object_set_new(o, fp_attr_name(a), json_null());
		}
	}
	if (dev->hostname[0])
		json_object_set_new(o, "hostname", jstr(dev->hostname));
	if (dev->dhcp_params[0])
		json_object_set_new(o, "dhcp_params",
				json_string(dev->dhcp_params));
	if (dev->mud_url[0])
		json_object_set_new(o, "mud_url", jstr(dev->mud_url));
	if (dev->tls_hellos) {
		json_t *t = json_object();

		json_object_set_new(t, "hellos",
				json_integer(dev->tls_hellos));
		json_object_set_new(t, "max_version",
				json_string(fp_tls_version_name(
						dev->tls_max_version)));
		json_object_set_new(t, "obsolete",
				fp_json_tls_flags(fp_device_tls_flags(dev)));
		json_object_set_new(o, "tls", t);
	}
	if (dev->shape.pkts_out || dev->shape.pkts_in) {
		const struct fp_shape *s = &dev->shape;
		json_t *t = json_object();

		json_object_set_new(t, "bytes_out",
				json_integer((json_int_t)s->bytes_out));
		json_object_set_new(t, "bytes_in",
				json_integer((json_int_t)s->bytes_in));
		json_object_set_new(t, "active_seconds",
				json_integer(s->active_secs));
		json_object_set_new(t, "busy_up_seconds",
				json_integer(s->up_secs));
		json_object_set_new(t, "busy_down_seconds",
				json_integer(s->down_secs));
		json_object_set_new(t, "peers", json_integer(s->n_peers));
		json_object_set_new(o, "traffic", t);
	}
	for (uint16_t i = 0; i < dev->n_ev; i++) {
		const struct fp_evidence *e = &dev->ev[i];
		json_t *x = json_object();

		json_object_set_new(x, "source",
				json_string(fp_ev_source_name(e->source)));
		json_object_set_new(x, "seen", jstr(e->seen));
		json_object_set_new(x, "attribute",
				json_string(fp_attr_name(e->attr)));
		json_object_set_new(x, "value", jstr(e->value));
		json_object_set_new(x, "confidence",
				json_integer(e->confidence));
		json_object_set_new(x, "generic", json_boolean(e->generic));
		if (e->hits > 1)
			json_object_set_new(x, "hits", json_integer(e->hits));
		json_object_set_new(x, "rule", jstr(e->rule));
		json_array_append_new(ev, x);
	}
	/* Where the MUD URL was announced ("dhcp_mud", "dhcpv6_mud",
	 * "lldp_mud"): evidence too, though no candidate (cordond records
	 * the source of the binding it makes from it). */
	if (dev->mud_url[0] && dev->mud_source[0]) {
		json_t *x = json_object();
		char src[24];

		snprintf(src, sizeof(src), "%s_mud", dev->mud_source);
		json_object_set_new(x, "source", json_string(src));
		json_object_set_new(x, "seen", jstr(dev->mud_url));
		json_object_set_new(x, "attribute", json_string("mud_url"));
		json_object_set_new(x, "value", jstr(dev->mud_url));
		json_object_set_new(x, "confidence", json_integer(100));
		json_object_set_new(x, "rule", json_string("rfc8520"));
		json_array_append_new(ev, x);
	}
	if (dev->ev_dropped)
		json_object_set_new(o, "evidence_dropped",
				json_integer(dev->ev_dropped));
	json_object_set_new(o, "evidence", ev);
	return o;
}
