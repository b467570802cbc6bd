/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "util_hash.h"

uint64_t
util_hash_fnv64_str(uint64_t h, const char *s)
{
	return s != NULL ? util_hash_fnv64(h, s, strlen(s) + 1) :
		util_hash_fnv64(h, "", 1);
}

int
util_hash_sha256_hex(const void *data, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != sizeof(md))
		return -EIO;
	for (size_t i = 0; i < sizeof(md); i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[64] = '\0';
	return 0;
}
