/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The tests' device: a camera, its MAC and its MUD file (one ACE: TCP
 * 443 to cloud.example.com).
 */

#ifndef CORDON_TEST_MUD_CAM_H
#define CORDON_TEST_MUD_CAM_H

#include <stdint.h>

#define MUD_URL "https://mud.example.com/cam.json"
#define MUD_JSON \
	"{\"ietf-mud:mud\":{\"mud-url\":\"" MUD_URL "\"," \
	"\"from-device-policy\":{\"access-lists\":{\"access-list\":" \
	"[{\"name\":\"a\"}]}}},\"ietf-access-control-list:acls\":{\"acl\":" \
	"[{\"name\":\"a\",\"type\":\"ipv4-acl-type\",\"aces\":{\"ace\":[{" \
	"\"name\":\"cloud\",\"matches\":{\"ipv4\":{\"protocol\":6," \
	"\"ietf-acldns:dst-dnsname\":\"cloud.example.com\"},\"tcp\":{" \
	"\"destination-port\":{\"operator\":\"eq\",\"port\":443}}}," \
	"\"actions\":{\"forwarding\":\"accept\"}}]}}]}}"

static const uint8_t cam[6] = { 0x02, 0, 0, 0, 0, 0x07 };

#endif /* CORDON_TEST_MUD_CAM_H */
