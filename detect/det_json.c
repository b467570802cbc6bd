/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Alerts as JSON, see det_json.h.
 */

#include <stdio.h>
#include <stdlib.h>

#include "det_internal.h"
#include "det_json.h"

static json_t *
det_json_ts(uint64_t us)
{
	return json_real((double)(us / DET_S) + (double)(us % DET_S) / 1e6);
}

/* "k=v k=\"v w\"" into an object of strings (numbers when they are). */
static json_t *
det_json_detail(const char *s)
{
	json_t *o = json_object();

	while (*s) {
		char k[64], v[200];
		size_t kn = 0, vn = 0;
		char *end;
		long long num;

		while (*s == ' ')
			s++;
		while (*s && *s != '=' && *s != ' ' && kn < sizeof(k) - 1)
			k[kn++] = *s++;
		k[kn] = '\0';
		if (*s != '=') {
			while (*s && *s != ' ')
				s++;
			continue;
		}
		s++;
		if (*s == '"') {
			s++;
			while (*s && *s != '"' && vn < sizeof(v) - 1)
				v[vn++] = *s++;
			if (*s == '"')
				s++;
		} else {
			while (*s && *s != ' ' && vn < sizeof(v) - 1)
				v[vn++] = *s++;
		}
		v[vn] = '\0';
		num = strtoll(v, &end, 10);
		if (vn > 0 && *end == '\0' && vn < 18)
			json_object_set_new(o, k, json_integer(num));
		else
			json_object_set_new(o, k, json_string(v));
	}
	return o;
}

json_t *
det_json_alert(const struct det_alert *a)
{
	json_t *o = json_object(), *ev = json_object(), *addrs = json_array();
	json_t *first = json_array();
	char buf[64], pb[8];

	json_object_set_new(o, "type", json_string("alert"));
	json_object_set_new(o, "seq", json_integer(a->seq));
	json_object_set_new(o, "detector",
			json_string(det_detector_name(a->detector)));
	json_object_set_new(o, "severity",
			json_string(det_severity_name(a->severity)));
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			a->mac[0], a->mac[1], a->mac[2], a->mac[3], a->mac[4],
			a->mac[5]);
	json_object_set_new(o, "mac", json_string(buf));
	json_object_set_new(o, "vlan", json_integer(a->vlan));
	for (uint8_t i = 0; i < a->n_addrs && i < DET_DEV_ADDRS; i++)
		json_array_append_new(addrs, json_string(det_addr_str(
				a->addrs[i], buf, sizeof(buf))));
	json_object_set_new(o, "addrs", addrs);
	json_object_set_new(o, "ts", det_json_ts(a->ts_us));
	json_object_set_new(o, "first_ts", det_json_ts(a->first_us));
	json_object_set_new(o, "time_to_detect_ms",
			json_real((double)(a->ts_us - a->first_us) / 1000.0));
	json_object_set_new(ev, "what", json_string(a->ev.what));
	json_object_set_new(ev, "key", json_string(a->ev.key));
	json_object_set_new(ev, "count", json_integer((json_int_t)a->ev.count));
	json_object_set_new(ev, "threshold",
			json_integer((json_int_t)a->ev.threshold));
	json_object_set_new(ev, "window_ms",
			json_integer((json_int_t)a->ev.window_ms));
	json_object_set_new(ev, "detail", det_json_detail(a->ev.detail));
	for (uint32_t i = 0; i < a->ev.n_examples; i++) {
		const struct det_example *x = &a->ev.ex[i];
		json_t *j = json_object();

		json_object_set_new(j, "ts", det_json_ts(x->ts_us));
		json_object_set_new(j, "proto", json_string(
				det_proto_name(x->proto, pb, sizeof(pb))));
		if (!det_addr_is_zero(x->src) || x->sport)
			json_object_set_new(j, "src", json_string(
				det_addr_str(x->src, buf, sizeof(buf))));
		if (x->sport)
			json_object_set_new(j, "sport", json_integer(x->sport));
		json_object_set_new(j, "dst", json_string(
				det_addr_str(x->dst, buf, sizeof(buf))));
		if (x->dport)
			json_object_set_new(j, "dport", json_integer(x->dport));
		json_array_append_new(first, j);
	}
	json_object_set_new(ev, "first", first);
	json_object_set_new(o, "evidence", ev);
	return o;
}
