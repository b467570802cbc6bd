/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl's logs: what cordond's store appends with increasing ids and
 * hands out a page at a time (events, alerts). One way to read them all:
 *
 *   (default)      the newest 20, oldest first, and a line saying how many
 *                  there are when there are more, as `tail`
 *   --last N       the newest N (1..1000)
 *   --before ID    the newest older than ID
 *   --all          every one
 *   --since ID     every one after ID
 *   --follow       then every new one, for ever (cli_log_follow())
 *
 * --json prints one object, the items and "total" (how many there are in
 * all); with --follow, one compact object per item and line.
 *
 * The request and the reply are read through their protobuf descriptors,
 * by the field names the logs share: a request's since_id, limit, newest
 * and before_id; a reply's one repeated message field, whose items have
 * an id, and its total (set in reply to newest).
 */

#ifndef CORDON_CLI_LOG_H
#define CORDON_CLI_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

/* A page cordond hands out, at most (its CD_LIST_MAX). */
#define CLI_LOG_PAGE 1000
/* --all, --since: pages kept, at most (a million items). */
#define CLI_LOG_PAGES 1000

struct cli_log {
	const char *name;		/* "events": the command */
	const char *noun;		/* "event" */
	Cordon__MsgType req_type, reply_type;
	const ProtobufCMessageDescriptor *req, *reply;
	/* One item as text (--json prints it compact, one a line). */
	void (*show)(struct cli *c, const ProtobufCMessage *item);
};

/* What was asked for. */
struct cli_log_ask {
	bool follow, all, since_set;
	uint64_t since, before;
	uint32_t last;			/* 0: cordond's default page */
};

/*
 * The log's options, and the command's own (extra, may be NULL) with
 * them. CLI_EXIT_OK or CLI_EXIT_USAGE (said why).
 */
int cli_log_args(struct cli *c, const struct cli_log *log, int argc,
		 char **argv, const struct cli_opt *extra,
		 struct cli_log_ask *a);

/*
 * Print what a asked for, then follow if asked. req is the command's
 * request of log->req with its own filters set (a device); its since_id,
 * limit, newest and before_id are the log's to set.
 */
int cli_log_run(struct cli *c, const struct cli_log *log,
		const struct cli_log_ask *a, ProtobufCMessage *req);

/*
 * --follow: req asked again and again from *since on, for ever: at once
 * while replies bring something (a backlog comes a page at a time), else
 * every CLI_FOLLOW_POLL_MS. It rides out a cordond that does not answer
 * (busy behind a large policy, restarting): said once on stderr, asked
 * again every CLI_FOLLOW_RETRY_MS, said again when it answers; the ids are
 * the store's, so it goes on after the last one printed. Ends on an error
 * cordond answers, a reply it cannot read, or output it cannot write.
 */
#define CLI_FOLLOW_POLL_MS 500
#define CLI_FOLLOW_RETRY_MS 1000
int cli_log_follow(struct cli *c, const struct cli_log *log,
		   ProtobufCMessage *req, uint64_t since);

#endif /* CORDON_CLI_LOG_H */
