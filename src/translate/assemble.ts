// A resolved draft as a vrfleak config object, with where each piece came from: `origins` (key
// path -> source lines, for the `# from FILE:LINES` comments) and `pieces` (key path -> the draft
// piece, so one that `vrfleak check` refuses can be dropped and the rest assembled again).

import { formatKeyPath, type KeyPath } from '../config/errors.js';
import type { Draft, DraftVrf, Sourced } from './draft.js';

export interface Piece {
  dropped?: string;
  readonly lines: number[];
}

export interface Assembled {
  readonly config: Record<string, unknown>;
  readonly origins: Map<string, number[]>;
  readonly pieces: Map<string, Piece>;
}

class Out {
  readonly origins = new Map<string, number[]>();
  readonly pieces = new Map<string, Piece>();
  at(path: KeyPath, piece: Piece, lines: readonly number[] = piece.lines): void {
    const k = formatKeyPath(path);
    this.origins.set(k, [...(this.origins.get(k) ?? []), ...lines]);
    this.pieces.set(k, piece);
  }
}

const live = <T>(xs: readonly Sourced<T>[]): Sourced<T>[] => xs.filter((x) => !x.dropped);

/** Values once each, in order, with the lines of every mention. */
function list(o: Out, path: KeyPath, xs: readonly Sourced<string>[]): string[] {
  const out: string[] = [];
  for (const x of live(xs)) {
    let i = out.indexOf(x.value);
    if (i < 0) i = out.push(x.value) - 1;
    o.at([...path, i], x);
  }
  return out;
}

function one<T>(o: Out, path: KeyPath, x: Sourced<T> | undefined): T | undefined {
  if (!x || x.dropped) return undefined;
  o.at(path, x);
  return x.value;
}

function vrfConfig(o: Out, d: Draft, v: DraftVrf): Record<string, unknown> {
  const p = ['vrfs', v.name];
  o.at(p, v);
  const out: Record<string, unknown> = {};
  const set = (k: string, val: unknown) => {
    if (val !== undefined && !(Array.isArray(val) && val.length === 0)) out[k] = val;
  };
  set('rd', one(o, [...p, 'rd'], v.rd));
  const imp = list(o, [...p, 'route-targets', 'import'], v.importRts);
  const exp = list(o, [...p, 'route-targets', 'export'], v.exportRts);
  if (imp.length || exp.length) {
    out['route-targets'] = {
      ...(imp.length ? { import: imp } : {}),
      ...(exp.length ? { export: exp } : {}),
    };
  }
  set('import-tags', list(o, [...p, 'import-tags'], v.importTags));
  set('export-tag', one(o, [...p, 'export-tag'], v.exportTag));
  set('import-map', one(o, [...p, 'import-map'], v.importMap));
  set('export-map', one(o, [...p, 'export-map'], v.exportMap));
  set('label', one(o, [...p, 'label'], v.label));
  set('export-next-hop', one(o, [...p, 'export-next-hop'], v.exportNextHop));
  const from = one(o, [...p, 'leak-from-default'], v.leakFromDefault);
  if (from !== undefined) out['leak-from-default'] = { policy: from };
  const to = one(o, [...p, 'leak-to-default'], v.leakToDefault);
  if (to !== undefined) out['leak-to-default'] = { policy: to };
  const ifaces = [...d.interfaces.values()].filter(
    (i) => i.vrf && !i.vrf.dropped && i.vrf.value === v.name && i.address && !i.address.dropped,
  );
  set(
    'interfaces',
    ifaces.map((i, n) => {
      o.at([...p, 'interfaces', n], i.address!, [...i.lines]);
      return { name: i.name, address: i.address!.value };
    }),
  );
  set('networks', list(o, [...p, 'networks'], v.networks));
  set('static-routes', statics(o, [...p, 'static-routes'], v.statics));
  return out;
}

function statics(o: Out, path: KeyPath, xs: Draft['statics']): Record<string, string>[] {
  return live(xs).map((s, i) => {
    o.at([...path, i], s);
    const r = s.value;
    return {
      prefix: r.prefix,
      'next-hop': r.nextHop ?? '',
      ...(r.nextHopVrf !== undefined ? { 'next-hop-vrf': r.nextHopVrf } : {}),
    };
  });
}

function policy(o: Out, d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pls: Record<string, unknown[]> = {};
  for (const [name, entries] of d.prefixLists) {
    const rows = [...entries].sort(([a], [b]) => a - b).filter(([, e]) => !e.dropped);
    if (!rows.length) continue;
    pls[name] = rows.map(([seq, e], i) => {
      o.at(['policy', 'prefix-lists', name, i], e);
      const { action, prefix, ge, le } = e.value;
      return {
        seq,
        action,
        prefix,
        ...(ge !== undefined ? { ge } : {}),
        ...(le !== undefined ? { le } : {}),
      };
    });
  }
  const rms: Record<string, unknown[]> = {};
  for (const [name, entries] of d.routeMaps) {
    const rows = [...entries].sort(([a], [b]) => a - b).filter(([, e]) => !e.dropped);
    if (!rows.length) continue;
    rms[name] = rows.map(([seq, e], i) => {
      o.at(['policy', 'route-maps', name, i], e);
      const v = e.value;
      return {
        seq,
        action: v.action,
        ...(Object.keys(v.match).length ? { match: v.match } : {}),
        ...(Object.keys(v.set).length ? { set: v.set } : {}),
        ...(v.continue !== undefined ? { continue: v.continue } : {}),
        ...(v.onMatchNext ? { 'on-match': 'next' } : {}),
      };
    });
  }
  const lists = (src: Draft['communityLists'], key: string, item: string) => {
    const outL: Record<string, unknown[]> = {};
    for (const [name, entries] of src) {
      const rows = live(entries);
      if (!rows.length) continue;
      outL[name] = rows.map((e, i) => {
        o.at(['policy', key, name, i], e);
        return { seq: (i + 1) * 10, action: e.value.action, [item]: e.value.values };
      });
    }
    if (Object.keys(outL).length) out[key] = outL;
  };
  if (Object.keys(pls).length) out['prefix-lists'] = pls;
  lists(d.communityLists, 'community-lists', 'communities');
  lists(d.extCommunityLists, 'ext-community-lists', 'ext-communities');
  if (Object.keys(rms).length) out['route-maps'] = rms;
  return out;
}

/** The config object; `asn` and `router-id` are resolved (given or assumed) before. */
export function assemble(d: Draft): Assembled {
  const o = new Out();
  const config: Record<string, unknown> = {};
  config.asn = one(o, ['asn'], d.asn);
  config['router-id'] = one(o, ['router-id'], d.routerId);
  const deny = one(o, ['deny-inter-vrf-static'], d.denyInterVrfStatic);
  if (deny) config['deny-inter-vrf-static'] = true;
  const st = statics(o, ['static-routes'], d.statics);
  if (st.length) config['static-routes'] = st;
  const pol = policy(o, d);
  if (Object.keys(pol).length) config.policy = pol;
  const vrfs: Record<string, unknown> = {};
  for (const v of d.vrfs.values()) if (!v.dropped) vrfs[v.name] = vrfConfig(o, d, v);
  if (Object.keys(vrfs).length) config.vrfs = vrfs;
  return { config, origins: o.origins, pieces: o.pieces };
}
