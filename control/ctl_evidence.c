/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_evidence.h"
#include "evidence.h"

char *
ctl_evidence_to_json(const Cordon__DeviceIdentity *id)
{
	json_t *a;
	char *s;

	if (id == NULL || id->n_evidence == 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; a != NULL && i < id->n_evidence; i++) {
		const Cordon__Evidence *e = id->evidence[i];

		/* Untrusted text: json_pack refuses what is not UTF-8. */
		json_array_append_new(a, json_pack("{sssssssssssIss}",
			"field", evidence_field_name(e->field),
			"value", e->value, "source",
			evidence_source_name(e->source), "method", e->method,
			"clue", e->clue, "confidence",
			(json_int_t)e->confidence, "signature_id",
			e->signature_id));
	}
	s = a != NULL ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return s;
}

static char *
jstr(const json_t *o, const char *key, const char *legacy)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (v == NULL && legacy != NULL)
		v = json_string_value(json_object_get(o, legacy));
	return strdup(v != NULL ? v : "");
}

/* One piece, new format or the fingerprinter's. NULL: out of memory. */
static Cordon__Evidence *
piece(const json_t *o)
{
	Cordon__Evidence *e = malloc(sizeof(*e));
	const char *field = json_string_value(json_object_get(o, "field"));
	json_int_t conf = json_integer_value(json_object_get(o,
							     "confidence"));

	if (e == NULL)
		return NULL;
	cordon__evidence__init(e);
	e->value = jstr(o, "value", NULL);
	e->clue = jstr(o, "clue", "seen");
	e->signature_id = jstr(o, "signature_id", "rule");
	if (field != NULL) {
		e->field = evidence_field_from_name(field);
		e->method = jstr(o, "method", NULL);
		e->source = evidence_source_from_name(json_string_value(
			json_object_get(o, "source")));
	} else {
		/* Legacy: "attribute", and the method as "source". */
		e->field = evidence_field_from_name(json_string_value(
			json_object_get(o, "attribute")));
		e->method = jstr(o, "source", NULL);
		e->source = evidence_source_of_method(e->method);
	}
	e->confidence = conf >= 0 && conf <= 100 ? (uint32_t)conf : 0;
	if (!e->value || !e->clue || !e->signature_id || !e->method) {
		cordon__evidence__free_unpacked(e, NULL);
		return NULL;
	}
	return e;
}

/* What the store keeps only as evidence: the firmware (its most confident
 * piece) and the obsolete-TLS flags. */
static int
derived(Cordon__DeviceIdentity *id)
{
	const Cordon__Evidence *fw = NULL;
	size_t n_tls = 0;

	for (size_t i = 0; i < id->n_evidence; i++) {
		const Cordon__Evidence *e = id->evidence[i];

		if (e->field == CORDON__IDENTITY_FIELD__FIELD_FIRMWARE &&
		    (fw == NULL || e->confidence > fw->confidence))
			fw = e;
		n_tls += e->field == CORDON__IDENTITY_FIELD__FIELD_TLS;
	}
	if (fw != NULL) {
		id->firmware = strdup(fw->value);
		if (id->firmware == NULL)
			return -ENOMEM;
		id->firmware_confidence = fw->confidence;
	}
	if (n_tls == 0)
		return 0;
	id->tls_obsolete = calloc(n_tls, sizeof(*id->tls_obsolete));
	if (id->tls_obsolete == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < id->n_evidence; i++) {
		const Cordon__Evidence *e = id->evidence[i];

		if (e->field != CORDON__IDENTITY_FIELD__FIELD_TLS)
			continue;
		id->tls_obsolete[id->n_tls_obsolete] = strdup(e->value);
		if (id->tls_obsolete[id->n_tls_obsolete] == NULL)
			return -ENOMEM;
		id->n_tls_obsolete++;
	}
	return 0;
}

int
ctl_evidence_from_json(const char *js, Cordon__DeviceIdentity *id)
{
	json_t *a = js != NULL ? json_loads(js, 0, NULL) : NULL;
	size_t i;
	json_t *o;
	int rc = 0;

	if (!json_is_array(a) || json_array_size(a) == 0) {
		json_decref(a);
		return 0;
	}
	id->evidence = calloc(json_array_size(a), sizeof(*id->evidence));
	if (id->evidence == NULL) {
		json_decref(a);
		return -ENOMEM;
	}
	json_array_foreach(a, i, o) {
		Cordon__Evidence *e;

		if (!json_is_object(o))
			continue;
		e = piece(o);
		if (e == NULL) {
			rc = -ENOMEM;
			break;
		}
		id->evidence[id->n_evidence++] = e;
		if (e->field == CORDON__IDENTITY_FIELD__FIELD_MUD_URL)
			id->mud_url_source = e->source;
	}
	json_decref(a);
	return rc < 0 ? rc : derived(id);
}
