/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl: the operator CLI. One request to cordond per invocation.
 *
 * Exit codes (also in --help and the README):
 *   0  success
 *   1  cordond answered with an error, or the request failed
 *   2  usage error (bad command, option or argument)
 *   3  cordond is unreachable or did not answer in time
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

#include "cli_policy.h"
#include "ctl_file.h"
#include "ctl_inventory.h"
#include "ctl_pbjson.h"
#include "ctl_sign.h"
#include "ctl_table.h"
#include "endpoint.h"
#include "policy.h"
#include "wire_nng.h"

/* Largest policy or MUD file (or signature) cordonctl sends. */
#define CLI_FILE_MAX (16u << 20)

enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNREACHABLE = 3,
};

struct cli {
	char url[PATH_MAX + 16];
	uint32_t timeout_ms;
	bool json;
	nng_socket sock;
	bool open;
};

struct cli_cmd {
	const char *name;
	const char *args;
	const char *summary;
	const char *help;
	int (*run)(struct cli *c, int argc, char **argv);
};

static const struct cli_cmd *cli_find(const char *name);

static int __attribute__((format(printf, 1, 2)))
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("cordonctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see cordonctl --help)\n", stderr);
	return EXIT_USAGE;
}

static uint64_t
cli_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static int
cli_connect(struct cli *c)
{
	int rv;

	rv = nng_req0_open(&c->sock);
	if (rv != 0) {
		fprintf(stderr, "cordonctl: %s\n", nng_strerror(rv));
		return EXIT_FAILED;
	}
	c->open = true;
	nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, c->timeout_ms);
	nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, c->timeout_ms);
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, WIRE_MAX_MSG);
	/* Blocking dial: fail now, not after the timeout, if nobody is there. */
	rv = nng_dial(c->sock, c->url, NULL, 0);
	if (rv != 0) {
		fprintf(stderr, "cordonctl: cannot reach cordond at %s: %s "
			"(is cordond running?)\n", c->url, nng_strerror(rv));
		return EXIT_UNREACHABLE;
	}
	return EXIT_OK;
}

/*
 * One request, one reply of the expected type. On success *reply holds it;
 * otherwise a line is printed and the exit code returned.
 */
static int
cli_call(struct cli *c, Cordon__MsgType type, const ProtobufCMessage *req,
	 Cordon__MsgType want, struct wire_msg *reply)
{
	struct wire_err err;
	int rc;

	rc = cli_connect(c);
	if (rc != EXIT_OK)
		return rc;
	rc = wire_nng_call(c->sock, type, cli_now_ms(), req, reply, &err);
	if (rc == -ETIMEDOUT) {
		fprintf(stderr, "cordonctl: cordond at %s did not answer "
			"within %u ms\n", c->url, c->timeout_ms);
		return EXIT_UNREACHABLE;
	}
	if (rc < 0) {
		fprintf(stderr, "cordonctl: bad reply from cordond: %s\n",
			err.text[0] ? err.text : strerror(-rc));
		return EXIT_FAILED;
	}
	if (reply->type == CORDON__MSG_TYPE__MSG_ERROR) {
		const Cordon__Error *e = (const Cordon__Error *)reply->payload;

		fprintf(stderr, "cordonctl: cordond: %s (%s)\n", e->message,
			wire_err_name(e->code));
		wire_msg_free(reply);
		return EXIT_FAILED;
	}
	if (reply->type != want) {
		fprintf(stderr, "cordonctl: unexpected %s from cordond\n",
			wire_type_name(reply->type));
		wire_msg_free(reply);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static void
cli_print_json(const ProtobufCMessage *m)
{
	json_t *j = ctl_pbjson(m);

	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

/* Parse a command's own options: only --help and --json exist so far. */
static int
cli_cmd_opts(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv,
	     int max_pos, char **pos)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			printf("Usage: cordonctl [global options] %s%s%s\n\n%s\n",
			       cmd->name, cmd->args[0] ? " " : "", cmd->args,
			       cmd->help);
			exit(EXIT_OK);
		} else if (strcmp(argv[i], "--json") == 0) {
			c->json = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_usage_error("%s: unknown option '%s'",
					       cmd->name, argv[i]);
		} else if (n < max_pos) {
			pos[n++] = argv[i];
		} else {
			return cli_usage_error("%s: unexpected argument '%s'",
					       cmd->name, argv[i]);
		}
	}
	return EXIT_OK;
}

static int
cmd_status(struct cli *c, int argc, char **argv)
{
	const Cordon__StatusReply *st;
	struct wire_msg reply;
	Cordon__StatusRequest req = CORDON__STATUS_REQUEST__INIT;
	uint64_t now = cli_now_ms();
	int rc;

	rc = cli_cmd_opts(c, cli_find("status"), argc, argv, 0, NULL);
	if (rc != EXIT_OK)
		return rc;
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_STATUS_REQUEST, &req.base,
		      CORDON__MSG_TYPE__MSG_STATUS_REPLY, &reply);
	if (rc != EXIT_OK)
		return rc;
	st = (const Cordon__StatusReply *)reply.payload;

	if (c->json) {
		cli_print_json(&st->base);
		wire_msg_free(&reply);
		return EXIT_OK;
	}

	printf("cordond %s, up %s, %zu dataplane%s, policy %s\n",
	       st->server_version, ctl_fmt_duration_ms(st->uptime_ms),
	       st->n_dataplanes, st->n_dataplanes == 1 ? "" : "s",
	       st->policy_version ? ctl_fmt_u64(st->policy_version) : "none");
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
				       d->dataplane_id, d->rejected_version,
				       d->rejected_reason);
		}
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
stats_dev_cmp(const void *a, const void *b)
{
	const Cordon__DeviceStats *x = *(Cordon__DeviceStats *const *)a;
	const Cordon__DeviceStats *y = *(Cordon__DeviceStats *const *)b;
	uint64_t nx = x->allowed_packets + x->denied_packets;
	uint64_t ny = y->allowed_packets + y->denied_packets;

	return nx < ny ? 1 : nx > ny ? -1 : 0;
}

#define STATS_TOP_DEVICES 10

/* The busiest devices; --json has them all. */
static void
stats_print_devices(const Cordon__StatsReport *r)
{
	static const char *const head[] = {
		"DEVICE", ">VLAN", ">PORT", ">ALLOWED-PKTS", ">ALLOWED-BYTES",
		">DENIED-PKTS", ">DENIED-BYTES", NULL,
	};
	Cordon__DeviceStats **d;
	struct ctl_table t;
	size_t n = r->n_devices;

	if (n == 0)
		return;
	d = malloc(n * sizeof(*d));
	if (d == NULL)
		return;
	memcpy(d, r->devices, n * sizeof(*d));
	qsort(d, n, sizeof(*d), stats_dev_cmp);
	printf("\n%zu device%s%s:\n", n, n == 1 ? "" : "s",
	       n > STATS_TOP_DEVICES ? ", the busiest" : "");
	ctl_table_init(&t, head);
	for (size_t i = 0; i < n && i < STATS_TOP_DEVICES; i++) {
		char mac[18] = "?";

		if (d[i]->mac.len == 6)
			snprintf(mac, sizeof(mac),
				 "%02x:%02x:%02x:%02x:%02x:%02x",
				 d[i]->mac.data[0], d[i]->mac.data[1],
				 d[i]->mac.data[2], d[i]->mac.data[3],
				 d[i]->mac.data[4], d[i]->mac.data[5]);
		const char *row[] = {
			mac, ctl_fmt_u64(d[i]->vlan), ctl_fmt_u64(d[i]->port_id),
			ctl_fmt_u64(d[i]->allowed_packets),
			ctl_fmt_u64(d[i]->allowed_bytes),
			ctl_fmt_u64(d[i]->denied_packets),
			ctl_fmt_u64(d[i]->denied_bytes),
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
	free(d);
}

static void
stats_print_one(const Cordon__StatsReport *r)
{
	static const char *const port_head[] = {
		">PORT", "NAME", ">RX-PACKETS", ">RX-BYTES", ">TX-PACKETS",
		">TX-BYTES", ">DROPS", ">HW-MISSED", ">HW-ERRORS", NULL,
	};
	static const char *const wk_head[] = {
		">WORKER", ">LCORE", ">RX-PACKETS", ">TX-PACKETS", ">DROPS",
		">BUSY%", NULL,
	};
	struct ctl_table t;
	bool any = false;

	printf("dataplane %s  (report %" PRIu64 ", up %s, policy %" PRIu64
	       ")\n\n", r->dataplane_id, r->seq,
	       ctl_fmt_duration_ms(r->uptime_ms), r->policy_version);

	ctl_table_init(&t, port_head);
	for (size_t i = 0; i < r->n_ports; i++) {
		const Cordon__PortStats *p = r->ports[i];
		const char *row[] = {
			ctl_fmt_u64(p->port_id), p->name,
			ctl_fmt_u64(p->rx_packets), ctl_fmt_u64(p->rx_bytes),
			ctl_fmt_u64(p->tx_packets), ctl_fmt_u64(p->tx_bytes),
			ctl_fmt_u64(p->drops), ctl_fmt_u64(p->hw_rx_missed),
			ctl_fmt_u64(p->hw_rx_errors + p->hw_tx_errors),
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
	putchar('\n');

	ctl_table_init(&t, wk_head);
	for (size_t i = 0; i < r->n_workers; i++) {
		const Cordon__WorkerStats *w = r->workers[i];
		char busy[16];

		snprintf(busy, sizeof(busy), "%.1f", w->polls ?
			 100.0 * (double)w->busy_polls / (double)w->polls : 0);
		const char *row[] = {
			ctl_fmt_u64(w->worker_id), ctl_fmt_u64(w->lcore_id),
			ctl_fmt_u64(w->rx_packets), ctl_fmt_u64(w->tx_packets),
			ctl_fmt_u64(w->drops), busy,
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);

	stats_print_devices(r);

	for (size_t i = 0; i < r->n_counters; i++) {
		if (r->counters[i]->value == 0)
			continue;
		if (!any)
			printf("\ncounters:\n");
		any = true;
		printf("  %-32s %" PRIu64 "\n", r->counters[i]->name,
		       r->counters[i]->value);
	}
}

/* A report cordond made from its stored inventory (no live counters). */
static bool
report_from_store(const Cordon__StatsReport *r)
{
	for (size_t i = 0; i < r->n_counters; i++)
		if (strcmp(r->counters[i]->name, CTL_INV_STORED_COUNTER) == 0)
			return true;
	return false;
}

static int
cmd_stats(struct cli *c, int argc, char **argv)
{
	Cordon__StatsRequest req = CORDON__STATS_REQUEST__INIT;
	const Cordon__StatsReply *st;
	struct wire_msg reply;
	char *id = NULL;
	int rc;

	rc = cli_cmd_opts(c, cli_find("stats"), argc, argv, 1, &id);
	if (rc != EXIT_OK)
		return rc;
	req.dataplane_id = id ? id : (char *)"";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &req.base,
		      CORDON__MSG_TYPE__MSG_STATS_REPLY, &reply);
	if (rc != EXIT_OK)
		return rc;
	st = (const Cordon__StatsReply *)reply.payload;

	if (c->json) {
		cli_print_json(&st->base);
	} else if (st->n_reports == 0 || report_from_store(st->reports[0])) {
		printf("no stats yet: no dataplane has reported\n");
	} else {
		for (size_t i = 0; i < st->n_reports; i++) {
			if (i > 0)
				printf("\n");
			stats_print_one(st->reports[i]);
		}
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static void
policy_print_summary(const Cordon__Policy *p)
{
	size_t n_v4 = 0, n_v6 = 0;

	for (size_t i = 0; i < p->n_local_networks; i++)
		if (p->local_networks[i]->addr.len == 4)
			n_v4++;
		else
			n_v6++;
	printf("policy %" PRIu64 "%s%s\n", p->version,
	       p->comment[0] ? ": " : "", p->comment);
	printf("  segments        %zu (default %u, quarantine %u)\n",
	       p->n_segments, p->default_segment, p->quarantine_segment);
	printf("  devices         %zu assigned, %zu quarantined\n",
	       p->n_devices, p->n_quarantined);
	printf("  rules           %zu\n", p->n_rules);
	printf("  local networks  %zu IPv4, %zu IPv6\n", n_v4, n_v6);
}

static int
cmd_policy_push(struct cli *c, const char *file)
{
	Cordon__Policy *pol = NULL;
	struct wire_msg reply;
	char err[256];
	int rc;

	/* The dataplane's own loader and validator: refuse early. */
	if (policy_load_file(file, &pol, err, sizeof(err)) < 0) {
		/* The loader's message names the file. */
		fprintf(stderr, "cordonctl: %s\n", err);
		return EXIT_FAILED;
	}
	if (policy_validate(pol, err, sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: %s: %s\n", file, err);
		if (pol != NULL)
			cordon__policy__free_unpacked(pol, NULL);
		return EXIT_FAILED;
	}
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY, &pol->base,
		      CORDON__MSG_TYPE__MSG_ACK, &reply);
	cordon__policy__free_unpacked(pol, NULL);
	if (rc != EXIT_OK)
		return rc;
	if (c->json)
		printf("{\"policy_version\": %" PRIu64 "}\n",
		       ((const Cordon__Ack *)reply.payload)->seq);
	else
		printf("policy %" PRIu64 " accepted by cordond; dataplanes "
		       "pick it up now\n",
		       ((const Cordon__Ack *)reply.payload)->seq);
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
cli_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && s[0] != '-' ? 0 :
		-EINVAL;
}

static int
cli_print_ack(struct cli *c, struct wire_msg *reply, const char *what)
{
	uint64_t v = ((const Cordon__Ack *)reply->payload)->seq;

	if (c->json)
		printf("{\"policy_version\": %" PRIu64 "}\n", v);
	else if (v != 0)
		printf("%s: policy %" PRIu64 " in force; dataplanes pick it up "
		       "now\n", what, v);
	else
		printf("%s: recorded; it applies with the first policy\n",
		       what);
	wire_msg_free(reply);
	return EXIT_OK;
}

static int
cmd_policy_apply(struct cli *c, const char *file)
{
	Cordon__PolicyApply a = CORDON__POLICY_APPLY__INIT;
	struct wire_msg reply;
	char err[PATH_MAX + 64];
	char *src;
	size_t len;
	int rc;

	if (ctl_file_read(file, CLI_FILE_MAX, &src, &len, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: %s\n", err);
		return EXIT_FAILED;
	}
	a.source = src;
	a.name = (char *)file;
	a.applied_by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY_APPLY, &a.base,
		      CORDON__MSG_TYPE__MSG_ACK, &reply);
	free(src);
	if (rc != EXIT_OK)
		return rc;
	return cli_print_ack(c, &reply, file);
}

static int
cmd_policy_history(struct cli *c)
{
	static const char *const head[] = {
		">VERSION", "CREATED (UTC)", "BY", ">ROLLBACK OF", "COMMENT",
		NULL,
	};
	Cordon__PolicyHistoryRequest req = CORDON__POLICY_HISTORY_REQUEST__INIT;
	const Cordon__PolicyHistory *h;
	struct wire_msg reply;
	struct ctl_table t;
	int rc;

	rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY_HISTORY, &req.base,
		      CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &reply);
	if (rc != EXIT_OK)
		return rc;
	h = (const Cordon__PolicyHistory *)reply.payload;
	if (c->json) {
		cli_print_json(&h->base);
	} else {
		ctl_table_init(&t, head);
		for (size_t i = 0; i < h->n_versions; i++) {
			const Cordon__PolicyVersion *v = h->versions[i];
			time_t sec = (time_t)(v->created_unix_ms / 1000);
			char when[32];
			struct tm tm;

			gmtime_r(&sec, &tm);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
			const char *row[] = {
				ctl_fmt_u64(v->version), when, v->applied_by,
				v->rollback_of ? ctl_fmt_u64(v->rollback_of) :
					"", v->comment,
			};
			ctl_table_row(&t, row);
		}
		ctl_table_print(stdout, &t);
		ctl_table_free(&t);
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
cmd_policy_rollback(struct cli *c, const char *version)
{
	Cordon__PolicyRollback r = CORDON__POLICY_ROLLBACK__INIT;
	struct wire_msg reply;
	int rc;

	if (cli_u64(version, &r.version) < 0 || r.version == 0)
		return cli_usage_error("policy rollback: '%s' is not a version",
				       version);
	r.applied_by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK, &r.base,
		      CORDON__MSG_TYPE__MSG_ACK, &reply);
	if (rc != EXIT_OK)
		return rc;
	return cli_print_ack(c, &reply, "rollback");
}

static int
cmd_policy_diff(struct cli *c, int argc, char **argv)
{
	Cordon__PolicyDiffRequest r = CORDON__POLICY_DIFF_REQUEST__INIT;
	struct wire_msg reply;
	char *pos[2] = { NULL, NULL };
	int rc;

	rc = cli_cmd_opts(c, cli_find("policy"), argc, argv, 2, pos);
	if (rc != EXIT_OK)
		return rc;
	if (pos[0] == NULL || cli_u64(pos[0], &r.from_version) < 0 ||
	    (pos[1] != NULL && cli_u64(pos[1], &r.to_version) < 0))
		return cli_usage_error("policy diff: FROM [TO] versions");
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY_DIFF, &r.base,
		      CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY, &reply);
	if (rc != EXIT_OK)
		return rc;
	if (c->json)
		cli_print_json(reply.payload);
	else
		fputs(((const Cordon__PolicyDiff *)reply.payload)->diff, stdout);
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
cmd_policy(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return cmd_policy_diff(c, argc - 1, argv + 1);
	/* Offline: no daemon, its own options. */
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return cli_policy_check(argc - 1, argv + 1);
	Cordon__PolicyGet get = CORDON__POLICY_GET__INIT;
	struct wire_msg reply;
	char *pos[2] = { NULL, NULL };
	int rc;

	rc = cli_cmd_opts(c, cli_find("policy"), argc, argv, 2, pos);
	if (rc != EXIT_OK)
		return rc;
	if (pos[0] == NULL)
		return cli_usage_error("policy: say check FILE, push FILE or show");
	if (strcmp(pos[0], "push") == 0) {
		if (pos[1] == NULL)
			return cli_usage_error("policy push: FILE missing");
		return cmd_policy_push(c, pos[1]);
	}
	if (strcmp(pos[0], "apply") == 0) {
		if (pos[1] == NULL)
			return cli_usage_error("policy apply: FILE missing");
		return cmd_policy_apply(c, pos[1]);
	}
	if (strcmp(pos[0], "history") == 0)
		return cmd_policy_history(c);
	if (strcmp(pos[0], "rollback") == 0) {
		if (pos[1] == NULL)
			return cli_usage_error("policy rollback: VERSION missing");
		return cmd_policy_rollback(c, pos[1]);
	}
	if (strcmp(pos[0], "show") != 0)
		return cli_usage_error("policy: unknown subcommand '%s'",
				       pos[0]);
	if (pos[1] != NULL)
		return cli_usage_error("policy show: unexpected argument '%s'",
				       pos[1]);
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_POLICY_GET, &get.base,
		      CORDON__MSG_TYPE__MSG_POLICY, &reply);
	if (rc != EXIT_OK)
		return rc;
	if (c->json)
		cli_print_json(reply.payload);
	else
		policy_print_summary((const Cordon__Policy *)reply.payload);
	wire_msg_free(&reply);
	return EXIT_OK;
}

static const char *
mac_str(const ProtobufCBinaryData *b)
{
	static __thread char buf[18];

	if (b->len != 6)
		return "?";
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		 b->data[0], b->data[1], b->data[2], b->data[3], b->data[4],
		 b->data[5]);
	return buf;
}

/* "value (conf%)" or "" */
static const char *
attr_str(const char *v, uint32_t conf)
{
	static __thread char buf[4][160];
	static __thread unsigned int next;
	char *b = buf[next++ % 4];

	if (v == NULL || v[0] == '\0')
		return "";
	snprintf(b, 160, "%s (%u%%)", v, conf);
	return b;
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* Every device of every dataplane: from their latest reports. */
static int
devices_fetch(struct cli *c, struct wire_msg *reply)
{
	Cordon__StatsRequest req = CORDON__STATS_REQUEST__INIT;

	req.dataplane_id = (char *)"";
	return cli_call(c, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &req.base,
			CORDON__MSG_TYPE__MSG_STATS_REPLY, reply);
}

static int
cmd_devices(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"DEVICE", ">VLAN", "DATAPLANE", "SEGMENT", "VENDOR", "TYPE",
		"OS", "MODEL", ">FLOWS", ">ALLOWED", ">DENIED", "ADDRESSES",
		NULL,
	};
	const Cordon__StatsReply *st;
	struct wire_msg reply;
	struct ctl_table t;
	json_t *out = NULL;
	size_t n = 0;
	int rc;

	rc = cli_cmd_opts(c, cli_find("devices"), argc, argv, 0, NULL);
	if (rc != EXIT_OK)
		return rc;
	rc = devices_fetch(c, &reply);
	if (rc != EXIT_OK)
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
			const Cordon__DeviceIdentity *id = d->identity;
			char addrs[160] = "";

			n++;
			if (c->json) {
				json_t *o = ctl_pbjson(&d->base);

				json_object_set_new(o, "dataplane_id",
						    json_string(r->dataplane_id));
				json_array_append_new(out, o);
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
				mac_str(&d->mac), ctl_fmt_u64(d->vlan),
				r->dataplane_id, d->segment_name,
				id ? attr_str(id->vendor, id->vendor_confidence) : "",
				id ? attr_str(id->type, id->type_confidence) : "",
				id ? attr_str(id->os, id->os_confidence) : "",
				id ? attr_str(id->model, id->model_confidence) : "",
				ctl_fmt_u64(d->flows),
				ctl_fmt_u64(d->allowed_packets),
				ctl_fmt_u64(d->denied_packets), addrs,
			};
			ctl_table_row(&t, row);
		}
	}
	if (c->json) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(out);
	} else {
		printf("%zu device%s%s\n\n", n, n == 1 ? "" : "s",
		       st->n_reports > 0 && report_from_store(st->reports[0]) ?
		       " (stored: no dataplane has reported since cordond "
		       "started)" : "");
		if (n > 0)
			ctl_table_print(stdout, &t);
		ctl_table_free(&t);
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static void
device_print(const char *dp_id, const Cordon__DeviceStats *d)
{
	const Cordon__DeviceIdentity *id = d->identity;
	const Cordon__BehaviourSummary *b = d->behaviour;

	printf("device %s  vlan %u  on %s, port %u\n", mac_str(&d->mac),
	       d->vlan, dp_id, d->port_id);
	if (d->segment != 0)
		printf("  segment   %s (%u)\n", d->segment_name, d->segment);
	for (size_t a = 0; a < d->n_addresses; a++) {
		char one[64];

		if (inet_ntop(d->addresses[a].len == 4 ? AF_INET : AF_INET6,
			      d->addresses[a].data, one, sizeof(one)))
			printf("  address   %s\n", one);
	}
	if (id != NULL) {
		printf("  vendor    %s\n  type      %s\n  os        %s\n"
		       "  model     %s\n", attr_str(id->vendor,
		       id->vendor_confidence), attr_str(id->type,
		       id->type_confidence), attr_str(id->os, id->os_confidence),
		       attr_str(id->model, id->model_confidence));
		if (id->hostname[0])
			printf("  hostname  %s\n", id->hostname);
		if (id->mud_url[0])
			printf("  mud url   %s\n", id->mud_url);
		if (id->dhcp_params[0])
			printf("  dhcp 55   %s\n", id->dhcp_params);
		printf("  evidence  %s\n", id->evidence_json);
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
cmd_device(struct cli *c, int argc, char **argv)
{
	const Cordon__StatsReply *st;
	struct wire_msg reply;
	char *pos = NULL;
	uint8_t mac[6];
	int rc, found = 0;

	rc = cli_cmd_opts(c, cli_find("device"), argc, argv, 1, &pos);
	if (rc != EXIT_OK)
		return rc;
	if (pos == NULL || parse_mac(pos, mac) < 0)
		return cli_usage_error("device: give a MAC as aa:bb:cc:dd:ee:ff");
	rc = devices_fetch(c, &reply);
	if (rc != EXIT_OK)
		return rc;
	st = (const Cordon__StatsReply *)reply.payload;
	for (size_t i = 0; i < st->n_reports; i++) {
		const Cordon__StatsReport *r = st->reports[i];

		for (size_t j = 0; j < r->n_devices; j++) {
			const Cordon__DeviceStats *d = r->devices[j];

			if (d->mac.len != 6 || memcmp(d->mac.data, mac, 6))
				continue;
			if (c->json) {
				json_t *o = ctl_pbjson(&d->base);

				json_object_set_new(o, "dataplane_id",
						    json_string(r->dataplane_id));
				json_dumpf(o, stdout, JSON_INDENT(2));
				fputc('\n', stdout);
				json_decref(o);
			} else {
				device_print(r->dataplane_id, d);
			}
			found++;
		}
	}
	wire_msg_free(&reply);
	if (found == 0) {
		fprintf(stderr, "cordonctl: no device %s\n", pos);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static const char mud_usage[] =
"Usage: cordonctl mud SUBCOMMAND ...\n"
"\n"
"check FILE [--context CTX.yaml] [--device MAC] [--json]\n"
"         compile a MUD file (RFC 8520) and print the rules it makes,\n"
"         without a daemon. A .p7s signature beside FILE is verified.\n"
"import FILE --device MAC [--vlan N] [--json]\n"
"         bind a MUD file to a device: cordond checks its signature\n"
"         (FILE.p7s is sent along when it exists; see cordond --mud-ca,\n"
"         --mud-accept-unsigned), compiles it in its MUD context, stores\n"
"         it and makes a new policy version with its rules. A file that\n"
"         does not parse or verify is refused: nothing is stored or\n"
"         applied, and the exit code is 1. A new import for the same MAC\n"
"         replaces the earlier one.\n"
"list [--json]\n"
"         every device with a MUD file: its MUD URL, where it came from\n"
"         (cli, or the URL the device announced by dhcp, dhcpv6, lldp),\n"
"         whether its signature was verified, and the rules it makes\n"
"remove MAC [--json]\n"
"         unbind a device's MUD file: a new policy version without its rules\n"
"\n"
"Exit codes: 0 success, 1 refused or failed, 2 usage, 3 cordond unreachable.\n";

static void
mud_print_bindings(const Cordon__MudList *l)
{
	static const char *const head[] = {
		"DEVICE", ">VLAN", "SOURCE", "SIGNED", ">RULES",
		">UNRESOLVED", "IMPORTED (UTC)", "MUD URL", NULL,
	};
	struct ctl_table t;

	ctl_table_init(&t, head);
	for (size_t i = 0; i < l->n_bindings; i++) {
		const Cordon__MudBinding *b = l->bindings[i];
		time_t sec = (time_t)(b->imported_unix_ms / 1000);
		char when[32], mac[18];
		struct tm tm;

		gmtime_r(&sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(mac, sizeof(mac), "%s", mac_str(&b->mac));
		const char *row[] = {
			mac, ctl_fmt_u64(b->vlan), b->source,
			b->verified ? "verified" : "no",
			ctl_fmt_u64(b->rules), ctl_fmt_u64(b->unresolved),
			when, b->mud_url,
		};
		ctl_table_row(&t, row);
	}
	ctl_table_print(stdout, &t);
	ctl_table_free(&t);
}

/* Options of mud import/list/remove. */
static int
mud_opts(struct cli *c, const char *sub, int argc, char **argv, char **pos,
	 char **mac, char **vlan)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(mud_usage, stdout);
			exit(EXIT_OK);
		} else if (!strcmp(argv[i], "--json")) {
			c->json = true;
		} else if (mac != NULL && (!strcmp(argv[i], "--device") ||
					   !strcmp(argv[i], "--vlan"))) {
			if (i + 1 >= argc)
				return cli_usage_error("mud %s: %s needs a "
						       "value", sub, argv[i]);
			if (argv[i][2] == 'd')
				*mac = argv[++i];
			else
				*vlan = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_usage_error("mud %s: unknown option '%s'",
					       sub, argv[i]);
		} else if (pos != NULL && n == 0) {
			*pos = argv[i];
			n++;
		} else {
			return cli_usage_error("mud %s: unexpected argument "
					       "'%s'", sub, argv[i]);
		}
	}
	return EXIT_OK;
}

static int
cmd_mud_import(struct cli *c, int argc, char **argv)
{
	Cordon__MudImport im = CORDON__MUD_IMPORT__INIT;
	char *file = NULL, *mac_s = NULL, *vlan_s = NULL, *text, *sig = NULL;
	char sig_path[PATH_MAX], err[PATH_MAX + 64];
	const Cordon__MudList *l;
	struct wire_msg reply;
	uint64_t vlan = 0;
	uint8_t mac[6];
	size_t len = 0, sig_len = 0;
	int rc;

	rc = mud_opts(c, "import", argc, argv, &file, &mac_s, &vlan_s);
	if (rc != EXIT_OK)
		return rc;
	if (file == NULL)
		return cli_usage_error("mud import: FILE missing");
	if (mac_s == NULL || parse_mac(mac_s, mac) < 0 || (mac[0] & 1))
		return cli_usage_error("mud import: --device takes a unicast "
				       "MAC as aa:bb:cc:dd:ee:ff");
	if (vlan_s != NULL && (cli_u64(vlan_s, &vlan) < 0 || vlan > 4095))
		return cli_usage_error("mud import: --vlan takes 0..4095");
	if (ctl_file_read(file, CLI_FILE_MAX, &text, &len, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: %s\n", err);
		return EXIT_FAILED;
	}
	if (strlen(text) != len) {
		fprintf(stderr, "cordonctl: %s: not a text file (NUL byte)\n",
			file);
		free(text);
		return EXIT_FAILED;
	}
	if (snprintf(sig_path, sizeof(sig_path), "%s.p7s", file) <
	    (int)sizeof(sig_path) && access(sig_path, F_OK) == 0) {
		if (ctl_file_read(sig_path, CLI_FILE_MAX, &sig, &sig_len, err,
				  sizeof(err)) < 0) {
			fprintf(stderr, "cordonctl: %s\n", err);
			free(text);
			return EXIT_FAILED;
		}
	}
	im.mac.data = mac;
	im.mac.len = 6;
	im.vlan = (uint32_t)vlan;
	im.file = text;
	im.signature.data = (uint8_t *)sig;
	im.signature.len = sig_len;
	im.name = file;
	im.by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_MUD_IMPORT, &im.base,
		      CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY, &reply);
	free(text);
	free(sig);
	if (rc != EXIT_OK)
		return rc;
	l = (const Cordon__MudList *)reply.payload;
	if (c->json) {
		cli_print_json(&l->base);
	} else if (l->n_bindings == 1) {
		const Cordon__MudBinding *b = l->bindings[0];

		printf("%s: %s bound to %s (%s): %u rules from %u ACEs",
		       file, b->mud_url, mac_s, b->verified ?
		       "signature verified" : "unsigned", b->rules, b->aces);
		if (b->unresolved > 0)
			printf(", %u ACEs without context", b->unresolved);
		if (b->widened > 0)
			printf(", %u widened", b->widened);
		printf("\n");
		if (b->note[0])
			printf("  note: %s\n", b->note);
		if (l->policy_version != 0)
			printf("policy %" PRIu64 " in force; dataplanes pick it "
			       "up now\n", l->policy_version);
		else
			printf("recorded; it applies with the first policy\n");
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
cmd_mud_list(struct cli *c, int argc, char **argv)
{
	Cordon__MudListRequest req = CORDON__MUD_LIST_REQUEST__INIT;
	const Cordon__MudList *l;
	struct wire_msg reply;
	int rc;

	rc = mud_opts(c, "list", argc, argv, NULL, NULL, NULL);
	if (rc != EXIT_OK)
		return rc;
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_MUD_LIST, &req.base,
		      CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY, &reply);
	if (rc != EXIT_OK)
		return rc;
	l = (const Cordon__MudList *)reply.payload;
	if (c->json) {
		cli_print_json(&l->base);
	} else {
		printf("%zu device%s with a MUD file\n", l->n_bindings,
		       l->n_bindings == 1 ? "" : "s");
		if (l->n_bindings > 0) {
			putchar('\n');
			mud_print_bindings(l);
		}
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
cmd_mud_remove(struct cli *c, int argc, char **argv)
{
	Cordon__MudRemove r = CORDON__MUD_REMOVE__INIT;
	struct wire_msg reply;
	char *mac_s = NULL;
	uint8_t mac[6];
	int rc;

	rc = mud_opts(c, "remove", argc, argv, &mac_s, NULL, NULL);
	if (rc != EXIT_OK)
		return rc;
	if (mac_s == NULL || parse_mac(mac_s, mac) < 0)
		return cli_usage_error("mud remove: give a MAC as "
				       "aa:bb:cc:dd:ee:ff");
	r.mac.data = mac;
	r.mac.len = 6;
	r.by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_MUD_REMOVE, &r.base,
		      CORDON__MSG_TYPE__MSG_ACK, &reply);
	if (rc != EXIT_OK)
		return rc;
	return cli_print_ack(c, &reply, mac_s);
}

static int
cmd_mud(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return cli_mud_check(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "import") == 0)
		return cmd_mud_import(c, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "list") == 0)
		return cmd_mud_list(c, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "remove") == 0)
		return cmd_mud_remove(c, argc - 1, argv + 1);
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
			 strcmp(argv[1], "-h") == 0)) {
		fputs(mud_usage, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_usage_error("mud: unknown subcommand '%s'", argv[1]);
	return cli_usage_error("mud: say check, import, list or remove");
}

static int
cmd_quarantine_common(struct cli *c, int argc, char **argv, bool release)
{
	Cordon__Quarantine q = CORDON__QUARANTINE__INIT;
	const char *name = release ? "release" : "quarantine";
	struct wire_msg reply;
	char *mac_s = NULL, *reason = (char *)"";
	uint8_t mac[6];
	int rc, n = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			const struct cli_cmd *cmd = cli_find(name);

			printf("Usage: cordonctl %s %s\n\n%s\n", cmd->name,
			       cmd->args, cmd->help);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			c->json = true;
		} else if (!release && strcmp(argv[i], "--reason") == 0 &&
			   i + 1 < argc) {
			reason = argv[++i];
		} else if (argv[i][0] == '-') {
			return cli_usage_error("%s: unknown option '%s'", name,
					       argv[i]);
		} else if (n++ == 0) {
			mac_s = argv[i];
		} else {
			return cli_usage_error("%s: unexpected argument '%s'",
					       name, argv[i]);
		}
	}
	if (mac_s == NULL || parse_mac(mac_s, mac) < 0)
		return cli_usage_error("%s: give a MAC as aa:bb:cc:dd:ee:ff",
				       name);
	q.mac.data = mac;
	q.mac.len = 6;
	q.reason = reason;
	q.release = release;
	q.by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_QUARANTINE, &q.base,
		      CORDON__MSG_TYPE__MSG_ACK, &reply);
	if (rc != EXIT_OK)
		return rc;
	return cli_print_ack(c, &reply, mac_s);
}

static int
cmd_quarantine(struct cli *c, int argc, char **argv)
{
	return cmd_quarantine_common(c, argc, argv, false);
}

static int
cmd_release(struct cli *c, int argc, char **argv)
{
	return cmd_quarantine_common(c, argc, argv, true);
}

static int
cmd_segment(struct cli *c, int argc, char **argv)
{
	Cordon__DeviceSegment ds = CORDON__DEVICE_SEGMENT__INIT;
	const struct cli_cmd *cmd = cli_find("segment");
	char *pos[2] = { NULL, NULL }, *vlan_s = NULL;
	struct wire_msg reply;
	bool clear = false;
	uint64_t vlan = 0;
	uint8_t mac[6];
	int n = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("Usage: cordonctl segment %s\n\n%s\n", cmd->args,
			       cmd->help);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			c->json = true;
		} else if (strcmp(argv[i], "--clear") == 0) {
			clear = true;
		} else if (strcmp(argv[i], "--vlan") == 0 && i + 1 < argc) {
			vlan_s = argv[++i];
		} else if (argv[i][0] == '-') {
			return cli_usage_error("segment: unknown option '%s'",
					       argv[i]);
		} else if (n < 2) {
			pos[n++] = argv[i];
		} else {
			return cli_usage_error("segment: unexpected argument "
					       "'%s'", argv[i]);
		}
	}
	if (pos[0] == NULL || parse_mac(pos[0], mac) < 0 || (mac[0] & 1))
		return cli_usage_error("segment: give a unicast MAC as "
				       "aa:bb:cc:dd:ee:ff");
	if (clear == (pos[1] != NULL))
		return cli_usage_error("segment: give SEGMENT or --clear");
	if (vlan_s != NULL && (cli_u64(vlan_s, &vlan) < 0 || vlan > 4095))
		return cli_usage_error("segment: --vlan takes 0..4095");
	ds.mac.data = mac;
	ds.mac.len = 6;
	ds.vlan = (uint32_t)vlan;
	ds.segment = clear ? (char *)"" : pos[1];
	ds.by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_DEVICE_SEGMENT, &ds.base,
		      CORDON__MSG_TYPE__MSG_ACK, &reply);
	if (rc != EXIT_OK)
		return rc;
	return cli_print_ack(c, &reply, pos[0]);
}

/* "10.0.0.1:443", "[2001:db8::1]:443", or the address alone for
 * protocols without ports. */
static const char *
flow_ep_str(const ProtobufCBinaryData *a, uint32_t port, uint32_t proto)
{
	static __thread char buf[2][64];
	static __thread unsigned int next;
	char *b = buf[next++ % 2], ip[INET6_ADDRSTRLEN];

	if ((a->len != 4 && a->len != 16) ||
	    inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->data, ip,
		      sizeof(ip)) == NULL)
		return "?";
	if (proto != 6 && proto != 17 && proto != 132)
		snprintf(b, 64, "%s", ip);
	else
		snprintf(b, 64, a->len == 16 ? "[%s]:%u" : "%s:%u", ip, port);
	return b;
}

static const char *
flow_proto_str(uint32_t p)
{
	static __thread char buf[12];

	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	}
	snprintf(buf, sizeof(buf), "%u", p);
	return buf;
}

static const char *
flow_verdict_str(const Cordon__Flow *f)
{
	static __thread char buf[48];

	if (f->default_action)
		snprintf(buf, sizeof(buf), "%s default%s",
			 f->action == CORDON__ACTION__ACTION_ALLOW ? "allow" :
			 "deny", f->stale ? "*" : "");
	else
		snprintf(buf, sizeof(buf), "%s rule %u%s",
			 f->action == CORDON__ACTION__ACTION_ALLOW ? "allow" :
			 "deny", f->rule_id, f->stale ? "*" : "");
	return buf;
}

static int
cmd_flows(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"PROTO", "INITIATOR", "RESPONDER", ">VLAN", "FROM-DEVICE",
		"TO-DEVICE", "STATE", "VERDICT", ">PKTS-OUT", ">BYTES-OUT",
		">PKTS-IN", ">BYTES-IN", ">AGE", ">IDLE", ">W", NULL,
	};
	const struct cli_cmd *cmd = cli_find("flows");
	Cordon__FlowsRequest req = CORDON__FLOWS_REQUEST__INIT;
	const Cordon__Flows *fl;
	struct wire_msg reply;
	uint8_t mac[6];
	int rc;

	req.dataplane_id = (char *)"";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			printf("Usage: cordonctl [global options] flows "
			       "[--device MAC] [--dataplane ID] [--limit N] "
			       "[--json]\n\n%s\n", cmd->help);
			return EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		} else if (strcmp(a, "--device") != 0 &&
			   strcmp(a, "--dataplane") != 0 &&
			   strcmp(a, "--limit") != 0) {
			return cli_usage_error("flows: %s '%s'", a[0] == '-' ?
					       "unknown option" :
					       "unexpected argument", a);
		}
		if (v == NULL)
			return cli_usage_error("flows: %s needs a value", a);
		i++;
		if (strcmp(a, "--device") == 0) {
			if (parse_mac(v, mac) < 0)
				return cli_usage_error("flows: --device: '%s' "
						       "is not a MAC "
						       "(aa:bb:cc:dd:ee:ff)", v);
			req.mac.data = mac;
			req.mac.len = 6;
		} else if (strcmp(a, "--dataplane") == 0) {
			if (v[0] == '\0' || strlen(v) > 64)
				return cli_usage_error("flows: --dataplane: "
						       "'%s' is not a "
						       "dataplane id", v);
			req.dataplane_id = (char *)v;
		} else {
			uint64_t n;

			if (cli_u64(v, &n) < 0 || n < 1 || n > 100000)
				return cli_usage_error("flows: --limit: '%s' "
						       "is not a number in "
						       "1..100000", v);
			req.limit = (uint32_t)n;
		}
	}
	if (req.limit == 0)
		req.limit = 1000;
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_FLOWS_REQUEST, &req.base,
		      CORDON__MSG_TYPE__MSG_FLOWS_REPLY, &reply);
	if (rc != EXIT_OK)
		return rc;
	fl = (const Cordon__Flows *)reply.payload;
	if (c->json) {
		cli_print_json(&fl->base);
	} else {
		struct ctl_table t;

		printf("%" PRIu64 " flow%s%s on %s (%" PRIu64 " active)%s\n",
		       fl->matched, fl->matched == 1 ? "" : "s",
		       req.mac.len ? " of the device" : "", fl->dataplane_id,
		       fl->active, fl->truncated ? ", the first ones listed "
		       "(--limit)" : "");
		ctl_table_init(&t, head);
		for (size_t i = 0; i < fl->n_flows; i++) {
			const Cordon__Flow *f = fl->flows[i];
			char smac[18], dmac[18], vlan[8], wk[8];

			/* ctl_fmt_*() rotate 8 buffers: more cells than that. */
			snprintf(vlan, sizeof(vlan), "%u", f->vlan);
			snprintf(wk, sizeof(wk), "%u", f->worker);
			snprintf(smac, sizeof(smac), "%s", f->src_mac.len == 6 ?
				 mac_str(&f->src_mac) : "-");
			snprintf(dmac, sizeof(dmac), "%s", f->dst_mac.len == 6 ?
				 mac_str(&f->dst_mac) : "-");
			const char *row[] = {
				flow_proto_str(f->ip_proto),
				flow_ep_str(&f->src_addr, f->src_port,
					    f->ip_proto),
				flow_ep_str(&f->dst_addr, f->dst_port,
					    f->ip_proto),
				vlan, smac, dmac, f->state,
				flow_verdict_str(f),
				ctl_fmt_u64(f->packets_out),
				ctl_fmt_u64(f->bytes_out),
				ctl_fmt_u64(f->packets_in),
				ctl_fmt_u64(f->bytes_in),
				ctl_fmt_duration_ms(f->age_ms),
				ctl_fmt_duration_ms(f->idle_ms), wk,
			};
			ctl_table_row(&t, row);
		}
		if (fl->n_flows > 0) {
			putchar('\n');
			ctl_table_print(stdout, &t);
		}
		ctl_table_free(&t);
	}
	wire_msg_free(&reply);
	return EXIT_OK;
}

static int
cmd_events(struct cli *c, int argc, char **argv)
{
	Cordon__EventsRequest req = CORDON__EVENTS_REQUEST__INIT;
	bool follow = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			const struct cli_cmd *cmd = cli_find("events");

			printf("Usage: cordonctl events %s\n\n%s\n", cmd->args,
			       cmd->help);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			c->json = true;
		} else if (strcmp(argv[i], "--follow") == 0 ||
			   strcmp(argv[i], "-f") == 0) {
			follow = true;
		} else if (strcmp(argv[i], "--since") == 0 && i + 1 < argc) {
			if (cli_u64(argv[++i], &req.since_id) < 0)
				return cli_usage_error("events: --since takes "
						       "an event id");
		} else {
			return cli_usage_error("events: unexpected '%s'",
					       argv[i]);
		}
	}
	do {
		struct wire_msg reply;
		const Cordon__Events *ev;

		rc = cli_call(c, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
			      &req.base, CORDON__MSG_TYPE__MSG_EVENTS, &reply);
		if (c->open) {
			nng_close(c->sock);
			c->open = false;
		}
		if (rc != EXIT_OK)
			return rc;
		ev = (const Cordon__Events *)reply.payload;
		for (size_t i = 0; i < ev->n_events; i++) {
			const Cordon__Event *e = ev->events[i];

			if (c->json) {
				json_t *o = ctl_pbjson(&e->base);

				json_dumpf(o, stdout, JSON_COMPACT);
				fputc('\n', stdout);
				json_decref(o);
			} else {
				time_t sec = (time_t)(e->time_unix_ms / 1000);
				char when[32];
				struct tm tm;

				gmtime_r(&sec, &tm);
				strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
					 &tm);
				printf("%6" PRIu64 "  %s  %-20s %-12s %s %s\n",
				       e->id, when, e->kind, e->dataplane_id,
				       e->mac.len == 6 ? mac_str(&e->mac) : "",
				       e->detail_json);
			}
			req.since_id = e->id;
		}
		fflush(stdout);
		wire_msg_free(&reply);
		if (follow)
			usleep(500 * 1000);
	} while (follow);
	return EXIT_OK;
}

static int
cmd_keygen(struct cli *c, int argc, char **argv)
{
	char dir[PATH_MAX] = "", err[512];
	bool force = false;
	int rc;

	(void)c;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			const struct cli_cmd *cmd = cli_find("keygen");

			printf("Usage: cordonctl keygen %s\n\n%s\n", cmd->args,
			       cmd->help);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--force") == 0) {
			force = true;
		} else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc &&
			   strlen(argv[i + 1]) < sizeof(dir)) {
			strcpy(dir, argv[++i]);
		} else {
			return cli_usage_error("keygen: unexpected '%s'",
					       argv[i]);
		}
	}
	if (dir[0] == '\0' && endpoint_statedir(dir, sizeof(dir)) < 0)
		return cli_usage_error("keygen: state directory path too long");
	rc = endpoint_mkdir(dir);
	if (rc < 0) {
		fprintf(stderr, "cordonctl: keygen: %s: %s\n", dir,
			strerror(-rc));
		return EXIT_FAILED;
	}
	rc = ctl_sign_keygen(dir, force, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "cordonctl: keygen: %s\n", err);
		return EXIT_FAILED;
	}
	printf("policy signing key in %s/%s; give %s/%s to the dataplanes "
	       "(--pubkey); restart cordond to sign with it\n", dir,
	       CTL_SIGN_PRIV_NAME, dir, CTL_SIGN_PUB_NAME);
	return EXIT_OK;
}

static const struct cli_cmd cli_cmds[] = {
	{ "status", "", "connected dataplanes, versions, uptime",
	  "Show cordond and every dataplane that has registered: whether it\n"
	  "is connected, its software version, uptime, workers, ports and\n"
	  "policy version.\n\n"
	  "  --json   machine-readable output", cmd_status },
	{ "stats", "[DATAPLANE-ID]", "rx/tx/drops per port and per worker",
	  "Show the latest counters each dataplane reported: per port\n"
	  "(rx/tx packets and bytes, drops, NIC misses), per worker, and\n"
	  "every non-zero drop reason by name.\n\n"
	  "  --json   machine-readable output (all counters, zero or not)",
	  cmd_stats },
	{ "devices", "", "devices seen, what they are and what they did",
	  "Every device the dataplanes have seen: its identity from passive\n"
	  "fingerprinting (vendor, type, OS, model, each with a confidence),\n"
	  "flows it started, packets allowed and denied, and its addresses.\n\n"
	  "  --json   everything, evidence and behaviour summaries included",
	  cmd_devices },
	{ "device", "MAC", "one device in detail",
	  "A device's identity with the evidence behind it, its addresses, its\n"
	  "traffic, and its behaviour in the last complete interval.\n\n"
	  "  --json   machine-readable output", cmd_device },
	{ "policy", "SUBCOMMAND ...",
	  "check, apply, show, diff, history, rollback, push",
	  "check FILE check a YAML policy (no daemon needed); errors name\n"
	  "           file:line:column. See examples/README.md. Exit 1 if invalid.\n"
	  "apply FILE make a YAML policy the next version: cordond compiles it\n"
	  "           with what it knows of the devices and the quarantine,\n"
	  "           stores it (signed when it has a key) and hands it out\n"
	  "history    every version, newest first\n"
	  "diff A [B] what changed in the source from version A to B (or now)\n"
	  "rollback V the source of version V, compiled again as a new version\n"
	  "push FILE  give cordond a compiled policy (a binary cordon.Policy,\n"
	  "           e.g. from protoc --encode=cordon.Policy). It is checked\n"
	  "           here and by cordond with the dataplane's own validator;\n"
	  "           connected dataplanes apply it at once. Its version is\n"
	  "           raised above the current one if needed.\n"
	  "show       the policy cordond hands out (--json: all of it)",
	  cmd_policy },
	{ "quarantine", "MAC [--reason R]", "hold a device in quarantine",
	  "Put the device in the policy's quarantine segment, which allows\n"
	  "only what it lists. A new policy version is made and handed out at\n"
	  "once; the device's existing flows are checked again at their next\n"
	  "packet. Stored durably; `cordonctl release MAC` undoes it.",
	  cmd_quarantine },
	{ "release", "MAC", "let a device out of quarantine",
	  "Undo `cordonctl quarantine MAC`: a new policy version without it.",
	  cmd_release },
	{ "segment", "MAC SEGMENT|--clear [--vlan N]",
	  "put a device in a segment",
	  "Put the device in SEGMENT of the policy in force, whatever the\n"
	  "YAML assigns (not the quarantine segment: use quarantine). A new\n"
	  "policy version is made at once, and every later version keeps it\n"
	  "until --clear, which gives the device back to the YAML's\n"
	  "assignment. Exit 1 when the policy has no such segment.",
	  cmd_segment },
	{ "events", "[--follow] [--since ID]", "what happened, from the store",
	  "Policy versions made, applied and refused, quarantines and\n"
	  "releases, dataplanes connecting and leaving. --follow keeps\n"
	  "printing new ones; --json prints one object per line.", cmd_events },
	{ "flows", "[--device MAC] [...]",
	  "live flows of a dataplane",
	  "The flows in the dataplane's tables now: protocol, initiator and\n"
	  "responder address and port, VLAN, the devices on both ends, state,\n"
	  "verdict (allow/deny, and the rule, or the segment default; a '*'\n"
	  "marks a verdict from an older policy, checked again at the next\n"
	  "packet), packets and bytes each way, age, idle time and worker.\n"
	  "cordond asks the dataplane, whose workers copy their own tables.\n\n"
	  "  --device MAC    flows with that device on either end\n"
	  "  --dataplane ID  which dataplane (needed when several are\n"
	  "                  connected)\n"
	  "  --limit N       list at most N flows, 1..100000 (default 1000);\n"
	  "                  the count above the table is of all that match\n"
	  "  --json          machine-readable output\n\n"
	  "Exit 1 when the dataplane or the device is unknown, or when the\n"
	  "dataplane does not answer within 2 s; 3 when cordond does not.",
	  cmd_flows },
	{ "keygen", "[--dir DIR] [--force]", "make the policy signing key",
	  "Make an Ed25519 key pair in cordond's state directory (or DIR):\n"
	  "cordond signs every policy version with it, and dataplanes given\n"
	  "the public key (--pubkey) refuse anything else.", cmd_keygen },
	{ "mud", "SUBCOMMAND ...", "check, import, list, remove MUD files",
	  "check FILE [--context CONTEXT.yaml] [--json]\n"
	  "           compile a MUD file (RFC 8520) with the local networks,\n"
	  "           controllers and names of CONTEXT, and print the rules.\n"
	  "           A .p7s signature beside FILE is verified. No daemon.\n"
	  "import FILE --device MAC [--vlan N]\n"
	  "           bind a MUD file (and FILE.p7s) to a device: a new policy\n"
	  "           version with its rules\n"
	  "list       devices with a MUD file\n"
	  "remove MAC unbind a device's MUD file", cmd_mud },
};

static const struct cli_cmd *
cli_find(const char *name)
{
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return &cli_cmds[i];
	return NULL;
}

static void
cli_usage(FILE *f)
{
	fprintf(f,
"Usage: cordonctl [global options] COMMAND [command options]\n"
"\n"
"Operate Cordon through cordond.\n"
"\n"
"Commands:\n");
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		fprintf(f, "  %-10s %-26s %s\n", cli_cmds[i].name,
			cli_cmds[i].args, cli_cmds[i].summary);
	fprintf(f,
"\n"
"Global options:\n"
"  -s, --socket URL    cordond's CLI endpoint (default ipc://RUNDIR/ctl.sock;\n"
"                      RUNDIR is $CORDON_RUNDIR, else /run/cordon for root,\n"
"                      else $XDG_RUNTIME_DIR/cordon)\n"
"  -t, --timeout MS    how long to wait for cordond, 1..600000 (default 5000)\n"
"  -j, --json          JSON output instead of tables\n"
"  -h, --help          this text; COMMAND --help for a command's\n"
"  -V, --version\n"
"\n"
"Exit codes: 0 success, 1 cordond reported an error or the request failed,\n"
"2 usage error, 3 cordond unreachable or silent.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .timeout_ms = 5000 };
	const struct cli_cmd *cmd;
	char rundir[PATH_MAX], *end;
	int o, rc;

	opterr = 0;
	/* '+': stop at the command; its options are its own. */
	while ((o = getopt_long(argc, argv, "+:s:t:jhV", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			if (strstr(optarg, "://") == NULL ||
			    strlen(optarg) >= sizeof(c.url))
				return cli_usage_error("--socket: '%s' is not "
						       "an nng URL", optarg);
			strcpy(c.url, optarg);
			break;
		case 't': {
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    v < 1 || v > 600000)
				return cli_usage_error("--timeout: '%s' is not "
						       "a number in 1..600000",
						       optarg);
			c.timeout_ms = (uint32_t)v;
			break;
		}
		case 'j':
			c.json = true;
			break;
		case 'h':
			cli_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("cordonctl %s\n", CORDON_VERSION);
			return EXIT_OK;
		case ':':
			return cli_usage_error("option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = cli_find(argv[optind]);
	if (cmd == NULL)
		return cli_usage_error("unknown command '%s'", argv[optind]);

	if (c.url[0] == '\0' &&
	    (endpoint_rundir(rundir, sizeof(rundir)) < 0 ||
	     endpoint_default_url(rundir, ENDPOINT_CTL_SOCK, c.url,
				  sizeof(c.url)) < 0)) {
		fprintf(stderr, "cordonctl: runtime directory path too long\n");
		return EXIT_USAGE;
	}

	rc = cmd->run(&c, argc - optind, argv + optind);
	if (c.open)
		nng_close(c.sock);
	return rc;
}
