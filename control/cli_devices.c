/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl devices and device: what the dataplanes found of their
 * devices (their latest reports; cordond's stored inventory until one has
 * reported since it started).
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "ctl_pbjson.h"
#include "ctl_table.h"
#include "evidence.h"
#include "util_mac.h"

/* "sslv2-hello, rc4-ciphers" (a rotating buffer), "" when none */
static const char *
cli_devices_tls(const Cordon__DeviceIdentity *id)
{
	static __thread char buf[2][160];
	static __thread unsigned int next;
	char *b = buf[next++ % 2];
	size_t len = 0;

	b[0] = '\0';
	for (size_t i = 0; i < id->n_tls_obsolete && len < 160; i++)
		len += (size_t)snprintf(b + len, 160 - len, "%s%s",
					i ? ", " : "", id->tls_obsolete[i]);
	return b;
}

/* "value (conf%)" or "": a table row holds five at once, from a ring of
 * eight buffers */
static const char *
cli_devices_attr(const char *v, uint32_t conf)
{
	static __thread char buf[8][160];
	static __thread unsigned int next;
	char *b = buf[next++ % 8];

	if (v == NULL || v[0] == '\0')
		return "";
	snprintf(b, 160, "%s (%u%%)", v, conf);
	return b;
}

/*
 * Every device of every dataplane, from their latest reports, for
 * `devices` or (mac set) `device MAC`.
 */
static int
cli_devices_fetch(struct cli *c, int argc, char **argv, uint8_t *mac,
		  struct wire_msg *reply)
{
	Cordon__StatsRequest req = CORDON__STATS_REQUEST__INIT;
	const char *what = mac != NULL ? "device" : "devices";
	char *pos = NULL;
	int rc;

	rc = cli_args(c, what, argc, argv, NULL, &pos, mac != NULL);
	if (rc == CLI_EXIT_OK && mac != NULL)
		rc = cli_mac(what, pos, mac);
	if (rc != CLI_EXIT_OK)
		return rc;
	req.dataplane_id = (char *)"";
	return cli_call(c, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &req.base,
			CORDON__MSG_TYPE__MSG_STATS_REPLY, reply);
}

/* A device as JSON, with the dataplane that reported it. */
static json_t *
cli_devices_json(const Cordon__StatsReport *r, const Cordon__DeviceStats *d)
{
	json_t *o = ctl_pbjson(&d->base);

	json_object_set_new(o, "dataplane_id", json_string(r->dataplane_id));
	return o;
}

/* Below the table: why a device is not where its type would put it, and
 * what is obsolete in its TLS. */
static void
cli_devices_notes(const Cordon__StatsReply *st)
{
	printf("\n");
	for (size_t i = 0; i < st->n_reports; i++)
		for (size_t j = 0; j < st->reports[i]->n_devices; j++) {
			const Cordon__DeviceStats *d =
				st->reports[i]->devices[j];

			if (d->segment_note[0] != '\0')
				printf("%s  segment: %s\n",
				       cli_mac_str(&d->mac), d->segment_note);
			if (d->identity != NULL &&
			    d->identity->n_tls_obsolete > 0)
				printf("%s  obsolete TLS: %s\n",
				       cli_mac_str(&d->mac),
				       cli_devices_tls(d->identity));
		}
}

static int
cli_devices_run(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"DEVICE", ">VLAN", "DATAPLANE", "SEGMENT", "VENDOR", "TYPE",
		"OS", "MODEL", "FIRMWARE", "TLS", ">FLOWS", ">ALLOWED",
		">DENIED", "ADDRESSES", NULL,
	};
	static const Cordon__DeviceIdentity no_identity =
		CORDON__DEVICE_IDENTITY__INIT;
	const Cordon__StatsReply *st;
	struct wire_msg reply;
	struct ctl_table t;
	json_t *out = NULL;
	size_t n = 0, n_notes = 0;
	int rc;

	rc = cli_devices_fetch(c, argc, argv, NULL, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	st = (const Cordon__StatsReply *)reply.payload;
	if (c->json)
		out = json_array();
	else
		ctl_table_init(&t, head);
	for (size_t i = 0; i < st->n_reports; i++) {
		const Cordon__StatsReport *r = st->reports[i];

		for (size_t j = 0; j < r->n_devices; j++) {
			const Cordon__DeviceStats *d = r->devices[j];
			const Cordon__DeviceIdentity *id = d->identity ?
				d->identity : &no_identity;
			char addrs[160] = "";

			n++;
			if (c->json) {
				json_array_append_new(out,
						      cli_devices_json(r, d));
				continue;
			}
			for (size_t a = 0; a < d->n_addresses && a < 3; a++) {
				char one[64];
				int fam = d->addresses[a].len == 4 ? AF_INET :
					AF_INET6;

				if (inet_ntop(fam, d->addresses[a].data, one,
					      sizeof(one)) == NULL)
					continue;
				if (addrs[0] != '\0')
					strncat(addrs, " ", sizeof(addrs) -
						strlen(addrs) - 1);
				strncat(addrs, one, sizeof(addrs) -
					strlen(addrs) - 1);
			}
			const char *row[] = {
				cli_mac_str(&d->mac), ctl_fmt_u64(d->vlan),
				r->dataplane_id, d->segment_name,
				cli_devices_attr(id->vendor,
						 id->vendor_confidence),
				cli_devices_attr(id->type, id->type_confidence),
				cli_devices_attr(id->os, id->os_confidence),
				cli_devices_attr(id->model,
						 id->model_confidence),
				cli_devices_attr(id->firmware,
						 id->firmware_confidence),
				id->n_tls_obsolete ? "obsolete" : "",
				ctl_fmt_u64(d->flows),
				ctl_fmt_u64(d->allowed_packets),
				ctl_fmt_u64(d->denied_packets), addrs,
			};
			ctl_table_row(&t, row);
			n_notes += d->segment_note[0] != '\0' ||
				id->n_tls_obsolete > 0;
		}
	}
	if (c->json) {
		cli_json_out(out, JSON_INDENT(2));
	} else {
		bool stored = st->n_reports > 0 &&
			cli_stats_from_store(st->reports[0]);

		printf("%zu device%s%s\n\n", n, n == 1 ? "" : "s", stored ?
		       " (stored: no dataplane has reported since cordond "
		       "started)" : "");
		if (n > 0)
			ctl_table_print(stdout, &t);
		ctl_table_free(&t);
		if (n_notes > 0)
			cli_devices_notes(st);
	}
	wire_msg_free(&reply);
	return CLI_EXIT_OK;
}

/* "vendor Philips 60%  dhcp dhcp_vendor "udhcp 1.2" [rule]" */
static void
cli_device_evidence(bool first, const Cordon__Evidence *e)
{
	printf("  %-9s %s %s %u%%  %s", first ? "evidence" : "",
	       evidence_field_name(e->field), e->value, e->confidence,
	       evidence_source_name(e->source));
	if (e->method[0] != '\0')
		printf(" %s", e->method);
	if (e->clue[0] != '\0' && strcmp(e->clue, e->value) != 0)
		printf(" \"%s\"", e->clue);
	if (e->signature_id[0] != '\0')
		printf(" [%s]", e->signature_id);
	putchar('\n');
}

static void
cli_device_print(const char *dp_id, const Cordon__DeviceStats *d)
{
	const Cordon__DeviceIdentity *id = d->identity;
	const Cordon__BehaviourSummary *b = d->behaviour;

	printf("device %s  vlan %u  on %s, port %u\n", cli_mac_str(&d->mac),
	       d->vlan, dp_id, d->port_id);
	if (d->segment != 0)
		printf("  segment   %s (%u)\n", d->segment_name, d->segment);
	if (d->segment_note[0] != '\0')
		printf("  why       %s\n", d->segment_note);
	for (size_t a = 0; a < d->n_addresses; a++) {
		char one[64];

		if (inet_ntop(d->addresses[a].len == 4 ? AF_INET : AF_INET6,
			      d->addresses[a].data, one, sizeof(one)))
			printf("  address   %s\n", one);
	}
	if (id != NULL) {
		printf("  vendor    %s\n",
		       cli_devices_attr(id->vendor, id->vendor_confidence));
		printf("  type      %s\n",
		       cli_devices_attr(id->type, id->type_confidence));
		printf("  os        %s\n",
		       cli_devices_attr(id->os, id->os_confidence));
		printf("  model     %s\n",
		       cli_devices_attr(id->model, id->model_confidence));
		printf("  firmware  %s\n",
		       cli_devices_attr(id->firmware,
					id->firmware_confidence));
		if (id->n_tls_obsolete > 0)
			printf("  tls       obsolete: %s\n",
			       cli_devices_tls(id));
		if (id->hostname[0])
			printf("  hostname  %s\n", id->hostname);
		if (id->mud_url[0])
			printf("  mud url   %s\n", id->mud_url);
		if (id->dhcp_params[0])
			printf("  dhcp 55   %s\n", id->dhcp_params);
		for (size_t i = 0; i < id->n_evidence; i++)
			cli_device_evidence(i == 0, id->evidence[i]);
	}
	printf("  traffic   %" PRIu64 " flows started; sent %" PRIu64
	       " packets allowed, %" PRIu64 " denied; received %" PRIu64
	       "\n", d->flows, d->allowed_packets, d->denied_packets,
	       d->received_packets);
	if (b != NULL)
		printf("  last %s: %" PRIu64 " flows, %" PRIu64 "/%" PRIu64
		       " packets out/in, %" PRIu64 "/%" PRIu64 " bytes, %"
		       PRIu64 " denied, %u destinations, %u ports%s\n",
		       ctl_fmt_duration_ms(b->interval_ms), b->flows,
		       b->packets_out, b->packets_in, b->bytes_out, b->bytes_in,
		       b->denied, b->distinct_destinations, b->distinct_ports,
		       b->approximate ? " (estimated)" : "");
}

static int
cli_device_run(struct cli *c, int argc, char **argv)
{
	const Cordon__StatsReply *st;
	struct wire_msg reply;
	uint8_t mac[6];
	int rc, found = 0;

	rc = cli_devices_fetch(c, argc, argv, mac, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	st = (const Cordon__StatsReply *)reply.payload;
	for (size_t i = 0; i < st->n_reports; i++) {
		const Cordon__StatsReport *r = st->reports[i];

		for (size_t j = 0; j < r->n_devices; j++) {
			const Cordon__DeviceStats *d = r->devices[j];

			if (d->mac.len != 6 || memcmp(d->mac.data, mac, 6))
				continue;
			if (c->json)
				cli_json_out(cli_devices_json(r, d),
					     JSON_INDENT(2));
			else
				cli_device_print(r->dataplane_id, d);
			found++;
		}
	}
	wire_msg_free(&reply);
	if (found == 0) {
		fprintf(stderr, "cordonctl: no device %s\n",
			util_mac_str(mac));
		return CLI_EXIT_FAILED;
	}
	return c->json ? CLI_EXIT_OK : cli_alerts_device(c, mac);
}

CLI_COMMAND(devices, "", "devices seen, what they are and what they did",
	"Every device the dataplanes have seen: its identity from passive\n"
	"fingerprinting (vendor, type, OS, model, firmware, each with a\n"
	"confidence; TLS \"obsolete\" when it offers SSLv2-compatible hellos,\n"
	"SSL 3.0 or TLS 1.0 at most, export, RC4 or NULL ciphers), flows it\n"
	"started, packets allowed and denied, and its addresses. Notes below\n"
	"the table say why a device a type: selector names is not in that\n"
	"segment (its type's confidence is below what the policy asks) and\n"
	"what is obsolete in its TLS.\n\n"
	"  --json   everything, evidence and behaviour summaries included");

CLI_COMMAND(device, "MAC", "one device in detail",
	"A device's identity (vendor, type, OS, model, firmware, obsolete\n"
	"TLS) with the evidence behind each, why it is in its segment when a\n"
	"type: selector held it back, its addresses, its traffic, its\n"
	"behaviour in the last complete interval, its behaviour envelope\n"
	"(what it did while learning, as stored) and its alerts.\n\n"
	"  --json   machine-readable output");
