/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Envelopes over real nng sockets (inproc), both ends in this process. */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "endpoint.h"
#include "test_main.h"
#include "wire_nng.h"

struct server {
	nng_socket sock;
	int mode;	/* 0 echo seq as Ack, 1 wrong request id, 2 garbage */
	int served;
};

static void *
server_main(void *arg)
{
	struct server *s = arg;
	nng_msg *in, *out = NULL;
	struct wire_msg m;
	struct wire_err e;

	while (nng_recvmsg(s->sock, &in, 0) == 0) {
		int rc = wire_unpack(nng_msg_body(in), nng_msg_len(in), &m, &e);

		nng_msg_free(in);
		s->served++;
		if (rc < 0) {
			wire_nng_error_msg(m.request_id, e.code, e.text, &out);
		} else if (s->mode == 2) {
			nng_msg_alloc(&out, 0);
			nng_msg_append(out, "\xff\xff\xff", 3);
		} else {
			Cordon__Ack a = CORDON__ACK__INIT;

			a.seq = 7;
			wire_nng_msg(CORDON__MSG_TYPE__MSG_ACK,
				     m.request_id + (s->mode == 1), &a.base,
				     &out);
		}
		wire_msg_free(&m);
		if (nng_sendmsg(s->sock, out, 0) != 0)
			nng_msg_free(out);
	}
	return NULL;
}

/* One call, blocking or (use_aio) on an aio: twice, so the aio is reused. */
static void
run_call_on(int mode, int expect_rc, bool use_aio)
{
	struct server s = { .mode = mode };
	Cordon__Poll p = CORDON__POLL__INIT;
	struct wire_msg reply;
	struct wire_err err;
	nng_socket req;
	nng_aio *aio = NULL;
	pthread_t t;

	if (use_aio)
		assert_int_equal(nng_aio_alloc(&aio, NULL, NULL), 0);
	assert_int_equal(nng_rep0_open(&s.sock), 0);
	assert_int_equal(nng_listen(s.sock, "inproc://wire-test", NULL, 0), 0);
	assert_int_equal(pthread_create(&t, NULL, server_main, &s), 0);
	assert_int_equal(nng_req0_open(&req), 0);
	nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 20000);
	assert_int_equal(nng_dial(req, "inproc://wire-test", NULL, 0), 0);

	p.dataplane_id = "dp";
	for (int i = 0; i < (use_aio ? 2 : 1); i++) {
		assert_int_equal(wire_nng_call_aio(req, aio,
						   CORDON__MSG_TYPE__MSG_POLL,
						   41 + i, &p.base, &reply,
						   &err), expect_rc);
		if (expect_rc == 0) {
			assert_int_equal(reply.type,
					 CORDON__MSG_TYPE__MSG_ACK);
			assert_int_equal(((Cordon__Ack *)reply.payload)->seq,
					 7);
			wire_msg_free(&reply);
		}
	}
	nng_close(req);
	nng_close(s.sock);
	pthread_join(t, NULL);
	if (aio != NULL)
		nng_aio_free(aio);
	assert_int_equal(s.served, use_aio ? 2 : 1);
}

static void
run_call(int mode, int expect_rc)
{
	run_call_on(mode, expect_rc, false);
}

static void
test_call_ok(void **state)
{
	(void)state;
	run_call(0, 0);
}

static void
test_call_wrong_id(void **state)
{
	(void)state;
	run_call(1, -EBADMSG);
}

static void
test_call_garbage_reply(void **state)
{
	(void)state;
	run_call(2, -EBADMSG);
}

static void
test_call_nobody_there(void **state)
{
	Cordon__Poll p = CORDON__POLL__INIT;
	struct wire_msg reply;
	struct wire_err err;
	nng_socket req;

	(void)state;
	assert_int_equal(nng_req0_open(&req), 0);
	nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, 100);
	nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 100);
	assert_int_equal(nng_dial(req, "inproc://nobody", NULL,
				  NNG_FLAG_NONBLOCK), 0);
	p.dataplane_id = "dp";
	assert_int_equal(wire_nng_call(req, CORDON__MSG_TYPE__MSG_POLL, 1,
				       &p.base, &reply, &err), -ETIMEDOUT);
	nng_close(req);
}

static void
test_call_aio_ok(void **state)
{
	(void)state;
	run_call_on(0, 0, true);
}

/* The socket's send timeout applies to a call on an aio too. */
static void
test_call_aio_nobody_there(void **state)
{
	Cordon__Poll p = CORDON__POLL__INIT;
	struct wire_msg reply;
	struct wire_err err;
	nng_socket req;
	nng_aio *aio;

	(void)state;
	assert_int_equal(nng_aio_alloc(&aio, NULL, NULL), 0);
	assert_int_equal(nng_req0_open(&req), 0);
	nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, 100);
	assert_int_equal(nng_dial(req, "inproc://nobody", NULL,
				  NNG_FLAG_NONBLOCK), 0);
	p.dataplane_id = "dp";
	assert_int_equal(wire_nng_call_aio(req, aio,
					   CORDON__MSG_TYPE__MSG_POLL, 1,
					   &p.base, &reply, &err), -ETIMEDOUT);
	nng_close(req);
	nng_aio_free(aio);
}

struct stopped_call {
	nng_socket req;
	nng_aio *aio;
	int rc;
};

static void *
stopped_call_main(void *arg)
{
	struct stopped_call *c = arg;
	Cordon__Poll p = CORDON__POLL__INIT;
	struct wire_msg reply;
	struct wire_err err;

	p.dataplane_id = "dp";
	c->rc = wire_nng_call_aio(c->req, c->aio, CORDON__MSG_TYPE__MSG_POLL,
				  1, &p.base, &reply, &err);
	return NULL;
}

/*
 * nng_aio_stop() from another thread ends a call waiting for a peer that
 * is not there (60 s of send timeout left), and every later call on that
 * aio fails at once: how the dataplane agent stops its poll thread
 * without closing the socket under it.
 */
static void
test_call_aio_stopped(void **state)
{
	struct stopped_call c = { .rc = 1 };
	Cordon__Poll p = CORDON__POLL__INIT;
	struct wire_msg reply;
	struct wire_err err;
	pthread_t t;

	(void)state;
	assert_int_equal(nng_aio_alloc(&c.aio, NULL, NULL), 0);
	assert_int_equal(nng_req0_open(&c.req), 0);
	nng_socket_set_ms(c.req, NNG_OPT_SENDTIMEO, 60000);
	assert_int_equal(nng_dial(c.req, "inproc://nobody", NULL,
				  NNG_FLAG_NONBLOCK), 0);
	assert_int_equal(pthread_create(&t, NULL, stopped_call_main, &c), 0);
	usleep(50 * 1000);
	nng_aio_stop(c.aio);
	pthread_join(t, NULL);
	assert_int_equal(c.rc, -ECANCELED);
	p.dataplane_id = "dp";
	assert_int_equal(wire_nng_call_aio(c.req, c.aio,
					   CORDON__MSG_TYPE__MSG_POLL, 2,
					   &p.base, &reply, &err), -ECANCELED);
	nng_close(c.req);
	nng_aio_free(c.aio);
}

static void
test_endpoint_paths(void **state)
{
	char dir[64], url[64];

	(void)state;
	setenv("CORDON_RUNDIR", "/x/y", 1);
	assert_int_equal(endpoint_rundir(dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/x/y");
	assert_int_equal(endpoint_default_url(dir, ENDPOINT_CTL_SOCK, url,
					      sizeof(url)), 0);
	assert_string_equal(url, "ipc:///x/y/ctl.sock");
	assert_int_equal(endpoint_default_url(dir, ENDPOINT_CTL_SOCK, url, 12),
			 -ENAMETOOLONG);
	unsetenv("CORDON_RUNDIR");
	assert_int_equal(endpoint_rundir(dir, sizeof(dir)), 0);
	assert_true(dir[0] == '/');
}

TEST_MAIN(
	cmocka_unit_test(test_call_ok),
	cmocka_unit_test(test_call_wrong_id),
	cmocka_unit_test(test_call_garbage_reply),
	cmocka_unit_test(test_call_nobody_there),
	cmocka_unit_test(test_call_aio_ok),
	cmocka_unit_test(test_call_aio_nobody_there),
	cmocka_unit_test(test_call_aio_stopped),
	cmocka_unit_test(test_endpoint_paths))
