/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl's logs (events, alerts), see cli_log.h. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli_log.h"
#include "ctl_pbjson.h"

/*
 * Field name of m, of type. The logs' messages all have the fields read
 * here (cli_log.h): one missing is a bug of this file, not of the input.
 */
static void *
cli_log_at(const ProtobufCMessage *m, const char *name, ProtobufCType type)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
								name);

	if (f == NULL || f->type != type || f->label == PROTOBUF_C_LABEL_REPEATED)
		abort();
	return (char *)(uintptr_t)m + f->offset;
}

/* The reply's repeated message field: the items. */
static const ProtobufCFieldDescriptor *
cli_log_items_field(const ProtobufCMessageDescriptor *d)
{
	for (unsigned int i = 0; i < d->n_fields; i++)
		if (d->fields[i].label == PROTOBUF_C_LABEL_REPEATED &&
		    d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
			return &d->fields[i];
	abort();
}

static ProtobufCMessage **
cli_log_items(const ProtobufCMessage *reply, size_t *n)
{
	const ProtobufCFieldDescriptor *f =
		cli_log_items_field(reply->descriptor);
	const char *m = (const char *)reply;

	memcpy(n, m + f->quantifier_offset, sizeof(*n));
	return *(ProtobufCMessage **const *)(m + f->offset);
}

static uint64_t
cli_log_id(const ProtobufCMessage *item)
{
	return *(const uint64_t *)cli_log_at(item, "id",
					     PROTOBUF_C_TYPE_UINT64);
}

static uint64_t
cli_log_total(const ProtobufCMessage *reply)
{
	return *(const uint64_t *)cli_log_at(reply, "total",
					     PROTOBUF_C_TYPE_UINT64);
}

/* Those after since, or (newest) the newest before before; at most limit
 * (0: cordond's default page). */
static void
cli_log_ask(ProtobufCMessage *req, uint64_t since, bool newest,
	    uint64_t before, uint32_t limit)
{
	*(uint64_t *)cli_log_at(req, "since_id", PROTOBUF_C_TYPE_UINT64) =
		since;
	*(protobuf_c_boolean *)cli_log_at(req, "newest",
					  PROTOBUF_C_TYPE_BOOL) = newest;
	*(uint64_t *)cli_log_at(req, "before_id", PROTOBUF_C_TYPE_UINT64) =
		before;
	*(uint32_t *)cli_log_at(req, "limit", PROTOBUF_C_TYPE_UINT32) = limit;
}

/* One item: a compact JSON object on a line, or the log's text. */
static void
cli_log_item(struct cli *c, const struct cli_log *log,
	     const ProtobufCMessage *item)
{
	if (c->json)
		cli_json_out(ctl_pbjson(item), JSON_COMPACT);
	else
		log->show(c, item);
}

int
cli_log_args(struct cli *c, const struct cli_log *log, int argc,
	     char **argv, const struct cli_opt *extra, struct cli_log_ask *a)
{
	const char *since = NULL, *last = NULL, *before = NULL;
	struct cli_opt opts[16] = {
		{ "--follow", "-f", NULL, &a->follow },
		{ "--since", NULL, &since, NULL },
		{ "--last", "-n", &last, NULL },
		{ "--all", NULL, NULL, &a->all },
		{ "--before", NULL, &before, NULL },
	};
	size_t n = 5;
	uint64_t v;
	int rc;

	memset(a, 0, sizeof(*a));
	for (; extra != NULL && extra->name != NULL; extra++) {
		if (n + 1 >= sizeof(opts) / sizeof(opts[0]))
			abort();	/* a command with too many options */
		opts[n++] = *extra;
	}
	rc = cli_args(c, log->name, argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (since != NULL && (last != NULL || a->all || before != NULL))
		return cli_usage_error("%s: --since ID, or --last, --all, "
				       "--before: not both", log->name);
	if (last != NULL && a->all)
		return cli_usage_error("%s: --last or --all, not both",
				       log->name);
	if (before != NULL && a->follow)
		return cli_usage_error("%s: --follow goes on from the "
				       "newest, not with --before", log->name);
	if (since != NULL) {
		if (cli_u64(since, &a->since) < 0 || a->since > INT64_MAX)
			return cli_usage_error("%s: --since takes an %s id",
					       log->name, log->noun);
		a->since_set = true;
	}
	if (last != NULL) {
		if (cli_u64(last, &v) < 0 || v == 0 || v > CLI_LOG_PAGE)
			return cli_usage_error("%s: --last takes 1 to %d",
					       log->name, CLI_LOG_PAGE);
		a->last = (uint32_t)v;
	}
	if (before != NULL && (cli_u64(before, &a->before) < 0 ||
			       a->before == 0 || a->before > INT64_MAX))
		return cli_usage_error("%s: --before takes an %s id",
				       log->name, log->noun);
	return CLI_EXIT_OK;
}

/*
 * The pages asked for, into pages[] (*n_pages of them, each oldest first):
 * with --since, forwards from the id to the newest; otherwise backwards
 * from the newest (or --before), one page, or with --all every one, so
 * pages[0] is the newest. *total: how many the store holds.
 */
static int
cli_log_fetch(struct cli *c, const struct cli_log *log,
	      const struct cli_log_ask *a, ProtobufCMessage *req,
	      struct wire_msg *pages, size_t max_pages, size_t *n_pages,
	      uint64_t *total)
{
	int rc;

	if (a->since_set)
		cli_log_ask(req, a->since, false, 0, CLI_LOG_PAGE);
	else
		cli_log_ask(req, 0, true, a->before,
			    a->all ? CLI_LOG_PAGE : a->last);
	do {
		const ProtobufCMessage *reply;
		ProtobufCMessage **items;
		size_t n;

		rc = cli_call(c, log->req_type, req, log->reply_type,
			      &pages[*n_pages]);
		if (rc != CLI_EXIT_OK)
			return rc;
		reply = pages[(*n_pages)++].payload;
		items = cli_log_items(reply, &n);
		if (!a->since_set)
			*total = cli_log_total(reply);
		if (n < CLI_LOG_PAGE)
			break;
		if (a->since_set)
			cli_log_ask(req, cli_log_id(items[n - 1]), false, 0,
				    CLI_LOG_PAGE);
		else
			cli_log_ask(req, 0, true, cli_log_id(items[0]),
				    CLI_LOG_PAGE);
	} while (*n_pages < max_pages);
	if (a->since_set && c->json && !a->follow) {
		/* The JSON says how many there are in all, as a page of the
		 * newest would: one item's page carries it. */
		struct wire_msg one;

		cli_log_ask(req, 0, true, 0, 1);
		rc = cli_call(c, log->req_type, req, log->reply_type, &one);
		if (rc != CLI_EXIT_OK)
			return rc;
		*total = cli_log_total(one.payload);
		wire_msg_free(&one);
	}
	return CLI_EXIT_OK;
}

/* The items of every page, oldest first, as one reply with the total. */
static int
cli_log_print_json(const struct cli_log *log, ProtobufCMessage **items,
		   size_t n, uint64_t total)
{
	const ProtobufCFieldDescriptor *f = cli_log_items_field(log->reply);
	ProtobufCMessage *m = calloc(1, log->reply->sizeof_message);

	if (m == NULL) {
		fprintf(stderr, "cordonctl: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	protobuf_c_message_init(log->reply, m);
	memcpy((char *)m + f->quantifier_offset, &n, sizeof(n));
	memcpy((char *)m + f->offset, &items, sizeof(items));
	*(uint64_t *)cli_log_at(m, "total", PROTOBUF_C_TYPE_UINT64) = total;
	cli_print_json(m);
	free(m);		/* the items are the pages' */
	return CLI_EXIT_OK;
}

int
cli_log_run(struct cli *c, const struct cli_log *log,
	    const struct cli_log_ask *a, ProtobufCMessage *req)
{
	const ProtobufCFieldDescriptor *f = cli_log_items_field(log->reply);
	bool multi = a->all || a->since_set;
	size_t n_pages = 0, max_pages = multi ? CLI_LOG_PAGES : 1, n = 0;
	ProtobufCMessage **items = NULL;
	struct wire_msg *pages;
	uint64_t total = 0, next;
	int rc;

	pages = calloc(max_pages, sizeof(*pages));
	if (pages == NULL) {
		fprintf(stderr, "cordonctl: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	rc = cli_log_fetch(c, log, a, req, pages, max_pages, &n_pages, &total);
	if (rc != CLI_EXIT_OK)
		goto out;
	/* Oldest first: --since's pages came forwards, the others
	 * backwards. */
	items = cli_pages_join(pages, n_pages, !a->since_set,
			       f->quantifier_offset, f->offset, &n);
	if (items == NULL) {
		rc = CLI_EXIT_FAILED;
		goto out;
	}
	if (c->json && !a->follow) {
		rc = cli_log_print_json(log, items, n, total);
	} else {
		size_t last_n;

		for (size_t i = 0; i < n; i++)
			cli_log_item(c, log, items[i]);
		cli_log_items(pages[n_pages - 1].payload, &last_n);
		if (!c->json && !a->since_set && n < total)
			printf("(%zu of %" PRIu64 " %s; --last N, --all, "
			       "--before ID for more)\n", n, total, log->name);
		else if (!c->json && a->since_set && n_pages == max_pages &&
			 last_n == CLI_LOG_PAGE)
			printf("(the first %zu; --since %" PRIu64 " for "
			       "more)\n", n, cli_log_id(items[n - 1]));
	}
	fflush(stdout);
	/* --follow: every one after the newest printed. */
	next = n > 0 ? cli_log_id(items[n - 1]) : a->since;
	free(items);
	if (a->follow && rc == CLI_EXIT_OK)
		rc = cli_log_follow(c, log, req, next);
out:
	for (size_t i = 0; i < n_pages; i++)
		wire_msg_free(&pages[i]);
	free(pages);
	return rc;
}

int
cli_log_follow(struct cli *c, const struct cli_log *log,
	       ProtobufCMessage *req, uint64_t since)
{
	uint64_t down_ms = 0;	/* when cordond stopped answering; 0: it does */

	for (;;) {
		struct wire_msg reply;
		ProtobufCMessage **items;
		size_t n;
		int rc;

		cli_log_ask(req, since, false, 0, 0);
		/* Its own words once, not every second's. */
		c->quiet = true;
		rc = cli_call(c, log->req_type, req, log->reply_type, &reply);
		c->quiet = false;
		if (rc == CLI_EXIT_UNREACHABLE) {
			if (down_ms == 0) {
				down_ms = util_time_now_ms();
				fprintf(stderr, "cordonctl: %s; still following, "
					"asking again every %u ms\n", c->unreach,
					CLI_FOLLOW_RETRY_MS);
			}
			usleep(CLI_FOLLOW_RETRY_MS * 1000);
			continue;
		}
		if (rc != CLI_EXIT_OK)
			return rc;
		if (down_ms != 0) {
			fprintf(stderr, "cordonctl: cordond at %s answers again "
				"after %.1f s; following on after %s %" PRIu64
				"\n", c->url,
				(double)(util_time_now_ms() - down_ms) / 1000,
				log->noun, since);
			down_ms = 0;
		}
		items = cli_log_items(reply.payload, &n);
		for (size_t i = 0; i < n; i++)
			cli_log_item(c, log, items[i]);
		if (n > 0)
			since = cli_log_id(items[n - 1]);
		wire_msg_free(&reply);
		/* Nobody reads what is printed (a closed pipe where SIGPIPE
		 * is ignored): a follow would print to nobody for ever. */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "cordonctl: cannot write the output: "
				"%s\n", strerror(errno));
			return CLI_EXIT_FAILED;
		}
		if (n == 0)
			usleep(CLI_FOLLOW_POLL_MS * 1000);
	}
}
