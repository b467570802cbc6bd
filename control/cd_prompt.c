/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Consent prompts. A segment with `default: ask` holds the flows its
 * default denies and its dataplane reports them (MSG_ASK_REPORT,
 * dataplane/dp_ask.h); each becomes a prompt here, in memory: "camera-2
 * wants to reach api.example.com:443/tcp (203.0.113.7)", the name being the
 * one the device resolved the address from (the dataplane's DNS snooper;
 * the address alone when none is bound). An operator answers
 * (MSG_PROMPT_ANSWER, from cordonctl or the console):
 *
 *   once    the flow's token goes back to its dataplane with the next
 *           PollReply (a parked poll is answered at once): that flow
 *           passes until it ends; no rule is made
 *   always  a consent in the store (ctl_consent.h) and a new policy
 *           version whose rule names the prompt and who answered (to the
 *           name, a dns_name rule, when the prompt has one); the held
 *           flow is granted too, so it need not wait for the version.
 *           For a time (for_seconds: 1 h, 1 d, 1 w): the consent carries
 *           its end, and when it is over cordond removes it (an event)
 *           and makes a version without its rule, by "cordond: consent N
 *           expired"
 *   deny    stays denied; identical flows are not asked again while
 *           cordond runs (CD_PROMPT_DENIED_MAX remembered)
 *   ignore  dropped, a deny
 *
 * A prompt nobody answers expires after --prompt-timeout seconds: a deny,
 * no rule, an event. Identical flows (device, destination, port,
 * protocol; the destination is the name when there is one, so the
 * addresses of one name make one question) merge into one prompt; a device has at most
 * --prompt-max-per-device open prompts, and the flows beyond are counted
 * (rate_limited), not asked. Every raise, answer and expiry is an event.
 *
 * Detection's ask action uses the same prompts (cd_prompt_alert): an
 * alert whose policy action is ask raises "quarantine camera-2?
 * (scan_vertical: ...)", answered quarantine (stored, a new version, by
 * whoever answered) or dismiss; unanswered, it expires as dismissed (no
 * quarantine). A device's open alert prompt takes its later alerts.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cd.h"
#include "ctl_audit.h"
#include "ctl_consent.h"
#include "util_err.h"
#include "util_mac.h"

#define CD_PROMPTS_MAX 256
#define CD_PROMPT_GRANTS_MAX 64
#define CD_PROMPT_DENIED_MAX 256
#define CD_PROMPT_TOKEN_MAX 64
#define CD_PROMPT_NAME_MAX 253	/* a DNS name, without the trailing dot */
#define CD_CONSENT_EXPIRE_MAX 32	/* consents removed per wake */
#define CD_CONSENT_FOR_MAX (366ull * 86400)	/* a year */

/* What makes two flows the same question. */
struct cd_prompt_key {
	uint8_t mac[6];
	uint16_t vlan;
	uint8_t family;		/* 4 or 6 */
	uint8_t proto;
	uint16_t dport;
	uint8_t dst[16];	/* compared only when name is "" */
	bool alert;		/* an alert's prompt: mac and vlan only */
	char name[CD_PROMPT_NAME_MAX + 1];
};

struct cd_prompt {
	bool used;
	struct cd_prompt_key k;
	uint64_t id;
	uint64_t created_ms;
	uint64_t expires_ms;
	char dp_id[CTL_DP_ID_MAX + 1];
	uint8_t src[16];
	uint16_t sport;
	uint16_t dport;		/* the latest flow's (ICMP: its echo id) */
	uint32_t flows;
	uint64_t alert_id;	/* an alert's prompt: the first alert */
	char detector[32];
	char reason[200];
	uint8_t token[CD_PROMPT_TOKEN_MAX];	/* the latest flow's */
	size_t token_len;
};

struct cd_grant {
	bool used;
	char dp_id[CTL_DP_ID_MAX + 1];
	uint8_t token[CD_PROMPT_TOKEN_MAX];
	size_t token_len;
};

struct cd_prompts {
	struct cd_prompt p[CD_PROMPTS_MAX];
	struct cd_grant g[CD_PROMPT_GRANTS_MAX];
	struct cd_prompt_key denied[CD_PROMPT_DENIED_MAX];
	size_t n_denied;		/* a ring once full */
	uint64_t next_id;
	uint64_t raised, merged, expired, rate_limited, muted;
	/* The earliest end of a consent for a time (0: none), once the
	 * store has been read (at the first wake). */
	uint64_t consent_next_ms;
	bool consent_scanned;
};

static size_t
cd_prompt_alen(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

static bool
cd_prompt_key_eq(const struct cd_prompt_key *a, const struct cd_prompt_key *b)
{
	if (memcmp(a->mac, b->mac, 6) != 0 || a->vlan != b->vlan ||
	    a->proto != b->proto || a->dport != b->dport ||
	    a->alert != b->alert || strcmp(a->name, b->name) != 0)
		return false;
	if (a->alert)
		return true;
	return a->name[0] != '\0' || (a->family == b->family &&
		memcmp(a->dst, b->dst, cd_prompt_alen(a->family)) == 0);
}

/* "203.0.113.7" or "2001:db8::7". */
static const char *
cd_prompt_addr(uint8_t family, const uint8_t *a, char buf[INET6_ADDRSTRLEN])
{
	if (inet_ntop(family == 4 ? AF_INET : AF_INET6, a, buf,
		      INET6_ADDRSTRLEN) == NULL)
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

/* The policy's name for the device and its segment's ("" if none). */
static void
cd_prompt_names(const struct cordond *d, const uint8_t mac[6], uint16_t vlan,
		const char **dev, const char **seg)
{
	const Cordon__Policy *pol = d->policy;
	uint32_t sid = pol != NULL ? pol->default_segment : 0;

	*dev = "";
	*seg = "";
	if (pol == NULL)
		return;
	for (size_t i = 0; i < pol->n_devices; i++) {
		const Cordon__DeviceAssignment *a = pol->devices[i];

		if (a->mac.len == 6 && memcmp(a->mac.data, mac, 6) == 0 &&
		    (a->vlan == 0 || a->vlan == vlan)) {
			*dev = a->name;
			sid = a->segment;
			break;
		}
	}
	for (size_t i = 0; i < pol->n_segments; i++)
		if (pol->segments[i]->id == sid)
			*seg = pol->segments[i]->name;
}

/* An event about prompt p: {"prompt": id, "dst": ..., more...}. */
static void
cd_prompt_event(struct cordond *d, const char *kind, const struct cd_prompt *p,
		const char *answer, const char *by)
{
	char dst[INET6_ADDRSTRLEN], *js;
	json_t *o;

	o = json_pack("{sIsssIsI}", "prompt", (json_int_t)p->id,
		      "dst", cd_prompt_addr(p->k.family, p->k.dst, dst),
		      "dst_port", (json_int_t)p->k.dport,
		      "ip_proto", (json_int_t)p->k.proto);
	if (o != NULL && p->k.name[0] != '\0')
		json_object_set_new(o, "dst_name", json_string(p->k.name));
	if (o != NULL && p->k.alert) {
		json_object_del(o, "dst");
		json_object_del(o, "dst_port");
		json_object_del(o, "ip_proto");
		json_object_set_new(o, "alert", json_integer(
			(json_int_t)p->alert_id));
		json_object_set_new(o, "detector", json_string(p->detector));
		json_object_set_new(o, "reason", json_string(p->reason));
	}
	if (o != NULL && answer != NULL)
		json_object_set_new(o, "answer", json_string(answer));
	if (o != NULL && by != NULL)
		json_object_set_new(o, "by", json_string(by));
	if (o != NULL && p->flows > 1)
		json_object_set_new(o, "flows", json_integer(p->flows));
	js = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	cd_event(d, kind, p->dp_id, p->k.mac, js != NULL ? js : "{}");
	free(js);
}

/* A DNS name as the snooper normalises them: [a-z0-9_-] labels, dots. */
static bool
cd_prompt_name_ok(const char *n)
{
	size_t len = strlen(n);

	if (len > CD_PROMPT_NAME_MAX || n[0] == '.' ||
	    (len > 0 && n[len - 1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' &&
		      n[i] <= '9') || n[i] == '-' || n[i] == '_' ||
		      (n[i] == '.' && n[i + 1] != '.')))
			return false;
	return true;
}

/* A flow of an AskReport, checked; 0 or -EINVAL. */
static int
cd_prompt_flow_key(const Cordon__AskFlow *f, struct cd_prompt_key *k)
{
	memset(k, 0, sizeof(*k));
	if (f->dst_name == NULL || !cd_prompt_name_ok(f->dst_name) ||
	    f->mac.len != 6 || util_mac_is_group(f->mac.data) ||
	    f->vlan > 4095 || f->ip_proto > 255 || f->dst_port > 65535 ||
	    f->src_port > 65535 || (f->dst_ip.len != 4 &&
				    f->dst_ip.len != 16) ||
	    f->src_ip.len != f->dst_ip.len || f->token.len == 0 ||
	    f->token.len > CD_PROMPT_TOKEN_MAX)
		return -EINVAL;
	memcpy(k->mac, f->mac.data, 6);
	k->vlan = (uint16_t)f->vlan;
	k->family = f->dst_ip.len == 4 ? 4 : 6;
	k->proto = (uint8_t)f->ip_proto;
	/* ICMP's "port" is its echo id: every ping would be a question. */
	k->dport = f->ip_proto == 1 || f->ip_proto == 58 ? 0 :
		(uint16_t)f->dst_port;
	memcpy(k->dst, f->dst_ip.data, f->dst_ip.len);
	snprintf(k->name, sizeof(k->name), "%s", f->dst_name);
	return 0;
}

static void
cd_prompt_raise(struct cordond *d, const char *dp_id, const Cordon__AskFlow *f,
		const struct cd_prompt_key *k)
{
	struct cd_prompts *x = d->prompts;
	struct cd_prompt *p = NULL, *same = NULL;
	uint32_t open = 0;

	for (size_t i = 0; i < x->n_denied && i < CD_PROMPT_DENIED_MAX; i++)
		if (cd_prompt_key_eq(&x->denied[i], k)) {
			x->muted++;
			return;
		}
	for (int i = 0; i < CD_PROMPTS_MAX; i++) {
		struct cd_prompt *c = &x->p[i];

		if (!c->used) {
			if (p == NULL)
				p = c;
			continue;
		}
		if (memcmp(c->k.mac, k->mac, 6) == 0)
			open++;
		if (cd_prompt_key_eq(&c->k, k) && strcmp(c->dp_id, dp_id) == 0)
			same = c;
	}
	if (same != NULL) {
		/* The same question: the newest flow is the one to let go. */
		same->flows++;
		memcpy(same->token, f->token.data, f->token.len);
		same->token_len = f->token.len;
		memcpy(same->src, f->src_ip.data, f->src_ip.len);
		/* One name, several addresses: the latest flow's. */
		memcpy(same->k.dst, f->dst_ip.data, f->dst_ip.len);
		same->k.family = k->family;
		same->sport = (uint16_t)f->src_port;
		same->dport = (uint16_t)f->dst_port;
		x->merged++;
		return;
	}
	if (p == NULL || open >= d->conf.prompt_max_per_device) {
		x->rate_limited++;
		return;
	}
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->k = *k;
	p->id = ++x->next_id;
	p->created_ms = util_time_now_ms();
	p->expires_ms = p->created_ms +
		(uint64_t)d->conf.prompt_timeout_s * 1000;
	snprintf(p->dp_id, sizeof(p->dp_id), "%s", dp_id);
	memcpy(p->src, f->src_ip.data, f->src_ip.len);
	p->sport = (uint16_t)f->src_port;
	p->dport = (uint16_t)f->dst_port;
	p->flows = 1;
	memcpy(p->token, f->token.data, f->token.len);
	p->token_len = f->token.len;
	x->raised++;
	cd_prompt_event(d, "prompt_raised", p, NULL, NULL);
}

/*
 * After a store write (rc): the next version, made by by; *version is it,
 * or 0 when there is no policy yet (in force with the first one).
 */
static int
cd_prompt_version(struct cordond *d, int rc, const char *by,
		  uint64_t *version, char *err, size_t errlen)
{
	if (rc < 0) {
		snprintf(err, errlen, "store: %s",
			 ctl_store_errmsg(d->state.st));
		return rc;
	}
	return cd_recompile(d, by, version, err, errlen);
}

void
cd_prompt_alert(struct cordond *d, uint64_t id, const Cordon__Alert *a)
{
	const Cordon__AlertEvidence *e = a->evidence;
	struct cd_prompts *x = d->prompts;
	struct cd_prompt *p = NULL;
	struct cd_prompt_key k = { .vlan = (uint16_t)a->vlan, .alert = true };

	memcpy(k.mac, a->mac.data, 6);
	for (int i = 0; i < CD_PROMPTS_MAX; i++) {
		struct cd_prompt *c = &x->p[i];

		if (c->used && cd_prompt_key_eq(&c->k, &k)) {
			c->flows++;	/* one question per device */
			x->merged++;
			return;
		}
		if (!c->used && p == NULL)
			p = c;
	}
	if (p == NULL) {
		x->rate_limited++;
		cd_log("alert %" PRIu64 ": no room for its prompt", id);
		return;
	}
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->k = k;
	p->id = ++x->next_id;
	p->created_ms = util_time_now_ms();
	p->expires_ms = p->created_ms +
		(uint64_t)d->conf.prompt_timeout_s * 1000;
	snprintf(p->dp_id, sizeof(p->dp_id), "%s", a->dataplane_id);
	p->flows = 1;
	p->alert_id = id;
	snprintf(p->detector, sizeof(p->detector), "%s", a->detector);
	if (e != NULL && e->what[0] != '\0')
		snprintf(p->reason, sizeof(p->reason), "%.31s: %.80s%s%.60s: %"
			 PRIu64 " >= %" PRIu64, a->detector, e->what,
			 e->key[0] ? " " : "", e->key, e->count,
			 e->threshold);
	else
		snprintf(p->reason, sizeof(p->reason), "%.31s", a->detector);
	x->raised++;
	cd_prompt_event(d, "prompt_raised", p, NULL, NULL);
}

/* An alert's prompt answered quarantine: stored, then the next version. */
static int
cd_prompt_quarantine(struct cordond *d, const struct cd_prompt *p,
		     const char *by, uint64_t *version, char *err,
		     size_t errlen)
{
	char reason[256];
	int rc;

	snprintf(reason, sizeof(reason), "alert %" PRIu64 " (prompt %" PRIu64
		 "): %s", p->alert_id, p->id, p->reason);
	rc = ctl_store_quarantine_add(d->state.st, p->k.mac, reason, by,
				      util_time_now_ms());
	if (rc == -EEXIST) {	/* held already: no new version */
		*version = d->policy != NULL ? d->policy->version : 0;
		return 0;
	}
	rc = cd_prompt_version(d, rc, by, version, err, errlen);
	if (rc == 0 && *version != 0)
		(void)ctl_store_alert_set_version(d->state.st, p->alert_id,
						  *version);
	return rc;
}

static nng_msg *
cd_prompt_ask(struct cordond *d, struct cd_req *r)
{
	const Cordon__AskReport *rep = cd_in(r);
	struct cd_prompt_key k;
	nng_msg *err = NULL;
	size_t bad = 0;

	/* On the connection it said hello on, as its reports: no other
	 * peer raises prompts in its name. */
	if (cd_registered(d, r, rep->dataplane_id, &err) == NULL)
		return err;
	for (size_t i = 0; i < rep->n_flows; i++) {
		if (cd_prompt_flow_key(rep->flows[i], &k) < 0) {
			bad++;
			continue;
		}
		cd_prompt_raise(d, rep->dataplane_id, rep->flows[i], &k);
	}
	if (bad > 0)
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INVALID,
				"ask report: a flow without a unicast MAC, "
				"matching addresses, valid ports, a token or "
				"a valid DNS name");
	return cd_ack(d, r->msg->request_id, rep->n_flows);
}

/* --- listing ----------------------------------------------------------- */

static nng_msg *
cd_prompt_list(struct cordond *d, struct cd_req *r)
{
	struct cd_prompts *x = d->prompts;
	Cordon__Prompts rep = CORDON__PROMPTS__INIT;
	/* The reply points into the table; only the arrays are ours. */
	Cordon__Prompt *pr = calloc(CD_PROMPTS_MAX, sizeof(*pr));
	Cordon__Prompt **pp = calloc(CD_PROMPTS_MAX, sizeof(*pp));
	Cordon__AskFlow *fl = calloc(CD_PROMPTS_MAX, sizeof(*fl));
	size_t n = 0;
	nng_msg *m;

	if (pr == NULL || pp == NULL || fl == NULL) {
		free(pr);
		free(pp);
		free(fl);
		return cd_error(d, r->msg->request_id,
				CORDON__ERROR_CODE__ERR_INTERNAL,
				"out of memory");
	}
	for (int i = 0; i < CD_PROMPTS_MAX; i++) {
		struct cd_prompt *p = &x->p[i];
		const char *dev, *seg;
		size_t alen;

		if (!p->used)
			continue;
		alen = p->k.alert ? 0 : cd_prompt_alen(p->k.family);
		cordon__prompt__init(&pr[n]);
		cordon__ask_flow__init(&fl[n]);
		fl[n].mac.data = p->k.mac;
		fl[n].mac.len = 6;
		fl[n].vlan = p->k.vlan;
		pr[n].alert_id = p->alert_id;
		pr[n].detector = p->detector;
		pr[n].reason = p->reason;
		fl[n].src_ip.data = p->src;
		fl[n].src_ip.len = alen;
		fl[n].dst_ip.data = p->k.dst;
		fl[n].dst_ip.len = alen;
		fl[n].src_port = p->sport;
		fl[n].dst_port = p->dport;
		fl[n].ip_proto = p->k.proto;
		fl[n].dst_name = p->k.name;
		cd_prompt_names(d, p->k.mac, p->k.vlan, &dev, &seg);
		pr[n].id = p->id;
		pr[n].created_unix_ms = p->created_ms;
		pr[n].expires_unix_ms = p->expires_ms;
		pr[n].dataplane_id = p->dp_id;
		pr[n].flow = &fl[n];
		pr[n].device_name = (char *)dev;
		pr[n].segment = (char *)seg;
		pr[n].flows = p->flows;
		pp[n] = &pr[n];
		n++;
	}
	rep.prompts = pp;
	rep.n_prompts = n;
	rep.raised = x->raised;
	rep.merged = x->merged;
	rep.expired = x->expired;
	rep.rate_limited = x->rate_limited;
	m = cd_reply(d, r->msg->request_id, CORDON__MSG_TYPE__MSG_PROMPTS,
		     &rep.base);
	free(pr);
	free(pp);
	free(fl);
	return m;
}

/* --- answers ----------------------------------------------------------- */

/* Queue p's flow for its dataplane's next poll. 0 or an error text. */
static const char *
cd_prompt_grant(struct cordond *d, const struct cd_prompt *p)
{
	const struct ctl_dp *dp = ctl_registry_find(&d->reg, p->dp_id);
	struct cd_prompts *x = d->prompts;

	if (dp == NULL || dp->pipe_id == 0)
		return "its dataplane is not connected";
	if (WIRE_VERSION_MINOR_OF(dp->hello->proto_version) < 3)
		return "its dataplane is too old for grants";
	for (int i = 0; i < CD_PROMPT_GRANTS_MAX; i++) {
		struct cd_grant *g = &x->g[i];

		if (g->used)
			continue;
		g->used = true;
		snprintf(g->dp_id, sizeof(g->dp_id), "%s", p->dp_id);
		memcpy(g->token, p->token, p->token_len);
		g->token_len = p->token_len;
		return NULL;
	}
	return "too many grants waiting for their dataplane";
}

/* Allow always: the consent, then a version with its rule. */
static int
cd_prompt_always(struct cordond *d, const struct cd_prompt *p, const char *by,
		 uint64_t for_s, uint64_t *version, char *err, size_t errlen)
{
	char dst[INET6_ADDRSTRLEN];
	struct ctl_store_consent c = {
		.vlan = p->k.vlan, .proto = p->k.proto, .dst_port = p->k.dport,
		.prompt = p->id, .created_ms = util_time_now_ms(), .by = by,
	};
	int rc;

	if (for_s != 0) {
		c.expires_ms = c.created_ms + for_s * 1000;
		if (c.expires_ms < d->prompts->consent_next_ms ||
		    d->prompts->consent_next_ms == 0)
			d->prompts->consent_next_ms = c.expires_ms;
	}

	memcpy(c.mac, p->k.mac, 6);
	/* To the name: the device may reach whatever it resolves it to. */
	c.dst = p->k.name[0] != '\0' ? p->k.name :
		cd_prompt_addr(p->k.family, p->k.dst, dst);
	rc = ctl_store_consent_add(d->state.st, &c, NULL);
	return cd_prompt_version(d, rc == -EEXIST ? 0 : rc, by, version, err,
				 errlen);
}

static nng_msg *
cd_prompt_answer(struct cordond *d, struct cd_req *r)
{
	const Cordon__PromptAnswer *a = cd_in(r);
	uint64_t req_id = r->msg->request_id, version = 0;
	struct cd_prompts *x = d->prompts;
	struct cd_prompt *p = NULL;
	const char *why = NULL;
	char err[512];
	int rc;

	if (a->answer < CORDON__PROMPT_ANSWER_KIND__ANSWER_ONCE ||
	    a->answer > CORDON__PROMPT_ANSWER_KIND__ANSWER_DISMISS)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"answer: once, always, deny, ignore, "
				"quarantine or dismiss");
	if (a->for_seconds > CD_CONSENT_FOR_MAX ||
	    (a->for_seconds != 0 &&
	     a->answer != CORDON__PROMPT_ANSWER_KIND__ANSWER_ALWAYS))
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"for_seconds: with allow always only, at "
				"most a year");
	if (!ctl_audit_text_ok(a->by, 1, CTL_AUDIT_ACTOR_MAX))
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"who answers (by) must be 1..64 printable "
				"bytes");
	for (int i = 0; i < CD_PROMPTS_MAX && p == NULL; i++)
		if (x->p[i].used && x->p[i].id == a->id)
			p = &x->p[i];
	if (p == NULL)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_NOT_FOUND,
				"no such prompt: answered, expired or never "
				"raised");
	if (p->k.alert != (a->answer >=
			   CORDON__PROMPT_ANSWER_KIND__ANSWER_QUARANTINE))
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				p->k.alert ? "that prompt asks about an alert: "
				"answer quarantine or dismiss" :
				"that prompt asks about a flow: answer once, "
				"always, deny or ignore");
	switch (a->answer) {
	case CORDON__PROMPT_ANSWER_KIND__ANSWER_ONCE:
		why = cd_prompt_grant(d, p);
		if (why != NULL)
			return cd_error(d, req_id,
					CORDON__ERROR_CODE__ERR_INVALID, why);
		break;
	case CORDON__PROMPT_ANSWER_KIND__ANSWER_ALWAYS:
		rc = cd_prompt_always(d, p, a->by, a->for_seconds, &version,
				      err, sizeof(err));
		if (rc < 0)
			return cd_error(d, req_id, rc == -EINVAL ?
					CORDON__ERROR_CODE__ERR_INVALID :
					CORDON__ERROR_CODE__ERR_INTERNAL, err);
		/* The held flow goes now; the version lets the next ones.
		 * No grant (the dataplane is away) is no loss: the rule. */
		(void)cd_prompt_grant(d, p);
		break;
	case CORDON__PROMPT_ANSWER_KIND__ANSWER_DENY:
		x->denied[x->n_denied++ % CD_PROMPT_DENIED_MAX] = p->k;
		break;
	case CORDON__PROMPT_ANSWER_KIND__ANSWER_QUARANTINE:
		rc = cd_prompt_quarantine(d, p, a->by, &version, err,
					  sizeof(err));
		if (rc < 0)
			return cd_error(d, req_id,
					CORDON__ERROR_CODE__ERR_INTERNAL, err);
		break;
	default:
		break;
	}
	cd_prompt_event(d, "prompt_answered", p,
			ctl_consent_answer_name(a->answer), a->by);
	memset(p, 0, sizeof(*p));
	return cd_ack(d, req_id, version);
}

/* --- hooks ------------------------------------------------------------- */

/* The grants waiting for this poll's dataplane. */
static nng_msg *
cd_prompt_poll(struct cordond *d, const struct cd_poll *p)
{
	struct cd_prompts *x = d->prompts;
	Cordon__PollReply pr = CORDON__POLL_REPLY__INIT;
	Cordon__FlowGrant g[CD_PROMPT_GRANTS_MAX], *gp[CD_PROMPT_GRANTS_MAX];
	size_t n = 0;
	nng_msg *m;

	for (int i = 0; i < CD_PROMPT_GRANTS_MAX; i++) {
		if (!x->g[i].used || strcmp(x->g[i].dp_id, p->dp_id) != 0)
			continue;
		cordon__flow_grant__init(&g[n]);
		g[n].token.data = x->g[i].token;
		g[n].token.len = x->g[i].token_len;
		gp[n] = &g[n];
		n++;
	}
	if (n == 0)
		return NULL;
	pr.grants = gp;
	pr.n_grants = n;
	m = cd_reply(d, p->req_id, CORDON__MSG_TYPE__MSG_POLL_REPLY,
		     &pr.base);
	for (int i = 0; i < CD_PROMPT_GRANTS_MAX; i++)
		if (x->g[i].used && strcmp(x->g[i].dp_id, p->dp_id) == 0)
			x->g[i].used = false;
	return m;
}

/* --- consents for a time ----------------------------------------------- */

struct cd_consent_due {
	uint64_t now, next;
	size_t n;
	struct ctl_store_consent c[CD_CONSENT_EXPIRE_MAX];
	char dst[CD_CONSENT_EXPIRE_MAX][CD_PROMPT_NAME_MAX + 1];
};

static int
cd_consent_due_cb(const struct ctl_store_consent *c, void *arg)
{
	struct cd_consent_due *x = arg;

	if (c->expires_ms == 0)
		return 0;
	if (c->expires_ms > x->now || x->n == CD_CONSENT_EXPIRE_MAX) {
		if (x->next == 0 || c->expires_ms < x->next)
			x->next = c->expires_ms;
		return 0;
	}
	x->c[x->n] = *c;
	snprintf(x->dst[x->n], sizeof(x->dst[0]), "%s", c->dst);
	x->c[x->n].dst = x->dst[x->n];
	x->c[x->n].by = "";
	x->n++;
	return 0;
}

/*
 * Consents whose time is over: removed (each with an event), then a
 * version without their rules, its origin "cordond: consent N expired".
 * A store that fails is tried again at the next wake.
 */
static void
cd_consent_expire(struct cordond *d, uint64_t now)
{
	struct cd_prompts *x = d->prompts;
	struct cd_consent_due *due;
	char by[64], err[512];
	size_t gone = 0;
	int rc;

	if ((x->consent_scanned && (x->consent_next_ms == 0 ||
				    now < x->consent_next_ms)) ||
	    d->state.st == NULL)
		return;
	due = calloc(1, sizeof(*due));
	if (due == NULL)
		return;
	due->now = now;
	if (ctl_store_consent_list(d->state.st, cd_consent_due_cb, due) < 0) {
		free(due);
		return;
	}
	for (size_t i = 0; i < due->n; i++) {
		rc = ctl_store_consent_expire(d->state.st, &due->c[i], now);
		if (rc == 0 || rc == -ENOENT)
			gone++;
		else if (due->next == 0 || now < due->next)
			due->next = now;	/* again at the next wake */
	}
	x->consent_next_ms = due->next;
	x->consent_scanned = true;
	if (gone > 0) {
		snprintf(by, sizeof(by), "cordond: consent %" PRIu64 "%s "
			 "expired", due->c[0].id, gone > 1 ? " and more" : "");
		uint64_t v;

		rc = cd_recompile(d, by, &v, err, sizeof(err));
		if (rc < 0)
			cd_log("consent %" PRIu64 " expired, but no version: "
			       "%s", due->c[0].id, err);
	}
	free(due);
}

/* Expired prompts: a deny, no rule. Consents whose time is over. */
static void
cd_prompt_wake(struct cordond *d, uint64_t now, struct cd_wake *w)
{
	struct cd_prompts *x = d->prompts;

	(void)w;
	cd_consent_expire(d, now);
	for (int i = 0; i < CD_PROMPTS_MAX; i++) {
		struct cd_prompt *p = &x->p[i];

		if (!p->used || now < p->expires_ms)
			continue;
		x->expired++;
		cd_prompt_event(d, "prompt_expired", p, NULL, NULL);
		memset(p, 0, sizeof(*p));
	}
}

static const struct cd_handler cd_prompt_handlers[] = {
	CD_HANDLER(ASK_REPORT, DATAPLANE, cd_prompt_ask),
	CD_HANDLER(PROMPTS_REQUEST, CLI, cd_prompt_list),
	CD_HANDLER(PROMPT_ANSWER, CLI, cd_prompt_answer),
};

/*
 * Prompt ids are never given twice, across restarts too: an answer to
 * prompt 12 from a console page left open over a restart (or typed from a
 * list read before it) must not answer another question. Every prompt
 * raised is an event, so the store's event ids grow at least as fast as
 * the prompt ids: starting above the last event id handed out starts
 * above every prompt of the runs before.
 */
static int
cd_prompt_init(struct cordond *d, char *err, size_t errlen)
{
	if (ctl_store_event_last_id(d->state.st, &d->prompts->next_id) < 0) {
		util_err_set(err, errlen, "prompts: store: %s",
			     ctl_store_errmsg(d->state.st));
		return -EIO;
	}
	return 0;
}

CD_FEATURE(prompt, CD_STATE(prompts), .init = cd_prompt_init,
	   .on_poll = cd_prompt_poll, .on_wake = cd_prompt_wake);
