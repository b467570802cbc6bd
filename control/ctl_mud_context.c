/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The deployment context of MUD files (format in examples/README.md). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "ctl_mud_context.h"
#include "ctl_yaml.h"
#include "util_file.h"
#include "util_mac.h"

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
ctx_addrs(struct ctl_yaml *y, yaml_node_t *n, const char *what,
		int allow_host, struct ctl_cidr **out, size_t *n_out)
{
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	if (n->type == YAML_MAPPING_NODE)
		return ctl_yaml_err(y, n, "%s must be a list of addresses",
				    what);
	cnt = ctl_yaml_list(y, n, &items);
	if (!cnt)
		return ctl_yaml_err(y, n, "%s is empty", what);
	*out = calloc(cnt, sizeof(**out));
	if (!*out) {
		free(items);
		return -ENOMEM;
	}
	for (i = 0; i < cnt && !r; i++) {
		const char *s = ctl_yaml_str(y, items[i], what);

		if (!s)
			r = -EINVAL;
		else if (ctl_cmp_parse_cidr(s, allow_host, &(*out)[i]))
			r = ctl_yaml_err(y, items[i], "%s: \"%s\" is not an "
					 "address or CIDR", what, s);
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
ctx_named_addrs(struct ctl_yaml *y, yaml_node_t *n, const char *what,
		const char *keyname, struct ctl_mud_addrs **arr, size_t *na)
{
	const char *const keys[] = { keyname, "addresses", NULL };
	yaml_node_t **items;
	size_t cnt, i;
	int r = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return ctl_yaml_err(y, n, "%s must be a list", what);
	cnt = ctl_yaml_list(y, n, &items);
	for (i = 0; i < cnt && !r; i++) {
		yaml_node_t *k, *a;
		struct ctl_cidr *c = NULL;
		size_t nc = 0;
		const char *s;

		r = ctl_yaml_keys(y, items[i], what, keys);
		if (r)
			break;
		k = ctl_yaml_get(y, items[i], keyname);
		a = ctl_yaml_get(y, items[i], "addresses");
		if (!k || !a) {
			r = ctl_yaml_err(y, items[i], "%s entry needs %s and "
					 "addresses", what, keyname);
			break;
		}
		s = ctl_yaml_str(y, k, keyname);
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

/* The string at key of map v, if any, copied to *out: 0, -EINVAL (not a
 * string, with the error in y) or -ENOMEM. */
static int
ctx_strdup(struct ctl_yaml *y, yaml_node_t *v, const char *key, char **out)
{
	yaml_node_t *w = ctl_yaml_get(y, v, key);
	const char *s;

	if (w == NULL)
		return 0;
	s = ctl_yaml_str(y, w, key);
	if (s == NULL)
		return -EINVAL;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* The boolean at key of map v, if any, in *b (left alone otherwise): 0 or
 * -EINVAL. */
static int
ctx_bool(struct ctl_yaml *y, yaml_node_t *v, const char *key, int *b)
{
	yaml_node_t *w = ctl_yaml_get(y, v, key);

	return w ? ctl_yaml_bool(y, w, b) : 0;
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
	struct ctl_yaml y;
	yaml_node_t *root, *v, *w;
	int r, b;

	memset(ctx, 0, sizeof(*ctx));
	r = ctl_yaml_load_file(&y, path, err, errlen);
	if (r)
		goto out;
	root = ctl_yaml_root(&y);
	r = ctl_yaml_keys(&y, root, "the MUD context", keys);
	if (r)
		goto out;
	v = ctl_yaml_get(&y, root, "device");
	if (v) {
		const char *s;

		r = ctl_yaml_keys(&y, v, "device", dev_keys);
		if (r)
			goto out;
		w = ctl_yaml_get(&y, v, "mac");
		if (w) {
			s = ctl_yaml_str(&y, w, "mac");
			if (!s || util_mac_parse(s, ctx->device_mac)) {
				r = ctl_yaml_err(&y, w, "not a MAC address");
				goto out;
			}
			ctx->has_mac = 1;
		}
		r = ctx_strdup(&y, v, "mud-url", &ctx->mud_url);
		if (r)
			goto out;
		r = ctx_strdup(&y, v, "manufacturer", &ctx->authority);
		if (r)
			goto out;
	}
	v = ctl_yaml_get(&y, root, "local-networks");
	if (v && (r = ctx_addrs(&y, v, "local-networks", 0, &ctx->local_nets,
			&ctx->n_local_nets)))
		goto out;
	v = ctl_yaml_get(&y, root, "my-controller");
	if (v && (r = ctx_addrs(&y, v, "my-controller", 1,
			&ctx->my_controllers, &ctx->n_my_controllers)))
		goto out;
	v = ctl_yaml_get(&y, root, "controllers");
	if (v && (r = ctx_named_addrs(&y, v, "controllers", "uri",
			&ctx->controllers, &ctx->n_controllers)))
		goto out;
	v = ctl_yaml_get(&y, root, "dns");
	if (v && (r = ctx_named_addrs(&y, v, "dns", "name", &ctx->dns,
			&ctx->n_dns)))
		goto out;
	v = ctl_yaml_get(&y, root, "peers");
	if (v) {
		yaml_node_t **items;
		size_t cnt, i;

		if (v->type != YAML_SEQUENCE_NODE) {
			r = ctl_yaml_err(&y, v, "peers must be a list");
			goto out;
		}
		cnt = ctl_yaml_list(&y, v, &items);
		for (i = 0; i < cnt && !r; i++) {
			yaml_node_t *m, *u;
			const char *ms, *us;
			uint8_t mac[6];

			r = ctl_yaml_keys(&y, items[i], "peer", peer_keys);
			if (r)
				break;
			m = ctl_yaml_get(&y, items[i], "mac");
			u = ctl_yaml_get(&y, items[i], "mud-url");
			if (!m || !u) {
				r = ctl_yaml_err(&y, items[i], "peer needs mac "
						 "and mud-url");
				break;
			}
			ms = ctl_yaml_str(&y, m, "mac");
			us = ctl_yaml_str(&y, u, "mud-url");
			if (!ms || !us) {
				r = -EINVAL;
				break;
			}
			if (util_mac_parse(ms, mac)) {
				r = ctl_yaml_err(&y, m, "not a MAC address");
				break;
			}
			r = ctl_mud_context_add_peer(ctx, mac, us);
		}
		free(items);
		if (r)
			goto out;
	}
	b = 1;
	if ((r = ctx_bool(&y, root, "allow-dns", &ctx->allow_dns)) ||
	    (r = ctx_bool(&y, root, "default-deny", &b)))
		goto out;
	ctx->no_default_deny = !b;
	v = ctl_yaml_get(&y, root, "signature");
	if (v && ((r = ctl_yaml_keys(&y, v, "signature", sig_keys)) ||
		  (r = ctx_strdup(&y, v, "ca-file", &ctx->ca_file)) ||
		  (r = ctx_bool(&y, v, "accept-unsigned",
				&ctx->accept_unsigned))))
		goto out;
	r = 0;
out:
	if (r == -ENOMEM && err && errlen)
		snprintf(err, errlen, "%s: out of memory", path);
	ctl_yaml_free(&y);
	if (r)
		ctl_mud_context_free(ctx);
	return r;
}
