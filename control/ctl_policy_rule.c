/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The rules: of a YAML policy (the format is at the top of
 * ctl_policy_yaml.c): from and to endpoints, proto, ports, action,
 * initiator, priority and comment, one Cordon__Rule each, numbered in
 * file order.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_compile.h"
#include "ctl_policy_yaml_impl.h"
#include "policy_validate.h"
#include "util_mac.h"

static int
parse_endpoint(struct pol_state *st, yaml_node_t *n, const char *what,
		Cordon__Endpoint **out)
{
	const char *s = ctl_yaml_str(st->y, n, what);
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
		if (ctl_pol_find_segment(st, s + 8, &id))
			return ctl_yaml_err(st->y, n, "%s: no segment named "
					    "\"%s\"", what, s + 8);
		*out = ctl_cmp_ep_segment(id);
	} else if (!strncmp(s, "device:", 7)) {
		if (util_mac_parse(s + 7, mac)) {
			size_t pos = SIZE_MAX;
			uint32_t k;
			int found = 0;

			while (!found && ctl_idx_next(&st->by_name,
						      ctl_idx_key_str(s + 7),
						      &pos, &k))
				found = !strcmp(st->as[k].name, s + 7);
			if (!found)
				return ctl_yaml_err(st->y, n, "%s: \"%s\" is "
						    "neither a MAC nor a named "
						    "device", what, s + 7);
			memcpy(mac, st->as[k].mac, 6);
		}
		*out = ctl_cmp_ep_device(mac);
	} else if (!strncmp(s, "dns:", 4)) {
		const char *d = s + 4;
		size_t len = strlen(d);

		if (!strncmp(d, "*.", 2))
			d += 2;
		if (len == 0 || len > POLICY_DNS_NAME_MAX || !*d)
			return ctl_yaml_err(st->y, n, "%s: bad DNS name", what);
		for (i = 0; d[i]; i++)
			if (!isalnum((unsigned char)d[i]) && d[i] != '-' &&
					d[i] != '.' && d[i] != '_')
				return ctl_yaml_err(st->y, n, "%s: bad "
						    "character in DNS name "
						    "\"%s\"", what, s + 4);
		if (d[0] == '.' || strstr(d, "..") || d[strlen(d) - 1] == '.')
			return ctl_yaml_err(st->y, n, "%s: bad DNS name \"%s\"",
					    what, s + 4);
		*out = ctl_cmp_ep_dns(s + 4);
	} else if (!ctl_cmp_parse_cidr(s, 0, &c)) {
		*out = ctl_cmp_ep_cidr(&c);
	} else if (!ctl_cmp_parse_cidr(s, 1, &c)) {
		return ctl_yaml_err(st->y, n, "%s: \"%s\" has host bits set "
				    "beyond the prefix length", what, s);
	} else {
		return ctl_yaml_err(st->y, n, "%s: \"%s\" is not an endpoint "
				    "(any, internet, local, segment:NAME, "
				    "device:MAC|NAME, dns:NAME, or an "
				    "address/CIDR)", what, s);
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
	const char *s = ctl_yaml_str(st->y, n, "proto");
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
		if (ctl_yaml_uint(st->y, n, 255, &u))
			return -EINVAL;
		*proto = (uint32_t)u;
		return 0;
	}
	return ctl_yaml_err(st->y, n, "unknown protocol \"%s\" (tcp, udp, "
			    "icmp, icmpv6, sctp, udplite, any or 0..255)", s);
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
		return ctl_yaml_err(st->y, n, "ports must be a port, a range "
				    "\"lo-hi\" or a list of them");
	cnt = ctl_yaml_list(st->y, n, &items);
	if (cnt == 0)
		return ctl_yaml_err(st->y, n, "ports is empty (leave it out to "
				    "match any port)");
	if (cnt > POLICY_MAX_PORT_RANGES) {
		free(items);
		return ctl_yaml_err(st->y, n, "more than %u port ranges",
				    POLICY_MAX_PORT_RANGES);
	}
	*out = calloc(cnt, sizeof(**out));
	if (!*out) {
		free(items);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		const char *s = ctl_yaml_str(st->y, items[i], "port");
		const char *e;
		uint32_t lo, hi;

		if (!s) {
			r = -EINVAL;
			break;
		}
		if (parse_port_num(s, &e, &lo)) {
			r = ctl_yaml_err(st->y, items[i], "\"%s\" is not a "
					 "port 0..65535 or a range lo-hi", s);
			break;
		}
		hi = lo;
		if (*e == '-' && parse_port_num(e + 1, &e, &hi) == 0 &&
				*e == '\0') {
			if (hi < lo) {
				r = ctl_yaml_err(st->y, items[i], "port range "
						 "\"%s\" is reversed", s);
				break;
			}
		} else if (*e != '\0') {
			r = ctl_yaml_err(st->y, items[i], "\"%s\" is not a "
					 "port 0..65535 or a range lo-hi", s);
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

int
ctl_policy_rule_parse(struct pol_state *st, yaml_node_t *n)
{
	static const char *const keys[] = { "from", "to", "proto", "ports",
		"action", "initiator", "priority", "comment", NULL };
	Cordon__Endpoint *src = NULL, *dst = NULL;
	Cordon__Rule *rule;
	/* ctl_pol_parse_action() sets it */
	Cordon__Action act = CORDON__ACTION__ACTION_DENY;
	Cordon__Initiator ini = CORDON__INITIATOR__INITIATOR_SRC;
	struct ctl_port_range *pr = NULL;
	size_t n_pr = 0;
	uint32_t proto = 0;
	uint64_t prio = DEFAULT_PRIORITY;
	const char *comment = NULL;
	yaml_node_t *v, *ports_node;
	int r;

	r = ctl_yaml_keys(st->y, n, "rule", keys);
	if (r)
		return r;
	r = ctl_yaml_need(st->y, n, "rule", "action", &v);
	if (r)
		return r;
	r = ctl_pol_parse_action(st, v, "action", &act);
	if (r)
		return r;
	r = ctl_yaml_need(st->y, n, "rule", "from", &v);
	if (r)
		return r;
	r = ctl_yaml_need(st->y, n, "rule", "to", &v);
	if (r)
		return r;
	v = ctl_yaml_get(st->y, n, "proto");
	if (v && (r = parse_proto(st, v, &proto)))
		return r;
	ports_node = ctl_yaml_get(st->y, n, "ports");
	if (ports_node) {
		if (proto != 6 && proto != 17 && proto != 132 && proto != 136)
			return ctl_yaml_err(st->y, ports_node, "ports need "
					    "proto tcp, udp, sctp or udplite");
		r = parse_ports(st, ports_node, &pr, &n_pr);
		if (r)
			return r;
	}
	v = ctl_yaml_get(st->y, n, "initiator");
	if (v) {
		const char *s = ctl_yaml_str(st->y, v, "initiator");

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
			r = ctl_yaml_err(st->y, v, "initiator \"%s\" is not "
					 "src, dst or either", s);
			goto out;
		}
	}
	v = ctl_yaml_get(st->y, n, "priority");
	if (v && (r = ctl_yaml_uint(st->y, v, UINT32_MAX, &prio)))
		goto out;
	v = ctl_yaml_get(st->y, n, "comment");
	if (v && !(comment = ctl_yaml_str(st->y, v, "comment"))) {
		r = -EINVAL;
		goto out;
	}
	r = parse_endpoint(st, ctl_yaml_get(st->y, n, "from"), "from",
		&src);
	if (r)
		goto out;
	r = parse_endpoint(st, ctl_yaml_get(st->y, n, "to"), "to", &dst);
	if (r)
		goto out;
	if (src->kind_case == CORDON__ENDPOINT__KIND_CIDR &&
			dst->kind_case == CORDON__ENDPOINT__KIND_CIDR &&
			src->cidr->addr.len != dst->cidr->addr.len) {
		r = ctl_yaml_err(st->y, n, "from and to are addresses of "
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
