/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cons_api.h"
#include "cons_assets.h"
#include "cons_metrics.h"
#include "ctl_audit.h"
#include "ctl_consent.h"
#include "ctl_pbjson.h"
#include "policy_validate.h"
#include "util_mac.h"

#define REASON_MAX 200
#define SEGMENT_MAX 64
#define DP_ID_MAX 64
#define SSE_POLL_MS 500
#define SSE_KEEPALIVE_MS 15000

/* --- checks ------------------------------------------------------------ */

/* Dataplane ids and segment names: [A-Za-z0-9._-], 1..max. */
static bool
name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;

	if (s == NULL || s[0] < '0' || s[0] > '9' || strlen(s) > 20)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

/*
 * The request's JSON body as an object whose keys are all in allowed
 * (NULL-terminated); else a 400 is sent and NULL returned.
 */
static json_t *
body_object(struct cons_req *r, const char *const *allowed)
{
	json_error_t je;
	const char *k;
	json_t *o, *v;

	if (r->body == NULL) {
		cons_send_error(r, 400, "a JSON object is needed");
		return NULL;
	}
	if (strlen(r->body) != r->body_len) {
		cons_send_error(r, 400, "NUL byte in the body");
		return NULL;
	}
	o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		cons_send_error(r, 400, "the body is not a JSON object");
		return NULL;
	}
	json_object_foreach(o, k, v) {
		bool ok = false;

		for (size_t i = 0; allowed[i] != NULL && !ok; i++)
			ok = strcmp(allowed[i], k) == 0;
		if (!ok) {
			cons_send_error(r, 400, "unknown field '%.40s'", k);
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* A string member (missing: def, NULL def: required). 400 if bad. */
static bool
body_str(struct cons_req *r, json_t *o, const char *key, const char *def,
	 const char **out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL && def != NULL) {
		*out = def;
		return true;
	}
	if (v == NULL || !json_is_string(v)) {
		cons_send_error(r, 400, "'%s' must be a string", key);
		return false;
	}
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v)) {
		cons_send_error(r, 400, "'%s' holds a NUL byte", key);
		return false;
	}
	return true;
}

static bool
body_mac(struct cons_req *r, json_t *o, uint8_t mac[6], char txt[18])
{
	const char *s;

	if (!body_str(r, o, "mac", NULL, &s))
		return false;
	if (util_mac_parse(s, mac) < 0) {
		cons_send_error(r, 400, "'mac' is not a MAC (aa:bb:cc:dd:ee:ff)");
		return false;
	}
	if (mac[0] & 1) {
		cons_send_error(r, 400, "'mac' is a group address, not a device");
		return false;
	}
	util_mac_format(mac, txt);
	return true;
}

static void
actor_of(struct cons_req *r, char *out, size_t len)
{
	snprintf(out, len, "console:%s", r->has_session ? r->sess.user : "-");
}

/* --- cordond ------------------------------------------------------------ */

/* Send the failure of a call to cordond. */
static int
send_call_error(struct cons_req *r, int rc, const struct wire_err *err)
{
	if (rc == -EREMOTEIO) {
		switch (err->code) {
		case CORDON__ERROR_CODE__ERR_NOT_FOUND:
			return cons_send_error(r, 404, "cordond: %s", err->text);
		case CORDON__ERROR_CODE__ERR_INVALID:
			return cons_send_error(r, 409, "cordond: %s", err->text);
		default:
			return cons_send_error(r, 502, "cordond: %s (%s)",
					       err->text,
					       wire_err_name(err->code));
		}
	}
	if (rc == -ETIMEDOUT)
		return cons_send_error(r, 503, "cordond did not answer within "
				       "%u ms", r->srv->conf.timeout_ms);
	return cons_send_error(r, 502, "cordond: %s", err->text[0] ?
			       err->text : strerror(-rc));
}

static int
call(struct cons_req *r, Cordon__MsgType type, const ProtobufCMessage *req,
     Cordon__MsgType want, struct wire_msg *reply)
{
	struct wire_err err;
	int rc;

	rc = cons_client_call(&r->srv->cl, type, req, want, reply, &err);
	if (rc < 0)
		send_call_error(r, rc, &err);
	return rc;
}

void
cons_audit(struct cons_req *r, const char *actor, const char *action,
	   const uint8_t *mac, json_t *detail)
{
	Cordon__Audit a = CORDON__AUDIT__INIT;
	struct wire_msg reply;
	struct wire_err err;
	char *js = NULL;
	int rc;

	if (detail != NULL) {
		json_object_set_new(detail, "from", json_string(r->addr));
		js = json_dumps(detail, JSON_COMPACT);
		json_decref(detail);
	}
	a.actor = (char *)actor;
	a.action = (char *)action;
	if (mac != NULL) {
		a.mac.data = (uint8_t *)mac;
		a.mac.len = 6;
	}
	a.detail_json = js != NULL ? js : (char *)"";
	rc = cons_client_call(&r->srv->cl, CORDON__MSG_TYPE__MSG_AUDIT, &a.base,
			      CORDON__MSG_TYPE__MSG_ACK, &reply, &err);
	if (rc == 0)
		wire_msg_free(&reply);
	else
		fprintf(stderr, "cordon-console: audit %s %s not recorded: "
			"%s\n", actor, action, err.text[0] ? err.text :
			strerror(-rc));
	free(js);
}

/* --- pages ------------------------------------------------------------- */

static int
send_asset(struct cons_req *r, const char *name)
{
	const struct cons_asset *a = cons_asset_find(name);

	if (a == NULL)
		return cons_send_error(r, 404, "no such file");
	return cons_send_bytes(r, 200, a->type, a->data, a->len,
			       strstr(name, ".html") == NULL, NULL);
}

static int
page_root(struct cons_req *r)
{
	return cons_send_redirect(r, 303, r->has_session ? "/devices" :
				  "/login");
}

static int
page_login(struct cons_req *r)
{
	return send_asset(r, "login.html");
}

/* /devices, /device, ...: one page.html; app.js loads the page's script
 * (devices.js, ...) by the path. */
static int
page_app(struct cons_req *r)
{
	return send_asset(r, "page.html");
}

static int
page_static(struct cons_req *r)
{
	const char *name = r->path + strlen("/static/");

	if (strcmp(name, "chart.js") == 0) {
		if (r->srv->chartjs == NULL)
			return cons_send_error(r, 404, "Chart.js is not "
					       "installed (libjs-chart.js)");
		return cons_send_bytes(r, 200, "text/javascript; "
				       "charset=utf-8", r->srv->chartjs,
				       r->srv->chartjs_len, true, NULL);
	}
	if (strstr(name, ".html") != NULL)
		return cons_send_error(r, 404, "no such file");
	return send_asset(r, name);
}

/* --- session ------------------------------------------------------------ */

static json_t *
session_json(const struct cons_session *s)
{
	return json_pack("{sssssss{sbsb}}", "user", s->user, "role",
			 cons_role_name(s->role), "csrf", s->csrf, "may",
			 "look", 1, "act", s->role == CONS_ROLE_ADMIN);
}

static int
api_login(struct cons_req *r)
{
	static const char *const keys[] = { "user", "password", NULL };
	struct cons_session s;
	const char *user, *pw;
	char cookie[200], actor[64];
	enum cons_login_rc lr;
	uint64_t delay = 0;
	json_t *o;
	int rc;

	o = body_object(r, keys);
	if (o == NULL)
		return 0;
	if (!body_str(r, o, "user", NULL, &user) ||
	    !body_str(r, o, "password", NULL, &pw))
		goto out;
	if (strlen(user) == 0 || strlen(user) > CONS_USER_MAX ||
	    strlen(pw) == 0 || strlen(pw) > CONS_PASSWORD_MAX) {
		cons_send_error(r, 400, "user 1..%d and password 1..%d bytes",
				CONS_USER_MAX, CONS_PASSWORD_MAX);
		goto out;
	}
	lr = cons_auth_login(&r->srv->auth, user, pw, r->addr,
			     util_time_now_ms(), &s, &delay);
	snprintf(actor, sizeof(actor), "console:%s",
		 cons_user_name_ok(user) ? user : "?");
	switch (lr) {
	case CONS_LOGIN_OK:
		cons_audit(r, actor, "login", NULL,
			   json_pack("{ss}", "role", cons_role_name(s.role)));
		snprintf(cookie, sizeof(cookie), "__Host-cordon_session=%s; "
			 "Path=/; Secure; HttpOnly; SameSite=Strict; "
			 "Max-Age=%d", s.id, CONS_SESSION_MAX_S);
		{
			char *js;
			json_t *j = session_json(&s);

			js = json_dumps(j, JSON_COMPACT);
			json_decref(j);
			rc = cons_send_bytes(r, 200, "application/json",
					     js ? js : "{}", js ? strlen(js) : 2,
					     false, cookie);
			free(js);
			(void)rc;
		}
		break;
	case CONS_LOGIN_BAD:
		cons_audit(r, actor, "login_failed", NULL,
			   json_pack("{sI}", "delay_ms", (json_int_t)delay));
		/* Held back: a guesser gets one answer per delay. */
		for (uint64_t t = 0; t < delay && !r->srv->stopping; t += 100)
			usleep(100 * 1000);
		cons_send_error(r, 401, "wrong user or password");
		break;
	case CONS_LOGIN_THROTTLED: {
		struct MHD_Response *resp;
		char ra[24], msg[96];
		int n;

		n = snprintf(msg, sizeof(msg), "{\"error\":\"too many failed "
			     "logins: wait %" PRIu64 " s\"}", (delay + 999) /
			     1000);
		snprintf(ra, sizeof(ra), "%" PRIu64, (delay + 999) / 1000);
		resp = MHD_create_response_from_buffer((size_t)n, msg,
						       MHD_RESPMEM_MUST_COPY);
		if (resp != NULL) {
			MHD_add_response_header(resp, "Retry-After", ra);
			MHD_add_response_header(resp, "Content-Type",
						"application/json");
		}
		cons_send_response(r, 429, resp);
		break;
	}
	case CONS_LOGIN_ERROR:
		cons_send_error(r, 503, "no session could be made (too many)");
		break;
	}
out:
	json_decref(o);
	return 0;
}

static int
api_logout(struct cons_req *r)
{
	char actor[64];

	actor_of(r, actor, sizeof(actor));
	cons_auth_logout(&r->srv->auth, r->sess.id);
	cons_audit(r, actor, "logout", NULL, NULL);
	return cons_send_bytes(r, 200, "application/json", "{}", 2, false,
			       "__Host-cordon_session=; Path=/; Secure; "
			       "HttpOnly; SameSite=Strict; Max-Age=0");
}

static int
api_session(struct cons_req *r)
{
	return cons_send_json(r, 200, session_json(&r->sess));
}

/* --- devices ------------------------------------------------------------ */

static const char *const no_args[] = { NULL };

/* The quarantined MACs and the policy's segments; an empty policy
 * (version 0) when there is none yet. */
static int
fetch_policy(struct cons_req *r, struct wire_msg *reply, bool *have)
{
	Cordon__PolicyGet get = CORDON__POLICY_GET__INIT;
	struct wire_err err;
	int rc;

	*have = false;
	rc = cons_client_call(&r->srv->cl, CORDON__MSG_TYPE__MSG_POLICY_GET,
			      &get.base, CORDON__MSG_TYPE__MSG_POLICY, reply,
			      &err);
	if (rc == -EREMOTEIO && err.code == CORDON__ERROR_CODE__ERR_NOT_FOUND)
		return 0;
	if (rc < 0) {
		send_call_error(r, rc, &err);
		return rc;
	}
	*have = true;
	return 0;
}

static void
sum_field(json_t *into, json_t *from, const char *k)
{
	json_int_t a = json_integer_value(json_object_get(into, k));
	json_int_t b = json_integer_value(json_object_get(from, k));

	json_object_set_new(into, k, json_integer(a + b));
}

static void
append_unique(json_t *arr, json_t *items)
{
	size_t i, j;
	json_t *v, *w;

	json_array_foreach(items, i, v) {
		bool seen = false;

		json_array_foreach(arr, j, w)
			if (json_equal(v, w))
				seen = true;
		if (!seen)
			json_array_append(arr, v);
	}
}

/* One object per MAC, over every dataplane and VLAN it was seen on. */
static json_t *
devices_grouped(const Cordon__StatsReply *st, const Cordon__Policy *pol,
		const uint8_t *only)
{
	static const char *const sums[] = {
		"allowed_packets", "allowed_bytes", "denied_packets",
		"denied_bytes", "received_packets", "received_bytes", "flows",
		NULL,
	};
	json_t *by_mac = json_object(), *out = json_array(), *v;
	const char *k;

	for (size_t i = 0; i < st->n_reports; i++) {
		const Cordon__StatsReport *rep = st->reports[i];

		for (size_t j = 0; j < rep->n_devices; j++) {
			const Cordon__DeviceStats *d = rep->devices[j];
			json_t *e, *g, *id, *ev;
			char mac[18];

			if (d->mac.len != 6 ||
			    (only != NULL && memcmp(d->mac.data, only, 6)))
				continue;
			util_mac_format(d->mac.data, mac);
			e = ctl_pbjson(&d->base);
			json_object_set_new(e, "dataplane_id",
					    json_string(rep->dataplane_id));
			g = json_object_get(by_mac, mac);
			if (g == NULL) {
				g = json_pack("{sssOs[]s[]sb}", "mac", mac,
					      "identity", json_null(),
					      "addresses", "entries",
					      "quarantined",
					      policy_quarantined(pol,
								 d->mac.data));
				for (size_t s = 0; sums[s]; s++)
					json_object_set_new(g, sums[s],
							    json_integer(0));
				json_object_set_new(by_mac, mac, g);
			}
			for (size_t s = 0; sums[s]; s++)
				sum_field(g, e, sums[s]);
			append_unique(json_object_get(g, "addresses"),
				      json_object_get(e, "addresses"));
			/* The identity with the most evidence wins. */
			id = json_object_get(e, "identity");
			ev = id != NULL ? json_loads(json_string_value(
				json_object_get(id, "evidence_json")), 0, NULL) :
				NULL;
			if (id != NULL && (json_is_null(json_object_get(g,
				"identity")) || json_array_size(ev) >
				json_array_size(json_object_get(g, "evidence")))) {
				json_object_set(g, "identity", id);
				json_object_set_new(g, "evidence", ev != NULL ?
						    ev : json_array());
				ev = NULL;
			}
			json_decref(ev);
			json_object_del(e, "identity");
			json_array_append_new(json_object_get(g, "entries"), e);
		}
	}
	json_object_foreach(by_mac, k, v) {
		json_t *id = json_object_get(v, "identity");

		if (json_is_object(id))
			json_object_del(id, "evidence_json");
		json_array_append(out, v);
	}
	json_decref(by_mac);
	return out;
}

static int
fetch_stats(struct cons_req *r, struct wire_msg *reply)
{
	Cordon__StatsRequest req = CORDON__STATS_REQUEST__INIT;

	req.dataplane_id = (char *)"";
	return call(r, CORDON__MSG_TYPE__MSG_STATS_REQUEST, &req.base,
		    CORDON__MSG_TYPE__MSG_STATS_REPLY, reply);
}

static int
api_devices_common(struct cons_req *r, const uint8_t *only)
{
	struct wire_msg st, pol;
	bool have_pol;
	json_t *list;

	if (fetch_stats(r, &st) < 0)
		return 0;
	if (fetch_policy(r, &pol, &have_pol) < 0) {
		wire_msg_free(&st);
		return 0;
	}
	list = devices_grouped((const Cordon__StatsReply *)st.payload,
			       have_pol ? (const Cordon__Policy *)pol.payload :
			       NULL, only);
	wire_msg_free(&st);
	if (have_pol)
		wire_msg_free(&pol);
	if (only == NULL)
		return cons_send_json(r, 200, json_pack("{so}", "devices",
							list));
	if (json_array_size(list) == 0) {
		json_decref(list);
		return cons_send_error(r, 404, "no such device");
	}
	{
		json_t *d = json_incref(json_array_get(list, 0));

		json_decref(list);
		json_object_set_new(d, "history",
				    cons_history_json(&r->srv->hist, only));
		return cons_send_json(r, 200, d);
	}
}

static int
api_devices(struct cons_req *r)
{
	if (!cons_args_only(r, no_args))
		return 0;
	return api_devices_common(r, NULL);
}

static int
api_device(struct cons_req *r)
{
	static const char *const args[] = { "mac", NULL };
	uint8_t mac[6];

	if (!cons_args_only(r, args))
		return 0;
	if (util_mac_parse(cons_arg(r, "mac"), mac) < 0)
		return cons_send_error(r, 400, "mac=aa:bb:cc:dd:ee:ff is "
				       "needed");
	return api_devices_common(r, mac);
}

static int
api_flows(struct cons_req *r)
{
	static const char *const args[] = { "mac", "dataplane", "limit", NULL };
	Cordon__FlowsRequest req = CORDON__FLOWS_REQUEST__INIT;
	const char *mac_s = cons_arg(r, "mac"), *dp = cons_arg(r, "dataplane");
	const char *lim = cons_arg(r, "limit");
	struct wire_msg reply;
	uint64_t limit = 200;
	uint8_t mac[6];

	if (!cons_args_only(r, args))
		return 0;
	if (mac_s != NULL && util_mac_parse(mac_s, mac) < 0)
		return cons_send_error(r, 400, "mac is not a MAC "
				       "(aa:bb:cc:dd:ee:ff)");
	if (dp != NULL && !name_ok(dp, DP_ID_MAX))
		return cons_send_error(r, 400, "dataplane is not a dataplane "
				       "id");
	if (lim != NULL && parse_u64(lim, 1, 10000, &limit) < 0)
		return cons_send_error(r, 400, "limit must be in 1..10000");
	req.dataplane_id = (char *)(dp != NULL ? dp : "");
	if (mac_s != NULL) {
		req.mac.data = mac;
		req.mac.len = 6;
	}
	req.limit = (uint32_t)limit;
	if (call(r, CORDON__MSG_TYPE__MSG_FLOWS_REQUEST, &req.base,
		 CORDON__MSG_TYPE__MSG_FLOWS_REPLY, &reply) < 0)
		return 0;
	cons_send_json(r, 200, ctl_pbjson(reply.payload));
	wire_msg_free(&reply);
	return 0;
}

/* --- actions ------------------------------------------------------------ */

/* An action that makes a policy version: answer with its number. */
static void
act(struct cons_req *r, Cordon__MsgType type, const ProtobufCMessage *m)
{
	struct wire_msg reply;
	uint64_t v;

	if (call(r, type, m, CORDON__MSG_TYPE__MSG_ACK, &reply) < 0)
		return;
	v = ((const Cordon__Ack *)reply.payload)->seq;
	wire_msg_free(&reply);
	cons_send_json(r, 200, json_pack("{sI}", "policy_version",
					 (json_int_t)v));
}

static int
quarantine_common(struct cons_req *r, bool release)
{
	static const char *const keys[] = { "mac", "reason", NULL };
	Cordon__Quarantine q = CORDON__QUARANTINE__INIT;
	const char *reason = "";
	char actor[64], mac_s[18];
	uint8_t mac[6];
	json_t *o;

	o = body_object(r, keys);
	if (o == NULL)
		return 0;
	if (!body_mac(r, o, mac, mac_s) ||
	    !body_str(r, o, "reason", "", &reason))
		goto out;
	if (release && reason[0] != '\0') {
		cons_send_error(r, 400, "a release takes no reason");
		goto out;
	}
	if (!ctl_audit_text_ok(reason, 0, REASON_MAX)) {
		cons_send_error(r, 400, "'reason': at most %d printable bytes",
				REASON_MAX);
		goto out;
	}
	actor_of(r, actor, sizeof(actor));
	q.mac.data = mac;
	q.mac.len = 6;
	q.reason = (char *)reason;
	q.release = release;
	q.by = actor;
	act(r, CORDON__MSG_TYPE__MSG_QUARANTINE, &q.base);
out:
	json_decref(o);
	return 0;
}

static int
api_quarantine(struct cons_req *r)
{
	return quarantine_common(r, false);
}

static int
api_release(struct cons_req *r)
{
	return quarantine_common(r, true);
}

static int
api_segment(struct cons_req *r)
{
	static const char *const keys[] = { "mac", "vlan", "segment", NULL };
	Cordon__DeviceSegment ds = CORDON__DEVICE_SEGMENT__INIT;
	const char *seg;
	char actor[64], mac_s[18];
	json_t *o, *vlan;
	uint8_t mac[6];

	o = body_object(r, keys);
	if (o == NULL)
		return 0;
	if (!body_mac(r, o, mac, mac_s) ||
	    !body_str(r, o, "segment", NULL, &seg))
		goto out;
	if (seg[0] != '\0' && !name_ok(seg, SEGMENT_MAX)) {
		cons_send_error(r, 400, "'segment' is not a segment name "
				"([A-Za-z0-9._-], at most %d)", SEGMENT_MAX);
		goto out;
	}
	vlan = json_object_get(o, "vlan");
	if (vlan != NULL && (!json_is_integer(vlan) ||
			     json_integer_value(vlan) < 0 ||
			     json_integer_value(vlan) > 4095)) {
		cons_send_error(r, 400, "'vlan' must be an integer in 0..4095");
		goto out;
	}
	actor_of(r, actor, sizeof(actor));
	ds.mac.data = mac;
	ds.mac.len = 6;
	ds.vlan = vlan != NULL ? (uint32_t)json_integer_value(vlan) : 0;
	ds.segment = (char *)seg;
	ds.by = actor;
	act(r, CORDON__MSG_TYPE__MSG_DEVICE_SEGMENT, &ds.base);
out:
	json_decref(o);
	return 0;
}

/* --- capture -------------------------------------------------------------- */

/*
 * GET /api/capture?mac=M[&count=N][&seconds=S][&filter=BPF][&dataplane=ID]:
 * the dataplane's capture of the device as a pcapng download (admins: it
 * holds the device's traffic). Recorded in the audit trail.
 */
static int
api_capture(struct cons_req *r)
{
	static const char *const args[] = { "mac", "count", "seconds",
		"filter", "dataplane", NULL };
	Cordon__CaptureRequest cr = CORDON__CAPTURE_REQUEST__INIT;
	const char *cnt = cons_arg(r, "count"), *secs = cons_arg(r, "seconds");
	const char *filter = cons_arg(r, "filter"), *dp = cons_arg(r, "dataplane");
	const Cordon__Capture *cap;
	uint64_t count = 0, seconds = 10;
	struct wire_msg reply;
	struct wire_err err;
	char actor[64], name[64];
	uint8_t mac[6];
	int rc;

	if (!cons_args_only(r, args))
		return 0;
	if (util_mac_parse(cons_arg(r, "mac"), mac) < 0 || (mac[0] & 1))
		return cons_send_error(r, 400, "mac=aa:bb:cc:dd:ee:ff (a "
				       "device) is needed");
	if ((cnt != NULL && parse_u64(cnt, 1, 100000, &count) < 0) ||
	    (secs != NULL && parse_u64(secs, 1, 30, &seconds) < 0))
		return cons_send_error(r, 400, "count=N (1..100000), "
				       "seconds=S (1..30)");
	if (filter != NULL && !ctl_audit_text_ok(filter, 0, 1024))
		return cons_send_error(r, 400, "filter: at most 1024 printable "
				       "bytes");
	if (dp != NULL && !name_ok(dp, DP_ID_MAX))
		return cons_send_error(r, 400, "dataplane is not a dataplane "
				       "id");
	cr.mac.data = mac;
	cr.mac.len = 6;
	cr.count = (uint32_t)count;
	cr.seconds = (uint32_t)seconds;
	cr.filter = (char *)(filter != NULL ? filter : "");
	cr.dataplane_id = (char *)(dp != NULL ? dp : "");
	actor_of(r, actor, sizeof(actor));
	cons_audit(r, actor, "capture", mac, json_pack("{sIsIss}", "count",
		   (json_int_t)count, "seconds", (json_int_t)seconds,
		   "filter", cr.filter));
	rc = cons_client_call_within(&r->srv->cl, (uint32_t)(seconds + 10) *
				     1000, CORDON__MSG_TYPE__MSG_CAPTURE_REQUEST,
				     &cr.base, CORDON__MSG_TYPE__MSG_CAPTURE_REPLY,
				     &reply, &err);
	if (rc < 0)
		return send_call_error(r, rc, &err);
	cap = (const Cordon__Capture *)reply.payload;
	snprintf(name, sizeof(name), "cordon-%02x%02x%02x%02x%02x%02x.pcapng",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	rc = cons_send_download(r, "application/x-pcapng", cap->pcapng.data,
				cap->pcapng.len, name);
	wire_msg_free(&reply);
	return rc;
}

/* --- consent prompts ---------------------------------------------------- */

static int
api_prompts(struct cons_req *r)
{
	Cordon__PromptsRequest pr = CORDON__PROMPTS_REQUEST__INIT;
	struct wire_msg reply;
	json_t *out;

	if (!cons_args_only(r, no_args))
		return 0;
	if (call(r, CORDON__MSG_TYPE__MSG_PROMPTS_REQUEST, &pr.base,
		 CORDON__MSG_TYPE__MSG_PROMPTS, &reply) < 0)
		return 0;
	out = ctl_pbjson(reply.payload);
	json_object_set_new(out, "now_unix_ms",
			    json_integer((json_int_t)util_time_now_ms()));
	wire_msg_free(&reply);
	return cons_send_json(r, 200, out);
}

/* {"id": N, "answer": "once"|"always"|"deny"|"ignore"[, "for": S]}, or for
 * an alert's prompt "quarantine"|"dismiss":
 * cordond records the answer, who gave it, and (always) the policy version
 * it made; with "for", always for S seconds only (1 s .. a year). */
static int
api_prompt_answer(struct cons_req *r)
{
	static const char *const keys[] = { "id", "answer", "for", NULL };
	Cordon__PromptAnswer a = CORDON__PROMPT_ANSWER__INIT;
	const char *ans;
	char actor[64];
	json_t *o, *id, *for_s;

	o = body_object(r, keys);
	if (o == NULL)
		return 0;
	id = json_object_get(o, "id");
	if (id == NULL || !json_is_integer(id) || json_integer_value(id) < 1) {
		cons_send_error(r, 400, "'id' must be a prompt's id (> 0)");
		goto out;
	}
	if (!body_str(r, o, "answer", NULL, &ans))
		goto out;
	a.answer = ctl_consent_answer_kind(ans);
	if (a.answer == CORDON__PROMPT_ANSWER_KIND__ANSWER_NONE) {
		cons_send_error(r, 400, "'answer' must be once, always, deny, "
				"ignore, quarantine or dismiss");
		goto out;
	}
	for_s = json_object_get(o, "for");
	if (for_s != NULL && (!json_is_integer(for_s) ||
			      json_integer_value(for_s) < 1 ||
			      json_integer_value(for_s) > 366 * 86400 ||
			      a.answer !=
			      CORDON__PROMPT_ANSWER_KIND__ANSWER_ALWAYS)) {
		cons_send_error(r, 400, "'for' must be 1..31622400 seconds, "
				"with answer always");
		goto out;
	}
	if (for_s != NULL)
		a.for_seconds = (uint64_t)json_integer_value(for_s);
	actor_of(r, actor, sizeof(actor));
	a.id = (uint64_t)json_integer_value(id);
	a.by = actor;
	act(r, CORDON__MSG_TYPE__MSG_PROMPT_ANSWER, &a.base);
out:
	json_decref(o);
	return 0;
}

/* --- policy ------------------------------------------------------------- */

static int
api_policy(struct cons_req *r)
{
	Cordon__PolicyHistoryRequest hr = CORDON__POLICY_HISTORY_REQUEST__INIT;
	struct wire_msg pol, hist;
	bool have;
	json_t *out, *segs = json_array(), *q = json_array();

	if (!cons_args_only(r, no_args) || fetch_policy(r, &pol, &have) < 0) {
		json_decref(segs);
		json_decref(q);
		return 0;
	}
	hr.limit = 200;
	if (call(r, CORDON__MSG_TYPE__MSG_POLICY_HISTORY, &hr.base,
		 CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, &hist) < 0) {
		if (have)
			wire_msg_free(&pol);
		json_decref(segs);
		json_decref(q);
		return 0;
	}
	out = json_object();
	if (have) {
		const Cordon__Policy *p = (const Cordon__Policy *)pol.payload;

		for (size_t i = 0; i < p->n_segments; i++)
			json_array_append_new(segs, json_pack("{sIsssb}",
				"id", (json_int_t)p->segments[i]->id, "name",
				p->segments[i]->name, "quarantine",
				p->segments[i]->id == p->quarantine_segment));
		for (size_t i = 0; i < p->n_quarantined; i++) {
			char m[18];

			if (p->quarantined[i].len != 6)
				continue;
			util_mac_format(p->quarantined[i].data, m);
			json_array_append_new(q, json_string(m));
		}
		json_object_set_new(out, "version",
				    json_integer((json_int_t)p->version));
		json_object_set_new(out, "comment", json_string(p->comment));
		json_object_set_new(out, "rules",
				    json_integer((json_int_t)p->n_rules));
		json_object_set_new(out, "devices",
				    json_integer((json_int_t)p->n_devices));
		wire_msg_free(&pol);
	} else {
		json_object_set_new(out, "version", json_integer(0));
	}
	json_object_set_new(out, "segments", segs);
	json_object_set_new(out, "quarantined", q);
	{
		json_t *hj = ctl_pbjson(hist.payload);
		json_t *vs = json_object_get(hj, "versions");

		json_object_set_new(out, "history", vs != NULL ?
				    json_incref(vs) : json_array());
		json_decref(hj);
	}
	wire_msg_free(&hist);
	return cons_send_json(r, 200, out);
}

static int
api_policy_diff(struct cons_req *r)
{
	static const char *const args[] = { "from", "to", NULL };
	Cordon__PolicyDiffRequest dr = CORDON__POLICY_DIFF_REQUEST__INIT;
	const char *to = cons_arg(r, "to");
	struct wire_msg reply;

	if (!cons_args_only(r, args))
		return 0;
	if (parse_u64(cons_arg(r, "from"), 1, INT64_MAX, &dr.from_version) < 0 ||
	    (to != NULL && parse_u64(to, 0, INT64_MAX, &dr.to_version) < 0))
		return cons_send_error(r, 400, "from=VERSION [to=VERSION] are "
				       "needed");
	if (call(r, CORDON__MSG_TYPE__MSG_POLICY_DIFF, &dr.base,
		 CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY, &reply) < 0)
		return 0;
	cons_send_json(r, 200, json_pack("{ss}", "diff",
		((const Cordon__PolicyDiff *)reply.payload)->diff));
	wire_msg_free(&reply);
	return 0;
}

static int
api_policy_rollback(struct cons_req *r)
{
	static const char *const keys[] = { "version", NULL };
	Cordon__PolicyRollback rb = CORDON__POLICY_ROLLBACK__INIT;
	struct wire_msg reply;
	char actor[64];
	json_t *o, *v;

	o = body_object(r, keys);
	if (o == NULL)
		return 0;
	v = json_object_get(o, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		json_decref(o);
		return cons_send_error(r, 400, "'version' must be a version "
				       "number");
	}
	rb.version = (uint64_t)json_integer_value(v);
	json_decref(o);
	actor_of(r, actor, sizeof(actor));
	rb.applied_by = actor;
	if (call(r, CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK, &rb.base,
		 CORDON__MSG_TYPE__MSG_ACK, &reply) == 0) {
		uint64_t made = ((const Cordon__Ack *)reply.payload)->seq;

		wire_msg_free(&reply);
		/* The new version names its maker in the history; the events
		 * say it too. */
		cons_audit(r, actor, "policy_rollback", NULL,
			   json_pack("{sIsI}", "to", (json_int_t)rb.version,
				     "version", (json_int_t)made));
		cons_send_json(r, 200, json_pack("{sI}", "policy_version",
						 (json_int_t)made));
	}
	return 0;
}

/* --- events --------------------------------------------------------------- */

/* An event as JSON; ctl_pbjson() makes its details one object. */
static json_t *
event_json(const Cordon__Event *e)
{
	json_t *o = ctl_pbjson(&e->base);
	json_t *d = json_object_get(o, "details");

	if (d != NULL)
		json_object_set(o, "detail", d);
	else
		json_object_set_new(o, "detail", json_object());
	json_object_del(o, "details");
	return o;
}

/* Is there an event with an id above id? (-1: cordond failed, answered) */
static int
event_after(struct cons_req *r, uint64_t id)
{
	Cordon__EventsRequest er = CORDON__EVENTS_REQUEST__INIT;
	struct wire_msg reply;
	int n;

	er.since_id = id;
	er.limit = 1;
	if (call(r, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		 CORDON__MSG_TYPE__MSG_EVENTS, &reply) < 0)
		return -1;
	n = ((const Cordon__Events *)reply.payload)->n_events > 0;
	wire_msg_free(&reply);
	return n;
}

/*
 * The highest event id. cordond's EventsRequest reads forwards from an id,
 * so find the end by galloping and bisecting on "any event after X?": about
 * 2 log2(last) tiny requests. Ids only grow (AUTOINCREMENT, no deletes).
 */
static int
events_last_id(struct cons_req *r, uint64_t *last)
{
	uint64_t lo = 0, hi = 1;
	int rc;

	/* Invariant: an event after lo exists (or lo == 0). */
	while ((rc = event_after(r, hi)) == 1) {
		lo = hi;
		if (hi > (uint64_t)INT64_MAX / 2)
			break;
		hi *= 2;
	}
	if (rc < 0)
		return -1;
	/* No event after hi: the last id is in (lo, hi]. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		rc = event_after(r, mid);
		if (rc < 0)
			return -1;
		if (rc)
			lo = mid;
		else
			hi = mid;
	}
	rc = event_after(r, lo);
	if (rc < 0)
		return -1;
	*last = rc ? hi : lo;
	return 0;
}

static int
api_events(struct cons_req *r)
{
	static const char *const args[] = { "since", "limit", "tail", NULL };
	Cordon__EventsRequest er = CORDON__EVENTS_REQUEST__INIT;
	const char *since = cons_arg(r, "since"), *lim = cons_arg(r, "limit");
	const char *tail = cons_arg(r, "tail");
	const Cordon__Events *ev;
	struct wire_msg reply;
	uint64_t limit = 200, n = 0, last;
	json_t *arr;

	if (!cons_args_only(r, args))
		return 0;
	if ((since != NULL && parse_u64(since, 0, INT64_MAX, &er.since_id) < 0) ||
	    (lim != NULL && parse_u64(lim, 1, 1000, &limit) < 0) ||
	    (tail != NULL && (since != NULL || lim != NULL ||
			      parse_u64(tail, 1, 1000, &n) < 0)))
		return cons_send_error(r, 400, "since=ID (0..) and limit=N "
				       "(1..1000), or tail=N (1..1000) alone");
	if (tail != NULL) {
		if (events_last_id(r, &last) < 0)
			return 0;
		er.since_id = last > n ? last - n : 0;
		limit = n;
	}
	er.limit = (uint32_t)limit;
	if (call(r, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, &er.base,
		 CORDON__MSG_TYPE__MSG_EVENTS, &reply) < 0)
		return 0;
	ev = (const Cordon__Events *)reply.payload;
	arr = json_array();
	for (size_t i = 0; i < ev->n_events; i++)
		json_array_append_new(arr, event_json(ev->events[i]));
	wire_msg_free(&reply);
	return cons_send_json(r, 200, json_pack("{so}", "events", arr));
}

/* Server-sent events: text/event-stream, one "event" per cordond event. */
struct sse {
	struct cons_server *srv;
	struct cons_req *req;	/* only for audit-less calls: srv is enough */
	char session[CONS_TOKEN_HEX + 1];
	uint64_t since;
	char *buf;
	size_t len, off;
	uint64_t last_send_ms;
};

static int
sse_fill(struct sse *s)
{
	Cordon__EventsRequest er = CORDON__EVENTS_REQUEST__INIT;
	struct wire_msg reply;
	struct wire_err err;
	const Cordon__Events *ev;
	size_t cap = 0;
	int rc;

	er.since_id = s->since;
	er.limit = 100;
	rc = cons_client_call(&s->srv->cl, CORDON__MSG_TYPE__MSG_EVENTS_REQUEST,
			      &er.base, CORDON__MSG_TYPE__MSG_EVENTS, &reply,
			      &err);
	if (rc < 0)
		return 0;	/* cordond away: try again later */
	ev = (const Cordon__Events *)reply.payload;
	free(s->buf);
	s->buf = NULL;
	s->len = s->off = 0;
	for (size_t i = 0; i < ev->n_events; i++) {
		json_t *o = event_json(ev->events[i]);
		char *js = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		size_t need;

		json_decref(o);
		if (js == NULL)
			continue;
		need = strlen(js) + 64;
		if (s->len + need > cap) {
			char *b = realloc(s->buf, cap = (s->len + need) * 2);

			if (b == NULL) {
				free(js);
				break;
			}
			s->buf = b;
		}
		s->len += (size_t)snprintf(s->buf + s->len, cap - s->len,
			"id: %" PRIu64 "\nevent: event\ndata: %s\n\n",
			ev->events[i]->id, js);
		s->since = ev->events[i]->id;
		free(js);
	}
	wire_msg_free(&reply);
	return 0;
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct sse *s = cls;
	uint64_t waited = 0;

	(void)pos;
	for (;;) {
		struct cons_session sess;
		uint64_t now = util_time_now_ms();

		if (s->off < s->len) {
			size_t n = s->len - s->off < max ? s->len - s->off : max;

			memcpy(out, s->buf + s->off, n);
			s->off += n;
			s->last_send_ms = now;
			return (ssize_t)n;
		}
		/* The stream lives as long as its session. */
		if (s->srv->stopping ||
		    !cons_auth_session(&s->srv->auth, s->session, now, &sess))
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (now - s->last_send_ms >= SSE_KEEPALIVE_MS) {
			static const char ka[] = ": keepalive\n\n";

			if (max < sizeof(ka))
				return 0;
			memcpy(out, ka, sizeof(ka) - 1);
			s->last_send_ms = now;
			return (ssize_t)(sizeof(ka) - 1);
		}
		if (waited > 0)
			for (int i = 0; i < SSE_POLL_MS / 100 &&
			     !s->srv->stopping; i++)
				usleep(100 * 1000);
		waited++;
		sse_fill(s);
	}
}

static void
sse_free(void *cls)
{
	struct sse *s = cls;

	__atomic_sub_fetch(&s->srv->sse_now, 1, __ATOMIC_RELAXED);
	free(s->buf);
	free(s);
}

static int
api_events_stream(struct cons_req *r)
{
	static const char *const args[] = { "since", NULL };
	const char *since = cons_arg(r, "since");
	const char *last = cons_header(r, "Last-Event-ID");
	struct MHD_Response *resp;
	struct sse *s;
	uint64_t id = 0;

	if (!cons_args_only(r, args))
		return 0;
	if ((since != NULL && parse_u64(since, 0, INT64_MAX, &id) < 0) ||
	    (last != NULL && parse_u64(last, 0, INT64_MAX, &id) < 0))
		return cons_send_error(r, 400, "since or Last-Event-ID must be "
				       "an event id");
	if (__atomic_add_fetch(&r->srv->sse_now, 1, __ATOMIC_RELAXED) >
	    CONS_SSE_MAX) {
		__atomic_sub_fetch(&r->srv->sse_now, 1, __ATOMIC_RELAXED);
		return cons_send_error(r, 503, "too many live event streams");
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		__atomic_sub_fetch(&r->srv->sse_now, 1, __ATOMIC_RELAXED);
		return cons_send_error(r, 500, "out of memory");
	}
	s->srv = r->srv;
	snprintf(s->session, sizeof(s->session), "%s", r->sess.id);
	s->since = id;
	s->last_send_ms = util_time_now_ms();
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384,
						 sse_read, s, sse_free);
	if (resp == NULL) {
		sse_free(s);
		return cons_send_error(r, 500, "out of memory");
	}
	__atomic_add_fetch(&r->srv->sse_streams, 1, __ATOMIC_RELAXED);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	return cons_send_response(r, 200, resp);
}

/* --- dataplanes ------------------------------------------------------------ */

static int
api_dataplanes(struct cons_req *r)
{
	Cordon__StatusRequest sr = CORDON__STATUS_REQUEST__INIT;
	struct wire_msg status, stats;
	json_t *out, *all, *reports, *v;
	size_t i;

	if (!cons_args_only(r, no_args))
		return 0;
	if (call(r, CORDON__MSG_TYPE__MSG_STATUS_REQUEST, &sr.base,
		 CORDON__MSG_TYPE__MSG_STATUS_REPLY, &status) < 0)
		return 0;
	if (fetch_stats(r, &stats) < 0) {
		wire_msg_free(&status);
		return 0;
	}
	out = ctl_pbjson(status.payload);
	all = ctl_pbjson(stats.payload);
	reports = json_object_get(all, "reports");
	if (reports == NULL)
		reports = json_array();
	else
		json_incref(reports);
	json_decref(all);
	/* The device list is the devices page's; here only the totals. */
	json_array_foreach(reports, i, v) {
		json_object_set_new(v, "n_devices", json_integer(
			(json_int_t)json_array_size(json_object_get(v,
								    "devices"))));
		json_object_del(v, "devices");
	}
	json_object_set_new(out, "reports", reports);
	json_object_set_new(out, "now_unix_ms",
			    json_integer((json_int_t)util_time_now_ms()));
	wire_msg_free(&status);
	wire_msg_free(&stats);
	return cons_send_json(r, 200, out);
}

static int
api_metrics(struct cons_req *r)
{
	return cons_metrics_send(r);
}

static const struct cons_route routes[] = {
	{ "GET", "/", CONS_PUBLIC, page_root },
	{ "GET", "/login", CONS_PUBLIC, page_login },
	{ "GET", "/devices", CONS_PAGE, page_app },
	{ "GET", "/device", CONS_PAGE, page_app },
	{ "GET", "/events", CONS_PAGE, page_app },
	{ "GET", "/policy", CONS_PAGE, page_app },
	{ "GET", "/dataplanes", CONS_PAGE, page_app },
	{ "GET", "/alerts", CONS_PAGE, page_app },
	{ "GET", "/prompts", CONS_PAGE, page_app },
	{ "POST", "/api/login", CONS_LOGIN, api_login },
	{ "POST", "/api/logout", CONS_API, api_logout },
	{ "GET", "/api/session", CONS_API, api_session },
	{ "GET", "/api/devices", CONS_API, api_devices },
	{ "GET", "/api/device", CONS_API, api_device },
	{ "GET", "/api/flows", CONS_API, api_flows },
	{ "POST", "/api/device/quarantine", CONS_ADMIN, api_quarantine },
	{ "POST", "/api/device/release", CONS_ADMIN, api_release },
	{ "POST", "/api/device/segment", CONS_ADMIN, api_segment },
	{ "GET", "/api/policy", CONS_API, api_policy },
	{ "GET", "/api/policy/diff", CONS_API, api_policy_diff },
	{ "POST", "/api/policy/rollback", CONS_ADMIN, api_policy_rollback },
	{ "GET", "/api/events", CONS_API, api_events },
	{ "GET", "/api/events/stream", CONS_API, api_events_stream },
	{ "GET", "/api/dataplanes", CONS_API, api_dataplanes },
	{ "GET", "/api/prompts", CONS_API, api_prompts },
	{ "GET", "/api/capture", CONS_ADMIN, api_capture },
	{ "POST", "/api/prompt/answer", CONS_ADMIN, api_prompt_answer },
	{ "GET", "/metrics", CONS_METRICS, api_metrics },
};

const struct cons_route *
cons_api_find(const char *method, const char *path, bool *known)
{
	*known = false;
	if (strncmp(path, "/static/", 8) == 0 && path[8] != '\0' &&
	    strchr(path + 8, '/') == NULL) {
		static const struct cons_route st = {
			"GET", "/static/", CONS_PUBLIC, page_static,
		};

		*known = true;
		return strcmp(method, "GET") == 0 ? &st : NULL;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, path) != 0)
			continue;
		*known = true;
		if (strcmp(routes[i].method, method) == 0)
			return &routes[i];
	}
	return NULL;
}
