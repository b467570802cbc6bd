/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl requests, allow and deny: the consent prompts of devices in
 * ask mode (cordond's cd_prompt.c), and their answers.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* "tcp", "udp", "icmp" or the number. */
static const char *
cli_requests_proto(uint32_t p, char buf[8])
{
	switch (p) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmpv6";
	default:
		snprintf(buf, 8, "%u", p);
		return buf;
	}
}

static const char *
cli_requests_addr(const ProtobufCBinaryData *a, char buf[INET6_ADDRSTRLEN])
{
	if ((a->len != 4 && a->len != 16) ||
	    inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->data, buf,
		      INET6_ADDRSTRLEN) == NULL)
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

static int
cli_requests_show(const void *reply, const void *req)
{
	const Cordon__Prompts *p = reply;
	uint64_t now = util_time_now_ms();

	(void)req;
	if (p->n_prompts == 0)
		printf("no open requests\n");
	for (size_t i = 0; i < p->n_prompts; i++) {
		const Cordon__Prompt *q = p->prompts[i];
		const Cordon__AskFlow *f = q->flow;
		char dst[INET6_ADDRSTRLEN], pr[8];
		bool icmp, name, br;
		uint64_t left = q->expires_unix_ms > now ?
			(q->expires_unix_ms - now + 999) / 1000 : 0;

		if (f == NULL)
			continue;
		if (q->alert_id != 0) {
			/* Detection's ask: deny --quarantine or allow
			 * --dismiss. */
			printf("%4" PRIu64 "  quarantine %s%s%s%s? (alert %"
			       PRIu64 ", %s)  segment %s, dataplane %s, %u "
			       "alert%s, expires in %" PRIu64 " s\n", q->id,
			       q->device_name[0] ? q->device_name : "",
			       q->device_name[0] ? " (" : "",
			       cli_mac_str(&f->mac),
			       q->device_name[0] ? ")" : "", q->alert_id,
			       q->reason, q->segment[0] ? q->segment : "?",
			       q->dataplane_id, q->flows,
			       q->flows == 1 ? "" : "s", left);
			continue;
		}
		printf("%4" PRIu64 "  %s%s%s%s wants to reach ", q->id,
		       q->device_name[0] ? q->device_name : "",
		       q->device_name[0] ? " (" : "", cli_mac_str(&f->mac),
		       q->device_name[0] ? ")" : "");
		cli_requests_addr(&f->dst_ip, dst);
		icmp = f->ip_proto == 1 || f->ip_proto == 58;
		name = f->dst_name[0] != '\0';
		br = !name && !icmp && f->dst_ip.len == 16;
		printf("%s%s%s", br ? "[" : "", name ? f->dst_name : dst,
		       br ? "]" : "");
		/* ICMP's "port" is its echo id: not part of the question. */
		if (icmp)
			printf(" (%s)", cli_requests_proto(f->ip_proto, pr));
		else
			printf(":%u/%s", f->dst_port,
			       cli_requests_proto(f->ip_proto, pr));
		if (name)
			printf(" (%s)", dst);
		printf("  segment %s, dataplane %s, %u flow%s, expires in "
		       "%" PRIu64 " s\n", q->segment[0] ? q->segment : "?",
		       q->dataplane_id, q->flows, q->flows == 1 ? "" : "s",
		       left);
	}
	printf("raised %" PRIu64 ", merged %" PRIu64 ", expired %" PRIu64
	       ", not asked (per-device limit) %" PRIu64 "\n", p->raised,
	       p->merged, p->expired, p->rate_limited);
	return CLI_EXIT_OK;
}

static int
cli_requests_run(struct cli *c, int argc, char **argv)
{
	Cordon__PromptsRequest req = CORDON__PROMPTS_REQUEST__INIT;
	int rc;

	rc = cli_args(c, "requests", argc, argv, NULL, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	return cli_query(c, CORDON__MSG_TYPE__MSG_PROMPTS_REQUEST, &req.base,
			 CORDON__MSG_TYPE__MSG_PROMPTS, cli_requests_show);
}

/* "90s", "30m", "1h", "1d", "1w" (or plain seconds): 1 s to a year. */
static int
cli_requests_duration(const char *s, uint64_t *out)
{
	static const struct { char unit; uint64_t s; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 7 * 86400 },
	};
	uint64_t mul = 1, v;
	char num[24];
	size_t len = strlen(s);

	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (num[len - 1] == units[i].unit) {
			mul = units[i].s;
			num[len - 1] = '\0';
		}
	if (cli_u64(num, &v) < 0 || v == 0 || v > 366ull * 86400 / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

/* allow ID [--always | --for DURATION | --dismiss],
 * deny ID [--ignore | --quarantine]. */
static int
cli_requests_answer(struct cli *c, int argc, char **argv, bool allow)
{
	const char *name = allow ? "allow" : "deny", *dur = NULL;
	bool other = false, alert = false;
	const struct cli_opt opts[] = {
		{ allow ? "--always" : "--ignore", NULL, NULL, &other },
		{ allow ? "--dismiss" : "--quarantine", NULL, NULL, &alert },
		{ allow ? "--for" : NULL, NULL, &dur, NULL },	/* deny: ends */
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__PromptAnswer a = CORDON__PROMPT_ANSWER__INIT;
	char *id_s, what[64];
	int rc;

	rc = cli_args(c, name, argc, argv, opts, &id_s, 1);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (id_s == NULL || cli_u64(id_s, &a.id) < 0 || a.id == 0)
		return cli_usage_error("%s: give a request's ID (cordonctl "
				       "requests)", name);
	if ((dur != NULL) + other + alert > 1)
		return cli_usage_error("%s: one of %s", name, allow ?
				       "--always, --for, --dismiss" :
				       "--ignore, --quarantine");
	if (dur != NULL) {
		if (cli_requests_duration(dur, &a.for_seconds) < 0)
			return cli_usage_error("allow: --for %s: a duration "
					       "such as 90s, 30m, 1h, 1d or 1w "
					       "(a year at most)", dur);
		other = true;	/* a rule, for that long */
	}
	a.answer = allow ? (other ? CORDON__PROMPT_ANSWER_KIND__ANSWER_ALWAYS :
			    CORDON__PROMPT_ANSWER_KIND__ANSWER_ONCE) :
		(other ? CORDON__PROMPT_ANSWER_KIND__ANSWER_IGNORE :
		 CORDON__PROMPT_ANSWER_KIND__ANSWER_DENY);
	if (alert)
		a.answer = allow ? CORDON__PROMPT_ANSWER_KIND__ANSWER_DISMISS :
			CORDON__PROMPT_ANSWER_KIND__ANSWER_QUARANTINE;
	a.by = (char *)"cordonctl";
	snprintf(what, sizeof(what), "request %" PRIu64, a.id);
	if (a.answer != CORDON__PROMPT_ANSWER_KIND__ANSWER_ALWAYS &&
	    a.answer != CORDON__PROMPT_ANSWER_KIND__ANSWER_QUARANTINE) {
		struct wire_msg reply;

		rc = cli_call(c, CORDON__MSG_TYPE__MSG_PROMPT_ANSWER, &a.base,
			      CORDON__MSG_TYPE__MSG_ACK, &reply);
		if (rc != CLI_EXIT_OK)
			return rc;
		wire_msg_free(&reply);
		if (c->json)
			printf("{\"request\":%" PRIu64 ",\"answer\":\"%s\"}\n",
			       a.id, alert ? (allow ? "dismiss" : "quarantine")
			       : allow ? "once" : other ? "ignore" : "deny");
		else
			printf("%s: %s\n", what, alert ? (allow ?
			       "alert dismissed" : "quarantined") : allow ?
			       "allowed once (no rule)" : other ? "ignored" :
			       "denied");
		return CLI_EXIT_OK;
	}
	return cli_change(c, CORDON__MSG_TYPE__MSG_PROMPT_ANSWER, &a.base,
			  what);
}

static int
cli_allow_run(struct cli *c, int argc, char **argv)
{
	return cli_requests_answer(c, argc, argv, true);
}

static int
cli_deny_run(struct cli *c, int argc, char **argv)
{
	return cli_requests_answer(c, argc, argv, false);
}

CLI_COMMAND(requests, "", "consent prompts waiting for an answer",
	"Flows that devices in a segment with `default: ask` tried and\n"
	"were held denied, one request per device, destination (the DNS\n"
	"name the device resolved, when there is one), port and protocol\n"
	"(identical flows merged), until answered with `cordonctl allow` or\n"
	"`deny`, or until they expire (cordond --prompt-timeout): an expired\n"
	"request is a deny and leaves no rule. Alerts whose detection action\n"
	"is ask show as \"quarantine DEVICE? (reason)\": answer `deny ID\n"
	"--quarantine` or `allow ID --dismiss`; expired, they are dismissed.");

CLI_COMMAND(allow, "ID [--always | --for DURATION | --dismiss]",
	"allow a request's flow",
	"Let the request's held flow through, at once and only that flow: no\n"
	"rule is made. With --always, the device may reach that address (or\n"
	"the DNS name the request shows), port and protocol from now on: a\n"
	"new policy version with a rule whose comment names the request and\n"
	"who allowed it. With --for DURATION (90s, 30m, 1h, 1d, 1w; a year at\n"
	"most) the same rule, until then: cordond removes it with a new\n"
	"version of its own when the time is over. --dismiss answers an\n"
	"alert's request: the device is left as it is.");

CLI_COMMAND(deny, "ID [--ignore | --quarantine]", "refuse a request",
	"The flow stays denied, and identical flows are not asked about\n"
	"again while cordond runs. --ignore drops the request without that.\n"
	"--quarantine answers an alert's request: the device is quarantined\n"
	"(a new policy version, by cordonctl).");
