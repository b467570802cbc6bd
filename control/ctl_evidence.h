/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * A device's identity evidence (cordon.Evidence) as the store keeps it, in
 * the device table's evidence column: a JSON array of
 *   {"field", "value", "source", "method", "clue", "confidence",
 *    "signature_id"}
 * with the names of evidence.h. The JSON stays in SQLite; on the wire the
 * evidence is typed. Rows stored before wire minor 2 hold the
 * fingerprinter's own rendering ("attribute", "seen", "rule", and the
 * method as "source"), which is read too.
 */

#ifndef CORDON_CTL_EVIDENCE_H
#define CORDON_CTL_EVIDENCE_H

#include "cordon.pb-c.h"

/* id's evidence as a JSON array (malloc()ed), or NULL when it has none. */
char *ctl_evidence_to_json(const Cordon__DeviceIdentity *id);

/*
 * The stored evidence back into id->evidence (every piece malloc()ed, so
 * cordon__device_identity__free_unpacked() releases it) and
 * id->mud_url_source (the source of its mud_url piece), id->firmware (its
 * most confident firmware piece) and id->tls_obsolete (its tls pieces):
 * the store keeps those two only as evidence. Text that is not such an
 * array yields no evidence. 0 or -ENOMEM.
 */
int ctl_evidence_from_json(const char *js, Cordon__DeviceIdentity *id);

#endif /* CORDON_CTL_EVIDENCE_H */
