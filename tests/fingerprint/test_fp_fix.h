/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_TEST_FP_FIX_H
#define CORDON_TEST_FP_FIX_H

/*
 * For tests that feed a context one frame at a time: each test's context
 * (cmocka setup and teardown: list the test as FP_FIX_TEST(t)), the frame
 * buffer, and what the last frame gave. Include after test_fp_util.h.
 */

static uint8_t frame[2000];
static struct fp_ctx *ctx;
static struct collect c;
static uint64_t ts;		/* the frames' timestamps: 1, 2, ... */

static inline int fp_fix_setup(void **state)
{
	(void)state;
	ts = 0;
	ctx = fp_ctx_create(NULL);
	return ctx != NULL ? 0 : -1;
}

static inline int fp_fix_teardown(void **state)
{
	(void)state;
	fp_ctx_destroy(ctx);
	return 0;
}

#define FP_FIX_TEST(t) \
	cmocka_unit_test_setup_teardown(t, fp_fix_setup, fp_fix_teardown)

/* The next frame, in frame[] (f bytes): how many observations it gave. */
static inline int frame_obs(size_t f)
{
	c.n = 0;
	fp_process_frame(ctx, frame, f, ++ts, collect_cb, &c);
	return c.n;
}

/* The same for a UDP datagram. */
static inline int udp(uint32_t src, uint32_t dst, uint16_t sport,
		uint16_t dport, const void *pay, size_t len)
{
	return frame_obs(build_udp4(frame, src, dst, sport, dport, pay, len));
}

#endif /* CORDON_TEST_FP_FIX_H */
