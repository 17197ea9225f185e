// The receive side of the realistic table in one process (issue 13, intern9): decode each UPDATE,
// make its values and intern them, every set kept, a new interner each round. `node --predictable
// --import ./bench/register.mjs bench/intern-probe.ts [routes] [rounds]` under cachegrind counts
// the instructions of what it does; without, it prints the median ms of the rounds.

import { AttrInterner } from '../src/rib/intern.js';
import { valuesFromWire } from '../src/rib/convert.js';
import { DEFAULT_CONTEXT } from '../src/wire/context.js';
import { decodeMessage } from '../src/wire/message.js';
import type { NextHop } from '../src/wire/types.js';
import type { AttrValues } from '../src/model/attrset.js';
import { encodeRealistic } from './realistic.js';

const routes = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 1);
/** `intern`: the values decoded first, only the interning timed. */
const only = process.argv[4] === 'intern';
const { announce } = encodeRealistic({ routes, rds: 100 });

function values(frame: Buffer): AttrValues {
  const m = decodeMessage(frame, DEFAULT_CONTEXT).message;
  if (m.type !== 'update') throw new Error('not an update');
  let nh: NextHop | undefined;
  for (const a of m.attributes) if (a.kind === 'mp-reach') nh = a.nextHop;
  return valuesFromWire(m.attributes, true, nh);
}

/** One round: its ms and a number made of what it did (so that none of it is optimised away). */
function round(): [number, number] {
  const decoded = only ? announce.map(values) : [];
  const t = performance.now();
  const interner = new AttrInterner();
  let n = 0;
  for (let i = 0; i < announce.length; i++) {
    const set = interner.intern(only ? decoded[i]! : values(announce[i]!));
    interner.ref(set);
    n += set.asPathLength;
  }
  return [performance.now() - t, n + interner.size];
}

const ms: number[] = [];
let check = 0;
for (let r = 0; r < rounds; r++) {
  const [t, n] = round();
  check += n;
  ms.push(t);
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ updates: announce.length, check, medianMs: ms[ms.length >> 1], ms }));
