// The TCP connections of a session with TCP-MD5 (RFC 2385) and GTSM (RFC 5082): the options must
// be on the socket before the first segment (the SYN carries the MD5 signature, and the peer's
// SYN-ACK must pass the minimum TTL), so the socket is made with libc's socket(), given its
// options, and only then handed to net.Socket to connect.

import net from 'node:net';
import { closeFd, openTcpSocket, requireMinTtl, sendWithGtsmTtl, setMd5Key } from './sockopt.js';
import { familyOf, minTtlFor, type SocketFamily } from './tcp-auth.js';

/** What protects a session's TCP connections. */
export interface TransportSecurity {
  /** RFC 2385 key, 1..80 octets. */
  readonly md5Key?: Uint8Array;
  /** RFC 5082: the peer is at most this many hops away (1..254). */
  readonly gtsmHops?: number;
}

/** Where our connection goes (the shell's config has these fields). */
export interface ConnectTarget {
  readonly peerAddress: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly security?: TransportSecurity;
}

export function isProtected(s: TransportSecurity | undefined): s is TransportSecurity {
  return s !== undefined && (s.md5Key !== undefined || s.gtsmHops !== undefined);
}

/** The options of one protected socket, before it connects (or right after it was accepted). */
export function protect(
  fd: number,
  family: SocketFamily,
  peer: string,
  s: TransportSecurity,
): void {
  if (s.md5Key) setMd5Key(fd, family, peer, s.md5Key);
  if (s.gtsmHops !== undefined) {
    sendWithGtsmTtl(fd, family);
    requireMinTtl(fd, family, minTtlFor(s.gtsmHops));
  }
}

/** Opens our connection; an Error when an option cannot be set (the attempt then fails). */
export function connectTo(to: ConnectTarget): net.Socket | Error {
  const opts = {
    host: to.peerAddress,
    port: to.port,
    ...(to.localAddress ? { localAddress: to.localAddress } : {}),
  };
  const security = to.security;
  if (!isProtected(security)) return net.connect({ ...opts, noDelay: true });
  const family = familyOf(to.peerAddress);
  let fd: number | undefined;
  try {
    fd = openTcpSocket(family);
    protect(fd, family, to.peerAddress, security);
  } catch (e) {
    if (fd !== undefined) closeFd(fd);
    return e instanceof Error ? e : new Error(String(e));
  }
  // net.Socket adopts the unconnected fd; connect() then binds and connects that same socket.
  const socket = new net.Socket({ fd });
  socket.connect(opts);
  socket.setNoDelay(true);
  return socket;
}
