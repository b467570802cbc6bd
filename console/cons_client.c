/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "cons_client.h"

#include <nng/protocol/reqrep0/req.h>
#include "wire_nng.h"

int
cons_client_open(struct cons_client *c, const char *url, uint32_t timeout_ms)
{
	struct timeval tv;
	int rv;

	memset(c, 0, sizeof(*c));
	c->timeout_ms = timeout_ms;
	/* Request ids differ across restarts of the console. */
	gettimeofday(&tv, NULL);
	c->next_id = ((uint64_t)tv.tv_sec << 20) ^ (uint64_t)tv.tv_usec;
	rv = nng_req0_open(&c->sock);
	if (rv != 0)
		return wire_nng_errno(rv);
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, WIRE_MAX_MSG);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMINT, 100);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMAXT, 1000);
	rv = nng_dial(c->sock, url, NULL, NNG_FLAG_NONBLOCK);
	if (rv != 0) {
		nng_close(c->sock);
		return wire_nng_errno(rv);
	}
	return 0;
}

void
cons_client_close(struct cons_client *c)
{
	nng_close(c->sock);
}

/* Run one send or receive on ctx and wait; the aio's result. */
static int
cons_aio_run(nng_ctx ctx, nng_aio *aio, bool send)
{
	if (send)
		nng_ctx_send(ctx, aio);
	else
		nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	return nng_aio_result(aio);
}

int
cons_client_call_within(struct cons_client *c, uint32_t timeout_ms,
			Cordon__MsgType type, const ProtobufCMessage *req,
			Cordon__MsgType want, struct wire_msg *reply,
			struct wire_err *err)
{
	uint64_t id = __atomic_add_fetch(&c->next_id, 1, __ATOMIC_RELAXED);
	nng_aio *aio = NULL;
	nng_msg *m = NULL;
	nng_ctx ctx;
	int rc, rv;

	memset(reply, 0, sizeof(*reply));
	memset(err, 0, sizeof(*err));
	__atomic_add_fetch(&c->calls, 1, __ATOMIC_RELAXED);
	rc = wire_nng_msg(type, id, req, &m);
	if (rc < 0)
		goto fail;
	rv = nng_ctx_open(&ctx, c->sock);
	if (rv != 0) {
		nng_msg_free(m);
		rc = wire_nng_errno(rv);
		goto fail;
	}
	rv = nng_aio_alloc(&aio, NULL, NULL);
	if (rv != 0) {
		nng_msg_free(m);
		rc = wire_nng_errno(rv);
		goto close;
	}
	/* One budget for both halves: a request cordond never took (it is
	 * away) times out just like one it never answered. */
	nng_aio_set_timeout(aio, (nng_duration)timeout_ms);
	nng_aio_set_msg(aio, m);
	rv = cons_aio_run(ctx, aio, true);
	if (rv != 0) {
		nng_msg_free(nng_aio_get_msg(aio));
		rc = wire_nng_errno(rv);
		goto close;
	}
	rv = cons_aio_run(ctx, aio, false);
	if (rv != 0) {
		rc = wire_nng_errno(rv);
		goto close;
	}
	m = nng_aio_get_msg(aio);
	rc = wire_unpack(nng_msg_body(m), nng_msg_len(m), reply, err);
	nng_msg_free(m);
	if (rc < 0) {
		rc = -EBADMSG;
	} else if (reply->request_id != id) {
		rc = -EBADMSG;
		snprintf(err->text, sizeof(err->text), "reply to another "
			 "request");
	} else if (reply->type == CORDON__MSG_TYPE__MSG_ERROR) {
		const Cordon__Error *e = (const Cordon__Error *)reply->payload;

		err->code = e->code;
		snprintf(err->text, sizeof(err->text), "%s", e->message);
		rc = -EREMOTEIO;
	} else if (reply->type != want) {
		snprintf(err->text, sizeof(err->text), "unexpected %s",
			 wire_type_name(reply->type));
		rc = -EBADMSG;
	}
	if (rc < 0)
		wire_msg_free(reply);
close:
	nng_aio_free(aio);
	nng_ctx_close(ctx);
fail:
	if (rc < 0 && rc != -EREMOTEIO)
		__atomic_add_fetch(&c->failures, 1, __ATOMIC_RELAXED);
	return rc;
}

int
cons_client_call(struct cons_client *c, Cordon__MsgType type,
		 const ProtobufCMessage *req, Cordon__MsgType want,
		 struct wire_msg *reply, struct wire_err *err)
{
	return cons_client_call_within(c, c->timeout_ms, type, req, want,
				       reply, err);
}
