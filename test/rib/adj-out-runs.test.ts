// The changes an update group queues come in runs (adj-out.ts startRun): a run names each
// destination once and is sent as queued; a destination named again (a later run, enqueue()) is
// sent once, with its last change, as a map of the changes would have it.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { UpdateGroup, type OutPending } from '../../src/rib/adj-out.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { makeOutSet } from '../../src/rib/out-set.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { nlriKey } from '../../src/wire/nlri/key.js';
import type { Nlri } from '../../src/wire/types.js';

const interner = new AttrInterner();
const set = (asn: number) =>
  interner.intern({
    ...EMPTY_ATTR_VALUES,
    nextHop: { afi: 1, addr: 0x7f00000b },
    asPath: [{ type: 2, asns: [asn] }],
  });
const v4 = (a: number): Nlri => ({
  kind: 'prefix',
  prefix: { afi: 1, addr: ((10 << 24) | (a << 8)) >>> 0, len: 24 },
});
const pending = (a: number, asn: number): OutPending => ({ nlri: v4(a), attrs: set(asn), src: 1 });
const key = (a: number): string => nlriKey(v4(a));

function sent(g: UpdateGroup): { announced: number; withdrawn: number } {
  let announced = 0;
  let withdrawn = 0;
  for (const r of g.flush()) {
    announced += r.announced;
    withdrawn += r.withdrawn;
  }
  return { announced, withdrawn };
}

describe('update group runs', () => {
  it('one run: every change is sent as queued', () => {
    const g = new UpdateGroup('g', { ctx: DEFAULT_CONTEXT, ibgp: false });
    const run = g.startRun('ipv4');
    for (let a = 0; a < 5; a++) run.add(key(a), pending(a, 65001));
    expect(sent(g)).toEqual({ announced: 5, withdrawn: 0 });
    expect(g.advertised.get('ipv4')?.size).toBe(5);
  });

  it('a destination withdrawn in one run and announced in the next is announced only', () => {
    const g = new UpdateGroup('g', { ctx: DEFAULT_CONTEXT, ibgp: false });
    g.startRun('ipv4').add(key(0), pending(0, 65001));
    sent(g);
    g.startRun('ipv4').add(key(0), null);
    g.startRun('ipv4').add(key(0), pending(0, 65002));
    expect(sent(g)).toEqual({ announced: 1, withdrawn: 0 });
    expect(g.advertised.get('ipv4')?.get(key(0))?.attrs).toBe(set(65002));
  });

  it('a run after enqueue(), and enqueue() after a run: the last change counts', () => {
    const g = new UpdateGroup('g', { ctx: DEFAULT_CONTEXT, ibgp: false });
    g.enqueue('ipv4', key(1), pending(1, 65001));
    g.startRun('ipv4').add(key(1), null);
    expect(sent(g)).toEqual({ announced: 0, withdrawn: 0 });
    g.startRun('ipv4').add(key(2), pending(2, 65001));
    g.enqueue('ipv4', key(2), null);
    expect(sent(g)).toEqual({ announced: 0, withdrawn: 0 });
    expect(g.advertised.get('ipv4')?.size ?? 0).toBe(0);
  });

  it('runs of sources and sets that alternate: each route in its source bucket and set', () => {
    // A member's own route goes to the other members only (except); another source's to all.
    const g = new UpdateGroup('g', { ctx: DEFAULT_CONTEXT, ibgp: false });
    g.members.add(1).add(2);
    const run = g.startRun('ipv4');
    const from = (a: number, src: number, asn: number): OutPending => ({
      ...pending(a, asn),
      src,
    });
    // Sources 1 (a member) and 9 (not) alternate route by route, the sets every two routes.
    for (let a = 0; a < 32; a++)
      run.add(key(a), from(a, a % 2 === 0 ? 1 : 9, 65001 + (Math.floor(a / 2) % 2)));
    const results = g.flush();
    expect(results).toHaveLength(1);
    const r = results[0]!;
    const prefixes = (msgs: readonly Buffer[]): string[] =>
      msgs.flatMap((m) => {
        const d = decodeMessage(m, DEFAULT_CONTEXT).message;
        if (d.type !== 'update') throw new Error(d.type);
        const path = d.attributes.find((x) => x.kind === 'as-path');
        const asn = path?.kind === 'as-path' ? path.segments[0]?.asns[0] : undefined;
        return d.nlri.map((n) => `${(Number(n.prefix.addr) >>> 8) & 0xff}@${asn}`);
      });
    const expected = (src: number): string[] =>
      Array.from({ length: 32 }, (_, a) => a)
        .filter((a) => (a % 2 === 0 ? 1 : 9) === src)
        .map((a) => `${a}@${65001 + (Math.floor(a / 2) % 2)}`);
    expect(prefixes(r.messages).sort()).toEqual(expected(9).sort());
    expect([...r.except.keys()]).toEqual([1]);
    expect(prefixes(r.except.get(1)!).sort()).toEqual(expected(1).sort());
    expect(r.announced).toBe(32);
  });
});

describe('an outbound set as its own Adj-RIB-Out entry (out-set.ts asEntry)', () => {
  // One OutSet sent for VPN routes of two labels (two RDs' VRF labels) and two sources: the set
  // is the entry of the first (source, labels) it went with, and the others get entries of their
  // own, so what the Adj-RIB-Out says was sent is what was sent, route by route.
  const vpn = (rd: number, a: number, label: number): Nlri => ({
    kind: 'vpn',
    labels: [label],
    rd: { hi: 65001, lo: rd },
    prefix: { afi: 1, addr: ((10 << 24) | (a << 8)) >>> 0, len: 24 },
  });

  it('keeps each route its labels and source', () => {
    const out = makeOutSet(
      set(65001),
      undefined,
      { afi: 1, addr: 0x7f00000b },
      undefined,
      100,
      undefined,
      [],
    );
    const g = new UpdateGroup('g', { ctx: DEFAULT_CONTEXT, ibgp: true });
    const routes = [
      { n: vpn(1, 1, 0x101), src: 1 },
      { n: vpn(1, 2, 0x101), src: 1 },
      { n: vpn(2, 1, 0x201), src: 1 },
      { n: vpn(1, 3, 0x101), src: 7 },
    ];
    const run = g.startRun('vpnv4');
    for (const r of routes) run.add(nlriKey(r.n), { nlri: r.n, attrs: out, src: r.src });
    expect(sent(g)).toEqual({ announced: 4, withdrawn: 0 });
    const adv = g.advertised.get('vpnv4')!;
    for (const r of routes) {
      const e = adv.get(nlriKey(r.n))!;
      expect([e.attrs, e.src, e.labels, e.pathId]).toEqual([
        out,
        r.src,
        r.n.kind === 'vpn' ? r.n.labels : [],
        0,
      ]);
    }
    // The first (source, labels) is the set itself; the others are entry objects.
    expect(adv.get(nlriKey(routes[0]!.n))).toBe(out);
    expect(adv.get(nlriKey(routes[1]!.n))).toBe(out);
    expect(adv.get(nlriKey(routes[2]!.n))).not.toBe(out);
    expect(adv.get(nlriKey(routes[3]!.n))).not.toBe(out);
  });
});
