/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_audit.h"
#include "util_err.h"

bool
ctl_audit_text_ok(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool
audit_action_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CTL_AUDIT_ACTION_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

int
ctl_audit_append(struct ctl_store *st, const Cordon__Audit *a,
		 uint64_t now_ms, uint64_t *id, char *err, size_t errlen)
{
	json_t *detail = NULL;
	char *js = NULL;
	int rc;

	if (!ctl_audit_text_ok(a->actor, 1, CTL_AUDIT_ACTOR_MAX)) {
		util_err_set(err, errlen, "audit: actor must be 1..%d printable "
			 "bytes", CTL_AUDIT_ACTOR_MAX);
		return -EINVAL;
	}
	if (!audit_action_ok(a->action)) {
		util_err_set(err, errlen, "audit: action must match "
			 "[a-z][a-z0-9_]{0,%d}", CTL_AUDIT_ACTION_MAX - 1);
		return -EINVAL;
	}
	if (a->mac.len != 0 && a->mac.len != 6) {
		util_err_set(err, errlen, "audit: mac must be 6 bytes or empty");
		return -EINVAL;
	}
	if (strlen(a->detail_json) > CTL_AUDIT_DETAIL_MAX) {
		util_err_set(err, errlen, "audit: detail longer than %d bytes",
			 CTL_AUDIT_DETAIL_MAX);
		return -EINVAL;
	}
	if (a->detail_json[0] != '\0') {
		json_error_t je;

		detail = json_loads(a->detail_json, JSON_REJECT_DUPLICATES, &je);
		if (detail == NULL || !json_is_object(detail)) {
			util_err_set(err, errlen, "audit: detail is not a JSON "
				 "object");
			json_decref(detail);
			return -EINVAL;
		}
	} else {
		detail = json_object();
	}
	if (detail == NULL ||
	    json_object_set_new(detail, "by", json_string(a->actor)) < 0 ||
	    json_object_set_new(detail, "action", json_string(a->action)) < 0 ||
	    (js = json_dumps(detail, JSON_COMPACT)) == NULL) {
		json_decref(detail);
		util_err_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_decref(detail);
	rc = ctl_store_event_add(st, now_ms, CTL_STORE_EV_AUDIT, NULL,
				 a->mac.len == 6 ? a->mac.data : NULL, js, id);
	free(js);
	if (rc < 0)
		util_err_set(err, errlen, "store: %s", ctl_store_errmsg(st));
	return rc;
}

static const Cordon__Segment *
audit_segment_named(const Cordon__Policy *pol, const char *name)
{
	for (size_t i = 0; pol != NULL && i < pol->n_segments; i++)
		if (strcmp(pol->segments[i]->name, name) == 0)
			return pol->segments[i];
	return NULL;
}

int
ctl_audit_segment_check(const Cordon__DeviceSegment *r,
			const Cordon__Policy *pol, char *err, size_t errlen)
{
	const Cordon__Segment *seg;

	if (r->mac.len != 6 || (r->mac.data[0] & 1)) {
		util_err_set(err, errlen, "a unicast MAC is needed");
		return -EINVAL;
	}
	if (r->vlan > 4095) {
		util_err_set(err, errlen, "vlan %u is not in 0..4095", r->vlan);
		return -EINVAL;
	}
	if (!ctl_audit_text_ok(r->by, 1, CTL_AUDIT_ACTOR_MAX)) {
		util_err_set(err, errlen, "who asks (by) must be 1..%d printable "
			 "bytes", CTL_AUDIT_ACTOR_MAX);
		return -EINVAL;
	}
	if (r->segment[0] == '\0')
		return 0;
	if (pol == NULL) {
		util_err_set(err, errlen, "no policy in force: no segments yet");
		return -EINVAL;
	}
	seg = audit_segment_named(pol, r->segment);
	if (seg == NULL) {
		util_err_set(err, errlen, "policy %llu has no segment \"%.64s\"",
			 (unsigned long long)pol->version, r->segment);
		return -EINVAL;
	}
	if (seg->id == pol->quarantine_segment) {
		util_err_set(err, errlen, "\"%.64s\" is the quarantine segment: "
			 "quarantine the device instead", r->segment);
		return -EINVAL;
	}
	return 0;
}

static int
audit_compose_one(const struct ctl_store_segment *o, void *arg)
{
	struct ctl_cmp_tally *c = arg;
	Cordon__Policy *pol = c->pol;
	const Cordon__Segment *seg = audit_segment_named(pol, o->segment);
	Cordon__DeviceAssignment *a, **v;
	uint8_t *mac;

	if (seg == NULL || seg->id == pol->quarantine_segment) {
		c->skipped++;
		return 0;
	}
	for (size_t i = 0; i < pol->n_devices; i++) {
		a = pol->devices[i];
		if (a->mac.len == 6 && memcmp(a->mac.data, o->mac, 6) == 0 &&
		    a->vlan == o->vlan) {
			a->segment = seg->id;
			c->added++;
			return 0;
		}
	}
	a = malloc(sizeof(*a));
	mac = malloc(6);
	v = realloc(pol->devices, (pol->n_devices + 1) * sizeof(*v));
	if (v != NULL)
		pol->devices = v;
	if (a == NULL || mac == NULL || v == NULL) {
		free(a);
		free(mac);
		return -ENOMEM;
	}
	cordon__device_assignment__init(a);
	memcpy(mac, o->mac, 6);
	a->mac.data = mac;
	a->mac.len = 6;
	a->vlan = o->vlan;
	a->segment = seg->id;
	pol->devices[pol->n_devices++] = a;
	c->added++;
	return 0;
}

int
ctl_audit_segment_compose(struct ctl_store *st, struct ctl_cmp_tally *t)
{
	return ctl_store_segment_list(st, audit_compose_one, t);
}
