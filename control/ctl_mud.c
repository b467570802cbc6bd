/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * MUD (RFC 8520, ACLs per RFC 8519) -> Cordon rules. Reading one ACE is
 * in ctl_mud_ace.c, signatures in ctl_mud_sig.c, the deployment context
 * in ctl_mud_context.c.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_mud_impl.h"
#include "util_err.h"
#include "util_file.h"
#include "util_mac.h"

#define MAX_REMOTES 4096

void
ctl_mud_err(struct ctl_mud_state *st, const char *path, const char *fmt, ...)
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

int
ctl_mud_want_object(struct ctl_mud_state *st, const json_t *v,
		    const char *path, const char *what)
{
	if (json_is_object(v))
		return 0;
	ctl_mud_err(st, path, "%s%smust be an object", what,
		    what[0] != '\0' ? " " : "");
	return -EINVAL;
}

void
ctl_mud_note(struct ctl_mud_state *st, const char *path, const char *what)
{
	if (st->res->note[0] == '\0')
		util_err_set(st->res->note, sizeof(st->res->note), "%s: %s",
			    path, what);
}

json_t *
ctl_mud_jget(const json_t *o, const char *const *keys)
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

const char *
ctl_mud_unprefix(const char *s)
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
add_peers(struct ctl_mud_state *st, struct remote_list *rl, const char *host,
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
resolve_remote(struct ctl_mud_state *st, const struct ctl_mud_ace *a,
		enum ctl_mud_dir d, struct remote_list *rl)
{
	const struct ctl_mud_context *ctx = st->ctx;
	const char *dns = d == CTL_MUD_FROM_DEVICE ? a->dst_dns : a->src_dns;
	int has_net = d == CTL_MUD_FROM_DEVICE ? a->has_dst_net :
		a->has_src_net;
	const struct ctl_cidr *net = d == CTL_MUD_FROM_DEVICE ? &a->dst_net :
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
emit_ace(struct ctl_mud_state *st, const struct ctl_mud_ace *a,
		enum ctl_mud_dir d, const char *acl, const char *ace_name,
		const char *path)
{
	struct remote_list rl = { NULL, 0 };
	const struct ctl_port_range *pr;
	Cordon__Initiator ini;
	char comment[256];
	bool remote;
	size_t i;
	int n, r;

	/*
	 * See the table at the top. The remote initiates when the ACE says
	 * the other direction, or says none but has only source ports: the
	 * rule's initiator is then the other side, and its ports the source
	 * ports.
	 */
	remote = a->dir >= 0 ? a->dir != (int)d : a->n_sp && !a->n_dp;
	ini = (d == CTL_MUD_FROM_DEVICE) != remote ?
		CORDON__INITIATOR__INITIATOR_SRC :
		CORDON__INITIATOR__INITIATOR_DST;
	pr = remote ? a->sp : a->dp;
	n = remote ? a->n_sp : a->n_dp;
	/* The initiator's own port cannot be matched. */
	if ((pr == a->sp && a->n_dp) || (pr == a->dp && a->n_sp))
		st->res->n_widened++, ctl_mud_note(st, path, "initiator port "
						   "match not enforced");
	if (a->widened) {
		st->res->n_widened++;
		ctl_mud_note(st, path, "icmp type/code, tcp flags or other "
			     "header match not enforced");
	}
	if ((d == CTL_MUD_FROM_DEVICE && (a->has_src_net || a->src_dns)) ||
			(d == CTL_MUD_TO_DEVICE && (a->has_dst_net || a->dst_dns))) {
		st->res->n_widened++;
		ctl_mud_note(st, path, "the device's own address is not "
			     "matched");
	}
	r = resolve_remote(st, a, d, &rl);
	if (r == -E2BIG) {
		ctl_mud_err(st, path, "too many remote endpoints");
		r = -EINVAL;
		goto out;
	}
	if (r)
		goto out;
	if (rl.n == 0) {
		st->res->n_unresolved++;
		ctl_mud_note(st, path, "no context for this rule class: "
			     "nothing allowed");
		goto out;
	}
	util_err_set(comment, sizeof(comment), "mud %s/%s", acl, ace_name);
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
	const char *t = json_string_value(CTL_MUD_JGET(acl, "type",
						       "acl-type"));

	if (!t)
		return 0;
	t = ctl_mud_unprefix(t);
	if (!strncmp(t, "ipv4", 4))
		return 4;
	if (!strncmp(t, "ipv6", 4))
		return 6;
	return -1;
}

static int
compile_acl(struct ctl_mud_state *st, const json_t *acl, const char *path,
		enum ctl_mud_dir d)
{
	const char *acl_name = json_string_value(CTL_MUD_JGET(acl, "name",
		"acl-name"));
	const json_t *aces = CTL_MUD_JGET(acl, "aces", "access-list-entries");
	const json_t *list;
	char p[CTL_MUD_PATH_MAX];
	size_t i;
	int fam = acl_family(acl);

	if (fam < 0) {
		ctl_mud_err(st, path, "ACL type is not ipv4 or ipv6 (eth ACLs "
			    "are not supported)");
		return -EINVAL;
	}
	list = CTL_MUD_JGET(aces, "ace", "access-list-entry");
	if (!aces || !json_is_array(list)) {
		ctl_mud_err(st, path, "ACL has no aces.ace list");
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *e = json_array_get(list, i);
		const char *ace_name;
		struct ctl_mud_ace a;
		int r;

		util_err_set(p, sizeof(p), "%s.aces.ace[%zu]", path, i);
		if (ctl_mud_want_object(st, e, p, "ACE"))
			return -EINVAL;
		st->res->n_aces++;
		if (ctl_mud_ace_parse(st, e, p, fam, &a, &ace_name))
			return -EINVAL;
		r = emit_ace(st, &a, d, acl_name ? acl_name : "?", ace_name,
			p);
		if (r)
			return r;
	}
	return 0;
}

static int
compile_policy_dir(struct ctl_mud_state *st, const json_t *mud,
		const json_t *acls, const char *acls_key, enum ctl_mud_dir d)
{
	const char *key = d == CTL_MUD_FROM_DEVICE ? "from-device-policy" :
		"to-device-policy";
	const json_t *pol = json_object_get(mud, key);
	const json_t *names;
	char p[CTL_MUD_PATH_MAX];
	size_t i, j;

	if (!pol)
		return 0;
	names = CTL_MUD_JGET(CTL_MUD_JGET(pol, "access-lists"), "access-list");
	if (!json_is_array(names)) {
		util_err_set(p, sizeof(p), "$.ietf-mud:mud.%s", key);
		ctl_mud_err(st, p, "has no access-lists.access-list list");
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(names); i++) {
		const char *n = json_string_value(CTL_MUD_JGET(
			json_array_get(names, i), "name", "acl-name"));
		int found = 0;

		util_err_set(p, sizeof(p),
			    "$.ietf-mud:mud.%s.access-lists.access-list[%zu]",
			    key, i);
		if (!n) {
			ctl_mud_err(st, p, "access-list entry has no name");
			return -EINVAL;
		}
		for (j = 0; j < json_array_size(acls); j++) {
			const json_t *acl = json_array_get(acls, j);
			const char *an = json_string_value(CTL_MUD_JGET(acl, "name",
				"acl-name"));
			int r;

			if (!an || strcmp(an, n))
				continue;
			util_err_set(p, sizeof(p), "$.%s.acl[%zu]", acls_key, j);
			r = compile_acl(st, acl, p, d);
			if (r)
				return r;
			found = 1;
			break;
		}
		if (!found) {
			ctl_mud_err(st, p, "ACL \"%s\" is not defined", n);
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
	struct ctl_mud_state st;
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
		ctl_mud_err(&st, "$", "JSON nested deeper than %d levels",
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
		ctl_mud_err(&st, "$", "JSON nested too deeply");
		goto out;
	}
	mud = json_object_get(root, "ietf-mud:mud");
	if (!json_is_object(mud)) {
		ctl_mud_err(&st, "$", "no \"ietf-mud:mud\" object: not a MUD "
			    "file");
		goto out;
	}
	{
		const char *u = json_string_value(json_object_get(mud,
			"mud-url"));

		if (!u) {
			ctl_mud_err(&st, "$.ietf-mud:mud", "no \"mud-url\" "
				    "string");
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
		ctl_mud_err(&st, "$", "policies name ACLs but there is no "
			    "\"ietf-access-control-list:acls\".acl list");
		goto out;
	}
	if (acls && !json_is_array(acls)) {
		ctl_mud_err(&st, acls_key, "\"acl\" must be a list");
		goto out;
	}
	st.tmp = ctl_cmp_policy_new();
	if (!st.tmp) {
		r = -ENOMEM;
		goto out;
	}
	r = compile_policy_dir(&st, mud, acls, acls_key, CTL_MUD_FROM_DEVICE);
	if (!r)
		r = compile_policy_dir(&st, mud, acls, acls_key,
				       CTL_MUD_TO_DEVICE);
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

/* MUD URL -> file. */

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

