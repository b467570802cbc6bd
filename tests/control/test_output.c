/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl's output: tables and protobuf-as-JSON. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cordon.pb-c.h"
#include "ctl_pbjson.h"
#include "ctl_table.h"
#include "test_main.h"

static char *
table_text(struct ctl_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ctl_table_print(f, t);
	fclose(f);
	return buf;
}

static void
test_table_alignment(void **state)
{
	static const char *const head[] = { "NAME", ">COUNT", "NOTE", NULL };
	const char *r1[] = { "a", "5", "x" };
	const char *r2[] = { "longer-name", "12345", "" };
	struct ctl_table t;
	char *s;

	(void)state;
	ctl_table_init(&t, head);
	assert_int_equal(t.n_cols, 3);
	ctl_table_row(&t, r1);
	ctl_table_row(&t, r2);
	s = table_text(&t);
	assert_string_equal(s,
		"NAME         COUNT  NOTE\n"
		"a                5  x\n"
		"longer-name  12345  \n");
	free(s);
	ctl_table_free(&t);
}

static void
test_durations(void **state)
{
	(void)state;
	assert_string_equal(ctl_fmt_duration_ms(1500), "1.5s");
	assert_string_equal(ctl_fmt_duration_ms(125000), "2m05s");
	assert_string_equal(ctl_fmt_duration_ms(3 * 3600000 + 60000), "3h01m");
	assert_string_equal(ctl_fmt_duration_ms(90000000), "1d01h");
	assert_string_equal(ctl_fmt_u64(UINT64_MAX), "18446744073709551615");
}

static void
test_pbjson(void **state)
{
	Cordon__StatsReport r = CORDON__STATS_REPORT__INIT;
	Cordon__PortStats p = CORDON__PORT_STATS__INIT, *pp = &p;
	Cordon__Counter c1 = CORDON__COUNTER__INIT, c2 = c1;
	Cordon__Counter *cp[] = { &c1, &c2 };
	Cordon__Endpoint ep = CORDON__ENDPOINT__INIT;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0xab }, v4[4] = { 10, 1, 2, 3 };
	json_t *j;
	char *s;

	(void)state;
	p.name = "net_null0";
	p.rx_packets = 1ull << 40;
	c1.name = "tx_full";
	c1.value = 3;
	c2.name = "l2_same_port";
	r.dataplane_id = "gw";
	r.n_ports = 1;
	r.ports = &pp;
	r.n_counters = 2;
	r.counters = cp;
	j = ctl_pbjson(&r.base);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(strstr(s, "\"dataplane_id\":\"gw\""));
	assert_non_null(strstr(s, "\"rx_packets\":1099511627776"));
	assert_non_null(strstr(s, "\"counters\":{\"tx_full\":3,"
			       "\"l2_same_port\":0}"));
	free(s);
	json_decref(j);

	/* oneof: only the set member; bytes as MAC and IP. */
	ep.kind_case = CORDON__ENDPOINT__KIND_DEVICE;
	ep.device.data = mac;
	ep.device.len = 6;
	j = ctl_pbjson(&ep.base);
	s = json_dumps(j, JSON_COMPACT);
	assert_string_equal(s, "{\"device\":\"02:00:00:00:00:ab\"}");
	free(s);
	json_decref(j);

	Cordon__Cidr cidr = CORDON__CIDR__INIT;
	cidr.addr.data = v4;
	cidr.addr.len = 4;
	cidr.prefix_len = 24;
	j = ctl_pbjson(&cidr.base);
	s = json_dumps(j, JSON_COMPACT);
	assert_string_equal(s, "{\"addr\":\"10.1.2.3\",\"prefix_len\":24}");
	free(s);
	json_decref(j);
}

TEST_MAIN(
	cmocka_unit_test(test_table_alignment),
	cmocka_unit_test(test_durations),
	cmocka_unit_test(test_pbjson))
