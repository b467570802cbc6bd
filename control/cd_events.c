/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl events: the store's event log, from an id on, oldest first. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"

struct cd_events {
	Cordon__Event *e;
	char **strs;
	size_t n, cap;
	uint8_t (*macs)[6];
};

static int
cd_events_cb(const struct ctl_store_event *ev, void *arg)
{
	struct cd_events *x = arg;

	if (x->n == x->cap)
		return 1;
	cordon__event__init(&x->e[x->n]);
	x->e[x->n].id = ev->id;
	x->e[x->n].time_unix_ms = ev->time_ms;
	x->strs[3 * x->n] = strdup(ev->kind);
	x->strs[3 * x->n + 1] = strdup(ev->dataplane_id ? ev->dataplane_id : "");
	x->strs[3 * x->n + 2] = strdup(ev->detail_json ? ev->detail_json : "");
	x->e[x->n].kind = x->strs[3 * x->n] ? x->strs[3 * x->n] : (char *)"";
	x->e[x->n].dataplane_id = x->strs[3 * x->n + 1] ?
		x->strs[3 * x->n + 1] : (char *)"";
	x->e[x->n].detail_json = x->strs[3 * x->n + 2] ?
		x->strs[3 * x->n + 2] : (char *)"";
	if (ev->has_mac) {
		memcpy(x->macs[x->n], ev->mac, 6);
		x->e[x->n].mac.data = x->macs[x->n];
		x->e[x->n].mac.len = 6;
	}
	x->n++;
	return 0;
}

static nng_msg *
cd_events_list(struct cordond *d, struct cd_req *r)
{
	const Cordon__EventsRequest *q = (const Cordon__EventsRequest *)
		r->msg->payload;
	Cordon__Events rep = CORDON__EVENTS__INIT;
	struct cd_events x = { 0 };
	Cordon__Event **ep = NULL;
	nng_msg *out;
	int rc;

	x.cap = q->limit == 0 || q->limit > 1000 ? 1000 : q->limit;
	x.e = calloc(x.cap, sizeof(*x.e));
	x.strs = calloc(3 * x.cap, sizeof(*x.strs));
	x.macs = calloc(x.cap, sizeof(*x.macs));
	ep = calloc(x.cap, sizeof(*ep));
	if (x.e == NULL || x.strs == NULL || x.macs == NULL || ep == NULL) {
		out = cd_error(d, r->msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL, "out of memory");
		goto done;
	}
	rc = ctl_store_events(d->state.st, q->since_id, (uint32_t)x.cap,
			      cd_events_cb, &x);
	if (rc < 0) {
		out = cd_error(d, r->msg->request_id,
			       CORDON__ERROR_CODE__ERR_INTERNAL,
			       ctl_store_errmsg(d->state.st));
		goto done;
	}
	for (size_t i = 0; i < x.n; i++)
		ep[i] = &x.e[i];
	rep.n_events = x.n;
	rep.events = ep;
	out = cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_EVENTS,
		       &rep.base);
done:
	for (size_t i = 0; x.strs != NULL && i < 3 * x.n; i++)
		free(x.strs[i]);
	free(x.strs);
	free(x.e);
	free(x.macs);
	free(ep);
	return out;
}

static const struct cd_handler cd_events_handlers[] = {
	{ CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, CD_EP_CLI, cd_events_list },
};

const struct cd_feature cd_events_feature = {
	.name = "events",
	.handlers = cd_events_handlers,
	.n_handlers = sizeof(cd_events_handlers) /
		sizeof(cd_events_handlers[0]),
};
