# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# behaviour.sig: what a device's traffic shape over time suggests. The
# words come from fp_identity.c (fingerprint/README.md, "Traffic shape"):
#   upload-stream    >= 10 seconds of >= 30 kB/s sent, 3x more sent than
#                    received
#   download-stream  >= 10 seconds of >= 30 kB/s received, 5x more
#                    received than sent
#   heartbeat        >= 2 minutes seen, under 1 kB/s both ways on average,
#                    never a busy second, few peers
#   forwarder        sends packets from more than four source addresses
#                    (then no other word: a router's traffic is everyone's)
# Shapes are generic clues, kept modest: any specific clue beats them.

rule behaviour exact upload-stream
	type camera
	conf 45
	from a sustained upstream video-rate flow is the signature of a camera streaming to a viewer or cloud (IoT traffic studies: Sivanathan et al., "Classifying IoT Devices in Smart Environments Using Network Traffic Characteristics", IEEE TMC 2019)
	example upload-stream

rule behaviour exact download-stream
	type media-player
	conf 20
	from sustained downstream media-rate traffic: TVs, media players, and also phones and computers streaming (Sivanathan et al. 2019)
	example download-stream

rule behaviour exact heartbeat
	type plug
	conf 15
	from a quiet device that only keeps its cloud connection alive: plugs, bulbs, switches and sensors; plugs are the most common of them in homes (Sivanathan et al. 2019; IoT Sentinel, Miettinen et al. 2017)
	example heartbeat

rule behaviour exact forwarder
	type router
	conf 50
	from a MAC that sends packets from more than four source addresses forwards other hosts' traffic: a router or gateway (NAT gateways send the Internet's packets from their own MAC)
	example forwarder
