// rtnetlink route messages (RTM_NEWROUTE / RTM_DELROUTE), encoded into a buffer many at a time:
// the kernel takes a whole buffer of them in one send and answers only the ones that failed
// (no NLM_F_ACK), which is what makes 100k routes a fraction of a second. Layouts from
// <linux/netlink.h> and <linux/rtnetlink.h>; pure, so the bytes are tested without a kernel.

import type { IpPrefix } from '../wire/types.js';
import { VRFLEAK_METRIC, VRFLEAK_PROTO, type KernelAddr, type KernelOp } from './types.js';

export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;

const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_REPLACE = 0x100;
const NLM_F_CREATE = 0x400;

const AF_INET = 2;
const AF_INET6 = 10;
/** rtm_table is 8 bits: larger tables go in RTA_TABLE, with RT_TABLE_UNSPEC here. */
const RT_TABLE_COMPAT = 252;
const RT_SCOPE_UNIVERSE = 0;
const RT_SCOPE_LINK = 253;
/** In a delete: any scope (what `ip route del` sends; 0 would match only universe routes). */
const RT_SCOPE_NOWHERE = 255;
const RTN_UNICAST = 1;
const RTNH_F_ONLINK = 4;

const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_TABLE = 15;

const NLMSG_HDRLEN = 16;
const RTMSG_LEN = 12;

/** The largest message we write: header, rtmsg, and five attributes of at most 20 octets. */
export const MAX_ROUTE_MSG = NLMSG_HDRLEN + RTMSG_LEN + 5 * 20;

/** Interface names to indexes (the kernel's `if_nametoindex`); 0 when there is no such interface. */
export type IfIndex = (name: string) => number;

function attr(buf: Buffer, off: number, type: number, len: number): number {
  buf.writeUInt16LE(4 + len, off);
  buf.writeUInt16LE(type, off + 2);
  return off + 4;
}

function addr(buf: Buffer, off: number, a: KernelAddr | IpPrefix): number {
  if (a.afi === 1) {
    buf.writeUInt32BE(a.addr >>> 0, off);
    return off + 4;
  }
  buf.set(a.addr, off);
  return off + 16;
}

/**
 * Writes one operation at `off` with sequence number `seq`; returns the offset after it, or a
 * reason when it cannot be written (an interface that does not exist). `ack` asks the kernel to
 * answer even on success (the last message of a batch: its answer says the batch is done).
 */
export function writeRouteMsg(
  buf: Buffer,
  off: number,
  op: KernelOp,
  seq: number,
  ifIndex: IfIndex,
  ack = false,
): number | string {
  const put = op.op === 'put';
  const prefix = put ? op.route.prefix : op.prefix;
  const table = put ? op.route.table : op.table;
  let oif = 0;
  let gateway: KernelAddr | undefined;
  let onlink = false;
  if (put) {
    const nh = op.route.nh;
    if (nh.kind === 'via') gateway = nh.gateway;
    const name = nh.kind === 'dev' ? nh.ifname : nh.ifname;
    if (name !== undefined) {
      oif = ifIndex(name);
      if (oif === 0) return `no interface ${name}`;
      onlink = nh.kind === 'via';
    }
  }
  const start = off;
  // nlmsghdr: length (written last), type, flags, seq, port id 0 (the kernel).
  buf.writeUInt16LE(put ? RTM_NEWROUTE : RTM_DELROUTE, off + 4);
  const flags = NLM_F_REQUEST | (put ? NLM_F_CREATE | NLM_F_REPLACE : 0) | (ack ? NLM_F_ACK : 0);
  buf.writeUInt16LE(flags, off + 6);
  buf.writeUInt32LE(seq >>> 0, off + 8);
  buf.writeUInt32LE(0, off + 12);
  off += NLMSG_HDRLEN;
  // rtmsg
  buf[off] = prefix.afi === 1 ? AF_INET : AF_INET6;
  buf[off + 1] = prefix.len;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = table < 256 ? table : RT_TABLE_COMPAT;
  // A delete names our protocol too: the kernel then removes only a route we installed.
  buf[off + 5] = VRFLEAK_PROTO;
  buf[off + 6] = !put
    ? RT_SCOPE_NOWHERE
    : gateway === undefined
      ? RT_SCOPE_LINK
      : RT_SCOPE_UNIVERSE;
  buf[off + 7] = put ? RTN_UNICAST : 0;
  buf.writeUInt32LE(onlink ? RTNH_F_ONLINK : 0, off + 8);
  off += RTMSG_LEN;
  off = addr(buf, attr(buf, off, RTA_DST, prefix.afi === 1 ? 4 : 16), prefix);
  buf.writeUInt32LE(table, attr(buf, off, RTA_TABLE, 4));
  off += 8;
  buf.writeUInt32LE(VRFLEAK_METRIC, attr(buf, off, RTA_PRIORITY, 4));
  off += 8;
  if (gateway) off = addr(buf, attr(buf, off, RTA_GATEWAY, gateway.afi === 1 ? 4 : 16), gateway);
  if (oif !== 0) {
    buf.writeUInt32LE(oif, attr(buf, off, RTA_OIF, 4));
    off += 8;
  }
  buf.writeUInt32LE(off - start, start);
  return off;
}

/** One answer in a buffer the kernel sent: its sequence number and errno (0: success, an ack). */
export interface NetlinkAnswer {
  readonly seq: number;
  readonly type: number;
  readonly errno: number;
}

/** The messages of one received buffer (NLMSG_ERROR answers carry a negative errno). */
export function readAnswers(buf: Buffer, len: number): NetlinkAnswer[] {
  const out: NetlinkAnswer[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= len) {
    const mlen = buf.readUInt32LE(off);
    if (mlen < NLMSG_HDRLEN || off + mlen > len) break;
    const type = buf.readUInt16LE(off + 4);
    const seq = buf.readUInt32LE(off + 8);
    const errno = type === NLMSG_ERROR ? -buf.readInt32LE(off + NLMSG_HDRLEN) : 0;
    out.push({ seq, type, errno });
    off += (mlen + 3) & ~3;
  }
  return out;
}
