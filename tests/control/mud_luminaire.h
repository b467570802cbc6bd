/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The luminaire example (examples/mud-context-luminaire.yaml and
 * cisco-luminaire/Luminaire_150.json) compiled into mud_nist.h's LAN
 * policy, for the classifier and the compiler tests. Include after
 * test_main.h and mud_nist.h.
 */

#ifndef CORDON_TEST_MUD_LUMINAIRE_H
#define CORDON_TEST_MUD_LUMINAIRE_H

/* The policy; ctx is loaded, res filled when not NULL, and the MUD file's
 * name is in path. */
static inline Cordon__Policy *
luminaire_policy(struct ctl_mud_context *ctx, struct ctl_mud_result *res,
	char path[4096])
{
	char cpath[4096], err[1024];
	Cordon__Policy *p;

	snprintf(cpath, sizeof(cpath), "%s/examples/mud-context-luminaire.yaml",
		test_src_root);
	snprintf(path, 4096, "%s/mud/cisco-luminaire/"
		"Luminaire_150.json", test_data_dir);
	if (ctl_mud_context_load(cpath, ctx, err, sizeof(err)))
		fail_msg("%s", err);
	p = lan_policy(ctx);
	if (ctl_mud_compile_file(path, ctx, NULL, 100, p, res, err,
			sizeof(err)))
		fail_msg("%s", err);
	return p;
}

#endif /* CORDON_TEST_MUD_LUMINAIRE_H */
