# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# hostname.sig: the names devices give themselves. Matched against DHCP
# host names (option 12, 81), DHCPv6 FQDNs, mDNS host and service-instance
# names, UPnP friendly and model names, model fields of vendor discovery
# protocols and LLDP system names. Many products use their model number
# or product name as the default host name; the rules say which brand
# names its products how. Names chosen by users (a phone's owner name)
# are handled by the tokens they keep ("Lucas-iPhone").

# === TP-Link: Kasa and Tapo (host name = model) ==============================
rule hostname re ^(HS1(?:0[0-9]|1[0-9])|HS300|KP\d{3}[A-Z]?|EP\d{2}[A-Z]?)(?:\(\w+\))?$
	vendor TP-Link
	type plug
	model $1
	conf 80
	from TP-Link Kasa smart plugs answer DHCP with their model: HS100/HS103/HS105/HS110 plugs, HS300 and KP303/KP400 strips, KP115/EP25 plugs (tp-link.com Kasa product pages)
	example HS110 => model=HS110; type=plug
	example HS100
	example KP115
	example HS110(FR) => model=HS110
	not HS2000

rule hostname re ^(HS2[0-2]\d|KS2\d\d|ES20M)(?:\(\w+\))?$
	vendor TP-Link
	type switch
	model $1
	conf 80
	from TP-Link Kasa wall switches and dimmers: HS200, HS210, HS220, KS200, KS220, KS230, ES20M (tp-link.com Kasa product pages)
	example HS200 => type=switch
	example KS230

rule hostname re ^(LB1[0-3]\d|KL(?:50|60|1[0-3]\d))(?:\(\w+\))?$
	vendor TP-Link
	type bulb
	model $1
	conf 80
	from TP-Link Kasa smart bulbs: LB100-LB130, KL50, KL60, KL110-KL135 (tp-link.com Kasa product pages)
	example LB130 => type=bulb
	example KL130

rule hostname re ^(KL4[0-3]\d[A-Z]*)(?:\(\w+\))?$
	vendor TP-Link
	type light
	model $1
	conf 80
	from TP-Link Kasa light strips KL400, KL420, KL430 (tp-link.com)
	example KL430

rule hostname re ^((?:KC|NC)\d{3}[A-Z]*)$
	vendor TP-Link
	type camera
	model $1
	conf 75
	from TP-Link Kasa Cam (KC100-KC420) and older NC200/NC220/NC450 cloud cameras (tp-link.com)
	example KC100 => type=camera
	example NC200

rule hostname re ^(KD110)$
	vendor TP-Link
	type doorbell
	model $1
	conf 80
	from TP-Link Kasa Smart Video Doorbell KD110 (tp-link.com)
	example KD110

rule hostname re ^(C(?:1[0-2]\d|2[0-3]\d|3[1-3]\d|4[0-2]\d|5[0-2]\d)(?:WS)?)$
	if vendor=TP-Link
	vendor TP-Link
	type camera
	model Tapo $1
	conf 85
	from TP-Link Tapo cameras (C100, C200, C210, C310, C320WS, C520WS) answer DHCP with their model; only on a TP-Link MAC, as the name alone is short (tp-link.com Tapo product pages)
	example C200 => model=Tapo C200; type=camera
	example C320WS

rule hostname re ^(P1[0-2]\d|P300|P[1-3]\d\dM)$
	if vendor=TP-Link
	vendor TP-Link
	type plug
	model Tapo $1
	conf 85
	from TP-Link Tapo smart plugs P100, P105, P110, P115, P125 and the P300 power strip (tp-link.com Tapo product pages)
	example P110 => model=Tapo P110; type=plug
	example P100

rule hostname re ^(L5[0-3]\d[A-Z]?|L6[0-3]\d)$
	if vendor=TP-Link
	vendor TP-Link
	type bulb
	model Tapo $1
	conf 85
	from TP-Link Tapo smart bulbs L510, L520, L530, L535, L610, L630 (tp-link.com Tapo product pages)
	example L530 => model=Tapo L530; type=bulb
	example L510E

rule hostname re ^(L9[0-3]\d(?:-\d+)?)$
	if vendor=TP-Link
	vendor TP-Link
	type light
	model Tapo $1
	conf 85
	from TP-Link Tapo light strips L900, L920, L930 (tp-link.com)
	example L900-5

rule hostname re ^(S50\d[A-Z]?)$
	if vendor=TP-Link
	vendor TP-Link
	type switch
	model Tapo $1
	conf 80
	from TP-Link Tapo wall switches S500, S505 (tp-link.com)
	example S500D

rule hostname re ^(H[12]00|KH100)$
	if vendor=TP-Link
	vendor TP-Link
	type hub
	model $1
	conf 80
	from TP-Link Tapo H100/H200 and Kasa KH100 hubs (tp-link.com)
	example H100

rule hostname re ^(D2[23]\d)$
	if vendor=TP-Link
	vendor TP-Link
	type doorbell
	model Tapo $1
	conf 80
	from TP-Link Tapo D230 video doorbell (tp-link.com)
	example D230

rule hostname re ^Tapo[_ -]?(C\d{3}\w*|P\d{3}\w*|L\d{3}\w*)
	vendor TP-Link
	model Tapo $1
	conf 70
	from TP-Link Tapo devices named "Tapo_<model>" in their own announcements (tp-link.com)
	example Tapo_C200 => model=Tapo C200

# === D-Link ================================================================
rule hostname re ^(DCS-?\d{3,4}[A-Z0-9]*)
	vendor D-Link
	type camera
	model $1
	conf 85
	from D-Link names its IP cameras DCS-<number> and they announce the model as their host name (dlink.com product pages)
	example DCS-930L => model=DCS-930L; type=camera
	example DCS-8000LH
	example DCS-8000LH-5483 => model=DCS-8000LH
	example DCS930L => model=DCS930L
	not DCS-1

rule hostname re ^(DCH-?9\d{2}[A-Z]*)
	vendor D-Link
	type camera
	model $1
	conf 80
	from D-Link mydlink Home cameras DCH-935L and the like (dlink.com)
	example DCH-935L => model=DCH-935L; type=camera

rule hostname re ^(DSP-?W\d{3}[A-Z]*)
	vendor D-Link
	type plug
	model $1
	conf 85
	from D-Link mydlink Wi-Fi smart plugs DSP-W110, DSP-W115, DSP-W215, DSP-W245 (dlink.com)
	example DSP-W215 => type=plug
	example DSPW215

rule hostname re ^(DCH-?S1[5-9]\d)
	vendor D-Link
	type sensor
	model $1
	conf 85
	from D-Link mydlink Home sensors: DCH-S150 motion, DCH-S160 water, DCH-S161, DCH-S162 (dlink.com)
	example DCH-S150 => type=sensor
	example DCH-S160

rule hostname re ^(DCH-?S2[2-3]\d)
	vendor D-Link
	type siren
	model $1
	conf 85
	from D-Link mydlink Home Siren DCH-S220 (dlink.com)
	example DCH-S220 => type=siren

rule hostname re ^(DCH-?G0\d\d|DCH-?M2\d\d)
	vendor D-Link
	type hub
	model $1
	conf 75
	from D-Link Connected Home Hub DCH-G020 and DCH-M225 Wi-Fi audio extender (dlink.com)
	example DCH-G020

rule hostname re ^(DCH-?S1[0-4]\d|DCH-?Z\d{3})
	vendor D-Link
	model $1
	conf 70
	from D-Link mydlink Home devices DCH-xxx (dlink.com)
	example DCH-Z510

rule hostname re ^(DIR-\d{3,4}\w*|DSL-\d{3,4}\w*|COVR-\w+|DAP-\d{4}\w*)
	vendor D-Link
	type router
	model $1
	conf 75
	from D-Link routers (DIR), DSL gateways (DSL), mesh (COVR) and access points (DAP) (dlink.com)
	example DIR-842
	example COVR-1102

rule hostname re ^(DNS-\d{3}\w*)
	vendor D-Link
	type nas
	model $1
	conf 75
	from D-Link ShareCenter NAS DNS-3xx (dlink.com)
	example DNS-320L

# === Edimax ==================================================================
rule hostname re ^(?:EDIMAX[-_ ]?|EdiPlug[-_ ]?)?(SP-?[12]\d{3}W(?:-?V\d)?)
	vendor Edimax
	type plug
	model $1
	conf 80
	from Edimax EdiPlug smart plugs SP-1101W, SP-2101W (edimax.com)
	example SP-1101W => model=SP-1101W; type=plug
	example EdiPlug SP-2101W
	example EDIMAX-SP2101W

rule hostname re ^(?:EDIMAX[-_ ]?)?(IC-?\d{4}\w*)
	vendor Edimax
	type camera
	model $1
	conf 80
	from Edimax IC-series network cameras: IC-3115W, IC-3116W, IC-7113W (edimax.com)
	example IC-3115W => model=IC-3115W; type=camera

rule hostname re ^EdiPlug
	vendor Edimax
	type plug
	conf 75
	from Edimax EdiPlug is its smart plug line (edimax.com)
	example EdiPlug

rule hostname re ^EdiView
	vendor Edimax
	type camera
	conf 70
	from Edimax EdiView is its camera line (edimax.com)
	example EdiView

# === Belkin WeMo =============================================================
rule hostname re ^wemo
	vendor Belkin
	conf 75
	from Belkin WeMo devices name themselves WeMo... (belkin.com, pywemo project)
	example WeMo
	example wemo-switch

rule hostname re ^wemo[._ -]?(?:mini|switch|outdoor|plug|insight|smart[._ -]?plug)
	vendor Belkin
	type plug
	conf 75
	from Belkin WeMo Switch, Mini, Insight and Outdoor plugs are plug-in units (belkin.com)
	example WeMo.Switch
	example WeMo Insight
	example WeMo Mini

rule hostname re ^wemo[._ -]?(?:light[._ -]?switch|dimmer)
	vendor Belkin
	type switch
	conf 75
	from Belkin WeMo Light Switch and Dimmer are in-wall switches (belkin.com)
	example WeMo Light Switch

rule hostname re ^wemo[._ -]?(?:link|bridge)
	vendor Belkin
	type hub
	conf 75
	from Belkin WeMo Link is the bridge to its Zigbee bulbs (belkin.com)
	example WeMo.Link
	example WeMo Bridge

rule hostname re ^wemo[._ -]?motion
	vendor Belkin
	type sensor
	conf 75
	from Belkin WeMo Motion sensor (belkin.com)
	example WeMo Motion

rule hostname re ^(F7C0(?:27|63))
	vendor Belkin
	type plug
	model $1
	conf 80
	from Belkin part numbers: F7C027 WeMo Switch, F7C063 WeMo Mini (belkin.com)
	example F7C027

rule hostname re ^(F7C029)
	vendor Belkin
	type plug
	model WeMo Insight $1
	conf 80
	from Belkin part number F7C029 is the WeMo Insight Switch, a plug-in meter (belkin.com)
	example F7C029

rule hostname re ^(F7C03[03]|F7C059|WDS060)
	vendor Belkin
	type switch
	model $1
	conf 80
	from Belkin part numbers F7C030 WeMo Light Switch, F7C059 Dimmer, WDS060 (belkin.com)
	example F7C030

rule hostname re ^(F7C031)
	vendor Belkin
	type hub
	model WeMo Link $1
	conf 80
	from Belkin part number F7C031 is the WeMo Link bridge (belkin.com)
	example F7C031

rule hostname re ^(F7C028)
	vendor Belkin
	type sensor
	model WeMo Motion $1
	conf 80
	from Belkin part number F7C028 is the WeMo Motion sensor (belkin.com)
	example F7C028

# === Philips Hue, Osram, eQ-3 and other gateways =============================
rule hostname re ^Philips[-_ ]hue
	vendor Philips Hue
	type hub
	model Hue Bridge
	conf 85
	from The Philips Hue bridge uses the host name Philips-hue and the instance name "Philips hue - XXXXXX" (Hue developer documentation)
	example Philips-hue
	example Philips hue - 74C2DC

rule hostname re hue bridge
	vendor Philips Hue
	type hub
	model Hue Bridge
	conf 80
	from UPnP model name "Philips hue bridge 2012/2015" of the Hue bridge description (Hue developer documentation)
	example Philips hue bridge 2015

rule hostname re ^(BSB00[1-3])$
	vendor Philips Hue
	type hub
	model Hue Bridge $1
	conf 85
	from Hue bridge model ids BSB001 (v1, round), BSB002 (v2, square), BSB003 (Bridge Pro) (Hue developer documentation)
	example BSB002 => model=Hue Bridge BSB002

rule hostname re ^lightify
	vendor Osram
	type hub
	model Lightify Gateway
	conf 80
	from The Osram Lightify gateway names itself Lightify-XXXXXXXX (osram.com Lightify documentation)
	example Lightify-A1B2C3D4
	example LIGHTIFY

rule hostname re ^MAX[-_ ]?Cube|^MAX!? ?Cube
	vendor eQ-3
	type hub
	model MAX! Cube LAN Gateway
	conf 80
	from eQ-3 MAX! Cube LAN Gateway of the MAX! heating system (eq-3.com)
	example MAX-Cube
	example MAX! Cube

rule hostname re ^(HMIP-HAP|HmIP-HAP|CCU[23]|RaspberryMatic|homematic-ccu\w*)
	vendor eQ-3
	type hub
	model $1
	conf 80
	from Homematic IP Access Point (HMIP-HAP) and Homematic CCU2/CCU3 central units (homematic-ip.com, eq-3.com)
	example HMIP-HAP
	example CCU3

rule hostname re ^SmartThings|^hubv[1-9]-|^(ST-?Hub)
	vendor Samsung SmartThings
	type hub
	conf 80
	from Samsung SmartThings hubs name themselves hubv2-/hubv3-<serial> (smartthings.com)
	example hubv3-4021272243
	example SmartThings Hub

rule hostname re ^hubv([1-9])-
	vendor Samsung SmartThings
	model SmartThings Hub v$1
	conf 80
	from SmartThings hub generation in its host name "hubv<gen>-<serial>" (smartthings.com)
	example hubv3-1234567890 => model=SmartThings Hub v3

rule hostname re ^(?:Lutron|Caseta)[-_ ]|^Smart ?Bridge
	vendor Lutron
	type hub
	conf 75
	from Lutron Caseta Smart Bridge and RA2 processors (lutron.com)
	example Lutron-01234567

rule hostname re ^(?:Harmony[-_ ]?Hub|HarmonyHub)
	vendor Logitech
	type hub
	model Harmony Hub
	conf 80
	from Logitech Harmony Hub universal remote hub (logitech.com)
	example HarmonyHub

rule hostname re ^(?:Hubitat|homeassistant|home-assistant|openhab|HomeBridge|Homey|deconz|phoscon|zigbee2mqtt)
	type hub
	conf 70
	from default host names of home-automation controllers: Hubitat, Home Assistant, openHAB, Homebridge, Homey, deCONZ/Phoscon gateways (their documentation)
	example homeassistant
	example Hubitat
	example Homey-1234

rule hostname re ^(?:ISY|eisy|polisy|VeraLite|VeraPlus|VeraEdge|Vera\d|Ezlo|Wink-?Hub|insteon[-_ ]?hub|Aeotec|Ezlo)
	type hub
	conf 70
	from home-automation controllers: Universal Devices ISY/eisy/Polisy, Vera, Ezlo, Wink Hub, Insteon Hub (vendors' documentation)
	example eisy
	example VeraPlus

rule hostname re ^lumi[-_.]gateway|^aqara[-_ ]?hub
	vendor Aqara
	type hub
	conf 80
	from Aqara (Lumi) gateways and hubs, miIO model lumi.gateway.* (aqara.com)
	example lumi-gateway-v3_miio12345

# === Xiaomi ecosystem (miIO model names: brand.type.version) =================
rule hostname re ^(chuangmi|isa|mijia|xiaomi|imilab|mxiang|yunyi|chuangmi)[-_.]camera[-_.]([a-z0-9]+)
	vendor Xiaomi
	type camera
	model $1.camera.$2
	conf 85
	from Xiaomi ecosystem (miIO) devices use their model "brand.type.version" as host name; chuangmi/isa/mijia .camera. are Mi Home cameras (Xiaomi miIO device lists, python-miio project)
	example chuangmi_camera_ipc019 => model=chuangmi.camera.ipc019; type=camera
	example chuangmi_camera_060a02
	example isa-camera-hlc6_miio123456

rule hostname re ^([a-z]+)[-_.](plug|powerstrip|outlet)[-_.]([a-z0-9]+)
	vendor Xiaomi
	type plug
	model $1.$2.$3
	conf 80
	from miIO model names: chuangmi.plug.*, qmi.powerstrip.*, lumi.plug.*, zimi.powerstrip.* are Mi smart plugs and strips (python-miio project)
	example chuangmi-plug-m1_miio12345678 => model=chuangmi.plug.m1
	example qmi-powerstrip-v1_miio1

rule hostname re ^(yeelink|philips|mijia)[-_.](light|bulb)[-_.](color\d*|mono\d*|ct\d*|bulb\w*|lamp\d*|v\d+|sread\d+|downlight|candle\w*)
	vendor Xiaomi
	type bulb
	model $1.$2.$3
	conf 75
	from miIO model names yeelink.light.color/mono/ct and philips.light.bulb are Wi-Fi bulbs (python-miio, Yeelight documentation)
	example yeelink-light-color1_miio123 => model=yeelink.light.color1
	example philips-light-bulb_miio99

rule hostname re ^(yeelink|philips|mijia|lumi)[-_.](light)[-_.](ceil\w*|strip\w*|lamp\w*|bslamp\w*|panel\w*|ceiling\w*)
	vendor Xiaomi
	type light
	model $1.$2.$3
	conf 75
	from miIO model names yeelink.light.ceiling/strip/lamp/bslamp are ceiling lights, strips and lamps (python-miio)
	example yeelink-light-strip1_miio5

rule hostname re ^(roborock|rockrobo|dreame|viomi|ijai|xiaomi|mijia|roidmi)[-_.](vacuum|sweeper)[-_.]([a-z0-9]+)
	vendor Xiaomi
	type vacuum
	model $1.$2.$3
	conf 85
	from miIO model names roborock.vacuum.*, rockrobo.vacuum.*, dreame.vacuum.* are robot vacuums (python-miio)
	example roborock-vacuum-s5_miio123 => model=roborock.vacuum.s5
	example rockrobo-vacuum-v1_miio1

rule hostname re ^([a-z]+)[-_.](airpurifier|humidifier|fan|heater|cooker|kettle|airfresh|waterpuri|dishwasher|aircondition|airp|washer|dryer|toothbrush|airrtc|derh)[-_.]([a-z0-9]+)
	vendor Xiaomi
	type appliance
	model $1.$2.$3
	conf 80
	from miIO model names zhimi.airpurifier.*, deerma.humidifier.*, chunmi.cooker.* and the like are household appliances (python-miio)
	example zhimi-airpurifier-m1_miap1234 => model=zhimi.airpurifier.m1
	example chunmi-cooker-normal2_miio1

rule hostname re ^([a-z]+)[-_.](gateway|hub)[-_.]([a-z0-9]+)
	vendor Xiaomi
	type hub
	model $1.$2.$3
	conf 75
	from miIO model names lumi.gateway.*, xiaomi.gateway.* are Zigbee gateways (python-miio)
	example lumi-gateway-v3_miio123 => model=lumi.gateway.v3

rule hostname re ^([a-z]+)[-_.](lock)[-_.]([a-z0-9]+)
	vendor Xiaomi
	type lock
	model $1.$2.$3
	conf 75
	from miIO model names loock.lock.*, lumi.lock.* are door locks (python-miio)
	example loock-lock-v1_miio1

rule hostname re ^([a-z]+)[-_.](wifispeaker|speaker)[-_.]([a-z0-9]+)
	vendor Xiaomi
	type voice-assistant
	model $1.$2.$3
	conf 75
	from miIO model names xiaomi.wifispeaker.* are Xiao AI smart speakers (python-miio)
	example xiaomi-wifispeaker-lx04_miio1

rule hostname re _mi(?:io|ap|bt)\d+$
	vendor Xiaomi
	conf 70
	from miIO devices end their host name with "_miio<did>" / "_miap<id>" (python-miio, Xiaomi miIO protocol notes)
	example zhimi-airpurifier-m1_miap1234
	example unknown-thing-x1_miio42

rule hostname re ^(?:MiTV|MiBOX|Xiaomi[-_ ]?TV|mitv)
	vendor Xiaomi
	type tv
	conf 70
	from Xiaomi Mi TV and Mi Box default device names (mi.com)
	example MiTV-MSSP2

# === Amazon, Google, Apple, Sonos, Roku ====================================
rule hostname re ^amazon-[0-9a-f]{6,}
	vendor Amazon
	type voice-assistant @45
	conf 75
	from Amazon Echo devices (and Fire TV) use the DHCP host name amazon-<hex> (Amazon device behaviour reported by Fingerbank)
	example amazon-c045e10a5
	not amazonas

rule hostname re ^(?:echo|echo[-_ ]?dot|echo[-_ ]?show)[-_ ]
	vendor Amazon
	type voice-assistant
	conf 65
	from Amazon Echo, Echo Dot and Echo Show device names (amazon.com)
	example Echo Dot-2X3
	example echo-show-8

rule hostname re ^kindle-[0-9a-f]+
	vendor Amazon
	type tablet
	model Kindle
	conf 75
	from Amazon Kindle readers use host name kindle-<hex> (Fingerbank)
	example kindle-0a1b2c3d4

rule hostname re ^(?:Fire[-_ ]?TV|AFT[A-Z]{1,3}(?:[^a-z]|$))
	vendor Amazon
	type media-player
	conf 70
	from Amazon Fire TV devices and their AFTx model codes (developer.amazon.com, Fire TV device specifications)
	example FireTV-Stick
	example AFTMM

rule hostname re ^(Google-Home-Mini|Google-Nest-Mini|Google-Home-Max|Google-Home|Nest-Mini|Nest-Audio|Google-Nest-Audio)
	vendor Google
	type voice-assistant
	model $1
	conf 80
	from Google Home and Nest smart speakers name themselves after the product (Google Nest help)
	example Google-Home-Mini => model=Google-Home-Mini
	example Google-Nest-Mini

rule hostname re ^(Google-Nest-Hub\w*|Nest-Hub\w*|Google-Home-Hub)
	vendor Google
	type display
	model $1
	conf 80
	from Google Nest Hub smart displays (Google Nest help)
	example Google-Nest-Hub-Max

rule hostname re ^(Chromecast(?:[-_ ]\w+)?)
	vendor Google
	type media-player
	model $1
	conf 80
	from Chromecast devices use their product name as device name (Google Chromecast help)
	example Chromecast
	example Chromecast-Ultra => model=Chromecast-Ultra

rule hostname re ^(?:Nest[-_ ]?(?:Cam|Doorbell)|Google[-_ ]Nest[-_ ]Cam|Dropcam)
	vendor Google Nest
	type camera
	conf 75
	from Nest Cam, Nest Doorbell and Dropcam cameras (nest.com)
	example Nest-Cam-IQ

rule hostname re ^(?:Nest[-_ ]?(?:Learning[-_ ]?)?Thermostat|Nest-Thermo)
	vendor Google Nest
	type thermostat
	conf 80
	from Nest Learning Thermostat (nest.com)
	example Nest-Thermostat

rule hostname re ^(?:Nest[-_ ]?Protect)
	vendor Google Nest
	type sensor
	conf 75
	from Nest Protect smoke and CO alarm (nest.com)
	example Nest-Protect

rule hostname re ^Pixel[-_ ]?(\d+\w*(?:[-_ ](?:Pro|XL|a))?)
	vendor Google
	type phone
	model Pixel $1
	conf 75
	from Google Pixel phones name themselves after the model (Google Pixel help)
	example Pixel-7-Pro => model=Pixel 7-Pro
	example Pixel 4a

rule hostname re (?:^|[^a-z])iPhone(?:[^a-z]|$)|^iPhone
	vendor Apple
	type phone
	os iOS
	model iPhone @40
	conf 75
	from iOS sends the device name, "<Name>'s iPhone" or "iPhone" by default, as host name (Apple documentation)
	example Lucas-iPhone => type=phone
	example Caitlins-iPhone
	example iPhone

rule hostname re (?:^|[^a-z])iPad(?:[^a-z]|$)|^iPad
	vendor Apple
	type tablet
	os iPadOS
	model iPad @40
	conf 75
	from iPadOS names the device "<Name>'s iPad" by default (Apple documentation)
	example Christys-iPad
	example Thien-Huynhs-iPad

rule hostname re (?:^|[^a-z])(?:iPod|Apple-Watch|AppleWatch)
	vendor Apple
	type wearable
	conf 60
	from Apple Watch device names (Apple documentation)
	example Lucas-Apple-Watch

rule hostname re (?:^|[^a-z])(MacBook(?:-Pro|-Air)?|iMac(?:-Pro)?|Mac-mini|Mac-Pro|Mac-Studio|Macmini)(?:[^a-z]|$)
	vendor Apple
	type computer
	os macOS
	model $1 @40
	conf 75
	from macOS names the computer "<Name>'s MacBook Pro", "iMac", "Mac mini" by default (Apple documentation)
	example Lucas-iMac => model=iMac; type=computer
	example Sundus-Lodhis-MacBook-Air => model=MacBook-Air

rule hostname re (?:^|[^a-z])(?:Apple[-_ ]?TV|AppleTV)(?:[^a-z]|$)
	vendor Apple
	type media-player
	os tvOS
	conf 75
	from Apple TV default device name "Apple TV" (Apple documentation)
	example Apple TV (2)
	example Apple-TV

rule hostname re (?:^|[^a-z])HomePod
	vendor Apple
	type speaker
	conf 75
	from HomePod default device name (Apple documentation)
	example Living-Room-HomePod

rule hostname re (?:AirPort[-_ ]?(?:Extreme|Express)|Time[-_ ]?Capsule)
	vendor Apple
	type router
	conf 70
	from AirPort Extreme / Express base stations and Time Capsule default names (Apple documentation)
	example Tower's AirPort Extreme
	example Preetesh Patel's Time Capsule

rule hostname re ^Sonos|^SonosZP
	vendor Sonos
	type speaker
	conf 75
	from Sonos players use the host name SonosZP (Sonos, reported by Fingerbank)
	example SonosZP

rule hostname re ^(Roku[-_ ]?(?:\w+)?)
	vendor Roku
	type media-player
	conf 70
	from Roku players' device names "Roku Ultra", "Roku Express" (roku.com)
	example Roku-Ultra
	example RokuStreamingStick

rule hostname re ^(?:Roku[-_ ]?TV|\w+[-_ ]Roku[-_ ]TV)
	vendor Roku
	type tv
	conf 75
	from Roku TV models (TCL, Hisense) name themselves "... Roku TV" (roku.com)
	example TCL-Roku-TV

# === Phones, tablets, computers ============================================
rule hostname re ^android-[0-9a-f]{8,16}$
	os Android
	type phone
	conf 55
	from Android (before 8) sent the host name android-<hex id> (AOSP DhcpClient)
	example android-5c4c3b2a1f0e9d8c

rule hostname re ^Galaxy[-_ ]?(S\d+|Note\d*|A\d+|M\d+|Z[-_ ]?\w+|J\d+)
	vendor Samsung
	type phone
	os Android
	model Galaxy $1
	conf 75
	from Samsung Galaxy phones' default device names "Galaxy-S10", "Galaxy-A52" (samsung.com)
	example Galaxy-S10 => model=Galaxy S10; type=phone
	example Galaxy-Note9

rule hostname re ^Galaxy[-_ ]?Tab
	vendor Samsung
	type tablet
	os Android
	conf 75
	from Samsung Galaxy Tab default device names (samsung.com)
	example Galaxy-Tab-S6

rule hostname re ^Galaxy[-_ ]?(?:Watch|Gear)
	vendor Samsung
	type wearable
	conf 70
	from Samsung Galaxy Watch device names (samsung.com)
	example Galaxy-Watch4

rule hostname re ^(?:HUAWEI|HONOR)[-_ ](P\d+[-_ ]?\w*|Mate[-_ ]?\w+|nova[-_ ]?\w*|Y\d\w*|[A-Z]{3}-[A-Z]{2}\d)
	vendor Huawei
	type phone
	os Android
	model $1
	conf 75
	from Huawei and Honor phones name themselves HUAWEI_<model> (P, Mate, nova, Y series) (consumer.huawei.com)
	example HUAWEI_P20_lite-c31cdd297-lan
	example HUAWEI-Mate-20

rule hostname re ^(?:HUAWEI|HONOR)[-_ ]?MediaPad|^(?:HUAWEI|HONOR)[-_ ]?(?:MatePad|Pad)
	vendor Huawei
	type tablet
	conf 75
	from Huawei MediaPad / MatePad tablets (consumer.huawei.com)
	example HUAWEI-MediaPad-M5

rule hostname re ^(?:Redmi|POCO|Mi[-_ ]?\d+|Xiaomi[-_ ]?\d+|Mi[-_ ]?Note|Redmi[-_ ]?Note)
	vendor Xiaomi
	type phone
	os Android
	conf 70
	from Xiaomi, Redmi and POCO phones' default device names (mi.com)
	example Redmi-Note-9
	example POCO-F3
	example Mi-9T

rule hostname re ^(?:OnePlus|Nokia[-_ ]\d|moto[-_ ]\w|Motorola|OPPO[-_ ]|vivo[-_ ]|realme[-_ ]|Xperia|Nothing-Phone|Fairphone)
	type phone
	os Android
	conf 65
	from Android phones of OnePlus, Nokia, Motorola, OPPO, vivo, realme, Sony Xperia, Nothing and Fairphone use the product name as device name (vendors' documentation)
	example OnePlus-8T
	example Nokia-2-2
	example moto g(8)

rule hostname re ^(?:DESKTOP|LAPTOP|WIN)-[A-Z0-9]{6,}$
	os Windows
	type computer
	conf 70
	from Windows 10/11 setup names the computer DESKTOP-XXXXXXX / LAPTOP-XXXXXXX, servers WIN-XXXXXXX (Microsoft documentation)
	example DESKTOP-1A2B3C4
	example LAPTOP-Q8V0S1MK

rule hostname re ^raspberrypi
	vendor Raspberry Pi
	type computer
	os Linux
	conf 60
	from Raspberry Pi OS default host name raspberrypi (raspberrypi.com documentation)
	example raspberrypi

rule hostname re ^(?:chromebook|Chromebook)
	type computer
	os ChromeOS
	conf 60
	from Chromebook device names (Google Chromebook help)
	example chromebook

# === TVs, media players, consoles, audio ===================================
rule hostname re ^\[TV\]|^Samsung[-_ ](?:Q\d|QN|UN|UE|TU|AU|CU|BU|Frame|The[-_ ]Frame|\d+[-_ ]Series|Smart[-_ ]TV)|SamsungTV
	vendor Samsung
	type tv
	conf 75
	from Samsung TVs name themselves "[TV] Samsung <series>" (DLNA/mDNS friendly name) (samsung.com)
	example [TV] Samsung 7 Series (55)
	example Samsung Q60 Series

rule hostname re ^(?:LGwebOSTV|LG[-_ ]?webOS|LGSmartTV|\[LG\] webOS TV)
	vendor LG
	type tv
	os webOS
	conf 80
	from LG webOS TVs use the host name LGwebOSTV (LG developer documentation)
	example LGwebOSTV
	example [LG] webOS TV UN7300

rule hostname re ^(?:BRAVIA|KD-\d\d[A-Z]\d+|XBR-\d\d)
	vendor Sony
	type tv
	conf 75
	from Sony BRAVIA TVs and their KD-/XBR- model names (sony.com)
	example BRAVIA-4K-GB
	example KD-55X85J

rule hostname re ^(?:VIZIO|Vizio)[-_ ]?(?:TV|SmartCast|[DMPV]\d)
	vendor Vizio
	type tv
	conf 75
	from Vizio SmartCast TVs (vizio.com)
	example VIZIO-SmartCast

rule hostname re ^(?:Hisense|TCL|Philips)[-_ ]?(?:Android[-_ ]?)?TV|^(?:AndroidTV|Android[-_ ]TV|BRAVIA[-_ ]TV|SHIELD|Mi[-_ ]TV)
	type tv
	conf 60
	from Android TV and smart-TV default device names (Android TV documentation, vendors' manuals)
	example Hisense-TV
	example AndroidTV

rule hostname re ^(?:SHIELD|NVIDIA[-_ ]SHIELD)
	vendor NVIDIA
	type media-player
	conf 70
	from NVIDIA SHIELD TV default name (nvidia.com)
	example SHIELD

rule hostname re ^(?:PS[345]|PlayStation[-_ ]?\d?)(?:[-_ ]|$)
	vendor Sony
	type game-console
	conf 75
	from PlayStation consoles' default names PS4-xxx / PS5-xxx (playstation.com)
	example PS4-123
	example PS5

rule hostname re ^(?:XBOX|Xbox)(?:ONE|One|[-_ ]?Series|SystemOS|360)?
	vendor Microsoft
	type game-console
	conf 75
	from Xbox consoles' default names (xbox.com)
	example XBOXONE

rule hostname re ^(?:Nintendo[-_ ]?Switch|NintendoSwitch|Wii[-_ ]?U|Nintendo[-_ ]?3DS)
	vendor Nintendo
	type game-console
	conf 80
	from Nintendo console names (nintendo.com)
	example Nintendo-Switch

rule hostname re ^(?:Bose[-_ ]|SoundTouch|Denon[-_ ]|Marantz[-_ ]|HEOS[-_ ]|Yamaha[-_ ]?(?:RX|WX|YAS|MusicCast)|JBL[-_ ]|Harman[-_ ]|Bang[-_ ]?Olufsen|Beoplay|Bluesound|Libratone|Audio[-_ ]Pro)
	type speaker
	conf 65
	from networked speakers and receivers name themselves after brand and product: Bose SoundTouch, Denon/Marantz HEOS, Yamaha MusicCast, JBL, Bang & Olufsen, Bluesound (vendors' documentation)
	example SoundTouch-10
	example Denon AVR-X1600H

# === Cameras, doorbells ====================================================
rule hostname re ^Ring[-_ ]?(?:Video[-_ ]?)?Doorbell
	vendor Ring
	type doorbell
	conf 80
	from Ring video doorbells (ring.com)
	example RingDoorbell-1a2b
	example Ring-Video-Doorbell

rule hostname re ^(?:Ring[-_ ]?(?:Stick[-_ ]?Up|Spotlight|Floodlight|Indoor)[-_ ]?Cam|RingStickUpCam|RingSpotlightCam)
	vendor Ring
	type camera
	conf 80
	from Ring cameras (ring.com)
	example RingStickUpCam-3f4e

rule hostname re ^(?:Arlo|VMC\d{4}|VMB\d{4})
	vendor Arlo
	type camera
	conf 70
	from Arlo cameras (VMC) and base stations (VMB) (arlo.com)
	example VMC4040P
	example Arlo-Pro

rule hostname re ^WYZE
	vendor Wyze
	conf 70
	from Wyze devices name themselves WYZE_<code> (wyze.com)
	example WYZE_CAKP2JFUS

rule hostname re ^WYZE_?C(?:AKP|AM|V)|^WYZEC\d|^WYZECP
	vendor Wyze
	type camera
	conf 75
	from Wyze Cam v2/v3/Pan names WYZE_CAKP..., WYZEC1-JZ (wyze.com)
	example WYZE_CAKP2JFUS

rule hostname re ^(?:Blink[-_ ]|blink-)
	vendor Amazon Blink
	type camera
	conf 65
	from Blink cameras and sync modules (blinkforhome.com)
	example blink-xt2

rule hostname re ^(?:eufy|EufyCam|T8\d{3})
	vendor Eufy
	type camera
	conf 60
	from Eufy Security cameras and their T8xxx model codes (eufy.com)
	example eufyCam-2C

rule hostname re ^(?:Reolink|RLC-\d{3})
	vendor Reolink
	type camera
	conf 75
	from Reolink cameras (reolink.com)
	example Reolink-Argus

rule hostname re ^(?:EZVIZ|Hikvision|HIKVISION|DS-2CD\w+)
	vendor Hikvision
	type camera
	conf 70
	from Hikvision / EZVIZ cameras and DS-2CD model names (hikvision.com, ezviz.com)
	example DS-2CD2042WD-I
	example EZVIZ-C6N

rule hostname re ^(?:IPC-?\w*|DH-IPC-\w+|IPCAM|IPCam|IP[-_ ]?Camera|NetCam|netcam)
	type camera
	conf 60
	from IP cameras' generic default names (IPC-xxx, DH-IPC-xxx of Dahua, IPCam, NetCam) (vendors' manuals)
	example IPC-HDW1230S
	example IPCAM

rule hostname re ^(?:Foscam|FI\d{4}\w*|Amcrest|AMC\w{10,}|Wansview|Yi[-_ ]?Home|YI[-_ ]?Cam|yi[-_ ]camera|Canary|Logi[-_ ]?Circle|Kami)
	type camera
	conf 65
	from consumer camera brands' default names: Foscam FIxxxx, Amcrest AMCxxxx, Wansview, YI Home, Canary, Logi Circle (vendors' manuals)
	example FI9821W
	example Amcrest-IP2M

# === Lights, plugs, thermostats, appliances, other brands ==================
rule hostname re ^(shelly(?:1|1pm|1l|2|25|switch25|plus1\w*|pro\w*|uni|i3|i4|em\w*))(?:-|$)
	vendor Shelly
	type switch
	model $1
	conf 75
	from Shelly relays and switches name themselves shelly<model>-<id> (shelly-api-docs.shelly.cloud)
	example shelly1-98F4ABF298F7 => model=shelly1
	example shellyswitch25-A1B2C3

rule hostname re ^(shellyplug(?:-s)?)(?:-|$)
	vendor Shelly
	type plug
	model $1
	conf 80
	from Shelly Plug (shelly-api-docs.shelly.cloud)
	example shellyplug-s-C1D2E3 => model=shellyplug-s

rule hostname re ^(shelly(?:bulb\w*|vintage|duo\w*))(?:-|$)
	vendor Shelly
	type bulb
	model $1
	conf 80
	from Shelly Bulb, Vintage and Duo bulbs (shelly-api-docs.shelly.cloud)
	example shellybulbduo-123ABC

rule hostname re ^(shelly(?:rgbw2|dimmer\w*))(?:-|$)
	vendor Shelly
	type light
	model $1
	conf 70
	from Shelly RGBW2 LED controller and Dimmer (shelly-api-docs.shelly.cloud)
	example shellyrgbw2-AABBCC

rule hostname re ^(shelly(?:ht|dw\w*|flood|motion\w*|smoke|gas|button\w*|door\w*))(?:-|$)
	vendor Shelly
	type sensor
	model $1
	conf 80
	from Shelly H&T, Door/Window, Flood, Motion, Smoke and Gas sensors (shelly-api-docs.shelly.cloud)
	example shellyht-1A2B3C

rule hostname re ^(?:tasmota|sonoff)[-_]
	type plug
	conf 40
	from Tasmota firmware (default host name tasmota-XXXXXX-NNNN) and ITEAD Sonoff devices, most often plugs and relays (tasmota.github.io)
	example tasmota-1A2B3C-1234
	example sonoff-2345

rule hostname re ^(?:wiz|WiZ)[-_][0-9a-f]{6}
	vendor WiZ
	type bulb
	conf 75
	from WiZ Connected (Signify) bulbs name themselves wiz_xxxxxx (wizconnected.com)
	example wiz_a1b2c3

rule hostname re ^LIFX
	vendor LIFX
	type bulb
	conf 75
	from LIFX Wi-Fi bulbs (lifx.com)
	example LIFX-Bulb

rule hostname re ^Nanoleaf
	vendor Nanoleaf
	type light
	conf 80
	from Nanoleaf light panels name themselves Nanoleaf-<product>-xx-xx-xx (nanoleaf.me)
	example Nanoleaf-Light-Panels-5A-3B-1C

rule hostname re ^(?:Meross|meross)[-_ ]?(?:Smart[-_ ]?)?(Plug|Switch|Bulb)?
	vendor Meross
	conf 70
	from Meross smart-home devices (meross.com)
	example Meross_Smart_Plug

rule hostname re ^(?:ecobee|Ecobee)
	vendor ecobee
	type thermostat
	conf 80
	from ecobee thermostats (ecobee.com)
	example ecobee-Thermostat

rule hostname re ^(?:Honeywell|TCC|Lyric|T6[-_ ]Pro|Resideo)[-_ ]?(?:Thermostat|T\d|Round|WiFi)
	vendor Honeywell
	type thermostat
	conf 70
	from Honeywell Home / Resideo Wi-Fi thermostats (honeywellhome.com)
	example Honeywell-Thermostat

rule hostname re ^(?:tado|Netatmo[-_ ]?(?:Thermostat|Relay|Valve)|Nest[-_ ]E|Hive[-_ ]?(?:Hub|Active))
	type thermostat
	conf 65
	from heating controls: tado, Netatmo thermostat and relay, Nest E, Hive Active Heating (vendors' documentation)
	example tado-IB01234

rule hostname re ^(?:Roomba|iRobot|Braava)|^(?:i[1-8]|s9|j7|e5|9[0-9]{2})[-_ ]?Roomba
	vendor iRobot
	type vacuum
	conf 80
	from iRobot Roomba and Braava robots (irobot.com)
	example Roomba-3181C40032217740
	example iRobot-0123

rule hostname re ^(?:Roborock|roborock|Deebot|DEEBOT|Ecovacs|Neato|Botvac|Eufy[-_ ]?RoboVac|RoboVac|Shark[-_ ]?(?:IQ|AI|Robot)|Dreame|Narwal)
	type vacuum
	conf 75
	from robot vacuums: Roborock, Ecovacs Deebot, Neato Botvac, Eufy RoboVac, Shark IQ, Dreame, Narwal (vendors' documentation)
	example DEEBOT-OZMO-T8

rule hostname re ^(August|Yale|Schlage|Kwikset|Nuki|Lockly|Ultraloq)(?:[-_ ]|$)
	vendor $1
	type lock
	conf 65
	from smart locks and their Wi-Fi bridges name themselves after the brand: August Connect, Yale, Schlage Encode, Kwikset, Nuki Bridge, Lockly, Ultraloq (vendors' documentation)
	example Schlage => vendor=Schlage; type=lock
	example August-Connect
	example Nuki_Bridge_1A2B3C

rule hostname re ^(?:Level[-_ ]Lock|SwitchBot[-_ ]?Lock|Wyze[-_ ]?Lock|Sifely|TTLock)
	type lock
	conf 60
	from smart locks and lock gateways: Level Lock, SwitchBot Lock, Wyze Lock, Sifely / TTLock gateways (vendors' documentation)
	example Level-Lock-123
	example Sifely-G2

rule hostname re (?:^|[^a-z])(?:iKettle|SmarterCoffee|Smarter[-_ ]?(?:Coffee|Kettle|iKettle)|SMK\d{2}|SMC\d{2})
	vendor Smarter
	type appliance
	conf 80
	from Smarter iKettle (SMK) and SmarterCoffee (SMC) Wi-Fi kitchen appliances (smarter.am)
	example iKettle2
	example SmarterCoffee-1A2B

rule hostname re ^(?:Aria|Fitbit[-_ ]?Aria)(?:[-_ ]?\d|Air)?$|^Fitbit[-_ ]?Aria
	vendor Fitbit
	type scale
	model Aria
	conf 70
	from Fitbit Aria Wi-Fi smart scale (fitbit.com)
	example Fitbit-Aria
	example Aria2

rule hostname re ^(?:Withings|WS-?30|WS-?50|WBS0\d|Body[-_ ]?(?:Cardio|Scan|\+))
	vendor Withings
	type scale
	conf 65
	from Withings Wi-Fi scales WS-30, WS-50, Body, Body+, Body Cardio, Body Scan (withings.com)
	example WS-30
	example Withings-WBS01

rule hostname re ^(?:Withings[-_ ]?Home|WBP0\d|Withings[-_ ]?Baby)
	vendor Withings
	type baby-monitor
	conf 70
	from Withings Smart Baby Monitor WBP01 and Withings Home camera (withings.com)
	example WBP01

rule hostname re ^(?:Nanit|Owlet|Miku|Cubo|Motorola[-_ ]?MBP|MBP\d{2,}|Infant[-_ ]?Optics|Baby[-_ ]?Monitor|BabyCam|VTech[-_ ]?RM)
	type baby-monitor
	conf 70
	from Wi-Fi baby monitors: Nanit, Owlet Cam, Miku, Cubo AI, Motorola MBP, Infant Optics, VTech RM (vendors' documentation)
	example Nanit-Camera
	example MBP855CONNECT

rule hostname re ^(?:Dyson|Miele|BSH|Bosch[-_ ]?(?:HomeConnect|Dishwasher|Washer)|Siemens[-_ ]?(?:Washer|Dishwasher)|LG[-_ ]?(?:Smart[-_ ]?)?(?:Washer|Dryer|Fridge|Refrigerator|Dishwasher|Styler|ThinQ)|Whirlpool|Electrolux|AEG|Haier|Midea|Frigidaire|GE[-_ ]?Appliance|Thermomix|Instant[-_ ]?Pot|Anova|Traeger|Breville|Peloton)
	type appliance
	conf 65
	from connected household appliances' default names: Dyson, Miele, Bosch/Siemens Home Connect, LG ThinQ, Whirlpool, Electrolux/AEG, Haier, Midea, GE, Thermomix, Anova, Traeger, Breville (vendors' documentation)
	example Dyson-Pure-Cool
	example LG_Smart_Washer

rule hostname re ^(?:ESP|esp)[_-]?([0-9A-F]{6})$|^espressif$|^ESP32[-_]|^ESP8266[-_]
	vendor Espressif @20
	generic
	conf 20
	from Espressif ESP8266/ESP32 SDK default host names ESP_XXXXXX / espressif: a module inside another brand's product (Espressif SDK documentation)
	example ESP_511723
	example espressif

rule hostname re ^(?:Tuya|tuya|SmartLife|Smart[-_]?Life)[-_ ]
	vendor Tuya
	conf 65
	from Tuya / Smart Life devices named after the platform (tuya.com)
	example Tuya-Smart-Plug

# === Printers ================================================================
rule hostname re ^NPI[0-9A-F]{6}
	vendor HP
	type printer
	conf 75
	from HP JetDirect printers' default host name NPIxxxxxx (HP JetDirect administrator's guide)
	example NPI8F2A1C

rule hostname re ^HP[0-9A-F]{6}$|^HP[0-9A-F]{12}$
	vendor HP
	type printer
	conf 70
	from HP printers' default host name HP<last six MAC digits> (HP support documentation)
	example HP8C2A4F

rule hostname re ^(HP (?:Color |Officejet |OfficeJet |LaserJet |DeskJet |Deskjet |ENVY |Envy |PageWide |Smart Tank |Tango |Neverstop |Ink Tank )[^\[(]*?)\s*(?:[\[(]|$)
	vendor HP
	type printer
	model $1
	conf 80
	from HP printers announce themselves as "HP <line> <model> [MAC]" over mDNS and UPnP (HP; Bonjour printing)
	example HP OfficeJet Pro 8710 [9C8F2A] => model=HP OfficeJet Pro 8710
	example HP LaserJet M404dn

rule hostname re ^BR[NW][0-9A-F]{12}
	vendor Brother
	type printer
	conf 80
	from Brother printers' default node name BRN<MAC> (wired) / BRW<MAC> (wireless) (Brother network user's guide)
	example BRN001BA9123456
	example BRW3C2AF4A1B2C3

rule hostname re ^(Brother (?:HL|MFC|DCP|ADS|QL|PT|TD|MW|RJ|HLL|MFCL)[-\w]*)
	vendor Brother
	type printer
	model $1
	conf 80
	from Brother printers' announced names "Brother HL-L2350DW series" (Brother; Bonjour printing)
	example Brother HL-L2350DW series => model=Brother HL-L2350DW

rule hostname re ^EPSON[0-9A-F]{6}$
	vendor Epson
	type printer
	conf 80
	from Epson printers' default host name EPSONxxxxxx (Epson network guide)
	example EPSON1A2B3C

rule hostname re ^(EPSON (?:ET|XP|WF|L|EW|SC|EP|PX)-?\w+)
	vendor Epson
	type printer
	model $1
	conf 80
	from Epson printers' announced names "EPSON XP-4100 Series" (Epson network guide)
	example EPSON XP-4100 Series => model=EPSON XP-4100

rule hostname re ^(Canon (?:TS|MX|MG|MF|LBP|iR|G|TR|PRO|iX|iP|GM)[-\w]*)|^Canon[0-9A-F]{6}$
	vendor Canon
	type printer
	model $1
	conf 80
	from Canon printers' announced names "Canon TS5000 series", "Canon MF440" (Canon; Bonjour printing)
	example Canon TS5000 series => model=Canon TS5000
	example Canon MF743C

rule hostname re ^XRX[0-9A-F]{12}
	vendor Xerox
	type printer
	conf 80
	from Xerox printers' default host name XRX<MAC> (Xerox system administrator guides)
	example XRX9C934E123456

rule hostname re ^(Xerox (?:WorkCentre|VersaLink|AltaLink|Phaser|B\d+|C\d+)[ \w-]*)
	vendor Xerox
	type printer
	model $1
	conf 80
	from Xerox printers' announced names "Xerox VersaLink C405" (Xerox system administrator guides)
	example Xerox VersaLink C405 => model=Xerox VersaLink C405

rule hostname re ^ET[0-9A-F]{12}$
	vendor Lexmark
	type printer
	conf 75
	from Lexmark printers' default host name ET<MAC> (Lexmark embedded web server guide)
	example ET0021B7123456

rule hostname re ^(Lexmark [A-Z]{1,3}\d{3}\w*)
	vendor Lexmark
	type printer
	model $1
	conf 75
	from Lexmark printers' announced model names "Lexmark MS610dn" (Lexmark embedded web server guide)
	example Lexmark MS610dn => model=Lexmark MS610dn

rule hostname re ^(?:KM[0-9A-F]{6}|KONICA MINOLTA \w+|Kyocera [\w-]+|ECOSYS [\w-]+|TASKalfa [\w-]+|RNP[0-9A-F]{12}|RICOH [\w -]+|SEC[0-9A-F]{12}|Samsung (?:M|C|ML|CLX|SL)[\w-]+)
	type printer
	conf 75
	from office printers' default names: Konica Minolta KMxxxxxx, Kyocera ECOSYS/TASKalfa, Ricoh RNP<MAC>, Samsung SEC<MAC> (vendors' administrator guides)
	example KM1A2B3C
	example ECOSYS M2540dn
	example RNP58387912AB34

rule hostname re (?:^|[^a-z])(?:printer|drucker|imprimante)(?:[^a-z]|$)
	type printer
	conf 55
	from a name with the word printer in it
	example Office-Printer
	not printerless-thing

# === Network infrastructure ================================================
rule hostname re ^(UGW\d*|UXG\w*|UDM\w*|USG\w*|UCG\w*)$
	vendor Ubiquiti
	type router
	model $1
	conf 80
	from Ubiquiti UniFi gateways: UGW3/UGW4 (Security Gateway), UXG, UDM (Dream Machine) platform codes (ui.com)
	example UGW3 => model=UGW3; type=router
	example UDMPRO

rule hostname re ^(U7\w+|UAP\w*|U6\w+|UAL\w*|UAE\w*|UAPL\w*)$
	vendor Ubiquiti
	type router
	model $1
	conf 75
	from Ubiquiti UniFi access point platform codes U7PG2, UAP-AC-LR, U6-Lite (ui.com)
	example U7PG2

rule hostname re ^(UVC[\w-]*)$
	vendor Ubiquiti
	type camera
	model $1
	conf 80
	from Ubiquiti UniFi Protect camera platform codes UVC-G3, UVC-G4 (ui.com)
	example UVC-G3

rule hostname re ^(?:AP|ap)[-_]?(?:\d{3,4}|[0-9A-F]{4,12})$|^(?:Aruba|aruba)[-_]?AP|^(?:Meraki|MR\d{2})[-_]|^(?:UniFi|unifi)[-_]?AP|^RuckusAP
	type router
	conf 55
	from enterprise access points' default names: Aruba AP-xxx, Meraki MRxx, UniFi AP, Ruckus AP (vendors' guides)
	example Aruba-AP-515
	example MR33-1234

rule hostname re ^(?:FRITZ!?Box|fritz\.box|RT-[A-Z]{2}\d+|Archer[-_ ]|TL-W[AR]\w+|Deco[-_ ]\w+|eero|Orbi|RBR\d+|RBS\d+|Google[-_ ]?Wifi|Nest[-_ ]?Wifi|OpenWrt|DD-WRT|Linksys\w*|EA\d{4}|WRT\d+|Velop)
	type router
	conf 70
	from home routers and mesh systems' default names: FRITZ!Box, ASUS RT-xxx, TP-Link Archer/Deco, eero, Netgear Orbi, Google/Nest Wifi, OpenWrt, Linksys (vendors' documentation)
	example FRITZ!Box 7590
	example OpenWrt
	example Archer_C7

rule hostname re ^(?:DS|RS|DVA|DiskStation)\d{3,4}\w*$|^(?:TS|TVS|TBS)-\d{3,4}\w*$|^(?:MyCloud|WDMyCloud|ReadyNAS|TerraMaster|NAS)\w*
	type nas
	conf 70
	from NAS default names: Synology DiskStation DSxxx, QNAP TS-xxx, WD My Cloud, Netgear ReadyNAS, TerraMaster (vendors' documentation)
	example DS918
	example TS-451
	example WDMyCloud

rule hostname re ^SEP[0-9A-F]{12}$
	vendor Cisco
	type phone
	conf 85
	from Cisco IP phones' device name SEP<MAC> (Cisco Unified CM administration guide)
	example SEP001122334455

rule hostname re ^(?:Polycom|VVX|SoundPoint|Yealink|SIP-T\d+|T[2-5]\d[A-Z]?$|snom|GXP\d+|Grandstream|Avaya|Mitel|Aastra|Obi\d{3}|OBi)
	type phone
	conf 70
	from IP desk phones and VoIP adapters: Polycom VVX/SoundPoint, Yealink SIP-T, snom, Grandstream GXP, Avaya, Mitel/Aastra, Obihai OBi (vendors' provisioning guides)
	example Polycom-VVX410
	example SIP-T46S

# === Generic words people and vendors put in names =========================
rule hostname re (?:^|[^a-z])(?:cam|camera|webcam|ipcam|cctv)(?:[^a-z]|$)
	type camera
	conf 50
	from a name with the word camera/cam in it
	example Garage-Camera
	example Front-Cam
	not Cambridge

rule hostname re (?:^|[^a-z])(?:doorbell|door[-_ ]bell)(?:[^a-z]|$)
	type doorbell
	conf 60
	from a name with the word doorbell in it
	example Front-Doorbell

rule hostname re (?:^|[^a-z])(?:plug|socket|outlet|smartplug|steckdose)(?:[^a-z]|$)
	type plug
	conf 50
	from a name with the word plug/socket/outlet in it
	example Smart-Plug-3
	example Kitchen_Outlet

rule hostname re (?:^|[^a-z])(?:bulb|lightbulb)(?:[^a-z]|$)
	type bulb
	conf 50
	from a name with the word bulb in it
	example Bedroom-Bulb

rule hostname re (?:^|[^a-z])(?:thermostat|thermo)(?:[^a-z]|$)
	type thermostat
	conf 55
	from a name with the word thermostat in it
	example Hallway-Thermostat

rule hostname re (?:^|[^a-z])(?:speaker|soundbar|sound[-_ ]bar)(?:[^a-z]|$)
	type speaker
	conf 45
	from a name with the word speaker/soundbar in it
	example Kitchen-Speaker

rule hostname re (?:^|[^a-z])(?:vacuum|robovac|robot[-_ ]vacuum)(?:[^a-z]|$)
	type vacuum
	conf 55
	from a name with the word vacuum in it
	example Robot-Vacuum

rule hostname re (?:^|[^a-z])(?:sensor|motion|leak|smoke)(?:[^a-z]|$)
	type sensor
	conf 45
	from a name with the word sensor/motion/leak/smoke in it
	example Garage-Motion-Sensor

rule hostname re (?:^|[^a-z])(?:siren|alarm[-_ ]siren)(?:[^a-z]|$)
	type siren
	conf 55
	from a name with the word siren in it
	example Hall-Siren

rule hostname re (?:^|[^a-z])(?:scale|waage)(?:[^a-z]|$)
	type scale
	conf 50
	from a name with the word scale in it
	example Bathroom-Scale

rule hostname re (?:^|[^a-z])(?:kettle|coffee|washer|dryer|dishwasher|fridge|refrigerator|oven|purifier|humidifier)(?:[^a-z]|$)
	type appliance
	conf 50
	from a name naming a household appliance
	example Kitchen-Kettle

rule hostname re (?:^|[^a-z])(?:tv|television|smarttv|smart[-_ ]tv)(?:[^a-z]|$)
	type tv
	conf 45
	from a name with the word TV in it
	example Living-Room-TV
	not tvheadend-server-x

# === Model-number-like names ==================================================
rule hostname re ^([A-Z]{2,5}-?\d{2,5}[A-Z]{0,4}(?:-[A-Z]\d?)?)$
	unless ^(?:DESKTOP|LAPTOP|WIN|SEP|NPI|BRN|BRW|XRX|ET|KM|RNP|SEC|HP|android)
	model $1
	generic
	conf 30
	from many embedded devices answer DHCP with their model code ("SP-1101W", "IC3115W", "WS30"): a name shaped like one is a weak model clue (observed convention of embedded SDKs' default host names)
	example SP-1101W => model=SP-1101W
	example ABC123
	not DESKTOP-1234
	not Lucas-iPhone
	not 00178874c2dc

rule hostname re ^(?:HF-LP[BT]\d{3}|HF-A\d{2}|USR-WIFI\d+)
	vendor High-Flying @20
	generic
	from Hi-Flying HF-LPB100/HF-LPT100/HF-A11 and USR IOT Wi-Fi modules keep their module name as host name inside other brands' products (module datasheets)
	example HF-LPB100

rule hostname re ^ednet
	vendor ednet
	conf 65
	from ednet (ASSMANN) smart-home devices named after the brand (ednet.living documentation)
	example ednet.living-gateway
