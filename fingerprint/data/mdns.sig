# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# mdns.sig: DNS-SD (RFC 6763) service types a device announces over mDNS
# (RFC 6762), and the TXT items of its announcements. Service types are
# matched without the ".local" domain ("_hue._tcp"); TXT items one at a
# time ("model=iMac12,2"). Only records a device gives about itself count
# (answers, additional records and probes' proposed records; not the known
# answers of a query).

# === Service types ==========================================================
rule mdns_service exact _hue._tcp
	vendor Philips Hue
	type hub
	model Hue Bridge
	conf 85
	from Philips Hue bridges announce _hue._tcp (Hue developer documentation, "Bridge discovery")
	example _hue._tcp

rule mdns_service exact _smartthings._tcp
	vendor Samsung SmartThings
	type hub
	conf 80
	from SmartThings hubs announce _smartthings._tcp (SmartThings developer documentation)
	example _smartthings._tcp

rule mdns_service exact _sonos._tcp
	vendor Sonos
	type speaker
	conf 80
	from Sonos players announce _sonos._tcp (IANA service names registry)
	example _sonos._tcp

rule mdns_service exact _googlecast._tcp
	type media-player
	conf 45
	from Google Cast receivers announce _googlecast._tcp: Chromecast, Google/Nest speakers and displays, TVs with Cast (Google Cast documentation); the TXT md= item names the model
	example _googlecast._tcp

rule mdns_service exact _googlezone._tcp
	vendor Google
	type voice-assistant
	conf 50
	from Google Home speakers announce _googlezone._tcp for speaker groups (Google Cast, public reverse engineering)
	example _googlezone._tcp

rule mdns_service exact _airplay._tcp
	type media-player
	conf 30
	from AirPlay receivers announce _airplay._tcp: Apple TV, AirPlay speakers and TVs, and recent Macs (Apple AirPlay documentation)
	example _airplay._tcp

rule mdns_service exact _raop._tcp
	type speaker
	conf 25
	from AirPlay audio receivers announce _raop._tcp (Apple AirPlay documentation)
	example _raop._tcp

rule mdns_service re ^_(?:appletv-v2|appletv|touch-able|mediaremotetv)\._tcp$
	vendor Apple
	type media-player
	conf 70
	from Apple TV announces _appletv-v2, _touch-able (Remote app) and _mediaremotetv (IANA service names registry: Apple)
	example _touch-able._tcp
	example _appletv-v2._tcp

rule mdns_service re ^_(?:companion-link|apple-mobdev2|homekit|rdlink|asquic|airdrop)\._(?:tcp|udp)$
	vendor Apple
	conf 60
	from Apple devices announce Continuity (_companion-link), _apple-mobdev2, _homekit (home hubs) and AirDrop services (IANA service names registry: Apple)
	example _companion-link._tcp

rule mdns_service exact _sleep-proxy._udp
	vendor Apple
	conf 50
	from Bonjour Sleep Proxy servers are Apple TVs, AirPort base stations and HomePods (Apple documentation)
	example _sleep-proxy._udp

rule mdns_service exact _airport._tcp
	vendor Apple
	type router
	conf 80
	from AirPort base stations and Time Capsules announce _airport._tcp (IANA service names registry: Apple)
	example _airport._tcp

rule mdns_service exact _adisk._tcp
	type nas
	conf 35
	from _adisk._tcp announces Time Machine disks: Time Capsule, NAS, or a Mac sharing a disk (Apple documentation)
	example _adisk._tcp

rule mdns_service re ^_(?:ipp|ipps|printer|pdl-datastream)\._tcp$
	type printer
	conf 60
	from printing services (IPP RFC 8010/8011, LPD, raw port 9100) of the Bonjour Printing Specification; a computer sharing a printer announces them too
	example _ipp._tcp
	example _pdl-datastream._tcp

rule mdns_service re ^_(?:uscan|uscans|scanner)\._tcp$
	type printer
	conf 45
	from scanning services (eSCL _uscan, _scanner) of multifunction printers (Mopria eSCL, IANA registry)
	example _uscan._tcp

rule mdns_service exact _privet._tcp
	type printer
	conf 50
	from Google Cloud Print local discovery, used by printers (Google Cloud Print documentation)
	example _privet._tcp

rule mdns_service exact _axis-video._tcp
	vendor Axis
	type camera
	conf 85
	from Axis network cameras announce _axis-video._tcp (IANA service names registry)
	example _axis-video._tcp

rule mdns_service re ^_(?:rtsp|onvif)\._tcp$
	type camera
	conf 40
	from RTSP (RFC 7826) and ONVIF services are mostly IP cameras' (IANA registry, ONVIF core specification)
	example _rtsp._tcp

rule mdns_service exact _amzn-wplay._tcp
	vendor Amazon
	type media-player
	conf 60
	from Amazon Fire TV announces _amzn-wplay._tcp for casting (Amazon developer documentation)
	example _amzn-wplay._tcp

rule mdns_service exact _amzn-alexa._tcp
	vendor Amazon
	type voice-assistant
	conf 60
	from Alexa devices' local discovery service (Amazon developer documentation)
	example _amzn-alexa._tcp

rule mdns_service exact _spotify-connect._tcp
	type speaker
	conf 25
	from Spotify Connect receivers announce _spotify-connect._tcp (Spotify developer documentation)
	example _spotify-connect._tcp

rule mdns_service re ^_(?:androidtvremote|androidtvremote2)\._tcp$
	type tv
	conf 55
	from Android TV devices announce the remote-control service _androidtvremote2._tcp (Android TV documentation)
	example _androidtvremote2._tcp

rule mdns_service exact _viziocast._tcp
	vendor Vizio
	type tv
	conf 80
	from Vizio SmartCast TVs (Vizio developer documentation)
	example _viziocast._tcp

rule mdns_service re ^_(?:lg-smart-device|webos-second-screen)\._tcp$
	vendor LG
	type tv
	conf 65
	from LG webOS TVs' second-screen service (LG webOS TV developer documentation)
	example _webos-second-screen._tcp

rule mdns_service exact _nanoleafapi._tcp
	vendor Nanoleaf
	type light
	conf 85
	from Nanoleaf panels announce _nanoleafapi._tcp (Nanoleaf OpenAPI documentation)
	example _nanoleafapi._tcp

rule mdns_service exact _wled._tcp
	type light
	conf 70
	from WLED LED controllers announce _wled._tcp (WLED documentation)
	example _wled._tcp

rule mdns_service exact _elg._tcp
	vendor Elgato
	type light
	conf 70
	from Elgato Key Light / Light Strip announce _elg._tcp (Elgato Control Center, public API notes)
	example _elg._tcp

rule mdns_service exact _lutron._tcp
	vendor Lutron
	type hub
	conf 80
	from Lutron Caseta Smart Bridge and RA processors announce _lutron._tcp (Lutron integration documentation)
	example _lutron._tcp

rule mdns_service exact _shelly._tcp
	vendor Shelly
	conf 80
	from Shelly devices announce _shelly._tcp (Shelly API documentation)
	example _shelly._tcp

rule mdns_service exact _miio._udp
	vendor Xiaomi
	conf 70
	from Xiaomi miIO devices announce _miio._udp (python-miio project)
	example _miio._udp

rule mdns_service re ^_(?:homeassistant|home-assistant)\._tcp$
	type hub
	conf 70
	from Home Assistant announces _home-assistant._tcp (Home Assistant documentation)
	example _home-assistant._tcp

rule mdns_service re ^_(?:meshcop|trel)\._udp$
	type hub
	conf 35
	from Thread border routers announce _meshcop._udp and _trel._udp: hubs, smart speakers and TV boxes acting as border routers (Thread 1.3 specification, OpenThread)
	example _meshcop._udp

rule mdns_service re ^_(?:hap)\._(?:tcp|udp)$
	software HomeKit accessory
	conf 40
	from HomeKit accessories announce _hap._tcp; their category is the TXT item ci= (HomeKit Accessory Protocol specification)
	example _hap._tcp

rule mdns_service re ^_(?:matter|matterc)\._(?:tcp|udp)$
	software Matter
	conf 40
	from Matter devices announce _matter._tcp (operational) and _matterc._udp (commissionable) (Matter core specification, CSA)
	example _matter._tcp

rule mdns_service exact _workstation._tcp
	type computer
	conf 40
	from Linux hosts running Avahi announce _workstation._tcp (Avahi documentation); NAS appliances do too
	example _workstation._tcp

rule mdns_service re ^_(?:rfb|ssh|sftp-ssh|daap|dpap|nfs|afpovertcp)\._tcp$
	type computer
	conf 25
	from remote access and sharing services (VNC, SSH, iTunes/photo sharing, NFS, AFP) are mostly computers' (IANA registry)
	example _rfb._tcp

rule mdns_service exact _smb._tcp
	type computer
	conf 20
	from SMB file sharing: computers and NAS (IANA registry)
	example _smb._tcp

rule mdns_service re ^_(?:ecobee|ecobee-api)\._tcp$
	vendor ecobee
	type thermostat
	conf 80
	from ecobee thermostats (ecobee documentation)
	example _ecobee._tcp

rule mdns_service exact _roku._tcp
	vendor Roku
	type media-player
	conf 75
	from Roku players (Roku developer documentation)
	example _roku._tcp

rule mdns_service exact _dcp._tcp
	vendor D-Link
	conf 35
	from D-Link mydlink cameras announce _dcp._tcp next to _http._tcp (D-Link DCS firmware, observed in public captures)
	example _dcp._tcp

rule mdns_service exact _esphomelib._tcp
	vendor Espressif @30
	conf 30
	from ESPHome firmware on ESP8266/ESP32 boards announces _esphomelib._tcp (ESPHome documentation)
	example _esphomelib._tcp

# === TXT items ===============================================================
# Apple model identifiers in _device-info._tcp, _airplay, _raop and
# _airport TXT records (model=, am=, "model=" of the device-info record).
rule mdns_txt re ^(?:model|am)=(iMac[\d,]*|MacBook(?:Pro|Air)?[\d,]*|Macmini[\d,]*|MacPro[\d,]*|Mac\d{2},\d+|PowerMac[\d,]*|PowerBook[\d,]*|RackMac[\d,]*|Xserve[\d,]*)
	vendor Apple
	type computer
	os macOS
	model $1
	conf 85
	from Apple model identifiers of Macs (iMac12,2, MacBookPro5,4, Macmini9,1, Mac14,2) in Bonjour device-info TXT records (Apple Bonjour documentation, Apple model identifier lists)
	example model=iMac12,2 => model=iMac12,2; type=computer
	example model=MacBookPro5,4

rule mdns_txt re ^(?:model|am)=(iPhone[\d,]+)
	vendor Apple
	type phone
	os iOS
	model $1
	conf 85
	from Apple model identifiers iPhoneNN,N (Apple model identifier lists)
	example model=iPhone12,1

rule mdns_txt re ^(?:model|am)=(iPad[\d,]+)
	vendor Apple
	type tablet
	os iPadOS
	model $1
	conf 85
	from Apple model identifiers iPadNN,N (Apple model identifier lists)
	example model=iPad7,5

rule mdns_txt re ^(?:model|am)=(AppleTV[\d,]+)
	vendor Apple
	type media-player
	os tvOS
	model $1
	conf 85
	from Apple TV model identifiers AppleTVN,N in AirPlay TXT records (Apple model identifier lists)
	example am=AppleTV2,1 => model=AppleTV2,1

rule mdns_txt re ^model=([JK]\d{2,3}[a-z]?AP)$
	vendor Apple
	type media-player
	model $1 @45
	conf 75
	from Apple TV board identifiers (K66AP, J33AP, J105aAP) in AirPlay TXT model= (Apple device identifier lists)
	example model=K66AP

rule mdns_txt re ^(?:model|am)=(AudioAccessory[\d,]+)
	vendor Apple
	type speaker
	model HomePod $1
	conf 85
	from HomePod model identifiers AudioAccessoryN,N (Apple model identifier lists)
	example model=AudioAccessory5,1

rule mdns_txt re ^(?:model|am)=((?:AirPort|TimeCapsule)\d+,\d+)
	vendor Apple
	type router
	model $1
	conf 85
	from AirPort Extreme/Express and Time Capsule model identifiers (AirPortN,NNN, TimeCapsuleN,NNN) in _airport TXT (Apple)
	example model=AirPort5,104 => model=AirPort5,104
	example model=TimeCapsule6,113
	example am=AirPort4,107

rule mdns_txt re ^(?:model|am)=(Watch\d+,\d+)
	vendor Apple
	type wearable
	model Apple $1
	conf 85
	from Apple Watch model identifiers WatchN,N (Apple)
	example model=Watch5,2

rule mdns_txt re (?:^|,)syVs=([\d.]+)
	vendor Apple
	firmware $1
	conf 70
	from AirPort base stations give their firmware version as syVs in the _airport TXT record (Apple AirPort Utility behaviour, public notes)
	example waMA=00-16-CB-C5-7E-E2,raMA=00-1B-63-2B-9F-22,syDs=Apple Base Station V7.4.2,syAP=104,syVs=7.4.2,srcv=74200.9 => firmware=7.4.2

rule mdns_txt re ^osxvers=(\d+)
	vendor Apple
	os macOS
	conf 60
	from _device-info osxvers is the Darwin major version of macOS (Apple Bonjour documentation)
	example osxvers=17

rule mdns_txt re ^rpVr=
	vendor Apple
	conf 50
	from Apple Continuity (rapport) TXT items rpVr/rpHN/rpBA (public reverse engineering of Apple's companion-link)
	example rpVr=152.1

# Google Cast: md= model name, fn= friendly name.
rule mdns_txt re ^md=(Chromecast[\w ]*)
	vendor Google
	type media-player
	model $1
	conf 80
	from Google Cast TXT md= is the model: Chromecast, Chromecast Ultra, Chromecast with Google TV (Google Cast documentation)
	example md=Chromecast Ultra => model=Chromecast Ultra

rule mdns_txt re ^md=((?:Google Home|Google Nest|Nest)(?: Mini| Max| Audio)?)$
	vendor Google
	type voice-assistant
	model $1
	conf 80
	from Google Cast TXT md= of Google Home / Nest speakers (Google Cast documentation)
	example md=Google Home Mini
	example md=Google Nest Mini
	not md=Google Nest Hub

rule mdns_txt re ^md=((?:Google )?Nest Hub(?: Max)?|Google Home Hub)
	vendor Google
	type display
	model $1
	conf 80
	from Google Cast TXT md= of Nest Hub smart displays (Google Cast documentation)
	example md=Google Nest Hub

rule mdns_txt re ^md=(BSB00\d)$
	vendor Philips Hue
	type hub
	model Hue Bridge $1
	conf 85
	from Hue bridges' HomeKit TXT md= is the bridge model id (Hue developer documentation)
	example md=BSB002

rule mdns_txt re ^md=([A-Za-z][^=]{1,39})$
	model $1
	conf 50
	from TXT md= carries the model in Google Cast and HomeKit (_hap) records (Google Cast documentation, HomeKit Accessory Protocol specification)
	example md=BSB002
	not md=0,1,2

rule mdns_txt re ^modelid=(.+)
	model $1
	conf 60
	from TXT modelid= of Hue bridges and other devices (Hue developer documentation)
	example modelid=BSB002

rule mdns_txt re ^bridgeid=[0-9a-f]{16}$
	vendor Philips Hue
	type hub
	conf 80
	from Hue bridges' _hue._tcp TXT bridgeid= (Hue developer documentation)
	example bridgeid=001788fffe74c2dc

# HomeKit accessory category (HAP specification, section "Accessory Categories").
rule mdns_txt re ^ci=2$
	type hub
	conf 60
	from HomeKit ci=2 is a bridge (HomeKit Accessory Protocol specification, accessory categories)
	example ci=2

rule mdns_txt re ^ci=5$
	type bulb
	conf 60
	from HomeKit ci=5 is a lightbulb (HAP specification)
	example ci=5

rule mdns_txt re ^ci=6$
	type lock
	conf 60
	from HomeKit ci=6 is a door lock (HAP specification)
	example ci=6

rule mdns_txt re ^ci=7$
	type plug
	conf 60
	from HomeKit ci=7 is an outlet (HAP specification)
	example ci=7

rule mdns_txt re ^ci=(?:8|15)$
	type switch
	conf 60
	from HomeKit ci=8 is a switch, ci=15 a programmable switch (HAP specification)
	example ci=8

rule mdns_txt re ^ci=9$
	type thermostat
	conf 60
	from HomeKit ci=9 is a thermostat (HAP specification)
	example ci=9

rule mdns_txt re ^ci=(?:10|11)$
	type sensor
	conf 55
	from HomeKit ci=10 is a sensor, ci=11 a security system (HAP specification)
	example ci=10

rule mdns_txt re ^ci=17$
	type camera
	conf 60
	from HomeKit ci=17 is an IP camera (HAP specification)
	example ci=17

rule mdns_txt re ^ci=18$
	type doorbell
	conf 60
	from HomeKit ci=18 is a video doorbell (HAP specification)
	example ci=18

rule mdns_txt re ^ci=(?:3|19|20|21|22|23|28|29|30)$
	type appliance
	conf 55
	from HomeKit categories fan (3), air purifier (19), heater (20), air conditioner (21), humidifier (22), dehumidifier (23), sprinkler (28), faucet (29), shower (30) (HAP specification)
	example ci=19

rule mdns_txt re ^ci=(?:31|35|36)$
	type tv
	conf 55
	from HomeKit categories television (31), set-top box (35), streaming stick (36) (HAP specification)
	example ci=31

rule mdns_txt re ^ci=34$
	type speaker
	conf 55
	from HomeKit category audio receiver (34) (HAP specification)
	example ci=34

rule mdns_txt re ^ci=33$
	type router
	conf 60
	from HomeKit category Wi-Fi router (33) (HAP specification)
	example ci=33

# Matter device types (Matter Device Library Specification, CSA): the
# commissionable announcement's TXT DT= is the primary device type, decimal.
rule mdns_txt re ^DT=(?:256|257|268|269)$
	type bulb
	conf 60
	from Matter device types 0x0100 On/Off Light, 0x0101 Dimmable Light, 0x010C Color Temperature Light, 0x010D Extended Color Light (Matter device library)
	example DT=269

rule mdns_txt re ^DT=(?:266|267)$
	type plug
	conf 60
	from Matter device types 0x010A On/Off Plug-in Unit, 0x010B Dimmable Plug-in Unit (Matter device library)
	example DT=266

rule mdns_txt re ^DT=(?:259|260|261|15)$
	type switch
	conf 60
	from Matter device types 0x0103 On/Off Light Switch, 0x0104 Dimmer Switch, 0x0105 Color Dimmer Switch, 0x000F Generic Switch (Matter device library)
	example DT=259

rule mdns_txt re ^DT=10$
	type lock
	conf 60
	from Matter device type 0x000A Door Lock (Matter device library)
	example DT=10

rule mdns_txt re ^DT=769$
	type thermostat
	conf 60
	from Matter device type 0x0301 Thermostat (Matter device library)
	example DT=769

rule mdns_txt re ^DT=(?:21|262|263|770|775|118|67|774|44)$
	type sensor
	conf 60
	from Matter sensor device types: contact (0x0015), light (0x0106), occupancy (0x0107), temperature (0x0302), humidity (0x0307), smoke/CO alarm (0x0076), water leak (0x0043), flow, air quality (Matter device library)
	example DT=21

rule mdns_txt re ^DT=(?:35|36|40)$
	type media-player
	conf 55
	from Matter device types casting video player (0x0023), content app, basic video player (0x0028) (Matter device library)
	example DT=35

rule mdns_txt re ^DT=34$
	type speaker
	conf 55
	from Matter device type speaker (0x0022) (Matter device library)
	example DT=34

rule mdns_txt re ^DT=(?:14|22)$
	type hub
	conf 50
	from Matter device types aggregator (0x000E, a bridge) and root node (Matter device library)
	example DT=14

rule mdns_txt re ^DT=116$
	type vacuum
	conf 60
	from Matter device type 0x0074 Robotic Vacuum Cleaner (Matter device library)
	example DT=116

rule mdns_txt re ^DT=(?:43|112|113|114|115|117|120|121|122|123|124|45|114)$
	type appliance
	conf 55
	from Matter appliance device types: fan (0x002B), refrigerator (0x0070), room air conditioner (0x0072), laundry washer (0x0073), dishwasher (0x0075), cooktop, oven, air purifier (0x002D) (Matter device library)
	example DT=117

# Printers (Bonjour Printing Specification 1.2): ty= make and model,
# usb_MFG/usb_MDL, product=(...).
rule mdns_txt re ^ty=(.+)
	type printer
	model $1
	conf 65
	from Bonjour printing TXT ty= is the printer's make and model (Apple Bonjour Printing Specification)
	example ty=HP OfficeJet Pro 8710 => model=HP OfficeJet Pro 8710

rule mdns_txt re ^usb_MFG=(.+)
	vendor $1
	type printer
	conf 60
	from Bonjour printing TXT usb_MFG= is the printer's manufacturer (Apple Bonjour Printing Specification)
	example usb_MFG=Brother

rule mdns_txt re ^product=\((.+)\)$
	type printer
	model $1
	conf 60
	from Bonjour printing TXT product=(...) is the PostScript product name (Apple Bonjour Printing Specification)
	example product=(HP LaserJet M404dn)

# Other devices.
rule mdns_txt re ^(?:manufacturer|mf|vendor)=([A-Za-z][^=]{1,40})$
	vendor $1
	conf 50
	from common TXT keys for the manufacturer (DNS-SD practice, RFC 6763 section 6)
	example manufacturer=Nanoleaf

rule mdns_txt re ^vn=([A-Za-z][^=]{1,40})$
	vendor $1
	conf 55
	from Thread border agents' _meshcop._udp TXT vn= is the vendor name (Thread specification, OpenThread border agent)
	example vn=SmartThings
	not vn=65537

rule mdns_txt re ^mn=([A-Za-z][^=]{0,40})$
	model $1
	conf 45
	from Thread border agents' _meshcop._udp TXT mn= is the model name (Thread specification, OpenThread border agent)
	example mn=Hub

rule mdns_txt re ^type=hubv(\d)$
	vendor Samsung SmartThings
	type hub
	model SmartThings Hub v$1
	conf 75
	from SmartThings hubs' _smartthings._tcp TXT type=hubv2/hubv3 (SmartThings developer documentation)
	example type=hubv3 => model=SmartThings Hub v3

rule mdns_txt re ^model=(DCS-\d{3,4}\w*)
	vendor D-Link
	type camera
	model $1
	conf 85
	from D-Link cameras' TXT model= (D-Link DCS firmware, mydlink)
	example model=DCS-8000LH

rule mdns_txt re ^fw_ver=([\w.-]+)$
	firmware $1
	conf 70
	from TXT fw_ver= of D-Link mydlink devices and others (mydlink TXT records)
	example fw_ver=2.01.03 => firmware=2.01.03

rule mdns_txt re ^(?:fwversion|fw|firmware|fwVersion|srcvers|swvers)=(\d[\w.-]*)$
	firmware $1
	conf 50
	from common TXT keys for firmware versions (HomeKit accessories, AirPlay srcvers, vendor practice)
	example fwversion=1.57.0

rule mdns_txt re ^(?:model|mdl)=(.{2,40})$
	model $1
	conf 55
	from TXT model= names the model in many vendors' records (Apple device-info, D-Link, others)
	example model=Roomba980

rule mdns_txt re ^(?:deviceType|devicetype|device_type)=([A-Za-z][\w -]+)$
	model $1
	conf 30
	from TXT deviceType= items (vendor practice)
	example deviceType=Thermostat
