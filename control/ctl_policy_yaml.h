/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_CTL_POLICY_YAML_H
#define CORDON_CTL_POLICY_YAML_H

/*
 * Cordon policy files (YAML) -> Cordon__Policy. The format is described at
 * the top of ctl_policy_yaml.c and in examples/README.md.
 */

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "cordon.pb-c.h"

/* Largest policy / context file read. */
#define CTL_POL_FILE_MAX (16u << 20)
/* Deepest flow ([ ], { }) nesting accepted. */
#define CTL_POL_MAX_DEPTH 64

/*
 * A device the gateway knows (fingerprints, DHCP, MUD URL). Vendor, type,
 * MUD URL and OUI assignments are resolved against this list.
 */
struct ctl_pol_inv_device {
	uint8_t mac[6];
	uint16_t vlan;		/* 0: untagged or any */
	const char *vendor;	/* NULL or "" when unknown */
	const char *type;
	const char *mud_url;
	const char *name;
};

struct ctl_pol_inventory {
	const struct ctl_pol_inv_device *devs;
	size_t n_devs;
};

/*
 * Compile a policy file. inv may be NULL (no inventory: only exact-MAC
 * assignments produce DeviceAssignments). The result has passed
 * policy_validate(). On error *out is untouched and err holds
 * "file:line:column: message". Returns 0, -EINVAL, -ENOMEM or -errno of
 * reading the file.
 */
int ctl_pol_compile_file(const char *path,
		const struct ctl_pol_inventory *inv, Cordon__Policy **out,
		char *err, size_t errlen);
int ctl_pol_compile_buf(const char *text, size_t len, const char *name,
		const struct ctl_pol_inventory *inv, Cordon__Policy **out,
		char *err, size_t errlen);

/* --- YAML helpers shared with the MUD context loader ------------------ */

struct ctl_pol_yaml {
	yaml_document_t doc;
	int loaded;
	const char *name;
	char *err;
	size_t errlen;
	int failed;
};

/* Load one YAML document; an empty file is an error. */
int ctl_pol_yaml_load(struct ctl_pol_yaml *y, const char *text, size_t len,
		const char *name, char *err, size_t errlen);
int ctl_pol_yaml_load_file(struct ctl_pol_yaml *y, const char *path,
		char *err, size_t errlen);
void ctl_pol_yaml_free(struct ctl_pol_yaml *y);
yaml_node_t *ctl_pol_yaml_root(struct ctl_pol_yaml *y);
/* Record "name:line:col: msg" (first error wins); returns -EINVAL. */
int ctl_pol_yaml_err(struct ctl_pol_yaml *y, const yaml_node_t *n,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The scalar's text, or NULL with an error naming what. */
const char *ctl_pol_yaml_str(struct ctl_pol_yaml *y, yaml_node_t *n,
		const char *what);
/* Mapping value of key, NULL when absent. */
yaml_node_t *ctl_pol_yaml_get(struct ctl_pol_yaml *y, yaml_node_t *map,
		const char *key);
/* Error on any key not in allowed (NULL-terminated) or repeated. */
int ctl_pol_yaml_keys(struct ctl_pol_yaml *y, yaml_node_t *map,
		const char *what, const char *const *allowed);
/* Items of a sequence; a lone scalar counts as a one-item list. */
size_t ctl_pol_yaml_list(struct ctl_pol_yaml *y, yaml_node_t *n,
		yaml_node_t ***items);
int ctl_pol_yaml_bool(struct ctl_pol_yaml *y, yaml_node_t *n, int *out);
int ctl_pol_yaml_uint(struct ctl_pol_yaml *y, yaml_node_t *n, uint64_t max,
		uint64_t *out);

#endif /* CORDON_CTL_POLICY_YAML_H */
