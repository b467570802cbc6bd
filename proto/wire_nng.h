/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Envelopes over nng. Requesters (cordonctl, the dataplane agent) use
 * wire_nng_call() on a req socket; responders (cordond) use
 * wire_nng_reply*() on a rep context. All of them report nng failures as
 * negative errno-style codes via wire_nng_errno().
 */

#ifndef CORDON_WIRE_NNG_H
#define CORDON_WIRE_NNG_H

#include <nng/nng.h>

#include "wire.h"

/* Map an nng error to a negative errno value. */
int wire_nng_errno(int nng_rv);

/*
 * Send one request and wait for its reply on a req socket. The reply is decoded into *reply (free it with
 * wire_msg_free()). An Error reply is returned as a message of type
 * MSG_ERROR: callers decide what it means. A reply whose request id does not
 * match is -EBADMSG.
 *   -ETIMEDOUT  no reply within the socket's receive timeout
 *   -ECONNREFUSED, -ENOENT, ...  transport failures
 *   other       wire_unpack() failures; err says why
 */
int wire_nng_call(nng_socket sock, Cordon__MsgType type,
		  uint64_t request_id, const ProtobufCMessage *payload,
		  struct wire_msg *reply, struct wire_err *err);

/*
 * wire_nng_call() on aio (from nng_aio_alloc(), used by one thread at a
 * time), or blocking as wire_nng_call() when aio is NULL. Another thread
 * ends the call with nng_aio_stop(aio): it returns -ECANCELED, and so does
 * every later call on that aio. This is the way to stop a thread waiting
 * on a socket: closing the socket under the wait races with the timeout
 * of that wait in nng 1.5 (see agent_stop_main()).
 */
int wire_nng_call_aio(nng_socket sock, nng_aio *aio, Cordon__MsgType type,
		      uint64_t request_id, const ProtobufCMessage *payload,
		      struct wire_msg *reply, struct wire_err *err);

/* wire_nng_call() for a payload that is already packed. */
int wire_nng_call_raw(nng_socket sock, Cordon__MsgType type,
		      uint64_t request_id, const uint8_t *payload, size_t plen,
		      struct wire_msg *reply, struct wire_err *err);

/* Pack and put an envelope into a fresh nng message. */
int wire_nng_msg(Cordon__MsgType type, uint64_t request_id,
		 const ProtobufCMessage *payload, nng_msg **out);

int wire_nng_error_msg(uint64_t request_id, Cordon__ErrorCode code,
		       const char *text, nng_msg **out);

#endif /* CORDON_WIRE_NNG_H */
