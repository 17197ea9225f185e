// The schema's building blocks, shared by schema.ts and the files that hold a group of keys of
// their own (schema-expect.ts, ...): text values checked by values.ts and canonicalized, bounded
// whole numbers, references to named things, and records of plainly named things.

import { z } from 'zod';
import {
  ConfigValueError,
  checkCommunity,
  checkIp,
  checkIpv4,
  checkLargeCommunity,
  checkPrefix,
  checkRouteTarget,
} from './values.js';

/** A string value checked (and canonicalized) by one of the values.ts checkers. */
export function textOf(check: (text: string) => string) {
  return z.string().transform((v, ctx) => {
    try {
      return check(v);
    } catch (e) {
      if (!(e instanceof ConfigValueError)) throw e;
      ctx.issues.push({ code: 'custom', message: e.message, input: v });
      return z.NEVER;
    }
  });
}

/** A whole number in [min, max], with the range in the message. */
export function int(min: number, max: number) {
  return z.number().superRefine((v, ctx) => {
    if (!Number.isInteger(v))
      ctx.addIssue({ code: 'custom', message: `${v} is not a whole number` });
    else if (v < min || v > max) {
      ctx.addIssue({ code: 'custom', message: `${v} is out of range (${min}..${max})` });
    }
  });
}

const NAME_RE = /^[A-Za-z0-9_-]+$/;
/** A reference to a named thing (route map, list, VRF); existence is crossref's job. */
export const ref = z.string().min(1);

/** Names of VRFs and policies become key paths and CLI arguments, so keep them plain. */
export function named<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec)) {
      if (!NAME_RE.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          params: { atKey: true },
          message: `"${key}" is not a valid name; use letters, digits, "-" and "_"`,
        });
      }
    }
  });
}

export const asn = int(1, 0xffffffff);
export const port = int(0, 65535);
export const ipv4 = textOf((t) => checkIpv4(t));
export const ip = textOf(checkIp);
export const prefix = textOf(checkPrefix);
export const rt = textOf(checkRouteTarget);
export const community = textOf(checkCommunity);
export const largeCommunity = textOf(checkLargeCommunity);
export const action = z.enum(['permit', 'deny']);
export const seq = int(1, 0xffffffff);
