// The shape of one path attribute's codec. Each attribute has one descriptor in its own file;
// attrs/index.ts holds the table (type code -> descriptor) and the common header handling.

import type { CodecContext } from '../context.js';
import type { ErrorAction } from '../errors.js';
import type { PathAttribute } from '../types.js';
import type { Writer } from '../writer.js';

export interface AttrDescriptor<K extends PathAttribute['kind'] = PathAttribute['kind']> {
  readonly code: number;
  readonly kind: K;
  /** Name as in the IANA registry, for logs and error messages. */
  readonly name: string;
  /** The Optional and Transitive bits this attribute must carry (RFC 4271 §5; RFC 7606 §3(c)). */
  readonly optional: boolean;
  readonly transitive: boolean;
  /** RFC 7606 §7 action when the attribute is malformed (a fault may name a stronger one). */
  readonly onError: ErrorAction;
  /**
   * Decode the attribute value, the octets buf[at, end): offsets, not a view per attribute (a
   * Buffer view was ~200 MB of garbage per million routes of the realistic table, bench/README.md
   * "The realistic cell, round 7"). Throws AttrFault (or a 'truncated' WireError, taken as a length
   * error) when malformed; never anything else.
   */
  decode(
    buf: Buffer,
    at: number,
    end: number,
    flags: number,
    ctx: CodecContext,
  ): Extract<PathAttribute, { kind: K }>;
  /** Write the value octets only; attrs/index.ts writes flags, type and length around them. */
  encodeValue(w: Writer, attr: Extract<PathAttribute, { kind: K }>, ctx: CodecContext): void;
}
