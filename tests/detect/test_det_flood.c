/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Floods (1000/s over 1 s; 50 SYNs to one host beyond its completed
 * handshakes within 1 s) and amplification (10x, 1 MB in 10 s). */

#include "test_det_util.h"
#include "test_main.h"

/* A connection's SYN to 198.18.0.1:80; its event. */
static struct det_ev
syn(struct det_engine *e, uint64_t ts, uint16_t sp)
{
	uint8_t d[16];
	struct det_ev ev;

	v4(d, 198, 18, 0, 1);
	ev = ev_a(DET_EV_FLOW_NEW, ts, 6, sp, d, 80);
	det_event(e, &ev);
	return ev;
}

/* A connection to 198.18.0.1:80 that completes: payload 0.6 ms later
 * (before the next one: events come in time order). */
static void
conn(struct det_engine *e, uint64_t ts, uint16_t sp)
{
	struct det_ev ev = syn(e, ts, sp);

	ev.kind = DET_EV_ANSWERED;
	ev.ts_us = ts + 300;
	det_event(e, &ev);
	ev.kind = DET_EV_DATA;
	ev.ts_us = ts + 600;
	det_event(e, &ev);
}

DET_TEST(syn_rate)
{
	/* 800 connections a second for 10 s, all completing: busy, no
	 * flood */
	for (int i = 0; i < 8000; i++)
		conn(e, T0 + (uint64_t)i * 1250, (uint16_t)i);
	assert_int_equal(r->n, 0);
	/* hping3 --flood: 50,000/s */
	for (int i = 0; i < 2000; i++)
		syn(e, T0 + 20 * SEC + (uint64_t)i * 20, (uint16_t)i);
	assert_int_equal(rec_count(r, DET_FLOOD_SYN), 1);
	assert_true(r->a[0].ts_us - r->a[0].first_us < 25 * MS);
}

DET_TEST(syn_halfopen)
{
	uint8_t d[16];
	struct det_ev ev;

	v4(d, 198, 18, 0, 9);
	/* 40 connections at once to a host that is down, each SYN sent
	 * again after 1, 3 and 7 s: no flood */
	for (int t = 0; t < 4; t++)
		for (int i = 0; i < 40; i++) {
			ev = ev_a(t == 0 ? DET_EV_FLOW_NEW : DET_EV_SYN,
				T0 + ((1ull << t) - 1) * SEC + (uint64_t)i * 100,
				6, (uint16_t)(1000 + i), d, 80);
			det_event(e, &ev);
		}
	/* a download manager's 16 parallel connections to one host, that
	 * complete, 4 times a second for 10 s */
	for (int b = 0; b < 40; b++) {
		uint64_t t = T0 + 10 * SEC + (uint64_t)b * 250 * MS;

		for (int i = 0; i < 16; i++) {
			ev = ev_a4(DET_EV_FLOW_NEW, t + (uint64_t)i * 10, 6,
				   (uint16_t)(b * 16 + i), 198, 18, 0, 1, 80);
			det_event(e, &ev);
		}
		for (int i = 0; i < 16; i++) {
			ev = ev_a4(DET_EV_DATA, t + 20 * MS + (uint64_t)i * 10,
				   6, (uint16_t)(b * 16 + i), 198, 18, 0, 1, 80);
			det_event(e, &ev);
		}
	}
	assert_int_equal(r->n, 0);
	/* hping3 -S let out slowly by a loaded host: 300 SYNs a second to
	 * one host, none completing; caught after its first 50, not after
	 * a second */
	v4(d, 10, 9, 0, 20);
	for (int i = 0; i < 300 && r->n == 0; i++) {
		ev = ev_a(DET_EV_FLOW_NEW, T0 + 40 * SEC + (uint64_t)i * 3333,
				6, (uint16_t)(2000 + i), d, 443);
		det_event(e, &ev);
		if (i % 2 == 0) {	/* RSTs back from a closed port */
			ev.kind = DET_EV_REJECTED;
			ev.ts_us += 100;
			det_event(e, &ev);
		}
	}
	assert_int_equal(rec_count(r, DET_FLOOD_SYN), 1);
	assert_int_equal(r->a[0].ev.count, 50);
	assert_true(r->a[0].ts_us - r->a[0].first_us < 200 * MS);
	assert_non_null(strstr(r->a[0].ev.key, "10.9.0.20"));
}

DET_TEST(one_flow_rate)
{
	struct det_ev ev = ev_a4(DET_EV_RATE, T0, 17, 5000, 10, 9, 0, 20,
				 5004);

	/* a camera's RTP: 4096 packets in 1.5 s, nothing back */
	ev.pkts[0] = 4096;
	ev.dur_ms = 1500;
	det_event(e, &ev);
	/* a QUIC transfer: 65536 in 2 s, ACKs back */
	ev.pkts[0] = 65536;
	ev.pkts[1] = 16000;
	ev.dur_ms = 2000;
	det_event(e, &ev);
	assert_int_equal(r->n, 0);
	/* 65536 in 2 s, 10 back */
	ev.pkts[1] = 10;
	det_event(e, &ev);
	assert_int_equal(rec_count(r, DET_FLOOD_UDP), 1);
}

DET_TEST(amplification)
{
	struct det_ev ev = ev_a4(DET_EV_AMP_REPLY, T0, 17, 123, 203, 0, 113, 5,
				 40000);

	/* the device answers NTP: DNS-sized answers 3x the questions */
	ev.flags = DET_EVF_INBOUND;
	ev.bytes[0] = 100;
	ev.bytes[1] = 300;
	ev.len = 1000;
	ev_repeat(e, &ev, 5000, T0, MS);
	assert_int_equal(r->n, 0);
	/* monlist: 100 x */
	ev.bytes[1] = 10000;
	ev_repeat(e, &ev, 1000, T0 + 10 * SEC, MS);
	assert_int_equal(rec_count(r, DET_AMPLIFICATION), 1);
}

DET_TEST(icmp_rate)
{
	struct det_ev ev = ev_a4(DET_EV_ICMP_REQ, T0, 1, 0, 10, 9, 0, 1, 0);

	/* ping -i 0.002 (500/s) for 10 s */
	ev_repeat(e, &ev, 5000, T0, 2 * MS);
	assert_int_equal(r->n, 0);
	ev_repeat(e, &ev, 1500, T0 + 20 * SEC, 100);
	assert_int_equal(rec_count(r, DET_FLOOD_ICMP), 1);
}

TEST_MAIN(
	det_test(syn_rate),
	det_test(syn_halfopen),
	det_test(one_flow_rate),
	det_test(amplification),
	det_test(icmp_rate))
