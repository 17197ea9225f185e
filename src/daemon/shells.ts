// Builds each neighbor's session shell: the OPEN we send (capabilities from the neighbor's
// options), the FSM configuration, and the mapping of shell events to the daemon's peer events.

import os from 'node:os';
import { SocketShell, type PeerShellConfig } from '../session/peer.js';
import { describeReason } from '../session/reasons.js';
import { FAMILIES, familyName } from '../wire/afi.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { checkOpen } from '../wire/open-check.js';
import { buildOpen } from '../wire/open.js';
import { ADD_PATH_RECEIVE, ADD_PATH_SEND, type Capability } from '../wire/types.js';
import { isProtected, type TransportSecurity } from '../session/transport.js';
import type { ShellFactory, ShellHost } from './peers.js';
import type { NeighborOptions } from './options.js';
import type { PeerLinkEvents } from './peer-link.js';
import { llgrInfo } from './llgr.js';

/** The capabilities vrfleak advertises to a neighbor (RFC 5492). */
export function capabilitiesFor(n: NeighborOptions, d: ShellHost): Capability[] {
  const caps: Capability[] = [];
  for (const f of n.families) {
    const { afi, safi } = FAMILIES[f];
    caps.push({ kind: 'multiprotocol', afi, safi });
  }
  caps.push({ kind: 'route-refresh' });
  caps.push({ kind: 'four-octet-as', asn: d.opts.asn });
  caps.push({ kind: 'extended-message' });
  const ap = addPathCapability(n);
  if (ap) caps.push(ap);
  const gr = n.gracefulRestart;
  const llgr = n.longLivedGracefulRestart;
  if (gr) {
    // RFC 4724 §3: our restart time; the R bit after our own restart; no forwarding state kept.
    caps.push({
      kind: 'graceful-restart',
      restarting: d.opts.gracefulRestart?.restarting === true,
      notification: false,
      restartTime: Math.min(gr.restartTime, 4095),
      families: n.families.map((f) => ({ ...FAMILIES[f], forwarding: false })),
    });
  } else if (llgr) {
    // RFC 9494 §4.1: the LLGR capability goes with the GR one; a Restart Time of zero and no
    // families asks for the LLGR procedures only (§4.2: "only the procedures particular to LLGR
    // would apply").
    caps.push({
      kind: 'graceful-restart',
      restarting: false,
      notification: false,
      restartTime: 0,
      families: [],
    });
  }
  if (llgr) {
    // RFC 9494 §3: per family, flags (F clear: no forwarding state kept) and the stale time.
    caps.push({
      kind: 'llgr',
      families: llgr.map((e) => ({ ...FAMILIES[e.family], flags: 0, staleTime: e.staleTime })),
    });
  }
  caps.push({ kind: 'hostname', hostname: os.hostname().slice(0, 64), domain: '' });
  return caps;
}

/** RFC 7911 §4: per family, bit 1 "receive" and bit 2 "send", as the neighbor's add-path says. */
function addPathCapability(n: NeighborOptions): Capability | undefined {
  const entries = (n.addPath ?? [])
    .map((e) => ({
      ...FAMILIES[e.family],
      sendReceive: (e.receive ? ADD_PATH_RECEIVE : 0) | (e.send ? ADD_PATH_SEND : 0),
    }))
    .filter((e) => e.sendReceive !== 0);
  return entries.length ? { kind: 'add-path', entries } : undefined;
}

/** What a neighbor's session shell runs with: transport, the OPEN we send, FSM timers. */
export function shellConfigFor(n: NeighborOptions, d: ShellHost): PeerShellConfig {
  const localBgpId = ipv4FromText(d.opts.routerId) ?? 0;
  const localOpen = buildOpen({
    asn: d.opts.asn,
    holdTime: n.holdTime,
    bgpId: localBgpId,
    capabilities: capabilitiesFor(n, d),
  });
  const localAddress = n.localAddress ?? d.opts.listen?.address;
  return {
    peerAddress: n.address,
    port: n.port,
    // Source our connections from the configured local address, else the listen address, so
    // the peer sees the address it has configured for us.
    ...(localAddress ? { localAddress } : {}),
    passive: n.passive,
    ...(n.maxOutputQueue !== undefined ? { maxOutputQueue: n.maxOutputQueue } : {}),
    ...(isProtected(transportSecurity(n)) ? { security: transportSecurity(n) } : {}),
    localAs: d.opts.asn,
    localBgpId,
    fsm: {
      localOpen,
      checkOpen: (open) => checkOpen(open, { peerAs: n.asn, localBgpId, localAs: d.opts.asn }),
      negotiation: {
        gracefulRestartHelper: true,
        ...(n.keepalive !== undefined ? { keepaliveTime: n.keepalive } : {}),
      },
      connectRetryTime: n.connectRetry,
      // After an error the session starts again by itself after this delay.
      idleHoldTime: Math.max(1, Math.min(n.connectRetry, 5)),
    },
  };
}

/** The neighbor's TCP-MD5 key and GTSM hops, as the listener and its connections apply them. */
export function transportSecurity(n: NeighborOptions): TransportSecurity {
  return {
    ...(n.password ? { md5Key: n.password } : {}),
    ...(n.ttlSecurity ? { gtsmHops: n.ttlSecurity.hops } : {}),
  };
}

/**
 * Why our connects get no answer, in words an operator can act on: the kernel drops segments with
 * a wrong or missing MD5 signature, or below the GTSM TTL, without a trace on either side.
 */
export function unansweredReason(n: NeighborOptions): string {
  const why: string[] = [];
  if (n.password) {
    why.push(
      'a TCP-MD5 password is configured and the kernel drops segments whose signature is wrong ' +
        'or missing: check that the peer has the same password for this address',
    );
  }
  if (n.ttlSecurity) {
    why.push(
      `ttl-security hops ${n.ttlSecurity.hops} drops the peer's answer if it arrives with a TTL ` +
        `below ${256 - n.ttlSecurity.hops}: check the peer sends with TTL 255 and is that close`,
    );
  }
  if (!why.length) why.push('the peer or the path to it does not answer');
  return `no answer to our TCP connect: ${why.join('; ')}`;
}

export const socketShellFactory: ShellFactory = (n, events: PeerLinkEvents, d) => {
  /** Our connects given up unanswered since the session was last up. */
  let unanswered = 0;
  const shell = new SocketShell(shellConfigFor(n, d), {
    established: (neg, ctx, localAddress, wire) => {
      unanswered = 0;
      events.established({
        families: neg.familyNames,
        fourOctetAs: neg.fourOctetAs,
        peerAs: neg.peerAs,
        peerBgpId: neg.peerBgpId,
        holdTime: neg.holdTime,
        routeRefresh: neg.routeRefresh,
        ...(neg.gracefulRestart
          ? {
              peerGracefulRestart: {
                restartTime: neg.gracefulRestart.restartTime,
                restarting: neg.gracefulRestart.restarting,
                preserved: neg.gracefulRestart.families.flatMap((f) => {
                  const name = f.forwarding ? familyName(f.afi, f.safi) : undefined;
                  return name ? [name] : [];
                }),
              },
            }
          : {}),
        ...llgrInfo(neg),
        rx: ctx.rx,
        tx: ctx.tx,
        localAddress,
        ...(wire ? { wire } : {}),
      });
    },
    update: (r) => events.update(r),
    inputEnd: () => events.inputEnd(),
    inputDue: (msLeft) => events.inputDue(msLeft),
    routeRefresh: (m) => events.routeRefresh(m),
    connectUnanswered: () => {
      const attempts = ++unanswered;
      // The first one, then every doubling: a peer that stays silent does not flood the log.
      if ((attempts & (attempts - 1)) !== 0) return;
      d.log.emit({
        event: 'connect-unanswered',
        peer: n.address,
        attempts,
        reason: unansweredReason(n),
      });
    },
    message: (dir, frame, link) => d.mrt?.message(n, dir, frame, link),
    down: (reason, established, retain, notification) => {
      if (established) events.down(describeReason(reason), retain, { reason, notification });
    },
    notificationSent: (x) =>
      d.log.emit({
        event: 'notification-sent',
        peer: n.address,
        code: x.code,
        subcode: x.subcode,
        name: '',
      }),
  });
  return shell;
};
