/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The deployment context of MUD files: what a MUD file's abstractions
 * (local-networks, controllers, my-controller, same-manufacturer, ...)
 * stand for on this network. Format in examples/README.md.
 */

#ifndef CORDON_CTL_MUD_CONTEXT_H
#define CORDON_CTL_MUD_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ctl_compile.h"

struct ctl_mud_addrs {
	char *key;			/* controller URI or DNS name */
	struct ctl_cidr *addrs;
	size_t n_addrs;
};

/* A device the gateway knows: for same-manufacturer, manufacturer, model. */
struct ctl_mud_peer {
	uint8_t mac[6];
	char *mud_url;
};

/*
 * Deployment context of a MUD file. All of it is optional; a rule class
 * whose context is missing compiles to nothing (counted in
 * ctl_mud_result.n_unresolved), which only ever denies.
 */
struct ctl_mud_context {
	uint8_t device_mac[6];
	int has_mac;
	char *mud_url;		/* the device's MUD URL (its model) */
	char *authority;	/* manufacturer; default: the MUD URL's host */
	struct ctl_cidr *local_nets;
	size_t n_local_nets;
	struct ctl_cidr *my_controllers;
	size_t n_my_controllers;
	struct ctl_mud_addrs *controllers;	/* class URI -> addresses */
	size_t n_controllers;
	struct ctl_mud_addrs *dns;	/* static name -> addresses */
	size_t n_dns;
	struct ctl_mud_peer *peers;
	size_t n_peers;
	int allow_dns;		/* "allow udp/53 to any" before the deny */
	int no_default_deny;	/* do not add the trailing deny rule */
	char *ca_file;		/* trust anchors for .p7s signatures */
	int accept_unsigned;	/* unsigned MUD files are accepted */
};

/* Load a context file; ctl_mud_context_free() releases it. */
int ctl_mud_context_load(const char *path, struct ctl_mud_context *ctx,
		char *err, size_t errlen);
void ctl_mud_context_free(struct ctl_mud_context *ctx);
/* Append helpers for callers building a context in code. */
int ctl_mud_context_add_addrs(struct ctl_mud_addrs **arr, size_t *n,
		const char *key, const struct ctl_cidr *addrs, size_t n_addrs);
int ctl_mud_context_add_peer(struct ctl_mud_context *ctx,
		const uint8_t mac[6], const char *mud_url);

#endif /* CORDON_CTL_MUD_CONTEXT_H */
