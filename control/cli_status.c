/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl status: cordond and the dataplanes that registered. */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ctl_table.h"

/* What cordond turned away since it started, when it did: the messages
 * it refused, the dataplanes whose id was not proven and the hellos for
 * an id another live dataplane holds (all of its counters are in --json
 * and /metrics). */
static void
cli_status_refused(const Cordon__StatusReply *st)
{
	uint64_t msgs = 0, ids = 0, taken = 0;

	for (size_t i = 0; i < st->n_counters; i++) {
		const Cordon__Counter *c = st->counters[i];

		if (strncmp(c->name, "rejected_", 9) == 0)
			msgs += c->value;
		else if (strcmp(c->name, "dp_id_refused") == 0)
			ids = c->value;
		else if (strcmp(c->name, "dp_id_conflicts") == 0)
			taken = c->value;
	}
	if (msgs == 0 && ids == 0 && taken == 0)
		return;
	printf("refused since start: %" PRIu64 " message%s (rejected_*), %"
	       PRIu64 " dataplane hello%s or poll%s not proving the id said "
	       "(dp_id_refused), %" PRIu64 " hello%s for an id another "
	       "dataplane holds (dp_id_conflicts)\n", msgs,
	       msgs == 1 ? "" : "s", ids, ids == 1 ? "" : "s",
	       ids == 1 ? "" : "s", taken, taken == 1 ? "" : "s");
}

static int
cli_status_show(const void *reply, const void *req)
{
	const Cordon__StatusReply *st = reply;
	uint64_t now = util_time_now_ms();

	(void)req;
	printf("cordond %s, up %s, %zu dataplane%s, policy %s\n",
	       st->server_version, ctl_fmt_duration_ms(st->uptime_ms),
	       st->n_dataplanes, st->n_dataplanes == 1 ? "" : "s",
	       st->policy_version ? ctl_fmt_u64(st->policy_version) : "none");
	if (st->degraded[0] != '\0')
		printf("DEGRADED for %s, %" PRIu64 " store writes failed: %s\n",
		       ctl_fmt_duration_ms(now > st->degraded_since_unix_ms ?
					   now - st->degraded_since_unix_ms :
					   0), st->degraded_failures,
		       ctl_fmt_esc(st->degraded));
	cli_status_refused(st);
	if (st->n_dataplanes > 0) {
		static const char *const head[] = {
			"DATAPLANE", "STATE", "VERSION", ">UPTIME",
			">WORKERS", ">PORTS", ">POLICY", ">LAST REPORT",
			">REGISTERED", NULL,
		};
		struct ctl_table t;

		ctl_table_init(&t, head);
		for (size_t i = 0; i < st->n_dataplanes; i++) {
			const Cordon__DataplaneStatus *d = st->dataplanes[i];
			char ago[32];

			if (d->last_report_unix_ms == 0)
				snprintf(ago, sizeof(ago), "never");
			else
				snprintf(ago, sizeof(ago), "%s ago",
					 ctl_fmt_duration_ms(now >
						d->last_report_unix_ms ?
						now - d->last_report_unix_ms :
						0));
			const char *row[] = {
				d->dataplane_id,
				d->connected ? "connected" : "disconnected",
				d->sw_version,
				ctl_fmt_duration_ms(d->uptime_ms),
				ctl_fmt_u64(d->workers),
				ctl_fmt_u64(d->n_ports),
				ctl_fmt_u64(d->policy_version),
				ago,
				ctl_fmt_u64(d->registrations),
			};
			ctl_table_row(&t, row);
		}
		putchar('\n');
		ctl_table_print(stdout, &t);
		ctl_table_free(&t);
		for (size_t i = 0; i < st->n_dataplanes; i++) {
			const Cordon__DataplaneStatus *d = st->dataplanes[i];

			if (d->rejected_version != 0)
				printf("%s refused policy %" PRIu64 ": %s\n",
				       ctl_fmt_esc(d->dataplane_id),
				       d->rejected_version,
				       ctl_fmt_esc(d->rejected_reason));
		}
	}
	return CLI_EXIT_OK;
}

CLI_QUERY(status, "connected dataplanes, versions, uptime",
	"Show cordond and every dataplane that has registered: whether it\n"
	"is connected, its software version, uptime, workers, ports and\n"
	"policy version.\n\n"
	"  --json   machine-readable output",
	STATUS_REQUEST, status_request, STATUS_REPLY);
