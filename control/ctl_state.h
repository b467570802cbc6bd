/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond's durable state: the store (policy versions, events, quarantine,
 * reports) in a state directory, the policy signing key if there is one,
 * and making new policy versions.
 *
 * A version is always compiled from an operator source (YAML) together with
 * what cordond knows at that moment: the devices (for assignments by
 * vendor, type or MUD URL), the MUD files bound to devices, and the
 * quarantine set:
 *
 *   version = YAML source + the MUD rules of every binding + quarantine
 *             + the segment overrides (ctl_audit.h)
 *             + the consents, flows allowed always (ctl_consent.h)
 *
 * Quarantine, release, rollback and MUD imports therefore recompile a
 * source into a new version, and none of them loses the others; history is
 * append-only. Not thread-safe: cordond holds its lock.
 *
 * MUD rules come at priority CTL_STATE_MUD_PRIORITY (the device's
 * default deny right after), ahead of the YAML rules' default priority
 * (100): a device with a MUD file may do what its file allows and nothing
 * else, unless an operator rule with a lower priority number says so. A
 * binding is compiled with cordond's MUD context (local networks,
 * controllers, static DNS; its "device" part is ignored: each binding is
 * its own device, its manufacturer the host of its MUD URL) and with the
 * other devices that have a MUD URL (bindings and the inventory) as the
 * peers of same-manufacturer, manufacturer and model rules.
 */

#ifndef CORDON_CTL_STATE_H
#define CORDON_CTL_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"
#include "ctl_mud.h"
#include "ctl_policy_yaml.h"
#include "ctl_store.h"
#include "policy_sign.h"

#define CTL_STATE_DB "cordond.db"
#define CTL_STATE_LOCK "cordond.lock"
#define CTL_STATE_BACKUPS "backups"
#define CTL_STATE_BACKUPS_KEEP 3

#define CTL_STATE_MUD_PRIORITY 50

struct ctl_state {
	struct ctl_store *st;
	int lock_fd;			/* flock on DIR/cordond.lock */
	char dir[PATH_MAX];
	struct policy_sign_key key;
	bool have_key;
	/* MUD settings, set by the owner after ctl_state_open(). */
	const struct ctl_mud_context *mud_ctx;	/* NULL: no context */
	const char *mud_ca;		/* trust anchors, NULL: none */
	bool mud_accept_unsigned;
	/* Bindings the last composition left out (their file no longer
	 * compiles), and why for the first. */
	uint32_t mud_skipped;
	char mud_note[256];
	/* Segment overrides the last composition left out: the policy no
	 * longer has their segment. */
	uint32_t segment_skipped;
	/* Consents (ctl_consent.h) whose address no longer parses. */
	uint32_t consent_skipped;
	/* Versions made are above it: the highest a dataplane runs
	 * (ctl_state_version_floor()). */
	uint64_t version_floor;
};

/* A MUD file to bind to a device. */
struct ctl_state_mud {
	uint8_t mac[6];
	uint16_t vlan;
	const char *text;		/* the file */
	size_t len;
	const uint8_t *sig;		/* its .p7s, NULL: unsigned */
	size_t sig_len;
	const char *name;		/* for messages */
	const char *source;		/* cli, dhcp, dhcpv6, lldp */
	const char *by;
};

/*
 * Make DIR (0700), take its lock (-EBUSY, naming the holder's pid, when
 * another cordond has it), open (or create) DIR/cordond.db (0600, its WAL
 * and SHM too), check it (-EBADMSG for a corrupt one, err saying how to
 * recover), load DIR/policy-signing.key if present. Returns 0 or a
 * negative errno with err set.
 */
int ctl_state_open(struct ctl_state *s, const char *dir, char *err,
		   size_t errlen);
void ctl_state_close(struct ctl_state *s);

/*
 * An online backup of the store to path (0600, whole or not at all), or
 * when path is NULL to DIR/backups/cordond-<UTC time>.db, keeping the
 * newest CTL_STATE_BACKUPS_KEEP there. The file written goes to out.
 * Thread-safe against the store's other users (ctl_store_backup()).
 */
int ctl_state_backup(struct ctl_state *s, const char *path, uint64_t now_ms,
		     char *out, size_t outlen, char *err, size_t errlen);

/*
 * cordond --restore FILE: check FILE (ctl_store_verify_file()), take
 * DIR's lock (-EBUSY while a cordond runs), move the store aside (never
 * deleted: DIR/cordond.db.replaced-<ms>), copy FILE in (0600) and open it
 * as cordond would. Event, alert and consent ids go on above the replaced
 * store's, and above ids_above (0: none). msg says what was done, and
 * when no store was replaced and no ids_above given, that ids the
 * backup's own store handed out after it may be handed out again.
 */
int ctl_state_restore(const char *dir, const char *file, uint64_t ids_above,
		      uint64_t now_ms, char *msg, size_t msglen, char *err,
		      size_t errlen);

/*
 * cordond --compact: take DIR's lock (-EBUSY while a cordond runs), open
 * and check the store, and rewrite it so that it shrinks
 * (ctl_store_compact()). msg says the sizes before and after.
 */
int ctl_state_compact(const char *dir, char *msg, size_t msglen, char *err,
		      size_t errlen);

/*
 * Make the next policy version from source (the latest version's source
 * when NULL), the inventory and the quarantine set; store it (signed when
 * there is a key). On success *out is the compiled policy and *signed_out
 * its signed form (NULL without a key), both owned by the caller. -EINVAL
 * with "file:line:column: ..." in err for a bad source, -ENOENT when there
 * is no source at all.
 */
int ctl_state_apply(struct ctl_state *s, const char *source, const char *name,
		    const char *by, uint64_t rollback_of,
		    const struct ctl_pol_inventory *inv, uint64_t now_ms,
		    Cordon__Policy **out, uint8_t **signed_out,
		    size_t *signed_len, char *err, size_t errlen);

/*
 * Roll back to version: its source (or the pushed compiled policy it was
 * made on) as the next version, composed with today's devices, MUD files
 * and quarantine, rollback_of = version. -ENOENT: no such version.
 */
int ctl_state_rollback(struct ctl_state *s, uint64_t version, const char *by,
		       const struct ctl_pol_inventory *inv, uint64_t now_ms,
		       Cordon__Policy **out, uint8_t **signed_out,
		       size_t *signed_len, char *err, size_t errlen);

/*
 * Store pol (compiled elsewhere, already validated) as the next version:
 * its version is raised above the latest if need be; signed when there is
 * a key. *signed_out as for ctl_state_apply(). Returns 0 or -errno.
 */
int ctl_state_add_compiled(struct ctl_state *s, Cordon__Policy *pol,
			   const char *source, const char *by,
			   uint64_t rollback_of, uint64_t now_ms,
			   uint8_t **signed_out, size_t *signed_len, char *err,
			   size_t errlen);

/*
 * Check the signature policy: a signature must verify against mud_ca (and
 * cannot without one); no signature is accepted only with
 * mud_accept_unsigned. Then compile m in the MUD context with the peers
 * inv and the bindings give, into res. Nothing is stored. 0, or -EBADMSG
 * (signature), -EINVAL (the file) with err saying why.
 */
int ctl_state_mud_check(struct ctl_state *s, const struct ctl_state_mud *m,
			const struct ctl_pol_inventory *inv,
			struct ctl_mud_result *res, char *err, size_t errlen);

/*
 * ctl_state_mud_check(), then bind the file to m->mac durably (replacing
 * its earlier binding) and make the next version as ctl_state_apply(NULL)
 * does. When no policy source exists yet, the binding is stored and *out is
 * NULL: it applies with the first policy. If the new version cannot be
 * made, the earlier binding is restored. Returns 0 or -errno as above.
 */
int ctl_state_mud_import(struct ctl_state *s, const struct ctl_state_mud *m,
			 const struct ctl_pol_inventory *inv, uint64_t now_ms,
			 struct ctl_mud_result *res, Cordon__Policy **out,
			 uint8_t **signed_out, size_t *signed_len, char *err,
			 size_t errlen);

/* Drop mac's binding (-ENOENT if none) and make the next version; *out
 * NULL when there is no policy source yet. */
int ctl_state_mud_remove(struct ctl_state *s, const uint8_t mac[6],
			 const char *by, const struct ctl_pol_inventory *inv,
			 uint64_t now_ms, Cordon__Policy **out,
			 uint8_t **signed_out, size_t *signed_len, char *err,
			 size_t errlen);

/*
 * Every binding, by MAC, each with what it compiles to now (res) or why it
 * no longer compiles (res NULL, err set).
 */
typedef int (*ctl_state_mud_cb)(const struct ctl_store_mud *m,
				const struct ctl_mud_result *res,
				const char *err, void *arg);
int ctl_state_mud_list(struct ctl_state *s,
		       const struct ctl_pol_inventory *inv,
		       ctl_state_mud_cb cb, void *arg);

/*
 * What changed from version a to b, as a unified diff (*out malloc()ed,
 * "" when nothing did): the sources, and what cordond composed into each
 * (quarantine, MUD rules; all devices and rules of a pushed compiled
 * policy). -ENOENT for no such version, with err set.
 */
int ctl_state_diff(struct ctl_state *s, uint64_t a, uint64_t b, char **out,
		   char *err, size_t errlen);

/*
 * Why the latest policy's type: selectors hold devices of inv back: its
 * source compiled against inv (whose notes must be set, see
 * ctl_pol_inventory), so each held device gets a note. *seg_of receives
 * the compiled policy (the YAML part: no MUD bindings, no quarantine) for
 * telling whether a note describes what is in force; the caller frees it.
 * -ENOENT when no policy source exists, else 0 or -errno with err set.
 */
int ctl_state_type_notes(struct ctl_state *s,
			 const struct ctl_pol_inventory *inv,
			 Cordon__Policy **seg_of, char *err, size_t errlen);

/*
 * A dataplane runs version v: the versions made from now on are above it,
 * whatever the store's latest. A store restored from a backup does not
 * have the versions made after the backup, which its dataplanes may still
 * run: making one of those numbers again would give two policies one
 * version, and a signed dataplane refuses a version not newer than its
 * own. Returns whether v raised the floor.
 */
bool ctl_state_version_floor(struct ctl_state *s, uint64_t v);

/* The latest stored policy, decoded (NULL when none), and its signed
 * form (NULL when it was not signed; malloc()ed). */
int ctl_state_latest(struct ctl_state *s, Cordon__Policy **out,
		     uint8_t **signed_out, size_t *signed_len);

#endif /* CORDON_CTL_STATE_H */
