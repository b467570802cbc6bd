/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * MUD (RFC 8520, ACLs per RFC 8519) -> Cordon rules.
 *
 * Input spellings. Both the RFC and the draft spellings used by osMUD and
 * older files are read:
 *   ACL container  "ietf-access-control-list:acls" | "...:access-lists"
 *   ACL name/type  "name" | "acl-name", "type" | "acl-type"
 *   ACE list       "aces" | "access-list-entries", then "ace"
 *   ACE name       "name" | "rule-name"
 *   L3 match       "ipv4" | "ipv6" | "ipv4-acl" | "ipv6-acl"
 *   ports          "source-port" | "source-port-range" |
 *                  "source-port-range-or-operator" (same for destination),
 *                  either in the tcp/udp container or (drafts) in L3
 *   MUD match      "ietf-mud:mud" | "ietf-mud:mud-acl" container, or the
 *                  draft "ietf-mud:<class>" directly under "matches"
 * Unknown match containers (eth, ...) are errors: ignoring a match would
 * widen the rule. Unknown keys outside matches are ignored (extensions).
 *
 * Mapping. D is the device (Endpoint.device = its MAC), R the remote side
 * named by the ACE. Every rule is src=D, dst=R; Rule.initiator says who
 * opens the flow, dst_ports are the responder's ports:
 *
 *   policy       direction-initiated   ports in ACE     -> initiator, ports
 *   from-device  from-device / none    dst (or none)    -> SRC (D opens), dst
 *   from-device  none                  only src         -> DST (R opens), src
 *   from-device  to-device             src              -> DST, src
 *   to-device    from-device           src              -> SRC, src
 *   to-device    none                  only src         -> SRC, src
 *   to-device    to-device / none      dst (or none)    -> DST, dst
 *
 * Cordon is stateful: replies of an allowed flow pass, so the mirrored
 * ACEs MUD files carry for replies give the same rule again and are
 * dropped as duplicates. R comes from:
 *   src/dst-dnsname    static DNS addresses from the context when given,
 *                      else Endpoint.dns_name (resolved by DNS snooping)
 *   src/dst-ipvX-network  that CIDR
 *   local-networks     the context's local networks of the ACL's family,
 *                      else Endpoint.local
 *   controller URI     the context's addresses for that class
 *   my-controller      the context's my-controller addresses, else the
 *                      controller addresses mapped to the device's MUD URL
 *   same-manufacturer  each known peer whose MUD URL host = D's authority
 *   manufacturer X     each known peer whose MUD URL host = X
 *   model M            each known peer whose MUD URL = M
 *   none of those      0.0.0.0/0 (IPv4 ACL) or ::/0 (IPv6 ACL)
 * A class with no context matches nothing: no rule (n_unresolved).
 * Port operators: eq p, range lo..hi, lt/lte/gt/gte as ranges, neq as two.
 * ICMP type/code cannot be expressed: the rule allows all of that
 * protocol (n_widened). The D side's own address match is ignored
 * (n_widened): D is identified by MAC.
 * After the MUD rules, at priority + 1: optionally allow udp/53 to any
 * (context allow-dns), then deny D <-> any either way (the MUD default).
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <yaml.h>

#include "ctl_mud.h"
#include "ctl_policy_yaml.h"
#include "util_err.h"
#include "util_file.h"
#include "util_mac.h"

#define PATH_MAXLEN 512
#define MAX_PORTS 8
#define MAX_REMOTES 4096

enum mud_dir { FROM_DEVICE, TO_DEVICE };

struct mud_state {
	const struct ctl_mud_context *ctx;
	const char *name;
	uint8_t mac[6];
	uint32_t prio;
	Cordon__Policy *tmp;
	struct ctl_mud_result *res;
	char *err;
	size_t errlen;
	char authority[256];
	const char *mud_url;
};

/* snprintf that may truncate (paths and messages are best effort). */
static void
fmt_to(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
fmt_to(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static void
merr(struct mud_state *st, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
merr(struct mud_state *st, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st->err && st->errlen)
		util_err_set(st->err, st->errlen, "%s: %s: %s", st->name, path,
			     msg);
}

static void
note(struct mud_state *st, const char *path, const char *what)
{
	if (st->res->note[0] == '\0')
		fmt_to(st->res->note, sizeof(st->res->note), "%s: %s",
			path, what);
}

/* Look a key up under several spellings. */
static json_t *
jget(const json_t *o, const char *const *keys)
{
	json_t *v;

	if (!json_is_object(o))
		return NULL;
	for (; *keys; keys++) {
		v = json_object_get(o, *keys);
		if (v)
			return v;
	}
	return NULL;
}

#define JGET(o, ...) jget((o), (const char *const[]){ __VA_ARGS__, NULL })

/* Strip a "module:" prefix. */
static const char *
unprefix(const char *s)
{
	const char *c = strrchr(s, ':');

	return c ? c + 1 : s;
}

/* Host part of an http(s) URL into buf; 0 or -EINVAL. */
static int
url_host(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://"), *e;
	size_t n;

	if (!p)
		return -EINVAL;
	p += 3;
	e = p + strcspn(p, "/:?#");
	n = (size_t)(e - p);
	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

/* --- ports ------------------------------------------------------------ */

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
parse_ports(struct mud_state *st, const json_t *v, const char *path,
		struct ctl_port_range *pr)
{
	const json_t *op = json_object_get(v, "operator");
	const json_t *port = json_object_get(v, "port");
	const json_t *lo = json_object_get(v, "lower-port");
	const json_t *hi = json_object_get(v, "upper-port");
	uint32_t a, b;
	const char *o;

	if (!json_is_object(v)) {
		merr(st, path, "port match must be an object");
		return -EINVAL;
	}
	if (lo || hi) {
		if (!lo || !hi || jport(lo, &a) || jport(hi, &b) || a > b) {
			merr(st, path, "lower-port/upper-port must be two "
				"ports 0..65535 with lower <= upper");
			return -EINVAL;
		}
		pr[0].lo = (uint16_t)a;
		pr[0].hi = (uint16_t)b;
		return 1;
	}
	if (!port || jport(port, &a)) {
		merr(st, path, "\"port\" must be a number 0..65535");
		return -EINVAL;
	}
	o = op ? json_string_value(op) : "eq";
	if (!o) {
		merr(st, path, "\"operator\" must be a string");
		return -EINVAL;
	}
	o = unprefix(o);
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
	merr(st, path, "port operator \"%s\" is not eq, lt, lte, gt, gte, "
		"neq (or the comparison is empty)", o);
	return -EINVAL;
}

/* --- ACEs ------------------------------------------------------------- */

struct ace {
	int family;			/* 4 or 6 (from the ACL type) */
	uint32_t proto;			/* 0: any */
	int has_proto;
	struct ctl_port_range sp[MAX_PORTS], dp[MAX_PORTS];
	int n_sp, n_dp;
	int dir;			/* -1 none, FROM_DEVICE, TO_DEVICE */
	const char *src_dns, *dst_dns;
	struct ctl_cidr src_net, dst_net;
	int has_src_net, has_dst_net;
	/* MUD classes */
	int local, same_mfg, my_ctl;
	const char *mfg, *model, *controller;
	int n_classes;
	int widened;
	Cordon__Action action;
};

static int
ports_into(struct mud_state *st, const json_t *v, const char *path,
		struct ctl_port_range *pr, int *n)
{
	int r;

	if (*n) {
		merr(st, path, "port match given twice");
		return -EINVAL;
	}
	r = parse_ports(st, v, path, pr);
	if (r < 0)
		return r;
	*n = r;
	return 0;
}

static int
parse_l4(struct mud_state *st, const json_t *l4, const char *path,
		struct ace *a, int is_tcp)
{
	const char *k;
	json_t *v;
	char p[PATH_MAXLEN];

	if (!json_is_object(l4)) {
		merr(st, path, "must be an object");
		return -EINVAL;
	}
	json_object_foreach((json_t *)l4, k, v) {
		const char *u = unprefix(k);

		fmt_to(p, sizeof(p), "%s.%s", path, k);
		if (!strncmp(u, "source-port", 11)) {
			if (ports_into(st, v, p, a->sp, &a->n_sp))
				return -EINVAL;
		} else if (!strncmp(u, "destination-port", 16)) {
			if (ports_into(st, v, p, a->dp, &a->n_dp))
				return -EINVAL;
		} else if (!strcmp(u, "direction-initiated")) {
			const char *d = json_string_value(v);

			if (!is_tcp) {
				merr(st, p, "direction-initiated is only "
					"defined for tcp");
				return -EINVAL;
			}
			if (d && !strcmp(unprefix(d), "from-device")) {
				a->dir = FROM_DEVICE;
			} else if (d && !strcmp(unprefix(d), "to-device")) {
				a->dir = TO_DEVICE;
			} else {
				merr(st, p, "must be \"from-device\" or "
					"\"to-device\"");
				return -EINVAL;
			}
		} else if (!strcmp(u, "flags") || !strcmp(u, "sequence-number")
				|| !strcmp(u, "acknowledgement-number")
				|| !strcmp(u, "window-size")
				|| !strcmp(u, "length")) {
			a->widened = 1;
		} else {
			merr(st, p, "unknown %s match \"%s\"",
				is_tcp ? "tcp" : "udp", k);
			return -EINVAL;
		}
	}
	return 0;
}

static int
parse_mud_classes(struct mud_state *st, const char *k, const json_t *v,
		const char *p, struct ace *a)
{
	const char *u = unprefix(k);

	if (!strcmp(u, "local-networks")) {
		a->local = 1;
	} else if (!strcmp(u, "same-manufacturer")) {
		a->same_mfg = 1;
	} else if (!strcmp(u, "my-controller")) {
		a->my_ctl = 1;
	} else if (!strcmp(u, "manufacturer")) {
		a->mfg = json_string_value(v);
		if (!a->mfg || !*a->mfg) {
			merr(st, p, "manufacturer must be a domain name");
			return -EINVAL;
		}
	} else if (!strcmp(u, "model")) {
		a->model = json_string_value(v);
		if (!a->model || !*a->model) {
			merr(st, p, "model must be a MUD URL");
			return -EINVAL;
		}
	} else if (!strcmp(u, "controller")) {
		a->controller = json_string_value(v);
		if (!a->controller || !*a->controller) {
			merr(st, p, "controller must be a class URI");
			return -EINVAL;
		}
	} else {
		merr(st, p, "unknown MUD match \"%s\"", k);
		return -EINVAL;
	}
	a->n_classes++;
	return 0;
}

static int
parse_l3(struct mud_state *st, const json_t *l3, const char *path,
		struct ace *a, int fam)
{
	const char *k;
	json_t *v;
	char p[PATH_MAXLEN];

	if (!json_is_object(l3)) {
		merr(st, path, "must be an object");
		return -EINVAL;
	}
	if (a->family && a->family != fam) {
		merr(st, path, "IPv%d match in an IPv%d ACL", fam, a->family);
		return -EINVAL;
	}
	a->family = fam;
	json_object_foreach((json_t *)l3, k, v) {
		const char *u = unprefix(k);

		fmt_to(p, sizeof(p), "%s.%s", path, k);
		if (!strcmp(u, "protocol") || !strcmp(u, "next-header")) {
			json_int_t i = json_is_integer(v) ?
				json_integer_value(v) : -1;

			if (i < 0 || i > 255) {
				merr(st, p, "protocol must be a number "
					"0..255");
				return -EINVAL;
			}
			a->proto = (uint32_t)i;
			a->has_proto = 1;
		} else if (!strcmp(u, "src-dnsname") ||
				!strcmp(u, "dst-dnsname")) {
			const char *s = json_string_value(v);

			if (!s || !*s || strlen(s) > 253) {
				merr(st, p, "must be a DNS name");
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
				merr(st, p, "must be an IPv%d prefix", fam);
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
			merr(st, p, "unknown IPv%d match \"%s\"", fam, k);
			return -EINVAL;
		}
	}
	return 0;
}

static int
parse_matches(struct mud_state *st, const json_t *m, const char *path,
		struct ace *a)
{
	const char *k;
	json_t *v;
	char p[PATH_MAXLEN];
	int tcp = 0, udp = 0;

	if (!m)
		return 0;
	if (!json_is_object(m)) {
		merr(st, path, "matches must be an object");
		return -EINVAL;
	}
	json_object_foreach((json_t *)m, k, v) {
		const char *u = unprefix(k);

		fmt_to(p, sizeof(p), "%s.%s", path, k);
		if (!strcmp(u, "ipv4") || !strcmp(u, "ipv4-acl")) {
			if (parse_l3(st, v, p, a, 4))
				return -EINVAL;
		} else if (!strcmp(u, "ipv6") || !strcmp(u, "ipv6-acl")) {
			if (parse_l3(st, v, p, a, 6))
				return -EINVAL;
		} else if (!strcmp(u, "tcp") || !strcmp(u, "udp")) {
			if (parse_l4(st, v, p, a, u[0] == 't'))
				return -EINVAL;
			if (u[0] == 't')
				tcp = 1;
			else
				udp = 1;
		} else if (!strcmp(u, "icmp") || !strcmp(u, "icmpv6")) {
			if (!json_is_object(v)) {
				merr(st, p, "must be an object");
				return -EINVAL;
			}
			if (json_object_size(v))
				a->widened = 1;
			if (!a->has_proto) {
				a->proto = a->family == 6 ||
					!strcmp(u, "icmpv6") ? 58 : 1;
			}
		} else if (!strcmp(u, "mud") || !strcmp(u, "mud-acl")) {
			const char *k2;
			json_t *v2;
			char p2[PATH_MAXLEN];

			if (!json_is_object(v)) {
				merr(st, p, "must be an object");
				return -EINVAL;
			}
			json_object_foreach(v, k2, v2) {
				fmt_to(p2, sizeof(p2), "%s.%s", p, k2);
				if (parse_mud_classes(st, k2, v2, p2, a))
					return -EINVAL;
			}
		} else if (!strcmp(u, "local-networks") ||
				!strcmp(u, "same-manufacturer") ||
				!strcmp(u, "my-controller") ||
				!strcmp(u, "manufacturer") ||
				!strcmp(u, "model") ||
				!strcmp(u, "controller")) {
			/* draft: classes directly under matches */
			if (parse_mud_classes(st, k, v, p, a))
				return -EINVAL;
		} else {
			merr(st, p, "unsupported match \"%s\" (Cordon would "
				"not enforce it)", k);
			return -EINVAL;
		}
	}
	if (tcp && udp) {
		merr(st, path, "both tcp and udp matches");
		return -EINVAL;
	}
	if (tcp || udp) {
		uint32_t want = tcp ? 6 : 17;

		if (a->has_proto && a->proto != want) {
			merr(st, path, "%s match with protocol %u",
				tcp ? "tcp" : "udp", a->proto);
			return -EINVAL;
		}
		a->proto = want;
	}
	if ((a->n_sp || a->n_dp) && a->proto != 6 && a->proto != 17 &&
			a->proto != 132 && a->proto != 136) {
		merr(st, path, "ports need protocol tcp or udp (have %u)",
			a->proto);
		return -EINVAL;
	}
	if (a->n_classes > 1 || (a->n_classes &&
			(a->src_dns || a->dst_dns))) {
		merr(st, path, "more than one of dnsname / MUD classes in one "
			"ACE");
		return -EINVAL;
	}
	return 0;
}

/* Remote endpoints of an ACE; returns the count or -errno. */
struct remote_list {
	Cordon__Endpoint **e;
	size_t n;
};

static int
rl_add(struct remote_list *rl, Cordon__Endpoint *e)
{
	Cordon__Endpoint **ne;

	if (!e)
		return -ENOMEM;
	if (rl->n >= MAX_REMOTES) {
		ctl_cmp_ep_free(e);
		return -E2BIG;
	}
	ne = realloc(rl->e, (rl->n + 1) * sizeof(*ne));
	if (!ne) {
		ctl_cmp_ep_free(e);
		return -ENOMEM;
	}
	rl->e = ne;
	rl->e[rl->n++] = e;
	return 0;
}

static void
rl_free(struct remote_list *rl)
{
	size_t i;

	for (i = 0; i < rl->n; i++)
		ctl_cmp_ep_free(rl->e[i]);
	free(rl->e);
	rl->e = NULL;
	rl->n = 0;
}

static int
add_cidrs(struct remote_list *rl, const struct ctl_cidr *c, size_t n,
		int fam)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (fam && c[i].family != fam)
			continue;
		r = rl_add(rl, ctl_cmp_ep_cidr(&c[i]));
		if (r)
			return r;
	}
	return 0;
}

static const struct ctl_mud_addrs *
find_addrs(const struct ctl_mud_addrs *a, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].key && !strcasecmp(a[i].key, key))
			return &a[i];
	return NULL;
}

static int
add_peers(struct mud_state *st, struct remote_list *rl, const char *host,
		const char *model)
{
	const struct ctl_mud_context *ctx = st->ctx;
	char h[256];
	size_t i;
	int r;

	for (i = 0; ctx && i < ctx->n_peers; i++) {
		const struct ctl_mud_peer *pe = &ctx->peers[i];

		if (!pe->mud_url || !memcmp(pe->mac, st->mac, 6))
			continue;
		if (model && strcmp(pe->mud_url, model))
			continue;
		if (host && (url_host(pe->mud_url, h, sizeof(h)) ||
				strcasecmp(h, host)))
			continue;
		r = rl_add(rl, ctl_cmp_ep_device(pe->mac));
		if (r)
			return r;
	}
	return 0;
}

static int
resolve_remote(struct mud_state *st, const struct ace *a, enum mud_dir d,
		struct remote_list *rl)
{
	const struct ctl_mud_context *ctx = st->ctx;
	const char *dns = d == FROM_DEVICE ? a->dst_dns : a->src_dns;
	int has_net = d == FROM_DEVICE ? a->has_dst_net : a->has_src_net;
	const struct ctl_cidr *net = d == FROM_DEVICE ? &a->dst_net :
		&a->src_net;
	const struct ctl_mud_addrs *m;
	int fam = a->family;

	if (dns) {
		m = ctx ? find_addrs(ctx->dns, ctx->n_dns, dns) : NULL;
		if (m)
			return add_cidrs(rl, m->addrs, m->n_addrs, fam);
		return rl_add(rl, ctl_cmp_ep_dns(dns));
	}
	if (a->local) {
		size_t i, have = 0;

		for (i = 0; ctx && i < ctx->n_local_nets; i++)
			if (!fam || ctx->local_nets[i].family == fam)
				have++;
		if (have)
			return add_cidrs(rl, ctx->local_nets,
				ctx->n_local_nets, fam);
		return rl_add(rl, ctl_cmp_ep_local());
	}
	if (a->controller) {
		m = ctx ? find_addrs(ctx->controllers, ctx->n_controllers,
			a->controller) : NULL;
		return m ? add_cidrs(rl, m->addrs, m->n_addrs, fam) : 0;
	}
	if (a->my_ctl) {
		if (ctx && ctx->n_my_controllers)
			return add_cidrs(rl, ctx->my_controllers,
				ctx->n_my_controllers, fam);
		m = ctx && st->mud_url ? find_addrs(ctx->controllers,
			ctx->n_controllers, st->mud_url) : NULL;
		return m ? add_cidrs(rl, m->addrs, m->n_addrs, fam) : 0;
	}
	if (a->same_mfg)
		return st->authority[0] ?
			add_peers(st, rl, st->authority, NULL) : 0;
	if (a->mfg)
		return add_peers(st, rl, a->mfg, NULL);
	if (a->model)
		return add_peers(st, rl, NULL, a->model);
	if (has_net)
		return rl_add(rl, ctl_cmp_ep_cidr(net));
	{
		struct ctl_cidr all;

		memset(&all, 0, sizeof(all));
		all.family = (uint8_t)(fam ? fam : 4);
		if (!fam)
			return rl_add(rl, ctl_cmp_ep_any());
		return rl_add(rl, ctl_cmp_ep_cidr(&all));
	}
}

static int
ep_equal(const Cordon__Endpoint *a, const Cordon__Endpoint *b)
{
	if (a->kind_case != b->kind_case)
		return 0;
	switch (a->kind_case) {
	case CORDON__ENDPOINT__KIND_SEGMENT:
		return a->segment == b->segment;
	case CORDON__ENDPOINT__KIND_DEVICE:
		return a->device.len == b->device.len &&
			!memcmp(a->device.data, b->device.data, a->device.len);
	case CORDON__ENDPOINT__KIND_CIDR:
		return a->cidr->prefix_len == b->cidr->prefix_len &&
			a->cidr->addr.len == b->cidr->addr.len &&
			!memcmp(a->cidr->addr.data, b->cidr->addr.data,
				a->cidr->addr.len);
	case CORDON__ENDPOINT__KIND_DNS_NAME:
		return !strcmp(a->dns_name, b->dns_name);
	default:
		return 1;
	}
}

static int
rule_dup(const Cordon__Policy *p, const Cordon__Endpoint *dst,
		uint32_t proto, const struct ctl_port_range *pr, int n,
		Cordon__Action act, Cordon__Initiator ini)
{
	size_t i;
	int j;

	for (i = 0; i < p->n_rules; i++) {
		const Cordon__Rule *r = p->rules[i];

		if (r->ip_proto != proto || r->action != act ||
				r->initiator != ini ||
				r->n_dst_ports != (size_t)n ||
				!ep_equal(r->dst, dst))
			continue;
		for (j = 0; j < n; j++)
			if (r->dst_ports[j]->lo != pr[j].lo ||
					r->dst_ports[j]->hi != pr[j].hi)
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

static int
emit_ace(struct mud_state *st, const struct ace *a, enum mud_dir d,
		const char *acl, const char *ace_name, const char *path)
{
	struct remote_list rl = { NULL, 0 };
	const struct ctl_port_range *pr;
	Cordon__Initiator ini;
	char comment[256];
	size_t i;
	int n, r;

	/* See the table at the top. */
	if (d == FROM_DEVICE) {
		if (a->dir == TO_DEVICE ||
				(a->dir < 0 && a->n_sp && !a->n_dp)) {
			ini = CORDON__INITIATOR__INITIATOR_DST;
			pr = a->sp;
			n = a->n_sp;
		} else {
			ini = CORDON__INITIATOR__INITIATOR_SRC;
			pr = a->dp;
			n = a->n_dp;
		}
	} else {
		if (a->dir == FROM_DEVICE ||
				(a->dir < 0 && a->n_sp && !a->n_dp)) {
			ini = CORDON__INITIATOR__INITIATOR_SRC;
			pr = a->sp;
			n = a->n_sp;
		} else {
			ini = CORDON__INITIATOR__INITIATOR_DST;
			pr = a->dp;
			n = a->n_dp;
		}
	}
	/* The initiator's own port cannot be matched. */
	if ((pr == a->sp && a->n_dp) || (pr == a->dp && a->n_sp))
		st->res->n_widened++, note(st, path,
			"initiator port match not enforced");
	if (a->widened) {
		st->res->n_widened++;
		note(st, path, "icmp type/code, tcp flags or other header "
			"match not enforced");
	}
	if ((d == FROM_DEVICE && (a->has_src_net || a->src_dns)) ||
			(d == TO_DEVICE && (a->has_dst_net || a->dst_dns))) {
		st->res->n_widened++;
		note(st, path, "the device's own address is not matched");
	}
	r = resolve_remote(st, a, d, &rl);
	if (r == -E2BIG) {
		merr(st, path, "too many remote endpoints");
		r = -EINVAL;
		goto out;
	}
	if (r)
		goto out;
	if (rl.n == 0) {
		st->res->n_unresolved++;
		note(st, path, "no context for this rule class: nothing "
			"allowed");
		goto out;
	}
	fmt_to(comment, sizeof(comment), "mud %s/%s", acl, ace_name);
	for (i = 0; i < rl.n; i++) {
		if (rule_dup(st->tmp, rl.e[i], a->proto, pr, n, a->action,
				ini)) {
			st->res->n_duplicates++;
			continue;
		}
		if (!ctl_cmp_add_rule(st->tmp, ctl_cmp_ep_device(st->mac),
				rl.e[i], a->proto, pr, (size_t)n, a->action,
				ini, st->prio, comment)) {
			rl.e[i] = NULL;
			r = -ENOMEM;
			goto out;
		}
		rl.e[i] = NULL;
	}
out:
	rl_free(&rl);
	return r;
}

static int
acl_family(const json_t *acl)
{
	const char *t = json_string_value(JGET(acl, "type", "acl-type"));

	if (!t)
		return 0;
	t = unprefix(t);
	if (!strncmp(t, "ipv4", 4))
		return 4;
	if (!strncmp(t, "ipv6", 4))
		return 6;
	return -1;
}

static int
compile_acl(struct mud_state *st, const json_t *acl, const char *path,
		enum mud_dir d)
{
	const char *acl_name = json_string_value(JGET(acl, "name",
		"acl-name"));
	const json_t *aces = JGET(acl, "aces", "access-list-entries");
	const json_t *list;
	char p[PATH_MAXLEN];
	size_t i;
	int fam = acl_family(acl);

	if (fam < 0) {
		merr(st, path, "ACL type is not ipv4 or ipv6 (eth ACLs are "
			"not supported)");
		return -EINVAL;
	}
	list = JGET(aces, "ace", "access-list-entry");
	if (!aces || !json_is_array(list)) {
		merr(st, path, "ACL has no aces.ace list");
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *e = json_array_get(list, i);
		const json_t *act, *fw;
		const char *ace_name, *f;
		struct ace a;
		int r;

		fmt_to(p, sizeof(p), "%s.aces.ace[%zu]", path, i);
		if (!json_is_object(e)) {
			merr(st, p, "ACE must be an object");
			return -EINVAL;
		}
		st->res->n_aces++;
		memset(&a, 0, sizeof(a));
		a.dir = -1;
		a.family = fam;
		ace_name = json_string_value(JGET(e, "name", "rule-name",
			"ace-name"));
		if (!ace_name)
			ace_name = "?";
		act = json_object_get(e, "actions");
		fw = act ? json_object_get(act, "forwarding") : NULL;
		f = json_string_value(fw);
		if (!f) {
			merr(st, p, "ACE has no actions.forwarding");
			return -EINVAL;
		}
		f = unprefix(f);
		if (!strcmp(f, "accept")) {
			a.action = CORDON__ACTION__ACTION_ALLOW;
		} else if (!strcmp(f, "drop") || !strcmp(f, "reject")) {
			a.action = CORDON__ACTION__ACTION_DENY;
		} else {
			merr(st, p, "actions.forwarding \"%s\" is not accept, "
				"drop or reject", f);
			return -EINVAL;
		}
		{
			char pm[PATH_MAXLEN];

			fmt_to(pm, sizeof(pm), "%s.matches", p);
			if (parse_matches(st, json_object_get(e, "matches"),
					pm, &a))
				return -EINVAL;
		}
		r = emit_ace(st, &a, d, acl_name ? acl_name : "?", ace_name,
			p);
		if (r)
			return r;
	}
	return 0;
}

static int
compile_policy_dir(struct mud_state *st, const json_t *mud,
		const json_t *acls, const char *acls_key, enum mud_dir d)
{
	const char *key = d == FROM_DEVICE ? "from-device-policy" :
		"to-device-policy";
	const json_t *pol = json_object_get(mud, key);
	const json_t *names;
	char p[PATH_MAXLEN];
	size_t i, j;

	if (!pol)
		return 0;
	names = JGET(JGET(pol, "access-lists"), "access-list");
	if (!json_is_array(names)) {
		fmt_to(p, sizeof(p), "$.ietf-mud:mud.%s", key);
		merr(st, p, "has no access-lists.access-list list");
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(names); i++) {
		const char *n = json_string_value(JGET(json_array_get(names, i),
			"name", "acl-name"));
		int found = 0;

		fmt_to(p, sizeof(p), "$.ietf-mud:mud.%s.access-lists."
			"access-list[%zu]", key, i);
		if (!n) {
			merr(st, p, "access-list entry has no name");
			return -EINVAL;
		}
		for (j = 0; j < json_array_size(acls); j++) {
			const json_t *acl = json_array_get(acls, j);
			const char *an = json_string_value(JGET(acl, "name",
				"acl-name"));
			int r;

			if (!an || strcmp(an, n))
				continue;
			fmt_to(p, sizeof(p), "$.%s.acl[%zu]", acls_key, j);
			r = compile_acl(st, acl, p, d);
			if (r)
				return r;
			found = 1;
			break;
		}
		if (!found) {
			merr(st, p, "ACL \"%s\" is not defined", n);
			return -EINVAL;
		}
	}
	return 0;
}

static int
move_rules(Cordon__Policy *from, Cordon__Policy *to)
{
	Cordon__Rule **nr;
	uint32_t maxid = 0;
	size_t i;

	if (!from->n_rules)
		return 0;
	nr = realloc(to->rules, (to->n_rules + from->n_rules) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	to->rules = nr;
	for (i = 0; i < to->n_rules; i++)
		if (to->rules[i]->id > maxid)
			maxid = to->rules[i]->id;
	for (i = 0; i < from->n_rules; i++) {
		from->rules[i]->id = ++maxid;
		to->rules[to->n_rules++] = from->rules[i];
	}
	from->n_rules = 0;
	return 0;
}

static int
json_depth_ok(const json_t *v, int depth)
{
	const char *k;
	json_t *c;
	size_t i;

	if (depth > CTL_MUD_MAX_DEPTH)
		return 0;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, c)
			if (!json_depth_ok(c, depth + 1))
				return 0;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			if (!json_depth_ok(c, depth + 1))
				return 0;
	}
	return 1;
}

/* jansson recurses per nesting level: refuse deep input before parsing. */
static int
text_depth_ok(const char *t, size_t len)
{
	int d = 0, in_str = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = t[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++d > CTL_MUD_MAX_DEPTH)
				return 0;
		} else if (c == '}' || c == ']') {
			d--;
		}
	}
	return 1;
}

int
ctl_mud_compile(const char *text, size_t len, const char *name,
		const struct ctl_mud_context *ctx, const uint8_t *device_mac,
		uint32_t priority, Cordon__Policy *out,
		struct ctl_mud_result *res, char *err, size_t errlen)
{
	struct ctl_mud_result dummy;
	struct mud_state st;
	json_error_t je;
	json_t *root = NULL, *mud, *acls_c, *acls;
	const char *acls_key = "ietf-access-control-list:acls";
	int r = -EINVAL;

	memset(&st, 0, sizeof(st));
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	st.ctx = ctx;
	st.name = name ? name : "<mud>";
	st.res = res;
	st.err = err;
	st.errlen = errlen;
	st.prio = priority;
	if (device_mac)
		memcpy(st.mac, device_mac, 6);
	else if (ctx && ctx->has_mac)
		memcpy(st.mac, ctx->device_mac, 6);
	if (err && errlen)
		err[0] = '\0';
	if (!text_depth_ok(text, len)) {
		merr(&st, "$", "JSON nested deeper than %d levels",
			CTL_MUD_MAX_DEPTH);
		return -EINVAL;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (err && errlen)
			snprintf(err, errlen, "%s:%d:%d: JSON: %s", st.name,
				je.line, je.column, je.text);
		return -EINVAL;
	}
	if (!json_depth_ok(root, 0)) {
		merr(&st, "$", "JSON nested too deeply");
		goto out;
	}
	mud = json_object_get(root, "ietf-mud:mud");
	if (!json_is_object(mud)) {
		merr(&st, "$", "no \"ietf-mud:mud\" object: not a MUD file");
		goto out;
	}
	{
		const char *u = json_string_value(json_object_get(mud,
			"mud-url"));

		if (!u) {
			merr(&st, "$.ietf-mud:mud", "no \"mud-url\" string");
			goto out;
		}
		snprintf(res->mud_url, sizeof(res->mud_url), "%s", u);
		st.mud_url = ctx && ctx->mud_url ? ctx->mud_url : u;
		if (ctx && ctx->authority)
			snprintf(st.authority, sizeof(st.authority), "%s",
				ctx->authority);
		else if (url_host(u, st.authority, sizeof(st.authority)))
			st.authority[0] = '\0';
	}
	acls_c = json_object_get(root, acls_key);
	if (!acls_c) {
		acls_key = "ietf-access-control-list:access-lists";
		acls_c = json_object_get(root, acls_key);
	}
	acls = json_object_get(acls_c, "acl");
	if (!acls && (json_object_get(mud, "from-device-policy") ||
			json_object_get(mud, "to-device-policy"))) {
		merr(&st, "$", "policies name ACLs but there is no "
			"\"ietf-access-control-list:acls\".acl list");
		goto out;
	}
	if (acls && !json_is_array(acls)) {
		merr(&st, acls_key, "\"acl\" must be a list");
		goto out;
	}
	st.tmp = ctl_cmp_policy_new();
	if (!st.tmp) {
		r = -ENOMEM;
		goto out;
	}
	r = compile_policy_dir(&st, mud, acls, acls_key, FROM_DEVICE);
	if (!r)
		r = compile_policy_dir(&st, mud, acls, acls_key, TO_DEVICE);
	if (r)
		goto out;
	if (ctx && ctx->allow_dns) {
		struct ctl_port_range dns = { 53, 53 };

		if (!ctl_cmp_add_rule(st.tmp, ctl_cmp_ep_device(st.mac),
				ctl_cmp_ep_any(), 17, &dns, 1,
				CORDON__ACTION__ACTION_ALLOW,
				CORDON__INITIATOR__INITIATOR_SRC, priority + 1,
				"mud default: dns")) {
			r = -ENOMEM;
			goto out;
		}
	}
	if (!ctx || !ctx->no_default_deny) {
		if (!ctl_cmp_add_rule(st.tmp, ctl_cmp_ep_device(st.mac),
				ctl_cmp_ep_any(), 0, NULL, 0,
				CORDON__ACTION__ACTION_DENY,
				CORDON__INITIATOR__INITIATOR_EITHER,
				priority + 1, "mud default: deny")) {
			r = -ENOMEM;
			goto out;
		}
	}
	res->n_rules = (uint32_t)st.tmp->n_rules;
	r = move_rules(st.tmp, out);
out:
	if (r == -ENOMEM && err && errlen)
		snprintf(err, errlen, "%s: out of memory", st.name);
	ctl_cmp_policy_free(st.tmp);
	json_decref(root);
	return r;
}

int
ctl_mud_compile_file(const char *path, const struct ctl_mud_context *ctx,
		const uint8_t *device_mac, uint32_t priority,
		Cordon__Policy *out, struct ctl_mud_result *res, char *err,
		size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int r = util_file_read(path, CTL_MUD_FILE_MAX, &buf, &len, err, errlen);

	if (r)
		return r;
	r = ctl_mud_compile(buf, len, path, ctx, device_mac, priority, out,
		res, err, errlen);
	free(buf);
	return r;
}

size_t
ctl_mud_remove_rules(Cordon__Policy *p, const uint8_t device_mac[6])
{
	size_t i, o = 0, n = 0;

	for (i = 0; i < p->n_rules; i++) {
		Cordon__Rule *r = p->rules[i];

		if (r->src && r->src->kind_case ==
				CORDON__ENDPOINT__KIND_DEVICE &&
				r->src->device.len == 6 &&
				!memcmp(r->src->device.data, device_mac, 6) &&
				r->comment && !strncmp(r->comment, "mud ", 4)) {
			cordon__rule__free_unpacked(r, NULL);
			n++;
			continue;
		}
		p->rules[o++] = r;
	}
	p->n_rules = o;
	return n;
}

/* --- MUD URL -> file -------------------------------------------------- */

static int
safe_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

int
ctl_mud_url_to_path(const char *mud_dir, const char *url, char *buf,
		size_t buflen)
{
	char host[256], rest[512];
	const char *p, *e;
	size_t n, i, o = 0;
	int w;

	if (!mud_dir || !url || strncasecmp(url, "https://", 8))
		return -EINVAL;
	p = url + 8;
	e = p + strcspn(p, "/");
	n = (size_t)(e - p);
	if (n == 0 || n >= sizeof(host))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!safe_char(p[i]) || p[i] == '_')
			return -EINVAL;
		host[i] = (char)tolower((unsigned char)p[i]);
	}
	host[n] = '\0';
	if (host[0] == '.' || host[0] == '-' || strstr(host, ".."))
		return -EINVAL;
	if (*e != '/' || e[1] == '\0')
		return -EINVAL;
	/*
	 * Path: '/' becomes '_', so the rest is one file name and cannot
	 * leave <mud_dir>/<host>. Parts must be non-empty, not "." or
	 * "..", of safe characters (".well-known" is fine).
	 */
	for (p = e + 1; *p; p++) {
		const char *part = p;
		size_t plen = strcspn(p, "/");

		if (plen == 0 || (plen == 1 && part[0] == '.') ||
				(plen == 2 && part[0] == '.' && part[1] == '.'))
			return -EINVAL;
		for (i = 0; i < plen; i++)
			if (!safe_char(part[i]))
				return -EINVAL;
		if (o + plen + 1 >= sizeof(rest))
			return -ENAMETOOLONG;
		if (o)
			rest[o++] = '_';
		memcpy(rest + o, part, plen);
		o += plen;
		p += plen;
		if (*p == '\0')
			break;
		if (p[1] == '\0')
			return -EINVAL;	/* trailing '/' */
	}
	rest[o] = '\0';
	w = snprintf(buf, buflen, "%s/%s/%s", mud_dir, host, rest);
	if (w < 0 || (size_t)w >= buflen)
		return -ENAMETOOLONG;
	return 0;
}

/* --- CMS signatures --------------------------------------------------- */

static void
ossl_err(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s: %s", what, e ? buf : "failed");
	ERR_clear_error();
}

/* Verify a detached CMS signature (DER, else PEM) in memory over content. */
static int
verify_cms(BIO *content, const void *sig, size_t sig_len,
		const char *ca_file, char *err, size_t errlen)
{
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	BIO *sigb;
	int r = -EBADMSG;

	if (sig_len > INT32_MAX) {
		snprintf(err, errlen, "signature too large");
		return -EBADMSG;
	}
	sigb = BIO_new_mem_buf(sig, (int)sig_len);
	if (sigb)
		cms = d2i_CMS_bio(sigb, NULL);
	if (!cms) {
		/* Not DER: try PEM. */
		BIO_free(sigb);
		ERR_clear_error();
		sigb = BIO_new_mem_buf(sig, (int)sig_len);
		if (sigb)
			cms = PEM_read_bio_CMS(sigb, NULL, NULL, NULL);
	}
	if (!cms) {
		ossl_err(err, errlen, "signature is not CMS (DER or PEM)");
		goto out;
	}
	store = X509_STORE_new();
	if (!store || X509_STORE_load_file(store, ca_file) != 1) {
		ossl_err(err, errlen, "cannot load trust anchors");
		r = -EIO;
		goto out;
	}
	/*
	 * The anchors are MUD-specific: any certificate they vouch for may
	 * sign (RFC 8520 requires no particular extended key usage, and an
	 * S/MIME purpose check would refuse code-signing certificates).
	 */
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	if (CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) != 1) {
		ossl_err(err, errlen, "signature verification failed");
		goto out;
	}
	r = 0;
out:
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	BIO_free(sigb);
	return r;
}

int
ctl_mud_verify_signature(const char *file, const char *sig,
		const char *ca_file, char *err, size_t errlen)
{
	BIO *content = NULL;
	char *sbuf = NULL;
	size_t slen = 0;
	int r;

	ERR_clear_error();
	content = BIO_new_file(file, "rb");
	if (!content) {
		ossl_err(err, errlen, file);
		return -ENOENT;
	}
	r = util_file_read(sig, CTL_MUD_SIG_MAX, &sbuf, &slen, err, errlen);
	if (r == 0)
		r = verify_cms(content, sbuf, slen, ca_file, err, errlen);
	free(sbuf);
	BIO_free(content);
	return r;
}

int
ctl_mud_verify_signature_mem(const void *file, size_t len, const void *sig,
		size_t sig_len, const char *ca_file, char *err, size_t errlen)
{
	BIO *content;
	int r;

	if (len > INT32_MAX) {
		snprintf(err, errlen, "MUD file too large");
		return -EBADMSG;
	}
	ERR_clear_error();
	content = BIO_new_mem_buf(file, (int)len);
	if (!content) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = verify_cms(content, sig, sig_len, ca_file, err, errlen);
	BIO_free(content);
	return r;
}

/* --- context ---------------------------------------------------------- */

int
ctl_mud_context_add_addrs(struct ctl_mud_addrs **arr, size_t *n,
		const char *key, const struct ctl_cidr *addrs, size_t n_addrs)
{
	struct ctl_mud_addrs *na = realloc(*arr, (*n + 1) * sizeof(*na));

	if (!na)
		return -ENOMEM;
	*arr = na;
	na[*n].key = strdup(key);
	na[*n].addrs = n_addrs ? malloc(n_addrs * sizeof(*addrs)) : NULL;
	if (!na[*n].key || (n_addrs && !na[*n].addrs)) {
		free(na[*n].key);
		free(na[*n].addrs);
		return -ENOMEM;
	}
	if (n_addrs)
		memcpy(na[*n].addrs, addrs, n_addrs * sizeof(*addrs));
	na[*n].n_addrs = n_addrs;
	(*n)++;
	return 0;
}

int
ctl_mud_context_add_peer(struct ctl_mud_context *ctx, const uint8_t mac[6],
		const char *mud_url)
{
	struct ctl_mud_peer *np = realloc(ctx->peers,
		(ctx->n_peers + 1) * sizeof(*np));

	if (!np)
		return -ENOMEM;
	ctx->peers = np;
	memcpy(np[ctx->n_peers].mac, mac, 6);
	np[ctx->n_peers].mud_url = strdup(mud_url);
	if (!np[ctx->n_peers].mud_url)
		return -ENOMEM;
	ctx->n_peers++;
	return 0;
}

static void
free_addrs(struct ctl_mud_addrs *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].key);
		free(a[i].addrs);
	}
	free(a);
}

void
ctl_mud_context_free(struct ctl_mud_context *ctx)
{
	size_t i;

	if (!ctx)
		return;
	free(ctx->mud_url);
	free(ctx->authority);
	free(ctx->local_nets);
	free(ctx->my_controllers);
	free_addrs(ctx->controllers, ctx->n_controllers);
	free_addrs(ctx->dns, ctx->n_dns);
	for (i = 0; i < ctx->n_peers; i++)
		free(ctx->peers[i].mud_url);
	free(ctx->peers);
	free(ctx->ca_file);
	memset(ctx, 0, sizeof(*ctx));
}

static int
ctx_addrs(struct ctl_pol_yaml *y, yaml_node_t *n, const char *what,
		int allow_host, struct ctl_cidr **out, size_t *n_out)
{
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	if (n->type == YAML_MAPPING_NODE)
		return ctl_pol_yaml_err(y, n, "%s must be a list of "
			"addresses", what);
	cnt = ctl_pol_yaml_list(y, n, &items);
	if (!cnt)
		return ctl_pol_yaml_err(y, n, "%s is empty", what);
	*out = calloc(cnt, sizeof(**out));
	if (!*out) {
		free(items);
		return -ENOMEM;
	}
	for (i = 0; i < cnt && !r; i++) {
		const char *s = ctl_pol_yaml_str(y, items[i], what);

		if (!s)
			r = -EINVAL;
		else if (ctl_cmp_parse_cidr(s, allow_host, &(*out)[i]))
			r = ctl_pol_yaml_err(y, items[i], "%s: \"%s\" is not "
				"an address or CIDR", what, s);
	}
	free(items);
	if (r) {
		free(*out);
		*out = NULL;
		return r;
	}
	*n_out = cnt;
	return 0;
}

static int
ctx_named_addrs(struct ctl_pol_yaml *y, yaml_node_t *n, const char *what,
		const char *keyname, struct ctl_mud_addrs **arr, size_t *na)
{
	const char *const keys[] = { keyname, "addresses", NULL };
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return ctl_pol_yaml_err(y, n, "%s must be a list", what);
	cnt = ctl_pol_yaml_list(y, n, &items);
	for (i = 0; i < cnt && !r; i++) {
		yaml_node_t *k, *a;
		struct ctl_cidr *c = NULL;
		size_t nc = 0;
		const char *s;

		r = ctl_pol_yaml_keys(y, items[i], what, keys);
		if (r)
			break;
		k = ctl_pol_yaml_get(y, items[i], keyname);
		a = ctl_pol_yaml_get(y, items[i], "addresses");
		if (!k || !a) {
			r = ctl_pol_yaml_err(y, items[i], "%s entry needs %s "
				"and addresses", what, keyname);
			break;
		}
		s = ctl_pol_yaml_str(y, k, keyname);
		if (!s) {
			r = -EINVAL;
			break;
		}
		r = ctx_addrs(y, a, "addresses", 1, &c, &nc);
		if (!r)
			r = ctl_mud_context_add_addrs(arr, na, s, c, nc);
		free(c);
	}
	free(items);
	return r;
}

int
ctl_mud_context_load(const char *path, struct ctl_mud_context *ctx,
		char *err, size_t errlen)
{
	static const char *const keys[] = { "device", "local-networks",
		"my-controller", "controllers", "dns", "peers", "allow-dns",
		"default-deny", "signature", "comment", NULL };
	static const char *const dev_keys[] = { "mac", "mud-url",
		"manufacturer", NULL };
	static const char *const peer_keys[] = { "mac", "mud-url", NULL };
	static const char *const sig_keys[] = { "ca-file", "accept-unsigned",
		NULL };
	struct ctl_pol_yaml y;
	yaml_node_t *root, *v, *w;
	int r, b;

	memset(ctx, 0, sizeof(*ctx));
	r = ctl_pol_yaml_load_file(&y, path, err, errlen);
	if (r)
		goto out;
	root = ctl_pol_yaml_root(&y);
	r = ctl_pol_yaml_keys(&y, root, "the MUD context", keys);
	if (r)
		goto out;
	v = ctl_pol_yaml_get(&y, root, "device");
	if (v) {
		const char *s;

		r = ctl_pol_yaml_keys(&y, v, "device", dev_keys);
		if (r)
			goto out;
		w = ctl_pol_yaml_get(&y, v, "mac");
		if (w) {
			s = ctl_pol_yaml_str(&y, w, "mac");
			if (!s || util_mac_parse(s, ctx->device_mac)) {
				r = ctl_pol_yaml_err(&y, w, "not a MAC "
					"address");
				goto out;
			}
			ctx->has_mac = 1;
		}
		w = ctl_pol_yaml_get(&y, v, "mud-url");
		if (w) {
			s = ctl_pol_yaml_str(&y, w, "mud-url");
			if (!s || !(ctx->mud_url = strdup(s))) {
				r = s ? -ENOMEM : -EINVAL;
				goto out;
			}
		}
		w = ctl_pol_yaml_get(&y, v, "manufacturer");
		if (w) {
			s = ctl_pol_yaml_str(&y, w, "manufacturer");
			if (!s || !(ctx->authority = strdup(s))) {
				r = s ? -ENOMEM : -EINVAL;
				goto out;
			}
		}
	}
	v = ctl_pol_yaml_get(&y, root, "local-networks");
	if (v && (r = ctx_addrs(&y, v, "local-networks", 0, &ctx->local_nets,
			&ctx->n_local_nets)))
		goto out;
	v = ctl_pol_yaml_get(&y, root, "my-controller");
	if (v && (r = ctx_addrs(&y, v, "my-controller", 1,
			&ctx->my_controllers, &ctx->n_my_controllers)))
		goto out;
	v = ctl_pol_yaml_get(&y, root, "controllers");
	if (v && (r = ctx_named_addrs(&y, v, "controllers", "uri",
			&ctx->controllers, &ctx->n_controllers)))
		goto out;
	v = ctl_pol_yaml_get(&y, root, "dns");
	if (v && (r = ctx_named_addrs(&y, v, "dns", "name", &ctx->dns,
			&ctx->n_dns)))
		goto out;
	v = ctl_pol_yaml_get(&y, root, "peers");
	if (v) {
		yaml_node_t **items;
		size_t cnt, i;

		if (v->type != YAML_SEQUENCE_NODE) {
			r = ctl_pol_yaml_err(&y, v, "peers must be a list");
			goto out;
		}
		cnt = ctl_pol_yaml_list(&y, v, &items);
		for (i = 0; i < cnt && !r; i++) {
			yaml_node_t *m, *u;
			const char *ms, *us;
			uint8_t mac[6];

			r = ctl_pol_yaml_keys(&y, items[i], "peer", peer_keys);
			if (r)
				break;
			m = ctl_pol_yaml_get(&y, items[i], "mac");
			u = ctl_pol_yaml_get(&y, items[i], "mud-url");
			if (!m || !u) {
				r = ctl_pol_yaml_err(&y, items[i], "peer needs "
					"mac and mud-url");
				break;
			}
			ms = ctl_pol_yaml_str(&y, m, "mac");
			us = ctl_pol_yaml_str(&y, u, "mud-url");
			if (!ms || !us) {
				r = -EINVAL;
				break;
			}
			if (util_mac_parse(ms, mac)) {
				r = ctl_pol_yaml_err(&y, m, "not a MAC "
					"address");
				break;
			}
			r = ctl_mud_context_add_peer(ctx, mac, us);
		}
		free(items);
		if (r)
			goto out;
	}
	v = ctl_pol_yaml_get(&y, root, "allow-dns");
	if (v) {
		r = ctl_pol_yaml_bool(&y, v, &b);
		if (r)
			goto out;
		ctx->allow_dns = b;
	}
	v = ctl_pol_yaml_get(&y, root, "default-deny");
	if (v) {
		r = ctl_pol_yaml_bool(&y, v, &b);
		if (r)
			goto out;
		ctx->no_default_deny = !b;
	}
	v = ctl_pol_yaml_get(&y, root, "signature");
	if (v) {
		r = ctl_pol_yaml_keys(&y, v, "signature", sig_keys);
		if (r)
			goto out;
		w = ctl_pol_yaml_get(&y, v, "ca-file");
		if (w) {
			const char *s = ctl_pol_yaml_str(&y, w, "ca-file");

			if (!s || !(ctx->ca_file = strdup(s))) {
				r = s ? -ENOMEM : -EINVAL;
				goto out;
			}
		}
		w = ctl_pol_yaml_get(&y, v, "accept-unsigned");
		if (w) {
			r = ctl_pol_yaml_bool(&y, w, &b);
			if (r)
				goto out;
			ctx->accept_unsigned = b;
		}
	}
	r = 0;
out:
	if (r == -ENOMEM && err && errlen)
		snprintf(err, errlen, "%s: out of memory", path);
	ctl_pol_yaml_free(&y);
	if (r)
		ctl_mud_context_free(ctx);
	return r;
}
