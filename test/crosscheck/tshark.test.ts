// Cross-check against an independent decoder: every corpus message is encoded by our codec,
// written to a pcap as one TCP segment to port 179, dissected by tshark, and tshark's fields are
// compared with what the input objects meant (model.ts), field by field. tshark must also report
// no malformed packet and no expert item of warning or error severity.
//
// tshark missing: the test fails under CI=true (CI installs it, see .ci/run) and is skipped with
// the reason otherwise.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/wire/message.js';
import { GROUPS } from './corpus.js';
import { expectedFields } from './model.js';
import { writePcap } from './pcap.js';
import { dissect, ekKey, findTshark, tsharkVersion, verboseLines } from './tshark.js';

const bin = findTshark();
const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
const dir = mkdtempSync(join(tmpdir(), 'vrfleak-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tshark cross-check', () => {
  if (bin === undefined) {
    if (inCi) {
      it('tshark is installed (required under CI)', () => {
        expect.fail('tshark not found on PATH; CI must install it (.ci/run)');
      });
    } else {
      it.skip('skipped: tshark not found on PATH (install the tshark package; required when CI=true)', () => {});
    }
    return;
  }

  it('runs tshark 4.x', () => {
    expect(tsharkVersion(bin)).toMatch(/TShark \(Wireshark\) 4\./);
  });

  for (const group of GROUPS) {
    describe(group.name, () => {
      const frames = group.messages.map(([, m]) => encodeMessage(m, group.ctx));
      const pcap = join(dir, `${group.name.replace(/\W+/g, '-')}.pcap`);
      let packets: ReturnType<typeof dissect> | undefined;
      let verbose: string[][] | undefined;
      const load = (): NonNullable<typeof packets> => {
        if (packets === undefined) {
          writePcap(pcap, frames);
          packets = dissect(bin, pcap, group.prefs);
          verbose = verboseLines(bin, pcap, group.prefs);
        }
        return packets;
      };

      it('tshark sees one BGP message per packet', () => {
        expect(load()).toHaveLength(frames.length);
      });

      group.messages.forEach(([name, msg], i) => {
        it(name, () => {
          const got = load()[i];
          expect(got, 'packet missing').toBeDefined();
          expect(got!.problems, 'tshark flagged the packet').toEqual([]);
          const want = expectedFields(msg, group.as4, group.addPath);
          expect(got!.fields.get(ekKey('bgp.length')), 'length').toEqual([
            String(frames[i]!.length),
          ]);
          for (const [field, values] of want.fields) {
            expect(got!.fields.get(ekKey(field)) ?? [], field).toEqual(values);
          }
          // Text-only items must appear in order among the packet's verbose lines.
          const lines = verbose?.[i] ?? [];
          let from = 0;
          for (const line of want.lines) {
            const at = lines.indexOf(line, from);
            expect(at, `verbose line "${line}"`).toBeGreaterThanOrEqual(0);
            from = at + 1;
          }
        });
      });
    });
  }
});
