// A minimal BGP speaker for the load peer: connects to the device under test, sends OPEN, answers
// with KEEPALIVEs on its own timer (never tied to the send loop, so a long injection cannot starve
// it), frames what arrives and hands UPDATE bodies to a callback. It remembers every way the
// session could have gone wrong (a NOTIFICATION, a close, a socket error) so the bench can check
// that a 9 s hold time survived the load.

import { connect, type Socket } from 'node:net';

const MARKER = Buffer.alloc(16, 0xff);
const AS_TRANS = 23456;

/** RFC 4271 §4.1: the 16-octet marker, the 2-octet length and the type. */
export function bgpMessage(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(19);
  MARKER.copy(head, 0);
  head.writeUInt16BE(19 + body.length, 16);
  head[18] = type;
  return Buffer.concat([head, body]);
}

export const KEEPALIVE = bgpMessage(4, Buffer.alloc(0));

/**
 * RFC 4271 §4.2 OPEN with the capabilities (RFC 5492) the bench needs: multiprotocol VPNv4
 * (RFC 4760 §8: AFI 1, SAFI 128), route refresh (RFC 2918) and 4-octet AS (RFC 6793).
 */
export function openMessage(asn: number, holdTime: number, routerId: string): Buffer {
  const caps = Buffer.from(
    [
      '0104' + '0001' + '00' + '80', // code 1 (MP), length 4: AFI 1, reserved, SAFI 128
      '0200', // code 2 (route refresh), length 0
      '4104' + '00000000', // code 65 (4-octet AS), length 4: the AS, written below
    ].join(''),
    'hex',
  );
  caps.writeUInt32BE(asn, 10);
  const body = Buffer.alloc(10 + 2 + caps.length);
  body[0] = 4; // version
  body.writeUInt16BE(asn > 0xffff ? AS_TRANS : asn, 1);
  body.writeUInt16BE(holdTime, 3);
  routerId.split('.').forEach((o, i) => (body[5 + i] = Number(o)));
  body[9] = 2 + caps.length; // optional parameters length
  body[10] = 2; // parameter type 2: capabilities
  body[11] = caps.length;
  caps.copy(body, 12);
  return bgpMessage(1, body);
}

export interface SessionOptions {
  /** Our source address and the DUT's address (both loopback). */
  localAddress: string;
  remoteAddress: string;
  remotePort?: number;
  asn: number;
  routerId: string;
  holdTime: number;
  /** Called with the whole UPDATE message (header included). */
  onUpdate?: (msg: Buffer) => void;
}

export class BenchSession {
  readonly problems: string[] = [];
  established = false;
  keepalivesIn = 0;
  lastKeepaliveAt = 0;
  private lastMessageAt = 0;
  /** The longest silence between two messages from the DUT since the last reset. */
  maxSilenceMs = 0;
  private socket: Socket | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private readonly upWaiters: Array<() => void> = [];
  private closedOnPurpose = false;

  constructor(readonly opts: SessionOptions) {}

  /** Connects, sends OPEN and resolves once the peer's OPEN and first KEEPALIVE arrived. */
  async start(timeoutMs = 30_000): Promise<void> {
    const up = new Promise<void>((resolve) => this.upWaiters.push(resolve));
    this.dial();
    let to: NodeJS.Timeout | undefined;
    await Promise.race([
      up,
      new Promise<never>((_, reject) => {
        to = setTimeout(
          () =>
            reject(
              new Error(
                `${this.opts.localAddress} -> ${this.opts.remoteAddress}: not Established after ` +
                  `${timeoutMs} ms (${this.problems.join('; ') || 'no answer'})`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(to));
  }

  private dial(): void {
    const s = connect({
      host: this.opts.remoteAddress,
      port: this.opts.remotePort ?? 179,
      localAddress: this.opts.localAddress,
    });
    s.setNoDelay(true);
    this.socket = s;
    s.on('connect', () =>
      s.write(openMessage(this.opts.asn, this.opts.holdTime, this.opts.routerId)),
    );
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('error', (err) => {
      // The DUT may not listen yet: retry until Established; afterwards every error counts.
      if (!this.established) {
        s.destroy();
        setTimeout(() => this.dial(), 200);
        return;
      }
      this.problems.push(`socket error: ${err.message}`);
    });
    s.on('close', () => {
      if (this.established && !this.closedOnPurpose) this.problems.push('session closed by DUT');
      if (this.timer) clearInterval(this.timer);
    });
  }

  private onData(chunk: Buffer): void {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let off = 0;
    while (buf.length - off >= 19) {
      const len = buf.readUInt16BE(off + 16);
      if (len < 19) {
        this.problems.push(`bad length ${len}`);
        this.socket?.destroy();
        return;
      }
      if (buf.length - off < len) break;
      const type = buf[off + 18];
      const msg = buf.subarray(off, off + len);
      off += len;
      this.onMessage(type ?? 0, msg);
    }
    // Copy the tail so the big chunk it came from can be collected.
    this.pending = off === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(off));
    buf = this.pending;
  }

  private onMessage(type: number, msg: Buffer): void {
    // RFC 4271 §6.5: any KEEPALIVE or UPDATE restarts the hold timer, so the silence that matters
    // is between any two messages.
    const now = performance.now();
    if (this.lastMessageAt > 0 && now - this.lastMessageAt > this.maxSilenceMs) {
      this.maxSilenceMs = now - this.lastMessageAt;
    }
    this.lastMessageAt = now;
    switch (type) {
      case 1: {
        // RFC 4271 §4.2: the negotiated hold time is the smaller of the two; keepalive at a third.
        const peerHold = msg.readUInt16BE(22);
        const hold = Math.min(peerHold, this.opts.holdTime);
        this.socket?.write(KEEPALIVE);
        if (hold > 0) {
          this.timer = setInterval(() => this.socket?.write(KEEPALIVE), (hold * 1000) / 3);
        }
        break;
      }
      case 2:
        this.opts.onUpdate?.(msg);
        break;
      case 3:
        this.problems.push(`NOTIFICATION ${msg[19]}/${msg[20]} from DUT`);
        break;
      case 4:
        this.keepalivesIn++;
        this.lastKeepaliveAt = performance.now();
        if (!this.established) {
          this.established = true;
          for (const w of this.upWaiters.splice(0)) w();
        }
        break;
      default:
        break;
    }
  }

  /** Writes messages in order, waiting for the socket to drain (bounded user-space queue). */
  async sendAll(messages: readonly Buffer[], batch = 64): Promise<void> {
    const s = this.socket;
    if (!s) throw new Error('not connected');
    for (let i = 0; i < messages.length; i += batch) {
      const chunk = Buffer.concat(messages.slice(i, i + batch));
      if (!s.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const onClose = (): void => reject(new Error('session closed while sending'));
          s.once('close', onClose);
          s.once('drain', () => {
            s.off('close', onClose);
            resolve();
          });
        });
      }
    }
  }

  /**
   * The load starts now: silence is counted from here, not from the last KEEPALIVE before the
   * cell's idle wait (which made every cell's figure at least that wait, about 1 s).
   */
  resetSilence(): void {
    this.maxSilenceMs = 0;
    if (this.lastMessageAt > 0) this.lastMessageAt = performance.now();
  }

  close(): void {
    this.closedOnPurpose = true;
    if (this.timer) clearInterval(this.timer);
    this.socket?.destroy();
  }
}
