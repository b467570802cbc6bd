/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_compile.h"
#include "ctl_state.h"
#include "endpoint.h"

int
ctl_state_open(struct ctl_state *s, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	memset(s, 0, sizeof(*s));
	rc = endpoint_mkdir(dir);
	if (rc < 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
			 strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, CTL_STATE_DB);
	rc = ctl_store_open(path, &s->st, err, errlen);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, CTL_SIGN_PRIV_NAME);
	if (access(path, F_OK) == 0) {
		rc = ctl_sign_key_load(path, &s->key, err, errlen);
		if (rc < 0) {
			ctl_store_close(s->st);
			s->st = NULL;
			return rc;
		}
		s->have_key = true;
	}
	return 0;
}

void
ctl_state_close(struct ctl_state *s)
{
	if (s->have_key)
		ctl_sign_key_free(&s->key);
	if (s->st != NULL)
		ctl_store_close(s->st);
	memset(s, 0, sizeof(*s));
}

static int
ctl_state_add_quarantined(const struct ctl_store_quarantine *q, void *arg)
{
	return ctl_cmp_add_quarantined(arg, q->mac) < 0 ? -ENOMEM : 0;
}

int
ctl_state_apply(struct ctl_state *s, const char *source, const char *name,
		const char *by, uint64_t rollback_of,
		const struct ctl_pol_inventory *inv, uint64_t now_ms,
		Cordon__Policy **out, uint8_t **signed_out, size_t *signed_len,
		char *err, size_t errlen)
{
	struct ctl_store_policy latest = { 0 };
	Cordon__Policy *pol = NULL;
	int rc;

	if (source == NULL) {
		rc = ctl_store_policy_latest(s->st, &latest);
		if (rc < 0 || latest.source == NULL) {
			snprintf(err, errlen, "no policy has been applied yet");
			rc = -ENOENT;
			goto out;
		}
		source = latest.source;
		name = "latest";
	}
	rc = ctl_pol_compile_buf(source, strlen(source), name, inv, &pol, err,
				 errlen);
	if (rc < 0)
		goto out;
	rc = ctl_store_quarantine_list(s->st, ctl_state_add_quarantined, pol);
	if (rc < 0)
		goto store_err;

	rc = ctl_state_add_compiled(s, pol, source, by, rollback_of, now_ms,
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
ctl_state_add_compiled(struct ctl_state *s, Cordon__Policy *pol,
		       const char *source, const char *by,
		       uint64_t rollback_of, uint64_t now_ms,
		       uint8_t **signed_out, size_t *signed_len, char *err,
		       size_t errlen)
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
		rc = ctl_sign_policy(&s->key, bytes, len, now_ms, &sig,
				     &sig_len, err, errlen);
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
