/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_CTL_MUD_H
#define CORDON_CTL_MUD_H

/*
 * MUD (RFC 8520) -> Cordon rules. See the design note in ctl_mud.c for the
 * mapping of ACEs to Rule fields.
 */

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_compile.h"
#include "ctl_mud_context.h"
#include "ctl_mud_sig.h"

/* Largest MUD file read. */
#define CTL_MUD_FILE_MAX (4u << 20)
/* Deepest JSON nesting accepted (jansson recurses). */
#define CTL_MUD_MAX_DEPTH 64

struct ctl_mud_result {
	char mud_url[256];	/* mud-url of the file */
	uint32_t n_aces;	/* ACEs read */
	uint32_t n_rules;	/* rules appended */
	uint32_t n_duplicates;	/* ACEs giving an already emitted rule */
	uint32_t n_unresolved;	/* ACEs with no context: no rule */
	uint32_t n_widened;	/* ACEs Cordon cannot match exactly */
	char note[512];		/* first unresolved/widened ACE and why */
};

/*
 * Compile a MUD file (JSON text, len bytes; name is used in messages) for
 * the device device_mac (NULL: ctx->device_mac, else 00:..:00) and append
 * its rules to out at priority `priority` (the default-deny rules follow at
 * priority + 1). On error out is untouched and err says what and where
 * (file:line:column for JSON syntax, the JSON path of a bad ACE).
 * Returns 0, -EINVAL (bad file), -ENOMEM.
 */
int ctl_mud_compile(const char *text, size_t len, const char *name,
		const struct ctl_mud_context *ctx, const uint8_t *device_mac,
		uint32_t priority, Cordon__Policy *out,
		struct ctl_mud_result *res, char *err, size_t errlen);
int ctl_mud_compile_file(const char *path,
		const struct ctl_mud_context *ctx, const uint8_t *device_mac,
		uint32_t priority, Cordon__Policy *out,
		struct ctl_mud_result *res, char *err, size_t errlen);

/*
 * Remove the rules an earlier ctl_mud_compile() appended for this device
 * (src is the device and the comment starts with "mud "), e.g. before
 * importing a new MUD file for it. Returns how many were removed.
 */
size_t ctl_mud_remove_rules(Cordon__Policy *p, const uint8_t device_mac[6]);

/*
 * MUD URL -> "<mud_dir>/<host>/<path with '/' as '_'>": https only, the
 * host lower-cased, only [A-Za-z0-9._-], no empty, "." or ".." part, no
 * query or fragment. The path becomes one file name, so the result never
 * leaves <mud_dir>/<host>. 0, -EINVAL (unsafe or not a MUD URL),
 * -ENAMETOOLONG.
 */
int ctl_mud_url_to_path(const char *mud_dir, const char *url, char *buf,
		size_t buflen);

#endif /* CORDON_CTL_MUD_H */
