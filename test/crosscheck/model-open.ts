// The OPEN part of the tshark model: the fields tshark 4.0 shows for each capability
// (RFC 5492), derived from the input objects. LLGR (RFC 9494) is not decoded by tshark 4.0 and
// shows as "unknown" bytes, laid out here by hand.

import type { Capability } from '../../src/wire/types.js';
import type { Acc } from './model.js';
import { colonHex } from './values.js';

function capLength(c: Capability): number {
  switch (c.kind) {
    case 'multiprotocol':
    case 'four-octet-as':
      return 4;
    case 'route-refresh':
    case 'enhanced-route-refresh':
    case 'extended-message':
      return 0;
    case 'graceful-restart':
      return 2 + 4 * c.families.length;
    case 'llgr':
      return 7 * c.families.length;
    case 'add-path':
      return 4 * c.entries.length;
    case 'extended-next-hop':
      return 6 * c.entries.length;
    case 'hostname':
      return 2 + Buffer.byteLength(c.hostname) + Buffer.byteLength(c.domain);
    case 'unknown':
      return c.value.length;
    default: {
      const never: never = c;
      return never;
    }
  }
}

export function capability(a: Acc, c: Capability): void {
  a.add('bgp.cap.type', c.kind === 'unknown' ? c.code : CAP_CODES[c.kind]);
  a.add('bgp.cap.length', capLength(c));
  switch (c.kind) {
    case 'multiprotocol':
      a.add('bgp.cap.mp.afi', c.afi);
      a.add('bgp.cap.mp.safi', c.safi);
      return;
    case 'four-octet-as':
      a.add('bgp.cap.4as', c.asn);
      return;
    case 'graceful-restart':
      a.add('bgp.cap.gr.timers.restart_flag', c.restarting);
      a.add('bgp.cap.gr.timers.notification_flag', c.notification);
      a.add('bgp.cap.gr.timers.restart_time', c.restartTime);
      for (const f of c.families) {
        a.add('bgp.cap.gr.afi', f.afi);
        a.add('bgp.cap.gr.safi', f.safi);
        a.add('bgp.cap.gr.flag.pfs', f.forwarding);
      }
      return;
    case 'llgr': {
      // RFC 9494 §3 laid out by hand: AFI (2), SAFI (1), flags (1), stale time (3).
      const b: number[] = [];
      for (const f of c.families) {
        b.push(f.afi >> 8, f.afi & 255, f.safi, f.flags);
        b.push((f.staleTime >> 16) & 255, (f.staleTime >> 8) & 255, f.staleTime & 255);
      }
      a.add('bgp.cap.unknown', colonHex(Uint8Array.from(b)));
      return;
    }
    case 'add-path':
      for (const e of c.entries) {
        a.add('bgp.cap.ap.afi', e.afi);
        a.add('bgp.cap.ap.safi', e.safi);
        a.add('bgp.cap.ap.sendreceive', e.sendReceive);
      }
      return;
    case 'extended-next-hop':
      for (const e of c.entries) {
        a.add('bgp.cap.enh.afi', e.afi);
        a.add('bgp.cap.enh.safi', e.safi);
        a.add('bgp.cap.enh.nhafi', e.nextHopAfi);
      }
      return;
    case 'hostname':
      a.add('bgp.cap.orf.fqdn.hostname', c.hostname);
      a.add('bgp.cap.orf.fqdn.domain_name', c.domain);
      return;
    case 'unknown':
      a.add('bgp.cap.unknown', colonHex(c.value));
      return;
    case 'route-refresh':
    case 'enhanced-route-refresh':
    case 'extended-message':
      return;
    default: {
      const never: never = c;
      return never;
    }
  }
}

// IANA capability codes, written out here rather than imported so the model stays independent.
const CAP_CODES: Readonly<Record<Exclude<Capability['kind'], 'unknown'>, number>> = {
  multiprotocol: 1,
  'route-refresh': 2,
  'extended-next-hop': 5,
  'extended-message': 6,
  'graceful-restart': 64,
  'four-octet-as': 65,
  'add-path': 69,
  'enhanced-route-refresh': 70,
  llgr: 71,
  hostname: 73,
};
