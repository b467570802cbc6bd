/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Scans and sweeps: thresholds, and the shapes just under them. */

#include "test_det_util.h"
#include "test_main.h"

DET_TEST(vertical_at_threshold)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 20);
	/* 14 closed ports: under Zeek's 15 */
	for (int p = 0; p < 14; p++)
		flow(e, T0 + p * MS, 6, dst, 40000, 1000 + p, DET_EV_REJECTED);
	assert_int_equal(rec_count(r, DET_SCAN_VERTICAL), 0);
	flow(e, T0 + 20 * MS, 6, dst, 40000, 2000, DET_EV_REJECTED);
	assert_int_equal(rec_count(r, DET_SCAN_VERTICAL), 1);
	assert_int_equal(r->a[0].severity, DET_SEV_QUARANTINE);
	assert_int_equal(r->a[0].ev.count, 15);
	assert_int_equal(r->a[0].ev.threshold, 15);
	assert_int_equal(r->a[0].ev.n_examples, DET_EXAMPLES);
	/* the examples are the first attempts, in time order */
	assert_int_equal(r->a[0].ev.ex[0].dport, 1000);
	assert_true(r->a[0].first_us == T0);
	/* a continuing scan does not alert again before the re-arm time */
	for (int p = 0; p < 30; p++)
		flow(e, T0 + SEC + p * MS, 6, dst, 40000, 3000 + p,
		     DET_EV_REJECTED);
	assert_int_equal(rec_count(r, DET_SCAN_VERTICAL), 1);
}

DET_TEST(connections_are_not_probes)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 30);
	/* a NAS: 40 ports of one host, every connection carries data */
	for (int p = 0; p < 40; p++) {
		flow(e, T0 + p * MS, 6, dst, 41000 + p, 100 + p,
		     DET_EV_ANSWERED);
		flow(e, T0 + p * MS + 2 * MS, 6, dst, 41000 + p, 100 + p,
		     DET_EV_DATA);
	}
	det_tick(e, T0 + 60 * SEC);
	assert_int_equal(r->n, 0);
}

DET_TEST(half_open_and_unanswered_count)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 40);
	/* nmap -sS on open ports: SYN-ACK, then the scanner's RST */
	for (int p = 0; p < 8; p++) {
		flow(e, T0 + p * MS, 6, dst, 42000, 20 + p, DET_EV_ANSWERED);
		flow(e, T0 + p * MS + 2 * MS, 6, dst, 42000, 20 + p,
		     DET_EV_ABORTED);
	}
	/* filtered ports: nothing back */
	for (int p = 0; p < 7; p++)
		flow(e, T0 + 20 * MS + p * MS, 6, dst, 42000, 400 + p, 0);
	assert_int_equal(r->n, 0);
	/* unanswered counts after the grace time (3 s) */
	det_tick(e, T0 + 2 * SEC);
	assert_int_equal(r->n, 0);
	det_tick(e, T0 + 4 * SEC);
	assert_int_equal(rec_count(r, DET_SCAN_VERTICAL), 1);
}

DET_TEST(horizontal_skips_looked_up)
{
	uint8_t dst[16];

	/* 40 hosts on 443 that the device looked up, all unanswered */
	for (int h = 0; h < 40; h++) {
		uint8_t a[1][16];

		v4(a[0], 198, 18, 1, (uint8_t)h);
		det_dns_answer(e, DEV_A, 0, T0 + h * MS, "cdn.example.com", 0,
			       (const uint8_t (*)[16])a, 1);
		flow(e, T0 + h * MS + 1, 6, a[0], 43000 + h, 443, 0);
	}
	det_tick(e, T0 + 10 * SEC);
	assert_int_equal(rec_count(r, DET_SCAN_HORIZONTAL), 0);
	/* 24 unresolved hosts on 23: under Zeek's 25 */
	for (int h = 0; h < 24; h++) {
		v4(dst, 203, 0, 113, (uint8_t)h);
		flow(e, T0 + 20 * SEC + h * MS, 6, dst, 44000 + h, 23,
		     DET_EV_REJECTED);
	}
	assert_int_equal(rec_count(r, DET_SCAN_HORIZONTAL), 0);
	v4(dst, 203, 0, 113, 99);
	flow(e, T0 + 21 * SEC, 6, dst, 45000, 23, DET_EV_REJECTED);
	assert_int_equal(rec_count(r, DET_SCAN_HORIZONTAL), 1);
	assert_string_equal(r->a[0].ev.key, "tcp/23");
}

DET_TEST(window_slides)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 50);
	/* 14 failures every 5 minutes: never 15 within the window */
	for (int round = 0; round < 4; round++)
		for (int p = 0; p < 14; p++)
			flow(e, T0 + round * 301 * SEC + p * MS, 6, dst, 46000,
			     (uint16_t)(100 * round + p + 1), DET_EV_REJECTED);
	assert_int_equal(r->n, 0);
}

static void
arp(struct det_engine *e, uint64_t ts, const uint8_t mac[6], uint8_t tgt,
    bool reply, const uint8_t to[6])
{
	uint8_t s[16], d[16];
	struct det_ev ev;

	v4(s, 10, 9, reply ? 1 : 0, reply ? tgt : 10);
	v4(d, 10, 9, reply ? 0 : 1, reply ? 10 : tgt);
	ev = ev_make(DET_EV_ARP, ts, mac, 0, s, 0, d, 0);
	if (reply) {
		ev.flags = DET_EVF_REPLY;
		memcpy(ev.peer_mac, to, 6);
	}
	det_event(e, &ev);
}

DET_TEST(arp_sweep)
{
	/* a gateway resolving 40 neighbours that answer, a second apart */
	for (int i = 0; i < 40; i++) {
		arp(e, T0 + i * SEC, DEV_A, (uint8_t)(100 + i), false, NULL);
		arp(e, T0 + i * SEC + MS, DEV_B, (uint8_t)(100 + i), true,
		    DEV_A);
	}
	det_tick(e, T0 + 50 * SEC);
	assert_int_equal(rec_count(r, DET_SCAN_ARP), 0);
	/* 9 unanswered within 30 s: under 10 */
	for (int i = 0; i < 9; i++)
		arp(e, T0 + 100 * SEC + i * 2 * SEC, DEV_A, (uint8_t)(200 + i),
		    false, NULL);
	det_tick(e, T0 + 120 * SEC);
	assert_int_equal(rec_count(r, DET_SCAN_ARP), 0);
	/* arp-scan: 32 targets within 5 s */
	for (int i = 0; i < 32; i++)
		arp(e, T0 + 200 * SEC + i * 2 * MS, DEV_A, (uint8_t)(i + 1),
		    false, NULL);
	assert_int_equal(rec_count(r, DET_SCAN_ARP), 1);
}

DET_TEST(icmp_sweep)
{
	uint8_t d[16];
	struct det_ev ev;

	/* 9 hosts pinged, and many pings to one: no sweep */
	for (int i = 0; i < 9; i++) {
		v4(d, 10, 9, 0, (uint8_t)(20 + i));
		ev = ev_a(DET_EV_ICMP_REQ, T0 + i * MS, 1, 0, d, 0);
		det_event(e, &ev);
		ev.dst[15] = 20;
		det_event(e, &ev);
	}
	assert_int_equal(rec_count(r, DET_SCAN_ICMP), 0);
	v4(d, 10, 9, 0, 99);
	ev = ev_a(DET_EV_ICMP_REQ, T0 + SEC, 1, 0, d, 0);
	det_event(e, &ev);
	assert_int_equal(rec_count(r, DET_SCAN_ICMP), 1);
}

DET_TEST(nd_dad_is_no_sweep)
{
	uint8_t zero[16] = { 0 }, t[16];
	struct det_ev ev;

	memset(t, 0, 16);
	t[0] = 0xfd;
	/* duplicate address detection: from ::, about itself */
	for (int i = 0; i < 50; i++) {
		t[15] = (uint8_t)i;
		ev = ev_make(DET_EV_ND, T0 + i * MS, DEV_A, 58, zero, 0, t, 0);
		det_event(e, &ev);
	}
	assert_int_equal(r->n, 0);
}

TEST_MAIN(
	det_test(vertical_at_threshold),
	det_test(connections_are_not_probes),
	det_test(half_open_and_unanswered_count),
	det_test(horizontal_skips_looked_up),
	det_test(window_slides),
	det_test(arp_sweep),
	det_test(icmp_sweep),
	det_test(nd_dad_is_no_sweep))
