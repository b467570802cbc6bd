/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * MUD files bound to devices: checked (signature, compile) and bound,
 * removed, listed, and compiled into every version
 * (ctl_state_mud_compose()) in cordond's MUD context.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_compile.h"
#include "ctl_state_impl.h"
#include "util_array.h"
#include "util_hash.h"

/* The bindings, copied out of the store (ctl_store_mud_copy()). */
struct mud_binds {
	struct ctl_store_mud *v;
	size_t n, cap;
};

static int
mud_binds_cb(const struct ctl_store_mud *m, void *arg)
{
	struct mud_binds *l = arg;

	if (UTIL_ARRAY_GROW(l->v, l->cap, l->n, 16) < 0)
		return -ENOMEM;
	if (ctl_store_mud_copy(m, &l->v[l->n]) < 0)
		return -ENOMEM;
	l->n++;
	return 0;
}

static void
mud_binds_free(struct mud_binds *l)
{
	for (size_t i = 0; i < l->n; i++)
		ctl_store_mud_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
mud_binds_load(struct ctl_state *s, struct mud_binds *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	rc = ctl_store_mud_list(s->st, mud_binds_cb, l);
	if (rc < 0)
		mud_binds_free(l);
	return rc;
}

static bool
mud_binds_has(const struct mud_binds *l, const uint8_t mac[6])
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i].mac, mac, 6) == 0)
			return true;
	return false;
}

/*
 * cordond's context for compiling any binding: its own, without the
 * "device" part, with peers = its own + the bindings + the inventory's
 * devices that announced a MUD URL. Strings are borrowed from the base,
 * except the peers: release with mud_ctx_release().
 */
static int
mud_ctx_build(const struct ctl_state *s, const struct mud_binds *l,
	      const struct ctl_pol_inventory *inv, struct ctl_mud_context *c)
{
	const struct ctl_mud_context *base = s->mud_ctx;
	int rc = 0;

	if (base != NULL)
		*c = *base;
	else
		memset(c, 0, sizeof(*c));
	c->has_mac = 0;
	memset(c->device_mac, 0, 6);
	c->mud_url = NULL;
	c->authority = NULL;
	c->peers = NULL;
	c->n_peers = 0;
	for (size_t i = 0; base != NULL && rc == 0 && i < base->n_peers; i++)
		if (base->peers[i].mud_url != NULL)
			rc = ctl_mud_context_add_peer(c, base->peers[i].mac,
						      base->peers[i].mud_url);
	for (size_t i = 0; l != NULL && rc == 0 && i < l->n; i++)
		rc = ctl_mud_context_add_peer(c, l->v[i].mac,
					      l->v[i].mud_url);
	for (size_t i = 0; inv != NULL && rc == 0 && i < inv->n_devs; i++) {
		const struct ctl_pol_inv_device *d = &inv->devs[i];

		if (d->mud_url == NULL || d->mud_url[0] == '\0' ||
		    (l != NULL && mud_binds_has(l, d->mac)))
			continue;
		rc = ctl_mud_context_add_peer(c, d->mac, d->mud_url);
	}
	return rc;
}

static void
mud_ctx_release(struct ctl_mud_context *c)
{
	for (size_t i = 0; i < c->n_peers; i++)
		free(c->peers[i].mud_url);
	free(c->peers);
	c->peers = NULL;
	c->n_peers = 0;
}

/* Every binding's rules into pol (ctl_state_impl.h). */
int
ctl_state_mud_compose(struct ctl_state *s,
		      const struct ctl_pol_inventory *inv, Cordon__Policy *pol,
		      size_t *added)
{
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	struct mud_binds l;
	char err[512];
	int rc;

	*added = 0;
	s->mud_skipped = 0;
	s->mud_note[0] = '\0';
	rc = mud_binds_load(s, &l);
	if (rc < 0)
		return rc;
	rc = mud_ctx_build(s, &l, inv, &ctx);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		int r = ctl_mud_compile(l.v[i].file, l.v[i].file_len,
					l.v[i].mud_url, &ctx, l.v[i].mac,
					CTL_STATE_MUD_PRIORITY, pol, &res,
					err, sizeof(err));

		if (r == -ENOMEM) {
			rc = r;
		} else if (r < 0) {
			if (s->mud_skipped++ == 0)
				snprintf(s->mud_note, sizeof(s->mud_note),
					 "%.200s", err);
		} else {
			(*added)++;
		}
	}
	mud_ctx_release(&ctx);
	mud_binds_free(&l);
	return rc;
}

static int
mud_check_signature(const struct ctl_state *s, const struct ctl_state_mud *m,
		    char *err, size_t errlen)
{
	char why[512];

	if (m->sig == NULL || m->sig_len == 0) {
		if (s->mud_accept_unsigned)
			return 0;
		snprintf(err, errlen, "%s: unsigned, and cordond accepts only "
			 "signed MUD files (see --mud-accept-unsigned)",
			 m->name);
		return -EBADMSG;
	}
	if (s->mud_ca == NULL) {
		snprintf(err, errlen, "%s: signed, but cordond has no trust "
			 "anchors to verify it with (--mud-ca)", m->name);
		return -EBADMSG;
	}
	if (ctl_mud_sig_verify_mem(m->text, m->len, m->sig, m->sig_len,
				   s->mud_ca, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", m->name, why);
		return -EBADMSG;
	}
	return 0;
}

int
ctl_state_mud_check(struct ctl_state *s, const struct ctl_state_mud *m,
		    const struct ctl_pol_inventory *inv,
		    struct ctl_mud_result *res, char *err, size_t errlen)
{
	struct ctl_mud_context ctx;
	struct mud_binds l;
	Cordon__Policy *scratch;
	int rc;

	if (m->text == NULL || m->len > CTL_MUD_FILE_MAX) {
		snprintf(err, errlen, "%s: no MUD file, or larger than %u "
			 "bytes", m->name, CTL_MUD_FILE_MAX);
		return -EINVAL;
	}
	rc = mud_check_signature(s, m, err, errlen);
	if (rc < 0)
		return rc;
	rc = mud_binds_load(s, &l);
	if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		return rc;
	}
	scratch = ctl_cmp_policy_new();
	rc = scratch == NULL ? -ENOMEM : mud_ctx_build(s, &l, inv, &ctx);
	if (rc == 0) {
		rc = ctl_mud_compile(m->text, m->len, m->name, &ctx, m->mac,
				     CTL_STATE_MUD_PRIORITY, scratch, res, err,
				     errlen);
		mud_ctx_release(&ctx);
	}
	if (rc == 0 && res->mud_url[0] == '\0') {
		snprintf(err, errlen, "%s: the file names no mud-url",
			 m->name);
		rc = -EINVAL;
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	ctl_cmp_policy_free(scratch);
	mud_binds_free(&l);
	return rc;
}

static int
mud_get_cb(const struct ctl_store_mud *m, void *arg)
{
	return ctl_store_mud_copy(m, arg);
}

/* Make the next version after a binding changed; -ENOENT (no source yet)
 * is success with *out NULL. */
static int
mud_reapply(struct ctl_state *s, const char *by,
	    const struct ctl_pol_inventory *inv, uint64_t now_ms,
	    Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
	    char *err, size_t errlen)
{
	int rc;

	*out = NULL;
	*signed_out = NULL;
	*signed_len = 0;
	rc = ctl_state_apply(s, NULL, NULL, by, 0, inv, now_ms, out,
			     signed_out, signed_len, err, errlen);
	if (rc == -ENOENT) {
		*out = NULL;
		return 0;
	}
	return rc;
}

int
ctl_state_mud_import(struct ctl_state *s, const struct ctl_state_mud *m,
		     const struct ctl_pol_inventory *inv, uint64_t now_ms,
		     struct ctl_mud_result *res, Cordon__Policy **out,
		     uint8_t **signed_out, size_t *signed_len, char *err,
		     size_t errlen)
{
	struct ctl_store_mud old = { 0 };
	struct ctl_store_mud nm = { 0 };
	bool had_old;
	int rc;

	*out = NULL;
	rc = ctl_state_mud_check(s, m, inv, res, err, errlen);
	if (rc < 0)
		return rc;
	rc = ctl_store_mud_get(s->st, m->mac, mud_get_cb, &old);
	if (rc < 0 && rc != -ENOENT)
		goto store_err;
	had_old = rc == 0;
	memcpy(nm.mac, m->mac, 6);
	nm.vlan = m->vlan;
	nm.mud_url = res->mud_url;
	nm.file = m->text;
	nm.file_len = m->len;
	nm.signature = m->sig_len > 0 ? m->sig : NULL;
	nm.sig_len = m->sig_len;
	nm.source = m->source;
	nm.imported_ms = now_ms;
	nm.by = m->by;
	rc = ctl_store_mud_put(s->st, &nm);
	if (rc < 0)
		goto store_err;
	rc = mud_reapply(s, m->by, inv, now_ms, out, signed_out, signed_len,
			 err, errlen);
	if (rc < 0) {
		/* Not in force: not bound either. */
		if (had_old)
			ctl_store_mud_put(s->st, &old);
		else
			ctl_store_mud_del(s->st, m->mac);
	}
	goto out;
store_err:
	snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
out:
	ctl_store_mud_free(&old);
	return rc;
}

int
ctl_state_mud_remove(struct ctl_state *s, const uint8_t mac[6],
		     const char *by, const struct ctl_pol_inventory *inv,
		     uint64_t now_ms, Cordon__Policy **out,
		     uint8_t **signed_out, size_t *signed_len, char *err,
		     size_t errlen)
{
	struct ctl_store_mud old = { 0 };
	int rc;

	*out = NULL;
	rc = ctl_store_mud_get(s->st, mac, mud_get_cb, &old);
	if (rc == -ENOENT) {
		snprintf(err, errlen, "no MUD file is bound to that device");
		return rc;
	}
	if (rc == 0)
		rc = ctl_store_mud_del(s->st, mac);
	if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		ctl_store_mud_free(&old);
		return rc;
	}
	rc = mud_reapply(s, by, inv, now_ms, out, signed_out, signed_len, err,
			 errlen);
	if (rc < 0)
		ctl_store_mud_put(s->st, &old);
	ctl_store_mud_free(&old);
	return rc;
}

int
ctl_state_mud_list(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		   ctl_state_mud_cb cb, void *arg)
{
	struct ctl_mud_context ctx;
	struct ctl_mud_result res;
	struct mud_binds l;
	char err[512];
	int rc;

	rc = mud_binds_load(s, &l);
	if (rc < 0)
		return rc;
	rc = mud_ctx_build(s, &l, inv, &ctx);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct ctl_store_mud m = l.v[i];
		char sha[65];
		Cordon__Policy *scratch = ctl_cmp_policy_new();
		int r;

		if (scratch == NULL) {
			rc = -ENOMEM;
			break;
		}
		/* Of the file as it is, not as it was put. */
		if (util_hash_sha256_hex(m.file, m.file_len, sha) == 0)
			m.sha256 = sha;
		else
			m.sha256 = "";
		err[0] = '\0';
		r = ctl_mud_compile(m.file, m.file_len, m.mud_url, &ctx, m.mac,
				    CTL_STATE_MUD_PRIORITY, scratch, &res, err,
				    sizeof(err));
		ctl_cmp_policy_free(scratch);
		rc = cb(&m, r == 0 ? &res : NULL, err, arg);
	}
	mud_ctx_release(&ctx);
	mud_binds_free(&l);
	return rc;
}
