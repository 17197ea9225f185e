// A column of pointers (a columnar map's values, v4-key-map.ts) kept in chunks of CHUNK entries
// that are never copied: the column grows by adding a chunk.
//
// Why not one array grown to its capacity: a JS array past 16384 entries (128 KiB of pointers) is
// a large object in V8, and each growth of one allocates a new large object (fresh pages, each
// faulted in at ~10 µs on this machine class) and copies every entry with a write barrier: ~1 ms
// a growth of a 26k-entry store here, where one below the bound took ~20 µs. A realistic 3M
// table's 186 value stores grew past the bound ~550 times: 640 ms of the event loop (a CPU
// profile's "set length"), none at 1M, where the stores stay below it (bench/README.md, round 17).
// A chunk of 4096 pointers (32 KiB) is an ordinary young object; the first chunk grows by length
// up to CHUNK, so a small map pays for what it holds, not for a chunk.

/** log2 of the entries a chunk holds. */
const CHUNK_BITS = 12;
/** Entries per chunk: 32 KiB of pointers, a quarter of V8's large-object bound. */
export const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

export class ChunkedColumn<T> {
  private readonly chunks: (T | undefined)[][] = [];

  /** A column of `cap` entries, all undefined. */
  constructor(cap: number) {
    this.grow(cap);
  }

  /** Entries addressable (get/set below this): past the first chunk, every chunk is full. */
  get capacity(): number {
    const chunks = this.chunks;
    return chunks.length > 1 ? chunks.length * CHUNK : (chunks[0]?.length ?? 0);
  }

  get(i: number): T | undefined {
    return this.chunks[i >>> CHUNK_BITS]![i & MASK];
  }

  set(i: number, v: T | undefined): void {
    this.chunks[i >>> CHUNK_BITS]![i & MASK] = v;
  }

  /** At least `cap` entries addressable; the entries held stay where they are. */
  grow(cap: number): void {
    if (cap <= this.capacity) return;
    const chunks = this.chunks;
    const first = chunks[0];
    if (first === undefined) chunks.push(new Array<T | undefined>(Math.min(cap, CHUNK)));
    else if (first.length < CHUNK) first.length = Math.min(cap, CHUNK);
    while (chunks.length * CHUNK < cap) chunks.push(new Array<T | undefined>(CHUNK));
  }
}
