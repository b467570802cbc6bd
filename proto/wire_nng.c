/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wire_nng.h"

int
wire_nng_errno(int rv)
{
	switch (rv) {
	case 0: return 0;
	case NNG_ETIMEDOUT: return -ETIMEDOUT;
	case NNG_ECONNREFUSED: return -ECONNREFUSED;
	case NNG_ENOENT: return -ENOENT;
	case NNG_ECLOSED: return -EPIPE;
	case NNG_ECONNSHUT: return -ECONNRESET;
	case NNG_ECONNRESET: return -ECONNRESET;
	case NNG_EADDRINVAL: return -EINVAL;
	case NNG_EINVAL: return -EINVAL;
	case NNG_ENOMEM: return -ENOMEM;
	case NNG_EPERM: return -EPERM;
	case NNG_EADDRINUSE: return -EADDRINUSE;
	case NNG_ENOTSUP: return -ENOTSUP;
	case NNG_EMSGSIZE: return -EMSGSIZE;
	case NNG_ECANCELED: return -ECANCELED;
	case NNG_ESTATE: return -EALREADY;
	case NNG_EAGAIN: return -EAGAIN;
	default: return -EIO;
	}
}

int
wire_nng_msg(Cordon__MsgType type, uint64_t request_id,
	     const ProtobufCMessage *payload, nng_msg **out)
{
	uint8_t *buf;
	size_t len;
	nng_msg *m = NULL;
	int rc;

	rc = wire_pack(type, request_id, payload, &buf, &len);
	if (rc < 0)
		return rc;
	rc = wire_nng_errno(nng_msg_alloc(&m, 0));
	if (rc == 0) {
		rc = wire_nng_errno(nng_msg_append(m, buf, len));
		if (rc < 0)
			nng_msg_free(m);
		else
			*out = m;
	}
	free(buf);
	return rc;
}

int
wire_nng_error_msg(uint64_t request_id, Cordon__ErrorCode code,
		   const char *text, nng_msg **out)
{
	Cordon__Error e = CORDON__ERROR__INIT;

	e.code = code;
	e.message = (char *)(text ? text : "");
	return wire_nng_msg(CORDON__MSG_TYPE__MSG_ERROR, request_id, &e.base,
			    out);
}

/*
 * One send or receive: the blocking calls, or on aio when there is one, so
 * that another thread can end the wait with nng_aio_stop(aio) rather than
 * by closing the socket under it (see wire_nng_call_aio()). The socket's
 * timeouts apply either way. A message that could not be sent stays the
 * caller's.
 */
static int
wire_nng_send(nng_socket sock, nng_aio *aio, nng_msg *m)
{
	int rv;

	if (aio == NULL)
		return wire_nng_errno(nng_sendmsg(sock, m, 0));
	nng_aio_set_timeout(aio, NNG_DURATION_DEFAULT);
	nng_aio_set_msg(aio, m);
	nng_send_aio(sock, aio);
	nng_aio_wait(aio);
	rv = nng_aio_result(aio);
	nng_aio_set_msg(aio, NULL);
	return wire_nng_errno(rv);
}

static int
wire_nng_recv(nng_socket sock, nng_aio *aio, nng_msg **m)
{
	int rv;

	if (aio == NULL)
		return wire_nng_errno(nng_recvmsg(sock, m, 0));
	nng_aio_set_timeout(aio, NNG_DURATION_DEFAULT);
	nng_recv_aio(sock, aio);
	nng_aio_wait(aio);
	rv = nng_aio_result(aio);
	if (rv == 0) {
		*m = nng_aio_get_msg(aio);
		nng_aio_set_msg(aio, NULL);
	}
	return wire_nng_errno(rv);
}

/* Send m (consumed), wait for the reply to request_id, decode it. */
static int
wire_nng_exchange(nng_socket sock, nng_aio *aio, nng_msg *m,
		  uint64_t request_id, struct wire_msg *reply,
		  struct wire_err *err)
{
	int rc;

	rc = wire_nng_send(sock, aio, m);
	if (rc < 0) {
		nng_msg_free(m);
		return rc;
	}
	rc = wire_nng_recv(sock, aio, &m);
	if (rc < 0)
		return rc;

	rc = wire_unpack(nng_msg_body(m), nng_msg_len(m), reply, err);
	nng_msg_free(m);
	if (rc == 0 && reply->request_id != request_id) {
		wire_msg_free(reply);
		err->code = CORDON__ERROR_CODE__ERR_UNEXPECTED;
		strcpy(err->text, "reply to another request");
		rc = -EBADMSG;
	}
	return rc;
}

int
wire_nng_call_aio(nng_socket sock, nng_aio *aio, Cordon__MsgType type,
		  uint64_t request_id, const ProtobufCMessage *payload,
		  struct wire_msg *reply, struct wire_err *err)
{
	nng_msg *m = NULL;
	int rc;

	memset(reply, 0, sizeof(*reply));
	err->code = CORDON__ERROR_CODE__ERR_NONE;
	err->text[0] = '\0';
	rc = wire_nng_msg(type, request_id, payload, &m);
	if (rc < 0)
		return rc;
	return wire_nng_exchange(sock, aio, m, request_id, reply, err);
}

int
wire_nng_call(nng_socket sock, Cordon__MsgType type, uint64_t request_id,
	      const ProtobufCMessage *payload, struct wire_msg *reply,
	      struct wire_err *err)
{
	return wire_nng_call_aio(sock, NULL, type, request_id, payload, reply,
				 err);
}

int
wire_nng_call_raw(nng_socket sock, Cordon__MsgType type, uint64_t request_id,
		  const uint8_t *payload, size_t plen, struct wire_msg *reply,
		  struct wire_err *err)
{
	uint8_t *buf;
	size_t len;
	nng_msg *m = NULL;
	int rc;

	memset(reply, 0, sizeof(*reply));
	err->code = CORDON__ERROR_CODE__ERR_NONE;
	err->text[0] = '\0';
	rc = wire_pack_raw(type, request_id, payload, plen, &buf, &len);
	if (rc < 0)
		return rc;
	rc = wire_nng_errno(nng_msg_alloc(&m, 0));
	if (rc == 0)
		rc = wire_nng_errno(nng_msg_append(m, buf, len));
	free(buf);
	if (rc < 0) {
		if (m != NULL)
			nng_msg_free(m);
		return rc;
	}
	return wire_nng_exchange(sock, NULL, m, request_id, reply, err);
}
