#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Two dataplanes given one id: the one that holds it keeps it.

CPEs that leave --id at its default (the host name) and share a host name
used to take the registration from each other at every report, each run's
reports stored under the one id, and the inventory flapping between their
devices. cordond now refuses the hello of a second run of an id while the
run that holds it is heard on its open connection, says why to both sides,
counts it (dp_id_conflicts), records it (a dataplane_id_conflict event) and
does not take the second run's polls for the first's (Poll.boot_id, wire
minor 6). When the holder leaves, the other registers.

Real cordond, two real dataplanes, cordonctl.
"""

import os
import signal
import sqlite3

from cordonlab import lab_main, wait_until

VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]


def marks(lab):
    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    try:
        return dict(db.execute("SELECT boot, seq FROM report_mark WHERE dataplane_id = 'cpe'")
                    .fetchall())
    finally:
        db.close()


def registered(lab):
    """(pid, registrations) of the connected 'cpe', or None."""
    st = lab.ctl_json("status")
    for d in st["dataplanes"]:
        if d["dataplane_id"] == "cpe" and d.get("connected"):
            return d["pid"], d.get("registrations", 0)
    return None


def counter(lab, name):
    return lab.ctl_json("status")["counters"].get(name, 0)


def log_has(p, text):
    with open(p.log_path) as f:
        return text in f.read()


def test(lab):
    lab.start_cordond("--report-interval", "200")
    a = lab.start_dataplane(VDEVS, "--id", "cpe", "--report-interval", "200",
                            prefix="cordon-idc-a-%d" % os.getpid())
    wait_until(lambda: registered(lab) == (a.pid, 1), 60, "the first dataplane did not register")
    wait_until(lambda: len(marks(lab)) == 1, 60, "no report of the first dataplane stored")

    b = lab.start_dataplane(VDEVS, "--id", "cpe", "--report-interval", "200",
                            prefix="cordon-idc-b-%d" % os.getpid(), log_name="dataplane-b.log")
    wait_until(lambda: counter(lab, "dp_id_conflicts") >= 3, 60,
               "the second dataplane's hellos were not refused")
    # The first keeps the id, registered once; only its run is stored.
    assert registered(lab) == (a.pid, 1), registered(lab)
    assert counter(lab, "dp_hellos") == 1, lab.ctl_json("status")["counters"]
    m = marks(lab)
    assert len(m) == 1, m
    wait_until(lambda: log_has(b, "that id is in use by another dataplane (pid %d" % a.pid), 30,
               "the second dataplane was not told why")
    assert not log_has(a, "refused"), "the holder was refused something"
    rc, out, err = lab.ctl("status")
    assert rc == 0 and "for an id another dataplane holds (dp_id_conflicts)" in out, out + err
    ev = [e for e in lab.events("--all") if e["kind"] == "dataplane_id_conflict"]
    assert ev and ev[0]["dataplane_id"] == "cpe", ev
    d = ev[0].get("details") or {}
    assert d.get("pid") == str(b.pid) and d.get("holder_pid") == str(a.pid), ev
    # Refused hellos are asked again less and less often: one event a
    # log period, not one per refusal.
    refused = counter(lab, "dp_id_conflicts")
    print("while both ran: %d hellos refused, %d events, holder pid %d, marks %s"
          % (refused, len(ev), a.pid, m))
    assert len(ev) < refused or refused <= 1

    # The holder leaves: the other registers, a run of its own.
    a.send_signal(signal.SIGTERM)
    assert a.wait(30) == 0
    lab.procs.remove(a)
    wait_until(lambda: (registered(lab) or (0,))[0] == b.pid, 60,
               "the second dataplane did not register once the first left")
    wait_until(lambda: len(marks(lab)) == 2, 60, "the second run's reports not stored")
    print("after the holder left: %s registered, marks %s" % (registered(lab), marks(lab)))


if __name__ == "__main__":
    lab_main("idconflict", test)
