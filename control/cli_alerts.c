/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl alerts: what the dataplanes' detectors raised, from the store. */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "cli.h"
#include "cli_log.h"
#include "det_envelope.h"
#include "util_mac.h"

static const char *
cli_alerts_addr(const ProtobufCBinaryData *b, char buf[INET6_ADDRSTRLEN])
{
	if (b->len == 4 || b->len == 16)
		return inet_ntop(b->len == 4 ? AF_INET : AF_INET6, b->data, buf,
				 INET6_ADDRSTRLEN);
	return "?";
}

/* Two lines an alert, then one a packet counted first. Its times run from
 * the first packet the detector counted, which may be an ordinary one that
 * came before the offence (a gateway ARP counted as a scan's target). */
static void
cli_alerts_show(const Cordon__StoredAlert *s)
{
	const Cordon__Alert *a = s->alert;
	const Cordon__AlertEvidence *e = a->evidence;
	char when[32], x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];

	printf("%6" PRIu64 "  %s  %-16s %s  %-15s %s", s->id,
	       cli_fmt_time(a->detected_unix_us / 1000, when, true),
	       s->dataplane_id, cli_mac_str(&a->mac), a->detector, a->action);
	if (a->contained && a->contained_unix_us >= a->first_unix_us &&
	    a->contained_unix_us != 0)
		printf(", contained %.1f ms after the first packet counted",
		       (double)(a->contained_unix_us - a->first_unix_us) /
		       1000.0);
	else if (a->contained)
		printf(", in quarantine already");
	if (s->policy_version != 0)
		printf(", held by policy %" PRIu64, s->policy_version);
	if (a->note[0] != '\0')
		printf(" (%s)", a->note);
	putchar('\n');
	if (e == NULL)
		return;
	printf("        %" PRIu64 " %s on %s (threshold %" PRIu64,
	       e->count, e->what, e->key, e->threshold);
	if (e->window_ms != 0)
		printf(" in %.0f s", (double)e->window_ms / 1000.0);
	printf("), detected %.1f ms after the first", (double)
	       (a->detected_unix_us - a->first_unix_us) / 1000.0);
	for (size_t i = 0; i < e->n_details; i++)
		printf(" %s=%s", e->details[i]->key, e->details[i]->value);
	putchar('\n');
	for (size_t i = 0; i < e->n_packets; i++) {
		const Cordon__AlertPacket *p = e->packets[i];

		printf("        %s  proto %u  %s:%u -> %s:%u\n",
		       cli_fmt_time(p->time_unix_us / 1000, when, true),
		       p->ip_proto, cli_alerts_addr(&p->src, x), p->sport,
		       cli_alerts_addr(&p->dst, y), p->dport);
	}
}

/* One envelope, decoded here (a bad one is said, not trusted). */
static void
cli_alerts_envelope(const Cordon__DeviceEnvelope *e)
{
	static const char *const src[] = { "learned", "mud", "stored" };
	struct det_envelope env;
	char when[32], err[128];

	if (det_envelope_decode(&env, e->data.data, e->data.len, err,
				sizeof(err)) < 0) {
		printf("  envelope  unreadable (%s)\n", err);
		return;
	}
	printf("  envelope  %s, %s by %s, stored %s:", env.state ==
	       DET_ENV_COMPLETE ? "complete" : "learning",
	       env.source < 3 ? src[env.source] : "?", e->dataplane_id,
	       cli_fmt_time(e->stored_unix_ms, when, true));
	for (int i = 0; i < DET_ENV_NSETS; i++)
		printf(" %s %u%s", det_env_set_name((enum det_env_set)i),
		       env.set[i].n, env.set[i].open ? "+ (open)" : "");
	putchar('\n');
}

int
cli_alerts_device(struct cli *c, const uint8_t mac[6])
{
	Cordon__EnvelopesRequest eq = CORDON__ENVELOPES_REQUEST__INIT;
	Cordon__AlertsRequest aq = CORDON__ALERTS_REQUEST__INIT;
	const Cordon__Envelopes *ev;
	const Cordon__Alerts *al;
	struct wire_msg reply;
	int rc;

	eq.mac.data = aq.mac.data = (uint8_t *)(uintptr_t)mac;
	eq.mac.len = aq.mac.len = 6;
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST, &eq.base,
		      CORDON__MSG_TYPE__MSG_ENVELOPES, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	ev = (const Cordon__Envelopes *)reply.payload;
	if (ev->n_envelopes == 0)
		printf("  envelope  none stored yet\n");
	for (size_t i = 0; i < ev->n_envelopes; i++)
		cli_alerts_envelope(ev->envelopes[i]);
	wire_msg_free(&reply);
	/* The newest page, and how many there are in all. */
	aq.newest = true;
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, &aq.base,
		      CORDON__MSG_TYPE__MSG_ALERTS, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	al = (const Cordon__Alerts *)reply.payload;
	if (al->n_alerts < al->total)
		printf("  alerts    %" PRIu64 ", the latest %zu (cordonctl "
		       "alerts --device %s --all for every one, with the "
		       "evidence):\n", al->total, al->n_alerts,
		       util_mac_str(mac));
	else
		printf("  alerts    %zu%s\n", al->n_alerts, al->n_alerts ?
		       " (cordonctl alerts --device for the evidence):" : "");
	for (size_t i = 0; i < al->n_alerts; i++) {
		const Cordon__Alert *a = al->alerts[i]->alert;
		char when[32];

		if (a == NULL)
			continue;
		printf("    %" PRIu64 "  %s  %s, %s%s\n", al->alerts[i]->id,
		       cli_fmt_time(a->detected_unix_us / 1000, when, true),
		       a->detector, a->action, a->contained ?
		       ", contained" : "");
	}
	wire_msg_free(&reply);
	return CLI_EXIT_OK;
}

/* One alert as text (cli_alerts_show()). */
static void
cli_alerts_item(struct cli *c, const ProtobufCMessage *item)
{
	const Cordon__StoredAlert *s = (const Cordon__StoredAlert *)item;

	(void)c;
	if (s->alert != NULL)
		cli_alerts_show(s);
}

static const struct cli_log cli_alerts_log = {
	.name = "alerts",
	.noun = "alert",
	.req_type = CORDON__MSG_TYPE__MSG_ALERTS_REQUEST,
	.reply_type = CORDON__MSG_TYPE__MSG_ALERTS,
	.req = &cordon__alerts_request__descriptor,
	.reply = &cordon__alerts__descriptor,
	.show = cli_alerts_item,
};

static int
cli_alerts_run(struct cli *c, int argc, char **argv)
{
	const char *device = NULL;
	const struct cli_opt opts[] = {
		{ "--device", NULL, &device, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__AlertsRequest req = CORDON__ALERTS_REQUEST__INIT;
	struct cli_log_ask a;
	uint8_t mac[6];
	int rc;

	rc = cli_log_args(c, &cli_alerts_log, argc, argv, opts, &a);
	if (rc != CLI_EXIT_OK)
		return rc;
	rc = cli_mac_field("alerts --device", device, mac, &req.mac);
	if (rc != CLI_EXIT_OK)
		return rc;
	return cli_log_run(c, &cli_alerts_log, &a, &req.base);
}

CLI_COMMAND(alerts, "[--last N | --all | --before ID | --since ID] [--follow] "
	"[--device MAC]",
	"what the detectors raised",
	"The alerts the dataplanes' detectors raised, oldest first: when,\n"
	"which dataplane, the device, the detector and what the policy made\n"
	"of it (alert, quarantine, ask), whether the dataplane contained the\n"
	"device and how long after the first packet, the policy version that\n"
	"holds it, then the evidence: what was counted against which\n"
	"threshold and the first packets. By default the latest 20 (--last N:\n"
	"N, up to 1000; --all: every one; --before ID: those older than alert\n"
	"ID), and a line says when there are more; --since ID: every one\n"
	"after alert ID; --device MAC: that device's only. --follow then\n"
	"keeps printing new ones, and rides out a cordond that is busy or\n"
	"restarting (said on stderr, asked again every second, on after the\n"
	"last alert printed). --json prints one object, the alerts and\n"
	"\"total\" (how many there are in all); with --follow, one object per\n"
	"alert and line.");
