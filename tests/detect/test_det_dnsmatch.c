/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The forged-DNS matcher. */

#include <stdlib.h>

#include "det_dnsmatch.h"
#include "test_det_util.h"
#include "test_main.h"

static size_t
msg(uint8_t *m, uint16_t id, int qr, const char *name)
{
	size_t n = 12;
	const char *p = name;

	memset(m, 0, 12);
	m[0] = (uint8_t)(id >> 8);
	m[1] = (uint8_t)id;
	m[2] = qr ? 0x81 : 0x01;
	m[5] = 1;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		m[n++] = (uint8_t)l;
		memcpy(m + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	m[n++] = 0;
	m[n++] = 0;
	m[n++] = 1;
	m[n++] = 0;
	m[n++] = 1;
	return n;
}

static void
match(void **state)
{
	struct det_dnsmatch *m = det_dnsmatch_create(1024, 10000);
	uint8_t cl[16], sv[16], other[16], b[300];
	uint16_t id;
	size_t n;

	(void)state;
	assert_non_null(m);
	v4(cl, 10, 9, 0, 10);
	v4(sv, 10, 9, 0, 1);
	v4(other, 119, 29, 29, 29);
	assert_false(det_dnsmatch_ready(m, T0));
	n = msg(b, 0x1234, 0, "Bank.Example");
	assert_int_equal(det_dnsmatch_query(m, cl, 5353, sv, b, n, T0), 0);
	/* nothing is called forged in the first timeout: queries may have
	 * been sent before we started */
	n = msg(b, 0x9999, 1, "bank.example");
	assert_false(det_dnsmatch_ready(m, T0 + SEC));
	assert_int_equal(det_dnsmatch_answer(m, cl, 5353, sv, b, n,
			 T0 + SEC, &id), DET_DNS_NO_HISTORY);
	/* ready once it has watched for a timeout */
	assert_false(det_dnsmatch_ready(m, T0 + 10 * SEC - 1));
	assert_true(det_dnsmatch_ready(m, T0 + 10 * SEC));
	n = msg(b, 0x4321, 0, "bank.example");
	det_dnsmatch_query(m, cl, 5353, sv, b, n, T0 + 20 * SEC);
	/* a guessed id */
	n = msg(b, 0x4322, 1, "bank.example");
	assert_int_equal(det_dnsmatch_answer(m, cl, 5353, sv, b, n,
			 T0 + 20 * SEC + MS, &id), DET_DNS_UNMATCHED);
	assert_int_equal(id, 0x4322);
	/* the right id, another question */
	n = msg(b, 0x4321, 1, "evil.example");
	assert_int_equal(det_dnsmatch_answer(m, cl, 5353, sv, b, n,
			 T0 + 20 * SEC + MS, &id), DET_DNS_NAME_MISMATCH);
	/* the real one, case-insensitive, from another server address */
	n = msg(b, 0x4321, 1, "BANK.example");
	assert_int_equal(det_dnsmatch_answer(m, cl, 5353, other, b, n,
			 T0 + 20 * SEC + 2 * MS, &id), DET_DNS_MATCHED);
	assert_int_equal(det_dnsmatch_answer(m, cl, 5353, other, b, n,
			 T0 + 20 * SEC + 3 * MS, &id), DET_DNS_DUPLICATE);
	/* answered minutes late (a forwarder's outage): late, not forged */
	n = msg(b, 0x0101, 0, "late.example");
	det_dnsmatch_query(m, cl, 6000, sv, b, n, T0 + 30 * SEC);
	n = msg(b, 0x0101, 1, "late.example");
	assert_int_equal(det_dnsmatch_answer(m, cl, 6000, sv, b, n,
			 T0 + 157 * SEC, &id), DET_DNS_LATE);
	/* junk */
	assert_int_equal(det_dnsmatch_answer(m, cl, 6000, sv, b, 5,
			 T0 + 158 * SEC, &id), DET_DNS_NOT_DNS);
	assert_int_equal(det_dnsmatch_query(m, cl, 6000, sv, NULL, 0, T0), -22);
	det_dnsmatch_free(m);
}

static void
full_table_is_no_history(void **state)
{
	struct det_dnsmatch *m = det_dnsmatch_create(8, 10000);
	struct det_dnsmatch_stats st;
	uint8_t cl[16], sv[16], b[300];
	uint16_t id;
	size_t n;
	int unmatched = 0;

	(void)state;
	v4(cl, 10, 9, 0, 10);
	v4(sv, 10, 9, 0, 1);
	n = msg(b, 1, 0, "x.example");
	det_dnsmatch_query(m, cl, 1000, sv, b, n, T0);
	/* many pending queries: some are pushed out */
	for (int i = 0; i < 100; i++) {
		n = msg(b, (uint16_t)(100 + i), 0, "x.example");
		det_dnsmatch_query(m, cl, 1000, sv, b, n, T0 + 20 * SEC);
	}
	det_dnsmatch_stats(m, &st);
	assert_true(st.evicted > 0);
	/* their answers must not be called forged */
	for (int i = 0; i < 100; i++) {
		n = msg(b, (uint16_t)(100 + i), 1, "x.example");
		if (det_dnsmatch_answer(m, cl, 1000, sv, b, n, T0 + 21 * SEC,
				&id) == DET_DNS_UNMATCHED)
			unmatched++;
	}
	assert_int_equal(unmatched, 0);
	det_dnsmatch_free(m);
}

TEST_MAIN(
	cmocka_unit_test(match),
	cmocka_unit_test(full_table_is_no_history))
