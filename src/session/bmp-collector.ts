// One BMP collector connection (RFC 7854 §3.2: the monitored router connects to the station): the
// TCP socket, its output queue, and reconnecting with backoff. It carries bytes only; what to send
// is the exporter's (src/daemon/bmp.ts). A collector never holds the daemon up: what it has not
// read stays queued up to a bound, and a collector over the bound is dropped and connected again
// later, with a fresh initial dump, rather than vrfleak buffering without end.

import net from 'node:net';

export interface CollectorOptions {
  readonly address: string;
  readonly port: number;
  /** Our source address (collectors tell routers apart by it); the system's choice when absent. */
  readonly localAddress?: string;
  /** Seconds before the first connection attempt. */
  readonly initialDelay: number;
  /** Seconds between attempts: the first, doubled after each failure up to the second. */
  readonly backoff: readonly [number, number];
  /** Octets queued for the collector (unread by it) before it is dropped. */
  readonly maxQueue: number;
}

/** Why a collector's connection ended, or never began. */
export type CollectorDown =
  | { readonly kind: 'connect-failed'; readonly detail: string }
  | { readonly kind: 'closed-by-collector' }
  | { readonly kind: 'socket-error'; readonly detail: string }
  /** It stopped reading: this many octets were queued, over the limit. */
  | { readonly kind: 'not-reading'; readonly queued: number; readonly limit: number }
  /** De-configured, or the daemon stops. */
  | { readonly kind: 'stopped' };

export function describeCollectorDown(d: CollectorDown): string {
  switch (d.kind) {
    case 'connect-failed':
      return `connect failed: ${d.detail}`;
    case 'closed-by-collector':
      return 'closed by the collector';
    case 'socket-error':
      return `socket error: ${d.detail}`;
    case 'not-reading':
      return `not reading: ${d.queued} octets queued, limit ${d.limit}`;
    case 'stopped':
      return 'stopped';
    default: {
      const never: never = d;
      return never;
    }
  }
}

export interface CollectorEvents {
  /**
   * Connected: the messages to send first (Initiation, Peer Ups, the initial dump), pulled as
   * the socket drains so that a large table is not queued at once.
   */
  connected(): Iterable<Buffer>;
  /** The connection ended; the next attempt is in `retryIn` seconds (undefined: none). */
  down(why: CollectorDown, retryIn: number | undefined): void;
  /** The collector sent octets (RFC 7854 §3.3: the station does not send; they are discarded). */
  unexpectedData(octets: number): void;
}

/** Octets the initial dump keeps queued in the socket at most before waiting for 'drain'. */
const DUMP_WATERMARK = 256 * 1024;

export class BmpCollector {
  private socket: net.Socket | undefined;
  private up = false;
  private timer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;
  /** The initial dump still being written, and the live messages held until it ends. */
  private dump: Iterator<Buffer> | undefined;
  private held: Buffer[] = [];
  private heldOctets = 0;
  private sawData = false;

  constructor(
    readonly opts: CollectorOptions,
    private readonly events: CollectorEvents,
  ) {}

  get name(): string {
    return `${this.opts.address}:${this.opts.port}`;
  }

  /** Whether the collector is connected (it takes live messages). */
  get connected(): boolean {
    return this.up;
  }

  start(): void {
    this.schedule(this.opts.initialDelay);
  }

  /** A live message; dropped when not connected (the next connection starts with a dump). */
  send(msg: Buffer): void {
    const s = this.socket;
    if (!this.up || !s) return;
    if (this.dump) {
      this.held.push(msg);
      this.heldOctets += msg.length;
      this.checkQueue(s.writableLength + this.heldOctets);
      return;
    }
    s.write(msg);
    this.checkQueue(s.writableLength);
  }

  /** Sends `last` (a Termination) if connected, closes, and does not connect again. */
  stop(last?: Buffer): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const s = this.socket;
    if (!s) return;
    const ending = this.up && last !== undefined && !this.dump;
    this.detach(s, { kind: 'stopped' }, !ending);
    if (!ending) return;
    // Let the Termination leave (RFC 7854 §4.5), then close whatever the collector does.
    s.on('error', () => {});
    s.end(last);
    setTimeout(() => s.destroy(), 1000).unref();
  }

  private schedule(seconds: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.connect(), seconds * 1000);
    this.timer.unref?.();
  }

  private connect(): void {
    const { address: host, port, localAddress } = this.opts;
    const s = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    this.socket = s;
    s.setNoDelay(true);
    s.once('connect', () => {
      this.up = true;
      this.attempts = 0;
      this.sawData = false;
      this.dump = this.events.connected()[Symbol.iterator]();
      this.pump();
    });
    s.on('drain', () => this.pump());
    s.on('data', (chunk: Buffer) => {
      if (this.sawData) return;
      this.sawData = true;
      this.events.unexpectedData(chunk.length);
    });
    s.on('error', (e) => {
      const detail = e.message;
      this.detach(
        s,
        this.up ? { kind: 'socket-error', detail } : { kind: 'connect-failed', detail },
      );
    });
    s.on('close', () => this.detach(s, { kind: 'closed-by-collector' }));
  }

  /** Writes the dump while the socket keeps up, then what was held back during it. */
  private pump(): void {
    const s = this.socket;
    if (!s || !this.up || !this.dump) return;
    while (s.writableLength < DUMP_WATERMARK) {
      const next = this.dump.next();
      if (next.done) {
        this.dump = undefined;
        for (const m of this.held) s.write(m);
        this.held = [];
        this.heldOctets = 0;
        this.checkQueue(s.writableLength);
        return;
      }
      s.write(next.value);
    }
  }

  private checkQueue(queued: number): void {
    const s = this.socket;
    if (queued <= this.opts.maxQueue || !s) return;
    this.detach(s, { kind: 'not-reading', queued, limit: this.opts.maxQueue });
  }

  /** Forgets the connection `s` (once; a late event of an old socket is ignored), closes it unless told otherwise, and schedules the next attempt. */
  private detach(s: net.Socket, why: CollectorDown, destroy = true): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    this.up = false;
    this.dump = undefined;
    this.held = [];
    this.heldOctets = 0;
    s.removeAllListeners();
    s.on('error', () => {}); // a closed connection's late errors are of no interest
    if (destroy) s.destroy();
    const [min, max] = this.opts.backoff;
    const retryIn = this.stopped ? undefined : Math.min(max, min * 2 ** this.attempts++);
    this.events.down(why, retryIn);
    if (retryIn !== undefined) this.schedule(retryIn);
  }
}
