/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's core: registration, dispatch, the parking of requests and the
 * services every feature uses (replies, events, the policy handed out, the
 * inventory). See cd.h.
 *
 * Nothing a peer sends is trusted. Every message is decoded by
 * wire_unpack(); whatever fails gets an Error reply carrying the request
 * id, and is counted by reason.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cd.h"
#include "util_err.h"
#include "wire_nng.h"

const char *const cd_counter_names[CD_MAX] = {
#define CD_NAME(e, s) [CD_##e] = s,
	CD_COUNTERS(CD_NAME)
#undef CD_NAME
};

void
cd_log(const char *fmt, ...)
{
	char ts[32];
	struct tm tm;
	time_t t = time(NULL);
	va_list ap;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s cordond: ", ts);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- Life cycle and registration ---------------------------------------- */

int
cd_init(struct cordond *d, const struct cd_conf *conf, char *err,
	size_t errlen)
{
	int rc;

	memset(d, 0, sizeof(*d));
	d->conf = *conf;
	pthread_mutex_init(&d->lock, NULL);
	ctl_registry_init(&d->reg);
	ctl_inv_init(&d->inv, (uint64_t)conf->inventory_refresh_s * 1000);
	d->start_ms = util_time_now_ms();
	for (int ep = 0; ep < CD_EP_MAX; ep++)
		for (int i = 0; i < CD_CONNS; i++)
			d->conns[ep][i].ep = (enum cd_ep)ep;
	rc = ctl_state_open(&d->state, conf->statedir, err, errlen);
	if (rc < 0)
		goto fail;
	/* Dataplanes get the policy in force across restarts. */
	rc = cd_load_latest(d);
	if (rc < 0) {
		util_err_set(err, errlen, "the stored policy does not decode");
		goto fail;
	}
	return 0;
fail:
	cd_fini(d);
	return rc;
}

/* A feature's state pointer (struct cordond's field at state_off) set to p;
 * memcpy, as the field is a pointer to the feature's own struct. */
static void
cd_state_set(struct cordond *d, const struct cd_feature *f, void *p)
{
	memcpy((char *)d + f->state_off, &p, sizeof(p));
}

static void
cd_state_free(struct cordond *d, const struct cd_feature *f)
{
	void *p;

	if (f->state_size == 0)
		return;
	memcpy(&p, (char *)d + f->state_off, sizeof(p));
	free(p);
	cd_state_set(d, f, NULL);
}

void
cd_fini(struct cordond *d)
{
	while (d->n_features > 0) {
		const struct cd_feature *f = d->features[--d->n_features];

		if (f->fini != NULL)
			f->fini(d);
		cd_state_free(d, f);
	}
	ctl_registry_fini(&d->reg);
	ctl_inv_fini(&d->inv);
	wire_id_verifier_free(d->id_verifier);
	d->id_verifier = NULL;
	if (d->policy != NULL)
		cordon__policy__free_unpacked(d->policy, NULL);
	free(d->policy_signed);
	d->policy = NULL;
	d->policy_signed = NULL;
	ctl_state_close(&d->state);
	pthread_mutex_destroy(&d->lock);
}

int
cd_register(struct cordond *d, const struct cd_feature *f, char *err,
	    size_t errlen)
{
	int rc;

	if (d->n_features == sizeof(d->features) / sizeof(d->features[0])) {
		util_err_set(err, errlen, "%s: too many features", f->name);
		return -ENOSPC;
	}
	for (size_t i = 0; i < f->n_handlers; i++) {
		const struct cd_handler *h = &f->handlers[i];

		if ((unsigned int)h->type >= CD_MSG_MAX ||
		    h->type == CORDON__MSG_TYPE__MSG_PING ||
		    d->handlers[h->ep][h->type] != NULL) {
			util_err_set(err, errlen, "%s: %s has a handler "
				     "already, or cannot have one", f->name,
				     wire_type_name(h->type));
			return -EEXIST;
		}
	}
	for (size_t i = 0; i < f->n_handlers; i++)
		d->handlers[f->handlers[i].ep][f->handlers[i].type] =
			f->handlers[i].fn;
	rc = 0;
	if (f->on_report != NULL)
		rc = cd_on_report(d, f->on_report);
	if (rc == 0 && f->on_poll != NULL)
		rc = cd_on_poll(d, f->on_poll);
	if (rc == 0 && f->on_wake != NULL)
		rc = cd_on_wake(d, f->on_wake);
	if (rc == 0 && f->on_pipe != NULL)
		rc = cd_on_pipe(d, f->on_pipe);
	if (rc == 0 && f->on_flush != NULL)
		rc = cd_on_flush(d, f->on_flush);
	if (rc < 0) {
		util_err_set(err, errlen, "%s: too many hooks", f->name);
		return rc;
	}
	if (f->state_size != 0) {
		void *p = calloc(1, f->state_size);

		if (p == NULL) {
			util_err_set(err, errlen, "%s: out of memory", f->name);
			return -ENOMEM;
		}
		cd_state_set(d, f, p);
	}
	if (f->init != NULL) {
		rc = f->init(d, err, errlen);
		if (rc < 0) {
			if (f->fini != NULL)
				f->fini(d);
			cd_state_free(d, f);
			return rc;
		}
	}
	d->features[d->n_features++] = f;
	return 0;
}

/* int cd_on_<kind>(d, fn): fn runs after the hooks registered before. */
#define CD_HOOK_FN(kind)						\
int									\
cd_on_##kind(struct cordond *d, cd_##kind##_hook_fn fn)			\
{									\
	if (d->n_on_##kind == CD_HOOKS_MAX)				\
		return -ENOSPC;						\
	d->on_##kind[d->n_on_##kind++] = fn;				\
	return 0;							\
}

CD_HOOK_FN(report)
CD_HOOK_FN(poll)
CD_HOOK_FN(wake)
CD_HOOK_FN(pipe)
CD_HOOK_FN(flush)

/* --- Replies ------------------------------------------------------------ */

static void
cd_count_error(struct cordond *d, Cordon__ErrorCode code)
{
	static const enum cd_counter map[] = {
		[CORDON__ERROR_CODE__ERR_BAD_VERSION] = CD_BAD_VERSION,
		[CORDON__ERROR_CODE__ERR_DECODE] = CD_BAD_DECODE,
		[CORDON__ERROR_CODE__ERR_UNKNOWN_TYPE] = CD_UNKNOWN_TYPE,
		[CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD] = CD_UNKNOWN_FIELD,
		[CORDON__ERROR_CODE__ERR_UNEXPECTED] = CD_UNEXPECTED,
		[CORDON__ERROR_CODE__ERR_NOT_REGISTERED] = CD_NOT_REGISTERED,
		[CORDON__ERROR_CODE__ERR_INVALID] = CD_INVALID,
		[CORDON__ERROR_CODE__ERR_TOO_LARGE] = CD_TOO_LARGE,
	};

	if ((size_t)code < sizeof(map) / sizeof(map[0]) && map[code] != 0)
		d->counters[map[code]]++;
}

nng_msg *
cd_error(struct cordond *d, uint64_t req_id, Cordon__ErrorCode code,
	 const char *text)
{
	nng_msg *m = NULL;

	cd_count_error(d, code);
	if (d->conf.verbose)
		cd_log("rejected request %" PRIu64 ": %s: %s", req_id,
		       wire_err_name(code), text);
	wire_nng_error_msg(req_id, code, text, &m);
	return m;
}

nng_msg *
cd_reply(struct cordond *d, uint64_t req_id, Cordon__MsgType type,
	 const ProtobufCMessage *payload)
{
	nng_msg *m = NULL;

	if (wire_nng_msg(type, req_id, payload, &m) < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"cannot encode reply");
	return m;
}

nng_msg *
cd_log_page_check(struct cordond *d, uint64_t req_id, const char *what,
		  bool newest, uint64_t since_id, uint64_t before_id)
{
	char msg[96];

	if (newest && since_id != 0)
		snprintf(msg, sizeof(msg), "%s: the newest or those after an "
			 "id, not both", what);
	else if (!newest && before_id != 0)
		snprintf(msg, sizeof(msg), "%s: before an id only with the "
			 "newest", what);
	else if (since_id > INT64_MAX || before_id > INT64_MAX)
		snprintf(msg, sizeof(msg), "%s: no such id", what);
	else
		return NULL;
	return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID, msg);
}

nng_msg *
cd_listing(struct cordond *d, uint64_t req_id, Cordon__MsgType type,
	   ProtobufCMessage *rep, int rc, const char *what)
{
	char bad[96];
	nng_msg *out;

	if (rep == NULL)
		rc = -ENOMEM;
	if (rc == -EBADMSG) {
		snprintf(bad, sizeof(bad), "a stored %s does not decode", what);
		out = cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL, bad);
	} else if (rc < 0) {
		out = cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
			       rc == -ENOMEM ? "out of memory" :
			       ctl_store_errmsg(d->state.st));
	} else {
		out = cd_reply(d, req_id, type, rep);
	}
	if (rep != NULL)
		protobuf_c_message_free_unpacked(rep, NULL);
	return out;
}

nng_msg *
cd_ack(struct cordond *d, uint64_t req_id, uint64_t seq)
{
	Cordon__Ack ack = CORDON__ACK__INIT;

	ack.seq = seq;
	return cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_ACK, &ack.base);
}

void
cd_event(struct cordond *d, const char *kind, const char *dp_id,
	 const uint8_t *mac, const char *detail_json)
{
	if (ctl_store_event_add(d->state.st, util_time_now_ms(), kind, dp_id,
				mac, detail_json, NULL) < 0)
		d->counters[CD_STORE_ERRORS]++;
}

void
cd_store_failed(struct cordond *d, const char *what)
{
	const char *why = ctl_store_errmsg(d->state.st);

	d->counters[CD_STORE_ERRORS]++;
	d->store_health.failures++;
	if (d->store_health.reason[0] == '\0')
		d->store_health.since_ms = util_time_now_ms();
	else if (strstr(d->store_health.reason, why) != NULL)
		return;		/* said already */
	snprintf(d->store_health.reason, sizeof(d->store_health.reason),
		 "%.80s: %.160s", what, why);
	cd_log("store write failed (%s); degraded until a write succeeds",
	       d->store_health.reason);
}

void
cd_store_ok(struct cordond *d)
{
	char detail[512];
	json_t *j;
	char *s;

	if (d->store_health.reason[0] == '\0')
		return;
	cd_log("store writable again after %" PRIu64 " failed writes (%s)",
	       d->store_health.failures, d->store_health.reason);
	j = json_pack("{s:s, s:I, s:I}", "reason", d->store_health.reason,
		      "since_ms", (json_int_t)d->store_health.since_ms,
		      "failures", (json_int_t)d->store_health.failures);
	s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	snprintf(detail, sizeof(detail), "%s", s != NULL ? s : "{}");
	free(s);
	json_decref(j);
	d->store_health.reason[0] = '\0';
	d->store_health.failures = 0;
	cd_event(d, CTL_STORE_EV_STORE_FAILED, NULL, NULL, detail);
}

/* --- Dispatch ----------------------------------------------------------- */

static nng_msg *
cd_on_ping(struct cordond *d, struct wire_msg *msg)
{
	d->counters[CD_PINGS]++;
	return cd_ack(d, msg->request_id,
		      ((const Cordon__Ping *)msg->payload)->nonce);
}

nng_msg *
cd_handle(struct cordond *d, struct cd_conn *conn, nng_msg *in, bool *parked)
{
	struct cd_req r = { .conn = conn };
	struct wire_msg msg;
	struct wire_err err;
	cd_handler_fn fn;
	nng_msg *out;

	r.msg = &msg;
	r.pipe_id = nng_pipe_id(nng_msg_get_pipe(in));
	pthread_mutex_lock(&d->lock);
	conn->parked = false;
	conn->is_poll = false;
	d->counters[conn->ep == CD_EP_DATAPLANE ? CD_DP_MESSAGES :
		    CD_CLI_MESSAGES]++;
	if (wire_unpack(nng_msg_body(in), nng_msg_len(in), &msg, &err) < 0) {
		out = cd_error(d, msg.request_id, err.code, err.text);
	} else if (msg.type == CORDON__MSG_TYPE__MSG_PING) {
		out = cd_on_ping(d, &msg);
	} else {
		fn = (unsigned int)msg.type < CD_MSG_MAX ?
			d->handlers[conn->ep][msg.type] : NULL;
		if (fn != NULL)
			out = fn(d, &r);
		else
			out = cd_error(d, msg.request_id,
				       CORDON__ERROR_CODE__ERR_UNEXPECTED,
				       conn->ep == CD_EP_DATAPLANE ?
				       "not a dataplane request" :
				       "not a cordonctl request");
	}
	*parked = out == NULL && conn->parked;
	pthread_mutex_unlock(&d->lock);
	wire_msg_free(&msg);
	return out;
}

void
cd_pipe(struct cordond *d, uint32_t pipe_id, bool added)
{
	pthread_mutex_lock(&d->lock);
	d->counters[added ? CD_DP_CONNECTS : CD_DP_DISCONNECTS]++;
	for (size_t i = 0; i < d->n_on_pipe; i++)
		d->on_pipe[i](d, pipe_id, added);
	pthread_mutex_unlock(&d->lock);
}

/* --- Parking: the long poll --------------------------------------------- */

void
cd_park(struct cd_req *r)
{
	r->conn->parked = true;
	r->conn->req_id = r->msg->request_id;
}

void
cd_answer(struct cd_wake *w, struct cd_conn *conn, nng_msg *msg)
{
	conn->parked = false;
	conn->is_poll = false;
	if (w->n == sizeof(w->msg) / sizeof(w->msg[0])) {
		/* Cannot happen: one per context. */
		nng_msg_free(msg);
		return;
	}
	w->conn[w->n] = conn;
	w->msg[w->n++] = msg;
}

static nng_msg *
cd_poll_hooks(struct cordond *d, const struct cd_poll *p)
{
	for (size_t i = 0; i < d->n_on_poll; i++) {
		nng_msg *m = d->on_poll[i](d, p);

		if (m != NULL)
			return m;
	}
	return NULL;
}

nng_msg *
cd_poll_park(struct cordond *d, struct cd_req *r, const struct cd_poll *p)
{
	nng_msg *m = cd_poll_hooks(d, p);

	if (m != NULL)
		return m;
	cd_park(r);
	r->conn->is_poll = true;
	r->conn->poll = *p;
	return NULL;
}

nng_msg *
cd_poll_reply(struct cordond *d, uint64_t req_id, bool with_policy)
{
	Cordon__PollReply pr = CORDON__POLL_REPLY__INIT;

	if (with_policy) {
		pr.policy = d->policy;
		pr.signed_policy.data = d->policy_signed;
		pr.signed_policy.len = d->policy_signed_len;
	}
	return cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_POLL_REPLY,
			&pr.base);
}

void
cd_wake(struct cordond *d, bool expire, struct cd_wake *w)
{
	uint64_t now = util_time_now_ms();

	w->n = 0;
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->n_on_wake; i++)
		d->on_wake[i](d, now, w);
	for (int i = 0; i < CD_CONNS; i++) {
		struct cd_conn *c = &d->conns[CD_EP_DATAPLANE][i];
		nng_msg *m;

		if (!c->parked || !c->is_poll)
			continue;
		m = cd_poll_hooks(d, &c->poll);
		if (m == NULL && expire && now >= c->poll.deadline_ms)
			m = cd_poll_reply(d, c->poll.req_id, false);
		if (m != NULL)
			cd_answer(w, c, m);
	}
	pthread_mutex_unlock(&d->lock);
}

int
cd_flush(struct cordond *d, struct cd_wake *w)
{
	int more = 0;

	w->n = 0;
	/* The hooks are fixed once cordond runs: no lock to read them. */
	for (size_t i = 0; i < d->n_on_flush; i++)
		more |= d->on_flush[i](d, w);
	return more;
}

/* --- The policy handed out and the inventory ---------------------------- */

bool
cd_any_report(const struct cordond *d)
{
	for (size_t i = 0; i < d->reg.n; i++)
		if (d->reg.dps[i].report != NULL)
			return true;
	return false;
}

/*
 * The devices in the dataplanes' latest reports, or (connected) in those of
 * the dataplanes connected now: one gone lists nothing any more, and the
 * registry keeps its last report for as long as cordond runs. Their
 * strings are the reports'.
 */
static int
cd_inventory_reported(struct cordond *d, bool connected,
		      struct ctl_pol_inv_device **out, size_t *n_out)
{
	struct ctl_pol_inv_device *v;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < d->reg.n; i++)
		if (d->reg.dps[i].report != NULL)
			n += d->reg.dps[i].report->n_devices;
	v = calloc(n ? n : 1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < d->reg.n; i++) {
		const Cordon__StatsReport *r = d->reg.dps[i].report;

		if (connected && d->reg.dps[i].pipe_id == 0)
			continue;

		for (size_t j = 0; r != NULL && j < r->n_devices; j++) {
			const Cordon__DeviceStats *ds = r->devices[j];

			if (ds->mac.len != 6)
				continue;
			memcpy(v[k].mac, ds->mac.data, 6);
			v[k].vlan = (uint16_t)ds->vlan;
			if (ds->identity != NULL) {
				v[k].vendor = ds->identity->vendor;
				v[k].type = ds->identity->type;
				v[k].type_confidence =
					ds->identity->type_confidence;
				v[k].mud_url = ds->identity->mud_url;
			}
			k++;
		}
	}
	*out = v;
	*n_out = k;
	return 0;
}

int
cd_inventory_live(struct cordond *d, struct ctl_pol_inventory *inv,
		  bool *owned)
{
	struct ctl_pol_inv_device *v;
	size_t n = 0;
	int rc;

	memset(inv, 0, sizeof(*inv));
	*owned = false;
	if (!cd_any_report(d)) {
		rc = ctl_inv_load(d->state.st, &v, &n);
		if (rc < 0)
			return rc;
		*owned = true;
	} else {
		rc = cd_inventory_reported(d, false, &v, &n);
		if (rc < 0)
			return rc;
	}
	inv->devs = v;
	inv->n_devs = n;
	return 0;
}

static uint64_t
cd_inv_key(const struct ctl_pol_inv_device *e)
{
	uint64_t k = (uint64_t)e->vlan << 48;

	for (int b = 0; b < 6; b++)
		k |= (uint64_t)e->mac[b] << (40 - 8 * b);
	return k;
}

/* The slot of key in the set seen (open addressing, slots a power of two,
 * keys stored + 1 so that 0 is free): its own, or the free one where it
 * would go. */
static uint64_t *
cd_inv_slot(uint64_t *seen, size_t slots, uint64_t key)
{
	size_t h = (size_t)(key * 0x9e3779b97f4a7c15ull) & (slots - 1);

	while (seen[h] != 0 && seen[h] != key + 1)
		h = (h + 1) & (slots - 1);
	return &seen[h];
}

static char *
cd_strdup_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

int
cd_inventory(struct cordond *d, struct ctl_pol_inventory *inv, bool *owned)
{
	struct ctl_pol_inv_device *live = NULL, *stored = NULL, *v = NULL;
	size_t n_live = 0, n_stored = 0, k = 0, slots = 16;
	uint64_t *seen = NULL;
	int rc;

	if (!cd_any_report(d))
		return cd_inventory_live(d, inv, owned);
	memset(inv, 0, sizeof(*inv));
	*owned = false;
	rc = cd_inventory_reported(d, true, &live, &n_live);
	if (rc < 0)
		return rc;
	rc = ctl_inv_load(d->state.st, &stored, &n_stored);
	if (rc < 0) {
		/* The store is for devices away; those here still count. */
		cd_log("inventory: the stored devices cannot be read (%s): "
		       "compiling for the %zu reported only", strerror(-rc),
		       n_live);
		inv->devs = live;
		inv->n_devs = n_live;
		return 0;
	}
	while (slots < 2 * (n_live + 1))
		slots <<= 1;
	seen = calloc(slots, sizeof(*seen));
	v = calloc(n_live + n_stored + 1, sizeof(*v));
	if (seen == NULL || v == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	/* What is reported now, then what the store remembers of the rest:
	 * a device its dataplane forgot for silence (--device-retire), or
	 * one behind a dataplane that restarted or left, keeps its segment
	 * while away, until --device-retention. */
	for (size_t i = 0; i < n_live; i++) {
		uint64_t key = cd_inv_key(&live[i]);
		uint64_t *slot = cd_inv_slot(seen, slots, key);

		if (*slot != 0)
			continue;	/* on two dataplanes: once */
		*slot = key + 1;
		v[k] = live[i];
		v[k].vendor = cd_strdup_or_null(live[i].vendor);
		v[k].type = cd_strdup_or_null(live[i].type);
		v[k].mud_url = cd_strdup_or_null(live[i].mud_url);
		v[k].name = NULL;
		k++;
	}
	for (size_t i = 0; i < n_stored; i++) {
		if (*cd_inv_slot(seen, slots, cd_inv_key(&stored[i])) != 0)
			continue;
		v[k++] = stored[i];	/* its strings move with it */
		memset(&stored[i], 0, sizeof(stored[i]));
	}
	inv->devs = v;
	inv->n_devs = k;
	*owned = true;
	v = NULL;
	rc = 0;
out:
	ctl_inv_devices_free(v, k);
	ctl_inv_devices_free(stored, n_stored);
	free(seen);
	free(live);
	return rc;
}

void
cd_inventory_free(struct ctl_pol_inventory *inv, bool owned)
{
	if (owned)
		ctl_inv_devices_free((struct ctl_pol_inv_device *)inv->devs,
				     inv->n_devs);
	else
		free((void *)inv->devs);
	memset(inv, 0, sizeof(*inv));
}

static void
cd_hand_out(struct cordond *d, Cordon__Policy *pol, uint8_t *sig,
	    size_t sig_len)
{
	if (d->policy != NULL)
		cordon__policy__free_unpacked(d->policy, NULL);
	free(d->policy_signed);
	d->policy = pol;
	d->policy_signed = sig;
	d->policy_signed_len = sig_len;
}

int
cd_load_latest(struct cordond *d)
{
	Cordon__Policy *pol;
	uint8_t *sig;
	size_t len;
	int rc;

	rc = ctl_state_latest(&d->state, &pol, &sig, &len);
	if (rc < 0)
		return rc;
	cd_hand_out(d, pol, sig, len);
	return 0;
}

struct ctl_dp *
cd_registered(struct cordond *d, const struct cd_req *r, const char *dp_id,
	      nng_msg **reply)
{
	struct ctl_dp *dp = ctl_registry_find(&d->reg, dp_id);

	if (dp != NULL && dp->pipe_id == r->pipe_id) {
		/* Still there: another run may not take its id. */
		dp->heard_unix_ms = util_time_now_ms();
		return dp;
	}
	*reply = cd_error(d, r->msg->request_id,
			  CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
			  "say hello first");
	return NULL;
}

int
cd_apply_source(struct cordond *d, const char *source,
		       const char *name, const char *by,
		       uint64_t rollback_of, char *err, size_t errlen)
{
	struct ctl_pol_inventory inv;
	Cordon__Policy *pol = NULL;
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	bool owned;
	int rc;

	if (cd_inventory(d, &inv, &owned) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (source == NULL && rollback_of != 0)
		rc = ctl_state_rollback(&d->state, rollback_of, by, &inv,
					util_time_now_ms(), &pol, &sig,
					&sig_len, err, errlen);
	else
		rc = ctl_state_apply(&d->state, source, name, by, rollback_of,
				     &inv, util_time_now_ms(), &pol, &sig,
				     &sig_len, err, errlen);
	cd_inventory_free(&inv, owned);
	if (rc < 0)
		return rc;
	cd_install(d, pol, sig, sig_len);
	return 0;
}

int
cd_recompile(struct cordond *d, const char *by, uint64_t *version,
	     char *err, size_t errlen)
{
	int rc = cd_apply_source(d, NULL, NULL, by, 0, err, errlen);

	*version = 0;
	if (rc == -ENOENT)
		return 0;
	if (rc == 0)
		*version = d->policy->version;
	return rc;
}

nng_msg *
cd_recompile_reply(struct cordond *d, uint64_t req_id, int rc, const char *by)
{
	uint64_t version;
	char err[512];

	if (rc < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	/* In force at the next version. */
	rc = cd_recompile(d, by, &version, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, req_id, rc == -EINVAL ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	return cd_ack(d, req_id, version);
}

void
cd_install(struct cordond *d, Cordon__Policy *pol, uint8_t *sig,
	   size_t sig_len)
{
	cd_hand_out(d, pol, sig, sig_len);
	d->counters[CD_POLICIES]++;
	cd_log("policy %" PRIu64 " made: %zu segments, %zu devices, %zu rules, "
	       "%zu quarantined", pol->version, pol->n_segments,
	       pol->n_devices, pol->n_rules, pol->n_quarantined);
	if (d->state.mud_skipped > 0)
		cd_log("policy %" PRIu64 ": %u MUD binding(s) left out: %s",
		       pol->version, d->state.mud_skipped, d->state.mud_note);
	if (d->state.segment_skipped > 0)
		cd_log("policy %" PRIu64 ": %u segment override(s) left out: "
		       "the policy has no such segment", pol->version,
		       d->state.segment_skipped);
}
