/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * ctl_audit: audit records (checked, then an "audit" event with by and
 * action) and segment overrides (checked against the policy, stored with
 * their events, and composed into a policy).
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "ctl_audit.h"
#include "ctl_consent.h"
#include "test_main.h"

static struct ctl_store *st;

static int
setup(void **state)
{
	char path[128], err[256];

	(void)state;
	test_dir_file("audit", "cordond.db", path, sizeof(path));
	return ctl_store_open(path, &st, err, sizeof(err));
}

static int
teardown(void **state)
{
	ctl_store_close(st);
	return test_dir_teardown(state);
}

struct last_ev {
	char kind[32];
	char detail[512];
	bool has_mac;
	unsigned int n;
};

static int
ev_cb(const struct ctl_store_event *e, void *arg)
{
	struct last_ev *l = arg;

	snprintf(l->kind, sizeof(l->kind), "%s", e->kind);
	snprintf(l->detail, sizeof(l->detail), "%s",
		 e->detail_json ? e->detail_json : "");
	l->has_mac = e->has_mac;
	l->n++;
	return 0;
}

static int
audit(const char *actor, const char *action, size_t mac_len,
      const char *detail, char *err)
{
	static uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 };
	Cordon__Audit a = CORDON__AUDIT__INIT;
	uint64_t id;

	a.actor = (char *)actor;
	a.action = (char *)action;
	a.mac.data = mac;
	a.mac.len = mac_len;
	a.detail_json = (char *)detail;
	return ctl_audit_append(st, &a, 1000, &id, err, 256);
}

static void
test_audit_checks(void **state)
{
	char err[256], long_actor[80], big[5000];
	struct last_ev l = { 0 };

	(void)state;
	memset(long_actor, 'a', sizeof(long_actor) - 1);
	long_actor[sizeof(long_actor) - 1] = '\0';
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(audit("", "login", 0, "", err), -EINVAL);
	assert_int_equal(audit(long_actor, "login", 0, "", err), -EINVAL);
	assert_int_equal(audit("console:a\nb", "login", 0, "", err), -EINVAL);
	assert_int_equal(audit("console:a", "Login", 0, "", err), -EINVAL);
	assert_int_equal(audit("console:a", "log in", 0, "", err), -EINVAL);
	assert_int_equal(audit("console:a", "", 0, "", err), -EINVAL);
	assert_int_equal(audit("console:a", "login", 5, "", err), -EINVAL);
	assert_int_equal(audit("console:a", "login", 0, "[1]", err), -EINVAL);
	assert_int_equal(audit("console:a", "login", 0, "{\"a\":", err),
			 -EINVAL);
	assert_int_equal(audit("console:a", "login", 0, big, err), -EINVAL);
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &l), 0);
	assert_int_equal(l.n, 0);

	/* by and action win over the detail's own. */
	assert_int_equal(audit("console:alice", "login_failed", 6,
			       "{\"by\":\"mallory\",\"delay_ms\":1000}", err), 0);
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.kind, CTL_STORE_EV_AUDIT);
	assert_true(l.has_mac);
	{
		json_t *j = json_loads(l.detail, 0, NULL);

		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "by")),
				    "console:alice");
		assert_string_equal(json_string_value(json_object_get(j,
				    "action")), "login_failed");
		assert_int_equal(json_integer_value(json_object_get(j,
				 "delay_ms")), 1000);
		json_decref(j);
	}
	assert_int_equal(audit("console:alice", "logout", 0, "", err), 0);
}

/* lan (1), iot (2), quarantine (3); one YAML assignment of ...:01. */
static Cordon__Policy *
policy(void)
{
	static const char *names[] = { "lan", "iot", "quarantine" };
	Cordon__Policy *p = calloc(1, sizeof(*p));
	Cordon__DeviceAssignment *a = malloc(sizeof(*a));

	cordon__policy__init(p);
	p->version = 7;
	p->segments = calloc(3, sizeof(*p->segments));
	for (int i = 0; i < 3; i++) {
		Cordon__Segment *s = malloc(sizeof(*s));

		cordon__segment__init(s);
		s->id = (uint32_t)i + 1;
		s->name = strdup(names[i]);
		p->segments[p->n_segments++] = s;
	}
	p->default_segment = 1;
	p->quarantine_segment = 3;
	cordon__device_assignment__init(a);
	a->mac.data = malloc(6);
	memcpy(a->mac.data, (uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
	a->mac.len = 6;
	a->segment = 1;
	p->devices = calloc(1, sizeof(*p->devices));
	p->devices[p->n_devices++] = a;
	return p;
}

static int
seg_check(const Cordon__Policy *p, const uint8_t *mac, uint32_t vlan,
	  const char *seg, const char *by)
{
	Cordon__DeviceSegment r = CORDON__DEVICE_SEGMENT__INIT;
	char err[256];

	r.mac.data = (uint8_t *)mac;
	r.mac.len = 6;
	r.vlan = vlan;
	r.segment = (char *)seg;
	r.by = (char *)by;
	return ctl_audit_segment_check(&r, p, err, sizeof(err));
}

static void
test_segment(void **state)
{
	static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t m2[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t group[6] = { 1, 0, 0x5e, 0, 0, 1 };
	Cordon__Policy *p = policy();
	struct last_ev l = { 0 };
	struct ctl_cmp_tally t;

	(void)state;
	assert_int_equal(seg_check(p, m1, 0, "iot", "x"), 0);
	assert_int_equal(seg_check(p, m1, 0, "", "x"), 0);
	assert_int_equal(seg_check(p, group, 0, "iot", "x"), -EINVAL);
	assert_int_equal(seg_check(p, m1, 4096, "iot", "x"), -EINVAL);
	assert_int_equal(seg_check(p, m1, 0, "nope", "x"), -EINVAL);
	assert_int_equal(seg_check(p, m1, 0, "quarantine", "x"), -EINVAL);
	assert_int_equal(seg_check(p, m1, 0, "iot", ""), -EINVAL);
	assert_int_equal(seg_check(NULL, m1, 0, "iot", "x"), -EINVAL);

	/* Replace the YAML's assignment of m1, add m2; "gone" is skipped. */
	assert_int_equal(ctl_store_segment_set(st, m1, 0, "iot", "a", 1), 0);
	assert_int_equal(ctl_store_segment_set(st, m2, 0, "iot", "a", 2), 0);
	assert_int_equal(ctl_store_segment_set(st, m2, 0, "lan", "a", 3), 0);
	assert_int_equal(ctl_store_segment_set(st, group + 0, 0, "gone", "a",
					       4), 0);
	t = (struct ctl_cmp_tally){ .pol = p };
	assert_int_equal(ctl_audit_segment_compose(st, &t), 0);
	assert_int_equal(t.added, 2);
	assert_int_equal(t.skipped, 1);
	assert_int_equal(p->n_devices, 2);
	assert_memory_equal(p->devices[0]->mac.data, m1, 6);
	assert_int_equal(p->devices[0]->segment, 2);
	assert_memory_equal(p->devices[1]->mac.data, m2, 6);
	assert_int_equal(p->devices[1]->segment, 1);

	assert_int_equal(ctl_store_segment_set(st, m1, 0, NULL, "b", 5), 0);
	assert_int_equal(ctl_store_segment_set(st, m1, 0, "", "b", 6),
			 -ENOENT);
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &l), 0);
	assert_string_equal(l.kind, CTL_STORE_EV_SEGMENT_CLEARED);
	assert_non_null(strstr(l.detail, "\"by\":\"b\""));
	cordon__policy__free_unpacked(p, NULL);
}

/* Consents: stored once each, with an event; each a rule naming its
 * origin in every composition; an address that no longer parses skipped. */
static void
test_consent(void **state)
{
	struct ctl_store_consent c = {
		.mac = { 2, 0, 0, 0, 0, 1 }, .vlan = 0, .dst = "203.0.113.7",
		.proto = 6, .dst_port = 443, .prompt = 12, .created_ms = 5,
		.by = "console:alice",
	};
	Cordon__Policy *p = policy();
	struct last_ev l = { 0 };
	struct ctl_cmp_tally t;
	uint64_t id = 0;
	const Cordon__Rule *r;

	(void)state;
	assert_int_equal(ctl_store_consent_add(st, &c, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(ctl_store_consent_add(st, &c, &id), -EEXIST);
	c.dst = "";
	assert_int_equal(ctl_store_consent_add(st, &c, &id), -EINVAL);
	c.dst = "2001:db8::7";
	c.proto = 17;
	c.dst_port = 0;
	assert_int_equal(ctl_store_consent_add(st, &c, &id), 0);
	c.dst = "not an address";
	assert_int_equal(ctl_store_consent_add(st, &c, &id), 0);
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.kind, CTL_STORE_EV_CONSENT_ADDED);
	assert_non_null(strstr(l.detail, "prompt 12"));

	t = (struct ctl_cmp_tally){ .pol = p };
	assert_int_equal(ctl_consent_compose(st, &t), 0);
	assert_int_equal(t.added, 2);
	assert_int_equal(t.skipped, 1);
	assert_int_equal(p->n_rules, 2);
	r = p->rules[0];
	assert_int_equal(r->priority, CTL_CONSENT_PRIORITY);
	assert_int_equal(r->action, CORDON__ACTION__ACTION_ALLOW);
	assert_int_equal(r->ip_proto, 6);
	assert_int_equal(r->n_dst_ports, 1);
	assert_int_equal(r->dst_ports[0]->lo, 443);
	assert_int_equal(r->src->kind_case, CORDON__ENDPOINT__KIND_DEVICE);
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_CIDR);
	assert_string_equal(r->comment, "consent 1: prompt 12, allowed always "
			    "by console:alice");
	assert_int_equal(p->rules[1]->n_dst_ports, 0);	/* any port */
	assert_int_not_equal(p->rules[0]->id, p->rules[1]->id);
	cordon__policy__free_unpacked(p, NULL);
}

/* A consent to a DNS name for a time: a dns_name rule "until"; expired,
 * it is gone with an event; the answers' names both ways. */
static void
test_consent_timed(void **state)
{
	struct ctl_store_consent c = {
		.mac = { 2, 0, 0, 0, 0, 1 }, .dst = "api.cloud.example",
		.proto = 17, .dst_port = 7003, .prompt = 9, .created_ms = 5,
		.by = "cordonctl", .expires_ms = 1796320000000ull,
	};
	Cordon__Policy *p = policy();
	struct last_ev l = { 0 };
	struct ctl_cmp_tally t;
	uint64_t id = 0;

	(void)state;
	assert_int_equal(ctl_store_consent_add(st, &c, &id), 0);
	t = (struct ctl_cmp_tally){ .pol = p };
	assert_int_equal(ctl_consent_compose(st, &t), 0);
	assert_int_equal(t.added, 1);
	assert_int_equal(t.skipped, 0);
	assert_int_equal(p->rules[0]->dst->kind_case,
			 CORDON__ENDPOINT__KIND_DNS_NAME);
	assert_string_equal(p->rules[0]->dst->dns_name, "api.cloud.example");
	assert_string_equal(p->rules[0]->comment, "consent 1: prompt 9, "
			    "allowed by cordonctl until 2026-12-03T17:46:40Z");
	cordon__policy__free_unpacked(p, NULL);

	c.id = id;
	assert_int_equal(ctl_store_consent_expire(st, &c, 7), 0);
	assert_int_equal(ctl_store_consent_expire(st, &c, 8), -ENOENT);
	c.id = 0;
	assert_int_equal(ctl_store_consent_expire(st, &c, 8), -EINVAL);
	assert_int_equal(ctl_store_events(st, 0, 0, ev_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.kind, CTL_STORE_EV_CONSENT_EXPIRED);
	assert_non_null(strstr(l.detail, "consent 1 (prompt 9"));
	p = policy();
	t = (struct ctl_cmp_tally){ .pol = p };
	assert_int_equal(ctl_consent_compose(st, &t), 0);
	assert_int_equal(t.added, 0);
	cordon__policy__free_unpacked(p, NULL);

	for (int k = CORDON__PROMPT_ANSWER_KIND__ANSWER_ONCE;
	     k <= CORDON__PROMPT_ANSWER_KIND__ANSWER_DISMISS; k++)
		assert_int_equal(ctl_consent_answer_kind(
			ctl_consent_answer_name((Cordon__PromptAnswerKind)k)), k);
	assert_null(ctl_consent_answer_name(
		CORDON__PROMPT_ANSWER_KIND__ANSWER_NONE));
	assert_int_equal(ctl_consent_answer_kind("sometimes"),
			 CORDON__PROMPT_ANSWER_KIND__ANSWER_NONE);
	assert_int_equal(ctl_consent_answer_kind(NULL),
			 CORDON__PROMPT_ANSWER_KIND__ANSWER_NONE);
}

TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_audit_checks, setup, teardown),
	cmocka_unit_test_setup_teardown(test_segment, setup, teardown),
	cmocka_unit_test_setup_teardown(test_consent, setup, teardown),
	cmocka_unit_test_setup_teardown(test_consent_timed, setup, teardown));
