// Running tshark over a pcap and reading what its BGP dissector saw. The `-T ek` output is one
// JSON document per packet; within a layer, every field that occurs more than once becomes an
// array in message order, which is the order the model in model.ts predicts.

import { execFileSync, spawnSync } from 'node:child_process';

/** The tshark binary, or undefined when it is not installed. */
export function findTshark(): string | undefined {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'tshark' : undefined;
}

export function tsharkVersion(bin: string): string {
  const out = execFileSync(bin, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n')[0] ?? '';
}

/** One packet's BGP layer as field name -> values (strings), plus the problems tshark flagged. */
export interface Dissected {
  readonly fields: ReadonlyMap<string, readonly string[]>;
  /** Malformed-packet markers and expert items of severity warning or error, as text. */
  readonly problems: readonly string[];
}

// Wireshark expert severities (epan/proto.h): PI_WARN 0x00600000, PI_ERROR 0x00800000.
const PI_WARN = 0x00600000;

function collectProblems(node: unknown, out: string[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) collectProblems(x, out);
    return;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === '_ws_malformed') out.push('malformed packet');
    if (k === '_ws_expert') {
      for (const e of Array.isArray(v) ? v : [v]) {
        const item = e as Record<string, unknown>;
        const sev = Number(item['_ws_expert__ws_expert_severity'] ?? 0);
        if (sev >= PI_WARN) out.push(`expert: ${String(item['_ws_expert__ws_expert_message'])}`);
      }
    }
    collectProblems(v, out);
  }
}

function asStrings(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (x === null ? '' : String(x)));
}

/** The ek key of a display-filter field name: `bgp.open.myas` -> `bgp_bgp_open_myas`. */
export function ekKey(field: string): string {
  return `bgp_${field.replace(/\./g, '_')}`;
}

/** Dissects every packet of the pcap; stderr (the "Running as root" notice) is ignored. */
export function dissect(bin: string, pcap: string, prefs: readonly string[]): Dissected[] {
  const args = ['-r', pcap, '-T', 'ek', '-d', 'tcp.port==179,bgp'];
  for (const p of prefs) args.push('-o', p);
  const out = execFileSync(bin, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 << 20,
  });
  const packets: Dissected[] = [];
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const doc = JSON.parse(line) as { layers?: Record<string, unknown> };
    if (doc.layers === undefined) continue; // the bulk-index line before each document
    const problems: string[] = [];
    collectProblems(doc.layers, problems);
    const bgp = doc.layers['bgp'];
    const fields = new Map<string, string[]>();
    if (bgp !== null && typeof bgp === 'object' && !Array.isArray(bgp)) {
      for (const [k, v] of Object.entries(bgp as Record<string, unknown>)) {
        if (!k.startsWith('_ws_')) fields.set(k, asStrings(v));
      }
    } else {
      problems.push(`no single BGP layer (${JSON.stringify(bgp)?.slice(0, 80)})`);
    }
    packets.push({ fields, problems });
  }
  return packets;
}

/**
 * The text lines of the verbose tree per packet (`tshark -V`), trimmed. Used only where tshark
 * 4.0 renders an item as text without a field (VPN-IPv6 and RTC NLRI).
 */
export function verboseLines(bin: string, pcap: string, prefs: readonly string[]): string[][] {
  const args = ['-r', pcap, '-V', '-d', 'tcp.port==179,bgp'];
  for (const p of prefs) args.push('-o', p);
  const out = execFileSync(bin, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 << 20,
  });
  const packets: string[][] = [];
  for (const line of out.split('\n')) {
    if (/^Frame \d+:/.test(line)) packets.push([]);
    else packets[packets.length - 1]?.push(line.trim());
  }
  return packets;
}
