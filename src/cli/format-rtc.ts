// `show bgp ipv4 rtc`: the route target membership table (RFC 4684), GoBGP's columns (the route
// target, the origin AS, next hop, AS path), and each rtc neighbor's memberships and wait.

import type { RtcAnswer, RtcWhy } from '../api/endpoints-rtc.js';

const pad = (s: string | number, n: number) => String(s).padEnd(n);

export function formatRtc(a: RtcAnswer): string {
  const out = ['Status codes: * valid, > best, S stale', ''];
  out.push(
    `    ${pad('Route target', 22)}${pad('Origin AS', 12)}${pad('Next hop', 18)}${pad('From', 18)}AS path`,
  );
  const rows = [...a.routes].sort(
    (x, y) =>
      x.routeTarget.localeCompare(y.routeTarget, 'en', { numeric: true }) ||
      x.originAs - y.originAs,
  );
  for (const r of rows) {
    const st = `${r.stale ? 'S' : ' '}*${r.best ? '>' : ' '}`;
    out.push(
      `${st} ${pad(r.routeTarget, 22)}${pad(r.originAs, 12)}${pad(r.nextHop ?? '-', 18)}${pad(r.peer ?? 'local', 18)}${r.asPath}`.trimEnd(),
    );
  }
  out.push('', `Total number of memberships ${a.routes.length}`);
  for (const n of a.neighbors) {
    const state = !n.negotiated
      ? 'not negotiated'
      : n.disabled
        ? 'disabled (malformed RTC NLRI): sent every VPN route'
        : n.waitingEndOfRib
          ? 'waiting for its RTC End-of-RIB'
          : 'filtering';
    const m = n.memberships.length ? n.memberships.join(', ') : 'none';
    out.push(`Neighbor ${n.address}: ${state}; memberships: ${m}`);
  }
  return out.join('\n') + '\n';
}

export function formatRtcWhy(w: RtcWhy): string {
  const head = `${w.rd} ${w.prefix} to ${w.neighbor}: ${w.sent ? 'sent' : 'not sent'}`;
  if (!w.reason) return `${head}\n`;
  const why =
    w.reason.kind === 'rtc-waiting-end-of-rib'
      ? "RT-constrain: waiting for the neighbor's RTC End-of-RIB (RFC 4684 §6)"
      : `RT-constrain: none of its route targets is in the neighbor's ${w.reason.routeTargets} membership(s) (RFC 4684)`;
  return `${head}\n  ${why}\n`;
}
