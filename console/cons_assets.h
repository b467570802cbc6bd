/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The console's own pages, scripts and style sheet (console/www/), built
 * into the binary by gen_assets.py: nothing to install beside it, nothing
 * on disk to tamper with. Chart.js is not among them: it is Debian's
 * libjs-chart.js, read from /usr/share/javascript at start.
 */

#ifndef CORDON_CONS_ASSETS_H
#define CORDON_CONS_ASSETS_H

#include <stddef.h>

struct cons_asset {
	const char *name;		/* "login.html" */
	const char *type;		/* Content-Type */
	const unsigned char *data;
	size_t len;
};

/* The asset of that file name, or NULL. */
const struct cons_asset *cons_asset_find(const char *name);

#endif /* CORDON_CONS_ASSETS_H */
