// Address spellings of router configs turned into vrfleak's: dotted masks to prefix lengths,
// interface addresses, prefixes with host bits, RD/RT text.

import {
  checkInterfaceAddress,
  checkIp,
  checkPrefix,
  checkRd,
  checkRouteTarget,
} from '../config/values.js';

/** `255.255.255.252` -> 30; undefined when it is not a contiguous netmask. */
export function maskLength(mask: string): number | undefined {
  const parts = mask.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return undefined;
  const n = parts.reduce((a, p) => a * 256 + Number(p), 0);
  let len = 0;
  while (len < 32 && Math.floor(n / 2 ** (31 - len)) % 2 === 1) len++;
  const expect = len === 0 ? 0 : 2 ** 32 - 2 ** (32 - len);
  return n === expect ? len : undefined;
}

/** Runs a values.ts check; its message or undefined. */
export function problem(check: (t: string) => string, text: string): string | undefined {
  try {
    check(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const isIp = (t: string): boolean => problem(checkIp, t) === undefined;
export const rdProblem = (t: string) => problem(checkRd, t);
export const rtProblem = (t: string) => problem(checkRouteTarget, t);
export const prefixProblem = (t: string) => problem(checkPrefix, t);
export const ifaceAddressProblem = (t: string) => problem(checkInterfaceAddress, t);

/** `A.B.C.D M.M.M.M` or `A.B.C.D/L` (one or two words): `A.B.C.D/L`, or why not. */
export function withLength(
  addr: string,
  mask: string | undefined,
): { ok: true; text: string; used: number } | { ok: false; why: string } {
  if (addr.includes('/')) return { ok: true, text: addr, used: 1 };
  if (mask === undefined) return { ok: false, why: `"${addr}" has no mask or length` };
  const len = maskLength(mask);
  if (len === undefined) return { ok: false, why: `"${mask}" is not a netmask` };
  return { ok: true, text: `${addr}/${len}`, used: 2 };
}
