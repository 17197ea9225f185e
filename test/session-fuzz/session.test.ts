// Fuzzing the session, not only the codec: generated and mutated OPEN / UPDATE / ROUTE-REFRESH
// messages written into established sessions of in-process vrfleak Speakers (each with one
// neighbor: the injector, a TCP client on its own loopback address).
//
//   FUZZ_SESSION_RUNS  inputs in total (default 10000; the long mode is 1000000)
//   FUZZ_SESSION_SEED  PRNG seed (default 7), printed on failure so a run can be repeated
//
// Several lanes (one Speaker + one injector each) run in parallel, because every session reset
// costs vrfleak's IdleHold second. After each input the injector sends a ROUTE-REFRESH request;
// vrfleak answers with its one route, which proves the input was processed without a reset. An
// input that resets the session is fine (that is often the RFC reaction); the lane reconnects.
// Fails on: any 'uncaughtException' / 'unhandledRejection' during the run, a session that cannot
// come back, or heap growth (after gc, sessions closed) above a bound. A crash found here becomes
// a vector in regressions.test.ts.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { laneConfig } from './lane.js';
import { allocateBlock } from '../../interop/harness/addresses.js';
import { frame, hex, Injector, type InjectorOptions } from '../../interop/malformed/injector.js';
import { mutate, rng, type Rng } from '../fuzz/mutate.js';

const RUNS = Number(process.env['FUZZ_SESSION_RUNS'] ?? 10_000);
const SEED = Number(process.env['FUZZ_SESSION_SEED'] ?? 7);
const LANES = 96;
// About 5 ms per input here: the long mode needs more than the default 10 minutes.
const TIMEOUT_MS = Math.max(600_000, RUNS * 10);
const REFRESH = frame(5, '0001 00 01'); // ROUTE-REFRESH IPv4 unicast, subtype 0

// Sound messages the mutations start from (hand-assembled; see interop/malformed for the layout).
const ORIGIN = '40010100';
const ASPATH = '4002060201 0000fdea'; // AS_SEQUENCE [65002], 4-octet
const NH = '400304c0000201';
const CORPUS: readonly Buffer[] = [
  frame(2, `0000 0015 ${ORIGIN}${ASPATH}${NH} 180a0100`), // 10.1.0.0/24
  frame(2, `0000 001c ${ORIGIN}${ASPATH}${NH} 80040400000005 180a0200 200a030405`),
  frame(2, '0004 180a0100 0000'), // withdraw 10.1.0.0/24
  frame(2, '0000 0000'), // End-of-RIB
  // VPNv4 MP_REACH: RD 0 + 192.0.2.1, label 100, RD 65002:7, 10.1.0.0/24
  frame(
    2,
    `0000 0031 ${ORIGIN}${ASPATH} 800e20 0001 80 0c 0000000000000000 c0000201 00 70 000641 0000fdea00000007 0a0100 c01008 0002fdea00000007`,
  ),
  frame(2, '0000 0015 800f12 0001 80 70 800000 0000fdea00000007 0a0100'),
  frame(2, `0000 001d ${ORIGIN}${ASPATH}${NH} c00804fdea0001 180a0100`),
  REFRESH,
  frame(5, '0001 01 01'), // BoRR
  frame(5, '0001 02 01'), // EoRR
  frame(1, '04 fdea 005a 7f000003 10 020e 01040001 0001 4104 0000fdea 0200'), // OPEN (collision)
  frame(4, ''),
];

function randomAttr(r: Rng): string {
  const flags = [0x40, 0x80, 0xc0, 0x50, 0xd0, 0x60, 0xe0][r.int(7)]!;
  const code = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 23, 32, 35, 40, 99][r.int(20)]!;
  const len = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 16, 24][r.int(14)]!;
  let v = '';
  for (let i = 0; i < len; i++) v += r.int(256).toString(16).padStart(2, '0');
  const l = flags & 0x10 ? len.toString(16).padStart(4, '0') : len.toString(16).padStart(2, '0');
  return flags.toString(16).padStart(2, '0') + code.toString(16).padStart(2, '0') + l + v;
}

/** One input: mostly framed UPDATEs with random attributes, else mutated corpus messages. */
export function input(r: Rng): Buffer {
  if (r.int(4) !== 0) {
    const attrs = [ORIGIN, ASPATH, NH];
    for (let k = r.int(4); k > 0; k--) attrs.splice(r.int(attrs.length + 1), 0, randomAttr(r));
    if (r.int(4) === 0) attrs.splice(r.int(attrs.length), 1);
    const a = hex(attrs.join(''));
    const nlri = hex(`18 0a ${r.int(256).toString(16).padStart(2, '0')} 00`);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(a.length);
    return frame(2, Buffer.concat([Buffer.alloc(2), len, a, nlri]));
  }
  const base = CORPUS[r.int(CORPUS.length)]!;
  return mutate(base, CORPUS[r.int(CORPUS.length)]!, r);
}

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Lane {
  speaker: Speaker;
  opts: InjectorOptions;
  inj: Injector | undefined;
}

describe('session fuzz: hostile streams into established sessions', () => {
  const block = allocateBlock('session-fuzz');
  const lanes: Lane[] = [];
  const escaped: unknown[] = [];
  const onEscape = (e: unknown): void => {
    escaped.push(e);
  };
  afterAll(async () => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    for (const l of lanes) {
      l.inj?.destroy();
      await l.speaker.stop();
    }
    block.release();
  });

  it(
    `${RUNS} inputs (seed ${SEED}): nothing escapes, the heap stays bounded`,
    async () => {
      process.on('uncaughtException', onEscape);
      process.on('unhandledRejection', onEscape);
      for (let i = 0; i < LANES; i++) {
        const [me, peer] = [block.next(), block.next()];
        const speaker = await Speaker.start(laneConfig(me, peer));
        const opts: InjectorOptions = {
          localAddress: peer,
          host: me,
          port: 179,
          asn: 65002,
          families: ['ipv4', 'vpnv4'],
          capabilities: [{ kind: 'enhanced-route-refresh' }],
        };
        lanes.push({ speaker, opts, inj: undefined });
      }
      gc();
      const before = process.memoryUsage().heapUsed;

      let next = 0;
      let resets = 0;
      let desyncs = 0;
      const runLane = async (lane: Lane, laneNo: number): Promise<void> => {
        const r = rng(SEED * 1000 + laneNo);
        const recent: string[] = [];
        for (;;) {
          const n = next++;
          if (n >= RUNS) return;
          if (!lane.inj || lane.inj.closed) {
            lane.inj?.destroy();
            lane.inj = await Injector.establish(lane.opts, 20_000);
            recent.length = 0;
          }
          const inj = lane.inj;
          const seen = inj.received.filter((m) => m.type === 2).length;
          const bytes = input(r);
          recent.push(bytes.toString('hex'));
          if (recent.length > 4) recent.shift();
          inj.write(bytes);
          inj.write(REFRESH);
          const ok = await inj.until(
            () =>
              inj.closed ||
              inj.notification !== undefined ||
              inj.received.filter((m) => m.type === 2).length > seen,
            5_000,
          );
          // A header whose length is not the input's leaves vrfleak's framing somewhere inside
          // our next messages (waiting for octets, or reading a marker mid-stream): what follows is
          // no longer ours to predict, so the lane starts a fresh session after it.
          const framed = bytes.length >= 19 && bytes.readUInt16BE(16) === bytes.length;
          if (!framed) {
            desyncs++;
            inj.destroy();
            continue;
          }
          // A framed input that goes unanswered is a bug; its bytes become a vector.
          if (!ok) {
            throw new Error(
              `lane ${laneNo}: no answer to input ${n} (last inputs of this session, oldest first: ${recent.join(' ')})`,
            );
          }
          if (inj.closed || inj.notification) {
            resets++;
            inj.destroy();
          }
          // Keep the injector's own record small over long runs.
          if (inj.received.length > 1000) inj.received.splice(0, inj.received.length - 10);
        }
      };
      await Promise.all(lanes.map((l, i) => runLane(l, i)));

      for (const l of lanes) l.inj?.destroy();
      await Promise.all(
        lanes.map((l) =>
          l.speaker.waitFor((s) => s.neighbors()[0]?.state !== 'Established', {
            what: 'session closed',
            timeoutMs: 10_000,
          }),
        ),
      );
      gc();
      const after = process.memoryUsage().heapUsed;
      console.log(
        `session fuzz: ${RUNS} inputs, ${resets} resets, ${desyncs} unframed (session restarted), heap ${(before / 2 ** 20).toFixed(1)} -> ${(after / 2 ** 20).toFixed(1)} MiB`,
      );
      expect(escaped).toEqual([]);
      // Routes of closed sessions are gone; what remains is caches and JIT, not per-input state.
      expect(after - before).toBeLessThan(32 * 2 ** 20);
      for (const l of lanes) expect(l.speaker.routes('ipv4').length).toBe(1);
    },
    TIMEOUT_MS,
  );
});
