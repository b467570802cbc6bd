#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""cordon-dataplane behind a memif port, fed by a traffic generator.

The dataplane is the memif server; dpdk-testpmd in txonly mode is the
client and generates traffic, as pktgen-dpdk would (see the README). The
dataplane must receive it and account for every packet.
"""

import argparse
import os
import signal
import subprocess
import time

from cordonlab import finish, Lab, final_counters, run, telemetry, wait_until


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    lab = Lab(ap.parse_args().build, "memif")
    ok = False
    gen = None
    try:
        sock = lab.path("memif.sock")
        prefix = "cordon-memif-%d" % os.getpid()
        dp = lab.start_dataplane(["net_memif0,role=server,socket=%s" % sock,
                                  "net_null0,no-rx=1"], "--no-control", prefix=prefix)
        # The memif socket is abstract (no file): wait for the dataplane.
        wait_until(lambda: os.path.exists("/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix), 60,
                   "dataplane never came up")
        time.sleep(0.5)
        gen_prefix = "cordon-memif-gen-%d" % os.getpid()
        gen = subprocess.Popen(["dpdk-testpmd", "-l", "0,1", "--no-huge", "-m", "256",
                                "--no-pci", "--file-prefix", gen_prefix, "--log-level",
                                "*:error", "--vdev",
                                "net_memif0,role=client,socket=%s" % sock, "--",
                                "--forward-mode=txonly", "--no-mlockall",
                                "--total-num-mbufs=8192", "-a", "--stats-period", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)

        def received():
            try:
                return telemetry(prefix, "/cordon/port,0")["/cordon/port"]["rx_packets"]
            except (OSError, TypeError, KeyError):
                return 0        # not up yet

        wait_until(lambda: received() > 10000, 60, "no traffic through memif")
        gen.stdin.close()
        gen.send_signal(signal.SIGINT)
        gen.wait(20)
        time.sleep(0.5)
        dp.send_signal(signal.SIGTERM)
        assert dp.wait(20) == 0
        rx, tx, drops = final_counters(dp.log_path)
        print("through memif: rx %d tx %d drops %d" % (rx, tx, drops))
        assert rx > 10000 and rx == tx + drops
        ok = True
    except BaseException:
        lab.dump_logs()
        raise
    finally:
        if gen is not None and gen.poll() is None:
            gen.kill()
            gen.wait()
        subprocess.run(["rm", "-rf", "/var/run/dpdk/cordon-memif-gen-%d" % os.getpid()])
        finish(lab, ok)


if __name__ == "__main__":
    run(main)
