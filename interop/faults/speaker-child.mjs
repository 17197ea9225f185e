// vrfleak in a process of its own, so a fault scenario can SIGKILL it (an abrupt death, no
// NOTIFICATION, no clean close) and start it again:
//   node --import ./bench/register.mjs interop/faults/speaker-child.mjs CONFIG.json STATUS.json [restarting]
// It runs the library API from src/ (register.mjs transpiles on the fly, so no build is needed).
// `restarting` starts it as a speaker back from a restart (RFC 4724: R bit, selection deferral).
// Every 200 ms it writes STATUS.json (atomically, through a rename): its leak invariants and its
// best VPNv4 routes ("RD:prefix"), which is how the test reads the tables of a process it cannot
// reach otherwise.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { URL } from 'node:url';

const [configPath, statusPath, mode] = process.argv.slice(2);
if (configPath === undefined || statusPath === undefined) {
  console.error('usage: speaker-child.mjs CONFIG.json STATUS.json [restarting]');
  process.exit(2);
}
const { Speaker } = await import(new URL('../../src/api/library.js', import.meta.url).href);
const speaker = await Speaker.start(JSON.parse(readFileSync(configPath, 'utf8')), {
  restarting: mode === 'restarting',
  logLevel: 'info',
});

setInterval(() => {
  const best = speaker
    .routes('vpnv4')
    .filter((r) => r.best)
    .map((r) => `${r.rd}:${r.prefix}`)
    .sort();
  const status = { pid: process.pid, invariants: speaker.leakInvariants(), best };
  writeFileSync(`${statusPath}.tmp`, JSON.stringify(status));
  renameSync(`${statusPath}.tmp`, statusPath);
}, 200);

process.once('SIGTERM', () => {
  void speaker.stop().finally(() => process.exit(0));
});
