/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Cordon policy files: YAML (one document) -> Cordon__Policy.
 *
 *   version: 7                     # optional Policy.version (uint64)
 *   comment: "home network"        # optional
 *   local-networks: [192.168.1.0/24, fd00::/8]
 *   default-segment: guests        # segment of devices nothing assigns
 *   type-confidence: 70            # type: selectors assign a device only
 *                                  # at this confidence (0-100, default 70)
 *   quarantine-segment: quarantine # segment of quarantined devices
 *   segments:                      # ids 1.. in this order
 *     - name: trusted
 *       default: allow             # allow | deny (default deny): action
 *                                  # when no rule matches a flow this
 *                                  # segment's devices open
 *       l2: allow                  # ARP and other non-IP (default allow)
 *       detection: {"*": alert}    # optional: what the detectors' alerts
 *                                  # do to this segment's devices
 *   devices:                       # assignments; exactly one selector:
 *     - mac: 00:11:22:33:44:55     #   exact MAC (vlan: optional 1..4094)
 *       segment: trusted
 *       name: laptop               #   optional; rules may say device:laptop
 *     - oui: 00:17:88              #   MAC prefix, or
 *       segment: iot               #   mac-prefix: 00:17:88:00:00:00/24
 *     - vendor: Philips            #   inventory vendor (case-insensitive)
 *     - type: camera               #   inventory device type, at the
 *       confidence: 80             #   policy's type-confidence or this
 *     - mud-url: https://x/y       #   inventory MUD URL
 *   quarantined: [00:11:22:33:44:66]
 *   detection:                     # optional, every segment: per detector
 *     scan_vertical: quarantine    # (detect/README.md) or "*": alert,
 *     envelope: ask                # quarantine (the dataplane contains the
 *                                  # device), ask, default (the detector's
 *                                  # own severity); a segment's entry wins
 *   rules:                         # first match in (priority, file order)
 *     - from: segment:iot          # the flow's initiator (Rule.src)
 *       to: internet               # the responder (Rule.dst)
 *       proto: tcp                 # tcp udp icmp icmpv6 sctp any, 0..255
 *       ports: [443, 8000-8080]    # responder ports; number, "a-b", list
 *       action: allow              # allow | deny (required)
 *       initiator: src             # src (default) | dst | either
 *       priority: 100              # optional, default 100, lower first
 *       comment: "cloud"
 *
 * Endpoints: any, internet, local, segment:NAME, device:MAC,
 * device:NAME (a named exact-MAC assignment), dns:NAME or dns:*.SUFFIX,
 * or an address / CIDR (10.0.0.0/8, 2001:db8::1).
 *
 * Selectors other than mac are resolved against the caller's inventory,
 * one DeviceAssignment per inventory device, by precedence
 *   exact mac > mud-url > type > vendor > oui / mac-prefix
 * (within one class the first entry in the file wins; a longer MAC prefix
 * wins over a shorter one). A type is a guess: a type selector only
 * matches a device whose type confidence reaches the threshold; one held
 * back leaves the device to the other selectors or the default segment,
 * and the inventory's notes (ctl_pol_inventory.notes) say why. A type
 * that is not a word of the vocabulary (fp_type.h) is an error. Unknown
 * keys, duplicate keys, duplicate segment names and a MAC assigned twice
 * on the same VLAN are errors:
 * a typo must never silently change what is allowed. Every error is
 * "file:line:column: message" (1-based) from libyaml's marks.
 *
 * This file: the document, segments and device assignments; the rules
 * are ctl_policy_rule.c's.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_compile.h"
#include "ctl_idx.h"
#include "ctl_policy_yaml_impl.h"
#include "det.h"
#include "fp_type.h"
#include "policy_validate.h"
#include "util_file.h"
#include "util_mac.h"

static void
pol_state_fini(struct pol_state *st)
{
	ctl_idx_free(&st->by_macvlan);
	ctl_idx_free(&st->by_mac);
	ctl_idx_free(&st->by_name);
}

int
ctl_pol_find_segment(struct pol_state *st, const char *name, uint32_t *id)
{
	size_t i;

	for (i = 0; i < st->p->n_segments; i++)
		if (!strcmp(st->p->segments[i]->name, name)) {
			*id = st->p->segments[i]->id;
			return 0;
		}
	return -ENOENT;
}

static int
segment_ref(struct pol_state *st, yaml_node_t *n, const char *what,
		uint32_t *id)
{
	const char *s = ctl_yaml_str(st->y, n, what);

	if (!s)
		return -EINVAL;
	if (ctl_pol_find_segment(st, s, id))
		return ctl_yaml_err(st->y, n, "%s: no segment named \"%s\"",
				    what, s);
	return 0;
}

int
ctl_pol_parse_action(struct pol_state *st, yaml_node_t *n, const char *what,
		     Cordon__Action *a)
{
	const char *s = ctl_yaml_str(st->y, n, what);

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "allow")) {
		*a = CORDON__ACTION__ACTION_ALLOW;
		return 0;
	}
	if (!strcmp(s, "deny")) {
		*a = CORDON__ACTION__ACTION_DENY;
		return 0;
	}
	return ctl_yaml_err(st->y, n, "%s: \"%s\" is not allow or deny%s",
			    what, s, strcmp(what, "default") == 0 ?
			    " (or ask)" : "");
}

/* detection: {NAME: MODE, ...} into a DetectAction list. */
static int
parse_detection(struct pol_state *st, yaml_node_t *n,
		Cordon__DetectAction ***out, size_t *n_out)
{
	static const char *const modes[] = {
		[CORDON__DETECT_MODE__DETECT_DEFAULT] = "default",
		[CORDON__DETECT_MODE__DETECT_ALERT] = "alert",
		[CORDON__DETECT_MODE__DETECT_QUARANTINE] = "quarantine",
		[CORDON__DETECT_MODE__DETECT_ASK] = "ask",
	};
	yaml_node_pair_t *pr;
	size_t cnt;

	if (!n || n->type != YAML_MAPPING_NODE)
		return ctl_yaml_err(st->y, n, "detection must be a mapping "
				    "(detector: action)");
	cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	*out = calloc(cnt + 1, sizeof(**out));
	if (*out == NULL)
		return -ENOMEM;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(&st->y->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&st->y->doc, pr->value);
		const char *name = ctl_yaml_str(st->y, k, "detector");
		const char *mode = name ? ctl_yaml_str(st->y, v, name) : NULL;
		Cordon__DetectAction *d;
		size_t m;

		if (!name || !mode)
			return -EINVAL;
		if (strcmp(name, "*") != 0 && det_detector_from_name(name) < 0)
			return ctl_yaml_err(st->y, k, "no detector named \"%s\" "
					    "(detect/README.md lists them)",
					    name);
		for (m = 0; m < *n_out; m++)
			if (!strcmp((*out)[m]->detector, name))
				return ctl_yaml_err(st->y, k, "detector \"%s\" "
						    "given twice", name);
		for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
			if (!strcmp(mode, modes[m]))
				break;
		if (m == sizeof(modes) / sizeof(modes[0]))
			return ctl_yaml_err(st->y, v, "%s: \"%s\" is not alert, "
					    "quarantine, ask or default", name,
					    mode);
		d = malloc(sizeof(*d));
		if (d == NULL)
			return -ENOMEM;
		cordon__detect_action__init(d);
		(*out)[(*n_out)++] = d;
		d->mode = (Cordon__DetectMode)m;
		d->detector = strdup(name);
		if (d->detector == NULL) {
			d->detector = (char *)protobuf_c_empty_string;
			return -ENOMEM;
		}
	}
	return 0;
}

static int
parse_segments(struct pol_state *st, yaml_node_t *n)
{
	static const char *const keys[] = { "name", "default", "l2",
		"comment", "detection", NULL };
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return ctl_yaml_err(st->y, n, "segments must be a list");
	cnt = ctl_yaml_list(st->y, n, &items);
	if (cnt == 0)
		return ctl_yaml_err(st->y, n, "segments is empty");
	for (i = 0; i < cnt && !r; i++) {
		Cordon__Action def = CORDON__ACTION__ACTION_DENY;
		Cordon__Action l2 = CORDON__ACTION__ACTION_ALLOW;
		Cordon__Segment *seg;
		bool ask = false;
		yaml_node_t *v;
		const char *name;
		uint32_t id;
		size_t k;

		r = ctl_yaml_keys(st->y, items[i], "segment", keys);
		if (r)
			break;
		r = ctl_yaml_need(st->y, items[i], "segment", "name", &v);
		if (r)
			break;
		name = ctl_yaml_str(st->y, v, "segment name");
		if (!name) {
			r = -EINVAL;
			break;
		}
		if (!*name || strlen(name) > 63) {
			r = ctl_yaml_err(st->y, v, "segment name must be 1..63 "
					 "characters");
			break;
		}
		for (k = 0; name[k]; k++)
			if (!isalnum((unsigned char)name[k]) &&
					name[k] != '-' && name[k] != '_')
				break;
		if (name[k]) {
			r = ctl_yaml_err(st->y, v, "segment name \"%s\": use "
					 "letters, digits, '-' and '_'", name);
			break;
		}
		if (!ctl_pol_find_segment(st, name, &id)) {
			r = ctl_yaml_err(st->y, v, "segment \"%s\" is defined "
					 "twice", name);
			break;
		}
		/* default: ask is a deny that raises a consent prompt. */
		v = ctl_yaml_get(st->y, items[i], "default");
		if (v && v->type == YAML_SCALAR_NODE &&
		    ctl_yaml_str(st->y, v, "default") != NULL &&
		    strcmp(ctl_yaml_str(st->y, v, "default"), "ask") == 0)
			ask = true;
		else if (v && (r = ctl_pol_parse_action(st, v, "default",
							&def)))
			break;
		v = ctl_yaml_get(st->y, items[i], "l2");
		if (v && (r = ctl_pol_parse_action(st, v, "l2", &l2)))
			break;
		v = ctl_yaml_get(st->y, items[i], "comment");
		if (v && !ctl_yaml_str(st->y, v, "comment")) {
			r = -EINVAL;
			break;
		}
		seg = ctl_cmp_add_segment(st->p, (uint32_t)i + 1, name, def,
					  l2);
		if (!seg) {
			r = -ENOMEM;
			break;
		}
		seg->ask = ask;
		v = ctl_yaml_get(st->y, items[i], "detection");
		if (v)
			r = parse_detection(st, v, &seg->detect,
					    &seg->n_detect);
	}
	free(items);
	return r;
}

/* One of the fingerprinter's type words (fp_type.h), in any case. */
static bool
type_word(const char *s)
{
	for (int t = 1; t < FP_TYPE__MAX; t++)
		if (!strcasecmp(s, fp_type_name((enum fp_type)t)))
			return true;
	return false;
}

/* A type: selector that could never match: say which words would. */
static int
type_err(struct pol_state *st, yaml_node_t *n, const char *s)
{
	char words[512] = "";
	size_t len = 0;

	for (int t = 1; t < FP_TYPE__MAX && len < sizeof(words); t++)
		len += (size_t)snprintf(words + len, sizeof(words) - len,
					"%s%s", t > 1 ? ", " : "",
					fp_type_name((enum fp_type)t));
	return ctl_yaml_err(st->y, n, "type \"%s\" is not a device type "
			    "(%s)", s, words);
}

static int
parse_assignments(struct pol_state *st, yaml_node_t *n)
{
	static const char *const keys[] = { "mac", "oui", "mac-prefix",
		"vendor", "type", "mud-url", "segment", "vlan", "name",
		"confidence", "comment", NULL };
	static const char *const sels[] = { "mac", "oui", "mac-prefix",
		"vendor", "type", "mud-url" };
	yaml_node_t **items;
	size_t cnt, i, j;
	int r = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return ctl_yaml_err(st->y, n, "devices must be a list");
	cnt = ctl_yaml_list(st->y, n, &items);
	if (cnt) {
		st->as = calloc(cnt, sizeof(*st->as));
		if (!st->as) {
			free(items);
			return -ENOMEM;
		}
	}
	for (i = 0; i < cnt && !r; i++) {
		struct assign *a = &st->as[st->n_as];
		yaml_node_t *sel = NULL, *v;
		const char *selname = NULL, *s;
		uint64_t u;

		r = ctl_yaml_keys(st->y, items[i], "device", keys);
		if (r)
			break;
		for (j = 0; j < sizeof(sels) / sizeof(sels[0]); j++) {
			v = ctl_yaml_get(st->y, items[i], sels[j]);
			if (!v)
				continue;
			if (sel) {
				r = ctl_yaml_err(st->y, v, "device has both %s "
						 "and %s: use one selector",
						 selname, sels[j]);
				break;
			}
			sel = v;
			selname = sels[j];
		}
		if (r)
			break;
		if (!sel) {
			r = ctl_yaml_err(st->y, items[i], "device needs one of "
					 "mac, oui, mac-prefix, vendor, type, "
					 "mud-url");
			break;
		}
		a->node = items[i];
		s = ctl_yaml_str(st->y, sel, selname);
		if (!s) {
			r = -EINVAL;
			break;
		}
		if (!strcmp(selname, "mac")) {
			a->cls = SEL_MAC;
			if (util_mac_parse(s, a->mac)) {
				r = ctl_yaml_err(st->y, sel, "\"%s\" is not a "
						 "MAC address", s);
				break;
			}
		} else if (!strcmp(selname, "oui") ||
				!strcmp(selname, "mac-prefix")) {
			a->cls = SEL_OUI;
			if (util_mac_parse_prefix(s, a->mac, &a->bits)) {
				r = ctl_yaml_err(st->y, sel, "\"%s\" is not a "
						 "MAC prefix (aa:bb:cc or "
						 "aa:bb:cc:00:00:00/24)", s);
				break;
			}
		} else {
			a->cls = selname[0] == 'v' ? SEL_VENDOR :
				selname[0] == 't' ? SEL_TYPE : SEL_MUD;
			if (!*s) {
				r = ctl_yaml_err(st->y, sel, "%s is empty",
						 selname);
				break;
			}
			a->value = s;
			if (a->cls == SEL_TYPE && !type_word(s)) {
				r = type_err(st, sel, s);
				break;
			}
		}
		r = ctl_yaml_need(st->y, items[i], "device", "segment", &v);
		if (r)
			break;
		r = segment_ref(st, v, "segment", &a->seg);
		if (r)
			break;
		v = ctl_yaml_get(st->y, items[i], "vlan");
		if (v) {
			if (ctl_yaml_uint(st->y, v, 4094, &u) || u == 0) {
				r = ctl_yaml_err(st->y, v, "vlan must be "
						 "1..4094");
				break;
			}
			a->vlan = (uint32_t)u;
			a->has_vlan = 1;
		}
		a->min_conf = st->type_conf;
		v = ctl_yaml_get(st->y, items[i], "confidence");
		if (v) {
			if (a->cls != SEL_TYPE) {
				r = ctl_yaml_err(st->y, v, "only a type "
						 "assignment has a confidence");
				break;
			}
			if (ctl_yaml_uint(st->y, v, 100, &u)) {
				r = ctl_yaml_err(st->y, v, "confidence must be "
						 "0..100 (percent)");
				break;
			}
			a->min_conf = (uint32_t)u;
		}
		v = ctl_yaml_get(st->y, items[i], "name");
		if (v) {
			a->name = ctl_yaml_str(st->y, v, "name");
			if (!a->name) {
				r = -EINVAL;
				break;
			}
			if (a->cls != SEL_MAC) {
				r = ctl_yaml_err(st->y, v, "only a mac "
						 "assignment can have a name");
				break;
			}
		}
		v = ctl_yaml_get(st->y, items[i], "comment");
		if (v && !ctl_yaml_str(st->y, v, "comment")) {
			r = -EINVAL;
			break;
		}
		if (a->cls == SEL_MAC) {
			size_t pos = SIZE_MAX;
			uint32_t k;

			if (ctl_idx_next(&st->by_macvlan,
					 ctl_idx_key_mac(a->mac, a->vlan), &pos,
					 &k)) {
				r = ctl_yaml_err(st->y, sel, "MAC %s is "
						 "already assigned (line %zu)",
						 s,
						 st->as[k].node->start_mark.line + 1);
				break;
			}
			pos = SIZE_MAX;
			while (a->name && ctl_idx_next(&st->by_name,
						       ctl_idx_key_str(a->name),
						       &pos, &k))
				if (!strcmp(a->name, st->as[k].name)) {
					r = ctl_yaml_err(st->y, sel,
							 "device name \"%s\" "
							 "is used twice",
							 a->name);
					break;
				}
			if (r)
				break;
			if (ctl_idx_put(&st->by_macvlan,
					ctl_idx_key_mac(a->mac, a->vlan),
					(uint32_t)st->n_as) ||
			    ctl_idx_put(&st->by_mac, ctl_idx_key_mac(a->mac, 0),
					(uint32_t)st->n_as) ||
			    (a->name && ctl_idx_put(&st->by_name,
						    ctl_idx_key_str(a->name),
						    (uint32_t)st->n_as))) {
				r = -ENOMEM;
				break;
			}
		}
		st->n_as++;
	}
	free(items);
	return r;
}

/* Best assignment for an inventory device (see precedence above); *held:
 * the first type selector its type matched at too low a confidence. */
static const struct assign *
best_assign(const struct pol_state *st, const struct ctl_pol_inv_device *d,
	    const struct assign **held)
{
	const struct assign *best = NULL;

	*held = NULL;
	size_t i;

	for (i = 0; i < st->n_as; i++) {
		const struct assign *a = &st->as[i];
		int m = 0;

		switch (a->cls) {
		case SEL_MUD:
			m = d->mud_url && !strcmp(d->mud_url, a->value);
			break;
		case SEL_TYPE:
			m = d->type && !strcasecmp(d->type, a->value);
			break;
		case SEL_VENDOR:
			m = d->vendor && !strcasecmp(d->vendor, a->value);
			break;
		case SEL_OUI:
			m = util_mac_prefix_match(d->mac, a->mac, a->bits);
			break;
		default:
			break;
		}
		if (m && a->has_vlan && d->vlan && a->vlan != d->vlan)
			m = 0;
		if (m && a->cls == SEL_TYPE &&
		    d->type_confidence < a->min_conf) {
			if (*held == NULL)
				*held = a;
			m = 0;
		}
		if (!m)
			continue;
		if (!best || a->cls > best->cls ||
				(a->cls == SEL_OUI && best->cls == SEL_OUI &&
				 a->bits > best->bits))
			best = a;
	}
	return best;
}

static const char *
segment_name(const struct pol_state *st, uint32_t id)
{
	for (size_t i = 0; i < st->p->n_segments; i++)
		if (st->p->segments[i]->id == id)
			return st->p->segments[i]->name;
	return "?";
}

/* Why a type selector did not take d, and where d went instead. */
static int
held_note(const struct pol_state *st, const struct ctl_pol_inv_device *d,
	  const struct assign *held, const struct assign *a, char **note)
{
	static const char *const cls_names[] = {
		[SEL_OUI] = "its MAC prefix", [SEL_VENDOR] = "its vendor",
		[SEL_TYPE] = "another type selector",
		[SEL_MUD] = "its MUD URL", [SEL_MAC] = "its MAC",
	};
	char *s;
	int n;

	if (a != NULL)
		n = asprintf(&s, "type %s at %u%%, below the %u%% that "
			     "\"type: %s\" (line %zu) asks: segment %s by %s",
			     d->type, d->type_confidence, held->min_conf,
			     held->value, held->node->start_mark.line + 1,
			     segment_name(st, a->seg), cls_names[a->cls]);
	else
		n = asprintf(&s, "type %s at %u%%, below the %u%% that "
			     "\"type: %s\" (line %zu) asks: default segment "
			     "%s", d->type, d->type_confidence,
			     held->min_conf, held->value,
			     held->node->start_mark.line + 1,
			     segment_name(st, st->p->default_segment));
	if (n < 0)
		return -ENOMEM;
	free(*note);
	*note = s;
	return 0;
}

static int
emit_assignments(struct pol_state *st, const struct ctl_pol_inventory *inv)
{
	struct ctl_idx added = { NULL, NULL, 0, 0 };	/* (mac, vlan) */
	int r = 0;
	size_t i;

	for (i = 0; i < st->n_as; i++) {
		const struct assign *a = &st->as[i];

		if (a->cls == SEL_MAC && !ctl_cmp_add_device(st->p, a->mac,
				a->vlan, a->seg, a->name))
			return -ENOMEM;
	}
	for (i = 0; inv && i < inv->n_devs && !r; i++) {
		const struct ctl_pol_inv_device *d = &inv->devs[i];
		const uint64_t k = ctl_idx_key_mac(d->mac, d->vlan);
		const struct assign *a, *held;
		size_t pos = SIZE_MAX;
		uint32_t v;

		/* An exact-MAC assignment is never overridden, and a device
		 * two dataplanes report is assigned once. */
		if (ctl_idx_next(&st->by_mac, ctl_idx_key_mac(d->mac, 0), &pos,
				 &v))
			continue;
		pos = SIZE_MAX;
		if (ctl_idx_next(&added, k, &pos, &v))
			continue;
		a = best_assign(st, d, &held);
		if (held != NULL && inv->notes != NULL) {
			r = held_note(st, d, held, a, &inv->notes[i]);
			if (r)
				break;
		}
		if (!a)
			continue;
		if (!ctl_cmp_add_device(st->p, d->mac, d->vlan, a->seg,
				d->name) || ctl_idx_put(&added, k, 0))
			r = -ENOMEM;
	}
	ctl_idx_free(&added);
	return r;
}

/* One item of a list of strings: 0 or the error (ctl_yaml_err). */
typedef int (*str_item_fn)(struct pol_state *st, yaml_node_t *item,
			   const char *s);

static int
local_net_one(struct pol_state *st, yaml_node_t *item, const char *s)
{
	struct ctl_cidr c;

	if (ctl_cmp_parse_cidr(s, 0, &c))
		return ctl_yaml_err(st->y, item, "\"%s\" is not a CIDR (or has "
				    "host bits set)", s);
	return ctl_cmp_add_local_net(st->p, &c);
}

static int
quarantined_one(struct pol_state *st, yaml_node_t *item, const char *s)
{
	uint8_t mac[6];

	if (util_mac_parse(s, mac))
		return ctl_yaml_err(st->y, item, "\"%s\" is not a MAC address",
				    s);
	return ctl_cmp_add_quarantined(st->p, mac);
}

/*
 * The optional list of strings at key of map, each (named item_what in
 * errors) handed to one; "KEY must be LIST_WHAT" when it is a mapping.
 */
static int
parse_str_list(struct pol_state *st, yaml_node_t *map, const char *key,
	       const char *list_what, const char *item_what, str_item_fn one)
{
	yaml_node_t *v = ctl_yaml_get(st->y, map, key), **items = NULL;
	size_t cnt;
	int r = 0;

	if (!v)
		return 0;
	if (v->type == YAML_MAPPING_NODE)
		return ctl_yaml_err(st->y, v, "%s must be %s", key, list_what);
	cnt = ctl_yaml_list(st->y, v, &items);
	for (size_t i = 0; i < cnt && !r; i++) {
		const char *s = ctl_yaml_str(st->y, items[i], item_what);

		r = s ? one(st, items[i], s) : -EINVAL;
	}
	free(items);
	return r;
}

static int
parse_policy(struct pol_state *st, const struct ctl_pol_inventory *inv)
{
	static const char *const keys[] = { "version", "comment",
		"local-networks", "default-segment", "quarantine-segment",
		"type-confidence", "segments", "devices", "quarantined",
		"rules", "detection", NULL };
	yaml_node_t *root = ctl_yaml_root(st->y), *v;
	yaml_node_t **items;
	size_t cnt, i;
	int r;

	r = ctl_yaml_keys(st->y, root, "the policy", keys);
	if (r)
		return r;
	v = ctl_yaml_get(st->y, root, "version");
	if (v) {
		uint64_t ver;

		r = ctl_yaml_uint(st->y, v, UINT64_MAX, &ver);
		if (r)
			return r;
		st->p->version = ver;
	}
	v = ctl_yaml_get(st->y, root, "comment");
	if (v) {
		const char *c = ctl_yaml_str(st->y, v, "comment");

		if (!c)
			return -EINVAL;
		st->p->comment = strdup(c);
		if (!st->p->comment) {
			st->p->comment = (char *)protobuf_c_empty_string;
			return -ENOMEM;
		}
	}
	v = ctl_yaml_get(st->y, root, "detection");
	if (v) {
		r = parse_detection(st, v, &st->p->detect, &st->p->n_detect);
		if (r)
			return r;
	}
	v = ctl_yaml_get(st->y, root, "segments");
	if (!v)
		return ctl_yaml_err(st->y, root, "no segments");
	r = parse_segments(st, v);
	if (r)
		return r;
	v = ctl_yaml_get(st->y, root, "default-segment");
	if (!v)
		return ctl_yaml_err(st->y, root, "no default-segment");
	r = segment_ref(st, v, "default-segment", &st->p->default_segment);
	if (r)
		return r;
	v = ctl_yaml_get(st->y, root, "quarantine-segment");
	if (!v)
		return ctl_yaml_err(st->y, root, "no quarantine-segment");
	r = segment_ref(st, v, "quarantine-segment",
		&st->p->quarantine_segment);
	if (r)
		return r;
	r = parse_str_list(st, root, "local-networks", "a list of CIDRs",
			   "local network", local_net_one);
	if (r)
		return r;
	st->type_conf = DEFAULT_TYPE_CONFIDENCE;
	v = ctl_yaml_get(st->y, root, "type-confidence");
	if (v) {
		uint64_t c;

		if (ctl_yaml_uint(st->y, v, 100, &c))
			return ctl_yaml_err(st->y, v, "type-confidence must be "
					    "0..100 (percent)");
		st->type_conf = (uint32_t)c;
	}
	v = ctl_yaml_get(st->y, root, "devices");
	if (v) {
		r = parse_assignments(st, v);
		if (r)
			return r;
	}
	r = parse_str_list(st, root, "quarantined", "a list of MACs",
			   "quarantined MAC", quarantined_one);
	if (r)
		return r;
	v = ctl_yaml_get(st->y, root, "rules");
	if (v) {
		if (v->type != YAML_SEQUENCE_NODE)
			return ctl_yaml_err(st->y, v, "rules must be a list");
		cnt = ctl_yaml_list(st->y, v, &items);
		for (i = 0; i < cnt && !r; i++)
			r = ctl_policy_rule_parse(st, items[i]);
		/* kept to place the validator's "rule N" messages */
		st->rule_nodes = items;
		if (r)
			return r;
	}
	return emit_assignments(st, inv);
}

int
ctl_pol_compile_buf(const char *text, size_t len, const char *name,
		const struct ctl_pol_inventory *inv, Cordon__Policy **out,
		char *err, size_t errlen)
{
	struct ctl_yaml y;
	struct pol_state st;
	char verr[256];
	int r;

	memset(&st, 0, sizeof(st));
	r = ctl_yaml_load(&y, text, len, name, err, errlen);
	if (r)
		goto out;
	st.y = &y;
	st.p = ctl_cmp_policy_new();
	if (!st.p) {
		r = -ENOMEM;
		goto out;
	}
	r = parse_policy(&st, inv);
	if (r == -ENOMEM && !y.failed)
		ctl_yaml_err(&y, NULL, "out of memory");
	if (r)
		goto out;
	if (policy_validate(st.p, verr, sizeof(verr))) {
		const yaml_node_t *at = NULL;
		unsigned int id;

		/* Rule ids are file positions: point at the rule. */
		if (sscanf(verr, "rule %u:", &id) == 1 && id >= 1 &&
				id <= st.p->n_rules && st.rule_nodes)
			at = st.rule_nodes[id - 1];
		r = ctl_yaml_err(&y, at, "compiled policy is invalid: %s",
				 verr);
		goto out;
	}
	*out = st.p;
	st.p = NULL;
out:
	ctl_cmp_policy_free(st.p);
	free(st.as);
	free(st.rule_nodes);
	pol_state_fini(&st);
	ctl_yaml_free(&y);
	return r;
}

int
ctl_pol_compile_file(const char *path, const struct ctl_pol_inventory *inv,
		Cordon__Policy **out, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int r = util_file_read(path, CTL_POL_FILE_MAX, &buf, &len, err, errlen);

	if (r)
		return r;
	r = ctl_pol_compile_buf(buf, len, path, inv, out, err, errlen);
	free(buf);
	return r;
}
