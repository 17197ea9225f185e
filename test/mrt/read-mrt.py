#!/usr/bin/python3
# Reads MRT files with mrtparse (Debian python3-mrtparse) and prints what it found, field by field,
# as JSON lines, for test/mrt/mrtparse.test.ts to compare with vrfleak's tables.
#
# One patch, and only one: mrtparse (1.6, and upstream 2.x likewise) reads the abbreviated
# MP_REACH_NLRI of a TABLE_DUMP_V2 RIB entry (RFC 6396 section 4.3.4: next hop length and next hop
# only) as a bare address of the record's AFI. For VPN families (SAFI 128) the next hop is an RD
# followed by the address (RFC 4364 section 4.3.2, RFC 4659 section 3.2.1), so mrtparse reads the RD
# as the address and loses its place in the entry. The patch below reads that one form (RD, then
# the address) and leaves every other attribute, record and NLRI to mrtparse's own code.
import json
import sys

import mrtparse

_orig_mp_reach = mrtparse.BgpAttr.unpack_mp_reach_nlri


def _mp_reach(self):
    afi = int.from_bytes(self.buf[self.p:self.p + 2], 'big')
    vpn = mrtparse.af_num.safi in (128, 129)
    if mrtparse.AFI_T[afi] != 'Unknown' or not vpn:
        return _orig_mp_reach(self)
    end = self.p + self.len
    self.mp_reach = {'nlen': self.val_num(1), 'rd': self.val_rd(), 'next_hop': []}
    self.mp_reach['next_hop'].append(self.val_addr(mrtparse.af_num.afi))
    if self.p < end:  # RFC 4659: a second RD and the link-local address
        self.val_rd()
        self.mp_reach['next_hop'].append(self.val_addr(mrtparse.af_num.afi))


mrtparse.BgpAttr.unpack_mp_reach_nlri = _mp_reach


def attrs(lst):
    out = {}
    for a in lst:
        t = a.type
        if t == 1:
            out['origin'] = a.origin
        elif t == 2:
            out['as_path'] = [[s['type'], s['val']] for s in a.as_path]
        elif t == 3:
            out['next_hop'] = a.next_hop
        elif t == 4:
            out['med'] = a.med
        elif t == 5:
            out['local_pref'] = a.local_pref
        elif t == 8:
            out['communities'] = a.comm
        elif t == 14:
            out['mp_reach'] = {k: v for k, v in a.mp_reach.items() if k != 'nlri'}
            if 'nlri' in a.mp_reach:
                out['mp_reach']['nlri'] = [nlri(n) for n in a.mp_reach['nlri']]
        elif t == 15:
            out['mp_unreach'] = {'withdrawn': [nlri(n) for n in a.mp_unreach.get('withdrawn', [])]}
        elif t == 16:
            out['ext_communities'] = ['%016x' % v for v in a.ext_comm]
        elif t == 32:
            out['large_communities'] = a.large_comm
        else:
            out['type_%d' % t] = True
    return out


def nlri(n):
    return {
        'prefix': n.prefix,
        'plen': n.plen,
        'rd': n.rd,
        'labels': n.label,
        'path_id': n.path_id,
    }


def record(m):
    r = {'type': m.type, 'subtype': m.subtype, 'ts': m.ts, 'err': m.err, 'err_msg': m.err_msg}
    if m.err:
        return r
    if m.peer is not None:
        r['collector'] = m.peer.collector
        r['view'] = m.peer.view
        r['peers'] = [{'bgp_id': e.bgp_id, 'ip': e.ip, 'asn': e.asn} for e in m.peer.entry]
    if m.rib is not None:
        rib = m.rib
        r['seq'] = rib.seq
        if hasattr(rib, 'afi') and isinstance(rib, mrtparse.RibGeneric):
            r['afi'], r['safi'] = rib.afi, rib.safi
            r['nlri'] = [nlri(n) for n in rib.nlri]
        else:
            r['prefix'], r['plen'] = rib.prefix, rib.plen
        r['entries'] = [
            {
                'peer_index': e.peer_index,
                'org_time': e.org_time,
                'path_id': e.path_id,
                'attrs': attrs(e.attr),
            }
            for e in rib.entry
        ]
    if m.bgp is not None:
        b = m.bgp
        r['peer_as'], r['local_as'] = b.peer_as, b.local_as
        r['peer_ip'], r['local_ip'] = b.peer_ip, b.local_ip
        msg = b.msg
        r['msg_type'] = msg.type
        if msg.type == 2:
            r['withdrawn'] = [nlri(n) for n in msg.withdrawn]
            r['nlri'] = [nlri(n) for n in msg.nlri]
            r['attrs'] = attrs(msg.attr)
    return r


for path in sys.argv[1:]:
    for entry in mrtparse.Reader(path):
        m = entry.mrt
        for k in ('peer', 'rib', 'bgp'):
            if not hasattr(m, k):
                setattr(m, k, None)
        if not hasattr(m, 'err'):
            m.err, m.err_msg = None, None
        out = record(m)
        out['file'] = path
        print(json.dumps(out))
