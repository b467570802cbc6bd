/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Device identity aggregation. The signature file format is documented in
 * data/signatures.txt itself; in short, one rule per line:
 *
 *   source|op|pattern|assignments|confidence|origin
 *
 * source: dhcp_vendor dhcp_hostname dhcp_params dhcpv6_vendor mdns_service
 *         mdns_txt ssdp_server http_ua ja4 dns_query oui
 * op:     exact prefix contains (ASCII case-insensitive), kv (mdns_txt:
 *         pattern is a TXT key, "$" in assignments takes its value)
 * assignments: attr=value[,attr=value] with attr vendor|type|os|model|
 *         software;
 *         "$" stands for the matched text.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fp_identity.h"
#include "fp_json.h"
#include "fp_oui.h"
#include "fp_p0f.h"
#include "util_array.h"
#include "util_hash.h"
#include "util_mac.h"

/* Bounded string copy (always NUL-terminated, truncates). */
static void scpy(char *d, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);

	memcpy(d, s, n);
	d[n] = '\0';
}

enum rule_op { OP_EXACT, OP_PREFIX, OP_CONTAINS, OP_KV };

struct rule {
	char source[24];
	enum rule_op op;
	char pattern[128];
	uint8_t n_assign;
	uint8_t attr[FP_ATTR__MAX];
	char value[FP_ATTR__MAX][96];
	uint8_t confidence;
	char origin[64];
};

struct fp_identity {
	struct rule *rules;
	size_t n_rules;
	struct fp_oui *oui;
	struct fp_p0f_db *p0f;
	uint32_t cap, n;
	struct fp_device *dev;	/* open addressing by MAC */
};

static const char *const attr_names[FP_ATTR__MAX] = {
	"vendor", "type", "os", "model", "software",
};

const char *fp_attr_name(int attr)
{
	return attr >= 0 && attr < FP_ATTR__MAX ? attr_names[attr] : "?";
}

static int attr_of(const char *s)
{
	for (int i = 0; i < FP_ATTR__MAX; i++)
		if (!strcmp(s, attr_names[i]))
			return i;
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Parses one rule line; false for comments, blanks and malformed lines. */
static bool parse_rule(char *line, struct rule *r)
{
	char *f[6], *s = line, *a, *save = NULL;
	int n = 0;

	memset(r, 0, sizeof(*r));
	s = trim(s);
	if (*s == '#' || *s == '\0')
		return false;
	while (n < 6) {
		f[n++] = s;
		s = strchr(s, '|');
		if (!s)
			break;
		*s++ = '\0';
	}
	if (n != 6)
		return false;
	scpy(r->source, sizeof(r->source), trim(f[0]));
	a = trim(f[1]);
	if (!strcmp(a, "exact"))
		r->op = OP_EXACT;
	else if (!strcmp(a, "prefix"))
		r->op = OP_PREFIX;
	else if (!strcmp(a, "contains"))
		r->op = OP_CONTAINS;
	else if (!strcmp(a, "kv"))
		r->op = OP_KV;
	else
		return false;
	scpy(r->pattern, sizeof(r->pattern), trim(f[2]));
	for (a = strtok_r(f[3], ",", &save); a && r->n_assign < FP_ATTR__MAX;
			a = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(a, '=');
		int at;

		if (!eq)
			return false;
		*eq = '\0';
		at = attr_of(trim(a));
		if (at < 0)
			return false;
		r->attr[r->n_assign] = (uint8_t)at;
		scpy(r->value[r->n_assign], sizeof(r->value[0]), trim(eq + 1));
		r->n_assign++;
	}
	r->confidence = (uint8_t)atoi(f[4]);
	if (r->confidence > 100)
		r->confidence = 100;
	scpy(r->origin, sizeof(r->origin), trim(f[5]));
	return r->n_assign > 0;
}

static int load_rules(struct fp_identity *id, const char *path)
{
	char line[1024];
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct rule r;

		if (!parse_rule(line, &r))
			continue;
		if (UTIL_ARRAY_GROW(id->rules, cap, id->n_rules, 64) < 0) {
			fclose(f);
			return -ENOMEM;
		}
		id->rules[id->n_rules++] = r;
	}
	fclose(f);
	return 0;
}

struct fp_identity *fp_identity_create(const struct fp_identity_config *cfg)
{
	struct fp_identity *id = calloc(1, sizeof(*id));

	if (!id)
		return NULL;
	id->cap = cfg && cfg->max_devices ? cfg->max_devices : 4096;
	id->dev = calloc(id->cap, sizeof(*id->dev));
	if (!id->dev)
		goto fail;
	if (cfg && cfg->signatures && load_rules(id, cfg->signatures) < 0)
		goto fail;
	if (cfg && cfg->oui_dir)
		id->oui = fp_oui_load(cfg->oui_dir);
	if (cfg && cfg->p0f_db)
		id->p0f = fp_p0f_db_load(cfg->p0f_db);
	return id;
fail:
	fp_identity_destroy(id);
	return NULL;
}

void fp_identity_destroy(struct fp_identity *id)
{
	if (!id)
		return;
	free(id->rules);
	free(id->dev);
	fp_oui_free(id->oui);
	fp_p0f_db_free(id->p0f);
	free(id);
}

size_t fp_identity_rule_count(const struct fp_identity *id)
{
	return id->n_rules;
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

static bool used(const struct fp_device *d)
{
	return d->first_us != 0 || d->n_obs != 0;
}

static uint32_t mac_hash(const uint8_t m[6])
{
	return util_hash_fnv32(UTIL_HASH_FNV32_INIT, m, 6);
}

const struct fp_device *fp_identity_get(const struct fp_identity *id,
		const uint8_t mac[6])
{
	uint32_t h = mac_hash(mac);

	for (uint32_t i = 0; i < id->cap; i++) {
		const struct fp_device *d = &id->dev[(h + i) % id->cap];

		if (!used(d))
			return NULL;
		if (!memcmp(d->mac, mac, 6))
			return d;
	}
	return NULL;
}

static struct fp_device *dev_get(struct fp_identity *id, const uint8_t m[6],
		uint64_t ts)
{
	uint32_t h = mac_hash(m);
	struct fp_device *d, *slot = NULL;

	for (uint32_t i = 0; i < id->cap; i++) {
		d = &id->dev[(h + i) % id->cap];
		if (!used(d)) {
			slot = d;
			break;
		}
		if (!memcmp(d->mac, m, 6))
			return d;
	}
	if (!slot || id->n + 1 >= id->cap) {
		/* Full: forget everything older than the newest half. A
		 * rebuild keeps the probe chains valid. */
		struct fp_device *old = id->dev;
		uint64_t min = UINT64_MAX, max = 0, cut;
		uint32_t cap = id->cap;

		for (uint32_t i = 0; i < cap; i++) {
			if (!used(&old[i]))
				continue;
			if (old[i].last_us < min)
				min = old[i].last_us;
			if (old[i].last_us > max)
				max = old[i].last_us;
		}
		cut = min + (max - min) / 2;
		id->dev = calloc(cap, sizeof(*id->dev));
		if (!id->dev) {
			id->dev = old;
			return NULL;
		}
		id->n = 0;
		for (uint32_t i = 0; i < cap; i++) {
			if (!used(&old[i]) || old[i].last_us <= cut)
				continue;
			h = mac_hash(old[i].mac);
			for (uint32_t j = 0; j < cap; j++) {
				d = &id->dev[(h + j) % cap];
				if (!used(d)) {
					*d = old[i];
					id->n++;
					break;
				}
			}
		}
		free(old);
		return dev_get(id, m, ts);
	}
	d = slot;
	memset(d, 0, sizeof(*d));
	memcpy(d->mac, m, 6);
	d->first_us = ts ? ts : 1;
	d->random_mac = (m[0] & 0x02) != 0;
	id->n++;
	return d;
}

/* "Apple, Inc." -> "Apple", "Seiko Epson Corporation" -> "Seiko Epson":
 * registry names carry legal suffixes that signature files do not. */
static void vendor_norm(char *out, size_t cap, const char *in)
{
	static const char *const suffix[] = {
		"inc", "inc.", "incorporated", "corporation", "corp", "corp.",
		"corporate", "co", "co.", "ltd", "ltd.", "limited", "llc",
		"gmbh", "ag", "sa", "s.a.", "b.v.", "bv", "oy", "ab", "plc",
		"s.p.a.", "pty", "technologies", "technology",
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

/* Same vendor: equal, or one is the other plus more words
 * ("Raspberry Pi" / "Raspberry Pi Trading"). */
static bool same_value(int attr, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (!strcasecmp(a, b))
		return true;
	if (attr != FP_ATTR_VENDOR)
		return false;
	if (la > lb)
		return !strncasecmp(a, b, lb) && a[lb] == ' ';
	return !strncasecmp(a, b, la) && b[la] == ' ';
}

static void add_evidence(struct fp_device *d, const char *source,
		const char *seen, int attr, const char *value, uint8_t conf,
		const char *rule)
{
	struct fp_evidence *e;
	struct fp_candidate *c = NULL;
	char norm[96];

	if (!value[0] || conf == 0)
		return;
	if (attr == FP_ATTR_VENDOR) {
		vendor_norm(norm, sizeof(norm), value);
		value = norm;
	}
	for (uint16_t i = 0; i < d->n_ev; i++) {
		e = &d->ev[i];
		if (e->attr == attr && !strcmp(e->source, source) &&
				!strcmp(e->value, value) &&
				!strncmp(e->rule, rule, sizeof(e->rule) - 1) &&
				!strncmp(e->seen, seen, sizeof(e->seen) - 1))
			return;	/* already counted */
	}
	if (d->n_ev < FP_DEV_MAX_EV) {
		e = &d->ev[d->n_ev++];
		scpy(e->source, sizeof(e->source), source);
		scpy(e->seen, sizeof(e->seen), seen);
		e->attr = (uint8_t)attr;
		scpy(e->value, sizeof(e->value), value);
		e->confidence = conf;
		scpy(e->rule, sizeof(e->rule), rule);
	}
	for (uint8_t i = 0; i < d->n_cand[attr] && !c; i++)
		if (same_value(attr, d->cand[attr][i].value, value))
			c = &d->cand[attr][i];
	if (c && strlen(value) < strlen(c->value))
		scpy(c->value, sizeof(c->value), value);
	if (!c) {
		if (d->n_cand[attr] >= FP_DEV_MAX_CAND)
			return;
		c = &d->cand[attr][d->n_cand[attr]++];
		scpy(c->value, sizeof(c->value), value);
		c->score = 0;
	}
	c->score = 1.0 - (1.0 - c->score) * (1.0 - conf / 100.0);
}

static bool match(const struct rule *r, const char *s, const char **cap)
{
	size_t pl = strlen(r->pattern), sl = strlen(s);

	*cap = s;
	switch (r->op) {
	case OP_EXACT:
		return !strcasecmp(s, r->pattern);
	case OP_PREFIX:
		return sl >= pl && !strncasecmp(s, r->pattern, pl);
	case OP_CONTAINS:
		for (size_t i = 0; i + pl <= sl; i++)
			if (!strncasecmp(s + i, r->pattern, pl))
				return true;
		return false;
	case OP_KV:
		if (sl > pl && s[pl] == '=' &&
				!strncasecmp(s, r->pattern, pl)) {
			*cap = s + pl + 1;
			return (*cap)[0] != '\0';
		}
		return false;
	}
	return false;
}

static void apply_rules(struct fp_identity *id, struct fp_device *d,
		const char *source, const char *s)
{
	if (!s || !s[0])
		return;
	for (size_t i = 0; i < id->n_rules; i++) {
		const struct rule *r = &id->rules[i];
		const char *cap;

		if (strcmp(r->source, source) || !match(r, s, &cap))
			continue;
		for (uint8_t k = 0; k < r->n_assign; k++) {
			const char *v = r->value[k];
			char val[96];

			scpy(val, sizeof(val), !strcmp(v, "$") ? cap : v);
			add_evidence(d, source, s, r->attr[k], val,
					r->confidence, r->origin);
		}
	}
}

/* Printable copy of a counted wire string (NULs and controls dropped). */
static void clean(char *out, size_t cap, const char *s, size_t len)
{
	size_t k = 0;

	for (size_t i = 0; i < len && k + 1 < cap; i++)
		if ((unsigned char)s[i] >= 0x20)
			out[k++] = s[i];
	out[k] = '\0';
}

/* "s:unix:Linux:3.11 and newer" -> os "Linux", type from the class. */
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
	add_evidence(d, "p0f", sig, FP_ATTR_OS, f[2], generic ? 25 : 45,
			"/etc/p0f/p0f.fp");
}

int fp_identity_add(struct fp_identity *id, const struct fp_obs *o)
{
	struct fp_device *d;
	char tmp[FP_STR_MAX];
	const char *vendor;

	bool about_sender = true;

	if (!o->has_mac || (o->mac[0] & 0x01))
		return -ENOENT;
	switch (o->kind) {
	case FP_OBS_TCP_SYNACK:
	case FP_OBS_DNS_ANSWER:
		/* about a server behind that MAC (often a router), not the
		 * sender's own device */
		about_sender = false;
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
	if (d->n_obs == 1) {
		vendor = fp_oui_lookup(id->oui, o->mac);
		if (vendor && strcasecmp(vendor, "Private")) {
			add_evidence(d, "oui", vendor, FP_ATTR_VENDOR, vendor,
					60, "ieee-data");
			apply_rules(id, d, "oui", vendor);
		}
	}
	if (!about_sender)
		return -ENOENT;
	switch (o->kind) {
	case FP_OBS_DHCP: {
		const struct fp_dhcp *h = &o->u.dhcp;
		char pl[255 * 4 + 1];
		size_t k = 0;

		clean(tmp, sizeof(tmp), h->vendor_class.s, h->vendor_class.len);
		apply_rules(id, d, "dhcp_vendor", tmp);
		clean(tmp, sizeof(tmp), h->hostname.s, h->hostname.len);
		if (tmp[0]) {
			scpy(d->hostname, sizeof(d->hostname), tmp);
			apply_rules(id, d, "dhcp_hostname", tmp);
		}
		pl[0] = '\0';
		for (int i = 0; i < h->n_params; i++)
			k += (size_t)snprintf(pl + k, sizeof(pl) - k, "%s%u",
					i ? "," : "", h->params[i]);
		if (pl[0]) {
			scpy(d->dhcp_params, sizeof(d->dhcp_params), pl);
			apply_rules(id, d, "dhcp_params", pl);
		}
		clean(tmp, sizeof(tmp), h->mud_url.s, h->mud_url.len);
		if (tmp[0]) {
			scpy(d->mud_url, sizeof(d->mud_url), tmp);
			scpy(d->mud_source, sizeof(d->mud_source), "dhcp");
		}
		break;
	}
	case FP_OBS_LLDP: {
		const struct fp_lldp *l = &o->u.lldp;

		clean(tmp, sizeof(tmp), l->mud_url.s, l->mud_url.len);
		if (tmp[0]) {
			scpy(d->mud_url, sizeof(d->mud_url), tmp);
			scpy(d->mud_source, sizeof(d->mud_source), "lldp");
		}
		clean(tmp, sizeof(tmp), l->system_name.s, l->system_name.len);
		if (tmp[0] && !d->hostname[0])
			scpy(d->hostname, sizeof(d->hostname), tmp);
		break;
	}
	case FP_OBS_DHCPV6: {
		const struct fp_dhcpv6 *h = &o->u.dhcpv6;

		clean(tmp, sizeof(tmp), h->vendor_class.s, h->vendor_class.len);
		apply_rules(id, d, "dhcpv6_vendor", tmp);
		clean(tmp, sizeof(tmp), h->mud_url.s, h->mud_url.len);
		if (tmp[0]) {
			scpy(d->mud_url, sizeof(d->mud_url), tmp);
			scpy(d->mud_source, sizeof(d->mud_source), "dhcpv6");
		}
		clean(tmp, sizeof(tmp), h->fqdn.s, h->fqdn.len);
		if (tmp[0] && !d->hostname[0]) {
			char *dot = strchr(tmp, '.');

			if (dot)
				*dot = '\0';	/* host part only */
			scpy(d->hostname, sizeof(d->hostname), tmp);
			apply_rules(id, d, "dhcp_hostname", tmp);
		}
		break;
	}
	case FP_OBS_MDNS: {
		const struct fp_dns *m = &o->u.dns;

		for (int i = 0; i < m->n_txt; i++)
			apply_rules(id, d, "mdns_txt", m->txt[i]);
		for (int i = 0; i < m->n_rr; i++) {
			apply_rules(id, d, "mdns_service", m->rr[i].name);
			if (m->rr[i].type == 12)
				apply_rules(id, d, "mdns_service",
						m->rr[i].data);
		}
		break;
	}
	case FP_OBS_SSDP:
		apply_rules(id, d, "ssdp_server", o->u.text.server);
		apply_rules(id, d, "http_ua", o->u.text.user_agent);
		break;
	case FP_OBS_HTTP:
		apply_rules(id, d, "http_ua", o->u.text.user_agent);
		break;
	case FP_OBS_DNS_QUERY:
		if (o->u.dns.n_q)
			apply_rules(id, d, "dns_query", o->u.dns.q[0].name);
		break;
	case FP_OBS_TLS:
	case FP_OBS_QUIC:
		apply_rules(id, d, "ja4", o->u.tls.ja4);
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
	default:
		break;
	}
	return 0;
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
	for (uint32_t i = 0; i < id->cap && n < id->n; i++)
		if (used(&id->dev[i]))
			v[n++] = &id->dev[i];
	for (size_t i = 1; i < n; i++) {
		const struct fp_device *x = v[i];
		size_t j = i;

		while (j > 0 && (v[j - 1]->first_us > x->first_us ||
				(v[j - 1]->first_us == x->first_us &&
				 memcmp(v[j - 1]->mac, x->mac, 6) > 0))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		cb(v[i], arg);
	free(v);
}

const char *fp_device_attr(const struct fp_device *dev, int attr,
		uint8_t *confidence)
{
	const struct fp_candidate *best = NULL;

	*confidence = 0;
	if (attr < 0 || attr >= FP_ATTR__MAX)
		return NULL;
	for (uint8_t i = 0; i < dev->n_cand[attr]; i++)
		if (!best || dev->cand[attr][i].score > best->score)
			best = &dev->cand[attr][i];
	if (!best)
		return NULL;
	*confidence = (uint8_t)(best->score * 100.0 + 0.5);
	return best->value;
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
		uint8_t c;
		const char *v = fp_device_attr(dev, a, &c);

		if (v) {
			json_t *x = json_object();

			json_object_set_new(x, "value",
					fp_json_string(v, strlen(v)));
			json_object_set_new(x, "confidence", json_integer(c));
			json_object_set_new(o, fp_attr_name(a), x);
		} else {
			json_object_set_new(o, fp_attr_name(a), json_null());
		}
	}
	if (dev->hostname[0])
		json_object_set_new(o, "hostname", fp_json_string(dev->hostname,
					strlen(dev->hostname)));
	if (dev->dhcp_params[0])
		json_object_set_new(o, "dhcp_params",
				json_string(dev->dhcp_params));
	if (dev->mud_url[0])
		json_object_set_new(o, "mud_url", fp_json_string(dev->mud_url,
					strlen(dev->mud_url)));
	for (uint16_t i = 0; i < dev->n_ev; i++) {
		const struct fp_evidence *e = &dev->ev[i];
		json_t *x = json_object();

		json_object_set_new(x, "source", json_string(e->source));
		json_object_set_new(x, "seen", fp_json_string(e->seen,
					strlen(e->seen)));
		json_object_set_new(x, "attribute",
				json_string(fp_attr_name(e->attr)));
		json_object_set_new(x, "value", fp_json_string(e->value,
					strlen(e->value)));
		json_object_set_new(x, "confidence",
				json_integer(e->confidence));
		json_object_set_new(x, "rule", fp_json_string(e->rule,
					strlen(e->rule)));
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
		json_object_set_new(x, "seen", fp_json_string(dev->mud_url,
					strlen(dev->mud_url)));
		json_object_set_new(x, "attribute", json_string("mud_url"));
		json_object_set_new(x, "value", fp_json_string(dev->mud_url,
					strlen(dev->mud_url)));
		json_object_set_new(x, "confidence", json_integer(100));
		json_object_set_new(x, "rule", json_string("rfc8520"));
		json_array_append_new(ev, x);
	}
	json_object_set_new(o, "evidence", ev);
	return o;
}
