/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Inside the YAML policy compiler: shared by ctl_policy_yaml.c (the
 * document, segments, device assignments) and ctl_policy_rule.c (rules
 * and their endpoints, protocols and ports), never by its users.
 */

#ifndef CORDON_CTL_POLICY_YAML_IMPL_H
#define CORDON_CTL_POLICY_YAML_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_idx.h"
#include "ctl_policy_yaml.h"

#define DEFAULT_PRIORITY 100u
#define DEFAULT_TYPE_CONFIDENCE 70u

enum sel_class { SEL_OUI, SEL_VENDOR, SEL_TYPE, SEL_MUD, SEL_MAC };

struct assign {
	enum sel_class cls;
	uint8_t mac[6];
	uint32_t bits;		/* SEL_OUI */
	const char *value;	/* vendor / type / mud-url */
	uint32_t vlan;
	int has_vlan;
	uint32_t min_conf;	/* SEL_TYPE: confidence it needs */
	uint32_t seg;
	const char *name;
	yaml_node_t *node;
};

struct pol_state {
	struct ctl_yaml *y;
	Cordon__Policy *p;
	struct assign *as;
	size_t n_as;
	yaml_node_t **rule_nodes;	/* rule id - 1 -> its node */
	uint32_t next_rule_id;
	struct ctl_idx by_macvlan;	/* mac assignments: (mac, vlan) */
	struct ctl_idx by_mac;		/* mac assignments: mac */
	struct ctl_idx by_name;		/* named assignments: hash(name) */
	uint32_t type_conf;		/* type-confidence */
};

/* The id of the segment named name: 0, or -ENOENT. */
int ctl_pol_find_segment(struct pol_state *st, const char *name,
			 uint32_t *id);

/* allow | deny at n (what names it in errors): 0 or the error. */
int ctl_pol_parse_action(struct pol_state *st, yaml_node_t *n,
			 const char *what, Cordon__Action *a);

/* ctl_policy_rule.c: one item of rules:, appended to st->p with the next
 * rule id. 0 or the error (ctl_yaml_err). */
int ctl_policy_rule_parse(struct pol_state *st, yaml_node_t *n);

#endif /* CORDON_CTL_POLICY_YAML_IMPL_H */
