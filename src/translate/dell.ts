// Dell OS9: `ip vrf NAME [ID]` with `ip route-export TAG` (one per VRF) and `ip route-import TAG`
// (several), the IPv6 forms, interfaces' `ip vrf forwarding`, `ip route vrf` statics. Tags are
// vrfleak's export-tag / import-tags (DESIGN.md "Tags"); the rest is IOS's.

import { rtProblem } from './addr.js';
import { COMMON_RULES, INTERFACE_RULES } from './cisco.js';
import { POLICY_RULES } from './cisco-policy.js';
import type { Cx, Dialect } from './context.js';
import { sourced, vrfOf } from './draft.js';
import { IOS_STATIC_RULES } from './ios.js';
import type { Rule } from './lines.js';

type R = Rule<Cx>;

/** `route-map NAME` after a tag becomes the VRF's import or export map (one per VRF in vrfleak). */
function tagMap(
  cx: Cx,
  vrfName: string,
  dir: 'import' | 'export',
  rest: readonly string[],
): string {
  if (rest.length === 0) return '';
  if (rest.length !== 2 || rest[0]!.toLowerCase() !== 'route-map')
    return `; "${rest.join(' ')}" left out`;
  const v = vrfOf(cx.d, vrfName, cx.no);
  const key = dir === 'import' ? 'importMap' : 'exportMap';
  const had = v[key];
  if (had && had.value !== rest[1])
    return `; route-map ${rest[1]} left out (the VRF already has ${had.value}: vrfleak has one ${dir} map per VRF)`;
  v[key] = sourced(rest[1]!, cx.no);
  return `; route-map ${rest[1]} as the VRF's ${dir}-map (applies to every ${dir} of the VRF)`;
}

const TAG_RULES: readonly R[] = [
  {
    in: ['global'],
    pattern: 'ip vrf $vrf ...',
    run: (m, cx) => {
      if (m.rest.length > 1 || (m.rest[0] !== undefined && !/^\d+$/.test(m.rest[0])))
        return cx.leftOut('expected ip vrf NAME [ID]');
      const v = vrfOf(cx.d, m.args.vrf!, cx.no);
      if (m.rest[0] !== undefined) v.table = sourced(Number(m.rest[0]), cx.no);
      cx.ok(`vrfs.${m.args.vrf}`);
      cx.enter('vrf', { vrf: m.args.vrf! });
    },
  },
  {
    in: ['vrf'],
    pattern: '$afi:ip|ipv6 route-export $tag ...',
    run: (m, cx) => {
      const why = rtProblem(m.args.tag!);
      if (why) return cx.leftOut(why);
      const v = vrfOf(cx.d, cx.mode.at.vrf!, cx.no);
      if (v.exportTag && v.exportTag.value !== m.args.tag) {
        return cx.leftOut(
          `the VRF already exports tag ${v.exportTag.value} (line ${v.exportTag.lines[0]}): one export tag per VRF, for both families in vrfleak`,
        );
      }
      if (v.exportTag) v.exportTag.lines.push(cx.no);
      else v.exportTag = sourced(m.args.tag!, cx.no);
      cx.ok(`vrfs.${v.name}.export-tag${tagMap(cx, v.name, 'export', m.rest)}`);
    },
  },
  {
    in: ['vrf'],
    pattern: '$afi:ip|ipv6 route-import $tag ...',
    run: (m, cx) => {
      const why = rtProblem(m.args.tag!);
      if (why) return cx.leftOut(why);
      const v = vrfOf(cx.d, cx.mode.at.vrf!, cx.no);
      const had = v.importTags.find((t) => t.value === m.args.tag);
      if (had) had.lines.push(cx.no);
      else v.importTags.push(sourced(m.args.tag!, cx.no));
      cx.ok(`vrfs.${v.name}.import-tags${tagMap(cx, v.name, 'import', m.rest)}`);
    },
  },
  { in: ['vrf'], pattern: 'description ...', run: (_m, cx) => cx.ignore('a description') },
];

export const dell: Dialect = {
  name: 'dell',
  syntax: { comment: ['!'], prompt: /^\s*[A-Za-z0-9_.-]+\(conf[^)]*\)#\s?/ },
  rules: [...TAG_RULES, ...IOS_STATIC_RULES, ...INTERFACE_RULES, ...POLICY_RULES, ...COMMON_RULES],
};
