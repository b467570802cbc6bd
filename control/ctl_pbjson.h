/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Any protobuf-c message as JSON, driven by its descriptor, so every reply
 * cordonctl prints gets --json for free. Field names are the .proto names.
 * 64-bit integers stay numbers (jansson keeps them exact), enums their
 * names. Repeated cordon.Counter and cordon.EventDetail fields become
 * {name: value} objects, 6-byte bytes fields MAC strings, 4/16-byte bytes
 * fields IP addresses, other bytes hex.
 */

#ifndef CORDON_CTL_PBJSON_H
#define CORDON_CTL_PBJSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

json_t *ctl_pbjson(const ProtobufCMessage *m);

#endif /* CORDON_CTL_PBJSON_H */
