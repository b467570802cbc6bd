/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl events: what happened, from cordond's store. By default the
 * newest 20, as `tail` or `journalctl -n`: an operator asks what happened
 * lately, and the reply stays a page however many events there are.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "cli_log.h"

/* One event, a line of text. */
static void
cli_events_line(struct cli *c, const ProtobufCMessage *item)
{
	const Cordon__Event *e = (const Cordon__Event *)item;
	char when[32];

	(void)c;
	printf("%6" PRIu64 "  %s  %-20s %-12s %s", e->id,
	       cli_fmt_time(e->time_unix_ms, when, true), e->kind,
	       e->dataplane_id, e->mac.len == 6 ? cli_mac_str(&e->mac) : "");
	for (size_t k = 0; k < e->n_details; k++)
		printf(" %s=%s", e->details[k]->key, e->details[k]->value);
	putchar('\n');
}

static const struct cli_log cli_events_log = {
	.name = "events",
	.noun = "event",
	.req_type = CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
	.reply_type = CORDON__MSG_TYPE__MSG_EVENTS,
	.req = &cordon__events_request__descriptor,
	.reply = &cordon__events__descriptor,
	.show = cli_events_line,
};

/*
 * events [--since ID | --last N | --all | --before ID] [--follow]: the
 * events asked for, oldest first; with --follow, then every new one.
 */
static int
cli_events_run(struct cli *c, int argc, char **argv)
{
	Cordon__EventsRequest req = CORDON__EVENTS_REQUEST__INIT;
	struct cli_log_ask a;
	int rc;

	rc = cli_log_args(c, &cli_events_log, argc, argv, NULL, &a);
	if (rc != CLI_EXIT_OK)
		return rc;
	return cli_log_run(c, &cli_events_log, &a, &req.base);
}

CLI_COMMAND(events, "[--last N | --all | --before ID | --since ID] [--follow]",
	"what happened, from the store",
	"Policy versions made, applied and refused, quarantines and\n"
	"releases, MUD files bound and refused, dataplanes connecting and\n"
	"leaving, oldest first. By default the latest 20 (--last N: N, up\n"
	"to 1000; --all: every one; --before ID: those older than event ID),\n"
	"and a line says when there are more; --since ID: every one after\n"
	"event ID. --follow then keeps printing new ones, and rides out a\n"
	"cordond that is busy or restarting (said on stderr, asked again\n"
	"every second, on after the last event printed). --json prints one\n"
	"object, the events and \"total\" (how many there are in all); with\n"
	"--follow, one object per event and line.");
