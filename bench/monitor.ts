// The monitor's counting: walks each UPDATE the device under test sends, finds the VPNv4 NLRI in
// MP_REACH_NLRI / MP_UNREACH_NLRI and maps each back to the injected route's index (see
// routes.ts), so duplicates and re-advertisements never inflate the count. No per-prefix objects:
// the monitor must stay much faster than any device it measures.

import { INJECTOR_AS, perRd, type LoadShape } from './routes.js';

const PREFIX_BASE = 0x0a000000;

export class RouteCounter {
  /** 1 where the route is currently advertised to us. */
  private readonly present: Uint8Array;
  private readonly per: number;
  presentCount = 0;
  /** Distinct routes ever seen announced. */
  seenCount = 0;
  withdrawnCount = 0;
  updates = 0;
  /** NLRI that map to no injected route (wrong RD, prefix or length). */
  foreign = 0;
  endOfRib = false;
  lastChangeAt = 0;
  private readonly seen: Uint8Array;

  constructor(readonly shape: LoadShape) {
    this.present = new Uint8Array(shape.routes);
    this.seen = new Uint8Array(shape.routes);
    this.per = perRd(shape);
  }

  onUpdate(msg: Buffer): void {
    this.updates++;
    let off = 19;
    const wlen = msg.readUInt16BE(off);
    off += 2 + wlen; // IPv4 unicast withdrawals are not ours
    const alen = msg.readUInt16BE(off);
    off += 2;
    const end = off + alen;
    while (off + 3 <= end) {
      const flags = msg[off]!;
      const type = msg[off + 1]!;
      const ext = (flags & 0x10) !== 0;
      const len = ext ? msg.readUInt16BE(off + 2) : msg[off + 2]!;
      const v = off + (ext ? 4 : 3);
      off = v + len;
      if (type !== 14 && type !== 15) continue;
      // RFC 4760 §3/§4: AFI (2), SAFI (1), then for MP_REACH the next hop and a reserved octet.
      if (msg.readUInt16BE(v) !== 1 || msg[v + 2] !== 128) continue;
      if (type === 14) {
        const nhLen = msg[v + 3]!;
        this.walk(msg, v + 4 + nhLen + 1, v + len, false);
      } else {
        if (len === 3) this.endOfRib = true; // RFC 4724 §2
        this.walk(msg, v + 3, v + len, true);
      }
    }
  }

  private walk(msg: Buffer, at: number, end: number, withdraw: boolean): void {
    while (at < end) {
      const bits = msg[at]!;
      let p = at + 1;
      let labels = 0;
      // RFC 3107 §3 / RFC 8277: labels until bottom of stack; a withdrawal carries one.
      for (;;) {
        const entry = msg[p + 2]!;
        p += 3;
        labels++;
        if (withdraw || (entry & 1) === 1 || labels >= 3) break;
      }
      const plen = bits - 24 * labels - 64;
      const rdType = msg.readUInt16BE(p);
      const admin = msg.readUInt16BE(p + 2);
      const assigned = msg.readUInt32BE(p + 4);
      p += 8;
      const octets = (plen + 7) >> 3;
      let addr = 0;
      for (let k = 0; k < 4; k++) addr = addr * 256 + (k < octets ? msg[p + k]! : 0);
      at = p + octets;
      const idx = (addr - PREFIX_BASE) / 256;
      if (
        rdType !== 0 ||
        admin !== INJECTOR_AS ||
        plen !== 24 ||
        assigned >= this.shape.rds ||
        !Number.isInteger(idx) ||
        idx < 0 ||
        idx >= this.per
      ) {
        this.foreign++;
        continue;
      }
      const i = assigned * this.per + idx;
      if (i >= this.shape.routes) {
        this.foreign++;
        continue;
      }
      if (withdraw) {
        if (this.present[i] === 1) {
          this.present[i] = 0;
          this.presentCount--;
          this.withdrawnCount++;
          this.lastChangeAt = performance.now();
        }
      } else if (this.present[i] === 0) {
        this.present[i] = 1;
        this.presentCount++;
        if (this.seen[i] === 0) {
          this.seen[i] = 1;
          this.seenCount++;
        }
        this.lastChangeAt = performance.now();
      }
    }
  }
}
