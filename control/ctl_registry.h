/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's view of its dataplanes: what each said in its Hello, its latest
 * stats report, and whether it is connected. A dataplane is known by its id;
 * reports are accepted only on the connection (nng pipe) it said hello on,
 * so a dataplane that reconnects is asked to register again. Not
 * thread-safe: cordond holds its lock around every call.
 *
 * Every message a dataplane sends names its id, so ids are found through
 * an index (open addressing, seeded FNV-1a): a fleet's thousands of
 * dataplanes cost one probe a message, not a walk of the list. The index
 * holds positions in dps, and is rebuilt when the list grows past half
 * of it or when forgetting moves entries. A connection closing is found
 * by a walk of the list (ctl_registry_by_pipe()): that is once per
 * connection, not per message.
 */

#ifndef CORDON_CTL_REGISTRY_H
#define CORDON_CTL_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"

#define CTL_DP_ID_MAX 127

struct ctl_dp {
	Cordon__Hello *hello;		/* owned */
	Cordon__StatsReport *report;	/* owned, latest; may be NULL */
	uint32_t pipe_id;		/* 0 when disconnected */
	uint64_t disconnected_unix_ms;	/* since when; 0 while connected */
	uint64_t registered_unix_ms;
	uint64_t last_report_unix_ms;
	/* Its hello, or anything since on the hello's connection (reports,
	 * alerts, prompts): what says the run is still there. */
	uint64_t heard_unix_ms;
	/* Its uptime at a wall time: the hello's (Hello.uptime_ms, wire
	 * minor 6), then each report's that came at once. 0: none said. */
	uint64_t anchor_uptime_ms;
	uint64_t anchor_unix_ms;
	uint32_t registrations;
	uint64_t policy_version;	/* in force, as of its last poll */
	uint64_t rejected_version;	/* last policy it refused */
	char rejected_reason[256];
	/* Over tls+tcp: its hello proved its id (wire_id.h), and the poll
	 * connection proved since (0: none yet). cd_dataplane.c sets them. */
	bool id_proven;
	uint32_t poll_pipe_proven;
};

struct ctl_registry {
	struct ctl_dp *dps;
	size_t n;
	size_t cap;
	uint32_t *index;		/* [index_mask + 1]: position + 1, 0 free */
	size_t index_mask;
	uint64_t seed;
};

/* Empty, with a random seed for the index. */
void ctl_registry_init(struct ctl_registry *reg);
void ctl_registry_fini(struct ctl_registry *reg);

/*
 * What the run that said this hello is keyed by in the store: its
 * boot_id, or its start time from a dataplane older than wire minor 5.
 */
static inline uint64_t
ctl_registry_boot(const Cordon__Hello *h)
{
	return h->boot_id != 0 ? h->boot_id : h->started_unix_ms;
}

/*
 * Check a Hello (a usable id, sane fields). Returns 0, or -EINVAL with the
 * reason in err.
 */
int ctl_registry_check_hello(const Cordon__Hello *h, char *err, size_t len);

/*
 * Register (or re-register) a dataplane. Takes ownership of h on success.
 * Returns 0, -EINVAL (see ctl_registry_check_hello) or -ENOMEM.
 */
int ctl_registry_hello(struct ctl_registry *reg, Cordon__Hello *h,
		       uint32_t pipe_id, uint64_t now_ms, char *err,
		       size_t len);

/*
 * Whether another run of a dataplane holds the id h says (a second gateway
 * given the same --id, or the same host name): the entry registered on
 * another connection that is still open and was heard within live_ms.
 * NULL when h may take the id: a new id, the same run again (its agent
 * reconnected), or a run gone quiet, whose connection cordond still holds
 * open (a gateway that lost power or rebooted says nothing on leaving).
 */
const struct ctl_dp *ctl_registry_holder(const struct ctl_registry *reg,
					 const Cordon__Hello *h,
					 uint32_t pipe_id, uint64_t now_ms,
					 uint64_t live_ms);

/* A report came this long after it was made, or more: it waited in the
 * dataplane's queue. */
#define CTL_REGISTRY_QUEUED_MS 2000

/*
 * When the report of dp made at uptime_ms was made (unix ms), as it comes
 * at now_ms. A report that comes at once is dated now and moves the
 * anchor; one that waited in the dataplane's queue (cordond was away) is
 * dated by the anchor, the hello that came before it: its uptime then,
 * so the report is as old as it says. Without an anchor (a dataplane
 * older than wire minor 6): now.
 */
uint64_t ctl_registry_made_ms(struct ctl_dp *dp, uint64_t uptime_ms,
			      uint64_t now_ms);

/*
 * Store a report. Takes ownership of r on success. -ENOENT when the sender
 * has not said hello on this pipe (it must register again).
 */
int ctl_registry_report(struct ctl_registry *reg, Cordon__StatsReport *r,
			uint32_t pipe_id, uint64_t now_ms);

/*
 * A dataplane polls for policies (on a connection of its own). Records
 * what it has in force and what it refused. -ENOENT when it is not
 * registered and connected.
 */
int ctl_registry_poll(struct ctl_registry *reg, const Cordon__Poll *p);

/* The dataplane that said hello on pipe_id, or NULL. */
struct ctl_dp *ctl_registry_by_pipe(struct ctl_registry *reg,
				    uint32_t pipe_id);

/* A connection closed: its dataplane is now disconnected. Returns it. */
struct ctl_dp *ctl_registry_pipe_closed(struct ctl_registry *reg,
					uint32_t pipe_id, uint64_t now_ms);

/*
 * Forget up to max dataplanes disconnected before before_ms: what they
 * said goes (hello, last report), their ids are copied to ids (may be
 * NULL). The others keep their order; pointers to entries do not hold
 * across the call. Returns how many.
 */
size_t ctl_registry_forget(struct ctl_registry *reg, uint64_t before_ms,
			   char (*ids)[CTL_DP_ID_MAX + 1], size_t max);

struct ctl_dp *ctl_registry_find(const struct ctl_registry *reg,
				 const char *id);

#endif /* CORDON_CTL_REGISTRY_H */
