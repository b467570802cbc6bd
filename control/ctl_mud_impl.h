/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Inside the MUD compiler: shared by ctl_mud.c (ACLs to rules) and
 * ctl_mud_ace.c (reading one ACE), not by its users.
 */

#ifndef CORDON_CTL_MUD_IMPL_H
#define CORDON_CTL_MUD_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctl_mud.h"

/* Longest JSON path in a message. */
#define CTL_MUD_PATH_MAX 512
/* Port ranges one side of an ACE may have. */
#define CTL_MUD_MAX_PORTS 8

enum ctl_mud_dir { CTL_MUD_FROM_DEVICE, CTL_MUD_TO_DEVICE };

/* One compilation. */
struct ctl_mud_state {
	const struct ctl_mud_context *ctx;
	const char *name;
	uint8_t mac[6];
	uint32_t prio;
	Cordon__Policy *tmp;
	struct ctl_mud_result *res;
	char *err;
	size_t errlen;
	char authority[256];
	const char *mud_url;
};

/* One ACE as read (ctl_mud_ace_parse), before it becomes rules. */
struct ctl_mud_ace {
	int family;			/* 4 or 6 (from the ACL type) */
	uint32_t proto;			/* 0: any */
	int has_proto;
	struct ctl_port_range sp[CTL_MUD_MAX_PORTS], dp[CTL_MUD_MAX_PORTS];
	int n_sp, n_dp;
	int dir;			/* -1 none, CTL_MUD_FROM_DEVICE, CTL_MUD_TO_DEVICE */
	const char *src_dns, *dst_dns;
	struct ctl_cidr src_net, dst_net;
	int has_src_net, has_dst_net;
	/* MUD classes */
	int local, same_mfg, my_ctl;
	const char *mfg, *model, *controller;
	int n_classes;
	int widened;
	Cordon__Action action;
};

/* "name: path: message" into st->err. */
void ctl_mud_err(struct ctl_mud_state *st, const char *path,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 0 when v is a JSON object; else -EINVAL with "path: WHAT must be an
 * object" (what may be ""). */
int ctl_mud_want_object(struct ctl_mud_state *st, const json_t *v,
			const char *path, const char *what);
/* The first widened or unresolved ACE, for ctl_mud_result.note. */
void ctl_mud_note(struct ctl_mud_state *st, const char *path,
		  const char *what);
/* Look a key up under several spellings (NULL-terminated). */
json_t *ctl_mud_jget(const json_t *o, const char *const *keys);
#define CTL_MUD_JGET(o, ...) \
	ctl_mud_jget((o), (const char *const[]){ __VA_ARGS__, NULL })
/* Strip a "module:" prefix. */
const char *ctl_mud_unprefix(const char *s);

/*
 * Read the ACE e (at path) of an ACL of family fam into a: its action and
 * its matches. 0, or -EINVAL with st->err set.
 */
int ctl_mud_ace_parse(struct ctl_mud_state *st, const json_t *e,
		      const char *path, int fam, struct ctl_mud_ace *a,
		      const char **name);

#endif /* CORDON_CTL_MUD_IMPL_H */
