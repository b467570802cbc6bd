/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The console's routes: its pages, the JSON API under /api/ that they use,
 * the live event stream and /metrics. Every API answer is JSON; an error is
 * {"error": "..."} with a 4xx (the request was wrong: nothing reached
 * cordond) or a 5xx (cordond was away or failed). Inputs are checked here,
 * strictly, before anything is sent to cordond.
 */

#ifndef CORDON_CONS_API_H
#define CORDON_CONS_API_H

#include <stdbool.h>
#include <stdint.h>

#include "cons_http.h"

enum cons_access {
	CONS_PUBLIC,		/* anyone: the login page, static files */
	CONS_PAGE,		/* a session, else a redirect to /login */
	CONS_API,		/* a session, else 401 */
	CONS_ADMIN,		/* a session with the admin role, else 401/403 */
	CONS_LOGIN,		/* the login: same origin and JSON, no session */
	CONS_METRICS,		/* a session or the metrics bearer token */
};

struct cons_route {
	const char *method;
	const char *path;
	enum cons_access access;
	int (*fn)(struct cons_req *r);
};

/* The route for method and path; NULL with *path_known set when the path
 * exists for another method. */
const struct cons_route *cons_api_find(const char *method, const char *path,
				       bool *path_known);

/* Append an audit record to cordond's events (best effort: a failure is
 * logged and counted). mac may be NULL; detail a JSON object or NULL
 * (stolen). */
void cons_audit(struct cons_req *r, const char *actor, const char *action,
		const uint8_t *mac, json_t *detail);

#endif /* CORDON_CONS_API_H */
