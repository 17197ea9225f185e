// The passive side: one TCP server on the configured listen address. A connection from a configured
// neighbor goes to that neighbor's session shell; anything else is closed at once and logged
// (only configured neighbors may talk to vrfleak). It also holds each neighbor's TCP-MD5 key and
// GTSM hops: the keys must be on the listening socket before the peer's SYN arrives (the kernel
// checks the SYN's signature and copies the key to the accepted socket), and GTSM is checked on the
// SYN's TTL as accept hands the connection over.

import net from 'node:net';
import type { EventLog } from '../log/events.js';
import {
  fdOf,
  requireMinTtl,
  saveSyns,
  savedSynTtl,
  sendWithGtsmTtl,
  setMd5Key,
} from '../session/sockopt.js';
import { AF_INET, AF_INET6, familyOf, minTtlFor, type SocketFamily } from '../session/tcp-auth.js';
import type { TransportSecurity } from '../session/transport.js';

export interface Acceptor {
  /** Hands an incoming connection to the neighbor's shell; false when it does not want it. */
  accept(socket: net.Socket): boolean;
}

export class Listener {
  private server: net.Server | undefined;
  /** What the kernel was told per neighbor address (one entry per protected neighbor). */
  private readonly security = new Map<string, TransportSecurity>();
  /** TTL 255 on send and saved SYNs are on (from the first neighbor with ttl-security on). */
  private gtsmReady = false;

  constructor(
    private readonly lookup: (remote: string) => Acceptor | undefined,
    private readonly log: EventLog,
  ) {}

  listen(address: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, (socket) => this.onConnection(socket));
      server.once('error', reject);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        this.server = server;
        for (const [address, sec] of this.security) this.apply(address, {}, sec);
        resolve();
      });
    });
  }

  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  /** A neighbor's key and hops (undefined: none), as the kernel is to apply them from now on. */
  setSecurity(address: string, next: TransportSecurity | undefined): void {
    const old = this.security.get(address) ?? {};
    if (next?.md5Key || next?.gtsmHops !== undefined) this.security.set(address, next);
    else this.security.delete(address);
    if (this.server) this.apply(address, old, next ?? {});
  }

  private apply(address: string, old: TransportSecurity, next: TransportSecurity): void {
    const server = this.server;
    if (!server) return;
    const family = this.family();
    // An IPv4 listener never sees IPv6 peers: there is nothing to tell it about them.
    if (family === AF_INET && familyOf(address) === AF_INET6) return;
    try {
      const fd = fdOf(server);
      if (!sameKey(old.md5Key, next.md5Key)) {
        setMd5Key(fd, family, address, next.md5Key ?? new Uint8Array(0));
      }
      if (next.gtsmHops !== undefined && !this.gtsmReady) {
        // RFC 5082 §3: our SYN-ACK must leave with TTL 255 too, and the SYN's TTL is checked
        // when the connection is accepted (the per-peer minimum goes on the accepted socket).
        sendWithGtsmTtl(fd, family);
        saveSyns(fd);
        this.gtsmReady = true;
      }
    } catch (e) {
      this.log.emit({ event: 'transport-security-failed', peer: address, reason: String(e) });
    }
  }

  private family(): SocketFamily {
    const a = this.server?.address();
    return a && typeof a === 'object' && a.family === 'IPv6' ? AF_INET6 : AF_INET;
  }

  /** RFC 5082 §3: refuses a connection whose SYN arrived from further away than allowed. */
  private gtsmRefusal(socket: net.Socket, hops: number): string | undefined {
    const min = minTtlFor(hops);
    try {
      const fd = fdOf(socket);
      const ttl = savedSynTtl(fd);
      if (ttl === undefined || ttl < min) {
        return (
          `ttl-security hops ${hops} needs TTL at least ${min}, the SYN arrived with ` +
          `${ttl ?? 'no saved TTL'} (the peer is further away, or does not send with TTL 255)`
        );
      }
      requireMinTtl(fd, this.family(), min);
      return undefined;
    } catch (e) {
      return `ttl-security could not be checked: ${String(e)}`;
    }
  }

  private onConnection(socket: net.Socket): void {
    const remote = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const acceptor = this.lookup(remote);
    if (!acceptor) {
      this.log.emit({ event: 'connection-refused', remote, reason: 'not a configured neighbor' });
      socket.destroy();
      return;
    }
    const hops = this.security.get(remote)?.gtsmHops;
    const refused = hops === undefined ? undefined : this.gtsmRefusal(socket, hops);
    if (refused) {
      this.log.emit({ event: 'connection-refused', remote, reason: refused });
      socket.destroy();
      return;
    }
    if (!acceptor.accept(socket)) {
      this.log.emit({
        event: 'connection-refused',
        remote,
        reason: 'neighbor is administratively down',
      });
      socket.destroy();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server = undefined;
    });
  }
}

function sameKey(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a).equals(b);
}
