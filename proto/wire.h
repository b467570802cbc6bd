/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Envelope encoding shared by cordon-dataplane, cordond and cordonctl.
 *
 * wire_pack() wraps a payload message in an Envelope; wire_unpack() checks
 * the envelope (size, version, type) and decodes the payload with the
 * descriptor its type names. Anything malformed comes back as a negative
 * errno plus a struct wire_err that is ready to be sent back as an Error.
 * Nothing here knows about nng, so it is tested on plain buffers.
 */

#ifndef CORDON_WIRE_H
#define CORDON_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"

#define WIRE_VERSION_MAJOR 1u
/*
 * 1: MSG_FLOWS_* (a dataplane is only sent MSG_FLOWS_QUERY from 1 on)
 * 2: typed identity evidence and event details (JSON fields retired),
 *    HelloAck.proto_version
 * 3: MSG_ALERT, MSG_ALERTS_*, MSG_ENVELOPE*, detection actions in the
 *    policy (a dataplane sends alerts and envelopes from 3 on); consent
 *    prompts: Segment.ask, PollReply.grants, MSG_ASK_REPORT, MSG_PROMPT*
 *    (a dataplane is only sent grants from 3 on); MSG_CAPTURE_*
 * 4: DeviceIdentity firmware and tls_obsolete (and their evidence:
 *    FIELD_TLS, SOURCE_DISCOVERY), DeviceStats.segment_note
 * 5: Hello.boot_id, and over tls+tcp Hello.cert_chain and id_proof
 *    (sent first; a dataplane says hello again without them when an
 *    older cordond refuses them); Poll.cert_chain and id_proof
 * 6: Poll.boot_id (sent only to a cordond of 6 or later), Hello.uptime_ms
 *    (sent first; a dataplane says hello again without it when an older
 *    cordond refuses it); a cordond of 6 refuses the hello of a second
 *    live run of one id
 * No minor for MSG_BACKUP*, PolicyVersion.is_signed..pruned_unix_ms,
 * StatusReply.degraded* and EventsRequest.newest, before_id, Events.total:
 * cordonctl <-> cordond only, fields an older peer ignores or refuses
 * (ERR_UNKNOWN_FIELD), and an older cordond answers MSG_BACKUP with an
 * Error.
 */
#define WIRE_VERSION_MINOR 6u
#define WIRE_VERSION ((WIRE_VERSION_MAJOR << 16) | WIRE_VERSION_MINOR)
#define WIRE_VERSION_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define WIRE_VERSION_MINOR_OF(v) ((uint32_t)(v) & 0xffffu)

/* The largest encoded envelope either side accepts. */
#define WIRE_MAX_MSG (32u << 20)

struct wire_msg {
	uint32_t version;
	Cordon__MsgType type;
	uint64_t request_id;		/* valid whenever the envelope decoded */
	ProtobufCMessage *payload;	/* decoded payload, owned */
};

struct wire_err {
	Cordon__ErrorCode code;
	char text[160];
};

/* The payload descriptor of a message type, or NULL for unknown types. */
const ProtobufCMessageDescriptor *wire_descriptor(Cordon__MsgType type);

/* "MSG_HELLO" and so on; "MSG_<n>" for unknown values (static buffer). */
const char *wire_type_name(Cordon__MsgType type);

/* "bad_version" and so on, for counters and logs. */
const char *wire_err_name(Cordon__ErrorCode code);

/*
 * Encode payload (whose descriptor must be the one `type` names) in an
 * envelope. On success *buf is malloc()ed and owned by the caller.
 * Returns 0, -EINVAL for a payload that does not fit the type, or -ENOMEM.
 */
int wire_pack(Cordon__MsgType type, uint64_t request_id,
	      const ProtobufCMessage *payload, uint8_t **buf, size_t *len);

/* The same for a payload that is already packed (not checked). */
int wire_pack_raw(Cordon__MsgType type, uint64_t request_id,
		  const uint8_t *payload, size_t plen, uint8_t **buf,
		  size_t *len);

/* Shorthand for an Error reply. */
int wire_pack_error(uint64_t request_id, Cordon__ErrorCode code,
		    const char *text, uint8_t **buf, size_t *len);

/*
 * Decode and check an envelope and its payload. On failure msg->payload is
 * NULL, msg->request_id holds the request id if the envelope decoded, and
 * err says why. Returns 0 or:
 *   -EMSGSIZE  larger than WIRE_MAX_MSG
 *   -EBADMSG   envelope or payload does not decode
 *   -EPROTO    incompatible major version
 *   -ENOMSG    unknown message type
 *   -ENOTSUP   a field this build does not know
 * Always call wire_msg_free() afterwards.
 */
int wire_unpack(const void *buf, size_t len, struct wire_msg *msg,
		struct wire_err *err);

void wire_msg_free(struct wire_msg *msg);

/*
 * Whether field f of message m is a member of a oneof other than the one
 * set (its storage then belongs to another member: do not read it).
 */
static inline int
wire_oneof_other(const ProtobufCFieldDescriptor *f, const ProtobufCMessage *m)
{
	return (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		*(const uint32_t *)((const char *)m + f->quantifier_offset) !=
		f->id;
}

/* Typed access: the payload if msg is of `type`, else NULL. */
#define WIRE_PAYLOAD(msg, mtype, ctype) \
	((msg)->type == (mtype) ? (ctype *)(msg)->payload : NULL)

#endif /* CORDON_WIRE_H */
