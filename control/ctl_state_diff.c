/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* ctl_state_diff(): two versions as text (their source and what cordond
 * composed into them), diffed by ctl_diff.c. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_diff.h"
#include "ctl_pbjson.h"
#include "ctl_state.h"
#include "util_mac.h"

struct ctl_state_text {
	char *buf;
	size_t len, cap;
};

static int
text_add(struct ctl_state_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
text_add(struct ctl_state_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL,
			      t->buf ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if (t->buf != NULL && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return 0;
		}
		size_t cap = (t->cap + (size_t)n + 1) * 2;
		char *nb = realloc(t->buf, cap);

		if (nb == NULL)
			return -ENOMEM;
		t->buf = nb;
		t->cap = cap;
	}
}

/* One message as a line of JSON. */
static int
text_json(struct ctl_state_text *t, const char *what,
	  const ProtobufCMessage *m)
{
	json_t *j = ctl_pbjson(m);
	char *s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) :
		NULL;
	int rc = s != NULL ? text_add(t, "%s %s\n", what, s) : -ENOMEM;

	free(s);
	json_decref(j);
	return rc;
}

/*
 * What a version is, as text to diff: its source, then what cordond
 * composed into it (quarantine, MUD rules); for a version without a
 * source (pushed compiled), its devices and rules one per line.
 */
static int
ctl_state_version_text(const struct ctl_store_policy *p,
		       struct ctl_state_text *t)
{
	Cordon__Policy *pol;
	int rc = 0;

	pol = cordon__policy__unpack(NULL, p->compiled_len, p->compiled);
	if (pol == NULL)
		return -EBADMSG;
	if (p->source != NULL)
		rc = text_add(t, "%s%s", p->source,
			      p->source[0] && p->source[strlen(p->source) - 1]
			      != '\n' ? "\n" : "");
	else
		rc = text_add(t, "# compiled policy, pushed (version %" PRIu64
			      ")\n", p->base ? p->base : p->version);
	if (rc == 0)
		rc = text_add(t, "# --- composed by cordond ---\n");
	for (size_t i = 0; rc == 0 && i < pol->n_quarantined; i++)
		rc = text_add(t, "quarantine %s\n",
			      pol->quarantined[i].len == 6 ?
			      util_mac_str(pol->quarantined[i].data) : "?");
	for (size_t i = 0; rc == 0 && p->source == NULL &&
	     i < pol->n_devices; i++)
		rc = text_json(t, "device", &pol->devices[i]->base);
	for (size_t i = 0; rc == 0 && i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];
		bool mud = r->comment != NULL &&
			strncmp(r->comment, "mud ", 4) == 0;

		if (p->source == NULL || mud)
			rc = text_json(t, mud ? "mud-rule" : "rule", &r->base);
	}
	cordon__policy__free_unpacked(pol, NULL);
	return rc;
}

int
ctl_state_diff(struct ctl_state *s, uint64_t a, uint64_t b, char **out,
	       char *err, size_t errlen)
{
	struct ctl_store_policy pa = { 0 }, pb = { 0 };
	struct ctl_state_text ta = { 0 }, tb = { 0 };
	char la[48], lb[48];
	int rc;

	*out = NULL;
	rc = ctl_store_policy_get(s->st, a, &pa);
	if (rc == 0)
		rc = ctl_store_policy_get(s->st, b, &pb);
	if (rc < 0) {
		snprintf(err, errlen, "%s", rc == -ENOENT ? "no such version" :
			 ctl_store_errmsg(s->st));
		goto out;
	}
	rc = ctl_state_version_text(&pa, &ta);
	if (rc == 0)
		rc = ctl_state_version_text(&pb, &tb);
	if (rc == 0) {
		snprintf(la, sizeof(la), "policy %" PRIu64, a);
		snprintf(lb, sizeof(lb), "policy %" PRIu64, b);
		rc = ctl_diff_text(ta.buf, la, tb.buf, lb, out);
	}
	if (rc < 0)
		snprintf(err, errlen, "%s", rc == -EBADMSG ?
			 "a stored version does not decode" : strerror(-rc));
out:
	free(ta.buf);
	free(tb.buf);
	ctl_store_policy_free(&pa);
	ctl_store_policy_free(&pb);
	return rc;
}
