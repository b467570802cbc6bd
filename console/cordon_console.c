/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordon-console: the operator's web console (HTTPS) and Prometheus
 * endpoint, a front end of cordond like cordonctl. It keeps no database:
 * everything it shows it asks cordond for, through the same protobuf API;
 * everything an operator does goes to cordond as a request that names the
 * operator. See console/README.md for the design.
 *
 *   cordon-console [serve] --cert FILE [options]
 *   cordon-console passwd USER --role admin|viewer [--users FILE]
 *   cordon-console users [--users FILE]
 *   cordon-console deluser USER [--users FILE]
 *
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cons_http.h"
#include "util_file.h"
#include "util_opt.h"
#include "endpoint.h"

#define CONSOLE_USERS_FILE "console-users"
#define CHARTJS_DEFAULT "/usr/share/javascript/chart.js/chart.min.js"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = UTIL_OPT_EXIT_USAGE };

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: cordon-console [serve] --cert FILE [options]\n"
"       cordon-console passwd USER --role admin|viewer [--users FILE]\n"
"       cordon-console users [--users FILE]\n"
"       cordon-console deluser USER [--users FILE]\n"
"\n"
"The operator's web console and Prometheus endpoint, over HTTPS. It asks\n"
"cordond for everything it shows and holds no database.\n"
"\n"
"serve options:\n"
"  --listen ADDR:PORT     where to serve HTTPS (default 127.0.0.1:8443;\n"
"                         [V6]:PORT for IPv6, :PORT for every IPv4 address)\n"
"  --redirect ADDR:PORT   also answer plain HTTP there, with a redirect to\n"
"                         HTTPS (default: no plain HTTP at all)\n"
"  --cert FILE            PEM certificate (chain) of the console, with its\n"
"                         key unless --key (scripts/make-certs.sh --console)\n"
"  --key FILE             PEM private key\n"
"  --users FILE           the users file (default STATE-DIR/%s)\n"
"  --socket URL           cordond's CLI endpoint (default ipc://RUNDIR/ctl.sock)\n"
"  --timeout MS           how long to wait for cordond, 100..600000 (5000)\n"
"  --metrics-token-file FILE\n"
"                         /metrics also accepts `Authorization: Bearer\n"
"                         TOKEN` with the token in FILE (first line, 16..200\n"
"                         bytes); without it /metrics needs a session\n"
"  --metrics-devices N    per-device series for the N busiest devices at\n"
"                         most, 0..100000 (default 100)\n"
"  --sample-interval MS   how often device charts are sampled (5000)\n"
"  --chartjs FILE         Chart.js (default %s)\n"
"  -v, --verbose          log every refused request\n"
"\n"
"passwd reads the password from the terminal (twice), or from the first\n"
"line of standard input when that is not a terminal. Roles: admin may act\n"
"(quarantine, release, segments, rollback), viewer may only look.\n"
"\n"
"Exit codes: 0 success, 1 failure, 2 usage error.\n",
		CONSOLE_USERS_FILE, CHARTJS_DEFAULT);
}

/* "cordon-console: MESSAGE (see cordon-console --help)"; EXIT_USAGE. */
#define usage_error(...) util_opt_usage_error("cordon-console", __VA_ARGS__)

static int
default_users(char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (endpoint_statedir(dir, sizeof(dir)) < 0 ||
	    (size_t)snprintf(buf, len, "%s/%s", dir, CONSOLE_USERS_FILE) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* The numeric options: their letter, name, range and field. */
static const struct {
	int opt;
	const char *name;
	unsigned long lo, hi;
	size_t off;
} num_opts[] = {
	{ 't', "--timeout", 100, 600000,
	  offsetof(struct cons_conf, timeout_ms) },
	{ 'D', "--metrics-devices", 0, 100000,
	  offsetof(struct cons_conf, metrics_devices) },
	{ 'S', "--sample-interval", 100, 3600000,
	  offsetof(struct cons_conf, sample_ms) },
};

static int
num_opt(int opt, const char *v, struct cons_conf *c)
{
	const char *name = "?";
	unsigned long lo = 0, hi = 0;
	uint32_t *out = NULL;
	char *end;
	unsigned long n;

	for (size_t i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++)
		if (num_opts[i].opt == opt) {
			name = num_opts[i].name;
			lo = num_opts[i].lo;
			hi = num_opts[i].hi;
			out = (uint32_t *)((char *)c + num_opts[i].off);
		}
	if (out == NULL)
		return usage_error("%s: not a numeric option", name);

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || v[0] == '-' || v[0] == '\0' ||
	    n < lo || n > hi)
		return usage_error("%s: '%s' is not a number in %lu..%lu",
				   name, v, lo, hi);
	*out = (uint32_t)n;
	return EXIT_OK;
}

/* The long name of option key in opts: what a message names, whichever
 * way it was written ("-l X", "--listen X", "--listen=X"). */
static const char *
cons_opt_name(const struct option *opts, int key)
{
	for (; opts->name != NULL; opts++)
		if (opts->val == key)
			return opts->name;
	return "?";
}

/* --- users -------------------------------------------------------------- */

static int
read_password(char *pw, size_t len)
{
	bool tty = isatty(STDIN_FILENO);
	char again[CONS_PASSWORD_MAX + 2];
	struct termios old, quiet;
	size_t n;

	if (tty) {
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fputs("password: ", stderr);
	}
	if (fgets(pw, (int)len, stdin) == NULL)
		pw[0] = '\0';
	if (tty) {
		fputs("\nagain: ", stderr);
		if (fgets(again, sizeof(again), stdin) == NULL)
			again[0] = '\0';
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(pw);
	if (n > 0 && pw[n - 1] == '\n')
		pw[--n] = '\0';
	else if (n == len - 1)
		return -E2BIG;
	if (tty) {
		again[strcspn(again, "\n")] = '\0';
		if (strcmp(pw, again) != 0) {
			OPENSSL_cleanse(again, sizeof(again));
			return -EINVAL;
		}
		OPENSSL_cleanse(again, sizeof(again));
	}
	return 0;
}

static int
cmd_users(int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "users", required_argument, NULL, 'u' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[PATH_MAX] = "", err[PATH_MAX + 128];
	char pw[CONS_PASSWORD_MAX + 2];
	enum cons_role role = CONS_ROLE_NONE;
	const char *user = NULL;
	struct cons_users *us;
	struct cons_user *u;
	int o, rc;

	optind = 0;	/* 0: getopt starts afresh (util_opt.h) */
	while ((o = util_opt_getopt(argc, argv, ":h", opts)) != -1) {
		switch (o) {
		case 'u':
			if (strlen(optarg) >= sizeof(path))
				return usage_error("--users: path too long");
			strcpy(path, optarg);
			break;
		case 'r':
			role = cons_role_parse(optarg);
			if (role == CONS_ROLE_NONE)
				return usage_error("--role: admin or viewer, "
						   "not '%s'", optarg);
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
			return usage_error("%s needs a value",
					   argv[optind - 1]);
		default:
			return usage_error("%s: unknown option '%s'", cmd,
					   util_opt_refused(o, argv));
		}
	}
	if (strcmp(cmd, "users") != 0) {
		if (optind + 1 != argc)
			return usage_error("%s: one USER", cmd);
		user = argv[optind];
		if (!cons_user_name_ok(user))
			return usage_error("%s: '%s' is not a user name "
					   "([a-z_][a-z0-9_.-]{0,31})", cmd,
					   user);
	} else if (optind != argc) {
		return usage_error("users: unexpected '%s'", argv[optind]);
	}
	if (strcmp(cmd, "passwd") == 0 && role == CONS_ROLE_NONE)
		return usage_error("passwd: --role admin|viewer is needed");
	if (strcmp(cmd, "passwd") != 0 && role != CONS_ROLE_NONE)
		return usage_error("%s: --role is for passwd", cmd);
	if (path[0] == '\0' && default_users(path, sizeof(path)) < 0)
		return usage_error("state directory path too long");

	us = calloc(1, sizeof(*us));
	if (us == NULL)
		return EXIT_FAILED;
	rc = cons_users_load(path, us, err, sizeof(err));
	if (rc < 0 && rc != -ENOENT) {
		fprintf(stderr, "cordon-console: %s\n", err);
		free(us);
		return EXIT_FAILED;
	}
	if (strcmp(cmd, "users") == 0) {
		for (size_t i = 0; i < us->n; i++)
			printf("%-32s %s\n", us->u[i].name,
			       cons_role_name(us->u[i].role));
		if (us->n == 0)
			fprintf(stderr, "cordon-console: no users in %s\n",
				path);
		free(us);
		return EXIT_OK;
	}
	u = cons_users_find(us, user);
	if (strcmp(cmd, "deluser") == 0) {
		if (u == NULL) {
			fprintf(stderr, "cordon-console: no user %s in %s\n",
				user, path);
			free(us);
			return EXIT_FAILED;
		}
		*u = us->u[--us->n];
	} else {
		rc = read_password(pw, sizeof(pw));
		if (rc == 0 && (strlen(pw) < CONS_PASSWORD_MIN ||
				strlen(pw) > CONS_PASSWORD_MAX))
			rc = -ERANGE;
		if (rc < 0) {
			fprintf(stderr, "cordon-console: passwd: %s\n",
				rc == -EINVAL ? "the passwords differ" :
				rc == -E2BIG ? "password too long" :
				"a password of 8..1024 bytes is needed");
			OPENSSL_cleanse(pw, sizeof(pw));
			free(us);
			return EXIT_FAILED;
		}
		if (u == NULL) {
			if (us->n == CONS_USERS_MAX) {
				fprintf(stderr, "cordon-console: %s already "
					"has %d users\n", path, CONS_USERS_MAX);
				free(us);
				return EXIT_FAILED;
			}
			u = &us->u[us->n++];
			snprintf(u->name, sizeof(u->name), "%s", user);
		}
		u->role = role;
		rc = cons_hash_password(pw, 0, u->hash, sizeof(u->hash));
		OPENSSL_cleanse(pw, sizeof(pw));
		if (rc < 0) {
			fprintf(stderr, "cordon-console: scrypt: %s\n",
				strerror(-rc));
			free(us);
			return EXIT_FAILED;
		}
	}
	rc = cons_users_save(path, us, err, sizeof(err));
	free(us);
	if (rc < 0) {
		fprintf(stderr, "cordon-console: %s\n", err);
		return EXIT_FAILED;
	}
	printf("%s: %s %s\n", path, user, strcmp(cmd, "deluser") == 0 ?
	       "removed" : "set");
	return EXIT_OK;
}

/* --- serve ------------------------------------------------------------- */

static int
read_token(struct cons_server *s)
{
	char err[PATH_MAX + 64], *text;
	size_t len;

	if (util_file_read(s->conf.metrics_token_file, 4096, &text, &len, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "cordon-console: %s\n", err);
		return -EINVAL;
	}
	text[strcspn(text, "\r\n")] = '\0';
	len = strlen(text);
	if (len < 16 || len >= sizeof(s->metrics_token)) {
		fprintf(stderr, "cordon-console: %s: the token must be 16..%zu "
			"bytes\n", s->conf.metrics_token_file,
			sizeof(s->metrics_token) - 1);
		free(text);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if (text[i] <= ' ' || text[i] >= 0x7f) {
			fprintf(stderr, "cordon-console: %s: the token must be "
				"printable, without spaces\n",
				s->conf.metrics_token_file);
			free(text);
			return -EINVAL;
		}
	strcpy(s->metrics_token, text);
	OPENSSL_cleanse(text, len);
	free(text);
	return 0;
}

static int
serve_parse(int argc, char **argv, struct cons_conf *c)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "redirect", required_argument, NULL, 'R' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "users", required_argument, NULL, 'u' },
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "metrics-token-file", required_argument, NULL, 'T' },
		{ "metrics-devices", required_argument, NULL, 'D' },
		{ "sample-interval", required_argument, NULL, 'S' },
		{ "chartjs", required_argument, NULL, 'J' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char rundir[PATH_MAX];
	int o, rc;

	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8443");
	snprintf(c->chartjs, sizeof(c->chartjs), "%s", CHARTJS_DEFAULT);
	c->timeout_ms = 5000;
	c->metrics_devices = 100;
	c->sample_ms = 5000;
	optind = 0;	/* 0: getopt starts afresh (util_opt.h) */
	while ((o = util_opt_getopt(argc, argv, "+:vhV", opts)) != -1) {
		char *dst = NULL;
		size_t cap = 0;

		switch (o) {
		case 'l': dst = c->listen; cap = sizeof(c->listen); break;
		case 'R': dst = c->redirect; cap = sizeof(c->redirect); break;
		case 'c': dst = c->cert; cap = sizeof(c->cert); break;
		case 'k': dst = c->key; cap = sizeof(c->key); break;
		case 'u': dst = c->users; cap = sizeof(c->users); break;
		case 's':
			if (strstr(optarg, "://") == NULL)
				return usage_error("--socket: '%s' is not an "
						   "nng URL", optarg);
			dst = c->ctl_url;
			cap = sizeof(c->ctl_url);
			break;
		case 'T': dst = c->metrics_token_file;
			cap = sizeof(c->metrics_token_file); break;
		case 'J': dst = c->chartjs; cap = sizeof(c->chartjs); break;
		case 't':
		case 'D':
		case 'S':
			rc = num_opt(o, optarg, c);
			if (rc != EXIT_OK)
				return rc;
			break;
		case 'v':
			c->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("cordon-console %s\n", CORDON_VERSION);
			exit(EXIT_OK);
		default:
			return util_opt_bad("cordon-console", o, argv);
		}
		if (dst != NULL) {
			if (strlen(optarg) >= cap || optarg[0] == '\0')
				return usage_error("--%s: empty or too long",
						   cons_opt_name(opts, o));
			strcpy(dst, optarg);
		}
	}
	if (optind != argc)
		return usage_error("unexpected '%s'", argv[optind]);
	if (c->cert[0] == '\0')
		return usage_error("--cert FILE is needed: the console speaks "
				   "HTTPS only (scripts/make-certs.sh "
				   "--console DIR makes one)");
	if (c->users[0] == '\0' && default_users(c->users,
						 sizeof(c->users)) < 0)
		return usage_error("state directory path too long");
	if (c->ctl_url[0] == '\0' &&
	    (endpoint_rundir(rundir, sizeof(rundir)) < 0 ||
	     endpoint_default_url(rundir, ENDPOINT_CTL_SOCK, c->ctl_url,
				  sizeof(c->ctl_url)) < 0))
		return usage_error("runtime directory path too long");
	return EXIT_OK;
}

static int
cmd_serve(int argc, char **argv)
{
	struct cons_server *s;
	char err[PATH_MAX + 256];
	sigset_t sigs;
	int rc, sig = 0;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return EXIT_FAILED;
	rc = serve_parse(argc, argv, &s->conf);
	if (rc != EXIT_OK) {
		free(s);
		return rc;
	}
	if (s->conf.metrics_token_file[0] != '\0' && read_token(s) < 0) {
		free(s);
		return EXIT_FAILED;
	}
	if (util_file_read(s->conf.chartjs, 8u << 20, &s->chartjs,
			  &s->chartjs_len, err, sizeof(err)) < 0)
		fprintf(stderr, "cordon-console: %s: the charts are left out "
			"(install libjs-chart.js)\n", err);
	/* Every thread inherits this mask; main waits for the signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = cons_auth_init(&s->auth, s->conf.users, s->conf.scrypt_log2n, err,
			    sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "cordon-console: %s\n", err);
		goto out_free;
	}
	if (s->auth.users.n == 0)
		fprintf(stderr, "cordon-console: no users in %s: add one with "
			"`cordon-console passwd USER --role admin`\n",
			s->conf.users);
	rc = cons_client_open(&s->cl, s->conf.ctl_url, s->conf.timeout_ms);
	if (rc < 0) {
		fprintf(stderr, "cordon-console: %s: %s\n", s->conf.ctl_url,
			strerror(-rc));
		goto out_auth;
	}
	cons_history_init(&s->hist, &s->cl, s->conf.sample_ms);
	rc = cons_http_start(s, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "cordon-console: %s\n", err);
		goto out_client;
	}
	rc = cons_history_start(&s->hist);
	if (rc < 0) {
		fprintf(stderr, "cordon-console: history thread: %s\n",
			strerror(-rc));
		goto out_http;
	}
	fprintf(stderr, "cordon-console %s: serving https://%s (port %u)%s, "
		"cordond at %s\n", CORDON_VERSION, s->conf.listen,
		s->https_port, s->redirector ? ", redirecting plain HTTP" : "",
		s->conf.ctl_url);
	if (s->redirector != NULL)
		fprintf(stderr, "cordon-console: plain HTTP on %s (port %u) "
			"redirects to HTTPS\n", s->conf.redirect,
			s->redirect_port);
	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			break;
		if (sig != SIGHUP)
			break;
		/* The users file is read again when it changes anyway. */
		fprintf(stderr, "cordon-console: SIGHUP: nothing to reload\n");
	}
	fprintf(stderr, "cordon-console: signal %d, stopping\n", sig);
	cons_history_stop(&s->hist);
	rc = 0;
out_http:
	cons_http_stop(s);
out_client:
	cons_client_close(&s->cl);
	cons_history_fini(&s->hist);
out_auth:
	cons_auth_fini(&s->auth);
out_free:
	free(s->chartjs);
	OPENSSL_cleanse(s->metrics_token, sizeof(s->metrics_token));
	free(s);
	return rc < 0 ? EXIT_FAILED : EXIT_OK;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "passwd") == 0 ||
			 strcmp(argv[1], "users") == 0 ||
			 strcmp(argv[1], "deluser") == 0))
		return cmd_users(argc - 1, argv + 1, argv[1]);
	if (argc > 1 && strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (argc > 1 && argv[1][0] != '-')
		return usage_error("unknown command '%s'", argv[1]);
	return cmd_serve(argc, argv);
}
