/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl_compile.h"
#include "ctl_consent.h"

/* "2026-12-03T19:00:00Z". */
static const char *
consent_time(uint64_t ms, char buf[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "%llu ms", (unsigned long long)ms);
	return buf;
}

static int
consent_compose_one(const struct ctl_store_consent *c, void *arg)
{
	struct ctl_cmp_tally *x = arg;
	struct ctl_port_range port = { c->dst_port, c->dst_port };
	Cordon__Endpoint *src, *dst;
	struct ctl_cidr cidr;
	char comment[160], until[32];
	bool name;

	/* An address, or the name the device resolved (a dns_name rule). */
	if (ctl_cmp_parse_cidr(c->dst, 0, &cidr) == 0)
		name = false;
	else if (strchr(c->dst, ':') == NULL && strlen(c->dst) <= 253 &&
		 strspn(c->dst, "abcdefghijklmnopqrstuvwxyz0123456789-_.") ==
		 strlen(c->dst))
		name = true;
	else {
		x->skipped++;
		return 0;
	}
	if (c->expires_ms == 0)
		snprintf(comment, sizeof(comment), "consent %llu: prompt %llu, "
			 "allowed always by %.64s", (unsigned long long)c->id,
			 (unsigned long long)c->prompt, c->by);
	else
		snprintf(comment, sizeof(comment), "consent %llu: prompt %llu, "
			 "allowed by %.64s until %s", (unsigned long long)c->id,
			 (unsigned long long)c->prompt, c->by,
			 consent_time(c->expires_ms, until));
	src = ctl_cmp_ep_device(c->mac);
	dst = name ? ctl_cmp_ep_dns(c->dst) : ctl_cmp_ep_cidr(&cidr);
	if (src == NULL || dst == NULL) {
		ctl_cmp_ep_free(src);
		ctl_cmp_ep_free(dst);
		return -ENOMEM;
	}
	if (ctl_cmp_add_rule(x->pol, src, dst, c->proto, &port,
			     c->dst_port != 0 ? 1 : 0,
			     CORDON__ACTION__ACTION_ALLOW,
			     CORDON__INITIATOR__INITIATOR_SRC,
			     CTL_CONSENT_PRIORITY, comment) == NULL)
		return -ENOMEM;
	x->added++;
	return 0;
}

int
ctl_consent_compose(struct ctl_store *st, struct ctl_cmp_tally *t)
{
	return ctl_store_consent_list(st, consent_compose_one, t);
}

/* In PromptAnswerKind's order, from ANSWER_NONE (no name). */
static const char *const consent_answers[] = {
	NULL, "once", "always", "deny", "ignore", "quarantine", "dismiss",
};

#define CONSENT_N_ANSWERS (sizeof(consent_answers) / sizeof(consent_answers[0]))
_Static_assert(CONSENT_N_ANSWERS ==
	       CORDON__PROMPT_ANSWER_KIND__ANSWER_DISMISS + 1,
	       "a name for every answer");

const char *
ctl_consent_answer_name(Cordon__PromptAnswerKind k)
{
	return (size_t)k < CONSENT_N_ANSWERS ? consent_answers[k] : NULL;
}

Cordon__PromptAnswerKind
ctl_consent_answer_kind(const char *name)
{
	for (size_t i = 1; name != NULL && i < CONSENT_N_ANSWERS; i++)
		if (strcmp(name, consent_answers[i]) == 0)
			return (Cordon__PromptAnswerKind)i;
	return CORDON__PROMPT_ANSWER_KIND__ANSWER_NONE;
}
