/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_conf.h"
#include "ctl_inventory.h"
#include "endpoint.h"
#include "wire_tls.h"

void
cd_conf_usage(FILE *f)
{
	fprintf(f,
"Usage: cordond [options]\n"
"\n"
"Cordon's control daemon. Dataplanes dial in to report; cordonctl talks to\n"
"it on a separate socket that only its owner may open (mode 0600).\n"
"\n"
"Options:\n"
"  -r, --rundir DIR          runtime directory (default $CORDON_RUNDIR, else\n"
"                            /run/cordon for root, else $XDG_RUNTIME_DIR/cordon)\n"
"  -s, --state-dir DIR       durable state: cordond.db (SQLite), and the policy\n"
"                            signing key if there is one (default\n"
"                            $CORDON_STATE_DIR, else /var/lib/cordon for root,\n"
"                            else ~/.local/state/cordon)\n"
"  -d, --dataplane-url URL   dataplane endpoint (default ipc://RUNDIR/dataplane.sock);\n"
"                            tls+tcp://ADDR:PORT for dataplanes on other hosts,\n"
"                            with the three options below\n"
"      --tls-cert FILE       cordond's certificate (PEM; may hold the key too)\n"
"      --tls-key FILE        its private key (PEM; default: in --tls-cert)\n"
"      --tls-ca FILE         the CA whose certificates dataplanes must present:\n"
"                            client authentication is required\n"
"                            (scripts/make-certs.sh makes all three)\n"
"  -c, --ctl-url URL         cordonctl endpoint (default ipc://RUNDIR/ctl.sock)\n"
"  -i, --report-interval MS  report period asked of dataplanes, 100..60000\n"
"                            (default: each dataplane's own)\n"
"  -I, --inventory-refresh S  write a device whose identity did not change\n"
"                            to the store again after S seconds, 1..86400\n"
"                            (default 60); changes are written at once\n"
"      --mud-context FILE    deployment context for MUD files (YAML, see\n"
"                            examples/mud-context-luminaire.yaml); its device\n"
"                            part is ignored: each binding is its own device\n"
"      --mud-ca FILE         trust anchors (PEM) for MUD signatures (.p7s)\n"
"                            (default: the context's signature.ca-file)\n"
"      --mud-accept-unsigned accept MUD files without a signature (default:\n"
"                            the context's signature.accept-unsigned, else no)\n"
"      --mud-dir DIR         MUD files for the URLs devices announce (DHCP\n"
"                            option 161, DHCPv6 option 112, LLDP), as\n"
"                            DIR/<host>/<path with / as _> (default\n"
"                            STATE-DIR/mud)\n"
"  -v, --verbose             log every rejected message\n"
"  -h, --help                this text\n"
"\n"
"SIGINT or SIGTERM stops cordond.\n");
}

int
cd_conf_parse(int argc, char **argv, struct cd_conf *c)
{
	static const struct option opts[] = {
		{ "rundir", required_argument, NULL, 'r' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "dataplane-url", required_argument, NULL, 'd' },
		{ "ctl-url", required_argument, NULL, 'c' },
		{ "report-interval", required_argument, NULL, 'i' },
		{ "inventory-refresh", required_argument, NULL, 'I' },
		{ "mud-context", required_argument, NULL, 'M' },
		{ "mud-ca", required_argument, NULL, 'A' },
		{ "mud-accept-unsigned", no_argument, NULL, 'U' },
		{ "mud-dir", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "tls-ca", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_rundir = false;
	char *end;
	int o;

	memset(c, 0, sizeof(*c));
	c->inventory_refresh_s = CTL_INV_REFRESH_MS / 1000;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":r:s:d:c:i:I:vh", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			if (strlen(optarg) >= sizeof(c->rundir) - 32) {
				fprintf(stderr, "cordond: --rundir: too long\n");
				return -EINVAL;
			}
			strcpy(c->rundir, optarg);
			have_rundir = true;
			break;
		case 's':
			if (strlen(optarg) >= sizeof(c->statedir) - 32) {
				fprintf(stderr, "cordond: --state-dir: too "
					"long\n");
				return -EINVAL;
			}
			strcpy(c->statedir, optarg);
			break;
		case 'd':
		case 'c':
			if (strstr(optarg, "://") == NULL ||
			    strlen(optarg) >= sizeof(c->dp_url)) {
				fprintf(stderr, "cordond: %s: '%s' is not an "
					"nng URL (ipc://PATH, tcp://HOST:PORT)\n",
					o == 'd' ? "--dataplane-url" :
					"--ctl-url", optarg);
				return -EINVAL;
			}
			strcpy(o == 'd' ? c->dp_url : c->cli_url, optarg);
			break;
		case 'i':
			errno = 0;
			c->report_interval_ms = (uint32_t)strtoul(optarg, &end,
								  10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    c->report_interval_ms < 100 ||
			    c->report_interval_ms > 60000) {
				fprintf(stderr, "cordond: --report-interval: "
					"'%s' is not a number in 100..60000\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'I':
			errno = 0;
			c->inventory_refresh_s = (uint32_t)strtoul(optarg,
								   &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    c->inventory_refresh_s < 1 ||
			    c->inventory_refresh_s > 86400) {
				fprintf(stderr, "cordond: --inventory-refresh: "
					"'%s' is not a number in 1..86400\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'M':
		case 'A':
		case 'D': {
			char *dst = o == 'M' ? c->mud_context : o == 'A' ?
				c->mud_ca : c->mud_dir;

			if (strlen(optarg) >= PATH_MAX - 64) {
				fprintf(stderr, "cordond: %s: too long\n",
					argv[optind - 1]);
				return -EINVAL;
			}
			strcpy(dst, optarg);
			break;
		}
		case 'U':
			c->mud_accept_unsigned = true;
			break;
		case 'v':
			c->verbose = true;
			break;
		case 'C':
			c->tls_cert = optarg;
			break;
		case 'K':
			c->tls_key = optarg;
			break;
		case 'T':
			c->tls_ca = optarg;
			break;
		case 'h':
			cd_conf_usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr, "cordond: option '%s' needs a value\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(stderr, "cordond: unknown option '%s' (see "
				"--help)\n", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cordond: unexpected argument '%s' (see "
			"--help)\n", argv[optind]);
		return -EINVAL;
	}
	if (wire_tls_url(c->cli_url)) {
		fprintf(stderr, "cordond: --ctl-url: tls+tcp is for dataplanes; "
			"cordonctl talks to cordond over ipc or tcp\n");
		return -EINVAL;
	}
	if (wire_tls_url(c->dp_url) &&
	    (c->tls_cert == NULL || c->tls_ca == NULL)) {
		fprintf(stderr, "cordond: --dataplane-url %s needs --tls-cert "
			"and --tls-ca (and --tls-key unless the certificate "
			"file holds the key)\n", c->dp_url);
		return -EINVAL;
	}
	if (!wire_tls_url(c->dp_url) &&
	    (c->tls_cert || c->tls_key || c->tls_ca)) {
		fprintf(stderr, "cordond: --tls-cert, --tls-key and --tls-ca "
			"need a tls+tcp:// --dataplane-url\n");
		return -EINVAL;
	}
	if (!have_rundir && endpoint_rundir(c->rundir, sizeof(c->rundir)) < 0)
		return -ENAMETOOLONG;
	if (c->statedir[0] == '\0' &&
	    endpoint_statedir(c->statedir, sizeof(c->statedir)) < 0)
		return -ENAMETOOLONG;
	if (c->mud_dir[0] == '\0')
		snprintf(c->mud_dir, sizeof(c->mud_dir), "%.*s/mud",
			 PATH_MAX - 64, c->statedir);
	if (c->dp_url[0] == '\0')
		endpoint_default_url(c->rundir, ENDPOINT_DATAPLANE_SOCK,
				     c->dp_url, sizeof(c->dp_url));
	if (c->cli_url[0] == '\0')
		endpoint_default_url(c->rundir, ENDPOINT_CTL_SOCK, c->cli_url,
				     sizeof(c->cli_url));
	return 0;
}
