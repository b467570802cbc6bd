/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static const struct {
	Cordon__MsgType type;
	const char *name;
	const ProtobufCMessageDescriptor *desc;
} wire_types[] = {
	{ CORDON__MSG_TYPE__MSG_ACK, "MSG_ACK", &cordon__ack__descriptor },
	{ CORDON__MSG_TYPE__MSG_ERROR, "MSG_ERROR", &cordon__error__descriptor },
	{ CORDON__MSG_TYPE__MSG_PING, "MSG_PING", &cordon__ping__descriptor },
	{ CORDON__MSG_TYPE__MSG_HELLO, "MSG_HELLO", &cordon__hello__descriptor },
	{ CORDON__MSG_TYPE__MSG_HELLO_ACK, "MSG_HELLO_ACK",
	  &cordon__hello_ack__descriptor },
	{ CORDON__MSG_TYPE__MSG_STATS_REPORT, "MSG_STATS_REPORT",
	  &cordon__stats_report__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLL, "MSG_POLL", &cordon__poll__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLL_REPLY, "MSG_POLL_REPLY",
	  &cordon__poll_reply__descriptor },
	{ CORDON__MSG_TYPE__MSG_STATUS_REQUEST, "MSG_STATUS_REQUEST",
	  &cordon__status_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_STATUS_REPLY, "MSG_STATUS_REPLY",
	  &cordon__status_reply__descriptor },
	{ CORDON__MSG_TYPE__MSG_STATS_REQUEST, "MSG_STATS_REQUEST",
	  &cordon__stats_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_STATS_REPLY, "MSG_STATS_REPLY",
	  &cordon__stats_reply__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY, "MSG_POLICY",
	  &cordon__policy__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_GET, "MSG_POLICY_GET",
	  &cordon__policy_get__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_APPLY, "MSG_POLICY_APPLY",
	  &cordon__policy_apply__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_HISTORY, "MSG_POLICY_HISTORY",
	  &cordon__policy_history_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_DIFF, "MSG_POLICY_DIFF",
	  &cordon__policy_diff_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_ROLLBACK, "MSG_POLICY_ROLLBACK",
	  &cordon__policy_rollback__descriptor },
	{ CORDON__MSG_TYPE__MSG_QUARANTINE, "MSG_QUARANTINE",
	  &cordon__quarantine__descriptor },
	{ CORDON__MSG_TYPE__MSG_EVENTS_REQUEST, "MSG_EVENTS_REQUEST",
	  &cordon__events_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_EVENTS, "MSG_EVENTS", &cordon__events__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_HISTORY_REPLY, "MSG_POLICY_HISTORY_REPLY",
	  &cordon__policy_history__descriptor },
	{ CORDON__MSG_TYPE__MSG_POLICY_DIFF_REPLY, "MSG_POLICY_DIFF_REPLY",
	  &cordon__policy_diff__descriptor },
	{ CORDON__MSG_TYPE__MSG_MUD_IMPORT, "MSG_MUD_IMPORT",
	  &cordon__mud_import__descriptor },
	{ CORDON__MSG_TYPE__MSG_MUD_LIST, "MSG_MUD_LIST",
	  &cordon__mud_list_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY, "MSG_MUD_LIST_REPLY",
	  &cordon__mud_list__descriptor },
	{ CORDON__MSG_TYPE__MSG_MUD_REMOVE, "MSG_MUD_REMOVE",
	  &cordon__mud_remove__descriptor },
	{ CORDON__MSG_TYPE__MSG_FLOWS_REQUEST, "MSG_FLOWS_REQUEST",
	  &cordon__flows_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_FLOWS_REPLY, "MSG_FLOWS_REPLY",
	  &cordon__flows__descriptor },
	{ CORDON__MSG_TYPE__MSG_FLOWS_QUERY, "MSG_FLOWS_QUERY",
	  &cordon__flows_query__descriptor },
	{ CORDON__MSG_TYPE__MSG_FLOWS_DUMP, "MSG_FLOWS_DUMP",
	  &cordon__flows_dump__descriptor },
	{ CORDON__MSG_TYPE__MSG_BACKUP, "MSG_BACKUP",
	  &cordon__backup__descriptor },
	{ CORDON__MSG_TYPE__MSG_BACKUP_REPLY, "MSG_BACKUP_REPLY",
	  &cordon__backup__descriptor },
	{ CORDON__MSG_TYPE__MSG_AUDIT, "MSG_AUDIT", &cordon__audit__descriptor },
	{ CORDON__MSG_TYPE__MSG_DEVICE_SEGMENT, "MSG_DEVICE_SEGMENT",
	  &cordon__device_segment__descriptor },
	{ CORDON__MSG_TYPE__MSG_ASK_REPORT, "MSG_ASK_REPORT",
	  &cordon__ask_report__descriptor },
	{ CORDON__MSG_TYPE__MSG_PROMPTS_REQUEST, "MSG_PROMPTS_REQUEST",
	  &cordon__prompts_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_PROMPTS, "MSG_PROMPTS",
	  &cordon__prompts__descriptor },
	{ CORDON__MSG_TYPE__MSG_PROMPT_ANSWER, "MSG_PROMPT_ANSWER",
	  &cordon__prompt_answer__descriptor },
	{ CORDON__MSG_TYPE__MSG_CAPTURE_REQUEST, "MSG_CAPTURE_REQUEST",
	  &cordon__capture_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_CAPTURE_REPLY, "MSG_CAPTURE_REPLY",
	  &cordon__capture__descriptor },
	{ CORDON__MSG_TYPE__MSG_CAPTURE_QUERY, "MSG_CAPTURE_QUERY",
	  &cordon__capture_query__descriptor },
	{ CORDON__MSG_TYPE__MSG_CAPTURE_DUMP, "MSG_CAPTURE_DUMP",
	  &cordon__capture_dump__descriptor },
	{ CORDON__MSG_TYPE__MSG_ALERT, "MSG_ALERT",
	  &cordon__alert__descriptor },
	{ CORDON__MSG_TYPE__MSG_ALERTS_REQUEST, "MSG_ALERTS_REQUEST",
	  &cordon__alerts_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_ALERTS, "MSG_ALERTS",
	  &cordon__alerts__descriptor },
	{ CORDON__MSG_TYPE__MSG_ENVELOPE, "MSG_ENVELOPE",
	  &cordon__device_envelope__descriptor },
	{ CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST, "MSG_ENVELOPES_REQUEST",
	  &cordon__envelopes_request__descriptor },
	{ CORDON__MSG_TYPE__MSG_ENVELOPES, "MSG_ENVELOPES",
	  &cordon__envelopes__descriptor },
	{ CORDON__MSG_TYPE__MSG_RELEARN, "MSG_RELEARN",
	  &cordon__relearn__descriptor },
};

#define WIRE_NTYPES (sizeof(wire_types) / sizeof(wire_types[0]))

const ProtobufCMessageDescriptor *
wire_descriptor(Cordon__MsgType type)
{
	for (size_t i = 0; i < WIRE_NTYPES; i++)
		if (wire_types[i].type == type)
			return wire_types[i].desc;
	return NULL;
}

const char *
wire_type_name(Cordon__MsgType type)
{
	static __thread char buf[24];

	for (size_t i = 0; i < WIRE_NTYPES; i++)
		if (wire_types[i].type == type)
			return wire_types[i].name;
	snprintf(buf, sizeof(buf), "MSG_%d", (int)type);
	return buf;
}

const char *
wire_err_name(Cordon__ErrorCode code)
{
	switch (code) {
	case CORDON__ERROR_CODE__ERR_NONE: return "none";
	case CORDON__ERROR_CODE__ERR_BAD_VERSION: return "bad_version";
	case CORDON__ERROR_CODE__ERR_DECODE: return "decode";
	case CORDON__ERROR_CODE__ERR_UNKNOWN_TYPE: return "unknown_type";
	case CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD: return "unknown_field";
	case CORDON__ERROR_CODE__ERR_UNEXPECTED: return "unexpected";
	case CORDON__ERROR_CODE__ERR_NOT_REGISTERED: return "not_registered";
	case CORDON__ERROR_CODE__ERR_INVALID: return "invalid";
	case CORDON__ERROR_CODE__ERR_NOT_FOUND: return "not_found";
	case CORDON__ERROR_CODE__ERR_INTERNAL: return "internal";
	case CORDON__ERROR_CODE__ERR_TOO_LARGE: return "too_large";
	default: return "unknown_error";
	}
}

int
wire_pack(Cordon__MsgType type, uint64_t request_id,
	  const ProtobufCMessage *payload, uint8_t **buf, size_t *len)
{
	Cordon__Envelope env = CORDON__ENVELOPE__INIT;
	const ProtobufCMessageDescriptor *desc = wire_descriptor(type);
	uint8_t *pbuf = NULL, *out;
	size_t plen = 0, olen;

	if (desc == NULL || payload == NULL || payload->descriptor != desc)
		return -EINVAL;

	plen = protobuf_c_message_get_packed_size(payload);
	if (plen > 0) {
		pbuf = malloc(plen);
		if (pbuf == NULL)
			return -ENOMEM;
		protobuf_c_message_pack(payload, pbuf);
	}

	env.version = WIRE_VERSION;
	env.type = type;
	env.request_id = request_id;
	env.payload.data = pbuf;
	env.payload.len = plen;

	olen = cordon__envelope__get_packed_size(&env);
	/* malloc(0) may return NULL; an envelope is never empty anyway. */
	out = malloc(olen ? olen : 1);
	if (out == NULL) {
		free(pbuf);
		return -ENOMEM;
	}
	cordon__envelope__pack(&env, out);
	free(pbuf);

	*buf = out;
	*len = olen;
	return 0;
}

int
wire_pack_raw(Cordon__MsgType type, uint64_t request_id,
	      const uint8_t *payload, size_t plen, uint8_t **buf, size_t *len)
{
	Cordon__Envelope env = CORDON__ENVELOPE__INIT;
	uint8_t *out;
	size_t olen;

	if (wire_descriptor(type) == NULL)
		return -EINVAL;
	env.version = WIRE_VERSION;
	env.type = type;
	env.request_id = request_id;
	env.payload.data = (uint8_t *)(uintptr_t)payload;
	env.payload.len = plen;
	olen = cordon__envelope__get_packed_size(&env);
	out = malloc(olen ? olen : 1);
	if (out == NULL)
		return -ENOMEM;
	cordon__envelope__pack(&env, out);
	*buf = out;
	*len = olen;
	return 0;
}

int
wire_pack_error(uint64_t request_id, Cordon__ErrorCode code, const char *text,
		uint8_t **buf, size_t *len)
{
	Cordon__Error e = CORDON__ERROR__INIT;

	e.code = code;
	e.message = (char *)(text ? text : "");
	return wire_pack(CORDON__MSG_TYPE__MSG_ERROR, request_id,
			 &e.base, buf, len);
}

/*
 * Fields retired from the protocol ("reserved" in cordon.proto): a peer
 * older than the minor version that retired one may still send it, and
 * it is dropped unread rather than refusing the whole message.
 */
static const struct {
	const ProtobufCMessageDescriptor *desc;
	uint32_t tag;
	uint32_t minor;			/* retired in */
} wire_retired[] = {
	{ &cordon__device_identity__descriptor, 12, 2 },	/* evidence_json */
	{ &cordon__event__descriptor, 6, 2 },			/* detail_json */
};

static bool
wire_is_retired(const ProtobufCMessageDescriptor *d, uint32_t tag,
		uint32_t minor)
{
	for (size_t i = 0; i < sizeof(wire_retired) / sizeof(wire_retired[0]);
	     i++)
		if (wire_retired[i].desc == d && wire_retired[i].tag == tag &&
		    minor < wire_retired[i].minor)
			return true;
	return false;
}

/*
 * Find the first unknown field in m or any message below it, from a peer
 * speaking minor: its tag and the name of the message that held it.
 * Tag 0 is one too (protobuf-c keeps a field number 0 sent in a two-byte
 * tag), so whether one was found is the return, not the tag.
 */
static bool
wire_unknown_field(const ProtobufCMessage *m, uint32_t minor, uint32_t *tag,
		   const char **where)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	for (size_t i = 0; i < m->n_unknown_fields; i++) {
		if (wire_is_retired(d, m->unknown_fields[i].tag, minor))
			continue;
		*where = d->name;
		*tag = m->unknown_fields[i].tag;
		return true;
	}

	for (unsigned int i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *base = (const char *)m;

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;

		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *v =
				*(ProtobufCMessage *const *const *)(base + f->offset);

			for (size_t j = 0; j < n; j++)
				if (wire_unknown_field(v[j], minor, tag, where))
					return true;
			continue;
		}

		/* Only the set member of a oneof holds a valid pointer. */
		if (wire_oneof_other(f, m))
			continue;

		const ProtobufCMessage *sub =
			*(const ProtobufCMessage *const *)(base + f->offset);

		if (sub != NULL && wire_unknown_field(sub, minor, tag, where))
			return true;
	}
	return false;
}

int
wire_unpack(const void *buf, size_t len, struct wire_msg *msg,
	    struct wire_err *err)
{
	const ProtobufCMessageDescriptor *desc;
	Cordon__Envelope *env;
	const char *where = NULL;
	uint32_t tag;
	int rc;

	memset(msg, 0, sizeof(*msg));
	err->code = CORDON__ERROR_CODE__ERR_NONE;
	err->text[0] = '\0';

	if (len > WIRE_MAX_MSG) {
		err->code = CORDON__ERROR_CODE__ERR_TOO_LARGE;
		snprintf(err->text, sizeof(err->text),
			 "message of %zu bytes exceeds the %u byte limit",
			 len, WIRE_MAX_MSG);
		return -EMSGSIZE;
	}

	env = cordon__envelope__unpack(NULL, len, buf);
	if (env == NULL) {
		err->code = CORDON__ERROR_CODE__ERR_DECODE;
		snprintf(err->text, sizeof(err->text),
			 "envelope does not decode (%zu bytes)", len);
		return -EBADMSG;
	}

	msg->version = env->version;
	msg->type = env->type;
	msg->request_id = env->request_id;

	if (WIRE_VERSION_MAJOR_OF(env->version) != WIRE_VERSION_MAJOR) {
		err->code = CORDON__ERROR_CODE__ERR_BAD_VERSION;
		snprintf(err->text, sizeof(err->text),
			 "protocol version %u.%u, this side speaks %u.x",
			 WIRE_VERSION_MAJOR_OF(env->version),
			 WIRE_VERSION_MINOR_OF(env->version),
			 WIRE_VERSION_MAJOR);
		rc = -EPROTO;
		goto out;
	}

	if (env->base.n_unknown_fields > 0) {
		err->code = CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD;
		snprintf(err->text, sizeof(err->text),
			 "unknown field %u in envelope",
			 env->base.unknown_fields[0].tag);
		rc = -ENOTSUP;
		goto out;
	}

	desc = wire_descriptor(env->type);
	if (desc == NULL) {
		err->code = CORDON__ERROR_CODE__ERR_UNKNOWN_TYPE;
		snprintf(err->text, sizeof(err->text),
			 "unknown message type %d", (int)env->type);
		rc = -ENOMSG;
		goto out;
	}

	msg->payload = protobuf_c_message_unpack(desc, NULL, env->payload.len,
						 env->payload.data);
	if (msg->payload == NULL) {
		err->code = CORDON__ERROR_CODE__ERR_DECODE;
		snprintf(err->text, sizeof(err->text),
			 "%s payload does not decode (%zu bytes)",
			 wire_type_name(env->type), env->payload.len);
		rc = -EBADMSG;
		goto out;
	}

	if (wire_unknown_field(msg->payload, WIRE_VERSION_MINOR_OF(env->version),
			       &tag, &where)) {
		err->code = CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD;
		snprintf(err->text, sizeof(err->text),
			 "unknown field %u in %s", tag, where);
		protobuf_c_message_free_unpacked(msg->payload, NULL);
		msg->payload = NULL;
		rc = -ENOTSUP;
		goto out;
	}
	rc = 0;
out:
	cordon__envelope__free_unpacked(env, NULL);
	return rc;
}

void
wire_msg_free(struct wire_msg *msg)
{
	if (msg->payload != NULL)
		protobuf_c_message_free_unpacked(msg->payload, NULL);
	msg->payload = NULL;
}
