// Explain returns the structured reason for each refusal kind (engine.test.ts checks the text of
// the same cases; this checks the verdict objects the API and CLI --json carry).

import { describe, expect, it } from 'vitest';
import { explain, type CandidateVerdict } from '../../src/vrf/explain.js';
import { prefixFromText } from '../../src/wire/nlri/text.js';
import { World } from './helpers.js';

function verdicts(w: World, vrf: string, prefix: string): CandidateVerdict[] {
  return (
    explain(w.rib, w.engine, vrf, prefixFromText(prefix), prefix)?.candidates.map(
      (c) => c.verdict,
    ) ?? []
  );
}

describe('explain: one verdict per refusal kind', () => {
  it('no RT intersection, with the RTs on both sides (hex of the 8 bytes)', () => {
    const w = new World({ A: { rd: '65000:10', import: ['65000:1'] } });
    w.remote('65001:1', '10.9.0.0/24', ['65001:7']);
    // 0002 = type 0x00 (2-octet AS) subtype 0x02 (RT); fde9 = 65001; 00000007 = 7.
    expect(verdicts(w, 'A', '10.9.0.0/24')).toEqual([
      {
        kind: 'refused',
        refusal: {
          kind: 'no-rt-intersection',
          routeRts: ['0002fde900000007'],
          vrfRts: ['0002fde800000001'],
        },
      },
    ]);
  });

  it('import map clause N, and the implicit deny (clause undefined)', () => {
    const w = new World(
      {
        S: { rd: '65000:1', export: ['65000:1'], networks: ['10.1.0.0/24', '10.2.0.0/24'] },
        A: { rd: '65000:10', import: ['65000:1'], importMap: 'M' },
      },
      {
        prefixLists: {
          ONE: [{ seq: 5, action: 'permit', prefix: '10.1.0.0/24' }],
          TWO: [{ seq: 5, action: 'permit', prefix: '10.2.0.0/24' }],
        },
        routeMaps: { M: [{ seq: 30, action: 'deny', match: { prefixList: 'ONE' } }] },
      },
    );
    expect(verdicts(w, 'A', '10.1.0.0/24')).toContainEqual({
      kind: 'refused',
      refusal: { kind: 'import-map', map: 'M', clause: 30 },
    });
    expect(verdicts(w, 'A', '10.2.0.0/24')).toContainEqual({
      kind: 'refused',
      refusal: { kind: 'import-map', map: 'M', clause: undefined },
    });
    expect(w.invariants()).toEqual([]);
  });

  it('re-export rule, source VRF, AS loop, lost conflict, next hop unresolved', () => {
    const w = new World({
      A: { rd: '65000:1', export: ['65000:1'], networks: ['10.1.0.0/24', '10.5.0.0/24'] },
      B: { rd: '65000:2', export: ['65000:2'], import: ['65000:1'], networks: ['10.5.0.0/24'] },
      C: {
        rd: '65000:3',
        import: ['65000:2', '65001:1'],
        statics: [{ prefix: '10.8.0.0/24', nextHop: '10.8.0.1', nextHopVrf: 'A' }],
      },
    });
    w.remote('65001:1', '10.7.0.0/24', ['65001:1'], {
      asPath: [{ type: 2, asns: [65007, 65000] }],
    });
    expect(verdicts(w, 'C', '10.1.0.0/24')).toContainEqual({ kind: 're-export', holder: 'B' });
    expect(verdicts(w, 'A', '10.1.0.0/24')).toContainEqual({
      kind: 'refused',
      refusal: { kind: 'source-vrf', vrf: 'A' },
    });
    expect(verdicts(w, 'C', '10.7.0.0/24')).toEqual([
      { kind: 'refused', refusal: { kind: 'as-loop', asn: 65000, count: 1, allowed: 0 } },
    ]);
    expect(verdicts(w, 'B', '10.5.0.0/24')).toContainEqual({
      kind: 'lost-conflict',
      to: 'local in B',
    });
    expect(verdicts(w, 'C', '10.8.0.0/24')).toEqual([
      { kind: 'next-hop-unresolved', nextHop: '10.8.0.1', nextHopVrf: 'A' },
    ]);
    expect(w.invariants()).toEqual([]);
  });
});
