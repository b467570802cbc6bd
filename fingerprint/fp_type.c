/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <string.h>

#include "fp_type.h"

static const char *const names[FP_TYPE__MAX] = {
	[FP_TYPE_NONE] = NULL,
	[FP_TYPE_CAMERA] = "camera",
	[FP_TYPE_DOORBELL] = "doorbell",
	[FP_TYPE_PLUG] = "plug",
	[FP_TYPE_SWITCH] = "switch",
	[FP_TYPE_BULB] = "bulb",
	[FP_TYPE_LIGHT] = "light",
	[FP_TYPE_SENSOR] = "sensor",
	[FP_TYPE_SIREN] = "siren",
	[FP_TYPE_HUB] = "hub",
	[FP_TYPE_LOCK] = "lock",
	[FP_TYPE_THERMOSTAT] = "thermostat",
	[FP_TYPE_SPEAKER] = "speaker",
	[FP_TYPE_VOICE_ASSISTANT] = "voice-assistant",
	[FP_TYPE_TV] = "tv",
	[FP_TYPE_MEDIA_PLAYER] = "media-player",
	[FP_TYPE_DISPLAY] = "display",
	[FP_TYPE_PRINTER] = "printer",
	[FP_TYPE_SCALE] = "scale",
	[FP_TYPE_WEARABLE] = "wearable",
	[FP_TYPE_APPLIANCE] = "appliance",
	[FP_TYPE_VACUUM] = "vacuum",
	[FP_TYPE_BABY_MONITOR] = "baby-monitor",
	[FP_TYPE_ROUTER] = "router",
	[FP_TYPE_NAS] = "nas",
	[FP_TYPE_COMPUTER] = "computer",
	[FP_TYPE_PHONE] = "phone",
	[FP_TYPE_TABLET] = "tablet",
	[FP_TYPE_GAME_CONSOLE] = "game-console",
};

const char *fp_type_name(enum fp_type t)
{
	return (unsigned int)t < FP_TYPE__MAX ? names[t] : NULL;
}

enum fp_type fp_type_parse(const char *word)
{
	for (int t = 1; t < FP_TYPE__MAX; t++)
		if (word && !strcmp(word, names[t]))
			return (enum fp_type)t;
	return FP_TYPE_NONE;
}

bool fp_type_valid(const char *word)
{
	return fp_type_parse(word) != FP_TYPE_NONE;
}
