/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Brute force: login ports count accepted connections, 10 in 60 s, and
 * short sessions, 6 in 10 s; other ports short connections, 60 in 60 s. */

#include "test_det_util.h"
#include "test_main.h"

static void
conn(struct det_engine *e, uint64_t ts, const uint8_t dst[16], uint16_t sp,
     uint16_t dport, uint32_t dur_ms, uint32_t back)
{
	uint8_t src[16];
	struct det_ev ev;

	v4(src, 10, 9, 0, 10);
	ev = ev_make(DET_EV_FLOW_NEW, ts, DEV_A, 6, src, sp, dst, dport);
	det_event(e, &ev);
	ev.kind = DET_EV_ANSWERED;
	ev.ts_us = ts + MS;
	det_event(e, &ev);
	ev.kind = DET_EV_DATA;
	det_event(e, &ev);
	ev.kind = DET_EV_CLOSED;
	ev.ts_us = ts + (uint64_t)dur_ms * MS;
	ev.dur_ms = dur_ms;
	ev.bytes[1] = back;
	det_event(e, &ev);
}

/* n sessions of DEV_A to dst:dport opened in parallel at t (1 ms apart),
 * answered with payload 5 ms later. */
static void
open_n(struct det_engine *e, struct det_ev *ev, int n, uint64_t t,
       const uint8_t dst[16], uint16_t sp, uint16_t dport)
{
	for (int i = 0; i < n; i++) {
		ev[i] = ev_a(DET_EV_FLOW_NEW, t + (uint64_t)i * MS, 6,
			     (uint16_t)(sp + i), dst, dport);
		det_event(e, &ev[i]);
	}
	for (int i = 0; i < n; i++) {
		ev[i].kind = DET_EV_ANSWERED;
		ev[i].ts_us = t + 5 * MS + (uint64_t)i * MS;
		det_event(e, &ev[i]);
		ev[i].kind = DET_EV_DATA;
		det_event(e, &ev[i]);
	}
}

/* ... and their ends at t, having lasted dur_ms, back bytes back. */
static void
close_n(struct det_engine *e, struct det_ev *ev, int n, uint64_t t,
	uint32_t dur_ms, uint32_t back)
{
	for (int i = 0; i < n; i++) {
		ev[i].kind = DET_EV_CLOSED;
		ev[i].ts_us = t + (uint64_t)i * MS;
		ev[i].dur_ms = dur_ms;
		ev[i].bytes[1] = back;
		det_event(e, &ev[i]);
	}
}

DET_TEST(telnet_login)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 20);
	/* 9 telnet sessions a minute: an admin, not a guesser */
	for (int i = 0; i < 9; i++)
		conn(e, T0 + i * 6 * SEC, dst, 30000 + i, 23, 2000, 500);
	assert_int_equal(r->n, 0);
	/* and 9 more a minute later: the window slid */
	for (int i = 0; i < 9; i++)
		conn(e, T0 + 120 * SEC + i * 6 * SEC, dst, 31000 + i, 23, 2000,
		     500);
	assert_int_equal(r->n, 0);
	/* hydra: 16 at once */
	for (int i = 0; i < 16; i++) {
		struct det_ev ev = ev_a(DET_EV_FLOW_NEW, T0 + 300 * SEC + i * MS,
				6, (uint16_t)(32000 + i), dst, 23);

		det_event(e, &ev);
		ev.kind = DET_EV_ANSWERED;
		det_event(e, &ev);
	}
	assert_int_equal(rec_count(r, DET_BRUTEFORCE), 1);
	assert_string_equal(r->a[0].ev.detail, "service=telnet");
	assert_int_equal(r->a[0].ev.count, 10);
}

DET_TEST(other_ports_need_short_small)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 30);
	/* a poller: every 2 s a fresh connection (30 a minute) */
	for (int i = 0; i < 300; i++)
		conn(e, T0 + i * 2 * SEC, dst, (uint16_t)(20000 + i), 80, 50,
		     300);
	assert_int_equal(r->n, 0);
	/* snapshots every second, 100 KB each: not small */
	for (int i = 0; i < 120; i++)
		conn(e, T0 + 1000 * SEC + i * SEC, dst, (uint16_t)(40000 + i),
		     8080, 300, 100000);
	assert_int_equal(r->n, 0);
	/* ssh-brute on port 902: 60 short small ones in 10 s */
	for (int i = 0; i < 60; i++)
		conn(e, T0 + 2000 * SEC + i * 150 * MS, dst,
		     (uint16_t)(50000 + i), 902, 120, 3000);
	assert_int_equal(rec_count(r, DET_BRUTEFORCE), 1);
}

DET_TEST(ssh_sessions)
{
	uint8_t dst[16];

	v4(dst, 10, 9, 0, 22);
	/* a script's 5 ssh commands in a row, once a minute for 10 min */
	for (int m = 0; m < 10; m++)
		for (int i = 0; i < 5; i++)
			conn(e, T0 + m * 60 * SEC + i * 600 * MS, dst,
			     (uint16_t)(30000 + m * 5 + i), 22, 400, 3500);
	/* an scp of a big file, and a long interactive session */
	conn(e, T0 + 700 * SEC, dst, 31000, 22, 2000, 5000000);
	conn(e, T0 + 710 * SEC, dst, 31001, 22, 600000, 9000);
	assert_int_equal(r->n, 0);
	/* hydra -t 4 ssh://: four sessions at a time, ~300 ms each, a few
	 * passwords each; 8 in its first second, then it waits 32 s */
	for (int round = 0; round < 2; round++) {
		uint64_t t = T0 + 1000 * SEC + (uint64_t)round * 320 * MS;
		struct det_ev ev[4];

		open_n(e, ev, 4, t, dst, (uint16_t)(40000 + round * 4), 22);
		close_n(e, ev, 4, t + 300 * MS, 300, 2700);
	}
	assert_int_equal(rec_count(r, DET_BRUTEFORCE), 1);
	assert_int_equal(r->a[0].ev.count, 6);
	assert_int_equal(r->a[0].ev.threshold, 6);
	assert_non_null(strstr(r->a[0].ev.detail, "service=ssh"));
	assert_true(r->a[0].ts_us - r->a[0].first_us < 2 * SEC);
}

/* Released after a telnet brute force: its sessions closing after the
 * release are no new offence; a new round is. */
DET_TEST(release_tail)
{
	uint8_t dst[16];
	struct det_ev ev[8];

	v4(dst, 10, 9, 0, 23);
	open_n(e, ev, 8, T0, dst, 40000, 23);
	for (int i = 8; i < 12; i++)
		conn(e, T0 + 10 * MS + (uint64_t)i * 100 * MS, dst,
		     (uint16_t)(40000 + i), 23, 50, 300);
	assert_int_equal(rec_count(r, DET_BRUTEFORCE), 1);
	assert_int_equal(det_release(e, DEV_A, 0), 0);
	/* the first 8 sessions end after the release (the server's
	 * timeout): not counted */
	close_n(e, ev, 8, T0 + 5 * SEC, 5000, 400);
	assert_int_equal(r->n, 1);
	/* offending again is caught at once */
	for (int i = 0; i < 6; i++)
		conn(e, T0 + 6 * SEC + (uint64_t)i * 100 * MS, dst,
		     (uint16_t)(41000 + i), 23, 50, 300);
	assert_int_equal(rec_count(r, DET_BRUTEFORCE), 2);
}

TEST_MAIN(
	det_test(telnet_login),
	det_test(other_ports_need_short_small),
	det_test(ssh_sessions),
	det_test(release_tail))
