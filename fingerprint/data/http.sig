# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# http.sig: HTTP User-Agents of a device's requests (and SSDP searches),
# Server headers of the responses it sends from a LAN address, and the
# URLs (Host + path) it requests.

# === User-Agent: platforms ===================================================
rule http_ua re \(iPhone;|iPhone OS \d|CPU iPhone OS
	vendor Apple
	type phone
	os iOS
	conf 70
	from iOS User-Agent platform token "(iPhone; CPU iPhone OS 16_0 like Mac OS X)" (Apple Safari documentation)
	example Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15

rule http_ua re \(iPad;
	vendor Apple
	type tablet
	os iPadOS
	conf 70
	from iPadOS User-Agent platform token "(iPad; CPU OS ...)" (Apple Safari documentation)
	example Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X)

rule http_ua re \(Macintosh; Intel Mac OS X
	vendor Apple
	type computer
	os macOS
	conf 55
	from macOS browser User-Agent platform token (Apple Safari documentation); iPads in desktop mode send it too
	example Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15

rule http_ua re ^CaptiveNetworkSupport-([\d.]+)
	vendor Apple
	software CaptiveNetworkSupport $1
	conf 60
	from Apple's captive-portal probe User-Agent "CaptiveNetworkSupport-<ver> wispr" (iOS and macOS)
	example CaptiveNetworkSupport-390.60.1 wispr

rule http_ua re CFNetwork/[\d.]+ Darwin/([\d.]+)
	vendor Apple
	software CFNetwork
	conf 55
	from Apple's CFNetwork User-Agent "<app>/<ver> CFNetwork/1220.1 Darwin/20.3.0" of iOS and macOS apps (Apple developer documentation)
	example Weather/1.0 CFNetwork/1220.1 Darwin/20.3.0

rule http_ua re Android [\d.]+; ([^;)/]+?)(?: Build/[^;)]*)?\).*Mobile
	os Android
	type phone
	model $1
	conf 70
	from Android browsers put the device model after the version and "Mobile" on phones: "(Linux; Android 9; Nokia 2.2) ... Mobile Safari" (Chrome for Android User-Agent documentation)
	example Mozilla/5.0 (Linux; Android 9; Nokia 2.2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.93 Mobile Safari/537.36 => model=Nokia 2.2; type=phone

rule http_ua re Android [\d.]+; ([^;)/]+?)(?: Build/[^;)]*)?\)
	unless Mobile|Android ?TV|AFT|BRAVIA|SmartTV|CrKey
	os Android
	type tablet
	model $1
	conf 45
	from Android browsers on tablets omit "Mobile" (Chrome for Android User-Agent documentation); some TVs and set-top boxes do too
	example Mozilla/5.0 (Linux; Android 11; SM-T500) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 Safari/537.36 => model=SM-T500
	not Mozilla/5.0 (Linux; Android 9; Nokia 2.2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0 Mobile Safari/537.36
	not Mozilla/5.0 (Linux; Android 11.0; Build/RQ1A.210105.003) AppleWebKit/537.36 Chrome/92.0 Safari/537.36

rule http_ua re ^Dalvik/[\d.]+ \(Linux; U; Android [\d.]+; ([^;)/]+?)(?: Build/[^;)]*)?\)
	os Android
	type phone @40
	model $1
	conf 60
	from Android's HttpURLConnection User-Agent "Dalvik/2.1.0 (Linux; U; Android 9; <model> Build/...)" (AOSP); tablets and TV boxes send it too
	example Dalvik/2.1.0 (Linux; U; Android 9; Nokia 2.2 Build/PPR1.180610.011) => model=Nokia 2.2

rule http_ua re ^okhttp/[\d.]+
	os Android
	software okhttp
	conf 35
	from okhttp is the HTTP client of most Android apps (square.github.io/okhttp)
	example okhttp/3.12.1

rule http_ua re Windows NT (?:10\.0|6\.[0-3])
	os Windows
	type computer @40
	conf 60
	from Windows User-Agent platform tokens (Microsoft documentation)
	example Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36

rule http_ua re ^Microsoft NCSI|^Microsoft-CryptoAPI|^Microsoft-Delivery-Optimization|^Windows-Update-Agent
	os Windows
	type computer
	conf 60
	from Windows' connectivity probe, certificate fetcher and update agents (Microsoft documentation)
	example Microsoft NCSI

rule http_ua re \bCrOS\b|CrOS x86_64|CrOS aarch64
	os ChromeOS
	type computer
	conf 60
	from ChromeOS User-Agent platform token (Chromium documentation)
	example Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36

rule http_ua re \(X11; (?:Ubuntu; )?Linux (?:x86_64|i686|aarch64)
	os Linux
	type computer
	conf 45
	from desktop Linux browsers' platform token (Mozilla, Chromium documentation)
	example Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0

# === User-Agent: TVs, media players, consoles, IoT ===========================
rule http_ua re SMART-TV|SmartTV|SmartHub|Tizen [\d.]+\) .*TV|Web0S|webOS\.TV|NetCast|HbbTV|BRAVIA|Viera|Philips.*TV|VIZIO|Hisense|TCL[- ]TV
	type tv
	conf 70
	from smart-TV User-Agents: Samsung SMART-TV/Tizen, LG Web0S/NetCast, HbbTV, Sony BRAVIA, Panasonic Viera, Vizio (vendors' developer documentation, HbbTV specification)
	example Mozilla/5.0 (SMART-TV; Linux; Tizen 5.0) AppleWebKit/537.36 SamsungBrowser/2.2 TV Safari/537.36
	example Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36

rule http_ua re ^Roku/DVP-([\d.]+)|Roku/([\d.]+)
	vendor Roku
	type media-player
	firmware $1$2
	conf 75
	from Roku devices' User-Agent "Roku/DVP-9.40 (...)" (Roku developer documentation)
	example Roku/DVP-9.40 (519.40E04172A)

rule http_ua re CrKey/([\d.]+)
	unless Android
	vendor Google
	type media-player
	firmware $1
	conf 75
	from Chromecast devices' User-Agent token CrKey/<version> on their own Linux build (Google Cast)
	example Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0 Safari/537.36 CrKey/1.56.500000 => firmware=1.56.500000
	not Mozilla/5.0 (Linux; Android 11.0; Build/RQ1A.210105.003) AppleWebKit/537.36 Chrome/92.0 Safari/537.36 CrKey/1.56.500000 DeviceType/AndroidTV

rule http_ua re DeviceType/AndroidTV|Android TV|AndroidTV
	os Android TV
	type media-player
	conf 55
	from Android TV devices (TVs, set-top boxes, streaming sticks) with Cast built in say DeviceType/AndroidTV in their User-Agent (Google Cast, Android TV documentation)
	example Mozilla/5.0 (Linux; Android 11.0; Build/RQ1A.210105.003) AppleWebKit/537.36 Chrome/92.0 Safari/537.36 CrKey/1.56.500000 DeviceType/AndroidTV

rule http_ua re \bAFT[A-Z]{1,3}\b|Fire TV|AmazonWebAppPlatform
	vendor Amazon
	type media-player
	conf 70
	from Amazon Fire TV User-Agents carry AFTx model codes (Amazon Fire TV developer documentation)
	example Mozilla/5.0 (Linux; Android 7.1.2; AFTMM Build/NS6281) AppleWebKit/537.36

rule http_ua re Kindle/|Silk/|KFTT|KFOT|KFAUWI|KFMUWI
	vendor Amazon
	type tablet
	conf 65
	from Kindle readers and Fire tablets' User-Agents (Kindle, Silk, KFxxWI codes) (Amazon developer documentation)
	example Mozilla/5.0 (Linux; Android 9; KFMUWI) AppleWebKit/537.36 Silk/96.3.5

rule http_ua re AppleTV/|tvOS/|AppleTV\d
	vendor Apple
	type media-player
	os tvOS
	conf 75
	from Apple TV User-Agents (AppleTV/tvOS tokens)
	example AppleTV11,1/11.1

rule http_ua re PlayStation ?(\d|Vita|Portable)
	vendor Sony
	type game-console
	conf 75
	from PlayStation User-Agents "Mozilla/5.0 (PlayStation 4 ...)" (Sony)
	example Mozilla/5.0 (PlayStation 4 8.52) AppleWebKit/605.1.15

rule http_ua re Xbox|XboxOne|Xbox Series
	vendor Microsoft
	type game-console
	conf 70
	from Xbox User-Agents (Microsoft Edge on Xbox documentation)
	example Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36

rule http_ua re Nintendo (?:Switch|3DS|WiiU|Wii)|NintendoBrowser
	vendor Nintendo
	type game-console
	conf 80
	from Nintendo consoles' User-Agents (Nintendo)
	example Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393

rule http_ua re SEC_HHP_\[(?:Phone|Mobile)\]|SEC_HHP_Galaxy
	type phone
	conf 70
	from Samsung's DLNA client User-Agent "SEC_HHP_<friendly name>/1.0", friendly names starting "[Phone]" on phones (Samsung AllShare/DLNA)
	example DLNADOC/1.51 SEC_HHP_[Phone]ANE-LX1/1.0

rule http_ua re SEC_HHP_\[(?:TV|LED TV|Blu-ray)\]
	vendor Samsung
	type tv
	conf 70
	from Samsung DLNA User-Agent of TVs "SEC_HHP_[TV] ..." (Samsung AllShare/DLNA)
	example SEC_HHP_[TV] Samsung 7 Series (55)/1.0

rule http_ua re SEC_HHP_\[(?:Tablet|Tab)\]
	type tablet
	conf 70
	from Samsung DLNA User-Agent of tablets "SEC_HHP_[Tablet] ..." (Samsung AllShare/DLNA)
	example SEC_HHP_[Tablet]Galaxy Tab/1.0

rule http_ua re \[Phone\]([A-Z]{3}-[A-Z]{1,2}\d{1,2}\w*)
	model $1
	conf 55
	from a phone's model code in its DLNA friendly name "[Phone]ANE-LX1" (Samsung/Huawei DLNA clients)
	example DLNADOC/1.51 SEC_HHP_[Phone]ANE-LX1/1.0 => model=ANE-LX1

rule http_ua re ^MIoT|MiHome|XiaoMi/MiuiBrowser
	vendor Xiaomi
	conf 60
	from Xiaomi IoT devices' HTTP User-Agent "MIoT" to the Mi cloud (Xiaomi miIO, public analyses)
	example MIoT

rule http_ua re Sonos|ZonePlayer
	vendor Sonos
	type speaker
	conf 70
	from Sonos players' User-Agent (Sonos)
	example Linux UPnP/1.0 Sonos/57.3-77280 (ZPS1)

rule http_ua re ^Ring(?:Doorbell|App)?/|RingDoorbell
	vendor Ring
	type doorbell
	conf 60
	from Ring devices' User-Agent (Ring)
	example RingDoorbell/1.2

rule http_ua re ^(?:Dyson|Miele|HomeConnect|LG ThinQ|SmartThinQ)
	type appliance
	conf 60
	from connected appliances' User-Agents (vendors' documentation)
	example HomeConnect/1.0

rule http_ua re HP-ChaiSOE|HP-ChaiServer|Hewlett-Packard|HP PrintServer
	vendor HP
	type printer
	conf 65
	from HP printers' HTTP clients and servers (HP Chai, JetDirect) (Recog http_servers)
	example HP-ChaiSOE/1.0

rule http_ua re ^(?:Wget|curl|python-requests|Go-http-client|Java|libwww-perl|aiohttp)/([\d.]+)
	software $0
	conf 50
	from general-purpose HTTP clients' default User-Agents (their documentation)
	example curl/7.88.1
	example python-requests/2.31.0

rule http_ua re Platinum/([\d.]+)
	software Platinum UPnP $1
	conf 50
	from Plutinosoft Platinum UPnP SDK's User-Agent "UPnP/1.0 DLNADOC/1.50 Platinum/1.0.5.13" (Platinum UPnP)
	example UPnP/1.0 DLNADOC/1.50 Platinum/1.0.5.13 => software=Platinum UPnP 1.0.5.13

rule http_ua re Firefox/(\d+)
	software Firefox
	conf 50
	from Firefox User-Agent product token (Mozilla documentation)
	example Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0

rule http_ua re Chrome/(\d+)
	unless Edg/|OPR/|SamsungBrowser
	software Chrome
	conf 40
	from Chromium User-Agent product token (Chromium documentation)
	example Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36

# === Server headers of LAN devices ===========================================
rule http_server re ^Virata-EmWeb/(R[\d_]+)
	vendor HP
	type printer
	software Virata-EmWeb $1
	conf 65
	from Virata EmWeb is the embedded web server of HP JetDirect printers (Recog http_servers; HP)
	example Virata-EmWeb/R6_2_1 => software=Virata-EmWeb R6_2_1

rule http_server re ^HP HTTP Server; HP ([^;]+?)(?: - \w+)?;
	vendor HP
	type printer
	model HP $1
	conf 85
	from HP printers' Server header "HP HTTP Server; HP <model> - <part>; Serial Number: ...; Built: ..." (Recog http_servers)
	example HP HTTP Server; HP Officejet Pro 8600 - CM749A; Serial Number: CN12345678; Built:Thu Feb 05, 2015 => model=HP Officejet Pro 8600

rule http_server re HP-ChaiSOE|HP-ChaiServer|HP_Compact_Server|PrintSmart
	vendor HP
	type printer
	conf 75
	from HP printers' embedded web servers (Recog http_servers)
	example HP-ChaiSOE/1.0

rule http_server re ^(?:EPSON_Linux|EPSON-HTTP|Epson)
	vendor Epson
	type printer
	conf 75
	from Epson printers' Server headers (Recog http_servers)
	example EPSON_Linux UPnP/1.0 Epson UPnP SDK/1.0

rule http_server re ^debut/[\d.]+|^Brother
	vendor Brother
	type printer
	conf 70
	from Brother printers' embedded web server "debut/1.20" (Recog http_servers)
	example debut/1.20

rule http_server re ^(?:CANON HTTP Server|Canon Http Server|KS_HTTP)
	vendor Canon
	type printer
	conf 75
	from Canon printers' Server headers (Recog http_servers)
	example CANON HTTP Server

rule http_server re ^Xerox_MicroServer|^Xerox
	vendor Xerox
	type printer
	conf 75
	from Xerox printers' Server header "Xerox_MicroServer/Xerox11" (Recog http_servers)
	example Xerox_MicroServer/Xerox11

rule http_server re ^(?:Lexmark|KM-MFP-http|RICOH|Web-Server/3\.0|SHARP|KONICA MINOLTA)
	type printer
	conf 70
	from office printers' Server headers: Lexmark, Kyocera KM-MFP-http, Ricoh, Sharp, Konica Minolta (Recog http_servers)
	example KM-MFP-http/V0.0.1

rule http_server re ^(?:Hikvision-Webs|DNVRS-Webs|App-webs|DVRDVS-Webs|webserver.*hikvision)
	vendor Hikvision
	type camera
	conf 75
	from Hikvision cameras and recorders' Server headers (Recog http_servers)
	example App-webs/

rule http_server re ^(?:Netwave IP Camera|IPCamera|webcamXP|yawcam|Camera Web Server|GeoHttpServer|SQ-WEBCAM|uc-httpd|Avtech|AV-TECH|Cross Web Server|DahuaHttp|Dahua)
	type camera
	conf 65
	from IP cameras' and DVRs' embedded web servers: Netwave, webcamXP, yawcam, uc-httpd (Xiongmai), AVTECH, Dahua (Recog http_servers)
	example Netwave IP Camera
	example uc-httpd 1.0.0

rule http_server re ^AirTunes/([\d.]+)
	type media-player
	software AirTunes $1
	conf 45
	from AirPlay receivers answer with Server: AirTunes/<version>: Apple TV, HomePod, AirPlay speakers and TVs (Apple AirPlay)
	example AirTunes/220.68

rule http_server re ^(?:Roku|Roku UPnP)
	vendor Roku
	type media-player
	conf 70
	from Roku External Control Protocol server (Roku developer documentation)
	example Roku/9.4.0 UPnP/1.0 Roku/9.4.0

rule http_server re ^(?:RomPager|Allegro-Software-RomPager|micro_httpd|mini_httpd|httpd-ssl|ZyXEL-RomPager|FRITZ!Box|AVM)
	type router
	conf 35
	from embedded web servers of home routers and modems: Allegro RomPager, micro_httpd/mini_httpd (ACME), AVM (Recog http_servers)
	example RomPager/4.07 UPnP/1.0

rule http_server re ^(?:Synology|nginx.*Synology)
	vendor Synology
	type nas
	conf 70
	from Synology DSM web server (Recog http_servers)
	example Synology/DSM

rule http_server re ^(?:Sonos|Linux UPnP/1\.0 Sonos)
	vendor Sonos
	type speaker
	conf 75
	from Sonos players' web server (Sonos)
	example Linux UPnP/1.0 Sonos/57.3-77280 (ZPS1)

rule http_server re ^(?:IpBridge|Hue)
	vendor Philips Hue
	type hub
	conf 70
	from Hue bridge web server (Hue developer documentation)
	example Hue/1.0 UPnP/1.0 IpBridge/1.57.0

rule http_server re ^(?:lighttpd|Boa|GoAhead-Webs|thttpd|uhttpd)
	os Linux
	conf 20
	from small web servers of embedded Linux devices (Recog http_servers)
	example GoAhead-Webs

# === URLs ======================================================================
rule http_url re fitbit\.com/scale/
	vendor Fitbit
	type scale
	model Aria
	conf 85
	from Fitbit Aria scales register and upload over HTTP to www.fitbit.com/scale/register and /scale/upload (public reverse engineering of the Aria protocol)
	example www.fitbit.com/scale/upload
	example www.fitbit.com/scale/register

rule http_url re withings\.(?:net|com)/cgi-bin/(?:once|session|measure|maint|association)
	vendor Withings
	type scale
	conf 80
	from Withings Wi-Fi scales' cgi-bin protocol on scalews.withings.net (once, session, measure) (public reverse engineering of WS-30/WBS01)
	example scalews.withings.net/cgi-bin/once

rule http_url re /generate_204$|/gen_204$
	software connectivity check
	conf 30
	from "generate_204" connectivity checks of Android and Chromium-based stacks (AOSP NetworkMonitor)
	example connectivitycheck.gstatic.com/generate_204

rule http_url re ^captive\.apple\.com/hotspot-detect\.html|/library/test/success\.html
	vendor Apple
	conf 55
	from Apple's captive-portal probe (iOS, macOS)
	example captive.apple.com/hotspot-detect.html

rule http_url re ^(?:www\.msftconnecttest\.com/connecttest\.txt|www\.msftncsi\.com/ncsi\.txt)
	os Windows
	type computer
	conf 60
	from Windows Network Connectivity Status Indicator probes (Microsoft documentation)
	example www.msftconnecttest.com/connecttest.txt

rule http_url re ^(?:ca-mgr|mp-[\w-]+)\.auto\.mydlink\.com/
	vendor D-Link
	conf 70
	from D-Link mydlink devices fetch their CA bundle and relays from *.auto.mydlink.com (D-Link)
	example ca-mgr.auto.mydlink.com/default/ca-bundle.crt

rule http_url re ^(?:dcp\.dc1|www\.ecdinterface)\.philips\.com(?::\d+)?/
	vendor Philips Hue
	type hub
	conf 75
	from Hue bridges' portal requests to dcp.dc1.philips.com and www.ecdinterface.philips.com (Hue bridge traffic)
	example dcp.dc1.philips.com/DcpRequestHandler/index.ashx

rule http_url re /upnp/control/basicevent1|/setup\.xml$
	vendor Belkin
	conf 50
	from WeMo's UPnP control and description paths /upnp/control/basicevent1 and /setup.xml (pywemo)
	example 192.168.1.20:49153/setup.xml
