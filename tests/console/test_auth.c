/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cons_auth: scrypt hashes, the users file, sessions and CSRF tokens, the
 * login throttle; and the console's MAC parser. Timestamps are passed in,
 * so nothing here waits.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cons_api.h"
#include "cons_auth.h"
#include "test_main.h"

#define LOG2N 8		/* cheap for tests; the server uses 15 */

static char path[128];

TEST_DIR_FILE_SETUP(setup, "console", "users", path)

static void
test_hash(void **state)
{
	char h1[CONS_HASH_MAX], h2[CONS_HASH_MAX], bad[CONS_HASH_MAX];

	(void)state;
	assert_int_equal(cons_hash_password("hunter22", LOG2N, h1, sizeof(h1)),
			 0);
	assert_int_equal(cons_hash_password("hunter22", LOG2N, h2, sizeof(h2)),
			 0);
	assert_true(strncmp(h1, "scrypt:8:8:1:", 13) == 0);
	assert_string_not_equal(h1, h2);	/* salted */
	assert_int_equal(cons_verify_password("hunter22", h1), 0);
	assert_int_equal(cons_verify_password("hunter23", h1), -EACCES);
	assert_int_equal(cons_verify_password("", h1), -EACCES);
	/* Garbled or out-of-range stored hashes are refused, not used. */
	assert_int_equal(cons_verify_password("x", "scrypt:8:8:1:abc"), -EINVAL);
	assert_int_equal(cons_verify_password("x", "md5:8:8:1:a:b"), -EINVAL);
	snprintf(bad, sizeof(bad), "%s", h1);
	bad[7] = '3';			/* log2n 3: too weak */
	assert_int_equal(cons_verify_password("hunter22", bad), -EINVAL);
	snprintf(bad, sizeof(bad), "%s", h1);
	bad[strlen(bad) - 3] = '!';	/* not base64 */
	assert_int_equal(cons_verify_password("hunter22", bad), -EINVAL);
	assert_int_equal(cons_hash_password("x", 30, h1, sizeof(h1)), -EINVAL);
}

static void
test_users_file(void **state)
{
	struct cons_users *us = calloc(1, sizeof(*us));
	char err[256];
	FILE *f;

	(void)state;
	assert_true(cons_user_name_ok("alice"));
	assert_true(cons_user_name_ok("_svc.metrics-1"));
	assert_false(cons_user_name_ok("Alice"));
	assert_false(cons_user_name_ok("1abc"));
	assert_false(cons_user_name_ok("a:b"));
	assert_false(cons_user_name_ok(""));
	assert_false(cons_user_name_ok("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_int_equal(cons_users_load(path, us, err, sizeof(err)), -ENOENT);

	us->n = 2;
	snprintf(us->u[0].name, sizeof(us->u[0].name), "alice");
	us->u[0].role = CONS_ROLE_ADMIN;
	assert_int_equal(cons_hash_password("pw-alice", LOG2N, us->u[0].hash,
					    CONS_HASH_MAX), 0);
	snprintf(us->u[1].name, sizeof(us->u[1].name), "bob");
	us->u[1].role = CONS_ROLE_VIEWER;
	assert_int_equal(cons_hash_password("pw-bob", LOG2N, us->u[1].hash,
					    CONS_HASH_MAX), 0);
	assert_int_equal(cons_users_save(path, us, err, sizeof(err)), 0);
	memset(us, 0, sizeof(*us));
	assert_int_equal(cons_users_load(path, us, err, sizeof(err)), 0);
	assert_int_equal(us->n, 2);
	assert_int_equal(cons_users_find(us, "bob")->role, CONS_ROLE_VIEWER);
	assert_null(cons_users_find(us, "carol"));

	/* Bad files: each refused with the line named. */
	static const char *const bad[] = {
		"alice:admin\n",
		"Alice:admin:scrypt:8:8:1:a:b\n",
		"alice:root:scrypt:8:8:1:a:b\n",
		"alice:admin:md5:xx\n",
		"alice:admin:scrypt:8:8:1:a:b\nalice:viewer:scrypt:8:8:1:a:b\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char p2[160];

		snprintf(p2, sizeof(p2), "%s/bad%zu", test_dir, i);
		f = fopen(p2, "w");
		fputs("# comment\n", f);
		fputs(bad[i], f);
		fclose(f);
		assert_int_equal(cons_users_load(p2, us, err, sizeof(err)),
				 -EINVAL);
		/* The duplicate is on line 3, the others on line 2. */
		assert_non_null(strstr(err, i == 4 ? ":3:" : ":2:"));
		assert_int_equal(us->n, 0);
	}
	free(us);
}

static void
test_sessions_and_throttle(void **state)
{
	struct cons_auth *a = calloc(1, sizeof(*a));
	struct cons_users *us = calloc(1, sizeof(*us));
	struct cons_session s, s2;
	uint64_t t = 1000000000000ull, delay;
	char err[256];

	(void)state;
	us->n = 1;
	snprintf(us->u[0].name, sizeof(us->u[0].name), "alice");
	us->u[0].role = CONS_ROLE_ADMIN;
	assert_int_equal(cons_hash_password("pw-alice", LOG2N, us->u[0].hash,
					    CONS_HASH_MAX), 0);
	assert_int_equal(cons_users_save(path, us, err, sizeof(err)), 0);
	assert_int_equal(cons_auth_init(a, path, LOG2N, err, sizeof(err)), 0);

	assert_int_equal(cons_auth_login(a, "alice", "pw-alice", "10.0.0.1", t,
					 &s, &delay), CONS_LOGIN_OK);
	assert_int_equal(strlen(s.id), CONS_TOKEN_HEX);
	assert_int_equal(strlen(s.csrf), CONS_TOKEN_HEX);
	assert_string_not_equal(s.id, s.csrf);
	assert_int_equal(s.role, CONS_ROLE_ADMIN);
	assert_true(cons_auth_session(a, s.id, t + 1000, &s2));
	assert_string_equal(s2.csrf, s.csrf);
	assert_false(cons_auth_session(a, "00", t, &s2));
	s2 = s;
	s2.id[0] = s2.id[0] == 'a' ? 'b' : 'a';
	assert_false(cons_auth_session(a, s2.id, t, &s2));
	/* Idle too long: gone. */
	assert_false(cons_auth_session(a, s.id, t + 1000 +
				       (CONS_SESSION_IDLE_S + 1) * 1000ull, &s2));

	/* Failures double the delay, per user and per address. */
	t += 3600 * 1000;
	assert_int_equal(cons_auth_login(a, "alice", "no", "10.0.0.2", t, &s,
					 &delay), CONS_LOGIN_BAD);
	assert_int_equal(delay, 1000);
	assert_int_equal(cons_auth_login(a, "alice", "pw-alice", "10.0.0.3",
					 t + 500, &s, &delay),
			 CONS_LOGIN_THROTTLED);
	assert_int_equal(delay, 500);
	assert_int_equal(cons_auth_login(a, "alice", "no", "10.0.0.2",
					 t + 1000, &s, &delay), CONS_LOGIN_BAD);
	assert_int_equal(delay, 2000);
	/* An unknown user costs the same and is throttled the same. */
	assert_int_equal(cons_auth_login(a, "mallory", "x", "10.0.0.9",
					 t + 5000, &s, &delay), CONS_LOGIN_BAD);
	assert_int_equal(delay, 1000);
	assert_int_equal(cons_auth_login(a, "carol", "x", "10.0.0.9",
					 t + 5500, &s, &delay),
			 CONS_LOGIN_THROTTLED);
	/* A success clears the user's and the address's throttle. */
	assert_int_equal(cons_auth_login(a, "alice", "pw-alice", "10.0.0.2",
					 t + 3000, &s, &delay), CONS_LOGIN_OK);
	assert_int_equal(cons_auth_login(a, "alice", "no", "10.0.0.2",
					 t + 3001, &s2, &delay), CONS_LOGIN_BAD);
	assert_int_equal(delay, 1000);
	for (int i = 0; i < 10; i++)
		cons_auth_login(a, "alice", "no", "10.0.0.2",
				t + 100000 * (uint64_t)(i + 1), &s2, &delay);
	assert_int_equal(delay, CONS_THROTTLE_MAX_S * 1000);

	/* A new password ends the session made with the old one. */
	assert_true(cons_auth_session(a, s.id, t + 3002, &s2));
	assert_int_equal(cons_hash_password("pw-new", LOG2N, us->u[0].hash,
					    CONS_HASH_MAX), 0);
	sleep(1);	/* a new mtime, even on coarse file systems */
	assert_int_equal(cons_users_save(path, us, err, sizeof(err)), 0);
	assert_false(cons_auth_session(a, s.id, t + 3003, &s2));
	cons_auth_logout(a, s.id);
	assert_int_equal(cons_auth_sessions(a, t + 3004), 0);
	cons_auth_fini(a);
	free(a);
	free(us);
}

static void
test_tokens(void **state)
{
	(void)state;
	assert_true(cons_token_equal("abc", "abc"));
	assert_false(cons_token_equal("abc", "abd"));
	assert_false(cons_token_equal("abc", "abcd"));
	assert_false(cons_token_equal("", ""));
}

TEST_MAIN(
	cmocka_unit_test(test_hash),
	cmocka_unit_test_setup_teardown(test_users_file, setup,
					test_dir_teardown),
	cmocka_unit_test_setup_teardown(test_sessions_and_throttle, setup,
					test_dir_teardown),
	cmocka_unit_test(test_tokens));
