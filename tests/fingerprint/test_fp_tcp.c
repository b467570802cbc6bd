/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* ClientHello reassembly over TCP: split, out of order, fragmented over
 * records, after a preamble; bounded table. */

#include "test_fp_util.h"
#include "test_fp_ch.h"
#include "test_main.h"

#define CLI 0x0a000001u
#define SRV 0x0a000002u

static uint8_t frame[4096];

/* A context, what it observed and a ClientHello record of n bytes. */
struct sess {
	struct collect c;
	struct fp_ctx *ctx;
	struct fp_stats st;
	uint8_t rec[600];
	size_t n;
};

static void feed(struct sess *x, uint16_t sport, uint32_t seq,
		uint8_t flags, const uint8_t *pay, size_t len, bool to_srv)
{
	struct t_tcp t = {
		.sport = to_srv ? sport : 443, .dport = to_srv ? 443 : sport,
		.seq = seq, .ack = 1, .flags = flags, .win = 29200,
	};
	size_t n = build_tcp4(frame, to_srv ? CLI : SRV, to_srv ? SRV : CLI,
			&t, pay, len);

	fp_process_frame(x->ctx, frame, n, 1000, collect_cb, &x->c);
}

static size_t ch_record(uint8_t *rec)
{
	uint8_t hs[512];
	size_t n = build_ch(hs, "h2");

	return build_record(rec, hs, n);
}

static int count_kind(const struct collect *c, enum fp_obs_kind k)
{
	int n = 0;

	for (int i = 0; i < c->n && i < COLLECT_MAX; i++)
		n += c->obs[i].kind == k;
	return n;
}

static const struct fp_obs *find_kind(const struct collect *c,
		enum fp_obs_kind k)
{
	for (int i = 0; i < c->n && i < COLLECT_MAX; i++)
		if (c->obs[i].kind == k)
			return &c->obs[i];
	return NULL;
}

/* A fresh session (one at a time: it is static). */
static struct sess *sess_new(const struct fp_config *cfg)
{
	static struct sess t;

	memset(&t, 0, sizeof(t));
	t.ctx = fp_ctx_create(cfg);
	assert_non_null(t.ctx);
	t.n = ch_record(t.rec);
	return &t;
}

static void test_out_of_order(void **state)
{
	struct sess *t = sess_new(NULL);
	uint8_t *rec = t->rec;
	size_t n = t->n, a = 40, b = 120;
	const struct fp_obs *o;

	(void)state;
	feed(t, 40000, 1000, 0x02, NULL, 0, true);	/* SYN */
	feed(t, 40000, 5000, 0x12, NULL, 0, false);	/* SYN+ACK */
	feed(t, 40000, 1001 + b, 0x18, rec + b, n - b, true);
	feed(t, 40000, 1001, 0x18, rec, a, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 0);
	/* a retransmission overlapping both neighbours */
	feed(t, 40000, 1001 + a - 10, 0x18, rec + a - 10, b - a + 20, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	o = find_kind(&t->c, FP_OBS_TLS);
	assert_string_equal(o->u.tls.ja4, CH_JA4);
	assert_string_equal(o->u.tls.ja3, CH_JA3);
	assert_string_equal(o->u.tls.sni.s, "example.com");
	assert_int_equal(o->sport, 40000);
	assert_memory_equal(o->mac, T_SRC_MAC, 6);
	assert_int_equal(count_kind(&t->c, FP_OBS_TCP_SYN), 1);
	assert_int_equal(count_kind(&t->c, FP_OBS_TCP_SYNACK), 1);
	/* duplicate of the whole hello: reported once only */
	feed(t, 40000, 1001, 0x18, rec, n, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	fp_ctx_destroy(t->ctx);
}

/* One handshake message spread over three records, no SYN seen. */
static void test_record_fragments(void **state)
{
	struct sess *t = sess_new(NULL);
	uint8_t hs[512], buf[700];
	size_t n = build_ch(hs, "h2"), o = 0;
	size_t cut[] = { 0, 3, 100, n };

	(void)state;
	for (int i = 0; i < 3; i++)
		o += build_record(buf + o, hs + cut[i], cut[i + 1] - cut[i]);
	feed(t, 40001, 7, 0x18, buf, o, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	assert_string_equal(find_kind(&t->c, FP_OBS_TLS)->u.tls.ja4_o, CH_JA4_O);
	fp_ctx_destroy(t->ctx);
}

/* SOCKS5-like preamble before the hello on the same connection. */
static void test_preamble(void **state)
{
	struct sess *t = sess_new(NULL);
	uint8_t *rec = t->rec;
	size_t n = t->n;
	const uint8_t socks[] = { 5, 1, 0 };
	const uint8_t req[] = { 5, 1, 0, 1, 93, 184, 216, 119, 1, 187 };

	(void)state;
	feed(t, 40002, 100, 0x02, NULL, 0, true);
	feed(t, 40002, 101, 0x18, socks, sizeof(socks), true);
	feed(t, 40002, 104, 0x18, req, sizeof(req), true);
	feed(t, 40002, 114, 0x18, rec, n, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	fp_ctx_destroy(t->ctx);
}

/* @k flows from @port on send the first 30 bytes of a hello each. */
static struct sess *
partial_hellos(uint32_t flows, uint32_t buffers, uint16_t port, uint16_t k)
{
	struct fp_config cfg = { .tcp_flows = flows, .tcp_buf = 1024,
				 .tcp_buffers = buffers };
	struct sess *t = sess_new(&cfg);

	for (uint16_t p = 0; p < k; p++)
		feed(t, (uint16_t)(port + p), 1, 0x18, t->rec, 30, true);
	fp_ctx_stats(t->ctx, &t->st);
	return t;
}

/* A tiny table: flows are evicted and counted, memory stays bounded. */
static void test_bounded(void **state)
{
	struct sess *t = partial_hellos(2, 0, 30000, 20);

	(void)state;
	assert_int_equal(t->st.tcp_flows_created, 20);
	assert_int_equal(t->st.tcp_flows_evicted, 18);
	/* the last flow is still there and completes */
	feed(t, 30019, 31, 0x18, t->rec + 30, t->n - 30, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	fp_ctx_expire(t->ctx, 1000 + 31ull * 1000000);
	fp_ctx_stats(t->ctx, &t->st);
	assert_int_equal(t->st.tcp_flows_expired, 2);
	fp_ctx_destroy(t->ctx);
}

/* HelloRetryRequest: a second hello after a ChangeCipherSpec record. */
static void test_second_hello(void **state)
{
	struct sess *t = sess_new(NULL);
	static const uint8_t ccs[] = { 20, 3, 3, 0, 1, 1 };
	uint8_t *rec = t->rec;
	size_t n = t->n;

	(void)state;
	feed(t, 40003, 500, 0x02, NULL, 0, true);
	feed(t, 40003, 501, 0x18, rec, n, true);
	feed(t, 40003, 501, 0x18, rec, n, true);	/* retransmitted */
	feed(t, 40003, (uint32_t)(501 + n), 0x18, ccs, sizeof(ccs), true);
	feed(t, 40003, (uint32_t)(507 + n), 0x18, rec, n, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 2);
	/* application data ends the watch */
	rec[0] = 23;
	feed(t, 40003, (uint32_t)(507 + 2 * n), 0x18, rec, n, true);
	rec[0] = 22;
	feed(t, 40003, (uint32_t)(507 + 3 * n), 0x18, rec, n, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 2);
	fp_ctx_destroy(t->ctx);
}

/* TCP Fast Open: the hello rides in the SYN. */
static void test_fast_open(void **state)
{
	struct sess *t = sess_new(NULL);
	uint8_t *rec = t->rec;
	size_t n = t->n;

	(void)state;
	feed(t, 40004, 900, 0x02, rec, n, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TCP_SYN), 1);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	/* p0f: a SYN with payload is payload class "+" */
	assert_non_null(strstr(find_kind(&t->c, FP_OBS_TCP_SYN)->u.tcp.p0f,
				":+"));
	fp_ctx_destroy(t->ctx);
}

/* At most tcp_buffers hellos are collected at once; the rest is counted. */
static void test_buffer_limit(void **state)
{
	struct sess *t = partial_hellos(64, 2, 31000, 5);

	(void)state;
	assert_int_equal(t->st.tcp_buffers_refused, 3);
	/* a finished hello gives its buffer back */
	feed(t, 31000, 31, 0x18, t->rec + 30, t->n - 30, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 1);
	feed(t, 31010, 1, 0x18, t->rec, t->n, true);
	assert_int_equal(count_kind(&t->c, FP_OBS_TLS), 2);
	fp_ctx_destroy(t->ctx);
}

TEST_MAIN(
	cmocka_unit_test(test_out_of_order),
	cmocka_unit_test(test_record_fragments),
	cmocka_unit_test(test_preamble),
	cmocka_unit_test(test_bounded),
	cmocka_unit_test(test_buffer_limit),
	cmocka_unit_test(test_second_hello),
	cmocka_unit_test(test_fast_open))
