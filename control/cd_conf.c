/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_conf.h"
#include "ctl_config_check.h"
#include "ctl_inventory.h"
#include "ctl_store.h"
#include "ctl_table.h"
#include "det.h"
#include "endpoint.h"
#include "util_opt.h"
#include "wire_tls.h"

/* Long-only options. */
enum {
	O_TLS_CERT = 256,
	O_TLS_KEY,
	O_TLS_CA,
	O_MUD_CONTEXT,
	O_MUD_CA,
	O_MUD_UNSIGNED,
	O_MUD_DIR,
	O_CHECK_CONFIG,
	O_RESTORE,
	O_IDS_ABOVE,
	O_COMPACT,
	O_INSECURE_LISTEN,
	O_TLS_ID_OPTIONAL,
	O_BACKUP_INTERVAL,
	O_VERSION,
	O_PROMPT_TIMEOUT,
	O_PROMPT_MAX,
	O_PROBATION,
	O_REPORT_RETENTION,
	O_DEVICE_RETENTION,
	O_EVENT_RETENTION,
	O_ALERT_RETENTION,
	O_POLICY_KEEP,
	O_DATAPLANE_RETENTION,
};

static const struct util_opt cd_conf_opts[] = {
	{ "rundir", 'r', "DIR", "runtime directory (default $CORDON_RUNDIR, "
	  "else\n/run/cordon for root, else $XDG_RUNTIME_DIR/cordon)" },
	{ "state-dir", 's', "DIR", "durable state: cordond.db (SQLite), and "
	  "the policy\nsigning key if there is one (default\n"
	  "$CORDON_STATE_DIR, else /var/lib/cordon for root,\n"
	  "else ~/.local/state/cordon)" },
	{ "dataplane-url", 'd', "URL", "dataplane endpoint (default "
	  "ipc://RUNDIR/dataplane.sock);\ntls+tcp://ADDR:PORT for "
	  "dataplanes on other hosts,\nwith the three options below" },
	{ "tls-cert", O_TLS_CERT, "FILE", "cordond's certificate (PEM; may "
	  "hold the key too)" },
	{ "tls-key", O_TLS_KEY, "FILE", "its private key (PEM; default: in "
	  "--tls-cert)" },
	{ "tls-ca", O_TLS_CA, "FILE", "the CA whose certificates dataplanes "
	  "must present:\nclient authentication is required\n"
	  "(scripts/make-certs.sh makes all three)" },
	{ "tls-id-optional", O_TLS_ID_OPTIONAL, NULL, "take dataplanes that "
	  "do not prove their id\n(older than this cordond: wire minor < 5) "
	  "on\ntheir word, logging each; for an upgrade that\nstarts with "
	  "cordond. Without it, a dataplane\nmust sign its id with its "
	  "certificate's key,\nwhose CN must be the id" },
	{ "ctl-url", 'c', "URL", "cordonctl endpoint (default "
	  "ipc://RUNDIR/ctl.sock)" },
	{ "report-interval", 'i', "MS", "report period asked of dataplanes, "
	  "100..60000\n(default: each dataplane's own)" },
	{ "inventory-refresh", 'I', "S", "write a device whose identity did "
	  "not change\nto the store again after S seconds, 1..86400\n"
	  "(default 60); changes are written at once" },
	{ "mud-context", O_MUD_CONTEXT, "FILE", "deployment context for MUD "
	  "files (YAML, see\nexamples/mud-context-luminaire.yaml); its "
	  "device\npart is ignored: each binding is its own device" },
	{ "mud-ca", O_MUD_CA, "FILE", "trust anchors (PEM) for MUD signatures "
	  "(.p7s)\n(default: the context's signature.ca-file)" },
	{ "mud-accept-unsigned", O_MUD_UNSIGNED, NULL, "accept MUD files "
	  "without a signature (default:\nthe context's "
	  "signature.accept-unsigned, else no)" },
	{ "mud-dir", O_MUD_DIR, "DIR", "MUD files for the URLs devices "
	  "announce (DHCP\noption 161, DHCPv6 option 112, LLDP), as\n"
	  "DIR/<host>/<path with / as _> (default\nSTATE-DIR/mud)" },
	{ "insecure-listen", O_INSECURE_LISTEN, NULL, "allow a plain tcp:// "
	  "endpoint on an address other\nthan loopback: any host that "
	  "reaches it may register\nas a dataplane or read policies "
	  "(logged at every\nstart; use tls+tcp:// instead)" },
	{ "backup-interval", O_BACKUP_INTERVAL, "S", "take an online backup "
	  "of the store every S\nseconds into STATE-DIR/backups, keeping "
	  "the\nnewest 3; 0: none (default 3600)" },
	{ "report-retention", O_REPORT_RETENTION, "DURATION", "delete the "
	  "dataplanes' stored reports after\nDURATION (90s, 15m, 2h, 1d; "
	  "default 1h); what\nthey said stays (inventory, events), and "
	  "so\ndoes what recognises one sent again; 0: keep\nevery report" },
	{ "device-retention", O_DEVICE_RETENTION, "DURATION", "forget a "
	  "stored device, and its behaviour\nenvelope, once no dataplane has "
	  "listed it for\nDURATION (default 90d); one quarantined, put in a\n"
	  "segment, bound to a MUD file or given a consent\nstays; at least "
	  "twice --inventory-refresh;\n0: keep every device" },
	{ "event-retention", O_EVENT_RETENTION, "DURATION", "delete events "
	  "older than DURATION (default\n365d); 0: keep every event" },
	{ "alert-retention", O_ALERT_RETENTION, "DURATION", "delete alerts "
	  "older than DURATION (default\n365d), except a quarantined "
	  "device's; 0: keep\nevery alert" },
	{ "dataplane-retention", O_DATAPLANE_RETENTION, "DURATION", "forget "
	  "a dataplane disconnected for DURATION\n(default 7d): it leaves "
	  "cordonctl status, and\nwhat it last said leaves cordond's "
	  "memory;\nback, it registers as new; 0: keep every one" },
	{ "policy-keep", O_POLICY_KEEP, "N", "keep the content (source, "
	  "compiled and signed\nforms) of the newest N policy versions, "
	  "0..1000000\n(default 100); older ones stay in the history,\n"
	  "but cannot be rolled back to or diffed; 0: keep\nevery version's" },
	{ "restore", O_RESTORE, "FILE", "replace the store with the backup "
	  "FILE (checked\nfirst; the store replaced is kept beside it "
	  "as\ncordond.db.replaced-TIME), and exit; cordond must\nnot be "
	  "running on the state directory" },
	{ "ids-above", O_IDS_ABOVE, "N", "with --restore: event, alert and "
	  "consent ids go on\nabove N, the last id seen; for a restore on "
	  "a new\nmachine, where no store is replaced to tell which\n"
	  "ids the lost one handed out" },
	{ "compact", O_COMPACT, NULL, "rewrite the store so that its file "
	  "shrinks as\nthe retention frees pages (a store made by a\n"
	  "cordond before this one only stops growing),\nand exit; needs "
	  "free disk for a copy of it;\ncordond must not be running on the "
	  "state\ndirectory" },
	{ "prompt-timeout", O_PROMPT_TIMEOUT, "S", "a consent prompt nobody "
	  "answers expires after S\nseconds, 1..604800 (default 300): a "
	  "deny, no rule" },
	{ "prompt-max-per-device", O_PROMPT_MAX, "N", "open prompts a device "
	  "may have, 1..256\n(default 8); its flows beyond are counted, "
	  "not\nasked" },
	{ "probation", O_PROBATION, "DURATION", "release a device the "
	  "detectors quarantined\nafter DURATION (90s, 15m, 2h, 1d); one "
	  "that\noffends again is held until an operator\nreleases it "
	  "(default: no probation, every\nquarantine waits for an operator)" },
	{ "verbose", 'v', NULL, "log every rejected message" },
	{ "check-config", O_CHECK_CONFIG, NULL, "check these options and "
	  "everything they name\n(directories, store, keys, TLS and MUD "
	  "files),\nprint, and exit: 0 when usable, 1 if not;\nnothing is "
	  "started, created or written" },
	{ "version", O_VERSION, NULL, "print the version and exit" },
	{ "help", 'h', NULL, "this text" },
	{ NULL, 0, NULL, NULL },
};

void
cd_conf_usage(FILE *f)
{
	fprintf(f, "Usage: cordond [options]\n\n"
		"Cordon's control daemon. Dataplanes dial in to report; "
		"cordonctl talks to\nit on a separate socket that only its "
		"owner may open (mode 0600).\n\nOptions:\n");
	util_opt_help(f, cd_conf_opts);
	fprintf(f, "\nSIGINT or SIGTERM stops cordond.\n");
}

/* An unsigned number of an option, in lo..hi; -EINVAL said why. */
static int
cd_conf_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
	    uint64_t *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || s[0] == '-' || end == s || n < lo ||
	    n > hi) {
		fprintf(stderr, "cordond: %s: '%s' is not a number in "
			"%" PRIu64 "..%" PRIu64 "\n", opt, s, lo, hi);
		return -EINVAL;
	}
	*v = n;
	return 0;
}

static int
cd_conf_u32(const char *opt, const char *s, uint32_t lo, uint32_t hi,
	    uint32_t *v)
{
	uint64_t n;
	int rc = cd_conf_u64(opt, s, lo, hi, &n);

	if (rc == 0)
		*v = (uint32_t)n;
	return rc;
}

static const struct {
	int opt;
	const char *name;
	size_t off;			/* the uint64_t ms in struct cd_conf */
} cd_conf_retentions[] = {
	{ O_REPORT_RETENTION, "--report-retention",
	  offsetof(struct cd_conf, report_retention_ms) },
	{ O_DEVICE_RETENTION, "--device-retention",
	  offsetof(struct cd_conf, device_retention_ms) },
	{ O_EVENT_RETENTION, "--event-retention",
	  offsetof(struct cd_conf, event_retention_ms) },
	{ O_ALERT_RETENTION, "--alert-retention",
	  offsetof(struct cd_conf, alert_retention_ms) },
	{ O_DATAPLANE_RETENTION, "--dataplane-retention",
	  offsetof(struct cd_conf, dataplane_retention_ms) },
};

/* A retention option: 0 (keep everything) or a duration up to 3650d. */
static int
cd_conf_retention(int opt, const char *s, struct cd_conf *c)
{
	int64_t ms = det_parse_duration(s);
	size_t i = 0;

	while (cd_conf_retentions[i].opt != opt)
		i++;
	/* A duration that rounds to 0 ms (0.0001s) is not 0. */
	if (ms < 0 || (uint64_t)ms > 3650ull * 86400 * 1000 ||
	    (ms == 0 && strtod(s, NULL) != 0.0)) {
		fprintf(stderr, "cordond: %s: '%s' is not 0 or a duration up "
			"to 3650d (90s, 15m, 2h, 1d)\n",
			cd_conf_retentions[i].name, s);
		return -EINVAL;
	}
	*(uint64_t *)((char *)c + cd_conf_retentions[i].off) = (uint64_t)ms;
	return 0;
}

/* The name of option key if it takes a value, else NULL. */
static const char *
cd_conf_valued(int key)
{
	for (const struct util_opt *o = cd_conf_opts; o->name != NULL; o++)
		if (o->key == key)
			return o->arg != NULL ? o->name : NULL;
	return NULL;
}

int
cd_conf_parse(int argc, char **argv, struct cd_conf *c)
{
	struct util_opt_parser p;
	bool have_rundir = false;
	int o;

	memset(c, 0, sizeof(*c));
	c->backup_interval_s = 3600;
	/* Nothing reads them back, and each lists every device the
	 * dataplane knows: 17 KB a second with 1,000 devices. */
	c->report_retention_ms = 3600 * 1000;
	/* A season away (holidays, a device in a drawer) keeps its row;
	 * the events and alerts of a year are the audit trail. */
	c->device_retention_ms = 90ull * 86400 * 1000;
	c->event_retention_ms = 365ull * 86400 * 1000;
	c->alert_retention_ms = 365ull * 86400 * 1000;
	/* A 10,000-device policy is 0.5 MB a version (its source is kept
	 * once), and every quarantine, consent and segment change is one. */
	c->policy_keep = 100;
	/* A week away: a CPE replaced or taken out of the fleet. */
	c->dataplane_retention_ms = 7ull * 86400 * 1000;
	c->inventory_refresh_s = CTL_INV_REFRESH_MS / 1000;
	c->prompt_timeout_s = 300;
	c->prompt_max_per_device = 8;
	util_opt_init(&p, cd_conf_opts, false);
	while ((o = util_opt_next(&p, argc, argv)) != -1) {
		const char *name = cd_conf_valued(o);

		/* --rundir "" would put the sockets in /, --tls-cert "" name
		 * no file, and the rest mean their default unsaid. */
		if (name != NULL && optarg[0] == '\0') {
			fprintf(stderr, "cordond: --%s: must not be empty\n",
				name);
			return -EINVAL;
		}
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
			if (cd_conf_u32("--report-interval", optarg, 100,
					60000, &c->report_interval_ms) < 0)
				return -EINVAL;
			break;
		case 'I':
			if (cd_conf_u32("--inventory-refresh", optarg, 1,
					86400, &c->inventory_refresh_s) < 0)
				return -EINVAL;
			break;
		case O_MUD_CONTEXT:
		case O_MUD_CA:
		case O_MUD_DIR: {
			char *dst = o == O_MUD_CONTEXT ? c->mud_context :
				o == O_MUD_CA ? c->mud_ca : c->mud_dir;

			if (strlen(optarg) >= PATH_MAX - 64) {
				fprintf(stderr, "cordond: %s: too long\n",
					argv[optind - 1]);
				return -EINVAL;
			}
			strcpy(dst, optarg);
			break;
		}
		case O_PROMPT_TIMEOUT:
			if (cd_conf_u32("--prompt-timeout", optarg, 1, 604800,
					&c->prompt_timeout_s) < 0)
				return -EINVAL;
			break;
		case O_PROMPT_MAX:
			if (cd_conf_u32("--prompt-max-per-device", optarg, 1,
					256, &c->prompt_max_per_device) < 0)
				return -EINVAL;
			break;
		case O_MUD_UNSIGNED:
			c->mud_accept_unsigned = true;
			break;
		case O_PROBATION: {
			int64_t ms = det_parse_duration(optarg);

			if (ms <= 0) {
				fprintf(stderr, "cordond: --probation: '%s' is "
					"not a duration (90s, 15m, 2h, 1d)\n",
					optarg);
				return -EINVAL;
			}
			c->probation_ms = (uint64_t)ms;
			break;
		}
		case 'v':
			c->verbose = true;
			break;
		case O_CHECK_CONFIG:
			c->check_config = true;
			break;
		case O_RESTORE:
			c->restore = optarg;
			break;
		case O_IDS_ABOVE:
			if (cd_conf_u64("--ids-above", optarg, 1,
					CTL_STORE_ID_MAX, &c->ids_above) < 0)
				return -EINVAL;
			break;
		case O_COMPACT:
			c->compact = true;
			break;
		case O_INSECURE_LISTEN:
			c->insecure_listen = true;
			break;
		case O_TLS_ID_OPTIONAL:
			c->tls_id_optional = true;
			break;
		case O_BACKUP_INTERVAL:
			if (cd_conf_u32("--backup-interval", optarg, 0,
					31 * 86400, &c->backup_interval_s) < 0)
				return -EINVAL;
			break;
		case O_REPORT_RETENTION:
		case O_DEVICE_RETENTION:
		case O_EVENT_RETENTION:
		case O_ALERT_RETENTION:
		case O_DATAPLANE_RETENTION:
			if (cd_conf_retention(o, optarg, c) < 0)
				return -EINVAL;
			break;
		case O_POLICY_KEEP: {
			uint32_t n;

			if (cd_conf_u32("--policy-keep", optarg, 0, 1000000,
					&n) < 0)
				return -EINVAL;
			c->policy_keep = n;
			break;
		}
		case O_VERSION:
			printf("cordond %s\n", CORDON_VERSION);
			exit(0);
		case O_TLS_CERT:
		case O_TLS_KEY:
		case O_TLS_CA:
			*(o == O_TLS_CERT ? &c->tls_cert : o == O_TLS_KEY ?
			  &c->tls_key : &c->tls_ca) = optarg;
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
				"--help)\n", util_opt_refused(o, argv));
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cordond: unexpected argument '%s' (see "
			"--help)\n", argv[optind]);
		return -EINVAL;
	}
	if ((c->restore != NULL) + c->compact + c->check_config > 1) {
		fprintf(stderr, "cordond: --restore, --compact and "
			"--check-config each do one thing and exit: one at a "
			"time\n");
		return -EINVAL;
	}
	if (c->ids_above != 0 && c->restore == NULL) {
		fprintf(stderr, "cordond: --ids-above goes with --restore "
			"FILE\n");
		return -EINVAL;
	}
	for (int i = 0; i < 2; i++) {
		const char *u = i == 0 ? c->dp_url : c->cli_url;

		if (!cd_conf_url_exposed(u) || c->insecure_listen)
			continue;
		fprintf(stderr, "cordond: %s: a plain tcp:// endpoint on a "
			"non-loopback address lets any host on the network "
			"register as a dataplane and read policies; use "
			"tls+tcp:// (--tls-cert, --tls-key, --tls-ca), a "
			"loopback address, or say --insecure-listen\n", u);
		return -EINVAL;
	}
	/* A device still listed is written at least every refresh. */
	if (c->device_retention_ms != 0 &&
	    c->device_retention_ms < 2000ull * c->inventory_refresh_s) {
		fprintf(stderr, "cordond: --device-retention %s is shorter "
			"than twice --inventory-refresh (%u s): a device still "
			"listed would be forgotten between its writes\n",
			ctl_fmt_duration_ms(c->device_retention_ms),
			c->inventory_refresh_s);
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
	    (c->tls_cert || c->tls_key || c->tls_ca || c->tls_id_optional)) {
		fprintf(stderr, "cordond: --tls-cert, --tls-key, --tls-ca and "
			"--tls-id-optional need a tls+tcp:// "
			"--dataplane-url\n");
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

bool
cd_conf_url_exposed(const char *url)
{
	static const char *const plain[] = {
		"tcp://", "tcp4://", "tcp6://", "ws://", "ws4://", "ws6://",
	};
	const char *host = NULL, *end;
	size_t n;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strncmp(url, plain[i], strlen(plain[i])) == 0)
			host = url + strlen(plain[i]);
	if (host == NULL)
		return false;
	/* [v6]:port, or host:port (the last colon) */
	if (host[0] == '[') {
		end = strchr(host, ']');
		host++;
	} else {
		end = strrchr(host, ':');
	}
	n = end != NULL ? (size_t)(end - host) : strlen(host);
	if ((n == 9 && strncmp(host, "localhost", 9) == 0) ||
	    (n == 3 && strncmp(host, "::1", 3) == 0) ||
	    (n >= 4 && strncmp(host, "127.", 4) == 0))
		return false;
	return true;	/* empty, *, 0.0.0.0, [::] and real addresses */
}

/* A retention as --check-config says it (ctl_fmt_duration_ms() keeps
 * eight at once). */
static const char *
cd_conf_kept(uint64_t ms)
{
	return ms != 0 ? ctl_fmt_duration_ms(ms) : "for ever";
}

int
cd_conf_check(const struct cd_conf *c, FILE *out)
{
	const struct ctl_config_check cc = {
		.rundir = c->rundir, .statedir = c->statedir,
		.dp_url = c->dp_url, .cli_url = c->cli_url,
		.tls_cert = c->tls_cert, .tls_key = c->tls_key,
		.tls_ca = c->tls_ca, .mud_context = c->mud_context,
		.mud_ca = c->mud_ca, .mud_dir = c->mud_dir,
		.mud_accept_unsigned = c->mud_accept_unsigned,
	};

	fprintf(out, "cordond: check-config: the store keeps reports %s, "
		"devices unlisted %s, events %s, alerts %s, the content of %s "
		"policy versions; dataplanes away are kept %s\n",
		cd_conf_kept(c->report_retention_ms),
		cd_conf_kept(c->device_retention_ms),
		cd_conf_kept(c->event_retention_ms),
		cd_conf_kept(c->alert_retention_ms),
		c->policy_keep ? ctl_fmt_u64(c->policy_keep) : "all",
		cd_conf_kept(c->dataplane_retention_ms));
	return ctl_config_check(&cc, out);
}
