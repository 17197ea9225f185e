// An update group names a VPNv4 route that keeps a code (model/v4-key-code.ts) by its RD part and
// number, not its key string: its Adj-RIB-Out and the octets it sends must be those of the same
// destinations queued by key, for every prefix length, /31 and /32 (their routes keep the key
// string), host bits set, and with the path identifier of ADD-PATH (RFC 7911 §3) in a withdrawal.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import type { Route } from '../../src/model/route.js';
import { UpdateGroup } from '../../src/rib/adj-out.js';
import { Rib } from '../../src/rib/rib.js';
import { FAMILIES, familyKey } from '../../src/wire/afi.js';
import { DEFAULT_CONTEXT, type CodecContext } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import {
  encodeAnnouncedKey,
  encodeV4Number,
  encodeWithdrawnKey,
  nlriKey,
  v4KeyNumber,
} from '../../src/wire/nlri/key.js';
import { maskV4 } from '../../src/wire/nlri/prefix.js';
import type { Rd, VpnNlri } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';
import { peerOrigin } from './peer-origin.js';

const vpn = (rd: Rd, len: number, addr: number): VpnNlri => ({
  kind: 'vpn',
  // The label field as sent: label 16, bottom of stack.
  labels: [(16 << 4) | 1],
  rd,
  prefix: { afi: 1, len, addr: addr >>> 0 },
});

function awkward(): VpnNlri[] {
  const out: VpnNlri[] = [];
  for (const rd of [
    { hi: 65000, lo: 7 },
    { hi: 0xfffe0001, lo: 0x80000001 },
  ])
    for (let len = 0; len <= 32; len++) {
      const net = len === 0 ? 0 : (0xc0a80100 & (0xffffffff << (32 - len))) >>> 0;
      out.push(vpn(rd, len, net), vpn(rd, len, 0xffffffff), vpn(rd, len, net | 1));
    }
  return out;
}

/** The NLRI of awkward() announced into a VPN table, and the table's routes for them. */
function routes(): { nlri: VpnNlri[]; rs: Route[] } {
  const rib = new Rib();
  const nlri = awkward();
  const vals = { ...EMPTY_ATTR_VALUES, nextHop: { afi: 1 as const, addr: 0x7f00000b } };
  rib.announce('vpnv4', 2, peerOrigin(2), vals, nlri);
  const t = rib.table('vpnv4');
  return { nlri, rs: nlri.map((n) => t.bestOf(nlriKey(n))!) };
}

const ADD_PATH: CodecContext = {
  ...DEFAULT_CONTEXT,
  addPath: new Set([familyKey(FAMILIES.vpnv4.afi, FAMILIES.vpnv4.safi)]),
};

describe('VPNv4 destinations by number in an update group', () => {
  it('encodeV4Number writes the octets of the key', () => {
    for (const ctx of [DEFAULT_CONTEXT, ADD_PATH])
      for (const n of awkward()) {
        const k = nlriKey(n);
        const num = v4KeyNumber(n.prefix.len, n.prefix.addr as number);
        const a = new Writer();
        encodeAnnouncedKey(a, 'vpnv4', k, [16, 17], ctx);
        encodeWithdrawnKey(a, 'vpnv4', k, ctx);
        const b = new Writer();
        encodeV4Number(b, k, num, [16, 17], ctx, false);
        encodeV4Number(b, k.slice(0, 4), num, [], ctx, true);
        expect(b.view()).toEqual(a.view());
      }
  });

  it('a flush of routes sends and records what the same destinations queued by key do', () => {
    const { nlri, rs } = routes();
    const set = rs[0]!.attrs;
    const byRoute = new UpdateGroup('a', { ctx: DEFAULT_CONTEXT, ibgp: false });
    const byKey = new UpdateGroup('b', { ctx: DEFAULT_CONTEXT, ibgp: false });
    const once = rs;
    const seen = new Set(nlri.map(nlriKey));
    expect(seen.size).toBe(rs.length);
    let runA = byRoute.startRun('vpnv4', once.length);
    let runB = byKey.startRun('vpnv4', once.length);
    for (const r of once) {
      runA.addRoute(r, set);
      runB.add(r.key, { nlri: r.nlri, attrs: set, src: r.src });
    }
    const octets = (g: UpdateGroup): Buffer => Buffer.concat(g.flush().flatMap((x) => x.messages));
    const sentA = octets(byRoute);
    expect(sentA).toEqual(octets(byKey));
    const adv = (g: UpdateGroup): string[] => [...g.advertised.get('vpnv4')!.keys()];
    expect(adv(byRoute)).toEqual(adv(byKey));
    expect(new Set(adv(byRoute))).toEqual(seen);
    // What was sent decodes to the routes' NLRI.
    const announced: string[] = [];
    for (let at = 0; at < sentA.length;) {
      const len = sentA.readUInt16BE(at + 16);
      const m = decodeMessage(sentA.subarray(at, at + len), DEFAULT_CONTEXT).message;
      if (m.type !== 'update') throw new Error(m.type);
      for (const a of m.attributes)
        if (a.kind === 'mp-reach') announced.push(...a.nlri.map(nlriKey));
      at += len;
    }
    // The decoder reads no host bits (the octets past the length are not sent, the bits it reads
    // past it are cleared): the sent NLRI are the routes' prefixes masked.
    const masked = (n: VpnNlri): VpnNlri => ({
      ...n,
      prefix: { afi: 1, len: n.prefix.len, addr: maskV4(n.prefix.addr as number, n.prefix.len) },
    });
    expect(announced.sort()).toEqual(nlri.map((n) => nlriKey(masked(n))).sort());
    // Withdrawn by the routes (a table's old bests) and by key: the same octets, nothing left.
    runA = byRoute.startRun('vpnv4', once.length);
    runB = byKey.startRun('vpnv4', once.length);
    for (const r of once) {
      runA.addWithdrawn(r);
      runB.add(r.key, null);
    }
    expect(octets(byRoute)).toEqual(octets(byKey));
    expect(byRoute.advertised.get('vpnv4')!.size).toBe(0);
    expect(byKey.advertised.get('vpnv4')!.size).toBe(0);
  });

  it('a destination named by route and by key in one flush is coalesced as by key', () => {
    const { rs } = routes();
    const set = rs[0]!.attrs;
    const g = new UpdateGroup('a', { ctx: DEFAULT_CONTEXT, ibgp: false });
    g.startRun('vpnv4').addRoute(rs[30]!, set);
    g.flush();
    // A withdrawal by route, then the same destination announced by key in another run: one
    // change, the last, which is what the peers have already (neither sent).
    g.startRun('vpnv4').addWithdrawn(rs[30]!);
    g.startRun('vpnv4').add(rs[30]!.key, { nlri: rs[30]!.nlri, attrs: set, src: 3 });
    const [r] = g.flush();
    expect([r?.announced, r?.withdrawn]).toEqual([0, 0]);
    expect(g.advertised.get('vpnv4')!.get(rs[30]!.key)?.src).toBe(2);
    g.startRun('vpnv4').addWithdrawn(rs[30]!);
    expect(g.flush()[0]?.withdrawn).toBe(1);
    expect(g.advertised.get('vpnv4')!.size).toBe(0);
  });
});
