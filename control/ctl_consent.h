/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Consent: what an operator allowed always, answering a consent prompt
 * (cd_prompt.c), as rules of every policy version:
 *
 *   device MAC -> dst address (or the DNS name the prompt named: a
 *                 dns_name endpoint), ip_proto, dst_port: allow
 *
 * at priority CTL_CONSENT_PRIORITY, ahead of MUD rules (and the MUD
 * device's default deny) and of the YAML's: the operator said yes to this
 * very flow. The rule's comment names its origin: "consent N: prompt P,
 * allowed always by WHO" (for a time: "allowed by WHO until TIME"; cd_prompt.c
 * removes the consent then, with a version of its own). A quarantined device stays quarantined (device
 * rules do not match it).
 */

#ifndef CORDON_CTL_CONSENT_H
#define CORDON_CTL_CONSENT_H

#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_compile.h"
#include "ctl_store.h"

#define CTL_CONSENT_PRIORITY 40

/*
 * A rule for each consent of the store into t->pol; t->added counts them.
 * A consent whose address no longer parses is skipped (t->skipped). 0,
 * -ENOMEM or the store's error.
 */
int ctl_consent_compose(struct ctl_store *st, struct ctl_cmp_tally *t);

/* A prompt's answer by name ("once", "always", "deny", "ignore",
 * "quarantine", "dismiss"), and back: NULL, or ANSWER_NONE. */
const char *ctl_consent_answer_name(Cordon__PromptAnswerKind k);
Cordon__PromptAnswerKind ctl_consent_answer_kind(const char *name);

#endif /* CORDON_CTL_CONSENT_H */
