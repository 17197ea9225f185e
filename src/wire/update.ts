// The UPDATE codec (RFC 4271 §4.3) with the revised error handling of RFC 7606. decodeUpdate never
// throws: every malformation becomes an AttrProblem carrying its RFC 7606 action, and the result
// names the strongest action (§3: "the strongest wins") with that problem's NOTIFICATION.
// What the actions mean for routes is the caller's business: treat-as-withdraw turns every
// announcement of this UPDATE (IPv4 NLRI and MP_REACH_NLRI) into a withdrawal (§2).

import {
  ATTR_TABLE,
  attrEnd,
  attrHeaderFault,
  attrValueStart,
  encodeAttribute,
  expectedFlags,
} from './attrs/index.js';
import { RAW_CHECKS } from './attrs/raw-checks.js';
import type { CodecContext } from './context.js';
import {
  ACTION_STRENGTH,
  AttrFault,
  notify,
  UPD_ATTR_FLAGS,
  UPD_ATTR_LENGTH,
  UPD_INVALID_NETWORK,
  UPD_INVALID_NEXT_HOP,
  UPD_MALFORMED_ATTR_LIST,
  UPD_MISSING_WELLKNOWN,
  UPD_UNRECOGNIZED_WELLKNOWN,
  WireError,
  type AttrProblem,
  type ErrorAction,
  type Notify,
} from './errors.js';
import { isMartianNextHop } from './nexthop.js';
import { decodeIpv4Field, encodeNlri } from './nlri/index.js';
import { Reader } from './reader.js';
import {
  ATTR_AS_PATH,
  ATTR_FLAG_OPTIONAL,
  ATTR_FLAG_TRANSITIVE,
  ATTR_MP_REACH,
  ATTR_MP_UNREACH,
  ATTR_NEXT_HOP,
  ATTR_ORIGIN,
  type PathAttribute,
  type PrefixNlri,
  type UpdateMessage,
} from './types.js';
import type { Writer } from './writer.js';
import { TypeCodes } from './type-codes.js';

export interface UpdateDecodeResult {
  /** The UPDATE as far as it could be read; attributes that were discarded are left out. */
  readonly update: UpdateMessage;
  /** Every problem found, in order. */
  readonly problems: readonly AttrProblem[];
  /** The strongest action among the problems (RFC 7606 §3: "the strongest wins"). */
  readonly action?: ErrorAction;
  /** The NOTIFICATION of the (first) problem with the strongest action. */
  readonly notify?: Notify;
}

const EMPTY = new Uint8Array(0);
const NO_PREFIXES: readonly PrefixNlri[] = [];

function problem(
  typeCode: number,
  action: ErrorAction,
  subcode: number,
  reason: string,
  data: Uint8Array = EMPTY,
): AttrProblem {
  return { typeCode, action, notify: notify(3, subcode, data), reason };
}

/** A copy of the whole attribute (flags, type, length, value): the NOTIFICATION data of §6.3. */
function attrData(buf: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}

/** Decodes an UPDATE body (buf[start..end) is everything after the 19-octet header). Never throws. */
export function decodeUpdate(
  buf: Buffer,
  start: number,
  end: number,
  ctx: CodecContext,
): UpdateDecodeResult {
  const problems: AttrProblem[] = [];
  const bodyLen = end - start;
  // RFC 4271 §6.3 / RFC 7606 §4 (case 7): when Withdrawn Routes Length or Total Path Attribute
  // Length do not fit the message, the NLRI cannot be located: "Malformed Attribute List" and a
  // session reset.
  const wdLen = bodyLen >= 2 ? (buf[start]! << 8) | buf[start + 1]! : -1;
  const attrLenAt = start + 2 + wdLen;
  const attrLen =
    wdLen >= 0 && 4 + wdLen <= bodyLen ? (buf[attrLenAt]! << 8) | buf[attrLenAt + 1]! : -1;
  if (attrLen < 0 || 4 + wdLen + attrLen > bodyLen) {
    problems.push(
      problem(
        -1,
        'session-reset',
        UPD_MALFORMED_ATTR_LIST,
        'withdrawn / attribute lengths exceed the message',
      ),
    );
    return finish(
      { type: 'update', withdrawn: NO_PREFIXES, attributes: [], nlri: NO_PREFIXES },
      problems,
    );
  }
  const aStart = attrLenAt + 2;
  const aEnd = aStart + attrLen;

  // RFC 7606 §5.3: syntax errors in the IPv4 Withdrawn Routes or NLRI fields cannot be contained
  // (the prefixes are unknown): session reset with "Invalid Network Field" (3/10, RFC 4271 §6.3).
  const ipv4Field = (from: number, to: number, what: string): readonly PrefixNlri[] => {
    if (from === to) return NO_PREFIXES;
    try {
      return decodeIpv4Field(new Reader(buf, from, to), ctx, what === 'withdrawn routes');
    } catch (e) {
      const n = e instanceof WireError ? e.notify : undefined;
      const why = e instanceof Error ? e.message : String(e);
      problems.push({
        typeCode: -1,
        action: 'session-reset',
        notify: n ?? notify(3, UPD_INVALID_NETWORK),
        reason: `${what}: ${why}`,
      });
      return NO_PREFIXES;
    }
  };
  const withdrawn = ipv4Field(start + 2, attrLenAt, 'withdrawn routes');
  const nlri = ipv4Field(aEnd, end, 'NLRI');

  const firstAttrProblem = problems.length;
  const walk = walkAttributes(buf, aStart, aEnd, ctx, problems);
  if (nlri.length === 0) {
    // RFC 4760 §3: without IPv4 NLRI a NEXT_HOP attribute "SHOULD" be ignored, so a malformed
    // one (case 15) is dropped rather than withdrawing the MP_REACH_NLRI routes.
    for (let i = firstAttrProblem; i < problems.length; i++) {
      const p = problems[i]!;
      if (p.typeCode === ATTR_NEXT_HOP && p.action === 'treat-as-withdraw') {
        problems[i] = { ...p, action: 'attribute-discard' };
      }
    }
  }
  const update: UpdateMessage = { type: 'update', withdrawn, attributes: walk.attributes, nlri };
  const mpReach = walk.attributes.find((a) => a.kind === 'mp-reach');
  const mpUnreach = walk.attributes.find((a) => a.kind === 'mp-unreach');
  // RFC 7606 §7.11 / RFC 4271 §6.3 (malformed-input case 21): a martian MP_REACH next hop makes
  // the NLRI it carries treat-as-withdraw, 3/8 "Invalid NEXT_HOP". Without NLRI it judges nothing.
  if (
    mpReach?.kind === 'mp-reach' &&
    (mpReach.nlri.length > 0 || (mpReach.rawNlri?.length ?? 0) > 0) &&
    isMartianNextHop(mpReach.nextHop, ctx.allowLoopbackNextHop === true)
  ) {
    problems.push(
      problem(ATTR_MP_REACH, 'treat-as-withdraw', UPD_INVALID_NEXT_HOP, 'martian MP next hop'),
    );
  }

  // RFC 7606 §3(d) (case 11): a missing well-known mandatory attribute is treat-as-withdraw with
  // "Missing Well-known Attribute" (3/3), data = the type code. RFC 4271 §5 requires ORIGIN and
  // AS_PATH with any reachable NLRI, RFC 4760 §3 with MP_REACH_NLRI too; NEXT_HOP only for the
  // IPv4 NLRI field (RFC 4760 §3 makes it irrelevant to MP-only UPDATEs). An UPDATE that only
  // withdraws (incl. an End-of-RIB) needs none. After a framing error the rest of the list is
  // unknown, so nothing is reported missing (that error is treat-as-withdraw already).
  if (!walk.framingError && (nlri.length > 0 || walk.seen.has(ATTR_MP_REACH))) {
    const need =
      nlri.length > 0 ? [ATTR_ORIGIN, ATTR_AS_PATH, ATTR_NEXT_HOP] : [ATTR_ORIGIN, ATTR_AS_PATH];
    for (const code of need) {
      if (!walk.seen.has(code)) {
        problems.push(
          problem(
            code,
            'treat-as-withdraw',
            UPD_MISSING_WELLKNOWN,
            `missing attribute ${code}`,
            Uint8Array.of(code),
          ),
        );
      }
    }
  }

  // RFC 7606 §5.2: with no reachable NLRI, an UPDATE that carries attributes other than
  // MP_UNREACH_NLRI cannot be trusted to have had its NLRI found, so any error stronger than
  // attribute-discard becomes a session reset. Case 8 falls under this: after a framing error an
  // MP_REACH_NLRI may sit in the unparsable tail, so treat-as-withdraw (§4) is used only when
  // reachable NLRI were located (IPv4 NLRI field, or an MP_REACH_NLRI parsed before the error;
  // §5.1 asks senders to put MP_REACH_NLRI first for exactly this reason). Accepted limit: an
  // MP_UNREACH_NLRI hidden in that tail is not seen.
  // Exception (malformed-input.md case 24, the FRR fix for CVE-2023-47235): an End-of-RIB
  // (MP_UNREACH_NLRI with no NLRI and nothing else to withdraw or announce) whose list was framed
  // soundly stays an End-of-RIB with treat-as-withdraw: it announces nothing either way.
  const reachable =
    nlri.length > 0 ||
    (mpReach !== undefined && (mpReach.nlri.length > 0 || (mpReach.rawNlri?.length ?? 0) > 0));
  const firstWithdraw = problems.find((p) => p.action === 'treat-as-withdraw');
  if (!reachable && firstWithdraw && (walk.otherThanUnreach || walk.framingError)) {
    const eor =
      !walk.framingError &&
      mpUnreach !== undefined &&
      mpUnreach.nlri.length === 0 &&
      (mpUnreach.rawNlri?.length ?? 0) === 0 &&
      withdrawn.length === 0 &&
      mpReach === undefined;
    if (!eor) {
      problems.push({
        typeCode: firstWithdraw.typeCode,
        action: 'session-reset',
        notify: firstWithdraw.notify,
        reason: `no reachable NLRI to withdraw (RFC 7606 §5.2): ${firstWithdraw.reason}`,
      });
    }
  }
  return finish(update, problems);
}

interface Walk {
  readonly attributes: PathAttribute[];
  /** Type codes present in the message (whether kept, discarded or malformed). */
  readonly seen: TypeCodes;
  framingError: boolean;
  otherThanUnreach: boolean;
}

/** Walks the Path Attributes field, applying RFC 7606 §3 and §4 per attribute. */
function walkAttributes(
  buf: Buffer,
  aStart: number,
  aEnd: number,
  ctx: CodecContext,
  problems: AttrProblem[],
): Walk {
  const walk: Walk = {
    attributes: [],
    seen: new TypeCodes(),
    framingError: false,
    otherThanUnreach: false,
  };
  let pos = aStart;
  while (pos < aEnd) {
    // The header read as numbers, the value as offsets (no object, no view per attribute).
    const hEnd = attrEnd(buf, pos, aEnd);
    if (hEnd < 0) {
      // RFC 7606 §4 (case 8): an attribute overrunning the list, or too few octets left for a
      // header, is treat-as-withdraw; Total Path Attribute Length still locates the NLRI.
      // (§5.2 may raise this to a reset, see decodeUpdate.)
      walk.framingError = true;
      const why = attrHeaderFault(buf, pos, aEnd);
      problems.push(problem(-1, 'treat-as-withdraw', UPD_MALFORMED_ATTR_LIST, why));
      break;
    }
    // The attribute's octets, buf[hStart, hEnd), are copied for a NOTIFICATION only.
    const hStart = pos;
    const flags = buf[pos]!;
    const code = buf[pos + 1]!;
    const valueStart = attrValueStart(buf, pos);
    pos = hEnd;
    if (code !== ATTR_MP_UNREACH) walk.otherThanUnreach = true;

    // RFC 7606 §3(g) (case 9): a repeated MP_REACH_NLRI or MP_UNREACH_NLRI is "Malformed
    // Attribute List" (session reset); any other repeat is discarded, the first one kept.
    if (walk.seen.has(code)) {
      if (code === ATTR_MP_REACH || code === ATTR_MP_UNREACH) {
        problems.push(
          problem(code, 'session-reset', UPD_MALFORMED_ATTR_LIST, `duplicate attribute ${code}`),
        );
      } else {
        problems.push(
          problem(
            code,
            'attribute-discard',
            UPD_MALFORMED_ATTR_LIST,
            `duplicate attribute ${code}`,
          ),
        );
      }
      continue;
    }
    walk.seen.add(code);

    const d = ATTR_TABLE.get(code);
    if (!d) {
      // RFC 4271 §6.3 (case 10): an unrecognized attribute with the Optional bit clear is a
      // well-known one we do not know: "Unrecognized Well-known Attribute" (3/2). RFC 7606 does not
      // relax this, and nothing in it can be contained, so the session resets.
      if ((flags & ATTR_FLAG_OPTIONAL) === 0) {
        problems.push(
          problem(
            code,
            'session-reset',
            UPD_UNRECOGNIZED_WELLKNOWN,
            `unrecognized well-known attribute ${code}`,
            attrData(buf, hStart, hEnd),
          ),
        );
        continue;
      }
      // Attributes we do not decode are rare: a view of each is fine.
      const value = buf.subarray(valueStart, hEnd);
      const check = RAW_CHECKS.get(code)?.check(value);
      if (check !== undefined) {
        problems.push(
          problem(
            code,
            RAW_CHECKS.get(code)!.action,
            UPD_ATTR_LENGTH,
            check,
            attrData(buf, hStart, hEnd),
          ),
        );
        continue;
      }
      // RFC 4271 §5 / §9: unknown optional attributes are kept byte-exact with their flags; the
      // Partial bit is set by whoever propagates a transitive one, and a non-transitive one is
      // dropped there, not here.
      walk.attributes.push({
        kind: 'unknown',
        flags,
        code,
        value: new Uint8Array(value),
      });
      continue;
    }

    // RFC 7606 §3(c) (case 10): only the Optional and Transitive bits are compared (Partial and
    // Extended Length are free; the low four bits are unused). A conflict is treat-as-withdraw with
    // "Attribute Flags Error" (3/4), data = the attribute. MP_REACH/MP_UNREACH are still parsed,
    // because treat-as-withdraw needs their NLRI.
    const mask = ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE;
    const flagsWrong = (flags & mask) !== expectedFlags(d);
    if (flagsWrong) {
      problems.push(
        problem(
          code,
          'treat-as-withdraw',
          UPD_ATTR_FLAGS,
          `${d.name}: flags 0x${flags.toString(16)}`,
          attrData(buf, hStart, hEnd),
        ),
      );
      if (code !== ATTR_MP_REACH && code !== ATTR_MP_UNREACH) continue;
    }

    try {
      walk.attributes.push(d.decode(buf, valueStart, hEnd, flags, ctx));
    } catch (e) {
      // RFC 7606 §7: the descriptor names the action (a fault may name a stronger one); the
      // NOTIFICATION data is the attribute unless the fault says otherwise (RFC 4271 §6.3).
      if (e instanceof AttrFault) {
        problems.push({
          typeCode: code,
          action: e.action ?? d.onError,
          notify: notify(3, e.subcode, e.data ?? attrData(buf, hStart, hEnd)),
          reason: e.message,
          ...(e.family ? { family: e.family } : {}),
        });
      } else if (e instanceof WireError && e.kind === 'truncated') {
        problems.push(
          problem(
            code,
            d.onError,
            UPD_ATTR_LENGTH,
            `${d.name}: ${e.message}`,
            attrData(buf, hStart, hEnd),
          ),
        );
      } else {
        // Not a contract a descriptor may break; contain it rather than throw.
        const why = e instanceof Error ? e.message : String(e);
        problems.push(problem(code, 'session-reset', UPD_MALFORMED_ATTR_LIST, `${d.name}: ${why}`));
      }
    }
  }
  return walk;
}

function finish(update: UpdateMessage, problems: AttrProblem[]): UpdateDecodeResult {
  let worst: AttrProblem | undefined;
  for (const p of problems) {
    if (!worst || ACTION_STRENGTH[p.action] > ACTION_STRENGTH[worst.action]) worst = p;
  }
  if (!worst) return { update, problems };
  return { update, problems, action: worst.action, notify: worst.notify };
}

/** Writes an UPDATE body (after the header). */
export function encodeUpdate(w: Writer, msg: UpdateMessage, ctx: CodecContext): void {
  const wdAt = w.reserve(2);
  for (const n of msg.withdrawn) encodeNlri(w, n, 1, 1, ctx, true);
  w.patchU16(wdAt, w.pos - wdAt - 2);
  const attrAt = w.reserve(2);
  for (const a of msg.attributes) encodeAttribute(w, a, ctx);
  w.patchU16(attrAt, w.pos - attrAt - 2);
  for (const n of msg.nlri) encodeNlri(w, n, 1, 1, ctx, false);
}
