/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_JSON_H
#define CORDON_DET_JSON_H

/*
 * An alert as JSON (cordon-detect's output, and cordond's later):
 *  {"type":"alert","seq":1,"detector":"scan_vertical",
 *   "severity":"quarantine","mac":"..","vlan":0,"addrs":[".."],
 *   "ts":1664054597.123456,"first_ts":1664054596.398593,
 *   "time_to_detect_ms":724.9,
 *   "evidence":{"what":"..","key":"..","count":15,"threshold":15,
 *     "window_ms":300000,"detail":{..},
 *     "first":[{"ts":..,"proto":"tcp","src":"..","sport":..,
 *               "dst":"..","dport":..}, ...]}}
 * Timestamps are seconds since the epoch with microseconds.
 */

#include <jansson.h>

#include "det.h"

json_t *det_json_alert(const struct det_alert *a);

#endif
