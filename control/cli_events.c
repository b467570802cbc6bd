/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl events: what happened, from cordond's store. By default the
 * newest 20, as `tail` or `journalctl -n`: an operator asks what happened
 * lately, and the reply stays a page however many events there are.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cli.h"
#include "ctl_pbjson.h"

/* A page cordond hands out, at most (its CD_LIST_MAX). */
#define CLI_EVENTS_PAGE 1000
/* --all, --since: pages kept, at most (a million events). */
#define CLI_EVENTS_PAGES 1000

/* One event: a line of text, or with --json a compact object. */
static void
cli_events_line(struct cli *c, const Cordon__Event *e)
{
	char when[32];

	if (c->json) {
		cli_json_out(ctl_pbjson(&e->base), JSON_COMPACT);
		return;
	}
	printf("%6" PRIu64 "  %s  %-20s %-12s %s", e->id,
	       cli_fmt_time(e->time_unix_ms, when, true), e->kind,
	       e->dataplane_id, e->mac.len == 6 ? cli_mac_str(&e->mac) : "");
	for (size_t k = 0; k < e->n_details; k++)
		printf(" %s=%s", e->details[k]->key, e->details[k]->value);
	putchar('\n');
}

/* --follow: each reply's events as lines; the last id printed. */
static uint64_t
cli_events_page(struct cli *c, const void *reply)
{
	const Cordon__Events *ev = reply;
	uint64_t last = 0;

	for (size_t i = 0; i < ev->n_events; i++) {
		cli_events_line(c, ev->events[i]);
		last = ev->events[i]->id;
	}
	return last;
}

/* What was asked for. */
struct cli_events_ask {
	bool follow, all, since_set;
	uint64_t since, before;
	uint32_t last;			/* 0: cordond's default page */
};

static int
cli_events_args(struct cli *c, int argc, char **argv,
		struct cli_events_ask *a)
{
	const char *since = NULL, *last = NULL, *before = NULL;
	const struct cli_opt opts[] = {
		{ "--follow", "-f", NULL, &a->follow },
		{ "--since", NULL, &since, NULL },
		{ "--last", "-n", &last, NULL },
		{ "--all", NULL, NULL, &a->all },
		{ "--before", NULL, &before, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	uint64_t v;
	int rc;

	rc = cli_args(c, "events", argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (since != NULL && (last != NULL || a->all || before != NULL))
		return cli_usage_error("events: --since ID, or --last, --all, "
				       "--before: not both");
	if (last != NULL && a->all)
		return cli_usage_error("events: --last or --all, not both");
	if (before != NULL && a->follow)
		return cli_usage_error("events: --follow goes on from the "
				       "newest, not with --before");
	if (since != NULL) {
		if (cli_u64(since, &a->since) < 0 || a->since > INT64_MAX)
			return cli_usage_error("events: --since takes an "
					       "event id");
		a->since_set = true;
	}
	if (last != NULL) {
		if (cli_u64(last, &v) < 0 || v == 0 || v > CLI_EVENTS_PAGE)
			return cli_usage_error("events: --last takes 1 to %d",
					       CLI_EVENTS_PAGE);
		a->last = (uint32_t)v;
	}
	if (before != NULL && (cli_u64(before, &a->before) < 0 ||
			       a->before == 0 || a->before > INT64_MAX))
		return cli_usage_error("events: --before takes an event id");
	return CLI_EXIT_OK;
}

/*
 * The pages asked for, into pages[] (*n_pages of them, each oldest first):
 * with --since, forwards from the id to the newest; otherwise backwards
 * from the newest (or --before), one page, or with --all every one, so
 * pages[0] is the newest. *total: the events in the store.
 */
static int
cli_events_fetch(struct cli *c, const struct cli_events_ask *a,
		 struct wire_msg *pages, size_t max_pages, size_t *n_pages,
		 uint64_t *total)
{
	Cordon__EventsRequest req = CORDON__EVENTS_REQUEST__INIT;
	int rc;

	if (a->since_set) {
		req.since_id = a->since;
		req.limit = CLI_EVENTS_PAGE;
	} else {
		req.newest = true;
		req.before_id = a->before;
		req.limit = a->all ? CLI_EVENTS_PAGE : a->last;
	}
	do {
		const Cordon__Events *ev;

		rc = cli_call(c, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
			      &req.base, CORDON__MSG_TYPE__MSG_EVENTS,
			      &pages[*n_pages]);
		if (rc != CLI_EXIT_OK)
			return rc;
		ev = (const Cordon__Events *)pages[(*n_pages)++].payload;
		if (!a->since_set)
			*total = ev->total;
		if (ev->n_events < CLI_EVENTS_PAGE)
			break;
		if (a->since_set)
			req.since_id = ev->events[ev->n_events - 1]->id;
		else
			req.before_id = ev->events[0]->id;
	} while (*n_pages < max_pages);
	if (a->since_set && c->json && !a->follow) {
		/* The JSON says how many there are in all, as a page of the
		 * newest would: one event's page carries it. */
		struct wire_msg one;

		req = (Cordon__EventsRequest)CORDON__EVENTS_REQUEST__INIT;
		req.newest = true;
		req.limit = 1;
		rc = cli_call(c, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
			      &req.base, CORDON__MSG_TYPE__MSG_EVENTS, &one);
		if (rc != CLI_EXIT_OK)
			return rc;
		*total = ((const Cordon__Events *)one.payload)->total;
		wire_msg_free(&one);
	}
	return CLI_EXIT_OK;
}

/*
 * events [--since ID | --last N | --all | --before ID] [--follow]: the
 * events asked for, oldest first; with --follow, then every new one.
 */
static int
cli_events_run(struct cli *c, int argc, char **argv)
{
	struct cli_events_ask a = { 0 };
	Cordon__Events merged = CORDON__EVENTS__INIT;
	Cordon__EventsRequest next = CORDON__EVENTS_REQUEST__INIT;
	bool multi;
	struct wire_msg *pages = NULL;
	size_t n_pages = 0, max_pages;
	uint64_t total = 0;
	int rc;

	rc = cli_events_args(c, argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc;
	multi = a.all || a.since_set;
	max_pages = multi ? CLI_EVENTS_PAGES : 1;
	pages = calloc(max_pages, sizeof(*pages));
	if (pages == NULL) {
		fprintf(stderr, "cordonctl: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	rc = cli_events_fetch(c, &a, pages, max_pages, &n_pages, &total);
	if (rc != CLI_EXIT_OK)
		goto out;
	/* Oldest first: --since's pages came forwards, the others
	 * backwards. */
	merged.events = CLI_PAGES_JOIN(pages, n_pages, !a.since_set,
				       Cordon__Events, events,
				       &merged.n_events);
	if (merged.events == NULL) {
		rc = CLI_EXIT_FAILED;
		goto out;
	}
	merged.total = total;
	if (c->json && !a.follow) {
		cli_print_json(&merged.base);
	} else {
		for (size_t i = 0; i < merged.n_events; i++)
			cli_events_line(c, merged.events[i]);
		if (!c->json && !a.since_set && merged.n_events < total)
			printf("(%zu of %" PRIu64 " events; --last N, --all, "
			       "--before ID for more)\n", merged.n_events,
			       total);
		else if (!c->json && a.since_set && n_pages == max_pages &&
			 ((const Cordon__Events *)pages[n_pages - 1].payload)
			 ->n_events == CLI_EVENTS_PAGE)
			printf("(the first %zu; --since %" PRIu64 " for "
			       "more)\n", merged.n_events,
			       merged.events[merged.n_events - 1]->id);
	}
	fflush(stdout);
	/* --follow: every event after the newest printed. */
	next.since_id = merged.n_events > 0 ?
			merged.events[merged.n_events - 1]->id : a.since;
	free(merged.events);
	if (a.follow)
		rc = cli_follow(c, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
				&next.base, &next.since_id,
				CORDON__MSG_TYPE__MSG_EVENTS, true, true,
				cli_events_page);
out:
	for (size_t i = 0; i < n_pages; i++)
		wire_msg_free(&pages[i]);
	free(pages);
	return rc;
}

CLI_COMMAND(events, "[--last N | --all | --before ID | --since ID] [--follow]",
	"what happened, from the store",
	"Policy versions made, applied and refused, quarantines and\n"
	"releases, MUD files bound and refused, dataplanes connecting and\n"
	"leaving, oldest first. By default the latest 20 (--last N: N, up\n"
	"to 1000; --all: every one; --before ID: those older than event ID),\n"
	"and a line says when there are more; --since ID: every one after\n"
	"event ID. --follow then keeps printing new ones, and rides out a\n"
	"cordond that is busy or restarting (said on stderr, asked again\n"
	"every second, on after the last event printed). --json prints one\n"
	"object, the events and \"total\" (how many there are in all); with\n"
	"--follow, one object per event and line.");
