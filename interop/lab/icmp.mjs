// One ICMP echo (what `ping -c 1 -W 1 [-I SRC] DST` does), for machines without iputils-ping: run
// inside a host's namespace (`ip netns exec NS node icmp.mjs DST [SRC]`); exits 0 on a reply.
// A raw socket through koffi (root), the FFI the FIB already uses.
import { Buffer } from 'node:buffer';
import koffi from 'koffi';

const [dst, src] = process.argv.slice(2);
const lib = koffi.load('libc.so.6');
const socket = lib.func('int socket(int, int, int)');
const bind = lib.func('int bind(int, const void *, uint32_t)');
const sendto = lib.func('intptr_t sendto(int, const void *, size_t, int, const void *, uint32_t)');
const recv = lib.func('intptr_t recv(int, _Out_ void *, size_t, int)');
const setsockopt = lib.func('int setsockopt(int, int, int, const void *, uint32_t)');

function sockaddr(ip) {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(2, 0);
  ip.split('.').forEach((o, i) => (b[4 + i] = Number(o)));
  return b;
}
function checksum(b) {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}
const fd = socket(2, 3, 1); // AF_INET, SOCK_RAW, IPPROTO_ICMP
if (fd < 0) process.exit(2);
const tv = Buffer.alloc(16);
tv.writeBigInt64LE(0n, 0);
tv.writeBigInt64LE(250000n, 8); // 250 ms per recv, four times: the one-second budget of ping -W 1
setsockopt(fd, 1, 20, tv, 16); // SO_RCVTIMEO
if (src && bind(fd, sockaddr(src), 16) < 0) process.exit(2);
const id = process.pid & 0xffff;
const req = Buffer.alloc(16);
req[0] = 8; // echo request
req.writeUInt16BE(id, 4);
req.writeUInt16BE(1, 6);
req.write('vrfleak!', 8);
req.writeUInt16BE(checksum(req), 2);
if (sendto(fd, req, req.length, 0, sockaddr(dst), 16) < 0) process.exit(1);
const buf = Buffer.alloc(1500);
const end = Date.now() + 1000;
while (Date.now() < end) {
  const n = Number(recv(fd, buf, buf.length, 0));
  if (n <= 0) continue;
  const ihl = (buf[0] & 0xf) * 4;
  const from = [...buf.subarray(12, 16)].join('.');
  // An echo reply to our id from the address asked (our own request is seen on lo-less paths too).
  if (buf[ihl] === 0 && buf.readUInt16BE(ihl + 4) === id && from === dst) process.exit(0);
}
process.exit(1);
