# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""A lab of real hosts in network namespaces, bridged by Cordon's dataplane.

Every host is a network namespace with one interface, eth0, whose peer (the
"dataplane side" veth) lives in the lab's switch namespace (<tag>-sw); the
dataplane runs there (lab.netns) and takes those peers as DPDK ports
(--vdev net_af_xdp<N>,iface=<peer>, or net_af_packet<N>); it is the only
thing joining the hosts. Why a namespace of its own: DPDK's af_packet PMD
sets up its receive ring before it binds the socket to the interface, and
whatever crosses any interface of the namespace in between lands in the
ring. In the root namespace that is the machine's traffic (loopback frames,
with zero MACs): the dataplane forwarded or dropped frames no host sent.
A router host carries "internet" addresses
(e.g. 203.0.113.x) on its loopback (no dummy module needed), behind its LAN address, and the
other hosts route everything off-LAN to it.

    lab = NetLab("nist")
    h1 = lab.add_host("h1", mac="00:00:00:00:00:a1", ips=["10.0.0.1/24"])
    r = lab.add_router("router", mac="02:00:00:00:00:fe", ips=["10.0.0.254/24"],
                       wan=["203.0.113.10"])
    lab.up()                        # namespaces, links, addresses, routes
    r.serve(http=["203.0.113.10:80"])
    h1.client("http-get", "http://203.0.113.10/")    # -> True / False
    lab.vdevs()                     # --vdev arguments for the dataplane
    lab.start_dataplane(cordonlab_lab, "--no-control")  # on AF_XDP ports,
                                    # or af_packet where AF_XDP cannot start
    lab.down()                      # also atexit

Names carry the creating process id ("cnl<pid>-h1", links "cnl<pid>.<n>")
so that parallel labs never collide, and a lab removes the leftovers of
dead processes (an aborted run) when it starts. Requires root, iproute2 and
python3; the in-host programs are labhost.py's.
"""

import atexit
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LABHOST = os.path.join(HERE, "labhost.py")
PREFIX = "cnl"
_NAME_RE = re.compile(r"^%s(\d+)[-.]" % PREFIX)
_seq = [0]


class LabError(Exception):
    pass


# The DPDK port types a lab's dataplane can use on the hosts' veths.
PORTS = ("af_packet", "af_xdp")


def _ports_up(file_prefix):
    """The dataplane answers telemetry once its ports have started."""
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(2)
        s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % file_prefix)
        s.recv(16384)
        s.send(b"/cordon/stats")
        ok = "rx_packets" in s.recv(1 << 16).decode()
        s.close()
        return ok
    except (OSError, ValueError):
        return False


def _last_error(log_path):
    """The dataplane's last complaint, for a one-line reason."""
    try:
        with open(log_path, errors="replace") as f:
            lines = [ln.strip() for ln in f if ln.strip()]
    except OSError:
        return "no log"
    for ln in reversed(lines):
        if "fail" in ln.lower() or "error" in ln.lower() or "cannot" in ln.lower():
            return ln
    return lines[-1] if lines else "no output"


def sh(*cmd, check=True, timeout=10, input=None):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=input)
    if check and r.returncode != 0:
        raise LabError("%s: %s" % (" ".join(cmd), r.stderr.strip() or r.returncode))
    return r


def batch(cmds, netns=None, check=True):
    """ip commands ([word, ...] each, without "ip") run by one ip process
    (ip -batch), in network namespace netns if given: a lab makes some
    ten links and addresses per host, and an ip start costs more than
    the change. check: stop at the first that fails and raise, naming
    it; else carry on past failures (-force)."""
    if not cmds:
        return None
    lines = [" ".join(c) for c in cmds]
    r = sh("ip", *(["-n", netns] if netns else []), *([] if check else ["-force"]),
           "-batch", "-", check=False, input="".join(l + "\n" for l in lines))
    if check and r.returncode != 0:
        m = re.search(r"Command failed -:(\d+)", r.stderr)
        what = lines[int(m.group(1)) - 1] if m and 0 < int(m.group(1)) <= len(lines) else \
            "; ".join(lines)
        raise LabError("ip%s %s: %s" % (" -n " + netns if netns else "", what,
                                         r.stderr.strip() or r.returncode))
    return r


def available():
    """None when this machine can run a lab, else why not."""
    if os.geteuid() != 0:
        return "not root"
    try:
        name = "%s%d-probe" % (PREFIX, os.getpid())
        if sh("ip", "netns", "add", name, check=False).returncode != 0:
            return "cannot create network namespaces"
        sh("ip", "netns", "del", name, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        return "no iproute2: %s" % e
    return None


def require():
    """Exit 77 (meson's skip), saying why, where this machine cannot run a
    lab."""
    why = available()
    if why:
        print("SKIP: %s" % why)
        sys.exit(77)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def stale():
    """Namespaces and links of lab processes that are gone: [(kind, name)]."""
    out = []
    for line in sh("ip", "netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = _NAME_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            out.append(("netns", name))
    for line in sh("ip", "-o", "link", "show", check=False).stdout.splitlines():
        parts = line.split(":")
        if len(parts) < 2:
            continue
        name = parts[1].strip().split("@")[0]
        m = _NAME_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            out.append(("link", name))
    return out


def clean_stale():
    """Remove namespaces, then links, left by lab processes that are gone.
    Deleting a namespace may take its veth along: a link already gone is
    fine (and the links are listed again only when a namespace went)."""
    found = stale()
    gone = [name for kind, name in found if kind == "netns"]
    for name in gone:
        sh("ip", "netns", "del", name, check=False)
    for kind, name in stale() if gone else found:
        if kind == "link":
            sh("ip", "link", "del", name, check=False)


class Host:
    """One namespace, one eth0. ips: "ADDR/LEN" strings, v4 or v6."""

    def __init__(self, lab, name, mac, ips, gateway=None, gateway6=None):
        self.lab, self.name, self.mac, self.ips = lab, name, mac.lower(), list(ips)
        self.gateway, self.gateway6 = gateway, gateway6
        self.ns = "%s-%s" % (lab.tag, name)
        self.peer = "%s.%d" % (lab.tag, len(lab.hosts))   # root side; <= 15 chars
        if len(self.peer) > 15:
            raise LabError("link name %s too long" % self.peer)
        self.procs = []
        self.extra = []         # (cmd...) run after the link is up

    @property
    def ip(self):
        """The first address, without its prefix length."""
        return self.ips[0].split("/")[0]

    @property
    def ipv6(self):
        return any(":" in a for a in self.ips)

    def _link(self):
        """The veth, made in the lab's switch namespace: the host side is
        born in the host's namespace, as eth0 with the host's MAC; the
        dataplane side stays, and is up (with eth0 down, it carries
        nothing yet)."""
        return [["link", "add", self.peer, "type", "veth", "peer", "name", "eth0",
                 "address", self.mac, "netns", self.ns],
                ["link", "set", self.peer, "up"]]

    def _setup(self):
        """Once prepared (labhost.py prep): addresses, eth0 up, routes."""
        cmds = [["link", "set", "lo", "up"]]
        for a in self.ips:
            cmds.append(["addr", "add", a, "dev", "eth0", *(["nodad"] if ":" in a else [])])
        cmds.append(["link", "set", "eth0", "up"])
        cmds += [list(cmd) for cmd in self.extra]
        if self.gateway:
            cmds.append(["route", "add", "default", "via", self.gateway])
        if self.gateway6:
            # ip -6 route add default: ::/0, as a batch line has no -6.
            cmds.append(["route", "add", "::/0", "via", self.gateway6])
        batch(cmds, netns=self.ns)
        self.lab.log("host %-8s %-9s %s %s" % (self.name, self.peer, self.mac,
                                               " ".join(self.ips)))

    # -- running things in the host ---------------------------------------
    def cmd(self, *argv):
        return ["ip", "netns", "exec", self.ns, *argv]

    def run(self, *argv, timeout=10, check=False):
        return sh(*self.cmd(*argv), timeout=timeout, check=check)

    def popen(self, *argv, **kw):
        p = subprocess.Popen(self.cmd(*argv), **kw)
        self.procs.append(p)
        return p

    def run_py(self, *args, timeout=10):
        return sh(*self.cmd(sys.executable, LABHOST, *args), timeout=timeout)

    def serve(self, http=(), tcp_echo=(), udp_echo=(), dns=(), zone=(), **more):
        """Start labhost.py servers in this host; returns once they listen.
        more: further serve options, --name-with-dashes=[values] or a value
        (tls=[...], tls_cert=PEM, ntp=[...], telnet=[...], dhcp=[...],
        lease=[...])."""
        argv = [sys.executable, LABHOST, "serve"]
        opts = dict(http=http, tcp_echo=tcp_echo, udp_echo=udp_echo, dns=dns, zone=zone, **more)
        for opt, vals in opts.items():
            for v in ([vals] if isinstance(vals, str) else vals):
                argv += ["--" + opt.replace("_", "-"), v]
        p = self.popen(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = p.stdout.readline()
        if line.strip() != "ready":
            p.kill()
            raise LabError("%s: servers did not start: %s" % (self.name, p.stderr.read()))
        return p

    def client(self, what, *args, timeout=1.0, dns=None, bind=None):
        """Run a labhost.py client (http-get, tcp, udp, icmp, resolve);
        True when it succeeded. self.last holds its CompletedProcess."""
        argv = [sys.executable, LABHOST, what, *map(str, args), "--timeout", str(timeout)]
        if dns:
            argv += ["--dns", dns]
        if bind:
            argv += ["--bind", bind]
        r = sh(*self.cmd(*argv), check=False, timeout=timeout * 3 + 10)
        self.last = r
        return r.returncode == 0

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []


class NetLab:
    def __init__(self, name="lab", verbose=False):
        _seq[0] += 1
        # pid first: clean_stale() tells a dead lab's names by it.
        self.tag = "%s%d-%d" % (PREFIX, os.getpid(), _seq[0]) if _seq[0] > 1 else \
            "%s%d" % (PREFIX, os.getpid())
        self.name, self.verbose = name, verbose
        self.hosts = {}
        self.is_up = False
        self.netns = "%s-sw" % self.tag       # the dataplane's side

    def log(self, msg):
        if self.verbose:
            print("netlab: %s" % msg, flush=True)

    def add_host(self, name, mac, ips, gateway=None, gateway6=None):
        if name in self.hosts:
            raise LabError("host %s twice" % name)
        h = Host(self, name, mac, ips, gateway, gateway6)
        self.hosts[name] = h
        return h

    def add_router(self, name, mac, ips, wan=(), wan6=()):
        """A host owning the "internet" addresses wan (on its
        loopback): off-LAN traffic of the other hosts ends there."""
        h = self.add_host(name, mac, ips)
        for a in wan:
            h.extra.append(("addr", "add", a + ("" if "/" in a else "/32"), "dev", "lo"))
        for a in wan6:
            h.extra.append(("addr", "add", a + ("" if "/" in a else "/128"), "dev", "lo",
                            "nodad"))
        h.wan = list(wan) + list(wan6)
        return h

    def __getitem__(self, name):
        return self.hosts[name]

    def up(self):
        clean_stale()
        atexit.register(self.down)
        self.is_up = True
        t = time.monotonic()
        hosts = list(self.hosts.values())
        batch([["netns", "add", ns] for ns in [self.netns] + [h.ns for h in hosts]])
        # The dataplane side: no addresses, no IPv6 chatter of its own
        # (links made from now on inherit "default").
        sh("ip", "netns", "exec", self.netns, "sysctl", "-qw",
           "net.ipv6.conf.default.disable_ipv6=1", "net.ipv6.conf.all.disable_ipv6=1",
           check=False)
        batch([c for h in hosts for c in h._link()], netns=self.netns)
        # Every host quiet before its eth0 comes up: one labhost.py start
        # for the IPv4-only hosts, one for those with IPv6.
        for v6 in (False, True):
            ns = [a for h in hosts if h.ipv6 == v6 for a in ("--netns", h.ns)]
            if ns:
                sh(sys.executable, LABHOST, "prep", "eth0", *(["--ipv6"] if v6 else []), *ns)
        for h in hosts:
            h._setup()
        self.log("%d hosts up in %.2f s" % (len(self.hosts), time.monotonic() - t))
        return self

    def vdevs(self, port="af_packet"):
        """--vdev arguments: one port per host, in host order. port is
        af_packet, or af_xdp (an AF_XDP socket on the veth: generic XDP,
        copy mode)."""
        if port not in PORTS:
            raise LabError("port type %s: not one of %s" % (port, ", ".join(PORTS)))
        return ["net_%s%d,iface=%s" % (port, i, h.peer)
                for i, h in enumerate(self.hosts.values())]

    def start_dataplane(self, lab, *args, port="af_xdp", prefix=None, timeout=30, **kw):
        """Start cordon-dataplane (cordonlab.Lab lab) on the hosts' links,
        with AF_XDP ports by default. Where AF_XDP cannot start (an old
        kernel, no BPF), say so in one line and fall back to af_packet.
        Returns the process, once its ports are up; p.port is the type."""
        prefix = prefix or "cordon-%s-%d" % (self.name, os.getpid())
        env_in = kw.pop("env", None) or {}
        for kind in (port, "af_packet") if port != "af_packet" else (port,):
            env = dict(env_in)
            if kind == "af_xdp":	# DPDK's leak, not ours: see the file
                env["LSAN_OPTIONS"] = "suppressions=%s" % os.path.join(HERE,
                                                                       "lsan-libxdp.supp")
            p = lab.start_dataplane(self.vdevs(kind), *args, prefix="%s-%s" % (prefix, kind),
                                    env=env, wrap=self.exec_prefix(), **kw)
            p.port = kind
            end = time.monotonic() + timeout
            while time.monotonic() < end and p.poll() is None:
                if _ports_up(p.file_prefix):
                    return p
                time.sleep(0.05)
            if p.poll() is None:
                raise LabError("dataplane on %s ports: not up after %d s" % (kind, timeout))
            why = _last_error(p.log_path)
            if kind == "af_packet":
                raise LabError("dataplane on af_packet ports exited: %s" % why)
            print("netlab: %s ports cannot start here (%s): falling back to af_packet"
                  % (kind, why), flush=True)
        raise LabError("unreachable")

    def down(self):
        if not self.is_up:
            return
        self.is_up = False
        for h in self.hosts.values():
            h.stop()
        batch([["link", "del", h.peer] for h in self.hosts.values()], netns=self.netns,
              check=False)
        batch([["netns", "del", h.ns] for h in self.hosts.values()] +
              [["netns", "del", self.netns]], check=False)

    def exec_prefix(self):
        """Run a command (the dataplane) beside the hosts' peers."""
        return ["ip", "netns", "exec", self.netns]

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.down()
