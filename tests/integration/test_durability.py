#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Reports survive cordond being killed: none acknowledged is lost, none is
stored twice.

A dataplane reports ten times a second while cordond is killed (-9) and
restarted five times at random moments. The dataplane keeps what was not
acknowledged and resends it; cordond stores each report once per
(dataplane, boot, sequence number) and acknowledges only after the commit.
At the end the store must hold every report up to the highest
acknowledged one, each exactly once.
"""

import os
import random
import signal
import sqlite3
import time

from cordonlab import gen_pcap, lab_main, wait_until


def test(lab):
    rng = random.Random(7)
    pcap = lab.path("t.pcap")
    gen_pcap(pcap, "--mix", "flows", "-n", "2000", "--flows", "200", "--devices", "50")
    cordond = lab.start_cordond()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                              "net_null0,no-rx=1"], "--id", "dur",
                             "--report-interval", "100", "--mbufs", "16384")
    wait_until(lambda: lab.ctl_json("status")["dataplanes"], 60, "never registered")
    for k in range(5):
        time.sleep(rng.uniform(0.3, 1.2))
        cordond.send_signal(signal.SIGKILL)
        cordond.wait()
        time.sleep(rng.uniform(0.05, 0.5))
        cordond = lab.start_cordond()
    # The last cordond has the dataplane back and its reports coming
    # (a sleep here was a bet on the machine's speed).
    wait_until(lambda: [d for d in lab.ctl_json("status")["dataplanes"]
                        if d["dataplane_id"] == "dur" and d["connected"]] and
               lab.ctl_json("stats")["reports"], 60, "no reports after the last restart")
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    with open(dp.log_path) as f:
        line = [l for l in f if l.startswith("cordon-dataplane: reports made") and
                "=" not in l][0]
    w = line.split()
    made, acked, dropped = int(w[3].rstrip(",")), int(w[7].rstrip(",")), int(w[9])
    print("dataplane: %d reports made, acknowledged up to %d, %d dropped" % (
        made, acked, dropped))
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0

    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    rows = db.execute("SELECT seq FROM report WHERE dataplane_id = 'dur'").fetchall()
    seqs = [r[0] for r in rows]
    dups = len(seqs) - len(set(seqs))
    lost = [s for s in range(1, acked + 1) if s not in set(seqs)]
    print("store: %d reports, %d distinct, max %d; %d acknowledged ones missing, "
          "%d duplicates" % (len(seqs), len(set(seqs)), max(seqs), len(lost), dups))
    assert dropped == 0, "the agent dropped reports"
    assert acked == made, "not every report was acknowledged at the end"
    assert not lost, lost[:10]
    assert dups == 0
    assert max(seqs) == acked


if __name__ == "__main__":
    lab_main("dur", test)
