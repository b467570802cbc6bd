# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# dhcp.sig: DHCPv4 vendor class identifiers (option 60, RFC 2132 9.13) and
# DHCPv6 vendor classes (option 16, RFC 8415 21.16), DHCPv4 parameter
# request lists (option 55, wire order) and DHCPv6 enterprise numbers
# (IANA Private Enterprise Numbers).

# === Vendor class: operating systems and DHCP clients ======================
rule dhcp_vendor re ^MSFT 5\.0
	os Windows
	type computer @25
	generic
	conf 50
	from Windows' DHCP client sends "MSFT 5.0" (Microsoft DHCP documentation); some embedded devices copy it, so the type is weak
	example MSFT 5.0

rule dhcp_vendor re ^MSFT 98
	os Windows
	conf 55
	from Windows 98/ME DHCP client vendor class (Microsoft)
	example MSFT 98

rule dhcp_vendor re ^android-dhcp-([\d.]+)
	os Android $1
	type phone
	conf 60
	from Android's DHCP client sends "android-dhcp-<version>" (AOSP DhcpClient; Recog dhcp_vendor_class)
	example android-dhcp-9 => os=Android 9

rule dhcp_vendor re ^HUAWEI:android:
	vendor Huawei
	os Android
	type phone
	conf 65
	from Huawei Android phones' vendor class "HUAWEI:android:<model>" (Recog dhcp_vendor_class)
	example HUAWEI:android:ANE-LX1

rule dhcp_vendor re ^dhcpcd-([\d.]+):Linux-([\d.]+)
	os Linux $2
	software dhcpcd $1
	conf 50
	from dhcpcd's vendor class "dhcpcd-<ver>:Linux-<kernel>:<arch>:<hw>" (dhcpcd manual; Recog dhcp_vendor_class)
	example dhcpcd-6.11.5:Linux-4.14.78:armv7l:Freescale => os=Linux 4.14.78

rule dhcp_vendor re ^dhcpcd[- ]([\d.]+)$
	os Linux
	software dhcpcd $1
	conf 40
	from dhcpcd sends "dhcpcd-<version>" when built without uname details (Android 4-7 and Fire OS builds, embedded Linux) (dhcpcd manual)
	example dhcpcd-5.5.6 => software=dhcpcd 5.5.6

rule dhcp_vendor re ^udhcp ([\d.]+\S*)
	os Linux
	software udhcpc $1
	conf 50
	from BusyBox udhcpc sends "udhcp <version>": embedded Linux, e.g. cameras, plugs, routers (BusyBox networking/udhcp)
	example udhcp 1.22.1 => software=udhcpc 1.22.1
	example udhcp 0.9.9-pre

rule dhcp_vendor re ^PXEClient
	type computer
	conf 55
	from PXE network boot firmware sends "PXEClient:Arch:..." (Intel PXE 2.1 specification)
	example PXEClient:Arch:00000:UNDI:002001

rule dhcp_vendor re BCM2709|BCM2835|BCM2711
	vendor Raspberry Pi
	type computer
	conf 50
	from Raspberry Pi kernels report the BCM2835/2709/2711 SoC in dhcpcd's vendor class (Raspberry Pi documentation)
	example dhcpcd-6.11.5:Linux-4.19.66-v7+:armv7l:BCM2835

# === Vendor class: devices ===================================================
rule dhcp_vendor re ^Mfg=([^;]+);Typ=(?:MFP|Printer|printer);Mod=([^;]+)
	vendor $1
	type printer
	model $2
	conf 85
	from printers' IEEE 1284-style vendor class "Mfg=..;Typ=Printer;Mod=..;Ser=.." (Recog dhcp_vendor_class)
	example Mfg=Xerox;Typ=MFP;Mod=VersaLink C405;Ser=ABC123456;Loc=Print Room => model=VersaLink C405; vendor=Xerox
	example Mfg=Hewlett Packard;Typ=Printer;Mod=HP LaserJet 400 M401dne;Ser=ABCDE12345;

rule dhcp_vendor re ^(?:Hewlett-Packard|HP) (OfficeJet|LaserJet|Printer|JetDirect|PageWide|DeskJet)
	vendor HP
	type printer
	conf 80
	from HP printers' vendor class "Hewlett-Packard JetDirect", "HP LaserJet" (Recog dhcp_vendor_class)
	example Hewlett-Packard JetDirect
	example HP LaserJet

rule dhcp_vendor re ^Canon (iR-ADV [\w ]+|D\d+ Series|MF\w+|LBP\w+)
	vendor Canon
	type printer
	model $1
	conf 80
	from Canon imageRUNNER/imageCLASS vendor class "Canon iR-ADV C5535 III" (Recog dhcp_vendor_class)
	example Canon iR-ADV C5535 III => model=iR-ADV C5535 III

rule dhcp_vendor re ^SAMSUNG Network Printer|^Brother|^Lexmark|^KONICA MINOLTA|^RICOH|^Kyocera|^EPSON
	type printer
	conf 75
	from printers' vendor classes (Recog dhcp_vendor_class; vendors' guides)
	example SAMSUNG Network Printer

rule dhcp_vendor re ^AXIS,(?:PTZ Dome )?Network Camera,([^,]+),([\d.]+)$
	vendor Axis
	type camera
	model $1
	firmware $2
	conf 90
	from Axis cameras' vendor class "AXIS,Network Camera,<model>,<firmware>" (Recog dhcp_vendor_class)
	example AXIS,Network Camera,P3343,5.20.3 => model=P3343; firmware=5.20.3

rule dhcp_vendor re ^(?:Cisco Systems, Inc\. IP Phone|Cisco systems, Inc\. IP Phone) (?:CP-?)?(\d{4}\w*(?:-GE)?)$
	vendor Cisco
	type phone
	model CP-$1
	conf 90
	from Cisco IP phones' vendor class "Cisco Systems, Inc. IP Phone CP-7941G-GE" (Recog dhcp_vendor_class)
	example Cisco Systems, Inc. IP Phone CP-7941G-GE => model=CP-7941G-GE

rule dhcp_vendor re ^Cisco Systems Inc\. Wireless Phone (\d{4}g?)$
	vendor Cisco
	type phone
	model $1
	conf 85
	from Cisco wireless IP phones (Recog dhcp_vendor_class)
	example Cisco Systems Inc. Wireless Phone 7925G

rule dhcp_vendor re ^Polycom-?(VVX\d+|SoundPoint\w*|\w+)
	vendor Poly
	type phone
	model $1
	conf 85
	from Polycom phones' vendor class "Polycom-VVX410" (Recog dhcp_vendor_class; Poly provisioning guide)
	example Polycom-VVX410 => model=VVX410

rule dhcp_vendor re ^(?:yealink|Yealink)(?:[ -]?(SIP-?T\w+|T\d\w*|W\d\w*|CP\d\w*))?
	vendor Yealink
	type phone
	conf 80
	from Yealink phones' vendor class "yealink" / "Yealink SIP-T46S" (Yealink auto-provisioning guide)
	example yealink
	example Yealink SIP-T46S

rule dhcp_vendor re ^(?:aastra|Aastra|Mitel|snom|Grandstream|GXP|Avaya|ccp\.avaya\.com|Obihai|OBi)
	type phone
	conf 75
	from VoIP phones' vendor classes: Aastra/Mitel, snom, Grandstream, Avaya (ccp.avaya.com), Obihai (vendors' provisioning guides)
	example ccp.avaya.com
	example Grandstream GXP2170

rule dhcp_vendor re ^Cisco AP c(\d{3,4}\w?)$|^Cisco AP C(\d{4})AX$|^Cisco (AP80[123])$
	vendor Cisco
	type router
	conf 85
	from Cisco Aironet / Catalyst access points' vendor class "Cisco AP c1830" (Recog dhcp_vendor_class)
	example Cisco AP c1830
	example Cisco AP C9120AX

rule dhcp_vendor re ^(?:ubnt|UBNT)
	vendor Ubiquiti
	type router @45
	conf 70
	from Ubiquiti devices' vendor class "ubnt" (Ubiquiti help center)
	example ubnt

rule dhcp_vendor re ^MERAKI$|^Meraki
	vendor Cisco Meraki
	type router @45
	conf 70
	from Meraki devices' vendor class "MERAKI" (Recog dhcp_vendor_class)
	example MERAKI

rule dhcp_vendor re ^(?:ArubaAP|Aruba|ArubaInstantAP|Ruckus CPE|Ruckus)
	type router
	conf 70
	from Aruba and Ruckus access points' vendor classes (vendors' deployment guides)
	example ArubaAP
	example Ruckus CPE

rule dhcp_vendor re ^Aruba\s(JL\d+A)\s(\d+\w?)
	vendor Aruba
	model $2 ($1)
	conf 75
	from Aruba switches' vendor class "Aruba JL256A 2930F-48G-PoE+-4SFP+ Switch" (Recog dhcp_vendor_class)
	example Aruba JL256A 2930F-48G-PoE+-4SFP+ Switch => model=2930F (JL256A)

rule dhcp_vendor re ^PCoIP Endpoint$
	type computer
	model PCoIP thin client
	conf 70
	from Teradici PCoIP zero clients (Recog dhcp_vendor_class)
	example PCoIP Endpoint

rule dhcp_vendor re ^(?:Linux ipv6|SAMSUNG|Samsung)[\w ]*TV
	vendor Samsung
	type tv
	conf 65
	from Samsung TVs' vendor class (public DHCP fingerprints)
	example Samsung TV

rule dhcp_vendor re ^(?:SmartThings|ST-Hub)
	vendor Samsung SmartThings
	type hub
	conf 70
	from SmartThings hubs' vendor class (public DHCP fingerprints)
	example SmartThings

# === Parameter request lists (weak: many devices share a DHCP client) ======
rule dhcp_params exact 1,3,6,15,31,33,43,44,46,47,119,121,249,252
	os Windows
	conf 30
	from Windows 10/11 DHCP client's request list (Fingerbank fingerprint for Windows 10)
	example 1,3,6,15,31,33,43,44,46,47,119,121,249,252

rule dhcp_params re ^1,121,3,6,15,(?:108,)?(?:114,)?119,252,95,44,46$
	vendor Apple
	conf 35
	from Apple iOS/macOS DHCP client request lists, with 108 (IPv6-only) and 114 (captive portal) on recent releases (Fingerbank Apple fingerprints)
	example 1,121,3,6,15,119,252,95,44,46
	example 1,121,3,6,15,108,114,119,252,95,44,46

rule dhcp_params re ^1,3,6,15,26,28,51,58,59(?:,43)?(?:,114)?(?:,108)?$|^1,33,3,6,15,28,51,58,59$
	os Android
	conf 30
	from Android DHCP client request lists (AOSP DhcpClient; Fingerbank Android fingerprints)
	example 1,3,6,15,26,28,51,58,59,43
	example 1,33,3,6,15,28,51,58,59

rule dhcp_params exact 1,28,2,3,15,6,119,12,44,47,26,121,42
	os Linux
	conf 20
	from ISC dhclient default request list (Debian dhclient.conf)
	example 1,28,2,3,15,6,119,12,44,47,26,121,42

rule dhcp_params re ^1,3,6,12,15,28,(?:40,41,)?42$|^1,3,6,12,15,17,28,42$
	os Linux
	conf 20
	from BusyBox udhcpc default request lists (BusyBox networking/udhcp)
	example 1,3,6,12,15,28,42

rule dhcp_params re ^1,3,28,6,15,44,46,47,31,33,121,43$|^1,28,3,15,6(?:,12)?$|^1,3,28,6$|^1,3,6,28$
	os embedded (lwIP)
	conf 25
	from lwIP-based Wi-Fi modules' (ESP8266/ESP32 SDKs) short request lists (Espressif SDK, lwIP dhcp.c)
	example 1,3,28,6,15,44,46,47,31,33,121,43
	example 1,28,3,15,6

# === DHCPv6 enterprise numbers (IANA PEN) ==================================
rule dhcpv6_enterprise exact 311
	os Windows
	conf 45
	from IANA PEN 311 is Microsoft: Windows' DHCPv6 vendor class (IANA enterprise numbers)
	example 311

rule dhcpv6_enterprise exact 63
	vendor Apple
	conf 45
	from IANA PEN 63 is Apple (IANA enterprise numbers)
	example 63

rule dhcpv6_enterprise exact 4491
	type router
	conf 40
	from IANA PEN 4491 is CableLabs: cable modems and gateways (IANA enterprise numbers, CableLabs specifications)
	example 4491

rule dhcpv6_enterprise exact 9
	vendor Cisco
	conf 45
	from IANA PEN 9 is Cisco (IANA enterprise numbers)
	example 9

rule dhcpv6_enterprise exact 41112
	vendor Ubiquiti
	conf 45
	from IANA PEN 41112 is Ubiquiti Networks (IANA enterprise numbers)
	example 41112

rule dhcpv6_enterprise exact 25053
	vendor Ruckus
	conf 45
	from IANA PEN 25053 is Ruckus Wireless (IANA enterprise numbers)
	example 25053

rule dhcpv6_enterprise exact 14823
	vendor Aruba
	conf 45
	from IANA PEN 14823 is Aruba Networks (IANA enterprise numbers)
	example 14823
