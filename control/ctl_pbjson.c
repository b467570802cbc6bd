/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ctl_pbjson.h"
#include "util_mac.h"
#include "wire.h"

static json_t *
pbjson_bytes(const ProtobufCBinaryData *b)
{
	char buf[64];

	if (b->len == 6) {
		return json_string(util_mac_format(b->data, buf));
	}
	if ((b->len == 4 || b->len == 16) &&
	    inet_ntop(b->len == 4 ? AF_INET : AF_INET6, b->data, buf,
		      sizeof(buf)) != NULL)
		return json_string(buf);

	json_t *s;
	char *hex = malloc(b->len * 2 + 1);

	if (hex == NULL)
		return json_null();
	for (size_t i = 0; i < b->len; i++) {
		static const char digits[] = "0123456789abcdef";

		hex[2 * i] = digits[b->data[i] >> 4];
		hex[2 * i + 1] = digits[b->data[i] & 0xf];
	}
	hex[b->len * 2] = '\0';
	s = json_string(hex);
	free(hex);
	return s;
}

static json_t *
pbjson_value(const ProtobufCFieldDescriptor *f, const void *p)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return json_integer(*(const int32_t *)p);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return json_integer(*(const uint32_t *)p);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return json_integer(*(const int64_t *)p);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		/* json_int_t is long long: counters never reach 2^63. */
		return json_integer((json_int_t)*(const uint64_t *)p);
	case PROTOBUF_C_TYPE_FLOAT:
		return json_real(*(const float *)p);
	case PROTOBUF_C_TYPE_DOUBLE:
		return json_real(*(const double *)p);
	case PROTOBUF_C_TYPE_BOOL:
		return json_boolean(*(const protobuf_c_boolean *)p);
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
			f->descriptor, *(const int *)p);

		return v ? json_string(v->name) : json_integer(*(const int *)p);
	}
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)p;

		return json_string(s ? s : "");
	}
	case PROTOBUF_C_TYPE_BYTES:
		return pbjson_bytes(p);
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;

		return m ? ctl_pbjson(m) : json_null();
	}
	}
	return json_null();
}

static size_t
pbjson_elem_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	default:
		return 4;
	}
}

/* Repeated name/value pairs render as one object: the member that names. */
static const char *
pbjson_pair_key(const ProtobufCFieldDescriptor *f)
{
	const char *name;

	if (f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	name = ((const ProtobufCMessageDescriptor *)f->descriptor)->name;
	if (strcmp(name, "cordon.Counter") == 0)
		return "name";
	if (strcmp(name, "cordon.EventDetail") == 0)
		return "key";
	return NULL;
}

json_t *
ctl_pbjson(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	json_t *o = json_object();

	for (unsigned int i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const char *arr = *(char *const *)(base + f->offset);
			size_t sz = pbjson_elem_size(f);

			if (pbjson_pair_key(f) != NULL) {
				json_t *c = json_object();

				for (size_t j = 0; j < n; j++) {
					const ProtobufCMessage *cm =
						((ProtobufCMessage *const *)arr)[j];
					json_t *cv = ctl_pbjson(cm);

					json_object_set(c, json_string_value(
						json_object_get(cv,
							pbjson_pair_key(f))),
						json_object_get(cv, "value"));
					json_decref(cv);
				}
				json_object_set_new(o, f->name, c);
				continue;
			}
			json_t *a = json_array();

			for (size_t j = 0; j < n; j++)
				json_array_append_new(a, pbjson_value(f,
							arr + j * sz));
			json_object_set_new(o, f->name, a);
			continue;
		}
		if (wire_oneof_other(f, m))
			continue;
		json_object_set_new(o, f->name, pbjson_value(f,
							     base + f->offset));
	}
	return o;
}
