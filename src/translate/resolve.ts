// What needs the whole file: VRF names used before (or without) being defined, interface routes
// (the next hop is the interface's own address, in the interface's table), FRR's `import vrf`
// (route targets made up from the exporting VRF's RD, as FRR derives its own), the FRR gates
// `import vpn` / `export vpn`. Changes the draft in place; pieces that cannot be resolved are
// marked dropped with the reason.

import { connectedPrefix } from '../config/values.js';
import type { Assumption } from './findings.js';
import {
  interfaceKey,
  leaveOut,
  type Draft,
  type DraftStatic,
  type DraftVrf,
  type Sourced,
} from './draft.js';

export const DEFAULT = 'default';

/** A VRF name as the file spells it elsewhere: exact, `default`, or one match ignoring case. */
export function resolveVrfName(
  d: Draft,
  name: string,
  notes: Assumption[],
  path: string,
  lines: readonly number[],
): string | undefined {
  if (d.vrfs.has(name) || name === DEFAULT) return name;
  const same = [...d.vrfs.keys()].filter((k) => k.toLowerCase() === name.toLowerCase());
  if (same.length !== 1) return undefined;
  notes.push({
    path,
    lines,
    message: `"${name}" taken as VRF ${same[0]} (the file spells it both ways)`,
  });
  return same[0];
}

function drop<T>(d: Draft, s: Sourced<T>, why: string): void {
  s.dropped = why;
  leaveOut(d, s.lines, why);
}

/** Interface routes and next-hop VRFs of one table's statics (`owner`: a VRF or `default`). */
function resolveStatics(
  d: Draft,
  owner: string,
  statics: Sourced<DraftStatic>[],
  notes: Assumption[],
): void {
  for (const s of statics) {
    if (s.dropped) continue;
    const r = s.value;
    if (r.nextHopVrf !== undefined) {
      const nv = resolveVrfName(d, r.nextHopVrf, notes, `static ${r.prefix}`, s.lines);
      if (nv === undefined) {
        drop(d, s, `the next-hop VRF ${r.nextHopVrf} is not defined in the file`);
        continue;
      }
      r.nextHopVrf = nv;
    }
    if (r.iface !== undefined) {
      const i = d.interfaces.get(interfaceKey(r.iface));
      const table = i?.vrf
        ? resolveVrfName(d, i.vrf.value, notes, `interface ${i.name}`, i.vrf.lines)
        : DEFAULT;
      if (!i || table === undefined) {
        drop(
          d,
          s,
          `the next hop is interface ${r.iface}, which the file does not configure; vrfleak needs a next-hop address`,
        );
        continue;
      }
      if (r.nextHopVrf !== undefined && r.nextHopVrf !== table) {
        drop(d, s, `interface ${r.iface} is in ${table}, not in ${r.nextHopVrf}`);
        continue;
      }
      r.nextHopVrf = table;
      if (r.nextHop === undefined) {
        if (!i.address) {
          drop(
            d,
            s,
            `the next hop is interface ${r.iface}, which has no address in the file; vrfleak needs a next-hop address`,
          );
          continue;
        }
        const addr = i.address.value.split('/')[0]!;
        r.nextHop = addr;
        const via = i.vrf
          ? `reached in ${table} through the connected route ${connectedPrefix(i.address.value)}`
          : `which resolves once the default table has a route to it (vrfleak has no default-table interfaces)`;
        notes.push({
          path: `static ${r.prefix}`,
          lines: s.lines,
          message: `an interface route: the next hop is ${r.iface}'s own address ${addr}, ${via}`,
        });
      }
      delete r.iface;
    }
    if (r.nextHopVrf === owner) delete r.nextHopVrf;
  }
}

/** Route targets for `import vrf`: FRR makes them up too (from the exporting VRF's auto RD). */
function resolveImportVrf(
  d: Draft,
  t: DraftVrf,
  rdOf: (v: DraftVrf) => string,
  notes: Assumption[],
): void {
  const mapped = new Set<DraftVrf>();
  for (const iv of t.importVrfs) {
    if (iv.dropped) continue;
    const from = resolveVrfName(d, iv.value.from, notes, `vrfs.${t.name}`, iv.lines);
    const map = d.importVrfMaps.get(t.name);
    if (from === DEFAULT) {
      if (!map) {
        drop(
          d,
          iv,
          'vrfleak leaks from the default table only through a named policy (add `import vrf route-map NAME`)',
        );
        continue;
      }
      t.leakFromDefault = { value: map.value, lines: [...iv.lines, ...map.lines] };
      continue;
    }
    const s = from === undefined ? undefined : d.vrfs.get(from);
    if (!s || s.dropped) {
      drop(d, iv, `vrf ${iv.value.from} is not configured in the file`);
      continue;
    }
    const rt = rdOf(s);
    const synthetic = { value: rt, lines: [...iv.lines], synthetic: true };
    const has = (xs: Sourced<string>[]) => xs.some((x) => x.value === rt && !x.dropped);
    if (!has(s.exportRts)) s.exportRts.push({ ...synthetic, lines: [...iv.lines] });
    if (!has(t.importRts)) t.importRts.push(synthetic);
    notes.push({
      path: `vrfs.${t.name}.route-targets.import`,
      lines: iv.lines,
      message: `import vrf ${s.name}: route target ${rt} (${s.name}'s RD) exported by ${s.name} and imported here, as FRR derives its own`,
    });
    if (map && !mapped.has(t)) {
      mapped.add(t);
      const other = t.importRts.some(
        (x) => !x.dropped && !(x as { synthetic?: boolean }).synthetic,
      );
      if (t.importMap) {
        leaveOut(d, map.lines, `vrfleak has one import map per VRF (${t.importMap.value} is kept)`);
      } else if (other) {
        notes.push({
          path: `vrfs.${t.name}`,
          lines: map.lines,
          message: `import vrf route-map ${map.value} does not filter the import vrf leaks: as ${t.name}'s import map it would also filter its route-target imports`,
        });
      } else {
        t.importMap = { value: map.value, lines: [...map.lines] };
        notes.push({
          path: `vrfs.${t.name}.import-map`,
          lines: map.lines,
          message: `import vrf route-map ${map.value} as the import map (${t.name} imports through import vrf only)`,
        });
      }
    }
  }
}

/** FRR leaks nothing through the VPN table in a direction without `import vpn` / `export vpn`. */
function applyGates(d: Draft, v: DraftVrf): void {
  if (!v.vpnGate) return;
  for (const dir of ['import', 'export'] as const) {
    if (v.vpnGate[dir].size > 0) continue;
    for (const rt of dir === 'import' ? v.importRts : v.exportRts) {
      if ((rt as { synthetic?: boolean }).synthetic) continue;
      drop(
        d,
        rt,
        `FRR ${dir}s through the VPN table only with \`${dir} vpn\`, which this VRF does not have: the route target has no effect there`,
      );
    }
  }
}

/** Entries the source leaves incomplete: no action (left out), no prefix (VyOS: any prefix). */
function completeLists(d: Draft, notes: Assumption[]): void {
  for (const [name, entries] of d.prefixLists) {
    for (const [seq, e] of entries) {
      if (e.dropped) continue;
      if (e.value.action === undefined)
        drop(
          d,
          e,
          `prefix list ${name} rule ${seq} has no action (the router would refuse it too)`,
        );
      else if (e.value.prefix === undefined) {
        e.value.prefix = e.value.v6 ? '::/0' : '0.0.0.0/0';
        e.value.le ??= e.value.v6 ? 128 : 32;
        notes.push({
          path: `policy.prefix-lists.${name}`,
          lines: e.lines,
          message: `rule ${seq} names no prefix, so it matches any: ${e.value.prefix} le ${e.value.le}`,
        });
      }
    }
  }
  for (const [name, entries] of d.routeMaps) {
    for (const [seq, e] of entries) {
      if (!e.dropped && e.value.action === undefined)
        drop(d, e, `route map ${name} rule ${seq} has no action (the router would refuse it too)`);
    }
  }
}

export function resolveDraft(d: Draft, rdOf: (v: DraftVrf) => string, notes: Assumption[]): void {
  completeLists(d, notes);
  for (const i of d.interfaces.values()) {
    if (i.vrf) {
      const v = resolveVrfName(d, i.vrf.value, notes, `interface ${i.name}`, i.vrf.lines);
      if (v === undefined) drop(d, i.vrf, `vrf ${i.vrf.value} is not defined in the file`);
      else i.vrf.value = v;
    }
    if (!i.vrf)
      leaveOut(
        d,
        i.lines,
        'an interface in the default table: vrfleak has none there (no connected routes in the default table)',
      );
    else if (!i.address)
      leaveOut(
        d,
        i.lines,
        `interface ${i.name} has no address vrfleak can use, so it adds no connected route to ${i.vrf.value}`,
      );
  }
  for (const v of d.vrfs.values()) applyGates(d, v);
  for (const v of d.vrfs.values()) resolveImportVrf(d, v, rdOf, notes);
  for (const into of d.intoDefault) {
    const from = resolveVrfName(d, into.value.from, notes, 'leak-to-default', into.lines);
    const map = d.importVrfMaps.get(DEFAULT);
    const v = from === undefined ? undefined : d.vrfs.get(from);
    if (!v) drop(d, into, `vrf ${into.value.from} is not configured in the file`);
    else if (!map)
      drop(
        d,
        into,
        'vrfleak leaks into the default table only through a named policy (add `import vrf route-map NAME`)',
      );
    else v.leakToDefault = { value: map.value, lines: [...into.lines, ...map.lines] };
  }
  for (const v of d.vrfs.values()) resolveStatics(d, v.name, v.statics, notes);
  resolveStatics(d, DEFAULT, d.statics, notes);
}
