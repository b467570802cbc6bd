/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's core, shared by its features; nothing outside cordond (and
 * its tests) includes this.
 *
 * cordond is a server skeleton (cordond.c: sockets, contexts, watchdog,
 * main) around this core (cd.c), and features, one file each:
 *
 *   cd_dataplane.c  dataplanes: hello, reports, the long poll
 *   cd_policy.c     policy versions: push, get, apply, history, diff,
 *                   rollback, quarantine
 *   cd_mud.c        MUD files bound to devices, by cordonctl or announced
 *   cd_flows.c      `cordonctl flows`, relayed through the long poll
 *   cd_status.c     status and stats
 *   cd_events.c     the event log
 *   cd_console.c    front ends' requests: audit records, segment overrides
 *   cd_prompt.c     consent prompts: ask mode's flows, answers, grants
 *   cd_alerts.c     the dataplanes' detection alerts
 *
 * A feature is a struct cd_feature: a table from message type (and
 * endpoint) to handler, its hooks, and an init that sets up its state.
 * main() registers the features in the order of its list (cordond.c);
 * the core dispatches each decoded request to its handler.
 * Features do not call each other: where one must act on another's event
 * it has a hook (a field of its cd_feature, or cd_on_*() from its init),
 * run in registration order:
 *
 *   cd_on_report(fn)  a dataplane's report was stored (MUD auto-import)
 *   cd_on_poll(fn)    a dataplane's long poll may be answered now: the
 *                     first hook that returns a reply answers it (a newer
 *                     policy, a flows query)
 *   cd_on_wake(fn)    after every request and every watchdog tick:
 *                     answer parked requests (flows replies, timeouts)
 *   cd_on_pipe(fn)    a dataplane connection opened or closed
 *   cd_on_flush(fn)   after every request, WITHOUT the lock: commit the
 *                     work handlers batched (reports, cd_reports.c), the
 *                     lock taken around what needs it
 *
 * To add a feature (alerts, the console): write cd_<name>.c with its
 * handler table and its feature,
 *
 *   static const struct cd_handler cd_alerts_handlers[] = {
 *           CD_HANDLER(ALERTS_REQUEST, CLI, cd_alerts_list),
 *   };
 *   CD_FEATURE(alerts, .init = cd_alerts_init, .on_report = cd_alerts_report);
 *
 * declare it below, add it to the list in cordond.c and to
 * control/meson.build. Its counters go into
 * CD_COUNTERS, its state behind a pointer in struct cordond (CD_STATE).
 *
 * Locking: one mutex (cordond.lock) around every handler, hook and core
 * call; cordond's work per message is tiny next to the I/O. Replies are
 * sent by cordond.c outside the lock.
 *
 * Long polls (docs/long-poll.md): a handler may park its request
 * (cd_park()) instead of answering; whoever answers it later hands the
 * reply to cd_answer() from a wake hook. A parked dataplane poll
 * (cd_poll_park()) is answered by the poll hooks, or empty when its time
 * is up.
 */

#ifndef CORDON_CD_H
#define CORDON_CD_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <nng/nng.h>

#include "cd_conf.h"
#include "cordon.pb-c.h"
#include "ctl_inventory.h"
#include "ctl_registry.h"
#include "ctl_state.h"
#include "util_time.h"
#include "wire.h"
#include "wire_id.h"

struct cordond;

/* nng contexts per socket: each parked long poll holds one. */
#define CD_CONNS 64
/* The longest a dataplane's poll is parked. */
#define CD_POLL_MAX_WAIT_MS 30000
/* Highest MsgType value a handler can be registered for. */
#define CD_MSG_MAX 128
/* The longest reason, comment, name or "by" cordond stores. */
#define CD_TEXT_MAX 256
#define CD_TEXT_MAX_S "256"
#define CD_HOOKS_MAX 8

/* X(ENUM, "name"): cordond's own counters, in StatusReply. */
#define CD_COUNTERS(X) \
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
	X(REPORT_COMMITS, "dp_report_commits") \
	X(REPORTS_PRUNED, "dp_reports_pruned") \
	X(DEVICES_PRUNED, "store_devices_pruned") \
	X(ENVELOPES_PRUNED, "store_envelopes_pruned") \
	X(EVENTS_PRUNED, "store_events_pruned") \
	X(ALERTS_PRUNED, "store_alerts_pruned") \
	X(POLICIES_PRUNED, "store_policies_pruned") \
	X(BYTES_RECLAIMED, "store_bytes_reclaimed") \
	X(ID_REFUSED, "dp_id_refused") \
	X(ID_CONFLICTS, "dp_id_conflicts") \
	X(DP_FORGOTTEN, "dp_forgotten") \
	X(LISTENER_RESTARTS, "listener_restarts") \
	X(INV_ROWS, "inventory_rows_written") \
	X(INV_TX, "inventory_transactions") \
	X(MUD_IMPORTED, "mud_imported") \
	X(MUD_REJECTED, "mud_rejected") \
	X(MUD_AUTO, "mud_auto_imports") \
	X(FLOWS_REQUESTS, "flows_requests") \
	X(FLOWS_TIMEOUTS, "flows_timeouts") \
	X(AUDIT_EVENTS, "audit_events") \
	X(ALERTS, "alerts_received") \
	X(ALERTS_DUP, "alerts_duplicate") \
	X(ALERT_HOLDS, "alert_quarantines") \
	X(ALERT_HOLD_FAILED, "alert_quarantines_failed") \
	X(ALERT_PROBATIONS, "alert_probation_releases") \
	X(ENVELOPES, "envelopes_stored") \
	X(RELEARNS, "relearns")

enum cd_counter {
#define CD_ENUM(e, s) CD_##e,
	CD_COUNTERS(CD_ENUM)
#undef CD_ENUM
	CD_MAX
};

extern const char *const cd_counter_names[CD_MAX];

enum cd_ep { CD_EP_DATAPLANE, CD_EP_CLI, CD_EP_MAX };

/* A dataplane's long poll, as parked. */
struct cd_poll {
	char dp_id[CTL_DP_ID_MAX + 1];
	uint64_t req_id;
	uint64_t have;			/* the policy version it has in force */
	uint64_t rejected;		/* the last version it refused */
	uint64_t deadline_ms;
};

/* One nng context: the request it serves, parked or not. */
struct cd_conn {
	enum cd_ep ep;
	bool parked;
	bool is_poll;			/* parked by cd_poll_park() */
	uint64_t req_id;
	struct cd_poll poll;
	void *io;			/* cordond.c's; NULL in tests */
};

/* A request being handled. */
struct cd_req {
	struct wire_msg *msg;		/* a handler may take msg->payload */
	uint32_t pipe_id;		/* the connection it came on */
	struct cd_conn *conn;
};

/* The request's decoded payload, as its message type. */
static inline void *
cd_in(const struct cd_req *r)
{
	return r->msg->payload;
}

/*
 * A new message of @desc's type, initialised, for a reply that
 * free_unpacked frees (so malloc'd); NULL when out of memory.
 */
static inline void *
cd_pb_new(const ProtobufCMessageDescriptor *desc)
{
	void *o = malloc(desc->sizeof_message);

	if (o != NULL)
		protobuf_c_message_init(desc, o);
	return o;
}

/*
 * A handler returns the reply, or NULL when it parked the request, or
 * NULL when not even an error could be built (then nothing is sent).
 */
typedef nng_msg *(*cd_handler_fn)(struct cordond *d, struct cd_req *r);

struct cd_handler {
	Cordon__MsgType type;
	enum cd_ep ep;
	cd_handler_fn fn;
};

/* Replies to parked requests, sent by cordond.c after the lock. */
struct cd_wake {
	struct cd_conn *conn[2 * CD_CONNS];
	nng_msg *msg[2 * CD_CONNS];
	size_t n;
};

typedef void (*cd_report_hook_fn)(struct cordond *d,
				  const Cordon__StatsReport *r);
typedef nng_msg *(*cd_poll_hook_fn)(struct cordond *d,
				    const struct cd_poll *p);
typedef void (*cd_wake_hook_fn)(struct cordond *d, uint64_t now_ms,
				struct cd_wake *w);
typedef void (*cd_pipe_hook_fn)(struct cordond *d, uint32_t pipe_id,
				bool added);
/* Without the lock; 1 when it did work (its answers in w: call again),
 * else 0. */
typedef int (*cd_flush_hook_fn)(struct cordond *d, struct cd_wake *w);

struct cd_feature {
	const char *name;
	const struct cd_handler *handlers;
	size_t n_handlers;
	/* Set up state (lock not held); 0 or -errno, err set. fini runs
	 * after a failed init too. */
	int (*init)(struct cordond *d, char *err, size_t errlen);
	void (*fini)(struct cordond *d);
	/* Its state behind a pointer in struct cordond (CD_STATE(field)):
	 * zeroed before init, freed (and the pointer NULL) after fini. */
	size_t state_off;
	size_t state_size;		/* 0: none */
	/* Its hooks (or NULL), registered before init. */
	cd_report_hook_fn on_report;
	cd_poll_hook_fn on_poll;
	cd_wake_hook_fn on_wake;
	cd_pipe_hook_fn on_pipe;
	cd_flush_hook_fn on_flush;
};

/* An entry of a handler table: CD_HANDLER(STATUS_REQUEST, CLI, fn). */
#define CD_HANDLER(type, ep, fn)					\
	{ CORDON__MSG_TYPE__MSG_##type, CD_EP_##ep, fn }

/* In a CD_FEATURE, where the feature's state is (a complete type there). */
#define CD_STATE(field)							\
	.state_off = offsetof(struct cordond, field),			\
	.state_size = sizeof(*((struct cordond *)NULL)->field)

/*
 * cd_<id>_feature: the handlers of cd_<id>_handlers[], then any of .init,
 * .fini and the hooks: CD_FEATURE(flows, .init = f, .on_poll = g).
 */
#define CD_FEATURE(id, ...)						\
	const struct cd_feature cd_##id##_feature = {			\
		.name = #id, .handlers = cd_##id##_handlers,		\
		.n_handlers = sizeof(cd_##id##_handlers) /		\
			sizeof(cd_##id##_handlers[0]), __VA_ARGS__	\
	}

/* The tables cd_retention.c prunes. */
enum cd_prune {
	CD_PRUNE_REPORTS,
	CD_PRUNE_DEVICES,
	CD_PRUNE_EVENTS,
	CD_PRUNE_ALERTS,
	CD_PRUNE_POLICIES,
	CD_PRUNE_DATAPLANES,
	CD_PRUNE_MAX
};

struct cd_mud;
struct cd_flows;
struct cd_relearn;
struct cd_prompts;
struct cd_backups;
struct cd_reports;

struct cordond {
	struct cd_conf conf;
	pthread_mutex_t lock;		/* everything below */
	struct ctl_registry reg;	/* the dataplanes (cd_dataplane.c) */
	struct ctl_state state;		/* the store, the signing key */
	struct ctl_inv inv;		/* what the store holds of devices */
	/* Over tls+tcp: the CA a dataplane's proof of its id must lead to
	 * (wire_id.h); NULL on other endpoints. */
	struct wire_id_verifier *id_verifier;
	/* Refusals said at most every 10 s each (enum cd_id_msg in
	 * cd_dataplane.c), and how many went unsaid since. */
	uint64_t id_log_next_ms[3];
	uint64_t id_log_quiet[3];
	/* The last policy version a dataplane reported that was not
	 * believed (cd_dataplane_version()): said once. */
	uint64_t version_disbelieved;
	Cordon__Policy *policy;		/* the version handed out, owned */
	uint8_t *policy_signed;		/* and its signed form, or NULL */
	size_t policy_signed_len;
	uint64_t counters[CD_MAX];
	uint64_t start_ms;
	/* The store's health: a write that failed (a full disk, a read-only
	 * file system) makes cordond degraded until one succeeds again. */
	struct {
		char reason[256];	/* "" when healthy */
		uint64_t since_ms;
		uint64_t failures;	/* since it became degraded */
	} store_health;
	uint64_t backup_next_ms;	/* cd_backup.c */
	uint64_t prune_next_ms[CD_PRUNE_MAX];	/* cd_retention.c */
	uint64_t reclaim_next_ms;		/* cd_retention.c */
	struct cd_backups *backups;	/* cd_backup.c: its thread */
	/* The features' own state. */
	struct cd_mud *mud;
	struct cd_flows *flows;
	struct cd_prompts *prompts;
	uint64_t probation_next_ms;	/* cd_alerts.c: the next check */
	struct cd_relearn *relearn;	/* cd_alerts.c: re-learns to hand out */
	struct cd_reports *reports;	/* cd_reports.c: the group commit */
	/* Dispatch and hooks. */
	const struct cd_feature *features[16];
	size_t n_features;
	cd_handler_fn handlers[CD_EP_MAX][CD_MSG_MAX];
	cd_report_hook_fn on_report[CD_HOOKS_MAX];
	cd_poll_hook_fn on_poll[CD_HOOKS_MAX];
	cd_wake_hook_fn on_wake[CD_HOOKS_MAX];
	cd_pipe_hook_fn on_pipe[CD_HOOKS_MAX];
	cd_flush_hook_fn on_flush[CD_HOOKS_MAX];
	size_t n_on_report, n_on_poll, n_on_wake, n_on_pipe, n_on_flush;
	struct cd_conn conns[CD_EP_MAX][CD_CONNS];
};

/* The features, in cordond.c's order. */
extern const struct cd_feature cd_dataplane_feature;
extern const struct cd_feature cd_reports_feature;
extern const struct cd_feature cd_policy_feature;
extern const struct cd_feature cd_mud_feature;
extern const struct cd_feature cd_flows_feature;
extern const struct cd_feature cd_status_feature;
extern const struct cd_feature cd_events_feature;
extern const struct cd_feature cd_backup_feature;
extern const struct cd_feature cd_console_feature;
extern const struct cd_feature cd_prompt_feature;
extern const struct cd_feature cd_alerts_feature;
extern const struct cd_feature cd_retention_feature;

/* --- Life cycle (main, tests) ------------------------------------------ */

/*
 * Open the state directory of conf and hand out the latest stored
 * version. 0 or -errno with err set. cd_fini() undoes it and the
 * features' init.
 */
int cd_init(struct cordond *d, const struct cd_conf *conf, char *err,
	    size_t errlen);
void cd_fini(struct cordond *d);

/* Register a feature: its handlers, its hooks, then its init. */
int cd_register(struct cordond *d, const struct cd_feature *f, char *err,
		size_t errlen);

int cd_on_report(struct cordond *d, cd_report_hook_fn fn);
int cd_on_poll(struct cordond *d, cd_poll_hook_fn fn);
int cd_on_wake(struct cordond *d, cd_wake_hook_fn fn);
int cd_on_pipe(struct cordond *d, cd_pipe_hook_fn fn);
int cd_on_flush(struct cordond *d, cd_flush_hook_fn fn);

/*
 * Decode a request that came on conn and dispatch it (takes the lock).
 * Returns the reply or NULL; *parked: it was parked, and its conn now
 * belongs to whoever answers it.
 */
nng_msg *cd_handle(struct cordond *d, struct cd_conn *conn, nng_msg *in,
		   bool *parked);

/*
 * The replies parked requests get now: from the wake hooks, from the poll
 * hooks, and (with expire) empty PollReplies for polls whose time is up.
 * Takes the lock. The caller sends w->msg[i] on w->conn[i].
 */
void cd_wake(struct cordond *d, bool expire, struct cd_wake *w);

/*
 * After a request, without the lock: the flush hooks commit what handlers
 * batched and answer it (w->n answers, sent like cd_wake()'s; a NULL
 * msg: none could be built, the context receives again). Returns 1 when
 * one did work: call again until 0, so nothing batched is left behind
 * while another thread commits.
 */
int cd_flush(struct cordond *d, struct cd_wake *w);

/* A connection of the dataplane endpoint opened or closed (takes the
 * lock). */
void cd_pipe(struct cordond *d, uint32_t pipe_id, bool added);

/* --- For the features (lock held) -------------------------------------- */


/*
 * A store write failed (what: "report from gw0", ...): counted, logged
 * (once while the reason stays the same), and cordond is degraded until
 * cd_store_ok(); status shows it. cd_store_ok() logs the recovery and
 * records the failure as an event, now that it can be stored.
 */
void cd_store_failed(struct cordond *d, const char *what);
void cd_store_ok(struct cordond *d);
void cd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An Error reply, counted under its code. */
nng_msg *cd_error(struct cordond *d, uint64_t req_id, Cordon__ErrorCode code,
		  const char *text);
/* A reply of type with payload (an ERR_INTERNAL Error if it won't encode). */
nng_msg *cd_reply(struct cordond *d, uint64_t req_id, Cordon__MsgType type,
		  const ProtobufCMessage *payload);
nng_msg *cd_ack(struct cordond *d, uint64_t req_id, uint64_t seq);

/* The most rows a listing (alerts, events) answers with at once. */
#define CD_LIST_MAX 1000

/* How many rows a listing asked for at most limit answers: 1..CD_LIST_MAX. */
static inline size_t
cd_list_cap(uint32_t limit)
{
	return limit == 0 || limit > CD_LIST_MAX ? CD_LIST_MAX : limit;
}

/* A page of a log's newest (events, alerts) unless a limit is asked: what
 * an operator asks by default, and a reply, and what it takes to make it,
 * stays a page however many the store holds. */
#define CD_LOG_NEWEST 20

/* How many rows a log's page answers (cd_list_cap() of the others). */
static inline size_t
cd_log_cap(bool newest, uint32_t limit)
{
	return newest && limit == 0 ? CD_LOG_NEWEST : cd_list_cap(limit);
}

/*
 * The next row of a listing's reply, as the store hands them over: rows
 * (a reply's repeated field, made for cap) holds *n; a new message of
 * desc's type is put at rows[*n]. NULL when the reply is full (*rc 1: the
 * store's walk stops there) or out of memory (*rc -ENOMEM).
 */
static inline void *
cd_list_add(void *rows, size_t *n, size_t cap,
	    const ProtobufCMessageDescriptor *desc, int *rc)
{
	void *o;

	if (*n == cap) {
		*rc = 1;
		return NULL;
	}
	if ((o = cd_pb_new(desc)) == NULL) {
		*rc = -ENOMEM;
		return NULL;
	}
	((void **)rows)[(*n)++] = o;
	return o;
}

/*
 * The reply to a listing of the store: rep, a message of type made with
 * cd_pb_new() (NULL when that failed), or the error of rc: -ENOMEM,
 * -EBADMSG (a stored row, named what, that does not decode), else the
 * store's. rep is freed either way.
 */
nng_msg *cd_listing(struct cordond *d, uint64_t req_id, Cordon__MsgType type,
		    ProtobufCMessage *rep, int rc, const char *what);

/*
 * A log's page request (events, alerts, named what): the newest (before
 * before_id, if not 0) or those after since_id, not both. NULL when it
 * holds together, else the error to answer with.
 */
nng_msg *cd_log_page_check(struct cordond *d, uint64_t req_id,
			   const char *what, bool newest, uint64_t since_id,
			   uint64_t before_id);

/* An event in the store; a failure is counted, not fatal. detail: JSON. */
void cd_event(struct cordond *d, const char *kind, const char *dp_id,
	      const uint8_t *mac, const char *detail_json);

/*
 * The dataplane a request on pipe_id claims to be (a report, an alert):
 * NULL when it has not said hello on that connection, *reply then the
 * ERR_NOT_REGISTERED Error to answer with.
 */
struct ctl_dp *cd_registered(struct cordond *d, const struct cd_req *r,
			     const char *dp_id, nng_msg **reply);

/* Park the request: answered later through cd_answer(). */
void cd_park(struct cd_req *r);
/* Answer a parked request now (from a wake or flush hook; msg NULL
 * only from a flush hook: no answer, the context receives again). */
void cd_answer(struct cd_wake *w, struct cd_conn *conn, nng_msg *msg);

/*
 * Answer a dataplane's poll now if a poll hook has something for it,
 * else park it until one has or until p->deadline_ms.
 */
nng_msg *cd_poll_park(struct cordond *d, struct cd_req *r,
		      const struct cd_poll *p);
/* A PollReply, with the policy handed out or empty. */
nng_msg *cd_poll_reply(struct cordond *d, uint64_t req_id, bool with_policy);

/* Has any dataplane reported since cordond started? */
bool cd_any_report(const struct cordond *d);

/*
 * The devices the policy compiler resolves vendor, type and MUD URL
 * assignments against: those in the dataplanes' latest reports, and those
 * the store remembers that none reports now (a device away keeps its
 * segment). Free with cd_inventory_free().
 */
int cd_inventory(struct cordond *d, struct ctl_pol_inventory *inv,
		 bool *owned);

/* The same for the devices in the latest reports only (the stored
 * inventory until a dataplane has reported): status notes. */
int cd_inventory_live(struct cordond *d, struct ctl_pol_inventory *inv,
		      bool *owned);
void cd_inventory_free(struct ctl_pol_inventory *inv, bool owned);

/* Hand out a version just made (takes pol and sig), and log it. */
void cd_install(struct cordond *d, Cordon__Policy *pol, uint8_t *sig,
		size_t sig_len);
/*
 * The latest source made again after a change to what the store adds to
 * it (quarantine, segment overrides, consents): *version the new version,
 * or 0 when no policy has been applied yet (the change is in force with
 * the first). 0, or -EINVAL / -errno, err set.
 */
int cd_recompile(struct cordond *d, const char *by, uint64_t *version,
		 char *err, size_t errlen);
/*
 * The reply to a request whose store change (rc: the store's answer, 0 or
 * -errno) the policy takes in: a store error as ERR_INTERNAL, else
 * cd_recompile() and an ack with the version the change is in force at; a
 * recompile that fails is ERR_INVALID (-EINVAL: the source no longer
 * compiles with the change) or ERR_INTERNAL.
 */
nng_msg *cd_recompile_reply(struct cordond *d, uint64_t req_id, int rc,
			    const char *by);

/*
 * Make the next version from source (NULL: the latest version's; with
 * rollback_of, that version's source or the pushed policy it was made on)
 * with the inventory and the quarantine set, store it and hand it out. 0, or
 * -EINVAL (a bad source), -ENOENT (no source at all) or -errno, err set.
 */
int cd_apply_source(struct cordond *d, const char *source, const char *name,
		    const char *by, uint64_t rollback_of, char *err,
		    size_t errlen);
/* Hand out the latest stored version. 0 or -errno. */
int cd_load_latest(struct cordond *d);

/*
 * Alert id (stored) of a dataplane, whose policy action is ask: a prompt
 * "quarantine DEVICE? (reason)" (cd_prompt.c), answered quarantine or
 * dismiss. Identical open ones (same device) merge.
 */
void cd_prompt_alert(struct cordond *d, uint64_t id, const Cordon__Alert *a);

#endif /* CORDON_CD_H */
