// Keys the schema names that the daemon cannot honour yet (DESIGN.md "Config keys are honest": a
// key the schema accepts changes behaviour or state; until it can, it is refused with a message).
// Each entry names the issue that builds it, so the refusal tells the operator what to wait for.

import type { ConfigProblem } from './errors.js';
import type { Config } from './schema.js';

/**
 * The issues keys wait for: number and what it builds (none now: RT-constrain, family rtc, was
 * the last, issue 14). A refusal names its entry with `waits`.
 */
export const WAITS_FOR: Readonly<
  Record<string, { readonly issue: number; readonly builds: string }>
> = {};

export function waits(
  what: string,
  w: { readonly issue: number; readonly builds: string },
): string {
  return `${what} is not built yet: it waits for issue ${w.issue} (${w.builds})`;
}

/** One error per use of a key (or value) that waits for another issue. */
export function waitingProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (cfg['static-routes'].length) {
    // The leak engine installs and resolves static routes per VRF only; these were accepted and
    // never installed.
    out.push({
      path: ['static-routes'],
      message:
        'static routes in the default table are not built yet (no issue builds them): put the ' +
        "route in a VRF's static-routes, whose next-hop-vrf may be default",
      severity: 'error',
      atKey: true,
    });
  }
  cfg.bmp.forEach((b, i) => {
    const j = b['route-monitoring'].indexOf('adj-rib-out-pre');
    // RFC 8671 pre-policy Adj-RIB-Out is each route before route-map-out; the update groups keep
    // only what they sent (rib/adj-out.ts), so there is nothing to send it from.
    if (j >= 0)
      out.push({
        path: ['bmp', i, 'route-monitoring', j],
        message:
          'route-monitoring adj-rib-out-pre is not built: the update groups keep only what ' +
          'they sent, not the routes before route-map-out; adj-rib-out-post sends what was sent',
        severity: 'error',
      });
  });
  return out;
}
