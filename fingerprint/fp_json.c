/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_behav.h"
#include "fp_json.h"
#include "fp_tls.h"
#include "util_mac.h"

/* Length of a valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t l;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		l = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		l = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		l = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (l > n)
		return 0;
	for (size_t i = 1; i < l; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) ||
			(l == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
			(cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return l;
}

size_t fp_utf8_clean(char *out, size_t cap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len && k + 1 < cap;) {
		size_t l = utf8_len(p + i, len - i);

		if (l == 0 || p[i] < 0x20 || p[i] == 0x7f) {
			if (p[i] >= 0x20 && p[i] != 0x7f)
				out[k++] = '?';
			i++;
			continue;
		}
		if (k + l >= cap)
			break;
		memcpy(out + k, p + i, l);
		k += l;
		i += l;
	}
	out[k] = '\0';
	return k;
}

json_t *fp_json_string(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *buf;
	size_t k = 0;
	json_t *j;

	buf = malloc(len * 4 + 1);
	if (!buf)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t l = utf8_len(p + i, len - i);

		if (l == 0) {
			k += (size_t)snprintf(buf + k, 5, "\\x%02x", p[i]);
			i++;
			continue;
		}
		memcpy(buf + k, p + i, l);
		k += l;
		i += l;
	}
	j = json_stringn(buf, k);
	free(buf);
	return j;
}

static json_t *jstr(const char *s)
{
	return fp_json_string(s, strlen(s));
}

static json_t *jfs(const struct fp_str *s)
{
	return fp_json_string(s->s, s->len);
}

void fp_json_addr(char *out, size_t cap, const struct fp_addr *a)
{
	if (a->family == 4)
		inet_ntop(AF_INET, a->a, out, (socklen_t)cap);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->a, out, (socklen_t)cap);
	else if (cap)
		out[0] = '\0';
}

static json_t *jaddr(const struct fp_addr *a)
{
	char b[64];

	fp_json_addr(b, sizeof(b), a);
	return json_string(b);
}

static void set(json_t *o, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(o, k, v);
}

static void set_str_nonempty(json_t *o, const char *k, const char *v)
{
	if (v[0])
		set(o, k, jstr(v));
}

static void set_fs(json_t *o, const char *k, const struct fp_str *s)
{
	if (s->len)
		set(o, k, jfs(s));
}

static void tls_fields(json_t *o, const struct fp_tls *t)
{
	json_t *a = json_array(), *v = json_array();

	set(o, "ja4", json_string(t->ja4));
	set(o, "ja4_r", json_string(t->ja4_r));
	set(o, "ja4_o", json_string(t->ja4_o));
	set(o, "ja4_ro", json_string(t->ja4_ro));
	set(o, "ja3", json_string(t->ja3));
	set(o, "ja3_string", json_string(t->ja3_string));
	set(o, "sni", jfs(&t->sni));
	for (int i = 0; i < t->n_alpn; i++)
		json_array_append_new(a, jfs(&t->alpn[i]));
	set(o, "alpn", a);
	if (t->flags)
		set(o, "obsolete", fp_json_tls_flags(t->flags));
	for (int i = 0; i < t->n_versions; i++) {
		char b[8];

		snprintf(b, sizeof(b), "%04x", t->versions[i]);
		json_array_append_new(v, json_string(b));
	}
	set(o, "supported_versions", v);
	set(o, "tls_version", json_integer(t->legacy_version));
}

static json_t *ip4(const uint8_t *a)
{
	struct fp_addr x = { .family = 4 };

	memcpy(x.a, a, 4);
	return jaddr(&x);
}

static void dhcp_fields(json_t *o, const struct fp_dhcp *d)
{
	json_t *opts = json_array();
	char pl[255 * 4 + 1], mac[18];
	size_t k = 0;

	set(o, "msg_type", json_integer(d->msg_type));
	set(o, "op", json_integer(d->op));
	set(o, "xid", json_integer(d->xid));
	util_mac_format(d->client_mac, mac);
	set(o, "client_mac", json_string(mac));
	for (int i = 0; i < d->n_options; i++)
		json_array_append_new(opts, json_integer(d->options[i]));
	set(o, "options", opts);
	pl[0] = '\0';
	for (int i = 0; i < d->n_params; i++)
		k += (size_t)snprintf(pl + k, sizeof(pl) - k, "%s%u",
				i ? "," : "", d->params[i]);
	set(o, "param_list", json_string(pl));
	set_fs(o, "vendor_class", &d->vendor_class);
	set_fs(o, "hostname", &d->hostname);
	if (d->client_id.len) {
		char hex[FP_STR_MAX * 3];

		k = 0;
		for (int i = 0; i < d->client_id.len; i++)
			k += (size_t)snprintf(hex + k, sizeof(hex) - k,
					"%s%02x", i ? ":" : "",
					(uint8_t)d->client_id.s[i]);
		set(o, "client_id", json_string(hex));
	}
	set_fs(o, "fqdn", &d->fqdn);
	set_fs(o, "mud_url", &d->mud_url);
	if (d->max_msg_size)
		set(o, "max_msg_size", json_integer(d->max_msg_size));
	if (d->has_requested_addr)
		set(o, "requested_addr", ip4(d->requested_addr));
	if (d->lease_time)
		set(o, "lease_time", json_integer(d->lease_time));
	set(o, "ciaddr", ip4(d->ciaddr));
	set(o, "yiaddr", ip4(d->yiaddr));
	if (d->n_routers) {
		json_t *r = json_array();

		for (int i = 0; i < d->n_routers; i++)
			json_array_append_new(r, ip4(d->routers[i]));
		set(o, "routers", r);
	}
	if (d->n_dns) {
		json_t *r = json_array();

		for (int i = 0; i < d->n_dns; i++)
			json_array_append_new(r, ip4(d->dns[i]));
		set(o, "dns_servers", r);
	}
}

static void dhcpv6_fields(json_t *o, const struct fp_dhcpv6 *d)
{
	json_t *opts = json_array(), *oro = json_array();

	set(o, "msg_type", json_integer(d->msg_type));
	set(o, "xid", json_integer(d->xid));
	for (int i = 0; i < d->n_options; i++)
		json_array_append_new(opts, json_integer(d->options[i]));
	set(o, "options", opts);
	for (int i = 0; i < d->n_oro; i++)
		json_array_append_new(oro, json_integer(d->oro[i]));
	set(o, "oro", oro);
	if (d->vendor_class.len || d->vendor_enterprise) {
		set(o, "vendor_enterprise", json_integer(d->vendor_enterprise));
		set(o, "vendor_class", jfs(&d->vendor_class));
	}
	set_fs(o, "mud_url", &d->mud_url);
	set_fs(o, "fqdn", &d->fqdn);
}

static void lldp_fields(json_t *o, const struct fp_lldp *l)
{
	set(o, "chassis_subtype", json_integer(l->chassis_subtype));
	set(o, "chassis_id", jfs(&l->chassis_id));
	set(o, "port_subtype", json_integer(l->port_subtype));
	set(o, "port_id", jfs(&l->port_id));
	set(o, "ttl", json_integer(l->ttl));
	set_fs(o, "system_name", &l->system_name);
	set_fs(o, "system_desc", &l->system_desc);
	set_fs(o, "mud_url", &l->mud_url);
	if (l->caps || l->caps_enabled) {
		set(o, "caps", json_integer(l->caps));
		set(o, "caps_enabled", json_integer(l->caps_enabled));
	}
}

static void disc_fields(json_t *o, const struct fp_disc *d)
{
	json_t *a = json_array();

	set(o, "proto", json_string(d->proto));
	for (int i = 0; i < d->n; i++)
		json_array_append_new(a, jstr(d->item[i]));
	set(o, "items", a);
}

/* The names fp_tls flags are reported under. */
json_t *fp_json_tls_flags(uint8_t f)
{
	const char *names[8];
	size_t n = fp_tls_flag_names(f, names, 8);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static const char *rr_type(uint16_t t)
{
	switch (t) {
	case 1: return "A";
	case 2: return "NS";
	case 5: return "CNAME";
	case 6: return "SOA";
	case 12: return "PTR";
	case 15: return "MX";
	case 16: return "TXT";
	case 28: return "AAAA";
	case 33: return "SRV";
	case 41: return "OPT";
	case 47: return "NSEC";
	case 65: return "HTTPS";
	case 255: return "ANY";
	default: return NULL;
	}
}

static json_t *jtype(uint16_t t)
{
	const char *n = rr_type(t);
	char b[16];

	if (n)
		return json_string(n);
	snprintf(b, sizeof(b), "TYPE%u", t);
	return json_string(b);
}

static json_t *rr_json(const struct fp_dns_rr *r, bool q)
{
	json_t *o = json_object();

	set(o, "name", jstr(r->name));
	set(o, "type", jtype(r->type));
	if (q)
		return o;
	set(o, "ttl", json_integer(r->ttl));
	if (r->addr.family)
		set(o, "data", jaddr(&r->addr));
	else if (r->data[0])
		set(o, "data", jstr(r->data));
	return o;
}

static void dns_fields(json_t *o, const struct fp_dns *d, bool mdns)
{
	json_t *qs = json_array(), *an = json_array();

	set(o, "id", json_integer(d->id));
	set(o, "rcode", json_integer(d->rcode));
	set(o, "opcode", json_integer(d->opcode));
	if (d->n_q) {
		set(o, "name", jstr(d->q[0].name));
		set(o, "type", jtype(d->q[0].type));
	}
	for (int i = 0; i < d->n_q; i++)
		json_array_append_new(qs, rr_json(&d->q[i], true));
	set(o, "queries", qs);
	for (int i = 0; i < d->n_rr; i++)
		if (d->rr[i].section == 1)
			json_array_append_new(an, rr_json(&d->rr[i], false));
	set(o, "answers", an);
	if (d->qr || mdns) {
		/* authority and additional records */
		json_t *add = json_array();

		for (int i = 0; i < d->n_rr; i++)
			if (d->rr[i].section != 1)
				json_array_append_new(add,
						rr_json(&d->rr[i], false));
		set(o, "additional", add);
	}
	if (mdns) {
		json_t *txt = json_array(), *svc = json_array();

		set(o, "response", json_boolean(d->qr));
		for (int i = 0; i < d->n_txt; i++)
			json_array_append_new(txt, jstr(d->txt[i]));
		set(o, "txt", txt);
		/* service instance names: PTR targets and SRV/TXT owners */
		for (int i = 0; i < d->n_rr; i++) {
			const struct fp_dns_rr *r = &d->rr[i];

			if (r->type == 12 && r->data[0] &&
					!strstr(r->name, "in-addr.arpa") &&
					!strstr(r->name, "ip6.arpa"))
				json_array_append_new(svc, jstr(r->data));
		}
		set(o, "services", svc);
	}
}

static void text_fields(json_t *o, const struct fp_text *t)
{
	set_str_nonempty(o, "method", t->method);
	set_str_nonempty(o, "uri", t->uri);
	set_str_nonempty(o, "status", t->status);
	set_str_nonempty(o, "host", t->host);
	set_str_nonempty(o, "user_agent", t->user_agent);
	set_str_nonempty(o, "server", t->server);
	set_str_nonempty(o, "st", t->st);
	set_str_nonempty(o, "nt", t->nt);
	set_str_nonempty(o, "usn", t->usn);
	set_str_nonempty(o, "location", t->location);
	set_str_nonempty(o, "manufacturer", t->manufacturer);
	set_str_nonempty(o, "model_name", t->model_name);
	set_str_nonempty(o, "model_number", t->model_number);
	set_str_nonempty(o, "model_description", t->model_desc);
	set_str_nonempty(o, "friendly_name", t->friendly_name);
	set_str_nonempty(o, "device_type", t->device_type);
	set_str_nonempty(o, "firmware", t->firmware);
}

json_t *fp_json_obs(const struct fp_obs *ob)
{
	json_t *o = json_object();
	char mac[18];

	if (!o)
		return NULL;
	set(o, "ts", json_real((double)ob->ts_us / 1e6));
	if (ob->has_mac) {
		util_mac_format(ob->mac, mac);
		set(o, "mac", json_string(mac));
	} else {
		set(o, "mac", json_null());	/* no link layer (e.g. loopback) */
	}
	set(o, "src", jaddr(&ob->src));
	set(o, "dst", jaddr(&ob->dst));
	set(o, "sport", json_integer(ob->sport));
	set(o, "dport", json_integer(ob->dport));
	if (ob->vlan)
		set(o, "vlan", json_integer(ob->vlan));
	set(o, "kind", json_string(fp_obs_kind_name(ob->kind)));
	switch (ob->kind) {
	case FP_OBS_TLS:
	case FP_OBS_QUIC:
		tls_fields(o, &ob->u.tls);
		break;
	case FP_OBS_DHCP:
		dhcp_fields(o, &ob->u.dhcp);
		break;
	case FP_OBS_DHCPV6:
		dhcpv6_fields(o, &ob->u.dhcpv6);
		break;
	case FP_OBS_TCP_SYN:
	case FP_OBS_TCP_SYNACK:
		set(o, "p0f", json_string(ob->u.tcp.p0f));
		break;
	case FP_OBS_DNS_QUERY:
	case FP_OBS_DNS_ANSWER:
		dns_fields(o, &ob->u.dns, false);
		break;
	case FP_OBS_MDNS:
		dns_fields(o, &ob->u.dns, true);
		break;
	case FP_OBS_SSDP:
	case FP_OBS_HTTP:
		text_fields(o, &ob->u.text);
		break;
	case FP_OBS_LLDP:
		lldp_fields(o, &ob->u.lldp);
		break;
	case FP_OBS_DISCOVERY:
		disc_fields(o, &ob->u.disc);
		break;
	default:
		break;
	}
	return o;
}

json_t *fp_json_behav(const struct fp_behav_summary *s)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	set(o, "start", json_real((double)s->start_us / 1e6));
	set(o, "interval", json_real((double)s->interval_us / 1e6));
	set(o, "flows", json_integer((json_int_t)s->flows));
	set(o, "pkts_out", json_integer((json_int_t)s->pkts_out));
	set(o, "pkts_in", json_integer((json_int_t)s->pkts_in));
	set(o, "bytes_out", json_integer((json_int_t)s->bytes_out));
	set(o, "bytes_in", json_integer((json_int_t)s->bytes_in));
	set(o, "denied", json_integer((json_int_t)s->denied));
	set(o, "distinct_dsts", json_integer(s->distinct_dsts));
	set(o, "distinct_ports", json_integer(s->distinct_ports));
	set(o, "distinct_approx", json_boolean(s->dsts_approx ||
				s->ports_approx));
	return o;
}
