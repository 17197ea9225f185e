// A minimal pcap writer for the tshark cross-check: each BGP message becomes one TCP segment of a
// synthetic loopback conversation (Ethernet + IPv4 + TCP with running sequence numbers), so tshark's
// own BGP dissector decodes exactly the bytes we encoded.

import { writeFileSync } from 'node:fs';

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2) sum += buf[buf.length - 1]! << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

export interface PcapOptions {
  srcIp?: [number, number, number, number];
  dstIp?: [number, number, number, number];
  srcPort?: number;
  dstPort?: number;
}

/** Writes one packet per payload, all from src to dst, as a pcap file. */
export function writePcap(path: string, payloads: readonly Buffer[], o: PcapOptions = {}): void {
  const src = o.srcIp ?? [127, 0, 0, 1];
  const dst = o.dstIp ?? [127, 0, 0, 2];
  const sport = o.srcPort ?? 40000;
  const dport = o.dstPort ?? 179;
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(0, 8);
  gh.writeUInt32LE(0, 12);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  parts.push(gh);
  let seq = 1000;
  let t = 0;
  for (const payload of payloads) {
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(sport, 0);
    tcp.writeUInt16BE(dport, 2);
    tcp.writeUInt32BE(seq, 4);
    tcp.writeUInt32BE(1, 8);
    tcp.writeUInt8(5 << 4, 12);
    tcp.writeUInt8(0x18, 13); // PSH ACK
    tcp.writeUInt16BE(65535, 14);
    const ip = Buffer.alloc(20);
    ip.writeUInt8(0x45, 0);
    ip.writeUInt16BE(20 + 20 + payload.length, 2);
    ip.writeUInt16BE(t & 0xffff, 4);
    ip.writeUInt8(64, 8);
    ip.writeUInt8(6, 9);
    Buffer.from(src).copy(ip, 12);
    Buffer.from(dst).copy(ip, 16);
    ip.writeUInt16BE(checksum(ip), 10);
    const pseudo = Buffer.concat([
      Buffer.from(src),
      Buffer.from(dst),
      Buffer.from([0, 6]),
      Buffer.from([(20 + payload.length) >> 8, (20 + payload.length) & 0xff]),
      tcp,
      payload,
    ]);
    tcp.writeUInt16BE(checksum(pseudo), 16);
    const eth = Buffer.from([0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00]);
    const frame = Buffer.concat([eth, ip, tcp, payload]);
    const ph = Buffer.alloc(16);
    ph.writeUInt32LE(1_700_000_000 + t, 0);
    ph.writeUInt32LE(0, 4);
    ph.writeUInt32LE(frame.length, 8);
    ph.writeUInt32LE(frame.length, 12);
    parts.push(ph, frame);
    seq += payload.length;
    t++;
  }
  writeFileSync(path, Buffer.concat(parts));
}
