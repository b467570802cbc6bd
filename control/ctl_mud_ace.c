/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Reading one MUD ACE (RFC 8519 ACLs with the RFC 8520 extensions, and the
 * draft spellings listed in ctl_mud.c): its action, its L3/L4 matches and
 * ports, and its MUD classes, into a struct ctl_mud_ace.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_mud_impl.h"
#include "util_err.h"

static int
jport(const json_t *v, uint32_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return -EINVAL;
	i = json_integer_value(v);
	if (i < 0 || i > 65535)
		return -ERANGE;
	*out = (uint32_t)i;
	return 0;
}

/*
 * {"operator": op, "port": p} or {"lower-port": a, "upper-port": b}.
 * Returns the number of ranges (1 or 2) or -EINVAL with an error set.
 */
static int
parse_ports(struct ctl_mud_state *st, const json_t *v, const char *path,
		struct ctl_port_range *pr)
{
	const json_t *op = json_object_get(v, "operator");
	const json_t *port = json_object_get(v, "port");
	const json_t *lo = json_object_get(v, "lower-port");
	const json_t *hi = json_object_get(v, "upper-port");
	uint32_t a, b;
	const char *o;

	if (ctl_mud_want_object(st, v, path, "port match"))
		return -EINVAL;
	if (lo || hi) {
		if (!lo || !hi || jport(lo, &a) || jport(hi, &b) || a > b) {
			ctl_mud_err(st, path, "lower-port/upper-port must be "
				    "two ports 0..65535 with lower <= upper");
			return -EINVAL;
		}
		pr[0].lo = (uint16_t)a;
		pr[0].hi = (uint16_t)b;
		return 1;
	}
	if (!port || jport(port, &a)) {
		ctl_mud_err(st, path, "\"port\" must be a number 0..65535");
		return -EINVAL;
	}
	o = op ? json_string_value(op) : "eq";
	if (!o) {
		ctl_mud_err(st, path, "\"operator\" must be a string");
		return -EINVAL;
	}
	o = ctl_mud_unprefix(o);
	if (!strcmp(o, "eq")) {
		pr[0].lo = pr[0].hi = (uint16_t)a;
		return 1;
	}
	if (!strcmp(o, "lte") || (!strcmp(o, "lt") && a > 0)) {
		pr[0].lo = 0;
		pr[0].hi = (uint16_t)(!strcmp(o, "lt") ? a - 1 : a);
		return 1;
	}
	if (!strcmp(o, "gte") || (!strcmp(o, "gt") && a < 65535)) {
		pr[0].lo = (uint16_t)(!strcmp(o, "gt") ? a + 1 : a);
		pr[0].hi = 65535;
		return 1;
	}
	if (!strcmp(o, "neq")) {
		int n = 0;

		if (a > 0) {
			pr[n].lo = 0;
			pr[n++].hi = (uint16_t)(a - 1);
		}
		if (a < 65535) {
			pr[n].lo = (uint16_t)(a + 1);
			pr[n++].hi = 65535;
		}
		return n;
	}
	ctl_mud_err(st, path, "port operator \"%s\" is not eq, lt, lte, gt, "
		    "gte, neq (or the comparison is empty)", o);
	return -EINVAL;
}


static int
ports_into(struct ctl_mud_state *st, const json_t *v, const char *path,
		struct ctl_port_range *pr, int *n)
{
	int r;

	if (*n) {
		ctl_mud_err(st, path, "port match given twice");
		return -EINVAL;
	}
	r = parse_ports(st, v, path, pr);
	if (r < 0)
		return r;
	*n = r;
	return 0;
}

/* A member of an ACE's object: its key k (u: without a module prefix),
 * value v and error path p (arg: what the kind of object needs). 0, or
 * -EINVAL with the error set. */
typedef int (*ace_member_fn)(struct ctl_mud_state *st, const char *k,
		const char *u, const json_t *v, const char *p,
		struct ctl_mud_ace *a, int arg);

/* Each member of the object obj (at path) to fn, with the error path
 * "path.key"; 0, or -EINVAL at the first one refused. */
static int
ace_members(struct ctl_mud_state *st, const json_t *obj, const char *path,
		ace_member_fn fn, struct ctl_mud_ace *a, int arg)
{
	const char *k;
	json_t *v;
	char p[CTL_MUD_PATH_MAX];

	if (ctl_mud_want_object(st, obj, path, ""))
		return -EINVAL;
	json_object_foreach((json_t *)obj, k, v) {
		util_err_set(p, sizeof(p), "%s.%s", path, k);
		if (fn(st, k, ctl_mud_unprefix(k), v, p, a, arg))
			return -EINVAL;
	}
	return 0;
}

/* A tcp (tcp) or udp match. */
static int
l4_member(struct ctl_mud_state *st, const char *k, const char *u,
		const json_t *v, const char *p, struct ctl_mud_ace *a, int tcp)
{
	if (!strncmp(u, "source-port", 11)) {
		if (ports_into(st, v, p, a->sp, &a->n_sp))
			return -EINVAL;
	} else if (!strncmp(u, "destination-port", 16)) {
		if (ports_into(st, v, p, a->dp, &a->n_dp))
			return -EINVAL;
	} else if (!strcmp(u, "direction-initiated")) {
		const char *d = json_string_value(v);

		if (!tcp) {
			ctl_mud_err(st, p, "direction-initiated is "
				    "only defined for tcp");
			return -EINVAL;
		}
		if (d && !strcmp(ctl_mud_unprefix(d), "from-device")) {
			a->dir = CTL_MUD_FROM_DEVICE;
		} else if (d && !strcmp(ctl_mud_unprefix(d),
					"to-device")) {
			a->dir = CTL_MUD_TO_DEVICE;
		} else {
			ctl_mud_err(st, p, "must be \"from-device\" or "
				    "\"to-device\"");
			return -EINVAL;
		}
	} else if (!strcmp(u, "flags") || !strcmp(u, "sequence-number")
			|| !strcmp(u, "acknowledgement-number")
			|| !strcmp(u, "window-size")
			|| !strcmp(u, "length")) {
		a->widened = 1;
	} else {
		ctl_mud_err(st, p, "unknown %s match \"%s\"", tcp ?
			    "tcp" : "udp", k);
		return -EINVAL;
	}
	return 0;
}

/* A MUD class named by a string (manufacturer, model, controller): not
 * empty, else must is the error. */
static int
class_name(struct ctl_mud_state *st, const json_t *v, const char *p,
		const char **out, const char *must)
{
	*out = json_string_value(v);
	if (*out == NULL || **out == '\0') {
		ctl_mud_err(st, p, "%s", must);
		return -EINVAL;
	}
	return 0;
}

/* A MUD match (RFC 8520 section 8). */
static int
mud_class_member(struct ctl_mud_state *st, const char *k, const char *u,
		const json_t *v, const char *p, struct ctl_mud_ace *a, int arg)
{
	(void)arg;
	if (!strcmp(u, "local-networks")) {
		a->local = 1;
	} else if (!strcmp(u, "same-manufacturer")) {
		a->same_mfg = 1;
	} else if (!strcmp(u, "my-controller")) {
		a->my_ctl = 1;
	} else if (!strcmp(u, "manufacturer")) {
		if (class_name(st, v, p, &a->mfg,
			       "manufacturer must be a domain name"))
			return -EINVAL;
	} else if (!strcmp(u, "model")) {
		if (class_name(st, v, p, &a->model, "model must be a MUD URL"))
			return -EINVAL;
	} else if (!strcmp(u, "controller")) {
		if (class_name(st, v, p, &a->controller,
			       "controller must be a class URI"))
			return -EINVAL;
	} else {
		ctl_mud_err(st, p, "unknown MUD match \"%s\"", k);
		return -EINVAL;
	}
	a->n_classes++;
	return 0;
}

/* An IPv4 or IPv6 match (fam: 4 or 6). */
static int
l3_member(struct ctl_mud_state *st, const char *k, const char *u,
		const json_t *v, const char *p, struct ctl_mud_ace *a, int fam)
{
	if (!strcmp(u, "protocol") || !strcmp(u, "next-header")) {
		json_int_t i = json_is_integer(v) ?
			json_integer_value(v) : -1;

		if (i < 0 || i > 255) {
			ctl_mud_err(st, p, "protocol must be a number "
				    "0..255");
			return -EINVAL;
		}
		a->proto = (uint32_t)i;
		a->has_proto = 1;
	} else if (!strcmp(u, "src-dnsname") ||
			!strcmp(u, "dst-dnsname")) {
		const char *s = json_string_value(v);

		if (!s || !*s || strlen(s) > 253) {
			ctl_mud_err(st, p, "must be a DNS name");
			return -EINVAL;
		}
		if (u[0] == 's')
			a->src_dns = s;
		else
			a->dst_dns = s;
	} else if (!strncmp(u, "source-ipv", 10) ||
			!strncmp(u, "destination-ipv", 15)) {
		const char *s = json_string_value(v);
		int src = u[0] == 's';
		struct ctl_cidr *c = src ? &a->src_net : &a->dst_net;

		if (!s || ctl_cmp_parse_cidr(s, 1, c) ||
				c->family != fam) {
			ctl_mud_err(st, p, "must be an IPv%d prefix",
				    fam);
			return -EINVAL;
		}
		if (src)
			a->has_src_net = 1;
		else
			a->has_dst_net = 1;
	} else if (!strncmp(u, "source-port", 11)) {
		if (ports_into(st, v, p, a->sp, &a->n_sp))
			return -EINVAL;
	} else if (!strncmp(u, "destination-port", 16)) {
		if (ports_into(st, v, p, a->dp, &a->n_dp))
			return -EINVAL;
	} else if (!strcmp(u, "dscp") || !strcmp(u, "ecn") ||
			!strcmp(u, "length") || !strcmp(u, "ttl") ||
			!strcmp(u, "hop-limit") || !strcmp(u, "ihl") ||
			!strcmp(u, "flags") || !strcmp(u, "offset") ||
			!strcmp(u, "identification") ||
			!strcmp(u, "flow-label")) {
		a->widened = 1;
	} else {
		ctl_mud_err(st, p, "unknown IPv%d match \"%s\"", fam,
			    k);
		return -EINVAL;
	}
	return 0;
}

/* An ipv4 or ipv6 object (fam); one that is not an object is refused as
 * such by ace_members(), whatever the ACL's family. */
static int
parse_l3(struct ctl_mud_state *st, const json_t *l3, const char *path,
		struct ctl_mud_ace *a, int fam)
{
	if (a->family && a->family != fam && json_is_object(l3)) {
		ctl_mud_err(st, path, "IPv%d match in an IPv%d ACL", fam,
			    a->family);
		return -EINVAL;
	}
	a->family = fam;
	return ace_members(st, l3, path, l3_member, a, fam);
}

static int
parse_matches(struct ctl_mud_state *st, const json_t *m, const char *path,
		struct ctl_mud_ace *a)
{
	const char *k;
	json_t *v;
	char p[CTL_MUD_PATH_MAX];
	int tcp = 0, udp = 0;

	if (!m)
		return 0;
	if (ctl_mud_want_object(st, m, path, "matches"))
		return -EINVAL;
	json_object_foreach((json_t *)m, k, v) {
		const char *u = ctl_mud_unprefix(k);

		util_err_set(p, sizeof(p), "%s.%s", path, k);
		if (!strcmp(u, "ipv4") || !strcmp(u, "ipv4-acl")) {
			if (parse_l3(st, v, p, a, 4))
				return -EINVAL;
		} else if (!strcmp(u, "ipv6") || !strcmp(u, "ipv6-acl")) {
			if (parse_l3(st, v, p, a, 6))
				return -EINVAL;
		} else if (!strcmp(u, "tcp") || !strcmp(u, "udp")) {
			if (ace_members(st, v, p, l4_member, a, u[0] == 't'))
				return -EINVAL;
			if (u[0] == 't')
				tcp = 1;
			else
				udp = 1;
		} else if (!strcmp(u, "icmp") || !strcmp(u, "icmpv6")) {
			if (ctl_mud_want_object(st, v, p, ""))
				return -EINVAL;
			if (json_object_size(v))
				a->widened = 1;
			if (!a->has_proto) {
				a->proto = a->family == 6 ||
					!strcmp(u, "icmpv6") ? 58 : 1;
			}
		} else if (!strcmp(u, "mud") || !strcmp(u, "mud-acl")) {
			if (ace_members(st, v, p, mud_class_member, a, 0))
				return -EINVAL;
		} else if (!strcmp(u, "local-networks") ||
				!strcmp(u, "same-manufacturer") ||
				!strcmp(u, "my-controller") ||
				!strcmp(u, "manufacturer") ||
				!strcmp(u, "model") ||
				!strcmp(u, "controller")) {
			/* draft: classes directly under matches */
			if (mud_class_member(st, k, u, v, p, a, 0))
				return -EINVAL;
		} else {
			ctl_mud_err(st, p, "unsupported match \"%s\" (Cordon "
				    "would not enforce it)", k);
			return -EINVAL;
		}
	}
	if (tcp && udp) {
		ctl_mud_err(st, path, "both tcp and udp matches");
		return -EINVAL;
	}
	if (tcp || udp) {
		uint32_t want = tcp ? 6 : 17;

		if (a->has_proto && a->proto != want) {
			ctl_mud_err(st, path, "%s match with protocol %u", tcp ?
				    "tcp" : "udp", a->proto);
			return -EINVAL;
		}
		a->proto = want;
	}
	if ((a->n_sp || a->n_dp) && a->proto != 6 && a->proto != 17 &&
			a->proto != 132 && a->proto != 136) {
		ctl_mud_err(st, path, "ports need protocol tcp or udp (have "
			    "%u)", a->proto);
		return -EINVAL;
	}
	if (a->n_classes > 1 || (a->n_classes &&
			(a->src_dns || a->dst_dns))) {
		ctl_mud_err(st, path, "more than one of dnsname / MUD classes "
			    "in one ACE");
		return -EINVAL;
	}
	return 0;
}

int
ctl_mud_ace_parse(struct ctl_mud_state *st, const json_t *e,
		  const char *p, int fam, struct ctl_mud_ace *a,
		  const char **name)
{
	const json_t *act, *fw;
	const char *f;

	memset(a, 0, sizeof(*a));
	a->dir = -1;
	a->family = fam;
	*name = json_string_value(CTL_MUD_JGET(e, "name", "rule-name",
					       "ace-name"));
	if (!*name)
		*name = "?";
	act = json_object_get(e, "actions");
	fw = act ? json_object_get(act, "forwarding") : NULL;
	f = json_string_value(fw);
	if (!f) {
		ctl_mud_err(st, p, "ACE has no actions.forwarding");
		return -EINVAL;
	}
	f = ctl_mud_unprefix(f);
	if (!strcmp(f, "accept")) {
		a->action = CORDON__ACTION__ACTION_ALLOW;
	} else if (!strcmp(f, "drop") || !strcmp(f, "reject")) {
		a->action = CORDON__ACTION__ACTION_DENY;
	} else {
		ctl_mud_err(st, p, "actions.forwarding \"%s\" is not accept, "
			    "drop or reject", f);
		return -EINVAL;
	}
	{
		char pm[CTL_MUD_PATH_MAX];

		util_err_set(pm, sizeof(pm), "%s.matches", p);
		return parse_matches(st, json_object_get(e, "matches"), pm, a);
	}
}
