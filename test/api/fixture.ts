// A daemon with the real API for tests: fake session shells (no sockets to peers), the API on
// 127.0.0.1 with any free port. A test brings a neighbor "up" through the shell's event link.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShellFactory } from '../../src/daemon/daemon.js';
import { ceaseFor } from '../../src/session/reasons.js';
import type { PeerShell } from '../../src/session/shell.js';
import type { PeerLinkEvents } from '../../src/daemon/peer-link.js';
import { createEventLog } from '../../src/log/events.js';
import { runDaemon, type RunningDaemon } from '../../src/cli/run.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';

export const BASE_CONFIG = `asn: 65000
router-id: 10.0.0.1
api: { address: 127.0.0.1, port: 8179 }
neighbors:
  - { address: 127.0.0.11, asn: 65000, families: [vpnv4], description: PE2 }
policy:
  prefix-lists:
    SHARED-SERVICES:
      - { seq: 10, action: permit, prefix: 10.100.0.0/16, le: 32 }
  route-maps:
    IMPORT-SHARED:
      - { seq: 10, action: permit, match: { prefix-list: SHARED-SERVICES } }
      - { seq: 20, action: deny }
vrfs:
  SHARED:
    rd: 65000:100
    label: 100
    route-targets: { import: [65000:10, 65000:20], export: [65000:100] }
    networks: [10.100.0.0/16]
  CUSTOMER-A:
    rd: 65000:10
    label: 110
    route-targets: { import: [65000:100], export: [65000:10] }
    import-map: IMPORT-SHARED
    networks: [10.1.5.0/24]
`;

export interface FakePeer {
  state: string;
  events: PeerLinkEvents;
  /** Every message the daemon sent to this peer, in order. */
  readonly sent: Buffer[];
  /** The Cease subcode of the last stop, if stopped. */
  stoppedWith: number | undefined;
  up(): void;
  down(reason: string): void;
}

export interface Fixture {
  readonly run: RunningDaemon;
  readonly file: string;
  readonly peers: Map<string, FakePeer>;
  readonly base: string;
  write(text: string): void;
  stop(): Promise<void>;
}

export async function startFixture(
  text = BASE_CONFIG,
  opts: { logLines?: string[]; signals?: boolean } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vrfleak-api-'));
  const file = join(dir, 'vrfleak.yaml');
  writeFileSync(file, text);
  const peers = new Map<string, FakePeer>();
  const factory: ShellFactory = (n, events) => {
    const fake: FakePeer = {
      state: 'Idle',
      events,
      sent: [],
      stoppedWith: undefined,
      up() {
        fake.state = 'Established';
        events.established({
          families: n.families,
          fourOctetAs: true,
          peerAs: n.asn,
          peerBgpId: 0x0a000002,
          holdTime: 90,
          routeRefresh: true,
          rx: DEFAULT_CONTEXT,
          tx: DEFAULT_CONTEXT,
          localAddress: '127.0.0.10',
        });
      },
      down(reason) {
        fake.state = 'Idle';
        events.down(reason, false);
      },
    };
    peers.set(n.address, fake);
    const shell: PeerShell = {
      start: () => {
        if (fake.state === 'Idle') fake.state = 'Active';
      },
      stop: (why) => {
        fake.state = 'Idle';
        fake.stoppedWith = ceaseFor(why).subcode;
      },
      send: (msgs) => void fake.sent.push(...msgs),
      accept: () => false,
      get state() {
        return fake.state;
      },
    };
    return shell;
  };
  const lines = opts.logLines;
  const log = createEventLog({
    level: 'info',
    destination: { write: (s: string) => void lines?.push(s) },
  });
  const run = await runDaemon(file, {
    apiPort: 0,
    shellFactory: factory,
    log,
    ...(opts.signals ? { signals: true } : {}),
  });
  return {
    run,
    file,
    peers,
    base: `127.0.0.1:${run.api.port}`,
    write: (t) => writeFileSync(file, t),
    stop: () => run.stop(),
  };
}

/** Polls until `probe` returns something truthy, or fails naming `what`. */
export async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  ms = 5000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
