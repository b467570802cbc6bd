/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Policy versions (cordonctl policy ..., quarantine, release). Every
 * change makes a new version: compiled from a source with what cordond
 * knows (ctl_state.h), stored, signed when there is a key, and handed out
 * to the polls waiting for it. See docs/policy-versions.md.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "policy_validate.h"
#include "util_array.h"

/*
 * A compiled policy to hand out (cordonctl policy push). It must pass the
 * same validation the dataplane applies; its version is raised above the
 * current one if need be, so that versions only grow.
 */
static nng_msg *
cd_policy_push(struct cordond *d, struct cd_req *r)
{
	Cordon__Policy *pol = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	char err[256];

	if (policy_validate(pol, err, sizeof(err)) < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID, err);
	/* Compiled elsewhere: stored without a source. */
	if (ctl_state_add_compiled(&d->state, pol, NULL,
				   "cordonctl policy push", 0,
				   util_time_now_ms(), &sig, &sig_len, err,
				   sizeof(err)) < 0) {
		d->counters[CD_STORE_ERRORS]++;
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				err);
	}
	free(sig);
	if (cd_load_latest(d) < 0 || d->policy == NULL)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"store: cannot read back the new version");
	d->counters[CD_POLICIES]++;
	cd_log("policy %" PRIu64 " accepted: %zu segments, %zu devices, "
	       "%zu rules", pol->version, pol->n_segments, pol->n_devices,
	       pol->n_rules);
	return cd_ack(d, req_id, pol->version);
}

static nng_msg *
cd_policy_get(struct cordond *d, struct cd_req *r)
{
	if (d->policy == NULL)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no policy has been pushed");
	return cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_POLICY,
			&d->policy->base);
}

static nng_msg *
cd_policy_apply(struct cordond *d, struct cd_req *r)
{
	const Cordon__PolicyApply *a = cd_in(r);
	char err[512];
	int rc;

	if (strlen(a->name) > CD_TEXT_MAX || strlen(a->applied_by) >
	    CD_TEXT_MAX)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"the name (and who) may be at most "
				CD_TEXT_MAX_S " characters");
	rc = cd_apply_source(d, a->source, a->name[0] ? a->name :
				    "policy", a->applied_by, 0, err,
				    sizeof(err));
	if (rc < 0)
		return cd_error(d, r->msg->request_id, rc == -EINVAL ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	return cd_ack(d, r->msg->request_id, d->policy->version);
}

/* A history page's versions: by default, and at most (cordonctl --all
 * walks the pages). */
#define CD_HISTORY_DEFAULT 20
#define CD_HISTORY_MAX 1000

/* The history as PolicyVersions; the store's strings are copied. */
struct cd_history {
	Cordon__PolicyVersion *v;
	Cordon__PolicyVersion **vp;
	size_t n, cap;
};

static int
cd_history_cb(const struct ctl_store_policy_info *p, void *arg)
{
	struct ctl_policy_counts c = { 0 };
	struct cd_history *h = arg;
	Cordon__PolicyVersion *v;

	if (UTIL_ARRAY_GROW(h->v, h->cap, h->n, 32) < 0)
		return -ENOMEM;
	v = &h->v[h->n];
	cordon__policy_version__init(v);
	v->version = p->version;
	v->created_unix_ms = p->created_ms;
	v->rollback_of = p->rollback_of;
	v->is_signed = p->is_signed;
	v->has_source = p->has_source;
	v->base_version = p->base;
	v->applied_unix_ms = p->applied_ms;
	/* What the version holds; left 0 if it does not parse (the store
	 * checked it when it was made). A pruned version's were counted
	 * before its content went. */
	if (p->pruned_ms != 0)
		c = p->counts;
	else
		(void)ctl_policy_counts(p->compiled, p->compiled_len, &c);
	v->rules = c.rules;
	v->devices = c.devices;
	v->quarantined = c.quarantined;
	v->pruned_unix_ms = p->pruned_ms;
	v->comment = strdup(p->comment ? p->comment : "");
	v->applied_by = strdup(p->applied_by ? p->applied_by : "");
	h->n++;			/* freed with the others */
	return v->comment != NULL && v->applied_by != NULL ? 0 : -ENOMEM;
}

static nng_msg *
cd_policy_history(struct cordond *d, struct cd_req *r)
{
	const Cordon__PolicyHistoryRequest *q = cd_in(r);
	Cordon__PolicyHistory rep = CORDON__POLICY_HISTORY__INIT;
	uint64_t req_id = r->msg->request_id;
	struct cd_history h = { 0 };
	nng_msg *out;

	if (q->before_version > INT64_MAX)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"no such version");
	/* A page, never the whole history: a reply, and what it takes to
	 * make it, would grow with every version for as long as cordond
	 * runs. */
	if (ctl_store_policy_history(d->state.st, q->limit == 0 ?
				     CD_HISTORY_DEFAULT : q->limit >
				     CD_HISTORY_MAX ? CD_HISTORY_MAX :
				     q->limit, q->before_version,
				     cd_history_cb, &h, &rep.total) < 0) {
		out = cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
			       ctl_store_errmsg(d->state.st));
		goto done;
	}
	h.vp = calloc(h.n ? h.n : 1, sizeof(*h.vp));
	if (h.vp == NULL) {
		out = cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
			       "out of memory");
		goto done;
	}
	for (size_t i = 0; i < h.n; i++)
		h.vp[i] = &h.v[i];
	rep.n_versions = h.n;
	rep.versions = h.vp;
	out = cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY,
		       &rep.base);
done:
	for (size_t i = 0; i < h.n; i++) {
		free(h.v[i].comment);
		free(h.v[i].applied_by);
	}
	free(h.v);
	free(h.vp);
	return out;
}

static nng_msg *
cd_policy_diff(struct cordond *d, struct cd_req *r)
{
	const Cordon__PolicyDiffRequest *q = cd_in(r);
	Cordon__PolicyDiff rep = CORDON__POLICY_DIFF__INIT;
	uint64_t req_id = r->msg->request_id, to = q->to_version;
	char *diff = NULL, text[256];
	nng_msg *out;
	int rc;

	if (to == 0 && ctl_store_policy_latest_version(d->state.st, &to) < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no policy has been applied");
	rc = ctl_state_diff(&d->state, q->from_version, to, &diff, text,
			    sizeof(text));
	/* -ENODATA: pruned (--policy-keep). */
	if (rc < 0)
		return cd_error(d, req_id, rc == -ENOENT || rc == -ENODATA ?
				CORDON__ERROR_CODE__ERR_NOT_FOUND :
				CORDON__ERROR_CODE__ERR_INTERNAL, text);
	rep.diff = diff;
	out = cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY,
		       &rep.base);
	free(diff);
	return out;
}

static nng_msg *
cd_policy_rollback(struct cordond *d, struct cd_req *r)
{
	const Cordon__PolicyRollback *q = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	char err[512];
	int rc;

	/* Its source (or the pushed policy it was made on), compiled with
	 * today's devices, MUD files and quarantine. */
	rc = cd_apply_source(d, NULL, "rollback", q->applied_by,
				    q->version, err, sizeof(err));
	if (rc == -ENOENT || rc == -ENODATA)	/* none, or pruned */
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_NOT_FOUND,
				err);
	if (rc < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID, err);
	return cd_ack(d, req_id, d->policy->version);
}

static nng_msg *
cd_policy_quarantine(struct cordond *d, struct cd_req *r)
{
	const Cordon__Quarantine *q = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	int rc;

	if (q->mac.len != 6 || (q->mac.data[0] & 1))
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"a unicast MAC is needed");
	if (strlen(q->reason) > CD_TEXT_MAX || strlen(q->by) > CD_TEXT_MAX)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"the reason (and who) may be at most "
				CD_TEXT_MAX_S " characters");
	if (q->release)
		rc = ctl_store_quarantine_del(d->state.st, q->mac.data, q->by,
					      util_time_now_ms());
	else
		rc = ctl_store_quarantine_add(d->state.st, q->mac.data,
					      q->reason, q->by,
					      util_time_now_ms());
	if (rc == -EEXIST || rc == -ENOENT)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				rc == -EEXIST ? "already quarantined" :
				"not quarantined");
	return cd_recompile_reply(d, req_id, rc, q->by);
}

/* A newer policy for a poll; never one the dataplane refused. */
static nng_msg *
cd_policy_poll(struct cordond *d, const struct cd_poll *p)
{
	if (d->policy == NULL || d->policy->version <= p->have ||
	    d->policy->version == p->rejected)
		return NULL;
	return cd_poll_reply(d, p->req_id, true);
}

static const struct cd_handler cd_policy_handlers[] = {
	CD_HANDLER(POLICY, CLI, cd_policy_push),
	CD_HANDLER(POLICY_GET, CLI, cd_policy_get),
	CD_HANDLER(POLICY_APPLY, CLI, cd_policy_apply),
	CD_HANDLER(POLICY_HISTORY, CLI, cd_policy_history),
	CD_HANDLER(POLICY_DIFF, CLI, cd_policy_diff),
	CD_HANDLER(POLICY_ROLLBACK, CLI, cd_policy_rollback),
	CD_HANDLER(QUARANTINE, CLI, cd_policy_quarantine),
};

CD_FEATURE(policy, .on_poll = cd_policy_poll);
