/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The console's HTTP side on http_harness.h (no TLS, cordond away): what
 * fuzz_http found, kept as plain requests.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http_harness.h"
#include "test_main.h"

static char out[1 << 16];

static int
setup(void **state)
{
	static struct http_harness h;

	if (hh_init(&h) < 0)
		return -1;
	*state = &h;
	return 0;
}

static int
teardown(void **state)
{
	hh_fini(*state);
	return 0;
}

/* Send req; the first answer's headers, which must be there. */
static const char *
ask(struct http_harness *h, const char *req)
{
	const char *hdrs;

	assert_true(hh_request(h, false, req, strlen(req), out,
			       sizeof(out)) > 0);
	hdrs = hh_headers(out);
	assert_non_null(hdrs);
	return hdrs;
}

static void
assert_security_headers(const char *hdrs)
{
	assert_non_null(strstr(hdrs, "\r\nContent-Security-Policy: "));
	assert_non_null(strstr(hdrs, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(hdrs, "\r\nX-Frame-Options: DENY\r\n"));
	assert_non_null(strstr(hdrs, "\r\nStrict-Transport-Security: "));
	assert_non_null(strstr(hdrs, "\r\nCache-Control: no-store\r\n"));
}

static void
test_headers_on_errors(void **state)
{
	const char *hdrs;

	hdrs = ask(*state, "GET /api/nosuch HTTP/1.1\r\nHost: gw\r\n\r\n");
	assert_non_null(strstr(hdrs, " 404 "));
	assert_security_headers(hdrs);
}

/*
 * A login while the delay after a wrong password runs is answered 429
 * with Retry-After; that answer had none of the security headers (found
 * by fuzz_http after about 2000 inputs: logins from one address).
 */
static void
test_throttled_login_headers(void **state)
{
	static const char login[] =
		"POST /api/login HTTP/1.1\r\nHost: gw\r\n"
		"Content-Type: application/json\r\nContent-Length: 36\r\n\r\n"
		"{\"user\":\"admin\",\"password\":\"wrong!\"}";
	const char *hdrs;

	hdrs = ask(*state, login);
	assert_non_null(strstr(hdrs, " 401 "));
	assert_security_headers(hdrs);
	hdrs = ask(*state, login);
	assert_non_null(strstr(hdrs, " 429 "));
	assert_non_null(strstr(hdrs, "\r\nRetry-After: "));
	assert_security_headers(hdrs);
}

/* The event stream had only nosniff (fuzz_http's check on its seed of
 * /api/events/stream). cordond away: the stream ends at once. */
static void
test_event_stream_headers(void **state)
{
	const char *hdrs;

	hdrs = ask(*state, "GET /api/events/stream HTTP/1.1\r\nHost: gw\r\n"
		   "Cookie: __Host-cordon_session=" HH_VIEWER_ID "\r\n\r\n");
	assert_non_null(strstr(hdrs, " 200 "));
	assert_non_null(strstr(hdrs, "\r\nContent-Type: text/event-stream"));
	assert_security_headers(hdrs);
}

TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_headers_on_errors, setup,
					teardown),
	cmocka_unit_test_setup_teardown(test_throttled_login_headers, setup,
					teardown),
	cmocka_unit_test_setup_teardown(test_event_stream_headers, setup,
					teardown))
