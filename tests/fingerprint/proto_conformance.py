#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""DHCP, DHCPv6, DNS and mDNS conformance.

- every DHCP packet tshark dissects: option list, parameter request list
  (option 55, wire order), vendor class (60) and hostname (12) agree;
- every DHCPv6 packet: option list (relay messages flattened depth-first,
  as tshark shows them) and ORO agree;
- every DNS message: first question name and type, and the A/AAAA answer
  sets agree;
- the MUD URLs tcpdump prints for dhcp-mud / dhcpv6-mud are ours too;
- the suricata-verify dhcp/dns/mdns expectations (test.yaml) hold.

usage: proto_conformance.py TOOL TESTDATA_DIR
"""

import ipaddress
import os
import sys

from fpcommon import captures, report, run_tool, suricata_tests, tshark_fields

# The parameter names Suricata's eve logger knows; it leaves others out.
PARAM_NAMES = {1: 'subnet_mask', 3: 'router', 6: 'dns_server', 15: 'domain',
               35: 'arp_timeout', 42: 'ntp_server', 66: 'tftp_server_name',
               150: 'tftp_server_ip'}
DHCP_TYPES = {1: 'discover', 2: 'offer', 3: 'request', 4: 'decline',
              5: 'ack', 6: 'nak', 7: 'release', 8: 'inform'}
RCODES = {0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN',
          4: 'NOTIMP', 5: 'REFUSED'}

CACHE = {}


def tool_obs(tool, pcap):
    if pcap not in CACHE:
        CACHE[pcap] = run_tool(tool, pcap)
    return CACHE[pcap]


def ints(s):
    return [int(x, 0) for x in s.split('|')] if s else []


class Counter:
    def __init__(self):
        self.n = {}
        self.bad = 0
        self.details = []

    def check(self, area, ok, msg):
        self.n[area] = self.n.get(area, 0) + 1
        if not ok:
            self.bad += 1
            self.details.append('%s: %s' % (area, msg))


FIELDS = ['frame.number', '_ws.malformed', 'frame.protocols', 'udp.srcport', 'udp.dstport',
          'dhcp.id', 'dhcp.option.type', 'dhcp.option.request_list_item',
          'dhcp.option.vendor_class_id', 'dhcp.option.hostname',
          'dhcpv6.msgtype', 'dhcpv6.option.type',
          'dhcpv6.requested_option_code',
          'dns.id', 'dns.qry.name', 'dns.qry.type', 'dns.a', 'dns.aaaa']


def check_capture(tool, pcap, c):
    """One tshark pass per capture; rows matched to ours by frame."""
    rows = tshark_fields(pcap, 'dhcp || dhcpv6 || dns', FIELDS)
    if not rows:
        return
    obs = {}
    for o in tool_obs(tool, pcap):
        obs.setdefault(o['frame'], []).append(o)
    name = os.path.basename(pcap)
    for r in rows:
        r += [''] * (len(FIELDS) - len(r))
        f = dict(zip(FIELDS, r))
        if f['_ws.malformed']:
            continue    # tshark gave up on it; nothing to compare
        if 'icmp' in f['frame.protocols']:
            continue    # a packet quoted inside an ICMP error
        ports = (f['udp.srcport'].split('|')[-1],
                 f['udp.dstport'].split('|')[-1])
        if f['dns.id'] and not set(ports) & {'53', '5353', '5355', ''}:
            continue    # DNS on a non-standard port (tshark: 8053)
        frame = int(f['frame.number'])
        here = obs.get(frame, [])
        where = '%s frame %d' % (name, frame)
        if f['dhcp.id']:
            check_dhcp(f, [o for o in here if o['kind'] == 'dhcp'], where, c)
        if f['dhcpv6.msgtype']:
            check_dhcpv6(f, [o for o in here if o['kind'] == 'dhcpv6'],
                         where, c)
        if f['dns.id'] and '5353' not in (f['udp.srcport'],
                                          f['udp.dstport']):
            check_dns(f, [o for o in here if o['kind'] in
                          ('dns_query', 'dns_answer')], where, c)


def check_dhcp(f, mine, where, c):
    if len(mine) != 1:
        c.check('dhcp', False, '%s: %d dhcp observations' % (where,
                                                              len(mine)))
        return
    m = mine[0]
    t_opts = [x for x in ints(f['dhcp.option.type']) if x != 0]
    m_opts = [x for x in m['options'] if x != 255]
    if 52 in m_opts:
        # tshark walks the overloaded sname/file fields at another point
        # of the list; compare as multisets
        t_opts, m_opts = sorted(t_opts), sorted(m_opts)
    c.check('dhcp', t_opts == m_opts, '%s options tshark %s ours %s' %
            (where, t_opts, m_opts))
    plist = ','.join(str(x) for x in ints(f['dhcp.option.request_list_item']))
    c.check('dhcp', plist == m['param_list'], '%s param_list tshark %s ours '
            '%s' % (where, plist, m['param_list']))
    for field, col in (('vendor_class', 'dhcp.option.vendor_class_id'),
                       ('hostname', 'dhcp.option.hostname')):
        want = f[col].split('|')[0].rstrip('\x00') if f[col] else None
        got = m.get(field)
        got = got.rstrip('\x00') if got else None
        c.check('dhcp', want == got, '%s %s tshark %r ours %r' %
                (where, field, want, got))


def check_dhcpv6(f, mine, where, c):
    if len(mine) != 1:
        c.check('dhcpv6', False, '%s: %d dhcpv6 observations' %
                (where, len(mine)))
        return
    m = mine[0]
    c.check('dhcpv6', ints(f['dhcpv6.option.type']) == m['options'],
            '%s options tshark %s ours %s' % (
                where, ints(f['dhcpv6.option.type']), m['options']))
    oro = ints(f['dhcpv6.requested_option_code'])
    c.check('dhcpv6', oro == m['oro'], '%s oro tshark %s ours %s' %
            (where, oro, m['oro']))


def check_dns(f, mine, where, c):
    qname = f['dns.qry.name'].split('|')[0]
    if not qname.isascii() or '\\' in qname:
        return      # tshark escapes odd bytes its own way
    if len(mine) != 1:
        c.check('dns', False, '%s: %d dns observations' % (where, len(mine)))
        return
    m = mine[0]
    c.check('dns', m.get('name', '') == qname, '%s name tshark %r ours %r' %
            (where, qname, m.get('name')))
    want = sorted(str(ipaddress.ip_address(x))
                  for x in (f['dns.a'].split('|') if f['dns.a'] else []) +
                  (f['dns.aaaa'].split('|') if f['dns.aaaa'] else []))
    got = sorted(a['data'] for a in m['answers'] + m.get('additional', [])
                 if a['type'] in ('A', 'AAAA') and 'data' in a)
    c.check('dns', want == got, '%s addresses tshark %s ours %s' %
            (where, want, got))


def check_mud(tool, tdir, c):
    url = 'https://mudctl.example.com/.well-known/mud/v1/rasbp101'
    for f, kind in (('dhcp-mud.pcap', 'dhcp'), ('dhcpv6-mud.pcap',
                                                 'dhcpv6')):
        pcap = os.path.join(tdir, 'tcpdump', f)
        out = open(pcap[:-5] + '.out', encoding='utf-8',
                   errors='replace').read()
        assert url in out
        # client messages carry it (the DHCPv4 server reply does not)
        got = [o.get('mud_url') for o in tool_obs(tool, pcap)
               if o['kind'] == kind and o.get('op', 1) == 1]
        c.check('mud', bool(got) and all(g == url for g in got),
                '%s: mud_url %s' % (f, got))


def suri_dhcp(o, k):
    m = {'dhcp.id': o.get('xid'),
         'dhcp.type': 'request' if o.get('op') == 1 else 'reply',
         'dhcp.dhcp_type': DHCP_TYPES.get(o.get('msg_type')),
         'dhcp.client_mac': o.get('client_mac'),
         'dhcp.vendor_class_identifier': o.get('vendor_class'),
         'dhcp.hostname': o.get('hostname'),
         'dhcp.assigned_ip': o.get('yiaddr'),
         'dhcp.client_ip': o.get('ciaddr'),
         'dhcp.lease_time': o.get('lease_time'),
         'src_ip': o['src'], 'dest_ip': o['dst'], 'src_port': o['sport'],
         'dest_port': o['dport'], 'proto': 'UDP', 'event_type': 'dhcp'}
    if o.get('client_id'):
        # Suricata prints option 61 without its hardware-type byte
        m['dhcp.client_id'] = o['client_id'].split(':', 1)[-1]
    params = [PARAM_NAMES[int(x)] for x in o['param_list'].split(',')
              if x and int(x) in PARAM_NAMES]
    for i, p in enumerate(params):
        m['dhcp.params[%d]' % i] = p
    for i, a in enumerate(o.get('routers', [])):
        m['dhcp.routers[%d]' % i] = a
    for i, a in enumerate(o.get('dns_servers', [])):
        m['dhcp.dns_servers[%d]' % i] = a
    return m.get(k, KeyError)


def suri_dns(o, k):
    m = {'event_type': 'dns' if o['kind'] != 'mdns' else 'mdns',
         'dns.type': 'response' if o['kind'] == 'dns_answer' else 'request',
         'dns.rcode': RCODES.get(o.get('rcode')), 'dns.rrname': o.get('name'),
         'mdns.type': 'response' if o.get('response') else 'request'}
    if m['dns.type'] == 'request':
        m['dns.type'] = 'request'
    for pre in ('dns', 'mdns'):
        for i, q in enumerate(o.get('queries', [])):
            m['%s.queries[%d].rrname' % (pre, i)] = q['name']
            m['%s.queries[%d].rrtype' % (pre, i)] = q['type'].lower()
        for i, a in enumerate(o.get('answers', [])):
            m['%s.answers[%d].rrname' % (pre, i)] = a['name']
            if a['type'] == 'TXT':
                m['%s.answers[%d].txt' % (pre, i)] = a.get('data', '')
            if a['type'] == 'PTR':
                m['%s.answers[%d].ptr' % (pre, i)] = a.get('data')
    return m.get(k, KeyError)


def check_suricata(tool, tdir, c):
    for d, spec, pcaps in suricata_tests(tdir):
        for chk in spec.get('checks', []):
            f = chk.get('filter', {})
            m = dict(f.get('match', {}))
            et = m.get('event_type')
            if et not in ('dhcp', 'dns', 'mdns'):
                continue
            # Suricata-internal fields we have no notion of
            frame = m.pop('pcap_cnt', None)
            for k in ('dhcp.relay_ip', 'dhcp.next_server_ip',
                      'dhcp.renewal_time', 'dhcp.rebinding_time',
                      'dhcp.subnet_mask', 'dns.version'):
                m.pop(k, None)
            if f.get('requires', {}).get('lt-version'):
                continue    # expectations for old Suricata output formats
            for k, v in list(m.items()):
                if k.endswith('.txt') and isinstance(v, list):
                    m[k] = '; '.join(v)
            if et == 'dhcp':
                obs = [o for o in tool_obs(tool, pcaps[0])
                       if o['kind'] == 'dhcp']
                get = suri_dhcp
            else:
                obs = [o for o in tool_obs(tool, pcaps[0])
                       if o['kind'] in (('mdns',) if et == 'mdns' else
                                        ('dns_query', 'dns_answer'))]
                get = suri_dns
            if frame is not None:
                obs = [o for o in obs if o['frame'] == frame]
            n = sum(1 for o in obs if all(get(o, k) == v
                                          for k, v in m.items()))
            want = f.get('count', 1)
            c.check('suricata-verify', (n > 0) == (want > 0),
                    '%s: %s matched %d events, Suricata %d' %
                    (os.path.basename(d), m, n, want))


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: proto_conformance.py CORDON-FINGERPRINT TESTDATA-DIR')
    tool, tdir = sys.argv[1], sys.argv[2]
    c = Counter()
    for pcap in captures(tdir):
        check_capture(tool, pcap, c)
    check_mud(tool, tdir, c)
    check_suricata(tool, tdir, c)
    for k, v in sorted(c.n.items()):
        print('%s: %d checks' % (k, v))
    report('dhcp/dns/mdns', sum(c.n.values()), c.bad, c.details)


if __name__ == '__main__':
    main()
