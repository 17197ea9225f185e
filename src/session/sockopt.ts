// The socket options Node does not expose (TCP_MD5SIG, IP_MINTTL, IP_TTL on TCP, TCP_SAVE_SYN),
// set on file descriptors through libc.
//
// Why koffi: Node 20 has no setsockopt, and vrfleak must install on a fresh machine with `npm ci`
// alone (no compiler, no download at install time). koffi ships its compiled binaries inside the
// registry packages (@koromix/koffi-<platform>, picked by npm as an optional dependency), so the
// lockfile is all an install needs; a node-gyp addon would need a toolchain, and helpers that fetch
// prebuilt binaries at install time fail where only the registry is reachable. Loaded on first use:
// a config without password or ttl-security never loads native code.

import { createRequire } from 'node:module';
import type net from 'node:net';
import {
  AF_INET6,
  GTSM_TTL,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_MINHOPCOUNT,
  IPV6_UNICAST_HOPS,
  IP_MINTTL,
  IP_TTL,
  MD5SIG_SIZE,
  TCP_MD5SIG,
  TCP_SAVED_SYN,
  TCP_SAVE_SYN,
  encodeInt,
  encodeMd5Sig,
  ttlOfSavedSyn,
  type SocketFamily,
} from './tcp-auth.js';

type CFunction = (...args: unknown[]) => number;
interface Libc {
  readonly socket: CFunction;
  readonly setsockopt: CFunction;
  readonly getsockopt: CFunction;
  readonly close: CFunction;
  readonly errno: () => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const koffi = createRequire(import.meta.url)('koffi') as {
    load(path: string): { func(decl: string): CFunction };
    errno(): number;
  };
  const lib = koffi.load('libc.so.6');
  libc = {
    socket: lib.func('int socket(int, int, int)'),
    setsockopt: lib.func('int setsockopt(int, int, int, const void *, uint32_t)'),
    getsockopt: lib.func('int getsockopt(int, int, int, _Out_ void *, _Inout_ uint32_t *)'),
    close: lib.func('int close(int)'),
    errno: () => koffi.errno(),
  };
  return libc;
}

export class SockoptError extends Error {}

function check(rc: number, what: string): void {
  if (rc === 0) return;
  const errno = load().errno();
  throw new SockoptError(`${what} failed (errno ${errno})`);
}

function setInt(fd: number, level: number, opt: number, v: number, what: string): void {
  check(load().setsockopt(fd, level, opt, encodeInt(v), 4), what);
}

const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;

/** A new non-blocking TCP socket (not bound, not connected); the caller owns the fd. */
export function openTcpSocket(family: SocketFamily): number {
  const fd = load().socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SockoptError(`socket() failed (errno ${load().errno()})`);
  return fd;
}

export function closeFd(fd: number): void {
  load().close(fd);
}

/** The fd under a connected socket or a listening server (Unix handles carry it as `fd`). */
export function fdOf(s: net.Socket | net.Server): number {
  const fd = (s as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new SockoptError('the socket has no file descriptor');
  return fd;
}

/** RFC 2385: the key for segments to and from `peer`; an empty key removes it. */
export function setMd5Key(fd: number, family: SocketFamily, peer: string, key: Uint8Array): void {
  check(
    load().setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, encodeMd5Sig(peer, family, key), MD5SIG_SIZE),
    `TCP_MD5SIG for ${peer}`,
  );
}

/** RFC 5082 §3: everything this socket sends leaves with TTL (hop limit) 255. */
export function sendWithGtsmTtl(fd: number, family: SocketFamily): void {
  setInt(fd, IPPROTO_IP, IP_TTL, GTSM_TTL, 'IP_TTL');
  if (family === AF_INET6)
    setInt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, GTSM_TTL, 'IPV6_UNICAST_HOPS');
}

/**
 * RFC 5082 §3: the kernel drops what arrives with a lower TTL. On an IPv6 socket both options are
 * set, because an IPv4 peer reaches it as a mapped address and its packets carry an IPv4 TTL.
 */
export function requireMinTtl(fd: number, family: SocketFamily, min: number): void {
  setInt(fd, IPPROTO_IP, IP_MINTTL, min, 'IP_MINTTL');
  if (family === AF_INET6) setInt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, min, 'IPV6_MINHOPCOUNT');
}

/** Keep each incoming SYN's headers (TCP_SAVE_SYN, Linux 4.2) so accept can read their TTL. */
export function saveSyns(fd: number): void {
  setInt(fd, IPPROTO_TCP, TCP_SAVE_SYN, 1, 'TCP_SAVE_SYN');
}

/** The TTL the accepted connection's SYN arrived with; undefined when no SYN was saved. */
export function savedSynTtl(fd: number): number | undefined {
  const buf = Buffer.alloc(512);
  const len = [buf.length];
  if (load().getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, buf, len) !== 0) return undefined;
  return ttlOfSavedSyn(buf.subarray(0, len[0]));
}
