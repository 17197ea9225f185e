// vrfleak import: every fixture (configuration snippets of the seed documents, each file says which
// seed and lines it holds) translates into YAML that `vrfleak check` accepts, with exactly the lines
// listed here left out; bad input gets FILE:LINE: message.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import { checkConfig } from '../../src/cli/run.js';
import { translate, UnknownDialect } from '../../src/translate/translate.js';

const dir = new URL('./fixtures/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

/** Fixture, dialect, the lines left out (with a word of their reason), lines that parse as nothing. */
const CASES: ReadonlyArray<[string, string, Record<number, RegExp>]> = [
  [
    'ios-002-static.ios',
    'ios',
    { 6: /default table/, 7: /default table/, 13: /default table are not built/ },
  ],
  ['ios-002-rt.ios', 'ios', {}],
  [
    'dell-004-four-vrf.dell',
    'dell',
    Object.fromEntries(
      [10, 11, 16, 17, 22, 23, 26, 27]
        .map((l) => [l, /no address/] as [number, RegExp])
        .concat([12, 18, 24, 28].map((l) => [l, /not a netmask/])),
    ),
  ],
  ['dell-004-show-run.dell', 'dell', { 4: /no VRF exports tag 1:1/ }],
  ['vyos-001-basic.vyos', 'vyos', {}],
  ['vyos-001-bgp.vyos', 'vyos', {}],
  ['vyos-001-selective-backup.vyos', 'vyos', {}],
  ['vyos-001-bidirectional.vyos', 'vyos', {}],
  ['vyos-001-internet-gateway.vyos', 'vyos', {}],
  ['vyos-001-management.vyos', 'vyos', { 15: /CUSTOMER-B is not defined/ }],
  ['vyos-001-prefix-lists.vyos', 'vyos', { 6: /no action/, 7: /no action/ }],
  [
    'frr-shared-services.frr',
    'frr',
    { 37: /BGP sessions/, 39: /BGP sessions/, 85: /only with `export vpn`/ },
  ],
];

const tmp = mkdtempSync(join(tmpdir(), 'vrfleak-import-'));

describe.each(CASES)('vrfleak import %s', (file, dialect, leftOut) => {
  const t = translate(read(file), file, dialect);

  it('writes YAML that vrfleak check accepts', async () => {
    const out = join(tmp, `${file}.yaml`);
    writeFileSync(out, t.yaml);
    const r = await checkConfig(out);
    expect(r.lines.join('\n')).toMatch(/OK/);
    expect(r.code).toBe(0);
  });

  it('leaves out exactly the listed lines, each with its reason; nothing parses as nothing', () => {
    const out = t.findings.filter((f) => f.kind === 'left-out' || f.kind === 'unknown');
    expect(out.map((f) => f.line)).toEqual(Object.keys(leftOut).map(Number));
    for (const f of out) {
      expect(f.kind).toBe('left-out');
      expect(f.message).toMatch(leftOut[f.line]!);
    }
  });

  it('points each translated piece at its source lines and lists what it left out', () => {
    const cited = new Set<number>();
    for (const m of t.yaml.matchAll(
      new RegExp(`# from ${file.replace(/\./g, '\\.')}:([0-9,-]+)`, 'g'),
    )) {
      for (const r of m[1]!.split(',')) {
        const [a, b] = r.split('-').map(Number);
        for (let l = a!; l <= (b ?? a!); l++) cited.add(l);
      }
    }
    const translated = t.findings.filter((x) => x.kind === 'translated').map((x) => x.line);
    expect(translated.filter((l) => !cited.has(l))).toEqual([]);
    for (const line of Object.keys(leftOut)) expect(t.yaml).toContain(`${file}:${line}: left out:`);
  });
});

describe('vrfleak import: what becomes of the source', () => {
  it('IOS: RT both, import/export, rd, static with next-hop VRF via an interface', () => {
    const t = translate(read('ios-002-static.ios'), 'x.ios', 'ios');
    expect(t.config.vrfs.BLUE).toMatchObject({
      rd: '200:1',
      'route-targets': { import: ['200:1'], export: ['200:1'] },
      interfaces: [{ name: 'Serial2/0', address: '10.0.2.1/24' }],
      'static-routes': [
        { prefix: '10.1.2.4/30', 'next-hop': '10.1.2.5', 'next-hop-vrf': 'default' },
      ],
    });
  });

  it('Dell: tags, one export per VRF, VRF names matched across case', () => {
    const t = translate(read('dell-004-four-vrf.dell'), 'x.dell', 'dell');
    expect(t.config.vrfs['vrf-shared']).toMatchObject({
      'export-tag': '1:1',
      'import-tags': ['2:2', '3:3'],
    });
    expect(t.config.vrfs['vrf-red']).toMatchObject({ 'export-tag': '2:2', 'import-tags': ['1:1'] });
    expect(t.assumptions.map((a) => a.message).join('\n')).toMatch(
      /"VRF-red" taken as VRF vrf-red/,
    );
    const two = translate(
      'ip vrf A\n ip route-export 1:1\n ip route-export 2:2\n',
      'y.dell',
      'dell',
    );
    expect(two.findings.find((f) => f.line === 3)).toMatchObject({
      kind: 'left-out',
      message: /one export tag per VRF/,
    });
  });

  it('FRR: rd/rt vpn, route-map vpn, label, import vrf (made-up RT), import vrf default with its policy', () => {
    const t = translate(read('frr-shared-services.frr'), 'x.frr', 'frr');
    expect(t.config.vrfs.RED).toMatchObject({
      rd: '65000:1',
      'route-targets': { import: ['65000:1', '65000:100'], export: ['65000:1'] },
      'import-map': 'IMPORT-SHARED',
      'export-map': 'TAG-RED',
      label: 'auto',
    });
    expect(t.config.vrfs.SHARED).toMatchObject({ label: 100 });
    expect(t.config.vrfs.BLUE!['route-targets'].import).toEqual(['65000:100', '65000:3']);
    expect(t.config.vrfs.BLUE!['leak-from-default']).toEqual({ policy: 'GLOBAL-IN' });
    expect(t.config.vrfs.GREEN!['route-targets'].export).toEqual(['65000:3']);
    expect(t.config.vrfs.GREEN!.networks).toEqual([{ prefix: '10.3.0.0/16' }]);
    expect(t.config.policy['route-maps']['TAG-RED']![0]!.set).toEqual({
      'route-target': { add: ['65000:999'] },
    });
  });

  it('a route-map clause whose match vrfleak lacks is left out whole, a set alone', () => {
    const t = translate(
      'route-map M permit 10\n match tag 5\n set local-preference 5\nroute-map M permit 20\n set origin igp\n set metric 7\n',
      'm.frr',
      'frr',
    );
    expect(t.config.policy['route-maps'].M).toEqual([
      { seq: 20, action: 'permit', set: { med: 7 } },
    ]);
    expect(t.findings.find((f) => f.line === 2)?.message).toMatch(/left out whole/);
    expect(t.findings.find((f) => f.line === 5)?.message).toMatch(/no "set origin igp"/);
  });

  it("a piece vrfleak check refuses is left out with check's message, the rest kept", () => {
    const t = translate('ip vrf A.B\n rd 1:1\nip vrf C\n rd 1:2\n', 'n.ios', 'ios');
    expect(Object.keys(t.config.vrfs)).toEqual(['C']);
    expect(t.findings.filter((f) => f.kind === 'left-out').map((f) => f.line)).toEqual([1, 2]);
    expect(t.findings[0]!.message).toMatch(/vrfleak check refuses it: .*not a valid name/);
  });
});

describe('vrfleak import: bad input', () => {
  it('an unknown dialect: FILE:1: message', () => {
    expect(() => translate('x', 'r.conf', 'junos')).toThrow(UnknownDialect);
    expect(() => translate('x', 'r.conf', 'junos')).toThrow(
      /^r\.conf:1: unknown dialect "junos" \(use one of ios, vyos, dell, frr\)/,
    );
  });

  it('a line that parses as nothing: FILE:LINE: message on stderr, exit code 1, YAML still written', async () => {
    const f = join(tmp, 'bad.ios');
    writeFileSync(
      f,
      'ip vrf A\n rd 1:1\n frobnicate the widget\nip rout 10.0.0.0 255.0.0.0 1.2.3.4\n',
    );
    let out = '';
    let err = '';
    const code = await runCli(['import', '--from', 'ios', f], {
      out: (s) => (out += s),
      err: (s) => (err += s),
    });
    expect(code).toBe(1);
    expect(err).toContain(
      `${f}:3: parses as nothing: not a ios command vrfleak knows (in the vrf block of line 1) ("frobnicate the widget")`,
    );
    expect(err).toContain(`${f}:4: parses as nothing:`);
    expect(out).toMatch(/rd: 1:1/);
    const y = join(tmp, 'bad.yaml');
    writeFileSync(y, out);
    expect((await checkConfig(y)).code).toBe(0);
  });

  it('another dialect fed in: every line parses as nothing (but configure)', () => {
    const t = translate(read('vyos-001-bgp.vyos'), 'v', 'ios');
    const unknown = t.findings.filter((f) => f.kind === 'unknown').map((f) => f.text);
    // 7 set commands and 7 '#' comments (IOS comments start with '!')
    expect(unknown).toHaveLength(14);
    expect(t.findings.filter((f) => f.kind !== 'unknown').map((f) => f.text)).toEqual([
      'configure',
    ]);
  });

  it('the CLI: unknown dialect and an unreadable file', async () => {
    let err = '';
    const io = { out: () => undefined, err: (s: string) => (err += s) };
    expect(
      await runCli(['import', '--from', 'junos', join(dir.pathname, 'ios-002-rt.ios')], io),
    ).toBe(1);
    expect(err).toMatch(/ios-002-rt\.ios:1: unknown dialect "junos"/);
    expect(await runCli(['import', '--from', 'ios', '/nonexistent.cfg'], io)).toBe(1);
    expect(err).toMatch(/nonexistent\.cfg: cannot read the file/);
  });
});
