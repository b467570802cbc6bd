# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# oui.sig: what the IEEE registry organisation of a MAC address tells.
# Matched against the organisation name of Debian's ieee-data (and, for
# newer assignments, Wireshark's manuf file). Three kinds of rule:
#  - brand spelling: the registry's legal name -> the brand people know;
#  - module and ODM makers: their name is rarely the product's brand, so
#    their vendor clue is weak and any brand clue wins;
#  - product-line priors: a maker of one kind of device makes that type
#    likely. Priors are generic and modest: any specific clue beats them.
# A rule that names a vendor replaces the registry's own vendor clue.

# --- brand spelling ---------------------------------------------------------
rule oui re ^TP-LINK
	vendor TP-Link
	conf 60
	from IEEE registry: "TP-LINK TECHNOLOGIES CO.,LTD." and "TP-Link Corporation Limited" (brand TP-Link, tp-link.com)
	example TP-LINK TECHNOLOGIES CO.,LTD. => vendor=TP-Link
	example TP-Link Corporation Limited

rule oui re ^D-Link
	vendor D-Link
	conf 60
	from IEEE registry: "D-Link International", "D-Link Corporation", "D-LINK SYSTEMS" (brand D-Link, dlink.com)
	example D-Link International
	example D-LINK SYSTEMS, INC.

rule oui prefix Belkin
	vendor Belkin
	conf 60
	from IEEE registry: Belkin International (makes the WeMo smart-home line, belkin.com)
	example Belkin International Inc.

rule oui prefix Edimax
	vendor Edimax
	conf 60
	from IEEE registry: Edimax Technology Co. Ltd. (edimax.com)
	example Edimax Technology Co. Ltd.

rule oui prefix eQ-3
	vendor eQ-3
	type hub @40
	generic
	conf 60
	from IEEE registry: eQ-3 Entwicklung GmbH; its IP products are the gateways of its radio systems: MAX! Cube, Homematic CCU and Homematic IP Access Point (eq-3.com)
	example eQ-3 Entwicklung GmbH

rule oui prefix Fitbit
	vendor Fitbit
	type scale @35
	conf 60
	from IEEE registry: Fitbit; Fitbit trackers and watches talk Bluetooth, the devices of the brand that join Wi-Fi on their own are mostly the Aria scales (fitbit.com product documentation)
	example Fitbit, Inc.

rule oui exact Withings
	vendor Withings
	type scale @35
	conf 60
	from IEEE registry: Withings; the brand's Wi-Fi products are mostly body scales (WS-30, WS-50, Body, Body+), besides a home camera and a baby monitor (withings.com)
	example Withings

rule oui re ^(?:Osram|OSRAM)
	vendor Osram
	type hub @40
	conf 60
	from IEEE registry: OSRAM GmbH; its networked product is the Lightify gateway of its Zigbee lamps (osram.com, Lightify documentation)
	example OSRAM GmbH

rule oui re ^(?:Philips Lighting|Signify)
	vendor Philips Hue
	type hub @35
	conf 60
	from IEEE registry: Philips Lighting BV / Signify B.V. (Philips Hue); the Hue bridge is the brand's IP device, the lamps are Zigbee (philips-hue.com, Hue developer documentation)
	example Philips Lighting BV
	example Signify B.V.

rule oui prefix Sonos
	vendor Sonos
	type speaker @70
	conf 60
	from IEEE registry: Sonos, Inc. makes networked speakers and sound bars (sonos.com)
	example Sonos, Inc.

rule oui prefix Roku
	vendor Roku
	type media-player @60
	conf 60
	from IEEE registry: Roku, Inc. makes streaming players and Roku TV platforms (roku.com)
	example Roku, Inc

rule oui prefix Nintendo
	vendor Nintendo
	type game-console @75
	conf 60
	from IEEE registry: Nintendo Co.,Ltd; its networked products are game consoles (nintendo.com)
	example Nintendo Co.,Ltd

rule oui prefix Sony Interactive Entertainment
	vendor Sony
	type game-console @75
	conf 60
	from IEEE registry: Sony Interactive Entertainment makes the PlayStation consoles (playstation.com)
	example Sony Interactive Entertainment Inc.

rule oui prefix Amazon Technologies
	vendor Amazon
	type voice-assistant @30
	conf 60
	from IEEE registry: Amazon Technologies Inc.; the brand's Wi-Fi devices are mostly Echo smart speakers with Alexa, besides Fire TV and Kindle (amazon.com device pages)
	example Amazon Technologies Inc.

rule oui prefix Google
	vendor Google
	conf 60
	from IEEE registry: Google, Inc. (Chromecast, Google Home / Nest speakers and displays, Pixel phones)
	example Google, Inc.

rule oui prefix Nest Labs
	vendor Google Nest
	type thermostat @40
	conf 60
	from IEEE registry: Nest Labs Inc. (Nest thermostats, cameras, smoke alarms; nest.com)
	example Nest Labs Inc.

rule oui re ^ecobee
	vendor ecobee
	type thermostat @70
	conf 60
	from IEEE registry: ecobee inc makes smart thermostats (ecobee.com)
	example ecobee inc

rule oui prefix iRobot
	vendor iRobot
	type vacuum @70
	conf 60
	from IEEE registry: iRobot Corporation makes Roomba and Braava robots (irobot.com)
	example iRobot Corporation

rule oui prefix Beijing Roborock
	vendor Roborock
	type vacuum @70
	conf 60
	from IEEE registry: Beijing Roborock Technology Co. makes robot vacuums (roborock.com)
	example Beijing Roborock Technology Co., Ltd.

rule oui re ^Ring LLC
	vendor Ring
	type doorbell @40
	conf 60
	from IEEE registry: Ring LLC makes video doorbells and security cameras (ring.com)
	example Ring LLC

rule oui prefix Arlo Technology
	vendor Arlo
	type camera @65
	conf 60
	from IEEE registry: Arlo Technology makes security cameras and doorbells (arlo.com)
	example Arlo Technology

rule oui prefix Wyze Labs
	vendor Wyze
	type camera @45
	conf 60
	from IEEE registry: Wyze Labs Inc; cameras are its main line, with plugs, bulbs and locks (wyze.com)
	example Wyze Labs Inc

rule oui re Hikvision
	vendor Hikvision
	type camera @60
	conf 60
	from IEEE registry: Hangzhou Hikvision Digital Technology makes video surveillance cameras and recorders (hikvision.com)
	example Hangzhou Hikvision Digital Technology Co.,Ltd.

rule oui re ^Hangzhou Ezviz
	vendor EZVIZ
	type camera @55
	conf 60
	from IEEE registry: Hangzhou Ezviz Software, Hikvision's consumer camera brand (ezviz.com)
	example Hangzhou Ezviz Software Co.,Ltd.

rule oui re Dahua Technology
	vendor Dahua
	type camera @55
	conf 60
	from IEEE registry: Zhejiang Dahua Technology makes surveillance cameras and recorders (dahuasecurity.com)
	example Zhejiang Dahua Technology Co., Ltd.

rule oui prefix Axis Communications
	vendor Axis
	type camera @65
	conf 60
	from IEEE registry: Axis Communications AB makes network cameras (axis.com)
	example Axis Communications AB

rule oui prefix Reolink
	vendor Reolink
	type camera @70
	conf 60
	from IEEE registry: Reolink Innovation makes security cameras (reolink.com)
	example Reolink Innovation Limited

rule oui prefix Canary Connect
	vendor Canary
	type camera @70
	conf 60
	from IEEE registry: Canary Connect makes home security cameras (canary.is)
	example Canary Connect, Inc.

rule oui exact Netatmo
	vendor Netatmo
	conf 60
	from IEEE registry: Netatmo (weather stations, thermostats, cameras; netatmo.com)
	example Netatmo

rule oui re ^tado
	vendor tado
	type thermostat @60
	conf 60
	from IEEE registry: tado GmbH makes smart heating controls (tado.com)
	example tado GmbH

rule oui re ^(?:Resideo|Honeywell$)
	vendor Honeywell
	type thermostat @35
	conf 55
	from IEEE registry: Resideo / Honeywell (Honeywell Home thermostats and security; resideo.com)
	example Resideo
	example Honeywell

rule oui prefix August Home
	vendor August
	type lock @60
	conf 60
	from IEEE registry: August Home makes smart locks and their Wi-Fi bridge (august.com)
	example August Home, Inc.

rule oui prefix Lutron Electronics
	vendor Lutron
	type hub @50
	conf 60
	from IEEE registry: Lutron Electronics; its IP devices are the Caseta/RA2 bridges and processors (lutron.com)
	example Lutron Electronics Co., Inc.

rule oui prefix Nanoleaf
	vendor Nanoleaf
	type light @70
	conf 60
	from IEEE registry: Nanoleaf makes light panels and bulbs (nanoleaf.me)
	example Nanoleaf

rule oui prefix Chengdu Meross
	vendor Meross
	type plug @40
	conf 60
	from IEEE registry: Chengdu Meross Technology; smart plugs are its main line (meross.com)
	example Chengdu Meross Technology Co., Ltd.

rule oui prefix Tuya Smart
	vendor Tuya
	conf 60
	from IEEE registry: Tuya Smart Inc. (white-label smart-home platform: plugs, bulbs, sensors, cameras; tuya.com)
	example Tuya Smart Inc.

rule oui re ^(?:Xiaomi Communications|Beijing Xiaomi)
	vendor Xiaomi
	conf 60
	from IEEE registry: Xiaomi Communications / Beijing Xiaomi (phones and the Mi ecosystem; mi.com)
	example Xiaomi Communications Co Ltd
	example Beijing Xiaomi Electronics Co., Ltd.

rule oui re ^Zhen Shi Information Technology
	vendor Xiaomi
	conf 55
	from IEEE registry: Zhen Shi Information Technology (Shanghai), the Chuangmi company of Xiaomi's ecosystem (cameras and plugs sold as Mi / Xiaomi; mi.com)
	example Zhen Shi Information Technology (Shanghai) Co., Ltd.

rule oui re ^Shanghai Imilab
	vendor Xiaomi
	type camera @40
	conf 55
	from Wireshark manuf: Shanghai Imilab Technology, the Xiaomi-ecosystem maker of Imilab / Xiaobai cameras (imilab.com)
	example Shanghai Imilab Technology Co.Ltd

rule oui re ^Lumi United
	vendor Aqara
	type hub @40
	conf 60
	from IEEE registry: Lumi United Technology (Aqara); its Wi-Fi devices are hubs and cameras, its sensors are Zigbee (aqara.com)
	example Lumi United Technology Co., Ltd

rule oui exact Yeelink
	vendor Yeelight
	type bulb @55
	conf 60
	from IEEE registry: Yeelink (Yeelight smart bulbs and lamps; yeelight.com)
	example Yeelink

rule oui re ^Shanghai Xiaodu
	vendor Baidu
	conf 55
	from IEEE registry: Shanghai Xiaodu Technology, Baidu's smart-device company (Xiaodu speakers, displays, plugs; dueros.baidu.com)
	example Shanghai Xiaodu Technology Limited

rule oui re ^SAMJIN
	vendor Samsung SmartThings
	conf 45
	from IEEE registry: SAMJIN Co. builds SmartThings hubs and sensors for Samsung (FCC filings of SmartThings Hub v2/v3)
	example SAMJIN Co., Ltd.

rule oui re ^Samsung Electronics
	vendor Samsung
	type phone @20
	conf 60
	from IEEE registry: Samsung Electronics; phones are the bulk of its Wi-Fi devices, besides TVs, tablets and appliances (samsung.com)
	example Samsung Electronics Co.,Ltd

rule oui re ^(?:HUAWEI TECHNOLOGIES|Huawei Device|Huawei Technologies)
	vendor Huawei
	type phone @25
	conf 60
	from IEEE registry: Huawei; its Wi-Fi client devices are mostly phones, besides tablets, laptops and routers (consumer.huawei.com)
	example HUAWEI TECHNOLOGIES CO.,LTD
	example Huawei Device Co., Ltd.

rule oui re ^HMD Global
	vendor HMD Global (Nokia)
	type phone @50
	conf 60
	from IEEE registry: HMD Global makes Nokia-branded phones (hmd.com)
	example HMD Global Oy

rule oui re ^(?:OnePlus|Oneplus)
	vendor OnePlus
	type phone @55
	conf 60
	from IEEE registry: OnePlus Technology makes phones (oneplus.com)
	example OnePlus Technology (Shenzhen) Co., Ltd

rule oui re ^(?:(vivo) Mobile|GUANGDONG (OPPO)|(Realme) Chongqing)
	vendor $1$2$3
	type phone @55
	conf 55
	from IEEE registry: vivo, OPPO and realme make phones (vivo.com, oppo.com, realme.com)
	example vivo Mobile Communication Co., Ltd.
	example GUANGDONG OPPO MOBILE TELECOMMUNICATIONS CORP.,LTD => vendor=OPPO

rule oui re ^Motorola Mobility
	vendor Motorola
	type phone @50
	conf 60
	from IEEE registry: Motorola Mobility makes phones (motorola.com)
	example Motorola Mobility LLC, a Lenovo Company

rule oui re ^LG Electronics \(Mobile
	vendor LG
	type phone @45
	conf 60
	from IEEE registry: LG Electronics (Mobile Communications) is LG's phone maker
	example LG Electronics (Mobile Communications)

rule oui re ^(?:Vizio|VIZIO)
	vendor Vizio
	type tv @65
	conf 60
	from IEEE registry: Vizio, Inc makes TVs and sound bars (vizio.com)
	example Vizio, Inc

rule oui re ^(?:(TCL) King|(TCL) Technoly|(Vestel)|(HISENSE) VISUAL)
	vendor $1$2$3$4
	type tv @55
	conf 50
	from IEEE registry: TCL King Electrical Appliances, Vestel Elektronik and Hisense Visual Technology make TVs (tcl.com, vestel.com, hisense.com)
	example TCL King Electrical Appliances (Huizhou) Co., Ltd
	example Vestel Elektronik San ve Tic. A.S.

rule oui prefix Bose Corporation
	vendor Bose
	type speaker @60
	conf 60
	from IEEE registry: Bose Corporation makes speakers and sound bars (bose.com)
	example Bose Corporation

rule oui re ^(?:D&M Holdings|Sound United)
	vendor Denon
	type speaker @55
	conf 55
	from IEEE registry: D&M Holdings / Sound United (Denon, Marantz, HEOS audio; soundunited.com)
	example D&M Holdings Inc.

rule oui prefix Dyson
	vendor Dyson
	type appliance @60
	conf 60
	from IEEE registry: Dyson Limited (connected purifiers, fans, vacuums; dyson.com)
	example Dyson Limited

rule oui re ^(?:(Miele|BSH|Whirlpool|Electrolux)|GD (Midea)|Qingdao (Haier) Technology)
	vendor $1$2$3
	type appliance @60
	conf 55
	from IEEE registry: Miele, BSH (Bosch/Siemens home appliances), Whirlpool, Electrolux, Midea and Haier make connected home appliances
	example Miele & Cie. KG
	example BSH Hausgeraete GmbH
	example GD Midea Air-Conditioning Equipment Co.,Ltd. => vendor=Midea

rule oui prefix Peloton Interactive
	vendor Peloton
	type appliance @40
	conf 60
	from IEEE registry: Peloton Interactive (connected bikes and treadmills; onepeloton.com)
	example Peloton Interactive, Inc

rule oui prefix Garmin
	vendor Garmin
	type wearable @45
	conf 60
	from IEEE registry: Garmin International (watches, fitness devices, navigation; garmin.com)
	example Garmin International

rule oui re ^Apple
	vendor Apple
	conf 65
	from IEEE registry: Apple, Inc. (apple.com)
	example Apple, Inc.

rule oui re ^(?:Raspberry Pi)
	vendor Raspberry Pi
	type computer @40
	conf 65
	from IEEE registry: Raspberry Pi Trading / Foundation; its boards are small general-purpose computers (raspberrypi.com)
	example Raspberry Pi Trading Ltd
	example Raspberry Pi Foundation

rule oui prefix Intel Corporate
	type computer @20
	conf 20
	from IEEE registry: Intel network adapters ship in PCs and laptops (intel.com)
	example Intel Corporate

# --- printers -----------------------------------------------------------------
rule oui re ^(?:Brother industries|Brother Industries)
	vendor Brother
	type printer @60
	conf 60
	from IEEE registry: Brother Industries; its networked products are printers and multifunction devices (brother.com)
	example Brother industries, LTD.

rule oui prefix Seiko Epson
	vendor Epson
	type printer @55
	conf 60
	from IEEE registry: Seiko Epson Corporation; networked Epson products are mostly printers and projectors (epson.com)
	example Seiko Epson Corporation

rule oui re ^(?:CANON INC|Canon Inc)
	vendor Canon
	type printer @45
	conf 60
	from IEEE registry: Canon Inc.; networked Canon devices are mostly printers, besides cameras (canon.com)
	example CANON INC.

rule oui re ^LEXMARK
	vendor Lexmark
	type printer @70
	conf 60
	from IEEE registry: Lexmark International makes printers (lexmark.com)
	example LEXMARK INTERNATIONAL, INC.

rule oui re ^(?:XEROX|Xerox) Corporation
	vendor Xerox
	type printer @65
	conf 60
	from IEEE registry: Xerox Corporation makes printers and multifunction devices (xerox.com)
	example XEROX CORPORATION

rule oui re ^(KYOCERA|RICOH|KONICA MINOLTA|Zebra)
	vendor $1
	type printer @55
	conf 55
	from IEEE registry: Kyocera, Ricoh, Konica Minolta and Zebra make office and label printers
	example KYOCERA CORPORATION
	example RICOH COMPANY, LTD.
	example Zebra Technologies Inc

rule oui exact Hewlett Packard
	vendor HP
	type printer @30
	conf 60
	from IEEE registry: "Hewlett Packard" blocks go to HP Inc.'s printers as well as its PCs (hp.com)
	example Hewlett Packard

# --- network and office -------------------------------------------------------
rule oui prefix Ubiquiti
	vendor Ubiquiti
	type router @40
	conf 60
	from IEEE registry: Ubiquiti Networks; mostly access points and gateways, besides switches and cameras (ui.com)
	example Ubiquiti Networks Inc.

rule oui re ^(Cisco Meraki|Aruba|Ruckus)
	vendor $1
	type router @40
	conf 55
	from IEEE registry: Cisco Meraki, Aruba (HPE) and Ruckus make enterprise access points and switches
	example Cisco Meraki
	example Aruba, a Hewlett Packard Enterprise Company
	example Ruckus Wireless

rule oui re ^(?:(NETGEAR|Sagemcom|Arcadyan|Technicolor)|(ASUS)Tek|(AVM) Audiovisuelles)
	vendor $1$2$3
	type router @25
	conf 55
	from IEEE registry: Netgear, ASUS, AVM, Sagemcom, Arcadyan and Technicolor make home routers and gateways (among other products)
	example NETGEAR
	example AVM Audiovisuelles Marketing und Computersysteme GmbH => vendor=AVM

rule oui re ^(Synology|QNAP)
	vendor $1
	type nas @70
	conf 60
	from IEEE registry: Synology and QNAP make NAS appliances (synology.com, qnap.com)
	example Synology Incorporated
	example QNAP Systems, Inc.

rule oui re ^(?:(Polycom|snom|Yealink|Mitel|Obihai|Grandstream)|XIAMEN (YEALINK))
	vendor $1$2
	type phone @60
	conf 60
	from IEEE registry: Polycom, snom, Yealink, Mitel, Obihai and Grandstream make IP desk phones and VoIP adapters
	example Polycom
	example snom technology GmbH
	example YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD. => vendor=YEALINK

rule oui re ^Avaya
	vendor Avaya
	type phone @40
	conf 60
	from IEEE registry: Avaya (IP phones, besides switches and servers)
	example Avaya Inc

# --- module and ODM makers: their name is seldom the brand ------------------
rule oui re ^(?:Espressif|Shanghai High-Flying|GainSpan|Beken|Bouffalo Lab|Hong Kong Bouffalo)
	vendor $0 @20
	generic
	from IEEE registry: Espressif, High-Flying, GainSpan, Beken and Bouffalo Lab sell Wi-Fi chips and modules that other brands build into plugs, bulbs and sensors (their product pages)
	example Espressif Inc.
	example Shanghai High-Flying Electronics Technology Co., Ltd
	example GainSpan Corp.

rule oui re ^(?:AzureWave|Murata Manufacturing|Hon Hai|Universal Global Scientific|Liteon|CHONGQING FUGUI|Hui Zhou Gaoshengda|Shenzhen Zowee|Texas Instruments|Silicon Laboratories|Microchip Technology|REALTEK|MediaTek|Mediatek|Wistron Neweb|Sercomm|Cypress|Marvell)
	vendor $0 @25
	generic
	from IEEE registry: Wi-Fi module makers (AzureWave, Murata, USI, Lite-On, Gaoshengda, Zowee), chip makers (TI, Silicon Labs, Microchip, Realtek, MediaTek, Cypress, Marvell) and ODMs (Hon Hai/Foxconn, Fugui, Wistron NeWeb, Sercomm) whose MAC blocks ship inside other brands' products
	example AzureWave Technology Inc.
	example Murata Manufacturing Co., Ltd.
	example Shenzhen Zowee Technology Co.,Ltd
	example Hon Hai Precision Ind. Co.,Ltd.
