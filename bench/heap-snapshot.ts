// A V8 heap snapshot (v8.writeHeapSnapshot) read without JSON.parse of the whole file (a 1M-route
// snapshot is larger than V8's longest string): the node and edge arrays are streamed into typed
// arrays, the strings read at the end. Then what each named object retains: the bytes that stop
// being reachable from the GC roots when that object is taken out of the graph (the retained size
// DevTools shows), and those bytes by type.

import { closeSync, openSync, readSync, statSync } from 'node:fs';

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

export interface Snapshot {
  readonly nodeFields: number;
  readonly edgeFields: number;
  readonly nodes: Uint32Array;
  readonly edges: Uint32Array;
  readonly strings: string[];
  readonly nodeTypes: string[];
  readonly edgeTypes: string[];
  /** Index of each node's first edge in `edges` (in edge records). */
  readonly firstEdge: Uint32Array;
}

const CHUNK = 1 << 24;

/** Reads the numbers of a JSON array of unsigned integers starting at `pos` (just after `[`). */
function readNumbers(fd: number, pos: number, out: Uint32Array): number {
  const buf = Buffer.allocUnsafe(CHUNK);
  let n = 0;
  let cur = 0;
  let inNum = false;
  for (;;) {
    const got = readSync(fd, buf, 0, CHUNK, pos);
    if (got <= 0) throw new Error('snapshot ends inside an array');
    for (let i = 0; i < got; i++) {
      const c = buf[i]!;
      if (c >= 48 && c <= 57) {
        cur = cur * 10 + (c - 48);
        inNum = true;
      } else {
        if (inNum) {
          out[n++] = cur;
          cur = 0;
          inNum = false;
        }
        if (c === 93) return pos + i + 1; // ]
      }
    }
    pos += got;
  }
}

/** The file offset just past the first occurrence of `needle` at or after `pos`. */
function find(fd: number, pos: number, needle: string): number {
  const buf = Buffer.allocUnsafe(CHUNK + needle.length);
  const nb = Buffer.from(needle);
  for (;;) {
    const got = readSync(fd, buf, 0, CHUNK + nb.length, pos);
    if (got < nb.length) throw new Error(`${needle} not found`);
    const at = buf.subarray(0, got).indexOf(nb);
    if (at >= 0) return pos + at + nb.length;
    pos += got - nb.length;
  }
}

export function readSnapshot(path: string): Snapshot {
  const fd = openSync(path, 'r');
  try {
    const headEnd = find(fd, 0, '"nodes":[');
    const head = Buffer.alloc(headEnd);
    readSync(fd, head, 0, headEnd, 0);
    const text = head.toString('utf8');
    const snap = JSON.parse(text.slice(text.indexOf('{', 1), text.lastIndexOf('}') + 1)) as {
      meta: Meta;
      node_count: number;
      edge_count: number;
    };
    const nodeFields = snap.meta.node_fields.length;
    const edgeFields = snap.meta.edge_fields.length;
    const nodes = new Uint32Array(snap.node_count * nodeFields);
    let pos = readNumbers(fd, headEnd, nodes);
    pos = find(fd, pos, '"edges":[');
    const edges = new Uint32Array(snap.edge_count * edgeFields);
    pos = readNumbers(fd, pos, edges);
    const strStart = find(fd, pos, '"strings":[') - 1;
    const size = statSync(path).size;
    const tail = Buffer.alloc(size - strStart);
    readSync(fd, tail, 0, tail.length, strStart);
    const s = tail.toString('utf8');
    const strings = JSON.parse(s.slice(0, s.lastIndexOf(']') + 1)) as string[];
    const firstEdge = new Uint32Array(snap.node_count + 1);
    const ec = snap.meta.node_fields.indexOf('edge_count');
    for (let i = 0, e = 0; i < snap.node_count; i++) {
      firstEdge[i] = e;
      e += nodes[i * nodeFields + ec]!;
      firstEdge[i + 1] = e;
    }
    return {
      nodeFields,
      edgeFields,
      nodes,
      edges,
      strings,
      nodeTypes: snap.meta.node_types[0],
      edgeTypes: snap.meta.edge_types[0],
      firstEdge,
    };
  } finally {
    closeSync(fd);
  }
}

// Field offsets in the layout V8 has written since Node 12.
const N_TYPE = 0;
const N_NAME = 1;
const N_SELF = 3;
const E_TYPE = 0;
const E_NAME = 1;
const E_TO = 2;

/** The node a property edge of this name points to (objects parked on globalThis for the probe). */
export function nodeByProperty(s: Snapshot, name: string): number | undefined {
  const prop = s.edgeTypes.indexOf('property');
  const count = s.firstEdge.length - 1;
  for (let n = 0; n < count; n++) {
    for (let e = s.firstEdge[n]!; e < s.firstEdge[n + 1]!; e++) {
      const at = e * s.edgeFields;
      if (s.edges[at + E_TYPE] === prop && s.strings[s.edges[at + E_NAME]!] === name)
        return s.edges[at + E_TO]! / s.nodeFields;
    }
  }
  return undefined;
}

/** Nodes reachable from the root (node 0) without passing through `blocked`; weak edges ignored. */
export function reachable(s: Snapshot, blocked: ReadonlySet<number>): Uint8Array {
  const count = s.firstEdge.length - 1;
  const seen = new Uint8Array(count);
  const weak = s.edgeTypes.indexOf('weak');
  const stack = new Uint32Array(count);
  let top = 0;
  seen[0] = 1;
  stack[top++] = 0;
  while (top > 0) {
    const n = stack[--top]!;
    for (let e = s.firstEdge[n]!; e < s.firstEdge[n + 1]!; e++) {
      const at = e * s.edgeFields;
      if (s.edges[at + E_TYPE] === weak) continue;
      const to = s.edges[at + E_TO]! / s.nodeFields;
      if (seen[to] || blocked.has(to)) continue;
      seen[to] = 1;
      stack[top++] = to;
    }
  }
  return seen;
}

/** A node's type for the table: the constructor name for objects, the V8 type otherwise. */
export function typeName(s: Snapshot, n: number): string {
  const t = s.nodeTypes[s.nodes[n * s.nodeFields + N_TYPE]!] ?? '?';
  const name = s.strings[s.nodes[n * s.nodeFields + N_NAME]!] ?? '';
  switch (t) {
    case 'object':
      return name === 'Object' ? `{${propertyNames(s, n)}}` : name;
    case 'string':
    case 'concatenated string':
    case 'sliced string':
    case 'number':
    case 'bigint':
      return `(${t})`;
    case 'closure':
      return `(closure)`;
    case 'code':
      return '(code)';
    default:
      // Internal arrays and hidden objects: V8 names them ("(object elements)", "system / Map").
      return `(${t}) ${name.length > 40 ? name.slice(0, 40) + '…' : name}`;
  }
}

/** The first property names of a plain object (its shape, for telling Object apart). */
function propertyNames(s: Snapshot, n: number): string {
  const prop = s.edgeTypes.indexOf('property');
  const out: string[] = [];
  for (let e = s.firstEdge[n]!; e < s.firstEdge[n + 1]! && out.length < 5; e++) {
    const at = e * s.edgeFields;
    if (s.edges[at + E_TYPE] === prop) out.push(s.strings[s.edges[at + E_NAME]!] ?? '');
  }
  return out.join(',');
}

export interface TypeRow {
  readonly type: string;
  readonly count: number;
  readonly bytes: number;
}

/** Self sizes by type over the nodes where `pick` is true. */
export function byType(s: Snapshot, pick: (n: number) => boolean): TypeRow[] {
  const m = new Map<string, { count: number; bytes: number }>();
  const count = s.firstEdge.length - 1;
  for (let n = 0; n < count; n++) {
    if (!pick(n)) continue;
    const k = typeName(s, n);
    const r = m.get(k) ?? { count: 0, bytes: 0 };
    r.count++;
    r.bytes += s.nodes[n * s.nodeFields + N_SELF]!;
    m.set(k, r);
  }
  return [...m.entries()].map(([type, r]) => ({ type, ...r })).sort((a, b) => b.bytes - a.bytes);
}

/** Bytes of the nodes where `pick` is true. */
export function bytesOf(s: Snapshot, pick: (n: number) => boolean): number {
  let b = 0;
  const count = s.firstEdge.length - 1;
  for (let n = 0; n < count; n++) if (pick(n)) b += s.nodes[n * s.nodeFields + N_SELF]!;
  return b;
}
