// What every exporter shares: the rendered text with the notes on what the target cannot express
// (written into the output as comments and returned for stderr), and the leak facts derived from
// the config (tags are route targets under another name, DESIGN.md "Tags").

import type { Config, VrfConfig } from '../config/schema.js';
import { prefixIsV6 } from '../config/values.js';

export interface Rendered {
  readonly text: string;
  /** What the target cannot express, each naming the vrfleak key it concerns. */
  readonly notes: readonly string[];
}

/** A VRF's import and export route targets, its tags included. */
export function vrfRts(v: VrfConfig): { import: string[]; export: string[] } {
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    import: uniq([...v['route-targets'].import, ...v['import-tags']]),
    export: uniq([...v['route-targets'].export, ...(v['export-tag'] ? [v['export-tag']] : [])]),
  };
}

export const isV6Prefix = prefixIsV6;

/** Notes about vrfleak keys no target here has (each exporter adds its own). */
export function commonNotes(c: Config, name: string): string[] {
  const out: string[] = [];
  for (const [n, v] of Object.entries(c.vrfs)) {
    if (v['route-targets']['export-mode'] === 'replace')
      out.push(
        `vrfs.${n}.route-targets.export-mode replace: ${name} adds the export route targets to those a route carries; it cannot strip them first`,
      );
    if (v['allowas-in'] > 0)
      out.push(`vrfs.${n}.allowas-in: ${name} has no per-VRF allowas-in for leaked routes`);
    if (v.conflict === 'best-path')
      out.push(
        `vrfs.${n}.conflict best-path: ${name} always runs its decision process (there is no prefer-local rule to turn off)`,
      );
    for (const net of v.networks) {
      if (
        net.communities ||
        net['large-communities'] ||
        net.med !== undefined ||
        net['local-preference'] !== undefined ||
        net['route-targets'] ||
        net['next-hop']
      )
        out.push(
          `vrfs.${n}.networks ${net.prefix}: its attributes are not rendered (only the prefix)`,
        );
    }
  }
  if (c['deny-inter-vrf-static'])
    out.push(
      `deny-inter-vrf-static: ${name} has no switch for it; the config has no such routes to refuse`,
    );
  if (c.retain === 'imported-only') out.push(`retain imported-only: not rendered`);
  return out;
}

/** Lines of notes as comments. */
export function noteLines(notes: readonly string[], mark: string, target: string): string[] {
  if (!notes.length) return [`${mark} everything in the vrfleak config is expressed for ${target}`];
  return [
    `${mark} What ${target} cannot express (vrfleak keys not rendered as they behave in vrfleak):`,
    ...notes.map((n) => `${mark}   ${n}`),
  ];
}
