/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Policy validation, see policy_validate.h. It checks everything the
 * dataplane's policy_build() relies on, so the builder can assume a sane
 * policy.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "policy_validate.h"
#include "util_err.h"
#include "util_mac.h"

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool
seg_exists(const uint32_t *ids, size_t n, uint32_t id)
{
	return bsearch(&id, ids, n, sizeof(*ids), u32_cmp) != NULL;
}

/* The policy's own segment reference <what>: set, and a defined segment. */
static int
check_seg_ref(const uint32_t *ids, size_t n, uint32_t id, const char *what,
	      char *err, size_t errlen)
{
	if (id == 0) {
		util_err_set(err, errlen, "%s is not set", what);
		return -EINVAL;
	}
	if (!seg_exists(ids, n, id)) {
		util_err_set(err, errlen, "%s %u is not a defined segment",
			     what, id);
		return -EINVAL;
	}
	return 0;
}

static bool
is_action(Cordon__Action a)
{
	return (int)a == CORDON__ACTION__ACTION_DENY ||
	       (int)a == CORDON__ACTION__ACTION_ALLOW;
}

/* 0, or -EINVAL with "<what>: ..." written to err. */
static int
check_cidr(const Cordon__Cidr *c, const char *what, char *err, size_t errlen)
{
	uint32_t max;

	if (c == NULL) {
		util_err_set(err, errlen, "%s: cidr not set", what);
		return -EINVAL;
	}
	if (c->addr.len != 4 && c->addr.len != 16) {
		util_err_set(err, errlen, "%s: cidr address must be 4 or 16 "
			     "bytes, got %zu", what, c->addr.len);
		return -EINVAL;
	}
	max = c->addr.len == 4 ? 32 : 128;
	if (c->prefix_len > max) {
		util_err_set(err, errlen, "%s: cidr prefix %u > %u", what,
			     c->prefix_len, max);
		return -EINVAL;
	}
	return 0;
}

static bool
unknown_fields(const ProtobufCMessage *m)
{
	return m != NULL && m->n_unknown_fields != 0;
}

/* DetectActions: known detectors (or "*"), each once, a known mode. */
static int
check_detect(Cordon__DetectAction *const *d, size_t n, const char *what,
	     char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = d[i] != NULL ? d[i]->detector : NULL;

		if (name == NULL || unknown_fields(&d[i]->base)) {
			util_err_set(err, errlen, "%s: bad detection entry",
				     what);
			return -EINVAL;
		}
		if (strcmp(name, "*") != 0 && det_detector_from_name(name) < 0) {
			util_err_set(err, errlen, "%s: no detector named "
				     "\"%s\"", what, name);
			return -EINVAL;
		}
		if ((int)d[i]->mode < CORDON__DETECT_MODE__DETECT_DEFAULT ||
		    (int)d[i]->mode > CORDON__DETECT_MODE__DETECT_ASK) {
			util_err_set(err, errlen, "%s: %s: mode %d is not a "
				     "DetectMode", what, name, (int)d[i]->mode);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(d[j]->detector, name) == 0) {
				util_err_set(err, errlen, "%s: %s given twice",
					     what, name);
				return -EINVAL;
			}
	}
	return 0;
}

/* *fam: 0 no address, 4 or 6. */
static int
check_endpoint(const Cordon__Endpoint *e, const char *what,
		const uint32_t *seg_ids, size_t n_seg, int *fam,
		char *err, size_t errlen)
{
	size_t len;

	*fam = 0;
	if (e == NULL || e->kind_case == CORDON__ENDPOINT__KIND__NOT_SET) {
		util_err_set(err, errlen, "%s: endpoint not set", what);
		return -EINVAL;
	}
	if (unknown_fields(&e->base)) {
		util_err_set(err, errlen, "%s: unknown field in Endpoint",
			     what);
		return -EINVAL;
	}
	switch (e->kind_case) {
	case CORDON__ENDPOINT__KIND_ANY:
		if (!e->any)
			goto false_flag;
		return 0;
	case CORDON__ENDPOINT__KIND_INTERNET:
		if (!e->internet)
			goto false_flag;
		return 0;
	case CORDON__ENDPOINT__KIND_LOCAL:
		if (!e->local)
			goto false_flag;
		return 0;
	case CORDON__ENDPOINT__KIND_SEGMENT:
		if (!seg_exists(seg_ids, n_seg, e->segment)) {
			util_err_set(err, errlen, "%s: unknown segment %u",
				     what, e->segment);
			return -EINVAL;
		}
		return 0;
	case CORDON__ENDPOINT__KIND_DEVICE:
		if (e->device.len != 6) {
			util_err_set(err, errlen, "%s: device MAC must be 6 "
				     "bytes, got %zu", what, e->device.len);
			return -EINVAL;
		}
		return 0;
	case CORDON__ENDPOINT__KIND_CIDR:
		if (check_cidr(e->cidr, what, err, errlen) < 0)
			return -EINVAL;
		if (unknown_fields(&e->cidr->base)) {
			util_err_set(err, errlen, "%s: unknown field in Cidr",
				     what);
			return -EINVAL;
		}
		*fam = e->cidr->addr.len == 4 ? 4 : 6;
		return 0;
	case CORDON__ENDPOINT__KIND_DNS_NAME:
		len = e->dns_name != NULL ? strlen(e->dns_name) : 0;
		if (len == 0) {
			util_err_set(err, errlen, "%s: dns_name is empty",
				     what);
			return -EINVAL;
		}
		if (len > POLICY_DNS_NAME_MAX) {
			util_err_set(err, errlen, "%s: dns_name longer than %u",
				     what, POLICY_DNS_NAME_MAX);
			return -EINVAL;
		}
		return 0;
	default:
		util_err_set(err, errlen, "%s: unknown endpoint kind %d", what,
			     (int)e->kind_case);
		return -EINVAL;
	}
false_flag:
	util_err_set(err, errlen, "%s: any/internet/local must be true", what);
	return -EINVAL;
}

static bool
port_proto(uint32_t p)
{
	return p == 6 || p == 17 || p == 132 || p == 136;
}

static int
check_rule(const Cordon__Rule *r, size_t i, const uint32_t *seg_ids,
		size_t n_seg, char *err, size_t errlen)
{
	char what[64];
	int fs, fd;
	size_t j;

	if (r == NULL || r->id == 0) {
		util_err_set(err, errlen, "rule #%zu: id 0 is reserved", i);
		return -EINVAL;
	}
	if (unknown_fields(&r->base)) {
		util_err_set(err, errlen, "rule %u: unknown field in Rule",
			     r->id);
		return -EINVAL;
	}
	snprintf(what, sizeof(what), "rule %u: src", r->id);
	if (check_endpoint(r->src, what, seg_ids, n_seg, &fs, err, errlen) < 0)
		return -EINVAL;
	snprintf(what, sizeof(what), "rule %u: dst", r->id);
	if (check_endpoint(r->dst, what, seg_ids, n_seg, &fd, err, errlen) < 0)
		return -EINVAL;
	if (fs != 0 && fd != 0 && fs != fd) {
		util_err_set(err, errlen, "rule %u: src is IPv%d and dst is "
			     "IPv%d", r->id, fs, fd);
		return -EINVAL;
	}
	if (r->ip_proto > 255) {
		util_err_set(err, errlen, "rule %u: ip_proto %u > 255", r->id,
			     r->ip_proto);
		return -EINVAL;
	}
	if ((int)r->action != CORDON__ACTION__ACTION_DENY &&
			(int)r->action != CORDON__ACTION__ACTION_ALLOW) {
		util_err_set(err, errlen, "rule %u: action %d is not an Action",
			     r->id, (int)r->action);
		return -EINVAL;
	}
	if ((int)r->initiator < CORDON__INITIATOR__INITIATOR_SRC ||
			(int)r->initiator > CORDON__INITIATOR__INITIATOR_EITHER) {
		util_err_set(err, errlen, "rule %u: initiator %d is not an "
			     "Initiator", r->id, (int)r->initiator);
		return -EINVAL;
	}
	if (r->n_dst_ports == 0)
		return 0;
	if (r->ip_proto == 1 || r->ip_proto == 58) {
		util_err_set(err, errlen, "rule %u: dst_ports on icmp "
			     "(ip_proto %u has no ports)", r->id, r->ip_proto);
		return -EINVAL;
	}
	if (!port_proto(r->ip_proto)) {
		util_err_set(err, errlen, "rule %u: dst_ports need ip_proto "
			     "tcp, udp, sctp or udplite (ip_proto %u)", r->id,
			     r->ip_proto);
		return -EINVAL;
	}
	if (r->n_dst_ports > POLICY_MAX_PORT_RANGES) {
		util_err_set(err, errlen, "rule %u: too many dst_ports (%zu > "
			     "%u)", r->id, r->n_dst_ports,
			     POLICY_MAX_PORT_RANGES);
		return -EINVAL;
	}
	for (j = 0; j < r->n_dst_ports; j++) {
		const Cordon__PortRange *pr = r->dst_ports[j];

		if (pr == NULL || unknown_fields(&pr->base)) {
			util_err_set(err, errlen, "rule %u: bad dst_ports #%zu",
				     r->id, j);
			return -EINVAL;
		}
		if (pr->hi > 65535) {
			util_err_set(err, errlen, "rule %u: dst_ports %u-%u: "
				     "hi > 65535", r->id, pr->lo, pr->hi);
			return -EINVAL;
		}
		if (pr->lo > pr->hi) {
			util_err_set(err, errlen, "rule %u: dst_ports %u-%u: "
				     "lo > hi", r->id, pr->lo, pr->hi);
			return -EINVAL;
		}
	}
	return 0;
}

static int
check_devices(const Cordon__Policy *pol, const uint32_t *seg_ids,
		size_t n_seg, char *err, size_t errlen)
{
	uint64_t *keys;
	char ms[24];
	size_t i;
	int ret = -EINVAL;

	keys = calloc(pol->n_devices + 1, sizeof(*keys));
	if (keys == NULL) {
		util_err_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < pol->n_devices; i++) {
		const Cordon__DeviceAssignment *d = pol->devices[i];
		uint64_t k = 0;
		int b;

		if (d == NULL || d->mac.len != 6) {
			util_err_set(err, errlen, "device #%zu: MAC must be 6 "
				     "bytes, got %zu", i,
				     d != NULL ? d->mac.len : 0);
			goto out;
		}
		util_mac_format(d->mac.data, ms);
		if (unknown_fields(&d->base)) {
			util_err_set(err, errlen, "device %s: unknown field",
				     ms);
			goto out;
		}
		if (d->vlan > 4095) {
			util_err_set(err, errlen, "device %s: vlan %u > 4095",
				     ms, d->vlan);
			goto out;
		}
		/* Segment 0 ("none") puts the device in default_segment. */
		if (d->segment != 0 && !seg_exists(seg_ids, n_seg, d->segment)) {
			util_err_set(err, errlen, "device %s: unknown segment "
				     "%u", ms, d->segment);
			goto out;
		}
		for (b = 0; b < 6; b++)
			k = (k << 8) | d->mac.data[b];
		keys[i] = k | (uint64_t)d->vlan << 48;
	}
	qsort(keys, pol->n_devices, sizeof(*keys), u64_cmp);
	for (i = 1; i < pol->n_devices; i++) {
		if (keys[i] == keys[i - 1]) {
			uint8_t m[6];
			int b;

			for (b = 0; b < 6; b++)
				m[b] = (uint8_t)(keys[i] >> (40 - 8 * b));
			util_mac_format(m, ms);
			util_err_set(err, errlen, "device %s: assigned twice "
				     "on vlan %u", ms,
				     (unsigned int)(keys[i] >> 48));
			goto out;
		}
	}
	ret = 0;
out:
	free(keys);
	return ret;
}

int
policy_validate(const Cordon__Policy *pol, char *err, size_t errlen)
{
	uint32_t *seg_ids = NULL;
	char what[64];
	size_t i, n_seg;
	int ret = -EINVAL;

	if (pol == NULL) {
		util_err_set(err, errlen, "no policy");
		return -EINVAL;
	}
	if (unknown_fields(&pol->base)) {
		util_err_set(err, errlen, "unknown field in Policy (newer "
			     "format?)");
		return -EINVAL;
	}
	if (check_detect(pol->detect, pol->n_detect, "detection", err,
			 errlen) < 0)
		return -EINVAL;
	if (pol->n_segments > POLICY_MAX_SEGMENTS) {
		util_err_set(err, errlen, "too many segments (%zu > %u)",
			     pol->n_segments, POLICY_MAX_SEGMENTS);
		return -EINVAL;
	}
	if (pol->n_devices > POLICY_MAX_DEVICES ||
			pol->n_quarantined > POLICY_MAX_DEVICES) {
		util_err_set(err, errlen, "too many devices (> %u)",
			     POLICY_MAX_DEVICES);
		return -EINVAL;
	}
	if (pol->n_rules > POLICY_MAX_RULES) {
		util_err_set(err, errlen, "too many rules (%zu > %u)",
			     pol->n_rules, POLICY_MAX_RULES);
		return -EINVAL;
	}
	if (pol->n_local_networks > POLICY_MAX_LOCAL_NETS) {
		util_err_set(err, errlen, "too many local_networks (%zu > %u)",
			     pol->n_local_networks, POLICY_MAX_LOCAL_NETS);
		return -EINVAL;
	}
	n_seg = pol->n_segments;
	seg_ids = calloc(n_seg + 1, sizeof(*seg_ids));
	if (seg_ids == NULL) {
		util_err_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n_seg; i++) {
		const Cordon__Segment *s = pol->segments[i];

		if (s == NULL || s->id == 0) {
			util_err_set(err, errlen, "segment #%zu: id 0 is "
				     "reserved", i);
			goto out;
		}
		if (unknown_fields(&s->base)) {
			util_err_set(err, errlen, "segment %u: unknown field",
				     s->id);
			goto out;
		}
		if (!is_action(s->default_action)) {
			util_err_set(err, errlen, "segment %u: default_action "
				     "%d is not an Action", s->id,
				     (int)s->default_action);
			goto out;
		}
		if (!is_action(s->l2_action)) {
			util_err_set(err, errlen, "segment %u: l2_action %d is "
				     "not an Action", s->id, (int)s->l2_action);
			goto out;
		}
		snprintf(what, sizeof(what), "segment %u detection", s->id);
		if (check_detect(s->detect, s->n_detect, what, err,
				 errlen) < 0)
			goto out;
		seg_ids[i] = s->id;
	}
	qsort(seg_ids, n_seg, sizeof(*seg_ids), u32_cmp);
	for (i = 1; i < n_seg; i++) {
		if (seg_ids[i] == seg_ids[i - 1]) {
			util_err_set(err, errlen, "duplicate segment id %u",
				     seg_ids[i]);
			goto out;
		}
	}
	if (check_seg_ref(seg_ids, n_seg, pol->default_segment,
			  "default_segment", err, errlen) < 0 ||
	    check_seg_ref(seg_ids, n_seg, pol->quarantine_segment,
			  "quarantine_segment", err, errlen) < 0)
		goto out;
	ret = check_devices(pol, seg_ids, n_seg, err, errlen);
	if (ret < 0)
		goto out;
	ret = -EINVAL;
	for (i = 0; i < pol->n_quarantined; i++) {
		if (pol->quarantined[i].len != 6) {
			util_err_set(err, errlen, "quarantined #%zu: MAC must "
				     "be 6 bytes, got %zu", i,
				     pol->quarantined[i].len);
			goto out;
		}
	}
	for (i = 0; i < pol->n_local_networks; i++) {
		snprintf(what, sizeof(what), "local_networks #%zu", i);
		if (check_cidr(pol->local_networks[i], what, err, errlen) < 0)
			goto out;
	}
	for (i = 0; i < pol->n_rules; i++) {
		if (check_rule(pol->rules[i], i, seg_ids, n_seg, err,
				errlen) < 0)
			goto out;
	}
	ret = 0;
out:
	free(seg_ids);
	return ret;
}

bool
policy_quarantined(const Cordon__Policy *pol, const uint8_t mac[6])
{
	for (size_t i = 0; pol != NULL && i < pol->n_quarantined; i++)
		if (pol->quarantined[i].len == 6 &&
		    memcmp(pol->quarantined[i].data, mac, 6) == 0)
			return true;
	return false;
}
