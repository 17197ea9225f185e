// BGP4MP bodies, 4-octet AS forms (RFC 6396 §4.4.3 - §4.4.8, add-path variants RFC 8050 §3): the
// peering (ASes, interface index, addresses) and then a whole BGP message or two FSM states.

import { AFI_IPV4, AFI_IPV6 } from '../afi.js';
import { WireError } from '../errors.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import {
  BGP4MP_MESSAGE_AS4,
  BGP4MP_MESSAGE_AS4_ADDPATH,
  BGP4MP_MESSAGE_AS4_LOCAL,
  BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH,
  BGP4MP_STATE_CHANGE_AS4,
  type Bgp4mpMessage,
  type Bgp4mpPeering,
  type Bgp4mpStateChange,
} from './types.js';

function mrtError(reason: string): WireError {
  return new WireError('mrt', reason);
}

/** The subtype of a message record: direction (LOCAL: sent by us) and add-path. */
export function bgp4mpMessageSubtype(m: Pick<Bgp4mpMessage, 'local' | 'addPath'>): number {
  if (m.local) return m.addPath ? BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH : BGP4MP_MESSAGE_AS4_LOCAL;
  return m.addPath ? BGP4MP_MESSAGE_AS4_ADDPATH : BGP4MP_MESSAGE_AS4;
}

/** The BGP4MP subtypes this codec reads. */
export function isKnownBgp4mpSubtype(subtype: number): boolean {
  return (
    subtype === BGP4MP_STATE_CHANGE_AS4 ||
    subtype === BGP4MP_MESSAGE_AS4 ||
    subtype === BGP4MP_MESSAGE_AS4_LOCAL ||
    subtype === BGP4MP_MESSAGE_AS4_ADDPATH ||
    subtype === BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH
  );
}

function encodePeering(w: Writer, p: Bgp4mpPeering): void {
  const len = p.peerIp.length;
  if ((len !== 4 && len !== 16) || p.localIp.length !== len) {
    throw mrtError(
      `BGP4MP addresses of one family are needed (peer ${len}, local ${p.localIp.length} octets)`,
    );
  }
  w.u32(p.peerAs).u32(p.localAs).u16(p.ifIndex);
  w.u16(len === 4 ? AFI_IPV4 : AFI_IPV6);
  w.bytes(p.peerIp).bytes(p.localIp);
}

function decodePeering(r: Reader): Bgp4mpPeering {
  const peerAs = r.u32();
  const localAs = r.u32();
  const ifIndex = r.u16();
  const afi = r.u16();
  if (afi !== AFI_IPV4 && afi !== AFI_IPV6) throw mrtError(`BGP4MP address family ${afi}`);
  const n = afi === AFI_IPV4 ? 4 : 16;
  return {
    peerAs,
    localAs,
    ifIndex,
    peerIp: new Uint8Array(r.bytes(n)),
    localIp: new Uint8Array(r.bytes(n)),
  };
}

export function encodeBgp4mpMessage(w: Writer, m: Bgp4mpMessage): void {
  encodePeering(w, m);
  w.bytes(m.message);
}

export function encodeBgp4mpStateChange(w: Writer, s: Bgp4mpStateChange): void {
  encodePeering(w, s);
  w.u16(s.oldState).u16(s.newState);
}

/** One BGP4MP body of a known subtype, from a reader over exactly its octets. */
export function decodeBgp4mp(r: Reader, subtype: number): Bgp4mpMessage | Bgp4mpStateChange {
  const p = decodePeering(r);
  if (subtype === BGP4MP_STATE_CHANGE_AS4) {
    return { kind: 'bgp4mp-state-change', ...p, oldState: r.u16(), newState: r.u16() };
  }
  // §4.4.3: the message runs to the end of the record, with its 19-octet header at least.
  if (r.remaining < 19) throw mrtError(`a BGP message of ${r.remaining} octets`);
  const local =
    subtype === BGP4MP_MESSAGE_AS4_LOCAL || subtype === BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH;
  const addPath =
    subtype === BGP4MP_MESSAGE_AS4_ADDPATH || subtype === BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH;
  return {
    kind: 'bgp4mp-message',
    ...p,
    local,
    addPath,
    message: new Uint8Array(r.bytes(r.remaining)),
  };
}
