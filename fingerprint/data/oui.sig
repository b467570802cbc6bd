# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# oui.sig: see README.md for the format.

rule oui contains Espressif
	vendor Espressif @20
	generic
	from Espressif sells Wi-Fi modules (ESP8266, ESP32) that other brands build into their products (espressif.com)
	example Espressif Inc.
