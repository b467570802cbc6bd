/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Alerts (issue 13): a dataplane's detectors raised one and sent it at
 * once (MSG_ALERT). cordond stores it with an "alert" event before it
 * acknowledges (a resend is stored once), and when the alert's action is
 * quarantine it makes the quarantine a stored policy version: the
 * dataplane that detected has contained the device already, on its own;
 * the version makes every other dataplane, and every restart, hold it
 * too. Only an operator's release (cordonctl release) lets it go. When
 * the action is ask, a consent prompt asks an operator to quarantine the
 * device or dismiss the alert (cd_prompt.c).
 *
 * With --probation, a device the detectors quarantined is released once
 * it has been held that long, unless it offended before: a device with
 * two alerts that made a quarantine is held until an operator releases
 * it. Released by "probation" in the events.
 *
 * Envelopes: a dataplane sends a device's behaviour envelope once it has
 * learned it (MSG_ENVELOPE); cordond keeps the last one per device and
 * hands them to every dataplane that asks after its hello, so a restart
 * or another dataplane does not learn again, and to cordonctl device.
 *
 * Re-learn (cordonctl device relearn MAC): cordond deletes the stored
 * envelope and queues a Relearn for every dataplane it knows; each gets
 * it as the reply to its next poll and starts learning the device again.
 * A queue entry lives until that dataplane polls (a fixed table: a full
 * one is an error to the operator, never a silent drop).
 *
 * cordonctl alerts reads them back (MSG_ALERTS_REQUEST), oldest first,
 * from an id on; --follow asks again from the last id it saw.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cd.h"
#include "wire_nng.h"
#include "util_mac.h"

/* Probations ended that one wake releases (the rest: the next). */
#define CD_ALERTS_DUE_MAX 64

/* Quarantine what the alert's dataplane contained: the next version. */
static void
cd_alerts_hold(struct cordond *d, uint64_t id, const Cordon__Alert *a,
	       const char *dp_id)
{
	char reason[256], by[192], err[512], m[UTIL_MAC_STRLEN];
	int rc;

	util_mac_format(a->mac.data, m);
	snprintf(reason, sizeof(reason), "alert %" PRIu64 ": %s (%s: %"
		 PRIu64 " >= %" PRIu64 ")", id, a->detector,
		 a->evidence != NULL ? a->evidence->key : "",
		 a->evidence != NULL ? a->evidence->count : 0,
		 a->evidence != NULL ? a->evidence->threshold : 0);
	snprintf(by, sizeof(by), "detector %s on %s", a->detector, dp_id);
	rc = ctl_store_quarantine_add(d->state.st, a->mac.data, reason, by,
				      util_time_now_ms());
	if (rc == -EEXIST)	/* held already: no new version */
		return;
	if (rc < 0) {
		d->counters[CD_STORE_ERRORS]++;
		d->counters[CD_ALERT_HOLD_FAILED]++;
		cd_log("alert %" PRIu64 ": %s not quarantined: %s", id, m,
		       ctl_store_errmsg(d->state.st));
		return;
	}
	rc = cd_apply_source(d, NULL, NULL, by, 0, err, sizeof(err));
	if (rc == -ENOENT) {	/* no policy source: with the first one */
		cd_log("alert %" PRIu64 ": %s quarantined from the first "
		       "policy on (none yet)", id, m);
		d->counters[CD_ALERT_HOLDS]++;
		return;
	}
	if (rc < 0) {
		d->counters[CD_ALERT_HOLD_FAILED]++;
		cd_log("alert %" PRIu64 ": %s stored in quarantine, but no "
		       "new version: %s", id, m, err);
		return;
	}
	d->counters[CD_ALERT_HOLDS]++;
	cd_log("alert %" PRIu64 ": %s quarantined in policy version %" PRIu64,
	       id, m, d->policy->version);
	if (ctl_store_alert_set_version(d->state.st, id,
					d->policy->version) < 0)
		d->counters[CD_STORE_ERRORS]++;
}

/* The event's detail: what cordonctl events shows of it. */
static char *
cd_alerts_detail(const Cordon__Alert *a)
{
	const Cordon__AlertEvidence *e = a->evidence;
	json_t *j = json_pack("{sssssbsIsI}", "detector", a->detector,
			      "action", a->action, "contained",
			      (int)a->contained, "seq", (json_int_t)a->seq,
			      "count", (json_int_t)(e ? e->count : 0));
	char *s;

	if (j == NULL)
		return NULL;
	if (e != NULL && e->key[0] != '\0')
		json_object_set_new(j, "on", json_string(e->key));
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

static nng_msg *
cd_alerts_take(struct cordond *d, struct cd_req *r)
{
	const Cordon__Alert *a = cd_in(r);
	uint64_t req_id = r->msg->request_id, id = 0;
	struct ctl_store_alert row = { 0 };
	char m[UTIL_MAC_STRLEN], *detail;
	nng_msg *err = NULL;
	uint8_t *buf;
	size_t len;
	int rc;

	if (cd_registered(d, r, a->dataplane_id, &err) == NULL)
		return err;
	if (a->mac.len != 6 || (a->mac.data[0] & 1) || a->seq == 0 ||
	    a->detector[0] == '\0' || a->boot > INT64_MAX ||
	    a->seq > INT64_MAX || a->vlan > 4095)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"an alert needs a unicast MAC, a detector, a "
				"sequence number and a VLAN up to 4095");
	len = cordon__alert__get_packed_size(a);
	buf = malloc(len ? len : 1);
	detail = cd_alerts_detail(a);
	if (buf == NULL || detail == NULL) {
		free(buf);
		free(detail);
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"out of memory");
	}
	cordon__alert__pack(a, buf);
	row.received_ms = util_time_now_ms();
	row.dataplane_id = a->dataplane_id;
	row.boot = a->boot;
	row.seq = a->seq;
	memcpy(row.mac, a->mac.data, 6);
	row.detector = a->detector;
	row.action = a->action;
	row.payload = buf;
	row.payload_len = len;
	rc = ctl_store_alert_add(d->state.st, &row, detail, &id);
	free(buf);
	free(detail);
	if (rc == -EEXIST) {
		d->counters[CD_ALERTS_DUP]++;
		return cd_ack(d, req_id, a->seq);
	}
	if (rc < 0) {
		d->counters[CD_STORE_ERRORS]++;
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	}
	d->counters[CD_ALERTS]++;
	util_mac_format(a->mac.data, m);
	cd_log("alert %" PRIu64 " from %s: %s on %s, %s%s", id,
	       a->dataplane_id, a->detector, m, a->action,
	       a->contained ? ", contained by the dataplane" : "");
	if (strcmp(a->action, "quarantine") == 0 || a->contained)
		cd_alerts_hold(d, id, a, a->dataplane_id);
	else if (strcmp(a->action, "ask") == 0)
		cd_prompt_alert(d, id, a);	/* the operator decides */
	return cd_ack(d, req_id, a->seq);
}

/* The reply is built with malloc() throughout: free_unpacked frees it. */
struct cd_alerts_list {
	Cordon__Alerts *rep;
	size_t cap;
};

static int
cd_alerts_cb(const struct ctl_store_alert *sa, void *arg)
{
	struct cd_alerts_list *x = arg;
	Cordon__StoredAlert *o;
	int rc;

	o = cd_list_add(x->rep->alerts, &x->rep->n_alerts, x->cap,
			&cordon__stored_alert__descriptor, &rc);
	if (o == NULL)
		return rc;
	o->id = sa->id;
	o->received_unix_ms = sa->received_ms;
	o->policy_version = sa->policy_version;
	o->dataplane_id = strdup(sa->dataplane_id);
	if (o->dataplane_id == NULL)
		return -ENOMEM;
	/* Stored as received: it decoded then. */
	o->alert = cordon__alert__unpack(NULL, sa->payload_len, sa->payload);
	return o->alert != NULL ? 0 : -EBADMSG;
}

static nng_msg *
cd_alerts_list(struct cordond *d, struct cd_req *r)
{
	const Cordon__AlertsRequest *q = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	struct cd_alerts_list x = {
		.cap = cd_log_cap(q->newest, q->limit),
	};
	const uint8_t *mac = q->mac.len == 6 ? q->mac.data : NULL;
	nng_msg *bad;
	int rc = -ENOMEM;

	if (q->mac.len != 0 && q->mac.len != 6)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"a MAC is 6 bytes");
	bad = cd_log_page_check(d, req_id, "alerts", q->newest, q->since_id,
				q->before_id);
	if (bad != NULL)
		return bad;
	x.rep = cd_pb_new(&cordon__alerts__descriptor);
	if (x.rep != NULL)
		x.rep->alerts = calloc(x.cap, sizeof(*x.rep->alerts));
	if (x.rep != NULL && x.rep->alerts != NULL && q->newest)
		rc = ctl_store_alerts_newest(d->state.st, q->before_id,
					     (uint32_t)x.cap, mac,
					     cd_alerts_cb, &x, &x.rep->total);
	else if (x.rep != NULL && x.rep->alerts != NULL)
		rc = ctl_store_alerts(d->state.st, q->since_id,
				      (uint32_t)x.cap, mac, cd_alerts_cb, &x);
	return cd_listing(d, req_id, CORDON__MSG_TYPE__MSG_ALERTS,
			  (ProtobufCMessage *)x.rep, rc, "alert");
}

/* The largest envelope taken (det_envelope_max_size() is 1,720). */
#define CD_ALERTS_ENVELOPE_MAX 4096

/* A dataplane learned a device's envelope: kept, replacing the last. */
static nng_msg *
cd_alerts_envelope(struct cordond *d, struct cd_req *r)
{
	const Cordon__DeviceEnvelope *e = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	struct ctl_store_envelope row = { 0 };
	nng_msg *err = NULL;

	if (cd_registered(d, r, e->dataplane_id, &err) == NULL)
		return err;
	if (e->mac.len != 6 || (e->mac.data[0] & 1) || e->vlan > 4095 ||
	    e->data.len == 0 || e->data.len > CD_ALERTS_ENVELOPE_MAX)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"an envelope needs a unicast MAC, a VLAN up to "
				"4095 and 1..4096 bytes");
	memcpy(row.mac, e->mac.data, 6);
	row.vlan = (uint16_t)e->vlan;
	row.dataplane_id = e->dataplane_id;
	row.stored_ms = util_time_now_ms();
	row.data = e->data.data;
	row.len = e->data.len;
	if (ctl_store_envelope_put(d->state.st, &row) < 0) {
		d->counters[CD_STORE_ERRORS]++;
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	}
	d->counters[CD_ENVELOPES]++;
	cd_event(d, "envelope_learned", e->dataplane_id, e->mac.data, "{}");
	return cd_ack(d, req_id, 0);
}

/* The envelopes listed: all of them, or those one dataplane learned. */
struct cd_env_list {
	Cordon__Envelopes *rep;
	const char *dp_id;		/* NULL: every dataplane's */
};

static int
cd_alerts_env_cb(const struct ctl_store_envelope *se, void *arg)
{
	const struct cd_env_list *l = arg;
	Cordon__Envelopes *rep = l->rep;
	Cordon__DeviceEnvelope *o;
	Cordon__DeviceEnvelope **v;

	if (l->dp_id != NULL && strcmp(se->dataplane_id, l->dp_id) != 0)
		return 0;

	v = realloc(rep->envelopes, (rep->n_envelopes + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	rep->envelopes = v;
	if ((o = cd_pb_new(&cordon__device_envelope__descriptor)) == NULL)
		return -ENOMEM;
	v[rep->n_envelopes++] = o;
	o->vlan = se->vlan;
	o->stored_unix_ms = se->stored_ms;
	o->dataplane_id = strdup(se->dataplane_id);
	o->mac.data = malloc(6);
	o->data.data = malloc(se->len);
	if (o->dataplane_id == NULL || o->mac.data == NULL ||
	    o->data.data == NULL)
		return -ENOMEM;
	memcpy(o->mac.data, se->mac, 6);
	o->mac.len = 6;
	memcpy(o->data.data, se->data, se->len);
	o->data.len = se->len;
	return 0;
}

/*
 * The stored envelopes: every one for cordonctl; for a dataplane that
 * starts, those it learned itself, on the connection it said hello on. A
 * CPE is not handed what every other subscriber's devices do; a device
 * that moves to another dataplane is learned again there.
 */
static nng_msg *
cd_alerts_envelopes(struct cordond *d, struct cd_req *r)
{
	const Cordon__EnvelopesRequest *q = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	struct cd_env_list l = { 0 };
	int rc = -ENOMEM;

	if (q->mac.len != 0 && q->mac.len != 6)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"a MAC is 6 bytes");
	if (r->conn->ep == CD_EP_DATAPLANE) {
		const struct ctl_dp *dp = ctl_registry_by_pipe(&d->reg,
							       r->pipe_id);

		if (dp == NULL)
			return cd_error(d, req_id,
					CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
					"say hello first");
		l.dp_id = dp->hello->dataplane_id;
	}
	l.rep = cd_pb_new(&cordon__envelopes__descriptor);
	if (l.rep != NULL)
		rc = ctl_store_envelopes(d->state.st, q->mac.len == 6 ?
					 q->mac.data : NULL, cd_alerts_env_cb,
					 &l);
	return cd_listing(d, req_id, CORDON__MSG_TYPE__MSG_ENVELOPES,
			  (ProtobufCMessage *)l.rep, rc, "envelope");
}

/*
 * Re-learns waiting for their dataplane's poll, kept per dataplane: one
 * that is away holds up only its own. A dataplane that restarts loads the
 * envelopes from the store, where the re-learn deleted this one already.
 * A queue goes once it is handed out, or once the registry forgot its
 * dataplane (--dataplane-retention): looked for every minute.
 */
#define CD_RELEARN_PER_DP 64
#define CD_RELEARN_SWEEP_MS 60000

struct cd_relearn_dp {
	char dp_id[CTL_DP_ID_MAX + 1];
	uint32_t n;				/* waiting, oldest first */
	uint8_t mac[CD_RELEARN_PER_DP][6];
};

struct cd_relearn {
	struct cd_relearn_dp *dps;
	size_t n, cap;
	uint64_t next_sweep_ms;
};

/* Queue i goes; the last takes its place. */
static void
cd_relearn_drop(struct cd_relearn *rl, size_t i)
{
	rl->dps[i] = rl->dps[--rl->n];
}

/* The queues of dataplanes the registry forgot. */
static void
cd_relearn_sweep(struct cordond *d, uint64_t now_ms)
{
	struct cd_relearn *rl = d->relearn;

	if (now_ms < rl->next_sweep_ms)
		return;
	rl->next_sweep_ms = now_ms + CD_RELEARN_SWEEP_MS;
	for (size_t i = 0; i < rl->n;)
		if (ctl_registry_find(&d->reg, rl->dps[i].dp_id) == NULL)
			cd_relearn_drop(rl, i);
		else
			i++;
}

static struct cd_relearn_dp *
cd_relearn_find(struct cd_relearn *rl, const char *dp_id, bool add)
{
	struct cd_relearn_dp *x;

	for (size_t i = 0; i < rl->n; i++)
		if (strcmp(rl->dps[i].dp_id, dp_id) == 0)
			return &rl->dps[i];
	if (!add)
		return NULL;
	if (rl->n == rl->cap) {
		size_t cap = rl->cap ? 2 * rl->cap : 8;

		x = realloc(rl->dps, cap * sizeof(*x));
		if (x == NULL)
			return NULL;
		rl->dps = x;
		rl->cap = cap;
	}
	x = &rl->dps[rl->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->dp_id, sizeof(x->dp_id), "%s", dp_id);
	return x;
}

/* Queue a re-learn for one dataplane: 0 (or queued already), -ENOSPC
 * when CD_RELEARN_PER_DP wait for it, -ENOMEM. */
static int
cd_relearn_queue(struct cd_relearn *rl, const char *dp_id,
		 const uint8_t mac[6])
{
	struct cd_relearn_dp *x = cd_relearn_find(rl, dp_id, true);

	if (x == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < x->n; i++)
		if (memcmp(x->mac[i], mac, 6) == 0)
			return 0;
	if (x->n == CD_RELEARN_PER_DP)
		return -ENOSPC;
	memcpy(x->mac[x->n++], mac, 6);
	return 0;
}

static void
cd_alerts_fini(struct cordond *d)
{
	if (d->relearn != NULL)
		free(d->relearn->dps);
}

/* The operator's re-learn: forget the stored envelope, tell the
 * dataplanes. */
static nng_msg *
cd_alerts_relearn(struct cordond *d, struct cd_req *r)
{
	const Cordon__Relearn *q = cd_in(r);
	Cordon__Relearn rep = CORDON__RELEARN__INIT;
	uint64_t req_id = r->msg->request_id;
	char m[UTIL_MAC_STRLEN], detail[256];
	unsigned int full = 0;
	int rc;

	if (q->mac.len != 6 || (q->mac.data[0] & 1))
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"a re-learn needs a unicast MAC");
	rc = ctl_store_envelope_del(d->state.st, q->mac.data);
	if (rc < 0 && rc != -ENOENT) {
		d->counters[CD_STORE_ERRORS]++;
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	}
	/* Every dataplane it knows, away or not: a running one that was
	 * away takes it at its next poll. One with CD_RELEARN_PER_DP
	 * waiting has not polled for a long while: not told, and said. */
	for (size_t i = 0; i < d->reg.n; i++) {
		const char *id = d->reg.dps[i].hello->dataplane_id;

		if (cd_relearn_queue(d->relearn, id, q->mac.data) == 0)
			rep.dataplanes++;
		else
			full++;
	}
	d->counters[CD_RELEARNS]++;
	util_mac_format(q->mac.data, m);
	cd_log("%s: envelope re-learn by %s (stored one %s, %u dataplanes; "
	       "%u not told: %d re-learns wait for each already)",
	       m, q->by[0] ? q->by : "?", rc == 0 ? "deleted" : "none",
	       rep.dataplanes, full, CD_RELEARN_PER_DP);
	snprintf(detail, sizeof(detail), "{\"forgotten\": %s, "
		 "\"dataplanes\": %u, \"not_told\": %u}",
		 rc == 0 ? "true" : "false", rep.dataplanes, full);
	cd_event(d, "envelope_relearn", "", q->mac.data, detail);
	rep.mac = q->mac;
	rep.by = q->by;
	rep.forgotten = rc == 0;
	return cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_RELEARN, &rep.base);
}

/* A dataplane's poll: the oldest re-learn waiting for it. */
static nng_msg *
cd_alerts_relearn_poll(struct cordond *d, const struct cd_poll *p)
{
	struct cd_relearn_dp *x = cd_relearn_find(d->relearn, p->dp_id,
						   false);
	Cordon__Relearn rl = CORDON__RELEARN__INIT;
	nng_msg *m = NULL;

	if (x == NULL || x->n == 0)
		return NULL;
	rl.mac.data = x->mac[0];
	rl.mac.len = 6;
	if (wire_nng_msg(CORDON__MSG_TYPE__MSG_RELEARN, p->req_id, &rl.base,
			 &m) < 0)
		return NULL;
	memmove(x->mac[0], x->mac[1], (size_t)(x->n - 1) * 6);
	if (--x->n == 0)
		cd_relearn_drop(d->relearn, (size_t)(x - d->relearn->dps));
	return m;
}

/* How often the wake hook looks for probations that ended. */
#define CD_ALERTS_PROBATION_CHECK_MS 1000
#define CD_ALERTS_BY "detector "

struct cd_alerts_due {
	uint8_t mac[CD_ALERTS_DUE_MAX][6];
	size_t n;
	uint64_t now_ms, probation_ms;
};

static int
cd_alerts_due_cb(const struct ctl_store_quarantine *q, void *arg)
{
	struct cd_alerts_due *x = arg;

	if (strncmp(q->by, CD_ALERTS_BY, strlen(CD_ALERTS_BY)) == 0 &&
	    q->since_ms + x->probation_ms <= x->now_ms &&
	    x->n < CD_ALERTS_DUE_MAX)
		memcpy(x->mac[x->n++], q->mac, 6);
	return 0;
}

/* Alerts of a device that made a quarantine. */
static int
cd_alerts_holds_cb(const struct ctl_store_alert *a, void *arg)
{
	if (a->policy_version != 0)
		(*(unsigned int *)arg)++;
	return 0;
}

/* Release the first offenders whose probation is over. */
static void
cd_alerts_wake(struct cordond *d, uint64_t now_ms, struct cd_wake *w)
{
	struct cd_alerts_due x = { .now_ms = now_ms,
				   .probation_ms = d->conf.probation_ms };
	char err[512], m[UTIL_MAC_STRLEN];
	bool changed = false;

	(void)w;
	cd_relearn_sweep(d, now_ms);
	if (d->conf.probation_ms == 0 || now_ms < d->probation_next_ms)
		return;
	d->probation_next_ms = now_ms + CD_ALERTS_PROBATION_CHECK_MS;
	if (ctl_store_quarantine_list(d->state.st, cd_alerts_due_cb, &x) < 0) {
		d->counters[CD_STORE_ERRORS]++;
		return;
	}
	for (size_t i = 0; i < x.n; i++) {
		unsigned int holds = 0;

		util_mac_format(x.mac[i], m);
		if (ctl_store_alerts(d->state.st, 0, 0, x.mac[i],
				     cd_alerts_holds_cb, &holds) < 0) {
			d->counters[CD_STORE_ERRORS]++;
			continue;
		}
		if (holds > 1)		/* a re-offender: held for good */
			continue;
		if (ctl_store_quarantine_del(d->state.st, x.mac[i],
					     "probation", now_ms) < 0) {
			d->counters[CD_STORE_ERRORS]++;
			continue;
		}
		d->counters[CD_ALERT_PROBATIONS]++;
		cd_log("%s released: probation over", m);
		changed = true;
	}
	if (changed && cd_apply_source(d, NULL, NULL, "probation", 0, err,
				       sizeof(err)) < 0 && d->policy != NULL)
		cd_log("probation: no new version: %s", err);
}

static const struct cd_handler cd_alerts_handlers[] = {
	CD_HANDLER(ALERT, DATAPLANE, cd_alerts_take),
	CD_HANDLER(ALERTS_REQUEST, CLI, cd_alerts_list),
	CD_HANDLER(ENVELOPE, DATAPLANE, cd_alerts_envelope),
	CD_HANDLER(ENVELOPES_REQUEST, DATAPLANE, cd_alerts_envelopes),
	CD_HANDLER(ENVELOPES_REQUEST, CLI, cd_alerts_envelopes),
	CD_HANDLER(RELEARN, CLI, cd_alerts_relearn),
};

CD_FEATURE(alerts, CD_STATE(relearn), .fini = cd_alerts_fini,
	   .on_poll = cd_alerts_relearn_poll, .on_wake = cd_alerts_wake);
