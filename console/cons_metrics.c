/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cons_metrics.h"
#include "ctl_inventory.h"
#include "drop_names.h"
#include "util_mac.h"

#define NDROPS (sizeof(cons_drop_names) / sizeof(cons_drop_names[0]))

static bool
is_drop(const char *name)
{
	for (size_t i = 0; i < NDROPS; i++)
		if (strcmp(cons_drop_names[i], name) == 0)
			return true;
	return false;
}

/* A label value: backslash, quote and newline escaped. */
static void
lv(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* A name part: [a-z0-9_] only. */
static void
np(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ?
		      *s : (*s >= 'A' && *s <= 'Z') ? *s - 'A' + 'a' : '_', f);
}

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A report made from cordond's stored inventory has no live counters. */
static bool
live(const Cordon__StatsReport *r)
{
	for (size_t i = 0; i < r->n_counters; i++)
		if (strcmp(r->counters[i]->name, CTL_INV_STORED_COUNTER) == 0)
			return false;
	return true;
}

#define EACH_LIVE(stats, r) \
	for (size_t r##_i = 0; (stats) != NULL && r##_i < (stats)->n_reports; \
	     r##_i++) \
		for (const Cordon__StatsReport *r = (stats)->reports[r##_i]; \
		     r != NULL && live(r); r = NULL)

struct port_metric {
	const char *name;
	const char *help;
	size_t off;
};

#define PM(field, name, help) \
	{ name, help, offsetof(Cordon__PortStats, field) }

static const struct port_metric port_metrics[] = {
	PM(rx_packets, "cordon_port_rx_packets_total", "Packets received."),
	PM(rx_bytes, "cordon_port_rx_bytes_total", "Bytes received."),
	PM(tx_packets, "cordon_port_tx_packets_total", "Packets sent."),
	PM(tx_bytes, "cordon_port_tx_bytes_total", "Bytes sent."),
	PM(drops, "cordon_port_dropped_packets_total",
	   "Packets received on the port that the dataplane dropped."),
	PM(hw_rx_missed, "cordon_port_hw_rx_missed_packets_total",
	   "Packets the NIC missed (imissed)."),
	PM(hw_rx_errors, "cordon_port_hw_rx_errors_total",
	   "Receive errors the NIC reports."),
	PM(hw_tx_errors, "cordon_port_hw_tx_errors_total",
	   "Transmit errors the NIC reports."),
	PM(hw_rx_nombuf, "cordon_port_hw_rx_nombuf_total",
	   "Receive failures for want of mbufs."),
};

#define WM(field, name, help) \
	{ name, help, offsetof(Cordon__WorkerStats, field) }

static const struct port_metric worker_metrics[] = {
	WM(rx_packets, "cordon_worker_rx_packets_total",
	   "Packets the worker received."),
	WM(rx_bytes, "cordon_worker_rx_bytes_total", "Bytes it received."),
	WM(tx_packets, "cordon_worker_tx_packets_total", "Packets it sent."),
	WM(tx_bytes, "cordon_worker_tx_bytes_total", "Bytes it sent."),
	WM(polls, "cordon_worker_polls_total", "Receive bursts attempted."),
	WM(busy_polls, "cordon_worker_busy_polls_total",
	   "Receive bursts that returned packets."),
};

#define DM(field, name, help) \
	{ name, help, offsetof(Cordon__DeviceStats, field) }

static const struct port_metric device_metrics[] = {
	DM(allowed_packets, "cordon_device_allowed_packets_total",
	   "Packets the device sent that policy allowed."),
	DM(allowed_bytes, "cordon_device_allowed_bytes_total",
	   "Bytes the device sent that policy allowed."),
	DM(denied_packets, "cordon_device_denied_packets_total",
	   "Packets the device sent that policy denied."),
	DM(denied_bytes, "cordon_device_denied_bytes_total",
	   "Bytes the device sent that policy denied."),
	DM(received_packets, "cordon_device_received_packets_total",
	   "Packets delivered to the device."),
	DM(received_bytes, "cordon_device_received_bytes_total",
	   "Bytes delivered to the device."),
	DM(flows, "cordon_device_flows_total", "Flows the device started."),
};

static uint64_t
field_u64(const void *m, size_t off)
{
	return *(const uint64_t *)((const char *)m + off);
}

struct dev_ref {
	const char *dp;
	const Cordon__DeviceStats *d;
	uint64_t weight;
};

static int
dev_ref_cmp(const void *a, const void *b)
{
	const struct dev_ref *x = a, *y = b;

	return x->weight < y->weight ? 1 : x->weight > y->weight ? -1 : 0;
}

static void
write_devices(FILE *f, struct cons_server *s, const Cordon__StatsReply *stats)
{
	struct dev_ref *refs;
	size_t n = 0, cap = 0, keep;

	EACH_LIVE(stats, r)
		cap += r->n_devices;
	family(f, "cordon_devices", "gauge",
	       "Devices the dataplane has seen (all of them).");
	EACH_LIVE(stats, r) {
		fputs("cordon_devices{dataplane=\"", f);
		lv(f, r->dataplane_id);
		fprintf(f, "\"} %zu\n", r->n_devices);
	}
	refs = calloc(cap ? cap : 1, sizeof(*refs));
	if (refs == NULL)
		return;
	EACH_LIVE(stats, r)
		for (size_t j = 0; j < r->n_devices; j++)
			if (r->devices[j]->mac.len == 6) {
				refs[n].dp = r->dataplane_id;
				refs[n].d = r->devices[j];
				refs[n].weight = r->devices[j]->allowed_packets +
					r->devices[j]->denied_packets;
				n++;
			}
	qsort(refs, n, sizeof(*refs), dev_ref_cmp);
	keep = n < s->conf.metrics_devices ? n : s->conf.metrics_devices;
	family(f, "cordon_console_device_series_omitted", "gauge",
	       "Devices left out of the per-device series "
	       "(--metrics-devices).");
	fprintf(f, "cordon_console_device_series_omitted %zu\n", n - keep);
	for (size_t m = 0; m < sizeof(device_metrics) /
	     sizeof(device_metrics[0]); m++) {
		family(f, device_metrics[m].name, "counter",
		       device_metrics[m].help);
		for (size_t i = 0; i < keep; i++) {
			fprintf(f, "%s{dataplane=\"", device_metrics[m].name);
			lv(f, refs[i].dp);
			fprintf(f, "\",mac=\"%s\",vlan=\"%u\"} %" PRIu64 "\n",
				util_mac_str(refs[i].d->mac.data),
				refs[i].d->vlan,
				field_u64(refs[i].d, device_metrics[m].off));
		}
	}
	free(refs);
}

static void
write_dataplanes(FILE *f, const Cordon__StatusReply *st)
{
	static const struct {
		const char *name, *type, *help;
	} fams[] = {
		{ "cordon_dataplane_connected", "gauge",
		  "1 while the dataplane is connected to cordond." },
		{ "cordon_dataplane_uptime_seconds", "gauge",
		  "Dataplane uptime as of its last report." },
		{ "cordon_dataplane_workers", "gauge", "Worker lcores." },
		{ "cordon_dataplane_policy_version", "gauge",
		  "Policy version in force on the dataplane." },
		{ "cordon_dataplane_policy_rejected_version", "gauge",
		  "The last policy version the dataplane refused (0: none)." },
		{ "cordon_dataplane_registrations_total", "counter",
		  "Times the dataplane said hello to cordond." },
		{ "cordon_dataplane_last_report_timestamp_seconds", "gauge",
		  "When cordond last stored a report of the dataplane." },
		{ "cordon_dataplane_start_timestamp_seconds", "gauge",
		  "When the dataplane started." },
	};

	if (st == NULL)
		return;
	for (size_t k = 0; k < sizeof(fams) / sizeof(fams[0]); k++) {
		family(f, fams[k].name, fams[k].type, fams[k].help);
		for (size_t i = 0; i < st->n_dataplanes; i++) {
			const Cordon__DataplaneStatus *d = st->dataplanes[i];
			double v[] = {
				d->connected, (double)d->uptime_ms / 1000,
				d->workers, (double)d->policy_version,
				(double)d->rejected_version, d->registrations,
				(double)d->last_report_unix_ms / 1000,
				(double)d->started_unix_ms / 1000,
			};

			fprintf(f, "%s{dataplane=\"", fams[k].name);
			lv(f, d->dataplane_id);
			fprintf(f, "\"} %.17g\n", v[k]);
		}
	}
	family(f, "cordon_dataplane_build_info", "gauge",
	       "The dataplane's software version, as a label.");
	for (size_t i = 0; i < st->n_dataplanes; i++) {
		fputs("cordon_dataplane_build_info{dataplane=\"", f);
		lv(f, st->dataplanes[i]->dataplane_id);
		fputs("\",version=\"", f);
		lv(f, st->dataplanes[i]->sw_version);
		fputs("\"} 1\n", f);
	}
	family(f, "cordon_port_link_up", "gauge", "1 while the link is up.");
	for (size_t i = 0; i < st->n_dataplanes; i++)
		for (size_t p = 0; p < st->dataplanes[i]->n_ports; p++) {
			const Cordon__PortInfo *pi = st->dataplanes[i]->ports[p];

			fputs("cordon_port_link_up{dataplane=\"", f);
			lv(f, st->dataplanes[i]->dataplane_id);
			fprintf(f, "\",port=\"%u\",name=\"", pi->port_id);
			lv(f, pi->name);
			fprintf(f, "\"} %d\n", pi->link_up ? 1 : 0);
		}
	family(f, "cordon_port_speed_bytes", "gauge",
	       "Link speed in bytes per second (0: unknown).");
	for (size_t i = 0; i < st->n_dataplanes; i++)
		for (size_t p = 0; p < st->dataplanes[i]->n_ports; p++) {
			const Cordon__PortInfo *pi = st->dataplanes[i]->ports[p];

			fputs("cordon_port_speed_bytes{dataplane=\"", f);
			lv(f, st->dataplanes[i]->dataplane_id);
			fprintf(f, "\",port=\"%u\",name=\"", pi->port_id);
			lv(f, pi->name);
			fprintf(f, "\"} %" PRIu64 "\n",
				(uint64_t)pi->speed_mbps * 125000);
		}
}

static void
write_reports(FILE *f, const Cordon__StatsReply *stats)
{
	/* The other named counters, each its own family; the first report
	 * that has one names it. */
	const char **seen = NULL;
	size_t n_seen = 0;

	for (size_t m = 0; m < sizeof(port_metrics) / sizeof(port_metrics[0]);
	     m++) {
		family(f, port_metrics[m].name, "counter", port_metrics[m].help);
		EACH_LIVE(stats, r)
			for (size_t p = 0; p < r->n_ports; p++) {
				fprintf(f, "%s{dataplane=\"", port_metrics[m].name);
				lv(f, r->dataplane_id);
				fprintf(f, "\",port=\"%u\",name=\"",
					r->ports[p]->port_id);
				lv(f, r->ports[p]->name);
				fprintf(f, "\"} %" PRIu64 "\n",
					field_u64(r->ports[p],
						  port_metrics[m].off));
			}
	}
	for (size_t m = 0; m < sizeof(worker_metrics) /
	     sizeof(worker_metrics[0]); m++) {
		family(f, worker_metrics[m].name, "counter",
		       worker_metrics[m].help);
		EACH_LIVE(stats, r)
			for (size_t w = 0; w < r->n_workers; w++) {
				fprintf(f, "%s{dataplane=\"",
					worker_metrics[m].name);
				lv(f, r->dataplane_id);
				fprintf(f, "\",worker=\"%u\",lcore=\"%u\"} %"
					PRIu64 "\n", r->workers[w]->worker_id,
					r->workers[w]->lcore_id,
					field_u64(r->workers[w],
						  worker_metrics[m].off));
			}
	}
	family(f, "cordon_worker_idle_sleep_seconds_total", "counter",
	       "Time the worker slept with its queues empty (--idle-sleep).");
	EACH_LIVE(stats, r)
		for (size_t w = 0; w < r->n_workers; w++) {
			fputs("cordon_worker_idle_sleep_seconds_total"
			      "{dataplane=\"", f);
			lv(f, r->dataplane_id);
			fprintf(f, "\",worker=\"%u\",lcore=\"%u\"} %.6f\n",
				r->workers[w]->worker_id,
				r->workers[w]->lcore_id,
				(double)r->workers[w]->idle_sleep_us / 1e6);
		}
	family(f, "cordon_worker_dropped_packets_total", "counter",
	       "Packets a worker dropped, by reason (reasons it has used).");
	EACH_LIVE(stats, r)
		for (size_t w = 0; w < r->n_workers; w++)
			for (size_t k = 0; k < r->workers[w]->n_drop_reasons;
			     k++) {
				const Cordon__Counter *c =
					r->workers[w]->drop_reasons[k];

				fputs("cordon_worker_dropped_packets_total"
				      "{dataplane=\"", f);
				lv(f, r->dataplane_id);
				fprintf(f, "\",worker=\"%u\",reason=\"",
					r->workers[w]->worker_id);
				lv(f, c->name);
				fprintf(f, "\"} %" PRIu64 "\n", c->value);
			}
	family(f, "cordon_dataplane_dropped_packets_total", "counter",
	       "Packets the dataplane dropped, by reason (every reason).");
	EACH_LIVE(stats, r)
		for (size_t k = 0; k < r->n_counters; k++) {
			if (!is_drop(r->counters[k]->name))
				continue;
			fputs("cordon_dataplane_dropped_packets_total"
			      "{dataplane=\"", f);
			lv(f, r->dataplane_id);
			fputs("\",reason=\"", f);
			lv(f, r->counters[k]->name);
			fprintf(f, "\"} %" PRIu64 "\n", r->counters[k]->value);
		}
	EACH_LIVE(stats, r)
		for (size_t k = 0; k < r->n_counters; k++) {
			const char *name = r->counters[k]->name;
			bool done = is_drop(name);

			for (size_t i = 0; i < n_seen && !done; i++)
				done = strcmp(seen[i], name) == 0;
			if (done)
				continue;
			{
				const char **ns = realloc(seen, (n_seen + 1) *
							  sizeof(*ns));

				if (ns == NULL)
					break;
				seen = ns;
				seen[n_seen++] = name;
			}
			fputs("# HELP cordon_dataplane_", f);
			np(f, name);
			fprintf(f, "_total The dataplane's %s counter.\n"
				"# TYPE cordon_dataplane_", name);
			np(f, name);
			fputs("_total counter\n", f);
			EACH_LIVE(stats, r2)
				for (size_t k2 = 0; k2 < r2->n_counters; k2++) {
					if (strcmp(r2->counters[k2]->name,
						   name) != 0)
						continue;
					fputs("cordon_dataplane_", f);
					np(f, name);
					fputs("_total{dataplane=\"", f);
					lv(f, r2->dataplane_id);
					fprintf(f, "\"} %" PRIu64 "\n",
						r2->counters[k2]->value);
				}
		}
	free(seen);
}

void
cons_metrics_write(FILE *f, struct cons_server *s,
		   const Cordon__StatusReply *st,
		   const Cordon__StatsReply *stats,
		   const Cordon__PolicyHistory *hist)
{
	static const char *const cls[] = { "", "1xx", "2xx", "3xx", "4xx",
					   "5xx" };
	struct cons_auth *a = &s->auth;

	family(f, "cordon_console_build_info", "gauge",
	       "The console's version, as a label.");
	fprintf(f, "cordon_console_build_info{version=\"%s\"} 1\n",
		CORDON_VERSION);
	family(f, "cordon_console_http_responses_total", "counter",
	       "HTTP answers the console gave, by status class.");
	for (int c = 1; c <= 5; c++)
		fprintf(f, "cordon_console_http_responses_total{code=\"%s\"} %"
			PRIu64 "\n", cls[c], __atomic_load_n(&s->responses[c],
							  __ATOMIC_RELAXED));
	pthread_mutex_lock(&a->lock);
	family(f, "cordon_console_logins_total", "counter",
	       "Login attempts, by outcome.");
	fprintf(f, "cordon_console_logins_total{result=\"ok\"} %" PRIu64 "\n"
		"cordon_console_logins_total{result=\"failed\"} %" PRIu64 "\n"
		"cordon_console_logins_total{result=\"throttled\"} %" PRIu64
		"\n", a->logins_ok, a->logins_failed, a->logins_throttled);
	pthread_mutex_unlock(&a->lock);
	pthread_mutex_lock(&s->hist.lock);
	family(f, "cordon_console_chart_devices_total", "counter",
	       "Devices the charts met with every slot taken: left without a "
	       "chart, or given the slot of one unsampled for a window.");
	fprintf(f, "cordon_console_chart_devices_total{outcome=\"untracked\"} %"
		PRIu64 "\ncordon_console_chart_devices_total{outcome="
		"\"replaced\"} %" PRIu64 "\n", s->hist.devices_untracked,
		s->hist.devices_replaced);
	pthread_mutex_unlock(&s->hist.lock);
	family(f, "cordon_console_sessions", "gauge", "Live sessions.");
	fprintf(f, "cordon_console_sessions %u\n",
		cons_auth_sessions(a, util_time_now_ms()));
	family(f, "cordon_console_csrf_refused_total", "counter",
	       "State-changing requests refused for a missing or wrong CSRF "
	       "token or origin.");
	fprintf(f, "cordon_console_csrf_refused_total %" PRIu64 "\n",
		__atomic_load_n(&s->csrf_refused, __ATOMIC_RELAXED));
	family(f, "cordon_console_forbidden_total", "counter",
	       "Actions refused because the user's role may only look.");
	fprintf(f, "cordon_console_forbidden_total %" PRIu64 "\n",
		__atomic_load_n(&s->role_refused, __ATOMIC_RELAXED));
	family(f, "cordon_console_event_streams", "gauge",
	       "Live event streams (server-sent events).");
	fprintf(f, "cordon_console_event_streams %" PRIu64 "\n",
		__atomic_load_n(&s->sse_now, __ATOMIC_RELAXED));
	family(f, "cordon_console_cordond_requests_total", "counter",
	       "Requests the console sent to cordond.");
	fprintf(f, "cordon_console_cordond_requests_total %" PRIu64 "\n",
		__atomic_load_n(&s->cl.calls, __ATOMIC_RELAXED));
	family(f, "cordon_console_cordond_failures_total", "counter",
	       "Requests to cordond that got no valid answer.");
	fprintf(f, "cordon_console_cordond_failures_total %" PRIu64 "\n",
		__atomic_load_n(&s->cl.failures, __ATOMIC_RELAXED));

	family(f, "cordon_cordond_up", "gauge",
	       "1 when cordond answered this scrape.");
	fprintf(f, "cordon_cordond_up %d\n", st != NULL);
	/* Threat detection (issue 13) will fill these; the family is here
	 * so dashboards and alert rules can be written now. */
	family(f, "cordon_detector_alerts_total", "counter",
	       "Alerts raised, by detector (none before threat detection).");
	if (st == NULL)
		return;
	family(f, "cordon_cordond_build_info", "gauge",
	       "cordond's version, as a label.");
	fputs("cordon_cordond_build_info{version=\"", f);
	lv(f, st->server_version);
	fputs("\"} 1\n", f);
	family(f, "cordon_cordond_uptime_seconds", "gauge", "cordond's uptime.");
	fprintf(f, "cordon_cordond_uptime_seconds %.3f\n",
		(double)st->uptime_ms / 1000);
	family(f, "cordon_policy_version", "gauge",
	       "The policy version cordond hands out (0: none).");
	fprintf(f, "cordon_policy_version %" PRIu64 "\n", st->policy_version);
	if (hist != NULL && hist->n_versions > 0) {
		family(f, "cordon_policy_created_timestamp_seconds", "gauge",
		       "When the newest policy version was made.");
		fprintf(f, "cordon_policy_created_timestamp_seconds %.3f\n",
			(double)hist->versions[0]->created_unix_ms / 1000);
	}
	for (size_t i = 0; i < st->n_counters; i++) {
		fputs("# HELP cordon_cordond_", f);
		np(f, st->counters[i]->name);
		fprintf(f, "_total cordond's %s counter.\n# TYPE "
			"cordon_cordond_", st->counters[i]->name);
		np(f, st->counters[i]->name);
		fputs("_total counter\ncordon_cordond_", f);
		np(f, st->counters[i]->name);
		fprintf(f, "_total %" PRIu64 "\n", st->counters[i]->value);
	}
	write_dataplanes(f, st);
	write_reports(f, stats);
	write_devices(f, s, stats);
}

int
cons_metrics_send(struct cons_req *r)
{
	Cordon__StatusRequest sr = CORDON__STATUS_REQUEST__INIT;
	Cordon__StatsRequest tr = CORDON__STATS_REQUEST__INIT;
	Cordon__PolicyHistoryRequest hr = CORDON__POLICY_HISTORY_REQUEST__INIT;
	struct wire_msg st = { 0 }, stats = { 0 }, hist = { 0 };
	struct wire_err err;
	bool have_st, have_stats, have_hist;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	have_st = cons_client_call(&r->srv->cl,
				   CORDON__MSG_TYPE__MSG_STATUS_REQUEST,
				   &sr.base, CORDON__MSG_TYPE__MSG_STATUS_REPLY,
				   &st, &err) == 0;
	tr.dataplane_id = (char *)"";
	have_stats = have_st && cons_client_call(&r->srv->cl,
				   CORDON__MSG_TYPE__MSG_STATS_REQUEST,
				   &tr.base, CORDON__MSG_TYPE__MSG_STATS_REPLY,
				   &stats, &err) == 0;
	hr.limit = 1;
	have_hist = have_st && cons_client_call(&r->srv->cl,
				   CORDON__MSG_TYPE__MSG_POLICY_HISTORY,
				   &hr.base,
				   CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY,
				   &hist, &err) == 0;
	f = open_memstream(&buf, &len);
	if (f != NULL) {
		cons_metrics_write(f, r->srv, have_st ?
				   (const Cordon__StatusReply *)st.payload : NULL,
				   have_stats ? (const Cordon__StatsReply *)
				   stats.payload : NULL, have_hist ?
				   (const Cordon__PolicyHistory *)hist.payload :
				   NULL);
		fclose(f);
	}
	if (have_st)
		wire_msg_free(&st);
	if (have_stats)
		wire_msg_free(&stats);
	if (have_hist)
		wire_msg_free(&hist);
	if (buf == NULL)
		return cons_send_error(r, 500, "out of memory");
	rc = cons_send_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8",
			     buf, len, false, NULL);
	free(buf);
	return rc;
}
