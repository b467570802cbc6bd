/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond: the control daemon.
 *
 * Two nng rep sockets: one where dataplanes dial in, one for cordonctl
 * (ipc, mode 0600). Each socket is served by a pool of nng contexts driven
 * by aio callbacks, so one slow peer never holds up another. All state sits
 * behind one mutex: cordond's work per message is tiny next to the I/O.
 *
 * nng 1.5 (Debian 12) has a bug (nng#1518, fixed in 1.6): a peer that
 * disconnects in the middle of the SP handshake makes the listener think it
 * was closed, and it quietly stops taking new connections. A watchdog thread
 * therefore pings each endpoint through a real connection twice a second and
 * rebuilds a listener that no longer answers. Connected peers are dropped
 * with it and redial by themselves.
 *
 * Nothing a peer sends is trusted. Every message is decoded by wire_unpack();
 * whatever fails gets an Error reply carrying the request id, and is counted
 * by reason. The daemon's own threads never exit on bad input.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/transport/ipc/ipc.h>

#include "ctl_audit.h"
#include "ctl_file.h"
#include "ctl_inventory.h"
#include "ctl_registry.h"
#include "ctl_state.h"
#include "policy.h"
#include "endpoint.h"
#include "wire_nng.h"
#include "wire_tls.h"

/* Each parked long poll holds a context: size for the dataplanes. */
#define CORDOND_CTX_PER_SOCKET 64
#define CORDOND_POLL_MAX_WAIT_MS 30000
/* Probe period, and how long a probe may take before the endpoint counts
 * as dead. cordond answers a ping in microseconds; a second is generous. */
#define CORDOND_WATCHDOG_MS 500
#define CORDOND_PROBE_TIMEOUT_MS 1000
/* How long closing the sockets may take at shutdown. nng 1.5 can hang in
 * nng_close() when a pipe closes at the wrong moment (nng#1498, fixed in
 * 1.6); everything acknowledged is committed by then, so cordond leaves. */
#define CORDOND_EXIT_GUARD_S 5
/* (device, announced MUD URL) pairs remembered as dealt with. */
#define CORDOND_MUD_SEEN_MAX 65536
/* `cordonctl flows` requests in flight, and how long a dataplane has to
 * answer one (checked by the watchdog, so up to half a period later). */
#define CORDOND_FLOWQ_MAX 16
#define CORDOND_FLOWS_TIMEOUT_MS 2000
#define CORDOND_FLOWS_LIMIT_MAX 100000

/* X(ENUM, "name"): cordond's own counters, in StatusReply. */
#define CORDOND_COUNTERS(X) \
	X(DP_MESSAGES, "dp_messages") \
	X(CLI_MESSAGES, "cli_messages") \
	X(BAD_VERSION, "rejected_bad_version") \
	X(BAD_DECODE, "rejected_decode") \
	X(UNKNOWN_TYPE, "rejected_unknown_type") \
	X(UNKNOWN_FIELD, "rejected_unknown_field") \
	X(TOO_LARGE, "rejected_too_large") \
	X(UNEXPECTED, "rejected_unexpected") \
	X(INVALID, "rejected_invalid") \
	X(NOT_REGISTERED, "rejected_not_registered") \
	X(HELLOS, "dp_hellos") \
	X(REPORTS, "dp_reports") \
	X(DP_CONNECTS, "dp_connects") \
	X(DP_DISCONNECTS, "dp_disconnects") \
	X(PINGS, "pings") \
	X(POLLS, "dp_polls") \
	X(POLICIES, "policies_accepted") \
	X(STORE_ERRORS, "store_errors") \
	X(REPORTS_DUP, "dp_reports_duplicate") \
	X(LISTENER_RESTARTS, "listener_restarts") \
	X(INV_ROWS, "inventory_rows_written") \
	X(INV_TX, "inventory_transactions") \
	X(MUD_IMPORTED, "mud_imported") \
	X(MUD_REJECTED, "mud_rejected") \
	X(MUD_AUTO, "mud_auto_imports") \
	X(FLOWS_REQUESTS, "flows_requests") \
	X(FLOWS_TIMEOUTS, "flows_timeouts") \
	X(AUDIT_EVENTS, "audit_events")

enum cordond_counter {
#define CD_ENUM(e, s) CD_##e,
	CORDOND_COUNTERS(CD_ENUM)
#undef CD_ENUM
	CD_MAX
};

static const char *const cordond_counter_names[CD_MAX] = {
#define CD_NAME(e, s) [CD_##e] = s,
	CORDOND_COUNTERS(CD_NAME)
#undef CD_NAME
};

enum cordond_ep { EP_DATAPLANE, EP_CLI };

struct cordond_conf {
	char rundir[PATH_MAX];
	char statedir[PATH_MAX];
	char dp_url[PATH_MAX + 16];
	char cli_url[PATH_MAX + 16];
	uint32_t report_interval_ms;
	uint32_t inventory_refresh_s;
	char mud_dir[PATH_MAX];
	char mud_ca[PATH_MAX];
	char mud_context[PATH_MAX];
	bool mud_accept_unsigned;
	bool verbose;
	/* tls+tcp:// dataplane endpoint: PEM files (see wire_tls.h) */
	const char *tls_cert;
	const char *tls_key;
	const char *tls_ca;
};

struct cordond;

struct cd_mud_seen {
	bool used;
	uint8_t mac[6];
	uint64_t url_hash;
};

struct cordond_ctx {
	struct cordond *d;
	enum cordond_ep ep;
	nng_aio *aio;
	nng_ctx ctx;
	bool sending;
	/* A parked long poll (under cordond.lock): the request waits here
	 * until there is a policy newer than `have` or until `deadline`. */
	bool parked;
	uint64_t req_id;
	uint64_t have;
	uint64_t deadline_ms;
	char poll_dp[128];	/* a parked poll's dataplane id */
};

/*
 * A `cordonctl flows` request (under cordond.lock): the CLI context waits
 * parked while the query goes to the dataplane with its next parked poll
 * (sent), until the dataplane's MSG_FLOWS_DUMP brings the answer (reply)
 * or the deadline passes.
 */
struct cordond_flowq {
	bool used;
	bool sent;
	uint64_t id;
	char dp_id[128];
	uint8_t mac[6];
	bool has_mac;
	uint32_t limit;
	struct cordond_ctx *cli;
	uint64_t deadline_ms;
	nng_msg *reply;		/* ready for the CLI context */
};

struct cordond {
	struct cordond_conf conf;
	nng_socket dp_sock;
	nng_socket cli_sock;
	nng_listener listeners[2];
	nng_tls_config *tls;		/* the dataplane endpoint's, or NULL */
	pthread_t watchdog;
	pthread_mutex_t wd_lock;
	pthread_cond_t wd_cond;
	bool stopping;		/* under wd_lock */
	struct cordond_ctx ctxs[2][CORDOND_CTX_PER_SOCKET];
	pthread_mutex_t lock;
	struct ctl_registry reg;
	struct ctl_state state;		/* the durable store */
	struct ctl_inv inv;		/* what the store holds of devices */
	struct ctl_mud_context mud_ctx;	/* --mud-context */
	/* (device, announced MUD URL) pairs already dealt with: bound, or
	 * tried and failed (logged and evented once, not at every report). */
	struct cd_mud_seen *mud_seen;
	size_t n_mud_seen, cap_mud_seen;
	Cordon__Policy *policy;		/* the one handed out, owned */
	uint8_t *policy_signed;		/* and its signed form, or NULL */
	size_t policy_signed_len;
	uint64_t counters[CD_MAX];
	uint64_t start_ms;
	struct cordond_flowq flowq[CORDOND_FLOWQ_MAX];
	uint64_t flowq_next_id;
};

static uint64_t
now_unix_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static void __attribute__((format(printf, 1, 2)))
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

static void
cd_count_error(struct cordond *d, Cordon__ErrorCode code)
{
	static const enum cordond_counter map[] = {
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

/* Build an error reply and count it. Called with the lock held. */
static nng_msg *
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

static nng_msg *
cd_reply(struct cordond *d, uint64_t req_id, Cordon__MsgType type,
	 const ProtobufCMessage *payload)
{
	nng_msg *m = NULL;

	if (wire_nng_msg(type, req_id, payload, &m) < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"cannot encode reply");
	return m;
}

/* An event in the store; failures are counted, not fatal. */
static void
cd_event(struct cordond *d, const char *kind, const char *dp_id,
	 const uint8_t *mac, const char *detail_json)
{
	if (ctl_store_event_add(d->state.st, now_unix_ms(), kind, dp_id, mac,
				detail_json, NULL) < 0)
		d->counters[CD_STORE_ERRORS]++;
}

static bool
cd_any_report(const struct cordond *d)
{
	for (size_t i = 0; i < d->reg.n; i++)
		if (d->reg.dps[i].report != NULL)
			return true;
	return false;
}

/*
 * What the dataplanes last reported of their devices, for the policy
 * compiler's assignments by vendor, type and MUD URL; the stored
 * inventory until one has reported since cordond started. Free with
 * cd_inventory_free().
 */
static int
cd_inventory(struct cordond *d, struct ctl_pol_inventory *inv, bool *owned)
{
	struct ctl_pol_inv_device *v;
	size_t n = 0, k = 0;
	int rc;

	memset(inv, 0, sizeof(*inv));
	*owned = false;
	if (!cd_any_report(d)) {
		rc = ctl_inv_load(d->state.st, &v, &n);
		if (rc < 0)
			return rc;
		inv->devs = v;
		inv->n_devs = n;
		*owned = true;
		return 0;
	}
	for (size_t i = 0; i < d->reg.n; i++)
		if (d->reg.dps[i].report != NULL)
			n += d->reg.dps[i].report->n_devices;
	v = calloc(n ? n : 1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < d->reg.n; i++) {
		const Cordon__StatsReport *r = d->reg.dps[i].report;

		for (size_t j = 0; r != NULL && j < r->n_devices; j++) {
			const Cordon__DeviceStats *ds = r->devices[j];

			if (ds->mac.len != 6)
				continue;
			memcpy(v[k].mac, ds->mac.data, 6);
			v[k].vlan = (uint16_t)ds->vlan;
			if (ds->identity != NULL) {
				v[k].vendor = ds->identity->vendor;
				v[k].type = ds->identity->type;
				v[k].mud_url = ds->identity->mud_url;
			}
			k++;
		}
	}
	inv->devs = v;
	inv->n_devs = k;
	return 0;
}

static void
cd_inventory_free(struct ctl_pol_inventory *inv, bool owned)
{
	if (owned)
		ctl_inv_devices_free((struct ctl_pol_inv_device *)inv->devs,
				     inv->n_devs);
	else
		free((void *)inv->devs);
	memset(inv, 0, sizeof(*inv));
}

/* Hand out the latest stored version, signed form included. */
static int
cd_load_latest(struct cordond *d)
{
	Cordon__Policy *pol;
	uint8_t *sig;
	size_t len;
	int rc;

	rc = ctl_state_latest(&d->state, &pol, &sig, &len);
	if (rc < 0)
		return rc;
	if (d->policy != NULL)
		cordon__policy__free_unpacked(d->policy, NULL);
	free(d->policy_signed);
	d->policy = pol;
	d->policy_signed = sig;
	d->policy_signed_len = len;
	return 0;
}

/* Hand out a version just made (takes pol and sig). */
static void
cd_install(struct cordond *d, Cordon__Policy *pol, uint8_t *sig,
	   size_t sig_len)
{
	if (d->policy != NULL)
		cordon__policy__free_unpacked(d->policy, NULL);
	free(d->policy_signed);
	d->policy = pol;
	d->policy_signed = sig;
	d->policy_signed_len = sig_len;
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

/* Make a new version and hand it out (cordond.lock held). */
static int
cd_apply(struct cordond *d, const char *source, const char *name,
	 const char *by, uint64_t rollback_of, char *err, size_t errlen)
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
	rc = ctl_state_apply(&d->state, source, name, by, rollback_of, &inv,
			     now_unix_ms(), &pol, &sig, &sig_len, err, errlen);
	cd_inventory_free(&inv, owned);
	if (rc < 0)
		return rc;
	cd_install(d, pol, sig, sig_len);
	return 0;
}

/* Dataplane endpoint. */

static nng_msg *
cd_on_hello(struct cordond *d, struct wire_msg *msg, uint32_t pipe_id)
{
	Cordon__Hello *h = (Cordon__Hello *)msg->payload;
	Cordon__HelloAck ack = CORDON__HELLO_ACK__INIT;
	char err[128];

	if (ctl_registry_hello(&d->reg, h, pipe_id, now_unix_ms(), err,
			       sizeof(err)) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, err);
	msg->payload = NULL;	/* the registry owns it now */
	d->counters[CD_HELLOS]++;
	cd_event(d, CTL_STORE_EV_DP_CONNECT, h->dataplane_id, NULL, NULL);
	cd_log("dataplane %s registered (version %s, pid %u, %zu ports, "
	       "%u workers)", h->dataplane_id, h->sw_version, h->pid,
	       h->n_ports, h->workers);

	ack.server_version = (char *)CORDON_VERSION;
	ack.report_interval_ms = d->conf.report_interval_ms;
	return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_HELLO_ACK,
			&ack.base);
}

static void cd_mud_report(struct cordond *d, const Cordon__StatsReport *r);

static nng_msg *
cd_on_report(struct cordond *d, struct wire_msg *msg, uint32_t pipe_id)
{
	Cordon__StatsReport *r = (Cordon__StatsReport *)msg->payload;
	Cordon__Ack ack = CORDON__ACK__INIT;
	struct ctl_dp *dp = ctl_registry_find(&d->reg, r->dataplane_id);
	uint64_t seq = r->seq, acked = 0;
	uint8_t *buf;
	size_t len;
	int rc;

	if (dp == NULL || dp->pipe_id != pipe_id)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"say hello first");
	/* Stored before it is acknowledged, once per (dataplane, boot,
	 * seq): a report resent after a restart is not counted twice. */
	len = cordon__stats_report__get_packed_size(r);
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				"out of memory");
	cordon__stats_report__pack(r, buf);
	rc = ctl_store_ingest_report(d->state.st, r->dataplane_id,
				     dp->hello->started_unix_ms, seq, buf, len,
				     &acked);
	free(buf);
	if (rc < 0) {
		d->counters[CD_STORE_ERRORS]++;
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	}
	if (rc == 1) {
		d->counters[CD_REPORTS_DUP]++;
		ack.seq = acked;
		return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_ACK,
				&ack.base);
	}
	/* The inventory, throttled: a failure here costs the ack nothing
	 * (the report is stored); the next report writes it again. */
	rc = ctl_inv_persist(&d->inv, d->state.st, r, now_unix_ms(), &len);
	if (rc < 0) {
		d->counters[CD_STORE_ERRORS]++;
		cd_log("inventory not stored: %s", rc == -ENOMEM ?
		       "out of memory" : ctl_store_errmsg(d->state.st));
	} else if (len > 0) {
		d->counters[CD_INV_ROWS] += len;
		d->counters[CD_INV_TX]++;
	}
	if (ctl_registry_report(&d->reg, r, pipe_id, now_unix_ms()) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"say hello first");
	msg->payload = NULL;
	d->counters[CD_REPORTS]++;
	/* The registry holds r now: announced MUD URLs, with r in the
	 * inventory the compiler sees. */
	cd_mud_report(d, r);
	ack.seq = acked;
	return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_ACK,
			&ack.base);
}

static nng_msg *cd_ack(struct cordond *d, uint64_t req_id, uint64_t seq);

static nng_msg *
cd_poll_reply(struct cordond *d, uint64_t req_id, bool with_policy)
{
	Cordon__PollReply pr = CORDON__POLL_REPLY__INIT;

	if (with_policy) {
		pr.policy = d->policy;
		pr.signed_policy.data = d->policy_signed;
		pr.signed_policy.len = d->policy_signed_len;
	}
	return cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_POLL_REPLY, &pr.base);
}

static nng_msg *cd_flows_query_for(struct cordond *d, const char *dp_id,
				   uint64_t req_id);

static nng_msg *
cd_on_poll(struct cordond *d, struct wire_msg *msg, struct cordond_ctx *c)
{
	const Cordon__Poll *p = (const Cordon__Poll *)msg->payload;
	struct ctl_dp *dp = ctl_registry_find(&d->reg, p->dataplane_id);
	uint64_t before = dp ? dp->rejected_version : 0;
	uint64_t had = dp ? dp->policy_version : 0;
	uint32_t wait = p->wait_ms;

	if (ctl_registry_poll(&d->reg, p) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"say hello first");
	d->counters[CD_POLLS]++;
	if (p->rejected_version != 0 && p->rejected_version != before) {
		char detail[512];
		json_t *j = json_pack("{sIss}", "version",
				      (json_int_t)p->rejected_version,
				      "reason", p->rejected_reason);
		char *js = j ? json_dumps(j, JSON_COMPACT) : NULL;

		cd_log("dataplane %s rejected policy %" PRIu64 ": %s",
		       p->dataplane_id, p->rejected_version,
		       p->rejected_reason);
		snprintf(detail, sizeof(detail), "%s", js ? js : "{}");
		cd_event(d, CTL_STORE_EV_POLICY_REJECTED, p->dataplane_id,
			 NULL, detail);
		free(js);
		json_decref(j);
	}
	if (p->policy_version > had) {
		char detail[64];

		snprintf(detail, sizeof(detail), "{\"version\":%" PRIu64 "}",
			 p->policy_version);
		cd_event(d, CTL_STORE_EV_POLICY_APPLIED, p->dataplane_id, NULL,
			 detail);
	}
	/* A policy it has refused is not offered again. */
	if (d->policy != NULL && d->policy->version > p->policy_version &&
	    d->policy->version != p->rejected_version)
		return cd_poll_reply(d, msg->request_id, true);
	{
		nng_msg *q = cd_flows_query_for(d, p->dataplane_id,
						msg->request_id);

		if (q != NULL)
			return q;
	}
	if (wait > CORDOND_POLL_MAX_WAIT_MS)
		wait = CORDOND_POLL_MAX_WAIT_MS;
	c->parked = true;
	snprintf(c->poll_dp, sizeof(c->poll_dp), "%s", p->dataplane_id);
	c->req_id = msg->request_id;
	c->have = d->policy ? d->policy->version : p->policy_version;
	if (p->policy_version > c->have)
		c->have = p->policy_version;
	c->deadline_ms = now_unix_ms() + wait;
	return NULL;
}

/* Flows: cordonctl -> cordond -> dataplane and back. */

/*
 * The query for the first request waiting on dataplane dp_id, as the reply
 * to its poll req_id, or NULL when there is none.
 */
static nng_msg *
cd_flows_query_for(struct cordond *d, const char *dp_id, uint64_t req_id)
{
	for (int i = 0; i < CORDOND_FLOWQ_MAX; i++) {
		struct cordond_flowq *q = &d->flowq[i];
		Cordon__FlowsQuery fq = CORDON__FLOWS_QUERY__INIT;
		nng_msg *m = NULL;

		if (!q->used || q->sent || q->reply != NULL ||
		    strcmp(q->dp_id, dp_id) != 0)
			continue;
		fq.query_id = q->id;
		fq.limit = q->limit;
		if (q->has_mac) {
			fq.mac.data = q->mac;
			fq.mac.len = 6;
		}
		if (wire_nng_msg(CORDON__MSG_TYPE__MSG_FLOWS_QUERY, req_id,
				 &fq.base, &m) < 0)
			return NULL;
		q->sent = true;
		return m;
	}
	return NULL;
}

static nng_msg *
cd_on_flows(struct cordond *d, struct wire_msg *msg, struct cordond_ctx *c)
{
	const Cordon__FlowsRequest *r = (const Cordon__FlowsRequest *)
		msg->payload;
	const struct ctl_dp *dp = NULL;
	struct cordond_flowq *q = NULL;
	char text[200];
	size_t connected = 0;

	d->counters[CD_FLOWS_REQUESTS]++;
	if (r->mac.len != 0 && r->mac.len != 6)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"a MAC is 6 bytes");
	if (r->limit > CORDOND_FLOWS_LIMIT_MAX)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"limit: at most 100000 flows");
	if (r->dataplane_id[0] != '\0') {
		dp = ctl_registry_find(&d->reg, r->dataplane_id);
		if (dp == NULL) {
			snprintf(text, sizeof(text), "no dataplane '%.64s'",
				 r->dataplane_id);
			return cd_error(d, msg->request_id,
					CORDON__ERROR_CODE__ERR_NOT_FOUND,
					text);
		}
	} else {
		for (size_t i = 0; i < d->reg.n; i++) {
			if (d->reg.dps[i].pipe_id == 0)
				continue;
			connected++;
			dp = &d->reg.dps[i];
		}
		if (connected != 1) {
			snprintf(text, sizeof(text), connected == 0 ?
				 "no dataplane is connected" :
				 "%zu dataplanes are connected: name one "
				 "(--dataplane ID)", connected);
			return cd_error(d, msg->request_id, connected == 0 ?
					CORDON__ERROR_CODE__ERR_NOT_FOUND :
					CORDON__ERROR_CODE__ERR_INVALID, text);
		}
	}
	if (dp->pipe_id == 0) {
		snprintf(text, sizeof(text), "dataplane '%.64s' is not "
			 "connected", dp->hello->dataplane_id);
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND, text);
	}
	if ((dp->hello->proto_version & 0xffffu) < 1 ||
	    strlen(dp->hello->dataplane_id) >= sizeof(q->dp_id)) {
		snprintf(text, sizeof(text), "dataplane '%.64s' cannot list "
			 "its flows (too old)", dp->hello->dataplane_id);
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_UNEXPECTED, text);
	}
	for (int i = 0; i < CORDOND_FLOWQ_MAX && q == NULL; i++)
		if (!d->flowq[i].used)
			q = &d->flowq[i];
	if (q == NULL)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				"too many flow requests in progress");
	memset(q, 0, sizeof(*q));
	q->used = true;
	/* Unguessable: a dump is matched by it (and the dataplane id). */
	if (getrandom(&q->id, sizeof(q->id), 0) != sizeof(q->id))
		q->id = ++d->flowq_next_id ^ now_unix_ms() << 20;
	strcpy(q->dp_id, dp->hello->dataplane_id);
	q->has_mac = r->mac.len == 6;
	if (q->has_mac)
		memcpy(q->mac, r->mac.data, 6);
	q->limit = r->limit;
	q->cli = c;
	q->deadline_ms = now_unix_ms() + CORDOND_FLOWS_TIMEOUT_MS;
	c->parked = true;
	c->req_id = msg->request_id;
	return NULL;
}

/*
 * A dump comes on the dataplane's poll connection, not the one it said
 * hello on: it is matched by its query id, which is random, and its id.
 */
static nng_msg *
cd_on_flows_dump(struct cordond *d, struct wire_msg *msg)
{
	Cordon__FlowsDump *fd = (Cordon__FlowsDump *)msg->payload;
	const struct ctl_dp *dp = ctl_registry_find(&d->reg, fd->dataplane_id);
	struct cordond_flowq *q = NULL;

	if (dp == NULL)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"say hello first");
	for (int i = 0; i < CORDOND_FLOWQ_MAX && q == NULL; i++)
		if (d->flowq[i].used && d->flowq[i].sent &&
		    d->flowq[i].reply == NULL &&
		    d->flowq[i].id == fd->query_id &&
		    strcmp(d->flowq[i].dp_id, fd->dataplane_id) == 0)
			q = &d->flowq[i];
	/* Late (timed out) or unknown: nothing waits for it any more. */
	if (q != NULL) {
		char text[300];

		if (fd->error_code != CORDON__ERROR_CODE__ERR_NONE ||
		    fd->flows == NULL) {
			snprintf(text, sizeof(text), "dataplane '%.64s': %.200s",
				 q->dp_id, fd->flows == NULL &&
				 fd->error_code == 0 ? "no flows in its answer" :
				 fd->error);
			q->reply = cd_error(d, q->cli->req_id,
					    fd->error_code ? fd->error_code :
					    CORDON__ERROR_CODE__ERR_INTERNAL,
					    text);
		} else {
			Cordon__Flows *f = fd->flows;
			char *id = f->dataplane_id;

			f->dataplane_id = fd->dataplane_id;
			q->reply = cd_reply(d, q->cli->req_id,
					    CORDON__MSG_TYPE__MSG_FLOWS_REPLY,
					    &f->base);
			f->dataplane_id = id;
		}
	}
	return cd_ack(d, msg->request_id, fd->query_id);
}

static nng_msg *
cd_handle_dataplane(struct cordond *d, struct wire_msg *msg, uint32_t pipe,
		    struct cordond_ctx *c)
{
	switch (msg->type) {
	case CORDON__MSG_TYPE__MSG_HELLO:
		return cd_on_hello(d, msg, pipe);
	case CORDON__MSG_TYPE__MSG_STATS_REPORT:
		return cd_on_report(d, msg, pipe);
	case CORDON__MSG_TYPE__MSG_POLL:
		return cd_on_poll(d, msg, c);
	case CORDON__MSG_TYPE__MSG_FLOWS_DUMP:
		return cd_on_flows_dump(d, msg);
	default:
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_UNEXPECTED,
				"not a dataplane request");
	}
}

/* CLI endpoint. */

static nng_msg *
cd_on_status(struct cordond *d, struct wire_msg *msg)
{
	Cordon__StatusReply rep = CORDON__STATUS_REPLY__INIT;
	Cordon__DataplaneStatus *st = NULL, **stp = NULL;
	Cordon__Counter cnt[CD_MAX], *cntp[CD_MAX];
	nng_msg *out;

	if (d->reg.n > 0) {
		st = calloc(d->reg.n, sizeof(*st));
		stp = calloc(d->reg.n, sizeof(*stp));
		if (st == NULL || stp == NULL) {
			free(st);
			free(stp);
			return cd_error(d, msg->request_id,
					CORDON__ERROR_CODE__ERR_INTERNAL,
					"out of memory");
		}
	}
	for (size_t i = 0; i < d->reg.n; i++) {
		const struct ctl_dp *dp = &d->reg.dps[i];
		const Cordon__Hello *h = dp->hello;

		cordon__dataplane_status__init(&st[i]);
		st[i].dataplane_id = h->dataplane_id;
		st[i].sw_version = h->sw_version;
		st[i].connected = dp->pipe_id != 0;
		st[i].started_unix_ms = h->started_unix_ms;
		st[i].registered_unix_ms = dp->registered_unix_ms;
		st[i].last_report_unix_ms = dp->last_report_unix_ms;
		st[i].uptime_ms = dp->report ? dp->report->uptime_ms : 0;
		st[i].workers = h->workers;
		st[i].n_ports = h->n_ports;
		st[i].ports = h->ports;
		st[i].policy_version = dp->policy_version;
		st[i].rejected_version = dp->rejected_version;
		st[i].rejected_reason = (char *)dp->rejected_reason;
		st[i].registrations = dp->registrations;
		st[i].pid = h->pid;
		st[i].proto_version = h->proto_version;
		stp[i] = &st[i];
	}
	for (int i = 0; i < CD_MAX; i++) {
		cordon__counter__init(&cnt[i]);
		cnt[i].name = (char *)cordond_counter_names[i];
		cnt[i].value = d->counters[i];
		cntp[i] = &cnt[i];
	}
	rep.server_version = (char *)CORDON_VERSION;
	rep.uptime_ms = now_unix_ms() - d->start_ms;
	rep.n_dataplanes = d->reg.n;
	rep.dataplanes = stp;
	rep.n_counters = CD_MAX;
	rep.counters = cntp;
	rep.policy_version = d->policy ? d->policy->version : 0;

	out = cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_STATUS_REPLY,
		       &rep.base);
	free(st);
	free(stp);
	return out;
}

static nng_msg *
cd_stats_stored(struct cordond *d, struct wire_msg *msg)
{
	Cordon__StatsReply rep = CORDON__STATS_REPLY__INIT;
	Cordon__StatsReport **reports = NULL;
	size_t n = 0;
	nng_msg *out;

	if (ctl_inv_reports(d->state.st, now_unix_ms(), &reports, &n) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	rep.n_reports = n;
	rep.reports = reports;
	out = cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_STATS_REPLY,
		       &rep.base);
	for (size_t i = 0; i < n; i++)
		cordon__stats_report__free_unpacked(reports[i], NULL);
	free(reports);
	return out;
}

static nng_msg *
cd_on_stats(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__StatsRequest *req = (const Cordon__StatsRequest *)
		msg->payload;
	Cordon__StatsReply rep = CORDON__STATS_REPLY__INIT;
	Cordon__StatsReport **reports = NULL;
	size_t n = 0;
	nng_msg *out;

	if (req->dataplane_id[0] != '\0' &&
	    ctl_registry_find(&d->reg, req->dataplane_id) == NULL)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no such dataplane");
	/* Nobody has reported since start-up: the stored inventory. */
	if (req->dataplane_id[0] == '\0' && !cd_any_report(d))
		return cd_stats_stored(d, msg);
	if (d->reg.n > 0) {
		reports = calloc(d->reg.n, sizeof(*reports));
		if (reports == NULL)
			return cd_error(d, msg->request_id,
					CORDON__ERROR_CODE__ERR_INTERNAL,
					"out of memory");
	}
	for (size_t i = 0; i < d->reg.n; i++) {
		const struct ctl_dp *dp = &d->reg.dps[i];

		if (dp->report == NULL)
			continue;
		if (req->dataplane_id[0] != '\0' &&
		    strcmp(req->dataplane_id, dp->hello->dataplane_id) != 0)
			continue;
		reports[n++] = dp->report;
	}
	rep.n_reports = n;
	rep.reports = reports;
	out = cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_STATS_REPLY,
		       &rep.base);
	free(reports);
	return out;
}

/*
 * A policy to hand out. It must pass the same validation the dataplane
 * applies; its version is raised above the current one if need be, so
 * that versions only grow.
 */
static nng_msg *
cd_on_policy(struct cordond *d, struct wire_msg *msg)
{
	Cordon__Policy *pol = (Cordon__Policy *)msg->payload;
	Cordon__Ack ack = CORDON__ACK__INIT;
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	char err[256];

	if (policy_validate(pol, err, sizeof(err)) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, err);
	/* Compiled elsewhere: stored without a source. */
	if (ctl_state_add_compiled(&d->state, pol, NULL,
				   "cordonctl policy push", 0, now_unix_ms(),
				   &sig, &sig_len, err, sizeof(err)) < 0) {
		d->counters[CD_STORE_ERRORS]++;
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	}
	free(sig);
	if (cd_load_latest(d) < 0 || d->policy == NULL)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				"store: cannot read back the new version");
	d->counters[CD_POLICIES]++;
	cd_log("policy %" PRIu64 " accepted: %zu segments, %zu devices, "
	       "%zu rules", pol->version, pol->n_segments, pol->n_devices,
	       pol->n_rules);
	ack.seq = pol->version;
	return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_ACK,
			&ack.base);
}

static nng_msg *
cd_on_policy_get(struct cordond *d, struct wire_msg *msg)
{
	if (d->policy == NULL)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no policy has been pushed");
	return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_POLICY,
			&d->policy->base);
}

static nng_msg *
cd_ack(struct cordond *d, uint64_t req_id, uint64_t seq)
{
	Cordon__Ack ack = CORDON__ACK__INIT;

	ack.seq = seq;
	return cd_reply(d, req_id, CORDON__MSG_TYPE__MSG_ACK, &ack.base);
}

static nng_msg *
cd_on_apply(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__PolicyApply *a = (const Cordon__PolicyApply *)
		msg->payload;
	char err[512];
	int rc;

	rc = cd_apply(d, a->source, a->name[0] ? a->name : "policy",
		      a->applied_by, 0, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, msg->request_id, rc == -EINVAL ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	return cd_ack(d, msg->request_id, d->policy->version);
}

struct cd_history {
	Cordon__PolicyVersion *v;
	Cordon__PolicyVersion **vp;
	char **strs;
	size_t n, cap;
};

static int
cd_history_cb(const struct ctl_store_policy_info *p, void *arg)
{
	struct cd_history *h = arg;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 32;
		void *v = realloc(h->v, cap * sizeof(*h->v));

		if (v == NULL)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
		v = realloc(h->strs, cap * 2 * sizeof(*h->strs));
		if (v == NULL)
			return -ENOMEM;
		h->strs = v;
	}
	cordon__policy_version__init(&h->v[h->n]);
	h->v[h->n].version = p->version;
	h->v[h->n].created_unix_ms = p->created_ms;
	h->strs[2 * h->n] = strdup(p->comment ? p->comment : "");
	h->strs[2 * h->n + 1] = strdup(p->applied_by ? p->applied_by : "");
	h->v[h->n].comment = h->strs[2 * h->n] ? h->strs[2 * h->n] :
		(char *)"";
	h->v[h->n].applied_by = h->strs[2 * h->n + 1] ?
		h->strs[2 * h->n + 1] : (char *)"";
	h->v[h->n].rollback_of = p->rollback_of;
	h->n++;
	return 0;
}

static nng_msg *
cd_on_history(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__PolicyHistoryRequest *r =
		(const Cordon__PolicyHistoryRequest *)msg->payload;
	Cordon__PolicyHistory rep = CORDON__POLICY_HISTORY__INIT;
	struct cd_history h = { 0 };
	nng_msg *out;

	if (ctl_store_policy_history(d->state.st, r->limit, cd_history_cb,
				     &h) < 0) {
		out = cd_error(d, msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL,
			       ctl_store_errmsg(d->state.st));
		goto done;
	}
	h.vp = calloc(h.n ? h.n : 1, sizeof(*h.vp));
	if (h.vp == NULL) {
		out = cd_error(d, msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < h.n; i++)
		h.vp[i] = &h.v[i];
	rep.n_versions = h.n;
	rep.versions = h.vp;
	out = cd_reply(d, msg->request_id,
		       CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &rep.base);
done:
	for (size_t i = 0; i < 2 * h.n; i++)
		free(h.strs[i]);
	free(h.strs);
	free(h.v);
	free(h.vp);
	return out;
}

static nng_msg *
cd_on_diff(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__PolicyDiffRequest *r =
		(const Cordon__PolicyDiffRequest *)msg->payload;
	Cordon__PolicyDiff rep = CORDON__POLICY_DIFF__INIT;
	uint64_t to = r->to_version;
	char *diff = NULL, text[160];
	nng_msg *out;
	int rc;

	if (to == 0 && ctl_store_policy_latest_version(d->state.st, &to) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no policy has been applied");
	rc = ctl_store_policy_diff(d->state.st, r->from_version, to, &diff);
	if (rc < 0) {
		snprintf(text, sizeof(text), rc == -ENOENT ?
			 "no such version" : rc == -ENODATA ?
			 "a version has no source (pushed compiled)" : "%s",
			 ctl_store_errmsg(d->state.st));
		return cd_error(d, msg->request_id, rc == -ENOENT ||
				rc == -ENODATA ?
				CORDON__ERROR_CODE__ERR_NOT_FOUND :
				CORDON__ERROR_CODE__ERR_INTERNAL, text);
	}
	rep.diff = diff;
	out = cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY,
		       &rep.base);
	free(diff);
	return out;
}

static nng_msg *
cd_on_rollback(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__PolicyRollback *r = (const Cordon__PolicyRollback *)
		msg->payload;
	struct ctl_store_policy old = { 0 };
	char err[512];
	int rc;

	if (ctl_store_policy_get(d->state.st, r->version, &old) < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no such version");
	if (old.source == NULL) {
		ctl_store_policy_free(&old);
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"that version was pushed compiled: no source "
				"to roll back to");
	}
	/* The old source, compiled against today's devices and quarantine. */
	rc = cd_apply(d, old.source, "rollback", r->applied_by, r->version, err,
		      sizeof(err));
	ctl_store_policy_free(&old);
	if (rc < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, err);
	return cd_ack(d, msg->request_id, d->policy->version);
}

static nng_msg *
cd_on_quarantine(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__Quarantine *q = (const Cordon__Quarantine *)msg->payload;
	char err[512];
	int rc;

	if (q->mac.len != 6 || (q->mac.data[0] & 1))
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"a unicast MAC is needed");
	if (q->release)
		rc = ctl_store_quarantine_del(d->state.st, q->mac.data, q->by,
					      now_unix_ms());
	else
		rc = ctl_store_quarantine_add(d->state.st, q->mac.data,
					      q->reason, q->by, now_unix_ms());
	if (rc == -EEXIST || rc == -ENOENT)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, rc == -EEXIST ?
				"already quarantined" : "not quarantined");
	if (rc < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	/* In force at the next version: recompile the current source. */
	rc = cd_apply(d, NULL, NULL, q->by, 0, err, sizeof(err));
	if (rc == -ENOENT)	/* no policy yet: it applies with the first */
		return cd_ack(d, msg->request_id, 0);
	if (rc < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	return cd_ack(d, msg->request_id, d->policy->version);
}

struct cd_events {
	Cordon__Event *e;
	char **strs;
	size_t n, cap;
	uint8_t (*macs)[6];
};

static int
cd_events_cb(const struct ctl_store_event *ev, void *arg)
{
	struct cd_events *x = arg;

	if (x->n == x->cap)
		return 1;
	cordon__event__init(&x->e[x->n]);
	x->e[x->n].id = ev->id;
	x->e[x->n].time_unix_ms = ev->time_ms;
	x->strs[3 * x->n] = strdup(ev->kind);
	x->strs[3 * x->n + 1] = strdup(ev->dataplane_id ? ev->dataplane_id : "");
	x->strs[3 * x->n + 2] = strdup(ev->detail_json ? ev->detail_json : "");
	x->e[x->n].kind = x->strs[3 * x->n] ? x->strs[3 * x->n] : (char *)"";
	x->e[x->n].dataplane_id = x->strs[3 * x->n + 1] ?
		x->strs[3 * x->n + 1] : (char *)"";
	x->e[x->n].detail_json = x->strs[3 * x->n + 2] ?
		x->strs[3 * x->n + 2] : (char *)"";
	if (ev->has_mac) {
		memcpy(x->macs[x->n], ev->mac, 6);
		x->e[x->n].mac.data = x->macs[x->n];
		x->e[x->n].mac.len = 6;
	}
	x->n++;
	return 0;
}

static nng_msg *
cd_on_events(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__EventsRequest *r = (const Cordon__EventsRequest *)
		msg->payload;
	Cordon__Events rep = CORDON__EVENTS__INIT;
	struct cd_events x = { 0 };
	Cordon__Event **ep = NULL;
	nng_msg *out;
	int rc;

	x.cap = r->limit == 0 || r->limit > 1000 ? 1000 : r->limit;
	x.e = calloc(x.cap, sizeof(*x.e));
	x.strs = calloc(3 * x.cap, sizeof(*x.strs));
	x.macs = calloc(x.cap, sizeof(*x.macs));
	ep = calloc(x.cap, sizeof(*ep));
	if (x.e == NULL || x.strs == NULL || x.macs == NULL || ep == NULL) {
		out = cd_error(d, msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL, "out of memory");
		goto done;
	}
	rc = ctl_store_events(d->state.st, r->since_id, (uint32_t)x.cap,
			      cd_events_cb, &x);
	if (rc < 0) {
		out = cd_error(d, msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL,
			       ctl_store_errmsg(d->state.st));
		goto done;
	}
	for (size_t i = 0; i < x.n; i++)
		ep[i] = &x.e[i];
	rep.n_events = x.n;
	rep.events = ep;
	out = cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_EVENTS,
		       &rep.base);
done:
	for (size_t i = 0; x.strs != NULL && i < 3 * x.n; i++)
		free(x.strs[i]);
	free(x.strs);
	free(x.e);
	free(x.macs);
	free(ep);
	return out;
}


/* MUD bindings. */

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
cd_mud_import(struct cordond *d, const struct ctl_state_mud *m,
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
	rc = ctl_state_mud_import(&d->state, m, &inv, now_unix_ms(), res, &pol,
				  &sig, &sig_len, err, errlen);
	cd_inventory_free(&inv, owned);
	if (rc < 0) {
		d->counters[CD_MUD_REJECTED]++;
		cd_log("MUD file %s for %02x:%02x:%02x:%02x:%02x:%02x (%s) "
		       "rejected: %s", m->name, m->mac[0], m->mac[1],
		       m->mac[2], m->mac[3], m->mac[4], m->mac[5], m->source,
		       err);
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
	ctl_store_sha256_hex(m->text, m->len, sha);
	d->counters[CD_MUD_IMPORTED]++;
	cd_log("MUD file %s (%s) bound to %02x:%02x:%02x:%02x:%02x:%02x from "
	       "%s: %u rules; policy %" PRIu64, m->name, res->mud_url,
	       m->mac[0], m->mac[1], m->mac[2], m->mac[3], m->mac[4],
	       m->mac[5], m->source, res->n_rules, *version);
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


/* --- MUD URLs the devices announce ------------------------------------ */

static uint64_t
cd_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s != '\0'; s++) {
		h ^= (uint8_t)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/*
 * Has (mac, URL hash h) been dealt with? With add, remember it if not. An
 * open-addressing set (linear probing, at most half full); used marks a
 * slot. Bounded: a device announcing ever new URLs must not grow it
 * forever, so at CORDOND_MUD_SEEN_MAX it is forgotten as a whole, which
 * only means trying (and logging) once more.
 */
static bool
cd_mud_seen(struct cordond *d, const uint8_t mac[6], uint64_t h, bool add)
{
	uint64_t k = h;
	size_t i;

	for (int j = 0; j < 6; j++)
		k = (k ^ mac[j]) * 0x100000001b3ull;
	if (d->cap_mud_seen > 0) {
		for (i = k & (d->cap_mud_seen - 1); d->mud_seen[i].used;
		     i = (i + 1) & (d->cap_mud_seen - 1))
			if (d->mud_seen[i].url_hash == h &&
			    memcmp(d->mud_seen[i].mac, mac, 6) == 0)
				return true;
	}
	if (!add)
		return false;
	if (d->n_mud_seen >= CORDOND_MUD_SEEN_MAX) {
		memset(d->mud_seen, 0, d->cap_mud_seen * sizeof(*d->mud_seen));
		d->n_mud_seen = 0;
	}
	if (2 * (d->n_mud_seen + 1) > d->cap_mud_seen) {
		size_t cap = d->cap_mud_seen ? d->cap_mud_seen * 2 : 256;
		struct cd_mud_seen *v = calloc(cap, sizeof(*v));

		if (v == NULL)
			return false;	/* tried again next time */
		for (size_t o = 0; o < d->cap_mud_seen; o++) {
			const struct cd_mud_seen *e = &d->mud_seen[o];
			uint64_t ek = e->url_hash;

			if (!e->used)
				continue;
			for (int j = 0; j < 6; j++)
				ek = (ek ^ e->mac[j]) * 0x100000001b3ull;
			for (i = ek & (cap - 1); v[i].used; i = (i + 1) & (cap - 1))
				;
			v[i] = *e;
		}
		free(d->mud_seen);
		d->mud_seen = v;
		d->cap_mud_seen = cap;
	}
	for (i = k & (d->cap_mud_seen - 1); d->mud_seen[i].used;
	     i = (i + 1) & (d->cap_mud_seen - 1))
		;
	d->mud_seen[i].used = true;
	memcpy(d->mud_seen[i].mac, mac, 6);
	d->mud_seen[i].url_hash = h;
	d->n_mud_seen++;
	return false;
}

/* Where the fingerprinter saw the URL: its evidence JSON has an entry
 * {"attribute": "mud_url", "source": "dhcp_mud" | "dhcpv6_mud" |
 * "lldp_mud"}. DHCP when it does not say. */
static const char *
cd_mud_source(const Cordon__DeviceIdentity *id)
{
	static const char *const known[] = { "dhcp", "dhcpv6", "lldp" };
	const char *src = NULL;
	json_t *j = json_loads(id->evidence_json, 0, NULL), *e;
	size_t i;

	json_array_foreach(j, i, e) {
		const char *a = json_string_value(json_object_get(e,
								  "attribute"));
		const char *v = json_string_value(json_object_get(e, "source"));

		if (a == NULL || v == NULL || strcmp(a, "mud_url") != 0)
			continue;
		for (size_t k = 0; k < 3; k++)
			if (strncmp(v, known[k], strlen(known[k])) == 0 &&
			    strcmp(v + strlen(known[k]), "_mud") == 0)
				src = known[k];
	}
	json_decref(j);
	return src != NULL ? src : "dhcp";
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
	cd_log("MUD URL %s announced by %02x:%02x:%02x:%02x:%02x:%02x (%s): %s",
	       url, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], source,
	       why);
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

	if (cd_mud_seen(d, mac, cd_hash_str(id->mud_url), true))
		return;
	rc = ctl_store_mud_get(d->state.st, mac, cd_binding_url_cb, &cur);
	if (rc == 0 && strcmp(cur.url, id->mud_url) == 0)
		return;
	if (rc == 0 && strcmp(cur.source, "cli") == 0) {
		cd_log("%02x:%02x:%02x:%02x:%02x:%02x announces MUD URL %s; "
		       "it keeps the file imported with cordonctl (%s)",
		       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		       id->mud_url, cur.url);
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
	if (ctl_file_read(path, CTL_MUD_FILE_MAX, &text, &len, err,
			  sizeof(err)) < 0) {
		cd_mud_auto_reject(d, mac, id->mud_url, source, err);
		return;
	}
	snprintf(sig_path, sizeof(sig_path), "%s.p7s", path);
	if (access(sig_path, F_OK) == 0) {
		if (ctl_file_read(sig_path, CTL_MUD_SIG_MAX, &sig, &sig_len,
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
		cd_mud_auto_reject(d, mac, id->mud_url, source,
				   "the file holds a NUL byte");
	} else if (cd_mud_import(d, &m, &res, &version, err,
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
cd_mud_report(struct cordond *d, const Cordon__StatsReport *r)
{
	for (size_t i = 0; i < r->n_devices; i++) {
		const Cordon__DeviceStats *ds = r->devices[i];

		if (ds->identity == NULL || ds->identity->mud_url[0] == '\0' ||
		    ds->mac.len != 6 || (ds->mac.data[0] & 1) ||
		    ds->vlan > 4095)
			continue;
		cd_mud_announced(d, ds);
	}
}

static nng_msg *
cd_on_mud_import(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__MudImport *im = (const Cordon__MudImport *)msg->payload;
	Cordon__MudList rep = CORDON__MUD_LIST__INIT;
	Cordon__MudBinding b, *bp = &b;
	struct ctl_state_mud m = { 0 };
	struct ctl_store_mud sm = { 0 };
	struct ctl_mud_result res;
	uint64_t version;
	char err[1024], sha[65] = "";
	int rc;

	if (im->mac.len != 6 || (im->mac.data[0] & 1))
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"a unicast MAC is needed");
	if (im->vlan > 4095)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"VLAN out of range (0..4095)");
	memcpy(m.mac, im->mac.data, 6);
	m.vlan = (uint16_t)im->vlan;
	m.text = im->file;
	m.len = strlen(im->file);
	m.sig = im->signature.len > 0 ? im->signature.data : NULL;
	m.sig_len = im->signature.len;
	m.name = im->name[0] ? im->name : "MUD file";
	m.source = "cli";
	m.by = im->by;
	rc = cd_mud_import(d, &m, &res, &version, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, msg->request_id, rc == -EINVAL ||
				rc == -EBADMSG ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	ctl_store_sha256_hex(m.text, m.len, sha);
	memcpy(sm.mac, m.mac, 6);
	sm.vlan = m.vlan;
	sm.mud_url = res.mud_url;
	sm.sha256 = sha;
	sm.source = m.source;
	sm.imported_ms = now_unix_ms();
	sm.signature = m.sig;
	sm.sig_len = m.sig_len;
	sm.by = m.by;
	cd_mud_binding(&b, &sm, &res, "");
	rep.n_bindings = 1;
	rep.bindings = &bp;
	rep.policy_version = version;
	return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY,
			&rep.base);
}

struct cd_mud_list {
	Cordon__MudBinding *b;
	char **strs;			/* 6 per binding */
	uint8_t (*macs)[6];
	size_t n, cap;
};

static int
cd_mud_list_cb(const struct ctl_store_mud *m, const struct ctl_mud_result *res,
	       const char *err, void *arg)
{
	struct cd_mud_list *x = arg;
	struct ctl_store_mud c = *m;
	char **s;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		void *v;

		if ((v = realloc(x->b, cap * sizeof(*x->b))) == NULL)
			return -ENOMEM;
		x->b = v;
		if ((v = realloc(x->macs, cap * sizeof(*x->macs))) == NULL)
			return -ENOMEM;
		x->macs = v;
		if ((v = realloc(x->strs, cap * 6 * sizeof(*x->strs))) == NULL)
			return -ENOMEM;
		x->strs = v;
		x->cap = cap;
	}
	/* The callback's strings are gone after it returns: copy them. */
	s = &x->strs[6 * x->n];
	s[0] = strdup(m->mud_url);
	s[1] = strdup(m->sha256);
	s[2] = strdup(m->source);
	s[3] = strdup(m->by);
	s[4] = strdup(res != NULL ? res->note : err);
	s[5] = NULL;
	memcpy(x->macs[x->n], m->mac, 6);
	if (!s[0] || !s[1] || !s[2] || !s[3] || !s[4]) {
		for (int i = 0; i < 5; i++)
			free(s[i]);
		return -ENOMEM;
	}
	c.mud_url = s[0];
	c.sha256 = s[1];
	c.source = s[2];
	c.by = s[3];
	cd_mud_binding(&x->b[x->n], &c, res, s[4]);
	x->b[x->n].mac.data = x->macs[x->n];
	x->b[x->n].note = s[4];
	x->n++;
	return 0;
}

static nng_msg *
cd_on_mud_list(struct cordond *d, struct wire_msg *msg)
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
		out = cd_error(d, msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL,
			       rc == -ENOMEM ? "out of memory" :
			       ctl_store_errmsg(d->state.st));
		goto done;
	}
	for (size_t i = 0; i < x.n; i++)
		bp[i] = &x.b[i];
	rep.n_bindings = x.n;
	rep.bindings = bp;
	rep.policy_version = d->policy ? d->policy->version : 0;
	out = cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY,
		       &rep.base);
done:
	for (size_t i = 0; i < 6 * x.n; i++)
		free(x.strs[i]);
	free(x.strs);
	free(x.macs);
	free(x.b);
	free(bp);
	return out;
}

static nng_msg *
cd_on_mud_remove(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__MudRemove *r = (const Cordon__MudRemove *)msg->payload;
	struct ctl_pol_inventory inv;
	Cordon__Policy *pol = NULL;
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	uint64_t version = 0;
	char err[512];
	bool owned;
	int rc;

	if (r->mac.len != 6)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"a MAC is needed");
	rc = cd_inventory(d, &inv, &owned);
	if (rc < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				"out of memory");
	rc = ctl_state_mud_remove(&d->state, r->mac.data, r->by, &inv,
				  now_unix_ms(), &pol, &sig, &sig_len, err,
				  sizeof(err));
	cd_inventory_free(&inv, owned);
	if (rc < 0)
		return cd_error(d, msg->request_id, rc == -ENOENT ?
				CORDON__ERROR_CODE__ERR_NOT_FOUND :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	if (pol != NULL) {
		version = pol->version;
		cd_install(d, pol, sig, sig_len);
	}
	cd_event_json(d, CTL_STORE_EV_MUD_REMOVED, r->mac.data,
		      json_pack("{sssI}", "by", r->by,
				"version", (json_int_t)version));
	return cd_ack(d, msg->request_id, version);
}

/* Front ends (ctl_audit.h): the checks and the store work are there. */
static nng_msg *
cd_on_audit(struct cordond *d, struct wire_msg *msg)
{
	char err[256];
	uint64_t id = 0;
	int rc;

	rc = ctl_audit_append(d->state.st, (const Cordon__Audit *)msg->payload,
			      now_unix_ms(), &id, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, msg->request_id, rc == -EINVAL ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	d->counters[CD_AUDIT_EVENTS]++;
	return cd_ack(d, msg->request_id, id);
}

static nng_msg *
cd_on_device_segment(struct cordond *d, struct wire_msg *msg)
{
	const Cordon__DeviceSegment *r =
		(const Cordon__DeviceSegment *)msg->payload;
	char err[512];
	int rc;

	rc = ctl_audit_segment_check(r, d->policy, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, err);
	rc = ctl_store_segment_set(d->state.st, r->mac.data, (uint16_t)r->vlan,
				   r->segment, r->by, now_unix_ms());
	if (rc == -ENOENT)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"the device has no segment override");
	if (rc < 0)
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	rc = cd_apply(d, NULL, NULL, r->by, 0, err, sizeof(err));
	if (rc == -ENOENT)
		return cd_ack(d, msg->request_id, 0);
	if (rc < 0)
		return cd_error(d, msg->request_id, rc == -EINVAL ?
				CORDON__ERROR_CODE__ERR_INVALID :
				CORDON__ERROR_CODE__ERR_INTERNAL, err);
	return cd_ack(d, msg->request_id, d->policy->version);
}

static nng_msg *
cd_handle_cli(struct cordond *d, struct wire_msg *msg, struct cordond_ctx *c)
{
	switch (msg->type) {
	case CORDON__MSG_TYPE__MSG_FLOWS_REQUEST:
		return cd_on_flows(d, msg, c);
	case CORDON__MSG_TYPE__MSG_STATUS_REQUEST:
		return cd_on_status(d, msg);
	case CORDON__MSG_TYPE__MSG_STATS_REQUEST:
		return cd_on_stats(d, msg);
	case CORDON__MSG_TYPE__MSG_POLICY:
		return cd_on_policy(d, msg);
	case CORDON__MSG_TYPE__MSG_POLICY_GET:
		return cd_on_policy_get(d, msg);
	case CORDON__MSG_TYPE__MSG_POLICY_APPLY:
		return cd_on_apply(d, msg);
	case CORDON__MSG_TYPE__MSG_POLICY_HISTORY:
		return cd_on_history(d, msg);
	case CORDON__MSG_TYPE__MSG_POLICY_DIFF:
		return cd_on_diff(d, msg);
	case CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK:
		return cd_on_rollback(d, msg);
	case CORDON__MSG_TYPE__MSG_QUARANTINE:
		return cd_on_quarantine(d, msg);
	case CORDON__MSG_TYPE__MSG_EVENTS_REQUEST:
		return cd_on_events(d, msg);
	case CORDON__MSG_TYPE__MSG_MUD_IMPORT:
		return cd_on_mud_import(d, msg);
	case CORDON__MSG_TYPE__MSG_MUD_LIST:
		return cd_on_mud_list(d, msg);
	case CORDON__MSG_TYPE__MSG_MUD_REMOVE:
		return cd_on_mud_remove(d, msg);
	case CORDON__MSG_TYPE__MSG_AUDIT:
		return cd_on_audit(d, msg);
	case CORDON__MSG_TYPE__MSG_DEVICE_SEGMENT:
		return cd_on_device_segment(d, msg);
	default:
		return cd_error(d, msg->request_id,
				CORDON__ERROR_CODE__ERR_UNEXPECTED,
				"not a cordonctl request");
	}
}

static nng_msg *
cd_on_ping(struct cordond *d, struct wire_msg *msg)
{
	Cordon__Ack ack = CORDON__ACK__INIT;

	d->counters[CD_PINGS]++;
	ack.seq = ((const Cordon__Ping *)msg->payload)->nonce;
	return cd_reply(d, msg->request_id, CORDON__MSG_TYPE__MSG_ACK,
			&ack.base);
}

/*
 * Returns the reply, or NULL. *parked: the request was parked, and whoever
 * answers it later owns the context's aio from now on (perhaps already).
 */
static nng_msg *
cd_handle(struct cordond *d, struct cordond_ctx *c, nng_msg *in, bool *parked)
{
	enum cordond_ep ep = c->ep;
	struct wire_msg msg;
	struct wire_err err;
	nng_msg *out;
	uint32_t pipe = nng_pipe_id(nng_msg_get_pipe(in));

	pthread_mutex_lock(&d->lock);
	d->counters[ep == EP_DATAPLANE ? CD_DP_MESSAGES : CD_CLI_MESSAGES]++;
	if (wire_unpack(nng_msg_body(in), nng_msg_len(in), &msg, &err) < 0)
		out = cd_error(d, msg.request_id, err.code, err.text);
	else if (msg.type == CORDON__MSG_TYPE__MSG_PING)
		out = cd_on_ping(d, &msg);
	else if (ep == EP_DATAPLANE)
		out = cd_handle_dataplane(d, &msg, pipe, c);
	else
		out = cd_handle_cli(d, &msg, c);
	*parked = out == NULL && c->parked;
	pthread_mutex_unlock(&d->lock);
	wire_msg_free(&msg);
	return out;
}

static void cd_wake_polls(struct cordond *d, bool expire);

static void
cd_ctx_cb(void *arg)
{
	struct cordond_ctx *c = arg;
	int rv = nng_aio_result(c->aio);

	if (c->sending) {
		if (rv != 0)
			nng_msg_free(nng_aio_get_msg(c->aio));
		c->sending = false;
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	if (rv == NNG_ECLOSED)
		return;		/* shutting down */
	if (rv != 0) {
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}

	nng_msg *in = nng_aio_get_msg(c->aio);
	bool parked = false;
	nng_msg *out = cd_handle(c->d, c, in, &parked);

	nng_msg_free(in);
	if (out == NULL) {
		if (parked) {
			/* cd_wake_polls() answers it later; a flows request
			 * may have a poll to ride on already. */
			cd_wake_polls(c->d, false);
			return;
		}
		/* Could not even build an error: drop and carry on. */
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	c->sending = true;
	nng_aio_set_msg(c->aio, out);
	nng_ctx_send(c->ctx, c->aio);
	/* cordonctl may just have pushed a policy that polls wait for, or a
	 * dataplane answered a flows request. */
	cd_wake_polls(c->d, false);
}

static void
cd_pipe_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	struct cordond *d = arg;

	pthread_mutex_lock(&d->lock);
	if (ev == NNG_PIPE_EV_ADD_POST) {
		d->counters[CD_DP_CONNECTS]++;
	} else if (ev == NNG_PIPE_EV_REM_POST) {
		struct ctl_dp *dp = ctl_registry_pipe_closed(&d->reg,
							     nng_pipe_id(p));

		d->counters[CD_DP_DISCONNECTS]++;
		if (dp != NULL) {
			cd_log("dataplane %s disconnected",
			       dp->hello->dataplane_id);
			cd_event(d, CTL_STORE_EV_DP_DISCONNECT,
				 dp->hello->dataplane_id, NULL, NULL);
		}
	}
	pthread_mutex_unlock(&d->lock);
}

static void *
cd_exit_guard_main(void *arg)
{
	(void)arg;
	sleep(CORDOND_EXIT_GUARD_S);
	cd_log("shutdown still not done after %d s (nng close hang); the store "
	       "is committed, exiting", CORDOND_EXIT_GUARD_S);
	_exit(0);
	return NULL;
}

/* Bound the shutdown (see CORDOND_EXIT_GUARD_S). */
static void
cd_exit_guard_start(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, cd_exit_guard_main, NULL) == 0)
		pthread_detach(t);
}

static int
cd_listener_start(struct cordond *d, enum cordond_ep ep, const char *url)
{
	nng_socket s = ep == EP_DATAPLANE ? d->dp_sock : d->cli_sock;
	nng_listener *l = &d->listeners[ep];
	int rc;

	rc = nng_listener_create(l, s, url);
	if (rc != 0)
		return wire_nng_errno(rc);
	if (ep == EP_DATAPLANE && d->tls != NULL) {
		rc = nng_listener_set_ptr(*l, NNG_OPT_TLS_CONFIG, d->tls);
		if (rc != 0)
			goto fail;
	}
	if (strncmp(url, "ipc://", 6) == 0) {
		/* Only the owner (root in production) may talk to cordond. */
		rc = nng_listener_set_int(*l, NNG_OPT_IPC_PERMISSIONS, 0600);
		if (rc != 0)
			goto fail;
	}
	rc = nng_listener_start(*l, 0);
	if (rc != 0)
		goto fail;
	return 0;
fail:
	nng_listener_close(*l);
	return wire_nng_errno(rc);
}

static int
cd_listen(struct cordond *d, enum cordond_ep ep, const char *url)
{
	nng_socket *s = ep == EP_DATAPLANE ? &d->dp_sock : &d->cli_sock;
	int rc;

	rc = nng_rep0_open(s);
	if (rc != 0)
		return wire_nng_errno(rc);
	nng_socket_set_size(*s, NNG_OPT_RECVMAXSZ, WIRE_MAX_MSG);
	if (ep == EP_DATAPLANE) {
		nng_pipe_notify(*s, NNG_PIPE_EV_ADD_POST, cd_pipe_cb, d);
		nng_pipe_notify(*s, NNG_PIPE_EV_REM_POST, cd_pipe_cb, d);
	}
	rc = cd_listener_start(d, ep, url);
	if (rc < 0)
		return rc;

	for (int i = 0; i < CORDOND_CTX_PER_SOCKET; i++) {
		struct cordond_ctx *c = &d->ctxs[ep][i];

		c->d = d;
		c->ep = ep;
		rc = nng_aio_alloc(&c->aio, cd_ctx_cb, c);
		if (rc == 0)
			rc = nng_ctx_open(&c->ctx, *s);
		if (rc != 0)
			return wire_nng_errno(rc);
		nng_ctx_recv(c->ctx, c->aio);
	}
	return 0;
}

/*
 * Answer parked polls: those a newer policy is waiting for, and (with
 * expire) those whose time is up. Replies are sent outside the lock.
 */
static void
cd_wake_polls(struct cordond *d, bool expire)
{
	struct cordond_ctx *go[CORDOND_CTX_PER_SOCKET + CORDOND_FLOWQ_MAX];
	nng_msg *msg[CORDOND_CTX_PER_SOCKET + CORDOND_FLOWQ_MAX];
	uint64_t now = now_unix_ms();
	int n = 0;

	pthread_mutex_lock(&d->lock);
	/* Flows requests: answered, or out of time. */
	for (int i = 0; i < CORDOND_FLOWQ_MAX; i++) {
		struct cordond_flowq *q = &d->flowq[i];

		if (!q->used)
			continue;
		if (q->reply == NULL && now >= q->deadline_ms) {
			char text[200];

			d->counters[CD_FLOWS_TIMEOUTS]++;
			snprintf(text, sizeof(text), "dataplane '%.64s' did "
				 "not answer within %u ms", q->dp_id,
				 CORDOND_FLOWS_TIMEOUT_MS);
			q->reply = cd_error(d, q->cli->req_id,
					    CORDON__ERROR_CODE__ERR_INTERNAL,
					    text);
		}
		if (q->reply == NULL)
			continue;
		msg[n] = q->reply;
		q->cli->parked = false;
		q->cli->sending = true;
		go[n++] = q->cli;
		memset(q, 0, sizeof(*q));
	}
	for (int i = 0; i < CORDOND_CTX_PER_SOCKET; i++) {
		struct cordond_ctx *c = &d->ctxs[EP_DATAPLANE][i];
		bool news = d->policy != NULL && d->policy->version > c->have;
		if (!c->parked)
			continue;
		if (!news) {
			/* A flows request for this poll's dataplane? */
			msg[n] = cd_flows_query_for(d, c->poll_dp, c->req_id);
			if (msg[n] != NULL) {
				c->parked = false;
				c->sending = true;
				go[n++] = c;
				continue;
			}
		}
		if (!(news || (expire && now >= c->deadline_ms)))
			continue;
		msg[n] = cd_poll_reply(d, c->req_id, news);
		if (msg[n] == NULL)
			continue;
		c->parked = false;
		c->sending = true;
		go[n++] = c;
	}
	pthread_mutex_unlock(&d->lock);

	for (int i = 0; i < n; i++) {
		nng_aio_set_msg(go[i]->aio, msg[i]);
		nng_ctx_send(go[i]->ctx, go[i]->aio);
	}
}

/* One request through a fresh connection, as any client would make it. */
static bool
cd_probe(const char *url, uint64_t nonce)
{
	Cordon__Ping ping = CORDON__PING__INIT;
	struct wire_msg reply;
	struct wire_err err;
	nng_socket s;
	bool ok = false;

	if (nng_req0_open(&s) != 0)
		return true;	/* cannot tell: not the listener's fault */
	nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, CORDOND_PROBE_TIMEOUT_MS);
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, CORDOND_PROBE_TIMEOUT_MS);
	if (nng_dial(s, url, NULL, 0) == 0) {
		ping.nonce = nonce;
		if (wire_nng_call(s, CORDON__MSG_TYPE__MSG_PING, nonce,
				  &ping.base, &reply, &err) == 0) {
			ok = reply.type == CORDON__MSG_TYPE__MSG_ACK &&
				((Cordon__Ack *)reply.payload)->seq == nonce;
			wire_msg_free(&reply);
		}
	}
	nng_close(s);
	return ok;
}

static void *
cd_watchdog_main(void *arg)
{
	struct cordond *d = arg;
	uint64_t nonce = 0;

	pthread_mutex_lock(&d->wd_lock);
	while (!d->stopping) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += CORDOND_WATCHDOG_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&d->wd_cond, &d->wd_lock, &ts);
		if (d->stopping)
			break;
		pthread_mutex_unlock(&d->wd_lock);

		cd_wake_polls(d, true);
		for (int ep = 0; ep < 2; ep++) {
			const char *url = ep == EP_DATAPLANE ? d->conf.dp_url :
				d->conf.cli_url;
			int rc;

			/* A TLS endpoint wants a client certificate that
			 * cordond does not have: probe below TLS. */
			if (ep == EP_DATAPLANE && d->tls != NULL ?
			    wire_tls_probe(url, CORDOND_PROBE_TIMEOUT_MS) :
			    cd_probe(url, ++nonce))
				continue;
			cd_log("%s stopped answering: restarting its listener",
			       url);
			nng_listener_close(d->listeners[ep]);
			rc = cd_listener_start(d, ep, url);
			if (rc < 0)
				cd_log("cannot listen on %s again: %s", url,
				       strerror(-rc));
			pthread_mutex_lock(&d->lock);
			d->counters[CD_LISTENER_RESTARTS]++;
			pthread_mutex_unlock(&d->lock);
		}
		pthread_mutex_lock(&d->wd_lock);
	}
	pthread_mutex_unlock(&d->wd_lock);
	return NULL;
}

static void
cd_usage(FILE *f)
{
	fprintf(f,
"Usage: cordond [options]\n"
"\n"
"Cordon's control daemon. Dataplanes dial in to report; cordonctl talks to\n"
"it on a separate socket that only its owner may open (mode 0600).\n"
"\n"
"Options:\n"
"  -r, --rundir DIR          runtime directory (default $CORDON_RUNDIR, else\n"
"                            /run/cordon for root, else $XDG_RUNTIME_DIR/cordon)\n"
"  -s, --state-dir DIR       durable state: cordond.db (SQLite), and the policy\n"
"                            signing key if there is one (default\n"
"                            $CORDON_STATE_DIR, else /var/lib/cordon for root,\n"
"                            else ~/.local/state/cordon)\n"
"  -d, --dataplane-url URL   dataplane endpoint (default ipc://RUNDIR/dataplane.sock);\n"
"                            tls+tcp://ADDR:PORT for dataplanes on other hosts,\n"
"                            with the three options below\n"
"      --tls-cert FILE       cordond's certificate (PEM; may hold the key too)\n"
"      --tls-key FILE        its private key (PEM; default: in --tls-cert)\n"
"      --tls-ca FILE         the CA whose certificates dataplanes must present:\n"
"                            client authentication is required\n"
"                            (scripts/make-certs.sh makes all three)\n"
"  -c, --ctl-url URL         cordonctl endpoint (default ipc://RUNDIR/ctl.sock)\n"
"  -i, --report-interval MS  report period asked of dataplanes, 100..60000\n"
"                            (default: each dataplane's own)\n"
"  -I, --inventory-refresh S  write a device whose identity did not change\n"
"                            to the store again after S seconds, 1..86400\n"
"                            (default 60); changes are written at once\n"
"      --mud-context FILE    deployment context for MUD files (YAML, see\n"
"                            examples/mud-context-luminaire.yaml); its device\n"
"                            part is ignored: each binding is its own device\n"
"      --mud-ca FILE         trust anchors (PEM) for MUD signatures (.p7s)\n"
"                            (default: the context's signature.ca-file)\n"
"      --mud-accept-unsigned accept MUD files without a signature (default:\n"
"                            the context's signature.accept-unsigned, else no)\n"
"      --mud-dir DIR         MUD files for the URLs devices announce (DHCP\n"
"                            option 161, DHCPv6 option 112, LLDP), as\n"
"                            DIR/<host>/<path with / as _> (default\n"
"                            STATE-DIR/mud)\n"
"  -v, --verbose             log every rejected message\n"
"  -h, --help                this text\n"
"\n"
"SIGINT or SIGTERM stops cordond.\n");
}

static int
cd_parse(int argc, char **argv, struct cordond_conf *c)
{
	static const struct option opts[] = {
		{ "rundir", required_argument, NULL, 'r' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "dataplane-url", required_argument, NULL, 'd' },
		{ "ctl-url", required_argument, NULL, 'c' },
		{ "report-interval", required_argument, NULL, 'i' },
		{ "inventory-refresh", required_argument, NULL, 'I' },
		{ "mud-context", required_argument, NULL, 'M' },
		{ "mud-ca", required_argument, NULL, 'A' },
		{ "mud-accept-unsigned", no_argument, NULL, 'U' },
		{ "mud-dir", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "tls-ca", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_rundir = false;
	char *end;
	int o;

	memset(c, 0, sizeof(*c));
	c->inventory_refresh_s = CTL_INV_REFRESH_MS / 1000;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":r:s:d:c:i:I:vh", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			if (strlen(optarg) >= sizeof(c->rundir) - 32) {
				fprintf(stderr, "cordond: --rundir: too long\n");
				return -EINVAL;
			}
			strcpy(c->rundir, optarg);
			have_rundir = true;
			break;
		case 's':
			if (strlen(optarg) >= sizeof(c->statedir) - 32) {
				fprintf(stderr, "cordond: --state-dir: too "
					"long\n");
				return -EINVAL;
			}
			strcpy(c->statedir, optarg);
			break;
		case 'd':
		case 'c':
			if (strstr(optarg, "://") == NULL ||
			    strlen(optarg) >= sizeof(c->dp_url)) {
				fprintf(stderr, "cordond: %s: '%s' is not an "
					"nng URL (ipc://PATH, tcp://HOST:PORT)\n",
					o == 'd' ? "--dataplane-url" :
					"--ctl-url", optarg);
				return -EINVAL;
			}
			strcpy(o == 'd' ? c->dp_url : c->cli_url, optarg);
			break;
		case 'i':
			errno = 0;
			c->report_interval_ms = (uint32_t)strtoul(optarg, &end,
								  10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    c->report_interval_ms < 100 ||
			    c->report_interval_ms > 60000) {
				fprintf(stderr, "cordond: --report-interval: "
					"'%s' is not a number in 100..60000\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'I':
			errno = 0;
			c->inventory_refresh_s = (uint32_t)strtoul(optarg,
								   &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    c->inventory_refresh_s < 1 ||
			    c->inventory_refresh_s > 86400) {
				fprintf(stderr, "cordond: --inventory-refresh: "
					"'%s' is not a number in 1..86400\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'M':
		case 'A':
		case 'D': {
			char *dst = o == 'M' ? c->mud_context : o == 'A' ?
				c->mud_ca : c->mud_dir;

			if (strlen(optarg) >= PATH_MAX - 64) {
				fprintf(stderr, "cordond: %s: too long\n",
					argv[optind - 1]);
				return -EINVAL;
			}
			strcpy(dst, optarg);
			break;
		}
		case 'U':
			c->mud_accept_unsigned = true;
			break;
		case 'v':
			c->verbose = true;
			break;
		case 'C':
			c->tls_cert = optarg;
			break;
		case 'K':
			c->tls_key = optarg;
			break;
		case 'T':
			c->tls_ca = optarg;
			break;
		case 'h':
			cd_usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr, "cordond: option '%s' needs a value\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "cordond: unknown option '%s' (see "
				"--help)\n", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cordond: unexpected argument '%s' (see "
			"--help)\n", argv[optind]);
		return -EINVAL;
	}
	if (wire_tls_url(c->cli_url)) {
		fprintf(stderr, "cordond: --ctl-url: tls+tcp is for dataplanes; "
			"cordonctl talks to cordond over ipc or tcp\n");
		return -EINVAL;
	}
	if (wire_tls_url(c->dp_url) &&
	    (c->tls_cert == NULL || c->tls_ca == NULL)) {
		fprintf(stderr, "cordond: --dataplane-url %s needs --tls-cert "
			"and --tls-ca (and --tls-key unless the certificate "
			"file holds the key)\n", c->dp_url);
		return -EINVAL;
	}
	if (!wire_tls_url(c->dp_url) &&
	    (c->tls_cert || c->tls_key || c->tls_ca)) {
		fprintf(stderr, "cordond: --tls-cert, --tls-key and --tls-ca "
			"need a tls+tcp:// --dataplane-url\n");
		return -EINVAL;
	}
	if (!have_rundir && endpoint_rundir(c->rundir, sizeof(c->rundir)) < 0)
		return -ENAMETOOLONG;
	if (c->statedir[0] == '\0' &&
	    endpoint_statedir(c->statedir, sizeof(c->statedir)) < 0)
		return -ENAMETOOLONG;
	if (c->mud_dir[0] == '\0')
		snprintf(c->mud_dir, sizeof(c->mud_dir), "%.*s/mud",
			 PATH_MAX - 64, c->statedir);
	if (c->dp_url[0] == '\0')
		endpoint_default_url(c->rundir, ENDPOINT_DATAPLANE_SOCK,
				     c->dp_url, sizeof(c->dp_url));
	if (c->cli_url[0] == '\0')
		endpoint_default_url(c->rundir, ENDPOINT_CTL_SOCK, c->cli_url,
				     sizeof(c->cli_url));
	return 0;
}

int
main(int argc, char **argv)
{
	static struct cordond d;
	sigset_t sigs;
	int rc, sig;

	if (cd_parse(argc, argv, &d.conf) < 0)
		return 2;

	/* Every thread nng starts inherits this mask; main takes signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	pthread_mutex_init(&d.lock, NULL);
	pthread_mutex_init(&d.wd_lock, NULL);
	pthread_cond_init(&d.wd_cond, NULL);
	ctl_registry_init(&d.reg);
	ctl_inv_init(&d.inv, (uint64_t)d.conf.inventory_refresh_s * 1000);
	d.start_ms = now_unix_ms();

	rc = endpoint_mkdir(d.conf.rundir);
	if (rc < 0) {
		fprintf(stderr, "cordond: cannot create %s: %s\n",
			d.conf.rundir, strerror(-rc));
		return 1;
	}
	{
		char err[512];

		rc = ctl_state_open(&d.state, d.conf.statedir, err,
				    sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "cordond: %s\n", err);
			return 1;
		}
		if (d.conf.mud_context[0] != '\0' &&
		    ctl_mud_context_load(d.conf.mud_context, &d.mud_ctx, err,
					 sizeof(err)) < 0) {
			fprintf(stderr, "cordond: --mud-context: %s\n", err);
			ctl_state_close(&d.state);
			return 1;
		}
		d.state.mud_ctx = &d.mud_ctx;
		d.state.mud_ca = d.conf.mud_ca[0] ? d.conf.mud_ca :
			d.mud_ctx.ca_file;
		d.state.mud_accept_unsigned = d.conf.mud_accept_unsigned ||
			d.mud_ctx.accept_unsigned;
		if (d.state.mud_ca != NULL && access(d.state.mud_ca, R_OK) < 0) {
			fprintf(stderr, "cordond: MUD trust anchors %s: %s\n",
				d.state.mud_ca, strerror(errno));
			ctl_state_close(&d.state);
			return 1;
		}
		/* Dataplanes get the policy in force across restarts. */
		if (cd_load_latest(&d) < 0) {
			fprintf(stderr, "cordond: the stored policy does not "
				"decode\n");
			return 1;
		}
	}
	if (wire_tls_url(d.conf.dp_url)) {
		struct wire_tls_files tf = {
			.cert = d.conf.tls_cert, .key = d.conf.tls_key,
			.ca = d.conf.tls_ca,
		};
		char err[512];

		rc = wire_tls_config(true, &tf, &d.tls, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "cordond: %s\n", err);
			return 1;
		}
	}
	rc = cd_listen(&d, EP_DATAPLANE, d.conf.dp_url);
	if (rc < 0) {
		fprintf(stderr, "cordond: cannot listen on %s: %s\n",
			d.conf.dp_url, strerror(-rc));
		return 1;
	}
	rc = cd_listen(&d, EP_CLI, d.conf.cli_url);
	if (rc < 0) {
		fprintf(stderr, "cordond: cannot listen on %s: %s\n",
			d.conf.cli_url, strerror(-rc));
		return 1;
	}
	cd_log("%s listening: dataplanes %s, cordonctl %s; state in %s%s; "
	       "policy %" PRIu64, CORDON_VERSION, d.conf.dp_url, d.conf.cli_url,
	       d.conf.statedir, d.state.have_key ? " (signing key loaded)" : "",
	       d.policy ? d.policy->version : 0);
	rc = pthread_create(&d.watchdog, NULL, cd_watchdog_main, &d);
	if (rc != 0) {
		fprintf(stderr, "cordond: cannot start watchdog: %s\n",
			strerror(rc));
		return 1;
	}

	do {
		rc = sigwait(&sigs, &sig);
	} while (rc != 0);
	cd_log("signal %d, shutting down", sig);
	cd_exit_guard_start();

	pthread_mutex_lock(&d.wd_lock);
	d.stopping = true;
	pthread_cond_signal(&d.wd_cond);
	pthread_mutex_unlock(&d.wd_lock);
	pthread_join(d.watchdog, NULL);

	nng_close(d.dp_sock);
	nng_close(d.cli_sock);
	for (int ep = 0; ep < 2; ep++) {
		for (int i = 0; i < CORDOND_CTX_PER_SOCKET; i++) {
			if (d.ctxs[ep][i].aio == NULL)
				continue;
			nng_aio_stop(d.ctxs[ep][i].aio);
			nng_aio_free(d.ctxs[ep][i].aio);
		}
	}
	ctl_registry_fini(&d.reg);
	ctl_inv_fini(&d.inv);
	ctl_mud_context_free(&d.mud_ctx);
	free(d.mud_seen);
	if (d.tls != NULL)
		nng_tls_config_free(d.tls);
	if (d.policy != NULL)
		cordon__policy__free_unpacked(d.policy, NULL);
	free(d.policy_signed);
	ctl_state_close(&d.state);
	pthread_cond_destroy(&d.wd_cond);
	pthread_mutex_destroy(&d.wd_lock);
	pthread_mutex_destroy(&d.lock);
	return 0;
}
