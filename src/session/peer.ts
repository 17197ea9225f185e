// The socket shell of one peer: TCP connections, framing, decoding, timers, and the pure FSM
// (fsm.ts) in between. It owns at most two connections at a time (ours and the peer's, RFC 4271
// §6.8) and reports only session-level facts upward: up (with what was negotiated), UPDATEs,
// ROUTE-REFRESHes, and down (with a typed reason and whether the routes are to be kept).

import type net from 'node:net';
import {
  DEFAULT_CONTEXT,
  MAX_EXTENDED_MESSAGE,
  MAX_MESSAGE,
  type CodecContext,
} from '../wire/context.js';
import { WireError, type Notify } from '../wire/errors.js';
import { Framer } from '../wire/framer.js';
import { encodeMessage } from '../wire/message.js';
import type { OpenMessage, RouteRefreshMessage } from '../wire/types.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import { resolveCollision, type Direction } from './collision.js';
import type { DownReason, FsmAction, FsmEvent, StateName, TimerName } from './events.js';
import { INITIAL_STATE, step, type FsmState } from './fsm.js';
import { inboundOf, timerEvent } from './inbound.js';
import { InputSlices } from './input-slices.js';
import { tapMessage } from './message-tap.js';
import { coalesce, writeBatch } from './coalesce.js';
import { KeptPdus } from './kept-pdus.js';
import { codecContexts, type Negotiated } from './negotiate.js';
import { retainsRoutes } from './reasons.js';
import type { PeerShell, PeerShellConfig, PeerShellEvents, StopReason } from './shell.js';
import { TimerSet, RFC_JITTERED } from './timers.js';
import { connectTo } from './transport.js';

export type { PeerShellConfig, PeerShellEvents } from './shell.js';

interface Conn {
  readonly direction: Direction;
  socket: net.Socket | undefined;
  fsm: FsmState;
  readonly timers: TimerSet<TimerName>;
  readonly framer: Framer;
  rx: CodecContext;
  tx: CodecContext;
  /** Frames not yet handled: a fast peer's input is handled in slices (input-slices.ts). */
  input: InputSlices | undefined;
  /** The message being handled when the FSM asks to process it. */
  current: UpdateDecodeResult | RouteRefreshMessage | undefined;
  /** Set when this connection lost a collision or was superseded: its FSM no longer speaks. */
  dead: boolean;
  notified: boolean;
  readonly pdus: KeptPdus; // the OPENs and last NOTIFICATION as on the wire, for BMP
}

const DEFAULT_MAX_QUEUE = 64 * 1024 * 1024;

export class SocketShell implements PeerShell {
  private main: Conn;
  private second: Conn | undefined;
  private started = false;
  /** What the last Established session negotiated (the FSM forgets it on the way to Idle). */
  private lastNegotiated: Negotiated | undefined;
  private readonly loopback: boolean;

  constructor(
    readonly cfg: PeerShellConfig,
    private readonly events: PeerShellEvents,
  ) {
    this.main = this.newConn('outbound');
    this.loopback = cfg.peerAddress.startsWith('127.') || cfg.peerAddress === '::1';
  }

  get state(): StateName {
    return this.main.fsm.name;
  }

  get negotiated(): Negotiated | undefined {
    return this.main.fsm.negotiated;
  }

  /** Octets waiting in the kernel-side queue of the session (backpressure). */
  get outputQueue(): number {
    return this.main.socket?.writableLength ?? 0;
  }

  private newConn(direction: Direction): Conn {
    const conn: Conn = {
      direction,
      socket: undefined,
      fsm: INITIAL_STATE,
      timers: new TimerSet<TimerName>((name) => this.onTimer(conn, name), {
        jitter: this.cfg.jitter === false ? [] : [...RFC_JITTERED],
      }),
      framer: new Framer({ maxLength: MAX_MESSAGE }),
      rx: DEFAULT_CONTEXT,
      tx: DEFAULT_CONTEXT,
      input: undefined,
      current: undefined,
      dead: false,
      notified: false,
      pdus: new KeptPdus(),
    };
    return conn;
  }

  start(): void {
    this.started = true;
    this.dispatch(
      this.main,
      this.cfg.passive
        ? { type: 'ManualStart_with_PassiveTcpEstablishment' }
        : { type: 'ManualStart' },
    );
  }

  /** Administrative stop with the Cease NOTIFICATION the reason calls for (RFC 4486). */
  stop(reason: StopReason): void {
    this.started = false;
    if (this.second) this.kill(this.second);
    this.dispatch(this.main, { type: 'ManualStop', reason });
    this.main.timers.stopAll();
  }

  /** An automatic stop (max-prefix, de-configuration) that may restart after IdleHold. */
  autoStop(reason: DownReason, n?: Notify): void {
    this.dispatch(
      this.main,
      n ? { type: 'AutomaticStop', reason, notify: n } : { type: 'AutomaticStop', reason },
    );
  }

  send(messages: readonly Buffer[], octets?: readonly Buffer[]): void {
    const c = this.main;
    if (!c.socket || c.fsm.name !== 'Established' || messages.length === 0) return;
    const s = c.socket;
    writeBatch(s, messages, octets ?? coalesce(messages), (m) =>
      tapMessage(this.events, s, c.tx, 'sent', m),
    );
    const max = this.cfg.maxOutputQueue ?? DEFAULT_MAX_QUEUE;
    if (c.socket.writableLength > max) {
      // Resetting is better than growing without bound when a peer stops reading.
      this.autoStop({
        kind: 'tcp-failed',
        detail: `output queue above ${max} octets (peer not reading)`,
      });
    }
  }

  /** An incoming TCP connection from this peer (the listener checked the address). */
  accept(socket: net.Socket): boolean {
    if (!this.started) return false;
    const m = this.main;
    socket.setNoDelay(true);
    switch (m.fsm.name) {
      case 'Idle':
        return false;
      case 'Connect':
      case 'Active': {
        // Our own attempt (if any) gives way to the connection the peer opened.
        if (m.socket) {
          m.socket.removeAllListeners();
          m.socket.destroy();
        }
        const c = this.newConn('inbound');
        c.fsm = m.fsm;
        m.timers.stopAll();
        m.dead = true;
        this.main = c;
        this.attach(c, socket);
        this.dispatch(c, { type: 'TcpConnectionConfirmed' });
        return true;
      }
      default: {
        if (this.second) return false;
        // A second connection while the first is in OpenSent/OpenConfirm/Established: run it
        // until its OPEN arrives, then settle the collision (RFC 4271 §6.8).
        const c = this.newConn('inbound');
        this.second = c;
        this.attach(c, socket);
        this.dispatch(c, { type: 'ManualStart_with_PassiveTcpEstablishment' });
        this.dispatch(c, { type: 'TcpConnectionConfirmed' });
        return true;
      }
    }
  }

  private attach(c: Conn, socket: net.Socket): void {
    c.socket = socket;
    const input = new InputSlices(socket, {
      // The framer of the connection when the chunk is split (drop-connection makes a new one).
      split: (chunk) => c.framer.push(chunk),
      frame: (f) => !c.dead && c.socket === socket && (this.onFrame(c, f), true),
      error: (e) => this.onFramingError(c, e),
      due: (msLeft) => this.events.inputDue?.(msLeft) ?? false,
      end: () => this.events.inputEnd?.() ?? false,
    });
    c.input = input;
    socket.on('data', (chunk: Buffer) => input.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (c.socket !== socket) return;
      c.socket = undefined;
      input.clear();
      if (!c.dead) this.dispatch(c, { type: 'TcpConnectionFails', closedByPeer: true });
    });
  }

  private connect(c: Conn): void {
    const socket = connectTo(this.cfg);
    // An option the kernel refused (TCP_MD5SIG, IP_MINTTL) fails the attempt like a refusal.
    if (socket instanceof Error)
      return this.dispatch(c, { type: 'TcpConnectionFails', detail: socket.message });
    c.socket = socket;
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      if (c.socket !== socket || c.dead) return socket.destroy();
      this.attach(c, socket);
      this.dispatch(c, { type: 'Tcp_CR_Acked' });
    });
    socket.once('error', (e) => {
      if (connected || c.socket !== socket) return;
      c.socket = undefined;
      if (!c.dead) this.dispatch(c, { type: 'TcpConnectionFails', detail: e.message });
    });
  }

  private onFramingError(c: Conn, e: unknown): void {
    if (c.dead || !c.socket) return;
    if (e instanceof WireError && e.notify)
      this.dispatch(c, { type: 'BGPHeaderErr', notify: e.notify });
    else this.dispatch(c, { type: 'TcpConnectionFails', detail: String(e) });
  }

  private onFrame(c: Conn, frame: Buffer): void {
    tapMessage(this.events, c.socket, c.rx, 'received', frame);
    const m = inboundOf(c.pdus.received(frame), c.rx);
    if (m.kind === 'open') return this.onOpen(c, m.open);
    // The FSM asks for the message (process-update, process-route-refresh) while it handles it.
    c.current = m.message;
    this.dispatch(c, m.event);
    c.current = undefined;
  }

  private onOpen(c: Conn, open: OpenMessage): void {
    const other = c === this.main ? this.second : this.main;
    if (other && !other.dead) {
      const decision = resolveCollision({
        localBgpId: this.cfg.localBgpId,
        remoteBgpId: open.bgpId,
        localAs: this.cfg.localAs,
        existing: { state: other.fsm.name, direction: other.direction },
        arriving: { direction: c.direction },
      });
      if (decision.close === 'arriving') {
        this.collisionDump(c, decision.graceful === true);
        return;
      }
      if (decision.close === 'existing') this.collisionDump(other, decision.graceful === true);
    }
    this.dispatch(
      c,
      c.fsm.delayOpenRunning
        ? { type: 'BGPOpen_with_DelayOpenTimer_running', open }
        : { type: 'BGPOpen', open },
    );
  }

  private collisionDump(loser: Conn, graceful: boolean): void {
    this.dispatch(loser, { type: 'OpenCollisionDump', graceful });
    loser.dead = true;
    loser.timers.stopAll();
    if (loser === this.main && this.second) {
      this.main = this.second;
      this.second = undefined;
    } else if (loser === this.second) {
      this.second = undefined;
    }
  }

  private kill(c: Conn): void {
    c.dead = true;
    c.timers.stopAll();
    c.socket?.destroy();
    c.socket = undefined;
  }

  private onTimer(c: Conn, name: TimerName): void {
    if (c.dead) return;
    this.dispatch(c, timerEvent(name));
  }

  private dispatch(c: Conn, ev: FsmEvent): void {
    const from = c.fsm.name;
    const { state, actions } = step(c.fsm, ev, this.cfg.fsm);
    c.fsm = state;
    if (from !== state.name) this.events.stateChange?.(from, state.name, ev.type);
    for (const a of actions) this.run(c, a);
    if (c === this.second && state.name === 'Idle') {
      this.kill(c);
      this.second = undefined;
    }
  }

  private write(c: Conn, buf: Buffer): void {
    c.socket?.write(buf);
    tapMessage(this.events, c.socket, c.tx, 'sent', buf);
  }

  private run(c: Conn, a: FsmAction): void {
    switch (a.kind) {
      case 'start-timer':
      case 'stop-timer':
        c.timers.apply(a);
        return;
      case 'connect':
        if (!c.dead) this.connect(c);
        return;
      case 'drop-connection': {
        const s = c.socket;
        c.socket = undefined;
        if (!s) return;
        // Given up with no answer: how a wrong TCP-MD5 key or TTL looks (the kernel drops silently).
        if (s.connecting) this.events.connectUnanswered?.();
        s.removeAllListeners('data');
        c.input?.clear();
        c.input = undefined;
        if (c.notified) {
          // Let the NOTIFICATION leave before the connection closes.
          s.end();
          setTimeout(() => s.destroy(), 1000).unref();
        } else s.destroy();
        c.notified = false;
        c.framer.setMaxLength(MAX_MESSAGE);
        c.rx = DEFAULT_CONTEXT;
        c.tx = DEFAULT_CONTEXT;
        Object.assign(c, { framer: new Framer({ maxLength: MAX_MESSAGE }) });
        return;
      }
      case 'send-open':
        this.write(c, c.pdus.sendingOpen(this.cfg.fsm.localOpen));
        return;
      case 'send-keepalive':
        this.write(c, encodeMessage({ type: 'keepalive' }, DEFAULT_CONTEXT));
        return;
      case 'send-notification': {
        const n = { code: a.code, subcode: a.subcode, data: a.data };
        this.write(c, c.pdus.sendingNotification(n));
        c.notified = true;
        this.events.notificationSent?.(n);
        return;
      }
      case 'session-up': {
        const ctx = codecContexts(a.negotiated, { allowLoopbackNextHop: this.loopback });
        c.rx = ctx.rx;
        c.tx = ctx.tx;
        // RFC 8654 §4: larger messages once both sides advertised the capability.
        if (a.negotiated.extendedMessage) c.framer.setMaxLength(MAX_EXTENDED_MESSAGE);
        if (this.second && c === this.second) {
          // The peer's connection won and reached Established: it is the session now.
          this.kill(this.main);
          this.main = c;
          this.second = undefined;
        }
        this.lastNegotiated = a.negotiated;
        const local = (c.socket?.localAddress ?? '').replace(/^::ffff:/, '');
        this.events.established(a.negotiated, ctx, local, c.pdus.wire(c.socket));
        return;
      }
      case 'session-down': {
        if (c !== this.main) return;
        const neg = c.fsm.negotiated ?? this.lastNegotiated;
        const gr = neg?.gracefulRestart;
        const retain =
          a.established && gr !== undefined && gr.helper && retainsRoutes(a.reason, gr);
        this.events.down(a.reason, a.established, retain, c.pdus.notification);
        return;
      }
      case 'process-update':
        if (c.current && 'update' in c.current) this.events.update(c.current);
        return;
      case 'process-route-refresh':
        if (c.current && 'type' in c.current && c.current.type === 'route-refresh') {
          this.events.routeRefresh(c.current);
        }
        return;
      case 'release-resources':
        return;
      default: {
        const never: never = a;
        return never;
      }
    }
  }
}
