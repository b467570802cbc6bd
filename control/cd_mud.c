/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * MUD files (RFC 8520) bound to devices: cordonctl mud import/list/remove,
 * and the MUD URLs devices announce (DHCP option 161, DHCPv6 option 112,
 * LLDP), imported from --mud-dir when a report shows them. A binding's
 * rules are part of every policy version (ctl_state.h).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cd.h"
#include "ctl_idx.h"
#include "evidence.h"
#include "util_array.h"
#include "util_file.h"
#include "util_hash.h"
#include "util_mac.h"

/* (device, announced MUD URL) pairs remembered as dealt with. */
#define CD_MUD_SEEN_MAX 65536

struct cd_mud {
	struct ctl_mud_context ctx;	/* --mud-context */
	/* (device, announced URL) pairs already dealt with: bound, or tried
	 * and failed (logged and evented once, not at every report). */
	struct ctl_idx seen;
};

/* An event whose detail is a JSON object built by json_pack. */
static void
cd_event_json(struct cordond *d, const char *kind, const uint8_t *mac,
	      json_t *j)
{
	char *js = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	cd_event(d, kind, NULL, mac, js);
	free(js);
	json_decref(j);
}

/*
 * Import one MUD file for a device (cordond.lock held): check, bind, make
 * the next version, record the event. Returns 0 or -errno with err set;
 * *version is the version in force (0: none yet).
 */
static int
cd_mud_bind(struct cordond *d, const struct ctl_state_mud *m,
	      struct ctl_mud_result *res, uint64_t *version, char *err,
	      size_t errlen)
{
	struct ctl_pol_inventory inv;
	Cordon__Policy *pol = NULL;
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	char sha[65] = "";
	bool owned;
	int rc;

	*version = 0;
	memset(res, 0, sizeof(*res));
	rc = cd_inventory(d, &inv, &owned);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	rc = ctl_state_mud_import(&d->state, m, &inv, util_time_now_ms(), res,
				  &pol, &sig, &sig_len, err, errlen);
	cd_inventory_free(&inv, owned);
	if (rc < 0) {
		d->counters[CD_MUD_REJECTED]++;
		cd_log("MUD file %s for %s (%s) rejected: %s", m->name,
		       util_mac_str(m->mac), m->source, err);
		cd_event_json(d, CTL_STORE_EV_MUD_REJECTED, m->mac,
			      json_pack("{sssssssI}", "file", m->name,
					"source", m->source, "reason", err,
					"errno", (json_int_t)-rc));
		return rc;
	}
	if (pol != NULL) {
		*version = pol->version;
		cd_install(d, pol, sig, sig_len);
	}
	util_hash_sha256_hex(m->text, m->len, sha);
	d->counters[CD_MUD_IMPORTED]++;
	cd_log("MUD file %s (%s) bound to %s from %s: %u rules; policy %"
	       PRIu64, m->name, res->mud_url, util_mac_str(m->mac), m->source,
	       res->n_rules, *version);
	cd_event_json(d, CTL_STORE_EV_MUD_APPLIED, m->mac,
		      json_pack("{sssssssIsIsIsb}", "mud_url", res->mud_url,
				"sha256", sha, "source", m->source,
				"rules", (json_int_t)res->n_rules,
				"unresolved", (json_int_t)res->n_unresolved,
				"version", (json_int_t)*version,
				"verified", m->sig_len > 0));
	return 0;
}

static void
cd_mud_binding(Cordon__MudBinding *b, const struct ctl_store_mud *m,
	       const struct ctl_mud_result *res, const char *err)
{
	cordon__mud_binding__init(b);
	b->mac.data = (uint8_t *)m->mac;
	b->mac.len = 6;
	b->vlan = m->vlan;
	b->mud_url = (char *)m->mud_url;
	b->sha256 = (char *)m->sha256;
	b->source = (char *)m->source;
	b->imported_unix_ms = m->imported_ms;
	b->verified = m->signature != NULL && m->sig_len > 0;
	b->by = (char *)m->by;
	if (res != NULL) {
		b->rules = res->n_rules;
		b->aces = res->n_aces;
		b->unresolved = res->n_unresolved;
		b->widened = res->n_widened;
		b->note = (char *)res->note;
	} else {
		b->note = (char *)err;
	}
}


/* --- MUD URLs the devices announce ------------------------------------- */

/*
 * Has (mac, url) been dealt with? With add, remember it if not. The key is
 * a 64-bit hash of both: a collision (about 2^-33 with a full set) only
 * skips one attempt. Bounded: a device announcing ever new URLs must not
 * grow it forever, so at CD_MUD_SEEN_MAX it is forgotten as a whole, which
 * only means trying (and logging) once more.
 */
static bool
cd_mud_seen(struct cordond *d, const uint8_t mac[6], const char *url,
	    bool add)
{
	struct cd_mud *st = d->mud;
	uint64_t k = util_hash_fnv64_str(util_hash_fnv64(UTIL_HASH_FNV64_INIT,
							 mac, 6), url) | 1;
	size_t pos = SIZE_MAX;
	uint32_t v;

	if (ctl_idx_next(&st->seen, k, &pos, &v))
		return true;
	if (!add)
		return false;
	if (st->seen.n >= CD_MUD_SEEN_MAX)
		ctl_idx_free(&st->seen);
	(void)ctl_idx_put(&st->seen, k, 1);	/* else tried again */
	return false;
}

/* Where the device announced the URL (DeviceIdentity.mud_url_source);
 * DHCP when it does not say (a dataplane older than wire minor 2). */
static const char *
cd_mud_source(const Cordon__DeviceIdentity *id)
{
	switch (id->mud_url_source) {
	case CORDON__EVIDENCE_SOURCE__SOURCE_DHCPV6:
	case CORDON__EVIDENCE_SOURCE__SOURCE_LLDP:
		return evidence_source_name(id->mud_url_source);
	default:
		return "dhcp";
	}
}

struct cd_binding_url {
	char url[512];
	char source[8];
};

static int
cd_binding_url_cb(const struct ctl_store_mud *m, void *arg)
{
	struct cd_binding_url *b = arg;

	snprintf(b->url, sizeof(b->url), "%s", m->mud_url);
	snprintf(b->source, sizeof(b->source), "%s", m->source);
	return 0;
}

static void
cd_mud_auto_reject(struct cordond *d, const uint8_t mac[6], const char *url,
		   const char *source, const char *why)
{
	d->counters[CD_MUD_REJECTED]++;
	cd_log("MUD URL %s announced by %s (%s): %s", url, util_mac_str(mac),
	       source, why);
	cd_event_json(d, CTL_STORE_EV_MUD_REJECTED, mac,
		      json_pack("{ssssss}", "mud_url", url, "source", source,
				"reason", why));
}

/*
 * A device announced url: bind the file --mud-dir holds for it, unless it
 * is bound to that URL already, or the operator bound a file to it with
 * cordonctl (that one stays). Tried once per (device, URL).
 */
static void
cd_mud_announced(struct cordond *d, const Cordon__DeviceStats *ds)
{
	const Cordon__DeviceIdentity *id = ds->identity;
	const uint8_t *mac = ds->mac.data;
	const char *source = cd_mud_source(id);
	struct cd_binding_url cur = { "", "" };
	struct ctl_state_mud m = { 0 };
	struct ctl_mud_result res;
	char path[PATH_MAX], sig_path[PATH_MAX + 8], err[1024];
	char *text = NULL, *sig = NULL;
	size_t len = 0, sig_len = 0;
	uint64_t version;
	int rc;

	if (cd_mud_seen(d, mac, id->mud_url, true))
		return;
	rc = ctl_store_mud_get(d->state.st, mac, cd_binding_url_cb, &cur);
	if (rc == 0 && strcmp(cur.url, id->mud_url) == 0)
		return;
	if (rc == 0 && strcmp(cur.source, "cli") == 0) {
		cd_log("%s announces MUD URL %s; it keeps the file imported "
		       "with cordonctl (%s)", util_mac_str(mac), id->mud_url,
		       cur.url);
		return;
	}
	rc = ctl_mud_url_to_path(d->conf.mud_dir, id->mud_url, path,
				 sizeof(path));
	if (rc < 0) {
		cd_mud_auto_reject(d, mac, id->mud_url, source, rc == -EINVAL ?
				   "not an https MUD URL that maps to a file "
				   "name safely" : "URL too long");
		return;
	}
	if (util_file_read(path, CTL_MUD_FILE_MAX, &text, &len, err,
			  sizeof(err)) < 0) {
		cd_mud_auto_reject(d, mac, id->mud_url, source, err);
		return;
	}
	snprintf(sig_path, sizeof(sig_path), "%s.p7s", path);
	if (access(sig_path, F_OK) == 0) {
		if (util_file_read(sig_path, CTL_MUD_SIG_MAX, &sig, &sig_len,
				  err, sizeof(err)) < 0) {
			cd_mud_auto_reject(d, mac, id->mud_url, source, err);
			free(text);
			return;
		}
	}
	memcpy(m.mac, mac, 6);
	m.vlan = (uint16_t)ds->vlan;
	m.text = text;
	m.len = strlen(text);
	m.sig = (const uint8_t *)sig;
	m.sig_len = sig_len;
	m.name = path;
	m.source = source;
	m.by = "cordond";
	if (m.len != len) {
		cd_mud_auto_reject(d, mac, id->mud_url, source, "the file "
				   "holds a NUL byte");
	} else if (cd_mud_bind(d, &m, &res, &version, err,
				 sizeof(err)) == 0) {
		d->counters[CD_MUD_AUTO]++;
		if (strcmp(res.mud_url, id->mud_url) != 0)
			cd_log("note: %s names mud-url %s, the device "
			       "announced %s", path, res.mud_url, id->mud_url);
	}
	free(text);
	free(sig);
}

static void
cd_mud_report(struct cordond *d, const Cordon__StatsReport *rep)
{
	for (size_t i = 0; i < rep->n_devices; i++) {
		const Cordon__DeviceStats *ds = rep->devices[i];

		if (ds->identity == NULL || ds->identity->mud_url[0] == '\0' ||
		    ds->mac.len != 6 || (ds->mac.data[0] & 1) ||
		    ds->vlan > 4095)
			continue;
		cd_mud_announced(d, ds);
	}
}

static nng_msg *
cd_mud_import(struct cordond *d, struct cd_req *r)
{
	const Cordon__MudImport *im = cd_in(r);
	Cordon__MudList rep = CORDON__MUD_LIST__INIT;
	Cordon__MudBinding b, *bp = &b;
	struct ctl_state_mud m = { 0 };
	struct ctl_store_mud sm = { 0 };
	struct ctl_mud_result res;
	uint64_t version;
	char err[1024], sha[65] = "";
	int rc;

	if (im->mac.len != 6 || (im->mac.data[0] & 1))
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, "a unicast "
				"MAC is needed");
	if (im->vlan > 4095)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, "VLAN out of "
				"range (0..4095)");
	memcpy(m.mac, im->mac.data, 6);
	m.vlan = (uint16_t)im->vlan;
	m.text = im->file;
	m.len = strlen(im->file);
	m.sig = im->signature.len > 0 ? im->signature.data : NULL;
	m.sig_len = im->signature.len;
	m.name = im->name[0] ? im->name : "MUD file";
	m.source = "cli";
	m.by = im->by;
	rc = cd_mud_bind(d, &m, &res, &version, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, r->msg->request_id,
				rc == -EINVAL || rc == -EBADMSG ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	util_hash_sha256_hex(m.text, m.len, sha);
	memcpy(sm.mac, m.mac, 6);
	sm.vlan = m.vlan;
	sm.mud_url = res.mud_url;
	sm.sha256 = sha;
	sm.source = m.source;
	sm.imported_ms = util_time_now_ms();
	sm.signature = m.sig;
	sm.sig_len = m.sig_len;
	sm.by = m.by;
	cd_mud_binding(&b, &sm, &res, "");
	rep.n_bindings = 1;
	rep.bindings = &bp;
	rep.policy_version = version;
	return cd_reply(d, r->msg->request_id,
			CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY, &rep.base);
}

/* A binding of the list, with its copies of the store's strings. */
struct cd_mud_item {
	Cordon__MudBinding b;
	uint8_t mac[6];
	char *s[5];
};

struct cd_mud_list {
	struct cd_mud_item *v;
	size_t n, cap;
};

static int
cd_mud_list_cb(const struct ctl_store_mud *m, const struct ctl_mud_result *res,
	       const char *err, void *arg)
{
	struct cd_mud_list *x = arg;
	struct ctl_store_mud c = *m;
	struct cd_mud_item *it;
	char **s;

	if (UTIL_ARRAY_GROW(x->v, x->cap, x->n, 16) < 0)
		return -ENOMEM;
	/* The callback's strings are gone after it returns: copy them. */
	it = &x->v[x->n++];		/* freed with the others */
	s = it->s;
	s[0] = strdup(m->mud_url);
	s[1] = strdup(m->sha256);
	s[2] = strdup(m->source);
	s[3] = strdup(m->by);
	s[4] = strdup(res != NULL ? res->note : err);
	memcpy(it->mac, m->mac, 6);
	if (!s[0] || !s[1] || !s[2] || !s[3] || !s[4])
		return -ENOMEM;
	c.mud_url = s[0];
	c.sha256 = s[1];
	c.source = s[2];
	c.by = s[3];
	cd_mud_binding(&it->b, &c, res, s[4]);
	it->b.mac.data = it->mac;
	it->b.note = s[4];
	return 0;
}

static nng_msg *
cd_mud_list(struct cordond *d, struct cd_req *r)
{
	Cordon__MudList rep = CORDON__MUD_LIST__INIT;
	struct cd_mud_list x = { 0 };
	Cordon__MudBinding **bp = NULL;
	struct ctl_pol_inventory inv;
	nng_msg *out;
	bool owned;
	int rc;

	rc = cd_inventory(d, &inv, &owned);
	if (rc == 0) {
		rc = ctl_state_mud_list(&d->state, &inv, cd_mud_list_cb, &x);
		cd_inventory_free(&inv, owned);
	}
	if (rc == 0 && (bp = calloc(x.n ? x.n : 1, sizeof(*bp))) == NULL)
		rc = -ENOMEM;
	if (rc < 0) {
		out = cd_error(d, r->msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL, rc == -ENOMEM ?
			       "out of memory" : ctl_store_errmsg(d->state.st));
		goto done;
	}
	for (size_t i = 0; i < x.n; i++)
		bp[i] = &x.v[i].b;
	rep.n_bindings = x.n;
	rep.bindings = bp;
	rep.policy_version = d->policy ? d->policy->version : 0;
	out = cd_reply(d, r->msg->request_id,
		       CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY, &rep.base);
done:
	for (size_t i = 0; i < x.n; i++)
		for (size_t k = 0; k < 5; k++)
			free(x.v[i].s[k]);
	free(x.v);
	free(bp);
	return out;
}

static nng_msg *
cd_mud_remove(struct cordond *d, struct cd_req *r)
{
	const Cordon__MudRemove *q = cd_in(r);
	uint64_t req_id = r->msg->request_id, version = 0;
	struct ctl_pol_inventory inv;
	Cordon__Policy *pol = NULL;
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	char err[512];
	bool owned;
	int rc;

	if (q->mac.len != 6)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"a MAC is needed");
	rc = cd_inventory(d, &inv, &owned);
	if (rc < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"out of memory");
	rc = ctl_state_mud_remove(&d->state, q->mac.data, q->by, &inv,
				  util_time_now_ms(), &pol, &sig, &sig_len, err,
				  sizeof(err));
	cd_inventory_free(&inv, owned);
	if (rc < 0)
		return cd_error(d, req_id, rc == -ENOENT ?
				CORDON__ERROR_CODE__ERR_NOT_FOUND :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	if (pol != NULL) {
		version = pol->version;
		cd_install(d, pol, sig, sig_len);
	}
	cd_event_json(d, CTL_STORE_EV_MUD_REMOVED, q->mac.data,
		      json_pack("{sssI}", "by", q->by,
				"version", (json_int_t)version));
	return cd_ack(d, req_id, version);
}

static int
cd_mud_init(struct cordond *d, char *err, size_t errlen)
{
	struct cd_mud *st = d->mud;
	const struct cd_conf *c = &d->conf;
	char why[512];

	if (c->mud_context[0] != '\0' &&
	    ctl_mud_context_load(c->mud_context, &st->ctx, why,
				 sizeof(why)) < 0) {
		snprintf(err, errlen, "--mud-context: %s", why);
		return -EINVAL;
	}
	d->state.mud_ctx = &st->ctx;
	d->state.mud_ca = c->mud_ca[0] ? c->mud_ca : st->ctx.ca_file;
	d->state.mud_accept_unsigned = c->mud_accept_unsigned ||
		st->ctx.accept_unsigned;
	if (d->state.mud_ca != NULL && access(d->state.mud_ca, R_OK) < 0) {
		snprintf(err, errlen, "MUD trust anchors %s: %s",
			 d->state.mud_ca, strerror(errno));
		return -errno;
	}
	return 0;
}

static void
cd_mud_fini(struct cordond *d)
{
	d->state.mud_ctx = NULL;
	ctl_mud_context_free(&d->mud->ctx);
	ctl_idx_free(&d->mud->seen);
}

static const struct cd_handler cd_mud_handlers[] = {
	CD_HANDLER(MUD_IMPORT, CLI, cd_mud_import),
	CD_HANDLER(MUD_LIST, CLI, cd_mud_list),
	CD_HANDLER(MUD_REMOVE, CLI, cd_mud_remove),
};

CD_FEATURE(mud, CD_STATE(mud), .init = cd_mud_init, .fini = cd_mud_fini,
	   .on_report = cd_mud_report);
