// A BGP speaker that lies: a TCP client on its own loopback address that brings a session with
// vrfleak up properly (OPEN and KEEPALIVE through src/wire/message.ts) and then writes whatever
// bytes a test hands it. It records every message vrfleak sends back, so a test can read the
// NOTIFICATION (or the absence of one) from the socket itself. Only ever aimed at vrfleak.

import net from 'node:net';
import { FAMILIES, type FamilyName } from '../../src/wire/afi.js';
import { ipv4FromText } from '../../src/wire/admin-pair.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { encodeMessage } from '../../src/wire/message.js';
import { buildOpen } from '../../src/wire/open.js';
import type { Capability } from '../../src/wire/types.js';

export interface InjectorOptions {
  /** Our loopback address (vrfleak has it configured as a neighbor). */
  readonly localAddress: string;
  /** vrfleak's listen address and port. */
  readonly host: string;
  readonly port: number;
  readonly asn: number;
  readonly families: readonly FamilyName[];
  readonly holdTime?: number;
  /** Default true: send the RFC 6793 capability. */
  readonly fourOctetAs?: boolean;
  /** Extra capabilities (e.g. enhanced route refresh). */
  readonly capabilities?: readonly Capability[];
}

export interface Received {
  readonly type: number;
  readonly body: Buffer;
}

export interface NotificationSeen {
  readonly code: number;
  readonly subcode: number;
  readonly data: string; // hex
}

const MARKER = Buffer.alloc(16, 0xff);

/** A whole message: 16-octet marker, length (2), type (1), body. No checks: tests want lies. */
export function frame(type: number, body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? hex(body) : body;
  const head = Buffer.alloc(3);
  head.writeUInt16BE((19 + b.length) & 0xffff, 0);
  head.writeUInt8(type, 2);
  return Buffer.concat([MARKER, head, b]);
}

/** Hex text with spaces and `|` as visual separators. */
export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/[\s|]+/g, ''), 'hex');
}

export const KEEPALIVE = frame(4, '');

export class Injector {
  readonly received: Received[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private closedFlag = false;
  private keepalive: NodeJS.Timeout | undefined;

  private constructor(
    readonly opts: InjectorOptions,
    readonly socket: net.Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closedFlag = true;
      if (this.keepalive) clearInterval(this.keepalive);
    });
  }

  /** Our OPEN: version 4, the families, route refresh, 4-octet AS unless told otherwise. */
  static openMessage(o: InjectorOptions): Buffer {
    const caps: Capability[] = o.families.map((f) => ({ kind: 'multiprotocol', ...FAMILIES[f] }));
    caps.push({ kind: 'route-refresh' });
    if (o.fourOctetAs !== false) caps.push({ kind: 'four-octet-as', asn: o.asn });
    caps.push(...(o.capabilities ?? []));
    const open = buildOpen({
      asn: o.asn,
      holdTime: o.holdTime ?? 90,
      bgpId: ipv4FromText(o.localAddress) ?? 1,
      capabilities: caps,
    });
    return encodeMessage(open, DEFAULT_CONTEXT);
  }

  /** Connects (retrying while vrfleak's side is still in Idle) and runs a TCP connection only. */
  static async connect(o: InjectorOptions, timeoutMs = 15_000): Promise<Injector> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const s = await new Promise<net.Socket>((resolve, reject) => {
          const sock = net.connect({ host: o.host, port: o.port, localAddress: o.localAddress });
          sock.once('connect', () => resolve(sock));
          sock.once('error', reject);
        });
        s.setNoDelay(true);
        return new Injector(o, s);
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`injector: cannot connect: ${String(last)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Connects until vrfleak answers with its OPEN (it closes connections at once while in Idle),
   * without sending ours: the caller sends whatever OPEN it wants to test.
   */
  static async openSent(o: InjectorOptions, timeoutMs = 20_000): Promise<Injector> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const inj = await Injector.connect(o, Math.max(1, deadline - Date.now()));
      await inj.until(() => inj.closed || inj.has(1), Math.max(1, deadline - Date.now()));
      if (!inj.closed && inj.has(1)) return inj;
      inj.destroy();
      if (Date.now() > deadline) throw new Error('injector: vrfleak sent no OPEN');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Connects and brings the session to Established: our OPEN, their OPEN and KEEPALIVE, our
   * KEEPALIVE. vrfleak refuses connections for IdleHold seconds after a reset, so this retries.
   */
  static async establish(o: InjectorOptions, timeoutMs = 20_000): Promise<Injector> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const inj = await Injector.connect(o, Math.max(1, deadline - Date.now()));
      inj.write(Injector.openMessage(o));
      const ok = await inj.until(
        () => inj.closed || (inj.has(1) && inj.has(4)),
        Math.max(1, deadline - Date.now()),
      );
      if (ok && !inj.closed) {
        inj.write(KEEPALIVE);
        inj.keepalive = setInterval(() => inj.write(KEEPALIVE), 10_000);
        inj.keepalive.unref();
        return inj;
      }
      inj.destroy();
      if (Date.now() > deadline) throw new Error('injector: session did not come up');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  has(type: number): boolean {
    return this.received.some((m) => m.type === type);
  }

  /** The first NOTIFICATION vrfleak sent, if any. */
  get notification(): NotificationSeen | undefined {
    const m = this.received.find((x) => x.type === 3);
    if (!m) return undefined;
    return {
      code: m.body[0] ?? -1,
      subcode: m.body[1] ?? -1,
      data: m.body.subarray(2).toString('hex'),
    };
  }

  write(b: Buffer): void {
    if (!this.closedFlag && !this.socket.destroyed) this.socket.write(b);
  }

  /** An UPDATE from its body (withdrawn length onwards), as hex or octets. */
  update(body: Buffer | string): void {
    this.write(frame(2, body));
  }

  /** Polls `cond` until true or the time is up (returns the last value). */
  async until(cond: () => boolean, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  /** Waits for the NOTIFICATION and the close that follows it; throws naming what came instead. */
  async expectReset(timeoutMs = 10_000): Promise<NotificationSeen> {
    await this.until(() => this.closed && this.notification !== undefined, timeoutMs);
    const n = this.notification;
    if (!n) throw new Error(`no NOTIFICATION from vrfleak (closed: ${this.closed})`);
    return n;
  }

  destroy(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.socket.destroy();
    this.closedFlag = true;
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 19) {
      const len = this.buf.readUInt16BE(16);
      if (len < 19) {
        // vrfleak never sends this; record it so a test fails loudly rather than spinning.
        this.received.push({ type: -1, body: this.buf });
        this.buf = Buffer.alloc(0);
        return;
      }
      if (this.buf.length < len) return;
      this.received.push({ type: this.buf[18]!, body: this.buf.subarray(19, len) });
      this.buf = this.buf.subarray(len);
    }
  }
}
