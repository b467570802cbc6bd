/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Dataplanes: registration (MSG_HELLO) and the long poll (MSG_POLL). See
 * docs/reports.md and docs/long-poll.md; their reports are cd_reports.c's.
 *
 * A poll records what the dataplane has in force and what it refused, and
 * is answered by the poll hooks (a newer policy, a flows query) or parked.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cd.h"

/* A gateway that keeps trying is said once every so often. */
#define CD_ID_LOG_EVERY_MS 10000
/* A run that said nothing on its connection for this long (and three
 * report intervals) no longer holds its id against another run. */
#define CD_ID_LIVE_MIN_MS 10000
/* A reported version this far above the store's, or above the second, is
 * not believed: no cordond makes that many, and versions must stay below
 * 2^63 (SQLite), however many times a peer claims one. */
#define CD_VERSION_AHEAD_MAX (1ull << 40)
#define CD_VERSION_MAX (1ull << 62)

/* What cordond refuses a dataplane for: d->id_log_*[] by it. */
enum cd_id_msg { CD_ID_HELLO, CD_ID_POLL, CD_ID_TAKEN, CD_ID_MSGS };
static const char *const cd_id_msg_name[CD_ID_MSGS] = {
	"hello", "poll", "hello",
};
static const enum cd_counter cd_id_msg_counter[CD_ID_MSGS] = {
	CD_ID_REFUSED, CD_ID_REFUSED, CD_ID_CONFLICTS,
};
_Static_assert(sizeof(((struct cordond *)NULL)->id_log_next_ms) ==
	       CD_ID_MSGS * sizeof(uint64_t), "cd.h's id_log_* by cd_id_msg");

/* Count a refusal, say it (the first, then one every 10 s with how many
 * went unsaid) and answer with an Error. */
static nng_msg *
cd_dataplane_refuse(struct cordond *d, const struct cd_req *r,
		    enum cd_id_msg m, Cordon__ErrorCode code, const char *msg)
{
	const enum cd_counter c = cd_id_msg_counter[m];
	uint64_t now = util_time_now_ms();

	d->counters[c]++;
	if (now < d->id_log_next_ms[m]) {
		d->id_log_quiet[m]++;
	} else if (d->id_log_quiet[m] > 0) {
		cd_log("%s (and %" PRIu64 " %ss refused unsaid before it: "
		       "%s counts every one)", msg, d->id_log_quiet[m],
		       cd_id_msg_name[m], cd_counter_names[c]);
	} else {
		cd_log("%s", msg);
	}
	if (now >= d->id_log_next_ms[m]) {
		d->id_log_next_ms[m] = now + CD_ID_LOG_EVERY_MS;
		d->id_log_quiet[m] = 0;
	}
	return cd_error(d, r->msg->request_id, code, msg);
}

/*
 * Over tls+tcp, a dataplane proves the id it says (wire_id.h). 1: proven;
 * 0: it cannot (older than wire minor 5) and --tls-id-optional takes it
 * on its word, unless this id was proven before, here; else -EACCES with
 * the error reply in *reply. No TLS: 0, nothing to check.
 */
static int
cd_dataplane_prove(struct cordond *d, const struct cd_req *r,
		   enum cd_id_msg m, const char *id, uint64_t boot_id,
		   uint64_t started_ms, size_t n_chain,
		   const ProtobufCBinaryData *chain, ProtobufCBinaryData proof,
		   nng_msg **reply)
{
	const struct ctl_dp *dp = ctl_registry_find(&d->reg, id);
	const char *what = cd_id_msg_name[m];
	char err[256], msg[400];
	int rc;

	if (d->id_verifier == NULL)
		return 0;
	rc = wire_id_verify(d->id_verifier, chain, n_chain, proof, id,
			    boot_id, started_ms, err, sizeof(err));
	if (rc == 0)
		return 1;
	if (rc == -ENOKEY && d->conf.tls_id_optional &&
	    (dp == NULL || !dp->id_proven)) {
		cd_log("%s of dataplane %.64s: its id is not proven (%s); "
		       "taken on its word (--tls-id-optional)", what, id, err);
		return 0;
	}
	snprintf(msg, sizeof(msg), "%s of dataplane '%.64s' refused: %s", what,
		 id, rc == -ENOKEY && dp != NULL && dp->id_proven ?
		 "it proved its id before, and this does not" : err);
	*reply = cd_dataplane_refuse(d, r, m, CORDON__ERROR_CODE__ERR_INVALID,
				     msg);
	return -EACCES;
}

/* How long ago t was; 0 for a clock stepped back. */
static uint64_t
cd_ago(uint64_t now, uint64_t t)
{
	return now > t ? now - t : 0;
}

/*
 * Two gateways given one id (the same --id, or the same host name) would
 * take the registration from each other at every report, each run's
 * reports stored under the one id. The run that holds it keeps it while
 * it is heard; the other is refused, and told why.
 */
static nng_msg *
cd_dataplane_taken(struct cordond *d, const struct cd_req *r,
		   const Cordon__Hello *h)
{
	uint64_t live = 3ull * d->conf.report_interval_ms;
	uint64_t now = util_time_now_ms();
	const struct ctl_dp *dp;
	char msg[400];

	if (live < CD_ID_LIVE_MIN_MS)
		live = CD_ID_LIVE_MIN_MS;
	dp = ctl_registry_holder(&d->reg, h, r->pipe_id, now, live);
	if (dp == NULL)
		return NULL;
	/* An event as often as the log says it. */
	if (now >= d->id_log_next_ms[CD_ID_TAKEN]) {
		char detail[160];

		snprintf(detail, sizeof(detail), "{\"pid\":%u,\"holder_pid\":"
			 "%u,\"refused\":%" PRIu64 "}", h->pid, dp->hello->pid,
			 d->id_log_quiet[CD_ID_TAKEN] + 1);
		cd_event(d, CTL_STORE_EV_DP_ID_CONFLICT, h->dataplane_id,
			 NULL, detail);
	}
	snprintf(msg, sizeof(msg), "hello of dataplane '%.64s' (pid %u) "
		 "refused: that id is in use by another dataplane (pid %u, "
		 "registered %" PRIu64 " s ago, heard %" PRIu64 " ms ago); "
		 "give each dataplane its own --id", h->dataplane_id, h->pid,
		 dp->hello->pid, cd_ago(now, dp->registered_unix_ms) / 1000,
		 cd_ago(now, dp->heard_unix_ms));
	return cd_dataplane_refuse(d, r, CD_ID_TAKEN,
				   CORDON__ERROR_CODE__ERR_INVALID, msg);
}

/*
 * A dataplane runs version v (its hello or poll says so): no version at or
 * below it is made again (ctl_state_version_floor()). Above the store's
 * latest, it runs a policy this store does not have: the store was
 * restored from a backup taken before that version, or is new to a
 * dataplane that kept its last-known-good. What is in force is then made
 * what the store holds, as the next version (above v, so the dataplane
 * takes it), and that is said. Once per new v.
 */
static void
cd_dataplane_version(struct cordond *d, const char *dp_id, uint64_t v)
{
	const uint64_t latest = d->policy != NULL ? d->policy->version : 0;
	uint64_t made = 0;
	char err[512], detail[96];

	if (v > latest + CD_VERSION_AHEAD_MAX || v > CD_VERSION_MAX) {
		if (v == d->version_disbelieved)
			return;
		d->version_disbelieved = v;
		cd_log("dataplane %s reports policy version %" PRIu64 ", "
		       "more than 2^40 above this store's %" PRIu64 " or "
		       "above 2^62: not believed", dp_id, v, latest);
		return;
	}
	if (!ctl_state_version_floor(&d->state, v) || v <= latest)
		return;
	snprintf(detail, sizeof(detail), "{\"version\":%" PRIu64
		 ",\"store_latest\":%" PRIu64 "}", v, latest);
	cd_event(d, CTL_STORE_EV_POLICY_UNKNOWN, dp_id, NULL, detail);
	if (d->policy == NULL) {
		cd_log("dataplane %s runs policy version %" PRIu64 ", which "
		       "this store does not have (it has none): it keeps it "
		       "until a policy is applied, which will be version %"
		       PRIu64 " or later", dp_id, v, v + 1);
		return;
	}
	if (cd_recompile(d, "cordond", &made, err, sizeof(err)) < 0) {
		cd_log("dataplane %s runs policy version %" PRIu64 ", which "
		       "this store does not have (its latest is %" PRIu64
		       "), and the store's policy cannot be made again: %s",
		       dp_id, v, latest, err);
		return;
	}
	cd_log("dataplane %s runs policy version %" PRIu64 ", which this "
	       "store does not have (its latest is %" PRIu64 ": restored "
	       "from an older backup?); made version %" PRIu64 " from the "
	       "store's policy, to be in force instead", dp_id, v, latest,
	       made);
}

static nng_msg *
cd_dataplane_hello(struct cordond *d, struct cd_req *r)
{
	Cordon__Hello *h = cd_in(r);
	Cordon__HelloAck ack = CORDON__HELLO_ACK__INIT;
	nng_msg *refused = NULL;
	struct ctl_dp *dp;
	char err[128];
	int proven;

	proven = cd_dataplane_prove(d, r, CD_ID_HELLO, h->dataplane_id,
				    h->boot_id, h->started_unix_ms,
				    h->n_cert_chain, h->cert_chain,
				    h->id_proof, &refused);
	if (proven < 0)
		return refused;
	refused = cd_dataplane_taken(d, r, h);
	if (refused != NULL)
		return refused;
	if (ctl_registry_hello(&d->reg, h, r->pipe_id, util_time_now_ms(), err,
			       sizeof(err)) < 0)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID, err);
	r->msg->payload = NULL;	/* the registry owns it now */
	dp = ctl_registry_find(&d->reg, h->dataplane_id);
	dp->id_proven = proven == 1;
	d->counters[CD_HELLOS]++;
	cd_event(d, CTL_STORE_EV_DP_CONNECT, h->dataplane_id, NULL, NULL);
	cd_log("dataplane %s registered (version %s, pid %u, %zu ports, "
	       "%u workers)", h->dataplane_id, h->sw_version, h->pid,
	       h->n_ports, h->workers);
	cd_dataplane_version(d, h->dataplane_id, h->policy_version);

	ack.server_version = (char *)CORDON_VERSION;
	ack.report_interval_ms = d->conf.report_interval_ms;
	/* A field of minor 2: a dataplane older than that would refuse it. */
	if (WIRE_VERSION_MINOR_OF(h->proto_version) >= 2)
		ack.proto_version = WIRE_VERSION;
	return cd_reply(d, r->msg->request_id,
			CORDON__MSG_TYPE__MSG_HELLO_ACK, &ack.base);
}

/* Events for what a poll says changed: a refusal, a version applied. */
static void
cd_dataplane_poll_events(struct cordond *d, const Cordon__Poll *p,
			 uint64_t rejected_before, uint64_t had)
{
	if (p->rejected_version != 0 &&
	    p->rejected_version != rejected_before) {
		json_t *j = json_pack("{sIss}", "version",
				      (json_int_t)p->rejected_version,
				      "reason", p->rejected_reason);
		char *js = j ? json_dumps(j, JSON_COMPACT) : NULL;

		cd_log("dataplane %s rejected policy %" PRIu64 ": %s",
		       p->dataplane_id, p->rejected_version,
		       p->rejected_reason);
		cd_event(d, CTL_STORE_EV_POLICY_REJECTED, p->dataplane_id,
			 NULL, js != NULL ? js : "{}");
		free(js);
		json_decref(j);
	}
	if (p->policy_version > had) {
		char detail[64];

		snprintf(detail, sizeof(detail), "{\"version\":%" PRIu64 "}",
			 p->policy_version);
		cd_event(d, CTL_STORE_EV_POLICY_APPLIED, p->dataplane_id, NULL,
			 detail);
		if (ctl_store_policy_set_applied(d->state.st,
						 p->policy_version,
						 util_time_now_ms()) < 0)
			cd_store_failed(d, "policy applied");
	}
}

static nng_msg *
cd_dataplane_poll(struct cordond *d, struct cd_req *r)
{
	const Cordon__Poll *p = cd_in(r);
	struct ctl_dp *dp = ctl_registry_find(&d->reg, p->dataplane_id);
	uint64_t before = dp ? dp->rejected_version : 0;
	uint64_t had = dp ? dp->policy_version : 0;
	struct cd_poll poll = { .req_id = r->msg->request_id };
	uint32_t wait = p->wait_ms;
	nng_msg *refused = NULL;

	/* The poll's connection is not the hello's: a dataplane that
	 * proved its id proves it here too, once per connection. */
	if (dp != NULL && dp->hello != NULL && dp->id_proven &&
	    dp->poll_pipe_proven != r->pipe_id) {
		int proven = cd_dataplane_prove(d, r, CD_ID_POLL,
						p->dataplane_id,
						dp->hello->boot_id,
						dp->hello->started_unix_ms,
						p->n_cert_chain, p->cert_chain,
						p->id_proof, &refused);

		if (proven < 0)
			return refused;
		if (proven == 1)
			dp->poll_pipe_proven = r->pipe_id;
	}
	/* Another run of the id (wire minor 6): a second gateway given
	 * it, or this one restarted and not yet registered again. What
	 * waits for the id (grants, queries) is not for it. */
	if (dp != NULL && dp->hello != NULL && p->boot_id != 0 &&
	    dp->hello->boot_id != 0 && p->boot_id != dp->hello->boot_id)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"another run of this dataplane id is "
				"registered: say hello first");
	if (ctl_registry_poll(&d->reg, p) < 0)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_REGISTERED,
				"say hello first");
	d->counters[CD_POLLS]++;
	cd_dataplane_poll_events(d, p, before, had);
	cd_dataplane_version(d, p->dataplane_id, p->policy_version);
	if (wait > CD_POLL_MAX_WAIT_MS)
		wait = CD_POLL_MAX_WAIT_MS;
	/* Registered: its id fits. */
	snprintf(poll.dp_id, sizeof(poll.dp_id), "%s", p->dataplane_id);
	poll.have = p->policy_version;
	poll.rejected = p->rejected_version;
	poll.deadline_ms = util_time_now_ms() + wait;
	return cd_poll_park(d, r, &poll);
}

static void
cd_dataplane_pipe(struct cordond *d, uint32_t pipe_id, bool added)
{
	struct ctl_dp *dp;

	if (added)
		return;
	dp = ctl_registry_pipe_closed(&d->reg, pipe_id, util_time_now_ms());
	if (dp != NULL) {
		cd_log("dataplane %s disconnected", dp->hello->dataplane_id);
		cd_event(d, CTL_STORE_EV_DP_DISCONNECT,
			 dp->hello->dataplane_id, NULL, NULL);
	}
}

static const struct cd_handler cd_dataplane_handlers[] = {
	CD_HANDLER(HELLO, DATAPLANE, cd_dataplane_hello),
	CD_HANDLER(POLL, DATAPLANE, cd_dataplane_poll),
};

CD_FEATURE(dataplane, .on_pipe = cd_dataplane_pipe);
