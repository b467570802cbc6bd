/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Detached CMS signatures of MUD files (RFC 8520 section 13): a file's
 * .p7s, DER or PEM, checked against a bundle of trust anchors.
 */

#ifndef CORDON_CTL_MUD_SIG_H
#define CORDON_CTL_MUD_SIG_H

#include <stddef.h>

/* Largest signature (.p7s) read. */
#define CTL_MUD_SIG_MAX (1u << 20)

/*
 * Verify a detached CMS signature (DER or PEM) of file against the CA
 * bundle ca_file. 0 when valid, -EBADMSG (bad signature or untrusted
 * signer), -ENOENT/-EIO (cannot read).
 */
int ctl_mud_sig_verify(const char *file, const char *sig, const char *ca_file,
		       char *err, size_t errlen);
/* The same on a file and signature in memory (as cordond receives them). */
int ctl_mud_sig_verify_mem(const void *file, size_t len, const void *sig,
			   size_t sig_len, const char *ca_file, char *err,
			   size_t errlen);

#endif /* CORDON_CTL_MUD_SIG_H */
