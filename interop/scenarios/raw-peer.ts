// A BGP speaker by hand for interop scenarios: a TCP client on its own loopback address that
// speaks through vrfleak's codec (src/wire), so a scenario can send exactly the bytes it means,
// including garbage, and read back every message vrfleak sent. Only ever pointed at vrfleak.

import net from 'node:net';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import type { Notify } from '../../src/wire/errors.js';
import { Framer } from '../../src/wire/framer.js';
import { decodeMessage, encodeMessage } from '../../src/wire/message.js';
import { buildOpen } from '../../src/wire/open.js';
import type { BgpMessage, Capability } from '../../src/wire/types.js';
import { waitFor } from '../harness/index.js';

export interface RawOpen {
  readonly asn: number;
  readonly bgpId: number;
  readonly holdTime?: number;
  readonly capabilities: readonly Capability[];
}

export class RawPeer {
  readonly received: BgpMessage[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    const framer = new Framer();
    socket.on('data', (chunk: Buffer) => {
      for (const f of framer.push(chunk)) {
        this.received.push(decodeMessage(f, DEFAULT_CONTEXT).message);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static connect(local: string, remote: string, port = 179): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: remote, port, localAddress: local });
      s.once('connect', () => resolve(new RawPeer(s)));
      s.once('error', reject);
    });
  }

  /**
   * Connects and completes OPEN/KEEPALIVE, retrying while vrfleak refuses (its side of the
   * session may still be Idle after an earlier reset).
   */
  static async establish(
    local: string,
    remote: string,
    open: RawOpen,
    timeoutMs = 15_000,
  ): Promise<RawPeer> {
    return waitFor(
      async () => {
        const p = await RawPeer.connect(local, remote).catch(() => undefined);
        if (!p) return undefined;
        try {
          await p.handshake(open);
          return p;
        } catch {
          p.destroy();
          return undefined;
        }
      },
      { what: `an established raw session ${local} -> ${remote}`, timeoutMs, intervalMs: 300 },
    );
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  send(m: BgpMessage): void {
    this.write(encodeMessage(m, DEFAULT_CONTEXT));
  }

  destroy(): void {
    this.socket.destroy();
  }

  count(type: BgpMessage['type']): number {
    return this.received.filter((m) => m.type === type).length;
  }

  notification(): Notify | undefined {
    const n = this.received.find((m) => m.type === 'notification');
    return n?.type === 'notification'
      ? { code: n.code, subcode: n.subcode, data: n.data }
      : undefined;
  }

  /** OPEN, then KEEPALIVE once vrfleak's OPEN arrived; resolves on vrfleak's first KEEPALIVE. */
  async handshake(o: RawOpen): Promise<void> {
    const open = buildOpen({
      asn: o.asn,
      holdTime: o.holdTime ?? 30,
      bgpId: o.bgpId,
      capabilities: [...o.capabilities],
    });
    this.send(open);
    await waitFor(() => this.count('open') === 1 || this.closed, {
      what: 'vrfleak OPEN',
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    if (this.closed) throw new Error('vrfleak closed the connection before its OPEN');
    this.send({ type: 'keepalive' });
    await waitFor(() => this.count('keepalive') >= 1 || this.closed, {
      what: 'vrfleak KEEPALIVE',
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    if (this.closed) throw new Error('vrfleak closed the connection after its OPEN');
  }
}
