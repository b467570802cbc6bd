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
 *   quarantine-segment: quarantine # segment of quarantined devices
 *   segments:                      # ids 1.. in this order
 *     - name: trusted
 *       default: allow             # allow | deny (default deny): action
 *                                  # when no rule matches a flow this
 *                                  # segment's devices open
 *       l2: allow                  # ARP and other non-IP (default allow)
 *   devices:                       # assignments; exactly one selector:
 *     - mac: 00:11:22:33:44:55     #   exact MAC (vlan: optional 1..4094)
 *       segment: trusted
 *       name: laptop               #   optional; rules may say device:laptop
 *     - oui: 00:17:88              #   MAC prefix, or
 *       segment: iot               #   mac-prefix: 00:17:88:00:00:00/24
 *     - vendor: Philips            #   inventory vendor (case-insensitive)
 *     - type: camera               #   inventory device type
 *     - mud-url: https://x/y       #   inventory MUD URL
 *   quarantined: [00:11:22:33:44:66]
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
 * wins over a shorter one). Unknown keys, duplicate keys, duplicate
 * segment names and a MAC assigned twice on the same VLAN are errors:
 * a typo must never silently change what is allowed. Every error is
 * "file:line:column: message" (1-based) from libyaml's marks.
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
#include "ctl_policy_yaml.h"
#include "policy_validate.h"
#include "util_file.h"
#include "util_hash.h"
#include "util_mac.h"

#define DEFAULT_PRIORITY 100u

/* --- YAML helpers ------------------------------------------------------ */

int
ctl_pol_yaml_err(struct ctl_pol_yaml *y, const yaml_node_t *n,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (y->failed)
		return -EINVAL;
	y->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (y->err && y->errlen) {
		if (n)
			snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->name,
				n->start_mark.line + 1,
				n->start_mark.column + 1, msg);
		else
			snprintf(y->err, y->errlen, "%s: %s", y->name, msg);
	}
	return -EINVAL;
}

/*
 * libyaml's scanner is quadratic in the flow nesting depth ([[[[...) and
 * nothing here nests deeply: refuse deep flow collections up front. The
 * scan is conservative (brackets in quotes and comments are skipped).
 * Returns 0 or the 1-based line and column of the bracket too deep.
 */
static int
flow_depth_ok(const char *t, size_t len, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;
	int depth = 0;
	char q = 0;

	for (i = 0; i < len; i++, c++) {
		char ch = t[i];

		if (ch == '\n') {
			l++;
			c = 0;
			if (q == '#')
				q = 0;
			continue;
		}
		if (q) {
			if (q == '"' && ch == '\\')
				i++, c++;
			else if (ch == q && q != '#')
				q = 0;
			continue;
		}
		if (ch == '"' || ch == '\'' ||
				(ch == '#' && (i == 0 || t[i - 1] == ' ' ||
				 t[i - 1] == '\t'))) {
			q = ch;
		} else if (ch == '[' || ch == '{') {
			if (++depth > CTL_POL_MAX_DEPTH) {
				*line = l;
				*col = c;
				return 0;
			}
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			depth--;
		}
	}
	return 1;
}

int
ctl_pol_yaml_load(struct ctl_pol_yaml *y, const char *text, size_t len,
		const char *name, char *err, size_t errlen)
{
	yaml_parser_t p;
	size_t dl, dc;
	int r = 0;

	memset(y, 0, sizeof(*y));
	y->name = name ? name : "<policy>";
	y->err = err;
	y->errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (!flow_depth_ok(text, len, &dl, &dc)) {
		y->failed = 1;
		if (err && errlen)
			snprintf(err, errlen, "%s:%zu:%zu: nested deeper than "
				"%d levels", y->name, dl, dc,
				CTL_POL_MAX_DEPTH);
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		y->failed = 1;
		if (err && errlen)
			snprintf(err, errlen, "%s:%zu:%zu: YAML: %s%s%s",
				y->name, p.problem_mark.line + 1,
				p.problem_mark.column + 1,
				p.problem ? p.problem : "syntax error",
				p.context ? " " : "",
				p.context ? p.context : "");
		r = -EINVAL;
		goto out;
	}
	y->loaded = 1;
	if (!yaml_document_get_root_node(&y->doc)) {
		r = ctl_pol_yaml_err(y, NULL, "empty document");
		goto out;
	}
	/* Exactly one document: a second one would be silently ignored. */
	{
		yaml_document_t d2;

		if (yaml_parser_load(&p, &d2)) {
			int more = yaml_document_get_root_node(&d2) != NULL;
			yaml_mark_t m = d2.start_mark;

			yaml_document_delete(&d2);
			if (more) {
				y->failed = 1;
				if (err && errlen)
					snprintf(err, errlen, "%s:%zu:%zu: only "
						"one YAML document is allowed",
						y->name, m.line + 1,
						m.column + 1);
				r = -EINVAL;
			}
		} else {
			y->failed = 1;
			if (err && errlen)
				snprintf(err, errlen, "%s:%zu:%zu: YAML: %s",
					y->name, p.problem_mark.line + 1,
					p.problem_mark.column + 1,
					p.problem ? p.problem : "syntax error");
			r = -EINVAL;
		}
	}
out:
	yaml_parser_delete(&p);
	return r;
}

int
ctl_pol_yaml_load_file(struct ctl_pol_yaml *y, const char *path, char *err,
		size_t errlen)
{
	char *buf;
	size_t len;
	int r;

	memset(y, 0, sizeof(*y));
	r = util_file_read(path, CTL_POL_FILE_MAX, &buf, &len, err, errlen);
	if (r)
		return r;
	r = ctl_pol_yaml_load(y, buf, len, path, err, errlen);
	free(buf);
	return r;
}

void
ctl_pol_yaml_free(struct ctl_pol_yaml *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

yaml_node_t *
ctl_pol_yaml_root(struct ctl_pol_yaml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

const char *
ctl_pol_yaml_str(struct ctl_pol_yaml *y, yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		ctl_pol_yaml_err(y, n, "%s must be a single value", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) !=
			n->data.scalar.length) {
		ctl_pol_yaml_err(y, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

yaml_node_t *
ctl_pol_yaml_get(struct ctl_pol_yaml *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pr;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = map->data.mapping.pairs.start;
			pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);

		if (k && k->type == YAML_SCALAR_NODE &&
				!strcmp((const char *)k->data.scalar.value,
					key))
			return yaml_document_get_node(&y->doc, pr->value);
	}
	return NULL;
}

int
ctl_pol_yaml_keys(struct ctl_pol_yaml *y, yaml_node_t *map,
		const char *what, const char *const *allowed)
{
	yaml_node_pair_t *pr, *q;

	if (!map || map->type != YAML_MAPPING_NODE)
		return ctl_pol_yaml_err(y, map, "%s must be a mapping "
			"(key: value)", what);
	for (pr = map->data.mapping.pairs.start;
			pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
		const char *const *a;
		const char *ks;

		if (!k || k->type != YAML_SCALAR_NODE)
			return ctl_pol_yaml_err(y, k, "%s: keys must be "
				"plain words", what);
		ks = (const char *)k->data.scalar.value;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, ks))
				break;
		if (!*a) {
			char list[256] = "";
			size_t o = 0;

			for (a = allowed; *a && o < sizeof(list); a++)
				o += (size_t)snprintf(list + o,
					sizeof(list) - o, "%s%s",
					a == allowed ? "" : ", ", *a);
			return ctl_pol_yaml_err(y, k, "unknown key \"%s\" in "
				"%s (expected one of: %s)", ks, what, list);
		}
		for (q = map->data.mapping.pairs.start; q < pr; q++) {
			yaml_node_t *k2 = yaml_document_get_node(&y->doc,
				q->key);

			if (k2 && k2->type == YAML_SCALAR_NODE &&
					!strcmp((const char *)
						k2->data.scalar.value, ks))
				return ctl_pol_yaml_err(y, k, "duplicate key "
					"\"%s\" in %s", ks, what);
		}
	}
	return 0;
}

size_t
ctl_pol_yaml_list(struct ctl_pol_yaml *y, yaml_node_t *n, yaml_node_t ***items)
{
	yaml_node_item_t *it;
	size_t cnt, i = 0;

	*items = NULL;
	if (!n)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		*items = malloc(sizeof(**items));
		if (!*items)
			return 0;
		(*items)[0] = n;
		return 1;
	}
	cnt = (size_t)(n->data.sequence.items.top -
		n->data.sequence.items.start);
	if (!cnt)
		return 0;
	*items = calloc(cnt, sizeof(**items));
	if (!*items)
		return 0;
	for (it = n->data.sequence.items.start;
			it < n->data.sequence.items.top; it++)
		(*items)[i++] = yaml_document_get_node(&y->doc, *it);
	return cnt;
}

int
ctl_pol_yaml_bool(struct ctl_pol_yaml *y, yaml_node_t *n, int *out)
{
	const char *s = ctl_pol_yaml_str(y, n, "this value");

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "true") || !strcmp(s, "yes")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "no")) {
		*out = 0;
		return 0;
	}
	return ctl_pol_yaml_err(y, n, "\"%s\" is not true or false", s);
}

int
ctl_pol_yaml_uint(struct ctl_pol_yaml *y, yaml_node_t *n, uint64_t max,
		uint64_t *out)
{
	const char *s = ctl_pol_yaml_str(y, n, "this value");
	unsigned long long v;
	char *e;

	if (!s)
		return -EINVAL;
	if (!isdigit((unsigned char)s[0]))
		return ctl_pol_yaml_err(y, n, "\"%s\" is not a number", s);
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno || *e || v > max)
		return ctl_pol_yaml_err(y, n, "\"%s\" is not a number "
			"0..%" PRIu64, s, max);
	*out = v;
	return 0;
}

/* --- the policy -------------------------------------------------------- */

enum sel_class { SEL_OUI, SEL_VENDOR, SEL_TYPE, SEL_MUD, SEL_MAC };

struct assign {
	enum sel_class cls;
	uint8_t mac[6];
	uint32_t bits;		/* SEL_OUI */
	const char *value;	/* vendor / type / mud-url */
	uint32_t vlan;
	int has_vlan;
	uint32_t seg;
	const char *name;
	yaml_node_t *node;
};

/*
 * Lookups that would otherwise scan every assignment (or device) once per
 * assignment, rule or inventory device: quadratic in a 10,000-device
 * policy. An open-addressing multimap from a 64-bit key to an index; a key
 * may be a hash (names), so callers confirm each candidate.
 */
struct idx_map {
	uint64_t *key;		/* 0: empty */
	uint32_t *val;
	size_t n, mask;
};

static uint64_t
idx_key_mac(const uint8_t mac[6], uint32_t vlan)
{
	uint64_t k = 0;

	memcpy(&k, mac, 6);
	return k ^ (uint64_t)(vlan & 0x7fff) << 48 ^ 1ull << 63;
}

static uint64_t
idx_key_str(const char *s)
{
	return util_hash_fnv64(UTIL_HASH_FNV64_INIT, s, strlen(s)) | 1;
}

static uint64_t
idx_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	return k ^ k >> 33;
}

static int
idx_put(struct idx_map *m, uint64_t key, uint32_t val)
{
	size_t i;

	if (2 * (m->n + 1) > m->mask + 1) {
		struct idx_map g;
		size_t cap = m->mask ? 2 * (m->mask + 1) : 64;

		g.key = calloc(cap, sizeof(*g.key));
		g.val = calloc(cap, sizeof(*g.val));
		if (!g.key || !g.val) {
			free(g.key);
			free(g.val);
			return -ENOMEM;
		}
		g.n = 0;
		g.mask = cap - 1;
		for (i = 0; m->key && i <= m->mask; i++)
			if (m->key[i])
				(void)idx_put(&g, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = g;
	}
	for (i = idx_mix(key) & m->mask; m->key[i]; i = (i + 1) & m->mask)
		;
	m->key[i] = key;
	m->val[i] = val;
	m->n++;
	return 0;
}

/* Values stored under key, one per call: *pos starts at SIZE_MAX. */
static int
idx_next(const struct idx_map *m, uint64_t key, size_t *pos, uint32_t *val)
{
	size_t i;

	if (!m->key)
		return 0;
	i = *pos == SIZE_MAX ? idx_mix(key) & m->mask : (*pos + 1) & m->mask;
	for (; m->key[i]; i = (i + 1) & m->mask)
		if (m->key[i] == key) {
			*pos = i;
			*val = m->val[i];
			return 1;
		}
	return 0;
}

static void
idx_free(struct idx_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

struct pol_state {
	struct ctl_pol_yaml *y;
	Cordon__Policy *p;
	struct assign *as;
	size_t n_as;
	yaml_node_t **rule_nodes;	/* rule id - 1 -> its node */
	uint32_t next_rule_id;
	struct idx_map by_macvlan;	/* mac assignments: (mac, vlan) */
	struct idx_map by_mac;		/* mac assignments: mac */
	struct idx_map by_name;		/* named assignments: hash(name) */
};

static void
pol_state_fini(struct pol_state *st)
{
	idx_free(&st->by_macvlan);
	idx_free(&st->by_mac);
	idx_free(&st->by_name);
}

static int
find_segment(struct pol_state *st, const char *name, uint32_t *id)
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
	const char *s = ctl_pol_yaml_str(st->y, n, what);

	if (!s)
		return -EINVAL;
	if (find_segment(st, s, id))
		return ctl_pol_yaml_err(st->y, n, "%s: no segment named "
			"\"%s\"", what, s);
	return 0;
}

static int
parse_action(struct pol_state *st, yaml_node_t *n, const char *what,
		Cordon__Action *a)
{
	const char *s = ctl_pol_yaml_str(st->y, n, what);

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
	return ctl_pol_yaml_err(st->y, n, "%s: \"%s\" is not allow or deny",
		what, s);
}

static int
parse_segments(struct pol_state *st, yaml_node_t *n)
{
	static const char *const keys[] = { "name", "default", "l2",
		"comment", NULL };
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return ctl_pol_yaml_err(st->y, n, "segments must be a list");
	cnt = ctl_pol_yaml_list(st->y, n, &items);
	if (cnt == 0)
		return ctl_pol_yaml_err(st->y, n, "segments is empty");
	for (i = 0; i < cnt && !r; i++) {
		Cordon__Action def = CORDON__ACTION__ACTION_DENY;
		Cordon__Action l2 = CORDON__ACTION__ACTION_ALLOW;
		yaml_node_t *v;
		const char *name;
		uint32_t id;
		size_t k;

		r = ctl_pol_yaml_keys(st->y, items[i], "segment", keys);
		if (r)
			break;
		v = ctl_pol_yaml_get(st->y, items[i], "name");
		if (!v) {
			r = ctl_pol_yaml_err(st->y, items[i], "segment has no "
				"name");
			break;
		}
		name = ctl_pol_yaml_str(st->y, v, "segment name");
		if (!name) {
			r = -EINVAL;
			break;
		}
		if (!*name || strlen(name) > 63) {
			r = ctl_pol_yaml_err(st->y, v, "segment name must be "
				"1..63 characters");
			break;
		}
		for (k = 0; name[k]; k++)
			if (!isalnum((unsigned char)name[k]) &&
					name[k] != '-' && name[k] != '_')
				break;
		if (name[k]) {
			r = ctl_pol_yaml_err(st->y, v, "segment name \"%s\": "
				"use letters, digits, '-' and '_'", name);
			break;
		}
		if (!find_segment(st, name, &id)) {
			r = ctl_pol_yaml_err(st->y, v, "segment \"%s\" is "
				"defined twice", name);
			break;
		}
		v = ctl_pol_yaml_get(st->y, items[i], "default");
		if (v && (r = parse_action(st, v, "default", &def)))
			break;
		v = ctl_pol_yaml_get(st->y, items[i], "l2");
		if (v && (r = parse_action(st, v, "l2", &l2)))
			break;
		v = ctl_pol_yaml_get(st->y, items[i], "comment");
		if (v && !ctl_pol_yaml_str(st->y, v, "comment")) {
			r = -EINVAL;
			break;
		}
		if (!ctl_cmp_add_segment(st->p, (uint32_t)i + 1, name, def,
				l2))
			r = -ENOMEM;
	}
	free(items);
	return r;
}

static int
parse_assignments(struct pol_state *st, yaml_node_t *n)
{
	static const char *const keys[] = { "mac", "oui", "mac-prefix",
		"vendor", "type", "mud-url", "segment", "vlan", "name",
		"comment", NULL };
	static const char *const sels[] = { "mac", "oui", "mac-prefix",
		"vendor", "type", "mud-url" };
	yaml_node_t **items;
	size_t cnt, i, j;
	int r = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return ctl_pol_yaml_err(st->y, n, "devices must be a list");
	cnt = ctl_pol_yaml_list(st->y, n, &items);
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

		r = ctl_pol_yaml_keys(st->y, items[i], "device", keys);
		if (r)
			break;
		for (j = 0; j < sizeof(sels) / sizeof(sels[0]); j++) {
			v = ctl_pol_yaml_get(st->y, items[i], sels[j]);
			if (!v)
				continue;
			if (sel) {
				r = ctl_pol_yaml_err(st->y, v, "device has "
					"both %s and %s: use one selector",
					selname, sels[j]);
				break;
			}
			sel = v;
			selname = sels[j];
		}
		if (r)
			break;
		if (!sel) {
			r = ctl_pol_yaml_err(st->y, items[i], "device needs "
				"one of mac, oui, mac-prefix, vendor, type, "
				"mud-url");
			break;
		}
		a->node = items[i];
		s = ctl_pol_yaml_str(st->y, sel, selname);
		if (!s) {
			r = -EINVAL;
			break;
		}
		if (!strcmp(selname, "mac")) {
			a->cls = SEL_MAC;
			if (util_mac_parse(s, a->mac)) {
				r = ctl_pol_yaml_err(st->y, sel, "\"%s\" is "
					"not a MAC address", s);
				break;
			}
		} else if (!strcmp(selname, "oui") ||
				!strcmp(selname, "mac-prefix")) {
			a->cls = SEL_OUI;
			if (util_mac_parse_prefix(s, a->mac, &a->bits)) {
				r = ctl_pol_yaml_err(st->y, sel, "\"%s\" is "
					"not a MAC prefix (aa:bb:cc or "
					"aa:bb:cc:00:00:00/24)", s);
				break;
			}
		} else {
			a->cls = selname[0] == 'v' ? SEL_VENDOR :
				selname[0] == 't' ? SEL_TYPE : SEL_MUD;
			if (!*s) {
				r = ctl_pol_yaml_err(st->y, sel, "%s is empty",
					selname);
				break;
			}
			a->value = s;
		}
		v = ctl_pol_yaml_get(st->y, items[i], "segment");
		if (!v) {
			r = ctl_pol_yaml_err(st->y, items[i], "device has no "
				"segment");
			break;
		}
		r = segment_ref(st, v, "segment", &a->seg);
		if (r)
			break;
		v = ctl_pol_yaml_get(st->y, items[i], "vlan");
		if (v) {
			if (ctl_pol_yaml_uint(st->y, v, 4094, &u) || u == 0) {
				r = ctl_pol_yaml_err(st->y, v, "vlan must be "
					"1..4094");
				break;
			}
			a->vlan = (uint32_t)u;
			a->has_vlan = 1;
		}
		v = ctl_pol_yaml_get(st->y, items[i], "name");
		if (v) {
			a->name = ctl_pol_yaml_str(st->y, v, "name");
			if (!a->name) {
				r = -EINVAL;
				break;
			}
			if (a->cls != SEL_MAC) {
				r = ctl_pol_yaml_err(st->y, v, "only a mac "
					"assignment can have a name");
				break;
			}
		}
		v = ctl_pol_yaml_get(st->y, items[i], "comment");
		if (v && !ctl_pol_yaml_str(st->y, v, "comment")) {
			r = -EINVAL;
			break;
		}
		if (a->cls == SEL_MAC) {
			size_t pos = SIZE_MAX;
			uint32_t k;

			if (idx_next(&st->by_macvlan, idx_key_mac(a->mac,
					a->vlan), &pos, &k)) {
				r = ctl_pol_yaml_err(st->y, sel, "MAC %s is "
					"already assigned (line %zu)", s,
					st->as[k].node->start_mark.line + 1);
				break;
			}
			pos = SIZE_MAX;
			while (a->name && idx_next(&st->by_name,
					idx_key_str(a->name), &pos, &k))
				if (!strcmp(a->name, st->as[k].name)) {
					r = ctl_pol_yaml_err(st->y, sel,
						"device name \"%s\" is used "
						"twice", a->name);
					break;
				}
			if (r)
				break;
			if (idx_put(&st->by_macvlan, idx_key_mac(a->mac,
					a->vlan), (uint32_t)st->n_as) ||
			    idx_put(&st->by_mac, idx_key_mac(a->mac, 0),
					(uint32_t)st->n_as) ||
			    (a->name && idx_put(&st->by_name,
					idx_key_str(a->name),
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

/* Best assignment for an inventory device (see precedence above). */
static const struct assign *
best_assign(const struct pol_state *st, const struct ctl_pol_inv_device *d)
{
	const struct assign *best = NULL;
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
		if (!m)
			continue;
		if (!best || a->cls > best->cls ||
				(a->cls == SEL_OUI && best->cls == SEL_OUI &&
				 a->bits > best->bits))
			best = a;
	}
	return best;
}

static int
emit_assignments(struct pol_state *st, const struct ctl_pol_inventory *inv)
{
	struct idx_map added = { NULL, NULL, 0, 0 };	/* (mac, vlan) */
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
		const uint64_t k = idx_key_mac(d->mac, d->vlan);
		const struct assign *a;
		size_t pos = SIZE_MAX;
		uint32_t v;

		/* An exact-MAC assignment is never overridden, and a device
		 * two dataplanes report is assigned once. */
		if (idx_next(&st->by_mac, idx_key_mac(d->mac, 0), &pos, &v))
			continue;
		pos = SIZE_MAX;
		if (idx_next(&added, k, &pos, &v))
			continue;
		a = best_assign(st, d);
		if (!a)
			continue;
		if (!ctl_cmp_add_device(st->p, d->mac, d->vlan, a->seg,
				d->name) || idx_put(&added, k, 0))
			r = -ENOMEM;
	}
	idx_free(&added);
	return r;
}

static int
parse_endpoint(struct pol_state *st, yaml_node_t *n, const char *what,
		Cordon__Endpoint **out)
{
	const char *s = ctl_pol_yaml_str(st->y, n, what);
	struct ctl_cidr c;
	uint8_t mac[6];
	uint32_t id;
	size_t i;

	*out = NULL;
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "any")) {
		*out = ctl_cmp_ep_any();
	} else if (!strcmp(s, "internet")) {
		*out = ctl_cmp_ep_internet();
	} else if (!strcmp(s, "local")) {
		*out = ctl_cmp_ep_local();
	} else if (!strncmp(s, "segment:", 8)) {
		if (find_segment(st, s + 8, &id))
			return ctl_pol_yaml_err(st->y, n, "%s: no segment "
				"named \"%s\"", what, s + 8);
		*out = ctl_cmp_ep_segment(id);
	} else if (!strncmp(s, "device:", 7)) {
		if (util_mac_parse(s + 7, mac)) {
			size_t pos = SIZE_MAX;
			uint32_t k;
			int found = 0;

			while (!found && idx_next(&st->by_name,
					idx_key_str(s + 7), &pos, &k))
				found = !strcmp(st->as[k].name, s + 7);
			if (!found)
				return ctl_pol_yaml_err(st->y, n, "%s: \"%s\" "
					"is neither a MAC nor a named device",
					what, s + 7);
			memcpy(mac, st->as[k].mac, 6);
		}
		*out = ctl_cmp_ep_device(mac);
	} else if (!strncmp(s, "dns:", 4)) {
		const char *d = s + 4;
		size_t len = strlen(d);

		if (!strncmp(d, "*.", 2))
			d += 2;
		if (len == 0 || len > POLICY_DNS_NAME_MAX || !*d)
			return ctl_pol_yaml_err(st->y, n, "%s: bad DNS name",
				what);
		for (i = 0; d[i]; i++)
			if (!isalnum((unsigned char)d[i]) && d[i] != '-' &&
					d[i] != '.' && d[i] != '_')
				return ctl_pol_yaml_err(st->y, n, "%s: bad "
					"character in DNS name \"%s\"", what,
					s + 4);
		if (d[0] == '.' || strstr(d, "..") || d[strlen(d) - 1] == '.')
			return ctl_pol_yaml_err(st->y, n, "%s: bad DNS name "
				"\"%s\"", what, s + 4);
		*out = ctl_cmp_ep_dns(s + 4);
	} else if (!ctl_cmp_parse_cidr(s, 0, &c)) {
		*out = ctl_cmp_ep_cidr(&c);
	} else if (!ctl_cmp_parse_cidr(s, 1, &c)) {
		return ctl_pol_yaml_err(st->y, n, "%s: \"%s\" has host bits "
			"set beyond the prefix length", what, s);
	} else {
		return ctl_pol_yaml_err(st->y, n, "%s: \"%s\" is not an "
			"endpoint (any, internet, local, segment:NAME, "
			"device:MAC|NAME, dns:NAME, or an address/CIDR)",
			what, s);
	}
	return *out ? 0 : -ENOMEM;
}

static int
parse_proto(struct pol_state *st, yaml_node_t *n, uint32_t *proto)
{
	static const struct { const char *n; uint32_t v; } names[] = {
		{ "any", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
		{ "icmpv6", 58 }, { "sctp", 132 }, { "udplite", 136 },
	};
	const char *s = ctl_pol_yaml_str(st->y, n, "proto");
	size_t i;
	uint64_t u;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].n)) {
			*proto = names[i].v;
			return 0;
		}
	if (isdigit((unsigned char)s[0])) {
		if (ctl_pol_yaml_uint(st->y, n, 255, &u))
			return -EINVAL;
		*proto = (uint32_t)u;
		return 0;
	}
	return ctl_pol_yaml_err(st->y, n, "unknown protocol \"%s\" (tcp, "
		"udp, icmp, icmpv6, sctp, udplite, any or 0..255)", s);
}

static int
parse_port_num(const char *s, const char **end, uint32_t *v)
{
	unsigned long x;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &e, 10);
	if (errno || x > 65535 || e - s > 5)
		return -EINVAL;
	*v = (uint32_t)x;
	*end = e;
	return 0;
}

static int
parse_ports(struct pol_state *st, yaml_node_t *n,
		struct ctl_port_range **out, size_t *n_out)
{
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	*out = NULL;
	*n_out = 0;
	if (n->type == YAML_MAPPING_NODE)
		return ctl_pol_yaml_err(st->y, n, "ports must be a port, a "
			"range \"lo-hi\" or a list of them");
	cnt = ctl_pol_yaml_list(st->y, n, &items);
	if (cnt == 0)
		return ctl_pol_yaml_err(st->y, n, "ports is empty (leave it "
			"out to match any port)");
	if (cnt > POLICY_MAX_PORT_RANGES) {
		free(items);
		return ctl_pol_yaml_err(st->y, n, "more than %u port ranges",
			POLICY_MAX_PORT_RANGES);
	}
	*out = calloc(cnt, sizeof(**out));
	if (!*out) {
		free(items);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		const char *s = ctl_pol_yaml_str(st->y, items[i], "port");
		const char *e;
		uint32_t lo, hi;

		if (!s) {
			r = -EINVAL;
			break;
		}
		if (parse_port_num(s, &e, &lo)) {
			r = ctl_pol_yaml_err(st->y, items[i], "\"%s\" is not "
				"a port 0..65535 or a range lo-hi", s);
			break;
		}
		hi = lo;
		if (*e == '-' && parse_port_num(e + 1, &e, &hi) == 0 &&
				*e == '\0') {
			if (hi < lo) {
				r = ctl_pol_yaml_err(st->y, items[i], "port "
					"range \"%s\" is reversed", s);
				break;
			}
		} else if (*e != '\0') {
			r = ctl_pol_yaml_err(st->y, items[i], "\"%s\" is not "
				"a port 0..65535 or a range lo-hi", s);
			break;
		}
		(*out)[i].lo = (uint16_t)lo;
		(*out)[i].hi = (uint16_t)hi;
		(*n_out)++;
	}
	free(items);
	if (r) {
		free(*out);
		*out = NULL;
		*n_out = 0;
	}
	return r;
}

static int
parse_rule(struct pol_state *st, yaml_node_t *n)
{
	static const char *const keys[] = { "from", "to", "proto", "ports",
		"action", "initiator", "priority", "comment", NULL };
	Cordon__Endpoint *src = NULL, *dst = NULL;
	Cordon__Rule *rule;
	Cordon__Action act = CORDON__ACTION__ACTION_DENY;	/* parse_action() sets it */
	Cordon__Initiator ini = CORDON__INITIATOR__INITIATOR_SRC;
	struct ctl_port_range *pr = NULL;
	size_t n_pr = 0;
	uint32_t proto = 0;
	uint64_t prio = DEFAULT_PRIORITY;
	const char *comment = NULL;
	yaml_node_t *v, *ports_node;
	int r;

	r = ctl_pol_yaml_keys(st->y, n, "rule", keys);
	if (r)
		return r;
	v = ctl_pol_yaml_get(st->y, n, "action");
	if (!v)
		return ctl_pol_yaml_err(st->y, n, "rule has no action");
	r = parse_action(st, v, "action", &act);
	if (r)
		return r;
	v = ctl_pol_yaml_get(st->y, n, "from");
	if (!v)
		return ctl_pol_yaml_err(st->y, n, "rule has no from");
	v = ctl_pol_yaml_get(st->y, n, "to");
	if (!v)
		return ctl_pol_yaml_err(st->y, n, "rule has no to");
	v = ctl_pol_yaml_get(st->y, n, "proto");
	if (v && (r = parse_proto(st, v, &proto)))
		return r;
	ports_node = ctl_pol_yaml_get(st->y, n, "ports");
	if (ports_node) {
		if (proto != 6 && proto != 17 && proto != 132 && proto != 136)
			return ctl_pol_yaml_err(st->y, ports_node, "ports "
				"need proto tcp, udp, sctp or udplite");
		r = parse_ports(st, ports_node, &pr, &n_pr);
		if (r)
			return r;
	}
	v = ctl_pol_yaml_get(st->y, n, "initiator");
	if (v) {
		const char *s = ctl_pol_yaml_str(st->y, v, "initiator");

		if (!s) {
			r = -EINVAL;
			goto out;
		}
		if (!strcmp(s, "src")) {
			ini = CORDON__INITIATOR__INITIATOR_SRC;
		} else if (!strcmp(s, "dst")) {
			ini = CORDON__INITIATOR__INITIATOR_DST;
		} else if (!strcmp(s, "either")) {
			ini = CORDON__INITIATOR__INITIATOR_EITHER;
		} else {
			r = ctl_pol_yaml_err(st->y, v, "initiator \"%s\" is "
				"not src, dst or either", s);
			goto out;
		}
	}
	v = ctl_pol_yaml_get(st->y, n, "priority");
	if (v && (r = ctl_pol_yaml_uint(st->y, v, UINT32_MAX, &prio)))
		goto out;
	v = ctl_pol_yaml_get(st->y, n, "comment");
	if (v && !(comment = ctl_pol_yaml_str(st->y, v, "comment"))) {
		r = -EINVAL;
		goto out;
	}
	r = parse_endpoint(st, ctl_pol_yaml_get(st->y, n, "from"), "from",
		&src);
	if (r)
		goto out;
	r = parse_endpoint(st, ctl_pol_yaml_get(st->y, n, "to"), "to", &dst);
	if (r)
		goto out;
	if (src->kind_case == CORDON__ENDPOINT__KIND_CIDR &&
			dst->kind_case == CORDON__ENDPOINT__KIND_CIDR &&
			src->cidr->addr.len != dst->cidr->addr.len) {
		r = ctl_pol_yaml_err(st->y, n, "from and to are addresses of "
			"different families");
		goto out;
	}
	rule = ctl_cmp_rule_new(src, dst, proto, pr, n_pr, act, ini,
		(uint32_t)prio, comment);
	src = dst = NULL;
	/* Rules are numbered in file order (rule_nodes relies on it). */
	if (!rule || ctl_cmp_rule_append(st->p, rule, ++st->next_rule_id)) {
		r = -ENOMEM;
		goto out;
	}
out:
	ctl_cmp_ep_free(src);
	ctl_cmp_ep_free(dst);
	free(pr);
	return r;
}

static int
parse_policy(struct pol_state *st, const struct ctl_pol_inventory *inv)
{
	static const char *const keys[] = { "version", "comment",
		"local-networks", "default-segment", "quarantine-segment",
		"segments", "devices", "quarantined", "rules", NULL };
	yaml_node_t *root = ctl_pol_yaml_root(st->y), *v;
	yaml_node_t **items;
	size_t cnt, i;
	int r;

	r = ctl_pol_yaml_keys(st->y, root, "the policy", keys);
	if (r)
		return r;
	v = ctl_pol_yaml_get(st->y, root, "version");
	if (v) {
		uint64_t ver;

		r = ctl_pol_yaml_uint(st->y, v, UINT64_MAX, &ver);
		if (r)
			return r;
		st->p->version = ver;
	}
	v = ctl_pol_yaml_get(st->y, root, "comment");
	if (v) {
		const char *c = ctl_pol_yaml_str(st->y, v, "comment");

		if (!c)
			return -EINVAL;
		st->p->comment = strdup(c);
		if (!st->p->comment) {
			st->p->comment = (char *)protobuf_c_empty_string;
			return -ENOMEM;
		}
	}
	v = ctl_pol_yaml_get(st->y, root, "segments");
	if (!v)
		return ctl_pol_yaml_err(st->y, root, "no segments");
	r = parse_segments(st, v);
	if (r)
		return r;
	v = ctl_pol_yaml_get(st->y, root, "default-segment");
	if (!v)
		return ctl_pol_yaml_err(st->y, root, "no default-segment");
	r = segment_ref(st, v, "default-segment", &st->p->default_segment);
	if (r)
		return r;
	v = ctl_pol_yaml_get(st->y, root, "quarantine-segment");
	if (!v)
		return ctl_pol_yaml_err(st->y, root, "no quarantine-segment");
	r = segment_ref(st, v, "quarantine-segment",
		&st->p->quarantine_segment);
	if (r)
		return r;
	v = ctl_pol_yaml_get(st->y, root, "local-networks");
	if (v) {
		if (v->type == YAML_MAPPING_NODE)
			return ctl_pol_yaml_err(st->y, v, "local-networks "
				"must be a list of CIDRs");
		cnt = ctl_pol_yaml_list(st->y, v, &items);
		for (i = 0; i < cnt && !r; i++) {
			const char *s = ctl_pol_yaml_str(st->y, items[i],
				"local network");
			struct ctl_cidr c;

			if (!s)
				r = -EINVAL;
			else if (ctl_cmp_parse_cidr(s, 0, &c))
				r = ctl_pol_yaml_err(st->y, items[i], "\"%s\" "
					"is not a CIDR (or has host bits set)",
					s);
			else
				r = ctl_cmp_add_local_net(st->p, &c);
		}
		free(items);
		if (r)
			return r;
	}
	v = ctl_pol_yaml_get(st->y, root, "devices");
	if (v) {
		r = parse_assignments(st, v);
		if (r)
			return r;
	}
	v = ctl_pol_yaml_get(st->y, root, "quarantined");
	if (v) {
		if (v->type == YAML_MAPPING_NODE)
			return ctl_pol_yaml_err(st->y, v, "quarantined must "
				"be a list of MACs");
		cnt = ctl_pol_yaml_list(st->y, v, &items);
		for (i = 0; i < cnt && !r; i++) {
			const char *s = ctl_pol_yaml_str(st->y, items[i],
				"quarantined MAC");
			uint8_t mac[6];

			if (!s)
				r = -EINVAL;
			else if (util_mac_parse(s, mac))
				r = ctl_pol_yaml_err(st->y, items[i], "\"%s\" "
					"is not a MAC address", s);
			else
				r = ctl_cmp_add_quarantined(st->p, mac);
		}
		free(items);
		if (r)
			return r;
	}
	v = ctl_pol_yaml_get(st->y, root, "rules");
	if (v) {
		if (v->type != YAML_SEQUENCE_NODE)
			return ctl_pol_yaml_err(st->y, v, "rules must be a "
				"list");
		cnt = ctl_pol_yaml_list(st->y, v, &items);
		for (i = 0; i < cnt && !r; i++)
			r = parse_rule(st, items[i]);
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
	struct ctl_pol_yaml y;
	struct pol_state st;
	char verr[256];
	int r;

	memset(&st, 0, sizeof(st));
	r = ctl_pol_yaml_load(&y, text, len, name, err, errlen);
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
		ctl_pol_yaml_err(&y, NULL, "out of memory");
	if (r)
		goto out;
	if (policy_validate(st.p, verr, sizeof(verr))) {
		const yaml_node_t *at = NULL;
		unsigned int id;

		/* Rule ids are file positions: point at the rule. */
		if (sscanf(verr, "rule %u:", &id) == 1 && id >= 1 &&
				id <= st.p->n_rules && st.rule_nodes)
			at = st.rule_nodes[id - 1];
		r = ctl_pol_yaml_err(&y, at, "compiled policy is invalid: "
			"%s", verr);
		goto out;
	}
	*out = st.p;
	st.p = NULL;
out:
	ctl_cmp_policy_free(st.p);
	free(st.as);
	free(st.rule_nodes);
	pol_state_fini(&st);
	ctl_pol_yaml_free(&y);
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
