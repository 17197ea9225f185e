// The bytes the kernel takes for TCP-MD5 (RFC 2385) and GTSM (RFC 5082) and the header bytes it
// gives back, as pure functions: what sockopt.ts hands to setsockopt/getsockopt. Linux layouts
// (include/uapi/linux/tcp.h, linux/in.h, linux/in6.h), little-endian host order as on every machine
// vrfleak runs on (x86-64, arm64).

import { ipv4FromText } from '../wire/admin-pair.js';
import { ipv6FromText } from '../wire/nlri/text.js';

/** Linux refuses longer keys (TCP_MD5SIG_MAXKEYLEN). */
export const MD5_MAX_KEY = 80;
/** RFC 5082 §3: the TTL (hop limit) every GTSM packet leaves with. */
export const GTSM_TTL = 255;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_IPV6 = 41;
export const TCP_MD5SIG = 14;
export const TCP_SAVE_SYN = 27;
export const TCP_SAVED_SYN = 28;
export const IP_TTL = 2;
export const IP_MINTTL = 21;
export const IPV6_UNICAST_HOPS = 16;
export const IPV6_MINHOPCOUNT = 73;

/** sizeof(struct __kernel_sockaddr_storage) */
const SOCKADDR_STORAGE = 128;
/** sizeof(struct tcp_md5sig): the address, flags, prefixlen, keylen, ifindex, key[80]. */
export const MD5SIG_SIZE = SOCKADDR_STORAGE + 1 + 1 + 2 + 4 + MD5_MAX_KEY;

export type SocketFamily = typeof AF_INET | typeof AF_INET6;

/** The 4 or 16 octets of an address; an IPv4 address on an IPv6 socket as ::ffff:a.b.c.d. */
export function addressBytes(address: string, socketFamily: SocketFamily): Uint8Array {
  const v4 = ipv4FromText(address.replace(/^::ffff:/i, ''));
  if (v4 !== undefined) {
    const b = new Uint8Array(socketFamily === AF_INET ? 4 : 16);
    const at = socketFamily === AF_INET ? 0 : 12;
    if (socketFamily === AF_INET6) b[10] = b[11] = 0xff;
    new DataView(b.buffer).setUint32(at, v4);
    return b;
  }
  const v6 = ipv6FromText(address);
  if (v6 === undefined) throw new Error(`"${address}" is not an IP address`);
  if (socketFamily === AF_INET) throw new Error(`IPv6 address ${address} on an IPv4 socket`);
  return v6;
}

export function familyOf(address: string): SocketFamily {
  return ipv4FromText(address) !== undefined ? AF_INET : AF_INET6;
}

/** struct sockaddr_in / sockaddr_in6 with port 0, inside a sockaddr_storage. */
export function encodeSockaddr(address: string, socketFamily: SocketFamily): Buffer {
  const b = Buffer.alloc(SOCKADDR_STORAGE);
  b.writeUInt16LE(socketFamily, 0); // sa_family_t is host order
  // sin_addr follows the port at 4; sin6_addr follows port and flowinfo at 8.
  b.set(addressBytes(address, socketFamily), socketFamily === AF_INET ? 4 : 8);
  return b;
}

/**
 * struct tcp_md5sig for TCP_MD5SIG: the key used for segments to and from `peer`. An empty key
 * deletes the peer's key (keylen 0 is how Linux is told to forget it).
 */
export function encodeMd5Sig(peer: string, socketFamily: SocketFamily, key: Uint8Array): Buffer {
  if (key.length > MD5_MAX_KEY) {
    throw new Error(`a TCP-MD5 key is at most ${MD5_MAX_KEY} octets (got ${key.length})`);
  }
  const b = Buffer.alloc(MD5SIG_SIZE);
  encodeSockaddr(peer, socketFamily).copy(b, 0);
  // tcpm_flags and tcpm_prefixlen stay 0: plain TCP_MD5SIG matches the whole address.
  b.writeUInt16LE(key.length, SOCKADDR_STORAGE + 2);
  // tcpm_ifindex (0: any interface) sits between keylen and the key.
  b.set(key, SOCKADDR_STORAGE + 8);
  return b;
}

/** An int option value as setsockopt takes it. */
export function encodeInt(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v, 0);
  return b;
}

/**
 * RFC 5082 §3: with GTSM a peer `hops` hops away is accepted when its packets arrive with a TTL
 * of at least 255 - (hops - 1) = 256 - hops (hops 1: directly connected, TTL exactly 255).
 */
export function minTtlFor(hops: number): number {
  return 256 - hops;
}

/**
 * The TTL (IPv4) or hop limit (IPv6) of a SYN saved by TCP_SAVE_SYN: the saved bytes start with
 * the IP header. undefined when the bytes are not an IP header.
 */
export function ttlOfSavedSyn(header: Uint8Array): number | undefined {
  const version = (header[0] ?? 0) >> 4;
  // RFC 791 §3.1: TTL at octet 8; RFC 8200 §3: Hop Limit at octet 7.
  if (version === 4 && header.length >= 20) return header[8];
  if (version === 6 && header.length >= 40) return header[7];
  return undefined;
}
