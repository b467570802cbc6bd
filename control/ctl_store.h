/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's durable state in one SQLite database (WAL mode).
 *
 *  - policy: every policy ever accepted, append-only, by version: the
 *    operator's source (YAML) if any, the compiled Policy bytes, the
 *    SignedPolicy bytes, comment and who applied it. Rollback appends an
 *    old policy again as a new version.
 *  - device: the inventory, one row per (MAC, VLAN), upserted from the
 *    dataplanes' reports and the fingerprinter.
 *  - mud_binding: MUD files imported for devices (by cordonctl or from
 *    the MUD URL a device announced), one per MAC.
 *  - event: an append-only journal with increasing ids, polled by id.
 *  - quarantine: MAC -> reason, since, by whom.
 *  - segment_override: MAC -> the segment an operator put it in.
 *  - consent: flows an operator allowed always, answering a prompt.
 *  - report + report_mark: dataplane reports, exactly once. See
 *    ctl_store_report_ingest().
 *  - alert: the detectors' alerts, once per (dataplane, boot, seq).
 *  - envelope: each device's learned behaviour envelope.
 *
 * One file per table (ctl_store_<table>.c, each with its SQL); ctl_store.c
 * opens the database, migrates the schema and checks it; the statement,
 * row and backup helpers have a file each (ctl_store_impl.h).
 *
 * Every write is one transaction; a function returns only after the
 * commit is durable (synchronous=FULL). A handle may be shared between
 * threads: calls are serialized by a mutex inside it. Functions return 0 or
 * a negative errno; ctl_store_errmsg() then says why.
 */

#ifndef CORDON_CTL_STORE_H
#define CORDON_CTL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl_policy_counts.h"

/* The schema this build writes (PRAGMA user_version). */
#define CTL_STORE_SCHEMA_VERSION 11

/* Event kinds cordond records (the column is free text). */
#define CTL_STORE_EV_POLICY_ADDED "policy_added"	/* by ctl_store */
#define CTL_STORE_EV_POLICY_APPLIED "policy_applied"	/* dataplane took it */
#define CTL_STORE_EV_POLICY_REJECTED "policy_rejected"
/* A dataplane runs a version above the store's latest (cd_dataplane.c). */
#define CTL_STORE_EV_POLICY_UNKNOWN "policy_unknown"
#define CTL_STORE_EV_QUARANTINE "quarantine"		/* by ctl_store */
#define CTL_STORE_EV_RELEASE "release"			/* by ctl_store */
#define CTL_STORE_EV_DP_CONNECT "dataplane_connect"
#define CTL_STORE_EV_DP_DISCONNECT "dataplane_disconnect"
/* A hello refused: its id is in use by another live run. */
#define CTL_STORE_EV_DP_ID_CONFLICT "dataplane_id_conflict"
#define CTL_STORE_EV_MUD_APPLIED "mud_applied"		/* binding stored */
#define CTL_STORE_EV_MUD_REJECTED "mud_rejected"
#define CTL_STORE_EV_MUD_REMOVED "mud_removed"
#define CTL_STORE_EV_SEGMENT_SET "segment_set"		/* by ctl_store */
#define CTL_STORE_EV_SEGMENT_CLEARED "segment_cleared"	/* by ctl_store */
#define CTL_STORE_EV_CONSENT_ADDED "consent_added"	/* by ctl_store */
#define CTL_STORE_EV_CONSENT_EXPIRED "consent_expired"	/* by ctl_store */
#define CTL_STORE_EV_ALERT "alert"			/* by ctl_store */
#define CTL_STORE_EV_STORE_FAILED "store_failed"	/* after recovery */

struct ctl_store;

/* One stored policy. Strings and blobs are owned: ctl_store_policy_free(). */
struct ctl_store_policy {
	uint64_t version;
	uint64_t created_ms;
	char *source;			/* operator source (YAML), or NULL */
	uint8_t *compiled;		/* serialized Policy */
	size_t compiled_len;
	uint8_t *signed_policy;		/* serialized SignedPolicy, or NULL */
	size_t signed_len;
	char *comment;			/* never NULL */
	char *applied_by;		/* never NULL */
	uint64_t rollback_of;		/* 0 unless a rollback */
	/* The pushed compiled version this one was composed on (quarantine,
	 * MUD), 0 when it was compiled from its source or is the push. */
	uint64_t base;
	uint64_t applied_ms;		/* first in force on a dataplane; 0 */
	uint64_t pruned_ms;		/* read: never set (that is -ENODATA) */
};

/* A policy history row: no blobs. Pointers valid during the callback. */
struct ctl_store_policy_info {
	uint64_t version;
	uint64_t created_ms;
	const char *comment;
	const char *applied_by;
	uint64_t rollback_of;
	bool has_source;
	bool is_signed;
	size_t compiled_len;
	const uint8_t *compiled;	/* the serialized Policy; none if pruned */
	uint64_t base;			/* as struct ctl_store_policy */
	uint64_t applied_ms;
	/* When its content was pruned (ctl_store_policy_prune()), 0 if it
	 * was not; then counts are what it held. */
	uint64_t pruned_ms;
	struct ctl_policy_counts counts;
};

struct ctl_store_device {
	uint8_t mac[6];
	uint16_t vlan;
	uint64_t first_seen_ms;
	uint64_t last_seen_ms;
	/* Fingerprint: empty string (conf 0) when unknown. */
	const char *dataplane_id;	/* who saw it last */
	const char *vendor;
	double vendor_conf;
	const char *type;
	double type_conf;
	const char *os;
	double os_conf;
	const char *model;
	double model_conf;
	const char *evidence_json;	/* JSON text, or NULL */
	const char *addresses_json;	/* JSON array of addresses, or NULL */
	const char *hostname;		/* "" when unknown */
	const char *mud_url;		/* announced by the device, or "" */
	/* When a dataplane last listed it in a report: on writing, 0 for
	 * last_seen_ms; the stored value only grows. */
	uint64_t listed_ms;
};

/* A MUD file bound to a device. On reading, pointers are valid during the
 * callback only. */
struct ctl_store_mud {
	uint8_t mac[6];
	uint16_t vlan;
	const char *mud_url;
	const char *file;		/* the MUD file's text */
	size_t file_len;
	const uint8_t *signature;	/* its .p7s, or NULL */
	size_t sig_len;
	const char *sha256;		/* hex of file; computed on put */
	const char *source;		/* cli, dhcp, dhcpv6 or lldp */
	uint64_t imported_ms;
	const char *by;
};

struct ctl_store_event {
	uint64_t id;			/* strictly increasing, never reused */
	uint64_t time_ms;
	const char *kind;
	const char *dataplane_id;	/* "" when none */
	bool has_mac;
	uint8_t mac[6];
	const char *detail_json;	/* JSON text, or NULL */
};

struct ctl_store_quarantine {
	uint8_t mac[6];
	uint64_t since_ms;
	const char *reason;
	const char *by;
};

/*
 * Iteration callbacks get rows whose pointers are valid only during the
 * call. Return 0 to go on; anything else stops the iteration and is
 * returned by the iterating function.
 */
typedef int (*ctl_store_policy_cb)(const struct ctl_store_policy_info *p,
				   void *arg);
typedef int (*ctl_store_device_cb)(const struct ctl_store_device *d,
				   void *arg);
typedef int (*ctl_store_event_cb)(const struct ctl_store_event *e, void *arg);
typedef int (*ctl_store_quarantine_cb)(const struct ctl_store_quarantine *q,
				       void *arg);
typedef int (*ctl_store_mud_cb)(const struct ctl_store_mud *m, void *arg);

/* A device an operator put in a segment, whatever the YAML says. */
struct ctl_store_segment {
	uint8_t mac[6];
	uint16_t vlan;
	const char *segment;
	uint64_t since_ms;
	const char *by;
};

typedef int (*ctl_store_segment_cb)(const struct ctl_store_segment *o,
				    void *arg);

/* A flow an operator allowed, always or until expires_ms: the device to
 * dst (an address or a DNS name as text), proto, dst_port (0: any). */
struct ctl_store_consent {
	uint64_t id;
	uint8_t mac[6];
	uint16_t vlan;
	const char *dst;
	uint16_t proto;
	uint16_t dst_port;
	uint64_t prompt;		/* the prompt it answered */
	uint64_t created_ms;
	const char *by;
	uint64_t expires_ms;		/* 0: never */
};

typedef int (*ctl_store_consent_cb)(const struct ctl_store_consent *c,
				    void *arg);
/* A dataplane's alert as stored (payload: the Alert message). */
struct ctl_store_alert {
	uint64_t id;
	uint64_t received_ms;
	const char *dataplane_id;
	uint64_t boot;
	uint64_t seq;
	uint8_t mac[6];
	const char *detector;
	const char *action;
	uint64_t policy_version;	/* the version it made, 0: none */
	const void *payload;
	size_t payload_len;
};

typedef int (*ctl_store_alert_cb)(const struct ctl_store_alert *a,
				  void *arg);

/* A device's behaviour envelope (det_envelope_encode()'s bytes). */
struct ctl_store_envelope {
	uint8_t mac[6];
	uint16_t vlan;
	const char *dataplane_id;
	uint64_t stored_ms;
	const void *data;
	size_t len;
};

typedef int (*ctl_store_envelope_cb)(const struct ctl_store_envelope *e,
				     void *arg);

/*
 * Open or create the database at path, and migrate its schema to
 * CTL_STORE_SCHEMA_VERSION. Returns 0, or:
 *   -EBADMSG  the file is not an SQLite database, or is corrupt
 *   -EPROTONOSUPPORT  written by a newer cordond (schema too new)
 *   -EBUSY    locked by another process beyond the busy timeout
 *   -EIO, -EACCES, -ENOMEM  and so on
 * with err saying why. *st is NULL on failure.
 */
int ctl_store_open(const char *path, struct ctl_store **st, char *err,
		   size_t errlen);
void ctl_store_close(struct ctl_store *st);

/* Why the last failed call on st failed; valid until the next call. */
const char *ctl_store_errmsg(const struct ctl_store *st);

/* The schema version of the open database. */
int ctl_store_schema_version(struct ctl_store *st);

/*
 * PRAGMA quick_check: 0 if the database is sound, -EBADMSG if not. It reads
 * the whole file, so cordond calls it once at start-up, not on every open.
 */
int ctl_store_check(struct ctl_store *st);

/* --- Space (ctl_store_space.c) ---------------------------------------- */

/*
 * What the file holds: its size in pages and bytes, the free pages in it
 * (left by deletes, reused before the file grows), and whether it gives
 * them back (auto_vacuum=INCREMENTAL: every store ctl_store_open()
 * creates; one made by an older cordond after ctl_store_compact()).
 */
struct ctl_store_space {
	uint64_t bytes;
	uint64_t free_bytes;
	uint32_t page_size;
	bool shrinks;
};

int ctl_store_space(struct ctl_store *st, struct ctl_store_space *sp);
/* The same of the file at path, opened read-only (--check-config). */
int ctl_store_file_space(const char *path, struct ctl_store_space *sp,
			 char *err, size_t errlen);

/*
 * Give up to max_pages free pages back to the file system (PRAGMA
 * incremental_vacuum), in one transaction; *bytes says how much. 1 when
 * free pages are left, else 0. A store that does not shrink gives nothing
 * back: 0 and *bytes 0.
 */
int ctl_store_reclaim(struct ctl_store *st, uint32_t max_pages,
		      uint64_t *bytes);

/*
 * Rewrite the whole file (VACUUM) with auto_vacuum=INCREMENTAL, so that
 * from now on it shrinks. It needs free disk for a copy of the store, and
 * holds the database for as long as the copy takes: for cordond --compact,
 * with no cordond running. before and after (may be NULL) get the space.
 */
int ctl_store_compact(struct ctl_store *st, struct ctl_store_space *before,
		      struct ctl_store_space *after);

/* --- Policy ---------------------------------------------------------- */

/* The highest stored version, 0 when there is none. */
int ctl_store_policy_latest_version(struct ctl_store *st, uint64_t *version);

/*
 * Append a policy. p->version must be greater than every stored version
 * (-ESTALE otherwise); created_ms, compiled and applied_by are required,
 * source, signed_policy, comment and rollback_of optional. Records a
 * CTL_STORE_EV_POLICY_ADDED event in the same transaction.
 */
int ctl_store_policy_add(struct ctl_store *st,
			 const struct ctl_store_policy *p);

/*
 * One version (-ENOENT if none, -ENODATA if its content was pruned); free
 * with ctl_store_policy_free().
 */
int ctl_store_policy_get(struct ctl_store *st, uint64_t version,
			 struct ctl_store_policy *p);
/* The latest (-ENOENT if the store holds no policy). */
int ctl_store_policy_latest(struct ctl_store *st, struct ctl_store_policy *p);
void ctl_store_policy_free(struct ctl_store_policy *p);

/*
 * Retention by count: empty the source, compiled and signed forms of up
 * to max versions older than the newest keep (>= 1), the oldest first,
 * keeping their history row (who, when, comment, flags) and what they held
 * (struct ctl_policy_counts). A version another was composed on (base)
 * keeps its content: the next quarantine starts from it. Rollback to or a
 * diff with a pruned version is -ENODATA. *pruned (may be NULL) says how
 * many; max means there may be more.
 */
int ctl_store_policy_prune(struct ctl_store *st, uint32_t keep, uint32_t max,
			   uint64_t now_ms, uint64_t *pruned);

/* A dataplane has version in force: note when, the first time. */
int ctl_store_policy_set_applied(struct ctl_store *st, uint64_t version,
				 uint64_t now_ms);

/*
 * An online copy of the whole database to path (SQLite's backup API, on a
 * read-only connection of its own: st is neither locked nor blocked, so
 * any thread may call it while others use st), written to path.tmp with
 * mode 0600, synced and renamed into place, so path is either the old
 * file or the whole new one. 0 or -errno, err saying why.
 */
int ctl_store_backup(struct ctl_store *st, const char *path, char *err,
		     size_t errlen);

/*
 * Ids of events, alerts and consent requests, in that order: the highest
 * the store at path has handed out (0: none yet). Opened read-only. 0, or
 * -errno where it cannot tell (the file may be corrupt, which is why a
 * store is restored over).
 */
#define CTL_STORE_ID_TABLES 3
/* The highest floor an id may be given (SQLite's rowids stop at 2^63). */
#define CTL_STORE_ID_MAX (1ull << 62)
int ctl_store_ids_read(const char *path, uint64_t ids[CTL_STORE_ID_TABLES]);

/*
 * The ids st hands out from now on are above ids[] (0: no floor): a store
 * restored from a backup goes on above the ids of the store it replaced,
 * so that no id names two events, alerts or requests. 0 or -errno.
 */
int ctl_store_ids_floor(struct ctl_store *st,
			const uint64_t ids[CTL_STORE_ID_TABLES]);

/*
 * Is the file at path a sound cordond database (its application_id,
 * PRAGMA quick_check)? Opened read-only, never changed. 0, or -EBADMSG
 * (corrupt, or not cordond's) and the like, with err saying why.
 */
int ctl_store_verify_file(const char *path, char *err, size_t errlen);

/*
 * A page of the history, newest first: limit versions (0: all) older than
 * before (0: from the newest); *total (may be NULL): versions in all.
 */
int ctl_store_policy_history(struct ctl_store *st, uint32_t limit,
			     uint64_t before, ctl_store_policy_cb cb,
			     void *arg, uint64_t *total);

/*
 * A unified diff (ctl_diff_text()) from version a's source to version
 * b's. *out is malloc()ed, "" when they are the same.
 * -ENOENT for a missing version, -ENODATA when either has no source.
 */
int ctl_store_policy_diff(struct ctl_store *st, uint64_t a, uint64_t b,
			  char **out);

struct policy_sign_key;
/*
 * Roll back: append version old_version's source and policy as a new
 * version (latest + 1) with rollback_of = old_version, re-signed with key
 * (NULL: stored unsigned). Atomic. *new_version gets the new version.
 */
int ctl_store_policy_rollback(struct ctl_store *st, uint64_t old_version,
			      const struct policy_sign_key *key,
			      const char *applied_by, uint64_t now_ms,
			      uint64_t *new_version);

/* --- Devices --------------------------------------------------------- */

/*
 * Insert or update a device. first_seen keeps the earliest, last_seen the
 * latest. A fingerprint field that is empty (or NULL) keeps what is stored;
 * a non-empty one replaces it together with its confidence (the
 * fingerprinter's current best guess wins). JSON fields must be valid JSON
 * (-EINVAL otherwise) and replace the stored ones when not NULL.
 */
int ctl_store_device_upsert(struct ctl_store *st,
			    const struct ctl_store_device *d);
/*
 * The same for n devices in ONE transaction (one fsync): cordond stores a
 * report's changed devices this way. All or nothing; -EINVAL before
 * anything is written if any row is out of range.
 */
int ctl_store_device_upsert_batch(struct ctl_store *st,
				  const struct ctl_store_device *d, size_t n);
/* -ENOENT if not known. */
int ctl_store_device_get(struct ctl_store *st, const uint8_t mac[6],
			 uint16_t vlan, ctl_store_device_cb cb, void *arg);
/* All devices by MAC, VLAN. */
int ctl_store_device_list(struct ctl_store *st, ctl_store_device_cb cb,
			  void *arg);

/* --- Events ---------------------------------------------------------- */

/* Append; kind is required, the rest optional (detail must be JSON). */
int ctl_store_event_add(struct ctl_store *st, uint64_t time_ms,
			const char *kind, const char *dataplane_id,
			const uint8_t *mac, const char *detail_json,
			uint64_t *id);
/*
 * Events with id > since_id, oldest first, at most limit (0: all). For
 * `events --follow`: remember the last id seen and ask again.
 */
int ctl_store_events(struct ctl_store *st, uint64_t since_id, uint32_t limit,
		     ctl_store_event_cb cb, void *arg);
/*
 * The newest events with id < before_id (0: the newest of all), at most
 * limit (0: all), handed to cb oldest first, as `tail -n`; *total (when
 * not NULL): the events in the store. The rows are read backwards on the
 * id, so a page costs its rows, not the events before them.
 */
int ctl_store_events_newest(struct ctl_store *st, uint64_t before_id,
			    uint32_t limit, ctl_store_event_cb cb, void *arg,
			    uint64_t *total);
/* The highest event id handed out, 0 when none: none at or below it is
 * handed out again, pruned or not (ctl_store_ids_floor() raises it). */
int ctl_store_event_last_id(struct ctl_store *st, uint64_t *id);

/* --- Quarantine ------------------------------------------------------ */

/*
 * Quarantine mac and record a CTL_STORE_EV_QUARANTINE event in the same
 * transaction. Returns 0, or -EEXIST if it already is (the stored reason
 * and since are kept, no event).
 */
int ctl_store_quarantine_add(struct ctl_store *st, const uint8_t mac[6],
			     const char *reason, const char *by,
			     uint64_t now_ms);
/* Release (-ENOENT if not quarantined), with a CTL_STORE_EV_RELEASE event. */
int ctl_store_quarantine_del(struct ctl_store *st, const uint8_t mac[6],
			     const char *by, uint64_t now_ms);
/* 0 (and cb called) if quarantined, -ENOENT if not. */
int ctl_store_quarantine_get(struct ctl_store *st, const uint8_t mac[6],
			     ctl_store_quarantine_cb cb, void *arg);
int ctl_store_quarantine_list(struct ctl_store *st,
			      ctl_store_quarantine_cb cb, void *arg);

/* --- Segment overrides ---------------------------------------------- */

/*
 * Put mac in segment (replacing its earlier override), or with segment NULL
 * or "" drop its override (-ENOENT if it has none); with a segment_set or
 * segment_cleared event in the same transaction.
 */
int ctl_store_segment_set(struct ctl_store *st, const uint8_t mac[6],
			  uint16_t vlan, const char *segment, const char *by,
			  uint64_t now_ms);
int ctl_store_segment_list(struct ctl_store *st, ctl_store_segment_cb cb,
			   void *arg);

/* --- Consent --------------------------------------------------------- */

/*
 * Add c (its id ignored; *id the new one) with a consent_added event in
 * the same transaction. -EEXIST when the same flow is consented already.
 */
int ctl_store_consent_add(struct ctl_store *st,
			  const struct ctl_store_consent *c, uint64_t *id);
int ctl_store_consent_list(struct ctl_store *st, ctl_store_consent_cb cb,
			   void *arg);
/*
 * Remove consent c->id, its time over, with a consent_expired event
 * (detail: c's flow) in the same transaction. -ENOENT if it is gone.
 */
int ctl_store_consent_expire(struct ctl_store *st,
			     const struct ctl_store_consent *c,
			     uint64_t now_ms);
/* --- Alerts ---------------------------------------------------------- */

/*
 * Store a dataplane's alert (a->id and a->policy_version are not read)
 * with a CTL_STORE_EV_ALERT event (detail: JSON) in one transaction; *id
 * is its id. -EEXIST when (dataplane_id, boot, seq) is stored already (a
 * resend): *id is then the stored one's, and nothing is written.
 */
int ctl_store_alert_add(struct ctl_store *st, const struct ctl_store_alert *a,
			const char *detail_json, uint64_t *id);
/* Note the policy version an alert's quarantine made. */
int ctl_store_alert_set_version(struct ctl_store *st, uint64_t id,
				uint64_t version);
/*
 * Alerts with id > since_id (of mac, unless NULL), oldest first, at most
 * limit (0: all).
 */
int ctl_store_alerts(struct ctl_store *st, uint64_t since_id, uint32_t limit,
		     const uint8_t *mac, ctl_store_alert_cb cb, void *arg);
/*
 * The newest alerts with id < before_id (0: the newest of all), of mac's
 * device (NULL: every one), at most limit (0: all), to cb oldest first;
 * *total (if not NULL): the alerts in the store, of that device. A page
 * costs its rows, not the alerts before them.
 */
int ctl_store_alerts_newest(struct ctl_store *st, uint64_t before_id,
			    uint32_t limit, const uint8_t *mac,
			    ctl_store_alert_cb cb, void *arg, uint64_t *total);

/* --- Envelopes ------------------------------------------------------- */

/* Store (or replace) a device's envelope. */
int ctl_store_envelope_put(struct ctl_store *st,
			   const struct ctl_store_envelope *e);
/* Forget mac's envelopes (every VLAN): -ENOENT when there was none. */
int ctl_store_envelope_del(struct ctl_store *st, const uint8_t mac[6]);
/* Every envelope by MAC, VLAN; or mac's (unless NULL). */
int ctl_store_envelopes(struct ctl_store *st, const uint8_t *mac,
			ctl_store_envelope_cb cb, void *arg);

/* --- MUD bindings ---------------------------------------------------- */

/*
 * Bind a MUD file to m->mac, replacing any earlier binding of that MAC.
 * sha256 is computed here (m->sha256 is ignored). -EINVAL for a missing
 * URL or file, or a source other than cli, dhcp, dhcpv6, lldp.
 */
int ctl_store_mud_put(struct ctl_store *st, const struct ctl_store_mud *m);
/* -ENOENT when mac has no binding. */
int ctl_store_mud_del(struct ctl_store *st, const uint8_t mac[6]);
int ctl_store_mud_get(struct ctl_store *st, const uint8_t mac[6],
		      ctl_store_mud_cb cb, void *arg);
/* Every binding, by MAC. */
int ctl_store_mud_list(struct ctl_store *st, ctl_store_mud_cb cb, void *arg);
/*
 * Make a binding a callback got outlive the call: out = m with its
 * strings and blobs copied (malloc()ed; no signature stays NULL). 0, or
 * -ENOMEM with nothing to free. Free with ctl_store_mud_free().
 */
int ctl_store_mud_copy(const struct ctl_store_mud *m, struct ctl_store_mud *out);
void ctl_store_mud_free(struct ctl_store_mud *m);

/* --- Reports, exactly once ------------------------------------------- */

/*
 * Store one report of a dataplane. Reports of one (dataplane_id, boot)
 * carry increasing seq numbers; boot tells the dataplane's runs apart (its
 * start time, say). The report and the new high-water mark of (dataplane,
 * boot) are committed in ONE transaction, so after a crash either both are
 * there or neither is.
 *
 * A seq at or below the mark is a duplicate (a retransmission whose ack was
 * lost): nothing is stored. A seq above mark + 1 is stored too: the
 * dataplane may have given up on reports it could not deliver, and the gap
 * is counted.
 *
 * Returns 0 for a report stored now, 1 for a duplicate, or a negative errno
 * (nothing stored). In both success cases *acked_seq is the mark, the
 * highest seq stored for (dataplane, boot): acknowledge the report only
 * after this returns >= 0, with that value.
 */
int ctl_store_report_ingest(struct ctl_store *st, const char *dataplane_id,
			    uint64_t boot, uint64_t seq, const void *payload,
			    size_t len, uint64_t *acked_seq);

/* A report for ctl_store_report_ingest_batch(), and what became of it. */
struct ctl_store_report_in {
	const char *dataplane_id;
	uint64_t boot, seq;
	const void *payload;
	size_t len;
	int rc;			/* out: as ctl_store_report_ingest() */
	uint64_t acked_seq;	/* out: the mark, when rc >= 0 */
};

/*
 * Group commit: n reports in one transaction, one commit, each taken as
 * ctl_store_report_ingest() takes one, in order (a later report of the
 * same run sees the mark of an earlier). A report that can never be
 * stored gets rc -EINVAL and the others go on: one whose arguments are
 * bad, or one the database refuses (a constraint), found by storing the
 * batch one report a transaction when the whole is refused. Returns 0
 * when each in[i].rc says what became of it (0, 1, or a negative errno:
 * not stored); else a negative errno, every in[i].rc but the -EINVAL
 * ones that errno, nothing stored.
 */
int ctl_store_report_ingest_batch(struct ctl_store *st,
				  struct ctl_store_report_in *in, size_t n);

/* The mark of (dataplane, boot): -ENOENT if nothing was ever stored. */
int ctl_store_report_mark(struct ctl_store *st, const char *dataplane_id,
			  uint64_t boot, uint64_t *seq);

struct ctl_store_report_counts {
	uint64_t rows;			/* reports stored */
	uint64_t distinct_seqs;
	uint64_t min_seq, max_seq;
	uint64_t duplicates;		/* retransmissions refused */
	uint64_t gaps;			/* seqs skipped by the sender */
};
/* Counts for (dataplane, boot). */
int ctl_store_report_counts(struct ctl_store *st, const char *dataplane_id,
			    uint64_t boot, struct ctl_store_report_counts *c);

/*
 * Delete up to max (>= 1) reports received before before_ms, the oldest
 * first (the marks stay, so their retransmissions are still recognised).
 * *deleted, which may be NULL, says how many went: max means there may be
 * more.
 */
int ctl_store_report_prune(struct ctl_store *st, uint64_t before_ms,
			   uint32_t max, uint64_t *deleted);

/*
 * Retention: each deletes up to max (>= 1) rows from before before_ms,
 * the oldest first, in one transaction; *deleted (may be NULL) says how
 * many went, and max means there may be more.
 *
 * ctl_store_device_prune(): devices no dataplane has listed since
 * before_ms, with their behaviour envelopes (*envelopes, may be NULL).
 * A device an operator or a detector acted on stays while that holds:
 * quarantined, put in a segment, bound to a MUD file, or given a consent.
 *
 * ctl_store_event_prune(): events recorded before before_ms.
 *
 * ctl_store_alert_prune(): alerts received before before_ms, except those
 * of a device still quarantined (they are why).
 */
int ctl_store_device_prune(struct ctl_store *st, uint64_t before_ms,
			   uint32_t max, uint64_t *deleted,
			   uint64_t *envelopes);
int ctl_store_event_prune(struct ctl_store *st, uint64_t before_ms,
			  uint32_t max, uint64_t *deleted);
int ctl_store_alert_prune(struct ctl_store *st, uint64_t before_ms,
			  uint32_t max, uint64_t *deleted);

/*
 * The store's memory: SQLite's page cache for the store's connection fills
 * up to CTL_STORE_CACHE_KIB as the file grows and stays there (a cordond
 * that runs for months must not grow with its store).
 */
#define CTL_STORE_CACHE_KIB 1024
struct ctl_store_mem {
	uint64_t cache_used;		/* bytes, now */
	uint64_t cache_max;		/* bytes, the cap */
};
int ctl_store_memory(struct ctl_store *st, struct ctl_store_mem *m);

#endif /* CORDON_CTL_STORE_H */
