# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# discovery.sig: vendor discovery protocols (fp_disc.c) as
# "proto.key=value" items, and LLDP enabled capabilities as
# "lldp.caps=<name>". Model values also go through hostname.sig.

# === TP-Link Smart Home Protocol (Kasa), port 9999 =========================
rule discovery re ^tplink\.model=(.+)$
	vendor TP-Link
	model $1
	conf 90
	from the get_sysinfo answer of TP-Link Kasa devices carries "model" (softScheck TP-Link Smart Home Protocol research, python-kasa)
	example tplink.model=HS110(FR) => model=HS110(FR)

rule discovery re ^tplink\.(?:type|mic_type)=IOT\.SMARTPLUGSWITCH$
	vendor TP-Link
	type plug
	conf 65
	from Kasa "type" IOT.SMARTPLUGSWITCH covers plugs and wall switches; the model tells them apart (python-kasa)
	example tplink.type=IOT.SMARTPLUGSWITCH

rule discovery re ^tplink\.(?:type|mic_type)=IOT\.SMARTBULB$
	vendor TP-Link
	type bulb
	conf 85
	from Kasa "mic_type" IOT.SMARTBULB: bulbs and light strips (python-kasa)
	example tplink.mic_type=IOT.SMARTBULB

rule discovery re ^tplink\.(?:type|mic_type)=IOT\.IPCAMERA$
	vendor TP-Link
	type camera
	conf 85
	from Kasa "type" IOT.IPCAMERA (python-kasa)
	example tplink.type=IOT.IPCAMERA

rule discovery re ^tplink\.sw_ver=([\d.]+(?: Build \d+)?)
	firmware $1
	conf 85
	from the get_sysinfo answer's "sw_ver" is the firmware version (python-kasa)
	example tplink.sw_ver=1.5.4 Build 180815 Rel.121440 => firmware=1.5.4 Build 180815

rule discovery re ^tplink\.dev_name=.*(?:Plug|Outlet)
	type plug
	conf 70
	from the get_sysinfo answer's "dev_name" describes the product, e.g. "Wi-Fi Smart Plug With Energy Monitoring" (python-kasa)
	example tplink.dev_name=Wi-Fi Smart Plug With Energy Monitoring

rule discovery re ^tplink\.dev_name=.*(?:Light Switch|Dimmer|Wall Switch)
	type switch
	conf 75
	from "dev_name" of Kasa wall switches, e.g. "Smart Wi-Fi Light Switch" (python-kasa)
	example tplink.dev_name=Smart Wi-Fi Light Switch

rule discovery re ^tplink\.dev_name=.*(?:Bulb|LED)
	type bulb
	conf 75
	from "dev_name" of Kasa bulbs, e.g. "Smart Wi-Fi LED Bulb with Color Changing" (python-kasa)
	example tplink.dev_name=Smart Wi-Fi LED Bulb with Color Changing

# === Ubiquiti discovery, UDP 10001 ===========================================
rule discovery re ^ubnt\.
	vendor Ubiquiti
	conf 90
	from only Ubiquiti devices answer the Ubiquiti discovery protocol on UDP 10001 (Ubiquiti; Wireshark UBDP dissector)
	example ubnt.model=UGW3

rule discovery re ^ubnt\.version=([\w.-]+)$
	firmware $1
	conf 85
	from the discovery answer's firmware version field (type 0x16) (Wireshark UBDP dissector)
	example ubnt.version=4.3.33.4936086 => firmware=4.3.33.4936086

rule discovery re ^ubnt\.firmware=(?:UniFiSecurityGateway|UGW)
	type router
	model UniFi Security Gateway
	conf 80
	from UniFi Security Gateway firmware names "UniFiSecurityGateway.ER-e120.v4.3.33..." (Ubiquiti release notes)
	example ubnt.firmware=UniFiSecurityGateway.ER-e120.v4.3.33.4936086.161203.2031

rule discovery re ^ubnt\.firmware=(?:EdgeRouter|ER-|e\d{3}\.)
	type router
	conf 75
	from EdgeRouter firmware names (Ubiquiti release notes)
	example ubnt.firmware=EdgeRouter.ER-e100.v2.0.9

rule discovery re ^ubnt\.firmware=(?:BZ\.|U7|UAP|U6)
	type router
	conf 70
	from UniFi access point firmware names "BZ.qca956x.v4.3.20" (Ubiquiti release notes)
	example ubnt.firmware=BZ.qca956x.v4.3.20.11298.191115.1352

rule discovery re ^ubnt\.firmware=(?:XW|XM|WA|TI|2WA|XC)\.
	type router
	conf 70
	from airMAX radios' firmware names XW/XM/WA (Ubiquiti release notes)
	example ubnt.firmware=XW.ar934x.v6.1.7.32555.180523.1754

# === Tuya LAN broadcasts, UDP 6666/6667 =====================================
rule discovery re ^tuya\.broadcast=
	vendor Tuya
	conf 85
	from Tuya-based devices broadcast their presence on UDP 6666 (plain) or 6667 (encrypted) in frames between 0x000055aa and 0x0000aa55 (tinytuya, Tuya LAN protocol notes)
	example tuya.broadcast=encrypted

rule discovery re ^tuya\.version=([\d.]+)$
	software Tuya protocol $1
	conf 60
	from the plain broadcast's "version" is the Tuya protocol version (tinytuya)
	example tuya.version=3.1 => software=Tuya protocol 3.1

# === LLDP system capabilities (IEEE 802.1AB 8.5.8) ==========================
rule discovery exact lldp.caps=telephone
	type phone
	conf 80
	from LLDP enabled capability "telephone" is set by IP phones (IEEE 802.1AB, LLDP-MED)
	example lldp.caps=telephone

rule discovery exact lldp.caps=wlan-ap
	type router
	conf 75
	from LLDP enabled capability "WLAN access point" (IEEE 802.1AB)
	example lldp.caps=wlan-ap

rule discovery exact lldp.caps=router
	type router
	conf 60
	from LLDP enabled capability "router" (IEEE 802.1AB)
	example lldp.caps=router

rule discovery exact lldp.caps=docsis
	type router
	conf 60
	from LLDP enabled capability "DOCSIS cable device" (IEEE 802.1AB)
	example lldp.caps=docsis

rule discovery exact lldp.caps=station
	type computer
	conf 30
	from LLDP enabled capability "station only": end hosts running an LLDP agent (IEEE 802.1AB)
	example lldp.caps=station

# === eQ-3 MAX! Cube, UDP 23272 ===============================================
rule discovery re ^eq3\.model=
	vendor eQ-3
	type hub
	model MAX! Cube LAN Gateway
	conf 90
	from only MAX! Cubes answer the "eQ3Max" discovery hello on UDP 23272 with "eQ3MaxAp" (max-cube-protocol notes, eQ-3 MAX! software)
	example eq3.model=MAX! Cube

rule discovery re ^eq3\.firmware=([\d.]+)$
	firmware $1
	conf 85
	from the cube's discovery answer ends with its firmware version (max-cube-protocol notes)
	example eq3.firmware=1.1.3 => firmware=1.1.3

# === Smarter iKettle 2.0 / SmarterCoffee, port 2081 ==========================
rule discovery re ^smarter\.model=(.+)$
	vendor Smarter
	type appliance
	model $1
	conf 90
	from the device-info answer (101, type 1 kettle / 2 coffee machine) of Smarter appliances on port 2081 (ikettle2 protocol notes, iBrew)
	example smarter.model=iKettle 2.0 => model=iKettle 2.0; type=appliance

rule discovery re ^smarter\.firmware=(\d+)$
	firmware $1
	conf 80
	from the device-info answer's firmware version byte (iBrew)
	example smarter.firmware=19 => firmware=19
