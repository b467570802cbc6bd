/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl events: the store's event log, oldest first: the events after
 * an id (--follow, --since), or a page of the newest (cordonctl's default,
 * --last, --before), with how many there are. The store keeps an event's detail as a flat JSON object; on the wire it
 * is typed: one EventDetail (key, value as text) per member.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cd.h"

/* The reply is built with malloc() throughout: free_unpacked frees it. */
struct cd_events {
	Cordon__Events *rep;
	size_t cap;
};

/*
 * A detail's value as text. Scalars are formatted here and strdup()ed, not
 * through asprintf() or json_dumps(): every event of every query passes
 * through this, and their allocations from inside libc or jansson (built
 * without frame pointers) each gave ASan's stack depot a new, never freed
 * stack trace (a garbage frame differs per call): cordond's resident
 * memory grew ~1 MiB a minute under the soak's ASan build.
 */
static char *
cd_events_text(const json_t *v)
{
	char buf[40];

	switch (json_typeof(v)) {
	case JSON_STRING:
		return strdup(json_string_value(v));
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return strdup(buf);
	case JSON_REAL:
		/* As jansson writes a real: a "1" reads back as an integer. */
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
		if (strpbrk(buf, ".eni") == NULL)
			strcat(buf, ".0");
		return strdup(buf);
	case JSON_TRUE:
		return strdup("true");
	case JSON_FALSE:
		return strdup("false");
	case JSON_NULL:
		return strdup("null");
	default:
		return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	}
}

static int
cd_events_details(Cordon__Event *e, const char *js)
{
	json_t *o = js != NULL ? json_loads(js, 0, NULL) : NULL;
	const char *k;
	json_t *v;
	int rc = 0;

	if (!json_is_object(o)) {
		json_decref(o);
		return 0;
	}
	e->details = calloc(json_object_size(o) + 1, sizeof(*e->details));
	if (e->details == NULL)
		rc = -ENOMEM;
	json_object_foreach(o, k, v) {
		Cordon__EventDetail *d;

		if (rc < 0)
			break;
		if ((d = cd_pb_new(&cordon__event_detail__descriptor)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		e->details[e->n_details++] = d;
		d->key = strdup(k);
		d->value = cd_events_text(v);
		if (d->key == NULL || d->value == NULL)
			rc = -ENOMEM;
	}
	json_decref(o);
	return rc;
}

static int
cd_events_cb(const struct ctl_store_event *ev, void *arg)
{
	struct cd_events *x = arg;
	Cordon__Event *e;
	int rc;

	e = cd_list_add(x->rep->events, &x->rep->n_events, x->cap,
			&cordon__event__descriptor, &rc);
	if (e == NULL)
		return rc;
	e->id = ev->id;
	e->time_unix_ms = ev->time_ms;
	e->kind = strdup(ev->kind);
	e->dataplane_id = strdup(ev->dataplane_id ? ev->dataplane_id : "");
	if (e->kind == NULL || e->dataplane_id == NULL)
		return -ENOMEM;
	if (ev->has_mac) {
		e->mac.data = malloc(6);
		if (e->mac.data == NULL)
			return -ENOMEM;
		memcpy(e->mac.data, ev->mac, 6);
		e->mac.len = 6;
	}
	return cd_events_details(e, ev->detail_json);
}

static nng_msg *
cd_events_list(struct cordond *d, struct cd_req *r)
{
	const Cordon__EventsRequest *q = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	struct cd_events x = {
		.cap = cd_log_cap(q->newest, q->limit),
	};
	nng_msg *bad;
	int rc = -ENOMEM;

	bad = cd_log_page_check(d, req_id, "events", q->newest, q->since_id,
				q->before_id);
	if (bad != NULL)
		return bad;
	x.rep = cd_pb_new(&cordon__events__descriptor);
	if (x.rep != NULL)
		x.rep->events = calloc(x.cap, sizeof(*x.rep->events));
	if (x.rep != NULL && x.rep->events != NULL && q->newest)
		rc = ctl_store_events_newest(d->state.st, q->before_id,
					     (uint32_t)x.cap, cd_events_cb,
					     &x, &x.rep->total);
	else if (x.rep != NULL && x.rep->events != NULL)
		rc = ctl_store_events(d->state.st, q->since_id,
				      (uint32_t)x.cap, cd_events_cb, &x);
	return cd_listing(d, req_id, CORDON__MSG_TYPE__MSG_EVENTS,
			  (ProtobufCMessage *)x.rep, rc, "event");
}

static const struct cd_handler cd_events_handlers[] = {
	CD_HANDLER(EVENTS_REQUEST, CLI, cd_events_list),
};

CD_FEATURE(events);
