/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: the bytes a browser or an attacker sends to the
 * console's socket, through libmicrohttpd into the console's handlers
 * (cons_http.c's routing, session, CSRF, origin and body checks, then
 * cons_api.c's routes). The first byte picks the HTTPS handler (TLS left
 * out: it is libmicrohttpd's and GnuTLS's) or the plain-HTTP redirector;
 * the rest goes over a socketpair to a daemon run in this thread.
 *
 * Two sessions exist with fixed ids and CSRF tokens (admin: a..a / b..b,
 * viewer: c..c / d..d), so inputs can reach the routes behind a login;
 * cordond is away (calls time out at once), as when it restarts.
 *
 * Checks: every answer of ours carries the security headers; a redirect
 * goes to https:// on our port; each request is freed (ASan leak check).
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* The handlers are static: this target is built with the file itself. */
#include "cons_http.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cons_server *srv;
static struct MHD_Daemon *https_d, *redir_d;

static void
fixed_session(const char *user, const char *pw, char id, char csrf)
{
	struct cons_session s;
	uint64_t delay;

	if (cons_auth_login(&srv->auth, user, pw, "127.0.0.1",
			    util_time_now_ms(), &s, &delay) != CONS_LOGIN_OK)
		abort();
	for (size_t i = 0; i < CONS_SESSIONS_MAX; i++) {
		struct cons_session *x = &srv->auth.s[i];

		if (x->used && strcmp(x->id, s.id) == 0) {
			memset(x->id, id, CONS_TOKEN_HEX);
			memset(x->csrf, csrf, CONS_TOKEN_HEX);
			return;
		}
	}
	abort();
}

static void
init(void)
{
	static char dir[] = "/tmp/cordon-fuzz-http-XXXXXX";
	struct cons_users us = { .n = 2 };
	char err[512];

	srv = calloc(1, sizeof(*srv));
	if (srv == NULL || mkdtemp(dir) == NULL)
		abort();
	snprintf(srv->conf.users, sizeof(srv->conf.users), "%s/users", dir);
	snprintf(us.u[0].name, sizeof(us.u[0].name), "admin");
	us.u[0].role = CONS_ROLE_ADMIN;
	snprintf(us.u[1].name, sizeof(us.u[1].name), "viewer");
	us.u[1].role = CONS_ROLE_VIEWER;
	if (cons_hash_password("password1", 4, us.u[0].hash,
			       sizeof(us.u[0].hash)) < 0 ||
	    cons_hash_password("password2", 4, us.u[1].hash,
			       sizeof(us.u[1].hash)) < 0 ||
	    cons_users_save(srv->conf.users, &us, err, sizeof(err)) < 0 ||
	    cons_auth_init(&srv->auth, srv->conf.users, 4, err,
			   sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_http: %s\n", err);
		abort();
	}
	/* Nothing listens there: every call fails after 1 ms. */
	snprintf(srv->conf.ctl_url, sizeof(srv->conf.ctl_url),
		 "ipc://%s/cordond", dir);
	if (cons_client_open(&srv->cl, srv->conf.ctl_url, 1) < 0)
		abort();
	cons_history_init(&srv->hist, &srv->cl, 1000);
	snprintf(srv->metrics_token, sizeof(srv->metrics_token),
		 "metrics-token-0123456789");
	fixed_session("admin", "password1", 'a', 'b');
	fixed_session("viewer", "password2", 'c', 'd');
	/* A failed login is not held back (cons_api.c sleeps otherwise). */
	srv->stopping = true;
	srv->https_port = 8443;

	https_d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
		https_handler, srv,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128u << 10),
		MHD_OPTION_NOTIFY_COMPLETED, request_done, srv,
		MHD_OPTION_END);
	redir_d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
		redirect_handler, srv, MHD_OPTION_END);
	if (https_d == NULL || redir_d == NULL)
		abort();
	signal(SIGPIPE, SIG_IGN);
}

static unsigned int
connections(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di;

	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return di != NULL ? di->num_connections : 0;
}

/* The headers of the first answer hold s (case as we send it). */
static bool
has_header(const char *hdrs, const char *s)
{
	return strstr(hdrs, s) != NULL;
}

static void
check_answer(char *out, size_t n, bool redirect)
{
	char *end;

	out[n] = '\0';
	if (n == 0)
		return;
	if (strncmp(out, "HTTP/1.", 7) != 0)
		abort();
	end = strstr(out, "\r\n\r\n");
	if (end == NULL)
		return;		/* cut short by the close */
	*end = '\0';
	if (redirect) {
		if (strncmp(out + 9, "308", 3) == 0 &&
		    !has_header(out, "\r\nLocation: https://"))
			abort();
		return;
	}
	/* libmicrohttpd's own errors (malformed requests) are HTML. */
	if (!has_header(out, "\r\nContent-Type: application/json") &&
	    !has_header(out, "\r\nSet-Cookie:"))
		return;
	if (!has_header(out, "\r\nContent-Security-Policy: ") ||
	    !has_header(out, "\r\nX-Content-Type-Options: nosniff") ||
	    !has_header(out, "\r\nX-Frame-Options: DENY")) {
		fprintf(stderr, "answer without the security headers:\n%s\n",
			out);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 20];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct MHD_Daemon *d;
	size_t n = 0, sent = 0;
	int sv[2], idle = 0;
	bool redirect;

	if (srv == NULL)
		init();
	if (size < 1 || size > 256 * 1024)
		return 0;
	redirect = data[0] & 1;
	d = redirect ? redir_d : https_d;
	data++;
	size--;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	if (MHD_add_connection(d, sv[0], (struct sockaddr *)&sin,
			       sizeof(sin)) != MHD_YES) {
		close(sv[1]);
		return 0;
	}
	/* Feed it, then let it answer until it goes quiet or closes. */
	for (int i = 0; i < 400 && idle < 8; i++) {
		ssize_t k;

		if (sent < size) {
			k = write(sv[1], data + sent, size - sent);
			if (k > 0)
				sent += (size_t)k;
		}
		MHD_run(d);
		k = read(sv[1], out + n, sizeof(out) - 1 - n);
		if (k == 0)
			break;
		if (k > 0) {
			n += (size_t)k;
			idle = 0;
		} else if (sent == size) {
			idle++;
		}
		if (n == sizeof(out) - 1)
			break;
	}
	close(sv[1]);
	for (int i = 0; i < 100 && connections(d) > 0; i++)
		MHD_run(d);
	if (connections(d) > 0)
		abort();	/* a request that never ends */
	check_answer(out, n, redirect);
	return 0;
}
