# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# domain.sig: the clouds and services devices contact. Matched against the
# names a device resolves (DNS questions), the SNI of its TLS and QUIC
# ClientHellos and the Host of its HTTP requests. "domain NAME" matches
# NAME and every name under it. On a phone, tablet or computer these names
# are its apps' and say nothing of its own vendor (fingerprint/README.md),
# so a brand's app-facing names are not given a vendor here.
# Sources: the vendors' own documentation of the hosts their devices need
# (firewall / port lists in support articles), nDPI's host lists
# (src/lib/protocols and ndpi_content_match.c.inc), and public analyses
# of smart-home traffic (e.g. the Mon(IoT)r and IoT Inspector studies).

# === TP-Link (Kasa, Tapo) ====================================================
rule domain domain tplinkcloud.com
	vendor TP-Link
	conf 65
	from TP-Link cloud used by Kasa and Tapo devices: devs.tplinkcloud.com, n-devs.tplinkcloud.com, *-device-api.tplinkcloud.com (TP-Link support: Kasa network requirements; nDPI)
	example n-devs.tplinkcloud.com
	example n-euw1-device-api.tplinkcloud.com

rule domain re ^(?:n-)?(?:[a-z]{2,4}\d?-)?(?:wap|app|app-server)\.(?:tplinkcloud|tplinknbu)\.com$|-app-server\.iot\.i\.tplinknbu\.com$
	type phone
	conf 35
	from TP-Link's app-facing endpoints (wap.tplinkcloud.com, *-app-server.iot.i.tplinknbu.com) are called by the Kasa and Tapo phone apps, not by devices (TP-Link app traffic, public analyses)
	example n-euw1-wap.tplinkcloud.com
	example euw1-app-server.iot.i.tplinknbu.com

rule domain domain tplinkra.com
	vendor TP-Link
	conf 70
	from TP-Link Kasa devices' cloud API use1-api.tplinkra.com / euw1-api.tplinkra.com (public analyses of Kasa traffic, softScheck TP-Link research)
	example use1-api.tplinkra.com

rule domain re (?:device|cloudgateway|security)[\w-]*\.iot\.i\.tplinknbu\.com$|device-api\.tplinkcloud\.com$
	vendor TP-Link
	conf 75
	from Tapo/Kasa devices' gateways *-device-cloudgateway.iot.i.tplinknbu.com and security.iot.i.tplinknbu.com (TP-Link Tapo firmware traffic, public analyses)
	example euw1-device-cloudgateway.iot.i.tplinknbu.com
	example security.iot.i.tplinknbu.com
	not euw1-app-server.iot.i.tplinknbu.com

rule domain re (?:tapo-care|relay-dcipc|dcipc)[\w.-]*\.tplinknbu\.com$|(?:tapo-care|dcipc)[\w.-]*\.tplinkcloud\.com$
	vendor TP-Link
	type camera
	conf 75
	from Tapo Care (cloud video recording) and the dcipc relay serve TP-Link's cameras (TP-Link Tapo Care documentation)
	example euw1-device-tapo-care.i.tplinknbu.com
	example aps1-relay-dcipc-beta.i.tplinknbu.com

rule domain domain tplinknbu.com
	vendor TP-Link
	conf 55
	from tplinknbu.com is TP-Link's IoT cloud (Tapo and Kasa) (public analyses of Tapo traffic)
	example aps1-openapi.i.tplinknbu.com

# === D-Link ====================================================================
rule domain domain mydlink.com
	vendor D-Link
	conf 75
	from mydlink is D-Link's cloud for its cameras and home devices: *.mydlink.com, *.auto.mydlink.com (D-Link support: mydlink port and host requirements)
	example mp-eu-dcdda.auto.mydlink.com
	example ca-mgr.auto.mydlink.com

rule domain domain dlinkddns.com
	vendor D-Link
	conf 65
	from D-Link dynamic DNS service used by its cameras and routers (dlinkddns.com)
	example www.dlinkddns.com

# === Belkin WeMo, Edimax, Osram, eQ-3, Fitbit, Withings, Smarter ===========
rule domain domain xbcs.net
	vendor Belkin
	conf 80
	from Belkin WeMo devices' cloud api.xbcs.net / nat.xbcs.net / fw.xbcs.net (Belkin WeMo, public WeMo security analyses)
	example api.xbcs.net

rule domain domain belkin.com
	vendor Belkin
	conf 55
	from Belkin firmware and support hosts (belkin.com)
	example fw.belkin.com

rule domain domain myedimax.com
	vendor Edimax
	conf 75
	from Edimax cloud and DDNS for EdiPlug plugs and IC cameras (www.myedimax.com, Edimax manuals)
	example www.myedimax.com

rule domain domain edimax.com
	vendor Edimax
	conf 55
	from Edimax firmware hosts (edimax.com)
	example download.edimax.com

rule domain re (?:^|\.)(?:lightify-api\.org|osram-lightify\.com|lightify\.com)$
	vendor Osram
	type hub
	conf 70
	from Osram Lightify gateway cloud (emea.lightify-api.org, Lightify REST API documentation)
	example emea.lightify-api.org

rule domain re (?:^|\.)eq-3\.de$|(?:^|\.)eq3\.de$
	vendor eQ-3
	conf 75
	from eQ-3 portal and update servers for MAX! and Homematic gateways (max.eq-3.de, eq-3.de)
	example max.eq-3.de

rule domain re (?:^|\.)homematic(?:-ip)?\.com$|(?:^|\.)homematicip\.com$
	vendor eQ-3
	type hub
	conf 70
	from Homematic IP cloud used by its access point (homematic-ip.com)
	example ps1.homematic-ip.com

rule domain domain fitbit.com
	vendor Fitbit
	conf 55
	from Fitbit cloud (fitbit.com); used by Aria scales and by the Fitbit app
	example www.fitbit.com

rule domain re (?:^|\.)withings\.(?:net|com)$
	vendor Withings
	conf 60
	from Withings cloud (wbsapi.withings.net, withings.com); used by its scales and by the Health Mate app
	example wbsapi.withings.net

rule domain re ^scalews\.withings\.(?:net|com)$
	vendor Withings
	type scale
	conf 80
	from Withings Wi-Fi scales upload to scalews.withings.net (public reverse engineering of the WS-30/WBS01 protocol)
	example scalews.withings.net

rule domain re (?:^|\.)smarter\.am$|(?:^|\.)smarter-cloud\.com$
	vendor Smarter
	type appliance
	conf 70
	from Smarter iKettle and SmarterCoffee cloud (smarter.am)
	example api.smarter.am

# === Philips Hue, Signify WiZ, LIFX, Nanoleaf ===============================
rule domain re ^(?:ws|diag|data|bridge|bridge-api|www2|dcp|cloud)\.meethue\.com$
	vendor Philips Hue
	type hub
	conf 75
	from Hue bridges' cloud connections ws.meethue.com, diag.meethue.com, data.meethue.com (Hue developer documentation, bridge traffic)
	example ws.meethue.com
	example diag.meethue.com
	not account.meethue.com

rule domain domain meethue.com
	vendor Philips Hue
	conf 55
	from meethue.com is the Hue cloud (Hue bridge and the Hue app)
	example api.meethue.com

rule domain re ^(?:dcp\.dc1|www\.ecdinterface)\.philips\.com$
	vendor Philips Hue
	type hub
	conf 70
	from Hue bridge (v1 and early v2 firmware) portal endpoints dcp.dc1.philips.com and www.ecdinterface.philips.com (Hue bridge traffic, public analyses)
	example dcp.dc1.philips.com

rule domain re (?:^|\.)wiz\.world$|(?:^|\.)wizconnected\.com$
	vendor WiZ
	type bulb
	conf 65
	from WiZ (Signify) Wi-Fi lights' cloud (wiz.world)
	example eu.wiz.world

rule domain domain lifx.co
	vendor LIFX
	type bulb
	conf 70
	from LIFX bulbs' cloud v2.broker.lifx.co (LIFX documentation)
	example v2.broker.lifx.co

rule domain domain nanoleaf.me
	vendor Nanoleaf
	type light
	conf 60
	from Nanoleaf cloud (nanoleaf.me)
	example api.nanoleaf.me

# === Tuya, Xiaomi, Baidu, other Chinese platforms =========================
rule domain re (?:^|\.)tuya(?:us|eu|cn|in|ws|a|jp)?\.com$|(?:^|\.)tuyacn\.com$|(?:^|\.)iotbing\.com$
	vendor Tuya
	conf 70
	from Tuya IoT platform endpoints a1-a3.tuyaus/tuyaeu/tuyacn.com (HTTPS API) and m1-m2 (MQTT) used by every Tuya-based device (Tuya developer documentation, tinytuya project)
	example a3.tuyaeu.com
	example m2.tuyaeu.com

rule domain re ^(?:[\w-]+\.)*smartcamera\.api\.io\.mi\.com$|^(?:[\w-]+\.)*camera\.api\.io\.mi\.com$|p2p[\w-]*\.io\.mi\.com$
	vendor Xiaomi
	type camera
	conf 75
	from Mi Home cameras' cloud: business.smartcamera.api.io.mi.com and the P2P video servers (Xiaomi camera firmware traffic, public analyses)
	example business.smartcamera.api.io.mi.com
	example xiaomi8.p2psy1.io.mi.com

rule domain re (?:^|\.)io\.mi\.com$|(?:^|\.)miot-spec\.org$|(?:^|\.)xiaomi\.net$
	vendor Xiaomi
	conf 65
	from Xiaomi IoT cloud ot.io.mi.com / ots.io.mi.com used by Mi ecosystem devices (python-miio, Xiaomi miIO protocol notes)
	example dns.io.mi.com
	example de.ots.io.mi.com

rule domain re ^(?:xiaodu|duerbot[\w-]*|duer[\w-]*|dueros[\w-]*)\.baidu\.com$|^duer[\w-]*\.cdn\.bcebos\.com$
	vendor Baidu
	conf 70
	from Baidu DuerOS / Xiaodu smart devices' cloud (xiaodu.baidu.com, duerbot-open.baidu.com; dueros.baidu.com documentation)
	example xiaodu.baidu.com
	example duer-smart-device.cdn.bcebos.com

rule domain re (?:^|\.)(?:ecouser\.net|ecovacs\.com)$
	vendor Ecovacs
	type vacuum
	conf 75
	from Ecovacs Deebot robots' cloud (ecouser.net)
	example msg-eu.ecouser.net

rule domain re (?:^|\.)roborock\.com$
	vendor Roborock
	type vacuum
	conf 70
	from Roborock robot vacuums' cloud (roborock.com)
	example api-eu.roborock.com

rule domain re (?:^|\.)(?:aqara\.com|aqara\.cn)$
	vendor Aqara
	conf 60
	from Aqara cloud (aqara.com)
	example aiot-rpc.aqara.com

rule domain re (?:^|\.)(?:ezvizlife\.com|ezviz7\.com|ezvizru\.com|hik-connect\.com|hikvision\.com)$
	vendor Hikvision
	type camera
	conf 70
	from Hikvision / EZVIZ camera clouds (ezvizlife.com, hik-connect.com)
	example apiieu.ezvizlife.com

rule domain re (?:^|\.)(?:imoulife\.com|easy4ip\.com|dahuasecurity\.com)$
	vendor Dahua
	type camera
	conf 65
	from Dahua / Imou camera clouds (imoulife.com, easy4ip.com)
	example app.easy4ip.com

rule domain re (?:^|\.)xiaoyi\.com$|(?:^|\.)yitechnology\.com$|(?:^|\.)yi-camera\.com$|(?:^|\.)kamivision\.com$
	vendor Yi
	type camera
	conf 75
	from YI Home / Kami cameras' cloud (xiaoyi.com, yitechnology.com)
	example api.xiaoyi.com

rule domain re (?:^|\.)(?:meross\.com|meross\.cn)$
	vendor Meross
	conf 70
	from Meross devices' MQTT cloud (mqtt-eu.meross.com)
	example mqtt-eu.meross.com

rule domain re (?:^|\.)(?:shelly\.cloud|shelly-cloud\.com)$
	vendor Shelly
	conf 70
	from Shelly Cloud (shelly.cloud)
	example shelly-3-eu.shelly.cloud

rule domain re (?:^|\.)(?:coolkit\.cc|coolkit\.cn|itead\.cc)$
	vendor Sonoff
	conf 65
	from ITEAD Sonoff / eWeLink devices' cloud (coolkit.cc)
	example eu-disp.coolkit.cc

rule domain re (?:^|\.)(?:govee\.com)$
	vendor Govee
	type light
	conf 55
	from Govee lights' cloud (govee.com)
	example app2.govee.com

# === Amazon, Google, Apple, Samsung, Sonos, Roku ===========================
rule domain re ^(?:avs-alexa[\w-]*|bob-dispatch[\w-]*|device-metrics-us[\w-]*|dcape-na|todo-ta-g7g|arcus-uswest|latinum|softwareupdates|device-messaging-na|api\.amazonalexa|msh|unagi-na)\.amazon(?:alexa)?\.com$|(?:^|\.)amazonalexa\.com$
	vendor Amazon
	type voice-assistant
	conf 65
	from Echo devices' Alexa Voice Service and device endpoints (avs-alexa-*.amazon.com, device-metrics-us.amazon.com, *.amazonalexa.com) (Amazon AVS documentation, public Echo traffic analyses)
	example avs-alexa-na.amazon.com
	example device-metrics-us.amazon.com
	example api.amazonalexa.com

rule domain re (?:^|\.)(?:atv-ext|atv-ps|firetv)[\w.-]*\.amazon\.com$|(?:^|\.)amazonvideo\.com$|(?:^|\.)aiv-cdn\.net$
	vendor Amazon
	type media-player
	conf 45
	from Fire TV and Prime Video endpoints (atv-ext.amazon.com, amazonvideo.com); Prime Video also plays on TVs and phones
	example atv-ext.amazon.com

rule domain re (?:^|\.)immedia-semi\.com$|(?:^|\.)blinkforhome\.com$
	vendor Amazon Blink
	type camera
	conf 75
	from Blink cameras' cloud rest-*.immedia-semi.com (Blink; public analyses)
	example rest-prod.immedia-semi.com

rule domain re (?:^|\.)ring\.com$|(?:^|\.)ringdevices\.com$
	vendor Ring
	type doorbell
	conf 55
	from Ring doorbells and cameras' cloud (fw.ring.com, es.ring.com) (Ring support: network requirements)
	example fw.ring.com

rule domain re (?:^|\.)(?:nest\.com|nestlabs\.com|dropcam\.com)$
	vendor Google Nest
	conf 65
	from Nest devices' cloud (frontdoor.nest.com, transport*.home.nest.com, dropcam.com) (Google Nest help: network requirements)
	example frontdoor.nest.com

rule domain re ^(?:nexus|nexusapi|[\w-]*\.camera)\.(?:dropcam|nest)\.com$|(?:^|\.)dropcam\.com$
	vendor Google Nest
	type camera
	conf 70
	from Nest Cam / Dropcam streaming and API hosts (Google Nest help)
	example nexusapi.dropcam.com

rule domain re ^(?:tools|clients3)\.google\.com$|^connectivitycheck\.gstatic\.com$
	software Google services
	conf 20
	from Google connectivity checks and update hosts used by Android, ChromeOS and Cast devices (AOSP)
	example connectivitycheck.gstatic.com

rule domain re ^(?:[\w-]+\.)?(?:cast|chromecast)[\w-]*\.(?:google|gstatic)\.com$|^castedge[\w-]*\.googleapis\.com$
	vendor Google
	type media-player
	conf 50
	from Google Cast receivers' endpoints (Google Cast documentation)
	example castedge-pa.googleapis.com

rule domain re ^(?:[\w-]*\.)?smartthings\.com$
	vendor Samsung SmartThings
	conf 65
	from SmartThings cloud: hubs connect to connectivity.smartthings.com, dc.connect.smartthings.com and fw-update*.smartthings.com (SmartThings developer documentation)
	example connectivity.smartthings.com

rule domain re ^(?:connectivity|dc\.connect|fw-update\d*|hub|device|st-connect)\.smartthings\.com$
	vendor Samsung SmartThings
	type hub
	conf 70
	from SmartThings hubs' own endpoints (hub connectivity and firmware update hosts) (SmartThings documentation)
	example fw-update2.smartthings.com
	example hub.smartthings.com
	not api.smartthings.com

rule domain re (?:^|\.)(?:samsungcloudsolution\.(?:com|net)|samsungotn\.net|samsungacr\.com|samsungqbe\.com|samsungelectronics\.com|samsungrm\.net|tizen\.org)$
	vendor Samsung
	type tv
	conf 65
	from Samsung smart TVs' services: samsungcloudsolution.com, samsungotn.net (OTN updates), samsungacr.com (ACR) (Samsung TV network requirements; public analyses)
	example otnprd10.samsungcloudsolution.net
	example log-config.samsungacr.com

rule domain re (?:^|\.)(?:lgtvsdp\.com|lgsmartad\.com|lgtvcommon\.com|lgappstv\.com|lgthinq\.com)$
	vendor LG
	type tv
	conf 65
	from LG webOS TVs' services lgtvsdp.com, lgsmartad.com, lgappstv.com (LG TV network requirements; public analyses)
	example us.lgtvsdp.com

rule domain re (?:^|\.)(?:vizio\.com|tvinteractive\.tv|smartcast\.vizio\.com)$
	vendor Vizio
	type tv
	conf 60
	from Vizio SmartCast TVs' services (vizio.com, tvinteractive.tv)
	example tvinteractive.tv

rule domain re (?:^|\.)(?:roku\.com|rokutime\.com|ravm\.tv)$
	vendor Roku
	type media-player
	conf 65
	from Roku players' and TVs' services (roku.com, rokutime.com) (Roku developer documentation)
	example scribe.logs.roku.com

rule domain re (?:^|\.)(?:sonos\.com|sonos\.net|ws\.sonos\.com)$
	vendor Sonos
	type speaker
	conf 70
	from Sonos players' cloud (sonos.com, update.sonos.com) (Sonos support: network requirements)
	example update-firmware.sonos.com

rule domain re (?:^|\.)(?:bose\.com|bose\.io|bose-prod\.apigee\.net)$
	vendor Bose
	type speaker
	conf 60
	from Bose speakers' cloud (bose.io, worldwide.bose.com)
	example streaming.bose.com

rule domain re (?:^|\.)(?:ecobee\.com)$
	vendor ecobee
	type thermostat
	conf 70
	from ecobee thermostats' cloud (ecobee.com)
	example api.ecobee.com

rule domain re (?:^|\.)(?:tado\.com)$
	vendor tado
	type thermostat
	conf 65
	from tado cloud (tado.com)
	example my.tado.com

rule domain re (?:^|\.)(?:mytotalconnectcomfort\.com|alarmnet\.com|honeywellhome\.com|resideo\.com)$
	vendor Honeywell
	type thermostat
	conf 55
	from Honeywell Home thermostats' cloud (mytotalconnectcomfort.com) (Resideo documentation)
	example mytotalconnectcomfort.com

rule domain re (?:^|\.)(?:netatmo\.net|netatmo\.com)$
	vendor Netatmo
	conf 65
	from Netatmo devices' cloud (netatmo.net)
	example app.netatmo.net

rule domain re (?:^|\.)(?:irobotapi\.com|irobot\.com|iot\.irobot\.com)$
	vendor iRobot
	type vacuum
	conf 75
	from iRobot Roomba cloud (irobotapi.com) (iRobot support: network requirements)
	example disc-prod.iot.irobotapi.com

rule domain re (?:^|\.)(?:neatocloud\.com|neatorobotics\.com)$
	vendor Neato
	type vacuum
	conf 75
	from Neato Botvac cloud (neatocloud.com)
	example nucleo.neatocloud.com

rule domain re (?:^|\.)(?:arlo\.com|arlo\.netgear\.com)$
	vendor Arlo
	type camera
	conf 70
	from Arlo cameras' cloud (arlo.com) (Arlo support: network requirements)
	example arlo.arlo.com

rule domain re (?:^|\.)(?:wyzecam\.com|wyze\.com|wyzeapi\.com)$
	vendor Wyze
	conf 65
	from Wyze devices' cloud (wyzecam.com, api.wyzecam.com)
	example api.wyzecam.com

rule domain re (?:^|\.)(?:eufylife\.com|eufy\.com|anker-in\.com)$
	vendor Eufy
	conf 60
	from Eufy devices' cloud (eufylife.com)
	example security-app-eu.eufylife.com

rule domain re (?:^|\.)(?:reolink\.com|reolink\.com\.cn)$
	vendor Reolink
	type camera
	conf 70
	from Reolink cameras' cloud and update hosts (reolink.com)
	example p2p.reolink.com

rule domain re (?:^|\.)(?:canary\.is|canaryis\.com)$
	vendor Canary
	type camera
	conf 70
	from Canary cameras' cloud (canary.is)
	example api.canary.is

rule domain re (?:^|\.)(august\.com|august\.net|yale\.com|yalehome\.com|nuki\.io|schlage\.com|allegion\.com|kwikset\.com|lockly\.com|u-tec\.com|ultraloq\.com|sifely\.com|ttlock\.com|sciener\.com)$
	type lock
	conf 55
	from smart locks' and lock gateways' clouds: August, Yale, Nuki, Schlage/Allegion, Kwikset, Lockly, Ultraloq, Sifely/TTLock (vendors' documentation)
	example api-production.august.com
	example api.allegion.com

rule domain re (?:^|\.)(?:schlage|allegion)\.com$
	vendor Schlage
	conf 65
	from Schlage (Allegion) locks' cloud (schlage.com documentation)
	example api.allegion.com

rule domain re (?:^|\.)(?:august\.com|august\.net)$
	vendor August
	conf 65
	from August locks' cloud (august.com)
	example api-production.august.com

rule domain re (?:^|\.)nuki\.io$
	vendor Nuki
	conf 65
	from Nuki bridges' cloud (nuki.io)
	example api.nuki.io

rule domain re (?:^|\.)(?:lutron\.com|lutron\.io)$
	vendor Lutron
	type hub
	conf 60
	from Lutron bridges' cloud (device-login.lutron.com)
	example device-login.lutron.com

rule domain re (?:^|\.)(?:myharmony\.com|harmonyremote\.com)$
	vendor Logitech
	type hub
	conf 70
	from Logitech Harmony Hub cloud (myharmony.com)
	example svcs.myharmony.com

rule domain re (?:^|\.)(?:dyson\.com|dysoncloud\.com|cp\.dyson\.com)$
	vendor Dyson
	type appliance
	conf 65
	from Dyson connected appliances' cloud (dyson.com)
	example appapi.cp.dyson.com

rule domain re (?:^|\.)(?:home-connect\.com|bsh-group\.com|miele\.com|mcs3\.miele\.com|electrolux\.com|whirlpool\.com|smartthinq\.com|lgthinq\.com|haier\.net|midea\.com\.cn|msmartlife\.cn|thermomix\.com|cookidoo\.\w+|anovaculinary\.com|traegergrills\.com|onepeloton\.com)$
	type appliance
	conf 60
	from connected appliances' clouds: Home Connect (Bosch/Siemens), Miele, Electrolux, Whirlpool, LG ThinQ, Haier, Midea, Thermomix, Anova, Traeger, Peloton (vendors' documentation)
	example api.home-connect.com
	example aic.lgthinq.com

rule domain re (?:^|\.)(?:hp\.com|hpeprint\.com|hp-printer[\w-]*\.com|hpsmart\.com)$
	vendor HP
	conf 35
	from HP printers' cloud (hpeprint.com, ePrint, HP Smart); hp.com is also HP PCs' (HP ePrint documentation)
	example xmpp001.hpeprint.com

rule domain re (?:^|\.)hpeprint\.com$|^[\w.-]*printer[\w.-]*\.hp\.com$
	vendor HP
	type printer
	conf 70
	from HP ePrint: printers keep a connection to *.hpeprint.com (HP ePrint documentation)
	example chat.hpeprint.com

rule domain re (?:^|\.)(?:epsonconnect\.com|epson\.net|epson\.com)$
	vendor Epson
	type printer
	conf 60
	from Epson Connect printers' cloud (epsonconnect.com)
	example www.epsonconnect.com

rule domain re (?:^|\.)(?:brother\.com|brother\.co\.jp|brother-ism\.com)$
	vendor Brother
	type printer
	conf 55
	from Brother printers' update and web-connect hosts (brother.com)
	example update.brother.co.jp

rule domain re (?:^|\.)(?:canon\.com|c-ij\.com|canon\.co\.jp|ij\.start\.canon)$
	vendor Canon
	type printer
	conf 50
	from Canon printers' cloud and update hosts (c-ij.com, canon.com)
	example gdlp01.c-ij.com

rule domain re (?:^|\.)(?:nintendo\.net|nintendo\.com|nintendowifi\.net|nintendo-europe\.com)$
	vendor Nintendo
	type game-console
	conf 75
	from Nintendo consoles' network services *.nintendo.net, *.baas.nintendo.com, nintendowifi.net (nDPI Nintendo protocol hosts)
	example e0d67c509fb203858ebcb2fe3f88c2aa.baas.nintendo.com
	example conntest.nintendowifi.net

rule domain re (?:^|\.)(?:playstation\.net|playstation\.com|sonyentertainmentnetwork\.com)$
	vendor Sony
	type game-console
	conf 70
	from PlayStation Network hosts (*.playstation.net) (nDPI PlayStation protocol hosts)
	example auth.np.ac.playstation.net

rule domain re (?:^|\.)(?:xboxlive\.com|xbox\.com|xboxservices\.com)$
	vendor Microsoft
	type game-console
	conf 55
	from Xbox Live services (*.xboxlive.com); Windows PCs use some of them too (nDPI Xbox hosts)
	example title.mgt.xboxlive.com

rule domain re (?:^|\.)(?:ubnt\.com|ui\.com|unifi-ai\.com)$
	vendor Ubiquiti
	conf 60
	from Ubiquiti devices' update and cloud hosts (fw-update.ubnt.com, ui.com)
	example fw-update.ubnt.com

rule domain re (?:^|\.)(?:meraki\.com|meraki\.net)$
	vendor Cisco Meraki
	type router
	conf 65
	from Meraki devices' cloud (*.meraki.com) (Meraki documentation: cloud connectivity)
	example dashboard.meraki.com

rule domain re (?:^|\.)(?:synology\.com|quickconnect\.to|synology\.me)$
	vendor Synology
	type nas
	conf 65
	from Synology DSM update and QuickConnect hosts (synology.com, quickconnect.to)
	example update7.synology.com

rule domain re (?:^|\.)(?:qnap\.com|myqnapcloud\.com)$
	vendor QNAP
	type nas
	conf 65
	from QNAP QTS update and myQNAPcloud hosts (qnap.com)
	example update.qnap.com

# === Phones, computers, user apps =========================================
rule domain re ^(?:captive|gsp\d+-ssl\.ls|mesu|iphone-ld|init-p01md|gs-loc|gsa|gateway\.icloud|[\w-]+\.icloud)\.(?:apple|icloud)\.com$|(?:^|\.)icloud\.com$
	vendor Apple
	conf 50
	from Apple services contacted by iPhones, iPads and Macs (captive.apple.com, mesu.apple.com, *.icloud.com) (Apple support: hosts used by Apple products)
	example captive.apple.com
	example p26-keyvalueservice.icloud.com

rule domain re ^(?:iphone-ld|ios-ld|gs-loc)\.apple\.com$
	vendor Apple
	type phone
	conf 45
	from iOS-only service hosts (iphone-ld.apple.com) (Apple support: hosts used by Apple products)
	example iphone-ld.apple.com

rule domain re ^(?:www\.msftconnecttest\.com|www\.msftncsi\.com|settings-win\.data\.microsoft\.com|v10\.events\.data\.microsoft\.com|ctldl\.windowsupdate\.com|[\w-]+\.update\.microsoft\.com)$
	os Windows
	type computer
	conf 45
	from Windows connectivity checks (NCSI), telemetry and Windows Update hosts (Microsoft documentation)
	example www.msftconnecttest.com

rule domain re ^(?:connectivitycheck\.android\.com|android\.clients\.google\.com|android\.googleapis\.com|play\.googleapis\.com|mtalk\.google\.com)$
	os Android
	type phone
	conf 40
	from Android's connectivity check, Google Play and Firebase push endpoints (AOSP, Google documentation); Android TVs use some of them too
	example android.clients.google.com
	example play.googleapis.com

rule domain re (?:^|\.)(?:whatsapp\.net|whatsapp\.com|instagram\.com|cdninstagram\.com|snapchat\.com|tiktokv\.com|tiktokcdn\.com|slack\.com|signal\.org|telegram\.org|t\.me|messenger\.com|fbcdn\.net|spotify\.com|discord\.com|zoom\.us|teams\.microsoft\.com)$
	type phone
	conf 20
	from social, messaging and collaboration apps run on phones and computers, not on IoT devices (nDPI application host lists)
	example slack.com
	example mmg.whatsapp.net
