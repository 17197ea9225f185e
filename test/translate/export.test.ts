// vrfleak export: the leak model rendered for FRR, GoBGP and BIRD, with what each target cannot
// express said in the output and on stderr. (Loading the output into the real daemons:
// interop/translate/export.test.ts.)

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { TARGETS } from '../../src/translate/export.js';

const examples = new URL('../../examples/', import.meta.url);
const load = (text: string): Config => {
  const r = loadConfig(text, 'x.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};

const LEAKS = `
asn: 65000
router-id: 10.0.0.1
policy:
  prefix-lists:
    P: [{ seq: 10, action: permit, prefix: 10.100.0.0/16, le: 32 }]
  route-maps:
    IMP: [{ seq: 10, action: permit, match: { prefix-list: P }, set: { local-preference: 50 } }]
vrfs:
  SHARED: { rd: "65000:100", label: 100, route-targets: { import: ["65000:1"], export: ["65000:100"] }, networks: [10.100.0.0/16] }
  RED: { rd: "65000:1", label: 101, route-targets: { import: ["65000:100"], export: ["65000:1"] }, import-map: IMP, networks: [10.1.0.0/16],
         static-routes: [{ prefix: 10.100.5.0/24, next-hop: 10.100.0.1, next-hop-vrf: SHARED }] }
  GREEN: { rd: "65000:3", export-tag: "65000:3", networks: [10.3.0.0/16] }
`;

describe('vrfleak export', () => {
  const c = load(LEAKS);

  it('FRR: a router bgp per VRF with rd/rt/route-map/label vpn, statics with nexthop-vrf', () => {
    const { text, notes } = TARGETS.frr!(c);
    expect(text).toContain('router bgp 65000 vrf RED\n');
    for (const l of [
      '  rd vpn export 65000:1',
      '  rt vpn import 65000:100',
      '  rt vpn export 65000:1',
      '  route-map vpn import IMP',
      '  label vpn export 101',
      '  export vpn',
      '  import vpn',
    ])
      expect(text).toContain(`${l}\n`);
    expect(text).toContain('  rt vpn export 65000:3\n'); // GREEN's export tag is a route target
    expect(text).toContain(
      'vrf RED\n ip route 10.100.5.0/24 10.100.0.1 nexthop-vrf SHARED\nexit-vrf',
    );
    expect(text).toContain('ip prefix-list P seq 10 permit 10.100.0.0/16 le 32');
    expect(text).toContain(
      'route-map IMP permit 10\n match ip address prefix-list P\n set local-preference 50',
    );
    expect(notes).toEqual([]);
  });

  it('GoBGP: VRFs with RD and RTs; says it has no per-VRF import policy, labels or statics', () => {
    const { text, notes } = TARGETS.gobgp!(c);
    expect(text).toContain(
      '    name = "RED"\n    id = 2\n    rd = "65000:1"\n    import-rt-list = ["65000:100"]\n    export-rt-list = ["65000:1"]',
    );
    expect(notes.join('\n')).toMatch(
      /vrfs\.RED\.import-map IMP: GoBGP has no per-VRF import policy/,
    );
    expect(notes.join('\n')).toMatch(/vrfs\.SHARED\.label 100: GoBGP chooses the label/);
    expect(notes.join('\n')).toMatch(/vrfs\.RED\.static-routes/);
    expect(text).toContain('#   gobgp vrf SHARED rib add 10.100.0.0/16');
    expect(text).toContain('# What GoBGP 3 cannot express');
  });

  it('BIRD: tables, own routes, pipes where RTs meet with the maps as filters; says it has no l3vpn', () => {
    const { text, notes } = TARGETS.bird!(c);
    expect(text).toContain('ipv4 table t4_RED;');
    expect(text).toContain(
      'protocol pipe p_leak4_SHARED_to_RED {\n  table t4_SHARED;\n  peer table t4_RED;',
    );
    expect(text).toContain('protocol pipe p_leak4_RED_to_SHARED');
    expect(text).not.toContain('_to_GREEN');
    expect(text).toMatch(
      /filter leak4_SHARED_to_RED[^}]*if !\(proto ~ "o_SHARED_\*"\) then reject;[\s\S]*route map IMP[\s\S]*bgp_local_pref = 50;/,
    );
    expect(text).toContain('igp table t4_SHARED;\n  route 10.100.5.0/24 recursive 10.100.0.1;');
    expect(notes[0]).toMatch(/BIRD 2\.0\.12 has no l3vpn protocol/);
  });

  it.each(readdirSync(examples).filter((f) => f.endsWith('.yaml')))(
    'renders examples/%s for every target',
    (f) => {
      const cfg = load(readFileSync(new URL(f, examples), 'utf8'));
      for (const r of Object.values(TARGETS)) expect(r(cfg).text.length).toBeGreaterThan(0);
    },
  );

  it('the CLI: output and notes, unknown target, a config check refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrfleak-export-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, LEAKS);
    let out = '';
    let err = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
    expect(await runCli(['export', '--to', 'gobgp', good], io)).toBe(0);
    expect(out).toContain('[[vrfs]]');
    expect(err).toContain(
      `${good}: gobgp cannot express: vrfs.RED.import-map IMP: GoBGP has no per-VRF import policy`,
    );
    err = '';
    expect(await runCli(['export', '--to', 'junos', good], io)).toBe(1);
    expect(err).toMatch(/unknown target "junos" \(use one of frr, gobgp, bird\)/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'asn: 65000\nrouter-id: 10.0.0.1\nvrfs:\n  A: { rd: nope }\n');
    err = '';
    expect(await runCli(['export', '--to', 'frr', bad], io)).toBe(1);
    expect(err).toMatch(new RegExp(`${bad}:4:\\d+: vrfs\\.A\\.rd: `));
  });
});
