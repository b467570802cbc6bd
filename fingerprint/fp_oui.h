/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_OUI_H
#define CORDON_FP_OUI_H

#include <stddef.h>
#include <stdint.h>

/*
 * MAC vendor lookup from the IEEE registries as shipped by Debian's
 * ieee-data (oui.csv MA-L /24, mam.csv MA-M /28, oui36.csv MA-S /36, and
 * iab.csv /36). The longest matching assignment wins.
 */

struct fp_oui;

/* Loads every CSV found in dir; NULL when none could be read. */
struct fp_oui *fp_oui_load(const char *dir);
/* Adds the assignments of a Wireshark "manuf" file (Debian
 * wireshark-common: /usr/share/wireshark/manuf) that the registry files
 * lack, for prefixes assigned after Debian's ieee-data snapshot. Returns
 * how many were added (0 if the file is missing). */
size_t fp_oui_load_manuf(struct fp_oui *db, const char *path);
void fp_oui_free(struct fp_oui *db);
/* Organization name or NULL. Locally administered addresses never match. */
const char *fp_oui_lookup(const struct fp_oui *db, const uint8_t mac[6]);
size_t fp_oui_count(const struct fp_oui *db);

#endif
