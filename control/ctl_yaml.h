/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Strict YAML for the policy language (ctl_policy_yaml.c) and the MUD
 * context (ctl_mud_context.c): one document; errors as
 * "file:line:column: message", the first one wins.
 */

#ifndef CORDON_CTL_YAML_H
#define CORDON_CTL_YAML_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

/* Largest file read. */
#define CTL_YAML_FILE_MAX (16u << 20)
/* Deepest flow ([ ], { }) nesting accepted: libyaml is quadratic in it. */
#define CTL_YAML_MAX_DEPTH 64

struct ctl_yaml {
	yaml_document_t doc;
	int loaded;
	const char *name;
	char *err;
	size_t errlen;
	int failed;
};

/* Load one YAML document; an empty file is an error. */
int ctl_yaml_load(struct ctl_yaml *y, const char *text, size_t len,
		const char *name, char *err, size_t errlen);
int ctl_yaml_load_file(struct ctl_yaml *y, const char *path,
		char *err, size_t errlen);
void ctl_yaml_free(struct ctl_yaml *y);
yaml_node_t *ctl_yaml_root(struct ctl_yaml *y);
/* Record "name:line:col: msg" (first error wins); returns -EINVAL. */
int ctl_yaml_err(struct ctl_yaml *y, const yaml_node_t *n,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The scalar's text, or NULL with an error naming what. */
const char *ctl_yaml_str(struct ctl_yaml *y, yaml_node_t *n,
		const char *what);
/* Mapping value of key, NULL when absent. */
yaml_node_t *ctl_yaml_get(struct ctl_yaml *y, yaml_node_t *map,
		const char *key);
/* The value of a key map must have in *v: 0, or "WHAT has no KEY". */
int ctl_yaml_need(struct ctl_yaml *y, yaml_node_t *map, const char *what,
		const char *key, yaml_node_t **v);
/* Error on any key not in allowed (NULL-terminated) or repeated. */
int ctl_yaml_keys(struct ctl_yaml *y, yaml_node_t *map,
		const char *what, const char *const *allowed);
/* Items of a sequence; a lone scalar counts as a one-item list. */
size_t ctl_yaml_list(struct ctl_yaml *y, yaml_node_t *n,
		yaml_node_t ***items);
int ctl_yaml_bool(struct ctl_yaml *y, yaml_node_t *n, int *out);
int ctl_yaml_uint(struct ctl_yaml *y, yaml_node_t *n, uint64_t max,
		uint64_t *out);

#endif /* CORDON_CTL_YAML_H */
