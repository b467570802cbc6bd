/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Context, dispatch by transport/port, and the pre-filter. */

#include <errno.h>
#include <stdlib.h>

#include "fp_internal.h"

struct fp_ctx {
	struct fp_config cfg;
	struct fp_tcp_table *tcp;
	struct fp_quic_table *quic;
	struct fp_obs obs;	/* scratch handed to callbacks */
	uint64_t frames, malformed, observations;
};

static const char *const kind_names[FP_OBS__MAX] = {
	[FP_OBS_TLS] = "tls",
	[FP_OBS_QUIC] = "quic",
	[FP_OBS_DHCP] = "dhcp",
	[FP_OBS_DHCPV6] = "dhcpv6",
	[FP_OBS_TCP_SYN] = "tcp_syn",
	[FP_OBS_TCP_SYNACK] = "tcp_synack",
	[FP_OBS_DNS_QUERY] = "dns_query",
	[FP_OBS_DNS_ANSWER] = "dns_answer",
	[FP_OBS_MDNS] = "mdns",
	[FP_OBS_SSDP] = "ssdp",
	[FP_OBS_HTTP] = "http",
	[FP_OBS_LLDP] = "lldp",
	[FP_OBS_DISCOVERY] = "discovery",
};

const char *fp_obs_kind_name(enum fp_obs_kind kind)
{
	if ((unsigned int)kind >= FP_OBS__MAX)
		return "unknown";
	return kind_names[kind];
}

void fp_str_set(struct fp_str *dst, const uint8_t *src, size_t len)
{
	if (len > FP_STR_MAX - 1)
		len = FP_STR_MAX - 1;
	memcpy(dst->s, src, len);
	dst->s[len] = '\0';
	dst->len = (uint16_t)len;
}

void fp_cstr_set(char *dst, size_t cap, const uint8_t *src, size_t len)
{
	if (cap == 0)
		return;
	if (len > cap - 1)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

struct fp_ctx *fp_ctx_create(const struct fp_config *cfg)
{
	struct fp_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	if (cfg)
		ctx->cfg = *cfg;
	if (!ctx->cfg.tcp_flows)
		ctx->cfg.tcp_flows = 4096;
	if (!ctx->cfg.tcp_buf)
		ctx->cfg.tcp_buf = 16384;
	if (!ctx->cfg.tcp_buffers)
		ctx->cfg.tcp_buffers = 256;
	if (!ctx->cfg.quic_flows)
		ctx->cfg.quic_flows = 256;
	if (!ctx->cfg.flow_timeout_us)
		ctx->cfg.flow_timeout_us = 30ull * 1000000;
	ctx->tcp = fp_tcp_table_create(ctx->cfg.tcp_flows, ctx->cfg.tcp_buf,
			ctx->cfg.tcp_buffers, ctx->cfg.flow_timeout_us);
	ctx->quic = fp_quic_table_create(ctx->cfg.quic_flows,
			ctx->cfg.flow_timeout_us);
	if (!ctx->tcp || !ctx->quic) {
		fp_ctx_destroy(ctx);
		return NULL;
	}
	return ctx;
}

void fp_ctx_destroy(struct fp_ctx *ctx)
{
	if (!ctx)
		return;
	fp_tcp_table_destroy(ctx->tcp);
	fp_quic_table_destroy(ctx->quic);
	free(ctx);
}

void fp_ctx_stats(const struct fp_ctx *ctx, struct fp_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->frames = ctx->frames;
	st->malformed = ctx->malformed;
	st->observations = ctx->observations;
	fp_tcp_stats(ctx->tcp, st);
	fp_quic_stats(ctx->quic, st);
}

void fp_ctx_expire(struct fp_ctx *ctx, uint64_t now_us)
{
	fp_tcp_table_expire(ctx->tcp, now_us);
	fp_quic_table_expire(ctx->quic, now_us);
}

struct fp_obs *fp_obs_begin(struct fp_emit *em, const struct fp_pkt *pk,
		enum fp_obs_kind kind)
{
	struct fp_obs *o = &em->ctx->obs;

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->ts_us = pk->ts_us;
	o->has_mac = pk->has_mac;
	memcpy(o->mac, pk->src_mac, 6);
	memcpy(o->dst_mac, pk->dst_mac, 6);
	o->vlan = pk->vlan;
	o->src = pk->src;
	o->dst = pk->dst;
	o->sport = pk->sport;
	o->dport = pk->dport;
	return o;
}

void fp_obs_deliver(struct fp_emit *em, struct fp_obs *obs)
{
	em->count++;
	em->ctx->observations++;
	if (em->cb)
		em->cb(obs, em->arg);
}

static bool port(const struct fp_pkt *pk, uint16_t p)
{
	return pk->sport == p || pk->dport == p;
}

static void dispatch(struct fp_ctx *ctx, const struct fp_pkt *pk,
		struct fp_emit *em)
{
	if (pk->frag || !pk->pay)
		return;
	if (pk->proto == 17) {
		if (port(pk, 67) || port(pk, 68))
			fp_dhcp_process(pk, em);
		else if (port(pk, 546) || port(pk, 547))
			fp_dhcpv6_process(pk, em);
		else if (port(pk, 5353))
			fp_dns_process(pk, pk->pay, pk->pay_len, true, em);
		else if (port(pk, 53) || port(pk, 5355))
			fp_dns_process(pk, pk->pay, pk->pay_len, false, em);
		else if (port(pk, 1900))
			fp_ssdp_process(pk, em);
		else if (!fp_disc_process(pk, em))
			fp_quic_process(ctx->quic, pk, em);
	} else if (pk->proto == 6) {
		fp_tcp_process(ctx->tcp, pk, em);
	}
}

/* After decoding (@rc): a malformed packet is counted, the rest observed. */
static int process(struct fp_ctx *ctx, struct fp_pkt *pk, struct fp_emit *em,
		int rc)
{
	if (rc == -EPROTONOSUPPORT)
		return 0;
	if (rc < 0) {
		ctx->malformed++;
		return rc;
	}
	if (pk->ethertype == FP_ETH_P_LLDP) {
		fp_lldp_process(pk, em);
		if (em->ctx_malformed) {
			ctx->malformed++;
			return -EINVAL;
		}
		return em->count;
	}
	dispatch(ctx, pk, em);
	return em->count;
}

int fp_process_frame(struct fp_ctx *ctx, const uint8_t *frame, size_t len,
		uint64_t ts_us, fp_observation_cb cb, void *arg)
{
	struct fp_emit em = { .ctx = ctx, .cb = cb, .arg = arg };
	struct fp_pkt pk;

	memset(&pk, 0, sizeof(pk));
	pk.ts_us = ts_us;
	ctx->frames++;
	return process(ctx, &pk, &em, fp_decode_eth(frame, len, &pk));
}

int fp_process_ip(struct fp_ctx *ctx, const uint8_t *ip, size_t len,
		const uint8_t *src_mac, uint64_t ts_us,
		fp_observation_cb cb, void *arg)
{
	struct fp_emit em = { .ctx = ctx, .cb = cb, .arg = arg };
	struct fp_pkt pk;

	memset(&pk, 0, sizeof(pk));
	pk.ts_us = ts_us;
	if (src_mac) {
		pk.has_mac = true;
		memcpy(pk.src_mac, src_mac, 6);
	}
	ctx->frames++;
	/* fp_decode_ip() leaves ethertype 0: never LLDP */
	return process(ctx, &pk, &em, fp_decode_ip(ip, len, &pk));
}

int fp_frame_addrs(const uint8_t *frame, size_t len, uint8_t src[6],
		uint8_t dst[6], struct fp_addr *src_ip, struct fp_addr *dst_ip)
{
	struct fp_pkt pk;
	int rc;

	if (len < 14)
		return -EINVAL;
	memset(&pk, 0, sizeof(pk));
	rc = fp_decode_eth(frame, len, &pk);	/* IP may be malformed */
	memcpy(dst, frame, 6);
	memcpy(src, frame + 6, 6);
	*src_ip = rc == 0 ? pk.src : (struct fp_addr){ 0 };
	*dst_ip = rc == 0 ? pk.dst : (struct fp_addr){ 0 };
	return 0;
}

int fp_packet_addrs(const uint8_t *ip, size_t len, struct fp_addr *src_ip,
		struct fp_addr *dst_ip)
{
	struct fp_pkt pk;
	int rc;

	memset(&pk, 0, sizeof(pk));
	rc = fp_decode_ip(ip, len, &pk);
	if (rc < 0) {
		*src_ip = *dst_ip = (struct fp_addr){ 0 };
		return rc;
	}
	*src_ip = pk.src;
	*dst_ip = pk.dst;
	return 0;
}

static bool http_start(const uint8_t *p, size_t n)
{
	return n >= 4 && (!memcmp(p, "GET ", 4) || !memcmp(p, "POST", 4) ||
			!memcmp(p, "HEAD", 4) || !memcmp(p, "PUT ", 4) ||
			!memcmp(p, "OPTI", 4) || !memcmp(p, "CONN", 4) ||
			!memcmp(p, "DELE", 4) || !memcmp(p, "PATC", 4));
}

int fp_interest(const uint8_t *frame, size_t len)
{
	struct fp_pkt pk;

	memset(&pk, 0, sizeof(pk));
	if (fp_decode_eth(frame, len, &pk) < 0)
		return 0;
	if (pk.ethertype == FP_ETH_P_LLDP)
		return FP_INTEREST_YES;
	if (pk.frag || !pk.pay)
		return 0;
	if (pk.proto == 17) {
		if (port(&pk, 67) || port(&pk, 68) || port(&pk, 546) ||
				port(&pk, 547) || port(&pk, 53) ||
				port(&pk, 5353) || port(&pk, 5355) ||
				port(&pk, 1900) || pk.sport == 9999 ||
				pk.sport == 2081 ||
				port(&pk, 10001) || pk.dport == 6666 ||
				pk.dport == 6667 || port(&pk, 23272))
			return FP_INTEREST_YES;
		if (pk.pay_len >= 7 && (pk.pay[0] & 0x80) &&
				(fp_rd32(pk.pay + 1) == 1 ||
				 fp_rd32(pk.pay + 1) == 0x6b3343cfu))
			return FP_INTEREST_YES;	/* QUIC long header */
		return 0;
	}
	if (pk.proto != 6)
		return 0;
	if (pk.tcp_flags & 0x02)
		return FP_INTEREST_YES;
	if (pk.pay_len == 0)
		return 0;
	if (port(&pk, 53) || http_start(pk.pay, pk.pay_len) ||
			(pk.pay_len >= 7 && !memcmp(pk.pay, "HTTP/1.", 7)) ||
			(pk.pay_len >= 6 && pk.pay[0] == 22 && pk.pay[1] == 3) ||
			fp_tls_sslv2_start(pk.pay, pk.pay_len) ||
			pk.sport == 9999 || pk.sport == 2081)
		return FP_INTEREST_YES;
	return FP_INTEREST_FLOW_START;
}
