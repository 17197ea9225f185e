// The invariant checker must still catch an imported path whose VPN route is gone, now that it
// looks VPN routes up by prefix instead of scanning the VPN table: with the same prefix under two
// RDs, removing one VPN route behind the engine's back leaves exactly one unjustified path.

import { describe, expect, it } from 'vitest';
import { nlriKey, prefixKey } from '../../src/rib/keys.js';
import { prefixFromText } from '../../src/wire/nlri/text.js';
import { rdFromText } from '../../src/wire/rd.js';
import { World } from './helpers.js';

const vpnKey = (rd: string, prefix: string): string =>
  nlriKey({ kind: 'vpn', labels: [], rd: rdFromText(rd), prefix: prefixFromText(prefix) });

describe('checkLeakInvariants: imported paths', () => {
  it('holds when each imported path has its VPN route, and names the one that lost it', () => {
    const w = new World({ A: { rd: '65000:1', import: ['65001:1'] } });
    w.remote('65001:5', '10.1.0.0/24', ['65001:1']);
    w.remote('65001:6', '10.1.0.0/24', ['65001:1']);
    expect(
      w.rib.table('ipv4', 'A').get(prefixKey(prefixFromText('10.1.0.0/24')))?.paths,
    ).toHaveLength(2);
    expect(w.invariants()).toEqual([]);

    // Behind the engine's back: the VPN route of RD 65001:5 disappears, its import stays.
    expect(w.rib.table('vpnv4').dests.delete(vpnKey('65001:5', '10.1.0.0/24'))).toBe(true);
    const problems = w.invariants();
    expect(problems).toHaveLength(1);
    // The destination is named by its text, not by its (binary) key.
    expect(problems[0]).toMatch(/^A 10\.1\.0\.0\/24: imported path \(source \d+\) not justified$/);
  });
});
