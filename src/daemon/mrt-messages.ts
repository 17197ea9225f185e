// BGP4MP message logging (RFC 6396 §4.4): every message a chosen neighbor's session sends or
// receives, as BGP4MP_MESSAGE_AS4 (received) or _AS4_LOCAL (sent, §4.4.7), the RFC 8050 ADDPATH
// variant for UPDATEs of a direction with add-path in use, into one file per neighbor that is
// replaced after `rotate-interval` seconds or `rotate-size` octets.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EventLog } from '../log/events.js';
import { encodeMrtRecord } from '../wire/mrt/file.js';
import { MSG_UPDATE } from '../wire/types.js';
import { addressBytes, fileStamp, uniquePath } from './mrt-files.js';
import type { MessageLink } from '../session/shell.js';
import type { MrtOptions, NeighborOptions } from './options.js';

export type Direction = 'received' | 'sent';

type Settings = NonNullable<MrtOptions['messages']>;

interface OpenFile {
  readonly fd: number;
  readonly path: string;
  readonly opened: number;
  size: number;
}

export class MessageLog {
  private readonly files = new Map<string, OpenFile>();

  constructor(
    private readonly s: Settings,
    private readonly directory: string,
    private readonly localAs: number,
    private readonly log: EventLog,
  ) {}

  logs(address: string): boolean {
    return this.s.neighbors === 'all' || this.s.neighbors.includes(address);
  }

  message(n: NeighborOptions, dir: Direction, frame: Buffer, link: MessageLink): void {
    if (!this.logs(n.address)) return;
    const now = Math.floor(Date.now() / 1000);
    const peerIp = addressBytes(n.address);
    let localIp = addressBytes(link.localAddress);
    // RFC 6396 §4.4.3: one Address Family for both addresses; unknown local: zeros of its family.
    if (localIp.length !== peerIp.length) localIp = new Uint8Array(peerIp.length);
    const rec = encodeMrtRecord({
      timestamp: now,
      body: {
        kind: 'bgp4mp-message',
        local: dir === 'sent',
        addPath: link.addPath && frame[18] === MSG_UPDATE,
        peerAs: n.asn,
        localAs: this.localAs,
        ifIndex: 0,
        peerIp,
        localIp,
        message: frame,
      },
    });
    try {
      const f = this.file(n.address, now, rec.length);
      writeSync(f.fd, rec);
      f.size += rec.length;
    } catch (e) {
      this.log.emit({ event: 'mrt-error', what: `message log of ${n.address}`, error: String(e) });
    }
  }

  /** The current file of a neighbor, replaced when its time or size is up. */
  private file(address: string, now: number, next: number): OpenFile {
    const f = this.files.get(address);
    if (f && now - f.opened < this.s.rotateInterval && f.size + next <= this.s.rotateSize) return f;
    if (f && f.size === 0 && now - f.opened < this.s.rotateInterval) return f;
    if (f) closeSync(f.fd);
    const dir = join(this.directory, 'messages', address);
    mkdirSync(dir, { recursive: true });
    const path = uniquePath(join(dir, `updates.${fileStamp(now)}`), '.mrt');
    const opened: OpenFile = { fd: openSync(path, 'wx'), path, opened: now, size: 0 };
    this.files.set(address, opened);
    return opened;
  }

  /** The files being written, by neighbor address. */
  current(): Map<string, string> {
    return new Map([...this.files].map(([a, f]) => [a, f.path]));
  }

  close(): void {
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
  }
}
