# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# service.sig: TCP services a device answers (its SYN+ACK) from a LAN
# address, as "tcp/<port>". Ports from the IANA Service Name and Transport
# Protocol Port Number Registry and vendors' port documentation. A port is
# a hint: any host can listen anywhere, so most rules are modest.

rule service exact tcp/9100
	type printer
	conf 70
	from raw printing (JetDirect/AppSocket) on TCP 9100 (IANA "hp-pdl-datastr"; printers' documentation)
	example tcp/9100

rule service exact tcp/631
	type printer
	conf 55
	from IPP on TCP 631 (RFC 8011, IANA "ipp"); computers sharing printers with CUPS answer it too
	example tcp/631

rule service exact tcp/515
	type printer
	conf 55
	from LPD on TCP 515 (RFC 1179, IANA "printer")
	example tcp/515

rule service re ^tcp/(?:554|8554)$
	type camera
	conf 50
	from RTSP on TCP 554 / 8554 (RFC 7826, IANA "rtsp"): IP cameras and recorders stream there
	example tcp/554

rule service exact tcp/1400
	vendor Sonos
	type speaker
	conf 60
	from Sonos players serve UPnP on TCP 1400 (Sonos documentation: ports used by Sonos)
	example tcp/1400

rule service re ^tcp/(?:8008|8009)$
	type media-player
	conf 45
	from Google Cast receivers listen on TCP 8008/8009 (Google Cast documentation)
	example tcp/8009

rule service re ^tcp/(?:7000|7100)$
	type media-player
	conf 30
	from AirPlay receivers listen on TCP 7000/7100: Apple TV, AirPlay speakers and TVs, recent Macs (Apple: TCP and UDP ports used by Apple products)
	example tcp/7000

rule service exact tcp/62078
	vendor Apple
	type phone
	conf 50
	from iPhones and iPads answer on TCP 62078 (iphone-sync, lockdownd) (Apple: TCP and UDP ports used by Apple products)
	example tcp/62078

rule service exact tcp/8060
	vendor Roku
	type media-player
	conf 75
	from Roku External Control Protocol on TCP 8060 (Roku developer documentation)
	example tcp/8060

rule service re ^tcp/(?:8001|8002)$
	type tv
	conf 45
	from Samsung smart TVs' remote-control API on TCP 8001/8002 (Samsung Smart TV developer documentation)
	example tcp/8002

rule service re ^tcp/(?:1925|1926)$
	vendor Philips
	type tv
	conf 60
	from Philips TVs' JointSpace API on TCP 1925/1926 (Philips JointSpace documentation)
	example tcp/1926

rule service exact tcp/9999
	vendor TP-Link
	conf 65
	from TP-Link Kasa devices answer the Smart Home Protocol on TCP 9999 (softScheck TP-Link research, python-kasa)
	example tcp/9999

rule service re ^tcp/(?:6668)$
	vendor Tuya
	conf 65
	from Tuya devices' local control protocol on TCP 6668 (tinytuya, Tuya LAN protocol notes)
	example tcp/6668

rule service re ^tcp/(?:49152|49153|49154)$
	vendor Belkin
	conf 25
	generic
	from WeMo devices serve UPnP on TCP 49153 (49152-49154) (pywemo); other UPnP stacks use these dynamic ports too
	example tcp/49153

rule service exact tcp/3389
	os Windows
	type computer
	conf 55
	from Remote Desktop on TCP 3389 (IANA "ms-wbt-server")
	example tcp/3389

rule service re ^tcp/(?:445|139)$
	type computer
	conf 25
	from SMB file sharing on TCP 445/139: Windows computers and NAS (IANA)
	example tcp/445

rule service exact tcp/548
	type nas
	conf 30
	from AFP on TCP 548: Macs sharing files, Time Capsules and NAS (IANA "afpovertcp")
	example tcp/548

rule service exact tcp/32400
	type nas
	software Plex Media Server
	conf 40
	from Plex Media Server on TCP 32400, run on NAS and computers (Plex documentation)
	example tcp/32400

rule service exact tcp/8123
	type hub
	software Home Assistant
	conf 60
	from Home Assistant's web interface on TCP 8123 (Home Assistant documentation)
	example tcp/8123

rule service exact tcp/1883
	type hub
	conf 30
	from MQTT brokers on TCP 1883 run on home-automation hubs and servers (IANA "mqtt")
	example tcp/1883

rule service re ^tcp/(?:5060|5061)$
	type phone
	conf 40
	from SIP on TCP 5060/5061: IP phones and VoIP adapters (IANA "sip")
	example tcp/5060

rule service exact tcp/62910
	vendor eQ-3
	type hub
	model MAX! Cube LAN Gateway
	conf 70
	from the MAX! Cube serves its control protocol on TCP 62910 (max-cube-protocol notes)
	example tcp/62910

rule service exact tcp/4000
	vendor Osram
	type hub @35
	generic
	conf 30
	from the Osram Lightify gateway serves its binary protocol on TCP 4000 (lightify-binary-protocol notes); other software listens there too
	example tcp/4000

rule service exact tcp/2081
	vendor Smarter
	type appliance
	conf 60
	from Smarter iKettle 2.0 and SmarterCoffee serve their protocol on TCP 2081 (ikettle2 protocol notes, iBrew)
	example tcp/2081
