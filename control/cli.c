/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl's core, see cli.h. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>

#include "cli.h"
#include "ctl_pbjson.h"
#include "ctl_table.h"
#include "util_mac.h"
#include "wire_nng.h"

const struct cli_cmd *const cli_commands[] = {
	&cli_status_cmd,
	&cli_stats_cmd,
	&cli_devices_cmd,
	&cli_device_cmd,
	&cli_policy_cmd,
	&cli_quarantine_cmd,
	&cli_release_cmd,
	&cli_segment_cmd,
	&cli_requests_cmd,
	&cli_allow_cmd,
	&cli_deny_cmd,
	&cli_events_cmd,
	&cli_alerts_cmd,
	&cli_envelope_cmd,
	&cli_flows_cmd,
	&cli_capture_cmd,
	&cli_keygen_cmd,
	&cli_mud_cmd,
	&cli_backup_cmd,
	NULL,
};

const struct cli_cmd *
cli_find(const struct cli_cmd *cmd, const char *name)
{
	if (cmd == NULL) {
		for (const struct cli_cmd *const *t = cli_commands; *t; t++)
			if (strcmp((*t)->name, name) == 0)
				return *t;
		return NULL;
	}
	for (const struct cli_cmd *t = cmd->subs; t && t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static bool
cli_is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int
cli_help(const char *parent, const struct cli_cmd *cmd)
{
	printf("Usage: cordonctl [global options] %s%s%s%s%s\n\n%s\n",
	       parent != NULL ? parent : "", parent != NULL ? " " : "",
	       cmd->name, cmd->args[0] ? " " : "", cmd->args, cmd->help);
	if (cmd->subs == NULL)
		return CLI_EXIT_OK;
	printf("\nSubcommands:\n");
	for (const struct cli_cmd *t = cmd->subs; t->name != NULL; t++) {
		char use[64];

		snprintf(use, sizeof(use), "%s %s", t->name, t->args);
		if (strlen(use) > 20)
			printf("  %s\n  %-20s  %s\n", use, "", t->summary);
		else
			printf("  %-20s  %s\n", use, t->summary);
	}
	printf("\n`cordonctl %s SUBCOMMAND --help` says more.\n", cmd->name);
	return CLI_EXIT_OK;
}

static int
cli_run_ask(struct cli *c, const char *what, const struct cli_ask *a,
	    int argc, char **argv)
{
	ProtobufCMessage *req;
	int rc;

	rc = cli_args(c, what, argc, argv, NULL, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	req = malloc(a->req->sizeof_message);
	if (req == NULL)
		return CLI_EXIT_FAILED;
	protobuf_c_message_init(a->req, req);
	rc = cli_query(c, a->type, req, a->want, a->show);
	free(req);
	return rc;
}

static int
cli_run_sub(struct cli *c, const char *parent, const struct cli_cmd *cmd,
	    int argc, char **argv)
{
	const struct cli_cmd *sub;
	char names[128] = "";

	if (argc > 1 && cmd->subs != NULL && !cli_is_help(argv[1])) {
		sub = cli_find(cmd, argv[1]);
		if (sub == NULL)
			return cli_usage_error("%s: unknown subcommand '%s'",
					       cmd->name, argv[1]);
		return cli_run_sub(c, cmd->name, sub, argc - 1, argv + 1);
	}
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i]))
			return cli_help(parent, cmd);
	if (cmd->ask != NULL) {
		char what[64];

		snprintf(what, sizeof(what), "%s%s%s", parent ? parent : "",
			 parent ? " " : "", cmd->name);
		return cli_run_ask(c, what, cmd->ask, argc, argv);
	}
	if (cmd->subs == NULL)
		return cmd->run(c, argc, argv);
	for (const struct cli_cmd *t = cmd->subs; t->name != NULL; t++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", t == cmd->subs ? "" : t[1].name ? ", " :
			 " or ", t->name);
	return cli_usage_error("%s: say %s", cmd->name, names);
}

int
cli_run(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv)
{
	return cli_run_sub(c, NULL, cmd, argc, argv);
}

int
cli_args(struct cli *c, const char *what, int argc, char **argv,
	 const struct cli_opt *opts, char **pos, int max_pos)
{
	int n = 0;

	for (int i = 0; i < max_pos; i++)
		pos[i] = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_opt *o = NULL;

		if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		}
		if (strcmp(a, "--wait") == 0) {
			uint64_t secs = CLI_WAIT_DEFAULT_S;

			/* An optional number of seconds follows. */
			if (i + 1 < argc && argv[i + 1][0] >= '0' &&
			    argv[i + 1][0] <= '9') {
				if (cli_u64(argv[i + 1], &secs) < 0 ||
				    secs == 0 || secs > 86400)
					return cli_usage_error(
						"%s: --wait: '%s' is not "
						"1..86400 seconds", what,
						argv[i + 1]);
				i++;
			}
			c->wait_ms = (uint32_t)secs * 1000;
			continue;
		}
		for (const struct cli_opt *t = opts; t && t->name; t++)
			if (strcmp(a, t->name) == 0 ||
			    (t->alias != NULL && strcmp(a, t->alias) == 0))
				o = t;
		if (o == NULL && a[0] == '-' && a[1] != '\0')
			return cli_usage_error("%s: unknown option '%s'", what,
					       a);
		if (o == NULL && n == max_pos)
			return cli_usage_error("%s: unexpected argument '%s'",
					       what, a);
		if (o == NULL) {
			pos[n++] = argv[i];
		} else if (o->value != NULL) {
			if (i + 1 >= argc)
				return cli_usage_error("%s: %s needs a value",
						       what, a);
			*o->value = argv[++i];
		} else {
			*o->flag = true;
		}
	}
	return CLI_EXIT_OK;
}

int
cli_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && s[0] != '-' ? 0 :
		-EINVAL;
}

int
cli_mac(const char *what, const char *s, uint8_t mac[6])
{
	if (s != NULL && util_mac_parse(s, mac) == 0)
		return CLI_EXIT_OK;
	if (s == NULL)
		return cli_usage_error("%s: give a MAC as aa:bb:cc:dd:ee:ff",
				       what);
	return cli_usage_error("%s: '%s' is not a MAC (aa:bb:cc:dd:ee:ff)",
			       what, s);
}

int
cli_mac_field(const char *what, const char *s, uint8_t mac[6],
	      ProtobufCBinaryData *b)
{
	int rc;

	if (s == NULL)
		return CLI_EXIT_OK;
	rc = cli_mac(what, s, mac);
	if (rc == CLI_EXIT_OK) {
		b->data = mac;
		b->len = 6;
	}
	return rc;
}

int
cli_mac_arg(struct cli *c, const char *what, int argc, char **argv,
	    const struct cli_opt *opts, char **mac_s, uint8_t mac[6],
	    ProtobufCBinaryData *b)
{
	int rc = cli_args(c, what, argc, argv, opts, mac_s, 1);

	if (rc == CLI_EXIT_OK)
		rc = cli_mac(what, *mac_s, mac);
	if (rc == CLI_EXIT_OK) {
		b->data = mac;
		b->len = 6;
	}
	return rc;
}

/* cordond did not answer: why, in c->unreach, and on stderr unless quiet. */
static int __attribute__((format(printf, 2, 3)))
cli_unreachable(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->unreach, sizeof(c->unreach), fmt, ap);
	va_end(ap);
	if (!c->quiet)
		fprintf(stderr, "cordonctl: %s\n", c->unreach);
	return CLI_EXIT_UNREACHABLE;
}

void *
cli_pages_join(const struct wire_msg *pages, size_t n_pages, bool reverse,
	       size_t n_off, size_t items_off, size_t *n)
{
	size_t total = 0, k;
	void *const *items;
	char *out;

	for (size_t i = 0; i < n_pages; i++) {
		memcpy(&k, (const char *)pages[i].payload + n_off, sizeof(k));
		total += k;
	}
	out = calloc(total ? total : 1, sizeof(void *));
	if (out == NULL) {
		fprintf(stderr, "cordonctl: out of memory\n");
		return NULL;
	}
	*n = 0;
	for (size_t i = 0; i < n_pages; i++) {
		const char *p = (const char *)
			pages[reverse ? n_pages - 1 - i : i].payload;

		memcpy(&k, p + n_off, sizeof(k));
		memcpy(&items, p + items_off, sizeof(items));
		if (k != 0)
			memcpy(out + *n * sizeof(void *), items,
			       k * sizeof(void *));
		*n += k;
	}
	return out;
}

const char *
cli_mac_str(const ProtobufCBinaryData *b)
{
	return b->len == 6 ? util_mac_str(b->data) : "?";
}

const char *
cli_fmt_time(uint64_t unix_ms, char buf[32], bool iso)
{
	time_t sec = (time_t)(unix_ms / 1000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	strftime(buf, 32, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
		 &tm);
	return buf;
}

/*
 * The dial, bounded by --timeout. A blocking nng_dial() fails at once where
 * nobody listens, which is what an operator wants to hear, but where
 * something accepts and never answers (a stopped or wedged cordond) it waits
 * out the transport's handshake, 10 s in nng 1.5, whatever --timeout says.
 * So it runs on a thread of its own; past the timeout the socket is closed,
 * which ends it.
 */
struct cli_dial {
	nng_mtx *mtx;
	nng_cv *cv;
	nng_socket sock;
	const char *url;
	int rv;
	bool done;
};

static void
cli_dial_thread(void *arg)
{
	struct cli_dial *d = arg;
	int rv = nng_dial(d->sock, d->url, NULL, 0);

	nng_mtx_lock(d->mtx);
	d->rv = rv;
	d->done = true;
	nng_cv_wake(d->cv);
	nng_mtx_unlock(d->mtx);
}

/* 0, an nng error of the dial, or -ETIMEDOUT: --timeout ran out first. */
static int
cli_dial(struct cli *c)
{
	struct cli_dial d = { .sock = c->sock, .url = c->url };
	nng_time until = nng_clock() + c->timeout_ms;
	nng_thread *thr;
	int rv;

	rv = nng_mtx_alloc(&d.mtx);
	if (rv != 0)
		return rv;
	rv = nng_cv_alloc(&d.cv, d.mtx);
	if (rv != 0)
		goto free_mtx;
	rv = nng_thread_create(&thr, cli_dial_thread, &d);
	if (rv != 0)
		goto free_cv;
	nng_mtx_lock(d.mtx);
	while (!d.done && nng_cv_until(d.cv, until) != NNG_ETIMEDOUT)
		;
	rv = d.done ? d.rv : -ETIMEDOUT;
	nng_mtx_unlock(d.mtx);
	if (!d.done) {
		nng_close(c->sock);
		c->open = false;
	}
	nng_thread_destroy(thr);	/* joins it */
free_cv:
	nng_cv_free(d.cv);
free_mtx:
	nng_mtx_free(d.mtx);
	return rv;
}

static int
cli_connect(struct cli *c)
{
	int rv;

	rv = nng_req0_open(&c->sock);
	if (rv != 0) {
		fprintf(stderr, "cordonctl: %s\n", nng_strerror(rv));
		return CLI_EXIT_FAILED;
	}
	c->open = true;
	nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, c->timeout_ms);
	nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, c->timeout_ms);
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, WIRE_MAX_MSG);
	rv = cli_dial(c);
	if (rv == -ETIMEDOUT)
		return cli_unreachable(c, "cordond at %s did not answer within "
				       "%u ms", c->url, c->timeout_ms);
	if (rv != 0)
		return cli_unreachable(c, "cannot reach cordond at %s: %s (is "
				       "cordond running?)", c->url,
				       nng_strerror(rv));
	return CLI_EXIT_OK;
}

int
cli_call(struct cli *c, Cordon__MsgType type, const ProtobufCMessage *req,
	 Cordon__MsgType want, struct wire_msg *reply)
{
	struct wire_err err;
	int rc;

	if (c->open) {
		/* One request per connection (events --follow asks again). */
		nng_close(c->sock);
		c->open = false;
	}
	rc = cli_connect(c);
	if (rc != CLI_EXIT_OK)
		return rc;
	rc = wire_nng_call(c->sock, type, util_time_now_ms(), req, reply, &err);
	if (rc == -ETIMEDOUT)
		return cli_unreachable(c, "cordond at %s did not answer within "
				       "%u ms", c->url, c->timeout_ms);
	if (rc < 0) {
		fprintf(stderr, "cordonctl: bad reply from cordond: %s\n",
			err.text[0] ? err.text : strerror(-rc));
		return CLI_EXIT_FAILED;
	}
	if (reply->type == CORDON__MSG_TYPE__MSG_ERROR) {
		const Cordon__Error *e = (const Cordon__Error *)reply->payload;

		fprintf(stderr, "cordonctl: cordond: %s (%s)\n",
			ctl_fmt_esc(e->message), wire_err_name(e->code));
		wire_msg_free(reply);
		return CLI_EXIT_FAILED;
	}
	if (reply->type != want) {
		fprintf(stderr, "cordonctl: unexpected %s from cordond\n",
			wire_type_name(reply->type));
		wire_msg_free(reply);
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}

void
cli_json_out(void *j, size_t flags)
{
	json_dumpf(j, stdout, flags);
	fputc('\n', stdout);
	json_decref(j);
}

void
cli_print_json(const ProtobufCMessage *m)
{
	cli_json_out(ctl_pbjson(m), JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

int
cli_query(struct cli *c, Cordon__MsgType type, const ProtobufCMessage *req,
	  Cordon__MsgType want, int (*show)(const void *reply, const void *req))
{
	struct wire_msg reply;
	int rc;

	rc = cli_call(c, type, req, want, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (c->json)
		cli_print_json(reply.payload);
	else
		rc = show(reply.payload, req);
	wire_msg_free(&reply);
	return rc;
}

/* Where the dataplanes are with version v: counts, and one line each. */
struct cli_rollout {
	size_t in_force, refused, pending;
	json_t *dps;
};

static int
cli_rollout(struct cli *c, uint64_t v, struct cli_rollout *ro)
{
	Cordon__StatusRequest q = CORDON__STATUS_REQUEST__INIT;
	const Cordon__StatusReply *st;
	struct wire_msg reply;
	int rc;

	json_decref(ro->dps);
	memset(ro, 0, sizeof(*ro));
	ro->dps = json_array();
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_STATUS_REQUEST, &q.base,
		      CORDON__MSG_TYPE__MSG_STATUS_REPLY, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	st = (const Cordon__StatusReply *)reply.payload;
	for (size_t i = 0; i < st->n_dataplanes; i++) {
		const Cordon__DataplaneStatus *d = st->dataplanes[i];
		const char *state = "pending";

		if (!d->connected)
			continue;
		if (d->policy_version >= v) {
			state = "in force";
			ro->in_force++;
		} else if (d->rejected_version == v) {
			state = "refused";
			ro->refused++;
		} else {
			ro->pending++;
		}
		json_array_append_new(ro->dps, json_pack(
			"{s:s, s:s, s:I, s:s}", "dataplane_id",
			d->dataplane_id, "state", state, "policy_version",
			(json_int_t)d->policy_version, "reason",
			d->rejected_version == v ? d->rejected_reason : ""));
	}
	wire_msg_free(&reply);
	return CLI_EXIT_OK;
}

int
cli_change(struct cli *c, Cordon__MsgType type, const ProtobufCMessage *req,
	   const char *what)
{
	struct cli_rollout ro = { 0 };
	struct wire_msg reply;
	uint64_t v, until;
	size_t i;
	json_t *e;
	int rc;

	rc = cli_call(c, type, req, CORDON__MSG_TYPE__MSG_ACK, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	v = ((const Cordon__Ack *)reply.payload)->seq;
	wire_msg_free(&reply);
	if (v == 0) {
		if (c->json)
			printf("{\"policy_version\": 0}\n");
		else
			printf("%s: recorded; no policy exists yet, it applies "
			       "with the first one\n", what);
		return c->wait_ms ? CLI_EXIT_FAILED : CLI_EXIT_OK;
	}
	until = util_time_now_ms() + c->wait_ms;
	for (;;) {
		rc = cli_rollout(c, v, &ro);
		if (rc != CLI_EXIT_OK || c->wait_ms == 0 || ro.pending == 0 ||
		    util_time_now_ms() >= until)
			break;
		usleep(200 * 1000);
	}
	if (rc != CLI_EXIT_OK) {
		json_decref(ro.dps);
		return rc;
	}
	if (c->json) {
		cli_json_out(json_pack("{s:I, s:o}", "policy_version",
				       (json_int_t)v, "dataplanes", ro.dps), 0);
		ro.dps = NULL;
	} else if (json_array_size(ro.dps) == 0) {
		printf("%s: policy %" PRIu64 " made; no dataplane is "
		       "connected, so it is in force nowhere yet\n", what, v);
	} else {
		printf("%s: policy %" PRIu64 " made; in force on %zu of %zu "
		       "connected dataplanes%s\n", what, v, ro.in_force,
		       json_array_size(ro.dps), ro.pending && !c->wait_ms ?
		       " (--wait to wait for the others)" : "");
		json_array_foreach(ro.dps, i, e) {
			const char *why = json_string_value(
				json_object_get(e, "reason"));

			printf("  %s: %s%s%s\n",
			       ctl_fmt_esc(json_string_value(
				       json_object_get(e, "dataplane_id"))),
			       json_string_value(json_object_get(e, "state")),
			       why && why[0] ? ": " : "", ctl_fmt_esc(why));
		}
	}
	json_decref(ro.dps);
	if (c->wait_ms == 0)
		return CLI_EXIT_OK;
	return ro.in_force > 0 && ro.pending == 0 && ro.refused == 0 ?
		CLI_EXIT_OK : CLI_EXIT_FAILED;
}
