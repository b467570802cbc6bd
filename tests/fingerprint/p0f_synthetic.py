# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Hand-made SYN / SYN+ACK packets that exercise p0f's quirks and option
parsing corner cases (written with scapy to a temporary pcap)."""

from scapy.all import Ether, IP, IPv6, TCP, Raw, wrpcap  # noqa: E402


def packets():
    pk = []
    e = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')
    n = [1000]

    def flow(ip_kw, syn_kw, sa_kw=None, v6=False, payload=None):
        n[0] += 1
        sport = n[0]
        L3 = IPv6 if v6 else IP
        a, b = ('2001:db8::1', '2001:db8::2') if v6 else ('10.0.0.1',
                                                          '10.0.0.2')
        s = e / L3(src=a, dst=b, **ip_kw) / TCP(sport=sport, dport=443,
                                                 **syn_kw)
        if payload:
            s = s / Raw(payload)
        pk.append(s)
        if sa_kw is not None:
            pk.append(e / L3(src=b, dst=a) /
                      TCP(sport=443, dport=sport, flags='SA', **sa_kw))

    std = [('MSS', 1460), ('NOP', None), ('WScale', 7), ('NOP', None),
           ('NOP', None), ('SAckOK', b'')]
    linux = [('MSS', 1460), ('SAckOK', b''), ('Timestamp', (12345, 0)),
             ('NOP', None), ('WScale', 7)]
    flow({'ttl': 64, 'flags': 'DF'}, {'flags': 'S', 'window': 64240,
                                      'options': linux},
         {'window': 65160, 'options': linux, 'ack': 1})
    flow({'ttl': 128, 'flags': 'DF', 'id': 0},
         {'flags': 'S', 'window': 8192, 'options': std})
    flow({'ttl': 50, 'id': 0}, {'flags': 'S', 'window': 5840,
                                'options': std})
    flow({'ttl': 255, 'tos': 0x03}, {'flags': 'SEC', 'window': 1024,
                                     'options': std})
    flow({'ttl': 64, 'flags': 'DF'}, {'flags': 'S', 'window': 4096,
                                      'seq': 0, 'ack': 0x01020304,
                                      'options': std})
    flow({'ttl': 64, 'flags': 'DF'}, {'flags': 'S', 'window': 4096,
                                      'ack': 0x02020304, 'options': std})
    flow({'ttl': 64}, {'flags': 'SU', 'urgptr': 5, 'window': 4096,
                       'options': std})
    flow({'ttl': 64}, {'flags': 'SP', 'urgptr': 7, 'window': 4096,
                       'options': std})
    flow({'ttl': 64}, {'flags': 'S', 'window': 4096,
                       'options': [('MSS', 1400), ('Timestamp', (0, 99))]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 4096,
                       'options': [('MSS', 1400), ('WScale', 15),
                                   ('EOL', None), ('NOP', None)]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 4096,
                       'options': [('MSS', 1400), ('EOL', None)]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 4096,
                       'options': [(99, b'ab'), ('MSS', 536)]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 2920,
                       'options': [('MSS', 1460), ('SAck', (1, 2))]})
    flow({'ttl': 64, 'options': b'\x01\x01\x01\x00'},
         {'flags': 'S', 'window': 1500 * 3, 'options': std})
    flow({'ttl': 30}, {'flags': 'S', 'window': 1460 * 4,
                       'options': std}, payload=b'hello')
    flow({'hlim': 64, 'fl': 12345}, {'flags': 'S', 'window': 1440 * 10,
                                     'options': std}, v6=True)
    flow({'hlim': 57, 'tc': 1}, {'flags': 'S', 'window': 28800,
                                 'options': linux},
         {'window': 1440 * 20, 'options': [('MSS', 1440)], 'ack': 1},
         v6=True)
    flow({'ttl': 64, 'flags': 'DF'}, {'flags': 'S', 'window': 65535,
                                      'options': [('MSS', 1460)]},
         {'window': 1448 * 3, 'options': [('MSS', 1380)], 'ack': 1})
    flow({'ttl': 64, 'flags': 'DF'}, {'flags': 'S', 'window': 65535,
                                      'options': [('MSS', 50)]},
         {'window': 0, 'options': [], 'ack': 0})
    # raw option bytes: a bad MSS length and an option running past the end
    flow({'ttl': 64}, {'flags': 'S', 'window': 512,
                       'options': [(2, b'\x05\xb4\x00')]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 512,
                       'options': [('NOP', None), (8, b'\x00' * 4)]})
    # more option and flag corner cases
    flow({'ttl': 64}, {'flags': 'S', 'window': 1024,
                       'options': [('NOP', None)] * 40})
    flow({'ttl': 64, 'flags': 'evil'}, {'flags': 'S', 'window': 1024,
                                        'options': std})
    flow({'ttl': 64}, {'flags': 'SC', 'window': 1024, 'options': std})
    flow({'ttl': 64}, {'flags': 'S', 'window': 1024, 'reserved': 1,
                       'options': std})
    flow({'ttl': 64}, {'flags': 'S', 'window': 1024,
                       'options': [(5, b'\x00' * 2), ('MSS', 1460)]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 1024,
                       'options': [(30, b''), ('MSS', 1460)]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 1024,
                       'options': [('MSS', 1460), ('NOP', None),
                                   ('EOL', None), (1, None)]})
    flow({'ttl': 64}, {'flags': 'S', 'window': 1331 * 2,
                       'options': [('MSS', 1331)]},
         {'window': 1331, 'options': [('MSS', 1331)], 'ack': 1})
    flow({'ttl': 31}, {'flags': 'S', 'window': 65535, 'seq': 5,
                       'options': [('MSS', 1360), ('Timestamp', (7, 0))]},
         {'window': 1348 * 4, 'options': [('MSS', 1400),
                                          ('Timestamp', (9, 7))],
          'ack': 6})
    flow({'hlim': 128, 'fl': 1, 'tc': 2}, {'flags': 'S', 'window': 1440 * 4,
                                           'options': std},
         {'window': 1500 * 2, 'options': [('MSS', 1440)], 'ack': 1},
         v6=True)
    return pk


def write(path):
    wrpcap(path, packets())
