// Hostile bytes through the codec: random byte strings and mutated valid messages (bit flips,
// truncation, length-field edits, splices, insertions) go through decodeMessage, decodeUpdate and
// the Framer. The contract (DESIGN.md "Pure and total"): decodeMessage and Framer.push throw only
// WireError, decodeMessage's always says what to send (a notify), decodeUpdate never throws, and
// re-encoding whatever decoded throws nothing but WireError either.
//
// Runs: FUZZ_RUNS inputs (default 10000) from FUZZ_SEED (default: random, printed on failure).
//   FUZZ_RUNS=1000000 FUZZ_SEED=1234 npx vitest run test/fuzz
// A crash found this way belongs in regressions.test.ts as a hex vector.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodecContext } from '../../src/wire/context.js';
import { WireError } from '../../src/wire/errors.js';
import { Framer } from '../../src/wire/framer.js';
import { decodeMessage, encodeMessage } from '../../src/wire/message.js';
import { decodeUpdate } from '../../src/wire/update.js';
import { GROUPS } from '../crosscheck/corpus.js';
import { context, update } from '../property/arbitraries.js';
import { open } from '../property/open-arbs.js';
import { mutate, rng, type Rng } from './mutate.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 0x7fffffff));

const CONTEXTS: CodecContext[] = [
  context(true, false),
  context(false, false),
  context(true, true),
  { ...context(false, true), extendedMessage: true, ibgp: false },
  { ...context(true, false), ibgp: true, allowLoopbackNextHop: true },
];

/** Valid messages to mutate: the tshark corpus plus generated ones. */
function seeds(seed: number): { frame: Buffer; ctx: CodecContext }[] {
  const out: { frame: Buffer; ctx: CodecContext }[] = [];
  for (const g of GROUPS)
    for (const [, m] of g.messages) out.push({ frame: encodeMessage(m, g.ctx), ctx: g.ctx });
  for (const [i, ctx] of CONTEXTS.entries()) {
    for (const m of fc.sample(update(ctx.fourOctetAs), { seed: seed + i, numRuns: 60 })) {
      try {
        out.push({ frame: encodeMessage(m, ctx), ctx });
      } catch {
        // Too long for 4096 octets: not a seed.
      }
    }
  }
  for (const m of fc.sample(open, { seed, numRuns: 30 }))
    out.push({ frame: encodeMessage(m, CONTEXTS[0]!), ctx: CONTEXTS[0]! });
  return out;
}

/** What went wrong, or undefined when the codec kept its contract on this input. */
function check(input: Buffer, ctx: CodecContext, r: Rng): string | undefined {
  try {
    const d = decodeMessage(input, ctx);
    try {
      encodeMessage(d.message, ctx);
    } catch (e) {
      if (!(e instanceof WireError)) return `encodeMessage(decoded) threw ${describeError(e)}`;
    }
  } catch (e) {
    if (!(e instanceof WireError)) return `decodeMessage threw ${describeError(e)}`;
    if (e.notify === undefined)
      return `decodeMessage threw a WireError without notify: ${e.message}`;
  }
  if (input.length >= 19) {
    try {
      decodeUpdate(input, 19, input.length, ctx);
    } catch (e) {
      return `decodeUpdate threw ${describeError(e)}`;
    }
  }
  // The same bytes as a stream, in random chunks, twice over (a message boundary in the middle).
  const framer = new Framer({ maxLength: ctx.extendedMessage ? 65535 : 4096 });
  const stream = Buffer.concat([input, input]);
  try {
    for (let at = 0; at < stream.length;) {
      const n = 1 + r.int(Math.min(64, stream.length - at));
      for (const frame of framer.push(stream.subarray(at, at + n))) {
        try {
          decodeMessage(frame, ctx);
        } catch (e) {
          if (!(e instanceof WireError)) return `decodeMessage(framed) threw ${describeError(e)}`;
        }
      }
      at += n;
    }
  } catch (e) {
    if (!(e instanceof WireError)) return `Framer.push threw ${describeError(e)}`;
  }
  return undefined;
}

function describeError(e: unknown): string {
  if (e instanceof Error)
    return `${e.constructor.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}`;
  return String(e);
}

describe(`fuzz (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED})`, () => {
  it(
    'random byte strings and mutated valid messages raise only WireError',
    async () => {
      const r = rng(SEED);
      const pool = seeds(SEED);
      const failures: string[] = [];
      for (let i = 0; i < RUNS && failures.length < 5; i++) {
        // Long runs yield now and then so the test runner's worker stays responsive.
        if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
        const base = pool[r.int(pool.length)]!;
        const ctx = r.int(4) === 0 ? CONTEXTS[r.int(CONTEXTS.length)]! : base.ctx;
        const input = mutate(base.frame, pool[r.int(pool.length)]!.frame, r);
        const why = check(input, ctx, r);
        if (why !== undefined) {
          failures.push(
            `input #${i} (FUZZ_SEED=${SEED}, fourOctetAs=${ctx.fourOctetAs}, addPath=${ctx.addPath.size > 0}, extendedMessage=${ctx.extendedMessage}): ${input.toString('hex')}\n  ${why}`,
          );
        }
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    },
    20_000 + RUNS,
  ); // about 0.1 ms per input; 1 ms of headroom each
});
