/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl events: what happened, from cordond's store. */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "cli.h"
#include "ctl_pbjson.h"

static uint64_t
cli_events_page(struct cli *c, const void *reply)
{
	const Cordon__Events *ev = reply;
	uint64_t last = 0;

	for (size_t i = 0; i < ev->n_events; i++) {
		const Cordon__Event *e = ev->events[i];

		if (c->json) {
			cli_json_out(ctl_pbjson(&e->base), JSON_COMPACT);
		} else {
			char when[32];

			printf("%6" PRIu64 "  %s  %-20s %-12s %s", e->id,
			       cli_fmt_time(e->time_unix_ms, when, true),
			       e->kind, e->dataplane_id, e->mac.len == 6 ?
			       cli_mac_str(&e->mac) : "");
			for (size_t k = 0; k < e->n_details; k++)
				printf(" %s=%s", e->details[k]->key,
				       e->details[k]->value);
			putchar('\n');
		}
		last = e->id;
	}
	return last;
}

static int
cli_events_run(struct cli *c, int argc, char **argv)
{
	const char *since = NULL;
	bool follow = false;
	const struct cli_opt opts[] = {
		{ "--follow", "-f", NULL, &follow },
		{ "--since", NULL, &since, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__EventsRequest req = CORDON__EVENTS_REQUEST__INIT;
	int rc;

	rc = cli_args(c, "events", argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (since != NULL && cli_u64(since, &req.since_id) < 0)
		return cli_usage_error("events: --since takes an event id");
	return cli_follow(c, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &req.base,
			  &req.since_id, CORDON__MSG_TYPE__MSG_EVENTS, follow,
			  cli_events_page);
}

CLI_COMMAND(events, "[--follow] [--since ID]", "what happened, from the store",
	"Policy versions made, applied and refused, quarantines and\n"
	"releases, MUD files bound and refused, dataplanes connecting and\n"
	"leaving. --follow keeps printing new ones; --json prints one\n"
	"object per line.");
