/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Making a policy version: a source (or a pushed compiled policy) compiled
 * against the inventory, composed with what the store holds
 * (ctl_state_compose.c), validated, signed and stored.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_state_impl.h"
#include "policy_validate.h"

/*
 * The pushed compiled policy of version base, decoded: what a version
 * made on it starts from (its MUD rules and quarantine are added again,
 * never those of the version before).
 */
static int
ctl_state_base(struct ctl_state *s, uint64_t base, Cordon__Policy **out,
	       char *err, size_t errlen)
{
	struct ctl_store_policy b = { 0 };
	int rc;

	*out = NULL;
	rc = ctl_store_policy_get(s->st, base, &b);
	if (rc < 0) {
		snprintf(err, errlen, "store: pushed policy %" PRIu64 ": %s",
			 base, ctl_store_errmsg(s->st));
		return rc;
	}
	*out = cordon__policy__unpack(NULL, b.compiled_len, b.compiled);
	ctl_store_policy_free(&b);
	if (*out == NULL) {
		snprintf(err, errlen, "store: pushed policy %" PRIu64 " does "
			 "not decode", base);
		return -EBADMSG;
	}
	return 0;
}

bool
ctl_state_version_floor(struct ctl_state *s, uint64_t v)
{
	if (v <= s->version_floor)
		return false;
	s->version_floor = v;
	return true;
}

static int
ctl_state_store(struct ctl_state *s, Cordon__Policy *pol, const char *source,
		const char *by, uint64_t rollback_of, uint64_t base,
		uint64_t now_ms, uint8_t **signed_out, size_t *signed_len,
		char *err, size_t errlen)
{
	struct ctl_store_policy rec = { 0 };
	uint64_t latest = 0;
	uint8_t *bytes, *sig = NULL;
	size_t len, sig_len = 0;
	int rc;

	rc = ctl_store_policy_latest_version(s->st, &latest);
	if (rc < 0 && rc != -ENOENT) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		return rc;
	}
	if (latest < s->version_floor)
		latest = s->version_floor;
	if (pol->version <= latest)
		pol->version = latest + 1;
	len = cordon__policy__get_packed_size(pol);
	bytes = malloc(len ? len : 1);
	if (bytes == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cordon__policy__pack(pol, bytes);
	if (s->have_key) {
		rc = policy_sign(&s->key, bytes, len, now_ms, &sig, &sig_len,
				 err, errlen);
		if (rc < 0)
			goto out;
	}
	rec.version = pol->version;
	rec.created_ms = now_ms;
	rec.source = (char *)source;	/* NULL: pushed compiled */
	rec.compiled = bytes;
	rec.compiled_len = len;
	rec.signed_policy = sig;
	rec.signed_len = sig_len;
	rec.comment = pol->comment;
	rec.applied_by = (char *)(by ? by : "");
	rec.rollback_of = rollback_of;
	rec.base = base;
	rc = ctl_store_policy_add(s->st, &rec);
	if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
		goto out;
	}
	*signed_out = sig;
	*signed_len = sig_len;
	sig = NULL;
out:
	free(bytes);
	free(sig);
	return rc;
}

/*
 * ctl_state_apply(), with the version whose source (or pushed base) a
 * NULL source stands for: from, or the latest when 0.
 */
static int
ctl_state_make(struct ctl_state *s, const char *source, const char *name,
	       const char *by, uint64_t rollback_of, uint64_t from,
	       const struct ctl_pol_inventory *inv, uint64_t now_ms,
	       Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
	       char *err, size_t errlen)
{
	struct ctl_store_policy latest = { 0 };
	Cordon__Policy *pol = NULL;
	uint64_t base = 0;
	bool composed;
	int rc;

	if (source == NULL) {
		rc = from != 0 ? ctl_store_policy_get(s->st, from, &latest) :
			ctl_store_policy_latest(s->st, &latest);
		if (rc == -ENOENT) {
			snprintf(err, errlen, from != 0 ? "no such version" :
				 "no policy has been applied yet");
			goto out;
		}
		if (rc < 0)
			goto store_err;
		if (latest.source == NULL) {
			/* A pushed compiled policy, or one made on it. */
			base = latest.base != 0 ? latest.base : latest.version;
			rc = ctl_state_base(s, base, &pol, err, errlen);
			if (rc < 0)
				goto out;
		} else {
			source = latest.source;
			if (name == NULL)
				name = "latest";
		}
	}
	if (pol == NULL) {
		rc = ctl_pol_compile_buf(source, strlen(source), name, inv,
					 &pol, err, errlen);
		if (rc < 0)
			goto out;
	}
	rc = ctl_state_compose(s, inv, pol, &composed, err, errlen);
	if (rc < 0)
		goto out;
	/* The YAML compiler validated its part; the whole must pass too. */
	if ((composed || base != 0) && policy_validate(pol, err, errlen) < 0) {
		rc = -EINVAL;
		goto out;
	}

	rc = ctl_state_store(s, pol, source, by, rollback_of, base, now_ms,
			     signed_out, signed_len, err, errlen);
	if (rc < 0)
		goto out;
	*out = pol;
	pol = NULL;
	rc = 0;
	goto out;
store_err:
	snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
out:
	if (pol != NULL)
		cordon__policy__free_unpacked(pol, NULL);
	if (latest.version != 0)
		ctl_store_policy_free(&latest);
	return rc;
}

int
ctl_state_apply(struct ctl_state *s, const char *source, const char *name,
		const char *by, uint64_t rollback_of,
		const struct ctl_pol_inventory *inv, uint64_t now_ms,
		Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
		char *err, size_t errlen)
{
	return ctl_state_make(s, source, name, by, rollback_of, 0, inv,
			      now_ms, out, signed_out, signed_len, err,
			      errlen);
}

int
ctl_state_rollback(struct ctl_state *s, uint64_t version, const char *by,
		   const struct ctl_pol_inventory *inv, uint64_t now_ms,
		   Cordon__Policy **out, uint8_t **signed_out,
		   size_t *signed_len, char *err, size_t errlen)
{
	return ctl_state_make(s, NULL, "rollback", by, version, version, inv,
			      now_ms, out, signed_out, signed_len, err,
			      errlen);
}

int
ctl_state_type_notes(struct ctl_state *s, const struct ctl_pol_inventory *inv,
		     Cordon__Policy **seg_of, char *err, size_t errlen)
{
	struct ctl_store_policy latest = { 0 };
	int rc;

	*seg_of = NULL;
	rc = ctl_store_policy_latest(s->st, &latest);
	if (rc == -ENOENT || (rc == 0 && latest.source == NULL)) {
		snprintf(err, errlen, "no policy has been applied yet");
		rc = -ENOENT;
	} else if (rc < 0) {
		snprintf(err, errlen, "store: %s", ctl_store_errmsg(s->st));
	} else {
		rc = ctl_pol_compile_buf(latest.source, strlen(latest.source),
					 "policy", inv, seg_of, err, errlen);
	}
	if (latest.version != 0)
		ctl_store_policy_free(&latest);
	return rc;
}

int
ctl_state_add_compiled(struct ctl_state *s, Cordon__Policy *pol,
		       const char *source, const char *by,
		       uint64_t rollback_of, uint64_t now_ms,
		       uint8_t **signed_out, size_t *signed_len, char *err,
		       size_t errlen)
{
	return ctl_state_store(s, pol, source, by, rollback_of, 0, now_ms,
			       signed_out, signed_len, err, errlen);
}

int
ctl_state_latest(struct ctl_state *s, Cordon__Policy **out,
		 uint8_t **signed_out, size_t *signed_len)
{
	struct ctl_store_policy p = { 0 };
	int rc;

	*out = NULL;
	*signed_out = NULL;
	*signed_len = 0;
	rc = ctl_store_policy_latest(s->st, &p);
	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	*out = cordon__policy__unpack(NULL, p.compiled_len, p.compiled);
	if (*out != NULL && p.signed_policy != NULL) {
		*signed_out = malloc(p.signed_len);
		if (*signed_out != NULL) {
			memcpy(*signed_out, p.signed_policy, p.signed_len);
			*signed_len = p.signed_len;
		}
	}
	ctl_store_policy_free(&p);
	return *out != NULL ? 0 : -EBADMSG;
}
