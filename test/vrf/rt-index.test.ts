// The VPN index watches only the route targets some VRF imports (vrf/rt-index.ts): a route target
// first imported after the VPN routes carrying it arrived is found by a scan, one no VRF imports
// any more stops being indexed once settled, and imported again is found again as the VPN table
// is then. Each step is checked against the invariants (nothing stale, nothing missing).

import { describe, expect, it } from 'vitest';
import { rtFromText } from '../../src/wire/ext-community.js';
import { World } from './helpers.js';

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
