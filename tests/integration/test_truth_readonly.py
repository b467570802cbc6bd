#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The store's file system goes read-only under cordond (issue 11).

In a private mount namespace (unshare -m), cordond's state directory is an
ext4 file system on a loop device, mounted errors=remount-ro; the test
makes the kernel take it read-only as it does on a disk error
(/sys/fs/ext4/DEV/trigger_fs_error), while a dataplane reports:

 - cordond refuses what it cannot store, and `status` says DEGRADED;
 - the dataplane keeps the refused reports and sends them again;
 - the operator's way back: stop cordond, fsck, mount, start cordond; the
   dataplane, still running, delivers what it kept: every report it made
   is acknowledged and stored exactly once, none dropped.
"""

import os
import signal
import sqlite3
import subprocess
import time

from cordonlab import gen_pcap, lab_main, mounted_statedir, private_mounts, report_counters, wait_until


def test(lab):
    img = lab.path("state.img")
    subprocess.run(["truncate", "-s", "32M", img], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", img], check=True)
    mnt = lab.statedir

    loop = ["-o", "loop,errors=remount-ro", img]

    with mounted_statedir(lab, *loop):
        dev = os.path.basename(subprocess.run(["findmnt", "-n", "-o", "SOURCE", mnt],
                                              capture_output=True, text=True).stdout.strip())
        pcap = lab.path("t.pcap")
        gen_pcap(pcap, "--mix", "flows", "-n", "1000", "--flows", "100", "--devices", "10")
        cordond = lab.start_cordond()
        # One report a second: the agent's queue (64) outlasts the repair.
        dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                                  "net_null0,no-rx=1"], "--id", "ro", "--report-interval",
                                 "1000", "--mbufs", "8192")
        wait_until(lambda: lab.ctl_json("stats").get("reports"), 60, "no reports")
        with open("/sys/fs/ext4/%s/trigger_fs_error" % dev, "w") as f:
            f.write("1")
        wait_until(lambda: lab.ctl_json("status").get("degraded"), 60,
                   "status never said degraded on a read-only file system")
        print("read-only: status degraded: %s" % lab.ctl_json("status")["degraded"])
        time.sleep(3)
        # The repair: cordond stopped, fsck, mounted again, cordond back.
        cordond.send_signal(signal.SIGTERM)
        assert cordond.wait(30) == 0
        lab.procs.remove(cordond)
        subprocess.run(["umount", mnt], check=True)
        r = subprocess.run(["fsck.ext4", "-y", img], capture_output=True, text=True)
        print("fsck: exit %d" % r.returncode)
        subprocess.run(["mount", *loop, mnt], check=True)
        cordond = lab.start_cordond()
        wait_until(lambda: [d for d in lab.ctl_json("status").get("dataplanes", [])
                            if d.get("connected")], 60, "the dataplane did not come back")
        time.sleep(2)
        dp.send_signal(signal.SIGTERM)
        assert dp.wait(30) == 0
        v = report_counters(dp.log_path)
        made = v["made"]
        assert v["dropped"] == 0 and v["pending"] == 0, v
        assert v["refused"] > 0, "no refusal was counted"
        db = sqlite3.connect(os.path.join(mnt, "cordond.db"))
        rows = db.execute("SELECT seq FROM report WHERE dataplane_id = 'ro'").fetchall()
        db.close()
        seqs = sorted(r[0] for r in rows)
        print("store: %d reports, %d distinct; dataplane made %d" % (
            len(seqs), len(set(seqs)), made))
        assert seqs == list(range(1, made + 1)), "lost or duplicated reports"
        cordond.send_signal(signal.SIGTERM)
        assert cordond.wait(30) == 0


if __name__ == "__main__":
    private_mounts()
    lab_main("truth-ro", test)
