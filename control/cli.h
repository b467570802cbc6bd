/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl's core: the commands' table and what they share (one request
 * to cordond, usage errors, options, JSON output).
 *
 * A command is declared at the end of its file (cli_<command>.c) with
 * CLI_COMMAND() (name, arguments, a one-line summary, its --help text, run
 * by the file's cli_<command>_run()) or CLI_GROUP() (a table of
 * subcommands, cli_<command>_subs[]) or, for a query without arguments,
 * CLI_QUERY(). cli_commands[] lists them in
 * `cordonctl --help`'s order. cli_run() finds the subcommand, answers
 * --help at any level, and runs it.
 *
 * Most commands are one request: cli_query() sends it and prints the
 * reply (with the command's show function, or as JSON with --json);
 * cli_change() sends a change and prints the policy version it made.
 *
 * Exit codes (also in --help and the README):
 *   0  success
 *   1  cordond answered with an error, or the request failed
 *   2  usage error (bad command, option or argument)
 *   3  cordond is unreachable or did not answer in time
 */

#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <nng/nng.h>

#include "cordon.pb-c.h"
#include "util_opt.h"
#include "util_time.h"
#include "wire.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1,
	CLI_EXIT_USAGE = UTIL_OPT_EXIT_USAGE,
	CLI_EXIT_UNREACHABLE = 3,
};

/* Largest policy or MUD file (or signature) cordonctl reads. */
#define CLI_FILE_MAX (16u << 20)

#define CLI_WAIT_DEFAULT_S 30	/* --wait without SECONDS */
#define CLI_TEXT_MAX 256	/* a --reason, as cordond's CD_TEXT_MAX */

struct cli {
	char url[PATH_MAX + 16];
	uint32_t timeout_ms;
	bool json;
	/* --wait [SECONDS] of a change: wait until every connected
	 * dataplane has the version in force or refused it. 0: no wait. */
	uint32_t wait_ms;
	nng_socket sock;
	bool open;
	/* Why cordond could not be reached, the last time it could not
	 * (CLI_EXIT_UNREACHABLE); said on stderr at once unless quiet, as a
	 * follow's retries are (cli_log_follow() says it once itself). */
	char unreach[PATH_MAX + 96];
	bool quiet;
};

/* A query without arguments (but --json): an empty req of type is sent. */
struct cli_ask {
	Cordon__MsgType type;
	const ProtobufCMessageDescriptor *req;
	Cordon__MsgType want;
	int (*show)(const void *reply, const void *req);	/* cli_query() */
};

#define CLI_ASK(type, req, want, show)					\
	(&(const struct cli_ask){ CORDON__MSG_TYPE__MSG_##type,		\
		&cordon__##req##__descriptor, CORDON__MSG_TYPE__MSG_##want, \
		show })

struct cli_cmd {
	const char *name;
	const char *args;		/* "MAC [--reason R]" */
	const char *summary;		/* for --help of the parent */
	const char *help;		/* for COMMAND --help */
	/* argv[0] is the command's name; --help is answered before. */
	int (*run)(struct cli *c, int argc, char **argv);
	const struct cli_cmd *subs;	/* ended by { NULL }, or NULL */
	const struct cli_ask *ask;	/* instead of run */
};

/* cli_<id>_cmd, run by cli_<id>_run() of the same file. */
#define CLI_COMMAND(id, args, summary, help)				\
	const struct cli_cmd cli_##id##_cmd = {				\
		#id, args, summary, help, cli_##id##_run, NULL, NULL	\
	}

/* cli_<id>_cmd, a CLI_ASK() query shown by cli_<id>_show(). */
#define CLI_QUERY(id, summary, help, type, req, want)			\
	const struct cli_cmd cli_##id##_cmd = {				\
		#id, "", summary, help, NULL, NULL,			\
		CLI_ASK(type, req, want, cli_##id##_show)		\
	}

/* cli_<id>_cmd, made of the subcommands of cli_<id>_subs[]. */
#define CLI_GROUP(id, summary, help)					\
	const struct cli_cmd cli_##id##_cmd = {				\
		#id, "SUBCOMMAND ...", summary, help, NULL, cli_##id##_subs, \
		NULL							\
	}

/* The commands, in cordonctl --help's order. */
extern const struct cli_cmd *const cli_commands[];

extern const struct cli_cmd cli_status_cmd;
extern const struct cli_cmd cli_stats_cmd;
extern const struct cli_cmd cli_devices_cmd;
extern const struct cli_cmd cli_device_cmd;
extern const struct cli_cmd cli_flows_cmd;
extern const struct cli_cmd cli_policy_cmd;
extern const struct cli_cmd cli_quarantine_cmd;
extern const struct cli_cmd cli_release_cmd;
extern const struct cli_cmd cli_segment_cmd;
extern const struct cli_cmd cli_requests_cmd;
extern const struct cli_cmd cli_capture_cmd;
extern const struct cli_cmd cli_allow_cmd;
extern const struct cli_cmd cli_deny_cmd;
extern const struct cli_cmd cli_events_cmd;
extern const struct cli_cmd cli_alerts_cmd;
extern const struct cli_cmd cli_envelope_cmd;
extern const struct cli_cmd cli_keygen_cmd;
extern const struct cli_cmd cli_mud_cmd;
extern const struct cli_cmd cli_backup_cmd;

/* A command of cli_commands[] (or a subcommand of cmd) by name. */
const struct cli_cmd *cli_find(const struct cli_cmd *cmd, const char *name);

/*
 * Run cmd with argv (argv[0]: its name): a subcommand by argv[1], --help
 * anywhere prints the help of the command it follows. The exit code.
 */
int cli_run(struct cli *c, const struct cli_cmd *cmd, int argc,
	    char **argv);

/* "cordonctl: MESSAGE (see cordonctl --help)" on stderr; CLI_EXIT_USAGE. */
#define cli_usage_error(...) util_opt_usage_error("cordonctl", __VA_ARGS__)

/*
 * A command's options: --NAME VALUE when value is set, else a flag. --json
 * is every command's. Up to max_pos positional arguments go to pos[] (the
 * rest are NULL). CLI_EXIT_OK or CLI_EXIT_USAGE (said why).
 */
struct cli_opt {
	const char *name;		/* "--device" */
	const char *alias;		/* "-f", or NULL */
	const char **value;		/* takes a value, or NULL */
	bool *flag;
};

int cli_args(struct cli *c, const char *what, int argc, char **argv,
	     const struct cli_opt *opts, char **pos, int max_pos);

/* A number; 0 or -EINVAL. */
int cli_u64(const char *s, uint64_t *v);
/* A MAC argument, as a usage error naming what if it is not one. */
int cli_mac(const char *what, const char *s, uint8_t mac[6]);

/*
 * One request, one reply of the expected type. On success *reply holds it
 * (wire_msg_free() it); otherwise a line is printed and the exit code
 * returned.
 */
int cli_call(struct cli *c, Cordon__MsgType type, const ProtobufCMessage *req,
	     Cordon__MsgType want, struct wire_msg *reply);

/*
 * A query: req of type, answered by a reply of type want, printed as JSON
 * with --json, else by show(reply payload, req). The exit code (show's).
 */
int cli_query(struct cli *c, Cordon__MsgType type, const ProtobufCMessage *req,
	      Cordon__MsgType want,
	      int (*show)(const void *reply, const void *req));

/*
 * A change: req of type, answered by an Ack carrying the policy version it
 * made; then, per connected dataplane, whether it has it in force yet,
 * refused it or is still to take it (with --wait, until each has done one
 * or the other: exit 1 unless every one has it in force).
 */
int cli_change(struct cli *c, Cordon__MsgType type,
	       const ProtobufCMessage *req, const char *what);

/*
 * A command whose one argument is a MAC: cli_args() with opts, then the MAC
 * (its text at *mac_s) parsed into mac, and the bytes field b pointed at it.
 */
int cli_mac_arg(struct cli *c, const char *what, int argc, char **argv,
		const struct cli_opt *opts, char **mac_s, uint8_t mac[6],
		ProtobufCBinaryData *b);

/* An optional MAC option (s may be NULL) into a bytes field b, over mac. */
int cli_mac_field(const char *what, const char *s, uint8_t mac[6],
		  ProtobufCBinaryData *b);

/*
 * The items of one repeated field of n_pages replies (a listing fetched a
 * page at a time) in a single array, the pages in order or, with reverse,
 * the last first: free() it; the items stay the pages'. n_off and
 * items_off are where the reply holds the field's count (size_t) and its
 * array of pointers; *n is set to the count. NULL (said) when out of
 * memory. CLI_PAGES_JOIN() names the field instead.
 */
void *cli_pages_join(const struct wire_msg *pages, size_t n_pages,
		     bool reverse, size_t n_off, size_t items_off, size_t *n);
#define CLI_PAGES_JOIN(pages, n_pages, reverse, type, field, n) \
	cli_pages_join(pages, n_pages, reverse, offsetof(type, n_##field), \
		       offsetof(type, field), n)

/* Any message as JSON on stdout (ctl_pbjson). */
void cli_print_json(const ProtobufCMessage *m);
/* j (a json_t *) on stdout with a newline, then json_decref()ed. */
void cli_json_out(void *j, size_t flags);

/* A 6-byte bytes field as a MAC, "?" otherwise (util_mac_str()). */
const char *cli_mac_str(const ProtobufCBinaryData *b);
/* "Y-m-d H:M:S" (UTC) of a unix time in ms, in buf. */
const char *cli_fmt_time(uint64_t unix_ms, char buf[32], bool iso);

/* cordonctl device: the device's stored envelope and its alerts. */
int cli_alerts_device(struct cli *c, const uint8_t mac[6]);

/* A report cordond made from its stored inventory (no live counters). */
bool cli_stats_from_store(const Cordon__StatsReport *r);

/* Offline: compile a YAML policy or a MUD file, no daemon (exit 0/1/2). */
int cli_policy_check(struct cli *c, int argc, char **argv);
int cli_mud_check(struct cli *c, int argc, char **argv);

#endif /* CORDON_CLI_H */
