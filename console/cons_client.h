/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The console's link to cordond: the same protobuf envelopes over nng that
 * cordonctl sends, on one req socket shared by every HTTP thread. Each call
 * opens its own nng context, so requests run concurrently and a slow one
 * (a flows query waits up to 2 s for the dataplane) holds up no other.
 * The socket dials in the background: the console starts, and answers
 * 503, while cordond is away.
 */

#ifndef CORDON_CONS_CLIENT_H
#define CORDON_CONS_CLIENT_H

#include <stdint.h>

#include <nng/nng.h>

#include "wire.h"

struct cons_client {
	nng_socket sock;
	uint32_t timeout_ms;
	uint64_t next_id;	/* atomic */
	uint64_t calls;		/* atomic */
	uint64_t failures;	/* atomic: unreachable, timed out, bad reply */
};

/* Open the socket and start dialing url. 0 or -errno. */
int cons_client_open(struct cons_client *c, const char *url,
		     uint32_t timeout_ms);
void cons_client_close(struct cons_client *c);

/*
 * One request and its reply. Returns:
 *   0           *reply is of type `want` (free it with wire_msg_free())
 *   -EREMOTEIO  cordond answered an Error: code and text in *err
 *   -ETIMEDOUT  no answer within the timeout (cordond away or busy)
 *   -EBADMSG    a reply of the wrong type, or one that does not decode
 *   other       -errno of the transport
 */
int cons_client_call(struct cons_client *c, Cordon__MsgType type,
		     const ProtobufCMessage *req, Cordon__MsgType want,
		     struct wire_msg *reply, struct wire_err *err);
/* The same with its own timeout (a capture takes its time). */
int cons_client_call_within(struct cons_client *c, uint32_t timeout_ms,
			    Cordon__MsgType type, const ProtobufCMessage *req,
			    Cordon__MsgType want, struct wire_msg *reply,
			    struct wire_err *err);

#endif /* CORDON_CONS_CLIENT_H */
