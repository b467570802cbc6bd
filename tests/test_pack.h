/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Protobuf messages packed, or unpacked anew, for tests. After cmocka.h. */

#ifndef CORDON_TEST_PACK_H
#define CORDON_TEST_PACK_H

#include <stdint.h>
#include <stdlib.h>

#include <protobuf-c/protobuf-c.h>

/* The packed bytes of m (free() them), their length in *len. */
static inline uint8_t *
test_pack(const ProtobufCMessage *m, size_t *len)
{
	uint8_t *buf;

	*len = protobuf_c_message_get_packed_size(m);
	buf = malloc(*len ? *len : 1);
	assert_non_null(buf);
	protobuf_c_message_pack(m, buf);
	return buf;
}

/* m as protobuf-c unpacks it: owned, for free_unpacked(). */
static inline void *
test_unpacked(const ProtobufCMessage *m)
{
	ProtobufCMessage *u;
	uint8_t *buf;
	size_t len;

	buf = test_pack(m, &len);
	u = protobuf_c_message_unpack(m->descriptor, NULL, len, buf);
	free(buf);
	assert_non_null(u);
	return u;
}

#endif /* CORDON_TEST_PACK_H */
