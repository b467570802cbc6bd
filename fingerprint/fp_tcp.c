/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * TCP: SYN / SYN+ACK signatures and ClientHello reassembly.
 *
 * One fixed-size open-addressing table of client->server flows. A flow is
 * created by a SYN (to remember its MSS for the SYN+ACK signature, and its
 * ISN) or by a client segment that starts like a TLS ClientHello record.
 * Client bytes are written at their sequence offset into a per-flow buffer
 * (allocated only while a ClientHello is being collected, at most tcp_buf
 * bytes), with a short list of filled ranges, so out-of-order and
 * overlapping segments are fine. Records are walked from the start of the
 * stream: a handshake message may span records, a record may span segments.
 * Up to four ClientHellos per flow are reported (HelloRetryRequest,
 * renegotiation in the clear).
 */

#include <errno.h>
#include <stdlib.h>

#include "fp_internal.h"
#include "fp_p0f.h"
#include "fp_range.h"
#include "fp_tls.h"
#include "util_hash.h"

#define PROBE 8
#define MAX_RANGES 8
#define MAX_CH_PER_FLOW 4
/* Client segments to look at for a ClientHello start (SOCKS, STARTTLS-like
 * preambles) before giving up on a flow. */
#define MAX_IDLE_SEGS 16

enum { TLS_IDLE, TLS_COLLECT, TLS_DONE };

struct tcp_flow {
	bool used;
	uint8_t family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint64_t last_us;
	/* p0f state */
	bool syn_seen, synack_done;
	uint32_t syn_seq;
	uint16_t syn_mss;
	/* ClientHello reassembly */
	uint8_t tls;
	bool base_set;
	uint8_t n_ch;
	uint8_t n_ranges;
	uint8_t idle_segs;	/* client segments seen before a ClientHello */
	bool dns;		/* DNS over TCP stream (port 53), not TLS */
	uint32_t base_seq;
	struct fp_range r[MAX_RANGES];
	uint8_t *buf;
};

struct fp_tcp_table {
	uint32_t slots, bufsz;
	uint32_t n_bufs, max_bufs;	/* ClientHello buffers alive */
	uint64_t timeout_us;
	struct tcp_flow *f;
	uint8_t *hs;		/* scratch: one handshake message */
	struct fp_tls_ch ch;
	uint64_t created, evicted, expired, dropped, refused;
};

struct fp_tcp_table *fp_tcp_table_create(uint32_t slots, uint32_t buf,
		uint32_t max_bufs, uint64_t timeout_us)
{
	struct fp_tcp_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->slots = slots ? slots : 1;
	t->bufsz = buf < 512 ? 512 : buf;
	t->max_bufs = max_bufs ? max_bufs : 1;
	t->timeout_us = timeout_us;
	t->f = calloc(t->slots, sizeof(*t->f));
	t->hs = malloc(t->bufsz);
	if (!t->f || !t->hs) {
		fp_tcp_table_destroy(t);
		return NULL;
	}
	return t;
}

static void buf_free(struct fp_tcp_table *t, struct tcp_flow *f)
{
	if (f->buf) {
		free(f->buf);
		f->buf = NULL;
		t->n_bufs--;
	}
}

static bool buf_alloc(struct fp_tcp_table *t, struct tcp_flow *f)
{
	if (t->n_bufs >= t->max_bufs) {
		t->refused++;
		return false;
	}
	f->buf = malloc(t->bufsz);
	if (!f->buf)
		return false;
	t->n_bufs++;
	return true;
}

static void flow_free(struct fp_tcp_table *t, struct tcp_flow *f)
{
	buf_free(t, f);
	memset(f, 0, sizeof(*f));
}

void fp_tcp_table_destroy(struct fp_tcp_table *t)
{
	if (!t)
		return;
	if (t->f)
		for (uint32_t i = 0; i < t->slots; i++)
			free(t->f[i].buf);
	free(t->f);
	free(t->hs);
	free(t);
}

static bool expired(const struct fp_tcp_table *t, const struct tcp_flow *f,
		uint64_t now)
{
	return t->timeout_us && now > f->last_us &&
		now - f->last_us > t->timeout_us;
}

void fp_tcp_table_expire(struct fp_tcp_table *t, uint64_t now_us)
{
	for (uint32_t i = 0; i < t->slots; i++) {
		if (t->f[i].used && expired(t, &t->f[i], now_us)) {
			flow_free(t, &t->f[i]);
			t->expired++;
		}
	}
}

void fp_tcp_stats(const struct fp_tcp_table *t, struct fp_stats *st)
{
	st->tcp_flows_created = t->created;
	st->tcp_flows_evicted = t->evicted;
	st->tcp_flows_expired = t->expired;
	st->tcp_bytes_dropped = t->dropped;
	st->tcp_buffers_refused = t->refused;
}

static uint32_t key_hash(uint8_t fam, const uint8_t *s, const uint8_t *d,
		uint16_t sp, uint16_t dp)
{
	const uint8_t ports[4] = { sp >> 8, sp & 0xff, dp >> 8, dp & 0xff };
	size_t n = fam == 4 ? 4 : 16;
	uint32_t h = util_hash_fnv32(UTIL_HASH_FNV32_INIT, s, n);

	h = util_hash_fnv32(h, d, n);
	return util_hash_fnv32(h, ports, sizeof(ports));
}

static bool key_eq(const struct tcp_flow *f, uint8_t fam, const uint8_t *s,
		const uint8_t *d, uint16_t sp, uint16_t dp)
{
	size_t n = fam == 4 ? 4 : 16;

	return f->used && f->family == fam && f->sport == sp &&
		f->dport == dp && !memcmp(f->src, s, n) &&
		!memcmp(f->dst, d, n);
}

/* Find a flow; with create, make one (evicting the stalest in the probe
 * window when all are busy). */
static struct tcp_flow *flow_get(struct fp_tcp_table *t, uint8_t fam,
		const uint8_t *s, const uint8_t *d, uint16_t sp, uint16_t dp,
		uint64_t now, bool create)
{
	uint32_t h = key_hash(fam, s, d, sp, dp);
	struct tcp_flow *victim = NULL;
	size_t n = fam == 4 ? 4 : 16;

	for (uint32_t i = 0; i < PROBE && i < t->slots; i++) {
		struct tcp_flow *f = &t->f[(h + i) % t->slots];

		if (key_eq(f, fam, s, d, sp, dp)) {
			if (expired(t, f, now)) {
				flow_free(t, f);
				t->expired++;
				victim = f;
				break;
			}
			f->last_us = now;
			return f;
		}
		if (!f->used) {
			if (!victim || victim->used)
				victim = f;
		} else if (expired(t, f, now)) {
			flow_free(t, f);
			t->expired++;
			if (!victim || victim->used)
				victim = f;
		} else if (!victim || (victim->used &&
					f->last_us < victim->last_us)) {
			victim = f;
		}
	}
	if (!create || !victim)
		return NULL;
	if (victim->used) {
		flow_free(t, victim);
		t->evicted++;
	}
	victim->used = true;
	victim->family = fam;
	memcpy(victim->src, s, n);
	memcpy(victim->dst, d, n);
	victim->sport = sp;
	victim->dport = dp;
	victim->last_us = now;
	t->created++;
	return victim;
}

/* The flow a packet belongs to, keyed from its sender's side (reverse:
 * from its receiver's, for a SYN-ACK). */
static struct tcp_flow *pkt_flow(struct fp_tcp_table *t,
		const struct fp_pkt *pk, bool reverse, bool create)
{
	if (reverse)
		return flow_get(t, pk->src.family, pk->dst.a, pk->src.a,
				pk->dport, pk->sport, pk->ts_us, create);
	return flow_get(t, pk->src.family, pk->src.a, pk->dst.a, pk->sport,
			pk->dport, pk->ts_us, create);
}

static void emit_sig(const struct fp_pkt *pk, const struct fp_p0f_pkt *p,
		uint16_t syn_mss, bool synack, bool syn_seen,
		struct fp_emit *em)
{
	struct fp_obs *o = fp_obs_begin(em, pk,
			synack ? FP_OBS_TCP_SYNACK : FP_OBS_TCP_SYN);

	fp_p0f_to_obs(p, syn_mss, &o->u.tcp);
	o->u.tcp.syn_seen = syn_seen;
	fp_obs_deliver(em, o);
}

static void handle_syn(struct fp_tcp_table *t, const struct fp_pkt *pk,
		struct fp_emit *em)
{
	struct fp_p0f_pkt p;
	struct tcp_flow *f;

	if (fp_p0f_extract(pk->ip, pk->ip_len, &p) < 0)
		return;
	if (p.tcp_type == 0x02) {
		f = pkt_flow(t, pk, false, false);
		if (f && f->syn_seen && f->syn_seq == pk->seq)
			return;		/* retransmitted SYN */
		if (f)
			flow_free(t, f);
		f = pkt_flow(t, pk, false, true);
		emit_sig(pk, &p, 0, false, false, em);
		if (!f)
			return;
		f->syn_seen = true;
		f->syn_seq = pk->seq;
		f->syn_mss = p.mss;
		f->base_seq = pk->seq + 1;
		f->base_set = true;
	} else if (p.tcp_type == 0x12) {
		f = pkt_flow(t, pk, true, false);
		if (f && f->synack_done)
			return;
		emit_sig(pk, &p, f ? f->syn_mss : 0, true, f && f->syn_seen,
				em);
		if (!f)
			f = pkt_flow(t, pk, true, true);
		if (f)
			f->synack_done = true;
	}
}

static uint32_t contiguous(const struct tcp_flow *f)
{
	return (f->n_ranges && f->r[0].s == 0) ? f->r[0].e : 0;
}

static void consume(struct tcp_flow *f, uint32_t n)
{
	uint32_t have = f->r[f->n_ranges - 1].e;
	uint8_t k = 0;

	memmove(f->buf, f->buf + n, have - n);
	for (uint8_t i = 0; i < f->n_ranges; i++) {
		if (f->r[i].e <= n)
			continue;
		f->r[k].s = f->r[i].s > n ? f->r[i].s - n : 0;
		f->r[k].e = f->r[i].e - n;
		k++;
	}
	f->n_ranges = k;
	f->base_seq += n;
}

static void tls_done(struct fp_tcp_table *t, struct tcp_flow *f)
{
	buf_free(t, f);
	f->n_ranges = 0;
	f->tls = TLS_DONE;
}

/* The stream start is not TLS: wait for a later ClientHello record start
 * (e.g. after a SOCKS or CONNECT preamble). */
static void tls_not_yet(struct fp_tcp_table *t, struct tcp_flow *f)
{
	buf_free(t, f);
	f->n_ranges = 0;
	f->base_set = false;
	f->tls = TLS_IDLE;
	if (++f->idle_segs > MAX_IDLE_SEGS || f->n_ch > 0)
		f->tls = TLS_DONE;
}

/* Walk the contiguous stream: skip ChangeCipherSpec, gather one handshake
 * message over as many records as it takes, report ClientHellos. */
static void tls_walk(struct fp_tcp_table *t, struct tcp_flow *f,
		const struct fp_pkt *pk, struct fp_emit *em)
{
	for (;;) {
		uint32_t avail = contiguous(f), off = 0, hl = 0, need = 0;
		bool complete = false;

		if (avail < 5)
			return;
		if (f->n_ch == 0 && fp_tls_sslv2_start(f->buf, avail)) {
			/* SSLv2-compatible hello: one record, the whole
			 * message; no further hello follows on the flow */
			uint32_t rl = (uint32_t)(((f->buf[0] & 0x7f) << 8) |
					f->buf[1]);

			if (2 + rl > t->bufsz) {
				t->dropped++;
				tls_done(t, f);
				return;
			}
			if (avail < 2 + rl)
				return;
			if (fp_tls_parse_sslv2(f->buf + 2, rl, &t->ch) == 0) {
				struct fp_obs *o = fp_obs_begin(em, pk,
						FP_OBS_TLS);

				fp_tls_fingerprint(&t->ch, 't', &o->u.tls);
				fp_obs_deliver(em, o);
			}
			tls_done(t, f);
			return;
		}
		if (f->buf[0] == 20 && f->buf[1] == 3) {
			uint32_t rl = fp_rd16(f->buf + 3);

			if (avail < 5 + rl)
				return;
			consume(f, 5 + rl);
			continue;
		}
		if (f->buf[0] != 22 || f->buf[1] != 3) {
			tls_not_yet(t, f);
			return;
		}
		while (off + 5 <= avail && f->buf[off] == 22 &&
				f->buf[off + 1] == 3) {
			uint32_t rl = fp_rd16(f->buf + off + 3);
			uint32_t take;

			if (off + 5 + rl > avail)
				break;
			take = rl;
			if (hl + take > t->bufsz)
				take = t->bufsz - hl;
			memcpy(t->hs + hl, f->buf + off + 5, take);
			hl += take;
			off += 5 + rl;
			if (hl >= 4) {
				need = 4 + fp_rd24(t->hs + 1);
				if (hl >= need) {
					complete = true;
					break;
				}
			}
		}
		if (hl >= 1 && t->hs[0] != 1) {
			tls_done(t, f);
			return;
		}
		if (!complete && off + 5 <= avail &&
				(f->buf[off] != 22 || f->buf[off + 1] != 3) &&
				off + 5 + (uint32_t)fp_rd16(f->buf + off + 3) <=
				avail) {
			/* another record type before the hello was whole */
			tls_done(t, f);
			return;
		}
		if (!complete) {
			if (need > t->bufsz ||
					f->r[f->n_ranges - 1].e >= t->bufsz) {
				t->dropped++;
				tls_done(t, f);
			}
			return;
		}
		if (fp_tls_parse_ch(t->hs, hl, &t->ch) == 0) {
			struct fp_obs *o = fp_obs_begin(em, pk, FP_OBS_TLS);

			fp_tls_fingerprint(&t->ch, 't', &o->u.tls);
			fp_obs_deliver(em, o);
		}
		if (++f->n_ch >= MAX_CH_PER_FLOW) {
			tls_done(t, f);
			return;
		}
		consume(f, off);
		if (f->n_ranges == 0) {
			/* Nothing more buffered: give the buffer back and wait
			 * for a later hello (HelloRetryRequest) at base_seq. */
			buf_free(t, f);
			f->tls = TLS_IDLE;
			f->idle_segs = 0;
			return;
		}
	}
}

static bool looks_like_ch(const uint8_t *p, size_t n)
{
	/* skip one leading ChangeCipherSpec record (middlebox compatibility
	 * mode sends one before a second ClientHello) */
	if (n >= 6 && p[0] == 20 && p[1] == 3 && fp_rd16(p + 3) == 1) {
		p += 6;
		n -= 6;
	}
	return (n >= 6 && p[0] == 22 && p[1] == 3 && p[5] == 1) ||
		fp_tls_sslv2_start(p, n);
}

static bool is_ccs(const uint8_t *p, size_t n)
{
	return n == 6 && p[0] == 20 && p[1] == 3 && fp_rd16(p + 3) == 1;
}

static void handle_data(struct fp_tcp_table *t, const struct fp_pkt *pk,
		struct fp_emit *em)
{
	struct tcp_flow *f;
	uint32_t off, len;

	f = pkt_flow(t, pk, false, false);
	if (!f) {
		if (!looks_like_ch(pk->pay, pk->pay_len))
			return;
		f = pkt_flow(t, pk, false, true);
		if (!f)
			return;
	}
	if (f->tls == TLS_DONE)
		return;
	if (f->tls == TLS_IDLE && f->n_ch > 0) {
		/* after a hello: only a further hello at or after the point
		 * reached continues; a retransmission of the old one does not */
		if ((int32_t)(pk->seq - f->base_seq) < 0)
			return;
		if (is_ccs(pk->pay, pk->pay_len)) {
			if (pk->seq == f->base_seq)
				f->base_seq += 6;
			return;
		}
		if (pk->seq != f->base_seq ||
				!looks_like_ch(pk->pay, pk->pay_len)) {
			tls_done(t, f);
			return;
		}
	}
	if (f->tls == TLS_IDLE) {
		if (looks_like_ch(pk->pay, pk->pay_len)) {
			f->base_seq = pk->seq;
			f->base_set = true;
		} else if (!f->base_set || f->idle_segs > 0 ||
				pk->seq - f->base_seq == 0 ||
				pk->seq - f->base_seq >= t->bufsz) {
			/* not the start of a ClientHello */
			if (++f->idle_segs > MAX_IDLE_SEGS)
				tls_done(t, f);
			return;
		}
		/* else: a later piece of the stream that starts at the SYN's
		 * ISN arrived first; keep it, the walk decides */
		if (!buf_alloc(t, f)) {
			tls_done(t, f);
			return;
		}
		f->tls = TLS_COLLECT;
	} else if (f->n_ch == 0 && contiguous(f) == 0 &&
			pk->seq != f->base_seq &&
			looks_like_ch(pk->pay, pk->pay_len)) {
		/* the stream start never came: restart at this record */
		f->n_ranges = 0;
		f->base_seq = pk->seq;
	}
	off = pk->seq - f->base_seq;
	if (off >= t->bufsz) {
		/* before base (old retransmission) or beyond our window */
		if (off > 0x80000000u)
			return;
		t->dropped += pk->pay_len;
		return;
	}
	len = (uint32_t)pk->pay_len;
	if (len > t->bufsz - off) {
		t->dropped += len - (t->bufsz - off);
		len = t->bufsz - off;
	}
	memcpy(f->buf + off, pk->pay, len);
	fp_range_add(f->r, &f->n_ranges, MAX_RANGES, off, off + len);
	tls_walk(t, f, pk, em);
}

/*
 * DNS over TCP (RFC 7766): each direction is a stream of 2-byte length
 * prefixed messages; a message may span segments and a segment may carry
 * several. A direction's stream is assumed to start at the first segment
 * seen (or right after the SYN); messages longer than the buffer are
 * skipped.
 */
static void handle_dns(struct fp_tcp_table *t, const struct fp_pkt *pk,
		struct fp_emit *em)
{
	struct tcp_flow *f;
	uint32_t off, len;

	f = pkt_flow(t, pk, false, true);
	if (!f || f->tls == TLS_DONE)
		return;
	f->dns = true;
	if (!f->base_set) {
		f->base_seq = pk->seq;
		f->base_set = true;
	}
	if (!f->buf && !buf_alloc(t, f)) {
		tls_done(t, f);
		return;
	}
	f->tls = TLS_COLLECT;
	off = pk->seq - f->base_seq;
	if (off >= t->bufsz)
		return;		/* old retransmission or beyond the window */
	len = (uint32_t)pk->pay_len;
	if (len > t->bufsz - off)
		len = t->bufsz - off;
	memcpy(f->buf + off, pk->pay, len);
	fp_range_add(f->r, &f->n_ranges, MAX_RANGES, off, off + len);
	for (;;) {
		uint32_t avail = contiguous(f), ml;

		if (avail < 2)
			break;
		ml = fp_rd16(f->buf);
		if (2 + ml > t->bufsz) {
			t->dropped += ml;
			tls_done(t, f);
			return;
		}
		if (avail < 2 + ml)
			break;
		fp_dns_process(pk, f->buf + 2, ml, false, em);
		consume(f, 2 + ml);
	}
	if (f->n_ranges == 0) {
		buf_free(t, f);	/* between messages: no buffer held */
		f->tls = TLS_IDLE;
	}
}

void fp_tcp_process(struct fp_tcp_table *t, const struct fp_pkt *pk,
		struct fp_emit *em)
{
	if (pk->pay_len > 0 && !(pk->tcp_flags & 0x06) &&
			(pk->sport == 53 || pk->dport == 53)) {
		handle_dns(t, pk, em);
		return;
	}
	if (pk->tcp_flags & 0x02) {
		struct fp_pkt data;

		handle_syn(t, pk, em);
		if (pk->pay_len == 0 || (pk->tcp_flags & 0x14))
			return;
		/* TCP Fast Open: data in the SYN starts at ISN + 1 */
		data = *pk;
		data.seq = pk->seq + 1;
		if (!fp_http_process(&data, em))
			handle_data(t, &data, em);
		return;
	}
	if (pk->pay_len == 0 || (pk->tcp_flags & 0x04))
		return;
	if (fp_http_process(pk, em) || fp_http_response(pk, em))
		return;
	if ((pk->sport == 9999 || pk->sport == 2081) &&
			fp_disc_process(pk, em))
		return;
	handle_data(t, pk, em);
}
