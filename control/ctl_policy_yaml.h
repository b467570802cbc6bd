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

#include "cordon.pb-c.h"
#include "ctl_yaml.h"

/* Largest policy file read. */
#define CTL_POL_FILE_MAX CTL_YAML_FILE_MAX

/*
 * A device the gateway knows (fingerprints, DHCP, MUD URL). Vendor, type,
 * MUD URL and OUI assignments are resolved against this list.
 */
struct ctl_pol_inv_device {
	uint8_t mac[6];
	uint16_t vlan;		/* 0: untagged or any */
	const char *vendor;	/* NULL or "" when unknown */
	const char *type;
	uint32_t type_confidence;	/* 0-100 */
	const char *mud_url;
	const char *name;
};

struct ctl_pol_inventory {
	const struct ctl_pol_inv_device *devs;
	size_t n_devs;
	/*
	 * NULL, or n_devs pointers (NULL) the compiler sets to a malloc()ed
	 * note for each device a type selector held back (its type's
	 * confidence below what the policy asks) and where it went instead;
	 * the caller frees them.
	 */
	char **notes;
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

#endif /* CORDON_CTL_POLICY_YAML_H */
