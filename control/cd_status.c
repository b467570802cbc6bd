/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl status (cordond and its dataplanes) and stats (each
 * dataplane's latest report; the stored inventory until one has reported
 * since cordond started).
 *
 * A device a type: selector holds back (its type's confidence below what
 * the policy asks) carries a segment_note saying so: the latest policy
 * source is compiled against the identities of the answer, when it is
 * asked for, so the note is about the identity the operator sees.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "ctl_state.h"

/* Notes lent to the devices of an answer, taken back after packing. */
struct cd_status_notes {
	Cordon__DeviceStats **ds;
	char **text;
	size_t n, cap;
};

static Cordon__DeviceStats *
cd_status_find(Cordon__StatsReport **reports, size_t n,
	       const struct ctl_pol_inv_device *v)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < reports[i]->n_devices; j++) {
			Cordon__DeviceStats *ds = reports[i]->devices[j];

			if (ds->mac.len == 6 && ds->vlan == v->vlan &&
			    memcmp(ds->mac.data, v->mac, 6) == 0)
				return ds;
		}
	return NULL;
}

/* The segment id pol gives mac, its default segment when none. */
static uint32_t
cd_status_segment(const Cordon__Policy *pol, const uint8_t mac[6])
{
	for (size_t i = 0; i < pol->n_devices; i++)
		if (pol->devices[i]->mac.len == 6 &&
		    memcmp(pol->devices[i]->mac.data, mac, 6) == 0)
			return pol->devices[i]->segment;
	return pol->default_segment;
}

static const char *
cd_status_segment_name(const Cordon__Policy *pol, uint32_t id)
{
	for (size_t i = 0; i < pol->n_segments; i++)
		if (pol->segments[i]->id == id)
			return pol->segments[i]->name;
	return "?";
}

/* A device the latest policy places elsewhere than the segment in force
 * (made before its identity changed, or not yet taken up by its
 * dataplane): say so, where nothing was said yet. Quarantine is not a
 * policy's placement.
 */
static void
cd_status_pending(const Cordon__Policy *pol, Cordon__StatsReport **reports,
		  size_t n, struct cd_status_notes *nt)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < reports[i]->n_devices; j++) {
			Cordon__DeviceStats *ds = reports[i]->devices[j];
			uint32_t want;
			char *s;

			if (ds->mac.len != 6 || ds->segment == 0 ||
			    ds->segment == pol->quarantine_segment ||
			    ds->segment_note[0] != '\0' ||
			    nt->n >= nt->cap)
				continue;
			want = cd_status_segment(pol, ds->mac.data);
			if (want == ds->segment)
				continue;
			if (asprintf(&s, "the latest policy puts it in segment "
				     "%s; in force: segment %s",
				     cd_status_segment_name(pol, want),
				     ds->segment_name) < 0)
				continue;
			ds->segment_note = s;
			nt->ds[nt->n] = ds;
			nt->text[nt->n++] = s;
		}
}

/* Set the segment_note of each device of reports a type selector holds
 * back. Best effort: without a policy, or on a failure, no notes. */
static void
cd_status_notes_lend(struct cordond *d, uint32_t version,
		     Cordon__StatsReport **reports, size_t n,
		     struct cd_status_notes *nt)
{
	struct ctl_pol_inventory inv;
	Cordon__Policy *pol = NULL;
	char **notes = NULL, err[256];
	bool owned;

	memset(nt, 0, sizeof(*nt));
	/* segment_note is a field of minor 4: an older cordonctl would
	 * refuse it. */
	if (WIRE_VERSION_MINOR_OF(version) < 4 ||
	    cd_inventory_live(d, &inv, &owned) < 0)
		return;
	if (inv.n_devs == 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		nt->cap += reports[i]->n_devices;
	notes = calloc(inv.n_devs, sizeof(*notes));
	nt->ds = calloc(nt->cap, sizeof(*nt->ds));
	nt->text = calloc(nt->cap, sizeof(*nt->text));
	if (notes == NULL || nt->ds == NULL || nt->text == NULL)
		goto out;
	inv.notes = notes;
	if (ctl_state_type_notes(&d->state, &inv, &pol, err,
				 sizeof(err)) < 0)
		goto out;
	for (size_t i = 0; i < inv.n_devs; i++) {
		Cordon__DeviceStats *ds;

		if (notes[i] == NULL)
			continue;
		ds = cd_status_find(reports, n, &inv.devs[i]);
		if (ds == NULL || nt->n >= nt->cap)
			continue;
		/* Quarantine, a MUD binding, or a version made when its type
		 * read otherwise: say what is in force. */
		if (ds->segment != 0 &&
		    ds->segment != cd_status_segment(pol, inv.devs[i].mac)) {
			char *s;

			if (asprintf(&s, "%s; in force: segment %s", notes[i],
				     ds->segment_name) < 0)
				continue;
			free(notes[i]);
			notes[i] = s;
		}
		ds->segment_note = notes[i];
		nt->ds[nt->n] = ds;
		nt->text[nt->n++] = notes[i];
		notes[i] = NULL;
	}
	cd_status_pending(pol, reports, n, nt);
out:
	for (size_t i = 0; notes != NULL && i < inv.n_devs; i++)
		free(notes[i]);
	free(notes);
	if (pol != NULL)
		cordon__policy__free_unpacked(pol, NULL);
	inv.notes = NULL;
	cd_inventory_free(&inv, owned);
}

static void
cd_status_notes_take_back(struct cd_status_notes *nt)
{
	for (size_t i = 0; i < nt->n; i++) {
		nt->ds[i]->segment_note = (char *)protobuf_c_empty_string;
		free(nt->text[i]);
	}
	free(nt->ds);
	free(nt->text);
	memset(nt, 0, sizeof(*nt));
}

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
	rep.uptime_ms = util_time_now_ms() - d->start_ms;
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

/* A StatsReply of the n reports, with the notes lent for the packing. */
static nng_msg *
cd_status_stats_reply(struct cordond *d, struct cd_req *r,
		      Cordon__StatsReport **reports, size_t n)
{
	Cordon__StatsReply rep = CORDON__STATS_REPLY__INIT;
	struct cd_status_notes nt;
	nng_msg *out;

	rep.n_reports = n;
	rep.reports = reports;
	cd_status_notes_lend(d, r->msg->version, reports, n, &nt);
	out = cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_STATS_REPLY,
		       &rep.base);
	cd_status_notes_take_back(&nt);
	return out;
}

static nng_msg *
cd_status_stored(struct cordond *d, struct cd_req *r)
{
	Cordon__StatsReport **reports = NULL;
	size_t n = 0;
	nng_msg *out;

	if (ctl_inv_reports(d->state.st, util_time_now_ms(), &reports, &n) < 0)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				ctl_store_errmsg(d->state.st));
	out = cd_status_stats_reply(d, r, reports, n);
	for (size_t i = 0; i < n; i++)
		cordon__stats_report__free_unpacked(reports[i], NULL);
	free(reports);
	return out;
}

static nng_msg *
cd_status_stats(struct cordond *d, struct cd_req *r)
{
	const Cordon__StatsRequest *req = cd_in(r);
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
	out = cd_status_stats_reply(d, r, reports, n);
	free(reports);
	return out;
}

static const struct cd_handler cd_status_handlers[] = {
	CD_HANDLER(STATUS_REQUEST, CLI, cd_status_status),
	CD_HANDLER(STATS_REQUEST, CLI, cd_status_stats),
};

CD_FEATURE(status);
