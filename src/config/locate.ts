// Maps a key path in the parsed config back to the YAML node it came from, for line and column.

import type { Document, LineCounter, Node } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import type { KeyPath } from './errors.js';

export interface Position {
  readonly line: number;
  readonly column: number;
  /** The path actually found: cut short when it runs into a scalar (e.g. a short form). */
  readonly path: KeyPath;
}

export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private pos(offset: number): { line: number; column: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  /**
   * The position of the value at `path`; `atKey` gives its key instead. When the path is missing
   * from the file, the closest existing ancestor stands in (its key, when it has one).
   */
  locate(path: KeyPath, atKey = false): Position {
    const { isMap, isPair, isScalar, isSeq } = yamlLib();
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    let i = 0;
    for (; i < path.length; i++) {
      const seg = path[i];
      let next: unknown;
      let nextKey: Node | undefined;
      if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      } else if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (pair) {
          next = pair.value ?? pair.key;
          nextKey = pair.key as Node;
        }
      }
      if (next === undefined || next === null) break;
      node = next;
      key = nextKey;
    }
    const found = path.slice(0, i);
    const complete = i === path.length;
    const intoScalar = !complete && isScalar(node);
    const valueRange = (node as Node | null)?.range;
    const emptyValue = isScalar(node) && node.value === null && valueRange?.[0] === valueRange?.[1];
    const useKey = key?.range && (!complete || atKey || emptyValue || !valueRange) && !intoScalar;
    const offset = useKey ? key!.range![0] : (valueRange?.[0] ?? 0);
    return { ...this.pos(offset), path: intoScalar ? found : path };
  }
}
