// The catalogue of typed log events. Every log line vrfleak writes is one of these, so operators can
// rely on `event` names and fields (pino JSON). No per-prefix logging: these are per session, per
// UPDATE problem, per conflict.

import { createRequire } from 'node:module';
import type pino from 'pino';
import type { Logger, LevelWithSilent } from 'pino';

export type LogEvent =
  | { event: 'session-up'; peer: string; asn: number; families: string[]; holdTime: number }
  | { event: 'session-down'; peer: string; reason: string; detail?: string }
  | { event: 'session-state'; peer: string; from: string; to: string; trigger: string }
  | { event: 'connection-refused'; remote: string; reason: string }
  /** Our TCP connect got no answer at all; `reason` says what that means for this neighbor. */
  | { event: 'connect-unanswered'; peer: string; attempts: number; reason: string }
  /** The kernel refused a TCP-MD5 or GTSM socket option. */
  | { event: 'transport-security-failed'; peer: string; reason: string }
  | { event: 'notification-sent'; peer: string; code: number; subcode: number; name: string }
  | {
      event: 'notification-received';
      peer: string;
      code: number;
      subcode: number;
      name: string;
      text?: string;
    }
  | {
      event: 'malformed-update';
      peer: string;
      action: string;
      problems: { typeCode: number; action: string; reason: string }[];
    }
  | { event: 'afi-safi-ignored'; peer: string; afi: number; safi: number }
  /**
   * RFC 7911: the peer withdrew path identifiers it holds no path under here (never announced, or
   * refused on arrival); nothing else changes. `paths` names the first few.
   */
  | {
      event: 'add-path-unknown-withdraw';
      peer: string;
      family: string;
      count: number;
      paths: { prefix: string; pathId: number }[];
    }
  | { event: 'max-prefix-warning'; peer: string; family: string; count: number; limit: number }
  | { event: 'max-prefix-exceeded'; peer: string; family: string; count: number; limit: number }
  | {
      event: 'graceful-restart';
      peer: string;
      phase: 'stale' | 'swept' | 'expired' | 'not-preserved';
      routes: number;
    }
  /**
   * Long-lived graceful restart (RFC 9494 §4.2), per family: `stale` the restart time ended and the
   * routes kept carry LLGR_STALE (`dropped`: those with NO_LLGR, deleted), `expired` the long-lived
   * stale time ended, `not-synchronized` the session reset before End-of-RIB after that.
   */
  | {
      event: 'long-lived-graceful-restart';
      peer: string;
      family: string;
      phase: 'stale' | 'expired' | 'not-synchronized';
      routes: number;
      dropped?: number;
      staleTime?: number;
    }
  | { event: 'leak-conflict'; vrf: string; prefix: string; winner: string; loser: string }
  /** The leak monitor (issue 16): kind unexpected | missing | over-limit; prefix null for a bound. */
  | { event: 'leak-violation'; vrf: string; kind: string; prefix: string | null; reason: string }
  | { event: 'leak-violation-cleared'; vrf: string; kind: string; prefix: string | null }
  | { event: 'config-applied'; changes: number }
  | { event: 'config-refused'; errors: string[] }
  | { event: 'daemon-start'; asn: number; routerId: string; listen?: string }
  | { event: 'daemon-stop'; reason: string }
  | { event: 'api-listen'; address: string; port: number; token: boolean }
  | { event: 'api-refused'; method: string; url: string; status: number; message: string }
  | { event: 'log-level'; level: string }
  | { event: 'selection-deferral-ended'; reason: 'end-of-rib' | 'timer'; peers: number }
  /** A neighbor's policy changed without a reset: re-advertised (out) and/or refreshed (in). */
  | { event: 'neighbor-soft-change'; peer: string; in: boolean; out: boolean }
  /** MRT (RFC 6396): a table dump written, a file replayed, a write that failed. */
  | { event: 'mrt-dump'; directory: string; files: number; routes: number }
  | { event: 'mrt-replay'; file: string; into: string; announced: number; refused: number }
  | { event: 'mrt-error'; what: string; error: string }
  | { event: 'fib-started'; mode: string; tables: Record<string, number>; found: number }
  | { event: 'fib-stopped'; routes: number }
  | { event: 'fib-kept'; routes: number }
  /** One line per failure reason and flush, with how many and one example (no per-prefix logs). */
  | { event: 'fib-failure'; reason: string; count: number; example: string }
  /** A BMP collector (src/daemon/bmp.ts) connected, or its connection ended (`retryIn` seconds). */
  | { event: 'bmp-up'; collector: string }
  | { event: 'bmp-down'; collector: string; reason: string; detail: string; retryIn?: number }
  /** A collector sent octets (RFC 7854: it should not); discarded, logged once per connection. */
  | { event: 'bmp-collector-data'; collector: string; octets: number }
  /** RFC 4684: what a peer wants changed (`routeTargets`: how many prefixes; `all`: the default). */
  | { event: 'rtc-membership'; peer: string; routeTargets: number | 'all' }
  /** RFC 4684 §6: VPN routes to the peer waited for its RTC End-of-RIB, now sent. */
  | { event: 'rtc-wait-ended'; peer: string; reason: 'end-of-rib' | 'timer' | 'disabled' }
  /** RFC 7606 §2 AFI/SAFI disable: the family's routes from the peer dropped, nothing else. */
  | { event: 'afi-safi-disabled'; peer: string; family: string; reason: string; routes: number };

const LEVEL: Record<LogEvent['event'], 'info' | 'warn' | 'error' | 'debug'> = {
  'session-up': 'info',
  'session-down': 'warn',
  'session-state': 'debug',
  'connection-refused': 'warn',
  'connect-unanswered': 'warn',
  'transport-security-failed': 'error',
  'notification-sent': 'warn',
  'notification-received': 'warn',
  'malformed-update': 'warn',
  'afi-safi-ignored': 'info',
  'add-path-unknown-withdraw': 'info',
  'max-prefix-warning': 'warn',
  'max-prefix-exceeded': 'error',
  'graceful-restart': 'info',
  'long-lived-graceful-restart': 'info',
  'leak-conflict': 'warn',
  'leak-violation': 'warn',
  'leak-violation-cleared': 'info',
  'config-applied': 'info',
  'config-refused': 'error',
  'daemon-start': 'info',
  'daemon-stop': 'info',
  'selection-deferral-ended': 'info',
  'neighbor-soft-change': 'info',
  'api-listen': 'info',
  'api-refused': 'debug',
  'log-level': 'warn',
  'mrt-dump': 'info',
  'mrt-replay': 'info',
  'mrt-error': 'error',
  'fib-started': 'info',
  'fib-stopped': 'info',
  'fib-kept': 'info',
  'fib-failure': 'error',
  'bmp-up': 'info',
  'bmp-down': 'warn',
  'bmp-collector-data': 'warn',
  'rtc-membership': 'info',
  'rtc-wait-ended': 'info',
  'afi-safi-disabled': 'error',
};

export type LogListener = (e: LogEvent) => void;

export interface EventLog {
  emit(e: LogEvent): void;
  setLevel(level: LevelWithSilent): void;
  readonly level: string;
  /** Sees every event whatever the level (the API's event stream); returns the unsubscribe. */
  subscribe(listener: LogListener): () => void;
  readonly logger: Logger;
}

export function createEventLog(
  opts: { level?: LevelWithSilent; destination?: pino.DestinationStream } = {},
): EventLog {
  // pino is loaded when something is to be written (a level other than silent, now or after
  // setLevel) or the logger is asked for: a silent daemon (the library API's default, the bench)
  // need not hold it (issue 13: the process's fixed memory). pino is CommonJS: a synchronous require.
  let level: LevelWithSilent = opts.level ?? 'info';
  let logger: Logger | undefined;
  const made = (): Logger => {
    if (logger) return logger;
    const make = createRequire(import.meta.url)('pino') as typeof pino;
    logger = opts.destination
      ? make({ level, base: undefined }, opts.destination)
      : make({ level, base: undefined });
    return logger;
  };
  if (level !== 'silent') made();
  const listeners = new Set<LogListener>();
  return {
    get logger() {
      return made();
    },
    emit(e) {
      if (logger) logger[LEVEL[e.event]](e);
      for (const l of listeners) l(e);
    },
    setLevel(next) {
      level = next;
      if (logger) logger.level = next;
      else if (next !== 'silent') made();
    },
    get level() {
      return logger ? logger.level : level;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A silent log for tests and the library API unless asked otherwise. */
export function silentLog(): EventLog {
  return createEventLog({ level: 'silent' });
}
