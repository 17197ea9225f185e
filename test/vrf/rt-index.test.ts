// The VPN index watches only the route targets some VRF imports (vrf/rt-index.ts): a route target
// first imported after the VPN routes carrying it arrived is found by a scan, one no VRF imports
// any more stops being indexed once settled, and imported again is found again as the VPN table
// is then. Each step is checked against the invariants (nothing stale, nothing missing).

import { describe, expect, it } from 'vitest';
import type { PeerRef } from '../../src/model/route-origin.js';
import { PathDrop } from '../../src/rib/ops.js';
import type { LeakConfig } from '../../src/vrf/defs.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { PEER, vrfDef, World, type RemoteFrom } from './helpers.js';

describe('VPN index by route target', () => {
  it('finds an RT imported late, forgets it when no VRF imports it, finds it again', () => {
    const w = new World({ BLUE: { rd: '65000:5', import: ['65000:1'], export: ['65000:5'] } });
    w.remote('65007:2', '10.7.0.0/24', ['65007:2']);
    w.remote('65007:2', '10.7.1.0/24', ['65007:2', '65007:3']);
    w.remote('65007:3', '10.7.2.0/24', ['65007:3']);
    expect(w.prefixes('BLUE')).toEqual([]);
    const cfg = w.engine.config;
    const importing = (...rts: string[]) => ({
      ...cfg,
      vrfs: cfg.vrfs.map((v) => ({ ...v, importRts: rts.map(rtFromText) })),
    });
    w.reconfigure(importing('65007:2'));
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24', '10.7.1.0/24']);
    expect(w.invariants()).toEqual([]);
    // 65007:2 is imported by no VRF now; routes carrying it change meanwhile.
    w.reconfigure(importing('65007:3'));
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.1.0/24', '10.7.2.0/24']);
    w.remoteWithdraw('65007:2', '10.7.0.0/24');
    w.remote('65007:2', '10.7.3.0/24', ['65007:2']);
    w.remote('65007:3', '10.7.2.0/24', ['65007:2']);
    expect(w.prefixes('BLUE')).toEqual(['10.7.1.0/24']);
    expect(w.invariants()).toEqual([]);
    // Both again: the index is rebuilt from the VPN table as it is now.
    w.reconfigure(importing('65007:2', '65007:3'));
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.1.0/24', '10.7.2.0/24', '10.7.3.0/24']);
    expect(w.invariants()).toEqual([]);
    // A route losing the imported RT leaves the VRF (the index follows best-path changes).
    w.remote('65007:2', '10.7.3.0/24', ['65007:9']);
    expect(w.prefixes('BLUE')).toEqual(['10.7.1.0/24', '10.7.2.0/24']);
    expect(w.invariants()).toEqual([]);
  });
});

/** Another remote PE: its paths are left uncommitted (`settle: false`) until `w.settle()`. */
const PEER8: PeerRef = { ...PEER, id: 8, address: '192.0.2.8', addrKey: 'c0000208', asn: 65008 };
const FROM8: RemoteFrom = { peer: PEER8, settle: false };
const FROM8_V6: RemoteFrom = { ...FROM8, family: 'vpnv6' };

/** The configuration with each named VRF's import RTs replaced. */
function importing(w: World, rts: Record<string, string[]>): LeakConfig {
  const cfg = w.engine.config;
  return {
    ...cfg,
    vrfs: cfg.vrfs.map((v) => {
      const r = rts[v.name];
      return r ? { ...v, importRts: r.map(rtFromText) } : v;
    }),
  };
}

/** Paths the steps of a reconfigure put into a VRF's tables. */
function putsInto(w: World, next: LeakConfig, vrf: string): number {
  let n = 0;
  for (const step of w.engine.reconfigure(next).steps) {
    for (const run of step.ops.runs) {
      if (run.view === vrf) n += run.items.filter((x) => !(x instanceof PathDrop)).length;
    }
    w.rib.apply(step.ops);
  }
  return n;
}

describe('VPN index: scans, indexed route targets, what changes meanwhile', () => {
  const three = (w: World): void => {
    w.remote('65007:2', '10.7.0.0/24', ['65007:2']);
    w.remote('65007:2', '10.7.1.0/24', ['65007:2', '65007:3']);
    w.remote('65007:3', '10.7.2.0/24', ['65007:3']);
  };

  it('follows an RT one VRF imports through scans, then through the index', () => {
    const w = new World({ BLUE: { rd: '65000:5', import: ['65000:1'], export: ['65000:5'] } });
    three(w);
    // The first scan finds 65007:2 (one VRF imports it: not indexed).
    w.reconfigure(importing(w, { BLUE: ['65007:2'] }));
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24', '10.7.1.0/24']);
    // Changes while BLUE imports it: a withdrawal, a new route, an RT lost.
    w.remoteWithdraw('65007:2', '10.7.0.0/24');
    w.remote('65007:3', '10.7.4.0/24', ['65007:2']);
    w.remote('65007:2', '10.7.1.0/24', ['65007:3']);
    expect(w.prefixes('BLUE')).toEqual(['10.7.4.0/24']);
    expect(w.invariants()).toEqual([]);
    // BLUE changed otherwise (its export RT), still importing 65007:2: the second scan indexes it.
    const cfg = w.engine.config;
    w.reconfigure({
      ...cfg,
      vrfs: cfg.vrfs.map((v) => ({ ...v, exportRts: [rtFromText('65000:6')] })),
    });
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.4.0/24']);
    // The index follows the changes from here on.
    w.remote('65007:2', '10.7.5.0/24', ['65007:2']);
    w.remote('65007:3', '10.7.4.0/24', ['65007:9']);
    w.remote('65007:2', '10.7.1.0/24', ['65007:2', '65007:3']);
    expect(w.prefixes('BLUE')).toEqual(['10.7.1.0/24', '10.7.5.0/24']);
    // Read from the index: BLUE changed again.
    w.reconfigure({
      ...w.engine.config,
      vrfs: w.engine.config.vrfs.map((v) => ({ ...v, exportRts: [rtFromText('65000:7')] })),
    });
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.1.0/24', '10.7.5.0/24']);
    expect(w.invariants()).toEqual([]);
  });

  it('indexes an RT two VRFs import at once, and a VRF added later reads it as it is then', () => {
    const w = new World({
      BLUE: { rd: '65000:5', import: ['65000:1'], export: ['65000:5'] },
      RED: { rd: '65000:6', import: ['65000:1'], export: ['65000:6'] },
    });
    three(w);
    w.reconfigure(importing(w, { BLUE: ['65007:2'], RED: ['65007:2'] }));
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24', '10.7.1.0/24']);
    expect(w.prefixes('RED')).toEqual(['10.7.0.0/24', '10.7.1.0/24']);
    // A better path without the RT (a shorter AS path from peer 8) takes one destination out;
    // one with it puts another in; a withdrawal.
    w.remote('65007:2', '10.7.1.0/24', ['65007:9'], { asPath: [] }, FROM8);
    w.remote('65007:3', '10.7.2.0/24', ['65007:2'], { asPath: [] }, FROM8);
    w.settle();
    w.remoteWithdraw('65007:2', '10.7.0.0/24');
    expect(w.prefixes('BLUE')).toEqual(['10.7.2.0/24']);
    expect(w.invariants()).toEqual([]);
    // GREEN comes, importing 65007:2 (from the index).
    const cfg = w.engine.config;
    w.reconfigure({
      ...cfg,
      vrfs: [...cfg.vrfs, vrfDef('GREEN', { rd: '65000:7', import: ['65007:2'] })],
    });
    w.settle();
    expect(w.prefixes('GREEN')).toEqual(['10.7.2.0/24']);
    expect(w.prefixes('RED')).toEqual(['10.7.2.0/24']);
    expect(w.invariants()).toEqual([]);
    // The better path goes: the one carrying the RT is the best again, everywhere.
    w.remoteWithdraw('65007:2', '10.7.1.0/24', { peer: PEER8 });
    for (const v of ['BLUE', 'RED', 'GREEN'])
      expect(w.prefixes(v)).toEqual(['10.7.1.0/24', '10.7.2.0/24']);
    expect(w.invariants()).toEqual([]);
  });

  it('puts a route carrying two imported RTs once, by scan and from the index', () => {
    const w = new World({
      BLUE: { rd: '65000:5', import: ['65000:1'], export: ['65000:5'] },
      RED: { rd: '65000:6', import: ['65000:1'], export: ['65000:6'] },
    });
    three(w);
    // By scan (one VRF imports them).
    expect(putsInto(w, importing(w, { BLUE: ['65007:2', '65007:3'] }), 'BLUE')).toBe(3);
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24', '10.7.1.0/24', '10.7.2.0/24']);
    // Both VRFs import both: indexed at RED's scan; BLUE, changed, reads the index.
    expect(putsInto(w, importing(w, { RED: ['65007:2', '65007:3'] }), 'RED')).toBe(3);
    w.settle();
    const both = importing(w, { BLUE: ['65007:3', '65007:2'], RED: ['65007:2', '65007:3'] });
    expect(putsInto(w, both, 'BLUE')).toBe(3);
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24', '10.7.1.0/24', '10.7.2.0/24']);
    expect(w.invariants()).toEqual([]);
  });

  it('imports what the next recompute settles when the VPN table changed uncommitted', () => {
    const w = new World({ BLUE: { rd: '65000:5', import: ['65000:1'], export: ['65000:5'] } });
    three(w);
    // Not committed before the reconfigure: a better path without the RT over one the VRF is
    // about to import, a better one with it, a new destination, and a withdrawal.
    w.remote('65007:2', '10.7.0.0/24', ['65007:9'], { asPath: [] }, FROM8);
    w.remote('65007:3', '10.7.2.0/24', ['65007:2'], { asPath: [] }, FROM8);
    w.remote('65007:8', '10.7.8.0/24', ['65007:2'], {}, FROM8);
    w.remoteWithdraw('65007:2', '10.7.1.0/24', { settle: false });
    w.reconfigure(importing(w, { BLUE: ['65007:2'] }));
    w.settle();
    expect(w.prefixes('BLUE')).toEqual(['10.7.2.0/24', '10.7.8.0/24']);
    expect(w.invariants()).toEqual([]);
  });

  it('imports VPNv6 routes of an RT by scan and from the index', () => {
    const w = new World({
      BLUE: { rd: '65000:5', import: ['65000:1'], export: ['65000:5'] },
      RED: { rd: '65000:6', import: ['65000:1'], export: ['65000:6'] },
    });
    w.remote('65007:2', '2001:db8:7::/48', ['65007:2'], {}, FROM8_V6);
    w.remote('65007:2', '2001:db8:8::/48', ['65007:3'], {}, FROM8_V6);
    w.remote('65007:2', '10.7.0.0/24', ['65007:2'], {}, FROM8);
    w.settle();
    w.reconfigure(importing(w, { BLUE: ['65007:2'] }));
    w.settle();
    expect(w.prefixes('BLUE', 'ipv6')).toEqual(['v6/48']);
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24']);
    w.reconfigure(importing(w, { RED: ['65007:2'] }));
    w.settle();
    w.remote('65007:2', '2001:db8:8::/48', ['65007:2'], {}, FROM8_V6);
    w.settle();
    // Changed, BLUE reads 65007:2 from the index (indexed at RED's scan, the second for it).
    const cfg = w.engine.config;
    w.reconfigure({
      ...cfg,
      vrfs: cfg.vrfs.map((v) => (v.name === 'BLUE' ? { ...v, label: 101 } : v)),
    });
    w.settle();
    expect(w.prefixes('BLUE', 'ipv6')).toEqual(['v6/48', 'v6/48']);
    expect(w.prefixes('RED', 'ipv6')).toEqual(['v6/48', 'v6/48']);
    expect(w.invariants()).toEqual([]);
  });
});

describe('no VRF imports anything (idle)', () => {
  /** The engine's VPN import, to ask whether it is idle (its changes then go unread). */
  const idle = (w: World): boolean =>
    (w.engine as unknown as { vpnImport: { idle: boolean } }).vpnImport.idle;

  it('skips VPN changes while idle, and a VRF added later imports what the table holds then', () => {
    const w = new World({});
    expect(idle(w)).toBe(true);
    w.remote('65007:2', '10.7.0.0/24', ['65007:2']);
    w.remote('65007:2', '10.7.1.0/24', ['65007:2']);
    w.remote('65007:2', '10.7.2.0/24', ['65007:3']);
    w.remoteWithdraw('65007:2', '10.7.1.0/24');
    expect(idle(w)).toBe(true);
    const cfg = w.engine.config;
    w.reconfigure({
      ...cfg,
      vrfs: [vrfDef('BLUE', { rd: '65000:5', import: ['65007:2'], export: ['65000:5'] })],
    });
    w.settle();
    expect(idle(w)).toBe(false);
    expect(w.prefixes('BLUE')).toEqual(['10.7.0.0/24']);
    // Not idle: a change is read again (imported, then withdrawn from the VRF).
    w.remote('65007:2', '10.7.3.0/24', ['65007:2']);
    w.remoteWithdraw('65007:2', '10.7.0.0/24');
    expect(w.prefixes('BLUE')).toEqual(['10.7.3.0/24']);
    expect(w.invariants()).toEqual([]);
    // The VRF goes: idle again once its RTs are released.
    w.reconfigure({ ...cfg, vrfs: [] });
    w.settle();
    w.remote('65007:2', '10.7.4.0/24', ['65007:2']);
    expect(idle(w)).toBe(true);
    expect(w.invariants()).toEqual([]);
  });
});
