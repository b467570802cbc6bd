/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl status (cordond and its dataplanes) and stats (each
 * dataplane's latest report; the stored inventory until one has reported
 * since cordond started).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"

static nng_msg *
cd_status_status(struct cordond *d, struct cd_req *r)
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
			return cd_error(d, r->msg->request_id,
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
		cnt[i].name = (char *)cd_counter_names[i];
		cnt[i].value = d->counters[i];
		cntp[i] = &cnt[i];
	}
	rep.server_version = (char *)CORDON_VERSION;
	rep.uptime_ms = cd_now_ms() - d->start_ms;
	rep.n_dataplanes = d->reg.n;
	rep.dataplanes = stp;
	rep.n_counters = CD_MAX;
	rep.counters = cntp;
	rep.policy_version = d->policy ? d->policy->version : 0;
	rep.degraded = d->store_health.reason;
	rep.degraded_since_unix_ms = d->store_health.since_ms;
	rep.degraded_failures = d->store_health.failures;

	out = cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_STATUS_REPLY,
		       &rep.base);
	free(st);
	free(stp);
	return out;
}

static nng_msg *
cd_status_stored(struct cordond *d, struct cd_req *r)
{
	Cordon__StatsReply rep = CORDON__STATS_REPLY__INIT;
	Cordon__StatsReport **reports = NULL;
	size_t n = 0;
	nng_msg *out;

	if (ctl_inv_reports(d->state.st, cd_now_ms(), &reports, &n) < 0)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	rep.n_reports = n;
	rep.reports = reports;
	out = cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_STATS_REPLY,
		       &rep.base);
	for (size_t i = 0; i < n; i++)
		cordon__stats_report__free_unpacked(reports[i], NULL);
	free(reports);
	return out;
}

static nng_msg *
cd_status_stats(struct cordond *d, struct cd_req *r)
{
	const Cordon__StatsRequest *req = cd_in(r);
	Cordon__StatsReply rep = CORDON__STATS_REPLY__INIT;
	Cordon__StatsReport **reports = NULL;
	size_t n = 0;
	nng_msg *out;

	if (req->dataplane_id[0] != '\0' &&
	    ctl_registry_find(&d->reg, req->dataplane_id) == NULL)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no such dataplane");
	/* Nobody has reported since start-up: the stored inventory. */
	if (req->dataplane_id[0] == '\0' && !cd_any_report(d))
		return cd_status_stored(d, r);
	if (d->reg.n > 0) {
		reports = calloc(d->reg.n, sizeof(*reports));
		if (reports == NULL)
			return cd_error(d, r->msg->request_id,
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
	out = cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_STATS_REPLY,
		       &rep.base);
	free(reports);
	return out;
}

static const struct cd_handler cd_status_handlers[] = {
	CD_HANDLER(STATUS_REQUEST, CLI, cd_status_status),
	CD_HANDLER(STATS_REQUEST, CLI, cd_status_stats),
};

CD_FEATURE(status);
