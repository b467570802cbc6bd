/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The envelope: learning, leaving it, identity changes, storage. */

#include <stdlib.h>

#include "det_envelope.h"
#include "test_det_util.h"
#include "test_main.h"

static void
learn_then_leave(void **state)
{
	struct det_config c;
	struct rec r;
	struct det_engine *e;
	uint8_t d[16], s[16];
	struct det_ev ev;

	(void)state;
	det_config_default(&c);
	c.learn_ms = 60000;
	e = engine(&c, &r);
	v4(d, 198, 18, 7, 7);
	flow(e, T0, 6, d, 40000, 443, DET_EV_ANSWERED);
	flow(e, T0 + SEC, 17, d, 40001, 123, DET_EV_ANSWERED);
	/* after learning: the same, and the same /24 */
	v4(d, 198, 18, 7, 99);
	flow(e, T0 + 100 * SEC, 6, d, 40002, 443, DET_EV_ANSWERED);
	assert_int_equal(r.n, 0);
	/* one new service: not yet */
	flow(e, T0 + 110 * SEC, 6, d, 40003, 8883, DET_EV_ANSWERED);
	assert_int_equal(r.n, 0);
	/* four new places: not yet */
	for (int i = 0; i < 4; i++) {
		v4(d, 203, 0, (uint8_t)(113 + i), 1);
		flow(e, T0 + 120 * SEC + i * SEC, 6, d, 40010, 443, 0);
	}
	assert_int_equal(r.n, 0);
	v4(d, 203, 0, 200, 1);
	flow(e, T0 + 130 * SEC, 6, d, 40020, 443, 0);
	assert_int_equal(rec_count(&r, DET_ENVELOPE), 1);
	/* accepting connections on a new port (another device connects) */
	v4(s, 10, 9, 0, 20);
	v4(d, 10, 9, 0, 10);
	ev = ev_make(DET_EV_FLOW_NEW, T0 + 7200 * SEC, DEV_B, 6, s, 50000, d,
		     23);
	memcpy(ev.peer_mac, DEV_A, 6);
	det_event(e, &ev);
	ev.kind = DET_EV_ANSWERED;
	det_event(e, &ev);
	assert_int_equal(rec_count(&r, DET_ENVELOPE), 2);
	assert_string_equal(r.a[1].ev.key, "tcp/23");
	assert_memory_equal(r.a[1].mac, DEV_A, 6);
	det_engine_destroy(e);
}

static void
identity(void **state)
{
	struct det_config c;
	struct rec r;
	struct det_engine *e;

	(void)state;
	det_config_default(&c);
	c.learn_ms = 60000;
	e = engine(&c, &r);
	det_facet(e, DEV_A, 0, T0, DET_FACET_DHCP, "55=1,3,6,12;60=udhcp");
	det_facet(e, DEV_A, 0, T0, DET_FACET_OS, "Linux");
	det_facet(e, DEV_A, 0, T0, DET_FACET_JA4, "t13d1516h2_aaaaaaaaaaaa_bbbbbbbbbbbb");
	det_facet(e, DEV_A, 0, T0 + SEC, DET_FACET_JA4, "t12d1209h2_cccccccccccc_dddddddddddd");
	/* the same again, later */
	det_facet(e, DEV_A, 0, T0 + 100 * SEC, DET_FACET_DHCP, "55=1,3,6,12;60=udhcp");
	det_facet(e, DEV_A, 0, T0 + 100 * SEC, DET_FACET_OS, "Linux");
	/* two unknown JA4s (an app update): not yet */
	det_facet(e, DEV_A, 0, T0 + 101 * SEC, DET_FACET_JA4, "t13d0000h2_eeeeeeeeeeee_ffffffffffff");
	det_facet(e, DEV_A, 0, T0 + 102 * SEC, DET_FACET_JA4, "t13d1516h2_aaaaaaaaaaaa_bbbbbbbbbbbb");
	det_facet(e, DEV_A, 0, T0 + 103 * SEC, DET_FACET_JA4, "t13d0000h2_eeeeeeeeeeee_ffffffffffff");
	assert_int_equal(r.n, 0);
	/* another OS */
	det_facet(e, DEV_A, 0, T0 + 200 * SEC, DET_FACET_OS, "Windows");
	assert_int_equal(rec_count(&r, DET_IDENTITY_CHANGE), 1);
	det_engine_destroy(e);
}

static void
storage(void **state)
{
	struct det_envelope env, back;
	uint8_t *buf;
	char err[200];
	int n;
	size_t cap = det_envelope_max_size();

	(void)state;
	buf = malloc(cap);
	det_envelope_init(&env, DEV_A, 7, T0, T0 + 60 * SEC);
	for (uint32_t i = 0; i < 20; i++)
		assert_int_equal(det_envelope_add(&env, DET_ENV_DST, 1000 + i),
				 1);
	assert_int_equal(det_envelope_add(&env, DET_ENV_DST, 1000), 0);
	det_envelope_add(&env, DET_ENV_SVC, det_env_port_key(6, 443));
	for (uint32_t i = 0; i < 100; i++)
		det_envelope_add(&env, DET_ENV_NAME, 5000 + i);
	assert_true(env.set[DET_ENV_NAME].open);	/* more than it holds */
	env.state = DET_ENV_COMPLETE;
	n = det_envelope_encode(&env, buf, cap);
	assert_true(n > 0);
	assert_int_equal(det_envelope_decode(&back, buf, (size_t)n, err,
					     sizeof(err)), 0);
	assert_memory_equal(back.mac, DEV_A, 6);
	assert_int_equal(back.vlan, 7);
	assert_true(det_envelope_has(&back, DET_ENV_DST, 1019));
	assert_false(det_envelope_has(&back, DET_ENV_DST, 999));
	assert_true(det_envelope_has(&back, DET_ENV_SVC,
				     det_env_port_key(6, 443)));
	assert_true(det_envelope_has(&back, DET_ENV_NAME, 1));	/* open */
	/* every corruption is refused with a reason */
	for (int i = 0; i < n; i++) {
		buf[i] ^= 0x40;
		assert_int_not_equal(det_envelope_decode(&back, buf, (size_t)n,
							 err, sizeof(err)), 0);
		assert_true(strlen(err) > 0);
		buf[i] ^= 0x40;
	}
	for (int l = 0; l < n; l++)
		assert_int_not_equal(det_envelope_decode(&back, buf, (size_t)l,
							 err, sizeof(err)), 0);
	memcpy(buf, "XXXX", 4);
	assert_int_not_equal(det_envelope_decode(&back, buf, (size_t)n, err,
						 sizeof(err)), 0);
	assert_non_null(strstr(err, "magic"));
	assert_int_equal(det_envelope_encode(&env, buf, 10), -28);
	free(buf);
}

DET_TEST(install_and_relearn)
{
	struct det_envelope env;
	uint8_t d[16];

	/* a MUD profile's envelope: HTTPS to one prefix, nothing else */
	det_envelope_init(&env, DEV_A, 0, T0, T0);
	env.source = DET_ENV_MUD;
	det_envelope_add(&env, DET_ENV_SVC, det_env_port_key(6, 443));
	v4(d, 198, 18, 7, 7);
	det_envelope_add(&env, DET_ENV_DST, det_env_prefix_key(d));
	det_envelope_add(&env, DET_ENV_PROTO, 6);
	assert_int_equal(det_envelope_install(e, &env), 0);
	flow(e, T0 + SEC, 6, d, 40000, 443, DET_EV_ANSWERED);
	assert_int_equal(r->n, 0);
	flow(e, T0 + 2 * SEC, 17, d, 40001, 5683, 0);
	assert_int_equal(rec_count(r, DET_ENVELOPE), 1);
	assert_non_null(strstr(r->a[0].ev.detail, "source=mud"));
	assert_int_equal(det_relearn(e, DEV_A, 0, T0 + 10 * SEC), 0);
	assert_int_equal(det_envelope_of(e, DEV_A, 0)->state,
			 DET_ENV_LEARNING);
	assert_int_equal(det_relearn(e, DEV_B, 0, T0), -2);
}

/* A MUD profile's rules as the envelope: what they list exactly, and
 * what they cannot list opens that dimension. */
DET_TEST(mud_profile)
{
	struct det_envelope env;
	struct det_mud_rule m;
	uint8_t p[16], d[16];

	det_envelope_mud_init(&env, DEV_A, 0, T0);
	assert_int_equal(env.state, DET_ENV_COMPLETE);
	assert_int_equal(env.source, DET_ENV_MUD);
	/* tcp/443 to 198.18.6.0/23: two /24s */
	memset(&m, 0, sizeof(m));
	v4(p, 198, 18, 6, 0);
	m.proto = 6;
	m.port_lo = m.port_hi = 443;
	m.addr = p;
	m.plen = 96 + 23;
	det_envelope_mud_allow(&env, &m);
	/* udp/123 to *.pool.ntp.org */
	memset(&m, 0, sizeof(m));
	m.proto = 17;
	m.port_lo = m.port_hi = 123;
	m.name = "*.pool.ntp.org";
	det_envelope_mud_allow(&env, &m);
	/* accepts tcp/80 */
	memset(&m, 0, sizeof(m));
	m.inbound = true;
	m.proto = 6;
	m.port_lo = m.port_hi = 80;
	det_envelope_mud_allow(&env, &m);
	assert_true(det_envelope_has(&env, DET_ENV_SVC, det_env_port_key(6, 443)));
	assert_true(det_envelope_has(&env, DET_ENV_SVC, det_env_port_key(17, 123)));
	assert_false(det_envelope_has(&env, DET_ENV_SVC, det_env_port_key(6, 80)));
	assert_true(det_envelope_has(&env, DET_ENV_LISTEN,
				     det_env_port_key(6, 80)));
	assert_true(det_envelope_has(&env, DET_ENV_PROTO, 6));
	assert_true(det_envelope_has(&env, DET_ENV_PROTO, 17));
	assert_false(det_envelope_has(&env, DET_ENV_PROTO, 47));
	v4(d, 198, 18, 6, 1);
	assert_true(det_envelope_has(&env, DET_ENV_DST, det_env_prefix_key(d)));
	v4(d, 198, 18, 7, 200);
	assert_true(det_envelope_has(&env, DET_ENV_DST, det_env_prefix_key(d)));
	v4(d, 198, 18, 8, 1);
	assert_false(det_envelope_has(&env, DET_ENV_DST, det_env_prefix_key(d)));
	assert_true(det_envelope_has(&env, DET_ENV_NAME,
				     det_env_str_key("ntp.org")));
	assert_false(env.set[DET_ENV_DST].open || env.set[DET_ENV_SVC].open);

	/* Judged by it: inside is quiet, two new services alert, said
	 * to come from the MUD profile. */
	assert_int_equal(det_envelope_install(e, &env), 0);
	v4(d, 198, 18, 7, 7);
	flow(e, T0 + SEC, 6, d, 40000, 443, DET_EV_ANSWERED);
	assert_int_equal(r->n, 0);
	flow(e, T0 + 2 * SEC, 6, d, 40001, 8883, 0);
	flow(e, T0 + 3 * SEC, 6, d, 40002, 1883, 0);
	assert_int_equal(rec_count(r, DET_ENVELOPE), 1);
	assert_non_null(strstr(r->a[0].ev.detail, "source=mud"));

	/* What a rule cannot list opens: any protocol, a wide port range,
	 * a /16, any peer. */
	det_envelope_mud_init(&env, DEV_B, 0, T0);
	memset(&m, 0, sizeof(m));
	m.proto = 6;
	m.port_lo = 1024;
	m.port_hi = 65535;
	v4(p, 10, 1, 0, 0);
	m.addr = p;
	m.plen = 96 + 16;
	det_envelope_mud_allow(&env, &m);
	assert_true(env.set[DET_ENV_SVC].open && env.set[DET_ENV_DST].open);
	assert_false(env.set[DET_ENV_PROTO].open);
	memset(&m, 0, sizeof(m));
	det_envelope_mud_allow(&env, &m);
	assert_true(env.set[DET_ENV_PROTO].open);
}

TEST_MAIN(
	cmocka_unit_test(learn_then_leave),
	cmocka_unit_test(identity),
	cmocka_unit_test(storage),
	det_test(install_and_relearn),
	det_test(mud_profile))
