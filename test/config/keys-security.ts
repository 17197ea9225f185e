// keys.test.ts entries for a neighbor's TCP-MD5 password and GTSM ttl-security: what the session
// shell is given for its sockets, and the refusals `vrfleak check` gives with FILE:LINE:COL.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  differs,
  oneNeighbor,
  refusedOnlyWith,
  shellSettings,
  type KeyCheck,
} from './keys-scenarios.js';
import type { World } from './keys-world.js';

const keyText = (w: World) => {
  const k = shellSettings(w).security?.md5Key;
  return k === undefined ? undefined : Buffer.from(k).toString();
};
const hops = (w: World) => shellSettings(w).security?.gtsmHops;

export const SECURITY_KEYS: Record<string, KeyCheck> = {
  'neighbors[].password': async () => {
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({ password: 's3cret' }), keyText);
    expect([a, b]).toEqual([undefined, 's3cret']);
    // Linux takes at most 80 octets (TCP_MD5SIG_MAXKEYLEN); octets, not characters.
    refusedOnlyWith(
      oneNeighbor({ password: 'x'.repeat(80) }),
      oneNeighbor({ password: 'é'.repeat(41) }),
      /k\.yaml:\d+:\d+: neighbors\[0\]\.password: the password is 82 octets; the kernel takes at most 80/,
    );
  },
  'neighbors[].password.file': async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrfleak-md5-'));
    const file = join(dir, 'peer.key');
    writeFileSync(file, 'from-a-file\n');
    const [, b] = await differs(
      oneNeighbor({ password: 'inline' }),
      oneNeighbor({ password: { file } }),
      keyText,
    );
    expect(b).toBe('from-a-file');
    refusedOnlyWith(
      oneNeighbor({ password: { file } }),
      oneNeighbor({ password: { file: join(dir, 'missing.key') } }),
      /k\.yaml:\d+:\d+: neighbors\[0\]\.password\.file: cannot read the password file .*missing\.key \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'long.key'), 'k'.repeat(81));
    refusedOnlyWith(
      oneNeighbor({ password: { file } }),
      oneNeighbor({ password: { file: join(dir, 'long.key') } }),
      /neighbors\[0\]\.password\.file: the password in .*long\.key is 81 octets; the kernel takes at most 80/,
    );
    refusedOnlyWith(
      oneNeighbor({ password: { file } }),
      oneNeighbor({ password: { file: 'peer.key' } }),
      /neighbors\[0\]\.password\.file: the password file must be an absolute path/,
    );
  },
  'neighbors[].password.env': async () => {
    process.env['VRFLEAK_TEST_MD5'] = 'from-the-environment';
    delete process.env['VRFLEAK_TEST_UNSET'];
    const [, b] = await differs(
      oneNeighbor({ password: 'inline' }),
      oneNeighbor({ password: { env: 'VRFLEAK_TEST_MD5' } }),
      keyText,
    );
    expect(b).toBe('from-the-environment');
    refusedOnlyWith(
      oneNeighbor({ password: { env: 'VRFLEAK_TEST_MD5' } }),
      oneNeighbor({ password: { env: 'VRFLEAK_TEST_UNSET' } }),
      /k\.yaml:\d+:\d+: neighbors\[0\]\.password\.env: the environment variable VRFLEAK_TEST_UNSET is not set/,
    );
  },
  'neighbors[].ttl-security': async () => {
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({ 'ttl-security': { hops: 1 } }), hops);
    expect([a, b]).toEqual([undefined, 1]);
  },
  'neighbors[].ttl-security.hops': async () => {
    const [a, b] = await differs(
      oneNeighbor({ 'ttl-security': { hops: 1 } }),
      oneNeighbor({ 'ttl-security': { hops: 3 } }),
      hops,
    );
    expect([a, b]).toEqual([1, 3]);
    refusedOnlyWith(
      oneNeighbor({ 'ttl-security': { hops: 254 } }),
      oneNeighbor({ 'ttl-security': { hops: 255 } }),
      /k\.yaml:\d+:\d+: neighbors\[0\]\.ttl-security\.hops: 255 is out of range \(1\.\.254\)/,
    );
  },
};
