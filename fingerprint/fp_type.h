/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_TYPE_H
#define CORDON_FP_TYPE_H

/*
 * The fixed device-type vocabulary (fingerprint/README.md). A device has
 * one of these types or none; operating-system classes ("embedded Linux")
 * are not types and live in the os attribute. Signatures, policy `type:`
 * selectors and the console all use these words.
 */

#include <stdbool.h>

enum fp_type {
	FP_TYPE_NONE = 0,
	FP_TYPE_CAMERA,
	FP_TYPE_DOORBELL,
	FP_TYPE_PLUG,
	FP_TYPE_SWITCH,
	FP_TYPE_BULB,
	FP_TYPE_LIGHT,
	FP_TYPE_SENSOR,
	FP_TYPE_SIREN,
	FP_TYPE_HUB,
	FP_TYPE_LOCK,
	FP_TYPE_THERMOSTAT,
	FP_TYPE_SPEAKER,
	FP_TYPE_VOICE_ASSISTANT,
	FP_TYPE_TV,
	FP_TYPE_MEDIA_PLAYER,
	FP_TYPE_DISPLAY,
	FP_TYPE_PRINTER,
	FP_TYPE_SCALE,
	FP_TYPE_WEARABLE,
	FP_TYPE_APPLIANCE,
	FP_TYPE_VACUUM,
	FP_TYPE_BABY_MONITOR,
	FP_TYPE_ROUTER,
	FP_TYPE_NAS,
	FP_TYPE_COMPUTER,
	FP_TYPE_PHONE,
	FP_TYPE_TABLET,
	FP_TYPE_GAME_CONSOLE,
	FP_TYPE__MAX
};

/* "camera", ...; NULL for FP_TYPE_NONE or out of range. */
const char *fp_type_name(enum fp_type t);
/* The type a word names (exact, lower case), FP_TYPE_NONE if none. */
enum fp_type fp_type_parse(const char *word);
/* true when word is one of the vocabulary's words. */
bool fp_type_valid(const char *word);

#endif
