/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * `cordonctl flows` and `cordonctl capture`: cordonctl -> cordond ->
 * dataplane and back, riding on the dataplane's long poll. See
 * docs/flows-relay.md. A capture is relayed the same way (CaptureRequest,
 * MSG_CAPTURE_QUERY, MSG_CAPTURE_DUMP), with a deadline of its duration
 * plus CD_FLOWS_TIMEOUT_MS.
 *
 * A FlowsRequest parks the cordonctl request here. The poll hook hands
 * the query to the dataplane as the reply to its parked (or next) poll;
 * the dataplane sends its dump back as a new request (MSG_FLOWS_DUMP), and
 * the wake hook answers cordonctl with it, or with an error once the
 * deadline has passed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cd.h"
#include "ctl_audit.h"
#include "wire_nng.h"

/* Requests in flight, and how long a dataplane has to answer one (the
 * watchdog's tick checks, so up to half a period later). */
#define CD_FLOWS_MAX 16
#define CD_FLOWS_TIMEOUT_MS 2000
#define CD_FLOWS_LIMIT_MAX 100000
/* A capture's bounds (the dataplane's capture thread takes it, its poll thread goes on). */
#define CD_CAPTURE_COUNT_MAX 100000
#define CD_CAPTURE_SECONDS_MAX 60
#define CD_CAPTURE_SECONDS_DEFAULT 10
#define CD_CAPTURE_FILTER_MAX 1024

/*
 * A request: the cordonctl context waits parked while the query goes to
 * the dataplane with its next poll (sent), until the dataplane's dump
 * brings the answer (reply) or the deadline passes.
 */
struct cd_flows_q {
	bool used;
	bool sent;
	uint64_t id;
	char dp_id[CTL_DP_ID_MAX + 1];
	uint8_t mac[6];
	bool has_mac;
	uint32_t limit;
	struct cd_conn *cli;
	uint64_t req_id;
	uint64_t deadline_ms;
	uint32_t timeout_ms;
	Cordon__CaptureRequest *cap;	/* a capture's, owned; NULL: flows */
	nng_msg *reply;		/* ready for cordonctl */
};

struct cd_flows {
	struct cd_flows_q q[CD_FLOWS_MAX];
	uint64_t next_id;
};

/* The dataplane a request names, or the only connected one. */
static const struct ctl_dp *
cd_flows_dataplane(struct cordond *d, const char *id, Cordon__ErrorCode *code,
		   char *text, size_t len)
{
	const struct ctl_dp *dp = NULL;
	size_t connected = 0;

	*code = CORDON__ERROR_CODE__ERR_NOT_FOUND;
	if (id[0] != '\0') {
		dp = ctl_registry_find(&d->reg, id);
		if (dp == NULL) {
			snprintf(text, len, "no dataplane '%.64s'", id);
			return NULL;
		}
	} else {
		for (size_t i = 0; i < d->reg.n; i++) {
			if (d->reg.dps[i].pipe_id == 0)
				continue;
			connected++;
			dp = &d->reg.dps[i];
		}
		if (connected != 1) {
			snprintf(text, len, connected == 0 ?
				 "no dataplane is connected" :
				 "%zu dataplanes are connected: name one "
				 "(--dataplane ID)", connected);
			if (connected > 1)
				*code = CORDON__ERROR_CODE__ERR_INVALID;
			return NULL;
		}
	}
	if (dp->pipe_id == 0) {
		snprintf(text, len, "dataplane '%.64s' is not connected",
			 dp->hello->dataplane_id);
		return NULL;
	}
	if (WIRE_VERSION_MINOR_OF(dp->hello->proto_version) < 1) {
		snprintf(text, len, "dataplane '%.64s' cannot list its flows "
			 "(too old)", dp->hello->dataplane_id);
		*code = CORDON__ERROR_CODE__ERR_UNEXPECTED;
		return NULL;
	}
	return dp;
}

/* Park r in a free slot for dataplane dp (NULL: none free). */
static struct cd_flows_q *
cd_flows_park(struct cordond *d, struct cd_req *r, const struct ctl_dp *dp,
	      uint32_t timeout_ms)
{
	struct cd_flows_q *q = NULL;

	for (int i = 0; i < CD_FLOWS_MAX && q == NULL; i++)
		if (!d->flows->q[i].used)
			q = &d->flows->q[i];
	if (q == NULL)
		return NULL;
	memset(q, 0, sizeof(*q));
	q->used = true;
	/* Unguessable: a dump is matched by it (and the dataplane id). */
	if (getrandom(&q->id, sizeof(q->id), 0) != sizeof(q->id))
		q->id = ++d->flows->next_id ^ util_time_now_ms() << 20;
	/* Registered ids fit (ctl_registry_check_hello()). */
	snprintf(q->dp_id, sizeof(q->dp_id), "%s", dp->hello->dataplane_id);
	q->cli = r->conn;
	q->req_id = r->msg->request_id;
	q->timeout_ms = timeout_ms;
	q->deadline_ms = util_time_now_ms() + timeout_ms;
	cd_park(r);
	return q;
}

static nng_msg *
cd_flows_request(struct cordond *d, struct cd_req *r)
{
	const Cordon__FlowsRequest *fr = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	struct cd_flows_q *q = NULL;
	const struct ctl_dp *dp;
	Cordon__ErrorCode code;
	char text[200];

	d->counters[CD_FLOWS_REQUESTS]++;
	if (fr->mac.len != 0 && fr->mac.len != 6)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"a MAC is 6 bytes");
	if (fr->limit > CD_FLOWS_LIMIT_MAX)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"limit: at most 100000 flows");
	dp = cd_flows_dataplane(d, fr->dataplane_id, &code, text,
				sizeof(text));
	if (dp == NULL)
		return cd_error(d, req_id, code, text);
	q = cd_flows_park(d, r, dp, CD_FLOWS_TIMEOUT_MS);
	if (q == NULL)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"too many flow requests in progress");
	q->has_mac = fr->mac.len == 6;
	if (q->has_mac)
		memcpy(q->mac, fr->mac.data, 6);
	q->limit = fr->limit;
	return NULL;
}

/* A capture: checked here, taken by the dataplane's capture thread. */
static nng_msg *
cd_capture_request(struct cordond *d, struct cd_req *r)
{
	Cordon__CaptureRequest *cr = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	uint32_t secs = cr->seconds ? cr->seconds : CD_CAPTURE_SECONDS_DEFAULT;
	struct cd_flows_q *q;
	const struct ctl_dp *dp;
	Cordon__ErrorCode code;
	char text[200];

	if ((cr->mac.len != 0 && cr->mac.len != 6) ||
	    cr->count > CD_CAPTURE_COUNT_MAX ||
	    secs > CD_CAPTURE_SECONDS_MAX ||
	    !ctl_audit_text_ok(cr->filter, 0, CD_CAPTURE_FILTER_MAX))
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"capture: a 6-byte MAC, count at most 100000, "
				"seconds at most 60, a filter of at most 1024 "
				"printable bytes");
	dp = cd_flows_dataplane(d, cr->dataplane_id, &code, text,
				sizeof(text));
	if (dp == NULL)
		return cd_error(d, req_id, code, text);
	if (WIRE_VERSION_MINOR_OF(dp->hello->proto_version) < 3)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_UNEXPECTED,
				"that dataplane cannot capture (too old)");
	q = cd_flows_park(d, r, dp, secs * 1000 + CD_FLOWS_TIMEOUT_MS);
	if (q == NULL)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INTERNAL,
				"too many requests in progress");
	cr->seconds = secs;
	q->cap = cr;
	r->msg->payload = NULL;		/* q's now */
	return NULL;
}

/*
 * A dump comes on the dataplane's poll connection, not the one it said
 * hello on: it is matched by its query id, which is random, and its id.
 * res (of reply type type, its dataplane_id field at res_dp) or the error
 * answers the request waiting.
 */
static nng_msg *
cd_flows_got(struct cordond *d, struct cd_req *r, uint64_t query_id,
	     char *dp_id, Cordon__ErrorCode code, const char *error,
	     const ProtobufCMessage *res, char **res_dp, Cordon__MsgType type,
	     bool cap)
{
	struct cd_flows_q *q = NULL;
	char text[300];

	if (ctl_registry_find(&d->reg, dp_id) == NULL)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"say hello first");
	for (int i = 0; i < CD_FLOWS_MAX && q == NULL; i++) {
		struct cd_flows_q *c = &d->flows->q[i];

		if (c->used && c->sent && c->reply == NULL &&
		    c->id == query_id && (c->cap != NULL) == cap &&
		    strcmp(c->dp_id, dp_id) == 0)
			q = c;
	}
	/* Late (timed out) or unknown: nothing waits for it any more. */
	if (q != NULL && (code != CORDON__ERROR_CODE__ERR_NONE ||
			  res == NULL)) {
		snprintf(text, sizeof(text), "dataplane '%.64s': %.200s",
			 q->dp_id, res == NULL && code == 0 ?
			 "nothing in its answer" : error);
		q->reply = cd_error(d, q->req_id, code ? code :
				    CORDON__ERROR_CODE__ERR_INTERNAL, text);
	} else if (q != NULL) {
		/* The reply names the dataplane (borrowed for the encoding). */
		char *own = *res_dp;

		*res_dp = dp_id;
		q->reply = cd_reply(d, q->req_id, type, res);
		*res_dp = own;
	}
	return cd_ack(d, r->msg->request_id, query_id);
}

static nng_msg *
cd_flows_dump(struct cordond *d, struct cd_req *r)
{
	Cordon__FlowsDump *fd = cd_in(r);
	Cordon__Flows *res = fd->flows;

	return cd_flows_got(d, r, fd->query_id, fd->dataplane_id,
			    fd->error_code, fd->error, res ? &res->base : NULL,
			    res ? &res->dataplane_id : NULL,
			    CORDON__MSG_TYPE__MSG_FLOWS_REPLY, false);
}

static nng_msg *
cd_capture_dump(struct cordond *d, struct cd_req *r)
{
	Cordon__CaptureDump *cd = cd_in(r);
	Cordon__Capture *res = cd->capture;

	return cd_flows_got(d, r, cd->query_id, cd->dataplane_id,
			    cd->error_code, cd->error, res ? &res->base : NULL,
			    res ? &res->dataplane_id : NULL,
			    CORDON__MSG_TYPE__MSG_CAPTURE_REPLY, true);
}

/* The query for the first request waiting on this poll's dataplane. */
static nng_msg *
cd_flows_poll(struct cordond *d, const struct cd_poll *p)
{
	for (int i = 0; i < CD_FLOWS_MAX; i++) {
		struct cd_flows_q *q = &d->flows->q[i];
		Cordon__FlowsQuery fq = CORDON__FLOWS_QUERY__INIT;
		nng_msg *m = NULL;

		if (!q->used || q->sent || q->reply != NULL ||
		    strcmp(q->dp_id, p->dp_id) != 0)
			continue;
		if (q->cap != NULL) {
			Cordon__CaptureQuery cq = CORDON__CAPTURE_QUERY__INIT;

			cq.query_id = q->id;
			cq.request = q->cap;
			if (wire_nng_msg(CORDON__MSG_TYPE__MSG_CAPTURE_QUERY,
					 p->req_id, &cq.base, &m) < 0)
				return NULL;
			q->sent = true;
			return m;
		}
		fq.query_id = q->id;
		fq.limit = q->limit;
		if (q->has_mac) {
			fq.mac.data = q->mac;
			fq.mac.len = 6;
		}
		if (wire_nng_msg(CORDON__MSG_TYPE__MSG_FLOWS_QUERY, p->req_id,
				 &fq.base, &m) < 0)
			return NULL;
		q->sent = true;
		return m;
	}
	return NULL;
}

/* Requests answered, or out of time. */
static void
cd_flows_wake(struct cordond *d, uint64_t now, struct cd_wake *w)
{
	for (int i = 0; i < CD_FLOWS_MAX; i++) {
		struct cd_flows_q *q = &d->flows->q[i];

		if (!q->used)
			continue;
		if (q->reply == NULL && now >= q->deadline_ms) {
			char text[200];

			d->counters[CD_FLOWS_TIMEOUTS]++;
			snprintf(text, sizeof(text), "dataplane '%.64s' did "
				 "not answer within %u ms", q->dp_id,
				 q->timeout_ms);
			q->reply = cd_error(d, q->req_id,
					    CORDON__ERROR_CODE__ERR_INTERNAL,
					    text);
		}
		if (q->reply == NULL)
			continue;
		cd_answer(w, q->cli, q->reply);
		if (q->cap != NULL)
			cordon__capture_request__free_unpacked(q->cap, NULL);
		memset(q, 0, sizeof(*q));
	}
}

static void
cd_flows_fini(struct cordond *d)
{
	for (int i = 0; i < CD_FLOWS_MAX; i++) {
		if (d->flows->q[i].reply != NULL)
			nng_msg_free(d->flows->q[i].reply);
		if (d->flows->q[i].cap != NULL)
			cordon__capture_request__free_unpacked(
				d->flows->q[i].cap, NULL);
	}
}

static const struct cd_handler cd_flows_handlers[] = {
	CD_HANDLER(FLOWS_REQUEST, CLI, cd_flows_request),
	CD_HANDLER(FLOWS_DUMP, DATAPLANE, cd_flows_dump),
	CD_HANDLER(CAPTURE_REQUEST, CLI, cd_capture_request),
	CD_HANDLER(CAPTURE_DUMP, DATAPLANE, cd_capture_dump),
};

CD_FEATURE(flows, CD_STATE(flows), .fini = cd_flows_fini,
	   .on_poll = cd_flows_poll, .on_wake = cd_flows_wake);
