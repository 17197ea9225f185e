// Reads a neighbor's TCP-MD5 password from where the config says it is, and checks it: the kernel
// takes 1..80 octets (TCP_MD5SIG_MAXKEYLEN). Run by `vrfleak check` and every load (so a refusal
// names FILE:LINE:COL and the key), and again when the daemon takes the config.

import { readFileSync } from 'node:fs';
import { MD5_MAX_KEY } from '../session/tcp-auth.js';
import type { ConfigProblem, KeyPath } from './errors.js';
import type { PasswordConfig } from './schema-security.js';
import type { Config } from './schema.js';

export type PasswordRead =
  | { readonly ok: true; readonly key: Buffer }
  | { readonly ok: false; readonly message: string; readonly key?: 'file' | 'env' };

function checked(key: Buffer, where: string, at?: 'file' | 'env'): PasswordRead {
  if (key.length === 0)
    return { ok: false, message: `${where} is empty`, ...(at ? { key: at } : {}) };
  if (key.length > MD5_MAX_KEY) {
    return {
      ok: false,
      message: `${where} is ${key.length} octets; the kernel takes at most ${MD5_MAX_KEY} (TCP-MD5)`,
      ...(at ? { key: at } : {}),
    };
  }
  return { ok: true, key };
}

/** The key octets (UTF-8) the config points at; a file's one trailing newline is not part of it. */
export function readPassword(p: PasswordConfig): PasswordRead {
  if (typeof p === 'string') return checked(Buffer.from(p, 'utf8'), 'the password');
  if ('file' in p) {
    let text: Buffer;
    try {
      text = readFileSync(p.file);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? String(e);
      return {
        ok: false,
        message: `cannot read the password file ${p.file} (${why})`,
        key: 'file',
      };
    }
    const end = text.at(-1) === 0x0a ? (text.at(-2) === 0x0d ? 2 : 1) : 0;
    return checked(text.subarray(0, text.length - end), `the password in ${p.file}`, 'file');
  }
  const v = process.env[p.env];
  if (v === undefined) {
    return { ok: false, message: `the environment variable ${p.env} is not set`, key: 'env' };
  }
  return checked(Buffer.from(v, 'utf8'), `the password in $${p.env}`, 'env');
}

/** The key, or an Error saying why not (the daemon's config path: load checked it already). */
export function passwordKey(p: PasswordConfig, peer: string): Buffer {
  const r = readPassword(p);
  if (!r.ok) throw new Error(`neighbor ${peer}: ${r.message}`);
  return r.key;
}

/** One problem per neighbor password that cannot be read or that the kernel would refuse. */
export function passwordProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  cfg.neighbors.forEach((n, i) => {
    if (n.password === undefined) return;
    const r = readPassword(n.password);
    if (r.ok) return;
    const path: KeyPath = ['neighbors', i, 'password', ...(r.key ? [r.key] : [])];
    out.push({ path, message: r.message, severity: 'error' });
  });
  return out;
}
