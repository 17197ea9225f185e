// Which real peers are installed. A missing peer skips its scenarios with a visible reason on a
// developer machine, and fails the run under CI (CI=true), where .ci/run installs them all: a CI
// run that silently skipped every interop scenario would look green and prove nothing.

import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type PeerName = 'gobgpd' | 'bgpd' | 'exabgp' | 'tshark' | 'bird' | 'pmbmpd';

export const FRR_BGPD = '/usr/lib/frr/bgpd';

/** The executables each peer needs. */
const BINARIES: Record<PeerName, readonly string[]> = {
  gobgpd: ['gobgpd', 'gobgp'],
  bgpd: [FRR_BGPD, 'vtysh'],
  exabgp: ['exabgp'],
  tshark: ['tshark'],
  bird: ['bird', 'birdc'],
  pmbmpd: ['pmbmpd'],
};

const INSTALL_HINT: Record<PeerName, string> = {
  gobgpd: 'apt-get install gobgpd',
  bgpd: 'apt-get install frr',
  exabgp: 'apt-get install exabgp',
  tshark: 'apt-get install tshark',
  bird: 'apt-get install bird2',
  pmbmpd: 'apt-get install pmacct',
};

/** Routers bind port 179 on their loopback address. */
const NEEDS_ROOT: ReadonlySet<PeerName> = new Set(['gobgpd', 'bgpd', 'exabgp', 'bird']);

export function findExecutable(name: string): string | undefined {
  const candidates = isAbsolute(name)
    ? [name]
    : (process.env['PATH'] ?? '')
        .split(delimiter)
        .concat(['/usr/sbin', '/sbin', '/usr/local/sbin'])
        .filter((d) => d !== '')
        .map((d) => join(d, name));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why `name` cannot run here, or undefined when it can. */
export function peerUnavailableReason(name: PeerName): string | undefined {
  const missing = BINARIES[name].filter((b) => findExecutable(b) === undefined);
  if (missing.length > 0) return `${name}: ${missing.join(', ')} not found (${INSTALL_HINT[name]})`;
  if (NEEDS_ROOT.has(name) && process.getuid?.() !== 0) {
    return `${name}: must run as root to bind port 179 on loopback addresses`;
  }
  return undefined;
}

export function peerAvailable(name: PeerName): boolean {
  return peerUnavailableReason(name) === undefined;
}

export function isCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export interface PeerCheck {
  /** True when the scenario must be skipped (never under CI: there it throws instead). */
  readonly skip: boolean;
  readonly reason: string | undefined;
  /** A describe() title carrying the skip reason, so the report shows why. */
  title(name: string): string;
}

/**
 * Checks the peers a scenario needs. Under CI a missing peer throws (the run fails); elsewhere
 * the result says to skip, with the reason. Use: `describe.skipIf(p.skip)(p.title('...'), ...)`.
 */
export function assertPeersOrFail(
  names: readonly PeerName[],
  opts: { quiet?: boolean } = {},
): PeerCheck {
  const reasons = names.map(peerUnavailableReason).filter((r): r is string => r !== undefined);
  const reason = reasons.length > 0 ? reasons.join('; ') : undefined;
  if (reason !== undefined && isCi()) {
    throw new Error(`interop peers missing under CI=true: ${reason}`);
  }
  if (reason !== undefined && !opts.quiet) process.stderr.write(`interop: skipping, ${reason}\n`);
  return {
    skip: reason !== undefined,
    reason,
    title: (name) => (reason === undefined ? name : `${name} [skipped: ${reason}]`),
  };
}

export function requirePeer(name: PeerName): PeerCheck {
  return assertPeersOrFail([name]);
}
