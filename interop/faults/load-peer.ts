// The load peer of the fault scenarios: a TCP client on its own loopback address that brings up a
// VPNv4 session with vrfleak (bench/session.ts's OPEN), answers with KEEPALIVEs on its own timer,
// and streams the bench's pre-encoded full UPDATEs (bench/routes.ts). Unlike the bench session it
// can be reset mid-stream (RST, not FIN), and it can stop reading its socket altogether while it
// keeps sending KEEPALIVEs (a peer that is alive but never drains what vrfleak writes).
// Only ever aimed at vrfleak on loopback.

import net from 'node:net';
import { waitFor } from '../harness/index.js';
import { KEEPALIVE, openMessage } from '../../bench/session.js';

export interface LoadPeerOptions {
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly asn: number;
  readonly holdTime?: number;
  /** Never read the socket once Established (the kernel buffers fill, then vrfleak's queue). */
  readonly stopReading?: boolean;
}

export class LoadPeer {
  established = false;
  closed = false;
  /** UPDATEs received from vrfleak (only counted when reading). */
  updatesIn = 0;
  notification: { code: number; subcode: number } | undefined;
  private pending = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly opts: LoadPeerOptions,
    readonly socket: net.Socket,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      if (this.timer) clearInterval(this.timer);
    });
  }

  /** Connects (retrying while vrfleak refuses) and resolves once vrfleak's KEEPALIVE arrived. */
  static async establish(opts: LoadPeerOptions, timeoutMs = 15_000): Promise<LoadPeer> {
    return waitFor(
      async () => {
        const s = await new Promise<net.Socket | undefined>((resolve) => {
          const c = net.connect({
            host: opts.remoteAddress,
            port: 179,
            localAddress: opts.localAddress,
          });
          c.once('connect', () => resolve(c));
          c.once('error', () => resolve(undefined));
        });
        if (!s) return undefined;
        const p = new LoadPeer(opts, s);
        s.write(openMessage(opts.asn, opts.holdTime ?? 30, opts.localAddress));
        const ok = await waitFor(() => p.established || p.closed, {
          what: 'vrfleak KEEPALIVE',
          timeoutMs: 5_000,
          intervalMs: 10,
        }).catch(() => false);
        if (ok && p.established) return p;
        s.destroy();
        return undefined;
      },
      { what: `an established load session ${opts.localAddress}`, timeoutMs, intervalMs: 300 },
    );
  }

  private onData(chunk: Buffer): void {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let off = 0;
    while (buf.length - off >= 19) {
      const len = buf.readUInt16BE(off + 16);
      if (buf.length - off < len) break;
      this.onMessage(buf[off + 18] ?? 0, buf.subarray(off, off + len));
      off += len;
    }
    this.pending = off === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(off));
  }

  private onMessage(type: number, msg: Buffer): void {
    switch (type) {
      case 1: {
        // RFC 4271 §4.2: KEEPALIVE at a third of the smaller hold time.
        const hold = Math.min(msg.readUInt16BE(22), this.opts.holdTime ?? 30);
        this.socket.write(KEEPALIVE);
        if (hold > 0)
          this.timer = setInterval(() => this.socket.write(KEEPALIVE), (hold * 1000) / 3);
        break;
      }
      case 2:
        this.updatesIn++;
        break;
      case 3:
        this.notification = { code: msg[19] ?? 0, subcode: msg[20] ?? 0 };
        break;
      case 4:
        if (!this.established) {
          this.established = true;
          // The peer that stops reading: from here on the socket is never read again.
          if (this.opts.stopReading) this.socket.pause();
        }
        break;
      default:
        break;
    }
  }

  /**
   * Writes the messages in order, waiting for drains. `stopAfter` (a message count) ends the
   * stream early; resolves with the number of messages handed to the socket. A closed socket ends
   * the stream without an error (the faults close it on purpose).
   */
  async stream(
    messages: readonly Buffer[],
    stopAfter = messages.length,
    batch = 32,
  ): Promise<number> {
    const end = Math.min(stopAfter, messages.length);
    let sent = 0;
    while (sent < end && !this.closed) {
      const n = Math.min(batch, end - sent);
      const ok = this.socket.write(Buffer.concat(messages.slice(sent, sent + n)));
      sent += n;
      if (!ok && !this.closed) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.socket.off('drain', done);
            this.socket.off('close', done);
            resolve();
          };
          this.socket.once('drain', done);
          this.socket.once('close', done);
        });
      }
    }
    return sent;
  }

  write(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** A TCP reset (RST) instead of a FIN: the peer vanishes abruptly. */
  reset(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket.resetAndDestroy();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket.destroy();
  }
}

/**
 * bench/routes.ts encodes every route under RD 65001:n with RT 65001:1; a second peer gets its own
 * RD and RT administrator by patching the fixed layout of those UPDATEs. Body offsets (after the
 * 19-octet header): withdrawn length (2) and attribute length (2), then ORIGIN (4 octets) and
 * AS_PATH (9), so EXTENDED_COMMUNITIES starts at 19+4+13 = 36: flags c0, type 10, length 08, RT
 * type 00 02, administrator at 41. MP_REACH follows at 47 (flags 90, type 0e, length 2, AFI 2,
 * SAFI 1, next hop length 1, next hop 12, reserved 1), so the NLRI start at 68, 15 octets each:
 * length, label (3), RD type (2), RD administrator at +6.
 */
export function withAdmin(messages: readonly Buffer[], admin: number): Buffer[] {
  return messages.map((m) => {
    const b = Buffer.from(m);
    if (b[36] !== 0xc0 || b[37] !== 0x10 || b[47] !== 0x90 || b[48] !== 0x0e) {
      throw new Error('withAdmin: not the layout bench/routes.ts writes');
    }
    if ((b.length - 68) % 15 !== 0) throw new Error('withAdmin: NLRI not 15 octets each');
    b.writeUInt16BE(admin, 41);
    for (let at = 68; at < b.length; at += 15) b.writeUInt16BE(admin, at + 6);
    return b;
  });
}
