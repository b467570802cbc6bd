/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * See ctl_inventory.h. The cache is an open-addressing hash table keyed by
 * (MAC, VLAN), linear probing, grown at half full; it is only ever cleared
 * as a whole, so no tombstones are needed.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_evidence.h"
#include "ctl_inventory.h"
#include "util_array.h"
#include "util_hash.h"

struct ctl_inv_slot {
	uint8_t used;
	uint8_t mac[6];
	uint16_t vlan;
	uint64_t ident;			/* hash of what identifies it */
	uint64_t stored_ms;		/* when last written */
};

static uint64_t
key_hash(const uint8_t mac[6], uint16_t vlan)
{
	return util_hash_fnv64(util_hash_fnv64(UTIL_HASH_FNV64_INIT, mac, 6),
			       &vlan, sizeof(vlan));
}

static uint64_t
ident_hash(const char *dp_id, const Cordon__DeviceStats *d)
{
	const Cordon__DeviceIdentity *id = d->identity;
	uint64_t h = util_hash_fnv64_str(UTIL_HASH_FNV64_INIT, dp_id);

	if (id != NULL) {
		uint32_t conf[4] = { id->vendor_confidence,
			id->type_confidence, id->os_confidence,
			id->model_confidence };

		h = util_hash_fnv64_str(h, id->vendor);
		h = util_hash_fnv64_str(h, id->type);
		h = util_hash_fnv64_str(h, id->os);
		h = util_hash_fnv64_str(h, id->model);
		h = util_hash_fnv64_str(h, id->firmware);
		for (size_t i = 0; i < id->n_tls_obsolete; i++)
			h = util_hash_fnv64_str(h, id->tls_obsolete[i]);
		h = util_hash_fnv64_str(h, id->hostname);
		h = util_hash_fnv64_str(h, id->mud_url);
		h = util_hash_fnv64(h, conf, sizeof(conf));
	}
	for (size_t i = 0; i < d->n_addresses; i++) {
		h = util_hash_fnv64(h, d->addresses[i].data,
				    d->addresses[i].len);
		h = util_hash_fnv64(h, "|", 1);
	}
	return h;
}

void
ctl_inv_init(struct ctl_inv *inv, uint64_t refresh_ms)
{
	memset(inv, 0, sizeof(*inv));
	inv->refresh_ms = refresh_ms;
}

void
ctl_inv_fini(struct ctl_inv *inv)
{
	free(inv->slots);
	memset(inv, 0, sizeof(*inv));
}

static struct ctl_inv_slot *
slot_find(struct ctl_inv_slot *slots, size_t cap, const uint8_t mac[6],
	  uint16_t vlan)
{
	size_t i = (size_t)key_hash(mac, vlan) & (cap - 1);

	/* Never full (grown at half), so this ends. */
	while (slots[i].used && (slots[i].vlan != vlan ||
				 memcmp(slots[i].mac, mac, 6) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int
cache_grow(struct ctl_inv *inv)
{
	size_t cap = inv->cap ? inv->cap * 2 : 1024;
	struct ctl_inv_slot *ns;

	if (inv->n >= CTL_INV_CACHE_MAX) {
		/* Forget everything: each device is written once more. */
		memset(inv->slots, 0, inv->cap * sizeof(*inv->slots));
		inv->n = 0;
		return 0;
	}
	ns = calloc(cap, sizeof(*ns));
	if (ns == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < inv->cap; i++)
		if (inv->slots[i].used)
			*slot_find(ns, cap, inv->slots[i].mac,
				   inv->slots[i].vlan) = inv->slots[i];
	free(inv->slots);
	inv->slots = ns;
	inv->cap = cap;
	return 0;
}

/* uptime-relative -> unix, never in the future. */
static uint64_t
to_unix(uint64_t t, uint64_t uptime, uint64_t now)
{
	uint64_t ago = uptime > t ? uptime - t : 0;

	return now > ago ? now - ago : 0;
}

static char *
addresses_json(const Cordon__DeviceStats *d)
{
	json_t *a = json_array();
	char *s;

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < d->n_addresses; i++) {
		char one[INET6_ADDRSTRLEN];
		int fam = d->addresses[i].len == 4 ? AF_INET :
			d->addresses[i].len == 16 ? AF_INET6 : 0;

		if (fam != 0 && inet_ntop(fam, d->addresses[i].data, one,
					  sizeof(one)) != NULL)
			json_array_append_new(a, json_string(one));
	}
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

int
ctl_inv_persist(struct ctl_inv *inv, struct ctl_store *st,
		const Cordon__StatsReport *r, uint64_t made_ms, uint64_t now_ms,
		size_t *written)
{
	struct ctl_store_device *rows = NULL;
	uint64_t *idents = NULL;
	char **addrs = NULL, **evid = NULL;
	size_t n = 0;
	int rc = 0;

	if (written != NULL)
		*written = 0;
	if (r->n_devices == 0)
		return 0;
	/* Room for every device before anything changes. */
	while (inv->cap == 0 || inv->n + r->n_devices > inv->cap / 2) {
		size_t before = inv->cap;

		rc = cache_grow(inv);
		if (rc < 0)
			return rc;
		if (inv->cap == before)
			break;		/* cleared instead */
	}
	rows = calloc(r->n_devices, sizeof(*rows));
	idents = calloc(r->n_devices, sizeof(*idents));
	addrs = calloc(r->n_devices, sizeof(*addrs));
	evid = calloc(r->n_devices, sizeof(*evid));
	if (rows == NULL || idents == NULL || addrs == NULL || evid == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < r->n_devices; i++) {
		const Cordon__DeviceStats *d = r->devices[i];
		const Cordon__DeviceIdentity *id = d->identity;
		struct ctl_store_device *w = &rows[n];
		struct ctl_inv_slot *s;
		uint64_t h;

		if (d->mac.len != 6 || d->vlan > 4095)
			continue;
		h = ident_hash(r->dataplane_id, d);
		s = inv->cap ? slot_find(inv->slots, inv->cap, d->mac.data,
					 (uint16_t)d->vlan) : NULL;
		if (s != NULL && s->used && s->ident == h &&
		    now_ms < s->stored_ms + inv->refresh_ms)
			continue;
		memcpy(w->mac, d->mac.data, 6);
		w->vlan = (uint16_t)d->vlan;
		w->first_seen_ms = to_unix(d->first_seen_ms, r->uptime_ms,
					   made_ms);
		w->last_seen_ms = to_unix(d->last_seen_ms, r->uptime_ms,
					  made_ms);
		w->dataplane_id = r->dataplane_id;
		w->listed_ms = now_ms;
		if (id != NULL) {
			w->vendor = id->vendor;
			w->vendor_conf = id->vendor_confidence;
			w->type = id->type;
			w->type_conf = id->type_confidence;
			w->os = id->os;
			w->os_conf = id->os_confidence;
			w->model = id->model;
			w->model_conf = id->model_confidence;
			w->hostname = id->hostname;
			w->mud_url = id->mud_url;
			evid[n] = ctl_evidence_to_json(id);
			w->evidence_json = evid[n];
		}
		if (d->n_addresses > 0) {
			addrs[n] = addresses_json(d);
			w->addresses_json = addrs[n];
		}
		idents[n] = h;
		n++;
	}
	rc = ctl_store_device_upsert_batch(st, rows, n);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct ctl_inv_slot *s = slot_find(inv->slots, inv->cap,
						   rows[i].mac, rows[i].vlan);

		if (!s->used) {
			s->used = 1;
			memcpy(s->mac, rows[i].mac, 6);
			s->vlan = rows[i].vlan;
			inv->n++;
		}
		s->ident = idents[i];
		s->stored_ms = now_ms;
	}
	if (written != NULL)
		*written = n;
out:
	for (size_t i = 0; addrs != NULL && evid != NULL && i < n; i++) {
		free(addrs[i]);
		free(evid[i]);
	}
	free(addrs);
	free(evid);
	free(idents);
	free(rows);
	return rc;
}

/* --- Reading back ---------------------------------------------------- */

struct inv_load {
	struct ctl_pol_inv_device *v;
	size_t n, cap;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

static int
inv_load_cb(const struct ctl_store_device *d, void *arg)
{
	struct inv_load *l = arg;
	struct ctl_pol_inv_device *e;

	if (UTIL_ARRAY_GROW(l->v, l->cap, l->n, 64) < 0)
		return -ENOMEM;
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, d->mac, 6);
	e->vlan = d->vlan;
	e->vendor = dup_or_null(d->vendor);
	e->type = dup_or_null(d->type);
	e->type_confidence = d->type_conf > 100 ? 100 :
		(uint32_t)d->type_conf;
	e->mud_url = dup_or_null(d->mud_url);
	l->n++;
	return 0;
}

int
ctl_inv_load(struct ctl_store *st, struct ctl_pol_inv_device **devs,
	     size_t *n)
{
	struct inv_load l = { 0 };
	int rc;

	rc = ctl_store_device_list(st, inv_load_cb, &l);
	if (rc < 0) {
		ctl_inv_devices_free(l.v, l.n);
		return rc;
	}
	*devs = l.v;
	*n = l.n;
	return 0;
}

void
ctl_inv_devices_free(struct ctl_pol_inv_device *devs, size_t n)
{
	for (size_t i = 0; devs != NULL && i < n; i++) {
		free((char *)devs[i].vendor);
		free((char *)devs[i].type);
		free((char *)devs[i].mud_url);
		free((char *)devs[i].name);
	}
	free(devs);
}

struct inv_reports {
	Cordon__StatsReport **r;
	size_t n;
	uint64_t now;
	int err;
};

static char *
xstrdup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static Cordon__StatsReport *
report_for(struct inv_reports *x, const char *dp_id)
{
	Cordon__StatsReport *r, **v;
	Cordon__Counter *c;

	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->r[i]->dataplane_id, dp_id) == 0)
			return x->r[i];
	v = realloc(x->r, (x->n + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	x->r = v;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return NULL;
	cordon__stats_report__init(r);
	r->dataplane_id = xstrdup(dp_id);
	r->uptime_ms = x->now;
	r->counters = calloc(1, sizeof(*r->counters));
	c = malloc(sizeof(*c));
	if (r->dataplane_id == NULL || r->counters == NULL || c == NULL) {
		free(c);
		cordon__stats_report__free_unpacked(r, NULL);
		return NULL;
	}
	cordon__counter__init(c);
	c->name = xstrdup(CTL_INV_STORED_COUNTER);
	c->value = 1;
	r->counters[0] = c;
	r->n_counters = 1;
	x->r[x->n++] = r;
	if (c->name == NULL)
		return NULL;
	return r;
}

static int
add_addresses(Cordon__DeviceStats *ds, const char *js)
{
	json_t *a = js ? json_loads(js, 0, NULL) : NULL;
	size_t i;
	json_t *v;

	if (!json_is_array(a)) {
		json_decref(a);
		return 0;
	}
	ds->addresses = calloc(json_array_size(a) + 1, sizeof(*ds->addresses));
	if (ds->addresses == NULL) {
		json_decref(a);
		return -ENOMEM;
	}
	json_array_foreach(a, i, v) {
		uint8_t buf[16];
		const char *s = json_string_value(v);
		size_t len = 0;

		if (s != NULL && inet_pton(AF_INET, s, buf) == 1)
			len = 4;
		else if (s != NULL && inet_pton(AF_INET6, s, buf) == 1)
			len = 16;
		if (len == 0)
			continue;
		ds->addresses[ds->n_addresses].data = malloc(len);
		if (ds->addresses[ds->n_addresses].data == NULL)
			break;
		memcpy(ds->addresses[ds->n_addresses].data, buf, len);
		ds->addresses[ds->n_addresses].len = len;
		ds->n_addresses++;
	}
	json_decref(a);
	return 0;
}

static int
inv_reports_cb(const struct ctl_store_device *d, void *arg)
{
	struct inv_reports *x = arg;
	Cordon__StatsReport *r = report_for(x, d->dataplane_id);
	Cordon__DeviceStats *ds, **v;
	Cordon__DeviceIdentity *id;

	if (r == NULL)
		return -ENOMEM;
	v = realloc(r->devices, (r->n_devices + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	r->devices = v;
	ds = malloc(sizeof(*ds));
	id = malloc(sizeof(*id));
	if (ds == NULL || id == NULL) {
		free(ds);
		free(id);
		return -ENOMEM;
	}
	cordon__device_stats__init(ds);
	cordon__device_identity__init(id);
	r->devices[r->n_devices++] = ds;
	ds->identity = id;
	ds->mac.data = malloc(6);
	if (ds->mac.data == NULL)
		return -ENOMEM;
	memcpy(ds->mac.data, d->mac, 6);
	ds->mac.len = 6;
	ds->vlan = d->vlan;
	ds->first_seen_ms = d->first_seen_ms;
	ds->last_seen_ms = d->last_seen_ms;
	/* Every string is malloc()ed, so free_unpacked releases them all. */
	id->vendor = xstrdup(d->vendor);
	id->type = xstrdup(d->type);
	id->os = xstrdup(d->os);
	id->model = xstrdup(d->model);
	id->hostname = xstrdup(d->hostname);
	id->mud_url = xstrdup(d->mud_url);
	id->dhcp_params = xstrdup("");
	ds->segment_name = xstrdup("");
	if (!id->vendor || !id->type || !id->os || !id->model ||
	    !id->hostname || !id->mud_url || !id->dhcp_params ||
	    !ds->segment_name || ctl_evidence_from_json(d->evidence_json,
							 id) < 0)
		return -ENOMEM;
	id->vendor_confidence = (uint32_t)d->vendor_conf;
	id->type_confidence = (uint32_t)d->type_conf;
	id->os_confidence = (uint32_t)d->os_conf;
	id->model_confidence = (uint32_t)d->model_conf;
	return add_addresses(ds, d->addresses_json);
}

int
ctl_inv_reports(struct ctl_store *st, uint64_t now_ms,
		Cordon__StatsReport ***out, size_t *n)
{
	struct inv_reports x = { .now = now_ms };
	int rc;

	rc = ctl_store_device_list(st, inv_reports_cb, &x);
	if (rc < 0) {
		for (size_t i = 0; i < x.n; i++)
			cordon__stats_report__free_unpacked(x.r[i], NULL);
		free(x.r);
		return rc;
	}
	*out = x.r;
	*n = x.n;
	return 0;
}
