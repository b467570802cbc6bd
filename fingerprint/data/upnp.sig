# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# upnp.sig: SSDP (UPnP Device Architecture 1.0/2.0) SERVER strings, the
# device and service types a device announces (NT of its NOTIFYs, ST of
# its search answers, USN, <deviceType> of its description), what it
# searches for, and LLDP system descriptions (IEEE 802.1AB).

# === SERVER: "OS/version UPnP/1.0 product/version" ==========================
rule ssdp_server re IpBridge/([\d.]+)
	vendor Philips Hue
	type hub
	model Hue Bridge
	firmware $1
	conf 85
	from Hue bridges' SSDP SERVER "Hue/1.0 UPnP/1.0 IpBridge/<firmware>" (Hue developer documentation, bridge discovery)
	example Hue/1.0 UPnP/1.0 IpBridge/1.57.0 => firmware=1.57.0; type=hub

rule ssdp_server re Sonos/([\d.]+)
	vendor Sonos
	type speaker
	software Sonos $1
	conf 80
	from Sonos players' SSDP SERVER "Linux UPnP/1.0 Sonos/<version> (ZPS..)" (Sonos UPnP, Recog upnp_banners)
	example Linux UPnP/1.0 Sonos/57.3-77280 (ZPS1)

rule ssdp_server re \((ZP\w+|ZPS\d+|S\d{1,2})\)
	vendor Sonos
	type speaker
	model $1
	conf 70
	from Sonos model codes in the SERVER string: ZPS1 Play:1, ZPS12 One, S14 (Sonos)
	example Linux UPnP/1.0 Sonos/57.3-77280 (ZPS1) => model=ZPS1

rule ssdp_server re Roku/([\d.]+)
	vendor Roku
	type media-player
	firmware $1
	conf 80
	from Roku devices' SSDP SERVER "Roku/<os version> UPnP/1.0 Roku/<os version>" (Roku External Control Protocol documentation)
	example Roku/9.4.0 UPnP/1.0 Roku/9.4.0 => firmware=9.4.0

rule ssdp_server re Samsung UPnP SDK|SHP, UPnP|Samsung-Linux|Tizen
	vendor Samsung
	type tv
	conf 60
	from Samsung TVs' SSDP SERVER strings "SHP, UPnP/1.0, Samsung UPnP SDK/1.0" and "Samsung-Linux/4.1" (Samsung Smart TV; Recog upnp_banners)
	example SHP, UPnP/1.0, Samsung UPnP SDK/1.0
	example Samsung-Linux/4.1, UPnP/1.0, Samsung_UPnP_SDK/1.0

rule ssdp_server re webOS[ /]|WebOS/|LGE WebOS|LG WebOS
	vendor LG
	type tv
	os webOS
	conf 70
	from LG webOS TVs' SSDP SERVER "WebOS/4.1.0 UPnP/1.0 webOS TV/1.0" (LG webOS TV developer documentation)
	example WebOS/4.1.0 UPnP/1.0 webOS TV/1.0

rule ssdp_server re Linux/[\d.]+.*UPnP/1\.0 Sony-BDP|Sony-BDP|BRAVIA|MINT-X
	vendor Sony
	type tv
	conf 60
	from Sony BRAVIA TVs' and players' SERVER strings (Sony, Recog upnp_banners)
	example FedoraCore/2 UPnP/1.0 MINT-X/1.8.1

rule ssdp_server re Synology/DSM/([\w.-]+)
	vendor Synology
	type nas
	firmware DSM $1
	conf 80
	from Synology DSM's SSDP SERVER "Synology/DSM/<version>" (Synology)
	example Synology/DSM/192.168.1.10 UPnP/1.0

rule ssdp_server re QNAP|QTS/
	vendor QNAP
	type nas
	conf 70
	from QNAP QTS SERVER strings (QNAP)
	example Linux/4.14 UPnP/1.0 QNAP/4.5.4

rule ssdp_server re MiniUPnPd/([\d.]+)
	type router
	software MiniUPnPd $1
	conf 40
	from MiniUPnP daemon is the UPnP IGD of home routers (miniupnp.free.fr); some NAS and media servers embed it too
	example Ubuntu/20.04 UPnP/1.1 MiniUPnPd/2.1 => software=MiniUPnPd 2.1

rule ssdp_server re FRITZ!Box|AVM FRITZ
	vendor AVM
	type router
	conf 80
	from AVM FRITZ!Box SERVER strings (AVM)
	example FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.29

rule ssdp_server re Huawei-ATP-IGD|ipos/[\d.]+|RomPager|Allegro-Software-RomUPnP|Cisco-.*-IGD|ZyXEL|Technicolor|Sagemcom|Arcadyan
	type router
	conf 50
	from UPnP stacks of home gateways: Huawei ATP IGD, TP-Link ipos, Allegro RomPager/RomUPnP, ZyXEL, Technicolor, Sagemcom, Arcadyan (Recog upnp_banners)
	example Linux UPnP/1.0 Huawei-ATP-IGD
	example ipos/7.0 UPnP/1.0 TL-WR940N/6.0

rule ssdp_server re Microsoft-Windows(?:-NT)?/([\d.]+)
	os Windows
	conf 50
	from Windows' UPnP host SERVER "Microsoft-Windows/10.0 UPnP/1.0" (UPnP Device Architecture; Recog upnp_banners)
	example Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0

rule ssdp_server re ^Linux/([\d.]+)
	os Linux
	conf 30
	from SERVER "Linux/<kernel> UPnP/1.0 ..." names the OS first (UPnP Device Architecture 1.0, 1.1.3)
	example Linux/3.10.0 UPnP/1.0 Portable SDK for UPnP devices/1.6.22

rule ssdp_server re Unspecified, UPnP/1\.0, Unspecified
	vendor Belkin
	conf 55
	from Belkin WeMo devices' SERVER "Unspecified, UPnP/1.0, Unspecified" (pywemo discovery, public WeMo analyses)
	example Unspecified, UPnP/1.0, Unspecified

rule ssdp_server re KnOS/[\d.]+|HEOS|Denon|Marantz
	vendor Denon
	type speaker
	conf 60
	from Denon/Marantz HEOS devices' SERVER "KnOS/3.2 UPnP/1.0 DMP/3.5" (Recog upnp_banners)
	example KnOS/3.2 UPnP/1.0 DMP/3.5

rule ssdp_server re Network_Module|Yamaha|MusicCast
	vendor Yamaha
	type speaker
	conf 60
	from Yamaha AV receivers and MusicCast SERVER "Network_Module/1.0 (RX-V475) UPnP/1.0" (Yamaha)
	example Network_Module/1.0 (RX-V475) UPnP/1.0

rule ssdp_server re Bose|SoundTouch
	vendor Bose
	type speaker
	conf 65
	from Bose SoundTouch SERVER strings (Bose)
	example Linux UPnP/1.0 Bose SoundTouch/1.0

rule ssdp_server re Xbox|XboxOne
	vendor Microsoft
	type game-console
	conf 65
	from Xbox SERVER strings (Microsoft)
	example Microsoft-Windows/10.0 UPnP/1.0 Xbox/10.0

rule ssdp_server re Philips.*TV|Philips-TV|JointSpace
	vendor Philips
	type tv
	conf 65
	from Philips TVs' SERVER strings (Philips TV JointSpace)
	example Linux/3.10 UPnP/1.0 Philips-TV/1.0

rule ssdp_server re EPSON|Epson UPnP
	vendor Epson
	type printer
	conf 70
	from Epson printers' SERVER "EPSON_Linux UPnP/1.0 Epson UPnP SDK/1.0" (Recog upnp_banners)
	example EPSON_Linux UPnP/1.0 Epson UPnP SDK/1.0

rule ssdp_server re (?:^|\W)(?:HP|Hewlett-Packard)(?:\W|$)
	vendor HP
	type printer
	conf 55
	from HP printers' SERVER strings (Recog upnp_banners)
	example HP HTTP Server; HP Officejet Pro 8600 - CM749A

rule ssdp_server re Camera|IPCamera|IP Camera|NetCam|Hikvision|DNVRS|Dahua
	type camera
	conf 60
	from IP cameras' SERVER strings naming a camera (Recog upnp_banners)
	example Linux/2.6 UPnP/1.0 IPCamera/1.0

# === Device types (NT/ST/USN/<deviceType>) =================================
rule upnp_type re ^urn:schemas-upnp-org:device:(?:InternetGatewayDevice|WANDevice|WANConnectionDevice|WLANAccessPointDevice):\d
	type router
	conf 80
	from UPnP IGD device types are home gateways (UPnP Forum Internet Gateway Device specification)
	example urn:schemas-upnp-org:device:InternetGatewayDevice:1
	example urn:schemas-upnp-org:device:WANConnectionDevice:2

rule upnp_type re ^urn:schemas-upnp-org:service:(?:WANIPConnection|WANPPPConnection|WANCommonInterfaceConfig|Layer3Forwarding):\d
	type router
	conf 75
	from UPnP IGD services (UPnP Forum IGD specification)
	example urn:schemas-upnp-org:service:WANIPConnection:1

rule upnp_type re ^urn:schemas-wifialliance-org:device:WFADevice:\d
	type router
	conf 60
	from Wi-Fi Protected Setup registrar device type (Wi-Fi Alliance WPS specification)
	example urn:schemas-wifialliance-org:device:WFADevice:1

rule upnp_type re ^urn:schemas-upnp-org:device:MediaRenderer:\d
	type media-player
	conf 35
	from DLNA media renderers: TVs, speakers and media players (UPnP AV architecture)
	example urn:schemas-upnp-org:device:MediaRenderer:1

rule upnp_type re ^urn:schemas-upnp-org:device:MediaServer:\d
	type nas
	conf 30
	from DLNA media servers: NAS, computers, routers with USB storage (UPnP AV architecture)
	example urn:schemas-upnp-org:device:MediaServer:1

rule upnp_type re ^urn:schemas-upnp-org:device:Printer:\d|^urn:schemas-upnp-org:service:PrintBasic:\d
	type printer
	conf 75
	from UPnP Printer device and PrintBasic service (UPnP Forum printer specification)
	example urn:schemas-upnp-org:device:Printer:1

rule upnp_type re ^urn:schemas-upnp-org:device:(?:BinaryLight|DimmableLight|Lighting):\d
	type light
	conf 60
	from UPnP Lighting Controls device types (UPnP Forum)
	example urn:schemas-upnp-org:device:DimmableLight:1

rule upnp_type re ^urn:schemas-upnp-org:device:(?:HVAC_System|HVAC_ZoneThermostat):\d
	type thermostat
	conf 60
	from UPnP HVAC device types (UPnP Forum)
	example urn:schemas-upnp-org:device:HVAC_ZoneThermostat:1

rule upnp_type re ^urn:schemas-upnp-org:device:(?:DigitalSecurityCamera|Camera):\d
	type camera
	conf 70
	from UPnP Digital Security Camera device type (UPnP Forum)
	example urn:schemas-upnp-org:device:DigitalSecurityCamera:1

rule upnp_type re ^urn:dial-multiscreen-org:(?:device|service):dial:\d
	type tv
	conf 35
	from DIAL servers (launch apps from a phone): smart TVs, streaming sticks, game consoles (DIAL specification, Netflix)
	example urn:dial-multiscreen-org:device:dial:1

rule upnp_type re ^urn:Belkin:device:(?:controllee|socket|insight|outdoor|outdoorplug|smartplug):\d
	vendor Belkin
	type plug
	model WeMo
	conf 85
	from WeMo device types: controllee and socket = WeMo Switch / Mini / WiFi Plug, insight = Insight Switch, outdoor = Outdoor Plug (pywemo discovery, WeMo device catalog)
	example urn:Belkin:device:controllee:1
	example urn:Belkin:device:insight:1
	example urn:Belkin:device:socket:1

rule upnp_type re ^urn:Belkin:device:(?:lightswitch|dimmer):\d
	vendor Belkin
	type switch
	model WeMo
	conf 85
	from WeMo Light Switch and Dimmer device types (pywemo discovery)
	example urn:Belkin:device:Lightswitch:1
	example urn:Belkin:device:dimmer:1

rule upnp_type re ^urn:Belkin:device:(?:bridge):\d
	vendor Belkin
	type hub
	model WeMo Link
	conf 85
	from WeMo Link bridge device type (pywemo discovery)
	example urn:Belkin:device:bridge:1

rule upnp_type re ^urn:Belkin:device:(?:sensor|motion):\d
	vendor Belkin
	type sensor
	model WeMo Motion
	conf 85
	from WeMo Motion sensor device types sensor / motion (pywemo discovery)
	example urn:Belkin:device:sensor:1
	example urn:Belkin:device:motion:1

rule upnp_type re ^urn:Belkin:device:(?:netcam|NetCamSensor):\d
	vendor Belkin
	type camera
	model WeMo NetCam
	conf 85
	from WeMo NetCam device type (Belkin)
	example urn:Belkin:device:netcam:1

rule upnp_type re ^urn:Belkin:device:(?:coffeemaker|crockpot|humidifier|humidifierb|humidity|heater|heatera|heaterb|purifier|airpurifier|maker):\d
	vendor Belkin
	type appliance
	conf 80
	from WeMo-connected appliances: Mr. Coffee, Crock-Pot, Holmes humidifiers, heaters, air purifier, and the WeMo Maker relay for appliances (pywemo discovery, WeMo device catalog)
	example urn:Belkin:device:crockpot:1
	example urn:Belkin:device:Maker:1

rule upnp_type re ^uuid:(Socket|Insight|Lightswitch|Dimmer|Sensor|Bridge|Maker|Crockpot|CoffeeMaker|Humidifier|Heater|AirPurifier|NetCam|OutdoorPlug)-\d_\d-
	vendor Belkin
	model WeMo $1
	conf 80
	from WeMo devices' UDN "uuid:<Product>-1_0-<serial>" in their SSDP USN (pywemo, WeMo setup.xml)
	example uuid:Insight-1_0-221517K0101769 => model=WeMo Insight
	example uuid:Socket-1_0-221517K0101769

rule upnp_type re ^urn:Belkin:
	vendor Belkin
	conf 80
	from Belkin WeMo UPnP namespace urn:Belkin: (pywemo discovery)
	example urn:Belkin:service:basicevent:1

rule upnp_type re ^urn:schemas-upnp-org:device:ZonePlayer:\d
	vendor Sonos
	type speaker
	conf 85
	from Sonos players' UPnP device type ZonePlayer (Sonos UPnP)
	example urn:schemas-upnp-org:device:ZonePlayer:1

rule upnp_type re ^urn:roku-com:|^roku:ecp
	vendor Roku
	type media-player
	conf 85
	from Roku External Control Protocol search target roku:ecp and urn:roku-com types (Roku developer documentation)
	example roku:ecp
	example urn:roku-com:service:ecp:1

rule upnp_type re ^urn:samsung\.com:(?:device|service):(?:RemoteControlReceiver|MainTVServer2|MainTVAgent2|ScreenSharingService|IPControl):\d
	vendor Samsung
	type tv
	conf 80
	from Samsung TVs' UPnP device and service types (Samsung Smart TV developer documentation)
	example urn:samsung.com:device:RemoteControlReceiver:1

rule upnp_type re ^urn:lge-com:service:webos-second-screen:\d|^urn:lge:
	vendor LG
	type tv
	conf 80
	from LG webOS TVs' second-screen service type (LG webOS TV developer documentation)
	example urn:lge-com:service:webos-second-screen:1

rule upnp_type re ^urn:schemas-sony-com:service:(?:ScalarWebAPI|IRCC|X_Telepathy)
	vendor Sony
	type tv
	conf 70
	from Sony BRAVIA TVs' services (Sony BRAVIA IP control documentation)
	example urn:schemas-sony-com:service:ScalarWebAPI:1

rule upnp_type re ^urn:schemas-denon-com:|^urn:schemas-yamaha-com:|^urn:schemas-pioneer-co-jp:|^urn:smartspeaker-audio:
	type speaker
	conf 65
	from networked audio device types of Denon/HEOS, Yamaha, Pioneer and smart-speaker groups (vendors' UPnP descriptions)
	example urn:schemas-denon-com:device:ACT-Denon:1

# === What a device searches for: controllers ===============================
rule ssdp_search re ^urn:dial-multiscreen-org:service:dial:\d|^roku:ecp
	type phone
	conf 15
	generic
	from searching for DIAL targets or Roku players is what casting apps on phones and computers do (DIAL specification, Roku ECP); some TVs search too, so the clue is weak
	example urn:dial-multiscreen-org:service:dial:1

rule ssdp_search re ^urn:schemas-upnp-org:device:InternetGatewayDevice:\d
	software UPnP IGD client
	conf 20
	from searching for an Internet gateway: a client that opens ports (game consoles, P2P apps, cameras) (UPnP IGD)
	example urn:schemas-upnp-org:device:InternetGatewayDevice:1

# === LLDP system descriptions ===============================================
rule lldp re Cisco IP Phone (?:CP-)?(\d{4}\w*)
	vendor Cisco
	type phone
	model CP-$1
	conf 85
	from Cisco IP phones' LLDP system description "Cisco IP Phone CP-8845" (Cisco IP phone administration guides)
	example Cisco IP Phone CP-8845, V3, sip88xx.12-8-1 => model=CP-8845

rule lldp re (?:Polycom|Poly)[\w ]*(VVX[ -]?\d+|CCX[ -]?\d+|SoundPoint[\w ]+|Trio[\w ]*)
	vendor Poly
	type phone
	model $1
	conf 85
	from Polycom/Poly phones' LLDP system description (Poly UC Software administrator guide)
	example Polycom VVX 410 => model=VVX 410

rule lldp re (?:Yealink|SIP-T\d+|T\d{2}[A-Z]?)[\w ]*
	vendor Yealink
	type phone
	conf 70
	from Yealink phones' LLDP system description (Yealink administrator guide)
	example Yealink SIP-T46S 66.85.0.5

rule lldp re (?:Aruba|ArubaOS).*(?:AP|Access Point)|(?:Cisco AP|AIR-AP|AIR-CAP)\w*|Meraki MR\d+|UniFi AP|Ruckus.*(?:R|T)\d{3}
	type router
	conf 80
	from enterprise access points' LLDP system descriptions: Aruba AP, Cisco Aironet/Catalyst AP, Meraki MR, UniFi AP, Ruckus (vendors' guides)
	example ArubaOS (MODEL: 515), Version 8.6.0.4 AP
	example Meraki MR33 Cloud Managed AP

rule lldp re (?:HP|Hewlett-Packard|Brother|Canon|Xerox|Lexmark|RICOH|KONICA MINOLTA|Kyocera).*(?:Printer|MFP|LaserJet|OfficeJet|PageWide|imageRUNNER)
	type printer
	conf 75
	from network printers' LLDP system descriptions (vendors' administrator guides)
	example HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI23900024,CIDATE 11/26/2019 HP LaserJet

rule lldp re Linux|Ubuntu|Debian|Red Hat|Windows
	type computer
	conf 25
	from hosts running lldpd/LLDP agents on general-purpose OSes describe themselves by OS (lldpd documentation)
	example Ubuntu 22.04.3 LTS Linux 5.15.0-91-generic
