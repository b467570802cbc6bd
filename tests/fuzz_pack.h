/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* A protobuf message packed, for libFuzzer targets (no cmocka there). */

#ifndef CORDON_FUZZ_PACK_H
#define CORDON_FUZZ_PACK_H

#include <stdint.h>
#include <stdlib.h>

#include <protobuf-c/protobuf-c.h>

/* The packed bytes of m (free() them), their length in *len; aborts if
 * protobuf-c packs other than the size it gave. */
static inline uint8_t *
fuzz_pack(const ProtobufCMessage *m, size_t *len)
{
	uint8_t *b;

	*len = protobuf_c_message_get_packed_size(m);
	b = malloc(*len ? *len : 1);
	if (b == NULL)
		abort();
	if (protobuf_c_message_pack(m, b) != *len)
		abort();
	return b;
}

#endif /* CORDON_FUZZ_PACK_H */
