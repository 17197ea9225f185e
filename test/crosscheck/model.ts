// What tshark 4.0's BGP dissector should show for a message we meant to send: the expected values
// of its fields, derived from the input objects alone (never from our encoder or decoder). Each
// field collects its values in message order, as tshark's ek output does.
//
// Known tshark 4.0.17 limits (the corpus stays inside them; the property tests cover the rest):
// no RFC 9072 extended optional parameters; unknown (non-capability) optional parameters
// misparsed; no decoding of IPv6 address-specific ext communities (25), OTC (35) or LLGR (71);
// VPN-IPv6 NLRI only as text, and broken for type-2 RDs; RTC NLRI only at /96 or the default;
// no add-path for VPN or RTC families.

import { capability } from './model-open.js';
import { colonHex } from './values.js';
import type {
  AsPathSegment,
  BgpMessage,
  ExtCommunity,
  NextHop,
  Nlri,
  PathAttribute,
  Rd,
} from '../../src/wire/types.js';

export interface Expected {
  /** tshark field name (display-filter form) -> values in order. */
  readonly fields: Map<string, string[]>;
  /** Lines the verbose tree must contain, in order (for text-only items). */
  readonly lines: string[];
}

export function v4(a: number): string {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (>= 2) of zero groups as ::. */
export function v6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** RFC 4364 §4.2 text as tshark prints it: `ASN:NN` (types 0 and 2) or `A.B.C.D:NN` (type 1). */
export function rdText(rd: Rd): string {
  const type = rd.hi >>> 16;
  if (type === 0) return `${rd.hi & 0xffff}:${rd.lo >>> 0}`;
  const global = (((rd.hi & 0xffff) << 16) | (rd.lo >>> 16)) >>> 0;
  return type === 1 ? `${v4(global)}:${rd.lo & 0xffff}` : `${global}:${rd.lo & 0xffff}`;
}

function labelText(labels: readonly number[], withdraw: boolean): string {
  if (withdraw) return '0 (withdrawn)';
  return `${labels.map((l) => l >>> 4).join(',')} (bottom)`;
}

export class Acc {
  readonly fields = new Map<string, string[]>();
  readonly lines: string[] = [];
  add(field: string, ...values: (string | number | boolean)[]): void {
    let list = this.fields.get(field);
    if (!list) this.fields.set(field, (list = []));
    for (const v of values) list.push(String(v));
  }
  /** Declares a field that must be absent (or hold exactly what gets added later). */
  none(field: string): void {
    if (!this.fields.has(field)) this.fields.set(field, []);
  }
}

// IANA path attribute type codes.
const ATTR_CODES: Readonly<Record<Exclude<PathAttribute['kind'], 'unknown'>, number>> = {
  origin: 1,
  'as-path': 2,
  'next-hop': 3,
  med: 4,
  'local-pref': 5,
  'atomic-aggregate': 6,
  aggregator: 7,
  communities: 8,
  'originator-id': 9,
  'cluster-list': 10,
  'mp-reach': 14,
  'mp-unreach': 15,
  'ext-communities': 16,
  'as4-path': 17,
  'as4-aggregator': 18,
  'ipv6-ext-communities': 25,
  'large-communities': 32,
  otc: 35,
};

function segments(a: Acc, segs: readonly AsPathSegment[], width: 2 | 4): void {
  for (const s of segs) {
    a.add('bgp.update.path_attribute.as_path_segment.type', s.type);
    a.add('bgp.update.path_attribute.as_path_segment.length', s.asns.length);
    a.add(`bgp.update.path_attribute.as_path_segment.as${width}`, ...s.asns);
  }
}

/** RFC 4360 / RFC 5668 field names tshark 4.0 uses per form. */
function extCommunity(a: Acc, c: ExtCommunity): void {
  if (c.kind === 'raw') {
    a.add('bgp.ext_com.type', hex2(c.bytes[0]!));
    return;
  }
  const type = { as2: 0, ipv4: 1, as4: 2 }[c.form] | (c.transitive ? 0 : 0x40);
  const sub = c.kind === 'route-target' ? 2 : 3;
  const tr = c.transitive ? 'tr' : 'ntr';
  a.add('bgp.ext_com.type', hex2(type));
  if (c.form === 'as2') {
    a.add(`bgp.ext_com.stype_${tr}_as2`, hex2(sub));
    a.add('bgp.ext_com.value_as2', c.global);
    a.add('bgp.ext_com.value_an4', c.local);
  } else if (c.form === 'ipv4') {
    a.add(`bgp.ext_com.stype_${tr}_IP4`, hex2(sub));
    a.add('bgp.ext_com.value_IP4', v4(c.global));
    a.add('bgp.ext_com.value_an2', c.local);
  } else {
    a.add(`bgp.ext_com.stype_${tr}_as4`, hex2(sub));
    a.add('bgp.ext_com.value_as4', c.global);
    a.add('bgp.ext_com.value_an2', c.local);
  }
}

function nextHop(a: Acc, nh: NextHop): void {
  const p = 'bgp.update.path_attribute.mp_reach_nlri.next_hop';
  switch (nh.kind) {
    case 'ipv4':
      a.add(`${p}.ipv4`, v4(nh.addr));
      return;
    case 'ipv6':
      a.add(`${p}.ipv6`, v6(nh.global));
      if (nh.linkLocal) a.add(`${p}.ipv6.link_local`, v6(nh.linkLocal));
      return;
    case 'vpn-ipv4':
      a.add(`${p}.rd`, rdText(nh.rd));
      a.add(`${p}.ipv4`, v4(nh.addr));
      return;
    case 'vpn-ipv6':
      a.add(`${p}.rd`, rdText(nh.rd));
      a.add(`${p}.ipv6`, v6(nh.global));
      if (nh.linkLocal && nh.linkLocalRd) {
        a.add(`${p}.rd`, rdText(nh.linkLocalRd));
        a.add(`${p}.ipv6.link_local`, v6(nh.linkLocal));
      }
      return;
    case 'raw':
      return;
    default: {
      const never: never = nh;
      return never;
    }
  }
}

function prefixText(n: Exclude<Nlri, { kind: 'rtc' }>): string {
  return n.prefix.afi === 1 ? v4(n.prefix.addr) : v6(n.prefix.addr);
}

function nlri(a: Acc, n: Nlri, dir: 'reach' | 'unreach', addPath: boolean): void {
  const withdraw = dir === 'unreach';
  if (n.kind === 'rtc') {
    // RFC 4684 §4: tshark prints "<origin AS>:<RT as ASN:NN>/<bits>" (2-octet AS RTs only here).
    if (n.len === 0) return;
    const rt = n.rt;
    const asn = (rt[2]! << 8) | rt[3]!;
    const local = ((rt[4]! << 24) | (rt[5]! << 16) | (rt[6]! << 8) | rt[7]!) >>> 0;
    a.add('bgp.prefix_length', 32 + n.len);
    a.add('bgp.community_prefix', `${asn}:${local}`);
    a.lines.push(
      `MP ${dir === 'reach' ? 'Reach' : 'Unreach'} NLRI ${n.originAs}:${asn}:${local}/96`,
    );
    return;
  }
  const fam = n.prefix.afi === 1 ? 'ipv4' : 'ipv6';
  if (addPath && n.kind !== 'vpn') a.add('bgp.nlri_path_id', n.pathId ?? 0);
  if (n.kind === 'vpn' && fam === 'ipv6') {
    // tshark 4.0 shows a VPN-IPv6 NLRI as one text line with only the label stack as a field.
    a.add('bgp.label_stack', labelText(n.labels, withdraw));
    a.lines.push(
      `Label Stack=${labelText(n.labels, withdraw)} RD=${rdText(n.rd)}, IPv6=${prefixText(n)}/${n.prefix.len}`,
    );
    return;
  }
  const labelBits = n.kind === 'prefix' ? 0 : 24 * (withdraw ? 1 : n.labels.length);
  a.add('bgp.prefix_length', labelBits + (n.kind === 'vpn' ? 64 : 0) + n.prefix.len);
  if (n.kind !== 'prefix') a.add('bgp.label_stack', labelText(n.labels, withdraw));
  if (n.kind === 'vpn') a.add('bgp.rd', rdText(n.rd));
  a.add(`bgp.mp_${dir}_nlri_${fam}_prefix`, prefixText(n));
}

function attribute(a: Acc, x: PathAttribute, as4: boolean, addPath: boolean): void {
  const pa = 'bgp.update.path_attribute';
  a.add(`${pa}.type_code`, x.kind === 'unknown' ? x.code : ATTR_CODES[x.kind]);
  a.add(`${pa}.flags.optional`, (x.flags & 0x80) !== 0);
  a.add(`${pa}.flags.transitive`, (x.flags & 0x40) !== 0);
  a.add(`${pa}.flags.partial`, (x.flags & 0x20) !== 0);
  switch (x.kind) {
    case 'origin':
      return a.add(`${pa}.origin`, x.value);
    case 'as-path':
      return segments(a, x.segments, as4 ? 4 : 2);
    case 'as4-path':
      return segments(a, x.segments, 4);
    case 'next-hop':
      return a.add(`${pa}.next_hop`, v4(x.addr));
    case 'med':
      return a.add(`${pa}.multi_exit_disc`, x.value);
    case 'local-pref':
      return a.add(`${pa}.local_pref`, x.value);
    case 'aggregator':
    case 'as4-aggregator':
      a.add(`${pa}.aggregator_as`, x.asn);
      return a.add(`${pa}.aggregator_origin`, v4(x.id));
    case 'communities':
      for (const c of x.values) {
        if (c >>> 16 === 0xffff) a.add(`${pa}.community_wellknown`, `0x${c.toString(16)}`);
        else {
          a.add(`${pa}.community_as`, c >>> 16);
          a.add(`${pa}.community_value`, c & 0xffff);
        }
      }
      return;
    case 'originator-id':
      return a.add(`${pa}.originator_id`, v4(x.id));
    case 'cluster-list':
      return a.add('bgp.path_attribute.cluster_id', ...x.ids.map(v4));
    case 'ext-communities':
      for (const c of x.values) extCommunity(a, c);
      return;
    case 'large-communities':
      for (const c of x.values) {
        a.add('bgp.large_communities.ga', c.global);
        a.add('bgp.large_communities.ldp1', c.local1);
        a.add('bgp.large_communities.ldp2', c.local2);
      }
      return;
    case 'mp-reach':
      a.add(`${pa}.mp_reach_nlri.afi`, x.afi);
      a.add(`${pa}.mp_reach_nlri.safi`, x.safi);
      nextHop(a, x.nextHop);
      for (const n of x.nlri) nlri(a, n, 'reach', addPath);
      return;
    case 'mp-unreach':
      a.add(`${pa}.mp_unreach_nlri.afi`, x.afi);
      a.add(`${pa}.mp_unreach_nlri.safi`, x.safi);
      for (const n of x.nlri) nlri(a, n, 'unreach', addPath);
      return;
    case 'atomic-aggregate':
    case 'ipv6-ext-communities': // not decoded by tshark 4.0
    case 'otc': // not decoded by tshark 4.0
    case 'unknown':
      return;
    default: {
      const never: never = x;
      return never;
    }
  }
}

const MINOR_FIELD: Readonly<Record<number, string>> = {
  1: 'bgp.notify.minor_error',
  2: 'bgp.notify.minor_error_open',
  3: 'bgp.notify.minor_error_update',
  4: 'bgp.notify.minor_error_expired',
  5: 'bgp.notify.minor_error_state',
  6: 'bgp.notify.minor_error_cease',
};

/** The fields tshark should show for msg, sent with 4-octet ASNs or not, with add-path or not. */
export function expectedFields(msg: BgpMessage, as4: boolean, addPath: boolean): Expected {
  const a = new Acc();
  const type = { open: 1, update: 2, notification: 3, keepalive: 4, 'route-refresh': 5 }[msg.type];
  a.add('bgp.type', type);
  switch (msg.type) {
    case 'open':
      a.add('bgp.open.version', msg.version);
      a.add('bgp.open.myas', msg.myAs);
      a.add('bgp.open.holdtime', msg.holdTime);
      a.add('bgp.open.identifier', v4(msg.bgpId));
      for (const p of msg.params) {
        a.add('bgp.open.opt.param.type', p.kind === 'capabilities' ? 2 : p.type);
        if (p.kind === 'capabilities') for (const c of p.capabilities) capability(a, c);
      }
      break;
    case 'update':
      a.none('bgp.nlri_path_id');
      a.none('bgp.prefix_length');
      for (const w of msg.withdrawn) {
        if (addPath) a.add('bgp.nlri_path_id', w.pathId ?? 0);
        a.add('bgp.prefix_length', w.prefix.len);
        if (w.prefix.afi === 1) a.add('bgp.withdrawn_prefix', v4(w.prefix.addr));
      }
      a.none('bgp.update.path_attribute.type_code');
      for (const x of msg.attributes) attribute(a, x, as4, addPath);
      for (const n of msg.nlri) {
        if (addPath) a.add('bgp.nlri_path_id', n.pathId ?? 0);
        a.add('bgp.prefix_length', n.prefix.len);
        if (n.prefix.afi === 1) a.add('bgp.nlri_prefix', v4(n.prefix.addr));
      }
      break;
    case 'notification': {
      a.add('bgp.notify.major_error', msg.code);
      const minor = MINOR_FIELD[msg.code];
      if (minor) a.add(minor, msg.subcode);
      // RFC 9003: Cease 2 and 4 carry a length-prefixed UTF-8 shutdown communication.
      if (msg.code === 6 && (msg.subcode === 2 || msg.subcode === 4) && msg.data.length > 0) {
        a.add('bgp.notify.communication', Buffer.from(msg.data.subarray(1)).toString('utf8'));
      } else if (msg.data.length > 0) {
        a.add('bgp.notify.minor_data', colonHex(msg.data));
      }
      break;
    }
    case 'keepalive':
      break;
    case 'route-refresh':
      a.add('bgp.route_refresh.afi', msg.afi);
      a.add('bgp.route_refresh.subtype', msg.subtype);
      a.add('bgp.route_refresh.safi', msg.safi);
      break;
    default: {
      const never: never = msg;
      return never;
    }
  }
  return { fields: a.fields, lines: a.lines };
}
