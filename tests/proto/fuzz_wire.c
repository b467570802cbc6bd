/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: wire_unpack() on the bytes of one nng message, as
 * cordond and the dataplane receive them from a peer.
 *
 * Checks: the result is one of the documented codes with a matching
 * error code and text; a decoded message packs again, and unpacking that
 * gives the same type, request id and payload bytes (the decoder kept
 * nothing the encoder cannot say). ASan's leak check covers the error
 * paths, which must free the envelope and any payload.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_pack.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(why) do { \
	fprintf(stderr, "fuzz_wire: %s (line %d)\n", why, __LINE__); \
	abort(); \
} while (0)

static void
check_failed(int rc, const struct wire_msg *msg, const struct wire_err *err)
{
	if (msg->payload != NULL || err->text[0] == '\0' ||
	    err->code == CORDON__ERROR_CODE__ERR_NONE)
		abort();
	switch (rc) {
	case -EMSGSIZE:
		if (err->code != CORDON__ERROR_CODE__ERR_TOO_LARGE)
			abort();
		break;
	case -EBADMSG:
		if (err->code != CORDON__ERROR_CODE__ERR_DECODE)
			abort();
		break;
	case -EPROTO:
		if (err->code != CORDON__ERROR_CODE__ERR_BAD_VERSION)
			abort();
		break;
	case -ENOMSG:
		if (err->code != CORDON__ERROR_CODE__ERR_UNKNOWN_TYPE)
			abort();
		break;
	case -ENOTSUP:
		if (err->code != CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD)
			abort();
		break;
	default:
		abort();
	}
	/* The text is a C string within its buffer. */
	if (memchr(err->text, '\0', sizeof(err->text)) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_msg msg, again;
	struct wire_err err, err2;
	uint8_t *buf, *p1, *p2;
	size_t len, l1, l2;
	int rc;

	rc = wire_unpack(data, size, &msg, &err);
	if (rc != 0) {
		check_failed(rc, &msg, &err);
		wire_msg_free(&msg);
		return 0;
	}
	if (msg.payload == NULL || err.code != CORDON__ERROR_CODE__ERR_NONE ||
	    msg.payload->descriptor != wire_descriptor(msg.type) ||
	    WIRE_VERSION_MAJOR_OF(msg.version) != WIRE_VERSION_MAJOR)
		abort();
	(void)wire_type_name(msg.type);

	/* Round trip: what was accepted is said again the same way. */
	if (wire_pack(msg.type, msg.request_id, msg.payload, &buf, &len) != 0)
		abort();
	rc = wire_unpack(buf, len, &again, &err2);
	/* A retired field an old peer may send is refused at our minor. */
	if (rc == -ENOTSUP && WIRE_VERSION_MINOR_OF(msg.version) < 2) {
		wire_msg_free(&again);
		free(buf);
		wire_msg_free(&msg);
		return 0;
	}
	if (rc != 0) {
		fprintf(stderr, "repacked: %d %s\n", rc, err2.text);
		FAIL("what was accepted does not decode again");
	}
	if (again.type != msg.type || again.request_id != msg.request_id ||
	    again.version != WIRE_VERSION)
		FAIL("the envelope changed");
	p1 = fuzz_pack(msg.payload, &l1);
	p2 = fuzz_pack(again.payload, &l2);
	if (l1 != l2 || memcmp(p1, p2, l1) != 0)
		FAIL("the payload changed");
	free(p1);
	free(p2);
	free(buf);
	wire_msg_free(&again);
	wire_msg_free(&msg);
	return 0;
}
